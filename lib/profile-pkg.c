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


/* One read of packages: (gr false) or of a GoReleaser nfpms: entry. */
struct pread {
	struct lctx *c;
	xb_pkgconf *pc;
	bool gr;
	const char *where;      /* "packages", "nfpms" */
};

static void mode_of(struct pread *r, xb_pkg_content *ct, const xb_ynode *v)
{
	const char *s = v->val;
	char *end = NULL;
	unsigned long m;

	if (!strncmp(s, "0o", 2))
		s += 2;
	m = strtoul(s, &end, 8);
	if (*end || m > 07777 || !isdigit((unsigned char)*s))
		xb_diag(r->c->d, 'e', ppos(r->c, v), "%s: contents: mode '%s' is "
			"not octal permissions (0644, 0755)", r->where, v->val);
	ct->mode = (unsigned)m & 07777;
}

/* dst of a content: an absolute path; a GoReleaser file's relative one
 * ("./usr/share/x", "etc/x") is under the root, as nfpm reads it. */
static void gr_dst(struct pread *r, xb_pkg_content *ct, const xb_ynode *v)
{
	xb_buf b = XB_BUF_INIT;
	const char *d = v->val;

	if (r->gr && *d != '/')
		xb_buf_addf(&b, "/%s", d + (d[0] == '.' && d[1] == '/' ? 2 : 0));
	else
		xb_buf_adds(&b, d);
	if (!xb_buf_failed(&b) && !dst_ok(xb_buf_str(&b)))
		xb_diag(r->c->d, 'e', ppos(r->c, v), "%s: contents: dst '%s' is "
			"not an absolute path of a file (/usr/share/doc/NAME/"
			"README)", r->where, d);
	xb_set_str(&ct->dst, xb_buf_str(&b));
	xb_buf_release(&b);
}

/* A GoReleaser content's key other than src and dst: file_info: {mode},
 * type (a file or a config file; what is not a file is skipped).  False
 * when the item is to be skipped. */
static bool gr_content_key(struct pread *r, xb_pkg_content *ct,
			   const xb_ynode *k, const xb_ynode *v)
{
	if (!strcmp(k->val, "file_info") && v->type == XB_Y_MAP) {
		for (size_t i = 0; i + 1 < v->n; i += 2)
			if (!strcmp(v->kid[i]->val, "mode") &&
			    v->kid[i + 1]->type == XB_Y_SCALAR)
				mode_of(r, ct, v->kid[i + 1]);
			else
				xb_diag(r->c->d, 'w', ppos(r->c, v->kid[i]), "nfpms: "
					"contents: file_info: '%s' not handled, "
					"skipped", v->kid[i]->val);
		return true;
	}
	if (!strcmp(k->val, "type") && v->type == XB_Y_SCALAR) {
		if (!*v->val || !strncmp(v->val, "config", 6))
			return true;
		xb_diag(r->c->d, 'w', ppos(r->c, v), "nfpms: contents: type '%s' "
			"not handled, the item skipped (files only)", v->val);
		return false;
	}
	xb_diag(r->c->d, 'w', ppos(r->c, k), "nfpms: contents: '%s' not "
		"handled, skipped", k->val);
	return true;
}

