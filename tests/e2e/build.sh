#!/usr/bin/env bash
# xbuild build, end to end: every case of the article through the real
# binary, real Go, real cross gcc, zig and qemu, each artifact verified by
# xbuild's checker and cross-checked with file(1); then failures, broken
# expectations, --keep-going and SIGINT in the middle of a matrix.
. "$(dirname "$0")/lib.sh"

need_all go
export GOPROXY=off GOTOOLCHAIN=local
# zig's libc builds and the toolchain manager's probes survive between runs
: "${XBUILD_TEST_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/xbuild-tests}"
export XBUILD_CACHE=$XBUILD_TEST_CACHE/build-e2e
export ZIG_GLOBAL_CACHE_DIR=$XBUILD_TEST_CACHE/zig ZIG_LOCAL_CACHE_DIR=$XBUILD_TEST_CACHE/zig
cp -r "$TOP/examples" "$T/ex"
cd "$T/ex"

# fact FILE KEY: one fact from xbuild inspect --json
fact() { "$XBUILD" inspect --json "$1" | jq -r "$2"; }
verified() { "$XBUILD" verify --expect "$2" "$1" >/dev/null 2>&1; }

# ---- the article, case by case --------------------------------------------
run "$XBUILD" --target linux/amd64 -o out/hello ./hello
check "pure Go: built" rc_is 0
check "pure Go: static (checker)" verified out/hello linkage=static,arch=amd64,cgo=0
check "pure Go: file agrees" contains "$(file -b out/hello)" "statically linked"
check "pure Go: summary table" contains "$OUT" "linux/amd64        static"
check "pure Go: runs" [ "$(./out/hello)" = "hi, user" ]

run "$XBUILD" --target linux/amd64 --dynamic --cgo on -o out/net-dyn ./netcidr
check "net with cgo: built" rc_is 0
check "net with cgo: dynamic, needs libc" verified out/net-dyn linkage=dynamic,needed=libc.so.6,cgo=1
check "net with cgo: file agrees" contains "$(file -b out/net-dyn)" "dynamically linked"
check "net with cgo: exposed to LD_PRELOAD" [ "$(fact out/net-dyn .ld_preload)" = true ]

run "$XBUILD" --target linux/amd64 --static -o out/net-static ./netcidr
check "net --static: built" rc_is 0
check "net --static: static (checker)" verified out/net-static linkage=static
check "net --static: file agrees" contains "$(file -b out/net-static)" "statically linked"
check "net --static: not exposed to LD_PRELOAD" [ "$(fact out/net-static .ld_preload)" = false ]

run "$XBUILD" --target linux/amd64 --static --tags netgo --cgo on --set nss_warnings=warn \
	-o out/net-netgo ./netcidr
run "$XBUILD" plan --target linux/amd64 --static --tags netgo -o out/x ./netcidr
check "netgo: the plan says why" contains "$OUT" "netgo"

run "$XBUILD" --target linux/amd64 --static --cgo on --set nss_warnings=warn \
	-o out/net-ext ./netcidr
check "net static through the external linker: built" rc_is 0
check "external static: static (checker)" verified out/net-ext linkage=static,cgo=1
check "external static: the NSS diagnostic names getaddrinfo" contains "$ERR" "getaddrinfo"
check "external static: and the fix" contains "$ERR" "netgo"
check "external static: one diagnostic, not a wall" [ "$(grep -c 'getaddrinfo' <<<"$ERR")" -le 3 ]

# C code of the program's own that calls getaddrinfo: netgo cannot help,
# the static glibc link warns, and the profile makes that an error
mkdir -p nsscgo && cp "$TOP/tests/fixtures/nsscgo/main.go" nsscgo/
run "$XBUILD" --target linux/amd64 --static -o out/nss-error ./nsscgo
check "nss_warnings: error (the default) fails the target" rc_is 3
check "nss_warnings: error names the function" contains "$ERR" "getaddrinfo"
check "nss_warnings: error leaves no artifact" [ ! -e out/nss-error ]
run "$XBUILD" --target linux/amd64 --static --set nss_warnings=warn -o out/nss-warn ./nsscgo
check "nss_warnings: warn builds" rc_is 0
check "nss_warnings: warn still explains" contains "$ERR" "getaddrinfo"

