/* test_goreleaser.c: a .goreleaser.yaml read into a profile: the keys
 * mapped, the defaults of a build, what is skipped and what is refused;
 * and profile discovery's order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile-text.h"

static const char *const envp[] = { "XBUILD_VERSION=3.1.4", NULL };
static const xb_profile_opts opts = { envp, 0, false, NULL, NULL };

static void one_build(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
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
	const xb_profile *b = xb_profile_build(&p, 0);
	assert_int_equal(p.nbuilds, 1);
	assert_string_equal(p.name, "tool");
	assert_string_equal(b->id, "tool");
	/* GoReleaser's dist layout: <id>_<os>_<arch>[_<level>]/<binary> */
	assert_non_null(strstr(b->output, "out/tool_{{ .Os }}_{{ .Arch }}"));
	assert_non_null(strstr(b->output, "/tl{ext}"));
	assert_int_equal(b->main.n, 1);
	assert_string_equal(b->main.v[0], "./cmd/tool");
	/* linux and freebsd x amd64/v1, arm/6, arm/7, less freebsd/arm/6 */
	assert_int_equal(b->ntargets, 5);
	assert_int_equal(p.ntargets, 5);
	assert_string_equal(b->targets[0].name, "linux/amd64/v1");
	for (size_t i = 0; i < b->ntargets; i++)
		assert_string_not_equal(b->targets[i].name, "freebsd/arm/6");
	assert_string_equal(b->defaults.cgo, "off");
	assert_int_equal(b->defaults.strip, 1);
	assert_int_equal(b->defaults.trimpath, 1);
	/* templates are kept for the plan; an action stays in its word */
	assert_int_equal(b->defaults.ldflags.n, 6);
	assert_string_equal(b->defaults.ldflags.v[1], "main.v={{.Version}}");
	assert_string_equal(b->defaults.ldflags.v[3], "main.d={{ .Date }}");
	assert_string_equal(b->defaults.ldflags.v[5], "main.n=x");
	/* tags: replaces flags' -tags= */
	assert_int_equal(b->defaults.tags.n, 2);
	assert_string_equal(b->defaults.tags.v[0], "b");
	/* the top level's env: is every build's */
	assert_int_equal(b->defaults.env.n, 1);
	assert_string_equal(b->defaults.env.v[0], "FOO=bar");
	assert_int_equal(d.warnings, 0);
	done(&p, &d);
}

static void defaults_and_skipped(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, "x/.goreleaser.yml",
		"version: 1\n"
		"before: {hooks: [make, {cmd: go generate ./..., dir: x}]}\n"
		"archives: [{format: zip}]\n"
		"release: {draft: true}\n"
		"builds:\n"
		"  - main: .\n"
		"    gcflags: [-N]\n"), XB_OK);
	/* darwin, linux, windows x 386, amd64, arm64; darwin/386 is not Go's */
	assert_int_equal(p.ntargets, 8);
	assert_int_equal(xb_profile_build(&p, 0)->ntargets, 8);
	/* no project_name: the build is named for its binary */
	assert_null(p.builds[0].name);
	assert_non_null(strstr(p.builds[0].output, "/{name}{ext}"));
	/* before: hooks, a {cmd:} among them; its other keys said once */
	assert_int_equal(p.before.n, 2);
	assert_string_equal(p.before.v[0], "make");
	assert_string_equal(p.before.v[1], "go generate ./...");
	assert_int_equal(has_line(&d, "hook key 'dir' is not handled"), 1);
	assert_int_equal(has_line(&d, "'before' not handled"), 0);
	assert_int_equal(p.builds[0].defaults.gcflags.n, 1);
	/* version 1's format: is the archive's one format */
	assert_int_equal(has_line(&d, "'archives' not handled"), 0);
	assert_true(p.has_archives);
	assert_int_equal(p.narchives, 1);
	assert_int_equal(p.archives[0].formats.n, 1);
	assert_string_equal(p.archives[0].formats.v[0], "zip");
	assert_int_equal(p.defaults.archives.n, 0);
	assert_int_equal(has_line(&d, "x/.goreleaser.yml:4:1: warning: "
				  "'release' not handled, skipped"), 1);
	assert_int_equal(has_line(&d, "build key 'gcflags' is not handled"), 0);
	assert_int_equal(has_line(&d, "darwin/386 skipped"), 1);
	done(&p, &d);
}

static void refused(void **state)
{
	static const struct { const char *text, *line; } cases[] = {
		{ "version: 2\nbuilds:\n  - {id: a, main: .}\n  - {id: a, main: ./b}\n",
		  ".goreleaser.yaml:4:10: build id 'a' is used twice" },
		{ "version: 2\nproject_name: p\nbuilds:\n  - main: .\n"
		  "  - main: ./b\n", "build id 'p' is used twice" },
		{ "version: 2\nbuilds: [{builder: rust}]\n",
		  "builder 'rust' is not supported" },
		{ "version: 2\nbuilds: [{hooks: {pre: ['echo \"a']}}]\n",
		  "hook 'echo \"a': unterminated \" string" },
		{ "version: 2\nsnapshot: {version_template: '{{ .Vers }}'}\n",
		  "unknown field '.Vers'" },
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

		assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
				      cases[i].text), XB_ERR_PROFILE);
		if (!has_line(&d, cases[i].line)) {
			for (size_t j = 0; j < d.lines.n; j++)
				print_message("got: %s\n", d.lines.v[j]);
			fail_msg("case %zu: no line has '%s'", i, cases[i].line);
		}
		done(&p, &d);
	}
}

