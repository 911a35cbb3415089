/*
 * kpi-normalize - raw rows to typed, canonical rows by a mapping spec or a
 * preset.  See kpi-normalize(1) and kpi(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

enum {
	OPT_CURRENCY = 1, OPT_KEEP, OPT_LIST, OPT_LOOKUP, OPT_NO_DEDUP,
	OPT_PRESET, OPT_PROGRESS,
	OPT_RATES, OPT_REJECTS, OPT_SET, OPT_SHOW, OPT_SOURCE_CURRENCY, OPT_SPEC,
	OPT_STATS, OPT_TZ
};

static const struct kpi_opt opts[] = {
	{ OPT_CURRENCY, "currency", 0, "code",
	    "convert money to code with the --rates" },
	{ OPT_KEEP, "keep", 0, NULL,
	    "also write the source columns no field maps" },
	{ OPT_LIST, "list-presets", 0, NULL,
	    "print the names of the presets and exit" },
	{ OPT_LOOKUP, "lookup", 0, "name=file",
	    "read the spec's lookup name from file" },
	{ OPT_NO_DEDUP, "no-dedup", 0, NULL,
	    "also write rows whose key an earlier source gave" },
	{ OPT_PRESET, "preset", 0, "name", "use the preset name as the spec" },
	{ OPT_PROGRESS, "progress", 0, NULL,
	    "show progress on standard error, even in a pipe" },
	{ OPT_RATES, "rates", 0, "file",
	    "read currency rates (date,currency,rate) from file" },
	{ OPT_REJECTS, "rejects", 0, "file",
	    "write rejected rows to file, with their _error" },
	{ OPT_SET, "set", 0, "name=value",
	    "give each row the field name: value, or {src:N}" },
	{ OPT_SHOW, "show-preset", 0, "name",
	    "print the spec of the preset name and exit" },
	{ OPT_SOURCE_CURRENCY, "source-currency", 0, "code",
	    "the currency of money in rows that name none" },
	{ OPT_SPEC, "spec", 0, "file", "use the mapping spec in file" },
	{ OPT_STATS, "stats", 0, NULL,
	    "print what became of the rows on standard error" },
	{ OPT_TZ, "tz", 0, "zone",
	    "read times without an offset in zone" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi-normalize",
	"usage: kpi-normalize [--keep] [--no-dedup] [--progress] [--stats]\n"
	"                     [--currency code] [--rates file] "
	"[--rejects file]\n"
	"                     [--source-currency code] [--tz zone]\n"
	"                     [--lookup name=file ...] [--set name=value ...]\n"
	"                     (--preset name | --spec file) [file ...]\n"
	"       kpi-normalize --list-presets\n"
	"       kpi-normalize --show-preset name\n",
	opts
};

/* The preset called name; exits 2 with the nearest name when none is. */
static const struct kpi_preset *
find_preset(const char *name)
{
	const struct kpi_preset *p;

	if ((p = kpi_preset_find(name)) == NULL)
		kpi_face_bad_name("unknown preset", name, kpi_preset_name,
		    "kpi-normalize --list-presets lists them");
	return p;
}

/* What the command line asks for. */
struct args {
	const char *preset, *spec, *rates, *rejects;
	struct kpi_norm_opts no;	/* its lookups and sets owned */
	int stats, progress;
};

