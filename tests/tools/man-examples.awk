# man-examples.awk - the commands of a page's EXAMPLES, or of README.md's
# console blocks, for tests/man-examples.bats to run.
#
#   awk -v dir=DIR -f man-examples.awk PAGE
#
# Reads the mdoc source.  In the EXAMPLES section, a line of a literal
# display (.Bd -literal ... .Ed) or of .Dl that begins with "$ " starts a
# command; the lines after it belong to it while it is open (its last line
# ends in \ or | or && or ||, a quote or a brace is still open).  The lines
# after a command, up to the next one or the end of the display, are what
# it prints: those that begin "kpi-TOOL: " or "kpi: " on standard error,
# the others on standard output.  For command N it writes DIR/N.cmd,
# DIR/N.out, DIR/N.err and, when the page shows any output for it,
# DIR/N.shown; DIR/count holds N.  A display after the comment
# '.\" not run: REASON' is skipped (DIR/skipped lists the reasons).
# Roff escapes are undone; one it does not know is an error, so that a
# command is never run other than the page shows it.

function fail(msg) {
	printf "man-examples: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
	exit 1
}

function unescape(s,    out, c, i, name) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c != "\\") {
			out = out c
			continue
		}
		c = substr(s, ++i, 1)
		if (c == "e")
			out = out "\\"
		else if (c == "&")
			;
		else if (c == "-")
			out = out "-"
		else if (c == "(") {
			name = substr(s, i + 1, 2)
			i += 2
			if (!(name in glyph))
				fail("unknown escape \\(" name)
			out = out glyph[name]
		} else if (c == "[" && substr(s, i + 1, 1) == "u") {
			name = substr(s, i + 2)
			if (!match(name, /^[0-9A-F]+\]/))
				fail("unknown escape \\[" name)
			out = out utf8(substr(name, 1, RLENGTH - 1))
			i += RLENGTH + 1
		} else
			fail("unknown escape \\" c)
	}
	return out
}

# The UTF-8 bytes of the code point of hex digits h (mandoc's \[uXXXX]).
function utf8(h,    cp, i) {
	cp = 0
	for (i = 1; i <= length(h); i++)
		cp = cp * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1
	if (cp < 128)
		return sprintf("%c", cp)
	if (cp < 2048)
		return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
	if (cp < 65536)
		return sprintf("%c%c%c", 224 + int(cp / 4096),
		    128 + int(cp / 64) % 64, 128 + cp % 64)
	return sprintf("%c%c%c%c", 240 + int(cp / 262144),
	    128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}

# Whether a command so far is complete: no trailing \ | && ||, quotes
# and braces closed (outside quotes).
function open_command(s,    i, c, q, depth) {
	if (s ~ /(\\|\||&&)[ \t]*$/)
		return 1
	q = ""
	depth = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q != "") {
			if (c == q)
				q = ""
			else if (c == "\\" && q == "\"")
				i++
		} else if (c == "'" || c == "\"")
			q = c
		else if (c == "\\")
			i++
		else if (c == "{" && substr(s, i + 1, 1) ~ /[ \t\n]/)
			depth++
		else if (c == "}" && depth > 0)
			depth--
	}
	return q != "" || depth > 0
}

function line(s) {
	if (s ~ /^\$ /) {
		n++
		cmd = substr(s, 3)
		printf "%s\n", cmd > (dir "/" n ".cmd")
		incmd = open_command(cmd)
		printf "" > (dir "/" n ".out")
		printf "" > (dir "/" n ".err")
		return
	}
	if (n == first)		# text shown before any command: not run
		return
	if (incmd) {
		cmd = cmd "\n" s
		printf "%s\n", s > (dir "/" n ".cmd")
		incmd = open_command(cmd)
		return
	}
	printf "" > (dir "/" n ".shown")
	if (s ~ /^kpi(-[a-z]+)?: /)
		printf "%s\n", s > (dir "/" n ".err")
	else
		printf "%s\n", s > (dir "/" n ".out")
}

function end_display() {
	if (incmd)
		fail("a command of EXAMPLES does not end")
	incmd = 0
}

BEGIN {
	glyph["Po"] = "\302\243"	# pound sign
	glyph["dq"] = "\""
	glyph["em"] = "\342\200\224"	# em dash
	glyph["aq"] = "'"
	glyph["ga"] = "`"
	glyph["ti"] = "~"
	glyph["ha"] = "^"
	n = 0
}

# Markdown (README.md): every ```console block is an example display.
FNR == 1 { md = FILENAME ~ /\.md$/ }
md && /^```console$/ { indisp = 1; first = n; next }
md && indisp && /^```$/ { end_display(); indisp = 0; next }
md { if (indisp) line($0); next }

/^\.Sh / { ex = ($0 == ".Sh EXAMPLES"); next }
!ex { next }
/^\.\\" not run: ./ { skip = substr($0, 14); next }
/^\.Bd -literal/ {
	indisp = 1
	first = n
	if (skip != "")
		printf "%s\n", skip > (dir "/skipped")
	next
}
/^\.Ed/ { end_display(); indisp = 0; skip = ""; next }
indisp {
	if (skip == "")
		line(unescape($0))
	next
}
/^\.Dl / {
	first = n
	line(unescape(substr($0, 5)))
	end_display()
	next
}

END {
	if (!bad)
		printf "%d\n", n > (dir "/count")
}
