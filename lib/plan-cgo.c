/* plan-cgo.c: the planner's steps for a cgo target: which C toolchain
 * builds it, what static glibc needs, which linker links it, the C flags
 * of its environment, and the C libraries of its link with where each
 * comes from (cgolink.c resolves them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plan.h"
#include "tcdata.h"

/* ---- the linker of a cgo target ----------------------------------------- */

/* Does cgo on goos/goarch need the external linker with this Go? */
static const char *cgo_needs_external(const xb_goenv *g, const char *os,
				      const char *arch)
{
	if (!strncmp(arch, "mips", 4))
		return "mips has no internal cgo linking";
	if (!strcmp(os, "android") || !strcmp(os, "dragonfly"))
		return "this OS has no internal cgo linking";
	if (!strcmp(os, "aix"))
		return "aix has no internal cgo linking";
	if (!xb_goenv_at_least(g, 1, 21)) {
		if (!strcmp(arch, "riscv64") || !strcmp(arch, "loong64") ||
		    !strcmp(arch, "ppc64"))
			return "this Go has no internal cgo linking for the arch";
		if (!strcmp(os, "windows") && !strcmp(arch, "arm64"))
			return "this Go has no internal cgo linking for windows/arm64";
	}
	return NULL;
}

/* 5 (cgo): what needs the external linker, or NULL; *why: the need that
 * comes from the Go port alone. */
static const char *external_need(struct pctx *c, const char **why)
{
	const xb_settings *s = c->s;
	const xb_pkginfo *info = c->info;

	*why = NULL;
	if (c->want_static)
		return c->want_spie ? "-static-pie with cgo needs it" :
			"-static with cgo needs it";
	if (c->lib)
		return "buildmode needs it";
	if (info->user_cgo.n)
		return "C code links through the C toolchain (internal "
		       "linking of cgo is best effort, golang/go#59735)";
	if ((*why = cgo_needs_external(c->g, c->t->os, c->t->arch)))
		return *why;
	if (!c->nss && !info->plugin && !info->rtcgo_direct &&
	    is(c->linkage, "dynamic"))
		return "a pure Go program links against libc only through "
		       "the C toolchain";
	if (s->extldflags.n)
		return "extldflags need it";
	return NULL;
}

/* 5 (cgo): internal or external linker, and what the link gives */
void xb_plan_link_cgo(struct pctx *c)
{
	const xb_settings *s = c->s;
	const xb_pkginfo *info = c->info;
	const char *why, *must = external_need(c, &why);

	if (is(s->linker, "internal")) {
		if (must && (c->want_static || c->lib || why))
			ERROR("linker internal, but %s needs the external "
			      "linker: %s", c->t->name, must);
		else {
			c->ext = false;
			REASON("internal linker: the profile says so%s",
			       info->user_cgo.n ? " (best effort with C "
			       "code, golang/go#59735)" : "");
		}
	} else if (must) {
		c->ext = true;
		REASON("external linker: %s", must);
	} else if (is(s->linker, "external")) {
		c->ext = true;
		REASON("external linker: the profile says so");
	} else {
		c->ext = false;
		REASON("internal linker: only the standard library's cgo "
		       "is linked, which Go links itself");
	}
	c->pl->linkmode = sdup(c->ext ? "external" : "internal");
	/* an external static link needs runtime/cgo in the graph */
	if (c->ext && c->want_static) {
		bool rt = info->user_cgo.n || info->plugin ||
			info->rtcgo_direct || (info->net_cgo && !c->netgo) ||
			(info->osuser_cgo && !c->osusergo);
		if (!rt && xb_goenv_at_least(c->g, 1, 21))
			REASON("runtime/cgo: go build adds it for an "
			       "external link (Go 1.21 and later)");
		else if (!rt)
			ERROR("a static external link needs runtime/cgo, "
			      "and %s has none%s: before Go 1.21 go build "
			      "of a package does not add it (golang/go#31544) "
			      "and the binary crashes at start; add import _ "
			      "\"runtime/cgo\" to the main package, use "
			      "libc: musl, or cgo: auto", c->name,
			      c->netgo || c->osusergo ? " once netgo,osusergo "
			      "replace libc NSS" : "");
	}
	c->final_linkage = c->want_spie ? "static-pie" : c->want_static ?
		"static" : "dynamic";
	if (!c->elf && !c->want_static)
		c->final_linkage = "dynamic";
}

