/* plan.c: the planner.  For one target it decides cgo, the linker, tags
 * and flags, the C toolchain, the exact environment and go build argv, and
 * the expectation the artifact must meet, with one reason per decision.
 * The traps it avoids are measured in go-build-rules.md: an external
 * static link without runtime/cgo crashes at start, -extldflags is ignored
 * by the internal linker, static glibc needs NSS at run time, Debian's
 * musl-gcc ignores -static-pie, CGO_ENABLED depends on the host unless it
 * is set. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xbuild.h"

extern char **environ;

/* Host variables a build may need; everything else is left out, so that
 * nothing is inherited by accident. */
static const char *const pass_vars[] = { "PATH", "HOME", "TMPDIR",
	"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GOCACHE", "GOPATH", "GOMODCACHE",
	"GOPROXY", "GONOPROXY", "GOPRIVATE", "GONOSUMDB", "GOSUMDB",
	"GOINSECURE", "GOENV", "ZIG_GLOBAL_CACHE_DIR", "ZIG_LOCAL_CACHE_DIR",
	NULL };

void xb_plan_cc_init(xb_plan_cc *cc)
{
	memset(cc, 0, sizeof(*cc));
	xb_strv_init(&cc->env);
}

void xb_plan_cc_release(xb_plan_cc *cc)
{
	free(cc->cc);
	free(cc->cxx);
	free(cc->kind);
	free(cc->libc);
	free(cc->triplet);
	free(cc->cflags);
	free(cc->libc_sysroot);
	free(cc->hash);
	xb_strv_release(&cc->env);
	xb_plan_cc_init(cc);
}

void xb_plan_init(xb_plan *pl)
{
	memset(pl, 0, sizeof(*pl));
	xb_strv_init(&pl->tags);
	xb_strv_init(&pl->env);
	xb_strv_init(&pl->pass);
	xb_strv_init(&pl->argv);
	xb_plan_cc_init(&pl->cc);
	xb_expect_init(&pl->expect);
	xb_strv_init(&pl->smoke);
	xb_strv_init(&pl->reasons);
	xb_strv_init(&pl->warnings);
	xb_strv_init(&pl->errors);
	xb_strv_init(&pl->extldflags);
	xb_strv_init(&pl->lib_dirs);
}

void xb_plan_release(xb_plan *pl)
{
	free(pl->target);
	free(pl->goos);
	free(pl->goarch);
	free(pl->variant);
	free(pl->pkg);
	free(pl->output);
	free(pl->linkmode);
	free(pl->linkage);
	free(pl->buildmode);
	xb_strv_release(&pl->tags);
	xb_strv_release(&pl->env);
	xb_strv_release(&pl->pass);
	xb_strv_release(&pl->argv);
	xb_plan_cc_release(&pl->cc);
	xb_expect_release(&pl->expect);
	xb_strv_release(&pl->smoke);
	xb_strv_release(&pl->reasons);
	xb_strv_release(&pl->warnings);
	xb_strv_release(&pl->errors);
	xb_strv_release(&pl->extldflags);
	xb_strv_release(&pl->lib_dirs);
	free(pl->sysroot);
	free(pl->triplet);
	xb_plan_init(pl);
}

static char *sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* ---- planning ---------------------------------------------------------- */

/* One target's planning: the inputs, and what the steps decide for the
 * steps after them. */
struct pctx {
	xb_plan *pl;
	const xb_settings *s;
	xb_goenv *g;
	xb_code rc; /* first allocation failure */
	bool done;  /* pl->errors says why the target cannot be built */
	const xb_profile *p;
	const xb_target *t;
	const char *pkg;
	const xb_plan_opts *o;
	const char *const *host;  /* the environment passed through */
	const char *linkage;      /* asked for: the profile's, or "auto" */
	bool elf;                 /* the target's binaries are ELF */
	/* the Go toolchain */
	const char *lvar, *level; /* GO$ARCH variable and its value */
	/* the package graph */
	const xb_pkginfo *info;   /* go list's answer, owned by g */
	const char *name;         /* {name} of the output */
	bool nss;                 /* net or os/user would use libc */
	/* buildmode and cgo */
	const char *bm;           /* the buildmode to pass; NULL: default */
	bool lib;                 /* c-archive, c-shared or plugin */
	bool want_static, want_spie;
	bool cgo;
	/* the linker */
	bool ext;                 /* the external linker links */
	bool netgo, osusergo;     /* tags that replace libc's NSS */
	const char *final_linkage; /* what the link gives */
	xb_buf ld;                /* -ldflags */
};

