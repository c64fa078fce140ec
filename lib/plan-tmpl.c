/* plan-tmpl.c: the templates of a plan: the output name, ldflags and env
 * values, expanded with the release's fields and this target's. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "tmpl.h"

void xb_plan_release_vars(xb_tmpl_vars *v, const xb_relver *r,
			  const char *build_version)
{
	const char *ver = build_version ? build_version : "dev";

	memset(v, 0, sizeof(*v));
	if (r)
		xb_tmpl_set_release(v, r);
	else
		v->version = v->raw_version = v->tag = ver;
}

/* The release fields and the version of c's plans: as given, else asked
 * of o->release (on first use). */
static void release_of(const struct pctx *c, const xb_relver **rel,
		       const char **version)
{
	*rel = c->o->rel;
	*version = c->o->build_version;
	if (!*rel && c->o->release)
		c->o->release(c->o->release_ctx, rel, version);
}

/* The fields of c's templates into v; target holds .Target's text. */
static void vars_of(struct pctx *c, xb_tmpl_vars *v, xb_buf *target)
{
	const xb_target *t = c->t;
	const xb_relver *rel;
	const char *version;

	release_of(c, &rel, &version);
	xb_plan_release_vars(v, rel, version);
	xb_tmpl_set_target(v, t->os, t->arch, t->variant, target);
	v->project_name = c->p->name ? c->p->name : c->name;
	v->binary = c->name;
	v->env = c->host;
}

/* Expand text with v; a mistake goes to pl->errors. */
static char *expand(struct pctx *c, const char *text, const xb_tmpl_vars *v,
		    const char *what)
{
	xb_err err = XB_ERR_INIT;
	char *out = NULL;
	size_t at;

	if (xb_tmpl_expand(text, v, &out, &at, &err)) {
		if (err.code == XB_ERR_NOMEM)
			c->rc = XB_ERR_NOMEM;
		else
			addf(c, &c->pl->errors, "the template of %s '%s': %s (at "
			     "byte %zu)", what, text, xb_errmsg(&err), at + 1);
	}
	return out;
}

char *xb_plan_tmpl(struct pctx *c, const char *text, const char *what)
{
	xb_buf target = XB_BUF_INIT;
	xb_tmpl_vars v;
	char *out;

	if (!xb_tmpl_has_action(text)) {
		if (!(out = strdup(text)))
			c->rc = XB_ERR_NOMEM;
		return out;
	}
	vars_of(c, &v, &target);
	out = expand(c, text, &v, what);
	xb_buf_release(&target);
	return out;
}

