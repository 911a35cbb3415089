/*
 * goals.c - goal definitions: the "goals" array of a KPI catalogue or of a
 * goals file, read with jansson, and their SMART lint.
 *
 * jansson knows the line and column of a syntax error only; a goal that
 * parses but is wrong is named by its name (or its index) and what is
 * wrong with it, as "kpis.json: goal 'cr_up': no deadline (not time-bound)".
 */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goal/goal.h"

/* Every key a goal may have; anything else is an error. */
static const char *const goal_keys[] = {
	"name", "metric", "kind", "direction", "target", "targets", "low",
	"high", "baseline", "change", "against", "start", "deadline", "every",
	"pace", "dims", "per", "objective", "window", "z", "sides",
	"description", NULL
};

void
kpi_goals_init(struct kpi_goals *gs)
{
	gs->g = NULL;
	gs->n = 0;
}

static void
goal_release(struct kpi_goal *g)
{
	size_t i;

	free(g->name);
	free(g->metric);
	free(g->dims);
	free(g->per);
	free(g->objective);
	for (i = 0; i < g->ntargets; i++)
		free(g->tlabel[i]);
	free(g->tlabel);
	free(g->tvalue);
}

void
kpi_goals_release(struct kpi_goals *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		goal_release(&gs->g[i]);
	free(gs->g);
	kpi_goals_init(gs);
}

/* What goes wrong in a goal: "goal 'name': ..." or "goal 3: ...". */
static int
bad(struct kpi_err *err, const char *file, const struct kpi_goal *g,
    size_t i, const char *what, const char *key)
{
	if (g->name)
		return kpi_err_set(err, file, 0, 0, "goal '%s': %s%s%s%s",
		    g->name, what, key ? " '" : "", key ? key : "",
		    key ? "'" : "");
	return kpi_err_set(err, file, 0, 0, "goal %zu: %s%s%s%s", i + 1, what,
	    key ? " '" : "", key ? key : "", key ? "'" : "");
}

/* The compact JSON text of an object of strings, as points write dims. */
static char *
dims_text(json_t *o)
{
	struct kpi_buf b;
	const char *key;
	json_t *v;
	char *s;
	int first = 1;

	kpi_buf_init(&b);
	kpi_buf_addc(&b, '{');
	json_object_foreach(o, key, v) {
		if (!first)
			kpi_buf_addc(&b, ',');
		first = 0;
		kpi_json_put_str(&b, key, strlen(key));
		kpi_buf_addc(&b, ':');
		kpi_json_put_str(&b, json_string_value(v),
		    json_string_length(v));
	}
	kpi_buf_addc(&b, '}');
	s = kpi_xmemdup(b.p, b.len);
	kpi_buf_release(&b);
	return s;
}

/* "targets": {"2025-01": 40000, ...}. */
static int
load_targets(struct kpi_goal *g, json_t *o)
{
	const char *key;
	json_t *v;
	size_t n = json_object_size(o);

	g->tlabel = kpi_xmalloc((n ? n : 1) * sizeof(*g->tlabel));
	g->tvalue = kpi_xmalloc((n ? n : 1) * sizeof(*g->tvalue));
	json_object_foreach(o, key, v) {
		if (!json_is_number(v))
			return -1;
		g->tlabel[g->ntargets] = kpi_xstrdup(key);
		g->tvalue[g->ntargets++] = json_number_value(v);
	}
	return 0;
}

