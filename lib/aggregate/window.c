/*
 * window.c - what a point covers beyond its own period: the trailing
 * periods of --rolling, the periods to date of --cumulative, the period
 * --compare sets it against, and the entity counts over such windows
 * (new, returning, retained, churned against the window before).
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/agg.h"
#include "aggregate/series.h"

/*
 * The period --compare sets p against, by calendar: the one before, n
 * before, or the same a year before: 12 months, 4 quarters, 1 year, 52
 * weeks (the same weekdays, as retail compares), or for days the same
 * date (29 February against the 28th).
 */
static void
compare_period(const struct kpi_agg *a, const struct kpi_period *p,
    struct kpi_period *q)
{
	static const long long per_year[] = {
		[KPI_WEEK] = 52, [KPI_MONTH] = 12, [KPI_QUARTER] = 4,
		[KPI_YEAR] = 1
	};
	const struct kpi_calendar *cal = &a->o.cal;
	long long days, y;
	unsigned m, d;
	long off;

	if (a->o.compare == KPI_CMP_PREVIOUS)
		kpi_period_shift(cal, p, -1, q);
	else if (a->o.compare == KPI_CMP_BACK)
		kpi_period_shift(cal, p, -a->o.compare_n, q);
	else if (cal->grain != KPI_DAY)
		kpi_period_shift(cal, p, -per_year[cal->grain], q);
	else {
		off = cal->tz ? kpi_tz_offset(cal->tz, p->start) : 0;
		days = (p->start + off) / 86400 - ((p->start + off) % 86400 < 0);
		kpi_civil_from_days(days, &y, &m, &d);
		if (m == 2 && d == 29)
			d = 28;
		days = kpi_days_from_civil(y - 1, m, d);
		kpi_period_of(cal, cal->tz ? kpi_tz_from_local(cal->tz,
		    days * 86400) : days * 86400, q);
	}
}

/* Whether metric mi is computed from balances alone: a level. */
static int
level_metric(const struct kpi_agg *a, size_t mi)
{
	size_t b;
	int any = 0;

	for (b = 0; b < a->d->nbase; b++)
		if (a->dep[mi * a->d->nbase + b]) {
			if (a->bal[b] == NULL)
				return 0;
			any = 1;
		}
	return any;
}

/*
 * The group of g's dims with the latest period up to idx, whose level a
 * period without rows of those dims has; NULL when there is none.
 */
static const struct group *
level_group(const struct group *g, const struct emit *e, long long idx)
{
	const struct group *h;
	size_t k;

	for (k = g->pos; k-- > 0; ) {
		h = e->gs[k];
		if (h->dlen != g->dlen || memcmp(h->dims, g->dims, g->dlen) != 0)
			break;
		if (h->per.index <= idx)
			return h;
	}
	return NULL;
}

/*
 * --compare: the value of metric e->mi in the period g is compared with,
 * and the changes from it, into p (whose value is set).  A % change
 * against zero or nothing is null; percentage points are for percents.
 * A level compared with a period without rows has the level it carried.
 */
void
compare_fill(const struct kpi_agg *a, const struct group *g,
    const struct emit *e, struct kpi_point *p)
{
	const struct group *pg;
	struct kpi_period q;
	double v = p->value.v, prev = 0, d;
	int null = p->value.null, pnull = 1;

	compare_period(a, &g->per, &q);
	pg = group_find(a, q.index, g->dims, g->dlen);
	if (pg == NULL && level_metric(a, e->mi))
		pg = level_group(g, e, q.index);
	if (pg != NULL) {
		prev = e->vals[pg->pos * e->nm + e->mi];
		pnull = e->null[pg->pos * e->nm + e->mi];
	}
	d = null || pnull ? 0 : kpi_dec_sub(v, prev);
	p->has_compare = 1;
	p->prev = (struct kpi_maybe){ prev, pnull };
	p->change = (struct kpi_maybe){ d, null || pnull };
	p->pct_change = (struct kpi_maybe){ d / fabs(prev),
	    null || pnull || prev == 0 };
	/* Percentage points: 0.018 to 0.022 is +0.4. */
	p->has_pp = p->format == KPI_MFMT_PERCENT;
	p->pp_change = (struct kpi_maybe){ d * 100, null || pnull };
}

