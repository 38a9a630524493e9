// Contract test: real requests against a running jkjav-server, every response checked against what
// openapi/openapi.json declares for its path, method and status (body schema, media type, headers).
//
//   JKJAV_URL=http://127.0.0.1:3111 node --test tests/contract/
//
// The server should run with tests/contract/campaign.json: the test needs a location with at least
// two dates that are not sold out, a slot with at most a few places left (TINY) to produce FULL and
// waitlists, one-place dates at WAIT to see a cancelled booking go to the people waiting for it, and
// the campaign's eligibility rule (60 and over on 2021-05-26, MyKad numbers only).
// Every person it books has a fresh random id, so it can run again and again on the same Redis:
// TINY stays full for good; the waitlist test leaves its WAIT date free again when it passes (an
// interrupted run may leave one taken, and the next run takes the next free one).

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { before, describe, test } from 'node:test';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const REQUEST_TIMEOUT_MS = 5_000;
const READY_DEADLINE_MS = 30_000;
const TEST_TIMEOUT_MS = 30_000;
const bounded = { timeout: TEST_TIMEOUT_MS };

const baseUrl = process.env.JKJAV_URL?.replace(/\/+$/, '');
const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));

// --- The document, as schemas -------------------------------------------------------------------

const DOC_ID = 'openapi.json';
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
// The whole document is added as one schema so that pointers into it (and the $refs of its schemas
// to #/components/schemas/...) resolve; its top-level OpenAPI fields are not JSON Schema keywords,
// so strict mode is told they are plain annotations.
ajv.addVocabulary(Object.keys(doc));
ajv.addSchema(doc, DOC_ID);

const validators = new Map();
/** A validator for the schema at a JSON pointer into the document ($refs inside resolve against it). */
function validatorAt(pointer) {
  if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: `${DOC_ID}#${pointer}` }));
  return validators.get(pointer);
}

const escapeToken = (token) => String(token).replaceAll('~', '~0').replaceAll('/', '~1');
const pointerTo = (...tokens) => tokens.map((t) => `/${escapeToken(t)}`).join('');

function nodeAt(pointer) {
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    assert.ok(node !== null && typeof node === 'object' && token in node, `the document has no ${pointer}`);
    node = node[token];
  }
  return node;
}

/** Follows local $refs (responses, headers, parameters); returns the node and where it really is. */
function resolve(pointer) {
  for (let hops = 0; hops < 10; hops++) {
    const node = nodeAt(pointer);
    if (typeof node?.$ref !== 'string') return { node, pointer };
    assert.ok(node.$ref.startsWith('#/'), `only local $refs are expected, not ${node.$ref}`);
    pointer = node.$ref.slice(1);
  }
  assert.fail(`$ref chain too long at ${pointer}`);
}

function assertValid(pointer, value, what) {
  const validate = validatorAt(pointer);
  if (!validate(value)) {
    assert.fail(
      `${what} does not match ${pointer}:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n` +
        `value: ${JSON.stringify(value)}`,
    );
  }
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The document's response for an operation and status; fails unless the status is documented. */
function operationResponse(path, method, status) {
  const pathItem = doc.paths[path];
  assert.ok(pathItem, `the document has no path ${path}`);
  const operation = pathItem[method.toLowerCase()];
  assert.ok(operation, `the document has no ${method.toUpperCase()} ${path}`);
  assert.ok(
    String(status) in operation.responses,
    `${method.toUpperCase()} ${path} answered ${status}, which the document does not list ` +
      `(it lists ${Object.keys(operation.responses).join(', ')})`,
  );
  return resolve(pointerTo('paths', path, method.toLowerCase(), 'responses', String(status)));
}

/** A response any request can get, documented once under x-common-responses. */
function commonResponse(status) {
  assert.ok(
    String(status) in doc['x-common-responses'],
    `status ${status} is not among the document's x-common-responses`,
  );
  return resolve(pointerTo('x-common-responses', String(status)));
}

function headerValue(schema, text) {
  return schema?.type === 'integer' && /^-?[0-9]+$/.test(text) ? Number(text) : text;
}

/**
 * Checks a response against the documented one: headers (required ones present, values valid),
 * media type, and the body against the schema. Returns the parsed body (undefined when none).
 * With head, a response to HEAD, checked against what its GET documents: the same headers and
 * media type, and no body.
 */
function checkAgainst(documented, res, what, { head = false } = {}) {
  const { node: response, pointer } = documented;
  for (const name of Object.keys(response.headers ?? {})) {
    const { node: header, pointer: headerPointer } = resolve(`${pointer}/headers/${escapeToken(name)}`);
    const value = res.headers.get(name);
    if (value === null) {
      assert.ok(!header.required, `${what}: the documented header ${name} is missing`);
      continue;
    }
    assertValid(`${headerPointer}/schema`, headerValue(header.schema, value), `${what}: header ${name}`);
  }

  const content = response.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    assert.equal(res.text, '', `${what}: the document declares no body, but one came`);
    return undefined;
  }
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  assert.ok(
    mediaTypes.includes(contentType),
    `${what}: Content-Type '${contentType}' is not one of the documented ${mediaTypes.join(', ')}`,
  );
  if (head) {
    assert.equal(res.text, '', `${what}: HEAD answered with a body`);
    return undefined;
  }
  if (contentType.startsWith('text/')) {
    // Not JSON (GET /metrics): the text itself is checked against the schema (a string).
    assertValid(`${pointer}/content/${escapeToken(contentType)}/schema`, res.text, `${what}: body`);
    return res.text;
  }
  let body;
  try {
    body = JSON.parse(res.text);
  } catch (error) {
    assert.fail(`${what}: the body is not JSON (${error.message}): ${res.text.slice(0, 200)}`);
  }
  assertValid(`${pointer}/content/${escapeToken(contentType)}/schema`, body, `${what}: body`);
  return body;
}

