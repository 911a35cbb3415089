/*
 * json_test.c - the record codec: parse one object, write it back; number
 * formatting; and a differential check against jansson.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kpi.h"
#include "unit.h"

#define FFFD "\xEF\xBF\xBD"
#define DIG(c) ((c) >= '0' && (c) <= '9')
#define IS_DIGIT3(p) (DIG((p)[0]) && DIG((p)[1]) && DIG((p)[2]))

/*
 * Parses in and renders the outcome: the record written back compactly,
 * or "L:C: message".  Returns a static buffer.
 */
static const char *
roundtrip(const char *in, size_t n, int fallback)
{
	static char out[8192];
	struct kpi_rec r;
	struct kpi_buf b;
	struct kpi_err err;

	kpi_rec_init(&r);
	kpi_buf_init(&b);
	kpi_err_clear(&err);
	if (kpi_json_parse_object(&r, in, n, fallback, &err) == 0) {
		kpi_json_put_rec(&b, &r);
		snprintf(out, sizeof(out), "%s", b.p);
	} else
		snprintf(out, sizeof(out), "%lu:%lu: %s", err.line, err.col,
		    err.msg);
	CHECK(err.file[0] == '\0', "parser set err->file for '%s'", in);
	kpi_buf_release(&b);
	kpi_rec_release(&r);
	return out;
}

