/* test_sbom.c: CycloneDX and SPDX documents from synthetic facts: what
 * each component says, the C side of a plan, determinism, and hostile
 * build info (odd strings, duplicates, a huge module list) still giving
 * valid JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "unit.h"
#include "bin/bin.h"
#include "sbom.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void dep(xb_goinfo *g, const char *path, const char *version,
		const char *sum, const char *replace, const char *rsum)
{
	xb_gomod *d;

	g->deps = realloc(g->deps, (g->ndeps + 1) * sizeof(*g->deps));
	assert_non_null(g->deps);
	d = &g->deps[g->ndeps++];
	memset(d, 0, sizeof(*d));
	d->path = strdup(path);
	d->version = strdup(version);
	d->sum = strdup(sum);
	d->replace = replace ? strdup(replace) : NULL;
	d->replace_sum = rsum ? strdup(rsum) : NULL;
}

/* A static linux/amd64 binary of example.com/app with three modules,
 * listed out of order, one replaced by another module and one by a
 * folder. */
static void facts(xb_facts *f)
{
	xb_goinfo *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	xb_facts_init(f);
	xb_strv_init(&g->settings);
	f->format = "elf";
	f->arch = "amd64";
	f->linkage = "static";
	f->libc = "none";
	g->version = strdup("go1.26.8");
	g->path = strdup("example.com/app/cmd/app");
	g->main.path = strdup("example.com/app");
	g->main.version = strdup("v1.2.3");
	g->main.sum = strdup("");
	dep(g, "golang.org/x/sys", "v0.30.0", "h1:AAAA+/=", NULL, NULL);
	dep(g, "example.com/old", "v1.0.0", "", "example.com/new v1.1.0",
	    "h1:NEW=");
	dep(g, "example.com/local", "v0.0.0", "", "../local", NULL);
	xb_strv_push(&g->settings, "-ldflags=-s -w");
	xb_strv_push(&g->settings, "CGO_ENABLED=0");
	f->go = g;
}

static json_t *write_doc(const xb_facts *f, const xb_sbom_opts *o)
{
	xb_buf b = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	json_error_t je;
	json_t *doc;

	assert_int_equal(xb_sbom_write(f, o, &b, &err), XB_OK);
	doc = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		fail_msg("invalid JSON: %s at %d", je.text, je.position);
	xb_buf_release(&b);
	return doc;
}

