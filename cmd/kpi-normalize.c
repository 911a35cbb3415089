/*
 * kpi-normalize - raw rows to typed, canonical rows by a mapping spec or a
 * preset.  See kpi-normalize(1) and kpi(7).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
	unsigned long in, taken, rejected, dropped, folded;
	int unhandled;			/* rejections told on stderr only */
	int status;
};

static void
usage(FILE *fp)
{
	fputs("usage: kpi-normalize [--keep] [--stats] [--currency code] "
	    "[--rates file]\n"
	    "                     [--rejects file] [--tz zone] "
	    "(--preset name | --spec file)\n"
	    "                     [file ...]\n"
	    "       kpi-normalize --list-presets\n"
	    "       kpi-normalize --show-preset name\n", fp);
}

static void
bad(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	exit(KPI_EXIT_ERROR);
}

static void
misuse(const char *fmt, const char *arg)
{
	kpi_msg(fmt, arg);
	usage(stderr);
	exit(KPI_EXIT_ERROR);
}

/* The row as read, with "_error" before its provenance, to --rejects. */
static int
write_reject(struct run *run, const struct kpi_rec *r,
    const struct kpi_reject *rej)
{
	struct kpi_val v = { KPI_RAW, NULL, 0, 0, 0 };
	struct kpi_buf b;
	size_t i;
	int rc;

	kpi_rec_clear(&run->rec);
	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, "_src") != 0 &&
		    strcmp(r->f[i].key, "_line") != 0)
			kpi_rec_add(&run->rec, r->f[i].key, r->f[i].klen,
			    &r->f[i].v);
	kpi_buf_init(&b);
	kpi_buf_adds(&b, "{\"field\":");
	kpi_json_put_str(&b, rej->field, strlen(rej->field));
	kpi_buf_adds(&b, ",\"column\":");
	kpi_json_put_str(&b, rej->column, strlen(rej->column));
	kpi_buf_adds(&b, ",\"value\":");
	kpi_json_put_str(&b, rej->value, rej->vlen);
	kpi_buf_adds(&b, ",\"expected\":");
	kpi_json_put_str(&b, rej->expected, strlen(rej->expected));
	kpi_buf_addc(&b, '}');
	v.s = b.p;
	v.len = b.len;
	kpi_rec_add(&run->rec, "_error", 6, &v);
	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, "_src") == 0 ||
		    strcmp(r->f[i].key, "_line") == 0)
			kpi_rec_add(&run->rec, r->f[i].key, r->f[i].klen,
			    &r->f[i].v);
	rc = kpi_out_rec(&run->rejects, &run->rec);
	kpi_buf_release(&b);
	return rc;
}

static void
tell_reject(const struct kpi_rec *r, const struct kpi_reject *rej)
{
	struct kpi_err err;

	kpi_rec_where(r, &err);
	if (rej->field[0] == '\0')
		snprintf(err.msg, sizeof(err.msg), "belongs to an entity whose "
		    "first row was rejected");
	else if (strncmp(rej->expected, "rate ", 5) == 0 ||
	    strncmp(rej->expected, "a time", 6) == 0)
		snprintf(err.msg, sizeof(err.msg), "field '%s': no %s",
		    rej->field, rej->expected);
	else
		snprintf(err.msg, sizeof(err.msg), "field '%s': '%.*s' is not "
		    "%s", rej->field, (int)(rej->vlen > 200 ? 200 : rej->vlen),
		    rej->value, rej->expected);
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

/* Every row of one argument; -1 to stop everything. */
static int
feed_arg(struct run *run, const char *path)
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;
	struct kpi_source *src;
	struct kpi_reader *rd;
	struct kpi_input *in;
	struct kpi_err err;
	int r, rc = 0;

	kpi_reader_opts_init(&ro);
	ro.format = KPI_FMT_JSON;
	ro.records = 1;
	kpi_err_clear(&err);
	if ((src = kpi_source_open(path, &so, &err)) == NULL) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
		return 0;
	}
	while (rc == 0 && (r = kpi_source_next(src, &in, &err)) == 1) {
		if ((rd = kpi_reader_open(in, &ro, &err)) == NULL) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
			continue;
		}
		while (rc == 0 && (r = kpi_reader_next(rd, &run->in_rec,
		    &err)) == 1)
			rc = feed(run, &run->in_rec);
		kpi_reader_free(rd);
		if (rc > 0) {		/* that input is done; the next one */
			rc = 0;
			continue;
		}
		if (rc == 0 && r < 0) {
			kpi_msg_err(&err);
			run->status = KPI_EXIT_ERROR;
		}
	}
	if (rc == 0 && r < 0) {
		kpi_msg_err(&err);
		run->status = KPI_EXIT_ERROR;
	}
	kpi_source_free(src);
	return rc;
}

