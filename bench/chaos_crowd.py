#!/usr/bin/env python3
"""Flash crowd for bench/chaos.sh: distinct people booking, every answer recorded.

Each of CONCURRENCY workers keeps one keep-alive HTTP/1.1 connection to the server and books a new
person per request (ids are valid MyKad numbers: the YYMMDD block given plus a 6-digit serial;
slots cycle through --slots). The crowd is paced (--rate requests/s in all, a shared token bucket)
so that a few thousand seats last through the drill instead of selling out in its first seconds;
while --burst-file exists it is not paced at all (the drill bursts around each fault, so that
every connection has a request in flight when it strikes).

Like a real client it retries a person whose request got no answer or a 503 (up to --retries
times, 0.1-0.3 s apart, on a fresh connection), and it repeats a few bookings that succeeded
(--repeat-every) to see that the same person gets the same reference back.

Every attempt is one line in --out (tab-separated):
    sent recv person slot status code reference error reused attempt
  sent, recv   wall-clock seconds (time.time()) when the request was written / the answer read
  status       HTTP status, or 0 when there was no answer
  code         the JSON body's "code" for errors ("" otherwise); reference for a 200
  error        "" when answered; refused (connect failed), no_response (request written, the
               connection closed before a status line), timeout (no answer in --timeout s)
  reused       1 when the request went on a connection that had carried an earlier request
A connection found closed before writing (the server closed it while idle) is not an attempt:
the worker reconnects and sends the request on the new connection.

It stops when --stop-file exists, after --max-seconds, or after --max-people people; every wait
is bounded by --timeout. Talks to 127.0.0.1 only.
"""

import argparse
import asyncio
import json
import os
import random
import time

HOST = "127.0.0.1"


class Pacer:
    """A shared token bucket: at most `rate` requests per second in all (0: no limit), none at all
    while `bursting` is set (the drill's moments of truth: every connection busy)."""

    def __init__(self, rate):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next = time.monotonic()
        self.bursting = False
        self.burst_budget = 0

    async def wait(self):
        now = time.monotonic()
        if self.interval == 0 or (self.bursting and self.burst_budget > 0):
            self.burst_budget -= 1
            self.next = now
            return
        slot = max(self.next, now)
        self.next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class Crowd:
    def __init__(self, args):
        self.args = args
        self.slots = [s.split(":") for s in args.slots.split(",")]
        self.pacer = Pacer(args.rate)
        self.next_serial = 0
        self.out = open(args.out, "w", buffering=1)
        self.deadline = time.monotonic() + args.max_seconds
        self.attempts = 0

    async def watch_burst_file(self):
        """--burst-file present: unpaced, for at most --burst-max requests each time it appears (so
        that a fast machine does not sell the campaign out in its bursts). Polled every 10 ms."""
        while not self.stopping():
            present = bool(self.args.burst_file) and os.path.exists(self.args.burst_file)
            if present and not self.pacer.bursting:
                self.pacer.burst_budget = self.args.burst_max
            self.pacer.bursting = present
            await asyncio.sleep(0.01)

    def stopping(self):
        return time.monotonic() >= self.deadline or os.path.exists(self.args.stop_file)

    def new_person(self):
        if self.next_serial >= self.args.max_people:
            return None
        serial = self.next_serial
        self.next_serial += 1
        location, date = self.slots[serial % len(self.slots)]
        return f"{self.args.block}{serial:06d}", location, date

    def record(self, sent, recv, person, slot, status, code, reference, error, reused, attempt):
        self.attempts += 1
        self.out.write(f"{sent:.6f}\t{recv:.6f}\t{person}\t{slot}\t{status}\t{code}\t{reference}\t"
                       f"{error}\t{int(reused)}\t{attempt}\n")


