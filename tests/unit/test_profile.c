/* test_profile.c: every key, every default and every merge rule of the
 * profile loader, the command-line setter and the resolved model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile-text.h"

static const char *const envp[] = { "VER=1.2.3", "EMPTY=", "HOME=/h", NULL };
static const xb_profile_opts opts = { envp, 0, false, NULL, NULL };

/* Load text; returns the code, keeps diagnostics in d. */
static xb_code load(xb_profile *p, xb_diags *d, const char *text)
{
	xb_err err = XB_ERR_INIT;

	xb_profile_init(p);
	xb_diags_init(d);
	xb_code rc = xb_profile_load_mem(p, "t.yaml", text, strlen(text), &opts,
					 d, &err);
	for (size_t i = 0; rc && i < d->lines.n; i++)
		print_message("# %s\n", d->lines.v[i]);
	return rc;
}

/* The one diagnostic line of text, which must fail. */
static void fails_with(const char *text, const char *line)
{
	xb_profile p;
	xb_diags d;

	assert_int_equal(load(&p, &d, text), XB_ERR_PROFILE);
	for (size_t i = 0; i < d.lines.n; i++)
		if (strstr(d.lines.v[i], line)) {
			done(&p, &d);
			return;
		}
	for (size_t i = 0; i < d.lines.n; i++)
		print_message("got: %s\n", d.lines.v[i]);
	fail_msg("no diagnostic contains '%s'", line);
}

static void builtin_defaults(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d, "version: 1\ntargets: [linux/amd64]\n"), XB_OK);
	assert_int_equal(d.lines.n, 0);
	assert_int_equal(p.ntargets, 1);
	const xb_settings *s = &p.targets[0].s;
	assert_string_equal(s->linkage, "auto");
	assert_string_equal(s->cgo, "auto");
	assert_string_equal(s->linker, "auto");
	assert_string_equal(s->libc, "auto");
	assert_string_equal(s->buildmode, "default");
	assert_string_equal(s->nss_warnings, "error");
	assert_int_equal(s->strip, 0);
	assert_int_equal(s->debug, 1);
	assert_int_equal(s->trimpath, 1);
	assert_int_equal(s->reproducible, 1);
	assert_int_equal(s->static_libstdcxx, 0);
	assert_null(s->go);
	assert_null(s->sysroot);
	assert_null(s->pkg_config_path);
	assert_int_equal(s->tags.n + s->ldflags.n + s->gcflags.n +
			 s->extldflags.n + s->env.n + s->toolchain.n +
			 s->extra_libs.n + s->smoke.n + s->archives.n, 0);
	assert_null(s->expect.linkage);
	assert_int_equal(s->expect.stripped, -1);
	assert_string_equal(p.output, XB_DEFAULT_OUTPUT);
	assert_null(p.name);
	assert_int_equal(p.main.n, 0);
	assert_string_equal(s->pos[XB_S_LINKAGE].file, "<built-in>");
	done(&p, &d);
}

