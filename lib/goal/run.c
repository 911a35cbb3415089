/*
 * run.c - evaluating a stream of points against goals, streaming.
 *
 * The clock is --as-of, else the end of the latest period in the input.
 * The second is only known when the input ends, yet it need not be waited
 * for: it only moves on, and every point read so far ends at or before
 * it.  So a point's own period is closed when it is read (open is clock <
 * end), expected is (min(clock, end) - start) / length = 1 for a period
 * of its own, the clock never cuts a history (every earlier end is before
 * it), and a target goal's final (clock >= deadline end and point end >=
 * deadline end) is fixed by the point's own end.  The one verdict the
 * later clock changes is a point in a longer timeframe under
 * --cumulative: open until some period of the input reaches the
 * timeframe's end.  decided() says so; with --as-of nothing waits.
 *
 * Points are read into a queue; every opts.hold points (then twice what
 * is held) step() indexes the queue by goal, series and start, writes
 * the points in input order up to the first one not decided (so the
 * order is kpi(7)'s without a bound on what waits behind an open
 * cumulative month: a month of points, as kpi-aggregate orders them),
 * and prune() frees the written points no later point looks back at:
 * keep_series() keeps of each series from its first unwritten point (or
 * latest) on, the period before it, a band's window of valued points, a
 * year and a day for a change against the year or a cumulative
 * timeframe, a target goal's points up to its deadline (its trend's
 * input and its first point, the timeframe's start).  History is what
 * came before in the input: kpi-aggregate writes each series in period
 * order.  Small inputs (under one pass) are written only at the end, as
 * before streaming.
 *
 * The no_data evaluations come at the end; for them each goal keeps per
 * series its first point (order and metadata), a bit per period of the
 * input, and, for a change goal, the dropped points just before a gap
 * (keep_past), whose values are their baselines.
 *
 * A goal covers a point of its metric whose dims have the goal's dims
 * keys, with the same values, and the per key, and no other.  Times: a
 * point's timeframe is its period, or under --cumulative the month,
 * quarter or year holding its start; a target goal's is its start date to
 * the end of its deadline.  Dates are midnights in the offset of the
 * point's start.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "goal/goal.h"

/* What change-on-a-year and cumulative goals keep: a year and a day. */
#define KEEP_YEAR	(367LL * 86400)

struct item {
	struct kpi_point p;
	char *text;		/* the record as it passes through, "\n" */
	size_t tlen;
	char *own;		/* the strings p points into */
	enum kpi_grain grain;
	unsigned char *match;	/* per goal: metric and dims fit it */
	unsigned char mark;	/* kept by prune() */
	unsigned char done;	/* written */
	size_t pi;		/* a period's index in run->per */
	unsigned long long seq;	/* input order */
};

/* An open hash of indexes (+ 1; 0 is free) into an array of items. */
struct tab {
	size_t *slot;
	size_t cap;		/* a power of 2 */
};

/* A dropped point a no_data evaluation may take as its baseline. */
struct past {
	long long s, e;
	double v;
};

/* What a goal keeps of each of its series, for its no_data evaluations. */
struct gx {
	struct item **ser;	/* each series' first point, stripped */
	unsigned char **bits;	/* per series: a bit per period it has */
	size_t *nbits;		/* bytes of bits[i] */
	struct past **past;	/* per series: before its gaps (change) */
	size_t *npast;
	size_t n, cap;
	struct tab tab;		/* by dims text */
	unsigned mask;		/* the grains of the points it covers */
};

struct kpi_goal_run {
	const struct kpi_goals *gs;
	const struct kpi_defs *defs;
	struct kpi_goal_opts opts;
	struct kpi_rec *gdims;	/* per goal: its dims, parsed */
	struct item **it;	/* held points, in input order */
	size_t n, cap;
	size_t hold;		/* the next pass when n reaches it */
	struct item ***ix;	/* per goal: the held points its metric and
				   dims fit, by series (dims text) and start */
	size_t *nix;
	struct item **per;	/* the first point of each period, stripped */
	size_t nper, capper;
	struct tab ptab;	/* by label */
	struct gx *gx;		/* per goal */
	long long max_end;
	unsigned long long seq;
	struct kpi_out *o;
	int werr;		/* a write failed: o->err_no */
	struct kpi_buf b;
	struct kpi_rec scratch;
	void (*fail)(void *, const struct kpi_goal_fail *);
	void *arg;
};

/* A timeframe and where the clock is in it. */
struct frame {
	long long s, e;		/* [s, e), instants */
	long long clock;
	double elapsed;		/* share gone at min(clock, point end) */
	int open;
	char label[24];		/* the period, for a table of targets */
};

struct kpi_goal_run *
kpi_goal_run_new(const struct kpi_goals *gs, const struct kpi_defs *defs,
    const struct kpi_goal_opts *opts, struct kpi_out *o,
    void (*fail)(void *, const struct kpi_goal_fail *), void *arg)
{
	struct kpi_goal_run *run = kpi_xmalloc(sizeof(*run));
	struct kpi_err err;
	size_t i;

	memset(run, 0, sizeof(*run));
	run->gs = gs;
	run->defs = defs;
	run->opts = *opts;
	run->hold = opts->hold ? opts->hold : KPI_GOAL_HOLD;
	run->o = o;
	run->fail = fail;
	run->arg = arg;
	run->max_end = LLONG_MIN;
	run->gdims = kpi_xmalloc((gs->n ? gs->n : 1) * sizeof(*run->gdims));
	run->gx = kpi_xmalloc((gs->n ? gs->n : 1) * sizeof(*run->gx));
	memset(run->gx, 0, (gs->n ? gs->n : 1) * sizeof(*run->gx));
	for (i = 0; i < gs->n; i++) {
		kpi_rec_init(&run->gdims[i]);
		/* goals.c wrote the text: it parses. */
		kpi_json_parse_object(&run->gdims[i], gs->g[i].dims,
		    strlen(gs->g[i].dims), 0, &err);
	}
	kpi_buf_init(&run->b);
	kpi_rec_init(&run->scratch);
	return run;
}

static void
item_free(struct item *it)
{
	free(it->text);
	free(it->own);
	free(it->match);
	free(it);
}

