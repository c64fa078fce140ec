/* profile.c: YAML build profiles, the module's entry points.  Each file
 * (several, each with its extends: chain, or the embedded default) is read
 * into the bounded tree of lib/yamltree.c, walked into a layer
 * (profile-layer.c), and the layers are merged in order; then the
 * targets are resolved (profile-resolve.c).  Problems are collected as
 * file:line:col diagnostics, every one of them before the load fails. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile-int.h"
#include "embed.h"

/* The caps on one profile file, which is small and written by hand. */
static const xb_ylimits limits = {
	.depth = 32,       /* nesting of YAML collections */
	.nodes = 100000,   /* values in one file, aliases expanded */
	.keys = 256,       /* keys in one mapping */
	.items = 4096,     /* items in one list */
	.aliases = true,   /* anchors share settings between targets */
	.what = "a profile",
};

#define DEFAULT_MAX_SIZE (1u << 20)

/* ---- diagnostics ------------------------------------------------------ */

void xb_diags_init(xb_diags *d)
{
	memset(d, 0, sizeof(*d));
	xb_strv_init(&d->lines);
}

void xb_diags_release(xb_diags *d)
{
	xb_strv_release(&d->lines);
	xb_diags_init(d);
}

static void fmt_pos(xb_buf *b, xb_pos pos)
{
	xb_buf_adds(b, pos.file ? pos.file : "<profile>");
	if (pos.line)
		xb_buf_addf(b, ":%u:%u", pos.line, pos.col);
}

void xb_diag(xb_diags *d, char severity, xb_pos pos, const char *fmt, ...)
{
	xb_buf b = XB_BUF_INIT;
	va_list ap;

	if (!d)
		return;
	fmt_pos(&b, pos);
	xb_buf_adds(&b, severity == 'w' ? ": warning: " : ": ");
	va_start(ap, fmt);
	xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (!xb_strv_contains(&d->lines, xb_buf_str(&b))) {
		if (d->lines.n < XB_DIAGS_MAX)
			xb_strv_push(&d->lines, xb_buf_str(&b));
		else if (d->lines.n == XB_DIAGS_MAX)
			xb_strv_push(&d->lines, "too many problems; "
				     "stopped listing them");
		if (severity == 'w')
			d->warnings++;
		else
			d->errors++;
	}
	xb_buf_release(&b);
}

/* ---- loading ------------------------------------------------------------ */

void xb_layer_apply(xb_profile *p, struct layer *l)
{
	if (l->has_version)
		p->version = l->version;
	if (l->has_name) {
		xb_set_str(&p->name, l->name);
		p->name_pos = l->name_pos;
	}
	if (l->has_main) {
		xb_strv_release(&p->main);
		xb_strv_pushsv(&p->main, &l->main);
		p->main_pos = l->main_pos;
	}
	if (l->has_output) {
		xb_set_str(&p->output, l->output);
		p->output_pos = l->output_pos;
	}
	xb_settings_merge(&p->raw_defaults, &l->defaults);
	if (l->has_targets) {
		for (size_t i = 0; i < p->ntargets; i++)
			xb_target_release(&p->targets[i]);
		free(p->targets);
		p->targets = l->targets;
		p->ntargets = l->ntargets;
		l->targets = NULL;
		l->ntargets = 0;
	}
	if (l->has_ignore) {
		xb_strv_release(&p->ignore);
		xb_strv_pushsv(&p->ignore, &l->ignore);
	}
	if (l->snapshot_version) {
		xb_set_str(&p->snapshot_version, l->snapshot_version);
		p->snapshot_pos = l->snapshot_pos;
	}
	if (l->has_universal)
		p->universal = l->universal;
	if (l->has_before) {
		xb_strv_release(&p->before);
		xb_strv_pushsv(&p->before, &l->before);
	}
	if (l->has_archives) {
		xb_archive_specs_free(p->archives, p->narchives);
		p->archives = l->archives;
		p->narchives = l->narchives;
		p->has_archives = true;
		l->archives = NULL;
		l->narchives = 0;
	}
	if (l->checksum) {
		xb_checksum_spec_free(p->checksum);
		p->checksum = l->checksum;
		l->checksum = NULL;
	}
	if (l->packages) {
		xb_pkgconf_free(p->packages);
		p->packages = l->packages;
		l->packages = NULL;
	}
}

