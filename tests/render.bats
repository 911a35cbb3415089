#!/usr/bin/env bats
# kpi-render: every format on one fixture (golden files), the catalogue,
# --metrics, --last, colour, empty input, --output, the face, and the real
# consumers: xmllint for JUnit, Python's prometheus_client parsers for the
# exposition, headless Chromium for the HTML.
#
# The consumers are Debian packages that "make deps" installs (libxml2-utils,
# python3-prometheus-client, chromium); a test that needs one fails when it
# is missing.  KPI_NO_BROWSER=1 skips the Chromium test alone, for a
# machine without a browser outside "make check".

load test_helper

REPORT=$FIXTURES/render/report.ndjson
BARE=$FIXTURES/render/bare.ndjson
DEFS=$FIXTURES/render/kpis.json

RENDER_USAGE='usage: kpi-render [--all-periods] [--color when] [--defs file]
                  [--fail-on status[,status...]] [--format name] [--last n]
                  [--metrics name[,name...]] [--output file] [--title text]
                  [file ...]'

setup() {
	work
}

# render_golden NAME ARGS...: the output of kpi-render ARGS is NAME.
render_golden() {
	local name=$1
	shift
	kpi-render "$@" >out 2>err
	[ ! -s err ] || { cat err; return 1; }
	assert_file_golden "render/$name" out
}

# --- formats ------------------------------------------------------------------

@test "render: table: latest period, formatted values, target, status, change, trend in 80 columns" {
	render_golden table.txt "$REPORT"
	/usr/bin/python3 -c 'import sys
for l in open(sys.argv[1], encoding="utf-8"):
    assert len(l.rstrip("\n")) <= 80, l' out
}

@test "render: table --color always: status and change in colour, --title first" {
	render_golden table-color.txt --color always --title 'Week 12' "$REPORT"
}

@test "render: table: no colour on a pipe, nor under NO_COLOR on a terminal" {
	run -0 kpi-render --color auto "$REPORT"
	[[ $output != *$'\033'* ]]
	# A terminal that shows colour: the suite may run under TERM=dumb or
	# with no TERM at all (CI), where auto rightly gives none.
	TERM=xterm run -0 script -qec "kpi-render $REPORT" /dev/null
	[[ $output == *$'\033[32mmet'* ]]
	TERM=dumb run -0 script -qec "kpi-render $REPORT" /dev/null
	[[ $output != *$'\033'* ]]
	TERM=xterm NO_COLOR=1 run -0 script -qec "kpi-render $REPORT" /dev/null
	[[ $output != *$'\033'* ]]
	TERM=xterm NO_COLOR=1 run -0 script -qec "kpi-render --color always $REPORT" /dev/null
	[[ $output == *$'\033'* ]]
}

@test "render: markdown: summary table with marks, history in <details>" {
	render_golden markdown.md --format markdown "$REPORT"
}

@test "render: csv: a line per record, dims as columns, RFC 4180 quoting" {
	render_golden csv.csv --format csv "$REPORT"
}

@test "render: tsv: the same with tabs" {
	render_golden tsv.tsv --format tsv "$REPORT"
}

@test "render: html: the dashboard" {
	render_golden html.html --format html --title 'Weekly KPIs <& "co">' "$REPORT"
}

@test "render: html: self-contained: no script, nothing fetched" {
	run -0 kpi-render --format html "$REPORT"
	[[ $output != *'<script'* ]]
	[[ $output != *'http:'* && $output != *'https:'* ]]
	[[ $output != *'<b>'* ]]
}

@test "render: junit: a testcase per goal, failures for off_track and missed" {
	render_golden junit.xml --format junit "$REPORT"
}

@test "render: openmetrics: latest period per series, targets and statuses" {
	render_golden openmetrics.txt --format openmetrics "$REPORT"
}

@test "render: openmetrics --all-periods: a period label, --last periods" {
	render_golden openmetrics-all.txt --format openmetrics --all-periods \
	    --last 2 "$REPORT"
}

@test "render: json: one summary document" {
	render_golden json.json --format json "$REPORT"
}

# --- formats of values: the catalogue wins over the points' keys ---------------