/* Frees the index of the held points. */
static void
unindex(struct kpi_goal_run *run)
{
	size_t i;

	for (i = 0; run->ix && i < run->gs->n; i++)
		free(run->ix[i]);
	free(run->ix);
	free(run->nix);
	run->ix = NULL;
	run->nix = NULL;
}

static void
gx_release(struct gx *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		item_free(x->ser[i]);
		free(x->bits[i]);
		free(x->past[i]);
	}
	free(x->past);
	free(x->npast);
	free(x->ser);
	free(x->bits);
	free(x->nbits);
	free(x->tab.slot);
}

void
kpi_goal_run_free(struct kpi_goal_run *run)
{
	size_t i;

	if (run == NULL)
		return;
	unindex(run);
	for (i = 0; i < run->n; i++)
		item_free(run->it[i]);
	for (i = 0; i < run->nper; i++)
		item_free(run->per[i]);
	for (i = 0; i < run->gs->n; i++) {
		kpi_rec_release(&run->gdims[i]);
		gx_release(&run->gx[i]);
	}
	free(run->gx);
	free(run->per);
	free(run->ptab.slot);
	free(run->gdims);
	free(run->it);
	kpi_buf_release(&run->b);
	kpi_rec_release(&run->scratch);
	free(run);
}

/* The grain of a period label, by its shape. */
static enum kpi_grain
label_grain(const char *s, size_t n)
{
	if (n >= 2 && s[0] == 'F' && s[1] == 'Y')
		return memchr(s, 'Q', n) ? KPI_QUARTER : KPI_YEAR;
	if (n == 10)
		return KPI_DAY;
	if (n == 8 && s[5] == 'W')
		return KPI_WEEK;
	if (n == 7 && s[5] == 'Q')
		return KPI_QUARTER;
	if (n == 7)
		return KPI_MONTH;
	return n == 4 ? KPI_YEAR : KPI_ALL;
}

/* Whether point dims pd fit goal dims gd and per. */
static int
dims_fit(const struct kpi_rec *pd, const struct kpi_rec *gd, const char *per)
{
	const struct kpi_field *f;
	size_t i;

	if (pd->n != gd->n + (per != NULL))
		return 0;
	for (i = 0; i < gd->n; i++) {
		f = kpi_rec_find(pd, gd->f[i].key, gd->f[i].klen);
		if (f == NULL || f->v.type != KPI_STR ||
		    f->v.len != gd->f[i].v.len ||
		    memcmp(f->v.s, gd->f[i].v.s, f->v.len) != 0)
			return 0;
	}
	return per == NULL || kpi_rec_find(pd, per, strlen(per)) != NULL;
}

/* Copies p's strings into one block the item owns. */
static void
own_strings(struct item *it)
{
	struct kpi_point *p = &it->p;
	size_t n = p->mlen + p->plen + p->dlen + p->ulen;
	char *o = it->own = kpi_xmalloc(n + 1);

	memcpy(o, p->metric, p->mlen);
	p->metric = o;
	o += p->mlen;
	memcpy(o, p->period, p->plen);
	p->period = o;
	o += p->plen;
	memcpy(o, p->dims, p->dlen);
	p->dims = o;
	o += p->dlen;
	if (p->unit) {
		memcpy(o, p->unit, p->ulen);
		p->unit = o;
	}
	p->state = NULL;	/* --partial points are not evaluated */
}

/* The record's text, without the provenance the reader added. */
static void
keep_text(struct kpi_goal_run *run, struct item *it, const struct kpi_rec *r)
{
	struct kpi_rec *c = &run->scratch;
	size_t i, n = r->n;

	while (n > 0 && (strcmp(r->f[n - 1].key, "_src") == 0 ||
	    strcmp(r->f[n - 1].key, "_line") == 0))
		n--;
	kpi_rec_clear(c);
	for (i = 0; i < n; i++)
		kpi_rec_add(c, r->f[i].key, r->f[i].klen,
		    &r->f[i].v)->kclean = r->f[i].kclean;
	kpi_buf_reset(&run->b);
	kpi_json_put_rec(&run->b, c);
	kpi_buf_addc(&run->b, '\n');
	it->text = kpi_xmemdup(run->b.p, run->b.len);
	it->tlen = run->b.len;
}

/* A copy of it without its text and matches, for the tables.  Caller frees. */
static struct item *
stub(const struct item *it, size_t pi)
{
	struct item *c = kpi_xmalloc(sizeof(*c));

	memset(c, 0, sizeof(*c));
	c->p = it->p;
	c->grain = it->grain;
	c->pi = pi;
	own_strings(c);
	return c;
}

/* The key of an item in a table: its period label or its dims text. */
static const char *
key_of(const struct item *it, int dims, size_t *n)
{
	*n = dims ? it->p.dlen : it->p.plen;
	return dims ? it->p.dims : it->p.period;
}

/* The slot of key k[0..n) in t over items a: its own, or the free one. */
static size_t *
tab_slot(const struct tab *t, struct item *const *a, int dims, const char *k,
    size_t n)
{
	size_t h = (size_t)kpi_hash(0, k, n), kn;
	const char *kk;

	for (;; h++) {
		h &= t->cap - 1;
		if (t->slot[h] == 0)
			return &t->slot[h];
		kk = key_of(a[t->slot[h] - 1], dims, &kn);
		if (kn == n && memcmp(kk, k, n) == 0)
			return &t->slot[h];
	}
}

/*
 * The index of it's key among a[0..*n), adding a stub of it when new
 * (a period's knows its index); *added says which.
 */
static size_t
tab_get(struct tab *t, struct item ***a, size_t *n, size_t *cap, int dims,
    const struct item *it, int *added)
{
	size_t i, kn, *sl;
	const char *k = key_of(it, dims, &kn);

	if (2 * (*n + 1) > t->cap) {
		free(t->slot);
		t->cap = t->cap ? 2 * t->cap : 64;
		t->slot = kpi_xmalloc(t->cap * sizeof(*t->slot));
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
		for (i = 0; i < *n; i++) {
			k = key_of((*a)[i], dims, &kn);
			*tab_slot(t, *a, dims, k, kn) = i + 1;
		}
		k = key_of(it, dims, &kn);
	}
	sl = tab_slot(t, *a, dims, k, kn);
	if ((*added = *sl == 0)) {
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 16;
			*a = kpi_xrealloc(*a, *cap * sizeof(**a));
		}
		(*a)[*n] = stub(it, dims ? 0 : *n);
		*sl = ++*n;
	}
	return *sl - 1;
}