/* ---- the C libraries of a cgo link (cgolink.c) ------------------------ */

enum { SYSROOT_LIBC = 1, SYSROOT_LIBS, SYSROOT_MISSING };

/* A sysroot with a C library (a target's root file system, an SDK) is the
 * compiler's --sysroot; one with only libraries is not, or the compiler
 * would lose its own libc. */
static int sysroot_kind(const char *sr)
{
	static const char *const libc[] = { "usr/include/stdio.h",
					    "include/stdio.h", NULL };
	struct stat st;

	if (!xb_is_dir(sr))
		return SYSROOT_MISSING;
	for (int i = 0; libc[i]; i++) {
		char *p = xb_path_join(sr, libc[i]);
		bool hit = p && stat(p, &st) == 0;
		free(p);
		if (hit)
			return SYSROOT_LIBC;
	}
	return SYSROOT_LIBS;
}

/* An extra_libs word as a linker flag: "ssl" is -lssl; flags and paths
 * stay as they are. */
static void extra_lib(xb_buf *b, const char *e)
{
	if (e[0] == '-' || strchr(e, '/'))
		xb_buf_adds(b, e);
	else
		xb_buf_addf(b, "-l%s", e);
}

/* Add d when it is a folder not listed yet, also under another name. */
static void push_dir(struct pctx *c, xb_strv *dirs, const char *d)
{
	if (xb_push_dir_once(dirs, d))
		c->rc = XB_ERR_NOMEM;
}

static void push_root_dirs(struct pctx *c, const char *root,
			   const char *triplet)
{
	xb_strv dirs = XB_STRV_INIT;

	if (xb_cgolink_lib_dirs(root, triplet, &dirs))
		c->rc = XB_ERR_NOMEM;
	for (size_t i = 0; i < dirs.n; i++)
		push_dir(c, &c->pl->lib_dirs, dirs.v[i]);
	xb_strv_release(&dirs);
}

/* Where a cgo link's libraries are, decided once for its steps. */
struct cgowhere {
	bool cross;          /* the target is not the host */
	const char *tsys;    /* the compiler's libc sysroot; NULL: unknown */
	const char *sysroot; /* the target's libraries: the profile's
			      * sysroot, else for a cross target tsys */
	const char *triplet; /* the compiler's */
	char *cross_libc;    /* Debian's /usr/<triplet> of a cross compiler
			      * (owned); NULL: none */
	char *musl_triplet;  /* triplet for a musl compiler that says -gnu
			      * (owned); NULL: none */
};

/* The host's C library, as its /bin/sh is linked ("glibc", "musl"); NULL
 * when that says nothing.  Read once. */
static const char *host_libc(void)
{
	static char libc[16];
	static bool read;
	xb_facts f;

	if (!read) {
		read = true;
		xb_facts_init(&f);
		if (xb_inspect("/bin/sh", &f, NULL) == XB_OK && f.libc &&
		    (!strcmp(f.libc, "glibc") || !strcmp(f.libc, "musl")))
			snprintf(libc, sizeof(libc), "%s", f.libc);
		xb_facts_release(&f);
	}
	return libc[0] ? libc : NULL;
}

static void cgowhere_init(struct pctx *c, struct cgowhere *w)
{
	const xb_goenv *g = c->g;
	const xb_plan *pl = c->pl;
	const char *hos = g->hostos, *harch = g->hostarch;
	char hostbuf[64];

	memset(w, 0, sizeof(*w));
	if (!hos || !harch || !*hos || !*harch) {
		char *slash;
		snprintf(hostbuf, sizeof(hostbuf), "%s", xb_host_target());
		slash = strchr(hostbuf, '/');
		if (slash)
			*slash++ = '\0';
		hos = hostbuf;
		harch = slash ? slash : "";
	}
	w->cross = strcmp(c->t->os, hos) || strcmp(c->t->arch, harch);
	w->triplet = pl->cc.triplet;
	/* musl on a glibc host (or the other way) is another target: its
	 * libraries and .pc files are not the host's.  Debian's musl-gcc
	 * says x86_64-linux-gnu; its libraries are in x86_64-linux-musl */
	if (pl->cc.libc && host_libc() && strcmp(pl->cc.libc, host_libc()) &&
	    (!strcmp(pl->cc.libc, "glibc") || !strcmp(pl->cc.libc, "musl")))
		w->cross = true;
	if (pl->cc.libc && !strcmp(pl->cc.libc, "musl") && w->triplet) {
		const char *gnu = strstr(w->triplet, "-gnu");
		xb_buf b = XB_BUF_INIT;
		if (gnu && !strchr(gnu + 1, '-')) {
			xb_buf_addf(&b, "%.*s-musl%s", (int)(gnu - w->triplet),
				    w->triplet, gnu + 4);
			w->triplet = w->musl_triplet = xb_buf_take(&b);
		}
		xb_buf_release(&b);
	}
	w->tsys = pl->cc.libc_sysroot && *pl->cc.libc_sysroot ?
		pl->cc.libc_sysroot : NULL;
	/* Debian's cross compilers say "/": their libc is in /usr/<triplet> */
	if (w->cross && (!w->tsys || !strcmp(w->tsys, "/")) && w->triplet &&
	    *w->triplet) {
		xb_buf b = XB_BUF_INIT;
		xb_buf_addf(&b, "/usr/%s", w->triplet);
		if (!xb_buf_failed(&b) && xb_is_dir(xb_buf_str(&b)))
			w->cross_libc = xb_buf_take(&b);
		xb_buf_release(&b);
	}
	w->sysroot = c->s->sysroot ? c->s->sysroot : w->cross ? w->tsys : NULL;
}

