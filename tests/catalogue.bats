#!/usr/bin/env bats
# The catalogue the tools read without --defs (kpi_face_catalogue in
# lib/face/where.c; kpi-aggregate(1) FILES): --defs, then $KPI_DEFS (set
# but empty: none), then bin/../share/kpi/kpis.json beside the tool; never
# ./kpis.json.  kpi-aggregate looks only when no -m is given, kpi-goal only
# when neither --defs nor --goals is.

load test_helper

setup() {
	work
	printf '%s\n' '{"kpis":[{"name":"orders","formula":"count(order)","dataset":"orders","format":"money","description":"Orders placed"}],"goals":[{"metric":"orders","kind":"at_least","target":3}]}' >cat.json
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","order":"a","_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","order":"b","_dataset":"orders"}' >rows.ndjson
}

# A copy of the tools in ./inst/bin, the catalogue in ./inst/share/kpi, as
# make install lays them out.
installed() {
	mkdir -p inst/bin inst/share/kpi
	cp "$KPI_BIN"/kpi-aggregate "$KPI_BIN"/kpi-goal "$KPI_BIN"/kpi-render inst/bin/
	cp cat.json inst/share/kpi/kpis.json
}

@test "catalogue: \$KPI_DEFS stands for --defs in kpi-aggregate, kpi-goal and kpi-render" {
	kpi-aggregate --defs cat.json --every all rows.ndjson >points.ndjson
	run -0 --separate-stderr env KPI_DEFS=cat.json kpi-aggregate --every all rows.ndjson
	assert_output "$(cat points.ndjson)"
	assert_stderr ''
	kpi-goal --defs cat.json points.ndjson >evals.ndjson
	grep -q '"status":"off_track"\|"status":"missed"' evals.ndjson
	run -0 --separate-stderr env KPI_DEFS=cat.json kpi-goal points.ndjson
	assert_output "$(cat evals.ndjson)"
	# A point that does not say its format: the catalogue's (money) shows.
	printf '%s\n' '{"metric":"orders","period":"all","start":null,"end":null,"dims":{},"value":2}' >bare.ndjson
	run -0 --separate-stderr kpi-render --defs cat.json --format table bare.ndjson
	want=$output
	[[ $want == *2.00* ]]
	run -0 --separate-stderr kpi-render --format table bare.ndjson
	[[ $output != *2.00* ]]
	run -0 --separate-stderr env KPI_DEFS=cat.json kpi-render --format table bare.ndjson
	assert_output "$want"
}

@test "catalogue: --defs wins over \$KPI_DEFS; -m alone reads no catalogue" {
	printf '{"kpis":[]}\n' >empty.json
	run -0 --separate-stderr env KPI_DEFS=empty.json kpi-aggregate --defs cat.json --every all rows.ndjson
	assert_output "$(kpi-aggregate --defs cat.json --every all rows.ndjson)"
	run -0 --separate-stderr env KPI_DEFS=nosuch.json kpi-aggregate -m 'n=count(order)' --every all rows.ndjson
	assert_output '{"metric":"n","period":"all","start":null,"end":null,"dims":{},"value":2}'
	# kpi-goal: --goals alone reads no catalogue either.
	printf '%s\n' '{"goals":[{"metric":"orders","kind":"at_least","target":1}]}' >g.json
	kpi-aggregate --defs cat.json --every all rows.ndjson >points.ndjson
	run -0 --separate-stderr env KPI_DEFS=nosuch.json kpi-goal --goals g.json points.ndjson
	[[ $output == *'"status":"met"'* ]]
}

@test "catalogue: \$KPI_DEFS naming no file is an error naming it; set but empty is none" {
	run -2 --separate-stderr env KPI_DEFS=nosuch.json kpi-aggregate --every all rows.ndjson
	assert_output ''
	assert_stderr 'kpi-aggregate: nosuch.json: No such file or directory'
	run -2 --separate-stderr env KPI_DEFS=nosuch.json kpi-goal rows.ndjson
	assert_stderr 'kpi-goal: nosuch.json: No such file or directory'
	installed
	run -2 --separate-stderr env KPI_DEFS= inst/bin/kpi-aggregate --every all rows.ndjson
	assert_stderr 'kpi-aggregate: no metrics: give -m or --defs'
	run -2 --separate-stderr env KPI_DEFS= inst/bin/kpi-goal rows.ndjson
	[[ ${stderr%%$'\n'*} == 'kpi-goal: no goals: give --defs or --goals' ]]
}

@test "catalogue: installed beside the tool, bin/../share/kpi/kpis.json, found last" {
	installed
	kpi-aggregate --defs cat.json --every all rows.ndjson >points.ndjson
	run -0 --separate-stderr inst/bin/kpi-aggregate --every all rows.ndjson
	assert_output "$(cat points.ndjson)"
	run -0 --separate-stderr inst/bin/kpi-goal points.ndjson
	assert_output "$(kpi-goal --defs cat.json points.ndjson)"
	run -0 --separate-stderr inst/bin/kpi-render --format markdown points.ndjson
	assert_output "$(kpi-render --defs cat.json --format markdown points.ndjson)"
	# A symbolic link to the tool finds the catalogue of the tool's tree.
	mkdir links
	ln -s "$PWD/inst/bin/kpi-aggregate" links/kpi-aggregate
	run -0 --separate-stderr links/kpi-aggregate --every all rows.ndjson
	assert_output "$(cat points.ndjson)"
	# $KPI_DEFS comes first.
	printf '{"kpis":[{"name":"o2","formula":"count(order)","dataset":"orders"}]}\n' >other.json
	run -0 --separate-stderr env KPI_DEFS=other.json inst/bin/kpi-aggregate --every all rows.ndjson
	assert_output '{"metric":"o2","period":"all","start":null,"end":null,"dims":{},"value":2}'
}

@test "catalogue: a kpis.json in the current directory is not read" {
	cp cat.json kpis.json
	run -2 --separate-stderr kpi-aggregate --every all rows.ndjson
	assert_stderr 'kpi-aggregate: no metrics: give -m or --defs'
}
