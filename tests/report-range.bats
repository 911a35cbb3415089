#!/usr/bin/env bats
# Reports without a date column (issue 16): the range a GA4 or Google Ads
# download gives in its preamble goes from kpi-extract (_start, _end) through
# the presets (time, end_date) to kpi-aggregate, which counts a row in the
# period that holds its days and rejects one whose days cross the period's
# bounds.  The fixtures are invented, in the platforms' formats: GA4's '#'
# preamble, blocks and CRLF; Google Ads' title lines, totals rows, and the
# "Excel CSV" (UTF-16LE, TAB, CRLF) made here from a UTF-8 TSV.

load test_helper

setup() {
	cd "$FIXTURES" || return 1
}

# excel_csv SRC DST: Google Ads' "Excel CSV" of a UTF-8 TSV: a UTF-16LE BOM,
# UTF-16LE text, CRLF line ends.
excel_csv() {
	{
		printf '\377\376'
		sed 's/$/\r/' "$1" | iconv -f UTF-8 -t UTF-16LE
	} >"$2"
}

# typed FILE PRESET: kpi-extract FILE | kpi-normalize --preset PRESET.
typed() {
	set -o pipefail
	kpi-extract "$1" | kpi-normalize --preset "$2"
}

# agg FILE PRESET ARG...: typed rows of FILE aggregated with ARG...
agg() {
	local file=$1 preset=$2
	shift 2
	set -o pipefail
	kpi-extract "$file" | kpi-normalize --preset "$preset" |
	    kpi-aggregate "$@"
}

# --- kpi-extract: the range onto each row ---------------------------------

@test "extract: GA4 '# Start date' and '# End date' give each row _start and _end, before _src (CRLF, every block)" {
	run -0 --separate-stderr kpi-extract presets/ga4_snapshot_range.csv
	assert_stderr ''
	[ "${#lines[@]}" -eq 12 ]
	assert_records
	[ "${lines[0]}" = '{"Nth day":"0000","Average engagement time":"11984.736842105263","_start":"2023-12-08","_end":"2024-01-04","_src":"presets/ga4_snapshot_range.csv","_line":10}' ]
	[ "${lines[5]}" = '{"Event name":"screen_view","Event count":"4583","_start":"2023-12-08","_end":"2024-01-04","_src":"presets/ga4_snapshot_range.csv","_line":24}' ]
	local l
	for l in "${lines[@]}"; do
		[[ $l == *'"_start":"2023-12-08","_end":"2024-01-04","_src":'* ]] ||
		    { echo "no range: $l"; return 1; }
	done
}

@test "extract: Google Ads' title line gives the range: en-US quoted, en-GB in an Excel CSV (UTF-16LE, TAB, CRLF)" {
	run -0 --separate-stderr kpi-extract presets/google_ads_campaign_month.csv
	assert_stderr ''
	[[ ${lines[0]} == '{"Campaign status":"Enabled","Campaign":"Brand — Search",'*'"Cost / conv.":"13.73","_start":"2023-11-01","_end":"2023-11-30","_src":"presets/google_ads_campaign_month.csv","_line":4}' ]]
	excel_csv presets/google_ads_search_terms_week.tsv "$BATS_TEST_TMPDIR/terms.csv"
	work
	run -0 --separate-stderr kpi-extract terms.csv
	assert_stderr ''
	[ "${lines[0]}" = '{"Search term":"blue mug","Match type":"Broad match","Added/Excluded":"None","Campaign":"Brand — Search","Ad group":"Mugs","Clicks":"12","Impr.":"140","CTR":"8.57%","Currency code":"GBP","Avg. CPC":"0.40","Cost":"4.80","Campaign type":"Search","Conv. rate":"8.33%","Conversions":"1.00","Cost / conv.":"4.80","_start":"2024-03-04","_end":"2024-03-10","_src":"terms.csv","_line":4}' ]
}

@test "extract: 'All time' gives _start and _end null; --skip reads the skipped title lines too" {
	run -0 --separate-stderr kpi-extract presets/google_ads_all_time.csv
	[[ ${lines[0]} == *'"Conversions":"22.00","_start":null,"_end":null,"_src":"presets/google_ads_all_time.csv","_line":4}' ]]
	local want=$output
	run -0 --separate-stderr kpi-extract --skip 2 presets/google_ads_all_time.csv
	assert_output "$want"
	run -0 --separate-stderr kpi-extract --skip 2 presets/google_ads_campaign_month.csv
	[[ ${lines[0]} == *'"_start":"2023-11-01","_end":"2023-11-30","_src":'* ]]
}

