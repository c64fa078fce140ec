#!/usr/bin/env bash
# End to end: the Zig 0.11 tarball, served from loopback under a test data
# entry, is fetched, verified and extracted; `toolchain find` then picks it
# from the cache, and a cgo program is cross-built with its wrapper for
# linux/arm64, statically, and run under qemu.
. "$(dirname "$0")/lib.sh"
tgz=$TOP/.deps/dist/zig-linux-x64-0.11.0.tgz
[ -f "$tgz" ] || { fail "$tgz is there (scripts/install-deps puts it there)"; done_testing; exit 1; }
[ "$(uname -m)" = x86_64 ] || skip_all "the zig tarball is for x86_64 hosts"
for t in python3 go qemu-aarch64; do
	need_all $t
done

mkdir -p "$T/www" "$T/data/toolchains"
: "${XBUILD_TEST_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/xbuild-tests}"
ln -s "$tgz" "$T/www/zig.tgz"
# The cache sits at a fixed place so that zig (which keys its own cache by
# its install path) finds the musl it built last time; the install itself
# is removed first, so every run fetches and extracts afresh.
export XBUILD_DATADIR=$T/data XBUILD_CACHE=$XBUILD_TEST_CACHE/zig-e2e
rm -rf "$XBUILD_CACHE/tc" "$XBUILD_CACHE/dl" "$XBUILD_CACHE/probe"
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
# zig's own cache survives between runs: only the first run builds musl
export ZIG_GLOBAL_CACHE_DIR=$XBUILD_TEST_CACHE/zig ZIG_LOCAL_CACHE_DIR=$XBUILD_TEST_CACHE/zig
unset XBUILD_OFFLINE CC CXX

python3 "$TOP/tests/httpd.py" "$T/www" "$T/port" "$T/requests.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
port=$(cat "$T/port")

cp "$TOP/toolchains/targets.yaml" "$T/data/toolchains/"
cat >"$T/data/toolchains/test.yaml" <<EOT
version: 1
archives:
  - id: zig-test
    kind: zig
    version: 0.11.0
    host: linux/amd64
    sha256: $(sha256sum "$tgz" | cut -d' ' -f1)
    size: $(stat -L -c %s "$tgz")
    strip: package
    bin: zig
    urls:
      - http://127.0.0.1:$port/404/zig.tgz
      - http://127.0.0.1:$port/zig.tgz
EOT

run "$XBUILD" toolchain fetch zig-test
check "zig: fetched, verified, extracted" rc_is 0
zdir=$OUT
check "zig: the compiler is there" [ -x "$zdir/zig" ]
run "$zdir/zig" version
check "zig: it runs" [ "$OUT" = 0.11.0 ]
run "$XBUILD" toolchain verify zig-test
check "zig: verify re-hashes the install" rc_is 0

# No zig and no musl cross gcc on this PATH: the cached zig is used.
run env PATH=/usr/bin:/bin "$XBUILD" toolchain find linux/arm64 --libc musl --static --json
check "find: exit 0" rc_is 0
check "find: zig from the cache" contains "$OUT" '"source": "cache"'
check "find: names the archive" contains "$OUT" '"id": "zig-test"'
check "find: musl, static" contains "$OUT" '"static": true'
cc=$(printf '%s\n' "$OUT" | sed -n 's/^  "cc": "\(.*\)",$/\1/p')
check "find: a wrapper for aarch64-linux-musl" contains "$cc" "/zig/aarch64-linux-musl/cc"
check "wrapper: sets zig's cache dirs" grep -q ZIG_GLOBAL_CACHE_DIR "$cc"

