#!/usr/bin/env bats
# kpi-extract: command line, failing inputs, output errors, --stats,
# --max-field.

load test_helper

setup() {
	work
	printf 'n,v\n1,a\n2,b\n' >a.csv
	printf 'n,v\n3,c\n' >b.csv
}

A_ROWS='{"n":"1","v":"a","_src":"a.csv","_line":2}
{"n":"2","v":"b","_src":"a.csv","_line":3}'
B_ROWS='{"n":"3","v":"c","_src":"b.csv","_line":2}'

# --- command line ---------------------------------------------------------

@test "errors: unknown --format: exit 2 before any output" {
	run -2 --separate-stderr kpi-extract --format xml a.csv
	assert_output ''
	assert_stderr "kpi-extract: unknown format 'xml' (one of csv, tsv, json, ndjson, jsonl)"
}

@test "errors: a --format or --encoding near a valid one: did you mean it" {
	run -2 --separate-stderr kpi-extract --format jsn a.csv
	assert_output ''
	assert_stderr "kpi-extract: unknown format 'jsn': did you mean 'json'? (one of csv, tsv, json, ndjson, jsonl)"
	run -2 --separate-stderr kpi-extract --encoding UTF9 a.csv
	assert_stderr "kpi-extract: unknown encoding 'UTF9': did you mean 'utf8'? (one of auto, utf-8, utf8, windows-1252, cp1252, latin-1, latin1, iso-8859-1, utf-16le, utf-16be)"
}

@test "errors: unknown --encoding: exit 2 before any output" {
	run -2 --separate-stderr kpi-extract --encoding ebcdic a.csv
	assert_output ''
	assert_stderr "kpi-extract: unknown encoding 'ebcdic' (one of auto, utf-8, utf8, windows-1252, cp1252, latin-1, latin1, iso-8859-1, utf-16le, utf-16be)"
}

@test "errors: every documented --format and --encoding name is accepted" {
	run -0 --separate-stderr kpi-extract --format csv b.csv
	assert_output "$B_ROWS"
	run -0 --separate-stderr kpi-extract --format tsv b.csv
	assert_output '{"n,v":"3,c","_src":"b.csv","_line":2}'
	printf '{"n":"3"}\n' >b.ndjson
	for f in ndjson json; do
		run -0 --separate-stderr kpi-extract --format "$f" b.ndjson
		assert_output '{"n":"3","_src":"b.ndjson","_line":1}'
	done
	for e in auto utf-8 windows-1252 latin-1; do
		run -0 --separate-stderr kpi-extract --encoding "$e" b.csv
		assert_output "$B_ROWS"
		assert_stderr ''
	done
}

@test "errors: --delimiter of more than one character: exit 2 before any output" {
	run -2 --separate-stderr kpi-extract --delimiter ';;' a.csv
	assert_output ''
	assert_stderr "kpi-extract: bad delimiter ';;'"
}

@test "errors: bad --skip: exit 2 before any output" {
	run -2 --separate-stderr kpi-extract --skip x a.csv
	assert_output ''
	assert_stderr "kpi-extract: bad line count 'x'"
	run -2 --separate-stderr kpi-extract --skip -1 a.csv
	assert_output ''
	assert_stderr "kpi-extract: bad line count '-1'"
}

@test "errors: bad --max-field: exit 2 before any output" {
	run -2 --separate-stderr kpi-extract --max-field 10x a.csv
	assert_output ''
	assert_stderr "kpi-extract: bad size '10x'"
}

# --- inputs -------------------------------------------------------------

@test "errors: missing file: message, other files still read, exit 2" {
	run -2 --separate-stderr kpi-extract a.csv nosuch.csv b.csv
	assert_output "$A_ROWS
$B_ROWS"
	assert_stderr 'kpi-extract: nosuch.csv: No such file or directory'
}

@test "errors: directory named on the command line: error, exit 2" {
	mkdir d
	run -2 --separate-stderr kpi-extract d b.csv
	assert_output "$B_ROWS"
	assert_stderr 'kpi-extract: d: Is a directory'
}

@test "errors: unreadable file: error, exit 2" {
	[ "$(id -u)" != 0 ] || skip "root reads any file"
	cp a.csv locked.csv
	chmod 000 locked.csv
	run -2 --separate-stderr kpi-extract locked.csv b.csv
	assert_output "$B_ROWS"
	assert_stderr 'kpi-extract: locked.csv: Permission denied'
}

@test "errors: NUL byte deep in a plain file: no row from that line on, no half record" {
	seq_csv big.csv 5000
	{ head -n 3000 big.csv; printf '3000,row-3000\000-end\n'; tail -n +3002 big.csv; } >nul.csv
	run -2 --separate-stderr kpi-extract nul.csv
	assert_records
	assert_seq_rows nul.csv
	[ "$seq_rows" -le 2999 ]
	assert_stderr 'kpi-extract: nul.csv:3001: not a text file (NUL byte)'
}

# --- --max-field ----------------------------------------------------------

