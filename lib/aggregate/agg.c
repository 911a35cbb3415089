/*
 * agg.c - typed rows to metric points: a hash table of groups, one per
 * period and set of dimension values, each holding one reducer state per
 * base metric.  Derived metrics are computed per group from those states
 * at the end, so every grain (and the --total rollup) gets its ratios from
 * its own totals.  Memory grows with groups, not rows.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/agg.h"
#include "aggregate/series.h"

/* A filled group's states are the shared empty ones: not its own. */
static void
group_free(const struct kpi_defs *d, struct group *g)
{
	size_t i;

	for (i = 0; !g->filled && i < d->nbase; i++)
		kpi_rstate_free(g->st[i]);
	for (i = 0; i < d->nent; i++)
		kpi_eset_release(&g->es[i]);
	free(g);
}

/*
 * The periods --from and --to report, as indexes; with --every all, the
 * instants of the rows counted: from --from's midnight to the midnight
 * that ends --to's day.
 */
static void
range_init(struct kpi_agg *a)
{
	struct kpi_calendar day = a->o.cal;
	struct kpi_period p;

	a->first = LLONG_MIN;
	a->last = LLONG_MAX;
	a->tfrom = a->o.from;
	a->tto = LLONG_MAX;
	day.grain = KPI_DAY;
	if (a->o.to != LLONG_MAX) {
		kpi_period_of(&day, a->o.to, &p);
		a->tto = p.end;
	}
	if (a->o.cal.grain == KPI_ALL)
		return;
	if (a->o.from != LLONG_MIN) {
		kpi_period_of(&a->o.cal, a->o.from, &p);
		a->first = p.index;
	}
	if (a->o.to != LLONG_MAX) {
		kpi_period_of(&a->o.cal, a->o.to, &p);
		a->last = p.index;
	}
}

/* No dims met yet; each --by field's length. */
static void
dims_init(struct kpi_agg *a)
{
	struct dims *dm = &a->dm;
	size_t i, n = a->o.nby + 1;

	dm->hint = kpi_xmalloc(n * sizeof(*dm->hint));
	memset(dm->hint, 0xff, n * sizeof(*dm->hint));
	dm->len = kpi_xmalloc(n * sizeof(*dm->len));
	for (i = 0; i < a->o.nby; i++)
		dm->len[i] = strlen(a->o.by[i]);
	dm->f = kpi_xmalloc(n * sizeof(*dm->f));
	kpi_buf_init(&dm->raw);
	kpi_buf_init(&dm->store);
	dm->tab = NULL;
	dm->cap = dm->n = 0;
	dm->ent = 0;
	dm->last = dm->total = NULL;
}

static void
dims_release(struct dims *dm)
{
	free(dm->hint);
	free(dm->len);
	free(dm->f);
	kpi_buf_release(&dm->raw);
	kpi_buf_release(&dm->store);
	free(dm->tab);
}

struct kpi_agg *
kpi_agg_new(const struct kpi_defs *d, const struct kpi_agg_opts *o)
{
	struct kpi_agg *a;
	struct kpi_err err;
	size_t i;

	a = kpi_xmalloc(sizeof(*a));
	memset(a, 0, sizeof(*a));
	a->d = d;
	a->o = *o;
	a->cap = 1024;
	a->lo = LLONG_MAX;
	a->hi = LLONG_MIN;
	range_init(a);
	kpi_period_memo_init(&a->pmemo);
	a->write = kpi_xmalloc(d->n + 1);
	a->tab = kpi_xmalloc(a->cap * sizeof(*a->tab));
	memset(a->tab, 0, a->cap * sizeof(*a->tab));
	a->tf = kpi_timefmt_compile("auto", &err);
	kpi_buf_init(&a->key);
	dims_init(a);
	a->htime = a->hend = a->hds = (size_t)-1;
	for (i = 0; i < d->n; i++)
		a->anyds |= d->m[i].base && d->m[i].dataset != NULL;
	kpi_buf_init(&a->rtext);
	kpi_buf_init(&a->pt);
	a->hint = kpi_xmalloc((d->nbase + 1) * sizeof(*a->hint));
	memset(a->hint, 0xff, (d->nbase + 1) * sizeof(*a->hint));
	a->vals = kpi_xmalloc((d->nbase + 1) * sizeof(*a->vals));
	a->skip = kpi_xmalloc(d->nbase + 1);
	a->seen = kpi_xmalloc(d->nbase + 1);
	memset(a->seen, 0, d->nbase + 1);
	a->ents = kpi_xmalloc((d->nent + 1) * sizeof(*a->ents));
	a->erep = kpi_xmalloc((d->nent + 1) * sizeof(*a->erep));
	a->erow = kpi_xmalloc((EROWS * d->nent + 1) * sizeof(*a->erow));
	for (i = 0; i < EROWS * d->nent; i++)
		kpi_buf_init(&a->erow[i].id);
	a->efirst = kpi_xmalloc(d->nent + 1);
	memset(a->efirst, 0, d->nent + 1);
	for (i = 0; i < d->nent; i++)
		kpi_ents_init(&a->ents[i]);
	for (i = d->n; i-- > 0; )
		if (d->m[i].ent != ENT_NONE) {
			a->erep[d->m[i].eslot] = i;
			a->efirst[d->m[i].eslot] |= d->m[i].ent == ENT_NEW ||
			    d->m[i].ent == ENT_RETURNING;
		}
	kpi_buf_init(&a->etext);
	a->bal = kpi_xmalloc((d->nbase + 1) * sizeof(*a->bal));
	a->bent = kpi_xmalloc((d->nbase + 1) * sizeof(*a->bent));
	memset(a->bal, 0, (d->nbase + 1) * sizeof(*a->bal));
	for (i = 0; i < d->n; i++)
		if (d->m[i].base && d->m[i].ent == ENT_NONE &&
		    d->m[i].red == KPI_R_BALANCE)
			a->bal[d->m[i].slot] = &d->m[i];
	kpi_buf_init(&a->skey);
	a->sids = kpi_xmalloc((d->nbase + 1) * sizeof(*a->sids));
	for (i = 0; i < d->nbase; i++)
		kpi_ents_init(&a->sids[i]);
	kpi_rec_init(&a->srec);
	agg_carry(a);
	a->tmp = kpi_xmalloc((d->nbase + 1) * sizeof(*a->tmp));
	a->empty = kpi_xmalloc((d->nbase + 1) * sizeof(*a->empty));
	for (i = 0; i < d->n; i++)
		if (d->m[i].base) {
			a->tmp[d->m[i].slot] = !o->merge ||
			    d->m[i].ent != ENT_NONE ? NULL :
			    kpi_rstate_new(d->m[i].red, d->m[i].pct);
			a->empty[d->m[i].slot] = d->m[i].ent != ENT_NONE ?
			    NULL : kpi_rstate_new(d->m[i].red, d->m[i].pct);
		}
	return a;
}

