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

struct tcase {
	const char *name;
	const char *target;
	const char *pkg;
	const char *go;       /* version; NULL: go1.19.8 */
	const char *settings; /* inside defaults: { } */
	const char *env;      /* exact, space-separated; NULL: not checked */
	const char *argv;     /* exact, after "go build -o OUT" */
	const char *linkage;  /* the result */
	const char *error;    /* a substring of an error; NULL: none */
	const char *warning;  /* a substring of a warning */
	const char *reason;   /* a substring of a reason */
};

#define CGO_FLAGS "CGO_CFLAGS=-O2 -g|CGO_CXXFLAGS=-O2 -g|CGO_LDFLAGS=-O2 -g"
#define R "-trimpath -buildvcs=false"

static const struct tcase cases[] = {
	/* pure Go: CGO_ENABLED=0 and Go's internal linker, every target */
	{ "pure linux/amd64", "linux/amd64", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL,
	  "cgo off: hello needs no C code" },
	{ "pure linux/arm64", "linux/arm64", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=arm64|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL,
	  "internal linker: a pure Go program links without a C toolchain" },
	{ "pure linux/arm/7", "linux/arm/7", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=arm|GOARM=7|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "pure linux/386", "linux/386", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=386|GO386=sse2|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "pure linux/riscv64", "linux/riscv64", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=riscv64|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "pure windows/amd64", "windows/amd64", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=windows|GOARCH=amd64|GOAMD64=v1|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "pure darwin/arm64 (cross, no SDK needed)", "darwin/arm64", "hello",
	  NULL, "", "CGO_ENABLED=0|GOOS=darwin|GOARCH=arm64|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "GOAMD64 level from the variant", "linux/amd64/v3", "hello", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v3|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	/* a glibc floor (expect.max_glibc) picks the C toolchain */
	{ "glibc floor: a toolchain that links against it", "linux/amd64",
	  "cgo", NULL, "expect: {max_glibc: '2.17'}", NULL, NULL, "dynamic",
	  NULL, NULL, "C toolchain: zig/x86_64-linux-gnu.2.17/cc (zig, glibc)" },
	{ "glibc floor: said why", "linux/arm64", "cgo", NULL,
	  "expect: {max_glibc: '2.17'}", NULL, NULL, "dynamic", NULL, NULL,
	  "glibc floor 2.17 (expect.max_glibc): the C toolchain links against "
	  "glibc 2.17 or older" },
	{ "glibc floor: none for a static link", "linux/amd64", "cgo", NULL,
	  "linkage: static, expect: {max_glibc: '2.17'}", NULL, NULL, "static",
	  NULL, NULL, "C toolchain: x86_64-linux-gnu-gcc (gcc, glibc)" },
	/* the article: net */
	{ "net, auto: pure Go resolver, static", "linux/amd64", "net", NULL, "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=",
	  R " -ldflags=-buildid= net", "static", NULL, NULL,
	  "net uses the pure Go version" },
	{ "net -tags netgo", "linux/arm64", "net", NULL, "tags: [netgo]",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=arm64|GOFLAGS=",
	  R " -tags=netgo -ldflags=-buildid= net", "static", NULL, NULL, NULL },
	{ "net dynamic: libc resolver, Go links it itself", "linux/amd64", "net",
	  NULL, "linkage: dynamic",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-buildid= net", "dynamic", NULL, NULL,
	  "cgo on: dynamic linkage of net uses libc" },
	{ "net+os/user static glibc: netgo,osusergo (Go 1.21)", "linux/amd64",
	  "netuser", "go1.21.5", "linkage: static, cgo: on",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=|GOTOOLCHAIN=local",
	  R " -tags=netgo,osusergo -ldflags=-linkmode external -extldflags=-static "
	  "-buildid= netuser", "static", NULL, NULL,
	  "tags netgo,osusergo: static glibc would need NSS at run time" },
	{ "net static glibc, nss_warnings: warn keeps libc NSS", "linux/arm64",
	  "net", NULL, "linkage: static, cgo: on, nss_warnings: warn",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-gnu-gcc|"
	  "CXX=aarch64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -buildid= net",
	  "static", NULL, "getaddrinfo", "libc NSS kept" },
	{ "net static with musl: no tags needed", "linux/amd64", "net", NULL,
	  "linkage: static, cgo: on, libc: musl",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=musl-gcc|"
	  CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -buildid= net",
	  "static", NULL, NULL, "external linker: -static with cgo needs it" },
	{ "static glibc + netgo leaves no runtime/cgo before Go 1.21",
	  "linux/amd64", "net", NULL, "linkage: static, cgo: on", NULL, NULL,
	  NULL, "golang/go#31544", NULL, NULL },
	{ "os/user static musl arm64 (real musl toolchain)", "linux/arm64",
	  "user", NULL, "linkage: static, cgo: on, libc: musl",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-musl-gcc|"
	  CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -buildid= user",
	  "static", NULL, NULL, NULL },
	/* user cgo */
	{ "user cgo dynamic amd64", "linux/amd64", "cgo", NULL, "",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -buildid= cgo", "dynamic", NULL, NULL,
	  "cgo on: example.com/cgo import \"C\"" },
	{ "user cgo dynamic arm64 (cross: CC for the target)", "linux/arm64",
	  "cgo", NULL, "",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-gnu-gcc|"
	  "CXX=aarch64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -buildid= cgo", "dynamic", NULL, NULL,
	  "C toolchain: aarch64-linux-gnu-gcc" },
	{ "user cgo static arm/7", "linux/arm/7", "cgo", NULL, "linkage: static",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm|GOARM=7|CC=arm-linux-gnueabihf-gcc|"
	  "CXX=arm-linux-gnueabihf-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -buildid= cgo",
	  "static", NULL, NULL, NULL },
	{ "user cgo static 386, stripped", "linux/386", "cgo", NULL,
	  "linkage: static, strip: true, debug: false",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=386|GO386=sse2|CC=i686-linux-gnu-gcc|"
	  "CXX=i686-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -s -w -buildid= cgo",
	  "static", NULL, NULL, "-s -w: drop the symbol table and DWARF" },
	{ "user cgo riscv64 static", "linux/riscv64", "cgo", NULL,
	  "linkage: static",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=riscv64|CC=riscv64-linux-gnu-gcc|"
	  "CXX=riscv64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -buildid= cgo",
	  "static", NULL, NULL, NULL },
	{ "net dynamic riscv64 on Go 1.19: cgo needs the external linker",
	  "linux/riscv64", "net", NULL, "linkage: dynamic",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=riscv64|CC=riscv64-linux-gnu-gcc|"
	  "CXX=riscv64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -buildid= net", "dynamic", NULL, NULL,
	  "no internal cgo linking" },
	{ "net dynamic riscv64 on Go 1.21: internal is fine", "linux/riscv64",
	  "net", "go1.21.0", "linkage: dynamic",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=riscv64|CC=riscv64-linux-gnu-gcc|"
	  "CXX=riscv64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=|GOTOOLCHAIN=local",
	  R " -ldflags=-buildid= net", "dynamic", NULL, NULL, NULL },
	{ "user cgo windows/amd64 with mingw", "windows/amd64", "cgo", NULL, "",
	  "CGO_ENABLED=1|GOOS=windows|GOARCH=amd64|GOAMD64=v1|"
	  "CC=x86_64-w64-mingw32-gcc|CXX=x86_64-w64-mingw32-g++|" CGO_FLAGS
	  "|GOFLAGS=", R " -ldflags=-linkmode external -buildid= cgo", "dynamic",
	  NULL, NULL, NULL },
	{ "darwin cgo without a macOS SDK: error before anything runs",
	  "darwin/arm64", "cgo", NULL, "", NULL, NULL, NULL,
	  "needs a macOS SDK", NULL, NULL },
	/* static-pie */
	{ "static-pie: pie buildmode, external, -static-pie", "linux/amd64", "cgo",
	  NULL, "linkage: static-pie",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -buildmode=pie -ldflags=-linkmode external -extldflags=-static-pie "
	  "-buildid= cgo", "static-pie", NULL, NULL, "buildmode pie: static-pie needs it" },
	{ "static-pie with Debian's musl-gcc: refused", "linux/amd64", "cgo", NULL,
	  "linkage: static-pie, libc: musl", NULL, NULL, NULL,
	  "musl-gcc wrapper ignores -static-pie", NULL, NULL },
	{ "static-pie with a real musl toolchain", "linux/arm64", "cgo", NULL,
	  "linkage: static-pie, libc: musl",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-musl-gcc|"
	  CGO_FLAGS "|GOFLAGS=", R " -buildmode=pie -ldflags=-linkmode external "
	  "-extldflags=-static-pie -buildid= cgo", "static-pie", NULL, NULL, NULL },
	{ "static-pie of pure Go on 1.19: no runtime/cgo, refused", "linux/arm64",
	  "hello", NULL, "linkage: static-pie", NULL, NULL, NULL,
	  "needs runtime/cgo", NULL, "cgo on: static-pie needs the external linker" },
	{ "static-pie of pure Go on 1.21: go build adds runtime/cgo",
	  "linux/arm64", "hello", "go1.21.1", "linkage: static-pie",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-gnu-gcc|"
	  "CXX=aarch64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=|GOTOOLCHAIN=local",
	  R " -buildmode=pie -ldflags=-linkmode external -extldflags=-static-pie "
	  "-buildid= hello", "static-pie", NULL, NULL, "runtime/cgo: go build adds it" },
	{ "pure Go + import _ runtime/cgo: static external link is safe",
	  "linux/amd64", "rtcgo", NULL, "linkage: static",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-static -buildid= rtcgo",
	  "static", NULL, NULL, "cgo on: the program imports runtime/cgo" },
	/* --dynamic of a pure Go program */
	{ "--dynamic of pure Go: static anyway, explained", "linux/amd64", "hello",
	  NULL, "linkage: dynamic",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=",
	  R " -ldflags=-buildid= hello", "static", NULL,
	  "is pure Go and links statically anyway", NULL },
	{ "--dynamic --cgo on of pure Go: external link against libc",
	  "linux/arm64", "hello", NULL, "linkage: dynamic, cgo: on",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-gnu-gcc|"
	  "CXX=aarch64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -buildid= hello", "dynamic", NULL, NULL,
	  "links against libc only through the C toolchain" },
	/* extldflags only with the external linker */
	{ "extldflags with cgo: external linker", "linux/amd64", "cgo", NULL,
	  "extldflags: ['-Wl,-z,now'], static_libstdcxx: true",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode external -extldflags=-Wl,-z,now -buildid= cgo", "dynamic", NULL, NULL, NULL },
	{ "extldflags on a pure Go program: refused", "linux/amd64", "hello",
	  NULL, "extldflags: [-static]", NULL, NULL, NULL,
	  "extldflags need the external linker", NULL, NULL },
	{ "linker internal with user cgo: best effort, said so", "linux/amd64",
	  "cgo", NULL, "linker: internal",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -ldflags=-linkmode internal -buildid= cgo", "dynamic", NULL, NULL,
	  "golang/go#59735" },
	{ "linker internal with a static cgo link: refused", "linux/amd64", "cgo",
	  NULL, "linker: internal, cgo: on, linkage: static", NULL, NULL, NULL,
	  "linker internal, but linux/amd64 needs the external linker", NULL, NULL },
	/* libraries need cgo */
	{ "c-shared: cgo on, external, .so", "linux/amd64", "hello", NULL,
	  "buildmode: c-shared",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=amd64|GOAMD64=v1|CC=x86_64-linux-gnu-gcc|"
	  "CXX=x86_64-linux-gnu-g++|" CGO_FLAGS "|GOFLAGS=",
	  R " -buildmode=c-shared -ldflags=-linkmode external -buildid= hello",
	  "dynamic", NULL, NULL, "cgo on: buildmode c-shared needs runtime/cgo" },
	{ "plugin import: cgo on", "linux/amd64", "plug", NULL, "",
	  NULL, NULL, "dynamic", NULL, NULL, "cgo on: the program imports plugin" },
	{ "cgo off with C code: warned", "linux/amd64", "cgo", NULL, "cgo: off",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=",
	  R " -ldflags=-buildid= cgo", "static", NULL,
	  "example.com/cgo has cgo files, which cgo off leaves out", NULL },
	/* what this Go supports */
	{ "a port this Go lacks: listed", "windows/riscv64", "hello", NULL, "",
	  NULL, NULL, NULL, "go1.19.8 does not support windows/riscv64 (it "
	  "supports windows on amd64, 386, arm64)", NULL, NULL },
	{ "GOARM ,softfloat before Go 1.22: refused", "linux/arm/7,softfloat",
	  "hello", NULL, "", NULL, NULL, NULL, "need Go 1.22 (this Go accepts 5, "
	  "6 or 7)", NULL, NULL },
	{ "GOARM ,softfloat on Go 1.22", "linux/arm/6,softfloat", "hello",
	  "go1.22.0", "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=arm|GOARM=6,softfloat|GOFLAGS=|"
	  "GOTOOLCHAIN=local", R " -ldflags=-buildid= hello", "static", NULL,
	  NULL, NULL },
	{ "Go 1.23: GOARM64 explicit too", "linux/arm64", "hello", "go1.23.2", "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=arm64|GOARM64=v8.0|GOFLAGS=|GOTOOLCHAIN=local",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "Go 1.23: GORISCV64 from the variant", "linux/riscv64/rva22u64", "hello",
	  "go1.23.2", "",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=riscv64|GORISCV64=rva22u64|GOFLAGS=|GOTOOLCHAIN=local",
	  R " -ldflags=-buildid= hello", "static", NULL, NULL, NULL },
	{ "GOARM64 before Go 1.23: refused", "linux/arm64/v8.2", "hello", NULL,
	  "", NULL, NULL, NULL, "GOARM64=v8.2 needs Go 1.23", NULL, NULL },
	{ "the profile pins another Go", "linux/amd64", "hello", NULL, "go: '1.21'",
	  NULL, NULL, NULL, "the profile pins Go 1.21, but go is go1.19.8",
	  NULL, NULL },
	{ "a package go list cannot load", "linux/amd64", "broken", NULL, "",
	  NULL, NULL, NULL, "no required module provides package broken", NULL,
	  NULL },
	/* Go version differences */
	{ "strip on Go 1.22: -s implies -w", "linux/amd64", "hello", "go1.22.3",
	  "strip: true, debug: false",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=|GOTOOLCHAIN=local",
	  R " -ldflags=-s -buildid= hello", "static", NULL, NULL,
	  "-s implies -w since Go 1.22" },
	{ "debug: false alone: -w", "linux/amd64", "hello", NULL, "debug: false",
	  NULL, R " -ldflags=-w -buildid= hello", "static", NULL, NULL, NULL },
	{ "not reproducible, no trimpath: no flags at all", "linux/amd64", "hello",
	  NULL, "reproducible: false, trimpath: false",
	  "CGO_ENABLED=0|GOOS=linux|GOARCH=amd64|GOAMD64=v1|GOFLAGS=", "hello",
	  "static", NULL, NULL, NULL },
	{ "user flags, env, sysroot, extra libs", "linux/arm64", "cgo", NULL,
	  "ldflags: '-X main.v=1', gcflags: [-N, -l], env: {GOPRIVATE: x}, "
	  "sysroot: /sr, extra_libs: [ssl, -lcrypto], pkg_config_path: /pc",
	  "CGO_ENABLED=1|GOOS=linux|GOARCH=arm64|CC=aarch64-linux-gnu-gcc|"
	  "CXX=aarch64-linux-gnu-g++|CGO_CFLAGS=-O2 -g --sysroot=/sr|"
	  "CGO_CXXFLAGS=-O2 -g --sysroot=/sr|CGO_LDFLAGS=-O2 -g --sysroot=/sr "
	  "-lssl -lcrypto|GOFLAGS=|GOPRIVATE=x",
	  R " -gcflags=-N -l -ldflags=-linkmode external -buildid= -X main.v=1 cgo",
	  "dynamic", NULL, NULL, NULL },
	/* the C libraries of the link (cgolink.c), with reasons */
	{ "static cgo with -lm: resolved into -extldflags", "linux/amd64",
	  "cgolibm", NULL, "linkage: static", NULL,
	  R " -ldflags=-linkmode external \"-extldflags=-static -lm\" "
	  "-buildid= cgolibm", "static", NULL, NULL,
	  "-lm: from example.com/cgolibm" },
	{ "static cgo with extra_libs: after the package's", "linux/amd64",
	  "cgolibm", NULL, "linkage: static, extra_libs: [dl, m]", NULL, NULL,
	  "static", NULL, NULL, "-ldl: from the profile's extra_libs" },
	{ "static C++: its runtime linked statically, and why", "linux/amd64",
	  "cgocxx", NULL, "linkage: static", NULL, NULL, "static", NULL, NULL,
	  "-static-libstdc++ -static-libgcc -lstdc++ -lm: the C++ runtime is "
	  "linked statically (C++ files in example.com/cgocxx" },
	{ "dynamic C++: the runtime stays dynamic", "linux/arm64", "cgocxx",
	  NULL, "", NULL, R " -ldflags=-linkmode external -buildid= cgocxx",
	  "dynamic", NULL, NULL, "the C++ runtime stays dynamic" },
	{ "dynamic C++ with static_libstdcxx", "linux/arm64", "cgocxx", NULL,
	  "static_libstdcxx: true", NULL, R " -ldflags=-linkmode external "
	  "\"-extldflags=-static-libstdc++ -static-libgcc\" -buildid= cgocxx",
	  "dynamic", NULL, NULL, "linked statically into the dynamic binary "
	  "(profile static_libstdcxx" },
	{ "static_libstdcxx without C++: nothing to link", "linux/amd64", "cgo",
	  NULL, "static_libstdcxx: true", NULL,
	  R " -ldflags=-linkmode external -buildid= cgo", "dynamic", NULL, NULL,
	  "no package has C++ files" },
	{ "a host library folder in a cross link: refused, named", "linux/arm64",
	  "cgohost", NULL, "linkage: static", NULL, NULL, NULL,
	  "host library path '/usr/lib/x86_64-linux-gnu' in a cross link "
	  "(-L/usr/lib/x86_64-linux-gnu from #cgo LDFLAGS in example.com/cgohost)",
	  NULL, NULL },
	{ "the same folder on the host: fine", "linux/amd64", "cgohost", NULL,
	  "linkage: static", NULL, NULL, "static", NULL, NULL, NULL },
	{ "expect that contradicts the plan", "linux/amd64", "cgo", NULL,
	  "expect: {linkage: static}", NULL, NULL, NULL,
	  "expect.linkage is static, but the plan gives a dynamic binary", NULL,
	  NULL },
};

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
	xb_plan_opts o = { fake_cc, NULL, NULL, host };
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
	xb_plan_opts o = { fake_cc, NULL, "1.2.3", NULL };
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
	xb_plan_opts o = { no_cc, (void *)"aarch64-linux-gnu-gcc", NULL, NULL };
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
		cmocka_unit_test(go_release_names),
		cmocka_unit_test(go_choice),
		cmocka_unit_test(shell_quoting),
		cmocka_unit_test(lookup_failure),
	};
	return RUN(tests) | rc;
}
