#!/usr/bin/env bats
# kpi-goal --lint: the goals' shape and their SMART lint, every message and
# exit status; and the command's face: --help, --version, misuse, missing
# files, a reader that leaves, a full disk.

load test_helper

setup() {
	work
}

GOAL_USAGE='usage: kpi-goal [--check] [--lint] [--as-of date] [--at-risk ratio]
                [--cumulative period] [--defs file] [--early share]
                [--fail-on status[,status...]] [--goals file] [file ...]'

# A catalogue k.json of cr, cpc and roas (and their operands) with the
# goals given.
catalogue() {
	local IFS=, all
	all="$*"
	cat >k.json <<-EOF
	{"kpis":[
	 {"name":"orders","formula":"count()"},{"name":"sessions","formula":"sum(sessions)"},
	 {"name":"spend","formula":"sum(spend)","direction":"lower"},{"name":"clicks","formula":"sum(clicks)"},
	 {"name":"value","formula":"sum(value)"},
	 {"name":"cr","formula":"orders / sessions","format":"percent"},
	 {"name":"cpc","formula":"spend / clicks","format":"money","direction":"lower"},
	 {"name":"roas","formula":"value / spend"}],
	 "goals":[$all]}
	EOF
}

# lint GOAL...: --lint over a catalogue of those goals.
lint() {
	catalogue "$@"
	run --separate-stderr kpi-goal --lint --defs k.json
}

@test "lint: good goals pass quietly" {
	lint '{"name":"cr_up","metric":"cr","kind":"target","baseline":0.018,"target":0.022,"deadline":"2025-06-30"}' \
	    '{"metric":"cpc","kind":"at_most","target":0.9}' \
	    '{"metric":"sessions","kind":"total","target":15000,"every":"month"}' \
	    '{"metric":"roas","kind":"band"}'
	[ "$status" -eq 0 ]
	assert_output ""
	assert_stderr ""
}

@test "lint: the shipped catalogue's goals pass" {
	run -0 --separate-stderr kpi-goal --lint --defs "$KPI_ROOT/pipelines/kpis.json"
	assert_output ""
}

@test "lint: not measurable: a metric the catalogue lacks" {
	lint '{"name":"stars","metric":"rating","kind":"at_least","target":4.5}'
	[ "$status" -eq 2 ]
	assert_stderr "kpi-goal: k.json: goal 'stars': metric 'rating' is not in the catalogue (not measurable)"
}

@test "lint: not specific: no target, no range, no change" {
	lint '{"name":"a","metric":"cpc","kind":"at_most"}'
	[ "$status" -eq 2 ]
	assert_stderr "kpi-goal: k.json: goal 'a': no target (not specific)"
	lint '{"name":"b","metric":"cr","kind":"between","low":0.01}'
	assert_stderr "kpi-goal: k.json: goal 'b': no 'low' and 'high' (not specific)"
	lint '{"name":"c","metric":"cr","kind":"between","low":0.03,"high":0.01}'
	assert_stderr "kpi-goal: k.json: goal 'c': 'low' above 'high' (not specific)"
	lint '{"name":"d","metric":"cr","kind":"change","every":"month"}'
	assert_stderr "kpi-goal: k.json: goal 'd': no 'change' (not specific)"
}

@test "lint: not time-bound: no deadline, start after it, no 'every'" {
	lint '{"name":"a","metric":"cr","kind":"target","target":0.022}'
	[ "$status" -eq 2 ]
	assert_stderr "kpi-goal: k.json: goal 'a': no deadline (not time-bound)"
	lint '{"name":"b","metric":"cr","kind":"target","target":0.022,"start":"2025-07-01","deadline":"2025-06-30"}'
	assert_stderr "kpi-goal: k.json: goal 'b': start after the deadline (not time-bound)"
	lint '{"name":"c","metric":"sessions","kind":"total","target":15000}'
	assert_stderr "kpi-goal: k.json: goal 'c': no 'every' period (not time-bound)"
	lint '{"name":"d","metric":"sessions","kind":"change","change":0.1}'
	assert_stderr "kpi-goal: k.json: goal 'd': no 'every' period (not time-bound)"
}

