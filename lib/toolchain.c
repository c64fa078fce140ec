/* toolchain.c: find a C compiler for a Go target and prove it works.
 *
 * Candidates come from toolchains/NAME.yaml: GNU triplets looked up on PATH
 * (with or without a vendor field, -gcc, -gcc-N, -cc, -clang), whole
 * wrapper names (musl-gcc), the usual install prefixes, gcc archives in
 * the cache, clang --target, and zig cc through generated wrappers
 * (zig.c).  Each is proved by compiling and linking a test program and
 * reading what came out (tcprobe.c). */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcprobe.h"
#include "tcdata.h"
#include "zig.h"

/* ---- results ------------------------------------------------------------ */

void xb_tc_result_init(xb_tc_result *r)
{
	memset(r, 0, sizeof(*r));
}

void xb_tc_result_release(xb_tc_result *r)
{
	free(r->cc);
	free(r->cxx);
	free(r->sysroot);
	free(r->kind);
	free(r->source);
	free(r->libc);
	free(r->libc_version);
	free(r->interp);
	free(r->machine);
	free(r->id);
	for (size_t i = 0; i < r->nrejected; i++) {
		free(r->rejected[i].cc);
		free(r->rejected[i].why);
	}
	free(r->rejected);
	xb_tc_result_init(r);
}

