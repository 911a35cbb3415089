#!/usr/bin/env bats
# The shipped pipelines run as their READMEs say, on the bundled exports,
# with their key numbers asserted.  pipelines/funnel: the year's reports,
# December's numbers against the exports' own (worked out apart, in
# Python, from the CSV), the check target, incremental builds.
# pipelines/parallel: GNU parallel's run and the Hadoop Streaming pair are
# byte for byte the serial run.

load test_helper

FUNNEL=$KPI_ROOT/pipelines/funnel
PAR=$KPI_ROOT/pipelines/parallel
METRICS=revenue,orders,aov,customers,new_customers,repeat_rate

setup() {
	work
	export KPI_DEFS=$KPI_ROOT/pipelines/kpis.json
}

# The year's orders, one archive after the other, as one serial run sees them.
serial() {
	local a
	for a in "$FUNNEL"/exports/2025-*.zip; do
		kpi-extract --member 'orders_export_*.csv' "$a"
	done | kpi-normalize --preset shopify-orders
}

# funnel_month YYYY-MM: "revenue orders cost rating reviews" of a month of
# the funnel's exports, read from its zip with Python's csv module: net
# revenue of the orders that count (not cancelled, voided or expired),
# their cost by the products export, the mean stars of its reviews that
# are not spam.
funnel_month() {
	python3 - "$FUNNEL" "$1" <<-'EOF'
	import csv, io, subprocess, sys
	d, m = sys.argv[1], sys.argv[2]
	def member(name):
	    return io.StringIO(subprocess.run(["bsdtar", "-xOf",
	        f"{d}/exports/{m}.zip", name], capture_output=True,
	        check=True).stdout.decode())
	costs = {r["Variant SKU"]: float(r["Cost per item"])
	         for r in csv.DictReader(open(f"{d}/exports/products_export_1.csv"))
	         if r["Variant SKU"]}
	net = cost = 0.0
	orders = 0
	counts = False
	for r in csv.DictReader(member("orders_export_1.csv")):
	    if r["Financial Status"]:
	        counts = not (r["Cancelled at"] or
	                      r["Financial Status"] in ("voided", "expired"))
	        if counts:
	            net += float(r["Total"]) - float(r["Refunded Amount"] or 0)
	            orders += 1
	    if counts:
	        cost += int(r["Lineitem quantity"]) * costs[r["Lineitem sku"]]
	stars = [int(r["rating"]) for r in
	         csv.DictReader(member("judgeme_reviews_export.csv"))
	         if r["curated"] != "spam"]
	print(f"{net:.2f}".rstrip("0").rstrip("."), orders, f"{cost:.2f}",
	      f"{sum(stars) / len(stars):.6f}", len(stars))
	EOF
}

# value METRIC PERIOD FILE: the point's value, to 6 decimals.
value() {
	sed -n 's/^{"metric":"'"$1"'","period":"'"$2"'",.*"value":\([^,}]*\).*/\1/p' "$3" |
	    awk '{ printf "%.6f\n", $1 }'
}

