/* profile-archive.c: the archives: list and the checksum: mapping of a
 * profile, in xbuild's spelling (name:, builds:, format_overrides: as a
 * mapping; an unknown key is an error) or a .goreleaser.yaml's
 * (name_template:, ids:, format_overrides: as a list; an unknown key is a
 * warning, skipped), into a layer.  Templates are checked here and filled
 * by the release; a .goreleaser.yaml gets GoReleaser's defaults. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profile-int.h"

#define MAX_SPECS 64  /* archives: entries */
#define MAX_FILES 256 /* files: entries of one archive */

/* GoReleaser's default name of an archive, and of a binary released as
 * it is (format binary). */
#define GR_NAME_TAIL "_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v" \
	"{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq " \
	".Amd64 \"v1\") }}{{ .Amd64 }}{{ end }}"
static const char gr_name[] = "{{ .ProjectName }}" GR_NAME_TAIL;
static const char gr_binary_name[] = "{{ .Binary }}" GR_NAME_TAIL;
static const char gr_checksum_name[] =
	"{{ .ProjectName }}_{{ .Version }}_checksums.txt";
/* and the files it adds when an archive lists none */
static const char *const gr_files[] = { "license*", "LICENSE*", "readme*",
	"README*", "changelog*", "CHANGELOG*", NULL };

static const char *const x_archive_keys[] = { "id", "builds", "name",
	"formats", "format_overrides", "files", "wrap_in_directory",
	"strip_binary_directory", NULL };
static const char *const x_checksum_keys[] = { "name", "algorithm", "ids",
	"disable", NULL };
static const char *const file_keys[] = { "src", "dst", "strip_parent",
	"info", NULL };
static const char *const info_keys[] = { "mode", "mtime", NULL };

/* Each spelling of a format, and what it is. */
static const char *const format_names[][2] = {
	{ "tar.gz", "tar.gz" }, { "tgz", "tar.gz" }, { "tar.xz", "tar.xz" },
	{ "txz", "tar.xz" }, { "tar.zst", "tar.zst" }, { "tzst", "tar.zst" },
	{ "zip", "zip" }, { "binary", "binary" },
};

struct actx {
	struct lctx *c;
	enum archive_dialect d;
	const char *where; /* "archives", "checksum" */
};

static xb_pos apos(const struct actx *a, const xb_ynode *n)
{
	return (xb_pos){ a->c->file, n->line, n->col };
}

/* A key the section does not know: an error in a profile (with the
 * nearest known key), a warning in a .goreleaser.yaml. */
static void unknown(const struct actx *a, const xb_ynode *k,
		    const char *const *known)
{
	const char *near = xb_closest(k->val, known);

	if (a->d == AD_GORELEASER)
		xb_diag(a->c->d, 'w', apos(a, k), "%s: '%s' not handled, "
			"skipped", a->where, k->val);
	else if (near)
		xb_diag(a->c->d, 'e', apos(a, k), "unknown key '%s' in %s "
			"(did you mean '%s'?)", k->val, a->where, near);
	else
		xb_diag(a->c->d, 'e', apos(a, k), "unknown key '%s' in %s",
			k->val, a->where);
}

static const char *scalar(const struct actx *a, const char *key,
			  const xb_ynode *n)
{
	if (n->type != XB_Y_SCALAR || !*n->val) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: %s must be a single "
			"value", a->where, key);
		return NULL;
	}
	return n->val;
}

static bool boolean(const struct actx *a, const char *key, const xb_ynode *n,
		    bool *out)
{
	const char *v = scalar(a, key, n);

	if (v && (!strcmp(v, "true") || !strcmp(v, "false"))) {
		*out = !strcmp(v, "true");
		return true;
	}
	if (v)
		xb_diag(a->c->d, 'e', apos(a, n), "%s: %s must be true or "
			"false, not '%s'", a->where, key, v);
	return false;
}

