/*
 * jsonin_test.c - JSON inputs as rows: NDJSON, arrays, --path, errors and
 * their positions, over inputs in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "record/readers.h"
#include "unit.h"

#define FFFD "\xEF\xBF\xBD"

static struct kpi_buf got;

static void
collect_warning(void *arg, const struct kpi_err *err)
{
	char msg[1200];

	(void)arg;
	kpi_buf_addf(&got, "warning %s\n", kpi_err_format(err, msg,
	    sizeof(msg)));
}

/*
 * Reads in[0..n) as JSON rows and renders what came: "LINE {json}" for
 * each row, then "end" or "error FILE:LINE:COL: msg".  Borrowed until the
 * next call.
 */
static const char *
read_rows(const char *in, size_t n, const char *path, enum kpi_enc enc,
    size_t max_field)
{
	struct kpi_reader_opts o;
	struct kpi_input *input;
	struct kpi_text *t;
	struct kpi_jsonin *j;
	struct kpi_rec r;
	struct kpi_err err;
	unsigned long line;
	char msg[1200];
	int rc;

	kpi_buf_reset(&got);
	kpi_buf_adds(&got, "");
	kpi_reader_opts_init(&o);
	o.path = path;
	o.enc = enc;
	o.warn.fn = collect_warning;
	if (max_field > 0)
		o.max_field = max_field;
	input = kpi_input_mem("t.json", in, n);
	t = kpi_text_open(input, enc);
	kpi_rec_init(&r);
	kpi_err_clear(&err);
	if ((j = kpi_jsonin_open(t, "t.json", &o, &err)) == NULL)
		kpi_buf_addf(&got, "open error %s", kpi_err_format(&err, msg,
		    sizeof(msg)));
	else {
		while ((rc = kpi_jsonin_next(j, &r, &line, &err)) > 0) {
			kpi_buf_addf(&got, "%lu ", line);
			kpi_json_put_rec(&got, &r);
			kpi_buf_addc(&got, '\n');
		}
		if (rc < 0)
			kpi_buf_addf(&got, "error %s", kpi_err_format(&err,
			    msg, sizeof(msg)));
		else
			kpi_buf_adds(&got, "end");
		CHECK(kpi_jsonin_next(j, &r, &line, &err) == 0,
		    "a finished reader returns 0: %s", in);
		kpi_jsonin_free(j);
	}
	kpi_rec_release(&r);
	kpi_text_free(t);
	kpi_input_free(input);
	return got.p;
}