void
kpi_agg_free(struct kpi_agg *a)
{
	struct group *g, *next;
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = next) {
			next = g->next;
			group_free(a->d, g);
		}
	free(a->tab);
	kpi_timefmt_free(a->tf);
	kpi_buf_release(&a->key);
	dims_release(&a->dm);
	kpi_buf_release(&a->rtext);
	kpi_buf_release(&a->pt);
	free(a->hint);
	free(a->vals);
	free(a->skip);
	free(a->seen);
	free(a->write);
	for (i = 0; i < a->d->nent; i++)
		kpi_ents_release(&a->ents[i]);
	free(a->ents);
	free(a->erep);
	for (i = 0; i < EROWS * a->d->nent; i++)
		kpi_buf_release(&a->erow[i].id);
	free(a->erow);
	free(a->efirst);
	kpi_buf_release(&a->etext);
	free(a->bal);
	free(a->bent);
	kpi_buf_release(&a->skey);
	kpi_rec_release(&a->srec);
	for (i = 0; i < a->d->n; i++)
		free(a->carry[i]);
	free(a->carry);
	free(a->ncarry);
	free(a->dep);
	for (i = 0; i < a->d->nbase; i++) {
		kpi_rstate_free(a->tmp[i]);
		kpi_rstate_free(a->empty[i]);
	}
	free(a->tmp);
	free(a->empty);
	for (i = 0; i < a->d->nbase; i++)
		kpi_ents_release(&a->sids[i]);
	free(a->sids);
	series_index_free(a);
	free(a);
}

size_t
kpi_agg_groups(const struct kpi_agg *a)
{
	return a->shown;
}

size_t
kpi_agg_points(const struct kpi_agg *a)
{
	return a->points;
}

static void
grow(struct kpi_agg *a)
{
	struct group **tab, *g, *next;
	size_t i, cap = a->cap * 2;

	tab = kpi_xmalloc(cap * sizeof(*tab));
	memset(tab, 0, cap * sizeof(*tab));
	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = next) {
			next = g->next;
			g->next = tab[g->hash & (cap - 1)];
			tab[g->hash & (cap - 1)] = g;
		}
	free(a->tab);
	a->tab = tab;
	a->cap = cap;
}

/*
 * A new group in one block: the group, its state pointers, entity sets,
 * --merge flags and dims text, so that a group of a --by over a million
 * values or a period --fill makes costs one allocation.  A filled group
 * (no rows) points at the shared empty states rather than own any.
 */
static struct group *
group_new(struct kpi_agg *a, const struct kpi_period *p, const char *s,
    size_t n, uint64_t h, int filled)
{
	const struct kpi_defs *d = a->d;
	size_t i, nl = a->o.merge ? d->nbase + 1 : 0;
	struct group *g;
	char *q;

	q = kpi_xmalloc(sizeof(*g) + (d->nbase + 1) * sizeof(*g->st) +
	    d->nent * sizeof(*g->es) + nl + n + 1);
	g = (struct group *)(void *)q;
	g->st = (struct kpi_rstate **)(void *)(q += sizeof(*g));
	g->es = (struct kpi_eset *)(void *)(q += (d->nbase + 1) *
	    sizeof(*g->st));
	g->loaded = nl ? (unsigned char *)(q += d->nent * sizeof(*g->es)) :
	    NULL;
	g->dims = nl ? (q += nl) : (q += d->nent * sizeof(*g->es));
	memcpy(g->dims, s, n);
	g->dims[n] = '\0';
	g->dlen = n;
	g->per = *p;
	g->hash = h;
	g->filled = filled;
	for (i = 0; i < d->n; i++)
		if (d->m[i].base)
			g->st[d->m[i].slot] = d->m[i].ent != ENT_NONE ? NULL :
			    filled ? a->empty[d->m[i].slot] :
			    kpi_rstate_new(d->m[i].red, d->m[i].pct);
	for (i = 0; i < d->nent; i++)
		kpi_eset_init(&g->es[i]);
	if (nl)
		memset(g->loaded, 0, nl);
	return g;
}

/*
 * A group's hash: its dims text's, th (kpi_hash(0, text)), with its period
 * index mixed in, so that the text of a row's dims, looked up once per set
 * of values (row_dims), serves every period.
 */
static uint64_t
group_hash(uint64_t th, long long idx)
{
	uint64_t h = th ^ (uint64_t)idx * 0x9e3779b97f4a7c15ULL;

	return h ^ (h >> 29);
}

/*
 * The group of period p and dims text s, whose kpi_hash(0, s) is th, made
 * (filled or not) when new.
 */
static struct group *
group_make(struct kpi_agg *a, const struct kpi_period *p, const char *s,
    size_t n, uint64_t th, int filled)
{
	uint64_t h = group_hash(th, p->index);
	struct group *g;

	for (g = a->tab[h & (a->cap - 1)]; g; g = g->next)
		if (g->hash == h && g->per.index == p->index && g->dlen == n &&
		    kpi_same_bytes(g->dims, s, n))
			return g;
	if (a->n + 1 > a->cap)
		grow(a);
	g = group_new(a, p, s, n, h, filled);
	g->next = a->tab[h & (a->cap - 1)];
	a->tab[h & (a->cap - 1)] = g;
	a->n++;
	return g;
}

/* The group of period p and dims text s, made when new. */
struct group *
group_get(struct kpi_agg *a, const struct kpi_period *p, const char *s,
    size_t n)
{
	return group_make(a, p, s, n, kpi_hash(0, s, n), 0);
}

/* The group of period index idx and dims text s, or NULL. */
const struct group *
group_find(const struct kpi_agg *a, long long idx, const char *s, size_t n)
{
	uint64_t h = group_hash(kpi_hash(0, s, n), idx);
	const struct group *g;

	for (g = a->tab[h & (a->cap - 1)]; g; g = g->next)
		if (g->hash == h && g->per.index == idx && g->dlen == n &&
		    kpi_same_bytes(g->dims, s, n))
			return g;
	return NULL;
}

/* The row's dims as a JSON object, from a->dm.f, into a->key. */
static void
dims_text(struct kpi_agg *a)
{
	const struct kpi_field *f;
	size_t i;

	kpi_buf_reset(&a->key);
	kpi_buf_addc(&a->key, '{');
	for (i = 0; i < a->o.nby; i++) {
		if (i > 0)
			kpi_buf_addc(&a->key, ',');
		kpi_json_put_str(&a->key, a->o.by[i], a->dm.len[i]);
		kpi_buf_addc(&a->key, ':');
		f = a->dm.f[i];
		if (f == NULL)
			kpi_buf_add(&a->key, "null", 4);
		else if (f->v.type == KPI_NUM && f->v.s != NULL)
			/* a dimension is text: 7 and "7" are one value */
			kpi_json_put_str(&a->key, f->v.s, f->v.len);
		else
			kpi_json_put_val(&a->key, &f->v);
	}
	kpi_buf_addc(&a->key, '}');
}