/* The index of it's period among the input's, noting it when new. */
static size_t
period_note(struct kpi_goal_run *run, const struct item *it)
{
	int added;

	return tab_get(&run->ptab, &run->per, &run->nper, &run->capper, 0, it,
	    &added);
}

/* Notes that it's series of goal x has a point in period pi. */
static void
series_note(struct gx *x, const struct item *it, size_t pi)
{
	size_t cap = x->cap, si, need;
	int added;

	si = tab_get(&x->tab, &x->ser, &x->n, &x->cap, 1, it, &added);
	if (x->cap != cap) {
		x->bits = kpi_xrealloc(x->bits, x->cap * sizeof(*x->bits));
		x->nbits = kpi_xrealloc(x->nbits, x->cap * sizeof(*x->nbits));
		x->past = kpi_xrealloc(x->past, x->cap * sizeof(*x->past));
		x->npast = kpi_xrealloc(x->npast, x->cap * sizeof(*x->npast));
	}
	if (added) {
		x->bits[si] = NULL;
		x->nbits[si] = 0;
		x->past[si] = NULL;
		x->npast[si] = 0;
	}
	if (!it->p.has_range)
		return;
	need = pi / 8 + 1;
	if (need > x->nbits[si]) {
		need = need > 2 * x->nbits[si] ? need : 2 * x->nbits[si];
		x->bits[si] = kpi_xrealloc(x->bits[si], need);
		memset(x->bits[si] + x->nbits[si], 0, need - x->nbits[si]);
		x->nbits[si] = need;
	}
	x->bits[si][pi / 8] |= (unsigned char)(1u << pi % 8);
}

static int step(struct kpi_goal_run *run, int final);

/* Reads record r into a new item.  Returns it, or NULL with err set. */
static struct item *
item_new(struct kpi_goal_run *run, const struct kpi_rec *r,
    struct kpi_err *err)
{
	struct item *it = kpi_xmalloc(sizeof(*it));
	size_t i;

	memset(it, 0, sizeof(*it));
	if (kpi_point_read(&it->p, r, err) < 0)
		goto fail;
	if (kpi_json_parse_object(&run->scratch, it->p.dims, it->p.dlen, 0,
	    err) < 0) {
		kpi_err_set(err, NULL, 0, 0, "not a point: bad 'dims'");
		goto fail;
	}
	it->match = kpi_xmalloc(run->gs->n ? run->gs->n : 1);
	for (i = 0; i < run->gs->n; i++)
		it->match[i] = strlen(run->gs->g[i].metric) == it->p.mlen &&
		    memcmp(run->gs->g[i].metric, it->p.metric,
		    it->p.mlen) == 0 && dims_fit(&run->scratch,
		    &run->gdims[i], run->gs->g[i].per);
	it->grain = label_grain(it->p.period, it->p.plen);
	keep_text(run, it, r);
	own_strings(it);
	return it;
fail:
	free(it->match);
	free(it);
	return NULL;
}

int
kpi_goal_run_add(struct kpi_goal_run *run, const struct kpi_rec *r,
    struct kpi_err *err)
{
	struct item *it = item_new(run, r, err);
	size_t i, pi = 0;

	if (it == NULL)
		return -1;
	if (run->werr) {	/* nothing more is written */
		item_free(it);
		return 0;
	}
	if (it->p.has_range)
		pi = period_note(run, it);
	for (i = 0; i < run->gs->n; i++)
		if (it->match[i])
			series_note(&run->gx[i], it, pi);
	if (it->p.has_range && it->p.end.t > run->max_end)
		run->max_end = it->p.end.t;
	if (run->n == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 64;
		run->it = kpi_xrealloc(run->it, run->cap * sizeof(*run->it));
	}
	it->seq = run->seq++;
	run->it[run->n++] = it;
	if (run->n >= run->hold)
		step(run, 0);
	return 0;
}

/* The instant of local midnight of day, in offset off. */
static long long
midnight(long long day, long off)
{
	return day * 86400 - off;
}

