/* test_tmpl: the template language of names, ldflags and env values. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "tmpl.h"

static const char *const env[] = { "GOPATH_X=/go", "EMPTY=", NULL };

static const xb_tmpl_vars vars = {
	.project_name = "hello", .version = "1.2.3", .raw_version = "1.2.3",
	.tag = "v1.2.3", .commit = "0123456789abcdef0123456789abcdef01234567",
	.short_commit = "0123456", .full_commit =
	"0123456789abcdef0123456789abcdef01234567",
	.date = "2026-12-01T06:00:00Z", .commit_date = "2026-11-30T10:00:00Z",
	.timestamp = "1795932000", .commit_timestamp = "1795845600",
	.os = "linux", .arch = "arm", .arm = "7", .amd64 = "v1", .arm64 = "v8.0",
	.target = "linux_arm_7", .binary = "hello", .is_snapshot = false,
	.env = env,
};

/* text expands to want with v */
static void expands_v(const char *text, const xb_tmpl_vars *v,
		      const char *want)
{
	char *out = NULL;
	xb_err err = XB_ERR_INIT;
	size_t at = 99;

	if (xb_tmpl_expand(text, v, &out, &at, &err))
		fail_msg("'%s': %s (at %zu)", text, xb_errmsg(&err), at);
	assert_non_null(out);
	if (strcmp(out, want))
		fail_msg("'%s' gave '%s', want '%s'", text, out, want);
	free(out);
	/* and the check alone accepts it */
	assert_int_equal(xb_tmpl_expand(text, NULL, &out, NULL, &err), XB_OK);
	assert_string_equal(out, "");
	free(out);
}

static void expands(const char *text, const char *want)
{
	expands_v(text, &vars, want);
}

/* text fails (in the check alone too unless live_only) at offset want_at
 * with a message holding msg */
static void fails_at(const char *text, size_t want_at, const char *msg,
		     bool live_only)
{
	char *out = (char *)"x";
	xb_err err = XB_ERR_INIT;
	size_t at = 12345;

	if (!xb_tmpl_expand(text, &vars, &out, &at, &err))
		fail_msg("'%s' expanded to '%s'", text, out);
	assert_null(out);
	if (at != want_at || !strstr(xb_errmsg(&err), msg))
		fail_msg("'%s': at %zu '%s', want at %zu '%s'", text, at,
			 xb_errmsg(&err), want_at, msg);
	at = 12345;
	if (live_only) {
		assert_int_equal(xb_tmpl_expand(text, NULL, NULL, &at, &err), XB_OK);
	} else {
		assert_int_not_equal(xb_tmpl_expand(text, NULL, NULL, &at, &err),
				     XB_OK);
		assert_int_equal(at, want_at);
	}
}

static void every_field(void **state)
{
	(void)state;
	expands("{{.ProjectName}}", "hello");
	expands("{{ .Version }}", "1.2.3");
	expands("{{.RawVersion}}", "1.2.3");
	expands("{{.Tag}}", "v1.2.3");
	expands("{{.Commit}}", "0123456789abcdef0123456789abcdef01234567");
	expands("{{.ShortCommit}}", "0123456");
	expands("{{.FullCommit}}", "0123456789abcdef0123456789abcdef01234567");
	expands("{{.Date}}", "2026-12-01T06:00:00Z");
	expands("{{.CommitDate}}", "2026-11-30T10:00:00Z");
	expands("{{.Timestamp}}", "1795932000");
	expands("{{.CommitTimestamp}}", "1795845600");
	expands("{{.Os}}/{{.Arch}}/{{.Arm}}/{{.Amd64}}/{{.Arm64}}",
		"linux/arm/7/v1/v8.0");
	expands("{{.Target}}", "linux_arm_7");
	expands("[{{.Mips}}]", "[]");
	expands("{{.Binary}}", "hello");
	expands("{{.IsSnapshot}}", "false");
	expands("{{.Env.GOPATH_X}}", "/go");
	expands("[{{.Env.EMPTY}}]", "[]");
	expands("no action", "no action");
	expands("", "");
	expands("a { b } c }}", "a { b } c }}");

	xb_tmpl_vars snap = vars;
	snap.is_snapshot = true;
	snap.arm = NULL;
	expands_v("{{.IsSnapshot}}[{{.Arm}}]", &snap, "true[]");
	/* the git tree's state, as GoReleaser's configs test it */
	expands("{{.IsGitDirty}} {{.IsGitClean}} {{.GitTreeState}}",
		"false true clean");
	xb_tmpl_vars dirty = vars;
	dirty.git_dirty = true;
	expands_v("{{ if .IsGitDirty }}{{ .Version }}-dirty{{ end }} "
		  "{{.GitTreeState}} {{ not .IsGitClean }}", &dirty,
		  "1.2.3-dirty dirty true");
}