static void cgowhere_release(struct cgowhere *w)
{
	free(w->cross_libc);
	free(w->musl_triplet);
	memset(w, 0, sizeof(*w));
}

/* The resolver's options; pcpath and extra hold what they point to. */
static void cgolink_opts(struct pctx *c, const struct cgowhere *w,
			 xb_cgolink_linkage linkage, xb_cgolink_opts *co,
			 xb_strv *pcpath, xb_strv *extra)
{
	const xb_settings *s = c->s;
	const char *tsys = w->tsys;

	co->linkage = linkage;
	co->cross = w->cross;
	co->sysroot = w->sysroot;
	co->toolchain_sysroot = tsys && strcmp(tsys, "/") &&
		(!w->sysroot || strcmp(tsys, w->sysroot)) ? tsys : w->cross_libc;
	co->triplet = w->triplet;
	if (s->pkg_config_path) {
		const char *p = s->pkg_config_path;
		while (*p) {
			size_t n = strcspn(p, ":");
			if (n) {
				char *d = strndup(p, n);
				if (!d || xb_strv_push(pcpath, d))
					c->rc = XB_ERR_NOMEM;
				free(d);
			}
			p += n + (p[n] == ':');
		}
		co->pkg_config_path = (const char *const *)pcpath->v;
	}
	/* a dynamic link has them from CGO_LDFLAGS, in an order that does
	 * not matter there */
	if (linkage != XB_CGOLINK_DYNAMIC && s->extra_libs.n) {
		xb_buf b = XB_BUF_INIT;
		for (size_t i = 0; i < s->extra_libs.n; i++) {
			xb_buf_reset(&b);
			extra_lib(&b, s->extra_libs.v[i]);
			if (xb_strv_push_buf(extra, &b))
				c->rc = XB_ERR_NOMEM;
		}
		xb_buf_release(&b);
		co->extra_libs = (const char *const *)extra->v;
	}
	co->static_libstdcxx = s->static_libstdcxx == 1;
}

/* go build runs pkg-config itself for `#cgo pkg-config:` only: then the
 * resolver's variables go into the environment, over the profile's */
static void cgolink_pkgconfig_env(struct pctx *c, const xb_cgolink *q,
				  const xb_cgolink_out *r)
{
	const xb_settings *s = c->s;
	bool uses_pc = false;

	for (size_t i = 0; i < q->n; i++)
		uses_pc |= q->pkgs[i].pkg_config.n > 0;
	for (size_t i = 0; uses_pc && i < r->env.n; i++) {
		const char *kv = r->env.v[i], *eq = strchr(kv, '=');
		char *k = eq ? strndup(kv, (size_t)(eq - kv)) : NULL;
		const char *mine;
		if (!k) {
			c->rc = XB_ERR_NOMEM;
			continue;
		}
		for (size_t j = 0; j < s->env.n; j++) {
			size_t n = strlen(k);
			mine = s->env.v[j];
			if (!strncmp(mine, k, n) && mine[n] == '=' &&
			    strcmp(mine + n + 1, eq + 1))
				WARN("env %s is replaced by %s=%s: the link must see "
				     "the target's .pc files only (add folders with "
				     "pkg_config_path)", mine, k, eq + 1);
		}
		setenv_(c, k, eq + 1);
		free(k);
	}
}

