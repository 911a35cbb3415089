#!/usr/bin/env bats
# Progress on stderr (lib/face/meter.c) for kpi-extract and kpi-normalize:
# with --progress always, ending in one line of inputs, rows, bytes and
# rates; without it only on a terminal after a second, never in a pipe.

load test_helper

# The final line: "TOOL: N input(s), N rows, SIZE in SECS s, N rows/s, SIZE/s".
final_re() {
	printf '^%s: %s, %s, [0-9.]+ (B|kB|MB) in [0-9]+\\.[0-9] s, [0-9]+ rows/s, [0-9.]+ (B|kB|MB)/s$' "$1" "$2" "$3"
}

setup() {
	work
	seq 3000 | sed 's/.*/{"time":"2024-03-04T10:00:00Z","v":&}/' >rows.ndjson
	printf '%s\n' '{"dataset":"t","fields":[{"name":"time","from":"time","type":"time"},{"name":"v","from":"v","type":"number"}]}' >s.json
}

@test "progress: --progress: the same output, one final line on stderr" {
	kpi-extract rows.ndjson rows.ndjson >want.ndjson
	run -0 --separate-stderr kpi-extract --progress rows.ndjson rows.ndjson
	assert_output "$(cat want.ndjson)"
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr =~ $(final_re kpi-extract '2 inputs' '6000 rows') ]] || { echo "$stderr"; false; }
	# The bytes are those read: two files of this size.
	size=$(wc -c <rows.ndjson)
	[[ $stderr == *", $(awk -v n="$((2 * size))" 'BEGIN { printf "%.1f kB", n / 1000 }') in "* ]]

	kpi-normalize --spec s.json rows.ndjson >want.ndjson
	run -0 --separate-stderr kpi-normalize --progress --spec s.json rows.ndjson
	assert_output "$(cat want.ndjson)"
	[[ $stderr =~ $(final_re kpi-normalize '1 input' '3000 rows') ]] || { echo "$stderr"; false; }
}

@test "progress: before --stats, and singular for one" {
	head -n 1 rows.ndjson >one.ndjson
	run -0 --separate-stderr kpi-extract --progress --stats one.ndjson
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ ${stderr_lines[0]} =~ $(final_re kpi-extract '1 input' '1 row') ]]
	[ "${stderr_lines[1]}" = 'kpi-extract: 1 row from 1 source' ]
	run -0 --separate-stderr kpi-normalize --stats --progress --spec s.json one.ndjson
	[[ ${stderr_lines[0]} =~ $(final_re kpi-normalize '1 input' '1 row') ]]
	[ "${stderr_lines[1]}" = 'kpi-normalize: 1 row in, 1 out, 0 rejected, 0 dropped, 0 folded, 0 duplicates' ]
}

@test "progress: none in a pipe without --progress, even past a second" {
	# 3000 rows, a pause, 3000 more: the clock is read after the pause.
	run -0 --separate-stderr bash -c '{ cat rows.ndjson; sleep 1.2; cat rows.ndjson; } | kpi-extract --format ndjson | wc -l'
	assert_output 6000
	assert_stderr ''
	run -0 --separate-stderr bash -c '{ cat rows.ndjson; sleep 1.2; cat rows.ndjson; } | kpi-normalize --spec s.json | wc -l'
	assert_output 6000
	assert_stderr ''
}

@test "progress: a reader leaving early: nothing on stderr, exit 0" {
	run -0 --separate-stderr bash -c 'kpi-extract --progress rows.ndjson | head -n 1 | wc -l; echo "rc=${PIPESTATUS[0]}"'
	assert_output '1
rc=0'
	assert_stderr ''
}

@test "progress: on a terminal, after a second, one line redrawn and ended" {
	command -v script >/dev/null || skip "no script(1)"
	# script(1) gives the tool a terminal; stdout goes to a file.
	run -0 script -qec '{ cat rows.ndjson; sleep 1.2; cat rows.ndjson; } | kpi-extract --format ndjson 2>err.txt >out.ndjson; :' /dev/null
	[ "$(wc -l <out.ndjson)" -eq 6000 ]
	[ ! -s err.txt ]	# stderr was a file: nothing
	run -0 script -qec '{ cat rows.ndjson; sleep 1.2; cat rows.ndjson; } | kpi-extract --format ndjson >out.ndjson' /dev/null
	# A redrawn line ("\r...\033[K"), then the final one, ended.
	[[ $output == *$'\r'"kpi-extract: 1 input, "*$'\033[K'* ]] || { printf '%q\n' "$output"; false; }
	last=$(printf '%s' "$output" | tr -d '\n' | tr '\r' '\n' | tail -n 1)
	last=${last%$'\033[K'}
	[[ $last =~ $(final_re kpi-extract '1 input' '6000 rows') ]] || { printf '%q\n' "$last"; false; }
}
