#!/usr/bin/env bash
# Makefile integration end to end: `xbuild env` in its three forms, the C
# example cross-built for linux/arm64 static with the compiler xbuild
# found (verified by xbuild's checker, cross-checked with file, run under
# qemu), xbuild.mk found by --mk-path and included by a real make, and the
# Go example built through xbuild.mk under make -j1 and -j2, where the
# compiles are serialized and overlap (from timestamps a go wrapper
# writes).  Examples are copied into $T: the source tree is never written.
. "$(dirname "$0")/lib.sh"

# The makes here are our own, whatever make runs the tests.
unset MAKEFLAGS MFLAGS MAKELEVEL

need_all make
need_all go
need_all aarch64-linux-gnu-gcc
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
# the probes and zig wrappers this test makes, kept between runs; the
# probes start cold so that a remembered one is read back below
export XBUILD_CACHE=${XBUILD_TEST_CACHE:-$T}/make-e2e
rm -rf "$XBUILD_CACHE/probe"
if [ -n "${XBUILD_TEST_CACHE:-}" ]; then
	export ZIG_GLOBAL_CACHE_DIR=$XBUILD_TEST_CACHE/zig ZIG_LOCAL_CACHE_DIR=$XBUILD_TEST_CACHE/zig
fi
ex=$TOP/examples
is() { [ "$1" = "$2" ]; }

# xbuild on PATH, as a Makefile that writes `xbuild --mk-path` finds it
mkdir -p "$T/bin"
ln -s "$XBUILD" "$T/bin/xbuild"
export PATH="$T/bin:$PATH"

# ---- --mk-path ---------------------------------------------------------
run "$XBUILD" --mk-path
check "--mk-path exits 0" rc_is 0
mk=$OUT
check "--mk-path names xbuild.mk" contains "$mk" "/xbuild.mk"
check "--mk-path: a readable file" [ -r "$mk" ]
check "--mk-path: one line" is "$(lines "$OUT")" 1
run "$XBUILD" --help
check "--help mentions --mk-path" contains "$OUT" "--mk-path"
mkdir -p "$T/inst"
cp "$mk" "$T/inst/xbuild.mk"
run env XBUILD_DATADIR="$T/inst" "$XBUILD" --mk-path
check "--mk-path: the installed layout (datadir/xbuild.mk)" is "$OUT" "$T/inst/xbuild.mk"
mkdir -p "$T/empty"
run env XBUILD_DATADIR="$T/empty" "$XBUILD" --mk-path
check "--mk-path without the file exits 1" rc_is 1
check "--mk-path without the file says where it looked" contains "$ERR" "xbuild: cannot find xbuild.mk in '$T/empty'"
run "$XBUILD" --mk-path extra
check "--mk-path takes no argument" rc_is 2

mkdir -p "$T/inc"
cat >"$T/inc/Makefile" <<'EOF'
include $(shell xbuild --mk-path)
first:
	@echo "goal first, dist $(XBUILD_DIST)"
EOF
run make -s -C "$T/inc"
check "make includes xbuild.mk" rc_is 0
check "including xbuild.mk keeps the Makefile's default goal" is "$OUT" "goal first, dist dist"
run make -s -C "$T/inc" xbuild-check
check "xbuild-check with nothing to check fails" [ "$RC" -ne 0 ]
check "xbuild-check says what is missing" contains "$ERR" "no binaries"

# the include line as xbuild.mk and the man page write it
doc_include=$(sed -n 's/^#   \(include .*--mk-path.*\)$/\1/p' "$mk" | head -1)
man_include=$(grep -m1 '^include .*--mk-path' "$TOP/docs/xbuild.1")
check "xbuild.mk and the man page write one include line" is "$doc_include" "$man_include"
# xbuild_target, as documented, before the Makefile's own first target:
# that target stays the default goal
mkdir -p "$T/goal"
cat >"$T/goal/Makefile" <<EOF
$doc_include
\$(call xbuild_target,linux/amd64,./cmd/nosuch,bin/nosuch)
first:
	@echo "goal first"
