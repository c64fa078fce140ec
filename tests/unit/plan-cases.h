/* plan-cases.h: the planner's cases, one row each: a target, a test
 * package and settings, and the environment, argv, linkage and the
 * error, warning or reason the planner must give.  Read by test_plan.c. */
#ifndef XB_TEST_PLAN_CASES_H
#define XB_TEST_PLAN_CASES_H

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

#endif
