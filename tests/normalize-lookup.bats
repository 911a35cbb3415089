#!/usr/bin/env bats
# kpi-normalize lookups, products and durations: a spec's field looked up in
# a reference file (a Shopify products export, a mapping file), "times" and
# "between" fields, and the margin and fulfilment KPIs they make possible,
# down to kpi-goal.  Inputs are generated in the per-test directory in the
# exports' real formats; every expected value is worked out by hand beside
# its test.

load test_helper

setup() {
	work
}

# normalize FILE ARG...: kpi-extract FILE | kpi-normalize ARG...; the status
# is the first failure of the two.
normalize() {
	local file=$1
	shift
	set -o pipefail
	kpi-extract "$file" | kpi-normalize "$@"
}

# A Shopify products export (its header's columns, fewer of them): a
# product of two variants and an image row, one of one variant, one with
# no cost.  Costs per item: A-1 10, A-2 12, B-1 15, C-1 25, D-1 25, E-1 4;
# X-1 none.
products() {
	cat >products_export_1.csv <<-'EOF'
	Handle,Title,Vendor,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Compare At Price,Variant Requires Shipping,Image Src,Image Position,Cost per item,Status
	alpha,Alpha,Acme,Mug,Size,Small,A-1,20.00,,true,https://cdn.shopify.com/a1.jpg,1,10.00,active
	alpha,,,,,Large,A-2,24.00,,true,,,12.00,
	alpha,,,,,,,,,,https://cdn.shopify.com/a2.jpg,2,,
	beta,Beta,Acme,Mug,Title,Default Title,B-1,30.00,35.00,true,https://cdn.shopify.com/b1.jpg,1,15.00,active
	gamma,Gamma,Acme,Cap,Title,Default Title,C-1,60.00,,true,,,25.00,active
	delta,Delta,Acme,Cap,Title,Default Title,D-1,20.00,,true,,,25.00,active
	eps,Eps,Acme,Pin,Title,Default Title,E-1,10.00,,false,,,4.00,active
	xray,Xray,Acme,Pin,Title,Default Title,X-1,5.00,,true,,,,draft
	EOF
}

# A Shopify orders export (its columns, fewer of them), newest last here.
#   #1 W10, total 100: A-1 x2 (20) + B-1 x1 (15): cost 35; fulfilled in 2 h
#   #2 W10, total  60: C-1 x1 (25) + GONE x1 (no such SKU): cost 25;
#      fulfilled 2024-03-05 10:00 -> 03-06 16:30 UTC: 30.5 h
#   #3 W10, total  40: D-1 x2 (50): cost 50; created 2024-03-09 23:00
#      -0500 (04:00Z on the 10th), fulfilled 2024-03-10 12:00 -0400
#      (16:00Z), across the US clocks going forward: 12 h, not 13
#   #4 W11, total  10: E-1 x1 (4): cost 4; not fulfilled
# W10: revenue 200, cost 35 + 25 + 50 = 110, margin 90 / 200 = 0.45;
# fulfilment hours 2, 30.5, 12: median 12.  W11: margin 6 / 10 = 0.6, no
# fulfilment.  Six rows: 4 orders, 2 folded; one line item (GONE) misses.
orders() {
	cat >orders_export_1.csv <<-'EOF'
	Name,Email,Financial Status,Fulfillment Status,Fulfilled at,Currency,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku
	#1,a@example.com,paid,fulfilled,2024-03-04 11:00:00 +0000,USD,100.00,2024-03-04 09:00:00 +0000,2,Alpha - Small,20.00,A-1
	#1,a@example.com,,,,,,2024-03-04 09:00:00 +0000,1,Beta,30.00,B-1
	#2,b@example.com,paid,fulfilled,2024-03-06 16:30:00 +0000,USD,60.00,2024-03-05 10:00:00 +0000,1,Gamma,60.00,C-1
	#2,b@example.com,,,,,,2024-03-05 10:00:00 +0000,1,Gone,5.00,GONE
	#3,c@example.com,paid,fulfilled,2024-03-10 12:00:00 -0400,USD,40.00,2024-03-09 23:00:00 -0500,2,Delta,20.00,D-1
	#4,d@example.com,paid,unfulfilled,,USD,10.00,2024-03-12 08:00:00 +0000,1,Eps,10.00,E-1
	EOF
}