/*
 * The row's dims values as a key into a->dm.raw, and its hash: per field,
 * whether it is there, its type, and its bytes (or a computed number's),
 * all the dims text is made from.
 */
static uint64_t
dims_key(struct kpi_agg *a)
{
	struct kpi_buf *b = &a->dm.raw;
	const struct kpi_field *f;
	uint64_t h = 0;
	size_t i, len;
	char *q;

	kpi_buf_reset(b);
	for (i = 0; i < a->o.nby; i++) {
		f = a->dm.f[i];
		len = f == NULL ? 0 : f->v.s != NULL ? f->v.len :
		    f->v.type == KPI_NUM ? sizeof(f->v.num) : 0;
		kpi_buf_grow(b, 2 + sizeof(len) + len);
		q = b->p + b->len;
		q[0] = (char)(f == NULL ? 0xff : f->v.type);
		q[1] = f != NULL && f->v.s != NULL;
		memcpy(q + 2, &len, sizeof(len));
		if (len > 0)
			memcpy(q + 2 + sizeof(len), q[1] ? f->v.s :
			    (const char *)&f->v.num, len);
		b->len += 2 + sizeof(len) + len;
		h = kpi_hash(h ^ (unsigned char)q[0] ^ (uint64_t)q[1] << 8 ^
		    (uint64_t)len << 16, q + 2 + sizeof(len), len);
	}
	return h != 0 ? h : 1;
}

/* Room for the twice as many sets of values as a->dm.tab holds. */
static void
dims_grow(struct dims *dm)
{
	struct dims_ent *old = dm->tab;
	size_t i, j, cap = dm->cap;

	/* The entries move: the last row's is no longer where it was. */
	dm->last = NULL;
	dm->cap = cap ? cap * 2 : 64;
	dm->tab = kpi_xmalloc(dm->cap * sizeof(*dm->tab));
	memset(dm->tab, 0, dm->cap * sizeof(*dm->tab));
	for (i = 0; i < cap; i++)
		if (old[i].rh != 0) {
			for (j = old[i].rh & (dm->cap - 1); dm->tab[j].rh != 0;
			    j = (j + 1) & (dm->cap - 1))
				continue;
			dm->tab[j] = old[i];
		}
	free(old);
}

/* Remembers the row's values (a->dm.raw, hash rh) and text (a->key). */
static void
dims_keep(struct kpi_agg *a, uint64_t rh, uint64_t th)
{
	struct dims *dm = &a->dm;
	struct dims_ent *e;
	size_t j;

	if (dm->n >= DIMS_MAX || dm->store.len > DIMS_BYTES)
		return;
	if (2 * (dm->n + 1) > dm->cap)
		dims_grow(dm);
	for (j = rh & (dm->cap - 1); dm->tab[j].rh != 0;
	    j = (j + 1) & (dm->cap - 1))
		continue;
	e = &dm->tab[j];
	e->rh = rh;
	e->th = th;
	e->raw = dm->store.len;
	e->rlen = dm->raw.len;
	if (dm->raw.len > 0)	/* no --by: no values, dm->raw.p NULL */
		kpi_buf_add(&dm->store, dm->raw.p, dm->raw.len);
	e->text = dm->store.len;
	e->tlen = a->key.len;
	kpi_buf_add(&dm->store, a->key.p, a->key.len);
	dm->n++;
	dm->ent = j;
}

/*
 * The row's dims text into a->dm.text, its hash into a->dm.th; a->dm.ent
 * is its entry in a->dm.tab, or a->dm.cap when it has none.  A set of values
 * met before (up to DIMS_MAX of them) is found by its values, its text
 * copied rather than made: the same values make the same text.
 */
static void
row_dims(struct kpi_agg *a, const struct kpi_rec *r)
{
	struct dims *dm = &a->dm;
	const struct dims_ent *e;
	uint64_t rh;
	size_t i, j;

	for (i = 0; i < a->o.nby; i++)
		dm->f[i] = kpi_rec_find_hint(r, a->o.by[i], dm->len[i],
		    &dm->hint[i]);
	rh = dims_key(a);
	for (j = dm->cap ? rh & (dm->cap - 1) : 0; dm->cap &&
	    dm->tab[j].rh != 0; j = (j + 1) & (dm->cap - 1)) {
		e = &dm->tab[j];
		if (e->rh == rh && e->rlen == dm->raw.len &&
		    kpi_same_bytes(dm->store.p + e->raw, dm->raw.p, e->rlen)) {
			dm->text = dm->store.p + e->text;
			dm->tlen = e->tlen;
			dm->th = e->th;
			dm->ent = j;
			return;
		}
	}
	dims_text(a);
	dm->text = a->key.p;
	dm->tlen = a->key.len;
	dm->th = kpi_hash(0, a->key.p, a->key.len);
	dm->ent = dm->cap;
	dims_keep(a, rh, dm->th);
}

/*
 * The row's group: its dims (a->dm.text) in period p.  Rows come back to the
 * group of the row before often enough (sorted exports) that it is asked
 * first.
 */
static struct group *
row_group(struct kpi_agg *a, const struct kpi_period *p)
{
	struct dims *dm = &a->dm;
	struct group *g;

	if (dm->last != NULL && dm->ent != dm->cap && dm->ent == dm->last_ent &&
	    dm->last->per.index == p->index)
		return dm->last;
	g = group_make(a, p, dm->text, dm->tlen, dm->th, 0);
	dm->last = dm->ent != dm->cap ? g : NULL;
	dm->last_ent = dm->ent;
	return g;
}

/* The --total group of period p. */
static struct group *
total_group(struct kpi_agg *a, const struct kpi_period *p)
{
	struct dims *dm = &a->dm;

	if (dm->total == NULL || dm->total->per.index != p->index)
		dm->total = group_make(a, p, "{}", 2, kpi_hash(0, "{}", 2), 0);
	return dm->total;
}

/* A rejection of the row: -1. */
static int
reject(struct kpi_agg_reject *rej, enum kpi_agg_rej kind, const char *field,
    const struct kpi_val *v)
{
	rej->kind = kind;
	rej->field = field;
	rej->value = v;
	return -1;
}

/*
 * The row's time; -1 with *rej set when it has none that reads.  With
 * --every all a row needs none, unless --from or --to picks rows by it.
 */