EOF
run make -s -C "$T/goal"
check "xbuild_target keeps the Makefile's default goal" is "$OUT" "goal first"
check "xbuild_target keeps the default goal: nothing built" [ ! -e "$T/goal/bin/nosuch" ]
# without xbuild on PATH the include line stops make, saying why
run env -u XBUILD PATH=/usr/bin:/bin make -C "$T/goal"
check "the documented include without xbuild on PATH: make fails" [ "$RC" -ne 0 ]
check "the documented include without xbuild on PATH: says so" contains "$ERR" "xbuild not found"
check "the documented include without xbuild on PATH: no recipe ran" lacks "$OUT" "goal first"

# ---- xbuild env ----------------------------------------------------------
cp -r "$ex/make/c" "$T/c"
cd "$T/c" || exit 1

run "$XBUILD" env --target linux/arm64 --static --format shell
check "env --format shell exits 0" rc_is 0
sh_out=$OUT
for kv in "export GOOS=linux" "export GOARCH=arm64" "export CGO_ENABLED=0" \
	"export LDFLAGS=-static" "export XBUILD_TARGET=linux/arm64" \
	"export XBUILD_LINKAGE=static" "export CC=" "export CFLAGS=" \
	"export SYSROOT=" "export GOFLAGS="; do
	check "env shell: $kv" contains "$sh_out" "$kv"
done
check "env shell: no Go package here, so no output path" lacks "$sh_out" "XBUILD_OUTPUT"
check "env shell: nothing but exports" is "$(printf '%s\n' "$sh_out" | grep -vc '^export [A-Z_0-9]*=')" 0
check "env shell: a sysroot, not a stray field" lacks "$sh_out" "SYSROOT=hash="
(
	eval "$sh_out"
	"$CC" -dumpmachine
) >"$T/machine" 2>&1
check "env shell: CC is a compiler for aarch64" contains "$(cat "$T/machine")" "aarch64"
run "$XBUILD" env --target linux/arm64 --format shell
check "env without --static: no -static" contains "$OUT" "export LDFLAGS=''"
run "$XBUILD" env --target linux/arm64 --static-pie --format shell
check "env --static-pie: LDFLAGS -static-pie" contains "$OUT" "export LDFLAGS=-static-pie"
check "env --static-pie: CFLAGS -fPIE" contains "$OUT" "-fPIE"

# a remembered probe gives the same answer as a fresh one (an empty
# sysroot once read as the next field of the probe cache)
"$XBUILD" env --target linux/amd64 >/dev/null 2>&1
run "$XBUILD" env --target linux/amd64
check "env from a remembered probe: SYSROOT is no stray field" \
	lacks "$(printf '%s\n' "$OUT" | grep '^export SYSROOT=')" "hash="
# quoting: a $ and a quote in the ldflags stay literal through eval
run "$XBUILD" env --target linux/arm64 --ldflags "-X 'main.v=\$HOME it''s'" --format shell
check "env shell with odd ldflags exits 0" rc_is 0
got=$(eval "$OUT"; printf '%s' "$XBUILD_LDFLAGS")
want=$("$XBUILD" env --target linux/arm64 --ldflags "-X 'main.v=\$HOME it''s'" --format json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["vars"]["XBUILD_LDFLAGS"], end="")')
check "env shell quoting: eval gives the value JSON gives" is "$got" "$want"
check "env shell quoting: \$HOME not expanded" contains "$got" '$HOME'

run "$XBUILD" env --target linux/arm64 --static --format make
check "env --format make exits 0" rc_is 0
mk_out=$OUT
check "env make: export with :=" contains "$mk_out" "export GOARCH := arm64"
check "env make: LDFLAGS" contains "$mk_out" "export LDFLAGS := -static"
check "env make: nothing but exports" is "$(printf '%s\n' "$mk_out" | grep -vc '^export [A-Z_0-9]* :=')" 0
run "$XBUILD" env --target linux/arm64 --ldflags '-X main.v=$HOME#1' --format make
check "env make: \$ doubled and # escaped" contains "$OUT" 'main.v=$$HOME\#1'
printf '%s\n' "$OUT" >"$T/vars.mk"
printf 'include vars.mk\nall:\n\t@printf "%%s\\n" "$$XBUILD_LDFLAGS"\n' >"$T/Makefile.vars"
run make -s -C "$T" -f Makefile.vars
check "env make: make reads the value back exactly" contains "$OUT" '-X main.v=$HOME#1'

