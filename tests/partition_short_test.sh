#!/usr/bin/env bash
# bench/partition.sh, shortened (PARTITION_SHORT=1): the primary, a replica, a Sentinel and a server
# cut from the rest, then the primary killed for good, each Redis node, Sentinel and server in a
# network namespace of its own; invariants only. Skipped (exit 77, with the reason) only where this
# machine cannot make network namespaces (not root, or no `ip netns`).
# Usage: partition_short_test.sh (JKJAV_SERVER names the server binary)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
probe=jkjav-probe-$$
if ! command -v ip >/dev/null 2>&1; then
    echo "SKIP: the partition drill needs iproute2's ip, which is not installed"
    exit 77
fi
if ! reason=$(ip netns add "$probe" 2>&1); then
    echo "SKIP: this machine cannot make network namespaces (ip netns add: $reason); the drill needs root"
    exit 77
fi
ip netns del "$probe"
PARTITION_SHORT=1 exec bench/partition.sh
