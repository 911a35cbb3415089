#!/usr/bin/env bats
# pipelines/agency: three clients' zips in one pass, the client taken from
# each row's _src by kpi-normalize --set; weekly points per client and over
# all of them, one report per client and an overview.  The expected numbers
# come from the generator's CSVs, summed here with awk, not from the tools.

load test_helper

setup_file() {
	export AG=$BATS_FILE_TMPDIR/agency
	cp -R "$KPI_ROOT/pipelines/agency" "$AG"
	cp "$KPI_ROOT/pipelines/kpis.json" "$BATS_FILE_TMPDIR/kpis.json"
	rm -rf "$AG/build"
	make -s -C "$AG" KPI_BIN="$KPI_BIN/" KPI_DEFS=../kpis.json \
	    >"$BATS_FILE_TMPDIR/make.out" 2>&1
	# The CSVs the zips hold, written again by the generator.
	for c in acme birch cobalt; do
		mkdir -p "$BATS_FILE_TMPDIR/csv/$c"
		awk -v client=$c -v dir="$BATS_FILE_TMPDIR/csv/$c" \
		    -f "$AG/generate.awk"
	done
}

# week DAY: the ISO week of 2025-03-DAY (3 March is a Monday, week 10).
WEEK='function week(d) { return sprintf("2025-W%02d", 10 + int((d - 3) / 7)) }'

# orders CLIENT WEEK: "revenue orders" of the client's orders export.
orders() {
	awk -F, -v w="$2" "$WEEK"'
	NR > 1 { d = substr($10, 9, 2) + 0
		if (week(d) == w) { rev += $8; n++ } }
	END { printf "%.2f %d\n", rev, n }' "$BATS_FILE_TMPDIR/csv/$1/orders_export_1.csv"
}

# ads CLIENT WEEK: "spend purchase_value clicks" of the client's Meta export.
ads() {
	awk -F, -v w="$2" "$WEEK"'
	NR > 1 { d = substr($3, 9, 2) + 0
		if (week(d) == w) { sp += $7; pv += $14; cl += $10 } }
	END { printf "%.2f %.2f %d\n", sp, pv, cl }' "$BATS_FILE_TMPDIR/csv/$1"/*-Campaigns-*.csv
}

# point METRIC DIMS WEEK: the value of that point in build/eval.ndjson.
point() {
	grep -F "\"metric\":\"$1\",\"period\":\"$3\"," "$AG/build/eval.ndjson" |
	    grep -F "\"dims\":$2," | sed 's/.*"value":\([^,}]*\).*/\1/'
}

round() {
	awk -v x="$1" -v p="${2:-2}" 'BEGIN { printf "%.*f\n", p, x }'
}

@test "agency: make builds the overview and a report per client" {
	run cat "$BATS_FILE_TMPDIR/make.out"
	assert_output ''
	for f in overview.txt acme.txt acme.html birch.txt birch.html cobalt.txt cobalt.html; do
		[ -s "$AG/build/$f" ] || { echo "no $f"; false; }
	done
	# The zips hold what the generator writes.
	for c in acme birch cobalt; do
		run -0 sh -c "kpi-extract --member 'orders_export_*' '$AG/clients/$c/2025-03.zip' | wc -l"
		[ "$output" -eq "$(($(wc -l < "$BATS_FILE_TMPDIR/csv/$c/orders_export_1.csv") - 1))" ]
	done
	# Nothing rejected.
	[ ! -s "$AG/build/rejects.shopify-orders.ndjson" ]
	[ ! -s "$AG/build/rejects.meta-ads.ndjson" ]
}

@test "agency: each client's weekly revenue, orders, spend and ROAS" {
	local c w rev n sp pv cl
	for c in acme birch cobalt; do
		for w in 2025-W10 2025-W11 2025-W12 2025-W13; do
			read -r rev n <<<"$(orders $c $w)"
			read -r sp pv cl <<<"$(ads $c $w)"
			echo "== $c $w: $rev $n $sp $pv $cl"
			[ "$(round "$(point revenue "{\"client\":\"$c\"}" $w)")" = "$rev" ]
			[ "$(point orders "{\"client\":\"$c\"}" $w)" = "$n" ]
			[ "$(round "$(point spend "{\"client\":\"$c\"}" $w)")" = "$sp" ]
			[ "$(point clicks "{\"client\":\"$c\"}" $w)" = "$cl" ]
			[ "$(round "$(point roas "{\"client\":\"$c\"}" $w)" 6)" = \
			    "$(awk -v a="$pv" -v b="$sp" 'BEGIN { printf "%.6f", a / b }')" ]
		done
	done
}

@test "agency: the totals are the sums over the clients" {
	local w rev n c r k sum cnt
	for w in 2025-W10 2025-W13; do
		sum=0 cnt=0
		for c in acme birch cobalt; do
			read -r r k <<<"$(orders $c $w)"
			sum=$(awk -v a="$sum" -v b="$r" 'BEGIN { printf "%.2f", a + b }')
			cnt=$((cnt + k))
		done
		[ "$(round "$(point revenue '{}' $w)")" = "$sum" ]
		[ "$(point orders '{}' $w)" = "$cnt" ]
	done
}

@test "agency: goals per client and for the totals, by hand" {
	# Last week (W13): ROAS ≥ 3 met by acme and birch, missed by cobalt;
	# AOV ≥ 40 missed by acme; the totals against the catalogue's ROAS 4.
	run -0 grep -F '"period":"2025-W13"' "$AG/build/eval.ndjson"
	[[ $output == *'"metric":"roas","period":"2025-W13",'*'"dims":{"client":"acme"},'*'"name":"client_roas"'*'"status":"met"'* ]]
	run -0 sh -c "grep -F '\"metric\":\"roas\",\"period\":\"2025-W13\"' '$AG/build/eval.ndjson' | grep -F cobalt"
	[[ $output == *'"status":"missed"'* ]]
	run -0 sh -c "grep -F '\"metric\":\"aov\",\"period\":\"2025-W13\"' '$AG/build/eval.ndjson' | grep -F acme"
	[[ $output == *'"status":"missed"'* ]]
	run -0 sh -c "grep -F '\"metric\":\"roas\",\"period\":\"2025-W13\"' '$AG/build/eval.ndjson' | grep -F '\"dims\":{}'"
	[[ $output == *'"target":4,'* ]]
}

@test "agency: a client's report has that client only; the overview all" {
	local c rev n
	read -r rev n <<<"$(orders birch 2025-W13)"
	run -0 awk '$1 == "revenue" { gsub(",", "", $4); print $2, $3, $4 }' "$AG/build/birch.txt"
	assert_output "birch 2025-W13 $rev"
	run -1 grep -E 'acme|cobalt' "$AG/build/birch.txt"
	run -0 awk '$1 == "orders" { print $2 }' "$AG/build/overview.txt"
	assert_output "2025-W13
acme
birch
cobalt"
	grep -q '<html' "$AG/build/cobalt.html" || grep -qi '<!doctype html' "$AG/build/cobalt.html"
}

@test "agency: make again gives the same bytes" {
	cp "$AG/build/overview.txt" "$BATS_TEST_TMPDIR/first"
	make -s -C "$AG" KPI_BIN="$KPI_BIN/" KPI_DEFS=../kpis.json clean all >/dev/null 2>&1
	cmp "$BATS_TEST_TMPDIR/first" "$AG/build/overview.txt"
}
