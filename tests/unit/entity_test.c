/*
 * entity_test.c - the entities behind new, returning, retained, churned and
 * repeat: interning ids, sets of entity numbers with their "two rows or
 * more" bit, merging sets, and the JSON state of --partial, written and
 * read back.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "aggregate/entity.h"
#include "unit.h"

/* The text of id e of t (borrowed). */
static const char *
id(const struct kpi_ents *t, uint32_t e)
{
	uint32_t len;

	return kpi_ents_id(t, e, &len);
}

/* The length of id e of t. */
static uint32_t
len(const struct kpi_ents *t, uint32_t e)
{
	uint32_t n;

	kpi_ents_id(t, e, &n);
	return n;
}

/* s's number in t. */
static uint32_t
intern(struct kpi_ents *t, const char *s)
{
	return kpi_ents_intern(t, s, strlen(s));
}

/* The JSON of s; static, valid until the next call. */
static const char *
put(const struct kpi_eset *s, const struct kpi_ents *t)
{
	static struct kpi_buf b;

	kpi_buf_reset(&b);
	kpi_eset_put(&b, s, t);
	kpi_buf_addc(&b, '\0');
	return b.p;
}

static int
load(struct kpi_eset *s, struct kpi_ents *t, long long period,
    const char *json, struct kpi_err *err)
{
	memset(err, 0, sizeof(*err));
	return kpi_eset_load(s, t, period, json, strlen(json), err);
}

/* What kpi_eset_each reports: per entity number, 0 absent, 1 once, 2 many. */
struct seen {
	unsigned char *mark;
	uint32_t max;
	uint32_t calls;
	uint32_t bad;		/* numbers >= max, or reported twice */
};

static void
see(void *arg, uint32_t e, int many)
{
	struct seen *sn = arg;

	sn->calls++;
	if (e >= sn->max || sn->mark[e] != 0) {
		sn->bad++;
		return;
	}
	sn->mark[e] = many ? 2 : 1;
}

static void
seen_of(struct seen *sn, const struct kpi_eset *s, uint32_t max)
{
	sn->max = max;
	sn->calls = sn->bad = 0;
	sn->mark = calloc(max ? max : 1, 1);
	kpi_eset_each(s, see, sn);
}

static void
test_intern(void)
{
	struct kpi_ents t;
	uint32_t abc, ab, abcd, empty, b, e;

	kpi_ents_init(&t);
	CHECK(t.n == 0, "empty table: n %u", t.n);
	abc = intern(&t, "abc");
	ab = intern(&t, "ab");
	abcd = intern(&t, "abcd");
	empty = kpi_ents_intern(&t, "", 0);
	b = intern(&t, "b");
	CHECK(t.n == 5, "five ids: n %u", t.n);
	CHECK(abc != ab && abc != abcd && ab != abcd && empty != abc &&
	    empty != ab && empty != abcd && b != abc && b != ab &&
	    b != abcd && b != empty, "numbers %u %u %u %u %u", abc, ab, abcd,
	    empty, b);
	CHECK(abc < t.n && ab < t.n && abcd < t.n && empty < t.n && b < t.n,
	    "numbers below n");
	/* The same bytes, the same number; only n bytes count. */
	CHECK(intern(&t, "abc") == abc, "abc again");
	CHECK(kpi_ents_intern(&t, "abcdef", 3) == abc, "abc from abcdef");
	CHECK(kpi_ents_intern(&t, "abcdef", 2) == ab, "ab from abcdef");
	CHECK(kpi_ents_intern(&t, "xyz", 0) == empty, "\"\" from xyz");
	CHECK(intern(&t, "b") == b, "b again");
	CHECK(t.n == 5, "no new id: n %u", t.n);
	/* The text kept, its length, and no first period yet. */
	CHECK_STR(id(&t, abc), "abc", "id of abc");
	CHECK_STR(id(&t, empty), "", "id of \"\"");
	CHECK_STR(id(&t, abcd), "abcd", "id of abcd");
	CHECK(len(&t, abc) == 3 && len(&t, ab) == 2 && len(&t, abcd) == 4 &&
	    len(&t, empty) == 0, "lengths");
	for (e = 0; e < t.n; e++)
		CHECK(kpi_ents_first(&t, e) == LLONG_MAX, "first of %u: %lld", e,
		    kpi_ents_first(&t, e));
	/* A case differs: "A" is not "a". */
	CHECK(intern(&t, "A") != intern(&t, "a"), "A and a");
	kpi_ents_release(&t);
}

