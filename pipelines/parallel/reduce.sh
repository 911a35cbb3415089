#!/bin/sh
# reduce.sh - the reducer of a Hadoop Streaming job: sorted
# "key<TAB>state" lines in, the merged points out.  Run it as the job's
# only reducer (-numReduceTasks 1): new customers and retention look
# across periods and metrics, so every state must meet in one merge.
set -eu
: "${KPI_DEFS:=kpis.json}" "${KPI_EVERY:=month}"
: "${KPI_METRICS:=revenue,orders,aov,customers,new_customers,repeat_rate}"
cut -f 2- | kpi-aggregate --merge --defs "$KPI_DEFS" --every "$KPI_EVERY" \
    --metrics "$KPI_METRICS"
