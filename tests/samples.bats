#!/usr/bin/env bats
# Every real export format of the platforms (the formats of the samples the
# project studied, written afresh with invented values in
# tests/fixtures/samples/) through kpi-extract --stats | kpi-normalize
# --preset --stats: every row accounted for (in = out + rejected + dropped +
# folded, and kpi-normalize's in is kpi-extract's out), and where the
# export carries the platform's own figures (Google Ads' "Total:" rows) the
# typed rows add up to them.  The expected figures are worked out by hand
# beside each test.

load test_helper

setup() {
	cd "$FIXTURES/samples" || return 1
}

# through FILE PRESET [option ...]: kpi-extract --stats FILE | kpi-normalize
# --stats --preset PRESET; sets output (the typed rows), xstats (extract's
# --stats line), nstats (normalize's), nerr (normalize's other stderr
# lines) and status (normalize's).
through() {
	local file=$1 preset=$2
	shift 2
	kpi-extract --stats "$file" >"$BATS_TEST_TMPDIR/rows" \
	    2>"$BATS_TEST_TMPDIR/xerr" || return 1
	xstats=$(tail -n 1 "$BATS_TEST_TMPDIR/xerr")
	status=0
	kpi-normalize --stats --preset "$preset" "$@" "$BATS_TEST_TMPDIR/rows" \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/nerr" || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	nstats=$(tail -n 1 "$BATS_TEST_TMPDIR/nerr")
	nerr=$(sed '$d' "$BATS_TEST_TMPDIR/nerr")
}

# accounted ROWS: extract read ROWS rows and normalize accounts for each of
# those it took in: in = out + rejected + dropped + folded (+ duplicates,
# where --stats counts them), as many typed rows as "out", and in = ROWS
# unless normalize stopped the input (then in = 0 and it said why).
accounted() {
	local rows=$1 in out rej drop fold dup=0
	[ "$xstats" = "kpi-extract: $rows row$([ "$rows" = 1 ] || echo s) from 1 source" ] ||
	    { echo "extract: $xstats"; return 1; }
	[[ $nstats =~ ^kpi-normalize:\ ([0-9]+)\ rows?\ in,\ ([0-9]+)\ out,\ ([0-9]+)\ rejected,\ ([0-9]+)\ dropped,\ ([0-9]+)\ folded(,\ ([0-9]+)\ duplicates?)?$ ]] ||
	    { echo "normalize: $nstats"; return 1; }
	in=${BASH_REMATCH[1]} out=${BASH_REMATCH[2]} rej=${BASH_REMATCH[3]}
	drop=${BASH_REMATCH[4]} fold=${BASH_REMATCH[5]} dup=${BASH_REMATCH[7]:-0}
	[ "$in" -eq $((out + rej + drop + fold + dup)) ] ||
	    { echo "not accounted: $nstats"; return 1; }
	[ "$(grep -c . "$BATS_TEST_TMPDIR/out")" -eq "$out" ] ||
	    { echo "$out out, but other rows written"; return 1; }
	[ "$in" -eq "$rows" ] || { [ "$in" -eq 0 ] && [ -n "$nerr" ]; } ||
	    { echo "normalize took $in of $rows rows: $nerr"; return 1; }
}

# sum FIELD: the sum of FIELD over the typed rows, to 2 decimals.
sum() {
	sed -n "s/.*\"$1\":\([-0-9.e]*\)[,}].*/\1/p" "$BATS_TEST_TMPDIR/out" |
	    awk '{ s += $1 } END { printf "%.2f\n", s }'
}

# values FIELD: FIELD's value in each typed row, one a line.
values() {
	sed -n "s/.*\"$1\":\(\"[^\"]*\"\|null\|true\|false\|[-0-9.e]*\).*/\1/p" \
	    "$BATS_TEST_TMPDIR/out"
}

# kpis METRIC,...: the typed rows through pipelines/kpis.json over all
# time, as "metric value" lines.
kpis() {
	kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" --every all \
	    --metrics "$1" "$BATS_TEST_TMPDIR/out" |
	    sed 's/.*"metric":"\([^"]*\)".*"value":\([^,}]*\).*/\1 \2/'
}

# --- Shopify orders -------------------------------------------------------

