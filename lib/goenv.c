/* goenv.c: ask the selected Go toolchain what it is (version, GOROOT,
 * host, supported ports) and what a package graph needs (go list -deps),
 * caching each answer so that many targets cost one question each. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"

extern char **environ;

#define OUT_MAX (16u << 20)

void xb_pkginfo_init(xb_pkginfo *i)
{
	memset(i, 0, sizeof(*i));
	xb_strv_init(&i->user_cgo);
}

void xb_pkginfo_release(xb_pkginfo *i)
{
	free(i->error);
	free(i->name);
	xb_strv_release(&i->user_cgo);
	xb_pkginfo_init(i);
}

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

void xb_goenv_init(xb_goenv *g)
{
	memset(g, 0, sizeof(*g));
	xb_strv_init(&g->envp);
}

void xb_goenv_release(xb_goenv *g)
{
	free(g->go);
	free(g->version);
	free(g->goroot);
	free(g->hostos);
	free(g->hostarch);
	free(g->dir);
	for (size_t i = 0; i < g->nports; i++) {
		free(g->ports[i].goos);
		free(g->ports[i].goarch);
	}
	free(g->ports);
	for (size_t i = 0; i < g->ncache; i++) {
		free(g->cache[i].key);
		xb_pkginfo_release(&g->cache[i].info);
	}
	free(g->cache);
	for (size_t i = 0; i < g->ncgo_cache; i++) {
		free(g->cgo_cache[i].key);
		xb_cgolink_release(g->cgo_cache[i].q);
		free(g->cgo_cache[i].q);
		free(g->cgo_cache[i].error);
	}
	free(g->cgo_cache);
	xb_strv_release(&g->envp);
	xb_goenv_init(g);
}

xb_code xb_goenv_set_version(xb_goenv *g, const char *version, xb_err *err)
{
	const char *p = strstr(version, "go1");
	char *v;

	if (!p)
		return xb_fail(err, XB_ERR_FORMAT, "cannot read the Go version "
			       "'%s' (expected go1.N)", version);
	v = strdup(version);
	if (!v)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	free(g->version);
	g->version = v;
	g->major = 1;
	g->minor = (int)strtol(p + 4, (char **)&p, 10);
	g->patch = *p == '.' ? (int)strtol(p + 1, NULL, 10) : 0;
	return XB_OK;
}

bool xb_goenv_at_least(const xb_goenv *g, int major, int minor)
{
	return g->major > major || (g->major == major && g->minor >= minor);
}

xb_code xb_goenv_add_port(xb_goenv *g, const char *goos, const char *goarch,
			  bool cgo, bool first_class)
{
	xb_goport *a = realloc(g->ports, (g->nports + 1) * sizeof(*a));

	if (!a)
		return XB_ERR_NOMEM;
	g->ports = a;
	a[g->nports].goos = strdup(goos);
	a[g->nports].goarch = strdup(goarch);
	a[g->nports].cgo = cgo;
	a[g->nports].first_class = first_class;
	if (!a[g->nports].goos || !a[g->nports].goarch) {
		free(a[g->nports].goos);
		free(a[g->nports].goarch);
		return XB_ERR_NOMEM;
	}
	g->nports++;
	return XB_OK;
}

const xb_goport *xb_goenv_port(const xb_goenv *g, const char *goos,
			       const char *goarch)
{
	for (size_t i = 0; i < g->nports; i++)
		if (!strcmp(g->ports[i].goos, goos) &&
		    !strcmp(g->ports[i].goarch, goarch))
			return &g->ports[i];
	return NULL;
}

/* Run go with args under g->envp; stdout into out.  A non-zero exit is an
 * XB_ERR_CHILD with stderr's first lines. */
