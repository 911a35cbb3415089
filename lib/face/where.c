/*
 * where.c - where a command finds what was installed with it: its sibling
 * tools (for kpi(1)), the manual pages and the KPI catalogue.
 *
 * Everything is found relative to the directory the running program lives
 * in, as git does when built with RUNTIME_PREFIX (exec_cmd.c: the program's
 * own path from /proc/self/exe, else argv[0]): "bin/../share/kpi" for an
 * installed tool.  One build then serves any PREFIX, and a tree staged
 * under DESTDIR works before it is moved, which the tests rely on.  No
 * path is compiled in.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "face/face.h"

/*
 * The program's own path: /proc/self/exe on Linux (symbolic links
 * resolved, so a link in /usr/local/bin to /opt/kpi/bin finds /opt/kpi's
 * files), else argv0 when it names a path (as given: no link resolved).  NULL when neither tells.
 * Caller frees.
 */
static char *
self_path(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n;

	if ((n = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		return kpi_xstrdup(buf);
	}
	/* Relative or not, it names the program from here: no chdir yet. */
	if (argv0 != NULL && strchr(argv0, '/') != NULL)
		return kpi_xstrdup(argv0);
	return NULL;
}

char *
kpi_face_exec_dir(const char *argv0)
{
	char *p = self_path(argv0), *slash;

	if (p == NULL)
		return NULL;
	slash = strrchr(p, '/');
	if (slash == p)
		slash[1] = '\0';	/* a program in / */
	else
		*slash = '\0';
	return p;
}

char *
kpi_face_data_path(const char *argv0, const char *rel)
{
	char *dir = kpi_face_exec_dir(argv0);
	struct kpi_buf b;

	if (dir == NULL)
		return NULL;
	kpi_buf_init(&b);
	kpi_buf_addf(&b, "%s/../%s", dir, rel);
	free(dir);
	if (access(b.p, R_OK) != 0) {
		kpi_buf_release(&b);
		return NULL;
	}
	return b.p;
}

const char *
kpi_face_catalogue(struct kpi_face *f)
{
	const char *env = getenv("KPI_DEFS");

	if (env != NULL)
		return *env != '\0' ? env : NULL;
	if (f->catalogue == NULL)
		f->catalogue = kpi_face_data_path(f->argc > 0 ? f->argv[0] :
		    NULL, "share/kpi/kpis.json");
	return f->catalogue;
}