# Point of the catalogue's metric in 2024-W10 or W11 with its metadata.
W10='"period":"2024-W10","start":"2024-03-04T00:00:00Z","end":"2024-03-11T00:00:00Z","dims":{}'
W11='"period":"2024-W11","start":"2024-03-11T00:00:00Z","end":"2024-03-18T00:00:00Z","dims":{}'

@test "lookup: shopify-products reads variants, drops image rows, carries the title" {
	products
	run -0 --separate-stderr normalize products_export_1.csv \
	    --preset shopify-products --stats
	assert_stderr 'kpi-normalize: 8 rows in, 7 out, 0 rejected, 1 dropped, 0 folded, 0 duplicates'
	[ "${#lines[@]}" -eq 7 ]
	[[ ${lines[1]} == '{"handle":"alpha","title":"Alpha","vendor":"Acme","type":"Mug","option1":"Large","option2":null,"option3":null,"sku":"A-2","price":24,"compare_at_price":null,"cost":12,'* ]]
	[[ ${lines[6]} == *'"sku":"X-1","price":5,"compare_at_price":null,"cost":null,'* ]]
}

@test "lookup: shopify-products on the redacted 2025 export fixture: every row accounted for" {
	cd "$FIXTURES"
	# 11 rows: 7 variants (mug 2, t-shirt 3, cap, tea towel), 3 image rows.
	run -0 --separate-stderr normalize presets/shopify_products.csv \
	    --preset shopify-products --stats
	assert_stderr 'kpi-normalize: 10 rows in, 7 out, 0 rejected, 3 dropped, 0 folded, 0 duplicates'
	[[ ${lines[2]} == '{"handle":"t-shirt-classic","title":"T-Shirt “Classic”","vendor":"Acme Goods","type":"T-Shirt","option1":"S",'*'"sku":"TS-CL-S","price":20,"compare_at_price":25,"cost":7.5,'* ]]
}

@test "lookup: line items get quantity x cost per item; a missing SKU is null and counted" {
	products
	orders
	run -0 --separate-stderr normalize orders_export_1.csv \
	    --preset shopify-line-items --lookup products=products_export_1.csv --stats
	assert_stderr 'kpi-normalize: 6 rows in, 6 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates; 1 missed a lookup'
	run -0 sh -c "sed 's/.*\"sku\":\\(\"[^\"]*\"\\).*\"quantity\":\\([0-9]*\\).*\"cost\":\\([^,]*\\),.*/\\1 \\2 \\3/'" <<<"$output"
	assert_output '"A-1" 2 20
"B-1" 1 15
"C-1" 1 25
"GONE" 1 null
"D-1" 2 50
"E-1" 1 4'
}

@test "lookup: orders get their cost of goods and fulfilment hours (across DST)" {
	products
	orders
	run -0 --separate-stderr normalize orders_export_1.csv \
	    --preset shopify-orders --lookup products=products_export_1.csv --stats
	assert_stderr 'kpi-normalize: 6 rows in, 4 out, 0 rejected, 0 dropped, 2 folded, 0 duplicates; 1 missed a lookup'
	run -0 sh -c "sed 's/.*\"order_id\":\"\\([^\"]*\\)\".*\"cost\":\\([^,]*\\),\"fulfilled_at\":\\([^,]*\\),\"fulfillment_hours\":\\([^,]*\\),.*/\\1 \\2 \\3 \\4/'" <<<"$output"
	assert_output '#1 35 "2024-03-04T11:00:00Z" 2
#2 25 "2024-03-06T16:30:00Z" 30.5
#3 50 "2024-03-10T12:00:00-04:00" 12
#4 4 null null'
}

@test "lookup: without --lookup the preset's cost is null and --stats is as before" {
	orders
	run -0 --separate-stderr normalize orders_export_1.csv \
	    --preset shopify-orders --stats
	assert_stderr 'kpi-normalize: 6 rows in, 4 out, 0 rejected, 0 dropped, 2 folded, 0 duplicates'
	[[ ${lines[0]} == *'"platform":"shopify","cost":null,"fulfilled_at":"2024-03-04T11:00:00Z","fulfillment_hours":2,'* ]]
}

