// The booking page in front of a waiting room: headless Chromium against two more jkjav-servers
// (run_e2e.sh), each with its own Redis and a `queue` section. JKJAV_QUEUE_URL admits at once;
// JKJAV_QUEUE_HELD_URL admits 2 a second and never more than its 3 slots (overAdmitFactor 1), so a
// test decides when the page waits (every slot's admission held by people the test joined through
// the API) and when it is admitted (one of them books and cancels: a slot comes back). Every wait has
// a deadline; no verdict depends on how fast the machine is, only on the order of events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT_MS, checkStep, openPhonePage, person as somebody, useChromium } from './page_helpers.mjs';

const OPEN = process.env.JKJAV_QUEUE_URL;
const HELD = process.env.JKJAV_QUEUE_HELD_URL;
const skip = !OPEN || !HELD ? 'JKJAV_QUEUE_URL / JKJAV_QUEUE_HELD_URL not set (run through run_e2e.sh)' : false;

const browser = useChromium(skip);
const person = (n) => somebody(n, 'Barisan');

// Polls `probe` until it returns something truthy, at most `timeoutMs`: the one way these tests
// wait for the server (the page's own waits are Playwright's).
async function until(probe, what, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function call(base, method, path, { body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'Content-Type': 'application/json', ...headers } : headers,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
}

const apiJoin = (base, who) => call(base, 'POST', '/queue', { body: { mysejahteraId: who.mysejahteraId } });

// Joins and waits until admitted; the ticket.
async function apiAdmitted(base, who) {
  const joined = await apiJoin(base, who);
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  return until(async () => {
    const place = await call(base, 'GET', `/queue/${joined.body.ticket}`);
    return place.body.state === 'admitted' && place.body.ticket;
  }, `${who.lastName} admitted`);
}

async function apiBook(base, who, ticket, date = '20210606') {
  const booked = await call(base, 'POST', '/booking', {
    body: { ...who, location: 'WTCKL', date }, headers: { 'X-Queue-Ticket': ticket },
  });
  assert.equal(booked.status, 200, JSON.stringify(booked.body));
  return booked.body;
}

// A fresh phone-sized page (its own sessionStorage), showing the waiting room.
const openQueuePage = (t, base) => openPhonePage(browser(), t, `${base}/`, 'queue-id');

async function takePlace(page, who) {
  await page.getByTestId('queue-id').fill(who.mysejahteraId);
  await page.getByTestId('queue-join').click();
}

const queueState = (page, state) => page.locator(`[data-testid="queue-state"][data-state="${state}"]`).waitFor();
const keptTicket = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('jkjav.queue') || 'null'));
const isStatusPoll = (request) => request.method() === 'GET' && new URL(request.url()).pathname.startsWith('/queue/');

// Admitted: the booking steps, the id already the queued person's (read-only), the rest typed.
async function bookOnPage(page, who, { date = '20210606' } = {}) {
  await page.getByTestId('state-kl').click();
  await page.getByTestId('location-WTCKL').click();
  await page.getByTestId(`date-${date}`).click();
  assert.equal(await page.getByTestId('mysejahteraId').inputValue(), who.mysejahteraId);
  assert.equal(await page.getByTestId('mysejahteraId').getAttribute('readonly'), '');
  for (const field of ['firstName', 'lastName', 'phoneNumber', 'address']) await page.getByTestId(field).fill(who[field]);
  await page.getByTestId('submit').click();
  const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/booking');
  await page.getByTestId('confirm').click();
  return sent;
}

test('admitted at once: the queue first, then the form, booking with the ticket', { skip }, async (t) => {
  const locations = await call(OPEN, 'GET', '/locations');
  assert.equal(locations.body.queue.opensAt, '2021-05-26T04:00:00Z');
  const page = await openQueuePage(t, OPEN);
  assert.equal(await page.getByTestId('state-kl').isVisible(), false, 'no booking steps before a place in line');
  await checkStep(page, 'q1-join');

  const who = person(301);
  const joined = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/queue');
  await takePlace(page, who);
  assert.equal((await joined).status(), 200);
  await queueState(page, 'admitted');
  await page.getByTestId('queue-status').getByText('Giliran anda', { exact: false }).waitFor();
  assert.equal(await page.getByRole('progressbar').getAttribute('value'), '1');
  await checkStep(page, 'q2-admitted');

  const kept = await keptTicket(page);
  assert.equal(kept.id, who.mysejahteraId);
  const request = await bookOnPage(page, who);
  assert.equal(request.headers()['x-queue-ticket'], kept.ticket, 'the booking carries the admitted ticket');
  await page.getByTestId('result').getByText('Tempahan anda berjaya.').waitFor();
  assert.equal(await keptTicket(page), null, 'a used admission is not kept');
  assert.equal(await page.getByTestId('queue').isVisible(), false);
});