@test "lint: not achievable as written: a target behind its baseline" {
	lint '{"name":"a","metric":"cr","kind":"target","baseline":0.022,"target":0.018,"deadline":"2025-06-30"}'
	[ "$status" -eq 2 ]
	assert_stderr "kpi-goal: k.json: goal 'a': target 0.018 is not beyond baseline 0.022 where higher is better (not achievable as written)"
	# cpc: lower is better, from the catalogue
	lint '{"name":"b","metric":"cpc","kind":"target","baseline":0.75,"target":0.9,"deadline":"2025-06-30"}'
	assert_stderr "kpi-goal: k.json: goal 'b': target 0.9 is not beyond baseline 0.75 where lower is better (not achievable as written)"
	lint '{"name":"c","metric":"cpc","kind":"change","change":0.1,"every":"month"}'
	assert_stderr "kpi-goal: k.json: goal 'c': change 0.1 is no improvement where lower is better (not achievable as written)"
	# the goal's own direction wins over the catalogue's
	lint '{"name":"d","metric":"cpc","kind":"change","change":0.1,"every":"month","direction":"higher"}'
	[ "$status" -eq 0 ]
}

# grow: goals over orders, sessions, spend, clicks, value: five KPIs;
# then cr, a sixth.  A second goal on orders adds no KPI.
@test "lint: more than five KPIs for one objective is a warning" {
	local g5= m
	for m in orders sessions spend clicks value; do
		g5="$g5${g5:+,}{\"name\":\"$m\",\"metric\":\"$m\",\"kind\":\"band\",\"objective\":\"grow\"}"
	done
	lint "$g5" '{"name":"o2","metric":"orders","kind":"band","objective":"grow"}'
	[ "$status" -eq 0 ]
	assert_stderr ""
	lint "$g5" '{"name":"cr","metric":"cr","kind":"band","objective":"grow"}'
	[ "$status" -eq 0 ]
	assert_stderr "kpi-goal: k.json: objective 'grow' has 6 KPIs: three to five are advised"
}

@test "goals: shape errors name the file and the goal" {
	lint '{"name":"a","metric":"cpc","kind":"at_most","target":0.9,"colour":"red"}'
	[ "$status" -eq 2 ]
	assert_stderr "kpi-goal: k.json: goal 'a': unknown key 'colour'"
	lint '{"metric":"cpc","kind":"below","target":0.9}'
	assert_stderr "kpi-goal: k.json: goal 'cpc': bad 'kind'"
	lint '{"kind":"at_most","target":0.9}'
	assert_stderr "kpi-goal: k.json: goal 1: no 'metric'"
	lint '{"metric":"cpc","kind":"at_most","target":"0.9"}'
	assert_stderr "kpi-goal: k.json: goal 1: bad 'target'"
	lint '{"metric":"cr","kind":"target","target":0.02,"deadline":"2025-02-30"}'
	assert_stderr "kpi-goal: k.json: goal 'cr': bad 'deadline'"
	lint '{"metric":"cr","kind":"band","every":"fortnight"}'
	assert_stderr "kpi-goal: k.json: goal 'cr': bad 'every'"
	lint '{"metric":"cr","kind":"band","dims":{"channel":1}}'
	assert_stderr "kpi-goal: k.json: goal 'cr': bad 'dims'"
	lint '{"metric":"cr","kind":"band","window":0}'
	assert_stderr "kpi-goal: k.json: goal 'cr': bad 'window'"
	lint '{"metric":"cr","kind":"band"}' '{"metric":"cr","kind":"band"}'
	assert_stderr "kpi-goal: k.json: goal 'cr': duplicate name"
	lint '7'
	assert_stderr "kpi-goal: k.json: goal 1: not an object"
}

@test "goals: a JSON syntax error gives its line and column" {
	printf '{"goals": [\n  {"metric": "cpc",}\n]}\n' >g.json
	run -2 --separate-stderr kpi-goal --lint --goals g.json
	assert_stderr "kpi-goal: g.json:2:20: string or '}' expected near '}'"
	echo '{"goals": {}}' >g.json
	run -2 --separate-stderr kpi-goal --lint --goals g.json
	assert_stderr 'kpi-goal: g.json: goals are an object with an array "goals"'
}

@test "goals: --goals without a catalogue takes any metric" {
	echo '{"goals":[{"metric":"rating","kind":"at_least","target":4.5}]}' >g.json
	run -0 --separate-stderr kpi-goal --lint --goals g.json
	assert_stderr ""
}

@test "goals: a name in both --defs and --goals is a duplicate" {
	catalogue '{"name":"cr_up","metric":"cr","kind":"at_least","target":0.02}'
	echo '{"goals":[{"name":"cr_up","metric":"cr","kind":"at_most","target":0.05}]}' >g.json
	run -2 --separate-stderr kpi-goal --lint --defs k.json --goals g.json
	assert_output ""
	assert_stderr "kpi-goal: g.json: goal 'cr_up': duplicate name, also in 'k.json'"
	echo '{"metric":"cr","period":"2025-01","dims":{},"value":0.03}' >p.ndjson
	run -2 --separate-stderr kpi-goal --defs k.json --goals g.json p.ndjson
	assert_output ""
	assert_stderr "kpi-goal: g.json: goal 'cr_up': duplicate name, also in 'k.json'"
	echo '{"goals":[{"name":"cr_low","metric":"cr","kind":"at_most","target":0.05}]}' >g.json
	run -0 --separate-stderr kpi-goal --lint --defs k.json --goals g.json
	assert_stderr ""
}