static void reject(xb_tc_result *r, const char *cc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reject(xb_tc_result *r, const char *cc, const char *fmt, ...)
{
	xb_tc_reject *g = realloc(r->rejected, (r->nrejected + 1) * sizeof(*g));
	xb_buf b = XB_BUF_INIT;
	va_list ap;

	if (!g)
		return;
	r->rejected = g;
	va_start(ap, fmt);
	xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	g[r->nrejected].cc = strdup(cc);
	g[r->nrejected].why = xb_buf_take(&b);
	r->nrejected++;
}

/* ---- the search ------------------------------------------------------------ */

struct search {
	const xb_tc_target *t;
	const char *want_libc; /* NULL: any */
	bool need_static;
	const xb_tc_opts *o;
	const xb_tc_data *d;
	char *cache;
	xb_tc_result *r;
	xb_strv seen;          /* cc strings tried, to try each once */
	bool found;
	/* the zig of the search, looked for (and fetched) once for every C
	 * library, so that a failed download is tried and reported once */
	bool zig_tried;
	char *zig;
	const char *zig_id;    /* its archive id when it is the cache's */
};

static void cand_release(struct cand *c)
{
	xb_strv_release(&c->cc);
	free(c->cxx);
}

/* Try one candidate; true when it was chosen. */
static bool try(struct search *s, struct cand *c)
{
	struct probe pr;
	char *cc = joined(&c->cc), *real;
	bool ok = false;
	xb_buf key = XB_BUF_INIT;

	/* a command line with a word missing is no candidate */
	if (!cc || !c->cc.n) {
		reject(s->r, c->kind, "%s", xb_strerror(xb_strv_failed(&c->cc) ?
			xb_strv_failed(&c->cc) : XB_ERR_NOMEM));
		free(cc);
		return false;
	}
	real = realpath(c->cc.v[0], NULL);
	/* the same compiler under two names (gcc and gcc-12) is tried once */
	xb_buf_adds(&key, real ? real : c->cc.v[0]);
	for (size_t i = 1; i < c->cc.n; i++)
		xb_buf_addf(&key, " %s", c->cc.v[i]);
	free(real);
	if (xb_strv_contains(&s->seen, xb_buf_str(&key))) {
		xb_buf_release(&key);
		free(cc);
		return false;
	}
	xb_strv_push(&s->seen, xb_buf_str(&key));
	xb_buf_release(&key);
	xb_tc_prove(c, s->t, s->cache, s->o->no_probe_cache, &pr);
	if (!pr.ok)
		reject(s->r, cc, "%s", pr.why);
	else if (s->want_libc && strcmp(pr.libc, s->want_libc))
		reject(s->r, cc, "links against %s, not %s", pr.libc, s->want_libc);
	else if (s->o->glibc && !strcmp(pr.libc, "glibc") && pr.libc_version[0] &&
		 xb_version_cmp(pr.libc_version, s->o->glibc) > 0)
		reject(s->r, cc, "its glibc %s is newer than the floor %s (binaries "
		       "would not run on older systems)", pr.libc_version,
		       s->o->glibc);
	else if (s->need_static && !pr.can_static)
		reject(s->r, cc, "cannot link statically (no static %s libc?)",
		       pr.libc);
	else
		ok = true;
	if (ok) {
		xb_tc_result *r = s->r;
		r->cc = cc;
		cc = NULL;
		r->cxx = c->cxx ? strdup(c->cxx) : NULL;
		r->kind = strdup(c->kind);
		r->source = strdup(c->source);
		r->libc = strdup(pr.libc);
		r->libc_version = pr.libc_version[0] ? strdup(pr.libc_version) : NULL;
		r->interp = pr.interp[0] ? strdup(pr.interp) : NULL;
		r->machine = pr.machine[0] ? strdup(pr.machine) : NULL;
		r->sysroot = pr.sysroot[0] ? strdup(pr.sysroot) : NULL;
		r->can_static = pr.can_static;
		r->id = c->id ? strdup(c->id) : NULL;
		snprintf(r->hash, sizeof(r->hash), "%s", pr.hash);
		s->found = true;
	}
	free(cc);
	return ok;
}

/* A compiler at path: CXX is its sibling (gcc -> g++, cc -> c++, clang ->
 * clang++) when that exists. */
static void try_path(struct search *s, const char *path, const char *kind,
		     const char *source, const char *libc, const char *id)
{
	struct cand c = { XB_STRV_INIT, NULL, kind, source, libc, id, NULL };
	const char *base = strrchr(path, '/');
	xb_buf x = XB_BUF_INIT;
	const char *from[] = { "-gcc", "-cc", "-clang" };
	const char *to[] = { "-g++", "-c++", "-clang++" };

	base = base ? base + 1 : path;
	for (int i = 0; i < 3; i++) {
		const char *m = strstr(base, from[i]);
		size_t n = strlen(from[i]);
		if (!m || (m[n] && m[n] != '-'))
			continue;
		xb_buf_add(&x, path, (size_t)(m - path));
		xb_buf_addf(&x, "%s%s", to[i], m + n);
		if (!xb_buf_failed(&x) && access(xb_buf_str(&x), X_OK) == 0)
			c.cxx = xb_buf_take(&x);
		break;
	}
	xb_buf_release(&x);
	xb_strv_push(&c.cc, path);
	try(s, &c);
	cand_release(&c);
}

/* Triplet spellings: as given, and with the vendor field added
 * (aarch64-unknown-linux-gnu) or dropped. */
static void triplet_aliases(const char *t, xb_strv *out)
{
	const char *dash = strchr(t, '-');
	const char *dash2 = dash ? strchr(dash + 1, '-') : NULL;
	static const char *const vendors[] = { "unknown", "pc", NULL };

	xb_strv_push(out, t);
	if (!dash)
		return;
	/* arch-os-abi: add a vendor */
	if (dash2 && !strchr(dash2 + 1, '-')) {
		for (const char *const *v = vendors; *v; v++)
			xb_strv_pushf(out, "%.*s-%s%s", (int)(dash - t), t, *v, dash);
	} else if (dash2) {
		/* arch-vendor-os-abi: also without the vendor */
		xb_strv_pushf(out, "%.*s%s", (int)(dash - t), t, dash2);
	}
}

static void names_for(const char *triplet, xb_strv *out)
{
	xb_strv al = XB_STRV_INIT;

	triplet_aliases(triplet, &al);
	for (size_t i = 0; i < al.n; i++) {
		xb_strv_pushf(out, "%s-gcc", al.v[i]);
		for (int n = 16; n >= 8; n--)
			xb_strv_pushf(out, "%s-gcc-%d", al.v[i], n);
		xb_strv_pushf(out, "%s-cc", al.v[i]);
		xb_strv_pushf(out, "%s-clang", al.v[i]);
	}
	xb_strv_release(&al);
}

static const char *kind_of(const char *name)
{
	if (strstr(name, "clang"))
		return "clang";
	if (strstr(name, "musl-gcc"))
		return "musl-gcc";
	if (strstr(name, "gcc"))
		return "gcc";
	return "cc";
}

static void step_path(struct search *s, const xb_tc_libc *l)
{
	xb_strv names = XB_STRV_INIT;

	for (size_t i = 0; i < l->triplets.n; i++)
		names_for(l->triplets.v[i], &names);
	for (size_t i = 0; i < l->wrappers.n; i++)
		xb_strv_push(&names, l->wrappers.v[i]);
	for (size_t i = 0; i < names.n && !s->found; i++) {
		char *p = xb_which(names.v[i], s->o->path);
		if (p)
			try_path(s, p, kind_of(names.v[i]), "path", l->libc, NULL);
		free(p);
	}
	xb_strv_release(&names);
	if (!s->found && l->clang) {
		char *clang = xb_which("clang", s->o->path);
		if (clang) {
			struct cand c = { XB_STRV_INIT, NULL, "clang", "path", l->libc,
					  NULL, NULL };
			char *cxx = xb_which("clang++", s->o->path);
			xb_strv_push(&c.cc, clang);
			xb_strv_pushf(&c.cc, "--target=%s", l->clang);
			if (cxx) {
				xb_buf b = XB_BUF_INIT;
				xb_buf_addf(&b, "%s --target=%s", cxx, l->clang);
				c.cxx = xb_buf_take(&b);
			}
			try(s, &c);
			cand_release(&c);
			free(cxx);
			free(clang);
		}
	}
}

static void step_prefixes(struct search *s, const xb_tc_libc *l)
{
	static const char *const dflt[] = { "~/x-tools/*/bin", "/opt/*/bin",
					    "/usr/local/*/bin", NULL };
	const char *const *pats = s->o->prefixes ? s->o->prefixes : dflt;
	const char *home = getenv("HOME");
	xb_strv names = XB_STRV_INIT;

	for (size_t i = 0; i < l->triplets.n; i++) {
		xb_strv al = XB_STRV_INIT;
		triplet_aliases(l->triplets.v[i], &al);
		for (size_t k = 0; k < al.n; k++)
			xb_strv_pushf(&names, "%s-gcc", al.v[k]);
		xb_strv_release(&al);
	}
	for (; *pats && !s->found; pats++) {
		xb_buf pat = XB_BUF_INIT;
		glob_t g;

		if (!strncmp(*pats, "~/", 2)) {
			if (!home)
				continue;
			xb_buf_addf(&pat, "%s%s", home, *pats + 1);
		} else
			xb_buf_adds(&pat, *pats);
		if (glob(xb_buf_str(&pat), GLOB_ONLYDIR, NULL, &g) == 0) {
			for (size_t i = 0; i < g.gl_pathc && !s->found; i++)
				for (size_t k = 0; k < names.n && !s->found; k++) {
					xb_buf f = XB_BUF_INIT;
					xb_buf_addf(&f, "%s/%s", g.gl_pathv[i], names.v[k]);
					if (!xb_buf_failed(&f) && access(xb_buf_str(&f), X_OK) == 0)
						try_path(s, xb_buf_str(&f), "gcc", "prefix",
							 l->libc, NULL);
					xb_buf_release(&f);
				}
			globfree(&g);
		}
		xb_buf_release(&pat);
	}
	xb_strv_release(&names);
}

static void step_cache(struct search *s, const xb_tc_libc *l)
{
	char target[64];

	snprintf(target, sizeof(target), "%s/%s", s->t->goos, s->t->goarch);
	for (size_t i = 0; i < s->d->narchives && !s->found; i++) {
		const xb_tc_archive *a = &s->d->archives[i];
		char *dir;

		if (strcmp(a->kind, "gcc") || !a->target || strcmp(a->target, target) ||
		    !a->libc || strcmp(a->libc, l->libc) ||
		    strcmp(a->host, xb_host_target()))
			continue;
		dir = xb_fetch_installed(a, s->cache);
		if (dir) {
			xb_buf p = XB_BUF_INIT;
			if (!xb_buf_addf(&p, "%s/bin/%s-gcc", dir, a->triplet))
				try_path(s, xb_buf_str(&p), "gcc", "cache",
					 l->libc, a->id);
			xb_buf_release(&p);
			free(dir);
		}
	}
}

/* Install archive a through o's fetcher; a program without one (the
 * front program) says so. */
static xb_code tc_fetch(const xb_tc_opts *o, const xb_tc_archive *a,
			const xb_fetch_opts *fo, char **dir, xb_err *err)
{
	if (!o->fetcher)
		return xb_fail(err, XB_ERR_NOTFOUND, "toolchain '%s' is not in the "
			       "cache and this program downloads nothing (the "
			       "complete program, xbuild-full, does)", a->id);
	return o->fetcher(a, fo, dir, NULL, err);
}

/* The zig to use: o->zig, PATH, then a zig archive in the cache (fetched
 * when allowed).  *id is set for a cached one.  Caller frees. */
static char *find_zig(struct search *s, const char **id, xb_err *ferr)
{
	char *z;

	*id = NULL;
	if (s->o->zig)
		return xb_which(s->o->zig, s->o->path);
	if ((z = xb_which("zig", s->o->path)))
		return z;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->d->narchives; i++) {
			const xb_tc_archive *a = &s->d->archives[i];
			char *dir = NULL;
			xb_buf p = XB_BUF_INIT;

			if (strcmp(a->kind, "zig") || strcmp(a->host, xb_host_target()))
				continue;
			if (pass == 0)
				dir = xb_fetch_installed(a, s->cache);
			else if (s->o->fetch) {
				xb_fetch_opts fo = s->o->fetch_opts;
				fo.cache = s->cache;
				if (tc_fetch(s->o, a, &fo, &dir, ferr))
					dir = NULL;
			}
			if (!dir)
				continue;
			xb_buf_addf(&p, "%s/%s", dir, a->bin);
			free(dir);
			*id = a->id;
			if (!(z = xb_buf_take(&p)))
				xb_fail(ferr, XB_ERR_NOMEM, "out of memory");
			return z;
		}
	}
	return NULL;
}

