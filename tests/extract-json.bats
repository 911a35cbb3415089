#!/usr/bin/env bats
# kpi-extract: JSON inputs (NDJSON, JSON Lines, arrays, --path) and their
# errors.  Inputs are read relative to tests/fixtures.

load test_helper

setup() {
	cd "$FIXTURES" || return 1
}

@test "json: NDJSON: keys in order, any JSON type, nested values compact" {
	run -0 --separate-stderr kpi-extract json/charges.ndjson
	assert_output '{"id":"ch_1","amount":1.50,"currency":"usd","captured":true,"refunded":false,"note":null,"meta":{"order":"#1001","items":[1,2,{"sku":"A-1"}]},"_src":"json/charges.ndjson","_line":1}
{"id":"ch_2","amount":12,"currency":"aud","desc":"café / \"q\"\t\u0007\u001f € 😀","_src":"json/charges.ndjson","_line":2}'
	assert_stderr ''
}

@test "json: numbers are written exactly as the source wrote them" {
	run -0 --separate-stderr kpi-extract json/numbers.ndjson
	[ "${lines[0]}" = '{"a":1.50,"b":-0,"c":1e3,"d":1E-2,"e":12345678901234567890,"f":0.1000,"_src":"json/numbers.ndjson","_line":1}' ]
	assert_stderr ''
}

@test "json: numbers inside nested values are kept as written" {
	run -0 --separate-stderr kpi-extract json/numbers.ndjson
	[ "${lines[1]}" = '{"g":[2.50,1e3,{"h":-0.0}],"_src":"json/numbers.ndjson","_line":2}' ]
}

@test "json: JSON Lines with blank and white-space lines" {
	run -0 --separate-stderr kpi-extract json/events.jsonl
	assert_output '{"event":"purchase","value":"12.50","_src":"json/events.jsonl","_line":1}
{"event":"refund","value":"-3.00","_src":"json/events.jsonl","_line":3}
{"event":"view","_src":"json/events.jsonl","_line":5}'
	assert_stderr ''
}

@test "json: array of objects, _line is the line of each '{'" {
	run -0 --separate-stderr kpi-extract json/array.json
	assert_output '{"id":1,"name":"a","_src":"json/array.json","_line":2}
{"id":2,"name":"b","tags":["x","y"],"_src":"json/array.json","_line":3}'
	assert_stderr ''
}

@test "json: concatenated pretty-printed objects" {
	run -0 --separate-stderr kpi-extract json/concat.json
	assert_output '{"a":1,"_src":"json/concat.json","_line":1}
{"a":2,"_src":"json/concat.json","_line":4}'
	assert_stderr ''
}

@test "json: --path data.rows" {
	run -0 --separate-stderr kpi-extract --path data.rows json/path.json
	assert_output '{"day":"2024-01-01","orders":3,"_src":"json/path.json","_line":5}
{"day":"2024-01-02","orders":0,"_src":"json/path.json","_line":6}'
	assert_stderr ''
}

@test "json: duplicate keys: last value wins at the first key's place" {
	run -0 --separate-stderr kpi-extract json/dupkeys.ndjson
	assert_output '{"a":3,"b":2,"_src":"json/dupkeys.ndjson","_line":1}'
	assert_stderr ''
}

@test "json: top-level keys beginning with '_' get the prefix raw, nested keys are kept" {
	run -0 --separate-stderr kpi-extract json/underscore.ndjson
	assert_output '{"raw_id":"x","id":"y","meta":{"_k":1},"_src":"json/underscore.ndjson","_line":1}'
	assert_stderr ''
}

@test "json: a renamed '_' key never duplicates an existing key" {
	run -0 --separate-stderr kpi-extract - <<<'{"_id":1,"raw_id":2}'
	assert_records
	# One "raw_id" key, whatever name the other value gets.
	[ "$(grep -o '"raw_id":' <<<"$output" | wc -l)" -eq 1 ]
	assert_stderr ''
}

@test "json: CRLF NDJSON and a record spread over lines" {
	work
	printf '{"a":1}\r\n{"a":\r\n{"b":1}}\r\n' >crlf.ndjson
	run -0 --separate-stderr kpi-extract crlf.ndjson
	assert_output '{"a":1,"_src":"crlf.ndjson","_line":1}
{"a":{"b":1},"_src":"crlf.ndjson","_line":2}'
	assert_stderr ''
}

@test "json: --encoding utf-8 replaces invalid bytes in strings and warns" {
	work
	printf '{"a":"ok"}\n{"a":"caf\351"}\n' >u.ndjson
	run -0 --separate-stderr kpi-extract --encoding utf-8 u.ndjson
	assert_output '{"a":"ok","_src":"u.ndjson","_line":1}
{"a":"caf�","_src":"u.ndjson","_line":2}'
	assert_stderr 'kpi-extract: u.ndjson:2: invalid UTF-8 replaced'
}

@test "json: empty array and empty file: no rows, success" {
	work
	printf '[]\n' >empty.json
	: >empty.ndjson
	run -0 --separate-stderr kpi-extract empty.json empty.ndjson
	assert_output ''
	assert_stderr ''
}