run "$XBUILD" --target darwin/arm64 -o out/mac ./hello
check "darwin/arm64 without cgo: built" rc_is 0
check "darwin/arm64: an arm64 Mach-O (checker)" verified out/mac format=macho,arch=arm64
check "darwin/arm64: file agrees" contains "$(file -b out/mac)" "Mach-O 64-bit arm64"

start=$(date +%s%N)
run "$XBUILD" --target darwin/arm64 --cgo on -o out/mac-cgo ./cgohash
check "darwin/arm64 with cgo: fails" rc_is 1
check "darwin/arm64 with cgo: says it needs a macOS SDK" contains "$ERR" "needs a macOS SDK"
check "darwin/arm64 with cgo: nothing built" [ ! -e out/mac-cgo ]
check "darwin/arm64 with cgo: fails before building" contains "$OUT" "not planned"
# zig is on PATH and found: the message is about the SDK, and how to give one
check "darwin/arm64 with cgo: zig is on PATH" command -v zig
check "darwin/arm64 with cgo: says zig was found but brings no SDK" \
	contains "$ERR" "(zig, found at $(command -v zig), brings none)"
check "darwin/arm64 with cgo: says how to point xbuild at an SDK" \
	contains "$ERR" "MacOSX*.sdk folder with --set sysroot=DIR"
check "darwin/arm64 with cgo: never asks to install zig" lacks "$ERR" "install a cross gcc, or zig"

run "$XBUILD" --target linux/amd64 --strip -o out/hello-s ./hello
check "strip: built" rc_is 0
check "strip: stripped (checker)" verified out/hello-s stripped=true
check "strip: smaller" [ "$(stat -c %s out/hello-s)" -lt "$(stat -c %s out/hello)" ]
check "strip: file agrees" contains "$(file -b out/hello-s)" ", stripped"
# Go's -s keeps the Mach-O symbol table: darwin is not held to stripped
run "$XBUILD" --target darwin/arm64 --strip -o out/mac-s ./hello
check "strip darwin: built" rc_is 0
check "strip darwin: no debug info" [ "$(fact out/mac-s .debug_info)" = false ]

# flags are quoted words, as go build splits them
mkdir -p version && cat >version/main.go <<'GO'
package main

import "fmt"

var version = "dev"

func main() { fmt.Println(version) }
GO
run "$XBUILD" --target linux/amd64 --ldflags "-X 'main.version=1.0 beta'" -o out/version ./version
check "--ldflags with a quoted word: built" rc_is 0
check "--ldflags with a quoted word: the binary has the whole value" \
	[ "$(./out/version 2>&1)" = "1.0 beta" ]
cat >version.yaml <<'YAML'
version: 1
targets: [linux/amd64]
defaults:
  ldflags: -X "main.version=2.0 gamma" -X main.unused=x
YAML
run "$XBUILD" -p version.yaml -o out/version-p ./version
check "profile ldflags with a quoted word: built" rc_is 0
check "profile ldflags with a quoted word: the binary has the whole value" \
	[ "$(./out/version-p 2>&1)" = "2.0 gamma" ]
run "$XBUILD" --target linux/amd64 --ldflags "-X 'main.version=1.0" -o out/version-u ./version
check "an unterminated quote: refused before building" rc_is 2
check "an unterminated quote: said so" contains "$ERR" "unterminated ' string in ldflags"

run "$XBUILD" --target linux/arm64 --static --smoke -o out/cgo-arm64 ./cgohash
check "arm64 cgo static via aarch64-linux-gnu-gcc: built and ran under qemu" rc_is 0
check "arm64 cgo static: static arm64 (checker)" verified out/cgo-arm64 linkage=static,arch=arm64,cgo=1
check "arm64 cgo static: file agrees" contains "$(file -b out/cgo-arm64)" "ARM aarch64"
check "arm64 cgo static: the C toolchain was the Debian cross gcc" \
	contains "$("$XBUILD" plan --target linux/arm64 --static ./cgohash)" "aarch64-linux-gnu-gcc"
check "arm64 cgo static: runs under qemu" \
	contains "$(qemu-aarch64 out/cgo-arm64 hi)" 'fnv1a("hi")'

