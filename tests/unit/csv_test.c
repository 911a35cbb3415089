/*
 * csv_test.c - the CSV reader on a table of inputs: each case gives the
 * bytes, the options that differ from the defaults, and the rows expected,
 * written as compact JSON lines with their start lines ("@LINE {...}").
 */
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "record/readers.h"
#include "unit.h"

struct csv_case {
	const char *name;
	const char *in;
	size_t inlen;		/* 0: strlen(in) */
	int delim;
	long skip;		/* 0 in the table means -1 (detect) */
	const char *want;	/* rows; or "ERR:line: message" at the end */
};

/* Reads all rows of c into one string: "@LINE json\n" per row. */
static void
run_case(const struct csv_case *c, struct kpi_buf *got, struct kpi_buf *warns)
{
	struct kpi_reader_opts o;
	struct kpi_input *in;
	struct kpi_text *t;
	struct kpi_csv *csv;
	struct kpi_rec r;
	struct kpi_err err;
	unsigned long line;
	int rc;

	kpi_reader_opts_init(&o);
	o.delim = c->delim;
	o.skip = c->skip ? c->skip : -1;
	in = kpi_input_mem("t.csv", c->in, c->inlen ? c->inlen : strlen(c->in));
	t = kpi_text_open(in, KPI_ENC_AUTO);
	kpi_rec_init(&r);
	kpi_err_clear(&err);
	(void)warns;
	if ((csv = kpi_csv_open(t, "t.csv", &o, &err)) != NULL) {
		while ((rc = kpi_csv_next(csv, &r, &line, &err)) == 1) {
			kpi_buf_addf(got, "@%lu ", line);
			kpi_json_put_rec(got, &r);
			kpi_buf_addc(got, '\n');
		}
	} else
		rc = -1;
	if (rc < 0)
		kpi_buf_addf(got, "ERR:%lu: %s\n", err.line, err.msg);
	kpi_csv_free(csv);
	kpi_rec_release(&r);
	kpi_text_free(t);
	kpi_input_free(in);
}

