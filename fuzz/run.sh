#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets with clang-14 in build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60), one after the other. Each starts from a scratch copy of its seed
# corpus, so the committed corpus only grows by hand. Exits non-zero if any target crashed; the
# crashing input is kept in build-fuzz/artifacts/<target>/ (add it to fuzz/corpus/<target>/ once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
TARGETS=${FUZZ_TARGETS:-"fuzz_http_request fuzz_booking_json fuzz_campaign_file fuzz_redis_reply"}

has_libfuzzer() {
    command -v clang++-14 >/dev/null && [[ -n $(compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a') ]]
}
if ! has_libfuzzer; then
    # Like `make deps`: Debian's packages, installed once (they are too big for every CI run).
    echo "fuzz: installing clang-14 and libclang-rt-14-dev (libFuzzer)"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends clang-14 libclang-rt-14-dev
    has_libfuzzer || { echo "fuzz: clang-14 with libFuzzer is still missing" >&2; exit 2; }
fi
if [[ ! -f $FUZZ_DIR/build.ninja ]]; then
    CC=clang-14 CXX=clang++-14 cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DJKJAV_FUZZ=ON -DJKJAV_BUILD_TESTS=OFF
fi
cmake --build "$FUZZ_DIR" -j "${JOBS:-$(nproc)}" --target jkjav_fuzzers

failed=()
for target in $TARGETS; do
    scratch=$(mktemp -d)
    cp fuzz/corpus/"$target"/* "$scratch"/
    mkdir -p "$FUZZ_DIR/artifacts/$target"
    echo "== $target: ${FUZZ_SECONDS}s"
    # -rss_limit_mb bounds a leak or a huge allocation; -timeout flags a hang (a second is long here).
    status=0
    "$FUZZ_DIR/fuzz/$target" "$scratch" -max_total_time="$FUZZ_SECONDS" -timeout=5 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/artifacts/$target/" \
        -dict=fuzz/dictionaries/"$target".dict >"$FUZZ_DIR/artifacts/$target.log" 2>&1 || status=$?
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|SUMMARY|broken promise)' \
        "$FUZZ_DIR/artifacts/$target.log" || true
    if ((status != 0)); then
        failed+=("$target")
        tail -n 40 "$FUZZ_DIR/artifacts/$target.log" >&2
    fi
    rm -rf "$scratch"
done
if ((${#failed[@]})); then
    echo "crashed: ${failed[*]} (inputs in $FUZZ_DIR/artifacts/)" >&2
    exit 1
fi
echo "no crash in: $TARGETS"
