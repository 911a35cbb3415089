#!/usr/bin/env bats
# kpi-aggregate: the entity reducers new, returning, retained, churned and
# repeat over an id field (customer), at every grain, with dimensions and
# totals, --every all, --fill, --rolling, --cumulative, time zones, data
# sets, the catalogue rates over them and their errors.  Input rows are
# typed rows written by the tests; every expected value is worked out by
# hand in the comments.
#
# For a group G (period P, dims D) with S(G) the ids its rows name:
#   new        ids of S(G) first seen (any dims) in P
#   returning  |S(G)| - new
#   retained   |S(G) n S(G')|, G' the same dims in P-1
#   churned    |S(G') \ S(G)|
#   repeat     ids of S(G) named by 2 rows or more of G

load test_helper

setup() {
	work
}

D0='{}'

# pt METRIC PERIOD START END DIMS VALUE
#
# One point as kpi(7) gives it; START and END are times, or null.
pt() {
	local s="\"$3\"" e="\"$4\""
	[ "$3" = null ] && s=null
	[ "$4" = null ] && e=null
	printf '{"metric":"%s","period":"%s","start":%s,"end":%s,"dims":%s,"value":%s}\n' \
	    "$1" "$2" "$s" "$e" "$5" "$6"
}

# mon PERIOD METRIC VALUE [DIMS]: a point of the UTC month PERIOD (YYYY-MM),
# from its first day to the first day of the next month.
mon() {
	local y=${1%-*} m=$((10#${1#*-})) next
	if [ "$m" = 12 ]; then
		next=$(printf '%04d-01' $((y + 1)))
	else
		next=$(printf '%s-%02d' "$y" $((m + 1)))
	fi
	pt "$2" "$1" "$1-01T00:00:00Z" "$next-01T00:00:00Z" "${4:-$D0}" "$3"
}

# day DATE METRIC VALUE: a point of the UTC day DATE (YYYY-MM-DD).
day() {
	pt "$2" "$1" "$1T00:00:00Z" "$(date -u -d "$1 +1 day" +%F)T00:00:00Z" "$D0" "$3"
}

# The ISO weeks around the new year of 2025: 2024-W52 (23-29 December
# 2024), 2025-W01 (Monday 30 December 2024 to 5 January 2025), 2025-W02.
w52() {
	pt "$1" 2024-W52 2024-12-23T00:00:00Z 2024-12-30T00:00:00Z "$D0" "$2"
}
w01() {
	pt "$1" 2025-W01 2024-12-30T00:00:00Z 2025-01-06T00:00:00Z "$D0" "$2"
}
w02() {
	pt "$1" 2025-W02 2025-01-06T00:00:00Z 2025-01-13T00:00:00Z "$D0" "$2"
}

# cmp_pt POINT PREV CHANGE PCT_CHANGE [PP_CHANGE]: POINT (one line of pt)
# with the keys of --compare added after its value.
cmp_pt() {
	local p=${1%\}} pp=
	[ -n "${5-}" ] && pp=",\"pp_change\":$5"
	printf '%s,"prev":%s,"change":%s,"pct_change":%s%s}\n' "$p" "$2" "$3" "$4" "$pp"
}

# meta KEYS: the points on stdin with KEYS (',"format":"percent"') before
# each one's closing brace: what the catalogue says of a metric's format and
# direction, after unit and before state.
meta() {
	sed "s/}\$/$1}/"
}

# crows: one typed row a line of stdin, "TIME CUSTOMER [DATASET]", where
# CUSTOMER is the JSON text of the id ("a", 7, null), or - for a row
# without the field; DATASET is orders unless given.
crows() {
	local t c ds n=1
	while read -r t c ds; do
		n=$((n + 1))
		case $c in
		-) c= ;;
		*) c="\"customer\":$c," ;;
		esac
		printf '{"time":"%s",%s"revenue":10,"_dataset":"%s","_src":"o.csv","_line":%d}\n' \
		    "$t" "$c" "${ds:-orders}" "$n"
	done
}

# The five reducers over customer, for -m (every data set).
ENT=(-m 'n=new(customer)' -m 'r=returning(customer)'
    -m 'ret=retained(customer)' -m 'ch=churned(customer)'
    -m 'rep=repeat(customer)')

