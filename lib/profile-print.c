/* profile-print.c: a resolved profile as YAML (--print: it loads again to
 * the same thing) and as JSON. */
#include <stdio.h>
#include <string.h>

#include "profile-int.h"

static void yq(xb_buf *b, const char *s)
{
	xb_json_quote(b, s, strlen(s));
}

/* A value that ${VAR} expansion will read again: '$' is written "$$". */
static void yq_dollar(xb_buf *b, const char *s, bool dollar)
{
	xb_buf t = XB_BUF_INIT;

	if (!dollar || !strchr(s, '$')) {
		yq(b, s);
		return;
	}
	for (; *s; s++)
		xb_buf_adds(&t, *s == '$' ? "$$" : (char[2]){ *s, 0 });
	if (xb_buf_failed(&t))
		xb_buf_addb(b, &t); /* b takes the failure */
	else
		yq(b, xb_buf_str(&t));
	xb_buf_release(&t);
}

static void yaml_list_d(xb_buf *b, const xb_strv *v, bool dollar)
{
	xb_buf_adds(b, "[");
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			xb_buf_adds(b, ", ");
		yq_dollar(b, v->v[i], dollar);
	}
	xb_buf_adds(b, "]\n");
}

static void yaml_list(xb_buf *b, const xb_strv *v)
{
	xb_buf_adds(b, "[");
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			xb_buf_adds(b, ", ");
		yq(b, v->v[i]);
	}
	xb_buf_adds(b, "]\n");
}

static void yaml_expect(xb_buf *b, const xb_expect *e, const char *ind)
{
	const char *const strs[] = { "format", e->format, "arch", e->arch,
		"linkage", e->linkage, "libc", e->libc, "interpreter",
		e->interpreter, "max_glibc", e->max_glibc, "relro", e->relro,
		"go_version", e->go_version };
	bool any = false;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i += 2)
		any |= strs[i + 1] != NULL;
	any |= e->needed_set || e->stripped >= 0 || e->pie >= 0 ||
		e->go_settings.n > 0;
	if (!any) {
		xb_buf_adds(b, " {}\n");
		return;
	}
	xb_buf_adds(b, "\n");
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i += 2) {
		if (!strs[i + 1])
			continue;
		xb_buf_addf(b, "%s  %s: ", ind, strs[i]);
		yq(b, strs[i + 1]);
		xb_buf_adds(b, "\n");
	}
	if (e->needed_set) {
		xb_buf_addf(b, "%s  needed: ", ind);
		yaml_list(b, &e->needed);
	}
	if (e->stripped >= 0)
		xb_buf_addf(b, "%s  stripped: %s\n", ind, e->stripped ? "true" : "false");
	if (e->pie >= 0)
		xb_buf_addf(b, "%s  pie: %s\n", ind, e->pie ? "true" : "false");
	if (e->go_settings.n) {
		xb_buf_addf(b, "%s  go_settings:\n", ind);
		for (size_t i = 0; i < e->go_settings.n; i++) {
			const char *kv = e->go_settings.v[i];
			const char *eq = strchr(kv + (kv[0] == '-'), '=');
			if (!eq)
				continue;
			xb_buf_addf(b, "%s    ", ind);
			xb_json_quote(b, kv, (size_t)(eq - kv));
			xb_buf_adds(b, ": ");
			yq(b, eq + 1);
			xb_buf_adds(b, "\n");
		}
	}
}

