#!/usr/bin/env bats
# kpi-aggregate: reducers, derived formulas, periods (weeks, fiscal years,
# time zones), dimensions and totals, the KPI catalogue and its errors,
# rejected rows, --stats, output order and output errors.  Input rows are
# typed rows written by the tests with printf; every expected value is
# worked out by hand in the comments.

load test_helper

setup() {
	work
}

D0='{}'

# pt METRIC PERIOD START END DIMS VALUE [UNIT]
#
# One point as kpi(7) gives it; START and END are times, or null.
pt() {
	local s="\"$3\"" e="\"$4\"" u=
	[ "$3" = null ] && s=null
	[ "$4" = null ] && e=null
	[ -n "${7-}" ] && u=",\"unit\":\"$7\""
	printf '{"metric":"%s","period":"%s","start":%s,"end":%s,"dims":%s,"value":%s%s}\n' \
	    "$1" "$2" "$s" "$e" "$5" "$6" "$u"
}

# w10 METRIC VALUE [DIMS [UNIT]], w11 ...: a point of the UTC ISO weeks
# 2024-W10 (4-10 March 2024) and 2024-W11 (11-17 March 2024).
w10() {
	pt "$1" 2024-W10 2024-03-04T00:00:00Z 2024-03-11T00:00:00Z "${3:-$D0}" "$2" "${4-}"
}
w11() {
	pt "$1" 2024-W11 2024-03-11T00:00:00Z 2024-03-18T00:00:00Z "${3:-$D0}" "$2" "${4-}"
}
w12() {
	pt "$1" 2024-W12 2024-03-18T00:00:00Z 2024-03-25T00:00:00Z "${3:-$D0}" "$2" "${4-}"
}

# meta KEYS: the points on stdin with KEYS (',"format":"money"') before
# each one's closing brace: what the catalogue says of a metric's format and
# direction, after unit and before state.
meta() {
	sed "s/}\$/$1}/"
}
MONEY=',"format":"money"'
PCT=',"format":"percent"'
LOWER=',"direction":"lower"'

# kpis METRIC: the format and direction pipelines/kpis.json gives METRIC,
# as meta takes them.
kpis() {
	case $1 in
	revenue | aov | ltv | ad_purchase_value | gross_profit | mrr | arpu | \
	    gross_revenue | sales_subtotal | gross_sales | net_sales | shipping | \
	    taxes | payment_volume | net_volume | net_payments)
		echo "$MONEY" ;;
	spend | cpc | cpm | cac | cost | refunds | discounts | payment_refunds | \
	    payment_fees) echo "$MONEY$LOWER" ;;
	churned_customers | detractors | fulfillment_hours) echo "$LOWER" ;;
	retention_rate | repeat_rate | returning_rate | cr | add_to_basket_rate | \
	    ctr | gross_margin | session_cr | key_event_rate | positive_review_rate | \
	    csat)
		echo "$PCT" ;;
	churn_rate) echo "$PCT$LOWER" ;;
	esac
}

# kw10 METRIC VALUE, kw11, kall: a point of pipelines/kpis.json's METRIC in
# 2024-W10, 2024-W11, or the period all.
kw10() {
	w10 "$1" "$2" | meta "$(kpis "$1")"
}
kw11() {
	w11 "$1" "$2" | meta "$(kpis "$1")"
}
kall() {
	pt "$1" all null null '{}' "$2" | meta "$(kpis "$1")"
}

# One row a line: {"time":TIME,"v":V} in data set t.
vrows() {
	local t v n=1
	while read -r t v; do
		n=$((n + 1))
		printf '{"time":"%s","v":%s,"_dataset":"t","_src":"t.csv","_line":%d}\n' \
		    "$t" "$v" "$n"
	done
}

# --- reducers ------------------------------------------------------------

# Week 10 holds v = 4 1 10 null 3 2 22: sorted 1 2 3 4 10 22, six values
# of seven rows.  sum 42, mean 7, median (3+4)/2 = 3.5, p90 at rank
# 5 * 0.9 = 4.5 between 10 and 22: 16.  Deviations from 7: -6 -5 -4 -3 3
# 15, squares 320, / (6 - 1) = 64: stddev 8.  The earliest row (Monday
# 00:00) has 1, the latest (Sunday 23:59:59) has 3, whatever the input
# order.  Week 11 holds one row, v = 100: a sample stddev of one value is
# null.
reducer_rows() {
	vrows >t.ndjson <<-'EOF'
	2024-03-05T10:00:00Z 4
	2024-03-04T00:00:00Z 1
	2024-03-08T12:00:00Z 10
	2024-03-06T00:00:00Z null
	2024-03-10T23:59:59Z 3
	2024-03-11T00:00:00Z 100
	2024-03-07T08:00:00Z 2
	2024-03-09T08:00:00Z 22
	EOF
}

@test "aggregate: every reducer over a small group" {
	reducer_rows
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' -m 'n=count()' \
	    -m 'nv=count(v)' -m 'd=distinct(v)' -m 'mean=mean(v)' \
	    -m 'avg=avg(v)' -m 'lo=min(v)' -m 'hi=max(v)' -m 'med=median(v)' \
	    -m 'p=p90(v)' -m 'f=first(v)' -m 'l=last(v)' -m 'sd=stddev(v)' \
	    t.ndjson
	assert_stderr ''
	assert_output "$(
		w10 s 42; w11 s 100
		w10 n 7; w11 n 1
		w10 nv 6; w11 nv 1
		w10 d 6; w11 d 1
		w10 mean 7; w11 mean 100
		w10 avg 7; w11 avg 100
		w10 lo 1; w11 lo 100
		w10 hi 22; w11 hi 100
		w10 med 3.5; w11 med 100
		w10 p 16; w11 p 100
		w10 f 1; w11 f 100
		w10 l 3; w11 l 100
		w10 sd 8; w11 sd null
	)"
}

@test "aggregate: distinct counts equal values once, strings too, null not at all" {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","c":"a@example.com","_dataset":"t"}' \
	    '{"time":"2024-03-05T10:00:00Z","c":"b@example.com","_dataset":"t"}' \
	    '{"time":"2024-03-06T10:00:00Z","c":"a@example.com","_dataset":"t"}' \
	    '{"time":"2024-03-07T10:00:00Z","c":null,"_dataset":"t"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'd=distinct(c)' \
	    -m 'n=count(c)' t.ndjson
	assert_stderr ''
	assert_output "$(w10 d 2; w10 n 3)"
}

@test "aggregate: median and pNN interpolate linearly between closest ranks" {
	# [10, 20]: p75 at rank 0.75, 17.5 (nearest rank would give 20);
	# [1 .. 5]: p25 at rank 1, 2; p50 at rank 2, the median, 3;
	# three equal values: p99.9 is that value.
	vrows >a.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 20
	2024-03-05T10:00:00Z 10
	EOF
	run -0 --separate-stderr kpi-aggregate -m 'p=p75(v)' -m 'm=median(v)' a.ndjson
	assert_stderr ''
	assert_output "$(w10 p 17.5; w10 m 15)"
	vrows >b.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 5
	2024-03-04T11:00:00Z 3
	2024-03-04T12:00:00Z 1
	2024-03-04T13:00:00Z 4
	2024-03-04T14:00:00Z 2
	EOF
	run -0 --separate-stderr kpi-aggregate -m 'a=p25(v)' -m 'b=p50(v)' \
	    -m 'm=median(v)' b.ndjson
	assert_stderr ''
	assert_output "$(w10 a 2; w10 b 3; w10 m 3)"
}

@test "aggregate: pNN takes a fraction: p99.9" {
	vrows >c.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 7.5
	2024-03-05T10:00:00Z 7.5
	2024-03-06T10:00:00Z 7.5
	EOF
	run -0 --separate-stderr kpi-aggregate -m 'p=p99.9(v)' c.ndjson
	assert_stderr ''
	assert_output "$(w10 p 7.5)"
}