# January 2024: a, b, a.  February: a, c, c, c.  March: no row.  April:
# b, d.  April's rows come first in the file: first seen goes by period,
# not by input order.
#   Jan: S {a,b}; both first seen in Jan: new 2, returning 0; the first
#        period, no group before: retained 0, churned 0; a twice: repeat 1.
#   Feb: S {a,c}; c is new: new 1, returning 1 (a); Jan {a,b}: retained 1
#        (a), churned 1 (b); c three times: repeat 1.
#   Apr: S {b,d}; d is new: new 1, returning 1 (b); March had no group,
#        so S(Mar) is empty: retained 0, churned 0; repeat 0.
month_rows() {
	crows >o.ndjson <<-'EOF'
	2024-04-02T10:00:00Z "b"
	2024-04-03T10:00:00Z "d"
	2024-01-05T10:00:00Z "a"
	2024-01-10T10:00:00Z "b"
	2024-01-31T23:59:59Z "a"
	2024-02-01T00:00:00Z "a"
	2024-02-14T10:00:00Z "c"
	2024-02-15T10:00:00Z "c"
	2024-02-29T10:00:00Z "c"
	EOF
}

@test "entities: new, returning, retained, churned, repeat per month" {
	month_rows
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-01 n 2; mon 2024-02 n 1; mon 2024-04 n 1
		mon 2024-01 r 0; mon 2024-02 r 1; mon 2024-04 r 1
		mon 2024-01 ret 0; mon 2024-02 ret 1; mon 2024-04 ret 0
		mon 2024-01 ch 0; mon 2024-02 ch 1; mon 2024-04 ch 0
		mon 2024-01 rep 1; mon 2024-02 rep 1; mon 2024-04 rep 0
	)"
}

@test "entities: ISO weeks across the new year: 2024-W52 comes before 2025-W01" {
	# 2024-W52: a (Mon 23 Dec), b (Sun 29 Dec 23:00).
	# 2025-W01: a (Mon 30 Dec 00:00), c (31 Dec), c (1 Jan), a (Sun 5 Jan
	#   23:59:59).  S {a,c}; c is new: new 1, returning 1; W52 {a,b}:
	#   retained 1 (a), churned 1 (b); a and c twice each: repeat 2.
	# 2025-W02: b (Mon 6 Jan 00:00).  S {b}, first seen in W52: new 0,
	#   returning 1; W01 {a,c}: retained 0, churned 2; repeat 0.
	crows >o.ndjson <<-'EOF'
	2025-01-06T00:00:00Z "b"
	2024-12-30T00:00:00Z "a"
	2024-12-23T10:00:00Z "a"
	2024-12-31T12:00:00Z "c"
	2024-12-29T23:00:00Z "b"
	2025-01-01T12:00:00Z "c"
	2025-01-05T23:59:59Z "a"
	EOF
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every week o.ndjson
	assert_stderr ''
	assert_output "$(
		w52 n 2; w01 n 1; w02 n 0
		w52 r 0; w01 r 1; w02 r 1
		w52 ret 0; w01 ret 1; w02 ret 0
		w52 ch 0; w01 ch 1; w02 ch 2
		w52 rep 0; w01 rep 2; w02 rep 0
	)"
	# By month: December 2024 has a, b, a, c: S {a,b,c}, all new, a twice
	# (repeat 1).  January 2025 has c, a, b: S {a,b,c}, none new,
	# returning 3; December, across the year, is its previous month:
	# retained 3, churned 0; repeat 0.
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-12 n 3; mon 2025-01 n 0
		mon 2024-12 r 0; mon 2025-01 r 3
		mon 2024-12 ret 0; mon 2025-01 ret 3
		mon 2024-12 ch 0; mon 2025-01 ch 0
		mon 2024-12 rep 1; mon 2025-01 rep 0
	)"
}

