/* goenv.c: ask the selected Go toolchain what it is (version, GOROOT,
 * host, supported ports) and what a package graph needs (go list -deps),
 * caching each answer so that many targets cost one question each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "goenv.h"
#include "goenv-int.h"
#include "cgolink.h"
#include "gover.h"
#include "listcache.h"
#include "profile.h"

extern char **environ;

#define OUT_MAX XB_GOENV_OUT_MAX

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

void xb_goenv_init(xb_goenv *g)
{
	memset(g, 0, sizeof(*g));
	xb_strv_init(&g->envp);
	xb_gochoice_init(&g->chosen);
}

/* Forget what go said and every answer cached from it: they belong to
 * the release that gave them. */
static void forget_answers(xb_goenv *g)
{
	free(g->version);
	free(g->goroot);
	free(g->hostos);
	free(g->hostarch);
	g->version = g->goroot = g->hostos = g->hostarch = NULL;
	g->major = g->minor = g->patch = 0;
	for (size_t i = 0; i < g->nports; i++) {
		free(g->ports[i].goos);
		free(g->ports[i].goarch);
	}
	free(g->ports);
	g->ports = NULL;
	g->nports = 0;
	for (size_t i = 0; i < g->ncache; i++) {
		free(g->cache[i].key);
		xb_pkginfo_release(&g->cache[i].info);
	}
	free(g->cache);
	g->cache = NULL;
	g->ncache = 0;
	for (size_t i = 0; i < g->ncgo_cache; i++) {
		free(g->cgo_cache[i].key);
		xb_cgolink_release(g->cgo_cache[i].q);
		free(g->cgo_cache[i].q);
		free(g->cgo_cache[i].error);
	}
	free(g->cgo_cache);
	g->cgo_cache = NULL;
	g->ncgo_cache = 0;
}

void xb_goenv_release(xb_goenv *g)
{
	forget_answers(g);
	free(g->go);
	free(g->dir);
	free(g->toolchain);
	free(g->local_version);
	xb_gochoice_release(&g->chosen);
	xb_strv_release(&g->envp);
	xb_listcache_memo_free(g->listmemo);
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

/* The first line of go's stderr that says what went wrong: "go:
 * downloading go1.27.3 (linux/amd64)" is progress, the reason follows. */
const char *xb_goenv_go_error(const char *e)
{
	while (!strncmp(e, "go: downloading ", 16) && strchr(e, '\n') &&
	       strchr(e, '\n')[1])
		e = strchr(e, '\n') + 1;
	return e;
}

/* Run go with args under g->envp; stdout into out.  A non-zero exit is an
 * XB_ERR_CHILD with stderr's first lines. */
xb_code xb_goenv_run_go(xb_goenv *g, const char *const *args, xb_buf *out,
			xb_buf *errb, xb_err *err)
{
	return xb_goenv_run_go_env(g, xb_strv_argv(&g->envp), args, -1, out, errb,
				   err);
}

xb_code xb_goenv_run_go_env(const xb_goenv *g, const char *const *envp,
			    const char *const *args, int cancel_fd, xb_buf *out,
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
	o.envp = envp;
	o.cwd = g->dir;
	o.cancel_fd = cancel_fd;
	rc = xb_run(argv, &o, out, errb, &code, err);
	if (rc)
		return rc;
	if (code != 0) {
		const char *e = xb_goenv_go_error(xb_buf_str(errb));
		return xb_fail(err, XB_ERR_CHILD, "%s %s failed (exit %d)%s%.*s",
			       g->go, argv[1] ? argv[1] : "", code, *e ? ": " : "",
			       (int)strcspn(e, "\n"), e);
	}
	return XB_OK;
}

/* ---- `go tool dist list -json`: an array of objects ---------------------- */

static xb_code add_dist_entry(xb_goenv *g, json_t *o, size_t i, xb_err *err)
{
	json_t *goos = json_object_get(o, "GOOS");
	json_t *goarch = json_object_get(o, "GOARCH");
	xb_code rc;

	if (!json_is_string(goos) || !json_is_string(goarch))
		return xb_fail(err, XB_ERR_FORMAT, "go tool dist list -json: "
			       "entry %zu has no GOOS/GOARCH string", i + 1);
	rc = xb_goenv_add_port(g, json_string_value(goos),
			       json_string_value(goarch),
			       json_is_true(json_object_get(o, "CgoSupported")),
			       json_is_true(json_object_get(o, "FirstClass")));
	return rc ? xb_fail(err, rc, "out of memory") : XB_OK;
}

/* The text is go's own output or the copy remembered in the answers cache;
 * a real JSON parser reads both, escapes included. */
static xb_code parse_dist_list(xb_goenv *g, const char *text, xb_err *err)
{
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr), *o;
	xb_code rc = XB_OK;
	size_t i;

	if (!root)
		return xb_fail(err, XB_ERR_FORMAT, "go tool dist list -json: "
			       "line %d: %s", jerr.line, jerr.text);
	if (!json_is_array(root)) {
		json_decref(root);
		return xb_fail(err, XB_ERR_FORMAT, "go tool dist list -json: "
			       "expected a JSON array");
	}
	json_array_foreach(root, i, o) {
		if (!json_is_object(o))
			rc = xb_fail(err, XB_ERR_FORMAT, "go tool dist list "
				     "-json: entry %zu is not an object", i + 1);
		else
			rc = add_dist_entry(g, o, i, err);
		if (rc)
			break;
	}
	json_decref(root);
	return rc;
}