@test "samples: Shopify orders, 73 columns (2021-2022): 9 rows, 5 orders, the cancelled one does not count" {
	through shopify_orders_export_73col.csv shopify-orders
	accounted 9
	[ "$status" -eq 0 ]
	[ -z "$nerr" ]
	[ "$nstats" = 'kpi-normalize: 9 rows in, 5 out, 0 rejected, 0 dropped, 4 folded, 0 duplicates' ]
	# #2011 125.40 + #2010 265.00 + #2007 205.70 + #2001 125.00; #2004
	# (12.00, refunded in full) was cancelled: out, with its refund.
	run -0 kpis revenue,orders,gross_revenue,refunds,items,customers
	assert_output 'revenue 721.1
orders 4
gross_revenue 721.1
refunds 0
items 8
customers 4'
	# Multi-line notes without utm keys; Source web and an app name.
	[ "$(values channel | sort -u)" = '"Unassigned"' ]
}

@test "samples: Shopify orders, 78 columns (2022): a Tip line, a 0.00 order, a partial refund, a voided payment" {
	through shopify_orders_export_78col.csv shopify-orders
	accounted 9
	[ "$status" -eq 0 ]
	[ "$nstats" = 'kpi-normalize: 9 rows in, 5 out, 0 rejected, 0 dropped, 4 folded, 0 duplicates' ]
	# 37.74 + 0.00 + 52.50 + (195.00 - 40.00); #3060 (27.74) was voided.
	# Shopify's Gross sales: subtotals 35 + 0 + 50 + 195 = 280 plus the
	# discount of 35; Net sales: 280 less the 40 refunded.
	run -0 kpis revenue,orders,gross_revenue,refunds,gross_sales,net_sales,shipping,items
	assert_output 'revenue 245.24
orders 4
gross_revenue 285.24
refunds 40
gross_sales 315
net_sales 240
shipping 2.74
items 8'
}

