# test_helper.bash - shared set-up for the kpi bats suites.
#
# Load it with "load test_helper".  It puts the tools under test first on
# PATH ($KPI_BIN, default cmd/, relative to the top of the repository) and
# gives:
#
#   fixture NAME          absolute path of tests/fixtures/NAME
#   work                  cd to a fresh per-test directory ($BATS_TEST_TMPDIR)
#   assert_output WANT    stdout of the last "run" is exactly WANT
#   assert_stderr WANT    stderr of the last "run --separate-stderr" is WANT
#   assert_golden NAME    stdout of the last "run" is tests/golden/NAME
#   assert_records        every stdout line is one complete JSON object
#   assert_file_golden NAME FILE   FILE is byte for byte tests/golden/NAME
#
# Comparisons use "diff -u expected actual", so a failing test shows the
# difference.  "run" drops trailing newlines; tests that care about the
# final newline compare files with assert_file_golden or cmp.

bats_require_minimum_version 1.5.0

KPI_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
: "${KPI_BIN:=cmd}"
case $KPI_BIN in
/*) ;;
*) KPI_BIN=$KPI_ROOT/$KPI_BIN ;;
esac
PATH=$KPI_BIN:$PATH
export KPI_BIN PATH
FIXTURES=$KPI_ROOT/tests/fixtures
GOLDEN=$KPI_ROOT/tests/golden

# The tools never call setlocale, but the helpers (sort, grep) might.
export LC_ALL=C
# A catalogue of the user's (kpi-aggregate(1) FILES) must not leak in.
unset KPI_DEFS

fixture() {
	printf '%s\n' "$FIXTURES/$1"
}

# A fresh directory for generated inputs, so _src names stay short.
work() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# diff -u of two strings, each given a final newline.
_diff_text() {
	local label=$1 want=$2 got=$3
	printf '%s\n' "$want" >"$BATS_TEST_TMPDIR/.want"
	printf '%s\n' "$got" >"$BATS_TEST_TMPDIR/.got"
	if ! diff -u --label "expected $label" --label "actual $label" \
	    "$BATS_TEST_TMPDIR/.want" "$BATS_TEST_TMPDIR/.got"; then
		return 1
	fi
}

assert_output() {
	_diff_text stdout "$1" "$output"
}

assert_stderr() {
	_diff_text stderr "$1" "$stderr"
}

assert_golden() {
	local want=$GOLDEN/$1
	[ -f "$want" ] || { echo "no golden file $want"; return 1; }
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/.got"
	diff -u "$want" "$BATS_TEST_TMPDIR/.got"
}

assert_file_golden() {
	local want=$GOLDEN/$1
	[ -f "$want" ] || { echo "no golden file $want"; return 1; }
	diff -u "$want" "$2" && cmp "$want" "$2"
}

# Every line of stdout is a whole JSON object: no half-written record, valid
# UTF-8, no duplicate key.  tests/tools/jsoncheck (make units) checks it with
# jansson: a fresh machine has no jq.  It sits beside the tools' cmd/.
JSONCHECK=$KPI_BIN/../tests/tools/jsoncheck
assert_records() {
	[ -n "$output" ] || return 0
	[ -x "$JSONCHECK" ] || { echo "no $JSONCHECK: run make units"; return 1; }
	"$JSONCHECK" <<<"$output" || { echo "stdout is not NDJSON records"; return 1; }
}

# seq_csv FILE N: a CSV of N rows "i,row-i-end" under the header "n,v", so a
# row cut short anywhere shows (its v does not end in "-end").
seq_csv() {
	{
		echo 'n,v'
		seq "$2" | sed 's/.*/&,row-&-end/'
	} >"$1"
}

# assert_seq_rows SRC: each stdout line is row i of a seq_csv file, whole,
# with _src SRC and _line i+1, in order from row 1 with no gap.
# Prints the number of rows seen in $seq_rows.
assert_seq_rows() {
	local src=$1 line i=0 want
	seq_rows=0
	[ -n "$output" ] || return 0
	while IFS= read -r line; do
		i=$((i + 1))
		want="{\"n\":\"$i\",\"v\":\"row-$i-end\",\"_src\":\"$src\",\"_line\":$((i + 1))}"
		if [ "$line" != "$want" ]; then
			echo "stdout line $i: want $want"
			echo "stdout line $i: got  $line"
			return 1
		fi
	done <<<"$output"
	seq_rows=$i
}

# assert_stderr_line ERE: stderr is exactly one line and matches ERE (for
# messages whose wording comes from libarchive or the JSON parser).
assert_stderr_line() {
	local re=$1
	if [[ $stderr == *$'\n'* ]] || ! [[ $stderr =~ $re ]]; then
		echo "stderr is not one line matching /$re/:"
		printf '%s\n' "$stderr"
		return 1
	fi
}
