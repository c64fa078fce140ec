/* test_cgolink.c: the go list reader and the static link resolver:
 * ordering, deduplication, pkg-config in a sysroot, cross checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "unit.h"
#include "cgolink.h"

static char tmp[] = "/tmp/xb-test-cgolink.XXXXXX";

static void write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char p[512];

	(void)state;
	if (!mkdtemp(tmp))
		return -1;
	snprintf(p, sizeof(p), "%s/usr/lib/pkgconfig", tmp);
	if (xb_mkdir_p(p, NULL))
		return -1;
	snprintf(p, sizeof(p), "%s/usr/lib/aarch64-linux-gnu", tmp);
	if (xb_mkdir_p(p, NULL))
		return -1;
	/* a needs -lm -lz privately; b requires a privately */
	write_file("usr/lib/pkgconfig/a.pc",
		   "Name: a\nDescription: a\nVersion: 1\nLibs: -la\n"
		   "Libs.private: -lm -lz\n");
	write_file("usr/lib/pkgconfig/libb.pc",
		   "Name: b\nDescription: b\nVersion: 1\nLibs: -lb\n"
		   "Requires.private: a\n");
	write_file("usr/lib/pkgconfig/c.pc",
		   "Name: c\nDescription: c\nVersion: 1\nLibs: -L/usr/lib -lc_lib\n"
		   "Libs.private: -lpthread\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return xb_rm_rf(tmp, NULL) == XB_OK ? 0 : -1;
}

static const char *const list_json =
	"{\n\t\"ImportPath\": \"runtime/cgo\",\n\t\"Standard\": true,\n"
	"\t\"CgoFiles\": [\"cgo.go\"],\n\t\"CgoLDFLAGS\": [\"-lpthread\"]\n}\n"
	"{\n\t\"ImportPath\": \"example.com/a\",\n\t\"CgoFiles\": [\"a.go\"],\n"
	"\t\"CgoLDFLAGS\": [\"-la\"]\n}\n"
	"{\n\t\"ImportPath\": \"example.com/pure\"\n}\n"
	"{\n\t\"ImportPath\": \"example.com/main\",\n\t\"CgoFiles\": [\"m.go\"],\n"
	"\t\"CXXFiles\": [\"x.cc\"],\n"
	"\t\"CgoLDFLAGS\": [\"-lb\", \"-L/opt/x\", \"-lm\", \"-Wl,--as-needed\"],\n"
	"\t\"CgoPkgConfig\": [\"c\"]\n}\n";

static void parse_go_list(void **state)
{
	xb_cgolink q;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_cgolink_init(&q);
	assert_int_equal(xb_cgolink_parse(list_json, strlen(list_json), &q, &err), XB_OK);
	assert_true(q.runtime_cgo);
	assert_true(q.cgo);
	assert_true(q.cxx);
	assert_false(q.fortran);
	assert_int_equal(q.n, 2); /* standard and pure packages left out */
	assert_string_equal(q.pkgs[0].import_path, "example.com/a");
	assert_string_equal(q.pkgs[1].import_path, "example.com/main");
	assert_int_equal(q.pkgs[1].ldflags.n, 4);
	assert_string_equal(q.pkgs[1].pkg_config.v[0], "c");
	assert_true(q.pkgs[1].cxx);
	xb_cgolink_release(&q);

	const char *bad[] = { "{", "[1]", "{\"ImportPath\": 3}",
			      "{\"ImportPath\": \"x\", \"CgoLDFLAGS\": \"-lm\"}",
			      "{\"ImportPath\": \"x\", \"CgoFiles\": [\"a\"], \"CgoLDFLAGS\": [1]}",
			      "{\"ImportPath\": \"x\"} garbage", NULL };
	for (int i = 0; bad[i]; i++) {
		xb_cgolink_init(&q);
		assert_int_equal(xb_cgolink_parse(bad[i], strlen(bad[i]), &q, &err),
				 XB_ERR_FORMAT);
		xb_cgolink_release(&q);
	}
	xb_cgolink_init(&q);
	assert_int_equal(xb_cgolink_parse("", 0, &q, &err), XB_OK);
	assert_int_equal(q.n, 0);
	xb_cgolink_release(&q);
}

static char *joined(const xb_strv *sv)
{
	xb_buf b = XB_BUF_INIT;

	for (size_t i = 0; i < sv->n; i++)
		xb_buf_addf(&b, "%s%s", i ? " " : "", sv->v[i]);
	return xb_buf_take(&b);
}

static bool any(const xb_strv *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i], needle))
			return true;
	return false;
}

