/*
 * source.c - inputs: a path or "-", and inside it compressed streams and
 * archive members, nested archives included, each handed out as one
 * readable kpi_input.
 *
 * Whether libarchive is needed at all is decided by the first bytes (magic
 * numbers), not by the name: a plain CSV is read with read(2) and costs
 * nothing more, and a gzip file named .csv still works.  Archives are read
 * as libarchive streams (tar/read.c's loop), never extracted to disk; a
 * member that is itself compressed or an archive gets a struct archive of its
 * own that reads from its parent's data.
 */
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "record/record.h"
#include "record/readers.h"

enum {
	PEEK = 512,		/* bytes read ahead to see what a stream is */
	MAX_DEPTH = 4,		/* archives inside archives, at most */
	BLOCK = 1 << 16
};

enum magic { MAGIC_NONE, MAGIC_COMPRESS, MAGIC_ARCHIVE };

enum in_kind { IN_FD, IN_ARCHIVE, IN_MEM, IN_EMPTY };

struct kpi_input {
	enum in_kind kind;
	const char *name;		/* borrowed from the source, or owned (mem) */
	const char *fmtname;		/* likewise */
	int fd;
	struct archive *a;		/* borrowed: the member's archive */
	const unsigned char *peek;	/* bytes read ahead, served first */
	size_t peeklen;
	size_t peekoff;
	int failed;			/* its archive failed while reading it */
	unsigned long long bytes;	/* read so far (decompressed) */
};

/*
 * A gzip stream inflated here, not by libarchive: libarchive's gzip filter
 * does not check the trailer ("XXX TODO: Verify the length and CRC"), so a
 * flipped byte that still inflates, or a damaged trailer, would pass.  zlib
 * checks both at the end of each member when it is given the gzip wrapper.
 */
struct gz {
	z_stream z;
	int in_member;		/* inside a member: its end not yet seen */
	int eof;		/* the compressed input is used up */
	unsigned char out[BLOCK];
};

/* One archive being walked; level 0 reads the file, level k+1 a member of k. */
struct level {
	struct archive *a;
	char *name;		/* display name of what this archive reads; owned */
	char *member;		/* its path in the parent archive, or NULL; owned */
	enum magic magic;
	struct archive *parent;	/* borrowed; NULL at level 0 */
	int fd;			/* level 0 only */
	unsigned char peek[PEEK];
	size_t peeklen;
	int peeked;		/* peek already handed to libarchive */
	unsigned char *block;	/* read buffer for the callbacks; owned */
	struct gz *gz;		/* a gzip stream inflated by us; owned */
	unsigned long entries;	/* headers read from this archive */
	int eof;		/* its last header read: ask no more */
	unsigned long selected;	/* members read from this archive */
	int all;		/* --member named an enclosing member */
};

struct kpi_source {
	const struct kpi_source_opts *opts;	/* borrowed */
	char *name;		/* display name of the argument; owned */
	int fd;
	int close_fd;
	enum { SRC_PLAIN, SRC_ARCHIVE, SRC_DONE } state;
	unsigned char peek[PEEK];
	size_t peeklen;
	struct level lv[MAX_DEPTH];
	int depth;
	unsigned char member_peek[PEEK];
	struct kpi_buf in_name;
	struct kpi_buf in_fmtname;
	struct kpi_input in;
};