@test "extract: a file without a range in its preamble has no _start or _end" {
	run -0 --separate-stderr kpi-extract presets/shopify_73col.csv presets/meta_usd.csv
	[[ $output != *'"_start"'* && $output != *'"_end"'* ]]
	work
	printf 'Campaign report\nLast month\nCampaign,Cost\nA,1.00\n' >r.csv
	run -0 --separate-stderr kpi-extract r.csv
	assert_output '{"Campaign":"A","Cost":"1.00","_src":"r.csv","_line":4}'
}

# --- kpi-normalize: every row accounted for, time and end_date -----------

@test "presets: every GA4 and Google Ads fixture gives rows, and --stats accounts for every row" {
	local f p s in out rej drop fold
	excel_csv presets/google_ads_search_terms_week.tsv "$BATS_TEST_TMPDIR/terms.csv"
	excel_csv presets/google_ads_keywords.tsv "$BATS_TEST_TMPDIR/keywords.csv"
	while read -r p f; do
		run --separate-stderr typed "$f" "$p"
		[ "$status" -le 1 ] || { echo "$f: status $status: $stderr"; return 1; }
		[ "${#lines[@]}" -gt 0 ] || { echo "$f: no rows"; return 1; }
		s=$(kpi-extract "$f" 2>/dev/null | kpi-normalize --stats --preset "$p" 2>&1 >/dev/null | tail -n 1)
		read -r in out rej drop fold dup <<<"$(printf '%s\n' "$s" |
		    sed -n 's/^kpi-normalize: \([0-9]*\) rows* in, \([0-9]*\) out, \([0-9]*\) rejected, \([0-9]*\) dropped, \([0-9]*\) folded, \([0-9]*\) duplicates*$/\1 \2 \3 \4 \5 \6/p')"
		[ -n "$in" ] || { echo "$f: $s"; return 1; }
		[ "$in" -eq $((out + rej + drop + fold + dup)) ] || { echo "$f: $s"; return 1; }
		[ "$out" -eq "${#lines[@]}" ] || { echo "$f: $s"; return 1; }
	done <<-EOF
	ga4 presets/ga4_traffic_month.csv
	ga4 presets/ga4_pages_week.csv
	ga4 presets/ga4_events_year.csv
	ga4 presets/ga4_snapshot_range.csv
	ga4 presets/ga4_channels_2023.csv
	ga4 presets/ga4_channels_2024.csv
	google-ads presets/google_ads_campaign_month.csv
	google-ads presets/google_ads_all_time.csv
	google-ads presets/google_ads_daily.csv
	google-ads presets/google_ads_messy.csv
	google-ads $BATS_TEST_TMPDIR/terms.csv
	google-ads $BATS_TEST_TMPDIR/keywords.csv
	EOF
}

@test "ga4: a report without Date: time is the range's first day, end_date its last; the chart's 'Nth day' rows are dropped" {
	run -0 --separate-stderr bash -c 'kpi-extract presets/ga4_traffic_month.csv | kpi-normalize --stats --preset ga4'
	assert_stderr 'kpi-normalize: 7 rows in, 4 out, 0 rejected, 3 dropped, 0 folded, 0 duplicates'
	[ "${lines[0]}" = '{"time":"2024-01-01T00:00:00Z","end_date":"2024-01-31","channel":"Organic Search","campaign":null,"country":null,"sessions":612,"engaged_sessions":401,"users":null,"new_users":null,"add_to_carts":null,"checkouts":null,"purchases":null,"purchase_value":559.3,"key_events":14,"currency":null,"platform":"ga4","_dataset":"traffic","_src":"presets/ga4_traffic_month.csv","_line":18}' ]
	[[ ${lines[3]} == '{"time":"2024-01-01T00:00:00Z","end_date":"2024-01-31","channel":"Unassigned",'* ]]
	# A Date column still wins: each row covers its own day.
	run -0 --separate-stderr typed presets/ga4_channels_2023.csv ga4
	[[ ${lines[2]} == '{"time":"2023-06-26T00:00:00Z","end_date":"2023-06-26","channel":"Direct",'* ]]
}

@test "ga4: a snapshot's tables by event and page are rows of its range; its charts are dropped" {
	run -0 --separate-stderr bash -c 'kpi-extract presets/ga4_snapshot_range.csv | kpi-normalize --stats --preset ga4'
	assert_stderr 'kpi-normalize: 12 rows in, 5 out, 0 rejected, 7 dropped, 0 folded, 0 duplicates'
	local l
	for l in "${lines[@]}"; do
		[[ $l == '{"time":"2023-12-08T00:00:00Z","end_date":"2024-01-04",'* ]] ||
		    { echo "$l"; return 1; }
	done
}

