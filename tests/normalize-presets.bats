#!/usr/bin/env bats
# kpi-normalize presets: each shipped preset against a small invented export
# with the platform's real header line(s), through kpi-extract, compared byte
# for byte with hand-written typed rows.  Inputs are read relative to
# tests/fixtures so "_src" is short and stable; the UTF-16 Google Ads file is
# made in the per-test directory.

load test_helper

setup() {
	cd "$FIXTURES" || return 1
}

PRESETS='ga4
google-ads
klaviyo-campaigns
meta-ads
shopify-line-items
shopify-orders
shopify-products
stripe-subscriptions
woocommerce-orders'

# normalize FILE ARG...: kpi-extract FILE | kpi-normalize ARG...; the status
# is the first failure of the two.
normalize() {
	local file=$1
	shift
	set -o pipefail
	kpi-extract "$file" | kpi-normalize "$@"
}

# excel_csv SRC DST: Google Ads' "Excel CSV": UTF-16LE with a BOM, TAB
# separated, from a UTF-8 TSV.
excel_csv() {
	{
		printf '\377\376'
		iconv -f UTF-8 -t UTF-16LE "$1"
	} >"$2"
}

# --- Shopify -------------------------------------------------------------

@test "shopify-orders: one row per order, 3 line items folded, items summed" {
	run -0 --separate-stderr normalize presets/shopify_73col.csv \
	    --preset shopify-orders --stats
	assert_golden normalize/shopify-orders.ndjson
	assert_stderr 'kpi-normalize: 5 rows in, 3 out, 0 rejected, 0 dropped, 2 folded'
}