static const struct {
	const char *in;
	int fallback;
	const char *want;
} cases[] = {
	/* shapes and whitespace */
	{ "{}", 0, "{}" },
	{ " \t\r\n{ } \n", 0, "{}" },
	{ " { \"a\" : 1 ,\n \"b\" :\t\"x\" } ", 0, "{\"a\":1,\"b\":\"x\"}" },
	{ "{\"a\":true,\"b\":false,\"c\":null}", 0,
	    "{\"a\":true,\"b\":false,\"c\":null}" },
	{ "{\"\":\"\"}", 0, "{\"\":\"\"}" },
	/* every escape */
	{ "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", 0,
	    "{\"a\":\"\\\"\\\\/\\b\\f\\n\\r\\t\"}" },
	{ "{\"a\":\"\\u0041\\u00e9\\u20AC\\u20ac\"}", 0,
	    "{\"a\":\"A\xC3\xA9\xE2\x82\xAC\xE2\x82\xAC\"}" },
	{ "{\"a\":\"\\u0000\\u0001\\u001F\\u001f\\u007f\"}", 0,
	    "{\"a\":\"\\u0000\\u0001\\u001f\\u001f\x7f\"}" },
	{ "{\"a\":\"\\u0008\\u000C\\u000a\\u000D\\u0009\"}", 0,
	    "{\"a\":\"\\b\\f\\n\\r\\t\"}" },
	{ "{\"\\u006b\\n\":1}", 0, "{\"k\\n\":1}" },
	{ "{\"a\":\"x/y\xC3\xA9\"}", 0, "{\"a\":\"x/y\xC3\xA9\"}" },
	/* surrogate pairs, and lone surrogates as U+FFFD */
	{ "{\"a\":\"\\ud83d\\ude00\"}", 0, "{\"a\":\"\xF0\x9F\x98\x80\"}" },
	{ "{\"a\":\"\\uD83D\\uDE00!\"}", 0, "{\"a\":\"\xF0\x9F\x98\x80!\"}" },
	{ "{\"a\":\"\\udbff\\udfff\"}", 0, "{\"a\":\"\xF4\x8F\xBF\xBF\"}" },
	{ "{\"a\":\"\\ud83dx\"}", 0, "{\"a\":\"" FFFD "x\"}" },
	{ "{\"a\":\"\\ud83d\"}", 0, "{\"a\":\"" FFFD "\"}" },
	{ "{\"a\":\"\\ude00\"}", 0, "{\"a\":\"" FFFD "\"}" },
	{ "{\"a\":\"\\ud83d\\ud83d\\ude00\"}", 0,
	    "{\"a\":\"" FFFD "\xF0\x9F\x98\x80\"}" },
	{ "{\"a\":\"\\ud83d\\u0041\"}", 0, "{\"a\":\"" FFFD "A\"}" },
	{ "{\"a\":\"\\ud83d\\n\"}", 0, "{\"a\":\"" FFFD "\\n\"}" },
	/* invalid UTF-8: Windows-1252 with the fallback, else an error */
	{ "{\"a\":\"caf\xE9\"}", 1, "{\"a\":\"caf\xC3\xA9\"}" },
	{ "{\"a\":\"\x80 5\"}", 1, "{\"a\":\"\xE2\x82\xAC 5\"}" },
	{ "{\"a\":\"\xC3\xA9\xE9\"}", 1,
	    "{\"a\":\"\xC3\x83\xC2\xA9\xC3\xA9\"}" },
	{ "{\"a\":\"\xE9\\n\\u00e9\"}", 1, "{\"a\":\"\xC3\xA9\\n\xC3\xA9\"}" },
	{ "{\"\xE9t\xE9\":1}", 1, "{\"\xC3\xA9t\xC3\xA9\":1}" },
	{ "{\"a\":\"ok\xC3\xA9\"}", 1, "{\"a\":\"ok\xC3\xA9\"}" },
	{ "{\"a\":\"caf\xE9\"}", 0, "1:10: invalid UTF-8 in string" },
	{ "{\"a\":\"\xED\xA0\x80\"}", 0, "1:7: invalid UTF-8 in string" },
	{ "{\"a\":\"\xC0\xAF\"}", 0, "1:7: invalid UTF-8 in string" },
	{ "{\"k\xFF\":1}", 0, "1:4: invalid UTF-8 in string" },
	/* nested values: compact, strings canonical, numbers verbatim */
	{ "{\"a\": [1, 2.50, {\"b\" : \"c\"}], \"d\": {\"e\": [ ]}, "
	    "\"f\":{ }}", 0,
	    "{\"a\":[1,2.50,{\"b\":\"c\"}],\"d\":{\"e\":[]},\"f\":{}}" },
	{ "{\"a\":[\"\\u0041\\/\", \"x\\ty\", \"\\ud83d\\ude00\"]}", 0,
	    "{\"a\":[\"A/\",\"x\\ty\",\"\xF0\x9F\x98\x80\"]}" },
	{ "{\"a\":{\"\\u0062\":[true,false,null,-0,1e5]}}", 0,
	    "{\"a\":{\"b\":[true,false,null,-0,1e5]}}" },
	{ "{\"a\":[\"\x80\"]}", 1, "{\"a\":[\"\xE2\x82\xAC\"]}" },
	{ "{\"a\":[\"\x80\"]}", 0, "1:8: invalid UTF-8 in string" },
	{ "{\"a\":[[[[[]]]]]}", 0, "{\"a\":[[[[[]]]]]}" },
	{ "{\"a\":{\"x\":1,\"x\":2}}", 0, "{\"a\":{\"x\":1,\"x\":2}}" },
	{ "{\"a\":[\"\\u0001\"]}", 0, "{\"a\":[\"\\u0001\"]}" },
	/* numbers keep their text */
	{ "{\"a\":1.50,\"b\":-0,\"c\":1e21,\"d\":12345678901234567890}", 0,
	    "{\"a\":1.50,\"b\":-0,\"c\":1e21,\"d\":12345678901234567890}" },
	{ "{\"a\":1E+2,\"b\":-0.0e-0,\"c\":0,\"d\":0.000001,\"e\":1e400}", 0,
	    "{\"a\":1E+2,\"b\":-0.0e-0,\"c\":0,\"d\":0.000001,\"e\":1e400}" },
	/* duplicate keys: the last value at the first place */
	{ "{\"a\":1,\"b\":2,\"a\":3}", 0, "{\"a\":3,\"b\":2}" },
	{ "{\"a\":1,\"a\":{\"x\":[1]},\"b\":0,\"a\":\"s\"}", 0,
	    "{\"a\":\"s\",\"b\":0}" },
	{ "{\"\\u0061\":1,\"a\":2}", 0, "{\"a\":2}" },
	/* errors, at the offending byte */
	{ "", 0, "1:1: expected an object" },
	{ "   \n ", 0, "2:2: expected an object" },
	{ "[1]", 0, "1:1: expected an object" },
	{ "\"x\"", 0, "1:1: expected an object" },
	{ "{\"a\":1,}", 0, "1:8: invalid JSON: trailing comma" },
	{ "{\"a\" 1}", 0, "1:6: invalid JSON: expected ':' after key" },
	{ "{\"a\":01}", 0, "1:7: invalid JSON: leading zero in number" },
	{ "{\"a\":-01}", 0, "1:8: invalid JSON: leading zero in number" },
	{ "{\"a\":1.}", 0, "1:8: invalid JSON: invalid number" },
	{ "{\"a\":.5}", 0, "1:6: invalid JSON: expected a value" },
	{ "{\"a\":+1}", 0, "1:6: invalid JSON: expected a value" },
	{ "{\"a\":-}", 0, "1:7: invalid JSON: invalid number" },
	{ "{\"a\":1e}", 0, "1:8: invalid JSON: invalid number" },
	{ "{\"a\":1e+}", 0, "1:9: invalid JSON: invalid number" },
	{ "{\"a\":1.5.2}", 0, "1:9: invalid JSON: expected ',' or '}'" },
	{ "{\"a\":NaN}", 0, "1:6: invalid JSON: expected a value" },
	{ "{\"a\":nan}", 0, "1:6: invalid JSON: invalid literal" },
	{ "{\"a\":Infinity}", 0, "1:6: invalid JSON: expected a value" },
	{ "{\"a\":truex}", 0, "1:10: invalid JSON: expected ',' or '}'" },
	{ "{\"a\":\"x", 0, "1:6: invalid JSON: unterminated string" },
	{ "{\"a\":\"x\\", 0, "1:6: invalid JSON: unterminated string" },
	{ "{\"a", 0, "1:2: invalid JSON: unterminated string" },
	{ "{\"a\":1", 0, "1:7: unexpected end of input" },
	{ "{\"a\":", 0, "1:6: unexpected end of input" },
	{ "{\"a\":tr", 0, "1:8: unexpected end of input" },
	{ "{\"a\":[1,", 0, "1:9: unexpected end of input" },
	{ "{", 0, "1:2: unexpected end of input" },
	{ "{\"a\":\"b\x01\"}", 0,
	    "1:8: invalid JSON: control character in string" },
	{ "{\"a\":\"b\tc\"}", 0,
	    "1:8: invalid JSON: control character in string" },
	{ "{\"a\":\"b\nc\"}", 0, "1:8: invalid JSON: newline in string" },
	{ "{\"a\":\"\\x\"}", 0, "1:8: invalid JSON: invalid escape" },
	{ "{\"a\":\"\\'\"}", 0, "1:8: invalid JSON: invalid escape" },
	{ "{\"a\":\"\\u12g4\"}", 0, "1:11: invalid JSON: invalid \\u escape" },
	{ "{\"a\":\"\\u12\"}", 0, "1:11: invalid JSON: invalid \\u escape" },
	{ "{\"a\":\"\\ud83d\\u12\"}", 0,
	    "1:17: invalid JSON: invalid \\u escape" },
	{ "{\n  \"a\": 1,\n  \"b\" 2\n}", 0,
	    "3:7: invalid JSON: expected ':' after key" },
	{ "{\r\n\"a\":\r\n\"x\ny\"}", 0,
	    "3:3: invalid JSON: newline in string" },
	{ "{} x", 0, "1:4: invalid JSON: unexpected text after the object" },
	{ "{}{}", 0, "1:3: invalid JSON: unexpected text after the object" },
	{ "{\"a\":1}}", 0,
	    "1:8: invalid JSON: unexpected text after the object" },
	{ "{/*c*/}", 0, "1:2: invalid JSON: expected key" },
	{ "{'a':1}", 0, "1:2: invalid JSON: expected key" },
	{ "{a:1}", 0, "1:2: invalid JSON: expected key" },
	{ "{\"a\":1 \"b\":2}", 0, "1:8: invalid JSON: expected ',' or '}'" },
	{ "{\"a\":[1,]}", 0, "1:9: invalid JSON: trailing comma" },
	{ "{\"a\":[1 2]}", 0, "1:9: invalid JSON: expected ',' or ']'" },
	{ "{\"a\":{\"b\":1 \"c\":2}}", 0,
	    "1:13: invalid JSON: expected ',' or '}'" },
	{ "{\"a\":{\"b\":1,}}", 0, "1:13: invalid JSON: trailing comma" },
	{ "{\"a\":{1:2}}", 0, "1:7: invalid JSON: expected key" },
	{ "{\"a\":[}", 0, "1:7: invalid JSON: expected a value" },
	{ "{\"a\":{\"b\"}}", 0, "1:10: invalid JSON: expected ':' after key" },
	{ "{\"a\":[\"x\ty\"]}", 0,
	    "1:9: invalid JSON: control character in string" },
	{ "{\"a\":[01]}", 0, "1:8: invalid JSON: leading zero in number" },
	{ "{\"\xC3\xA9\xC3\xA9\" 1}", 0,
	    "1:9: invalid JSON: expected ':' after key" },
};

