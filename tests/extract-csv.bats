#!/usr/bin/env bats
# kpi-extract: CSV and TSV text (quoting, line ends, sniffing, preambles,
# headers, ragged rows, encodings).  Inputs are read relative to
# tests/fixtures so "_src" is short and stable; binary inputs are made in
# the per-test directory.

load test_helper

setup() {
	cd "$FIXTURES" || return 1
}

# --- RFC 4180 --------------------------------------------------------

@test "csv: quoted delimiters, doubled quotes, embedded newline (Shopify orders)" {
	run -0 --separate-stderr kpi-extract csv/orders.csv
	assert_golden extract/orders.ndjson
	assert_stderr ''
}

@test "csv: a record spanning lines has the _line of its first line" {
	run -0 --separate-stderr kpi-extract csv/orders.csv
	[ "$(printf '%s\n' "$output" | sed -n 's/.*"_line":\([0-9]*\)}$/\1/p' | tr '\n' ' ')" = "2 3 4 6 " ]
}

@test "csv: stray quote in an unquoted field is data, text after a closing quote is kept" {
	run -0 --separate-stderr kpi-extract csv/quoting.csv
	assert_output '{"keyword":"\"tow truck\"","size":"5\" screen","note":"abcdef","_src":"csv/quoting.csv","_line":2}
{"keyword":"a\\b","size":"tab\there","note":"€ / ok","_src":"csv/quoting.csv","_line":3}'
	assert_stderr ''
}

@test "csv: strings are escaped canonically (control bytes as lowercase \\u00XX)" {
	work
	printf 'k,v\nx,\001\037\177é\n' >ctl.csv
	run -0 --separate-stderr kpi-extract ctl.csv
	assert_output "{\"k\":\"x\",\"v\":\"\\u0001\\u001f$(printf '\177')é\",\"_src\":\"ctl.csv\",\"_line\":2}"
	assert_stderr ''
}

@test "csv: each record is one line ending in a newline" {
	work
	kpi-extract "$FIXTURES/csv/orders.csv" >out
	[ "$(wc -l <out)" -eq 4 ]
	[ "$(tail -c 1 out | od -An -c | tr -d ' ')" = '\n' ]
}

@test "csv: CRLF line ends" {
	work
	printf 'date,orders\r\n2024-01-01,3\r\n2024-01-02,4\r\n' >crlf.csv
	run -0 --separate-stderr kpi-extract crlf.csv
	assert_output '{"date":"2024-01-01","orders":"3","_src":"crlf.csv","_line":2}
{"date":"2024-01-02","orders":"4","_src":"crlf.csv","_line":3}'
	assert_stderr ''
}

@test "csv: CRLF and LF mixed in one file" {
	work
	printf 'a,b\r\n1,2\n3,4\r\n5,6\n' >mixed.csv
	run -0 --separate-stderr kpi-extract mixed.csv
	assert_output '{"a":"1","b":"2","_src":"mixed.csv","_line":2}
{"a":"3","b":"4","_src":"mixed.csv","_line":3}
{"a":"5","b":"6","_src":"mixed.csv","_line":4}'
	assert_stderr ''
}

@test "csv: a newline inside quotes in a CRLF file is kept as written" {
	work
	printf 'id,note\r\n1,"two\r\nlines"\r\n2,x\r\n' >crlfq.csv
	run -0 --separate-stderr kpi-extract crlfq.csv
	assert_output '{"id":"1","note":"two\r\nlines","_src":"crlfq.csv","_line":2}
{"id":"2","note":"x","_src":"crlfq.csv","_line":4}'
	assert_stderr ''
}

@test "csv: CR-only line ends (old Mac Excel)" {
	work
	printf 'a,b\r1,2\r3,4\r' >cr.csv
	run -0 --separate-stderr kpi-extract cr.csv
	assert_output '{"a":"1","b":"2","_src":"cr.csv","_line":2}
{"a":"3","b":"4","_src":"cr.csv","_line":3}'
	assert_stderr ''
}