static xb_code run_go(xb_goenv *g, const char *const *args, xb_buf *out,
		      xb_buf *errb, xb_err *err)
{
	const char *argv[32];
	xb_spawn_opts o = XB_SPAWN_OPTS_INIT;
	int code = 0, n = 0;
	xb_code rc;

	argv[n++] = g->go;
	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	o.envp = xb_strv_argv(&g->envp);
	o.cwd = g->dir;
	rc = xb_run(argv, &o, out, errb, &code, err);
	if (rc)
		return rc;
	if (code != 0) {
		const char *e = xb_buf_str(errb);
		return xb_fail(err, XB_ERR_CHILD, "%s %s failed (exit %d)%s%.*s",
			       g->go, argv[1] ? argv[1] : "", code, *e ? ": " : "",
			       (int)strcspn(e, "\n"), e);
	}
	return XB_OK;
}

/* ---- `go tool dist list -json`: an array of flat objects ---------------- */

static const char *skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* A JSON string at p (no escapes needed for these values); *end after. */
static char *json_string(const char *p, const char **end)
{
	const char *q;

	if (*p != '"')
		return NULL;
	q = strchr(p + 1, '"');
	if (!q)
		return NULL;
	*end = q + 1;
	return strndup(p + 1, (size_t)(q - p - 1));
}

static xb_code parse_dist_list(xb_goenv *g, const char *p, xb_err *err)
{
	p = skip_ws(p);
	if (*p != '[')
		return xb_fail(err, XB_ERR_FORMAT, "go tool dist list -json: "
			       "expected a JSON array");
	p++;
	for (;;) {
		char *goos = NULL, *goarch = NULL;
		bool cgo = false, first = false;
		xb_code rc;

		p = skip_ws(p);
		if (*p == ']')
			break;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p != '{')
			return xb_fail(err, XB_ERR_FORMAT, "go tool dist list "
				       "-json: unexpected '%c'", *p ? *p : '0');
		p++;
		for (;;) {
			char *key;
			p = skip_ws(p);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == '}') {
				p++;
				break;
			}
			key = json_string(p, &p);
			if (!key) {
				free(goos);
				free(goarch);
				return xb_fail(err, XB_ERR_FORMAT, "go tool dist "
					       "list -json: bad key");
			}
			p = skip_ws(p);
			if (*p == ':')
				p = skip_ws(p + 1);
			if (*p == '"') {
				char *v = json_string(p, &p);
				if (!strcmp(key, "GOOS")) {
					free(goos);
					goos = v;
				} else if (!strcmp(key, "GOARCH")) {
					free(goarch);
					goarch = v;
				} else {
					free(v);
				}
			} else {
				bool t = !strncmp(p, "true", 4);
				if (!strcmp(key, "CgoSupported"))
					cgo = t;
				else if (!strcmp(key, "FirstClass"))
					first = t;
				while (*p && *p != ',' && *p != '}')
					p++;
			}
			free(key);
			if (!*p)
				break;
		}
		if (!goos || !goarch) {
			free(goos);
			free(goarch);
			return xb_fail(err, XB_ERR_FORMAT, "go tool dist list "
				       "-json: an entry without GOOS/GOARCH");
		}
		rc = xb_goenv_add_port(g, goos, goarch, cgo, first);
		free(goos);
		free(goarch);
		if (rc)
			return xb_fail(err, rc, "out of memory");
		if (!*p)
			break;
	}
	return XB_OK;
}

static char *line_dup(const char **p)
{
	size_t n = strcspn(*p, "\n");
	char *s = strndup(*p, n);

	*p += n + ((*p)[n] == '\n');
	return s;
}