static void
test_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(roundtrip(cases[i].in, strlen(cases[i].in),
		    cases[i].fallback), cases[i].want, cases[i].in);
}

/* Text that is not NUL-terminated, or has a NUL inside. */
static void
test_lengths(void)
{
	CHECK_STR(roundtrip("{\"a\":1}garbage", 7, 0), "{\"a\":1}", "prefix");
	CHECK_STR(roundtrip("{\"a\":12", 6, 0), "1:7: unexpected end of input",
	    "cut number");
	CHECK_STR(roundtrip("{\"a\":\"\0\"}", 9, 0),
	    "1:7: invalid JSON: control character in string", "raw NUL");
	CHECK_STR(roundtrip("{\"a\":1}\0", 8, 0),
	    "1:8: invalid JSON: unexpected text after the object", "NUL after");
}

/* Nesting is refused past a depth, not recursed into without end. */
static void
test_depth(void)
{
	struct kpi_buf b;
	int i;

	kpi_buf_init(&b);
	kpi_buf_adds(&b, "{\"a\":");
	for (i = 0; i < 100000; i++)
		kpi_buf_addc(&b, '[');
	CHECK(strstr(roundtrip(b.p, b.len, 0), "nesting too deep") != NULL,
	    "deep: %s", roundtrip(b.p, b.len, 0));
	kpi_buf_reset(&b);
	kpi_buf_adds(&b, "{\"a\":");
	for (i = 0; i < 500; i++)
		kpi_buf_addc(&b, '[');
	for (i = 0; i < 500; i++)
		kpi_buf_addc(&b, ']');
	kpi_buf_addc(&b, '}');
	CHECK_STR(roundtrip(b.p, b.len, 0), b.p, "500 levels");
	kpi_buf_release(&b);
}

