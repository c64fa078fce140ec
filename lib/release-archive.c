/* release-archive.c: the archives of a profile's archives: list and the
 * name of its checksum file, laid out before anything is built: one
 * archive per entry, target and format, holding every binary of that
 * target of the builds the entry names and the project files its files:
 * globs find, named by its templates; format binary releases the binary
 * as it is, renamed.  Packing happens in release.c. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "release.h"
#include "tmpl.h"

struct actx {
	xb_release *r;
	const xb_profile *p;
	const xb_plan *plans;
	xb_err *err;
	xb_tmpl_vars v;
	xb_buf target;         /* .Target's text */
	char *binary;          /* .Binary's */
};

/* text filled with the fields in a->v, into *out (caller frees). */
static xb_code fill(struct actx *a, const char *what, const char *text,
		    char **out)
{
	xb_err e = XB_ERR_INIT;
	size_t at = 0;

	if (!xb_tmpl_expand(text, &a->v, out, &at, &e))
		return XB_OK;
	if (e.code == XB_ERR_NOMEM)
		return xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	return xb_fail(a->err, XB_ERR_USAGE, "the template of %s '%s': %s (at "
		       "byte %zu)", what, text, xb_errmsg(&e), at + 1);
}

/* .Binary of the binary at rel: its file name less ".exe". */
static void set_binary(struct actx *a, const char *rel)
{
	const char *base = strrchr(rel, '/');
	size_t k;

	base = base ? base + 1 : rel;
	k = strlen(base);
	if (k > 4 && !strcmp(base + k - 4, ".exe"))
		k -= 4;
	free(a->binary);
	a->binary = strndup(base, k);
	a->v.binary = a->binary;
	a->v.project_name = a->p->name ? a->p->name : a->binary;
}

/* Its name in an archive: its path below the target's folder (the first
 * part of rel), or its file name alone (strip_binary_directory). */
static const char *name_in(const char *rel, bool strip)
{
	const char *s = strip ? strrchr(rel, '/') : strchr(rel, '/');

	return s ? s + 1 : rel;
}

static bool selected(const xb_archive_spec *s, const xb_plan *pl)
{
	return !pl->build_id || !s->builds.n ||
	       xb_strv_contains(&s->builds, pl->build_id);
}

static const xb_strv *formats_of(const xb_archive_spec *s, const char *goos)
{
	for (size_t i = 0; i < s->noverrides; i++)
		if (!strcmp(s->overrides[i].goos, goos))
			return &s->overrides[i].formats;
	return &s->formats;
}

/* path is free for an archive: inside the folder, no binary's, no other
 * archive's, not manifest.json. */
static xb_code free_path(struct actx *a, const char *path, const char *what)
{
	if (!xb_release_inside(path))
		return xb_fail(a->err, XB_ERR_USAGE, "%s name '%s' is not a "
			       "path inside the release folder (fix its name "
			       "template)", what, path);
	if (!strcmp(path, "manifest.json"))
		return xb_fail(a->err, XB_ERR_USAGE, "%s name '%s' is a name "
			       "the release uses itself", what, path);
	for (size_t i = 0; i < a->r->n; i++)
		if (!strcmp(a->r->rels[i], path))
			return xb_fail(a->err, XB_ERR_USAGE, "%s '%s' would "
				       "overwrite a binary", what, path);
	for (size_t i = 0; i < a->r->narchives; i++)
		if (!strcmp(a->r->archives[i].path, path))
			return xb_fail(a->err, XB_ERR_USAGE, "%s '%s' would "
				       "overwrite an archive (put the target's "
				       "fields, {{ .Os }} {{ .Arch }}, in the "
				       "archives' name templates)", what, path);
	return XB_OK;
}

static xb_code new_archive(struct actx *a, const char *path,
			   const char *format, const xb_plan *pl,
			   const xb_archive_spec *s, xb_release_archive **out)
{
	xb_code rc = free_path(a, path, "archive");

	if (rc)
		return rc;
	if (!(*out = xb_release_archive_at(a->r, path, format, pl->target)))
		return xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	(*out)->id = s->id;
	(*out)->asset = true;
	return XB_OK;
}

/* Where a match m of the files: entry f goes in the archive. */
static void file_name(const xb_archive_file *f, const char *m, xb_buf *b)
{
	const char *base = strrchr(m, '/'), *rest = m;

	base = base ? base + 1 : m;
	if (f->dst) {
		/* below dst: the match less the glob's fixed folders */
		size_t fixed = strcspn(f->src, "*?[");
		const char *slash = NULL;
		for (size_t i = 0; i < fixed; i++)
			if (f->src[i] == '/')
				slash = f->src + i;
		if (slash && !strncmp(m, f->src, (size_t)(slash - f->src) + 1))
			rest = m + (slash - f->src) + 1;
		xb_buf_addf(b, "%s/", f->dst);
	}
	xb_buf_adds(b, f->strip_parent ? base : rest);
}