static const struct {
	const char *in;
	const char *path;
	const char *want;
} cases[] = {
	/* sequences of objects */
	{ "", NULL, "end" },
	{ " \n\n \r\n", NULL, "end" },
	{ "{\"a\":1}\n\n{\"a\":2}\n\n", NULL, "1 {\"a\":1}\n3 {\"a\":2}\nend" },
	{ "{\"a\":1}\r\n{\"b\":\"x\"}\r\n", NULL,
	    "1 {\"a\":1}\n2 {\"b\":\"x\"}\nend" },
	{ "{\"a\":1}", NULL, "1 {\"a\":1}\nend" },
	{ "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}\n{\n \"c\": {}\n}\n", NULL,
	    "1 {\"a\":1,\"b\":[1,2]}\n5 {\"c\":{}}\nend" },
	{ "{\"a\":1}{\"a\":2} {\"a\":3}\n\t{\"a\":4}", NULL,
	    "1 {\"a\":1}\n1 {\"a\":2}\n1 {\"a\":3}\n2 {\"a\":4}\nend" },
	{ "{\"a\":\"x\\\"}\"}\n{\"b\":\"\\\\\"}\n{\"c\":\"{[\"}\n", NULL,
	    "1 {\"a\":\"x\\\"}\"}\n2 {\"b\":\"\\\\\"}\n3 {\"c\":\"{[\"}\nend" },
	{ "{\"s\":\"\\ud83d\\ude00 \\u00e9\",\"n\":1.50,\"z\":-0}", NULL,
	    "1 {\"s\":\"\xF0\x9F\x98\x80 \xC3\xA9\",\"n\":1.50,"
	    "\"z\":-0}\nend" },
	/*
	 * the last row's keys guide the next row's: the same keys, others,
	 * fewer, more, in another order, said twice, escaped, with spaces;
	 * a row that the line parser gives up on goes to the scanner with
	 * its bytes as they were (strings are terminated in place only
	 * after a parse succeeds)
	 */
	{ "{\"a\":1,\"bb\":\"x\",\"long_key_name\":2}\n"
	    "{\"a\":3,\"bb\":\"y\",\"long_key_name\":4}\n"
	    "{\"a\":5,\"bb\":\"z\",\"long_key_namf\":6}\n"
	    "{\"bb\":\"w\",\"a\":7}\n"
	    "{\"bb\":\"v\",\"a\":8,\"c\":9}\n"
	    "{\"bb\":\"u\",\"a\":10,\"bb\":\"t\"}\n"
	    "{\"bb\":\"s\",\"a\":11,\"c\":12}\n"
	    "{\"b\\u0062\":\"r\",\"a\":13}\n"
	    "{\"bb\" : \"q\", \"a\" : 14}\n"
	    "{\"bb\":\"p\",\"a\":15}{\"bb\":\"o\",\"a\":16}\n"
	    "{\"bb\":\"n\",\"a\":1.25e1}\n", NULL,
	    "1 {\"a\":1,\"bb\":\"x\",\"long_key_name\":2}\n"
	    "2 {\"a\":3,\"bb\":\"y\",\"long_key_name\":4}\n"
	    "3 {\"a\":5,\"bb\":\"z\",\"long_key_namf\":6}\n"
	    "4 {\"bb\":\"w\",\"a\":7}\n"
	    "5 {\"bb\":\"v\",\"a\":8,\"c\":9}\n"
	    "6 {\"bb\":\"t\",\"a\":10}\n"
	    "7 {\"bb\":\"s\",\"a\":11,\"c\":12}\n"
	    "8 {\"bb\":\"r\",\"a\":13}\n"
	    "9 {\"bb\":\"q\",\"a\":14}\n"
	    "10 {\"bb\":\"p\",\"a\":15}\n"
	    "10 {\"bb\":\"o\",\"a\":16}\n"
	    "11 {\"bb\":\"n\",\"a\":1.25e1}\nend" },
	{ "{\"a\":\"x\",\"b\":1}\n{\"a\":\"y\",\"b\":2,\"a\":\"z\"}\n"
	    "{\"a\":\"w\",\"b\":3}\n", NULL,
	    "1 {\"a\":\"x\",\"b\":1}\n2 {\"a\":\"z\",\"b\":2}\n"
	    "3 {\"a\":\"w\",\"b\":3}\nend" },
	{ "{\"a\":\"x\",\"b\":1}\n{\"a\":\"y\",\"b\":2,}\n", NULL,
	    "1 {\"a\":\"x\",\"b\":1}\n"
	    "error t.json:2:16: invalid JSON: trailing comma" },
	/* one array of objects */
	{ "[\n{\"a\":1},\n{\"a\":2}\n]\n", NULL,
	    "2 {\"a\":1}\n3 {\"a\":2}\nend" },
	{ "[]", NULL, "end" },
	{ "  [ \n ]\n", NULL, "end" },
	{ "[{\"a\":[{\"b\":1}]} , {\n\"c\":2}]", NULL,
	    "1 {\"a\":[{\"b\":1}]}\n1 {\"c\":2}\nend" },
	/* keys the toolkit reserves; a new name never clashes */
	{ "{\"_id\":1,\"name\":\"x\",\"_\":2,\"a\":{\"_b\":1}}", NULL,
	    "1 {\"raw_id\":1,\"name\":\"x\",\"raw_\":2,"
	    "\"a\":{\"_b\":1}}\nend" },
	{ "{\"_id\":1,\"raw_id\":2}", NULL,
	    "1 {\"raw_id_2\":1,\"raw_id\":2}\nend" },
	{ "{\"raw_a_2\":0,\"_a\":1,\"raw_a\":2,\"_a_2\":3}", NULL,
	    "1 {\"raw_a_2\":0,\"raw_a_3\":1,\"raw_a\":2,\"raw_a_2_2\":3}"
	    "\nend" },
	/* --path */
	{ "{\"meta\":{\"n\":2,\"x\":[1,{\"y\":\"}\"}]},"
	    "\"data\":{\"skip\":\"]\",\"rows\":[{\"a\":1},\n{\"a\":2}],"
	    "\"after\":{\"z\":[]}},\"tail\":1}\n",
	    "data.rows", "1 {\"a\":1}\n2 {\"a\":2}\nend" },
	{ "{\"rows\":[{\"a\":1}]}", "rows", "1 {\"a\":1}\nend" },
	{ "{\"d\\u0061ta\":{\"rows\":[]}}", "data.rows", "end" },
	{ "{\"x\":null,\"x2\":true,\"x3\":-1.5e3,"
	    "\"rows\":[{\"a\":1}],\"y\":\"\"}",
	    "rows", "1 {\"a\":1}\nend" },
	{ "{\"rows\":[{\"a\":1}],\"rows\":[{\"a\":2}]}", "rows",
	    "1 {\"a\":1}\nend" },
	{ "", "data.rows", "end" },
	{ "{\"data\":{\"other\":[]}}", "data.rows",
	    "error t.json:1:9: no member 'data.rows'" },
	{ "{\"x\":1}", "data.rows", "error t.json:1:1: no member 'data.rows'" },
	{ "{}", "data.rows", "error t.json:1:1: no member 'data.rows'" },
	{ "{\"data\":{\"rows\":{\"a\":1}}}", "data.rows",
	    "error t.json:1:17: 'data.rows' is not an array" },
	{ "{\"data\":[1]}", "data.rows",
	    "error t.json:1:9: 'data' is not an object" },
	{ "[{\"a\":1}]", "data.rows",
	    "error t.json:1:1: expected an object with member 'data.rows'" },
	{ "{\"data\":{\"rows\":[]}} x", "data.rows",
	    "error t.json:1:22: "
	    "invalid JSON: unexpected text after the object" },
	{ "{\"rows\":[] x}", "rows",
	    "error t.json:1:12: invalid JSON: expected ',' or '}'" },
	{ "{\"rows\":[],}", "rows",
	    "error t.json:1:12: invalid JSON: trailing comma" },
	{ "{\"rows\":[{\"a\":1}", "rows",
	    "1 {\"a\":1}\nerror t.json:1:17: unexpected end of input" },
	{ "{\"d\\x\":1}", "rows",
	    "error t.json:1:5: invalid JSON: invalid escape" },
	{ "{\"x\" 1}", "rows",
	    "error t.json:1:6: invalid JSON: expected ':' after key" },
	{ "{\"x\":[1,2", "rows", "error t.json:1:10: unexpected end of input" },
	{ "{\"x\":\"a\nb\"}", "rows",
	    "error t.json:1:8: invalid JSON: newline in string" },
	{ "{\"x\":@}", "rows",
	    "error t.json:1:6: invalid JSON: expected a value" },
	{ "{\"data\":{\"rows\":[2]}}", "data.rows",
	    "error t.json:1:18: array element is not an object" },
	{ "{}", "a..b", "open error t.json: empty key in path 'a..b'" },
	/* errors */
	{ "42", NULL,
	    "error t.json:1:1: expected an object or an array of objects" },
	{ "\n  \"s\"", NULL,
	    "error t.json:2:3: expected an object or an array of objects" },
	{ "[{\"a\":1}, 2]", NULL,
	    "1 {\"a\":1}\nerror t.json:1:11: array element is not an object" },
	{ "[[]]", NULL, "error t.json:1:2: array element is not an object" },
	{ "[{\"a\":1},]", NULL,
	    "1 {\"a\":1}\nerror t.json:1:10: invalid JSON: trailing comma" },
	{ "[{\"a\":1} {\"a\":2}]", NULL,
	    "1 {\"a\":1}\n"
	    "error t.json:1:10: invalid JSON: expected ',' or ']'" },
	{ "{\"a\":1}\n{\"a\":", NULL,
	    "1 {\"a\":1}\nerror t.json:2:6: unexpected end of input" },
	{ "[{\"a\":1},", NULL,
	    "1 {\"a\":1}\nerror t.json:1:10: unexpected end of input" },
	{ "[{\"a\":1}", NULL,
	    "1 {\"a\":1}\nerror t.json:1:9: unexpected end of input" },
	{ "[", NULL, "error t.json:1:2: unexpected end of input" },
	{ "[{\"a\":1}] {}", NULL,
	    "1 {\"a\":1}\nerror t.json:1:11: "
	    "invalid JSON: unexpected text after the array" },
	{ "{\"a\":1}\n[1]", NULL,
	    "1 {\"a\":1}\nerror t.json:2:1: expected an object" },
	{ "{\"a\":1}\n  {\"a\" 1}\n", NULL,
	    "1 {\"a\":1}\n"
	    "error t.json:2:8: invalid JSON: expected ':' after key" },
	{ "{\"a\":1}\n{\n \"b\": 1,\n \"c\" 2\n}", NULL,
	    "1 {\"a\":1}\n"
	    "error t.json:4:6: invalid JSON: expected ':' after key" },
	{ "{\"a\":\"x\n{\"b\":1}\n", NULL,
	    "error t.json:1:8: invalid JSON: newline in string" },
	{ "{\"a\":\"x\ty\"}\n", NULL,
	    "error t.json:1:8: invalid JSON: control character in string" },
	{ "{\"a\":1\n{\"b\":2}\n", NULL,
	    "error t.json:2:1: invalid JSON: expected ',' or '}'" },
	{ "{\"a\":\"xyz", NULL,
	    "error t.json:1:6: invalid JSON: unterminated string" },
	{ "{\"a\":1]\n{\"b\":2}", NULL,
	    "error t.json:1:7: invalid JSON: expected ',' or '}'" },
	{ "{\"a\":1}\n{\"b\":01}", NULL,
	    "1 {\"a\":1}\n"
	    "error t.json:2:7: invalid JSON: leading zero in number" },
};