@test "aggregate: first and last go by time and skip nulls" {
	# The earliest row has null: first is the earliest value that is not.
	vrows >t.ndjson <<-'EOF'
	2024-03-06T10:00:00Z 6
	2024-03-04T10:00:00Z null
	2024-03-05T10:00:00Z 5
	2024-03-10T10:00:00Z null
	2024-03-07T10:00:00Z 7
	EOF
	run -0 --separate-stderr kpi-aggregate -m 'f=first(v)' -m 'l=last(v)' t.ndjson
	assert_stderr ''
	assert_output "$(w10 f 5; w10 l 7)"
}

@test "aggregate: a group with no value: counts are 0, other reducers null" {
	vrows >t.ndjson <<-'EOF'
	2024-03-04T10:00:00Z null
	2024-03-05T10:00:00Z null
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' -m 'm=mean(v)' \
	    -m 'med=median(v)' -m 'lo=min(v)' -m 'hi=max(v)' -m 'p=p90(v)' \
	    -m 'f=first(v)' -m 'l=last(v)' -m 'sd=stddev(v)' \
	    -m 'nv=count(v)' -m 'd=distinct(v)' -m 'n=count()' t.ndjson
	assert_stderr ''
	assert_output "$(
		w10 s null; w10 m null; w10 med null; w10 lo null; w10 hi null
		w10 p null; w10 f null; w10 l null; w10 sd null
		w10 nv 0; w10 d 0; w10 n 2
	)"
}

# --- derived formulas ----------------------------------------------------

@test "aggregate: derived formulas: operators, numbers, min, max, abs" {
	# W10: a 6, b 2.  W11: a 5, b 0: a / b is null, max(5, 0) * 2 -
	# abs(0 - 5) + min(5, 0, 1) / 4 = 10 - 5 + 0 = 5.  W12: b has no
	# value, so every formula that uses it is null.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","a":4,"b":2,"_dataset":"t"}' \
	    '{"time":"2024-03-05T10:00:00Z","a":2,"b":null,"_dataset":"t"}' \
	    '{"time":"2024-03-11T10:00:00Z","a":5,"b":0,"_dataset":"t"}' \
	    '{"time":"2024-03-18T10:00:00Z","a":3,"b":null,"_dataset":"t"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'a=sum(a)' -m 'b=sum(b)' \
	    -m 'r=a / b' -m 'x=max(a, b) * 2 - abs(b - a) + min(a, b, 1) / 4' \
	    -m 'y=(a + b) / 4' -m 'z=0.5 * a - 1' t.ndjson
	assert_stderr ''
	assert_output "$(
		w10 a 6; w11 a 5; w12 a 3
		w10 b 2; w11 b 0; w12 b null
		w10 r 3; w11 r null; w12 r null
		w10 x 8.25; w11 x 5; w12 x null
		w10 y 2; w11 y 1.25; w12 y null
		w10 z 2; w11 z 1.5; w12 z 0.5
	)"
}

@test "aggregate: aov = revenue / orders; no orders: null, not an infinity" {
	# W10: 30 + 50 over 2 orders: 40.  W11: a refund row of -20 with no
	# order id: revenue over no orders is null, and so is revenue / 0.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","order_id":"#1","revenue":30,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","order_id":"#2","revenue":50,"_dataset":"orders"}' \
	    '{"time":"2024-03-12T10:00:00Z","order_id":null,"revenue":-20,"_dataset":"orders"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' \
	    -m 'orders=count(order_id)' -m 'aov=revenue / orders' \
	    -m 'zero=revenue - revenue' -m 'q=revenue / zero' \
	    --metrics revenue,aov,zero,q t.ndjson
	assert_stderr ''
	assert_output "$(
		w10 revenue 80; w11 revenue -20
		w10 aov 40; w11 aov null
		w10 zero 0; w11 zero 0
		w10 q null; w11 q null
	)"
}

# --- periods -------------------------------------------------------------

@test "aggregate: --every day, week, month, quarter, year, all: labels and bounds" {
	vrows >t.ndjson <<-'EOF'
	2024-05-15T12:00:00Z 1
	EOF
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' --every day t.ndjson
	assert_output "$(pt n 2024-05-15 2024-05-15T00:00:00Z 2024-05-16T00:00:00Z '{}' 1)"
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' --every week t.ndjson
	assert_output "$(pt n 2024-W20 2024-05-13T00:00:00Z 2024-05-20T00:00:00Z '{}' 1)"
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' t.ndjson
	assert_output "$(pt n 2024-W20 2024-05-13T00:00:00Z 2024-05-20T00:00:00Z '{}' 1)"
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' --every month t.ndjson
	assert_output "$(pt n 2024-05 2024-05-01T00:00:00Z 2024-06-01T00:00:00Z '{}' 1)"
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' --every quarter t.ndjson
	assert_output "$(pt n 2024-Q2 2024-04-01T00:00:00Z 2024-07-01T00:00:00Z '{}' 1)"
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' --every year t.ndjson
	assert_output "$(pt n 2024 2024-01-01T00:00:00Z 2025-01-01T00:00:00Z '{}' 1)"
	run -0 --separate-stderr kpi-aggregate -m 'n=count()' --every all t.ndjson
	assert_output "$(pt n all null null '{}' 1)"
	assert_stderr ''
}

@test "aggregate: --every all needs no time" {
	printf '%s\n' '{"v":2,"_dataset":"t"}' \
	    '{"time":null,"v":3,"_dataset":"t"}' \
	    '{"time":"2024-05-15T12:00:00Z","v":5,"_dataset":"t"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every all t.ndjson
	assert_stderr ''
	assert_output "$(pt s all null null '{}' 10)"
}

@test "aggregate: ISO weeks belong to their ISO week-year" {
	# 2024-12-30 is the Monday of 2025-W01; 2021-01-03, a Sunday, ends
	# 2020-W53; 2026-01-01, a Thursday, is in 2026-W01, which starts in
	# 2025; 2024-12-29, a Sunday, ends 2024-W52.
	vrows >t.ndjson <<-'EOF'
	2024-12-30T00:00:00Z 1
	2021-01-03T23:59:59Z 2
	2026-01-01T12:00:00Z 3
	2024-12-29T12:00:00Z 4
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' t.ndjson
	assert_stderr ''
	assert_output "$(
		pt s 2020-W53 2020-12-28T00:00:00Z 2021-01-04T00:00:00Z '{}' 2
		pt s 2024-W52 2024-12-23T00:00:00Z 2024-12-30T00:00:00Z '{}' 4
		pt s 2025-W01 2024-12-30T00:00:00Z 2025-01-06T00:00:00Z '{}' 1
		pt s 2026-W01 2025-12-29T00:00:00Z 2026-01-05T00:00:00Z '{}' 3
	)"
}

@test "aggregate: --week-start sunday" {
	# Sunday 10 March starts a week, to Saturday 16 March: 2024-W11.
	# Saturday 9 March is in the week from Sunday 3 March: 2024-W10.
	vrows >t.ndjson <<-'EOF'
	2024-03-10T12:00:00Z 1
	2024-03-09T12:00:00Z 2
	2024-03-16T23:00:00Z 4
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --week-start sunday t.ndjson
	assert_stderr ''
	assert_output "$(
		pt s 2024-W10 2024-03-03T00:00:00Z 2024-03-10T00:00:00Z '{}' 2
		pt s 2024-W11 2024-03-10T00:00:00Z 2024-03-17T00:00:00Z '{}' 5
	)"
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --week-start monday t.ndjson
	assert_output "$(
		w10 s 3
		w11 s 4
	)"
}

