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

/*
 * The text of id e of t, NUL-terminated (the table keeps none): static,
 * one of four buffers, valid for the next three calls.
 */
static const char *
id(const struct kpi_ents *t, uint32_t e)
{
	static char buf[4][256];
	static unsigned k;
	uint32_t len;
	const char *p = kpi_ents_id(t, e, &len);
	char *b = buf[k++ % 4];

	if (len > sizeof(buf[0]) - 1)
		len = sizeof(buf[0]) - 1;
	memcpy(b, p, len);
	b[len] = '\0';
	return b;
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

/* Whether s's code is the n bytes want, saying both when not. */
static void
check_code(const struct kpi_eset *s, const unsigned char *want, size_t n,
    const char *ctx)
{
	size_t i;
	char got[64] = "", exp[64] = "";

	for (i = 0; i < s->blen && i < 16; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), " %02x",
		    s->b[i]);
	for (i = 0; i < n && i < 16; i++)
		snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), " %02x",
		    want[i]);
	CHECK(s->blen == n && memcmp(s->b, want, n) == 0, "%s: code%s, want%s",
	    ctx, got, exp);
}

/* A set of the numbers e[0..n), each added once, or twice when many. */
static void
make_set(struct kpi_eset *s, const uint32_t *e, size_t n, int many)
{
	size_t i;

	kpi_eset_init(s);
	for (i = 0; i < n; i++) {
		kpi_eset_add(s, e[i]);
		if (many)
			kpi_eset_add(s, e[i]);
	}
	kpi_eset_settle(s);
}

/*
 * The code of a set, byte by byte: gap << 1 | many, 7 bits a byte, low
 * first; a gap is 1 byte up to 63, 2 up to 8191, 3 up to 2^20 - 1, and 5
 * for the last numbers there are.
 */
static void
test_eset_code(void)
{
	static const struct {
		uint32_t e[3];
		size_t n;
		int many;
		unsigned char code[12];
		size_t len;
	} c[] = {
		{ { 0 }, 1, 0, { 0x00 }, 1 },
		{ { 0 }, 1, 1, { 0x01 }, 1 },
		{ { 0, 1, 65 }, 3, 0, { 0x00, 0x00, 0x7e }, 3 },
		{ { 63 }, 1, 0, { 0x7e }, 1 },		/* the last 1 */
		{ { 63 }, 1, 1, { 0x7f }, 1 },
		{ { 64 }, 1, 0, { 0x80, 0x01 }, 2 },	/* the first 2 */
		{ { 64 }, 1, 1, { 0x81, 0x01 }, 2 },
		{ { 0, 66 }, 2, 0, { 0x00, 0x82, 0x01 }, 3 },
		{ { 8191 }, 1, 1, { 0xff, 0x7f }, 2 },	/* the last 2 */
		{ { 8192 }, 1, 0, { 0x80, 0x80, 0x01 }, 3 },
		{ { 1048575 }, 1, 1, { 0xff, 0xff, 0x7f }, 3 },
		{ { 1048576 }, 1, 0, { 0x80, 0x80, 0x80, 0x01 }, 4 },
		{ { 0x7fffffff }, 1, 1,
		    { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5 },
		{ { 5, 0x7ffffffe, 0x7fffffff }, 3, 0,
		    { 0x0a, 0xf0, 0xff, 0xff, 0xff, 0x0f, 0x00 }, 7 },
	};
	struct kpi_eset s;
	struct kpi_eset_iter it;
	char ctx[64];
	uint32_t e;
	size_t i, k;
	int many, ok;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		make_set(&s, c[i].e, c[i].n, c[i].many);
		snprintf(ctx, sizeof(ctx), "case %zu (%u%s)", i, c[i].e[0],
		    c[i].many ? " many" : "");
		check_code(&s, c[i].code, c[i].len, ctx);
		/* And back: the numbers and bits put in. */
		kpi_eset_iter_init(&it, &s);
		for (ok = 1, k = 0; k < c[i].n; k++)
			ok &= kpi_eset_next(&it, &e, &many) &&
			    e == c[i].e[k] && many == c[i].many;
		ok &= !kpi_eset_next(&it, &e, &many);
		CHECK(ok && s.len == c[i].n, "%s: read back", ctx);
		kpi_eset_release(&s);
	}
}

/*
 * A number put in between two changes the gap of the one after it, and
 * the length of its code: 100 after 0 takes 2 bytes, after 99 or 50 one.
 */
static void
test_eset_insert(void)
{
	static const uint32_t base[] = { 0, 100 };
	static const unsigned char two[] = { 0x00, 0xc6, 0x01 };
	static const unsigned char at99[] = { 0x00, 0xc4, 0x01, 0x00 };
	static const unsigned char at50[] = { 0x00, 0x62, 0x62 };
	static const unsigned char first[] = { 0x00, 0x00, 0xc4, 0x01 };
	static const unsigned char last[] = { 0x00, 0xc7, 0x01, 0x80, 0x01 };
	struct kpi_eset s;

	make_set(&s, base, 2, 0);
	check_code(&s, two, sizeof(two), "0 100");
	kpi_eset_add(&s, 99);
	kpi_eset_settle(&s);
	check_code(&s, at99, sizeof(at99), "0 99 100");
	kpi_eset_release(&s);

	make_set(&s, base + 1, 1, 0);
	kpi_eset_add(&s, 50);
	kpi_eset_add(&s, 0);
	kpi_eset_settle(&s);
	check_code(&s, at50, sizeof(at50), "0 50 100, 0 and 50 added");
	kpi_eset_release(&s);

	/* Before the first: the old first's gap shrinks by one... */
	make_set(&s, base + 1, 1, 0);
	kpi_eset_add(&s, 0);
	kpi_eset_add(&s, 1);
	kpi_eset_settle(&s);
	check_code(&s, first, sizeof(first), "0 1 100");
	kpi_eset_release(&s);

	/* ...after the last, nothing else moves; 100 again is many. */
	make_set(&s, base, 2, 0);
	kpi_eset_add(&s, 100);
	kpi_eset_add(&s, 165);
	kpi_eset_settle(&s);
	check_code(&s, last, sizeof(last), "0 100* 165");
	CHECK(s.len == 3, "0 100 165: len %u", s.len);
	kpi_eset_release(&s);
}