@test "json: detected by content on stdin and in a file with no suffix" {
	run -0 --separate-stderr kpi-extract <json/dupkeys.ndjson
	assert_output '{"a":3,"b":2,"_src":"<stdin>","_line":1}'
	work
	printf '\n  [ {"k": "v"} ]\n' >export
	run -0 --separate-stderr kpi-extract export
	assert_output '{"k":"v","_src":"export","_line":2}'
	assert_stderr ''
}

@test "json: --format ndjson and --format json override the name" {
	work
	printf '{"a":"1"}\n' >rows.csv
	run -0 --separate-stderr kpi-extract --format ndjson rows.csv
	assert_output '{"a":"1","_src":"rows.csv","_line":1}'
	run -0 --separate-stderr kpi-extract --format json rows.csv
	assert_output '{"a":"1","_src":"rows.csv","_line":1}'
	assert_stderr ''
}

@test "json: --format csv reads a .json file as CSV" {
	work
	printf 'a,b\n1,2\n' >odd.json
	run -0 --separate-stderr kpi-extract --format csv odd.json
	assert_output '{"a":"1","b":"2","_src":"odd.json","_line":2}'
	assert_stderr ''
}

@test "json: Windows-1252 bytes in a string are decoded" {
	work
	printf '{"name":"caf\351","price":"\20012"}\n' >w.ndjson
	run -0 --separate-stderr kpi-extract w.ndjson
	assert_output '{"name":"café","price":"€12","_src":"w.ndjson","_line":1}'
	assert_stderr ''
}

@test "json: UTF-8 BOM and UTF-16LE with BOM" {
	work
	printf '\357\273\277{"a":"é"}\n' >bom.ndjson
	{ printf '\377\376'; printf '[\n{"a":"é"}\n]\n' | iconv -f UTF-8 -t UTF-16LE; } >u16.json
	run -0 --separate-stderr kpi-extract bom.ndjson u16.json
	assert_output '{"a":"é","_src":"bom.ndjson","_line":1}
{"a":"é","_src":"u16.json","_line":2}'
	assert_stderr ''
}

@test "json: gzip-compressed NDJSON" {
	work
	gzip -c "$FIXTURES/json/dupkeys.ndjson" >d.ndjson.gz
	run -0 --separate-stderr kpi-extract d.ndjson.gz
	assert_output '{"a":3,"b":2,"_src":"d.ndjson.gz","_line":1}'
	assert_stderr ''
}

# --- errors ----------------------------------------------------------------

@test "json: bad JSON: error at file:line:col, rows before it kept, input stops" {
	run -2 --separate-stderr kpi-extract json/bad.ndjson
	assert_output '{"a":1,"_src":"json/bad.ndjson","_line":1}'
	assert_stderr_line '^kpi-extract: json/bad\.ndjson:2:6: [^ ].*$'
}

@test "json: after a bad file the next file is read, exit 2" {
	run -2 --separate-stderr kpi-extract json/bad.ndjson json/dupkeys.ndjson
	assert_output '{"a":1,"_src":"json/bad.ndjson","_line":1}
{"a":3,"b":2,"_src":"json/dupkeys.ndjson","_line":1}'
	assert_stderr_line '^kpi-extract: json/bad\.ndjson:2:6: [^ ].*$'
}

@test "json: scalar at top level is an error at 1:1" {
	run -2 --separate-stderr kpi-extract json/scalar.json
	assert_output ''
	assert_stderr_line '^kpi-extract: json/scalar\.json:1:1: [^ ].*$'
}

@test "json: array element that is not an object is an error at its line:col" {
	run -2 --separate-stderr kpi-extract json/nonobject.json
	assert_output ''
	assert_stderr_line '^kpi-extract: json/nonobject\.json:2:3: [^ ].*$'
}

@test "json: --path that is missing: error naming file:line:col and the path" {
	run -2 --separate-stderr kpi-extract --path data.rows json/nopath.json
	assert_output ''
	assert_stderr_line "^kpi-extract: json/nopath\.json:[0-9]+:[0-9]+: .*'data\.rows'"
}

@test "json: --path that is not an array of objects is an error" {
	run -2 --separate-stderr kpi-extract --path meta json/path.json
	assert_output ''
	assert_stderr_line '^kpi-extract: json/path\.json:[0-9]+:[0-9]+: [^ ].*$'
}

@test "json: truncated document: error, never a half record" {
	run -2 --separate-stderr kpi-extract json/truncated.json
	assert_records
	[[ $output != *'"b"'* ]]
	assert_stderr_line '^kpi-extract: json/truncated\.json:1:[0-9]+: [^ ].*$'
}

@test "json: --max-field limits a JSON record" {
	work
	printf '{"a":"1"}\n{"a":"0123456789012345678901"}\n' >long.ndjson
	run -2 --separate-stderr kpi-extract --max-field 20 long.ndjson
	assert_output '{"a":"1","_src":"long.ndjson","_line":1}'
	assert_stderr 'kpi-extract: long.ndjson:2: field longer than 20 bytes'
}