/* The first period index of a point's window that starts at or after t. */
static long long
first_from(const struct kpi_calendar *cal, long long t)
{
	struct kpi_period p;

	kpi_period_of(cal, t, &p);
	return p.start < t ? p.index + 1 : p.index;
}

/*
 * The period indexes of the rows a point of g covers, [*lo, g's], and of
 * the window before it, [*plo, *lo - 1]: the period before; the N before
 * the trailing N; the month, quarter or year before the one to date.
 */
static void
window_range(const struct kpi_agg *a, const struct group *g, long long *lo,
    long long *plo)
{
	struct kpi_calendar cc = a->o.cal;
	struct kpi_period bucket, before;

	if (a->o.rolling) {
		*lo = g->per.index - a->o.rolling + 1;
		*plo = *lo - a->o.rolling;
	} else if (a->o.cumulative) {
		cc.grain = (enum kpi_grain)a->o.cumulative;
		kpi_period_of(&cc, g->per.start, &bucket);
		kpi_period_shift(&cc, &bucket, -1, &before);
		*lo = first_from(&a->o.cal, bucket.start);
		*plo = first_from(&a->o.cal, before.start);
	} else {
		*lo = g->per.index;
		*plo = *lo - 1;
	}
}

/*
 * --rolling and --cumulative: the groups (same dims) whose rows a point of
 * g covers, newest first.  At most max.
 */
static size_t
window(const struct kpi_agg *a, const struct group *g,
    const struct group **out, size_t max)
{
	const struct group *h;
	long long idx, lo, plo;
	size_t n = 0;

	window_range(a, g, &lo, &plo);
	for (idx = g->per.index; idx >= lo && n < max; idx--)
		if ((h = group_find(a, idx, g->dims, g->dlen)) != NULL)
			out[n++] = h;
	return n;
}

/* The states of a window's groups merged into st (new states; NULL for
   a balance, which window_balances gives). */
void
window_states(const struct kpi_agg *a, const struct group *g,
    struct kpi_rstate **st, const struct group **w, size_t max)
{
	size_t i, k, n = window(a, g, w, max);

	for (i = 0; i < a->d->n; i++) {
		if (!a->d->m[i].base)
			continue;
		st[a->d->m[i].slot] = NULL;
		if (a->d->m[i].ent != ENT_NONE ||
		    a->bal[a->d->m[i].slot] != NULL)
			continue;
		st[a->d->m[i].slot] = kpi_rstate_new(a->d->m[i].red,
		    a->d->m[i].pct);
		for (k = 0; k < n; k++)
			kpi_rstate_merge(st[a->d->m[i].slot],
			    w[k]->st[a->d->m[i].slot]);
	}
}

/* By period, then dims. */
static int
dgroup_cmp(const void *x, const void *y)
{
	const struct dgroup *a = x, *b = y;

	if (a->g->per.index != b->g->per.index)
		return a->g->per.index < b->g->per.index ? -1 : 1;
	return (a->dims > b->dims) - (a->dims < b->dims);
}

/* The total of period idx among gs[0..a->ntot), or a->ntot. */
static size_t
total_of(const struct kpi_agg *a, struct group *const *gs, long long idx)
{
	size_t l = 0, h = a->ntot, e;

	while (l < h) {
		e = l + (h - l) / 2;
		if (gs[e]->per.index < idx)
			l = e + 1;
		else
			h = e;
	}
	return l < a->ntot && gs[l]->per.index == idx ? l : a->ntot;
}

/*
 * A --total's level is every series of its groups, so its sum is theirs:
 * each dims' level, made here one at a time as window_balances makes it,
 * puts each change of its sum into the sum of its period's total too, and
 * the total's level at a period is the sum of those up to it.  Exact sums
 * add up exactly, so that is the level's value to the bit, without a
 * table of every series of every dims.
 */
static void
total_sums(struct kpi_agg *a, struct group *const *gs, size_t n, size_t slot)
{
	struct smap lv;
	size_t k, t;

	memset(&lv, 0, sizeof(lv));
	for (k = a->ntot; k < n; k++) {
		if (k == a->ntot || gs[k - 1]->dlen != gs[k]->dlen ||
		    memcmp(gs[k - 1]->dims, gs[k]->dims, gs[k]->dlen) != 0) {
			smap_release(&lv);
			memset(&lv, 0, sizeof(lv));
			smap_level(&lv);
		}
		if ((t = total_of(a, gs, gs[k]->per.index)) == a->ntot)
			continue;	/* no total: none is written */
		lv.also = a->tsum[slot * a->ntot + t];
		smap_merge(&lv, rstate_series(gs[k]->st[slot]));
	}
	smap_release(&lv);
}