@test "entities: --by: new is global over dims, retained and churned per dims; --total is one more group" {
	# Jan: a web, b web, b shop.  Feb: a shop, b web, c shop.  Mar: a shop.
	# First seen: a Jan (web), b Jan, c Feb.
	# {}:   Jan S {a,b}, new 2, b twice: repeat 1.
	#       Feb S {a,b,c}, new 1 (c), returning 2; Jan {a,b}: retained 2,
	#       churned 0.
	#       Mar S {a}, new 0, returning 1; Feb {a,b,c}: retained 1,
	#       churned 2.
	# shop: Jan S {b}, new 1 (b is first seen in Jan, in both dims).
	#       Feb S {a,c}: a was first seen in Jan, in web, so it is not
	#       new here: new 1 (c), returning 1; shop Jan {b}: retained 0,
	#       churned 1.
	#       Mar S {a}, new 0, returning 1; shop Feb {a,c}: retained 1,
	#       churned 1.
	# web:  Jan S {a,b}, new 2.
	#       Feb S {b}, new 0, returning 1; web Jan {a,b}: retained 1,
	#       churned 1.  No web row in March: no web points there.
	# repeat is 0 in every group but {} in Jan.
	printf '%s\n' \
	    '{"time":"2024-01-05T10:00:00Z","customer":"a","channel":"web","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-01-06T10:00:00Z","customer":"b","channel":"web","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-01-07T10:00:00Z","customer":"b","channel":"shop","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-02-05T10:00:00Z","customer":"a","channel":"shop","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-02-06T10:00:00Z","customer":"b","channel":"web","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-02-07T10:00:00Z","customer":"c","channel":"shop","revenue":10,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","customer":"a","channel":"shop","revenue":10,"_dataset":"orders"}' >o.ndjson
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every month \
	    --by channel --total o.ndjson
	assert_stderr ''
	s='{"channel":"shop"}' w='{"channel":"web"}'
	assert_output "$(
		mon 2024-01 n 2; mon 2024-02 n 1; mon 2024-03 n 0
		mon 2024-01 n 1 "$s"; mon 2024-02 n 1 "$s"; mon 2024-03 n 0 "$s"
		mon 2024-01 n 2 "$w"; mon 2024-02 n 0 "$w"
		mon 2024-01 r 0; mon 2024-02 r 2; mon 2024-03 r 1
		mon 2024-01 r 0 "$s"; mon 2024-02 r 1 "$s"; mon 2024-03 r 1 "$s"
		mon 2024-01 r 0 "$w"; mon 2024-02 r 1 "$w"
		mon 2024-01 ret 0; mon 2024-02 ret 2; mon 2024-03 ret 1
		mon 2024-01 ret 0 "$s"; mon 2024-02 ret 0 "$s"; mon 2024-03 ret 1 "$s"
		mon 2024-01 ret 0 "$w"; mon 2024-02 ret 1 "$w"
		mon 2024-01 ch 0; mon 2024-02 ch 0; mon 2024-03 ch 2
		mon 2024-01 ch 0 "$s"; mon 2024-02 ch 1 "$s"; mon 2024-03 ch 1 "$s"
		mon 2024-01 ch 0 "$w"; mon 2024-02 ch 1 "$w"
		mon 2024-01 rep 1; mon 2024-02 rep 0; mon 2024-03 rep 0
		mon 2024-01 rep 0 "$s"; mon 2024-02 rep 0 "$s"; mon 2024-03 rep 0 "$s"
		mon 2024-01 rep 0 "$w"; mon 2024-02 rep 0 "$w"
	)"
}

@test "entities: --every all: everyone new, retained and churned null" {
	# a, b, a, c over two years, one group: S {a,b,c}, new 3, returning 0,
	# a twice: repeat 1; no previous period: retained and churned null,
	# and so a rate over them.
	crows >o.ndjson <<-'EOF'
	2024-01-05T10:00:00Z "a"
	2024-02-05T10:00:00Z "b"
	2024-03-05T10:00:00Z "a"
	2025-06-01T10:00:00Z "c"
	EOF
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" -m 'rr=ret / (ret + ch)' \
	    --every all o.ndjson
	assert_stderr ''
	assert_output "$(
		pt n all null null "$D0" 3
		pt r all null null "$D0" 0
		pt ret all null null "$D0" null
		pt ch all null null "$D0" null
		pt rep all null null "$D0" 1
		pt rr all null null "$D0" null
	)"
}

@test "entities: --fill: a gap period keeps nobody and churns the whole period before" {
	# The rows of month_rows, with March filled: S(Mar) is empty, so new,
	# returning, retained and repeat 0, churned |S(Feb)| = |{a,c}| = 2.
	# April's previous month is the empty March: retained 0, churned 0.
	# rr = ret / (ret + ch): Jan 0/0 null; Feb 1/2; Mar 0/2 = 0; Apr null.
	month_rows
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" -m 'rr=ret / (ret + ch)' \
	    --every month --fill o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-01 n 2; mon 2024-02 n 1; mon 2024-03 n 0; mon 2024-04 n 1
		mon 2024-01 r 0; mon 2024-02 r 1; mon 2024-03 r 0; mon 2024-04 r 1
		mon 2024-01 ret 0; mon 2024-02 ret 1; mon 2024-03 ret 0; mon 2024-04 ret 0
		mon 2024-01 ch 0; mon 2024-02 ch 1; mon 2024-03 ch 2; mon 2024-04 ch 0
		mon 2024-01 rep 1; mon 2024-02 rep 1; mon 2024-03 rep 0; mon 2024-04 rep 0
		mon 2024-01 rr null; mon 2024-02 rr 0.5; mon 2024-03 rr 0; mon 2024-04 rr null
	)"
}

