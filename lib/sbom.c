/* sbom.c: software bills of materials (CycloneDX 1.5 JSON, SPDX 2.3 JSON)
 * written from what the checker read out of the artifact itself (its Go
 * build info, libc, linkage) and what the plan that built it proved (the C
 * compiler and its hash, the static C libraries of the link), never from
 * go.mod: an SBOM of what was linked, not of what was declared.
 *
 * The document is first gathered into a model (one component per module,
 * library and tool, with its properties), sorted, then written in either
 * format, so that both say the same things.  Equal inputs give equal
 * bytes: the serial number comes from the artifact's hash, the time from
 * the release's epoch.
 *
 * The go.sum hash of a module ("h1:" and base64) is a SHA-256 of Go's list
 * of the module's files and their hashes, not of any file a user can
 * download, so it is written as a property (xbuild:go:h1) rather than as a
 * SHA-256 hash of the component, which would claim a hash that nothing
 * matches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sbom.h"

#define TOOL "xbuild"

/* One component: a Go module, the Go standard library, a C library, or a
 * tool that built the artifact. */
struct comp {
	const char *type;    /* CycloneDX type: "library", "application" */
	const char *purpose; /* SPDX primaryPackagePurpose */
	const char *rel;     /* SPDX: how the artifact relates to it
			      * ("STATIC_LINK", "DYNAMIC_LINK"), or NULL for
			      * a tool (BUILD_TOOL_OF the artifact) */
	char *name, *version, *purl, *sha256; /* owned; NULL: none */
	char *ref;           /* bom-ref, unique in the document */
	xb_strv props;       /* name, value, name, value, ... */
};

struct model {
	const xb_facts *f;
	const xb_goinfo *g;
	const xb_sbom_opts *o;
	struct comp main;    /* the artifact */
	struct comp *c;      /* what it holds or links, sorted */
	size_t n, cap;
	struct comp *tools;  /* what built it, in a fixed order */
	size_t ntools, tcap;
	char serial[46];     /* "urn:uuid:" and the UUID: the CycloneDX
			      * serial number, the SPDX namespace */
	char time[32];       /* "" when none */
	xb_code rc;          /* the first failure */
};

bool xb_sbom_format_ok(const char *format)
{
	return format && (!strcmp(format, "cyclonedx") || !strcmp(format, "spdx"));
}

const char *xb_sbom_suffix(const char *format)
{
	return format && !strcmp(format, "spdx") ? ".spdx.json" : ".cdx.json";
}

/* ---- small pieces ------------------------------------------------------ */

xb_code xb_sbom_uuid(const char *seed, char out[37])
{
	unsigned char d[32];
	char hex[33];
	xb_sha256 h;
	xb_code rc;

	if ((rc = xb_sha256_init(&h)) ||
	    (rc = xb_sha256_update(&h, seed, strlen(seed))) ||
	    (rc = xb_sha256_final(&h, d))) {
		xb_sha256_release(&h);
		return rc;
	}
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x40);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	xb_hex(d, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
	return XB_OK;
}

void xb_purl_encode(xb_buf *b, const char *s, bool keep_slash)
{
	static const char digits[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(".-_~", *p) ||
		    (keep_slash && *p == '/')) {
			xb_buf_addc(b, (char)*p);
		} else {
			xb_buf_addc(b, '%');
			xb_buf_addc(b, digits[*p >> 4]);
			xb_buf_addc(b, digits[*p & 15]);
		}
	}
}

/* "pkg:golang/PATH@VERSION"; no version part for a version that is not
 * one ("(devel)", empty).  Caller frees; NULL when out of memory. */
static char *go_purl(const char *path, const char *version)
{
	xb_buf b = XB_BUF_INIT;

	xb_buf_adds(&b, "pkg:golang/");
	xb_purl_encode(&b, path, true);
	if (version && *version && strcmp(version, "(devel)")) {
		xb_buf_addc(&b, '@');
		xb_purl_encode(&b, version, false);
	}
	return xb_buf_take(&b);
}