xb_code xb_goenv_open(xb_goenv *g, const char *go, const char *const *envp,
		      xb_err *err)
{
	static const char *const env_args[] = { "env", "GOVERSION", "GOROOT",
		"GOHOSTOS", "GOHOSTARCH", NULL };
	static const char *const dist_args[] = { "tool", "dist", "list", "-json",
		NULL };
	const char *const *e = envp ? envp : (const char *const *)environ;
	xb_buf out = XB_BUF_INIT, errb = XB_BUF_INIT;
	const char *path = NULL, *p;
	xb_code rc;

	for (const char *const *q = e; *q; q++)
		if (!strncmp(*q, "PATH=", 5))
			path = *q + 5;
	g->go = xb_which(go ? go : "go", path);
	if (!g->go)
		return xb_fail(err, XB_ERR_NOTFOUND, "cannot find the go command "
			       "'%s'%s", go ? go : "go", go && strchr(go, '/') ?
			       "" : " in PATH (use --go PATH)");
	xb_strv_release(&g->envp);
	if ((rc = xb_strv_pushv(&g->envp, e)) ||
	    /* go.mod's toolchain line must not switch what we asked; a
	     * GOFLAGS from the environment or `go env -w` must not leak in */
	    (rc = xb_strv_setenv(&g->envp, "GOTOOLCHAIN", "local")) ||
	    (rc = xb_strv_setenv(&g->envp, "GOFLAGS", "")))
		return xb_fail(err, rc, "out of memory");
	xb_buf_init(&out, OUT_MAX);
	xb_buf_init(&errb, OUT_MAX);
	rc = run_go(g, env_args, &out, &errb, err);
	if (!rc) {
		char *ver;
		p = xb_buf_str(&out);
		ver = line_dup(&p);
		g->goroot = line_dup(&p);
		g->hostos = line_dup(&p);
		g->hostarch = line_dup(&p);
		rc = ver ? xb_goenv_set_version(g, ver, err) : XB_ERR_NOMEM;
		free(ver);
		if (!rc && (!g->hostos || !*g->hostos || !g->hostarch))
			rc = xb_fail(err, XB_ERR_FORMAT, "%s env: no GOHOSTOS",
				     g->go);
	}
	if (!rc) {
		xb_buf_reset(&out);
		xb_buf_reset(&errb);
		rc = run_go(g, dist_args, &out, &errb, err);
		if (!rc)
			rc = parse_dist_list(g, xb_buf_str(&out), err);
	}
	xb_buf_release(&out);
	xb_buf_release(&errb);
	return rc;
}

/* ---- go list -deps ------------------------------------------------------ */

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

/* One line of the template below: path|standard|ncgo|imports */
static void take_line(xb_pkginfo *i, char *line, const char **last)
{
	char *f[4] = { line, NULL, NULL, NULL };
	int nf = 1;

	for (char *p = line; *p && nf < 4; p++)
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

xb_code xb_goenv_pkginfo(xb_goenv *g, const char *pkg, const char *goos,
			 const char *goarch, const char *tags,
			 const xb_pkginfo **out, xb_err *err)
{
	char *key = cache_key(pkg, goos, goarch, tags);
	const char *args[10];
	xb_buf o = XB_BUF_INIT, e = XB_BUF_INIT;
	xb_strv saved = XB_STRV_INIT;
	xb_pkginfo info;
	xb_err lerr = XB_ERR_INIT;
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
	args[n++] = "-f";
	args[n++] = "{{.ImportPath}}|{{.Standard}}|{{len .CgoFiles}}|"
		    "{{join .Imports \",\"}}";
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
	xb_buf_init(&o, OUT_MAX);
	xb_buf_init(&e, 1u << 20);
	xb_pkginfo_init(&info);
	g->list_runs++;
	rc = run_go(g, args, &o, &e, &lerr);
	xb_strv_release(&g->envp);
	g->envp = saved;
	if (rc == XB_ERR_CHILD) {
		/* the package cannot be loaded: an answer, not a failure */
		const char *m = xb_buf_str(&e);
		info.error = strndup(m, strcspn(m, "\n"));
		rc = XB_OK;
	} else if (rc) {
		xb_fail(err, rc, "%s", xb_errmsg(&lerr));
	} else {
		char *text = xb_buf_take(&o), *save = NULL, *line;
		const char *last = NULL;
		char *copy_last = NULL;

		info.ok = true;
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			take_line(&info, line, &last);
			if (last) {
				free(copy_last);
				copy_last = strdup(last);
			}
		}
		if (copy_last) {
			const char *slash = strrchr(copy_last, '/');
			info.name = strdup(slash ? slash + 1 : copy_last);
		}
		free(copy_last);
		free(text);
	}
	xb_buf_release(&o);
	xb_buf_release(&e);
	if (!rc && xb_goenv_cache_put(g, pkg, goos, goarch, tags, &info))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	xb_pkginfo_release(&info);
	if (!rc)
		*out = &g->cache[g->ncache - 1].info;
	return rc;
}

