/*
 * kpi-normalize - raw rows to typed, canonical rows by a mapping spec or a
 * preset.  See kpi-normalize(1) and kpi(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

struct run {
	struct kpi_norm *norm;
	struct kpi_out out;
	struct kpi_out rejects;		/* fd -1 without --rejects */
	struct kpi_rec in_rec;		/* the row read */
	struct kpi_rec rec;		/* the rejected row with its _error */
	struct kpi_buf error;		/* the _error object's text */
	unsigned long in, taken, rejected, dropped, folded;
	struct kpi_meter meter;		/* --progress */
	int progress;
	int unhandled;			/* rejections told on stderr only */
	int status;
};

enum {
	OPT_CURRENCY = 1, OPT_KEEP, OPT_LIST, OPT_PRESET, OPT_PROGRESS,
	OPT_RATES, OPT_REJECTS, OPT_SHOW, OPT_SPEC, OPT_STATS, OPT_TZ
};

static const struct kpi_opt opts[] = {
	{ OPT_CURRENCY, "currency", 0, "code",
	    "convert money to code with the --rates" },
	{ OPT_KEEP, "keep", 0, NULL,
	    "also write the source columns no field maps" },
	{ OPT_LIST, "list-presets", 0, NULL,
	    "print the names of the presets and exit" },
	{ OPT_PRESET, "preset", 0, "name", "use the preset name as the spec" },
	{ OPT_PROGRESS, "progress", 0, NULL,
	    "show progress on standard error, even in a pipe" },
	{ OPT_RATES, "rates", 0, "file",
	    "read currency rates (date,currency,rate) from file" },
	{ OPT_REJECTS, "rejects", 0, "file",
	    "write rejected rows to file, with their _error" },
	{ OPT_SHOW, "show-preset", 0, "name",
	    "print the spec of the preset name and exit" },
	{ OPT_SPEC, "spec", 0, "file", "use the mapping spec in file" },
	{ OPT_STATS, "stats", 0, NULL,
	    "print what became of the rows on standard error" },
	{ OPT_TZ, "tz", 0, "zone",
	    "read times without an offset in zone" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi-normalize",
	"usage: kpi-normalize [--keep] [--progress] [--stats] "
	"[--currency code]\n"
	"                     [--rates file] [--rejects file] [--tz zone]\n"
	"                     (--preset name | --spec file) [file ...]\n"
	"       kpi-normalize --list-presets\n"
	"       kpi-normalize --show-preset name\n",
	opts
};

/* The row as read, with "_error" before its provenance, to --rejects. */
static int
write_reject(struct run *run, const struct kpi_rec *r,
    const struct kpi_reject *rej)
{
	kpi_reject_row(r, rej, &run->rec, &run->error);
	return kpi_out_rec(&run->rejects, &run->rec);
}

/* The rejection on stderr, without --rejects. */
static void
tell_reject(const struct kpi_rec *r, const struct kpi_reject *rej)
{
	struct kpi_err err;

	kpi_rec_where(r, &err);
	if (kpi_reject_msg(rej, err.msg, sizeof(err.msg)) != NULL)
		kpi_msg_err(&err);
}

/*
 * One input row through the normaliser; 1 to stop this input, -1 to stop
 * everything (a write failed).
 */
static int
feed(struct run *run, const struct kpi_rec *r)
{
	struct kpi_reject rej;
	struct kpi_err err;
	int ready = 0;

	run->in++;
	kpi_err_clear(&err);
	switch (kpi_norm_feed(run->norm, r, &ready, &rej, &err)) {
	case KPI_NORM_TAKEN:
		run->taken++;
		break;
	case KPI_NORM_FOLDED:
		run->folded++;
		break;
	case KPI_NORM_DROPPED:
		run->dropped++;
		break;
	case KPI_NORM_REJECTED:
		run->rejected++;
		if (run->rejects.fd < 0) {
			tell_reject(r, &rej);
			run->unhandled = 1;
		} else if (write_reject(run, r, &rej) < 0)
			return -1;
		break;
	case KPI_NORM_ERROR:
		/* The spec does not fit this input: it stops, others go on. */
		run->in--;
		kpi_rec_where(r, &err);
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
		return 1;
	}
	if (ready && kpi_out_rec(&run->out, kpi_norm_row(run->norm)) < 0)
		return -1;
	return 0;
}

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
	struct kpi_norm_opts no;
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
			if (strlen(f->arg) != 3 ||
			    strspn(f->arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
				kpi_face_bad("bad currency code", f->arg);
			a->no.currency = f->arg;
			break;
		case OPT_KEEP:
			a->no.keep = 1;
			break;
		case OPT_LIST:
			for (p = kpi_presets; p->name; p++)
				puts(p->name);
			exit(kpi_stdout_finish(KPI_EXIT_OK));
		case OPT_PRESET:
			a->preset = f->arg;
			break;
		case OPT_PROGRESS:
			a->progress = 1;
			break;
		case OPT_RATES:
			a->rates = f->arg;
			break;
		case OPT_REJECTS:
			a->rejects = f->arg;
			break;
		case OPT_SHOW:
			p = find_preset(f->arg);
			fputs(p->json, stdout);
			exit(kpi_stdout_finish(KPI_EXIT_OK));
		case OPT_SPEC:
			a->spec = f->arg;
			break;
		case OPT_STATS:
			a->stats = 1;
			break;
		case OPT_TZ:
			a->no.tz = f->arg;
			break;
		}
	}
	if ((a->preset == NULL) == (a->spec == NULL))
		kpi_face_misuse(f, "give one of --preset and --spec");
	if ((a->rates == NULL) != (a->no.currency == NULL))
		kpi_face_misuse(f, "--rates and --currency go together");
}

