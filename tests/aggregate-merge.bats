#!/usr/bin/env bats
# kpi-aggregate --partial and --merge: points of parts merged into exactly
# the bytes of one run over all the rows.  The input is a few thousand
# typed rows made by awk (orders over 14 months, three channels, money
# with cents, customers c1..c300, some null revenues and customers, and
# traffic rows), cut into four consecutive parts; each part is aggregated
# with --partial, and the parts' points are merged with --merge.  Then the
# points that --partial writes, the options each run refuses, and the
# points that do not merge.

load test_helper

setup() {
	work
}

# --- the data ------------------------------------------------------------

# rows.ndjson: 3000 order rows from 1 January 2023 (day 19358) over 425
# days, in time order give or take a day, at 20 times a day so that rows
# share a time; after every sixth order, a traffic row of the same time
# and channel.  Social has no rows from 11 April to 9 June 2023, so none
# in May 2023.  A customer is null in 3% of the rows and a number
# (9000-9004) in 3%; later rows draw from more customers, so new ones
# keep coming.  Revenue is null in 5% of the rows and negative (a refund)
# in 2%.  The generator is a Park-Miller LCG, exact in awk's doubles, so
# the rows are the same on every machine.
gen_rows() {
	awk -v n=3000 '
	function rnd(k) {
		seed = (seed * 16807) % 2147483647
		return seed % k
	}
	# The date of day z since 1970-01-01 (H. Hinnant, civil_from_days).
	function civil(z,    era, doe, yoe, y, doy, mp, d, m) {
		z += 719468
		era = int(z / 146097)
		doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
		    int(doe / 146096)) / 365)
		y = yoe + era * 400
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153)
		d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		if (m <= 2)
			y++
		return sprintf("%04d-%02d-%02d", y, m, d)
	}
	BEGIN {
		seed = 20240229
		split("email search social", chs, " ")
		line = 1
		for (i = 0; i < n; i++) {
			dd = int(i * 425 / n) + rnd(3) - 1
			if (dd < 0)
				dd = 0
			t = sprintf("%sT%02d:%02d:00Z", civil(19358 + dd),
			    9 + rnd(10), 30 * rnd(2))
			c = chs[1 + rnd(3)]
			if (c == "social" && dd >= 100 && dd < 160)
				c = "email"
			r = rnd(100)
			if (r < 3)
				cu = "null"
			else if (r < 6)
				cu = 9000 + rnd(5)
			else
				cu = "\"c" (1 + rnd(int(20 + 280 * dd / 425))) "\""
			r = rnd(100)
			cents = 500 + rnd(20000)
			if (r < 5)
				rev = "null"
			else
				rev = (r < 7 ? "-" : "") int(cents / 100) "." \
				    sprintf("%02d", cents % 100)
			printf "{\"time\":\"%s\",\"order_id\":\"#%d\",\"customer\":%s,\"revenue\":%s,\"channel\":\"%s\",\"_dataset\":\"orders\",\"_src\":\"orders.csv\",\"_line\":%d}\n",
			    t, 1000 + i, cu, rev, c, ++line
			if (i % 6 == 0)
				printf "{\"time\":\"%s\",\"sessions\":%d,\"channel\":\"%s\",\"_dataset\":\"traffic\",\"_src\":\"ga4.csv\",\"_line\":%d}\n",
				    t, 50 + rnd(500), c, i / 6 + 2
		}
	}' >rows.ndjson
}

