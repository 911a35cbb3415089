#!/usr/bin/env bats
# kpi-normalize: the general behaviour, with small mapping specs written by
# the tests (the presets have their own suite): types and formats, time
# zones, field mapping, --keep, drop rules, folding, rejected rows, --stats,
# currency conversion, command line and output errors.  Input rows are
# NDJSON as kpi-extract writes them, or a small CSV piped through it.

load test_helper

setup() {
	work
}

NORMALIZE_USAGE='usage: kpi-normalize [--keep] [--no-dedup] [--progress] [--stats]
                     [--currency code] [--rates file] [--rejects file]
                     [--source-currency code] [--tz zone]
                     [--lookup name=file ...] [--set name=value ...]
                     (--preset name | --spec file) [file ...]
       kpi-normalize --list-presets
       kpi-normalize --show-preset name'

# typed TYPE FIELD_KEYS SPEC_KEYS [option ...] < table
#
# Normalises one field "v" of TYPE (with the extra field keys FIELD_KEYS,
# such as ',"decimal":","', and spec keys SPEC_KEYS, such as '"tz":"UTC",')
# over rows made from the table, whose lines are "RAW<tab>WANT": RAW the
# source value as JSON, WANT the typed value as JSON.  Every row must come
# out, in order, exit 0, nothing on stderr.
typed() {
	local type=$1 keys=$2 skeys=$3 raw want n=1 exp=
	shift 3
	printf '{"dataset":"t",%s"fields":[{"name":"v","from":"V","type":"%s"%s}]}\n' \
	    "$skeys" "$type" "$keys" >t.json
	: >t.ndjson
	while IFS=$'\t' read -r raw want; do
		n=$((n + 1))
		printf '{"V":%s,"_src":"t.csv","_line":%d}\n' "$raw" "$n" >>t.ndjson
		exp+="{\"v\":$want,\"_dataset\":\"t\",\"_src\":\"t.csv\",\"_line\":$n}"$'\n'
	done
	run --separate-stderr kpi-normalize "$@" --spec t.json t.ndjson
	assert_output "${exp%$'\n'}" || return 1
	assert_stderr '' || return 1
	[ "$status" -eq 0 ] || { echo "status $status"; return 1; }
}

# rejected TYPE FIELD_KEYS SPEC_KEYS [option ...] < values
#
# As typed, but every value (one a line, plain text without '"' or '\')
# must be rejected as not TYPE: nothing on stdout, one line each on stderr,
# exit 1.
rejected() {
	local type=$1 keys=$2 skeys=$3 v n=1 exp=
	shift 3
	printf '{"dataset":"t",%s"fields":[{"name":"v","from":"V","type":"%s"%s}]}\n' \
	    "$skeys" "$type" "$keys" >t.json
	: >t.ndjson
	while IFS= read -r v; do
		n=$((n + 1))
		printf '{"V":"%s","_src":"t.csv","_line":%d}\n' "$v" "$n" >>t.ndjson
		exp+="kpi-normalize: t.csv:$n: field 'v': '$v' is not $type"$'\n'
	done
	run --separate-stderr kpi-normalize "$@" --spec t.json t.ndjson
	assert_output '' || return 1
	assert_stderr "${exp%$'\n'}" || return 1
	[ "$status" -eq 1 ] || { echo "status $status"; return 1; }
}

# --- numbers -------------------------------------------------------------

@test "normalize: number: thousands separators, sign, fraction, exponent" {
	nbsp=$'\xc2\xa0' nnbsp=$'\xe2\x80\xaf'
	typed number '' '' <<-EOF
	"1,234.50"	1234.5
	"1234.50"	1234.5
	"-1,234.50"	-1234.5
	"+3"	3
	"1 234.50"	1234.5
	"1${nbsp}234.50"	1234.5
	"1${nnbsp}234.50"	1234.5
	"1'234.50"	1234.5
	"1,234,567"	1234567
	"0.5"	0.5
	"1e21"	1e+21
	"2.5E-3"	0.0025
	EOF
}

@test "normalize: number: decimal comma, spec-wide and per field" {
	typed number '' '"decimal":",",' <<-'EOF'
	"1.234,50"	1234.5
	"1 234,50"	1234.5
	"12,5"	12.5
	"-0,5"	-0.5
	"1.234.567"	1234567
	EOF
	typed number ',"decimal":","' '' <<-'EOF'
	"1.234,50"	1234.5
	EOF
	typed number ',"decimal":"."' '"decimal":",",' <<-'EOF'
	"1,234.50"	1234.5
	EOF
}

@test "normalize: number: parentheses are negative, -0 is 0" {
	typed number '' '' <<-'EOF'
	"(12.00)"	-12
	"(1,234.50)"	-1234.5
	"-0"	0
	"-0.00"	0
	"(0)"	0
	EOF
}

@test "normalize: number: WooCommerce's '-42 and tab-prefixed -123" {
	typed number '' '' <<-'EOF'
	"'-42"	-42
	"\t-123"	-123
	EOF
}

@test "normalize: number: a JSON number in the source is taken as it is" {
	typed number '' '' <<-'EOF'
	12.5	12.5
	-3	-3
	0	0
	EOF
}

@test "normalize: number: text that is not a number rejects the row" {
	rejected number '' '' <<-'EOF'
	12,3x
	abc
	1.234,50
	12.5.1
	EOF
}

@test "normalize: null markers of every kind, for every type" {
	for type in string number integer money percent boolean time date; do
		typed "$type" ',"null":["(none)"]' '' <<-'EOF' || { echo "type $type"; false; }
		""	null
		" "	null
		"-"	null
		"--"	null
		"—"	null
		"N/A"	null
		"n/a"	null
		"NA"	null
		"null"	null
		"NULL"	null
		" N/A "	null
		" -- "	null
		"(none)"	null
		null	null
		EOF
	done
}

@test "normalize: a field's null list adds markers only to that field" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[
	 {"name":"a","from":"A","type":"number","null":["none"]},
	 {"name":"b","from":"B","type":"string"}]}
	EOF
	printf '{"A":"none","B":"none","_src":"t.csv","_line":2}\n' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"a":null,"b":"none","_dataset":"t","_src":"t.csv","_line":2}'
	assert_stderr ''
}

@test "normalize: integer: integral values only, no exponent" {
	typed integer '' '' <<-'EOF'
	"3"	3
	"1,000"	1000
	"-2"	-2
	"64517.0"	64517
	"(5)"	-5
	EOF
	rejected integer '' '' <<-'EOF'
	1.5
	1.20253E+17
	1e3
	three
	EOF
}

@test "normalize: money: symbols and ISO codes before or after, signs either side" {
	typed money '' '' <<-'EOF'
	"£1,234.50"	1234.5
	"$12.00"	12
	"-$3.00"	-3
	"$-12.00"	-12
	"USD 12"	12
	"12 EUR"	12
	"12.50€"	12.5
	"€12.50"	12.5
	"¥1200"	1200
	"₹99.50"	99.5
	"MX$1,000"	1000
	"A$5"	5
	"C$5"	5
	"US$5"	5
	"37.10"	37.1
	"(12.00)"	-12
	EOF
	typed money '' '"decimal":",",' <<-'EOF'
	"€1.234,50"	1234.5
	"1.234,50 EUR"	1234.5
	EOF
	rejected money '' '' <<-'EOF'
	12,3x
	$
	12 dollars
	EOF
}

@test "normalize: money: scale multiplies after parsing (cents)" {
	typed money ',"scale":0.01' '' <<-'EOF'
	"1250"	12.5
	"-300"	-3
	EOF
}

@test "normalize: percent: 2.35% is 0.0235, a bare number is a fraction already" {
	typed percent '' '' <<-'EOF'
	"2.35%"	0.0235
	"100%"	1
	"-5%"	-0.05
	"0.67"	0.67
	"0"	0
	EOF
	typed percent '' '"decimal":",",' <<-'EOF'
	"12,5%"	0.125
	EOF
	rejected percent '' '' <<-'EOF'
	< 10%
	%
	EOF
}

@test "normalize: monthly: amounts per interval become amounts per month" {
	cat >s.json <<-'EOF'
	{"dataset":"subs","fields":[
	 {"name":"mrr","from":"Amount","type":"money",
	  "monthly":{"interval":"Interval","count":"Interval Count"}}]}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Amount":"120.00","Interval":"year","Interval Count":"1","_src":"s.csv","_line":2}
	{"Amount":"120.00","Interval":"year","Interval Count":"2","_src":"s.csv","_line":3}
	{"Amount":"120.00","Interval":"month","Interval Count":"3","_src":"s.csv","_line":4}
	{"Amount":"12.00","Interval":"month","Interval Count":"1","_src":"s.csv","_line":5}
	{"Amount":"12.00","Interval":"day","Interval Count":"1","_src":"s.csv","_line":6}
	EOF
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"mrr":10,"_dataset":"subs","_src":"s.csv","_line":2}
{"mrr":5,"_dataset":"subs","_src":"s.csv","_line":3}
{"mrr":40,"_dataset":"subs","_src":"s.csv","_line":4}
{"mrr":12,"_dataset":"subs","_src":"s.csv","_line":5}
{"mrr":365.2425,"_dataset":"subs","_src":"s.csv","_line":6}'
	assert_stderr ''
}

# --- booleans and strings ----------------------------------------------------

@test "normalize: boolean: the usual words in any case, and the field's own" {
	typed boolean ',"true":["Enabled"],"false":["Paused"]' '' <<-'EOF'
	"true"	true
	"false"	false
	"TRUE"	true
	"False"	false
	"yes"	true
	"No"	false
	"y"	true
	"N"	false
	"1"	true
	"0"	false
	"t"	true
	"F"	false
	"Enabled"	true
	"Paused"	false
	true	true
	false	false
	EOF
	rejected boolean '' '' <<-'EOF'
	maybe
	2
	EOF
}

@test "normalize: string: one leading apostrophe removed by default; lower" {
	typed string '' '' <<-'EOF'
	"'02134"	"02134"
	"''x"	"'x"
	"O'Brien"	"O'Brien"
	"#1001"	"#1001"
	" padded "	" padded "
	EOF
	typed string ',"apostrophe":false' '' <<-'EOF'
	"'02134"	"'02134"
	EOF
	typed string ',"lower":true' '' <<-'EOF'
	"Priya.Shah@Example.COM"	"priya.shah@example.com"
	EOF
}

@test "normalize: string: a JSON number in the source becomes its text" {
	typed string '' '' <<-'EOF'
	12	"12"
	1.50	"1.50"
	EOF
}

# --- times -----------------------------------------------------------------