static void every_key(void **state)
{
	static const char text[] =
		"version: 1\n"
		"name: srv\n"
		"main: [./cmd/a, ./cmd/b]\n"
		"output: \"out/${VER}/{name}{ext}\"\n"
		"defaults:\n"
		"  linkage: dynamic\n"
		"  cgo: on\n"
		"  linker: external\n"
		"  libc: musl\n"
		"  buildmode: pie\n"
		"  strip: false\n"
		"  debug: true\n"
		"  trimpath: true\n"
		"  reproducible: false\n"
		"  tags: netgo, osusergo\n"
		"  ldflags: -X main.v=${VER}\n"
		"  gcflags: [-N, -l]\n"
		"  extldflags: -Wl,-z,now\n"
		"  env: {GOPRIVATE: \"x/*\", HOMEDIR: \"${HOME}\"}\n"
		"  go: ${HOME}/go/bin/go\n"
		"  toolchain: [zig, system]\n"
		"  sysroot: /opt/${NOPE:-sr}\n"
		"  pkg_config_path: /opt/pc\n"
		"  extra_libs: [ssl, -lcrypto]\n"
		"  static_libstdcxx: true\n"
		"  nss_warnings: warn\n"
		"  smoke: [--version]\n"
		"  archives: [tar.xz, zip]\n"
		"  expect:\n"
		"    linkage: dynamic\n"
		"    libc: musl\n"
		"    max_glibc: '2.17'\n"
		"    needed: [libc.so]\n"
		"    stripped: false\n"
		"    pie: true\n"
		"    relro: full\n"
		"    format: elf\n"
		"    arch: arm64\n"
		"    interpreter: /lib/ld-musl-aarch64.so.1\n"
		"    go_settings: {CGO_ENABLED: '1'}\n"
		"targets: [linux/arm64]\n";
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d, text), XB_OK);
	const xb_settings *s = &p.targets[0].s;
	assert_string_equal(p.name, "srv");
	assert_int_equal(p.main.n, 2);
	assert_string_equal(p.output, "out/1.2.3/{name}{ext}");
	assert_string_equal(s->linkage, "dynamic");
	assert_string_equal(s->cgo, "on");
	assert_string_equal(s->linker, "external");
	assert_string_equal(s->libc, "musl");
	assert_string_equal(s->buildmode, "pie");
	assert_int_equal(s->strip, 0);
	assert_int_equal(s->debug, 1);
	assert_int_equal(s->reproducible, 0);
	assert_int_equal(s->tags.n, 2);
	assert_string_equal(s->tags.v[1], "osusergo");
	assert_int_equal(s->ldflags.n, 2);
	assert_string_equal(s->ldflags.v[1], "main.v=1.2.3");
	assert_string_equal(s->gcflags.v[1], "-l");
	assert_string_equal(s->extldflags.v[0], "-Wl,-z,now");
	assert_string_equal(xb_strv_getenv(&s->env, "GOPRIVATE"), "x/*");
	assert_string_equal(xb_strv_getenv(&s->env, "HOMEDIR"), "/h");
	assert_string_equal(s->go, "/h/go/bin/go");
	assert_string_equal(s->toolchain.v[0], "zig");
	assert_string_equal(s->sysroot, "/opt/sr");
	assert_string_equal(s->pkg_config_path, "/opt/pc");
	assert_string_equal(s->extra_libs.v[1], "-lcrypto");
	assert_int_equal(s->static_libstdcxx, 1);
	assert_string_equal(s->nss_warnings, "warn");
	assert_string_equal(s->smoke.v[0], "--version");
	assert_string_equal(s->archives.v[0], "tar.xz");
	assert_string_equal(s->expect.linkage, "dynamic");
	assert_string_equal(s->expect.libc, "musl");
	assert_string_equal(s->expect.max_glibc, "2.17");
	assert_true(s->expect.needed_set);
	assert_string_equal(s->expect.needed.v[0], "libc.so");
	assert_int_equal(s->expect.stripped, 0);
	assert_int_equal(s->expect.pie, 1);
	assert_string_equal(s->expect.relro, "full");
	assert_string_equal(s->expect.format, "elf");
	assert_string_equal(s->expect.arch, "arm64");
	assert_string_equal(xb_strv_getenv(&s->expect.go_settings, "CGO_ENABLED"), "1");
	assert_int_equal(s->pos[XB_S_LIBC].line, 9);
	assert_int_equal(s->pos[XB_S_LIBC].col, 3);
	assert_int_equal(d.lines.n, 0);
	done(&p, &d);
}

static void targets_and_overrides(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d,
		"version: 1\n"
		"defaults: {strip: true, debug: false, tags: [a]}\n"
		"targets:\n"
		"  - linux/amd64/v3\n"
		"  - linux/arm/v7\n"
		"  - target: linux/arm64\n"
		"    tags: [b, c]\n"
		"    strip: false\n"
		"    debug: true\n"), XB_OK);
	assert_int_equal(p.ntargets, 3);
	assert_string_equal(p.targets[0].name, "linux/amd64/v3");
	assert_string_equal(p.targets[0].variant, "v3");
	assert_string_equal(p.targets[1].name, "linux/arm/7"); /* v7 is 7 */
	assert_string_equal(p.targets[1].variant, "7");
	assert_null(p.targets[2].variant);
	assert_int_equal(p.targets[0].s.strip, 1);
	assert_int_equal(p.targets[2].s.strip, 0);
	/* lists replace */
	assert_int_equal(p.targets[0].s.tags.n, 1);
	assert_int_equal(p.targets[2].s.tags.n, 2);
	assert_string_equal(p.targets[2].s.tags.v[0], "b");
	assert_int_equal(p.targets[2].s.pos[XB_S_TAGS].line, 7);
	done(&p, &d);
}