static void yaml_settings(xb_buf *b, const xb_settings *s, const char *ind)
{
	for (int i = 0; i < XB_S_COUNT; i++) {
		if (!XB_SETTING_SET(s, i))
			continue;
		/* unset strings are left out, so the output loads again */
		if ((xb_sdefs[i].kind == K_ENUM || xb_sdefs[i].kind == K_STR) &&
		    !CSTR(s, i))
			continue;
		if (xb_sdefs[i].kind == K_BOOL && CINT(s, i) < 0)
			continue;
		xb_buf_addf(b, "%s%s:%s", ind, xb_sdefs[i].name,
			    xb_sdefs[i].kind == K_EXPECT || (xb_sdefs[i].kind ==
			    K_TOOLCHAIN && s->toolchain.n) || (xb_sdefs[i].kind ==
			    K_ENV && s->env.n) ? "" : " ");
		switch (xb_sdefs[i].kind) {
		case K_ENUM:
		case K_STR:
			yq_dollar(b, CSTR(s, i), xb_sdefs[i].expand);
			xb_buf_adds(b, "\n");
			break;
		case K_BOOL:
			xb_buf_addf(b, "%s\n", CINT(s, i) == 1 ? "true" :
				    CINT(s, i) == 0 ? "false" : "null");
			break;
		case K_LIST:
			yaml_list_d(b, CSTRV(s, i), xb_sdefs[i].expand);
			break;
		case K_TOOLCHAIN:
			if (!s->toolchain.n) {
				xb_buf_adds(b, "[]\n");
				break;
			}
			xb_buf_adds(b, "\n");
			for (size_t j = 0; j < s->toolchain.n; j++) {
				const char *at = strchr(s->toolchain.v[j], '@');
				xb_buf_addf(b, "%s  - ", ind);
				if (!at) {
					yq(b, s->toolchain.v[j]);
				} else {
					xb_buf_adds(b, "{archive: ");
					xb_json_quote(b, s->toolchain.v[j],
						      (size_t)(at - s->toolchain.v[j]));
					xb_buf_adds(b, ", sha256: ");
					yq(b, at + 1);
					xb_buf_adds(b, "}");
				}
				xb_buf_adds(b, "\n");
			}
			break;
		case K_ENV:
			if (!s->env.n) {
				xb_buf_adds(b, "{}\n");
				break;
			}
			xb_buf_adds(b, "\n");
			for (size_t j = 0; j < s->env.n; j++) {
				const char *eq = strchr(s->env.v[j], '=');
				xb_buf_addf(b, "%s  %.*s: ", ind,
					    (int)(eq - s->env.v[j]), s->env.v[j]);
				yq_dollar(b, eq + 1, true);
				xb_buf_adds(b, "\n");
			}
			break;
		case K_EXPECT:
			yaml_expect(b, &s->expect, ind);
			break;
		}
	}
}

/* One build's keys (the top level's, or an item of builds: at indent). */
static void yaml_build(xb_buf *b, const xb_profile *p, const char *in)
{
	char in2[16];

	snprintf(in2, sizeof(in2), "%s    ", in);
	if (p->id) {
		xb_buf_addf(b, "%sid: ", in);
		yq(b, p->id);
		xb_buf_adds(b, "\n");
	}
	if (p->name) {
		xb_buf_addf(b, "%sname: ", in);
		yq(b, p->name);
		xb_buf_adds(b, "\n");
	}
	xb_buf_addf(b, "%smain: ", in);
	yaml_list(b, &p->main);
	xb_buf_addf(b, "%soutput: ", in);
	yq_dollar(b, p->output ? p->output : XB_DEFAULT_OUTPUT, true);
	if (p->hooks_pre.n || p->hooks_post.n) {
		xb_buf_addf(b, "\n%shooks:\n%s  pre: ", in, in);
		yaml_list(b, &p->hooks_pre);
		xb_buf_addf(b, "%s  post: ", in);
		yaml_list(b, &p->hooks_post);
	} else {
		xb_buf_adds(b, "\n");
	}
	xb_buf_addf(b, "%sdefaults:\n", in);
	snprintf(in2, sizeof(in2), "%s  ", in);
	yaml_settings(b, &p->defaults, in2);
	xb_buf_addf(b, "%stargets:", in);
	if (!p->ntargets)
		xb_buf_adds(b, " []");
	xb_buf_adds(b, "\n");
	snprintf(in2, sizeof(in2), "%s    ", in);
	for (size_t i = 0; i < p->ntargets; i++) {
		xb_buf_addf(b, "%s  - target: ", in);
		yq(b, p->targets[i].name);
		xb_buf_adds(b, "\n");
		yaml_settings(b, &p->targets[i].s, in2);
	}
}

/* One key: value line at ind, the value quoted; nothing for NULL. */
static void yaml_kq(xb_buf *b, const char *ind, const char *key,
		    const char *v)
{
	if (!v)
		return;
	xb_buf_addf(b, "%s%s: ", ind, key);
	yq(b, v);
	xb_buf_adds(b, "\n");
}

static void yaml_file(xb_buf *b, const xb_archive_file *f)
{
	xb_buf_adds(b, "      - src: ");
	yq(b, f->src ? f->src : "");
	xb_buf_adds(b, "\n");
	yaml_kq(b, "        ", "dst", f->dst);
	if (f->strip_parent)
		xb_buf_adds(b, "        strip_parent: true\n");
	if (f->mode >= 0 || f->has_mtime)
		xb_buf_adds(b, "        info:\n");
	if (f->mode >= 0)
		xb_buf_addf(b, "          mode: \"%04o\"\n", (unsigned)f->mode);
	if (f->has_mtime)
		xb_buf_addf(b, "          mtime: %lld\n", f->mtime);
}