class Connection:
    """One keep-alive connection; reopened whenever the server closes it."""

    def __init__(self, port, timeout):
        self.port, self.timeout = port, timeout
        self.reader = self.writer = None
        self.used = False

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await asyncio.wait_for(self.writer.wait_closed(), 1)
            except Exception:
                pass
        self.reader = self.writer = None

    async def ensure_open(self):
        """Reopens a connection the server closed while it was idle; False if connecting failed."""
        await asyncio.sleep(0)  # let a FIN that already arrived be seen before writing
        if self.reader is not None and (self.reader.at_eof() or self.writer.is_closing()):
            await self.close()
        if self.reader is None:
            try:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, self.port), self.timeout)
            except Exception:
                self.reader = self.writer = None
                return False
            self.used = False
        return True

    async def exchange(self, payload):
        """(status, body, error); the connection is closed after any error or Connection: close."""
        reused = self.used
        self.used = True
        try:
            self.writer.write(payload)
            await self.writer.drain()
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), self.timeout)
        except asyncio.TimeoutError:
            await self.close()
            return 0, b"", "timeout", reused
        except Exception:
            await self.close()
            return 0, b"", "no_response", reused
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip().lower()
        try:
            body = await asyncio.wait_for(
                self.reader.readexactly(int(headers.get("content-length", "0"))), self.timeout)
        except Exception:
            await self.close()
            return status, b"", "partial", reused
        if headers.get("connection") == "close":
            await self.close()
        return status, body, "", reused


def request_bytes(port, person, location, date):
    body = json.dumps({"mysejahteraId": person, "firstName": "Chaos", "lastName": "Crowd",
                       "address": "Kuala Lumpur", "location": location,
                       "phoneNumber": "0123456789", "date": date}).encode()
    return (f"POST /booking HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


async def worker(crowd, index):
    args = crowd.args
    conn = Connection(args.port, args.timeout)
    rng = random.Random(index)
    try:
        while not crowd.stopping():
            person = crowd.new_person()
            if person is None:
                break
            pid, location, date = person
            payload = request_bytes(args.port, pid, location, date)
            tries = 1 + args.retries
            attempt = 0
            while attempt < tries and not crowd.stopping():
                attempt += 1
                await crowd.pacer.wait()
                sent = time.time()
                if not await conn.ensure_open():
                    crowd.record(sent, time.time(), pid, f"{location}:{date}", 0, "", "", "refused",
                                 False, attempt)
                    await asyncio.sleep(rng.uniform(0.1, 0.3))
                    continue
                status, body, error, reused = await conn.exchange(payload)
                recv = time.time()
                code = reference = ""
                if body:
                    try:
                        decoded = json.loads(body)
                        code = decoded.get("code", "") if status != 200 else ""
                        reference = decoded.get("reference", "") if status == 200 else ""
                    except ValueError:
                        code = "NOT_JSON"
                crowd.record(sent, recv, pid, f"{location}:{date}", status, code, reference, error,
                             reused, attempt)
                if status == 200 and attempt == 1 and rng.random() < args.repeat_every:
                    tries = attempt + 1  # repeat this booking once: the answer must be the same
                    continue
                if status == 200 or (status not in (0, 503) and not error):
                    break
                if status == 0 or status == 503:
                    await asyncio.sleep(rng.uniform(0.1, 0.3))
    finally:
        await conn.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--slots", required=True, help="LOCATION:YYYYMMDD,...")
    parser.add_argument("--block", required=True, help="YYMMDD of every id of this crowd")
    parser.add_argument("--concurrency", type=int, default=48)
    parser.add_argument("--rate", type=float, default=300, help="requests/s in all; 0: no limit")
    parser.add_argument("--burst-file", default="", help="while this file exists, no pacing")
    parser.add_argument("--burst-max", type=int, default=2000, help="requests per burst at most")
    parser.add_argument("--retries", type=int, default=3)
    parser.add_argument("--repeat-every", type=float, default=0.05,
                        help="share of successful bookings sent again")
    parser.add_argument("--timeout", type=float, default=5)
    parser.add_argument("--max-seconds", type=float, default=150)
    parser.add_argument("--max-people", type=int, default=999999)
    args = parser.parse_args()
    crowd = Crowd(args)
    watcher = asyncio.create_task(crowd.watch_burst_file())
    await asyncio.gather(*(worker(crowd, i) for i in range(args.concurrency)))
    watcher.cancel()
    crowd.out.close()
    print(f"chaos_crowd: {crowd.next_serial} people, {crowd.attempts} attempts")


if __name__ == "__main__":
    asyncio.run(main())
