/*
 * normalize.h - raw rows to typed rows (lib/normalize/): mapping specs and
 * the presets compiled in (spec.c, presets.c), the normaliser (norm.c),
 * rejected rows (reject.c), the row loop over a record input (run.c).
 *
 * Uses base/, record/ and value/.
 */
#ifndef KPI_NORMALIZE_H
#define KPI_NORMALIZE_H

#include "base/base.h"
#include "record/record.h"
#include "value/value.h"

/* ---- mapping specs and presets (spec.c, presets.c) ---- */

/* A preset: a mapping spec shipped in the binary (lib/presets/NAME.json). */
struct kpi_preset {
	const char *name;
	const char *json;
};

/* All presets, sorted by name, ended by { NULL, NULL }. */
extern const struct kpi_preset kpi_presets[];

/* The preset called name, or NULL.  Borrowed (static). */
const struct kpi_preset *kpi_preset_find(const char *name);

/* The i-th preset's name, or NULL past the last (for kpi_face_bad_name). */
const char *kpi_preset_name(size_t i);

/* A compiled mapping spec; see kpi-normalize(1) MAPPING SPECS. */
struct kpi_spec;

/*
 * Compiles the spec in text[0..len); name is its file name for errors
 * ("kpis.json", or "preset shopify-orders").  Returns NULL with err set
 * (with the line and column where known).  Caller frees.
 */
struct kpi_spec *kpi_spec_load(const char *text, size_t len,
    const char *name, struct kpi_err *err);
void kpi_spec_free(struct kpi_spec *spec);

/*
 * The spec of preset p or, when p is NULL, of the file path (named "preset
 * NAME" or path in messages); its text is kept in text (caller-owned, freed
 * after the spec).  NULL with err set when it cannot be read or compiled.
 */
struct kpi_spec *kpi_spec_open(const struct kpi_preset *p, const char *path,
    struct kpi_buf *text, struct kpi_err *err);

/* ---- GA4's default channel groups (channel.c) ---- */

/*
 * The channel group that s[0..len) names, in GA4's spelling ("organic
 * search" and Universal Analytics' "Social" are "Organic Search" and
 * "Organic Social"; Google Ads' campaign types "Search", "Performance Max"
 * are "Paid Search", "Cross-network"), or NULL when it names none.
 * Static.
 */
const char *kpi_channel_name(const char *s, size_t len);

/*
 * The channel of a source, medium and campaign (each may be empty) by
 * GA4's default channel rules for manual traffic: never NULL, "Unassigned"
 * when no rule matches.  Static.
 */
const char *kpi_channel_rules(const char *source, size_t slen,
    const char *medium, size_t mlen, const char *campaign, size_t clen);

/*
 * Finds key ("utm_source") in text as a shop app writes it into an order's
 * notes: "utm_source: x" lines, JSON ("utm_source":"x") or a landing URL
 * (utm_source=x).  0 with *val, *vlen (borrowed from text) set to its
 * non-empty value; -1 when there is none.
 */
int kpi_channel_utm(const char *text, size_t len, const char *key,
    const char **val, size_t *vlen);

/* ---- normalising rows (norm.c) ---- */

/* Currency rates, from a CSV file of date,currency,rate. */
struct kpi_rates;

/*
 * Reads rates from the file at path (compressed or not; of an archive,
 * the first member), telling archive warnings to warn.  Returns NULL with
 * err set (cleared first).  Caller frees with kpi_rates_free.
 */
struct kpi_rates *kpi_rates_open(const char *path,
    const struct kpi_warn *warn, struct kpi_err *err);
void kpi_rates_free(struct kpi_rates *rates);

/* --lookup NAME=FILE: the file of the spec's lookup NAME. */
struct kpi_lookup_arg {
	const char *name;
	const char *path;
};

/*
 * --set NAME=VALUE: a field named NAME in every typed row, the constant
 * VALUE or, for "{src:N}", the Nth '/'-separated part of the row's _src.
 */
struct kpi_set_arg {
	const char *name;
	const char *value;
};

struct kpi_norm_opts {
	const char *tz;			/* --tz, overrides the spec's; or NULL */
	const char *currency;		/* --currency, with rates */
	const struct kpi_rates *rates;	/* borrowed; or NULL */
	const char *source_currency;	/* --source-currency: the currency
					   of rows that name none */
	int keep;			/* --keep: unmapped columns too */
	int no_dedup;			/* --no-dedup: the spec's key unused */
	const struct kpi_lookup_arg *lookups; /* --lookup; borrowed */
	size_t nlookups;
	const struct kpi_set_arg *sets;	/* --set; borrowed while the
					   normaliser lives */
	size_t nsets;
	struct kpi_warn warn;		/* archive warnings of references */
};

