#!/usr/bin/env bats
# kpi-extract: compressed files and archives, detected by content; members
# streamed in archive order, --member, nesting, damaged inputs.  Every
# archive is built in the per-test directory with bsdtar (libarchive-tools)
# and the usual compressors.

load test_helper

setup() {
	work
	printf 'n,v\n1,a\n2,b\n' >a.csv
	printf 'n,v\n3,c\n' >b.csv
}

# The rows of a.csv, then of b.csv, under the _src names given.
a_rows() {
	printf '%s\n' \
	    "{\"n\":\"1\",\"v\":\"a\",\"_src\":\"$1\",\"_line\":2}" \
	    "{\"n\":\"2\",\"v\":\"b\",\"_src\":\"$1\",\"_line\":3}"
}
b_rows() {
	printf '%s\n' "{\"n\":\"3\",\"v\":\"c\",\"_src\":\"$1\",\"_line\":2}"
}

# check_ab ARCHIVE: reads ARCHIVE, made of a.csv then b.csv.
check_ab() {
	run -0 --separate-stderr kpi-extract "$1"
	assert_output "$(a_rows "$1:a.csv"; b_rows "$1:b.csv")"
	assert_stderr ''
}

# check_a FILE: reads FILE, a compressed a.csv.
check_a() {
	run -0 --separate-stderr kpi-extract "$1"
	assert_output "$(a_rows "$1")"
	assert_stderr ''
}

# --- compressed files ---------------------------------------------------

@test "archives: gzip" {
	gzip -c a.csv >a.csv.gz
	check_a a.csv.gz
}

@test "archives: bzip2" {
	bsdtar --format raw --bzip2 -cf a.csv.bz2 a.csv
	check_a a.csv.bz2
}

@test "archives: xz" {
	bsdtar --format raw --xz -cf a.csv.xz a.csv
	check_a a.csv.xz
}

@test "archives: lzma" {
	bsdtar --format raw --lzma -cf a.csv.lzma a.csv
	check_a a.csv.lzma
}

@test "archives: zstd" {
	bsdtar --format raw --zstd -cf a.csv.zst a.csv
	check_a a.csv.zst
}

@test "archives: lz4" {
	bsdtar --format raw --lz4 -cf a.csv.lz4 a.csv
	check_a a.csv.lz4
}

@test "archives: compress (.Z)" {
	bsdtar --format raw -Z -cf a.csv.Z a.csv
	check_a a.csv.Z
}

@test "archives: detected by content: gzip named .csv, bzip2 with no suffix" {
	gzip -c a.csv >disguised.csv
	bsdtar --format raw --bzip2 -cf export a.csv
	run -0 --separate-stderr kpi-extract disguised.csv export
	assert_output "$(a_rows disguised.csv; a_rows export)"
	assert_stderr ''
}

@test "archives: compressed standard input" {
	gzip -c a.csv >a.csv.gz
	run -0 --separate-stderr kpi-extract - <a.csv.gz
	assert_output "$(a_rows '<stdin>')"
	assert_stderr ''
}

@test "archives: compressed TSV is TAB-separated by its name less .gz" {
	cp "$FIXTURES/csv/tabcomma.tsv" k.tsv
	gzip -c k.tsv >k.tsv.gz
	run -0 --separate-stderr kpi-extract k.tsv.gz
	assert_output '{"a,b,c":"1,2,3","d":"4","_src":"k.tsv.gz","_line":2}'
	assert_stderr ''
}

# --- archives -----------------------------------------------------------

@test "archives: zip (deflate)" {
	bsdtar -a -cf x.zip a.csv b.csv
	check_ab x.zip
}

@test "archives: zip (stored)" {
	bsdtar --format zip --options zip:compression=store -cf x.zip a.csv b.csv
	check_ab x.zip
}

@test "archives: tar" {
	bsdtar -cf x.tar a.csv b.csv
	check_ab x.tar
}

@test "archives: tar.gz" {
	bsdtar -czf x.tar.gz a.csv b.csv
	check_ab x.tar.gz
}

@test "archives: tar.bz2" {
	bsdtar -cjf x.tar.bz2 a.csv b.csv
	check_ab x.tar.bz2
}

@test "archives: tar.xz" {
	bsdtar -cJf x.tar.xz a.csv b.csv
	check_ab x.tar.xz
}

