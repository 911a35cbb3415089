/*
 * kpi-aggregate - typed rows to metric points per period and dimensions.
 * See kpi-aggregate(1) and kpi(7).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "kpi.h"

struct run {
	struct kpi_agg *agg;
	struct kpi_rec rec;
	unsigned long in, rejected;
	int merge;		/* --merge: the input is --partial points */
	int broken;		/* a point did not merge: no output */
	int status;
};

static void
usage(FILE *fp)
{
	fputs("usage: kpi-aggregate [--fill] [--merge] [--partial] [--stats] "
	    "[--total]\n"
	    "                     [--by field[,field...]] [--compare how] "
	    "[--cumulative period]\n"
	    "                     [--defs file] [--every period] "
	    "[--fiscal-year-start month]\n"
	    "                     [--from date] [--metrics name[,name...]] "
	    "[--rolling n] [--to date]\n"
	    "                     [--tz zone] [--week-start day] "
	    "[-m name=formula] [file ...]\n", fp);
}

static void
bad(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	exit(KPI_EXIT_ERROR);
}

static void
misuse(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	usage(stderr);
	exit(KPI_EXIT_ERROR);
}

/* A month as 1-12 or its English name or abbreviation. */
static int
parse_month(const char *s)
{
	static const char *const names[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	char *end;
	long n;
	int i;

	n = strtol(s, &end, 10);
	if (*s >= '0' && *s <= '9' && *end == '\0' && n >= 1 && n <= 12)
		return (int)n;
	for (i = 0; i < 12; i++)
		if (strlen(s) >= 3 && strncasecmp(names[i], s, strlen(s)) == 0)
			return i + 1;
	bad("bad month", s);
	return 0;
}

/* A YYYY-MM-DD date as its day number; exits 2 when it is not one. */
static long long
parse_date(const char *s)
{
	unsigned y, m, d;
	char c;

	if (strlen(s) != 10 || sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &c) != 3 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		bad("bad date", s);
	return kpi_days_from_civil(y, m, d);
}

/* --compare previous, year, or N periods back. */
static void
parse_compare(const char *s, struct kpi_agg_opts *ao)
{
	char *end;
	long long n;

	if (strcmp(s, "previous") == 0)
		ao->compare = KPI_CMP_PREVIOUS;
	else if (strcmp(s, "year") == 0)
		ao->compare = KPI_CMP_YEAR;
	else {
		n = strtoll(s, &end, 10);
		if (*s < '1' || *s > '9' || *end != '\0' || n > 100000)
			bad("bad comparison", s);
		ao->compare = KPI_CMP_BACK;
		ao->compare_n = n;
	}
}

/* Weeks start on Monday (ISO 8601) or Sunday (as in the US). */
static int
parse_weekday(const char *s)
{
	if (strcasecmp(s, "monday") == 0 || strcasecmp(s, "mon") == 0)
		return 1;
	if (strcasecmp(s, "sunday") == 0 || strcasecmp(s, "sun") == 0)
		return 7;
	bad("bad week start", s);
	return 0;
}

/* "a,b" into fields (pointers into s, which is cut at the commas). */
static size_t
split(char *s, const char **fields, size_t max)
{
	size_t n = 0;
	char *p;

	for (p = strtok(s, ","); p && n < max; p = strtok(NULL, ","))
		fields[n++] = p;
	return n;
}

/*
 * --partial writes what --merge adds up: what looks across periods goes
 * to the --merge run, where every period is there.
 */
static void
partial_refuses(const struct kpi_agg_opts *ao, int range)
{
	const char *opt = ao->compare != KPI_CMP_NONE ? "--compare" :
	    ao->fill ? "--fill" : range ? "--from and --to" : ao->rolling ?
	    "--rolling" : ao->cumulative ? "--cumulative" : NULL;

	if (opt != NULL)
		bad("--partial: give the --merge run", opt);
}

/* Every row of one argument. */
static void
feed_arg(struct run *run, const char *path)
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;
	struct kpi_source *src;
	struct kpi_reader *rd;
	struct kpi_input *in;
	struct kpi_err err;
	int r = 0;

	kpi_reader_opts_init(&ro);
	ro.format = KPI_FMT_JSON;
	ro.records = 1;
	kpi_err_clear(&err);
	if ((src = kpi_source_open(path, &so, &err)) == NULL) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
		return;
	}
	while (!run->broken && (r = kpi_source_next(src, &in, &err)) == 1) {
		if ((rd = kpi_reader_open(in, &ro, &err)) == NULL) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
			continue;
		}
		while (!run->broken &&
		    (r = kpi_reader_next(rd, &run->rec, &err)) == 1) {
			run->in++;
			if (run->merge) {
				if (kpi_agg_add_point(run->agg, &run->rec,
				    &err) < 0) {
					/* Merged numbers missing a part would
					   be wrong: nothing is written. */
					kpi_rec_where(&run->rec, &err);
					kpi_msg_err(&err);
					run->broken = 1;
					run->status = KPI_EXIT_ERROR;
				}
			} else if (kpi_agg_add(run->agg, &run->rec, &err) < 0) {
				run->rejected++;
				kpi_rec_where(&run->rec, &err);
				kpi_msg_err(&err);
			}
		}
		kpi_reader_free(rd);
		if (!run->broken && r < 0) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
		}
	}
	if (!run->broken && r < 0) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
	}
	kpi_source_free(src);
}