/* A number key: NAN when absent; -1 when not a number. */
static int
num(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	*out = NAN;
	if (v == NULL)
		return 0;
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* A string key: NULL when absent; -1 when not a string. */
static int
str(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/*
 * Checks the keys and the types of the number and string keys: NULL, or
 * the key at fault with *unknown set when no goal has such a key.
 */
static const char *
check_keys(json_t *o, int *unknown)
{
	static const char *const nums[] = { "target", "low", "high",
	    "baseline", "change", "z", NULL };
	static const char *const strs[] = { "name", "metric", "kind",
	    "direction", "against", "start", "deadline", "every", "pace",
	    "per", "objective", "sides", "description", NULL };
	const char *key, *s;
	json_t *v;
	size_t i;
	double d;

	*unknown = 1;
	json_object_foreach(o, key, v) {
		for (i = 0; goal_keys[i] && strcmp(goal_keys[i], key); i++)
			;
		if (goal_keys[i] == NULL)
			return key;
	}
	*unknown = 0;
	for (i = 0; nums[i]; i++)
		if (num(o, nums[i], &d) < 0)
			return nums[i];
	for (i = 0; strs[i]; i++)
		if (str(o, strs[i], &s) < 0)
			return strs[i];
	return NULL;
}

/* The keys with a choice of words. */
static int
load_words(struct kpi_goal *g, json_t *o, const char **key)
{
	const char *s;

	str(o, *key = "direction", &s);
	if (s && strcmp(s, "higher") && strcmp(s, "lower"))
		return -1;
	g->dir = s == NULL ? 0 : strcmp(s, "higher") == 0 ? 1 : -1;
	str(o, *key = "against", &s);
	if (s && strcmp(s, "previous") && strcmp(s, "year"))
		return -1;
	g->against_year = s && strcmp(s, "year") == 0;
	str(o, *key = "pace", &s);
	if (s && strcmp(s, "run_rate") && strcmp(s, "value"))
		return -1;
	g->pace_runrate = s ? strcmp(s, "run_rate") == 0 :
	    g->kind == KPI_GOAL_TOTAL;
	str(o, *key = "sides", &s);
	if (s && strcmp(s, "bad") && strcmp(s, "both"))
		return -1;
	g->both = s && strcmp(s, "both") == 0;
	str(o, *key = "every", &s);
	g->has_every = s != NULL;
	g->every = KPI_ALL;
	if (s && (kpi_grain_parse(s, &g->every) < 0 || g->every == KPI_ALL))
		return -1;
	return 0;
}

/* start, deadline, window, dims, per, targets. */
static int
load_rest(struct kpi_goal *g, json_t *o, const char **key)
{
	const char *s, *k;
	json_t *v, *e;

	g->start_day = g->deadline_day = LLONG_MIN;
	str(o, *key = "start", &s);
	if (s && kpi_date_parse(s, strlen(s), &g->start_day) < 0)
		return -1;
	str(o, *key = "deadline", &s);
	if (s && kpi_date_parse(s, strlen(s), &g->deadline_day) < 0)
		return -1;
	if (s)
		memcpy(g->deadline, s, 11);
	v = json_object_get(o, *key = "window");
	g->window = KPI_GOAL_WINDOW;
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 1000))
		return -1;
	if (v)
		g->window = (long)json_integer_value(v);
	if (isnan(g->z))
		g->z = KPI_GOAL_Z;
	else if (!(g->z > 0))
		return *key = "z", -1;
	v = json_object_get(o, *key = "dims");
	if (v && !json_is_object(v))
		return -1;
	json_object_foreach(v, k, e)
		if (!json_is_string(e))
			return -1;
	g->dims = v ? dims_text(v) : kpi_xstrdup("{}");
	v = json_object_get(o, *key = "targets");
	if (v && (!json_is_object(v) || load_targets(g, v) < 0))
		return -1;
	return 0;
}

/* One goal of the array. */
static int
goal_load(struct kpi_goal *g, json_t *o, size_t i, const char *file,
    struct kpi_err *err)
{
	const char *s, *key;
	int unknown;