/*
 * An input stopped before its end: the entity being folded is not written
 * (kpi_norm_cut says why); its rows move from out and folded to rejected,
 * told on stderr even with --rejects, which has no copy of them.
 */
static void
cut(struct run *run)
{
	struct kpi_reject rej;
	struct kpi_err where;
	unsigned long rows;

	if ((rows = kpi_norm_cut(run->norm, &rej, &where)) == 0)
		return;
	run->taken--;
	run->folded -= rows - 1;
	run->rejected += rows;
	kpi_reject_cut_msg(&rej, rows, where.msg, sizeof(where.msg));
	kpi_msg_err(&where);
}

/* A source every row of which was dropped is an error (kpi_norm_source). */
static void
source(struct run *run, const struct kpi_rec *next)
{
	struct kpi_err err;

	kpi_err_clear(&err);
	if (kpi_norm_source(run->norm, next, &err) < 0) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
	}
}

/* Every row of the inputs through the normaliser. */
static void
run_inputs(struct run *run, const struct kpi_face *f)
{
	struct kpi_rin *in = kpi_face_records(f);
	unsigned long failures = 0;
	int rc = 0;

	kpi_meter_start(&run->meter, in, run->progress);
	while (kpi_rin_next(in, &run->in_rec) == 1) {
		kpi_meter_row(&run->meter);
		if (kpi_rin_failures(in) != failures) {
			failures = kpi_rin_failures(in);
			cut(run);
		}
		source(run, &run->in_rec);
		if ((rc = feed(run, &run->in_rec)) < 0)
			break;
		if (rc > 0) {	/* the spec does not fit this input */
			kpi_rin_skip(in);
			cut(run);
		}
	}
	if (rc >= 0 && kpi_rin_failures(in) != failures)
		cut(run);
	if (rc >= 0)
		source(run, NULL);
	kpi_meter_end(&run->meter, rc >= 0 && run->out.err_no == 0);
	if (kpi_rin_close(in) < 0)
		run->status = KPI_EXIT_ERROR;
}

int
main(int argc, char *argv[])
{
	struct args a;
	struct kpi_warn tell = { kpi_warn_print, NULL };
	struct kpi_rates *rates = NULL;
	struct kpi_face face;
	struct kpi_spec *spec;
	struct kpi_buf text;
	struct kpi_err err;
	struct run run;
	int ready;

	kpi_face_start(&face, &tool, argc, argv);
	memset(&a, 0, sizeof(a));
	options(&face, &a);
	memset(&run, 0, sizeof(run));
	run.progress = a.progress;
	kpi_out_init(&run.out, STDOUT_FILENO);

	kpi_buf_init(&text);
	kpi_err_clear(&err);
	if ((spec = kpi_spec_open(a.preset ? find_preset(a.preset) : NULL,
	    a.spec, &text, &err)) == NULL)
		kpi_face_fatal(&err);
	if (a.rates && (a.no.rates = rates = kpi_rates_open(a.rates,
	    &tell, &err)) == NULL)
		kpi_face_fatal(&err);
	if ((run.norm = kpi_norm_new(spec, &a.no, &err)) == NULL) {
		kpi_msg_err(&err);
		kpi_rates_free(rates);
		kpi_spec_free(spec);
		kpi_buf_release(&text);
		kpi_face_end(&face);
		return kpi_out_finish(&run.out, KPI_EXIT_ERROR);
	}
	if (kpi_out_create(&run.rejects, a.rejects, &err) < 0) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	kpi_rec_init(&run.in_rec);
	kpi_rec_init(&run.rec);
	kpi_buf_init(&run.error);

	run_inputs(&run, &face);
	if (run.out.err_no == 0) {
		kpi_norm_finish(run.norm, &ready);
		if (ready)
			kpi_out_rec(&run.out, kpi_norm_row(run.norm));
	}
	if (a.stats && run.out.err_no == 0)
		kpi_msg("%lu row%s in, %lu out, %lu rejected, %lu dropped, "
		    "%lu folded", run.in, run.in == 1 ? "" : "s", run.taken,
		    run.rejected, run.dropped, run.folded);
	if (run.status == KPI_EXIT_OK && run.unhandled)
		run.status = KPI_EXIT_FAIL;
	if (kpi_out_close(&run.rejects, a.rejects, &err) < 0) {
		kpi_msg_err(&err);
		run.status = KPI_EXIT_ERROR;
	}

	kpi_norm_free(run.norm);
	kpi_rates_free(rates);
	kpi_spec_free(spec);
	kpi_buf_release(&text);
	kpi_rec_release(&run.in_rec);
	kpi_rec_release(&run.rec);
	kpi_buf_release(&run.error);
	kpi_face_end(&face);
	return kpi_out_finish(&run.out, run.status);
}
