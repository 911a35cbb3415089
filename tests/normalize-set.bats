#!/usr/bin/env bats
# kpi-normalize --set: a field every typed row gets that no column gives,
# a constant or a part of the row's _src ({src:N}); its place in the row,
# --keep, dedup keys across the parts, and the option's errors.

load test_helper

setup() {
	work
	cat > s.json <<'J'
{"dataset":"orders","key":["order_id"],"fields":[
 {"name":"order_id","from":"Name","type":"string"},
 {"name":"revenue","from":"Total","type":"money"}]}
J
	cat > rows.ndjson <<'J'
{"Name":"#1","Total":"3","Note":"x","_src":"clients/acme/2025-03.zip:orders.csv","_line":2}
{"Name":"#1","Total":"5","Note":"y","_src":"clients/birch/2025-03.zip:orders.csv","_line":2}
J
}

@test "set: constant and _src parts after the spec's fields, before _dataset" {
	run -0 --separate-stderr kpi-normalize --spec s.json \
	    --set 'client={src:2}' --set team=north --set 'file={src:3}' \
	    rows.ndjson
	assert_output '{"order_id":"#1","revenue":3,"client":"acme","team":"north","file":"2025-03.zip:orders.csv","_dataset":"orders","_src":"clients/acme/2025-03.zip:orders.csv","_line":2}
{"order_id":"#1","revenue":5,"client":"birch","team":"north","file":"2025-03.zip:orders.csv","_dataset":"orders","_src":"clients/birch/2025-03.zip:orders.csv","_line":2}'
	assert_stderr ''
}

@test "set: a part _src does not have, or an empty one, is null" {
	printf '%s\n' '{"Name":"#9","Total":"1","_src":"orders.csv","_line":2}' \
	    '{"Name":"#8","Total":"1","_src":"a//b.csv","_line":2}' > short.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json \
	    --set 'client={src:2}' short.ndjson
	assert_output '{"order_id":"#9","revenue":1,"client":null,"_dataset":"orders","_src":"orders.csv","_line":2}
{"order_id":"#8","revenue":1,"client":null,"_dataset":"orders","_src":"a//b.csv","_line":2}'
}

@test "set: the same key under two clients' paths is no duplicate" {
	run -0 --separate-stderr kpi-normalize --stats --spec s.json rows.ndjson
	[ "${#lines[@]}" -eq 1 ]
	[[ $stderr == *"1 duplicate"* ]]
	run -0 --separate-stderr kpi-normalize --stats --spec s.json \
	    --set 'client={src:2}' rows.ndjson
	[ "${#lines[@]}" -eq 2 ]
	[[ $stderr == *"0 duplicates"* ]]
	# A constant is the same for every row: the key is the spec's alone.
	run -0 --separate-stderr kpi-normalize --stats --spec s.json \
	    --set 'shop=x' --set 'file={src:3}' rows.ndjson
	[ "${#lines[@]}" -eq 1 ]
}

@test "set: with --keep, a column of the set field's name is left out" {
	run -0 --separate-stderr kpi-normalize --keep --spec s.json \
	    --set Note=fixed rows.ndjson
	[ "${lines[0]}" = '{"order_id":"#1","revenue":3,"Note":"fixed","_dataset":"orders","_src":"clients/acme/2025-03.zip:orders.csv","_line":2}' ]
}

@test "set: works with a preset" {
	printf 'Name,Created at,Total\n#7,2025-03-03 10:00:00 +0000,12.50\n' > orders_export_1.csv
	mkdir -p clients/acme && mv orders_export_1.csv clients/acme/
	run -0 --separate-stderr sh -c 'kpi-extract clients/acme/orders_export_1.csv |
	    kpi-normalize --preset shopify-orders --set "client={src:2}"'
	[[ $output == *'"client":"acme","_dataset":"orders","_src":"clients/acme/orders_export_1.csv"'* ]]
}

@test "set: errors exit 2 before any row" {
	run -2 --separate-stderr kpi-normalize --spec s.json --set noequals rows.ndjson
	assert_output ''
	[[ $stderr == *"bad --set (expected name=value)"* ]]
	run -2 --separate-stderr kpi-normalize --spec s.json --set =v rows.ndjson
	[[ $stderr == *"bad --set (expected name=value)"* ]]
	run -2 --separate-stderr kpi-normalize --spec s.json --set revenue=1 rows.ndjson
	assert_output ''
	assert_stderr "kpi-normalize: --set revenue: the spec has a field of that name"
	run -2 --separate-stderr kpi-normalize --spec s.json --set _src=1 rows.ndjson
	assert_stderr "kpi-normalize: bad --set name '_src' (empty or starting with '_')"
	run -2 --separate-stderr kpi-normalize --spec s.json --set a=1 --set a=2 rows.ndjson
	assert_stderr "kpi-normalize: --set a given twice"
	for v in '{src:0}' '{src:x}' '{src:2' '{src:2}x' '{src:-1}'; do
		run -2 --separate-stderr kpi-normalize --spec s.json --set "c=$v" rows.ndjson
		assert_stderr "kpi-normalize: --set c: bad '$v' (expected {src:N}, N from 1)"
	done
	# Text that only looks alike is a constant.
	run -0 --separate-stderr kpi-normalize --spec s.json --set 'c=x{src:2}' rows.ndjson
	[[ ${lines[0]} == *'"c":"x{src:2}"'* ]]
}