# A line-item spec of one's own whose cost is required.
required_spec() {
	cat >items.json <<-'EOF'
	{"dataset": "line_items",
	 "fields": [
	  {"name": "time", "from": "Created at", "type": "time"},
	  {"name": "quantity", "from": "Lineitem quantity", "type": "integer"},
	  {"name": "cost", "from": "Lineitem sku", "type": "money", "times": "quantity",
	   "lookup": {"name": "products", "file": "products_export_1.csv",
	    "key": "Variant SKU", "value": "Cost per item", "required": true}}]}
	EOF
}

@test "lookup: a required lookup rejects the row whose key is missing, with the reason; --stats adds up" {
	products
	orders
	required_spec
	run -1 --separate-stderr normalize orders_export_1.csv --spec items.json --stats
	assert_stderr "kpi-normalize: orders_export_1.csv:5: field 'cost': no 'Cost per item' for 'GONE' in products_export_1.csv
kpi-normalize: 6 rows in, 5 out, 1 rejected, 0 dropped, 0 folded, 0 duplicates; 1 missed a lookup"
	# in 6 = out 5 + rejected 1 + dropped 0 + folded 0.
	[ "${#lines[@]}" -eq 5 ]
	run -0 --separate-stderr normalize orders_export_1.csv --spec items.json \
	    --rejects rejects.ndjson
	assert_stderr ''
	run -0 cat rejects.ndjson
	assert_output '{"Name":"#2","Email":"b@example.com","Financial Status":"","Fulfillment Status":"","Fulfilled at":"","Currency":"","Total":"","Created at":"2024-03-05 10:00:00 +0000","Lineitem quantity":"1","Lineitem name":"Gone","Lineitem price":"5.00","Lineitem sku":"GONE","_error":{"field":"cost","column":"Lineitem sku","value":"GONE","expected":"key with a '\''Cost per item'\'' in products_export_1.csv"},"_src":"orders_export_1.csv","_line":5}'
}

@test "lookup: a required lookup rejects an empty key and a key whose value is empty" {
	products
	required_spec
	printf '%s\n' 'Created at,Lineitem quantity,Lineitem sku' \
	    '2024-03-04 09:00:00 +0000,1,' '2024-03-04 09:00:00 +0000,1,X-1' \
	    '2024-03-04 09:00:00 +0000,3,A-2' >o.csv
	run -1 --separate-stderr normalize o.csv --spec items.json --stats
	assert_output '{"time":"2024-03-04T09:00:00Z","quantity":3,"cost":36,"_dataset":"line_items","_src":"o.csv","_line":4}'
	assert_stderr "kpi-normalize: o.csv:2: field 'cost': no 'Cost per item' for '' in products_export_1.csv
kpi-normalize: o.csv:3: field 'cost': no 'Cost per item' for 'X-1' in products_export_1.csv
kpi-normalize: 3 rows in, 1 out, 2 rejected, 0 dropped, 0 folded, 0 duplicates; 2 missed a lookup"
}

@test "lookup: the spec's file is read beside the spec; --lookup overrides it; NDJSON and gzip references" {
	products
	required_spec
	mkdir sub
	mv items.json products_export_1.csv sub/
	printf '%s\n' 'Created at,Lineitem quantity,Lineitem sku' \
	    '2024-03-04 09:00:00 +0000,2,B-1' >o.csv
	run -0 --separate-stderr normalize o.csv --spec sub/items.json
	assert_output '{"time":"2024-03-04T09:00:00Z","quantity":2,"cost":30,"_dataset":"line_items","_src":"o.csv","_line":2}'
	printf '%s\n' '{"Variant SKU":"B-1","Cost per item":1.25}' >costs.ndjson
	gzip -c costs.ndjson >costs.ndjson.gz
	for ref in costs.ndjson costs.ndjson.gz; do
		run -0 --separate-stderr normalize o.csv --spec sub/items.json \
		    --lookup products=$ref
		assert_stderr ''
		assert_output '{"time":"2024-03-04T09:00:00Z","quantity":2,"cost":2.5,"_dataset":"line_items","_src":"o.csv","_line":2}'
	done
}

