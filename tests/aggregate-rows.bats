#!/usr/bin/env bats
# kpi-aggregate's row path where it remembers the rows before: each
# field's place in the last row, the sets of dims values met and their
# text, the last row's group and period, and the canonical RFC 3339 form
# read at its fixed places.  Rows whose keys move, dims missing, null,
# numbers or changing every row, more sets of dims than are remembered,
# times sorted across DST changes, and times in other forms must give
# what each row alone would.  Every expected value is worked out by hand
# in the comments.

load test_helper

setup() {
	work
}

# pt METRIC PERIOD START END DIMS VALUE: one point as kpi(7) gives it.
pt() {
	printf '{"metric":"%s","period":"%s","start":"%s","end":"%s","dims":%s,"value":%s}\n' \
	    "$1" "$2" "$3" "$4" "$5" "$6"
}

# w10 METRIC DIMS VALUE, w11 ...: the UTC ISO weeks 2024-W10 (4-10
# March 2024) and 2024-W11 (11-17 March 2024).
w10() {
	pt "$1" 2024-W10 2024-03-04T00:00:00Z 2024-03-11T00:00:00Z "$2" "$3"
}
w11() {
	pt "$1" 2024-W11 2024-03-11T00:00:00Z 2024-03-18T00:00:00Z "$2" "$3"
}

@test "rows: keys in another order on every row: each field found where it is" {
	# The fields' places change mid-file, the dims' and the metric's
	# with them, and one row has a key more in front.
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-03-05T10:00:00Z","ch":"web","co":"GB","v":1}
	{"time":"2024-03-05T11:00:00Z","ch":"web","co":"GB","v":2}
	{"v":4,"co":"GB","ch":"web","time":"2024-03-06T10:00:00Z"}
	{"co":"IE","time":"2024-03-06T11:00:00Z","v":8,"ch":"app"}
	{"x":0,"time":"2024-03-12T10:00:00Z","ch":"web","co":"GB","v":16}
	{"time":"2024-03-12T11:00:00Z","ch":"app","co":"IE","v":32}
	{"ch":"app","v":64,"time":"2024-03-13T10:00:00Z","co":"GB"}
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' -m 'n=count(v)' \
	    --by ch,co --every week rows.ndjson
	# W10: app/IE 8 (one row); web/GB 1 + 2 + 4 = 7 (three rows).
	# W11: app/GB 64; app/IE 32; web/GB 16; one row each.
	assert_output "$(
	    w11 s '{"ch":"app","co":"GB"}' 64
	    w10 s '{"ch":"app","co":"IE"}' 8
	    w11 s '{"ch":"app","co":"IE"}' 32
	    w10 s '{"ch":"web","co":"GB"}' 7
	    w11 s '{"ch":"web","co":"GB"}' 16
	    w11 n '{"ch":"app","co":"GB"}' 1
	    w10 n '{"ch":"app","co":"IE"}' 1
	    w11 n '{"ch":"app","co":"IE"}' 1
	    w10 n '{"ch":"web","co":"GB"}' 3
	    w11 n '{"ch":"web","co":"GB"}' 1)"
	assert_stderr ""
}

@test "rows: a dim missing, null, a number and its text: one group per text" {
	# Missing and null are both null; 7 and "7" are both "7" (a
	# dimension is text), though the rows' values differ in type.
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-03-05T10:00:00Z","ch":"a","v":1}
	{"v":2,"ch":"b","time":"2024-03-06T10:00:00Z"}
	{"time":"2024-03-12T10:00:00Z","v":4}
	{"ch":null,"time":"2024-03-12T11:00:00Z","v":8}
	{"ch":7,"time":"2024-03-05T11:00:00Z","v":16}
	{"ch":"7","time":"2024-03-05T12:00:00Z","v":32}
	{"ch":true,"time":"2024-03-05T13:00:00Z","v":64}
	{"ch":7.0,"time":"2024-03-05T14:00:00Z","v":128}
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --by ch --total \
	    --every week rows.ndjson
	# {} W10: 1 + 2 + 16 + 32 + 64 + 128 = 243; W11: 4 + 8 = 12.
	# "7": 16 + 32 = 48; 7.0 is its own text "7.0": 128; true: 64;
	# null: 4 + 8 = 12.
	assert_output "$(
	    w10 s '{}' 243
	    w11 s '{}' 12
	    w10 s '{"ch":"7"}' 48
	    w10 s '{"ch":"7.0"}' 128
	    w10 s '{"ch":"a"}' 1
	    w10 s '{"ch":"b"}' 2
	    w11 s '{"ch":null}' 12
	    w10 s '{"ch":true}' 64)"
	assert_stderr ""
}

