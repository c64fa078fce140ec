/* profile-goreleaser.c: a GoReleaser configuration (.goreleaser.yaml,
 * `version: 1` or `2`) read into a profile layer: the project's name, its
 * dist folder, one build (main, binary, targets, ignore, env, flags,
 * ldflags, tags), its archives and checksum (profile-archive.c, with
 * GoReleaser's defaults).  A top-level section outside those, or a key
 * of a handled section that is not read, is reported once as not
 * handled and skipped; what cannot be mapped (several builds, an archive
 * format xbuild does not write) is an error that says so.  Templates in ldflags, env and binary are checked
 * here and filled when the plan is made, as a profile's are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"

/* The top-level keys read here. */
static const char *const gr_top_keys[] = { "version", "project_name", "dist",
	"builds", "env", "archives", "checksum", NULL };

/* What GoReleaser builds when a build names no target. */
static const char *const dflt_goos[] = { "darwin", "linux", "windows", NULL };
static const char *const dflt_goarch[] = { "386", "amd64", "arm64", NULL };
static const char *const dflt_goarm[] = { "6", NULL };

#define GR_MAX_PARTS 64

struct gr {
	struct lctx *c;
	struct layer *l;
	const char *dist, *binary;
};

static xb_pos gpos(struct gr *g, const xb_ynode *n)
{
	return (xb_pos){ g->c->file, n->line, n->col };
}

static const char *gr_scalar(struct gr *g, const char *key, const xb_ynode *n)
{
	if (n->type != XB_Y_SCALAR || !*n->val) {
		xb_diag(g->c->d, 'e', gpos(g, n), "%s must be a single value", key);
		return NULL;
	}
	return n->val;
}

/* A value or a list of values into out (at most max); the count. */
static size_t gr_list(struct gr *g, const char *key, const xb_ynode *n,
		      const char **out, size_t max)
{
	size_t k = 0;

	if (n->type == XB_Y_SCALAR) {
		if (gr_scalar(g, key, n))
			out[k++] = n->val;
		return k;
	}
	if (n->type != XB_Y_SEQ) {
		xb_diag(g->c->d, 'e', gpos(g, n), "%s must be a list", key);
		return 0;
	}
	for (size_t i = 0; i < n->n && k < max; i++)
		if (gr_scalar(g, key, n->kid[i]))
			out[k++] = n->kid[i]->val;
	return k;
}

static void gr_set(struct gr *g, const xb_ynode *at, const char *key,
		   const char *val)
{
	xb_err err = XB_ERR_INIT;

	if (xb_settings_set(&g->l->defaults, key, val, gpos(g, at), &err))
		xb_diag(g->c->d, 'e', gpos(g, at), "%s", xb_errmsg(&err));
}

/* env: KEY=VALUE items; CGO_ENABLED becomes the cgo setting. */
static void gr_env(struct gr *g, const xb_ynode *v)
{
	const char *items[256];
	size_t n = gr_list(g, "env", v, items, 256);

	for (size_t i = 0; i < n; i++) {
		const xb_ynode *at = v->type == XB_Y_SEQ ? v->kid[i] : v;

		if (!strcmp(items[i], "CGO_ENABLED=0"))
			gr_set(g, at, "cgo", "off");
		else if (!strcmp(items[i], "CGO_ENABLED=1"))
			gr_set(g, at, "cgo", "on");
		else
			gr_set(g, at, "env", items[i]);
		xb_check_tmpl(g->c, at, items[i]);
	}
}

/* flags: the go build flags a profile has a setting for. */
static void gr_flags(struct gr *g, const xb_ynode *v)
{
	const char *items[64];
	size_t n = gr_list(g, "flags", v, items, 64);

	for (size_t i = 0; i < n; i++) {
		const xb_ynode *at = v->type == XB_Y_SEQ ? v->kid[i] : v;

		if (!strcmp(items[i], "-trimpath"))
			gr_set(g, at, "trimpath", "true");
		else if (!strncmp(items[i], "-tags=", 6))
			gr_set(g, at, "tags", items[i] + 6);
		else if (strcmp(items[i], "-v"))
			xb_diag(g->c->d, 'e', gpos(g, at), "build flag '%s' "
				"cannot be mapped (-trimpath and -tags=... can)",
				items[i]);
	}
}