/* Many thousands of ids: the table grows, numbers and texts stay. */
static void
test_grow(void)
{
	enum { N = 100000 };
	struct kpi_ents t;
	uint32_t *num, i, bad = 0, badtext = 0, badfirst = 0;
	unsigned char *used;
	char s[32];

	kpi_ents_init(&t);
	num = malloc(N * sizeof(*num));
	for (i = 0; i < N; i++) {
		snprintf(s, sizeof(s), "customer-%u@example.com", i);
		num[i] = intern(&t, s);
	}
	CHECK(t.n == N, "n %u, want %u", t.n, (unsigned)N);
	used = calloc(N, 1);
	for (i = 0; i < N; i++) {
		snprintf(s, sizeof(s), "customer-%u@example.com", i);
		if (num[i] >= N || used[num[i]] || intern(&t, s) != num[i])
			bad++;
		else
			used[num[i]] = 1;
		if (num[i] < t.n && (strcmp(id(&t, num[i]), s) != 0 ||
		    len(&t, num[i]) != strlen(s)))
			badtext++;
		if (num[i] < t.n && kpi_ents_first(&t, num[i]) != LLONG_MAX)
			badfirst++;
	}
	CHECK(bad == 0, "%u numbers wrong, repeated or changed", bad);
	CHECK(badtext == 0, "%u texts wrong", badtext);
	CHECK(badfirst == 0, "%u first periods set", badfirst);
	CHECK(t.n == N, "n after looking up again %u", t.n);
	free(used);
	free(num);
	kpi_ents_release(&t);
}