@test "entities: --rolling 2: sets of the trailing two months against the two before" {
	# Jan a, b.  Feb a, c.  Mar d.  Apr c, c.  May nothing.  Jun b.
	# First seen: a Jan, b Jan, c Feb, d Mar.  The window of P is P-1..P,
	# the previous window P-3..P-2.
	#   Jan: rows a b: S {a,b}, both first seen in Dec..Jan: new 2; the
	#        window Oct..Nov is empty: retained 0, churned 0; repeat 0.
	#   Feb: rows a b a c: S {a,b,c}, all first seen in Jan..Feb: new 3;
	#        Nov..Dec empty: 0, 0; a twice: repeat 1.
	#   Mar: rows a c d: S {a,c,d}; first seen in Feb..Mar: c, d: new 2,
	#        returning 1; Dec..Jan {a,b}: retained 1 (a), churned 1 (b).
	#   Apr: rows d c c: S {c,d}; d first seen in Mar..Apr: new 1,
	#        returning 1 (c, first seen in Feb); Jan..Feb {a,b,c}:
	#        retained 1 (c), churned 2 (a, b); c twice: repeat 1.
	#   Jun: rows b: S {b}: new 0, returning 1; Mar..Apr {c,d}: retained
	#        0, churned 2; repeat 0.
	# May has no row: no point.
	crows >o.ndjson <<-'EOF'
	2024-01-10T10:00:00Z "a"
	2024-01-20T10:00:00Z "b"
	2024-02-10T10:00:00Z "a"
	2024-02-20T10:00:00Z "c"
	2024-03-10T10:00:00Z "d"
	2024-04-10T10:00:00Z "c"
	2024-04-20T10:00:00Z "c"
	2024-06-10T10:00:00Z "b"
	EOF
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every month \
	    --rolling 2 o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-01 n 2; mon 2024-02 n 3; mon 2024-03 n 2; mon 2024-04 n 1; mon 2024-06 n 0
		mon 2024-01 r 0; mon 2024-02 r 0; mon 2024-03 r 1; mon 2024-04 r 1; mon 2024-06 r 1
		mon 2024-01 ret 0; mon 2024-02 ret 0; mon 2024-03 ret 1; mon 2024-04 ret 1; mon 2024-06 ret 0
		mon 2024-01 ch 0; mon 2024-02 ch 0; mon 2024-03 ch 1; mon 2024-04 ch 2; mon 2024-06 ch 2
		mon 2024-01 rep 0; mon 2024-02 rep 1; mon 2024-03 rep 0; mon 2024-04 rep 1; mon 2024-06 rep 0
	)"
}

@test "entities: --cumulative month at --every day: month to date against the whole month before" {
	# 30 Jan a.  31 Jan b.  1 Feb a.  2 Feb c, a.  4 Feb b.
	# First seen: a 30 Jan, b 31 Jan, c 2 Feb.
	#   30 Jan: S {a} (1-30 Jan): new 1; December is empty: 0, 0.
	#   31 Jan: S {a,b}: new 2; 0, 0; repeat 0.
	#   1 Feb:  S {a}: first seen before February: new 0, returning 1;
	#           the whole of January {a,b}: retained 1, churned 1 (b).
	#   2 Feb:  rows a c a: S {a,c}: new 1 (c), returning 1; retained 1,
	#           churned 1 (b); a twice: repeat 1.
	#   4 Feb:  rows a c a b: S {a,b,c}: new 1 (c), returning 2; retained
	#           2, churned 0; repeat 1 (a).
	crows >o.ndjson <<-'EOF'
	2024-01-30T10:00:00Z "a"
	2024-01-31T10:00:00Z "b"
	2024-02-01T10:00:00Z "a"
	2024-02-02T10:00:00Z "c"
	2024-02-02T11:00:00Z "a"
	2024-02-04T10:00:00Z "b"
	EOF
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every day \
	    --cumulative month o.ndjson
	assert_stderr ''
	assert_output "$(
		for m in n r ret ch rep; do
			case $m in
			n) v='1 2 0 1 1' ;;
			r) v='0 0 1 1 2' ;;
			ret) v='0 0 1 1 2' ;;
			ch) v='0 0 1 1 0' ;;
			rep) v='0 0 0 1 1' ;;
			esac
			set -- $v
			day 2024-01-30 $m "$1"; day 2024-01-31 $m "$2"
			day 2024-02-01 $m "$3"; day 2024-02-02 $m "$4"
			day 2024-02-04 $m "$5"
		done
	)"
}

