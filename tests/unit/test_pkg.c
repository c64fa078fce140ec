/* test_pkg.c: the names Linux packages use (architectures, versions,
 * dependencies) and the packages: key of a profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-text.h"
#include "pkg.h"

static void arch_names(void **state)
{
	static const char *const rows[][5] = {
		/* goarch, variant, deb, rpm */
		{ "amd64", NULL, "amd64", "x86_64" },
		{ "amd64", "v3", "amd64", "x86_64" },
		{ "386", NULL, "i386", "i686" },
		{ "arm64", NULL, "arm64", "aarch64" },
		{ "arm", "7", "armhf", "armv7hl" },
		{ "arm", "6", "armel", "armv6hl" },
		{ "arm", "5", "armel", "armv5tel" },
		{ "arm", NULL, "armhf", "armv7hl" },
		{ "riscv64", NULL, "riscv64", "riscv64" },
		{ "ppc64le", NULL, "ppc64el", "ppc64le" },
		{ "ppc64", NULL, "ppc64", "ppc64" },
		{ "s390x", NULL, "s390x", "s390x" },
		{ "mips", NULL, "mips", "mips" },
		{ "mipsle", NULL, "mipsel", "mipsel" },
		{ "mips64", NULL, "mips64", "mips64" },
		{ "mips64le", NULL, "mips64el", "mips64el" },
		{ "loong64", NULL, "loong64", "loongarch64" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_string_equal(xb_pkg_arch("deb", rows[i][0], rows[i][1]),
				    rows[i][2]);
		assert_string_equal(xb_pkg_arch("rpm", rows[i][0], rows[i][1]),
				    rows[i][3]);
	}
	assert_null(xb_pkg_arch("deb", "wasm", NULL));
	assert_null(xb_pkg_arch("rpm", NULL, NULL));
}

