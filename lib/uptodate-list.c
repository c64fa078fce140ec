/* uptodate-list.c: the go list answer a record is made from (what go
 * build read): from the go list cache (listcache.c) when an earlier run
 * remembered it for the same build and nothing it lists changed, else
 * from go list run beside the build, and then remembered (the part of it
 * a record reads). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listcache.h"
#include "uptodate.h"
#include "uptodate-int.h"

void xb_uptodate_run_release(xb_uptodate_run *ur)
{
	xb_listcache_memo_free(ur->memo);
	ur->memo = NULL;
}

/* ---- what a record reads of the answer ---------------------------------- */

/* A package from the module cache: read-only, named by its version. */
static bool from_cache(json_t *m, const char *dir)
{
	json_t *rep = json_object_get(m, "Replace");
	const char *mdir, *ver;
	size_t n;

	if (!json_is_object(m) || json_is_true(json_object_get(m, "Main")))
		return false;
	if (json_is_object(rep))
		m = rep; /* replaced by a folder: the user's own files */
	mdir = json_string_value(json_object_get(m, "Dir"));
	ver = json_string_value(json_object_get(m, "Version"));
	n = mdir ? strlen(mdir) : 0;
	/* a vendored copy has no module folder: the user's too */
	return ver && *ver && n && !strncmp(dir, mdir, n) &&
	       (dir[n] == '/' || !dir[n]);
}

enum xb_uptodate_pkg xb_uptodate_pkg_kind(json_t *pkg, const char **dir,
					  const char **ip)
{
	*dir = json_string_value(json_object_get(pkg, "Dir"));
	*ip = json_string_value(json_object_get(pkg, "ImportPath"));
	if (!*dir || !*ip)
		return XB_UPTODATE_PKG_NONE;
	if (json_is_true(json_object_get(pkg, "Standard")))
		return XB_UPTODATE_PKG_STD;
	if (from_cache(json_object_get(pkg, "Module"), *dir))
		return XB_UPTODATE_PKG_MODCACHE;
	return XB_UPTODATE_PKG_USER;
}

char *xb_uptodate_goroot(const char *dir, const char *ip)
{
	size_t n = strlen(dir), k = strlen(ip);

	if (n > k + 5 && !strcmp(dir + n - k, ip) &&
	    !strncmp(dir + n - k - 5, "/src/", 5))
		return strndup(dir, n - k - 5);
	return NULL;
}

/*
 * What a record reads of go list's answer text (add_package), into out:
 * the user's packages, the first standard one that says where GOROOT is,
 * and the last (the package built), each as go wrote it.  Only that is
 * remembered, so the folders a remembered answer is checked by are the
 * user's, not the standard library's nor the module cache's, whose files
 * no record watches (GOROOT's VERSION and tools, and go.mod, stand for
 * them), and on which the user's packages' files do not depend.
 */
static xb_code record_part(const char *text, xb_buf *out)
{
	size_t len = strlen(text), pos = 0, last = 0, last_len = 0;
	bool goroot = false, last_kept = false;
	xb_code rc = XB_OK;

	while (!rc && pos < len) {
		json_error_t je;
		json_t *o = json_loadb(text + pos, len - pos,
				       JSON_DISABLE_EOF_CHECK, &je);
		const char *dir, *ip;
		enum xb_uptodate_pkg kind;
		char *g = NULL;
		bool keep;

		if (!json_is_object(o) || je.position <= 0) {
			json_decref(o);
			return XB_ERR_FORMAT;
		}
		kind = xb_uptodate_pkg_kind(o, &dir, &ip);
		keep = kind == XB_UPTODATE_PKG_USER ||
		       (kind == XB_UPTODATE_PKG_STD && !goroot &&
			(g = xb_uptodate_goroot(dir, ip)));
		goroot = goroot || g;
		free(g);
		json_decref(o);
		if (kind != XB_UPTODATE_PKG_NONE) {
			last = pos;
			last_len = (size_t)je.position;
			last_kept = keep;
		}
		if (keep)
			rc = xb_buf_addf(out, "%.*s\n", (int)je.position,
					 text + pos);
		pos += (size_t)je.position;
		while (pos < len && strchr(" \t\r\n", text[pos]))
			pos++;
	}
	/* the package built, when it is not the user's own */
	if (!rc && last_len && !last_kept)
		rc = xb_buf_addf(out, "%.*s\n", (int)last_len, text + last);
	return rc;
}

/* ---- go list, or the cache ----------------------------------------------- */

/* The compiler's, assembler's and linker's flags: they select no file,
 * so go list's answer is the same without them, and a -X with the
 * version, commit or date (new at each commit, or each run) does not
 * make each build another question to the go list cache. */
static bool tool_flags(const char *arg)
{
	static const char *const flags[] = { "-ldflags=", "-gcflags=",
		"-asmflags=", NULL };

	for (size_t i = 0; flags[i]; i++)
		if (!strncmp(arg, flags[i], strlen(flags[i])))
			return true;
	return false;
}

/* go list -deps -json with the build's flags (all but -o are list's; the
 * tools' flags are left out). */
