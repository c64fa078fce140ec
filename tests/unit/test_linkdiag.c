/* test_linkdiag.c: the linker output classifier, fed recorded outputs of
 * GNU ld, gold, lld, zig and ld64. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "linkdiag.h"

static char tmp[] = "/tmp/xb-test-linkdiag.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return xb_rm_rf(tmp, NULL) == XB_OK ? 0 : -1;
}

static size_t diag(const char *out, const xb_linkdiag_opts *o, xb_strv *d)
{
	xb_strv_release(d);
	return xb_linkdiag(out, strlen(out), o, d);
}

static bool any(const xb_strv *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i], needle))
			return true;
	return false;
}

static void math_symbols_in_every_quoting(void **state)
{
	const char *outs[] = {
		/* binutils 2.40 (Debian 12) */
		"/usr/bin/ld: /usr/lib/x86_64-linux-gnu/libsqlite3.a(func.o):"
		"(.data.rel+0x1a30): undefined reference to `sqrt'\n"
		"collect2: error: ld returned 1 exit status\n",
		/* newer binutils */
		"/usr/bin/ld: func.o: in function `f':\nfunc.c:(.text+0x5): "
		"undefined reference to 'sqrt'\n",
		/* a UTF-8 locale */
		"ld: f.o: undefined reference to \xe2\x80\x98sqrt\xe2\x80\x99\n",
		/* gold */
		"/usr/bin/ld.gold: error: f.o: undefined reference to 'sqrt'\n",
		/* lld and zig */
		"ld.lld: error: undefined symbol: sqrt\n>>> referenced by f.c\n",
		"error: undefined symbol: sqrt\n",
		/* versioned */
		"ld: f.o: undefined reference to `sqrt@GLIBC_2.2.5'\n",
		/* ld64 */
		"Undefined symbols for architecture arm64:\n"
		"  \"_sqrt\", referenced from:\n      _f in f.o\n"
		"ld: symbol(s) not found for architecture arm64\n",
		/* no final newline */
		"undefined reference to `sqrt'",
	};
	xb_strv d = XB_STRV_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		assert_int_equal(diag(outs[i], NULL, &d), 1);
		assert_int_equal(d.n, 1);
		assert_non_null(strstr(d.v[0], "undefined sqrt: needs -lm"));
	}
	/* which archive needs it: the GNU "in function" line before, lld's
	 * ">>>" lines after */
	assert_int_equal(diag("ld: /x/libfoo.a(a.o): in function `f':\n"
			      "(.text+0x1): undefined reference to `cos'\n"
			      "ld.lld: error: undefined symbol: sin\n"
			      ">>> referenced by b.c\n"
			      ">>>               libbar.a(b.o):(f)\n", NULL, &d), 1);
	assert_string_equal(d.v[0], "undefined cos, sin: needs -lm (the math library), "
			    "after -lfoo, -lbar, which use it");
	xb_strv_release(&d);
}

static void grouped_and_deduplicated(void **state)
{
	const char *out =
		"ld: a.o: undefined reference to `cosf'\n"
		"ld: a.o: undefined reference to `cosf'\n"
		"ld: a.o: undefined reference to `pow'\n"
		"ld: a.o: undefined reference to `deflateInit2_'\n"
		"ld: a.o: undefined reference to `dlopen'\n"
		"ld: a.o: undefined reference to `pthread_create'\n"
		"ld: a.o: undefined reference to `std::__cxx11::basic_string()'\n"
		"ld: a.o: undefined reference to `__cxa_throw'\n"
		"ld: a.o: undefined reference to `EVP_sha256'\n"
		"ld: a.o: undefined reference to `SSL_new'\n";
	xb_strv d = XB_STRV_INIT;

	(void)state;
	assert_int_equal(diag(out, NULL, &d), 7);
	assert_string_equal(d.v[0], "undefined cosf, pow: needs -lm (the math "
			    "library), after the libraries that use it");
	assert_true(any(&d, "undefined deflateInit2_: needs -lz (zlib)"));
	assert_true(any(&d, "undefined dlopen: needs -ldl"));
	assert_true(any(&d, "undefined pthread_create: needs -lpthread"));
	assert_true(any(&d, "std::__cxx11::basic_string(), __cxa_throw: needs -lstdc++"));
	assert_true(any(&d, "undefined EVP_sha256: needs -lcrypto"));
	assert_true(any(&d, "undefined SSL_new: needs -lssl"));
	xb_strv_release(&d);
}