# k.json: a catalogue with every reducer (count_if and share_if too), the
# entity reducers and ratios over them, and a metric of another data set.
# One entry a line, so that grep can drop entries.
gen_defs() {
	cat >k.json <<-'EOF'
	{"kpis": [
	{"name": "revenue", "formula": "sum(revenue)", "dataset": "orders", "format": "money", "unit": "GBP"},
	{"name": "orders", "formula": "count(order_id)", "dataset": "orders"},
	{"name": "aov", "formula": "revenue / orders", "format": "money", "unit": "GBP"},
	{"name": "customers", "formula": "distinct(customer)", "dataset": "orders"},
	{"name": "median_order", "formula": "median(revenue)", "dataset": "orders"},
	{"name": "p90_order", "formula": "p90(revenue)", "dataset": "orders"},
	{"name": "mean_order", "formula": "mean(revenue)", "dataset": "orders"},
	{"name": "sd_order", "formula": "stddev(revenue)", "dataset": "orders"},
	{"name": "min_order", "formula": "min(revenue)", "dataset": "orders"},
	{"name": "max_order", "formula": "max(revenue)", "dataset": "orders"},
	{"name": "first_order", "formula": "first(revenue)", "dataset": "orders"},
	{"name": "last_order", "formula": "last(revenue)", "dataset": "orders"},
	{"name": "new_customers", "formula": "new(customer)", "dataset": "orders"},
	{"name": "returning_customers", "formula": "returning(customer)", "dataset": "orders"},
	{"name": "retained_customers", "formula": "retained(customer)", "dataset": "orders"},
	{"name": "churned_customers", "formula": "churned(customer)", "dataset": "orders"},
	{"name": "repeat_customers", "formula": "repeat(customer)", "dataset": "orders"},
	{"name": "retention_rate", "formula": "retained_customers / (retained_customers + churned_customers)", "format": "percent"},
	{"name": "repeat_rate", "formula": "repeat_customers / customers", "format": "percent"},
	{"name": "sessions", "formula": "sum(sessions)", "dataset": "traffic"},
	{"name": "cr", "formula": "orders / sessions", "format": "percent"},
	{"name": "rows", "formula": "count()"},
	{"name": "big_orders", "formula": "count_if(revenue >= 100)", "dataset": "orders"},
	{"name": "refund_share", "formula": "share_if(revenue < 0)", "dataset": "orders", "format": "percent"}
	]}
	EOF
	# The same without first and last, whose ties follow the input order.
	grep -v '"first(\|"last(' k.json >k2.json
}

# rows.ndjson cut into part.00 .. part.03, four consecutive runs of lines.
gen_parts() {
	gen_rows
	gen_defs
	split -n l/4 -d rows.ndjson part.
	[ -s part.00 ] && [ -s part.03 ]
	[ "$(cat part.00 part.01 part.02 part.03 | cmp - rows.ndjson && echo same)" = same ]
}

# agg OUT ARG...: kpi-aggregate ARG... >OUT; fails unless it exits 0
# with nothing on standard error.  Standard input is the caller's.
agg() {
	local out=$1 rc=0
	shift
	kpi-aggregate "$@" >"$out" 2>"$out.err" || rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$out.err" ]; then
		echo "kpi-aggregate $* exited $rc:"
		cat "$out.err"
		return 1
	fi
}

# partials ARG...: p.00 .. p.03, the --partial points of each part.
partials() {
	local i
	for i in 0 1 2 3; do
		agg p.0$i --partial "$@" part.0$i || return 1
	done
}

# same WANT GOT: the files are byte for byte the same, and not empty (two
# runs that both wrote nothing would compare equal).
same() {
	if [ ! -s "$1" ]; then
		echo "$1 is empty"
		return 1
	fi
	if ! cmp "$1" "$2"; then
		diff -u "$1" "$2" | head -n 40
		return 1
	fi
}

# nonempty FILE MIN: FILE has at least MIN lines.
nonempty() {
	local n
	n=$(wc -l <"$1")
	if [ "$n" -lt "$2" ]; then
		echo "$1 has $n lines, fewer than $2"
		return 1
	fi
}

# --- merged parts give the bytes of one run -----------------------------

@test "merge: the data set is what the tests expect" {
	gen_parts
	[ "$(wc -l <rows.ndjson)" -eq 3500 ]
	[ "$(grep -c '"_dataset":"traffic"' rows.ndjson)" -eq 500 ]
	grep -q '"customer":null' rows.ndjson
	grep -q '"customer":900[0-4],' rows.ndjson
	grep -q '"revenue":null' rows.ndjson
	grep -q '"revenue":-[0-9]*\.[0-9][0-9],' rows.ndjson
	grep -q '"time":"2024-02-2' rows.ndjson
	run ! grep -q '"time":"2023-05.*"channel":"social"' rows.ndjson
	# Every row aggregates: no rejects.
	agg s.ndjson --defs k.json --every month rows.ndjson
	nonempty s.ndjson 300
}