static void step_zig(struct search *s, const xb_tc_libc *l)
{
	struct cand c = { XB_STRV_INIT, NULL, "zig", "zig", l->libc, NULL, NULL };
	xb_err e = XB_ERR_INIT;
	char *zig, *cc = NULL, *cxx = NULL;
	xb_buf target = XB_BUF_INIT;
	const char *id;

	if (!l->zig || !s->cache)
		return;
	if (!s->zig_tried) {
		s->zig_tried = true;
		s->zig = find_zig(s, &s->zig_id, &e);
		if (!s->zig && e.code)
			reject(s->r, "zig cc", "%s", xb_errmsg(&e));
	}
	if (!(zig = s->zig))
		return;
	id = s->zig_id;
	xb_buf_adds(&target, l->zig);
	if (s->o->glibc && !strcmp(l->libc, "glibc"))
		xb_buf_addf(&target, ".%s", s->o->glibc);
	if (xb_buf_check(&target, &e, "zig's target") ||
	    xb_zig_wrappers(zig, xb_buf_str(&target), s->cache, &cc, &cxx, &e)) {
		reject(s->r, "zig cc", "%s", xb_errmsg(&e));
	} else {
		c.id = id;
		c.source = id ? "cache" : "zig";
		c.keyexe = zig;
		xb_strv_push(&c.cc, cc);
		c.cxx = cxx;
		cxx = NULL;
		try(s, &c);
	}
	cand_release(&c);
	free(cc);
	free(cxx);
	xb_buf_release(&target);
}

