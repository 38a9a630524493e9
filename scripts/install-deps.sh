#!/usr/bin/env bash
# Installs what jkjav builds, runs and tests with on Debian bookworm: apt packages first, then the
# npm tools (OpenAPI lint, contract test, Swagger UI for /docs, playwright-core and axe-core for the
# page's browser test, which drives Debian's chromium). Does nothing that is already done, so it is cheap to repeat.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config make curl python3 python3-yaml
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libhiredis-dev librdkafka-dev libpqxx-dev libspdlog-dev libfmt-dev libcli11-dev libjwt-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libphonenumber8 libprotobuf-dev libicu-dev libabsl-dev prometheus-cpp-dev
  redis-server redis-tools redis-sentinel haproxy postgresql-15 hey wrk kcat nginx-light prometheus nodejs npm chromium
  iproute2
  gnuplot-nox linux-perf
)

missing=()
for package in "${packages[@]}"; do
  # nodejs may come from another source than Debian (a newer node is fine): a working command counts.
  if [[ $package == nodejs || $package == npm ]] && command -v "${package%js}" >/dev/null 2>&1; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# libphonenumber-dev can't be installed beside Boost 1.81; its headers are unpacked into .deps instead.
scripts/fetch-phonenumber-headers.sh

# iproute2 makes bench/partition.sh's network namespaces, bridge and blackhole routes.
# gnuplot-nox draws bench/plot.sh's SVGs; linux-perf is bench/profile.sh's profiler.
# redis-server's and postgresql-15's Debian services are not used: tests and `make run` start their
# own on chosen ports (PostgreSQL's binaries are in /usr/lib/postgresql/15/bin).
# prometheus is installed for its promtool, which checks deploy/prometheus in make test.
if [[ -f package-lock.json ]]; then
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "deps: npm ci"
    # No package here needs an install script; swagger-ui-dist's dependency @scarf/scarf has one
    # that reports the install to a third party.
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  fi
fi
echo "deps: ok"