static void addf(struct pctx *c, xb_strv *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void addf(struct pctx *c, xb_strv *v, const char *fmt, ...)
{
	xb_buf b = XB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	if (xb_buf_vaddf(&b, fmt, ap) || xb_strv_push(v, xb_buf_str(&b)))
		c->rc = XB_ERR_NOMEM;
	va_end(ap);
	xb_buf_release(&b);
}

#define REASON(...) addf(c, &c->pl->reasons, __VA_ARGS__)
#define WARN(...) addf(c, &c->pl->warnings, __VA_ARGS__)
#define ERROR(...) addf(c, &c->pl->errors, __VA_ARGS__)

static void setenv_(struct pctx *c, const char *k, const char *v)
{
	if (xb_strv_setenv(&c->pl->env, k, v))
		c->rc = XB_ERR_NOMEM;
}

/* The GO$ARCH variable of an arch, its default, and the oldest Go that
 * knows it (minor version). */
static const char *level_var(const char *arch, const char **dflt, int *since)
{
	*since = 0;
	*dflt = NULL;
	if (!strcmp(arch, "arm")) {
		*dflt = "7";
		return "GOARM";
	}
	if (!strcmp(arch, "amd64")) {
		*dflt = "v1";
		*since = 18;
		return "GOAMD64";
	}
	if (!strcmp(arch, "386")) {
		*dflt = "sse2";
		return "GO386";
	}
	if (!strcmp(arch, "arm64")) {
		*dflt = "v8.0";
		*since = 23;
		return "GOARM64";
	}
	if (!strcmp(arch, "riscv64")) {
		*dflt = "rva20u64";
		*since = 23;
		return "GORISCV64";
	}
	if (!strcmp(arch, "mips") || !strcmp(arch, "mipsle")) {
		*dflt = "hardfloat";
		return "GOMIPS";
	}
	if (!strcmp(arch, "mips64") || !strcmp(arch, "mips64le")) {
		*dflt = "hardfloat";
		return "GOMIPS64";
	}
	if (!strcmp(arch, "ppc64") || !strcmp(arch, "ppc64le")) {
		*dflt = "power8";
		return "GOPPC64";
	}
	return NULL;
}

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

static const char *glibc_interp(const char *arch, const char *variant)
{
	static const struct { const char *a, *i; } m[] = {
		{ "amd64", "/lib64/ld-linux-x86-64.so.2" },
		{ "386", "/lib/ld-linux.so.2" },
		{ "arm64", "/lib/ld-linux-aarch64.so.1" },
		{ "riscv64", "/lib/ld-linux-riscv64-lp64d.so.1" },
		{ "ppc64le", "/lib64/ld64.so.2" }, { "ppc64", "/lib64/ld64.so.1" },
		{ "s390x", "/lib/ld64.so.1" }, { "mips64le", "/lib64/ld.so.1" },
		{ "mips64", "/lib64/ld.so.1" }, { "mipsle", "/lib/ld.so.1" },
		{ "mips", "/lib/ld.so.1" },
		{ "loong64", "/lib64/ld-linux-loongarch-lp64d.so.1" },
	};
	if (!strcmp(arch, "arm"))
		return variant && (variant[0] == '5' || variant[0] == '6') ?
			"/lib/ld-linux.so.3" : "/lib/ld-linux-armhf.so.3";
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i].a, arch))
			return m[i].i;
	return NULL;
}

static const char *musl_arch(const char *arch, const char *variant)
{
	static const struct { const char *a, *m; } m[] = {
		{ "amd64", "x86_64" }, { "386", "i386" }, { "arm64", "aarch64" },
		{ "riscv64", "riscv64" }, { "ppc64le", "powerpc64le" },
		{ "s390x", "s390x" }, { "mips64le", "mips64el" },
		{ "mipsle", "mipsel" },
	};
	if (!strcmp(arch, "arm"))
		return variant && (variant[0] == '5' || variant[0] == '6') ?
			"arm" : "armhf";
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i].a, arch))
			return m[i].m;
	return NULL;
}

static void join(xb_buf *b, const xb_strv *v, const char *sep)
{
	for (size_t i = 0; i < v->n; i++)
		xb_buf_addf(b, "%s%s", i ? sep : "", v->v[i]);
}

/* Words into one flag value as Go splits it (quoted.Split): words with
 * spaces or quotes are quoted. */
static void add_flag_word(xb_buf *b, const char *w)
{
	if (b->len)
		xb_buf_addc(b, ' ');
	if (!*w || strpbrk(w, " \t\n'\"")) {
		char q = strchr(w, '\'') ? '"' : '\'';
		xb_buf_addf(b, "%c%s%c", q, w, q);
	} else {
		xb_buf_adds(b, w);
	}
}

static void list_ports(xb_buf *b, const xb_goenv *g, const char *os)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nports; i++) {
		if (os && strcmp(g->ports[i].goos, os))
			continue;
		xb_buf_addf(b, "%s%s", n++ ? ", " : "",
			    os ? g->ports[i].goarch : g->ports[i].goos);
		/* oses: each once */
		if (!os)
			while (i + 1 < g->nports &&
			       !strcmp(g->ports[i + 1].goos, g->ports[i].goos))
				i++;
	}
}