static enum magic
magic_of(const unsigned char *p, size_t n)
{
	static const struct {
		size_t off, len;
		const char *bytes;
		enum magic kind;
	} tab[] = {
		{ 0, 2, "\x1f\x8b", MAGIC_COMPRESS },		/* gzip */
		{ 0, 2, "\x1f\x9d", MAGIC_COMPRESS },		/* compress */
		{ 0, 3, "BZh", MAGIC_COMPRESS },		/* bzip2 */
		{ 0, 6, "\xfd" "7zXZ\0", MAGIC_COMPRESS },	/* xz */
		{ 0, 4, "\x28\xb5\x2f\xfd", MAGIC_COMPRESS },	/* zstd */
		{ 0, 4, "\x04\x22\x4d\x18", MAGIC_COMPRESS },	/* lz4 */
		{ 0, 4, "\x02\x21\x4c\x18", MAGIC_COMPRESS },	/* lz4 legacy */
		{ 0, 4, "LZIP", MAGIC_COMPRESS },		/* lzip */
		{ 0, 3, "\x5d\0\0", MAGIC_COMPRESS },		/* lzma alone */
		{ 0, 4, "PK\x03\x04", MAGIC_ARCHIVE },		/* zip */
		{ 0, 4, "PK\x05\x06", MAGIC_ARCHIVE },		/* empty zip */
		{ 0, 4, "PK\x07\x08", MAGIC_ARCHIVE },		/* spanned zip */
		{ 0, 6, "7z\xbc\xaf\x27\x1c", MAGIC_ARCHIVE },	/* 7-Zip */
		{ 0, 6, "Rar!\x1a\x07", MAGIC_ARCHIVE },	/* RAR */
		{ 257, 5, "ustar", MAGIC_ARCHIVE },		/* tar */
		{ 0, 6, "070701", MAGIC_ARCHIVE },		/* cpio newc */
		{ 0, 6, "070702", MAGIC_ARCHIVE },		/* cpio crc */
		{ 0, 6, "070707", MAGIC_ARCHIVE },		/* cpio odc */
		{ 0, 2, "\xc7\x71", MAGIC_ARCHIVE },		/* cpio binary */
		{ 0, 2, "\x71\xc7", MAGIC_ARCHIVE },		/* cpio binary */
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (n >= tab[i].off + tab[i].len &&
		    memcmp(p + tab[i].off, tab[i].bytes, tab[i].len) == 0)
			return tab[i].kind;
	/* An empty tar archive is its end marker: a block of zeros. */
	for (i = 0; i < n && p[i] == 0; i++)
		;
	return n == PEEK && i == n ? MAGIC_ARCHIVE : MAGIC_NONE;
}

/* The name without a compression suffix: "a.csv.gz" -> "a.csv".  Into b. */
static void
strip_compression(struct kpi_buf *b, const char *name)
{
	static const char *const sfx[] = {
		".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".lz", ".Z",
		".gzip", ".zstd", ".bz"
	};
	size_t n = strlen(name), i, k;

	kpi_buf_reset(b);
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		k = strlen(sfx[i]);
		if (n > k && strcmp(name + n - k, sfx[i]) == 0) {
			n -= k;
			break;
		}
	}
	kpi_buf_add(b, name, n);
}

/* Whether name, less a compression suffix, is a tar file's. */
static int
tar_named(const char *name)
{
	static const char *const sfx[] = {
		".tar", ".tgz", ".taz", ".tbz", ".tbz2", ".txz", ".tzst",
		".tlz", ".tZ"
	};
	struct kpi_buf b;
	size_t i, n, k;
	int r = 0;

	kpi_buf_init(&b);
	strip_compression(&b, name);
	n = b.len;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]) && !r; i++) {
		k = strlen(sfx[i]);
		r = n > k && strcmp(b.p + n - k, sfx[i]) == 0;
	}
	kpi_buf_release(&b);
	return r;
}

/*
 * An empty tar archive is nothing but zero bytes, and so is a file left
 * zero-filled by a crash, or /dev/zero.  Zeros pass as an empty archive only
 * under a tar file's name; otherwise they are what they look like.
 */
static int
check_empty_tar(const struct level *l, struct kpi_err *err)
{
	if (l->entries > 0 ||
	    (archive_format(l->a) & ARCHIVE_FORMAT_BASE_MASK) !=
	    ARCHIVE_FORMAT_TAR || tar_named(l->member ? l->member : l->name))
		return 0;
	return kpi_err_set(err, l->name, 1, 0, "not a text file (NUL byte)");
}