/* The local day of instant t in offset off. */
static long long
day_of(long long t, long off)
{
	long long s = t + off;

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* The month, quarter or year holding instant t, local to offset off. */
static void
grain_span(enum kpi_grain g, long long t, long off, struct frame *f)
{
	long long y, y2;
	unsigned m, d, m2;

	kpi_civil_from_days(day_of(t, off), &y, &m, &d);
	if (g == KPI_QUARTER)
		m = (m - 1) / 3 * 3 + 1;
	else if (g == KPI_YEAR)
		m = 1;
	m2 = m + (g == KPI_MONTH ? 1 : g == KPI_QUARTER ? 3 : 12);
	y2 = y + (m2 > 12);
	m2 = m2 > 12 ? m2 - 12 : m2;
	f->s = midnight(kpi_days_from_civil(y, m, 1), off);
	f->e = midnight(kpi_days_from_civil(y2, m2, 1), off);
	if (g == KPI_MONTH)
		snprintf(f->label, sizeof(f->label), "%04lld-%02u", y, m);
	else if (g == KPI_QUARTER)
		snprintf(f->label, sizeof(f->label), "%04lld-Q%u", y,
		    (m + 2) / 3);
	else
		snprintf(f->label, sizeof(f->label), "%04lld", y);
}

/* The clock, as seen by a point starting in offset off. */
static long long
clock_at(const struct kpi_goal_run *run, long off)
{
	if (run->opts.has_as_of)
		return midnight(run->opts.as_of_day + 1, off);
	return run->max_end;
}

/* Whether the point's values are to date within a longer timeframe. */
static int
cumulative(const struct kpi_goal_run *run, const struct item *it)
{
	return run->opts.cumulative != KPI_ALL &&
	    it->grain < run->opts.cumulative;
}

/* The goal's direction: its own, the catalogue's, else the point's. */
static int
direction(const struct kpi_goal_run *run, const struct kpi_goal *g,
    const struct kpi_point *p)
{
	struct kpi_metric_info info;
	long i;

	if (g->dir)
		return g->dir;
	if (run->defs && (i = kpi_defs_find(run->defs, g->metric,
	    strlen(g->metric))) >= 0) {
		kpi_defs_info(run->defs, (size_t)i, &info);
		return info.lower_better ? -1 : 1;
	}
	return p->lower_better ? -1 : 1;
}

/* Orders series by their dims text, any order that keeps each together. */
static int
cmp_dims(const char *d, size_t n, const struct item *b)
{
	if (n != b->p.dlen)
		return n < b->p.dlen ? -1 : 1;
	return memcmp(d, b->p.dims, n);
}

/* By series, then start, then input order. */
static int
cmp_ix(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a;
	const struct item *y = *(struct item *const *)b;
	int c = cmp_dims(x->p.dims, x->p.dlen, y);

	if (c)
		return c;
	if (x->p.start.t != y->p.start.t)
		return x->p.start.t < y->p.start.t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Indexes the held points of each goal. */
static void
index_goals(struct kpi_goal_run *run)
{
	size_t gi, i, n;

	unindex(run);
	run->ix = kpi_xmalloc((run->gs->n + 1) * sizeof(*run->ix));
	run->nix = kpi_xmalloc((run->gs->n + 1) * sizeof(*run->nix));
	for (gi = 0; gi < run->gs->n; gi++) {
		run->ix[gi] = kpi_xmalloc((run->n + 1) * sizeof(**run->ix));
		for (n = i = 0; i < run->n; i++)
			if (run->it[i]->match[gi])
				run->ix[gi][n++] = run->it[i];
		qsort(run->ix[gi], n, sizeof(**run->ix), cmp_ix);
		run->nix[gi] = n;
	}
}

/* The points of goal gi's series of dims d[0..n): ix[gi][*lo..*hi). */
static void
series(const struct kpi_goal_run *run, size_t gi, const char *d, size_t n,
    size_t *lo, size_t *hi)
{
	struct item **ix = run->ix[gi];
	size_t a = 0, b = run->nix[gi], m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (cmp_dims(d, n, ix[m]) > 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	for (b = run->nix[gi]; a < b;) {
		m = a + (b - a) / 2;
		if (cmp_dims(d, n, ix[m]) >= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
}

/* The earliest point of it's series (it itself when it has no other). */
static const struct item *
series_first(const struct kpi_goal_run *run, size_t gi, const struct item *it)
{
	size_t lo, hi;

	series(run, gi, it->p.dims, it->p.dlen, &lo, &hi);
	for (; lo < hi; lo++)
		if (run->ix[gi][lo]->p.has_range)
			return run->ix[gi][lo]->p.start.t < it->p.start.t ||
			    !it->p.has_range ? run->ix[gi][lo] : it;
	return it;
}

/* The timeframe of goal g at point it, and the clock in it. */
static void
frame_of(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    struct frame *f)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	long off = it->p.start.off;
	long long tv;

	memset(f, 0, sizeof(*f));
	snprintf(f->label, sizeof(f->label), "%.*s", (int)it->p.plen,
	    it->p.period);
	if (!it->p.has_range) {
		f->elapsed = 1;	/* the period "all" is over */
		return;
	}
	f->clock = clock_at(run, off);
	f->s = it->p.start.t;
	f->e = it->p.end.t;
	if (g->kind == KPI_GOAL_TARGET) {
		f->s = g->start_day != LLONG_MIN ?
		    midnight(g->start_day, off) :
		    series_first(run, gi, it)->p.start.t;
		f->e = midnight(g->deadline_day + 1, off);
	} else if (cumulative(run, it))
		grain_span(run->opts.cumulative, it->p.start.t, off, f);
	tv = f->clock < it->p.end.t ? f->clock : it->p.end.t;
	f->elapsed = f->e > f->s ? (double)(tv - f->s) / (double)(f->e - f->s)
	    : 1;
	f->elapsed = f->elapsed < 0 ? 0 : f->elapsed > 1 ? 1 : f->elapsed;
	f->open = f->clock < f->e;
}

/* Whether goal gi covers point it. */
static int
covers(const struct kpi_goal_run *run, size_t gi, const struct item *it)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	struct frame f;

	if (!it->match[gi])
		return 0;
	if (!it->p.has_range)
		return g->kind != KPI_GOAL_TARGET && !g->has_every;
	if (it->p.start.t >= clock_at(run, it->p.start.off))
		return 0;	/* after the clock: nothing to say yet */
	if (g->has_every && it->grain != g->every &&
	    !(run->opts.cumulative == g->every && it->grain < g->every))
		return 0;
	frame_of(run, gi, it, &f);
	if (g->kind == KPI_GOAL_TARGET && (it->p.end.t <= f.s ||
	    it->p.start.t >= f.e))
		return 0;
	return !isnan(kpi_goal_target_for(g, f.label, strlen(f.label))) ||
	    g->ntargets == 0;
}

/* One evaluation's numbers. */
struct result {
	struct kpi_verdict v;
	int dir;
	double target, baseline, expected, projected;
	int projection;		/* 0 none, 1 run rate, 2 trend */
	size_t points;
	int band;		/* the band's numbers follow */
	struct kpi_band bd;
};

/* A point's value, NAN for null. */
static double
val(const struct item *it)
{
	return it->p.value.null ? NAN : it->p.value.v;
}

/*
 * The points of it's series in timeframe f up to it's end, as (share of
 * f gone at each one's end, value): the trend's input.  Caller frees
 * *x and *y.
 */
static size_t
to_date(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    const struct frame *f, double **x, double **y)
{
	const struct item *o;
	size_t lo, hi, n = 0;
	long long tv;

	series(run, gi, it->p.dims, it->p.dlen, &lo, &hi);
	*x = kpi_xmalloc((hi - lo + 1) * sizeof(**x));
	*y = kpi_xmalloc((hi - lo + 1) * sizeof(**y));
	for (; lo < hi; lo++) {
		o = run->ix[gi][lo];
		if (!o->p.has_range || isnan(val(o)) || o->p.end.t > it->p.end.t ||
		    o->p.end.t <= f->s || o->p.start.t >= f->e ||
		    !covers(run, gi, o))
			continue;
		tv = f->clock < o->p.end.t ? f->clock : o->p.end.t;
		(*x)[n] = (double)(tv - f->s) / (double)(f->e - f->s);
		(*y)[n++] = val(o);
	}
	return n;
}

/* The projection: a trend from enough points to date, else a run rate. */
static void
project(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    const struct frame *f, double base, struct result *res)
{
	double *x, *y;
	size_t n = 0;

	if (run->gs->g[gi].kind == KPI_GOAL_TARGET ||
	    (f->e > f->s && cumulative(run, it)))
		n = to_date(run, gi, it, f, &x, &y);
	else
		x = y = NULL;
	if (n >= KPI_GOAL_TREND_MIN) {
		res->projected = kpi_goal_trend(x, y, n, 1);
		res->projection = 2;
		res->points = n;
	} else if (run->gs->g[gi].kind != KPI_GOAL_TARGET || !isnan(base)) {
		res->projected = kpi_goal_runrate(val(it), base, f->elapsed);
		res->projection = isnan(res->projected) ? 0 : 1;
	}
	free(x);
	free(y);
}

/* value_at() among the dropped points kept for no_data evaluations. */
static double
past_at(const struct gx *x, const struct item *it, long long t, int starting)
{
	const struct past *pa;
	size_t si, k;

	if (x->tab.cap == 0 || (si = *tab_slot(&x->tab, x->ser, 1, it->p.dims,
	    it->p.dlen)) == 0)
		return NAN;
	for (k = 0, pa = x->past[si - 1]; k < x->npast[si - 1]; k++)
		if (starting ? pa[k].s == t : (pa[k].s <= t && t < pa[k].e))
			return pa[k].v;
	return NAN;
}

/* The value of the series' point whose period holds instant t, or NAN. */
static double
value_at(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    long long t, int starting)
{
	const struct item *o;
	size_t lo, hi;

	series(run, gi, it->p.dims, it->p.dlen, &lo, &hi);
	for (; lo < hi; lo++) {
		o = run->ix[gi][lo];
		if (o->p.has_range && (starting ? o->p.start.t == t :
		    (o->p.start.t <= t && t < o->p.end.t)))
			return val(o);
	}
	return past_at(&run->gx[gi], it, t, starting);
}

/* A change goal's baseline: given, the point's prev, or found. */
static double
change_base(const struct kpi_goal_run *run, size_t gi, const struct item *it)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	long long y;
	unsigned m, d;

	if (!isnan(g->baseline))
		return g->baseline;
	if (it->p.has_compare)
		return it->p.prev.null ? NAN : it->p.prev.v;
	if (!it->p.has_range)
		return NAN;
	if (!g->against_year)
		return value_at(run, gi, it, it->p.start.t - 1, 0);
	kpi_civil_from_days(day_of(it->p.start.t, it->p.start.off), &y, &m,
	    &d);
	return value_at(run, gi, it, midnight(kpi_days_from_civil(y - 1, m,
	    d), it->p.start.off), 1);
}

static int
cmp_start(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/*
 * A band goal: the last window closed periods of the series before it.
 * Returns 0 with res->bd set, or -1 for too little history.
 */
static int
band(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    const struct frame *f, double x, struct result *res)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	const struct item *o;
	double *h, *last;
	size_t j, lo, hi, n = 0, w = (size_t)g->window;
	int rc = -1;

	series(run, gi, it->p.dims, it->p.dlen, &lo, &hi);
	h = kpi_xmalloc((hi - lo + 1) * 2 * sizeof(*h));
	for (; lo < hi; lo++) {
		o = run->ix[gi][lo];
		if (!o->p.has_range || isnan(val(o)) ||
		    o->p.end.t > it->p.start.t ||
		    o->p.end.t > f->clock)
			continue;
		h[2 * n] = (double)o->p.start.t;
		h[2 * n + 1] = val(o);
		n++;
	}
	if (n >= w && !isnan(x)) {
		qsort(h, n, 2 * sizeof(*h), cmp_start);
		last = kpi_xmalloc(w * sizeof(*last));
		for (j = 0; j < w; j++)
			last[j] = h[2 * (n - w + j) + 1];
		kpi_goal_band(x, last, w, g->z, res->dir, g->both, &res->bd);
		free(last);
		rc = 0;
	}
	free(h);
	return rc;
}

/* The status of a band goal. */
static void
band_verdict(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    const struct frame *f, struct result *res)
{
	double x = res->projection ? res->projected : val(it);

	res->band = 1;
	res->v.gap = res->v.progress = NAN;
	if (isnan(val(it)))
		res->v.status = KPI_ST_NO_DATA;
	else if (band(run, gi, it, f, x, res) < 0)
		res->v.status = KPI_ST_INSUFFICIENT;
	else if (res->bd.flag > 0)
		res->v.status = KPI_ST_AT_RISK;
	else if (res->bd.flag < 0)
		res->v.status = !f->open ? KPI_ST_MISSED :
		    f->elapsed < run->opts.early ? KPI_ST_AT_RISK :
		    KPI_ST_OFF_TRACK;
	else
		res->v.status = f->open ? KPI_ST_ON_TRACK : KPI_ST_MET;
	if (res->v.status == KPI_ST_NO_DATA ||
	    res->v.status == KPI_ST_INSUFFICIENT)
		res->bd.median = res->bd.score = res->bd.low = res->bd.high =
		    NAN;
}

/* Goal gi's verdict on point it. */
static void
evaluate(const struct kpi_goal_run *run, size_t gi, const struct item *it,
    struct result *res)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	struct kpi_verdict_in in;
	struct frame f;

	memset(res, 0, sizeof(*res));
	memset(&in, 0, sizeof(in));
	frame_of(run, gi, it, &f);
	res->dir = in.dir = direction(run, g, &it->p);
	in.kind = g->kind;
	in.value = val(it);
	in.target = kpi_goal_target_for(g, f.label, strlen(f.label));
	in.low = g->low;
	in.high = g->high;
	in.baseline = NAN;
	in.elapsed = res->expected = f.elapsed;
	in.open = f.open;
	in.at_risk = run->opts.at_risk;
	in.early = run->opts.early;
	res->projected = NAN;
	if (g->kind == KPI_GOAL_TARGET) {
		in.baseline = !isnan(g->baseline) ? g->baseline :
		    value_at(run, gi, it, f.s, 0);
		in.final = f.clock >= f.e && it->p.end.t >= f.e;
		in.open = !in.final;
		if (!in.final)
			project(run, gi, it, &f, in.baseline, res);
	} else if (g->kind == KPI_GOAL_CHANGE) {
		in.baseline = change_base(run, gi, it);
		in.target = in.baseline * (1 + g->change);
	}
	if (g->kind != KPI_GOAL_TARGET && f.open) {
		if (g->pace_runrate)
			project(run, gi, it, &f, NAN, res);
		else
			res->projected = in.value;
	}
	in.projected = g->kind == KPI_GOAL_TARGET ? NAN : res->projected;
	res->target = in.target;
	res->baseline = in.baseline;
	if (g->kind == KPI_GOAL_BAND)
		band_verdict(run, gi, it, &f, res);
	else
		kpi_goal_verdict(&in, &res->v);
}

static void
put_num(struct kpi_buf *b, const char *key, double v)
{
	struct kpi_maybe m = { v, isnan(v) };

	kpi_buf_adds(b, key);
	kpi_maybe_put(b, m);
}

/* The "goal" object. */
static void
put_goal(struct kpi_buf *b, const struct kpi_goal *g, const struct result *r)
{
	kpi_buf_adds(b, ",\"goal\":{\"name\":");
	kpi_json_put_str(b, g->name, strlen(g->name));
	kpi_buf_adds(b, ",\"kind\":\"");
	kpi_buf_adds(b, kpi_goal_kind_name(g->kind));
	kpi_buf_adds(b, r->dir > 0 ? "\",\"direction\":\"higher\"" :
	    "\",\"direction\":\"lower\"");
	put_num(b, ",\"target\":", r->target);
	if (g->kind == KPI_GOAL_BETWEEN) {
		put_num(b, ",\"low\":", g->low);
		put_num(b, ",\"high\":", g->high);
	}
	if (g->kind == KPI_GOAL_CHANGE)
		put_num(b, ",\"change\":", g->change);
	if (g->kind == KPI_GOAL_TARGET || g->kind == KPI_GOAL_CHANGE)
		put_num(b, ",\"baseline\":", r->baseline);
	if (g->deadline[0]) {
		kpi_buf_adds(b, ",\"deadline\":\"");
		kpi_buf_adds(b, g->deadline);
		kpi_buf_addc(b, '"');
	}
	kpi_buf_addc(b, '}');
}

/* How f's numbers show: the catalogue's format and unit, else the point's. */
static void
metric_show(const struct kpi_goal_run *run, const struct kpi_point *p,
    struct kpi_goal_fail *f)
{
	struct kpi_metric_info info;
	long i;

	f->format = p->format;
	f->unit = p->unit;
	f->ulen = p->ulen;
	if (run->defs && (i = kpi_defs_find(run->defs, p->metric,
	    p->mlen)) >= 0) {
		kpi_defs_info(run->defs, (size_t)i, &info);
		f->format = info.format;
		f->unit = info.unit;
		f->ulen = info.unit ? strlen(info.unit) : 0;
	}
}

/* Writes one evaluation of goal gi on point p; tells fail if it fails. */
static int
put_eval(struct kpi_goal_run *run, size_t gi,
    const struct kpi_point *p, const struct result *r)
{
	static const char *const proj[] = { "null", "\"run_rate\"",
	    "\"trend\"" };
	const struct kpi_goal *g = &run->gs->g[gi];
	struct kpi_buf *b = &run->b;
	struct kpi_goal_fail f;

	kpi_buf_reset(b);
	kpi_point_put_open(b, p);
	put_goal(b, g, r);
	kpi_buf_adds(b, ",\"status\":\"");
	kpi_buf_adds(b, kpi_goal_status_name(r->v.status));
	kpi_buf_addc(b, '"');
	put_num(b, ",\"target\":", r->target);
	put_num(b, ",\"gap\":", r->v.gap);
	put_num(b, ",\"progress\":", r->v.progress);
	put_num(b, ",\"expected\":", r->expected);
	put_num(b, ",\"projected\":", r->projected);
	kpi_buf_adds(b, ",\"projection\":");
	kpi_buf_adds(b, proj[r->projection]);
	put_num(b, ",\"projection_points\":", r->projection == 2 ?
	    (double)r->points : r->projection == 1 ? 1 : NAN);
	if (r->band) {
		put_num(b, ",\"score\":", r->bd.score);
		put_num(b, ",\"baseline\":", r->bd.median);
		put_num(b, ",\"low\":", r->bd.low);
		put_num(b, ",\"high\":", r->bd.high);
	}
	kpi_buf_adds(b, "}\n");
	if (kpi_out_write(run->o, b->p, b->len) < 0)
		return -1;
	if (run->fail && (run->opts.fail_on >> r->v.status & 1)) {
		kpi_buf_reset(b);
		kpi_buf_add(b, p->dims, p->dlen);
		kpi_buf_addc(b, '\0');
		kpi_buf_add(b, p->period, p->plen);
		kpi_buf_addc(b, '\0');
		f.goal = g->name;
		f.dims = b->p;
		f.period = b->p + p->dlen + 1;
		f.value = p->value.null ? NAN : p->value.v;
		f.target = r->target;
		f.status = r->v.status;
		metric_show(run, p, &f);
		run->fail(run->arg, &f);
	}
	return 0;
}

/* Periods in the input: the first point of each label, by start. */
static int
cmp_period(const void *a, const void *b)
{
	const struct item *x = *(struct item *const *)a;
	const struct item *y = *(struct item *const *)b;

	return x->p.start.t < y->p.start.t ? -1 : x->p.start.t > y->p.start.t;
}

/*
 * Whether goal gi would cover a point in t's period: of the grain of the
 * points it covers (mask), or of any when it covers none.
 */
static int
would_cover(const struct kpi_goal_run *run, size_t gi, const struct item *t,
    const struct item *fake, unsigned mask)
{
	const struct kpi_goal *g = &run->gs->g[gi];

	if (mask && !(mask >> t->grain & 1))
		return 0;	/* not the grain of the goal's points */
	if (!mask && g->kind == KPI_GOAL_TARGET && g->start_day == LLONG_MIN)
		return 0;	/* no start: the timeframe is unknown */
	return covers(run, gi, fake);
}

/* The point of a no_data evaluation: t's period, dims, value null. */
static void
nodata_point(const struct kpi_goal_run *run, const struct kpi_goal *g,
    const struct item *t, const char *dims, size_t dlen,
    const struct item *like, struct kpi_point *p)
{
	struct kpi_metric_info info;
	long k;

	kpi_point_init(p);
	p->metric = g->metric;
	p->mlen = strlen(g->metric);
	p->period = t->p.period;
	p->plen = t->p.plen;
	p->has_range = 1;
	p->start = t->p.start;
	p->end = t->p.end;
	p->dims = dims;
	p->dlen = dlen;
	if (run->defs && (k = kpi_defs_find(run->defs, p->metric,
	    p->mlen)) >= 0) {
		kpi_defs_info(run->defs, (size_t)k, &info);
		p->unit = info.unit;
		p->ulen = info.unit ? strlen(info.unit) : 0;
		p->format = info.format;
		p->lower_better = info.lower_better;
	} else if (like) {
		p->unit = like->p.unit;
		p->ulen = like->p.ulen;
		p->format = like->p.format;
		p->lower_better = like->p.lower_better;
	}
}

/* Whether series si of goal gi has a point in t's period. */
static int
has_point(const struct kpi_goal_run *run, size_t gi, size_t si,
    const struct item *t)
{
	const struct gx *x = &run->gx[gi];

	return si < x->n && t->pi / 8 < x->nbits[si] &&
	    (x->bits[si][t->pi / 8] >> t->pi % 8 & 1);
}

/* What nodata() needs for each of its evaluations. */
struct nodata {
	size_t gi;
	unsigned mask;		/* grains() */
	unsigned char *ones;	/* a match array that fits every goal */
};

/* The no_data evaluation of nd->gi, series si (like), in t's period. */
static int
put_nodata(struct kpi_goal_run *run, const struct nodata *nd,
    const struct item *t, size_t si)
{
	const struct kpi_goal *g = &run->gs->g[nd->gi];
	const struct item *like = si < run->gx[nd->gi].n ?
	    run->gx[nd->gi].ser[si] : NULL;
	struct item fake;
	struct result res;

	memset(&fake, 0, sizeof(fake));
	nodata_point(run, g, t, like ? like->p.dims : g->dims,
	    like ? like->p.dlen : strlen(g->dims), like, &fake.p);
	fake.grain = t->grain;
	fake.match = nd->ones;
	if (has_point(run, nd->gi, si, t) ||
	    !would_cover(run, nd->gi, t, &fake, nd->mask))
		return 0;
	evaluate(run, nd->gi, &fake, &res);
	res.v.status = KPI_ST_NO_DATA;
	res.projected = NAN;
	res.projection = 0;
	return put_eval(run, nd->gi, &fake.p, &res);
}

/*
 * Every no_data evaluation of goal gi: each series, in the order of its
 * first point in the input, each period.
 */
static int
nodata(struct kpi_goal_run *run, size_t gi, const struct item **per,
    size_t np, unsigned char *ones)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	struct nodata nd = { gi, run->gx[gi].mask, ones };
	size_t si, k;

	for (si = 0; si < run->gx[gi].n; si++)
		for (k = 0; k < np; k++)
			if (put_nodata(run, &nd, per[k], si) < 0)
				return -1;
	if (run->gx[gi].n > 0 || g->per != NULL)
		return 0;
	for (k = 0; k < np; k++)
		if (put_nodata(run, &nd, per[k], SIZE_MAX) < 0)
			return -1;
	return 0;
}