@test "google-ads: a report without Day: time and end_date from the title line; 'All time' gives null both" {
	run -0 --separate-stderr typed presets/google_ads_campaign_month.csv google-ads
	[ "${lines[1]}" = '{"time":"2023-11-01T00:00:00Z","end_date":"2023-11-30","campaign":"Deck, siding & other_Display","ad_group":null,"campaign_type":"Display","spend":157.2,"currency":"USD","impressions":245112,"clicks":1310,"purchases":2,"purchase_value":null,"channel":"Display","platform":"google_ads","_dataset":"ads","_src":"presets/google_ads_campaign_month.csv","_line":5}' ]
	run -0 --separate-stderr typed presets/google_ads_all_time.csv google-ads
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} == '{"time":null,"end_date":null,"campaign":"Leads — Smart",'* ]]
	# With Day, each row is its day.
	run -0 --separate-stderr typed presets/google_ads_daily.csv google-ads
	[[ ${lines[2]} == '{"time":"2024-03-02T00:00:00Z","end_date":"2024-03-02",'* ]]
}

# --- kpi-aggregate: the period that holds the range, or a rejection ------

@test "aggregate: a month's report counts in its month; cut into weeks it is rejected, with the reason" {
	run -0 --separate-stderr agg presets/ga4_traffic_month.csv ga4 \
	    -m 'sessions=sum(sessions)' --every month --stats
	assert_output '{"metric":"sessions","period":"2024-01","start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z","dims":{},"value":1216}'
	assert_stderr 'kpi-aggregate: 4 rows in, 0 rejected, 1 group, 1 point'
	run -1 --separate-stderr agg presets/ga4_traffic_month.csv ga4 \
	    -m 'sessions=sum(sessions)' --every week --stats
	assert_output ''
	assert_stderr "kpi-aggregate: presets/ga4_traffic_month.csv:18: row covers 2024-01-01 to 2024-01-31, across the weeks 2024-W01 to 2024-W05: a report's range cannot be cut into weeks
kpi-aggregate: presets/ga4_traffic_month.csv:19: row covers 2024-01-01 to 2024-01-31, across the weeks 2024-W01 to 2024-W05: a report's range cannot be cut into weeks
kpi-aggregate: presets/ga4_traffic_month.csv:20: row covers 2024-01-01 to 2024-01-31, across the weeks 2024-W01 to 2024-W05: a report's range cannot be cut into weeks
kpi-aggregate: presets/ga4_traffic_month.csv:21: row covers 2024-01-01 to 2024-01-31, across the weeks 2024-W01 to 2024-W05: a report's range cannot be cut into weeks
kpi-aggregate: 4 rows in, 4 rejected, 0 groups, 0 points"
	# With --rejects the rows go to the file, each with its _error.
	run -0 --separate-stderr agg presets/ga4_traffic_month.csv ga4 \
	    -m 'sessions=sum(sessions)' --every week --rejects r.ndjson
	assert_stderr ''
	[ "$(grep -c . r.ndjson)" -eq 4 ]
	run -0 sed -n 's/.*"_error":\({[^}]*}\).*"_line":\([0-9]*\)}$/\2 \1/p' r.ndjson
	[ "${lines[0]}" = '18 {"field":"end_date","column":"end_date","value":"2024-01-31","expected":"a range within one period"}' ]
	# Quarter, year and all hold the month too.
	local e
	for e in quarter year all; do
		run -0 --separate-stderr agg presets/ga4_traffic_month.csv ga4 \
		    -m 'sessions=sum(sessions)' --every "$e"
		[[ $output == *'"value":1216}' ]] || { echo "$e: $output"; return 1; }
	done
}