@test "merge: 4 parts, --every week --by channel --total" {
	gen_parts
	agg serial --defs k.json --every week --by channel --total rows.ndjson
	partials --defs k.json --every week --by channel --total
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every week <cat.p
	nonempty serial 4000
	same serial merged
	# The entity reducers count something: some customers came back.
	grep '"metric":"retained_customers"' serial | grep -qv '"value":0[,}]'
	grep '"metric":"churned_customers"' serial | grep -qv '"value":0[,}]'
	grep '"metric":"repeat_customers"' serial | grep -qv '"value":0[,}]'
}

@test "merge: the parts as files on the command line, and --merge --stats" {
	gen_parts
	kpi-aggregate --defs k.json --every week --by channel --total --stats \
	    rows.ndjson >serial 2>serial.err
	partials --defs k.json --every week --by channel --total
	run -0 --separate-stderr kpi-aggregate --merge --stats --defs k.json \
	    --every week p.00 p.01 p.02 p.03
	printf '%s\n' "$output" >merged
	same serial merged
	# rows in -> points in; the groups and points are those of the serial run.
	local pin groups
	pin=$(cat p.00 p.01 p.02 p.03 | wc -l)
	groups=$(sed 's/.* rejected, //' serial.err)
	assert_stderr "kpi-aggregate: $pin points in, 0 rejected, $groups"
}

@test "merge: --every month, --compare previous and --fill in the merge run" {
	gen_parts
	agg serial --defs k.json --every month --by channel --compare previous \
	    --fill rows.ndjson
	partials --defs k.json --every month --by channel
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every month --compare previous \
	    --fill <cat.p
	same serial merged
	# May 2023 is filled for social: no customer, all April's churned.
	grep -q '"metric":"new_customers","period":"2023-05",.*"dims":{"channel":"social"},"value":0,' serial
	grep -q '"metric":"rows","period":"2023-05",.*"dims":{"channel":"social"},"value":0,' serial
	grep '"metric":"churned_customers","period":"2023-05",.*"dims":{"channel":"social"}' serial |
	    grep -qv '"value":0,'
}

@test "merge: --fill --from --to in the merge run" {
	gen_parts
	agg serial --defs k.json --every month --by channel --fill \
	    --from 2022-11-15 --to 2024-05-01 rows.ndjson
	partials --defs k.json --every month --by channel
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every month --fill \
	    --from 2022-11-15 --to 2024-05-01 <cat.p
	same serial merged
	grep -q '"period":"2022-11"' serial
	grep -q '"period":"2024-05"' serial
}

@test "merge: --rolling 3 applied in the merge run" {
	gen_parts
	agg serial --defs k.json --every month --by channel --total --rolling 3 \
	    rows.ndjson
	partials --defs k.json --every month --by channel --total
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every month --rolling 3 <cat.p
	same serial merged
	# Not the monthly values.
	agg monthly --defs k.json --every month --by channel --total rows.ndjson
	run ! cmp -s serial monthly
}

@test "merge: --cumulative quarter applied in the merge run" {
	gen_parts
	agg serial --defs k.json --every month --by channel --cumulative quarter \
	    rows.ndjson
	partials --defs k.json --every month --by channel
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every month --cumulative quarter <cat.p
	same serial merged
}

@test "merge: --every all" {
	gen_parts
	agg serial --defs k.json --every all --by channel --total rows.ndjson
	partials --defs k.json --every all --by channel --total
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every all <cat.p
	same serial merged
	# No previous period: retained and churned are null, everybody is new.
	grep -q '"metric":"retained_customers","period":"all",.*"value":null' serial
	grep -q '"metric":"returning_customers","period":"all",.*"value":0' serial
}

@test "merge: the same calendar in every run: fiscal quarters, Sunday weeks, zones" {
	gen_parts
	agg serial --defs k.json --every quarter --fiscal-year-start apr \
	    --tz America/New_York --by channel --total rows.ndjson
	partials --defs k.json --every quarter --fiscal-year-start apr \
	    --tz America/New_York --by channel --total
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --every quarter --fiscal-year-start apr \
	    --tz America/New_York <cat.p
	same serial merged
	grep -q '"period":"FY2024-Q1"' serial

	agg serial --defs k.json --week-start sunday --tz Europe/London \
	    rows.ndjson
	partials --defs k.json --week-start sunday --tz Europe/London
	cat p.00 p.01 p.02 p.03 >cat.p
	agg merged --merge --defs k.json --week-start sunday \
	    --tz Europe/London <cat.p
	same serial merged
}

