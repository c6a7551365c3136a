#!/usr/bin/env bash
# fetch-npm.sh NAME VERSION INTEGRITY DEST
# Downloads one npm package tarball with `npm pack`, checks it against the
# published sha512 integrity string committed in the Makefile, and unpacks it
# into DEST (DEST/package/...). Does nothing when DEST already holds the
# verified package.
set -euo pipefail
name=$1 version=$2 integrity=$3 dest=$4
stamp="$dest/.integrity"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$integrity" ]; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>npm.log) || {
  cat "$tmp/npm.log" >&2; echo "fetch-npm: npm pack $name@$version failed" >&2; exit 1; }
tgz=$(ls "$tmp"/*.tgz)
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$integrity" ]; then
  echo "fetch-npm: $name@$version integrity mismatch: got $got, want $integrity" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tgz" -C "$dest"
echo "$integrity" > "$stamp"
echo "fetch-npm: $name@$version verified ($integrity)"