@test "csv: last line without a newline" {
	work
	printf 'a,b\n1,2\n3,4' >nofinal.csv
	printf 'a,b\r\n1,\r\n3,' >nofinalcrlf.csv
	run -0 --separate-stderr kpi-extract nofinal.csv nofinalcrlf.csv
	assert_output '{"a":"1","b":"2","_src":"nofinal.csv","_line":2}
{"a":"3","b":"4","_src":"nofinal.csv","_line":3}
{"a":"1","b":"","_src":"nofinalcrlf.csv","_line":2}
{"a":"3","b":"","_src":"nofinalcrlf.csv","_line":3}'
	assert_stderr ''
}

@test "csv: last quoted field without a newline" {
	work
	printf 'a,b\n1,"x, y"' >q.csv
	run -0 --separate-stderr kpi-extract q.csv
	assert_output '{"a":"1","b":"x, y","_src":"q.csv","_line":2}'
	assert_stderr ''
}

@test "csv: unterminated quoted field is an error at the line it opens" {
	run -2 --separate-stderr kpi-extract csv/unterminated.csv
	assert_output '{"a":"1","b":"2","_src":"csv/unterminated.csv","_line":2}'
	assert_stderr 'kpi-extract: csv/unterminated.csv:3: unterminated quoted field'
}

# --- delimiters ------------------------------------------------------

@test "csv: ';' sniffed over commas inside fields (decimal comma)" {
	run -0 --separate-stderr kpi-extract csv/semicolon.csv
	assert_output '{"Datum":"2024-01-05","Kanal":"E-Mail, Newsletter","Umsatz":"1,50","_src":"csv/semicolon.csv","_line":2}
{"Datum":"2024-01-06","Kanal":"Suche","Umsatz":"2,00","_src":"csv/semicolon.csv","_line":3}'
	assert_stderr ''
}

@test "csv: '|' sniffed" {
	run -0 --separate-stderr kpi-extract csv/pipe.csv
	assert_output '{"sku":"A-1","title":"Mug, blue","price":"9.90","_src":"csv/pipe.csv","_line":2}
{"sku":"B-2","title":"Tee","price":"15","_src":"csv/pipe.csv","_line":3}'
	assert_stderr ''
}

@test "csv: TAB sniffed in a .csv file" {
	work
	printf 'Campaign Name\tList\tRevenue\nSpring\tVIP, Newsletter\t1432.82\n' >klaviyo.csv
	run -0 --separate-stderr kpi-extract klaviyo.csv
	assert_output '{"Campaign Name":"Spring","List":"VIP, Newsletter","Revenue":"1432.82","_src":"klaviyo.csv","_line":2}'
	assert_stderr ''
}

@test "csv: sniffing tie goes to ',' before TAB" {
	run -0 --separate-stderr kpi-extract csv/tabcomma.txt
	assert_output '{"a":"1","b":"2","c\td":"3\t4","_src":"csv/tabcomma.txt","_line":2}'
	assert_stderr ''
}

@test "csv: sniffing tie goes to ',' before ';'" {
	run -0 --separate-stderr kpi-extract csv/tie.csv
	assert_output '{"a;b":"1;2","c":"3","_src":"csv/tie.csv","_line":2}'
	assert_stderr ''
}

@test "csv: .tsv is TAB-separated by its name, not sniffed" {
	run -0 --separate-stderr kpi-extract csv/tabcomma.tsv
	assert_output '{"a,b,c":"1,2,3","d":"4","_src":"csv/tabcomma.tsv","_line":2}'
	assert_stderr ''
}

@test "csv: .tab is TAB-separated by its name" {
	work
	cp "$FIXTURES/csv/tabcomma.tsv" x.tab
	run -0 --separate-stderr kpi-extract x.tab
	assert_output '{"a,b,c":"1,2,3","d":"4","_src":"x.tab","_line":2}'
	assert_stderr ''
}

@test "csv: --format tsv" {
	run -0 --separate-stderr kpi-extract --format tsv csv/tabcomma.txt
	assert_output '{"a,b,c":"1,2,3","d":"4","_src":"csv/tabcomma.txt","_line":2}'
	assert_stderr ''
}

