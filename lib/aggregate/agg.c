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
#include "defs.h"
#include "entity.h"

struct group {
	struct kpi_period per;
	char *dims;			/* the dims object as JSON; owned */
	size_t dlen;
	uint64_t hash;
	struct kpi_rstate **st;		/* per base metric; owned; NULL for
					   the entity reducers */
	struct kpi_eset *es;		/* per entity set; owned */
	unsigned char *loaded;		/* --merge: per base metric, whether
					   a point gave its state; owned */
	struct group *next;		/* hash chain */
	size_t pos;			/* its place in the sorted output */
	int filled;			/* made by --fill: no rows */
};

struct kpi_agg {
	const struct kpi_defs *d;	/* borrowed */
	struct kpi_agg_opts o;
	struct group **tab;		/* owned, chains owned */
	size_t cap;
	size_t n;
	size_t points;
	struct kpi_timefmt *tf;		/* owned */
	struct kpi_buf key;		/* the row's dims */
	struct kpi_buf pt;		/* a point being written */
	size_t *hint;			/* per base metric: its field's index */
	const struct kpi_val **vals;	/* per base metric: the row's value */
	unsigned char *skip;		/* per base metric: not the row's dataset */
	struct kpi_ents *ents;		/* per entity set: its ids; owned */
	size_t *erep;			/* per entity set: a metric using it */
	uint32_t *eid;			/* per entity set: the row's id */
	unsigned char *ehas;		/* per entity set: the row has one */
	struct kpi_buf etext;		/* an id's text */
	size_t **carry;			/* --partial: per metric, the base
					   metrics whose states its points
					   carry; owned */
	size_t *ncarry;
	unsigned char *dep;		/* [metric * nbase + slot]: the metric
					   uses that base metric's state */
	struct kpi_rec srec;		/* --merge: a point's state */
	struct kpi_rstate **tmp;	/* --merge: per base metric, a state
					   being read */
};

/* Marks in a->dep the base metrics metric i is computed from. */
static void
mark_deps(struct kpi_agg *a, size_t top, size_t i)
{
	const struct metric *m = &a->d->m[i];
	size_t k;

	if (m->base) {
		a->dep[top * a->d->nbase + m->slot] = 1;
		return;
	}
	for (k = 0; k < kpi_expr_nrefs(m->expr); k++)
		mark_deps(a, top, m->refs[k]);
}

/*
 * What each metric's points carry under --partial: every base state a
 * written metric uses, once per group, in the point of the first written
 * metric that uses it.  Entity reducers of one set share it: one carries.
 */