@test "render: without format keys or a catalogue, a fraction shows as a number" {
	run -0 kpi-render --metrics conversion "$BARE"
	[[ $output == *' 0.02 '* ]]
}

@test "render: --defs: formats, units and directions from the catalogue" {
	render_golden defs-table.txt --defs "$DEFS" "$BARE"
}

@test "render: --defs: the catalogue wins over the point's own format" {
	sed 's/"format":"percent"/"format":"number"/' "$REPORT" >r.ndjson
	run -0 kpi-render --defs "$DEFS" --metrics conversion r.ndjson
	[[ $output == *' 1.8% '* ]]
}

@test "render: --defs: html grouped by funnel stage, in funnel order" {
	render_golden defs.html --format html --defs "$DEFS" "$BARE"
	run -0 grep -o '<h2>[a-z]*</h2>' out
	assert_output '<h2>traffic</h2>
<h2>conversion</h2>
<h2>retention</h2>
<h2>profitability</h2>
<h2>other</h2>'
}

@test "render: --defs: a bad catalogue is an error before any output" {
	echo '{"kpis": [' >bad.json
	run -2 --separate-stderr kpi-render --defs bad.json "$REPORT"
	assert_output ''
	[[ $stderr == 'kpi-render: bad.json:'* ]]
}

# --- choosing ---------------------------------------------------------------------