/** The JSON pointer of the first place where two JSON values differ, or null. */
function firstDifference(a, b, pointer) {
  if (a === b) return null;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return pointer || '/';
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in a) || !(key in b)) return `${pointer}/${escapeToken(key)}`;
    const difference = firstDifference(a[key], b[key], `${pointer}/${escapeToken(key)}`);
    if (difference !== null) return difference;
  }
  return null;
}

// --- HTTP ---------------------------------------------------------------------------------------

/** fetch, with a timeout; the body read as text. headers is a Headers object. */
async function request(method, path, { headers = {}, body } = {}) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/**
 * Sends bytes on a fresh connection and reads until the server closes it or the timeout passes.
 * For what fetch will not send (malformed HTTP) or must be sent in one go (an oversized body).
 */
function rawExchange(bytes) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    let closedByServer = false;
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) || 80 });
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => (closedByServer = true));
    socket.on('error', (error) => {
      // A reset after the answer arrived still counts as the server closing the connection.
      if (chunks.length === 0) reject(error);
      else closedByServer = true;
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no complete HTTP response: ${JSON.stringify(raw.toString())}`));
      const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] ([0-9]{3}) /.exec(statusLine)?.[1]);
      const headers = new Headers();
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const length = headers.get('content-length');
      const end = length === null ? raw.length : split + 4 + Number(length);
      const text = raw.subarray(split + 4, end).toString('utf8');
      resolvePromise({ status, headers, text, closedByServer });
    });
  });
}

/**
 * A request to a documented operation, checked against the document. HEAD is checked against the
 * GET of the same path (HTTP semantics: the same status and headers, no body).
 */
async function call(method, path, template, options = {}) {
  const res = await request(method, path, options);
  const head = method.toUpperCase() === 'HEAD';
  const documented = operationResponse(template, head ? 'GET' : method, res.status);
  return { ...res, body: checkAgainst(documented, res, `${method} ${path} -> ${res.status}`, { head }) };
}

const postBooking = (booking, headers = { 'content-type': 'application/json' }) =>
  call('POST', '/booking', '/booking', {
    headers,
    body: typeof booking === 'string' ? booking : JSON.stringify(booking),
  });

// --- Test data ----------------------------------------------------------------------------------

const pad2 = (n) => String(n).padStart(2, '0');
const randomDigits = (count) => Array.from({ length: count }, () => randomInt(10)).join('');

/**
 * A fresh MyKad number: YYMMDD and 6 digits. By default of someone born 1930-1959 (the campaign is
 * for 60 and over), on a day <= 28, real in any month; born sets YY, mmdd the month and day.
 */
function newMyKad({ dashes = false, born = 30 + randomInt(30), mmdd } = {}) {
  const yymmdd = `${pad2(born)}${mmdd ?? `${pad2(randomInt(1, 13))}${pad2(randomInt(1, 29))}`}`;
  const rest = randomDigits(6);
  return dashes ? `${yymmdd}-${rest.slice(0, 2)}-${rest.slice(2)}` : `${yymmdd}${rest}`;
}

/** A fresh passport-style id, lower-case (ids are taken in any case). */
function newPassportId() {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return `${letters[randomInt(26)]}${letters[randomInt(26)]}${randomDigits(8)}`;
}

function bookingFor(slot, overrides = {}) {
  return {
    mysejahteraId: newMyKad(),
    firstName: 'Siti',
    lastName: 'Aminah',
    address: '12 Jalan Tun Ismail, 50480 Kuala Lumpur',
    location: slot.location,
    phoneNumber: '+6012-345 6789',
    date: slot.date,
    ...overrides,
  };
}

// --- The campaign, as the server sees it ---------------------------------------------------------

let campaign; // the body of GET /locations
let open; // a location with two dates that are not sold out: { location, dates: [d1, d2] }
let scarce; // the slot with the fewest places left: { location, date, availability }
let waitDates; // the dates of WAIT (one place each) not taken yet, in order

before(async () => {
  assert.ok(baseUrl, 'set JKJAV_URL to the base URL of a running jkjav-server, e.g. http://127.0.0.1:3111');

  // Wait for readiness: the server may have just started.
  const deadline = Date.now() + READY_DEADLINE_MS;
  let last = 'no answer';
  for (;;) {
    try {
      const res = await request('GET', '/readyz');
      if (res.status === 200) break;
      last = `${res.status} ${res.text}`;
    } catch (error) {
      last = error.message;
    }
    assert.ok(Date.now() < deadline, `${baseUrl}/readyz not ready within ${READY_DEADLINE_MS} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // Only to find slots to book: the response itself is checked by the /locations test, so that a
  // mismatch there fails that test rather than every test.
  const res = await request('GET', '/locations');
  assert.equal(res.status, 200, `GET /locations: ${res.text}`);
  campaign = JSON.parse(res.text);
  for (const location of campaign.locations) {
    const openDates = location.dates.filter((d) => d.availability > 0).map((d) => d.date);
    if (!open && openDates.length >= 2) open = { location: location.code, dates: openDates };
    for (const d of location.dates) {
      if (!scarce || d.availability < scarce.availability) {
        scarce = { location: location.code, date: d.date, availability: d.availability };
      }
    }
  }
  assert.ok(open, 'the campaign needs a location with two dates that are not sold out');
  const wait = campaign.locations.find((location) => location.code === 'WAIT');
  waitDates = (wait?.dates ?? []).filter((d) => d.availability === 1).map((d) => d.date);
});

// --- The tests ----------------------------------------------------------------------------------