static void expand_output(xb_buf *b, const char *tmpl, const char *name,
			  const xb_target *t, const char *version,
			  const char *ext)
{
	for (const char *p = tmpl; *p;) {
		const char *e;
		if (*p != '{' || !(e = strchr(p, '}'))) {
			xb_buf_addc(b, *p++);
			continue;
		}
		size_t n = (size_t)(e - p - 1);
		const char *k = p + 1;
#define K(s) (n == strlen(s) && !strncmp(k, s, n))
		if (K("name"))
			xb_buf_adds(b, name);
		else if (K("os"))
			xb_buf_adds(b, t->os);
		else if (K("arch"))
			xb_buf_adds(b, t->arch);
		else if (K("variant")) {
			for (const char *v = t->variant ? t->variant : ""; *v; v++)
				xb_buf_addc(b, *v == ',' ? '-' : *v);
		} else if (K("version"))
			xb_buf_adds(b, version);
		else if (K("ext"))
			xb_buf_adds(b, ext);
		else if (K("target")) {
			xb_buf_addf(b, "%s-%s", t->os, t->arch);
			if (t->variant) {
				xb_buf_addc(b, '-');
				for (const char *v = t->variant; *v; v++)
					xb_buf_addc(b, *v == ',' ? '-' : *v);
			}
		} else
			xb_buf_add(b, p, n + 2);
#undef K
		p = e + 1;
	}
}

static const char *getenv_in(const char *const *envp, const char *k)
{
	size_t n = strlen(k);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, k, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* Does the pinned version (profile `go:`) match this Go? */
static bool version_matches(const char *pin, const char *have)
{
	size_t n;

	if (!strncmp(pin, "go", 2))
		pin += 2;
	have = strstr(have, "go1") ? strstr(have, "go1") + 2 : have;
	n = strlen(pin);
	return !strncmp(pin, have, n) && (have[n] == '\0' || have[n] == '.' ||
					  !isdigit((unsigned char)have[n]));
}

/* The checks that need only the Go toolchain: into errs; 0 when fine. */
static int go_checks(const xb_settings *s, const xb_target *t,
		     const xb_goenv *g, xb_strv *errs)
{
	xb_buf b = XB_BUF_INIT, m = XB_BUF_INIT;
	const char *lvar, *ldflt;
	int since, bad = 0;

	if (s->go && !strchr(s->go, '/') && g->version &&
	    !version_matches(s->go, g->version)) {
		xb_buf_addf(&m, "the profile pins Go %s, but %s is %s (use --go "
			    "PATH, or go: with a path)", s->go, g->go ? g->go : "go",
			    g->version);
		xb_strv_push(errs, xb_buf_str(&m));
		xb_buf_reset(&m);
		bad = 1;
	}
	if (s->go_version && g->version && strcmp(s->go_version, g->version)) {
		xb_pos at = s->pos[XB_S_GO_VERSION];
		xb_buf_addf(&m, "this target asks for Go %s (go_version at %s",
			    s->go_version, at.file ? at.file : "<profile>");
		if (at.line)
			xb_buf_addf(&m, ":%u:%u", at.line, at.col);
		xb_buf_addf(&m, "), but the run uses %s%s%s%s: one run uses one "
			    "Go (set go_version once, under defaults: or with "
			    "--set)", g->version, g->chosen.why ? " (" : "",
			    g->chosen.why ? g->chosen.why : "",
			    g->chosen.why ? ")" : "");
		xb_strv_push(errs, xb_buf_str(&m));
		xb_buf_reset(&m);
		bad = 1;
	}
	if (g->nports && !xb_goenv_port(g, t->os, t->arch)) {
		list_ports(&b, g, t->os);
		if (b.len)
			xb_buf_addf(&m, "%s does not support %s/%s (it supports %s "
				    "on %s)", g->version ? g->version : "this Go",
				    t->os, t->arch, t->os, xb_buf_str(&b));
		else {
			list_ports(&b, g, NULL);
			xb_buf_addf(&m, "%s does not support GOOS=%s (it supports "
				    "%s)", g->version ? g->version : "this Go",
				    t->os, xb_buf_str(&b));
		}
		xb_strv_push(errs, xb_buf_str(&m));
		xb_buf_release(&b);
		xb_buf_release(&m);
		return 1;
	}
	lvar = level_var(t->arch, &ldflt, &since);
	if (t->variant && since && !xb_goenv_at_least(g, 1, since)) {
		xb_buf_addf(&m, "%s=%s needs Go 1.%d or later, but this is %s "
			    "(drop the variant: %s/%s)", lvar, t->variant, since,
			    g->version ? g->version : "an older Go", t->os, t->arch);
		xb_strv_push(errs, xb_buf_str(&m));
		bad = 1;
	} else if (t->variant && strchr(t->variant, ',') &&
		   !xb_goenv_at_least(g, 1, 22)) {
		xb_buf_addf(&m, "invalid GOARM '%s' for %s: the ,softfloat and "
			    ",hardfloat suffixes need Go 1.22 (this Go accepts 5, "
			    "6 or 7)", t->variant, g->version ? g->version :
			    "this Go");
		xb_strv_push(errs, xb_buf_str(&m));
		bad = 1;
	}
	xb_buf_release(&b);
	xb_buf_release(&m);
	return bad;
}

void xb_plan_check_targets(const xb_profile *p, const xb_goenv *g,
			   xb_diags *d)
{
	for (size_t i = 0; i < p->ntargets; i++) {
		const xb_target *t = &p->targets[i];
		xb_strv errs = XB_STRV_INIT;

		go_checks(&t->s, t, g, &errs);
		for (size_t k = 0; k < errs.n; k++)
			xb_diag(d, 'e', t->pos, "%s: %s", t->name, errs.v[k]);
		xb_strv_release(&errs);
	}
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

	xb_cgolink_lib_dirs(root, triplet, &dirs);
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
};

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
	w->tsys = pl->cc.libc_sysroot && *pl->cc.libc_sysroot ?
		pl->cc.libc_sysroot : NULL;
	/* Debian's cross compilers say "/": their libc is in /usr/<triplet> */
	if (w->cross && (!w->tsys || !strcmp(w->tsys, "/")) && w->triplet &&
	    *w->triplet) {
		xb_buf b = XB_BUF_INIT;
		xb_buf_addf(&b, "/usr/%s", w->triplet);
		if (xb_is_dir(xb_buf_str(&b)))
			w->cross_libc = xb_buf_take(&b);
		xb_buf_release(&b);
	}
	w->sysroot = c->s->sysroot ? c->s->sysroot : w->cross ? w->tsys : NULL;
}