static void functions(void **state)
{
	(void)state;
	expands("{{ tolower \"LiNuX\" }}", "linux");
	expands("{{ toupper .Os }}", "LINUX");
	expands("{{ .Os | toupper }}", "LINUX");
	expands("{{ title .Os }}", "Linux");
	expands("{{ title \"hello WORLD-foo_bar x86_64\" }}",
		"Hello World-Foo_bar X86_64");
	expands("{{ replace .Version \".\" \"_\" }}", "1_2_3");
	expands("{{ replace \"ab\" \"\" \"-\" }}", "-a-b-");
	expands("{{ replace \"aaa\" \"aa\" \"b\" }}", "ba");
	expands("{{ trimprefix .Tag \"v\" }}", "1.2.3");
	expands("{{ trimprefix .Tag \"x\" }}", "v1.2.3");
	expands("{{ trimsuffix \"a.tar.gz\" \".gz\" }}", "a.tar");
	expands("{{ trimsuffix \"gz\" \"a.gz\" }}", "gz");
	/* the piped value is the last argument, as in Go */
	expands("{{ \"v\" | trimprefix .Tag }}", "1.2.3");
	expands("{{ .Os | title | toupper }}", "LINUX");
	expands("{{ toupper (trimprefix .Tag \"v\") }}", "1.2.3");
	expands("{{ eq .Os \"linux\" }} {{ ne .Os \"linux\" }}", "true false");
	expands("{{ eq .Arch \"amd64\" \"arm\" }}", "true");
	expands("{{ eq .IsSnapshot .IsSnapshot }}", "true");
	expands("{{ `raw \\n \"q\"` }}", "raw \\n \"q\"");
	expands("{{ \"a\\tb\\n\\\\\\\"\" }}", "a\tb\n\\\"");
}

static void conditions(void **state)
{
	(void)state;
	expands("{{ if .IsSnapshot }}snap{{ else }}rel{{ end }}", "rel");
	expands("{{ if eq .Os \"linux\" }}L{{ end }}x", "Lx");
	expands("{{ if eq .Os \"darwin\" }}D{{ else if eq .Arch \"arm\" }}A"
		"{{ else }}O{{ end }}", "A");
	expands("{{ if eq .Os \"darwin\" }}D{{ else if eq .Arch \"x\" }}A"
		"{{ else }}O{{ end }}", "O");
	expands("{{ if .Arm }}v{{ .Arm }}{{ end }}", "v7");
	expands("{{ if .Os }}{{ if ne .Arch \"arm\" }}a{{ else }}b{{ end }}"
		"{{ end }}", "b");
	expands("{{ if (eq .Os \"linux\") }}y{{ end }}", "y");
	/* the branch not taken is read, not run: an unset variable there
	 * is fine */
	expands("{{ if .IsSnapshot }}{{ .Env.NOT_SET_ANYWHERE }}{{ end }}ok",
		"ok");
}

static void trimming(void **state)
{
	(void)state;
	expands("a  \n {{- .Os -}} \t\n b", "alinuxb");
	expands("a {{- .Os }} b", "alinux b");
	expands("a {{ .Os -}} b", "a linuxb");
	expands("{{ if .Os -}}\n  yes\n{{- end }}", "yes");
}

