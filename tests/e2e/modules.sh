#!/usr/bin/env bash
# A real open-source Go program fetched as a module through the machine's
# module proxy (github.com/itchyny/gojq, pinned in
# tests/fixtures/modules/gojq with its go.sum), built by xbuild static for
# linux/amd64 and linux/arm64 and as is for windows/amd64 and darwin/arm64;
# each artifact proved by `xbuild verify` and by file(1), the Linux ones run
# (arm64 under qemu).  Only the download reaches the proxy; the builds run
# offline.
. "$(dirname "$0")/lib.sh"
need_all go file qemu-aarch64
export GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOFLAGS=
pkg=github.com/itchyny/gojq/cmd/gojq

mkdir -p "$T/jq"
cp "$TOP"/tests/fixtures/modules/gojq/* "$T/jq/"
cd "$T/jq" || exit 1
run with_proxy go mod download
check "go mod download of gojq through the module proxy" rc_is 0
run go mod verify
check "the downloaded modules match the checked-in go.sum" rc_is 0

run "$XBUILD" -t linux/amd64,linux/arm64 --static -o "$T/out/{os}-{arch}/gojq{ext}" "$pkg"
check "xbuild --static linux/amd64,linux/arm64 of gojq: exit 0" rc_is 0
run "$XBUILD" -t windows/amd64,darwin/arm64 -o "$T/out/{os}-{arch}/gojq{ext}" "$pkg"
check "xbuild windows/amd64,darwin/arm64 of gojq: exit 0" rc_is 0

# prove TARGET EXPECT FILE-SAYS
prove() {
	local f=$T/out/$1/gojq
	[ "${1%%-*}" = windows ] && f=$f.exe
	run "$XBUILD" verify "$f" --expect "$2"
	check "$1: xbuild verify --expect $2" rc_is 0
	run file -b "$f"
	check "$1: file says $3" contains "$OUT" "$3"
	run "$XBUILD" inspect --json "$f"
	check "$1: build info names gojq v0.12.17" \
		eval 'contains "$OUT" "\"path\":\"$pkg\"" && contains "$OUT" "\"version\":\"v0.12.17\""'
}
prove linux-amd64 format=elf,arch=amd64,linkage=static,cgo=0 "ELF 64-bit LSB executable, x86-64, version 1 (SYSV), statically linked"
prove linux-arm64 format=elf,arch=arm64,linkage=static,cgo=0 "ELF 64-bit LSB executable, ARM aarch64, version 1 (SYSV), statically linked"
prove windows-amd64 format=pe,arch=amd64 "PE32+ executable (console) x86-64"
prove darwin-arm64 format=macho,arch=arm64 "Mach-O 64-bit arm64 executable"

run "$T/out/linux-amd64/gojq" --version
check "linux/amd64 gojq --version" eval 'rc_is 0 && [[ $OUT == "gojq 0.12.17"* ]]'
run qemu-aarch64 "$T/out/linux-arm64/gojq" --version
check "linux/arm64 gojq --version under qemu" eval 'rc_is 0 && [[ $OUT == "gojq 0.12.17"* ]]'
run sh -c 'echo "{\"a\":[1,2,3]}" | qemu-aarch64 "$1" -c ".a | add"' _ "$T/out/linux-arm64/gojq"
check "linux/arm64 gojq computes under qemu" eval 'rc_is 0 && [ "$OUT" = 6 ]'

done_testing