/* Values and types as parsed, beyond their written form. */
static void
test_values(void)
{
	static const char *nums[] = { "0", "-0", "1.50", "1e21", "0.1",
	    "12345678901234567890", "123456789012345678",
	    "1.7976931348623157e308",
	    "4.9406564584124654e-324", "1e400", "-1e-400", "3.14159265358979",
	    "123456789012345", "1234567890123456", "9007199254740993",
	    "0.30000000000000004", "1e22", "1e23", "1e-22", "1e-23",
	    "8.5e-7", "-42", "2.2250738585072011e-308", "0.000001" };
	struct kpi_rec r;
	struct kpi_err err;
	char in[128];
	double want;
	size_t i;

	kpi_rec_init(&r);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		snprintf(in, sizeof(in), "{\"n\":%s}", nums[i]);
		want = strtod(nums[i], NULL);
		CHECK(kpi_json_parse_object(&r, in, strlen(in), 0, &err) == 0 &&
		    r.n == 1 && r.f[0].v.type == KPI_NUM &&
		    memcmp(&r.f[0].v.num, &want, sizeof(want)) == 0 &&
		    r.f[0].v.len == strlen(nums[i]) &&
		    strcmp(r.f[0].v.s, nums[i]) == 0,
		    "number %s: %.17g", nums[i], r.n ? r.f[0].v.num : 0.0);
	}
	snprintf(in, sizeof(in),
	    "{\"s\":\"a\\u0000b\",\"t\":true,\"r\":[ 1 ]}");
	CHECK(kpi_json_parse_object(&r, in, strlen(in), 0, &err) == 0 &&
	    r.n == 3 && r.f[0].v.type == KPI_STR && r.f[0].v.len == 3 &&
	    memcmp(r.f[0].v.s, "a\0b", 4) == 0 && r.f[1].v.type == KPI_TRUE &&
	    r.f[2].v.type == KPI_RAW && strcmp(r.f[2].v.s, "[1]") == 0 &&
	    r.f[2].v.len == 3 && strcmp(r.f[0].key, "s") == 0,
	    "types and NUL-terminated text");
	/* A failed parse leaves no half record behind. */
	CHECK(kpi_json_parse_object(&r, "{\"a\":1,", 7, 0, &err) < 0 &&
	    r.n == 0, "empty after an error");
	kpi_rec_release(&r);
}