/* ldflags: every item split into go's quoted words (a template action
 * stays in its word), templates checked here and filled at plan time as
 * in a profile; -s and -w become strip: true. */
static void gr_ldflags(struct gr *g, const xb_ynode *v)
{
	const char *items[256];
	size_t n = gr_list(g, "ldflags", v, items, 256);
	xb_strv *w = CSTRV(&g->l->defaults, XB_S_LDFLAGS);
	bool strip = false;
	size_t k = 0;
	char msg[512];

	xb_strv_release(w);
	for (size_t i = 0; i < n; i++) {
		const xb_ynode *at = v->type == XB_Y_SEQ ? v->kid[i] : v;

		xb_check_tmpl(g->c, at, items[i]);
		if (xb_setting_split(&g->l->defaults, XB_S_LDFLAGS, items[i],
				     msg, sizeof(msg)))
			xb_diag(g->c->d, 'e', gpos(g, at), "%s", msg);
	}
	for (size_t i = 0; i < w->n; i++) {
		if (!strcmp(w->v[i], "-s") || !strcmp(w->v[i], "-w")) {
			strip = true;
			free(w->v[i]);
		} else {
			w->v[k++] = w->v[i];
		}
	}
	if (w->v)
		w->v[k] = NULL;
	w->n = k;
	if (k) {
		g->l->defaults.set |= 1u << XB_S_LDFLAGS;
		g->l->defaults.pos[XB_S_LDFLAGS] = gpos(g, v);
	}
	if (strip)
		gr_set(g, v, "strip", "true");
}

static void gr_tags(struct gr *g, const xb_ynode *v)
{
	const char *items[256];
	size_t n = gr_list(g, "tags", v, items, 256);
	xb_buf all = XB_BUF_INIT;

	xb_buf_adds(&all, "");
	for (size_t i = 0; i < n; i++)
		xb_buf_addf(&all, "%s%s", i ? "," : "", items[i]);
	if (n)
		gr_set(g, v, "tags", xb_buf_str(&all));
	xb_buf_release(&all);
}

/* ignore: {goos, goarch, goarm} entries as os/arch[/variant] patterns. */
static void gr_ignore(struct gr *g, const xb_ynode *v)
{
	if (v->type != XB_Y_SEQ) {
		xb_diag(g->c->d, 'e', gpos(g, v), "ignore must be a list");
		return;
	}
	g->l->has_ignore = true;
	for (size_t i = 0; i < v->n; i++) {
		const xb_ynode *e = v->kid[i];
		const char *os = "*", *arch = "*", *arm = NULL;
		char pat[128];

		if (e->type != XB_Y_MAP) {
			xb_diag(g->c->d, 'e', gpos(g, e), "an ignore entry must "
				"be a mapping (goos:, goarch:, goarm:)");
			continue;
		}
		for (size_t j = 0; j + 1 < e->n; j += 2) {
			const char *k = e->kid[j]->val;
			const char *val = gr_scalar(g, k, e->kid[j + 1]);

			if (!val)
				continue;
			if (!strcmp(k, "goos"))
				os = val;
			else if (!strcmp(k, "goarch"))
				arch = val;
			else if (!strcmp(k, "goarm"))
				arm = val;
			else
				xb_diag(g->c->d, 'w', gpos(g, e->kid[j]), "key '%s' "
					"in an ignore entry is not handled, skipped",
					k);
		}
		snprintf(pat, sizeof(pat), "%s/%s%s%s", os, arch, arm ? "/" : "",
			 arm ? arm : "");
		xb_strv_push(&g->l->ignore, pat);
	}
}