@test "merge: a tree of merges: (p1 + p2) and (p3 + p4) with --merge --partial, then --merge" {
	gen_parts
	agg serial --defs k.json --every week --by channel --total rows.ndjson
	partials --defs k.json --every week --by channel --total
	cat p.00 p.01 | agg left --merge --partial --defs k.json --every week
	cat p.02 p.03 | agg right --merge --partial --defs k.json --every week
	grep -q '"state":{' left
	cat left right | agg merged --merge --defs k.json --every week
	same serial merged
	# All four parts merged into partial points are the partial points
	# of one run over all the rows.
	agg whole --partial --defs k.json --every week --by channel --total \
	    rows.ndjson
	cat left right | agg tree --merge --partial --defs k.json --every week
	same whole tree
}

@test "merge: parts in any order give the same bytes, first and last aside" {
	gen_parts
	agg serial --defs k2.json --every month --by channel --total rows.ndjson
	partials --defs k2.json --every month --by channel --total
	cat p.02 p.00 p.03 p.01 >cat.p
	agg merged --merge --defs k2.json --every month <cat.p
	same serial merged
	cat p.03 p.02 p.01 p.00 >cat.p
	agg merged --merge --defs k2.json --every month --rolling 2 <cat.p
	agg serial --defs k2.json --every month --by channel --total --rolling 2 \
	    rows.ndjson
	same serial merged
	# Points of one group spread over the input merge too: sorted by line.
	sort p.00 p.01 p.02 p.03 >sorted.p
	agg merged --merge --defs k2.json --every month <sorted.p
	agg serial --defs k2.json --every month --by channel --total rows.ndjson
	same serial merged
}

@test "merge: first and last: ties at the same time go by the order of the parts" {
	# Two rows at the same time in two parts: first is the one of the
	# first part given, last the one of the last.
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","v":1,"_src":"a","_line":1}' \
	    '{"time":"2024-03-04T10:00:00Z","v":2,"_src":"a","_line":2}' >t.ndjson
	agg serial -m 'f=first(v)' -m 'l=last(v)' t.ndjson
	head -n 1 t.ndjson | agg a.p --partial -m 'f=first(v)' -m 'l=last(v)'
	tail -n 1 t.ndjson | agg b.p --partial -m 'f=first(v)' -m 'l=last(v)'
	agg merged --merge -m 'f=first(v)' -m 'l=last(v)' a.p b.p
	same serial merged
	grep -q '"metric":"f",.*"value":1}' merged
	grep -q '"metric":"l",.*"value":2}' merged
	agg swapped --merge -m 'f=first(v)' -m 'l=last(v)' b.p a.p
	grep -q '"metric":"f",.*"value":2}' swapped
	grep -q '"metric":"l",.*"value":1}' swapped
}

@test "merge: no points in, no points out" {
	run -0 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' </dev/null
	assert_output ''
	assert_stderr ''
	run -0 --separate-stderr kpi-aggregate --partial -m 'r=sum(x)' </dev/null
	assert_output ''
	assert_stderr ''
}

# --- the points of --partial --------------------------------------------

@test "partial: every point ends with a state; values are the part's own" {
	gen_parts
	agg whole --partial --defs k.json --every week --by channel --total \
	    rows.ndjson
	agg serial --defs k.json --every week --by channel --total rows.ndjson
	# "state" is the last key, an object.
	run grep -vc ',"state":{.*}}$' whole
	[ "$output" = 0 ]
	# Without it, the points of one run over everything.
	sed 's/,"state":{.*}}$/}/' whole >stripped
	same serial stripped
}

