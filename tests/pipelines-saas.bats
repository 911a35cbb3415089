#!/usr/bin/env bats
# pipelines/saas: Ledgerly's Stripe subscriptions export to MRR, net new
# MRR, churn and ARPU, run with the repository's tools in a copy of the
# pipeline; the numbers are worked out again by awk over the export.

load test_helper

SAAS=$KPI_ROOT/pipelines/saas

setup() {
	work
	cp -R "$SAAS" saas
	rm -rf saas/build
}

# The pipeline's make, with the tools under test.
pmake() {
	make -s -C saas KPI_BIN="$KPI_BIN/" "$@"
}

# The export's figures at the end of a month of 2025 (MONTH, 1-12),
# independently of the tools: a subscription counts from its Created
# time until its Ended At time; its MRR is Amount x Quantity, a twelfth
# of it for a yearly plan.  Prints "mrr active ended_in_month new_mrr
# churned_mrr" with MRR to the cent.
figures() {
	LC_ALL=C awk -F, -v m="$1" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		lo = sprintf("2025-%02d-01", m)
		hi = m == 12 ? "2026-01-01" : sprintf("2025-%02d-01", m + 1)
		c = $col["Created (UTC)"]; e = $col["Ended At (UTC)"]
		v = $col["Amount"] * $col["Quantity"]
		if ($col["Interval"] == "year") v /= 12
		if (c < hi && (e == "" || e >= hi)) { mrr += v; n++ }
		if (e >= lo && e < hi) { ended++; lost += v }
		if (c >= lo && c < hi) won += v
	}
	END { printf "%.2f %d %d %.2f %.2f\n", mrr, n, ended, won, lost }
	' saas/exports/subscriptions.csv
}

# The value of METRIC in PERIOD of build/month.points.ndjson, to 2 or
# (with a third argument) 4 decimals; its KEY instead of value with $4.
point() {
	grep -F "\"metric\":\"$1\",\"period\":\"$2\"," saas/build/month.points.ndjson |
	    sed 's/.*"'"${4:-value}"'":\([^,}]*\).*/\1/' |
	    LC_ALL=C awk -v d="${3:-2}" '{ printf "%.*f\n", d, $1 }'
}

@test "saas: the generator writes the committed export" {
	cp -R "$SAAS" gen
	rm -rf gen/build
	sh gen/generate.sh
	cmp "$SAAS/exports/subscriptions.csv" gen/exports/subscriptions.csv
}

@test "saas: December's MRR, net new MRR, churn and ARPU are the export's" {
	run -0 pmake
	[ -s saas/build/month.md ] && [ -s saas/build/month.txt ]
	# By hand from the awk below: December ends with 149 subscriptions
	# (one a customer) worth $5,759.00 a month; 7 ended in December, of
	# the 144 active on 1 December; November ended at $5,450.00.
	read -r mrr n ended won lost <<< "$(figures 12)"
	read -r nov nnov _ _ _ <<< "$(figures 11)"
	[ "$mrr $n $ended" = "5759.00 149 7" ]
	[ "$nov $nnov" = "5450.00 144" ]
	[ "$(point mrr 2025-12)" = "$mrr" ]
	[ "$(point mrr 2025-11)" = "$nov" ]
	[ "$(point subscribers 2025-12)" = "$n.00" ]
	# Net new MRR: MRR's change from November, and new less churned.
	[ "$(point mrr 2025-12 2 change)" = 309.00 ]
	[ "$(point net_new_mrr 2025-12)" = 309.00 ]
	[ "$(point new_mrr 2025-12)" = "$won" ]
	[ "$(point churned_mrr 2025-12)" = "$lost" ]
	# Churn: 7 of the 144 active at the month's start; ARPU: MRR per
	# subscriber.
	[ "$(point churn_rate 2025-12 4)" = "$(awk "BEGIN { printf \"%.4f\", $ended / $nnov }")" ]
	[ "$(point churn_rate 2025-12 4)" = 0.0486 ]
	[ "$(point arpu 2025-12)" = "$(awk "BEGIN { printf \"%.2f\", $mrr / $n }")" ]
	[ "$(point arpu 2025-12)" = 38.65 ]
	grep -qF '| ✅ | mrr |  | 2025-12 | 5,759.00 | 5,500.00 | met |' saas/build/month.md
	grep -qF 'net_new_mrr            2025-12    309.00    250.00  met' saas/build/month.txt
}

@test "saas: every month's MRR and net new MRR are the export's" {
	run -0 pmake build/month.points.ndjson
	local m p prev=
	for m in 1 2 3 4 5 6 7 8 9 10 11 12; do
		p=$(printf '2025-%02d' "$m")
		read -r mrr _ _ won lost <<< "$(figures "$m")"
		[ "$(point mrr "$p")" = "$mrr" ]
		[ "$(point net_new_mrr "$p")" = "$(awk "BEGIN { printf \"%.2f\", $won - $lost }")" ]
		[ "$(point mrr "$p" 2 change)" = "$(point net_new_mrr "$p")" ]
	done
}

@test "saas: make check passes on December and fails on a goal it misses" {
	run -0 pmake check
	# MRR of $6,000 by the year's end is missed: kpi-goal --check says
	# so with status 1, and make fails (its status 2) on it.
	sed 's/"target": 5500/"target": 6000/' saas/goals.json > strict.json
	run -2 --separate-stderr pmake check GOALS="$PWD/strict.json"
	[[ $stderr == *"goal 'mrr' {} 2025-12: value 5,759.00, target 6,000.00: missed"* ]]
	[[ $stderr == *"check] Error 1"* ]]
}