/* A value or a list of values, appended to out. */
static void strlist(const struct actx *a, const char *key, const xb_ynode *n,
		    xb_strv *out)
{
	const char *v;

	if (n->type == XB_Y_SCALAR) {
		if ((v = scalar(a, key, n)))
			xb_strv_push(out, v);
		return;
	}
	if (n->type != XB_Y_SEQ) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: %s must be a list",
			a->where, key);
		return;
	}
	for (size_t i = 0; i < n->n; i++)
		if ((v = scalar(a, key, n->kid[i])))
			xb_strv_push(out, v);
}

/* formats: each by its canonical name; one xbuild does not write is an
 * error at its line. */
static void formats(const struct actx *a, const char *key, const xb_ynode *n,
		    xb_strv *out)
{
	xb_strv raw = XB_STRV_INIT;

	strlist(a, key, n, &raw);
	for (size_t i = 0; i < raw.n; i++) {
		size_t k = 0, nf = sizeof(format_names) / sizeof(*format_names);

		while (k < nf && strcmp(format_names[k][0], raw.v[i]))
			k++;
		if (k == nf)
			xb_diag(a->c->d, 'e', apos(a, n), "%s: archive format "
				"'%s' is not supported (tar.gz, tgz, tar.xz, "
				"txz, tar.zst, tzst, zip, binary)", a->where,
				raw.v[i]);
		else if (!xb_strv_contains(out, format_names[k][1]))
			xb_strv_push(out, format_names[k][1]);
	}
	xb_strv_release(&raw);
}

static void add_override(xb_archive_spec *s, const char *goos,
			 const xb_strv *f)
{
	xb_archive_override *o = realloc(s->overrides, (s->noverrides + 1) *
					 sizeof(*o));

	if (!o)
		return;
	s->overrides = o;
	o = &o[s->noverrides++];
	o->goos = strdup(goos);
	xb_strv_init(&o->formats);
	xb_strv_pushsv(&o->formats, f);
}

/* format_overrides: a mapping GOOS: formats (a profile), or a list of
 * {goos, formats (or format)} (a .goreleaser.yaml). */
static void overrides(const struct actx *a, xb_archive_spec *s,
		      const xb_ynode *n)
{
	bool map = a->d == AD_XBUILD;

	if (n->type != (map ? XB_Y_MAP : XB_Y_SEQ)) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: format_overrides must "
			"be %s", a->where, map ? "a mapping of GOOS to formats"
			: "a list of {goos, formats}");
		return;
	}
	for (size_t i = 0; i < n->n; i += map ? 2 : 1) {
		const xb_ynode *e = n->kid[i], *goos = map ? e : NULL;
		xb_strv f = XB_STRV_INIT;

		if (map) {
			formats(a, "formats", n->kid[i + 1], &f);
		} else if (e->type != XB_Y_MAP) {
			xb_diag(a->c->d, 'e', apos(a, e), "%s: a format override "
				"must be a mapping (goos:, formats:)", a->where);
			continue;
		}
		for (size_t j = 0; !map && j + 1 < e->n; j += 2) {
			const char *k = e->kid[j]->val;
			static const char *const keys[] = { "goos", "formats",
				"format", NULL };
			if (!strcmp(k, "goos"))
				goos = e->kid[j + 1];
			else if (!strcmp(k, "formats") || !strcmp(k, "format"))
				formats(a, k, e->kid[j + 1], &f);
			else
				unknown(a, e->kid[j], keys);
		}
		if (!goos || !scalar(a, "goos", goos))
			xb_diag(a->c->d, 'e', apos(a, e), "%s: a format override "
				"needs a goos", a->where);
		else
			add_override(s, goos->val, &f);
		xb_strv_release(&f);
	}
}

/* A path inside the archive or the project: relative, no "..". */
static bool inside(const char *p)
{
	if (*p == '/')
		return false;
	for (const char *s = p; *s;) {
		size_t k = strcspn(s, "/");
		if (k == 2 && !strncmp(s, "..", 2))
			return false;
		s += k + (s[k] == '/');
	}
	return true;
}

