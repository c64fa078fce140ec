/* plan-tmpl.c: the templates of a plan: the output name, ldflags and env
 * values, expanded with the release's fields and this target's. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "tmpl.h"

char *xb_plan_tmpl(struct pctx *c, const char *text, const char *what)
{
	const xb_relver *r = c->o->rel;
	const xb_target *t = c->t;
	xb_tmpl_vars v = { 0 };
	xb_err err = XB_ERR_INIT;
	xb_buf target = XB_BUF_INIT;
	const char *ver = c->o->build_version ? c->o->build_version : "dev";
	char *out = NULL;
	size_t at;

	if (!xb_tmpl_has_action(text)) {
		if (!(out = strdup(text)))
			c->rc = XB_ERR_NOMEM;
		return out;
	}
	if (r)
		xb_tmpl_set_release(&v, r);
	else
		v.version = v.raw_version = v.tag = ver;
	xb_tmpl_set_target(&v, t->os, t->arch, t->variant, &target);
	v.project_name = c->p->name ? c->p->name : c->name;
	v.binary = c->name;
	v.env = c->host;
	if (xb_tmpl_expand(text, &v, &out, &at, &err)) {
		if (err.code == XB_ERR_NOMEM)
			c->rc = XB_ERR_NOMEM;
		else
			addf(c, &c->pl->errors, "the template of %s '%s': %s (at "
			     "byte %zu)", what, text, xb_errmsg(&err), at + 1);
	}
	xb_buf_release(&target);
	return out;
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

	if (x)
		placeholders(b, x, c->name, c->t, c->o->build_version ?
			     c->o->build_version : "dev", ext);
	free(x);
}