static char *dup_or_null(struct model *m, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		m->rc = XB_ERR_NOMEM;
	return d;
}

static void prop(struct model *m, struct comp *c, const char *name,
		 const char *value)
{
	if (!value)
		return;
	if (xb_strv_push(&c->props, name) || xb_strv_push(&c->props, value))
		m->rc = XB_ERR_NOMEM;
}

/* A new component at the end of m->c (or m->tools); NULL when out of
 * memory (m->rc says so). */
static struct comp *add(struct model *m, bool tool, const char *type,
			const char *name, const char *version)
{
	struct comp **v = tool ? &m->tools : &m->c, *c;
	size_t *n = tool ? &m->ntools : &m->n;
	size_t *cap = tool ? &m->tcap : &m->cap;

	if (*n == *cap) {
		size_t grow = *cap ? *cap * 2 : 16;

		if (grow > SIZE_MAX / sizeof(**v) ||
		    !(c = realloc(*v, grow * sizeof(**v)))) {
			m->rc = XB_ERR_NOMEM;
			return NULL;
		}
		*v = c;
		*cap = grow;
	}
	c = &(*v)[(*n)++];
	memset(c, 0, sizeof(*c));
	xb_strv_init(&c->props);
	c->type = type;
	c->purpose = tool || !strcmp(type, "application") ? "APPLICATION"
							  : "LIBRARY";
	c->name = dup_or_null(m, name);
	c->version = dup_or_null(m, version);
	return c;
}

static void comp_release(struct comp *c)
{
	free(c->name);
	free(c->version);
	free(c->purl);
	free(c->sha256);
	free(c->ref);
	xb_strv_release(&c->props);
}

/* ---- the model ---------------------------------------------------------- */

/* The Go release as a package version: "go1.26.0 X:foo" is "1.26.0";
 * NULL when it is not a release ("devel ..."). */
static char *go_release(const char *v)
{
	size_t n;

	if (!v || strncmp(v, "go1", 3))
		return NULL;
	n = strcspn(v + 2, " \t");
	return strndup(v + 2, n);
}

/* The artifact itself: the main module (or package) and what the checker
 * read of its file. */
static void model_main(struct model *m)
{
	const xb_goinfo *g = m->g;
	const xb_facts *f = m->f;
	struct comp *c = &m->main;
	const char *name = g->main.path ? g->main.path :
			   g->path ? g->path : m->o->name;

	xb_strv_init(&c->props);
	c->type = "application";
	c->purpose = "APPLICATION";
	c->rel = "DESCRIBES";
	c->name = dup_or_null(m, name);
	if (g->main.path && g->main.version && *g->main.version)
		c->version = dup_or_null(m, g->main.version);
	if (g->main.path && !(c->purl = go_purl(g->main.path, g->main.version)))
		m->rc = XB_ERR_NOMEM;
	c->sha256 = dup_or_null(m, m->o->sha256);
	prop(m, c, "xbuild:file", m->o->name);
	if (m->o->plan)
		prop(m, c, "xbuild:target", m->o->plan->target);
	prop(m, c, "xbuild:format", f->format);
	prop(m, c, "xbuild:arch", f->arch);
	prop(m, c, "xbuild:linkage", f->linkage);
	prop(m, c, "xbuild:libc", f->libc);
	prop(m, c, "xbuild:glibc_floor", f->glibc_max);
	prop(m, c, "xbuild:interpreter", f->interpreter);
	for (size_t i = 0; i < f->needed.n; i++)
		prop(m, c, "xbuild:needed", f->needed.v[i]);
	prop(m, c, "xbuild:min_macos", f->min_os);
	prop(m, c, "xbuild:go:package", g->path);
	prop(m, c, "xbuild:go:version", g->version);
	if (g->main.sum && *g->main.sum)
		prop(m, c, "xbuild:go:h1", g->main.sum);
	for (size_t i = 0; i < g->settings.n; i++) {
		const char *s = g->settings.v[i], *eq = strchr(s, '=');
		xb_buf k = XB_BUF_INIT;

		xb_buf_adds(&k, "xbuild:go:build:");
		xb_buf_add(&k, s, eq ? (size_t)(eq - s) : strlen(s));
		if (xb_buf_failed(&k))
			m->rc = XB_ERR_NOMEM;
		else
			prop(m, c, xb_buf_str(&k), eq ? eq + 1 : "");
		xb_buf_release(&k);
	}
}

