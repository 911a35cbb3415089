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
	assert_output '{"metric":"cpc","period":"2025-01","start":"2025-01-01T00:00:00Z","end":"2025-02-01T00:00:00Z","dims":{},"value":0.75,"goal":{"name":"cpc_cap","kind":"at_most","direction":"lower","target":0.9},"status":"met","target":0.9,"gap":0.15,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null}'
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

# --- a target by a deadline ---------------------------------------------------

# CR from 1.8% to 2.2% between 2025-01-01 and 2025-06-30: 181 days.  The
# clock is 1 April, so every month shown is closed but the deadline is not.
# Jan: 31/181 = 0.171271 gone, progress 0: off track, but inside the
#   first 20%: at risk.  One point: run rate from the baseline, 0.018.
# Feb: 59/181 = 0.325967, progress (0.019-0.018)/0.004 = 0.25, under
#   0.9 * 0.325967 = 0.29337: off track.  Run rate 0.018 + 0.001/0.325967
#   = 0.0210678.
# Mar: 90/181 = 0.497238, progress 0.5: on track.  Trend through x = 31,
#   59, 90 (/181), y = .018 .019 .020: slope 0.059*181/1742 a timeframe,
#   at 1: 0.019 + 0.059*121/1742 = 0.0230982.
cr3() { m1 cr 0.018; m2 cr 0.019; m3 cr 0.02; }
CR_WANT='cr 2025-01 at_risk target=0.022 gap=-0.004 progress=0 expected=0.171271 projected=0.018 run_rate/1
cr 2025-02 off_track target=0.022 gap=-0.003 progress=0.25 expected=0.325967 projected=0.0210678 run_rate/1
cr 2025-03 on_track target=0.022 gap=-0.002 progress=0.5 expected=0.497238 projected=0.0230982 trend/3'

@test "target: CR 1.8% to 2.2% by a date, baseline given" {
	goals '{"name":"cr_up","metric":"cr","kind":"target","baseline":0.018,"target":0.022,"start":"2025-01-01","deadline":"2025-06-30"}'
	cr3 >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev)
	assert_output "$CR_WANT"
	run -0 kpi-goal --goals g.json p
	[[ ${lines[0]} == *'"goal":{"name":"cr_up","kind":"target","direction":"higher","target":0.022,"baseline":0.018,"deadline":"2025-06-30"},"status":"at_risk"'* ]]
}

# The baseline from the data: the point that holds the start date.
@test "target: the baseline taken from the data at the start" {
	goals '{"name":"cr_up","metric":"cr","kind":"target","target":0.022,"start":"2025-01-01","deadline":"2025-06-30"}'
	cr3 >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev)
	assert_output "$CR_WANT"
}

# A start no point holds: no baseline, no progress; the gap decides:
# 0.02 is 0.002 short of 0.022, within 10% (0.0022): at risk.  The
# timeframe from 1 Dec 2024 to 1 Jul 2025 is 212 days; March ends at 121.
@test "target: a missing baseline: no progress, at risk by the gap" {
	goals '{"name":"cr_up","metric":"cr","kind":"target","target":0.022,"start":"2024-12-01","deadline":"2025-06-30"}'
	m3 cr 0.02 >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'cr 2025-03 at_risk target=0.022 gap=-0.002 progress=null expected=0.570755 projected=null null/null'
}

# LTV from 0 to 75 in 2025: 365 days, March ends at 90: 0.246575;
# progress 30/75 = 0.4: on track; run rate 0 + 30/0.246575 = 121.667.
@test "target: a zero baseline" {
	goals '{"name":"ltv","metric":"ltv","kind":"target","baseline":0,"target":75,"start":"2025-01-01","deadline":"2025-12-31"}'
	m3 ltv 30 >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'ltv 2025-03 on_track target=75 gap=-45 progress=0.4 expected=0.246575 projected=121.667 run_rate/1'
}