@test "normalize: time auto: RFC 3339 and ISO 8601 forms, offsets kept" {
	typed time '' '' <<-'EOF'
	"2024-01-05T14:02:11-05:00"	"2024-01-05T14:02:11-05:00"
	"2024-01-05T14:02:11Z"	"2024-01-05T14:02:11Z"
	"2024-01-05T14:02:11+00:00"	"2024-01-05T14:02:11Z"
	"2024-01-05T14:02:11+0530"	"2024-01-05T14:02:11+05:30"
	"2024-01-05 14:02:11"	"2024-01-05T14:02:11Z"
	"2024-01-05T14:02"	"2024-01-05T14:02:00Z"
	"2024-01-05 14:02+01:00"	"2024-01-05T14:02:00+01:00"
	EOF
}

@test "normalize: time auto: Shopify's '2024-01-05 14:02:11 -0500'" {
	typed time '' '' <<-'EOF'
	"2024-01-05 14:02:11 -0500"	"2024-01-05T14:02:11-05:00"
	"2024-03-10 19:41:05 +0000"	"2024-03-10T19:41:05Z"
	EOF
}

@test "normalize: time: milliseconds only when not zero" {
	typed time '' '' <<-'EOF'
	"2024-01-05T14:02:11.250Z"	"2024-01-05T14:02:11.250Z"
	"2024-01-05T14:02:11.000Z"	"2024-01-05T14:02:11Z"
	"2024-01-05T14:02:11.5+01:00"	"2024-01-05T14:02:11.500+01:00"
	EOF
}

@test "normalize: time auto: dates alone are 00:00, YYYYMMDD and YYYY-M-D too" {
	typed time '' '' <<-'EOF'
	"2024-01-05"	"2024-01-05T00:00:00Z"
	"2024-1-5"	"2024-01-05T00:00:00Z"
	"20240105"	"2024-01-05T00:00:00Z"
	EOF
}

@test "normalize: time auto never guesses day/month order" {
	rejected time '' '' <<-'EOF'
	05/01/2024
	01/05/2024
	5 Jan 2024
	EOF
}

@test "normalize: time: 24:00 is the next day's 00:00" {
	typed time '' '' <<-'EOF'
	"2024-01-05 24:00:00"	"2024-01-06T00:00:00Z"
	"2023-12-31T24:00:00Z"	"2024-01-01T00:00:00Z"
	"2024-02-28T24:00"	"2024-02-29T00:00:00Z"
	EOF
}

@test "normalize: time: leap day exists in 2024, not in 2023 or 1900" {
	typed time '' '' <<-'EOF'
	"2024-02-29"	"2024-02-29T00:00:00Z"
	"2000-02-29 12:00"	"2000-02-29T12:00:00Z"
	EOF
	rejected time '' '' <<-'EOF'
	2023-02-29
	1900-02-29
	2024-13-01
	2024-04-31
	2024-01-05T25:00:00
	EOF
}

@test "normalize: time formats: rfc3339, yyyymmdd, epoch, epoch_ms" {
	typed time ',"format":"rfc3339"' '' <<-'EOF'
	"2024-01-05T14:02:11-05:00"	"2024-01-05T14:02:11-05:00"
	EOF
	rejected time ',"format":"rfc3339"' '' <<-'EOF'
	20240105
	EOF
	typed time ',"format":"yyyymmdd"' '' <<-'EOF'
	"20240105"	"2024-01-05T00:00:00Z"
	EOF
	rejected time ',"format":"yyyymmdd"' '' <<-'EOF'
	2024-01-05
	20240230
	EOF
	typed time ',"format":"epoch"' '' <<-'EOF'
	"1704463331"	"2024-01-05T14:02:11Z"
	1704463331	"2024-01-05T14:02:11Z"
	"0"	"1970-01-01T00:00:00Z"
	EOF
	typed time ',"format":"epoch_ms"' '' <<-'EOF'
	"1704463331250"	"2024-01-05T14:02:11.250Z"
	"1704463331000"	"2024-01-05T14:02:11Z"
	EOF
}

@test "normalize: time format: a pattern, and an array of them (first that parses wins)" {
	typed time ',"format":"%d/%m/%Y"' '' <<-'EOF'
	"05/01/2024"	"2024-01-05T00:00:00Z"
	"29/02/2024"	"2024-02-29T00:00:00Z"
	EOF
	rejected time ',"format":"%d/%m/%Y"' '' <<-'EOF'
	2024-01-05
	31/02/2024
	EOF
	typed time ',"format":["%d/%m/%Y %H:%M","%d/%m/%Y"]' '' <<-'EOF'
	"05/01/2024 09:30"	"2024-01-05T09:30:00Z"
	"05/01/2024"	"2024-01-05T00:00:00Z"
	EOF
	typed time ',"format":["rfc3339","%m/%d/%Y"]' '' <<-'EOF'
	"2024-01-05T14:02:11Z"	"2024-01-05T14:02:11Z"
	"01/05/2024"	"2024-01-05T00:00:00Z"
	EOF
}

@test "normalize: --tz Europe/London: zone-less times in summer and winter" {
	typed time '' '' --tz Europe/London <<-'EOF'
	"2024-07-01 12:00"	"2024-07-01T12:00:00+01:00"
	"2024-01-05 12:00"	"2024-01-05T12:00:00Z"
	"2024-07-01"	"2024-07-01T00:00:00+01:00"
	"2024-07-01T12:00:00Z"	"2024-07-01T12:00:00Z"
	"2024-07-01T12:00:00-05:00"	"2024-07-01T12:00:00-05:00"
	EOF
}

@test "normalize: the spec's tz, and --tz overriding it" {
	typed time '' '"tz":"Europe/London",' <<-'EOF'
	"2024-07-01 12:00"	"2024-07-01T12:00:00+01:00"
	EOF
	typed time '' '"tz":"Europe/London",' --tz America/New_York <<-'EOF'
	"2024-07-01 12:00"	"2024-07-01T12:00:00-04:00"
	EOF
	typed time '' '"tz":"UTC",' <<-'EOF'
	"2024-07-01 12:00"	"2024-07-01T12:00:00Z"
	EOF
}

@test "normalize: --tz America/New_York: DST gap moves forward, overlap takes the first" {
	typed time '' '' --tz America/New_York <<-'EOF'
	"2024-03-10 01:59:59"	"2024-03-10T01:59:59-05:00"
	"2024-03-10 02:00"	"2024-03-10T03:00:00-04:00"
	"2024-03-10 02:30"	"2024-03-10T03:30:00-04:00"
	"2024-03-10 03:00"	"2024-03-10T03:00:00-04:00"
	"2024-11-03 00:59"	"2024-11-03T00:59:00-04:00"
	"2024-11-03 01:30"	"2024-11-03T01:30:00-04:00"
	"2024-11-03 02:00"	"2024-11-03T02:00:00-05:00"
	"2024-01-05 14:02:11"	"2024-01-05T14:02:11-05:00"
	EOF
}

@test "normalize: an epoch is an instant, shown at the zone's offset" {
	typed time ',"format":"epoch"' '' --tz America/New_York <<-'EOF'
	"1704463331"	"2024-01-05T09:02:11-05:00"
	EOF
}

@test "normalize: digits a double cannot hold are rejects that say so, text or JSON" {
	printf '{"dataset":"t","fields":[{"name":"i","from":"I","type":"integer"},{"name":"n","from":"N","type":"number"}]}\n' >t.json
	cat >t.ndjson <<-'EOF'
	{"I":"9007199254740993","N":"1","_src":"t.csv","_line":2}
	{"I":"1","N":"18446744073709551616","_src":"t.csv","_line":3}
	{"I":"1","N":"1e-400","_src":"t.csv","_line":4}
	{"I":9007199254740993,"N":1e-400,"_src":"t.csv","_line":5}
	{"I":1,"N":18446744073709551616,"_src":"t.csv","_line":6}
	{"I":"9007199254740991","N":"1e21","_src":"t.csv","_line":7}
	EOF
	run -1 --separate-stderr kpi-normalize --spec t.json t.ndjson
	assert_output '{"i":9007199254740991,"n":1e+21,"_dataset":"t","_src":"t.csv","_line":7}'
	assert_stderr "kpi-normalize: t.csv:2: field 'i': '9007199254740993' is not integer below 2^53 in magnitude
kpi-normalize: t.csv:3: field 'n': '18446744073709551616' is not number below 2^53 in magnitude
kpi-normalize: t.csv:4: field 'n': '1e-400' is not number of magnitude 0 or at least 2.2e-308
kpi-normalize: t.csv:5: field 'i': '9007199254740993' is not integer below 2^53 in magnitude
kpi-normalize: t.csv:6: field 'n': '18446744073709551616' is not number below 2^53 in magnitude"
}

@test "normalize: times outside the years 1 to 9999 are rejects that say so" {
	typed time ',"format":"epoch"' '' <<-'EOF'
	"-62135596800"	"0001-01-01T00:00:00Z"
	"253402300799"	"9999-12-31T23:59:59Z"
	EOF
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"time","format":"epoch"}]}\n' >t.json
	printf '{"V":"%s","_src":"t.csv","_line":%d}\n' -62135596801 2 253402318800 3 \
	    -99999999999 4 >t.ndjson
	run -1 --separate-stderr kpi-normalize --spec t.json --tz America/New_York t.ndjson
	assert_output ''
	assert_stderr "kpi-normalize: t.csv:2: field 'v': '-62135596801' is not time in the years 1 to 9999
kpi-normalize: t.csv:3: field 'v': '253402318800' is not time in the years 1 to 9999
kpi-normalize: t.csv:4: field 'v': '-99999999999' is not time in the years 1 to 9999"
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"date","format":"epoch"}]}\n' >t.json
	run -1 --separate-stderr kpi-normalize --spec t.json t.ndjson
	[ "${stderr%%$'\n'*}" = "kpi-normalize: t.csv:2: field 'v': '-62135596801' is not date in the years 1 to 9999" ]
}

@test "normalize: date: the calendar date as written, no zone conversion" {
	typed date '' '' <<-'EOF'
	"2024-01-05"	"2024-01-05"
	"2024-01-05T23:30:00-05:00"	"2024-01-05"
	"2024-01-05 00:30:00 +0100"	"2024-01-05"
	"20240105"	"2024-01-05"
	"2024-1-5"	"2024-01-05"
	EOF
	typed date '' '' --tz Pacific/Auckland <<-'EOF'
	"2024-01-05T23:30:00-05:00"	"2024-01-05"
	"2024-01-05 23:30"	"2024-01-05"
	EOF
	typed date ',"format":"%d/%m/%Y"' '' <<-'EOF'
	"05/01/2024"	"2024-01-05"
	EOF
	rejected date '' '' <<-'EOF'
	2023-02-29
	05/01/2024
	EOF
}

# --- mapping -----------------------------------------------------------------

