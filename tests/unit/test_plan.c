/* test_plan.c: the planner, table-driven over every case of the article
 * and every rule of go-build-rules.md, for linux/amd64, linux/arm64,
 * linux/arm/7, linux/386, linux/riscv64, windows/amd64 and darwin/arm64:
 * exact environment and argv, the linkage, and the reason, warning or
 * error that explains it.  Go and the C toolchains are stand-ins, so the
 * answers do not depend on this machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "cgolink.h"
#include "profile.h"
#include "goenv.h"

/* What go list would say about each test package. */
static void info_for(const char *pkg, xb_pkginfo *i)
{
	xb_pkginfo_init(i);
	i->ok = true;
	i->name = strdup(pkg);
	if (!strcmp(pkg, "net") || !strcmp(pkg, "netuser"))
		i->net_cgo = i->rtcgo = true;
	if (!strcmp(pkg, "user") || !strcmp(pkg, "netuser"))
		i->osuser_cgo = i->rtcgo = true;
	if (!strncmp(pkg, "cgo", 3)) {
		xb_strv_pushf(&i->user_cgo, "example.com/%s", pkg);
		i->rtcgo = true;
	}
	if (!strcmp(pkg, "plug"))
		i->plugin = i->rtcgo = true;
	if (!strcmp(pkg, "rtcgo"))
		i->rtcgo_direct = i->rtcgo = true;
	if (!strcmp(pkg, "broken")) {
		i->ok = false;
		i->error = strdup("no required module provides package broken");
	}
}

/* What go list -deps -json would say about the cgo link of each test
 * package: "cgo" links nothing, "cgocxx" has a C++ file, "cgolibm" asks
 * for -lm, "cgohost" for a host library folder. */
static void cgolink_for(const char *pkg, xb_cgolink *q)
{
	xb_cgolink_pkg *p;

	xb_cgolink_init(q);
	q->cgo = q->runtime_cgo = true;
	q->pkgs = calloc(1, sizeof(*q->pkgs));
	q->n = q->cap = 1;
	p = &q->pkgs[0];
	p->import_path = malloc(strlen(pkg) + 13);
	sprintf(p->import_path, "example.com/%s", pkg);
	if (!strcmp(pkg, "cgocxx"))
		p->cxx = q->cxx = true;
	if (!strcmp(pkg, "cgolibm"))
		xb_strv_push(&p->ldflags, "-lm");
	if (!strcmp(pkg, "cgohost")) {
		xb_strv_push(&p->ldflags, "-L/usr/lib/x86_64-linux-gnu");
		xb_strv_push(&p->ldflags, "-lm");
	}
}

static const char *triplet(const char *arch, const char *variant)
{
	(void)variant;
	return !strcmp(arch, "amd64") ? "x86_64-linux-gnu" :
		!strcmp(arch, "arm64") ? "aarch64-linux-gnu" :
		!strcmp(arch, "arm") ? "arm-linux-gnueabihf" :
		!strcmp(arch, "386") ? "i686-linux-gnu" :
		!strcmp(arch, "riscv64") ? "riscv64-linux-gnu" : "unknown";
}

/* A toolchain manager stand-in: Debian's compilers, Debian's musl-gcc
 * wrapper for amd64 (no -static-pie), musl-cross for the rest, mingw for
 * windows, no macOS SDK. */