@test "entities: a number is an id by its text (7 is \"7\"); null and missing ids count nowhere" {
	# Jan: 7, "7", null, no customer, "x": S {7,x}, new 2, 7 named by two
	#      rows: repeat 1; distinct agrees: 2.
	# Feb: 7, null: S {7}: new 0, returning 1; Jan {7,x}: retained 1,
	#      churned 1 (x); repeat 0.
	# Mar: null only: the group has a row but S is empty: new 0,
	#      returning 0, retained 0, churned 1 (7), repeat 0, distinct 0.
	crows >o.ndjson <<-'EOF'
	2024-01-05T10:00:00Z 7
	2024-01-06T10:00:00Z "7"
	2024-01-07T10:00:00Z null
	2024-01-08T10:00:00Z -
	2024-01-09T10:00:00Z "x"
	2024-02-05T10:00:00Z 7
	2024-02-06T10:00:00Z null
	2024-03-05T10:00:00Z null
	EOF
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" -m 'd=distinct(customer)' \
	    --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-01 n 2; mon 2024-02 n 0; mon 2024-03 n 0
		mon 2024-01 r 0; mon 2024-02 r 1; mon 2024-03 r 0
		mon 2024-01 ret 0; mon 2024-02 ret 1; mon 2024-03 ret 0
		mon 2024-01 ch 0; mon 2024-02 ch 1; mon 2024-03 ch 1
		mon 2024-01 rep 1; mon 2024-02 rep 0; mon 2024-03 rep 0
		mon 2024-01 d 2; mon 2024-02 d 1; mon 2024-03 d 0
	)"
}

@test "entities: true, false and nested ids are taken by their JSON text, like distinct()" {
	# Jan: true, "true", false: S {true,false}, new 2, true named twice:
	#      repeat 1.
	# Feb: "false", {"id":1}: S {false,{"id":1}}: new 1, returning 1; Jan
	#      {true,false}: retained 1, churned 1 (true).
	# Mar: {"id":1}: new 0, returning 1, retained 1, churned 1 (false).
	printf '%s\n' \
	    '{"time":"2024-01-05T10:00:00Z","customer":true,"_dataset":"orders"}' \
	    '{"time":"2024-01-06T10:00:00Z","customer":"true","_dataset":"orders"}' \
	    '{"time":"2024-01-07T10:00:00Z","customer":false,"_dataset":"orders"}' \
	    '{"time":"2024-02-05T10:00:00Z","customer":"false","_dataset":"orders"}' \
	    '{"time":"2024-02-06T10:00:00Z","customer":{"id":1},"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","customer":{"id":1},"_dataset":"orders"}' >o.ndjson
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" -m 'd=distinct(customer)' \
	    --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-01 n 2; mon 2024-02 n 1; mon 2024-03 n 0
		mon 2024-01 r 0; mon 2024-02 r 1; mon 2024-03 r 1
		mon 2024-01 ret 0; mon 2024-02 ret 1; mon 2024-03 ret 1
		mon 2024-01 ch 0; mon 2024-02 ch 1; mon 2024-03 ch 1
		mon 2024-01 rep 1; mon 2024-02 rep 0; mon 2024-03 rep 0
		mon 2024-01 d 2; mon 2024-02 d 2; mon 2024-03 d 1
	)"
}

@test "entities: each field has its own ids and first periods; same formula, same values" {
	# Jan: customer a, email x.  Feb: customer a, email a.  new(customer):
	# Jan 1, Feb 0.  new(email): Jan 1 (x), Feb 1: email a was never seen
	# before, whatever the customer field held.
	printf '%s\n' \
	    '{"time":"2024-01-05T10:00:00Z","customer":"a","email":"x","_dataset":"orders"}' \
	    '{"time":"2024-02-05T10:00:00Z","customer":"a","email":"a","_dataset":"orders"}' >o.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'n=new(customer)' \
	    -m 'n2=new(customer)' -m 'ne=new(email)' --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-01 n 1; mon 2024-02 n 0
		mon 2024-01 n2 1; mon 2024-02 n2 0
		mon 2024-01 ne 1; mon 2024-02 ne 1
	)"
}