/* Writes held point it: its evaluations, or itself when no goal covers it. */
static int
put_item(struct kpi_goal_run *run, struct item *it)
{
	struct result res;
	size_t gi;
	int covered = 0;

	for (gi = 0; gi < run->gs->n; gi++) {
		if (!covers(run, gi, it))
			continue;
		covered = 1;
		run->gx[gi].mask |= 1u << it->grain;
		evaluate(run, gi, it, &res);
		if (put_eval(run, gi, &it->p, &res) < 0)
			return -1;
	}
	if (!covered && kpi_out_write(run->o, it->text, it->tlen) < 0)
		return -1;
	it->done = 1;
	free(it->text);
	it->text = NULL;
	return 0;
}

/*
 * Whether it's evaluations are known before the input ends: with the
 * clock at the latest end so far, only an open cumulative timeframe can
 * still close.
 */
static int
decided(const struct kpi_goal_run *run, const struct item *it)
{
	struct frame f;
	size_t gi;

	if (run->opts.has_as_of || !it->p.has_range || !cumulative(run, it))
		return 1;
	for (gi = 0; gi < run->gs->n; gi++) {
		if (!it->match[gi] || run->gs->g[gi].kind == KPI_GOAL_TARGET)
			continue;
		grain_span(run->opts.cumulative, it->p.start.t,
		    it->p.start.off, &f);
		if (f.e > run->max_end)
			return 0;
	}
	return 1;
}