/* A layer into the load: its keys into the profile, its builds: kept
 * until every file is read (a later file's list replaces an earlier's). */
static void apply_layer(struct lctx *c, struct layer *l)
{
	xb_layer_apply(c->p, l);
	if (!l->has_builds)
		return;
	for (size_t i = 0; i < c->nbuilds; i++)
		xb_layer_release(&c->builds[i]);
	free(c->builds);
	c->builds = l->builds;
	c->nbuilds = l->nbuilds;
	l->builds = NULL;
	l->nbuilds = 0;
}

static const char *intern(xb_profile *p, const char *name)
{
	for (size_t i = 0; i < p->files.n; i++)
		if (!strcmp(p->files.v[i], name))
			return p->files.v[i];
	if (xb_strv_push(&p->files, name))
		return "<out of memory>";
	return p->files.v[p->files.n - 1];
}

static void load_file(struct lctx *c, const char *path, xb_pos from);

/* Where the YAML problems of one file go: to the diagnostics, or only
 * counted when they could quote a file that is not a profile. */
struct tprob {
	xb_diags *d;
	bool quiet;
	size_t n;
};

static void tree_problem(void *ctx, xb_pos pos, const char *msg)
{
	struct tprob *tp = ctx;

	tp->n++;
	if (!tp->quiet)
		xb_diag(tp->d, 'e', pos, "%s", msg);
}

/* A mapping with at least one key a profile has. */
static bool like_profile(const xb_ynode *root)
{
	if (root->type != XB_Y_MAP)
		return true; /* xb_layer_parse says what it is, not what it holds */
	for (size_t i = 0; i + 1 < root->n; i += 2)
		if (xb_str_in(root->kid[i]->val, xb_top_keys) ||
		    xb_str_in(root->kid[i]->val, xb_setting_names))
			return true;
	return false;
}

/* A GoReleaser configuration, by its name. */
static bool is_goreleaser(const char *file)
{
	const char *base = strrchr(file, '/');

	base = base ? base + 1 : file;
	return !strcmp(base, ".goreleaser.yaml") ||
	       !strcmp(base, ".goreleaser.yml") ||
	       !strcmp(base, "goreleaser.yaml") ||
	       !strcmp(base, "goreleaser.yml");
}

const char *xb_profile_discover(const char *dir)
{
	static const char *const names[] = { "xbuild.yaml", ".goreleaser.yaml",
		".goreleaser.yml", NULL };
	char path[4096];

	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", names[i]);
		if (access(path, F_OK) == 0)
			return names[i];
	}
	return NULL;
}

/*
 * A file that is not a profile is refused without a word of what it holds:
 * a profile may name any file in extends:, and "unknown key" errors would
 * print another file's lines back (extends: /etc/shadow).  The YAML
 * problems of a file reached through extends: are counted, not quoted;
 * `xbuild check FILE` lists them.
 */