@test "partial: each base metric's state once per group, the entity set once" {
	gen_parts
	agg p --partial --defs k.json --every week --by channel --total part.01
	# Per group (period and dims), count the points that carry each base
	# metric's state: a key followed by an object is a state, since dims
	# values are strings.  The five entity metrics on customer share one;
	# it may be that of distinct(customer) too, under "customers".
	awk '
	BEGIN {
		nb = split("revenue orders customers median_order p90_order mean_order sd_order min_order max_order first_order last_order sessions rows", base, " ")
		split("new_customers returning_customers retained_customers churned_customers repeat_customers", ent, " ")
	}
	{
		s = index($0, "\"period\":")
		e = index($0, ",\"value\":")
		g = substr($0, s, e - s)
		groups[g] = 1
		for (i = 1; i <= nb; i++)
			if (index($0, "\"" base[i] "\":{"))
				n[g, base[i]]++
		for (i = 1; i <= 5; i++)
			if (index($0, "\"" ent[i] "\":{"))
				n[g, "entity"]++
	}
	END {
		for (g in groups) {
			for (i = 1; i <= nb; i++)
				if (n[g, base[i]] != 1) {
					printf "%s: %d states of %s\n", g, n[g, base[i]], base[i]
					bad = 1
				}
			if (n[g, "entity"] > 1 ||
			    (n[g, "entity"] == 0 && n[g, "customers"] != 1)) {
				printf "%s: %d states of the entity set\n", g, n[g, "entity"]
				bad = 1
			}
		}
		exit bad
	}' p
}