	memset(g, 0, sizeof(*g));
	if (!json_is_object(o))
		return bad(err, file, g, i, "not an object", NULL);
	if (str(o, "name", &s) == 0 && s)
		g->name = kpi_xstrdup(s);
	if ((key = check_keys(o, &unknown)) != NULL)
		return bad(err, file, g, i, unknown ? "unknown key" : "bad",
		    key);
	str(o, "metric", &s);
	if (s == NULL)
		return bad(err, file, g, i, "no", "metric");
	g->metric = kpi_xstrdup(s);
	if (g->name == NULL)
		g->name = kpi_xstrdup(s);
	str(o, "kind", &s);
	if (s == NULL || kpi_goal_kind_parse(s, &g->kind) < 0)
		return bad(err, file, g, i, s ? "bad" : "no", "kind");
	num(o, "target", &g->target);
	num(o, "low", &g->low);
	num(o, "high", &g->high);
	num(o, "baseline", &g->baseline);
	num(o, "change", &g->change);
	num(o, "z", &g->z);
	if (load_words(g, o, &key) < 0 || load_rest(g, o, &key) < 0)
		return bad(err, file, g, i, "bad", key);
	str(o, "per", &s);
	g->per = s ? kpi_xstrdup(s) : NULL;
	str(o, "objective", &s);
	g->objective = s ? kpi_xstrdup(s) : NULL;
	if (g->kind == KPI_GOAL_AT_LEAST || g->kind == KPI_GOAL_AT_MOST)
		g->dir = g->kind == KPI_GOAL_AT_LEAST ? 1 : -1;
	return 0;
}

int
kpi_goals_load(struct kpi_goals *gs, const char *text, size_t len,
    const char *name, struct kpi_err *err)
{
	json_t *root, *arr;
	json_error_t je;
	size_t i, j;
	int rc = 0;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return kpi_err_set(err, name, je.line > 0 ?
		    (unsigned long)je.line : 0, je.column > 0 ?
		    (unsigned long)je.column : 0, "%s", je.text);
	arr = json_object_get(root, "goals");
	if (!json_is_object(root) || (arr && !json_is_array(arr)))
		rc = kpi_err_set(err, name, 0, 0, "goals are an object with "
		    "an array \"goals\"");
	if (rc == 0 && json_array_size(arr) > 0)
		gs->g = kpi_xrealloc(gs->g, (gs->n + json_array_size(arr)) *
		    sizeof(*gs->g));
	for (i = 0; rc == 0 && i < json_array_size(arr); i++) {
		rc = goal_load(&gs->g[gs->n], json_array_get(arr, i), i, name,
		    err);
		gs->n++;
		for (j = 0; rc == 0 && j + 1 < gs->n; j++)
			if (strcmp(gs->g[j].name, gs->g[gs->n - 1].name) == 0)
				rc = bad(err, name, &gs->g[gs->n - 1], i,
				    "duplicate name", NULL);
	}
	json_decref(root);
	return rc;
}

int
kpi_goals_merge(struct kpi_goals *gs, struct kpi_goals *more,
    const char *name, const char *other, struct kpi_err *err)
{
	size_t i, j;

	for (i = 0; i < more->n; i++)
		for (j = 0; j < gs->n; j++)
			if (strcmp(gs->g[j].name, more->g[i].name) == 0)
				return kpi_err_set(err, name, 0, 0, "goal '%s': "
				    "duplicate name, also in '%s'",
				    more->g[i].name, other);
	if (more->n == 0)
		return 0;
	gs->g = kpi_xrealloc(gs->g, (gs->n + more->n) * sizeof(*gs->g));
	memcpy(gs->g + gs->n, more->g, more->n * sizeof(*gs->g));
	gs->n += more->n;
	free(more->g);
	kpi_goals_init(more);
	return 0;
}

double
kpi_goal_target_for(const struct kpi_goal *g, const char *label, size_t n)
{
	size_t i;

	for (i = 0; i < g->ntargets; i++)
		if (strlen(g->tlabel[i]) == n && memcmp(g->tlabel[i], label,
		    n) == 0)
			return g->tvalue[i];
	return g->target;
}

/* The goal's direction: its own, else the catalogue's; 0 when the
   points will tell. */
static int
direction(const struct kpi_goal *g, const struct kpi_defs *defs)
{
	struct kpi_metric_info info;
	long i;

	if (g->dir)
		return g->dir;
	if (defs && (i = kpi_defs_find(defs, g->metric,
	    strlen(g->metric))) >= 0) {
		kpi_defs_info(defs, (size_t)i, &info);
		return info.lower_better ? -1 : 1;
	}
	return 0;
}

