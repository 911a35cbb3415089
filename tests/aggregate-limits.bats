#!/usr/bin/env bats
# kpi-aggregate and issue 15, "no silent wrong answers": a value beyond a
# double's range, a data set with no rows, --fill's limit, and errors that
# say what to do.  Expected values are worked out by hand in the comments.

load test_helper

setup() {
	work
}

@test "aggregate: a sum beyond a double's range is null with a note naming the metric and group" {
	# 1e308 + 1e308 = 2e308 > DBL_MAX (1.8e308): no number, so null, and
	# the note says it is not a period with no rows.
	printf '%s\n' '{"time":"2024-01-01T00:00:00Z","c":"GB","revenue":1e308}' \
	    '{"time":"2024-01-01T00:00:00Z","c":"GB","revenue":1e308}' \
	    '{"time":"2024-01-01T00:00:00Z","c":"US","revenue":1}' >r.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' --by c r.ndjson
	assert_output '{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"c":"GB"},"value":null}
{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"c":"US"},"value":1}'
	assert_stderr 'kpi-aggregate: revenue: value beyond the range of a number in period 2024-W01 {"c":"GB"}: null'
}

# cat.json: a catalogue of two data sets; ga4.ndjson: GA4 rows alone, in
# 2024-W10 (4 March) and 2024-W12 (18 March); orders.ndjson: orders in W10.
two_sets() {
	cat >cat.json <<-'EOF2'
	{"kpis": [
	 {"name": "sessions", "formula": "sum(sessions)", "dataset": "ga4"},
	 {"name": "orders", "formula": "count()", "dataset": "orders"},
	 {"name": "buyers", "formula": "distinct(customer)", "dataset": "orders"},
	 {"name": "cr", "formula": "orders / sessions"}
	]}
	EOF2
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","sessions":10,"_dataset":"ga4"}' \
	    '{"time":"2024-03-18T10:00:00Z","sessions":20,"_dataset":"ga4"}' >ga4.ndjson
	printf '%s\n' '{"time":"2024-03-05T10:00:00Z","customer":"a","_dataset":"orders"}' >orders.ndjson
}

# vals FILE: each point's metric, period and value, one a line.
vals() {
	sed 's/.*"metric":"\([^"]*\)","period":"\([^"]*\)".*"value":\([^,}]*\).*/\1 \2 \3/' "$1"
}

@test "aggregate: a data set with no row in the input: its metrics are null, with one note" {
	two_sets
	# Named by --metrics: written, null.  (Without it they are left out:
	# see the next test.)
	run -0 --separate-stderr kpi-aggregate --defs cat.json --fill \
	    --metrics sessions,orders,buyers,cr ga4.ndjson
	assert_stderr "kpi-aggregate: no row of data set 'orders' in the input: orders, buyers null"
	printf '%s\n' "$output" >out
	run vals out
	assert_output 'sessions 2024-W10 10
sessions 2024-W11 0
sessions 2024-W12 20
orders 2024-W10 null
orders 2024-W11 null
orders 2024-W12 null
buyers 2024-W10 null
buyers 2024-W11 null
buyers 2024-W12 null
cr 2024-W10 null
cr 2024-W11 null
cr 2024-W12 null'
}

@test "aggregate: without --metrics, only the metrics whose data sets the input has, the others named once" {
	two_sets
	run -0 --separate-stderr kpi-aggregate --defs cat.json --fill ga4.ndjson
	assert_stderr "kpi-aggregate: 3 metrics without their data sets in the input: orders, buyers, cr"
	printf '%s\n' "$output" >out
	run vals out
	assert_output 'sessions 2024-W10 10
sessions 2024-W11 0
sessions 2024-W12 20'
	# One such metric: singular.
	printf '%s\n' '{"kpis": [{"name": "n", "formula": "count()", "dataset": "x"},' \
	    '{"name": "m", "formula": "count()"}]}' >one.json
	run -0 --separate-stderr kpi-aggregate --defs one.json ga4.ndjson
	assert_stderr "kpi-aggregate: 1 metric without its data set in the input: n"
	[ "${#lines[@]}" = 2 ]
	# --partial writes them all, quiet: another part may have the rows.
	run -0 --separate-stderr kpi-aggregate --defs cat.json --partial ga4.ndjson
	assert_stderr ''
	[[ $output == *'"metric":"orders"'* ]]
	# No row at all: no points, and every metric of a data set named.
	run -0 --separate-stderr kpi-aggregate --defs cat.json </dev/null
	assert_output ''
	assert_stderr "kpi-aggregate: 4 metrics without their data sets in the input: sessions, orders, buyers, cr"
}

@test "aggregate: inside a present data set an empty group stays 0, with --total, --rolling and --cumulative too" {
	# W10: 1 order over 10 sessions; W12: no order over 20 sessions: 0.
	two_sets
	run -0 --separate-stderr kpi-aggregate --defs cat.json ga4.ndjson orders.ndjson
	assert_stderr ''
	printf '%s\n' "$output" >out
	run vals out
	assert_output 'sessions 2024-W10 10
sessions 2024-W12 20
orders 2024-W10 1
orders 2024-W12 0
buyers 2024-W10 1
buyers 2024-W12 0
cr 2024-W10 0.1
cr 2024-W12 0'
	for opt in --total '--rolling 2' '--cumulative month'; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr kpi-aggregate --defs cat.json $opt \
		    --metrics sessions,orders,buyers,cr ga4.ndjson
		assert_stderr "kpi-aggregate: no row of data set 'orders' in the input: orders, buyers null"
		[[ "$output" != *'"metric":"orders"'*'"value":0'* ]]
	done
}

