#!/usr/bin/env bash
# Every value-parameterised case prints its input: a parameter type with no PrintTo (or operator<<)
# lists as `GetParam() = N-byte object <...>`, which names nothing a reader can recognise. Runs each
# test binary given with --gtest_list_tests and prints every case that lists as a byte dump; the fix
# is a PrintTo beside the case struct (tests/support/case_names.hpp: `escaped` for strings).
set -uo pipefail
if (($# == 0)); then
  echo "usage: $0 TEST_BINARY..."
  exit 2
fi
dumps=0
for binary in "$@"; do
  if ! listing=$("$binary" --gtest_list_tests); then
    echo "FAIL $(basename "$binary"): --gtest_list_tests failed"
    dumps=$((dumps + 1))
    continue
  fi
  # A suite's line has no indent; its cases follow, indented, each with its parameter after '#'.
  found=$(awk -v binary="$(basename "$binary")" '
    /^[^ ]/ { suite = $1 }
    /^ .*GetParam\(\) = [0-9]+-byte object/ { sub(/^ +/, ""); sub(/ <.*/, ""); print "     " binary ": " suite $0 }
  ' <<<"$listing")
  if [[ -n $found ]]; then
    echo "FAIL $(basename "$binary"): $(grep -c . <<<"$found") case(s) list as byte dumps"
    echo "$found"
    dumps=$((dumps + $(grep -c . <<<"$found")))
  else
    echo "ok   $(basename "$binary"): every case prints its input"
  fi
done
if ((dumps > 0)); then
  echo "$dumps case(s) without a printer: add a PrintTo beside the case struct"
  exit 1
fi