# CPM down from 6 to 5 by 30 September: 273 days, March ends at 90:
# 0.32967; at 5.5 progress (5.5-6)/(5-6) = 0.5: on track; the gap is
# -(5.5 - 5) = -0.5.  Lower is better, from the point's "direction".
@test "target: lower is better, direction from the point" {
	goals '{"name":"cpm","metric":"cpm","kind":"target","baseline":6,"target":5,"start":"2025-01-01","deadline":"2025-09-30"}'
	m3 cpm 5.5 '{}' ',"format":"money","direction":"lower"' >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'cpm 2025-03 on_track target=5 gap=-0.5 progress=0.5 expected=0.32967 projected=4.48333 run_rate/1'
	[[ $output != *higher* ]]
}

# After the deadline (--as-of 2025-07-15), June's point is final:
# 0.021 missed (progress 0.75), 0.0225 met; nothing projected.  A point
# after the deadline is outside the goal's timeframe: it passes through.
@test "target: the deadline's period, closed, is met or missed" {
	goals '{"name":"cr_up","metric":"cr","kind":"target","baseline":0.018,"target":0.022,"start":"2025-01-01","deadline":"2025-06-30","per":"c"}'
	{ m6 cr 0.021 '{"c":"a"}'; m6 cr 0.0225 '{"c":"b"}'
	  pt cr 2025-07 2025-07-01T00:00:00Z 2025-08-01T00:00:00Z 0.03 '{"c":"a"}'; } >p
	run -0 kpi-goal --goals g.json --as-of 2025-07-15 p
	output=$(printf '%s\n' "$output" | ev)
	assert_output 'cr 2025-06 {c:a} missed target=0.022 gap=-0.001 progress=0.75 expected=1 projected=null null/null
cr 2025-06 {c:b} met target=0.022 gap=0.0005 progress=1.125 expected=1 projected=null null/null
cr 2025-07 {c:a} pass'
}

# --- change against a baseline period -----------------------------------------

# +20% sales over the same quarter last year: 2025-Q1 125 against
# 2024-Q1 100: target 120, gap +5, progress 25/20 = 1.25.  2024-Q1 has
# no year before it: insufficient_history, no target.
@test "change: against the same period a year before, found in the input" {
	goals '{"name":"yoy","metric":"revenue","kind":"change","change":0.2,"against":"year","every":"quarter"}'
	{ pt revenue 2024-Q1 2024-01-01T00:00:00Z 2024-04-01T00:00:00Z 100
	  pt revenue 2025-Q1 2025-01-01T00:00:00Z 2025-04-01T00:00:00Z 125; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f2-6)
	assert_output '2024-Q1 insufficient_history target=null gap=null progress=null
2025-Q1 met target=120 gap=5 progress=1.25'
	run -0 kpi-goal --goals g.json p
	[[ ${lines[1]} == *'"goal":{"name":"yoy","kind":"change","direction":"higher","target":120,"change":0.2,"baseline":100}'* ]]
}

# With kpi-aggregate --compare the point brings its prev: 110, so the
# target is 132 and 125 misses by 7; progress 15/22 = 0.681818.
@test "change: the baseline from --compare's prev" {
	goals '{"name":"yoy","metric":"revenue","kind":"change","change":0.2,"every":"quarter"}'
	pt revenue 2025-Q1 2025-01-01T00:00:00Z 2025-04-01T00:00:00Z 125 '{}' \
	    ',"prev":110,"change":15,"pct_change":0.13636363636363635' >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f2-6)
	assert_output '2025-Q1 missed target=132 gap=-7 progress=0.681818'
	[[ ${lines[0]} == *'"value":125,"prev":110,"change":15,"pct_change":0.13636363636363635,"goal":'* ]]
}

# Churn down 10% on the month before (lower is better): 0.2 then 0.17:
# target 0.18, gap -(0.17 - 0.18) = +0.01, progress -0.03/-0.02 = 1.5.
# A zero baseline: 0 then 5: target 0, gap 5, no progress (0 to 0).
@test "change: lower is better, the period before; a zero baseline" {
	goals '{"name":"churn","metric":"churn_rate","kind":"change","change":-0.1,"direction":"lower","every":"month"}' \
	    '{"name":"new","metric":"signups","kind":"change","change":0.2,"every":"month"}'
	{ m1 churn_rate 0.2; m2 churn_rate 0.17; m1 signups 0; m2 signups 5; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f1-6)
	assert_output 'churn_rate 2025-01 insufficient_history target=null gap=null progress=null
churn_rate 2025-02 met target=0.18 gap=0.01 progress=1.5
signups 2025-01 insufficient_history target=null gap=null progress=null
signups 2025-02 met target=0 gap=5 progress=null'
}