/* Wide records: duplicate keys found through the hash index. */
static void
test_wide(void)
{
	struct kpi_buf in, want;
	int i;

	kpi_buf_init(&in);
	kpi_buf_init(&want);
	kpi_buf_addc(&in, '{');
	for (i = 0; i < 300; i++)
		kpi_buf_addf(&in, "\"k%d\":%d,", i, i);
	kpi_buf_adds(&in, "\"k5\":-5,\"k299\":\"x\",\"k0\":null,\"new\":1}");
	kpi_buf_addc(&want, '{');
	for (i = 0; i < 300; i++)
		if (i == 0)
			kpi_buf_adds(&want, "\"k0\":null,");
		else if (i == 5)
			kpi_buf_adds(&want, "\"k5\":-5,");
		else if (i == 299)
			kpi_buf_adds(&want, "\"k299\":\"x\",");
		else
			kpi_buf_addf(&want, "\"k%d\":%d,", i, i);
	kpi_buf_adds(&want, "\"new\":1}");
	CHECK_STR(roundtrip(in.p, in.len, 0), want.p, "300 fields");
	kpi_buf_release(&in);
	kpi_buf_release(&want);
}

static const struct {
	double v;
	const char *want;
} num_cases[] = {
	{ 0.1, "0.1" },
	{ 1 / 3.0, "0.3333333333333333" },
	{ 2 / 3.0, "0.6666666666666666" },
	{ 1e21, "1e+21" },
	{ 1e-7, "1e-07" },
	{ -0.0, "0" },
	{ 0.0, "0" },
	{ 9007199254740992.0, "9007199254740992" },	/* 2^53 */
	{ 9007199254740994.0, "9007199254740994" },	/* 2^53 + 2 */
	{ 9007199254740991.0, "9007199254740991" },	/* 2^53 - 1 */
	{ -9007199254740991.0, "-9007199254740991" },
	{ 123456789.125, "123456789.125" },
	{ 100, "100" },
	{ -42, "-42" },
	{ 1e15, "1000000000000000" },
	{ -1.5, "-1.5" },
	{ 0.1 + 0.2, "0.30000000000000004" },
	{ 1234.5, "1234.5" },
	{ 1.7976931348623157e308, "1.7976931348623157e+308" },
	{ 5e-324, "4.94065645841247e-324" },
};

static void
test_put_num(void)
{
	struct kpi_buf b;
	double v;
	size_t i;
	uint64_t x = 88172645463325252ULL;

	kpi_buf_init(&b);
	for (i = 0; i < sizeof(num_cases) / sizeof(num_cases[0]); i++) {
		kpi_buf_reset(&b);
		kpi_json_put_num(&b, num_cases[i].v);
		CHECK_STR(b.p, num_cases[i].want, num_cases[i].want);
	}
	kpi_buf_reset(&b);
	kpi_json_put_num(&b, NAN);
	kpi_json_put_num(&b, INFINITY);
	kpi_json_put_num(&b, -INFINITY);
	CHECK_STR(b.p, "nullnullnull", "NaN and infinities");
	/* Random doubles read back exactly (xorshift64: repeatable). */
	for (i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&v, &x, sizeof(v));
		if (isnan(v) || isinf(v))
			continue;
		kpi_buf_reset(&b);
		kpi_json_put_num(&b, v);
		if (strtod(b.p, NULL) != v) {
			CHECK(0, "%.17g written as %s", v, b.p);
			break;
		}
	}
	kpi_buf_release(&b);
}