# --smoke of a dynamic foreign binary: qemu-user finds the loader and libc
# in the cross compiler's folder (/usr/aarch64-linux-gnu), not in /
run "$XBUILD" --target linux/arm64 --dynamic --cgo on --smoke --json -o out/cgo-arm64-dyn ./cgohash
check "arm64 cgo dynamic --smoke: built and ran under qemu" \
	eval 'rc_is 0 && [ "$(jq -r ".[0].smoke_exit" <<<"$OUT")" = 0 ]'
check "arm64 cgo dynamic: dynamic arm64 (checker)" verified out/cgo-arm64-dyn linkage=dynamic,arch=arm64,cgo=1
# linux/386 on an amd64 host: run natively only when this kernel can,
# else under qemu-i386; never handed to a shell
if [ "$(uname -m)" = x86_64 ] && need qemu-i386; then
	run "$XBUILD" --target linux/386 --smoke --json -o out/hello-386 ./hello
	check "linux/386 --smoke: ran (natively or under qemu-i386)" \
		eval 'rc_is 0 && [ "$(jq -r ".[0].smoke_exit" <<<"$OUT")" = 0 ]'
	check "linux/386 --smoke: never run by a shell" lacks "$ERR" "Syntax error"
fi

# (arm64 cgo static via zig musl: toolchain-zig.sh, with the zig it fetched)

run "$XBUILD" --target windows/amd64 -o out/hello.exe ./hello
check "windows/amd64: built" rc_is 0
check "windows/amd64: a PE (checker)" verified out/hello.exe format=pe,arch=amd64
check "windows/amd64: file agrees" contains "$(file -b out/hello.exe)" "PE32+ executable"

# what each system's binaries can be is known before building
run "$XBUILD" --target openbsd/amd64 --static -o out/obsd-static ./hello
check "openbsd --static: refused before building" rc_is 2
check "openbsd --static: says why" contains "$ERR" "openbsd has no static executables: every program is dynamic, it links libc.so"
check "openbsd --static: nothing built" [ ! -e out/obsd-static ]
run "$XBUILD" --target openbsd/amd64 -o out/obsd ./hello
check "openbsd/amd64: built" rc_is 0
check "openbsd/amd64: dynamic, as the plan said (checker)" verified out/obsd linkage=dynamic,needed=libc.so:libpthread.so
check "openbsd/amd64: file agrees" contains "$(file -b out/obsd)" "dynamically linked"
run "$XBUILD" --target android/arm64 -o out/android ./hello
check "android/arm64: built" rc_is 0
check "android/arm64: a dynamic PIE, as the plan said (checker)" verified out/android linkage=dynamic,pie=true
for t in js/wasm wasip1/wasm plan9/amd64 aix/ppc64; do
	run "$XBUILD" --target "$t" -o "out/unverifiable" ./hello
	check "$t: refused before building" rc_is 2
	check "$t: the checker cannot read it, said so" contains "$ERR" "which xbuild's checker cannot read"
	check "$t: nothing built" [ ! -e out/unverifiable ]
done

run "$XBUILD" --target linux/amd64 --static --libc musl --cgo on --smoke -o out/cgo-musl ./cgohash
check "musl static via musl-gcc: built and ran" rc_is 0
check "musl static: static, musl" verified out/cgo-musl linkage=static,libc=musl

# ---- the matrix, JSON, and the default output template ----------------------
run "$XBUILD" -t linux/amd64,linux/arm64,linux/386,windows/amd64 --json ./hello
check "matrix: built" rc_is 0
check "matrix: JSON lists four results" [ "$(jq length <<<"$OUT")" = 4 ]
check "matrix: every verdict ok" [ "$(jq -r '[.[].verdict] | unique | join(",")' <<<"$OUT")" = ok ]
check "matrix: default outputs by target" [ -x dist/linux-arm64/hello ] && [ -e dist/windows-amd64/hello.exe ]
check "matrix: sha256 in JSON is the file's" \
	[ "$(jq -r '.[0].sha256' <<<"$OUT")" = "$(sha256sum dist/linux-amd64/hello | cut -d' ' -f1)" ]