@test "partial: a derived metric's point carries no state its operand's point carried" {
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","x":1,"_src":"a","_line":1}' \
	    '{"time":"2024-03-05T10:00:00Z","x":2,"_src":"a","_line":2}' >t.ndjson
	run -0 --separate-stderr kpi-aggregate --partial -m 'r=sum(x)' \
	    -m 'a=r/2' t.ndjson
	assert_stderr ''
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} =~ ^\{\"metric\":\"r\",.*,\"value\":3,\"state\":\{\"r\":\{.+\}\}\}$ ]]
	[[ ${lines[1]} =~ ^\{\"metric\":\"a\",.*,\"value\":1\.5,\"state\":\{\}\}$ ]]
	# Written alone, a carries the state of r.
	run -0 --separate-stderr kpi-aggregate --partial -m 'r=sum(x)' \
	    -m 'a=r/2' --metrics a t.ndjson
	assert_stderr ''
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} =~ ^\{\"metric\":\"a\",.*,\"value\":1\.5,\"state\":\{\"r\":\{.+\}\}\}$ ]]
	# And merges into a's point.
	printf '%s\n' "$output" >a.p
	run -0 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' \
	    -m 'a=r/2' --metrics a a.p
	assert_stderr ''
	assert_output '{"metric":"a","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":1.5}'
}

@test "partial: the unit comes before the state" {
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","revenue":1.25,"_dataset":"orders","_src":"a","_line":1}' >t.ndjson
	printf '%s\n' '{"kpis":[{"name":"revenue","formula":"sum(revenue)","dataset":"orders","unit":"GBP"}]}' >u.json
	run -0 --separate-stderr kpi-aggregate --partial --defs u.json t.ndjson
	assert_stderr ''
	[[ $output =~ ,\"value\":1\.25,\"unit\":\"GBP\",\"state\":\{\"revenue\":\{.+\}\}\}$ ]]
}

# --- options each run refuses --------------------------------------------

@test "partial: --compare, --fill, --from, --to, --rolling, --cumulative are for the merge run: exit 2" {
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","x":1,"_src":"a","_line":1}' >t.ndjson
	local opt
	for opt in '--compare previous' '--fill' '--rolling 3' \
	    '--cumulative year --every month'; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr kpi-aggregate --partial -m 'r=sum(x)' $opt t.ndjson
		assert_output ''
		assert_stderr_line "^kpi-aggregate: .*${opt%% *}.*"
		[[ $stderr == *'--merge'* ]]
	done
	for opt in '--from 2024-01-01' '--to 2024-12-31'; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr kpi-aggregate --partial -m 'r=sum(x)' --fill $opt t.ndjson
		assert_output ''
		assert_stderr_line '^kpi-aggregate: .*--(fill|from|to).*'
	done
}

@test "merge: --by and --total are refused: the groups come from the points, exit 2" {
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' --by channel </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: .*--by.*'
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' --total </dev/null
	assert_output ''
	assert_stderr_line '^kpi-aggregate: .*--total.*'
}

# --- points that do not merge --------------------------------------------

# w.p: --partial points of r=sum(x) and q=count() over two weeks: r's two
# points (lines 1-2), then q's (lines 3-4).
small_partial() {
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","x":1,"_src":"a","_line":1}' \
	    '{"time":"2024-03-12T10:00:00Z","x":2,"_src":"a","_line":2}' >t.ndjson
	agg w.p --partial -m 'r=sum(x)' -m 'q=count()' t.ndjson
	[ "$(wc -l <w.p)" -eq 4 ]
}

@test "merge: a metric not in the definitions: exit 2, no output" {
	small_partial
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' w.p
	assert_output ''
	assert_stderr "kpi-aggregate: w.p:3: unknown metric 'q': --merge needs the definitions of the --partial runs"
}

@test "merge: a point without a state: exit 2, no output" {
	small_partial
	agg s.p -m 'r=sum(x)' -m 'q=count()' t.ndjson
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' s.p
	assert_output ''
	assert_stderr 'kpi-aggregate: s.p:1: point without a state: not from kpi-aggregate --partial'
	# One such point among good ones: still nothing written.
	{ cat w.p; head -n 1 s.p; } >mixed.p
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' mixed.p
	assert_output ''
	assert_stderr 'kpi-aggregate: mixed.p:5: point without a state: not from kpi-aggregate --partial'
}

@test "merge: another calendar: weeks merged as months, exit 2, no output" {
	small_partial
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' \
	    --every month w.p
	assert_output ''
	assert_stderr "kpi-aggregate: w.p:1: period '2024-W10' is not a month of this calendar: --merge needs the --every, --tz, --week-start and --fiscal-year-start of the --partial runs"
	agg all.p --partial -m 'r=sum(x)' -m 'q=count()' --every all t.ndjson
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' all.p
	assert_output ''
	assert_stderr "kpi-aggregate: all.p:1: period 'all' is not a week of this calendar: --merge needs the --every, --tz, --week-start and --fiscal-year-start of the --partial runs"
}

@test "merge: garbage states: exit 2, no output" {
	small_partial
	# Line 2's state (r's, week 11) made wrong in three ways.
	sed '2s/"state":{.*}}$/"state":{"r":{"n":"zz"}}}/' w.p >g1.p
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' g1.p
	assert_output ''
	assert_stderr "kpi-aggregate: g1.p:2: metric 'r': bad state for sum"
	sed '2s/"state":{.*}}$/"state":{"r":42}}/' w.p >g2.p
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' g2.p
	assert_output ''
	assert_stderr "kpi-aggregate: g2.p:2: metric 'r': bad state"
	sed '2s/"state":{.*}}$/"state":{"zz":{"n":1}}}/' w.p >g3.p
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' g3.p
	assert_output ''
	assert_stderr "kpi-aggregate: g3.p:2: state of 'zz', not a base metric: --merge needs the definitions of the --partial runs"
	# A line that is not a point at all, after every point: a part that
	# cannot be read whole would make wrong sums, so nothing is written.
	{ cat w.p; echo 'not json'; } >g4.p
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'q=count()' g4.p
	assert_output ''
	assert_stderr_line '^kpi-aggregate: g4\.p:5(:[0-9]+)?: .+'
}

@test "merge: a state that no point carried: exit 2, no output" {
	# The parts wrote r only; a needs n too.
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","x":1,"_src":"a","_line":1}' >t.ndjson
	agg r.p --partial -m 'r=sum(x)' -m 'n=count()' -m 'a=r/n' --metrics r t.ndjson
	run -2 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'n=count()' \
	    -m 'a=r/n' --metrics r,a r.p
	assert_output ''
	assert_stderr "kpi-aggregate: no state of 'n' for 'a' in period 2024-W10 {}: --merge needs the definitions and --metrics of the --partial runs"
	# Asked for r only, the merge has what it needs.
	run -0 --separate-stderr kpi-aggregate --merge -m 'r=sum(x)' -m 'n=count()' \
	    -m 'a=r/n' --metrics r r.p
	assert_stderr ''
	assert_output '{"metric":"r","period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{},"value":1}'
}