@test "csv: --delimiter overrides sniffing" {
	run -0 --separate-stderr kpi-extract --delimiter ';' csv/tie.csv
	assert_output '{"a":"1","b,c":"2,3","_src":"csv/tie.csv","_line":2}'
	assert_stderr ''
}

@test "csv: --delimiter tab and --delimiter '\\t'" {
	run -0 --separate-stderr kpi-extract --delimiter tab csv/tabcomma.txt
	assert_output '{"a,b,c":"1,2,3","d":"4","_src":"csv/tabcomma.txt","_line":2}'
	run -0 --separate-stderr kpi-extract --delimiter '\t' csv/tabcomma.txt
	assert_output '{"a,b,c":"1,2,3","d":"4","_src":"csv/tabcomma.txt","_line":2}'
	assert_stderr ''
}

@test "csv: --delimiter overrides the .tsv name" {
	run -0 --separate-stderr kpi-extract --delimiter , csv/tabcomma.tsv
	assert_output '{"a":"1","b":"2","c\td":"3\t4","_src":"csv/tabcomma.tsv","_line":2}'
	assert_stderr ''
}

@test "csv: no delimiter found: one column" {
	run -0 --separate-stderr kpi-extract csv/single_column.csv
	assert_output '{"email":"a@example.com","_src":"csv/single_column.csv","_line":2}
{"email":"b@example.com","_src":"csv/single_column.csv","_line":3}'
	assert_stderr ''
}

@test "csv: one column whose values hold ';', TAB or '|' stays one column" {
	work
	printf 'note\na;b\nc;d\ne;f\n' >semi.csv
	run -0 --separate-stderr kpi-extract semi.csv
	assert_output '{"note":"a;b","_src":"semi.csv","_line":2}
{"note":"c;d","_src":"semi.csv","_line":3}
{"note":"e;f","_src":"semi.csv","_line":4}'
	assert_stderr ''
	printf 'tag\nred|blue\ngreen\nx|y|z\n' >pipe.csv
	run -0 --separate-stderr kpi-extract pipe.csv
	assert_output '{"tag":"red|blue","_src":"pipe.csv","_line":2}
{"tag":"green","_src":"pipe.csv","_line":3}
{"tag":"x|y|z","_src":"pipe.csv","_line":4}'
	printf 'path\na\tb\nc\n' >tab.csv
	run -0 --separate-stderr kpi-extract tab.csv
	assert_output '{"path":"a\tb","_src":"tab.csv","_line":2}
{"path":"c","_src":"tab.csv","_line":3}'
}

@test "csv: a 'title' line the rows contradict is the header: no row lost" {
	work
	printf 'note\nplain\nx\ny\nz\nw\nlast;one\n' >seven.csv
	run -0 --separate-stderr kpi-extract --stats seven.csv
	assert_stderr 'kpi-extract: 6 rows from 1 source'
	[ "${lines[5]}" = '{"note":"last;one","_src":"seven.csv","_line":7}' ]
}

@test "csv: sniffing respects quotes: quoted delimiters make no columns" {
	work
	printf 'note\n"a;b"\n"c,d"\n"e;f"\n' >q.csv
	run -0 --separate-stderr kpi-extract q.csv
	assert_output '{"note":"a;b","_src":"q.csv","_line":2}
{"note":"c,d","_src":"q.csv","_line":3}
{"note":"e;f","_src":"q.csv","_line":4}'
}

@test "csv: 20,000 repeated and 200,000 distinct header names: linear, not cubic" {
	work
	awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "%sa", (i > 1 ? "," : "")
		print ""; for (i = 1; i <= 20000; i++) printf "%s%d", (i > 1 ? "," : ""), i
		print "" }' >rep.csv
	run -0 --separate-stderr timeout 20 kpi-extract rep.csv
	[[ $output == '{"a":"1","a_2":"2","a_3":"3",'* ]]
	[[ $output == *',"a_20000":"20000","_src":"rep.csv","_line":2}' ]]
	awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "%sc%d", (i > 1 ? "," : ""), i
		print ""; for (i = 1; i <= 200000; i++) printf "%s%d", (i > 1 ? "," : ""), i
		print "" }' >wide.csv
	run -0 --separate-stderr timeout 20 kpi-extract wide.csv
	[[ $output == '{"c1":"1","c2":"2",'* ]]
	[[ $output == *',"c200000":"200000","_src":"wide.csv","_line":2}' ]]
	assert_stderr ''
}