describe('the document', () => {
  test('GET /openapi.json serves the document in the repository', bounded, async () => {
    const res = await call('GET', '/openapi.json', '/openapi.json');
    assert.equal(res.status, 200);
    const where = firstDifference(res.body, doc, '');
    assert.equal(where, null, `the served document differs from openapi/openapi.json at ${where}: rebuild`);
  });

  test('every example matches its schema', () => {
    let checked = 0;
    const visit = (node, pointer) => {
      if (node === null || typeof node !== 'object') return;
      // A schema's own examples (a list), and the examples of a media type, parameter or header.
      if (Array.isArray(node.examples)) {
        for (const [i, value] of node.examples.entries()) {
          assertValid(pointer, value, `the example ${pointer}/examples/${i}`);
          checked++;
        }
      } else if (node.schema && typeof node.schema === 'object') {
        if (node.example !== undefined) {
          assertValid(`${pointer}/schema`, node.example, `the example at ${pointer}`);
          checked++;
        }
        for (const name of Object.keys(node.examples ?? {})) {
          const { node: example } = resolve(`${pointer}/examples/${escapeToken(name)}`);
          assertValid(`${pointer}/schema`, example.value, `the example ${pointer}/examples/${name}`);
          checked++;
        }
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${pointer}/${escapeToken(key)}`);
    };
    visit(doc, '');
    assert.ok(checked > 40, `only ${checked} examples found`);
  });
});

describe('operations', () => {
  test('GET /healthz', bounded, async () => {
    const res = await call('GET', '/healthz', '/healthz');
    assert.equal(res.status, 200);
  });

  test('GET /metrics: the Prometheus text format', bounded, async () => {
    const res = await call('GET', '/metrics', '/metrics');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(res.body, /^# TYPE jkjav_bookings_total counter$/m);
  });

  test('GET /readyz', bounded, async () => {
    const res = await call('GET', '/readyz', '/readyz');
    assert.equal(res.status, 200);
    const { outboxBacklog, ...rest } = res.body;
    assert.deepEqual(rest, { status: 'READY', store: 'UP', campaign: 'OPEN', draining: false });
    assert.ok(outboxBacklog === null || Number.isInteger(outboxBacklog));
  });
});

describe('availability', () => {
  test('GET /locations', bounded, async () => {
    const res = await call('GET', '/locations', '/locations');
    assert.equal(res.status, 200);
    assert.equal(res.body.queue, undefined, 'no waiting room without a queue section');
    const stateKeys = new Set(res.body.states.map((s) => s.key));
    for (const location of res.body.locations) {
      if (stateKeys.size > 0) assert.ok(stateKeys.has(location.state), `${location.code}: unknown state`);
      const dates = location.dates.map((d) => d.date);
      assert.deepEqual(dates, [...dates].sort(), `${location.code}: dates not in order`);
      const total = location.dates.reduce((sum, d) => sum + d.availability, 0);
      assert.equal(location.availability, total, `${location.code}: availability is not the sum of its dates`);
    }
  });

  test('GET /stations/{location}', bounded, async () => {
    for (const location of campaign.locations) {
      const res = await call('GET', `/stations/${location.code}`, '/stations/{location}');
      assert.equal(res.status, 200);
      assert.ok(res.body.every((entry) => entry.location === location.code));
      assert.deepEqual(
        res.body.map((entry) => entry.date),
        location.dates.map((d) => d.date),
        `${location.code}: not the dates /locations lists, in order`,
      );
    }
  });

  for (const [path, template] of [
    [null, '/stations/{location}'],
    ['/locations', '/locations'],
  ]) {
    test(`GET ${template} with If-None-Match: 304`, bounded, async () => {
      const target = path ?? `/stations/${open.location}`;
      // Bookings elsewhere may change the figures between the two requests: a few tries at most.
      let res;
      for (let attempt = 0; attempt < 5; attempt++) {
        const first = await call('GET', target, template);
        assert.equal(first.status, 200);
        const etag = first.headers.get('etag');
        res = await call('GET', target, template, { headers: { 'if-none-match': etag } });
        if (res.status === 304) {
          assert.equal(res.headers.get('etag'), etag);
          break;
        }
      }
      assert.equal(res.status, 304);
    });
  }

  test('GET /stations/{location} for an unknown location: 404', bounded, async () => {
    const res = await call('GET', `/stations/NOPE${randomDigits(6)}`, '/stations/{location}');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'UNKNOWN_LOCATION');
  });
});

describe('POST /booking', () => {
  test('a MyKad booking: 200, then the same again: 200 with the same booking', bounded, async () => {
    const slot = { location: open.location, date: open.dates[0] };
    const sent = bookingFor(slot, { mysejahteraId: newMyKad({ dashes: true }), firstName: '  Siti ' });
    assertValid('/components/schemas/BookingRequest', sent, 'the request');

    const first = await postBooking(sent);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.mysejahteraId, sent.mysejahteraId.replaceAll('-', ''));
    assert.equal(first.body.firstName, 'Siti');
    assert.equal(first.body.phoneNumber, '+60123456789');
    assert.equal(first.body.location, slot.location);
    assert.equal(first.body.date, slot.date);

    // Written differently (no dashes), it is the same person asking for the same slot.
    const again = await postBooking({ ...sent, mysejahteraId: sent.mysejahteraId.replaceAll('-', '') });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, first.body);
  });

  test('extra fields ignored; waitlist on a slot with room just books it: 200', bounded, async () => {
    const sent = bookingFor({ location: open.location, date: open.dates[1] }, { waitlist: true });
    const res = await postBooking({ ...sent, comment: 'ignored' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.mysejahteraId, sent.mysejahteraId);
    assert.equal(res.body.date, open.dates[1]);
  });

  test('the same person, another slot: 409 ALREADY_BOOKED', bounded, async () => {
    const sent = bookingFor({ location: open.location, date: open.dates[0] });
    const first = await postBooking(sent);
    assert.equal(first.status, 200, first.text);
    const res = await postBooking({ ...sent, date: open.dates[1] });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'ALREADY_BOOKED');
  });

  test('a sold-out slot: 409 FULL', bounded, async () => {
    assert.ok(
      scarce.availability <= 5,
      `no slot has 5 places or fewer left (the fewest: ${JSON.stringify(scarce)}); ` +
        'run the server with tests/contract/campaign.json, whose TINY location has one',
    );
    // Book the places left, then one more; an earlier run (or anyone else) may already have taken
    // them, so any of these may be FULL, and the last one must be.
    const codes = [];
    let res;
    for (let i = 0; i <= scarce.availability; i++) {
      res = await postBooking(bookingFor(scarce));
      assert.ok(res.status === 200 || res.status === 409, `${res.status}: ${res.text}`);
      codes.push(res.status === 200 ? 'BOOKED' : res.body.code);
    }
    assert.equal(res.status, 409, `the slot never filled: ${codes.join(', ')}`);
    assert.equal(res.body.code, 'FULL');
  });

  test('a slot the campaign does not offer: 422 UNKNOWN_SLOT', bounded, async () => {
    const offered = new Set(campaign.locations.find((l) => l.code === open.location).dates.map((d) => d.date));
    const notOffered = ['20991231', '20991230'].find((d) => !offered.has(d));
    for (const slot of [
      { location: open.location, date: notOffered },
      { location: `NOPE${randomDigits(6)}`, date: open.dates[0] },
    ]) {
      const res = await postBooking(bookingFor(slot));
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.code, 'UNKNOWN_SLOT');
    }
  });

  test('invalid fields: 400 INVALID_REQUEST listing each one', bounded, async () => {
    const sent = {
      mysejahteraId: '901332-01-5527', // month 13
      firstName: '   ',
      lastName: 42,
      address: '1 Jalan Ampang', // the one good field
      location: 'PW TC',
      phoneNumber: '12-345',
      date: '20210230',
    };
    const res = await postBooking(sent);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.deepEqual(
      res.body.errors.map((e) => e.field).sort(),
      ['date', 'firstName', 'lastName', 'location', 'mysejahteraId', 'phoneNumber'],
    );

    const empty = await postBooking({});
    assert.equal(empty.status, 400, empty.text);
    assert.equal(empty.body.errors.length, 7);
  });

  test('text that looks like something else: 400 INVALID_REQUEST naming the field', bounded, async () => {
    const slot = { location: open.location, date: open.dates[0] };
    for (const [field, value, why] of [
      ['firstName', 'Siti\u202Enimda', 'a direction override'],
      ['firstName', '\u200B\u200B', 'only zero-width spaces'],
      ['lastName', '\u2800', 'only a braille blank'],
      ['lastName', '\u00A0\u3000', 'only non-ASCII spaces'],
      ['address', 'Jalan 1\u2028Jalan 2', 'a line separator'],
      ['address', '\uFEFF12 Jalan Ampang', 'a byte-order mark'],
      ['mysejahteraId', '90012701552', 'a MyKad number one digit short'],
      ['mysejahteraId', '900127015527A', 'a MyKad number with a letter added'],
      ['phoneNumber', '03-2123 4567', 'a landline: no SMS'],
    ]) {
      const res = await postBooking(bookingFor(slot, { [field]: value }));
      assert.equal(res.status, 400, `${why}: ${res.text}`);
      assert.equal(res.body.code, 'INVALID_REQUEST', why);
      assert.deepEqual(res.body.errors.map((e) => e.field), [field], why);
    }
  });

  test('a body that is not a JSON object: 400 MALFORMED_JSON', bounded, async () => {
    for (const body of ['{"mysejahteraId": ', '[1, 2]', '"text"']) {
      const res = await postBooking(body);
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'MALFORMED_JSON');
    }
  });

  test('not application/json: 415', bounded, async () => {
    const body = JSON.stringify(bookingFor({ location: open.location, date: open.dates[0] }));
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await postBooking(body, { 'content-type': contentType });
      assert.equal(res.status, 415, res.text);
      assert.equal(res.body.code, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  test('a body over 8 KiB: 413, and the connection is closed', bounded, async () => {
    const slot = { location: open.location, date: open.dates[0] };
    const body = JSON.stringify(bookingFor(slot, { address: 'x'.repeat(9000) }));
    const { host } = new URL(baseUrl);
    const res = await rawExchange(
      `POST /booking HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    assert.equal(res.status, 413, res.text);
    const parsed = checkAgainst(operationResponse('/booking', 'POST', 413), res, 'POST /booking -> 413');
    assert.equal(parsed.code, 'PAYLOAD_TOO_LARGE');
    assert.ok(res.closedByServer, 'the server kept the connection open');
  });
});

const TINY = { location: 'TINY', date: '20210601' };

/** Books the last places of a slot with a few left (or finds it full already) until it is FULL. */
async function fill(slot) {
  for (let i = 0; i < 5; i += 1) {
    const res = await postBooking(bookingFor(slot));
    if (res.status === 409 && res.body.code === 'FULL') return;
    assert.equal(res.status, 200, res.text);
  }
  assert.fail(`${slot.location} ${slot.date} did not fill up`);
}

/** /booking/{id}?phoneNumber=..., the phone number written as given (encode it first if need be). */
const bookingPath = (id, phone) =>
  `/booking/${encodeURIComponent(id)}${phone === undefined ? '' : `?phoneNumber=${phone}`}`;
const lookup = (method, id, phone) => call(method, bookingPath(id, phone), '/booking/{mysejahteraId}');
const fieldsOf = (res) => res.body.errors.map((e) => e.field);

describe('eligibility', () => {
  // tests/contract/campaign.json: 60 and over on 2021-05-26 (its referenceDate), MyKad numbers only.
  const slot = () => ({ location: open.location, date: open.dates[0] });

  test('too young on the reference date, or no MyKad number: 403 NOT_ELIGIBLE', bounded, async () => {
    for (const [mysejahteraId, who] of [
      [newMyKad({ born: 90 }), 'born in 1990'],
      [newMyKad({ born: 61, mmdd: '0527' }), 'turning 60 the day after the reference date'],
      [newMyKad({ born: 21, mmdd: '0101', dashes: true }), "'210101', on or before the reference date: 2021"],
      [newPassportId(), 'a passport-type id'],
    ]) {
      for (const waitlist of [false, true]) {
        const res = await postBooking(bookingFor(slot(), { mysejahteraId, waitlist }));
        assert.equal(res.status, 403, `${who}: ${res.text}`);
        assert.equal(res.body.code, 'NOT_ELIGIBLE', who);
      }
      const stored = await lookup('GET', mysejahteraId, '%2B60123456789');
      assert.equal(stored.status, 404, `${who}: refused, but booked all the same`);
    }
  });

  test('old enough on the reference date: 200', bounded, async () => {
    for (const [mysejahteraId, who] of [
      [newMyKad({ born: 61, mmdd: '0526' }), 'turning 60 on the reference date'],
      [newMyKad({ born: 21, mmdd: '0527' }), "'210527', after the reference date in 2021: 1921"],
      [newMyKad({ born: 22 }), "'22', after the reference date in 2022: 1922"],
    ]) {
      const res = await postBooking(bookingFor(slot(), { mysejahteraId }));
      assert.equal(res.status, 200, `${who}: ${res.text}`);
      assert.equal(res.body.mysejahteraId, mysejahteraId);
    }
  });
});

describe('waitlist', () => {
  test('a full slot with waitlist: 202 WAITLISTED, asked again the same place; no booking', bounded, async () => {
    await fill(TINY);
    const sent = bookingFor(TINY, { waitlist: true, phoneNumber: '011-2223 3344' });
    assertValid('/components/schemas/BookingRequest', sent, 'the request');
    const first = await postBooking(sent);
    assert.equal(first.status, 202, first.text);
    assert.equal(first.body.status, 'Waitlisted');
    assert.equal(first.body.code, 'WAITLISTED');
    assert.equal(first.body.location, TINY.location);
    assert.equal(first.body.date, TINY.date);
    assert.ok(first.body.position >= 1);

    // Asked again (even with other details): the same place, nothing changes.
    const again = await postBooking({ ...sent, firstName: 'Another' });
    assert.equal(again.status, 202, again.text);
    assert.deepEqual(again.body, first.body);
    const waiting = await lookup('GET', sent.mysejahteraId, '01122233344');
    assert.equal(waiting.status, 404, 'a place in a queue shows as a booking');

    // Booking a slot with room gives the place up; holding a booking, no queue: ALREADY_BOOKED.
    const roomy = { location: open.location, date: open.dates[1] };
    const booked = await postBooking({ ...sent, ...roomy });
    assert.equal(booked.status, 200, booked.text);
    const held = await postBooking(sent);
    assert.equal(held.status, 409, held.text);
    assert.equal(held.body.code, 'ALREADY_BOOKED');
    const same = await postBooking({ ...sent, ...roomy });
    assert.equal(same.status, 200, same.text);
    assert.deepEqual(same.body, booked.body);
    const cancelled = await lookup('DELETE', sent.mysejahteraId, '01122233344');
    assert.equal(cancelled.status, 200, cancelled.text);
  });

  test('waitlist null is no waitlist: a full slot answers 409 FULL', bounded, async () => {
    await fill(TINY);
    const res = await postBooking(bookingFor(TINY, { waitlist: null }));
    assert.equal(res.status, 409, res.text);
    assert.equal(res.body.code, 'FULL');
  });

  test('waitlist not true, false or null: 400 INVALID_REQUEST naming it', bounded, async () => {
    for (const waitlist of ['yes', 'true', 1, {}]) {
      const res = await postBooking(bookingFor(TINY, { waitlist }));
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.deepEqual(fieldsOf(res), ['waitlist']);
    }
  });

  test('a cancelled booking goes to the first waiting, the next moves up; then back to the counter', bounded, async () => {
    await fill(TINY);
    // A free WAIT date, taken by this run: nobody else holds it or waits for it.
    let slot;
    let holder;
    for (const date of waitDates) {
      const res = await postBooking(bookingFor({ location: 'WAIT', date }, { phoneNumber: '+6012-111 1111' }));
      if (res.status === 200) {
        slot = { location: 'WAIT', date };
        holder = res.body;
        break;
      }
      assert.equal(res.body.code, 'FULL', res.text); // taken since GET /locations
    }
    assert.ok(holder, 'no WAIT date is free: run the server with tests/contract/campaign.json');

    const first = bookingFor(slot, { waitlist: true, firstName: 'Aminah', phoneNumber: '013-222 2222' });
    const second = bookingFor(slot, { waitlist: true, firstName: 'Kumar', phoneNumber: '0143333333' });
    const firstQueued = await postBooking(first);
    assert.equal(firstQueued.status, 202, firstQueued.text);
    assert.equal(firstQueued.body.position, 1);
    const secondQueued = await postBooking(second);
    assert.equal(secondQueued.status, 202, secondQueued.text);
    assert.equal(secondQueued.body.position, 2);

    // One queue per person.
    const elsewhere = await postBooking({ ...first, ...TINY });
    assert.equal(elsewhere.status, 409, elsewhere.text);
    assert.equal(elsewhere.body.code, 'ALREADY_WAITLISTED');

    // Only the holder's phone number cancels.
    const wrongPhone = await lookup('DELETE', holder.mysejahteraId, '0132222222');
    assert.equal(wrongPhone.status, 404, wrongPhone.text);
    const cancelled = await lookup('DELETE', holder.mysejahteraId, '%2B60121111111');
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.deepEqual(cancelled.body, holder);

    // The first waiting holds the slot now, a booking of their own; the second is next in line.
    const promoted = await lookup('GET', first.mysejahteraId, '013-222%202222');
    assert.equal(promoted.status, 200, promoted.text);
    const { reference, createdAt } = promoted.body;
    const expected = { ...first, phoneNumber: '+60132222222', reference, createdAt };
    delete expected.waitlist;
    assert.deepEqual(promoted.body, expected, 'not the details sent when joining the queue');
    assert.notEqual(reference, holder.reference);
    const repeat = await postBooking(first);
    assert.equal(repeat.status, 200, repeat.text);
    assert.deepEqual(repeat.body, promoted.body);
    const moved = await postBooking(second);
    assert.equal(moved.status, 202, moved.text);
    assert.equal(moved.body.position, 1);

    // Handed on once more, then back to the counter: a newcomer books it.
    const firstCancelled = await lookup('DELETE', first.mysejahteraId, '0132222222');
    assert.equal(firstCancelled.status, 200, firstCancelled.text);
    assert.deepEqual(firstCancelled.body, promoted.body);
    const secondPromoted = await lookup('GET', second.mysejahteraId, '0143333333');
    assert.equal(secondPromoted.status, 200, secondPromoted.text);
    assert.equal(secondPromoted.body.date, slot.date);
    const secondCancelled = await lookup('DELETE', second.mysejahteraId, '0143333333');
    assert.equal(secondCancelled.status, 200, secondCancelled.text);
    const newcomer = await postBooking(bookingFor(slot));
    assert.equal(newcomer.status, 200, `the slot did not go back to the counter: ${newcomer.text}`);
    // Free again for the next run.
    const newcomerCancelled = await lookup('DELETE', newcomer.body.mysejahteraId, '%2B60123456789');
    assert.equal(newcomerCancelled.status, 200, newcomerCancelled.text);
  });
});

describe('/booking/{mysejahteraId}', () => {
  test('GET and HEAD: 200 with the id and phone number as booked, in any accepted form', bounded, async () => {
    const sent = bookingFor({ location: open.location, date: open.dates[1] }, { mysejahteraId: newMyKad({ dashes: true }) });
    const booked = await postBooking(sent);
    assert.equal(booked.status, 200, booked.text);
    for (const [id, phone] of [
      [sent.mysejahteraId, '%2B60123456789'], // dashes in the id
      [booked.body.mysejahteraId, '+60123456789'], // '+' taken literally, not as a space
      [booked.body.mysejahteraId, '%2B6012-345%206789'], // dashes and spaces dropped
    ]) {
      const found = await lookup('GET', id, phone);
      assert.equal(found.status, 200, `${id} ${phone}: ${found.text}`);
      assert.deepEqual(found.body, booked.body);
      const head = await lookup('HEAD', id, phone);
      assert.equal(head.status, 200, `HEAD ${id} ${phone}`);
    }
  });

  test('GET and HEAD: 404 NOT_FOUND alike for a wrong phone number and for no booking', bounded, async () => {
    const booked = await postBooking(bookingFor({ location: open.location, date: open.dates[1] }));
    assert.equal(booked.status, 200, booked.text);
    const wrongPhone = await lookup('GET', booked.body.mysejahteraId, '0199999999');
    assert.equal(wrongPhone.status, 404, wrongPhone.text);
    assert.equal(wrongPhone.body.code, 'NOT_FOUND');
    for (const [id, phone] of [
      [newMyKad(), '0199999999'],
      [newPassportId(), '0199999999'],
    ]) {
      const res = await lookup('GET', id, phone);
      assert.equal(res.status, 404, `${id} ${phone}: ${res.text}`);
      assert.equal(res.text, wrongPhone.text);
    }
    const head = await lookup('HEAD', booked.body.mysejahteraId, '0199999999');
    assert.equal(head.status, 404);
    // Written nationally, with or without separators, it is the same number (booked as +6012-345 6789).
    for (const phone of ['0123456789', '012-345%206789', '60123456789']) {
      const same = await lookup('GET', booked.body.mysejahteraId, phone);
      assert.equal(same.status, 200, `${phone}: ${same.text}`);
      assert.equal(same.body.phoneNumber, '+60123456789');
    }
  });

  test('GET, HEAD and DELETE: 400 INVALID_REQUEST naming a missing or malformed id or phone number', bounded, async () => {
    const id = newMyKad();
    for (const [path, fields] of [
      [bookingPath(id), ['phoneNumber']],
      [bookingPath(id, ''), ['phoneNumber']],
      [bookingPath(id, 'call-me'), ['phoneNumber']],
      [bookingPath(id, '12345'), ['phoneNumber']],
      [bookingPath(id, '6012+3456789'), ['phoneNumber']],
      [bookingPath('521332-01-5527', '0123456789'), ['mysejahteraId']], // month 13
      [bookingPath('ab1', '0123456789'), ['mysejahteraId']],
      [bookingPath('12345-6'), ['mysejahteraId', 'phoneNumber']],
    ]) {
      for (const method of ['GET', 'DELETE']) {
        const res = await call(method, path, '/booking/{mysejahteraId}');
        assert.equal(res.status, 400, `${method} ${path}: ${res.text}`);
        assert.equal(res.body.code, 'INVALID_REQUEST');
        assert.deepEqual(fieldsOf(res), fields, `${method} ${path}`);
      }
      const head = await call('HEAD', path, '/booking/{mysejahteraId}');
      assert.equal(head.status, 400, `HEAD ${path}`);
    }
  });

  test('DELETE: 200 with the cancelled booking, then 404; the person may book again', bounded, async () => {
    const sent = bookingFor({ location: open.location, date: open.dates[0] }, { phoneNumber: '013-456 7890' });
    const booked = await postBooking(sent);
    assert.equal(booked.status, 200, booked.text);

    const wrongPhone = await lookup('DELETE', booked.body.mysejahteraId, '0199999999');
    assert.equal(wrongPhone.status, 404, wrongPhone.text);
    assert.equal(wrongPhone.body.code, 'NOT_FOUND');
    const still = await lookup('GET', booked.body.mysejahteraId, '0134567890');
    assert.equal(still.status, 200, `a DELETE with a wrong phone number cancelled: ${still.text}`);

    const cancelled = await lookup('DELETE', booked.body.mysejahteraId, '013-456%207890');
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.deepEqual(cancelled.body, booked.body);
    const twice = await lookup('DELETE', booked.body.mysejahteraId, '0134567890');
    assert.equal(twice.status, 404, twice.text);
    assert.equal(twice.text, wrongPhone.text);
    const gone = await lookup('GET', booked.body.mysejahteraId, '0134567890');
    assert.equal(gone.status, 404, gone.text);

    const rebooked = await postBooking({ ...sent, date: open.dates[1] });
    assert.equal(rebooked.status, 200, rebooked.text);
    assert.notEqual(rebooked.body.reference, booked.body.reference);
    const cleanup = await lookup('DELETE', sent.mysejahteraId, '0134567890');
    assert.equal(cleanup.status, 200, cleanup.text);
  });
});

describe('/waitlist/{mysejahteraId}', () => {
  const waitlistPath = (id, phone) => `/waitlist/${id}?phoneNumber=${phone}`;
  const place = (method, id, phone) => call(method, waitlistPath(id, phone), '/waitlist/{mysejahteraId}');

  test('GET, HEAD and DELETE: the place, a wrong phone 404, leaving twice 404', bounded, async () => {
    await fill(TINY);
    const sent = bookingFor(TINY, { waitlist: true, phoneNumber: '017-555 6666' });
    const queued = await postBooking(sent);
    assert.equal(queued.status, 202, queued.text);

    const seen = await place('GET', sent.mysejahteraId, '0175556666');
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(
      { location: seen.body.location, date: seen.body.date, position: seen.body.position },
      { location: TINY.location, date: TINY.date, position: queued.body.position },
    );
    assert.ok(seen.body.joinedAt);
    const head = await place('HEAD', sent.mysejahteraId, '%2B60175556666');
    assert.equal(head.status, 200);
    const wrongPhone = await place('GET', sent.mysejahteraId, '0199999999');
    assert.equal(wrongPhone.status, 404, wrongPhone.text);
    assert.equal(wrongPhone.body.code, 'NOT_FOUND');

    const left = await place('DELETE', sent.mysejahteraId, '0175556666');
    assert.equal(left.status, 200, left.text);
    assert.deepEqual(left.body, seen.body);
    for (const method of ['GET', 'DELETE']) {
      const gone = await place(method, sent.mysejahteraId, '0175556666');
      assert.equal(gone.status, 404, `${method}: ${gone.text}`);
    }
  });

  test('GET and DELETE: 400 INVALID_REQUEST naming a malformed id or phone number', bounded, async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await place(method, '123', 'abc');
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(fieldsOf(res), ['mysejahteraId', 'phoneNumber']);
    }
  });
});