static void
test_put_str_val(void)
{
	struct kpi_buf b;
	struct kpi_val v;
	char all[32];
	int i;

	kpi_buf_init(&b);
	for (i = 0; i < 32; i++)
		all[i] = (char)i;
	kpi_json_put_str(&b, all, 32);
	CHECK_STR(b.p, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006"
	    "\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012"
	    "\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b"
	    "\\u001c\\u001d\\u001e\\u001f\"", "controls");
	kpi_buf_reset(&b);
#define CLEAN "a long clean run \"quoted\" / \\ \x7f \xC3\xA9 end"
	kpi_json_put_str(&b, CLEAN, strlen(CLEAN));
	CHECK_STR(b.p, "\"a long clean run \\\"quoted\\\" / \\\\ \x7f "
	    "\xC3\xA9 end\"", "quotes");
	kpi_buf_reset(&b);
	kpi_json_put_str(&b, "", 0);
	CHECK_STR(b.p, "\"\"", "empty string");
	kpi_buf_reset(&b);
	v.type = KPI_NUM, v.s = NULL, v.len = 0, v.num = 2.5;
	kpi_json_put_val(&b, &v);
	v.s = "2.50", v.len = 4;
	kpi_json_put_val(&b, &v);
	v.type = KPI_RAW, v.s = "[1,2]", v.len = 5;
	kpi_json_put_val(&b, &v);
	v.type = KPI_STR, v.s = "q\"", v.len = 2;
	kpi_json_put_val(&b, &v);
	v.type = KPI_NULL;
	kpi_json_put_val(&b, &v);
	v.type = KPI_TRUE;
	kpi_json_put_val(&b, &v);
	v.type = KPI_FALSE;
	kpi_json_put_val(&b, &v);
	v.type = KPI_RAW, v.s = NULL, v.len = 0;
	kpi_json_put_val(&b, &v);
	CHECK_STR(b.p, "2.52.50[1,2]\"q\\\"\"nulltruefalsenull", "put_val");
	kpi_buf_release(&b);
}

/* ---- differential: jansson ---- */

/* Does our field value equal jansson's? */
static int
same_value(const struct kpi_val *v, json_t *jv)
{
	json_t *sub;
	int eq;

	switch (v->type) {
	case KPI_NULL:
		return json_is_null(jv);
	case KPI_TRUE:
		return json_is_true(jv);
	case KPI_FALSE:
		return json_is_false(jv);
	case KPI_NUM:
		return json_is_real(jv) && json_real_value(jv) == v->num;
	case KPI_STR:
		return json_is_string(jv) && json_string_length(jv) == v->len &&
		    memcmp(json_string_value(jv), v->s, v->len) == 0;
	case KPI_RAW:
		sub = json_loadb(v->s, v->len, JSON_DECODE_ANY |
		    JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL);
		eq = sub != NULL && json_equal(sub, jv);
		json_decref(sub);
		return eq;
	}
	return 0;
}

/*
 * Parses s both ways; they must agree on accepting it and, when they do,
 * on every key and value.  A lone surrogate is where we differ on purpose
 * (we read it as U+FFFD): inputs with one are skipped.
 */
static int
agree(const char *s, size_t n, int verbose)
{
	struct kpi_rec r;
	struct kpi_err err;
	json_t *root, *jv;
	int ours, ok = 1;
	size_t i;

	root = json_loadb(s, n, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL);
	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		root = NULL;
	}
	kpi_rec_init(&r);
	ours = kpi_json_parse_object(&r, s, n, 0, &err) == 0;
	if (ours != (root != NULL))
		ok = 0;
	else if (ours) {
		ok = json_object_size(root) == r.n;
		for (i = 0; ok && i < r.n; i++) {
			jv = json_object_getn(root, r.f[i].key, r.f[i].klen);
			ok = jv != NULL && same_value(&r.f[i].v, jv);
		}
	}
	if (!ok && verbose)
		fprintf(stderr, "disagree (ours %s, jansson %s): %.*s\n",
		    ours ? "ok" : err.msg, root ? "ok" : "error", (int)n, s);
	json_decref(root);
	kpi_rec_release(&r);
	return ok;
}

