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

#include "plan.h"
#include "profile.h"
#include "expect.h"

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
	xb_strv_init(&pl->archives);
	xb_strv_init(&pl->hooks_pre);
	xb_strv_init(&pl->hooks_post);
	xb_strv_init(&pl->hook_fields);
	xb_strv_init(&pl->reasons);
	xb_strv_init(&pl->warnings);
	xb_strv_init(&pl->errors);
	xb_strv_init(&pl->extldflags);
	xb_strv_init(&pl->lib_dirs);
}

void xb_plan_release(xb_plan *pl)
{
	free(pl->target);
	free(pl->build_id);
	free(pl->golist_note);
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
	xb_strv_release(&pl->archives);
	xb_strv_release(&pl->hooks_pre);
	xb_strv_release(&pl->hooks_post);
	xb_strv_release(&pl->hook_fields);
	free(pl->sbom);
	xb_strv_release(&pl->reasons);
	xb_strv_release(&pl->warnings);
	xb_strv_release(&pl->errors);
	xb_strv_release(&pl->extldflags);
	xb_strv_release(&pl->lib_dirs);
	free(pl->sysroot);
	free(pl->triplet);
	xb_plan_init(pl);
}

/* ---- planning ---------------------------------------------------------- */

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

/* Words into one flag value as Go splits it (quoted.Split): a word with
 * a blank, or a quote first, is quoted with the quote it lacks (the
 * profile refuses one that has both). */
static void add_flag_word(xb_buf *b, const char *w)
{
	if (b->len)
		xb_buf_addc(b, ' ');
	if (!*w || strpbrk(w, " \t\r\n") || *w == '\'' || *w == '"') {
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
		xb_strv_push_buf(errs, &m);
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
		xb_strv_push_buf(errs, &m);
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
		xb_strv_push_buf(errs, &m);
		xb_buf_release(&b);
		xb_buf_release(&m);
		return 1;
	}
	lvar = level_var(t->arch, &ldflt, &since);
	if (t->variant && since && !xb_goenv_at_least(g, 1, since)) {
		xb_buf_addf(&m, "%s=%s needs Go 1.%d or later, but this is %s "
			    "(drop the variant: %s/%s)", lvar, t->variant, since,
			    g->version ? g->version : "an older Go", t->os, t->arch);
		xb_strv_push_buf(errs, &m);
		bad = 1;
	} else if (t->variant && strchr(t->variant, ',') &&
		   !xb_goenv_at_least(g, 1, 22)) {
		xb_buf_addf(&m, "invalid GOARM '%s' for %s: the ,softfloat and "
			    ",hardfloat suffixes need Go 1.22 (this Go accepts 5, "
			    "6 or 7)", t->variant, g->version ? g->version :
			    "this Go");
		xb_strv_push_buf(errs, &m);
		bad = 1;
	}
	xb_buf_release(&b);
	xb_buf_release(&m);
	return bad;
}

/* p's targets less the optional ones g has no port for. */
static void drop_from(xb_profile *p, const xb_goenv *g, xb_strv *said)
{
	size_t k = 0;

	for (size_t i = 0; i < p->ntargets; i++) {
		xb_target *t = &p->targets[i];

		if (t->optional && !xb_goenv_port(g, t->os, t->arch)) {
			xb_buf m = XB_BUF_INIT;

			xb_buf_addf(&m, "%s skipped: %s has no such port", t->name,
				    g->version ? g->version : "this Go");
			if (!xb_strv_contains(said, xb_buf_str(&m)))
				xb_strv_push_buf(said, &m);
			xb_buf_release(&m);
			xb_target_release(t);
			continue;
		}
		p->targets[k++] = *t;
	}
	p->ntargets = k;
}