@test "aggregate: --fiscal-year-start 4: FY named by the year it ends" {
	# April 2024 to March 2025 is FY2025; its Q1 is April to June 2024.
	vrows >t.ndjson <<-'EOF'
	2024-05-15T12:00:00Z 1
	2024-03-31T12:00:00Z 2
	2025-03-01T12:00:00Z 4
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every quarter \
	    --fiscal-year-start 4 t.ndjson
	assert_stderr ''
	assert_output "$(
		pt s FY2024-Q4 2024-01-01T00:00:00Z 2024-04-01T00:00:00Z '{}' 2
		pt s FY2025-Q1 2024-04-01T00:00:00Z 2024-07-01T00:00:00Z '{}' 1
		pt s FY2025-Q4 2025-01-01T00:00:00Z 2025-04-01T00:00:00Z '{}' 4
	)"
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every year \
	    --fiscal-year-start apr t.ndjson
	assert_stderr ''
	assert_output "$(
		pt s FY2024 2023-04-01T00:00:00Z 2024-04-01T00:00:00Z '{}' 2
		pt s FY2025 2024-04-01T00:00:00Z 2025-04-01T00:00:00Z '{}' 5
	)"
	# Months are months whatever the fiscal year.
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every month \
	    --fiscal-year-start april t.ndjson
	assert_output "$(
		pt s 2024-03 2024-03-01T00:00:00Z 2024-04-01T00:00:00Z '{}' 2
		pt s 2024-05 2024-05-01T00:00:00Z 2024-06-01T00:00:00Z '{}' 1
		pt s 2025-03 2025-03-01T00:00:00Z 2025-04-01T00:00:00Z '{}' 4
	)"
	# 1 is the calendar year, with no FY prefix.
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every year \
	    --fiscal-year-start 1 t.ndjson
	assert_output "$(
		pt s 2024 2024-01-01T00:00:00Z 2025-01-01T00:00:00Z '{}' 3
		pt s 2025 2025-01-01T00:00:00Z 2026-01-01T00:00:00Z '{}' 4
	)"
}

@test "aggregate: --tz Europe/London: periods of the local calendar, across BST" {
	# 2024-03-31T23:30Z is 00:30 BST on 1 April; 12:00Z on 31 March is in
	# the 23-hour day that BST began, whose start is GMT and end BST.
	vrows >t.ndjson <<-'EOF'
	2024-03-31T23:30:00Z 1
	2024-03-31T12:00:00Z 2
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every day \
	    --tz Europe/London t.ndjson
	assert_stderr ''
	assert_output "$(
		pt s 2024-03-31 2024-03-31T00:00:00Z 2024-04-01T00:00:00+01:00 '{}' 2
		pt s 2024-04-01 2024-04-01T00:00:00+01:00 2024-04-02T00:00:00+01:00 '{}' 1
	)"
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every month \
	    --tz Europe/London t.ndjson
	assert_output "$(
		pt s 2024-03 2024-03-01T00:00:00Z 2024-04-01T00:00:00+01:00 '{}' 2
		pt s 2024-04 2024-04-01T00:00:00+01:00 2024-05-01T00:00:00+01:00 '{}' 1
	)"
	# In UTC both are on 31 March.
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every month t.ndjson
	assert_output "$(pt s 2024-03 2024-03-01T00:00:00Z 2024-04-01T00:00:00Z '{}' 3)"
}

@test "aggregate: --tz America/New_York: a UTC Monday that is a local Sunday" {
	# 2024-03-11T03:00Z is 23:00 EDT on Sunday 10 March, the day DST began:
	# the last day of 2024-W10 there, which started in EST.
	vrows >t.ndjson <<-'EOF'
	2024-03-11T03:00:00Z 1
	2024-03-11T04:00:00Z 2
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --tz America/New_York t.ndjson
	assert_stderr ''
	assert_output "$(
		pt s 2024-W10 2024-03-04T00:00:00-05:00 2024-03-11T00:00:00-04:00 '{}' 1
		pt s 2024-W11 2024-03-11T00:00:00-04:00 2024-03-18T00:00:00-04:00 '{}' 2
	)"
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every day \
	    --tz America/New_York t.ndjson
	assert_output "$(
		pt s 2024-03-10 2024-03-10T00:00:00-05:00 2024-03-11T00:00:00-04:00 '{}' 1
		pt s 2024-03-11 2024-03-11T00:00:00-04:00 2024-03-12T00:00:00-04:00 '{}' 2
	)"
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' t.ndjson
	assert_output "$(w11 s 3)"
}

@test "aggregate: a time's own offset does not choose the period, the zone does" {
	# 01:00+02:00 on 4 March is 23:00Z on 3 March: 2024-W09 in UTC.
	vrows >t.ndjson <<-'EOF'
	2024-03-04T01:00:00+02:00 1
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' t.ndjson
	assert_stderr ''
	assert_output "$(pt s 2024-W09 2024-02-26T00:00:00Z 2024-03-04T00:00:00Z '{}' 1)"
}

# --- dimensions and totals -----------------------------------------------

@test "aggregate: --by two fields; a null or absent dimension is null" {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","channel":"email","country":"GB","v":10,"_dataset":"t"}' \
	    '{"time":"2024-03-05T10:00:00Z","channel":"ads","country":"GB","v":5,"_dataset":"t"}' \
	    '{"time":"2024-03-06T10:00:00Z","channel":"email","country":"US","v":7,"_dataset":"t"}' \
	    '{"time":"2024-03-07T10:00:00Z","channel":"email","country":"GB","v":1,"_dataset":"t"}' \
	    '{"time":"2024-03-08T10:00:00Z","channel":null,"country":"GB","v":2,"_dataset":"t"}' \
	    '{"time":"2024-03-09T10:00:00Z","channel":"ads","v":4,"_dataset":"t"}' \
	    '{"time":"2024-03-09T11:00:00Z","channel":"ads","country":44,"v":8,"_dataset":"t"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --by channel,country t.ndjson
	assert_stderr ''
	# Ordered by the dims' JSON text, bytewise: '"' sorts before 'n'.
	assert_output "$(
		w10 s 8 '{"channel":"ads","country":"44"}'
		w10 s 5 '{"channel":"ads","country":"GB"}'
		w10 s 4 '{"channel":"ads","country":null}'
		w10 s 11 '{"channel":"email","country":"GB"}'
		w10 s 7 '{"channel":"email","country":"US"}'
		w10 s 2 '{"channel":null,"country":"GB"}'
	)"
}

@test "aggregate: --by keeps every field, however few the arguments" {
	# The fields were once kept in an array of argc entries: four fields
	# in a command line of three arguments lost the last.
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","a":1,"b":2,"c":3,"d":4}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate -ms=count\(\) --by=a,b,c,d <t.ndjson
	assert_stderr ''
	assert_output "$(w10 s 1 '{"a":"1","b":"2","c":"3","d":"4"}')"
}

# Channel a: one order of 100 (W10) and one of 50 (W11); channel b: three
# orders of 10 (W10), two by customer y.  W10 totals: revenue 130 over 4
# orders, aov 32.5, where the mean of the channels' aov (100 and 10) would
# be 55; customers x and y, 2, where the channels' sum would be 3; median
# of 100 10 10 10 is 10, where the median of the channels' medians is 55.
total_rows() {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","channel":"a","order_id":"#1","customer":"x","revenue":100,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","channel":"b","order_id":"#2","customer":"x","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-03-11T10:00:00Z","channel":"a","order_id":"#5","customer":"x","revenue":50,"_dataset":"orders"}' \
	    '{"time":"2024-03-06T10:00:00Z","channel":"b","order_id":"#3","customer":"y","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-03-07T10:00:00Z","channel":"b","order_id":"#4","customer":"y","revenue":10,"_dataset":"orders"}' >t.ndjson
}

@test "aggregate: --total recomputes ratios and reducers from all rows, never averages" {
	total_rows
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' \
	    -m 'orders=count(order_id)' -m 'aov=revenue / orders' \
	    -m 'customers=distinct(customer)' -m 'med=median(revenue)' \
	    --by channel --total t.ndjson
	assert_stderr ''
	a='{"channel":"a"}' b='{"channel":"b"}'
	assert_output "$(
		w10 revenue 130; w11 revenue 50
		w10 revenue 100 "$a"; w11 revenue 50 "$a"; w10 revenue 30 "$b"
		w10 orders 4; w11 orders 1
		w10 orders 1 "$a"; w11 orders 1 "$a"; w10 orders 3 "$b"
		w10 aov 32.5; w11 aov 50
		w10 aov 100 "$a"; w11 aov 50 "$a"; w10 aov 10 "$b"
		w10 customers 2; w11 customers 1
		w10 customers 1 "$a"; w11 customers 1 "$a"; w10 customers 2 "$b"
		w10 med 10; w11 med 50
		w10 med 100 "$a"; w11 med 50 "$a"; w10 med 10 "$b"
	)"
}