@test "normalize: fields in spec order, then _dataset, _src, _line; records keep their own _src/_line" {
	cat >s.json <<-'EOF'
	{"dataset":"orders","fields":[
	 {"name":"time","from":"Created at","type":"time"},
	 {"name":"order_id","from":"Name","type":"string"},
	 {"name":"revenue","from":"Total","type":"money","currency_field":"currency"},
	 {"name":"currency","from":"Currency","type":"string"},
	 {"name":"items","from":"Qty","type":"integer"}]}
	EOF
	printf '%s\n' \
	    '{"Qty":"3","Currency":"USD","Total":"37.10","Name":"#1001","Created at":"2024-01-05 14:02:11 -0500","_src":"orders.csv","_line":2}' >a.ndjson
	printf '%s\n' \
	    '{"Name":"#1002","Created at":"2024-01-06 09:00:00 -0500","Total":"5.00","Currency":"USD","Qty":"1","_src":"exports.zip:b.csv","_line":7}' >b.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json a.ndjson b.ndjson
	assert_output '{"time":"2024-01-05T14:02:11-05:00","order_id":"#1001","revenue":37.1,"currency":"USD","items":3,"_dataset":"orders","_src":"orders.csv","_line":2}
{"time":"2024-01-06T09:00:00-05:00","order_id":"#1002","revenue":5,"currency":"USD","items":1,"_dataset":"orders","_src":"exports.zip:b.csv","_line":7}'
	assert_stderr ''
}

@test "normalize: rows from kpi-extract on a pipe" {
	printf '{"dataset":"t","fields":[{"name":"n","from":"N","type":"integer"},{"name":"v","from":"V","type":"string"}]}\n' >s.json
	printf 'N,V\n1,a\n2,"b,c"\n' >t.csv
	run -0 --separate-stderr bash -c 'kpi-extract t.csv | kpi-normalize --spec s.json'
	assert_output '{"n":1,"v":"a","_dataset":"t","_src":"t.csv","_line":2}
{"n":2,"v":"b,c","_dataset":"t","_src":"t.csv","_line":3}'
	assert_stderr ''
	run -0 --separate-stderr bash -c 'kpi-extract <t.csv | kpi-normalize --spec s.json -'
	assert_output '{"n":1,"v":"a","_dataset":"t","_src":"<stdin>","_line":2}
{"n":2,"v":"b,c","_dataset":"t","_src":"<stdin>","_line":3}'
}

@test "normalize: a record without _src/_line gets the input's name and line" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"number"}]}\n' >s.json
	printf '{"V":"1"}\n\n{"V":"2"}\n' >plain.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json plain.ndjson
	assert_output '{"v":1,"_dataset":"t","_src":"plain.ndjson","_line":1}
{"v":2,"_dataset":"t","_src":"plain.ndjson","_line":3}'
	assert_stderr ''
	run -0 --separate-stderr bash -c 'printf "{\"V\":\"1\"}\n" | kpi-normalize --spec s.json'
	assert_output '{"v":1,"_dataset":"t","_src":"<stdin>","_line":1}'
}

@test "normalize: a missing source column is null, never omitted" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[
	 {"name":"order_id","from":"Name","type":"string"},
	 {"name":"coupon","from":"Discount Code","type":"string"},
	 {"name":"revenue","from":"Total","type":"money"}]}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Name":"#1","_src":"o.csv","_line":2}
	{"Name":"#2","Discount Code":"SPRING","Total":"5","_src":"o.csv","_line":3}
	{"Name":"#3","Discount Code":null,"Total":"","_src":"o.csv","_line":4}
	EOF
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"order_id":"#1","coupon":null,"revenue":null,"_dataset":"t","_src":"o.csv","_line":2}
{"order_id":"#2","coupon":"SPRING","revenue":5,"_dataset":"t","_src":"o.csv","_line":3}
{"order_id":"#3","coupon":null,"revenue":null,"_dataset":"t","_src":"o.csv","_line":4}'
	assert_stderr ''
}

@test "normalize: from candidates: the first column present in the row wins" {
	printf '{"dataset":"t","fields":[{"name":"time","from":["Created at","Created"],"type":"time"}]}\n' >s.json
	cat >r.ndjson <<-'EOF'
	{"Created at":"2024-01-05","Created":"2024-02-01","_src":"o.csv","_line":2}
	{"Created":"2024-02-01","Created at":"2024-01-05","_src":"o.csv","_line":3}
	{"Created":"2024-02-01","_src":"o.csv","_line":4}
	{"Other":"x","_src":"o.csv","_line":5}
	EOF
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"time":"2024-01-05T00:00:00Z","_dataset":"t","_src":"o.csv","_line":2}
{"time":"2024-01-05T00:00:00Z","_dataset":"t","_src":"o.csv","_line":3}
{"time":"2024-02-01T00:00:00Z","_dataset":"t","_src":"o.csv","_line":4}
{"time":null,"_dataset":"t","_src":"o.csv","_line":5}'
	assert_stderr ''
}

@test "normalize: from candidates: a present but empty column still wins (null)" {
	printf '{"dataset":"t","fields":[{"name":"time","from":["Created at","Created"],"type":"time"}]}\n' >s.json
	printf '{"Created at":"","Created":"2024-02-01","_src":"o.csv","_line":2}\n' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"time":null,"_dataset":"t","_src":"o.csv","_line":2}'
	assert_stderr ''
}

@test "normalize: constants: value gives any JSON value" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[
	 {"name":"source","value":"shopify"},
	 {"name":"n","from":"N","type":"integer"},
	 {"name":"weight","value":1.5},
	 {"name":"flag","value":true},
	 {"name":"none","value":null},
	 {"name":"tags","value":["a", "b"]}]}
	EOF
	printf '{"N":"7","_src":"o.csv","_line":2}\n{"_src":"o.csv","_line":3}\n' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"source":"shopify","n":7,"weight":1.5,"flag":true,"none":null,"tags":["a","b"],"_dataset":"t","_src":"o.csv","_line":2}
{"source":"shopify","n":null,"weight":1.5,"flag":true,"none":null,"tags":["a","b"],"_dataset":"t","_src":"o.csv","_line":3}'
	assert_stderr ''
}

@test "normalize: --keep: unmapped columns as they came, after the fields" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[
	 {"name":"order_id","from":"Name","type":"string"},
	 {"name":"revenue","from":"Total","type":"money"}]}
	EOF
	printf '%s\n' '{"Note":"hi, there","Name":"#1","Total":"5.00","Tags":"","Qty":3,"_src":"o.csv","_line":2}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --keep --spec s.json r.ndjson
	assert_output '{"order_id":"#1","revenue":5,"Note":"hi, there","Tags":"","Qty":3,"_dataset":"t","_src":"o.csv","_line":2}'
	assert_stderr ''
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"order_id":"#1","revenue":5,"_dataset":"t","_src":"o.csv","_line":2}'
}

# --- drop rules ------------------------------------------------------------

@test "normalize: drop rules: in, prefix, empty, any_field prefix" {
	cat >s.json <<-'EOF'
	{"dataset":"ads","fields":[
	 {"name":"day","from":"Day","type":"date"},
	 {"name":"campaign","from":"Campaign","type":"string"},
	 {"name":"clicks","from":"Clicks","type":"integer"}],
	 "drop":[
	 {"field":"Status","in":["voided","test"]},
	 {"field":"Campaign","prefix":"Total:"},
	 {"any_field":true,"prefix":"Total:"},
	 {"field":"Campaign","empty":true}]}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Day":"2024-03-04","Campaign":"Brand","Status":"paid","Clicks":"15","_src":"a.csv","_line":2}
	{"Day":"2024-03-04","Campaign":"Brand","Status":"voided","Clicks":"1","_src":"a.csv","_line":3}
	{"Day":"2024-03-04","Campaign":"Brand","Status":"test","Clicks":"1","_src":"a.csv","_line":4}
	{"Day":"2024-03-04","Campaign":"Total: account","Status":"","Clicks":"1","_src":"a.csv","_line":5}
	{"Day":"Total: 7 days","Campaign":"Brand","Status":"","Clicks":"1,2x","_src":"a.csv","_line":6}
	{"Day":"2024-03-04","Campaign":"","Status":"paid","Clicks":"1","_src":"a.csv","_line":7}
	{"Day":"2024-03-05","Campaign":"Shopping","Status":"refunded","Clicks":"2","_src":"a.csv","_line":8}
	{"Day":"2024-03-05","Campaign":"Sale Total: x","Status":"paid","Clicks":"3","_src":"a.csv","_line":9}
	EOF
	run -0 --separate-stderr kpi-normalize --stats --spec s.json r.ndjson
	assert_output '{"day":"2024-03-04","campaign":"Brand","clicks":15,"_dataset":"ads","_src":"a.csv","_line":2}
{"day":"2024-03-05","campaign":"Shopping","clicks":2,"_dataset":"ads","_src":"a.csv","_line":8}
{"day":"2024-03-05","campaign":"Sale Total: x","clicks":3,"_dataset":"ads","_src":"a.csv","_line":9}'
	assert_stderr 'kpi-normalize: 8 rows in, 3 out, 0 rejected, 5 dropped, 0 folded, 0 duplicates'
}

@test "normalize: drop empty matches \"\" and null; drop missing matches an absent column" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[{"name":"campaign","from":"Campaign","type":"string"}],
	 "drop":[{"field":"Campaign","empty":true}]}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Campaign":"","_src":"a.csv","_line":2}
	{"Campaign":null,"_src":"a.csv","_line":3}
	{"Other":"x","_src":"a.csv","_line":4}
	{"Campaign":"Brand","_src":"a.csv","_line":5}
	EOF
	run -0 --separate-stderr kpi-normalize --stats --spec s.json r.ndjson
	assert_output '{"campaign":null,"_dataset":"t","_src":"a.csv","_line":4}
{"campaign":"Brand","_dataset":"t","_src":"a.csv","_line":5}'
	assert_stderr 'kpi-normalize: 4 rows in, 2 out, 0 rejected, 2 dropped, 0 folded, 0 duplicates'
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[{"name":"campaign","from":"Campaign","type":"string"}],
	 "drop":[{"field":"Campaign","missing":true}]}
	EOF
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"campaign":null,"_dataset":"t","_src":"a.csv","_line":2}
{"campaign":null,"_dataset":"t","_src":"a.csv","_line":3}
{"campaign":"Brand","_dataset":"t","_src":"a.csv","_line":5}'
	assert_stderr ''
}