/* One match m: a regular file, once under each name. */
static xb_code add_match(struct actx *a, xb_release_archive *ar,
			 const xb_archive_file *f, const char *m,
			 const char *prefix)
{
	xb_buf name = XB_BUF_INIT;
	struct stat st;
	size_t k = ar->files.n;
	int *modes;
	long long *times;

	if (stat(m, &st) < 0 || !S_ISREG(st.st_mode))
		return XB_OK;
	xb_buf_adds(&name, prefix);
	file_name(f, m, &name);
	if (xb_buf_failed(&name))
		return xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	if (xb_strv_contains(&ar->file_names, xb_buf_str(&name))) {
		xb_buf_release(&name);
		return XB_OK;
	}
	modes = realloc(ar->file_modes, (k + 1) * sizeof(*modes));
	if (modes)
		ar->file_modes = modes;
	times = realloc(ar->file_mtimes, (k + 1) * sizeof(*times));
	if (times)
		ar->file_mtimes = times;
	if (!modes || !times || xb_strv_push(&ar->files, m) ||
	    xb_strv_push(&ar->file_names, xb_buf_str(&name))) {
		xb_buf_release(&name);
		return xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	}
	modes[k] = f->mode >= 0 ? f->mode : st.st_mode & 0111 ? 0755 : 0644;
	times[k] = f->has_mtime ? f->mtime : -1;
	xb_buf_release(&name);
	return XB_OK;
}

/* The files: of s into ar, each name after prefix (the wrapping
 * folder). */
static xb_code add_files(struct actx *a, const xb_archive_spec *s,
			 xb_release_archive *ar, const char *prefix)
{
	xb_code rc = XB_OK;

	for (size_t i = 0; !rc && i < s->nfiles; i++) {
		const xb_archive_file *f = &s->files[i];
		glob_t g;
		int gr;

		if (!f->src)
			continue;
		memset(&g, 0, sizeof(g));
		gr = glob(f->src, GLOB_ERR, NULL, &g);
		if (gr && gr != GLOB_NOMATCH)
			rc = xb_fail(a->err, XB_ERR_IO, "archive '%s': cannot "
				     "read the files of '%s'", ar->path, f->src);
		for (size_t k = 0; !rc && !gr && k < g.gl_pathc; k++)
			rc = add_match(a, ar, f, g.gl_pathv[k], prefix);
		globfree(&g);
	}
	return rc;
}

/* The archive of format of s for the target of plans[first]: name is
 * its name less the extension. */
static xb_code pack_target(struct actx *a, const xb_archive_spec *s,
			   size_t first, const char *format, const char *name)
{
	const xb_plan *pl = &a->plans[first];
	xb_buf path = XB_BUF_INIT, prefix = XB_BUF_INIT;
	xb_release_archive *ar;
	char *wrap = NULL;
	xb_code rc;

	xb_buf_addf(&path, "%s.%s", name, format);
	if (s->wrap && *s->wrap)
		rc = fill(a, "wrap_in_directory", s->wrap, &wrap);
	else
		rc = XB_OK;
	if (s->wrap)
		xb_buf_addf(&prefix, "%s/", wrap ? wrap :
			    strrchr(name, '/') ? strrchr(name, '/') + 1 : name);
	else
		xb_buf_adds(&prefix, "");
	if (!rc && (xb_buf_failed(&path) || xb_buf_failed(&prefix)))
		rc = xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = new_archive(a, xb_buf_str(&path), format, pl, s, &ar);
	for (size_t k = first; !rc && k < a->r->n; k++) {
		xb_buf e = XB_BUF_INIT;
		if (strcmp(a->plans[k].target, pl->target) ||
		    !selected(s, &a->plans[k]))
			continue;
		xb_buf_addf(&e, "%s%s", xb_buf_str(&prefix),
			    name_in(a->r->rels[k], s->strip_binary_directory));
		if (xb_buf_failed(&e) || xb_strv_push(&ar->srcs, a->r->rels[k]) ||
		    xb_strv_push(&ar->names, xb_buf_str(&e)))
			rc = xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
		xb_buf_release(&e);
	}
	if (!rc)
		rc = add_files(a, s, ar, xb_buf_str(&prefix));
	free(wrap);
	xb_buf_release(&path);
	xb_buf_release(&prefix);
	return rc;
}

/* The name of s's archive (less its extension) for the binary at rel,
 * into out: its template filled, else the archives setting's name. */
static xb_code archive_name(struct actx *a, const xb_archive_spec *s,
			    const char *rel, xb_buf *out)
{
	char *x = NULL;
	xb_code rc = XB_OK;

	if (s->name && !(rc = fill(a, "an archive name", s->name, &x)))
		xb_buf_adds(out, x);
	else if (!s->name)
		xb_release_default_name(rel, out);
	free(x);
	if (!rc && xb_buf_failed(out))
		rc = xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	return rc;
}

/* Format binary: each binary of the target as it is, under its name
 * (".exe" added on windows). */