run "$XBUILD" env --target linux/arm64 --static --format json
check "env --format json exits 0" rc_is 0
printf '%s' "$OUT" >"$T/env.json"
run python3 - "$T/env.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
v = d["vars"]
assert d["target"] == "linux/arm64", d
assert d["package"] is None, d
assert d["toolchain"]["from"] == "toolchain", d
assert d["toolchain"]["triplet"].startswith("aarch64"), d
assert v["GOOS"] == "linux" and v["GOARCH"] == "arm64", v
assert v["CGO_ENABLED"] == "0" and v["LDFLAGS"] == "-static", v
assert v["CC"] == d["toolchain"]["cc"], v
print("ok")
EOF
check "env json: target, toolchain and vars agree" contains "$OUT" "ok"

# the three forms carry the same variables, in the same order
names_sh=$(printf '%s\n' "$sh_out" | sed 's/^export \([A-Z_0-9]*\)=.*/\1/')
names_mk=$(printf '%s\n' "$mk_out" | sed 's/^export \([A-Z_0-9]*\) :=.*/\1/')
names_js=$(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["vars"]))' "$T/env.json")
check "env: shell and make list the same variables" is "$names_sh" "$names_mk"
check "env: shell and json list the same variables" is "$names_sh" "$names_js"

# usage errors
run "$XBUILD" env --target linux/arm64 --format yaml
check "env --format yaml exits 2" rc_is 2
run "$XBUILD" env --target linux/arm64 --target linux/amd64
check "env with two targets exits 2" rc_is 2
check "env with two targets says one at a time" contains "$ERR" "one target"
printf 'version: 1\ntargets: [linux/amd64, linux/arm64]\n' >"$T/two.yaml"
run "$XBUILD" env -p "$T/two.yaml"
check "env with a profile of two targets and no --target exits 2" rc_is 2
check "env: choose one with --target" contains "$ERR" "choose one with --target"
run "$XBUILD" env -p "$T/two.yaml" --target linux/arm64
check "env: --target picks one of the profile's" contains "$OUT" "export GOARCH=arm64"
run "$XBUILD" env
check "env without a target: the host" contains "$OUT" "export XBUILD_TARGET=$(go env GOOS)/$(go env GOARCH)"
run "$XBUILD" env --target plan9/z80
check "env with an unknown target exits 2" rc_is 2
# a C project needs the compiler: none for darwin without an SDK
run "$XBUILD" env --target darwin/arm64 --toolchain system
check "env for C without a compiler exits 1" rc_is 1
check "env for C without a compiler: nothing on stdout" is "$OUT" ""
check "env for C without a compiler says why" contains "$ERR" "xbuild: "

# a Go package: the plan's variables; a cgo one brings its C toolchain
cd "$ex" || exit 1
run "$XBUILD" env --target linux/arm64 --static ./cgohash
check "env of a cgo package exits 0" rc_is 0
check "env cgo: CGO_ENABLED=1" contains "$OUT" "export CGO_ENABLED=1"
check "env cgo: CGO_CFLAGS from the plan" contains "$OUT" "export CGO_CFLAGS="
check "env cgo: the planned ldflags" contains "$OUT" "-linkmode external"
check "env cgo: GOFLAGS leaves out -ldflags (Go splits it at spaces)" \
	lacks "$(printf '%s\n' "$OUT" | grep '^export GOFLAGS=')" "ldflags"
check "env cgo: XBUILD_BUILDFLAGS has it" \
	contains "$(printf '%s\n' "$OUT" | grep '^export XBUILD_BUILDFLAGS=')" "-ldflags="