static int
row_time(struct kpi_agg *a, const struct kpi_rec *r, struct kpi_time *t,
    struct kpi_agg_reject *rej)
{
	const struct kpi_field *f = kpi_rec_find_hint(r, "time", 4, &a->htime);

	/*
	 * One period needs no time, but first, last and balance order the
	 * rows by the time they have: a row without one (or with one that
	 * does not read) counts as at 1970-01-01T00:00:00Z.  --from and
	 * --to pick rows by their times, so then a row needs one.
	 */
	if (a->o.cal.grain == KPI_ALL && a->o.from == LLONG_MIN &&
	    a->o.to == LLONG_MAX) {
		memset(t, 0, sizeof(*t));
		if (f != NULL && f->v.type == KPI_STR &&
		    kpi_time_parse(a->tf, f->v.s, f->v.len, NULL, 0, t) != 1)
			memset(t, 0, sizeof(*t));
		return 0;
	}
	/* A report's row with "end_date" but no time: "All time". */
	if ((f == NULL || f->v.type == KPI_NULL) &&
	    kpi_rec_find_hint(r, "end_date", 8, &a->hend) != NULL)
		return reject(rej, KPI_AGG_REJ_ALL_TIME, "time", NULL);
	if (f == NULL || f->v.type == KPI_NULL)
		return reject(rej, KPI_AGG_REJ_NO_TIME, "time", NULL);
	if (f->v.type != KPI_STR ||
	    kpi_time_parse(a->tf, f->v.s, f->v.len, NULL, 0, t) != 1)
		return reject(rej, KPI_AGG_REJ_TIME, "time", &f->v);
	return 0;
}

