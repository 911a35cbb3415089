#!/usr/bin/env bash
# demo.sh - the example pipeline on the bundled sample exports.
#
# Zips the three exports in pipelines/samples/ the way they might arrive
# (the Google Analytics download gzipped inside the zip), runs kpi-extract
# on the archive, then kpi-normalize with the preset of each export, and
# shows what comes out.  The tools are taken from
# $KPI_BIN (default: cmd), relative to the repository root unless absolute.
set -eu

cd "$(dirname "$0")/.."
bin=${KPI_BIN:-cmd}
case $bin in
/*) ;;
*) bin=$PWD/$bin ;;
esac
samples=pipelines/samples

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() {
	printf '\n== %s\n' "$*"
}

step "The sample exports: one week (4-10 March 2024) of an invented tea shop"
cp "$samples/orders_export_1.csv" "$samples/Campaign report.csv" "$tmp/"
gzip -9n < "$samples/data-export.csv" > "$tmp/ga4.csv.gz"
(cd "$tmp" && bsdtar -a -cf exports.zip \
	orders_export_1.csv ga4.csv.gz "Campaign report.csv")
bsdtar -tf "$tmp/exports.zip"
echo "(orders_export_1.csv: Shopify orders, one row per line item;"
echo " ga4.csv.gz: a Google Analytics 4 download, gzipped inside the zip;"
echo " Campaign report.csv: a Google Ads campaign report)"

step "kpi-extract --stats exports.zip > rows.ndjson"
# The --stats line goes to standard error; keep it to show it in place.
if ! (cd "$tmp" && "$bin/kpi-extract" --stats exports.zip \
	> rows.ndjson 2> stats); then
	cat "$tmp/stats" >&2
	exit 2
fi
cat "$tmp/stats"

rows=$tmp/rows.ndjson

step "Rows per source, in archive order"
sed 's/.*"_src":"\([^"]*\)".*/\1/' "$rows" | uniq -c

step "The first Google Analytics row (the '#' preamble and CRLF are gone)"
grep -m 1 -F '"_src":"exports.zip:ga4.csv.gz"' "$rows"

step "The first Google Ads row (the title and date range lines are skipped)"
grep -m 1 -F '"_src":"exports.zip:Campaign report.csv"' "$rows"

step "Shopify order #1045: two line items, two rows (first 150 characters)"
grep -F '"Name":"#1045"' "$rows" | cut -c 1-150 | sed 's/$/.../'

step "A Shopify note with a comma and a newline: one field of one row"
grep -F '"Name":"#1044"' "$rows" |
	sed 's/.*\("Notes":"[^"]*"\).*\("_src".*\)/{...,\1,...,\2/'

step "The Google Ads total lines are rows too: kpi-normalize drops them"
grep -F '"Day":"Total: ' "$rows" | cut -c 1-72 | sed 's/$/.../'

# One preset per kind of export: --member picks the member for each.
normalize() {	# glob preset
	step "kpi-extract --member '$1' exports.zip | kpi-normalize --stats --preset $2"
	(cd "$tmp" && "$bin/kpi-extract" --member "$1" exports.zip |
		"$bin/kpi-normalize" --stats --preset "$2" > "$2.ndjson")
	head -n 3 "$tmp/$2.ndjson"
}
normalize 'orders_export_*.csv' shopify-orders
normalize 'ga4.csv' ga4
normalize 'Campaign report.csv' google-ads

# The typed rows share their names across platforms, so one catalogue of
# KPIs (pipelines/kpis.json) reads them all: ratios that join datasets,
# like conversion rate (orders / sessions), come out of one run.
step "kpi-aggregate --defs pipelines/kpis.json --every week (a few KPIs)"
cat "$tmp/shopify-orders.ndjson" "$tmp/ga4.ndjson" "$tmp/google-ads.ndjson" |
	"$bin/kpi-aggregate" --stats --defs pipelines/kpis.json --every week \
	    --metrics revenue,orders,aov,sessions,cr,spend,cpc,roas,blended_roas