@test "aggregate: --merge of a part without a data set and a part with it gives the serial answer" {
	two_sets
	kpi-aggregate --defs cat.json ga4.ndjson orders.ndjson >serial
	kpi-aggregate --defs cat.json --partial ga4.ndjson >p1 2>p1.err
	kpi-aggregate --defs cat.json --partial orders.ndjson >p2
	[ ! -s p1.err ]
	run -0 --separate-stderr kpi-aggregate --defs cat.json --merge p1 p2
	assert_stderr ''
	assert_output "$(cat serial)"
	# Parts that all lack it: null when named, told once by the merge.
	run -0 --separate-stderr kpi-aggregate --defs cat.json --merge \
	    --metrics sessions,orders,buyers,cr p1
	assert_stderr "kpi-aggregate: no row of data set 'orders' in the input: orders, buyers null"
	kpi-aggregate --defs cat.json --metrics sessions,orders,buyers,cr \
	    ga4.ndjson 2>/dev/null >serial
	assert_output "$(cat serial)"
	# Without --metrics the merge leaves them out, as one run would.
	run -0 --separate-stderr kpi-aggregate --defs cat.json --merge p1
	assert_stderr "kpi-aggregate: 3 metrics without their data sets in the input: orders, buyers, cr"
	kpi-aggregate --defs cat.json ga4.ndjson 2>/dev/null >serial
	assert_output "$(cat serial)"
}

@test "aggregate: --fill refuses more than --max-points, naming the range and the rows that gave its ends" {
	# A mistyped year: 0024-03-04 among 2024 rows; by day that is 730,488
	# periods, two metrics: 1,460,976 points, over the default 1,000,000.
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","v":1,"_src":"t.csv","_line":2}' \
	    '{"time":"0024-03-04T10:00:00Z","v":1,"_src":"t.csv","_line":3}' \
	    '{"time":"2024-03-06T10:00:00Z","v":1,"_src":"t.csv","_line":4}' >t.ndjson
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' -m 'n=count()' --every day --fill t.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: --fill from 0024-03-04 (the row at t.csv:3) to 2024-03-06 (the row at t.csv:4) would write 1460976 points, more than --max-points 1000000"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --every day --fill --max-points 2 --from 2024-03-01 t.ndjson
	assert_stderr "kpi-aggregate: --fill from 2024-03-01 (--from) to 2024-03-06 (the row at t.csv:4) would write 6 points, more than --max-points 2"
	# Within the limit: 4 to 6 March is 3 points.
	sed 2d t.ndjson >u.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --every day --fill --max-points 3 u.ndjson
	[ "${#lines[@]}" = 3 ]
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --max-points x u.ndjson
	assert_stderr "kpi-aggregate: bad number of points 'x'"
}

@test "aggregate: errors that say what to do: a reducer call left open, an unknown metric's nearest name" {
	run -2 --separate-stderr kpi-aggregate -m 'a=sum(revenue' </dev/null
	assert_stderr "kpi-aggregate: -m: a: expected ')' after 'sum(' at column 12"
	run -2 --separate-stderr kpi-aggregate -m 'revenue=sum(r)' -m 'a=revnue * 2' </dev/null
	assert_stderr "kpi-aggregate: -m: a: unknown metric 'revnue' (did you mean 'revenue'?)"
	run -2 --separate-stderr kpi-aggregate -m 'revenue=sum(r)' --metrics revenu </dev/null
	assert_stderr "kpi-aggregate: --metrics: unknown metric 'revenu' (did you mean 'revenue'?)"
	# Nothing near: no hint.
	run -2 --separate-stderr kpi-aggregate -m 'revenue=sum(r)' --metrics xyz </dev/null
	assert_stderr "kpi-aggregate: --metrics: unknown metric 'xyz'"
}

# A CSV export given straight to kpi-aggregate: the records reader says to
# run kpi-extract first, and the input counts as an input error.
@test "aggregate: a CSV given as records says to run kpi-extract first" {
	work
	printf 'Name,Total\n#1001,12.50\n' >orders.csv
	run -2 --separate-stderr kpi-aggregate -m 'n=count()' orders.csv
	assert_output ""
	assert_stderr "kpi-aggregate: orders.csv:1:1: not kpi records, one JSON object a line: read CSV and other exports with kpi-extract first"
}

# Catalogue errors found after the JSON parsed point at the value at
# fault, as spec errors do: line 4, column 15 is the formula's opening
# quote (three spaces and '"formula": ' before it); an unknown key and a
# bad format point at their values.
@test "aggregate: catalogue errors give the line and column of the value at fault" {
	work
	printf '{"kpis": [\n  {"name": "revenue", "formula": "sum(revenue)"},\n  {"name": "aov",\n   "formula": "revenue / ordrs"}\n]}\n' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_stderr "kpi-aggregate: k.json:4:15: aov: unknown metric 'ordrs'"
	printf '{"kpis": [\n  {"name": "x", "formula": "sum(a)", "colour": "red"}\n]}\n' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_stderr "kpi-aggregate: k.json:2:48: kpi 1: unknown key 'colour'"
	printf '{"kpis": [\n {"name": "r", "formula": "sum(r)",\n  "format": "moneys"}\n]}\n' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_stderr "kpi-aggregate: k.json:3:13: r: unknown format 'moneys'"
}