static const char *diff_inputs[] = {
	"{}", "{\"a\":1}",
	"{\"a\":-0.5e-3,\"b\":[1,{\"c\":null}],\"d\":\"\\u00e9\"}",
	"{\"a\":\"\\ud83d\\ude00\",\"b\":\"\\\\\\\"\"}", "{\"a\":1,\"a\":2}",
	"{\"a\":{\"b\":{\"c\":[[],{}]}}}", "{\"k\":\"v\\u0000\"}",
	"{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.1}", "{\"a\":tru}",
	"{\"a\":\"\\x\"}", "{\"a\":[1,]}", "[]", "1", "\"s\"", "{\"a\" 1}",
	"{\"a\":\"\x01\"}", "{\"a\":\"\xC3\"}", "{\"a\":\"\xED\xA0\x80\"}",
	"{\"a\":1}x", " {\"a\" : [ 1 , 2 ] } ", "{\"a\":1e5,\"b\":1E-5}",
	"{\"a\":-}", "{\"a\":\"\\u00G0\"}", "{\"\":{\"\":[\"\"]}}",
	"{\"a\":\"\xF0\x9F\x98\x80\xE2\x82\xAC\"}", "{\"a\":[true,false,null]}",
	"{\"a\":1 \"b\":2}", "{\"a\":{\"b\":1,\"b\":2}}",
};

/* A random object, from a fixed seed: keys, strings, numbers, nesting. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void
gen_string(struct kpi_buf *b)
{
	static const char *parts[] = { "a", "Z", " ", "\\n", "\\\"", "\\\\",
	    "\\/", "\\t", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\xC3\xA9",
	    "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "x1", "\\u0001", "\\b" };
	unsigned i, n = rnd(6);

	kpi_buf_addc(b, '"');
	for (i = 0; i < n; i++)
		kpi_buf_adds(b, parts[rnd(sizeof(parts) / sizeof(parts[0]))]);
	kpi_buf_addc(b, '"');
}

static void
gen_value(struct kpi_buf *b, int depth)
{
	static const char *nums[] = { "0", "-0", "1", "-12", "3.25", "1e5",
	    "2E-3", "0.1", "123456789", "-0.000001", "6.02e23", "1.5e-7" };
	static const char *ws[] = { "", "", "", " ", "\n", "\t", "\r\n" };
	unsigned i, n, k = rnd(depth > 2 ? 5 : 7);

	kpi_buf_adds(b, ws[rnd(7)]);
	if (k == 0)
		gen_string(b);
	else if (k == 1)
		kpi_buf_adds(b, nums[rnd(sizeof(nums) / sizeof(nums[0]))]);
	else if (k == 2)
		kpi_buf_adds(b, rnd(2) ? "true" : "false");
	else if (k == 3)
		kpi_buf_adds(b, "null");
	else if (k == 4)
		gen_string(b);
	else {
		kpi_buf_addc(b, k == 5 ? '[' : '{');
		for (i = 0, n = rnd(4); i < n; i++) {
			if (i > 0)
				kpi_buf_addc(b, ',');
			if (k == 6) {
				gen_string(b);
				kpi_buf_adds(b, ws[rnd(7)]);
				kpi_buf_addc(b, ':');
			}
			gen_value(b, depth + 1);
		}
		kpi_buf_adds(b, ws[rnd(7)]);
		kpi_buf_addc(b, k == 5 ? ']' : '}');
	}
	kpi_buf_adds(b, ws[rnd(7)]);
}

/*
 * Where we differ from jansson on purpose: a \u escape naming a surrogate
 * (we read a lone one as U+FFFD, jansson refuses it), \u0000 (jansson
 * refuses it in keys), a number too big for a double (we keep its text,
 * jansson refuses it).  Mutated inputs with any of them are not compared.
 */
static int
differs_on_purpose(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i + 3 < n; i++) {
		if (s[i] == 'e' || s[i] == 'E') {
			k = i + 1 + (s[i + 1] == '-' || s[i + 1] == '+');
			if (k + 2 < n && IS_DIGIT3(s + k))
				return 1;
		}
		if (s[i] == '\\' && s[i + 1] == 'u' &&
		    (((s[i + 2] == 'd' || s[i + 2] == 'D') &&
		    strchr("89abcdefABCDEF", s[i + 3]) != NULL &&
		    s[i + 3] != '\0') || (i + 5 < n &&
		    memcmp(s + i + 2, "0000", 4) == 0)))
			return 1;
	}
	return 0;
}

