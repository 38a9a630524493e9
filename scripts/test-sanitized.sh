#!/usr/bin/env bash
# `make test-asan` / `make test-tsan`: the whole ctest suite built with a sanitizer (CMakePresets.json:
# asan = ASan + UBSan, tsan = ThreadSanitizer), in its own build directory (build-asan/, build-tsan/).
# The servers the tests start inherit the sanitizer options and write their reports to files: a test
# that does not look at a child's exit status cannot hide a child's report, because any report fails
# this script. CTEST_ARGS passes more arguments to ctest (e.g. CTEST_ARGS='-R Queue' for a subset).
set -euo pipefail
preset=${1:?usage: test-sanitized.sh asan|tsan}
cd "$(dirname "$0")/.."
build_dir=build-$preset
jobs=${JOBS:-$(nproc)}

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
[[ -f $build_dir/build.ninja ]] || cmake --preset "$preset" "${launcher[@]}"
cmake --build "$build_dir" -j "$jobs"

reports=$PWD/$build_dir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
case $preset in
  asan)
    export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:abort_on_error=0:strict_string_checks=1"
    export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
    ;;
  tsan)
    # tests/tsan.supp: races inside librdkafka and hiredis as TSan sees them (never jkjav's own code).
    export TSAN_OPTIONS="log_path=$reports/tsan:suppressions=$PWD/tests/tsan.supp:second_deadlock_stack=1:halt_on_error=0"
    ;;
  *) echo "test-sanitized: unknown preset '$preset'" >&2; exit 2 ;;
esac

status=0
# shellcheck disable=SC2086 # CTEST_ARGS is split on purpose
(cd "$build_dir" && ctest --output-on-failure --timeout 900 ${CTEST_ARGS:-}) || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "test-$preset: sanitizer reports (tests and the servers they started):" >&2
  for report in "$reports"/*; do
    echo "=== $report" >&2
    cat "$report" >&2
  done
  status=1
fi
exit "$status"
