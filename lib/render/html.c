/*
 * html.c - the dashboard: one self-contained HTML file (inline CSS and
 * SVG, no script, nothing fetched) with a card per series: its value,
 * target, status in words and colour, change against the period before,
 * a progress bar for goals that have progress, and a line chart of its
 * periods with the target line or band.  Cards are grouped by funnel
 * stage when the catalogue gives one (traffic, conversion, retention,
 * profitability first, then the others as met).  Colours come from CSS
 * variables with a dark set under prefers-color-scheme, and print plainly.
 * Every text from the input is escaped.
 */
#include <string.h>

#include "render/room.h"

static const char style[] =
":root{--bg:#f6f7f9;--card:#fff;--fg:#1c2024;--muted:#59636e;"
"--line:#d1d9e0;--good:#1a7f37;--warn:#9a6700;--bad:#cf222e;"
"--none:#6e7781;--accent:#0969da;--band:rgba(9,105,218,.13)}\n"
"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;"
"--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--good:#3fb950;"
"--warn:#d29922;--bad:#f85149;--none:#8b949e;--accent:#4493f8;"
"--band:rgba(68,147,248,.2)}}\n"
"*{box-sizing:border-box}\n"
"body{margin:0;padding:24px;background:var(--bg);color:var(--fg);"
"font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}\n"
"h1{font-size:1.5em;margin:0 0 4px}\n"
"h2{font-size:1em;text-transform:uppercase;letter-spacing:.06em;"
"color:var(--muted);margin:28px 0 10px}\n"
".sub{color:var(--muted);margin:0 0 8px}\n"
".grid{display:grid;grid-template-columns:repeat(auto-fill,"
"minmax(270px,1fr));gap:14px}\n"
".card{background:var(--card);border:1px solid var(--line);"
"border-top:4px solid var(--none);border-radius:8px;padding:12px 14px;"
"break-inside:avoid}\n"
".card.met,.card.on_track{border-top-color:var(--good)}\n"
".card.at_risk{border-top-color:var(--warn)}\n"
".card.off_track,.card.missed{border-top-color:var(--bad)}\n"
".card.plain{border-top-color:var(--line)}\n"
".kpi{font-weight:600;overflow-wrap:anywhere}\n"
".dims{color:var(--muted);font-size:.85em;overflow-wrap:anywhere}\n"
".value{font-size:1.9em;font-weight:650;margin:4px 0 2px;"
"font-variant-numeric:tabular-nums}\n"
".meta{color:var(--muted);font-size:.85em;margin:2px 0}\n"
".status{display:inline-block;padding:0 8px;border-radius:10px;"
"font-size:.85em;font-weight:600;border:1px solid currentColor}\n"
".status.met,.status.on_track,.good{color:var(--good)}\n"
".status.at_risk{color:var(--warn)}\n"
".status.off_track,.status.missed,.bad{color:var(--bad)}\n"
".status.no_data,.status.insufficient_history{color:var(--none)}\n"
".bar{height:6px;background:var(--line);border-radius:3px;"
"overflow:hidden;margin:8px 0 2px}\n"
".bar span{display:block;height:100%;background:var(--accent)}\n"
"svg{display:block;width:100%;height:auto;margin-top:8px}\n"
"svg .line{fill:none;stroke:var(--accent);stroke-width:2;"
"stroke-linejoin:round}\n"
"svg .dot{fill:var(--accent)}\n"
"svg .target{stroke:var(--muted);stroke-width:1.5;stroke-dasharray:5 4}\n"
"svg .band{fill:var(--band)}\n"
"svg text{fill:var(--muted);font-size:10px}\n"
".empty{color:var(--muted)}\n"
"@media print{body{background:#fff;color:#000;padding:0}"
".card{border-color:#888;background:#fff}"
".meta,.dims,h2{color:#333}}\n";

#define W 240
#define H 64

static void
esc(struct kpi_buf *b, const char *s)
{
	kpi_esc_html(b, s, strlen(s));
}

