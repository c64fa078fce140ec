#!/usr/bin/env bash
# cgolink.sh: static cgo links against real C libraries, through the
# resolver and the linker output diagnosis (tests/tools/xb-cgolink-driver):
# the real go-sqlite3 module over the system libsqlite3, an arm64 library in a
# sysroot beside a host .pc of the same name, C++, and failed links.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-cgo.sh"

D=$TOP/build/tests/tools/xb-cgolink-driver
[ -x "$D" ] || { fail "$D is built (make check builds it)"; done_testing; exit 1; }
cgo_setup

# field KIND: the lines "KIND ..." of the last driver output, without KIND
field() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p"; }

# ---- go-sqlite3 on the host ------------------------------------------------
cgo_sqlite "$T/sq" || { done_testing; exit 1; }
cd "$T/sq" || exit 1
run go build $SQ_TAGS -o plain -ldflags "-linkmode external -extldflags -static" .
check "plain static go build of go-sqlite3 fails" eval '! rc_is 0'
check "... with undefined sqrt" contains "$ERR" "undefined reference to \`sqrt'"
printf '%s\n' "$ERR" >"$T/sq-fail.txt"
run "$D" diag "$T/sq-fail.txt"
check "the diagnosis says needs -lm (exit 1)" \
	eval 'rc_is 1 && contains "$OUT" "undefined log, trunc, exp" && contains "$OUT" "needs -lm (the math library), after -lsqlite3, which uses it"'
grep 'sqrt' "$T/sq-fail.txt" >"$T/sqrt.txt"
run "$D" diag "$T/sqrt.txt"
check "undefined sqrt alone: needs -lm" \
	eval 'rc_is 1 && [[ $OUT == "undefined sqrt: needs -lm"* ]]'

run env GOFLAGS="-mod=mod $SQ_TAGS" "$D" resolve --static .
check "resolver sees go-sqlite3's cgo" contains "$OUT" "cgo 1 runtime_cgo 1"
flags=$(field flag | tr '\n' ' ')
check "flags: -static -lsqlite3 -lm -lz in that order" \
	eval 'rc_is 0 && contains "$flags" "-static -lsqlite3 -lm -lz "'
check "reason names sqlite3.pc's Libs.private and the package" \
	contains "$OUT" "reason -lm -lz: Libs.private of /usr/lib/x86_64-linux-gnu/pkgconfig/sqlite3.pc (from -lsqlite3 in github.com/mattn/go-sqlite3)"
word=$(field ldflag)
run go build $SQ_TAGS -o sq -ldflags "-linkmode external $word" .
check "static build with the resolved flags" rc_is 0
printf '%s\n' "$ERR" >"$T/sq-warn.txt"
check "... is static (no INTERP, file says so)" static_elf sq
run ./sq
check "... runs and prints sqlite_version()" \
	eval 'rc_is 0 && [[ $OUT == "sqlite 3."* ]]'
run "$D" diag "$T/sq-warn.txt"
check "the dlopen warning is classified with its fix" \
	eval 'rc_is 0 && contains "$OUT" "static glibc: dlopen" && contains "$OUT" "musl"'

run env GOFLAGS="-mod=mod $SQ_TAGS" "$D" resolve --static-pie .
check "static-pie: the same libraries after -static-pie" \
	contains "$(field flag | tr '\n' ' ')" "-static-pie -lsqlite3 -lm -lz "
run go build $SQ_TAGS -buildmode=pie -o sqpie -ldflags "-linkmode external $(field ldflag)" .
check "static-pie build runs" \
	eval 'rc_is 0 && file sqpie | grep -q "static-pie linked" && [[ $(./sqpie) == "sqlite 3."* ]]'

