#!/usr/bin/env python3
"""Samples jkjav-server's GET /metrics once a second during a load run and writes one line per
second: the time since the start, bookings made (jkjav_bookings_total{outcome="booked"}), POST
/booking answers, and their p50/p99 latency over that second. The percentiles come from the
difference of two scrapes of jkjav_http_request_duration_seconds{route="/booking"}, interpolated
linearly inside a bucket as Prometheus's histogram_quantile does (so they are as fine as the
buckets: 0.1, 0.25, 0.5, 1, 2.5, 5, 10 ms, ...).

    bench/sample_metrics.py --port 3000 --out flash.tsv --seconds 60 [--stop-file F]

Stops after --seconds (the bound), on SIGTERM/SIGINT, or once --stop-file exists. Loopback only.
"""
import argparse
import os
import re
import signal
import sys
import time
import urllib.request

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as reply:
        text = reply.read().decode()
    booked = answered = 0.0
    buckets = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        name, labels, value = m.group(1), m.group(2) or "", float(m.group(3))
        if name == "jkjav_bookings_total" and 'outcome="booked"' in labels:
            booked = value
        elif name == "jkjav_http_request_duration_seconds_bucket" and 'route="/booking"' in labels:
            le = re.search(r'le="([^"]+)"', labels).group(1)
            buckets[float("inf") if le == "+Inf" else float(le)] = value
        elif name == "jkjav_http_request_duration_seconds_count" and 'route="/booking"' in labels:
            answered = value
    return booked, answered, sorted(buckets.items())


def quantile(q, before, after):
    """histogram_quantile over the cumulative buckets' difference; None without observations."""
    deltas = [(le, a - b) for (le, a), (_, b) in zip(after, before)]
    if not deltas or deltas[-1][1] <= 0:
        return None
    rank = q * deltas[-1][1]
    lower_le, lower_count = 0.0, 0.0
    for le, count in deltas:
        if count >= rank:
            if le == float("inf"):
                return lower_le
            width = count - lower_count
            return lower_le + (le - lower_le) * ((rank - lower_count) / width if width > 0 else 1.0)
        lower_le, lower_count = le, count
    return lower_le


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=float, default=120, help="stop after this long at the latest")
    parser.add_argument("--stop-file", help="stop once this file exists")
    args = parser.parse_args()

    stopping = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(1))

    start = time.monotonic()
    previous = scrape(args.port)
    with open(args.out, "w") as out:
        out.write("# seconds\tbookings_per_s\tanswers_per_s\tp50_ms\tp99_ms\n")
        tick = 1
        while not stopping and time.monotonic() - start < args.seconds:
            time.sleep(max(0.0, start + tick - time.monotonic()))
            if stopping:
                break
            try:
                now = scrape(args.port)
            except OSError as error:  # the server went away: the run is over
                print(f"sample_metrics: {error}", file=sys.stderr)
                break
            p50 = quantile(0.5, previous[2], now[2])
            p99 = quantile(0.99, previous[2], now[2])
            fmt = lambda v: "nan" if v is None else f"{v * 1000:.3f}"
            out.write(f"{tick}\t{now[0] - previous[0]:.0f}\t{now[1] - previous[1]:.0f}\t{fmt(p50)}\t{fmt(p99)}\n")
            out.flush()
            previous = now
            tick += 1
            if args.stop_file and os.path.exists(args.stop_file):
                break


if __name__ == "__main__":
    main()