# A glibc floor: Debian's cross gcc (glibc 2.36) is too new; zig targets
# aarch64-linux-gnu.2.17.
if need aarch64-linux-gnu-gcc; then
	run env PATH=/usr/bin:/bin "$XBUILD" toolchain find linux/arm64 --libc glibc --glibc 2.17
	check "glibc floor: exit 0" rc_is 0
	check "glibc floor: the gcc with a newer glibc is rejected" \
		contains "$OUT" "is newer than the floor 2.17"
	check "glibc floor: zig for aarch64-linux-gnu.2.17" contains "$OUT" "/zig/aarch64-linux-gnu.2.17/cc"
	check "glibc floor: proved 2.17" contains "$OUT" "glibc 2.17"
fi

# Offline, the cached toolchain still resolves.
run env PATH=/usr/bin:/bin XBUILD_OFFLINE=1 "$XBUILD" toolchain find linux/arm64 --libc musl --static
check "find offline with a warm cache" rc_is 0

# The cgo program, cross-built static with the wrapper, runs under qemu.
run env -C "$TOP/examples" CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC="$cc" \
	GOFLAGS=-mod=mod go build -o "$T/cgohash" \
	-ldflags "-linkmode external -extldflags -static" ./cgohash
check "cgohash: cross-built with zig" rc_is 0
run readelf -lh "$T/cgohash"
check "cgohash: AArch64" contains "$OUT" "AArch64"
check "cgohash: static (no interpreter)" lacks "$OUT" "INTERP"
run qemu-aarch64 "$T/cgohash" xbuild
check "cgohash: runs under qemu" contains "$OUT" 'fnv1a("xbuild") = '

# The same through xbuild build: the planner takes the cached zig (no zig
# on PATH), proves the artifact and runs it under qemu (--smoke)
cp -r "$TOP/examples" "$T/ex"
run env -C "$T/ex" PATH="$(dirname "$(command -v go)"):/usr/bin:/bin" GOFLAGS= \
	"$XBUILD" --target linux/arm64 --static --libc musl --toolchain zig --smoke \
	-o "$T/ex/out/cgo-arm64-musl" ./cgohash
check "xbuild: arm64 cgo static via the cached zig, musl: built and ran under qemu" rc_is 0
run "$XBUILD" verify --expect linkage=static,arch=arm64,cgo=1,libc=musl "$T/ex/out/cgo-arm64-musl"
check "xbuild: zig musl artifact is static arm64 with musl inside" rc_is 0


# A glibc floor drives the choice: expect.max_glibc 2.17 passes over
# Debian's gcc (glibc 2.36) for zig's x86_64-linux-gnu.2.17, and the
# checker holds the artifact to the floor
cat >"$T/ex/glibc.yaml" <<'YAML'
version: 1
targets: [linux/amd64]
defaults:
  expect:
    max_glibc: "2.17"
YAML
run env -C "$T/ex" PATH="$(dirname "$(command -v go)"):/usr/bin:/bin" GOFLAGS= \
	"$XBUILD" plan -p glibc.yaml -o out/cgo-glibc217 ./cgohash
check "glibc floor: the plan takes zig for x86_64-linux-gnu.2.17" \
	contains "$OUT" "/zig/x86_64-linux-gnu.2.17/cc (zig, glibc)"
check "glibc floor: and says why" contains "$OUT" "glibc floor 2.17 (expect.max_glibc)"
run env -C "$T/ex" PATH="$(dirname "$(command -v go)"):/usr/bin:/bin" GOFLAGS= \
	"$XBUILD" -p glibc.yaml -o out/cgo-glibc217 ./cgohash
check "glibc floor: a cgo build against glibc 2.17 is built and verified" rc_is 0
run "$XBUILD" verify --expect max_glibc=2.17,linkage=dynamic,libc=glibc,cgo=1 "$T/ex/out/cgo-glibc217"
check "glibc floor: the checker finds nothing newer than 2.17" rc_is 0
newest=$(objdump -T "$T/ex/out/cgo-glibc217" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
check "glibc floor: objdump agrees ($newest)" [ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -1)" = 2.17 ]
run "$T/ex/out/cgo-glibc217" xbuild
check "glibc floor: it runs" contains "$OUT" 'fnv1a("xbuild") = '

done_testing