static const char *
plural(unsigned long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The definitions from --defs and -m; exits 2 when they are bad. */
static struct kpi_defs *
load_defs(const char *file, char **ms, size_t nm, const char *select)
{
	struct kpi_defs *d = kpi_defs_new();
	struct kpi_buf text;
	struct kpi_err err;
	size_t i;
	int rc = 0;

	kpi_err_clear(&err);
	kpi_buf_init(&text);
	if (file && (rc = kpi_slurp(file, &text, &err)) == 0)
		rc = kpi_defs_load(d, text.p ? text.p : "", text.len, file, &err);
	for (i = 0; rc == 0 && i < nm; i++)
		rc = kpi_defs_add(d, ms[i], &err);
	if (rc == 0)
		rc = kpi_defs_finish(d, select, &err);
	kpi_buf_release(&text);
	if (rc < 0) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	return d;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "compare", required_argument, NULL, 'c' },
		{ "cumulative", required_argument, NULL, 'C' },
		{ "defs", required_argument, NULL, 'd' },
		{ "every", required_argument, NULL, 'e' },
		{ "fill", no_argument, NULL, 'F' },
		{ "from", required_argument, NULL, 'r' },
		{ "to", required_argument, NULL, 't' },
		{ "fiscal-year-start", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "merge", no_argument, NULL, 'G' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "partial", no_argument, NULL, 'P' },
		{ "rolling", required_argument, NULL, 'R' },
		{ "stats", no_argument, NULL, 'S' },
		{ "total", no_argument, NULL, 'T' },
		{ "tz", required_argument, NULL, 'z' },
		{ "version", no_argument, NULL, 'V' },
		{ "week-start", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	static char *stdin_only[] = { "-", NULL };
	struct kpi_agg_opts ao;
	struct kpi_defs *defs;
	struct kpi_tz *tz;
	struct kpi_out out;
	struct kpi_err err;
	struct run run;
	const char **by;
	const char *defsfile = NULL, *select = NULL, *zone = "UTC";
	char **ms, **files;
	size_t nm = 0;
	enum kpi_grain cum;
	long long from = 0, to = 0;
	char *end;
	int ch, rc, stats = 0, has_from = 0, has_to = 0;

	kpi_face_init("kpi-aggregate");
	opterr = 0;
	memset(&run, 0, sizeof(run));
	memset(&ao, 0, sizeof(ao));
	ao.cal.grain = KPI_WEEK;
	ao.cal.week_start = 1;
	ao.cal.fy_start = 1;
	kpi_out_init(&out, STDOUT_FILENO);
	ms = kpi_xmalloc((size_t)argc * sizeof(*ms));
	by = kpi_xmalloc((size_t)argc * sizeof(*by));
	while ((ch = getopt_long(argc, argv, ":hm:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			ao.nby = split(optarg, by, (size_t)argc);
			if (ao.nby == 0)
				bad("bad --by", optarg);
			break;
		case 'c':
			parse_compare(optarg, &ao);
			break;
		case 'C':
			if (kpi_grain_parse(optarg, &cum) < 0 ||
			    cum < KPI_MONTH || cum > KPI_YEAR)
				bad("bad cumulative period", optarg);
			ao.cumulative = (int)cum;
			break;
		case 'd':
			defsfile = optarg;
			break;
		case 'e':
			if (kpi_grain_parse(optarg, &ao.cal.grain) < 0)
				bad("bad period", optarg);
			break;
		case 'f':
			ao.cal.fy_start = parse_month(optarg);
			break;
		case 'F':
			ao.fill = 1;
			break;
		case 'G':
			ao.merge = 1;
			break;
		case 'P':
			ao.partial = 1;
			break;
		case 'r':
			from = parse_date(optarg);
			has_from = 1;
			break;
		case 't':
			to = parse_date(optarg);
			has_to = 1;
			break;
		case 'h':
			usage(stdout);
			free(ms);
			free(by);
			return kpi_out_finish(&out, KPI_EXIT_OK);
		case 'm':
			ms[nm++] = optarg;
			break;
		case 'M':
			select = optarg;
			break;
		case 'R':
			ao.rolling = strtoll(optarg, &end, 10);
			if (*optarg < '1' || *optarg > '9' || *end != '\0' ||
			    ao.rolling > 1000)
				bad("bad number of periods", optarg);
			break;
		case 'S':
			stats = 1;
			break;
		case 'T':
			ao.total = 1;
			break;
		case 'V':
			puts("kpi-aggregate " KPI_VERSION);
			free(ms);
			free(by);
			return kpi_out_finish(&out, KPI_EXIT_OK);
		case 'w':
			ao.cal.week_start = parse_weekday(optarg);
			break;
		case 'z':
			zone = optarg;
			break;
		case ':':
			misuse("missing argument to",
			    kpi_opt_name(argv, optind, optopt));
			break;
		default:
			misuse("unknown option",
			    kpi_opt_name(argv, optind, optopt));
			break;
		}
	}
	files = optind < argc ? argv + optind : stdin_only;
	if (ao.partial)
		partial_refuses(&ao, has_from || has_to);
	if (ao.merge && (ao.nby || ao.total))
		bad("--merge takes the groups of the --partial points, not",
		    ao.total ? "--total" : "--by");
	if (ao.compare != KPI_CMP_NONE && ao.cal.grain == KPI_ALL)
		bad("--compare needs periods, not", "--every all");
	if (ao.rolling && ao.cumulative)
		bad("--rolling goes without", "--cumulative");
	if ((ao.rolling || ao.cumulative) && ao.cal.grain == KPI_ALL)
		bad("--rolling and --cumulative need periods, not",
		    "--every all");
	if (ao.cumulative && ao.cumulative <= (int)ao.cal.grain)
		bad("--cumulative needs a longer period than", "--every");
	kpi_err_clear(&err);
	if ((tz = kpi_tz_open(zone, &err)) == NULL) {
		kpi_msg_err(&err);
		free(ms);
		free(by);
		return kpi_out_finish(&out, KPI_EXIT_ERROR);
	}
	ao.cal.tz = tz;
	ao.by = by;
	/* --from and --to are local dates: midnight in the zone. */
	ao.from = has_from ? kpi_tz_from_local(tz, from * 86400) : LLONG_MIN;
	ao.to = has_to ? kpi_tz_from_local(tz, to * 86400) : LLONG_MAX;
	if ((has_from || has_to) && !ao.fill)
		bad("--from and --to give the range of", "--fill");
	if (has_from && has_to && from > to)
		bad("--from is after --to:", "--from");
	defs = load_defs(defsfile, ms, nm, select);
	run.agg = kpi_agg_new(defs, &ao);
	run.merge = ao.merge;
	kpi_rec_init(&run.rec);

	for (; *files; files++)
		feed_arg(&run, *files);
	kpi_err_clear(&err);
	/* A merge missing a part (a file, a line) would give wrong numbers. */
	if (run.merge && run.status != KPI_EXIT_OK)
		run.broken = 1;
	if (run.broken)
		;
	else if ((rc = kpi_agg_emit(run.agg, &out, &err)) < 0 && err.msg[0]) {
		kpi_msg_err(&err);
		run.status = KPI_EXIT_ERROR;
	} else if (rc == 0 && stats)
		kpi_msg("%lu %s in, %lu rejected, %zu %s, %zu %s", run.in,
		    run.merge ? plural(run.in, "point", "points") :
		    plural(run.in, "row", "rows"), run.rejected,
		    kpi_agg_groups(run.agg), plural(kpi_agg_groups(run.agg),
		    "group", "groups"), kpi_agg_points(run.agg),
		    plural(kpi_agg_points(run.agg), "point", "points"));
	if (run.status == KPI_EXIT_OK && run.rejected)
		run.status = KPI_EXIT_FAIL;

	kpi_rec_release(&run.rec);
	kpi_agg_free(run.agg);
	kpi_defs_free(defs);
	kpi_tz_free(tz);
	free(ms);
	free(by);
	return kpi_out_finish(&out, run.status);
}
