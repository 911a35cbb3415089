#!/usr/bin/env bats
# Every page's EXAMPLES run as written, in a copy of pipelines/ (the
# directory the pages say they run in), one after the other in one shell
# as a reader would type them, and so do README.md's console blocks,
# with the output each shows compared line for line:
# standard output exactly (or its first and last lines around a "..."
# line), the kpi-TOOL: lines exactly as standard error, an exit status of
# 0 unless the page shows "echo $?" after it.  A command the page shows
# without output may print anything on standard output, nothing on
# standard error.  tests/tools/man-examples.awk reads the commands out of
# the mdoc source.
#
# As on a machine where kpi is installed, the catalogue is found without
# --defs (KPI_DEFS points at pipelines/kpis.json, the file make install
# copies), and kpi help reads the page with mandoc (man-db is not on a
# bare machine).  A display marked '.\" not run: REASON' needs what no
# test machine has (a Hadoop cluster); what it runs is tested elsewhere,
# named in the reason.

load test_helper

setup() {
	local stub=$BATS_TEST_TMPDIR/stub
	mkdir -p "$stub"
	cat >"$stub/man" <<-EOF
	#!/bin/sh
	# man -l FILE, or man SECTION PAGE from the source tree.
	if [ "\$1" = -l ]; then exec mandoc -T utf8 "\$2"; fi
	exec mandoc -T utf8 "$KPI_ROOT/man/\$2.\$1"
	EOF
	chmod +x "$stub/man"
	cp -R "$KPI_ROOT/pipelines" "$BATS_TEST_TMPDIR/p"
	rm -rf "$BATS_TEST_TMPDIR"/p/*/build
	cd "$BATS_TEST_TMPDIR/p" || return 1
	export PATH=$stub:$PATH KPI_DEFS=$PWD/kpis.json
	export GITHUB_STEP_SUMMARY=$BATS_TEST_TMPDIR/summary.md
}

# check_shown N GOT: GOT against the stdout page shows for command N,
# with a "..." line standing for any lines.
check_shown() {
	local want=$1 got=$2 head tail
	if ! grep -qx '\.\.\.' "$want"; then
		diff -u --label expected --label actual "$want" "$got"
		return
	fi
	head=$(sed '/^\.\.\.$/,$d' "$want")
	tail=$(sed '1,/^\.\.\.$/d' "$want")
	diff -u --label 'expected first lines' --label actual \
	    <(printf '%s' "$head${head:+$'\n'}") \
	    <(head -n "$(printf '%s' "$head${head:+$'\n'}" | wc -l)" "$got") &&
	diff -u --label 'expected last lines' --label actual \
	    <(printf '%s' "$tail${tail:+$'\n'}") \
	    <(tail -n "$(printf '%s' "$tail${tail:+$'\n'}" | wc -l)" "$got")
}

# examples PAGE: run the page's examples (man/PAGE, or PAGE at the top
# of the tree); fail at the first that differs.
examples() {
	local ex=$BATS_TEST_TMPDIR/ex i n cmd status=0 next src=$KPI_ROOT/man/$1
	[ -f "$src" ] || src=$KPI_ROOT/$1
	[[ $1 != /* ]] || src=$1
	rm -rf "$ex" && mkdir "$ex"
	set -o pipefail
	awk -v dir="$ex" -f "$KPI_ROOT/tests/tools/man-examples.awk" "$src"
	n=$(cat "$ex/count")
	[ "$n" -gt 0 ] || { echo "$1: no examples"; return 1; }
	for ((i = 1; i <= n; i++)); do
		cmd=$(cat "$ex/$i.cmd")
		if [ "$cmd" = 'echo $?' ]; then
			[ "$status" = "$(cat "$ex/$i.out")" ] ||
			    { echo "$1: exit status $status, the page says $(cat "$ex/$i.out")"; return 1; }
			continue
		fi
		# In this shell, so that a variable set by one command is there
		# for the next, as in the reader's shell.
		status=0
		{ eval "$cmd"; } >"$ex/got.out" 2>"$ex/got.err" || status=$?
		next=
		[ -f "$ex/$((i + 1)).cmd" ] && next=$(cat "$ex/$((i + 1)).cmd")
		if [ "$status" != 0 ] && [ "$next" != 'echo $?' ]; then
			printf '%s: exit status %d from\n%s\n' "$1" "$status" "$cmd"
			cat "$ex/got.err"
			return 1
		fi
		if ! diff -u --label 'expected stderr' --label 'actual stderr' \
		    "$ex/$i.err" "$ex/got.err" ||
		    { [ -f "$ex/$i.shown" ] &&
		    ! check_shown "$ex/$i.out" "$ex/got.out"; }; then
			printf '%s: the output differs from the page for\n%s\n' "$1" "$cmd"
			return 1
		fi
	done
	[ ! -f "$ex/skipped" ] || sed "s|^|$1: not run: |" "$ex/skipped" >&3
}

@test "man examples: kpi(1)" { examples kpi.1; }
@test "man examples: kpi-extract(1)" { examples kpi-extract.1; }
@test "man examples: kpi-normalize(1)" { examples kpi-normalize.1; }
@test "man examples: kpi-aggregate(1)" { examples kpi-aggregate.1; }
@test "man examples: kpi-goal(1)" { examples kpi-goal.1; }
@test "man examples: kpi-render(1)" { examples kpi-render.1; }
@test "man examples: kpi(7)" { examples kpi.7; }

# README.md's console blocks run at the top of a clone: cmd/ holds the
# tools, pipelines/ the samples, no catalogue is installed.
@test "man examples: README.md" {
	mkdir "$BATS_TEST_TMPDIR/clone"
	mv "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/clone/pipelines"
	ln -s "$KPI_BIN" "$BATS_TEST_TMPDIR/clone/cmd"
	cd "$BATS_TEST_TMPDIR/clone"
	unset KPI_DEFS
	PATH=${PATH/"$KPI_BIN:"/}	# a clone's tools are not on PATH
	examples README.md
}

@test "man examples: every page's EXAMPLES are run here" {
	local page
	for page in "$KPI_ROOT"/man/*.[17]; do
		page=${page##*/}
		grep -q "^@test \"man examples: ${page%.*}(${page##*.})\"" \
		    "$BATS_TEST_FILENAME" || { echo "$page: not run"; false; }
	done
}