# A baseline given: 100, +20%: 110 at half of an open month is 10 short
# of 120, within 12 (10%): at risk.
@test "change: a baseline given, an open period" {
	goals '{"name":"up","metric":"revenue","kind":"change","change":0.2,"baseline":100,"every":"month"}'
	m3 revenue 110 >p
	run -0 kpi-goal --goals g.json --as-of 2025-03-15 p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f3-7)
	assert_output 'at_risk target=120 gap=-10 progress=0.5 expected=0.483871'
}

# --- anomaly bands ---------------------------------------------------------------

# ROAS on 1-5 March: 4.0 4.2 3.8 4.1 3.9; window 5.  Those five have
# fewer than 5 days before them: insufficient_history.  6 March is
# compared with them: median 4.0, deviations 0 .2 .2 .1 .1, MAD 0.1;
# limits 4 -+ 3.5 * 0.1 / 0.6745 = 4 -+ 0.518903: 3.48110 and 4.51890.
# 3.4 scores 0.6745 * (3.4 - 4) / 0.1 = -4.047: beyond 3.5 on the bad
# side: missed (the day is closed).
roas5() {
	day 1 roas 4.0; day 2 roas 4.2; day 3 roas 3.8; day 4 roas 4.1; day 5 roas 3.9
}

@test "band: too little history, then a spike in the bad direction" {
	goals '{"name":"roas_band","metric":"roas","kind":"band","window":5}'
	{ roas5; day 6 roas 3.4; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f2,3,10-)
	assert_output '2025-03-01 insufficient_history score=null baseline=null low=null high=null
2025-03-02 insufficient_history score=null baseline=null low=null high=null
2025-03-03 insufficient_history score=null baseline=null low=null high=null
2025-03-04 insufficient_history score=null baseline=null low=null high=null
2025-03-05 insufficient_history score=null baseline=null low=null high=null
2025-03-06 missed score=-4.047 baseline=4 low=3.4811 high=4.5189'
}

# 4.6 scores +4.047: a spike in the good direction is no failure: met;
# with "sides":"both" it is flagged: at_risk.  3.5 scores -3.3725: in.
@test "band: a spike in the good direction, one side and both" {
	goals '{"name":"roas_band","metric":"roas","kind":"band","window":5}'
	{ roas5; day 6 roas 4.6; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | tail -n 1 | cut -d' ' -f2,3,10)
	assert_output '2025-03-06 met score=4.047'
	goals '{"name":"roas_band","metric":"roas","kind":"band","window":5,"sides":"both"}'
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | tail -n 1 | cut -d' ' -f2,3,10)
	assert_output '2025-03-06 at_risk score=4.047'
	{ roas5; day 6 roas 3.5; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | tail -n 1 | cut -d' ' -f2,3,10)
	assert_output '2025-03-06 met score=-3.3725'
}

# A cost: lower is better, so the high spike is the bad one.
@test "band: a cost's high spike is in the bad direction" {
	goals '{"name":"cpc_band","metric":"cpc","kind":"band","window":5,"direction":"lower"}'
	{ roas5; day 6 roas 4.6; } | sed 's/roas/cpc/' >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | tail -n 1 | cut -d' ' -f2,3,10)
	assert_output '2025-03-06 missed score=4.047'
}

# A flat history: MAD 0, no score; the band is the median itself: the
# same value is in it, any other out of it.
@test "band: a flat history (MAD 0)" {
	goals '{"name":"b","metric":"x","kind":"band","window":3,"per":"c"}'
	{ for d in 1 2 3; do day $d x 5; done; day 4 x 5; } >flat
	sed 's/"dims":{}/"dims":{"c":"a"}/' flat >p
	{ for d in 1 2 3; do day $d x 5; done; day 4 x 4.9; } |
	    sed 's/"dims":{}/"dims":{"c":"b"}/' >>p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | grep 03-04 | cut -d' ' -f3,4,11-)
	assert_output '{c:a} met score=null baseline=5 low=5 high=5
{c:b} missed score=null baseline=5 low=5 high=5'
}

