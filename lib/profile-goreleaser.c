/* profile-goreleaser.c: a GoReleaser configuration (.goreleaser.yaml,
 * `version: 1` or `2`) read into a profile layer: the project's name, its
 * dist folder, env, before hooks, its builds (each a build of the
 * profile's builds: with its targets, flags, hooks and overrides), the
 * snapshot version template, universal binaries, and its archives and
 * checksum (profile-archive.c, with GoReleaser's defaults).  A top-level
 * section outside those, or a key of a handled section that is not read,
 * is reported once as not handled and skipped; what cannot be mapped is
 * an error that says so.  Templates are checked here and filled when the
 * plan is made, as a profile's are.  One nfpms entry becomes the
 * packages: key (profile-pkg.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"

/* The top-level keys read here. */
static const char *const gr_top_keys[] = { "version", "project_name", "dist",
	"builds", "env", "archives", "checksum", "before", "snapshot",
	"universal_binaries", "sboms", "nfpms", NULL };

/* What GoReleaser builds when a build names no target. */
static const char *const dflt_goos[] = { "darwin", "linux", "windows", NULL };
static const char *const dflt_goarch[] = { "386", "amd64", "arm64", NULL };
static const char *const dflt_goarm[] = { "6", NULL };

#define GR_MAX_PARTS 64

struct gr {
	struct lctx *c;
	struct layer *l;   /* the top level's, or a build's */
	xb_settings *s;    /* where settings go: l's defaults, or a target's
			    * own (overrides:) */
	const char *dist, *binary;
	const char *project; /* project_name, for default build ids */
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

	if (xb_settings_set(g->s, key, val, gpos(g, at), &err))
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
	xb_strv *w = CSTRV(g->s, XB_S_LDFLAGS);
	bool strip = false;
	size_t k = 0;
	char msg[512];

