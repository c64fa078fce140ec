# lib-cgo.sh: sourced by the end-to-end tests of static cgo links
# (cgolink.sh, plan-cgolink.sh), after lib.sh: the Go programs and C
# libraries they link, written into $T.

# cgo_setup: needs go; Go offline, and no pkg-config search path from the
# caller
cgo_setup() {
	need_all go
	export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GOSUMDB=off
	unset PKG_CONFIG_PATH PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
}

# static_elf FILE: no program interpreter, and file(1) says static
static_elf() {
	! readelf -lW "$1" | grep -q INTERP &&
		file "$1" | grep -q 'statically linked'
}

# cgo_sqlite DIR: a module that opens an in-memory database through the
# real github.com/mattn/go-sqlite3 (pinned in tests/fixtures/modules/sqlite,
# go.sum checked in, fetched once through the machine's module proxy) and
# prints "sqlite VERSION".  Built with SQ_TAGS (-tags=libsqlite3): the
# module's own switch to the system libsqlite3 instead of its bundled copy.
SQ_TAGS=-tags=libsqlite3
cgo_sqlite() {
	mkdir -p "$1"
	cp "$TOP"/tests/fixtures/modules/sqlite/* "$1/"
	(cd "$1" && with_proxy go mod download -x github.com/mattn/go-sqlite3) >"$T/.moddl" 2>&1 ||
		{ fail "go mod download of go-sqlite3 through the module proxy" "$(tail -5 "$T/.moddl")"; return 1; }
}

# cgo_foo_cross: an arm64 libfoo.a with its foo.h and foo.pc (Libs.private
# -lm) in the sysroot $S; the host's foo of the same name in $T/hostlib,
# $T/hostpc (never to be used); and the module $T/x whose packages pc and
# lf link foo through pkg-config and through LDFLAGS.  Needs
# aarch64-linux-gnu-gcc.
cgo_foo_cross() {
	mkdir -p "$S/usr/lib/pkgconfig" "$S/usr/include" "$T/foo" "$T/hostpc" "$T/hostlib"
	cat >"$T/foo/foo.c" <<'EOF'
#include <math.h>
double foo_wave(double x) { return cos(x) * 2.0; }
EOF
	aarch64-linux-gnu-gcc -O2 -c -o "$T/foo/foo.o" "$T/foo/foo.c" &&
		aarch64-linux-gnu-ar rcs "$S/usr/lib/libfoo.a" "$T/foo/foo.o"
	printf 'double foo_wave(double);\n' >"$S/usr/include/foo.h"
	cat >"$S/usr/lib/pkgconfig/foo.pc" <<'EOF'
prefix=/usr
libdir=${prefix}/lib
includedir=${prefix}/include
Name: foo
Description: a test library
Version: 1.0
Libs: -L${libdir} -lfoo
Libs.private: -lm
Cflags: -I${includedir}
EOF
	# the host's foo: same name, other library, must never be used
	gcc -c -o "$T/hostlib/foo.o" "$T/foo/foo.c" && ar rcs "$T/hostlib/libfoo.a" "$T/hostlib/foo.o"
	cat >"$T/hostpc/foo.pc" <<EOF
Name: foo
Description: the host's foo
Version: 9.9
Libs: -L$T/hostlib -lfoo -lhostonly
Cflags: -I$T/hostinc -DHOST_FOO
EOF
	mkdir -p "$T/x/pc" "$T/x/lf"
	printf 'module example.com/x\n\ngo 1.19\n' >"$T/x/go.mod"
	cat >"$T/x/pc/main.go" <<'EOF'
package main

// #cgo pkg-config: foo
// #include <foo.h>
import "C"
import "fmt"

func main() { fmt.Printf("wave %.3f\n", float64(C.foo_wave(0))) }
EOF
	cat >"$T/x/lf/main.go" <<'EOF'
package main

// #cgo LDFLAGS: -lfoo
// double foo_wave(double);
import "C"
import "fmt"

func main() { fmt.Printf("wave %.3f\n", float64(C.foo_wave(0))) }
EOF
}

# cgo_host_path DIR: package DIR/bad links -lfoo from the host's
# /usr/lib/x86_64-linux-gnu
cgo_host_path() {
	mkdir -p "$1/bad"
	cat >"$1/bad/main.go" <<'EOF'
package main

// #cgo LDFLAGS: -L/usr/lib/x86_64-linux-gnu -lfoo
// double foo_wave(double);
import "C"

func main() { C.foo_wave(0) }
EOF
}

# cgo_undefined DIR: package DIR/some calls bar_only_here (the test puts
# it in an archive), DIR/none a function no library has
cgo_undefined() {
	mkdir -p "$1/some" "$1/none"
	cat >"$1/some/main.go" <<'EOF'
package main

// int bar_only_here(int);
import "C"

func main() { C.bar_only_here(1) }
EOF
	cat >"$1/none/main.go" <<'EOF'
package main

// int no_library_has_this(int);
import "C"

func main() { C.no_library_has_this(1) }
EOF
}

# cgo_cxx DIR: a module with a C++ file; prints "len 5"
cgo_cxx() {
	mkdir -p "$1"
	printf 'module example.com/cxx\n\ngo 1.19\n' >"$1/go.mod"
	cat >"$1/sum.cpp" <<'EOF'
#include <numeric>
#include <string>
#include <vector>
extern "C" int cxx_len(const char *s) {
	std::vector<int> v;
	for (const char c : std::string(s)) v.push_back(c ? 1 : 0);
	return std::accumulate(v.begin(), v.end(), 0);
}
EOF
	cat >"$1/main.go" <<'EOF'
package main

// int cxx_len(const char *s);
import "C"
import "fmt"

func main() { fmt.Println("len", C.cxx_len(C.CString("hello"))) }
EOF
}