@test "aggregate: without --by, --total adds nothing: the groups are already total" {
	total_rows
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' --total t.ndjson
	assert_stderr ''
	assert_output "$(w10 revenue 130; w11 revenue 50)"
}

# --- the catalogue -------------------------------------------------------

catalogue() {
	cat >k.json <<-'EOF'
	{"kpis": [
	  {"name": "revenue", "formula": "sum(revenue)", "dataset": "orders",
	   "unit": "GBP", "format": "money", "direction": "higher",
	   "description": "Order revenue"},
	  {"name": "orders", "formula": "count(order_id)", "dataset": "orders"},
	  {"name": "sessions", "formula": "sum(sessions)", "dataset": "traffic"},
	  {"name": "cr", "formula": "orders / sessions", "format": "percent",
	   "direction": "higher", "description": "Conversion rate"}
	]}
	EOF
	# W10: two orders (30 and 10) and a traffic row that has a revenue and
	# an order id of its own, which the orders metrics must not count.
	# W11: a traffic row only.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","order_id":"#1","revenue":30,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","order_id":"#2","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T00:00:00Z","sessions":100,"order_id":"#9","revenue":999,"_dataset":"traffic"}' \
	    '{"time":"2024-03-12T00:00:00Z","sessions":50,"order_id":null,"revenue":null,"_dataset":"traffic"}' >t.ndjson
}

@test "aggregate: --defs: dataset filters base metrics, unit copied, -m after" {
	catalogue
	run -0 --separate-stderr kpi-aggregate --defs k.json \
	    -m 'any_revenue=sum(revenue)' t.ndjson
	assert_stderr ''
	# W11 had rows, but none of the orders data set: no revenue (null),
	# 0 orders, and a conversion rate of 0 / 50.
	assert_output "$(
		{ w10 revenue 40 '{}' GBP; w11 revenue null '{}' GBP; } | meta "$MONEY"
		w10 orders 2; w11 orders 0
		w10 sessions 100; w11 sessions 50
		{ w10 cr 0.02; w11 cr 0; } | meta "$PCT"
		w10 any_revenue 1039; w11 any_revenue null
	)"
}

@test "aggregate: --metrics writes only those, in definition order" {
	catalogue
	run -0 --separate-stderr kpi-aggregate --defs k.json --metrics cr,revenue t.ndjson
	assert_stderr ''
	assert_output "$(
		{ w10 revenue 40 '{}' GBP; w11 revenue null '{}' GBP; } | meta "$MONEY"
		{ w10 cr 0.02; w11 cr 0; } | meta "$PCT"
	)"
}

@test "aggregate: -m replaces the catalogue entry of its name, in its place" {
	catalogue
	# orders now counts every row, of any data set: 3 in W10, 1 in W11.
	run -0 --separate-stderr kpi-aggregate --defs k.json -m 'orders=count()' \
	    --metrics orders,cr t.ndjson
	assert_stderr ''
	assert_output "$(
		w10 orders 3; w11 orders 1
		{ w10 cr 0.03; w11 cr 0.02; } | meta "$PCT"
	)"
}

@test "aggregate: pipelines/kpis.json loads; every metric has a value on mixed rows" {
	# One week of orders, traffic, ads, subscriptions and email rows.
	# orders: 30 (a, 1 item) + 50 (b, 3 items); traffic: sessions 100 + 60,
	# users 80 + 40, add to carts 10 + 6; ads: spend 20 + 12, impressions
	# 4000 + 4000, clicks 50 + 30, purchases 2 + 1, value 90 + 38 (the Meta
	# row's add_to_carts belong to ads, not traffic); email clicks belong
	# to email.  subscriptions: mrr 20 (c1) + 10 (c2) + 15 (c1), each
	# subscription's latest, summed; subscribers c1 and c2, each row one
	# subscription as the stripe-subscriptions preset writes it.  The
	# customers a and b are new (the data's first week), none retained,
	# churned or repeat: rates over the previous week's 0 customers are
	# null.  No row has a cost: cost, gross profit and margin are null.
	# reviews: ratings 5, 4, 2: mean 11 / 3, 2 of 3 of 4 or 5 stars.
	# surveys: NPS answers 10 and 6, one promoter and one detractor: 0;
	# CSAT answers 5 and 3: one of two.
	# Order b had 10 of its 50 refunded: revenue (net) 30 + 40, gross 80;
	# subtotals 25 (after a discount of 5) + 45, shipping 5 + 5.  GA4:
	# purchases 1 + 1, key events 3 + 1 over 160 sessions.  payments: 100
	# (20 refunded, fee 3) + 50 (fee 1.5) of two customers.
	# The orders took 12 and 30 hours to fulfil: median 21.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","order_id":"#1","customer":"a","revenue":30,"subtotal":25,"shipping":5,"taxes":0,"discount":5,"refunded":0,"items":1,"net_revenue":30,"counted":true,"fulfillment_hours":12,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","order_id":"#2","customer":"b","revenue":50,"subtotal":45,"shipping":5,"taxes":0,"discount":0,"refunded":10,"items":3,"net_revenue":40,"counted":true,"fulfillment_hours":30,"_dataset":"orders"}' \
	    '{"time":"2024-03-04T00:00:00Z","sessions":100,"users":80,"add_to_carts":10,"purchases":1,"purchase_value":30,"key_events":3,"_dataset":"traffic"}' \
	    '{"time":"2024-03-05T00:00:00Z","sessions":60,"users":40,"add_to_carts":6,"purchases":1,"purchase_value":50,"key_events":1,"_dataset":"traffic"}' \
	    '{"time":"2024-03-05T12:00:00Z","payment_id":"ch_1","customer":"cus_1","customer_email":"a@example.com","revenue":100,"refunded":20,"net_revenue":80,"fee":3,"net":77,"counted":true,"_dataset":"payments"}' \
	    '{"time":"2024-03-06T12:00:00Z","payment_id":"ch_2","customer":"cus_2","customer_email":"b@example.com","revenue":50,"refunded":0,"net_revenue":50,"fee":1.5,"net":48.5,"counted":true,"_dataset":"payments"}' \
	    '{"time":"2024-03-04T00:00:00Z","spend":20,"impressions":4000,"clicks":50,"purchases":2,"purchase_value":90,"_dataset":"ads"}' \
	    '{"time":"2024-03-05T00:00:00Z","spend":12,"impressions":4000,"clicks":30,"add_to_carts":500,"purchases":1,"purchase_value":38,"_dataset":"ads"}' \
	    '{"time":"2024-03-06T09:00:00Z","recipients":1000,"clicks":999,"purchases":5,"purchase_value":200,"_dataset":"email"}' \
	    '{"time":"2024-03-04T08:00:00Z","subscription_id":"sub_1","subscriptions":1,"customer":"c1","mrr":20,"_dataset":"subscriptions"}' \
	    '{"time":"2024-03-05T08:00:00Z","subscription_id":"sub_2","subscriptions":1,"customer":"c2","mrr":10,"_dataset":"subscriptions"}' \
	    '{"time":"2024-03-06T08:00:00Z","subscription_id":"sub_3","subscriptions":1,"customer":"c1","mrr":15,"_dataset":"subscriptions"}' \
	    '{"time":"2024-03-04T12:00:00Z","rating":5,"_dataset":"reviews"}' \
	    '{"time":"2024-03-05T12:00:00Z","rating":4,"_dataset":"reviews"}' \
	    '{"time":"2024-03-06T12:00:00Z","rating":2,"_dataset":"reviews"}' \
	    '{"time":"2024-03-04T13:00:00Z","nps_score":10,"csat_score":5,"_dataset":"surveys"}' \
	    '{"time":"2024-03-05T13:00:00Z","nps_score":6,"csat_score":3,"_dataset":"surveys"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" t.ndjson
	assert_stderr ''
	assert_output "$(
		kw10 revenue 70
		kw10 orders 2
		kw10 gross_revenue 80
		kw10 refunds 10
		kw10 discounts 5
		kw10 sales_subtotal 70
		kw10 gross_sales 75
		kw10 net_sales 60
		kw10 shipping 10
		kw10 taxes 0
		kw10 items 4
		kw10 aov 35
		kw10 customers 2
		kw10 new_customers 2
		kw10 returning_customers 0
		kw10 retained_customers 0
		kw10 churned_customers 0
		kw10 repeat_customers 0
		kw10 retention_rate null
		kw10 churn_rate null
		kw10 repeat_rate 0
		kw10 returning_rate 0
		kw10 ltv 35
		kw10 sessions 160
		kw10 users 120
		kw10 cr 0.0125
		kw10 web_purchases 2
		kw10 session_cr 0.0125
		kw10 key_events 4
		kw10 key_event_rate 0.025
		kw10 add_to_carts 16
		kw10 add_to_basket_rate 0.1
		kw10 spend 32
		kw10 impressions 8000
		kw10 clicks 80
		kw10 ctr 0.01
		kw10 cpc 0.4
		kw10 cpm 4
		kw10 ad_purchases 3
		kw10 ad_purchase_value 128
		kw10 roas 4
		kw10 blended_roas 2.1875
		kw10 cac 16
		kw10 cost null
		kw10 gross_profit null
		kw10 gross_margin null
		kw10 fulfillment_hours 21
		kw10 payment_volume 150
		kw10 payment_refunds 20
		kw10 net_volume 130
		kw10 payment_fees 4.5
		kw10 net_payments 125.5
		kw10 payments 2
		kw10 paying_customers 2
		kw10 mrr 45
		kw10 subscribers 2
		kw10 arpu 22.5
		kw10 rating 3.6666666666666665
		kw10 reviews 3
		kw10 positive_reviews 2
		kw10 positive_review_rate 0.6666666666666666
		kw10 nps_responses 2
		kw10 promoters 1
		kw10 detractors 1
		kw10 nps 0
		kw10 csat_responses 2
		kw10 csat 0.5
	)"
}