/* libarchive's messages start with a capital ("Truncated ZIP file data"). */
static void
archive_err(struct kpi_err *err, const char *name, struct archive *a)
{
	const char *s = a ? archive_error_string(a) : NULL;
	char msg[400];

	snprintf(msg, sizeof(msg), "%s",
	    s && *s ? s : "damaged or truncated data");
	if (isupper((unsigned char)msg[0]) && islower((unsigned char)msg[1]))
		msg[0] = (char)tolower((unsigned char)msg[0]);
	kpi_err_set(err, name, 0, 0, "%s", msg);
}

/* Reads until n bytes or the end; returns the count, or -1 with errno. */
static ssize_t
read_full(int fd, unsigned char *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Reads up to n bytes of the current member of a; -1 on error. */
static ssize_t
member_read_full(struct archive *a, unsigned char *p, size_t n)
{
	size_t got = 0;
	la_ssize_t r;

	while (got < n) {
		r = archive_read_data(a, p + got, n - got);
		if (r < 0 && r != ARCHIVE_WARN && r != ARCHIVE_RETRY)
			return -1;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* The level's own bytes: the peeked ones, then the fd or parent member. */
static la_ssize_t
raw_read(struct archive *a, struct level *l, const void **buf)
{
	la_ssize_t n;

	if (!l->peeked) {
		l->peeked = 1;
		if (l->peeklen) {
			*buf = l->peek;
			return (la_ssize_t)l->peeklen;
		}
	}
	*buf = l->block;
	if (l->parent == NULL) {
		while ((n = read(l->fd, l->block, BLOCK)) < 0 && errno == EINTR)
			;
		if (n < 0)
			archive_set_error(a, errno, "%s", strerror(errno));
		return n;
	}
	n = archive_read_data(l->parent, l->block, BLOCK);
	if (n < 0) {
		archive_set_error(a, EIO, "%s",
		    archive_error_string(l->parent) ?
		    archive_error_string(l->parent) : "damaged or truncated data");
		return -1;
	}
	return n;
}

/*
 * The zlib stream is fed until it gives output, a member ends or the input
 * does.  Members may follow one another (gzip's concatenation); after the
 * last, only zero bytes (a tape's padding) may follow.
 */
static int
gz_step(struct archive *a, struct level *l)
{
	struct gz *g = l->gz;
	const void *p;
	la_ssize_t n;
	int r;

	if (g->z.avail_in == 0 && !g->eof) {
		if ((n = raw_read(a, l, &p)) < 0)
			return -1;
		g->eof = n == 0;
		g->z.next_in = (unsigned char *)p;
		g->z.avail_in = (uInt)n;
	}
	if (g->z.avail_in == 0) {
		if (!g->in_member)
			return 0;
		archive_set_error(a, EIO, "truncated gzip data");
		return -1;
	}
	if (!g->in_member) {
		if (g->z.next_in[0] == 0) {
			g->z.next_in++;
			g->z.avail_in--;
			return 1;
		}
		if (g->z.next_in[0] != 0x1f) {
			archive_set_error(a, EIO,
			    "trailing garbage after gzip data");
			return -1;
		}
		if (inflateReset(&g->z) != Z_OK)
			return -1;
		g->in_member = 1;
	}
	r = inflate(&g->z, Z_NO_FLUSH);
	if (r == Z_STREAM_END)
		g->in_member = 0;
	else if (r != Z_OK && r != Z_BUF_ERROR) {
		archive_set_error(a, EIO, "damaged gzip data: %s",
		    g->z.msg ? g->z.msg : "inflate failed");
		return -1;
	}
	return 1;
}

/* The inflated bytes of a gzip level, checked member by member. */
static la_ssize_t
gz_read(struct archive *a, struct level *l, const void **buf)
{
	struct gz *g = l->gz;
	int r = 1;

	g->z.next_out = g->out;
	g->z.avail_out = BLOCK;
	while (g->z.avail_out == BLOCK && (r = gz_step(a, l)) > 0)
		;
	if (r < 0)
		return -1;
	*buf = g->out;
	return (la_ssize_t)(BLOCK - g->z.avail_out);
}

/* libarchive read callback. */
static la_ssize_t
level_read(struct archive *a, void *arg, const void **buf)
{
	struct level *l = arg;

	return l->gz ? gz_read(a, l, buf) : raw_read(a, l, buf);
}

/*
 * Reads what libarchive left of a gzip level after its last entry (a tar's
 * end, say), so that the trailer is checked even when nothing is taken
 * from the bytes before it.
 */
static int
gz_drain(struct level *l, struct kpi_err *err)
{
	const void *p;
	la_ssize_t n;

	if (l->gz == NULL)
		return 0;
	while ((n = gz_read(l->a, l, &p)) > 0)
		;
	if (n < 0) {
		archive_err(err, l->name, l->a);
		return -1;
	}
	return 0;
}

/* libarchive seek callback for level 0 on a regular file. */
static la_int64_t
level_seek(struct archive *a, void *arg, la_int64_t off, int whence)
{
	struct level *l = arg;
	off_t r;

	if ((r = lseek(l->fd, (off_t)off, whence)) < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return ARCHIVE_FATAL;
	}
	return (la_int64_t)r;
}

/*
 * A regular file at level 0 is read from its start again, so that formats
 * that seek (7-Zip, zip's central directory) work; the peek is then unused.
 */
static int
level_seekable(struct kpi_source *s, struct level *l,
    const unsigned char *peek, size_t n)
{
	struct stat st;

	(void)peek;
	(void)n;
	if (l->parent != NULL || fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	return lseek(s->fd, 0, SEEK_SET) == 0;
}

/*
 * Opens a new level reading from fd (level 0) or the current member of
 * parent, whose first bytes are peek[0..n).
 */
static int
level_push(struct kpi_source *s, const char *name, const char *member,
    enum magic magic, struct archive *parent, const unsigned char *peek,
    size_t n, struct kpi_err *err)
{
	struct level *l;
	int r;

	if (s->depth == MAX_DEPTH)
		return kpi_err_set(err, name, 0, 0,
		    "archives nested deeper than %d levels", MAX_DEPTH);
	l = &s->lv[s->depth++];
	memset(l, 0, sizeof(*l));
	l->name = kpi_xstrdup(name);
	l->member = member ? kpi_xstrdup(member) : NULL;
	l->magic = magic;
	l->parent = parent;
	l->fd = s->fd;
	memcpy(l->peek, peek, n);
	l->peeklen = n;
	l->block = kpi_xmalloc(BLOCK);
	l->a = archive_read_new();
	archive_read_support_filter_all(l->a);
	/*
	 * The formats are named, not "all": with every format on, libarchive
	 * takes a decompressed CSV for an mtree file, and the xar reader
	 * would link libxml2 and ICU, which cost milliseconds at every start.
	 * Inside a compressed stream only tar and cpio can be.  What no
	 * format claims is the raw stream itself.
	 */
	if (magic == MAGIC_ARCHIVE) {
		archive_read_support_format_7zip(l->a);
		archive_read_support_format_rar(l->a);
		archive_read_support_format_rar5(l->a);
		archive_read_support_format_zip(l->a);
	}
	archive_read_support_format_cpio(l->a);
	archive_read_support_format_tar(l->a);
	archive_read_support_format_raw(l->a);
	/* Raw claims no empty stream; an empty one is still an input. */
	if (magic == MAGIC_COMPRESS)
		archive_read_support_format_empty(l->a);
	if (n >= 2 && peek[0] == 0x1f && peek[1] == 0x8b) {
		l->gz = kpi_xmalloc(sizeof(*l->gz));
		memset(l->gz, 0, sizeof(*l->gz));
		if (inflateInit2(&l->gz->z, 16 + MAX_WBITS) != Z_OK) {
			free(l->gz);
			l->gz = NULL;
			return kpi_err_set(err, name, 0, 0, "out of memory");
		}
		l->gz->in_member = 1;
	} else if (level_seekable(s, l, peek, n)) {
		archive_read_set_seek_callback(l->a, level_seek);
		l->peeked = 1;
	} else if (n >= 6 && memcmp(peek, "7z\xbc\xaf\x27\x1c", 6) == 0)
		return kpi_err_set(err, name, 0, 0, "7-Zip archives cannot "
		    "be read from a pipe or from inside another archive");
	archive_read_set_read_callback(l->a, level_read);
	archive_read_set_callback_data(l->a, l);
	r = archive_read_open1(l->a);
	if (r != ARCHIVE_OK) {
		archive_err(err, name, l->a);
		return -1;
	}
	return 0;
}

static void
level_pop(struct kpi_source *s)
{
	struct level *l = &s->lv[--s->depth];

	archive_read_free(l->a);
	if (l->gz) {
		inflateEnd(&l->gz->z);
		free(l->gz);
	}
	free(l->name);
	free(l->member);
	free(l->block);
}

/*
 * A path as the output names it: kpi(7) promises valid UTF-8, so invalid
 * bytes in a file or member name become U+FFFD as in field values.
 * Caller frees.
 */
static char *
display_name(const char *path)
{
	struct kpi_buf b;
	char *name;

	kpi_buf_init(&b);
	kpi_utf8_repair(&b, path, strlen(path));
	name = kpi_xstrdup(b.p ? b.p : "");
	kpi_buf_release(&b);
	return name;
}

struct kpi_source *
kpi_source_open(const char *path, const struct kpi_source_opts *opts,
    struct kpi_err *err)
{
	struct kpi_source *s;
	struct stat st;
	ssize_t n;

	s = kpi_xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->opts = opts;
	kpi_buf_init(&s->in_name);
	kpi_buf_init(&s->in_fmtname);
	if (strcmp(path, "-") == 0) {
		s->name = kpi_xstrdup("<stdin>");
		s->fd = STDIN_FILENO;
	} else {
		s->name = display_name(path);
		if ((s->fd = open(path, O_RDONLY)) < 0)
			goto fail_errno;
		s->close_fd = 1;
	}
	if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail_errno;
	}
	if ((n = read_full(s->fd, s->peek, PEEK)) < 0)
		goto fail_errno;
	s->peeklen = (size_t)n;
	s->state = SRC_PLAIN;
	if (magic_of(s->peek, s->peeklen) != MAGIC_NONE) {
		s->state = SRC_ARCHIVE;
		if (level_push(s, s->name, NULL, magic_of(s->peek, s->peeklen),
		    NULL, s->peek, s->peeklen, err) != 0)
			goto fail;
	}
	return s;

fail_errno:
	kpi_err_set(err, s->name, 0, 0, "%s", strerror(errno));
fail:
	kpi_source_free(s);
	return NULL;
}

static void
input_set(struct kpi_source *s, enum in_kind kind, struct archive *a,
    const unsigned char *peek, size_t peeklen)
{
	memset(&s->in, 0, sizeof(s->in));
	s->in.kind = kind;
	s->in.name = s->in_name.p;
	s->in.fmtname = s->in_fmtname.p;
	s->in.fd = s->fd;
	s->in.a = a;
	s->in.peek = peek;
	s->in.peeklen = peeklen;
}

/* Whether a --member glob matches path. */
static int
member_matches(const struct kpi_source_opts *o, const char *path)
{
	size_t i;

	for (i = 0; i < o->nmembers; i++)
		if (fnmatch(o->members[i], path, 0) == 0)
			return 1;
	return 0;
}

/*
 * Whether the text member at path of level l is read: no --member given,
 * or a glob matches its path, its path less a compression suffix (in
 * s->in_fmtname), or an archive or compressed member it is inside.
 */
static int
member_selected(const struct kpi_source *s, const struct level *l,
    const char *path)
{
	const struct kpi_source_opts *o = s->opts;

	if (o == NULL || o->nmembers == 0 || l->all)
		return 1;
	return member_matches(o, path) || member_matches(o, s->in_fmtname.p);
}

/*
 * The entry of a raw level: the decompressed stream itself.  Returns 1 when
 * it is handed out, 0 when skipped, -1 on error.
 */
static int
next_raw(struct kpi_source *s, struct level *l, enum in_kind kind,
    struct kpi_err *err)
{
	/* Raw bids last: an archive that lands here is damaged (STYLE.md). */
	if (l->magic == MAGIC_ARCHIVE)
		return kpi_err_set(err, l->name, 0, 0,
		    "damaged or unsupported archive");
	kpi_buf_reset(&s->in_name);
	kpi_buf_adds(&s->in_name, l->name);
	strip_compression(&s->in_fmtname, l->member ? l->member : l->name);
	/* --member selects archive members, not files named by the user. */
	if (l->member && !member_selected(s, l, s->in_fmtname.p))
		return 0;
	input_set(s, kind, l->a, NULL, 0);
	return 1;
}

/*
 * A compressed stream that holds nothing reads as an empty file does: an
 * input of no rows, not an error.  Returns as next_raw.
 */
static int
next_empty(struct kpi_source *s, struct level *l, struct kpi_err *err)
{
	if (l->entries > 0 || l->magic != MAGIC_COMPRESS ||
	    (archive_format(l->a) & ARCHIVE_FORMAT_BASE_MASK) !=
	    ARCHIVE_FORMAT_EMPTY)
		return 0;
	l->entries++;
	return next_raw(s, l, IN_EMPTY, err);
}

/* An entry of a real archive: a text member, a nested archive, or neither. */
static int
next_member(struct kpi_source *s, struct level *l, struct archive_entry *e,
    struct kpi_err *err)
{
	const char *path = archive_entry_pathname(e);
	enum magic m;
	ssize_t n;
	int sel;

	if (archive_entry_filetype(e) != AE_IFREG || path == NULL ||
	    *path == '\0')
		return 0;
	kpi_buf_reset(&s->in_name);
	kpi_buf_addf(&s->in_name, "%s:", l->name);
	kpi_utf8_repair(&s->in_name, path, strlen(path));
	if ((n = member_read_full(l->a, s->member_peek, PEEK)) < 0) {
		archive_err(err, s->in_name.p, l->a);
		return -1;
	}
	m = magic_of(s->member_peek, (size_t)n);
	strip_compression(&s->in_fmtname, path);
	if (m != MAGIC_NONE) {
		sel = s->opts && s->opts->nmembers &&
		    member_selected(s, l, path);
		if (level_push(s, s->in_name.p, path, m, l->a,
		    s->member_peek, (size_t)n, err) < 0)
			return -1;
		s->lv[s->depth - 1].all = sel;
		return 0;
	}
	if (!member_selected(s, l, path))
		return 0;
	input_set(s, IN_ARCHIVE, l->a, s->member_peek, (size_t)n);
	return 1;
}

/* Walks the archives until the next text input; as kpi_source_next. */
static int
next_archived(struct kpi_source *s, struct kpi_err *err)
{
	struct archive_entry *e;
	struct level *l;
	int r;

	/* A member whose data failed left its archive dead, and said so. */
	if (s->in.failed)
		return 0;
	for (;;) {
		l = &s->lv[s->depth - 1];
		r = l->eof ? ARCHIVE_EOF : archive_read_next_header(l->a, &e);
		if (r == ARCHIVE_EOF) {
			l->eof = 1;
			if ((r = next_empty(s, l, err)) != 0)
				return r;
			if (gz_drain(l, err) != 0 ||
			    check_empty_tar(l, err) != 0)
				return -1;
			if (s->depth == 1)
				return 0;
			level_pop(s);
			continue;
		}
		if (r == ARCHIVE_WARN)
			kpi_warn(&s->opts->warn, l->name, 0, 0, "%s",
			    archive_error_string(l->a));
		else if (r != ARCHIVE_OK) {
			archive_err(err, l->name, l->a);
			return -1;
		}
		l->entries++;
		if (archive_format(l->a) == ARCHIVE_FORMAT_RAW)
			r = next_raw(s, l, IN_ARCHIVE, err);
		else
			r = next_member(s, l, e, err);
		if (r != 0)
			return r;
	}
}

int
kpi_source_next(struct kpi_source *s, struct kpi_input **in,
    struct kpi_err *err)
{
	int r;

	switch (s->state) {
	case SRC_PLAIN:
		s->state = SRC_DONE;
		kpi_buf_reset(&s->in_name);
		kpi_buf_adds(&s->in_name, s->name);
		strip_compression(&s->in_fmtname, s->name);
		input_set(s, IN_FD, NULL, s->peek, s->peeklen);
		*in = &s->in;
		return 1;
	case SRC_ARCHIVE:
		r = next_archived(s, err);
		if (r == 1) {
			s->lv[0].selected++;
			*in = &s->in;
			return 1;
		}
		s->state = SRC_DONE;
		if (r == 0 && s->opts && s->opts->nmembers &&
		    s->lv[0].selected == 0 && s->lv[0].magic == MAGIC_ARCHIVE)
			kpi_warn(&s->opts->warn, s->name, 0, 0,
			    "no member matches");
		return r;
	case SRC_DONE:
		break;
	}
	return 0;
}

void
kpi_source_free(struct kpi_source *s)
{
	if (s == NULL)
		return;
	while (s->depth > 0)
		level_pop(s);
	if (s->close_fd)
		close(s->fd);
	kpi_buf_release(&s->in_name);
	kpi_buf_release(&s->in_fmtname);
	free(s->name);
	free(s);
}

static ssize_t
input_read(struct kpi_input *in, void *buf, size_t n, struct kpi_err *err)
{
	la_ssize_t r;
	size_t k;

	if (in->peekoff < in->peeklen) {
		k = in->peeklen - in->peekoff;
		k = k < n ? k : n;
		memcpy(buf, in->peek + in->peekoff, k);
		in->peekoff += k;
		return (ssize_t)k;
	}
	switch (in->kind) {
	case IN_FD:
		while ((r = read(in->fd, buf, n)) < 0 && errno == EINTR)
			;
		if (r < 0)
			return kpi_err_set(err, in->name, 0, 0, "%s",
			    strerror(errno));
		return r;
	case IN_ARCHIVE:
		if ((r = archive_read_data(in->a, buf, n)) < 0) {
			archive_err(err, in->name, in->a);
			in->failed = 1;
			return -1;
		}
		return r;
	case IN_MEM:
	case IN_EMPTY:
		break;
	}
	return 0;
}

ssize_t
kpi_input_read(struct kpi_input *in, void *buf, size_t n,
    struct kpi_err *err)
{
	ssize_t r = input_read(in, buf, n, err);

	if (r > 0)
		in->bytes += (unsigned long long)r;
	return r;
}

unsigned long long
kpi_input_bytes(const struct kpi_input *in)
{
	return in->bytes;
}

const char *
kpi_input_name(const struct kpi_input *in)
{
	return in->name;
}

const char *
kpi_input_format_name(const struct kpi_input *in)
{
	return in->fmtname;
}

struct kpi_input *
kpi_input_mem(const char *name, const void *p, size_t n)
{
	struct kpi_input *in;

	in = kpi_xmalloc(sizeof(*in));
	memset(in, 0, sizeof(*in));
	in->kind = IN_MEM;
	in->name = kpi_xstrdup(name);
	in->fmtname = in->name;
	in->peek = p;
	in->peeklen = n;
	return in;
}

void
kpi_input_free(struct kpi_input *in)
{
	if (in == NULL || in->kind != IN_MEM)
		return;
	free((char *)in->name);
	free(in);
}

int
kpi_slurp(const char *path, struct kpi_buf *b, struct kpi_err *err)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return kpi_err_set(err, path, 0, 0, "%s", strerror(errno));
	for (;;) {
		kpi_buf_grow(b, BLOCK);
		n = read(fd, b->p + b->len, BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	if (n < 0)
		kpi_err_set(err, path, 0, 0, "%s", strerror(errno));
	close(fd);
	if (b->p)
		b->p[b->len] = '\0';
	return n < 0 ? -1 : 0;
}