static void
begin_html(struct kpi_render *r)
{
	kpi_buf_adds(&r->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
	esc(&r->b, render_title(r));
	kpi_buf_adds(&r->b, "</title>\n<style>\n");
	kpi_buf_adds(&r->b, style);
	kpi_buf_adds(&r->b, "</style>\n</head>\n<body>\n<h1>");
	esc(&r->b, render_title(r));
	kpi_buf_adds(&r->b, "</h1>\n");
}

/* The y of v in a chart from lo to hi. */
static double
ypos(double v, double lo, double hi)
{
	return 6 + (H - 12) * (hi > lo ? (hi - v) / (hi - lo) : 0.5);
}

static void
widen(struct kpi_maybe m, double *lo, double *hi, int *seen)
{
	if (m.null)
		return;
	if (!*seen || m.v < *lo)
		*lo = m.v;
	if (!*seen || m.v > *hi)
		*hi = m.v;
	*seen = 1;
}

/* The range a chart shows: the values, and the target or band. */
static void
range_of(const struct kpi_series *s, const struct kpi_reval *e, double *lo,
    double *hi)
{
	size_t i;
	int seen = 0;

	for (i = 0; i < s->nrows; i++)
		widen(s->rows[i].value, lo, hi, &seen);
	if (e) {
		widen(e->target, lo, hi, &seen);
		widen(e->low, lo, hi, &seen);
		widen(e->high, lo, hi, &seen);
	}
}

/* The line of the periods (broken at nulls) over the target or band. */
static void
chart(struct kpi_buf *b, const struct kpi_series *s, const struct kpi_reval *e)
{
	double lo = 0, hi = 0, x, y;
	size_t i;
	int open = 0;

	range_of(s, e, &lo, &hi);
	kpi_buf_addf(b, "<svg viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"", W, H);
	kpi_buf_addf(b, "%zu periods of ", s->nrows);
	esc(b, s->metric);
	kpi_buf_adds(b, "\">");
	if (e && !e->low.null && !e->high.null)
		kpi_buf_addf(b, "<rect class=\"band\" x=\"0\" y=\"%.1f\" "
		    "width=\"%d\" height=\"%.1f\"/>", ypos(e->high.v, lo, hi),
		    W, ypos(e->low.v, lo, hi) - ypos(e->high.v, lo, hi));
	if (e && !e->target.null)
		kpi_buf_addf(b, "<line class=\"target\" x1=\"0\" y1=\"%.1f\" "
		    "x2=\"%d\" y2=\"%.1f\"/>", ypos(e->target.v, lo, hi), W,
		    ypos(e->target.v, lo, hi));
	for (i = 0; i < s->nrows; i++) {
		if (s->rows[i].value.null) {
			if (open)
				kpi_buf_adds(b, "\"/>");
			open = 0;
			continue;
		}
		x = s->nrows > 1 ? 4 + (W - 8) * (double)i /
		    (double)(s->nrows - 1) : W / 2.0;
		y = ypos(s->rows[i].value.v, lo, hi);
		if (!open)
			kpi_buf_adds(b, "<polyline class=\"line\" points=\"");
		kpi_buf_addf(b, "%s%.1f,%.1f", open ? " " : "", x, y);
		open = 1;
	}
	if (open)
		kpi_buf_adds(b, "\"/>");
	/* A dot per period, so that one between nulls shows; the latest
	   larger. */
	for (i = 0; i < s->nrows; i++)
		if (!s->rows[i].value.null)
			kpi_buf_addf(b, "<circle class=\"dot\" cx=\"%.1f\" "
			    "cy=\"%.1f\" r=\"%s\"/>", s->nrows > 1 ? 4 +
			    (W - 8) * (double)i / (double)(s->nrows - 1) :
			    W / 2.0, ypos(s->rows[i].value.v, lo, hi),
			    i + 1 == s->nrows ? "3" : "1.8");
	kpi_buf_adds(b, "</svg>\n");
}

static void
change_line(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_rrow *row)
{
	struct kpi_buf t;
	int good = 0, sign;

	kpi_buf_init(&t);
	if ((sign = render_change(&t, s, row, &good)) != -2) {
		kpi_buf_addf(b, "<div class=\"meta\"><span class=\"%s\">%s",
		    sign == 0 ? "flat" : good ? "good" : "bad",
		    sign > 0 ? "▲ " : sign < 0 ? "▼ " : "");
		esc(b, t.p);
		kpi_buf_adds(b, "</span> on the period before</div>\n");
	}
	kpi_buf_release(&t);
}

static void
goal_lines(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_reval *e)
{
	struct kpi_buf t;
	double pct;

	kpi_buf_init(&t);
	kpi_buf_adds(b, "<div class=\"meta\">");
	esc(b, e->goal);
	render_target(&t, s, e);
	if (t.len) {
		kpi_buf_adds(b, ": target ");
		esc(b, t.p);
	}
	kpi_buf_addf(b, " <span class=\"status %s\">%s</span></div>\n",
	    kpi_goal_status_name(e->status), render_status_words(e->status));
	if (!e->progress.null) {
		pct = e->progress.v < 0 ? 0 : e->progress.v > 1 ? 1 :
		    e->progress.v;
		kpi_buf_reset(&t);
		kpi_fmt_value(&t, e->progress.v, KPI_MFMT_PERCENT, NULL, 0);
		kpi_buf_addf(b, "<div class=\"bar\"><span style=\"width:%.1f%%"
		    "\"></span></div>\n<div class=\"meta\">", pct * 100);
		esc(b, t.p);
		kpi_buf_adds(b, " of the way to target</div>\n");
	}
	kpi_buf_release(&t);
}

/* A line needs two periods with values; one dot says nothing more than
   the value above it. */
static int
charted(const struct kpi_series *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nrows; i++)
		n += !s->rows[i].value.null;
	return n >= 2;
}

static void
card(struct kpi_buf *b, const struct kpi_series *s)
{
	const struct kpi_rrow *row = kpi_series_latest(s);
	const struct kpi_reval *e = render_eval(row);
	struct kpi_buf t;

	kpi_buf_init(&t);
	kpi_buf_addf(b, "<article class=\"card %s\">\n<div class=\"kpi\">",
	    e ? kpi_goal_status_name(e->status) : "plain");
	esc(b, s->metric);
	kpi_buf_adds(b, "</div>\n");
	kpi_dims_text(&t, s->dims, ", ");
	if (t.len) {
		kpi_buf_adds(b, "<div class=\"dims\">");
		esc(b, t.p);
		kpi_buf_adds(b, "</div>\n");
	}
	kpi_buf_reset(&t);
	render_value(&t, s, row->value);
	kpi_buf_adds(b, "<div class=\"value\">");
	esc(b, t.p ? t.p : "");
	kpi_buf_adds(b, "</div>\n<div class=\"meta\">");
	esc(b, row->period);
	kpi_buf_adds(b, "</div>\n");
	change_line(b, s, row);
	if (e)
		goal_lines(b, s, e);
	if (charted(s))
		chart(b, s, e);
	kpi_buf_adds(b, "</article>\n");
	kpi_buf_release(&t);
}

static int
same_group(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The section of the series of group g (NULL: those without one). */
static void
section(struct kpi_render *r, const char *g, int heading)
{
	size_t i;

	if (heading) {
		kpi_buf_adds(&r->b, "<section>\n<h2>");
		esc(&r->b, g ? g : "other");
		kpi_buf_adds(&r->b, "</h2>\n");
	} else
		kpi_buf_adds(&r->b, "<section>\n");
	kpi_buf_adds(&r->b, "<div class=\"grid\">\n");
	for (i = 0; i < r->nseries; i++)
		if (same_group(r->series[i]->group, g)) {
			card(&r->b, r->series[i]);
			render_send(r);
		}
	kpi_buf_adds(&r->b, "</div>\n</section>\n");
}

static int
group_seen(struct kpi_render *r, size_t upto, const char *g)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (same_group(r->series[i]->group, g))
			return 1;
	return 0;
}

static void
end_html(struct kpi_render *r)
{
	static const char *const stages[] = { "traffic", "conversion",
		"retention", "profitability" };
	size_t i, k;
	int grouped = 0;

	for (i = 0; i < r->nseries; i++)
		grouped |= r->series[i]->group != NULL;
	kpi_buf_addf(&r->b, "<p class=\"sub\">%zu KPI series from %zu "
	    "records</p>\n", r->nseries, r->nrec);
	if (r->nseries == 0)
		kpi_buf_adds(&r->b, "<p class=\"empty\">No KPIs in the "
		    "input.</p>\n");
	else if (!grouped)
		section(r, NULL, 0);
	else {
		for (k = 0; k < 4; k++)
			if (group_seen(r, r->nseries, stages[k]))
				section(r, stages[k], 1);
		for (i = 0; i < r->nseries; i++) {
			const char *g = r->series[i]->group;

			for (k = 0; k < 4 && g; k++)
				if (strcmp(g, stages[k]) == 0)
					break;
			if (k == 4 && !group_seen(r, i, g))
				section(r, g, 1);
			else if (g == NULL && !group_seen(r, i, NULL))
				section(r, NULL, 1);
		}
	}
	kpi_buf_adds(&r->b, "</body>\n</html>\n");
}

const struct render_ops kpi_render_html = {
	"html", 0, begin_html, NULL, end_html, NULL
};
