/* gitsrc.c: what a release records of its source: git's revision and
 * whether the work tree has uncommitted changes, and the time archive
 * entries carry (SOURCE_DATE_EPOCH, else the commit's). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

void xb_relver_init(xb_relver *v)
{
	memset(v, 0, sizeof(*v));
}

void xb_relver_release(xb_relver *v)
{
	free(v->version);
	free(v->raw_version);
	free(v->tag);
	free(v->commit);
	free(v->short_commit);
	free(v->date);
	free(v->commit_date);
	free(v->timestamp);
	free(v->commit_timestamp);
	xb_relver_init(v);
}

static char *fmt_time(long long t, bool rfc3339)
{
	char s[64];
	time_t tt = (time_t)t;
	struct tm tm;

	if (!rfc3339)
		snprintf(s, sizeof(s), "%lld", t);
	else if (!gmtime_r(&tt, &tm) ||
		 !strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return strdup(s);
}

/* The snapshot version after the last tag (less a leading 'v'; none:
 * 0.0.0) at short commit c: "1.2.3-SNAPSHOT-abc1234".  Caller frees. */
static char *snapshot_version(const char *tag, const char *c)
{
	const char *base = tag ? tag : "0.0.0";
	xb_buf b = XB_BUF_INIT;

	/* a tag "v1.2.3" is version 1.2.3 */
	if (base[0] == 'v' && isdigit((unsigned char)base[1]))
		base++;
	xb_buf_addf(&b, "%s-SNAPSHOT%s%s", base, c && *c ? "-" : "",
		    c ? c : "");
	return xb_buf_take(&b);
}

xb_code xb_relver_read(xb_relver *v, const char *given, const char *sde,
		       xb_err *err)
{
	static const char *const rev[] = { "git", "rev-parse", "HEAD", NULL };
	static const char *const ct[] = { "git", "log", "-1", "--format=%ct",
		NULL };
	static const char *const at_head[] = { "git", "describe", "--tags",
		"--exact-match", "HEAD", NULL };
	static const char *const last[] = { "git", "describe", "--tags",
		"--abbrev=0", "HEAD", NULL };
	static const char *const changed[] = { "git", "diff", "--quiet", "HEAD",
		"--", NULL };
	char *end, *s, *base = NULL;
	long long now = (long long)time(NULL);

	xb_relver_release(v);
	if (sde && *sde) {
		now = strtoll(sde, &end, 10);
		if (*end || now < 0)
			return xb_fail(err, XB_ERR_USAGE, "SOURCE_DATE_EPOCH '%s' "
				       "is not a number of seconds", sde);
	}
	v->date = fmt_time(now, true);
	v->timestamp = fmt_time(now, false);
	if ((v->commit = run_line(rev))) {
		v->short_commit = strndup(v->commit, 7);
		int code = 0;

		/* exit 1: tracked files differ from HEAD (staged or not) */
		if (!xb_run(changed, NULL, NULL, NULL, &code, NULL))
			v->dirty = code == 1;
		if ((s = run_line(ct))) {
			long long t = strtoll(s, &end, 10);
			if (!*end) {
				v->commit_date = fmt_time(t, true);
				v->commit_timestamp = fmt_time(t, false);
			}
			free(s);
		}
	}
	if (given && *given) {
		v->from = "given";
		v->raw_version = strdup(given);
		v->tag = strdup(given);
	} else if (v->commit && (s = run_line(at_head))) {
		v->from = "tag";
		v->raw_version = s;
		v->tag = strdup(s);
	} else {
		v->from = "snapshot";
		v->snapshot = true;
		if (!v->commit) {
			v->raw_version = strdup("dev");
		} else {
			base = run_line(last);
			v->raw_version = snapshot_version(base, v->short_commit);
			v->tag = base ? strdup(base) : strdup("v0.0.0");
		}
		free(base);
	}
	if (v->raw_version)
		v->version = strdup(v->raw_version + (v->raw_version[0] == 'v' &&
			isdigit((unsigned char)v->raw_version[1])));
	if (!v->version || !v->date || !v->timestamp)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

char *xb_source_snapshot_version(const xb_source *src)
{
	static const char *const tag[] = { "git", "describe", "--tags",
		"--abbrev=0", NULL };
	char *t = src->revision ? run_line(tag) : NULL;
	char *c = src->revision ? strndup(src->revision, 7) : NULL;
	char *s = snapshot_version(t, c);

	free(t);
	free(c);
	return s;
}