static void load_data(struct lctx *c, const char *file, const char *data,
		      size_t len)
{
	struct tprob tp = { c->d, c->depth > 1, 0 };
	xb_ytree t;
	struct layer l;
	const char *saved = c->file;

	c->file = file;
	if (xb_ytree_parse(&t, file, data, len, &limits, tree_problem,
			   &tp) != XB_OK) {
		if (tp.quiet)
			xb_diag(c->d, 'e', (xb_pos){ file, 0, 0 }, "not a profile: "
				"%zu YAML problem%s (xbuild check %s lists them)",
				tp.n, tp.n == 1 ? "" : "s", file);
	} else {
		if (t.root && is_goreleaser(file)) {
			xb_layer_init(&l);
			xb_goreleaser_parse(c, &l, t.root);
			apply_layer(c, &l);
			xb_layer_release(&l);
		} else if (!t.root)
			xb_diag(c->d, 'e', (xb_pos){ file, 1, 1 }, "empty profile "
				"(expected a mapping starting with 'version: 1')");
		else if (!like_profile(t.root))
			xb_diag(c->d, 'e', (xb_pos){ file, 1, 1 }, "not a profile: "
				"none of its keys is a profile's (expected a mapping "
				"starting with 'version: 1')");
		else {
			xb_layer_init(&l);
			xb_layer_parse(c, &l, t.root);
			if (l.extends && c->o && c->o->no_extends) {
				xb_diag(c->d, 'e', l.extends_pos, "extends: is "
					"not allowed here");
			} else if (l.extends) {
				xb_buf b = XB_BUF_INIT;
				const char *slash = strrchr(file, '/');

				if (l.extends[0] != '/' && slash)
					xb_buf_add(&b, file, (size_t)(slash - file + 1));
				if (xb_buf_adds(&b, l.extends))
					xb_diag(c->d, 'e', l.extends_pos, "extends: "
						"out of memory");
				else
					load_file(c, xb_buf_str(&b), l.extends_pos);
				xb_buf_release(&b);
			}
			apply_layer(c, &l);
			xb_layer_release(&l);
		}
	}
	xb_ytree_release(&t);
	c->file = saved;
}

static void load_file(struct lctx *c, const char *path, xb_pos from)
{
	size_t max = c->o && c->o->max_size ? c->o->max_size : DEFAULT_MAX_SIZE;
	xb_err err = XB_ERR_INIT;
	char *real;
	xb_buf b;

	real = realpath(path, NULL);
	for (int i = 0; real && i < c->depth; i++) {
		if (!strcmp(c->chain[i], real)) {
			xb_buf cy = XB_BUF_INIT;
			for (int j = i; j < c->depth; j++)
				xb_buf_addf(&cy, "%s -> ", c->shown[j]);
			xb_buf_adds(&cy, path);
			xb_diag(c->d, 'e', from, "extends cycle: %s",
				xb_buf_str(&cy));
			xb_buf_release(&cy);
			free(real);
			return;
		}
	}
	if (c->depth >= MAX_EXTENDS) {
		xb_diag(c->d, 'e', from, "extends: chain longer than %d files",
			MAX_EXTENDS);
		free(real);
		return;
	}
	xb_buf_init(&b, max);
	if (xb_buf_read_file(&b, path, &err)) {
		if (err.code == XB_ERR_TOO_BIG)
			xb_diag(c->d, 'e', from.file ? from : (xb_pos){ path, 0, 0 },
				"profile '%s' is larger than %zu bytes", path, max);
		else
			xb_diag(c->d, 'e', from.file ? from : (xb_pos){ path, 0, 0 },
				"%s", xb_errmsg(&err));
		xb_buf_release(&b);
		free(real);
		return;
	}
	c->shown[c->depth] = path;
	c->chain[c->depth++] = real ? real : path;
	load_data(c, intern(c->p, path), b.data ? b.data : "", b.len);
	c->depth--;
	free(real);
	xb_buf_release(&b);
}

void xb_profile_init(xb_profile *p)
{
	memset(p, 0, sizeof(*p));
	xb_strv_init(&p->main);
	xb_strv_init(&p->ignore);
	xb_strv_init(&p->files);
	xb_strv_init(&p->hooks_pre);
	xb_strv_init(&p->hooks_post);
	xb_strv_init(&p->before);
	xb_settings_init(&p->defaults);
	xb_settings_init(&p->cli);
	xb_settings_init(&p->raw_defaults);
}

