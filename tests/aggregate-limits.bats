#!/usr/bin/env bats
# kpi-aggregate and issue 15, "no silent wrong answers": a value beyond a
# double's range, a data set with no rows, --fill's limit, and errors that
# say what to do.  Expected values are worked out by hand in the comments.

load test_helper

setup() {
	work
}

@test "aggregate: a sum beyond a double's range is null with a note naming the metric and group" {
	# 1e308 + 1e308 = 2e308 > DBL_MAX (1.8e308): no number, so null, and
	# the note says it is not a period with no rows.
	printf '%s\n' '{"time":"2024-01-01T00:00:00Z","c":"GB","revenue":1e308}' \
	    '{"time":"2024-01-01T00:00:00Z","c":"GB","revenue":1e308}' \
	    '{"time":"2024-01-01T00:00:00Z","c":"US","revenue":1}' >r.ndjson
	run -0 --separate-stderr kpi-aggregate -m 'revenue=sum(revenue)' --by c r.ndjson
	assert_output '{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"c":"GB"},"value":null}
{"metric":"revenue","period":"2024-W01","start":"2024-01-01T00:00:00Z","end":"2024-01-08T00:00:00Z","dims":{"c":"US"},"value":1}'
	assert_stderr 'kpi-aggregate: revenue: value beyond the range of a number in period 2024-W01 {"c":"GB"}: null'
}