static void gr_add_target(struct gr *g, const xb_ynode *at, const char *os,
			  const char *arch, const char *variant)
{
	xb_err err = XB_ERR_INIT;
	xb_target tmp, *a;

	memset(&tmp, 0, sizeof(tmp));
	/* Go has not built these since 1.15: GoReleaser passes them over */
	if (!strcmp(os, "darwin") && (!strcmp(arch, "386") ||
				      !strcmp(arch, "arm"))) {
		xb_diag(g->c->d, 'w', gpos(g, at), "%s/%s skipped: Go no "
			"longer builds it", os, arch);
		return;
	}
	if (xb_target_set(&tmp, os, arch, variant, &err)) {
		/* as GoReleaser does, a pair Go does not build is passed over */
		xb_diag(g->c->d, 'w', gpos(g, at), "%s/%s%s%s skipped: %s", os,
			arch, variant ? "/" : "", variant ? variant : "",
			xb_errmsg(&err));
		xb_target_free_names(&tmp);
		return;
	}
	for (size_t i = 0; i < g->l->ntargets; i++)
		if (!strcmp(g->l->targets[i].name, tmp.name)) {
			xb_target_free_names(&tmp);
			return;
		}
	a = realloc(g->l->targets, (g->l->ntargets + 1) * sizeof(*a));
	if (!a) {
		xb_target_free_names(&tmp);
		return;
	}
	g->l->targets = a;
	a = &a[g->l->ntargets++];
	*a = tmp;
	a->pos = gpos(g, at);
	xb_settings_init(&a->over);
	xb_settings_init(&a->s);
}

/* goos x goarch (x goarm for arm): the build's targets. */
static void gr_targets(struct gr *g, const xb_ynode *b, const xb_ynode *goos,
		       const xb_ynode *goarch, const xb_ynode *goarm)
{
	const char *os[GR_MAX_PARTS], *arch[GR_MAX_PARTS], *arm[GR_MAX_PARTS];
	size_t nos = 0, narch = 0, narm = 0;

	if (goos)
		nos = gr_list(g, "goos", goos, os, GR_MAX_PARTS);
	else
		for (; dflt_goos[nos]; nos++)
			os[nos] = dflt_goos[nos];
	if (goarch)
		narch = gr_list(g, "goarch", goarch, arch, GR_MAX_PARTS);
	else
		for (; dflt_goarch[narch]; narch++)
			arch[narch] = dflt_goarch[narch];
	if (goarm)
		narm = gr_list(g, "goarm", goarm, arm, GR_MAX_PARTS);
	else
		for (; dflt_goarm[narm]; narm++)
			arm[narm] = dflt_goarm[narm];
	g->l->has_targets = true;
	for (size_t i = 0; i < nos; i++)
		for (size_t j = 0; j < narch; j++) {
			if (strcmp(arch[j], "arm")) {
				gr_add_target(g, b, os[i], arch[j], NULL);
				continue;
			}
			for (size_t k = 0; k < narm; k++)
				gr_add_target(g, b, os[i], arch[j], arm[k]);
		}
}