/* go list's view of the cgo link: *q stays as it is for a program without
 * import "C"; NULL when go list failed (said in pl->errors) */
static xb_code cgolink_query(struct pctx *c, const xb_strv *envp,
			     const xb_cgolink **q, xb_err *err)
{
	const char *qerror = NULL;
	xb_buf tags = XB_BUF_INIT;
	xb_code rc;

	if (!c->info->user_cgo.n)
		return XB_OK;
	join(&tags, &c->pl->tags, ",");
	if ((rc = xb_buf_check(&tags, err, "the build tags"))) {
		xb_buf_release(&tags);
		return rc;
	}
	rc = xb_goenv_cgolink(c->g, c->pkg, c->t->os, c->t->arch,
			      xb_buf_str(&tags), c->pl->cc.cc,
			      xb_strv_argv(envp), q, &qerror, err);
	xb_buf_release(&tags);
	if (!rc && !*q)
		ERROR("go list -deps -json %s: %s", c->pkg, qerror ? qerror :
		      "failed");
	return rc;
}

/* The external link's libraries into pl->extldflags, with a reason for
 * each; the profile's extldflags last */
static xb_code cgolink_resolve(struct pctx *c, const struct cgowhere *w,
			       xb_cgolink_linkage linkage, xb_err *err)
{
	xb_plan *pl = c->pl;
	const xb_settings *s = c->s;
	xb_cgolink empty;
	const xb_cgolink *q = &empty;
	xb_cgolink_opts co = XB_CGOLINK_OPTS_INIT;
	xb_cgolink_out r;
	xb_strv envp = XB_STRV_INIT, pcpath = XB_STRV_INIT, extra = XB_STRV_INIT;
	xb_err lerr = XB_ERR_INIT;
	xb_code rc;

	xb_cgolink_init(&empty);
	xb_cgolink_out_init(&r);
	if ((rc = xb_plan_envp(pl, &envp))) {
		xb_fail(err, rc, "out of memory");
		goto out;
	}
	if ((rc = cgolink_query(c, &envp, &q, err)) || !q)
		goto out;
	cgolink_opts(c, w, linkage, &co, &pcpath, &extra);
	co.envp = xb_strv_argv(&envp);
	rc = xb_cgolink_resolve(q, &co, &r, &lerr);
	if (rc == XB_ERR_NOMEM) {
		xb_fail(err, rc, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r.reasons.n; i++)
		REASON("%s", r.reasons.v[i]);
	for (size_t i = 0; i < r.errors.n; i++)
		ERROR("%s", r.errors.v[i]);
	if (rc && !r.errors.n)
		ERROR("%s", xb_errmsg(&lerr));
	rc = XB_OK;
	if (s->static_libstdcxx == 1 && !q->cxx)
		REASON("static_libstdcxx: no package has C++ files, so there is "
		       "no C++ runtime to link");
	cgolink_pkgconfig_env(c, q, &r);
	if (xb_strv_pushv(&pl->extldflags, xb_strv_argv(&r.extldflags)) ||
	    xb_strv_pushv(&pl->extldflags, xb_strv_argv(&s->extldflags)))
		c->rc = XB_ERR_NOMEM;
	if (s->extldflags.n) {
		xb_buf b = XB_BUF_INIT;
		join(&b, &s->extldflags, " ");
		REASON("%s: the profile's extldflags, last", xb_buf_str(&b));
		xb_buf_release(&b);
	}
out:
	xb_cgolink_out_release(&r);
	xb_strv_release(&envp);
	xb_strv_release(&pcpath);
	xb_strv_release(&extra);
	return rc;
}

/* where a failed link's missing symbols may be: the link's -L folders,
 * the sysroot's, the compiler's; the host's only for it */
static void cgolink_dirs(struct pctx *c, const struct cgowhere *w)
{
	xb_plan *pl = c->pl;
	const char *tsys = w->tsys, *sysroot = w->sysroot;

	for (size_t i = 0; i < pl->extldflags.n; i++)
		if (!strncmp(pl->extldflags.v[i], "-L", 2) && pl->extldflags.v[i][2])
			push_dir(c, &pl->lib_dirs, pl->extldflags.v[i] + 2);
	if (sysroot && strcmp(sysroot, "/"))
		push_root_dirs(c, sysroot, w->triplet);
	if (tsys && strcmp(tsys, "/") && (!sysroot || strcmp(tsys, sysroot)))
		push_root_dirs(c, tsys, w->triplet);
	else if (w->cross_libc)
		push_root_dirs(c, w->cross_libc, w->triplet);
	if (!w->cross)
		push_root_dirs(c, "/", w->triplet);
	else if (w->triplet && *w->triplet && strlen(w->triplet) < 256) {
		/* the target's multiarch folders of the host (Debian) */
		char d[300], ma[256];
		xb_cgolink_multiarch(w->triplet, ma, sizeof(ma));
		snprintf(d, sizeof(d), "/usr/lib/%s", ma);
		push_dir(c, &pl->lib_dirs, d);
		snprintf(d, sizeof(d), "/lib/%s", ma);
		push_dir(c, &pl->lib_dirs, d);
	}
}

/*
 * Resolve the C libraries of a cgo target's link (c->ext: the external
 * linker links it) into pl->extldflags, its pkg-config variables into
 * pl->env, where each library came from into pl->reasons, what cannot be
 * right into pl->errors; and record pl->lib_dirs, sysroot and triplet for
 * xb_linkdiag.  Fails only for memory and a go that cannot run.
 */
xb_code xb_plan_cgolink(struct pctx *c, xb_cgolink_linkage linkage,
			xb_err *err)
{
	struct cgowhere w;
	xb_code rc = XB_OK;

	cgowhere_init(c, &w);
	c->pl->sysroot = sdup(w.sysroot);
	c->pl->triplet = sdup(w.triplet);
	/* Go's own linker: no C libraries to resolve */
	if (c->ext)
		rc = cgolink_resolve(c, &w, linkage, err);
	if (!rc)
		cgolink_dirs(c, &w);
	cgowhere_release(&w);
	return rc;
}

/* ---- the C toolchain of a cgo target ------------------------------------- */

/* 5 (cgo): the C toolchain, from the lookup the caller gave, else from the
 * toolchain manager */
xb_code xb_plan_find_cc(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;
	const xb_target *t = c->t;
	xb_plan *pl = c->pl;
	const char *want_libc = is(s->libc, "glibc") || is(s->libc, "musl") ?
		s->libc : NULL;
	xb_err lerr = XB_ERR_INIT;
	xb_code rc;

	pl->cc.prefer = (const char *const *)s->toolchain.v;
	pl->cc.sysroot = s->sysroot;
	pl->cc.want_static = c->want_static;
	pl->cc.want_static_pie = c->want_spie;
	pl->cc.fetch = s->fetch == 1;
	/* expect.max_glibc is the oldest glibc the binary must run on: a
	 * dynamic glibc link is made against it (zig's -target
	 * ARCH-linux-gnu.2.17), never against a newer one */
	if (s->expect.max_glibc && !c->want_static && !is(want_libc, "musl") &&
	    !strcmp(t->os, "linux")) {
		pl->cc.glibc = s->expect.max_glibc;
		want_libc = "glibc";
	}
	if (c->o->cc_lookup) {
		rc = c->o->cc_lookup(c->o->cc_ctx, t->os, t->arch, t->variant,
				     want_libc, &pl->cc, &lerr);
	} else {
		xb_tc_opts tc = XB_TC_OPTS_INIT;
		tc.path = getenv_in(c->host, "PATH");
		rc = xb_cc_lookup_toolchain(&tc, t->os, t->arch, t->variant,
					    want_libc, &pl->cc, &lerr);
	}
	if (rc == XB_ERR_NOMEM)
		return xb_fail(err, rc, "out of memory");
	if (rc) {
		ERROR("%s", xb_errmsg(&lerr));
		c->done = true;
		return XB_OK;
	}
	pl->has_cc = true;
	REASON("C toolchain: %s (%s, %s)", pl->cc.cc, pl->cc.kind,
	       pl->cc.libc);
	if (pl->cc.glibc)
		REASON("glibc floor %s (expect.max_glibc): the C toolchain links "
		       "against glibc %s or older", pl->cc.glibc, pl->cc.glibc);
	if (c->want_spie && !pl->cc.static_pie) {
		ERROR("static-pie needs a C toolchain that links "
		      "-static-pie, and %s does not%s (use a real musl "
		      "cross toolchain or glibc's gcc, or linkage: static)",
		      pl->cc.cc, is(pl->cc.kind, "musl-gcc") ? ": Debian's "
		      "musl-gcc wrapper ignores -static-pie and links a "
		      "dynamic PIE" : "");
		c->done = true;
	}
	return XB_OK;
}

/* 5 (cgo): static glibc and NSS */
void xb_plan_nss(struct pctx *c)
{
	const xb_pkginfo *info = c->info;

	if (!c->want_static || !is(c->pl->cc.libc, "glibc") || !c->nss)
		return;
	if (is(c->s->nss_warnings, "warn")) {
		WARN("static glibc link: %s%s%s need%s the shared "
		     "glibc of the build machine at run time (ld "
		     "warns: Using 'getaddrinfo' in statically "
		     "linked applications requires at runtime the "
		     "shared libraries from the glibc version used "
		     "for linking)",
		     info->net_cgo ? "net's getaddrinfo" : "",
		     info->net_cgo && info->osuser_cgo ? " and " : "",
		     info->osuser_cgo ? "os/user's getpwuid_r" : "",
		     info->net_cgo && info->osuser_cgo ? "" : "s");
		REASON("libc NSS kept: nss_warnings: warn");
	} else {
		c->netgo = info->net_cgo;
		c->osusergo = info->osuser_cgo;
		REASON("tags %s: static glibc would need NSS at run "
		       "time (getaddrinfo)", c->netgo && c->osusergo ?
		       "netgo,osusergo" : c->netgo ? "netgo" : "osusergo");
	}
}

/* 7 (cgo): CC, CXX and the CGO_ flags; a sysroot with a C library is the
 * compiler's, one with only libraries adds its folders */
void xb_plan_env_cgo(struct pctx *c)
{
	const xb_settings *s = c->s;
	xb_plan *pl = c->pl;
	xb_buf flags = XB_BUF_INIT, ldf = XB_BUF_INIT;
	xb_strv libdirs = XB_STRV_INIT;
	int kind = s->sysroot ? sysroot_kind(s->sysroot) : 0;

	setenv_(c, "CC", pl->cc.cc);
	if (pl->cc.cxx)
		setenv_(c, "CXX", pl->cc.cxx);
	xb_buf_adds(&flags, "-O2 -g");
	if (pl->cc.cflags)
		xb_buf_addf(&flags, " %s", pl->cc.cflags);
	xb_buf_adds(&ldf, "-O2 -g");
	if (kind == SYSROOT_LIBS) {
		/* libraries only: the compiler keeps its own libc */
		char *inc = xb_path_join(s->sysroot, "usr/include");
		if (inc && xb_is_dir(inc))
			xb_buf_addf(&flags, " -I%s", inc);
		free(inc);
		if (xb_cgolink_lib_dirs(s->sysroot, pl->cc.triplet, &libdirs))
			c->rc = XB_ERR_NOMEM;
		for (size_t i = 0; i < libdirs.n; i++)
			xb_buf_addf(&ldf, " -L%s", libdirs.v[i]);
		REASON("sysroot %s has libraries but no C library "
		       "(usr/include/stdio.h): the compiler keeps its own "
		       "libc, the sysroot's headers and library folders "
		       "are added (-I, -L)", s->sysroot);
		xb_strv_release(&libdirs);
	} else if (s->sysroot) {
		xb_buf_addf(&flags, " --sysroot=%s", s->sysroot);
		xb_buf_addf(&ldf, " --sysroot=%s", s->sysroot);
		if (kind == SYSROOT_MISSING)
			WARN("sysroot %s does not exist here: the plan "
			     "cannot find its libraries", s->sysroot);
		else
			REASON("--sysroot=%s: the sysroot has a C library, "
			       "the compiler uses it", s->sysroot);
	}
	setenv_buf(c, "CGO_CFLAGS", &flags);
	setenv_buf(c, "CGO_CXXFLAGS", &flags);
	for (size_t i = 0; i < s->extra_libs.n; i++) {
		xb_buf_addc(&ldf, ' ');
		extra_lib(&ldf, s->extra_libs.v[i]);
	}
	setenv_buf(c, "CGO_LDFLAGS", &ldf);
	/* with the external linker the resolver sets pkg-config's
	 * variables (plan_cgolink) */
	if (s->pkg_config_path && !c->ext)
		setenv_(c, "PKG_CONFIG_PATH", s->pkg_config_path);
	if (s->sysroot && !c->ext)
		setenv_(c, "PKG_CONFIG_SYSROOT_DIR", s->sysroot);
	xb_buf_release(&flags);
	xb_buf_release(&ldf);
}