/* One module of the build info.  A module replaced by another module is
 * that one (what was linked), with the module it stands for as a
 * property; one replaced by a folder has no package URL. */
static void model_dep(struct model *m, const xb_gomod *d)
{
	const char *sp = d->replace ? strchr(d->replace, ' ') : NULL;
	char *rpath = sp ? strndup(d->replace, (size_t)(sp - d->replace)) : NULL;
	const char *path = sp ? rpath : d->path;
	const char *version = sp ? sp + 1 : d->version;
	const char *sum = d->replace ? d->replace_sum : d->sum;
	struct comp *c;
	xb_buf was = XB_BUF_INIT;

	if ((sp && !rpath) || !(c = add(m, false, "library", path, version))) {
		m->rc = XB_ERR_NOMEM;
		free(rpath);
		return;
	}
	c->rel = "STATIC_LINK";
	if ((!d->replace || sp) && !(c->purl = go_purl(path, version)))
		m->rc = XB_ERR_NOMEM;
	if (sum && *sum)
		prop(m, c, "xbuild:go:h1", sum);
	if (d->replace) {
		xb_buf_addf(&was, "%s %s", d->path, d->version);
		prop(m, c, sp ? "xbuild:go:replaces" : "xbuild:go:replaced-by",
		     sp ? xb_buf_str(&was) : d->replace);
		if (xb_buf_failed(&was))
			m->rc = XB_ERR_NOMEM;
	}
	xb_buf_release(&was);
	free(rpath);
}

/* Every module of the build info, the standard library and Go. */
static void model_go(struct model *m)
{
	const xb_goinfo *g = m->g;
	struct comp *c;
	char *rel = go_release(g->version);

	for (size_t i = 0; i < g->ndeps; i++)
		model_dep(m, &g->deps[i]);
	if (g->version && (c = add(m, false, "library", "stdlib", rel))) {
		c->rel = "STATIC_LINK";
		if (rel && !(c->purl = go_purl("stdlib", rel)))
			m->rc = XB_ERR_NOMEM;
		prop(m, c, "xbuild:go:version", g->version);
	}
	if (g->version && (c = add(m, true, "application", "go", g->version)))
		prop(m, c, "xbuild:role", "Go toolchain");
	free(rel);
}

/* The library an -extldflags word links, or NULL: "-lssl" is "libssl",
 * "/x/libz.a" is "libz.a", "-l:libfoo.a" is "libfoo.a". */
static const char *lib_name(const char *w, bool static_link, xb_buf *b)
{
	size_t n = strlen(w);

	xb_buf_reset(b);
	if (!strncmp(w, "-l:", 3) && n > 3)
		xb_buf_adds(b, w + 3);
	else if (!strncmp(w, "-l", 2) && n > 2 && static_link)
		xb_buf_addf(b, "lib%s", w + 2);
	else if (w[0] != '-' && n > 2 && !strcmp(w + n - 2, ".a"))
		xb_buf_adds(b, strrchr(w, '/') ? strrchr(w, '/') + 1 : w);
	else
		return NULL;
	return xb_buf_str(b);
}

/* The C side: the compiler the plan proved, the C libraries of a static
 * link, the libc and the shared libraries the checker read. */
