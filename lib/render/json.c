/*
 * json.c - one summary document for tools that want a single object:
 * {"title":..., "kpis":[{metric, dims, unit, format, direction, group,
 * latest: {period, value, change..., goals: [...]}, history: [...]}]}.
 * Numbers as kpi(7) writes them, not formatted; pretty-printed one KPI
 * per line so that a diff of two reports reads.
 */
#include <string.h>

#include "render/room.h"

static void
key_str(struct kpi_buf *b, const char *key, const char *s)
{
	kpi_buf_addf(b, ",\"%s\":", key);
	if (s)
		kpi_json_put_str(b, s, strlen(s));
	else
		kpi_buf_adds(b, "null");
}

static void
key_num(struct kpi_buf *b, const char *key, struct kpi_maybe m)
{
	kpi_buf_addf(b, ",\"%s\":", key);
	kpi_maybe_put(b, m);
}

static void
goal(struct kpi_buf *b, const struct kpi_reval *e)
{
	kpi_buf_adds(b, "{\"name\":");
	kpi_json_put_str(b, e->goal, strlen(e->goal));
	key_str(b, "kind", e->kind);
	key_str(b, "status", kpi_goal_status_name(e->status));
	key_num(b, "target", e->target);
	key_num(b, "gap", e->gap);
	key_num(b, "progress", e->progress);
	key_num(b, "expected", e->expected);
	key_num(b, "projected", e->projected);
	if (!e->low.null || !e->high.null) {
		key_num(b, "low", e->low);
		key_num(b, "high", e->high);
	}
	kpi_buf_addc(b, '}');
}

static void
period(struct kpi_buf *b, const struct kpi_rrow *row, int full)
{
	size_t i;

	kpi_buf_adds(b, "{\"period\":");
	kpi_json_put_str(b, row->period, strlen(row->period));
	key_num(b, "value", row->value);
	if (full && row->has_compare) {
		key_num(b, "prev", row->prev);
		key_num(b, "change", row->change);
		key_num(b, "pct_change", row->pct_change);
	}
	if (full && row->has_pp)
		key_num(b, "pp_change", row->pp_change);
	if (row->nev) {
		kpi_buf_adds(b, ",\"goals\":[");
		for (i = 0; i < row->nev; i++) {
			if (i)
				kpi_buf_addc(b, ',');
			goal(b, &row->ev[i]);
		}
		kpi_buf_addc(b, ']');
	}
	kpi_buf_addc(b, '}');
}

static void
kpi(struct kpi_buf *b, const struct kpi_series *s)
{
	size_t i;

	kpi_buf_adds(b, "{\"metric\":");
	kpi_json_put_str(b, s->metric, strlen(s->metric));
	kpi_buf_adds(b, ",\"dims\":");
	kpi_buf_adds(b, s->dims);
	key_str(b, "unit", s->unit);
	key_str(b, "format", kpi_mformat_name(s->format));
	key_str(b, "direction", s->lower_better ? "lower" : "higher");
	key_str(b, "group", s->group);
	kpi_buf_adds(b, ",\"latest\":");
	period(b, kpi_series_latest(s), 1);
	kpi_buf_adds(b, ",\"history\":[");
	for (i = 0; i < s->nrows; i++) {
		if (i)
			kpi_buf_addc(b, ',');
		period(b, &s->rows[i], 0);
	}
	kpi_buf_adds(b, "]}");
}

static void
end_json(struct kpi_render *r)
{
	const char *title = render_title(r);
	size_t i;

	kpi_buf_adds(&r->b, "{\"title\":");
	kpi_json_put_str(&r->b, title, strlen(title));
	kpi_buf_addf(&r->b, ",\"records\":%zu,\"kpis\":[", r->nrec);
	for (i = 0; i < r->nseries; i++) {
		kpi_buf_adds(&r->b, i ? ",\n " : "\n ");
		kpi(&r->b, r->series[i]);
		if (render_send(r) < 0)
			return;
	}
	kpi_buf_adds(&r->b, r->nseries ? "\n]}\n" : "]}\n");
}

const struct render_ops kpi_render_json = {
	"json", 0, NULL, NULL, end_json, NULL
};