static xb_code fake_cc(void *ctx, const char *goos, const char *goarch,
		       const char *variant, const char *libc, xb_plan_cc *out,
		       xb_err *err)
{
	char cc[64], cxx[64];

	(void)ctx;
	if (!strcmp(goos, "darwin"))
		return xb_fail(err, XB_ERR_NOTFOUND, "darwin with cgo needs a "
			       "macOS SDK: put osxcross on PATH");
	if (!strcmp(goos, "windows")) {
		out->cc = strdup("x86_64-w64-mingw32-gcc");
		out->cxx = strdup("x86_64-w64-mingw32-g++");
		out->kind = strdup("mingw");
		out->libc = strdup("mingw");
		return XB_OK;
	}
	if (libc && !strcmp(libc, "musl")) {
		if (!strcmp(goarch, "amd64")) {
			out->cc = strdup("musl-gcc");
			out->kind = strdup("musl-gcc");
			out->static_pie = false;
		} else {
			snprintf(cc, sizeof(cc), "%s-linux-musl-gcc",
				 !strcmp(goarch, "arm64") ? "aarch64" : goarch);
			out->cc = strdup(cc);
			out->kind = strdup("musl-cross");
			out->static_pie = true;
		}
		out->libc = strdup("musl");
		return XB_OK;
	}
	if (out->glibc) {
		/* a floor: zig's wrapper for it, as the manager would */
		snprintf(cc, sizeof(cc), "zig/%s.%s/cc", triplet(goarch, variant),
			 out->glibc);
		out->cc = strdup(cc);
		out->kind = strdup("zig");
		out->libc = strdup("glibc");
		return XB_OK;
	}
	snprintf(cc, sizeof(cc), "%s-gcc", triplet(goarch, variant));
	snprintf(cxx, sizeof(cxx), "%s-g++", triplet(goarch, variant));
	out->cc = strdup(cc);
	out->cxx = strdup(cxx);
	out->kind = strdup("gcc");
	out->libc = strdup("glibc");
	out->static_pie = true;
	return XB_OK;
}

#include "plan-cases.h"

/* The Go release is part of the plan: rows of the table above, with the
 * source that made the run switch from the local go1.26.8 to the row's go
 * (what xb_goenv_use leaves): "--set", "profile", "go.mod"; NULL: the
 * local go. */
static const struct gocase {
	struct tcase c;
	const char *chosen;
} go_cases[] = {
	{ { "local Go 1.21+: GOTOOLCHAIN=local, and which Go", "linux/amd64",
	    "hello", "go1.26.8", "", "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|"
	    "GOAMD64=v1|GOFLAGS=|GOTOOLCHAIN=local", R " -ldflags=-buildid= hello",
	    "static", NULL, NULL, "Go go1.26.8 from the local go: "
	    "GOTOOLCHAIN=local, so go.mod's toolchain line cannot switch it" },
	  NULL },
	{ { "local Go before 1.21: which Go, no GOTOOLCHAIN", "linux/amd64",
	    "hello", NULL, "", "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|"
	    "GOFLAGS=", R " -ldflags=-buildid= hello", "static", NULL, NULL,
	    "Go go1.19.8 from the local go (before Go 1.21" },
	  NULL },
	{ { "go_version from --set: GOTOOLCHAIN names the release", "linux/amd64",
	    "hello", "go1.27.3", "go_version: 1.27.3",
	    "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=|"
	    "GOTOOLCHAIN=go1.27.3", R " -ldflags=-buildid= hello", "static", NULL,
	    NULL, "Go go1.27.3 from --set go_version=go1.27.3: "
	    "GOTOOLCHAIN=go1.27.3 runs it instead of the local go1.26.8" },
	  "--set" },
	{ { "go_version from the profile, a cgo target too", "linux/arm64", "cgo",
	    "go1.27.3", "go_version: go1.27.3, linkage: static",
	    "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|GOARM64=v8.0|"
	    "CC=aarch64-linux-gnu-gcc|CXX=aarch64-linux-gnu-g++|" CGO_FLAGS
	    "|GOFLAGS=|GOTOOLCHAIN=go1.27.3", R " -ldflags=-linkmode external "
	    "-extldflags=-static -buildid= cgo", "static", NULL, NULL,
	    "Go go1.27.3 from go_version: go1.27.3 at t.yaml:2:" },
	  "profile" },
	{ { "go.mod's toolchain line, newer than the local Go", "linux/amd64",
	    "hello", "go1.27.3", "", "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|"
	    "GOAMD64=v1|GOFLAGS=|GOTOOLCHAIN=go1.27.3",
	    R " -ldflags=-buildid= hello", "static", NULL, NULL,
	    "Go go1.27.3 from toolchain go1.27.3 in go.mod:5, newer than the "
	    "local go1.26.8: GOTOOLCHAIN=go1.27.3 runs it (go fetches" },
	  "go.mod" },
	{ { "a target asking for another Go: one run uses one Go", "linux/amd64",
	    "hello", "go1.26.8", "go_version: 1.27.3", NULL, NULL, NULL,
	    "this target asks for Go go1.27.3 (go_version at t.yaml:2:", NULL,
	    NULL },
	  NULL },
	{ { "an expect.go_version the run cannot meet", "linux/amd64", "hello",
	    "go1.26.8", "expect: {go_version: 1.25.0}", NULL, NULL, NULL,
	    "expect.go_version is go1.25.0, but the plan builds with Go go1.26.8",
	    NULL, NULL },
	  NULL },
	{ { "go: pin and go_version agree", "linux/amd64", "hello", "go1.27.3",
	    "go: '1.27', go_version: 1.27.3", NULL, NULL, "static", NULL, NULL,
	    NULL },
	  "--set" },
};