static void static_order_and_dedup(void **state)
{
	xb_cgolink q;
	xb_cgolink_opts o = XB_CGOLINK_OPTS_INIT;
	xb_cgolink_out r;
	xb_err err = XB_ERR_INIT;
	const char *extra[] = { "-Wl,--start-group", "/x/libq.a", "-lm",
				"-Wl,--end-group", "z", NULL };
	char want[1024], *got;

	(void)state;
	xb_cgolink_init(&q);
	xb_cgolink_out_init(&r);
	assert_int_equal(xb_cgolink_parse(list_json, strlen(list_json), &q, &err), XB_OK);
	o.linkage = XB_CGOLINK_STATIC;
	o.sysroot = tmp;
	o.extra_libs = extra;
	assert_int_equal(xb_cgolink_resolve(&q, &o, &r, &err), XB_OK);
	got = joined(&r.extldflags);
	/* main's flags before its dependency a's; b brings a (Requires.
	 * private), a brings -lm -lz; each library where it last appears;
	 * the group stays whole; -L and other flags once, first place */
	snprintf(want, sizeof(want),
		 "-static -L%s/usr/lib -lb -L/opt/x -Wl,--as-needed -lc_lib "
		 "-lpthread -la -static-libstdc++ -static-libgcc -lstdc++ -lm "
		 "-Wl,--start-group /x/libq.a -lm -Wl,--end-group -lz", tmp);
	assert_string_equal(got, want);
	free(got);
	snprintf(want, sizeof(want), "-la -lm -lz: Libs.private of %s/usr/lib/pkgconfig/libb.pc "
		 "(from -lb in example.com/main)", tmp);
	assert_true(any(&r.reasons, want));
	snprintf(want, sizeof(want), "-lm -lz: Libs.private of %s/usr/lib/pkgconfig/a.pc "
		 "(from -la in example.com/a)", tmp);
	assert_true(any(&r.reasons, want));
	assert_true(any(&r.reasons, "-lm: from example.com/main"));
	assert_true(any(&r.reasons, "pkg-config --static --libs (from #cgo pkg-config: c in example.com/main)"));
	assert_true(any(&r.reasons, "the C++ runtime is linked statically"));
	assert_true(any(&r.reasons, "-lz: from the profile's extra_libs"));
	snprintf(want, sizeof(want), "PKG_CONFIG_SYSROOT_DIR=%s", tmp);
	assert_true(xb_strv_contains(&r.env, want));
	assert_true(xb_strv_contains(&r.env, "PKG_CONFIG_PATH="));
	assert_int_equal(r.errors.n, 0);
	xb_cgolink_out_release(&r);

	/* dynamic: nothing of what go adds itself, only the C++ note */
	xb_cgolink_out_init(&r);
	o.linkage = XB_CGOLINK_DYNAMIC;
	o.sysroot = NULL;
	o.extra_libs = NULL;
	assert_int_equal(xb_cgolink_resolve(&q, &o, &r, &err), XB_OK);
	assert_int_equal(r.extldflags.n, 0);
	assert_true(any(&r.reasons, "stays dynamic"));
	xb_cgolink_out_release(&r);
	xb_cgolink_out_init(&r);
	o.static_libstdcxx = true;
	assert_int_equal(xb_cgolink_resolve(&q, &o, &r, &err), XB_OK);
	got = joined(&r.extldflags);
	assert_string_equal(got, "-static-libstdc++ -static-libgcc");
	free(got);
	xb_cgolink_out_release(&r);
	xb_cgolink_release(&q);
}