static xb_code raw_target(struct actx *a, const xb_archive_spec *s,
			  size_t first)
{
	const xb_plan *pl = &a->plans[first];
	xb_code rc = XB_OK;

	for (size_t k = first; !rc && k < a->r->n; k++) {
		xb_buf path = XB_BUF_INIT;
		xb_release_archive *ar;

		if (strcmp(a->plans[k].target, pl->target) ||
		    !selected(s, &a->plans[k]))
			continue;
		set_binary(a, a->r->rels[k]);
		rc = archive_name(a, s, a->r->rels[k], &path);
		if (!rc && !strcmp(pl->goos, "windows") &&
		    xb_buf_adds(&path, ".exe"))
			rc = xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
		if (!rc)
			rc = new_archive(a, xb_buf_str(&path), "binary",
					 &a->plans[k], s, &ar);
		if (!rc && (xb_strv_push(&ar->srcs, a->r->rels[k]) ||
			    xb_strv_push(&ar->names, xb_buf_str(&path))))
			rc = xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
		xb_buf_release(&path);
	}
	return rc;
}

/* The archives of s for the target of plans[first], its first plan. */
static xb_code one_target(struct actx *a, const xb_archive_spec *s,
			  size_t first)
{
	const xb_plan *pl = &a->plans[first];
	const xb_strv *f = formats_of(s, pl->goos);
	xb_code rc = XB_OK;

	xb_tmpl_set_target(&a->v, pl->goos, pl->goarch, pl->variant, &a->target);
	for (size_t i = 0; !rc && i < f->n; i++) {
		xb_buf name = XB_BUF_INIT;

		set_binary(a, a->r->rels[first]);
		if (!strcmp(f->v[i], "binary")) {
			rc = raw_target(a, s, first);
			continue;
		}
		rc = archive_name(a, s, a->r->rels[first], &name);
		if (!rc)
			rc = pack_target(a, s, first, f->v[i], xb_buf_str(&name));
		xb_buf_release(&name);
	}
	return rc;
}

/* Every archive of the archives: list, in place of the targets'. */
static xb_code lay_out(struct actx *a)
{
	xb_code rc = XB_OK;

	xb_release_archives_clear(a->r);
	for (size_t s = 0; !rc && s < a->p->narchives; s++) {
		const xb_archive_spec *sp = &a->p->archives[s];
		for (size_t i = 0; !rc && i < a->r->n; i++) {
			bool seen = false;
			if (!selected(sp, &a->plans[i]))
				continue;
			for (size_t j = 0; j < i && !seen; j++)
				seen = selected(sp, &a->plans[j]) &&
				       !strcmp(a->plans[j].target,
					       a->plans[i].target);
			if (!seen)
				rc = one_target(a, sp, i);
		}
	}
	return rc;
}

/* The checksum file's name, and which archives it lists. */
static xb_code checksum(struct actx *a)
{
	const xb_checksum_spec *c = a->p->checksum;
	xb_code rc = XB_OK;

	a->r->algorithm = c ? c->algorithm : "sha256";
	if (c && c->disable)
		return XB_OK;
	a->v.os = a->v.arch = a->v.arm = a->v.amd64 = a->v.arm64 = NULL;
	a->v.mips = a->v.target = a->v.binary = NULL;
	if (c && c->name)
		rc = fill(a, "the checksum name", c->name, &a->r->sums);
	else if (!(a->r->sums = strdup("SHA256SUMS")))
		rc = xb_fail(a->err, XB_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = free_path(a, a->r->sums, "checksum file");
	for (size_t i = 0; c && c->ids.n && i < a->r->narchives; i++) {
		xb_release_archive *ar = &a->r->archives[i];
		ar->asset = !ar->id || xb_strv_contains(&c->ids, ar->id);
	}
	return rc;
}

xb_code xb_release_assets(xb_release *r, const xb_profile *p,
			  const xb_plan *plans, const xb_relver *rv,
			  xb_err *err)
{
	struct actx a = { r, p, plans, err, { 0 }, XB_BUF_INIT, NULL };
	xb_code rc;

	if (!p->has_archives && !p->checksum)
		return XB_OK;
	r->assets = true;
	if (!(r->raw = calloc(r->n ? r->n : 1, sizeof(*r->raw))))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	if (rv)
		xb_tmpl_set_release(&a.v, rv);
	else
		a.v.version = a.v.raw_version = a.v.tag = "dev";
	if (p->has_archives) {
		rc = lay_out(&a);
	} else {
		/* the targets' archives, else their binaries as they are */
		for (size_t i = 0; i < r->narchives; i++)
			r->archives[i].asset = true;
		for (size_t i = 0; i < r->n; i++)
			r->raw[i] = plans[i].archives.n == 0;
		rc = XB_OK;
	}
	if (!rc && r->n)
		set_binary(&a, r->rels[0]);
	if (!rc)
		rc = checksum(&a);
	free(a.binary);
	xb_buf_release(&a.target);
	return rc;
}