	xb_strv_release(w);
	for (size_t i = 0; i < n; i++) {
		const xb_ynode *at = v->type == XB_Y_SEQ ? v->kid[i] : v;

		xb_check_tmpl(g->c, at, items[i]);
		if (xb_setting_split(g->s, XB_S_LDFLAGS, items[i],
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
		g->s->set |= 1u << XB_S_LDFLAGS;
		g->s->pos[XB_S_LDFLAGS] = gpos(g, v);
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
	a->optional = true;
	xb_settings_init(&a->over);
	xb_settings_init(&a->s);
}

/* The parts of the targets: GoReleaser's defaults when a key is absent. */
struct parts {
	const char *v[GR_MAX_PARTS];
	size_t n;
};

static void gr_parts(struct gr *g, const char *key, const xb_ynode *v,
		     const char *const *dflt, struct parts *out)
{
	out->n = 0;
	if (v)
		out->n = gr_list(g, key, v, out->v, GR_MAX_PARTS);
	else
		for (; dflt && dflt[out->n]; out->n++)
			out->v[out->n] = dflt[out->n];
}

/* goos x goarch (x goarm, goamd64, goarm64 for those arches): the build's
 * targets.  amd64 takes its level (v1 unless goamd64 says), as GoReleaser
 * names it. */
static void gr_targets(struct gr *g, const xb_ynode *b, const xb_ynode *const *k)
{
	static const char *const dflt_amd64[] = { "v1", NULL };
	struct parts os, arch, arm, amd64, arm64, none = { { NULL }, 1 };

	gr_parts(g, "goos", k[0], dflt_goos, &os);
	gr_parts(g, "goarch", k[1], dflt_goarch, &arch);
	gr_parts(g, "goarm", k[2], dflt_goarm, &arm);
	gr_parts(g, "goamd64", k[3], dflt_amd64, &amd64);
	gr_parts(g, "goarm64", k[4], NULL, &arm64);
	if (!arm64.n)
		arm64 = none;
	g->l->has_targets = true;
	for (size_t i = 0; i < os.n; i++)
		for (size_t j = 0; j < arch.n; j++) {
			const struct parts *v = !strcmp(arch.v[j], "arm") ? &arm :
				!strcmp(arch.v[j], "amd64") ? &amd64 :
				!strcmp(arch.v[j], "arm64") ? &arm64 : &none;

			for (size_t n = 0; n < v->n; n++)
				gr_add_target(g, b, os.v[i], arch.v[j], v->v[n]);
		}
}

/* hooks: pre and post, each a command line, a list of them, or a list
 * of {cmd: ...} */
static void gr_hook_list(struct gr *g, xb_strv *out, const char *key,
			 const xb_ynode *v)
{
	if (v->type != XB_Y_SEQ) {
		xb_layer_hooks(g->c, out, key, v);
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const xb_ynode *h = v->kid[i];

		if (h->type != XB_Y_MAP) {
			xb_layer_hooks(g->c, out, key, h);
			continue;
		}
		for (size_t j = 0; j + 1 < h->n; j += 2) {
			if (!strcmp(h->kid[j]->val, "cmd"))
				xb_layer_hooks(g->c, out, key, h->kid[j + 1]);
			else
				xb_diag(g->c->d, 'w', gpos(g, h->kid[j]), "hook key "
					"'%s' is not handled, skipped (hooks run "
					"in the project folder with the build's "
					"environment)", h->kid[j]->val);
		}
	}
}

static void gr_hooks(struct gr *g, const xb_ynode *v)
{
	if (v->type != XB_Y_MAP) {
		xb_diag(g->c->d, 'e', gpos(g, v), "hooks must be a mapping (pre:, "
			"post:)");
		return;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const char *key = v->kid[i]->val;

		if (!strcmp(key, "pre"))
			gr_hook_list(g, &g->l->hooks_pre, key, v->kid[i + 1]);
		else if (!strcmp(key, "post"))
			gr_hook_list(g, &g->l->hooks_post, key, v->kid[i + 1]);
		else
			xb_diag(g->c->d, 'w', gpos(g, v->kid[i]), "hooks: '%s' is "
				"not handled, skipped", key);
	}
}

/* A build key that is a setting (of the build, or of the targets an
 * override names); false when key is none. */
static bool gr_setting(struct gr *g, const char *key, const xb_ynode *v)
{
	const char *items[64];
	size_t n;

	if (!strcmp(key, "env"))
		gr_env(g, v);
	else if (!strcmp(key, "flags"))
		gr_flags(g, v);
	else if (!strcmp(key, "ldflags"))
		gr_ldflags(g, v);
	else if (!strcmp(key, "tags"))
		gr_tags(g, v);
	else if (!strcmp(key, "gcflags")) {
		n = gr_list(g, key, v, items, 64);
		for (size_t i = 0; i < n; i++) {
			char msg[512];
			const xb_ynode *at = v->type == XB_Y_SEQ ? v->kid[i] : v;

			xb_check_tmpl(g->c, at, items[i]);
			if (xb_setting_split(g->s, XB_S_GCFLAGS, items[i], msg,
					     sizeof(msg)))
				xb_diag(g->c->d, 'e', gpos(g, at), "%s", msg);
		}
		if (n) {
			g->s->set |= 1u << XB_S_GCFLAGS;
			g->s->pos[XB_S_GCFLAGS] = gpos(g, v);
		}
	} else if (!strcmp(key, "buildmode")) {
		const char *bm = gr_scalar(g, key, v);
		if (bm)
			gr_set(g, v, "buildmode", bm);
	} else
		return false;
	return true;
}

/* overrides: settings for the targets each entry names. */
static void gr_overrides(struct gr *g, const xb_ynode *v)
{
	static const char *const match[] = { "goos", "goarch", "goarm",
		"goamd64", "goarm64", NULL };

	if (v->type != XB_Y_SEQ) {
		xb_diag(g->c->d, 'e', gpos(g, v), "overrides must be a list");
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const xb_ynode *o = v->kid[i];
		const char *part[3] = { "*", "*", NULL };
		char pat[128];
		size_t hits = 0;

		if (o->type != XB_Y_MAP)
			continue;
		for (size_t j = 0; j + 1 < o->n; j += 2) {
			const char *k = o->kid[j]->val;
			const char *val = xb_str_in(k, match) ?
				gr_scalar(g, k, o->kid[j + 1]) : NULL;

			if (val)
				part[!strcmp(k, "goos") ? 0 : !strcmp(k, "goarch") ?
				     1 : 2] = val;
		}
		snprintf(pat, sizeof(pat), "%s/%s%s%s", part[0], part[1],
			 part[2] ? "/" : "", part[2] ? part[2] : "");
		for (size_t t = 0; t < g->l->ntargets; t++) {
			if (!xb_target_match(pat, &g->l->targets[t]))
				continue;
			hits++;
			g->s = &g->l->targets[t].over;
			for (size_t j = 0; j + 1 < o->n; j += 2)
				if (!xb_str_in(o->kid[j]->val, match) &&
				    !gr_setting(g, o->kid[j]->val, o->kid[j + 1]) &&
				    hits == 1)
					xb_diag(g->c->d, 'w', gpos(g, o->kid[j]),
						"overrides: '%s' is not handled, "
						"skipped", o->kid[j]->val);
		}
		g->s = &g->l->defaults;
		if (!hits)
			xb_diag(g->c->d, 'w', gpos(g, o), "override for %s matches "
				"no target of the build", pat);
	}
}

/* The build's output: <dist>/<id>_<os>_<arch>[_<level>]/<binary><ext>,
 * as GoReleaser lays out its dist folder (arm64's level is v8.0 when
 * goarm64 does not say). */
static void gr_output(struct gr *g, bool flat)
{
	xb_buf b = XB_BUF_INIT;

	xb_buf_addf(&b, "%s/", g->dist ? g->dist : "dist");
	if (!flat)
		xb_buf_addf(&b, "%s_{{ .Os }}_{{ .Arch }}{{ if .Arm }}_{{ .Arm }}"
			    "{{ end }}{{ if .Amd64 }}_{{ .Amd64 }}{{ end }}"
			    "{{ if .Arm64 }}_{{ .Arm64 }}{{ else if eq .Arch "
			    "\"arm64\" }}_v8.0{{ end }}/", g->l->id ? g->l->id :
			    g->project ? g->project : "{name}");
	xb_buf_addf(&b, "%s{ext}", g->binary ? g->binary : "{name}");
	g->l->has_output = true;
	free(g->l->output);
	g->l->output = xb_buf_take(&b);
}

/* Keys of a build read elsewhere or with nothing to do. */
static const char *const gr_build_quiet[] = { "builder", "mod_timestamp",
	NULL };

/* One item of builds: into its own layer. */
static void gr_build(struct lctx *c, struct layer *l, const xb_ynode *b,
		     void *arg)
{
	const struct gr *top = arg;
	struct gr g = { c, l, &l->defaults, top->dist, NULL, top->project };
	const xb_ynode *parts[5] = { NULL }, *over = NULL;
	static const char *const part_keys[] = { "goos", "goarch", "goarm",
		"goamd64", "goarm64", NULL };
	bool flat = false;

	if (b->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', gpos(&g, b), "a build must be a mapping");
		return;
	}
	for (size_t i = 0; i + 1 < b->n; i += 2) {
		const xb_ynode *k = b->kid[i], *v = b->kid[i + 1];
		const char *key = k->val, *val;

		if (gr_setting(&g, key, v))
			continue;
		for (size_t p = 0; part_keys[p]; p++)
			if (!strcmp(key, part_keys[p]))
				parts[p] = v;
		if (xb_str_in(key, part_keys) || xb_str_in(key, gr_build_quiet)) {
			if (!strcmp(key, "builder") && (val = gr_scalar(&g, key, v)) &&
			    strcmp(val, "go"))
				xb_diag(c->d, 'e', gpos(&g, v), "builder '%s' is "
					"not supported (xbuild builds Go)", val);
		} else if (!strcmp(key, "id")) {
			if ((val = gr_scalar(&g, key, v))) {
				xb_set_str(&l->id, val);
				l->id_pos = gpos(&g, v);
			}
		} else if (!strcmp(key, "main")) {
			if ((val = gr_scalar(&g, key, v))) {
				l->has_main = true;
				l->main_pos = gpos(&g, k);
				xb_strv_push(&l->main, val);
			}
		} else if (!strcmp(key, "binary")) {
			if ((g.binary = gr_scalar(&g, key, v)))
				xb_check_tmpl(c, v, g.binary);
		} else if (!strcmp(key, "ignore")) {
			gr_ignore(&g, v);
		} else if (!strcmp(key, "hooks")) {
			gr_hooks(&g, v);
		} else if (!strcmp(key, "overrides")) {
			over = v;
		} else if (!strcmp(key, "no_unique_dist_dir")) {
			flat = (val = gr_scalar(&g, key, v)) && !strcmp(val, "true");
		} else if (!strcmp(key, "x-xbuild")) {
			xb_layer_settings(c, &l->defaults, v, "x-xbuild");
		} else {
			xb_diag(c->d, 'w', gpos(&g, k), "build key '%s' is not "
				"handled, skipped", key);
		}
	}
	gr_targets(&g, b, parts);
	if (over)
		gr_overrides(&g, over);
	if (!l->id && top->project && !(l->id = strdup(top->project)))
		xb_diag(c->d, 'e', gpos(&g, b), "out of memory");
	gr_output(&g, flat);
}

/* With no project_name, GoReleaser names the project after its module:
 * the last element of go.mod's module path beside the file, less a major
 * version suffix (example.com/tool/v2 is "tool").  NULL when none. */
static char *module_name(const char *file)
{
	const char *slash = strrchr(file, '/');
	xb_buf path = XB_BUF_INIT, text = XB_BUF_INIT;
	char *name = NULL;

	if (slash)
		xb_buf_add(&path, file, (size_t)(slash - file + 1));
	xb_buf_adds(&path, "go.mod");
	xb_buf_init(&text, 1u << 20);
	if (!xb_buf_failed(&path) &&
	    !xb_buf_read_file(&text, xb_buf_str(&path), NULL)) {
		for (const char *l = xb_buf_str(&text); l && *l && !name;) {
			size_t n = strcspn(l, "\n");
			if (n > 7 && !strncmp(l, "module ", 7)) {
				const char *m = l + 7, *e = l + n, *last, *prev = NULL;
				while (m < e && (*m == ' ' || *m == '"'))
					m++;
				while (e > m && (e[-1] == ' ' || e[-1] == '"' ||
						 e[-1] == '\r'))
					e--;
				last = m;
				for (const char *q = m; q < e; q++)
					if (*q == '/') {
						prev = last;
						last = q + 1;
					}
				if (prev && last[0] == 'v' && last + 1 < e &&
				    strspn(last + 1, "0123456789") ==
				    (size_t)(e - last - 1)) {
					e = last - 1;
					last = prev;
				}
				if (e > last)
					name = strndup(last, (size_t)(e - last));
			}
			l += n + (l[n] == '\n');
		}
	}
	xb_buf_release(&path);
	xb_buf_release(&text);
	return name;
}

/* No builds: one, of the project's main package for the default
 * targets. */
static void gr_default_build(struct gr *g, const xb_ynode *root)
{
	struct layer *b = calloc(1, sizeof(*b));
	struct gr bg = *g;
	const xb_ynode *none[5] = { NULL };

	if (!b) {
		xb_diag(g->c->d, 'e', gpos(g, root), "out of memory");
		return;
	}
	xb_layer_init(b);
	g->l->builds = b;
	g->l->nbuilds = 1;
	g->l->has_builds = true;
	bg.l = b;
	bg.s = &b->defaults;
	gr_targets(&bg, root, none);
	if (g->project && !(b->id = strdup(g->project)))
		xb_diag(g->c->d, 'e', gpos(g, root), "out of memory");
	gr_output(&bg, false);
}

/* before: {hooks: [...]} */
static void gr_before(struct gr *g, const xb_ynode *v)
{
	g->l->has_before = true;
	if (v->type != XB_Y_MAP) {
		xb_diag(g->c->d, 'e', gpos(g, v), "before must be a mapping "
			"(hooks:)");
		return;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2)
		if (!strcmp(v->kid[i]->val, "hooks"))
			gr_hook_list(g, &g->l->before, "hooks", v->kid[i + 1]);
		else
			xb_diag(g->c->d, 'w', gpos(g, v->kid[i]), "before: '%s' is "
				"not handled, skipped", v->kid[i]->val);
}

/* snapshot: {version_template: ...} (version 1: name_template) */
static void gr_snapshot(struct gr *g, const xb_ynode *v)
{
	const char *t;

	if (v->type != XB_Y_MAP) {
		xb_diag(g->c->d, 'e', gpos(g, v), "snapshot must be a mapping "
			"(version_template:)");
		return;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const char *key = v->kid[i]->val;

		if (strcmp(key, "version_template") && strcmp(key, "name_template")) {
			xb_diag(g->c->d, 'w', gpos(g, v->kid[i]), "snapshot: '%s' "
				"is not handled, skipped", key);
		} else if ((t = gr_scalar(g, key, v->kid[i + 1]))) {
			xb_check_tmpl(g->c, v->kid[i + 1], t);
			xb_set_str(&g->l->snapshot_version, t);
			g->l->snapshot_pos = gpos(g, v->kid[i + 1]);
		}
	}
}

/* sboms: xbuild writes one SBOM per binary itself, from the binary's
 * build info (the sbom setting), instead of running a scanner; the keys
 * that configure the scanner are said once. */
static void gr_sboms(struct gr *g, const xb_ynode *v)
{
	static const char *const scanner[] = { "cmd", "args", "env",
		"documents", NULL };
	bool said = false;

	if (v->type != XB_Y_SEQ) {
		xb_diag(g->c->d, 'e', gpos(g, v), "sboms must be a list");
		return;
	}
	if (v->n)
		gr_set(g, v, "sbom", "cyclonedx");
	for (size_t i = 0; i < v->n; i++) {
		const xb_ynode *e = v->kid[i];

		for (size_t j = 0; e->type == XB_Y_MAP && j + 1 < e->n; j += 2) {
			const char *k = e->kid[j]->val;
			const xb_ynode *val = e->kid[j + 1];

			if (xb_str_in(k, scanner) && !said) {
				xb_diag(g->c->d, 'w', gpos(g, e->kid[j]), "sboms: "
					"'%s' skipped: xbuild writes each binary's "
					"CycloneDX SBOM itself, from its build info "
					"(see sbom in xbuild-profile(5))", k);
				said = true;
			} else if (!strcmp(k, "artifacts") &&
				   val->type == XB_Y_SCALAR &&
				   strcmp(val->val, "binary")) {
				xb_diag(g->c->d, 'w', gpos(g, val), "sboms: "
					"artifacts: %s is written as one SBOM per "
					"binary", val->val);
			} else if (!xb_str_in(k, scanner) && strcmp(k, "id") &&
				   strcmp(k, "ids") && strcmp(k, "artifacts")) {
				xb_diag(g->c->d, 'w', gpos(g, e->kid[j]), "sboms: "
					"'%s' is not handled, skipped", k);
			}
		}
	}
}

/* universal_binaries: the builds it names (ids, or id; none: every
 * build) are universal: true. */
static void gr_universal(struct gr *g, const xb_ynode *v)
{
	if (v->type != XB_Y_SEQ) {
		xb_diag(g->c->d, 'e', gpos(g, v), "universal_binaries must be a "
			"list");
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const xb_ynode *u = v->kid[i];
		const char *ids[GR_MAX_PARTS];
		size_t nids = 0, hits = 0;

		if (u->type != XB_Y_MAP)
			continue;
		for (size_t j = 0; j + 1 < u->n; j += 2) {
			const char *k = u->kid[j]->val;

			if (!strcmp(k, "ids"))
				nids = gr_list(g, k, u->kid[j + 1], ids, GR_MAX_PARTS);
			else if (!strcmp(k, "id") && !nids &&
				 (ids[0] = gr_scalar(g, k, u->kid[j + 1])))
				nids = 1;
			else if (!strcmp(k, "replace") && u->kid[j + 1]->type ==
				 XB_Y_SCALAR && !strcmp(u->kid[j + 1]->val, "false"))
				continue; /* what xbuild does */
			else if (strcmp(k, "id"))
				xb_diag(g->c->d, 'w', gpos(g, u->kid[j]),
					"universal_binaries: '%s' is not handled, "
					"skipped (the fat file is named as its "
					"amd64 binary, amd64 made all; the thin "
					"ones stay)", k);
		}
		for (size_t b = 0; b < g->l->nbuilds; b++) {
			struct layer *bl = &g->l->builds[b];
			bool named = !nids;

			for (size_t k = 0; k < nids && !named; k++)
				named = bl->id && !strcmp(bl->id, ids[k]);
			if (named) {
				bl->has_universal = bl->universal = true;
				hits++;
			}
		}
		if (!hits)
			xb_diag(g->c->d, 'w', gpos(g, u), "universal_binaries: no "
				"build has the ids named");
	}
}

void xb_goreleaser_parse(struct lctx *c, struct layer *l, const xb_ynode *root)
{
	struct gr g = { c, l, &l->defaults, NULL, NULL, NULL };
	bool builds = false;
	char *module = NULL;

	if (root->type != XB_Y_MAP) {
		xb_diag(c->d, 'e', gpos(&g, root), "a .goreleaser.yaml must be "
			"a mapping");
		return;
	}
	l->has_version = true;
	l->version = 1;
	/* what the builds need, wherever it is written */
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const char *key = root->kid[i]->val;

		if (!strcmp(key, "dist"))
			g.dist = gr_scalar(&g, key, root->kid[i + 1]);
		else if (!strcmp(key, "project_name"))
			g.project = gr_scalar(&g, key, root->kid[i + 1]);
	}
	if (!g.project && (module = module_name(c->file))) {
		l->has_name = true;
		xb_set_str(&l->name, module);
		l->name_pos = gpos(&g, root);
		g.project = l->name;
	}
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
			if (g.project) {
				l->has_name = true;
				xb_set_str(&l->name, g.project);
				l->name_pos = gpos(&g, k);
			}
		} else if (!strcmp(key, "env")) {
			gr_env(&g, v);
		} else if (!strcmp(key, "builds")) {
			builds = true;
			xb_layer_builds(c, l, v, gr_build, &g);
		} else if (!strcmp(key, "before")) {
			gr_before(&g, v);
		} else if (!strcmp(key, "snapshot")) {
			gr_snapshot(&g, v);
		} else if (!strcmp(key, "sboms")) {
			gr_sboms(&g, v);
		} else if (!strcmp(key, "archives")) {
			xb_parse_archives(c, l, v, AD_GORELEASER);
		} else if (!strcmp(key, "checksum")) {
			xb_parse_checksum(c, l, v, AD_GORELEASER);
		} else if (!strcmp(key, "nfpms")) {
			xb_goreleaser_nfpms(c, &l->packages, v);
		} else if (!xb_str_in(key, gr_top_keys)) {
			xb_diag(c->d, 'w', gpos(&g, k), "'%s' not handled, "
				"skipped", key);
		}
	}
	if (!builds)
		gr_default_build(&g, root);
	for (size_t i = 0; i + 1 < root->n; i += 2)
		if (!strcmp(root->kid[i]->val, "universal_binaries"))
			gr_universal(&g, root->kid[i + 1]);
	xb_archives_goreleaser_defaults(c, l, root);
	free(module);
}