# --- dims, per, pass-through ------------------------------------------------------

# A goal for one segment covers the points with exactly its dims: Paid
# Social's; Email's, the total's and the two-dimension point pass, as
# they came (the number text 1.50 kept).
@test "dims: a goal for one segment; every other point passes unchanged, in order" {
	goals '{"name":"ps","metric":"cpc","kind":"at_most","target":1,"dims":{"channel":"Paid Social"}}'
	{ m1 cpc 1.50 '{"channel":"Email"}' ',"unit":"GBP"'
	  m1 cpc 0.75 '{"channel":"Paid Social"}'
	  m1 cpc 0.9
	  m1 cpc 0.8 '{"channel":"Paid Social","device":"mobile"}'; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f1-5)
	assert_output 'cpc 2025-01 {channel:Email} pass
cpc 2025-01 {channel:Paid Social} met
cpc 2025-01 pass
cpc 2025-01 {channel:Paid Social,device:mobile} pass'
	run -0 kpi-goal --goals g.json p
	[ "${lines[0]}" = "$(sed -n 1p p)" ]
	[ "${lines[2]}" = "$(sed -n 3p p)" ]
}

# per channel, within dims device: each channel its own series; a
# channel missing in February gets its no_data.
@test "per: the same goal for every value of a dimension" {
	goals '{"name":"cpc","metric":"cpc","kind":"at_most","target":1,"dims":{"device":"mobile"},"per":"channel"}'
	{ m1 cpc 0.5 '{"device":"mobile","channel":"a"}'
	  m1 cpc 1.5 '{"device":"mobile","channel":"b"}'
	  m2 cpc 0.5 '{"device":"mobile","channel":"a"}'; } >p
	run -0 kpi-goal --goals g.json p
	output=$(printf '%s\n' "$output" | ev | cut -d' ' -f2-4)
	assert_output '2025-01 {device:mobile,channel:a} met
2025-01 {device:mobile,channel:b} missed
2025-02 {device:mobile,channel:a} met
2025-02 {device:mobile,channel:b} no_data'
}

# A goal whose KPI has no point at all, in every period of the input.
@test "no_data: a goal whose metric is not in the input" {
	goals '{"name":"aov","metric":"aov","kind":"at_least","target":40}'
	{ m1 orders 10; m2 orders 12; } >p
	run -0 kpi-goal --goals g.json p
	assert_output "$(cat p)
"'{"metric":"aov","period":"2025-01","start":"2025-01-01T00:00:00Z","end":"2025-02-01T00:00:00Z","dims":{},"value":null,"goal":{"name":"aov","kind":"at_least","direction":"higher","target":40},"status":"no_data","target":40,"gap":null,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null}
{"metric":"aov","period":"2025-02","start":"2025-02-01T00:00:00Z","end":"2025-03-01T00:00:00Z","dims":{},"value":null,"goal":{"name":"aov","kind":"at_least","direction":"higher","target":40},"status":"no_data","target":40,"gap":null,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null}'
}

# The catalogue gives direction and format to a no_data point.
@test "no_data: the catalogue's format and direction" {
	cat >k.json <<-'EOF2'
	{"kpis":[{"name":"cpc","formula":"spend / clicks","format":"money","direction":"lower"},
	 {"name":"spend","formula":"sum(spend)"},{"name":"clicks","formula":"sum(clicks)"}],
	 "goals":[{"name":"cpc_band","metric":"cpc","kind":"band"}]}
	EOF2
	m1 orders 10 >p
	run -0 kpi-goal --defs k.json p
	[[ ${lines[1]} == '{"metric":"cpc","period":"2025-01","start":"2025-01-01T00:00:00Z","end":"2025-02-01T00:00:00Z","dims":{},"value":null,"format":"money","direction":"lower","goal":{"name":"cpc_band","kind":"band","direction":"lower","target":null},"status":"no_data"'* ]]
}

