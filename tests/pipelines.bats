#!/usr/bin/env bats
# The shipped pipelines run as their READMEs say, on the bundled exports,
# with their key numbers asserted.  pipelines/parallel: GNU parallel's run
# and the Hadoop Streaming pair are byte for byte the serial run.

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
	grep -F '"metric":"revenue","period":"2025-01"' parallel.ndjson |
	    grep -qF '"value":8695.4,'
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