static void glibc_static_warnings(void **state)
{
	const char *out =
		"/usr/bin/ld: /tmp/go-link/000004.o: in function `_cgo_cbcce81e6342_C2func_getaddrinfo':\n"
		"/tmp/go-build/cgo-gcc-prolog:60: warning: Using 'getaddrinfo' in "
		"statically linked applications requires at runtime the shared "
		"libraries from the glibc version used for linking\n"
		"(.text+0x969): warning: Using 'dlopen' in statically linked "
		"applications requires at runtime the shared libraries from the "
		"glibc version used for linking\n"
		"warning: Using 'getpwnam_r' in statically linked applications "
		"requires at runtime the shared libraries from the glibc version "
		"used for linking\n"
		"warning: Using 'getgrouplist' in statically linked applications "
		"requires at runtime the shared libraries from the glibc version "
		"used for linking\n";
	xb_strv d = XB_STRV_INIT;

	(void)state;
	/* warnings only: no errors */
	assert_int_equal(diag(out, NULL, &d), 0);
	assert_int_equal(d.n, 3);
	assert_non_null(strstr(d.v[0], "static glibc: getaddrinfo: network name lookups"));
	assert_non_null(strstr(d.v[0], "-tags netgo,osusergo"));
	assert_non_null(strstr(d.v[0], "musl"));
	assert_non_null(strstr(d.v[1], "static glibc: getpwnam_r, getgrouplist: user and group"));
	assert_non_null(strstr(d.v[2], "static glibc: dlopen: dlopen in a static binary"));
	/* NSS is what nss_warnings: error refuses; dlopen is not NSS */
	assert_true(xb_linkdiag_nss(d.v[0]));
	assert_true(xb_linkdiag_nss(d.v[1]));
	assert_false(xb_linkdiag_nss(d.v[2]));
	assert_false(xb_linkdiag_nss("undefined sqrt: needs -lm"));
	assert_false(xb_linkdiag_nss("static glibc: "));
	xb_strv_release(&d);
}