/* An explicit compiler (o->cc, with its flags) is used or refused, never
 * replaced. */
static void try_explicit(struct search *s)
{
	const xb_tc_opts *o = s->o;
	struct cand c = { XB_STRV_INIT, NULL, "cc", "explicit", NULL, NULL,
			  NULL };
	char *copy = strdup(o->cc), *save = NULL, *w;
	char *first;

	for (w = copy ? strtok_r(copy, " \t", &save) : NULL; w;
	     w = strtok_r(NULL, " \t", &save))
		xb_strv_push(&c.cc, w);
	first = c.cc.n ? xb_which(c.cc.v[0], o->path) : NULL;
	if (!first) {
		reject(s->r, o->cc, "not found");
	} else {
		free(c.cc.v[0]);
		c.cc.v[0] = first;
		c.kind = kind_of(first);
		c.cxx = o->cxx ? strdup(o->cxx) : NULL;
		try(s, &c);
	}
	cand_release(&c);
	free(copy);
}

/* Nothing works: what to do, then every rejected candidate with why, as
 * many as fit whole (the JSON of 'toolchain find' has them all). */
static xb_code not_found(const struct search *s, const char *goos,
			 const char *goarch, xb_err *err)
{
	xb_buf b = XB_BUF_INIT;
	xb_strv lines = XB_STRV_INIT;
	xb_code rc;

	xb_buf_addf(&b, "no working C compiler for %s/%s%s%s%s (install a "
		    "cross gcc or zig, or run 'xbuild toolchain fetch "
		    "zig-0.11.0'%s)", goos, goarch,
		    s->want_libc ? " with " : "", s->want_libc ? s->want_libc : "",
		    s->need_static ? ", static" : "",
		    s->o->fetch ? "" : ", or let xbuild download it: --fetch or "
		    "fetch: true");
	for (size_t i = 0; i < s->r->nrejected; i++)
		xb_strv_pushf(&lines, "%s: %s", s->r->rejected[i].cc,
			      s->r->rejected[i].why);
	if (lines.n)
		xb_buf_adds(&b, "; rejected:");
	/* room for a caller's prefix, as for darwin's SDK */
	xb_strv_add_lines(&b, &lines, "  ", sizeof(err->msg) - 256);
	rc = xb_fail(err, XB_ERR_NOTFOUND, "%s", xb_buf_str(&b));
	xb_strv_release(&lines);
	xb_buf_release(&b);
	return rc;
}