@test "aggregate: pipelines/kpis.json: gross margin when the order rows carry a cost" {
	# Revenue 60 + 40 = 100, cost 30 + 25 = 55 (the second order's cost
	# is 25): gross profit 45, margin 0.45.  A week without cost: null.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","order_id":"#1","net_revenue":60,"cost":30,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","order_id":"#2","net_revenue":40,"cost":25,"_dataset":"orders"}' \
	    '{"time":"2024-03-12T10:00:00Z","order_id":"#3","net_revenue":10,"_dataset":"orders"}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --metrics cost,gross_profit,gross_margin t.ndjson
	assert_stderr ''
	assert_output "$(
		kw10 cost 55; kw11 cost null
		kw10 gross_profit 45; kw11 gross_profit null
		kw10 gross_margin 0.45; kw11 gross_margin null
	)"
}

@test "aggregate: pipelines/kpis.json: names, keys and values are of the catalogue format" {
	command -v jq >/dev/null || skip "no jq"
	k=$KPI_ROOT/pipelines/kpis.json
	# Every entry has a name, a formula, a format, a direction and a
	# description, no unit, and only keys that the format knows.
	run -0 jq -r '.kpis[] | select((.name | test("^[a-z_][a-z0-9_]*$") | not)
	    or (.formula | type) != "string" or has("unit")
	    or ([.format] | inside(["number","money","percent"]) | not)
	    or ([.direction] | inside(["higher","lower"]) | not)
	    or (.description | type) != "string"
	    or (keys - ["name","formula","dataset","format","direction","description"] | length) > 0)
	    | .name' "$k"
	assert_output ''
	run -0 jq -r '[.kpis[].name] | length - (unique | length)' "$k"
	assert_output 0
	run -0 jq -r '.kpis[] | select(.direction == "lower") | .name' "$k"
	assert_output 'refunds
discounts
churned_customers
churn_rate
spend
cpc
cpm
cac
cost
fulfillment_hours
payment_refunds
payment_fees
detractors'
}

# --- the whole pipeline --------------------------------------------------

@test "aggregate: kpi-extract | kpi-normalize --preset shopify-orders | kpi-aggregate" {
	# Order #1002 has two line items (2 + 1); #1003 is a week later.
	printf '%s\n' \
	    'Name,Email,Financial Status,Currency,Total,Created at,Lineitem quantity' \
	    '#1001,a@example.com,paid,GBP,30.00,2024-03-04 10:00:00 +0000,1' \
	    '#1002,B@example.com,paid,GBP,50.00,2024-03-05 11:00:00 +0000,2' \
	    '#1002,,,,,,1' \
	    '#1003,a@example.com,paid,GBP,10.00,2024-03-12 09:00:00 +0000,1' \
	    >orders_export_1.csv
	cp "$KPI_ROOT/pipelines/kpis.json" .
	run -0 --separate-stderr bash -c 'kpi-extract orders_export_1.csv |
	    kpi-normalize --preset shopify-orders |
	    kpi-aggregate --defs kpis.json \
	        --metrics revenue,orders,items,aov,customers --every week'
	assert_stderr ''
	assert_output "$(
		kw10 revenue 80; kw11 revenue 10
		kw10 orders 2; kw11 orders 1
		kw10 items 4; kw11 items 1
		kw10 aov 40; kw11 aov 10
		kw10 customers 2; kw11 customers 1
	)"
	run -0 --separate-stderr bash -c 'kpi-extract orders_export_1.csv |
	    kpi-normalize --preset shopify-orders |
	    kpi-aggregate --defs kpis.json \
	        --metrics revenue,orders,aov,ltv --every all'
	assert_stderr ''
	assert_output "$(
		kall revenue 90
		kall orders 3
		kall aov 30
		kall ltv 45
	)"
}

# --- rejected rows and --stats -------------------------------------------

@test "aggregate: rows without a good time or number: one line each, exit 1, others counted" {
	# Lines 3 to 5 are rejected and count nowhere, not even in count();
	# line 5 is the only row of W11, so W11 has no points.
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","v":1,"_dataset":"t","_src":"t.csv","_line":2}' \
	    '{"v":7,"_dataset":"t","_src":"t.csv","_line":3}' \
	    '{"time":"yesterday","v":7,"_dataset":"t","_src":"t.csv","_line":4}' \
	    '{"time":"2024-03-12T10:00:00Z","v":"abc","_dataset":"t","_src":"t.csv","_line":5}' \
	    '{"time":"2024-03-05T10:00:00Z","v":2,"_dataset":"t","_src":"t.csv","_line":6}' >t.ndjson
	run -1 --separate-stderr kpi-aggregate --stats -m 's=sum(v)' -m 'n=count()' t.ndjson
	assert_output "$(w10 s 3; w10 n 2)"
	assert_stderr "kpi-aggregate: t.csv:3: no time
kpi-aggregate: t.csv:4: bad time 'yesterday'
kpi-aggregate: t.csv:5: field 'v': 'abc' is not a number
kpi-aggregate: 5 rows in, 3 rejected, 1 group, 2 points"
}

@test "aggregate: a null time is no time" {
	printf '%s\n' \
	    '{"time":null,"v":7,"_dataset":"t","_src":"t.csv","_line":2}' \
	    '{"time":"2024-03-04T10:00:00Z","v":1,"_dataset":"t","_src":"t.csv","_line":3}' >t.ndjson
	run -1 --separate-stderr kpi-aggregate -m 's=sum(v)' t.ndjson
	assert_output "$(w10 s 1)"
	assert_stderr 'kpi-aggregate: t.csv:2: no time'
}

@test "aggregate: a row without _src and _line is named by its input and line" {
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","v":1}' '{"v":2}' >t.ndjson
	run -1 --separate-stderr kpi-aggregate -m 's=sum(v)' t.ndjson
	assert_output "$(w10 s 1)"
	assert_stderr 'kpi-aggregate: t.ndjson:2: no time'
	run -1 --separate-stderr kpi-aggregate -m 's=sum(v)' <t.ndjson
	assert_output "$(w10 s 1)"
	assert_stderr 'kpi-aggregate: <stdin>:2: no time'
}

