/* test_archive_spec.c: archives: and checksum: read from a profile and
 * from a .goreleaser.yaml (GoReleaser's defaults, its spellings, what is
 * warned and what is refused), and printed back by --print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-text.h"

static const xb_profile_opts opts = { NULL, 0, true, NULL, NULL };

static const char profile[] =
	"version: 1\n"
	"name: hi\n"
	"targets: [linux/amd64]\n"
	"archives:\n"
	"  - id: main\n"
	"    builds: [cli]\n"
	"    name: '{{ .ProjectName }}_{{ .Os }}'\n"
	"    formats: [tar.zst, zip]\n"
	"    format_overrides:\n"
	"      windows: zip\n"
	"      darwin: [tar.gz, binary]\n"
	"    files:\n"
	"      - README*\n"
	"      - src: docs/*.md\n"
	"        dst: doc\n"
	"        strip_parent: true\n"
	"        info: {mode: 0600, mtime: '2020-01-02T03:04:05Z'}\n"
	"    wrap_in_directory: '{{ .ProjectName }}-{{ .Arch }}'\n"
	"    strip_binary_directory: true\n"
	"  - id: raw\n"
	"checksum:\n"
	"  name: '{{ .ProjectName }}.sums'\n"
	"  algorithm: sha512\n"
	"  ids: [main]\n";

static void xbuild_profile(void **state)
{
	const xb_archive_spec *a;
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, "x.yaml", profile), XB_OK);
	assert_int_equal(d.lines.n, 0);
	assert_true(p.has_archives);
	assert_int_equal(p.narchives, 2);
	a = &p.archives[0];
	assert_string_equal(a->id, "main");
	assert_int_equal(a->builds.n, 1);
	assert_string_equal(a->builds.v[0], "cli");
	assert_string_equal(a->name, "{{ .ProjectName }}_{{ .Os }}");
	assert_int_equal(a->formats.n, 2);
	assert_string_equal(a->formats.v[0], "tar.zst");
	assert_int_equal(a->noverrides, 2);
	assert_string_equal(a->overrides[0].goos, "windows");
	assert_string_equal(a->overrides[0].formats.v[0], "zip");
	assert_string_equal(a->overrides[1].goos, "darwin");
	assert_string_equal(a->overrides[1].formats.v[1], "binary");
	assert_int_equal(a->nfiles, 2);
	assert_string_equal(a->files[0].src, "README*");
	assert_null(a->files[0].dst);
	assert_int_equal(a->files[0].mode, -1);
	assert_false(a->files[0].has_mtime);
	assert_string_equal(a->files[1].src, "docs/*.md");
	assert_string_equal(a->files[1].dst, "doc");
	assert_true(a->files[1].strip_parent);
	assert_int_equal(a->files[1].mode, 0600);
	assert_true(a->files[1].has_mtime);
	assert_int_equal(a->files[1].mtime, 1577934245);
	assert_string_equal(a->wrap, "{{ .ProjectName }}-{{ .Arch }}");
	assert_true(a->strip_binary_directory);
	/* an entry's defaults in a profile: tar.gz, today's name, no files,
	 * no folder */
	a = &p.archives[1];
	assert_string_equal(a->formats.v[0], "tar.gz");
	assert_null(a->name);
	assert_int_equal(a->nfiles, 0);
	assert_null(a->wrap);
	assert_non_null(p.checksum);
	assert_string_equal(p.checksum->name, "{{ .ProjectName }}.sums");
	assert_string_equal(p.checksum->algorithm, "sha512");
	assert_string_equal(p.checksum->ids.v[0], "main");
	assert_false(p.checksum->disable);
	done(&p, &d);
}

