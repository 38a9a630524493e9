// The booking page end to end: headless Chromium (Debian's, driven by playwright-core) against real
// jkjav-servers and Redis (run_e2e.sh starts them). Every wait is Playwright's, with a deadline; no
// verdict depends on how fast the machine is. axe-core checks each step; screenshots at 390 px go
// to E2E_ARTIFACTS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TIMEOUT_MS, checkStep, isProblem, openPhonePage, person, useChromium } from './page_helpers.mjs';

const BASE = process.env.JKJAV_URL;
const LIMITED = process.env.JKJAV_LIMITED_URL;
const ARTIFACTS = process.env.E2E_ARTIFACTS;

async function apiBook(base, who, location, date) {
  const response = await fetch(`${base}/booking`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...who, location, date }),
  });
  return { status: response.status, body: await response.json() };
}

const browser = useChromium();
// A fresh phone-sized page, ready to choose a state.
const openPage = (t, base = BASE) => openPhonePage(browser(), t, `${base}/`, 'state-kl');

async function chooseDate(page, state, location, date) {
  await page.getByTestId(`state-${state}`).click();
  await page.getByTestId(`location-${location}`).click();
  const button = page.getByTestId(`date-${date}`);
  await button.waitFor();
  return button;
}

async function availabilityOf(page, date) {
  return Number(await page.getByTestId(`date-${date}`).getAttribute('data-availability'));
}

function waitForAvailability(page, date, expected) {
  return page.waitForFunction(
    ([selector, value]) => document.querySelector(selector)?.dataset.availability === String(value),
    [`[data-testid="date-${date}"]`, expected], { timeout: TIMEOUT_MS });
}

async function fillForm(page, who) {
  for (const field of ['mysejahteraId', 'firstName', 'lastName', 'phoneNumber', 'address']) {
    await page.getByTestId(field).fill(who[field]);
  }
}

async function submitAndConfirm(page, who) {
  await fillForm(page, who);
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm').waitFor();
}

test('books a slot: the confirmation, then that date one lower', async (t) => {
  const page = await openPage(t);
  await checkStep(page, '1-states');
  const date = await chooseDate(page, 'kl', 'WTCKL', '20210606');
  await checkStep(page, '2-dates');
  const before = await availabilityOf(page, '20210606');
  assert.ok(before > 0);
  await date.click();
  await fillForm(page, person(1));
  await checkStep(page, '3-form');
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm').waitFor();
  await checkStep(page, '4-confirm');

  await page.getByTestId('confirm').click();
  const result = page.getByTestId('result');
  await result.getByText('Tempahan anda berjaya.').waitFor();
  assert.match(await page.getByTestId('result').getByTestId('reference').textContent(), /^JK[0-9A-Z]{6}[0-9]+$/);
  assert.match(await result.textContent(), /World Trade Centre Kuala Lumpur/);
  await waitForAvailability(page, '20210606', before - 1);
  await checkStep(page, '5-booked');
  // The README's picture (docs/booking-page-390.png is a copy): what a phone shows after booking.
  await page.getByTestId('date-20210606').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'booking-page-390.png') });
});

test('the same person again sees the booking they hold', async (t) => {
  const who = person(2);
  const first = await apiBook(BASE, who, 'WTCKL', '20210606');
  assert.equal(first.status, 200);

  const page = await openPage(t);
  await (await chooseDate(page, 'kl', 'WTCKL', '20210607')).click();
  await submitAndConfirm(page, who);
  await page.getByTestId('confirm').click();
  await page.getByTestId('result').getByText('Anda sudah mempunyai tempahan', { exact: false }).waitFor();
  await checkStep(page, '6-already-booked');
  await page.getByTestId('show-booking').click();
  await page.getByTestId('lookup-result').getByText(first.body.reference).waitFor();

  // The very slot again: the same booking, nothing new.
  await page.getByTestId('date-20210606').click();
  await submitAndConfirm(page, who);
  await page.getByTestId('confirm').click();
  await page.getByTestId('result').getByText('Tempahan anda berjaya.').waitFor();
  assert.equal(await page.getByTestId('result').getByTestId('reference').textContent(), first.body.reference);
});