# the artifact's sha256 is read as go puts the linked file at -o (go
# writes its cache and ends after that): xbuild opens it before go exits
if need strace; then
	run no_lsan strace -f -e trace=execve,openat -o "$T/early.trace" \
		"$XBUILD" -t linux/amd64 --json -o out/early ./hello
	me=$(awk 'NR == 1 { print $1 }' "$T/early.trace")
	gop=$(grep -m1 'execve("[^"]*/go", \["[^"]*", "build"' "$T/early.trace" | cut -d' ' -f1)
	opened=$(grep -n "^$me  *openat(.*out/early\.tmp-[^/]*/early\", O_RDONLY" "$T/early.trace" | head -1 | cut -d: -f1)
	ended=$(grep -n "^$gop  *+++ exited with 0" "$T/early.trace" | cut -d: -f1)
	check "the artifact is opened for its sha256 before go exits" \
		[ -n "$opened" ] && [ -n "$ended" ] && [ "$opened" -lt "$ended" ]
	check "and the sha256 is the file's" \
		[ "$(jq -r '.[0].sha256' <<<"$OUT")" = "$(sha256sum out/early | cut -d' ' -f1)" ]
fi
run "$XBUILD" -t linux/amd64,linux/arm64 -o same-file ./hello
check "two targets, one output file: refused" rc_is 2
check "two targets, one output file: says why" contains "$ERR" "would both write"

# ---- failures ------------------------------------------------------------
mkdir -p broken && cat >broken/main.go <<'GO'
package main

func main() { println("ok") }
GO
cat >broken/bad_windows.go <<'GO'
package main

func init() { this does not compile }
GO
run "$XBUILD" -t windows/amd64,linux/amd64,linux/arm64 -j1 -o 'kg/{target}/x' ./broken
check "a failing target without --keep-going: exit 1" rc_is 1
check "the failure shows the tail of its log" contains "$ERR" "bad_windows.go"
run "$XBUILD" -t windows/amd64,linux/amd64,linux/arm64 --keep-going -o 'kg2/{target}/x' ./broken
check "--keep-going: exit 1" rc_is 1
check "--keep-going: the others finish" [ -x kg2/linux-amd64/x ] && [ -x kg2/linux-arm64/x ]
check "--keep-going: no artifact for the failed one" [ ! -e kg2/windows-amd64/x ]
check "no temporary left behind" [ -z "$(find kg kg2 -name '*xbuild-tmp*')" ]
# a failed run keeps its logs, in TMPDIR, and nothing else of its own
mkdir -p "$T/tmp-fail"
run env TMPDIR="$T/tmp-fail" "$XBUILD" -t windows/amd64,linux/amd64 -j1 -o 'kg3/{target}/x' ./broken
check "a failed run: its logs are kept in TMPDIR" \
	eval 'rc_is 1 && contains "$ERR" "logs are in $T/tmp-fail/xbuild-"'
check "a failed run: only logs are left in TMPDIR" \
	[ -z "$(find "$T/tmp-fail" -mindepth 2 ! -name '*.log')" ]
check "a failed run: no empty folder for the targets without artifact" [ ! -e kg3 ]

# a broken expectation: exit 3, the violation named, nothing put in place
cat >strict.yaml <<'YAML'
version: 1
targets: [linux/amd64]
defaults:
  linkage: dynamic
  cgo: "on"
  expect:
    needed: [libm.so.6]
YAML
run "$XBUILD" -p strict.yaml -o out/strict ./netcidr
check "broken expectation: exit 3" rc_is 3
check "broken expectation: the violation is named" contains "$ERR" "libc.so.6"
check "broken expectation: no artifact" [ ! -e out/strict ]
check "broken expectation: the verdict" contains "$OUT" "broken"

# a glibc floor no C toolchain here links against: refused before building
sed 's/needed: \[libm.so.6\]/max_glibc: "2.2"/' strict.yaml >floor.yaml
run "$XBUILD" -p floor.yaml -o out/floor ./netcidr
check "glibc floor no toolchain meets: not planned" contains "$OUT" "not planned"
check "glibc floor no toolchain meets: why" contains "$ERR" "is newer than the floor 2.2"
check "glibc floor no toolchain meets: no artifact" [ ! -e out/floor ]

# ---- a go that hangs --------------------------------------------------------
# it stands for a hung go list: stopped after XBUILD_CHILD_TIMEOUT seconds
# and said so (the outer timeout only turns a hang into a failure)
mkdir -p hang
cat >hang/go <<SH
#!/bin/sh
case "\$1" in list) exec sleep 600 ;; esac
exec $(command -v go) "\$@"
SH
chmod +x hang/go
run timeout 120 env XBUILD_CHILD_TIMEOUT=3 "$XBUILD" -t linux/amd64 --go "$PWD/hang/go" -o out/hang ./hello
check "hung go list: fails within the time limit" eval '! rc_is 0 && ! rc_is 124'
check "hung go list: says what hung, and how to allow more" \
	contains "$ERR" "'$PWD/hang/go list' did not finish in 3 s and was stopped (XBUILD_CHILD_TIMEOUT sets the limit)"