static void matrix_and_ignore(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d,
		"version: 1\n"
		"targets:\n"
		"  - os: [linux, windows, darwin]\n"
		"    arch: [amd64, arm64]\n"
		"  - {os: linux, arch: arm, variant: ['6', '7']}\n"
		"ignore: [windows/arm64, darwin/*, linux/arm/6, plan9/*]\n"), XB_OK);
	assert_int_equal(p.ntargets, 4);
	assert_string_equal(p.targets[0].name, "linux/amd64");
	assert_string_equal(p.targets[1].name, "linux/arm64");
	assert_string_equal(p.targets[2].name, "windows/amd64");
	assert_string_equal(p.targets[3].name, "linux/arm/7");
	/* a pattern that matches nothing is a warning */
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.lines.v[0], "'plan9/*' matches no target"));
	done(&p, &d);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void extends_merges_maps_replaces_lists(void **state)
{
	char dir[] = "/tmp/xb-prof-XXXXXX", a[64], b[64];
	xb_err err = XB_ERR_INIT;
	xb_profile p;
	xb_diags d;
	const char *files[1];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/base.yaml", dir);
	snprintf(b, sizeof(b), "%s/child.yaml", dir);
	write_file(a, "version: 1\nname: base\nmain: [./a, ./b]\n"
		   "defaults:\n  linkage: static\n  tags: [x, y]\n"
		   "  env: {A: '1', B: '2'}\n"
		   "  expect: {linkage: static, go_settings: {CGO_ENABLED: '0'}}\n"
		   "targets: [linux/amd64, linux/arm64]\n");
	write_file(b, "version: 1\nextends: base.yaml\n"
		   "defaults:\n  tags: [z]\n  env: {B: '3', C: '4'}\n"
		   "  expect: {stripped: true}\n  strip: true\n  debug: false\n"
		   "targets: [linux/riscv64]\n");
	files[0] = b;
	xb_profile_init(&p);
	xb_diags_init(&d);
	xb_code rc = xb_profile_load(&p, files, 1, &opts, &d, &err);
	for (size_t i = 0; rc && i < d.lines.n; i++)
		print_message("# %s\n", d.lines.v[i]);
	assert_int_equal(rc, XB_OK);
	assert_string_equal(p.name, "base");       /* scalars: kept unless set */
	assert_int_equal(p.main.n, 2);
	assert_int_equal(p.ntargets, 1);            /* lists replace */
	assert_string_equal(p.targets[0].name, "linux/riscv64");
	const xb_settings *s = &p.targets[0].s;
	assert_string_equal(s->linkage, "static");  /* from the parent */
	assert_int_equal(s->tags.n, 1);             /* lists replace */
	assert_string_equal(s->tags.v[0], "z");
	assert_string_equal(xb_strv_getenv(&s->env, "A"), "1"); /* maps merge */
	assert_string_equal(xb_strv_getenv(&s->env, "B"), "3");
	assert_string_equal(xb_strv_getenv(&s->env, "C"), "4");
	assert_string_equal(s->expect.linkage, "static");
	assert_int_equal(s->expect.stripped, 1);
	assert_string_equal(xb_strv_getenv(&s->expect.go_settings, "CGO_ENABLED"), "0");
	assert_int_equal(p.files.n, 2);
	assert_string_equal(s->pos[XB_S_LINKAGE].file, a);
	assert_string_equal(s->pos[XB_S_TAGS].file, b);
	done(&p, &d);

	/* several files are layers, the later one winning */
	const char *two[2] = { a, b };
	write_file(b, "version: 1\ndefaults: {cgo: off}\n");
	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load(&p, two, 2, &opts, &d, &err), XB_OK);
	assert_int_equal(p.ntargets, 2);
	assert_string_equal(p.targets[0].s.cgo, "off");
	assert_string_equal(p.targets[0].s.linkage, "static");
	assert_int_equal(p.targets[0].s.tags.n, 2);
	done(&p, &d);

	/* a cycle is named */
	write_file(a, "version: 1\nextends: child.yaml\n");
	write_file(b, "version: 1\nextends: base.yaml\n");
	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load(&p, files, 1, &opts, &d, &err),
			 XB_ERR_PROFILE);
	assert_non_null(strstr(d.lines.v[0], "extends cycle: "));
	done(&p, &d);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