/* Marks what later points of series ix[gi][lo..hi) may look back at. */
static void
keep_series(struct kpi_goal_run *run, size_t gi, size_t lo, size_t hi)
{
	const struct kpi_goal *g = &run->gs->g[gi];
	struct item *o, **ix = run->ix[gi];
	long long last = ix[hi - 1]->p.start.t, dl = LLONG_MAX;
	size_t k, valid = 0, first = 1;
	int year = (g->kind == KPI_GOAL_CHANGE && g->against_year) ||
	    run->opts.cumulative != KPI_ALL;

	if (g->kind == KPI_GOAL_TARGET && g->deadline_day != LLONG_MIN)
		dl = (g->deadline_day + 2) * 86400;
	for (k = lo; k < hi; k++)	/* what is still to write looks back too */
		if (!ix[k]->done && ix[k]->p.has_range) {
			last = ix[k]->p.start.t;
			break;
		}
	for (k = lo; k < hi; k++) {
		o = ix[k];
		if (!o->p.has_range || o->p.end.t >= last ||
		    (year && o->p.start.t >= last - KEEP_YEAR) ||
		    (g->kind == KPI_GOAL_TARGET && (first ||
		    o->p.start.t < dl)))
			o->mark = 1;
		first = first && !o->p.has_range;
	}
	for (k = hi; g->kind == KPI_GOAL_BAND && k-- > lo;) {
		o = ix[k];
		if (o->p.has_range && !isnan(val(o)) && o->p.end.t < last &&
		    valid++ <= (size_t)g->window)
			o->mark = 1;
	}
}