/* The local day (days since 1970-01-01) of instant t on the calendar. */
static long long
local_day(const struct kpi_agg *a, long long t)
{
	long long l = t + kpi_tz_offset(a->o.cal.tz, t);

	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

/* Appends day as "YYYY-MM-DD". */
static void
put_day(struct kpi_buf *b, long long day)
{
	long long y;
	unsigned m, d;

	kpi_civil_from_days(day, &y, &m, &d);
	kpi_buf_addf(b, "%04lld-%02u-%02u", y, m, d);
}

/*
 * A row that covers days rather than an instant (a report without a date
 * column, whose range its preamble gives) has "end_date", its last day,
 * beside "time", the start of its first: it counts in the period p of its
 * time when p holds its last day too.  One whose days cross p's end
 * cannot be cut (how much of a month's spend fell in each week is not in
 * the report), and is rejected, saying so.
 */
static int
row_span(struct kpi_agg *a, const struct kpi_rec *r, const struct kpi_time *t,
    const struct kpi_period *p, struct kpi_agg_reject *rej)
{
	const struct kpi_field *f;
	struct kpi_period q;
	long long last, first;

	if (a->o.cal.grain == KPI_ALL)
		return 0;
	f = kpi_rec_find_hint(r, "end_date", 8, &a->hend);
	if (f == NULL || f->v.type == KPI_NULL)
		return 0;
	if (f->v.type != KPI_STR || kpi_date_parse(f->v.s, f->v.len, &last) < 0)
		return reject(rej, KPI_AGG_REJ_END_DATE, "end_date", &f->v);
	first = local_day(a, t->t);
	if (last < first)
		return reject(rej, KPI_AGG_REJ_END_BEFORE, "end_date", &f->v);
	kpi_period_of(&a->o.cal, kpi_tz_from_local(a->o.cal.tz, last * 86400),
	    &q);
	if (q.index == p->index)
		return 0;
	kpi_buf_reset(&a->rtext);
	kpi_buf_adds(&a->rtext, "row covers ");
	put_day(&a->rtext, first);
	kpi_buf_adds(&a->rtext, " to ");
	put_day(&a->rtext, last);
	kpi_buf_addf(&a->rtext, ", across the %ss %s to %s: a report's range "
	    "cannot be cut into %ss", kpi_grain_name(a->o.cal.grain), p->label,
	    q.label, kpi_grain_name(a->o.cal.grain));
	reject(rej, KPI_AGG_REJ_SPAN, "end_date", &f->v);
	rej->text = a->rtext.p;
	return -1;
}

/*
 * An id's text into b: a string's bytes, a number's shortest form (7, 7.0
 * and "7" are one id), true, false, or a nested value's text, as
 * distinct() takes them.
 */
static void
id_text(struct kpi_buf *b, const struct kpi_val *v)
{
	kpi_buf_reset(b);
	if (v->type == KPI_NUM)
		kpi_json_put_num(b, v->num);
	else if (v->type == KPI_TRUE)
		kpi_buf_adds(b, "true");
	else if (v->type == KPI_FALSE)
		kpi_buf_adds(b, "false");
	else if (v->s != NULL)
		kpi_buf_add(b, v->s, v->len);
}

/*
 * The row's id for each entity set, into the ring's next row (put there
 * by ents_defer once the row is not rejected), its table slot asked for.
 */
static void
row_ids(struct kpi_agg *a)
{
	struct ent_row *er = &a->erow[(a->eput % EROWS) * a->d->nent];
	const struct kpi_val *v;
	size_t e, slot;

	for (e = 0; e < a->d->nent; e++, er++) {
		slot = a->d->m[a->erep[e]].slot;
		v = a->vals[slot];
		if ((er->has = !a->skip[slot] && v != NULL) == 0)
			continue;
		id_text(&er->id, v);
		er->hash = kpi_hash(0, er->id.p ? er->id.p : "", er->id.len);
		kpi_ents_prefetch(&a->ents[e], er->hash);
	}
}

/* Row r of the ring: its ids' slots are in cache; ask for their places. */
static void
ents_place(struct kpi_agg *a, unsigned long r)
{
	struct ent_row *er = &a->erow[(r % EROWS) * a->d->nent];
	size_t e;

	for (e = 0; e < a->d->nent; e++, er++)
		if (er->has)
			er->guess = kpi_ents_prefetch_place(&a->ents[e],
			    er->hash);
}

/* Row r of the ring: its ids' places are in cache; ask for the bytes. */
static void
ents_peek(struct kpi_agg *a, unsigned long r)
{
	struct ent_row *er = &a->erow[(r % EROWS) * a->d->nent];
	size_t e;

	for (e = 0; e < a->d->nent; e++, er++)
		if (er->has)
			kpi_ents_prefetch_id(&a->ents[e], er->guess,
			    er->id.len);
}

/* Row r of the ring into its groups' entity sets. */
static void
ents_take(struct kpi_agg *a, unsigned long r)
{
	struct ent_row *er = &a->erow[(r % EROWS) * a->d->nent];
	uint32_t num;
	size_t e, k;

	for (e = 0; e < a->d->nent; e++, er++) {
		if (!er->has)
			continue;
		num = kpi_ents_intern_hashed(&a->ents[e], er->id.p ?
		    er->id.p : "", er->id.len, er->hash);
		for (k = 0; k < 2 && er->g[k] != NULL; k++)
			kpi_eset_add(&er->g[k]->es[e], num);
		if (a->efirst[e])
			kpi_ents_lower(&a->ents[e], num, er->period);
	}
	a->etaken = r + 1;
}

/*
 * The row's ids wait in the ring for three rows: the table's slot is
 * asked for as the row is read, the id's place a row later, its bytes a
 * row after that, and the id is interned a row after that, by when all
 * three are in cache, so that a table bigger than the cache costs no wait
 * per row.  Rows are taken in order: the numbers, sets and first periods
 * are what interning at once would give.
 */
static void
ents_defer(struct kpi_agg *a, struct group *g, struct group *gt,
    long long period)
{
	struct ent_row *er = &a->erow[(a->eput % EROWS) * a->d->nent];
	size_t e;

	if (a->d->nent == 0)
		return;
	for (e = 0; e < a->d->nent; e++, er++) {
		er->g[0] = g;
		er->g[1] = gt;
		er->period = period;
	}
	a->eput++;
	/* Rows eput - 1 (this one) to eput - 4 live in the ring: EROWS > 3. */
	if (a->eput >= 2)
		ents_place(a, a->eput - 2);
	if (a->eput >= 3)
		ents_peek(a, a->eput - 3);
	if (a->eput >= 4)
		ents_take(a, a->eput - 4);
}

/* Takes every row left in the ring. */
static void
ents_drain(struct kpi_agg *a)
{
	while (a->etaken < a->eput)
		ents_take(a, a->etaken);
}

/*
 * The id of the series of balance slot's value in the row, into a->skey:
 * with balance(field, by) the row's id of by as a JSON string, or null;
 * with balance(field), "".  Its dims are its group's (series.h).
 */
static void
series_key(struct kpi_agg *a, size_t slot)
{
	const struct kpi_val *v = a->bent[slot];

	kpi_buf_reset(&a->skey);
	if (a->bal[slot]->by == NULL)
		return;
	if (v == NULL || v->type == KPI_NULL) {
		kpi_buf_adds(&a->skey, "null");
		return;
	}
	id_text(&a->etext, v);
	kpi_json_put_str(&a->skey, a->etext.p ? a->etext.p : "",
	    a->etext.len);
}

/*
 * Balance slot's value in the row, at time t, to its series in group g.
 * A --total keeps none: its series are its period's groups'.
 */
static void
series_add(struct kpi_agg *a, struct group *g, size_t slot, long long t)
{
	const struct kpi_val *v = a->vals[slot];
	struct smap *m = rstate_series(g->st[slot]);

	if (v == NULL || v->type != KPI_NUM || (a->o.nby > 0 && g->dlen == 2))
		return;
	series_key(a, slot);
	smap_share(m, &a->sids[slot]);
	smap_put(m, kpi_ents_intern(&a->sids[slot], a->skey.p ? a->skey.p :
	    "", a->skey.len), t, v->num == 0 ? 0 : v->num);
}

/*
 * count_if and share_if take whether the value meets the condition, true
 * or false; a value the condition cannot test rejects the row.
 */
static int
cond_value(struct kpi_agg *a, const struct metric *m,
    const struct kpi_val *v, struct kpi_agg_reject *rej)
{
	static const struct kpi_val yes = { KPI_TRUE, NULL, 0, 0, 0 };
	static const struct kpi_val no = { KPI_FALSE, NULL, 0, 0, 0 };
	int t = kpi_cond_test(&m->cond, v);

	if (t < 0)
		return reject(rej, v->type == KPI_NUM ? KPI_AGG_REJ_FINITE :
		    m->cond.op == KPI_COND_TRUE ? KPI_AGG_REJ_CONDITION :
		    KPI_AGG_REJ_NUMBER, m->field, v);
	a->vals[m->slot] = t ? &yes : &no;
	return 0;
}

/* Each base metric's value in r into a->vals; -1 for a wrong type. */
static int
row_values(struct kpi_agg *a, const struct kpi_rec *r,
    struct kpi_agg_reject *rej)
{
	const struct kpi_field *ds = NULL, *f;
	const struct metric *m;
	size_t i;

	if (a->anyds)
		ds = kpi_rec_find_hint(r, "_dataset", 8, &a->hds);
	for (i = 0; i < a->d->n; i++) {
		m = &a->d->m[i];
		if (!m->base)
			continue;
		a->vals[m->slot] = NULL;
		a->skip[m->slot] = m->dataset && (ds == NULL ||
		    ds->v.type != KPI_STR || strlen(m->dataset) != ds->v.len ||
		    memcmp(m->dataset, ds->v.s, ds->v.len) != 0);
		if (a->skip[m->slot])
			continue;
		if (m->by != NULL) {
			f = kpi_rec_find(r, m->by, strlen(m->by));
			a->bent[m->slot] = f ? &f->v : NULL;
		}
		if (m->field == NULL)
			continue;
		f = kpi_rec_find_hint(r, m->field, m->flen, &a->hint[m->slot]);
		if (f == NULL || f->v.type == KPI_NULL)
			continue;
		if (m->red == KPI_R_COUNT_IF || m->red == KPI_R_SHARE_IF) {
			if (cond_value(a, m, &f->v, rej) < 0)
				return -1;
			continue;
		}
		/* Counts of ids and of values take any value. */
		if (f->v.type != KPI_NUM && m->ent == ENT_NONE &&
		    m->red != KPI_R_COUNT_FIELD)
			return reject(rej, KPI_AGG_REJ_NUMBER, m->field, &f->v);
		/* JSON's 1e999 reads as infinity: no reducer takes it. */
		if (f->v.type == KPI_NUM && !isfinite(f->v.num) &&
		    m->red != KPI_R_COUNT_FIELD)
			return reject(rej, KPI_AGG_REJ_FINITE, m->field, &f->v);
		a->vals[m->slot] = &f->v;
	}
	row_ids(a);
	return 0;
}

/* Adds the row's values to group g. */
static void
group_add(struct kpi_agg *a, struct group *g, long long t)
{
	size_t i;

	for (i = 0; i < a->d->nbase; i++)
		if (!a->skip[i]) {
			a->seen[i] = 1;
			if (g->st[i] == NULL)
				continue;
			if (a->bal[i] == NULL) {
				kpi_rstate_add(g->st[i], a->vals[i], t);
				continue;
			}
			series_add(a, g, i, t);
		}
}

/*
 * Keeps the rows of the first and last periods: a --fill over a range
 * nobody meant (a year 0024 among 2024) names the row that widened it.
 */
void
agg_range(struct kpi_agg *a, const struct kpi_rec *r, long long idx)
{
	if (idx < a->lo) {
		a->lo = idx;
		kpi_rec_where(r, &a->lo_at);
	}
	if (idx > a->hi) {
		a->hi = idx;
		kpi_rec_where(r, &a->hi_at);
	}
}

int
agg_reported(const struct kpi_agg *a, long long idx)
{
	return idx >= a->first && idx <= a->last;
}

/*
 * The period of instant t: the last row's when t falls in its span, as
 * rows sorted by time come in runs of one period, else looked up.  A span
 * is the instants the calendar's zone rules put in the period (periods
 * tile time, DST or not), so an instant in it is of that period.
 */
static const struct kpi_period *
row_period(struct kpi_agg *a, long long t)
{
	if (!a->phave || t < a->per.start || t >= a->per.end) {
		kpi_period_in(&a->o.cal, &a->pmemo, t, &a->per);
		a->phave = 1;
	}
	return &a->per;
}

/*
 * A row before the periods reported still counts in their windows and
 * comparisons, and in the entities' first periods; one after them counts
 * in nothing reported, and neither does one outside the dates with
 * --every all, which has no windows: those are not kept.
 */
int
kpi_agg_add(struct kpi_agg *a, const struct kpi_rec *r,
    struct kpi_agg_reject *rej)
{
	struct group *g, *gt = NULL;
	const struct kpi_period *p;
	struct kpi_time t;

	if (row_time(a, r, &t, rej) < 0)
		return -1;
	p = row_period(a, t.t);
	if (a->o.cal.grain == KPI_ALL ? t.t < a->tfrom || t.t >= a->tto :
	    p->index > a->last)
		return 1;
	if (row_span(a, r, &t, p, rej) < 0 || row_values(a, r, rej) < 0)
		return -1;
	agg_range(a, r, p->index);
	row_dims(a, r);
	g = row_group(a, p);
	group_add(a, g, t.t);
	if (a->o.total && a->o.nby > 0)
		group_add(a, gt = total_group(a, p), t.t);
	ents_defer(a, g, gt, p->index);
	return !agg_reported(a, p->index);
}

/*
 * A count over orders from GA4 rows alone is not 0 orders but no order
 * data: a base metric of a data set no row came from is null, where an
 * empty group inside a present data set stays 0.  A metric without a data
 * set takes any row, so it is never absent.
 */
int
agg_absent(const struct kpi_agg *a, const struct metric *m)
{
	return m->base && m->dataset != NULL && !a->seen[m->slot];
}

/* Whether base metric m is absent and a written metric needs it. */
static int
absent_needed(const struct kpi_agg *a, const struct metric *m)
{
	size_t i;

	if (!agg_absent(a, m))
		return 0;
	for (i = 0; i < a->d->n; i++)
		if (a->write[i] && a->dep[i * a->d->nbase + m->slot])
			return 1;
	return 0;
}

/* Groups in point order: dims ({} first, then bytewise), period start. */
static int
group_cmp(const void *x, const void *y)
{
	const struct group *a = *(const struct group *const *)x;
	const struct group *b = *(const struct group *const *)y;
	size_t n = a->dlen < b->dlen ? a->dlen : b->dlen;
	int c;

	if ((a->dlen == 2) != (b->dlen == 2))
		return a->dlen == 2 ? -1 : 1;
	if ((c = memcmp(a->dims, b->dims, n)) != 0)
		return c;
	if (a->dlen != b->dlen)
		return a->dlen < b->dlen ? -1 : 1;
	return a->per.start < b->per.start ? -1 : a->per.start > b->per.start;
}

/* Groups by dims alone, bytewise: the series --fill makes. */
static int
dims_cmp(const void *x, const void *y)
{
	const struct group *a = *(const struct group *const *)x;
	const struct group *b = *(const struct group *const *)y;
	size_t n = a->dlen < b->dlen ? a->dlen : b->dlen;
	int c = memcmp(a->dims, b->dims, n);

	return c ? c : (a->dlen > b->dlen) - (a->dlen < b->dlen);
}

/* One group per series in gs[0..*n), sorted; returns how many. */
static size_t
series(struct group **gs, size_t n)
{
	size_t k, nd = 0;

	qsort(gs, n, sizeof(*gs), dims_cmp);
	for (k = 0; k < n; k++)
		if (nd == 0 || dims_cmp(&gs[nd - 1], &gs[k]) != 0)
			gs[nd++] = gs[k];
	return nd;
}

/* An end of the --fill range: --from or --to, or the row that gave it. */
static const char *
range_end(const struct kpi_err *at, int opt, const char *name, char *buf,
    size_t size)
{
	if (opt)
		snprintf(buf, size, "%s", name);
	else if (at->line)
		snprintf(buf, size, "the row at %s:%lu", at->file, at->line);
	else
		snprintf(buf, size, "a row of %s", at->file);
	return buf;
}

/*
 * --fill makes (last - first + 1) periods of each of nd series, a point
 * per written metric each; more than --max-points is an error naming the
 * range and the rows (or options) that gave its ends.
 */
static int
fill_check(const struct kpi_agg *a, const struct kpi_period *first,
    const struct kpi_period *last, size_t nd, struct kpi_err *err)
{
	double pts = (double)(last->index - first->index + 1) * (double)nd;
	char lo[sizeof(err->file) + 32], hi[sizeof(err->file) + 32];
	size_t i, nm = 0;

	for (i = 0; i < a->d->n; i++)
		nm += a->write[i];
	pts *= (double)(nm ? nm : 1);
	if (a->o.max_points <= 0 || pts <= (double)a->o.max_points)
		return 0;
	return kpi_err_set(err, NULL, 0, 0, "--fill from %s (%s) to %s (%s) "
	    "would write %.0f points, more than --max-points %lld", first->label,
	    range_end(&a->lo_at, a->o.from != LLONG_MIN, "--from", lo,
	    sizeof(lo)), last->label, range_end(&a->hi_at, a->o.to !=
	    LLONG_MAX, "--to", hi, sizeof(hi)), pts, a->o.max_points);
}

/* The groups of dims s[0..n) from period first to last, filled if new. */
static void
fill_series(struct kpi_agg *a, const struct kpi_period *first,
    const struct kpi_period *last, const char *s, size_t n)
{
	uint64_t th = kpi_hash(0, s, n);
	struct kpi_period p;
	long long idx;

	for (idx = first->index; idx <= last->index; idx++) {
		kpi_period_shift(&a->o.cal, first, idx - first->index, &p);
		(void)group_make(a, &p, s, n, th, 1);
	}
}

/*
 * --fill: every period from the first to the last (or --from to --to) for
 * every set of dims seen, the missing ones as empty groups.  0, or -1 with
 * err set when that is more than --max-points.
 */
static int
fill(struct kpi_agg *a, struct kpi_err *err)
{
	struct group **gs, *g;
	struct kpi_period first, last;
	size_t i, n = 0, k, nd;

	if (a->n == 0 && (a->o.from == LLONG_MIN || a->o.to == LLONG_MAX))
		return 0;
	gs = kpi_xmalloc((a->n + 1) * sizeof(*gs));
	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = g->next)
			gs[n++] = g;
	if (a->o.from != LLONG_MIN)
		kpi_period_of(&a->o.cal, a->o.from, &first);
	else
		kpi_period_shift(&a->o.cal, &gs[0]->per, a->lo -
		    gs[0]->per.index, &first);
	if (a->o.to != LLONG_MAX)
		kpi_period_of(&a->o.cal, a->o.to, &last);
	else
		kpi_period_shift(&a->o.cal, &gs[0]->per, a->hi -
		    gs[0]->per.index, &last);
	/* The dims seen: one group of each stands for its series. */
	nd = series(gs, n);
	if (nd == 0 && a->o.nby == 0)
		gs[nd++] = NULL;	/* --from/--to without rows: {} */
	if (fill_check(a, &first, &last, nd, err) < 0) {
		free(gs);
		return -1;
	}
	for (k = 0; k < nd; k++)
		fill_series(a, &first, &last, gs[k] ? gs[k]->dims : "{}",
		    gs[k] ? gs[k]->dlen : 2);
	free(gs);
	return 0;
}