# A catalogue of the entity metrics of orders and the rates over them, as
# the spec's catalogue additions define them.
ent_catalogue() {
	cat >k.json <<-'EOF'
	{"kpis": [
	  {"name": "customers", "formula": "distinct(customer)", "dataset": "orders"},
	  {"name": "new_customers", "formula": "new(customer)", "dataset": "orders"},
	  {"name": "returning_customers", "formula": "returning(customer)", "dataset": "orders"},
	  {"name": "retained_customers", "formula": "retained(customer)", "dataset": "orders"},
	  {"name": "churned_customers", "formula": "churned(customer)", "dataset": "orders"},
	  {"name": "repeat_customers", "formula": "repeat(customer)", "dataset": "orders"},
	  {"name": "retention_rate", "formula": "retained_customers / (retained_customers + churned_customers)",
	   "format": "percent", "direction": "higher"},
	  {"name": "churn_rate", "formula": "churned_customers / (retained_customers + churned_customers)",
	   "format": "percent", "direction": "lower"},
	  {"name": "repeat_rate", "formula": "repeat_customers / customers",
	   "format": "percent", "direction": "higher"},
	  {"name": "returning_rate", "formula": "returning_customers / customers",
	   "format": "percent", "direction": "higher"}
	]}
	EOF
}

@test "entities: dataset: rows of another data set are not seen, not even for first seen" {
	# Orders: Jan a; Feb z, a; Apr b.  Subscriptions: Jan z; Feb a;
	# Mar a (March's only row).
	# Catalogue metrics (orders only):
	#   Jan S {a}: new 1.
	#   Feb S {z,a}: z's first order is in Feb (its Jan row is a
	#       subscription): new 1, returning 1 (a); Jan {a}: retained 1,
	#       churned 0; a has one order row in Feb: repeat 0.
	#   Mar: a group (it has a row) with no order: S empty, new 0,
	#       returning 0, retained 0, churned 2 (z, a), repeat 0.
	#   Apr S {b}: new 1; March's S is empty: retained 0, churned 0.
	# -m metrics count every data set:
	#   all_new: Jan {a,z} 2; Feb {z,a} 0; Mar {a} 0; Apr {b} 1.
	#   all_rep: Feb a named by two rows (an order and a subscription): 1.
	#   all_ch:  Jan 0; Feb {a,z} \ {z,a}: 0; Mar {z,a} \ {a}: 1;
	#            Apr {a} \ {b}: 1.
	ent_catalogue
	crows >o.ndjson <<-'EOF'
	2024-01-10T10:00:00Z "a" orders
	2024-01-11T10:00:00Z "z" subscriptions
	2024-02-10T10:00:00Z "z" orders
	2024-02-11T10:00:00Z "a" orders
	2024-02-12T10:00:00Z "a" subscriptions
	2024-03-10T10:00:00Z "a" subscriptions
	2024-04-10T10:00:00Z "b" orders
	EOF
	run -0 --separate-stderr kpi-aggregate --defs k.json \
	    -m 'all_new=new(customer)' -m 'all_rep=repeat(customer)' \
	    -m 'all_ch=churned(customer)' \
	    --metrics new_customers,returning_customers,retained_customers,churned_customers,repeat_customers,all_new,all_rep,all_ch \
	    --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		for m in new_customers returning_customers retained_customers \
		    churned_customers repeat_customers all_new all_rep all_ch; do
			case $m in
			new_customers) v='1 1 0 1' ;;
			returning_customers) v='0 1 0 0' ;;
			retained_customers) v='0 1 0 0' ;;
			churned_customers) v='0 0 2 0' ;;
			repeat_customers) v='0 0 0 0' ;;
			all_new) v='2 0 0 1' ;;
			all_rep) v='0 1 0 0' ;;
			all_ch) v='0 0 1 1' ;;
			esac
			set -- $v
			mon 2024-01 $m "$1"; mon 2024-02 $m "$2"
			mon 2024-03 $m "$3"; mon 2024-04 $m "$4"
		done
	)"
}

# Jan: a, a, b, c, d.  Feb: a, a, b, b, e, f, f.  Mar: a, b, e, g.
#   Jan: S {a,b,c,d}: customers 4, new 4, returning 0; the first month:
#        retained 0, churned 0; a twice: repeat 1.
#        retention 0/0 and churn 0/0 null; repeat rate 1/4 = 0.25;
#        returning rate 0/4 = 0.
#   Feb: S {a,b,e,f}: customers 4, new 2 (e, f), returning 2; Jan
#        {a,b,c,d}: retained 2 (a, b), churned 2 (c, d); a, b, f twice:
#        repeat 3.  retention 2/4 = 0.5, churn 0.5, repeat rate 0.75,
#        returning rate 0.5.
#   Mar: S {a,b,e,g}: customers 4, new 1 (g), returning 3; Feb
#        {a,b,e,f}: retained 3, churned 1 (f); repeat 0.  retention 3/4
#        = 0.75, churn 0.25, repeat rate 0, returning rate 0.75.
rate_rows() {
	crows >o.ndjson <<-'EOF'
	2024-01-05T10:00:00Z "a"
	2024-01-06T10:00:00Z "a"
	2024-01-07T10:00:00Z "b"
	2024-01-08T10:00:00Z "c"
	2024-01-09T10:00:00Z "d"
	2024-02-05T10:00:00Z "a"
	2024-02-06T10:00:00Z "a"
	2024-02-07T10:00:00Z "b"
	2024-02-08T10:00:00Z "b"
	2024-02-09T10:00:00Z "e"
	2024-02-10T10:00:00Z "f"
	2024-02-11T10:00:00Z "f"
	2024-03-05T10:00:00Z "a"
	2024-03-06T10:00:00Z "b"
	2024-03-07T10:00:00Z "e"
	2024-03-08T10:00:00Z "g"
	EOF
}

