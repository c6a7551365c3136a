#!/bin/sh
# Assembles the WebAssembly test modules from their text (wat2wasm, Debian
# package wabt). The .wasm files are committed; rerun after editing a .wat.
set -eu
cd "$(dirname "$0")"
for f in *.wat; do
	wat2wasm "$f" -o "${f%.wat}.wasm"
done