check "env cgo: an output path" contains "$OUT" "export XBUILD_OUTPUT="
run "$XBUILD" env --target linux/arm64 --static --format json ./cgohash
check "env json of a cgo package: the plan's toolchain" contains "$OUT" '"from": "plan"'
check "env json of a cgo package: the package" contains "$OUT" '"package": "./cgohash"'
# pure Go: still a C compiler, from the toolchain manager
run "$XBUILD" env --target linux/arm64 ./hello
check "env of pure Go: CGO_ENABLED=0" contains "$OUT" "export CGO_ENABLED=0"
check "env of pure Go: still a C compiler" contains "$OUT" "export CC="
# pure Go without any C compiler: the variables anyway, and a warning
run "$XBUILD" env --target darwin/arm64 --toolchain system ./hello
check "env of pure Go without a C compiler exits 0" rc_is 0
check "env of pure Go without a C compiler: no CC" lacks "$OUT" "export CC="
check "env of pure Go without a C compiler: a warning" contains "$ERR" "xbuild: warning: darwin/arm64: no C compiler"
# under make: errors only
run "$XBUILD" env --target linux/amd64 --dynamic ./hello
check "env: a plan warning outside make" contains "$ERR" "warning:"
run env MAKELEVEL=1 "$XBUILD" env --target linux/amd64 --dynamic ./hello
check "env under make (MAKELEVEL): quiet" is "$ERR" ""
run env MAKEFLAGS=s "$XBUILD" env --target darwin/arm64 --toolchain system ./hello
check "env under make (MAKEFLAGS): quiet" is "$ERR" ""

# ---- the C example, cross-built with xbuild env --------------------------
cd "$T/c" || exit 1
run bash -c 'eval "$(xbuild env --target linux/arm64 --static --format shell)" && make -j2'
check "C example: eval \"\$(xbuild env ...)\" && make -j2" rc_is 0
check "C example: compiled with the target's compiler" contains "$OUT" "aarch64"
check "C example: linked -static" contains "$OUT" "-static"
run "$XBUILD" verify --expect linkage=static,arch=arm64 checksum
check "C example: xbuild verify linkage=static,arch=arm64" rc_is 0
run file checksum
check "C example: file agrees (ARM aarch64, statically linked)" \
	bash -c '[[ $0 == *"ARM aarch64"* && $0 == *"statically linked"* ]]' "$OUT"
if need qemu-aarch64; then
	run qemu-aarch64 ./checksum Wikipedia
	check "C example: runs under qemu-aarch64" rc_is 0
	check "C example: right answer under qemu" contains "$OUT" "adler32(Wikipedia) = 11e60398"
else
	pass "C example: runs under qemu-aarch64 # SKIP no qemu-aarch64"
fi

# the same through zig: a compiler xbuild makes (wrappers), for glibc,
# whose stubs zig builds in seconds (zig's musl, a libc built from
# source, is toolchain-zig.sh's)
if need zig; then
	cp -r "$ex/make/c" "$T/cz"
	cd "$T/cz" || exit 1
	run bash -c 'eval "$(xbuild env --target linux/arm64 --libc glibc --toolchain zig)" && make -j2 2>&1'
	check "C example, zig: builds" rc_is 0
	check "C example, zig: through xbuild's zig wrapper" contains "$OUT" "/zig/aarch64-linux-gnu/cc"
	run "$XBUILD" inspect --json checksum
	check "C example, zig: dynamic glibc arm64, an old glibc floor" \
		python3 -c 'import json,sys; f=json.loads(sys.argv[1]); assert f["arch"]=="arm64" and f["linkage"]=="dynamic" and f["libc"]=="glibc" and f["glibc_max"]=="2.17", f' "$OUT"
	if need qemu-aarch64; then
		run qemu-aarch64 -L /usr/aarch64-linux-gnu ./checksum Wikipedia
		check "C example, zig: runs under qemu" contains "$OUT" "11e60398"
	fi
	cd "$T/c" || exit 1
fi

# the same through xbuild.mk's xbuild_env, and its xbuild-check
cp -r "$ex/make/c" "$T/c2"
cat >"$T/c2/GNUmakefile" <<'EOF'
include $(shell xbuild --mk-path)
$(call xbuild_env,linux/arm64,--static)
XBUILD_CHECK = checksum
XBUILD_EXPECT = arch=arm64
include Makefile
EOF
run make -C "$T/c2" -j2
check "C example through xbuild_env builds" rc_is 0
run "$XBUILD" verify --expect linkage=static,arch=arm64 "$T/c2/checksum"
check "C example through xbuild_env: static arm64" rc_is 0
check "xbuild_env keeps its variables under .xbuild" [ -f "$T/c2/.xbuild/env-linux_arm64_--static.mk" ]
run make -s -C "$T/c2" xbuild-check
check "xbuild-check passes on the static arm64 binary" rc_is 0
run make -s -C "$T/c2" xbuild-check XBUILD_EXPECT=arch=amd64
check "xbuild-check fails on the wrong arch" [ "$RC" -ne 0 ]
cat >"$T/c2/Bad.mk" <<'EOF'
include $(shell xbuild --mk-path)
$(call xbuild_env,plan9/z80)
all: ; @echo should not run
EOF
run make -C "$T/c2" -f Bad.mk
check "xbuild_env: make stops when xbuild env fails" [ "$RC" -ne 0 ]
check "xbuild_env: and says so" contains "$ERR" "xbuild env --target plan9/z80"
check "xbuild_env: the recipe did not run" lacks "$OUT" "should not run"

