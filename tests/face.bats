#!/usr/bin/env bats
# The command face every tool shares (lib/face/): each tool in $KPI_BIN goes
# through the same cases, so that one cannot drift from the others: --help,
# --version, unknown options, missing arguments, a value given to a flag,
# a missing file, a reader that leaves (| head), a full disk, and a usage
# text equal to the man page SYNOPSIS.

load test_helper

VERSION=$(sed -n 's/^VERSION = //p' "$KPI_ROOT/Makefile")

# The tools there are, in the order of the pipeline, after kpi(1), the
# front door.
tools() {
	local t
	for t in kpi kpi-extract kpi-normalize kpi-aggregate kpi-goal kpi-render; do
		[ -x "$KPI_BIN/$t" ] && echo "$t"
	done
}

# Sets args to what tool needs besides its files to read rows of big.ndjson
# (made by make_input) and write many records; returns 1 for a tool that
# does not read such rows or write records (kpi-render reads points and
# writes reports): its own tests have the cases that need input, and the
# loops go on to the next tool rather than skip the ones that were run.
tool_args() {
	case $1 in
	kpi-extract) args=() ;;
	kpi-normalize) args=(--spec s.json) ;;
	kpi-aggregate) args=(-m 's=sum(v)' --by v) ;;
	kpi-goal) args=(--goals g.json) ;;
	*) return 1 ;;
	esac
}

# Rows every tool can read: 20000 typed rows, one group each, that are
# also points of the period "all", one series each; the spec
# kpi-normalize takes them with, and a goal kpi-goal evaluates them by.
make_input() {
	seq 20000 | sed 's/.*/{"time":"2024-03-04T10:00:00Z","v":&,"_dataset":"t","metric":"m","period":"all","start":null,"end":null,"dims":{"v":"&"},"value":&}/' >big.ndjson
	printf '%s\n' '{"dataset":"t","fields":[{"name":"time","from":"time","type":"time"},{"name":"v","from":"v","type":"number"}]}' >s.json
	printf '%s\n' '{"goals":[{"metric":"m","kind":"at_least","target":1,"per":"v"}]}' >g.json
}

setup() {
	work
	make_input
}

# The usage of tool: its --help up to the first blank line.
usage_of() {
	"$1" --help | sed '/^$/q' | sed '$d'
}

# The options --help lists, one a line: "--name ARG", "-m ARG", "-h" and
# "--help" (a line each for a short and a long name), ARG empty for a flag.
help_options() {
	"$1" --help | awk '
	/^  +-/ {
		sub(/^ +/, "")
		split($0, col, /  +/)
		n = split(col[1], w, " ")
		arg = ""
		if (w[n] !~ /^-/) { arg = w[n]; n-- }
		for (i = 1; i <= n; i++) {
			sub(/,$/, "", w[i])
			print w[i] " " arg
		}
	}'
}

# The options man/TOOL.1 describes (".It Fl ..." lines), one name a line.
man_options() {
	grep '^\.It Fl' "$KPI_ROOT/man/$1.1" | sed 's/^\.It //' | tr ' ' '\n' |
	    awk 'p { print "-" $0; p = 0 } $0 == "Fl" { p = 1 }' | sort
}

@test "face: --help and -h: usage, a line per option, the man page; stdout, exit 0" {
	local t
	for t in $(tools); do
		echo "== $t"
		run -0 --separate-stderr "$t" --help
		assert_stderr ''
		[ "${lines[-1]}" = "See $t(1)." ]
		[[ $output == "usage: $t "* ]]
		# No line wider than a terminal, but for the usage (the SYNOPSIS).
		[ -z "$(printf '%s\n' "$output" | sed '1,/^$/d' | awk 'length > 80')" ]
		help=$output
		run -0 --separate-stderr "$t" -h
		assert_output "$help"
		# Every option of the man page, and no other, has its line.
		run diff -u <(man_options "$t") <(help_options "$t" | cut -d' ' -f1 | sort)
		[ "$status" -eq 0 ] || { echo "$output"; false; }
	done
}

@test "face: --version prints the tool and the version" {
	local t
	for t in $(tools); do
		echo "== $t"
		run -0 --separate-stderr "$t" --version
		assert_output "$t $VERSION"
		assert_stderr ''
	done
}

@test "face: unknown options, long and short: named, usage on stderr, exit 2" {
	local t
	for t in $(tools); do
		echo "== $t"
		usage=$(usage_of "$t")
		run -2 --separate-stderr "$t" --bogus </dev/null
		assert_output ''
		assert_stderr "$t: unknown option '--bogus'
$usage"
		run -2 --separate-stderr "$t" --bogus=1 </dev/null
		assert_stderr "$t: unknown option '--bogus'
$usage"
		! help_options "$t" | grep -q '^-Z '
		run -2 --separate-stderr "$t" -Z </dev/null
		assert_output ''
		assert_stderr "$t: unknown option '-Z'
$usage"
	done
}