@test "archives: tar.zst" {
	bsdtar --zstd -cf x.tar.zst a.csv b.csv
	check_ab x.tar.zst
}

@test "archives: tar.lz4" {
	bsdtar --lz4 -cf x.tar.lz4 a.csv b.csv
	check_ab x.tar.lz4
}

@test "archives: 7z" {
	bsdtar --format 7zip -cf x.7z a.csv b.csv
	check_ab x.7z
}

@test "archives: cpio (odc and newc)" {
	bsdtar --format cpio -cf x.cpio a.csv b.csv
	check_ab x.cpio
	bsdtar --format newc -cf y.cpio a.csv b.csv
	check_ab y.cpio
}

@test "archives: a zip named .csv is read as a zip" {
	bsdtar --format zip -cf odd.csv a.csv b.csv
	check_ab odd.csv
}

@test "archives: members in archive order, not name order" {
	bsdtar -a -cf x.zip b.csv a.csv
	run -0 --separate-stderr kpi-extract x.zip
	assert_output "$(b_rows x.zip:b.csv; a_rows x.zip:a.csv)"
	assert_stderr ''
}

@test "archives: files in argument order, archives between them" {
	bsdtar -a -cf x.zip b.csv
	gzip -c a.csv >a.csv.gz
	run -0 --separate-stderr kpi-extract a.csv.gz x.zip a.csv
	assert_output "$(a_rows a.csv.gz; b_rows x.zip:b.csv; a_rows a.csv)"
	assert_stderr ''
}

@test "archives: zip on a pipe (not seekable)" {
	bsdtar -a -cf x.zip a.csv b.csv
	run -0 --separate-stderr bash -c 'cat x.zip | kpi-extract'
	assert_output "$(a_rows '<stdin>:a.csv'; b_rows '<stdin>:b.csv')"
	assert_stderr ''
}

@test "archives: directories are skipped, member paths kept" {
	mkdir 2024-01
	cp a.csv 2024-01/orders.csv
	bsdtar -a -cf exports.zip 2024-01
	bsdtar -tf exports.zip | grep -qx '2024-01/'
	run -0 --separate-stderr kpi-extract exports.zip
	assert_output "$(a_rows exports.zip:2024-01/orders.csv)"
	assert_stderr ''
}

@test "archives: directories skipped in tar" {
	mkdir d
	cp b.csv d/b.csv
	bsdtar -cf d.tar d
	run -0 --separate-stderr kpi-extract d.tar
	assert_output "$(b_rows d.tar:d/b.csv)"
	assert_stderr ''
}

@test "archives: symbolic and hard links are skipped" {
	ln -s a.csv link.csv
	ln b.csv hard.csv
	bsdtar -cf l.tar b.csv link.csv hard.csv
	bsdtar -tvf l.tar | grep -q 'link.csv -> a.csv'
	bsdtar -tvf l.tar | grep -q 'hard.csv link to b.csv'
	run -0 --separate-stderr kpi-extract l.tar
	assert_output "$(b_rows l.tar:b.csv)"
	assert_stderr ''
}