@test "normalize: a drop rule with no kind, or two kinds, is a spec error" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}],"drop":[{"field":"V"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*drop rule 1.*$"
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}],"drop":[{"field":"V","empty":true,"prefix":"x"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*drop rule 1.*$"
}

# --- folding ---------------------------------------------------------------

@test "normalize: fold: consecutive rows with the same key are one entity (sum, first)" {
	cat >s.json <<-'EOF'
	{"dataset":"orders","fields":[
	 {"name":"order_id","from":"Name","type":"string"},
	 {"name":"email","from":"Email","type":"string"},
	 {"name":"revenue","from":"Total","type":"money"},
	 {"name":"items","from":"Qty","type":"integer","fold":"sum"}],
	 "fold":{"key":"Name"}}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Name":"#1001","Email":"","Total":"37.10","Qty":"2","_src":"o.csv","_line":2}
	{"Name":"#1001","Email":"a@example.com","Total":"","Qty":"1","_src":"o.csv","_line":3}
	{"Name":"#1001","Email":"b@example.com","Total":"99","Qty":"4","_src":"o.csv","_line":5}
	{"Name":"#1002","Email":"c@example.com","Total":"5.00","Qty":"1","_src":"o.csv","_line":6}
	{"Name":"#1001","Email":"d@example.com","Total":"9.00","Qty":"1","_src":"o.csv","_line":7}
	EOF
	run -0 --separate-stderr kpi-normalize --stats --spec s.json r.ndjson
	assert_output '{"order_id":"#1001","email":"a@example.com","revenue":37.1,"items":7,"_dataset":"orders","_src":"o.csv","_line":2}
{"order_id":"#1002","email":"c@example.com","revenue":5,"items":1,"_dataset":"orders","_src":"o.csv","_line":6}
{"order_id":"#1001","email":"d@example.com","revenue":9,"items":1,"_dataset":"orders","_src":"o.csv","_line":7}'
	assert_stderr 'kpi-normalize: 5 rows in, 3 out, 0 rejected, 0 dropped, 2 folded, 0 duplicates'
}

@test "normalize: fold: last, max, min, count over an entity's values" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[
	 {"name":"id","from":"Id","type":"string"},
	 {"name":"first","from":"N","type":"number"},
	 {"name":"sum","from":"N","type":"number","fold":"sum"},
	 {"name":"last","from":"N","type":"number","fold":"last"},
	 {"name":"max","from":"N","type":"number","fold":"max"},
	 {"name":"min","from":"N","type":"number","fold":"min"},
	 {"name":"count","from":"N","type":"number","fold":"count"}],
	 "fold":{"key":"Id"}}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Id":"a","N":"3","_src":"f.csv","_line":2}
	{"Id":"a","N":"","_src":"f.csv","_line":3}
	{"Id":"a","N":"5","_src":"f.csv","_line":4}
	{"Id":"a","N":"1","_src":"f.csv","_line":5}
	{"Id":"a","N":"","_src":"f.csv","_line":6}
	{"Id":"b","N":"","_src":"f.csv","_line":7}
	EOF
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"id":"a","first":3,"sum":9,"last":1,"max":5,"min":1,"count":3,"_dataset":"t","_src":"f.csv","_line":2}
{"id":"b","first":null,"sum":null,"last":null,"max":null,"min":null,"count":0,"_dataset":"t","_src":"f.csv","_line":7}'
	assert_stderr ''
}

@test "normalize: fold: the last entity is written at the end of the input, whole" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[{"name":"id","from":"Id","type":"string"},
	 {"name":"n","from":"N","type":"integer","fold":"sum"}],"fold":{"key":"Id"}}
	EOF
	printf '{"Id":"a","N":"1","_src":"f.csv","_line":2}\n{"Id":"a","N":"2","_src":"f.csv","_line":3}\n' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"id":"a","n":3,"_dataset":"t","_src":"f.csv","_line":2}'
	assert_stderr ''
}

@test "normalize: fold: a rejected later row is rejected alone; a rejected first row takes its entity" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[{"name":"id","from":"Id","type":"string"},
	 {"name":"n","from":"N","type":"integer","fold":"sum"}],"fold":{"key":"Id"}}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Id":"a","N":"1","_src":"f.csv","_line":2}
	{"Id":"a","N":"x","_src":"f.csv","_line":3}
	{"Id":"a","N":"2","_src":"f.csv","_line":4}
	{"Id":"b","N":"y","_src":"f.csv","_line":5}
	{"Id":"b","N":"2","_src":"f.csv","_line":6}
	{"Id":"c","N":"1","_src":"f.csv","_line":7}
	EOF
	run -1 --separate-stderr kpi-normalize --stats --spec s.json r.ndjson
	assert_output '{"id":"a","n":3,"_dataset":"t","_src":"f.csv","_line":2}
{"id":"c","n":1,"_dataset":"t","_src":"f.csv","_line":7}'
	[ "${#stderr_lines[@]}" -eq 4 ]
	[ "${stderr_lines[0]}" = "kpi-normalize: f.csv:3: field 'n': 'x' is not integer" ]
	[ "${stderr_lines[1]}" = "kpi-normalize: f.csv:5: field 'n': 'y' is not integer" ]
	[[ ${stderr_lines[2]} == 'kpi-normalize: f.csv:6: '* ]]
	[ "${stderr_lines[3]}" = 'kpi-normalize: 6 rows in, 2 out, 3 rejected, 0 dropped, 1 folded, 0 duplicates' ]
	run -0 --separate-stderr kpi-normalize --rejects rej.ndjson --spec s.json r.ndjson
	assert_stderr ''
	[ "$(sed 's/"_error":{[^}]*},//' rej.ndjson)" = '{"Id":"a","N":"x","_src":"f.csv","_line":3}
{"Id":"b","N":"y","_src":"f.csv","_line":5}
{"Id":"b","N":"2","_src":"f.csv","_line":6}' ]
}

# --- rejected rows -----------------------------------------------------------

reject_setup() {
	cat >s.json <<-'EOF'
	{"dataset":"orders","fields":[
	 {"name":"order_id","from":"Name","type":"string"},
	 {"name":"revenue","from":"Total","type":"money"},
	 {"name":"items","from":"Qty","type":"integer"}]}
	EOF
	cat >r.ndjson <<-'EOF'
	{"Name":"#1001","Total":"37.10","Qty":"2","_src":"orders.csv","_line":2}
	{"Name":"#1002","Total":"12,3x","Qty":"1","n":1.50,"o":{"a":[1,2]},"_src":"orders.csv","_line":3}
	{"Name":"#1003","Total":"5.00","Qty":"1.5","_src":"orders.csv","_line":4}
	{"Name":"#1004","Total":"6","Qty":"1","_src":"orders.csv","_line":5}
	{"Name":"#1005","Total":"x","Qty":"y","_extra":["z"],"_src":"orders.csv","_line":6}
	EOF
}

GOOD_ROWS='{"order_id":"#1001","revenue":37.1,"items":2,"_dataset":"orders","_src":"orders.csv","_line":2}
{"order_id":"#1004","revenue":6,"items":1,"_dataset":"orders","_src":"orders.csv","_line":5}'

@test "normalize: rejected rows without --rejects: one stderr line each, other rows out, exit 1" {
	reject_setup
	run -1 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output "$GOOD_ROWS"
	assert_stderr "kpi-normalize: orders.csv:3: field 'revenue': '12,3x' is not money
kpi-normalize: orders.csv:4: field 'items': '1.5' is not integer
kpi-normalize: orders.csv:6: field 'revenue': 'x' is not money"
}

@test "normalize: --rejects FILE: the raw row with _error before _src/_line, exit 0" {
	reject_setup
	run -0 --separate-stderr kpi-normalize --rejects rej.ndjson --spec s.json r.ndjson
	assert_output "$GOOD_ROWS"
	assert_stderr ''
	run cat rej.ndjson
	assert_output '{"Name":"#1002","Total":"12,3x","Qty":"1","n":1.50,"o":{"a":[1,2]},"_error":{"field":"revenue","column":"Total","value":"12,3x","expected":"money"},"_src":"orders.csv","_line":3}
{"Name":"#1003","Total":"5.00","Qty":"1.5","_error":{"field":"items","column":"Qty","value":"1.5","expected":"integer"},"_src":"orders.csv","_line":4}
{"Name":"#1005","Total":"x","Qty":"y","_extra":["z"],"_error":{"field":"revenue","column":"Total","value":"x","expected":"money"},"_src":"orders.csv","_line":6}'
}

@test "normalize: --rejects output can be read again once mended" {
	reject_setup
	kpi-normalize --rejects rej.ndjson --spec s.json r.ndjson >/dev/null
	sed 's/"_error":{[^}]*},//; s/12,3x/12.30/; s/"1\.5"/"1"/; s/"x"/"7"/; s/"y"/"1"/' rej.ndjson >mended.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json mended.ndjson
	assert_output '{"order_id":"#1002","revenue":12.3,"items":1,"_dataset":"orders","_src":"orders.csv","_line":3}
{"order_id":"#1003","revenue":5,"items":1,"_dataset":"orders","_src":"orders.csv","_line":4}
{"order_id":"#1005","revenue":7,"items":1,"_dataset":"orders","_src":"orders.csv","_line":6}'
	assert_stderr ''
}

@test "normalize: --rejects with nothing rejected leaves an empty file" {
	reject_setup
	grep -v -e 12,3x -e '"1.5"' -e '"x"' r.ndjson >ok.ndjson
	run -0 --separate-stderr kpi-normalize --rejects rej.ndjson --spec s.json ok.ndjson
	assert_output "$GOOD_ROWS"
	[ -f rej.ndjson ] && [ ! -s rej.ndjson ]
}

@test "normalize: a rejection names the row's _src/_line from kpi-extract on stdin" {
	printf '{"dataset":"t","fields":[{"name":"revenue","from":"Total","type":"money"}]}\n' >s.json
	run -1 --separate-stderr bash -c "printf 'Total\n1.00\n\"12,3x\"\n' | kpi-extract | kpi-normalize --spec s.json"
	assert_output '{"revenue":1,"_dataset":"t","_src":"<stdin>","_line":2}'
	assert_stderr "kpi-normalize: <stdin>:3: field 'revenue': '12,3x' is not money"
}

@test "normalize: --rejects file that cannot be opened: exit 2 before any output" {
	reject_setup
	run -2 --separate-stderr kpi-normalize --rejects nodir/rej.ndjson --spec s.json r.ndjson
	assert_output ''
	assert_stderr 'kpi-normalize: nodir/rej.ndjson: No such file or directory'
}

# --- --stats -------------------------------------------------------------------

stats_setup() {
	cat >s.json <<-'EOF'
	{"dataset":"orders","fields":[
	 {"name":"order_id","from":"Name","type":"string"},
	 {"name":"revenue","from":"Total","type":"money"},
	 {"name":"items","from":"Qty","type":"integer","fold":"sum"}],
	 "drop":[{"field":"Status","in":["voided"]}],
	 "fold":{"key":"Name"}}
	EOF
	{
		for i in 1 2 3 4 5 6 7 8; do
			printf '{"Name":"#%s","Total":"%s.00","Qty":"1","Status":"paid","_src":"messy.csv","_line":%s}\n' \
			    "$((1000 + i))" "$i" "$((i + 1))"
		done
		printf '%s\n' \
		    '{"Name":"#1008","Total":"","Qty":"2","Status":"","_src":"messy.csv","_line":10}' \
		    '{"Name":"#1009","Total":"12,3x","Qty":"1","Status":"paid","_src":"messy.csv","_line":11}' \
		    '{"Name":"#1010","Total":"3.00","Qty":"1","Status":"voided","_src":"messy.csv","_line":12}' \
		    '{"Name":"#1011","Total":"£4.00","Qty":"1","Status":"paid","_src":"messy.csv","_line":13}'
	} >messy.ndjson
}