# misuse_each TOOL KIND: TOOL run with each option of KIND, "arg" (each
# that takes an argument, given none) or "flag" (each long flag, given
# "=1"), says so naming the option, shows the usage and exits 2.  Sets n
# to the number of options tried.
misuse_each() {
	local t=$1 kind=$2 usage opt arg
	usage=$(usage_of "$t")
	n=0
	while read -r opt arg; do
		case $kind in
		arg) [ -n "$arg" ] || continue
			set -- "$opt" "missing argument to '$opt'" ;;
		flag) [ -z "$arg" ] && [[ $opt == --* ]] || continue
			set -- "$opt=1" "no argument allowed to '$opt'" ;;
		esac
		n=$((n + 1))
		run -2 --separate-stderr "$t" "$1" </dev/null
		assert_output ''
		assert_stderr "$t: $2
$usage"
	done < <(help_options "$t")
}

@test "face: every option that takes an argument, given none: named, usage, exit 2" {
	local t
	for t in $(tools); do
		echo "== $t"
		misuse_each "$t" arg
		# kpi's options, --help and --version, take none.
		[ "$n" -gt 0 ] || [ "$t" = kpi ]
	done
}

@test "face: every flag given a value (--flag=value): named, usage, exit 2" {
	local t
	for t in $(tools); do
		echo "== $t"
		misuse_each "$t" flag
		[ "$n" -ge 2 ]	# --help and --version at least
	done
}

@test "face: usage text equals the man page SYNOPSIS" {
	local t want got
	command -v mandoc >/dev/null || skip "no mandoc"
	for t in $(tools); do
		echo "== $t"
		want=$(mandoc -T ascii "$KPI_ROOT/man/$t.1" | col -b |
		    sed -n '/^SYNOPSIS/,/^[A-Z]/p' | sed '1d;$d' | tr -s ' \t\n' ' ')
		got=$(usage_of "$t" | sed 's/^usage: //' | tr -s ' \t\n' ' ')
		_diff_text usage "${want# }" "${got# }"
	done
}

@test "face: a missing file: one line naming it, exit 2" {
	local t
	for t in $(tools); do
		echo "== $t"
		tool_args "$t" || { echo "no arguments for $t here: tests/${t#kpi-}.bats has these cases"; continue; }
		run -2 --separate-stderr "$t" "${args[@]}" nosuch.csv
		assert_output ''
		assert_stderr "$t: nosuch.csv: No such file or directory"
	done
}

@test "face: what each tool writes is NDJSON records" {
	local t
	for t in $(tools); do
		echo "== $t"
		tool_args "$t" || { echo "no arguments for $t here: tests/${t#kpi-}.bats has these cases"; continue; }
		run -0 --separate-stderr "$t" "${args[@]}" big.ndjson
		[ "${#lines[@]}" -eq 20000 ]
		assert_records
	done
}

@test "face: a reader leaving early (| head -n 1): exit 0, nothing on stderr" {
	local t
	for t in $(tools); do
		echo "== $t"
		tool_args "$t" || { echo "no arguments for $t here: tests/${t#kpi-}.bats has these cases"; continue; }
		run -0 --separate-stderr bash -c '"$@" big.ndjson | head -n 1 | wc -l; echo "rc=${PIPESTATUS[0]}"' _ "$t" "${args[@]}"
		assert_output '1
rc=0'
		assert_stderr ''
	done
}

@test "face: > /dev/full, with one record or more than any buffer: write error, exit 2" {
	local t
	head -n 1 big.ndjson >one.ndjson
	for t in $(tools); do
		echo "== $t"
		tool_args "$t" || { echo "no arguments for $t here: tests/${t#kpi-}.bats has these cases"; continue; }
		run -2 --separate-stderr bash -c '"$@" one.ndjson >/dev/full' _ "$t" "${args[@]}"
		assert_output ''
		assert_stderr "$t: write error: No space left on device"
		run -2 --separate-stderr bash -c '"$@" big.ndjson >/dev/full' _ "$t" "${args[@]}"
		assert_output ''
		assert_stderr "$t: write error: No space left on device"
	done
}

@test "face: --help and --version > /dev/full: write error, exit 2" {
	local t
	for t in $(tools); do
		echo "== $t"
		run -2 --separate-stderr bash -c '"$1" --help >/dev/full' _ "$t"
		assert_stderr "$t: write error: No space left on device"
		run -2 --separate-stderr bash -c '"$1" --version >/dev/full' _ "$t"
		assert_stderr "$t: write error: No space left on device"
	done
}