static void errors(void **state)
{
	(void)state;
	fails_at("ab{{ .Nope }}", 5, "unknown field '.Nope'", false);
	fails_at("{{ .Os | lower }}", 9, "unknown function 'lower'", false);
	fails_at("x{{ .Os", 7, "unclosed action", false);
	fails_at("{{ if .Os }}x", 3, "unclosed {{if}}", false);
	fails_at("{{ end }}", 9, "{{end}} without {{if}} or {{with}}", false);
	fails_at("{{ tolower }}", 3, "tolower takes 1 argument, not 0", false);
	fails_at("{{ replace .Os \"a\" }}", 3, "replace takes 3", false);
	fails_at("{{ ne .Os }}", 3, "ne takes 2", false);
	fails_at("{{ eq .Os .IsSnapshot }}", 10, "compares a string with a "
		 "boolean", false);
	fails_at("{{ toupper .IsSnapshot }}", 11, "not a boolean", false);
	fails_at("{{ \"abc }}", 3, "unterminated string", false);
	fails_at("{{ \"a\\q\" }}", 5, "unknown escape", false);
	fails_at("{{ .Os .Arch }}", 7, "after a value", false);
	fails_at("{{ .Os }x", 7, "a single '}'", false);
	fails_at("{{ .Os | .Arch }}", 9, "only a function", false);
	fails_at("{{ .Env }}", 3, "needs a variable name", false);
	fails_at("{{ .Env", 3, "needs a variable name", false);
	fails_at("{{ .Os.X }}", 6, "has no fields", false);
	fails_at("{{ }}", 3, "empty action", false);
	fails_at("{{ eq .Os linux }}", 10, "'linux' is not a value", false);
	fails_at("{{ (tolower .Os }}", 16, "unclosed '('", false);
	fails_at("{{ if }}x{{ end }}", 3, "if needs a condition", false);
	fails_at("{{ if .Os }}{{ else }}{{ else }}{{ end }}", 3,
		 "a second {{else}}", false);
	fails_at("{{ . }}", 3, "'.' alone is the value of a {{with}}", false);
	fails_at("{{ .- }}", 3, "'.' must start a field", false);
	/* an unset variable is an error only when the expansion runs */
	fails_at("x{{ .Env.NOT_SET_ANYWHERE }}", 4, "NOT_SET_ANYWHERE is "
		 "not set", true);
}

/* GoReleaser's default archive name, and what it is made of: with (its
 * dot, its else, else with), not, and, or, .Mips. */
static void with_not_and_or(void **state)
{
	static const char *const dflt = "{{ .ProjectName }}_{{ .Version }}_"
		"{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}"
		"{{ with .Mips }}_{{ . }}{{ end }}"
		"{{ if not (eq .Amd64 \"v1\") }}{{ .Amd64 }}{{ end }}";
	xb_tmpl_vars v = vars;

	(void)state;
	expands(dflt, "hello_1.2.3_linux_armv7");
	v.arch = "amd64", v.arm = NULL, v.amd64 = "v1";
	expands_v(dflt, &v, "hello_1.2.3_linux_amd64");
	v.amd64 = "v3";
	expands_v(dflt, &v, "hello_1.2.3_linux_amd64v3");
	v.amd64 = NULL;
	expands_v(dflt, &v, "hello_1.2.3_linux_amd64");
	v.arch = "mipsle", v.mips = "softfloat";
	expands_v(dflt, &v, "hello_1.2.3_linux_mipsle_softfloat");
	expands("{{ with .Arm }}[{{ . | toupper }}]{{ else }}none{{ end }}", "[7]");
	expands("{{ with .Mips }}[{{ . }}]{{ else }}none{{ end }}", "none");
	expands("{{ with .Mips }}m{{ else with .Arm }}a{{ . }}{{ end }}", "a7");
	expands("{{ with .Mips }}m{{ else if .Arm }}a{{ end }}", "a");
	expands("{{ with .Arm }}{{ with .Os }}{{ . }}{{ end }}{{ . }}{{ end }}",
		"linux7");
	expands("{{ with .IsSnapshot }}snap{{ else }}no{{ end }}", "no");
	expands("{{ with eq .Os \"linux\" }}{{ . }}{{ end }}", "true");
	expands("{{ not .IsSnapshot }} {{ not .Os }} {{ not .Mips }}",
		"true false true");
	expands("{{ and .Os .Arch }}|{{ and .Mips .Arch }}|{{ or .Mips .Arch }}"
		"|{{ or .Mips \"\" }}|{{ and .Os .Arm .Binary }}",
		"arm||arm||hello");
	expands("{{ if and .Arm (not .IsSnapshot) }}y{{ end }}", "y");
	expands("{{ if or .IsSnapshot (eq .Os \"linux\") }}y{{ end }}", "y");
	fails_at("{{ with .Os }}x", 3, "unclosed {{with}}", false);
	fails_at("{{ with }}x{{ end }}", 3, "with needs a condition", false);
	fails_at("{{ with .Os }}{{ end }}{{ . }}", 26,
		 "'.' alone is the value of a {{with}}", false);
	fails_at("{{ with .Arm }}{{ else }}{{ . }}{{ end }}", 28,
		 "'.' alone is the value of a {{with}}", false);
	fails_at("{{ not .Os .Arch }}", 3, "not takes 1 argument, not 2", false);
	fails_at("{{ and .Os }}", 3, "and takes at least 2 arguments", false);
	expands("{{ or .Os .IsSnapshot }} {{ and .Os .IsSnapshot }} {{ and .Os "
		"(not .IsSnapshot) }}", "true false true");
	fails_at("{{ with .Arm }}{{ else }}{{ else }}{{ end }}", 3,
		 "a second {{else}} in one {{with}}", false);
}

