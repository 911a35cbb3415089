#!/usr/bin/env bats
# kpi-normalize: overlapping exports counted once (spec "key", kpi-normalize(1)
# DUPLICATES).  The exports are made here, in the platforms' own formats
# (Shopify's header names, times and multi-row orders; Meta's and Google Ads'
# headers, preamble and total rows; GA4's '#' preamble), so that each test
# shows the overlap it is about.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# normalize ARG... -- FILE...: kpi-extract FILE... | kpi-normalize ARG...
normalize() {
	local args=()
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	set -o pipefail
	kpi-extract "$@" | kpi-normalize "${args[@]}"
}

# shopify FILE ORDER...: a Shopify orders export.  ORDER is
# NUMBER:DAY:TOTAL:REFUNDED:LINES: the order #NUMBER of 2024-03-DAY, with
# LINES line items (rows), the order's fields on its first row only.
shopify() {
	local file=$1 o num day total refunded lines i status
	shift
	echo 'Name,Email,Financial Status,Paid at,Fulfillment Status,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Country,Cancelled at,Refunded Amount,Source' >"$file"
	for o in "$@"; do
		IFS=: read -r num day total refunded lines <<<"$o"
		status=paid
		[ "$refunded" = 0.00 ] || status=partially_refunded
		printf '#%s,c%s@example.com,%s,2024-03-%s 10:00:02 -0500,fulfilled,no,USD,%s,0.00,0.00,%s,,0.00,2024-03-%s 10:00:00 -0500,1,Mug — Blue,10.00,MUG-BL,US,,%s,web\n' \
		    "$num" "$num" "$status" "$day" "$total" "$total" "$day" "$refunded" >>"$file"
		for ((i = 2; i <= lines; i++)); do
			printf '#%s,,,,,,,,,,,,,2024-03-%s 10:00:00 -0500,2,Tea Towel,5.00,TT-%s,,,,\n' \
			    "$num" "$day" "$i" >>"$file"
		done
	done
}

# ids: the order ids of the typed rows in $rows, one a line.
ids() {
	printf '%s\n' "$rows" | sed -n 's/.*"order_id":"\([^"]*\)".*/\1/p'
}