# ---- a shared output folder -----------------------------------------------------
# go writes into a folder of xbuild's own with a random name, never to a name
# another user of the folder could guess and plant a link at: here a link at
# the pid-named temporary an earlier xbuild used (the pid is the shell's,
# which execs xbuild) points at a file that must stay as it is
mkdir -p shared
echo "keep me" >shared/victim
run bash -c 'ln -s "$PWD/shared/victim" "shared/app.xbuild-tmp-$$" &&
	exec "$0" -t linux/amd64 -o shared/app ./hello' "$XBUILD"
check "planted link: the build succeeds" rc_is 0
check "planted link: nothing written through it" [ "$(cat shared/victim)" = "keep me" ]
check "planted link: the artifact is in place" verified shared/app linkage=static
check "planted link: nothing else left in the folder" \
	[ "$(find shared -mindepth 1 ! -name victim ! -name app ! -name 'app.xbuild-tmp-*' | wc -l)" -eq 0 ]

# ---- SIGINT in the middle of a matrix ----------------------------------------
# a go that answers questions at once but builds slowly; its sleep is
# this run's own, so that another run of this test is not counted
nap=297.$$
mkdir -p slow
cat >slow/go <<SH
#!/bin/sh
case "\$1" in build) exec sleep $nap ;; esac
exec $(command -v go) "\$@"
SH
chmod +x slow/go
set -m # an asynchronous command of a non-interactive shell ignores SIGINT
"$XBUILD" -t linux/amd64,linux/arm64,linux/386 --go "$PWD/slow/go" -o 'sig/{target}/x' \
	./hello >"$T/sig.out" 2>&1 &
pid=$!
set +m
for _ in $(seq 100); do
	[ "$(pgrep -c -f "sleep $nap\$" || true)" -ge 2 ] && break
	sleep 0.1
done
kill -INT "$pid"
wait "$pid"
RC=$?
check "SIGINT: exit 130" rc_is 130
sleep 0.3
check "SIGINT: no child left" [ -z "$(pgrep -f "sleep $nap\$")" ]
check "SIGINT: no partial artifact" [ -z "$(find sig -type f 2>/dev/null)" ]

# ---- SIGINT and SIGTERM to real builds -----------------------------------------
# three real go builds with an empty Go cache, stopped while they compile:
# nothing of the run is left in TMPDIR (go's $WORK, logs) or in the output
# folder, which existed before
for sig in INT TERM; do
	mkdir -p "$T/tmp-$sig" "intr-$sig"
	set -m
	TMPDIR="$T/tmp-$sig" GOCACHE="$T/gocache-$sig" "$XBUILD" \
		-t linux/amd64,linux/arm64,linux/386 -o "intr-$sig/{target}/x" \
		./netcidr >"$T/intr.out" 2>&1 &
	pid=$!
	set +m
	for _ in $(seq 300); do
		[ -n "$(find "$T/tmp-$sig" -name 'go-build*' 2>/dev/null)" ] && break
		sleep 0.1
	done
	sleep 1
	kill -"$sig" "$pid"
	wait "$pid"
	RC=$? OUT= ERR=$(cat "$T/intr.out")
	check "SIG$sig to real builds: exit $((128 + $(kill -l $sig)))" rc_is $((128 + $(kill -l $sig)))
	check "SIG$sig: nothing of the run left in TMPDIR" [ -z "$(ls -A "$T/tmp-$sig")" ]
	check "SIG$sig: nothing left in the output folder" [ -z "$(ls -A "intr-$sig")" ]
	check "SIG$sig: no logs kept" lacks "$ERR" "logs are in"
done
# a finished run leaves only its artifact
mkdir -p "$T/tmp-ok"
run env TMPDIR="$T/tmp-ok" "$XBUILD" -t linux/amd64 -o out/tmp-ok ./hello
check "a finished run: nothing left in TMPDIR" eval 'rc_is 0 && [ -z "$(ls -A "$T/tmp-ok")" ]'

done_testing
