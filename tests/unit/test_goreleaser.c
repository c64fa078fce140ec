/* test_goreleaser.c: a .goreleaser.yaml read into a profile: the keys
 * mapped, the defaults of a build, what is skipped and what is refused;
 * and profile discovery's order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "profile.h"

static const char *const envp[] = { "XBUILD_VERSION=3.1.4", NULL };
static const xb_profile_opts opts = { envp, 0, false };

static xb_code load(xb_profile *p, xb_diags *d, const char *name,
		    const char *text)
{
	xb_err err = XB_ERR_INIT;
	xb_code rc;

	xb_profile_init(p);
	xb_diags_init(d);
	rc = xb_profile_load_mem(p, name, text, strlen(text), &opts, d, &err);
	for (size_t i = 0; i < d->lines.n; i++)
		print_message("# %s\n", d->lines.v[i]);
	return rc;
}

static int has_line(const xb_diags *d, const char *part)
{
	int n = 0;

	for (size_t i = 0; i < d->lines.n; i++)
		if (strstr(d->lines.v[i], part))
			n++;
	return n;
}

static void done(xb_profile *p, xb_diags *d)
{
	xb_profile_release(p);
	xb_diags_release(d);
}

static void one_build(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d, ".goreleaser.yaml",
		"version: 2\n"
		"project_name: tool\n"
		"dist: out\n"
		"env: [FOO=bar]\n"
		"builds:\n"
		"  - id: tool\n"
		"    main: ./cmd/tool\n"
		"    binary: tl\n"
		"    goos: [linux, freebsd]\n"
		"    goarch: [amd64, arm]\n"
		"    goarm: [6, 7]\n"
		"    ignore:\n"
		"      - goos: freebsd\n"
		"        goarch: arm\n"
		"        goarm: 6\n"
		"    env: [CGO_ENABLED=0]\n"
		"    flags: [-trimpath, -tags=a]\n"
		"    ldflags: ['-s -w -X main.v={{.Version}} -X \"main.d={{ .Date }}\"',"
		"      -X main.n=x]\n"
		"    tags: [b, c]\n"), XB_OK);
	assert_string_equal(p.name, "tool");
	assert_string_equal(p.output, "out/{target}/tl{ext}");
	assert_int_equal(p.main.n, 1);
	assert_string_equal(p.main.v[0], "./cmd/tool");
	/* linux and freebsd x amd64, arm/6, arm/7, less freebsd/arm/6 */
	assert_int_equal(p.ntargets, 5);
	for (size_t i = 0; i < p.ntargets; i++)
		assert_string_not_equal(p.targets[i].name, "freebsd/arm/6");
	assert_string_equal(p.defaults.cgo, "off");
	assert_int_equal(p.defaults.strip, 1);
	assert_int_equal(p.defaults.trimpath, 1);
	/* templates are kept for the plan; an action stays in its word */
	assert_int_equal(p.defaults.ldflags.n, 6);
	assert_string_equal(p.defaults.ldflags.v[1], "main.v={{.Version}}");
	assert_string_equal(p.defaults.ldflags.v[3], "main.d={{ .Date }}");
	assert_string_equal(p.defaults.ldflags.v[5], "main.n=x");
	/* tags: replaces flags' -tags= */
	assert_int_equal(p.defaults.tags.n, 2);
	assert_string_equal(p.defaults.tags.v[0], "b");
	assert_int_equal(p.defaults.env.n, 1);
	assert_string_equal(p.defaults.env.v[0], "FOO=bar");
	assert_int_equal(d.warnings, 0);
	done(&p, &d);
}

static void defaults_and_skipped(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d, "x/.goreleaser.yml",
		"version: 1\n"
		"before: {hooks: [make]}\n"
		"archives: [{format: zip}]\n"
		"release: {draft: true}\n"
		"builds:\n"
		"  - main: .\n"
		"    gcflags: [-N]\n"), XB_OK);
	/* darwin, linux, windows x 386, amd64, arm64; darwin/386 is not Go's */
	assert_int_equal(p.ntargets, 8);
	assert_string_equal(p.output, "dist/{target}/{name}{ext}");
	assert_int_equal(has_line(&d, "'before' not handled, skipped"), 1);
	/* version 1's format: is the archive's one format */
	assert_int_equal(has_line(&d, "'archives' not handled"), 0);
	assert_true(p.has_archives);
	assert_int_equal(p.narchives, 1);
	assert_int_equal(p.archives[0].formats.n, 1);
	assert_string_equal(p.archives[0].formats.v[0], "zip");
	assert_int_equal(p.defaults.archives.n, 0);
	assert_int_equal(has_line(&d, "x/.goreleaser.yml:4:1: warning: "
				  "'release' not handled, skipped"), 1);
	assert_int_equal(has_line(&d, "build key 'gcflags' is not handled"), 1);
	assert_int_equal(has_line(&d, "darwin/386 skipped"), 1);
	done(&p, &d);
}

static void refused(void **state)
{
	static const struct { const char *text, *line; } cases[] = {
		{ "version: 2\nbuilds:\n  - main: .\n  - main: ./b\n",
		  ".goreleaser.yaml:4:5: several builds are not supported yet" },
		{ "version: 3\n", "(expected 1 or 2)" },
		{ "version: 2\nbuilds: [{ldflags: ['-X m.c={{ .Comit }}']}]\n",
		  ".goreleaser.yaml:2:32: unknown field '.Comit'" },
		{ "version: 2\nbuilds:\n  - binary: '{{ toupper .ProjectNam }}'\n",
		  ".goreleaser.yaml:3:25: unknown field '.ProjectNam'" },
		{ "version: 2\nbuilds: [{flags: [-race]}]\n",
		  "build flag '-race' cannot be mapped" },
		{ "version: 2\nbuilds: [{env: [GOOS=linux]}]\n",
		  "env GOOS is set by xbuild" },
		{ "- a\n", "must be a mapping" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xb_profile p;
		xb_diags d;

		assert_int_equal(load(&p, &d, ".goreleaser.yaml",
				      cases[i].text), XB_ERR_PROFILE);
		if (!has_line(&d, cases[i].line)) {
			for (size_t j = 0; j < d.lines.n; j++)
				print_message("got: %s\n", d.lines.v[j]);
			fail_msg("case %zu: no line has '%s'", i, cases[i].line);
		}
		done(&p, &d);
	}
}

static void touch(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void discovery_order(void **state)
{
	char dir[] = "/tmp/xb-discover-XXXXXX";
	char path[512];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_null(xb_profile_discover(dir));
	touch(dir, ".goreleaser.yml");
	assert_string_equal(xb_profile_discover(dir), ".goreleaser.yml");
	touch(dir, ".goreleaser.yaml");
	assert_string_equal(xb_profile_discover(dir), ".goreleaser.yaml");
	touch(dir, "xbuild.yaml");
	assert_string_equal(xb_profile_discover(dir), "xbuild.yaml");
	for (const char *const *n = (const char *const[]){ "xbuild.yaml",
		".goreleaser.yaml", ".goreleaser.yml", NULL }; *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_build),
		cmocka_unit_test(defaults_and_skipped),
		cmocka_unit_test(refused),
		cmocka_unit_test(discovery_order),
	};
	return RUN(tests);
}