@test "aggregate: --stats: singular for one, plural otherwise" {
	vrows >one.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 1
	EOF
	run -0 --separate-stderr kpi-aggregate --stats -m 's=sum(v)' one.ndjson
	assert_output "$(w10 s 1)"
	assert_stderr 'kpi-aggregate: 1 row in, 0 rejected, 1 group, 1 point'
	vrows >two.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 1
	2024-03-11T10:00:00Z 2
	EOF
	run -0 --separate-stderr kpi-aggregate --stats -m 's=sum(v)' \
	    -m 'n=count()' --by v two.ndjson
	assert_stderr 'kpi-aggregate: 2 rows in, 0 rejected, 2 groups, 4 points'
}

@test "aggregate: rows from several files and stdin; _src of the rows names them" {
	vrows >a.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 1
	EOF
	vrows >b.ndjson <<-'EOF'
	2024-03-05T10:00:00Z 2
	EOF
	run -0 --separate-stderr bash -c 'kpi-aggregate -m "s=sum(v)" a.ndjson - <b.ndjson'
	assert_stderr ''
	assert_output "$(w10 s 3)"
	run -0 --separate-stderr bash -c 'cat a.ndjson b.ndjson | kpi-aggregate -m "s=sum(v)"'
	assert_output "$(w10 s 3)"
}

@test "aggregate: a missing input is reported, the others are aggregated, exit 2" {
	vrows >t.ndjson <<-'EOF'
	2024-03-04T10:00:00Z 1
	EOF
	run -2 --separate-stderr kpi-aggregate -m 's=sum(v)' nosuch.ndjson t.ndjson
	assert_output "$(w10 s 1)"
	assert_stderr 'kpi-aggregate: nosuch.ndjson: No such file or directory'
}

@test "aggregate: no rows, no points" {
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' </dev/null
	assert_output ''
	assert_stderr ''
}

# --- definition errors ---------------------------------------------------

@test "aggregate: unknown reducer: exit 2, naming the definition" {
	run -2 --separate-stderr kpi-aggregate -m 'orders=cnt(order_id)' </dev/null
	assert_output ''
	assert_stderr "kpi-aggregate: -m: orders: unknown reducer 'cnt'"
	printf '{"kpis":[{"name":"orders","formula":"cnt(order_id)"}]}\n' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: k\\.json(:[0-9]+:[0-9]+)?: orders: unknown reducer 'cnt'\$"
}

@test "aggregate: unknown metric in a formula: exit 2" {
	run -2 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' \
	    -m 'orders=count()' -m 'aov=revnue / orders' </dev/null
	assert_output ''
	assert_stderr "kpi-aggregate: -m: aov: unknown metric 'revnue' (did you mean 'revenue'?)"
}

@test "aggregate: formulas that depend on themselves: exit 2" {
	run -2 --separate-stderr kpi-aggregate -m 'a=a + 1' </dev/null
	assert_output ''
	assert_stderr 'kpi-aggregate: -m: a: formula depends on itself'
	run -2 --separate-stderr kpi-aggregate -m 'a=b + 1' -m 'b=a * 2' </dev/null
	assert_output ''
	assert_stderr 'kpi-aggregate: -m: a: formula depends on itself'
}

@test "aggregate: a formula that does not parse: exit 2 with its column" {
	run -2 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' \
	    -m 'aov=revenue/)' </dev/null
	assert_output ''
	assert_stderr "kpi-aggregate: -m: aov: unexpected ')' at column 9"
}

@test "aggregate: a name twice in the catalogue: exit 2" {
	cat >k.json <<-'EOF'
	{"kpis": [
	  {"name": "revenue", "formula": "sum(revenue)"},
	  {"name": "revenue", "formula": "sum(total)"}
	]}
	EOF
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: k\\.json(:[0-9]+(:[0-9]+)?)?: .*(revenue.*duplicate|duplicate.*revenue)"
}

@test "aggregate: catalogue errors: bad JSON, unknown key, bad name, dataset on a formula" {
	printf '{"kpis": [\n  {"name": "a",\n' >bad.json
	run -2 --separate-stderr kpi-aggregate --defs bad.json </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: bad\.json:[0-9]+(:[0-9]+)?: .+'
	printf '{"kpis": [{"name": "a", "formula": "count()", "colour": "red"}]}\n' >key.json
	run -2 --separate-stderr kpi-aggregate --defs key.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: key\\.json(:[0-9]+:[0-9]+)?: .*'colour'"
	printf '{"kpis": [{"name": "Bad-Name", "formula": "count()"}]}\n' >name.json
	run -2 --separate-stderr kpi-aggregate --defs name.json </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: name\.json(:[0-9]+:[0-9]+)?: .+'
	printf '{"kpis": [{"name": "a", "formula": "count()"}, {"name": "b", "formula": "a * 2", "dataset": "orders"}]}\n' >ds.json
	run -2 --separate-stderr kpi-aggregate --defs ds.json </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: ds\.json(:[0-9]+:[0-9]+)?: b: .+'
	printf '{"kpis": [{"name": "a", "formula": "count()", "format": "euro"}]}\n' >fmt.json
	run -2 --separate-stderr kpi-aggregate --defs fmt.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: fmt\\.json(:[0-9]+:[0-9]+)?: .*'euro'"
	printf '{"kpis": [{"name": "a", "formula": "count()", "direction": "up"}]}\n' >dir.json
	run -2 --separate-stderr kpi-aggregate --defs dir.json </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: dir\.json(:[0-9]+:[0-9]+)?: .+'
	printf '{"kpis": [{"name": "a"}]}\n' >noformula.json
	run -2 --separate-stderr kpi-aggregate --defs noformula.json </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: noformula\.json(:[0-9]+:[0-9]+)?: .+'
}

@test "aggregate: a missing catalogue: exit 2" {
	run -2 --separate-stderr kpi-aggregate --defs nosuch.json </dev/null
	assert_output ''
	assert_stderr 'kpi-aggregate: nosuch.json: No such file or directory'
}

@test "aggregate: no metrics at all, or an unknown one in --metrics: exit 2" {
	run -2 --separate-stderr kpi-aggregate </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: .+'
	run -2 --separate-stderr kpi-aggregate -m 's=sum(v)' --metrics s,nosuch </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: .*unknown metric 'nosuch'\$"
}

@test "aggregate: definitions are checked before any input is read" {
	# The input does not exist; the bad formula is all that is reported.
	run -2 --separate-stderr kpi-aggregate -m 'orders=cnt(x)' nosuch.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: -m: orders: unknown reducer 'cnt'"
}

# --- command line --------------------------------------------------------

@test "aggregate: bad --every: exit 2" {
	for bad in 'fortnight' 'weeks' ''; do
		run -2 --separate-stderr kpi-aggregate -m 'n=count()' --every "$bad" </dev/null
		assert_output ''
		assert_stderr_line "^kpi-aggregate: .*'$bad' \\(one of day, week, month, quarter, year, all\\)\$"
	done
}

@test "aggregate: bad --week-start: only monday and sunday, exit 2" {
	for bad in friday tuesday 1 ''; do
		run -2 --separate-stderr kpi-aggregate -m 'n=count()' --week-start "$bad" </dev/null
		assert_output ''
		assert_stderr_line "^kpi-aggregate: .*'$bad'\$"
	done
}

@test "aggregate: bad --fiscal-year-start: exit 2" {
	for bad in 0 13 -1 4.5 foo ''; do
		run -2 --separate-stderr kpi-aggregate -m 'n=count()' --fiscal-year-start "$bad" </dev/null
		assert_output ''
		assert_stderr_line "^kpi-aggregate: .*'$bad'\$"
	done
}

@test "aggregate: bad --tz: exit 2" {
	run -2 --separate-stderr kpi-aggregate -m 'n=count()' --tz Mars/Olympus </dev/null
	assert_output ''
	assert_stderr "kpi-aggregate: unknown time zone 'Mars/Olympus'"
}

# --- output --------------------------------------------------------------

@test "aggregate: reader leaving early (| head -n 1): exit 0, nothing on stderr" {
	# 20000 values of v, one group and one point each.
	seq 20000 | sed 's/.*/{"time":"2024-03-04T10:00:00Z","v":&,"_dataset":"t"}/' >big.ndjson
	run -0 --separate-stderr bash -c 'kpi-aggregate -m "s=sum(v)" --by v big.ndjson | head -n 1; echo "rc=${PIPESTATUS[0]}"'
	assert_output "$(w10 s 1 '{"v":"1"}')
rc=0"
	assert_stderr ''
}