/* "2008-01-02T15:04:05Z" (or with +hh:mm or -hh:mm), or seconds. */
static bool parse_time(const char *v, long long *out)
{
	struct tm tm;
	char *end;
	int oh = 0, om = 0, sign = 1;

	if (isdigit((unsigned char)*v) && !strchr(v, '-')) {
		long long t = strtoll(v, &end, 10);
		*out = t;
		return !*end && t >= 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return false;
	if (*end == '.')
		while (isdigit((unsigned char)*++end))
			;
	if (*end == '+' || *end == '-') {
		sign = *end == '-' ? -1 : 1;
		if (sscanf(end + 1, "%2d:%2d", &oh, &om) != 2 || strlen(end) != 6)
			return false;
	} else if (strcmp(end, "Z")) {
		return false;
	}
	*out = (long long)timegm(&tm) - sign * (oh * 3600LL + om * 60LL);
	return *out >= 0; /* archives hold no time before 1970 */
}

/* info: mode (octal) and mtime. */
static void file_info(const struct actx *a, xb_archive_file *f,
		      const xb_ynode *n)
{
	if (n->type != XB_Y_MAP) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: info must be a mapping",
			a->where);
		return;
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const char *k = n->kid[i]->val, *v;
		const xb_ynode *val = n->kid[i + 1];
		char *end;

		if (!xb_str_in(k, info_keys)) {
			unknown(a, n->kid[i], info_keys);
		} else if (!(v = scalar(a, k, val))) {
			continue;
		} else if (!strcmp(k, "mode")) {
			long m = strtol(v + (!strncmp(v, "0o", 2) ? 2 : 0), &end, 8);
			if (*end || m < 0 || m > 07777)
				xb_diag(a->c->d, 'e', apos(a, val), "%s: mode "
					"'%s' is not octal permission bits "
					"(0644)", a->where, v);
			else
				f->mode = (int)m;
		} else if (!parse_time(v, &f->mtime)) {
			xb_diag(a->c->d, 'e', apos(a, val), "%s: mtime '%s' is "
				"not a time (2008-01-02T15:04:05Z)", a->where, v);
		} else {
			f->has_mtime = true;
		}
	}
}

/* One files: entry: a glob, or {src, dst, strip_parent, info}. */
static void one_file(const struct actx *a, xb_archive_file *f,
		     const xb_ynode *n)
{
	memset(f, 0, sizeof(*f));
	f->mode = -1;
	if (n->type == XB_Y_SCALAR) {
		if (scalar(a, "files", n))
			f->src = strdup(n->val);
	} else if (n->type != XB_Y_MAP) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: a files entry is a glob "
			"or a mapping (src:, dst:, info:)", a->where);
	}
	for (size_t i = 0; n->type == XB_Y_MAP && i + 1 < n->n; i += 2) {
		const char *k = n->kid[i]->val, *v;
		const xb_ynode *val = n->kid[i + 1];

		if (!xb_str_in(k, file_keys))
			unknown(a, n->kid[i], file_keys);
		else if (!strcmp(k, "info"))
			file_info(a, f, val);
		else if (!strcmp(k, "strip_parent"))
			boolean(a, k, val, &f->strip_parent);
		else if ((v = scalar(a, k, val)))
			xb_set_str(!strcmp(k, "src") ? &f->src : &f->dst, v);
	}
	if (!f->src && n->type == XB_Y_MAP)
		xb_diag(a->c->d, 'e', apos(a, n), "%s: a files entry needs src",
			a->where);
	if ((f->src && !inside(f->src)) || (f->dst && !inside(f->dst)))
		xb_diag(a->c->d, 'e', apos(a, n), "%s: '%s' leaves the %s "
			"(a relative path without '..')", a->where,
			f->src && !inside(f->src) ? f->src : f->dst,
			f->src && !inside(f->src) ? "project" : "archive");
}

static void free_files(xb_archive_spec *s)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].src);
		free(s->files[i].dst);
	}
	free(s->files);
	s->files = NULL;
	s->nfiles = 0;
}

static void add_files(xb_archive_spec *s, const struct actx *a,
		      const xb_ynode *n)
{
	size_t k = n->type == XB_Y_SEQ ? n->n : 0;

	if (n->type != XB_Y_SEQ) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: files must be a list",
			a->where);
		return;
	}
	if (k > MAX_FILES) {
		xb_diag(a->c->d, 'e', apos(a, n), "%s: more than %d files "
			"entries", a->where, MAX_FILES);
		return;
	}
	free_files(s); /* a key given twice: the last one counts */
	s->files = calloc(k ? k : 1, sizeof(*s->files));
	for (size_t i = 0; s->files && i < k; i++)
		one_file(a, &s->files[s->nfiles++], n->kid[i]);
}