xb_code xb_toolchain_find(const char *goos, const char *goarch,
			  const char *variant, const char *libc,
			  bool need_static, const xb_tc_opts *o,
			  xb_tc_result *r, xb_err *err)
{
	static const xb_tc_opts dflt = XB_TC_OPTS_INIT;
	static const char *const both[] = { "system", "zig", NULL };
	void (*steps[4])(struct search *, const xb_tc_libc *);
	size_t nsteps = 0;
	struct search s;
	xb_tc_data own;
	xb_code rc = XB_OK;
	bool any_libc = false;

	if (!o)
		o = &dflt;
	for (const char *const *p = o->prefer ? o->prefer : both; *p; p++) {
		if (!strcmp(*p, "system") && nsteps < 2) {
			steps[nsteps++] = step_path;
			steps[nsteps++] = step_prefixes;
			steps[nsteps++] = step_cache;
		} else if (!strcmp(*p, "zig") && nsteps < 4) {
			steps[nsteps++] = step_zig;
		}
	}
	memset(&s, 0, sizeof(s));
	xb_tc_data_init(&own);
	s.o = o;
	s.r = r;
	s.need_static = need_static;
	s.want_libc = libc && *libc && strcmp(libc, "auto") ? libc : NULL;
	s.d = o->data;
	if (!s.d) {
		if ((rc = xb_tc_data_load(&own, NULL, err)))
			return rc;
		s.d = &own;
	}
	s.t = xb_tc_target_find(s.d, goos, goarch, variant);
	if (!s.t) {
		rc = xb_fail(err, XB_ERR_UNSUPPORTED,
			     "no C toolchain data for %s/%s%s%s (see xbuild "
			     "toolchain list)", goos, goarch, variant ? " variant " : "",
			     variant ? variant : "");
		goto out;
	}
	s.cache = o->fetch_opts.cache ? strdup(o->fetch_opts.cache)
				      : xb_cache_dir();

	if (o->cc && *o->cc) {
		try_explicit(&s);
		if (!s.found)
			rc = xb_fail(err, XB_ERR_NOTFOUND,
				     "the compiler '%s' given for %s/%s does not work: %s",
				     o->cc, goos, goarch,
				     r->nrejected ? r->rejected[r->nrejected - 1].why
						  : "unknown");
		goto out;
	}
	for (size_t st = 0; st < nsteps && !s.found; st++)
		for (size_t i = 0; i < s.t->nlibcs && !s.found; i++) {
			const xb_tc_libc *l = &s.t->libcs[i];
			if (s.want_libc && strcmp(l->libc, s.want_libc))
				continue;
			any_libc = true;
			steps[st](&s, l);
		}
	if (!s.found && !any_libc)
		rc = xb_fail(err, XB_ERR_UNSUPPORTED,
			     "%s/%s has no %s C library in the toolchain data",
			     goos, goarch, s.want_libc);
	else if (!s.found)
		rc = not_found(&s, goos, goarch, err);
out:
	xb_strv_release(&s.seen);
	free(s.cache);
	free(s.zig);
	xb_tc_data_release(&own);
	return rc;
}