@test "aggregate: output is whole NDJSON records" {
	total_rows
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' \
	    -m 'aov=revenue / rows' -m 'rows=count()' --by channel,customer \
	    --total --every day t.ndjson
	assert_records
	assert_stderr ''
}

@test "aggregate: a metric name is [a-z_][a-z0-9_]*: capitals are refused, exit 2" {
	printf '{"kpis": [{"name": "Revenue", "formula": "sum(revenue)"}]}\n' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: k\.json(:[0-9]+:[0-9]+)?: .+'
	run -2 --separate-stderr kpi-aggregate -m 'Revenue=sum(revenue)' </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: .*'Revenue'"
}

@test "aggregate: the example of kpi-aggregate(1) with rows written by hand" {
	printf '%s\n' \
	    '{"time":"2024-03-04T10:00:00Z","order_id":"#1","revenue":30,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T11:00:00Z","order_id":"#2","revenue":50,"_dataset":"orders"}' \
	    '{"time":"2024-03-12T09:00:00Z","order_id":"#3","revenue":10,"_dataset":"orders"}' >rows.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' \
	    -m 'orders=count(order_id)' -m 'aov=revenue / orders' --metrics aov rows.ndjson
	assert_stderr ''
	assert_output '{"metric":"aov","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":40}
{"metric":"aov","period":"2024-W11","start":"2024-03-11T00:00:00Z","end":"2024-03-18T00:00:00Z","dims":{},"value":10}'
}

@test "aggregate: the examples of the README on the sample exports" {
	cd "$KPI_ROOT"
	run -0 --separate-stderr bash -c 'kpi-extract pipelines/samples/orders_export_1.csv |
	    kpi-normalize --preset shopify-orders |
	    kpi-aggregate --defs pipelines/kpis.json --metrics revenue,orders,items,customers'
	assert_stderr ''
	assert_output "$(kw10 revenue 165.1; kw10 orders 6; kw10 items 15; kw10 customers 5)"
	run -0 --separate-stderr bash -c 'S=pipelines/samples
	    { kpi-extract $S/orders_export_1.csv | kpi-normalize --preset shopify-orders
	      kpi-extract $S/data-export.csv | kpi-normalize --preset ga4; } |
	    kpi-aggregate --defs pipelines/kpis.json --metrics cr --every day | head -n 1'
	assert_stderr ''
	assert_output "$(pt cr 2024-03-04 2024-03-04T00:00:00Z 2024-03-05T00:00:00Z '{}' 0.006993006993006993 |
	    meta "$PCT")"
}

# --- comparisons -------------------------------------------------------

cmp_rows() {
	printf '%s\n' \
	    '{"time":"2024-01-01T10:00:00Z","revenue":10,"sessions":100,"_dataset":"orders","_src":"o.csv","_line":2}' \
	    '{"time":"2024-01-08T10:00:00Z","revenue":15,"sessions":120,"_dataset":"orders","_src":"o.csv","_line":3}' \
	    '{"time":"2024-01-15T10:00:00Z","revenue":0,"sessions":80,"_dataset":"orders","_src":"o.csv","_line":4}' \
	    '{"time":"2024-01-22T10:00:00Z","revenue":5,"sessions":50,"_dataset":"orders","_src":"o.csv","_line":5}' >c.ndjson
}