/* Specific: a target to reach. */
static const char *
not_specific(const struct kpi_goal *g)
{
	switch (g->kind) {
	case KPI_GOAL_BETWEEN:
		if (isnan(g->low) || isnan(g->high))
			return "no 'low' and 'high' (not specific)";
		if (g->low > g->high)
			return "'low' above 'high' (not specific)";
		return NULL;
	case KPI_GOAL_CHANGE:
		return isnan(g->change) ? "no 'change' (not specific)" : NULL;
	case KPI_GOAL_BAND:
		return NULL;
	default:
		return isnan(g->target) && g->ntargets == 0 ?
		    "no target (not specific)" : NULL;
	}
}

/* Time-bound: a deadline, or the period a total or a change is over. */
static const char *
not_timebound(const struct kpi_goal *g)
{
	if (g->kind == KPI_GOAL_TARGET && g->deadline_day == LLONG_MIN)
		return "no deadline (not time-bound)";
	if (g->kind == KPI_GOAL_TARGET && g->start_day != LLONG_MIN &&
	    g->start_day > g->deadline_day)
		return "start after the deadline (not time-bound)";
	if ((g->kind == KPI_GOAL_TOTAL || g->kind == KPI_GOAL_CHANGE) &&
	    !g->has_every)
		return "no 'every' period (not time-bound)";
	return NULL;
}

/* Achievable as written: the target lies ahead of the baseline. */
static int
not_achievable(const struct kpi_goal *g, int dir, const char *file,
    struct kpi_err *err)
{
	const char *way = dir > 0 ? "higher" : "lower";

	if (dir == 0)
		return 0;	/* the points say which way is better */
	if (g->kind == KPI_GOAL_TARGET && !isnan(g->baseline) &&
	    !isnan(g->target) && dir * (g->target - g->baseline) <= 0)
		return kpi_err_set(err, file, 0, 0, "goal '%s': target %g is "
		    "not beyond baseline %g where %s is better (not "
		    "achievable as written)", g->name, g->target, g->baseline,
		    way);
	if (g->kind == KPI_GOAL_CHANGE && !isnan(g->change) &&
	    dir * g->change <= 0)
		return kpi_err_set(err, file, 0, 0, "goal '%s': change %g is "
		    "no improvement where %s is better (not achievable as "
		    "written)", g->name, g->change, way);
	return 0;
}

/* Advice: three to five KPIs for one objective. */
static void
objectives(const struct kpi_goals *gs, const char *file,
    const struct kpi_warn *w)
{
	size_t i, j, k, n;

	for (i = 0; i < gs->n; i++) {
		const char *obj = gs->g[i].objective;

		if (obj == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (gs->g[j].objective &&
			    strcmp(gs->g[j].objective, obj) == 0)
				break;
		if (j < i)
			continue;	/* counted at its first goal */
		for (n = 0, j = i; j < gs->n; j++) {
			if (!gs->g[j].objective ||
			    strcmp(gs->g[j].objective, obj) != 0)
				continue;
			for (k = i; k < j; k++)
				if (gs->g[k].objective && strcmp(
				    gs->g[k].objective, obj) == 0 && strcmp(
				    gs->g[k].metric, gs->g[j].metric) == 0)
					break;
			n += k == j;
		}
		if (n > 5)
			kpi_warn(w, file, 0, 0, "objective '%s' has %zu KPIs: "
			    "three to five are advised", obj, n);
	}
}

int
kpi_goals_lint(const struct kpi_goals *gs, const struct kpi_defs *defs,
    int measurable, const char *file, const struct kpi_warn *w,
    struct kpi_err *err)
{
	const struct kpi_goal *g;
	const char *why;
	size_t i;

	for (i = 0; i < gs->n; i++) {
		g = &gs->g[i];
		if (measurable && defs && kpi_defs_find(defs, g->metric,
		    strlen(g->metric)) < 0)
			return kpi_err_set(err, file, 0, 0, "goal '%s': metric "
			    "'%s' is not in the catalogue (not measurable)",
			    g->name, g->metric);
		if ((why = not_specific(g)) != NULL ||
		    (why = not_timebound(g)) != NULL)
			return kpi_err_set(err, file, 0, 0, "goal '%s': %s",
			    g->name, why);
		if (not_achievable(g, direction(g, defs), file, err) < 0)
			return -1;
	}
	objectives(gs, file, w);
	return 0;
}
