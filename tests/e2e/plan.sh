#!/usr/bin/env bash
# xbuild plan end to end: for each case, run the line that --format shell
# prints, exactly as printed, and check that the binary's facts (readelf,
# file) match the expectation of the same plan.  The checker (xbuild
# inspect) will replace readelf and file here once it is merged.
. "$(dirname "$0")/lib.sh"

need_all go
need_all readelf
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
ex=$TOP/examples
cd "$ex" || exit 1

# The facts of an ELF file: linkage arch interpreter stripped
elf_facts() {
	local f=$1 h l link interp arch strip
	h=$(readelf -h "$f" 2>/dev/null) || { echo "not-elf"; return; }
	l=$(readelf -lW "$f" 2>/dev/null)
	interp=$(printf '%s\n' "$l" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ]; then link=dynamic
	elif printf '%s\n' "$h" | grep -q 'Type: *DYN'; then link=static-pie
	else link=static; fi
	case $(printf '%s\n' "$h" | sed -n 's/ *Machine: *//p') in
	*X86-64*) arch=amd64 ;; *AArch64*) arch=arm64 ;; *80386*) arch=386 ;;
	*RISC-V*) arch=riscv64 ;; *ARM*) arch=arm ;; *) arch=other ;;
	esac
	if readelf -SW "$f" | grep -q ' \.symtab '; then strip=false; else strip=true; fi
	echo "$link $arch ${interp:--} $strip"
}

# The same facts the plan expects, from its text form's expect: line.
want_facts() {
	local e link arch interp strip
	e=$(printf '%s\n' "$1" | sed -n 's/^  expect:  //p')
	link=$(printf '%s\n' "$e" | tr , '\n' | sed -n 's/^linkage=//p')
	arch=$(printf '%s\n' "$e" | tr , '\n' | sed -n 's/^arch=//p')
	interp=$(printf '%s\n' "$e" | tr , '\n' | sed -n 's/^interpreter=//p')
	strip=$(printf '%s\n' "$e" | tr , '\n' | sed -n 's/^stripped=//p')
	echo "$link $arch ${interp:--} $strip"
}

