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
judgeme-reviews
klaviyo-campaigns
meta-ads
shopify-line-items
shopify-orders
shopify-product-reviews
shopify-products
stripe-payments
stripe-subscriptions
trustpilot-reviews
woocommerce-orders
yotpo-reviews'

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
	assert_stderr 'kpi-normalize: 5 rows in, 3 out, 0 rejected, 0 dropped, 2 folded, 0 duplicates'
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
	assert_stderr 'kpi-normalize: 5 rows in, 5 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
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
kpi-normalize: 7 rows in, 3 out, 1 rejected, 0 dropped, 3 folded, 0 duplicates"
}

@test "shopify-orders --rejects: the rejected raw row with _error, exit 0" {
	run -0 --separate-stderr normalize presets/shopify_messy.csv \
	    --preset shopify-orders --stats --rejects "$BATS_TEST_TMPDIR/rejects"
	assert_golden normalize/shopify-messy.ndjson
	assert_stderr 'kpi-normalize: 7 rows in, 3 out, 1 rejected, 0 dropped, 3 folded, 0 duplicates'
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
	assert_stderr 'kpi-normalize: 7 rows in, 5 out, 0 rejected, 2 dropped, 0 folded, 0 duplicates'
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
	assert_stderr 'kpi-normalize: 5 rows in, 4 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
}

@test "meta-ads: ad-level range rows, USD from the header, summary row dropped" {
	run -0 --separate-stderr normalize presets/meta_usd.csv \
	    --preset meta-ads --stats
	assert_golden normalize/meta-usd.ndjson
	assert_stderr 'kpi-normalize: 4 rows in, 3 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
}

# --- Google Ads ----------------------------------------------------------

@test "google-ads: Day rows, ' --' is null, 'Total:' rows in column 1 dropped" {
	run -0 --separate-stderr normalize presets/google_ads_daily.csv \
	    --preset google-ads --stats
	assert_golden normalize/google-ads-daily.ndjson
	assert_stderr 'kpi-normalize: 8 rows in, 4 out, 0 rejected, 4 dropped, 0 folded, 0 duplicates'
}

@test "google-ads: UTF-16LE TAB 'Excel CSV', 'Total:' rows in column 3 dropped" {
	excel_csv presets/google_ads_keywords.tsv "$BATS_TEST_TMPDIR/keywords.csv"
	work
	run -0 --separate-stderr normalize keywords.csv --preset google-ads --stats
	assert_golden normalize/google-ads-keywords.ndjson
	assert_stderr 'kpi-normalize: 6 rows in, 3 out, 0 rejected, 3 dropped, 0 folded, 0 duplicates'
}

@test "google-ads --stats: in = out + rejected + dropped + folded on a messy file" {
	kpi-extract presets/google_ads_messy.csv >"$BATS_TEST_TMPDIR/rows" 2>/dev/null
	run -1 --separate-stderr kpi-normalize --preset google-ads --stats \
	    "$BATS_TEST_TMPDIR/rows"
	assert_golden normalize/google-ads-messy.ndjson
	assert_stderr "kpi-normalize: presets/google_ads_messy.csv:9: field 'time': 'Exported by Example Agency' is not time
kpi-normalize: 5 rows in, 2 out, 1 rejected, 2 dropped, 0 folded, 0 duplicates"
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
		grep -Eq '"dataset": *"(orders|line_items|products|traffic|ads|email|subscriptions|reviews|payments)"' \
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
	stripe-payments ../samples/stripe_unified_payments_2024.csv
	shopify-products shopify_products.csv
	stripe-subscriptions stripe_subscriptions.csv
	woocommerce-orders woocommerce_orders.csv
	EOF
}

# --- channel, net revenue, orders that count, currency (issue 16) ------------

# fields FIELD... : each typed row of the last run as the values of FIELDs,
# separated by spaces, one row a line.
fields() {
	local f line out=
	while IFS= read -r line; do
		local row=
		for f in "$@"; do
			row=$row${row:+ }$(sed -n "s/.*\"$f\":\(\"[^\"]*\"\|null\|true\|false\|[-0-9.e]*\).*/\1/p" <<<"$line")
		done
		out=$out${out:+$'\n'}$row
	done <<<"$output"
	output=$out
}

@test "shopify-orders: net revenue less refunds; a cancelled order keeps its row, its amounts null; channel Unassigned without utm keys" {
	run -0 --separate-stderr normalize presets/shopify_73col.csv --preset shopify-orders
	fields order_id revenue refunded net_revenue counted customer channel
	# #1002: 52.65 less 15 refunded; #1001 cancelled (refunded in full).
	assert_output '"#1003" 49.63 0 49.63 true "ann.lee@example.com" "Unassigned"
"#1002" 52.65 15 37.65 true "bob@example.com" "Unassigned"
"#1001" null null null null null "Unassigned"'
}

@test "shopify-orders: utm lines of Note Attributes give the channel by GA4's rules; Source alone, tiktok, is Organic Social" {
	printf '%s\n' 'Name,Created at,Total,Refunded Amount,Source,Note Attributes,Financial Status' \
	    '#1,2024-03-10 10:00:00 +0000,21.95,0.00,web,"utm_source: newsletter' 'utm_medium: email",paid' \
	    '#2,2024-03-10 11:00:00 +0000,10.00,0.00,web,"landing_site: /?utm_source=google&utm_medium=cpc",paid' \
	    '#3,2024-03-10 12:00:00 +0000,10.00,0.00,tiktok,,paid' \
	    '#4,2024-03-10 13:00:00 +0000,10.00,0.00,web,"utm_campaign: cross-network-spring",paid' \
	    '#5,2024-03-10 14:00:00 +0000,10.00,0.00,pos,,voided' \
	    '#6,2024-03-10 15:00:00 +0000,10.00,2.50,,,partially_refunded' >"$BATS_TEST_TMPDIR/o.csv"
	work
	run -0 --separate-stderr normalize o.csv --preset shopify-orders
	fields order_id channel net_revenue counted
	assert_output '"#1" "Email" 21.95 true
"#2" "Paid Search" 10 true
"#3" "Organic Social" 10 true
"#4" "Cross-network" 10 true
"#5" "Unassigned" null null
"#6" "Unassigned" 7.5 true'
}

