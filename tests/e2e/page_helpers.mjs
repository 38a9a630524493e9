// What both browser tests share: one headless Chromium, the people they book for, a phone-sized page
// that fails its test on any script error, and the accessibility and layout check of each step.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import axe from '@axe-core/playwright';

const AxeBuilder = axe.default ?? axe.AxeBuilder ?? axe;
const ARTIFACTS = process.env.E2E_ARTIFACTS;
export const TIMEOUT_MS = 15_000;

// Launches Chromium before the file's tests (unless `skip`) and closes it after; returns a getter.
export function useChromium(skip = false) {
  let browser;
  before(async () => {
    if (skip) return;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox'],
    });
  });
  after(async () => { await browser?.close(); });
  return () => browser;
}

// People old enough for the campaigns' rule (60 on 2021-05-26): born 1950, one id and phone each.
export function person(n, lastName = 'Ujian') {
  const serial = String(n).padStart(4, '0');
  return {
    mysejahteraId: `500101-01-${serial}`,
    firstName: 'Aminah',
    lastName: `${lastName} ${n}`,
    phoneNumber: `012-300 ${serial}`,
    address: `${n} Jalan Bangsar, 59100 Kuala Lumpur`,
  };
}

// Console errors other than the browser's note of an HTTP error status (FULL, 429...: expected here).
export function isProblem(message) {
  return message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded');
}

// A fresh phone-sized context (its own storage) on `url`, ready once `readyTestId` shows; the test
// fails if the page logs a script error or a policy violation.
export async function openPhonePage(browser, t, url, readyTestId) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => { if (isProblem(message)) problems.push(message.text()); });
  t.after(() => assert.deepEqual(problems, [], 'no script errors or policy violations'));
  await page.goto(url);
  await page.getByTestId(readyTestId).waitFor();
  return page;
}

// axe-core finds nothing serious, the step fits the width, and its screenshot is kept.
export async function checkStep(page, name) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(serious, [], `axe-core on step "${name}"`);
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, `step "${name}" scrolls sideways at this width`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