test('books by keyboard alone, focus following each step', async (t) => {
  const page = await openPage(t);
  const focusIs = (id) => page.waitForFunction((wanted) => {
    const active = document.activeElement;
    return active && (active.id === wanted || active.dataset.testid === wanted);
  }, id, { timeout: TIMEOUT_MS });
  await page.getByTestId('state-kl').focus();
  await page.keyboard.press('Enter');
  await focusIs('h-location');
  await page.keyboard.press('Tab');
  await focusIs('location-WTCKL');
  await page.keyboard.press('Enter');
  await focusIs('h-date');
  await page.keyboard.press('Tab');
  await focusIs('date-20210606');
  await page.keyboard.press('Tab');
  await focusIs('date-20210607');
  await page.keyboard.press('Enter');
  await focusIs('h-form');
  const who = person(10);
  for (const field of ['mysejahteraId', 'firstName', 'lastName', 'phoneNumber', 'address']) {
    await page.keyboard.press('Tab');
    await focusIs(field);
    await page.keyboard.type(who[field]);
  }
  await page.keyboard.press('Tab');
  await focusIs('submit');
  await page.keyboard.press('Enter');
  await focusIs('h-confirm');
  await page.keyboard.press('Tab');
  await focusIs('confirm');
  await page.keyboard.press('Enter');
  await page.getByTestId('result').getByText('Tempahan anda berjaya.').waitFor();
  await focusIs('result');
});

test('a full date cannot be picked', async (t) => {
  assert.equal((await apiBook(BASE, person(3), 'WTCKL', '20210609')).status, 200);
  const page = await openPage(t);
  const full = await chooseDate(page, 'kl', 'WTCKL', '20210609');
  assert.equal(await full.isDisabled(), true);
  assert.equal(await availabilityOf(page, '20210609'), 0);
  assert.match(await full.textContent(), /Penuh/);
  assert.equal(await page.getByTestId('date-20210610').isDisabled(), false);
});

test('a slot taken between page load and submit answers FULL and refreshes availability', async (t) => {
  const page = await openPage(t);
  await (await chooseDate(page, 'kl', 'WTCKL', '20210608')).click();
  assert.equal(await availabilityOf(page, '20210608'), 1);
  await submitAndConfirm(page, person(4));

  assert.equal((await apiBook(BASE, person(5), 'WTCKL', '20210608')).status, 200);
  await page.getByTestId('confirm').click();
  await page.getByTestId('result').getByText('Tarikh ini sudah penuh.').waitFor();
  await waitForAvailability(page, '20210608', 0);
  assert.equal(await page.getByTestId('date-20210608').isDisabled(), true);
  await checkStep(page, '7-full');

  // Offered the waiting list instead: a place in the queue.
  await page.getByTestId('waitlist').click();
  await page.getByTestId('result').getByText('tempat ke-1', { exact: false }).waitFor();
});

test('429 with Retry-After: 2 makes the page wait at least 2 s before it sends again', async (t) => {
  const page = await openPage(t, LIMITED);
  await (await chooseDate(page, 'kl', 'WTCKL', '20210610')).click();
  await submitAndConfirm(page, person(6));
  const sent = [];
  const answers = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/booking') sent.push(Date.now());
  });
  page.on('response', (response) => {
    if (response.request().method() === 'POST') answers.push({ status: response.status(), retryAfter: response.headers()['retry-after'] });
  });

  // This address's one booking per 2 s goes to another person first.
  assert.equal((await apiBook(LIMITED, person(7), 'WTCKL', '20210610')).status, 200);
  await page.getByTestId('confirm').click();
  await page.getByTestId('countdown').waitFor();
  assert.equal(await page.getByTestId('confirm').isDisabled(), true, 'no second press while waiting');
  await checkStep(page, '8-waiting');
  await page.getByTestId('result').getByText('Tempahan anda berjaya.').waitFor();

  assert.deepEqual(answers, [{ status: 429, retryAfter: '2' }, { status: 200, retryAfter: undefined }]);
  assert.equal(sent.length, 2, 'one request, one retry');
  assert.ok(sent[1] - sent[0] >= 2000, `retried after ${sent[1] - sent[0]} ms`);
});

test('looks up and cancels a booking', async (t) => {
  const who = person(8);
  const booked = await apiBook(BASE, who, 'WTCKL', '20210610');
  assert.equal(booked.status, 200);
  const page = await openPage(t);
  await chooseDate(page, 'kl', 'WTCKL', '20210610');
  const before = await availabilityOf(page, '20210610');

  await page.getByTestId('lookup-id').fill(who.mysejahteraId);
  await page.getByTestId('lookup-phone').fill(who.phoneNumber);
  await page.getByTestId('lookup').click();
  await page.getByTestId('lookup-result').getByText(booked.body.reference).waitFor();
  await checkStep(page, '9-lookup');

  await page.getByTestId('cancel').click();
  await page.getByTestId('lookup-result').getByText('Batalkan tempahan ini?', { exact: false }).waitFor();
  await page.getByTestId('cancel-confirm').click();
  await page.getByTestId('lookup-result').getByText('Tempahan anda telah dibatalkan.').waitFor();
  await waitForAvailability(page, '20210610', before + 1);
  await checkStep(page, '10-cancelled');

  await page.getByTestId('lookup').click();
  await page.getByTestId('lookup-result').getByText('Tiada tempahan', { exact: false }).waitFor();
});