static char *line_dup(const char **p)
{
	size_t n = strcspn(*p, "\n");
	char *s = strndup(*p, n);

	*p += n + ((*p)[n] == '\n');
	return s;
}

/* Where the answers of go live in the cache: named by the go binary
 * (path, size, modification time), the GOROOT it would be given and the
 * release it runs (GOTOOLCHAIN: the answers of go1.27.3 are not those of
 * the local go), with, for a release go switches to, what says which
 * module cache holds it. */
static char *answers_path(const char *go, const xb_strv *envp)
{
	static const char *const modcache_vars[] = { "GOMODCACHE", "GOPATH",
		"HOME", NULL };
	unsigned char d[32];
	char hex[65];
	struct stat st;
	xb_buf key = XB_BUF_INIT, path = XB_BUF_INIT;
	const char *groot = xb_strv_getenv(envp, "GOROOT");
	const char *tc = xb_strv_getenv(envp, "GOTOOLCHAIN");
	char *dir;
	xb_sha256 h;

	if (stat(go, &st) < 0 || !(dir = xb_cache_dir()))
		return NULL;
	xb_buf_addf(&key, "goenv 2\n%s\n%lld\n%lld.%09ld\n%s\n%s\n", go,
		    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		    st.st_mtim.tv_nsec, groot ? groot : "", tc ? tc : "");
	for (size_t i = 0; tc && strcmp(tc, "local") && modcache_vars[i]; i++) {
		const char *v = xb_strv_getenv(envp, modcache_vars[i]);
		xb_buf_addf(&key, "%s=%s\n", modcache_vars[i], v ? v : "");
	}
	/* a key with a piece missing could name another go's answers */
	if (xb_buf_failed(&key) || xb_sha256_init(&h) ||
	    xb_sha256_update(&h, key.data, key.len) ||
	    xb_sha256_final(&h, d)) {
		free(dir);
		xb_buf_release(&key);
		return NULL;
	}
	xb_hex(d, 16, hex);
	xb_buf_addf(&path, "%s/goenv/%s", dir, hex);
	free(dir);
	xb_buf_release(&key);
	return xb_buf_take(&path);
}

/* Best effort: a cache that cannot be written is only slower. */
static void remember(const char *path, const xb_buf *b)
{
	char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;

	if (slash) {
		*slash = '\0';
		if (!xb_mkdir_p(dir, NULL))
			xb_write_file_atomic(path, b->data, b->len, 0644, NULL);
	}
	free(dir);
}

/* A remembered answer of a release go switched to holds while that
 * release is still in the module cache (its GOROOT) and go may use it;
 * otherwise go must be asked: it fetches the release again, or says why
 * it cannot (with GOSUMDB=off it refuses to switch at all). */
static bool answers_hold(const xb_goenv *g, const char *env_out)
{
	const char *tc = xb_strv_getenv(&g->envp, "GOTOOLCHAIN");
	const char *sumdb = xb_strv_getenv(&g->envp, "GOSUMDB");
	const char *p = strchr(env_out, '\n');
	xb_buf bin = XB_BUF_INIT;
	bool ok;

	if (!tc || !strcmp(tc, "local"))
		return true;
	if (!p || (sumdb && !strcmp(sumdb, "off")))
		return false;
	p++;
	xb_buf_add(&bin, p, strcspn(p, "\n"));
	xb_buf_adds(&bin, "/bin/go");
	ok = !xb_buf_failed(&bin) && access(xb_buf_str(&bin), X_OK) == 0;
	xb_buf_release(&bin);
	return ok;
}

