#!/usr/bin/env python3
"""Hold many idle keep-alive connections open against jkjav-server and measure what they cost.

    python3 bench/idle_connections.py --port 4000 --pid <server pid> [--count 10000] [--hold 5]

Each connection sends one `GET /healthz` (HTTP/1.1, keep-alive), reads the whole answer, then stays
open without sending anything. Once all of them are open the script reads the server's VmRSS from
/proc/<pid>/status, checks that a fresh request is still served, holds the connections for --hold
seconds, then closes them all. Standard library only (asyncio). Everything is bounded: connecting
in batches of at most --concurrency, a deadline for the whole opening phase (--open-timeout), a
deadline per request.

Prints a human summary and one line `IDLE_RESULT key=value ...` for bench/compare.sh:
  opened, failed, rss_before_kib, rss_held_kib, rss_after_close_kib, delta_kib, per_conn_kib,
  open_s, still_serving (1 if a fresh GET /healthz got 200 while all were held), held_s.
"""
import argparse
import asyncio
import resource
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS line")


async def read_response(reader):
    """Reads one HTTP/1.1 response with a Content-Length body; returns the status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def open_one(host, port, timeout):
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(REQUEST)
        await writer.drain()
        status = await asyncio.wait_for(read_response(reader), timeout)
        if status != 200:
            raise RuntimeError(f"status {status}")
        return reader, writer
    except BaseException:
        writer.close()
        raise


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's pid (for VmRSS)")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--hold", type=float, default=5.0, help="seconds to hold them idle (max 60)")
    parser.add_argument("--concurrency", type=int, default=500, help="connections being opened at once")
    parser.add_argument("--open-timeout", type=float, default=60.0, help="deadline for opening them all")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost"):
        sys.exit("idle_connections.py: loopback only")
    hold = min(max(args.hold, 0.0), 60.0)

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < args.count + 64:
        want = min(hard, args.count + 1024) if hard != resource.RLIM_INFINITY else args.count + 1024
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        soft = want
    if soft < args.count + 64:
        sys.exit(f"idle_connections.py: open-file limit {soft} is too low for {args.count} connections")

    rss_before = vm_rss_kib(args.pid)
    conns = []
    failures = []
    semaphore = asyncio.Semaphore(args.concurrency)

    async def guarded():
        async with semaphore:
            try:
                conns.append(await open_one(args.host, args.port, 10.0))
            except Exception as e:  # noqa: BLE001 - counted and reported
                failures.append(repr(e))

    started = time.monotonic()
    tasks = [asyncio.ensure_future(guarded()) for _ in range(args.count)]
    done, pending = await asyncio.wait(tasks, timeout=args.open_timeout)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
        failures.append(f"{len(pending)} not opened within {args.open_timeout:.0f} s")
    open_s = time.monotonic() - started

    await asyncio.sleep(1.0)  # let the server settle (buffers released after the answers)
    rss_held = vm_rss_kib(args.pid)

    still_serving = 0
    try:
        reader, writer = await open_one(args.host, args.port, 5.0)
        writer.close()
        still_serving = 1
    except Exception as e:  # noqa: BLE001
        failures.append(f"fresh request while held: {e!r}")

    held_started = time.monotonic()
    await asyncio.sleep(max(hold - 1.0, 0.0))
    # Still open? A connection the server closed reads EOF at once.
    closed_by_server = 0
    for reader, _ in conns:
        if reader.at_eof() or reader.exception() is not None:
            closed_by_server += 1
    rss_held_end = vm_rss_kib(args.pid)
    held_s = time.monotonic() - held_started + 1.0

    for _, writer in conns:
        writer.close()
    await asyncio.sleep(1.0)
    rss_after = vm_rss_kib(args.pid)

    opened = len(conns)
    delta = rss_held - rss_before
    per_conn = delta / opened if opened else 0.0
    print(f"opened {opened} of {args.count} keep-alive connections in {open_s:.2f} s "
          f"({len(failures)} failures{': ' + failures[0] if failures else ''})")
    print(f"server VmRSS: before {rss_before} KiB, held {rss_held} KiB (after {held_s:.1f} s: {rss_held_end} KiB), "
          f"after closing {rss_after} KiB")
    print(f"delta {delta} KiB = {delta / 1024:.1f} MiB, {per_conn:.2f} KiB per connection; "
          f"closed by the server while held: {closed_by_server}; fresh GET /healthz while held: "
          f"{'200' if still_serving else 'FAILED'}")
    print(f"IDLE_RESULT opened={opened} failed={len(failures)} rss_before_kib={rss_before} rss_held_kib={rss_held} "
          f"rss_held_end_kib={rss_held_end} rss_after_close_kib={rss_after} delta_kib={delta} "
          f"per_conn_kib={per_conn:.2f} open_s={open_s:.2f} held_s={held_s:.1f} "
          f"closed_by_server={closed_by_server} still_serving={still_serving}")
    return 0 if opened == args.count and still_serving and closed_by_server == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
