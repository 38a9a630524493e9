#!/usr/bin/env bash
# Every relative link in the project's documents leads somewhere: the file (or folder) exists, and a
# `#anchor` names a heading of that document (GitHub's slug of it) or an explicit <a id="...">.
# Prints each broken link as FILE:LINE: target (why); exit 1 when there is any.
# Usage: docs_links_test.sh [FILE.md...]   (default: README.md, docs/*.md, bench/README.md)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
if (($# == 0)); then set -- README.md docs/*.md bench/README.md; fi
exec python3 - "$@" <<'PY'
import os, re, sys, unicodedata

def slug(heading):
    # GitHub's rule: the rendered text, lower-cased; anything but letters, digits, spaces, '-' and
    # '_' dropped; each space a '-'. Code spans and links render as their text.
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "").strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")

def strip_code(line):
    return re.sub(r"`[^`]*`", "", line)

anchors_of = {}
def anchors(path):
    if path not in anchors_of:
        found, seen, fenced = set(), {}, False
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.lstrip().startswith("```"):
                    fenced = not fenced
                    continue
                if fenced:
                    continue
                m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
                if m:
                    s = slug(m.group(1))
                    n = seen.get(s, 0)
                    seen[s] = n + 1
                    found.add(s if n == 0 else f"{s}-{n}")  # repeats: -1, -2, ... as GitHub does
                found.update(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", line))
        anchors_of[path] = found
    return anchors_of[path]

broken = checked = 0
for doc in sys.argv[1:]:
    fenced = False
    with open(doc, encoding="utf-8") as f:
        lines = f.readlines()
    for number, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        text = strip_code(line)
        targets = re.findall(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)
        targets += re.findall(r"(?:src|href)=\"([^\"]+)\"", text)
        for target in targets:
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check
                continue
            checked += 1
            path, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
            why = None
            if not os.path.exists(resolved):
                why = f"no file {resolved}"
            elif anchor and os.path.isfile(resolved) and resolved.endswith(".md"):
                if anchor not in anchors(resolved):
                    why = f"no heading or <a id> '{anchor}' in {resolved}"
            if why:
                broken += 1
                print(f"FAIL {doc}:{number}: {target} ({why})")
print(f"{checked} links checked in {len(sys.argv) - 1} documents, {broken} broken")
sys.exit(1 if broken else 0)
PY