# Two goals on one point: two evaluations, in the goals' order.
@test "two goals cover one point: one evaluation each" {
	goals '{"name":"floor","metric":"roas","kind":"at_least","target":4}' \
	    '{"name":"ceiling","metric":"roas","kind":"at_most","target":5}'
	m1 roas 4.5 >p
	run -0 kpi-goal --goals g.json p
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} == *'"name":"floor"'*'"status":"met"'* ]]
	[[ ${lines[1]} == *'"name":"ceiling"'*'"status":"met"'* ]]
}

# A point after the clock is not evaluated: it passes.
@test "a point that starts after --as-of passes through" {
	goals '{"name":"floor","metric":"roas","kind":"at_least","target":4}'
	m3 roas 3 >p
	run -0 kpi-goal --goals g.json --as-of 2025-02-28 p
	assert_output "$(cat p)"
}

# --- --check: the CI gate -----------------------------------------------------------

# CPC <= 0.90 per channel: a met, b missed, c off track in an open
# March (--as-of 2025-03-10), d at risk (0.95 is within 0.09 of 0.90);
# c and d have no February, a and b no March: four no_data.  --check
# writes all eight evaluations, then one line per failing one, and
# exits 1; at_risk and no_data fail only under --fail-on.
cpc4() {
	m2 cpc 0.8 '{"c":"a"}'
	m2 cpc 1.2 '{"c":"b"}'
	m3 cpc 1.2 '{"c":"c"}'
	m3 cpc 0.95 '{"c":"d"}'
}

@test "--check: exit 1 on missed and off_track, one line each on stderr" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9,"per":"c"}'
	cpc4 >p
	run -1 --separate-stderr kpi-goal --check --goals g.json --as-of 2025-03-10 p
	[ "${#lines[@]}" -eq 8 ]
	assert_stderr "kpi-goal: goal 'cpc_cap' {\"c\":\"b\"} 2025-02: value 1.2, target 0.9: missed
kpi-goal: goal 'cpc_cap' {\"c\":\"c\"} 2025-03: value 1.2, target 0.9: off_track"
}

# The --check lines show values as kpi-render does, by the metric's format
# and unit (the point's own keys here): CR 0.0188 is 1.88% against a 2.2%
# target, AOV 32.175000000000004 (a sum's float noise) is £32.18 of £40.00.
@test "--check: values in the metric's format, without float noise" {
	goals '{"name":"cr_up","metric":"cr","kind":"at_least","target":0.022}' \
	    '{"name":"aov_40","metric":"aov","kind":"at_least","target":40}'
	m2 cr 0.0188 '{}' ',"format":"percent"' >p
	m2 aov 32.175000000000004 '{}' ',"unit":"GBP","format":"money"' >>p
	run -1 --separate-stderr kpi-goal --check --goals g.json p
	assert_stderr "kpi-goal: goal 'cr_up' {} 2025-02: value 1.88%, target 2.2%: missed
kpi-goal: goal 'aov_40' {} 2025-02: value £32.18, target £40.00: missed"
}

@test "--fail-on at_risk,no_data: stricter" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9,"per":"c"}'
	cpc4 >p
	run -1 --separate-stderr kpi-goal --fail-on at_risk,no_data --goals g.json --as-of 2025-03-10 p
	assert_stderr "kpi-goal: goal 'cpc_cap' {\"c\":\"b\"} 2025-02: value 1.2, target 0.9: missed