static void cross_checks(void **state)
{
	const char *js =
		"{\"ImportPath\": \"example.com/m\", \"CgoFiles\": [\"m.go\"],"
		" \"CgoLDFLAGS\": [\"-L/usr/lib/x86_64-linux-gnu\", \"-lfoo\","
		" \"-L/usr/lib/aarch64-linux-gnu\", \"/usr/local/lib/libbar.a\","
		" \"-L/usr/aarch64-linux-gnu/lib\", \"-L/work/vendor/lib\"]}\n"
		"{\"ImportPath\": \"example.com/p\", \"CgoFiles\": [\"p.go\"],"
		" \"CgoPkgConfig\": [\"nosuchmodule\"]}\n";
	xb_cgolink q;
	xb_cgolink_opts o = XB_CGOLINK_OPTS_INIT;
	xb_cgolink_out r;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_cgolink_init(&q);
	xb_cgolink_out_init(&r);
	assert_int_equal(xb_cgolink_parse(js, strlen(js), &q, &err), XB_OK);
	o.linkage = XB_CGOLINK_STATIC;
	o.cross = true;
	o.sysroot = tmp;
	o.triplet = "aarch64-linux-gnu";
	o.toolchain_sysroot = "/usr/aarch64-linux-gnu";
	assert_int_equal(xb_cgolink_resolve(&q, &o, &r, &err), XB_ERR_CONFLICT);
	assert_int_equal(r.errors.n, 3);
	assert_true(any(&r.errors, "host library path '/usr/lib/x86_64-linux-gnu' in a "
			"cross link (-L/usr/lib/x86_64-linux-gnu from #cgo LDFLAGS in example.com/m)"));
	assert_true(any(&r.errors, "host library path '/usr/local/lib/libbar.a'"));
	assert_true(any(&r.errors, "pkg-config cannot find nosuchmodule (for #cgo "
			"pkg-config: nosuchmodule in example.com/p) among the target's .pc files"));
	assert_non_null(strstr(err.msg, "(and more)"));
	assert_true(any(&r.reasons, "-lfoo: no libfoo.a in the sysroot's library folders"));
	/* the multiarch folder of the target, the toolchain's sysroot, the
	 * sysroot and folders outside the system's are fine */
	assert_false(any(&r.errors, "aarch64-linux-gnu'"));
	assert_false(any(&r.errors, "/work/vendor"));
	/* a cross link without a sysroot sees no .pc file at all */
	xb_cgolink_out_release(&r);
	xb_cgolink_out_init(&r);
	o.sysroot = NULL;
	xb_cgolink_resolve(&q, &o, &r, &err);
	assert_true(xb_strv_contains(&r.env, "PKG_CONFIG_LIBDIR="));
	assert_true(any(&r.reasons, "pkg-config searches only nothing"));
	xb_cgolink_out_release(&r);
	/* a dynamic cross link is checked too */
	xb_cgolink_out_init(&r);
	o.linkage = XB_CGOLINK_DYNAMIC;
	assert_int_equal(xb_cgolink_resolve(&q, &o, &r, &err), XB_ERR_CONFLICT);
	assert_int_equal(r.errors.n, 2);
	xb_cgolink_out_release(&r);
	xb_cgolink_release(&q);
}

static void ldflag_word_and_dirs(void **state)
{
	xb_strv f = XB_STRV_INIT, dirs = XB_STRV_INIT;
	xb_buf b = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	char want[512];

	(void)state;
	xb_strv_push(&f, "-static");
	assert_int_equal(xb_cgolink_ldflag(&f, &b, &err), XB_OK);
	assert_string_equal(xb_buf_str(&b), "-extldflags=-static");
	xb_buf_reset(&b);
	xb_strv_push(&f, "-L/a b");
	xb_strv_push(&f, "-lm");
	assert_int_equal(xb_cgolink_ldflag(&f, &b, &err), XB_OK);
	assert_string_equal(xb_buf_str(&b), "\"-extldflags=-static '-L/a b' -lm\"");
	xb_buf_reset(&b);
	xb_strv_push(&f, "-DX=\"y\"");
	assert_int_equal(xb_cgolink_ldflag(&f, &b, &err), XB_ERR_USAGE);
	xb_strv_release(&f);
	xb_buf_release(&b);

	xb_cgolink_lib_dirs(tmp, "aarch64-linux-gnu", &dirs);
	assert_int_equal(dirs.n, 2);
	snprintf(want, sizeof(want), "%s/usr/lib/aarch64-linux-gnu", tmp);
	assert_string_equal(dirs.v[0], want);
	snprintf(want, sizeof(want), "%s/usr/lib", tmp);
	assert_string_equal(dirs.v[1], want);
	xb_strv_release(&dirs);
	xb_cgolink_lib_dirs("/", NULL, &dirs);
	assert_true(xb_strv_contains(&dirs, "/usr/lib"));
	xb_strv_release(&dirs);
}

/* Debian's multiarch names: what library folders are called */
static void multiarch_names(void **state)
{
	static const char *const cases[][2] = {
		{ "i686-linux-gnu", "i386-linux-gnu" },
		{ "i586-pc-linux-gnu", "i386-linux-gnu" },
		{ "x86-linux-gnu", "i386-linux-gnu" },
		{ "x86_64-pc-linux-gnu", "x86_64-linux-gnu" },
		{ "aarch64-unknown-linux-musl", "aarch64-linux-musl" },
		{ "arm-linux-gnueabihf", "arm-linux-gnueabihf" },
		{ "i686-w64-mingw32", "i686-w64-mingw32" },
		{ "x86_64-linux", "x86_64-linux" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xb_cgolink_multiarch(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
	xb_cgolink_multiarch(NULL, out, sizeof(out));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_go_list),
		cmocka_unit_test(static_order_and_dedup),
		cmocka_unit_test(cross_checks),
		cmocka_unit_test(ldflag_word_and_dirs),
		cmocka_unit_test(multiarch_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
