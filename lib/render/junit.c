/*
 * junit.c - JUnit XML, so that CI systems show goals as tests: one
 * testcase per goal of each series, on the latest period it evaluated
 * (the clock's), classname the KPI, name the goal and the dims.  off_track
 * and missed fail, and so do the statuses of --fail-on; no_data and
 * insufficient_history are skipped unless --fail-on names them.  The
 * value, target and status are in the failure's message attribute and in
 * its text too, since GitLab shows only the text.
 */
#include <string.h>

#include "render/room.h"

static int
fails(const struct kpi_render *r, enum kpi_goal_status st)
{
	return st == KPI_ST_OFF_TRACK || st == KPI_ST_MISSED ||
	    (r->opts.fail_on & (1u << st)) != 0;
}

static int
skipped(const struct kpi_render *r, enum kpi_goal_status st)
{
	return !fails(r, st) && (st == KPI_ST_NO_DATA ||
	    st == KPI_ST_INSUFFICIENT);
}

static void
xml(struct kpi_buf *b, const char *s, size_t n)
{
	kpi_esc_xml(b, s, n);
}

/* "value £12.00, target £20.00, status off_track (period 2024-03)". */
static void
verdict(struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_rrow *row, const struct kpi_reval *e)
{
	kpi_buf_adds(b, "value ");
	render_value(b, s, row->value);
	if (!e->target.null || !e->low.null) {
		kpi_buf_adds(b, ", target ");
		render_target(b, s, e);
	}
	kpi_buf_addf(b, ", status %s, period %s", kpi_goal_status_name(e->status),
	    row->period);
}

static void
testcase(struct kpi_render *r, struct kpi_buf *b, const struct kpi_series *s,
    const struct kpi_rrow *row, const struct kpi_reval *e)
{
	struct kpi_buf t;

	kpi_buf_init(&t);
	kpi_buf_adds(b, "    <testcase classname=\"");
	xml(b, s->metric, strlen(s->metric));
	kpi_buf_adds(b, "\" name=\"");
	kpi_buf_adds(&t, e->goal);
	if (strcmp(s->dims, "{}") != 0) {
		kpi_buf_adds(&t, " [");
		kpi_dims_text(&t, s->dims, ", ");
		kpi_buf_addc(&t, ']');
	}
	xml(b, t.p, t.len);
	kpi_buf_reset(&t);
	kpi_buf_adds(b, "\" time=\"0\">\n");
	verdict(&t, s, row, e);
	if (fails(r, e->status)) {
		kpi_buf_addf(b, "      <failure type=\"%s\" message=\"",
		    kpi_goal_status_name(e->status));
		xml(b, t.p, t.len);
		kpi_buf_adds(b, "\">");
		xml(b, t.p, t.len);
		kpi_buf_adds(b, "</failure>\n");
	} else if (skipped(r, e->status)) {
		kpi_buf_adds(b, "      <skipped message=\"");
		xml(b, t.p, t.len);
		kpi_buf_adds(b, "\"/>\n");
	}
	kpi_buf_adds(b, "      <system-out>");
	xml(b, t.p, t.len);
	kpi_buf_adds(b, "</system-out>\n    </testcase>\n");
	kpi_buf_release(&t);
}

static void
end_junit(struct kpi_render *r)
{
	const struct kpi_rrow *row;
	struct kpi_buf cases;
	size_t i, j, tests = 0, failures = 0, skips = 0;
	const char *title = render_title(r);

	kpi_buf_init(&cases);
	for (i = 0; i < r->nseries; i++) {
		if ((row = render_latest_eval(r->series[i])) == NULL)
			continue;
		for (j = 0; j < row->nev; j++) {
			tests++;
			failures += fails(r, row->ev[j].status);
			skips += skipped(r, row->ev[j].status);
			testcase(r, &cases, r->series[i], row, &row->ev[j]);
		}
	}
	kpi_buf_adds(&r->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"");
	xml(&r->b, title, strlen(title));
	kpi_buf_addf(&r->b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "skipped=\"%zu\" time=\"0\">\n  <testsuite name=\"", tests,
	    failures, skips);
	xml(&r->b, title, strlen(title));
	kpi_buf_addf(&r->b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "skipped=\"%zu\" time=\"0\">\n", tests, failures, skips);
	if (cases.len)
		kpi_buf_add(&r->b, cases.p, cases.len);
	else
		kpi_buf_adds(&r->b, "    <!-- no goal evaluations in the "
		    "input -->\n");
	kpi_buf_adds(&r->b, "  </testsuite>\n</testsuites>\n");
	kpi_buf_release(&cases);
}

const struct render_ops kpi_render_junit = {
	"junit", 0, NULL, NULL, end_junit, NULL
};