# ---- the Go example through xbuild.mk, under make -j1 and -j2 -----------
if ! "$XBUILD" help build >/dev/null 2>&1; then
	pass "Go example # SKIP xbuild build is not there yet"
	done_testing
	exit
fi

# A go wrapper: "S <ns>" and "E <ns>" around each go build (with a pause,
# so builds that may overlap do), everything else passed through.
realgo=$(command -v go)
cat >"$T/bin/go-timed" <<EOF
#!/bin/sh
[ "\$1" = build ] || exec "$realgo" "\$@"
echo "S \$(date +%s%N)" >> "$T/go.log"
sleep 1
"$realgo" "\$@"
rc=\$?
echo "E \$(date +%s%N)" >> "$T/go.log"
exit \$rc
EOF
chmod +x "$T/bin/go-timed"
# overlap FILE: the most builds that ran at once
overlap() {
	sort -k2,2n -k1,1 "$1" |
		awk '{ c += ($1 == "S") ? 1 : -1; if (c > m) m = c } END { print m + 0 }'
}

cp -r "$ex/make/go" "$T/go"
for j in 1 2; do
	rm -rf "$T/go/bin" "$T/go.log"
	run make -C "$T/go" -j$j XBUILD_FLAGS="--go $T/bin/go-timed"
	check "Go example: make -j$j builds" rc_is 0
	check "Go example: make -j$j, xbuild quiet under make" lacks "$OUT$ERR" "sha256"
	check "Go example: make -j$j ran two go builds" is "$(grep -c '^S' "$T/go.log" 2>/dev/null)" 2
	if [ "$j" = 1 ]; then
		check "Go example: make -j1 serializes the compiles" is "$(overlap "$T/go.log")" 1
	else
		check "Go example: make -j2 overlaps the compiles" is "$(overlap "$T/go.log")" 2
	fi
	run "$XBUILD" verify --expect linkage=static,arch=amd64 "$T/go/bin/greet-linux-amd64"
	check "Go example -j$j: amd64 binary verified" rc_is 0
	run "$XBUILD" verify --expect linkage=static,arch=arm64 "$T/go/bin/greet-linux-arm64"
	check "Go example -j$j: arm64 binary verified" rc_is 0
done
# make -n prints the rules' commands and builds nothing
rm -rf "$T/go/bin" "$T/go.log"
run make -n -C "$T/go" XBUILD_FLAGS="--go $T/bin/go-timed"
check "Go example: make -n exits 0" rc_is 0
check "Go example: make -n prints the xbuild commands" contains "$OUT" "build --target linux/arm64"
check "Go example: make -n runs no go build" [ ! -e "$T/go.log" ]
check "Go example: make -n builds nothing" [ ! -e "$T/go/bin" ]
run make -n -C "$T/go" xbuild-release XBUILD_FLAGS="--go $T/bin/go-timed ./cmd/greet"
check "make -n xbuild-release: printed, not run" [ "$RC" -eq 0 -a ! -e "$T/go.log" -a ! -e "$T/go/dist" ]
run make -t -C "$T/go" XBUILD_FLAGS="--go $T/bin/go-timed"
check "Go example: make -t runs no go build" [ ! -e "$T/go.log" ]
rm -rf "$T/go/bin"
run make -C "$T/go" -j2 XBUILD_FLAGS="--go $T/bin/go-timed"
check "Go example: built again after make -n" rc_is 0
run make -s -C "$T/go" check
check "Go example: make check" rc_is 0
run env -u XBUILD PATH=/usr/bin:/bin make -C "$T/go"
check "Go example without xbuild on PATH: make stops" [ "$RC" -ne 0 ]
check "Go example without xbuild on PATH: says so" contains "$ERR" "cannot find xbuild.mk"
run make -s -C "$T/go" xbuild-check
check "Go example: xbuild-check of both outputs" rc_is 0
if need qemu-aarch64; then
	run qemu-aarch64 "$T/go/bin/greet-linux-arm64"
	check "Go example: arm64 binary runs under qemu" contains "$OUT" "hello from linux/arm64"