static void cgowhere_release(struct cgowhere *w)
{
	free(w->cross_libc);
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
			if (xb_strv_push(extra, xb_buf_str(&b)))
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
		char d[300];
		snprintf(d, sizeof(d), "/usr/lib/%s", w->triplet);
		push_dir(c, &pl->lib_dirs, d);
		snprintf(d, sizeof(d), "/lib/%s", w->triplet);
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
static xb_code plan_cgolink(struct pctx *c, xb_cgolink_linkage linkage,
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
static xb_code plan_cc(struct pctx *c, xb_err *err)
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
static void plan_nss(struct pctx *c)
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
static void env_cgo(struct pctx *c)
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
		xb_cgolink_lib_dirs(s->sysroot, pl->cc.triplet, &libdirs);
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
	setenv_(c, "CGO_CFLAGS", xb_buf_str(&flags));
	setenv_(c, "CGO_CXXFLAGS", xb_buf_str(&flags));
	for (size_t i = 0; i < s->extra_libs.n; i++) {
		xb_buf_addc(&ldf, ' ');
		extra_lib(&ldf, s->extra_libs.v[i]);
	}
	setenv_(c, "CGO_LDFLAGS", xb_buf_str(&ldf));
	/* with the external linker the resolver sets pkg-config's
	 * variables (plan_cgolink) */
	if (s->pkg_config_path && !c->ext)
		setenv_(c, "PKG_CONFIG_PATH", s->pkg_config_path);
	if (s->sysroot && !c->ext)
		setenv_(c, "PKG_CONFIG_SYSROOT_DIR", s->sysroot);
	xb_buf_release(&flags);
	xb_buf_release(&ldf);
}

/* ---- the steps of a plan ------------------------------------------------ */

/* 1. the Go toolchain: pinned version, port, level */
static xb_code step_go(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;
	const xb_goenv *g = c->g;
	const char *ldflt;
	int since;

	(void)err;
	if (s->go && strchr(s->go, '/') && g->go && strcmp(s->go, g->go)) {
		char *a = realpath(s->go, NULL), *bb = realpath(g->go, NULL);
		if (!a || !bb || strcmp(a, bb))
			ERROR("this target pins go %s, but the run uses %s (one "
			      "run uses one Go toolchain)", s->go, g->go);
		free(a);
		free(bb);
	}
	if (go_checks(s, c->t, g, &c->pl->errors)) {
		c->done = true;
		return XB_OK;
	}
	c->lvar = level_var(c->t->arch, &ldflt, &since);
	if (c->t->variant)
		c->level = c->t->variant;
	else if (c->lvar && ldflt && (!since || xb_goenv_at_least(g, 1, since)))
		c->level = ldflt;
	return XB_OK;
}

/* 3. what the package graph needs */
static xb_code step_packages(struct pctx *c, xb_err *err)
{
	const xb_profile *p = c->p;
	const xb_pkginfo *info;
	xb_buf b = XB_BUF_INIT;
	xb_code rc;

	join(&b, &c->s->tags, ",");
	rc = xb_goenv_pkginfo(c->g, c->pkg, c->t->os, c->t->arch,
			      xb_buf_str(&b), &c->info, err);
	xb_buf_release(&b);
	if (rc)
		return rc;
	info = c->info;
	if (!info->ok) {
		ERROR("go list %s: %s", c->pkg, info->error ? info->error :
		      "failed");
		c->done = true;
		return XB_OK;
	}
	/* with several mains, each artifact is named for its package */
	c->name = p->name && p->main.n <= 1 ? p->name : info->name ? info->name :
		p->name ? p->name : "app";
	c->nss = info->net_cgo || info->osuser_cgo;
	return XB_OK;
}

/* 4 (cgo): the reason cgo is on or off when the profile leaves it to the
 * program: true for on. */
static bool cgo_auto(struct pctx *c)
{
	const xb_pkginfo *info = c->info;
	const char *users = info->net_cgo ? (info->osuser_cgo ?
		"net and os/user" : "net") : "os/user";

	if (c->lib) {
		REASON("cgo on: buildmode %s needs runtime/cgo", c->bm);
	} else if (info->user_cgo.n) {
		xb_buf b = XB_BUF_INIT;
		join(&b, &info->user_cgo, ", ");
		REASON("cgo on: %s import \"C\"", xb_buf_str(&b));
		xb_buf_release(&b);
	} else if (info->plugin) {
		REASON("cgo on: the program imports plugin");
	} else if (info->rtcgo_direct) {
		REASON("cgo on: the program imports runtime/cgo");
	} else if (c->want_spie) {
		REASON("cgo on: static-pie needs the external linker, and an "
		       "external static link needs runtime/cgo");
	} else if (is(c->linkage, "dynamic") && c->nss) {
		REASON("cgo on: dynamic linkage of %s uses libc", users);
	} else {
		if (is(c->linkage, "dynamic"))
			WARN("linkage dynamic: %s is pure Go and links statically "
			     "anyway; set cgo: on (--cgo on) to link it against "
			     "libc dynamically", c->name);
		if (c->nss)
			REASON("cgo off: %s needs no C code; %s use%s the pure Go "
			       "version", c->name, users, info->net_cgo &&
			       info->osuser_cgo ? "" : "s");
		else
			REASON("cgo off: %s needs no C code", c->name);
		return false;
	}
	return true;
}

/* 4. buildmode and cgo */
static xb_code step_cgo(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;
	const xb_pkginfo *info = c->info;

	(void)err;
	c->bm = s->buildmode && strcmp(s->buildmode, "default") ?
		s->buildmode : NULL;
	c->lib = is(c->bm, "c-archive") || is(c->bm, "c-shared") ||
		is(c->bm, "plugin");
	c->want_spie = is(c->linkage, "static-pie");
	c->want_static = is(c->linkage, "static") || c->want_spie;
	if (c->want_spie && !is(c->bm, "pie")) {
		c->bm = "pie";
		REASON("buildmode pie: static-pie needs it (Go passes -no-pie "
		       "for exe, and ld refuses)");
	}
	if (is(s->cgo, "off")) {
		c->cgo = false;
		REASON("cgo off: the profile says so");
		for (size_t i = 0; i < info->user_cgo.n; i++)
			WARN("%s has cgo files, which cgo off leaves out: the "
			     "build fails unless it has pure Go fallbacks",
			     info->user_cgo.v[i]);
		if (c->lib)
			ERROR("buildmode %s needs cgo, but cgo is off", c->bm);
	} else if (is(s->cgo, "on")) {
		c->cgo = true;
		REASON("cgo on: the profile says so");
	} else {
		c->cgo = cgo_auto(c);
	}
	if (c->cgo) {
		const xb_goport *port = xb_goenv_port(c->g, c->t->os, c->t->arch);
		if (port && !port->cgo) {
			ERROR("%s/%s does not support cgo (go tool dist list)",
			      c->t->os, c->t->arch);
			c->done = true;
		}
	}
	return XB_OK;
}

/* 5 (no cgo): Go's own linker */
static void link_pure_go(struct pctx *c)
{
	const xb_settings *s = c->s;
	bool pie = is(c->bm, "pie");

	if (is(s->linker, "external"))
		ERROR("linker external needs cgo: an external static link "
		      "without runtime/cgo crashes at start");
	if (s->extldflags.n)
		ERROR("extldflags need the external linker, which needs cgo");
	REASON("internal linker: a pure Go program links without a C "
	       "toolchain%s", pie && c->elf ? " (a PIE still gets a "
	       "PT_INTERP)" : c->elf ? " into a static binary" : "");
	c->final_linkage = pie && c->elf ? "dynamic" : "static";
	c->pl->linkmode = sdup("internal");
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
static void link_cgo(struct pctx *c)
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

/* 5. the linker, the C toolchain, NSS */
static xb_code step_linker(struct pctx *c, xb_err *err)
{
	xb_code rc;

	if (!c->cgo) {
		link_pure_go(c);
	} else {
		if ((rc = plan_cc(c, err)) || c->done)
			return rc;
		plan_nss(c);
		link_cgo(c);
	}
	c->pl->linkage = sdup(c->final_linkage);
	c->pl->cgo = c->cgo;
	return XB_OK;
}

/* 6. tags */
static xb_code step_tags(struct pctx *c, xb_err *err)
{
	xb_plan *pl = c->pl;

	(void)err;
	xb_strv_pushv(&pl->tags, xb_strv_argv(&c->s->tags));
	if (c->netgo && !xb_strv_contains(&pl->tags, "netgo"))
		xb_strv_push(&pl->tags, "netgo");
	if (c->osusergo && !xb_strv_contains(&pl->tags, "osusergo"))
		xb_strv_push(&pl->tags, "osusergo");
	return XB_OK;
}

/* 7 (Go): the Go release is part of the plan: the one chosen for the run
 * (xb_goenv_use), never one go.mod's toolchain line switches to */
static void env_go_release(struct pctx *c)
{
	const xb_goenv *g = c->g;
	const char *why = g->chosen.why ? g->chosen.why : "the local go";
	const char *ver = g->version ? g->version : "(unknown)";
	/* go.mod's reason already says the local release is older */
	bool gomod = g->chosen.source && !strcmp(g->chosen.source, "go.mod");

	if (g->from_modcache) {
		setenv_(c, "GOTOOLCHAIN", "local");
		REASON("Go %s from %s: its own go command in the module "
		       "cache runs it, with GOTOOLCHAIN=local (go switches "
		       "releases only through the checksum database, and "
		       "GOSUMDB is off)", ver, why);
	} else if (g->toolchain && strcmp(g->toolchain, "local")) {
		setenv_(c, "GOTOOLCHAIN", g->toolchain);
		REASON("Go %s from %s: GOTOOLCHAIN=%s runs it%s%s (go "
		       "fetches it once into the module cache)", ver, why,
		       g->toolchain, gomod ? "" : " instead of the local ",
		       gomod ? "" : g->local_version ? g->local_version :
		       "go");
	} else if (xb_goenv_at_least(g, 1, 21)) {
		setenv_(c, "GOTOOLCHAIN", "local");
		REASON("Go %s from %s: GOTOOLCHAIN=local, so go.mod's "
		       "toolchain line cannot switch it", ver, why);
	} else {
		REASON("Go %s from %s (before Go 1.21, go never switches "
		       "releases)", ver, why);
	}
}

/* 7. the environment: every variable that matters, explicitly */
static xb_code step_env(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;

	(void)err;
	setenv_(c, "CGO_ENABLED", c->cgo ? "1" : "0");
	setenv_(c, "GOOS", c->t->os);
	setenv_(c, "GOARCH", c->t->arch);
	if (c->lvar && c->level)
		setenv_(c, c->lvar, c->level);
	if (c->cgo && c->pl->has_cc)
		env_cgo(c);
	/* GOFLAGS from `go env -w` would act like extra flags */
	setenv_(c, "GOFLAGS", "");
	env_go_release(c);
	for (size_t i = 0; i < s->env.n; i++) {
		const char *eq = strchr(s->env.v[i], '=');
		char *k = strndup(s->env.v[i], (size_t)(eq - s->env.v[i]));
		if (!k) {
			c->rc = XB_ERR_NOMEM;
			break;
		}
		setenv_(c, k, eq + 1);
		free(k);
	}
	for (const char *const *v = pass_vars; *v; v++) {
		const char *val = getenv_in(c->host, *v);
		if (val && !xb_strv_getenv(&c->pl->env, *v) &&
		    xb_strv_setenv(&c->pl->pass, *v, val))
			c->rc = XB_ERR_NOMEM;
	}
	return XB_OK;
}

/* 7b. the C libraries of the link, and where each comes from */
static xb_code step_cgolink(struct pctx *c, xb_err *err)
{
	if (!c->cgo || !c->pl->has_cc)
		return XB_OK;
	return plan_cgolink(c, c->want_spie ? XB_CGOLINK_STATIC_PIE :
			    c->want_static ? XB_CGOLINK_STATIC :
			    XB_CGOLINK_DYNAMIC, err);
}

/* 8. -ldflags */
static xb_code step_ldflags(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;
	xb_buf *ld = &c->ld;
	xb_code rc;

	if (c->cgo && c->ext)
		xb_buf_adds(ld, "-linkmode external");
	else if (c->cgo && is(s->linker, "internal"))
		xb_buf_adds(ld, "-linkmode internal");
	if (c->pl->extldflags.n && c->ext) {
		xb_err qerr = XB_ERR_INIT;
		if (ld->len)
			xb_buf_addc(ld, ' ');
		if ((rc = xb_cgolink_ldflag(&c->pl->extldflags, ld, &qerr))) {
			if (rc == XB_ERR_NOMEM)
				return xb_fail(err, rc, "out of memory");
			ERROR("%s", xb_errmsg(&qerr));
		}
	}
	if (s->strip == 1) {
		if (xb_goenv_at_least(c->g, 1, 22)) {
			xb_buf_addf(ld, "%s-s", ld->len ? " " : "");
			REASON("-s: drops the symbol table, and DWARF too (-s "
			       "implies -w since Go 1.22)");
		} else {
			xb_buf_addf(ld, "%s-s -w", ld->len ? " " : "");
			REASON("-s -w: drop the symbol table and DWARF");
		}
	} else if (s->debug == 0) {
		xb_buf_addf(ld, "%s-w", ld->len ? " " : "");
		REASON("-w: debug: false drops DWARF");
	}
	if (s->reproducible == 1) {
		xb_buf_addf(ld, "%s-buildid=", ld->len ? " " : "");
		REASON("-trimpath -buildvcs=false -buildid=: reproducible output "
		       "whatever the directory, checkout state or flag spelling");
	}
	for (size_t i = 0; i < s->ldflags.n; i++)
		add_flag_word(ld, s->ldflags.v[i]);
	return XB_OK;
}

/* 9. output */
static xb_code step_output(struct pctx *c, xb_err *err)
{
	const xb_target *t = c->t;
	const char *ext = "";
	xb_buf b = XB_BUF_INIT;

	(void)err;
	if (is(c->bm, "c-shared"))
		ext = !strcmp(t->os, "windows") ? ".dll" :
			!strcmp(t->os, "darwin") ? ".dylib" : ".so";
	else if (is(c->bm, "c-archive"))
		ext = ".a";
	else if (is(c->bm, "plugin"))
		ext = ".so";
	else if (!strcmp(t->os, "windows"))
		ext = ".exe";
	expand_output(&b, c->p->output ? c->p->output : XB_DEFAULT_OUTPUT,
		      c->name, t, c->o->build_version ? c->o->build_version :
		      "dev", ext);
	c->pl->output = xb_buf_take(&b);
	return XB_OK;
}

/* 10. go build argv */
static xb_code step_argv(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;
	xb_plan *pl = c->pl;
	xb_strv *a = &pl->argv;
	xb_buf b = XB_BUF_INIT;

	(void)err;
	xb_strv_push(a, c->g->go ? c->g->go : "go");
	xb_strv_push(a, "build");
	xb_strv_push(a, "-o");
	xb_strv_push(a, pl->output);
	if (s->trimpath == 1)
		xb_strv_push(a, "-trimpath");
	if (s->reproducible == 1)
		xb_strv_push(a, "-buildvcs=false");
	if (c->bm) {
		xb_strv_pushf(a, "-buildmode=%s", c->bm);
		pl->buildmode = sdup(c->bm);
	}
	if (pl->tags.n) {
		join(&b, &pl->tags, ",");
		xb_strv_pushf(a, "-tags=%s", xb_buf_str(&b));
	}
	if (s->gcflags.n) {
		xb_buf_reset(&b);
		for (size_t i = 0; i < s->gcflags.n; i++)
			add_flag_word(&b, s->gcflags.v[i]);
		xb_strv_pushf(a, "-gcflags=%s", xb_buf_str(&b));
	}
	if (c->ld.len)
		xb_strv_pushf(a, "-ldflags=%s", xb_buf_str(&c->ld));
	xb_strv_push(a, c->pkg);
	xb_buf_release(&b);
	return XB_OK;
}

/* 11 (headers): what the artifact's headers must show */
static void expect_binary(struct pctx *c)
{
	const xb_target *t = c->t;
	const xb_plan *pl = c->pl;
	xb_expect *e = &c->pl->expect;
	const char *fmt = c->elf ? "elf" : !strcmp(t->os, "windows") ? "pe" :
		!strcmp(t->os, "darwin") || !strcmp(t->os, "ios") ?
		"macho" : NULL;

	if (fmt)
		xb_expect_set(e, "format", fmt, NULL);
	xb_expect_set(e, "arch", t->arch, NULL);
	if (c->elf && !c->lib) {
		xb_expect_set(e, "linkage", c->final_linkage, NULL);
		xb_expect_set(e, "pie", is(c->bm, "pie") ? "true" : "false",
			      NULL);
		if (!strcmp(c->final_linkage, "dynamic") && c->cgo &&
		    pl->has_cc && !strcmp(t->os, "linux")) {
			const char *in = NULL;
			char mbuf[64];
			if (is(pl->cc.libc, "musl") &&
			    musl_arch(t->arch, t->variant)) {
				snprintf(mbuf, sizeof(mbuf),
					 "/lib/ld-musl-%s.so.1",
					 musl_arch(t->arch, t->variant));
				in = mbuf;
			} else if (is(pl->cc.libc, "glibc")) {
				in = glibc_interp(t->arch, t->variant);
			}
			xb_expect_set(e, "libc", pl->cc.libc, NULL);
			if (in)
				xb_expect_set(e, "interpreter", in, NULL);
		}
	}
	if (c->s->strip > 0 && (is(t->os, "darwin") || is(t->os, "ios")))
		/* measured with go1.19: -s -w drops DWARF but keeps
		 * the Mach-O symbol table (LC_SYMTAB, every local) */
		REASON("strip: Go's -s keeps the Mach-O symbol table "
		       "(DWARF is dropped), so the artifact is not held "
		       "to stripped");
	else if (c->s->strip >= 0)
		xb_expect_set(e, "stripped", c->s->strip ? "true" : "false",
			      NULL);
}

/* 11 (build info): what go records in the artifact */
static void expect_build_info(struct pctx *c)
{
	const xb_goenv *g = c->g;
	const xb_target *t = c->t;
	xb_expect *e = &c->pl->expect;
	char key[32];

	/* the build info names the release that built it; set as go
	 * says it, which may be a devel build no --expect accepts */
	if (g->version && xb_set_str(&e->go_version, g->version))
		c->rc = XB_ERR_NOMEM;
	xb_expect_set(e, "go:CGO_ENABLED", c->cgo ? "1" : "0", NULL);
	xb_expect_set(e, "go:GOOS", t->os, NULL);
	xb_expect_set(e, "go:GOARCH", t->arch, NULL);
	if (c->lvar && c->level) {
		snprintf(key, sizeof(key), "go:%s", c->lvar);
		xb_expect_set(e, key, c->level, NULL);
	}
	if (c->pl->tags.n) {
		xb_buf b = XB_BUF_INIT;
		join(&b, &c->pl->tags, ",");
		xb_expect_set(e, "go:-tags", xb_buf_str(&b), NULL);
		xb_buf_release(&b);
	}
	if (c->s->trimpath == 1)
		xb_expect_set(e, "go:-trimpath", "true", NULL);
	/* go records -buildmode in the build info since Go 1.20
	 * (golang/go#53856); before, only the headers tell */
	if (c->bm && xb_goenv_at_least(g, 1, 20))
		xb_expect_set(e, "go:-buildmode", c->bm, NULL);
	else if (c->bm)
		REASON("buildmode %s not held to the build info: %s "
		       "records no -buildmode (Go 1.20 and later do)",
		       c->bm, g->version ? g->version : "this Go");
}

/* 11. the expectation; the profile's expect: may add, not contradict */
static xb_code step_expect(struct pctx *c, xb_err *err)
{
	const xb_settings *s = c->s;
	const xb_goenv *g = c->g;

	(void)err;
	expect_binary(c);
	expect_build_info(c);
	if (s->expect.linkage && c->elf && !c->lib &&
	    strcmp(s->expect.linkage, c->final_linkage))
		ERROR("expect.linkage is %s, but the plan gives a %s "
		      "binary", s->expect.linkage, c->final_linkage);
	if (s->expect.go_version && g->version &&
	    strcmp(s->expect.go_version, g->version))
		ERROR("expect.go_version is %s, but the plan builds with "
		      "Go %s", s->expect.go_version, g->version);
	if (s->expect.go_settings.n) {
		const char *want = xb_strv_getenv(&s->expect.go_settings,
						  "CGO_ENABLED");
		if (want && strcmp(want, c->cgo ? "1" : "0"))
			ERROR("expect.go_settings.CGO_ENABLED is %s, but the "
			      "plan builds with CGO_ENABLED=%d", want, c->cgo);
	}
	if (xb_expect_merge(&c->pl->expect, &s->expect))
		c->rc = XB_ERR_NOMEM;
	xb_strv_pushv(&c->pl->smoke, xb_strv_argv(&s->smoke));
	REASON("CGO_ENABLED=%d set explicitly: otherwise it depends on the "
	       "host (cross builds and hosts without gcc turn cgo off)", c->cgo);
	return XB_OK;
}

xb_code xb_plan_target(xb_plan *pl, const xb_profile *p, const xb_target *t,
		       const char *pkg, xb_goenv *g, const xb_plan_opts *o,
		       xb_err *err)
{
	static const xb_plan_opts no_opts = { NULL, NULL, NULL, NULL };
	/* in order: each step reads what the ones before it decided */
	static xb_code (*const steps[])(struct pctx *, xb_err *) = {
		step_go, step_packages, step_cgo, step_linker, step_tags,
		step_env, step_cgolink, step_ldflags, step_output, step_argv,
		step_expect,
	};
	struct pctx c;
	xb_code rc = XB_OK;

	memset(&c, 0, sizeof(c));
	c.pl = pl;
	c.p = p;
	c.t = t;
	c.s = &t->s;
	c.g = g;
	c.o = o ? o : &no_opts;
	c.host = c.o->envp ? c.o->envp : (const char *const *)environ;
	c.pkg = pkg ? pkg : p->main.n ? p->main.v[0] : ".";
	c.linkage = t->s.linkage ? t->s.linkage : "auto";
	pl->target = sdup(t->name);
	pl->goos = sdup(t->os);
	pl->goarch = sdup(t->arch);
	pl->variant = sdup(t->variant);
	pl->pkg = sdup(c.pkg);
	if (!pl->target || !pl->goos || !pl->goarch || !pl->pkg)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	c.elf = strcmp(t->os, "windows") && strcmp(t->os, "darwin") &&
		strcmp(t->os, "ios") && strcmp(t->os, "plan9") &&
		strcmp(t->os, "js") && strcmp(t->os, "wasip1") &&
		strcmp(t->os, "aix");
	/* a step that finds the target cannot be built as asked says why
	 * in pl->errors and ends the plan (c.done) */
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !rc &&
	     !c.done; i++)
		rc = steps[i](&c, err);
	xb_buf_release(&c.ld);
	if (!rc && c.rc)
		return xb_fail(err, c.rc, "out of memory");
	return rc;
}