/* The numbers [lo, hi) that are multiples of step, as a set, many when
   many; and the model of the same in mark. */
static void
range_set(struct kpi_eset *s, unsigned char *mark, uint32_t lo, uint32_t hi,
    uint32_t step, int many)
{
	uint32_t e;

	kpi_eset_init(s);
	for (e = hi; e-- > lo;)		/* backwards: the run sorts them */
		if (e % step == 0) {
			kpi_eset_add(s, e);
			if (many)
				kpi_eset_add(s, e);
			mark[e] = mark[e] ? 2 : many ? 2 : 1;
		}
	kpi_eset_settle(s);
}

/*
 * Merges of sets over ranges that overlap, touch, or lie apart, one
 * before or after the other, empty ones too: each result is the union of
 * the two, many where either is or both have a number.
 */
static void
test_eset_ranges(void)
{
	enum { MAX = 40000 };
	static const struct {
		uint32_t lo[2], hi[2], step[2];
		int many[2];
	} c[] = {
		{ { 0, 500 }, { 1000, 1500 }, { 2, 3 }, { 0, 0 } },
		{ { 0, 30000 }, { 100, 30100 }, { 1, 7 }, { 0, 1 } },
		{ { 20000, 0 }, { 20100, 100 }, { 1, 1 }, { 1, 0 } },
		{ { 0, 100 }, { 100, 200 }, { 1, 1 }, { 0, 0 } },
		{ { 0, 0 }, { 39000, 39000 }, { 1000, 1 }, { 0, 0 } },
		{ { 5, 0 }, { 5, 400 }, { 1, 9 }, { 0, 1 } },	/* empty s */
		{ { 0, 5 }, { 400, 5 }, { 9, 1 }, { 1, 0 } },	/* empty o */
		{ { 0, 0 }, { 39999, 39999 }, { 8192, 64 }, { 0, 1 } },
	};
	struct kpi_eset s, o;
	struct seen sn;
	unsigned char *mark = calloc(MAX, 1);
	uint32_t e, want, wrong;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(mark, 0, MAX);
		range_set(&s, mark, c[i].lo[0], c[i].hi[0], c[i].step[0],
		    c[i].many[0]);
		range_set(&o, mark, c[i].lo[1], c[i].hi[1], c[i].step[1],
		    c[i].many[1]);
		kpi_eset_merge(&s, &o);
		kpi_eset_settle(&s);
		seen_of(&sn, &s, MAX);
		for (want = wrong = 0, e = 0; e < MAX; e++) {
			want += mark[e] != 0;
			wrong += sn.mark[e] != mark[e];
		}
		CHECK(wrong == 0 && sn.bad == 0 && s.len == want, "ranges %zu: "
		    "%u wrong, %u bad, len %u, want %u", i, wrong, sn.bad,
		    s.len, want);
		free(sn.mark);
		kpi_eset_release(&s);
		kpi_eset_release(&o);
	}
	free(mark);
}

/*
 * Numbers over all of 31 bits, far apart and close, added and merged at
 * random: every code length, and the set is what counting rows gives.
 */
static void
test_eset_wide(void)
{
	enum { N = 20000 };
	struct kpi_eset s, o;
	struct kpi_eset_iter it;
	uint32_t *e = malloc(N * sizeof(*e)), *rows = calloc(N,
	    sizeof(*rows)), x = 99, i, k, got, wrong = 0, len = 0;
	int many;

	/* Numbers in increasing order with gaps of every length, 0 to
	   2^20, about a billion in all: below 2^31, the numbers there are. */
	for (k = 0, i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		e[i] = k + ((x >> 8) & ((1u << (x % 21)) - 1));
		k = e[i] + 1;
	}
	kpi_eset_init(&s);
	for (i = 0; i < 3 * N; i++) {
		x = x * 1103515245u + 12345u;
		k = (x >> 4) % N;
		if (x % 97 == 0) {
			kpi_eset_init(&o);
			kpi_eset_add(&o, e[k]);
			kpi_eset_add(&o, e[(k + 1) % N]);
			kpi_eset_settle(&o);
			kpi_eset_merge(&s, &o);
			kpi_eset_release(&o);
			rows[k]++;
			rows[(k + 1) % N]++;
		} else {
			kpi_eset_add(&s, e[k]);
			rows[k]++;
		}
	}
	kpi_eset_settle(&s);
	kpi_eset_iter_init(&it, &s);
	for (k = 0; k < N; k++) {
		if (rows[k] == 0)
			continue;
		len++;
		if (!kpi_eset_next(&it, &got, &many) || got != e[k] ||
		    many != (rows[k] > 1))
			wrong++;
	}
	CHECK(wrong == 0 && !kpi_eset_next(&it, &got, &many) && s.len == len,
	    "wide: %u wrong, len %u, want %u", wrong, s.len, len);
	CHECK(e[N - 1] > (1u << 28) && e[N - 1] < (1u << 31),
	    "the numbers reach %u", e[N - 1]);
	free(e);
	free(rows);
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
	test_eset_code();
	test_eset_insert();
	test_eset_ranges();
	test_eset_wide();
	test_put_load();
	test_put_empty();
	test_load_escapes();
	test_load_length();
	test_load_errors();
	return unit_done();
}
