/* goenv-list.c: what a package graph needs (go list -deps), asked once
 * per package, GOOS, GOARCH and tags in a run, and remembered across runs
 * in the go list cache (listcache.c) while nothing it depends on
 * changed. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "goenv.h"
#include "goenv-int.h"
#include "listcache.h"

static xb_code pkginfo_copy(xb_pkginfo *dst, const xb_pkginfo *src)
{
	*dst = *src;
	dst->error = src->error ? strdup(src->error) : NULL;
	dst->name = src->name ? strdup(src->name) : NULL;
	xb_strv_init(&dst->user_cgo);
	if ((src->error && !dst->error) || (src->name && !dst->name) ||
	    xb_strv_pushv(&dst->user_cgo, xb_strv_argv(&src->user_cgo)))
		return XB_ERR_NOMEM;
	return XB_OK;
}

static char *cache_key(const char *pkg, const char *goos, const char *goarch,
		       const char *tags)
{
	xb_buf b = XB_BUF_INIT;

	xb_buf_addf(&b, "%s\n%s/%s\n%s", pkg, goos, goarch, tags ? tags : "");
	return xb_buf_take(&b);
}

xb_code xb_goenv_cache_put(xb_goenv *g, const char *pkg, const char *goos,
			   const char *goarch, const char *tags,
			   const xb_pkginfo *info)
{
	struct xb_goenv_entry *a = realloc(g->cache, (g->ncache + 1) * sizeof(*a));

	if (!a)
		return XB_ERR_NOMEM;
	g->cache = a;
	a[g->ncache].key = cache_key(pkg, goos, goarch, tags);
	if (!a[g->ncache].key)
		return XB_ERR_NOMEM;
	if (pkginfo_copy(&a[g->ncache].info, info)) {
		free(a[g->ncache].key);
		return XB_ERR_NOMEM;
	}
	g->ncache++;
	return XB_OK;
}

static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/* One line of the template below: path|standard|ncgo|imports|sealed|dir
 * (the last two, XB_LISTCACHE_SEALED and XB_LISTCACHE_DIR_FIELD, are for
 * the cache only) */
static void take_line(xb_pkginfo *i, char *line, const char **last)
{
	char *f[5] = { line, NULL, NULL, NULL, NULL }; /* f[4]: the rest */
	int nf = 1;

	for (char *p = line; *p && nf < 5; p++)
		if (*p == '|') {
			*p = '\0';
			f[nf++] = p + 1;
		}
	if (nf < 4)
		return;
	*last = f[0];
	bool std = !strcmp(f[1], "true"), cgo = strcmp(f[2], "0") != 0;
	if (!strcmp(f[0], "net") && cgo)
		i->net_cgo = true;
	else if (!strcmp(f[0], "os/user") && cgo)
		i->osuser_cgo = true;
	else if (!strcmp(f[0], "plugin"))
		i->plugin = true;
	else if (!strcmp(f[0], "runtime/cgo"))
		i->rtcgo = true;
	if (!std && cgo)
		xb_strv_push(&i->user_cgo, f[0]);
	/* cgo packages import runtime/cgo themselves; anyone else asked */
	if (!cgo && !std && has_word(f[3], "runtime/cgo"))
		i->rtcgo_direct = true;
}

/* go list's output text (taken) into info. */
static xb_code take_output(xb_pkginfo *info, char *text)
{
	char *save = NULL, *line, *copy_last = NULL;
	const char *last = NULL;

	info->ok = true;
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		take_line(info, line, &last);
		if (last) {
			free(copy_last);
			copy_last = strdup(last);
		}
	}
	if (copy_last) {
		const char *slash = strrchr(copy_last, '/');
		info->name = strdup(slash ? slash + 1 : copy_last);
	}
	free(copy_last);
	free(text);
	/* a package left out of user_cgo could turn cgo off */
	if (!text || xb_strv_failed(&info->user_cgo))
		return XB_ERR_NOMEM;
	return XB_OK;
}

/*
 * go list with args under g->envp, or the answer an earlier run
 * remembered for the same question (info->cache says which): stdout into
 * o.  A package go cannot load is an answer (info->error), and is never
 * remembered.
 */