static void libraries_pie_and_caps(void **state)
{
	xb_linkdiag_opts o = { NULL, NULL, NULL, 3 };
	xb_strv d = XB_STRV_INIT;
	xb_buf many = XB_BUF_INIT;

	(void)state;
	assert_int_equal(diag("/usr/bin/ld: cannot find -lfoo: No such file or directory\n"
			      "ld.lld: error: unable to find library -lbar\n", NULL, &d), 2);
	assert_true(any(&d, "cannot find -lfoo: no libfoo.a"));
	assert_true(any(&d, "cannot find -lbar"));
	assert_int_equal(diag("/usr/bin/ld: skipping incompatible /usr/lib/x86_64-linux-gnu/libz.a "
			      "when searching for -lz\n", NULL, &d), 0);
	assert_true(any(&d, "/usr/lib/x86_64-linux-gnu/libz.a was skipped: it is built for another architecture"));
	assert_int_equal(diag("ld: a.o: relocation R_X86_64_32 against `.rodata' can not be "
			      "used when making a PIE object; recompile with -fPIE\n"
			      "ld: read-only segment has dynamic relocations\n", NULL, &d), 2);
	assert_true(any(&d, "-buildmode=pie"));
	assert_true(any(&d, "-fPIE"));
	/* the cap: 3 diagnoses and a line saying how many more */
	for (int i = 0; i < 200; i++)
		xb_buf_addf(&many, "ld: cannot find -llib%d\n", i);
	assert_int_equal(diag(xb_buf_str(&many), &o, &d), 64);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.v[3], "61 more diagnoses not shown");
	/* symbols past the per-run cap are counted, not examined */
	xb_buf_reset(&many);
	for (int i = 0; i < 100; i++)
		xb_buf_addf(&many, "undefined reference to `sin%d'\n", i);
	diag(xb_buf_str(&many), NULL, &d);
	assert_true(any(&d, "36 more undefined symbols not examined"));
	/* nothing to say */
	assert_int_equal(diag("", NULL, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(xb_linkdiag(NULL, 0, NULL, &d), 0);
	xb_buf_release(&many);
	xb_strv_release(&d);
}

static void symbols_found_in_archives(void **state)
{
	char lib[300], src[300], obj[300];
	const char *argv_cc[] = { "cc", "-c", "-o", obj, src, NULL };
	const char *argv_ar[] = { "ar", "rcs", lib, obj, NULL };
	const char *dirs[] = { "/nonexistent", tmp, NULL };
	xb_linkdiag_opts o = { dirs, NULL, NULL, 0 };
	xb_strv d = XB_STRV_INIT;
	xb_err err = XB_ERR_INIT;
	FILE *f;
	int code;

	(void)state;
	snprintf(src, sizeof(src), "%s/q.c", tmp);
	snprintf(obj, sizeof(obj), "%s/q.o", tmp);
	snprintf(lib, sizeof(lib), "%s/libquux.a", tmp);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs("int quux_open(void) { return 0; }\nint quux_close(void) { return 0; }\n", f);
	fclose(f);
	assert_int_equal(xb_run(argv_cc, NULL, NULL, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 0);
	assert_int_equal(xb_run(argv_ar, NULL, NULL, NULL, &code, &err), XB_OK);
	assert_int_equal(code, 0);
	/* a non-archive lib*.a beside it is skipped */
	snprintf(obj, sizeof(obj), "%s/libjunk.a", tmp);
	f = fopen(obj, "w");
	fputs("not an archive", f);
	fclose(f);

	assert_int_equal(diag("ld: main.o: undefined reference to `quux_open'\n"
			      "ld: main.o: undefined reference to `quux_close'\n"
			      "ld: main.o: undefined reference to `nowhere_fn'\n"
			      "ld: main.o: undefined reference to `sqrt'\n", &o, &d), 3);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0], "undefined sqrt: needs -lm (the math library), "
			    "after the libraries that use it");
	assert_non_null(strstr(d.v[1], "undefined quux_open, quux_close: defined in "));
	assert_non_null(strstr(d.v[1], "/libquux.a; add -lquux"));
	assert_non_null(strstr(d.v[2], "undefined nowhere_fn: not defined in any "
			       "static archive of /nonexistent, /tmp/"));
	/* a library with only its shared form */
	snprintf(obj, sizeof(obj), "%s/libonlyso.so", tmp);
	f = fopen(obj, "w");
	fclose(f);
	assert_int_equal(diag("/usr/bin/ld: cannot find -lonlyso: No such file or directory\n"
			      "/usr/bin/ld: cannot find -lnothere: No such file or directory\n",
			      &o, &d), 2);
	assert_non_null(strstr(d.v[0], "cannot find -lonlyso: only the shared "));
	assert_non_null(strstr(d.v[0], "/libonlyso.so exists, a static link needs libonlyso.a"));
	assert_non_null(strstr(d.v[1], "cannot find -lnothere: no libnothere.a"));
	/* with a sysroot instead of folders: its usr/lib and lib */
	o.lib_dirs = NULL;
	o.sysroot = "/nonexistent-sysroot";
	diag("ld: undefined reference to `quux_open'\n", &o, &d);
	assert_non_null(strstr(d.v[0], "not defined in any archive (no library folder to search)"));
	xb_strv_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(math_symbols_in_every_quoting),
		cmocka_unit_test(grouped_and_deduplicated),
		cmocka_unit_test(glibc_static_warnings),
		cmocka_unit_test(libraries_pie_and_caps),
		cmocka_unit_test(symbols_found_in_archives),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