@test "aggregate: --compare previous: prev, change, pct_change; % change against 0 is null" {
	cmp_rows
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' --compare previous c.ndjson
	assert_output '{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":10,"prev":null,"change":null,"pct_change":null}
{"metric":"revenue","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":15,"prev":10,"change":5,"pct_change":0.5}
{"metric":"revenue","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{},"value":0,"prev":15,"change":-15,"pct_change":-1}
{"metric":"revenue","period":"2024-W04","start":"2024-01-22T00:00:00Z","end":"2024-01-29T00:00:00Z","dims":{},"value":5,"prev":0,"change":5,"pct_change":null}'
	assert_stderr ''
}

@test "aggregate: --compare N goes N periods back by calendar, not by row" {
	cmp_rows
	# Week 3 has no row for the dims below: its group is missing, and
	# week 4 compared 2 back still finds week 2, not "two rows back".
	printf '%s\n' '{"time":"2024-01-08T10:00:00Z","revenue":15,"_src":"a","_line":1}' \
	    '{"time":"2024-01-22T10:00:00Z","revenue":5,"_src":"a","_line":2}' >gap.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' --compare 2 gap.ndjson
	assert_output '{"metric":"revenue","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":15,"prev":null,"change":null,"pct_change":null}
{"metric":"revenue","period":"2024-W04","start":"2024-01-22T00:00:00Z","end":"2024-01-29T00:00:00Z","dims":{},"value":5,"prev":15,"change":-10,"pct_change":-0.6666666666666666}'
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' --compare previous gap.ndjson
	assert_output '{"metric":"revenue","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":15,"prev":null,"change":null,"pct_change":null}
{"metric":"revenue","period":"2024-W04","start":"2024-01-22T00:00:00Z","end":"2024-01-29T00:00:00Z","dims":{},"value":5,"prev":null,"change":null,"pct_change":null}'
}

@test "aggregate: --compare year: months 12 back; days by date, 29 February against the 28th" {
	printf '%s\n' '{"time":"2023-02-28T12:00:00Z","v":4,"_src":"a","_line":1}' \
	    '{"time":"2024-02-29T12:00:00Z","v":6,"_src":"a","_line":2}' >y.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --compare year --every day y.ndjson
	assert_output '{"metric":"v","period":"2023-02-28","start":"2023-02-28T00:00:00Z","end":"2023-03-01T00:00:00Z","dims":{},"value":4,"prev":null,"change":null,"pct_change":null}
{"metric":"v","period":"2024-02-29","start":"2024-02-29T00:00:00Z","end":"2024-03-01T00:00:00Z","dims":{},"value":6,"prev":4,"change":2,"pct_change":0.5}'
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --compare year --every month y.ndjson
	assert_output '{"metric":"v","period":"2023-02","start":"2023-02-01T00:00:00Z","end":"2023-03-01T00:00:00Z","dims":{},"value":4,"prev":null,"change":null,"pct_change":null}
{"metric":"v","period":"2024-02","start":"2024-02-01T00:00:00Z","end":"2024-03-01T00:00:00Z","dims":{},"value":6,"prev":4,"change":2,"pct_change":0.5}'
}

@test "aggregate: --compare: percent metrics also get pp_change; dims compare with the same dims" {
	printf '%s\n' '{"kpis":[{"name":"orders","formula":"count()","format":"number"},{"name":"sessions","formula":"sum(sessions)"},{"name":"cr","formula":"orders / sessions","format":"percent"}]}' >k.json
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","sessions":50,"ch":"a","_src":"a","_line":1}' \
	    '{"time":"2024-01-08T10:00:00Z","sessions":40,"ch":"a","_src":"a","_line":2}' \
	    '{"time":"2024-01-08T10:00:00Z","sessions":10,"ch":"b","_src":"a","_line":3}' >p.ndjson
	run -0 --separate-stderr kpi-aggregate --defs k.json --metrics cr --by ch --compare previous p.ndjson
	assert_output '{"metric":"cr","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"a"},"value":0.02,"prev":null,"change":null,"pct_change":null,"pp_change":null,"format":"percent"}
{"metric":"cr","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"a"},"value":0.025,"prev":0.02,"change":0.005,"pct_change":0.25,"pp_change":0.5,"format":"percent"}
{"metric":"cr","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"b"},"value":0.1,"prev":null,"change":null,"pct_change":null,"pp_change":null,"format":"percent"}'
	assert_stderr ''
}

@test "aggregate: --compare: the change of two money sums is their decimal difference, not their doubles'" {
	printf '%s\n' '{"time":"2025-11-03T10:00:00Z","r":18450.95,"_src":"a","_line":1}' \
	    '{"time":"2025-12-03T10:00:00Z","r":20135.05,"_src":"a","_line":2}' \
	    '{"time":"2025-12-04T10:00:00Z","r":0.1,"_src":"a","_line":3}' \
	    '{"time":"2025-12-04T10:00:00Z","r":0.2,"_src":"a","_line":4}' >m.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'r=sum(r)' --every month --compare previous m.ndjson
	# 20135.35 - 18450.95 in doubles is 1684.3999999999978.
	assert_output '{"metric":"r","period":"2025-11","start":"2025-11-01T00:00:00Z","end":"2025-12-01T00:00:00Z","dims":{},"value":18450.95,"prev":null,"change":null,"pct_change":null}
{"metric":"r","period":"2025-12","start":"2025-12-01T00:00:00Z","end":"2026-01-01T00:00:00Z","dims":{},"value":20135.35,"prev":18450.95,"change":1684.4,"pct_change":0.09129069234917443}'
}

@test "aggregate: bad --compare, and --compare with --every all: exit 2" {
	cmp_rows
	run -2 --separate-stderr kpi-aggregate -m 'r=sum(revenue)' --compare lastyear c.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: bad comparison 'lastyear' (one of previous, year, or n periods back, 1 to 100000)"
	run -2 --separate-stderr kpi-aggregate -m 'r=sum(revenue)' --compare 0 c.ndjson
	assert_stderr "kpi-aggregate: bad comparison '0' (one of previous, year, or n periods back, 1 to 100000)"
	run -2 --separate-stderr kpi-aggregate -m 'r=sum(revenue)' --compare year --every all c.ndjson
	assert_stderr "kpi-aggregate: --compare needs periods, not '--every all'"
}

# --- gap filling -------------------------------------------------------

@test "aggregate: --fill: every week for every dims, 0 for sums, null for ratios" {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","revenue":10,"ch":"a","_src":"a","_line":1}' \
	    '{"time":"2024-01-15T10:00:00Z","revenue":5,"ch":"b","_src":"a","_line":2}' >f.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' -m 'n=count()' -m 'avg=revenue/n' --fill --by ch f.ndjson
	assert_output '{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"a"},"value":10}
{"metric":"revenue","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"a"},"value":0}
{"metric":"revenue","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{"ch":"a"},"value":0}
{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"b"},"value":0}
{"metric":"revenue","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"b"},"value":0}
{"metric":"revenue","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{"ch":"b"},"value":5}
{"metric":"n","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"a"},"value":1}
{"metric":"n","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"a"},"value":0}
{"metric":"n","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{"ch":"a"},"value":0}
{"metric":"n","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"b"},"value":0}
{"metric":"n","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"b"},"value":0}
{"metric":"n","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{"ch":"b"},"value":1}
{"metric":"avg","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"a"},"value":10}
{"metric":"avg","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"a"},"value":null}
{"metric":"avg","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{"ch":"a"},"value":null}
{"metric":"avg","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"ch":"b"},"value":null}
{"metric":"avg","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{"ch":"b"},"value":null}
{"metric":"avg","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{"ch":"b"},"value":5}'
	assert_stderr ''
}

@test "aggregate: --fill --from --to: the range in local dates; rows outside are not written" {
	# Once rows outside the range gave their own points (W04 here), and
	# --from and --to went only with --fill: now they select the periods
	# to write, with --fill or without.
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":1,"_src":"a","_line":1}' \
	    '{"time":"2024-01-22T10:00:00Z","v":2,"_src":"a","_line":2}' >f.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --from 2023-12-25 --to 2024-01-08 f.ndjson
	assert_output '{"metric":"v","period":"2023-W52","start":"2023-12-25T00:00:00Z","end":"2024-01-01T00:00:00Z","dims":{},"value":0}
{"metric":"v","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":1}
{"metric":"v","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":0}'
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --from 2024-01-08 f.ndjson
	assert_output '{"metric":"v","period":"2024-W04","start":"2024-01-22T00:00:00Z","end":"2024-01-29T00:00:00Z","dims":{},"value":2}'
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --from 2024-13-01 f.ndjson
	assert_stderr "kpi-aggregate: bad date '2024-13-01'"
}

@test "aggregate: --from and --to take only days the month has" {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":1,"_src":"a","_line":1}' >f.ndjson
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --from 2024-02-31 f.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: bad date '2024-02-31'"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --to 2024-04-31 f.ndjson
	assert_stderr "kpi-aggregate: bad date '2024-04-31'"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --to 2023-02-29 f.ndjson
	assert_stderr "kpi-aggregate: bad date '2023-02-29'"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --to ' 024-01-01' f.ndjson
	assert_stderr "kpi-aggregate: bad date ' 024-01-01'"
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --from 2024-02-29 --to 2024-02-29 f.ndjson
	assert_stderr ''
}

@test "aggregate: --fill with --compare: an empty week compares with the week before" {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":4,"_src":"a","_line":1}' \
	    '{"time":"2024-01-15T10:00:00Z","v":2,"_src":"a","_line":2}' >f.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --fill --compare previous f.ndjson
	assert_output '{"metric":"v","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":4,"prev":null,"change":null,"pct_change":null}
{"metric":"v","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":0,"prev":4,"change":-4,"pct_change":-1}
{"metric":"v","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{},"value":2,"prev":0,"change":2,"pct_change":null}'
}

# --- rolling and cumulative values --------------------------------------

roll_rows() {
	printf '%s\n' '{"time":"2024-01-01T10:00:00Z","v":1,"_src":"a","_line":1}' \
	    '{"time":"2024-01-08T10:00:00Z","v":2,"_src":"a","_line":2}' \
	    '{"time":"2024-01-15T10:00:00Z","v":4,"_src":"a","_line":3}' \
	    '{"time":"2024-02-05T10:00:00Z","v":8,"_src":"a","_line":4}' >r.ndjson
}

@test "aggregate: --rolling N: trailing N periods by calendar, ratios from the window's totals" {
	roll_rows
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' -m 'n=count()' -m 'avg=v/n' --rolling 2 --metrics v,avg r.ndjson
	assert_output '{"metric":"v","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":1}
{"metric":"v","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":3}
{"metric":"v","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{},"value":6}
{"metric":"v","period":"2024-W06","start":"2024-02-05T00:00:00Z","end":"2024-02-12T00:00:00Z","dims":{},"value":8}
{"metric":"avg","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":1}
{"metric":"avg","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":1.5}
{"metric":"avg","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{},"value":3}
{"metric":"avg","period":"2024-W06","start":"2024-02-05T00:00:00Z","end":"2024-02-12T00:00:00Z","dims":{},"value":8}'
	assert_stderr ''
}

@test "aggregate: --cumulative month: to date within the month that holds each week's start" {
	roll_rows
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --cumulative month r.ndjson
	assert_output '{"metric":"v","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{},"value":1}
{"metric":"v","period":"2024-W02","start":"2024-01-08T00:00:00Z","end":"2024-01-15T00:00:00Z","dims":{},"value":3}
{"metric":"v","period":"2024-W03","start":"2024-01-15T00:00:00Z","end":"2024-01-22T00:00:00Z","dims":{},"value":7}
{"metric":"v","period":"2024-W06","start":"2024-02-05T00:00:00Z","end":"2024-02-12T00:00:00Z","dims":{},"value":8}'
	run -0 --separate-stderr kpi-aggregate -m 'v=sum(v)' --cumulative year --every month r.ndjson
	assert_output '{"metric":"v","period":"2024-01","start":"2024-01-01T00:00:00Z","end":"2024-02-01T00:00:00Z","dims":{},"value":7}
{"metric":"v","period":"2024-02","start":"2024-02-01T00:00:00Z","end":"2024-03-01T00:00:00Z","dims":{},"value":15}'
}

@test "aggregate: bad --rolling and --cumulative: exit 2" {
	roll_rows
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --rolling 0 r.ndjson
	assert_stderr "kpi-aggregate: bad number of periods '0'"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --cumulative week r.ndjson
	assert_stderr "kpi-aggregate: bad cumulative period 'week' (one of month, quarter, year)"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --cumulative month --every month r.ndjson
	assert_stderr "kpi-aggregate: --cumulative needs a longer period than '--every'"
	run -2 --separate-stderr kpi-aggregate -m 'v=sum(v)' --cumulative year --rolling 2 r.ndjson
	assert_stderr "kpi-aggregate: --rolling goes without '--cumulative'"
}
