/*
 * reader.c - rows from one input, whatever its format: picks the CSV or
 * JSON reader and adds the provenance every row carries, "_src" and "_line",
 * and "_start" and "_end" where the preamble says the report's range.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/record.h"
#include "record/readers.h"

struct kpi_reader {
	struct kpi_text *text;		/* owned */
	struct kpi_csv *csv;		/* owned; one of csv and json */
	struct kpi_jsonin *json;	/* owned */
	char *name;			/* owned: the "_src" value */
	size_t namelen;
	int records;
	size_t src_at;			/* the last row's "_src" field */
	unsigned char name_clean;	/* name needs no JSON escaping */
};

void
kpi_reader_opts_init(struct kpi_reader_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = KPI_FMT_AUTO;
	o->enc = KPI_ENC_AUTO;
	o->skip = -1;
	o->max_field = (size_t)16 << 20;
}

static const struct {
	const char *name;
	enum kpi_format fmt;
} format_tab[] = {
	{ "csv", KPI_FMT_CSV }, { "tsv", KPI_FMT_TSV },
	{ "json", KPI_FMT_JSON }, { "ndjson", KPI_FMT_JSON },
	{ "jsonl", KPI_FMT_JSON },
};

int
kpi_format_parse(const char *name, enum kpi_format *fmt)
{
	size_t i;

	for (i = 0; i < sizeof(format_tab) / sizeof(format_tab[0]); i++)
		if (strcmp(name, format_tab[i].name) == 0) {
			*fmt = format_tab[i].fmt;
			return 0;
		}
	return -1;
}

const char *
kpi_format_name(size_t i)
{
	return i < sizeof(format_tab) / sizeof(format_tab[0]) ?
	    format_tab[i].name : NULL;
}

/* The format a file name says, or KPI_FMT_AUTO. */
static enum kpi_format
format_by_name(const char *name)
{
	static const struct {
		const char *ext;
		enum kpi_format fmt;
	} tab[] = {
		{ "csv", KPI_FMT_CSV }, { "txt", KPI_FMT_CSV },
		{ "tsv", KPI_FMT_TSV }, { "tab", KPI_FMT_TSV },
		{ "json", KPI_FMT_JSON }, { "ndjson", KPI_FMT_JSON },
		{ "jsonl", KPI_FMT_JSON },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return KPI_FMT_AUTO;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcasecmp(dot + 1, tab[i].ext) == 0)
			return tab[i].fmt;
	return KPI_FMT_AUTO;
}

/* The format the first non-blank byte says: '{' or '[' is JSON. */
static int
format_by_content(struct kpi_text *t, enum kpi_format *fmt,
    struct kpi_err *err)
{
	const char *p;
	ssize_t n, i;

	if ((n = kpi_text_peek(t, &p, 4096, err)) < 0)
		return -1;
	for (i = 0; i < n && strchr(" \t\r\n", p[i]) != NULL; i++)
		;
	*fmt = i < n && (p[i] == '{' || p[i] == '[') ? KPI_FMT_JSON :
	    KPI_FMT_CSV;
	return 0;
}

struct kpi_reader *
kpi_reader_open(struct kpi_input *in, const struct kpi_reader_opts *o,
    struct kpi_err *err)
{
	struct kpi_reader *rd;
	struct kpi_reader_opts opts = *o;
	const char *name = kpi_input_name(in);

	rd = kpi_xmalloc(sizeof(*rd));
	memset(rd, 0, sizeof(*rd));
	rd->name = kpi_xstrdup(name);
	rd->namelen = strlen(name);
	rd->name_clean = (unsigned char)kpi_json_clean(name, rd->namelen);
	rd->records = o->records;
	rd->src_at = (size_t)-1;
	rd->text = kpi_text_open(in, o->enc);
	if (opts.format == KPI_FMT_AUTO)
		opts.format = format_by_name(kpi_input_format_name(in));
	if (opts.format == KPI_FMT_AUTO &&
	    format_by_content(rd->text, &opts.format, err) < 0) {
		if (err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s", name);
		goto fail;
	}
	if (opts.format == KPI_FMT_JSON)
		rd->json = kpi_jsonin_open(rd->text, name, &opts, err);
	else
		rd->csv = kpi_csv_open(rd->text, name, &opts, err);
	if (rd->json == NULL && rd->csv == NULL)
		goto fail;
	return rd;

fail:
	kpi_reader_free(rd);
	return NULL;
}

/*
 * "_start" and "_end", the first and last day of the report the row comes
 * from, when its preamble says them; null both for "All time".
 */
static void
add_range(struct kpi_rec *r, const struct kpi_range *g)
{
	if (g == NULL)
		return;
	if (g->all) {
		kpi_rec_add_null(r, "_start", 6);
		r->f[r->n - 1].kclean = 1;
		kpi_rec_add_null(r, "_end", 4);
	} else {
		kpi_rec_add_str(r, "_start", 6, g->start, strlen(g->start));
		r->f[r->n - 1].kclean = 1;
		r->f[r->n - 1].v.clean = 1;
		kpi_rec_add_str(r, "_end", 4, g->end, strlen(g->end));
		r->f[r->n - 1].v.clean = 1;
	}
	r->f[r->n - 1].kclean = 1;
}

int
kpi_reader_next(struct kpi_reader *rd, struct kpi_rec *r,
    struct kpi_err *err)
{
	struct kpi_val src = { KPI_STR, rd->name, rd->namelen, 0,
	    rd->name_clean };
	unsigned long line = 0;
	int rc;

	if (rd->csv)
		rc = kpi_csv_next(rd->csv, r, &line, err);
	else
		rc = kpi_jsonin_next(rd->json, r, &line, err);
	if (rc != 1)
		return rc;
	/* Records that went through a kpi tool already say where they began. */
	if (rd->records &&
	    kpi_rec_find_hint(r, "_src", 4, &rd->src_at) != NULL)
		return 1;
	if (rd->csv)
		add_range(r, kpi_csv_range(rd->csv));
	kpi_rec_add(r, "_src", 4, &src)->kclean = 1;
	kpi_rec_add_num(r, "_line", 5, (double)line);
	r->f[r->n - 1].kclean = 1;
	return 1;
}

void
kpi_reader_free(struct kpi_reader *rd)
{
	if (rd == NULL)
		return;
	kpi_csv_free(rd->csv);
	kpi_jsonin_free(rd->json);
	kpi_text_free(rd->text);
	free(rd->name);
	free(rd);
}