@test "lookup: a mapping file of one's own gives a channel per campaign; a string value, no type error" {
	printf '%s\n' 'campaign,channel' 'spring_sale,Paid Social' \
	    'newsletter_03,Email' 'spring_sale,Paid Social' >channels.csv
	cat >visits.json <<-'EOF'
	{"dataset": "traffic",
	 "fields": [
	  {"name": "time", "from": "Date", "type": "date"},
	  {"name": "channel", "from": "Campaign", "type": "string",
	   "lookup": {"file": "channels.csv", "key": "campaign", "value": "channel"}},
	  {"name": "sessions", "from": "Sessions", "type": "integer"}]}
	EOF
	printf '%s\n' 'Date,Campaign,Sessions' '2024-03-04,spring_sale,120' \
	    '2024-03-04,unknown_ad,7' '2024-03-05,newsletter_03,30' >visits.csv
	# spring_sale comes twice with the same channel: one key.
	run -0 --separate-stderr normalize visits.csv --spec visits.json --stats
	assert_output '{"time":"2024-03-04","channel":"Paid Social","sessions":120,"_dataset":"traffic","_src":"visits.csv","_line":2}
{"time":"2024-03-04","channel":null,"sessions":7,"_dataset":"traffic","_src":"visits.csv","_line":3}
{"time":"2024-03-05","channel":"Email","sessions":30,"_dataset":"traffic","_src":"visits.csv","_line":4}'
	assert_stderr 'kpi-normalize: 3 rows in, 3 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates; 1 missed a lookup'
}

@test "lookup: a bad reference is an error before any output, naming its line" {
	required_spec
	printf 'x\n' >in.csv
	printf '%s\n' 'Variant SKU,Cost per item' 'A,1.00' 'A,2.00' >products_export_1.csv
	run -2 --separate-stderr kpi-normalize --spec items.json in.csv
	assert_output ''
	assert_stderr "kpi-normalize: products_export_1.csv:3: key 'A' has another 'Cost per item' than on line 2"
	printf '%s\n' 'Variant SKU,Cost per item' 'A,1.00' 'B,cheap' >products_export_1.csv
	run -2 --separate-stderr kpi-normalize --spec items.json in.csv
	assert_stderr "kpi-normalize: products_export_1.csv:3: column 'Cost per item': 'cheap' is not money"
	printf '%s\n' 'SKU,Cost per item' 'A,1.00' >products_export_1.csv
	run -2 --separate-stderr kpi-normalize --spec items.json in.csv
	assert_stderr "kpi-normalize: products_export_1.csv:2: no column 'Variant SKU', the key of lookup 'products'"
	rm products_export_1.csv
	run -2 --separate-stderr kpi-normalize --spec items.json in.csv
	assert_stderr "kpi-normalize: products_export_1.csv: No such file or directory"
}

@test "lookup: --lookup errors: a name the spec lacks, no '=': exit 2" {
	run -2 --separate-stderr kpi-normalize --preset shopify-orders \
	    --lookup product=p.csv </dev/null
	assert_stderr "kpi-normalize: no lookup 'product' in the spec; its lookups: products"
	run -2 --separate-stderr kpi-normalize --preset ga4 --lookup products=p.csv </dev/null
	assert_stderr "kpi-normalize: no lookup 'products' in the spec"
	run -2 --separate-stderr kpi-normalize --preset shopify-orders --lookup products </dev/null
	assert_stderr "kpi-normalize: bad --lookup (expected name=file) 'products'"
}

# spec_error FIELDS MESSAGE: a spec of FIELDS is an error saying MESSAGE.
spec_error() {
	printf '{"fields":[%s]}\n' "$1" >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	[[ $stderr == "kpi-normalize: s.json:"*": $2" ]] ||
	    { echo "stderr: $stderr"; echo "want: $2"; false; }
}

