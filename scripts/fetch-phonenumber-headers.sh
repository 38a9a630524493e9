#!/usr/bin/env bash
# Unpacks Debian's libphonenumber-dev (headers and the unversioned .so link) into .deps/libphonenumber
# without installing the package: its dependency on libboost-thread-dev (Boost 1.74) would make apt
# remove the Boost 1.81 the build uses. The runtime library, libphonenumber8, comes from apt as usual,
# and the headers are taken at exactly its version. Cheap to repeat: does nothing when they are there.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=.deps/libphonenumber
version=$(dpkg-query -W -f='${Version}' libphonenumber8 2>/dev/null || true)
if [[ -z $version ]]; then
  echo "phonenumber: libphonenumber8 is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [[ -f $prefix/usr/include/phonenumbers/phonenumberutil.h && $(cat "$prefix/VERSION" 2>/dev/null) == "$version" ]]; then
  exit 0
fi

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
chmod 755 "$workdir"  # apt's download user must be able to write there
if ! (cd "$workdir" && apt-get download -q "libphonenumber-dev=$version" >/dev/null 2>&1); then
  # A fresh machine may not have the package lists yet.
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  (cd "$workdir" && apt-get download -q "libphonenumber-dev=$version")
fi
rm -rf "$prefix"
mkdir -p "$prefix"
dpkg-deb -x "$workdir"/libphonenumber-dev_*.deb "$prefix"
rm -f "$prefix"/usr/lib/*/*.a  # only the headers are used; the build links the runtime's .so.8
echo "$version" >"$prefix/VERSION"
echo "phonenumber: headers $version in $prefix"