static void
list_presets(void)
{
	const struct kpi_preset *p;

	for (p = kpi_presets; p->name; p++)
		puts(p->name);
}

/* The spec from --preset or --spec; exits 2 when it cannot be had. */
static struct kpi_spec *
load_spec(const char *preset, const char *file, struct kpi_buf *text)
{
	const struct kpi_preset *p;
	struct kpi_spec *sp;
	struct kpi_err err;
	char name[300];

	kpi_err_clear(&err);
	if (preset) {
		if ((p = kpi_preset_find(preset)) == NULL)
			bad("unknown preset", preset);
		snprintf(name, sizeof(name), "preset %s", preset);
		kpi_buf_adds(text, p->json);
	} else {
		snprintf(name, sizeof(name), "%s", file);
		if (kpi_slurp(file, text, &err) < 0) {
			kpi_msg_err(&err);
			exit(KPI_EXIT_ERROR);
		}
	}
	if ((sp = kpi_spec_load(text->p ? text->p : "", text->len, name,
	    &err)) == NULL) {
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	return sp;
}

static struct kpi_rates *
load_rates(const char *path)
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_rates *rates = NULL;
	struct kpi_source *src;
	struct kpi_input *in;
	struct kpi_err err;

	kpi_err_clear(&err);
	if ((src = kpi_source_open(path, &so, &err)) != NULL &&
	    kpi_source_next(src, &in, &err) == 1)
		rates = kpi_rates_load(in, &err);
	kpi_source_free(src);
	if (rates == NULL) {
		if (err.msg[0] == '\0')
			kpi_err_set(&err, path, 0, 0, "no rates");
		kpi_msg_err(&err);
		exit(KPI_EXIT_ERROR);
	}
	return rates;
}