test('checks fields inline before sending, and explains NOT_ELIGIBLE', async (t) => {
  const page = await openPage(t);
  await (await chooseDate(page, 'kl', 'UM', '20210606')).click();
  const posts = [];
  page.on('request', (request) => { if (request.method() === 'POST') posts.push(request.url()); });
  await fillForm(page, { ...person(9), mysejahteraId: '901327-01-5527', phoneNumber: '12345' });
  await page.getByTestId('submit').click();
  await page.getByText('No. MyKad bermula dengan tarikh lahir sebenar', { exact: false }).waitFor();
  await page.getByText('Masukkan nombor telefon bimbit Malaysia', { exact: false }).waitFor();
  assert.equal(await page.getByTestId('phoneNumber').getAttribute('aria-invalid'), 'true');
  await checkStep(page, '11-invalid');
  assert.deepEqual(posts, [], 'nothing is sent while a field is wrong');

  // Born 1990: too young for this campaign's rule of 60.
  await page.getByTestId('mysejahteraId').fill('900127-01-5527');
  await page.getByTestId('phoneNumber').fill('012-345 6789');
  await page.getByTestId('submit').click();
  await page.getByTestId('confirm').click();
  await page.getByTestId('result').getByText('Anda tidak layak untuk kempen ini.').waitFor();
  assert.match(await page.getByTestId('result').textContent(), /60/);
  assert.equal(posts.length, 1);
});

test('switches to English and back, and remembers the choice', async (t) => {
  const page = await openPage(t);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ms');
  await page.getByTestId('lang').click();
  await page.getByRole('heading', { name: 'Book a vaccination appointment' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await chooseDate(page, 'kl', 'WTCKL', '20210606');
  await page.getByRole('heading', { name: '3. Choose a date' }).waitFor();
  await checkStep(page, '12-english');

  await page.reload();
  await page.getByRole('heading', { name: 'Book a vaccination appointment' }).waitFor();
  await page.getByTestId('lang').click();
  await page.getByRole('heading', { name: 'Tempahan janji temu vaksin' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('jkjav.lang')), 'ms');
});

test('a first visit stays under 60 KB and talks to this server only', async (t) => {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const requests = [];
  page.on('requestfinished', (request) => requests.push(request));
  await page.goto(`${BASE}/`);
  await page.getByTestId('state-kl').waitFor();
  await page.waitForLoadState('networkidle');
  let bytes = 0;
  for (const request of requests) {
    assert.equal(new URL(request.url()).origin, new URL(BASE).origin, request.url());
    const sizes = await request.sizes();
    bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  }
  assert.ok(bytes < 60 * 1024, `first visit: ${bytes} bytes`);
  t.diagnostic(`first visit: ${requests.length} requests, ${bytes} bytes`);
  const html = await page.request.get(`${BASE}/`);
  assert.match(html.headers()['content-security-policy'], /default-src 'self'/);
});

test('/docs shows the API and "Try it out" calls this server', async (t) => {
  const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  const origins = new Set();
  page.on('console', (message) => { if (isProblem(message)) problems.push(message.text()); });
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  await page.goto(`${BASE}/docs`);
  const operation = page.locator('#operations-availability-listLocations');
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  await operation.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor();
  assert.deepEqual([...origins], [new URL(BASE).origin]);
  assert.deepEqual(problems, []);
  await page.screenshot({ path: join(ARTIFACTS, '13-docs.png') });
});

test('a busy server at load time (503, Retry-After: 1) is asked again only after that wait', async (t) => {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  t.after(() => context.close());
  const page = await context.newPage();
  const asked = [];
  // The first /locations is answered as a server over MAX_CONNECTIONS answers; the rest reach it.
  await page.route('**/locations', async (route) => {
    asked.push(Date.now());
    if (asked.length === 1) {
      await route.fulfill({
        status: 503,
        headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
        body: '{"status":"Failed","code":"SERVER_BUSY","message":"Too many connections; try again in a moment."}',
      });
    } else {
      await route.continue();
    }
  });
  await page.goto(`${BASE}/`);
  await page.getByTestId('state-kl').waitFor();
  assert.equal(asked.length, 2);
  assert.ok(asked[1] - asked[0] >= 1000, `asked again after ${asked[1] - asked[0]} ms`);
});