kpi-goal: goal 'cpc_cap' {\"c\":\"c\"} 2025-03: value 1.2, target 0.9: off_track
kpi-goal: goal 'cpc_cap' {\"c\":\"d\"} 2025-03: value 0.95, target 0.9: at_risk
kpi-goal: goal 'cpc_cap' {\"c\":\"a\"} 2025-03: value null, target 0.9: no_data
kpi-goal: goal 'cpc_cap' {\"c\":\"b\"} 2025-03: value null, target 0.9: no_data
kpi-goal: goal 'cpc_cap' {\"c\":\"c\"} 2025-02: value null, target 0.9: no_data
kpi-goal: goal 'cpc_cap' {\"c\":\"d\"} 2025-02: value null, target 0.9: no_data"
}

@test "--check: all met exits 0, without --check failures exit 0" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9}'
	m1 cpc 0.8 >p
	run -0 --separate-stderr kpi-goal --check --goals g.json p
	assert_stderr ""
	m1 cpc 1.8 >p
	run -0 --separate-stderr kpi-goal --goals g.json p
	assert_stderr ""
}

@test "--fail-on: a bad status is a usage error" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9}'
	run -2 --separate-stderr kpi-goal --fail-on late --goals g.json /dev/null
	assert_stderr "kpi-goal: bad status in --fail-on 'late'"
}

# --- input errors -------------------------------------------------------------------

@test "a record that is not a point: exit 2, the others still evaluated" {
	goals '{"name":"cpc_cap","metric":"cpc","kind":"at_most","target":0.9}'
	{ echo '{"time":"2025-01-01","revenue":1}'; m1 cpc 0.8; } >p
	run -2 --separate-stderr kpi-goal --goals g.json p
	assert_stderr "kpi-goal: p:1: not a point: no 'metric'"
	[[ $output == *'"status":"met"'* ]]
}

@test "an evaluation stops on a bad goal before writing anything" {
	goals '{"name":"cr","metric":"cr","kind":"target","target":0.022}'
	m1 cr 0.02 >p
	run -2 --separate-stderr kpi-goal --goals g.json p
	assert_output ""
	assert_stderr "kpi-goal: g.json: goal 'cr': no deadline (not time-bound)"
}

# --- streaming ------------------------------------------------------------------------

# days S D: S series of daily points of metric m over D days from
# 2000-01-01, in kpi-aggregate's order (by period, then dims); every 97th
# point is missing.
days() {
	awk -v S="$1" -v D="$2" '
	function civil(z,   era, doe, yoe, y, doy, mp, d, m) {
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9; y += m <= 2
		return sprintf("%04d-%02d-%02d", y, m, d)
	}
	BEGIN {
		for (t = 0; t < D; t++) {
			a = civil(10957 + t); b = civil(10958 + t)
			for (s = 0; s < S; s++)
				if ((t * S + s) % 97 != 5)
					printf "{\"metric\":\"m\",\"period\":\"%s\",\"start\":\"%sT00:00:00Z\",\"end\":\"%sT00:00:00Z\",\"dims\":{\"ch\":\"c%02d\"},\"value\":%d}\n", a, a, b, s, 40 + (t * 13 + s * 7) % 23
		}
	}'
}

@test "streaming: 200,000 points in bounded memory, verdicts as without streaming" {
	goals '{"name":"floor","metric":"m","kind":"at_least","target":45,"every":"day","per":"ch"}' \
	    '{"name":"usual","metric":"m","kind":"band","every":"day","per":"ch"}' \
	    '{"name":"up","metric":"m","kind":"change","change":0.1,"every":"day","per":"ch"}'
	days 20 10000 >big
	days 20 200 >small
	[ "$(wc -l <big)" -eq 197938 ]
	# Holding every point took about 110 MB; streaming about 10 MB.
	# ulimit -v cannot work under AddressSanitizer's shadow memory.
	if grep -q __asan_init "$(command -v kpi-goal)"; then
		kpi-goal --goals g.json big >out
	else
		(ulimit -v 49152 && exec kpi-goal --goals g.json big) >out
	fi
	# Three evaluations a point, then no_data for each goal and gap.
	[ "$(wc -l <out)" -eq $((3 * 197938 + 3 * 2062)) ]
	[ "$(grep -c '"status":"no_data"' out)" -eq $((3 * 2062)) ]
	# 3,958 points are fewer than an evaluation pass holds: that run
	# writes everything at the end, and a plain day's verdict does not
	# depend on the later clock.
	kpi-goal --goals g.json small >want
	head -n $((3 * 3958)) want >want.head
	head -n $((3 * 3958)) out >out.head
	[ "$(wc -l <small)" -eq 3958 ]
	diff -u want.head out.head
	# The last gap: day 9991 (97 x 103) of c05, 2027-05-10; its baseline,
	# day 9990, is long dropped but kept for it: 40 + (9990 x 13 + 35) %
	# 23 = 41.
	tail -n 1 out | grep -q '^{"metric":"m","period":"2027-05-10",.*"dims":{"ch":"c05"}.*"name":"up".*"baseline":41}.*"status":"no_data"'
}