/* Why a row was rejected: the kind, and the data that kind has. */
enum kpi_reject_kind {
	KPI_REJ_TYPE,		/* value is not of the field's type */
	KPI_REJ_RANGE,		/* a number too big for a double (1e400) */
	KPI_REJ_NO_TIME,	/* a money field, no time to pick a rate by */
	KPI_REJ_NO_RATE,	/* no rate for currency on day */
	KPI_REJ_ENTITY,		/* the row's entity (of the spec's fold key)
				   had its first row rejected */
	KPI_REJ_CUT,		/* the row's entity was being folded when an
				   input stopped before its end */
	KPI_REJ_LOOKUP		/* a required lookup found no value */
};

/*
 * A rejection; strings borrowed until the next feed.  The face words it
 * (kpi-normalize(1) REJECTED ROWS): lib says what, never in English.
 */
struct kpi_reject {
	enum kpi_reject_kind kind;
	const char *field;	/* the spec field; NULL for KPI_REJ_ENTITY */
	const char *column;	/* the source column, or "": for
				   KPI_REJ_ENTITY the fold key's column */
	const char *value;	/* the source value as text: for
				   KPI_REJ_ENTITY the entity's key */
	size_t vlen;
	const char *type;	/* KPI_REJ_TYPE, _RANGE: the type's name */
	const char *currency;	/* KPI_REJ_NO_RATE: the row's currency */
	size_t clen;
	long long day;		/* KPI_REJ_NO_RATE: days since 1970-01-01 */
	const char *ref;	/* KPI_REJ_LOOKUP: the reference's file */
	const char *refcol;	/* and the column it has no value in */
};

/*
 * What the rejected value should have been, as "_error" says it: "money",
 * "rate for EUR on 2024-01-05".  Returns rej->type, a constant, or buf.
 */
const char *kpi_reject_expected(const struct kpi_reject *rej, char *buf,
    size_t size);

/*
 * A rejection worded for stderr into buf ("field 'x': 'y' is not number"):
 * returns buf, or NULL for KPI_REJ_CUT, worded by kpi_reject_cut_msg.
 */
const char *kpi_reject_msg(const struct kpi_reject *rej, char *buf,
    size_t size);

/* kpi_norm_cut's entity of rows input rows, worded for stderr into buf. */
const char *kpi_reject_cut_msg(const struct kpi_reject *rej,
    unsigned long rows, char *buf, size_t size);

/*
 * The rejected row r as --rejects writes it into out (cleared first): r's
 * fields, then "_error" {field, column, value, expected}, then r's "_src"
 * and "_line".  out borrows from r and from b, which holds the "_error"
 * text (reset first): write out before either changes.
 */
void kpi_reject_row(const struct kpi_rec *r, const struct kpi_reject *rej,
    struct kpi_rec *out, struct kpi_buf *b);

/* What became of one input row. */
enum kpi_norm_fate {
	KPI_NORM_TAKEN,		/* it is, or starts, an output row */
	KPI_NORM_FOLDED,	/* folded into the entity before it */
	KPI_NORM_DROPPED,	/* a drop rule matched */
	KPI_NORM_REJECTED,	/* see the kpi_reject */
	KPI_NORM_DUPLICATE,	/* its entity's key was written from an
				   earlier source (spec "key") */
	KPI_NORM_ERROR		/* the row cannot be mapped at all: see err */
};

struct kpi_norm;

/*
 * A normaliser of rows by spec (borrowed for its life).  Reads the
 * references of the spec's lookups, each from its --lookup file or else
 * from the spec's "file" (beside the spec), whole, into memory.  Returns
 * NULL with err set when an option is bad (an unknown --tz, a --lookup the
 * spec does not name) or a reference cannot be read or is not one (a row
 * without the key column, a key twice with other values, a value that is
 * not of its field's type).  Caller frees.
 */
struct kpi_norm *kpi_norm_new(const struct kpi_spec *spec,
    const struct kpi_norm_opts *opts, struct kpi_err *err);

/*
 * kpi_norm_new with a spec and rates of its own, freed with it: the spec
 * of preset p or, when p is NULL, of the file spec_path (kpi_spec_open),
 * and, when rates_path is not NULL, the rates read from it
 * (kpi_rates_open, archive warnings to warn) in place of opts->rates.
 * Returns NULL with err set (cleared first).  Caller frees.
 */
struct kpi_norm *kpi_norm_open(const struct kpi_preset *p,
    const char *spec_path, const char *rates_path,
    const struct kpi_norm_opts *opts, const struct kpi_warn *warn,
    struct kpi_err *err);

/*
 * Feeds one input row; returns its fate, filling *rej for a rejection and
 * err for KPI_NORM_ERROR (a required column is missing: the spec does not
 * fit the input).  When an output row is complete (at once without
 * folding, or when the next entity starts) *ready is set and kpi_norm_row
 * returns it until the next feed.
 */
enum kpi_norm_fate kpi_norm_feed(struct kpi_norm *n, const struct kpi_rec *in,
    int *ready, struct kpi_reject *rej, struct kpi_err *err);

