#!/usr/bin/env bats
# The bash completion (cmd/kpi.bash-completion), sourced and called as bash
# calls it: COMP_WORDS and COMP_CWORD set, _kpi run, COMPREPLY read.  The
# tools it asks are those under test, first on PATH.

load test_helper

setup() {
	work
	# shellcheck source=/dev/null
	source "$KPI_ROOT/cmd/kpi.bash-completion"
	printf '%s\n' '{"kpis":[{"name":"orders","formula":"count(order)","dataset":"orders"},{"name":"revenue","formula":"sum(amount)","dataset":"orders"},{"name":"refunds","formula":"sum(refund)","dataset":"orders"}]}' >cat.json
}

# complete WORD...: the replies for the last WORD, one a line, sorted.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_kpi
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

@test "completion: registered for kpi and every tool" {
	run -0 complete -p kpi kpi-extract kpi-normalize kpi-aggregate kpi-goal kpi-render
	[ "${#lines[@]}" -eq 6 ]
	[[ ${lines[0]} == 'complete -o bashdefault -o default -F _kpi kpi' ]]
}

@test "completion: every option of each tool's --help, and only those" {
	local t
	for t in kpi-extract kpi-normalize kpi-aggregate kpi-goal kpi-render; do
		echo "== $t"
		run -0 complete_words "$t" -
		assert_output "$("$t" --help | grep -Eo '^  +(-[a-zA-Z], )?--?[a-z-]+|^  +-[a-zA-Z]' |
		    sed 's/^ *//; s/, /\n/' | LC_ALL=C sort)"
	done
	run -0 complete_words kpi-extract --st
	assert_output '--stats
--strict'
	run -0 complete_words kpi-normalize --pr
	assert_output '--preset
--progress'
}

@test "completion: presets from kpi-normalize --list-presets" {
	run -0 complete_words kpi-normalize --preset shopify
	assert_output "$(kpi-normalize --list-presets | grep '^shopify' | LC_ALL=C sort)"
	[ "${#lines[@]}" -ge 2 ]
	run -0 complete_words kpi-normalize --keep --show-preset ga
	assert_output 'ga4'
}

@test "completion: metric names from the catalogue of --defs, \$KPI_DEFS, as a comma list" {
	run -0 complete_words kpi-aggregate --defs cat.json --metrics re
	assert_output 'refunds
revenue'
	run -0 complete_words kpi-aggregate --defs cat.json --metrics orders,ref
	assert_output 'orders,refunds'
	KPI_DEFS=cat.json
	export KPI_DEFS
	run -0 complete_words kpi-render --metrics o
	assert_output 'orders'
	run -0 complete_words kpi aggregate --metrics rev
	assert_output 'revenue'
}

@test "completion: formats, periods, encodings and statuses as the tools name them" {
	run -0 complete_words kpi-render --format h
	assert_output 'html'
	run -0 complete_words kpi-render --format ''
	[[ $output == *openmetrics* && $output == *table* ]]
	# bash splits --format=ht at '=': the option is two words back.
	run -0 complete_words kpi-render --format = ht
	assert_output 'html'
	run -0 complete_words kpi-extract --format nd
	assert_output 'ndjson'
	run -0 complete_words kpi-extract --encoding utf-16
	assert_output 'utf-16be
utf-16le'
	run -0 complete_words kpi-aggregate --every m
	assert_output 'month'
	run -0 complete_words kpi-goal --fail-on at_risk,mi
	assert_output 'at_risk,missed'
	run -0 complete_words kpi-render --color a
	assert_output 'always
auto'
}

@test "completion: files where a file goes (bash's own, -o default)" {
	run -0 complete_words kpi-aggregate --defs c
	assert_output ''
	run -0 complete_words kpi-extract orders
	assert_output ''
}

@test "completion: kpi: its commands, its options, help topics, then the tool's own" {
	run -0 complete_words kpi ''
	assert_output 'aggregate
extract
goal
help
normalize
render'
	run -0 complete_words kpi --
	assert_output '--help
--version'
	run -0 complete_words kpi help re
	assert_output 'records
render'
	run -0 complete_words kpi extract --st
	assert_output '--stats
--strict'
	run -0 complete_words kpi normalize --preset ga
	assert_output 'ga4'
	run -0 complete_words "$KPI_BIN/kpi" render --format j
	assert_output 'json
junit'
}

@test "completion: metric names from kpi-aggregate --list-metrics where it has one" {
	mkdir bin
	cat >bin/kpi-aggregate <<'SH'
#!/bin/sh
case $1 in
--help) printf '      --defs file  the catalogue\n      --list-metrics  print the metrics\n      --metrics name[,name...]  these\n' ;;
--list-metrics) shift; printf 'alpha\tthe first (%s)\nalps\tthe second\n' "$*" ;;
esac
SH
	chmod +x bin/kpi-aggregate
	PATH=$PWD/bin:$PATH
	run -0 complete_words kpi-aggregate --metrics al
	assert_output 'alpha
alps'
	# --defs is passed on.
	run -0 bash -c 'source "$1"; COMP_WORDS=(kpi-aggregate --defs x.json --metrics alph); COMP_CWORD=4; _kpi; printf "%s\n" "${COMPREPLY[@]}"' _ "$KPI_ROOT/cmd/kpi.bash-completion"
	assert_output 'alpha'
	run -0 _kpi_metrics kpi-aggregate x.json
	assert_output 'alpha
alps'
}
