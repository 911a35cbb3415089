#!/bin/bash
# job.sh - one archive's mergeable states: run.sh runs one per archive.
# pipefail: a damaged archive fails the job, whichever stage finds it.
set -euo pipefail
kpi-extract --member 'orders_export_*.csv' "$1" |
	kpi-normalize --preset shopify-orders |
	kpi-aggregate --partial --defs "$defs" --every "$grain" \
	    --metrics "$metrics"
