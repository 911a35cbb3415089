#!/bin/sh
# generate.sh - write exports/subscriptions.csv, every subscription of
# Ledgerly as Stripe's subscriptions export (all statuses) lists them on
# 31 December 2025, from generate.awk.  Deterministic; the CSV is
# committed, so users never run this.
set -eu
cd "$(dirname "$0")"
mkdir -p exports
LC_ALL=C awk -f generate.awk > exports/subscriptions.csv.tmp
mv exports/subscriptions.csv.tmp exports/subscriptions.csv
