#!/usr/bin/env bash
# xbuild release, matrix and merge end to end, with the real Go: a
# six-target release of the examples (checksums, manifest schema,
# deterministic archives, --verify-repro), the same release split into
# three shards on "three machines" (separate folders and Go caches) and
# merged, the merge refusing damaged shard sets, and a failed release
# leaving nothing behind.
. "$(dirname "$0")/lib.sh"
need_all go
need_all jq
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000
# caches that survive between runs, one per "machine"
C=${XBUILD_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xbuild-tests}/release
mkdir -p "$C"

cp "$TOP/tests/fixtures/release/six-targets.yaml" "$T/rel.yaml"
# the sources of one "machine": a copy of the examples module
machine() {
	mkdir -p "$T/$1/src"
	cp -r "$TOP/examples/go.mod" "$TOP/examples/hello" "$TOP/examples/cgohash" "$T/$1/src/"
}
machine one
cd "$T/one/src" || exit 1

# ---- one machine ----------------------------------------------------------
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist" --version 1.2.3
check "release of six targets exits 0" rc_is 0
check "release says where it went" contains "$OUT" "released 18 artifacts (6 targets) into $T/dist"
check "no temporary folder is left" [ -z "$(ls -d "$T"/dist.tmp-* 2>/dev/null)" ]
check "SHA256SUMS: six binaries, six archives, six SBOMs" [ "$(wc -l <"$T/dist/SHA256SUMS")" -eq 18 ]
run sh -c "cd '$T/dist' && sha256sum -c SHA256SUMS"
check "sha256sum -c SHA256SUMS passes" rc_is 0
check "windows is zipped, the others tarred" \
	[ -f "$T/dist/hello-1.2.3-windows-amd64.zip" ] && [ -f "$T/dist/hello-1.2.3-linux-arm7.tar.gz" ]

# The schema of xbuild(1), MANIFEST: every key with its type.
schema='
def str: type == "string";
def strn: type == "string" or type == "null";
def hex64: str and test("^[0-9a-f]{64}$");
def strs: type == "array" and all(.[]; str);
(.schema == "xbuild-manifest/1") and (.project | strn) and (.version | str)
and (.source | type == "object" and (.revision | strn) and (.epoch | type == "number")
     and (.dirty | type == "boolean") and (.snapshot == false)
     and (.epoch_from | IN("SOURCE_DATE_EPOCH", "commit", "none")))
and (.tools.go | str) and (.tools.xbuild | str)
and (.matrix | strs) and (has("shard") | not)
and (.artifacts | type == "array" and length > 0 and all(.[];
  (.path | str) and (.target | str) and (.sha256 | hex64) and (.size | type == "number")
  and (.path | startswith("/") | not)
  and (if .kind == "binary" then
         (.package | str) and (.go | str) and (.argv | strs) and (.env | strs)
         and (.reasons | strs) and (.argv[0] == "go")
         and (.facts | type == "object" and (.linkage | IN("static", "static-pie", "dynamic"))
              and (.format | str) and (.arch | str) and (.needed | strs)
              and (.interpreter | strn) and (.glibc_max | strn)
              and (.stripped | type == "boolean" or type == "null"))
         and (.toolchain == null or (.toolchain | type == "object" and (.cc | str)))
       elif .kind == "archive" then
         (.format | IN("tar.gz", "tar.xz", "zip")) and (.contents | strs) and (.mtime | type == "number")
       elif .kind == "sbom" then
         (.format | IN("cyclonedx", "spdx")) and (.artifact | str)
       else false end)))'
