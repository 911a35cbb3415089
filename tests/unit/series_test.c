/*
 * series_test.c - a balance's series (series.h): a group's set, whose
 * runs are sorted in as they fill, against the plain answer (per id the
 * latest time, then the greatest value); a level made from sets in any
 * order; a --total's level of several dims; and the members --partial
 * writes, the group's dims before each id.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "aggregate/series.h"
#include "unit.h"

#define NIDS	3000

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The plain answer: per id its kept time and value, or none. */
struct want {
	int has[NIDS];
	long long t[NIDS];
	double x[NIDS];
};

static void
want_put(struct want *w, uint32_t id, long long t, double x)
{
	if (!w->has[id] || t > w->t[id] || (t == w->t[id] && x > w->x[id])) {
		w->has[id] = 1;
		w->t[id] = t;
		w->x[id] = x;
	}
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The members --partial writes for w, of ids "iN", after dims. */
static char *
want_members(const struct want *w, const char *dims)
{
	static char key[NIDS][16];
	char *k[NIDS], *out;
	struct kpi_buf b;
	size_t i, n = 0;
	long id;

	for (i = 0; i < NIDS; i++)
		if (w->has[i]) {
			snprintf(key[n], sizeof(key[n]), "i%zu", i);
			k[n] = key[n];
			n++;
		}
	qsort(k, n, sizeof(*k), str_cmp);
	kpi_buf_init(&b);
	for (i = 0; i < n; i++) {
		id = atol(k[i] + 1);
		kpi_buf_addf(&b, "%s\"%s%s\":[%lld,", i ? "," : "", dims, k[i],
		    w->t[id]);
		kpi_json_put_num(&b, w->x[id]);
		kpi_buf_addc(&b, ']');
	}
	out = strdup(b.p ? b.p : "");
	kpi_buf_release(&b);
	return out;
}

/* m's members after dims (borrowed until the next call). */
static const char *
members(const struct smap *m, const char *dims)
{
	static struct kpi_buf b;

	kpi_buf_reset(&b);
	smap_put_members(&b, m, dims, strlen(dims), 0);
	return b.p ? b.p : "";
}

/* The exact sum of w's values, in id order: a level's value. */
static int
want_value(const struct want *w, struct kpi_ents *ids, double *out)
{
	struct smap lv;
	char key[16];
	uint32_t i;
	int rc;

	memset(&lv, 0, sizeof(lv));
	smap_share(&lv, ids);
	smap_level(&lv);
	for (i = 0; i < NIDS; i++)
		if (w->has[i]) {
			snprintf(key, sizeof(key), "i%u", i);
			smap_put_key(&lv, key, strlen(key), w->t[i], w->x[i]);
		}
	rc = smap_value(&lv, out);
	smap_release(&lv);
	return rc;
}

/* A value: money, or now and then a third or a huge one. */
static double
draw(void)
{
	uint64_t r = rng() % 100;

	if (r == 0)
		return 1.0 / 3;
	if (r == 1)
		return (rng() % 2 ? 1 : -1) * 1e300;
	return (double)((long long)(rng() % 200000) - 50000) / 100;
}

/*
 * Rows of nid ids (many repeated, few times: ties) into a set, in runs
 * that fill and sort in, and dealt to three parts (with times scale
 * apart: a set whose times span more than 32 bits is a level then); the set against the
 * plain answer, its value against a level's made in id order, and the
 * parts merged into a level, last first, and into a set.
 */
static void
test_set(size_t rows, uint32_t nid, long long scale)
{
	static struct want w;
	struct kpi_ents ids;
	struct smap s, part[3], lv;
	double got = 0, want = 0;
	char key[16], *wm, *wm0;
	int rc;
	uint32_t id;
	size_t i, p;
	long long t;
	double x;

	memset(&w, 0, sizeof(w));
	kpi_ents_init(&ids);
	for (i = 0; i < NIDS; i++) {
		snprintf(key, sizeof(key), "i%zu", i);
		(void)kpi_ents_intern(&ids, key, strlen(key));
	}
	memset(&s, 0, sizeof(s));
	memset(part, 0, sizeof(part));
	smap_share(&s, &ids);
	for (p = 0; p < 3; p++)
		smap_share(&part[p], &ids);
	for (i = 0; i < rows; i++) {
		id = (uint32_t)(rng() % nid);
		t = ((long long)(rng() % 4) - 1) * scale;
		x = draw();
		smap_put(&s, id, t, x);
		want_put(&w, id, t, x);
		smap_put(&part[rng() % 3], id, t, x);
	}
	wm = want_members(&w, "D");
	wm0 = want_members(&w, "");
	CHECK_STR(members(&s, "D"), wm, "set");
	CHECK(s.lv != NULL || s.cap <= s.len + s.npend + (s.len >> 2) + 8,
	    "room: %u for %u and a run of %u", s.cap, s.len, s.npend);
	rc = want_value(&w, &ids, &want);
	CHECK(smap_value(&s, &got) == rc && (!rc ||
	    memcmp(&got, &want, sizeof(got)) == 0), "value %.17g %.17g",
	    got, want);
	memset(&lv, 0, sizeof(lv));
	smap_level(&lv);
	for (p = 3; p-- > 0; )
		smap_merge(&lv, &part[p]);
	CHECK(rows == 0 || lv.ids == &ids, "the level shares the ids");
	CHECK_STR(members(&lv, "D"), wm, "level");
	CHECK(smap_value(&lv, &got) == rc && (!rc ||
	    memcmp(&got, &want, sizeof(got)) == 0), "level value %.17g %.17g",
	    got, want);
	for (p = 1; p < 3; p++)
		smap_merge(&part[0], &part[p]);
	CHECK_STR(members(&part[0], ""), wm0, "merged");
	free(wm);
	free(wm0);
	smap_release(&lv);
	smap_release(&s);
	for (p = 0; p < 3; p++)
		smap_release(&part[p]);
	kpi_ents_release(&ids);
}

/*
 * A --total's level: the same ids in two groups are two series, apart by
 * their dims' numbers; a key of other dims (from --merge) is written whole.
 */
static void
test_total(void)
{
	struct kpi_ents ids;
	struct smap a, b, lv, own;
	double v;

	kpi_ents_init(&ids);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&lv, 0, sizeof(lv));
	memset(&own, 0, sizeof(own));
	smap_share(&a, &ids);
	smap_share(&b, &ids);
	smap_put_key(&a, "\"s1\"", 4, 10, 5);
	smap_put_key(&a, "\"s2\"", 4, 10, 7);
	smap_put_key(&b, "\"s1\"", 4, 11, 100);
	smap_level(&lv);
	smap_merge_as(&lv, &a, 1);
	smap_merge_as(&lv, &b, 2);
	CHECK(lv.nlv == 3 && smap_value(&lv, &v) == 1 && v == 112,
	    "total %zu %g", lv.nlv, v);
	/* A later value of s1 in a: b's s1 stays. */
	smap_put_key(&a, "\"s1\"", 4, 20, 1);
	smap_merge_as(&lv, &a, 1);
	CHECK(smap_value(&lv, &v) == 1 && v == 108, "total later %g", v);
	/* Whole keys: a state of {} read by --merge without --by. */
	smap_put_key(&own, "{\"c\":\"a\"}\"s1\"", 13, 5, 2);
	smap_put_key(&own, "\"s1\"", 4, 5, 3);
	CHECK_STR(members(&own, "{}"),
	    "\"{\\\"c\\\":\\\"a\\\"}\\\"s1\\\"\":[5,2],\"{}\\\"s1\\\"\":[5,3]",
	    "whole keys");
	/* Empty: no members, no value. */
	smap_release(&own);
	memset(&own, 0, sizeof(own));
	CHECK(smap_empty(&own) && smap_value(&own, &v) == 0 &&
	    smap_put_members(NULL, &own, "", 0, 7) == 7, "empty");
	smap_release(&a);
	smap_release(&b);
	smap_release(&lv);
	kpi_ents_release(&ids);
}

