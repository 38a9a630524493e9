// The booking page: state -> venue -> date -> details -> confirm -> result, plus look up and cancel.
// Plain JavaScript, no framework: everything it shows is built with textContent, never HTML strings.
// Behaves well under a rush: availability is re-read with If-None-Match (a 304 costs nothing), every
// button is disabled while its request is in flight, and a 429/503 is retried only after the
// server's Retry-After plus jitter, with a countdown, never sooner.
'use strict';

(() => {
  const TEXT = {
    ms: {
      brand: 'JKJAV',
      title: 'Tempahan janji temu vaksin',
      otherLanguage: 'English',
      otherLanguageCode: 'en',
      chooseState: '1. Pilih negeri',
      chooseLocation: '2. Pilih pusat pemberian vaksin (PPV)',
      chooseDate: '3. Pilih tarikh',
      dateHint: 'Bilangan slot yang tinggal ditunjukkan pada setiap tarikh. Tarikh yang penuh tidak boleh dipilih.',
      yourDetails: '4. Butiran anda',
      idLabel: 'No. MyKad / ID MySejahtera',
      idHint: '12 digit MyKad (contoh 520127-01-5527), atau 5 hingga 20 huruf dan digit untuk pasport.',
      firstNameLabel: 'Nama pertama',
      lastNameLabel: 'Nama akhir',
      phoneLabel: 'No. telefon bimbit',
      phoneHint: 'Nombor Malaysia (contoh 012-345 6789), atau + dan kod negara. Tempahan disahkan melalui SMS.',
      addressLabel: 'Alamat',
      continue: 'Teruskan',
      confirmTitle: '5. Sahkan tempahan',
      confirm: 'Sahkan tempahan',
      edit: 'Ubah butiran',
      lookupTitle: 'Semak atau batal tempahan',
      lookup: 'Semak tempahan',
      cancel: 'Batalkan tempahan',
      cancelConfirm: 'Ya, batalkan tempahan ini',
      cancelAsk: 'Batalkan tempahan ini? Slot anda akan diberikan kepada orang lain.',
      apiDocs: 'Dokumentasi API',
      loading: 'Memuatkan…',
      sending: 'Menghantar…',
      loadFailed: 'Maklumat kekosongan tidak dapat dimuatkan. Cuba muat semula halaman sebentar lagi.',
      slotsLeft: (n) => `${n.toLocaleString('ms-MY')} slot`,
      full: 'Penuh',
      datesLeft: (n) => `${n.toLocaleString('ms-MY')} slot tinggal`,
      venue: 'PPV',
      date: 'Tarikh',
      name: 'Nama',
      reference: 'No. rujukan',
      required: 'Wajib diisi.',
      idBad: 'Masukkan 12 digit MyKad (contoh 520127-01-5527) atau ID pasport 5 hingga 20 huruf dan digit.',
      idDob: 'No. MyKad bermula dengan tarikh lahir sebenar (YYMMDD).',
      idDigits: 'ID pasport mempunyai paling banyak 11 digit; no. MyKad ditulis sahaja.',
      nameBad: 'Mesti mengandungi sekurang-kurangnya satu huruf.',
      tooLong: (n) => `Paling panjang ${n} aksara.`,
      controlChars: 'Tidak boleh mengandungi aksara kawalan atau aksara tersembunyi.',
      phoneBad: 'Masukkan nombor telefon bimbit Malaysia (contoh 012-345 6789), atau + dan kod negara.',
      fixErrors: (n) => `Sila betulkan ${n} ruangan yang ditandakan.`,
      serverField: 'Pelayan menolak ruangan ini: ',
      booked: 'Tempahan anda berjaya.',
      bookedHow: 'Untuk menyemak atau membatalkan, gunakan no. MyKad/ID dan no. telefon anda dalam bahagian "Semak atau batal tempahan" di bawah.',
      fullTitle: 'Tarikh ini sudah penuh.',
      fullBody: 'Seseorang telah mengambil slot terakhir. Kekosongan telah dikemas kini: pilih tarikh lain, atau sertai senarai menunggu untuk tarikh ini.',
      joinWaitlist: 'Sertai senarai menunggu',
      waitlisted: (p) => `Anda dalam senarai menunggu, di tempat ke-${p}. Anda akan mendapat slot ini jika ada tempahan yang dibatalkan.`,
      alreadyWaitlisted: 'Anda sudah berada dalam senarai menunggu untuk tarikh lain.',
      alreadyBooked: 'Anda sudah mempunyai tempahan. Setiap orang hanya boleh membuat satu tempahan.',
      showBooking: 'Lihat tempahan saya',
      notEligible: 'Anda tidak layak untuk kempen ini.',
      notEligibleRule: 'Kelayakan ditentukan daripada tarikh lahir dalam no. MyKad anda. Peraturan pelayan:',
      unknownSlot: 'Tarikh ini tidak lagi ditawarkan di PPV ini. Sila pilih tarikh lain.',
      busy: 'Terlalu ramai pengguna sekarang.',
      retryIn: (s) => `Mencuba semula secara automatik dalam ${s} saat…`,
      gaveUp: 'Masih sibuk. Sila cuba lagi sebentar lagi.',
      tryAgain: 'Cuba lagi',
      networkError: 'Tiada sambungan ke pelayan. Semak sambungan internet anda dan cuba lagi.',
      otherError: 'Permintaan tidak berjaya:',
      yourBooking: 'Tempahan anda',
      notFound: 'Tiada tempahan untuk ID ini dengan nombor telefon ini.',
      cancelled: 'Tempahan anda telah dibatalkan.',
      queueTitle: 'Barisan menunggu',
      queueIntroDraw: (opens) => `Tempahan untuk kempen ini melalui barisan menunggu. Semua yang menyertai sebelum ${opens} dimasukkan dalam satu cabutan: susunan mereka ditentukan secara rawak pada masa itu, jadi tidak perlu tergesa-gesa.`,
      queueIntroOpen: 'Tempahan untuk kempen ini melalui barisan menunggu. Masukkan no. MyKad/ID anda untuk mengambil tempat; anda boleh menempah apabila tiba giliran anda.',
      queueJoin: 'Sertai barisan',
      queueProgress: 'Kemajuan ke hadapan barisan',
      queueChecking: 'Menyemak tempat anda dalam barisan…',
      queuePrequeue: 'Anda dalam cabutan.',
      queueDraw: (time) => `Cabutan dibuat pada ${time}: susunan semua yang menyertai sebelum itu ditentukan secara rawak.`,
      queueInDraw: (n) => `${n.toLocaleString('ms-MY')} orang lain dalam cabutan yang sama.`,
      queueWaiting: 'Anda dalam barisan.',
      queueAhead: (n) => (n === 0 ? 'Anda di hadapan barisan.' : `${n.toLocaleString('ms-MY')} orang di hadapan anda.`),
      queueWait: (text) => `Anggaran masa menunggu: ${text}.`,
      queueAdmitted: 'Giliran anda: sila buat tempahan sekarang.',
      queueAdmittedHow: (m) => `Kemasukan anda sah selama kira-kira ${m} minit. Pilih negeri, PPV dan tarikh di bawah.`,
      queueSoldOut: 'Semua slot telah habis ditempah.',
      queueSoldOutBody: 'Tempat anda dalam barisan disimpan: jika ada slot yang dikembalikan (pembatalan), barisan dibuka semula mengikut susunan.',
      queueWaitlistOffer: 'Anda boleh menyertai senarai menunggu bagi satu tarikh yang penuh: anda mendapat slot itu jika ada pembatalan.',
      queueWaitlistButton: 'Pilih tarikh untuk senarai menunggu',
      queueWaitlistMode: 'Pilih tarikh yang penuh di bawah untuk menyertai senarai menunggunya.',
      queueEnded: 'Kemasukan anda telah tamat.',
      queueEndedBody: 'Kemasukan ini telah digunakan untuk tempahan, atau tempohnya telah luput. Jika anda telah menempah, semak tempahan anda di bawah.',
      queueKept: 'Tempat anda disimpan jika anda memuat semula halaman ini. Halaman ini menyemak semula dengan sendirinya.',
      queueNextCheck: (s) => `Semakan seterusnya dalam ${s} saat.`,
      queueBusy: 'Pelayan sibuk; tempat anda tidak terjejas. Halaman ini akan menyemak semula seperti yang diminta oleh pelayan.',
      queueOffline: 'Tiada sambungan ke pelayan; tempat anda tidak terjejas. Mencuba semula sebentar lagi.',
      ticketInvalid: 'Tiket barisan anda tidak sah lagi (mungkin barisan telah dimulakan semula). Sila sertai semula.',
      queueRequired: 'Kemasukan anda tidak sah untuk tempahan ini (tamat tempoh, belum tiba giliran, atau milik orang lain). Halaman ini menunjukkan tempat anda dalam barisan.',
      queueNotOpen: (time) => `Barisan belum dibuka. Ia dibuka pada ${time}; halaman ini akan mencuba semula ketika itu.`,
      signInNeeded: 'Anda perlu log masuk melalui MySejahtera untuk menyertai barisan atau menempah.',
      lessThanMinute: 'kurang daripada seminit',
      aboutMinutes: (m) => `kira-kira ${m} minit`,
      aboutHours: (h, m) => (m ? `kira-kira ${h} jam ${m} minit` : `kira-kira ${h} jam`),
      noQueue: 'Kempen ini tidak lagi mempunyai barisan menunggu: anda boleh menempah terus.',
    },
    en: {
      brand: 'JKJAV',
      title: 'Book a vaccination appointment',
      otherLanguage: 'Bahasa Melayu',
      otherLanguageCode: 'ms',
      chooseState: '1. Choose a state',
      chooseLocation: '2. Choose a vaccination centre (PPV)',
      chooseDate: '3. Choose a date',
      dateHint: 'Each date shows how many slots are left. Full dates cannot be chosen.',
      yourDetails: '4. Your details',
      idLabel: 'MyKad no. / MySejahtera ID',
      idHint: '12-digit MyKad (e.g. 520127-01-5527), or 5 to 20 letters and digits for a passport.',
      firstNameLabel: 'First name',
      lastNameLabel: 'Last name',
      phoneLabel: 'Mobile phone number',
      phoneHint: 'A Malaysian number (e.g. 012-345 6789), or + and the country code. Your booking is confirmed by SMS.',
      addressLabel: 'Address',
      continue: 'Continue',
      confirmTitle: '5. Confirm your booking',
      confirm: 'Confirm booking',
      edit: 'Change details',
      lookupTitle: 'Look up or cancel a booking',
      lookup: 'Look up booking',
      cancel: 'Cancel booking',
      cancelConfirm: 'Yes, cancel this booking',
      cancelAsk: 'Cancel this booking? Your slot will go to someone else.',
      apiDocs: 'API documentation',
      loading: 'Loading…',
      sending: 'Sending…',
      loadFailed: 'Availability could not be loaded. Try reloading the page in a moment.',
      slotsLeft: (n) => `${n.toLocaleString('en-MY')} left`,
      full: 'Full',
      datesLeft: (n) => `${n.toLocaleString('en-MY')} slots left`,
      venue: 'Centre',
      date: 'Date',
      name: 'Name',
      reference: 'Reference',
      required: 'Required.',
      idBad: 'Enter a 12-digit MyKad number (e.g. 520127-01-5527) or a passport id of 5 to 20 letters and digits.',
      idDob: 'A MyKad number starts with a real date of birth (YYMMDD).',
      idDigits: 'A passport id has at most 11 digits; a MyKad number is written alone.',
      nameBad: 'Must contain at least one letter.',
      tooLong: (n) => `At most ${n} characters.`,
      controlChars: 'Must not contain control or invisible characters.',
      phoneBad: 'Enter a Malaysian mobile number (e.g. 012-345 6789), or + and the country code.',
      fixErrors: (n) => `Please correct the ${n} marked field(s).`,
      serverField: 'The server refused this field: ',
      booked: 'Your booking is confirmed.',
      bookedHow: 'To look it up or cancel it, use your MyKad no./ID and phone number in "Look up or cancel a booking" below.',
      fullTitle: 'This date is full.',
      fullBody: 'Someone took the last slot. Availability has been refreshed: choose another date, or join the waiting list for this one.',
      joinWaitlist: 'Join the waiting list',
      waitlisted: (p) => `You are on the waiting list, in place ${p}. You get this slot if a booking is cancelled.`,
      alreadyWaitlisted: 'You are already on the waiting list for another date.',
      alreadyBooked: 'You already have a booking. Each person can hold one booking only.',
      showBooking: 'Show my booking',
      notEligible: 'You are not eligible for this campaign.',
      notEligibleRule: 'Eligibility is judged from the date of birth in your MyKad number. The server’s rule:',
      unknownSlot: 'This date is no longer offered at this centre. Please choose another date.',
      busy: 'Too many people right now.',
      retryIn: (s) => `Trying again automatically in ${s} s…`,
      gaveUp: 'Still busy. Please try again in a little while.',
      tryAgain: 'Try again',
      networkError: 'No connection to the server. Check your internet connection and try again.',
      otherError: 'The request did not succeed:',
      yourBooking: 'Your booking',
      notFound: 'No booking for this id with this phone number.',
      cancelled: 'Your booking has been cancelled.',
      queueTitle: 'Waiting line',
      queueIntroDraw: (opens) => `Booking for this campaign goes through a waiting line. Everyone who joins before ${opens} is in one draw: their order is decided at random then, so there is no need to rush.`,
      queueIntroOpen: 'Booking for this campaign goes through a waiting line. Enter your MyKad no./ID to take your place; you can book when your turn comes.',
      queueJoin: 'Join the line',
      queueProgress: 'Progress to the front of the line',
      queueChecking: 'Checking your place in the line…',
      queuePrequeue: 'You are in the draw.',
      queueDraw: (time) => `The draw happens at ${time}: everyone who joined before then is put in a random order.`,
      queueInDraw: (n) => `${n.toLocaleString('en-MY')} other people are in the same draw.`,
      queueWaiting: 'You are in the line.',
      queueAhead: (n) => (n === 0 ? 'You are at the front of the line.' : n === 1 ? '1 person ahead of you.' : `${n.toLocaleString('en-MY')} people ahead of you.`),
      queueWait: (text) => `Estimated wait: ${text}.`,
      queueAdmitted: 'It is your turn: please book now.',
      queueAdmittedHow: (m) => `Your admission lasts about ${m} minutes. Choose a state, centre and date below.`,
      queueSoldOut: 'All slots have been booked: sold out.',
      queueSoldOutBody: 'Your place in the line is kept: if slots come back (cancellations), the line reopens in order.',
      queueWaitlistOffer: 'You can join the waiting list of a full date: you get that slot if a booking is cancelled.',
      queueWaitlistButton: 'Choose a date for the waiting list',
      queueWaitlistMode: 'Choose a full date below to join its waiting list.',
      queueEnded: 'Your admission has ended.',
      queueEndedBody: 'It was used for a booking, or it lapsed. If you booked, look up your booking below.',
      queueKept: 'Your place is kept if you reload this page. This page checks again by itself.',
      queueNextCheck: (s) => `Next check in ${s} s.`,
      queueBusy: 'The server is busy; your place is not affected. This page checks again when the server says.',
      queueOffline: 'No connection to the server; your place is not affected. Trying again shortly.',
      ticketInvalid: 'Your waiting-line ticket is no longer valid (the line may have been restarted). Please join again.',
      queueRequired: 'Your admission is not valid for this booking (expired, not yet your turn, or someone else’s). This page shows your place in the line.',
      queueNotOpen: (time) => `The line is not open yet. It opens at ${time}; this page tries again then.`,
      signInNeeded: 'You need to sign in with MySejahtera to join the line or book.',
      lessThanMinute: 'less than a minute',
      aboutMinutes: (m) => (m === 1 ? 'about 1 minute' : `about ${m} minutes`),
      aboutHours: (h, m) => `about ${h} hour${h === 1 ? '' : 's'}${m ? ` ${m} minute${m === 1 ? '' : 's'}` : ''}`,
      noQueue: 'This campaign no longer has a waiting line: you can book directly.',
    },
  };

  const LANG_KEY = 'jkjav.lang';
  const MAX_AUTO_RETRIES = 5;
  const REFRESH_MS = 15000; // availability of the shown venue, while the tab is visible

  const $ = (id) => document.getElementById(id);
  let lang = readLang();
  const t = (key, ...args) => {
    const entry = TEXT[lang][key];
    return typeof entry === 'function' ? entry(...args) : entry;
  };

  const state = {
    campaign: null, // /locations
    stateKey: null,
    location: null, // code
    stations: new Map(), // code -> [{date, availability}]
    date: null,
    details: null,
    result: null, // what #result shows, re-rendered on a language switch
    lookupResult: null,
    queueResult: null,
    bookingOpen: true, // false while a waiting room stands between this person and the form
    waitlistMode: false, // sold out: choosing a full date to join its waitlist
  };
  const etags = new Map(); // url -> ETag, for If-None-Match
  const bodies = new Map(); // url -> last body

  function readLang() {
    try {
      const saved = localStorage.getItem(LANG_KEY);
      if (saved === 'ms' || saved === 'en') return saved;
    } catch (_) { /* storage may be off: Malay */ }
    return 'ms';
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  // GET a JSON document, sending the ETag of the copy held: a 304 keeps that copy.
  async function getFresh(url) {
    const headers = {};
    if (etags.has(url)) headers['If-None-Match'] = etags.get(url);
    const response = await fetch(url, { headers, cache: 'no-store' });
    if (response.status === 304 && bodies.has(url)) return bodies.get(url);
    if (response.status === 429 || response.status === 503) {
      const busy = new Error(`${url}: ${response.status}`);
      busy.retryMs = retryDelayMs(response);
      throw busy;
    }
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    const body = await response.json();
    const etag = response.headers.get('ETag');
    if (etag) etags.set(url, etag);
    bodies.set(url, body);
    return body;
  }

  // Seconds to wait before retrying a 429/503: Retry-After (default 2), plus up to a second of
  // jitter so that a crowd told the same number does not come back in the same instant.
  function retryDelayMs(response) {
    const header = Number.parseInt(response.headers.get('Retry-After') || '', 10);
    const seconds = Number.isFinite(header) && header > 0 ? Math.min(header, 300) : 2;
    return seconds * 1000 + Math.floor(Math.random() * 1000);
  }

  // Sends a request; on 429/503 waits as the server says (showing a countdown in `region`) and
  // sends again, at most MAX_AUTO_RETRIES times. Resolves with {response, body} or {networkError}
  // or {gaveUp}.
  async function send(url, options, region) {
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(url, { ...options, cache: 'no-store' });
      } catch (_) {
        return { networkError: true };
      }
      let body = null;
      try { body = await response.json(); } catch (_) { body = null; }
      if ((response.status === 429 || response.status === 503) && attempt < MAX_AUTO_RETRIES) {
        await countdown(region, retryDelayMs(response));
        continue;
      }
      if (response.status === 429 || response.status === 503) return { gaveUp: true };
      return { response, body };
    }
  }

  function countdown(region, ms) {
    return new Promise((resolve) => {
      const until = Date.now() + ms;
      let shown = null;
      const tick = () => {
        const left = until - Date.now();
        if (left <= 0) { resolve(); return; }
        const seconds = Math.ceil(left / 1000);
        if (seconds !== shown) { shown = seconds; region.set({ kind: 'wait', seconds }); }
        setTimeout(tick, Math.min(left, 250));
      };
      tick();
    });
  }

  // A button shows at once that it was pressed, and cannot be pressed again until done.
  async function whileBusy(buttons, work) {
    const labels = buttons.map((b) => b.textContent);
    for (const b of buttons) { b.disabled = true; b.setAttribute('aria-busy', 'true'); }
    buttons[0].textContent = t('sending');
    try {
      return await work();
    } finally {
      buttons.forEach((b, i) => { b.disabled = false; b.removeAttribute('aria-busy'); b.textContent = labels[i]; });
      renderTexts(); // the labels in the language now chosen
    }
  }

  // ---- Rendering ----------------------------------------------------------------------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'onclick') node.addEventListener('click', value);
      else if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function formatDate(compact) {
    const date = new Date(Date.UTC(+compact.slice(0, 4), +compact.slice(4, 6) - 1, +compact.slice(6, 8)));
    return new Intl.DateTimeFormat(lang === 'ms' ? 'ms-MY' : 'en-GB', {
      weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
    }).format(date);
  }

  function locationOf(code) {
    return state.campaign && state.campaign.locations.find((l) => l.code === code);
  }

  function renderTexts() {
    document.documentElement.lang = lang;
    document.title = `JKJAV — ${t('title')}`;
    for (const node of document.querySelectorAll('[data-i18n]')) {
      if (node.getAttribute('aria-busy') === 'true') continue;
      node.textContent = t(node.dataset.i18n);
    }
    const langButton = $('lang');
    langButton.textContent = t('otherLanguage');
    langButton.lang = t('otherLanguageCode');
  }

  function renderStates() {
    const box = $('states');
    box.replaceChildren();
    if (!state.campaign) return;
    $('campaign').textContent = state.campaign.campaign;
    for (const s of state.campaign.states) {
      const left = state.campaign.locations.filter((l) => l.state === s.key).reduce((n, l) => n + l.availability, 0);
      box.append(el('button', {
        type: 'button', class: 'choice', 'data-testid': `state-${s.key}`,
        'aria-pressed': String(state.stateKey === s.key),
        onclick: () => chooseState(s.key),
      }, el('span', { class: 'name', text: s.name }), el('span', { class: 'left', text: left > 0 ? t('slotsLeft', left) : t('full') })));
    }
  }

  function renderLocations() {
    const box = $('locations');
    box.replaceChildren();
    $('step-location').hidden = !state.stateKey || !state.bookingOpen;
    if (!state.stateKey) return;
    for (const l of state.campaign.locations.filter((x) => x.state === state.stateKey)) {
      box.append(el('button', {
        type: 'button', class: 'choice', 'data-testid': `location-${l.code}`,
        'aria-pressed': String(state.location === l.code),
        onclick: () => chooseLocation(l.code),
      }, el('span', { class: 'name', text: l.name }), el('span', { class: 'left', text: l.availability > 0 ? t('slotsLeft', l.availability) : t('full') })));
    }
  }

  function renderDates() {
    const box = $('dates');
    box.replaceChildren();
    $('step-date').hidden = !state.location || !state.bookingOpen;
    if (!state.location) return;
    const dates = state.stations.get(state.location) || [];
    for (const d of dates) {
      const full = d.availability <= 0;
      box.append(el('button', {
        type: 'button', class: 'date', 'data-testid': `date-${d.date}`,
        'data-availability': String(d.availability),
        'aria-pressed': String(state.date === d.date),
        // Sold out with the waitlist offered: the full dates are the ones to choose.
        disabled: state.waitlistMode ? !full : full,
        onclick: () => chooseDate(d.date),
      }, el('span', { class: 'day', text: formatDate(d.date) }), el('span', { class: 'left', text: full ? t('full') : t('slotsLeft', d.availability) })));
    }
  }

  function renderChosen() {
    const l = locationOf(state.location);
    $('chosen').textContent = l && state.date ? `${l.name} — ${formatDate(state.date)}` : '';
  }

  function renderSummary() {
    const box = $('summary');
    box.replaceChildren();
    if (!state.details) return;
    const l = locationOf(state.location);
    const rows = [
      [t('venue'), l ? l.name : state.location],
      [t('date'), formatDate(state.date)],
      [t('idLabel'), state.details.mysejahteraId],
      [t('name'), `${state.details.firstName} ${state.details.lastName}`],
      [t('phoneLabel'), state.details.phoneNumber],
      [t('addressLabel'), state.details.address],
    ];
    for (const [k, v] of rows) box.append(el('dt', { text: k }), el('dd', { text: v }));
  }

  // The outcome regions hold a description, rendered (again on a language switch) by renderOutcome.
  function region(node, key) {
    return {
      set(outcome) { state[key] = outcome; renderOutcome(node, outcome); },
      clear() { state[key] = null; node.replaceChildren(); node.className = 'result'; },
    };
  }
  const result = region($('result'), 'result');
  const lookupResult = region($('lookup-result'), 'lookupResult');
  const queueResult = region($('queue-result'), 'queueResult');

  function bookingList(booking) {
    const l = locationOf(booking.location);
    const dl = el('dl', { class: 'summary' });
    const rows = [
      [t('reference'), booking.reference],
      [t('venue'), l ? l.name : booking.location],
      [t('date'), formatDate(booking.date)],
      [t('name'), `${booking.firstName} ${booking.lastName}`],
    ];
    for (const [k, v] of rows) dl.append(el('dt', { text: k }), el('dd', { text: v, 'data-testid': k === t('reference') ? 'reference' : null }));
    return dl;
  }

  function renderOutcome(node, outcome) {
    node.replaceChildren();
    node.className = `result ${outcome.tone || 'info'}`;
    const title = (text) => el('p', { class: 'title', text });
    switch (outcome.kind) {
      case 'booked':
        node.append(title(t('booked')), bookingList(outcome.booking), el('p', { text: t('bookedHow') }));
        break;
      case 'found':
        node.append(title(t('yourBooking')), bookingList(outcome.booking),
          el('button', { type: 'button', class: 'danger', 'data-testid': 'cancel-confirm', onclick: (e) => cancelBooking(e.currentTarget), text: t('cancel') }));
        break;
      case 'askCancel':
        node.append(title(t('cancelAsk')), bookingList(outcome.booking),
          el('button', { type: 'button', class: 'danger', 'data-testid': 'cancel-confirm', onclick: (e) => cancelBooking(e.currentTarget), text: t('cancelConfirm') }));
        break;
      case 'cancelled':
        node.append(title(t('cancelled')), bookingList(outcome.booking));
        break;
      case 'full':
        node.append(title(t('fullTitle')), el('p', { text: t('fullBody') }),
          el('button', { type: 'button', 'data-testid': 'waitlist', onclick: (e) => book(e.currentTarget, true), text: t('joinWaitlist') }));
        break;
      case 'waitlisted':
        node.append(title(t('waitlisted', outcome.position)));
        break;
      case 'alreadyBooked':
        node.append(title(t('alreadyBooked')),
          el('button', { type: 'button', 'data-testid': 'show-booking', onclick: (e) => showExistingBooking(e.currentTarget), text: t('showBooking') }));
        break;
      case 'queueAlreadyBooked':
        node.append(title(t('alreadyBooked')),
          el('button', { type: 'button', 'data-testid': 'show-lookup', onclick: () => showLookupFor(outcome.id), text: t('showBooking') }));
        break;
      case 'queueNotOpen':
        node.append(title(t('queueNotOpen', formatTime(outcome.at))));
        break;
      case 'message':
        node.append(title(t(outcome.key)));
        if (outcome.detail) node.append(el('p', { text: outcome.detail }));
        break;
      case 'notEligible':
        node.append(title(t('notEligible')), el('p', { text: `${t('notEligibleRule')} ${outcome.detail}` }));
        break;
      case 'wait':
        node.append(title(t('busy')), el('p', { 'data-testid': 'countdown', text: t('retryIn', outcome.seconds) }));
        break;
      case 'gaveUp':
        node.append(title(t('gaveUp')));
        break;
      case 'error':
        node.append(title(t('otherError')), el('p', { text: outcome.detail || '' }));
        break;
      default:
        break;
    }
  }

  function show(sectionId) {
    for (const id of ['step-form', 'step-confirm']) $(id).hidden = id !== sectionId;
  }

  function focusHeading(id) {
    const h = $(id);
    if (h) h.focus();
  }

  // ---- Flow ---------------------------------------------------------------------------------

  // The first read of the campaign; a busy server (429/503: no snapshot yet, too many connections)
  // is asked again only after its Retry-After, with the countdown shown.
  async function loadCampaign() {
    const status = $('load-status');
    for (let attempt = 0; ; attempt++) {
      status.textContent = t('loading');
      try {
        state.campaign = await getFresh('/locations');
        status.textContent = '';
        break;
      } catch (error) {
        if (!error.retryMs || attempt >= MAX_AUTO_RETRIES) {
          status.textContent = t('loadFailed');
          return;
        }
        await countdown({ set: (o) => { status.textContent = `${t('busy')} ${t('retryIn', o.seconds)}`; } }, error.retryMs);
      }
    }
    if (state.campaign.queue) {
      startQueue();
      return;
    }
    $('step-state').hidden = false;
    renderStates();
  }

  function chooseState(key) {
    state.stateKey = key;
    state.location = null;
    state.date = null;
    show(null);
    renderStates();
    renderLocations();
    renderDates();
    focusHeading('h-location');
  }

  async function refreshStation(code) {
    try {
      state.stations.set(code, await getFresh(`/stations/${encodeURIComponent(code)}`));
    } catch (_) {
      return false;
    }
    if (state.location === code) renderDates();
    return true;
  }

  function availabilityOf(code, date) {
    const found = (state.stations.get(code) || []).find((d) => d.date === date);
    return found ? found.availability : null;
  }

  // After a change this page made, the server's snapshot shows it within a moment: a few
  // conditional GETs, a second apart (each a cheap 304 until then), until the figures agree.
  async function refreshUntil(code, date, agrees) {
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!(await refreshStation(code))) return;
      const now = availabilityOf(code, date);
      if (now === null || agrees(now)) return;
    }
  }

  async function chooseLocation(code) {
    if (state.location === code && !$('step-date').hidden) { focusHeading('h-date'); return; }
    state.location = code;
    state.date = null;
    show(null);
    renderLocations();
    $('step-date').hidden = false;
    $('dates').replaceChildren(el('p', { class: 'muted', text: t('loading') }));
    if (!(await refreshStation(code))) {
      $('dates').replaceChildren(el('p', { class: 'error', text: t('loadFailed') }));
      return;
    }
    renderDates();
    focusHeading('h-date');
  }

  function chooseDate(date) {
    state.date = date;
    renderDates();
    renderChosen();
    result.clear();
    show('step-form');
    focusHeading('h-form');
  }

  // ---- Validation: the server's rules (src/domain), checked before sending --------------------

  const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u2028-\u202E\u2060-\u206F\u2800\uFEFF\uE000-\uF8FF\uFDD0-\uFDEF\uFFFE\uFFFF]/u;
  const LETTER = /\p{L}/u;

  function isRealDate(y, m, d) {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }

  function checkId(raw) {
    const text = raw.trim();
    if (!text) return 'required';
    if (/^[0-9-]+$/.test(text)) {
      if (!/^(?:[0-9]{12}|[0-9]{6}-[0-9]{2}-[0-9]{4})$/.test(text)) return 'idBad';
      const digits = text.replace(/-/g, '');
      const yy = +digits.slice(0, 2), mm = +digits.slice(2, 4), dd = +digits.slice(4, 6);
      if (!isRealDate(1900 + yy, mm, dd) && !isRealDate(2000 + yy, mm, dd)) return 'idDob';
      return null;
    }
    if (!/^[A-Za-z0-9]{5,20}$/.test(text)) return 'idBad';
    if ((text.match(/[0-9]/g) || []).length >= 12) return 'idDigits';
    return null;
  }

  function checkText(raw, max) {
    const text = raw.replace(/\s+/gu, ' ').trim();
    if (!text) return 'required';
    if (INVISIBLE.test(text)) return 'controlChars';
    if (!LETTER.test(text)) return 'nameBad';
    if ([...text].length > max) return ['tooLong', max];
    return null;
  }

  // The shape libphonenumber takes for a mobile: Malaysian 01X (9 or 10 digits after the 0), or
  // + and a country code. The server has the last word (an error there is shown on the field).
  function checkPhone(raw) {
    const text = raw.trim();
    if (!text) return 'required';
    if (!/^\+?[-0-9 ().\/]+$/.test(text)) return 'phoneBad';
    const digits = text.replace(/[^0-9]/g, '');
    if (text.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? null : 'phoneBad';
    if (/^(?:60|0)?1[0-9]{8,9}$/.test(digits)) return null;
    return 'phoneBad';
  }

  const FIELDS = {
    mysejahteraId: { input: 'f-id', check: checkId },
    firstName: { input: 'f-first', check: (v) => checkText(v, 100) },
    lastName: { input: 'f-last', check: (v) => checkText(v, 100) },
    phoneNumber: { input: 'f-phone', check: checkPhone },
    address: { input: 'f-address', check: (v) => checkText(v, 300) },
  };

  function setFieldError(inputId, message) {
    const input = $(inputId);
    const error = $(`${inputId}-error`);
    error.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function problemText(problem) {
    return Array.isArray(problem) ? t(problem[0], problem[1]) : t(problem);
  }

  function validateForm() {
    const details = {};
    let firstBad = null;
    let count = 0;
    for (const [name, field] of Object.entries(FIELDS)) {
      const value = $(field.input).value;
      const problem = field.check(value);
      setFieldError(field.input, problem ? problemText(problem) : '');
      if (problem) { count++; firstBad = firstBad || field.input; }
      details[name] = name === 'mysejahteraId' || name === 'phoneNumber' ? value.trim() : value.replace(/\s+/gu, ' ').trim();
    }
    $('form-errors').textContent = count ? t('fixErrors', count) : '';
    if (firstBad) $(firstBad).focus();
    return count ? null : details;
  }

  function onSubmit(event) {
    event.preventDefault();
    const details = validateForm();
    if (!details) return;
    state.details = details;
    renderSummary();
    show('step-confirm');
    focusHeading('h-confirm');
  }

  // ---- Booking ------------------------------------------------------------------------------

  async function book(button, waitlist) {
    const body = { ...state.details, location: state.location, date: state.date };
    if (waitlist || state.waitlistMode) body.waitlist = true;
    const headers = { 'Content-Type': 'application/json' };
    if (queue.ticket) headers['X-Queue-Ticket'] = queue.ticket;
    const buttons = [button, $('edit')].filter(Boolean);
    const outcome = await whileBusy(buttons, () => send('/booking', {
      method: 'POST', headers, body: JSON.stringify(body),
    }, result));
    await showBookingOutcome(outcome);
  }

  async function showBookingOutcome(outcome) {
    if (outcome.networkError) { result.set({ kind: 'message', key: 'networkError', tone: 'bad' }); return; }
    if (outcome.gaveUp) { result.set({ kind: 'gaveUp', tone: 'bad' }); return; }
    const { response, body } = outcome;
    const code = body && body.code;
    if (response.status === 200 && body && body.reference) {
      leaveQueue(); // the admission is used up: a reload starts afresh (joining again: ALREADY_BOOKED)
      result.set({ kind: 'booked', booking: body, tone: 'good' });
      $('l-id').value = state.details.mysejahteraId;
      $('l-phone').value = state.details.phoneNumber;
      show(null);
      $('result').focus();
      const shown = availabilityOf(body.location, body.date);
      if (shown !== null) await refreshUntil(body.location, body.date, (now) => now < shown);
      return;
    } else if (code === 'WAITLISTED') {
      if (state.waitlistMode) leaveQueue();
      result.set({ kind: 'waitlisted', position: body.position, tone: 'info' });
      show(null);
    } else if (code === 'QUEUE_REQUIRED') {
      // The admission is gone or not yet given: back to the line, whose next poll says which.
      result.set({ kind: 'message', key: 'queueRequired', tone: 'bad' });
      setBookingOpen(false);
      renderQueue();
    } else if (code === 'INVALID_TICKET') {
      forgetTicket();
      result.clear();
      showJoinForm('ticketInvalid');
      return;
    } else if (code === 'FULL') {
      result.set({ kind: 'full', tone: 'bad' });
      $('result').focus();
      await refreshUntil(state.location, state.date, (now) => now === 0);
      return;
    } else if (code === 'ALREADY_BOOKED') {
      result.set({ kind: 'alreadyBooked', tone: 'bad' });
    } else if (code === 'ALREADY_WAITLISTED') {
      result.set({ kind: 'message', key: 'alreadyWaitlisted', tone: 'bad' });
    } else if (code === 'NOT_ELIGIBLE') {
      result.set({ kind: 'notEligible', detail: body.message, tone: 'bad' });
    } else if (code === 'UNKNOWN_SLOT' || code === 'UNKNOWN_LOCATION') {
      await refreshStation(state.location);
      result.set({ kind: 'message', key: 'unknownSlot', tone: 'bad' });
    } else if (code === 'INVALID_REQUEST' && body.errors) {
      show('step-form');
      let first = null;
      for (const e of body.errors) {
        const field = FIELDS[e.field];
        if (!field) continue;
        setFieldError(field.input, t('serverField') + e.message);
        first = first || field.input;
      }
      $('form-errors').textContent = t('fixErrors', body.errors.length);
      result.clear();
      if (first) $(first).focus();
      return;
    } else {
      result.set({ kind: 'error', detail: body && body.message ? body.message : `HTTP ${response.status}`, tone: 'bad' });
    }
    $('result').focus();
  }

  async function showExistingBooking(button) {
    $('l-id').value = state.details.mysejahteraId;
    $('l-phone').value = state.details.phoneNumber;
    await lookUp(button);
  }

  // ---- Look up and cancel -------------------------------------------------------------------

  function lookupTarget() {
    const id = $('l-id').value.trim();
    const phone = $('l-phone').value.trim();
    const idProblem = checkId(id);
    const phoneProblem = checkPhone(phone);
    setFieldError('l-id', idProblem ? problemText(idProblem) : '');
    setFieldError('l-phone', phoneProblem ? problemText(phoneProblem) : '');
    if (idProblem || phoneProblem) {
      $(idProblem ? 'l-id' : 'l-phone').focus();
      return null;
    }
    return `/booking/${encodeURIComponent(id)}?phoneNumber=${encodeURIComponent(phone)}`;
  }

  function showLookupFailure(outcome) {
    if (outcome.networkError) lookupResult.set({ kind: 'message', key: 'networkError', tone: 'bad' });
    else if (outcome.gaveUp) lookupResult.set({ kind: 'gaveUp', tone: 'bad' });
    else if (outcome.response.status === 404) lookupResult.set({ kind: 'message', key: 'notFound', tone: 'bad' });
    else {
      const { body, response } = outcome;
      lookupResult.set({ kind: 'error', detail: body && body.message ? body.message : `HTTP ${response.status}`, tone: 'bad' });
    }
  }

  async function lookUp(button) {
    const url = lookupTarget();
    if (!url) return;
    const buttons = [...new Set([button, $('lookup-button'), $('cancel-button')])];
    const outcome = await whileBusy(buttons, () => send(url, { method: 'GET' }, lookupResult));
    if (outcome.response && outcome.response.status === 200) lookupResult.set({ kind: 'found', booking: outcome.body, tone: 'good' });
    else showLookupFailure(outcome);
    $('lookup-result').focus();
  }

  async function askCancel(button) {
    const url = lookupTarget();
    if (!url) return;
    // Show what would be cancelled first: cancelling is the one step that cannot be undone.
    const outcome = await whileBusy([button, $('lookup-button')], () => send(url, { method: 'GET' }, lookupResult));
    if (outcome.response && outcome.response.status === 200) lookupResult.set({ kind: 'askCancel', booking: outcome.body, tone: 'info' });
    else showLookupFailure(outcome);
    $('lookup-result').focus();
  }

  async function cancelBooking(button) {
    const url = lookupTarget();
    if (!url) return;
    const outcome = await whileBusy([button, $('lookup-button'), $('cancel-button')], () => send(url, { method: 'DELETE' }, lookupResult));
    if (outcome.response && outcome.response.status === 200) {
      lookupResult.set({ kind: 'cancelled', booking: outcome.body, tone: 'good' });
      $('lookup-result').focus();
      const { location, date } = outcome.body;
      const shown = availabilityOf(location, date);
      if (shown !== null) await refreshUntil(location, date, (now) => now > shown);
      return;
    } else {
      showLookupFailure(outcome);
    }
    $('lookup-result').focus();
  }

  // ---- Waiting room -------------------------------------------------------------------------
  // With a `queue` in /locations, the page first takes a place in line (POST /queue), then asks
  // how it stands (GET /queue/{ticket}) exactly as often as the server's Retry-After says, never
  // sooner: the server spreads a million pollers that way. The ticket lives in sessionStorage, so a
  // reload keeps the place (and a new tab starts afresh). Admitted: the booking form, which sends
  // the ticket as X-Queue-Ticket.

  const QUEUE_KEY = 'jkjav.queue';
  const QUEUE_FALLBACK_SECONDS = 5; // a poll answer without Retry-After (a proxy's error page)
  const queue = {
    ticket: null,
    id: null,
    joinedAhead: null, // people ahead when first seen in line: the progress bar's whole length
    answer: null, // the last 200 of POST /queue or GET /queue/{ticket}
    problem: null, // a text key shown under the figures (busy, offline, otherError)
    problemDetail: '', // the server's message, with otherError
    timer: null,
    nextAt: 0,
  };

  function saveTicket() {
    try {
      sessionStorage.setItem(QUEUE_KEY, JSON.stringify({ ticket: queue.ticket, id: queue.id, joinedAhead: queue.joinedAhead }));
    } catch (_) { /* not kept over a reload, still in line */ }
  }

  function savedTicket() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(QUEUE_KEY) || 'null');
      if (saved && typeof saved.ticket === 'string' && typeof saved.id === 'string') return saved;
    } catch (_) { /* nothing usable kept */ }
    return null;
  }

  function forgetTicket() {
    clearTimeout(queue.timer);
    Object.assign(queue, { ticket: null, answer: null, joinedAhead: null, problem: null, timer: null });
    try { sessionStorage.removeItem(QUEUE_KEY); } catch (_) { /* nothing kept */ }
  }

  // Done with the line (booked, or on a waitlist): no more polls, nothing kept.
  function leaveQueue() {
    if (!state.campaign || !state.campaign.queue) return;
    forgetTicket();
    $('step-queue').hidden = true;
  }

  // Milliseconds until the next poll: Retry-After (whole seconds) plus up to a quarter second of
  // jitter, so a crowd told the same number spreads out; never less than the header says.
  function pollDelayMs(response) {
    const header = Number.parseInt((response && response.headers.get('Retry-After')) || '', 10);
    const seconds = Number.isFinite(header) && header > 0 ? Math.min(header, 3600) : QUEUE_FALLBACK_SECONDS;
    return seconds * 1000 + Math.floor(Math.random() * 250);
  }

  function schedulePoll(ms) {
    clearTimeout(queue.timer);
    queue.nextAt = Date.now() + ms;
    queue.timer = setTimeout(pollQueue, ms);
  }

  function formatTime(iso) {
    return new Intl.DateTimeFormat(lang === 'ms' ? 'ms-MY' : 'en-GB', {
      day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit',
      timeZone: 'Asia/Kuala_Lumpur', timeZoneName: 'short',
    }).format(new Date(iso));
  }

  // People wait better for "about 5 minutes" than for "287 s".
  function humanWait(seconds) {
    if (seconds < 60) return t('lessThanMinute');
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return t('aboutMinutes', minutes);
    const rounded = Math.round(seconds / 300) * 5; // to five minutes: the estimate is no finer
    return t('aboutHours', Math.floor(rounded / 60), rounded % 60);
  }

  function setBookingOpen(open) {
    state.bookingOpen = open;
    $('step-state').hidden = !open;
    if (!open) {
      for (const id of ['step-location', 'step-date', 'step-form', 'step-confirm']) $(id).hidden = true;
      return;
    }
    renderStates();
    renderLocations();
    renderDates();
  }

  function startQueue() {
    $('campaign').textContent = state.campaign.campaign;
    $('step-queue').hidden = false;
    setBookingOpen(false);
    const saved = savedTicket();
    if (!saved) { showJoinForm(null); return; }
    Object.assign(queue, { ticket: saved.ticket, id: saved.id, joinedAhead: saved.joinedAhead ?? null });
    $('q-id').value = saved.id;
    $('queue-form').hidden = true;
    $('queue-view').hidden = false;
    renderQueue();
    pollQueue(); // a reload: where the kept place stands now
  }

  function showJoinForm(messageKey) {
    forgetTicket();
    state.waitlistMode = false;
    setBookingOpen(false);
    $('step-queue').hidden = false;
    $('queue-form').hidden = false;
    $('queue-view').hidden = true;
    renderQueue();
    if (messageKey) queueResult.set({ kind: 'message', key: messageKey, tone: 'bad' });
    else queueResult.clear();
  }

  async function joinQueue(button) {
    const id = $('q-id').value.trim();
    const problem = checkId(id);
    setFieldError('q-id', problem ? problemText(problem) : '');
    if (problem) { $('q-id').focus(); return; }
    queueResult.clear();
    const outcome = await whileBusy([button], () => send('/queue', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mysejahteraId: id }),
    }, queueResult));
    if (outcome.networkError) { queueResult.set({ kind: 'message', key: 'networkError', tone: 'bad' }); return; }
    if (outcome.gaveUp) { queueResult.set({ kind: 'gaveUp', tone: 'bad' }); return; }
    const { response, body } = outcome;
    const code = body && body.code;
    if (response.status === 200 && body && body.ticket) {
      queueResult.clear();
      queue.id = id;
      $('queue-form').hidden = true;
      $('queue-view').hidden = false;
      applyAnswer(body);
      schedulePoll(pollDelayMs(response));
      return;
    }
    if (code === 'ALREADY_BOOKED') queueResult.set({ kind: 'queueAlreadyBooked', id, tone: 'bad' });
    else if (code === 'NOT_ELIGIBLE') queueResult.set({ kind: 'notEligible', detail: body.message, tone: 'bad' });
    else if (code === 'INVALID_REQUEST' && body.errors) {
      setFieldError('q-id', t('serverField') + body.errors.map((e) => e.message).join('; '));
      $('q-id').focus();
      return;
    } else if (code === 'QUEUE_NOT_OPEN') {
      queueResult.set({ kind: 'queueNotOpen', at: state.campaign.queue.preQueueOpensAt, tone: 'info' });
      setTimeout(() => joinQueue(button), pollDelayMs(response)); // as the server says, not sooner
    } else if (response.status === 401) queueResult.set({ kind: 'message', key: 'signInNeeded', tone: 'bad' });
    else if (response.status === 404) { noQueueAnyMore(); return; }
    else queueResult.set({ kind: 'error', detail: body && body.message ? body.message : `HTTP ${response.status}`, tone: 'bad' });
    $('queue-result').focus();
  }

  async function pollQueue() {
    clearTimeout(queue.timer);
    queue.timer = null;
    if (!queue.ticket) return;
    let response;
    let body = null;
    try {
      response = await fetch(`/queue/${encodeURIComponent(queue.ticket)}`, { cache: 'no-store' });
      try { body = await response.json(); } catch (_) { body = null; }
    } catch (_) {
      queue.problem = 'queueOffline';
      renderQueue();
      schedulePoll(QUEUE_FALLBACK_SECONDS * 1000 * 2);
      return;
    }
    if (!queue.ticket) return; // left the line meanwhile
    const code = body && body.code;
    if (response.status === 200 && body && body.ticket) {
      queue.problem = null;
      applyAnswer(body);
    } else if (code === 'INVALID_TICKET') {
      showJoinForm('ticketInvalid');
      return;
    } else if (response.status === 404) {
      noQueueAnyMore();
      return;
    } else if (response.status === 429 || response.status >= 500) {
      queue.problem = 'queueBusy'; // the place stands; ask again when told
      renderQueue();
    } else {
      queue.problem = 'otherError';
      queue.problemDetail = body && body.message ? body.message : `HTTP ${response.status}`;
      renderQueue();
    }
    schedulePoll(pollDelayMs(response));
  }

  // The campaign file lost its queue section (a restart): book as without one.
  function noQueueAnyMore() {
    forgetTicket();
    state.campaign.queue = null;
    $('step-queue').hidden = true;
    result.set({ kind: 'message', key: 'noQueue', tone: 'info' });
    setBookingOpen(true);
  }

  function applyAnswer(body) {
    queue.answer = body;
    queue.ticket = body.ticket; // refreshed once the draw has ranked it
    if (body.state === 'waiting' && (queue.joinedAhead === null || body.ahead > queue.joinedAhead)) queue.joinedAhead = body.ahead;
    saveTicket();
    const admitted = body.state === 'admitted';
    const waitlistOffer = body.state === 'closed' && body.reason === 'SOLD_OUT' && body.waitlist === true;
    if (!waitlistOffer) state.waitlistMode = false;
    const open = admitted || state.waitlistMode;
    if (open !== state.bookingOpen) {
      setBookingOpen(open);
      if (admitted) {
        // The admission is this person's: the form books for them and nobody else.
        $('f-id').value = queue.id;
        $('f-id').readOnly = true;
      }
    }
    renderQueue();
  }

  function startWaitlistChoice() {
    state.waitlistMode = true;
    $('f-id').value = queue.id;
    $('f-id').readOnly = true;
    setBookingOpen(true);
    renderQueue();
    focusHeading('h-state');
  }

  function renderQueue() {
    const q = state.campaign && state.campaign.queue;
    if (!q) return;
    const beforeDraw = Date.now() < Date.parse(q.opensAt);
    $('queue-intro').textContent = beforeDraw ? t('queueIntroDraw', formatTime(q.opensAt)) : t('queueIntroOpen');
    $('queue-intro').hidden = $('queue-form').hidden; // what joining means, until joined
    const status = $('queue-status');
    const figures = $('queue-figures');
    const meter = $('queue-meter');
    const progress = $('queue-progress');
    const answer = queue.answer;
    const lines = [];
    const extra = [];
    let progressShown = false;
    status.className = 'result info';
    if (!answer) {
      lines.push(t('queueChecking'));
    } else if (answer.state === 'prequeue') {
      lines.push(t('queuePrequeue'), t('queueDraw', formatTime(q.opensAt)));
      extra.push(t('queueInDraw', answer.ahead), t('queueWait', humanWait(answer.estimatedWaitSeconds)));
    } else if (answer.state === 'waiting') {
      lines.push(t('queueWaiting'), t('queueAhead', answer.ahead));
      extra.push(t('queueWait', humanWait(answer.estimatedWaitSeconds)));
      progressShown = true;
      // From where they joined (0) to admission (full): the front of the line is one step short.
      const whole = Math.max(queue.joinedAhead || 0, answer.ahead) + 1;
      progress.max = whole;
      progress.value = Math.max(0, whole - 1 - answer.ahead);
      progress.setAttribute('aria-valuetext', t('queueAhead', answer.ahead));
    } else if (answer.state === 'admitted') {
      status.className = 'result good';
      lines.push(t('queueAdmitted'), t('queueAdmittedHow', Math.round(q.admissionSeconds / 60)));
      progressShown = true;
      progress.max = 1;
      progress.value = 1;
      progress.setAttribute('aria-valuetext', t('queueAdmitted'));
    } else if (answer.reason === 'SOLD_OUT') {
      status.className = 'result bad';
      lines.push(t('queueSoldOut'), t('queueSoldOutBody'));
      if (answer.waitlist === true) extra.push(t(state.waitlistMode ? 'queueWaitlistMode' : 'queueWaitlistOffer'));
    } else {
      status.className = 'result bad';
      lines.push(t('queueEnded'), t('queueEndedBody'));
    }
    // Only what changed is written: a polite live region re-reads whatever is replaced.
    const wanted = lines.join('\n');
    if (status.dataset.shown !== wanted) {
      status.dataset.shown = wanted;
      status.replaceChildren(el('p', { class: 'title', 'data-testid': 'queue-state', 'data-state': answer ? answer.state : '', text: lines[0] }),
        ...lines.slice(1).map((line) => el('p', { text: line })));
    }
    figures.replaceChildren(...extra.map((line) => el('p', { text: line })));
    if (answer && answer.state === 'closed' && answer.reason === 'SOLD_OUT' && answer.waitlist === true && !state.waitlistMode) {
      figures.append(el('button', { type: 'button', 'data-testid': 'queue-waitlist', onclick: startWaitlistChoice, text: t('queueWaitlistButton') }));
    }
    if (answer && answer.state === 'closed' && answer.reason !== 'SOLD_OUT') {
      figures.append(el('button', { type: 'button', 'data-testid': 'show-lookup', onclick: () => showLookupFor(queue.id), text: t('showBooking') }));
    }
    if (queue.problem) {
      const detail = queue.problem === 'otherError' ? ` ${queue.problemDetail}` : '';
      figures.append(el('p', { class: 'error', text: `${t(queue.problem)}${detail}` }));
    }
    if (answer && answer.state !== 'closed') figures.append(el('p', { class: 'hint', text: t('queueKept') }));
    meter.hidden = !progressShown;
    status.setAttribute('data-ahead', answer && answer.state === 'waiting' ? String(answer.ahead) : '');
  }

  // The lookup needs the phone number too: the id filled in, the phone field to type.
  function showLookupFor(id) {
    $('l-id').value = id || '';
    $('l-phone').scrollIntoView({ block: 'center' });
    $('l-phone').focus();
  }

  // ---- Wiring -------------------------------------------------------------------------------

  function switchLanguage() {
    lang = lang === 'ms' ? 'en' : 'ms';
    try { localStorage.setItem(LANG_KEY, lang); } catch (_) { /* not remembered, still switched */ }
    renderTexts();
    renderStates();
    renderLocations();
    renderDates();
    renderChosen();
    renderSummary();
    if (state.result) renderOutcome($('result'), state.result);
    if (state.lookupResult) renderOutcome($('lookup-result'), state.lookupResult);
    if (state.queueResult) renderOutcome($('queue-result'), state.queueResult);
    if (state.campaign && state.campaign.queue) renderQueue();
    for (const field of Object.values(FIELDS)) {
      if ($(field.input).getAttribute('aria-invalid')) setFieldError(field.input, problemText(field.check($(field.input).value)) || '');
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    renderTexts();
    $('lang').addEventListener('click', switchLanguage);
    $('booking-form').addEventListener('submit', onSubmit);
    $('confirm').addEventListener('click', (e) => book(e.currentTarget, false));
    $('edit').addEventListener('click', () => { show('step-form'); focusHeading('h-form'); });
    $('lookup-form').addEventListener('submit', (e) => { e.preventDefault(); lookUp($('lookup-button')); });
    $('cancel-button').addEventListener('click', (e) => askCancel(e.currentTarget));
    $('queue-form').addEventListener('submit', (e) => { e.preventDefault(); joinQueue($('queue-join')); });
    // Fields are checked as people leave them, as the server would check them.
    for (const field of Object.values(FIELDS)) {
      $(field.input).addEventListener('blur', () => {
        const value = $(field.input).value;
        if (!value) return;
        const problem = field.check(value);
        setFieldError(field.input, problem ? problemText(problem) : '');
      });
    }
    // Availability of the shown venue stays current without a flood: one conditional GET (304 when
    // unchanged) every REFRESH_MS, only while the page is visible.
    setInterval(() => {
      if (document.visibilityState === 'visible' && state.location && !$('step-date').hidden) refreshStation(state.location);
    }, REFRESH_MS);
    loadCampaign();
  });
})();