/*
 * Every metric's value from the base states st of group g (its own, or
 * its window's): vals[i], null[i] per metric.
 */
static void
group_values(const struct kpi_agg *a, const struct group *g,
    struct kpi_rstate *const *st, double *vals, unsigned char *null,
    double *args, unsigned char *argnull)
{
	const struct metric *m;
	int filled = g->filled;
	size_t i, k;

	window_ent_values(a, g, vals, null);
	for (i = 0; i < a->d->n; i++) {
		m = &a->d->m[i];
		/* A null value left infinite overflowed: emit tells. */
		if (m->base && m->ent == ENT_NONE) {
			vals[i] = 0;
			null[i] = !kpi_rstate_value(st[m->slot], &vals[i]);
		}
		/* A period with no rows of an additive metric had none: 0. */
		if (m->base && filled && null[i] && m->red == KPI_R_SUM) {
			vals[i] = 0;
			null[i] = 0;
		}
		if (agg_absent(a, m))
			null[i] = 1;
	}
	for (i = 0; i < a->d->norder; i++) {
		m = &a->d->m[a->d->order[i]];
		for (k = 0; k < kpi_expr_nrefs(m->expr); k++) {
			args[k] = vals[m->refs[k]];
			argnull[k] = null[m->refs[k]];
		}
		null[a->d->order[i]] = !kpi_expr_eval(m->expr, args, argnull,
		    &vals[a->d->order[i]]);
	}
}

