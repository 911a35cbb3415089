#!/usr/bin/env bats
# kpi(1), the front door: "kpi CMD" runs kpi-CMD (beside kpi first, then
# on PATH, as git finds its commands), "kpi help TOPIC" runs man, "kpi"
# alone shows the pipeline.  face.bats has its --help, --version and
# misuse cases with the other tools'.

load test_helper

setup() {
	work
	printf 'order,amount\nA1,10\nA2,5\n' >orders.csv
}

# A kpi of its own in ./bin, with only what a case puts beside it.
private_kpi() {
	mkdir -p bin
	cp "$KPI_BIN/kpi" bin/kpi
}

@test "kpi: alone, the overview on stdout as --help shows it, but exit 2" {
	run -0 --separate-stderr kpi --help
	help=$output
	run -2 --separate-stderr kpi
	assert_output "$help"
	assert_stderr ''
	# One screen: the pipeline, the five tools and help.
	[ "${#lines[@]}" -le 24 ]
	for c in extract normalize aggregate goal render help; do
		printf '%s\n' "$output" | grep -q "^  $c  "
	done
	printf '%s\n' "$output" | grep -q '| kpi goal | kpi render$'
}

@test "kpi: kpi CMD runs kpi-CMD with the arguments as given, its status and output" {
	run -0 --separate-stderr kpi-extract --stats orders.csv
	want=$output want_err=$stderr
	run -0 --separate-stderr kpi extract --stats orders.csv
	assert_output "$want"
	assert_stderr "$want_err"
	# The tool's options are its own, even after operands; so is its status.
	run -2 --separate-stderr kpi extract orders.csv --bogus
	assert_stderr "kpi-extract: unknown option '--bogus'
$(kpi-extract --help | sed '/^$/,$d')"
	run -2 --separate-stderr kpi extract nosuch.csv
	assert_stderr 'kpi-extract: nosuch.csv: No such file or directory'
	run -0 --separate-stderr kpi -- extract --version
	assert_output "kpi-extract $(sed -n 's/^VERSION = //p' "$KPI_ROOT/Makefile")"
}

@test "kpi: the tool beside kpi wins over PATH; then PATH, for any kpi-NAME" {
	private_kpi
	printf '#!/bin/sh\necho "beside: $*"\n' >bin/kpi-extract
	chmod +x bin/kpi-extract
	mkdir elsewhere
	printf '#!/bin/sh\necho "hello: $*"\n' >elsewhere/kpi-hello
	chmod +x elsewhere/kpi-hello
	# $KPI_BIN/kpi-extract is first on PATH, yet the one beside runs.
	run -0 --separate-stderr env PATH="$KPI_BIN:$PWD/elsewhere:$PATH" bin/kpi extract -x 'a b'
	assert_output 'beside: -x a b'
	assert_stderr ''
	run -0 --separate-stderr env PATH="$PWD/elsewhere:$PATH" bin/kpi hello 1 2
	assert_output 'hello: 1 2'
	# Not beside, so from PATH: the real one.
	run -0 --separate-stderr env PATH="$KPI_BIN:$PATH" bin/kpi normalize --version
	assert_output "kpi-normalize $(sed -n 's/^VERSION = //p' "$KPI_ROOT/Makefile")"
}

@test "kpi: an unknown command: the nearest named, exit 2" {
	run -2 --separate-stderr kpi extrat
	assert_output ''
	assert_stderr "kpi: unknown command 'extrat': did you mean 'extract'? (kpi --help lists them)"
	run -2 --separate-stderr kpi ../kpi-extract
	assert_stderr "kpi: unknown command '../kpi-extract' (kpi --help lists them)"
	private_kpi
	printf 'not a program\n' >bin/kpi-broken
	chmod -x bin/kpi-broken
	run -2 --separate-stderr env PATH="$PWD/bin" bin/kpi broken
	assert_stderr 'kpi: kpi-broken: Permission denied'
}

@test "kpi: help TOPIC runs man on the page beside kpi, else on the page man finds" {
	private_kpi
	mkdir fake
	printf '#!/bin/sh\necho "man $*"\n' >fake/man
	chmod +x fake/man
	PATH=$PWD/fake:$PATH
	run -0 --separate-stderr bin/kpi help goal
	assert_output 'man 1 kpi-goal'
	assert_stderr ''
	run -0 bin/kpi help kpi-render
	assert_output 'man 1 kpi-render'
	run -0 bin/kpi help records
	assert_output 'man 7 kpi'
	run -0 bin/kpi help kpi
	assert_output 'man 7 kpi'
	run -0 bin/kpi help help
	assert_output 'man 1 kpi'
	# Installed: bin/../share/man; a source tree: cmd/../man.
	mkdir -p share/man/man1 man
	touch share/man/man1/kpi-goal.1 man/kpi-extract.1
	run -0 bin/kpi help goal
	assert_output "man -l $PWD/bin/../share/man/man1/kpi-goal.1"
	run -0 bin/kpi help extract
	assert_output "man -l $PWD/bin/../man/kpi-extract.1"
}

@test "kpi: help alone is --help; an unknown topic lists the topics, exit 2" {
	run -0 --separate-stderr kpi --help
	help=$output
	run -0 --separate-stderr kpi help
	assert_output "$help"
	run -2 --separate-stderr kpi help gaol
	assert_output ''
	assert_stderr "kpi: no manual for 'gaol': did you mean 'goal'? (one of extract, normalize, aggregate, goal, render, help, kpi, records)"
}

@test "kpi: help with no man to run: said, exit 2" {
	private_kpi
	run -2 --separate-stderr env PATH="$PWD/bin" bin/kpi help goal
	assert_output ''
	assert_stderr 'kpi: man: No such file or directory'
}
