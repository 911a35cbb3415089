#!/usr/bin/env bats
# The manual pages as they render: mandoc -T lint passes a quote macro
# (Ql, Sq, Pq) that swallows the rest of its line, so the rendered text is
# read here.

load test_helper

setup() {
	MAN=$KPI_ROOT/man
}

# render PAGE: the page as text, without overstrikes (col(1) in a UTF-8
# locale, as the suite runs under LC_ALL=C and col would escape the quotes).
render() {
	mandoc -T utf8 "$MAN/$1" | LC_ALL=C.UTF-8 col -b
}

@test "man: no quote opens inside another (a macro swallowing its line)" {
	local page bad=
	for page in "$MAN"/*.1 "$MAN"/*.7; do
		page=${page##*/}
		bad+=$(render "$page" | LC_ALL=C.UTF-8 grep -nE \
		    "‘[^’]*‘|“[^”]*“|\([a-z_ ]+, [a-z_]+\([^)]*\)\)" |
		    sed "s|^|$page:|")
	done
	[ -z "$bad" ] || { printf '%s\n' "$bad"; return 1; }
}

@test "man: every literal block of EXAMPLES is indented" {
	local page bad=
	for page in "$MAN"/*.1 "$MAN"/*.7; do
		bad+=$(sed -n '/^\.Sh EXAMPLES/,/^\.Sh DIAGNOSTICS/p' "$page" |
		    grep -n '^\.Bd -literal$' | sed "s|^|${page##*/}:|")
	done
	[ -z "$bad" ] || { printf '%s\n' "$bad"; return 1; }
}

@test "man: every command the Makefile builds has its page, kpi(1) names them all" {
	local c cmds
	cmds=$(sed -n 's/^CMDS = //p' "$KPI_ROOT/Makefile")
	[[ " $cmds " == *" kpi "* ]]
	for c in $cmds; do
		[ -f "$MAN/$c.1" ] || { echo "no man/$c.1"; false; }
		[ "$c" = kpi ] && continue
		grep -qx "\.Xr $c 1 ,\{0,1\}" "$MAN/kpi.1" || { echo "kpi(1) does not name $c"; false; }
	done
}

@test "man: kpi help shows each page there is (man -l on the source tree's page)" {
	local t
	[ "$KPI_BIN" = "$KPI_ROOT/cmd" ] || skip "kpi help finds man/ beside cmd/ only"
	mkdir -p "$BATS_TEST_TMPDIR/fake"
	printf '#!/bin/sh\necho "$2"\n' >"$BATS_TEST_TMPDIR/fake/man"
	chmod +x "$BATS_TEST_TMPDIR/fake/man"
	for t in extract normalize aggregate goal render help records; do
		run -0 env PATH="$BATS_TEST_TMPDIR/fake:$PATH" kpi help "$t"
		[ -f "$output" ] || { echo "kpi help $t: $output"; false; }
	done
}