run jq -e "$schema" "$T/dist/manifest.json"
check "manifest.json validates against its schema" rc_is 0
run jq -r '.source.epoch_from, .source.epoch, ([.artifacts[] | select(.kind == "binary")] | length)' "$T/dist/manifest.json"
check "the epoch comes from SOURCE_DATE_EPOCH; six binaries" [ "$OUT" = "SOURCE_DATE_EPOCH
1700000000
6" ]
run jq -r '.artifacts[] | select(.kind == "binary") | .argv[3], (.env | join(" ")), .facts.linkage' "$T/dist/manifest.json"
check "argv records -o inside the release, no temporary path" lacks "$OUT" ".tmp-"
check "env records the target" contains "$OUT" "GOOS=linux GOARCH=arm GOARM=7"
check "manifest names no Go cache" lacks "$(cat "$T/dist/manifest.json")" "GOCACHE"
run tar -tvzf "$T/dist/hello-1.2.3-linux-arm64.tar.gz"
check "tar entry: owner 0/0, mode 0755" \
	contains "$OUT" "-rwxr-xr-x 0/0"
check "tar entry time is SOURCE_DATE_EPOCH" contains "$OUT" "$(date -u -d @1700000000 +%Y-%m-%d)"
check "tar entry name" contains "$OUT" " hello-1.2.3-linux-arm64/hello"

# one version: XBUILD_VERSION names the artifacts, fills the profile's
# ${XBUILD_VERSION} and is the manifest's version
printf 'version: 1\nname: hello\nmain: [./hello]\ntargets: [linux/amd64]\noutput: "dist/{name}-{version}/{name}"\ndefaults:\n  ldflags: "-X main.v=${XBUILD_VERSION}"\n' >"$T/ver.yaml"
run env XBUILD_VERSION=7.7 "$XBUILD" release -p "$T/ver.yaml" -o "$T/dist-ver"
check "release with XBUILD_VERSION=7.7 exits 0" rc_is 0
check "XBUILD_VERSION=7.7: the manifest's version" \
	[ "$(jq -r .version "$T/dist-ver/manifest.json" 2>/dev/null)" = 7.7 ]
check "XBUILD_VERSION=7.7: the artifact's name" \
	[ "$(jq -r '.artifacts[0].path' "$T/dist-ver/manifest.json" 2>/dev/null)" = "hello-7.7/hello" ]
check "XBUILD_VERSION=7.7: -X main.v=7.7 in its ldflags" \
	contains "$(jq -r '.artifacts[0].argv[]' "$T/dist-ver/manifest.json" 2>/dev/null)" "-X main.v=7.7"
run "$XBUILD" release -p "$T/ver.yaml" -o "$T/dist-ver2" --version 7.8 --build-version 7.9
check "release --version and --build-version that differ: exit 2" rc_is 2

# the same release again: the same bytes, archives and manifest included
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist-again" --version 1.2.3
check "second release exits 0" rc_is 0
run diff -r "$T/dist" "$T/dist-again"
check "a second release is byte-identical (archives, manifest, SHA256SUMS)" rc_is 0

# tar.xz, which check accepts, is written too, and the same every time
cat >"$T/xz.yaml" <<'YAML'
version: 1
name: hello
main: [./hello]
output: "dist/{name}-{version}-{os}-{arch}/{name}{ext}"
defaults:
  archives: [tar.xz, tar.gz]
targets: [linux/amd64]
YAML
run "$XBUILD" check --no-go "$T/xz.yaml"
check "tar.xz passes check" rc_is 0
run "$XBUILD" release -p "$T/xz.yaml" -o "$T/dist-xz" --version 1.2.3
check "release with tar.xz exits 0" rc_is 0
run tar -tvJf "$T/dist-xz/hello-1.2.3-linux-amd64.tar.xz"
check "tar -tJf reads the tar.xz" rc_is 0
check "tar.xz entry: name, owner 0/0, mode 0755" \
	contains "$OUT" "-rwxr-xr-x 0/0"
check "tar.xz entry name" contains "$OUT" " hello-1.2.3-linux-amd64/hello"
check "tar.xz is xz" [ "$(head -c 6 "$T/dist-xz/hello-1.2.3-linux-amd64.tar.xz" | od -An -tx1 | tr -d ' ')" = fd377a585a00 ]
check "tar.xz: the binary in it is the released one" \
	cmp -s <(tar -xOJf "$T/dist-xz/hello-1.2.3-linux-amd64.tar.xz") "$T/dist-xz/hello-1.2.3-linux-amd64/hello"
run jq -r '.artifacts[] | select(.kind == "archive") | .format' "$T/dist-xz/manifest.json"
check "manifest: the tar.xz archive" contains "$OUT" "tar.xz"
check "SHA256SUMS lists the tar.xz" grep -q 'hello-1.2.3-linux-amd64.tar.xz$' "$T/dist-xz/SHA256SUMS"
run "$XBUILD" release -p "$T/xz.yaml" -o "$T/dist-xz2" --version 1.2.3
run cmp "$T/dist-xz/hello-1.2.3-linux-amd64.tar.xz" "$T/dist-xz2/hello-1.2.3-linux-amd64.tar.xz"
check "tar.xz: a second release gives the same bytes" rc_is 0

# --verify-repro: a second build in another folder with another Go cache
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist-repro" --version 1.2.3 \
	--verify-repro --repro-cache "$C/gocache-repro"
check "--verify-repro passes" rc_is 0
check "--verify-repro says so" contains "$OUT" "reproduced byte for byte"
check "--verify-repro builds with the other cache" contains "$ERR" "$C/gocache-repro"
run cmp "$T/dist/SHA256SUMS" "$T/dist-repro/SHA256SUMS"
check "--verify-repro gives the same release" rc_is 0

# relative folders: the release's and the second build's Go cache
ln -s "$C/gocache-repro" rc
run "$XBUILD" release -p "$T/rel.yaml" -t linux/amd64 -o ../dist-rel \
	--verify-repro --repro-cache rc
check "--verify-repro with relative folders" rc_is 0
check "the second build's cache is made absolute" contains "$ERR" "$T/one/src/rc"
rm rc

# a go that changes one byte of .text in the second build only
real_go=$(command -v go)
cat >"$T/flaky-go" <<EOF
#!/bin/sh
"$real_go" "\$@" || exit \$?
[ "\$1" = build ] || exit 0
while [ \$# -gt 0 ]; do [ "\$1" = -o ] && out=\$2; shift; done
case \$out in */out/*) printf '\\377' | dd of="\$out" bs=1 seek=8192 conv=notrunc 2>/dev/null ;; esac
EOF
chmod +x "$T/flaky-go"
run "$XBUILD" release -p "$T/rel.yaml" -t linux/amd64 --go "$T/flaky-go" \
	-o "$T/dist-flaky" --verify-repro --repro-cache "$C/gocache-repro"
check "a difference between the builds exits 3" rc_is 3
check "it names the artifact, the offset and the section" \
	contains "$ERR" "not reproducible: hello-dev-linux-amd64/hello (linux/amd64): the two builds differ first at byte 8192, in section .text"
check "nothing is released" [ ! -e "$T/dist-flaky" ]
check "no temporary folder is left" [ -z "$(ls -d "$T"/dist-flaky.tmp-* 2>/dev/null)" ]

# a cgo artifact records its C toolchain by hash, and what it links
if need gcc; then
	run "$XBUILD" release -p "$T/rel.yaml" -t linux/amd64 --cgo on --dynamic \
		-o "$T/dist-cgo" ./cgohash
	check "a cgo release exits 0" rc_is 0
	run jq -e '.artifacts[] | select(.kind == "binary") |
		(.toolchain.cc | type == "string") and (.toolchain.sha256 | test("^[0-9a-f]{64}$"))
		and (.facts.linkage == "dynamic") and (.facts.needed | index("libc.so.6"))
		and (.facts.glibc_max | type == "string") and (.env | index("CGO_ENABLED=1"))' \
		"$T/dist-cgo/manifest.json"
	check "cgo manifest: compiler and its sha256, libc.so.6, glibc floor" rc_is 0
	run jq -e "$schema" "$T/dist-cgo/manifest.json"
	check "cgo manifest validates against the schema" rc_is 0
fi

# ---- the job matrix ------------------------------------------------------------
run "$XBUILD" matrix -p "$T/rel.yaml" --shards 3 --format json
check "matrix --format json" rc_is 0
check "three jobs cover the six targets once each" [ "$(printf '%s' "$OUT" | jq -r '[.jobs[].targets[]] | sort | join(" ")')" = \
	"$(printf '%s' "$OUT" | jq -r '.matrix | sort | join(" ")')" ]
check "jobs are shards 1/3..3/3" [ "$(printf '%s' "$OUT" | jq -r '[.jobs[].shard] | join(" ")')" = "1/3 2/3 3/3" ]
run "$XBUILD" matrix -p "$T/rel.yaml" --shards 3 --format github
check "matrix --format github: one line" [ "$(lines "$OUT")" -eq 1 ]
check "github: include entries with shard, index, targets" \
	[ "$(printf '%s' "$OUT" | jq -r '.include[1] | "\(.shard) \(.index) \(.targets | type)"')" = "2/3 2 string" ]
run "$XBUILD" matrix -p "$T/rel.yaml" --shards 3 --format gitlab
check "matrix --format gitlab: a parallel:matrix block" contains "$OUT" 'parallel:
  matrix:
    - SHARD:
        - "1/3"'
run "$XBUILD" matrix -p "$T/rel.yaml" --shards 0
check "matrix --shards 0 is a usage error" rc_is 2

# the CI examples run exactly this: matrix, release --shard, merge
for f in "$TOP"/examples/ci/*.yml; do
	check "$(basename "$f"): matrix, release --shard, merge" \
		grep -q 'xbuild matrix.*--shards' "$f" && grep -q 'xbuild release.*--shard ' "$f" &&
		grep -q 'xbuild merge' "$f"
done

# ---- three machines, then merge -----------------------------------------------
for k in 1 2 3; do
	machine "m$k"
	(cd "$T/m$k/src" && GOCACHE=$C/gocache-shard$k \
		"$XBUILD" release -p "$T/rel.yaml" -o "$T/shard$k" --version 1.2.3 \
		--shard "$k/3" >"$T/shard$k.out" 2>&1)
	RC=$? OUT=$(cat "$T/shard$k.out") ERR=
	check "shard $k/3 builds" rc_is 0
	check "shard $k/3 manifest says so" \
		[ "$(jq -r '"\(.shard.index)/\(.shard.count)"' "$T/shard$k/manifest.json")" = "$k/3" ]
	shard_targets=$(jq -r '[.artifacts[] | select(.kind == "binary") | .target] | sort | join(" ")' "$T/shard$k/manifest.json")
	want_targets=$("$XBUILD" matrix -p "$T/rel.yaml" --shards 3 | jq -r ".jobs[$((k - 1))].targets | sort | join(\" \")")
	check "shard $k/3 builds what matrix says" [ "$shard_targets" = "$want_targets" ]
done
run "$XBUILD" merge -o "$T/merged" "$T/shard1" "$T/shard2" "$T/shard3"
check "merge of three shards exits 0" rc_is 0
run cmp "$T/dist/SHA256SUMS" "$T/merged/SHA256SUMS"
check "merged SHA256SUMS is identical to the single-machine one" rc_is 0
same=1
while read -r _ f; do cmp -s "$T/dist/$f" "$T/merged/$f" || same=0; done <"$T/dist/SHA256SUMS"
check "merged artifacts are byte-identical to the single-machine ones" [ $same -eq 1 ]
run cmp "$T/dist/manifest.json" "$T/merged/manifest.json"
check "merged manifest.json is identical to the single-machine one" rc_is 0
run sh -c "cd '$T/merged' && sha256sum -c --quiet SHA256SUMS"
check "merged: sha256sum -c passes" rc_is 0
run jq -e "$schema" "$T/merged/manifest.json"
check "merged manifest validates against the schema (no shard key)" rc_is 0
# as the README writes it: -o after the shard folders
run "$XBUILD" merge "$T/shard1" "$T/shard2" "$T/shard3" -o "$T/merged-after"
check "merge DIR... -o OUT exits 0" rc_is 0
check "merge DIR... -o OUT writes OUT" cmp -s "$T/merged/SHA256SUMS" "$T/merged-after/SHA256SUMS"
check "merge DIR... -o OUT: -o is no shard folder" lacks "$ERR" "'-o"

# a tampered artifact
cp -r "$T/shard2" "$T/shard2-bad"
f=$(jq -r '[.artifacts[] | select(.kind == "binary")][0].path' "$T/shard2-bad/manifest.json")
printf 'x' >>"$T/shard2-bad/$f"
run "$XBUILD" merge -o "$T/merged-bad" "$T/shard1" "$T/shard2-bad" "$T/shard3"
check "merge refuses a tampered artifact: exit 3" rc_is 3
check "it names the file and both hashes" contains "$ERR" "$T/shard2-bad/$f: sha256 is"
check "a refused merge writes nothing" [ ! -e "$T/merged-bad" ]
# a target built twice
run "$XBUILD" merge -o "$T/merged-bad" "$T/shard1" "$T/shard1" "$T/shard2" "$T/shard3"
check "merge refuses a duplicated shard: exit 3" rc_is 3
check "it says which target is built twice" contains "$ERR" "duplicated target: binary"
check "and which shard is given twice" contains "$ERR" "shard 1/3 given twice"
# a missing shard
run "$XBUILD" merge -o "$T/merged-bad" "$T/shard1" "$T/shard3"
check "merge refuses a missing shard: exit 3" rc_is 3
check "it names the missing shard" contains "$ERR" "shard 2/3 is missing"
check "and the targets nobody built" contains "$ERR" "of the matrix has no artifact in any shard"
check "still nothing written" [ ! -e "$T/merged-bad" ]

# ---- failures leave nothing -----------------------------------------------
run "$XBUILD" release -p "$T/rel.yaml" --shard 4/3
check "--shard 4/3 is a usage error" rc_is 2
check "--shard error says what is valid" contains "$ERR" "expected K/N"

# a module whose windows build does not compile
mkdir -p "$T/broken"
cat >"$T/broken/go.mod" <<'EOF'
module example.com/broken

go 1.19
EOF
printf 'package main\n\nfunc main() { println("hi") }\n' >"$T/broken/main.go"
printf 'package main\n\nvar x int = "not an int"\n' >"$T/broken/broken_windows.go"
mkdir -p "$T/broken/dist/old"
echo keep >"$T/broken/dist/old/file"
(cd "$T/broken" && "$XBUILD" release -p "$T/rel.yaml" -t linux/amd64 -t windows/amd64 \
	. >"$T/broken.out" 2>&1)
RC=$? OUT= ERR=$(cat "$T/broken.out")
check "a release with a target that cannot build fails" rc_is 1
check "the failure is named" contains "$ERR" "windows/amd64"
check "the old dist is untouched" [ "$(cat "$T/broken/dist/old/file")" = keep ]
check "no artifact reached dist" [ "$(ls "$T/broken/dist")" = old ]
check "no temporary folder is left" [ -z "$(ls -d "$T"/broken/dist.tmp-* 2>/dev/null)" ]

# the profile's smoke: runs every artifact in a release (natively, and
# under qemu-user for arm64); a smoke run that fails stops the release
mkdir -p "$T/smk"
printf 'module example.com/smk\n\ngo 1.19\n' >"$T/smk/go.mod"
cat >"$T/smk/main.go" <<'EOF'
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "fail" {
		fmt.Println("smoke run refused")
		os.Exit(3)
	}
	fmt.Println("smoke run ok")
}
EOF
for arg in ok fail; do
	cat >"$T/smk-$arg.yaml" <<EOF
version: 1
name: smk
main: [.]
output: "dist/{name}-{os}-{arch}/{name}"
targets: [linux/amd64, linux/arm64]
defaults:
  smoke: [$arg]
EOF
done
(cd "$T/smk" && "$XBUILD" release -p "$T/smk-ok.yaml" -o "$T/smk-dist" --json \
	>"$T/smk.out" 2>"$T/smk.err")
RC=$? OUT=$(cat "$T/smk.out") ERR=$(cat "$T/smk.err")
check "release with the profile's smoke: exit 0" rc_is 0
check "release with the profile's smoke: every artifact ran, natively and under qemu" \
	[ "$(jq -c '[.builds[].smoke_exit]' <<<"$OUT")" = "[0,0]" ]
(cd "$T/smk" && "$XBUILD" release -p "$T/smk-fail.yaml" -o "$T/smk-dist2" \
	>"$T/smk.out" 2>"$T/smk.err")
RC=$? OUT=$(cat "$T/smk.out") ERR=$(cat "$T/smk.err")
check "release whose smoke run fails: exit 1" rc_is 1
check "release whose smoke run fails: says what the artifact said" \
	contains "$ERR" "smoke run exited 3: smoke run refused"
check "release whose smoke run fails: nothing released" [ ! -e "$T/smk-dist2" ]

# SIGTERM in the middle of the builds: exit 143, no dist, no temporary
# folder (SIGINT is ignored by a background job of a script)
cat >"$T/slow-go" <<EOF
#!/bin/sh
[ "\$1" = build ] && sleep 30
exec "$real_go" "\$@"
EOF
chmod +x "$T/slow-go"
"$XBUILD" release -p "$T/rel.yaml" -t linux/amd64 --go "$T/slow-go" \
	-o "$T/dist-int" >"$T/int.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	[ -n "$(ls -d "$T"/dist-int.tmp-* 2>/dev/null)" ] && break
	sleep 0.05
done
sleep 0.3
kill -TERM $pid
wait $pid
RC=$? OUT= ERR=$(cat "$T/int.out")
check "SIGTERM stops the release: exit 143" rc_is 143
check "after SIGTERM, no dist" [ ! -e "$T/dist-int" ]
check "after SIGTERM, no temporary folder" [ -z "$(ls -d "$T"/dist-int.tmp-* 2>/dev/null)" ]

done_testing