void xb_profile_release(xb_profile *p)
{
	free(p->name);
	free(p->output);
	xb_strv_release(&p->main);
	xb_strv_release(&p->ignore);
	xb_settings_release(&p->defaults);
	xb_settings_release(&p->cli);
	xb_settings_release(&p->raw_defaults);
	for (size_t i = 0; i < p->ntargets; i++)
		xb_target_release(&p->targets[i]);
	free(p->targets);
	for (size_t i = 0; i < p->nbuilds; i++)
		xb_profile_release(&p->builds[i]);
	free(p->builds);
	free(p->id);
	free(p->snapshot_version);
	xb_pkgconf_free(p->packages);
	p->packages = NULL;
	xb_strv_release(&p->hooks_pre);
	xb_strv_release(&p->hooks_post);
	xb_strv_release(&p->before);
	xb_archive_specs_free(p->archives, p->narchives);
	xb_checksum_spec_free(p->checksum);
	xb_strv_release(&p->files);
	xb_profile_init(p);
}

static xb_code finish(struct lctx *c, size_t errors_before, xb_err *err)
{
	xb_profile *p = c->p;
	xb_diags *d = c->d;
	xb_code rc;

	if (!p->output && !(p->output = strdup(XB_DEFAULT_OUTPUT)))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	/* lists filled without a check each (the settings' own lists are
	 * checked as they are merged) */
	if ((rc = xb_strv_failed(&p->main)) || (rc = xb_strv_failed(&p->ignore)) ||
	    (rc = xb_strv_failed(&p->files)) || (rc = xb_strv_failed(&p->before)))
		return xb_fail(err, rc, "out of memory");
	/* the builds first: they take the top level's ignore: as written */
	rc = xb_profile_builds(p, c->builds, c->nbuilds, d);
	for (size_t i = 0; i < c->nbuilds; i++)
		xb_layer_release(&c->builds[i]);
	free(c->builds);
	c->builds = NULL;
	c->nbuilds = 0;
	if (rc || (rc = xb_profile_resolve(p, d)) ||
	    (rc = xb_profile_union(p, d)))
		return xb_fail(err, rc, "out of memory");
	if (d->errors > errors_before)
		return xb_fail(err, XB_ERR_PROFILE, "%zu error%s in the profile",
			       d->errors - errors_before,
			       d->errors - errors_before == 1 ? "" : "s");
	return XB_OK;
}

xb_code xb_profile_load(xb_profile *p, const char *const *files, size_t nfiles,
			const xb_profile_opts *o, xb_diags *d, xb_err *err)
{
	struct lctx c;
	size_t before = d->errors;

	memset(&c, 0, sizeof(c));
	c.p = p;
	c.d = d;
	c.o = o;
	if (nfiles == 0) {
		const xb_embedded *e = xb_embedded_find("profiles/default.yaml");
		if (!e)
			return xb_fail(err, XB_ERR_NOTFOUND, "no embedded default "
				       "profile");
		load_data(&c, intern(p, "<builtin>/profiles/default.yaml"),
			  (const char *)e->data, e->len);
	}
	for (size_t i = 0; i < nfiles; i++)
		load_file(&c, files[i], (xb_pos){ NULL, 0, 0 });
	return finish(&c, before, err);
}

xb_code xb_profile_load_mem(xb_profile *p, const char *name, const char *data,
			    size_t len, const xb_profile_opts *o, xb_diags *d,
			    xb_err *err)
{
	struct lctx c;
	size_t before = d->errors;
	size_t max = o && o->max_size ? o->max_size : DEFAULT_MAX_SIZE;

	memset(&c, 0, sizeof(c));
	c.p = p;
	c.d = d;
	c.o = o;
	if (len > max) {
		xb_diag(d, 'e', (xb_pos){ intern(p, name), 0, 0 }, "profile is "
			"larger than %zu bytes", max);
		return xb_fail(err, XB_ERR_PROFILE, "profile too large");
	}
	load_data(&c, intern(p, name), data, len);
	return finish(&c, before, err);
}