@test "normalize: --stats: in = out + rejected + dropped + folded" {
	stats_setup
	run -1 --separate-stderr kpi-normalize --stats --spec s.json messy.ndjson
	[ "${#lines[@]}" -eq 9 ]
	[ "${lines[7]}" = '{"order_id":"#1008","revenue":8,"items":3,"_dataset":"orders","_src":"messy.csv","_line":9}' ]
	[ "${lines[8]}" = '{"order_id":"#1011","revenue":4,"items":1,"_dataset":"orders","_src":"messy.csv","_line":13}' ]
	assert_stderr "kpi-normalize: messy.csv:11: field 'revenue': '12,3x' is not money
kpi-normalize: 12 rows in, 9 out, 1 rejected, 1 dropped, 1 folded, 0 duplicates"
}

@test "normalize: --stats with --rejects: the same counts, exit 0" {
	stats_setup
	run -0 --separate-stderr kpi-normalize --stats --rejects rej.ndjson --spec s.json messy.ndjson
	[ "${#lines[@]}" -eq 9 ]
	assert_stderr 'kpi-normalize: 12 rows in, 9 out, 1 rejected, 1 dropped, 1 folded, 0 duplicates'
	[ "$(wc -l <rej.ndjson)" -eq 1 ]
}

@test "normalize: --stats with no input rows" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	run -0 --separate-stderr kpi-normalize --stats --spec s.json </dev/null
	assert_output ''
	assert_stderr 'kpi-normalize: 0 rows in, 0 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

@test "normalize: --stats in the singular: 1 row in" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	run -0 --separate-stderr bash -c 'echo "{\"V\":\"a\"}" | kpi-normalize --stats --spec s.json'
	assert_stderr 'kpi-normalize: 1 row in, 1 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

# --- currency conversion -------------------------------------------------------

rates_setup() {
	cat >s.json <<-'EOF'
	{"dataset":"orders","fields":[
	 {"name":"time","from":"Created at","type":"time"},
	 {"name":"revenue","from":"Total","type":"money","currency_field":"currency"},
	 {"name":"shipping","from":"Shipping","type":"money","currency_field":"currency"},
	 {"name":"currency","from":"Currency","type":"string"}]}
	EOF
	cat >rates.csv <<-'EOF'
	date,currency,rate
	2024-01-01,EUR,0.5
	2024-01-05,EUR,0.75
	2024-01-01,USD,0.25
	EOF
	cat >r.ndjson <<-'EOF'
	{"Created at":"2024-01-04T23:30:00-05:00","Total":"10.00","Shipping":"2.00","Currency":"EUR","_src":"o.csv","_line":2}
	{"Created at":"2024-01-05 10:00","Total":"10.00","Shipping":"2.00","Currency":"EUR","_src":"o.csv","_line":3}
	{"Created at":"2024-01-09 10:00","Total":"10.00","Shipping":"","Currency":"EUR","_src":"o.csv","_line":4}
	{"Created at":"2024-01-05 10:00","Total":"10.00","Shipping":"1.00","Currency":"GBP","_src":"o.csv","_line":5}
	{"Created at":"2024-02-01 10:00","Total":"4.00","Shipping":"0.00","Currency":"USD","_src":"o.csv","_line":6}
	{"Created at":"2024-01-05 10:00","Total":"10.00","Shipping":"1.00","Currency":"CHF","_src":"o.csv","_line":7}
	{"Created at":"2023-12-31 10:00","Total":"10.00","Shipping":"1.00","Currency":"EUR","_src":"o.csv","_line":8}
	EOF
}