/*
 * A --total's level made of sums: three dims' levels, each period's
 * changes put in that period's sum too, added up period by period, give
 * the value of one level of all their series, to the bit.
 */
static void
test_sums(void)
{
	struct kpi_ents ids;
	struct series_sum *per[4];
	struct smap lv[3], all, tot;
	double got, want;
	char key[16];
	int p, d, i, rg, rw, some = 0;
	long long t;
	double x;

	kpi_ents_init(&ids);
	memset(&all, 0, sizeof(all));
	memset(&tot, 0, sizeof(tot));
	smap_share(&all, &ids);
	smap_level(&all);
	smap_level(&tot);
	for (d = 0; d < 3; d++) {
		memset(&lv[d], 0, sizeof(lv[d]));
		smap_share(&lv[d], &ids);
		smap_level(&lv[d]);
	}
	for (p = 0; p < 4; p++) {
		per[p] = ssum_new();
		for (i = 0; i < 3000; i++) {
			d = (int)(rng() % 3);
			snprintf(key, sizeof(key), "i%d", (int)(rng() % 500));
			t = p * 100 + (long long)(rng() % 3);
			x = draw();
			lv[d].also = per[p];
			smap_put_key(&lv[d], key, strlen(key), t, x);
		}
		/* One level of every series, the dims in the keys' tops. */
		smap_release(&all);
		memset(&all, 0, sizeof(all));
		smap_share(&all, &ids);
		smap_level(&all);
		for (d = 0; d < 3; d++)
			smap_merge_as(&all, &lv[d], (uint32_t)d + 1);
		smap_add_sum(&tot, per[p]);
		rg = smap_value(&tot, &got);
		rw = smap_value(&all, &want);
		CHECK(rg == rw && (!rw || memcmp(&got, &want, sizeof(got)) ==
		    0), "period %d: %.17g %.17g", p, got, want);
		some += rw;
	}
	CHECK(some > 0, "no period had a finite level");
	for (p = 0; p < 4; p++)
		ssum_free(per[p]);
	for (d = 0; d < 3; d++)
		smap_release(&lv[d]);
	smap_release(&all);
	smap_release(&tot);
	kpi_ents_release(&ids);
}

int
main(void)
{
	static const size_t rows[] = { 0, 1, 5, 40, 1000, 20000 };
	static const uint32_t nid[] = { 1, 7, 2999, NIDS };
	size_t r, k;

	for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++)
		for (k = 0; k < sizeof(nid) / sizeof(nid[0]); k++) {
			test_set(rows[r], nid[k], 1);
			test_set(rows[r], nid[k], 86400);
			test_set(rows[r], nid[k], 2000000000);
		}
	test_total();
	test_sums();
	return unit_done();
}