/*
 * With --by, the --total is the one group of dims {}, first in gs; the
 * others' dims are numbered in their order there, bytewise, which is the
 * order of their series' keys in a --partial state.
 */
void
series_index(struct kpi_agg *a, struct group *const *gs, size_t n)
{
	size_t i, k = 0;
	uint32_t dims = 0;
	int any = 0;

	for (i = 0; i < a->d->nbase; i++)
		any |= a->bal[i] != NULL;
	if (!any || a->o.nby == 0)
		return;
	a->byper = kpi_xmalloc((n + 1) * sizeof(*a->byper));
	for (i = 0; i < n; i++) {
		if (gs[i]->dlen == 2)
			continue;
		if (k > 0 && (gs[i]->dlen != a->byper[k - 1].g->dlen ||
		    memcmp(gs[i]->dims, a->byper[k - 1].g->dims,
		    gs[i]->dlen) != 0))
			dims++;
		a->byper[k].g = gs[i];
		a->byper[k++].dims = dims;
	}
	qsort(a->byper, k, sizeof(*a->byper), dgroup_cmp);
	a->nbyper = k;
	for (a->ntot = 0; a->ntot < n && gs[a->ntot]->dlen == 2; a->ntot++)
		;
	a->tsum = kpi_xmalloc((a->d->nbase * a->ntot + 1) * sizeof(*a->tsum));
	for (i = 0; i < a->d->nbase * a->ntot; i++)
		a->tsum[i] = ssum_new();
	for (i = 0; a->ntot > 0 && i < a->d->nbase; i++)
		if (a->bal[i] != NULL)
			total_sums(a, gs, n, i);
}

void
series_index_free(struct kpi_agg *a)
{
	size_t i;

	for (i = 0; a->tsum != NULL && i < a->d->nbase * a->ntot; i++)
		ssum_free(a->tsum[i]);
	free(a->tsum);
	free(a->byper);
	a->tsum = NULL;
	a->byper = NULL;
	a->nbyper = a->ntot = 0;
}

int
series_total(const struct kpi_agg *a, const struct group *g, size_t slot,
    size_t *lo, size_t *n)
{
	size_t l = 0, h = a->nbyper, e;

	if (a->byper == NULL || g->dlen != 2 ||
	    !smap_empty(rstate_series(g->st[slot])))
		return 0;
	while (l < h) {
		e = l + (h - l) / 2;
		if (a->byper[e].g->per.index < g->per.index)
			l = e + 1;
		else
			h = e;
	}
	for (e = l; e < a->nbyper && a->byper[e].g->per.index ==
	    g->per.index; e++)
		;
	*lo = l;
	*n = e - l;
	return 1;
}

/*
 * A balance is a level, such as MRR or stock: its value at a point is the
 * level at the end of the point's period, each series' latest value up to
 * then, carried over periods without rows.  So it is the same under
 * --rolling and --cumulative as without them (the level at a window's
 * end is the level at its last period's end), and a --fill period or the
 * --total of a period where some group had no rows keeps their last
 * value.  gs is in point order, so the periods of one dims come together,
 * oldest first, and one running level per balance serves them all; a
 * --total's takes the sums of its periods' changes (total_sums).
 */
void
window_balances(const struct kpi_agg *a, struct group *const *gs, size_t k,
    struct kpi_rstate **run)
{
	const struct metric *m;
	size_t i, lo, n;
	struct smap *r;
	int fresh;

	fresh = k == 0 || gs[k - 1]->dlen != gs[k]->dlen ||
	    memcmp(gs[k - 1]->dims, gs[k]->dims, gs[k]->dlen) != 0;
	for (i = 0; i < a->d->nbase; i++) {
		if ((m = a->bal[i]) == NULL)
			continue;
		if (fresh) {
			kpi_rstate_free(run[i]);
			run[i] = kpi_rstate_new(m->red, m->pct);
			smap_level(rstate_series(run[i]));
		}
		r = rstate_series(run[i]);
		if (series_total(a, gs[k], i, &lo, &n))
			smap_add_sum(r, a->tsum[i * a->ntot + k]);
		else
			smap_merge(r, rstate_series(gs[k]->st[i]));
	}
}