static void
test_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(read_rows(cases[i].in, strlen(cases[i].in),
		    cases[i].path, KPI_ENC_AUTO, 0), cases[i].want,
		    cases[i].in);
}

static void
test_encodings(void)
{
	static const char le[] = "\xFF\xFE{\0\"\0a\0\"\0:\0\"\0\xE9\0"
	    "\xAC\x20\"\0}\0\n\0";
	static const char be[] = "\xFE\xFF\0{\0\"\0a\0\"\0:\0\"\0\xE9\0\"\0}";

	CHECK_STR(read_rows("{\"a\":\"caf\xE9\"}", 12, NULL, KPI_ENC_AUTO, 0),
	    "1 {\"a\":\"caf\xC3\xA9\"}\nend", "auto: Windows-1252 string");
	CHECK_STR(read_rows("{\"a\":\"\xC3\xA9\",\"b\":\"\x80\"}", 18, NULL,
	    KPI_ENC_AUTO, 0),
	    "1 {\"a\":\"\xC3\xA9\",\"b\":\"\xE2\x82\xAC\"}\nend",
	    "auto: string by string");
	CHECK_STR(read_rows("\xEF\xBB\xBF{\"a\":1}\n{\"b\" 2}", 18, NULL,
	    KPI_ENC_AUTO, 0), "1 {\"a\":1}\n"
	    "error t.json:2:6: invalid JSON: expected ':' after key",
	    "UTF-8 BOM");
	CHECK_STR(read_rows("{\"a\":\"caf\xE9\"}", 12, NULL, KPI_ENC_UTF8, 0),
	    "warning t.json:1: invalid UTF-8 replaced\n"
	    "1 {\"a\":\"caf" FFFD "\"}\nend", "utf-8: replaced");
	CHECK_STR(read_rows("{\"a\":\"\xC3\xA9\"}", 10, NULL, KPI_ENC_CP1252,
	    0),
	    "1 {\"a\":\"\xC3\x83\xC2\xA9\"}\nend", "windows-1252 chosen");
	CHECK_STR(read_rows("{\"a\":\"\x80\"}", 9, NULL, KPI_ENC_LATIN1, 0),
	    "1 {\"a\":\"\xC2\x80\"}\nend", "latin-1 chosen");
	CHECK_STR(read_rows(le, sizeof(le) - 1, NULL, KPI_ENC_AUTO, 0),
	    "1 {\"a\":\"\xC3\xA9\xE2\x82\xAC\"}\nend", "UTF-16LE");
	CHECK_STR(read_rows(be, sizeof(be) - 1, NULL, KPI_ENC_AUTO, 0),
	    "1 {\"a\":\"\xC3\xA9\"}\nend", "UTF-16BE");
	CHECK(strstr(read_rows("{\"a\":1}\n{\"b\":\0}", 15, NULL, KPI_ENC_AUTO,
	    0), "t.json:2: not a text file") != NULL, "NUL: %s", got.p);
}