static void check_case(const struct tcase *tc, const char *chosen)
{
	xb_profile p;
	xb_diags d;
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	xb_plan pl;
	xb_pkginfo info;
	xb_buf b = XB_BUF_INIT;
	static const char *const host[] = { "PATH=/bin", "HOME=/h", "CC=no",
					    "GOFLAGS=-race", NULL };
	xb_plan_opts o = { fake_cc, NULL, NULL, host, NULL, NULL, NULL };
	static const char *const ports[][2] = {
		{ "linux", "amd64" }, { "linux", "arm64" }, { "linux", "arm" },
		{ "linux", "386" }, { "linux", "riscv64" }, { "windows", "amd64" },
		{ "windows", "386" }, { "windows", "arm64" }, { "darwin", "arm64" },
		{ "darwin", "amd64" },
	};

	xb_buf_addf(&b, "version: 1\ndefaults: {%s}\ntargets: [\"%s\"]\n",
		    tc->settings, tc->target);
	xb_profile_init(&p);
	xb_diags_init(&d);
	if (xb_profile_load_mem(&p, "t.yaml", b.data, b.len, NULL, &d, &err)) {
		for (size_t i = 0; i < d.lines.n; i++)
			print_message("# %s\n", d.lines.v[i]);
		fail_msg("%s: profile: %s", tc->name, xb_errmsg(&err));
	}
	xb_goenv_init(&g);
	g.go = strdup("go");
	assert_int_equal(xb_goenv_set_version(&g, tc->go ? tc->go : "go1.19.8",
					      &err), XB_OK);
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		xb_goenv_add_port(&g, ports[i][0], ports[i][1], true, true);
	xb_buf_reset(&b);
	for (size_t i = 0; i < p.targets[0].s.tags.n; i++)
		xb_buf_addf(&b, "%s%s", i ? "," : "", p.targets[0].s.tags.v[i]);
	info_for(tc->pkg, &info);
	xb_goenv_cache_put(&g, tc->pkg, p.targets[0].os, p.targets[0].arch,
			   xb_buf_str(&b), &info);
	if (info.user_cgo.n) {
		/* the cgo link answer, for the compiler the planner will get */
		const xb_settings *ts = &p.targets[0].s;
		const char *libc = ts->libc && strcmp(ts->libc, "auto") ?
			ts->libc : NULL;
		xb_plan_cc cc;
		xb_cgolink q;
		xb_plan_cc_init(&cc);
		if (ts->expect.max_glibc && strcmp(ts->linkage, "static"))
			cc.glibc = ts->expect.max_glibc;
		if (fake_cc(NULL, p.targets[0].os, p.targets[0].arch,
			    p.targets[0].variant, libc, &cc, NULL) == XB_OK) {
			cgolink_for(tc->pkg, &q);
			assert_int_equal(xb_goenv_cgolink_put(&g, tc->pkg,
				p.targets[0].os, p.targets[0].arch, xb_buf_str(&b),
				cc.cc, &q, NULL), XB_OK);
			xb_cgolink_release(&q);
		}
		xb_plan_cc_release(&cc);
	}
	xb_pkginfo_release(&info);
	g.hostos = strdup("linux");
	g.hostarch = strdup("amd64");
	if (chosen) {
		/* what xb_goenv_use leaves after switching */
		const xb_settings *ts = &p.targets[0].s;
		xb_pos at = ts->pos[XB_S_GO_VERSION];
		xb_buf why = XB_BUF_INIT;

		if (!strcmp(chosen, "--set"))
			xb_buf_addf(&why, "--set go_version=%s", g.version);
		else if (!strcmp(chosen, "profile"))
			xb_buf_addf(&why, "go_version: %s at %s:%u:%u", g.version,
				    at.file, at.line, at.col);
		else
			xb_buf_addf(&why, "toolchain %s in go.mod:5, newer than the "
				    "local go1.26.8", g.version);
		g.toolchain = strdup(g.version);
		g.local_version = strdup("go1.26.8");
		g.chosen.version = strdup(g.version);
		g.chosen.source = chosen;
		g.chosen.why = xb_buf_take(&why);
	}

	xb_plan_init(&pl);
	assert_int_equal(xb_plan_target(&pl, &p, &p.targets[0], tc->pkg, &g, &o,
					&err), XB_OK);
	/* no new go list: the cache answered */
	assert_int_equal(g.list_runs, 0);

#define SHOW(X) for (size_t i = 0; i < (X).n; i++) print_message("#   %s: %s\n", #X, (X).v[i])
	if (tc->error) {
		int found = 0;
		for (size_t i = 0; i < pl.errors.n; i++)
			found |= strstr(pl.errors.v[i], tc->error) != NULL;
		if (!found) {
			SHOW(pl.errors);
			fail_msg("%s: no error with '%s'", tc->name, tc->error);
		}
	} else if (pl.errors.n) {
		SHOW(pl.errors);
		fail_msg("%s: unexpected error", tc->name);
	}
	if (tc->warning) {
		int found = 0;
		for (size_t i = 0; i < pl.warnings.n; i++)
			found |= strstr(pl.warnings.v[i], tc->warning) != NULL;
		if (!found) {
			SHOW(pl.warnings);
			fail_msg("%s: no warning with '%s'", tc->name, tc->warning);
		}
	}
	if (tc->reason) {
		int found = 0;
		for (size_t i = 0; i < pl.reasons.n; i++)
			found |= strstr(pl.reasons.v[i], tc->reason) != NULL;
		if (!found) {
			SHOW(pl.reasons);
			fail_msg("%s: no reason with '%s'", tc->name, tc->reason);
		}
	}
	if (tc->env) {
		xb_buf_reset(&b);
		for (size_t i = 0; i < pl.env.n; i++)
			xb_buf_addf(&b, "%s%s", i ? "|" : "", pl.env.v[i]);
		if (strcmp(xb_buf_str(&b), tc->env))
			fail_msg("%s: env\n  got:  %s\n  want: %s", tc->name,
				 xb_buf_str(&b), tc->env);
		/* only PATH and HOME pass from the host; CC and GOFLAGS do not */
		assert_int_equal(pl.pass.n, 2);
		assert_string_equal(pl.pass.v[0], "PATH=/bin");
	}
	if (tc->argv) {
		char want[1024];
		snprintf(want, sizeof(want), "go build -o %s %s", pl.output,
			 tc->argv);
		xb_buf_reset(&b);
		for (size_t i = 0; i < pl.argv.n; i++)
			xb_buf_addf(&b, "%s%s", i ? " " : "", pl.argv.v[i]);
		if (strcmp(xb_buf_str(&b), want))
			fail_msg("%s: argv\n  got:  %s\n  want: %s", tc->name,
				 xb_buf_str(&b), want);
	}
	if (tc->linkage) {
		assert_non_null(pl.linkage);
		if (strcmp(pl.linkage, tc->linkage))
			fail_msg("%s: linkage %s, want %s", tc->name, pl.linkage,
				 tc->linkage);
	}
	if (!pl.errors.n && pl.argv.n) {
		/* the expectation agrees with the plan */
		assert_string_equal(pl.expect.arch, p.targets[0].arch);
		assert_string_equal(xb_strv_getenv(&pl.expect.go_settings,
						   "CGO_ENABLED"), pl.cgo ? "1" : "0");
		if (!strcmp(p.targets[0].os, "linux") && pl.expect.linkage)
			assert_string_equal(pl.expect.linkage, pl.linkage);
		/* and the artifact must be built by the run's Go */
		assert_string_equal(pl.expect.go_version, g.version);
	}
	xb_plan_release(&pl);
	xb_goenv_release(&g);
	xb_profile_release(&p);
	xb_diags_release(&d);
	xb_buf_release(&b);
}

