#!/usr/bin/env bats
# kpi-aggregate: what a run reports and where its rejects go: --from and
# --to select the periods written (with or without --fill), --rejects
# takes the rejected rows with their _error, --list-metrics prints the
# catalogue.  Every expected value is worked out by hand in the comments.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	work
	# One row a week, Mondays of January 2024: W01 1, W02 2, W03 4, W04 8.
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":1,"_src":"t","_line":1}' \
	    '{"time":"2024-01-08T10:00:00Z","v":2,"_src":"t","_line":2}' \
	    '{"time":"2024-01-15T10:00:00Z","v":4,"_src":"t","_line":3}' \
	    '{"time":"2024-01-22T10:00:00Z","v":8,"_src":"t","_line":4}' >w.ndjson
}

# vals: each point's metric, period and value (and prev), one a line.
vals() {
	sed 's/.*"metric":"\([^"]*\)","period":"\([^"]*\)".*"value":\([^,}]*\)\(,"prev":\([^,}]*\)\)\{0,1\}.*/\1 \2 \3 \5/; s/ $//'
}

# --- --from and --to ------------------------------------------------------

@test "select: --from and --to without --fill write their periods; --stats counts the rows outside" {
	# 10 January is in W02, 16 January in W03: those two weeks, whole.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --stats \
	    --from 2024-01-10 --to 2024-01-16 w.ndjson
	assert_stderr 'kpi-aggregate: 4 rows in, 0 rejected, 2 outside the range, 2 groups, 2 points'
	assert_output '{"metric":"v","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":2}
{"metric":"v","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{},"value":4}'
	# One end only: open on the other side.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --to 2024-01-07 w.ndjson
	assert_output "$(printf '%s\n' "$output" | grep 2024-W01)"
	[ "${#lines[@]}" = 1 ]
	# Without --from and --to, --stats has no such figure.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --stats w.ndjson
	assert_stderr 'kpi-aggregate: 4 rows in, 0 rejected, 4 groups, 4 points'
}

@test "select: the first period's --compare previous, --rolling and --cumulative see the rows before --from" {
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --compare previous \
	    --from 2024-01-08 --to 2024-01-14 w.ndjson
	run vals <<<"$output"
	# W02 2 against W01 1, which is not written.
	assert_output 'v 2024-W02 2 1'
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --rolling 2 \
	    --from 2024-01-15 w.ndjson
	run vals <<<"$output"
	# W03: W02 + W03 = 6; W04: W03 + W04 = 12.
	assert_output 'v 2024-W03 6
v 2024-W04 12'
	# Weeks to date in the month: W03 1 + 2 + 4 = 7.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --cumulative month \
	    --from 2024-01-15 --to 2024-01-15 w.ndjson
	run vals <<<"$output"
	assert_output 'v 2024-W03 7'
}

@test "select: new customers of the first period reported know the customers before it" {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","c":"x"}' \
	    '{"time":"2024-01-08T10:00:00Z","c":"x"}' \
	    '{"time":"2024-01-08T11:00:00Z","c":"y"}' >c.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'n=new(c)' -m 'r=returning(c)' \
	    --from 2024-01-08 c.ndjson
	run vals <<<"$output"
	# In W02 x came back (first seen in W01): 1 new (y), 1 returning.
	assert_output 'n 2024-W02 1
r 2024-W02 1'
}

@test "select: a row after --to is not checked; one before --from is, as it counts in windows" {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":"x","_src":"t","_line":1}' \
	    '{"time":"2024-01-08T10:00:00Z","v":2,"_src":"t","_line":2}' \
	    '{"time":"2024-01-15T10:00:00Z","v":"y","_src":"t","_line":3}' >b.ndjson
	run -1 --separate-stderr kpi-aggregate -m 'v=sum(v)' --stats \
	    --from 2024-01-08 --to 2024-01-14 b.ndjson
	assert_stderr "kpi-aggregate: t:1: field 'v': 'x' is not a number
kpi-aggregate: 3 rows in, 1 rejected, 1 outside the range, 1 group, 1 point"
}

@test "select: --every all with --from and --to counts the rows of those days, in the zone" {
	# 8 to 15 January: the rows of W02 and W03, 2 + 4; --to's day is whole.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --every all --stats \
	    --from 2024-01-08 --to 2024-01-15 w.ndjson
	assert_output '{"metric":"v","period":"all","start":null,"end":null,"dims":{},"value":6}'
	assert_stderr 'kpi-aggregate: 4 rows in, 0 rejected, 2 outside the range, 1 group, 1 point'
	# 08:00 on the 15th in Tokyo is 23:00 UTC on the 14th: 10:00 UTC on
	# the 15th is the 15th there too, and 10:00 UTC on the 22nd is after.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --every all \
	    --tz Asia/Tokyo --from 2024-01-15 --to 2024-01-21 w.ndjson
	run vals <<<"$output"
	assert_output 'v all 4'
	# A row must then say when it was.
	printf '%s\n' '{"v":1,"_src":"u","_line":1}' >u.ndjson
	run -1 --separate-stderr kpi-aggregate -m 'v=sum(v)' --every all --from 2024-01-01 u.ndjson
	assert_stderr 'kpi-aggregate: u:1: no time'
	# Without them, none needs a time, as before.
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --every all u.ndjson
	assert_stderr ''
}

@test "select: --fill --from fills from its period to the last row, not before" {
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' -m 'n=count()' --fill \
	    --metrics v --from 2024-01-15 w.ndjson
	run vals <<<"$output"
	assert_output 'v 2024-W03 4
v 2024-W04 8'
	# A series seen only before --from is filled in the range: 0.
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":1,"ch":"a"}' \
	    '{"time":"2024-01-15T10:00:00Z","v":4,"ch":"b"}' >d.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --by ch \
	    --from 2024-01-15 d.ndjson
	run vals <<<"$output"
	assert_output 'v 2024-W03 0
v 2024-W03 4'
}

@test "select: --merge selects as one run does; --every all there has no times: exit 2" {
	kpi-aggregate -m 'v=sum(v)' --partial w.ndjson >p
	kpi-aggregate -m 'v=sum(v)' --compare previous --from 2024-01-08 \
	    --to 2024-01-14 w.ndjson >serial
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --merge --stats \
	    --compare previous --from 2024-01-08 --to 2024-01-14 p
	assert_output "$(cat serial)"
	assert_stderr 'kpi-aggregate: 4 points in, 0 rejected, 3 outside the range, 1 group, 1 point'
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --merge --every all --to 2024-01-14 p
	assert_output ''
	assert_stderr "kpi-aggregate: --merge with --every all has no times for '--to'"
}

# --- --rejects ------------------------------------------------------------

rejects_setup() {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":1,"_src":"t","_line":1}' \
	    '{"v":2,"_src":"t","_line":2}' \
	    '{"time":"monday","v":3,"_src":"t","_line":3}' \
	    '{"time":"2024-01-02T10:00:00Z","v":"4,5","_src":"t","_line":4}' \
	    '{"time":"2024-01-02T10:00:00Z","v":false,"_src":"t","_line":5}' \
	    '{"time":"2024-01-02T10:00:00Z","v":1e999,"_src":"t","_line":6}' >r.ndjson
}

@test "select: rejected rows without --rejects: a line each on stderr, exit 1" {
	rejects_setup
	run -1 --separate-stderr kpi-aggregate -m 'v=sum(v)' r.ndjson
	assert_output '{"metric":"v","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":1}'
	# false was once told as true.
	assert_stderr "kpi-aggregate: t:2: no time
kpi-aggregate: t:3: bad time 'monday'
kpi-aggregate: t:4: field 'v': '4,5' is not a number
kpi-aggregate: t:5: field 'v': false is not a number
kpi-aggregate: t:6: field 'v': 1e999 is not a finite number"
}

@test "select: --rejects FILE: the rows with _error before _src and _line, exit 0, counted by --stats" {
	rejects_setup
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --stats --rejects rej.ndjson r.ndjson
	assert_output '{"metric":"v","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":1}'
	assert_stderr 'kpi-aggregate: 6 rows in, 5 rejected, 1 group, 1 point'
	run cat rej.ndjson
	assert_output '{"v":2,"_error":{"field":"time","column":"time","value":"","expected":"RFC 3339 time"},"_src":"t","_line":2}
{"time":"monday","v":3,"_error":{"field":"time","column":"time","value":"monday","expected":"RFC 3339 time"},"_src":"t","_line":3}
{"time":"2024-01-02T10:00:00Z","v":"4,5","_error":{"field":"v","column":"v","value":"4,5","expected":"number"},"_src":"t","_line":4}
{"time":"2024-01-02T10:00:00Z","v":false,"_error":{"field":"v","column":"v","value":"false","expected":"number"},"_src":"t","_line":5}
{"time":"2024-01-02T10:00:00Z","v":1e999,"_error":{"field":"v","column":"v","value":"1e999","expected":"finite number"},"_src":"t","_line":6}'
	# Mended, the rejects read again.
	sed 's/"_error":{[^}]*},//; s/"monday"/"2024-01-03T00:00:00Z"/' rej.ndjson |
	    grep '"time"' | grep -v '4,5\|false\|1e999' >mended.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' mended.ndjson
	assert_stderr ''
}

@test "select: --rejects with nothing rejected leaves an empty file; one that cannot be opened: exit 2 first" {
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --rejects rej.ndjson w.ndjson
	[ -f rej.ndjson ] && [ ! -s rej.ndjson ]
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --rejects nodir/rej.ndjson w.ndjson
	assert_output ''
	assert_stderr 'kpi-aggregate: nodir/rej.ndjson: No such file or directory'
}

@test "select: --rejects on a full disk: write error, exit 2" {
	rejects_setup
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --rejects /dev/full r.ndjson
	assert_stderr 'kpi-aggregate: write error: /dev/full: No space left on device'
}

# --- --list-metrics -------------------------------------------------------

@test "select: --list-metrics: name, format, direction, group, description, a line each, exit 0" {
	cat >k.json <<-'EOF'
	{"kpis": [
	 {"name": "revenue", "formula": "sum(revenue)", "dataset": "orders",
	  "format": "money", "group": "purchase", "description": "Order revenue"},
	 {"name": "cpc", "formula": "spend / clicks", "direction": "lower",
	  "description": "Cost per click:\tspend over clicks"},
	 {"name": "spend", "formula": "sum(spend)"},
	 {"name": "clicks", "formula": "sum(clicks)"},
	 {"name": "cr", "formula": "revenue / clicks", "format": "percent"}
	]}
	EOF
	run -0 --separate-stderr kpi-aggregate --list-metrics --defs k.json -m 'x=count()'
	assert_stderr ''
	# Tabs between the fields; the description's tab is a space.
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\n' \
	    revenue money higher purchase 'Order revenue' \
	    cpc number lower '' 'Cost per click: spend over clicks' \
	    spend number higher '' '' \
	    clicks number higher '' '' \
	    cr percent higher '' '' \
	    x number higher '' '')"
	run -2 --separate-stderr kpi-aggregate --list-metrics --defs k.json w.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: --list-metrics reads no input
$(kpi-aggregate --help | sed '/^$/q' | sed '$d')"
	# Its --metrics is checked, but it lists every metric.
	run -0 --separate-stderr kpi-aggregate --list-metrics --defs k.json --metrics cpc
	[ "${#lines[@]}" = 5 ]
	run -2 --separate-stderr kpi-aggregate --list-metrics
	assert_stderr 'kpi-aggregate: no metrics: give -m or --defs'
	# Its output is checked as the points are.
	run -2 --separate-stderr sh -c 'kpi-aggregate --list-metrics --defs k.json >/dev/full'
	assert_stderr 'kpi-aggregate: write error: No space left on device'
	run -0 --separate-stderr sh -c 'kpi-aggregate --list-metrics --defs k.json | head -n 1'
	assert_stderr ''
}

@test "select: --list-metrics over pipelines/kpis.json: every metric once, five fields each" {
	run -0 --separate-stderr kpi-aggregate --list-metrics --defs "$KPI_ROOT/pipelines/kpis.json"
	# The entries of "kpis", before "goals".
	n=$(sed '/"goals"/q' "$KPI_ROOT/pipelines/kpis.json" | grep -c '"name":')
	[ "${#lines[@]}" = "$n" ]
	[ -z "$(printf '%s\n' "$output" | awk -F'\t' 'NF != 5')" ]
	[[ $output == *$'aov\tmoney\thigher\t'* ]]
}