/*
 * The entities of set e in the periods [lo, hi] of g's dims: a group's own
 * set, or their union in tmp (initialised here; the caller releases it).
 */
static const struct kpi_eset *
ent_union(const struct kpi_agg *a, const struct group *g, size_t e,
    long long lo, long long hi, struct kpi_eset *tmp)
{
	const struct group *h;
	long long idx;

	kpi_eset_init(tmp);
	if (lo == hi && lo == g->per.index)
		return &g->es[e];
	if (lo == hi)
		return (h = group_find(a, lo, g->dims, g->dlen)) != NULL ?
		    &h->es[e] : tmp;
	for (idx = lo; idx <= hi; idx++)
		if ((h = group_find(a, idx, g->dims, g->dlen)) != NULL)
			kpi_eset_merge(tmp, &h->es[e]);
	kpi_eset_settle(tmp);
	return tmp;
}

/* The counts of one entity set for one point. */
struct ecount {
	const struct kpi_eset *prev;	/* the window before */
	struct kpi_eset_iter pit;	/* a walk over prev, behind e */
	uint32_t pe;			/* its entity, while phas */
	int phas;
	const struct kpi_ents *ents;	/* each entity's first period */
	long long lo;			/* the window's first period */
	size_t n, fresh, repeat, retained;
};

/* Counts e, given by increasing number: prev is walked beside it. */
static void
ent_count(void *arg, uint32_t e, int many)
{
	struct ecount *c = arg;
	int pmany;

	c->n++;
	c->fresh += kpi_ents_first(c->ents, e) >= c->lo;
	c->repeat += many != 0;
	while (c->phas && c->pe < e)
		c->phas = kpi_eset_next(&c->pit, &c->pe, &pmany);
	c->retained += c->phas && c->pe == e;
}

/* Whether a metric of entity set e compares with the window before. */
static int
ent_wants_prev(const struct kpi_agg *a, size_t e)
{
	size_t i;

	for (i = 0; i < a->d->n; i++)
		if (a->d->m[i].eslot == e && (a->d->m[i].ent == ENT_RETAINED ||
		    a->d->m[i].ent == ENT_CHURNED))
			return 1;
	return 0;
}

/* The entity reducers' values for a point of g. */
void
window_ent_values(const struct kpi_agg *a, const struct group *g, double *vals,
    unsigned char *null)
{
	const struct metric *m;
	struct kpi_eset cur, prev;
	struct ecount c;
	long long lo, plo;
	size_t e, i;
	int pmany;

	window_range(a, g, &lo, &plo);
	for (e = 0; e < a->d->nent; e++) {
		memset(&c, 0, sizeof(c));
		/* The window before only for retained and churned. */
		kpi_eset_init(&prev);
		c.prev = ent_wants_prev(a, e) ?
		    ent_union(a, g, e, plo, lo - 1, &prev) : &prev;
		kpi_eset_iter_init(&c.pit, c.prev);
		c.phas = kpi_eset_next(&c.pit, &c.pe, &pmany);
		c.ents = &a->ents[e];
		c.lo = lo;
		kpi_eset_each(ent_union(a, g, e, lo, g->per.index, &cur),
		    ent_count, &c);
		for (i = 0; i < a->d->n; i++) {
			m = &a->d->m[i];
			if (m->ent == ENT_NONE || m->eslot != e)
				continue;
			null[i] = 0;
			switch (m->ent) {
			case ENT_NEW:
				vals[i] = (double)c.fresh;
				break;
			case ENT_RETURNING:
				vals[i] = (double)(c.n - c.fresh);
				break;
			case ENT_REPEAT:
				vals[i] = (double)c.repeat;
				break;
			case ENT_DISTINCT:
				vals[i] = (double)c.n;
				break;
			case ENT_RETAINED:
				vals[i] = (double)c.retained;
				null[i] = a->o.cal.grain == KPI_ALL;
				break;
			default:
				vals[i] = (double)(c.prev->len - c.retained);
				null[i] = a->o.cal.grain == KPI_ALL;
				break;
			}
		}
		kpi_eset_release(&cur);
		kpi_eset_release(&prev);
	}
}
