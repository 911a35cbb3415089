#!/usr/bin/env bats
# kpi-goal: every goal kind in both directions, the edges of the bands,
# open and closed periods, the clock, pacing by run rate and by trend,
# baselines, dims and per, no_data, anomaly bands, --check.  Points are
# written by the tests; every expected number is worked out beside it.
# Numbers are shown by ev (below) to 6 significant digits.

load test_helper

setup() {
	work
}

# pt METRIC PERIOD START END VALUE [DIMS [EXTRA]]: one point.
pt() {
	printf '{"metric":"%s","period":"%s","start":"%s","end":"%s","dims":%s,"value":%s%s}\n' \
	    "$1" "$2" "$3" "$4" "${6:-{\}}" "$5" "${7-}"
}

# m1..m6 METRIC VALUE [DIMS [EXTRA]]: January to June 2025, UTC.
m1() { pt "$1" 2025-01 2025-01-01T00:00:00Z 2025-02-01T00:00:00Z "$2" "${3-}" "${4-}"; }
m2() { pt "$1" 2025-02 2025-02-01T00:00:00Z 2025-03-01T00:00:00Z "$2" "${3-}" "${4-}"; }
m3() { pt "$1" 2025-03 2025-03-01T00:00:00Z 2025-04-01T00:00:00Z "$2" "${3-}" "${4-}"; }
m6() { pt "$1" 2025-06 2025-06-01T00:00:00Z 2025-07-01T00:00:00Z "$2" "${3-}" "${4-}"; }

# day N METRIC VALUE: the point of 2025-03-0N (N 1-9).
day() {
	pt "$2" "2025-03-0$1" "2025-03-0$1T00:00:00Z" "2025-03-0$(($1 + 1))T00:00:00Z" "$3"
}

# goals JSON...: a goals file g.json with these goals.
goals() {
	local IFS=,
	printf '{"goals":[%s]}\n' "$*" >g.json
}

# ev: each output line as "metric period [dims] status k=v ...", numbers
# to 6 significant digits; a point that passed through as "metric period
# pass".
ev() {
	awk '
	function get(s, key,   i, v) {
		i = index(s, "\"" key "\":")
		if (!i) return "-"
		v = substr(s, i + length(key) + 3)
		sub(/[,}].*/, "", v)
		gsub(/"/, "", v)
		if (v ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) v = sprintf("%.6g", v)
		return v
	}
	{
		d = substr($0, index($0, "\"dims\":") + 7)
		d = substr(d, 1, index(d, "}"))
		gsub(/"/, "", d)
		head = get($0, "metric") " " get($0, "period")
		if (d != "{}") head = head " " d
		i = index($0, "\"status\":")
		if (!i) { print head " pass"; next }
		t = substr($0, i)
		s = head " " get(t, "status") " target=" get(t, "target") \
		    " gap=" get(t, "gap") " progress=" get(t, "progress") \
		    " expected=" get(t, "expected") " projected=" \
		    get(t, "projected") " " get(t, "projection") "/" \
		    get(t, "projection_points")
		if (index(t, "\"score\":"))
			s = s " score=" get(t, "score") " baseline=" \
			    get(t, "baseline") " low=" get(t, "low") \
			    " high=" get(t, "high")
		print s
	}'
}

# --- thresholds kept every period ------------------------------------------

# CPC <= 0.90, all closed (the clock is the end of the input, 1 April):
# 0.75 is 0.15 under, 0.90 exactly at, 0.95 0.05 over.
@test "at_most: closed periods met at and under the cap, missed over it" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9}'
	{ m1 cpc 0.75; m2 cpc 0.9; m3 cpc 0.95; } >p
	run -0 --separate-stderr kpi-goal --goals g.json p
	assert_stderr ""
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'cpc 2025-01 met target=0.9 gap=0.15 progress=null expected=1 projected=null null/null
cpc 2025-02 met target=0.9 gap=0 progress=null expected=1 projected=null null/null
cpc 2025-03 missed target=0.9 gap=-0.05 progress=null expected=1 projected=null null/null'
}

@test "at_most: the evaluation's goal object and key order" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9}'
	m1 cpc 0.75 >p
	run -0 kpi-goal --goals g.json p
	assert_output '{"metric":"cpc","period":"2025-01","start":"2025-01-01T00:00:00Z","end":"2025-02-01T00:00:00Z","dims":{},"value":0.75,"goal":{"name":"cpc_cap","kind":"at_most","direction":"lower","target":0.9},"status":"met","target":0.9,"gap":0.15000000000000002,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null}'
}