fi

# a failing rule fails make, with xbuild's errors on stderr, prefixed
cat >"$T/go/Fail.mk" <<'EOF'
include Makefile
$(call xbuild_target,linux/amd64,./cmd/nosuch,bin/nosuch)
$(call xbuild_target,linux/amd64,./cmd/greet,bin/greet-dynamic,--dynamic --cgo on)
$(call xbuild_target,windows/amd64,./cmd/greet,bin/greet.exe)
EOF
run make -C "$T/go" -f Fail.mk bin/nosuch
check "a rule whose package is missing fails make" [ "$RC" -ne 0 ]
check "its error is on stderr, prefixed xbuild:" contains "$ERR" "xbuild: linux/amd64: go list ./cmd/nosuch"
check "under make: no summary table" lacks "$OUT" "VERDICT"
check "no artifact for it" [ ! -e "$T/go/bin/nosuch" ]
run make -s -C "$T/go" -f Fail.mk bin/greet-dynamic
check "a --dynamic rule builds" rc_is 0
run make -s -C "$T/go" -f Fail.mk xbuild-check XBUILD_CHECK="bin/greet-dynamic bin/greet-linux-arm64"
check "xbuild-check holds a --dynamic rule's output to dynamic" rc_is 0
run make -s -C "$T/go" -f Fail.mk bin/greet.exe
check "a windows rule builds" rc_is 0
run make -s -C "$T/go" -f Fail.mk xbuild-check XBUILD_CHECK=bin/greet.exe
check "xbuild-check holds a PE to its arch alone" rc_is 0

# xbuild-release: both targets of a profile in one xbuild run; under make
# -j1 its compiles are serialized too (make passes -j1, no jobserver)
cat >"$T/go/xbuild.yaml" <<'EOF'
version: 1
targets: [linux/amd64, linux/arm64]
defaults:
  linkage: static
EOF
rm -f "$T/go.log"
run make -C "$T/go" -j1 xbuild-release XBUILD_FLAGS="--go $T/bin/go-timed ./cmd/greet"
check "xbuild-release under make -j1 builds" rc_is 0
check "xbuild-release: one binary per profile target" \
	[ -f "$T/go/dist/linux-arm64/greet" -a -f "$T/go/dist/linux-amd64/greet" ]
check "xbuild-release under make -j1: serialized" is "$(overlap "$T/go.log")" 1
rm -rf "$T/go/dist" "$T/go.log"
run make -C "$T/go" -j2 xbuild-release XBUILD_FLAGS="--go $T/bin/go-timed ./cmd/greet"
check "xbuild-release under make -j2 builds" rc_is 0
check "xbuild-release under make -j2: two at once, not more" is "$(overlap "$T/go.log")" 2

# two xbuild runs of two targets each under make -j2: four compiles, never
# more than two at once, and each run still builds both
cat >"$T/go/Pair.mk" <<'EOF'
include $(shell xbuild --mk-path)
pair: one two
one:
	+$(XBUILD) build -p xbuild.yaml -o 'out1/{target}/{name}' $(XBUILD_FLAGS)
two:
	+$(XBUILD) build -p xbuild.yaml -o 'out2/{target}/{name}' $(XBUILD_FLAGS)
EOF
rm -f "$T/go.log"
run make -C "$T/go" -f Pair.mk -j2 XBUILD_FLAGS="--go $T/bin/go-timed ./cmd/greet"
check "two xbuild runs under make -j2 build" rc_is 0
check "two xbuild runs under make -j2: four compiles" is "$(grep -c '^S' "$T/go.log" 2>/dev/null)" 4
check "two xbuild runs under make -j2: never more than two at once" is "$(overlap "$T/go.log")" 2
check "two xbuild runs under make -j2: every binary" \
	[ "$(ls "$T"/go/out[12]/*/greet 2>/dev/null | wc -l)" -eq 4 ]

done_testing