static void
deps(struct kpi_agg *a)
{
	const struct kpi_defs *d = a->d;
	unsigned char *done, *edone;
	size_t i, k, b;

	a->dep = kpi_xmalloc(d->n * d->nbase + 1);
	memset(a->dep, 0, d->n * d->nbase + 1);
	for (i = 0; i < d->n; i++)
		mark_deps(a, i, i);
	a->carry = kpi_xmalloc((d->n + 1) * sizeof(*a->carry));
	a->ncarry = kpi_xmalloc((d->n + 1) * sizeof(*a->ncarry));
	done = kpi_xmalloc(d->nbase + 1);
	edone = kpi_xmalloc(d->nent + 1);
	memset(done, 0, d->nbase + 1);
	memset(edone, 0, d->nent + 1);
	for (i = 0; i < d->n; i++) {
		a->carry[i] = kpi_xmalloc((d->nbase + 1) * sizeof(**a->carry));
		a->ncarry[i] = 0;
		for (k = 0; d->m[i].emit && k < d->n; k++) {
			if (!d->m[k].base || !a->dep[i * d->nbase + d->m[k].slot])
				continue;
			b = d->m[k].slot;
			if (d->m[k].ent != ENT_NONE ? edone[d->m[k].eslot] :
			    done[b])
				continue;
			done[b] = 1;
			if (d->m[k].ent != ENT_NONE)
				edone[d->m[k].eslot] = 1;
			a->carry[i][a->ncarry[i]++] = k;
		}
	}
	free(done);
	free(edone);
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
	a->tab = kpi_xmalloc(a->cap * sizeof(*a->tab));
	memset(a->tab, 0, a->cap * sizeof(*a->tab));
	a->tf = kpi_timefmt_compile("auto", &err);
	kpi_buf_init(&a->key);
	kpi_buf_init(&a->pt);
	a->hint = kpi_xmalloc((d->nbase + 1) * sizeof(*a->hint));
	memset(a->hint, 0xff, (d->nbase + 1) * sizeof(*a->hint));
	a->vals = kpi_xmalloc((d->nbase + 1) * sizeof(*a->vals));
	a->skip = kpi_xmalloc(d->nbase + 1);
	a->ents = kpi_xmalloc((d->nent + 1) * sizeof(*a->ents));
	a->erep = kpi_xmalloc((d->nent + 1) * sizeof(*a->erep));
	a->eid = kpi_xmalloc((d->nent + 1) * sizeof(*a->eid));
	a->ehas = kpi_xmalloc(d->nent + 1);
	for (i = 0; i < d->nent; i++)
		kpi_ents_init(&a->ents[i]);
	for (i = d->n; i-- > 0; )
		if (d->m[i].ent != ENT_NONE)
			a->erep[d->m[i].eslot] = i;
	kpi_buf_init(&a->etext);
	kpi_rec_init(&a->srec);
	deps(a);
	a->tmp = kpi_xmalloc((d->nbase + 1) * sizeof(*a->tmp));
	for (i = 0; i < d->n; i++)
		if (d->m[i].base)
			a->tmp[d->m[i].slot] = !o->merge ||
			    d->m[i].ent != ENT_NONE ? NULL :
			    kpi_rstate_new(d->m[i].red, d->m[i].pct);
	return a;
}

static void
group_free(const struct kpi_defs *d, struct group *g)
{
	size_t i;

	for (i = 0; i < d->nbase; i++)
		kpi_rstate_free(g->st[i]);
	for (i = 0; i < d->nent; i++)
		kpi_eset_release(&g->es[i]);
	free(g->st);
	free(g->es);
	free(g->loaded);
	free(g->dims);
	free(g);
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
	kpi_buf_release(&a->pt);
	free(a->hint);
	free(a->vals);
	free(a->skip);
	for (i = 0; i < a->d->nent; i++)
		kpi_ents_release(&a->ents[i]);
	free(a->ents);
	free(a->erep);
	free(a->eid);
	free(a->ehas);
	kpi_buf_release(&a->etext);
	kpi_rec_release(&a->srec);
	for (i = 0; i < a->d->n; i++)
		free(a->carry[i]);
	free(a->carry);
	free(a->ncarry);
	free(a->dep);
	for (i = 0; i < a->d->nbase; i++)
		kpi_rstate_free(a->tmp[i]);
	free(a->tmp);
	free(a);
}