static void model_c(struct model *m)
{
	const xb_plan *pl = m->o->plan;
	const xb_facts *f = m->f;
	bool st = f->linkage && strcmp(f->linkage, "dynamic");
	struct comp *c;
	xb_buf b = XB_BUF_INIT;

	if (pl && pl->has_cc && pl->cc.cc &&
	    (c = add(m, true, "application", pl->cc.cc, NULL))) {
		c->sha256 = dup_or_null(m, pl->cc.hash);
		prop(m, c, "xbuild:role", "C compiler");
		prop(m, c, "xbuild:cc:kind", pl->cc.kind);
		prop(m, c, "xbuild:cc:triplet", pl->cc.triplet);
		prop(m, c, "xbuild:cc:libc", pl->cc.libc);
	}
	for (size_t i = 0; pl && i < pl->extldflags.n; i++) {
		const char *w = pl->extldflags.v[i], *name = lib_name(w, st, &b);

		if (name && (c = add(m, false, "library", name, NULL))) {
			c->rel = "STATIC_LINK";
			prop(m, c, "xbuild:linkage", "static");
			prop(m, c, "xbuild:c:link", w);
		}
	}
	if (f->libc && strcmp(f->libc, "none") && strcmp(f->libc, "unknown") &&
	    (c = add(m, false, "library", f->libc, NULL))) {
		c->rel = st ? "STATIC_LINK" : "DYNAMIC_LINK";
		prop(m, c, "xbuild:linkage", st ? "static" : "dynamic");
		prop(m, c, "xbuild:glibc_floor", f->glibc_max);
	}
	for (size_t i = 0; i < f->needed.n; i++)
		if ((c = add(m, false, "library", f->needed.v[i], NULL))) {
			c->rel = "DYNAMIC_LINK";
			prop(m, c, "xbuild:linkage", "dynamic");
		}
	if (xb_buf_failed(&b))
		m->rc = XB_ERR_NOMEM;
	xb_buf_release(&b);
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int by_name(const void *x, const void *y)
{
	const struct comp *a = x, *b = y;
	int d = cmp_str(a->name, b->name);

	if (!d)
		d = cmp_str(a->version, b->version);
	if (!d)
		d = cmp_str(a->purl, b->purl);
	return d;
}

/* bom-refs: the package URL, else "xbuild:KIND:NAME@VERSION", made
 * unique with "#N" (hostile build info may list a module twice: sorted,
 * the copies are neighbours). */
static void refs(struct model *m, struct comp *v, size_t n, const char *kind,
		 const char *taken)
{
	xb_buf prev = XB_BUF_INIT;
	size_t same = 0;

	for (size_t i = 0; i < n && !m->rc; i++) {
		xb_buf b = XB_BUF_INIT;

		if (v[i].purl)
			xb_buf_adds(&b, v[i].purl);
		else
			xb_buf_addf(&b, "xbuild:%s:%s%s%s", kind,
				    v[i].name ? v[i].name : "",
				    v[i].version ? "@" : "",
				    v[i].version ? v[i].version : "");
		same = i && !strcmp(xb_buf_str(&b), xb_buf_str(&prev)) ?
		       same + 1 : taken && !strcmp(xb_buf_str(&b), taken);
		xb_buf_reset(&prev);
		xb_buf_addb(&prev, &b);
		if (same)
			xb_buf_addf(&b, "#%zu", same + 1);
		if (xb_buf_failed(&prev) || !(v[i].ref = xb_buf_take(&b)))
			m->rc = XB_ERR_NOMEM;
		xb_buf_release(&b);
	}
	xb_buf_release(&prev);
}

static void model_time(struct model *m)
{
	time_t t;
	struct tm tm;

	if (m->o->epoch < 0 && strcmp(m->o->format ? m->o->format : "", "spdx"))
		return;
	t = m->o->epoch >= 0 ? (time_t)m->o->epoch : time(NULL);
	if (gmtime_r(&t, &tm))
		strftime(m->time, sizeof(m->time), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static xb_code model_build(struct model *m, const xb_facts *f,
			   const xb_sbom_opts *o)
{
	xb_buf seed = XB_BUF_INIT;
	struct comp *c;

	memset(m, 0, sizeof(*m));
	m->f = f;
	m->o = o;
	m->g = f->go;
	for (size_t i = 0; !m->g && i < f->nslices; i++)
		m->g = f->slices[i].go;
	if (!m->g)
		return XB_ERR_NOTFOUND;
	if ((c = add(m, true, "application", TOOL, XB_VERSION)))
		prop(m, c, "xbuild:role", "SBOM writer and checker");
	model_main(m);
	model_go(m);
	model_c(m);
	if (m->c)
		qsort(m->c, m->n, sizeof(*m->c), by_name);
	refs(m, &m->main, 1, "file", NULL);
	refs(m, m->c, m->n, "component", m->main.ref);
	refs(m, m->tools, m->ntools, "tool", NULL);
	model_time(m);
	xb_buf_addf(&seed, "xbuild-sbom/1 %s %s", xb_sbom_suffix(o->format),
		    o->sha256 ? o->sha256 : "");
	memcpy(m->serial, "urn:uuid:", 9);
	if (xb_buf_failed(&seed) || xb_sbom_uuid(xb_buf_str(&seed), m->serial + 9))
		m->rc = XB_ERR_NOMEM;
	xb_buf_release(&seed);
	return m->rc;
}

static void model_release(struct model *m)
{
	comp_release(&m->main);
	for (size_t i = 0; i < m->n; i++)
		comp_release(&m->c[i]);
	for (size_t i = 0; i < m->ntools; i++)
		comp_release(&m->tools[i]);
	free(m->c);
	free(m->tools);
}

/* ---- CycloneDX 1.5 ------------------------------------------------------ */

static void cdx_comp(xb_json *j, const struct comp *c, bool tool)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "type", c->type);
	if (!tool)
		xb_json_kstr(j, "bom-ref", c->ref);
	xb_json_kstr(j, "name", c->name ? c->name : "");
	if (c->version)
		xb_json_kstr(j, "version", c->version);
	if (c->sha256) {
		xb_json_key(j, "hashes");
		xb_json_arr_begin(j);
		xb_json_obj_begin(j);
		xb_json_kstr(j, "alg", "SHA-256");
		xb_json_kstr(j, "content", c->sha256);
		xb_json_obj_end(j);
		xb_json_arr_end(j);
	}
	if (c->purl)
		xb_json_kstr(j, "purl", c->purl);
	if (c->props.n) {
		xb_json_key(j, "properties");
		xb_json_arr_begin(j);
		for (size_t i = 0; i + 1 < c->props.n; i += 2) {
			xb_json_obj_begin(j);
			xb_json_kstr(j, "name", c->props.v[i]);
			xb_json_kstr(j, "value", c->props.v[i + 1]);
			xb_json_obj_end(j);
		}
		xb_json_arr_end(j);
	}
	xb_json_obj_end(j);
}

static void cdx_write(const struct model *m, xb_json *j)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "bomFormat", "CycloneDX");
	xb_json_kstr(j, "specVersion", "1.5");
	xb_json_kstr(j, "serialNumber", m->serial);
	xb_json_kint(j, "version", 1);
	xb_json_key(j, "metadata");
	xb_json_obj_begin(j);
	if (m->time[0])
		xb_json_kstr(j, "timestamp", m->time);
	xb_json_key(j, "tools");
	xb_json_obj_begin(j);
	xb_json_key(j, "components");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < m->ntools; i++)
		cdx_comp(j, &m->tools[i], true);
	xb_json_arr_end(j);
	xb_json_obj_end(j);
	xb_json_key(j, "component");
	cdx_comp(j, &m->main, false);
	xb_json_obj_end(j);
	xb_json_key(j, "components");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < m->n; i++)
		cdx_comp(j, &m->c[i], false);
	xb_json_arr_end(j);
	/* the build info lists what was linked, not who imports whom: the
	 * artifact holds every component, and nothing more is claimed */
	xb_json_key(j, "dependencies");
	xb_json_arr_begin(j);
	xb_json_obj_begin(j);
	xb_json_kstr(j, "ref", m->main.ref);
	xb_json_key(j, "dependsOn");
	xb_json_arr_begin(j);
	for (size_t i = 0; i < m->n; i++)
		xb_json_str(j, m->c[i].ref);
	xb_json_arr_end(j);
	xb_json_obj_end(j);
	xb_json_arr_end(j);
	xb_json_obj_end(j);
}