void xb_plan_drop_missing(xb_profile *p, const xb_goenv *g, xb_strv *said)
{
	if (!g->nports)
		return; /* the ports are unknown: nothing is passed over */
	for (size_t b = 0; b < p->nbuilds; b++)
		drop_from(&p->builds[b], g, said);
	drop_from(p, g, said);
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
		if (xb_strv_failed(&errs))
			xb_diag(d, 'e', t->pos, "%s: %s", t->name,
				xb_strerror(xb_strv_failed(&errs)));
		xb_strv_release(&errs);
	}
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
	if ((rc = xb_buf_check(&b, err, "the build tags"))) {
		xb_buf_release(&b);
		return rc;
	}
	rc = xb_goenv_pkginfo(c->g, c->pkg, c->t->os, c->t->arch,
			      xb_buf_str(&b), &c->info, err);
	xb_buf_release(&b);
	if (rc)
		return rc;
	info = c->info;
	/* said apart from the reasons: those go into the release manifest,
	 * which must not change with the state of this machine's cache */
	c->pl->golist_cache = info->cache;
	if (info->cache) {
		xb_buf note = XB_BUF_INIT;

		if (!strcmp(info->cache, "hit"))
			xb_buf_addf(&note, "go list: from the cache (key %s): no "
				    "package folder changed since", info->cache_key);
		else
			xb_buf_addf(&note, "go list: asked go (cache key %s)",
				    info->cache_key);
		if (!(c->pl->golist_note = xb_buf_take(&note)))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
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
		if (is(c->linkage, "dynamic") && !(c->os && c->os->dynamic))
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

/* Go builds a PIE: asked for, or go's default on the OS. */
bool xb_plan_builds_pie(const struct pctx *c)
{
	return is(c->bm, "pie") || (!c->bm && c->os && c->os->pie);
}

/* 5 (no cgo): Go's own linker */
static void link_pure_go(struct pctx *c)
{
	const xb_settings *s = c->s;
	bool pie = xb_plan_builds_pie(c);
	const char *dyn = c->elf && c->os ? c->os->dynamic : NULL;

	if (is(s->linker, "external"))
		ERROR("linker external needs cgo: an external static link "
		      "without runtime/cgo crashes at start");
	if (s->extldflags.n)
		ERROR("extldflags need the external linker, which needs cgo");
	if (dyn)
		REASON("internal linker: every %s program is dynamic, pure Go "
		       "too: %s", c->t->os, dyn);
	else
		REASON("internal linker: a pure Go program links without a C "
		       "toolchain%s", pie && c->elf ? " (a PIE still gets a "
		       "PT_INTERP)" : c->elf ? " into a static binary" : "");
	c->final_linkage = (pie || dyn) && c->elf ? "dynamic" : "static";
	c->pl->linkmode = sdup("internal");
}

/* 5. the linker, the C toolchain, NSS */
static xb_code step_linker(struct pctx *c, xb_err *err)
{
	xb_code rc;

	if (!c->cgo) {
		link_pure_go(c);
	} else {
		if ((rc = xb_plan_find_cc(c, err)) || c->done)
			return rc;
		xb_plan_nss(c);
		xb_plan_link_cgo(c);
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
		xb_plan_env_cgo(c);
	/* GOFLAGS from `go env -w` would act like extra flags */
	setenv_(c, "GOFLAGS", "");
	env_go_release(c);
	for (size_t i = 0; i < s->env.n; i++) {
		const char *eq = strchr(s->env.v[i], '=');
		char *k = strndup(s->env.v[i], (size_t)(eq - s->env.v[i]));
		char *v = xb_plan_tmpl(c, eq + 1, "env");
		if (k && v)
			setenv_(c, k, v);
		free(v);
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
	return xb_plan_cgolink(c, c->want_spie ? XB_CGOLINK_STATIC_PIE :
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
	for (size_t i = 0; i < s->ldflags.n; i++) {
		char *w = xb_plan_tmpl(c, s->ldflags.v[i], "ldflags");
		if (w)
			add_flag_word(ld, w);
		free(w);
	}
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
	xb_plan_output_name(c, &b, ext);
	c->pl->output = xb_buf_take(&b);
	if (!c->pl->output)
		return xb_buf_failed(&b) ? xb_buf_check(&b, err, "the output name")
			: xb_fail(err, XB_ERR_NOMEM, "out of memory");
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
	/* a word built in b goes in whole or fails the vector (checked
	 * once, by xb_plan_target) */
	if (pl->tags.n) {
		xb_buf_adds(&b, "-tags=");
		join(&b, &pl->tags, ",");
		xb_strv_push_buf(a, &b);
	}
	if (s->gcflags.n) {
		xb_buf w = XB_BUF_INIT;
		for (size_t i = 0; i < s->gcflags.n; i++)
			add_flag_word(&w, s->gcflags.v[i]);
		xb_buf_reset(&b);
		xb_buf_adds(&b, "-gcflags=");
		xb_buf_addb(&b, &w);
		xb_buf_release(&w);
		xb_strv_push_buf(a, &b);
	}
	if (c->ld.len || xb_buf_failed(&c->ld)) {
		xb_buf_reset(&b);
		xb_buf_adds(&b, "-ldflags=");
		xb_buf_addb(&b, &c->ld);
		xb_strv_push_buf(a, &b);
	}
	xb_strv_push(a, c->pkg);
	xb_buf_release(&b);
	return XB_OK;
}

static xb_code plan_failed(const xb_plan *pl)
{
	const xb_strv *v[] = {
		&pl->tags, &pl->env, &pl->pass, &pl->argv, &pl->cc.env,
		&pl->expect.needed, &pl->expect.go_settings, &pl->smoke,
		&pl->archives, &pl->reasons, &pl->warnings, &pl->errors,
		&pl->extldflags, &pl->lib_dirs,
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (xb_strv_failed(v[i]))
			return xb_strv_failed(v[i]);
	return XB_OK;
}

/* The package a plan builds: pkg, else the profile's first main, else
 * the current folder's. */
static const char *plan_pkg(const xb_profile *p, const char *pkg)
{
	return pkg ? pkg : p->main.n ? p->main.v[0] : ".";
}

/* The go list questions of many plans, being asked. */
struct xb_plan_answers {
	xb_prefetch *pf;
	xb_pkgq *q;
	xb_buf *tags;   /* per plan: its question's tags */
	size_t *need;   /* per plan: the questions answered first */
	size_t n;
};

void xb_plan_answers_end(xb_plan_answers *pa)
{
	if (!pa)
		return;
	xb_goenv_prefetch_end(pa->pf);
	for (size_t i = 0; pa->tags && i < pa->n; i++)
		xb_buf_release(&pa->tags[i]);
	free(pa->tags);
	free(pa->q);
	free(pa->need);
	free(pa);
}

xb_code xb_plan_answers_start(xb_goenv *g, const xb_plan_ask *asks, size_t n,
			      int jobs, xb_plan_answers **out, xb_err *err)
{
	xb_plan_answers *pa = calloc(1, sizeof(*pa));
	size_t k = 0;
	xb_code rc = XB_OK;

	*out = NULL;
	if (!pa || !(pa->q = calloc(n ? n : 1, sizeof(*pa->q))) ||
	    !(pa->tags = calloc(n ? n : 1, sizeof(*pa->tags))) ||
	    !(pa->need = calloc(n ? n : 1, sizeof(*pa->need)))) {
		xb_plan_answers_end(pa);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	pa->n = n;
	/* the question step_packages asks, for a target step_go lets by */
	for (size_t i = 0; !rc && i < n; i++) {
		const xb_profile *p = asks[i].p;
		const xb_target *t = asks[i].t;
		xb_strv no = XB_STRV_INIT;
		int bad = go_checks(&t->s, t, g, &no);

		xb_strv_release(&no);
		pa->need[i] = k;
		if (bad)
			continue;
		xb_buf_init(&pa->tags[i], 0);
		join(&pa->tags[i], &t->s.tags, ",");
		if ((rc = xb_buf_check(&pa->tags[i], err, "the build tags")))
			break;
		pa->q[k].pkg = plan_pkg(p, asks[i].pkg);
		pa->q[k].goos = t->os;
		pa->q[k].goarch = t->arch;
		pa->q[k++].tags = xb_buf_str(&pa->tags[i]);
		pa->need[i] = k;
	}
	if (rc || (rc = xb_goenv_prefetch_start(g, pa->q, k, jobs, &pa->pf,
						err))) {
		xb_plan_answers_end(pa);
		return rc;
	}
	*out = pa;
	return XB_OK;
}

int xb_plan_answers_fd(const xb_plan_answers *pa)
{
	return xb_goenv_prefetch_fd(pa->pf);
}

xb_code xb_plan_answers_take(xb_plan_answers *pa, size_t *ready, xb_err *err)
{
	size_t upto = 0, i = 0;
	xb_code rc = xb_goenv_prefetch_take(pa->pf, &upto, err);

	while (!rc && i < pa->n && pa->need[i] <= upto)
		i++;
	*ready = i;
	return rc;
}

xb_code xb_plan_target(xb_plan *pl, const xb_profile *p, const xb_target *t,
		       const char *pkg, xb_goenv *g, const xb_plan_opts *o,
		       xb_err *err)
{
	static const xb_plan_opts no_opts = { NULL, NULL, NULL, NULL, NULL,
					      NULL, NULL };
	/* in order: each step reads what the ones before it decided */
	static xb_code (*const steps[])(struct pctx *, xb_err *) = {
		step_go, step_packages, step_cgo, step_linker, step_tags,
		step_env, step_cgolink, step_ldflags, step_output, step_argv,
		xb_plan_step_expect, xb_plan_step_hooks,
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
	c.pkg = plan_pkg(p, pkg);
	c.linkage = t->s.linkage ? t->s.linkage : "auto";
	pl->target = sdup(t->name);
	pl->goos = sdup(t->os);
	pl->goarch = sdup(t->arch);
	pl->variant = sdup(t->variant);
	pl->pkg = sdup(c.pkg);
	if (!pl->target || !pl->goos || !pl->goarch || !pl->pkg)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	/* what the run engine and release need of the target's settings:
	 * they see plans, never the profile */
	pl->nss_fatal = is(t->s.nss_warnings, "error");
	pl->universal = p->universal;
	pl->sbom = sdup(t->s.sbom ? t->s.sbom : "cyclonedx");
	if (!pl->sbom)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (xb_strv_pushv(&pl->archives, xb_strv_argv(&t->s.archives)))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	c.os = xb_os_info(t->os);
	c.elf = c.os && is(c.os->format, "elf");
	/* a step that finds the target cannot be built as asked says why
	 * in pl->errors and ends the plan (c.done) */
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && !rc &&
	     !c.done; i++)
		rc = steps[i](&c, err);
	xb_buf_release(&c.ld);
	if (!rc && !c.rc)
		c.rc = plan_failed(pl);
	if (!rc && c.rc)
		return xb_fail(err, c.rc, "cannot plan %s: %s", pl->target,
			       xb_strerror(c.rc));
	return rc;
}