/* --print writes what loads again to the same */
static void prints_back(void **state)
{
	xb_buf y1 = XB_BUF_INIT, y2 = XB_BUF_INIT;
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, "x.yaml", profile), XB_OK);
	assert_int_equal(xb_profile_yaml(&p, &y1), XB_OK);
	done(&p, &d);
	assert_int_equal(load_text(&p, &d, &opts, "y.yaml", xb_buf_str(&y1)), XB_OK);
	assert_int_equal(xb_profile_yaml(&p, &y2), XB_OK);
	assert_string_equal(xb_buf_str(&y1), xb_buf_str(&y2));
	assert_non_null(strstr(xb_buf_str(&y1), "mode: \"0600\""));
	done(&p, &d);
	xb_buf_release(&y1);
	xb_buf_release(&y2);
}

/* Without archives: and checksum:, a profile keeps the targets' archives
 * setting and SHA256SUMS. */
static void none_given(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, "x.yaml", "version: 1\n"
			      "targets: [linux/amd64]\n"), XB_OK);
	assert_false(p.has_archives);
	assert_int_equal(p.narchives, 0);
	assert_null(p.checksum);
	done(&p, &d);
}

static void goreleaser(void **state)
{
	const xb_archive_spec *a;
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml",
		"version: 2\n"
		"project_name: hi\n"
		"builds: [{goos: [linux], goarch: [amd64]}]\n"
		"archives:\n"
		"  - id: one\n"
		"    ids: [b1]\n"
		"    formats: [tgz]\n"
		"    name_template: '{{ .ProjectName }}_{{ .Os }}'\n"
		"    format_overrides:\n"
		"      - goos: windows\n"
		"        format: zip\n"
		"      - goos: darwin\n"
		"        formats: [txz, tzst]\n"
		"    files:\n"
		"      - LICENSE\n"
		"      - src: docs/*\n"
		"        info: {mode: 0644, owner: root}\n"
		"    wrap_in_directory: true\n"
		"    meta: true\n"
		"  - id: two\n"
		"    format: binary\n"
		"checksum:\n"
		"  name_template: sums.txt\n"
		"  algorithm: sha512\n"
		"  split: true\n"), XB_OK);
	assert_int_equal(p.narchives, 2);
	a = &p.archives[0];
	assert_string_equal(a->builds.v[0], "b1");
	assert_string_equal(a->formats.v[0], "tar.gz");
	assert_string_equal(a->name, "{{ .ProjectName }}_{{ .Os }}");
	assert_string_equal(a->overrides[0].formats.v[0], "zip");
	assert_string_equal(a->overrides[1].formats.v[0], "tar.xz");
	assert_string_equal(a->overrides[1].formats.v[1], "tar.zst");
	assert_int_equal(a->nfiles, 2);
	assert_string_equal(a->wrap, "");
	/* what is not read, warned with its line */
	assert_true(has_line(&d, ".goreleaser.yaml:19:5: warning: archives: "
			     "'meta' not handled, skipped"));
	assert_true(has_line(&d, ".goreleaser.yaml:17:28: warning: archives: "
			     "'owner' not handled, skipped"));
	assert_true(has_line(&d, ".goreleaser.yaml:25:3: warning: checksum: "
			     "'split' not handled, skipped"));
	/* GoReleaser's defaults: the binary name, its files */
	a = &p.archives[1];
	assert_string_equal(a->formats.v[0], "binary");
	assert_string_equal(a->name, "{{ .Binary }}_{{ .Version }}_{{ .Os }}_"
			    "{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with "
			    ".Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "
			    "\"v1\") }}{{ .Amd64 }}{{ end }}");
	assert_int_equal(a->nfiles, 6);
	assert_string_equal(a->files[3].src, "README*");
	assert_string_equal(p.checksum->name, "sums.txt");
	assert_string_equal(p.checksum->algorithm, "sha512");
	done(&p, &d);
}