# The same week against the goals of the catalogue: one evaluation per
# goal a point meets, with its status; --check makes a missed goal fail.
step "kpi-goal --defs pipelines/kpis.json --check: the week's verdicts"
cat "$tmp/shopify-orders.ndjson" "$tmp/ga4.ndjson" "$tmp/google-ads.ndjson" |
	"$bin/kpi-aggregate" --defs pipelines/kpis.json --every week \
	    --metrics aov,cr,ctr,cpc,roas |
	"$bin/kpi-goal" --defs pipelines/kpis.json --check 2>&1 |
	sed -n 's/.*"value":\([^,]*\),.*"goal":{"name":"\([^"]*\)".*"status":"\([^"]*\)".*/\2: \1, \3/p
s/^kpi-goal: /  --check: /p' || true

# Customers: new ones, and those who ordered twice (one in the sample).
step "kpi-aggregate --every week: customer metrics"
"$bin/kpi-aggregate" --defs pipelines/kpis.json --every week \
    --metrics customers,new_customers,repeat_customers,repeat_rate \
    "$tmp/shopify-orders.ndjson"

# The orders export has no cost: the products export's Cost per item is
# looked up by each line item's SKU, so the margin goal has a value.
step "kpi-normalize --lookup products=products_export_1.csv: cost, margin, fulfilment"
"$bin/kpi-extract" "$samples/orders_export_1.csv" |
	"$bin/kpi-normalize" --stats --preset shopify-orders \
	    --lookup "products=$samples/products_export_1.csv" 2>&1 >"$tmp/costed.ndjson"
"$bin/kpi-aggregate" --defs pipelines/kpis.json --every week \
    --metrics revenue,cost,gross_margin,fulfillment_hours "$tmp/costed.ndjson" |
	tee "$tmp/margin.ndjson"
"$bin/kpi-goal" --defs pipelines/kpis.json "$tmp/margin.ndjson" |
	sed -n 's/.*"value":\([^,]*\),.*"goal":{"name":"\(margin_45\)".*"status":"\([^"]*\)".*/\2: \1, \3/p'

# Scale-out: each part gives mergeable states, one --merge adds them up
# to exactly what a single run gives.
step "kpi-aggregate --partial on two halves, then --merge: same bytes"
rows=$(wc -l < "$tmp/shopify-orders.ndjson")
(cd "$tmp" && split -l $(( (rows + 1) / 2 )) shopify-orders.ndjson part.)
for p in "$tmp"/part.*; do
	"$bin/kpi-aggregate" --partial --defs pipelines/kpis.json \
	    --every month "$p"
done | "$bin/kpi-aggregate" --merge --defs pipelines/kpis.json \
    --every month > "$tmp/merged.ndjson"
"$bin/kpi-aggregate" --defs pipelines/kpis.json --every month \
    "$tmp/shopify-orders.ndjson" > "$tmp/serial.ndjson"
cmp "$tmp/serial.ndjson" "$tmp/merged.ndjson"
echo "$(wc -l < "$tmp/merged.ndjson") points, identical to the single run"

# The report: the week's KPIs and their goals, as a person reads them on
# a terminal, and the same as a self-contained HTML dashboard.
step "kpi-aggregate | kpi-goal | kpi-render: the week's report"
report=${KPI_DEMO_REPORT:-$PWD/demo-report.html}
cat "$tmp/shopify-orders.ndjson" "$tmp/ga4.ndjson" "$tmp/google-ads.ndjson" |
	"$bin/kpi-aggregate" --defs pipelines/kpis.json --every day \
	    --metrics revenue,orders,aov,sessions,cr,ctr,cpc,roas > "$tmp/points.ndjson"
"$bin/kpi-goal" --defs pipelines/kpis.json "$tmp/points.ndjson" > "$tmp/evals.ndjson"
"$bin/kpi-render" --defs pipelines/kpis.json --color never \
    --title 'Tea shop, 4-10 March 2024, by day' "$tmp/evals.ndjson"
"$bin/kpi-render" --defs pipelines/kpis.json --format html \
    --title 'Tea shop, 4-10 March 2024, by day' \
    --output "$report" "$tmp/evals.ndjson"
echo
echo "The HTML dashboard is in $report"

cat <<'EOF'

The whole pipeline, as the five tools chain in a shell or a Makefile:

  kpi-extract exports.zip | kpi-normalize --preset shopify-orders |
    kpi-aggregate --defs kpis.json --every week | kpi-goal --defs kpis.json |
    kpi-render --format html > report.html
EOF