# --- the face ------------------------------------------------------------------------

@test "face: --help and --version" {
	run -0 --separate-stderr kpi-goal --help
	[[ $output == "$GOAL_USAGE"$'\n\n'* ]]
	[ "${lines[-1]}" = "See kpi-goal(1)." ]
	assert_stderr ""
	run -0 kpi-goal --version
	assert_output "kpi-goal 0.1.0"
}

@test "face: misuse exits 2 with the usage" {
	run -2 --separate-stderr kpi-goal --frobnicate
	assert_output ""
	assert_stderr "kpi-goal: unknown option '--frobnicate'
$GOAL_USAGE"
	run -2 --separate-stderr kpi-goal --goals
	assert_stderr "kpi-goal: missing argument to '--goals'
$GOAL_USAGE"
	run -2 --separate-stderr kpi-goal
	assert_stderr "kpi-goal: no goals: give --defs or --goals
$GOAL_USAGE"
	echo '{"goals":[]}' >g.json
	run -2 --separate-stderr kpi-goal --lint --goals g.json p.ndjson
	assert_stderr "kpi-goal: --lint reads no input
$GOAL_USAGE"
}

@test "face: bad arguments exit 2" {
	echo '{"goals":[]}' >g.json
	run -2 --separate-stderr kpi-goal --goals g.json --as-of 2025-13-01
	assert_stderr "kpi-goal: bad date '2025-13-01'"
	run -2 --separate-stderr kpi-goal --goals g.json --at-risk 1
	assert_stderr "kpi-goal: bad at-risk ratio '1'"
	run -2 --separate-stderr kpi-goal --goals g.json --early x
	assert_stderr "kpi-goal: bad early share 'x'"
	run -2 --separate-stderr kpi-goal --goals g.json --cumulative week
	assert_stderr "kpi-goal: bad cumulative period 'week'"
}

@test "face: a missing goals file or input file exits 2" {
	run -2 --separate-stderr kpi-goal --goals nope.json
	assert_stderr "kpi-goal: nope.json: No such file or directory"
	echo '{"goals":[]}' >g.json
	run -2 --separate-stderr kpi-goal --goals g.json nope.ndjson
	assert_stderr "kpi-goal: nope.ndjson: No such file or directory"
}

@test "face: a reader that leaves early: exit 0, nothing on stderr" {
	echo '{"goals":[{"metric":"x","kind":"at_least","target":1}]}' >g.json
	for i in $(seq 1 3000); do
		printf '{"metric":"x","period":"2025-01","start":"2025-01-01T00:00:00Z","end":"2025-02-01T00:00:00Z","dims":{"i":"%d"},"value":1}\n' "$i"
	done >p
	run -0 --separate-stderr sh -c 'kpi-goal --goals g.json p | head -n1 >/dev/null; exit ${PIPESTATUS:-0}'
	assert_stderr ""
	run -0 --separate-stderr bash -c 'set -o pipefail; kpi-goal --goals g.json p | head -n1 >/dev/null'
	assert_stderr ""
}

@test "face: a full disk: exit 2, write error" {
	echo '{"goals":[]}' >g.json
	printf '{"metric":"x","period":"all","start":null,"end":null,"dims":{},"value":1}\n' >p
	run -2 --separate-stderr sh -c 'kpi-goal --goals g.json p >/dev/full'
	assert_stderr "kpi-goal: write error: No space left on device"
}

# With --check, a reader that leaves gets no failures and no exit 1.
@test "face: --check under | head -n 1: exit 0, nothing on stderr" {
	echo '{"goals":[{"metric":"x","kind":"at_least","target":5,"per":"i"}]}' >g.json
	for i in $(seq 1 3000); do
		printf '{"metric":"x","period":"all","start":null,"end":null,"dims":{"i":"%d"},"value":1}\n' "$i"
	done >p
	run -0 --separate-stderr bash -c 'kpi-goal --check --goals g.json p | head -n 1 >/dev/null; echo "rc=${PIPESTATUS[0]}"'
	assert_output "rc=0"
	assert_stderr ""
}