/* A .goreleaser.yaml without archives: or checksum: gets GoReleaser's. */
static void goreleaser_defaults(void **state)
{
	const xb_archive_spec *a;
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load_text(&p, &d, &opts, ".goreleaser.yaml", "version: 2\n"
			      "builds: [{goos: [linux], goarch: [amd64]}]\n"),
			 XB_OK);
	assert_true(p.has_archives);
	assert_int_equal(p.narchives, 1);
	a = &p.archives[0];
	assert_string_equal(a->id, "default");
	assert_string_equal(a->formats.v[0], "tar.gz");
	assert_string_equal(a->name, "{{ .ProjectName }}_{{ .Version }}_{{ .Os "
			    "}}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ "
			    "with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "
			    "\"v1\") }}{{ .Amd64 }}{{ end }}");
	assert_int_equal(a->nfiles, 6);
	assert_null(a->wrap);
	assert_string_equal(p.checksum->name,
			    "{{ .ProjectName }}_{{ .Version }}_checksums.txt");
	assert_string_equal(p.checksum->algorithm, "sha256");
	done(&p, &d);
}

static void refused(void **state)
{
	static const struct { const char *name, *text, *line; } cases[] = {
		{ "x.yaml", "version: 1\narchives:\n  - formats: [tar]\n",
		  "x.yaml:3:14: archives: archive format 'tar' is not supported" },
		{ "x.yaml", "version: 1\narchives:\n  - nam: x\n",
		  "x.yaml:3:5: unknown key 'nam' in archives (did you mean "
		  "'name'?)" },
		{ "x.yaml", "version: 1\narchives: {id: x}\n",
		  "x.yaml:2:11: archives must be a list" },
		{ "x.yaml", "version: 1\narchives:\n  - id: a\n  - id: a\n",
		  "x.yaml:4:5: archives: id 'a' is used twice" },
		{ "x.yaml", "version: 1\narchives:\n  - name: '{{ .Oss }}'\n",
		  "x.yaml:3:15: unknown field '.Oss'" },
		{ "x.yaml", "version: 1\narchives:\n  - files: [../etc/passwd]\n",
		  "x.yaml:3:13: archives: '../etc/passwd' leaves the project" },
		{ "x.yaml", "version: 1\narchives:\n  - files: [{src: a, dst: /x}]\n",
		  "archives: '/x' leaves the archive" },
		{ "x.yaml", "version: 1\narchives:\n  - files: [{src: a, info: "
		  "{mode: 999}}]\n", "archives: mode '999' is not octal" },
		{ "x.yaml", "version: 1\narchives:\n  - files: [{src: a, info: "
		  "{mtime: yesterday}}]\n", "archives: mtime 'yesterday' is not a "
		  "time" },
		{ "x.yaml", "version: 1\narchives:\n  - format_overrides: "
		  "[{goos: windows}]\n", "format_overrides must be a mapping" },
		{ "x.yaml", "version: 1\nchecksum: {algorithm: md5}\n",
		  "x.yaml:2:23: checksum: algorithm 'md5' is not supported "
		  "(sha256 or sha512)" },
		{ "x.yaml", "version: 1\nchecksum: {disable: maybe}\n",
		  "checksum: disable must be true or false" },
		{ ".goreleaser.yaml", "version: 2\narchives:\n  - formats: [gz]\n",
		  "archive format 'gz' is not supported" },
		{ ".goreleaser.yaml", "version: 2\narchives:\n  - format_overrides:"
		  "\n      windows: zip\n", "format_overrides must be a list of "
		  "{goos, formats}" },
		{ ".goreleaser.yaml", "version: 2\narchives:\n  - format_overrides:"
		  "\n      - formats: [zip]\n", "a format override needs a goos" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xb_profile p;
		xb_diags d;

		assert_int_equal(load_text(&p, &d, &opts, cases[i].name, cases[i].text),
				 XB_ERR_PROFILE);
		if (!has_line(&d, cases[i].line))
			fail_msg("case %zu: no line has '%s'", i, cases[i].line);
		done(&p, &d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xbuild_profile),
		cmocka_unit_test(prints_back),
		cmocka_unit_test(none_given),
		cmocka_unit_test(goreleaser),
		cmocka_unit_test(goreleaser_defaults),
		cmocka_unit_test(refused),
	};
	return RUN(tests);
}