@test "rows: dims and periods changing every row, and coming back" {
	# a and b in turn, the week changing every other row: no row may
	# land in the last row's group unless both its dims and its week
	# are that group's.
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-03-05T10:00:00Z","ch":"a","v":1}
	{"time":"2024-03-05T10:00:00Z","ch":"b","v":2}
	{"time":"2024-03-12T10:00:00Z","ch":"b","v":4}
	{"time":"2024-03-12T10:00:00Z","ch":"a","v":8}
	{"time":"2024-03-06T10:00:00Z","ch":"a","v":16}
	{"time":"2024-03-06T10:00:00Z","ch":"a","v":32}
	{"time":"2024-03-13T10:00:00Z","ch":"a","v":64}
	{"time":"2024-03-06T10:00:00Z","ch":"b","v":128}
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --by ch --total \
	    --every week rows.ndjson
	# a W10: 1 + 16 + 32 = 49; a W11: 8 + 64 = 72;
	# b W10: 2 + 128 = 130; b W11: 4.  {} W10: 179; W11: 76.
	assert_output "$(
	    w10 s '{}' 179
	    w11 s '{}' 76
	    w10 s '{"ch":"a"}' 49
	    w11 s '{"ch":"a"}' 72
	    w10 s '{"ch":"b"}' 130
	    w11 s '{"ch":"b"}' 4)"
	assert_stderr ""
}

@test "rows: count_if and share_if over two dims with --total, keys moving" {
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-03-05T10:00:00Z","co":"GB","ch":"web","score":9,"ok":true}
	{"ch":"web","co":"GB","time":"2024-03-05T11:00:00Z","score":3,"ok":false}
	{"score":10,"time":"2024-03-05T12:00:00Z","co":"IE","ch":"web"}
	{"time":"2024-03-05T13:00:00Z","co":"IE","ch":"app","score":null,"ok":true}
	{"ok":true,"time":"2024-03-05T14:00:00Z","co":"GB","ch":"web","score":9}
	EOF
	run -0 --separate-stderr kpi-aggregate -m 'p=count_if(score >= 9)' \
	    -m 'sh=share_if(ok)' --by co,ch --total --every week rows.ndjson
	# GB/web: scores 9, 3, 9: 2 promoters; ok true, false, true: 2/3.
	# IE/app: score null: 0; ok true: 1.  IE/web: 10: 1; no ok: null.
	# {}: 3 promoters; ok 3 of 4 values: 0.75.
	assert_output "$(
	    w10 p '{}' 3
	    w10 p '{"co":"GB","ch":"web"}' 2
	    w10 p '{"co":"IE","ch":"app"}' 0
	    w10 p '{"co":"IE","ch":"web"}' 1
	    w10 sh '{}' 0.75
	    w10 sh '{"co":"GB","ch":"web"}' 0.6666666666666666
	    w10 sh '{"co":"IE","ch":"app"}' 1
	    w10 sh '{"co":"IE","ch":"web"}' null)"
	assert_stderr ""
}

@test "rows: more sets of dims than are remembered, each met twice" {
	# 5000 ids, then the same 5000 again: the first 4096 sets of values
	# are remembered, the rest are made each time; every group gets its
	# two rows, 1 and 2.
	awk 'BEGIN { for (k = 0; k < 2; k++) for (i = 1; i <= 5000; i++)
	    printf "{\"time\":\"2024-03-05T10:00:00Z\",\"id\":\"u%d\",\"v\":%d}\n",
	    i, k + 1 }' > rows.ndjson
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --by id \
	    --every week rows.ndjson
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 5000 ]
	[ "$(printf '%s\n' "$output" | grep -c '"value":3}$')" -eq 5000 ]
	w10 s '{"id":"u4097"}' 3 | grep -qxF -- "$(printf '%s\n' "$output" |
	    grep '"u4097"')"
	assert_stderr ""
}