test('a reload keeps the place; a forged ticket is forgotten and joining is offered again', { skip }, async (t) => {
  const page = await openQueuePage(t, OPEN);
  const who = person(302);
  await takePlace(page, who);
  await queueState(page, 'admitted');
  const kept = await keptTicket(page);

  const joins = [];
  const polls = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/queue') joins.push(r.url());
    if (isStatusPoll(r)) polls.push(decodeURIComponent(new URL(r.url()).pathname.slice('/queue/'.length)));
  });
  await page.reload();
  await queueState(page, 'admitted');
  assert.deepEqual(joins, [], 'a reload does not join again');
  assert.equal(polls[0], kept.ticket, 'it asks about the kept ticket');
  await page.getByTestId('state-kl').waitFor();

  // An altered ticket: 400 INVALID_TICKET. Forgotten, and the join form is back, saying why.
  // (A character inside the signature, not its last: that one's low bits may be padding.)
  const at = kept.ticket.length - 5;
  const forged = `${kept.ticket.slice(0, at)}${kept.ticket[at] === 'A' ? 'B' : 'A'}${kept.ticket.slice(at + 1)}`;
  await page.evaluate((ticket) => {
    const saved = JSON.parse(sessionStorage.getItem('jkjav.queue'));
    sessionStorage.setItem('jkjav.queue', JSON.stringify({ ...saved, ticket }));
  }, forged);
  await page.reload();
  await page.getByTestId('queue-result').getByText('Tiket barisan anda tidak sah lagi', { exact: false }).waitFor();
  assert.equal(await page.getByTestId('queue-join').isVisible(), true);
  assert.equal(await keptTicket(page), null);
  assert.equal(await page.getByTestId('state-kl').isVisible(), false);
  await takePlace(page, who);
  await queueState(page, 'admitted');
  // The same place (member and rank): a ticket handed back with its first `admitted` answer is also
  // marked as measured (docs/observability.md, the estimate error), so the bytes may differ.
  const place = (ticket) => ticket.split('.').slice(1, 3).join('.');
  assert.equal(place((await keptTicket(page)).ticket), place(kept.ticket), 'one place per person: the same place');
});

test('joining while holding a booking (409 ALREADY_BOOKED) shows the lookup', { skip }, async (t) => {
  const who = person(303);
  const booked = await apiBook(OPEN, who, await apiAdmitted(OPEN, who), '20210607');
  const page = await openQueuePage(t, OPEN);
  await takePlace(page, who);
  await page.getByTestId('queue-result').getByText('Anda sudah mempunyai tempahan', { exact: false }).waitFor();
  await page.getByTestId('show-lookup').click();
  assert.equal(await page.getByTestId('lookup-id').inputValue(), who.mysejahteraId);
  await page.getByTestId('lookup-phone').fill(who.phoneNumber);
  await page.getByTestId('lookup').click();
  await page.getByTestId('lookup-result').getByText(booked.reference).waitFor();
});

test('prequeue shows the draw time in words; a busy status (503, Retry-After: 2) is asked again only after 2 s', { skip }, async (t) => {
  const page = await openQueuePage(t, OPEN);
  // Answers as a queue before opening would give them (this server's queue opened in 2021).
  const prequeue = { ticket: 'e2e.prequeue.ticket', state: 'prequeue', ahead: 41, estimatedWaitSeconds: 7500 };
  await page.route('**/queue', (route) => route.fulfill({
    status: 200, headers: { 'Retry-After': '1', 'Content-Type': 'application/json' }, body: JSON.stringify(prequeue),
  }));
  const asked = [];
  await page.route('**/queue/*', (route) => {
    asked.push(Date.now());
    if (asked.length === 1) {
      return route.fulfill({
        status: 503, headers: { 'Retry-After': '2', 'Content-Type': 'application/json' },
        body: '{"status":"Failed","code":"STORE_UNAVAILABLE","message":"The store is unreachable."}',
      });
    }
    return route.fulfill({
      status: 200, headers: { 'Retry-After': '30', 'Content-Type': 'application/json' }, body: JSON.stringify(prequeue),
    });
  });
  await takePlace(page, person(304));
  await queueState(page, 'prequeue');
  const status = page.getByTestId('queue-status');
  assert.match(await status.textContent(), /Cabutan dibuat pada .*2021/);
  await page.getByTestId('queue-figures').getByText('41 orang lain dalam cabutan yang sama.').waitFor();
  await page.getByTestId('queue-figures').getByText('kira-kira 2 jam 5 minit', { exact: false }).waitFor();
  await page.getByTestId('queue-figures').getByText('Pelayan sibuk', { exact: false }).waitFor();
  await until(() => asked.length >= 2, 'the status asked again');
  assert.ok(asked[1] - asked[0] >= 2000, `asked again after ${asked[1] - asked[0]} ms`);
  await page.getByTestId('queue-figures').getByText('Pelayan sibuk', { exact: false }).waitFor({ state: 'detached' });

  await page.getByTestId('lang').click();
  await page.getByTestId('queue-status').getByText('The draw happens at', { exact: false }).waitFor();
  await page.getByTestId('queue-figures').getByText('about 2 hours 5 minutes', { exact: false }).waitFor();
});