static void
test_eset(void)
{
	struct kpi_eset s, o, empty;
	struct seen sn;

	kpi_eset_init(&s);
	kpi_eset_init(&empty);
	CHECK(s.len == 0, "empty: len %u", s.len);
	CHECK(!kpi_eset_has(&s, 0) && !kpi_eset_has(&s, 5), "empty has");
	seen_of(&sn, &s, 8);
	CHECK(sn.calls == 0, "each over an empty set: %u calls", sn.calls);
	free(sn.mark);

	/* 0 is an entity like any other. */
	kpi_eset_add(&s, 0);
	kpi_eset_add(&s, 5);
	kpi_eset_add(&s, 5);
	kpi_eset_add(&s, 7);
	kpi_eset_add(&s, 7);
	kpi_eset_add(&s, 7);
	kpi_eset_settle(&s);
	CHECK(s.len == 3, "len %u, want 3", s.len);
	CHECK(kpi_eset_has(&s, 0) && kpi_eset_has(&s, 5) &&
	    kpi_eset_has(&s, 7), "has 0 5 7");
	CHECK(!kpi_eset_has(&s, 1) && !kpi_eset_has(&s, 6), "not 1 6");
	seen_of(&sn, &s, 8);
	CHECK(sn.calls == 3 && sn.bad == 0, "each: %u calls, %u bad",
	    sn.calls, sn.bad);
	CHECK(sn.mark[0] == 1, "0 once: %d", sn.mark[0]);
	CHECK(sn.mark[5] == 2, "5 twice, many: %d", sn.mark[5]);
	CHECK(sn.mark[7] == 2, "7 three times, many: %d", sn.mark[7]);
	free(sn.mark);

	/*
	 * s: 0 once, 5 many, 7 many.  o: 1 once, 0 once, 5 once, 6 many.
	 * Merged: 0 in both: many; 1 once; 5 many; 6 many (in o); 7 many.
	 */
	kpi_eset_init(&o);
	kpi_eset_add(&o, 1);
	kpi_eset_add(&o, 0);
	kpi_eset_add(&o, 5);
	kpi_eset_add(&o, 6);
	kpi_eset_add(&o, 6);
	kpi_eset_settle(&o);
	kpi_eset_merge(&s, &o);
	kpi_eset_settle(&s);
	CHECK(s.len == 5, "merged len %u, want 5", s.len);
	seen_of(&sn, &s, 8);
	CHECK(sn.calls == 5 && sn.bad == 0, "merged each: %u calls, %u bad",
	    sn.calls, sn.bad);
	CHECK(sn.mark[0] == 2, "0 in both: many: %d", sn.mark[0]);
	CHECK(sn.mark[1] == 1, "1 in o once: %d", sn.mark[1]);
	CHECK(sn.mark[5] == 2, "5: %d", sn.mark[5]);
	CHECK(sn.mark[6] == 2, "6 many in o: %d", sn.mark[6]);
	CHECK(sn.mark[7] == 2, "7 many in s: %d", sn.mark[7]);
	CHECK(sn.mark[2] == 0 && sn.mark[3] == 0 && sn.mark[4] == 0,
	    "2 3 4 absent");
	free(sn.mark);
	/* o is left as it was. */
	CHECK(o.len == 4, "o len %u", o.len);
	seen_of(&sn, &o, 8);
	CHECK(sn.mark[0] == 1 && sn.mark[1] == 1 && sn.mark[5] == 1 &&
	    sn.mark[6] == 2, "o unchanged");
	free(sn.mark);

	/* Merging an empty set changes nothing; into one copies. */
	kpi_eset_merge(&s, &empty);
	kpi_eset_settle(&s);
	CHECK(s.len == 5, "merge of empty: len %u", s.len);
	kpi_eset_merge(&empty, &o);
	kpi_eset_settle(&empty);
	CHECK(empty.len == 4, "merge into empty: len %u", empty.len);
	seen_of(&sn, &empty, 8);
	CHECK(sn.mark[0] == 1 && sn.mark[1] == 1 && sn.mark[5] == 1 &&
	    sn.mark[6] == 2 && sn.calls == 4, "copy of o");
	free(sn.mark);

	kpi_eset_release(&s);
	kpi_eset_release(&o);
	kpi_eset_release(&empty);
}

/* A set of many thousands: it grows, keeps every number and bit. */
static void
test_eset_grow(void)
{
	enum { N = 50000 };
	struct kpi_eset s, o;
	struct seen sn;
	uint32_t i, bad = 0, wrong = 0;

	kpi_eset_init(&s);
	kpi_eset_init(&o);
	/* Every third number, the even ones of those twice. */
	for (i = 0; i < N; i += 3) {
		kpi_eset_add(&s, i);
		if (i % 2 == 0)
			kpi_eset_add(&s, i);
	}
	kpi_eset_settle(&s);
	CHECK(s.len == (N + 2) / 3, "len %u, want %u", s.len,
	    (unsigned)((N + 2) / 3));
	for (i = 0; i < N; i++)
		if (kpi_eset_has(&s, i) != (i % 3 == 0))
			bad++;
	CHECK(bad == 0, "%u wrong answers of has", bad);
	seen_of(&sn, &s, N);
	for (i = 0; i < N; i++)
		if (sn.mark[i] != (i % 3 ? 0 : i % 2 ? 1 : 2))
			wrong++;
	CHECK(wrong == 0 && sn.bad == 0 && sn.calls == s.len,
	    "each: %u wrong, %u bad, %u calls", wrong, sn.bad, sn.calls);
	free(sn.mark);

	/* o: every fifth number once.  Merged: multiples of 3 or 5. */
	for (i = 0; i < N; i += 5)
		kpi_eset_add(&o, i);
	kpi_eset_settle(&o);
	kpi_eset_merge(&s, &o);
	kpi_eset_settle(&s);
	seen_of(&sn, &s, N);
	for (wrong = 0, i = 0; i < N; i++) {
		int want = i % 3 == 0 && i % 5 == 0 ? 2 : i % 3 == 0 ?
		    (i % 2 ? 1 : 2) : i % 5 == 0 ? 1 : 0;

		if (sn.mark[i] != want)
			wrong++;
	}
	CHECK(wrong == 0 && sn.bad == 0, "merged: %u wrong, %u bad", wrong,
	    sn.bad);
	CHECK(s.len == sn.calls, "merged len %u, %u calls", s.len, sn.calls);
	free(sn.mark);
	kpi_eset_release(&s);
	kpi_eset_release(&o);
}