static void versions(void **state)
{
	static const char *const rows[][3] = {
		/* release version, Debian's, RPM's */
		{ "1.2.3", "1.2.3", "1.2.3" },
		{ "v1.2.3", "1.2.3", "1.2.3" },
		{ "v1.2.3-rc.1", "1.2.3~rc.1", "1.2.3~rc.1" },
		{ "1.2.3-SNAPSHOT-abc123", "1.2.3~SNAPSHOT-abc123",
		  "1.2.3~SNAPSHOT_abc123" },
		{ "1.2.3-rc.1-2-g0a1b", "1.2.3~rc.1-2-g0a1b",
		  "1.2.3~rc.1_2_g0a1b" },
		{ "1.0+build_5", "1.0+build.5", "1.0+build_5" },
		{ "dev", "0~dev", "0~dev" },
		{ "vnext", "0~vnext", "0~vnext" },
		{ "2:1.0", "2.1.0", "2.1.0" },
		{ "1.0 beta/x", "1.0.beta.x", "1.0.beta.x" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *d = xb_pkg_version("deb", rows[i][0]);
		char *r = xb_pkg_version("rpm", rows[i][0]);
		assert_string_equal(d, rows[i][1]);
		assert_string_equal(r, rows[i][2]);
		free(d);
		free(r);
	}
}

static void names(void **state)
{
	static const char *const good[] = { "hello", "hello-cli", "g++", "a0",
		"0ad", "lib.x" };
	static const char *const bad[] = { "", "h", "Hello", "-x", ".x",
		"hello_cli", "a b", "x/y" };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(xb_pkg_name_ok(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(xb_pkg_name_ok(bad[i]));
}

static void dependencies(void **state)
{
	static const char *const good[][4] = {
		{ "git", "git", "", "" },
		{ "  git  ", "git", "", "" },
		{ "libc6 (>= 2.34)", "libc6", ">=", "2.34" },
		{ "libc6(>=2.34)", "libc6", ">=", "2.34" },
		{ "tzdata >= 2020a", "tzdata", ">=", "2020a" },
		{ "foo (= 1.0-1)", "foo", "=", "1.0-1" },
		{ "foo == 1", "foo", "=", "1" },
		{ "foo (> 1)", "foo", ">>", "1" },
		{ "foo < 2", "foo", "<<", "2" },
		{ "foo (<< 2)", "foo", "<<", "2" },
		{ "foo <= 2", "foo", "<=", "2" },
		{ "libc.so.6(GLIBC_2.34)(64bit)", "libc.so.6(GLIBC_2.34)(64bit)",
		  "", "" },
	};
	static const char *const bad[] = { "", "   ", "a b", "foo (>= 1",
		"foo >= ", "foo ~ 1", "foo (>= 1) x", "foo, bar", "a|b",
		"foo (>= 1 2)" };
	xb_err err = XB_ERR_INIT;
	xb_pkg_dep d;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(xb_pkg_dep_parse(good[i][0], &d, &err), XB_OK);
		assert_string_equal(d.name, good[i][1]);
		assert_string_equal(d.op, good[i][2]);
		assert_string_equal(d.ver, good[i][3]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(xb_pkg_dep_parse(bad[i], &d, &err), XB_ERR_USAGE);
		assert_non_null(strstr(err.msg, "dependency"));
	}
}

static const xb_profile_opts opts = { NULL, 0, true, NULL, NULL };

static xb_code load(xb_profile *p, xb_diags *d, const char *text)
{
	return load_text(p, d, &opts, "t.yaml", text);
}

static void profile_key(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d,
		"version: 1\n"
		"packages:\n"
		"  formats: [deb, rpm]\n"
		"  name: hello\n"
		"  maintainer: Jane <j@example.org>\n"
		"  description: |\n"
		"    Says hello.\n"
		"    More.\n"
		"  license: MIT\n"
		"  vendor: Example\n"
		"  homepage: https://example.org\n"
		"  contents:\n"
		"    - {src: README.md, dst: /usr/share/doc/hello/README.md}\n"
		"    - {src: hello.conf, dst: /etc/hello.conf, mode: '0600'}\n"
		"  dependencies: [git, 'tzdata (>= 2020a)']\n"), XB_OK);
	assert_non_null(p.packages);
	assert_int_equal(p.packages->formats.n, 2);
	assert_string_equal(p.packages->formats.v[1], "rpm");
	assert_string_equal(p.packages->name, "hello");
	assert_string_equal(p.packages->description, "Says hello.\nMore.");
	assert_string_equal(p.packages->homepage, "https://example.org");
	assert_int_equal(p.packages->ncontents, 2);
	assert_int_equal(p.packages->contents[0].mode, 0644);
	assert_int_equal(p.packages->contents[1].mode, 0600);
	assert_string_equal(p.packages->contents[1].dst, "/etc/hello.conf");
	assert_int_equal(p.packages->depends.n, 2);
	xb_profile_release(&p);
	xb_diags_release(&d);
}

static void profile_mistakes(void **state)
{
	static const char *const rows[][2] = {
		{ "packages: [deb]\n", "packages must be a mapping" },
		{ "packages: {name: x1}\n", "packages: needs formats:" },
		{ "packages: {formats: [deb, apk]}\n", "unknown format 'apk'" },
		{ "packages: {formats: deb, maintainr: x}\n",
		  "unknown key 'maintainr' in packages (did you mean 'maintainer'?)" },
		{ "packages: {formats: deb, name: Hello}\n",
		  "name 'Hello' is not a package name" },
		{ "packages: {formats: deb, dependencies: ['a b']}\n",
		  "dependency 'a b'" },
		{ "packages: {formats: deb, contents: [{src: a, dst: rel/a}]}\n",
		  "dst 'rel/a' is not an absolute path" },
		{ "packages: {formats: deb, contents: [{src: a, dst: /x/../a}]}\n",
		  "is not an absolute path" },
		{ "packages: {formats: deb, contents: [{src: a, dst: /a, mode: 999}]}\n",
		  "mode '999' is not octal" },
		{ "packages: {formats: deb, contents: [{dst: /a}]}\n",
		  "needs src: and dst:" },
		{ "packages: {formats: deb, contents: [{src: a, dst: /a}, "
		  "{src: b, dst: /a}]}\n", "dst '/a' is given twice" },
		{ "packages:\n  formats: [deb]\n  dependencies:\n    - git\n"
		  "    - 'a b'\n", "t.yaml:6:7: packages: dependency 'a b'" },
		{ "packages:\n  formats:\n    - deb\n    - msi\n",
		  "t.yaml:5:7: packages: unknown format 'msi'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		xb_profile p;
		xb_diags d;
		xb_buf b = XB_BUF_INIT;
		bool found = false;

		xb_buf_addf(&b, "version: 1\n%s", rows[i][0]);
		assert_int_equal(load(&p, &d, xb_buf_str(&b)), XB_ERR_PROFILE);
		for (size_t k = 0; k < d.lines.n; k++)
			found |= strstr(d.lines.v[k], rows[i][1]) != NULL;
		if (!found) {
			for (size_t k = 0; k < d.lines.n; k++)
				print_message("got: %s\n", d.lines.v[k]);
			fail_msg("no diagnostic contains '%s'", rows[i][1]);
		}
		xb_profile_release(&p);
		xb_diags_release(&d);
		xb_buf_release(&b);
	}
}

/* GoReleaser's nfpms: one entry read into packages:, what xbuild does not
 * write skipped with a warning. */
static void goreleaser_nfpms(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
		"version: 2\n"
		"project_name: hello\n"
		"builds: [{main: ./hello, goos: [linux], goarch: [amd64]}]\n"
		"nfpms:\n"
		"  - id: pkgs\n"
		"    ids: [hello]\n"
		"    package_name: hello-cli\n"
		"    formats: [deb, rpm, apk]\n"
		"    maintainer: Jane <j@example.org>\n"
		"    description: Says hello.\n"
		"    license: MIT\n"
		"    vendor: Example\n"
		"    homepage: https://example.org\n"
		"    file_name_template: '{{ .ConventionalFileName }}'\n"
		"    contents:\n"
		"      - src: README.md\n"
		"        dst: /usr/share/doc/hello/README.md\n"
		"      - src: lintian\n"
		"        dst: ./usr/share/lintian/overrides/hello\n"
		"      - src: hello.conf\n"
		"        dst: /etc/hello.conf\n"
		"        type: config|noreplace\n"
		"        file_info: {mode: 0600}\n"
		"      - src: /usr/bin/hello\n"
		"        dst: /usr/local/bin/hello\n"
		"        type: symlink\n"
		"    dependencies: [git]\n"), XB_OK);
	assert_non_null(p.packages);
	assert_string_equal(p.packages->name, "hello-cli");
	assert_int_equal(p.packages->formats.n, 2);
	assert_string_equal(p.packages->formats.v[0], "deb");
	assert_string_equal(p.packages->formats.v[1], "rpm");
	assert_string_equal(p.packages->maintainer, "Jane <j@example.org>");
	assert_string_equal(p.packages->license, "MIT");
	assert_int_equal(p.packages->ncontents, 3);
	/* a relative dst is under the root, as nfpm reads it */
	assert_string_equal(p.packages->contents[1].dst,
			    "/usr/share/lintian/overrides/hello");
	assert_int_equal(p.packages->contents[2].mode, 0600);
	assert_string_equal(p.packages->depends.v[0], "git");
	assert_true(has_line(&d, "nfpms: skipped the format 'apk'"));
	assert_true(has_line(&d, "'file_name_template' not handled"));
	assert_true(has_line(&d, "type 'symlink' not handled"));
	assert_false(has_line(&d, "'ids'"));
	xb_profile_release(&p);
	xb_diags_release(&d);

	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
		"version: 2\nnfpms: [{formats: [deb]}, {formats: [rpm]}]\n"),
		XB_ERR_PROFILE);
	assert_true(has_line(&d, "several nfpms are not supported"));
	xb_profile_release(&p);
	xb_diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arch_names),
		cmocka_unit_test(versions),
		cmocka_unit_test(names),
		cmocka_unit_test(dependencies),
		cmocka_unit_test(profile_key),
		cmocka_unit_test(profile_mistakes),
		cmocka_unit_test(goreleaser_nfpms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