@test "errors: --max-field 1k: 1024 bytes pass, 1025 fail" {
	{ echo 'id,note'; printf '1,%s\n' "$(head -c 1024 /dev/zero | tr '\0' x)"; } >ok.csv
	{ echo 'id,note'; echo '1,short'; printf '2,%s\n' "$(head -c 1025 /dev/zero | tr '\0' x)"; } >long.csv
	run -0 --separate-stderr kpi-extract --max-field 1k ok.csv
	[ "${#lines[@]}" -eq 1 ]
	assert_stderr ''
	run -2 --separate-stderr kpi-extract --max-field 1k long.csv b.csv
	assert_output '{"id":"1","note":"short","_src":"long.csv","_line":2}
{"n":"3","v":"c","_src":"b.csv","_line":2}'
	assert_stderr 'kpi-extract: long.csv:3: field longer than 1024 bytes'
}

@test "errors: --max-field counts a quoted field's content" {
	printf 'a,b\n"0123456789",1\n"0123456789a",2\n' >q.csv
	run -2 --separate-stderr kpi-extract --max-field 10 q.csv
	assert_output '{"a":"0123456789","b":"1","_src":"q.csv","_line":2}'
	assert_stderr 'kpi-extract: q.csv:3: field longer than 10 bytes'
}

@test "errors: default --max-field is 16M" {
	{ echo 'id,blob'; printf '1,'; head -c 16777217 /dev/zero | tr '\0' x; echo; } >huge.csv
	run -2 --separate-stderr kpi-extract huge.csv
	assert_output ''
	assert_stderr 'kpi-extract: huge.csv:2: field longer than 16777216 bytes'
}

# --- --stats -----------------------------------------------------------------

@test "errors: --stats: rows and sources on stderr at the end" {
	run -0 --separate-stderr kpi-extract --stats a.csv b.csv
	assert_output "$A_ROWS
$B_ROWS"
	assert_stderr 'kpi-extract: 3 rows from 2 sources'
}

@test "errors: --stats with no rows" {
	: >empty.csv
	echo 'n,v' >head.csv
	run -0 --separate-stderr kpi-extract --stats empty.csv head.csv
	assert_output ''
	assert_stderr 'kpi-extract: 0 rows from 2 sources'
}

@test "errors: --stats after an input error: missing file is not a source" {
	run -2 --separate-stderr kpi-extract --stats a.csv nosuch.csv b.csv
	assert_output "$A_ROWS
$B_ROWS"
	assert_stderr 'kpi-extract: nosuch.csv: No such file or directory
kpi-extract: 3 rows from 2 sources'
}

# --- writing ------------------------------------------------------------------

@test "errors: closed stdout: write error, exit 2" {
	run -2 --separate-stderr bash -c 'kpi-extract a.csv >&-'
	assert_stderr 'kpi-extract: write error: Bad file descriptor'
}

@test "errors: '--' ends the options" {
	cp a.csv ./-x.csv
	run -0 --separate-stderr kpi-extract -- -x.csv
	assert_output '{"n":"1","v":"a","_src":"-x.csv","_line":2}
{"n":"2","v":"b","_src":"-x.csv","_line":3}'
	assert_stderr ''
}

@test "errors: > /dev/full with nothing to write: success" {
	echo 'n,v' >head.csv
	run -0 --separate-stderr bash -c 'kpi-extract head.csv >/dev/full'
	assert_stderr ''
}

@test "errors: reader leaving early (| head -n 1): exit 0, nothing on stderr" {
	seq_csv big.csv 20000
	run -0 --separate-stderr bash -c 'kpi-extract big.csv | head -n 1; echo "rc=${PIPESTATUS[0]}"'
	assert_output '{"n":"1","v":"row-1-end","_src":"big.csv","_line":2}
rc=0'
	assert_stderr ''
}

@test "errors: reader leaving early, whatever the parent did with SIGPIPE" {
	seq_csv big.csv 20000
	run -0 --separate-stderr bash -c 'env --default-signal=PIPE kpi-extract big.csv | head -n 1 >/dev/null; echo "rc=${PIPESTATUS[0]}"'
	assert_output 'rc=0'
	assert_stderr ''
	run -0 --separate-stderr bash -c 'env --ignore-signal=PIPE kpi-extract big.csv | head -n 1 >/dev/null; echo "rc=${PIPESTATUS[0]}"'
	assert_output 'rc=0'
	assert_stderr ''
}

@test "errors: reader leaving early from a compressed input, with --stats" {
	seq_csv big.csv 20000
	gzip -c big.csv >big.csv.gz
	run -0 --separate-stderr bash -c 'kpi-extract --stats big.csv.gz | head -n 1; echo "rc=${PIPESTATUS[0]}"'
	assert_output '{"n":"1","v":"row-1-end","_src":"big.csv.gz","_line":2}
rc=0'
	assert_stderr ''
}

@test "errors: a big file comes out whole and in order" {
	seq_csv big.csv 20000
	run -0 --separate-stderr kpi-extract big.csv
	assert_seq_rows big.csv
	[ "$seq_rows" -eq 20000 ]
	assert_stderr ''
}