# --- preambles, blank lines, tables -----------------------------------

@test "csv: GA4 '#' preamble and blocks: each block has its own header" {
	run -0 --separate-stderr kpi-extract csv/ga4_multiblock.csv
	assert_golden extract/ga4_multiblock.ndjson
	assert_stderr ''
}

@test "csv: GA4 download with CRLF gives the same rows" {
	work
	sed 's/$/\r/' "$FIXTURES/csv/ga4_multiblock.csv" >ga4.csv
	run -0 --separate-stderr kpi-extract ga4.csv
	sed 's|"_src":"csv/ga4_multiblock.csv"|"_src":"ga4.csv"|' \
	    "$GOLDEN/extract/ga4_multiblock.ndjson" >want
	printf '%s\n' "$output" >got
	diff -u want got
	assert_stderr ''
}

@test "csv: GA4 re-saved by Excel: padded comments, delimiter-only lines, padded rows" {
	run -0 --separate-stderr kpi-extract csv/ga4_excel_resaved.csv
	assert_output '{"Session default channel group":"Organic Search","Users":"309","Sessions":"482","Total revenue":"0","_start":"2023-06-25","_end":"2023-07-02","_src":"csv/ga4_excel_resaved.csv","_line":8}
{"Session default channel group":"Direct","Users":"175","Sessions":"243","Total revenue":"12.5","_start":"2023-06-25","_end":"2023-07-02","_src":"csv/ga4_excel_resaved.csv","_line":9}
{"Session default channel group":"Engagement rates compare ","Users":"","Sessions":"","Total revenue":"","_start":"2023-06-25","_end":"2023-07-02","_src":"csv/ga4_excel_resaved.csv","_line":12}
{"Session default channel group":"6/25-7/2","Users":"","Sessions":"","Total revenue":"","_start":"2023-06-25","_end":"2023-07-02","_src":"csv/ga4_excel_resaved.csv","_line":13}'
	assert_stderr ''
}

@test "csv: Google Ads two title lines before the header; values kept untrimmed" {
	run -0 --separate-stderr kpi-extract csv/google_ads_campaign.csv
	assert_golden extract/google_ads_campaign.ndjson
	assert_stderr ''
}

@test "csv: Google Ads header-only report: no rows, success" {
	run -0 --separate-stderr kpi-extract csv/google_ads_header_only.csv
	assert_output ''
	assert_stderr ''
}

@test "csv: --skip 2 on a Google Ads report gives the same rows" {
	run -0 --separate-stderr kpi-extract --skip 2 csv/google_ads_campaign.csv
	assert_golden extract/google_ads_campaign.ndjson
	assert_stderr ''
}

@test "csv: --skip N skips N lines and turns preamble detection off" {
	run -0 --separate-stderr kpi-extract --skip 1 csv/skip.csv
	assert_output '{"#id":"1","name":"x","_src":"csv/skip.csv","_line":3}'
	assert_stderr ''
}

@test "csv: --skip 0 makes a '#' first line the header" {
	work
	printf '#,item\n1,a\n' >hash.csv
	run -0 --separate-stderr kpi-extract --skip 0 hash.csv
	assert_output '{"#":"1","item":"a","_src":"hash.csv","_line":2}'
	assert_stderr ''
}