# rate_points: the points of rate_rows for the catalogue of ent_catalogue,
# in its order, the rates with their format and churn with its direction.
PCT=',"format":"percent"'
LOWER=',"direction":"lower"'
rate_points() {
	local m v k
	for m in customers new_customers returning_customers \
	    retained_customers churned_customers repeat_customers \
	    retention_rate churn_rate repeat_rate returning_rate; do
		k=
		case $m in
		customers) v='4 4 4' ;;
		new_customers) v='4 2 1' ;;
		returning_customers) v='0 2 3' ;;
		retained_customers) v='0 2 3' ;;
		churned_customers) v='0 2 1' ;;
		repeat_customers) v='1 3 0' ;;
		retention_rate) v='null 0.5 0.75' k=$PCT ;;
		churn_rate) v='null 0.5 0.25' k=$PCT$LOWER ;;
		repeat_rate) v='0.25 0.75 0' k=$PCT ;;
		returning_rate) v='0 0.5 0.75' k=$PCT ;;
		esac
		set -- $v
		{ mon 2024-01 $m "$1"; mon 2024-02 $m "$2"; mon 2024-03 $m "$3"; } |
		    meta "$k"
	done
}

@test "entities: catalogue rates over them: retention, churn, repeat, returning; null in the first period" {
	ent_catalogue
	rate_rows
	run -0 --separate-stderr kpi-aggregate --defs k.json --every month o.ndjson
	assert_stderr ''
	assert_output "$(rate_points)"
}

@test "entities: --compare previous on percent rates: pp_change; -m rates have none" {
	# retention_rate: Jan null; Feb 0.5 against Jan's null: all null; Mar
	#   0.75 against 0.5: change 0.25, pct_change 0.25/0.5 = 0.5,
	#   pp_change 25.
	# churn_rate: Mar 0.25 against 0.5: change -0.25, pct_change -0.5,
	#   pp_change -25.
	# repeat_rate: Jan 0.25, no December: null; Feb 0.75 against 0.25:
	#   change 0.5, pct_change 2, pp_change 50; Mar 0 against 0.75: change
	#   -0.75, pct_change -1, pp_change -75.
	# rr, the retention rate again but from -m, so of format number: the
	#   same values, without pp_change.
	ent_catalogue
	rate_rows
	run -0 --separate-stderr kpi-aggregate --defs k.json \
	    -m 'rr=retained_customers / (retained_customers + churned_customers)' \
	    --metrics retention_rate,churn_rate,repeat_rate,rr \
	    --compare previous --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		{
			cmp_pt "$(mon 2024-01 retention_rate null)" null null null null
			cmp_pt "$(mon 2024-02 retention_rate 0.5)" null null null null
			cmp_pt "$(mon 2024-03 retention_rate 0.75)" 0.5 0.25 0.5 25
		} | meta "$PCT"
		{
			cmp_pt "$(mon 2024-01 churn_rate null)" null null null null
			cmp_pt "$(mon 2024-02 churn_rate 0.5)" null null null null
			cmp_pt "$(mon 2024-03 churn_rate 0.25)" 0.5 -0.25 -0.5 -25
		} | meta "$PCT$LOWER"
		{
			cmp_pt "$(mon 2024-01 repeat_rate 0.25)" null null null null
			cmp_pt "$(mon 2024-02 repeat_rate 0.75)" 0.25 0.5 2 50
			cmp_pt "$(mon 2024-03 repeat_rate 0)" 0.75 -0.75 -1 -75
		} | meta "$PCT"
		cmp_pt "$(mon 2024-01 rr null)" null null null
		cmp_pt "$(mon 2024-02 rr 0.5)" null null null
		cmp_pt "$(mon 2024-03 rr 0.75)" 0.5 0.25 0.5
	)"
}

