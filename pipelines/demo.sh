#!/usr/bin/env bash
# demo.sh - what make demo runs: the seeds' e-commerce funnel
# (pipelines/funnel) on a year of a tea shop's monthly exports, its
# monthly report on the terminal, and where the HTML dashboards are.
#
# The tools are taken from $KPI_BIN (default: cmd), relative to the
# repository root unless absolute; the reports go to $KPI_DEMO_BUILD
# (default: pipelines/funnel/build).
set -eu

cd "$(dirname "$0")/.."
bin=${KPI_BIN:-cmd}
case $bin in
/*) ;;
*) bin=$PWD/$bin ;;
esac
build=${KPI_DEMO_BUILD:-$PWD/pipelines/funnel/build}

cat <<'END'
The funnel of Leaf & Kettle, a small tea shop, over 2025: twelve monthly
zips of Shopify orders, GA4 downloads, Meta and Google Ads reports and
Judge.me reviews (pipelines/funnel/exports), run by pipelines/funnel/Makefile:

  kpi-extract | kpi-normalize --preset ... | kpi-aggregate --partial   each month
  kpi-aggregate --merge | kpi-goal | kpi-render                        each report

END
make -s -C pipelines/funnel B="$build" KPI_BIN="$bin/"
cat "$build/month.txt"
cat <<END

The HTML dashboards: $build/month.html
  (by week: week.html, by quarter: quarter.html; by channel: channel.md)
The goals December missed, as a CI job sees them:
  make -C pipelines/funnel check
The tour of each tool is README.md; the pipelines are pipelines/*/README.md.
END