static void command_line_overrides(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_settings cli;
	xb_strv targets = XB_STRV_INIT;
	xb_pos pos = { "<command line>", 0, 0 };
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d,
		"version: 1\ndefaults: {linkage: dynamic, cgo: on}\n"
		"targets:\n  - linux/amd64\n  - target: linux/arm64\n"
		"    toolchain: [zig]\n"), XB_OK);
	xb_settings_init(&cli);
	assert_int_equal(xb_settings_set(&cli, "linkage", "static", pos, &err), XB_OK);
	assert_int_equal(xb_settings_set(&cli, "tags", "a,b c", pos, &err), XB_OK);
	assert_int_equal(xb_settings_set(&cli, "ldflags", "-X a=b -s", pos, &err), XB_OK);
	assert_int_equal(xb_settings_set(&cli, "env", "FOO=bar", pos, &err), XB_OK);
	assert_int_equal(xb_settings_set(&cli, "expect", "pie=false", pos, &err), XB_OK);
	assert_int_equal(cli.tags.n, 3);
	assert_int_equal(cli.ldflags.n, 3);
	xb_strv_push(&targets, "linux/arm64");
	xb_strv_push(&targets, "windows/amd64");
	assert_int_equal(xb_profile_override(&p, &cli, &targets, &d, &err), XB_OK);
	assert_int_equal(p.ntargets, 2);
	assert_string_equal(p.targets[0].name, "linux/arm64");
	assert_string_equal(p.targets[0].s.linkage, "static");   /* cli wins */
	assert_string_equal(p.targets[0].s.cgo, "on");           /* profile stays */
	assert_string_equal(p.targets[0].s.toolchain.v[0], "zig"); /* kept */
	assert_int_equal(p.targets[1].s.toolchain.n, 0);
	assert_string_equal(xb_strv_getenv(&p.targets[1].s.env, "FOO"), "bar");
	assert_int_equal(p.targets[1].s.expect.pie, 0);
	assert_string_equal(p.targets[1].s.pos[XB_S_LINKAGE].file, "<command line>");
	/* conflicts created by the command line are reported */
	xb_settings_release(&cli);
	xb_settings_init(&cli);
	assert_int_equal(xb_settings_set(&cli, "cgo", "off", pos, &err), XB_OK);
	assert_int_equal(xb_settings_set(&cli, "linkage", "static-pie", pos, &err), XB_OK);
	assert_int_equal(xb_profile_override(&p, &cli, NULL, &d, &err), XB_ERR_PROFILE);
	assert_true(has_line(&d, "linux/arm64: linkage static-pie needs cgo"));
	/* bad values are refused with what is allowed */
	assert_int_equal(xb_settings_set(&cli, "linker", "gold", pos, &err), XB_ERR_USAGE);
	assert_string_equal(err.msg, "invalid linker 'gold' (expected auto, internal or external)");
	assert_int_equal(xb_settings_set(&cli, "linkge", "x", pos, &err), XB_ERR_USAGE);
	assert_string_equal(err.msg, "unknown setting 'linkge' (did you mean 'linkage'?)");
	assert_int_equal(xb_settings_set(&cli, "env", "CC=gcc", pos, &err), XB_ERR_USAGE);
	assert_int_equal(xb_settings_set(&cli, "toolchain", "zig,system", pos, &err), XB_OK);
	assert_int_equal(cli.toolchain.n, 2);
	/* a bad --target */
	xb_strv_release(&targets);
	xb_strv_push(&targets, "linux/amd46");
	assert_int_equal(xb_profile_override(&p, NULL, &targets, &d, &err), XB_ERR_PROFILE);
	assert_true(has_line(&d, "<command line>: --target: unknown arch 'amd46'"));
	xb_strv_release(&targets);
	xb_settings_release(&cli);
	done(&p, &d);
}

static void embedded_default(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_profile p;
	xb_diags d;

	(void)state;
	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load(&p, NULL, 0, &opts, &d, &err), XB_OK);
	assert_int_equal(p.ntargets, 0);
	assert_string_equal(p.files.v[0], "<builtin>/profiles/default.yaml");
	assert_string_equal(p.defaults.linkage, "auto");
	done(&p, &d);
}

static void expansion(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	/* ${VAR:-default} also covers an empty variable */
	assert_int_equal(load(&p, &d, "version: 1\noutput: \"${EMPTY:-e}/${NOPE:-}x$$\"\n"), XB_OK);
	assert_string_equal(p.output, "e/x$");
	done(&p, &d);
	fails_with("version: 1\noutput: \"${NOPE}\"\n",
		   "t.yaml:2:9: environment variable NOPE is not set");
	fails_with("version: 1\noutput: \"${EMPTY}\"\n", "EMPTY is not set");
	/* only where documented: a tag is taken literally, and refused */
	fails_with("version: 1\ndefaults: {tags: ['${VER}']}\n", "invalid build tag '${VER}'");
	/* name is not expanded either */
	fails_with("version: 1\nname: ${VER}\n", "invalid name '${VER}'");
}

