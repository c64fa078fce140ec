/* gitsrc.c: what a release records of its source: git's revision and
 * whether the work tree has uncommitted changes, and the time archive
 * entries carry (SOURCE_DATE_EPOCH, else the commit's). */
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

/* One line of a command's output, trailing newline dropped; NULL when it
 * failed or printed nothing.  The caller frees it. */
static char *run_line(const char *const *argv)
{
	xb_buf out;
	int code = -1;
	char *s = NULL;

	xb_buf_init(&out, 1 << 16);
	if (!xb_run(argv, NULL, &out, NULL, &code, NULL) && code == 0 &&
	    out.len) {
		size_t n = strcspn(xb_buf_str(&out), "\n");
		if (n)
			s = strndup(xb_buf_str(&out), n);
	}
	xb_buf_release(&out);
	return s;
}

void xb_source_init(xb_source *src)
{
	memset(src, 0, sizeof(*src));
	src->epoch_from = "none";
}

void xb_source_release(xb_source *src)
{
	free(src->revision);
	xb_source_init(src);
}

xb_code xb_source_read(xb_source *src, const char *sde, xb_err *err)
{
	static const char *const rev[] = { "git", "rev-parse", "HEAD", NULL };
	static const char *const ct[] = { "git", "log", "-1", "--format=%ct",
		NULL };
	static const char *const st[] = { "git", "status", "--porcelain",
		"--untracked-files=no", NULL };
	char *end, *s;

	src->revision = run_line(rev);
	if (src->revision && (s = run_line(st))) {
		src->dirty = true;
		free(s);
	}
	if (sde && *sde) {
		src->epoch = strtoll(sde, &end, 10);
		if (*end || src->epoch < 0)
			return xb_fail(err, XB_ERR_USAGE, "SOURCE_DATE_EPOCH '%s' "
				       "is not a number of seconds", sde);
		src->epoch_from = "SOURCE_DATE_EPOCH";
	} else if (src->revision && (s = run_line(ct))) {
		src->epoch = strtoll(s, &end, 10);
		src->epoch_from = *end ? "none" : "commit";
		if (*end)
			src->epoch = 0;
		free(s);
	} else {
		src->epoch = 0;
		src->epoch_from = "none";
	}
	return XB_OK;
}

char *xb_source_snapshot_version(const xb_source *src)
{
	static const char *const tag[] = { "git", "describe", "--tags",
		"--abbrev=0", NULL };
	static const char *const shortrev[] = { "git", "rev-parse", "--short",
		"HEAD", NULL };
	char *t = src->revision ? run_line(tag) : NULL;
	char *c = src->revision ? run_line(shortrev) : NULL;
	const char *base = t ? t : "0.0.0";
	xb_buf b = XB_BUF_INIT;

	/* a tag "v1.2.3" is version 1.2.3 */
	if (base[0] == 'v' && base[1] >= '0' && base[1] <= '9')
		base++;
	xb_buf_addf(&b, "%s-SNAPSHOT%s%s", base, c ? "-" : "", c ? c : "");
	free(t);
	free(c);
	return xb_buf_take(&b);
}
