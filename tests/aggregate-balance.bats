#!/usr/bin/env bats
# kpi-aggregate balance(field) and balance(field, entity): levels such as
# followers, stock and MRR, the latest value of each series as of a
# period's end, summed over the series.  Every expected value is worked
# out by hand in the comments.

load test_helper

setup() {
	work
}

# p METRIC MONTH DIMS VALUE: a point of the UTC month 2024-MONTH.
p() {
	local m=$2 n
	n=$(printf '%02d' $((10#$m + 1)))
	printf '{"metric":"%s","period":"2024-%s","start":"2024-%s-01T00:00:00Z","end":"2024-%s-01T00:00:00Z","dims":%s,"value":%s}\n' \
	    "$1" "$m" "$m" "$n" "$3" "$4"
}

A='{"channel":"a"}'
B='{"channel":"b"}'

# followers.ndjson: channel a 100 then 120 in January, b 50 then 60 in
# January and 70 in March; nobody in February.
followers() {
	printf '%s\n' \
	    '{"time":"2024-01-05T00:00:00Z","channel":"a","followers":100}' \
	    '{"time":"2024-01-10T00:00:00Z","channel":"b","followers":50}' \
	    '{"time":"2024-01-20T00:00:00Z","channel":"a","followers":120}' \
	    '{"time":"2024-01-25T00:00:00Z","channel":"b","followers":60}' \
	    '{"time":"2024-03-02T00:00:00Z","channel":"b","followers":70}' \
	    >followers.ndjson
}

@test "balance: the total sums each channel's last (180), where last() takes the last row of any (60)" {
	followers
	run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    -m 'l=last(followers)' --by channel --total --every month \
	    followers.ndjson
	assert_stderr ''
	# March: b's 70 and a's 120, carried from January: 190.
	assert_output "$(
		p f 01 '{}' 180
		p f 03 '{}' 190
		p f 01 "$A" 120
		p f 01 "$B" 60
		p f 03 "$B" 70
		p l 01 '{}' 60
		p l 03 '{}' 70
		p l 01 "$A" 120
		p l 01 "$B" 60
		p l 03 "$B" 70
	)"
}

@test "balance: --fill carries the last value over periods without rows" {
	followers
	run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    --by channel --total --every month --fill followers.ndjson
	assert_stderr ''
	assert_output "$(
		p f 01 '{}' 180
		p f 02 '{}' 180
		p f 03 '{}' 190
		p f 01 "$A" 120
		p f 02 "$A" 120
		p f 03 "$A" 120
		p f 01 "$B" 60
		p f 02 "$B" 60
		p f 03 "$B" 70
	)"
}

@test "balance: a range from --from starts at the level of the rows before it; --compare sets levels against levels" {
	followers
	run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    --by channel --total --every month --fill --from 2024-02-01 \
	    --to 2024-03-31 followers.ndjson
	assert_stderr ''
	# Whether January's own points are written or not, February and
	# March have January's levels in them.
	[ "$(printf '%s\n' "$output" | grep -v '"period":"2024-01"')" = "$(
		p f 02 '{}' 180
		p f 03 '{}' 190
		p f 02 "$A" 120
		p f 03 "$A" 120
		p f 02 "$B" 60
		p f 03 "$B" 70
	)" ]
	run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    --by channel --total --every month --compare previous \
	    followers.ndjson
	# March's total against February's, carried from January: 190 - 180.
	[ "$(printf '%s\n' "$output" | sed -n 2p)" = '{"metric":"f","period":"2024-03","start":"2024-03-01T00:00:00Z","end":"2024-04-01T00:00:00Z","dims":{},"value":190,"prev":180,"change":10,"pct_change":0.05555555555555555}' ]
}

@test "balance: --rolling and --cumulative give the level at the period's end, as without them" {
	followers
	kpi-aggregate -m 'f=balance(followers)' --by channel --total \
	    --every month --fill followers.ndjson >plain
	for w in '--rolling 2' '--rolling 12' '--cumulative year' \
	    '--cumulative quarter'; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
		    --by channel --total --every month --fill $w followers.ndjson
		assert_stderr ''
		assert_output "$(cat plain)"
	done
	# Days to date in the month: each day's total level, the channels'
	# latest summed.
	run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    --by channel --total --every day --cumulative month \
	    followers.ndjson
	[ "$(printf '%s\n' "$output" | grep '"dims":{}' | sed 's/.*"period":"\([^"]*\)".*"value":\([0-9]*\).*/\1:\2/')" = \
	    "$(printf '%s\n' 2024-01-05:100 2024-01-10:150 2024-01-20:170 \
	    2024-01-25:180 2024-03-02:190)" ]
}

# subs.ndjson: subscription rows.  s1 (a) 10 in January, upgraded to 15 in
# February; s2 (a) 20 in January, cancelled (0) in March; s3 (b) 5 in
# January, 7 and 6 at the same time in March (a tie: the greater, 7).
subs() {
	printf '%s\n' \
	    '{"time":"2024-01-03T00:00:00Z","sub":"s1","channel":"a","mrr":10}' \
	    '{"time":"2024-01-04T00:00:00Z","sub":"s2","channel":"a","mrr":20}' \
	    '{"time":"2024-01-05T00:00:00Z","sub":"s3","channel":"b","mrr":5}' \
	    '{"time":"2024-02-10T00:00:00Z","sub":"s1","channel":"a","mrr":15}' \
	    '{"time":"2024-03-01T00:00:00Z","sub":"s2","channel":"a","mrr":0}' \
	    '{"time":"2024-03-01T00:00:00Z","sub":"s3","channel":"b","mrr":7}' \
	    '{"time":"2024-03-01T00:00:00Z","sub":"s3","channel":"b","mrr":6}' \
	    >subs.ndjson
}

@test "balance(field, entity): each subscription's latest, summed per channel and in the total" {
	subs
	run -0 --separate-stderr kpi-aggregate -m 'mrr=balance(mrr, sub)' \
	    --by channel --total --every month --fill subs.ndjson
	assert_stderr ''
	# a: 10 + 20 = 30; 15 + 20 = 35; 15 + 0 = 15.  b: 5, 5, 7.
	assert_output "$(
		p mrr 01 '{}' 35
		p mrr 02 '{}' 40
		p mrr 03 '{}' 22
		p mrr 01 "$A" 30
		p mrr 02 "$A" 35
		p mrr 03 "$A" 15
		p mrr 01 "$B" 5
		p mrr 02 "$B" 5
		p mrr 03 "$B" 7
	)"
	# Without the entity a channel's level is its latest row alone.
	run -0 --separate-stderr kpi-aggregate -m 'mrr=balance(mrr)' \
	    --by channel --every all subs.ndjson
	assert_output '{"metric":"mrr","period":"all","start":null,"end":null,"dims":{"channel":"a"},"value":0}
{"metric":"mrr","period":"all","start":null,"end":null,"dims":{"channel":"b"},"value":7}'
}

@test "balance: of two values at the same time the greater counts, whatever the rows' order" {
	printf '%s\n' \
	    '{"time":"2024-01-01T00:00:00Z","k":1,"v":3}' \
	    '{"time":"2024-01-01T00:00:00Z","k":1,"v":9}' \
	    '{"time":"2024-01-01T00:00:00Z","k":1,"v":4}' \
	    '{"time":"2024-01-01T00:00:00Z","k":"2","v":1}' >t1
	tac t1 >t2
	for f in t1 t2; do
		# k 1 and "2": two series, 9 + 1.
		run -0 --separate-stderr kpi-aggregate -m 'b=balance(v, k)' \
		    --every all "$f"
		assert_output '{"metric":"b","period":"all","start":null,"end":null,"dims":{},"value":10}'
	done
}

@test "balance: --partial of any two parts, merged in either order, is the one run" {
	subs
	defs=(-m 'mrr=balance(mrr, sub)' -m 'flat=balance(mrr)' -m 'n=count()')
	kpi-aggregate "${defs[@]}" --by channel --total --every month \
	    --compare previous subs.ndjson >one
	for k in 0 1 2 3 4 5 6 7; do
		head -n "$k" subs.ndjson >p1.ndjson
		tail -n +"$((k + 1))" subs.ndjson >p2.ndjson
		kpi-aggregate "${defs[@]}" --by channel --total --every month \
		    --partial p1.ndjson >p1
		kpi-aggregate "${defs[@]}" --by channel --total --every month \
		    --partial p2.ndjson >p2
		cat p2 p1 | kpi-aggregate "${defs[@]}" --merge --every month \
		    --compare previous >merged
		cmp one merged
		cat p1 p2 | kpi-aggregate "${defs[@]}" --merge --every month \
		    --compare previous >merged
		cmp one merged
	done
}

@test "balance: a --partial point carries each series' time and value" {
	followers
	run -0 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    --by channel --total --every all --partial followers.ndjson
	assert_output '{"metric":"f","period":"all","start":null,"end":null,"dims":{},"value":190,"state":{"f":{"s":{"{\"channel\":\"a\"}":[1705708800,120],"{\"channel\":\"b\"}":[1709337600,70]}}}}
{"metric":"f","period":"all","start":null,"end":null,"dims":{"channel":"a"},"value":120,"state":{"f":{"s":{"{\"channel\":\"a\"}":[1705708800,120]}}}}
{"metric":"f","period":"all","start":null,"end":null,"dims":{"channel":"b"},"value":70,"state":{"f":{"s":{"{\"channel\":\"b\"}":[1709337600,70]}}}}'
	# A state that is not a balance's stops the merge.
	printf '%s\n' '{"metric":"f","period":"all","start":null,"end":null,"dims":{},"value":1,"state":{"f":{"s":{"x":[1]}}}}' >bad
	run -2 --separate-stderr kpi-aggregate -m 'f=balance(followers)' \
	    --every all --merge bad
	assert_stderr 'kpi-aggregate: bad:1: metric '\''f'\'': bad state for balance'
}

@test "balance: nulls are no observation; a string is rejected; a period with nothing to date is null" {
	printf '%s\n' \
	    '{"time":"2024-01-05T00:00:00Z","x":null,"d":"d"}' \
	    '{"time":"2024-02-05T00:00:00Z","x":4}' \
	    '{"time":"2024-02-06T00:00:00Z","x":null}' \
	    '{"time":"2024-03-05T00:00:00Z","x":"many"}' >t
	run -1 --separate-stderr kpi-aggregate -m 'b=balance(x)' --every month t
	assert_stderr "kpi-aggregate: t:4: field 'x': 'many' is not a number"
	assert_output "$(
		p b 01 '{}' null
		p b 02 '{}' 4
	)"
}

@test "balance: formulas: two arguments are balance's only; min(a, b) stays a formula" {
	printf '%s\n' '{"time":"2024-01-05T00:00:00Z","x":4,"y":1}' >t
	run -0 --separate-stderr kpi-aggregate -m 'a=sum(x)' -m 'b=sum(y)' \
	    -m 'm=min(a, b)' -m 'c=balance( x , y )' --every all t
	assert_output '{"metric":"a","period":"all","start":null,"end":null,"dims":{},"value":4}
{"metric":"b","period":"all","start":null,"end":null,"dims":{},"value":1}
{"metric":"m","period":"all","start":null,"end":null,"dims":{},"value":1}
{"metric":"c","period":"all","start":null,"end":null,"dims":{},"value":4}'
	run -2 --separate-stderr kpi-aggregate -m 'b=balance()' t
	assert_stderr "kpi-aggregate: -m: b: 'balance' needs a field"
	for f in 'balance(x, )' 'balance(x, y' 'balance(, y)' \
	    'balance(x, y, z)' 'balance(x) + 1'; do
		run -2 --separate-stderr kpi-aggregate -m "b=$f" t
		assert_stderr "kpi-aggregate: -m: b: expected balance(field) or balance(field, entity)"
	done
}

@test "balance: pipelines/kpis.json's mrr and subscribers over the stripe-subscriptions preset" {
	# Two exports of the same subscriptions: each counted once.  Ann's
	# 29 (January), Bob's 290 a year for two seats, 48.33 a month
	# (December 2023), Cy's weekly 9.99 (March), Dee's 3 x 15 (November
	# 2023): 29 + 48.333... + 43.43776875 + 45, as the preset gives them
	# (in their currencies: convert with kpi-normalize --rates).
	cp "$(fixture presets/stripe_subscriptions.csv)" a.csv
	cp a.csv b.csv
	kpi-extract a.csv b.csv | kpi-normalize --preset stripe-subscriptions >rows
	run -0 --separate-stderr kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --metrics mrr,subscribers,arpu --every all rows
	assert_stderr ''
	assert_output '{"metric":"mrr","period":"all","start":null,"end":null,"dims":{},"value":165.77110208333335,"format":"money"}
{"metric":"subscribers","period":"all","start":null,"end":null,"dims":{},"value":4}
{"metric":"arpu","period":"all","start":null,"end":null,"dims":{},"value":41.44277552083334,"format":"money"}'
	# By month: the level at each month's end, carried by --fill.
	run -0 --separate-stderr kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --metrics mrr --every month --fill rows
	[ "$(printf '%s\n' "$output" | sed 's/.*"period":"\([^"]*\)".*"value":\([0-9.]*\).*/\1 \2/')" = \
	    "$(printf '%s\n' '2023-11 45' '2023-12 93.33333333333334' \
	    '2024-01 122.33333333333334' '2024-02 122.33333333333334' \
	    '2024-03 165.77110208333335')" ]
}

# many.ndjson: 6000 rows in no order of time, of 2500 subscriptions in two
# channels (one id can be in both: two series), at two times a day (many
# ties), values whole so that the sums are exact; want: each month's level
# per channel and in the total, worked out here by awk, one series at a
# time: of its rows up to the month's end, the latest, then the greatest.
many() {
	awk 'function rnd() { s = (s * 16807) % 2147483647; return s / 2147483647 }
	BEGIN {
		s = 7
		for (i = 0; i < 6000; i++) {
			m = 1 + int(rnd() * 3); d = 1 + int(rnd() * 28)
			h = 6 * int(rnd() * 2); id = "s" int(rnd() * 2500)
			c = rnd() < 0.5 ? "a" : "b"; x = int(rnd() * 100)
			printf "{\"time\":\"2024-%02d-%02dT%02d:00:00Z\",\"sub\":\"%s\",\"channel\":\"%s\",\"mrr\":%d}\n", m, d, h, id, c, x
			t = sprintf("%02d%02d%02d", m, d, h)
			for (e = m; e <= 3; e++) {
				k = e SUBSEP c SUBSEP id
				if (!(k in bt) || t > bt[k] || (t == bt[k] && x > bx[k])) {
					bt[k] = t; bx[k] = x
				}
			}
		}
		for (k in bx) {
			split(k, f, SUBSEP)
			lv[f[1] SUBSEP f[2]] += bx[k]; lv[f[1] SUBSEP "{}"] += bx[k]
		}
		for (dd = 0; dd < 3; dd++)
			for (e = 1; e <= 3; e++) {
				c = dd == 0 ? "{}" : dd == 1 ? "a" : "b"
				printf "%02d %s %d\n", e, c, lv[e SUBSEP c] > "want"
			}
	}' >many.ndjson
}

@test "balance: thousands of series a group, out of time order, ties, an id in two channels: each month's level" {
	many
	run -0 --separate-stderr kpi-aggregate -m 'mrr=balance(mrr, sub)' \
	    --by channel --total --every month many.ndjson
	assert_stderr ''
	[ "$(printf '%s\n' "$output" | sed 's/.*"period":"2024-\([0-9]*\)".*"dims":{\(.*\)},"value":\([0-9]*\)}$/\1 \2 \3/; s/ "channel":"\(.\)" / \1 /; s/^\([0-9]*\)  /\1 {} /')" = "$(cat want)" ]
}

@test "balance: --partial of three parts of many series, merged, is the one run, state and all" {
	many
	defs=(-m 'mrr=balance(mrr, sub)' -m 'flat=balance(mrr)' -m 'n=count()')
	kpi-aggregate "${defs[@]}" --by channel --total --every month \
	    many.ndjson >one
	kpi-aggregate "${defs[@]}" --by channel --total --every month \
	    --partial many.ndjson >onep
	split -n l/3 many.ndjson part.
	for f in part.aa part.ab part.ac; do
		kpi-aggregate "${defs[@]}" --by channel --total --every month \
		    --partial "$f" >"$f.p"
	done
	cat part.ac.p part.aa.p part.ab.p >all.p
	kpi-aggregate "${defs[@]}" --merge --every month all.p >merged
	cmp one merged
	kpi-aggregate "${defs[@]}" --merge --every month --partial all.p >mergedp
	cmp onep mergedp
}

@test "balance: --every all over more than a century keeps each series' latest time exactly" {
	# s1: 10 in 1900, 20 in 2024; s2: 5 in 1900, 3 in 1950: 20 + 3.
	printf '%s\n' \
	    '{"time":"1900-01-01T00:00:00Z","sub":"s1","v":10}' \
	    '{"time":"2024-01-01T00:00:00Z","sub":"s1","v":20}' \
	    '{"time":"1900-06-01T00:00:00Z","sub":"s2","v":5}' \
	    '{"time":"1950-01-01T00:00:00Z","sub":"s2","v":3}' >old.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'b=balance(v, sub)' \
	    --every all --partial old.ndjson
	assert_output '{"metric":"b","period":"all","start":null,"end":null,"dims":{},"value":23,"state":{"b":{"s":{"{}\"s1\"":[1704067200,20],"{}\"s2\"":[-631152000,3]}}}}'
	printf '%s\n' "$output" >p
	run -0 --separate-stderr kpi-aggregate -m 'b=balance(v, sub)' \
	    --every all --merge p p
	assert_output '{"metric":"b","period":"all","start":null,"end":null,"dims":{},"value":23}'
}
