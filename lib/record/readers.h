/*
 * readers.h - the record room's inside: the CSV and JSON readers that
 * kpi_reader picks between, and inputs over bytes in memory.  Not part of
 * the API the other rooms use; reader.c, source.c and the unit tests
 * (tests/unit/csv_test.c, jsonin_test.c) include it.
 */
#ifndef KPI_READERS_H
#define KPI_READERS_H

#include "record/record.h"

/*
 * The field after r's last, with room made as kpi_rec_add makes it: a
 * reader fills it in place and takes it with r->n++, a call and a copy
 * less for every field of every row.
 */
static inline struct kpi_field *
kpi_rec_slot(struct kpi_rec *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->f = kpi_xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	return &r->f[r->n];
}

/*
 * An input over the bytes p[0..n) (borrowed for the input's life), named
 * name (copied): for tests and for text already in memory.  Caller frees
 * with kpi_input_free; only inputs made here may be freed that way.
 */
struct kpi_input *kpi_input_mem(const char *name, const void *p, size_t n);
void kpi_input_free(struct kpi_input *in);

/* The CSV and JSON readers behind kpi_reader; same contracts. */
struct kpi_csv;
struct kpi_csv *kpi_csv_open(struct kpi_text *t, const char *name,
    const struct kpi_reader_opts *opts, struct kpi_err *err);
/* Sets *line to the line the row starts on. */
int kpi_csv_next(struct kpi_csv *c, struct kpi_rec *r, unsigned long *line,
    struct kpi_err *err);
void kpi_csv_free(struct kpi_csv *c);

/*
 * The range of days a report covers, as its preamble says it (range.c):
 * two dates "YYYY-MM-DD", inclusive, or all set for "All time" (no bounds).
 */
struct kpi_range {
	char start[11], end[11];	/* "" until read */
	int all;
};

/*
 * Reads one preamble line s[0..n) into r: with comment, a '#' line (GA4's
 * "# Start date: 20231208", "# End date: 20240104", "# 20251001-20260228");
 * else a title line (Google Ads' "July 8, 2025 - July 31, 2025", "1 May
 * 2026 - 8 May 2026", "All time").  Returns 1 when the line set r or one of
 * its ends, 0 when it says no range (r unchanged).
 */
int kpi_range_line(struct kpi_range *r, const char *s, size_t n, int comment);

/* Whether r holds a whole range: both ends, in order, or all time. */
int kpi_range_known(const struct kpi_range *r);

/*
 * The range the preamble of the current table gave, or NULL when it gave
 * none.  Borrowed from c until its next kpi_csv_next.
 */
const struct kpi_range *kpi_csv_range(const struct kpi_csv *c);

/*
 * The keys of the last row a JSON reader parsed, in order (json.c).  The
 * rows of one input mostly repeat them: a key that is the last row's at
 * the same place is known without being scanned, decoded or compared with
 * the row's other keys.
 */
struct kpi_json_keys {
	struct kpi_buf text;		/* each key followed by '"' */
	struct {
		size_t off;		/* where the key begins in text */
		size_t len;
		uint64_t w;		/* key and quote: the first 8 bytes */
		uint64_t m;		/* the mask of those that are its */
	} *k;
	size_t n;
	size_t cap;
};

void kpi_json_keys_init(struct kpi_json_keys *kk);
void kpi_json_keys_release(struct kpi_json_keys *kk);

/*
 * kpi_json_parse_object for a reader's rows: keys and strings that need
 * no decoding, and numbers, are not copied but left in s and terminated
 * there, so r borrows from s, which must outlive r's use; s is changed
 * after a successful parse only, so that a failed one can be tried again.
 * keys (or NULL) holds the last row's keys and is updated.
 */
int kpi_json_parse_row(struct kpi_rec *r, char *s, size_t n,
    int cp1252_fallback, struct kpi_json_keys *keys, struct kpi_err *err);

struct kpi_jsonin;
struct kpi_jsonin *kpi_jsonin_open(struct kpi_text *t, const char *name,
    const struct kpi_reader_opts *opts, struct kpi_err *err);
int kpi_jsonin_next(struct kpi_jsonin *j, struct kpi_rec *r,
    unsigned long *line, struct kpi_err *err);
void kpi_jsonin_free(struct kpi_jsonin *j);

#endif /* KPI_READERS_H */