xb_code xb_relver_snapshot(xb_relver *v, const char *project, const char *tmpl,
			   xb_err *err)
{
	xb_tmpl_vars tv;
	char *out = NULL, *raw;
	size_t at;
	xb_code rc;
	const char *snap = v->version ? strstr(v->version, "-SNAPSHOT") : NULL;
	char *base = snap ? strndup(v->version, (size_t)(snap - v->version)) :
		NULL;

	xb_plan_release_vars(&tv, v, NULL);
	tv.project_name = project;
	/* .Version is the last tag's, as for a release of it */
	if (base)
		tv.version = tv.raw_version = base;
	rc = xb_tmpl_expand(tmpl, &tv, &out, &at, err);
	free(base);
	if (rc)
		return xb_prefix(err, rc, "the snapshot version template '%s' "
				 "(at byte %zu)", tmpl, at + 1);
	if (!*out) {
		free(out);
		return xb_fail(err, XB_ERR_USAGE, "the snapshot version template "
			       "'%s' gives an empty version", tmpl);
	}
	if (!(raw = strdup(out))) {
		free(out);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	free(v->version);
	free(v->raw_version);
	v->raw_version = raw;
	/* .Version has no leading v, as the tag's */
	if (out[0] == 'v' && out[1] >= '0' && out[1] <= '9')
		memmove(out, out + 1, strlen(out));
	v->version = out;
	return XB_OK;
}

/* ---- hooks ---------------------------------------------------------------- */

/* The fields a hook's template may name, and where each is in the vars. */
#define HOOK_FIELDS(X) X(project_name) X(version) X(raw_version) X(tag) \
	X(commit) X(short_commit) X(full_commit) X(date) X(commit_date) \
	X(timestamp) X(commit_timestamp) X(os) X(arch) X(arm) X(amd64) \
	X(arm64) X(mips) X(target) X(binary)

static const char **slot(xb_tmpl_vars *v, size_t i)
{
#define SLOT(f) &v->f,
	const char **slots[] = { HOOK_FIELDS(SLOT) };
#undef SLOT
	return i < sizeof(slots) / sizeof(*slots) ? slots[i] : NULL;
}

/* Fields are kept by their place in HOOK_FIELDS: "3=v1.2.0". */
static void keep_fields(struct pctx *c, const xb_tmpl_vars *v)
{
	xb_tmpl_vars w = *v;
	const char **f;

	for (size_t i = 0; (f = slot(&w, i)); i++)
		if (*f)
			xb_strv_pushf(&c->pl->hook_fields, "%zu=%s", i, *f);
	if (v->is_snapshot)
		xb_strv_push(&c->pl->hook_fields, "snapshot=1");
}

/* One hook checked as it will run (xb_plan_hook), for the final output. */
static void check_hook(struct pctx *c, const char *text)
{
	xb_strv words = XB_STRV_INIT;
	xb_err e = XB_ERR_INIT;
	xb_code rc = xb_plan_hook(c->pl, text, c->pl->output, &words, &e);

	if (rc == XB_ERR_NOMEM)
		c->rc = XB_ERR_NOMEM;
	else if (rc)
		addf(c, &c->pl->errors, "%s", xb_errmsg(&e));
	xb_strv_release(&words);
}

xb_code xb_plan_step_hooks(struct pctx *c, xb_err *err)
{
	const xb_profile *p = c->p;
	xb_buf target = XB_BUF_INIT;
	xb_tmpl_vars v;

	(void)err;
	if (!p->hooks_pre.n && !p->hooks_post.n)
		return XB_OK;
	vars_of(c, &v, &target);
	keep_fields(c, &v);
	for (size_t i = 0; i < p->hooks_pre.n; i++)
		check_hook(c, p->hooks_pre.v[i]);
	for (size_t i = 0; i < p->hooks_post.n; i++)
		check_hook(c, p->hooks_post.v[i]);
	xb_strv_pushsv(&c->pl->hooks_pre, &p->hooks_pre);
	xb_strv_pushsv(&c->pl->hooks_post, &p->hooks_post);
	xb_buf_release(&target);
	if (xb_strv_failed(&c->pl->hooks_pre) ||
	    xb_strv_failed(&c->pl->hooks_post) ||
	    xb_strv_failed(&c->pl->hook_fields))
		c->rc = XB_ERR_NOMEM;
	return XB_OK;
}

xb_code xb_plan_hook(const xb_plan *pl, const char *text, const char *path,
		     xb_strv *argv, xb_err *err)
{
	xb_tmpl_vars v = { 0 };
	const char *why = NULL, *base = strrchr(path, '/');
	char *line = NULL;
	size_t at;
	xb_code rc;

	for (size_t i = 0; i < pl->hook_fields.n; i++) {
		const char *kv = pl->hook_fields.v[i];
		char *eq;
		unsigned long k = strtoul(kv, &eq, 10);
		const char **f = slot(&v, k);

		if (!strcmp(kv, "snapshot=1"))
			v.is_snapshot = true;
		else if (f && *eq == '=')
			*f = eq + 1;
	}
	v.path = path;
	v.name = base ? base + 1 : path;
	if ((rc = xb_tmpl_expand(text, &v, &line, &at, err)))
		return xb_prefix(err, rc, "hook '%s'", text);
	rc = xb_strv_split_words(argv, line, &why);
	if (!rc && why)
		rc = xb_fail(err, XB_ERR_USAGE, "hook '%s': %s", text, why);
	else if (!rc && !argv->n)
		rc = xb_fail(err, XB_ERR_USAGE, "hook '%s' is empty", text);
	else if (rc)
		rc = xb_fail(err, rc, "out of memory");
	free(line);
	return rc;
}

/* {name} {os} {arch} {variant} {version} {ext} {target} of text. */
static void placeholders(xb_buf *b, const char *tmpl, const char *name,
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

void xb_plan_output_name(struct pctx *c, xb_buf *b, const char *ext)
{
	char *x = xb_plan_tmpl(c, c->p->output ? c->p->output :
			       XB_DEFAULT_OUTPUT, "output");
	const char *version = c->o->build_version;
	const xb_relver *rel;

	/* the version only when the name has it */
	if (x && !version && strstr(x, "{version}"))
		release_of(c, &rel, &version);
	if (x)
		placeholders(b, x, c->name, c->t, version ? version : "dev",
			     ext);
	free(x);
}