# ROAS >= 4.0 per channel c in March.  --as-of 2025-03-10: the clock is
# 11 March 00:00, 10 of 31 days gone: expected 10/31 = 0.322581.  The
# at-risk line is 4 - 10% of 4 = 3.6: a 4.1 on track (+0.1), b 3.6 at
# risk (-0.4), c 3.59 off track (-0.41).  A ratio is paced by its value.
roas3() {
	m3 roas 4.1 '{"c":"a"}'
	m3 roas 3.6 '{"c":"b"}'
	m3 roas 3.59 '{"c":"c"}'
}

@test "at_least: an open period, --as-of inside it, at the at-risk line" {
	goals '{"name":"roas","metric":"roas","kind":"at_least","target":4,"per":"c"}'
	roas3 >p
	run -0 kpi-goal --goals g.json --as-of 2025-03-10 p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'roas 2025-03 {c:a} on_track target=4 gap=0.1 progress=null expected=0.322581 projected=4.1 null/null
roas 2025-03 {c:b} at_risk target=4 gap=-0.4 progress=null expected=0.322581 projected=3.6 null/null
roas 2025-03 {c:c} off_track target=4 gap=-0.41 progress=null expected=0.322581 projected=3.59 null/null'
}

# 5 of 31 days: 0.16129, inside the first 20%: never off track.
@test "at_least: the early window turns off_track into at_risk" {
	goals '{"name":"roas","metric":"roas","kind":"at_least","target":4,"per":"c"}'
	roas3 >p
	run -0 kpi-goal --goals g.json --as-of 2025-03-05 p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f3,4)
	assert_output '{c:a} on_track
{c:b} at_risk
{c:c} at_risk'
	# --early 0.1: 0.16129 is past it.
	run -0 kpi-goal --goals g.json --as-of 2025-03-05 --early 0.1 p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f3,4)
	assert_output '{c:a} on_track
{c:b} at_risk
{c:c} off_track'
}

# --as-of 2025-03-31: the clock is 1 April, the end: closed, met or missed.
@test "at_least: --as-of at the end and after a period closes it" {
	goals '{"name":"roas","metric":"roas","kind":"at_least","target":4,"per":"c"}'
	roas3 >p
	for d in 2025-03-31 2025-04-15; do
		run -0 kpi-goal --goals g.json --as-of $d p
		output=$(printf '%s\n' "$output" | ev | cut -d' ' -f3-5)
		assert_output '{c:a} met target=4
{c:b} missed target=4
{c:c} missed target=4'
	done
}

# --at-risk 0.95: the line is 4 - 5% = 3.8, so 3.6 is off track.
@test "at_least: --at-risk moves the line" {
	goals '{"name":"roas","metric":"roas","kind":"at_least","target":4,"per":"c"}'
	roas3 >p
	run -0 kpi-goal --goals g.json --as-of 2025-03-10 --at-risk 0.95 p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f3,4)
	assert_output '{c:a} on_track
{c:b} off_track
{c:c} off_track'
}

# Retention between 25% and 35%: margin min(v - 0.25, 0.35 - v).
@test "between: inside, at the edge, outside" {
	goals '{"name":"ret","metric":"retention_rate","kind":"between","low":0.25,"high":0.35}'
	{ m1 retention_rate 0.3; m2 retention_rate 0.25; m3 retention_rate 0.4; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f2-4)
	assert_output '2025-01 met target=null
2025-02 met target=null
2025-03 missed target=null'
	run -0 kpi-goal --goals g.json p
	[[ ${lines[2]} == *'"goal":{"name":"ret","kind":"between","direction":"higher","target":null,"low":0.25,"high":0.35}'* ]]
	[[ ${lines[2]} == *'"gap":-0.05'* ]]
}

# --- totals paced by run rate -----------------------------------------------

