/* plan.h: what the planner's files share (lib/ only): the context its
 * steps read and write, and the small helpers every step uses; and the
 * plan's environment, which the run engine uses too.  plan.c
 * runs the steps; plan-cgo.c has those of a cgo target's C toolchain and
 * link. */
#ifndef XB_PLAN_H
#define XB_PLAN_H

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "xbuild.h"
#include "tmpl.h"
#include "cgolink.h"
#include "goenv.h"
#include "profile.h"

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
	const xb_osinfo *os;      /* what Go makes there (NULL: unknown) */
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

/* plan-tmpl.c: text with its template expanded for this target (the
 * caller frees it); NULL after an error in the plan's errors (what: the
 * setting, for the message) or when out of memory (c->rc). */
char *xb_plan_tmpl(struct pctx *c, const char *text, const char *what);
/* The output name (the profile's output template) into b. */
void xb_plan_output_name(struct pctx *c, xb_buf *b, const char *ext);
/* The release's fields of a template into v (the rest cleared): r's,
 * else build_version (NULL: "dev") as .Version, .RawVersion and .Tag. */
void xb_plan_release_vars(xb_tmpl_vars *v, const xb_relver *r,
			  const char *build_version);
/* The last step: the build's hooks, each checked, with their fields. */
xb_code xb_plan_step_hooks(struct pctx *c, xb_err *err);
/* The words of hook text (one of pl's hooks_pre or hooks_post) for the
 * artifact at path (.Path, .Name), onto argv.  XB_ERR_USAGE for a
 * template or quoting mistake. */
xb_code xb_plan_hook(const xb_plan *pl, const char *text, const char *path,
		     xb_strv *argv, xb_err *err);

/* The helpers are static inline: each file has its own copy, so that
 * plan.c and plan-cgo.c do not call each other both ways. */

static inline void addf(struct pctx *c, xb_strv *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void addf(struct pctx *c, xb_strv *v, const char *fmt, ...)
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

static inline void setenv_(struct pctx *c, const char *k, const char *v)
{
	if (xb_strv_setenv(&c->pl->env, k, v))
		c->rc = XB_ERR_NOMEM;
}

/* KEY=b's contents into the plan's environment; a failed b fails the
 * plan rather than set a value with a piece missing. */
static inline void setenv_buf(struct pctx *c, const char *k, const xb_buf *b)
{
	if (xb_buf_failed(b))
		c->rc = xb_buf_failed(b);
	else
		setenv_(c, k, xb_buf_str(b));
}

static inline char *sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static inline bool is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static inline void join(xb_buf *b, const xb_strv *v, const char *sep)
{
	for (size_t i = 0; i < v->n; i++)
		xb_buf_addf(b, "%s%s", i ? sep : "", v->v[i]);
}

static inline const char *getenv_in(const char *const *envp, const char *k)
{
	size_t n = strlen(k);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, k, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* plan.c: Go builds a PIE: asked for, or go's default on the OS. */
bool xb_plan_builds_pie(const struct pctx *c);

/* plan-expect.c: step 11, the expectation of the artifact */
xb_code xb_plan_step_expect(struct pctx *c, xb_err *err);

/* plan-cgo.c: the steps of a cgo target's C toolchain and link */

/* The C toolchain from o->cc_lookup, else from the toolchain manager;
 * c->done when there is none or it cannot do what the link needs. */
xb_code xb_plan_find_cc(struct pctx *c, xb_err *err);
/* Static glibc and NSS: the tags that replace it, or a warning. */
void xb_plan_nss(struct pctx *c);
/* Internal or external linker, and the linkage the link gives. */
void xb_plan_link_cgo(struct pctx *c);
/* CC, CXX and the CGO_ flags of the environment. */
void xb_plan_env_cgo(struct pctx *c);
/* The C libraries of the link and where they are (plan-cgo.c says more). */
xb_code xb_plan_cgolink(struct pctx *c, xb_cgolink_linkage linkage,
			xb_err *err);

/* plan-out.c, for the run engine (run.c) too: the full environment to
 * run pl->argv with (pass, then env, then the toolchain's): caller
 * releases. */
xb_code xb_plan_envp(const xb_plan *pl, xb_strv *envp);

#endif /* XB_PLAN_H */