@test "render: --metrics chooses and orders the KPIs" {
	run -0 kpi-render --format csv --metrics sessions,revenue "$REPORT"
	run -0 cut -d, -f1,2 <<<"$output"
	assert_output 'metric,period
revenue,2024-W10
revenue,2024-W11
revenue,2024-W12
sessions,2024-W10
sessions,2024-W11
sessions,2024-W12'
	run -0 kpi-render --format json --metrics sessions,revenue "$REPORT"
	run -0 grep -o '^ {"metric":"[a-z]*"' <<<"$output"
	assert_output ' {"metric":"sessions"
 {"metric":"revenue"'
}

@test "render: --last 1 keeps one period per series: no trend" {
	run -0 kpi-render --last 1 --metrics revenue "$REPORT"
	assert_output 'KPI      PERIOD         VALUE      TARGET  STATUS   CHANGE
revenue  2024-W12  £12,932.18  £12,000.00  met     ▲ +9.6%'
}

@test "render: periods out of order are kept in time order" {
	tac "$REPORT" >rev.ndjson
	run -0 kpi-render --format json rev.ndjson
	run -0 grep -o '"history":\[{"period":"2024-W10"' <<<"$output"
}

@test "render: a point and its evaluation share one row" {
	grep '"revenue"' "$REPORT" | sed 's/,"goal":.*/}/' >points.ndjson
	grep '"status"' "$REPORT" | grep revenue >evals.ndjson
	run -0 kpi-render --format json points.ndjson evals.ndjson
	run -0 grep -c '"period":"2024-W12"' <<<"$output"
	run -0 grep -o '"history":\[[^]]*\]' <<<"$(kpi-render --format json points.ndjson evals.ndjson)"
	[[ $output == *'W10'*'W11'*'W12'* ]]
}

# --- junit ----------------------------------------------------------------------

@test "render: junit: xmllint: well-formed, one testcase per goal, failures" {
	kpi-render --format junit "$REPORT" >j.xml
	xmllint --noout j.xml
	run -0 xmllint --xpath 'count(//testsuite/testcase)' j.xml
	assert_output 5
	run -0 xmllint --xpath 'count(//testcase/failure)' j.xml
	assert_output 2
	run -0 xmllint --xpath 'string(//testsuites/@failures)' j.xml
	assert_output 2
	run -0 xmllint --xpath 'string(//testcase[failure][1]/failure)' j.xml
	assert_output 'value 1.2%, target 2%, status off_track, period 2024-W12'
	run -0 xmllint --xpath 'string(//testcase[failure][1]/failure/@message)' j.xml
	assert_output 'value 1.2%, target 2%, status off_track, period 2024-W12'
	run -0 xmllint --xpath 'string(//testcase[failure][1]/@name)' j.xml
	assert_output "conversion floor [channel=<b>ads</b> & \"co\", city=東京, \\ 'x']"
}

@test "render: junit --fail-on at_risk,no_data adds failures" {
	kpi-render --format junit --fail-on at_risk,no_data "$REPORT" >j.xml
	xmllint --noout j.xml
	run -0 xmllint --xpath 'count(//testcase/failure)' j.xml
	assert_output 4
	run -0 xmllint --xpath 'count(//testcase/skipped)' j.xml
	assert_output 0
}

@test "render: junit: a bad --fail-on status" {
	run -2 --separate-stderr kpi-render --format junit --fail-on late "$REPORT"
	assert_output ''
	assert_stderr "kpi-render: bad status 'late'"
}

# --- openmetrics: a real parser ----------------------------------------------------

@test "render: openmetrics: prometheus_client's text and OpenMetrics parsers read it back" {
	kpi-render --format openmetrics --all-periods "$REPORT" >m.txt
	/usr/bin/python3 - m.txt <<-'EOF'
	import sys
	from prometheus_client.parser import text_string_to_metric_families as prom
	from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
	text = open(sys.argv[1], encoding="utf-8").read()
	for parse in (prom, om):
	    fams = {f.name: f for f in parse(text)}
	    assert all(f.type == "gauge" for f in fams.values())
	    s = [x for x in fams["kpi_conversion"].samples
	         if x.labels["period"] == "2024-W12" and x.labels["channel"] != "email"]
	    assert len(s) == 1, s
	    assert s[0].labels["channel"] == '<b>ads</b> & "co"', s[0].labels
	    assert s[0].labels["city"] == "東京, \\ 'x'", s[0].labels
	    assert s[0].value == 0.012
	    st = fams["kpi_cpc_status"].samples[0]
	    assert st.labels["status"] == "missed" and st.value == 1
	    assert fams["kpi_signups"].samples == []
	EOF
}

@test "render: openmetrics: no timestamps, valid names" {
	printf '%s\n' '{"metric":"cart-rate.7d","period":"all","start":null,"end":null,"dims":{"9x":"a","__y":"b","goal":"c"},"value":3}' >p.ndjson
	run -0 kpi-render --format openmetrics --all-periods p.ndjson
	assert_output '# HELP kpi_cart_rate_7d cart-rate.7d
# TYPE kpi_cart_rate_7d gauge
kpi_cart_rate_7d{dim_9x="a",dim___y="b",dim_goal="c",period="all"} 3
# EOF'
}

# --- html: a real browser ------------------------------------------------------------

@test "render: html: headless Chromium reads it: cards, text escaped, nothing to run" {
	[ "${KPI_NO_BROWSER:-}" != 1 ] || skip "KPI_NO_BROWSER=1"
	kpi-render --format html --title 'Weekly KPIs <& "co">' "$REPORT" >r.html
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$BATS_TEST_TMPDIR/profile" --dump-dom \
	    "file://$PWD/r.html" >dom.html 2>/dev/null
	run -0 grep -c '<article class="card' dom.html
	assert_output 7
	run -0 grep -o '<h1>[^<]*</h1>' dom.html
	assert_output '<h1>Weekly KPIs &lt;&amp; "co"&gt;</h1>'
	run -0 grep -c '<svg' dom.html
	assert_output 4
	run -1 grep -c '<b>' dom.html
	run -0 grep -o 'class="status [a-z_]*">[a-z ]*<' dom.html
	assert_output 'class="status met">met<
class="status at_risk">at risk<
class="status off_track">off track<
class="status missed">missed<
class="status no_data">no data<'
}

# --- empty input ------------------------------------------------------------------------

@test "render: empty input: every format says so, none crashes" {
	run -0 kpi-render </dev/null
	assert_output 'no KPIs in the input'
	run -0 kpi-render --format markdown </dev/null
	assert_output '## KPI report

No KPIs in the input.'
	run -0 kpi-render --format openmetrics </dev/null
	assert_output '# no KPIs in the input
# EOF'
	run -0 kpi-render --format json </dev/null
	assert_output '{"title":"KPI report","records":0,"kpis":[]}'
	run -0 kpi-render --format csv </dev/null
	assert_output 'metric,period,start,end,value,prev,change,pct_change,pp_change,unit,format,direction,goal,kind,deadline,status,target,gap,progress,expected,projected,projection,score,baseline,low,high'
	run -0 kpi-render --format html </dev/null
	[[ $output == *'No KPIs in the input.'* ]]
	kpi-render --format junit </dev/null >j.xml
	xmllint --noout j.xml
	run -0 xmllint --xpath 'string(//testsuites/@tests)' j.xml
	assert_output 0
}

# --- input ---------------------------------------------------------------------------------

@test "render: a record that is not a point: named, skipped, exit 2" {
	{ head -1 "$REPORT"; echo '{"metric":"x"}'; echo '{"metric":"y","period":"all","start":null,"end":null,"dims":{},"value":1,"status":"late"}'; } >in.ndjson
	run -2 --separate-stderr kpi-render --format csv in.ndjson
	assert_stderr "kpi-render: in.ndjson:2: not a point: no 'period'
kpi-render: in.ndjson:3: bad evaluation: unknown 'status'"
	[ "${#lines[@]}" -eq 2 ]
}

@test "render: csv: a record with a dim the columns lack is refused" {
	printf '%s\n' '{"metric":"a","period":"all","start":null,"end":null,"dims":{"x":"1"},"value":1}' \
	    '{"metric":"a","period":"all","start":null,"end":null,"dims":{"y":"2"},"value":2}' >d.ndjson
	run -2 --separate-stderr kpi-render --format csv d.ndjson
	assert_stderr "kpi-render: d.ndjson:2: dims {\"y\":\"2\"} do not fit the columns of the first"
}

@test "render: csv streams: a large input, bounded memory" {
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"metric\":\"m\",\"period\":\"all\",\"start\":null,\"end\":null,\"dims\":{\"id\":\"%d\"},\"value\":%d}\n", i, i }' >big.ndjson
	# 30 MB of address space for 200,000 series, which the formats
	# that keep series need ten times over; ASan reserves more than that
	# for its shadow memory, so its build goes without.
	limit='ulimit -v 30000;'
	ldd "$(command -v kpi-render)" | grep -q asan && limit=
	run -0 bash -c "$limit kpi-render --format csv big.ndjson | tail -n 1"
	assert_output 'm,all,,,199999,199999,,,,,,number,higher,,,,,,,,,,,,,,'
}