# ---- cross: an arm64 library in a sysroot, a host .pc of the same name ------
if need aarch64-linux-gnu-gcc qemu-aarch64; then
	S=$T/sysroot
	cgo_foo_cross
	cd "$T/x" || exit 1
	for v in pc lf; do
		run env PKG_CONFIG_PATH="$T/hostpc" GOOS=linux GOARCH=arm64 \
			CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc \
			"$D" resolve --static --cross --sysroot "$S" \
			--toolchain-sysroot /usr/aarch64-linux-gnu \
			--triplet aarch64-linux-gnu ./$v
		flags=$(field flag | tr '\n' ' ')
		check "cross $v: flags from the sysroot's foo.pc" \
			eval 'rc_is 0 && contains "$flags" "-L$S/usr/lib" && contains "$flags" "-lfoo -lm"'
		check "cross $v: nothing of the host's foo.pc" \
			eval 'lacks "$OUT" "$T/hostlib" && lacks "$OUT" hostonly'
		check "cross $v: pkg-config confined to the sysroot" \
			eval 'contains "$OUT" "env PKG_CONFIG_LIBDIR=$S/usr/lib/pkgconfig" && contains "$OUT" "env PKG_CONFIG_SYSROOT_DIR=$S" && contains "$OUT" "env PKG_CONFIG_PATH="'
		mapfile -t envs < <(field env)
		word=$(field ldflag)
		run env PKG_CONFIG_PATH="$T/hostpc" "${envs[@]}" GOOS=linux GOARCH=arm64 \
			CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc \
			go build -o "$v.bin" -ldflags "-linkmode external $word" ./$v
		check "cross $v: static arm64 build" \
			eval 'rc_is 0 && file $v.bin | grep -q "ARM aarch64" && static_elf $v.bin'
		run qemu-aarch64 ./$v.bin
		check "cross $v: runs under qemu-aarch64" \
			eval 'rc_is 0 && [ "$OUT" = "wave 2.000" ]'
	done

	# a host library folder in a cross link is an error that names it
	cgo_host_path "$T/x"
	run env GOOS=linux GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc \
		"$D" resolve --static --cross --sysroot "$S" \
		--triplet aarch64-linux-gnu ./bad
	check "cross: a host library path is an error naming it" \
		eval 'rc_is 1 && contains "$OUT" "error host library path '\''/usr/lib/x86_64-linux-gnu'\''" && contains "$OUT" "example.com/x/bad"'
else
	pass "# SKIP no aarch64-linux-gnu-gcc or qemu-aarch64"
fi

# ---- C++ ------------------------------------------------------------------------
cgo_cxx "$T/cxx"
cd "$T/cxx" || exit 1
run "$D" resolve --static .
flags=$(field flag | tr '\n' ' ')
check "C++: the runtime is linked statically, and said so" \
	eval 'rc_is 0 && contains "$OUT" "cxx 1" && contains "$flags" "-static-libstdc++" && contains "$OUT" "reason -static-libstdc++ -static-libgcc -lstdc++ -lm: the C++ runtime is linked statically"'
word=$(field ldflag)
run go build -o cxx -ldflags "-linkmode external $word" .
check "C++: static build" eval 'rc_is 0 && static_elf cxx'
run ./cxx
check "C++: runs" eval 'rc_is 0 && [ "$OUT" = "len 5" ]'
run "$D" resolve .
check "C++ dynamic: the runtime stays dynamic unless the profile says" \
	eval 'rc_is 0 && contains "$OUT" "stays dynamic" && lacks "$OUT" "flag -static-libstdc++"'
run "$D" resolve --static-libstdcxx .
check "C++ dynamic with static_libstdcxx" \
	eval 'rc_is 0 && contains "$OUT" "flag -static-libstdc++" && contains "$OUT" "flag -static-libgcc"'

# ---- failed links ---------------------------------------------------------------
H=$T/hostsys
mkdir -p "$H/usr/lib"
printf 'int bar_only_here(int x) { return x + 1; }\n' >"$T/bar.c"
gcc -c -o "$T/bar.o" "$T/bar.c" && ar rcs "$H/usr/lib/libbar.a" "$T/bar.o"
cgo_undefined "$T/fail"
printf 'module example.com/fail\n\ngo 1.19\n' >"$T/fail/go.mod"
cd "$T/fail" || exit 1
run go build -o none.bin -ldflags "-linkmode external -extldflags -static" ./none
printf '%s\n' "$ERR" >"$T/none.txt"
run "$D" diag --sysroot "$H" "$T/none.txt"
check "failed link: a symbol no archive defines (exit 1)" \
	eval 'rc_is 1 && contains "$OUT" "undefined no_library_has_this: not defined in any static archive of $H/usr/lib"'
run go build -o some.bin -ldflags "-linkmode external -extldflags -static" ./some
printf '%s\n' "$ERR" >"$T/some.txt"
run "$D" diag --sysroot "$H" "$T/some.txt"
check "failed link: a symbol only a sysroot archive defines (exit 1)" \
	eval 'rc_is 1 && contains "$OUT" "undefined bar_only_here: defined in $H/usr/lib/libbar.a; add -lbar"'