/* archives: and checksum:, as a profile writes them. */
static void yaml_archives(xb_buf *b, const xb_profile *p)
{
	const xb_checksum_spec *c = p->checksum;

	if (p->has_archives)
		xb_buf_addf(b, "archives:%s\n", p->narchives ? "" : " []");
	for (size_t i = 0; p->has_archives && i < p->narchives; i++) {
		const xb_archive_spec *a = &p->archives[i];
		xb_buf_adds(b, "  - id: ");
		yq(b, a->id);
		xb_buf_adds(b, "\n    builds: ");
		yaml_list(b, &a->builds);
		yaml_kq(b, "    ", "name", a->name);
		xb_buf_adds(b, "    formats: ");
		yaml_list(b, &a->formats);
		if (a->noverrides)
			xb_buf_adds(b, "    format_overrides:\n");
		for (size_t k = 0; k < a->noverrides; k++) {
			xb_buf_adds(b, "      ");
			yq(b, a->overrides[k].goos);
			xb_buf_adds(b, ": ");
			yaml_list(b, &a->overrides[k].formats);
		}
		xb_buf_addf(b, "    files:%s\n", a->nfiles ? "" : " []");
		for (size_t k = 0; k < a->nfiles; k++)
			yaml_file(b, &a->files[k]);
		if (a->wrap && !*a->wrap)
			xb_buf_adds(b, "    wrap_in_directory: true\n");
		else
			yaml_kq(b, "    ", "wrap_in_directory", a->wrap);
		xb_buf_addf(b, "    strip_binary_directory: %s\n",
			    a->strip_binary_directory ? "true" : "false");
	}
	if (!c)
		return;
	xb_buf_adds(b, "checksum:\n");
	yaml_kq(b, "  ", "name", c->name);
	yaml_kq(b, "  ", "algorithm", c->algorithm);
	xb_buf_adds(b, "  ids: ");
	yaml_list(b, &c->ids);
	xb_buf_addf(b, "  disable: %s\n", c->disable ? "true" : "false");
}

/* The texts of packages:, by key. */
static void pkg_texts(const xb_pkgconf *c, const char *const **keys,
		      const char *vals[6])
{
	static const char *const k[] = { "name", "maintainer", "description",
		"license", "vendor", "homepage" };

	*keys = k;
	vals[0] = c->name, vals[1] = c->maintainer, vals[2] = c->description;
	vals[3] = c->license, vals[4] = c->vendor, vals[5] = c->homepage;
}

static void yaml_packages(xb_buf *b, const xb_pkgconf *c)
{
	const char *const *keys;
	const char *vals[6];

	pkg_texts(c, &keys, vals);
	xb_buf_adds(b, "packages:\n  formats: ");
	yaml_list(b, &c->formats);
	for (size_t i = 0; i < 6; i++) {
		if (!vals[i])
			continue;
		xb_buf_addf(b, "  %s: ", keys[i]);
		yq(b, vals[i]);
		xb_buf_adds(b, "\n");
	}
	if (c->ncontents)
		xb_buf_adds(b, "  contents:\n");
	for (size_t i = 0; i < c->ncontents; i++) {
		xb_buf_adds(b, "    - src: ");
		yq(b, c->contents[i].src);
		xb_buf_adds(b, "\n      dst: ");
		yq(b, c->contents[i].dst);
		xb_buf_addf(b, "\n      mode: \"%04o\"\n", c->contents[i].mode);
	}
	xb_buf_adds(b, "  dependencies: ");
	yaml_list(b, &c->depends);
}

xb_code xb_profile_yaml(const xb_profile *p, xb_buf *b)
{
	xb_buf_adds(b, "version: 1\n");
	if (p->before.n) {
		xb_buf_adds(b, "before:\n  hooks: ");
		yaml_list(b, &p->before);
	}
	if (p->packages)
		yaml_packages(b, p->packages);
	if (!p->nbuilds)
		yaml_build(b, p, "");
	/* each build whole: the top level's keys are in every one */
	if (p->nbuilds && p->name) {
		xb_buf_adds(b, "name: ");
		yq(b, p->name);
		xb_buf_adds(b, "\n");
	}
	if (p->nbuilds)
		xb_buf_adds(b, "builds:\n");
	for (size_t i = 0; i < p->nbuilds; i++) {
		xb_buf_adds(b, "  -\n");
		yaml_build(b, &p->builds[i], "    ");
	}
	yaml_archives(b, p);
	return xb_buf_failed(b); /* the first append that failed, if any */
}