@test "aggregate: Google Ads month report: spend per month by campaign type; weeks rejected" {
	run -0 --separate-stderr agg presets/google_ads_campaign_month.csv google-ads \
	    -m 'spend=sum(spend)' --every month --by campaign_type --total
	assert_output '{"metric":"spend","period":"2023-11","start":"2023-11-01T00:00:00Z","end":"2023-12-01T00:00:00Z","dims":{},"value":1536.7}
{"metric":"spend","period":"2023-11","start":"2023-11-01T00:00:00Z","end":"2023-12-01T00:00:00Z","dims":{"campaign_type":"Display"},"value":157.2}
{"metric":"spend","period":"2023-11","start":"2023-11-01T00:00:00Z","end":"2023-12-01T00:00:00Z","dims":{"campaign_type":"Performance Max"},"value":967.5}
{"metric":"spend","period":"2023-11","start":"2023-11-01T00:00:00Z","end":"2023-12-01T00:00:00Z","dims":{"campaign_type":"Search"},"value":412}'
	assert_stderr ''
	run -1 --separate-stderr agg presets/google_ads_campaign_month.csv google-ads \
	    -m 'spend=sum(spend)' --every week
	[ "${stderr_lines[0]}" = "kpi-aggregate: presets/google_ads_campaign_month.csv:4: row covers 2023-11-01 to 2023-11-30, across the weeks 2023-W44 to 2023-W48: a report's range cannot be cut into weeks" ]
	[ "${#stderr_lines[@]}" -eq 3 ]
}

@test "aggregate: a range within one week counts in that week (Excel CSV, UTF-16LE, CRLF); by day it is rejected" {
	excel_csv presets/google_ads_search_terms_week.tsv "$BATS_TEST_TMPDIR/terms.csv"
	work
	run -0 --separate-stderr agg terms.csv google-ads \
	    -m 'spend=sum(spend)' -m 'clicks=sum(clicks)' --every week --stats
	assert_output '{"metric":"spend","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":5.85}
{"metric":"clicks","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":15}'
	assert_stderr 'kpi-aggregate: 3 rows in, 0 rejected, 1 group, 2 points'
	run -0 --separate-stderr agg terms.csv google-ads -m 'spend=sum(spend)' --every month
	assert_output '{"metric":"spend","period":"2024-03","start":"2024-03-01T00:00:00Z","end":"2024-04-01T00:00:00Z","dims":{},"value":5.85}'
	run -1 --separate-stderr agg terms.csv google-ads -m 'spend=sum(spend)' --every day
	[ "${stderr_lines[0]}" = "kpi-aggregate: terms.csv:4: row covers 2024-03-04 to 2024-03-10, across the days 2024-03-04 to 2024-03-10: a report's range cannot be cut into days" ]
	# With --week-start sunday the same days are two weeks.
	run -1 --separate-stderr agg terms.csv google-ads -m 'spend=sum(spend)' \
	    --every week --week-start sunday
	[[ ${stderr_lines[0]} == *': row covers 2024-03-04 to 2024-03-10, across the weeks 2024-W10 to 2024-W11: '* ]]
	cd "$FIXTURES"
	run -0 --separate-stderr agg presets/ga4_pages_week.csv ga4 \
	    -m 'users=sum(users)' --every week
	assert_output '{"metric":"users","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":880}'
}

@test "aggregate: 'All time' rows count under --every all and are rejected in any bounded period, with the reason" {
	run -0 --separate-stderr agg presets/google_ads_all_time.csv google-ads \
	    -m 'spend=sum(spend)' --every all
	assert_output '{"metric":"spend","period":"all","start":null,"end":null,"dims":{},"value":106298.18}'
	assert_stderr ''
	run -1 --separate-stderr agg presets/google_ads_all_time.csv google-ads \
	    -m 'spend=sum(spend)' --every year --stats
	assert_output ''
	assert_stderr "kpi-aggregate: presets/google_ads_all_time.csv:4: no time: a report over all time, or without its dates, fits only --every all
kpi-aggregate: presets/google_ads_all_time.csv:5: no time: a report over all time, or without its dates, fits only --every all
kpi-aggregate: 2 rows in, 2 rejected, 0 groups, 0 points"
}

@test "aggregate: daily rows (end_date the same day) still count by day" {
	run -0 --separate-stderr agg presets/google_ads_daily.csv google-ads \
	    -m 'spend=sum(spend)' --every day
	assert_output '{"metric":"spend","period":"2024-03-01","start":"2024-03-01T00:00:00Z","end":"2024-03-02T00:00:00Z","dims":{},"value":137.95}
{"metric":"spend","period":"2024-03-02","start":"2024-03-02T00:00:00Z","end":"2024-03-03T00:00:00Z","dims":{},"value":35.1}'
}