/* Whether ix[lo..hi) (by start) has a point starting at day's midnight. */
static int
has_start(struct item **ix, size_t lo, size_t hi, long long day, long off)
{
	long long t = midnight(day, off);
	size_t a = lo, b = hi, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (ix[m]->p.start.t < t)
			a = m + 1;
		else
			b = m;
	}
	return a < hi && ix[a]->p.start.t == t;
}

/*
 * Whether a no_data evaluation of change goal g may take ix[k] as its
 * baseline: the series has no point in the period after it (or a year
 * after; a 29 February's baseline is the 1 March before).
 */
static int
before_gap(const struct kpi_goal *g, struct item **ix, size_t k, size_t hi)
{
	const struct item *o = ix[k];
	long long y;
	unsigned m, d;

	if (!g->against_year)
		return k + 1 == hi || ix[k + 1]->p.start.t != o->p.end.t;
	kpi_civil_from_days(day_of(o->p.start.t, o->p.start.off), &y, &m, &d);
	if (!has_start(ix, k + 1, hi, kpi_days_from_civil(y + 1, m, d),
	    o->p.start.off))
		return 1;
	return m == 3 && d == 1 && !has_start(ix, k + 1, hi,
	    kpi_days_from_civil(y + 1, 3, 1) - 1, o->p.start.off);
}

