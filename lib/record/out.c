/*
 * out.c - buffered, checked record output.
 *
 * Records are serialised into one buffer and written with write(2) in large
 * blocks: stdio would hide which write failed and cost a copy.  The first
 * failure is kept and ends all output, so a full disk is reported once and
 * a reader that left (EPIPE) stops the work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/record.h"

enum { OUT_BLOCK = 1 << 16 };

void
kpi_out_init(struct kpi_out *o, int fd)
{
	o->fd = fd;
	kpi_buf_init(&o->buf);
	kpi_buf_grow(&o->buf, OUT_BLOCK * 2);
	o->err_no = 0;
}

int
kpi_out_flush(struct kpi_out *o)
{
	size_t off = 0;
	ssize_t n;

	while (o->err_no == 0 && off < o->buf.len) {
		n = write(o->fd, o->buf.p + off, o->buf.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			o->err_no = errno;
		else
			off += (size_t)n;
	}
	kpi_buf_reset(&o->buf);
	return o->err_no ? -1 : 0;
}

static int
out_maybe_flush(struct kpi_out *o)
{
	if (o->err_no)
		return -1;
	if (o->buf.len >= OUT_BLOCK)
		return kpi_out_flush(o);
	return 0;
}

int
kpi_out_rec(struct kpi_out *o, const struct kpi_rec *r)
{
	if (o->err_no)
		return -1;
	kpi_json_put_rec(&o->buf, r);
	kpi_buf_addc(&o->buf, '\n');
	return out_maybe_flush(o);
}

int
kpi_out_write(struct kpi_out *o, const char *s, size_t n)
{
	if (o->err_no)
		return -1;
	kpi_buf_add(&o->buf, s, n);
	return out_maybe_flush(o);
}

int
kpi_out_release(struct kpi_out *o)
{
	int rc;

	rc = kpi_out_flush(o);
	kpi_buf_release(&o->buf);
	return rc;
}

int
kpi_out_create(struct kpi_out *o, const char *path, struct kpi_err *err)
{
	int fd = -1;

	if (path && (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0)
		return kpi_err_set(err, path, 0, 0, "%s", strerror(errno));
	kpi_out_init(o, fd);
	return 0;
}

int
kpi_out_close(struct kpi_out *o, const char *path, struct kpi_err *err)
{
	int fd = o->fd;

	if (fd < 0) {
		kpi_out_release(o);
		return 0;
	}
	if (kpi_out_release(o) < 0 || close(fd) < 0)
		return kpi_err_set(err, NULL, 0, 0, "write error: %s: %s", path,
		    strerror(o->err_no ? o->err_no : errno));
	return 0;
}

int
kpi_out_temp(struct kpi_out *o, const char *path, char **tmp,
    struct kpi_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	struct stat st;
	mode_t mask;
	int fd;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return -2;
	*tmp = kpi_xmalloc(strlen(path) + 16);
	memcpy(*tmp, path, dir);
	sprintf(*tmp + dir, ".%s.XXXXXX", path + dir);
	if ((fd = mkstemp(*tmp)) < 0) {
		free(*tmp);
		*tmp = NULL;
		return kpi_err_set(err, NULL, 0, 0, "%s: %s", path,
		    strerror(errno));
	}
	/* mkstemp's 0600 would hide a report meant for others. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	kpi_out_init(o, fd);
	return 0;
}

int
kpi_out_rename(struct kpi_out *o, int ok, const char *path, char *tmp,
    struct kpi_err *err)
{
	int e = 0, rc = 0;

	if (kpi_out_release(o) < 0)
		e = o->err_no;
	if (close(o->fd) < 0 && e == 0)
		e = errno;
	if (e)
		rc = kpi_err_set(err, NULL, 0, 0, "%s: write error: %s", path,
		    strerror(e));
	else if (ok && rename(tmp, path) < 0)
		rc = kpi_err_set(err, NULL, 0, 0, "%s: %s", path,
		    strerror(errno));
	if (rc < 0 || !ok)
		unlink(tmp);
	free(tmp);
	return rc;
}