static void json_expect(xb_json *j, const xb_expect *e)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "format", e->format);
	xb_json_kstr(j, "arch", e->arch);
	xb_json_kstr(j, "linkage", e->linkage);
	xb_json_kstr(j, "libc", e->libc);
	xb_json_kstr(j, "interpreter", e->interpreter);
	xb_json_kstr(j, "max_glibc", e->max_glibc);
	xb_json_kstr(j, "go_version", e->go_version);
	xb_json_key(j, "needed");
	if (e->needed_set) {
		xb_json_arr_begin(j);
		for (size_t i = 0; i < e->needed.n; i++)
			xb_json_str(j, e->needed.v[i]);
		xb_json_arr_end(j);
	} else {
		xb_json_null(j);
	}
	xb_json_key(j, "stripped");
	if (e->stripped < 0)
		xb_json_null(j);
	else
		xb_json_bool(j, e->stripped);
	xb_json_key(j, "pie");
	if (e->pie < 0)
		xb_json_null(j);
	else
		xb_json_bool(j, e->pie);
	xb_json_kstr(j, "relro", e->relro);
	xb_json_key(j, "go_settings");
	xb_json_obj_begin(j);
	for (size_t i = 0; i < e->go_settings.n; i++) {
		const char *kv = e->go_settings.v[i];
		const char *eq = strchr(kv + (kv[0] == '-'), '=');
		char key[256];
		if (!eq || (size_t)(eq - kv) >= sizeof(key))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		xb_json_kstr(j, key, eq + 1);
	}
	xb_json_obj_end(j);
	xb_json_obj_end(j);
}

void xb_expect_json(const xb_expect *e, xb_json *j)
{
	json_expect(j, e);
}

void xb_settings_json(const xb_settings *s, xb_json *j)
{
	xb_json_obj_begin(j);
	for (int i = 0; i < XB_S_COUNT; i++) {
		if (!XB_SETTING_SET(s, i))
			continue;
		switch (xb_sdefs[i].kind) {
		case K_ENUM:
		case K_STR:
			xb_json_kstr(j, xb_sdefs[i].name, CSTR(s, i));
			break;
		case K_BOOL:
			xb_json_key(j, xb_sdefs[i].name);
			if (CINT(s, i) < 0)
				xb_json_null(j);
			else
				xb_json_bool(j, CINT(s, i));
			break;
		case K_LIST:
		case K_TOOLCHAIN:
			xb_json_kstrv(j, xb_sdefs[i].name, CSTRV(s, i));
			break;
		case K_ENV:
			xb_json_key(j, "env");
			xb_json_obj_begin(j);
			for (size_t k = 0; k < s->env.n; k++) {
				const char *eq = strchr(s->env.v[k], '=');
				char key[256];
				snprintf(key, sizeof(key), "%.*s",
					 (int)(eq - s->env.v[k]), s->env.v[k]);
				xb_json_kstr(j, key, eq + 1);
			}
			xb_json_obj_end(j);
			break;
		case K_EXPECT:
			xb_json_key(j, "expect");
			json_expect(j, &s->expect);
			break;
		}
	}
	xb_json_obj_end(j);
}

static void json_archive(xb_json *j, const xb_archive_spec *a)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "id", a->id);
	xb_json_kstrv(j, "builds", &a->builds);
	xb_json_kstr(j, "name", a->name);
	xb_json_kstrv(j, "formats", &a->formats);
	xb_json_key(j, "format_overrides");
	xb_json_obj_begin(j);
	for (size_t k = 0; k < a->noverrides; k++)
		xb_json_kstrv(j, a->overrides[k].goos, &a->overrides[k].formats);
	xb_json_obj_end(j);
	xb_json_key(j, "files");
	xb_json_arr_begin(j);
	for (size_t k = 0; k < a->nfiles; k++) {
		const xb_archive_file *f = &a->files[k];
		xb_json_obj_begin(j);
		xb_json_kstr(j, "src", f->src);
		xb_json_kstr(j, "dst", f->dst);
		xb_json_kbool(j, "strip_parent", f->strip_parent);
		xb_json_key(j, "mode");
		if (f->mode >= 0)
			xb_json_int(j, f->mode);
		else
			xb_json_null(j);
		xb_json_key(j, "mtime");
		if (f->has_mtime)
			xb_json_int(j, f->mtime);
		else
			xb_json_null(j);
		xb_json_obj_end(j);
	}
	xb_json_arr_end(j);
	xb_json_key(j, "wrap_in_directory");
	if (!a->wrap || !*a->wrap)
		xb_json_bool(j, a->wrap != NULL);
	else
		xb_json_str(j, a->wrap);
	xb_json_kbool(j, "strip_binary_directory", a->strip_binary_directory);
	xb_json_obj_end(j);
}