static void conflicts(void **state)
{
	(void)state;
	fails_with("version: 1\ndefaults: {linkage: static-pie, cgo: off}\ntargets: [linux/amd64]\n",
		   "linux/amd64: linkage static-pie needs cgo, but cgo is off");
	fails_with("version: 1\ndefaults: {linkage: dynamic, cgo: off}\ntargets: [linux/amd64]\n",
		   "linkage dynamic needs cgo");
	fails_with("version: 1\ndefaults: {extldflags: -static, linker: internal}\ntargets: [linux/amd64]\n",
		   "extldflags are ignored by the internal linker");
	fails_with("version: 1\ndefaults: {buildmode: plugin, cgo: off}\ntargets: [linux/amd64]\n",
		   "buildmode plugin needs cgo");
	fails_with("version: 1\ndefaults: {buildmode: c-archive, linker: internal}\ntargets: [linux/amd64]\n",
		   "buildmode c-archive needs the external linker");
	fails_with("version: 1\ndefaults: {linkage: static-pie, buildmode: c-shared}\ntargets: [linux/amd64]\n",
		   "linkage static-pie builds a PIE executable, but buildmode is c-shared");
	fails_with("version: 1\ndefaults: {libc: glibc, cgo: off}\ntargets: [linux/amd64]\n",
		   "libc glibc has no effect with cgo off");
	fails_with("version: 1\ndefaults: {linker: external, cgo: off}\ntargets: [linux/amd64]\n",
		   "linker external needs cgo");
	fails_with("version: 1\ndefaults: {linkage: static}\ntargets: [ios/arm64]\n",
		   "ios has no static executables");
	fails_with("version: 1\ndefaults: {linkage: static-pie}\ntargets: [freebsd/amd64]\n",
		   "static-pie is for linux only");
	/* known before building: Go links libc on these, pure Go too */
	fails_with("version: 1\ndefaults: {linkage: static}\ntargets: [openbsd/amd64]\n",
		   "openbsd/amd64: openbsd has no static executables: every "
		   "program is dynamic, it links libc.so");
	fails_with("version: 1\ndefaults: {linkage: static-pie}\ntargets: [solaris/amd64]\n",
		   "solaris has no static executables");
	fails_with("version: 1\ndefaults: {linkage: static}\ntargets: [android/arm64]\n",
		   "android has no static executables");
	/* formats the checker does not read: refused, not built unverified */
	fails_with("version: 1\ntargets: [js/wasm]\n", "js/wasm: Go builds a "
		   "WebAssembly module for js, which xbuild's checker cannot read");
	fails_with("version: 1\ntargets: [wasip1/wasm]\n", "WebAssembly module");
	fails_with("version: 1\ntargets: [plan9/amd64]\n", "Plan 9 a.out");
	fails_with("version: 1\ntargets: [aix/ppc64]\n", "XCOFF");

	/* cgo-only settings with cgo off are warnings, not errors */
	xb_profile p;
	xb_diags d;
	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {cgo: off, sysroot: /x, "
			      "extra_libs: [m], static_libstdcxx: true}\n"
			      "targets: [linux/amd64]\n"), XB_OK);
	assert_int_equal(d.warnings, 3);
	assert_int_equal(d.errors, 0);
	done(&p, &d);
}

/* strip: true and debug: true exclude each other: a layer's own setting
 * overrides the other one from a layer below (the built-in debug: true,
 * defaults: under a target's own, the profile under the command line);
 * only the two in one layer are a conflict. */
static void strip_over_debug_below(void **state)
{
	xb_pos pos = { "<command line>", 0, 0 };
	xb_err err = XB_ERR_INIT;
	xb_settings cli;
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {strip: true}\n"
			      "targets: [linux/amd64]\n"), XB_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(p.targets[0].s.strip, 1);
	assert_int_equal(p.targets[0].s.debug, 0);
	assert_int_equal(p.targets[0].s.pos[XB_S_DEBUG].line, 2);
	done(&p, &d);

	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {debug: true}\n"
			      "targets:\n  - target: linux/amd64\n    strip: true\n"
			      "  - linux/arm64\n"), XB_OK);
	assert_int_equal(p.targets[0].s.strip, 1);
	assert_int_equal(p.targets[0].s.debug, 0);
	assert_int_equal(p.targets[1].s.strip, 0);
	assert_int_equal(p.targets[1].s.debug, 1);
	done(&p, &d);

	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {strip: true}\n"
			      "targets:\n  - target: linux/amd64\n    debug: true\n"),
			 XB_OK);
	assert_int_equal(p.targets[0].s.strip, 0);
	assert_int_equal(p.targets[0].s.debug, 1);
	done(&p, &d);

	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {debug: true}\n"
			      "targets: [linux/amd64]\n"), XB_OK);
	xb_settings_init(&cli);
	assert_int_equal(xb_settings_set(&cli, "strip", "true", pos, &err), XB_OK);
	assert_int_equal(xb_profile_override(&p, &cli, NULL, &d, &err), XB_OK);
	assert_int_equal(p.targets[0].s.strip, 1);
	assert_int_equal(p.targets[0].s.debug, 0);
	xb_settings_release(&cli);
	done(&p, &d);

	/* both in one layer: the user wrote a contradiction */
	fails_with("version: 1\ndefaults: {strip: true, debug: true}\n"
		   "targets: [linux/amd64]\n",
		   "strip: true removes the debug information that debug: true");
	fails_with("version: 1\ntargets:\n  - target: linux/amd64\n"
		   "    strip: true\n    debug: true\n",
		   "strip: true removes the debug information that debug: true");
}

