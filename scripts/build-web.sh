#!/usr/bin/env bash
# build-web.sh SRC OUT NODE_MODULES: builds the booking page and the API docs into OUT, which
# jkjav-server loads at start (WEB_ROOT; `make build` runs this through web/CMakeLists.txt).
# Every file of SRC/assets, and Swagger UI's from NODE_MODULES/swagger-ui-dist, gets a name with its
# content's hash (assets/app.3f9a1c2b7d0e.js: cached for a year, a new build is a new name); the
# pages SRC/*.html refer to them as {{asset:NAME}}, replaced here. Text files get a gzip twin
# (FILE.gz, gzip -9), which the server sends to clients that accept gzip. Without swagger-ui-dist
# (no `make deps` yet) the docs page is left out, with a warning.
set -euo pipefail
src=${1:?usage: build-web.sh SRC OUT NODE_MODULES}
out=${2:?usage: build-web.sh SRC OUT NODE_MODULES}
modules=${3:?usage: build-web.sh SRC OUT NODE_MODULES}

# Built beside OUT and swapped in at the end: a server started meanwhile reads the old or the new site.
mkdir -p "$(dirname "$out")"
work=$(mktemp -d "$out.building.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/assets"

declare -A hashed  # NAME -> /assets/BASE.HASH.EXT
add_asset() {  # add_asset FILE: copies FILE under its hashed name
    local file=$1 name base ext digest
    name=$(basename "$file")
    base=${name%.*}
    ext=${name##*.}
    digest=$(sha256sum "$file" | cut -c1-12)
    cp "$file" "$work/assets/$base.$digest.$ext"
    hashed[$name]=/assets/$base.$digest.$ext
}

for file in "$src"/assets/*; do add_asset "$file"; done

pages=("$src"/index.html)
swagger=$modules/swagger-ui-dist
if [[ -f $swagger/swagger-ui-bundle.js && -f $swagger/swagger-ui.css ]]; then
    # Their source-map comments would send browser tools after files this build does not serve.
    for name in swagger-ui-bundle.js swagger-ui.css; do
        sed -e '/^\/[/*]# sourceMappingURL=/d' "$swagger/$name" >"$work/$name"
        add_asset "$work/$name"
        rm "$work/$name"
    done
    pages+=("$src"/docs.html)
else
    echo "build-web: $swagger is missing (run 'make deps'): building without /docs" >&2
fi

for page in "${pages[@]}"; do
    target=$work/$(basename "$page")
    cp "$page" "$target"
    for name in "${!hashed[@]}"; do
        sed -i "s|{{asset:$name}}|${hashed[$name]}|g" "$target"
    done
    if grep -o '{{asset:[^}]*}}' "$target" >&2; then
        echo "build-web: $(basename "$page") refers to assets that are not in $src/assets" >&2
        exit 1
    fi
done

while IFS= read -r -d '' file; do
    gzip -9 -n -c "$file" >"$file.gz"
done < <(find "$work" -type f \( -name '*.html' -o -name '*.css' -o -name '*.js' -o -name '*.svg' -o -name '*.json' \) -print0)

chmod -R a+rX "$work"
rm -rf "$out"
mv "$work" "$out"
trap - EXIT