@test "csv: a header whose first column is named '#' (Typeform) is a header, not a comment; '#' and padding alone is one" {
	work
	printf '#,item\n1,a\n' >hash.csv
	run -0 --separate-stderr kpi-extract hash.csv
	assert_output '{"#":"1","item":"a","_src":"hash.csv","_line":2}'
	assert_stderr ''
	# GA4's preamble as Excel saves it: "#" lines padded with delimiters.
	printf '# Start date: 20240101,,\n#,,\n# End date: 20240107,,\n#;;\nchannel,sessions,x\nDirect,5,\n' >ga.csv
	run -0 --separate-stderr kpi-extract ga.csv
	assert_output '{"channel":"Direct","sessions":"5","x":"","_start":"2024-01-01","_end":"2024-01-07","_src":"ga.csv","_line":6}'
	assert_stderr ''
	# Typeform's export itself: its 11 responses (one spans two lines).
	run -0 --separate-stderr kpi-extract "$FIXTURES/surveys/typeform_responses.csv"
	[ "${#lines[@]}" -eq 11 ]
	[[ ${lines[0]} == '{"#":"k2j4h6g8f0d1s3a5q7w9e1r3t5y7u9i0","How likely '* ]]
}

@test "csv: Shopify '#1001' order names are data, also as first row" {
	work
	printf 'Name,Total\n#1001,12.50\n#1002,8.00\n' >o.csv
	run -0 --separate-stderr kpi-extract o.csv
	assert_output '{"Name":"#1001","Total":"12.50","_src":"o.csv","_line":2}
{"Name":"#1002","Total":"8.00","_src":"o.csv","_line":3}'
	assert_stderr ''
}

@test "csv: blank and delimiter-only lines are skipped, the table goes on" {
	run -0 --separate-stderr kpi-extract csv/blank_lines.csv
	assert_output '{"a":"1","b":"2","_src":"csv/blank_lines.csv","_line":3}
{"a":"3","b":"4","_src":"csv/blank_lines.csv","_line":6}'
	assert_stderr ''
}

@test "csv: header-only file: no output, success" {
	run -0 --separate-stderr kpi-extract csv/header_only.csv
	assert_output ''
	assert_stderr ''
}

@test "csv: empty file and empty stdin: no output, success" {
	run -0 --separate-stderr kpi-extract csv/empty.csv
	assert_output ''
	assert_stderr ''
	run -0 --separate-stderr kpi-extract </dev/null
	assert_output ''
	assert_stderr ''
}

# --- headers -----------------------------------------------------------

@test "csv: header names trimmed; empty → col_N; duplicates → _2, _3 skipping taken names" {
	run -0 --separate-stderr kpi-extract csv/headers.csv
	assert_output '{"Date":"2024-01-01","Date_2":"2024-01-02","col_3":"x","Name_2":"n2","Name":"n1","Name_3":"n3","Total":"5","_src":"csv/headers.csv","_line":2}'
	assert_stderr ''
}

@test "csv: a duplicate skips a suffixed name found anywhere in the header" {
	work
	printf 'Name,Name,Name_2\n1,2,3\n' >d.csv
	run -0 --separate-stderr kpi-extract d.csv
	assert_output '{"Name":"1","Name_3":"2","Name_2":"3","_src":"d.csv","_line":2}'
	assert_stderr ''
}

@test "csv: a renamed '_' key that meets an existing name is made unique" {
	work
	printf '_id,raw_id\n1,2\n' >r.csv
	run -0 --separate-stderr kpi-extract r.csv
	assert_output '{"raw_id":"1","raw_id_2":"2","_src":"r.csv","_line":2}'
	assert_stderr ''
}

@test "csv: quoted header name with a comma (Meta)" {
	work
	printf '"Ad name","CPM (cost per 1,000 impressions) (USD)",Reach\n"Grill — Video",7.251443,7076\n' >meta.csv
	run -0 --separate-stderr kpi-extract meta.csv
	assert_output '{"Ad name":"Grill — Video","CPM (cost per 1,000 impressions) (USD)":"7.251443","Reach":"7076","_src":"meta.csv","_line":2}'
	assert_stderr ''
}