/* ---- SPDX 2.3 ----------------------------------------------------------- */

/* SPDX identifiers are made of letters, digits, '.' and '-': by position
 * in the sorted model, never from the file's text. */
static void spdx_id(xb_buf *b, const struct model *m, const struct comp *c)
{
	xb_buf_reset(b);
	if (c == &m->main)
		xb_buf_adds(b, "SPDXRef-Artifact");
	else if (c >= m->c && c < m->c + m->n)
		xb_buf_addf(b, "SPDXRef-Package-%zu", (size_t)(c - m->c) + 1);
	else
		xb_buf_addf(b, "SPDXRef-Tool-%zu", (size_t)(c - m->tools) + 1);
}

static void spdx_package(xb_json *j, const struct model *m,
			 const struct comp *c, xb_buf *id)
{
	spdx_id(id, m, c);
	xb_json_obj_begin(j);
	xb_json_kstr(j, "SPDXID", xb_buf_str(id));
	xb_json_kstr(j, "name", c->name ? c->name : "");
	if (c->version)
		xb_json_kstr(j, "versionInfo", c->version);
	xb_json_kstr(j, "downloadLocation", "NOASSERTION");
	xb_json_kbool(j, "filesAnalyzed", false);
	xb_json_kstr(j, "primaryPackagePurpose", c->purpose);
	if (c->sha256) {
		xb_json_key(j, "checksums");
		xb_json_arr_begin(j);
		xb_json_obj_begin(j);
		xb_json_kstr(j, "algorithm", "SHA256");
		xb_json_kstr(j, "checksumValue", c->sha256);
		xb_json_obj_end(j);
		xb_json_arr_end(j);
	}
	if (c->purl) {
		xb_json_key(j, "externalRefs");
		xb_json_arr_begin(j);
		xb_json_obj_begin(j);
		xb_json_kstr(j, "referenceCategory", "PACKAGE-MANAGER");
		xb_json_kstr(j, "referenceType", "purl");
		xb_json_kstr(j, "referenceLocator", c->purl);
		xb_json_obj_end(j);
		xb_json_arr_end(j);
	}
	if (c->props.n) {
		/* SPDX 2.3 has no properties: one annotation each */
		xb_json_key(j, "annotations");
		xb_json_arr_begin(j);
		for (size_t i = 0; i + 1 < c->props.n; i += 2) {
			xb_buf t = XB_BUF_INIT;

			xb_buf_addf(&t, "%s=%s", c->props.v[i], c->props.v[i + 1]);
			xb_json_obj_begin(j);
			xb_json_kstr(j, "annotationDate", m->time);
			xb_json_kstr(j, "annotationType", "OTHER");
			xb_json_kstr(j, "annotator", "Tool: " TOOL "-" XB_VERSION);
			xb_json_kstr(j, "comment", xb_buf_str(&t));
			xb_json_obj_end(j);
			if (xb_buf_failed(&t))
				j->status = XB_ERR_NOMEM;
			xb_buf_release(&t);
		}
		xb_json_arr_end(j);
	}
	xb_json_obj_end(j);
}

