/* test_gover.c: Go releases (gover.c): their names and order, and which
 * release a run uses (--set, the profile, go.mod's toolchain line, the
 * local go). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "profile.h"
#include "gover.h"

static void go_release_names(void **state)
{
	char out[32];

	(void)state;
	assert_true(xb_gover_release("1.27.3", out, sizeof(out)));
	assert_string_equal(out, "go1.27.3");
	assert_true(xb_gover_release("go1.21.0", out, sizeof(out)));
	assert_string_equal(out, "go1.21.0");
	assert_true(xb_gover_release("1.20", out, sizeof(out)));
	assert_string_equal(out, "go1.20");
	assert_false(xb_gover_release("1.21", out, sizeof(out)));
	assert_false(xb_gover_release("1.20.0", out, sizeof(out)));
	assert_false(xb_gover_release("go1.27rc1", out, sizeof(out)));
	assert_false(xb_gover_release("go1.27.3 ", out, sizeof(out)));
	assert_false(xb_gover_release("1.27.3", out, 8)); /* no room */
	/* go's order: prereleases before the release, numbers as numbers */
	assert_true(xb_gover_cmp("go1.27.3", "go1.26.8") > 0);
	assert_true(xb_gover_cmp("go1.9", "go1.10") < 0);
	assert_true(xb_gover_cmp("go1.21rc2", "go1.21.0") < 0);
	assert_true(xb_gover_cmp("go1.21beta1", "go1.21rc1") < 0);
	assert_true(xb_gover_cmp("go1.26.10", "go1.26.9") > 0);
	assert_int_equal(xb_gover_cmp("1.27.3", "go1.27.3"), 0);
	assert_int_equal(xb_gover_cmp("go1.26.8 X:nocoverageredesign", "go1.26.8"), 0);
	assert_true(xb_gover_cmp("devel go1.28-abc Tue", "go1.27.3") > 0);
}

/* Write dir/go.mod with text. */
static void write_gomod(const char *dir, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/go.mod", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Choose for profile text (and --set go_version=cli when not NULL) in dir
 * with a local go1.26.8. */
static void choose(const char *text, const char *cli, const char *dir,
		   xb_gochoice *c)
{
	xb_profile p;
	xb_diags d;
	xb_err err = XB_ERR_INIT;

	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load_mem(&p, "t.yaml", text, strlen(text),
					     NULL, &d, &err), XB_OK);
	if (cli) {
		xb_settings s;
		xb_pos pos = { "<command line>", 0, 0 };
		xb_settings_init(&s);
		assert_int_equal(xb_settings_set(&s, "go_version", cli, pos, &err),
				 XB_OK);
		assert_int_equal(xb_profile_override(&p, &s, NULL, &d, &err), XB_OK);
		xb_settings_release(&s);
	}
	assert_int_equal(xb_gover_choose(&p, dir, "go1.26.8", c, &err), XB_OK);
	xb_profile_release(&p);
	xb_diags_release(&d);
}

/* Which release a run uses: --set, the profile, go.mod's toolchain line
 * when newer than the local go, the local go. */
static void go_choice(void **state)
{
	char dir[64], sub[96], *gomod = NULL, *tc = NULL;
	unsigned line = 0;
	xb_err err = XB_ERR_INIT;
	xb_gochoice c;
	const char *two = "version: 1\ndefaults: {go_version: 1.27.3}\n"
		"targets: [linux/amd64, {target: linux/arm64, go_version: 1.26.8}]\n";

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/xb-gover-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/cmd/app", dir);
	assert_int_equal(xb_mkdir_p(sub, &err), XB_OK);
	xb_gochoice_init(&c);

	/* the profile's defaults, even over a go.mod that says more */
	write_gomod(dir, "module m\n\ngo 1.21\n\ntoolchain go1.28.1\n");
	choose(two, NULL, sub, &c);
	assert_string_equal(c.version, "go1.27.3");
	assert_string_equal(c.source, "profile");
	assert_string_equal(c.origin, "t.yaml:2:12");
	assert_string_equal(c.why, "go_version: go1.27.3 at t.yaml:2:12");
	/* --set over everything */
	choose(two, "go1.25.4", sub, &c);
	assert_string_equal(c.version, "go1.25.4");
	assert_string_equal(c.source, "--set");
	assert_null(c.origin);
	assert_string_equal(c.why, "--set go_version=go1.25.4");
	/* a target's own, when nothing above sets it */
	choose("version: 1\ntargets: [linux/amd64, {target: linux/arm64, "
	       "go_version: 1.27.3}]\n", NULL, sub, &c);
	assert_string_equal(c.version, "go1.27.3");
	assert_string_equal(c.source, "profile");

	/* go.mod's toolchain line, found by walking up, newer than local */
	choose("version: 1\n", NULL, sub, &c);
	assert_string_equal(c.version, "go1.28.1");
	assert_string_equal(c.source, "go.mod");
	assert_non_null(strstr(c.origin, "/cmd/app/../../go.mod:5"));
	assert_non_null(strstr(c.why, "newer than the local go1.26.8"));
	/* comments and quotes, as the module file syntax allows */
	write_gomod(dir, "// toolchain go1.30.0\nmodule m\ngo 1.21\n"
		    "toolchain \"go1.27.3\" // for the new API\n");
	choose("version: 1\n", NULL, dir, &c);
	assert_string_equal(c.version, "go1.27.3");
	assert_non_null(strstr(c.origin, "/go.mod:4"));
	/* not newer: the local go, and why the line was not followed */
	write_gomod(dir, "module m\n\ngo 1.21\n\ntoolchain go1.26.8\n");
	choose("version: 1\n", NULL, sub, &c);
	assert_string_equal(c.version, "go1.26.8");
	assert_string_equal(c.source, "local");
	assert_null(c.origin);
	assert_non_null(strstr(c.why, "the local go (toolchain go1.26.8 in "));
	assert_non_null(strstr(c.why, "is not newer)"));
	/* not a release: ignored, said so */
	write_gomod(dir, "module m\ngo 1.21\ntoolchain go1.28rc1\n");
	choose("version: 1\n", NULL, sub, &c);
	assert_string_equal(c.source, "local");
	assert_non_null(strstr(c.why, "go1.28rc1"));
	assert_non_null(strstr(c.why, "is not a Go release: ignored"));
	/* no toolchain line */
	write_gomod(dir, "module m\ngo 1.21\n");
	choose("version: 1\n", NULL, sub, &c);
	assert_string_equal(c.version, "go1.26.8");
	assert_string_equal(c.why, "the local go");
	assert_int_equal(xb_gomod_toolchain(sub, &gomod, &line, &tc, &err), XB_OK);
	assert_non_null(strstr(gomod, "/cmd/app/../../go.mod"));
	assert_null(tc);
	assert_int_equal(line, 0);
	free(gomod);

	xb_gochoice_release(&c);
	xb_rm_rf(dir, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(go_release_names),
		cmocka_unit_test(go_choice),
	};
	return RUN(tests);
}
