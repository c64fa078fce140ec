#!/usr/bin/env bash
# Golden tests of the checker on binaries built here: every case of the
# static/dynamic Go article, C binaries, 32-bit and big-endian objects from
# the cross compilers.  Facts are asserted, and cross-checked with `file`
# and `readelf` where those are right.
. "$(dirname "$0")/lib.sh"
need_all go
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
ex=$TOP/examples

# jq-free field access: j FILE EXPR prints the Python expression over the
# facts of FILE (d), e.g. j "$T/x" 'd["linkage"]'
j() {
	"$XBUILD" inspect --json "$1" 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print(json.dumps(v) if not isinstance(v,str) else v)' "$2"
}
is() { # is FILE EXPR WANT
	local got
	got=$(j "$1" "$2")
	if [ "$got" = "$3" ]; then pass "$(basename "$1"): $2 = $3"
	else fail "$(basename "$1"): $2 = $3" "got: $got"; fi
}
# -trimpath, as xbuild builds: the other tests' builds share Go's cache
gob() { # gob OUT PKG [go build args...] with env before the call
	local out=$1 pkg=$2
	shift 2
	(cd "$ex" && go build ${GOB_TRIMPATH--trimpath} -o "$out" "$@" "./$pkg") >"$T/.gob" 2>&1 ||
		{ fail "go build $out" "$(cat "$T/.gob")"; return 1; }
}

# ---- the article's Go cases ----------------------------------------------
gob "$T/hello" hello
is "$T/hello" 'd["format"]' elf
is "$T/hello" 'd["linkage"]' static
is "$T/hello" 'd["type"]' exec
is "$T/hello" 'd["arch"]' amd64
is "$T/hello" 'd["interpreter"]' null
is "$T/hello" 'd["ld_preload"]' false
is "$T/hello" 'd["stripped"]' false
is "$T/hello" 'd["debug_info"]' true
is "$T/hello" 'd["relro"]' null
is "$T/hello" 'd["libc"]' none
is "$T/hello" 'd["go"]["version"].startswith("go1.")' true
is "$T/hello" 'd["go"]["path"]' example.com/xbuild-examples/hello
is "$T/hello" 'd["go"]["main"]["path"]' example.com/xbuild-examples
is "$T/hello" 'd["go"]["settings"]["GOOS"]' linux
# Go 1.24 and later also write a GNU build id (derived from the Go one)
# with their own linker; before, only the Go note
gominor=$(go env GOVERSION | sed 's/^go1\.\([0-9]*\).*/\1/')
if [ "$gominor" -ge 24 ]; then
	is "$T/hello" 'd["build_ids"]["go"] is not None and d["build_ids"]["gnu"] is not None' true
	run readelf -nW "$T/hello"
	check "readelf agrees: a GNU build id beside the Go one" contains "$OUT" "NT_GNU_BUILD_ID"
else
	is "$T/hello" 'd["build_ids"]["go"] is not None and d["build_ids"]["gnu"] is None' true
fi
run file -b "$T/hello"
check "file agrees: hello statically linked" contains "$OUT" "statically linked"
gv=$(go version "$T/hello" | awk '{print $2}')
is "$T/hello" 'd["go"]["version"]' "$gv"