@test "woocommerce-orders: attribution by GA4's rules; refund rows net, not counted; failed orders out; --source-currency converts with --rates" {
	printf '%s\n' 'Date,"Order #",Status,Customer,"Net sales",Attribution' \
	    '2024-03-02T14:05:00,1045,completed,"Jane Doe",54.5,"Organic: Google"' \
	    '2024-03-02T16:40:12,1046,processing,"Ali Khan",18,"Referral: t.co"' \
	    '2024-03-03T09:00:00,1045,refunded,"Jane Doe",-12.5,"Organic: Google"' \
	    '2024-03-03T10:00:00,1047,failed,"Sam Roe",30,"Source: newsletter"' \
	    '2024-03-03T11:00:00,1048,completed,"Sam Roe",10,Direct' >"$BATS_TEST_TMPDIR/w.csv"
	printf 'date,currency,rate\n2024-03-01,EUR,0.5\n' >"$BATS_TEST_TMPDIR/rates.csv"
	work
	run -0 --separate-stderr normalize w.csv --preset woocommerce-orders
	fields order_id channel revenue net_revenue counted currency
	assert_output '"1045" "Organic Search" 54.5 54.5 true null
"1046" "Organic Social" 18 18 true null
"1045" "Organic Search" -12.5 -12.5 null null
"1047" "Unassigned" null null null null
"1048" "Direct" 10 10 true null'
	run -0 --separate-stderr normalize w.csv --preset woocommerce-orders \
	    --source-currency EUR
	fields net_revenue currency
	assert_output '54.5 "EUR"
18 "EUR"
-12.5 "EUR"
null "EUR"
10 "EUR"'
	run -0 --separate-stderr normalize w.csv --preset woocommerce-orders \
	    --source-currency EUR --rates rates.csv --currency GBP
	fields revenue net_revenue currency
	assert_output '27.25 27.25 "GBP"
9 9 "GBP"
-6.25 -6.25 "GBP"
null null "GBP"
5 5 "GBP"'
}

@test "--source-currency: a row that names its currency keeps it; a bad code is a usage error" {
	run -0 --separate-stderr normalize presets/shopify_73col.csv --preset shopify-orders \
	    --source-currency EUR
	fields currency
	assert_output '"USD"
"USD"
"USD"'
	run -2 --separate-stderr kpi-normalize --preset ga4 --source-currency eur
	assert_stderr_line "^kpi-normalize: bad currency code 'eur'"
}

@test "ga4, google-ads, meta-ads, klaviyo-campaigns: one channel vocabulary" {
	run -0 --separate-stderr normalize presets/ga4_channels_2023.csv --preset ga4
	fields channel
	assert_output '"Organic Search"
"Email"
"Direct"'
	run -0 --separate-stderr normalize presets/google_ads_daily.csv --preset google-ads
	fields campaign_type channel
	assert_output '"Search" "Paid Search"
"Performance Max" "Cross-network"
"Search" "Paid Search"
"Performance Max" "Cross-network"'
	run -0 --separate-stderr normalize presets/meta_gbp.csv --preset meta-ads
	fields channel
	assert_output '"Paid Social"
"Paid Social"
"Paid Social"
"Paid Social"'
	run -0 --separate-stderr normalize presets/klaviyo_campaigns.csv --preset klaviyo-campaigns
	fields channel
	assert_output '"Email"
"Email"
"SMS"'
}

@test "stripe-payments: the subscriptions export is not a payments export, and the other way round" {
	run -2 --separate-stderr normalize presets/stripe_subscriptions.csv --preset stripe-payments
	assert_output ''
	[[ ${stderr_lines[0]} == *"which the spec requires; try --preset stripe-subscriptions" ]]
	run -2 --separate-stderr normalize ../fixtures/samples/stripe_unified_payments_2026.csv \
	    --preset stripe-subscriptions
	assert_output ''
	[[ ${stderr_lines[0]} == *"no column 'Interval', which the spec requires; try --preset stripe-payments" ]]
}

# --- a preset that does not fit its input (issue 15) -----------------------------

@test "presets: a preset none of whose columns is in the input is an error with the presets that fit, not rows of nulls" {
	local p
	for p in ga4 google-ads meta-ads; do
		run -2 --separate-stderr normalize presets/shopify_73col.csv --stats --preset "$p"
		assert_output '' || return 1
		[[ ${stderr_lines[0]} == "kpi-normalize: presets/shopify_73col.csv:2: none of the spec's columns is here ("*"); try --preset shopify-line-items or --preset shopify-orders" ]] ||
		    { echo "$p: ${stderr_lines[0]}"; return 1; }
		[ "${stderr_lines[1]}" = 'kpi-normalize: 0 rows in, 0 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates' ]
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
kpi-normalize: 4 rows in, 3 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates"
}

@test "presets: the right preset on each fixture gives no hint and no error" {
	run -0 --separate-stderr normalize presets/woocommerce_orders.csv --preset woocommerce-orders
	assert_stderr ''
	run -0 --separate-stderr normalize presets/meta_gbp.csv --preset meta-ads
	assert_stderr ''
}