static const struct csv_case cases[] = {
	{ "simple", "a,b\n1,2\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "no final newline", "a,b\n1,2", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "crlf", "a,b\r\n1,2\r\n3,4\r\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n@3 {\"a\":\"3\",\"b\":\"4\"}\n" },
	{ "quotes", "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", 0, 0, 0,
	  "@2 {\"a\":\"x,y\",\"b\":\"say \\\"hi\\\"\"}\n" },
	{ "embedded newline", "a,b\n\"l1\nl2\",x\ny,z\n", 0, 0, 0,
	  "@2 {\"a\":\"l1\\nl2\",\"b\":\"x\"}\n@4 {\"a\":\"y\",\"b\":\"z\"}\n" },
	{ "empty quoted vs empty", "a,b,c\n\"\",,x\n", 0, 0, 0,
	  "@2 {\"a\":\"\",\"b\":\"\",\"c\":\"x\"}\n" },
	{ "stray quote is data", "a,b\n5\" disk,2\n", 0, 0, 0,
	  "@2 {\"a\":\"5\\\" disk\",\"b\":\"2\"}\n" },
	{ "text after closing quote", "a,b\n\"x\"y,2\n", 0, 0, 0,
	  "@2 {\"a\":\"xy\",\"b\":\"2\"}\n" },
	{ "semicolon sniffed", "a;b;c\n1,5;2,5;x\n3;4;y\n", 0, 0, 0,
	  "@2 {\"a\":\"1,5\",\"b\":\"2,5\",\"c\":\"x\"}\n"
	  "@3 {\"a\":\"3\",\"b\":\"4\",\"c\":\"y\"}\n" },
	{ "tab sniffed, quoted commas", "k\tn\nx\t\"10,708\"\n", 0, 0, 0,
	  "@2 {\"k\":\"x\",\"n\":\"10,708\"}\n" },
	{ "pipe sniffed", "a|b\n1|2\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "delimiter forced", "a;b\n1;2\n", 0, ',', 0,
	  "@2 {\"a;b\":\"1;2\"}\n" },
	{ "single column", "v\n1\n2\n", 0, 0, 0,
	  "@2 {\"v\":\"1\"}\n@3 {\"v\":\"2\"}\n" },
	{ "header names", " a ,,a,a_2,_id\n1,2,3,4,5\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"col_2\":\"2\",\"a_3\":\"3\",\"a_2\":\"4\","
	  "\"raw_id\":\"5\"}\n" },
	{ "short row", "a,b,c\n1\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":null,\"c\":null}\n" },
	{ "long row", "a,b\n1,2,3,,4\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\",\"_extra\":[\"3\",\"\",\"4\"]}\n" },
	{ "padding", "a,b\n1,2,,,\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "blank lines", "a,b\n\n1,2\n,\n\n3,4\n", 0, 0, 0,
	  "@3 {\"a\":\"1\",\"b\":\"2\"}\n@6 {\"a\":\"3\",\"b\":\"4\"}\n" },
	{ "hash is data", "Name,Total\n#1001,5\n#1002,6\n", 0, 0, 0,
	  "@2 {\"Name\":\"#1001\",\"Total\":\"5\"}\n"
	  "@3 {\"Name\":\"#1002\",\"Total\":\"6\"}\n" },
	{ "ga4 preamble", "# ---\n# Account: x, \"y\"\n#  \n# Start date: 20240101\n"
	  "Date,Sessions\r\n20240101,5\r\n", 0, 0, 0,
	  "@6 {\"Date\":\"20240101\",\"Sessions\":\"5\"}\n" },
	{ "ga4 blocks", "# a\nN,X\n0,1\n\n# Start date: 1\nE,C\ne,2\n\nz,9\n",
	  0, 0, 0,
	  "@3 {\"N\":\"0\",\"X\":\"1\"}\n@7 {\"E\":\"e\",\"C\":\"2\"}\n"
	  "@9 {\"E\":\"z\",\"C\":\"9\"}\n" },
	{ "title lines", "Campaign report\n\"July 8, 2025 - July 31, 2025\"\n"
	  "Campaign,Cost\nA,1.5\n", 0, 0, 0,
	  "@4 {\"Campaign\":\"A\",\"Cost\":\"1.5\"}\n" },
	{ "skip", "x\ny,z\na,b\n1,2\n", 0, 0, 2,
	  "@4 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "header only", "a,b\n", 0, 0, 0, "" },
	{ "empty", "", 0, 0, 0, "" },
	{ "bom", "\xef\xbb\xbf" "a,b\n1,2\n", 0, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "cp1252", "a\ncaf\xe9 \x80" "5\n", 0, 0, 0,
	  "@2 {\"a\":\"caf\xc3\xa9 \xe2\x82\xac" "5\"}\n" },
	{ "utf16le", "\xff\xfe" "a\0,\0b\0\n\0\xe9\0,\0" "2\0\n\0", 18, 0, 0,
	  "@2 {\"a\":\"\xc3\xa9\",\"b\":\"2\"}\n" },
	{ "utf16be", "\xfe\xff\0a\0\t\0b\0\n\0" "1\0\t\0" "2", 16, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\n" },
	{ "unterminated", "a,b\n1,\"open\n2,3\n", 0, 0, 0,
	  "ERR:2: unterminated quoted field\n" },
	{ "nul byte", "a,b\n1,2\n3,\0" "4\n", 12, 0, 0,
	  "@2 {\"a\":\"1\",\"b\":\"2\"}\nERR:3: not a text file (NUL byte)\n" },
	{ "control chars escaped", "a\n\"x\ty\x01\"\n", 0, 0, 0,
	  "@2 {\"a\":\"x\\ty\\u0001\"}\n" },
};

int
main(void)
{
	struct kpi_buf got, warns;
	size_t i;

	kpi_buf_init(&got);
	kpi_buf_init(&warns);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kpi_buf_reset(&got);
		kpi_buf_adds(&got, "");
		run_case(&cases[i], &got, &warns);
		CHECK_STR(got.p, cases[i].want, cases[i].name);
	}
	kpi_buf_release(&got);
	kpi_buf_release(&warns);
	return unit_done();
}