/* An instant in the calendar's zone. */
static void
instant(const struct kpi_agg *a, long long t, struct kpi_time *kt)
{
	kt->t = t;
	kt->nsec = 0;
	kt->off = a->o.cal.tz ? kpi_tz_offset(a->o.cal.tz, t) : 0;
}

/* Writes metric m's point of g, with what the catalogue says of m. */
static int
put_point(struct kpi_agg *a, struct kpi_out *o, const struct metric *m,
    const struct group *g, const struct emit *e)
{
	struct kpi_point p;

	kpi_point_init(&p);
	p.metric = m->name;
	p.mlen = m->nlen;
	p.period = g->per.label;
	p.plen = strlen(g->per.label);
	if ((p.has_range = a->o.cal.grain != KPI_ALL)) {
		instant(a, g->per.start, &p.start);
		instant(a, g->per.end, &p.end);
	}
	p.dims = g->dims;
	p.dlen = g->dlen;
	p.value.v = e->vals[g->pos * e->nm + e->mi];
	p.value.null = e->null[g->pos * e->nm + e->mi];
	p.unit = m->unit;
	p.ulen = m->unit ? strlen(m->unit) : 0;
	p.format = m->format;
	p.lower_better = m->lower_better;
	if (a->o.compare != KPI_CMP_NONE)
		compare_fill(a, g, e, &p);
	kpi_buf_reset(&a->pt);
	kpi_point_put_open(&a->pt, &p);
	if (a->o.partial)
		partial_put_states(a, m - a->d->m, g);
	kpi_buf_adds(&a->pt, "}\n");
	a->points++;
	return kpi_out_write(o, a->pt.p, a->pt.len);
}

/* Every group, in point order, each with its place in it.  Caller frees. */
static struct group **
sorted_groups(struct kpi_agg *a, size_t *np)
{
	struct group **gs, *g;
	size_t i, n = 0;

	gs = kpi_xmalloc((a->n + 1) * sizeof(*gs));
	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = g->next)
			gs[n++] = g;
	qsort(gs, n, sizeof(*gs), group_cmp);
	for (i = 0; i < n; i++)
		gs[i]->pos = i;
	*np = n;
	return gs;
}

/*
 * Every metric's value in each of the n groups gs, into vals and null
 * (n times the metrics each): from a group's own states, or with --rolling and
 * --cumulative from its window's; a balance's from all its periods to
 * date (window_balances).
 */
static void
all_values(const struct kpi_agg *a, struct group *const *gs, size_t n,
    double *vals, unsigned char *null)
{
	size_t nm = a->d->n, nb = a->d->nbase + 1,
	    maxwin = a->o.rolling ? (size_t)a->o.rolling : 400;
	int win_on = a->o.rolling || a->o.cumulative;
	struct kpi_rstate **st, **run;
	const struct group **win;
	unsigned char *argnull;
	double *args;
	size_t i, k;

	args = kpi_xmalloc((nm + 1) * sizeof(*args));
	argnull = kpi_xmalloc(nm + 1);
	st = kpi_xmalloc(nb * sizeof(*st));
	run = kpi_xmalloc(nb * sizeof(*run));
	memset(run, 0, nb * sizeof(*run));
	win = kpi_xmalloc(maxwin * sizeof(*win));
	for (k = 0; k < n; k++) {
		/* A balance's level runs through every period, written or not. */
		window_balances(a, gs, k, run);
		if (!agg_reported(a, gs[k]->per.index) &&
		    a->o.compare == KPI_CMP_NONE) {
			/* Not written, and no point compares with it. */
			memset(vals + k * nm, 0, nm * sizeof(*vals));
			memset(null + k * nm, 1, nm);
			continue;
		}
		if (win_on)
			window_states(a, gs[k], st, win, maxwin);
		else
			memcpy(st, gs[k]->st, nb * sizeof(*st));
		for (i = 0; i < a->d->nbase; i++)
			if (a->bal[i] != NULL)
				st[i] = run[i];
		group_values(a, gs[k], st, vals + k * nm, null + k * nm, args,
		    argnull);
		for (i = 0; win_on && i < a->d->nbase; i++)
			if (a->bal[i] == NULL)
				kpi_rstate_free(st[i]);
	}
	for (i = 0; i < a->d->nbase; i++)
		kpi_rstate_free(run[i]);
	free(args);
	free(argnull);
	free(st);
	free(run);
	free(win);
}