/* ldflags and gcflags split as go splits them: a word that starts with a
 * quote runs to the same quote, with no escapes (cmd/go's quoted words),
 * on the command line and in a profile. */
static void flags_quoted_words(void **state)
{
	xb_pos pos = { "<command line>", 0, 0 };
	xb_err err = XB_ERR_INIT;
	xb_settings s;
	xb_profile p;
	xb_diags d;

	(void)state;
	xb_settings_init(&s);
	assert_int_equal(xb_settings_set(&s, "ldflags", "-X 'main.version=1.0 "
					 "beta' -s\t\"-X\" \"a=it's\"'b'", pos,
					 &err), XB_OK);
	assert_int_equal(s.ldflags.n, 6);
	assert_string_equal(s.ldflags.v[1], "main.version=1.0 beta");
	assert_string_equal(s.ldflags.v[2], "-s");
	assert_string_equal(s.ldflags.v[3], "-X");
	assert_string_equal(s.ldflags.v[4], "a=it's");
	assert_string_equal(s.ldflags.v[5], "b");
	/* a quote inside a word is part of it */
	assert_int_equal(xb_settings_set(&s, "gcflags", "-m=a'b c'", pos, &err),
			 XB_OK);
	assert_int_equal(s.gcflags.n, 2);
	assert_string_equal(s.gcflags.v[0], "-m=a'b");
	assert_int_equal(xb_settings_set(&s, "ldflags", "-X 'a=b", pos, &err),
			 XB_ERR_USAGE);
	assert_non_null(strstr(err.msg, "unterminated ' string in ldflags"));
	xb_settings_release(&s);

	assert_int_equal(load(&p, &d, "version: 1\ndefaults:\n"
			      "  ldflags: -X \"main.v=2.0 gamma\" -w\n"
			      "targets: [linux/amd64]\n"), XB_OK);
	assert_int_equal(p.targets[0].s.ldflags.n, 3);
	assert_string_equal(p.targets[0].s.ldflags.v[1], "main.v=2.0 gamma");
	done(&p, &d);
	fails_with("version: 1\ndefaults: {ldflags: \"-X 'a=b\"}\n"
		   "targets: [linux/amd64]\n", "unterminated ' string in ldflags");
	/* a list item is one word: one go could not read back is refused */
	fails_with("version: 1\ndefaults: {ldflags: [\"-X\", \"a='b \\\" c'\"]}\n"
		   "targets: [linux/amd64]\n", "cannot be passed to go");
}

/* go_version: a Go release, spelled as go spells it; anything else is
 * refused where it is written, in a profile or on the command line. */