static void one_case(void **state)
{
	check_case(*state, NULL);
}

static void one_go_case(void **state)
{
	const struct gocase *gc = *state;

	check_case(&gc->c, gc->chosen);
}

/* The plan of pkg for the one target of profile text, with go1.19.8 and
 * go list's answers for tags; cgo_cc: the compiler the cgo link answer
 * is for (NULL: none). */
static void plan_text(const char *text, const char *pkg, const char *tags,
		      const char *cgo_cc, const xb_plan_opts *o, xb_plan *pl)
{
	xb_profile p;
	xb_diags d;
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	xb_pkginfo info;

	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load_mem(&p, "t.yaml", text, strlen(text),
					     NULL, &d, &err), XB_OK);
	xb_goenv_init(&g);
	xb_goenv_set_version(&g, "go1.19.8", &err);
	info_for(pkg, &info);
	xb_goenv_cache_put(&g, pkg, p.targets[0].os, p.targets[0].arch, tags,
			   &info);
	xb_pkginfo_release(&info);
	if (cgo_cc) {
		xb_cgolink q;
		cgolink_for(pkg, &q);
		xb_goenv_cgolink_put(&g, pkg, p.targets[0].os, p.targets[0].arch,
				     tags, cgo_cc, &q, NULL);
	}
	xb_plan_init(pl);
	assert_int_equal(xb_plan_target(pl, &p, &p.targets[0], pkg, &g, o,
					&err), XB_OK);
	xb_goenv_release(&g);
	xb_profile_release(&p);
	xb_diags_release(&d);
}