describe('responses any request can get', () => {
  test('an unknown path: 404 NOT_FOUND', bounded, async () => {
    for (const [method, path] of [
      ['GET', '/no-such-endpoint'],
      ['POST', '/bookings'],
      ['GET', '/stations'],
    ]) {
      assert.ok(!(path in doc.paths));
      const res = await request(method, path);
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
      const body = checkAgainst(commonResponse(404), res, `${method} ${path} -> 404`);
      assert.equal(body.code, 'NOT_FOUND');
    }
  });

  test('a method a path does not serve: 405 METHOD_NOT_ALLOWED, with Allow', bounded, async () => {
    for (const [template, pathItem] of Object.entries(doc.paths)) {
      const path = template.replace('{location}', open.location).replace('{mysejahteraId}', newMyKad());
      const served = HTTP_METHODS.filter((m) => m in pathItem).map((m) => m.toUpperCase());
      // HEAD comes with every GET (HTTP semantics): headers only, no body.
      if (served.includes('GET') && !served.includes('HEAD')) served.push('HEAD');
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => !served.includes(m))) {
        const options = method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' };
        const res = await request(method, path, options);
        assert.equal(res.status, 405, `${method} ${path}: ${res.text}`);
        const body = checkAgainst(commonResponse(405), res, `${method} ${path} -> 405`);
        assert.equal(body.code, 'METHOD_NOT_ALLOWED');
        assert.deepEqual(
          res.headers.get('allow').split(',').map((m) => m.trim()).sort(),
          served.sort(),
          `${method} ${path}: Allow is not what the document lists`,
        );
      }
    }
  });

  test('malformed HTTP: 400 INVALID_REQUEST, and the connection is closed', bounded, async () => {
    const { host } = new URL(baseUrl);
    for (const bytes of [
      'NOT HTTP AT ALL\r\n\r\n',
      `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nContent-Length: twelve\r\n\r\n`,
    ]) {
      const res = await rawExchange(bytes);
      assert.equal(res.status, 400, JSON.stringify(bytes));
      const body = checkAgainst(commonResponse(400), res, `${JSON.stringify(bytes)} -> 400`);
      assert.equal(body.code, 'INVALID_REQUEST');
      assert.ok(res.closedByServer, 'the server kept the connection open');
    }
  });
});

