/*
 * kpi-extract - files, archives and compressed streams to one JSON object
 * per row.  See kpi-extract(1) and kpi(7).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"

struct totals {
	unsigned long rows;
	unsigned long sources;
};

static void
usage(FILE *fp)
{
	fputs("usage: kpi-extract [--stats] [--strict] [--delimiter char] "
	    "[--encoding name]\n"
	    "                   [--format name] [--max-field size] "
	    "[--member glob] [--path key]\n"
	    "                   [--skip n] [file ...]\n", fp);
}

/* A bad option value: say which, and stop before any output. */
static void
bad(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	exit(KPI_EXIT_ERROR);
}

/* A command line that does not parse: say so, show the usage, stop. */
static void
misuse(const char *what, const char *arg)
{
	kpi_msg("%s '%s'", what, arg);
	usage(stderr);
	exit(KPI_EXIT_ERROR);
}

static int
parse_delim(const char *s)
{
	if (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0)
		return '\t';
	if (strlen(s) != 1 || strchr("\"\r\n", s[0]) != NULL)
		bad("bad delimiter", s);
	return (unsigned char)s[0];
}

static long
parse_skip(const char *s)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n > 1000000)
		bad("bad line count", s);
	return n;
}

static void
parse_path(const char *s)
{
	if (*s == '\0' || *s == '.' || s[strlen(s) - 1] == '.' ||
	    strstr(s, "..") != NULL)
		bad("bad path", s);
}

/* Reads every row of one input; 0, or -1 when writing failed. */
static int
extract_input(struct kpi_input *in, const struct kpi_reader_opts *ro,
    struct kpi_out *out, struct kpi_rec *rec, struct totals *tot, int *status)
{
	struct kpi_reader *rd;
	struct kpi_err err;
	int rc;

	kpi_err_clear(&err);
	if ((rd = kpi_reader_open(in, ro, &err)) == NULL) {
		kpi_msg_err(&err);
		*status = KPI_EXIT_ERROR;
		return 0;
	}
	tot->sources++;
	while ((rc = kpi_reader_next(rd, rec, &err)) == 1) {
		if (kpi_out_rec(out, rec) < 0)
			break;
		tot->rows++;
	}
	if (rc < 0) {
		kpi_msg_err(&err);
		*status = KPI_EXIT_ERROR;
	}
	kpi_reader_free(rd);
	return out->err_no ? -1 : 0;
}

/* Reads every input of one argument; 0, or -1 when writing failed. */
static int
extract_arg(const char *path, const struct kpi_source_opts *so,
    const struct kpi_reader_opts *ro, struct kpi_out *out,
    struct kpi_rec *rec, struct totals *tot, int *status)
{
	struct kpi_source *src;
	struct kpi_input *in;
	struct kpi_err err;
	int rc = 0, r;

	kpi_err_clear(&err);
	if ((src = kpi_source_open(path, so, &err)) == NULL) {
		kpi_msg_err(&err);
		*status = KPI_EXIT_ERROR;
		return 0;
	}
	while (rc == 0 && (r = kpi_source_next(src, &in, &err)) == 1)
		rc = extract_input(in, ro, out, rec, tot, status);
	if (rc == 0 && r < 0) {
		kpi_msg_err(&err);
		*status = KPI_EXIT_ERROR;
	}
	kpi_source_free(src);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "delimiter", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-field", required_argument, NULL, 'M' },
		{ "member", required_argument, NULL, 'm' },
		{ "path", required_argument, NULL, 'p' },
		{ "skip", required_argument, NULL, 's' },
		{ "stats", no_argument, NULL, 'S' },
		{ "strict", no_argument, NULL, 'X' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static char *stdin_only[] = { "-", NULL };
	struct kpi_reader_opts ro;
	struct kpi_source_opts so = { NULL, 0, { kpi_warn_print, NULL } };
	struct totals tot = { 0, 0 };
	struct kpi_out out;
	struct kpi_rec rec;
	const char **members;
	char **files;
	int ch, stats = 0, status = KPI_EXIT_OK;

	kpi_face_init("kpi-extract");
	opterr = 0;	/* our messages name the program as kpi(7) says */
	kpi_out_init(&out, STDOUT_FILENO);
	kpi_reader_opts_init(&ro);
	ro.warn.fn = kpi_warn_print;
	members = kpi_xmalloc((size_t)argc * sizeof(*members));
	while ((ch = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			ro.delim = parse_delim(optarg);
			break;
		case 'e':
			if (kpi_enc_parse(optarg, &ro.enc) < 0)
				bad("unknown encoding", optarg);
			break;
		case 'f':
			if (kpi_format_parse(optarg, &ro.format) < 0)
				bad("unknown format", optarg);
			break;
		case 'h':
			usage(stdout);
			free(members);
			return kpi_out_finish(&out, KPI_EXIT_OK);
		case 'M':
			if (kpi_parse_size(optarg, &ro.max_field) < 0)
				bad("bad size", optarg);
			break;
		case 'm':
			members[so.nmembers++] = optarg;
			break;
		case 'p':
			parse_path(optarg);
			ro.path = optarg;
			break;
		case 's':
			ro.skip = parse_skip(optarg);
			break;
		case 'S':
			stats = 1;
			break;
		case 'V':
			puts("kpi-extract " KPI_VERSION);
			free(members);
			return kpi_out_finish(&out, KPI_EXIT_OK);
		case 'X':
			ro.strict = 1;
			break;
		case ':':
			misuse("missing argument to",
			    kpi_opt_name(argv, optind, optopt));
			break;
		default:
			if (strchr(argv[optind - 1], '=') != NULL &&
			    strncmp(argv[optind - 1], "--", 2) == 0 && optopt)
				misuse("no argument allowed to",
				    kpi_opt_name(argv, optind, optopt));
			misuse("unknown option",
			    kpi_opt_name(argv, optind, optopt));
			break;
		}
	}
	so.members = members;
	files = optind < argc ? argv + optind : stdin_only;

	kpi_rec_init(&rec);
	for (; *files; files++)
		if (extract_arg(*files, &so, &ro, &out, &rec, &tot, &status) < 0)
			break;
	kpi_rec_release(&rec);
	free(members);
	if (stats && out.err_no == 0)
		kpi_msg("%lu row%s from %lu source%s", tot.rows,
		    tot.rows == 1 ? "" : "s", tot.sources,
		    tot.sources == 1 ? "" : "s");
	return kpi_out_finish(&out, status);
}