RATED_ROWS='{"time":"2024-01-04T23:30:00-05:00","revenue":5,"shipping":1,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":2}
{"time":"2024-01-05T10:00:00Z","revenue":7.5,"shipping":1.5,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":3}
{"time":"2024-01-09T10:00:00Z","revenue":7.5,"shipping":null,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":4}
{"time":"2024-01-05T10:00:00Z","revenue":10,"shipping":1,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":5}
{"time":"2024-02-01T10:00:00Z","revenue":1,"shipping":0,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":6}'

@test "normalize: --rates/--currency: latest rate on or before the row's local date" {
	rates_setup
	run -0 --separate-stderr kpi-normalize --rates rates.csv --currency GBP --rejects rej.ndjson --spec s.json r.ndjson
	assert_output "$RATED_ROWS"
	assert_stderr ''
	run cat rej.ndjson
	assert_output '{"Created at":"2024-01-05 10:00","Total":"10.00","Shipping":"1.00","Currency":"CHF","_error":{"field":"revenue","column":"Total","value":"10.00","expected":"rate for CHF on 2024-01-05"},"_src":"o.csv","_line":7}
{"Created at":"2023-12-31 10:00","Total":"10.00","Shipping":"1.00","Currency":"EUR","_error":{"field":"revenue","column":"Total","value":"10.00","expected":"rate for EUR on 2023-12-31"},"_src":"o.csv","_line":8}'
}

@test "normalize: --rates: converted money in the currency's minor unit, halves away from zero on the exact product" {
	rates_setup
	cat >rates.csv <<-'EOF'
	date,currency,rate
	2024-01-01,EUR,1.1655
	2024-01-01,GBP,0.5
	2024-01-01,USD,157.625
	EOF
	cat >r.ndjson <<-'EOF'
	{"Created at":"2024-01-05 10:00","Total":"39.15","Shipping":"10.05","Currency":"EUR","_src":"o.csv","_line":2}
	{"Created at":"2024-01-05 10:00","Total":"-10.05","Shipping":"0.01","Currency":"GBP","_src":"o.csv","_line":3}
	{"Created at":"2024-01-05 10:00","Total":"10.00","Shipping":"1.00","Currency":"USD","_src":"o.csv","_line":4}
	{"Created at":"2024-01-05 10:00","Total":"3","Shipping":"1","Currency":"JPY","_src":"o.csv","_line":5}
	EOF
	# 39.15 x 1.1655 = 45.629325; 10.05 x 0.5 = 5.025, whose doubles'
	# product is 5.02499...; a yen has no minor unit, a dinar three places.
	run -0 --separate-stderr kpi-normalize --rates rates.csv --currency JPY --spec s.json r.ndjson
	assert_output '{"time":"2024-01-05T10:00:00Z","revenue":46,"shipping":12,"currency":"JPY","_dataset":"orders","_src":"o.csv","_line":2}
{"time":"2024-01-05T10:00:00Z","revenue":-5,"shipping":0,"currency":"JPY","_dataset":"orders","_src":"o.csv","_line":3}
{"time":"2024-01-05T10:00:00Z","revenue":1576,"shipping":158,"currency":"JPY","_dataset":"orders","_src":"o.csv","_line":4}
{"time":"2024-01-05T10:00:00Z","revenue":3,"shipping":1,"currency":"JPY","_dataset":"orders","_src":"o.csv","_line":5}'
	sed -i 's/,USD,/,KWD,/; s/"USD"/"KWD"/; s/"JPY"/"EUR"/' rates.csv r.ndjson
	run -0 --separate-stderr kpi-normalize --rates rates.csv --currency GBP --spec s.json r.ndjson
	assert_output '{"time":"2024-01-05T10:00:00Z","revenue":45.63,"shipping":11.71,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":2}
{"time":"2024-01-05T10:00:00Z","revenue":-10.05,"shipping":0.01,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":3}
{"time":"2024-01-05T10:00:00Z","revenue":1576.25,"shipping":157.63,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":4}
{"time":"2024-01-05T10:00:00Z","revenue":3.5,"shipping":1.17,"currency":"GBP","_dataset":"orders","_src":"o.csv","_line":5}'
	run -0 --separate-stderr kpi-normalize --rates rates.csv --currency KWD --spec s.json r.ndjson
	assert_output '{"time":"2024-01-05T10:00:00Z","revenue":45.629,"shipping":11.713,"currency":"KWD","_dataset":"orders","_src":"o.csv","_line":2}
{"time":"2024-01-05T10:00:00Z","revenue":-5.025,"shipping":0.005,"currency":"KWD","_dataset":"orders","_src":"o.csv","_line":3}
{"time":"2024-01-05T10:00:00Z","revenue":10,"shipping":1,"currency":"KWD","_dataset":"orders","_src":"o.csv","_line":4}
{"time":"2024-01-05T10:00:00Z","revenue":3.497,"shipping":1.166,"currency":"KWD","_dataset":"orders","_src":"o.csv","_line":5}'
}

@test "normalize: --rates: a missing rate without --rejects is reported, exit 1" {
	rates_setup
	run -1 --separate-stderr kpi-normalize --rates rates.csv --currency GBP --spec s.json r.ndjson
	assert_output "$RATED_ROWS"
	assert_stderr "kpi-normalize: o.csv:7: field 'revenue': no rate for CHF on 2024-01-05
kpi-normalize: o.csv:8: field 'revenue': no rate for EUR on 2023-12-31"
}

@test "normalize: --rates without --currency, or --currency without --rates: usage error" {
	rates_setup
	run -2 --separate-stderr kpi-normalize --rates rates.csv --spec s.json r.ndjson
	assert_output ''
	[[ ${stderr_lines[0]} =~ ^kpi-normalize:\ .*--currency ]] || { echo "stderr: $stderr"; false; }
	run -2 --separate-stderr kpi-normalize --currency GBP --spec s.json r.ndjson
	assert_output ''
	[[ ${stderr_lines[0]} =~ ^kpi-normalize:\ .*--rates ]] || { echo "stderr: $stderr"; false; }
}

@test "normalize: --rates: a day the month does not have is a bad date" {
	rates_setup
	printf '2024-02-30,EUR,0.5\n' >>rates.csv
	run -2 --separate-stderr kpi-normalize --rates rates.csv --currency GBP --spec s.json r.ndjson
	assert_output ''
	assert_stderr "kpi-normalize: rates.csv:5: bad date '2024-02-30'"
}

@test "normalize: every kind of rejection, on stderr and in _error" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[{"name":"id","from":"Id","type":"string"},
	 {"name":"time","from":"T","type":"time"},
	 {"name":"n","from":"N","type":"money","currency_field":"cur","fold":"sum"},
	 {"name":"cur","from":"C","type":"string"}],"fold":{"key":"Id"}}
	EOF
	printf 'date,currency,rate\n2024-01-01,EUR,0.5\n' >rates.csv
	cat >r.ndjson <<-'EOF'
	{"Id":"a","T":"2024-01-02T00:00:00Z","N":"1","C":"EUR","_src":"f.csv","_line":2}
	{"Id":"b","T":"","N":"1","C":"EUR","_src":"f.csv","_line":3}
	{"Id":"b","T":"2024-01-02T00:00:00Z","N":"2","C":"EUR","_src":"f.csv","_line":4}
	{"Id":"c","T":"2024-01-02T00:00:00Z","N":"x","C":"EUR","_src":"f.csv","_line":5}
	{"Id":"d","T":"2023-01-02T00:00:00Z","N":"3","C":"EUR","_src":"f.csv","_line":6}
	EOF
	run -1 --separate-stderr kpi-normalize --rates rates.csv --currency GBP --spec s.json r.ndjson
	assert_output '{"id":"a","time":"2024-01-02T00:00:00Z","n":0.5,"cur":"GBP","_dataset":"t","_src":"f.csv","_line":2}'
	[ "${#stderr_lines[@]}" -eq 4 ]
	[[ ${stderr_lines[0]} == "kpi-normalize: f.csv:3: field 'n': no "*"time to pick a rate by" ]]
	[ "${stderr_lines[1]}" = "kpi-normalize: f.csv:4: belongs to an entity whose first row was rejected" ]
	[ "${stderr_lines[2]}" = "kpi-normalize: f.csv:5: field 'n': 'x' is not money" ]
	[ "${stderr_lines[3]}" = "kpi-normalize: f.csv:6: field 'n': no rate for EUR on 2023-01-02" ]
	run -0 --separate-stderr kpi-normalize --rates rates.csv --currency GBP --spec s.json --rejects rej.ndjson r.ndjson
	assert_stderr ''
	run cat rej.ndjson
	assert_output '{"Id":"b","T":"","N":"1","C":"EUR","_error":{"field":"n","column":"N","value":"1","expected":"a time to pick a rate by"},"_src":"f.csv","_line":3}
{"Id":"b","T":"2024-01-02T00:00:00Z","N":"2","C":"EUR","_error":{"field":"","column":"Id","value":"b","expected":"its first row, which was rejected"},"_src":"f.csv","_line":4}
{"Id":"c","T":"2024-01-02T00:00:00Z","N":"x","C":"EUR","_error":{"field":"n","column":"N","value":"x","expected":"money"},"_src":"f.csv","_line":5}
{"Id":"d","T":"2023-01-02T00:00:00Z","N":"3","C":"EUR","_error":{"field":"n","column":"N","value":"3","expected":"rate for EUR on 2023-01-02"},"_src":"f.csv","_line":6}'
}

@test "normalize: --rates file missing: exit 2 before any output" {
	rates_setup
	run -2 --separate-stderr kpi-normalize --rates nosuch.csv --currency GBP --spec s.json r.ndjson
	assert_output ''
	assert_stderr 'kpi-normalize: nosuch.csv: No such file or directory'
}

# --- spec and option errors -------------------------------------------------------

@test "normalize: neither --preset nor --spec, or both: usage error, exit 2" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize </dev/null
	assert_output ''
	[[ $stderr == *"$NORMALIZE_USAGE" ]] || { echo "stderr: $stderr"; false; }
	run -2 --separate-stderr kpi-normalize --preset ga4 --spec s.json </dev/null
	assert_output ''
	[[ $stderr == *"$NORMALIZE_USAGE" ]] || { echo "stderr: $stderr"; false; }
}

@test "normalize: unknown preset: exit 2" {
	run -2 --separate-stderr kpi-normalize --preset nosuch </dev/null
	assert_output ''
	assert_stderr "kpi-normalize: unknown preset 'nosuch' (kpi-normalize --list-presets lists them)"
	run -2 --separate-stderr kpi-normalize --show-preset nosuch
	assert_output ''
	assert_stderr "kpi-normalize: unknown preset 'nosuch' (kpi-normalize --list-presets lists them)"
}

@test "normalize: an unknown preset near a real one: did you mean it" {
	run -2 --separate-stderr kpi-normalize --preset shopify-order </dev/null
	assert_output ''
	assert_stderr "kpi-normalize: unknown preset 'shopify-order': did you mean 'shopify-orders'? (kpi-normalize --list-presets lists them)"
	run -2 --separate-stderr kpi-normalize --show-preset googleads
	assert_stderr "kpi-normalize: unknown preset 'googleads': did you mean 'google-ads'? (kpi-normalize --list-presets lists them)"
}

@test "normalize: a CSV given instead of records: run kpi-extract first" {
	printf 'Name,Total\n#1,2.00\n' >o.csv
	run -2 --separate-stderr kpi-normalize --preset shopify-orders o.csv
	assert_output ''
	assert_stderr "kpi-normalize: o.csv:1:1: not kpi records, one JSON object a line: read CSV and other exports with kpi-extract first"
}

@test "normalize: a spec value of the wrong JSON type says what it is and what is expected" {
	printf '{"dataset":"t","fields":[{"name":"a","from":"A","type":"number","scale":"abc"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:1:73: field 1 ('a'): 'scale' is a string where a number is expected"
	printf '{"dataset":"t","fields":[{"name":"a","from":"A","type":"string","lower":"yes"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:1:73: field 1 ('a'): 'lower' is a string where true or false is expected"
	printf '{"dataset":"t","fields":[{"name":"a","from":"A","type":"numbr"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:1:56: field 1 ('a'): unknown type 'numbr': did you mean 'number'? (one of string, integer, number, money, percent, boolean, time, date, channel)"
}

@test "normalize: --list-presets names each preset once, sorted; --show-preset prints a spec" {
	run -0 --separate-stderr kpi-normalize --list-presets
	assert_output 'ga4
google-ads
judgeme-reviews
klaviyo-campaigns
meta-ads
shopify-line-items
shopify-orders
shopify-product-reviews
shopify-products
stripe-payments
stripe-subscriptions
trustpilot-reviews
woocommerce-orders
yotpo-reviews'
	assert_stderr ''
	for p in "${lines[@]}"; do
		kpi-normalize --show-preset "$p" >"$p.json"
		if command -v jq >/dev/null 2>&1; then
			jq -e 'has("dataset") and has("fields")' "$p.json" >/dev/null
		fi
		run -0 --separate-stderr kpi-normalize --spec "$p.json" </dev/null
		assert_stderr '' || { echo "preset $p"; false; }
	done
}

@test "normalize: --spec file missing: exit 2" {
	run -2 --separate-stderr kpi-normalize --spec nosuch.json </dev/null
	assert_output ''
	assert_stderr 'kpi-normalize: nosuch.json: No such file or directory'
}

@test "normalize: spec not valid JSON: exit 2, the spec's line and column" {
	printf '{"dataset": "t",\n "fields": [\n  {"name": "v" "from": "V"}\n]}\n' >bad.json
	printf '{"V":"1","_src":"t.csv","_line":2}\n' >r.ndjson
	run -2 --separate-stderr kpi-normalize --spec bad.json r.ndjson
	assert_output ''
	assert_stderr_line "^kpi-normalize: bad\.json:3:[0-9]+: .+$"
}

@test "normalize: unknown type: exit 2, naming the field" {
	printf '{"dataset":"t","fields":[\n {"name":"id","from":"Id","type":"string"},\n {"name":"revenue","from":"Total","type":"cash"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr "kpi-normalize: s.json:3:42: field 2 ('revenue'): unknown type 'cash' (one of string, integer, number, money, percent, boolean, time, date, channel)"
}

@test "normalize: unknown key, field named twice, bad pattern, no name: exit 2" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","colour":"red"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*unknown key 'colour'$"
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"},{"name":"v","from":"W","type":"string"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*'v'.*$"
	printf '{"dataset":"t","fields":[{"name":"t","from":"T","type":"time","format":"%%d/%%Q"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*%d/%Q.*$"
	printf '{"dataset":"t","fields":[{"from":"V","type":"string"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*name.*$"
	printf '{"dataset":"t","decimal":";","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: s\.json(:[0-9]+:[0-9]+)?: .*decimal.*$"
}

@test "normalize: a spec error comes before any output, whatever the input" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"cash"}]}\n' >s.json
	printf '{"V":"1","_src":"t.csv","_line":2}\n' >r.ndjson
	run -2 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output ''
}

@test "normalize: bad --tz: exit 2" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --tz Mars/Olympus --spec s.json </dev/null
	assert_output ''
	assert_stderr "kpi-normalize: unknown time zone 'Mars/Olympus'"
	run -2 --separate-stderr kpi-normalize --tz ../../etc/passwd --spec s.json </dev/null
	assert_output ''
	assert_stderr "kpi-normalize: unknown time zone '../../etc/passwd'"
}

@test "normalize: bad tz in the spec: exit 2" {
	printf '{"dataset":"t","tz":"Mars/Olympus","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_output ''
	assert_stderr_line "^kpi-normalize: .*unknown time zone 'Mars/Olympus'$"
}

# --- inputs and output -------------------------------------------------------------

@test "normalize: input that is not JSON: exit 2 with file:line, next input still read" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	printf 'V\n1\n' >rows.csv
	printf '{"V":"a","_src":"t.csv","_line":2}\n' >ok.ndjson
	run -2 --separate-stderr kpi-normalize --spec s.json rows.csv ok.ndjson
	assert_output '{"v":"a","_dataset":"t","_src":"t.csv","_line":2}'
	assert_stderr_line "^kpi-normalize: rows\.csv:1(:[0-9]+)?: .+$"
}

@test "normalize: missing input file: message, other files read, exit 2" {
	printf '{"dataset":"t","fields":[{"name":"v","from":"V","type":"string"}]}\n' >s.json
	printf '{"V":"a","_src":"t.csv","_line":2}\n' >ok.ndjson
	run -2 --separate-stderr kpi-normalize --spec s.json nosuch.ndjson ok.ndjson
	assert_output '{"v":"a","_dataset":"t","_src":"t.csv","_line":2}'
	assert_stderr 'kpi-normalize: nosuch.ndjson: No such file or directory'
}

@test "normalize: reader leaving early (| head -n 1): exit 0, nothing on stderr" {
	printf '{"dataset":"t","fields":[{"name":"n","from":"n","type":"integer"},{"name":"v","from":"v","type":"string"}]}\n' >s.json
	seq_csv big.csv 20000
	kpi-extract big.csv >big.ndjson
	run -0 --separate-stderr bash -c 'kpi-normalize --spec s.json big.ndjson | head -n 1; echo "rc=${PIPESTATUS[0]}"'
	assert_output '{"n":1,"v":"row-1-end","_dataset":"t","_src":"big.csv","_line":2}
rc=0'
	assert_stderr ''
}