@test "man examples: the reader reads commands, output and escapes as mandoc shows them" {
	local ex=$BATS_TEST_TMPDIR/ex
	mkdir -p "$ex"
	cat >"$BATS_TEST_TMPDIR/t.1" <<-'EOF'
	.Sh EXAMPLES
	.Bd -literal -offset indent
	not a command
	$ printf '%s\en' \e
	    'a \(Po1' |
	    cat
	a \(Po1
	kpi-extract: a note
	$ { echo x
	  echo y; }
	\&...
	.Ed
	.Dl $ echo \(dqz\(dq
	.\" not run: needs a cluster
	.Bd -literal -offset indent
	$ hadoop jar x
	.Ed
	.Sh SEE ALSO
	.Dl $ not an example
	EOF
	awk -v dir="$ex" -f "$KPI_ROOT/tests/tools/man-examples.awk" \
	    "$BATS_TEST_TMPDIR/t.1"
	[ "$(cat "$ex/count")" = 3 ]
	[ "$(cat "$ex/1.cmd")" = "printf '%s\\n' \\
    'a £1' |
    cat" ]
	[ "$(cat "$ex/1.out")" = "a £1" ]
	[ "$(cat "$ex/1.err")" = "kpi-extract: a note" ]
	[ "$(cat "$ex/2.cmd")" = "{ echo x
  echo y; }" ]
	[ "$(cat "$ex/2.out")" = "..." ]
	[ "$(cat "$ex/3.cmd")" = 'echo "z"' ]
	[ ! -f "$ex/3.shown" ]
	[ "$(cat "$ex/skipped")" = "needs a cluster" ]
	printf '.Sh EXAMPLES\n.Dl $ echo \\*(Ba\n' >"$BATS_TEST_TMPDIR/u.1"
	run ! awk -v dir="$ex" -f "$KPI_ROOT/tests/tools/man-examples.awk" \
	    "$BATS_TEST_TMPDIR/u.1"
}

@test "man examples: a wrong output, status or stderr fails; ... stands for lines" {
	local t=$BATS_TEST_TMPDIR/t.1
	printf '%s\n' '.Sh EXAMPLES' '.Bd -literal -offset indent' '$ seq 5' 1 \
	    '\&...' 4 5 '$ false' '$ echo $?' 1 .Ed >"$t"
	examples "$t"
	sed -i 's/^4$/3/' "$t"
	run ! examples "$t"
	printf '%s\n' '.Sh EXAMPLES' '.Dl $ false' >"$t"
	run ! examples "$t"
	printf '%s\n' '.Sh EXAMPLES' '.Dl $ echo x >&2' >"$t"
	run ! examples "$t"
	printf '%s\n' '.Sh EXAMPLES' '.Bd -literal -offset indent' '$ echo x' y .Ed >"$t"
	run ! examples "$t"
}
