/*
 * merge.c - partial states: what each point of kpi-aggregate --partial
 * carries, and --merge, which reads those points back and merges their
 * states into its own groups, so that the merged run prints what one run
 * over all the rows would.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"
#include "aggregate/agg.h"
#include "aggregate/series.h"

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
void
agg_carry(struct kpi_agg *a)
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

/*
 * A balance's state, its series' keys their group's dims and id: a
 * --total's are its period's groups', in their dims' order.
 */
static void
partial_put_series(struct kpi_agg *a, const struct group *g, size_t slot)
{
	const struct group *h;
	size_t k = 0, lo, n, j;
	int total = series_total(a, g, slot, &lo, &n), empty = 1;

	for (j = lo; total && j < lo + n; j++)
		empty &= smap_empty(rstate_series(a->byper[j].g->st[slot]));
	if (total ? empty : smap_empty(rstate_series(g->st[slot]))) {
		kpi_buf_adds(&a->pt, "{}");
		return;
	}
	kpi_buf_adds(&a->pt, "{\"s\":{");
	if (!total)
		k = smap_put_members(&a->pt, rstate_series(g->st[slot]),
		    g->dims, g->dlen, 0);
	for (j = lo; total && j < lo + n; j++) {
		h = a->byper[j].g;
		k = smap_put_members(&a->pt, rstate_series(h->st[slot]),
		    h->dims, h->dlen, k);
	}
	kpi_buf_adds(&a->pt, "}}");
}

/* --partial: the states metric mi's points carry (see deps). */
void
partial_put_states(struct kpi_agg *a, size_t mi, const struct group *g)
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
		/* null: this part had no row of the data set (not 0 rows
		   of a data set it had), so --merge can tell the two. */
		if (agg_absent(a, b))
			kpi_buf_adds(&a->pt, "null");
		else if (b->ent != ENT_NONE)
			kpi_eset_put(&a->pt, &g->es[b->eslot],
			    &a->ents[b->eslot]);
		else if (a->bal[b->slot] != NULL)
			partial_put_series(a, g, b->slot);
		else
			kpi_rstate_put(&a->pt, g->st[b->slot]);
	}
	kpi_buf_addc(&a->pt, '}');
}

/* The period of point p, when this calendar has it. */
static int
point_period(const struct kpi_agg *a, const struct kpi_point *p,
    struct kpi_period *per, struct kpi_err *err)
{
	kpi_period_of(&a->o.cal, p->has_range ? p->start.t : 0, per);
	if (p->has_range != (a->o.cal.grain != KPI_ALL) ||
	    (p->has_range && per->start != p->start.t) ||
	    strlen(per->label) != p->plen ||
	    memcmp(per->label, p->period, p->plen) != 0)
		return kpi_err_set(err, NULL, 0, 0, "period '%.*s' is not a "
		    "%s of this calendar: --merge needs the --every, --tz, "
		    "--week-start and --fiscal-year-start of the --partial "
		    "runs", (int)(p->plen > 64 ? 64 : p->plen), p->period,
		    kpi_grain_name(a->o.cal.grain));
	return 0;
}

/* One state of a point merged into its group. */
static int
merge_state(struct kpi_agg *a, struct group *g, const struct kpi_field *f,
    struct kpi_err *err)
{
	long mi = kpi_defs_find(a->d, f->key, f->klen);
	const struct metric *m = mi < 0 ? NULL : &a->d->m[mi];
	struct kpi_eset es;
	size_t i;
	int rc;

	if (m == NULL || !m->base)
		return kpi_err_set(err, NULL, 0, 0, "state of '%.*s', not a "
		    "base metric: --merge needs the definitions of the "
		    "--partial runs", (int)(f->klen > 64 ? 64 : f->klen),
		    f->key);
	if (f->v.type != KPI_RAW && f->v.type != KPI_NULL)
		return kpi_err_set(err, NULL, 0, 0, "metric '%s': bad state",
		    m->name);
	rc = 0;
	if (f->v.type == KPI_NULL) {
		/* A part without the data set: loaded, nothing to merge. */
		for (i = 0; i < a->d->n; i++)
			if (&a->d->m[i] == m || (m->ent != ENT_NONE &&
			    a->d->m[i].ent != ENT_NONE &&
			    a->d->m[i].eslot == m->eslot))
				g->loaded[a->d->m[i].slot] = 1;
	} else if (m->ent != ENT_NONE) {
		a->seen[m->slot] = 1;
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
				g->loaded[a->d->m[i].slot] =
				    a->seen[a->d->m[i].slot] = 1;
	} else if ((rc = a->bal[m->slot] == NULL ? kpi_rstate_load(
	    a->tmp[m->slot], f->v.s, f->v.len, err) : rstate_series_load(
	    a->tmp[m->slot], &a->sids[m->slot], g->dims, g->dlen, f->v.s,
	    f->v.len, err)) == 0) {
		kpi_rstate_merge(g->st[m->slot], a->tmp[m->slot]);
		g->loaded[m->slot] = a->seen[m->slot] = 1;
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
	struct kpi_point p;
	struct kpi_period per;
	struct group *g;
	size_t i;

	if (kpi_point_read(&p, r, err) < 0)
		return -1;
	if (kpi_defs_find(a->d, p.metric, p.mlen) < 0)
		return kpi_err_set(err, NULL, 0, 0, "unknown metric '%.*s': "
		    "--merge needs the definitions of the --partial runs",
		    (int)(p.mlen > 64 ? 64 : p.mlen), p.metric);
	if (p.state == NULL || p.state[0] != '{')
		return kpi_err_set(err, NULL, 0, 0, "point without a state: "
		    "not from kpi-aggregate --partial");
	if (point_period(a, &p, &per, err) < 0)
		return -1;
	/* After the periods reported: nothing written uses its state. */
	if (per.index > a->last)
		return 1;
	if (kpi_json_parse_object(&a->srec, p.state, p.slen, 0, err) < 0)
		return kpi_err_set(err, NULL, 0, 0, "bad state");
	agg_range(a, r, per.index);
	g = group_get(a, &per, p.dims, p.dlen);
	for (i = 0; i < a->srec.n; i++)
		if (merge_state(a, g, &a->srec.f[i], err) < 0)
			return -1;
	return !agg_reported(a, per.index);
}

/*
 * --merge: every state the written metrics need, in every group, came
 * from some point; else the partial runs had other definitions.
 */
int
merge_check_loaded(const struct kpi_agg *a, struct group *const *gs, size_t n,
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