// --- The waiting room (a second server, whose campaign has a `queue` section) ---------------------

const queueUrl = process.env.JKJAV_QUEUE_URL?.replace(/\/+$/, '');

/** fetch against the waiting-room server, the body parsed when it is JSON. */
async function queueRequest(method, path, { headers = {}, body } = {}) {
  const res = await fetch(`${queueUrl}${path}`, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const json = { 'content-type': 'application/json' };
const joinQueue = (id) => queueRequest('POST', '/queue', { headers: json, body: JSON.stringify({ mysejahteraId: id }) });

describe('the waiting room', { skip: !queueUrl && 'JKJAV_QUEUE_URL is not set' }, () => {
  test('GET /locations: names the waiting room, as the booking page reads it', bounded, async () => {
    const res = await queueRequest('GET', '/locations');
    assert.equal(res.status, 200, res.text);
    const body = checkAgainst(operationResponse('/locations', 'get', 200), res, 'GET /locations with a queue');
    // The campaign file's 2021-05-26T12:00:00+08:00 and its default pre-queue hour before it.
    assert.deepEqual(body.queue, {
      opensAt: '2021-05-26T04:00:00Z', preQueueOpensAt: '2021-05-26T03:00:00Z', admissionSeconds: 600,
    });
  });

  test('POST /queue: a place, the same one when asked again', bounded, async () => {
    const id = newMyKad();
    const res = await joinQueue(id);
    assert.equal(res.status, 200, res.text);
    const body = checkAgainst(operationResponse('/queue', 'post', 200), res, 'POST /queue -> 200');
    assert.ok(['waiting', 'admitted'].includes(body.state), body.state);
    assert.ok(!body.ticket.includes(id), 'the ticket carries no id');
    const again = await joinQueue(id);
    assert.equal(JSON.parse(again.text).ticket, body.ticket);
  });

  test('POST /queue: bad ids, bodies and people are refused as documented', bounded, async () => {
    for (const [body, status, code] of [
      [JSON.stringify({ mysejahteraId: '12345' }), 400, 'INVALID_REQUEST'],
      [JSON.stringify({}), 400, 'INVALID_REQUEST'],
      ['{"mysejahteraId":', 400, 'MALFORMED_JSON'],
      [JSON.stringify({ mysejahteraId: newMyKad({ born: 90 }) }), 403, 'NOT_ELIGIBLE'],
    ]) {
      const res = await queueRequest('POST', '/queue', { headers: json, body });
      assert.equal(res.status, status, `${body}: ${res.text}`);
      const parsed = checkAgainst(operationResponse('/queue', 'post', status), res, `POST /queue ${body}`);
      assert.equal(parsed.code, code);
    }
    const text = await queueRequest('POST', '/queue', { headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(text.status, 415);
    checkAgainst(operationResponse('/queue', 'post', 415), text, 'POST /queue text/plain');
  });

  test('GET /queue/{ticket}: the place; a forged ticket is refused', bounded, async () => {
    const joined = JSON.parse((await joinQueue(newMyKad())).text);
    const res = await queueRequest('GET', `/queue/${joined.ticket}`);
    assert.equal(res.status, 200, res.text);
    checkAgainst(operationResponse('/queue/{ticket}', 'get', 200), res, 'GET /queue/{ticket} -> 200');
    const forged = `${joined.ticket.slice(0, -1)}${joined.ticket.endsWith('A') ? 'B' : 'A'}`;
    const refused = await queueRequest('GET', `/queue/${forged}`);
    assert.equal(refused.status, 400, refused.text);
    const body = checkAgainst(operationResponse('/queue/{ticket}', 'get', 400), refused, 'forged ticket');
    assert.equal(body.code, 'INVALID_TICKET');
  });

  test('POST /booking: a ticket is required, an admitted one books, then joining says ALREADY_BOOKED', bounded, async () => {
    const slot = { location: 'PWTC', date: '20210516' };
    const sent = bookingFor(slot);
    const book = (headers) =>
      queueRequest('POST', '/booking', { headers: { ...json, ...headers }, body: JSON.stringify(sent) });
    const without = await book({});
    assert.equal(without.status, 403, without.text);
    assert.equal(checkAgainst(operationResponse('/booking', 'post', 403), without, 'no ticket').code, 'QUEUE_REQUIRED');
    const forged = await book({ 'x-queue-ticket': 'not-a-ticket' });
    assert.equal(forged.status, 400, forged.text);
    assert.equal(checkAgainst(operationResponse('/booking', 'post', 400), forged, 'forged').code, 'INVALID_TICKET');

    let place = JSON.parse((await joinQueue(sent.mysejahteraId)).text);
    const deadline = Date.now() + 10_000;
    while (place.state !== 'admitted' && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
      place = JSON.parse((await queueRequest('GET', `/queue/${place.ticket}`)).text);
    }
    assert.equal(place.state, 'admitted');
    const booked = await book({ 'x-queue-ticket': place.ticket });
    assert.equal(booked.status, 200, booked.text);
    checkAgainst(operationResponse('/booking', 'post', 200), booked, 'admitted booking');
    const rejoin = await joinQueue(sent.mysejahteraId);
    assert.equal(rejoin.status, 409, rejoin.text);
    assert.equal(checkAgainst(operationResponse('/queue', 'post', 409), rejoin, 'rejoin').code, 'ALREADY_BOOKED');
  });
});