static void
options(struct kpi_face *f, struct args *a)
{
	const struct kpi_preset *p;
	int ch;

	while ((ch = kpi_face_next(f)) != -1) {
		switch (ch) {
		case OPT_CURRENCY:
		case OPT_SOURCE_CURRENCY:
			if (strlen(f->arg) != 3 ||
			    strspn(f->arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
				kpi_face_bad("bad currency code", f->arg);
			if (ch == OPT_CURRENCY)
				a->no.currency = f->arg;
			else
				a->no.source_currency = f->arg;
			break;
		case OPT_KEEP: a->no.keep = 1; break;
		case OPT_NO_DEDUP: a->no.no_dedup = 1; break;
		case OPT_LIST:
			for (p = kpi_presets; p->name; p++)
				puts(p->name);
			exit(kpi_stdout_finish(KPI_EXIT_OK));
		case OPT_LOOKUP:
			if (kpi_norm_lookup_arg(&a->no, f->arg) < 0)
				kpi_face_bad("bad --lookup (expected name=file)",
				    f->arg);
			break;
		case OPT_PRESET: a->preset = f->arg; break;
		case OPT_PROGRESS: a->progress = 1; break;
		case OPT_RATES: a->rates = f->arg; break;
		case OPT_REJECTS: a->rejects = f->arg; break;
		case OPT_SET:
			if (kpi_norm_set_arg(&a->no, f->arg) < 0)
				kpi_face_bad("bad --set (expected name=value)",
				    f->arg);
			break;
		case OPT_SHOW:
			fputs(find_preset(f->arg)->json, stdout);
			exit(kpi_stdout_finish(KPI_EXIT_OK));
		case OPT_SPEC: a->spec = f->arg; break;
		case OPT_STATS: a->stats = 1; break;
		case OPT_TZ: a->no.tz = f->arg; break;
		}
	}
	if ((a->preset == NULL) == (a->spec == NULL))
		kpi_face_misuse(f, "give one of --preset and --spec");
	if ((a->rates == NULL) != (a->no.currency == NULL))
		kpi_face_misuse(f, "--rates and --currency go together");
}

/* kpi_norm_run's tick for each row read: --progress. */
static void
meter_row(void *arg)
{
	kpi_meter_row(arg);
}

/* The rows of the inputs through n; returns the exit status. */
static int
run(struct kpi_norm *n, const struct kpi_face *f, const struct args *a)
{
	struct kpi_norm_sink sink = { NULL, NULL, { kpi_warn_print, NULL },
	    meter_row, NULL, 0 };
	struct kpi_out out, rejects;
	struct kpi_meter meter;
	struct kpi_rin *in;
	struct kpi_err err;
	char line[256];
	int status = KPI_EXIT_OK;

	if (kpi_out_create(&rejects, a->rejects, &err) < 0)
		kpi_face_fatal(&err);
	kpi_out_init(&out, STDOUT_FILENO);
	sink.out = &out;
	sink.rejects = &rejects;
	in = kpi_face_records(f);
	kpi_meter_start(&meter, in, a->progress);
	sink.row_arg = &meter;
	if (kpi_norm_run(n, in, &sink) < 0)
		status = KPI_EXIT_ERROR;
	kpi_meter_end(&meter, status == KPI_EXIT_OK && out.err_no == 0);
	if (kpi_rin_close(in) < 0)
		status = KPI_EXIT_ERROR;
	if (a->stats && out.err_no == 0)
		kpi_msg("%s", kpi_norm_stats_line(n, line, sizeof(line)));
	if (status == KPI_EXIT_OK && sink.told > 0)
		status = KPI_EXIT_FAIL;
	if (kpi_out_close(&rejects, a->rejects, &err) < 0) {
		kpi_msg_err(&err);
		status = KPI_EXIT_ERROR;
	}
	return kpi_out_finish(&out, status);
}

int
main(int argc, char *argv[])
{
	struct kpi_warn tell = { kpi_warn_print, NULL };
	struct kpi_face face;
	struct kpi_norm *n;
	struct kpi_err err;
	struct args a;
	int status;

	kpi_face_start(&face, &tool, argc, argv);
	memset(&a, 0, sizeof(a));
	options(&face, &a);
	a.no.warn = tell;
	if ((n = kpi_norm_open(a.preset ? find_preset(a.preset) : NULL,
	    a.spec, a.rates, &a.no, &tell, &err)) == NULL)
		kpi_face_fatal(&err);
	status = run(n, &face, &a);
	kpi_norm_free(n);
	free((void *)a.no.lookups);
	free((void *)a.no.sets);
	kpi_face_end(&face);
	return status;
}