/* ---- the planner's lookup ------------------------------------------------ */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A pinned archive ("ID@SHA256") as the compiler to use: from the cache,
 * fetched into it (verified) when o->fetch, and handed to the search as
 * zig or as the explicit cc. */
static xb_code use_pin(const char *pin, xb_tc_opts *o, const xb_tc_data *d,
		       char **bin, xb_err *err)
{
	const xb_tc_archive *a;
	char *id = strdup(pin), *at, *dir = NULL;
	xb_code rc;

	if (!id)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	at = strchr(id, '@');
	if (at)
		*at++ = '\0';
	rc = xb_tc_pin(d, id, at, &a, err);
	if (!rc && strcmp(a->kind, "zig") && strcmp(a->kind, "gcc"))
		rc = xb_fail(err, XB_ERR_USAGE, "toolchain '%s' is a %s archive, "
			     "not a C toolchain", id, a->kind);
	if (!rc && o->fetch)
		rc = tc_fetch(o, a, &o->fetch_opts, &dir, err);
	else if (!rc && !(dir = xb_fetch_installed(a, o->fetch_opts.cache)))
		rc = xb_fail(err, XB_ERR_NOTFOUND,
			     "toolchain '%s' (sha256 %s) is not in the cache and "
			     "nothing is downloaded unless asked (run 'xbuild "
			     "toolchain fetch %s', or build with --fetch or "
			     "fetch: true)", a->id, a->sha256, a->id);
	if (!rc) {
		xb_buf b = XB_BUF_INIT;
		if (!strcmp(a->kind, "zig")) {
			xb_buf_addf(&b, "%s/%s", dir, a->bin ? a->bin : "zig");
		} else {
			xb_buf_addf(&b, "%s/%s", dir, a->bin ? a->bin : "bin/gcc");
		}
		*bin = xb_buf_take(&b);
		if (!*bin)
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		else if (!strcmp(a->kind, "zig"))
			o->zig = *bin;
		else
			o->cc = *bin;
	}
	free(dir);
	free(id);
	return rc;
}

