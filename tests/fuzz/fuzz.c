/*
 * fuzz.c - a mutation fuzzer for the kpi tools, run by "make fuzz".
 *
 * It reads the files of the corpus directories (tests/fixtures, and the
 * compressed copies the Makefile adds), and until the time is up takes one,
 * damages it a little (flipped bits, bytes in and out, a run of digits made
 * huge, a piece of another file spliced in) and gives it to the sanitizer
 * builds: kpi-extract on the damaged file, kpi-normalize with a preset on
 * damaged records, kpi-aggregate with a few metrics on damaged typed rows,
 * and kpi-aggregate --merge on damaged --partial points of them (the sets
 * of distinct, new and balance states, read back).
 * Every run must end by itself within the time limit with status 0, 1 or 2
 * and no sanitizer report; stdout must be JSON objects, valid UTF-8, one a
 * line, with no key twice; and the --stats line must balance: for
 * kpi-normalize "in = out + rejected + dropped + folded + duplicates" and
 * "out" the rows
 * written, for kpi-aggregate "points" the points written (rows or points
 * in).
 *
 * A failure keeps its input as fail-N.* in the work directory and prints
 * the command.  Exit status: 0 when nothing failed, 1 otherwise, 2 on
 * misuse.  jansson checks the JSON: it is already a dependency.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MAXFILE = 1 << 20, MAXCORPUS = 512, MAXARGS = 32 };

struct blob {
	char *name;		/* base name: its suffix tells the format */
	unsigned char *p;
	size_t n;
	char *typed;		/* kpi-normalize's output of its records */
	size_t ntyped;
	char *rows;		/* kpi-extract's output */
	size_t nrows;
	char *partial;		/* kpi-aggregate --partial's of typed */
	size_t npartial;
	const char *preset;
};

static struct blob corpus[MAXCORPUS];
static size_t ncorpus;
static uint64_t seed = 88172645463325252ULL;
static const char *bindir, *workdir;
static double limit = 5;
static unsigned long execs, fails;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static size_t
below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		perror("fuzz");
		exit(2);
	}
	return p;
}

static int
slurp(const char *path, char **p, size_t *n)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, got;

	*n = 0;
	if (f == NULL)
		return -1;
	*p = xmalloc(cap + 1);
	while ((got = fread(*p + *n, 1, cap - *n, f)) > 0) {
		*n += got;
		if (*n == cap) {
			cap *= 2;
			if ((*p = realloc(*p, cap + 1)) == NULL)
				exit(2);
		}
	}
	(*p)[*n] = '\0';
	fclose(f);
	return 0;
}