/*
 * A base metric whose value overflowed a double (two rows of 1e308) is
 * null; one note per metric says so, naming its first such group, rather
 * than let it pass for a period with no rows.
 */
static void
tell_overflow(const struct kpi_agg *a, struct group *const *gs, size_t n,
    const double *vals, const unsigned char *null)
{
	size_t nm = a->d->n, i, k, first, count;

	for (i = 0; i < nm; i++) {
		if (!a->d->m[i].base || a->d->m[i].ent != ENT_NONE)
			continue;
		for (count = 0, first = 0, k = 0; k < n; k++)
			if (null[k * nm + i] && !isfinite(vals[k * nm + i]) &&
			    agg_reported(a, gs[k]->per.index) && count++ == 0)
				first = k;
		if (count > 0)
			kpi_warn(&a->o.warn, NULL, 0, 0, "%s: value beyond the "
			    "range of a number in period %s %.*s%s: null",
			    a->d->m[i].name, gs[first]->per.label,
			    (int)gs[first]->dlen, gs[first]->dims, count > 1 ?
			    " and other groups" : "");
	}
}

/*
 * One note per absent data set a written metric needs, naming the base
 * metrics it leaves null (not every data set of a catalogue).  A
 * --partial run stays quiet: another part may have the rows, and the
 * --merge run tells.
 */
static void
tell_absent(struct kpi_agg *a)
{
	const struct metric *m, *k;
	size_t i, j;

	for (i = 0; !a->o.partial && i < a->d->n; i++) {
		m = &a->d->m[i];
		if (!absent_needed(a, m))
			continue;
		for (j = 0; j < i; j++)
			if (absent_needed(a, &a->d->m[j]) &&
			    strcmp(a->d->m[j].dataset, m->dataset) == 0)
				break;
		if (j < i)
			continue;	/* told with the first */
		kpi_buf_reset(&a->pt);
		for (j = i; j < a->d->n; j++) {
			k = &a->d->m[j];
			if (!absent_needed(a, k) || strcmp(k->dataset,
			    m->dataset) != 0)
				continue;
			if (a->pt.len > 0)
				kpi_buf_adds(&a->pt, ", ");
			kpi_buf_add(&a->pt, k->name, k->nlen);
		}
		kpi_warn(&a->o.warn, NULL, 0, 0, "no row of data set '%s' in "
		    "the input: %.*s null", m->dataset, (int)a->pt.len,
		    a->pt.p);
	}
}

/*
 * Which metrics are written, into a->write: those asked for; without
 * --metrics (opts.present), of those only the ones whose data sets the
 * input has, as a metric over a data set without rows is null in every
 * group.  A --partial run writes them all: another part may have the rows.
 */
static void
write_init(struct kpi_agg *a)
{
	const struct kpi_defs *d = a->d;
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		a->write[i] = d->m[i].emit;
		for (j = 0; a->write[i] && a->o.present && !a->o.partial &&
		    j < d->n; j++)
			if (d->m[j].base && a->dep[i * d->nbase + d->m[j].slot] &&
			    agg_absent(a, &d->m[j]))
				a->write[i] = 0;
	}
}

/* One note naming the metrics write_init left out. */
static void
tell_unwritten(struct kpi_agg *a)
{
	size_t i, n = 0;

	kpi_buf_reset(&a->pt);
	for (i = 0; i < a->d->n; i++)
		if (a->d->m[i].emit && !a->write[i]) {
			if (n++ > 0)
				kpi_buf_adds(&a->pt, ", ");
			kpi_buf_add(&a->pt, a->d->m[i].name, a->d->m[i].nlen);
		}
	if (n > 0)
		kpi_warn(&a->o.warn, NULL, 0, 0, "%zu %s in the input: %.*s",
		    n, n == 1 ? "metric without its data set" :
		    "metrics without their data sets", (int)a->pt.len,
		    a->pt.p);
}

/* Writes metric mi's point of every group reported, in point order. */
static int
put_points(struct kpi_agg *a, struct kpi_out *o, struct group *const *gs,
    size_t n, struct emit *e)
{
	size_t k;
	int rc = 0;

	for (k = 0; rc == 0 && k < n; k++)
		if (agg_reported(a, gs[k]->per.index))
			rc = put_point(a, o, &a->d->m[e->mi], gs[k], e);
	return rc;
}

/* Settles every group's entity sets: from here on they are only read. */
static void
settle_all(struct kpi_agg *a)
{
	struct group *g;
	size_t i, e;

	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = g->next)
			for (e = 0; e < a->d->nent; e++)
				kpi_eset_settle(&g->es[e]);
}

int
kpi_agg_emit(struct kpi_agg *a, struct kpi_out *o, struct kpi_err *err)
{
	size_t nm = a->d->n, i, k, n;
	struct group **gs;
	unsigned char *null;
	double *vals;
	struct emit e;
	int rc = 0;

	write_init(a);
	ents_drain(a);
	settle_all(a);
	if (a->o.fill && a->o.cal.grain != KPI_ALL && fill(a, err) < 0)
		return -1;
	gs = sorted_groups(a, &n);
	if (a->o.merge && merge_check_loaded(a, gs, n, err) < 0) {
		free(gs);
		return -1;
	}
	series_index(a, gs, n);
	for (k = 0; k < n; k++)
		a->shown += agg_reported(a, gs[k]->per.index);
	tell_unwritten(a);
	tell_absent(a);
	vals = kpi_xmalloc((n * nm + 1) * sizeof(*vals));
	null = kpi_xmalloc(n * nm + 1);
	all_values(a, gs, n, vals, null);
	tell_overflow(a, gs, n, vals, null);
	e.gs = gs;
	e.vals = vals;
	e.null = null;
	e.nm = nm;
	for (i = 0; rc == 0 && i < nm; i++) {
		e.mi = i;
		if (a->write[i])
			rc = put_points(a, o, gs, n, &e);
	}
	series_index_free(a);
	free(gs);
	free(vals);
	free(null);
	return rc;
}