static void spdx_rel(xb_json *j, const char *a, const char *type, const char *b)
{
	xb_json_obj_begin(j);
	xb_json_kstr(j, "spdxElementId", a);
	xb_json_kstr(j, "relationshipType", type);
	xb_json_kstr(j, "relatedSpdxElement", b);
	xb_json_obj_end(j);
}

static void spdx_relationships(xb_json *j, const struct model *m, xb_buf *id)
{
	xb_json_key(j, "relationships");
	xb_json_arr_begin(j);
	spdx_rel(j, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Artifact");
	for (size_t i = 0; i < m->n; i++) {
		spdx_id(id, m, &m->c[i]);
		spdx_rel(j, "SPDXRef-Artifact", m->c[i].rel, xb_buf_str(id));
	}
	for (size_t i = 0; i < m->ntools; i++) {
		spdx_id(id, m, &m->tools[i]);
		spdx_rel(j, xb_buf_str(id), "BUILD_TOOL_OF", "SPDXRef-Artifact");
	}
	xb_json_arr_end(j);
}

static void spdx_write(const struct model *m, xb_json *j)
{
	xb_buf id = XB_BUF_INIT;

	xb_json_obj_begin(j);
	xb_json_kstr(j, "spdxVersion", "SPDX-2.3");
	xb_json_kstr(j, "dataLicense", "CC0-1.0");
	xb_json_kstr(j, "SPDXID", "SPDXRef-DOCUMENT");
	xb_json_kstr(j, "name", m->o->name ? m->o->name : m->main.name);
	xb_json_kstr(j, "documentNamespace", m->serial);
	xb_json_key(j, "creationInfo");
	xb_json_obj_begin(j);
	xb_json_kstr(j, "created", m->time);
	xb_json_key(j, "creators");
	xb_json_arr_begin(j);
	xb_json_str(j, "Tool: " TOOL "-" XB_VERSION);
	xb_json_arr_end(j);
	xb_json_kstr(j, "comment", "read from the artifact's Go build info "
		     "and headers, not from go.mod");
	xb_json_obj_end(j);
	xb_json_key(j, "packages");
	xb_json_arr_begin(j);
	spdx_package(j, m, &m->main, &id);
	for (size_t i = 0; i < m->n; i++)
		spdx_package(j, m, &m->c[i], &id);
	for (size_t i = 0; i < m->ntools; i++)
		spdx_package(j, m, &m->tools[i], &id);
	xb_json_arr_end(j);
	spdx_relationships(j, m, &id);
	xb_json_obj_end(j);
	if (xb_buf_failed(&id))
		j->status = XB_ERR_NOMEM;
	xb_buf_release(&id);
}

xb_code xb_sbom_write(const xb_facts *f, const xb_sbom_opts *o, xb_buf *out,
		      xb_err *err)
{
	struct model m;
	xb_json j;
	xb_code rc;

	if (o->format && !xb_sbom_format_ok(o->format))
		return xb_fail(err, XB_ERR_USAGE, "unknown SBOM format '%s' "
			       "(expected cyclonedx or spdx)", o->format);
	rc = model_build(&m, f, o);
	if (rc == XB_ERR_NOTFOUND) {
		model_release(&m);
		return xb_fail(err, rc, "'%s' has no Go build info",
			       o->name ? o->name : f->path ? f->path : "?");
	}
	if (!rc) {
		xb_json_init(&j, out, true);
		if (o->format && !strcmp(o->format, "spdx"))
			spdx_write(&m, &j);
		else
			cdx_write(&m, &j);
		rc = xb_json_finish(&j);
	}
	model_release(&m);
	if (rc)
		return xb_fail(err, rc, "cannot write the SBOM of '%s': %s",
			       o->name ? o->name : "?",
			       rc == XB_ERR_TOO_BIG ? "too big" : "out of memory");
	return XB_OK;
}