@test "archives: CSV, NDJSON and JSON members, format by member name then content" {
	printf '{"event":"view"}\n{"event":"buy"}\n' >events.ndjson
	printf '  [{"k":1}]\n' >data
	bsdtar -a -cf mix.zip a.csv events.ndjson data
	run -0 --separate-stderr kpi-extract mix.zip
	assert_output "$(a_rows mix.zip:a.csv)
{\"event\":\"view\",\"_src\":\"mix.zip:events.ndjson\",\"_line\":1}
{\"event\":\"buy\",\"_src\":\"mix.zip:events.ndjson\",\"_line\":2}
{\"k\":1,\"_src\":\"mix.zip:data\",\"_line\":1}"
	assert_stderr ''
}

@test "archives: UTF-16LE member in a zip (zipped Google Ads export)" {
	{
		printf '\377\376'
		printf 'Campaign report\nAll time\nCampaign\tCost\nBrand – UK\t"1,204.50"\n' |
		    iconv -f UTF-8 -t UTF-16LE
	} >report.csv
	bsdtar -a -cf ads.zip report.csv
	run -0 --separate-stderr kpi-extract ads.zip
	assert_output '{"Campaign":"Brand – UK","Cost":"1,204.50","_start":null,"_end":null,"_src":"ads.zip:report.csv","_line":4}'
	assert_stderr ''
}

@test "archives: Windows-1252 member in a tar.gz" {
	printf 'name,total\ncaf\351,\20012\n' >w.csv
	bsdtar -czf w.tar.gz w.csv
	run -0 --separate-stderr kpi-extract w.tar.gz
	assert_output '{"name":"café","total":"€12","_src":"w.tar.gz:w.csv","_line":2}'
	assert_stderr ''
}

# --- --member -------------------------------------------------------------

make_exports() {
	mkdir -p 2024-01 2024-02
	printf 'id,total\n1,10\n' >2024-01/orders.csv
	printf 'id,email\n1,a@example.com\n' >2024-01/customers.csv
	printf 'id,total\n2,20\n' >2024-02/orders.csv
	bsdtar -a -cf exports.zip 2024-01/orders.csv 2024-01/customers.csv 2024-02/orders.csv
}

@test "archives: --member glob, '*' crosses '/'" {
	make_exports
	run -0 --separate-stderr kpi-extract --member '*orders.csv' exports.zip
	assert_output '{"id":"1","total":"10","_src":"exports.zip:2024-01/orders.csv","_line":2}
{"id":"2","total":"20","_src":"exports.zip:2024-02/orders.csv","_line":2}'
	assert_stderr ''
}

@test "archives: --member is repeatable; members stay in archive order" {
	make_exports
	run -0 --separate-stderr kpi-extract --member '2024-02/*' --member '*customers*' exports.zip
	assert_output '{"id":"1","email":"a@example.com","_src":"exports.zip:2024-01/customers.csv","_line":2}
{"id":"2","total":"20","_src":"exports.zip:2024-02/orders.csv","_line":2}'
	assert_stderr ''
}

@test "archives: --member matches the whole path, with ? and [..]" {
	make_exports
	run -0 --separate-stderr kpi-extract --member '2024-0[2]/order?.csv' exports.zip
	assert_output '{"id":"2","total":"20","_src":"exports.zip:2024-02/orders.csv","_line":2}'
	assert_stderr ''
}

@test "archives: no member matches: warning, no rows, success" {
	make_exports
	run -0 --separate-stderr kpi-extract --member 'orders.csv' exports.zip
	assert_output ''
	assert_stderr 'kpi-extract: exports.zip: no member matches'
}

@test "archives: --member: files named on the command line are always read" {
	make_exports
	gzip -c a.csv >a.csv.gz
	run -0 --separate-stderr kpi-extract --member '*customers*' a.csv.gz exports.zip b.csv
	assert_output "$(a_rows a.csv.gz)
{\"id\":\"1\",\"email\":\"a@example.com\",\"_src\":\"exports.zip:2024-01/customers.csv\",\"_line\":2}
$(b_rows b.csv)"
	assert_stderr ''
}

@test "archives: --member matches a compressed member by its name less the suffix" {
	gzip -c a.csv >orders.csv.gz
	bsdtar -a -cf x.zip b.csv orders.csv.gz
	run -0 --separate-stderr kpi-extract --member 'orders.csv' x.zip
	assert_output "$(a_rows x.zip:orders.csv.gz)"
	assert_stderr ''
}

# --- nesting ------------------------------------------------------------

@test "archives: compressed member in a zip" {
	gzip -c a.csv >inner.csv.gz
	bsdtar -a -cf outer.zip inner.csv.gz
	run -0 --separate-stderr kpi-extract outer.zip
	assert_output "$(a_rows outer.zip:inner.csv.gz)"
	assert_stderr ''
}

@test "archives: tar in a zip" {
	bsdtar -cf inner.tar a.csv b.csv
	bsdtar -a -cf outer.zip inner.tar
	run -0 --separate-stderr kpi-extract outer.zip
	assert_output "$(a_rows outer.zip:inner.tar:a.csv; b_rows outer.zip:inner.tar:b.csv)"
	assert_stderr ''
}

@test "archives: zip in a tar.gz, beside a plain member" {
	bsdtar -a -cf inner.zip a.csv
	bsdtar -czf outer.tar.gz inner.zip b.csv
	run -0 --separate-stderr kpi-extract outer.tar.gz
	assert_output "$(a_rows outer.tar.gz:inner.zip:a.csv; b_rows outer.tar.gz:b.csv)"
	assert_stderr ''
}

@test "archives: three levels: csv.gz in a tar in a zip" {
	gzip -c a.csv >a.csv.gz
	bsdtar -cf mid.tar a.csv.gz
	bsdtar -a -cf outer.zip mid.tar
	run -0 --separate-stderr kpi-extract outer.zip
	assert_output "$(a_rows outer.zip:mid.tar:a.csv.gz)"
	assert_stderr ''
}

@test "archives: four levels of nesting are read" {
	gzip -c a.csv >d1.csv.gz
	bsdtar -cf d2.tar d1.csv.gz
	bsdtar -a -cf d3.zip d2.tar
	bsdtar -czf d4.tar.gz d3.zip
	run -0 --separate-stderr kpi-extract d4.tar.gz
	assert_output "$(a_rows d4.tar.gz:d3.zip:d2.tar:d1.csv.gz)"
	assert_stderr ''
}

@test "archives: a fifth level is an error naming the chain, next file read" {
	gzip -c a.csv >d1.csv.gz
	bsdtar -cf d2.tar d1.csv.gz
	bsdtar -a -cf d3.zip d2.tar
	bsdtar -czf d4.tar.gz d3.zip
	bsdtar -a -cf d5.zip d4.tar.gz
	run -2 --separate-stderr kpi-extract d5.zip b.csv
	assert_output "$(b_rows b.csv)"
	assert_stderr 'kpi-extract: d5.zip:d4.tar.gz:d3.zip:d2.tar:d1.csv.gz: archives nested deeper than 4 levels'
}

@test "archives: empty zip and empty tar: no rows, success" {
	bsdtar -a -cf e.zip --files-from /dev/null
	bsdtar -cf e.tar --files-from /dev/null
	bsdtar -tf e.tar
	run -0 --separate-stderr kpi-extract e.zip e.tar b.csv
	assert_output "$(b_rows b.csv)"
	assert_stderr ''
}

@test "archives: an empty compressed file reads as an empty file: no rows, success" {
	: >e.csv
	gzip -c e.csv >e.csv.gz
	bsdtar --format raw --xz -cf e.csv.xz e.csv
	bsdtar --format raw --bzip2 -cf e.csv.bz2 e.csv
	bsdtar --format raw --zstd -cf e.csv.zst e.csv
	bsdtar -a -cf e.zip e.csv.gz e.csv
	run -0 --separate-stderr kpi-extract --stats e.csv e.csv.gz e.csv.xz e.csv.bz2 e.csv.zst e.zip - b.csv <e.csv.gz
	assert_output "$(b_rows b.csv)"
	assert_stderr 'kpi-extract: 1 row from 9 sources'
}

@test "archives: invalid UTF-8 in a file or member name becomes U+FFFD in _src" {
	cp b.csv $'b\xff.csv'
	mkdir d && cp a.csv $'d/a\xe9.csv'
	(cd d && bsdtar -cf ../x.tar $'a\xe9.csv' 2>/dev/null)
	run -0 --separate-stderr kpi-extract $'b\xff.csv' x.tar
	assert_output "$(b_rows $'b\xef\xbf\xbd.csv'; a_rows $'x.tar:a\xef\xbf\xbd.csv')"
	assert_stderr ''
}

@test "archives: --stats counts members read as text, not archives" {
	bsdtar -a -cf x.zip a.csv b.csv
	run -0 --separate-stderr kpi-extract --stats x.zip a.csv
	assert_output "$(a_rows x.zip:a.csv; b_rows x.zip:b.csv; a_rows a.csv)"
	assert_stderr 'kpi-extract: 5 rows from 3 sources'
}

# --- damaged archives ------------------------------------------------------

# cut_and_check NAME SRC: stdout of the last run is whole rows of a seq_csv
# file, with _src SRC, fewer than 5000, then b.csv's row; one line on stderr
# naming NAME.
cut_and_check() {
	local name=$1 src=$2 last
	last=${lines[${#lines[@]}-1]}
	[ "$last" = "$(b_rows b.csv)" ] || { echo "last line: $last"; return 1; }
	assert_records
	output=$(printf '%s\n' "$output" | sed '$d')
	assert_seq_rows "$src"
	[ "$seq_rows" -lt 5000 ]
	assert_stderr_line "^kpi-extract: ${name//./\\.}[: ]"
}

@test "archives: truncated zip: one error, only whole rows, next file read" {
	seq_csv big.csv 5000
	bsdtar -a -cf big.zip big.csv
	head -c $(($(stat -c %s big.zip) / 2)) big.zip >cut.zip
	run -2 --separate-stderr kpi-extract cut.zip b.csv
	cut_and_check cut.zip cut.zip:big.csv
}

@test "archives: truncated tar.gz: one error, only whole rows, next file read" {
	seq_csv big.csv 5000
	bsdtar -czf big.tar.gz big.csv
	head -c $(($(stat -c %s big.tar.gz) / 2)) big.tar.gz >cut.tar.gz
	run -2 --separate-stderr kpi-extract cut.tar.gz b.csv
	cut_and_check cut.tar.gz cut.tar.gz:big.csv
}

@test "archives: truncated csv.gz: one error, only whole rows, next file read" {
	seq_csv big.csv 5000
	gzip -c big.csv >big.csv.gz
	head -c $(($(stat -c %s big.csv.gz) / 2)) big.csv.gz >cut.csv.gz
	run -2 --separate-stderr kpi-extract cut.csv.gz b.csv
	cut_and_check cut.csv.gz cut.csv.gz
}

@test "archives: zip cut inside its first header: error, no rows" {
	bsdtar -a -cf x.zip a.csv b.csv
	head -c 20 x.zip >cut.zip
	run -2 --separate-stderr kpi-extract cut.zip b.csv
	assert_output "$(b_rows b.csv)"
	assert_stderr_line '^kpi-extract: cut\.zip[: ]'
}

@test "archives: corrupt gzip data: error, no rows, next file read" {
	# A valid gzip header, then a deflate block of the reserved type 3.
	printf '\037\213\010\000\000\000\000\000\000\003\377\377\377\377\377\377\377\377' >bad.csv.gz
	run -2 --separate-stderr kpi-extract bad.csv.gz b.csv
	assert_output "$(b_rows b.csv)"
	assert_stderr_line '^kpi-extract: bad\.csv\.gz[: ]'
}

# flip_byte FILE OFFSET: inverts the byte at OFFSET (negative: from the end).
flip_byte() {
	local off=$2 b
	[ "$off" -ge 0 ] || off=$(($(stat -c %s "$1") + off))
	b=$(od -An -tu1 -j "$off" -N1 "$1")
	printf "\\$(printf %03o $((b ^ 255)))" |
	    dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}

@test "archives: gzip with a bad CRC in its trailer: error, next file read" {
	seq_csv big.csv 20
	gzip -c big.csv >bad.csv.gz
	flip_byte bad.csv.gz -8
	run -2 --separate-stderr kpi-extract bad.csv.gz b.csv
	assert_output "$(b_rows b.csv)"
	assert_stderr 'kpi-extract: bad.csv.gz: damaged gzip data: incorrect data check'
}

@test "archives: gzip with a bad length in its trailer: error" {
	seq_csv big.csv 20
	gzip -c big.csv >bad.csv.gz
	flip_byte bad.csv.gz -2
	run -2 --separate-stderr kpi-extract bad.csv.gz
	assert_output ''
	assert_stderr 'kpi-extract: bad.csv.gz: damaged gzip data: incorrect length check'
}

@test "archives: tar.gz with a bad CRC: checked after the tar's end" {
	# A megabyte of zeros after the tar's end marker, which libarchive
	# never reads: the trailer is still checked.
	bsdtar -cf x.tar a.csv
	head -c 1000000 /dev/zero >>x.tar
	gzip -c x.tar >x.tar.gz
	flip_byte x.tar.gz -8
	run -2 --separate-stderr kpi-extract x.tar.gz b.csv
	assert_output "$(a_rows x.tar.gz:a.csv; b_rows b.csv)"
	assert_stderr 'kpi-extract: x.tar.gz: damaged gzip data: incorrect data check'
}

@test "archives: gzip: concatenated members read, zero padding accepted, garbage not" {
	{ gzip -c a.csv; printf '9,z\n' | gzip -c; head -c 100 /dev/zero; } >cat.csv.gz
	run -0 --separate-stderr kpi-extract cat.csv.gz
	assert_output "$(a_rows cat.csv.gz)
{\"n\":\"9\",\"v\":\"z\",\"_src\":\"cat.csv.gz\",\"_line\":4}"
	{ gzip -c a.csv; echo junk; } >junk.csv.gz
	run -2 --separate-stderr kpi-extract junk.csv.gz
	assert_stderr 'kpi-extract: junk.csv.gz: trailing garbage after gzip data'
}

@test "archives: any flipped byte in a gzip stream is an error" {
	seq_csv big.csv 300
	gzip -c big.csv >ok.csv.gz
	for off in 30 200 400 -12; do
		cp ok.csv.gz bad.csv.gz
		flip_byte bad.csv.gz "$off"
		run -2 --separate-stderr kpi-extract bad.csv.gz
		assert_stderr_line '^kpi-extract: bad\.csv\.gz: damaged gzip data'
	done
}

@test "archives: zero bytes are not an empty archive unless named .tar" {
	head -c 1024 /dev/zero >z.csv
	head -c 1048576 /dev/zero | gzip -c >z.csv.gz
	mkdir d && cp z.csv d/zeros.csv && (cd d && bsdtar -a -cf ../z.zip zeros.csv)
	run -2 --separate-stderr kpi-extract z.csv z.csv.gz z.zip b.csv
	assert_output "$(b_rows b.csv)"
	assert_stderr 'kpi-extract: z.csv:1: not a text file (NUL byte)
kpi-extract: z.csv.gz:1: not a text file (NUL byte)
kpi-extract: z.zip:zeros.csv:1: not a text file (NUL byte)'
	run -2 --separate-stderr kpi-extract --format csv - <z.csv
	assert_stderr 'kpi-extract: <stdin>:1: not a text file (NUL byte)'
	cp z.csv z.tar
	gzip -c z.tar >z.tgz
	run -0 --separate-stderr kpi-extract z.tar z.tgz
	assert_stderr ''
}

@test "archives: member that is not text (NUL bytes): error naming it, later inputs read" {
	printf 'GIF89a\001\000\001\000\200\000\000\377\377\377,\000\000\n' >logo.gif
	bsdtar -a -cf x.zip a.csv logo.gif
	run -2 --separate-stderr kpi-extract x.zip b.csv
	assert_output "$(a_rows x.zip:a.csv; b_rows b.csv)"
	assert_stderr 'kpi-extract: x.zip:logo.gif:1: not a text file (NUL byte)'
}

@test "archives: NUL byte deep in a big member: no row from that line on, no half record" {
	seq_csv big.csv 5000
	{ head -n 3000 big.csv; printf '3000,row-3000\000-end\n'; tail -n +3002 big.csv; } >nul.csv
	bsdtar -a -cf x.zip nul.csv
	run -2 --separate-stderr kpi-extract x.zip b.csv
	cut_and_check x.zip x.zip:nul.csv
	[ "$seq_rows" -le 2999 ]
	assert_stderr 'kpi-extract: x.zip:nul.csv:3001: not a text file (NUL byte)'
}

@test "archives: --member naming a nested archive selects all inside it" {
	bsdtar -a -cf in.zip a.csv b.csv
	bsdtar -a -cf out.zip in.zip a.csv
	run -0 --separate-stderr kpi-extract --member in.zip out.zip
	assert_output "$(a_rows out.zip:in.zip:a.csv)
$(b_rows out.zip:in.zip:b.csv)"
	assert_stderr ''
}

@test "archives: --member matches a compressed member by its full name too" {
	gzip -c a.csv >a.csv.gz
	bsdtar -a -cf gz.zip a.csv.gz b.csv
	run -0 --separate-stderr kpi-extract --member '*.gz' gz.zip
	assert_output "$(a_rows gz.zip:a.csv.gz)"
	assert_stderr ''
}

@test "archives: --stats says row and source in the singular" {
	bsdtar -a -cf one.zip b.csv
	run -0 --separate-stderr kpi-extract --stats --member nothing one.zip
	assert_output ''
	assert_stderr 'kpi-extract: one.zip: no member matches
kpi-extract: 0 rows from 0 sources'
}
