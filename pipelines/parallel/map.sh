#!/bin/sh
# map.sh - the mapper of a Hadoop Streaming job: typed order rows (the
# output of kpi-normalize, one line per order, so any split of the input
# is whole orders) in, mergeable states out, one "key<TAB>state" per line.
# The key is the metric: Hadoop sorts and partitions on it.
set -eu
: "${KPI_DEFS:=kpis.json}" "${KPI_EVERY:=month}"
: "${KPI_METRICS:=revenue,orders,aov,customers,new_customers,repeat_rate}"
kpi-aggregate --partial --defs "$KPI_DEFS" --every "$KPI_EVERY" \
    --metrics "$KPI_METRICS" |
	sed 's/^{"metric":"\([^"]*\)".*$/\1	&/'