// The held room (3 slots, admissions never past the slots left), its story one step after another on one Redis: each step starts from the state the
// one before left (people holding every admission, then the last slots booked), so they are
// subtests of one test, run in this order, never apart.
test('the held room, in order: waiting, admitted, sold out, the waitlist offer', { skip }, async (t) => {
  await t.test('waiting while every slot is held, polling only as Retry-After says, then admitted and booking', async (t) => {
    const holders = [person(201), person(202), person(203)];
    const tickets = [];
    for (const who of holders) tickets.push(await apiAdmitted(HELD, who));

    const page = await openQueuePage(t, HELD);
    const polls = [];
    page.on('requestfinished', async (request) => {
      if (!isStatusPoll(request)) return;
      const response = await request.response();
      polls.push({ startedAt: request.timing().startTime, retryAfter: Number(response.headers()['retry-after']) });
    });
    const who = person(204);
    await takePlace(page, who);
    await queueState(page, 'waiting');
    await page.getByTestId('queue-status').getByText('Anda di hadapan barisan.').waitFor();
    const bar = page.getByRole('progressbar', { name: 'Kemajuan ke hadapan barisan' });
    assert.ok(await bar.isVisible());
    // Joined at the front (nobody ahead, held by the cap): the last step, admission, still to come.
    assert.deepEqual([await bar.getAttribute('value'), await bar.getAttribute('max')], ['0', '1']);
    assert.match(await page.getByTestId('queue-figures').textContent(), /Anggaran masa menunggu: (kurang daripada seminit|kira-kira \d+)/);
    assert.equal(await page.getByTestId('state-kl').isVisible(), false, 'no form while waiting');
    await checkStep(page, 'q3-waiting');

    // Four polls in a row: each at least its predecessor's Retry-After after it, never sooner.
    await until(() => polls.length >= 4, 'four status polls', 4 * TIMEOUT_MS);
    const window = polls.slice(0, 4);
    for (let i = 1; i < window.length; i++) {
      const gap = window[i].startedAt - window[i - 1].startedAt;
      assert.ok(window[i - 1].retryAfter >= 1, `poll ${i}: Retry-After ${window[i - 1].retryAfter}`);
      assert.ok(gap >= window[i - 1].retryAfter * 1000, `poll ${i + 1} came ${gap} ms after poll ${i} (Retry-After ${window[i - 1].retryAfter})`);
    }
    t.diagnostic(`polls: ${window.map((p) => `${Math.round(p.startedAt)}+${p.retryAfter}s`).join(', ')}`);

    // A slot comes back (booked and cancelled): the cap lets one more in, the page.
    await apiBook(HELD, holders[0], tickets[0]);
    const phone = encodeURIComponent(holders[0].phoneNumber);
    const cancelled = await call(HELD, 'DELETE', `/booking/${holders[0].mysejahteraId}?phoneNumber=${phone}`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    await queueState(page, 'admitted');
    const kept = await keptTicket(page);
    const request = await bookOnPage(page, who);
    assert.equal(request.headers()['x-queue-ticket'], kept.ticket);
    await page.getByTestId('result').getByText('Tempahan anda berjaya.').waitFor();
  });

  await t.test('sold out through the API: the waiting page turns to "sold out"', async (t) => {
    // Two slots left, both held by admitted people from the test above: the page waits.
    const page = await openQueuePage(t, HELD);
    await takePlace(page, person(205));
    await queueState(page, 'waiting');
    for (const who of [person(202), person(203)]) {
      const again = await apiJoin(HELD, who); // the same place and its ticket
      assert.equal(again.body.state, 'admitted');
      await apiBook(HELD, who, again.body.ticket);
    }
    await queueState(page, 'closed');
    await page.getByTestId('queue-status').getByText('Semua slot telah habis ditempah.').waitFor();
    assert.equal(await page.getByTestId('state-kl').isVisible(), false);
    await checkStep(page, 'q4-sold-out');
  });

  await t.test('sold out with the waitlist offered: a full date\'s waitlist, with the ticket', async (t) => {
    const who = person(206);
    const joined = await apiJoin(HELD, who);
    assert.equal(joined.body.state, 'closed');
    assert.equal(joined.body.reason, 'SOLD_OUT');
    assert.equal(joined.body.waitlist, true, 'the campaign offers its waitlist to the line (offerWaitlist)');
    const page = await openQueuePage(t, HELD);
    await takePlace(page, who);
    await queueState(page, 'closed');
    await page.getByTestId('queue-waitlist').click();
    await page.getByTestId('state-kl').click();
    await page.getByTestId('location-WTCKL').click();
    const full = page.getByTestId('date-20210606');
    assert.equal(await full.isDisabled(), false, 'a full date is the one to choose');
    await full.click();
    for (const field of ['firstName', 'lastName', 'phoneNumber', 'address']) await page.getByTestId(field).fill(who[field]);
    await page.getByTestId('submit').click();
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/booking');
    await page.getByTestId('confirm').click();
    const request = await sent;
    assert.equal(JSON.parse(request.postData()).waitlist, true);
    assert.equal(request.headers()['x-queue-ticket'], joined.body.ticket);
    await page.getByTestId('result').getByText('tempat ke-1', { exact: false }).waitFor();
  });
});
