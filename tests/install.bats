#!/usr/bin/env bats
# make install and make uninstall into a DESTDIR, and plain make's word on
# missing packages.  The tools under test ($KPI_BIN, B/cmd) are the ones
# installed: make is run with B set to their build, where nothing is out
# of date, so nothing is rebuilt.

load test_helper

setup() {
	case $KPI_BIN in
	*/cmd) B=${KPI_BIN%/cmd} ;;
	*) skip "KPI_BIN is not a build's cmd/" ;;
	esac
	work
}

# make in the source tree, for the build in $B.
mk() {
	make -s --no-print-directory -C "$KPI_ROOT" B="$B" "$@"
}

# Every file and link under DESTDIR, one a line, sorted.
files() {
	(cd dest && find . -type f -o -type l | sed 's|^\./|/|' | LC_ALL=C sort)
}

@test "install: tools, manual pages, the catalogue and completions, no more; uninstall removes them" {
	local c want=
	mk install DESTDIR="$PWD/dest" PREFIX=/opt/kpi >make.out 2>&1 ||
	    { cat make.out; false; }
	for c in kpi kpi-aggregate kpi-extract kpi-goal kpi-normalize kpi-render; do
		want+="/opt/kpi/bin/$c"$'\n'
	done
	for c in kpi kpi-aggregate kpi-extract kpi-goal kpi-normalize kpi-render; do
		want+="/opt/kpi/share/bash-completion/completions/$c"$'\n'
	done
	want+=/opt/kpi/share/kpi/kpis.json$'\n'
	for c in kpi-aggregate kpi-extract kpi-goal kpi-normalize kpi-render kpi; do
		want+="/opt/kpi/share/man/man1/$c.1"$'\n'	# '-' sorts before '.'
	done
	want+=/opt/kpi/share/man/man7/kpi.7
	run -0 files
	assert_output "$want"
	for c in kpi kpi-aggregate kpi-extract kpi-goal kpi-normalize kpi-render; do
		[ -x "dest/opt/kpi/bin/$c" ]
		cmp "$KPI_ROOT/man/$c.1" "dest/opt/kpi/share/man/man1/$c.1"
		cmp "$KPI_ROOT/cmd/kpi.bash-completion" \
		    "dest/opt/kpi/share/bash-completion/completions/$c"
	done
	cmp "$KPI_ROOT/pipelines/kpis.json" dest/opt/kpi/share/kpi/kpis.json

	mk uninstall DESTDIR="$PWD/dest" PREFIX=/opt/kpi >make.out 2>&1 ||
	    { cat make.out; false; }
	run -0 files
	assert_output ''
	[ ! -e dest/opt/kpi/share/kpi ]
}

@test "install: the installed tools find the installed catalogue without --defs" {
	mk install DESTDIR="$PWD/dest" PREFIX=/usr/local >make.out 2>&1 ||
	    { cat make.out; false; }
	bin=dest/usr/local/bin
	printf '%s\n' '{"time":"2024-03-04T10:00:00Z","order_id":"a","revenue":5,"_dataset":"orders"}' \
	    '{"time":"2024-03-05T10:00:00Z","order_id":"b","revenue":7,"_dataset":"orders"}' >rows.ndjson
	run -0 --separate-stderr "$bin/kpi" aggregate --every all --metrics orders,revenue rows.ndjson
	assert_output "$(kpi-aggregate --defs "$KPI_ROOT/pipelines/kpis.json" --every all --metrics orders,revenue rows.ndjson)"
	[ "${#lines[@]}" -eq 2 ]
	# Without the installed tree the same command has no catalogue.
	run -2 --separate-stderr kpi-aggregate --every all --metrics orders rows.ndjson
	mk uninstall DESTDIR="$PWD/dest" PREFIX=/usr/local >/dev/null 2>&1
}

@test "make: a missing package is named, with make deps and make demo, before compiling" {
	run -2 --separate-stderr mk BUILD_DEPS='libjansson-dev:jansson.h libkpi-nosuch-dev:kpi/nosuch.h zlib1g-dev:zlib.h libkpi-other-dev:kpi_other.h' all
	[ "${stderr%%$'\n'make*}" = "kpi: missing packages: libkpi-nosuch-dev libkpi-other-dev
kpi: 'make deps' (as root) or 'make demo' installs them" ] || { echo "$stderr"; false; }
	# What is there is not named; with all there, the build goes on.
	run -0 --separate-stderr mk BUILD_DEPS='libjansson-dev:jansson.h' all
	assert_stderr ''
}
