#!/usr/bin/env bash
# xbuild release --shard: each plan of a shard keeps its own target's
# settings.  Sharding packs the plans, so the shard's first plan need not
# be the profile's first target; a setting looked up by position would
# come from the wrong target.  The setting checked here is nss_warnings,
# on a program whose own C code calls getaddrinfo (netgo cannot help, the
# static glibc link warns).
. "$(dirname "$0")/lib.sh"
need_all go
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000

cd "$T" || exit 1
cat >go.mod <<'MOD'
module example.com/nss

go 1.19
MOD
cp "$TOP/tests/fixtures/nsscgo/main.go" .

# profile FIRST SECOND: two static cgo targets of equal weight; the split
# sorts them by name, so shard 1/2 is linux/amd64, the profile's second
profile() {
	cat >"$T/rel.yaml" <<YAML
version: 1
name: nss
output: "dist/{name}-{os}-{arch}{variant}/{name}{ext}"
defaults:
  linkage: static
  cgo: "on"
targets:
  - target: linux/amd64/v3
    nss_warnings: $1
  - target: linux/amd64
    nss_warnings: $2
YAML
}

profile warn error
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist1" --shard 1/2
check "shard 1/2 holds the profile's second target, nss_warnings: error: refused" rc_is 3
check "refused for glibc NSS" contains "$ERR" "nss_warnings is error"
check "refused: no release folder" [ ! -e "$T/dist1" ]

profile error warn
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist2" --shard 1/2
check "shard 1/2 holds the profile's second target, nss_warnings: warn: released" rc_is 0
check "released: linux/amd64 alone" [ -f "$T/dist2/nss-linux-amd64/nss" ] && [ ! -e "$T/dist2/nss-linux-amd64v3" ]
check "released: the warning still explains" contains "$ERR" "getaddrinfo"

done_testing
