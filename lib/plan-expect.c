/* plan-expect.c: step 11 of a plan, the expectation the artifact must
 * meet: what its headers must show (linkage, PIE, interpreter, libc) and
 * what go records in its build info; the profile's expect: may add to it,
 * not contradict it. */
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "expect.h"

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

/* 11 (headers): what the artifact's headers must show */
static void expect_binary(struct pctx *c)
{
	const xb_target *t = c->t;
	const xb_plan *pl = c->pl;
	xb_expect *e = &c->pl->expect;
	const char *fmt = c->os ? c->os->format : NULL;

	if (fmt)
		xb_expect_set(e, "format", fmt, NULL);
	xb_expect_set(e, "arch", t->arch, NULL);
	if (c->elf && !c->lib) {
		xb_expect_set(e, "linkage", c->final_linkage, NULL);
		xb_expect_set(e, "pie", xb_plan_builds_pie(c) ? "true" : "false",
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
		if (xb_buf_failed(&b))
			c->rc = xb_buf_failed(&b);
		else
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
xb_code xb_plan_step_expect(struct pctx *c, xb_err *err)
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

/* The first failed push into the plan's vectors: the steps push without
 * a check each, and a plan with a word missing must not be built. */
