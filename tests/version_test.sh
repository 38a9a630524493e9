#!/usr/bin/env bash
# Every program answers --version with its own name and CMake's project version, exit 0, and starts
# nothing (a 5 s bound: a program that ignored the flag and started serving fails here).
# Usage: version_test.sh VERSION PROGRAM...
set -uo pipefail
version=$1
shift
failures=0
for program in "$@"; do
  name=$(basename "$program")
  output=$(timeout 5 "$program" --version 2>&1)
  status=$?
  if [[ $status -eq 0 && $output == "$name $version" ]]; then
    echo "ok   $name --version: $output"
  else
    echo "FAIL $name --version: exit $status, printed '$output' (expected '$name $version')"
    failures=$((failures + 1))
  fi
done
exit $((failures > 0))
