/* gitsrc.c: what a release records of its source: git's revision and
 * whether the work tree has uncommitted changes, and the time archive
 * entries carry (SOURCE_DATE_EPOCH, else the commit's). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xbuild.h"

/* A git command and what it said: the first line of its output (NULL
 * when it failed or printed nothing). */
struct git_call {
	const char *const *argv;
	char *line;
	int code;          /* its exit status; -1: it did not run */
	pthread_t thread;
	bool in_thread;
};

static void git_call_run(struct git_call *c)
{
	xb_buf out;

	c->code = -1;
	c->line = NULL;
	xb_buf_init(&out, 1 << 16);
	if (!xb_run(c->argv, NULL, &out, NULL, &c->code, NULL) &&
	    c->code == 0 && out.len) {
		size_t n = strcspn(xb_buf_str(&out), "\n");
		if (n)
			c->line = strndup(xb_buf_str(&out), n);
	}
	xb_buf_release(&out);
}

static void *git_call_thread(void *c)
{
	git_call_run(c);
	return NULL;
}

/* Run the n calls at once: the first here, the others in threads (one
 * whose thread cannot start runs here after). */
static void git_calls(struct git_call *c, size_t n)
{
	for (size_t i = 1; i < n; i++)
		c[i].in_thread = !pthread_create(&c[i].thread, NULL,
						 git_call_thread, &c[i]);
	git_call_run(&c[0]);
	for (size_t i = 1; i < n; i++) {
		if (c[i].in_thread)
			pthread_join(c[i].thread, NULL);
		else
			git_call_run(&c[i]);
	}
}

/* One line of a command's output, trailing newline dropped; NULL when it
 * failed or printed nothing.  The caller frees it. */
static char *run_line(const char *const *argv)
{
	struct git_call c = { argv, NULL, -1, 0, false };

	git_call_run(&c);
	return c.line;
}

/* Whether git could find a repository from here: GIT_DIR is set, or
 * this folder or one above it holds a .git (a folder, or a file as in a
 * worktree).  When not, git would only say so: no process is run. */
static bool repo_may_be_here(void)
{
	const char *gd = getenv("GIT_DIR");
	char *dir = getcwd(NULL, 0), *slash;
	xb_buf p = XB_BUF_INIT;
	bool found = false;
	struct stat st;

	if ((gd && *gd) || !dir || dir[0] != '/') {
		free(dir);
		return true; /* git decides */
	}
	for (;;) {
		xb_buf_reset(&p);
		xb_buf_addf(&p, "%s/.git", dir);
		if (xb_buf_failed(&p) || stat(xb_buf_str(&p), &st) == 0) {
			found = true;
			break;
		}
		if (!(slash = strrchr(dir, '/')) || slash == dir) {
			if (dir[1] == '\0')
				break; /* "/" looked at */
			dir[1] = '\0';
		} else {
			*slash = '\0';
		}
	}
	xb_buf_release(&p);
	free(dir);
	return found;
}

/* git log -1 --format="%H %ct", HEAD's commit and committer time: one git
 * process for both.  A signature's check would come before the line
 * (log.showSignature); -c, unlike --no-show-signature, every git takes. */
static const char *const head_argv[] = { "git", "-c",
	"log.showSignature=false", "log", "-1", "--format=%H %ct", NULL };

/* HEAD's commit from head_argv's line (taken; the caller frees the result;
 * NULL outside a repository or before the first commit) and its committer
 * time (*have false when git did not give a number). */
static char *head_of(char *line, long long *t, bool *have)
{
	char *sp, *end;

	*have = false;
	if (!line || !(sp = strchr(line, ' '))) {
		free(line);
		return NULL;
	}
	*sp = '\0';
	*t = strtoll(sp + 1, &end, 10);
	*have = sp[1] && !*end;
	return line;
}

static char *head_commit(long long *t, bool *have)
{
	return head_of(repo_may_be_here() ? run_line(head_argv) : NULL, t, have);
}

/* The tag of HEAD, or else the last tag before it (git describe --tags:
 * the same tag --exact-match and --abbrev=0 name), from one git process:
 * --long says "TAG-N-gHASH", N 0 when the tag is HEAD's. */
static const char *const describe_argv[] = { "git", "describe", "--tags",
	"--long", "HEAD", NULL };

/* The tag from describe_argv's line (taken); *tag NULL when there is
 * none; the caller frees it. */
static void describe_of(char *line, char **tag, bool *exact)
{
	char *g, *n;

	*tag = NULL;
	*exact = false;
	/* from the right: a tag may hold '-' itself */
	if (!line || !(g = strrchr(line, '-')) || g[1] != 'g' || g == line) {
		free(line);
		return;
	}
	*g = '\0';
	if (!(n = strrchr(line, '-')) || n == line || !n[1] ||
	    strspn(n + 1, "0123456789") != strlen(n + 1)) {
		free(line);
		return;
	}
	*n = '\0';
	*exact = !strcmp(n + 1, "0");
	*tag = line;
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
	static const char *const st[] = { "git", "status", "--porcelain",
		"--untracked-files=no", NULL };
	long long ct = 0;
	bool have_ct;
	char *end, *s;

	src->revision = head_commit(&ct, &have_ct);
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
	} else if (src->revision && have_ct) {
		src->epoch = ct;
		src->epoch_from = "commit";
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
	/* exit 1: tracked files differ from HEAD (staged or not) */
	static const char *const changed[] = { "git", "diff", "--quiet", "HEAD",
		"--", NULL };
	/* at once: HEAD, the work tree's state and the tag (when no version
	 * is given) */
	struct git_call calls[3] = { { head_argv, NULL, -1, 0, false },
		{ changed, NULL, -1, 0, false },
		{ describe_argv, NULL, -1, 0, false } };
	char *end, *base = NULL;
	long long now = (long long)time(NULL), ct = 0;
	bool have_ct, exact = false;

	xb_relver_release(v);
	if (sde && *sde) {
		now = strtoll(sde, &end, 10);
		if (*end || now < 0)
			return xb_fail(err, XB_ERR_USAGE, "SOURCE_DATE_EPOCH '%s' "
				       "is not a number of seconds", sde);
	}
	v->date = fmt_time(now, true);
	v->timestamp = fmt_time(now, false);
	if (repo_may_be_here())
		git_calls(calls, given && *given ? 2 : 3);
	if ((v->commit = head_of(calls[0].line, &ct, &have_ct))) {
		v->short_commit = strndup(v->commit, 7);
		v->dirty = calls[1].code == 1;
		if (have_ct) {
			v->commit_date = fmt_time(ct, true);
			v->commit_timestamp = fmt_time(ct, false);
		}
		describe_of(calls[2].line, &base, &exact);
	} else {
		free(calls[2].line);
	}
	free(calls[1].line);
	if (given && *given) {
		v->from = "given";
		v->raw_version = strdup(given);
		v->tag = strdup(given);
	} else if (exact) {
		v->from = "tag";
		v->raw_version = base;
		v->tag = strdup(base);
		base = NULL;
	} else {
		v->from = "snapshot";
		v->snapshot = true;
		if (!v->commit) {
			v->raw_version = strdup("dev");
		} else {
			v->raw_version = snapshot_version(base, v->short_commit);
			v->tag = base ? strdup(base) : strdup("v0.0.0");
		}
	}
	free(base);
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