/*
 * Adds and merges in any order, settled now and then: the set is what
 * counting rows per number gives (in the set when one or more, many when
 * two or more), whether a number came while others were pending or not.
 */
static void
test_eset_pending(void)
{
	enum { MAX = 200000, OPS = 200000 };
	struct kpi_eset s, o;
	unsigned *rows = calloc(MAX, sizeof(*rows)), *orows;
	uint32_t i, e, k, oe[100], len = 0, wrong = 0, x = 12345;
	struct seen sn;

	orows = calloc(MAX, sizeof(*orows));
	kpi_eset_init(&s);
	for (i = 0; i < OPS; i++) {
		x = x * 1103515245u + 12345u;
		e = (x >> 8) % (i < OPS / 2 ? MAX / 100 : MAX);
		if ((x & 0xff) == 0) {
			/* A settled set of a few rows merged in. */
			kpi_eset_init(&o);
			for (k = 0; k < 100; k++) {
				x = x * 1103515245u + 12345u;
				oe[k] = (x >> 8) % (MAX / 100);
				kpi_eset_add(&o, oe[k]);
				orows[oe[k]]++;
			}
			kpi_eset_settle(&o);
			kpi_eset_merge(&s, &o);
			for (k = 0; k < 100; k++) {
				rows[oe[k]] += orows[oe[k]] > 1 ? 2 : orows[oe[k]];
				orows[oe[k]] = 0;
			}
			kpi_eset_release(&o);
		} else if ((x & 0xff) == 1)
			kpi_eset_settle(&s);
		else {
			kpi_eset_add(&s, e);
			rows[e]++;
		}
	}
	kpi_eset_settle(&s);
	for (e = 0; e < MAX; e++) {
		len += rows[e] > 0;
		if (kpi_eset_has(&s, e) != (rows[e] > 0))
			wrong++;
	}
	CHECK(wrong == 0, "%u wrong answers of has", wrong);
	CHECK(s.len == len, "len %u, want %u", s.len, len);
	seen_of(&sn, &s, MAX);
	for (wrong = 0, e = 0; e < MAX; e++)
		if (sn.mark[e] != (rows[e] > 1 ? 2 : rows[e]))
			wrong++;
	CHECK(wrong == 0 && sn.bad == 0 && sn.calls == len,
	    "each: %u wrong, %u bad, %u calls", wrong, sn.bad, sn.calls);
	free(sn.mark);
	free(rows);
	free(orows);
	kpi_eset_release(&s);
}