static void
test_max_field(void)
{
	const char *rec = "{\"a\":\"0123456789012345678901234567890\"}";

	CHECK_STR(read_rows(rec, strlen(rec), NULL, KPI_ENC_AUTO, 20),
	    "error t.json:1: field longer than 20 bytes", "max-field");
	CHECK_STR(read_rows(rec, strlen(rec), NULL, KPI_ENC_AUTO, strlen(rec)),
	    "1 {\"a\":\"0123456789012345678901234567890\"}\nend",
	    "max-field, just");
}

/* A 300 KB string, mostly ASCII: far bigger than the reader's first buffer. */
static void
make_big(struct kpi_buf *big)
{
	size_t i;

	kpi_buf_init(big);
	for (i = 0; i < 300000; i++)
		kpi_buf_addc(big, "abcdefghij\xC3\xA9"[i % 12]);
}

/*
 * Enough rows, of varied widths, to cross many buffer refills, with one
 * record far bigger than the first buffer; every row and line must come.
 */
static void
test_big_array(void)
{
	static const char xs[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	struct kpi_buf in, want, big;
	size_t i, line = 1;

	kpi_buf_init(&in);
	kpi_buf_init(&want);
	make_big(&big);
	kpi_buf_adds(&in, "[\n");
	for (i = 0; i < 20000; i++) {
		if (i == 7777) {
			kpi_buf_addf(&in, "{\"big\":\"%s\"},\n", big.p);
			kpi_buf_addf(&want, "%zu {\"big\":\"%s\"}\n", ++line,
			    big.p);
		}
		kpi_buf_addf(&in, "{\"i\":%zu,\n \"s\":\"%.*s\\n\"}%s\n", i,
		    (int)(i % 97), xs, i + 1 < 20000 ? "," : "");
		kpi_buf_addf(&want, "%zu {\"i\":%zu,\"s\":\"%.*s\\n\"}\n",
		    ++line, i, (int)(i % 97), xs);
		line++;
	}
	kpi_buf_adds(&in, "]\n");
	kpi_buf_adds(&want, "end");
	read_rows(in.p, in.len, NULL, KPI_ENC_AUTO, 0);
	CHECK(strcmp(got.p, want.p) == 0, "big array: %zu bytes, want %zu",
	    got.len, want.len);
	kpi_buf_release(&in);
	kpi_buf_release(&want);
	kpi_buf_release(&big);
}

/* NDJSON with a line far longer than the first buffer. */
static void
test_long_line(void)
{
	struct kpi_buf in, want, big;

	kpi_buf_init(&in);
	kpi_buf_init(&want);
	make_big(&big);
	kpi_buf_addf(&in, "{\"a\":1}\n{\"big\":\"%s\"}\n{\"a\":2}", big.p);
	kpi_buf_addf(&want, "1 {\"a\":1}\n2 {\"big\":\"%s\"}\n3 {\"a\":2}\nend",
	    big.p);
	read_rows(in.p, in.len, NULL, KPI_ENC_AUTO, 0);
	CHECK(strcmp(got.p, want.p) == 0, "long NDJSON line");
	read_rows(in.p, in.len, NULL, KPI_ENC_AUTO, 100000);
	CHECK_STR(got.p, "1 {\"a\":1}\n"
	    "error t.json:2: field longer than 100000 bytes",
	    "too long line");
	kpi_buf_release(&in);
	kpi_buf_release(&want);
	kpi_buf_release(&big);
}

/* Members skipped on the way to --path, far bigger than max_field. */
static void
test_skip_to_path(void)
{
	struct kpi_buf in, big;
	size_t i;

	kpi_buf_init(&in);
	make_big(&big);
	kpi_buf_adds(&in, "{\"junk\":[");
	for (i = 0; i < 50000; i++)
		kpi_buf_addf(&in, "%s{\"x\":\"]}\\\"%zu\"}", i ? "," : "", i);
	kpi_buf_addf(&in, "],\"s\":\"%s\",\n\"rows\":[{\"a\":1}],"
	    "\"more\":[\"%s\"]}", big.p, big.p);
	CHECK_STR(read_rows(in.p, in.len, "rows", KPI_ENC_AUTO, 1000),
	    "2 {\"a\":1}\nend", "skipping to --path");
	kpi_buf_release(&in);
	kpi_buf_release(&big);
}

/*
 * Strings that are mostly escapes, so that buffer refills fall between a
 * backslash and the byte it escapes; as NDJSON (whole lines) and as an
 * array (the scanner), every row must come out the same.
 */
static void
test_escapes_at_boundaries(void)
{
	struct kpi_buf arr, nd, want_nd, want_arr, esc;
	size_t i, k;

	kpi_buf_init(&arr);
	kpi_buf_init(&nd);
	kpi_buf_init(&want_nd);
	kpi_buf_init(&want_arr);
	kpi_buf_init(&esc);
	kpi_buf_addc(&arr, '[');
	for (i = 0; i < 6000; i++) {
		/* JSON \\ and \" are already canonical: they come out as is. */
		kpi_buf_reset(&esc);
		for (k = 0; k < i % 53; k++)
			kpi_buf_adds(&esc, k % 3 ? "\\\\" : "\\\"{");
		kpi_buf_addf(&arr, "%s{\"e\":\"%s\\u00e9\\/\"}", i ? "," : "",
		    esc.p);
		kpi_buf_addf(&nd, "{\"e\":\"%s\\u00e9\\/\"}\n", esc.p);
		kpi_buf_addf(&want_nd, "%zu {\"e\":\"%s\xC3\xA9/\"}\n", i + 1,
		    esc.p);
		kpi_buf_addf(&want_arr, "1 {\"e\":\"%s\xC3\xA9/\"}\n", esc.p);
	}
	kpi_buf_addc(&arr, ']');
	kpi_buf_adds(&want_nd, "end");
	kpi_buf_adds(&want_arr, "end");
	read_rows(nd.p, nd.len, NULL, KPI_ENC_AUTO, 0);
	CHECK(strcmp(got.p, want_nd.p) == 0, "escapes, NDJSON");
	read_rows(arr.p, arr.len, NULL, KPI_ENC_AUTO, 0);
	CHECK(strcmp(got.p, want_arr.p) == 0, "escapes, array");
	kpi_buf_release(&arr);
	kpi_buf_release(&nd);
	kpi_buf_release(&want_nd);
	kpi_buf_release(&want_arr);
	kpi_buf_release(&esc);
}

int
main(void)
{
	kpi_buf_init(&got);
	test_cases();
	test_encodings();
	test_max_field();
	test_big_array();
	test_long_line();
	test_skip_to_path();
	test_escapes_at_boundaries();
	kpi_buf_release(&got);
	return unit_done();
}
