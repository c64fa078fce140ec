#!/usr/bin/env bash
# Universal darwin binaries: a build with universal: true releases a fat
# Mach-O of its darwin/amd64 and darwin/arm64 artifacts, byte for byte what
# llvm-lipo -create writes, read back by llvm-lipo and by xbuild inspect,
# in manifest.json and SHA256SUMS; shards keep the two targets together
# so that the fat file is made and merged; a .goreleaser.yaml's
# universal_binaries asks for the same.
. "$(dirname "$0")/lib.sh"
need_all go git jq llvm-lipo-14
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000
unset XBUILD_VERSION MAKELEVEL MAKEFLAGS

mkdir -p "$T/m/cmd/app" "$T/m/cmd/tool" && cd "$T/m" || exit 1
printf 'module example.com/uni\n\ngo 1.21\n' >go.mod
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("app") }\n' >cmd/app/main.go
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("tool") }\n' >cmd/tool/main.go
cat >xbuild.yaml <<'Y'
version: 1
name: uni
defaults:
  cgo: off
builds:
  - id: app
    name: app
    main: ./cmd/app
    universal: true
    targets: [darwin/amd64, darwin/arm64, linux/amd64]
  - id: tool
    name: tool
    main: ./cmd/tool
    targets: [darwin/amd64, darwin/arm64]
Y
git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init

run "$XBUILD" release -o "$T/rel"
check "release exits 0" rc_is 0
check "the fat file: the amd64 path, amd64 made all" [ -f "$T/rel/darwin-all/app" ]
check "only for the universal build" [ ! -e "$T/rel/darwin-all/tool" ]
check "the thin binaries stay" [ -f "$T/rel/darwin-amd64/app" ] && [ -f "$T/rel/darwin-arm64/app" ]
run llvm-lipo-14 -info "$T/rel/darwin-all/app"
check "llvm-lipo reads both architectures" contains "$OUT" "are: x86_64 arm64"
run llvm-lipo-14 -create "$T/rel/darwin-amd64/app" "$T/rel/darwin-arm64/app" -output "$T/lipo-app"
check "byte for byte what llvm-lipo -create writes" cmp "$T/lipo-app" "$T/rel/darwin-all/app"
run llvm-lipo-14 "$T/rel/darwin-all/app" -thin arm64 -output "$T/thin"
check "its arm64 slice is the arm64 binary" cmp "$T/thin" "$T/rel/darwin-arm64/app"
run "$XBUILD" inspect --json "$T/rel/darwin-all/app"
check "inspect reads it as macho-fat" [ "$(jq -r .format <<<"$OUT")" = macho-fat ]
check "with both slices' facts" \
	[ "$(jq -r '[.slices[] | .arch + ":" + .format] | join(" ")' <<<"$OUT")" = "amd64:macho arm64:macho" ]
check "the manifest lists it, kind universal, from both" \
	[ "$(jq -r '.artifacts[] | select(.kind == "universal") | .path + " " + (.from | join(","))' "$T/rel/manifest.json")" = \
	  "darwin-all/app darwin-amd64/app,darwin-arm64/app" ]
check "its sha256 in the manifest is the file's" \
	[ "$(jq -r '.artifacts[] | select(.kind == "universal") | .sha256' "$T/rel/manifest.json")" = \
	  "$(sha256sum "$T/rel/darwin-all/app" | cut -d' ' -f1)" ]
(cd "$T/rel" && sha256sum -c --quiet SHA256SUMS) >/dev/null 2>&1
check "SHA256SUMS covers it" [ $? -eq 0 ] && grep -q ' darwin-all/app$' "$T/rel/SHA256SUMS"

# shards: darwin/amd64 and darwin/arm64 of a universal build go together
run "$XBUILD" matrix --shards 3 --format json
check "matrix keeps the pair in one shard" \
	[ "$(jq -r '.jobs[] | select(.targets | index("darwin/amd64")) | .targets | index("darwin/arm64") != null' <<<"$OUT")" = true ]
for k in 1 2 3; do
	run "$XBUILD" release -o "$T/s$k" --shard "$k/3"
	check "shard $k/3" rc_is 0
done
run "$XBUILD" merge -o "$T/merged" "$T/s1" "$T/s2" "$T/s3"
check "merge of the shards" rc_is 0
check "the merged fat file is the whole release's" cmp "$T/merged/darwin-all/app" "$T/rel/darwin-all/app"
run "$XBUILD" release -o "$T/rel2"
check "two releases give the same fat file" cmp "$T/rel2/darwin-all/app" "$T/rel/darwin-all/app"

# a universal build must have both darwin targets
sed -i 's/targets: \[darwin\/amd64, darwin\/arm64, linux\/amd64\]/targets: [darwin\/amd64, linux\/amd64]/' xbuild.yaml
git commit -qam one-darwin
run "$XBUILD" release -o "$T/bad"
check "universal without darwin/arm64 is refused" rc_is 2
check "saying what is missing" contains "$ERR" "universal: true needs darwin/amd64 and darwin/arm64, and darwin/arm64 is not a target"
check "nothing released" [ ! -e "$T/bad" ]
git rm -q xbuild.yaml && git -c user.email=t@t -c user.name=t commit -qm rm

# ---- from a .goreleaser.yaml -------------------------------------------------
cat >.goreleaser.yaml <<'Y'
version: 2
project_name: uni
builds:
  - id: app
    main: ./cmd/app
    binary: app
    env: [CGO_ENABLED=0]
    goos: [darwin]
    goarch: [amd64, arm64]
  - id: tool
    main: ./cmd/tool
    binary: tool
    env: [CGO_ENABLED=0]
    goos: [darwin]
    goarch: [arm64]
universal_binaries:
  - ids: [app]
    replace: false
    name_template: "{{ .ProjectName }}"
Y
git add -A && git -c user.email=t@t -c user.name=t commit -qm gr
run "$XBUILD" release --snapshot
check "a .goreleaser.yaml with universal_binaries releases" rc_is 0
check "name_template: is said not handled, with its line" \
	contains "$ERR" ".goreleaser.yaml:19:5: warning: universal_binaries: 'name_template' is not handled"
check "replace: false is what xbuild does: no word" lacks "$ERR" "'replace'"
check "GoReleaser's folder: <id>_darwin_all" [ -f dist/app_darwin_all/app ]
run llvm-lipo-14 -info dist/app_darwin_all/app
check "read back by llvm-lipo" contains "$OUT" "are: x86_64 arm64"
check "not for the build it does not name" [ ! -e dist/tool_darwin_all ]

done_testing