static void expectations(void **state)
{
	xb_plan pl;
	xb_plan_opts o = { fake_cc, NULL, "1.2.3", NULL, NULL, NULL, NULL };
	const char *text = "version: 1\nname: app\n"
		"output: 'out/{name}-{version}-{os}-{arch}{variant}{ext}'\n"
		"defaults: {strip: true, debug: false, tags: [a],\n"
		"  expect: {max_glibc: '2.17', needed: [libc.so.6]}}\n"
		"targets: [linux/arm/7]\n";

	(void)state;
	/* the glibc floor picks the toolchain that targets it */
	plan_text(text, "cgo", "a", "zig/arm-linux-gnueabihf.2.17/cc", &o, &pl);
	assert_int_equal(pl.errors.n, 0);
	assert_string_equal(pl.output, "out/app-1.2.3-linux-arm7");
	assert_string_equal(pl.expect.format, "elf");
	assert_string_equal(pl.expect.linkage, "dynamic");
	assert_string_equal(pl.expect.libc, "glibc");
	assert_string_equal(pl.expect.interpreter, "/lib/ld-linux-armhf.so.3");
	assert_string_equal(pl.expect.max_glibc, "2.17");
	assert_true(pl.expect.needed_set);
	assert_int_equal(pl.expect.stripped, 1);
	assert_int_equal(pl.expect.pie, 0);
	assert_string_equal(xb_strv_getenv(&pl.expect.go_settings, "GOARM"), "7");
	assert_string_equal(xb_strv_getenv(&pl.expect.go_settings, "-tags"), "a");
	assert_string_equal(xb_strv_getenv(&pl.expect.go_settings, "-trimpath"), "true");
	/* the shell line is runnable as printed */
	xb_buf b = XB_BUF_INIT;
	xb_plan_shell(&pl, &b);
	assert_memory_equal(b.data, "env -i ", 7);
	assert_non_null(strstr(b.data, " CGO_ENABLED=1 GOOS=linux GOARCH=arm GOARM=7 "
			       "CC=zig/arm-linux-gnueabihf.2.17/cc"));
	assert_non_null(strstr(b.data, " go build -o out/app-1.2.3-linux-arm7 -trimpath "
			       "-buildvcs=false -tags=a '-ldflags=-linkmode external "
			       "-s -w -buildid=' cgo\n"));
	xb_buf_reset(&b);
	xb_plan_make(&pl, "ARM_", &b);
	assert_non_null(strstr(b.data, "ARM_TARGET := linux/arm/7\n"));
	xb_buf_reset(&b);
	xb_json j;
	xb_json_init(&j, &b, false);
	xb_plan_json(&pl, &j);
	assert_int_equal(xb_json_finish(&j), XB_OK);
	assert_non_null(strstr(b.data, "\"toolchain\":{\"cc\":\"zig/arm-linux-gnueabihf.2.17/cc\""));
	xb_buf_release(&b);
	xb_plan_release(&pl);
}

/* The plan of the pure Go package hello for target. */
static void plan_hello(const char *target, xb_plan *pl)
{
	char text[128];

	snprintf(text, sizeof(text), "version: 1\ntargets: [%s]\n", target);
	plan_text(text, "hello", "", NULL, NULL, pl);
}