static void
test_put_load(void)
{
	/*
	 * Ids out of order, with what JSON must escape.  Sorted by bytes:
	 * "" < "\t" (0x09) < "!" < "A" < "a" < "a\"b" < "a\\b" < "ab" < "b"
	 * < "é" (0xC3 0xA9).
	 */
	static const char *const ids[] = { "b", "ab", "a", "", "a\"b",
	    "a\\b", "\xC3\xA9", "\t", "!", "A" };
	static const int twice[] = { 0, 1, 0, 1, 0, 1, 1, 0, 0, 0 };
	const char *want = "{\"set\":[\"\",\"\\t\",\"!\",\"A\",\"a\","
	    "\"a\\\"b\",\"a\\\\b\",\"ab\",\"b\",\"\xC3\xA9\"],"
	    "\"many\":[\"\",\"a\\\\b\",\"ab\",\"\xC3\xA9\"]}";
	struct kpi_ents t, t2;
	struct kpi_eset s, s2, s3, s4;
	struct kpi_err err;
	struct seen sn;
	char text[512];
	uint32_t e, n;
	size_t i;

	kpi_ents_init(&t);
	kpi_eset_init(&s);
	/* Numbers of ids not in the set: put writes only the set's ids. */
	intern(&t, "not in the set");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		e = intern(&t, ids[i]);
		kpi_eset_add(&s, e);
		if (twice[i])
			kpi_eset_add(&s, e);
	}
	kpi_eset_settle(&s);
	snprintf(text, sizeof(text), "%s", put(&s, &t));
	CHECK_STR(text, want, "put");

	/* Read back into a fresh table: the same text; first is the period. */
	kpi_ents_init(&t2);
	kpi_eset_init(&s2);
	CHECK(load(&s2, &t2, 7, text, &err) == 0, "load: %s", err.msg);
	CHECK(s2.len == 10 && t2.n == 10, "loaded: len %u, n %u", s2.len,
	    t2.n);
	CHECK_STR(put(&s2, &t2), want, "put after load");
	for (e = 0; e < t2.n; e++)
		CHECK(kpi_ents_first(&t2, e) == 7, "first of %s: %lld", id(&t2, e),
		    kpi_ents_first(&t2, e));
	seen_of(&sn, &s2, t2.n);
	for (i = 0, n = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		e = intern(&t2, ids[i]);
		if (e >= t2.n || sn.mark[e] != (twice[i] ? 2 : 1))
			n++;
	}
	CHECK(n == 0 && t2.n == 10, "%u ids with the wrong bit", n);
	free(sn.mark);

	/*
	 * Loading again lowers first only: a later period leaves 7; an
	 * earlier one sets it, for the ids of that state only.
	 */
	kpi_eset_init(&s3);
	CHECK(load(&s3, &t2, 9, "{\"set\":[\"a\",\"new\"],\"many\":[]}",
	    &err) == 0, "load later: %s", err.msg);
	CHECK(t2.n == 11, "one new id: n %u", t2.n);
	CHECK(kpi_ents_first(&t2, intern(&t2, "a")) == 7, "a keeps 7: %lld",
	    kpi_ents_first(&t2, intern(&t2, "a")));
	CHECK(kpi_ents_first(&t2, intern(&t2, "new")) == 9, "new gets 9: %lld",
	    kpi_ents_first(&t2, intern(&t2, "new")));
	kpi_eset_init(&s4);
	CHECK(load(&s4, &t2, 3, "{\"set\":[\"b\"],\"many\":[\"b\"]}",
	    &err) == 0, "load earlier: %s", err.msg);
	CHECK(kpi_ents_first(&t2, intern(&t2, "b")) == 3, "b lowered to 3: %lld",
	    kpi_ents_first(&t2, intern(&t2, "b")));
	CHECK(kpi_ents_first(&t2, intern(&t2, "ab")) == 7, "ab keeps 7: %lld",
	    kpi_ents_first(&t2, intern(&t2, "ab")));
	CHECK_STR(put(&s4, &t2), "{\"set\":[\"b\"],\"many\":[\"b\"]}",
	    "one many id");

	/* A loaded set merges like any: "a" once in s2 and in s3: many. */
	kpi_eset_merge(&s3, &s2);
	kpi_eset_settle(&s3);
	CHECK_STR(put(&s3, &t2), "{\"set\":[\"\",\"\\t\",\"!\",\"A\",\"a\","
	    "\"a\\\"b\",\"a\\\\b\",\"ab\",\"b\",\"new\",\"\xC3\xA9\"],"
	    "\"many\":[\"\",\"a\",\"a\\\\b\",\"ab\",\"\xC3\xA9\"]}", "merged");

	kpi_eset_release(&s);
	kpi_eset_release(&s2);
	kpi_eset_release(&s3);
	kpi_eset_release(&s4);
	kpi_ents_release(&t);
	kpi_ents_release(&t2);
}