# field NAME: the values of NAME in the typed rows of $rows, one a line.
field() {
	printf '%s\n' "$rows" | sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

# --- Shopify --------------------------------------------------------------

@test "dedup: the same Shopify export twice in a zip counts once" {
	shopify orders_export_1.csv 1003:10:49.63:0.00:1 1002:09:52.65:0.00:3 1001:01:20.00:0.00:2
	mkdir again
	cp orders_export_1.csv again/
	bsdtar -a -cf exports.zip orders_export_1.csv again/orders_export_1.csv
	run -0 --separate-stderr normalize --stats --preset shopify-orders -- exports.zip
	assert_stderr 'kpi-normalize: 12 rows in, 3 out, 0 rejected, 0 dropped, 3 folded, 6 duplicates'
	run -0 bash -c "kpi-extract exports.zip | kpi-normalize --preset shopify-orders | grep -c '\"_src\":\"exports.zip:orders_export_1.csv\"'"
	assert_output 3
	# Without dedup the zip counts every order twice.
	run -0 --separate-stderr normalize --stats --no-dedup --preset shopify-orders -- exports.zip
	assert_stderr 'kpi-normalize: 12 rows in, 6 out, 0 rejected, 0 dropped, 6 folded, 0 duplicates'
}

@test "dedup: overlapping 'last 30 days' exports: each order once, its line items summed once" {
	# Week 1 has #1001-#1003; week 2, downloaded a week later, #1002-#1005.
	shopify week1.csv 1003:10:30.00:0.00:2 1002:05:20.00:0.00:1 1001:01:10.00:0.00:3
	shopify week2.csv 1005:16:50.00:0.00:1 1004:12:40.00:0.00:2 1003:10:30.00:0.00:2 1002:05:20.00:0.00:1
	run -0 --separate-stderr normalize --stats --preset shopify-orders -- week1.csv week2.csv
	assert_stderr 'kpi-normalize: 12 rows in, 5 out, 0 rejected, 0 dropped, 4 folded, 3 duplicates'
	rows=$output
	run -0 ids
	assert_output '#1003
#1002
#1001
#1005
#1004'
	# items: 1 + 2 per extra line (3, 1, 5, 1, 3): no order's lines twice.
	run -0 field items
	assert_output '3
1
5
1
3'
	# revenue 30 + 20 + 10 + 50 + 40 = 150, not 200.
	run -0 bash -c "kpi-extract week1.csv week2.csv | kpi-normalize --preset shopify-orders | kpi-aggregate --every all -m 'r=sum(revenue)' -m 'n=count(order_id)' | grep -o '\"value\":[0-9.]*'"
	assert_output '"value":150
"value":5'
}

@test "dedup: a later copy that differs: the first copy read wins, so read the newest export first" {
	# #1002 was refunded after the first download.
	shopify old.csv 1002:05:20.00:0.00:1 1001:01:10.00:0.00:1
	shopify new.csv 1002:05:20.00:20.00:1 1001:01:10.00:0.00:1
	run -0 --separate-stderr normalize --stats --preset shopify-orders -- old.csv new.csv
	assert_stderr 'kpi-normalize: 4 rows in, 2 out, 0 rejected, 0 dropped, 0 folded, 2 duplicates'
	rows=$output
	run -0 field refunded
	assert_output '0
0'
	run -0 --separate-stderr normalize --preset shopify-orders -- new.csv old.csv
	rows=$output
	run -0 field refunded
	assert_output '20
0'
	run -0 field status
	assert_output '"partially_refunded"
"paid"'
}

@test "dedup: the same file read twice under one name is two sources" {
	shopify a.csv 1002:05:20.00:0.00:2 1001:01:10.00:0.00:1
	run -0 --separate-stderr normalize --stats --preset shopify-orders -- a.csv a.csv
	assert_stderr 'kpi-normalize: 6 rows in, 2 out, 0 rejected, 0 dropped, 1 folded, 3 duplicates'
	# Two streams of records joined after kpi-extract, the same.
	kpi-extract a.csv >a.ndjson
	run -0 --separate-stderr bash -c 'cat a.ndjson a.ndjson | kpi-normalize --stats --preset shopify-orders'
	assert_stderr 'kpi-normalize: 6 rows in, 2 out, 0 rejected, 0 dropped, 1 folded, 3 duplicates'
}

@test "dedup: shopify-line-items: an order's lines in one source all count; its copy in another none" {
	shopify week1.csv 1002:05:20.00:0.00:3 1001:01:10.00:0.00:1
	shopify week2.csv 1003:08:15.00:0.00:2 1002:05:20.00:0.00:3
	run -0 --separate-stderr normalize --stats --preset shopify-line-items -- week1.csv week2.csv
	assert_stderr 'kpi-normalize: 9 rows in, 6 out, 0 rejected, 0 dropped, 0 folded, 3 duplicates'
	rows=$output
	run -0 ids
	assert_output '#1002
#1002
#1002
#1001
#1003
#1003'
}

@test "dedup: an order folded across the end of one export and the start of the next is two entities, the second a copy" {
	# week1 ends with #1001, week2 starts with it: folding stops at the source.
	shopify week1.csv 1002:05:20.00:0.00:1 1001:01:10.00:0.00:2
	shopify week2.csv 1001:01:10.00:0.00:2 1000:01:5.00:0.00:1
	run -0 --separate-stderr normalize --stats --preset shopify-orders -- week1.csv week2.csv
	assert_stderr 'kpi-normalize: 6 rows in, 3 out, 0 rejected, 0 dropped, 1 folded, 2 duplicates'
	rows=$output
	run -0 field items
	assert_output '1
3
1'
	# Without a key, still two entities, not one of 4 rows.
	run -0 --separate-stderr normalize --stats --no-dedup --preset shopify-orders -- week1.csv week2.csv
	assert_stderr 'kpi-normalize: 6 rows in, 4 out, 0 rejected, 0 dropped, 2 folded, 0 duplicates'
}

@test "dedup: a rejected first copy leaves no key: the later good copy is written" {
	shopify old.csv 1001:01:10.00:0.00:1
	sed -i 's/,10.00,,0.00,/,1x.00,,0.00,/' old.csv
	shopify new.csv 1001:01:10.00:0.00:1
	run -0 --separate-stderr normalize --stats --rejects rej.ndjson --preset shopify-orders -- old.csv new.csv
	assert_stderr 'kpi-normalize: 2 rows in, 1 out, 1 rejected, 0 dropped, 0 folded, 0 duplicates'
	rows=$output
	run -0 field _src
	assert_output '"new.csv"'
}

@test "dedup: an entity cut short by a bad line leaves no key: its copy in the next input is written" {
	shopify a.csv 1001:01:10.00:0.00:2
	kpi-extract a.csv >a.ndjson
	printf 'not json\n' >>a.ndjson
	shopify b.csv 1001:01:10.00:0.00:2
	kpi-extract b.csv >b.ndjson
	run -2 --separate-stderr kpi-normalize --stats --preset shopify-orders a.ndjson b.ndjson
	[ "${stderr_lines[0]}" = 'kpi-normalize: a.ndjson:3:1: not kpi records, one JSON object a line: read CSV and other exports with kpi-extract first' ] ||
	    [[ ${stderr_lines[0]} == kpi-normalize:\ a.ndjson:3* ]]
	[ "${stderr_lines[1]}" = "kpi-normalize: a.csv:2: entity '#1001' of 'Name' (2 rows) not written: an input stopped before its end" ]
	[ "${stderr_lines[2]}" = 'kpi-normalize: 4 rows in, 1 out, 2 rejected, 0 dropped, 1 folded, 0 duplicates' ]
	rows=$output
	run -0 field _src
	assert_output '"b.csv"'
}

@test "dedup: --stats: in = out + rejected + dropped + folded + duplicates, and out is what was written" {
	shopify week1.csv 1003:10:30.00:0.00:2 1002:05:20.00:0.00:1 1001:01:10.00:0.00:3
	shopify week2.csv 1004:12:40.00:0.00:2 1003:10:30.00:0.00:2 1002:05:2x.00:0.00:1
	run -0 --separate-stderr normalize --stats --rejects rej.ndjson --preset shopify-orders -- week1.csv week2.csv
	[[ $stderr =~ ^kpi-normalize:\ ([0-9]+)\ rows?\ in,\ ([0-9]+)\ out,\ ([0-9]+)\ rejected,\ ([0-9]+)\ dropped,\ ([0-9]+)\ folded,\ ([0-9]+)\ duplicates?$ ]]
	m=("${BASH_REMATCH[@]}")
	[ "${m[1]}" -eq $((m[2] + m[3] + m[4] + m[5] + m[6])) ]
	[ "${m[2]}" -eq "${#lines[@]}" ]
	# #1002's copy in week2 is rejected (its Total does not read), not a duplicate.
	assert_stderr 'kpi-normalize: 11 rows in, 4 out, 1 rejected, 0 dropped, 4 folded, 2 duplicates'
}

# --- ads --------------------------------------------------------------------

# meta FILE START END DAY:CAMPAIGN:SPEND...: a Meta Ads Manager export by day,
# with its summary row first.
meta() {
	local file=$1 start=$2 end=$3 r day camp spend
	shift 3
	{
		echo '"Reporting starts","Reporting ends",Day,"Campaign name","Campaign delivery",Results,"Result indicator","Amount spent (GBP)",Impressions,Reach,Frequency,"CPM (cost per 1,000 impressions) (GBP)","Link clicks","Clicks (all)","Adds to cart",Purchases,"Purchases conversion value"'
		echo "$start,$end,,,,9,,999.99,15230,9870,1.54306,5.787919,201,344,21,9,361.4"
		for r in "$@"; do
			IFS=: read -r day camp spend <<<"$r"
			echo "$start,$end,$day,\"$camp\",active,3,actions:offsite_conversion.fb_pixel_purchase,$spend,4210,3120,1.349359,6.033254,58,97,7,3,119.85"
		done
	} >"$file"
}

@test "dedup: Meta exports of overlapping days: each campaign-day once" {
	meta mar1-2.csv 2024-03-01 2024-03-02 '2024-03-01:Spring Sale — UK:25.40' \
	    '2024-03-01:Retargeting, 30 days:18.75' '2024-03-02:Spring Sale — UK:30.00'
	meta mar2-3.csv 2024-03-02 2024-03-03 '2024-03-02:Spring Sale — UK:30.00' \
	    '2024-03-03:Spring Sale — UK:12.00'
	run -0 --separate-stderr normalize --stats --preset meta-ads -- mar1-2.csv mar2-3.csv
	assert_stderr 'kpi-normalize: 7 rows in, 4 out, 0 rejected, 2 dropped, 0 folded, 1 duplicate'
	rows=$output
	run -0 field spend
	assert_output '25.4
18.75
30
12'
}

@test "dedup: Meta breakdown rows of one ad and day in one export all count" {
	# By age: two rows of one campaign and day, in one export.
	meta by_age.csv 2024-03-01 2024-03-01 '2024-03-01:Spring Sale — UK:10.00' \
	    '2024-03-01:Spring Sale — UK:15.40'
	run -0 --separate-stderr normalize --stats --preset meta-ads -- by_age.csv
	assert_stderr 'kpi-normalize: 3 rows in, 2 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
	# Again in another export: both are copies.
	cp by_age.csv by_age_again.csv
	run -0 --separate-stderr normalize --stats --preset meta-ads -- by_age.csv by_age_again.csv
	assert_stderr 'kpi-normalize: 6 rows in, 2 out, 0 rejected, 2 dropped, 0 folded, 2 duplicates'
}

# gads FILE RANGE ROW...: a Google Ads campaign report (title, range line,
# header, rows, total line).
gads() {
	local file=$1 range=$2
	shift 2
	{
		echo 'Campaign report'
		echo "\"$range\""
		echo 'Day,Campaign,Campaign type,Currency code,Impr.,Clicks,Cost,Conversions,Conv. value,Search impr. share'
		printf '%s\n' "$@"
		echo 'Total: Campaigns, --, --,USD,"26,066",299,173.05,9.50,"1,523.50", --'
	} >"$file"
}

@test "dedup: Google Ads reports of overlapping days: each campaign-day once; rows without a day are never copies" {
	gads a.csv 'March 1, 2024 - March 2, 2024' \
	    '2024-03-01,Brand — Search,Search,USD,"1,204",88,41.20,3.00,129.50,> 90%' \
	    '2024-03-02,Brand — Search,Search,USD,980,71,35.10,2.00,84.00,< 10%'
	gads b.csv 'March 2, 2024 - March 3, 2024' \
	    '2024-03-02,Brand — Search,Search,USD,980,71,35.10,2.00,84.00,< 10%' \
	    '2024-03-03,Brand — Search,Search,USD,700,50,20.00,1.00,40.00,< 10%'
	run -0 --separate-stderr normalize --stats --preset google-ads -- a.csv b.csv
	assert_stderr 'kpi-normalize: 6 rows in, 3 out, 0 rejected, 2 dropped, 0 folded, 1 duplicate'
	rows=$output
	run -0 field spend
	assert_output '41.2
35.1
20'
	# Reports by range carry no Day: a month's row is no copy of another's.
	printf '%s\n' 'Campaign report' '"January 1, 2024 - January 31, 2024"' \
	    'Campaign,Campaign type,Currency code,Cost' 'Brand — Search,Search,USD,100.00' >jan.csv
	sed -e 's/January/February/g; s/100.00/90.00/' jan.csv >feb.csv
	run -0 --separate-stderr normalize --stats --preset google-ads -- jan.csv feb.csv
	assert_stderr 'kpi-normalize: 2 rows in, 2 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
	# Nor is the first fortnight's, which starts on the same day: the
	# report's last day is in the key.  The month downloaded twice is.
	sed -e 's/January 31/January 14/; s/100.00/40.00/' jan.csv >half.csv
	cp jan.csv jan-again.csv
	run -0 --separate-stderr normalize --stats --preset google-ads -- jan.csv half.csv jan-again.csv
	assert_stderr 'kpi-normalize: 3 rows in, 2 out, 0 rejected, 0 dropped, 0 folded, 1 duplicate'
}

@test "dedup: GA4 downloads of overlapping days: each date and channel once" {
	for f in 1:20240301:20240302 2:20240302:20240303; do
		IFS=: read -r n start end <<<"$f"
		{
			printf '# ----------------------------------------\n# Traffic acquisition: Session primary channel group (Default Channel Group)\n'
			printf '# Account: Example Shop\n# ----------------------------------------\n# \n'
			printf '# Start date: %s\n# End date: %s\n' "$start" "$end"
			echo 'Date,Session primary channel group (Default Channel Group),Sessions,Engaged sessions,Total users'
			echo "$start,Organic Search,80,52,70"
			echo "$start,Direct,60,30,55"
			echo "$end,Organic Search,95,61,88"
		} >ga4_$n.csv
	done
	run -0 --separate-stderr normalize --stats --preset ga4 -- ga4_1.csv ga4_2.csv
	assert_stderr 'kpi-normalize: 6 rows in, 5 out, 0 rejected, 0 dropped, 0 folded, 1 duplicate'
	rows=$output
	run -0 field sessions
	assert_output '80
60
95
60
95'
}

# --- specs ------------------------------------------------------------------

@test "dedup: a key is compared as typed: one day written two ways is one key" {
	printf '%s\n' '{"dataset":"t","key":["day","id"],"fields":[{"name":"day","from":"D","type":"date","format":["%Y-%m-%d","%d/%m/%Y"]},{"name":"id","from":"I","type":"integer"}]}' >s.json
	printf 'D,I\n2024-03-01,7\n2024-03-02,7\n' >a.csv
	printf 'I,D\n7.0,01/03/2024\n8,01/03/2024\n' >b.csv
	run -0 --separate-stderr normalize --stats --spec s.json -- a.csv b.csv
	assert_stderr 'kpi-normalize: 4 rows in, 3 out, 0 rejected, 0 dropped, 0 folded, 1 duplicate'
	assert_output '{"day":"2024-03-01","id":7,"_dataset":"t","_src":"a.csv","_line":2}
{"day":"2024-03-02","id":7,"_dataset":"t","_src":"a.csv","_line":3}
{"day":"2024-03-01","id":8,"_dataset":"t","_src":"b.csv","_line":3}'
}

@test "dedup: a row whose key fields are all null has no key and is always written" {
	printf '%s\n' '{"dataset":"t","key":"id","fields":[{"name":"id","from":"I","type":"string"},{"name":"v","from":"V","type":"number"}]}' >s.json
	printf 'I,V\n,1\nx,2\n' >a.csv
	cp a.csv b.csv
	run -0 --separate-stderr normalize --stats --spec s.json -- a.csv b.csv
	assert_stderr 'kpi-normalize: 4 rows in, 3 out, 0 rejected, 0 dropped, 0 folded, 1 duplicate'
	rows=$output
	run -0 field v
	assert_output '1
2
1'
}

@test "dedup: a spec's key must name its fields, each once" {
	base='"dataset":"t","fields":[{"name":"id","from":"I","type":"string"}]'
	printf '{%s,\n "key": ["id", "nope"]}\n' "$base" >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json /dev/null
	assert_stderr "kpi-normalize: s.json:2:16: 'key' names no field 'nope'"
	printf '{%s,\n "key": ["id", "id"]}\n' "$base" >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json /dev/null
	assert_stderr "kpi-normalize: s.json:2:16: 'key' names field 'id' twice"
	printf '{%s,\n "key": 3}\n' "$base" >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json /dev/null
	assert_stderr "kpi-normalize: s.json:2:9: 'key' must be a string or an array of strings"
	printf '{%s,\n "key": []}\n' "$base" >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json /dev/null
	assert_stderr "kpi-normalize: s.json:2:9: 'key' must be a string or an array of strings"
}

@test "dedup: the presets of orders, subscriptions, ads, analytics and email have a key" {
	for p in shopify-orders shopify-line-items woocommerce-orders \
	    stripe-subscriptions stripe-payments meta-ads google-ads ga4 \
	    klaviyo-campaigns trustpilot-reviews yotpo-reviews; do
		run -0 kpi-normalize --show-preset "$p"
		[[ $output == *'"key": ['* ]] || { echo "$p has no key"; false; }
	done
}