static xb_code list(xb_goenv *g, const char *const *args, xb_buf *o,
		    xb_pkginfo *info, xb_err *err)
{
	xb_listcache_q q = { g->go, g->version, g->goroot, g->dir,
			     xb_strv_argv(&g->envp), args };
	xb_buf e = XB_BUF_INIT;
	xb_err lerr = XB_ERR_INIT;
	struct timespec started;
	char key[65], again[65];
	bool cached = xb_listcache_enabled() && !xb_listcache_key(&q, key);
	xb_code rc;

	if (cached) {
		memcpy(info->cache_key, key, sizeof(info->cache_key) - 1);
		info->cache = "miss";
		if (!xb_listcache_get(NULL, key, &g->listmemo, o)) {
			info->cache = "hit";
			return XB_OK;
		}
		xb_buf_reset(o);
	}
	xb_buf_init(&e, 1u << 20);
	clock_gettime(CLOCK_REALTIME, &started);
	g->list_runs++;
	rc = xb_goenv_run_go(g, args, o, &e, &lerr);
	if (rc == XB_ERR_CHILD) {
		/* the package cannot be loaded: an answer, not a failure */
		const char *m = xb_goenv_go_error(xb_buf_str(&e));
		info->error = strndup(m, strcspn(m, "\n"));
		rc = info->error ? XB_OK : xb_fail(err, XB_ERR_NOMEM,
						   "out of memory");
	} else if (rc) {
		xb_fail(err, rc, "%s", xb_errmsg(&lerr));
	} else if (cached && !xb_listcache_key(&q, again) &&
		   !strcmp(key, again)) {
		/* a go.mod edited while go ran is not under the key */
		xb_listcache_put(NULL, key, xb_buf_str(o), &started);
	}
	xb_buf_release(&e);
	return rc;
}

xb_code xb_goenv_pkginfo(xb_goenv *g, const char *pkg, const char *goos,
			 const char *goarch, const char *tags,
			 const xb_pkginfo **out, xb_err *err)
{
	char *key = cache_key(pkg, goos, goarch, tags);
	const char *args[12];
	xb_buf o = XB_BUF_INIT;
	xb_strv saved = XB_STRV_INIT;
	xb_pkginfo info;
	xb_code rc;
	int n = 0;

	if (!key)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < g->ncache; i++)
		if (!strcmp(g->cache[i].key, key)) {
			free(key);
			*out = &g->cache[i].info;
			return XB_OK;
		}
	free(key);
	args[n++] = "list";
	args[n++] = "-deps";
	/* go list would otherwise ask git about the tree (VCS stamping) */
	if (xb_goenv_at_least(g, 1, 18))
		args[n++] = "-buildvcs=false";
	args[n++] = "-f";
	args[n++] = "{{.ImportPath}}|{{.Standard}}|{{len .CgoFiles}}|"
		    "{{join .Imports \",\"}}|" XB_LISTCACHE_SEALED "|{{.Dir}}";
	if (tags && *tags) {
		args[n++] = "-tags";
		args[n++] = tags;
	}
	args[n++] = "--";
	args[n++] = pkg;
	args[n] = NULL;
	/* the same environment, for the target, with cgo visible */
	if (xb_strv_pushv(&saved, xb_strv_argv(&g->envp)) ||
	    xb_strv_setenv(&g->envp, "GOOS", goos) ||
	    xb_strv_setenv(&g->envp, "GOARCH", goarch) ||
	    xb_strv_setenv(&g->envp, "CGO_ENABLED", "1")) {
		xb_strv_release(&saved);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	xb_buf_init(&o, XB_GOENV_OUT_MAX);
	xb_pkginfo_init(&info);
	rc = list(g, args, &o, &info, err);
	xb_strv_release(&g->envp);
	g->envp = saved;
	if (!rc && !info.error && take_output(&info, xb_buf_take(&o)))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	xb_buf_release(&o);
	if (!rc && xb_goenv_cache_put(g, pkg, goos, goarch, tags, &info))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	xb_pkginfo_release(&info);
	if (!rc)
		*out = &g->cache[g->ncache - 1].info;
	return rc;
}