static void content(struct pread *r, const xb_ynode *n)
{
	xb_pkgconf *pc = r->pc;
	xb_pkg_content *ct, *nv;
	bool keep = true;

	if (n->type != XB_Y_MAP) {
		xb_diag(r->c->d, 'e', ppos(r->c, n), "%s: contents: each item "
			"must be a mapping (src:, dst:, mode:)", r->where);
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

		if (r->gr && strcmp(k->val, "src") && strcmp(k->val, "dst")) {
			keep &= gr_content_key(r, ct, k, v);
		} else if (!xb_str_in(k->val, content_keys)) {
			xb_diag(r->c->d, 'e', ppos(r->c, k), "unknown key '%s' in "
				"%s: contents (expected src, dst or mode)",
				k->val, r->where);
		} else if (v->type != XB_Y_SCALAR || !*v->val) {
			xb_diag(r->c->d, 'e', ppos(r->c, v), "%s: contents: %s "
				"must be a single value", r->where, k->val);
		} else if (!strcmp(k->val, "src")) {
			xb_set_str(&ct->src, v->val);
		} else if (!strcmp(k->val, "dst")) {
			gr_dst(r, ct, v);
		} else {
			mode_of(r, ct, v);
		}
	}
	if (!keep) {
		free(ct->src);
		free(ct->dst);
		pc->ncontents--;
		return;
	}
	if (!ct->src || !ct->dst)
		xb_diag(r->c->d, 'e', ppos(r->c, n), "%s: contents: an item "
			"needs src: and dst:", r->where);
	for (size_t i = 0; ct->dst && i + 1 < pc->ncontents; i++)
		if (pc->contents[i].dst && !strcmp(pc->contents[i].dst, ct->dst))
			xb_diag(r->c->d, 'e', ppos(r->c, n), "%s: contents: dst "
				"'%s' is given twice", r->where, ct->dst);
}

/* The checks of the whole once read: formats and dependencies. */
static void check(struct pread *r, const xb_ynode *v)
{
	const xb_pkgconf *pc = r->pc;

	if (!pc->formats.n && !r->gr)
		xb_diag(r->c->d, 'e', ppos(r->c, v), "packages: needs formats: "
			"(deb, rpm)");
	if (pc->name && !xb_pkg_name_ok(pc->name))
		xb_diag(r->c->d, 'e', ppos(r->c, v), "%s: name '%s' is not a "
			"package name (lowercase letters, digits, '+', '-', '.')",
			r->where, pc->name);
}

/* dependencies: each checked at its line */
static void dependencies(struct pread *r, const xb_ynode *v)
{
	xb_err err = XB_ERR_INIT;
	xb_pkg_dep d;
	size_t n = v->type == XB_Y_SEQ ? v->n : 1;

	scalars(r->c, "dependencies", v, &r->pc->depends);
	for (size_t i = 0; i < n; i++) {
		const xb_ynode *item = v->type == XB_Y_SEQ ? v->kid[i] : v;
		if (item->type == XB_Y_SCALAR && *item->val &&
		    xb_pkg_dep_parse(item->val, &d, &err))
			xb_diag(r->c->d, 'e', ppos(r->c, item), "%s: %s",
				r->where, xb_errmsg(&err));
	}
}

/* formats: each one xbuild writes; a GoReleaser one it does not is
 * skipped with a warning, a profile's is an error. */
static void formats(struct pread *r, const xb_ynode *v)
{
	size_t n = v->type == XB_Y_SEQ ? v->n : 1;

	if (v->type == XB_Y_MAP)
		xb_diag(r->c->d, 'e', ppos(r->c, v), "%s: formats must be a "
			"list", r->where);
	for (size_t i = 0; v->type != XB_Y_MAP && i < n; i++) {
		const xb_ynode *item = v->type == XB_Y_SEQ ? v->kid[i] : v;
		if (item->type != XB_Y_SCALAR)
			xb_diag(r->c->d, 'e', ppos(r->c, item), "%s: formats: "
				"each item must be a single value", r->where);
		else if (xb_str_in(item->val, pkg_formats))
			xb_strv_push(&r->pc->formats, item->val);
		else if (*item->val)
			xb_diag(r->c->d, r->gr ? 'w' : 'e', ppos(r->c, item),
				"%s: %s format '%s' (expected deb or rpm)",
				r->where, r->gr ? "skipped the" : "unknown",
				item->val);
	}
}

