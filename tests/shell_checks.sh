# shellcheck shell=bash
# tests/shell_checks.sh: what the shell tests share (not a script: source it). A test counts its
# checks in `passes` and `failures`, prints one "ok"/"FAIL" line for each, and exits non-zero when
# any failed.
failures=0
passes=0
check() {  # check <what it means> <command...>
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; passes=$((passes + 1)); else echo "FAIL $what"; failures=$((failures + 1)); fi
}
# contains FILE TEXT: the file holds TEXT; otherwise shows the file.
contains() { grep -qF -- "$2" "$1" || { echo "     '$2' not in $1:"; sed 's/^/     | /' "$1"; return 1; }; }