# --- --output ---------------------------------------------------------------------------

@test "render: --output writes the file whole, by rename, and nothing on stdout" {
	mkdir d && cd d
	run -0 --separate-stderr kpi-render --format openmetrics --output kpi.prom "$REPORT"
	assert_output ''
	assert_stderr ''
	assert_file_golden render/openmetrics.txt kpi.prom
	run -0 ls -A
	assert_output kpi.prom
	# Readable as a file made by open(2) would be: 0666 less the umask.
	[ "$(stat -c %a kpi.prom)" = "$(printf '%o' $((0666 & ~0$(umask))))" ]
}

@test "render: --output: an input error leaves the old file and no temporary" {
	mkdir d && cd d
	echo old >kpi.prom
	{ head -1 "$REPORT"; echo 'not json'; } >bad.ndjson
	run -2 --separate-stderr kpi-render --format openmetrics --output kpi.prom bad.ndjson
	[[ $stderr == 'kpi-render: bad.ndjson:2'* ]]
	run -0 cat kpi.prom
	assert_output old
	run -0 ls -A
	assert_output 'bad.ndjson
kpi.prom'
}

@test "render: --output in a directory that is not there: exit 2" {
	run -2 --separate-stderr kpi-render --output nodir/kpi.prom "$REPORT"
	assert_stderr 'kpi-render: nodir/kpi.prom: No such file or directory'
}

@test "render: --output onto what is not a regular file: refused, left alone" {
	mkfifo fifo
	run -2 --separate-stderr kpi-render --output fifo "$REPORT"
	assert_stderr "kpi-render: not a regular file: 'fifo'"
	[ -p fifo ]
}

# --- the face ------------------------------------------------------------------------------