@test "lookup: spec errors for lookup, times, between and unit" {
	local t='{"name":"t","from":"T","type":"time"}'
	local u='{"name":"u","from":"U","type":"time"}'
	local q='{"name":"q","from":"Q","type":"integer"}'
	spec_error '{"name":"c","from":"S","type":"money","lookup":{"key":"K"}}' \
	    "field 1 ('c'): 'lookup' needs \"key\" and \"value\", the reference's columns"
	spec_error '{"name":"c","from":"S","type":"money","lookup":{"key":"K","value":"V","by":"S"}}' \
	    "field 1 ('c'): unknown key of 'lookup' 'by' (one of name, file, key, value, required)"
	spec_error '{"name":"c","value":1,"lookup":{"key":"K","value":"V"}}' \
	    "field 1 ('c'): 'lookup' needs 'from' and 'type', not 'value' or 'currency_from_header'"
	spec_error '{"name":"a","from":"S","type":"money","lookup":{"name":"p","file":"a.csv","key":"K","value":"V"}},{"name":"b","from":"S","type":"money","lookup":{"name":"p","file":"b.csv","key":"K","value":"W"}}' \
	    "field 2 ('b'): lookup 'p' is given another file or key by a field before"
	spec_error "$q"',{"name":"c","from":"C","type":"string","times":"q"}' \
	    "field 2 ('c'): 'times' is for number, money, integer and duration fields"
	spec_error '{"name":"c","from":"C","type":"money","times":"q"},'"$q" \
	    "field 1 ('c'): field 'q' comes after this one: name a field before it"
	spec_error "$t"',{"name":"c","from":"C","type":"money","times":"t"}' \
	    "field 2 ('c'): field 't' is not of type integer, number or percent"
	spec_error "$t,$q"',{"name":"h","between":["t","q"]}' \
	    "field 3 ('h'): field 'q' is not of type time or date"
	spec_error "$t"',{"name":"h","between":["t","nope"]}' \
	    "field 2 ('h'): no field 'nope'"
	spec_error "$t,$u"',{"name":"h","between":["t","u"],"unit":"weeks"}' \
	    "field 3 ('h'): unknown unit 'weeks' (one of seconds, minutes, hours, days)"
	spec_error "$t,$u"',{"name":"h","between":["t","u"],"type":"number"}' \
	    "field 3 ('h'): 'between' goes without 'from', 'type', 'value', 'lookup' and 'currency_from_header'"
	spec_error "$t"',{"name":"h","from":"H","type":"number","unit":"hours"}' \
	    "field 2 ('h'): 'unit' is for 'between' fields"
	spec_error "$t"',{"name":"d","from":"D","type":"date"},{"name":"h","between":["t","d"]}' \
	    "field 3 ('h'): 'between' needs two time fields or two date fields"
}

@test "durations: seconds by default, minutes and days, dates, negative, null" {
	cat >s.json <<-'EOF'
	{"fields": [
	  {"name": "a", "from": "A", "type": "time"},
	  {"name": "b", "from": "B", "type": "time"},
	  {"name": "s", "between": ["a", "b"]},
	  {"name": "m", "between": ["a", "b"], "unit": "minutes"},
	  {"name": "d1", "from": "D1", "type": "date"},
	  {"name": "d2", "from": "D2", "type": "date"},
	  {"name": "days", "between": ["d1", "d2"], "unit": "days"}]}
	EOF
	# 09:00:00 to 09:01:30.5 is 90.5 s, 1.5083 min; back again is -90.5 s;
	# 2024-02-28 to 2024-03-01 is 2 days (a leap year).
	printf '%s\n' 'A,B,D1,D2' \
	    '2024-03-04 09:00:00,2024-03-04 09:01:30.5,2024-02-28,2024-03-01' \
	    '2024-03-04 09:01:30.5,2024-03-04 09:00:00,2024-03-01,2024-03-01' \
	    '2024-03-04 09:00:00,,,2024-03-01' >d.csv
	run -0 --separate-stderr normalize d.csv --spec s.json
	assert_stderr ''
	run -0 sh -c "sed 's/.*\"s\":\\([^,]*\\),\"m\":\\([^,]*\\),.*\"days\":\\([^,]*\\),.*/\\1 \\2 \\3/'" <<<"$output"
	assert_output '90.5 1.5083333333333333 2
-90.5 -1.5083333333333333 0
null null null'
}

@test "margin: extract, normalize with lookup, aggregate and kpi-goal: margin_45 met at 0.45 exactly" {
	products
	orders
	set -o pipefail
	kpi-extract orders_export_1.csv |
	    kpi-normalize --preset shopify-orders --lookup products=products_export_1.csv |
	    kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --metrics revenue,cost,gross_margin,fulfillment_hours >points.ndjson
	run -0 cat points.ndjson
	assert_output '{"metric":"revenue",'"$W10"',"value":200,"format":"money"}
{"metric":"revenue",'"$W11"',"value":10,"format":"money"}
{"metric":"cost",'"$W10"',"value":110,"format":"money","direction":"lower"}
{"metric":"cost",'"$W11"',"value":4,"format":"money","direction":"lower"}
{"metric":"gross_margin",'"$W10"',"value":0.45,"format":"percent"}
{"metric":"gross_margin",'"$W11"',"value":0.6,"format":"percent"}
{"metric":"fulfillment_hours",'"$W10"',"value":12,"direction":"lower"}
{"metric":"fulfillment_hours",'"$W11"',"value":null,"direction":"lower"}'
	run -0 --separate-stderr kpi-goal --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --as-of 2024-03-17 points.ndjson
	assert_stderr ''
	# W10 met at the target exactly (gap 0); W11's gap is 0.6 - 0.45 in
	# doubles.
	run -0 grep -F '"name":"margin_45"' <<<"$output"
	assert_output '{"metric":"gross_margin",'"$W10"',"value":0.45,"format":"percent","goal":{"name":"margin_45","kind":"at_least","direction":"higher","target":0.45},"status":"met","target":0.45,"gap":0,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null}
{"metric":"gross_margin",'"$W11"',"value":0.6,"format":"percent","goal":{"name":"margin_45","kind":"at_least","direction":"higher","target":0.45},"status":"met","target":0.45,"gap":0.15,"progress":null,"expected":1,"projected":null,"projection":null,"projection_points":null}'
}

