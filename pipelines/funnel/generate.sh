#!/bin/sh
# generate.sh - write exports/2025-MM.zip, a year of the tea shop's
# monthly downloads, from generate.awk.  Deterministic: the same script
# gives the same rows; the zips are committed, so users never run this.
#
# Each month's zip holds what the shop owner downloads at the month's end:
# orders_export_1.csv (Shopify), data-export.csv and "data-export (1).csv"
# (two Google Analytics 4 downloads, the second without a date column),
# Meta Ads Manager's campaign export, Google Ads' "Campaign report.csv"
# in Excel's UTF-16LE and Judge.me's reviews export.  Shopify's products
# export, exports/products_export_1.csv, gives the orders their cost.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C awk -v out="$tmp" -f generate.awk
mkdir -p exports
cp "$tmp/products_export_1.csv" exports/
for dir in "$tmp"/2025-*; do
	month=${dir##*/}
	f="$dir/Campaign report.csv"
	{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$f"; } > "$f.new"
	mv "$f.new" "$f"
	# Fixed times and owners: the zip's bytes depend on the rows only.
	touch -t "${month%-*}${month#*-}280000" "$dir"/*
	rm -f "exports/$month.zip"
	(cd "$dir" && bsdtar --format zip --uid 0 --gid 0 --uname '' --gname '' \
	    -cf "$OLDPWD/exports/$month.zip" *)
done