@test "csv: source keys beginning with '_' get the prefix raw" {
	run -0 --separate-stderr kpi-extract csv/underscore.csv
	assert_output '{"raw_id":"7","name":"a","raw__meta":"m","_src":"csv/underscore.csv","_line":2}'
	assert_stderr ''
}

# --- ragged rows -------------------------------------------------------

@test "csv: short row → null, long row → _extra, padding ignored; warnings with file:line" {
	run -0 --separate-stderr kpi-extract csv/ragged.csv
	assert_output '{"a":"x","b":"y","c":"z","_src":"csv/ragged.csv","_line":2}
{"a":"1","b":"2","c":null,"_src":"csv/ragged.csv","_line":3}
{"a":"1","b":"2","c":"3","_extra":["4","5"],"_src":"csv/ragged.csv","_line":4}
{"a":"1","b":"2","c":"3","_src":"csv/ragged.csv","_line":5}
{"a":"p","b":"q","c":"r","_src":"csv/ragged.csv","_line":6}
{"a":"1","b":"2","c":"3","_extra":["","x"],"_src":"csv/ragged.csv","_line":7}'
	assert_stderr 'kpi-extract: csv/ragged.csv:3: row has 2 fields, header has 3
kpi-extract: csv/ragged.csv:4: row has 5 fields, header has 3
kpi-extract: csv/ragged.csv:7: row has 5 fields, header has 3'
}

@test "csv: trailing empty padding is silent, also with --strict" {
	run -0 --separate-stderr kpi-extract --strict csv/padded.csv
	assert_output '{"a":"1","b":"2","c":"3","_src":"csv/padded.csv","_line":2}
{"a":"4","b":"5","c":"6","_src":"csv/padded.csv","_line":3}'
	assert_stderr ''
}

@test "csv: --strict: a ragged row stops the input with exit 2" {
	run -2 --separate-stderr kpi-extract --strict csv/ragged.csv
	assert_output '{"a":"x","b":"y","c":"z","_src":"csv/ragged.csv","_line":2}'
	assert_stderr 'kpi-extract: csv/ragged.csv:3: row has 2 fields, header has 3'
}

@test "csv: --strict: the next file is still read" {
	run -2 --separate-stderr kpi-extract --strict csv/ragged.csv csv/padded.csv
	assert_output '{"a":"x","b":"y","c":"z","_src":"csv/ragged.csv","_line":2}
{"a":"1","b":"2","c":"3","_src":"csv/padded.csv","_line":2}
{"a":"4","b":"5","c":"6","_src":"csv/padded.csv","_line":3}'
	assert_stderr 'kpi-extract: csv/ragged.csv:3: row has 2 fields, header has 3'
}

# --- encodings -----------------------------------------------------------

@test "csv: UTF-8 BOM is stripped from the first header name" {
	work
	printf '\357\273\277Name,Total\n#1001,12.50\n' >bom.csv
	run -0 --separate-stderr kpi-extract bom.csv
	assert_output '{"Name":"#1001","Total":"12.50","_src":"bom.csv","_line":2}'
	assert_stderr ''
}

@test "csv: UTF-8 BOM before a quoted first header name (Meta)" {
	work
	printf '\357\273\277"Reporting starts","Amount spent (USD)"\n2026-05-25,159.51\n' >bomq.csv
	run -0 --separate-stderr kpi-extract bomq.csv
	assert_output '{"Reporting starts":"2026-05-25","Amount spent (USD)":"159.51","_src":"bomq.csv","_line":2}'
	assert_stderr ''
}

# Google Ads "Excel CSV": UTF-16 with BOM, TAB, two title lines, quoted
# thousands, " --" null markers.
gads_text() {
	printf 'Search terms report\n1 May 2026 - 8 May 2026\n'
	printf 'Search term\tMatch type\tClicks\tCost\tConv. rate\n'
	printf 'tow truck near me\tExact match\t"1,234"\t12.50\t --\n'
	printf 'café towing\tPhrase match\t3\t0.40\t12.91%%\n'
}