@test "shopify-orders: the 79-column header gives the same typed rows as the 73-column one" {
	run -0 --separate-stderr normalize presets/shopify_79col.csv \
	    --preset shopify-orders
	assert_stderr ''
	output=${output//presets\/shopify_79col.csv/presets\/shopify_73col.csv}
	assert_golden normalize/shopify-orders.ndjson
}

@test "shopify-line-items: one row per line item, currency and status carried from the order's first row" {
	run -0 --separate-stderr normalize presets/shopify_73col.csv \
	    --preset shopify-line-items --stats
	assert_golden normalize/shopify-line-items.ndjson
	assert_stderr 'kpi-normalize: 5 rows in, 5 out, 0 rejected, 0 dropped, 0 folded'
}

@test "shopify-line-items: the 79-column header gives the same typed rows as the 73-column one" {
	run -0 --separate-stderr normalize presets/shopify_79col.csv \
	    --preset shopify-line-items
	assert_stderr ''
	output=${output//presets\/shopify_79col.csv/presets\/shopify_73col.csv}
	assert_golden normalize/shopify-line-items.ndjson
}

@test "shopify-orders --stats: in = out + rejected + dropped + folded on a messy file" {
	run -1 --separate-stderr normalize presets/shopify_messy.csv \
	    --preset shopify-orders --stats
	assert_golden normalize/shopify-messy.ndjson
	assert_stderr "kpi-normalize: presets/shopify_messy.csv:4: field 'revenue': '12,3x' is not money
kpi-normalize: 7 rows in, 3 out, 1 rejected, 0 dropped, 3 folded"
}

@test "shopify-orders --rejects: the rejected raw row with _error, exit 0" {
	run -0 --separate-stderr normalize presets/shopify_messy.csv \
	    --preset shopify-orders --stats --rejects "$BATS_TEST_TMPDIR/rejects"
	assert_golden normalize/shopify-messy.ndjson
	assert_stderr 'kpi-normalize: 7 rows in, 3 out, 1 rejected, 0 dropped, 3 folded'
	assert_file_golden normalize/shopify-messy.rejects.ndjson \
	    "$BATS_TEST_TMPDIR/rejects"
}

# --- WooCommerce ---------------------------------------------------------

@test "woocommerce-orders: Analytics download, \"'-12.5\" refunds are negative" {
	run -0 --separate-stderr normalize presets/woocommerce_orders.csv \
	    --preset woocommerce-orders
	assert_golden normalize/woocommerce-orders.ndjson
	assert_stderr ''
}

@test "woocommerce-orders: e-mailed export (BOM, 'Net Sales', 'N. Revenue (formatted)')" {
	run -0 --separate-stderr normalize presets/woocommerce_orders_emailed.csv \
	    --preset woocommerce-orders
	assert_golden normalize/woocommerce-orders-emailed.ndjson
	assert_stderr ''
}

@test "woocommerce-orders: site-local dates take --tz" {
	run -0 --separate-stderr normalize presets/woocommerce_orders.csv \
	    --preset woocommerce-orders --tz America/New_York
	assert_stderr ''
	local want
	want=$(sed 's/\("time":"[^"]*\)Z"/\1-05:00"/' \
	    "$GOLDEN/normalize/woocommerce-orders.ndjson")
	assert_output "$want"
}

# --- GA4 -----------------------------------------------------------------

@test "ga4: '#' preamble and chart block skipped, chart rows dropped (not rejected)" {
	run -0 --separate-stderr normalize presets/ga4_channels_2024.csv \
	    --preset ga4 --stats
	assert_golden normalize/ga4-2024.ndjson
	assert_stderr 'kpi-normalize: 7 rows in, 5 out, 0 rejected, 2 dropped, 0 folded'
}

@test "ga4: 2023 names (Session default channel group, Users, Conversions, Total revenue)" {
	run -0 --separate-stderr normalize presets/ga4_channels_2023.csv \
	    --preset ga4
	assert_golden normalize/ga4-2023.ndjson
	assert_stderr ''
}

# --- Meta Ads ------------------------------------------------------------

@test "meta-ads: daily campaign rows, GBP from the header, summary row dropped" {
	run -0 --separate-stderr normalize presets/meta_gbp.csv \
	    --preset meta-ads --stats
	assert_golden normalize/meta-gbp.ndjson
	assert_stderr 'kpi-normalize: 5 rows in, 4 out, 0 rejected, 1 dropped, 0 folded'
}

@test "meta-ads: ad-level range rows, USD from the header, summary row dropped" {
	run -0 --separate-stderr normalize presets/meta_usd.csv \
	    --preset meta-ads --stats
	assert_golden normalize/meta-usd.ndjson
	assert_stderr 'kpi-normalize: 4 rows in, 3 out, 0 rejected, 1 dropped, 0 folded'
}

# --- Google Ads ----------------------------------------------------------

@test "google-ads: Day rows, ' --' is null, 'Total:' rows in column 1 dropped" {
	run -0 --separate-stderr normalize presets/google_ads_daily.csv \
	    --preset google-ads --stats
	assert_golden normalize/google-ads-daily.ndjson
	assert_stderr 'kpi-normalize: 8 rows in, 4 out, 0 rejected, 4 dropped, 0 folded'
}

@test "google-ads: UTF-16LE TAB 'Excel CSV', 'Total:' rows in column 3 dropped" {
	excel_csv presets/google_ads_keywords.tsv "$BATS_TEST_TMPDIR/keywords.csv"
	work
	run -0 --separate-stderr normalize keywords.csv --preset google-ads --stats
	assert_golden normalize/google-ads-keywords.ndjson
	assert_stderr 'kpi-normalize: 6 rows in, 3 out, 0 rejected, 3 dropped, 0 folded'
}

@test "google-ads --stats: in = out + rejected + dropped + folded on a messy file" {
	kpi-extract presets/google_ads_messy.csv >"$BATS_TEST_TMPDIR/rows" 2>/dev/null
	run -1 --separate-stderr kpi-normalize --preset google-ads --stats \
	    "$BATS_TEST_TMPDIR/rows"
	assert_golden normalize/google-ads-messy.ndjson
	assert_stderr "kpi-normalize: presets/google_ads_messy.csv:9: field 'time': 'Exported by Example Agency' is not time
kpi-normalize: 5 rows in, 2 out, 1 rejected, 2 dropped, 0 folded"
}

# --- Klaviyo -------------------------------------------------------------

@test "klaviyo-campaigns: counts written as floats, rates left out, account-zone times" {
	run -0 --separate-stderr normalize presets/klaviyo_campaigns.csv \
	    --preset klaviyo-campaigns
	assert_golden normalize/klaviyo-campaigns.ndjson
	assert_stderr ''
}

# --- Stripe --------------------------------------------------------------

@test "stripe-subscriptions: mrr of monthly, yearly and weekly plans (amount x quantity)" {
	run -0 --separate-stderr normalize presets/stripe_subscriptions.csv \
	    --preset stripe-subscriptions
	assert_golden normalize/stripe-subscriptions.ndjson
	assert_stderr ''
}

@test "stripe-subscriptions: Interval Count, day plans, older 'Start (UTC)'" {
	run -0 --separate-stderr normalize presets/stripe_subscriptions_counts.csv \
	    --preset stripe-subscriptions
	assert_golden normalize/stripe-subscriptions-counts.ndjson
	assert_stderr ''
}

# --- the preset list and texts -------------------------------------------

@test "--list-presets lists every preset, one a line, sorted" {
	run -0 --separate-stderr kpi-normalize --list-presets
	assert_output "$PRESETS"
	assert_stderr ''
}

@test "every shipped preset file is listed and names a known dataset" {
	local f names=
	for f in "$KPI_ROOT"/lib/normalize/presets/*.json; do
		names=$names${names:+$'\n'}$(basename "$f" .json)
		grep -Eq '"dataset": *"(orders|line_items|products|traffic|ads|email|subscriptions)"' \
		    "$f" || { echo "$f: bad dataset"; return 1; }
	done
	[ "$names" = "$PRESETS" ]
}

@test "--show-preset prints the preset as JSON that --spec reads to the same rows" {
	local name file
	while read -r name file <&3; do
		kpi-normalize --show-preset "$name" >"$BATS_TEST_TMPDIR/$name.json" ||
		    { echo "--show-preset $name failed"; return 1; }
		# Byte for byte the shipped file; --spec below shows it is JSON.
		cmp "$BATS_TEST_TMPDIR/$name.json" "$KPI_ROOT/lib/normalize/presets/$name.json" ||
		    { echo "--show-preset $name differs from lib/normalize/presets/$name.json"; return 1; }
		run -0 --separate-stderr normalize "presets/$file" --preset "$name"
		local want=$output
		[ -n "$want" ] || { echo "$name: no rows"; return 1; }
		run -0 --separate-stderr normalize "presets/$file" \
		    --spec "$BATS_TEST_TMPDIR/$name.json"
		assert_stderr '' && assert_output "$want" ||
		    { echo "--spec $name.json differs from --preset $name"; return 1; }
	done 3<<-EOF
	ga4 ga4_channels_2024.csv
	google-ads google_ads_daily.csv
	klaviyo-campaigns klaviyo_campaigns.csv
	meta-ads meta_usd.csv
	shopify-line-items shopify_73col.csv
	shopify-orders shopify_73col.csv
	shopify-products shopify_products.csv
	stripe-subscriptions stripe_subscriptions.csv
	woocommerce-orders woocommerce_orders.csv
	EOF
}

# --- a preset that does not fit its input (issue 15) -----------------------------

@test "presets: a preset none of whose columns is in the input is an error with the presets that fit, not rows of nulls" {
	local p
	for p in ga4 google-ads meta-ads; do
		run -2 --separate-stderr normalize presets/shopify_73col.csv --stats --preset "$p"
		assert_output '' || return 1
		[[ ${stderr_lines[0]} == "kpi-normalize: presets/shopify_73col.csv:2: none of the spec's columns is here ("*"); try --preset shopify-line-items or --preset shopify-orders" ]] ||
		    { echo "$p: ${stderr_lines[0]}"; return 1; }
		[ "${stderr_lines[1]}" = 'kpi-normalize: 0 rows in, 0 out, 0 rejected, 0 dropped, 0 folded' ]
	done
	run -2 --separate-stderr normalize presets/shopify_73col.csv --preset google-ads
	assert_stderr "kpi-normalize: presets/shopify_73col.csv:2: none of the spec's columns is here ('Day', 'Campaign', 'Ad group', 'Campaign type', 'Cost' and 5 more); try --preset shopify-line-items or --preset shopify-orders"
}

@test "presets: a required column missing names the preset that fits" {
	run -2 --separate-stderr normalize presets/stripe_subscriptions.csv --preset shopify-orders
	assert_output ''
	assert_stderr "kpi-normalize: presets/stripe_subscriptions.csv:2: no column 'Name', which the spec requires; try --preset stripe-subscriptions"
	run -2 --separate-stderr normalize presets/woocommerce_orders.csv --preset stripe-subscriptions
	assert_stderr "kpi-normalize: presets/woocommerce_orders.csv:2: no column 'id', which the spec requires; try --preset woocommerce-orders"
}

@test "presets: every row of an input dropped is an error naming it; the other inputs are written" {
	run -2 --separate-stderr bash -c 'kpi-extract presets/ga4_totals_only.csv presets/ga4_channels_2023.csv | kpi-normalize --stats --preset ga4'
	[ "${#lines[@]}" -eq 3 ]
	assert_stderr "kpi-normalize: presets/ga4_totals_only.csv: every row (1) was dropped by the spec's drop rules; nothing of it is written
kpi-normalize: 4 rows in, 3 out, 0 rejected, 1 dropped, 0 folded"
}

@test "presets: the right preset on each fixture gives no hint and no error" {
	run -0 --separate-stderr normalize presets/woocommerce_orders.csv --preset woocommerce-orders
	assert_stderr ''
	run -0 --separate-stderr normalize presets/meta_gbp.csv --preset meta-ads
	assert_stderr ''
}
