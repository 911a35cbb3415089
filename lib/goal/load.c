/*
 * load.c - goals as the commands read them: status lists (--fail-on), the
 * goals of a catalogue and of a goals file, and the --check line.  Kept
 * apart from goals.c, which knows one goal's JSON, so that faces stay a
 * command line and a loop.
 */
#include <math.h>
#include <string.h>

#include "goal/goal.h"

int
kpi_goal_status_list(const char *s, unsigned *set, const char **bad)
{
	enum kpi_goal_status st;
	size_t n;

	for (; *s; s += n + (s[n] == ',')) {
		n = strcspn(s, ",");
		if (kpi_goal_status_parse(s, n, &st) < 0) {
			*bad = s;
			return -1;
		}
		*set |= 1u << st;
	}
	return 0;
}

int
kpi_goals_read(const char *file, struct kpi_goals *gs, struct kpi_defs *d,
    struct kpi_err *err)
{
	struct kpi_buf text;
	const char *p;
	int rc;

	kpi_buf_init(&text);
	rc = kpi_slurp(file, &text, err);
	p = text.p ? text.p : "";
	if (rc == 0 && d && (rc = kpi_defs_load(d, p, text.len, file,
	    err)) == 0)
		rc = kpi_defs_finish(d, NULL, err);
	if (rc == 0 && gs)
		rc = kpi_goals_load(gs, p, text.len, file, err);
	kpi_buf_release(&text);
	return rc;
}

/*
 * lint adds the check that the catalogue defines each goal's metric: an
 * evaluation takes any metric the points have.
 */
int
kpi_goals_define(const char *defsfile, const char *goalsfile, int lint,
    struct kpi_goals *gs, struct kpi_defs **defs, const struct kpi_warn *w,
    struct kpi_err *err)
{
	struct kpi_goals more;
	int rc = 0;

	*defs = NULL;
	kpi_goals_init(&more);
	if (defsfile) {
		*defs = kpi_defs_new();
		if ((rc = kpi_goals_read(defsfile, gs, *defs, err)) == 0)
			rc = kpi_goals_lint(gs, *defs, lint, defsfile, w, err);
	}
	if (rc == 0 && goalsfile && (rc = kpi_goals_read(goalsfile, &more,
	    NULL, err)) == 0)
		rc = kpi_goals_lint(&more, *defs, lint, goalsfile, w, err);
	if (rc == 0)
		rc = kpi_goals_merge(gs, &more, goalsfile, defsfile, err);
	kpi_goals_release(&more);
	return rc;
}

/* A value of a --check line as people read it: 1.88%, not 0.0188. */
static void
show(struct kpi_buf *b, double v, const struct kpi_goal_fail *f)
{
	if (isnan(v))
		kpi_buf_adds(b, "null");
	else
		kpi_fmt_value(b, v, f->format, f->unit, f->ulen);
}

void
kpi_goal_fail_line(struct kpi_buf *b, const struct kpi_goal_fail *f)
{
	kpi_buf_addf(b, "%s: goal '%s' %s %s: value ", kpi_getprogname(),
	    f->goal, f->dims, f->period);
	show(b, f->value, f);
	kpi_buf_adds(b, ", target ");
	show(b, f->target, f);
	kpi_buf_addf(b, ": %s\n", kpi_goal_status_name(f->status));
}