static void go_version(void **state)
{
	static const char *const good[][2] = {
		{ "1.27.3", "go1.27.3" }, { "go1.27.3", "go1.27.3" },
		{ "1.21.0", "go1.21.0" }, { "1.19.8", "go1.19.8" },
		{ "go1.20", "go1.20" },
	};
	static const char *const bad[] = { "1.27", "go1.27rc1", "1.22beta1",
		"banana", "1.20.0", "2.0.1", "go1.27.3-custom", "1.27.3 ",
		"v1.27.3", "1..3" };
	xb_pos pos = { "<command line>", 0, 0 };
	xb_err err = XB_ERR_INIT;
	xb_settings cli;
	xb_profile p;
	xb_diags d;
	char text[160];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "version: 1\ndefaults: {go_version: "
			 "'%s'}\ntargets: [linux/amd64]\n", good[i][0]);
		assert_int_equal(load(&p, &d, text), XB_OK);
		assert_string_equal(p.targets[0].s.go_version, good[i][1]);
		assert_int_equal(p.targets[0].s.pos[XB_S_GO_VERSION].line, 2);
		done(&p, &d);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char want[128];
		snprintf(text, sizeof(text), "version: 1\ndefaults:\n  go_version: "
			 "'%s'\n", bad[i]);
		/* at the value: line 3, column 15 */
		snprintf(want, sizeof(want), "t.yaml:3:15: invalid go_version '%s' "
			 "(expected a Go release such as 1.27.3", bad[i]);
		fails_with(text, want);
	}
	/* ${VAR} works here, as for go: */
	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {go_version: "
			      "'${GOV:-1.27.3}'}\n"), XB_OK);
	assert_string_equal(p.defaults.go_version, "go1.27.3");
	done(&p, &d);
	/* the command line: --set go_version=... */
	xb_settings_init(&cli);
	assert_int_equal(xb_settings_set(&cli, "go_version", "1.27.3", pos, &err),
			 XB_OK);
	assert_string_equal(cli.go_version, "go1.27.3");
	assert_int_equal(xb_settings_set(&cli, "go_version", "1.27", pos, &err),
			 XB_ERR_USAGE);
	assert_non_null(strstr(err.msg, "invalid go_version '1.27'"));
	assert_string_equal(cli.go_version, "go1.27.3"); /* unchanged */
	assert_int_equal(load(&p, &d, "version: 1\ndefaults: {go_version: 1.26.8}\n"
			      "targets: [linux/amd64]\n"), XB_OK);
	assert_int_equal(xb_profile_override(&p, &cli, NULL, &d, &err), XB_OK);
	assert_string_equal(p.targets[0].s.go_version, "go1.27.3");
	assert_string_equal(p.targets[0].s.pos[XB_S_GO_VERSION].file,
			    "<command line>");
	done(&p, &d);
	xb_settings_release(&cli);
	/* GOTOOLCHAIN is xbuild's to set */
	fails_with("version: 1\ndefaults: {env: {GOTOOLCHAIN: go1.27.3}}\n",
		   "env GOTOOLCHAIN is set by xbuild (use the go_version setting)");
	/* an expectation of another release contradicts it */
	fails_with("version: 1\ndefaults: {go_version: 1.27.3, expect: "
		   "{go_version: 1.26.8}}\ntargets: [linux/amd64]\n",
		   "linux/amd64: expect.go_version go1.26.8 contradicts go_version "
		   "go1.27.3 (line 2)");
	fails_with("version: 1\ndefaults: {expect: {go_version: '1.27'}}\n",
		   "expect.go_version '1.27' (expected a Go release");
}

static void hostile(void **state)
{
	xb_profile p;
	xb_diags d;
	xb_buf b = XB_BUF_INIT;

	(void)state;
	fails_with("", "t.yaml:1:1: empty profile");
	fails_with("# only a comment\n", "empty profile");
	fails_with("version: 1\nversion: 1\n", "t.yaml:2:1: duplicate key 'version' (first at line 1)");
	fails_with("version: 1\ndefaults:\n\tlinkage: static\n", "tab character");
	fails_with("version: 1\nname: \"\xff\"\n", "not UTF-8 text");
	fails_with("\x01\x02\x03", "control characters are not allowed");
	fails_with("version: 1\n---\nversion: 1\n", "one YAML document");
	fails_with("version: 1\ndefaults:\n  linkage: *x\n", "unknown alias '*x'");
	fails_with("version: 1\nname: \"a\\0b\"\n", "NUL character");
	/* deep nesting */
	for (int i = 0; i < 100; i++)
		xb_buf_adds(&b, "[");
	fails_with(xb_buf_str(&b), "nested deeper than 32 levels");
	/* an alias bomb, capped */
	xb_buf_reset(&b);
	xb_buf_adds(&b, "version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'h'; c++)
		xb_buf_addf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			    c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1,
			    c - 1, c - 1);
	fails_with(xb_buf_str(&b), "once aliases are expanded");
	/* too large */
	xb_profile_opts small = { envp, 16, false, NULL, NULL };
	xb_err err = XB_ERR_INIT;
	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load_mem(&p, "t.yaml", "version: 1\n# padding padding\n",
					     30, &small, &d, &err), XB_ERR_PROFILE);
	assert_non_null(strstr(d.lines.v[0], "larger than 16 bytes"));
	done(&p, &d);
	/* extends refused when asked */
	xb_profile_opts noext = { envp, 0, true, NULL, NULL };
	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load_mem(&p, "t.yaml", "version: 1\nextends: /etc/passwd\n",
					     32, &noext, &d, &err), XB_ERR_PROFILE);
	assert_non_null(strstr(d.lines.v[0], "extends: is not allowed here"));
	done(&p, &d);
	xb_buf_release(&b);
}