/* The value of property name in the properties array of c, or NULL. */
static const char *property(const json_t *c, const char *name)
{
	json_t *ps = json_object_get(c, "properties"), *p;
	size_t i;

	json_array_foreach(ps, i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")), name))
			return json_string_value(json_object_get(p, "value"));
	return NULL;
}

static const json_t *component(const json_t *doc, const char *name)
{
	json_t *cs = json_object_get(doc, "components"), *c;
	size_t i;

	json_array_foreach(cs, i, c)
		if (!strcmp(json_string_value(json_object_get(c, "name")), name))
			return c;
	return NULL;
}

#define S(obj, key) json_string_value(json_object_get((obj), (key)))

static void test_cyclonedx(void **state)
{
	xb_sbom_opts o = { NULL, "app-linux-amd64", SHA, 1700000000, NULL };
	const json_t *c, *meta, *main_c;
	json_t *doc, *cs;
	xb_facts f;

	(void)state;
	facts(&f);
	doc = write_doc(&f, &o);
	assert_string_equal(S(doc, "bomFormat"), "CycloneDX");
	assert_string_equal(S(doc, "specVersion"), "1.5");
	assert_int_equal(strlen(S(doc, "serialNumber")), 9 + 36);
	assert_memory_equal(S(doc, "serialNumber"), "urn:uuid:", 9);
	assert_int_equal(S(doc, "serialNumber")[9 + 14], '4');
	meta = json_object_get(doc, "metadata");
	assert_string_equal(S(meta, "timestamp"), "2023-11-14T22:13:20Z");
	main_c = json_object_get(meta, "component");
	assert_string_equal(S(main_c, "name"), "example.com/app");
	assert_string_equal(S(main_c, "version"), "v1.2.3");
	assert_string_equal(S(main_c, "purl"), "pkg:golang/example.com/app@v1.2.3");
	assert_string_equal(S(json_array_get(json_object_get(main_c, "hashes"), 0),
			      "content"), SHA);
	assert_string_equal(property(main_c, "xbuild:go:build:-ldflags"), "-s -w");
	assert_string_equal(property(main_c, "xbuild:go:build:CGO_ENABLED"), "0");
	assert_string_equal(property(main_c, "xbuild:linkage"), "static");
	assert_string_equal(property(main_c, "xbuild:go:package"),
			    "example.com/app/cmd/app");

	/* modules sorted by name; the h1: hash a property, never a hash */
	cs = json_object_get(doc, "components");
	assert_int_equal(json_array_size(cs), 4);
	assert_string_equal(S(json_array_get(cs, 0), "name"), "example.com/local");
	assert_string_equal(S(json_array_get(cs, 1), "name"), "example.com/new");
	assert_string_equal(S(json_array_get(cs, 2), "name"), "golang.org/x/sys");
	assert_string_equal(S(json_array_get(cs, 3), "name"), "stdlib");
	c = component(doc, "golang.org/x/sys");
	assert_string_equal(S(c, "purl"), "pkg:golang/golang.org/x/sys@v0.30.0");
	assert_string_equal(S(c, "bom-ref"), S(c, "purl"));
	assert_string_equal(property(c, "xbuild:go:h1"), "h1:AAAA+/=");
	assert_null(json_object_get(c, "hashes"));
	/* replaced by a module: that module is what was linked */
	c = component(doc, "example.com/new");
	assert_string_equal(S(c, "version"), "v1.1.0");
	assert_string_equal(S(c, "purl"), "pkg:golang/example.com/new@v1.1.0");
	assert_string_equal(property(c, "xbuild:go:h1"), "h1:NEW=");
	assert_string_equal(property(c, "xbuild:go:replaces"), "example.com/old v1.0.0");
	/* replaced by a folder: nothing a package URL could name */
	c = component(doc, "example.com/local");
	assert_null(json_object_get(c, "purl"));
	assert_string_equal(property(c, "xbuild:go:replaced-by"), "../local");
	c = component(doc, "stdlib");
	assert_string_equal(S(c, "purl"), "pkg:golang/stdlib@1.26.8");
	/* tools: xbuild and go, no C compiler without a plan */
	assert_int_equal(json_array_size(json_object_get(json_object_get(meta, "tools"),
							 "components")), 2);
	/* the artifact holds every component */
	assert_int_equal(json_array_size(json_object_get(json_array_get(
		json_object_get(doc, "dependencies"), 0), "dependsOn")), 4);
	json_decref(doc);
	xb_facts_release(&f);
}

static void test_spdx(void **state)
{
	xb_sbom_opts o = { "spdx", "app-linux-amd64", SHA, 1700000000, NULL };
	json_t *doc, *pkgs, *rels, *p;
	const json_t *art;
	xb_facts f;
	size_t i, links = 0, tools = 0;

	(void)state;
	facts(&f);
	doc = write_doc(&f, &o);
	assert_string_equal(S(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(S(doc, "dataLicense"), "CC0-1.0");
	assert_string_equal(S(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	assert_string_equal(S(doc, "name"), "app-linux-amd64");
	assert_memory_equal(S(doc, "documentNamespace"), "urn:uuid:", 9);
	assert_string_equal(S(json_object_get(doc, "creationInfo"), "created"),
			    "2023-11-14T22:13:20Z");
	pkgs = json_object_get(doc, "packages");
	/* the artifact, four components, two tools */
	assert_int_equal(json_array_size(pkgs), 7);
	art = json_array_get(pkgs, 0);
	assert_string_equal(S(art, "SPDXID"), "SPDXRef-Artifact");
	assert_string_equal(S(json_array_get(json_object_get(art, "checksums"), 0),
			      "checksumValue"), SHA);
	json_array_foreach(pkgs, i, p) {
		const char *id = S(p, "SPDXID");
		assert_non_null(S(p, "name"));
		assert_string_equal(S(p, "downloadLocation"), "NOASSERTION");
		assert_true(json_is_false(json_object_get(p, "filesAnalyzed")));
		assert_int_equal(strspn(id + 8, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"),
				 strlen(id + 8));
	}
	rels = json_object_get(doc, "relationships");
	json_array_foreach(rels, i, p) {
		links += !strcmp(S(p, "relationshipType"), "STATIC_LINK");
		tools += !strcmp(S(p, "relationshipType"), "BUILD_TOOL_OF");
	}
	assert_string_equal(S(json_array_get(rels, 0), "relationshipType"), "DESCRIBES");
	assert_int_equal(links, 4);
	assert_int_equal(tools, 2);
	json_decref(doc);
	xb_facts_release(&f);
}

/* A cgo binary linked statically by a plan with a proved compiler, and a
 * dynamic one: the C side of each. */
static void test_c_side(void **state)
{
	xb_sbom_opts o = { NULL, "app", SHA, 0, NULL };
	const json_t *c;
	json_t *doc, *tools;
	xb_facts f;
	xb_plan pl;

	(void)state;
	facts(&f);
	xb_plan_init(&pl);
	pl.target = strdup("linux/arm64");
	pl.has_cc = true;
	pl.cc.cc = strdup("aarch64-linux-gnu-gcc");
	pl.cc.kind = strdup("gcc");
	pl.cc.hash = strdup(SHA);
	xb_strv_push(&pl.extldflags, "-L/opt/ssl/lib");
	xb_strv_push(&pl.extldflags, "-lssl");
	xb_strv_push(&pl.extldflags, "/opt/z/lib/libz.a");
	xb_strv_push(&pl.extldflags, "-static");
	f.libc = "glibc";
	o.plan = &pl;
	doc = write_doc(&f, &o);
	tools = json_object_get(json_object_get(json_object_get(doc, "metadata"),
						"tools"), "components");
	assert_int_equal(json_array_size(tools), 3);
	c = json_array_get(tools, 2);
	assert_string_equal(S(c, "name"), "aarch64-linux-gnu-gcc");
	assert_string_equal(S(json_array_get(json_object_get(c, "hashes"), 0), "alg"),
			    "SHA-256");
	assert_string_equal(property(json_object_get(json_object_get(doc, "metadata"),
						     "component"), "xbuild:target"),
			    "linux/arm64");
	c = component(doc, "libssl");
	assert_non_null(c);
	assert_string_equal(property(c, "xbuild:c:link"), "-lssl");
	assert_non_null(component(doc, "libz.a"));
	c = component(doc, "glibc");
	assert_string_equal(property(c, "xbuild:linkage"), "static");
	assert_string_equal(S(json_object_get(doc, "metadata"), "timestamp"),
			    "1970-01-01T00:00:00Z");
	json_decref(doc);

	/* dynamic: -lssl may be the shared one, so only DT_NEEDED says */
	f.linkage = "dynamic";
	f.glibc_max = strdup("2.34");
	xb_strv_push(&f.needed, "libc.so.6");
	o.format = "spdx";
	doc = write_doc(&f, &o);
	{
		json_t *p, *pkgs = json_object_get(doc, "packages");
		size_t i, dyn = 0, ssl = 0;

		json_array_foreach(pkgs, i, p)
			ssl += !strcmp(S(p, "name"), "libssl");
		json_array_foreach(json_object_get(doc, "relationships"), i, p)
			dyn += !strcmp(S(p, "relationshipType"), "DYNAMIC_LINK");
		assert_int_equal(ssl, 0);
		assert_int_equal(dyn, 2); /* glibc and libc.so.6 */
	}
	json_decref(doc);
	xb_plan_release(&pl);
	xb_facts_release(&f);
}

static char *write_text(const xb_facts *f, const xb_sbom_opts *o)
{
	xb_buf b = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;

	assert_int_equal(xb_sbom_write(f, o, &b, &err), XB_OK);
	return xb_buf_take(&b);
}

static void test_deterministic(void **state)
{
	xb_sbom_opts o = { NULL, "app", SHA, -1, NULL };
	char *a, *b;
	json_t *doc;
	xb_facts f;

	(void)state;
	facts(&f);
	a = write_text(&f, &o);
	b = write_text(&f, &o);
	assert_string_equal(a, b);
	/* no epoch: CycloneDX has no time rather than a changing one */
	assert_null(strstr(a, "timestamp"));
	free(b);
	o.sha256 = "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	b = write_text(&f, &o);
	/* another artifact, another serial number */
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	/* SPDX requires a time: now, when there is no epoch */
	o.format = "spdx";
	doc = write_doc(&f, &o);
	assert_int_equal(strlen(S(json_object_get(doc, "creationInfo"), "created")), 20);
	json_decref(doc);
	xb_facts_release(&f);
}

/* Strings from a hostile binary: quotes, controls, invalid UTF-8, purl
 * delimiters; duplicated modules; a huge list. */
static void test_hostile(void **state)
{
	static const char *const formats[] = { "cyclonedx", "spdx" };
	xb_facts f;
	xb_goinfo *g;

	(void)state;
	facts(&f);
	g = f.go;
	dep(g, "evil\"\\\n\x01\xff\xfe/\xc3(@?#%", "v1\t\"@#", "h1:\x7f\"", NULL, NULL);
	dep(g, "golang.org/x/sys", "v0.30.0", "h1:AAAA+/=", NULL, NULL);
	dep(g, "example.com/app", "v1.2.3", "", NULL, NULL);
	xb_strv_push(&g->settings, "\x1b[31m=\"\\\n");
	xb_strv_push(&g->settings, "novalue");
	free(g->version);
	g->version = strdup("devel go1.27-abc\x80");
	for (size_t k = 0; k < 2; k++) {
		xb_sbom_opts o = { formats[k], "a\"b\n", SHA, 1, NULL };
		json_t *doc = write_doc(&f, &o), *c, *refs = json_object();
		size_t i;

		if (k == 0) {
			const json_t *e = component(doc, "evil\"\\\n\x01\xef\xbf\xbd"
						    "\xef\xbf\xbd/\xef\xbf\xbd(@?#%");
			assert_non_null(e);
			assert_string_equal(S(e, "purl"), "pkg:golang/evil%22%5C%0A%01%FF%FE/"
					    "%C3%28%40%3F%23%25@v1%09%22%40%23");
			/* bom-refs unique: the duplicate and the main module's */
			json_object_set_new(refs, S(json_object_get(json_object_get(doc,
				"metadata"), "component"), "bom-ref"), json_true());
			json_array_foreach(json_object_get(doc, "components"), i, c) {
				assert_null(json_object_get(refs, S(c, "bom-ref")));
				json_object_set_new(refs, S(c, "bom-ref"), json_true());
			}
			/* a Go that is not a release: no package URL */
			assert_null(json_object_get(component(doc, "stdlib"), "purl"));
		}
		json_decref(refs);
		json_decref(doc);
	}
	/* a huge module list stays valid and quick (no quadratic pass) */
	for (size_t i = 0; i < 20000; i++) {
		char p[64];
		snprintf(p, sizeof(p), "example.com/m%zu", i % 5000);
		dep(g, p, "v1.0.0", "h1:x=", NULL, NULL);
	}
	{
		xb_sbom_opts o = { NULL, "big", SHA, 1, NULL };
		json_t *doc = write_doc(&f, &o);
		assert_int_equal(json_array_size(json_object_get(doc, "components")),
				 g->ndeps + 1);
		assert_string_equal(S(json_array_get(json_object_get(doc, "components"), 6),
				      "bom-ref"), "pkg:golang/example.com/m0@v1.0.0#4");
		json_decref(doc);
	}
	xb_facts_release(&f);
}

static void test_refusals(void **state)
{
	xb_sbom_opts o = { "swid", "app", SHA, 1, NULL };
	xb_buf b = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	xb_facts f;

	(void)state;
	facts(&f);
	assert_int_equal(xb_sbom_write(&f, &o, &b, &err), XB_ERR_USAGE);
	assert_non_null(strstr(xb_errmsg(&err), "'swid'"));
	xb_facts_release(&f);
	xb_facts_init(&f);
	f.format = "elf";
	o.format = NULL;
	assert_int_equal(xb_sbom_write(&f, &o, &b, &err), XB_ERR_NOTFOUND);
	assert_non_null(strstr(xb_errmsg(&err), "no Go build info"));
	/* a capped buffer: a clear failure, never a cut document */
	xb_facts_release(&f);
	facts(&f);
	xb_buf_init(&b, 100);
	assert_int_equal(xb_sbom_write(&f, &o, &b, &err), XB_ERR_TOO_BIG);
	xb_buf_release(&b);
	xb_facts_release(&f);
}

/* Build info text as Go writes it, through the checker's parser: the
 * go.sum hash of a replacement is on its => line. */
static void test_parsed_replace(void **state)
{
	static const char mod[] =
		"path\texample.com/app\n"
		"mod\texample.com/app\t(devel)\t\n"
		"dep\texample.com/old\tv1.0.0\t\n"
		"=>\texample.com/new\tv1.1.0\th1:REPL=\n"
		"dep\texample.com/dir\tv0.1.0\t\n"
		"=>\t../dir\t\t\n"
		"build\tCGO_ENABLED=0\n";
	xb_sbom_opts o = { NULL, "app", SHA, 1, NULL };
	const json_t *c;
	json_t *doc;
	xb_facts f;
	xb_goinfo *g = calloc(1, sizeof(*g));

	(void)state;
	assert_non_null(g);
	xb_facts_init(&f);
	xb_goinfo_init(g);
	assert_int_equal(xb_goinfo_parse_mod(g, mod, sizeof(mod) - 1), XB_OK);
	assert_string_equal(g->deps[0].replace_sum, "h1:REPL=");
	assert_null(g->deps[1].replace_sum);
	g->version = strdup("go1.26.8");
	f.go = g;
	f.format = "elf";
	doc = write_doc(&f, &o);
	c = component(doc, "example.com/new");
	assert_string_equal(property(c, "xbuild:go:h1"), "h1:REPL=");
	c = component(doc, "example.com/dir");
	assert_null(property(c, "xbuild:go:h1"));
	assert_string_equal(property(c, "xbuild:go:replaced-by"), "../dir");
	/* a (devel) main module: its version as recorded, no version in
	 * the package URL */
	c = json_object_get(json_object_get(doc, "metadata"), "component");
	assert_string_equal(S(c, "version"), "(devel)");
	assert_string_equal(S(c, "purl"), "pkg:golang/example.com/app");
	json_decref(doc);
	xb_facts_release(&f);
}

static void test_helpers(void **state)
{
	char u1[37], u2[37];
	xb_buf b = XB_BUF_INIT;

	(void)state;
	assert_int_equal(xb_sbom_uuid("x", u1), XB_OK);
	assert_int_equal(xb_sbom_uuid("x", u2), XB_OK);
	assert_string_equal(u1, u2);
	assert_int_equal(xb_sbom_uuid("y", u2), XB_OK);
	assert_string_not_equal(u1, u2);
	assert_int_equal(u1[14], '4');
	assert_non_null(strchr("89ab", u1[19]));
	xb_purl_encode(&b, "a/b c+d~e", true);
	assert_string_equal(xb_buf_str(&b), "a/b%20c%2Bd~e");
	xb_buf_reset(&b);
	xb_purl_encode(&b, "v0.0.0-2026+dirty/x", false);
	assert_string_equal(xb_buf_str(&b), "v0.0.0-2026%2Bdirty%2Fx");
	xb_buf_release(&b);
	assert_string_equal(xb_sbom_suffix("spdx"), ".spdx.json");
	assert_string_equal(xb_sbom_suffix("cyclonedx"), ".cdx.json");
	assert_true(xb_sbom_format_ok("spdx"));
	assert_false(xb_sbom_format_ok("none"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyclonedx),
		cmocka_unit_test(test_spdx),
		cmocka_unit_test(test_c_side),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_parsed_replace),
		cmocka_unit_test(test_helpers),
	};
	return RUN(tests);
}