/* Ask g->go (under g->envp) its version, GOROOT, host and ports, or take
 * the answers remembered for it. */
static xb_code query(xb_goenv *g, xb_err *err)
{
	static const char *const env_args[] = { "env", "GOVERSION", "GOROOT",
		"GOHOSTOS", "GOHOSTARCH", NULL };
	static const char *const dist_args[] = { "tool", "dist", "list", "-json",
		NULL };
	xb_buf out = XB_BUF_INIT, errb = XB_BUF_INIT;
	const char *p;
	char *cache, *sep;
	bool cached = false;
	xb_code rc = XB_OK;

	xb_buf_init(&out, OUT_MAX);
	xb_buf_init(&errb, OUT_MAX);
	/* the answers of this go, remembered: they cannot change while the
	 * go binary does not */
	cache = answers_path(g->go, &g->envp);
	if (cache && !xb_buf_read_file(&out, cache, NULL) &&
	    (sep = strstr(xb_buf_str(&out), "\n--\n")) != NULL &&
	    answers_hold(g, xb_buf_str(&out))) {
		/* errb holds the remembered dist list from here on */
		rc = xb_buf_add(&errb, sep + 4, strlen(sep + 4)) ?
			xb_buf_check(&errb, err, "the remembered go answers") :
			XB_OK;
		out.len = (size_t)(sep - out.data) + 1;
		out.data[out.len] = '\0';
		cached = true;
	} else {
		xb_buf_reset(&out);
		rc = xb_goenv_run_go(g, env_args, &out, &errb, err);
	}
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
		/* before 1.18 no build settings: nothing to prove an
		 * artifact by */
		if (!rc && !xb_goenv_at_least(g, 1, 18))
			rc = xb_fail(err, XB_ERR_UNSUPPORTED, "%s is %s: xbuild "
				     "needs Go 1.18 or later (older releases "
				     "record no build settings to verify an "
				     "artifact by)", g->go, g->version);
	}
	if (!rc && cached) {
		rc = parse_dist_list(g, xb_buf_str(&errb), err);
	} else if (!rc) {
		xb_buf env_out = XB_BUF_INIT;
		xb_buf_add(&env_out, out.data, out.len);
		xb_buf_reset(&out);
		xb_buf_reset(&errb);
		rc = xb_goenv_run_go(g, dist_args, &out, &errb, err);
		if (!rc)
			rc = parse_dist_list(g, xb_buf_str(&out), err);
		if (!rc && cache && !xb_buf_addf(&env_out, "--\n%s", xb_buf_str(&out)))
			remember(cache, &env_out);
		xb_buf_release(&env_out);
	}
	free(cache);
	xb_buf_release(&out);
	xb_buf_release(&errb);
	return rc;
}

xb_code xb_goenv_open(xb_goenv *g, const char *go, const char *const *envp,
		      xb_err *err)
{
	const char *const *e = envp ? envp : (const char *const *)environ;
	const char *path = NULL;
	xb_code rc;

	for (const char *const *q = e; *q; q++)
		if (!strncmp(*q, "PATH=", 5))
			path = *q + 5;
	g->go = xb_which(go ? go : "go", path);
	/* where Go's own installer puts it, often not on PATH */
	if (!g->go && (!go || !strcmp(go, "go")) &&
	    access(XB_GO_INSTALL, X_OK) == 0)
		g->go = strdup(XB_GO_INSTALL);
	if (!g->go)
		return xb_fail(err, XB_ERR_NOTFOUND, "cannot find the go command "
			       "'%s'%s", go ? go : "go", go && strchr(go, '/') ?
			       "" : go && strcmp(go, "go") ? " in PATH (use --go PATH)" :
			       " in PATH or at " XB_GO_INSTALL " (use --go PATH)");
	xb_strv_release(&g->envp);
	if ((rc = xb_strv_pushv(&g->envp, e)) ||
	    /* go.mod's toolchain line must not switch what we asked
	     * (xb_goenv_use says which release runs); a GOFLAGS from the
	     * environment or `go env -w` must not leak in */
	    (rc = xb_strv_setenv(&g->envp, "GOTOOLCHAIN", "local")) ||
	    (rc = xb_strv_setenv(&g->envp, "GOFLAGS", "")))
		return xb_fail(err, rc, "out of memory");
	return query(g, err);
}

