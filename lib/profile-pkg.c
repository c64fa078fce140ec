/* profile-pkg.c: a profile's packages: (the Linux packages a release
 * writes), read whole: a later file's packages: replaces an earlier's.
 * Every value is checked here, so that a release fails before it builds. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"
#include "pkg.h"

static const char *const pkg_keys[] = { "formats", "name", "maintainer",
	"description", "license", "vendor", "homepage", "contents",
	"dependencies", NULL };
static const char *const content_keys[] = { "src", "dst", "mode", NULL };
static const char *const pkg_formats[] = { "deb", "rpm", NULL };

void xb_pkgconf_free(xb_pkgconf *c)
{
	if (!c)
		return;
	xb_strv_release(&c->formats);
	free(c->name);
	free(c->maintainer);
	free(c->description);
	free(c->license);
	free(c->vendor);
	free(c->homepage);
	for (size_t i = 0; i < c->ncontents; i++) {
		free(c->contents[i].src);
		free(c->contents[i].dst);
	}
	free(c->contents);
	xb_strv_release(&c->depends);
	free(c);
}

static xb_pos ppos(struct lctx *c, const xb_ynode *n)
{
	return (xb_pos){ c->file, n->line, n->col };
}

/* A list of scalars (a single value is a list of one) into out. */
static void scalars(struct lctx *c, const char *key, const xb_ynode *v,
		    xb_strv *out)
{
	if (v->type == XB_Y_SCALAR) {
		if (*v->val)
			xb_strv_push(out, v->val);
		return;
	}
	if (v->type != XB_Y_SEQ) {
		xb_diag(c->d, 'e', ppos(c, v), "packages: %s must be a list", key);
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		if (v->kid[i]->type != XB_Y_SCALAR)
			xb_diag(c->d, 'e', ppos(c, v->kid[i]), "packages: %s: "
				"each item must be a single value", key);
		else
			xb_strv_push(out, v->kid[i]->val);
}

/* A Debian package name: lowercase letters, digits, '+', '-', '.', at
 * least two, starting with a letter or digit (RPM takes it too). */
static bool pkg_name_ok(const char *s)
{
	if (strlen(s) < 2 || strlen(s) > 100 || !isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("+-.", *s))
			return false;
	return true;
}

/* An absolute path without "..", "." or empty parts, nor a final '/'. */
static bool dst_ok(const char *s)
{
	if (*s != '/' || strlen(s) > 1024)
		return false;
	for (const char *p = s + 1;;) {
		size_t k = strcspn(p, "/");
		if (k == 0 || (k == 1 && *p == '.') ||
		    (k == 2 && !strncmp(p, "..", 2)))
			return false;
		for (size_t i = 0; i < k; i++)
			if ((unsigned char)p[i] < 0x20)
				return false;
		if (!p[k])
			return true;
		p += k + 1;
	}
}

static void content(struct lctx *c, xb_pkgconf *pc, const xb_ynode *n)
{
	xb_pkg_content *ct, *nv;

	if (n->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', ppos(c, n), "packages: contents: each item "
			"must be a mapping (src:, dst:, mode:)");
		return;
	}
	nv = realloc(pc->contents, (pc->ncontents + 1) * sizeof(*nv));
	if (!nv)
		return;
	pc->contents = nv;
	ct = &nv[pc->ncontents++];
	memset(ct, 0, sizeof(*ct));
	ct->mode = 0644;
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const xb_ynode *k = n->kid[i], *v = n->kid[i + 1];
		char *end = NULL;
		unsigned long m;

		if (!xb_str_in(k->val, content_keys)) {
			xb_diag(c->d, 'e', ppos(c, k), "unknown key '%s' in "
				"packages: contents (expected src, dst or mode)",
				k->val);
		} else if (v->type != XB_Y_SCALAR || !*v->val) {
			xb_diag(c->d, 'e', ppos(c, v), "packages: contents: %s "
				"must be a single value", k->val);
		} else if (!strcmp(k->val, "src")) {
			xb_set_str(&ct->src, v->val);
		} else if (!strcmp(k->val, "dst")) {
			if (!dst_ok(v->val))
				xb_diag(c->d, 'e', ppos(c, v), "packages: contents: "
					"dst '%s' is not an absolute path of a "
					"file (/usr/share/doc/NAME/README)", v->val);
			xb_set_str(&ct->dst, v->val);
		} else {
			m = strtoul(v->val, &end, 8);
			if (*end || m > 07777 || !isdigit((unsigned char)*v->val))
				xb_diag(c->d, 'e', ppos(c, v), "packages: contents: "
					"mode '%s' is not octal permissions "
					"(0644, 0755)", v->val);
			ct->mode = (unsigned)m & 07777;
		}
	}
	if (!ct->src || !ct->dst)
		xb_diag(c->d, 'e', ppos(c, n), "packages: contents: an item "
			"needs src: and dst:");
	for (size_t i = 0; ct->dst && i + 1 < pc->ncontents; i++)
		if (pc->contents[i].dst && !strcmp(pc->contents[i].dst, ct->dst))
			xb_diag(c->d, 'e', ppos(c, n), "packages: contents: dst "
				"'%s' is given twice", ct->dst);
}