/* "archives" (null: the targets' archives setting applies) and
 * "checksum" (null: SHA256SUMS of every file). */
static void json_archives(xb_json *j, const xb_profile *p)
{
	const xb_checksum_spec *c = p->checksum;

	xb_json_key(j, "archives");
	if (!p->has_archives) {
		xb_json_null(j);
	} else {
		xb_json_arr_begin(j);
		for (size_t i = 0; i < p->narchives; i++)
			json_archive(j, &p->archives[i]);
		xb_json_arr_end(j);
	}
	xb_json_key(j, "checksum");
	if (!c) {
		xb_json_null(j);
		return;
	}
	xb_json_obj_begin(j);
	xb_json_kstr(j, "name", c->name);
	xb_json_kstr(j, "algorithm", c->algorithm);
	xb_json_kstrv(j, "ids", &c->ids);
	xb_json_kbool(j, "disable", c->disable);
	xb_json_obj_end(j);
}

/* One build's keys into the open object. */
static void json_build(const xb_profile *p, xb_json *j)
{
	xb_json_kstr(j, "name", p->name);
	xb_json_kstrv(j, "main", &p->main);
	xb_json_kstr(j, "output", p->output ? p->output : XB_DEFAULT_OUTPUT);
	xb_json_key(j, "hooks");
	xb_json_obj_begin(j);
	xb_json_kstrv(j, "pre", &p->hooks_pre);
	xb_json_kstrv(j, "post", &p->hooks_post);
	xb_json_obj_end(j);
	xb_json_key(j, "defaults");
	xb_settings_json(&p->defaults, j);
	xb_json_key(j, "targets");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < p->ntargets; i++) {
		const xb_target *t = &p->targets[i];
		xb_json_obj_begin(j);
		xb_json_kstr(j, "target", t->name);
		xb_json_kstr(j, "os", t->os);
		xb_json_kstr(j, "arch", t->arch);
		xb_json_kstr(j, "variant", t->variant);
		xb_json_key(j, "settings");
		xb_settings_json(&t->s, j);
		xb_json_obj_end(j);
	}
	xb_json_arr_end(j);
}

/* "packages": an object, or null */
static void json_packages(const xb_pkgconf *c, xb_json *j)
{
	const char *const *keys;
	const char *vals[6];

	xb_json_key(j, "packages");
	if (!c) {
		xb_json_null(j);
		return;
	}
	pkg_texts(c, &keys, vals);
	xb_json_obj_begin(j);
	xb_json_kstrv(j, "formats", &c->formats);
	for (size_t i = 0; i < 6; i++)
		xb_json_kstr(j, keys[i], vals[i]);
	xb_json_key(j, "contents");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < c->ncontents; i++) {
		xb_json_obj_begin(j);
		xb_json_kstr(j, "src", c->contents[i].src);
		xb_json_kstr(j, "dst", c->contents[i].dst);
		xb_json_kint(j, "mode", c->contents[i].mode);
		xb_json_obj_end(j);
	}
	xb_json_arr_end(j);
	xb_json_kstrv(j, "dependencies", &c->depends);
	xb_json_obj_end(j);
}

void xb_profile_json(const xb_profile *p, xb_json *j)
{
	xb_json_obj_begin(j);
	xb_json_kint(j, "version", 1);
	xb_json_kstrv(j, "files", &p->files);
	xb_json_kstrv(j, "before", &p->before);
	xb_json_kstr(j, "snapshot_version", p->snapshot_version);
	json_packages(p->packages, j);
	/* the top level: with builds, its targets are their union */
	json_build(p, j);
	xb_json_key(j, "builds");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < p->nbuilds; i++) {
		xb_json_obj_begin(j);
		xb_json_kstr(j, "id", p->builds[i].id);
		json_build(&p->builds[i], j);
		xb_json_obj_end(j);
	}
	xb_json_arr_end(j);
	json_archives(j, p);
	xb_json_obj_end(j);
}