@test "samples: Shopify orders, 79 columns (2023-2025): utm keys in JSON and in a landing URL give the channel" {
	through shopify_orders_export_79col.csv shopify-orders
	accounted 4
	[ "$status" -eq 0 ]
	[ "$nstats" = 'kpi-normalize: 4 rows in, 4 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates' ]
	# Klaviyo / email; an app id as Source; facebook / paid_social; none.
	[ "$(values channel)" = '"Email"
"Unassigned"
"Paid Social"
"Unassigned"' ]
	run -0 kpis revenue,orders
	assert_output 'revenue 240.57
orders 4'
}

# --- Shopify customers (no preset) and products -----------------------------

@test "samples: Shopify customers (2022, 2025) and products (2025): read whole; the orders preset refuses them, naming shopify-products for products" {
	local f rows
	for f in shopify_customers_export_2022.csv:2 shopify_customers_export_2025.csv:3 \
	    shopify_products_export_2025.csv:3; do
		rows=${f#*:} f=${f%:*}
		through "$f" shopify-orders
		accounted "$rows" || return 1
		[ "$status" -eq 2 ] || { echo "$f: exit $status"; return 1; }
		[ -z "$output" ] || { echo "$f: rows written"; return 1; }
	done
	[ "$nerr" = "kpi-normalize: shopify_products_export_2025.csv:2: none of the spec's columns is here ('Created at', 'Name', 'Email', 'Total', 'Subtotal' and 15 more); try --preset shopify-products" ]
	# The products export has its preset: one variant, two image rows.
	through shopify_products_export_2025.csv shopify-products
	accounted 3 || return 1
	[ "$nstats" = 'kpi-normalize: 3 rows in, 1 out, 0 rejected, 2 dropped, 0 folded, 0 duplicates' ]
}

# --- Stripe unified payments ------------------------------------------------

@test "samples: Stripe unified payments, all columns (2024): failed and incomplete payments out, AUD converted" {
	printf 'date,currency,rate\n2024-09-01,AUD,0.66\n' >"$BATS_TEST_TMPDIR/rates.csv"
	through stripe_unified_payments_2024.csv stripe-payments \
	    --rates "$BATS_TEST_TMPDIR/rates.csv" --currency USD
	accounted 4
	[ "$status" -eq 0 ]
	[ "$nstats" = 'kpi-normalize: 4 rows in, 4 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates' ]
	# Paid: 77.94 USD (20.00 refunded, fee 2.56) and 8.99 AUD (fee 0.43)
	# = 5.93 USD (of 5.9334; fee 0.28 of 0.2838: each amount to the cent,
	# as Stripe converts).  Failed (not captured) and
	# requires_payment_method (no id): out.
	run -0 kpis payment_volume,payment_refunds,net_volume,payment_fees,net_payments,payments,paying_customers
	assert_output 'payment_volume 83.87
payment_refunds 20
net_volume 63.87
payment_fees 2.84
net_payments 61.03
payments 2
paying_customers 2'
	[ "$(values channel)" = '"Unassigned"
"Paid Search"
"Unassigned"
"Email"' ]
}

@test "samples: Stripe unified payments, reduced columns (2026): a refunded payment nets 0, customers by e-mail" {
	through stripe_unified_payments_2026.csv stripe-payments
	accounted 5
	[ "$status" -eq 0 ]
	# 25 + 15 + 15 + 15 + 35 (refunded in full); fees 1.03 + 0.74 + 0.74
	# + 0.69 + 1.32; member1 paid twice.
	run -0 kpis payment_volume,payment_refunds,net_volume,payment_fees,payments,paying_customers
	assert_output 'payment_volume 105
payment_refunds 35
net_volume 70
payment_fees 4.52
payments 5
paying_customers 4'
}

# --- Google Ads: the "Total:" rows are the platform's figures ----------------
# These reports have no Day column: the range is in the second title line
# ("All time", "July 8, 2025 - July 31, 2025").  Today their rows have a
# null time; the range helper carries the range to the rows (issue 16), and
# then these tests can say which period the rows fall in.

@test "samples: Google Ads campaign report, all time: 4 campaigns add up to 'Total: Campaigns' and each type's total" {
	through google_ads_campaign_all_time.csv google-ads
	accounted 9
	[ "$status" -eq 0 ]
	# 5 "Total:" rows dropped: Campaigns, Account, and one per type.
	[ "$nstats" = 'kpi-normalize: 9 rows in, 4 out, 0 rejected, 5 dropped, 0 folded, 0 duplicates' ]
	[ "$(sum spend)" = 19415.17 ]		# Total: Campaigns, Cost
	[ "$(sum impressions)" = 3525368.00 ]	# Impr. "3,525,368"
	[ "$(sum clicks)" = 25625.00 ]
	[ "$(sum purchases)" = 411.00 ]		# Conversions
	# Total: Display 5987.98 = 2691.41 + 3296.57; Search; Performance Max.
	[ "$(values channel)" = '"Display"
"Display"
"Paid Search"
"Cross-network"' ]
}

@test "samples: Google Ads campaign report, a date range, INR: Video and Demand Gen add up to the totals" {
	through google_ads_campaign_date_range_inr.csv google-ads
	accounted 6
	[ "$nstats" = 'kpi-normalize: 6 rows in, 2 out, 0 rejected, 4 dropped, 0 folded, 0 duplicates' ]
	[ "$(sum spend)" = 2040.75 ]		# Total: Campaigns, 1200.50 + 840.25
	[ "$(sum impressions)" = 38487.00 ]
	[ "$(sum purchases)" = 12.00 ]
	[ "$(values currency | sort -u)" = '"INR"' ]
	[ "$(values channel)" = '"Paid Video"
"Cross-network"' ]
}

@test "samples: Google Ads search keyword report, Excel CSV (UTF-16LE, TAB): 'Total:' in column 3, keywords add up" {
	[ "$(head -c 2 google_ads_search_keyword_excel_utf16le.csv | od -An -tx1 | tr -d ' ')" = fffe ]
	through google_ads_search_keyword_excel_utf16le.csv google-ads
	accounted 10
	[ "$nstats" = 'kpi-normalize: 10 rows in, 3 out, 0 rejected, 7 dropped, 0 folded, 0 duplicates' ]
	[ "$(sum spend)" = 1.50 ]		# Total: All but removed keywords
	[ "$(sum impressions)" = 14.00 ]
	[ "$(sum clicks)" = 2.00 ]
	# No campaign type in a keyword report: a paid click of no known kind.
	[ "$(values channel | sort -u)" = '"Paid Other"' ]
}

@test "samples: Google Ads search terms report, Excel CSV (UTF-16LE, TAB): terms add up to 'Total: Search terms'" {
	through google_ads_search_terms_excel_utf16le.csv google-ads
	accounted 8
	[ "$nstats" = 'kpi-normalize: 8 rows in, 3 out, 0 rejected, 5 dropped, 0 folded, 0 duplicates' ]
	[ "$(sum spend)" = 1.50 ]
	[ "$(sum impressions)" = 15.00 ]
	[ "$(sum clicks)" = 2.00 ]
	[ "$(values currency | sort -u)" = '"CAD"' ]
}

@test "samples: Google Ads search terms report, CSV, cut short (no totals): every row kept" {
	through google_ads_search_terms_truncated.csv google-ads
	accounted 4
	[ "$nstats" = 'kpi-normalize: 4 rows in, 4 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates' ]
	[ "$(sum spend)" = 1.96 ]
	[ "$(values channel | sort -u)" = '"Paid Search"' ]
}

# --- Meta, Klaviyo --------------------------------------------------------

@test "samples: Meta Ads Manager, ad level (2026): whole-range rows, USD from the header, Paid Social" {
	through meta_ads_ad_level_2026.csv meta-ads
	accounted 3
	[ "$status" -eq 0 ]
	[ "$nstats" = 'kpi-normalize: 3 rows in, 3 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates' ]
	[ "$(sum spend)" = 277.17 ]
	[ "$(sum impressions)" = 37199.00 ]
	[ "$(values period_end | sort -u)" = '"2026-06-07"' ]
	[ "$(values channel | sort -u)" = '"Paid Social"' ]
}

@test "samples: Klaviyo campaigns (2025): counts as floats, an SMS campaign" {
	through klaviyo_campaigns_2025.csv klaviyo-campaigns
	accounted 3
	[ "$status" -eq 0 ]
	[ "$(sum recipients)" = 251601.00 ]
	[ "$(sum purchase_value)" = 3034.28 ]
	[ "$(values channel)" = '"Email"
"Email"
"SMS"' ]
}

@test "samples: Klaviyo campaigns, older TSV: Send Date, rates as fractions (left out), Email" {
	through klaviyo_campaigns_older.tsv klaviyo-campaigns
	accounted 2
	[ "$status" -eq 0 ]
	[ "$(values time)" = '"2024-07-03T00:00:00Z"
"2024-07-11T00:00:00Z"' ]
	[ "$(sum purchases)" = 59.00 ]
	[ "$(values channel | sort -u)" = '"Email"' ]
}

# --- Google Analytics 4 ---------------------------------------------------
# None of these downloads has a Date column: the range is in the preamble
# ("# Start date: 20231208").  Today the ga4 preset drops their rows (or
# stops at a first block none of whose columns it reads), each row
# accounted for.  For the range helper: once rows carry the report's range,
# assert here the rows each gives, and for the channel report the sessions
# per channel (482, 243, 148, 25, 6, 3 = 907).

@test "samples: GA4 city report (2021): chart blocks before the table, every row accounted for" {
	through ga4_city_2021.csv ga4
	accounted 11
}

@test "samples: GA4 events report (2023): a quoted cell with doubled quotes, every row accounted for" {
	through ga4_events_2023.csv ga4
	accounted 7
}

@test "samples: GA4 traffic acquisition re-saved by Excel (2023): padded lines and notes below, every row accounted for" {
	through ga4_excel_resaved_2023.csv ga4
	accounted 9
}

@test "samples: GA4 multi-block download (2023): Nth day blocks, every row accounted for" {
	through ga4_multiblock_2023.csv ga4
	accounted 12
}

@test "samples: GA4 reports snapshot (2024, CRLF, 9 blocks): every row accounted for" {
	[ "$(grep -c $'\r$' ga4_snapshot_2024_crlf.csv)" -eq 73 ]
	through ga4_snapshot_2024_crlf.csv ga4
	accounted 27
}

# --- every sample format has its test ---------------------------------------

@test "samples: each fixture here is used by a test of this file" {
	local f
	for f in *; do
		grep -q "$f" "$BATS_TEST_FILENAME" || { echo "$f: no test"; return 1; }
	done
	[ "$(ls | wc -l)" -eq 21 ]
}