# ---- linux/386: the multiarch folder is i386-linux-gnu, the triplet i686 ----
# a sysroot laid out as Debian's (usr/lib/i386-linux-gnu, its pkgconfig/)
# with a 386 libfoo: found through the .pc, linked static, run by --smoke
if need i686-linux-gnu-gcc qemu-i386; then
	S386=$T/sys386
	mkdir -p "$S386/usr/lib/i386-linux-gnu/pkgconfig" "$T/foo386" "$T/m386/pc"
	printf '#include <math.h>\ndouble foo_wave(double x) { return cos(x) * 2.0; }\n' >"$T/foo386/foo.c"
	i686-linux-gnu-gcc -O2 -c -o "$T/foo386/foo.o" "$T/foo386/foo.c" &&
		i686-linux-gnu-ar rcs "$S386/usr/lib/i386-linux-gnu/libfoo.a" "$T/foo386/foo.o"
	cat >"$S386/usr/lib/i386-linux-gnu/pkgconfig/foo.pc" <<'EOF'
libdir=/usr/lib/i386-linux-gnu
Name: foo
Description: a 386 test library
Version: 1.0
Libs: -L${libdir} -lfoo
Libs.private: -lm
Cflags:
EOF
	printf 'module example.com/m386\n\ngo 1.19\n' >"$T/m386/go.mod"
	cat >"$T/m386/pc/main.go" <<'EOF'
package main

// #cgo pkg-config: foo
// double foo_wave(double);
import "C"
import "fmt"

func main() { fmt.Printf("wave %.3f\n", float64(C.foo_wave(0))) }
EOF
	printf 'version: 1\ndefaults:\n  sysroot: %s\ntargets: [linux/386]\n' "$S386" >"$T/m386/p.yaml"
	cd "$T/m386" || exit 1
	run "$XBUILD" build -p p.yaml --static --smoke --json -o "$T/m386/out/{name}" ./pc
	check "linux/386: foo.pc found in usr/lib/i386-linux-gnu/pkgconfig, built static" \
		eval 'rc_is 0 && [ "$(jq -r ".[0].verdict" <<<"$OUT")" = ok ]'
	check "linux/386: the artifact ran and said what libfoo computes" \
		eval '[ "$(jq -r ".[0].smoke_exit" <<<"$OUT")" = 0 ] && [ "$(GODEBUG=asyncpreemptoff=1 qemu-i386 out/pc)" = "wave 2.000" ]'
	run "$XBUILD" plan -p p.yaml --static --format json ./pc
	check "linux/386: the plan looks for archives in usr/lib/i386-linux-gnu" \
		contains "$OUT" "$S386/usr/lib/i386-linux-gnu"
fi

# ---- musl on a glibc host: another target for .pc files ---------------------
# the host's foo.pc (a glibc library) is never used for a musl link
if need musl-gcc && [ "$(uname -m)" = x86_64 ]; then
	mkdir -p "$T/mhost/pc" "$T/mhostpc" "$T/mhostlib"
	printf 'double foo_wave(double x) { return x; }\n' >"$T/mhostlib/foo.c"
	gcc -c -o "$T/mhostlib/foo.o" "$T/mhostlib/foo.c" && ar rcs "$T/mhostlib/libfoo.a" "$T/mhostlib/foo.o"
	printf 'Name: foo\nDescription: the host foo\nVersion: 9\nLibs: -L%s -lfoo\nCflags:\n' \
		"$T/mhostlib" >"$T/mhostpc/foo.pc"
	printf 'module example.com/mhost\n\ngo 1.19\n' >"$T/mhost/go.mod"
	cp "$T/m386/pc/main.go" "$T/mhost/pc/main.go" 2>/dev/null ||
		printf 'package main\n\n// #cgo pkg-config: foo\n// double foo_wave(double);\nimport "C"\n\nfunc main() { C.foo_wave(0) }\n' >"$T/mhost/pc/main.go"
	cd "$T/mhost" || exit 1
	run "$XBUILD" plan -t linux/amd64 --libc musl --static --cgo on \
		--set "env=PKG_CONFIG_PATH=$T/mhostpc" ./pc
	check "native musl: the host's glibc .pc is not the target's (exit 1)" \
		eval 'rc_is 1 && contains "$ERR" "pkg-config cannot find foo (for #cgo pkg-config: foo in example.com/mhost/pc) among the target'\''s .pc files"'
	check "native musl: nothing of the host library reaches the link" lacks "$OUT$ERR" "-L$T/mhostlib"
	run "$XBUILD" plan -t linux/amd64 --libc musl --static --cgo on --format json ./pc
	check "native musl: archives are looked for in musl's folder, not glibc's" \
		eval 'contains "$OUT" "/usr/lib/x86_64-linux-musl" && lacks "$OUT" "\"/usr/lib/x86_64-linux-gnu\""'
fi

done_testing
