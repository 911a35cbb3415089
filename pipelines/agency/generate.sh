#!/bin/sh
# generate.sh - writes clients/NAME/2025-03.zip for each client from
# generate.awk.  The zips are committed; run this only to change them.
# Byte-stable: fixed member times, zip -X (no extra attributes).
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in acme birch cobalt; do
	mkdir -p "$tmp/$c" "clients/$c"
	awk -v client="$c" -v dir="$tmp/$c" -f generate.awk
	touch -t 202503310000 "$tmp/$c"/*
	rm -f "clients/$c/2025-03.zip"
	(cd "$tmp/$c" && TZ=UTC zip -qX -D - *.csv) > "clients/$c/2025-03.zip"
done