/* The go path a profile names is an executable regular file: checked
 * without running it. */
static xb_code check_go_path(const char *go, xb_err *err)
{
	struct stat st;

	if (stat(go, &st) < 0)
		return xb_fail(err, XB_ERR_NOTFOUND, "cannot use go '%s':", go);
	if (!S_ISREG(st.st_mode))
		return xb_fail(err, XB_ERR_USAGE, "go '%s' is not a regular file",
			       go);
	if (access(go, X_OK) < 0)
		return xb_fail(err, XB_ERR_USAGE, "go '%s' is not executable",
			       go);
	return XB_OK;
}

const char *xb_goenv_profile_go(const xb_profile *p, xb_diags *d)
{
	const char *first = NULL;

	for (size_t i = 0; i <= p->ntargets; i++) {
		const xb_settings *s = i ? &p->targets[i - 1].s : &p->defaults;
		xb_err err = XB_ERR_INIT;

		if (!s->go || !strchr(s->go, '/'))
			continue;
		if (!first)
			first = s->go;
		/* the same line once, however many targets inherit it */
		if (check_go_path(s->go, &err))
			xb_diag(d, 'e', s->pos[XB_S_GO], "%s", xb_errmsg(&err));
	}
	return first;
}

/* "--set go_version=go1.27.3" or "go_version: go1.27.3 at p.yaml:3:15",
 * else the release: what chose it, for messages. */
static const char *chosen_by(const xb_gochoice *c)
{
	return c->why ? c->why : c->version;
}

/* The go command of release (for host "linux-amd64") in the local go's
 * module cache (xb_gover_cached_go); NULL when it is not there.  Asked
 * only when switching failed.  Caller frees. */
static char *modcache_go(xb_goenv *g, const char *release, const char *host)
{
	static const char *const args[] = { "env", "GOMODCACHE", NULL };
	xb_buf out = XB_BUF_INIT, errb = XB_BUF_INIT;
	xb_strv saved = XB_STRV_INIT;
	char *go = NULL;

	if (xb_strv_pushv(&saved, xb_strv_argv(&g->envp)) ||
	    xb_strv_setenv(&g->envp, "GOTOOLCHAIN", "local")) {
		xb_strv_release(&saved);
		return NULL;
	}
	xb_buf_init(&out, 1u << 16);
	xb_buf_init(&errb, 1u << 16);
	if (!xb_goenv_run_go(g, args, &out, &errb, NULL) && out.len) {
		out.data[strcspn(out.data, "\n")] = '\0';
		go = xb_gover_cached_go(out.data, release, host);
	}
	xb_strv_release(&g->envp);
	g->envp = saved;
	xb_buf_release(&out);
	xb_buf_release(&errb);
	return go;
}

/* go would not switch to the release c chose, saying so in said: run
 * that release's own go from the module cache when only the checksum
 * database stood in the way, else say why and how to fetch it. */
static xb_code switch_failed(xb_goenv *g, const xb_gochoice *c,
			     const char *host, const char *said, xb_err *err)
{
	const char *want = c->version, *proxy;
	bool sumdb_off = strstr(said, "GOSUMDB=off") != NULL, off;
	char *cached = modcache_go(g, want, host);

	if (cached && sumdb_off) {
		/* go switches releases only through the checksum database,
		 * even to one its module cache has (verified when it was
		 * fetched) */
		free(g->go);
		g->go = cached;
		g->from_modcache = true;
		free(g->toolchain);
		if (!(g->toolchain = strdup("local")) ||
		    xb_strv_setenv(&g->envp, "GOTOOLCHAIN", "local"))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		forget_answers(g);
		return query(g, err);
	}
	if (cached) {
		free(cached);
		return xb_fail(err, XB_ERR_CHILD, "cannot use Go %s (%s), which is "
			       "in the module cache: %s", want, chosen_by(c), said);
	}
	if (sumdb_off)
		return xb_fail(err, XB_ERR_UNSUPPORTED, "cannot get Go %s (%s): %s; "
			       "go fetches a release only through the checksum "
			       "database: fetch it once with GOSUMDB unset, where "
			       "the module proxy is reachable: GOTOOLCHAIN=%s go "
			       "version", want, chosen_by(c), said, want);
	proxy = xb_strv_getenv(&g->envp, "GOPROXY");
	off = proxy && !strcmp(proxy, "off");
	return xb_fail(err, off ? XB_ERR_OFFLINE : XB_ERR_NET, "cannot get Go %s "
		       "(%s): it is not in the module cache, and %s (%s); fetch it "
		       "once where the module proxy is reachable: GOTOOLCHAIN=%s go "
		       "version", want, chosen_by(c), off ? "GOPROXY=off forbids "
		       "downloading it" : "go could not download it", said, want);
}

