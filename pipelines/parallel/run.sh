#!/bin/sh
# run.sh - aggregate years of archived exports on every core (or several
# machines) with GNU parallel, then merge: the same bytes as one serial run.
#
#   run.sh [-j jobs] [-S sshlogins] [-o out] archive...
#
# Each archive (one month's exports, say) is extracted, normalized and
# aggregated into mergeable states by its own job (kpi-aggregate
# --partial); one kpi-aggregate --merge adds the states up.  -S is GNU
# parallel's --sshlogin: the jobs then run on those machines, which need
# the kpi tools on their PATH and see job.sh, the catalogue and the
# archives under the same paths (a shared disk).
# The tools are taken from $KPI_BIN when set, else from PATH.
set -eu

usage() {
	echo "usage: run.sh [-j jobs] [-S sshlogins] [-o out] archive..." >&2
	exit 2
}
jobs= ssh= out=
while getopts j:S:o: opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	S) ssh=$OPTARG ;;
	o) out=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage

# moreutils ships a parallel(1) too, with other options: its -k is an
# error, and a pipe of its empty output would merge into nothing, exit 0.
if ! parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
	echo "run.sh: GNU parallel is needed (Debian: apt-get install parallel;" \
	    "moreutils' parallel will not do)" >&2
	exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${KPI_BIN:-}" ]; then
	PATH=$(cd "$KPI_BIN" && pwd):$PATH
	export PATH
fi
defs=${KPI_DEFS:-$here/../kpis.json}
grain=${KPI_EVERY:-month}
metrics=${KPI_METRICS:-revenue,orders,aov,customers,new_customers,repeat_rate}
export defs grain metrics

# One job per archive: its states only.  --halt now,fail=1 stops at the
# first failed job; its status is kept in a file, since a pipeline's is
# the merge's, so a broken archive is an error and not a quietly smaller
# total.
status=$(mktemp)
trap 'rm -f "$status"' EXIT
{
	parallel --will-cite -k --halt now,fail=1 ${jobs:+-j "$jobs"} \
	    ${ssh:+--sshlogin "$ssh" --env defs --env grain --env metrics} \
	    "$here/job.sh" {} \
	    ::: "$@" || echo $? > "$status"
} | kpi-aggregate --merge --defs "$defs" --every "$grain" \
    --metrics "$metrics" > "${out:-/dev/stdout}"
if [ -s "$status" ]; then
	echo "run.sh: a job failed (status $(cat "$status")): no result" >&2
	exit 2
fi