static void windows_and_darwin_expect(void **state)
{
	const char *targets[] = { "windows/amd64", "darwin/arm64" };
	const char *fmts[] = { "pe", "macho" };
	const char *outs[] = { "dist/windows-amd64/hello.exe", "dist/darwin-arm64/hello" };

	(void)state;
	for (int i = 0; i < 2; i++) {
		xb_plan pl;

		plan_hello(targets[i], &pl);
		assert_string_equal(pl.expect.format, fmts[i]);
		assert_null(pl.expect.linkage);  /* not an ELF notion */
		assert_int_equal(pl.expect.pie, -1);
		assert_string_equal(pl.output, outs[i]);
		xb_plan_release(&pl);
	}
}

/* What Go makes on each ELF system, whatever the program: pure Go is
 * dynamic where Go links libc (openbsd, solaris, illumos) and on android
 * (a PIE by default); the plan expects what the build gives. */
static void elf_oses_expect(void **state)
{
	static const struct { const char *t, *linkage; int pie; } c[] = {
		{ "linux/amd64", "static", 0 },
		{ "freebsd/amd64", "static", 0 },
		{ "netbsd/arm64", "static", 0 },
		{ "dragonfly/amd64", "static", 0 },
		{ "openbsd/amd64", "dynamic", 0 },
		{ "openbsd/arm64", "dynamic", 0 },
		{ "solaris/amd64", "dynamic", 0 },
		{ "illumos/amd64", "dynamic", 0 },
		{ "android/arm64", "dynamic", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		xb_plan pl;

		plan_hello(c[i].t, &pl);
		assert_int_equal(pl.errors.n, 0);
		assert_string_equal(pl.expect.format, "elf");
		assert_string_equal(pl.expect.linkage, c[i].linkage);
		assert_string_equal(pl.linkage, c[i].linkage);
		assert_int_equal(pl.expect.pie, c[i].pie);
		xb_plan_release(&pl);
	}
}

/* A word that does not fit into the plan's argv fails the plan: it is not
 * handed on with -tags=netgo (or any word after the failed one) missing. */
static void argv_that_cannot_hold_a_word(void **state)
{
	const char *text = "version: 1\ndefaults: {tags: [netgo]}\n"
		"targets: [linux/amd64]\n";

	(void)state;
	for (size_t max = 0; max < 6; max += 4) {
		xb_profile p;
		xb_diags d;
		xb_err err = XB_ERR_INIT;
		xb_goenv g;
		xb_plan pl;
		xb_pkginfo info;
		xb_code rc;

		xb_profile_init(&p);
		xb_diags_init(&d);
		assert_int_equal(xb_profile_load_mem(&p, "t.yaml", text,
						     strlen(text), NULL, &d,
						     &err), XB_OK);
		xb_goenv_init(&g);
		xb_goenv_set_version(&g, "go1.19.8", &err);
		info_for("hello", &info);
		xb_goenv_cache_put(&g, "hello", "linux", "amd64", "netgo", &info);
		xb_pkginfo_release(&info);
		xb_plan_init(&pl);
		/* room for "go build -o OUTPUT" and nothing more */
		xb_strv_init_max(&pl.argv, max);
		rc = xb_plan_target(&pl, &p, &p.targets[0], "hello", &g, NULL,
				    &err);
		if (max == 0) {
			assert_int_equal(rc, XB_OK);
			assert_true(xb_strv_contains(&pl.argv, "-tags=netgo"));
		} else {
			assert_int_equal(rc, XB_ERR_TOO_BIG);
			assert_non_null(strstr(err.msg, "cannot plan linux/amd64"));
		}
		xb_plan_release(&pl);
		xb_goenv_release(&g);
		xb_profile_release(&p);
		xb_diags_release(&d);
	}
}

static void versions(void **state)
{
	xb_goenv g;
	xb_err err = XB_ERR_INIT;

	(void)state;
	xb_goenv_init(&g);
	assert_int_equal(xb_goenv_set_version(&g, "go1.21rc2", &err), XB_OK);
	assert_int_equal(g.minor, 21);
	assert_true(xb_goenv_at_least(&g, 1, 21));
	assert_false(xb_goenv_at_least(&g, 1, 22));
	assert_int_equal(xb_goenv_set_version(&g, "devel go1.23-abc123 Tue", &err), XB_OK);
	assert_int_equal(g.minor, 23);
	assert_int_equal(xb_goenv_set_version(&g, "go1.19.8", &err), XB_OK);
	assert_int_equal(g.patch, 8);
	assert_int_equal(xb_goenv_set_version(&g, "gccgo", &err), XB_ERR_FORMAT);
	xb_goenv_release(&g);
}

static void shell_quoting(void **state)
{
	xb_buf b = XB_BUF_INIT;

	(void)state;
	xb_shell_quote(&b, "plain-word_1.2/x=y:z,@%+");
	xb_buf_addc(&b, ' ');
	xb_shell_quote(&b, "it's a $x");
	xb_buf_addc(&b, ' ');
	xb_shell_quote(&b, "");
	assert_string_equal(b.data, "plain-word_1.2/x=y:z,@%+ 'it'\\''s a $x' ''");
	xb_buf_release(&b);
}

/* A machine without a cross compiler: the lookup says what to install
 * (ctx: the compiler it looked for). */
static xb_code no_cc(void *ctx, const char *goos, const char *goarch,
		     const char *variant, const char *libc, xb_plan_cc *out,
		     xb_err *err)
{
	(void)variant;
	(void)libc;
	(void)out;
	return xb_fail(err, XB_ERR_NOTFOUND, "no C compiler for %s/%s (install "
		       "%s)", goos, goarch, (const char *)ctx);
}

/* The lookup's message is the target's error, and the plan stops there. */
static void lookup_failure(void **state)
{
	xb_profile p;
	xb_diags d;
	xb_err err = XB_ERR_INIT;
	xb_goenv g;
	xb_plan pl;
	xb_pkginfo info;
	xb_plan_opts o = { no_cc, (void *)"aarch64-linux-gnu-gcc", NULL, NULL,
			   NULL, NULL, NULL };
	const char *text = "version: 1\ntargets: [linux/arm64]\n";

	(void)state;
	xb_profile_init(&p);
	xb_diags_init(&d);
	assert_int_equal(xb_profile_load_mem(&p, "t.yaml", text, strlen(text),
					     NULL, &d, &err), XB_OK);
	xb_goenv_init(&g);
	xb_goenv_set_version(&g, "go1.19.8", &err);
	info_for("cgo", &info);
	xb_goenv_cache_put(&g, "cgo", "linux", "arm64", "", &info);
	xb_pkginfo_release(&info);
	xb_plan_init(&pl);
	assert_int_equal(xb_plan_target(&pl, &p, &p.targets[0], "cgo", &g, &o,
					&err), XB_OK);
	assert_int_equal(pl.errors.n, 1);
	assert_non_null(strstr(pl.errors.v[0], "aarch64-linux-gnu-gcc"));
	assert_false(pl.has_cc);
	assert_int_equal(pl.argv.n, 0);
	xb_plan_release(&pl);
	xb_goenv_release(&g);
	xb_profile_release(&p);
	xb_diags_release(&d);
}

int main(void)
{
	enum { NCASES = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest table[NCASES];
	int rc;

	/* one test per row, named for the case */
	for (size_t i = 0; i < NCASES; i++) {
		struct CMUnitTest t = { cases[i].name, one_case, NULL, NULL,
					(void *)&cases[i] };
		table[i] = t;
	}
	rc = _cmocka_run_group_tests("plan table", table, NCASES, NULL, NULL);
	enum { NGO = sizeof(go_cases) / sizeof(go_cases[0]) };
	struct CMUnitTest gotable[NGO];
	for (size_t i = 0; i < NGO; i++) {
		struct CMUnitTest t = { go_cases[i].c.name, one_go_case, NULL,
					NULL, (void *)&go_cases[i] };
		gotable[i] = t;
	}
	rc |= _cmocka_run_group_tests("plan table: the Go release", gotable,
				      NGO, NULL, NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expectations),
		cmocka_unit_test(windows_and_darwin_expect),
		cmocka_unit_test(elf_oses_expect),
		cmocka_unit_test(argv_that_cannot_hold_a_word),
		cmocka_unit_test(versions),
		cmocka_unit_test(shell_quoting),
		cmocka_unit_test(lookup_failure),
	};
	return RUN(tests) | rc;
}