static void
test_put_empty(void)
{
	struct kpi_ents t;
	struct kpi_eset s, s2;
	struct kpi_err err;

	kpi_ents_init(&t);
	kpi_eset_init(&s);
	CHECK_STR(put(&s, &t), "{\"set\":[],\"many\":[]}", "empty set");
	kpi_eset_init(&s2);
	CHECK(load(&s2, &t, 0, "{\"set\":[],\"many\":[]}", &err) == 0,
	    "load empty: %s", err.msg);
	CHECK(s2.len == 0 && t.n == 0, "loaded empty: len %u, n %u", s2.len,
	    t.n);
	kpi_eset_release(&s);
	kpi_eset_release(&s2);
	kpi_ents_release(&t);
}

/* Escapes are read as JSON: "\u00e9" is é, "\/" is /, "\n" a newline. */
static void
test_load_escapes(void)
{
	struct kpi_ents t;
	struct kpi_eset s;
	struct kpi_err err;

	kpi_ents_init(&t);
	kpi_eset_init(&s);
	CHECK(load(&s, &t, 1, "{\"set\":[\"\\u00e9\",\"a\\/b\",\"x\\ny\"],"
	    "\"many\":[\"\\u00e9\"]}", &err) == 0, "load: %s", err.msg);
	CHECK(t.n == 3, "n %u", t.n);
	CHECK(intern(&t, "\xC3\xA9") < 3 && intern(&t, "a/b") < 3 &&
	    intern(&t, "x\ny") < 3 && t.n == 3, "the decoded ids");
	CHECK_STR(put(&s, &t), "{\"set\":[\"a/b\",\"x\\ny\",\"\xC3\xA9\"],"
	    "\"many\":[\"\xC3\xA9\"]}", "put of decoded ids");
	kpi_eset_release(&s);
	kpi_ents_release(&t);
}

/* Only json[0..n) is read. */
static void
test_load_length(void)
{
	const char *json = "{\"set\":[\"a\"],\"many\":[]}trailing garbage";
	struct kpi_ents t;
	struct kpi_eset s;
	struct kpi_err err;

	kpi_ents_init(&t);
	kpi_eset_init(&s);
	memset(&err, 0, sizeof(err));
	CHECK(kpi_eset_load(&s, &t, 0, json, strlen("{\"set\":[\"a\"],"
	    "\"many\":[]}"), &err) == 0, "load a prefix: %s", err.msg);
	CHECK(s.len == 1 && t.n == 1, "len %u, n %u", s.len, t.n);
	kpi_eset_release(&s);
	kpi_ents_release(&t);
}

static void
test_load_errors(void)
{
	static const char *const bad[] = {
		"",				/* no JSON */
		"[]",				/* not an object */
		"\"set\"",
		"null",
		"{\"set\":[\"a\"],\"many\":[]",	/* cut short */
		"{\"set\":{},\"many\":[]}",	/* "set" not an array */
		"{\"set\":\"a\",\"many\":[]}",
		"{\"set\":[\"a\"],\"many\":\"a\"}",	/* "many" not one */
		"{\"set\":[1],\"many\":[]}",	/* a number element */
		"{\"set\":[\"a\",2],\"many\":[]}",
		"{\"set\":[null],\"many\":[]}",
		"{\"set\":[[\"a\"]],\"many\":[]}",
		"{\"set\":[\"a\"],\"many\":[1]}",
		"{\"set\":[\"a\"],\"many\":[\"b\"]}",	/* many, not in set */
		"{\"set\":[],\"many\":[\"a\"]}",
		"{\"set\":[],\"many\":[],\"x\":[]}",	/* unknown key */
		"{\"set\":[],\"many\":[],\"n\":0}",
	};
	struct kpi_ents t;
	struct kpi_eset s;
	struct kpi_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kpi_ents_init(&t);
		kpi_eset_init(&s);
		CHECK(load(&s, &t, 0, bad[i], &err) == -1, "load '%s' did not "
		    "fail", bad[i]);
		CHECK(err.msg[0] != '\0', "load '%s': no message", bad[i]);
		kpi_eset_release(&s);
		kpi_ents_release(&t);
	}
}

int
main(void)
{
	test_intern();
	test_grow();
	test_eset();
	test_eset_grow();
	test_eset_pending();
	test_put_load();
	test_put_empty();
	test_load_escapes();
	test_load_length();
	test_load_errors();
	return unit_done();
}