size_t
kpi_agg_groups(const struct kpi_agg *a)
{
	return a->n;
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

/* The group of period p and dims text s, made when new. */
static struct group *
group_get(struct kpi_agg *a, const struct kpi_period *p, const char *s,
    size_t n)
{
	uint64_t h = kpi_hash((uint64_t)p->index, s, n);
	struct group *g;
	size_t i;

	for (g = a->tab[h & (a->cap - 1)]; g; g = g->next)
		if (g->hash == h && g->per.index == p->index && g->dlen == n &&
		    memcmp(g->dims, s, n) == 0)
			return g;
	if (a->n + 1 > a->cap)
		grow(a);
	g = kpi_xmalloc(sizeof(*g));
	g->filled = 0;
	g->per = *p;
	g->dims = kpi_xmemdup(s, n);
	g->dlen = n;
	g->hash = h;
	g->st = kpi_xmalloc((a->d->nbase + 1) * sizeof(*g->st));
	for (i = 0; i < a->d->n; i++)
		if (a->d->m[i].base)
			g->st[a->d->m[i].slot] = a->d->m[i].ent != ENT_NONE ?
			    NULL : kpi_rstate_new(a->d->m[i].red,
			    a->d->m[i].pct);
	g->es = kpi_xmalloc((a->d->nent + 1) * sizeof(*g->es));
	for (i = 0; i < a->d->nent; i++)
		kpi_eset_init(&g->es[i]);
	g->loaded = NULL;
	if (a->o.merge) {
		g->loaded = kpi_xmalloc(a->d->nbase + 1);
		memset(g->loaded, 0, a->d->nbase + 1);
	}
	g->next = a->tab[h & (a->cap - 1)];
	a->tab[h & (a->cap - 1)] = g;
	a->n++;
	return g;
}

/* Field key of r, found through a hint as rows of one input share a layout. */
static const struct kpi_field *
field(const struct kpi_rec *r, const char *key, size_t klen, size_t *hint)
{
	size_t i;

	if (*hint < r->n && r->f[*hint].klen == klen &&
	    memcmp(r->f[*hint].key, key, klen) == 0)
		return &r->f[*hint];
	for (i = 0; i < r->n; i++)
		if (r->f[i].klen == klen && memcmp(r->f[i].key, key, klen) == 0) {
			*hint = i;
			return &r->f[i];
		}
	return NULL;
}

/* The row's dims as a JSON object, into a->key. */
static void
dims_text(struct kpi_agg *a, const struct kpi_rec *r)
{
	const struct kpi_field *f;
	size_t i;

	kpi_buf_reset(&a->key);
	kpi_buf_addc(&a->key, '{');
	for (i = 0; i < a->o.nby; i++) {
		if (i > 0)
			kpi_buf_addc(&a->key, ',');
		kpi_json_put_str(&a->key, a->o.by[i], strlen(a->o.by[i]));
		kpi_buf_addc(&a->key, ':');
		f = kpi_rec_find(r, a->o.by[i], strlen(a->o.by[i]));
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

/* The row's time; -1 with err set when it has none that reads. */
static int
row_time(struct kpi_agg *a, const struct kpi_rec *r, struct kpi_time *t,
    struct kpi_err *err)
{
	const struct kpi_field *f = kpi_rec_find(r, "time", 4);

	if (a->o.cal.grain == KPI_ALL) {
		memset(t, 0, sizeof(*t));
		return 0;
	}
	if (f == NULL || f->v.type == KPI_NULL)
		return kpi_err_set(err, NULL, 0, 0, "no time");
	if (f->v.type != KPI_STR ||
	    kpi_time_parse(a->tf, f->v.s, f->v.len, NULL, 0, t) != 1)
		return kpi_err_set(err, NULL, 0, 0, "bad time '%.*s'",
		    f->v.s ? (int)(f->v.len > 64 ? 64 : f->v.len) : 0,
		    f->v.s ? f->v.s : "");
	return 0;
}

/*
 * The row's id for each entity set, interned: a string's bytes, a
 * number's shortest form (7, 7.0 and "7" are one id), true, false, or a
 * nested value's text, as distinct() takes them.
 */
static void
row_ids(struct kpi_agg *a)
{
	const struct kpi_val *v;
	size_t e, slot;

	for (e = 0; e < a->d->nent; e++) {
		slot = a->d->m[a->erep[e]].slot;
		v = a->vals[slot];
		if ((a->ehas[e] = !a->skip[slot] && v != NULL) == 0)
			continue;
		kpi_buf_reset(&a->etext);
		if (v->type == KPI_NUM)
			kpi_json_put_num(&a->etext, v->num);
		else if (v->type == KPI_TRUE)
			kpi_buf_adds(&a->etext, "true");
		else if (v->type == KPI_FALSE)
			kpi_buf_adds(&a->etext, "false");
		else if (v->s != NULL)
			kpi_buf_add(&a->etext, v->s, v->len);
		a->eid[e] = kpi_ents_intern(&a->ents[e],
		    a->etext.p ? a->etext.p : "", a->etext.len);
	}
}

/* Each base metric's value in r into a->vals; -1 for a wrong type. */
static int
row_values(struct kpi_agg *a, const struct kpi_rec *r, struct kpi_err *err)
{
	const struct kpi_field *ds = kpi_rec_find(r, "_dataset", 8), *f;
	const struct metric *m;
	size_t i;

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
		if (m->field == NULL)
			continue;
		f = field(r, m->field, m->flen, &a->hint[m->slot]);
		if (f == NULL || f->v.type == KPI_NULL)
			continue;
		/* Counts of ids and of values take any value. */
		if (f->v.type != KPI_NUM && m->ent == ENT_NONE &&
		    m->red != KPI_R_COUNT_FIELD)
			return kpi_err_set(err, NULL, 0, 0, "field '%s': %s%.*s%s "
			    "is not a number", m->field,
			    f->v.type == KPI_STR ? "'" : "",
			    f->v.s ? (int)(f->v.len > 64 ? 64 : f->v.len) : 4,
			    f->v.s ? f->v.s : "true", f->v.type == KPI_STR ?
			    "'" : "");
		/* JSON's 1e999 reads as infinity: no reducer takes it. */
		if (f->v.type == KPI_NUM && !isfinite(f->v.num) &&
		    m->red != KPI_R_COUNT_FIELD)
			return kpi_err_set(err, NULL, 0, 0, "field '%s': %.*s is "
			    "not a finite number", m->field,
			    f->v.s ? (int)(f->v.len > 64 ? 64 : f->v.len) : 3,
			    f->v.s ? f->v.s : "inf");
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
		if (!a->skip[i] && g->st[i] != NULL)
			kpi_rstate_add(g->st[i], a->vals[i], t);
	for (i = 0; i < a->d->nent; i++)
		if (a->ehas[i]) {
			kpi_eset_add(&g->es[i], a->eid[i]);
			if (g->per.index < a->ents[i].first[a->eid[i]])
				a->ents[i].first[a->eid[i]] = g->per.index;
		}
}

int
kpi_agg_add(struct kpi_agg *a, const struct kpi_rec *r, struct kpi_err *err)
{
	struct kpi_period p;
	struct kpi_time t;

	if (row_time(a, r, &t, err) < 0 || row_values(a, r, err) < 0)
		return -1;
	kpi_period_of(&a->o.cal, t.t, &p);
	dims_text(a, r);
	group_add(a, group_get(a, &p, a->key.p, a->key.len), t.t);
	if (a->o.total && a->o.nby > 0)
		group_add(a, group_get(a, &p, "{}", 2), t.t);
	return 0;
}

/* A point's string field key, or NULL. */
static const struct kpi_val *
point_str(const struct kpi_rec *r, const char *key)
{
	const struct kpi_field *f = kpi_rec_find(r, key, strlen(key));

	return f != NULL && f->v.type == KPI_STR ? &f->v : NULL;
}

/* The period a point names, when this calendar has it. */
static int
point_period(struct kpi_agg *a, const struct kpi_rec *r, struct kpi_period *p,
    struct kpi_err *err)
{
	const struct kpi_field *start = kpi_rec_find(r, "start", 5);
	const struct kpi_val *label = point_str(r, "period");
	struct kpi_time t = { 0, 0, 0 };

	if (label == NULL || start == NULL)
		return kpi_err_set(err, NULL, 0, 0, "not a point: no period "
		    "or start");
	if (start->v.type == KPI_STR && kpi_time_parse(a->tf, start->v.s,
	    start->v.len, NULL, 0, &t) != 1)
		return kpi_err_set(err, NULL, 0, 0, "bad start '%.*s'",
		    (int)(start->v.len > 64 ? 64 : start->v.len), start->v.s);
	kpi_period_of(&a->o.cal, t.t, p);
	if ((start->v.type == KPI_NULL) != (a->o.cal.grain == KPI_ALL) ||
	    (start->v.type == KPI_STR && p->start != t.t) ||
	    strlen(p->label) != label->len ||
	    memcmp(p->label, label->s, label->len) != 0)
		return kpi_err_set(err, NULL, 0, 0, "period '%.*s' is not a "
		    "%s of this calendar: --merge needs the --every, --tz, "
		    "--week-start and --fiscal-year-start of the --partial "
		    "runs", (int)(label->len > 64 ? 64 : label->len), label->s,
		    kpi_grain_name(a->o.cal.grain));
	return 0;
}

/* The metric called s[0..n), or NULL. */
static const struct metric *
metric_named(const struct kpi_agg *a, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < a->d->n; i++)
		if (a->d->m[i].nlen == n && memcmp(a->d->m[i].name, s, n) == 0)
			return &a->d->m[i];
	return NULL;
}

/* One state of a point merged into its group. */
static int
merge_state(struct kpi_agg *a, struct group *g, const struct kpi_field *f,
    struct kpi_err *err)
{
	const struct metric *m = metric_named(a, f->key, f->klen);
	struct kpi_eset es;
	size_t i;
	int rc;

	if (m == NULL || !m->base)
		return kpi_err_set(err, NULL, 0, 0, "state of '%.*s', not a "
		    "base metric: --merge needs the definitions of the "
		    "--partial runs", (int)(f->klen > 64 ? 64 : f->klen),
		    f->key);
	if (f->v.type != KPI_RAW)
		return kpi_err_set(err, NULL, 0, 0, "metric '%s': bad state",
		    m->name);
	if (m->ent != ENT_NONE) {
		kpi_eset_init(&es);
		rc = kpi_eset_load(&es, &a->ents[m->eslot], g->per.index,
		    f->v.s, f->v.len, err);
		if (rc == 0)
			kpi_eset_merge(&g->es[m->eslot], &es);
		kpi_eset_release(&es);
		/* One set serves every entity reducer of its field. */
		for (i = 0; rc == 0 && i < a->d->n; i++)
			if (a->d->m[i].ent != ENT_NONE &&
			    a->d->m[i].eslot == m->eslot)
				g->loaded[a->d->m[i].slot] = 1;
	} else if ((rc = kpi_rstate_load(a->tmp[m->slot], f->v.s, f->v.len,
	    err)) == 0) {
		kpi_rstate_merge(g->st[m->slot], a->tmp[m->slot]);
		g->loaded[m->slot] = 1;
	}
	if (rc < 0) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return kpi_err_set(err, NULL, 0, 0, "metric '%s': %s", m->name,
		    msg);
	}
	return 0;
}

int
kpi_agg_add_point(struct kpi_agg *a, const struct kpi_rec *r,
    struct kpi_err *err)
{
	const struct kpi_val *name = point_str(r, "metric");
	const struct kpi_field *dims = kpi_rec_find(r, "dims", 4);
	const struct kpi_field *state = kpi_rec_find(r, "state", 5);
	struct kpi_period p;
	struct group *g;
	size_t i;

	if (name == NULL || dims == NULL || dims->v.type != KPI_RAW ||
	    dims->v.s[0] != '{')
		return kpi_err_set(err, NULL, 0, 0, "not a point: no metric or "
		    "dims");
	if (metric_named(a, name->s, name->len) == NULL)
		return kpi_err_set(err, NULL, 0, 0, "unknown metric '%.*s': "
		    "--merge needs the definitions of the --partial runs",
		    (int)(name->len > 64 ? 64 : name->len), name->s);
	if (state == NULL || state->v.type != KPI_RAW || state->v.s[0] != '{')
		return kpi_err_set(err, NULL, 0, 0, "point without a state: "
		    "not from kpi-aggregate --partial");
	if (point_period(a, r, &p, err) < 0)
		return -1;
	if (kpi_json_parse_object(&a->srec, state->v.s, state->v.len, 0,
	    err) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad state");
	g = group_get(a, &p, dims->v.s, dims->v.len);
	for (i = 0; i < a->srec.n; i++)
		if (merge_state(a, g, &a->srec.f[i], err) < 0)
			return -1;
	return 0;
}

/*
 * --merge: every state the written metrics need, in every group, came
 * from some point; else the partial runs had other definitions.
 */
static int
check_loaded(const struct kpi_agg *a, struct group *const *gs, size_t n,
    struct kpi_err *err)
{
	const struct metric *m, *b;
	size_t i, k, j;

	for (k = 0; k < n; k++)
		for (i = 0; !gs[k]->filled && i < a->d->n; i++) {
			m = &a->d->m[i];
			for (j = 0; m->emit && j < a->d->n; j++) {
				b = &a->d->m[j];
				if (b->base && a->dep[i * a->d->nbase +
				    b->slot] && !gs[k]->loaded[b->slot])
					return kpi_err_set(err, NULL, 0, 0,
					    "no state of '%s' for '%s' in "
					    "period %s %s: --merge needs the "
					    "definitions and --metrics of the "
					    "--partial runs", b->name, m->name,
					    gs[k]->per.label, gs[k]->dims);
			}
		}
	return 0;
}

/* The group of period index idx and dims text s, or NULL. */
static const struct group *
group_find(const struct kpi_agg *a, long long idx, const char *s, size_t n)
{
	uint64_t h = kpi_hash((uint64_t)idx, s, n);
	const struct group *g;

	for (g = a->tab[h & (a->cap - 1)]; g; g = g->next)
		if (g->hash == h && g->per.index == idx && g->dlen == n &&
		    memcmp(g->dims, s, n) == 0)
			return g;
	return NULL;
}

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

/*
 * --fill: every period from the first to the last (or --from to --to) for
 * every set of dims seen, the missing ones as empty groups.
 */
static void
fill(struct kpi_agg *a)
{
	struct group **gs, *g;
	struct kpi_period first, last, p;
	size_t i, n = 0, k, nd;
	long long idx;

	if (a->n == 0 && (a->o.from == LLONG_MIN || a->o.to == LLONG_MAX))
		return;
	gs = kpi_xmalloc((a->n + 1) * sizeof(*gs));
	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = g->next)
			gs[n++] = g;
	if (a->o.from != LLONG_MIN)
		kpi_period_of(&a->o.cal, a->o.from, &first);
	else
		for (first = gs[0]->per, k = 1; k < n; k++)
			if (gs[k]->per.index < first.index)
				first = gs[k]->per;
	if (a->o.to != LLONG_MAX)
		kpi_period_of(&a->o.cal, a->o.to, &last);
	else
		for (last = gs[0]->per, k = 1; k < n; k++)
			if (gs[k]->per.index > last.index)
				last = gs[k]->per;
	/* The dims seen: one group of each stands for its series. */
	for (nd = 0, k = 0; k < n; k++) {
		for (i = 0; i < nd; i++)
			if (gs[i]->dlen == gs[k]->dlen &&
			    memcmp(gs[i]->dims, gs[k]->dims, gs[k]->dlen) == 0)
				break;
		if (i == nd)
			gs[nd++] = gs[k];
	}
	if (nd == 0 && a->o.nby == 0)
		gs[nd++] = NULL;	/* --from/--to without rows: {} */
	for (k = 0; k < nd; k++)
		for (idx = first.index; idx <= last.index; idx++) {
			kpi_period_shift(&a->o.cal, &first, idx - first.index, &p);
			if (group_find(a, idx, gs[k] ? gs[k]->dims : "{}",
			    gs[k] ? gs[k]->dlen : 2) == NULL)
				group_get(a, &p, gs[k] ? gs[k]->dims : "{}",
				    gs[k] ? gs[k]->dlen : 2)->filled = 1;
		}
	free(gs);
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

/* The states of a window's groups merged into st (new states). */
static void
window_states(const struct kpi_agg *a, const struct group *g,
    struct kpi_rstate **st, const struct group **w, size_t max)
{
	size_t i, k, n = window(a, g, w, max);

	for (i = 0; i < a->d->n; i++) {
		if (!a->d->m[i].base)
			continue;
		st[a->d->m[i].slot] = NULL;
		if (a->d->m[i].ent != ENT_NONE)
			continue;
		st[a->d->m[i].slot] = kpi_rstate_new(a->d->m[i].red,
		    a->d->m[i].pct);
		for (k = 0; k < n; k++)
			kpi_rstate_merge(st[a->d->m[i].slot],
			    w[k]->st[a->d->m[i].slot]);
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
	return tmp;
}

/* The counts of one entity set for one point. */
struct ecount {
	const struct kpi_eset *prev;	/* the window before */
	const long long *first;		/* each entity's first period */
	long long lo;			/* the window's first period */
	size_t n, fresh, repeat, retained;
};

static void
ent_count(void *arg, uint32_t e, int many)
{
	struct ecount *c = arg;

	c->n++;
	c->fresh += c->first[e] >= c->lo;
	c->repeat += many != 0;
	c->retained += kpi_eset_has(c->prev, e);
}

/* The entity reducers' values for a point of g. */
static void
ent_values(const struct kpi_agg *a, const struct group *g, double *vals,
    unsigned char *null)
{
	const struct metric *m;
	struct kpi_eset cur, prev;
	struct ecount c;
	long long lo, plo;
	size_t e, i;

	window_range(a, g, &lo, &plo);
	for (e = 0; e < a->d->nent; e++) {
		memset(&c, 0, sizeof(c));
		c.prev = ent_union(a, g, e, plo, lo - 1, &prev);
		c.first = a->ents[e].first;
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

	ent_values(a, g, vals, null);
	for (i = 0; i < a->d->n; i++) {
		m = &a->d->m[i];
		if (m->base && m->ent == ENT_NONE)
			null[i] = !kpi_rstate_value(st[m->slot], &vals[i]);
		/* A period with no rows of an additive metric had none: 0. */
		if (m->base && filled && null[i] && m->red == KPI_R_SUM) {
			vals[i] = 0;
			null[i] = 0;
		}
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

/* An instant in the calendar's zone, or null for --every all. */
static void
put_instant(struct kpi_agg *a, long long t)
{
	struct kpi_time kt = { t, 0, 0 };

	if (a->o.cal.grain == KPI_ALL) {
		kpi_buf_add(&a->pt, "null", 4);
		return;
	}
	kt.off = a->o.cal.tz ? kpi_tz_offset(a->o.cal.tz, t) : 0;
	kpi_buf_addc(&a->pt, '"');
	kpi_time_put(&a->pt, &kt);
	kpi_buf_addc(&a->pt, '"');
}

/* Every group's values, for points and their comparisons. */
struct emit {
	const double *vals;		/* [group pos * nm + metric] */
	const unsigned char *null;
	size_t nm;
	size_t mi;			/* the metric being written */
};

/* A number, or null. */
static void
put_num(struct kpi_buf *b, double v, int null)
{
	if (null || !isfinite(v))
		kpi_buf_add(b, "null", 4);
	else
		kpi_json_put_num(b, v);
}

/*
 * --compare: the value of metric mi in the period compared with, and the
 * changes from it.  A % change against zero or nothing is null.
 */
static void
put_compare(struct kpi_agg *a, const struct metric *m, const struct group *g,
    double v, int null, const struct emit *e)
{
	const struct group *pg;
	struct kpi_period q;
	double prev = 0;
	int pnull = 1;

	compare_period(a, &g->per, &q);
	if ((pg = group_find(a, q.index, g->dims, g->dlen)) != NULL) {
		prev = e->vals[pg->pos * e->nm + e->mi];
		pnull = e->null[pg->pos * e->nm + e->mi];
	}
	kpi_buf_adds(&a->pt, ",\"prev\":");
	put_num(&a->pt, prev, pnull);
	kpi_buf_adds(&a->pt, ",\"change\":");
	put_num(&a->pt, v - prev, null || pnull);
	kpi_buf_adds(&a->pt, ",\"pct_change\":");
	put_num(&a->pt, (v - prev) / fabs(prev), null || pnull || prev == 0);
	if (m->format == KPI_MFMT_PERCENT) {
		/* Percentage points: 0.018 to 0.022 is +0.4. */
		kpi_buf_adds(&a->pt, ",\"pp_change\":");
		put_num(&a->pt, (v - prev) * 100, null || pnull);
	}
}

/* --partial: the states metric mi's points carry (see deps). */
static void
put_states(struct kpi_agg *a, size_t mi, const struct group *g)
{
	const struct metric *b;
	size_t k;

	kpi_buf_adds(&a->pt, ",\"state\":{");
	for (k = 0; k < a->ncarry[mi]; k++) {
		b = &a->d->m[a->carry[mi][k]];
		if (k > 0)
			kpi_buf_addc(&a->pt, ',');
		kpi_json_put_str(&a->pt, b->name, b->nlen);
		kpi_buf_addc(&a->pt, ':');
		if (b->ent != ENT_NONE)
			kpi_eset_put(&a->pt, &g->es[b->eslot],
			    &a->ents[b->eslot]);
		else
			kpi_rstate_put(&a->pt, g->st[b->slot]);
	}
	kpi_buf_addc(&a->pt, '}');
}

static int
put_point(struct kpi_agg *a, struct kpi_out *o, const struct metric *m,
    const struct group *g, const struct emit *e)
{
	double v = e->vals[g->pos * e->nm + e->mi];
	int null = e->null[g->pos * e->nm + e->mi];

	kpi_buf_reset(&a->pt);
	kpi_buf_adds(&a->pt, "{\"metric\":");
	kpi_json_put_str(&a->pt, m->name, m->nlen);
	kpi_buf_adds(&a->pt, ",\"period\":");
	kpi_json_put_str(&a->pt, g->per.label, strlen(g->per.label));
	kpi_buf_adds(&a->pt, ",\"start\":");
	put_instant(a, g->per.start);
	kpi_buf_adds(&a->pt, ",\"end\":");
	put_instant(a, g->per.end);
	kpi_buf_adds(&a->pt, ",\"dims\":");
	kpi_buf_add(&a->pt, g->dims, g->dlen);
	kpi_buf_adds(&a->pt, ",\"value\":");
	put_num(&a->pt, v, null);
	if (a->o.compare != KPI_CMP_NONE)
		put_compare(a, m, g, v, null, e);
	if (m->unit) {
		kpi_buf_adds(&a->pt, ",\"unit\":");
		kpi_json_put_str(&a->pt, m->unit, strlen(m->unit));
	}
	if (a->o.partial)
		put_states(a, m - a->d->m, g);
	kpi_buf_adds(&a->pt, "}\n");
	a->points++;
	return kpi_out_write(o, a->pt.p, a->pt.len);
}

int
kpi_agg_emit(struct kpi_agg *a, struct kpi_out *o, struct kpi_err *err)
{
	size_t nm = a->d->n, i, k, n = 0;
	struct group **gs, *g;
	unsigned char *null, *argnull;
	double *vals, *args;
	struct kpi_rstate **st;
	const struct group **win;
	size_t maxwin = a->o.rolling ? (size_t)a->o.rolling : 400;
	struct emit e;
	int rc = 0;

	if (a->o.fill && a->o.cal.grain != KPI_ALL)
		fill(a);
	gs = kpi_xmalloc((a->n + 1) * sizeof(*gs));
	for (i = 0; i < a->cap; i++)
		for (g = a->tab[i]; g; g = g->next)
			gs[n++] = g;
	qsort(gs, n, sizeof(*gs), group_cmp);
	for (k = 0; k < n; k++)
		gs[k]->pos = k;
	if (a->o.merge && check_loaded(a, gs, n, err) < 0) {
		free(gs);
		return -1;
	}
	vals = kpi_xmalloc((n * nm + 1) * sizeof(*vals));
	null = kpi_xmalloc(n * nm + 1);
	args = kpi_xmalloc((nm + 1) * sizeof(*args));
	argnull = kpi_xmalloc(nm + 1);
	st = kpi_xmalloc((a->d->nbase + 1) * sizeof(*st));
	win = kpi_xmalloc(maxwin * sizeof(*win));
	for (k = 0; k < n; k++)
		if (a->o.rolling || a->o.cumulative) {
			window_states(a, gs[k], st, win, maxwin);
			group_values(a, gs[k], st, vals + k * nm,
			    null + k * nm, args, argnull);
			for (i = 0; i < a->d->nbase; i++)
				kpi_rstate_free(st[i]);
		} else
			group_values(a, gs[k], gs[k]->st, vals + k * nm,
			    null + k * nm, args, argnull);
	e.vals = vals;
	e.null = null;
	e.nm = nm;
	for (i = 0; rc == 0 && i < nm; i++) {
		e.mi = i;
		for (k = 0; rc == 0 && k < n && a->d->m[i].emit; k++)
			rc = put_point(a, o, &a->d->m[i], gs[k], &e);
	}
	free(gs);
	free(vals);
	free(null);
	free(args);
	free(argnull);
	free(st);
	free(win);
	return rc;
}