@test "funnel: make builds the year's reports; December's revenue, orders, margin and rating are the exports' own" {
	run -0 make -s -C "$FUNNEL" B="$PWD/build" KPI_BIN="$KPI_BIN/"
	for f in week month quarter; do
		for x in html md txt; do
			[ -s "build/$f.$x" ] || { echo "no build/$f.$x"; return 1; }
		done
	done
	[ -s build/channel.md ]
	read -r revenue orders cost rating reviews <<<"$(funnel_month 2025-12)"
	p=build/month.points.ndjson
	[ "$(value revenue 2025-12 $p)" = "$(awk -v v="$revenue" 'BEGIN { printf "%.6f", v }')" ]
	[ "$(value orders 2025-12 $p)" = "$orders.000000" ]
	[ "$(value gross_margin 2025-12 $p)" = "$(awk -v r="$revenue" -v c="$cost" 'BEGIN { printf "%.6f", (r - c) / r }')" ]
	[ "$(value rating 2025-12 $p)" = "$rating" ]
	[ "$(value reviews 2025-12 $p)" = "$reviews.000000" ]
	# Every row of every export is accounted for, none rejected.
	! grep -v ' 0 rejected' build/typed/*.log
	[ -z "$(ls build/rejects)" ]
	# The terminal report's verdicts on margin and rating.
	grep -q '^gross_margin  *2025-12  *55\.1%  *45%  *met' build/month.txt
	grep -q '^rating  *2025-12  *4\.39  *4\.5  *missed' build/month.txt
}

@test "funnel: make check fails as CI would, naming December's missed KPIs" {
	run -2 --separate-stderr make -s -C "$FUNNEL" B="$PWD/build" KPI_BIN="$KPI_BIN/" check
	run -0 grep -o "^kpi-goal: goal '[a-z_0-9]*' {} 2025-12: .*: missed$" <<<"$stderr"
	[ "${#lines[@]}" -eq 7 ]
	[[ $output == *"goal 'roas_4' {} 2025-12: value 2.24, target 4: missed"* ]]
	[[ $output == *"goal 'rating_45' {} 2025-12: value 4.39, target 4.5: missed"* ]]
}

@test "funnel: a new month's exports cost one month's work and the merges" {
	cp -R "$FUNNEL" funnel
	rm -rf funnel/build
	local defs=KPI_DEFS=$KPI_ROOT/pipelines/kpis.json
	run -0 make -s -C funnel KPI_BIN="$KPI_BIN/" "$defs"
	touch funnel/exports/2025-12.zip
	run -0 make -n -C funnel KPI_BIN="$KPI_BIN/" "$defs"
	# Only December is extracted and aggregated again.
	run -0 grep -o 'exports/2025-[0-9]*\.zip' <<<"$output"
	[ "$(sort -u <<<"$output")" = "exports/2025-12.zip" ]
}

@test "parallel: GNU parallel over the twelve monthly archives is the serial run" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	serial | kpi-aggregate --defs "$KPI_DEFS" --every month \
	    --metrics "$METRICS" > serial.ndjson
	run -0 "$PAR/run.sh" -j 3 "$FUNNEL"/exports/2025-*.zip
	printf '%s\n' "$output" > parallel.ndjson
	cmp serial.ndjson parallel.ndjson
	# 12 months of 6 metrics; the year's orders and January's revenue.
	[ "$(wc -l < parallel.ndjson)" -eq 72 ]
	grep -c '"metric":"orders"' parallel.ndjson | grep -qx 12
	# January's revenue is the orders' totals less their refunds,
	# cancelled and voided orders out, as funnel_month says.
	grep -F '"metric":"revenue","period":"2025-01"' parallel.ndjson |
	    grep -qF "\"value\":$(funnel_month 2025-01 | cut -d ' ' -f 1),"
}

@test "parallel: moreutils' parallel is refused, not merged into nothing" {
	mkdir bin
	printf '#!/bin/sh\necho "parallel: invalid option -- '"'"'k'"'"'" >&2\nexit 1\n' > bin/parallel
	chmod +x bin/parallel
	PATH=$PWD/bin:$PATH run -2 --separate-stderr "$PAR/run.sh" "$FUNNEL/exports/2025-01.zip"
	assert_output ''
	assert_stderr "run.sh: GNU parallel is needed (Debian: apt-get install parallel; moreutils' parallel will not do)"
}

@test "parallel: a failed job fails the run" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	head -c 4000 "$FUNNEL/exports/2025-02.zip" > broken.zip
	run -2 --separate-stderr "$PAR/run.sh" "$FUNNEL/exports/2025-01.zip" broken.zip
	[[ $stderr == *"run.sh: a job failed (status "*"): no result" ]]
}

@test "parallel: the Hadoop Streaming pair, map | sort | reduce, is the serial run" {
	serial > rows.ndjson
	kpi-aggregate --defs "$KPI_DEFS" --every month --metrics "$METRICS" \
	    rows.ndjson > serial.ndjson
	# Three input splits, as Hadoop would cut the typed rows.
	split -n l/3 rows.ndjson part.
	[ -s part.ac ]
	for p in part.*; do
		"$PAR/map.sh" < "$p" > "$p.map"
	done
	# Every mapper line is key<TAB>state, the key the state's metric.
	! grep -v '^[a-z_]*	{"metric":"' part.*.map
	cat part.*.map | sort | "$PAR/reduce.sh" > hadoop.ndjson
	cmp serial.ndjson hadoop.ndjson
}

@test "demo: pipelines/demo.sh runs the funnel, prints December's report and names the dashboard" {
	KPI_DEMO_BUILD=$PWD/build run -0 --separate-stderr "$KPI_ROOT/pipelines/demo.sh"
	assert_stderr ''
	[[ $output == *"Leaf & Kettle, 2025, by month"* ]]
	[[ $output == *"The HTML dashboards: $PWD/build/month.html"* ]]
	grep -q '<html' build/month.html
	run -0 grep -c '^[a-z_]*  *2025-12 ' <<<"$output"
	[ "$output" -eq 21 ]
}