@test "margin: the bundled sample exports give margin_45 a value (89.65 / 165.1)" {
	# pipelines/samples: six orders in 2024-W10, totals 21.95 + 39.15 + 34
	# + 19.95 + 36 + 42 = 193.05; costs 7.20 (box) + 3 x 2.95 + 2 x 3.60
	# (#1045) + 15.30 (pot) + 2 x 2.40 (#1043) + 4 x 3.60 (#1042) + 15.30 +
	# 2.40 (#1041) = 75.45.  Revenue is net of refunds (a refunded 19.95
	# and a partial 8.00, whose goods still cost): 165.10; margin
	# (165.10 - 75.45) / 165.10 = 0.5430.
	local s=$KPI_ROOT/pipelines/samples
	set -o pipefail
	kpi-extract "$s/orders_export_1.csv" |
	    kpi-normalize --preset shopify-orders --lookup "products=$s/products_export_1.csv" |
	    kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --metrics cost,gross_margin >points.ndjson
	run -0 cat points.ndjson
	assert_output '{"metric":"cost",'"$W10"',"value":75.45,"format":"money","direction":"lower"}
{"metric":"gross_margin",'"$W10"',"value":0.5430042398546335,"format":"percent"}'
	run -0 --separate-stderr kpi-goal --defs "$KPI_ROOT/pipelines/kpis.json" \
	    --as-of 2024-03-10 points.ndjson
	run -0 grep -F '"name":"margin_45"' <<<"$output"
	[[ $output == *'"value":0.5430042398546335,'*'"status":"met","target":0.45,'* ]]
}

@test "margin: the README's lookup example on the sample exports" {
	cd "$KPI_ROOT"
	run -0 --separate-stderr bash -c 'S=pipelines/samples
	    kpi-extract $S/orders_export_1.csv |
	    kpi-normalize --stats --preset shopify-orders --lookup products=$S/products_export_1.csv |
	    kpi-aggregate --defs pipelines/kpis.json --metrics gross_margin,fulfillment_hours'
	assert_stderr 'kpi-normalize: 8 rows in, 6 out, 0 rejected, 0 dropped, 2 folded, 0 duplicates; 0 missed a lookup'
	# Fulfilment hours of the five fulfilled orders: 7.54 (#1041), 20.76,
	# 12.79 (#1043), 8.28, 46.21 (#1045): median 12.79, #1043's 6 March
	# 21:14:38 to 7 March 10:02:18, 12 h 47 min 40 s.
	assert_output '{"metric":"gross_margin",'"$W10"',"value":0.5430042398546335,"format":"percent"}
{"metric":"fulfillment_hours",'"$W10"',"value":12.794444444444444,"direction":"lower"}'
}

@test "lookup: a products export given an orders preset, and the other way, names the preset to try" {
	cd "$FIXTURES"
	run -2 --separate-stderr normalize presets/shopify_products.csv --preset shopify-orders
	assert_stderr "kpi-normalize: presets/shopify_products.csv:2: none of the spec's columns is here ('Created at', 'Name', 'Email', 'Total', 'Subtotal' and 15 more); try --preset shopify-products"
	run -2 --separate-stderr normalize presets/shopify_73col.csv --preset shopify-products
	assert_stderr "kpi-normalize: presets/shopify_73col.csv:2: no column 'Handle', which the spec requires; try --preset shopify-line-items or --preset shopify-orders"
}