@test "render: --help prints the usage, the options and the manual on stdout" {
	run -0 --separate-stderr kpi-render --help
	[ "$(sed '/^$/q' <<<"$output" | sed '$d')" = "$RENDER_USAGE" ]
	[ "${lines[-1]}" = 'See kpi-render(1).' ]
	[[ $output == *'  --format name     table markdown csv tsv html junit openmetrics json'* ]]
	assert_stderr ''
}

@test "render: --version" {
	run -0 kpi-render --version
	assert_output 'kpi-render 0.1.0'
}

@test "render: an unknown option: usage, exit 2" {
	run -2 --separate-stderr kpi-render --bogus "$REPORT"
	assert_output ''
	assert_stderr "kpi-render: unknown option '--bogus'
$RENDER_USAGE"
}

@test "render: a missing argument: usage, exit 2" {
	run -2 --separate-stderr kpi-render --format
	assert_stderr "kpi-render: missing argument to '--format'
$RENDER_USAGE"
}

@test "render: bad --format, --color, --last" {
	run -2 --separate-stderr kpi-render --format pdf "$REPORT"
	assert_output ''
	assert_stderr "kpi-render: unknown format 'pdf'"
	run -2 --separate-stderr kpi-render --color sometimes "$REPORT"
	assert_stderr "kpi-render: bad --color 'sometimes'"
	run -2 --separate-stderr kpi-render --last 0 "$REPORT"
	assert_stderr "kpi-render: bad number of periods '0'"
}

@test "render: a missing file: named, exit 2" {
	run -2 --separate-stderr kpi-render nosuch.ndjson
	assert_stderr 'kpi-render: nosuch.ndjson: No such file or directory'
}

@test "render: reader leaving early (| head -n1): exit 0, nothing on stderr" {
	awk 'BEGIN { for (i = 0; i < 50000; i++) printf "{\"metric\":\"m\",\"period\":\"all\",\"start\":null,\"end\":null,\"dims\":{\"id\":\"%d\"},\"value\":%d}\n", i, i }' >big.ndjson
	run -0 --separate-stderr bash -c 'kpi-render --format csv big.ndjson | head -n1; echo "rc=${PIPESTATUS[0]}"'
	assert_output 'metric,period,start,end,id,value,prev,change,pct_change,pp_change,unit,format,direction,goal,kind,deadline,status,target,gap,progress,expected,projected,projection,score,baseline,low,high
rc=0'
	assert_stderr ''
}

@test "render: > /dev/full: write error, exit 2" {
	run -2 --separate-stderr bash -c "kpi-render '$REPORT' >/dev/full"
	assert_output ''
	assert_stderr 'kpi-render: write error: No space left on device'
}

# --- the manual ------------------------------------------------------------------------------

# The man page shows each format with its output for week.ndjson: every
# line of that output is in the page as the page renders.
@test "render: kpi-render(1) shows what each format writes" {
	mandoc -T utf8 "$KPI_ROOT/man/kpi-render.1" | LC_ALL=C.UTF-8 col -bx |
	    sed 's/^     //' >man.txt
	week=$FIXTURES/render/week.ndjson
	{
		kpi-render "$week"
		kpi-render --format markdown "$week"
		kpi-render --format csv "$week"
		kpi-render --format html "$week" | sed -n '/<article/,/<\/article>/p' | sed -n '1,/<\/article>/p'
		kpi-render --format junit "$week"
		kpi-render --format openmetrics "$week"
		kpi-render --format json --last 1 --metrics revenue "$week"
	} >want.txt
	missing=
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		grep -qxF -- "$line" man.txt || missing="$missing
$line"
	done <want.txt
	[ -z "$missing" ] || { echo "not in kpi-render(1):$missing"; false; }
}

@test "render: kpi-render(1) SYNOPSIS is the usage" {
	run -0 bash -c "mandoc -T utf8 '$KPI_ROOT/man/kpi-render.1' | col -bx | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;\$d;/^\$/d' | sed 's/^ *//' | tr -s ' \n' '  '"
	synopsis=$output
	run -0 bash -c "kpi-render --help | sed '/^\$/q' | sed 's/^usage: //' | tr -s ' \n' '  '"
	[ "$output" = "$synopsis" ] || { echo "usage:    $output"; echo "synopsis: $synopsis"; false; }
}