/* One key of the mapping. */
static void pkg_key(struct pread *r, const xb_ynode *k, const xb_ynode *val)
{
	static const char *const gr_quiet[] = { "id", "ids", "builds", NULL };
	xb_pkgconf *pc = r->pc;
	const char *key = !strcmp(k->val, "package_name") && r->gr ? "name" :
		k->val;
	char **field = !strcmp(key, "name") ? &pc->name :
		!strcmp(key, "maintainer") ? &pc->maintainer :
		!strcmp(key, "description") ? &pc->description :
		!strcmp(key, "license") ? &pc->license :
		!strcmp(key, "vendor") ? &pc->vendor :
		!strcmp(key, "homepage") ? &pc->homepage : NULL;

	if (field && !(r->gr && !strcmp(k->val, "name"))) {
		if (val->type != XB_Y_SCALAR)
			xb_diag(r->c->d, 'e', ppos(r->c, val), "%s: %s must be a "
				"single value", r->where, key);
		else if (r->gr && strstr(val->val, "{{"))
			xb_diag(r->c->d, 'w', ppos(r->c, val), "nfpms: %s: "
				"templates are not filled here, skipped", k->val);
		else if (*val->val && !xb_set_str(field, val->val))
			/* a block scalar's last newlines are no text */
			for (size_t n = strlen(*field);
			     n && (*field)[n - 1] == '\n';)
				(*field)[--n] = '\0';
	} else if (!strcmp(key, "formats")) {
		formats(r, val);
	} else if (!strcmp(key, "dependencies")) {
		dependencies(r, val);
	} else if (!strcmp(key, "contents")) {
		if (val->type != XB_Y_SEQ)
			xb_diag(r->c->d, 'e', ppos(r->c, val), "%s: contents must "
				"be a list", r->where);
		for (size_t i = 0; val->type == XB_Y_SEQ && i < val->n; i++)
			content(r, val->kid[i]);
	} else if (r->gr) {
		if (!xb_str_in(key, gr_quiet))
			xb_diag(r->c->d, 'w', ppos(r->c, k), "nfpms: '%s' not "
				"handled, skipped", key);
	} else {
		const char *near = xb_closest(key, pkg_keys);
		xb_diag(r->c->d, 'e', ppos(r->c, k), "unknown key '%s' in "
			"packages%s%s%s", key, near ? " (did you mean '" : "",
			near ? near : "", near ? "'?)" : "");
	}
}

/* The mapping v into a new xb_pkgconf replacing *out. */
static void read_map(struct pread *r, xb_pkgconf **out, const xb_ynode *v)
{
	if (!(r->pc = calloc(1, sizeof(*r->pc))))
		return;
	for (size_t i = 0; i + 1 < v->n; i += 2)
		pkg_key(r, v->kid[i], v->kid[i + 1]);
	check(r, v);
	if (r->gr && !r->pc->formats.n) {
		xb_diag(r->c->d, 'w', ppos(r->c, v), "nfpms: no format xbuild "
			"writes (deb, rpm): no packages");
		xb_pkgconf_free(r->pc);
		return;
	}
	xb_pkgconf_free(*out);
	*out = r->pc;
}

void xb_layer_packages(struct lctx *c, xb_pkgconf **out, const xb_ynode *v)
{
	struct pread r = { c, NULL, false, "packages" };

	if (v->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', ppos(c, v), "packages must be a mapping "
			"(formats:, maintainer: ...)");
		return;
	}
	read_map(&r, out, v);
}

void xb_goreleaser_nfpms(struct lctx *c, xb_pkgconf **out, const xb_ynode *v)
{
	struct pread r = { c, NULL, true, "nfpms" };

	if (v->type != XB_Y_SEQ) {
		xb_diag(c->d, 'e', ppos(c, v), "nfpms must be a list");
		return;
	}
	if (v->n > 1) {
		xb_diag(c->d, 'e', ppos(c, v->kid[1]), "several nfpms are not "
			"supported (one entry, for every linux target)");
		return;
	}
	if (v->n == 0)
		return;
	if (v->kid[0]->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', ppos(c, v->kid[0]), "an nfpms entry must be a "
			"mapping");
		return;
	}
	read_map(&r, out, v->kid[0]);
}
