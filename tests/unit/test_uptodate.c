/* test_uptodate.c: which names of a folder an up-to-date record keeps
 * (the folder's hash, xb_uptodate_dir_hash). */
#include <string.h>

#include "unit.h"
#include "uptodate.h"

static void hash_of(const char *const *names, const char *spec, char hex[65])
{
	xb_strv v = XB_STRV_INIT;

	for (size_t i = 0; names[i]; i++)
		xb_strv_push(&v, names[i]);
	assert_int_equal(xb_uptodate_dir_hash("unused", spec, &v, hex), XB_OK);
	xb_strv_release(&v);
}

/* Adding name to base changes the hash under spec, or not. */
static bool counts(const char *name, const char *spec)
{
	const char *base[] = { "main.go", "x.h", NULL };
	const char *more[] = { "main.go", "x.h", name, NULL };
	char a[65], b[65];

	hash_of(base, spec, a);
	hash_of(more, spec, b);
	return strcmp(a, b) != 0;
}

static void go_folder_keeps_what_go_build_reads(void **state)
{
	(void)state;
	/* sources of every language go build compiles, and objects */
	const char *kept[] = { "extra_linux.go", "y.c", "y.cc", "y.cpp", "y.hh",
			       "y.s", "y.S", "y.m", "y.f90", "y.syso",
			       "y.swig", NULL };
	/* tests, names go ignores, and anything else (an output) */
	const char *left[] = { "main_test.go", ".hidden.go", "_skip.go", "app",
			       "README.md", "app.tmp-x1Y2", "Makefile", NULL };

	for (size_t i = 0; kept[i]; i++)
		assert_true(counts(kept[i], "go"));
	for (size_t i = 0; left[i]; i++)
		assert_false(counts(left[i], "go"));
}

static void patterns_and_all(void **state)
{
	(void)state;
	/* an embed pattern of the package folder keeps what it matches */
	assert_true(counts("page.html", "go\n*.html\nstatic"));
	assert_true(counts("static", "go\n*.html\nstatic"));
	assert_false(counts("page.css", "go\n*.html\nstatic"));
	/* an embedded folder keeps every name */
	assert_true(counts("app", "*"));
	assert_true(counts(".hidden", "*"));
}

static void order_does_not_matter(void **state)
{
	const char *a[] = { "b.go", "a.go", "c.h", NULL };
	const char *b[] = { "c.h", "a.go", "b.go", NULL };
	char ha[65], hb[65], hgone[65];

	(void)state;
	hash_of(a, "go", ha);
	hash_of(b, "go", hb);
	assert_string_equal(ha, hb);
	/* a folder that is not there has a hash of its own */
	assert_int_equal(xb_uptodate_dir_hash("/nonexistent/xbuild-test", "go",
					      NULL, hgone), XB_OK);
	assert_string_not_equal(hgone, ha);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(go_folder_keeps_what_go_build_reads),
		cmocka_unit_test(patterns_and_all),
		cmocka_unit_test(order_does_not_matter),
	};
	return RUN(tests);
}