/* The bytes a mutation puts in: JSON's own, and some it refuses. */
#define MUTANTS "{}[]\":,\\u0aeE.-+ \x01\x80\xC3\xE9tfn"

static void
test_differential(void)
{
	struct kpi_buf b, m;
	size_t i, bad = 0, tried = 0;
	unsigned k, pos;

	for (i = 0; i < sizeof(diff_inputs) / sizeof(diff_inputs[0]); i++)
		CHECK(agree(diff_inputs[i], strlen(diff_inputs[i]), 1),
		    "jansson disagrees on '%s'", diff_inputs[i]);
	kpi_buf_init(&b);
	kpi_buf_init(&m);
	for (i = 0; i < 3000; i++) {
		kpi_buf_reset(&b);
		kpi_buf_addc(&b, '{');
		for (k = 0; k < 1 + rnd(6); k++) {
			if (k > 0)
				kpi_buf_addc(&b, ',');
			gen_string(&b);
			kpi_buf_addc(&b, ':');
			gen_value(&b, 0);
		}
		kpi_buf_addc(&b, '}');
		tried++;
		bad += !agree(b.p, b.len, bad < 5);
		/* One byte changed or dropped: both must still agree. */
		for (k = 0; k < 8; k++) {
			kpi_buf_reset(&m);
			kpi_buf_add(&m, b.p, b.len);
			pos = rnd((unsigned)m.len);
			if (rnd(3) == 0) {
				memmove(m.p + pos, m.p + pos + 1,
				    m.len - pos - 1);
				m.len--;
			} else
				m.p[pos] = MUTANTS[rnd(sizeof(MUTANTS) - 1)];
			if (differs_on_purpose(m.p, m.len))
				continue;
			tried++;
			bad += !agree(m.p, m.len, bad < 5);
		}
	}
	CHECK(bad == 0, "%zu of %zu inputs where jansson disagrees", bad,
	    tried);
	kpi_buf_release(&b);
	kpi_buf_release(&m);
}

/* kpi_json_parse_array: elements as ""-keyed fields, in order. */
#define ARRAY	"[\"a\\u00e9\",2,null,[1,{\"k\":2}],true,\"a\"]"

static void
test_array(void)
{
	static const char *const bad[] = {
		"", "{}", "[", "[1,]", "[,1]", "[1 2]", "[1]x", "[\"a]", "1"
	};
	struct kpi_rec r;
	struct kpi_err err;
	size_t i;

	kpi_rec_init(&r);
	kpi_err_clear(&err);
	CHECK(kpi_json_parse_array(&r, " [ ] ", 5, &err) == 0 && r.n == 0,
	    "empty array: %s", err.msg);
	CHECK(kpi_json_parse_array(&r, ARRAY, strlen(ARRAY), &err) == 0,
	    "array: %s", err.msg);
	CHECK(r.n == 6, "array of 6: %zu fields", r.n);
	if (r.n == 6) {
		CHECK(r.f[0].klen == 0 && r.f[0].v.type == KPI_STR &&
		    r.f[0].v.len == 3 && memcmp(r.f[0].v.s, "a\xc3\xa9", 3) == 0,
		    "a string, decoded");
		CHECK(r.f[1].v.type == KPI_NUM && r.f[1].v.num == 2, "a number");
		CHECK(r.f[2].v.type == KPI_NULL, "null");
		CHECK(r.f[3].v.type == KPI_RAW && r.f[3].v.len == 11 &&
		    memcmp(r.f[3].v.s, "[1,{\"k\":2}]", 11) == 0, "nested");
		CHECK(r.f[4].v.type == KPI_TRUE, "true");
		CHECK(r.f[5].v.type == KPI_STR, "a value twice is kept twice");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		CHECK(kpi_json_parse_array(&r, bad[i], strlen(bad[i]), &err) < 0 &&
		    err.msg[0] != '\0' && r.n == 0, "'%s' is refused", bad[i]);
	}
	kpi_rec_release(&r);
}

int
main(void)
{
	test_cases();
	test_lengths();
	test_depth();
	test_values();
	test_wide();
	test_put_num();
	test_put_str_val();
	test_differential();
	test_array();
	return unit_done();
}