/* Opens --rejects; exits 2 when it cannot be written. */
static void
open_rejects(struct kpi_out *o, const char *path)
{
	int fd = -1;

	if (path && (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0) {
		kpi_msg("%s: %s", path, strerror(errno));
		exit(KPI_EXIT_ERROR);
	}
	kpi_out_init(o, fd);
}

/* Closes --rejects; a failed write there is a failed run. */
static int
close_rejects(struct kpi_out *o, const char *path, int status)
{
	int fd = o->fd;

	if (fd < 0) {
		kpi_out_release(o);
		return status;
	}
	if (kpi_out_release(o) < 0 || close(fd) < 0) {
		kpi_msg("write error: %s: %s", path,
		    strerror(o->err_no ? o->err_no : errno));
		return KPI_EXIT_ERROR;
	}
	return status;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "currency", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "keep", no_argument, NULL, 'k' },
		{ "list-presets", no_argument, NULL, 'L' },
		{ "preset", required_argument, NULL, 'p' },
		{ "rates", required_argument, NULL, 'r' },
		{ "rejects", required_argument, NULL, 'R' },
		{ "show-preset", required_argument, NULL, 'P' },
		{ "spec", required_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 'S' },
		{ "tz", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static char *stdin_only[] = { "-", NULL };
	const char *preset = NULL, *specfile = NULL, *ratesfile = NULL;
	const char *rejfile = NULL;
	const struct kpi_preset *p;
	struct kpi_norm_opts no = { NULL, NULL, NULL, 0 };
	struct kpi_rates *rates = NULL;
	struct kpi_spec *spec;
	struct kpi_buf text;
	struct kpi_err err;
	struct run run;
	char **files;
	int ch, stats = 0, ready;

	kpi_face_init("kpi-normalize");
	opterr = 0;
	memset(&run, 0, sizeof(run));
	kpi_out_init(&run.out, STDOUT_FILENO);
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (strlen(optarg) != 3 ||
			    strspn(optarg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
				bad("bad currency code", optarg);
			no.currency = optarg;
			break;
		case 'h':
			usage(stdout);
			return kpi_out_finish(&run.out, KPI_EXIT_OK);
		case 'k':
			no.keep = 1;
			break;
		case 'L':
			list_presets();
			return kpi_out_finish(&run.out, KPI_EXIT_OK);
		case 'p':
			preset = optarg;
			break;
		case 'P':
			if ((p = kpi_preset_find(optarg)) == NULL)
				bad("unknown preset", optarg);
			fputs(p->json, stdout);
			return kpi_out_finish(&run.out, KPI_EXIT_OK);
		case 'r':
			ratesfile = optarg;
			break;
		case 'R':
			rejfile = optarg;
			break;
		case 's':
			specfile = optarg;
			break;
		case 'S':
			stats = 1;
			break;
		case 't':
			no.tz = optarg;
			break;
		case 'V':
			puts("kpi-normalize " KPI_VERSION);
			return kpi_out_finish(&run.out, KPI_EXIT_OK);
		case ':':
			misuse("missing argument to '%s'",
			    kpi_opt_name(argv, optind, optopt));
			break;
		default:
			misuse("unknown option '%s'",
			    kpi_opt_name(argv, optind, optopt));
			break;
		}
	}
	if ((preset == NULL) == (specfile == NULL))
		misuse("%s", "give one of --preset and --spec");
	if ((ratesfile == NULL) != (no.currency == NULL))
		misuse("%s", "--rates and --currency go together");
	files = optind < argc ? argv + optind : stdin_only;

	kpi_buf_init(&text);
	spec = load_spec(preset, specfile, &text);
	if (ratesfile)
		no.rates = rates = load_rates(ratesfile);
	kpi_err_clear(&err);
	if ((run.norm = kpi_norm_new(spec, &no, &err)) == NULL) {
		kpi_msg_err(&err);
		kpi_rates_free(rates);
		kpi_spec_free(spec);
		kpi_buf_release(&text);
		return kpi_out_finish(&run.out, KPI_EXIT_ERROR);
	}
	open_rejects(&run.rejects, rejfile);
	kpi_rec_init(&run.in_rec);
	kpi_rec_init(&run.rec);

	for (; *files; files++)
		if (feed_arg(&run, *files) < 0)
			break;
	if (run.status != KPI_EXIT_ERROR && run.out.err_no == 0) {
		kpi_norm_finish(run.norm, &ready);
		if (ready)
			kpi_out_rec(&run.out, kpi_norm_row(run.norm));
	}
	if (stats && run.out.err_no == 0)
		kpi_msg("%lu row%s in, %lu out, %lu rejected, %lu dropped, "
		    "%lu folded", run.in, run.in == 1 ? "" : "s", run.taken,
		    run.rejected, run.dropped, run.folded);
	if (run.status == KPI_EXIT_OK && run.unhandled)
		run.status = KPI_EXIT_FAIL;
	run.status = close_rejects(&run.rejects, rejfile, run.status);

	kpi_norm_free(run.norm);
	kpi_rates_free(rates);
	kpi_spec_free(spec);
	kpi_buf_release(&text);
	kpi_rec_release(&run.in_rec);
	kpi_rec_release(&run.rec);
	return kpi_out_finish(&run.out, run.status);
}