@test "normalize: a big input comes out whole and in order" {
	printf '{"dataset":"t","fields":[{"name":"n","from":"n","type":"integer"},{"name":"v","from":"v","type":"string"}]}\n' >s.json
	seq_csv big.csv 20000
	run -0 --separate-stderr bash -c 'kpi-extract big.csv | kpi-normalize --stats --spec s.json | tail -n 1'
	assert_output '{"n":20000,"v":"row-20000-end","_dataset":"t","_src":"big.csv","_line":20001}'
	assert_stderr 'kpi-normalize: 20000 rows in, 20000 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

@test "normalize: require: an input whose first row lacks a required column is an error" {
	cat >s.json <<-'EOF'
	{"dataset":"t","fields":[{"name":"id","from":"Name","type":"string"}],"require":["Name"]}
	EOF
	printf '{"Title":"x","_src":"a.csv","_line":2}\n' >bad.ndjson
	printf '{"Name":"#1","_src":"b.csv","_line":2}\n' >ok.ndjson
	run -2 --separate-stderr kpi-normalize --spec s.json bad.ndjson ok.ndjson
	assert_output '{"id":"#1","_dataset":"t","_src":"b.csv","_line":2}'
	assert_stderr_line "^kpi-normalize: (a\.csv:2|bad\.ndjson(:1)?): .*'Name'.*$"
}

@test "normalize: the small spec of kpi-normalize(1): money, boolean, a time format, a zone" {
	cat >sales.json <<-'EOF'
	{"dataset": "sales", "tz": "Europe/London",
	 "fields": [
	  {"name": "time", "from": "Date", "type": "time", "format": "%d/%m/%Y %H:%M"},
	  {"name": "revenue", "from": "Amount", "type": "money"},
	  {"name": "paid", "from": "Paid", "type": "boolean"}]}
	EOF
	printf 'Date,Amount,Paid\n05/01/2024 09:30,"£1,234.50",yes\n01/07/2024 10:00,(12.00),no\n' >sales.csv
	run -0 --separate-stderr bash -c 'kpi-extract sales.csv | kpi-normalize --spec sales.json'
	assert_output '{"time":"2024-01-05T09:30:00Z","revenue":1234.5,"paid":true,"_dataset":"sales","_src":"sales.csv","_line":2}
{"time":"2024-07-01T10:00:00+01:00","revenue":-12,"paid":false,"_dataset":"sales","_src":"sales.csv","_line":3}'
	assert_stderr ''
	# The manual's copy, on pipelines/samples/sales.*, runs in
	# tests/man-examples.bats.
}

@test "normalize: a required field's column missing: error naming it, next input read, --stats adds up" {
	cat >s.json <<-'EOF2'
	{"dataset":"t","fields":[{"name":"id","from":"Name","type":"string","required":true}]}
	EOF2
	printf '{"Name":"#0","_src":"a.csv","_line":2}\n{"Title":"x","_src":"a.csv","_line":3}\n' >bad.ndjson
	printf '{"Name":"#1","_src":"b.csv","_line":2}\n' >ok.ndjson
	run -2 --separate-stderr kpi-normalize --stats --spec s.json bad.ndjson ok.ndjson
	assert_output '{"id":"#0","_dataset":"t","_src":"a.csv","_line":2}
{"id":"#1","_dataset":"t","_src":"b.csv","_line":2}'
	[ "${stderr_lines[0]}" = "kpi-normalize: a.csv:3: no column 'Name' for field 'id'" ]
	[[ ${stderr_lines[1]} =~ ^kpi-normalize:\ ([0-9]+)\ rows?\ in,\ ([0-9]+)\ out,\ ([0-9]+)\ rejected,\ ([0-9]+)\ dropped,\ ([0-9]+)\ folded,\ ([0-9]+)\ duplicates?$ ]]
	m=("${BASH_REMATCH[@]}")
	[ "${m[1]}" -eq $((m[2] + m[3] + m[4] + m[5] + m[6])) ] || { echo "stats do not add up: ${stderr_lines[1]}"; false; }
}

@test "normalize: drop empty also matches a null marker such as Google Ads' ' --'" {
	printf '%s\n' '{"dataset":"t","fields":[{"name":"c","from":"C","type":"string"}],"drop":[{"field":"C","empty":true}]}' >s.json
	printf '%s\n' '{"C":" --","_src":"a.csv","_line":2}' '{"C":"x","_src":"a.csv","_line":3}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"c":"x","_dataset":"t","_src":"a.csv","_line":3}'
	assert_stderr ''
}

@test "normalize: carry: a null takes the last row's value while the carry column is the same" {
	printf '%s\n' '{"dataset":"t","fields":[{"name":"id","from":"Name","type":"string"},{"name":"cur","from":"Currency","type":"string","carry":"Name"}]}' >s.json
	printf '%s\n' '{"Name":"#1","Currency":"GBP","_src":"o.csv","_line":2}' \
	    '{"Name":"#1","Currency":"","_src":"o.csv","_line":3}' \
	    '{"Name":"#2","Currency":"","_src":"o.csv","_line":4}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"id":"#1","cur":"GBP","_dataset":"t","_src":"o.csv","_line":2}
{"id":"#1","cur":"GBP","_dataset":"t","_src":"o.csv","_line":3}
{"id":"#2","cur":null,"_dataset":"t","_src":"o.csv","_line":4}'
	assert_stderr ''
}

@test "normalize: currency_from_header and upper" {
	printf '%s\n' '{"dataset":"t","fields":[{"name":"spend","from":["Amount spent (GBP)","Amount spent (USD)"],"type":"money"},{"name":"currency","currency_from_header":"Amount spent (XXX)"},{"name":"c2","from":"cur","type":"string","upper":true}]}' >s.json
	printf '%s\n' '{"Amount spent (USD)":"1.50","cur":"usd","_src":"m.csv","_line":2}' \
	    '{"Other":"1","cur":"eur","_src":"m.csv","_line":3}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"spend":1.5,"currency":"USD","c2":"USD","_dataset":"t","_src":"m.csv","_line":2}
{"spend":null,"currency":null,"c2":"EUR","_dataset":"t","_src":"m.csv","_line":3}'
	assert_stderr ''
}

@test "normalize: monthly with quantity multiplies by the quantity column" {
	printf '%s\n' '{"dataset":"t","fields":[{"name":"mrr","from":"Amount","type":"money","monthly":{"interval":"Interval","quantity":"Qty"}}]}' >s.json
	printf '%s\n' '{"Amount":"10","Interval":"month","Qty":"3","_src":"s.csv","_line":2}' \
	    '{"Amount":"120","Interval":"year","Qty":"","_src":"s.csv","_line":3}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"mrr":30,"_dataset":"t","_src":"s.csv","_line":2}
{"mrr":10,"_dataset":"t","_src":"s.csv","_line":3}'
	assert_stderr ''
}

@test "normalize: a spec's require: a row lacking the column stops that input only" {
	printf '%s\n' '{"dataset":"t","require":["Name"],"fields":[{"name":"id","from":"Name","type":"string"}]}' >s.json
	printf '%s\n' '{"Name":"a","_src":"x.csv","_line":2}' '{"Other":"b","_src":"x.csv","_line":3}' '{"Name":"c","_src":"x.csv","_line":4}' >bad.ndjson
	printf '%s\n' '{"Name":"d","_src":"y.csv","_line":2}' >ok.ndjson
	run -2 --separate-stderr kpi-normalize --stats --spec s.json bad.ndjson ok.ndjson
	assert_output '{"id":"a","_dataset":"t","_src":"x.csv","_line":2}
{"id":"d","_dataset":"t","_src":"y.csv","_line":2}'
	assert_stderr "kpi-normalize: x.csv:3: no column 'Name', which the spec requires
kpi-normalize: 2 rows in, 2 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates"
}

@test "normalize: spec errors give the line and column of the value at fault" {
	printf '{"dataset": "t",\n "fields": [{"name": "a", "from": "A", "type": "time",\n   "format": "%%Q"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:3:14: field 1 ('a'): bad time format '%Q'"
	printf '{"dataset": "t",\n "fields": [{"name": "a", "from": "A", "type": "string"}],\n "drop": [{"field": "A"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:3:11: drop rule 1: needs exactly one of 'in', 'prefix', 'empty': true, 'missing': true"
}

# --- nothing lost without a word (issue 15) --------------------------------------

# balanced: the --stats line (the last of stderr) adds up, and its "out" is
# the number of rows written to stdout.
balanced() {
	local last=${stderr_lines[${#stderr_lines[@]} - 1]}
	[[ $last =~ ^kpi-normalize:\ ([0-9]+)\ rows?\ in,\ ([0-9]+)\ out,\ ([0-9]+)\ rejected,\ ([0-9]+)\ dropped,\ ([0-9]+)\ folded,\ ([0-9]+)\ duplicates?$ ]] ||
	    { echo "no stats line: $last"; return 1; }
	local m=("${BASH_REMATCH[@]}") written=0
	[ -n "$output" ] && written=${#lines[@]}
	[ "${m[1]}" -eq $((m[2] + m[3] + m[4] + m[5] + m[6])) ] || { echo "stats do not add up: $last"; return 1; }
	[ "${m[2]}" -eq "$written" ] || { echo "$written rows written, stats say ${m[2]}: $last"; return 1; }
}

@test "normalize: JSON true, false and numbers beyond a double in number, money, percent fields are rejected, not null" {
	printf '%s\n' '{"dataset":"t","fields":[{"name":"a","from":"a","type":"number"},{"name":"m","from":"m","type":"money"},{"name":"p","from":"p","type":"percent"},{"name":"i","from":"i","type":"integer"}]}' >s.json
	printf '%s\n' '{"a":true,"_src":"j.json","_line":1}' '{"m":false,"_src":"j.json","_line":2}' \
	    '{"p":1e400,"_src":"j.json","_line":3}' '{"a":"-1e400","_src":"j.json","_line":4}' \
	    '{"i":1e400,"_src":"j.json","_line":5}' '{"a":1e300,"m":"2.5","_src":"j.json","_line":6}' >r.ndjson
	run -1 --separate-stderr kpi-normalize --stats --spec s.json r.ndjson
	assert_output '{"a":1e+300,"m":2.5,"p":null,"i":null,"_dataset":"t","_src":"j.json","_line":6}'
	assert_stderr "kpi-normalize: j.json:1: field 'a': 'true' is not number
kpi-normalize: j.json:2: field 'm': 'false' is not money
kpi-normalize: j.json:3: field 'p': '1e400' is out of range: expected percent within ±1.797e308
kpi-normalize: j.json:4: field 'a': '-1e400' is out of range: expected number within ±1.797e308
kpi-normalize: j.json:5: field 'i': '1e400' is out of range: expected integer within ±1.797e308
kpi-normalize: 6 rows in, 1 out, 5 rejected, 0 dropped, 0 folded, 0 duplicates"
	balanced
}

@test "normalize: a scale that takes a number beyond a double rejects the row; --rejects says what was expected" {
	printf '%s\n' '{"dataset":"t","fields":[{"name":"m","from":"m","type":"money","scale":1e10}]}' >s.json
	printf '%s\n' '{"m":"1e300","_src":"a.csv","_line":2}' '{"m":"true","_src":"a.csv","_line":3}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --stats --rejects rej.ndjson --spec s.json r.ndjson
	assert_output ''
	balanced
	[ "$(cat rej.ndjson)" = '{"m":"1e300","_error":{"field":"m","column":"m","value":"1e300","expected":"money within ±1.797e308"},"_src":"a.csv","_line":2}
{"m":"true","_error":{"field":"m","column":"m","value":"true","expected":"money"},"_src":"a.csv","_line":3}' ]
}

fold_setup() {
	cat >s.json <<-'EOF2'
	{"dataset":"orders","fields":[
	 {"name":"order_id","from":"Name","type":"string","required":true},
	 {"name":"items","from":"Qty","type":"integer","fold":"sum"}],
	 "fold":{"key":"Name"}}
	EOF2
	printf '%s\n' '{"Name":"#1","Qty":"1","_src":"o.csv","_line":2}' \
	    '{"Name":"#2","Qty":"1","_src":"o.csv","_line":3}' \
	    '{"Name":"#2","Qty":"2","_src":"o.csv","_line":4}' >a.ndjson
}

@test "normalize: an entity being folded when its input stops on a bad line is not written, and counted as rejected" {
	fold_setup
	echo '{bad' >>a.ndjson
	run -2 --separate-stderr kpi-normalize --stats --spec s.json a.ndjson
	assert_output '{"order_id":"#1","items":1,"_dataset":"orders","_src":"o.csv","_line":2}'
	assert_stderr "kpi-normalize: a.ndjson:4:2: invalid JSON: expected key
kpi-normalize: o.csv:3: entity '#2' of 'Name' (2 rows) not written: an input stopped before its end
kpi-normalize: 3 rows in, 1 out, 2 rejected, 0 dropped, 0 folded, 0 duplicates"
	balanced
}

@test "normalize: after an input that stopped mid-entity, the next input's entities are all written" {
	fold_setup
	echo '{bad' >>a.ndjson
	printf '%s\n' '{"Name":"#3","Qty":"1","_src":"p.csv","_line":2}' '{"Name":"#3","Qty":"4","_src":"p.csv","_line":3}' >b.ndjson
	run -2 --separate-stderr kpi-normalize --stats --spec s.json a.ndjson b.ndjson
	assert_output '{"order_id":"#1","items":1,"_dataset":"orders","_src":"o.csv","_line":2}
{"order_id":"#3","items":5,"_dataset":"orders","_src":"p.csv","_line":2}'
	balanced
}

@test "normalize: a row the spec does not fit stops its input inside an entity: the entity is not written" {
	fold_setup
	echo '{"Qty":"1","_src":"o.csv","_line":5}' >>a.ndjson
	run -2 --separate-stderr kpi-normalize --stats --spec s.json a.ndjson
	assert_output '{"order_id":"#1","items":1,"_dataset":"orders","_src":"o.csv","_line":2}'
	assert_stderr "kpi-normalize: o.csv:5: no column 'Name' for field 'order_id'
kpi-normalize: o.csv:3: entity '#2' of 'Name' (2 rows) not written: an input stopped before its end
kpi-normalize: 3 rows in, 1 out, 2 rejected, 0 dropped, 0 folded, 0 duplicates"
	balanced
}

@test "normalize: the Shopify preset with a bad last line: --stats counts what was written" {
	kpi-extract "$(fixture presets/shopify_73col.csv)" >o.ndjson
	echo '{bad' >>o.ndjson
	run -2 --separate-stderr kpi-normalize --stats --preset shopify-orders o.ndjson
	[ "${#lines[@]}" -eq 2 ]
	balanced
}

# --- channel, minus, void (issue 16) -----------------------------------------

@test "normalize: a channel field by GA4's rules over source, medium and campaign columns, else its default" {
	printf '%s\n' '{"fields":[{"name":"channel","type":"channel","source":["utm_source","Source"],"medium":"utm_medium","campaign":"utm_campaign","default":"Unassigned"}]}' >s.json
	printf '%s\n' '{"utm_source":"google","utm_medium":"cpc","_src":"t.csv","_line":2}' \
	    '{"utm_source":"Facebook","utm_medium":"Paid-Social","_src":"t.csv","_line":3}' \
	    '{"Source":"duckduckgo","_src":"t.csv","_line":4}' \
	    '{"utm_medium":"email","_src":"t.csv","_line":5}' \
	    '{"utm_campaign":"summer-shop","_src":"t.csv","_line":6}' \
	    '{"utm_source":"(direct)","utm_medium":"(none)","_src":"t.csv","_line":7}' \
	    '{"utm_source":"","_src":"t.csv","_line":8}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_stderr ''
	assert_output '{"channel":"Paid Search","_dataset":"rows","_src":"t.csv","_line":2}
{"channel":"Paid Social","_dataset":"rows","_src":"t.csv","_line":3}
{"channel":"Organic Search","_dataset":"rows","_src":"t.csv","_line":4}
{"channel":"Email","_dataset":"rows","_src":"t.csv","_line":5}
{"channel":"Organic Shopping","_dataset":"rows","_src":"t.csv","_line":6}
{"channel":"Direct","_dataset":"rows","_src":"t.csv","_line":7}
{"channel":"Unassigned","_dataset":"rows","_src":"t.csv","_line":8}'
}

@test "normalize: a channel field from a column of group names: GA4's spelling, a custom group kept, null when absent" {
	printf '%s\n' '{"fields":[{"name":"channel","type":"channel","from":"Channel"}]}' >s.json
	printf '%s\n' '{"Channel":"organic search","_src":"t.csv","_line":2}' \
	    '{"Channel":"Social","_src":"t.csv","_line":3}' \
	    '{"Channel":"Performance Max","_src":"t.csv","_line":4}' \
	    '{"Channel":"Partners","_src":"t.csv","_line":5}' \
	    '{"Channel":"","_src":"t.csv","_line":6}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_stderr ''
	assert_output '{"channel":"Organic Search","_dataset":"rows","_src":"t.csv","_line":2}
{"channel":"Organic Social","_dataset":"rows","_src":"t.csv","_line":3}
{"channel":"Cross-network","_dataset":"rows","_src":"t.csv","_line":4}
{"channel":"Partners","_dataset":"rows","_src":"t.csv","_line":5}
{"channel":null,"_dataset":"rows","_src":"t.csv","_line":6}'
}

@test "normalize: 'minus' subtracts columns, keeps the operands' decimals, and names the column of a bad value" {
	printf '%s\n' '{"fields":[{"name":"net","from":"Amount","type":"money","minus":["Refunded","Fee"]}]}' >s.json
	printf '%s\n' '{"Amount":"77.94","Refunded":"20.00","Fee":"2.56","_src":"t.csv","_line":2}' \
	    '{"Amount":"10","Refunded":"","_src":"t.csv","_line":3}' \
	    '{"Amount":"","Refunded":"1.00","_src":"t.csv","_line":4}' \
	    '{"Amount":"5.00","Refunded":"5.00","_src":"t.csv","_line":5}' \
	    '{"Amount":"5.00","Refunded":"x","_src":"t.csv","_line":6}' >r.ndjson
	run -1 --separate-stderr kpi-normalize --spec s.json r.ndjson
	assert_output '{"net":55.38,"_dataset":"rows","_src":"t.csv","_line":2}
{"net":10,"_dataset":"rows","_src":"t.csv","_line":3}
{"net":null,"_dataset":"rows","_src":"t.csv","_line":4}
{"net":0,"_dataset":"rows","_src":"t.csv","_line":5}'
	assert_stderr "kpi-normalize: t.csv:6: field 'net': 'x' is not money"
}

@test "normalize: 'void' rules null fields where a condition holds of the output row, judged before any rule changes it" {
	printf '%s\n' '{"fields":[{"name":"s","from":"S","type":"string"},{"name":"v","from":"V","type":"number"},{"name":"c","from":"C","type":"time"},{"name":"n","value":true}],' \
	    ' "void":[{"if":[{"field":"s","in":["voided","expired"]},{"field":"c","null":false}],"fields":["v","n"]},' \
	    '         {"if":[{"field":"v","below":0}],"fields":["n","s"]}]}' >s.json
	printf '%s\n' '{"S":"paid","V":"10","_src":"t.csv","_line":2}' \
	    '{"S":"voided","V":"10","_src":"t.csv","_line":3}' \
	    '{"S":"paid","V":"10","C":"2024-01-01","_src":"t.csv","_line":4}' \
	    '{"S":"refund","V":"-3","_src":"t.csv","_line":5}' \
	    '{"S":"voided","V":"-3","_src":"t.csv","_line":6}' >r.ndjson
	run -0 --separate-stderr kpi-normalize --stats --spec s.json r.ndjson
	assert_output '{"s":"paid","v":10,"c":null,"n":true,"_dataset":"rows","_src":"t.csv","_line":2}
{"s":"voided","v":null,"c":null,"n":null,"_dataset":"rows","_src":"t.csv","_line":3}
{"s":"paid","v":null,"c":"2024-01-01T00:00:00Z","n":null,"_dataset":"rows","_src":"t.csv","_line":4}
{"s":null,"v":-3,"c":null,"n":null,"_dataset":"rows","_src":"t.csv","_line":5}
{"s":null,"v":null,"c":null,"n":null,"_dataset":"rows","_src":"t.csv","_line":6}'
	assert_stderr 'kpi-normalize: 5 rows in, 5 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates'
}

@test "normalize: bad channel, minus and void specs: exit 2, naming the place" {
	printf '{"fields":[{"name":"c","type":"channel"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:1:12: field 1 ('c'): a channel field needs 'from', 'source', 'medium', 'campaign' or 'utm'"
	printf '{"fields":[{"name":"c","from":"C","type":"string","medium":"M"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:1:12: field 1 ('c'): 'source', 'medium', 'campaign', 'utm' and 'default' are for channel fields"
	printf '{"fields":[{"name":"c","from":"C","type":"string","minus":"M"}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:1:12: field 1 ('c'): 'minus' is for integer, number and money fields"
	printf '{"fields":[{"name":"c","from":"C","type":"string"}],\n "void":{"if":[{"field":"x","in":["a"]}],"fields":["c"]}}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:2:9: void rule 1: no field 'x'"
	printf '{"fields":[{"name":"c","from":"C","type":"string"}],\n "void":[{"if":[{"field":"c","like":"a"}],"fields":["c"]}]}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:2:10: void rule 1: a condition needs one of 'in', 'null' or 'below'"
	printf '{"fields":[{"name":"c","from":"C","type":"string"}],\n "void":{"if":[],"fields":["c"]}}\n' >s.json
	run -2 --separate-stderr kpi-normalize --spec s.json </dev/null
	assert_stderr "kpi-normalize: s.json:2:9: void rule 1: a void rule is {\"if\": [CONDITION, ...], \"fields\": [NAME, ...]}"
}