/* wrap_in_directory: true, false, or a template of the folder's name. */
static void wrap(const struct actx *a, xb_archive_spec *s, const xb_ynode *n)
{
	const char *v = scalar(a, "wrap_in_directory", n);

	if (!v || !strcmp(v, "false"))
		return;
	xb_set_str(&s->wrap, strcmp(v, "true") ? v : "");
	xb_check_tmpl(a->c, n, v);
}

/* One key k (value v) of an archive. */
static void archive_key(const struct actx *a, xb_archive_spec *s,
			const xb_ynode *k, const xb_ynode *v, bool *has_files)
{
	const char *key = k->val, *val;
	bool gr = a->d == AD_GORELEASER;

	if (!strcmp(key, "id")) {
		if ((val = scalar(a, key, v)))
			xb_set_str(&s->id, val);
	} else if (!strcmp(key, gr ? "ids" : "builds") ||
		   (gr && !strcmp(key, "builds"))) {
		strlist(a, key, v, &s->builds);
	} else if (!strcmp(key, gr ? "name_template" : "name")) {
		if ((val = scalar(a, key, v))) {
			xb_set_str(&s->name, val);
			xb_check_tmpl(a->c, v, val);
		}
	} else if (!strcmp(key, "formats") || (gr && !strcmp(key, "format"))) {
		formats(a, key, v, &s->formats);
	} else if (!strcmp(key, "format_overrides")) {
		overrides(a, s, v);
	} else if (!strcmp(key, "files")) {
		*has_files = true;
		add_files(s, a, v);
	} else if (!strcmp(key, "wrap_in_directory")) {
		wrap(a, s, v);
	} else if (!strcmp(key, "strip_binary_directory")) {
		boolean(a, key, v, &s->strip_binary_directory);
	} else {
		unknown(a, k, x_archive_keys);
	}
}

/* GoReleaser's defaults of what an archive leaves out. */
static void gr_defaults(xb_archive_spec *s, bool has_files)
{
	if (!s->formats.n)
		xb_strv_push(&s->formats, "tar.gz");
	if (!s->name)
		xb_set_str(&s->name, !strcmp(s->formats.v[0], "binary") ?
			   gr_binary_name : gr_name);
	if (!has_files) {
		size_t k = sizeof(gr_files) / sizeof(*gr_files) - 1;
		s->files = calloc(k, sizeof(*s->files));
		for (size_t i = 0; s->files && i < k; i++) {
			s->files[i].src = strdup(gr_files[i]);
			s->files[i].mode = -1;
			s->nfiles++;
		}
	}
}

static void one_archive(const struct actx *a, xb_archive_spec *s,
			const xb_ynode *n)
{
	bool has_files = false;

	memset(s, 0, sizeof(*s));
	xb_strv_init(&s->builds);
	xb_strv_init(&s->formats);
	s->pos = apos(a, n);
	if (n->type != XB_Y_MAP)
		xb_diag(a->c->d, 'e', apos(a, n), "archives: an archive must be "
			"a mapping");
	for (size_t i = 0; n->type == XB_Y_MAP && i + 1 < n->n; i += 2)
		archive_key(a, s, n->kid[i], n->kid[i + 1], &has_files);
	if (!s->id)
		xb_set_str(&s->id, "default");
	if (a->d == AD_GORELEASER)
		gr_defaults(s, has_files);
	else if (!s->formats.n)
		xb_strv_push(&s->formats, "tar.gz");
}

void xb_archive_spec_release(xb_archive_spec *s)
{
	free(s->id);
	free(s->name);
	free(s->wrap);
	xb_strv_release(&s->builds);
	xb_strv_release(&s->formats);
	for (size_t i = 0; i < s->noverrides; i++) {
		free(s->overrides[i].goos);
		xb_strv_release(&s->overrides[i].formats);
	}
	free(s->overrides);
	free_files(s);
	memset(s, 0, sizeof(*s));
}

