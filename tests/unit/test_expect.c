/* test_expect.c: the text form of expectations and merging. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "bin/bin.h"
#include "expect.h"

static void parses_every_key(void **state)
{
	xb_expect e;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_expect_init(&e);
	assert_int_equal(xb_expect_parse(&e,
		"format=elf,arch=arm64,linkage=static,libc=musl,"
		"interpreter=/lib/ld-musl-aarch64.so.1,max-glibc=2.17,"
		"needed=libc.so.6:libm.so.6,stripped=true,pie=false,"
		"relro=full,cgo=0,go:-tags=netgo,osusergo", &err), XB_ERR_USAGE);
	/* "osusergo" alone is not key=value: commas separate items */
	assert_non_null(strstr(err.msg, "'osusergo' is not key=value"));
	assert_string_equal(e.format, "elf");
	assert_string_equal(e.arch, "arm64");
	assert_string_equal(e.linkage, "static");
	assert_string_equal(e.libc, "musl");
	assert_string_equal(e.interpreter, "/lib/ld-musl-aarch64.so.1");
	assert_string_equal(e.max_glibc, "2.17");
	assert_true(e.needed_set);
	assert_int_equal(e.needed.n, 2);
	assert_string_equal(e.needed.v[1], "libm.so.6");
	assert_int_equal(e.stripped, 1);
	assert_int_equal(e.pie, 0);
	assert_string_equal(e.relro, "full");
	assert_string_equal(xb_strv_getenv(&e.go_settings, "CGO_ENABLED"), "0");
	assert_string_equal(xb_strv_getenv(&e.go_settings, "-tags"), "netgo");
	xb_expect_release(&e);
	assert_null(e.arch);
	assert_int_equal(e.stripped, -1);
}

static void rejects_bad_values(void **state)
{
	static const char *const bad[] = {
		"linkage=statik", "format=coff", "stripped=maybe", "pie=2",
		"relro=half", "max-glibc=two", "max-glibc=2..17", "cgo=yes please",
		"libc=uclibc", "frob=1", "arch=", "go:=1", "=static", NULL,
	};
	xb_err err = XB_ERR_INIT;
	xb_expect e;

	(void)state;
	for (int i = 0; bad[i]; i++) {
		xb_expect_init(&e);
		assert_int_equal(xb_expect_parse(&e, bad[i], &err), XB_ERR_USAGE);
		assert_true(err.msg[0] != '\0');
		xb_expect_release(&e);
	}
	xb_expect_init(&e);
	xb_expect_parse(&e, "linkage=statik", &err);
	assert_string_equal(err.msg, "invalid linkage 'statik' in expectation "
			    "(expected static, static-pie or dynamic)");
	xb_expect_release(&e);
}

static void empty_needed_means_none_allowed(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_expect e;

	(void)state;
	xb_expect_init(&e);
	assert_int_equal(xb_expect_parse(&e, "needed=", &err), XB_OK);
	assert_true(e.needed_set);
	assert_int_equal(e.needed.n, 0);
	xb_expect_release(&e);
}

static void merge_overrides_what_is_set(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_expect a, b;

	(void)state;
	xb_expect_init(&a);
	xb_expect_init(&b);
	xb_expect_parse(&a, "arch=amd64,linkage=dynamic,cgo=1,stripped=false,"
			"go:GOOS=linux", &err);
	xb_expect_parse(&b, "linkage=static,cgo=0,needed=", &err);
	assert_int_equal(xb_expect_merge(&a, &b), XB_OK);
	assert_string_equal(a.arch, "amd64");
	assert_string_equal(a.linkage, "static");
	assert_int_equal(a.stripped, 0);
	assert_true(a.needed_set);
	assert_string_equal(xb_strv_getenv(&a.go_settings, "CGO_ENABLED"), "0");
	assert_string_equal(xb_strv_getenv(&a.go_settings, "GOOS"), "linux");
	assert_int_equal(a.go_settings.n, 2);
	xb_expect_release(&a);
	xb_expect_release(&b);
}

/* go-version (or go, go_version): the release in the Go build info. */
static void go_version_held(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_expect e, m;
	xb_facts f;
	xb_goinfo *gi;
	xb_strv v = XB_STRV_INIT;

	(void)state;
	xb_expect_init(&e);
	assert_int_equal(xb_expect_parse(&e, "go=1.27.3", &err), XB_OK);
	assert_string_equal(e.go_version, "go1.27.3");
	assert_int_equal(xb_expect_parse(&e, "go-version=go1.26.8", &err), XB_OK);
	assert_string_equal(e.go_version, "go1.26.8");
	assert_int_equal(xb_expect_parse(&e, "go_version=go1.27.3", &err), XB_OK);
	assert_int_equal(xb_expect_parse(&e, "go=1.27", &err), XB_ERR_USAGE);
	assert_string_equal(err.msg, "invalid go '1.27' in expectation (expected "
			    "a Go release such as 1.27.3 or go1.27.3)");
	xb_expect_init(&m);
	assert_int_equal(xb_expect_merge(&m, &e), XB_OK);
	assert_string_equal(m.go_version, "go1.27.3");
	xb_expect_release(&m);

	xb_facts_init(&f);
	/* no build info: a violation */
	assert_int_equal(xb_verify(&f, &e, &v), XB_ERR_EXPECT);
	assert_string_equal(v.v[0], "expected Go go1.27.3, got no Go build info");
	xb_strv_release(&v);
	gi = calloc(1, sizeof(*gi));
	xb_goinfo_init(gi);
	f.go = gi;
	gi->version = strdup("go1.26.8");
	assert_int_equal(xb_verify(&f, &e, &v), XB_ERR_EXPECT);
	assert_string_equal(v.v[0], "expected Go go1.27.3, built by go1.26.8");
	xb_strv_release(&v);
	/* a prefix is not the release: go1.27.30 is not go1.27.3 */
	free(gi->version);
	gi->version = strdup("go1.27.30");
	assert_int_equal(xb_verify(&f, &e, &v), XB_ERR_EXPECT);
	xb_strv_release(&v);
	free(gi->version);
	gi->version = strdup("go1.27.3");
	assert_int_equal(xb_verify(&f, &e, &v), XB_OK);
	/* GOEXPERIMENT builds say so after the release */
	free(gi->version);
	gi->version = strdup("go1.27.3 X:jsonv2");
	assert_int_equal(xb_verify(&f, &e, &v), XB_OK);
	assert_int_equal(v.n, 0);
	xb_facts_release(&f);
	xb_expect_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_key),
		cmocka_unit_test(rejects_bad_values),
		cmocka_unit_test(empty_needed_means_none_allowed),
		cmocka_unit_test(merge_overrides_what_is_set),
		cmocka_unit_test(go_version_held),
	};
	return RUN(tests);
}