/*
 * Called before each row is fed, with the row, and with next NULL at the
 * end: when next starts another source than the last row's (by its
 * "_src", so each file of kpi-extract's stream is one, or by a "_line"
 * lower than the last, so a file read twice is two), ends that source.
 * Folded entities end with their source, and the spec's key tells a copy
 * by its source (kpi-normalize(1) DUPLICATES).
 * Returns -1 with err set (the source's name, no line) when it had rows
 * and the spec's drop rules dropped every one: a wrong preset (ga4's
 * rules drop a Shopify export's every row) or an export of nothing but
 * totals, either way not data.  Else 0.
 *
 * kpi_norm_feed checks a source's first row too: when it has none of the
 * columns the spec reads, or lacks one the spec requires, it returns
 * KPI_NORM_ERROR, and err names the presets, if any, whose columns fit
 * the row's ("; try --preset shopify-orders").
 */
int kpi_norm_source(struct kpi_norm *n, const struct kpi_rec *next,
    struct kpi_err *err);

/*
 * An input stopped before its end (a line that does not parse, a file that
 * cannot be read, a row the spec does not fit): the entity being folded
 * may lack rows that were never read, and a sum over part of an order is
 * a wrong answer, so it is dropped unwritten.  Returns how many input rows
 * it held (0 when none was pending, or when it had no key and so was
 * whole), with *rej (KPI_REJ_CUT: column the fold key, value the entity's
 * key; borrowed until the next feed) and *where (the file and line of its
 * first row) filled.
 */
unsigned long kpi_norm_cut(struct kpi_norm *n, struct kpi_reject *rej,
    struct kpi_err *where);

/*
 * How many references the lookups read (0: none, and so no count), with
 * *missed the rows whose values all read and that a lookup found no
 * value for: its key null or not in the reference, or its value there
 * null.  Those rows are also counted as taken, folded or rejected.
 */
size_t kpi_norm_lookups(const struct kpi_norm *n, unsigned long *missed);

/* Ends the input: sets *ready when a last folded entity is pending. */
void kpi_norm_finish(struct kpi_norm *n, int *ready);

/* The output row that is ready.  Borrowed from n until the next feed. */
const struct kpi_rec *kpi_norm_row(const struct kpi_norm *n);

void kpi_norm_free(struct kpi_norm *n);

/*
 * What became of the rows fed so far (--stats): every row a spec reads is
 * counted in "in" and in one of the others, so that in = out + rejected +
 * dropped + folded + duplicates.  A row of KPI_NORM_ERROR is no row of the spec's and
 * is not counted; an entity kpi_norm_cut drops moves from out and folded
 * to rejected.
 */
struct kpi_norm_stats {
	unsigned long in, out, rejected, dropped, folded, duplicates;
};

/* The counts so far.  Borrowed from n. */
const struct kpi_norm_stats *kpi_norm_stats(const struct kpi_norm *n);

/* ---- the row loop (run.c) ---- */

/* Where kpi_norm_run hands what it makes. */
struct kpi_norm_sink {
	struct kpi_out *out;	/* the output rows; borrowed */
	/*
	 * --rejects: each rejected row as read, with its "_error"
	 * (kpi_reject_row); NULL or fd -1: told through tell instead, and
	 * counted in told.  Borrowed.
	 */
	struct kpi_out *rejects;
	/*
	 * What the face tells on stderr, each with its file and line: an
	 * input the spec does not fit, a source whose every row was dropped,
	 * an entity cut short (kpi_reject_cut_msg's words), a rejected row
	 * without --rejects.
	 */
	struct kpi_warn tell;
	/* Called for each row read, before it is fed (a progress meter's
	   tick); or NULL. */
	void (*row)(void *arg);
	void *row_arg;
	unsigned long told;	/* out: rejected rows told, not written */
};

/*
 * Every row of in through n, as kpi-normalize(1) does: sources ended
 * (kpi_norm_source), an input the spec does not fit skipped, the entity
 * an input stopped inside cut, the last entity written at the end.
 * Stops at the first write error (out->err_no, or sink->reject's -1); the
 * last entity is written only when out has not failed.  Returns 0, or -1
 * when something told makes the run a failure (exit status 2).  in stays
 * the caller's to close; its own failures are its own.
 */
int kpi_norm_run(struct kpi_norm *n, struct kpi_rin *in,
    struct kpi_norm_sink *sink);

/*
 * The --stats line of n's counts into buf ("12 rows in, 9 out, ...", and
 * "; 2 missed a lookup" when a lookup read a reference), as
 * kpi-normalize(1) gives it.  Returns buf.
 */
const char *kpi_norm_stats_line(const struct kpi_norm *n, char *buf,
    size_t size);

/*
 * --lookup NAME=FILE into o's lookups, split at the first '=' of arg
 * (which is changed; borrowed for o's life).  The array is o's: free
 * o->lookups when done.  -1 when arg is not NAME=FILE.
 */
int kpi_norm_lookup_arg(struct kpi_norm_opts *o, char *arg);

/*
 * --set NAME=VALUE into o's sets, as kpi_norm_lookup_arg does (VALUE may
 * be empty; kpi_norm_new checks the rest).  Free o->sets when done.
 */
int kpi_norm_set_arg(struct kpi_norm_opts *o, char *arg);

#endif /* KPI_NORMALIZE_H */