void xb_archive_specs_free(xb_archive_spec *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		xb_archive_spec_release(&a[i]);
	free(a);
}

void xb_checksum_spec_free(xb_checksum_spec *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->algorithm);
	xb_strv_release(&c->ids);
	free(c);
}

void xb_parse_archives(struct lctx *c, struct layer *l, const xb_ynode *v,
		       enum archive_dialect d)
{
	struct actx a = { c, d, "archives" };
	size_t n = v->type == XB_Y_SEQ ? v->n : 0;

	xb_archive_specs_free(l->archives, l->narchives);
	l->archives = NULL;
	l->narchives = 0;
	l->has_archives = true;
	if (v->type != XB_Y_SEQ) {
		xb_diag(c->d, 'e', apos(&a, v), "archives must be a list");
		return;
	}
	if (n > MAX_SPECS) {
		xb_diag(c->d, 'e', apos(&a, v), "archives: more than %d "
			"entries", MAX_SPECS);
		return;
	}
	l->archives = calloc(n ? n : 1, sizeof(*l->archives));
	for (size_t i = 0; l->archives && i < n; i++) {
		one_archive(&a, &l->archives[l->narchives++], v->kid[i]);
		for (size_t k = 0; k + 1 < l->narchives; k++)
			if (!strcmp(l->archives[k].id, l->archives[i].id))
				xb_diag(c->d, 'e', apos(&a, v->kid[i]), "archives: "
					"id '%s' is used twice (give each "
					"archive its own id)", l->archives[i].id);
	}
}

void xb_parse_checksum(struct lctx *c, struct layer *l, const xb_ynode *v,
		       enum archive_dialect d)
{
	struct actx a = { c, d, "checksum" };
	xb_checksum_spec *cs = calloc(1, sizeof(*cs));
	bool gr = d == AD_GORELEASER;

	if (!cs)
		return;
	xb_strv_init(&cs->ids);
	cs->pos = apos(&a, v);
	xb_checksum_spec_free(l->checksum);
	l->checksum = cs;
	if (v->type != XB_Y_MAP)
		xb_diag(c->d, 'e', apos(&a, v), "checksum must be a mapping");
	for (size_t i = 0; v->type == XB_Y_MAP && i + 1 < v->n; i += 2) {
		const xb_ynode *k = v->kid[i], *n = v->kid[i + 1];
		const char *val;

		if (!strcmp(k->val, gr ? "name_template" : "name")) {
			if ((val = scalar(&a, k->val, n))) {
				xb_set_str(&cs->name, val);
				xb_check_tmpl(c, n, val);
			}
		} else if (!strcmp(k->val, "algorithm")) {
			if (!(val = scalar(&a, k->val, n)))
				continue;
			if (strcmp(val, "sha256") && strcmp(val, "sha512"))
				xb_diag(c->d, 'e', apos(&a, n), "checksum: "
					"algorithm '%s' is not supported "
					"(sha256 or sha512)", val);
			else
				xb_set_str(&cs->algorithm, val);
		} else if (!strcmp(k->val, "ids")) {
			strlist(&a, k->val, n, &cs->ids);
		} else if (!strcmp(k->val, "disable")) {
			boolean(&a, k->val, n, &cs->disable);
		} else {
			unknown(&a, k, x_checksum_keys);
		}
	}
	if (!cs->algorithm)
		xb_set_str(&cs->algorithm, "sha256");
	if (gr && !cs->name)
		xb_set_str(&cs->name, gr_checksum_name);
}

void xb_archives_goreleaser_defaults(struct lctx *c, struct layer *l,
				     const xb_ynode *root)
{
	static const xb_ynode empty = { .type = XB_Y_MAP };
	struct actx a = { c, AD_GORELEASER, "archives" };

	if (!l->has_archives && (l->archives = calloc(1, sizeof(*l->archives)))) {
		one_archive(&a, &l->archives[0], &empty);
		l->archives[0].pos = apos(&a, root);
		l->narchives = 1;
		l->has_archives = true;
	}
	if (!l->checksum)
		xb_parse_checksum(c, l, &empty, AD_GORELEASER);
}