@test "rows: times sorted across London's DST changes, by day" {
	# 2024-03-31 (23 hours) and 2024-10-27 (25 hours) in Europe/London:
	# 23:30Z on the 30th is 23:30 GMT that day; 00:30Z and 22:30Z on
	# the 31st are the 31st (00:30 GMT, 23:30 BST); 23:30Z is 00:30 BST
	# on 1 April.  All of 26 Oct 23:30Z (00:30 BST), 27 Oct 00:30Z
	# (01:30 BST), 01:30Z (01:30 GMT) and 23:30Z are 27 October.
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-03-30T23:30:00Z","v":1}
	{"time":"2024-03-31T00:30:00Z","v":2}
	{"time":"2024-03-31T22:30:00Z","v":4}
	{"time":"2024-03-31T23:30:00Z","v":8}
	{"time":"2024-10-26T23:30:00Z","v":16}
	{"time":"2024-10-27T00:30:00Z","v":32}
	{"time":"2024-10-27T01:30:00Z","v":64}
	{"time":"2024-10-27T23:30:00Z","v":128}
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every day \
	    --tz Europe/London rows.ndjson
	assert_output "$(
	    pt s 2024-03-30 2024-03-30T00:00:00Z 2024-03-31T00:00:00Z '{}' 1
	    pt s 2024-03-31 2024-03-31T00:00:00Z 2024-04-01T00:00:00+01:00 '{}' 6
	    pt s 2024-04-01 2024-04-01T00:00:00+01:00 2024-04-02T00:00:00+01:00 '{}' 8
	    pt s 2024-10-27 2024-10-27T00:00:00+01:00 2024-10-28T00:00:00Z '{}' 240)"
	assert_stderr ""
}

@test "rows: times in other forms beside the canonical one, same instants" {
	# Each pair is one instant: canonical, then another form the
	# general reading takes (offset, blank, lower case, fraction, no
	# colon).  23:30-01:00 is 00:30Z the next day, in W11.
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-03-10T23:30:00Z","v":1}
	{"time":"2024-03-11T00:30:00+01:00","v":2}
	{"time":"2024-03-10T23:59:59Z","v":4}
	{"time":" 2024-03-10t23:59:59z","v":8}
	{"time":"2024-03-10T23:59:59.999Z","v":16}
	{"time":"2024-03-10T23:30:00-01:00","v":32}
	{"time":"2024-03-11T00:30:00+0100","v":64}
	EOF
	run -0 --separate-stderr kpi-aggregate -m 's=sum(v)' --every week \
	    rows.ndjson
	# W10: 1 + 2 + 4 + 8 + 16 + 64 = 95; W11: 32.
	assert_output "$(
	    w10 s '{}' 95
	    w11 s '{}' 32)"
	assert_stderr ""
}

@test "rows: a time the canonical form cannot hold is rejected as before" {
	cat > rows.ndjson <<-'EOF'
	{"time":"2024-02-30T10:00:00Z","v":1}
	{"time":"2024-03-05T24:00:00Z","v":2}
	{"time":"2024-03-05T10:00:60Z","v":4}
	{"time":"2024-03-05T10:00:00+24:00","v":8}
	{"time":"2024-03-05T10:00:00Z","v":16}
	EOF
	run -1 --separate-stderr kpi-aggregate -m 's=sum(v)' --every week \
	    rows.ndjson
	# 24:00:00 is the next day's midnight: 6 March, W10.  The others
	# do not read: rejected, with exit 1.
	assert_output "$(w10 s '{}' 18)"
	assert_stderr "kpi-aggregate: rows.ndjson:1: bad time '2024-02-30T10:00:00Z'
kpi-aggregate: rows.ndjson:3: bad time '2024-03-05T10:00:60Z'
kpi-aggregate: rows.ndjson:4: bad time '2024-03-05T10:00:00+24:00'"
}