@test "aggregate: end_date by hand: a bad date or one before the time is rejected; null is an instant" {
	work
	printf '%s\n' \
	    '{"time":"2024-03-05T00:00:00Z","end_date":"2024-03-07","n":1,"_src":"t","_line":1}' \
	    '{"time":"2024-03-05T10:00:00Z","end_date":null,"n":2,"_src":"t","_line":2}' \
	    '{"time":"2024-03-05T00:00:00Z","end_date":"2024-03-32","n":4,"_src":"t","_line":3}' \
	    '{"time":"2024-03-05T00:00:00Z","end_date":"2024-03-04","n":8,"_src":"t","_line":4}' \
	    '{"time":"2024-03-05T00:00:00Z","end_date":20240306,"n":16,"_src":"t","_line":5}' >rows
	run -1 --separate-stderr kpi-aggregate -m 'n=sum(n)' rows
	assert_output '{"metric":"n","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":3}'
	assert_stderr "kpi-aggregate: t:3: bad end_date '2024-03-32'
kpi-aggregate: t:4: end_date '2024-03-04' is before the day of its time
kpi-aggregate: t:5: bad end_date '20240306'"
}

@test "aggregate: the range is read on the calendar of --tz" {
	work
	# 1 to 7 April, London time: one week there; in UTC it starts on 31 March.
	printf '%s\n' '{"time":"2024-04-01T00:00:00+01:00","end_date":"2024-04-07","n":1,"_src":"t","_line":1}' >rows
	run -0 --separate-stderr kpi-aggregate -m 'n=sum(n)' --tz Europe/London rows
	assert_output '{"metric":"n","period":"2024-W14","start":"2024-04-01T00:00:00+01:00","end":"2024-04-08T00:00:00+01:00","dims":{},"value":1}'
	run -1 --separate-stderr kpi-aggregate -m 'n=sum(n)' rows
	assert_stderr "kpi-aggregate: t:1: row covers 2024-03-31 to 2024-04-07, across the weeks 2024-W13 to 2024-W14: a report's range cannot be cut into weeks"
}

@test "ga4: a report re-saved by Excel: the range from padded comments; what the user wrote below the table is dropped, not typed" {
	run -0 --separate-stderr bash -c 'kpi-extract csv/ga4_excel_resaved.csv | kpi-normalize --stats --preset ga4'
	assert_stderr 'kpi-normalize: 4 rows in, 2 out, 0 rejected, 2 dropped, 0 folded, 0 duplicates'
	[[ ${lines[0]} == '{"time":"2023-06-25T00:00:00Z","end_date":"2023-07-02","channel":"Organic Search",'*'"sessions":482,'* ]]
	[[ ${lines[1]} == '{"time":"2023-06-25T00:00:00Z","end_date":"2023-07-02","channel":"Direct",'*'"sessions":243,'* ]]
}

@test "extract: a later table's own range replaces the first's, read across the input window's refills" {
	work
	{
		printf '# Start date: 20240101\n# End date: 20240131\nPage,Views\n'
		seq 1 40000 | sed 's|^|/page/|; s|$|,1234567890|'
		printf '\n# Start date: 20240201\n# End date: 20240229\nEvent name,Event count\nscroll,7\n'
	} >big.csv
	run -0 --separate-stderr kpi-extract big.csv
	[ "${#lines[@]}" -eq 40001 ]
	[ "${lines[0]}" = '{"Page":"/page/1","Views":"1234567890","_start":"2024-01-01","_end":"2024-01-31","_src":"big.csv","_line":4}' ]
	[ "${lines[40000]}" = '{"Event name":"scroll","Event count":"7","_start":"2024-02-01","_end":"2024-02-29","_src":"big.csv","_line":40008}' ]
}

@test "aggregate: Meta ad-level rows over 'Reporting starts' to 'Reporting ends' count by month, not by week" {
	run -0 --separate-stderr agg presets/meta_usd.csv meta-ads -m 'spend=sum(spend)' --every month
	assert_output '{"metric":"spend","period":"2024-03","start":"2024-03-01T00:00:00Z","end":"2024-04-01T00:00:00Z","dims":{},"value":169}'
	run -1 --separate-stderr agg presets/meta_usd.csv meta-ads -m 'spend=sum(spend)' --every week
	[ "${stderr_lines[0]}" = "kpi-aggregate: presets/meta_usd.csv:3: row covers 2024-03-01 to 2024-03-31, across the weeks 2024-W09 to 2024-W13: a report's range cannot be cut into weeks" ]
	# Daily rows (a Day column) count by day.
	run -0 --separate-stderr agg presets/meta_gbp.csv meta-ads -m 'spend=sum(spend)' --every day
	assert_stderr ''
	[ "${#lines[@]}" -eq 2 ]
}