gads_want() {
	printf '%s\n' \
	    "{\"Search term\":\"tow truck near me\",\"Match type\":\"Exact match\",\"Clicks\":\"1,234\",\"Cost\":\"12.50\",\"Conv. rate\":\" --\",\"_start\":\"2026-05-01\",\"_end\":\"2026-05-08\",\"_src\":\"$1\",\"_line\":4}" \
	    "{\"Search term\":\"café towing\",\"Match type\":\"Phrase match\",\"Clicks\":\"3\",\"Cost\":\"0.40\",\"Conv. rate\":\"12.91%\",\"_start\":\"2026-05-01\",\"_end\":\"2026-05-08\",\"_src\":\"$1\",\"_line\":5}"
}

@test "csv: UTF-16LE with BOM, TAB-delimited (Google Ads Excel CSV)" {
	work
	{ printf '\377\376'; gads_text | iconv -f UTF-8 -t UTF-16LE; } >gads.csv
	run -0 --separate-stderr kpi-extract gads.csv
	assert_output "$(gads_want gads.csv)"
	assert_stderr ''
}

@test "csv: UTF-16BE with BOM" {
	work
	{ printf '\376\377'; gads_text | iconv -f UTF-8 -t UTF-16BE; } >gads.csv
	run -0 --separate-stderr kpi-extract gads.csv
	assert_output "$(gads_want gads.csv)"
	assert_stderr ''
}

@test "csv: UTF-16LE with BOM and CRLF" {
	work
	{ printf '\377\376'; gads_text | sed 's/$/\r/' | iconv -f UTF-8 -t UTF-16LE; } >gads.csv
	run -0 --separate-stderr kpi-extract gads.csv
	assert_output "$(gads_want gads.csv)"
	assert_stderr ''
}

@test "csv: --encoding utf-16le reads UTF-16 without a BOM" {
	work
	gads_text | iconv -f UTF-8 -t UTF-16LE >gads.csv
	run -0 --separate-stderr kpi-extract --encoding utf-16le gads.csv
	assert_output "$(gads_want gads.csv)"
	assert_stderr ''
}

@test "csv: --encoding utf-16be reads UTF-16 without a BOM" {
	work
	gads_text | iconv -f UTF-8 -t UTF-16BE >gads.csv
	run -0 --separate-stderr kpi-extract --encoding utf-16be gads.csv
	assert_output "$(gads_want gads.csv)"
	assert_stderr ''
}

@test "csv: Windows-1252 bytes by default (0xE9 → é, 0x80 → €), UTF-8 fields kept" {
	work
	printf 'name,price,note\ncaf\351,\20012,na\303\257ve\n' >cp.csv
	run -0 --separate-stderr kpi-extract cp.csv
	assert_output '{"name":"café","price":"€12","note":"naïve","_src":"cp.csv","_line":2}'
	assert_stderr ''
}

@test "csv: Windows-1252 header name" {
	work
	printf 'Men\347\343o,Pre\347o\nx,1\n' >h.csv
	run -0 --separate-stderr kpi-extract h.csv
	assert_output '{"Menção":"x","Preço":"1","_src":"h.csv","_line":2}'
	assert_stderr ''
}

@test "csv: --encoding windows-1252 decodes every field" {
	work
	printf 'a,b\n\303\251,\200\n' >w.csv
	run -0 --separate-stderr kpi-extract --encoding windows-1252 w.csv
	assert_output '{"a":"Ã©","b":"€","_src":"w.csv","_line":2}'
	assert_stderr ''
}

@test "csv: --encoding latin-1 maps 0x80 to U+0080" {
	work
	printf 'a,b\ncaf\351,\200\n' >l.csv
	run -0 --separate-stderr kpi-extract --encoding latin-1 l.csv
	assert_output "{\"a\":\"café\",\"b\":\"$(printf '\302\200')\",\"_src\":\"l.csv\",\"_line\":2}"
	assert_stderr ''
}