/* ---- go list -deps -json: the cgo link inputs ----------------------------- */

static char *cgo_key(const char *pkg, const char *goos, const char *goarch,
		     const char *tags, const char *cc)
{
	xb_buf b = XB_BUF_INIT;

	xb_buf_addf(&b, "%s\n%s/%s\n%s\n%s", pkg, goos, goarch, tags ? tags : "",
		    cc ? cc : "");
	return xb_buf_take(&b);
}

xb_code xb_goenv_cgolink_put(xb_goenv *g, const char *pkg, const char *goos,
			     const char *goarch, const char *tags,
			     const char *cc, xb_cgolink *q, const char *error)
{
	struct xb_goenv_cgo *a, *e;

	a = realloc(g->cgo_cache, (g->ncgo_cache + 1) * sizeof(*a));
	if (!a)
		return XB_ERR_NOMEM;
	g->cgo_cache = a;
	e = &a[g->ncgo_cache];
	e->key = cgo_key(pkg, goos, goarch, tags, cc);
	e->q = malloc(sizeof(*e->q));
	e->error = error ? strdup(error) : NULL;
	if (!e->key || !e->q || (error && !e->error)) {
		free(e->key);
		free(e->q);
		free(e->error);
		return XB_ERR_NOMEM;
	}
	xb_cgolink_init(e->q);
	if (q) {
		*e->q = *q;
		xb_cgolink_init(q);
	}
	g->ncgo_cache++;
	return XB_OK;
}

xb_code xb_goenv_cgolink(xb_goenv *g, const char *pkg, const char *goos,
			 const char *goarch, const char *tags, const char *cc,
			 const char *const *envp, const xb_cgolink **out,
			 const char **error, xb_err *err)
{
	char *key = cgo_key(pkg, goos, goarch, tags, cc);
	xb_strv env = XB_STRV_INIT;
	xb_buf flags = XB_BUF_INIT;
	xb_cgolink q;
	xb_err lerr = XB_ERR_INIT;
	const char *failed = NULL;
	xb_code rc;

	*out = NULL;
	*error = NULL;
	if (!key)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < g->ncgo_cache; i++)
		if (!strcmp(g->cgo_cache[i].key, key)) {
			free(key);
			*error = g->cgo_cache[i].error;
			*out = *error ? NULL : g->cgo_cache[i].q;
			return XB_OK;
		}
	free(key);
	if (tags && *tags)
		xb_buf_addf(&flags, "-tags=%s", tags);
	if (xb_strv_pushv(&env, envp ? envp : xb_strv_argv(&g->envp)) ||
	    xb_strv_setenv(&env, "GOOS", goos) ||
	    xb_strv_setenv(&env, "GOARCH", goarch) ||
	    xb_strv_setenv(&env, "CGO_ENABLED", "1") ||
	    (cc && xb_strv_setenv(&env, "CC", cc)) ||
	    xb_strv_setenv(&env, "GOFLAGS", xb_buf_str(&flags))) {
		xb_strv_release(&env);
		xb_buf_release(&flags);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	xb_cgolink_init(&q);
	g->list_runs++;
	rc = xb_cgolink_query(g->go, g->dir, pkg, xb_strv_argv(&env), &q, &lerr);
	if (rc == XB_ERR_CHILD || rc == XB_ERR_FORMAT || rc == XB_ERR_TOO_BIG) {
		/* the package cannot be loaded: an answer, not a failure */
		failed = lerr.msg;
		xb_cgolink_release(&q);
		rc = XB_OK;
	} else if (rc) {
		xb_fail(err, rc, "%s", xb_errmsg(&lerr));
	}
	if (!rc && xb_goenv_cgolink_put(g, pkg, goos, goarch, tags, cc,
					failed ? NULL : &q, failed))
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
	xb_cgolink_release(&q);
	xb_strv_release(&env);
	xb_buf_release(&flags);
	if (!rc) {
		struct xb_goenv_cgo *e = &g->cgo_cache[g->ncgo_cache - 1];
		*error = e->error;
		*out = e->error ? NULL : e->q;
	}
	return rc;
}