static void reports_all_errors(void **state)
{
	xb_profile p;
	xb_diags d;

	(void)state;
	assert_int_equal(load(&p, &d,
		"version: 1\n"
		"defaults:\n"
		"  linkage: statik\n"
		"  cgo: maybe\n"
		"  stirp: true\n"
		"targets: [linux/amd46, linx/arm64, linux/arm/8]\n"), XB_ERR_PROFILE);
	assert_int_equal(d.errors, 6);
	assert_string_equal(d.lines.v[0], "t.yaml:3:12: invalid linkage 'statik' "
			    "(expected auto, static, static-pie or dynamic); did "
			    "you mean 'static'?");
	assert_string_equal(d.lines.v[2], "t.yaml:5:3: unknown key 'stirp' in "
			    "defaults (did you mean 'strip'?)");
	done(&p, &d);
}

static void prints_and_reloads(void **state)
{
	xb_profile p, q;
	xb_diags d;
	xb_buf y = XB_BUF_INIT, y2 = XB_BUF_INIT, j = XB_BUF_INIT;
	xb_err err = XB_ERR_INIT;
	xb_json js;

	(void)state;
	assert_int_equal(load(&p, &d, "version: 1\nname: n\ndefaults:\n"
			      "  ldflags: '-X a=$$b'\n  env: {A: 'x y'}\n"
			      "  toolchain: [{archive: m, sha256: "
			      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef}]\n"
			      "  go_version: 1.27.3\n  expect: {go_version: go1.27.3}\n"
			      "targets: [linux/arm/6]\n"), XB_OK);
	assert_int_equal(xb_profile_yaml(&p, &y), XB_OK);
	assert_non_null(strstr(y.data, "  ldflags: [\"-X\", \"a=$$b\"]\n"));
	assert_non_null(strstr(y.data, "  go_version: \"go1.27.3\"\n"));
	assert_non_null(strstr(y.data, "    go_version: \"go1.27.3\"\n"));
	xb_profile_init(&q);
	assert_int_equal(xb_profile_load_mem(&q, "t2.yaml", y.data, y.len, &opts, &d, &err), XB_OK);
	assert_int_equal(xb_profile_yaml(&q, &y2), XB_OK);
	assert_string_equal(y.data, y2.data);
	xb_json_init(&js, &j, false);
	xb_profile_json(&p, &js);
	assert_int_equal(xb_json_finish(&js), XB_OK);
	assert_non_null(strstr(j.data, "\"target\":\"linux/arm/6\",\"os\":\"linux\",\"arch\":\"arm\",\"variant\":\"6\""));
	xb_profile_release(&q);
	xb_buf_release(&y);
	xb_buf_release(&y2);
	xb_buf_release(&j);
	done(&p, &d);
}

static void target_parse(void **state)
{
	xb_target t;
	xb_err err = XB_ERR_INIT;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(xb_target_parse(&t, "linux/386/softfloat", &err), XB_OK);
	assert_string_equal(t.variant, "softfloat");
	assert_int_equal(xb_target_parse(&t, "linux/riscv64/rva22u64", &err), XB_OK);
	assert_int_equal(xb_target_parse(&t, "linux/arm/7,hardfloat", &err), XB_OK);
	assert_int_equal(xb_target_parse(&t, "linux/mips/softfloat", &err), XB_OK);
	assert_int_equal(xb_target_parse(&t, "linux/ppc64le/power9", &err), XB_OK);
	assert_int_equal(xb_target_parse(&t, "linux/arm64/v8.2", &err), XB_OK);
	assert_int_equal(xb_target_parse(&t, "linux/amd64/v9", &err), XB_ERR_PROFILE);
	assert_int_equal(xb_target_parse(&t, "linux", &err), XB_ERR_PROFILE);
	assert_int_equal(xb_target_parse(&t, "linux/", &err), XB_ERR_PROFILE);
	assert_int_equal(xb_target_parse(&t, "windws/amd64", &err), XB_ERR_PROFILE);
	assert_non_null(strstr(err.msg, "did you mean 'windows'?"));
	free(t.os);
	free(t.arch);
	free(t.variant);
	free(t.name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_defaults),
		cmocka_unit_test(every_key),
		cmocka_unit_test(targets_and_overrides),
		cmocka_unit_test(matrix_and_ignore),
		cmocka_unit_test(extends_merges_maps_replaces_lists),
		cmocka_unit_test(command_line_overrides),
		cmocka_unit_test(embedded_default),
		cmocka_unit_test(expansion),
		cmocka_unit_test(conflicts),
		cmocka_unit_test(strip_over_debug_below),
		cmocka_unit_test(flags_quoted_words),
		cmocka_unit_test(go_version),
		cmocka_unit_test(hostile),
		cmocka_unit_test(reports_all_errors),
		cmocka_unit_test(prints_and_reloads),
		cmocka_unit_test(target_parse),
	};
	return RUN(tests);
}