@test "csv: --encoding utf-8 replaces invalid bytes with U+FFFD and warns" {
	work
	printf 'name,price\ncaf\351,1\nok,2\nx,\200\n' >u.csv
	run -0 --separate-stderr kpi-extract --encoding utf-8 u.csv
	assert_output '{"name":"caf�","price":"1","_src":"u.csv","_line":2}
{"name":"ok","price":"2","_src":"u.csv","_line":3}
{"name":"x","price":"�","_src":"u.csv","_line":4}'
	assert_stderr "kpi-extract: u.csv:2: invalid UTF-8 replaced in field 'name'
kpi-extract: u.csv:4: invalid UTF-8 replaced in field 'price'"
}

@test "csv: a NUL byte in 8-bit text: not a text file, exit 2" {
	work
	printf 'GIF89a\001\000\001\000\200\000\000\377\377\377,\000\000\n' >logo.csv
	run -2 --separate-stderr kpi-extract logo.csv
	assert_output ''
	assert_stderr 'kpi-extract: logo.csv:1: not a text file (NUL byte)'
}

# --- provenance and order ---------------------------------------------------

@test "csv: standard input is <stdin>, with and without '-'" {
	run -0 --separate-stderr kpi-extract <csv/pipe.csv
	assert_output '{"sku":"A-1","title":"Mug, blue","price":"9.90","_src":"<stdin>","_line":2}
{"sku":"B-2","title":"Tee","price":"15","_src":"<stdin>","_line":3}'
	assert_stderr ''
	run -0 --separate-stderr kpi-extract - <csv/pipe.csv
	assert_output '{"sku":"A-1","title":"Mug, blue","price":"9.90","_src":"<stdin>","_line":2}
{"sku":"B-2","title":"Tee","price":"15","_src":"<stdin>","_line":3}'
}

@test "csv: files in argument order, '-' where it is named" {
	run -0 --separate-stderr kpi-extract csv/tie.csv - csv/underscore.csv <csv/single_column.csv
	assert_output '{"a;b":"1;2","c":"3","_src":"csv/tie.csv","_line":2}
{"email":"a@example.com","_src":"<stdin>","_line":2}
{"email":"b@example.com","_src":"<stdin>","_line":3}
{"raw_id":"7","name":"a","raw__meta":"m","_src":"csv/underscore.csv","_line":2}'
	assert_stderr ''
}

@test "csv: _src is the name as given on the command line" {
	run -0 --separate-stderr kpi-extract ./csv/../csv/tie.csv "$(fixture csv/tie.csv)"
	assert_output "{\"a;b\":\"1;2\",\"c\":\"3\",\"_src\":\"./csv/../csv/tie.csv\",\"_line\":2}
{\"a;b\":\"1;2\",\"c\":\"3\",\"_src\":\"$FIXTURES/csv/tie.csv\",\"_line\":2}"
}

@test "csv: each file has its own header and sniffing" {
	run -0 --separate-stderr kpi-extract csv/semicolon.csv csv/pipe.csv
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[1]}" = '{"Datum":"2024-01-06","Kanal":"Suche","Umsatz":"2,00","_src":"csv/semicolon.csv","_line":3}' ]
	[ "${lines[2]}" = '{"sku":"A-1","title":"Mug, blue","price":"9.90","_src":"csv/pipe.csv","_line":2}' ]
}

@test "csv: after a blank line, a Shopify order name is data, not a comment" {
	work
	printf 'Name,Total\n#1001,1\n\n#1002,2\n3,4\n' >blank.csv
	run -0 --separate-stderr kpi-extract blank.csv
	assert_output '{"Name":"#1001","Total":"1","_src":"blank.csv","_line":2}
{"Name":"#1002","Total":"2","_src":"blank.csv","_line":4}
{"Name":"3","Total":"4","_src":"blank.csv","_line":5}'
	assert_stderr ''
}

@test "csv: Excel-padded comment lines ('#,,,') are comments" {
	work
	printf '# Report CSV Export,,\n#,,\nDate,Sessions,Users\n20240101,5,4\n' >pad.csv
	run -0 --separate-stderr kpi-extract pad.csv
	assert_output '{"Date":"20240101","Sessions":"5","Users":"4","_src":"pad.csv","_line":4}'
	assert_stderr ''
}