gob "$T/net" netcidr
is "$T/net" 'd["linkage"]' dynamic
is "$T/net" 'd["interpreter"]' /lib64/ld-linux-x86-64.so.2
is "$T/net" 'd["needed"]' '["libc.so.6"]'
is "$T/net" 'd["libc"]' glibc
is "$T/net" 'd["ld_preload"]' true
is "$T/net" 'd["glibc_max"] is not None' true
is "$T/net" 'd["go"]["settings"]["CGO_ENABLED"]' 1
run file -b "$T/net"
check "file agrees: net dynamically linked" contains "$OUT" "dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2"
run "$XBUILD" inspect "$T/net"
check "summary names interpreter and libc" contains "$OUT" "dynamic, interpreter /lib64/ld-linux-x86-64.so.2, needs libc.so.6"
glibc_readelf=$(readelf -VW "$T/net" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
is "$T/net" 'd["glibc_max"]' "$glibc_readelf"

gob "$T/netgo" netcidr -tags netgo
is "$T/netgo" 'd["linkage"]' static
is "$T/netgo" 'd["go"]["settings"]["-tags"]' netgo
CGO_ENABLED=0 gob "$T/net0" netcidr
is "$T/net0" 'd["linkage"]' static
is "$T/net0" 'd["go"]["settings"]["CGO_ENABLED"]' 0

# (without -trimpath: go records no -ldflags in the build info with it)
GOB_TRIMPATH= gob "$T/netst" netcidr -ldflags "-linkmode external -extldflags -static"
is "$T/netst" 'd["linkage"]' static
is "$T/netst" 'd["libc"]' glibc
is "$T/netst" 'd["relro"]' partial
is "$T/netst" 'd["build_ids"]["gnu"] is not None and d["build_ids"]["go"] is not None' true
is "$T/netst" 'd["go"]["settings"]["-ldflags"]' "-linkmode external -extldflags -static"
run file -b "$T/netst"
check "file shows only the GNU build id of an external-linked Go binary" lacks "$OUT" "Go BuildID"
run readelf -nW "$T/netst"
check "readelf shows both build ids, as xbuild does" contains "$OUT" "GO BUILDID"

gob "$T/small" hello -ldflags "-s -w"
is "$T/small" 'd["stripped"]' true
is "$T/small" 'd["debug_info"]' false
is "$T/small" 'd["go"] is not None and d["build_ids"]["go"] is not None' true
run file -b "$T/small"
check "file agrees: -s -w stripped" contains "$OUT" ", stripped"

GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 gob "$T/mac" netcidr
is "$T/mac" 'd["format"]' macho
is "$T/mac" 'd["arch"]' arm64
is "$T/mac" 'd["type"]' pie
is "$T/mac" 'd["interpreter"]' /usr/lib/dyld
is "$T/mac" 'd["needed"][0]' /usr/lib/libSystem.B.dylib
# the net package links libresolv too in current Go
is "$T/mac" 'all(n.startswith("/usr/lib/lib") for n in d["needed"])' true
is "$T/mac" 'd["libc"]' libsystem
is "$T/mac" 'd["debug_info"]' true
is "$T/mac" 'd["go"]["settings"]["GOOS"]' darwin
run file -b "$T/mac"
check "file agrees: Mach-O arm64" contains "$OUT" "Mach-O 64-bit arm64 executable"

GOOS=darwin GOARCH=amd64 CGO_ENABLED=0 gob "$T/macamd" hello
is "$T/macamd" 'd["arch"]' amd64
is "$T/macamd" 'd["min_os"] is not None and d["min_os"][0].isdigit()' true
is "$T/hello" 'd["min_os"]' null
# current Go links darwin/amd64 as PIE (MH_PIE), older Go did not: the
# checker follows the header, as file does
if file -b "$T/macamd" | grep -q PIE; then
	is "$T/macamd" 'd["type"]' pie
else
	is "$T/macamd" 'd["type"]' exec
fi

GOOS=windows GOARCH=amd64 gob "$T/win.exe" hello
is "$T/win.exe" 'd["format"]' pe
is "$T/win.exe" 'd["arch"]' amd64
is "$T/win.exe" 'd["needed"]' '["kernel32.dll"]'
is "$T/win.exe" 'd["libc"]' none
is "$T/win.exe" 'd["stripped"]' false
is "$T/win.exe" 'd["debug_info"]' true
is "$T/win.exe" 'd["go"]["settings"]["GOOS"]' windows
is "$T/win.exe" 'd["build_ids"]["go"] is not None' true
run file -b "$T/win.exe"
check "file agrees: PE32+ x86-64" contains "$OUT" "PE32+ executable"
# older Go wrote no COFF symbol table, which file calls "stripped to
# external PDB"; xbuild reads the DWARF sections either way
run objdump -h "$T/win.exe"
check "objdump agrees: DWARF sections in the PE" contains "$OUT" "debug_info"
# an empty Go build id (-buildid=, as reproducible builds use) must not
# hide the build info
GOOS=windows GOARCH=amd64 gob "$T/win-nobid.exe" hello -ldflags=-buildid=
is "$T/win-nobid.exe" 'd["go"]["settings"]["GOOS"]' windows
GOOS=darwin GOARCH=arm64 gob "$T/mac-nobid" hello -ldflags=-buildid=
is "$T/mac-nobid" 'd["go"]["settings"]["GOOS"]' darwin
gob "$T/hello-nobid" hello -ldflags=-buildid=
is "$T/hello-nobid" 'd["go"]["settings"]["GOOS"]' linux
GOOS=windows GOARCH=386 gob "$T/win32.exe" hello
is "$T/win32.exe" 'd["arch"]' 386
is "$T/win32.exe" 'd["class"]' 32
is "$T/win32.exe" 'd["go"]["settings"]["GOARCH"]' 386

# -buildmode=pie: an interpreter and no needed library; ldd calls it
# static, file dynamic: it is loaded by ld.so, so LD_PRELOAD reaches it
gob "$T/gopie" hello -buildmode=pie
is "$T/gopie" '[d["type"], d["linkage"], d["needed"], d["ld_preload"], d["pie"]]' '["pie", "dynamic", [], true, true]'
# (go1.19 records no -buildmode setting, so only the headers tell)

# Go build info in 32-bit and big-endian binaries
for a in mips:mips:32:big s390x:s390x:64:big ppc64:ppc64:64:big 386:386:32:little arm:arm:32:little mips64le:mips64le:64:little riscv64:riscv64:64:little; do
	IFS=: read -r goarch arch bits endian <<<"$a"
	GOARCH=$goarch CGO_ENABLED=0 gob "$T/go-$goarch" hello || continue
	is "$T/go-$goarch" '[d["arch"], d["class"], d["endian"], d["linkage"]]' "[\"$arch\", $bits, \"$endian\", \"static\"]"
	is "$T/go-$goarch" 'd["go"]["settings"]["GOARCH"]' "$goarch"
done
is "$T/go-arm" 'd["go"]["settings"]["GOARM"]' "$(GOARCH=arm go env GOARM)"
is "$T/go-arm" 'd["abi"]' eabi5

# linux/arm64 with cgo, dynamic and static
if need aarch64-linux-gnu-gcc; then
	GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc gob "$T/net-arm64" netcidr
	is "$T/net-arm64" 'd["arch"]' arm64
	is "$T/net-arm64" 'd["linkage"]' dynamic
	is "$T/net-arm64" 'd["interpreter"]' /lib/ld-linux-aarch64.so.1
	is "$T/net-arm64" 'd["needed"]' '["libc.so.6"]'
	run "$XBUILD" verify "$T/net-arm64" --expect linkage=static,arch=arm64
	check "verify arm64 dynamic against static: exit 3" rc_is 3
	check "verify names interpreter and needed" contains "$OUT" "expected static, got dynamic: interpreter /lib/ld-linux-aarch64.so.1, needs libc.so.6"
	GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc gob "$T/netst-arm64" netcidr -ldflags "-linkmode external -extldflags -static"
	is "$T/netst-arm64" 'd["linkage"]' static
	is "$T/netst-arm64" 'd["arch"]' arm64
	run "$XBUILD" verify "$T/netst-arm64" --expect linkage=static,arch=arm64,cgo=1
	check "verify arm64 static passes" rc_is 0
fi

# musl
if need musl-gcc; then
	CC=musl-gcc gob "$T/net-musl" netcidr
	is "$T/net-musl" 'd["libc"]' musl
	is "$T/net-musl" 'd["interpreter"]' /lib/ld-musl-x86_64.so.1
	CC=musl-gcc gob "$T/netst-musl" netcidr -ldflags "-linkmode external -extldflags -static"
	is "$T/netst-musl" 'd["linkage"]' static
	is "$T/netst-musl" '[d["libc"], d["glibc_max"]]' '["musl", null]'
fi

# ---- C binaries ------------------------------------------------------------
cat >"$T/c.c" <<'C'
#include <stdio.h>
#include <string.h>
int f(const char *s) { char b[64]; strcpy(b, s); return puts(b); }
int main(int argc, char **argv) { return f(argc > 1 ? argv[1] : "hi"); }
C
gcc -O1 -o "$T/c-pie" "$T/c.c"
is "$T/c-pie" '[d["type"], d["linkage"], d["pie"]]' '["pie", "dynamic", true]'
gcc -O1 -no-pie -fno-stack-protector -Wl,-z,lazy -Wl,-z,norelro -o "$T/c-nopie" "$T/c.c"
is "$T/c-nopie" '[d["type"], d["pie"], d["relro"], d["bind_now"], d["stack_protector"]]' '["exec", false, "none", false, false]'
gcc -O1 -fstack-protector-all -Wl,-z,relro,-z,now -o "$T/c-hard" "$T/c.c"
is "$T/c-hard" '[d["relro"], d["bind_now"], d["stack_protector"], d["nx_stack"], d["textrel"]]' '["full", true, true, true, false]'
gcc -O1 -Wl,-z,relro,-z,lazy -o "$T/c-partial" "$T/c.c"
is "$T/c-partial" 'd["relro"]' partial
gcc -O1 -z execstack -o "$T/c-xstack" "$T/c.c" 2>/dev/null
is "$T/c-xstack" 'd["nx_stack"]' false
gcc -O1 -static -o "$T/c-static" "$T/c.c"
is "$T/c-static" '[d["type"], d["linkage"], d["libc"], d["interpreter"]]' '["exec", "static", "glibc", null]'
run file -b "$T/c-static"
check "file agrees: static" contains "$OUT" "statically linked"
if gcc -O1 -static-pie -o "$T/c-spie" "$T/c.c" 2>/dev/null; then
	is "$T/c-spie" '[d["type"], d["linkage"], d["ld_preload"]]' '["pie", "static-pie", false]'
	run file -b "$T/c-spie"
	check "file agrees: static-pie" contains "$OUT" "static-pie linked"
fi
gcc -O1 -shared -fPIC -Wl,-soname,libx.so.1 -Wl,-rpath,/opt/x -Wl,--disable-new-dtags -o "$T/libx.so" "$T/c.c"
is "$T/libx.so" '[d["type"], d["soname"], d["rpath"], d["runpath"]]' '["shared", "libx.so.1", "/opt/x", null]'
gcc -O1 -shared -fPIC -Wl,-rpath,/opt/y -Wl,--enable-new-dtags -o "$T/liby.so" "$T/c.c"
is "$T/liby.so" '[d["type"], d["runpath"]]' '["shared", "/opt/y"]'
gcc -O1 -g -o "$T/c-g" "$T/c.c"
is "$T/c-g" '[d["stripped"], d["debug_info"]]' '[false, true]'
gcc -O1 -g -gz=zlib -o "$T/c-gz" "$T/c.c"
is "$T/c-gz" '[d["debug_info"], d["stripped"]]' '[true, false]'
if objcopy --compress-debug-sections=zlib-gnu "$T/c-g" "$T/c-zdebug" 2>/dev/null; then
	is "$T/c-zdebug" 'd["debug_info"]' true
	run file -b "$T/c-zdebug"
	check "file misses .zdebug_info (xbuild does not)" lacks "$OUT" "with debug_info"
fi
strip -o "$T/c-stripped" "$T/c-g"
is "$T/c-stripped" '[d["stripped"], d["debug_info"]]' '[true, false]'
objcopy --only-keep-debug "$T/c-g" "$T/c-g.debug"
is "$T/c-g.debug" '[d["debug_only"], d["linkage"], d["build_ids"]["gnu"] is not None]' '[true, null, true]'
gcc -c -o "$T/c.o" "$T/c.c"
is "$T/c.o" '[d["type"], d["linkage"]]' '["relocatable", null]'
# a dynamic string table over 4 KiB is read string by string: the stack
# protector is then found among the imports, or defined (as libc does)
python3 -c '
for i in range(200):
    print("char *strcpy(char *, const char *); int exported_function_number_%d(const char *s) { char b[32]; strcpy(b, s); return b[%d] + %d; }" % (i, i % 8, i))' >"$T/big.c"
gcc -Os -shared -fPIC -fstack-protector-all -o "$T/libbig.so" "$T/big.c"
gcc -Os -shared -fPIC -fno-stack-protector -o "$T/libbig0.so" "$T/big.c"
{ cat "$T/big.c"; echo 'void __stack_chk_fail(void) { }'; } >"$T/bigdef.c"
gcc -Os -shared -fPIC -fno-stack-protector -o "$T/libbigdef.so" "$T/bigdef.c"
is "$T/libbig.so" 'd["stack_protector"]' true
is "$T/libbig0.so" 'd["stack_protector"]' false
is "$T/libbigdef.so" 'd["stack_protector"]' true
run readelf -sDW "$T/libbig.so"
check "readelf agrees: libbig imports __stack_chk_fail" contains "$OUT" "__stack_chk_fail"
if need musl-gcc; then
	# musl is told by its start-up symbol; stripped, nothing tells
	musl-gcc -O1 -static -o "$T/c-musl-static" "$T/c.c"
	is "$T/c-musl-static" '[d["linkage"], d["libc"]]' '["static", "musl"]'
	strip -o "$T/c-musl-stripped" "$T/c-musl-static"
	is "$T/c-musl-stripped" 'd["libc"]' unknown
fi

# ---- cross compilers: 32-bit and big-endian ---------------------------------
cross() { # cross CC NAME ARCH CLASS ENDIAN [ABI-substring]
	local cc=$1 name=$2
	need "$cc" || return 0
	"$cc" -O1 -o "$T/$name" "$T/c.c" 2>"$T/.cc" || { fail "$cc builds" "$(cat "$T/.cc")"; return; }
	"$cc" -O1 -c -o "$T/$name.o" "$T/c.c"
	is "$T/$name" '[d["arch"], d["class"], d["endian"], d["linkage"]]' "[\"$3\", $4, \"$5\", \"dynamic\"]"
	is "$T/$name.o" '[d["arch"], d["type"]]' "[\"$3\", \"relocatable\"]"
	local ri
	ri=$(readelf -lW "$T/$name" | sed -n 's/.*program interpreter: \(.*\)]/\1/p')
	is "$T/$name" 'd["interpreter"]' "$ri"
	[ -n "${6:-}" ] && is "$T/$name" 'd["abi"]' "$6"
	run file -b "$T/$name"
	check "file agrees on $name class" contains "$OUT" "ELF $4-bit"
}
cross mips-linux-gnu-gcc c-mips mips 32 big "o32 cpic"
cross s390x-linux-gnu-gcc c-s390x s390x 64 big
cross powerpc64-linux-gnu-gcc c-ppc64 ppc64 64 big
cross i686-linux-gnu-gcc c-i686 386 32 little
cross arm-linux-gnueabihf-gcc c-arm arm 32 little "eabi5 hard-float"
cross riscv64-linux-gnu-gcc c-riscv64 riscv64 64 little lp64d
cross aarch64-linux-gnu-gcc c-arm64 arm64 64 little
if need x86_64-w64-mingw32-gcc; then
	x86_64-w64-mingw32-gcc -O1 -o "$T/c.exe" "$T/c.c"
	is "$T/c.exe" '[d["format"], d["arch"], d["libc"] in ("msvcrt", "ucrt")]' '["pe", "amd64", true]'
	is "$T/c.exe" '"KERNEL32.dll" in d["needed"] or "kernel32.dll" in d["needed"]' true
fi

# ---- verify ------------------------------------------------------------------
run "$XBUILD" verify "$T/hello" "$T/net0" --expect linkage=static,arch=amd64,format=elf
check "verify static files passes" rc_is 0
check "verify says ok per file" contains "$OUT" "$T/net0: ok"
run "$XBUILD" verify "$T/hello" "$T/net" --expect linkage=static,cgo=0,stripped=true,needed=
check "verify failure exits 3" rc_is 3
check "verify lists the linkage" contains "$OUT" "$T/net: expected static, got dynamic: interpreter /lib64/ld-linux-x86-64.so.2, needs libc.so.6"
check "verify lists cgo of the first file" contains "$OUT" "$T/hello: expected Go build setting CGO_ENABLED=0, got CGO_ENABLED=1"
check "verify lists stripped" contains "$OUT" "$T/hello: expected stripped"
check "verify lists needed" contains "$OUT" "$T/net: needs libc.so.6, which is not allowed"
check "verify summary on stderr" contains "$ERR" "2 of 2 files broke the expectation"
run "$XBUILD" verify "$T/net" --expect max-glibc=2.2.5
check "max-glibc violation exits 3" rc_is 3
check "max-glibc names the version" contains "$OUT" "expected glibc 2.2.5 or older, needs GLIBC_"
run "$XBUILD" verify "$T/net" --expect max-glibc=99.0,libc=glibc,needed=libc.so.6,linkage=dynamic
check "max-glibc, libc, needed pass" rc_is 0
run "$XBUILD" verify "$T/mac" --expect format=macho,arch=arm64
check "verify Mach-O passes" rc_is 0
run "$XBUILD" verify "$T/win.exe" --expect format=elf
check "verify PE against elf fails" rc_is 3
run "$XBUILD" verify "$T/c-hard" --expect relro=full,pie=true
check "verify hardening passes" rc_is 0
run "$XBUILD" verify "$T/hello" --expect relro=full
check "relro on Go internal link is n/a, a violation" contains "$OUT" "not applicable"
run "$XBUILD" verify "$T/c.c" "$T/hello" --expect linkage=static
check "verify an unreadable file: exit 1" rc_is 1
check "verify: the bad file has a reason" contains "$ERR" "c.c: not an ELF, Mach-O or PE file"
check "verify: the good file still checked" contains "$OUT" "$T/hello: ok"
run "$XBUILD" verify --expect linkage=statik "$T/hello"
check "bad expectation is a usage error" rc_is 2
run "$XBUILD" verify "$T/hello"
check "verify without --expect is a usage error" rc_is 2

# ---- the command line of inspect ---------------------------------------------
run "$XBUILD" inspect "$T/hello" "$T/c.c" "$T/net"
check "inspect with a bad file exits 1" rc_is 1
check "the bad file gets one line" [ "$(printf '%s\n' "$ERR" | grep -c c.c)" -eq 1 ]
check "the others continue" contains "$OUT" "$T/net: ELF 64-bit LSB executable, amd64, dynamic"
run "$XBUILD" inspect --json "$T/hello"
check "one file gives an object" python3 -c 'import json,sys; assert isinstance(json.loads(sys.argv[1]), dict)' "$OUT"
run "$XBUILD" inspect --json "$T/hello" "$T/net" "$T/missing"
check "several give an array with an error entry" python3 -c '
import json,sys; a=json.loads(sys.argv[1]); assert isinstance(a, list) and len(a) == 3
assert a[2]["error"] and a[2]["format"] is None' "$OUT"
check "JSON keys of the contract" python3 -c '
import json,sys; d=json.loads(sys.argv[1])[0]
keys="path format class endian type arch machine linkage interpreter needed rpath runpath soname stripped debug_info build_ids glibc_max min_os libc pie relro bind_now nx_stack textrel ld_preload size go".split()
missing=[k for k in keys if k not in d]; assert not missing, missing
assert set(d["build_ids"]) >= {"gnu","go"}
assert set(d["go"]) >= {"version","path","main","settings","deps"}' "$OUT"
run "$XBUILD" inspect -v "$T/net"
check "-v shows every fact" contains "$OUT" "go.setting:      CGO_ENABLED=1"
mkdir -p "$T/tree/sub"
cp "$T/hello" "$T/tree/sub/"
echo 'not a binary' >"$T/tree/readme"
run "$XBUILD" inspect "$T/tree"
check "a directory without -r is an error" rc_is 1
check "a directory without -r says so" contains "$ERR" "is a directory"
run "$XBUILD" inspect -r "$T/tree"
check "-r walks and skips non-binaries" rc_is 0
check "-r found the binary" contains "$OUT" "tree/sub/hello: ELF"
printf '%s\n' "$T/hello" "$T/net" | "$XBUILD" inspect - >"$T/.o" 2>&1
check "- reads paths from stdin" [ "$(grep -c ': ELF' "$T/.o")" -eq 2 ]
mkfifo "$T/fifo"
run timeout 5 "$XBUILD" inspect "$T/fifo" /dev/zero /dev/null "$T/hello"
check "FIFO and devices do not block" [ "$RC" -eq 1 ]
check "FIFO reason" contains "$ERR" "fifo: not a regular file"
check "the binary after them is still inspected" contains "$OUT" "hello: ELF"
: >"$T/empty"
run "$XBUILD" inspect "$T/empty"
check "an empty file is not a binary" contains "$ERR" "not an ELF, Mach-O or PE file"
head -c 40 "$T/hello" >"$T/trunc"
run "$XBUILD" inspect "$T/trunc"
check "a truncated header is reported" contains "$ERR" "truncated ELF header"
head -c 300000 "$T/net" >"$T/trunc2"
run "$XBUILD" inspect "$T/trunc2"
check "a truncated binary is malformed, not normal" [ "$RC" -eq 1 ]
check "a truncated binary names the cut" contains "$ERR" "past the end of the file"

done_testing