/* The checks of the whole once read: formats and dependencies. */
static void check(struct lctx *c, const xb_pkgconf *pc, const xb_ynode *v)
{
	xb_err err = XB_ERR_INIT;
	xb_pkg_dep d;

	if (!pc->formats.n)
		xb_diag(c->d, 'e', ppos(c, v), "packages: needs formats: (deb, "
			"rpm)");
	for (size_t i = 0; i < pc->formats.n; i++)
		if (!xb_str_in(pc->formats.v[i], pkg_formats))
			xb_diag(c->d, 'e', ppos(c, v), "packages: unknown format "
				"'%s' (expected deb or rpm)", pc->formats.v[i]);
	for (size_t i = 0; i < pc->depends.n; i++)
		if (xb_pkg_dep_parse(pc->depends.v[i], &d, &err))
			xb_diag(c->d, 'e', ppos(c, v), "packages: %s",
				xb_errmsg(&err));
	if (pc->name && !pkg_name_ok(pc->name))
		xb_diag(c->d, 'e', ppos(c, v), "packages: name '%s' is not a "
			"package name (lowercase letters, digits, '+', '-', '.')",
			pc->name);
}

void xb_layer_packages(struct lctx *c, xb_pkgconf **out, const xb_ynode *v)
{
	xb_pkgconf *pc;

	if (v->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', ppos(c, v), "packages must be a mapping "
			"(formats:, maintainer: ...)");
		return;
	}
	if (!(pc = calloc(1, sizeof(*pc))))
		return;
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const xb_ynode *k = v->kid[i], *val = v->kid[i + 1];
		const char *key = k->val;
		char **field = !strcmp(key, "name") ? &pc->name :
			!strcmp(key, "maintainer") ? &pc->maintainer :
			!strcmp(key, "description") ? &pc->description :
			!strcmp(key, "license") ? &pc->license :
			!strcmp(key, "vendor") ? &pc->vendor :
			!strcmp(key, "homepage") ? &pc->homepage : NULL;

		if (field) {
			if (val->type != XB_Y_SCALAR)
				xb_diag(c->d, 'e', ppos(c, val), "packages: %s "
					"must be a single value", key);
			else if (*val->val && !xb_set_str(field, val->val))
				/* a block scalar's last newlines are no text */
				for (size_t n = strlen(*field);
				     n && (*field)[n - 1] == '\n';)
					(*field)[--n] = '\0';
		} else if (!strcmp(key, "formats")) {
			scalars(c, key, val, &pc->formats);
		} else if (!strcmp(key, "dependencies")) {
			scalars(c, key, val, &pc->depends);
		} else if (!strcmp(key, "contents")) {
			if (val->type != XB_Y_SEQ)
				xb_diag(c->d, 'e', ppos(c, val), "packages: "
					"contents must be a list");
			for (size_t k2 = 0; val->type == XB_Y_SEQ && k2 < val->n; k2++)
				content(c, pc, val->kid[k2]);
		} else {
			const char *near = xb_closest(key, pkg_keys);
			xb_diag(c->d, 'e', ppos(c, k), "unknown key '%s' in "
				"packages%s%s%s", key, near ? " (did you mean '" : "",
				near ? near : "", near ? "'?)" : "");
		}
	}
	check(c, pc, v);
	xb_pkgconf_free(*out);
	*out = pc;
}