@test "entities: pipelines/kpis.json defines the entity metrics, their rates and cac over new customers" {
	# The rows of rate_rows, and ads rows (no customer; another data set)
	# with spend 8 in January and 10 in February: cac = spend /
	# new_customers = 8/4 = 2, then 10/2 = 5; March has no spend: null.
	rate_rows
	printf '%s\n' \
	    '{"time":"2024-01-05T00:00:00Z","spend":8,"_dataset":"ads"}' \
	    '{"time":"2024-02-05T00:00:00Z","spend":10,"_dataset":"ads"}' >>o.ndjson
	# One metric a run: where the catalogue puts them is its own business.
	for m in new_customers returning_customers retained_customers \
	    churned_customers repeat_customers retention_rate churn_rate \
	    repeat_rate returning_rate; do
		run -0 --separate-stderr kpi-aggregate \
		    --defs "$KPI_ROOT/pipelines/kpis.json" --metrics "$m" \
		    --every month o.ndjson
		assert_stderr ''
		# kpis.json also says churned customers are better fewer.
		k=
		[ "$m" = churned_customers ] && k=$LOWER
		assert_output "$(rate_points | grep "^{\"metric\":\"$m\"" |
		    meta "$k")"
	done
	run -0 --separate-stderr kpi-aggregate \
	    --defs "$KPI_ROOT/pipelines/kpis.json" --metrics cac \
	    --every month o.ndjson
	assert_stderr ''
	assert_output "$({ mon 2024-01 cac 2; mon 2024-02 cac 5
	    mon 2024-03 cac null; } | meta ',"format":"money","direction":"lower"')"
}

@test "entities: --tz America/New_York moves a row into March: new changes" {
	# 2024-04-01T02:00Z is 22:00 EDT on 31 March.
	# Rows: a 15 Mar, b 1 Apr 02:00Z, b and a 10 Apr.
	# UTC: Mar S {a}: new 1.  Apr rows b b a: S {a,b}: new 1 (b),
	#      returning 1, retained 1 (a), churned 0, b twice: repeat 1.
	# New York: Mar S {a,b}: new 2.  Apr rows b a: S {a,b}: new 0,
	#      returning 2, retained 2, churned 0, repeat 0.
	crows >o.ndjson <<-'EOF'
	2024-03-15T12:00:00Z "a"
	2024-04-01T02:00:00Z "b"
	2024-04-10T12:00:00Z "b"
	2024-04-10T13:00:00Z "a"
	EOF
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every month o.ndjson
	assert_stderr ''
	assert_output "$(
		mon 2024-03 n 1; mon 2024-04 n 1
		mon 2024-03 r 0; mon 2024-04 r 1
		mon 2024-03 ret 0; mon 2024-04 ret 1
		mon 2024-03 ch 0; mon 2024-04 ch 0
		mon 2024-03 rep 0; mon 2024-04 rep 1
	)"
	run -0 --separate-stderr kpi-aggregate "${ENT[@]}" --every month \
	    --tz America/New_York o.ndjson
	assert_stderr ''
	mar() {
		pt "$1" 2024-03 2024-03-01T00:00:00-05:00 2024-04-01T00:00:00-04:00 "$D0" "$2"
	}
	apr() {
		pt "$1" 2024-04 2024-04-01T00:00:00-04:00 2024-05-01T00:00:00-04:00 "$D0" "$2"
	}
	assert_output "$(
		mar n 2; apr n 0
		mar r 0; apr r 2
		mar ret 0; apr ret 2
		mar ch 0; apr ch 0
		mar rep 0; apr rep 0
	)"
}

@test "entities: a reducer without a field: exit 2, naming the definition" {
	for r in new returning retained churned repeat; do
		run -2 --separate-stderr kpi-aggregate -m "x=$r()" </dev/null
		assert_output ''
		assert_stderr "kpi-aggregate: -m: x: '$r' needs a field"
	done
	# Checked before any input is read: the missing file is not reported.
	run -2 --separate-stderr kpi-aggregate -m 'n=new()' nosuch.ndjson
	assert_output ''
	assert_stderr "kpi-aggregate: -m: n: 'new' needs a field"
	printf '{"kpis":[{"name":"new_customers","formula":"new()","dataset":"orders"}]}\n' >k.json
	run -2 --separate-stderr kpi-aggregate --defs k.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-aggregate: k\\.json(:[0-9]+:[0-9]+)?: new_customers: 'new' needs a field\$"
}
