/*
 * markdown.c - GitHub-flavoured Markdown for a pull-request comment or a
 * CI step summary: one table of the latest period of each series with a
 * status mark, then the history of each series folded into <details>.
 * GitHub refuses a step summary over 1 MiB, so the history stops before
 * the report reaches LIMIT and says so; the summary table always stays.
 */
#include <string.h>

#include "render/room.h"

#define LIMIT (900 * 1024)

static const char *
mark(const struct kpi_reval *e)
{
	if (e == NULL)
		return "";
	switch (e->status) {
	case KPI_ST_MET: return "✅";
	case KPI_ST_ON_TRACK: return "🟢";
	case KPI_ST_AT_RISK: return "⚠️";
	case KPI_ST_OFF_TRACK:
	case KPI_ST_MISSED: return "❌";
	default: return "⬜";
	}
}

static void
md(struct kpi_buf *b, const char *s)
{
	kpi_esc_md(b, s, strlen(s));
}

/* " | " and the escaped text of b, which is emptied. */
static void
md_cell(struct kpi_buf *out, struct kpi_buf *b)
{
	kpi_buf_adds(out, " | ");
	kpi_esc_md(out, b->p ? b->p : "", b->len);
	kpi_buf_reset(b);
}

/* The cells value, target and status of one period. */
static void
period_cells(struct kpi_buf *out, struct kpi_buf *b,
    const struct kpi_series *s, const struct kpi_rrow *row)
{
	const struct kpi_reval *e = render_eval(row);

	render_value(b, s, row->value);
	md_cell(out, b);
	if (e)
		render_target(b, s, e);
	md_cell(out, b);
	kpi_buf_adds(b, e ? render_status_words(e->status) : "");
	md_cell(out, b);
}

static void
summary_line(struct kpi_buf *out, const struct kpi_series *s)
{
	const struct kpi_rrow *row = kpi_series_latest(s);
	const struct kpi_reval *e = render_eval(row);
	struct kpi_buf b;
	int good, sign;

	kpi_buf_init(&b);
	kpi_buf_adds(out, "| ");
	kpi_buf_adds(out, mark(e));
	kpi_buf_adds(&b, s->metric);
	md_cell(out, &b);
	kpi_dims_text(&b, s->dims, ", ");
	md_cell(out, &b);
	kpi_buf_adds(&b, row->period);
	md_cell(out, &b);
	period_cells(out, &b, s, row);
	if ((sign = render_change(&b, s, row, &good)) != -2) {
		kpi_buf_adds(out, " | ");
		kpi_buf_adds(out, sign > 0 ? "▲ " : sign < 0 ? "▼ " : "");
		kpi_esc_md(out, b.p, b.len);
		if (sign != 0)
			kpi_buf_adds(out, good ? " (good)" : " (bad)");
		kpi_buf_reset(&b);
	} else
		kpi_buf_adds(out, " | ");
	kpi_buf_adds(out, " |\n");
	kpi_buf_release(&b);
}

static void
history(struct kpi_buf *out, const struct kpi_series *s)
{
	struct kpi_buf b;
	size_t i;

	kpi_buf_init(&b);
	kpi_buf_adds(out, "\n#### ");
	md(out, s->metric);
	kpi_dims_text(&b, s->dims, ", ");
	if (b.len) {
		kpi_buf_adds(out, " (");
		kpi_esc_md(out, b.p, b.len);
		kpi_buf_adds(out, ")");
		kpi_buf_reset(&b);
	}
	kpi_buf_adds(out, "\n\n| Period | Value | Target | Status |\n"
	    "|---|--:|--:|---|\n");
	for (i = 0; i < s->nrows; i++) {
		kpi_buf_adds(out, "| ");
		md(out, s->rows[i].period);
		period_cells(out, &b, s, &s->rows[i]);
		kpi_buf_adds(out, " |\n");
	}
	kpi_buf_release(&b);
}

static void
end_markdown(struct kpi_render *r)
{
	size_t i;

	kpi_buf_adds(&r->b, "## ");
	md(&r->b, render_title(r));
	kpi_buf_adds(&r->b, "\n\n");
	if (r->nseries == 0) {
		kpi_buf_adds(&r->b, "No KPIs in the input.\n");
		return;
	}
	kpi_buf_adds(&r->b, "| | KPI | Dims | Period | Value | Target | "
	    "Status | Change |\n|:-:|---|---|---|--:|--:|---|--:|\n");
	for (i = 0; i < r->nseries; i++)
		summary_line(&r->b, r->series[i]);
	kpi_buf_adds(&r->b, "\n<details><summary>History</summary>\n");
	for (i = 0; i < r->nseries; i++) {
		if (r->b.len > LIMIT) {
			kpi_buf_addf(&r->b, "\n_%zu more series left out: "
			    "GitHub takes at most 1 MiB._\n", r->nseries - i);
			break;
		}
		history(&r->b, r->series[i]);
	}
	kpi_buf_adds(&r->b, "\n</details>\n");
}

const struct render_ops kpi_render_markdown = {
	"markdown", 0, NULL, NULL, end_markdown, NULL
};