# 15,000 visits a month, per channel c.  --as-of 2025-03-10: 10/31 gone.
# a: 6,000 runs at 6000 / (10/31) = 18,600: on track, gap +3,600,
#    progress 6000/15000 = 0.4.
# b: 4,000 runs at 12,400: 2,600 short, more than 10% of 15,000: off.
# February (closed): a 13,500 is 1,500 short: missed, progress 0.9.
# January: a 15,000 met exactly.  b has no January or February point:
# no_data for each, with the target and expected 1, after the points.
@test "total: run rate in an open month, closed months, no_data per channel" {
	goals '{"name":"visits","metric":"sessions","kind":"total","target":15000,"every":"month","per":"c"}'
	{ m1 sessions 15000 '{"c":"a"}'; m2 sessions 13500 '{"c":"a"}'
	  m3 sessions 6000 '{"c":"a"}'; m3 sessions 4000 '{"c":"b"}'; } >p
	run -0 kpi-goal --goals g.json --as-of 2025-03-10 p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'sessions 2025-01 {c:a} met target=15000 gap=0 progress=1 expected=1 projected=null null/null
sessions 2025-02 {c:a} missed target=15000 gap=-1500 progress=0.9 expected=1 projected=null null/null
sessions 2025-03 {c:a} on_track target=15000 gap=3600 progress=0.4 expected=0.322581 projected=18600 run_rate/1
sessions 2025-03 {c:b} off_track target=15000 gap=-2600 progress=0.266667 expected=0.322581 projected=12400 run_rate/1
sessions 2025-01 {c:b} no_data target=15000 gap=null progress=null expected=1 projected=null null/null
sessions 2025-02 {c:b} no_data target=15000 gap=null progress=null expected=1 projected=null null/null'
}

# A total of the wrong grain is not the goal's: weekly points pass.
@test "total: 'every' month ignores weekly points" {
	goals '{"name":"visits","metric":"sessions","kind":"total","target":15000,"every":"month"}'
	pt sessions 2025-W10 2025-03-03T00:00:00Z 2025-03-10T00:00:00Z 3000 >p
	run -0 kpi-goal --goals g.json p
	assert_output "$(cat p)"
}

# Visits to date (kpi-aggregate --every day --cumulative month) on 1, 2
# and 3 March: 500, 1000, 1400; --as-of 2025-03-03.
# 1 March: 1/31 gone, one point: run rate 500 * 31 = 15,500 (+500).
# 2 March: two points: run rate 1000 * 31/2 = 15,500.
# 3 March: three points, a trend: x = 1/31, 2/31, 3/31, y = 500, 1000,
#   1400; means 2/31 and 966.667; Sxy = (466.667 + 433.333)/31 = 900/31,
#   Sxx = 2/31^2: slope 13,950 a month; at 1: 966.667 + 13950 * 29/31
#   = 14,016.7, 983.3 short (under 1,500): at risk, where the run rate
#   1400 * 31/3 = 14,466.7 would have said the same by less.
#   progress 1400/15000 = 0.0933333, expected 3/31 = 0.0967742.
@test "total: --cumulative month, run rate from one and two points, trend from three" {
	goals '{"name":"visits","metric":"sessions","kind":"total","target":15000,"every":"month"}'
	{ day 1 sessions 500; day 2 sessions 1000; day 3 sessions 1400; } >p
	run -0 kpi-goal --goals g.json --cumulative month --as-of 2025-03-03 p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'sessions 2025-03-01 on_track target=15000 gap=500 progress=0.0333333 expected=0.0322581 projected=15500 run_rate/1
sessions 2025-03-02 on_track target=15000 gap=500 progress=0.0666667 expected=0.0645161 projected=15500 run_rate/1
sessions 2025-03-03 at_risk target=15000 gap=-983.333 progress=0.0933333 expected=0.0967742 projected=14016.7 trend/3'
}

# Without --cumulative, daily points are days: not the monthly goal's.
@test "total: daily points without --cumulative pass through" {
	goals '{"name":"visits","metric":"sessions","kind":"total","target":15000,"every":"month"}'
	day 1 sessions 500 >p
	run -0 kpi-goal --goals g.json p
	assert_output "$(cat p)"
}

# A spend budget (lower is better): at most 1,000 a month; 600 after
# 10/31 runs at 1,860: 860 over: off track; 250 runs at 775: on track.
@test "total: a budget, lower is better" {
	goals '{"name":"budget","metric":"spend","kind":"total","target":1000,"every":"month","direction":"lower","per":"c"}'
	{ m3 spend 600 '{"c":"a"}'; m3 spend 250 '{"c":"b"}'; } >p
	run -0 kpi-goal --goals g.json --as-of 2025-03-10 p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f3-9)
	assert_output '{c:a} off_track target=1000 gap=-860 progress=0.6 expected=0.322581 projected=1860
{c:b} on_track target=1000 gap=225 progress=0.25 expected=0.322581 projected=775'
}

# £40k in January, £42k in February; March has no target: passes.
@test "total: targets that vary by period" {
	goals '{"name":"sales","metric":"revenue","kind":"total","every":"month","targets":{"2025-01":40000,"2025-02":42000}}'
	{ m1 revenue 41000; m2 revenue 41000; m3 revenue 50000; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f2-5)
	assert_output '2025-01 met target=40000 gap=1000
2025-02 missed target=42000 gap=-1000
2025-03 pass'
}