static void gr_build(struct gr *g, const xb_ynode *b)
{
	const xb_ynode *goos = NULL, *goarch = NULL, *goarm = NULL;

	if (b->type != XB_Y_MAP) {
		xb_diag(g->c->d, 'e', gpos(g, b), "a build must be a mapping");
		return;
	}
	for (size_t i = 0; i + 1 < b->n; i += 2) {
		const xb_ynode *k = b->kid[i], *v = b->kid[i + 1];
		const char *key = k->val, *val;

		if (!strcmp(key, "main")) {
			if ((val = gr_scalar(g, key, v))) {
				g->l->has_main = true;
				g->l->main_pos = gpos(g, k);
				xb_strv_push(&g->l->main, val);
			}
		} else if (!strcmp(key, "binary")) {
			if ((g->binary = gr_scalar(g, key, v)))
				xb_check_tmpl(g->c, v, g->binary);
		} else if (!strcmp(key, "goos")) {
			goos = v;
		} else if (!strcmp(key, "goarch")) {
			goarch = v;
		} else if (!strcmp(key, "goarm")) {
			goarm = v;
		} else if (!strcmp(key, "ignore")) {
			gr_ignore(g, v);
		} else if (!strcmp(key, "env")) {
			gr_env(g, v);
		} else if (!strcmp(key, "flags")) {
			gr_flags(g, v);
		} else if (!strcmp(key, "ldflags")) {
			gr_ldflags(g, v);
		} else if (!strcmp(key, "tags")) {
			gr_tags(g, v);
		} else if (strcmp(key, "id")) {
			xb_diag(g->c->d, 'w', gpos(g, k), "build key '%s' is not "
				"handled, skipped", key);
		}
	}
	gr_targets(g, b, goos, goarch, goarm);
}

static void gr_builds(struct gr *g, const xb_ynode *v)
{
	if (v->type != XB_Y_SEQ) {
		xb_diag(g->c->d, 'e', gpos(g, v), "builds must be a list");
		return;
	}
	if (v->n > 1) {
		xb_diag(g->c->d, 'e', gpos(g, v->kid[1]), "several builds are not "
			"supported yet (this file has %zu; keep one)", v->n);
		return;
	}
	if (v->n)
		gr_build(g, v->kid[0]);
}

/* The output template: <dist>/{target}/<binary or {name}>{ext}. */
static void gr_output(struct gr *g)
{
	xb_buf b = XB_BUF_INIT;

	xb_buf_addf(&b, "%s/{target}/%s{ext}", g->dist ? g->dist : "dist",
		    g->binary ? g->binary : "{name}");
	g->l->has_output = true;
	free(g->l->output);
	g->l->output = xb_buf_take(&b);
}

void xb_goreleaser_parse(struct lctx *c, struct layer *l, const xb_ynode *root)
{
	struct gr g = { c, l, NULL, NULL };
	bool builds = false;

	if (root->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', gpos(&g, root), "a .goreleaser.yaml must be "
			"a mapping");
		return;
	}
	l->has_version = true;
	l->version = 1;
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const xb_ynode *k = root->kid[i], *v = root->kid[i + 1];
		const char *key = k->val, *val;

		if (!strcmp(key, "version")) {
			if ((val = gr_scalar(&g, key, v)) && strcmp(val, "1") &&
			    strcmp(val, "2"))
				xb_diag(c->d, 'e', gpos(&g, v), "unsupported "
					"GoReleaser configuration version '%s' "
					"(expected 1 or 2)", val);
		} else if (!strcmp(key, "project_name")) {
			if ((val = gr_scalar(&g, key, v))) {
				l->has_name = true;
				xb_set_str(&l->name, val);
				l->name_pos = gpos(&g, k);
			}
		} else if (!strcmp(key, "dist")) {
			g.dist = gr_scalar(&g, key, v);
		} else if (!strcmp(key, "env")) {
			gr_env(&g, v);
		} else if (!strcmp(key, "builds")) {
			builds = true;
			gr_builds(&g, v);
		} else if (!strcmp(key, "archives")) {
			xb_parse_archives(c, l, v, AD_GORELEASER);
		} else if (!strcmp(key, "checksum")) {
			xb_parse_checksum(c, l, v, AD_GORELEASER);
		} else if (!xb_str_in(key, gr_top_keys)) {
			xb_diag(c->d, 'w', gpos(&g, k), "'%s' not handled, "
				"skipped", key);
		}
	}
	if (!builds)
		gr_targets(&g, root, NULL, NULL, NULL);
	xb_archives_goreleaser_defaults(c, l, root);
	gr_output(&g);
}