static void several_builds(void **state)
{
	xb_profile p;
	xb_diags d;
	const xb_profile *srv, *cli;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
		"version: 2\n"
		"project_name: proj\n"
		"env: [CGO_ENABLED=0]\n"
		"snapshot: {version_template: '{{ .Version }}-next'}\n"
		"builds:\n"
		"  - id: srv\n"
		"    main: ./cmd/srv\n"
		"    binary: proj-server\n"
		"    goos: [linux]\n"
		"    goarch: [amd64, arm64]\n"
		"    goamd64: [v1, v3]\n"
		"    hooks:\n"
		"      pre: touch pre-{{ .Os }}\n"
		"      post: [{cmd: 'upx \"{{ .Path }}\"'}, 'strip {{ .Path }}']\n"
		"    overrides:\n"
		"      - goos: linux\n"
		"        goarch: amd64\n"
		"        goamd64: v3\n"
		"        tags: [fast]\n"
		"  - id: cli\n"
		"    main: ./cmd/cli\n"
		"    goos: [linux, freebsd]\n"
		"    goarch: [arm64]\n"
		"    no_unique_dist_dir: true\n"
		"    x-xbuild: {linkage: static, expect: {pie: false}}\n"),
		XB_OK);
	assert_int_equal(p.nbuilds, 2);
	assert_int_equal(xb_profile_nbuilds(&p), 2);
	srv = xb_profile_build(&p, 0);
	cli = xb_profile_build(&p, 1);
	assert_string_equal(srv->id, "srv");
	assert_string_equal(cli->id, "cli");
	/* each build its own targets; the top level their union, in order */
	assert_int_equal(srv->ntargets, 3);
	assert_string_equal(srv->targets[0].name, "linux/amd64/v1");
	assert_string_equal(srv->targets[1].name, "linux/amd64/v3");
	assert_string_equal(srv->targets[2].name, "linux/arm64");
	assert_int_equal(cli->ntargets, 2);
	assert_int_equal(p.ntargets, 4);
	assert_string_equal(p.targets[3].name, "freebsd/arm64");
	/* the override reaches linux/amd64/v3 alone */
	assert_int_equal(srv->targets[1].s.tags.n, 1);
	assert_string_equal(srv->targets[1].s.tags.v[0], "fast");
	assert_int_equal(srv->targets[0].s.tags.n, 0);
	/* hooks, as written: templates expanded when run */
	assert_int_equal(srv->hooks_pre.n, 1);
	assert_string_equal(srv->hooks_pre.v[0], "touch pre-{{ .Os }}");
	assert_int_equal(srv->hooks_post.n, 2);
	assert_string_equal(srv->hooks_post.v[0], "upx \"{{ .Path }}\"");
	assert_int_equal(cli->hooks_post.n, 0);
	/* top-level env: in both; x-xbuild: in cli only */
	assert_string_equal(srv->targets[0].s.cgo, "off");
	assert_string_equal(cli->targets[0].s.cgo, "off");
	assert_string_equal(cli->targets[0].s.linkage, "static");
	assert_int_equal(cli->targets[0].s.expect.pie, 0);
	assert_string_not_equal(srv->targets[0].s.linkage, "static");
	/* outputs: GoReleaser's dist folders; no_unique_dist_dir: flat */
	assert_non_null(strstr(srv->output, "dist/srv_{{ .Os }}"));
	assert_string_equal(cli->output, "dist/{name}{ext}");
	assert_string_equal(p.snapshot_version, "{{ .Version }}-next");
	assert_int_equal(d.warnings, 0);
	done(&p, &d);
}

static void sboms(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
		"version: 2\n"
		"sboms:\n"
		"  - artifacts: archive\n"
		"    cmd: syft\n"
		"    documents: ['{{ .ArtifactName }}.sbom.json']\n"), XB_OK);
	assert_string_equal(p.builds[0].defaults.sbom, "cyclonedx");
	assert_int_equal(has_line(&d, ".goreleaser.yaml:3:16: warning: sboms: "
				  "artifacts: archive is written as one SBOM per "
				  "binary"), 1);
	/* the scanner's keys: said once, not per key */
	assert_int_equal(has_line(&d, "xbuild writes each binary's CycloneDX "
				  "SBOM itself"), 1);
	assert_int_equal(has_line(&d, "'sboms' not handled"), 0);
	done(&p, &d);
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
		cmocka_unit_test(several_builds),
		cmocka_unit_test(sboms),
		cmocka_unit_test(discovery_order),
	};
	return RUN(tests);
}
