/*
 * kpi-extract - files, archives and compressed streams to one JSON object
 * per row.  See kpi-extract(1) and kpi(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

enum {
	OPT_DELIM = 1, OPT_ENCODING, OPT_FORMAT, OPT_MAX_FIELD, OPT_MEMBER,
	OPT_PATH, OPT_PROGRESS, OPT_SKIP, OPT_STATS, OPT_STRICT
};

static const struct kpi_opt opts[] = {
	{ OPT_DELIM, "delimiter", 0, "char",
	    "split CSV fields at char ('tab' or '\\t' for a tab)" },
	{ OPT_ENCODING, "encoding", 0, "name",
	    "read the text as name (auto, utf-8, windows-1252, ...)" },
	{ OPT_FORMAT, "format", 0, "name",
	    "read every input as csv, tsv, ndjson or json" },
	{ OPT_MAX_FIELD, "max-field", 0, "size",
	    "fail an input with a field longer than size (16M)" },
	{ OPT_MEMBER, "member", 0, "glob",
	    "read only the archive members matching glob" },
	{ OPT_PATH, "path", 0, "key",
	    "read the array of objects at key of a JSON object" },
	{ OPT_PROGRESS, "progress", 0, NULL,
	    "show progress on standard error, even in a pipe" },
	{ OPT_SKIP, "skip", 0, "n", "skip n lines before the CSV header" },
	{ OPT_STATS, "stats", 0, NULL,
	    "print the rows and sources read on standard error" },
	{ OPT_STRICT, "strict", 0, NULL,
	    "fail an input with a ragged row" },
	{ 0, NULL, 0, NULL, NULL }
};

static const struct kpi_tool tool = {
	"kpi-extract",
	"usage: kpi-extract [--progress] [--stats] [--strict] "
	"[--delimiter char]\n"
	"                   [--encoding name] [--format name] "
	"[--max-field size]\n"
	"                   [--member glob] [--path key] [--skip n] "
	"[file ...]\n",
	opts
};

static int
parse_delim(const char *s)
{
	if (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0)
		return '\t';
	if (strlen(s) != 1 || strchr("\"\r\n", s[0]) != NULL)
		kpi_face_bad("bad delimiter", s);
	return (unsigned char)s[0];
}

static long
parse_skip(const char *s)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n > 1000000)
		kpi_face_bad("bad line count", s);
	return n;
}

static void
parse_path(const char *s)
{
	if (*s == '\0' || *s == '.' || s[strlen(s) - 1] == '.' ||
	    strstr(s, "..") != NULL)
		kpi_face_bad("bad path", s);
}

/* The options into so and ro; *stats for --stats. */
static void
options(struct kpi_face *f, struct kpi_source_opts *so,
    struct kpi_reader_opts *ro, const char **members, int *stats,
    int *progress)
{
	int ch;

	while ((ch = kpi_face_next(f)) != -1) {
		switch (ch) {
		case OPT_DELIM:
			ro->delim = parse_delim(f->arg);
			break;
		case OPT_ENCODING:
			if (kpi_enc_parse(f->arg, &ro->enc) < 0)
				kpi_face_bad_name("unknown encoding", f->arg,
				    kpi_enc_name, NULL);
			break;
		case OPT_FORMAT:
			if (kpi_format_parse(f->arg, &ro->format) < 0)
				kpi_face_bad_name("unknown format", f->arg,
				    kpi_format_name, NULL);
			break;
		case OPT_MAX_FIELD:
			if (kpi_parse_size(f->arg, &ro->max_field) < 0)
				kpi_face_bad("bad size", f->arg);
			break;
		case OPT_MEMBER:
			members[so->nmembers++] = f->arg;
			break;
		case OPT_PATH:
			parse_path(f->arg);
			ro->path = f->arg;
			break;
		case OPT_PROGRESS:
			*progress = 1;
			break;
		case OPT_SKIP:
			ro->skip = parse_skip(f->arg);
			break;
		case OPT_STATS:
			*stats = 1;
			break;
		case OPT_STRICT:
			ro->strict = 1;
			break;
		}
	}
	so->members = members;
}

int
main(int argc, char *argv[])
{
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct kpi_reader_opts ro;
	struct kpi_meter meter;
	struct kpi_face face;
	struct kpi_rin *in;
	struct kpi_out out;
	struct kpi_rec rec;
	const char **members;
	unsigned long rows = 0, sources;
	int stats = 0, progress = 0, status = KPI_EXIT_OK;

	kpi_face_start(&face, &tool, argc, argv);
	kpi_reader_opts_init(&ro);
	ro.warn.fn = kpi_warn_print;
	members = kpi_xmalloc((size_t)argc * sizeof(*members));
	options(&face, &so, &ro, members, &stats, &progress);

	kpi_out_init(&out, STDOUT_FILENO);
	kpi_rec_init(&rec);
	in = kpi_face_input(&face, &so, &ro);
	kpi_meter_start(&meter, in, progress);
	while (kpi_rin_next(in, &rec) == 1) {
		if (kpi_out_rec(&out, &rec) < 0)
			break;
		rows++;
		kpi_meter_row(&meter);
	}
	kpi_meter_end(&meter, out.err_no == 0);
	sources = kpi_rin_inputs(in);
	if (kpi_rin_close(in) < 0)
		status = KPI_EXIT_ERROR;
	kpi_rec_release(&rec);
	free(members);
	kpi_face_end(&face);
	if (stats && out.err_no == 0)
		kpi_msg("%lu row%s from %lu source%s", rows,
		    rows == 1 ? "" : "s", sources, sources == 1 ? "" : "s");
	return kpi_out_finish(&out, status);
}