xb_code xb_goenv_use(xb_goenv *g, const xb_gochoice *c, xb_err *err)
{
	const char *want = c->version;
	char host[64];
	xb_err lerr = XB_ERR_INIT;
	xb_code rc;

	if (!g->version || !want)
		return xb_fail(err, XB_ERR_USAGE, "no Go release to use");
	xb_gochoice_release(&g->chosen);
	if (!(g->chosen.version = strdup(want)) ||
	    (c->origin && !(g->chosen.origin = strdup(c->origin))) ||
	    (c->why && !(g->chosen.why = strdup(c->why))))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	g->chosen.source = c->source;
	if (!g->local_version && !(g->local_version = strdup(g->version)))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	free(g->toolchain);
	g->toolchain = NULL;
	if (!strcmp(want, g->local_version) ||
	    xb_gover_cmp(want, g->local_version) == 0) {
		if (xb_strv_setenv(&g->envp, "GOTOOLCHAIN", "local") ||
		    !(g->toolchain = strdup("local")))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		return XB_OK;
	}
	/* only the go command of Go 1.21 and later switches releases */
	if (g->minor < 21 && g->major == 1)
		return xb_fail(err, XB_ERR_UNSUPPORTED, "cannot build with Go %s "
			       "(%s): the go command %s is %s, which cannot switch "
			       "to another release (GOTOOLCHAIN needs Go 1.21); "
			       "use --go with a Go 1.21 or later, or with %s itself",
			       want, chosen_by(c), g->go, g->local_version, want);
	if (xb_gover_cmp(want, "go1.21.0") < 0)
		return xb_fail(err, XB_ERR_UNSUPPORTED, "cannot build with Go %s "
			       "(%s): go fetches releases from Go 1.21.0 on; "
			       "install %s and use --go PATH", want, chosen_by(c),
			       want);
	snprintf(host, sizeof(host), "%s-%s", g->hostos ? g->hostos : "",
		 g->hostarch ? g->hostarch : "");
	forget_answers(g);
	if (xb_strv_setenv(&g->envp, "GOTOOLCHAIN", want) ||
	    !(g->toolchain = strdup(want)))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	rc = query(g, &lerr);
	if (rc == XB_ERR_CHILD) {
		/* go's own words, without "go env failed (exit 1): " */
		const char *said = strstr(lerr.msg, " failed (exit ");
		said = said && strstr(said, "): ") ? strstr(said, "): ") + 3 :
			lerr.msg;
		rc = switch_failed(g, c, host, said, err);
	} else if (rc) {
		rc = xb_fail(err, rc, "%s", xb_errmsg(&lerr));
	}
	if (rc)
		return rc;
	if (strcmp(g->version, want))
		return xb_fail(err, XB_ERR_CHILD, "%s with GOTOOLCHAIN=%s says it "
			       "is %s, not %s (%s)", g->go, g->toolchain, g->version,
			       want, chosen_by(c));
	return XB_OK;
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
	/* go list would otherwise ask git about the tree (VCS stamping) */
	if (xb_goenv_at_least(g, 1, 18))
		xb_buf_adds(&flags, "-buildvcs=false");
	if (tags && *tags)
		xb_buf_addf(&flags, "%s-tags=%s", flags.len ? " " : "", tags);
	if (xb_strv_pushv(&env, envp ? envp : xb_strv_argv(&g->envp)) ||
	    xb_strv_setenv(&env, "GOOS", goos) ||
	    xb_strv_setenv(&env, "GOARCH", goarch) ||
	    xb_strv_setenv(&env, "CGO_ENABLED", "1") ||
	    (cc && xb_strv_setenv(&env, "CC", cc)) || xb_buf_failed(&flags) ||
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