xb_code xb_cc_lookup_toolchain(void *ctx, const char *goos,
			       const char *goarch, const char *variant,
			       const char *libc, xb_plan_cc *out, xb_err *err)
{
	static const char *const sys_only[] = { "system", NULL };
	static const char *const zig_only[] = { "zig", NULL };
	xb_tc_opts o = XB_TC_OPTS_INIT;
	xb_strv kinds = XB_STRV_INIT;
	xb_tc_data own;
	xb_tc_result r;
	char *pinned = NULL;
	xb_code rc = XB_OK;

	if (ctx)
		o = *(const xb_tc_opts *)ctx;
	/* a download only when the target's settings ask (fetch: true) */
	o.fetch = o.fetch || out->fetch;
	if (out->glibc)
		o.glibc = out->glibc;
	xb_tc_data_init(&own);
	xb_tc_result_init(&r);
	if (!o.data) {
		if ((rc = xb_tc_data_load(&own, NULL, err)))
			goto out;
		o.data = &own;
	}
	/* The profile's order; a pin is used alone (a release asked for
	 * exactly that toolchain). */
	for (const char *const *p = out->prefer; p && *p && !rc; p++) {
		if (strchr(*p, '@') || !strcmp(*p, "system") || !strcmp(*p, "zig")) {
			if (strchr(*p, '@')) {
				rc = use_pin(*p, &o, o.data, &pinned, err);
				xb_strv_release(&kinds);
				if (!rc && o.zig == pinned)
					xb_strv_push(&kinds, "zig");
				break;
			}
			xb_strv_push(&kinds, *p);
		}
	}
	if (!rc && xb_strv_failed(&kinds))
		rc = xb_fail(err, xb_strv_failed(&kinds), "out of memory");
	if (rc)
		goto out;
	o.prefer = kinds.n ? xb_strv_argv(&kinds) : NULL;
	if (kinds.n == 1)
		o.prefer = !strcmp(kinds.v[0], "zig") ? zig_only : sys_only;
	/* Apple targets need an SDK: without one no compiler can link, and
	 * fetching zig would not help. */
	if ((!strcmp(goos, "darwin") || !strcmp(goos, "ios")) && !out->sysroot) {
		o.prefer = sys_only;
		o.fetch = false;
	}
	rc = xb_toolchain_find(goos, goarch, variant, libc, out->want_static,
			       &o, &r, err);
	if (rc == XB_ERR_NOTFOUND &&
	    (!strcmp(goos, "darwin") || !strcmp(goos, "ios")) && !out->sysroot) {
		/* no compiler helps without an SDK: say what is missing, not
		 * what to install (zig may well be here) */
		char *zig = xb_which(o.zig ? o.zig : "zig", o.path);

		rc = xb_fail(err, rc, "%s with cgo needs a macOS SDK, and no "
			     "sysroot is set%s%s%s: point xbuild at an unpacked "
			     "MacOSX*.sdk folder with --set sysroot=DIR or the "
			     "profile's sysroot:, or put osxcross (%s-clang) on "
			     "PATH, or build with --cgo off", goos,
			     zig ? " (zig, found at " : "", zig ? zig : "",
			     zig ? ", brings none)" : "",
			     !strcmp(goarch, "arm64") ? "oa64" : "o64");
		free(zig);
	}
	if (rc)
		goto out;
	free(out->cc);
	free(out->cxx);
	free(out->kind);
	free(out->libc);
	free(out->triplet);
	free(out->libc_sysroot);
	free(out->hash);
	out->cc = dup_or_null(r.cc);
	out->cxx = dup_or_null(r.cxx);
	out->kind = dup_or_null(r.kind);
	out->libc = dup_or_null(r.libc);
	out->triplet = dup_or_null(r.machine);
	out->libc_sysroot = dup_or_null(r.sysroot);
	out->hash = r.hash[0] ? strdup(r.hash) : NULL;
	/* Debian's musl-gcc wrapper ignores -static-pie; glibc gcc and zig
	 * link it. */
	out->static_pie = r.can_static && r.kind &&
		(!strcmp(r.kind, "gcc") || !strcmp(r.kind, "zig")) &&
		r.libc && (!strcmp(r.libc, "glibc") || !strcmp(r.libc, "musl"));
	if (!out->cc || !out->kind || !out->libc)
		rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
out:
	xb_tc_result_release(&r);
	xb_tc_data_release(&own);
	xb_strv_release(&kinds);
	free(pinned);
	return rc;
}