static void
spit(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

/* The preset a fixture's name suggests, or one at random. */
static const char *
preset_for(const char *name)
{
	static const char *const tab[][2] = {
		{ "ga4", "ga4" }, { "google_ads", "google-ads" },
		{ "meta", "meta-ads" }, { "klaviyo", "klaviyo-campaigns" },
		{ "stripe", "stripe-subscriptions" },
		{ "woocommerce", "woocommerce-orders" },
		{ "shopify", "shopify-orders" }, { "orders", "shopify-orders" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strstr(name, tab[i][0]) != NULL)
			return tab[i][1];
	return tab[below(sizeof(tab) / sizeof(tab[0]))][1];
}

static void
load_dir(const char *dir)
{
	char path[4096];
	struct dirent *d;
	struct stat st;
	struct blob *b;
	DIR *dp;
	char *p;
	size_t n;

	if ((dp = opendir(dir)) == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	while ((d = readdir(dp)) != NULL && ncorpus < MAXCORPUS) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			load_dir(path);
			continue;
		}
		if (!S_ISREG(st.st_mode) || st.st_size > MAXFILE ||
		    slurp(path, &p, &n) != 0)
			continue;
		b = &corpus[ncorpus++];
		memset(b, 0, sizeof(*b));
		b->name = strdup(d->d_name);
		b->p = (unsigned char *)p;
		b->n = n;
		b->preset = preset_for(d->d_name);
	}
	closedir(dp);
}

/* ---- mutation ---- */

static const char *const tokens[] = {
	",", ";", "\t", "|", "\"", "\"\"", "\n", "\r\n", "\r", "#", "# x\n",
	"{", "}", "[", "]", ":", "\\", "\\u0000", "\\ud800", "\0", "\xff",
	"\xc3", "\xe2\x82\xac", "\xef\xbb\xbf", "1e400", "1e-400", "-0",
	"9007199254740993", "18446744073709551616", "NaN", "null", "true",
	"2024-02-30", "0000-01-01T00:00:00Z", "9999-12-31T23:59:60+14:00",
	"-99999999999", "24:00", "_src", "_line", "_dataset", "_extra",
	"\"time\":", "\"revenue\":", "(12.00)", "$1,234.50", "12,5%",
};

/* Applies one random edit to the n bytes of p (room for MAXFILE * 2). */
static size_t
mutate1(unsigned char *p, size_t n)
{
	const struct blob *o;
	const char *t;
	size_t at = below(n + 1), len, k;

	switch (rnd() % 9) {
	case 0:
		if (n)
			p[below(n)] ^= (unsigned char)(1u << below(8));
		return n;
	case 1:
		if (n)
			p[below(n)] = (unsigned char)rnd();
		return n;
	case 2:
		t = tokens[below(sizeof(tokens) / sizeof(tokens[0]))];
		len = *t ? strlen(t) : 1;
		break;
	case 3:
		len = below(n - at + 1) % 64;
		memmove(p + at, p + at + len, n - at - len);
		return n - len;
	case 4:
		len = below(n - at + 1) % 256;
		if (n + len > 2 * MAXFILE)
			return n;
		memmove(p + at + len, p + at, n - at);
		return n + len;
	case 5:
		return at;
	case 6:
		o = &corpus[below(ncorpus)];
		k = below(o->n);
		len = below(o->n - k + 1) % 512;
		if (n + len > 2 * MAXFILE)
			return n;
		memmove(p + at + len, p + at, n - at);
		memcpy(p + at, o->p + k, len);
		return n + len;
	case 7:
		len = 1 + below(8);
		if (n + len > 2 * MAXFILE)
			return n;
		memmove(p + at + len, p + at, n - at);
		for (k = 0; k < len; k++)
			p[at + k] = (unsigned char)rnd();
		return n + len;
	default:
		/* A digit run made long: numbers and epochs out of range. */
		for (k = at; k < n && (p[k] < '0' || p[k] > '9'); k++)
			;
		if (k == n || n + 24 > 2 * MAXFILE)
			return n;
		memmove(p + k + 24, p + k, n - k);
		memset(p + k, '9', 24);
		return n + 24;
	}
	if (n + len > 2 * MAXFILE)
		return n;
	memmove(p + at + len, p + at, n - at);
	memcpy(p + at, t, len);
	return n + len;
}

/* A damaged copy of p[0..n) in out; returns its length. */
static size_t
mutate(unsigned char *out, const void *p, size_t n)
{
	size_t k = 1 + below(8);

	if (n > MAXFILE)
		n = MAXFILE;
	memcpy(out, p, n);
	while (k-- > 0)
		n = mutate1(out, n);
	return n;
}

/* ---- running ---- */

struct result {
	int status;		/* exit status, or 128 + signal */
	int hung;
	char *out, *err;
	size_t nout, nerr;
};

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static int
run(char *const argv[], const char *in, struct result *r)
{
	char outp[4096], errp[4096];
	struct timespec t0, t1, nap = { 0, 2000000 };
	pid_t pid;
	int st, fd;

	snprintf(outp, sizeof(outp), "%s/out", workdir);
	snprintf(errp, sizeof(errp), "%s/err", workdir);
	memset(r, 0, sizeof(*r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if ((fd = open(in ? in : "/dev/null", O_RDONLY)) >= 0)
			dup2(fd, 0);
		if ((fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
			dup2(fd, 1);
		if ((fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
			dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	execs++;
	while (waitpid(pid, &st, WNOHANG) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((double)(t1.tv_sec - t0.tv_sec) +
		    (t1.tv_nsec - t0.tv_nsec) / 1e9 > limit) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			r->hung = 1;
			break;
		}
		nanosleep(&nap, NULL);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	slurp(outp, &r->out, &r->nout);
	slurp(errp, &r->err, &r->nerr);
	return 0;
}

/* NULL when every line of out is a JSON object, else what is wrong. */
static const char *
check_ndjson(const char *p, size_t n, unsigned long *lines)
{
	static char why[300];
	const char *e = p + n, *nl;
	json_error_t je;
	json_t *j;

	*lines = 0;
	if (n > 0 && p[n - 1] != '\n')
		return "output does not end in a newline";
	for (; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		(*lines)++;
		j = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES |
		    JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &je);
		/* Valid JSON that jansson cannot hold: nothing to check. */
		if (j == NULL && strstr(je.text, "NUL byte in object key"))
			continue;
		if (j == NULL || !json_is_object(j)) {
			snprintf(why, sizeof(why), "line %lu: %s", *lines,
			    j ? "not an object" : je.text);
			json_decref(j);
			return why;
		}
		json_decref(j);
	}
	return NULL;
}

/* The last line of err that starts with prefix, or NULL. */
static const char *
stats_line(const char *err, const char *prefix)
{
	const char *p = err, *last = NULL;

	while (p && *p) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			last = p + strlen(prefix);
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return last;
}

/* NULL when the --stats line balances with the lines written. */
static const char *
check_stats(const char *tool, const char *err, unsigned long lines)
{
	static char why[200];
	unsigned long in, out, rej, drop, fold, dup, groups, points;
	const char *s;

	if (strcmp(tool, "kpi-normalize") == 0) {
		if ((s = stats_line(err, "kpi-normalize: ")) == NULL ||
		    sscanf(s, "%lu rows in, %lu out, %lu rejected, %lu dropped,"
		    " %lu folded, %lu duplicate", &in, &out, &rej, &drop, &fold,
		    &dup) != 6)
			return NULL;	/* stopped before the end */
		if (in != out + rej + drop + fold + dup || out != lines) {
			snprintf(why, sizeof(why), "stats do not balance: %lu "
			    "in, %lu out, %lu rejected, %lu dropped, %lu "
			    "folded, %lu duplicates, %lu written", in, out, rej,
			    drop, fold, dup, lines);
			return why;
		}
	} else if (strcmp(tool, "kpi-aggregate") == 0) {
		if ((s = stats_line(err, "kpi-aggregate: ")) == NULL ||
		    (sscanf(s, "%lu rows in, %lu rejected, %lu groups, %lu "
		    "points", &in, &rej, &groups, &points) != 4 &&
		    sscanf(s, "%lu points in, %lu rejected, %lu groups, %lu "
		    "points", &in, &rej, &groups, &points) != 4))
			return NULL;
		if (rej > in || points != lines) {
			snprintf(why, sizeof(why), "stats do not balance: %lu "
			    "in, %lu rejected, %lu points, %lu written", in, rej,
			    points, lines);
			return why;
		}
	}
	return NULL;
}

/* Keeps the input of a failed run and says what failed. */
static void
failed(char *const argv[], const char *in, const char *why)
{
	char keep[4096], *p;
	const char *dot = strrchr(in, '.');
	size_t n;
	int i;

	fails++;
	snprintf(keep, sizeof(keep), "%s/fail-%lu%s", workdir, fails,
	    dot && !strchr(dot, '/') ? dot : "");
	if (slurp(in, &p, &n) == 0) {
		spit(keep, p, n);
		free(p);
	}
	fprintf(stderr, "fuzz: FAIL %s:", why);
	for (i = 0; argv[i]; i++)
		fprintf(stderr, " %s", argv[i]);
	fprintf(stderr, " (input kept as %s)\n", keep);
}

/*
 * Runs argv, whose input file is in, and checks what it did.  Returns 0
 * when all is well; *r is filled either way and the caller frees it.
 */
static int
check_run(char **argv, const char *tool, const char *in, struct result *r)
{
	char why[400];
	const char *w;
	unsigned long lines;

	if (run(argv, NULL, r) != 0)
		return -1;
	why[0] = '\0';
	if (r->hung)
		snprintf(why, sizeof(why), "ran past %.0f s", limit);
	else if (r->status > 2)
		snprintf(why, sizeof(why), "exit status %d", r->status);
	else if (r->err && (strstr(r->err, "Sanitizer") ||
	    strstr(r->err, "runtime error:")))
		snprintf(why, sizeof(why), "sanitizer report");
	else if ((w = check_ndjson(r->out, r->nout, &lines)) != NULL ||
	    (w = check_stats(tool, r->err, lines)) != NULL)
		snprintf(why, sizeof(why), "%s", w);
	if (why[0] == '\0')
		return 0;
	failed(argv, in, why);
	if (r->err && r->nerr)
		fprintf(stderr, "%.*s", (int)(r->nerr > 2000 ? 2000 : r->nerr),
		    r->err);
	return -1;
}

/* argv for tool, with its path under bindir. */
static char **
args(char *buf, size_t n, const char *tool, char **argv, int argc)
{
	snprintf(buf, n, "%s/%s", bindir, tool);
	argv[0] = buf;
	argv[argc] = NULL;
	return argv;
}

/* Writes a damaged copy of p[0..n) to workdir/name; path gets its name. */
static void
damaged(char *path, size_t size, const char *name, unsigned char *m,
    const void *p, size_t n)
{
	snprintf(path, size, "%s/%s", workdir, name);
	spit(path, m, mutate(m, p, n));
}

/*
 * The output of argv on the undamaged p[0..n), written to workdir/name and
 * put in argv[at]: what the next stage damages.  Made once per file.
 */
static void
clean_output(char **argv, int at, const char *tool, const char *name,
    const char *p, size_t n, char **out, size_t *nout)
{
	char path[4096], *keep = argv[at];
	struct result r;

	snprintf(path, sizeof(path), "%s/%s", workdir, name);
	spit(path, p, n);
	argv[at] = path;
	if (check_run(argv, tool, path, &r) == 0 && r.status == 0) {
		*out = r.out;
		*nout = r.nout;
		r.out = NULL;
	}
	result_free(&r);
	argv[at] = keep;
}

/* kpi-extract on a damaged file, named as the original. */
static void
round_extract(struct blob *b, unsigned char *m)
{
	char path[4096], name[300], tool[4096], *argv[MAXARGS];
	struct result r;

	snprintf(name, sizeof(name), "in-%s", b->name);
	damaged(path, sizeof(path), name, m, b->p, b->n);
	argv[1] = "--stats";
	argv[2] = path;
	args(tool, sizeof(tool), "kpi-extract", argv, 3);
	check_run(argv, "kpi-extract", path, &r);
	result_free(&r);
	if (b->rows == NULL)
		clean_output(argv, 2, "kpi-extract", name, (char *)b->p, b->n,
		    &b->rows, &b->nrows);
}

/* kpi-normalize, with a preset, on damaged records. */
static void
round_normalize(struct blob *b, unsigned char *m)
{
	char path[4096], tool[4096], *argv[MAXARGS];
	struct result r;
	int a = 1;

	damaged(path, sizeof(path), "rows.ndjson", m, b->rows, b->nrows);
	argv[a++] = "--stats";
	argv[a++] = "--preset";
	argv[a++] = (char *)b->preset;
	if (rnd() % 3 == 0) {
		argv[a++] = "--tz";
		argv[a++] = "America/New_York";
	}
	argv[a++] = path;
	args(tool, sizeof(tool), "kpi-normalize", argv, a);
	if (b->typed == NULL)
		clean_output(argv, a - 1, "kpi-normalize", "clean.ndjson",
		    b->rows, b->nrows, &b->typed, &b->ntyped);
	if (rnd() % 4 == 0)
		argv[3] = (char *)preset_for("");
	check_run(argv, "kpi-normalize", path, &r);
	result_free(&r);
}

/* kpi-aggregate, with a few metrics, on damaged typed rows. */
static void
round_aggregate(struct blob *b, unsigned char *m)
{
	static const char *const every[] = { "day", "week", "month", "all" };
	static char *const metrics[] = {
		"--stats", "-m", "n=count()", "-m", "s=sum(revenue)", "-m",
		"u=distinct(order_id)", "-m", "r=s / n", "--every"
	};
	char path[4096], tool[4096], *argv[MAXARGS];
	struct result r;
	int a = 1;

	damaged(path, sizeof(path), "typed.ndjson", m, b->typed, b->ntyped);
	memcpy(argv + 1, metrics, sizeof(metrics));
	a += sizeof(metrics) / sizeof(metrics[0]);
	argv[a++] = (char *)every[below(4)];
	if (rnd() % 2) {
		argv[a++] = "--by";
		argv[a++] = "channel";
		argv[a++] = "--total";
	}
	if (rnd() % 4 == 0)
		argv[a++] = "--fill";
	argv[a++] = path;
	args(tool, sizeof(tool), "kpi-aggregate", argv, a);
	check_run(argv, "kpi-aggregate", path, &r);
	result_free(&r);
}

/*
 * kpi-aggregate --merge on damaged points of --partial: the --partial of
 * the undamaged typed rows is made once per file, with the same metrics.
 */
static void
round_merge(struct blob *b, unsigned char *m)
{
	static char *const metrics[] = {
		"--stats", "-m", "n=count()", "-m", "s=sum(revenue)", "-m",
		"u=distinct(order_id)", "-m", "r=s / n", "-m",
		"b=balance(revenue, order_id)", "-m", "c=new(order_id)",
		"--every", "week"
	};
	char path[4096], tool[4096], *argv[MAXARGS];
	struct result r;
	int a = 1;

	memcpy(argv + 1, metrics, sizeof(metrics));
	a += sizeof(metrics) / sizeof(metrics[0]);
	args(tool, sizeof(tool), "kpi-aggregate", argv, a + 5);
	if (b->partial == NULL) {
		argv[a] = "--partial";
		argv[a + 1] = "--by";
		argv[a + 2] = "channel";
		argv[a + 3] = "--total";
		argv[a + 4] = NULL;
		clean_output(argv, a + 4, "kpi-aggregate", "clean-typed.ndjson",
		    b->typed, b->ntyped, &b->partial, &b->npartial);
	}
	if (b->partial == NULL || b->npartial == 0)
		return;
	damaged(path, sizeof(path), "partial.ndjson", m, b->partial,
	    b->npartial);
	argv[a++] = "--merge";
	if (rnd() % 2)
		argv[a++] = "--partial";
	argv[a++] = path;
	argv[a] = NULL;
	check_run(argv, "kpi-aggregate", path, &r);
	result_free(&r);
}

/* One file of the corpus through the stages. */
static void
one_round(unsigned char *m)
{
	struct blob *b = &corpus[below(ncorpus)];

	round_extract(b, m);
	if (b->rows != NULL && b->nrows > 0)
		round_normalize(b, m);
	if (b->typed != NULL && b->ntyped > 0) {
		round_aggregate(b, m);
		round_merge(b, m);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: fuzz [-l limit] [-s seed] [-t seconds] "
	    "-b bindir -w workdir corpus-dir ...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct timespec t0, t1;
	unsigned long long seed0;
	double secs = 60;
	unsigned char *m;
	int c;

	while ((c = getopt(argc, argv, "b:l:s:t:w:")) != -1)
		switch (c) {
		case 'b': bindir = optarg; break;
		case 'l': limit = atof(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 10) ? strtoull(optarg,
		    NULL, 10) : 1; break;
		case 't': secs = atof(optarg); break;
		case 'w': workdir = optarg; break;
		default: usage();
		}
	if (bindir == NULL || workdir == NULL || optind == argc)
		usage();
	seed0 = (unsigned long long)seed;
	for (; optind < argc; optind++)
		load_dir(argv[optind]);
	if (ncorpus == 0)
		usage();
	/* A sanitizer's report must not pass for a documented status 1. */
	setenv("ASAN_OPTIONS", "exitcode=86:detect_leaks=1", 1);
	setenv("UBSAN_OPTIONS", "halt_on_error=1:exitcode=87:"
	    "print_stacktrace=1", 1);
	m = xmalloc(2 * MAXFILE + 64);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		one_round(m);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((double)(t1.tv_sec - t0.tv_sec) < secs);
	printf("fuzz: %lu executions in %.0f s, %lu failures, seed %llu\n",
	    execs, (double)(t1.tv_sec - t0.tv_sec), fails, seed0);
	return fails ? 1 : 0;
}