static void caps(void **state)
{
	char *big = malloc(XB_TMPL_IN_MAX + 2), *out;
	xb_buf t = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	size_t at;

	(void)state;
	memset(big, 'a', XB_TMPL_IN_MAX + 1);
	big[XB_TMPL_IN_MAX + 1] = '\0';
	assert_int_equal(xb_tmpl_expand(big, &vars, &out, &at, &err),
			 XB_ERR_TOO_BIG);
	big[XB_TMPL_IN_MAX] = '\0';
	assert_int_equal(xb_tmpl_expand(big, &vars, &out, &at, &err), XB_OK);
	assert_int_equal(strlen(out), XB_TMPL_IN_MAX);
	free(out);
	free(big);

	/* replace "" grows each value; a chain of them hits the cap */
	for (int i = 0; i < 12; i++)
		xb_buf_adds(&t, "(replace ");
	xb_buf_adds(&t, "\"ab\"");
	for (int i = 0; i < 12; i++)
		xb_buf_adds(&t, " \"\" \"xyzxyzxyzxyz\")");
	xb_buf_adds(&t, "}}");
	{
		xb_buf full = XB_BUF_INIT;
		xb_buf_adds(&full, "{{ ");
		xb_buf_adds(&full, xb_buf_str(&t));
		assert_int_equal(xb_tmpl_expand(xb_buf_str(&full), &vars, &out,
						&at, &err), XB_ERR_TOO_BIG);
		assert_non_null(strstr(xb_errmsg(&err), "longer than"));
		xb_buf_release(&full);
	}
	xb_buf_release(&t);

	/* nesting */
	xb_buf_init(&t, 0);
	for (int i = 0; i < XB_TMPL_DEPTH_MAX + 1; i++)
		xb_buf_adds(&t, "{{ if .Os }}");
	for (int i = 0; i < XB_TMPL_DEPTH_MAX + 1; i++)
		xb_buf_adds(&t, "{{ end }}");
	assert_int_equal(xb_tmpl_expand(xb_buf_str(&t), NULL, NULL, &at, &err),
			 XB_ERR_TOO_BIG);
	xb_buf_release(&t);
	xb_buf_init(&t, 0);
	for (int i = 0; i < XB_TMPL_DEPTH_MAX; i++)
		xb_buf_adds(&t, "{{ if .Os }}");
	xb_buf_adds(&t, "x");
	for (int i = 0; i < XB_TMPL_DEPTH_MAX; i++)
		xb_buf_adds(&t, "{{ end }}");
	assert_int_equal(xb_tmpl_expand(xb_buf_str(&t), &vars, &out, &at, &err),
			 XB_OK);
	assert_string_equal(out, "x");
	free(out);
	xb_buf_release(&t);
	assert_true(xb_tmpl_has_action("a{{b"));
	assert_false(xb_tmpl_has_action("a{b}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field),
		cmocka_unit_test(functions),
		cmocka_unit_test(conditions),
		cmocka_unit_test(trimming),
		cmocka_unit_test(errors),
		cmocka_unit_test(with_not_and_or),
		cmocka_unit_test(caps),
	};
	return RUN(tests);
}