n=0
# case NAME PKG ARGS...: plan, run the shell line, compare facts
case_elf() {
	local name=$1 pkg=$2
	shift 2
	n=$((n + 1))
	local out="$T/out$n/{name}{ext}"
	run "$XBUILD" plan --format shell -o "$out" "$@" "$pkg"
	check "$name: plan --format shell" rc_is 0
	local line=$OUT
	check "$name: one line" [ "$(lines "$line")" -eq 1 ]
	check "$name: env -i, explicit CGO_ENABLED" contains "$line" " CGO_ENABLED="
	run "$XBUILD" plan -o "$out" "$@" "$pkg"
	local text=$OUT
	run bash -c "$line"
	check "$name: the line builds" rc_is 0
	local bin
	bin=$(ls "$T/out$n"/* 2>/dev/null | head -1)
	check "$name: an artifact" [ -n "$bin" ]
	local got want
	got=$(elf_facts "$bin")
	want=$(want_facts "$text")
	check "$name: facts match the expectation ($want)" [ "$got" = "$want" ]
	[ "$got" = "$want" ] || echo "#   got $got"
	LAST_BIN=$bin
	LAST_ERR=$ERR
}

case_elf "pure Go, native" ./hello -t linux/amd64
case_elf "pure Go arm64, stripped" ./hello -t linux/arm64 --strip
case_elf "pure Go 386" ./hello -t linux/386
case_elf "pure Go riscv64" ./hello -t linux/riscv64
case_elf "pure Go arm/7" ./hello -t linux/arm/7
case_elf "net, static by default (cgo off)" ./netcidr -t linux/amd64
case_elf "net, --dynamic uses libc" ./netcidr -t linux/amd64 --dynamic
case_elf "pure Go --dynamic --cgo on links libc" ./hello -t linux/amd64 --dynamic --cgo on
case_elf "user cgo, dynamic" ./cgohash -t linux/amd64
case_elf "user cgo, static (external linker)" ./cgohash -t linux/amd64 --static
if readelf -p .comment "$LAST_BIN" 2>/dev/null | grep -q GCC; then pass "static cgo: linked by gcc"; else fail "static cgo: linked by gcc"; fi
case_elf "user cgo, static-pie" ./cgohash -t linux/amd64 --static-pie
case_elf "user cgo arm64, dynamic" ./cgohash -t linux/arm64
case_elf "user cgo arm64, static" ./cgohash -t linux/arm64 --static --strip
case_elf "user cgo arm/7, dynamic" ./cgohash -t linux/arm/7
case_elf "user cgo riscv64, static" ./cgohash -t linux/riscv64 --static
case_elf "user cgo 386, dynamic" ./cgohash -t linux/386
case_elf "os/user with musl, static" ./whoami -t linux/amd64 --static --cgo on --libc musl
case_elf "net static glibc, NSS kept on request" ./netcidr -t linux/amd64 --static --cgo on --set nss_warnings=warn
check "NSS kept: the linker warns about getaddrinfo" contains "$LAST_ERR" "getaddrinfo"
case_elf "user cgo + net static glibc gets netgo" ./cgohash -t linux/amd64 --static --tags netgo

# Non-ELF targets: checked with file(1).
if need file; then
	run "$XBUILD" plan --format shell -o "$T/win/{name}{ext}" -t windows/amd64 ./cgohash
	run bash -c "$OUT"
	check "windows cgo (mingw) builds" rc_is 0
	check "windows: a PE32+ executable" contains "$(file "$T"/win/cgohash.exe)" "PE32+ executable"
	run "$XBUILD" plan --format shell -o "$T/mac/{name}{ext}" -t darwin/arm64 ./hello
	run bash -c "$OUT"
	check "darwin pure Go builds" rc_is 0
	check "darwin: Mach-O arm64" contains "$(file "$T"/mac/hello)" "Mach-O 64-bit arm64"
fi

# Run what qemu can run.
if need qemu-aarch64 && [ -n "${LAST_BIN:-}" ]; then
	run "$XBUILD" plan --format shell -o "$T/q/{name}" -t linux/arm64 --static ./cgohash
	run bash -c "$OUT"
	run qemu-aarch64 "$T/q/cgohash" hi
	check "static arm64 cgo runs under qemu" contains "$OUT" 'fnv1a("hi")'
fi

# Plans that must refuse, before anything runs.
run "$XBUILD" plan -t darwin/arm64 ./cgohash
check "darwin cgo without an SDK: exit 1" rc_is 1
check "darwin cgo without an SDK: says so" contains "$ERR" "needs a macOS SDK"
# go off PATH: the installer's /usr/local/go/bin/go
if [ -x /usr/local/go/bin/go ]; then
	run env PATH=/usr/bin:/bin "$XBUILD" plan --format json -t linux/amd64 ./hello
	check "no go on PATH: /usr/local/go/bin/go is used" \
		eval 'rc_is 0 && [ "$(printf "%s" "$OUT" | jq -r .go.path)" = /usr/local/go/bin/go ]'
fi
# a Go too old to record build settings is refused
mkdir -p "$T/oldgo"
cat >"$T/oldgo/go" <<'SH'
#!/bin/sh
[ "$1" = env ] && { printf 'go1.17.13\n/usr/lib/go-1.17\nlinux\namd64\n'; exit 0; }
exit 1
SH
chmod +x "$T/oldgo/go"
run "$XBUILD" plan --go "$T/oldgo/go" -t linux/amd64 ./hello
check "Go 1.17: refused, needs Go 1.18" eval '! rc_is 0 && contains "$ERR" "needs Go 1.18 or later"'

# What Debian's Go 1.19 lacks, refused before anything runs; the same
# plans with the machine's Go go through
go119=${XBUILD_TEST_GO119:-/usr/lib/go-1.19/bin/go}
need_all "$go119"
run "$XBUILD" plan --go "$go119" -t linux/amd64 --static --cgo on ./whoami
check "static glibc + osusergo leaves no runtime/cgo on go1.19: refused" rc_is 1
check "names golang/go#31544" contains "$ERR" "golang/go#31544"
run "$XBUILD" plan -t linux/amd64 --static --cgo on ./whoami
check "... Go 1.21 and later add runtime/cgo: planned" \
	eval 'rc_is 0 && contains "$OUT" "runtime/cgo: go build adds it for an external link (Go 1.21 and later)"'
run "$XBUILD" plan -t windows/riscv64 ./hello
check "unsupported port: exit 1" rc_is 1
win_ports=$(go tool dist list | sed -n 's|^windows/||p' | sort | paste -sd, | sed 's/,/, /g')
check "unsupported port: lists what go tool dist list supports" contains "$ERR" "it supports windows on $win_ports)"
run "$XBUILD" plan --go "$go119" -t linux/arm/7,softfloat ./hello
check "GOARM suffix on go1.19 refused" contains "$ERR" "need Go 1.22"
run "$XBUILD" plan -t linux/arm/7,softfloat ./hello
check "... planned with the machine's Go" eval 'rc_is 0 && contains "$OUT" "GOARM=7,softfloat"'
run "$XBUILD" plan --go "$go119" -t linux/arm64/v8.2 ./hello
check "GOARM64 on go1.19 refused" contains "$ERR" "GOARM64=v8.2 needs Go 1.23"
run "$XBUILD" plan -t linux/arm64/v8.2 ./hello
check "... planned with the machine's Go" eval 'rc_is 0 && contains "$OUT" "GOARM64=v8.2"'
run "$XBUILD" plan -t linux/amd64 --static-pie --cgo on --libc musl ./cgohash
check "static-pie with Debian's musl-gcc refused" contains "$ERR" "musl-gcc wrapper ignores -static-pie"
run "$XBUILD" plan -t linux/amd64 ./nosuchpkg
check "a package go list cannot load: exit 1" rc_is 1

# Formats.  (Without the go list cache of earlier runs: the count of go
# list runs below is that of one run.)
run env XBUILD_GOLIST_CACHE=off "$XBUILD" plan --format json -t linux/amd64,linux/arm64,linux/arm/6,linux/arm/7 ./hello
check "json: exit 0" rc_is 0
check "json: valid" jq -e . >/dev/null <<<"$OUT"
check "json: plans" [ "$(jq '.plans | length' <<<"$OUT")" = 4 ]
check "json: env is an object" [ "$(jq -r '.plans[0].env.CGO_ENABLED' <<<"$OUT")" = 0 ]
check "json: argv" [ "$(jq -r '.plans[0].argv[1]' <<<"$OUT")" = build ]
check "json: go list ran once per GOOS/GOARCH (arm/6 and arm/7 share)" [ "$(jq '.go_list_runs' <<<"$OUT")" = 3 ]
check "json: expect" [ "$(jq -r '.plans[1].expect.linkage' <<<"$OUT")" = static ]
check "json: reasons" [ "$(jq '.plans[0].reasons | length' <<<"$OUT")" -ge 2 ]
run "$XBUILD" plan --format make -t linux/arm64 ./hello
check "make: variables" contains "$OUT" "LINUX_ARM64_CMD := env -i"
check "make: env" contains "$OUT" "LINUX_ARM64_ENV := CGO_ENABLED=0 GOOS=linux GOARCH=arm64"
# the make form runs under make, as written
"$XBUILD" plan --format make -o "$T/mk/{name}" -t linux/arm64 ./hello >"$T/plan.mk"
printf 'include %s/plan.mk\nall:\n\t$(LINUX_ARM64_CMD)\n' "$T" >"$T/Makefile"
run make -s -f "$T/Makefile"
check "make: the CMD variable builds" rc_is 0
check "make: the artifact is aarch64" contains "$(readelf -h "$T/mk/hello" 2>&1)" AArch64
run "$XBUILD" plan --format yaml ./hello
check "bad --format: exit 2" rc_is 2
run "$XBUILD" plan -p "$TOP/profiles/static.yaml" --format json ./hello
check "static.yaml plans" rc_is 0
check "static.yaml: six targets" [ "$(jq '.plans | length' <<<"$OUT")" = 6 ]
check "static.yaml: all static" [ "$(jq -r '[.plans[] | select(.linkage != "static")] | length' <<<"$OUT")" = 0 ]
run "$XBUILD" plan -p "$TOP/profiles/release.yaml" --build-version 1.0 --format json ./hello
check "release.yaml plans" rc_is 0
check "release.yaml: {version} in outputs" contains "$OUT" '"output": "dist/app-1.0-linux-arm7/app"'
# one version everywhere: output names and ${XBUILD_VERSION} in ldflags
version_of() { # VERSION PLAN-JSON: every output and every ldflags use it
	jq -e --arg v "$1" '[.plans[] | (.output | contains("app-" + $v + "-")),
		(.argv | map(select(startswith("-ldflags="))) | .[0] | contains("-X main.version=" + $v + " ") or endswith("-X main.version=" + $v))] | all' <<<"$2" >/dev/null
}
run "$XBUILD" plan -p "$TOP/profiles/release.yaml" --build-version 9.9 --format json ./hello
check "--build-version 9.9: output names and -X main.version" version_of 9.9 "$OUT"
run env XBUILD_VERSION=7.7 "$XBUILD" plan -p "$TOP/profiles/release.yaml" --format json ./hello
check "XBUILD_VERSION=7.7: output names and -X main.version" version_of 7.7 "$OUT"
run env XBUILD_VERSION=7.7 "$XBUILD" plan -p "$TOP/profiles/release.yaml" --build-version 9.9 --format json ./hello
check "--build-version beats XBUILD_VERSION, in both places" version_of 9.9 "$OUT"
run env -u XBUILD_VERSION "$XBUILD" plan -p "$TOP/profiles/release.yaml" --format json ./hello
if tag=$(git describe --tags --exact-match HEAD 2>/dev/null); then
	check "no version given: the tag at HEAD, in both places" version_of "$tag" "$OUT"
elif short=$(git rev-parse --short=7 HEAD 2>/dev/null); then
	# no tag at HEAD here: a snapshot version after the last tag
	snap=$(jq -r '.plans[0].output' <<<"$OUT" | sed -n "s|^dist/app-\(.*-SNAPSHOT-$short\)-linux-.*|\1|p")
	check "no version given, no tag at HEAD: a snapshot version" [ -n "$snap" ]
	check "no version given: the snapshot version in both places" version_of "$snap" "$OUT"
else
	check "no version at all, outside git: dev, in both places" version_of dev "$OUT"
fi
run "$XBUILD" plan -p "$TOP/profiles/cgo.yaml" --format json ./cgohash
check "cgo.yaml plans every target it can" contains "$OUT" 'x86_64-w64-mingw32-gcc"'
run "$XBUILD" plan ./hello
check "no profile, no target: the host" contains "$OUT" "$(go env GOOS)/$(go env GOARCH): ./hello"
run "$XBUILD" plan -p "$TOP/tests/fixtures/profiles/bad/07-bad-linkage.yaml" ./hello
check "a bad profile: exit 2" rc_is 2
run "$XBUILD" plan --linker gold ./hello
check "a bad option value: exit 2" rc_is 2
check "a bad option value lists the allowed ones" contains "$ERR" "expected auto, internal or external"

done_testing