static void list_argv(const xb_plan *pl, xb_strv *argv)
{
	xb_strv_push(argv, pl->argv.v[0]);
	xb_strv_push(argv, "list");
	xb_strv_push(argv, "-deps");
	xb_strv_push(argv, "-json=Dir,ImportPath,Standard,Module,GoFiles,"
		     "CgoFiles,IgnoredGoFiles,IgnoredOtherFiles,CFiles,CXXFiles,"
		     "MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,"
		     "SysoFiles,EmbedFiles,EmbedPatterns");
	for (size_t i = 2; i < pl->argv.n; i++)
		if (!strcmp(pl->argv.v[i], "-o"))
			i++;
		else if (!tool_flags(pl->argv.v[i]))
			xb_strv_push(argv, pl->argv.v[i]);
}

/* The go list cache's key of argv under envp (the build's own
 * environment and flags: another CGO_ENABLED or tag picks other files)
 * into key; false when the cache is off or the key cannot be made. */
static bool list_key(const xb_uptodate_run *ur, const xb_strv *argv,
		     const char *const *envp, char key[65])
{
	xb_listcache_q q = { NULL, NULL, NULL, NULL, envp, NULL };

	if (!xb_listcache_enabled() || xb_strv_failed(argv) || argv->n < 2)
		return false;
	q.go = argv->v[0];
	q.version = ur ? ur->go_version : NULL;
	q.goroot = ur ? ur->goroot : NULL;
	q.args = (const char *const *)argv->v + 1;
	return !xb_listcache_key(&q, key);
}

/* The answer an earlier run remembered under u->list_key into
 * u->list_text: true on a hit. */
static bool list_remembered(xb_uptodate *u, xb_uptodate_run *ur)
{
	xb_buf o = XB_BUF_INIT;

	xb_buf_init(&o, XB_UPTODATE_LIST_MAX);
	if (!xb_listcache_get(NULL, u->list_key, ur ? &ur->memo : NULL, &o))
		u->list_text = xb_buf_take(&o);
	xb_buf_release(&o);
	return u->list_text != NULL;
}

xb_code xb_uptodate_start(xb_uptodate *u, const xb_plan *pl,
			  const char *const *envp, const char *dir,
			  xb_uptodate_run *ur)
{
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_strv argv = XB_STRV_INIT;
	int fd, null;
	xb_code rc;

	if (!u->checked || !u->record || u->list_pid > 0 || u->list_text)
		return XB_OK;
	list_argv(pl, &argv);
	if (!list_key(ur, &argv, envp, u->list_key))
		u->list_key[0] = '\0';
	else if (list_remembered(u, ur)) {
		xb_strv_release(&argv);
		return XB_OK;
	}
	if (!(u->list_out = xb_path_join(dir, "golist-XXXXXX"))) {
		xb_strv_release(&argv);
		return XB_OK;
	}
	fd = mkostemp(u->list_out, O_CLOEXEC);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	so.envp = envp;
	so.stdout_fd = fd;
	so.stderr_fd = null;
	clock_gettime(CLOCK_REALTIME, &u->list_started);
	rc = fd < 0 || null < 0 ? XB_ERR_IO :
		xb_spawn(xb_strv_argv(&argv), &so, &u->list_pid, NULL);
	if (rc)
		u->list_pid = 0; /* go list runs after the build instead */
	if (fd >= 0)
		close(fd);
	if (null >= 0)
		close(null);
	xb_strv_release(&argv);
	return rc;
}

/* go list's answer, remembered when nothing it depends on changed while
 * it ran: no module file (the key again), no folder it lists. */
static void remember(const xb_uptodate *u, const xb_plan *pl,
		     const char *const *envp, xb_uptodate_run *ur,
		     const char *text)
{
	xb_strv argv = XB_STRV_INIT;
	xb_buf part = XB_BUF_INIT;
	char again[65];

	list_argv(pl, &argv);
	xb_buf_init(&part, XB_UPTODATE_LIST_MAX);
	if (u->list_key[0] && list_key(ur, &argv, envp, again) &&
	    !strcmp(again, u->list_key) && !record_part(text, &part) &&
	    !xb_buf_failed(&part) && part.len)
		xb_listcache_put(NULL, u->list_key, xb_buf_str(&part),
				 &u->list_started);
	xb_buf_release(&part);
	xb_strv_release(&argv);
}

xb_code xb_uptodate_list(xb_uptodate *u, const xb_plan *pl,
			 const char *const *envp, xb_uptodate_run *ur,
			 xb_buf *out, xb_err *err)
{
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;
	xb_strv argv = XB_STRV_INIT;
	int code = 0, st = 0;
	xb_code rc;

	if (u->list_text)
		return xb_buf_adds(out, u->list_text) ?
			xb_fail(err, XB_ERR_NOMEM, "out of memory") : XB_OK;
	if (u->list_pid > 0) {
		rc = xb_wait(u->list_pid, &st, err);
		u->list_pid = 0;
		code = xb_exit_code(st);
		if (!rc && !code)
			rc = xb_buf_read_file(out, u->list_out, err);
	} else {
		list_argv(pl, &argv);
		if (!list_key(ur, &argv, envp, u->list_key))
			u->list_key[0] = '\0';
		so.envp = envp;
		clock_gettime(CLOCK_REALTIME, &u->list_started);
		rc = xb_run(xb_strv_argv(&argv), &so, out, NULL, &code, err);
		xb_strv_release(&argv);
	}
	if (!rc && code)
		rc = xb_fail(err, XB_ERR_CHILD, "go list exited %d", code);
	if (!rc && !xb_buf_failed(out))
		remember(u, pl, envp, ur, xb_buf_str(out));
	return rc;
}