/* Keeps what change goal gi's no_data evaluations need of what goes. */
static void
keep_past(struct kpi_goal_run *run, size_t gi, size_t lo, size_t hi)
{
	struct gx *x = &run->gx[gi];
	struct item *o, **ix = run->ix[gi];
	struct past *pa;
	size_t si, k;

	if (run->gs->g[gi].kind != KPI_GOAL_CHANGE)
		return;
	si = *tab_slot(&x->tab, x->ser, 1, ix[lo]->p.dims, ix[lo]->p.dlen) - 1;
	for (k = lo; k < hi; k++) {
		o = ix[k];
		if (o->mark || !o->p.has_range ||
		    !before_gap(&run->gs->g[gi], ix, k, hi))
			continue;
		x->past[si] = kpi_xrealloc(x->past[si], (x->npast[si] + 1) *
		    sizeof(*x->past[si]));
		pa = &x->past[si][x->npast[si]++];
		pa->s = o->p.start.t;
		pa->e = o->p.end.t;
		pa->v = val(o);
	}
}

/* Calls fn on each series of goal gi: ix[gi][lo..hi). */
static void
each_series(struct kpi_goal_run *run, size_t gi,
    void (*fn)(struct kpi_goal_run *, size_t, size_t, size_t))
{
	struct item **ix = run->ix[gi];
	size_t i, lo;

	for (lo = i = 0; i < run->nix[gi]; i++)
		if (i + 1 == run->nix[gi] || cmp_dims(ix[i]->p.dims,
		    ix[i]->p.dlen, ix[i + 1]) != 0) {
			fn(run, gi, lo, i + 1);
			lo = i + 1;
		}
}

/* Frees the written points no later point can look back at. */
static void
prune(struct kpi_goal_run *run)
{
	size_t gi, i, j;

	for (i = 0; i < run->n; i++)
		run->it[i]->mark = !run->it[i]->done;
	for (gi = 0; gi < run->gs->n; gi++)
		each_series(run, gi, keep_series);
	for (gi = 0; gi < run->gs->n; gi++)
		each_series(run, gi, keep_past);
	unindex(run);
	for (i = j = 0; i < run->n; i++)
		if (run->it[i]->mark)
			run->it[j++] = run->it[i];
		else
			item_free(run->it[i]);
	run->n = j;
}

/*
 * An evaluation pass: writes the held points in input order up to the
 * first whose verdict is not known yet (final: all of them), then, before
 * the input ends, drops what no later point needs.
 */
static int
step(struct kpi_goal_run *run, int final)
{
	size_t i;

	index_goals(run);
	for (i = 0; !run->werr && i < run->n; i++) {
		if (run->it[i]->done)
			continue;
		if (!final && !decided(run, run->it[i]))
			break;
		if (put_item(run, run->it[i]) < 0)
			run->werr = 1;
	}
	if (!final) {
		prune(run);
		run->hold = 2 * run->n + (run->opts.hold ? run->opts.hold :
		    KPI_GOAL_HOLD);
	}
	return run->werr ? -1 : 0;
}

int
kpi_goal_run_end(struct kpi_goal_run *run)
{
	const struct item **per;
	unsigned char *ones;
	size_t gi;

	if (step(run, 1) < 0)
		return -1;
	per = kpi_xmalloc((run->nper + 1) * sizeof(*per));
	if (run->nper > 0)
		memcpy(per, run->per, run->nper * sizeof(*per));
	qsort(per, run->nper, sizeof(*per), cmp_period);
	ones = kpi_xmalloc(run->gs->n + 1);
	memset(ones, 1, run->gs->n + 1);
	for (gi = 0; !run->werr && gi < run->gs->n; gi++)
		if (nodata(run, gi, per, run->nper, ones) < 0)
			run->werr = 1;
	free(per);
	free(ones);
	return run->werr ? -1 : 0;
}
