#!/usr/bin/env bash
# Several builds in one profile (builds:), built with the real Go: each
# build's own package, name, targets and settings; the build id in the
# table, --json, the plan and the release manifest; pre and post hooks run
# as argv (no shell), post hooks before the checker reads the artifact;
# before: hooks once, before planning; what is refused; the same from a
# .goreleaser.yaml with overrides, and its snapshot version template.
. "$(dirname "$0")/lib.sh"
need_all go git jq
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000
unset XBUILD_VERSION MAKELEVEL MAKEFLAGS

mkdir -p "$T/m/cmd/srv" "$T/m/cmd/cli" && cd "$T/m" || exit 1
printf 'module example.com/multi\n\ngo 1.21\n' >go.mod
cat >cmd/srv/main.go <<'GO'
package main

import "fmt"

var version = "unset"

func main() { fmt.Println("srv", version) }
GO
cat >cmd/cli/main.go <<'GO'
package main

import "fmt"

var mode = "plain"

func main() { fmt.Println("cli", mode) }
GO
git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init
git tag v2.0.0

cat >xbuild.yaml <<'Y'
version: 1
name: multi
defaults:
  cgo: off
targets: [linux/amd64]
before:
  hooks: ["touch before-{{ .ProjectName }}-{{ .Version }}"]
builds:
  - id: server
    name: srv
    main: ./cmd/srv
    defaults:
      ldflags: ["-X", "main.version={{ .Version }}"]
    targets: [linux/amd64, linux/arm64]
    hooks:
      pre: ["touch 'pre {{ .Os }}-{{ .Arch }}'"]
      post: ["cp {{ .Path }} {{ .Name }}-{{ .Arch }}.seen"]
  - id: client
    name: cli
    main: ./cmd/cli
Y

# ---- check and plan -----------------------------------------------------------
run "$XBUILD" check -v
check "check: two builds, their targets' union" contains "$OUT" "(2 builds, 2 targets"
check "check lists which builds build a target" \
	contains "$OUT" "linux/amd64 (builds server, client)"
check "check runs no before hook" [ ! -e before-multi-2.0.0 ]
run "$XBUILD" plan --format json
check "plan: one plan per build and target" [ "$(jq '.plans | length' <<<"$OUT")" -eq 3 ]
check "each plan names its build" \
	[ "$(jq -r '[.plans[] | .build + ":" + .target] | join(" ")' <<<"$OUT")" = \
	  "server:linux/amd64 server:linux/arm64 client:linux/amd64" ]
check "each build its own package" \
	[ "$(jq -r '[.plans[].package] | unique | join(" ")' <<<"$OUT")" = "./cmd/cli ./cmd/srv" ]
check "the top level's defaults reach every build" \
	[ "$(jq -r '[.plans[].env.CGO_ENABLED] | unique | join(" ")' <<<"$OUT")" = 0 ]
check "plan runs no hook" [ ! -e before-multi-2.0.0 ] && [ ! -e "pre linux-amd64" ]
run "$XBUILD" plan --format make
check "make variables: one set per build and target, the build's id first" \
	contains "$OUT" "SERVER_LINUX_AMD64_CMD :=" && contains "$OUT" "CLIENT_LINUX_AMD64_CMD :=" &&
	[ "$(grep -c '^SERVER_LINUX_AMD64_CMD' <<<"$OUT")" -eq 1 ]
run "$XBUILD" plan
check "the text plan names the build" contains "$OUT" "linux/arm64 build server: ./cmd/srv -> dist/linux-arm64/srv"

# ---- build -------------------------------------------------------------------
run "$XBUILD" build -j2
check "build exits 0" rc_is 0
check "the table has a BUILD column" contains "$OUT" "BUILD  TARGET"
check "a row per build and target" \
	[ "$(grep -cE '^(server|client) +linux/' <<<"$OUT")" -eq 3 ]
check "progress lines name the build" contains "$ERR" "linux/arm64 (build server): built and verified"
check "before hook ran once, templates filled" [ -e before-multi-2.0.0 ]
check "pre hooks ran per target, quotes kept one word" \
	[ -e "pre linux-amd64" ] && [ -e "pre linux-arm64" ]
check "post hooks saw the artifact at .Path" [ -s srv-amd64.seen ] && [ -s srv-arm64.seen ]
check "client has no hooks" [ ! -e cli-amd64.seen ]
run ./dist/linux-amd64/srv
check "the server has the tag's version" [ "$OUT" = "srv 2.0.0" ]
run ./dist/linux-amd64/cli
check "the client is the other program" [ "$OUT" = "cli plain" ]
check "what the post hook copied is the artifact" cmp -s srv-amd64.seen dist/linux-amd64/srv
run "$XBUILD" build --json
check "--json names the build of each row" \
	[ "$(jq -r '[.[].build] | join(" ")' <<<"$OUT")" = "server server client" ]
rm -rf dist ./*.seen pre\ * before-*

# --target replaces every build's targets
run "$XBUILD" plan --format json --target linux/386
check "--target reaches every build" \
	[ "$(jq -r '[.plans[] | .build + ":" + .target] | join(" ")' <<<"$OUT")" = \
	  "server:linux/386 client:linux/386" ]
# a package on the command line would be built by every build
run "$XBUILD" build ./cmd/srv
check "several builds: no package on the command line, exit 2" rc_is 2
check "saying why" contains "$ERR" "the profile has 2 builds, each with its own main"

# ---- hooks that fail ---------------------------------------------------------
cp xbuild.yaml good.yaml
sed -i 's|post: \["cp {{ .Path }} {{ .Name }}-{{ .Arch }}.seen"\]|post: ["strip {{ .Path }}"]|' xbuild.yaml
run "$XBUILD" build -k
check "a post hook that strips breaks the expectation: proved after the hook" rc_is 3
check "the server rows are broken" \
	[ "$(grep -cE '^server .* broken' <<<"$OUT")" -eq 2 ]
check "the violation is said" contains "$ERR" "dist/linux-amd64/srv: expected not stripped, got stripped"
check "no broken artifact in place" [ ! -e dist/linux-amd64/srv ]
check "the client is built" [ -x dist/linux-amd64/cli ]
rm -rf dist
# a post hook that makes the artifact longer: its sha256 and size are of
# what the hook left, not of what go wrote
sed -i 's|post: \["strip {{ .Path }}"\]|post: ["truncate -s +8 {{ .Path }}"]|' xbuild.yaml
run "$XBUILD" build --json
srv_amd64() { jq -r ".[] | select(.build == \"server\" and .target == \"linux/amd64\") | .$1" <<<"$OUT"; }
check "a post hook's change: the sha256 is of the artifact in place" \
	[ "$(srv_amd64 sha256)" = "$(sha256sum dist/linux-amd64/srv | cut -d' ' -f1)" ]
check "and the size" [ "$(srv_amd64 size)" = "$(stat -c %s dist/linux-amd64/srv)" ]
rm -rf dist
cp good.yaml xbuild.yaml
sed -i "s|pre: \[\"touch 'pre {{ .Os }}-{{ .Arch }}'\"\]|pre: [\"false\"]|" xbuild.yaml
run "$XBUILD" build -k
check "a failing pre hook fails its target" rc_is 1
check "saying which hook and its exit" contains "$ERR" "pre hook 'false' exited 1"
check "its target is not built" [ ! -e dist/linux-amd64/srv ]
rm -rf dist
cp good.yaml xbuild.yaml
sed -i 's|hooks: \["touch before-{{ .ProjectName }}-{{ .Version }}"\]|hooks: ["sh -c \\"echo before-out; exit 3\\""]|' xbuild.yaml
run "$XBUILD" build
check "a failing before hook stops the run" [ "$RC" -ne 0 ]
check "saying so" contains "$ERR" "before hook 'sh -c \"echo before-out; exit 3\"' exited 3"
check "its output on stderr" contains "$ERR" "before-out"
check "nothing built" [ ! -e dist ]
cp good.yaml xbuild.yaml
sed -i 's|hooks: \["touch before-{{ .ProjectName }}-{{ .Version }}"\]|hooks: ["echo \\"unterminated"]|' xbuild.yaml
run "$XBUILD" check
check "a hook with an open quote is a profile error" rc_is 2
check "at its line" contains "$ERR" "xbuild.yaml:7:"
cp good.yaml xbuild.yaml
printf '  - id: server\n    main: ./cmd/cli\n' >>xbuild.yaml
run "$XBUILD" check
check "a build id used twice is an error" contains "$ERR" "build id 'server' is used twice"
cp good.yaml xbuild.yaml

# ---- release, and its shards -------------------------------------------------
run "$XBUILD" release -o "$T/rel"
check "release of several builds exits 0" rc_is 0
check "released 3 binaries and their SBOMs for 2 targets" contains "$OUT" "released 6 artifacts (2 targets)"
check "the manifest names each binary's build" \
	[ "$(jq -r '[.artifacts[] | select(.kind == "binary") | .build] | sort | join(" ")' "$T/rel/manifest.json")" = "client server server" ]
run "$XBUILD" release -o "$T/s1" --shard 1/2
check "shard 1/2" rc_is 0
run "$XBUILD" release -o "$T/s2" --shard 2/2
check "shard 2/2" rc_is 0
run "$XBUILD" merge -o "$T/merged" "$T/s1" "$T/s2"
check "merge of the shards" rc_is 0
check "the shards hold every build's artifacts" \
	[ "$(jq -r '[.artifacts[] | select(.kind == "binary") | .path] | sort | join(" ")' "$T/merged/manifest.json")" = \
	  "$(jq -r '[.artifacts[] | select(.kind == "binary") | .path] | sort | join(" ")' "$T/rel/manifest.json")" ]
check "byte for byte the whole release's" \
	cmp -s "$T/merged/linux-arm64/srv" "$T/rel/linux-arm64/srv"
rm -rf before-* pre\ * ./*.seen good.yaml xbuild.yaml

# ---- the same from a .goreleaser.yaml ----------------------------------------
cat >.goreleaser.yaml <<'Y'
version: 2
project_name: multi
env: [CGO_ENABLED=0]
snapshot:
  version_template: "{{ incr }}"
builds:
  - id: server
    main: ./cmd/srv
    binary: multi-server
    goos: [linux]
    goarch: [amd64, arm64]
    ldflags: ["-s -w -X main.version={{ .Version }}"]
    hooks:
      post:
        - cmd: cp "{{ .Path }}" "{{ .Name }}.{{ .Arch }}.copy"
  - id: client
    main: ./cmd/cli
    binary: multi
    goos: [linux]
    goarch: [amd64, arm]
    goarm: ["7"]
    overrides:
      - goos: linux
        goarch: arm
        goarm: "7"
        ldflags: ["-X main.mode=arm-override"]
    x-xbuild:
      linkage: static
Y
run "$XBUILD" check
check "an unknown function in snapshot's template is refused" rc_is 2
check "at its line and column" contains "$ERR" ".goreleaser.yaml:5:25: unknown function 'incr'"
sed -i 's/"{{ incr }}"/"{{ .Version }}-next"/' .goreleaser.yaml
git add -A && git -c user.email=t@t -c user.name=t commit -qm goreleaser
run "$XBUILD" release --snapshot
check "a snapshot release of the .goreleaser.yaml" rc_is 0
check "GoReleaser's dist folders, a build id each" \
	[ -x dist/server_linux_amd64_v1/multi-server ] && [ -x dist/server_linux_arm64_v8.0/multi-server ] &&
	[ -x dist/client_linux_amd64_v1/multi ] && [ -x dist/client_linux_arm_7/multi ]
run ./dist/server_linux_amd64_v1/multi-server
check "snapshot.version_template names the version, .Version the last tag's" \
	[ "$OUT" = "srv 2.0.0-next" ]
check "the manifest has it" [ "$(jq -r .version dist/manifest.json)" = "2.0.0-next" ]
check "post hooks of a .goreleaser.yaml run, {cmd:} form" \
	cmp -s multi-server.amd64.copy dist/server_linux_amd64_v1/multi-server
if command -v qemu-arm >/dev/null; then
	run qemu-arm dist/client_linux_arm_7/multi
	check "the override reached linux/arm/7 alone" [ "$OUT" = "cli arm-override" ]
fi
run ./dist/client_linux_amd64_v1/multi
check "not linux/amd64" [ "$OUT" = "cli plain" ]
check "x-xbuild: linkage static, proved" \
	[ "$(jq -r '[.artifacts[] | select(.build == "client" and .kind == "binary") | .facts.linkage] | unique | join(" ")' dist/manifest.json)" = static ]

# a GoReleaser matrix may name pairs Go has no port for: passed over, said
cat >.goreleaser.yaml <<'Y'
version: 2
project_name: multi
builds:
  - main: ./cmd/cli
    env: [CGO_ENABLED=0]
    goos: [linux, darwin]
    goarch: [s390x]
Y
run "$XBUILD" plan --format json
check "a pair with no Go port does not stop the plan" rc_is 0
check "it is passed over" [ "$(jq -r '[.plans[].target] | join(" ")' <<<"$OUT")" = linux/s390x ]
check "and said" contains "$ERR" "warning: darwin/s390x skipped: go1"
run "$XBUILD" check
check "check passes it over too, with a warning" rc_is 0
check "saying so" contains "$ERR" "darwin/s390x skipped"
# no project_name: the project (and the build's id and binary) is named
# after the module, less its major version suffix, as GoReleaser does
mkdir -p "$T/v2mod/cmd/x"
printf 'module example.com/tool/v2\n\ngo 1.21\n' >"$T/v2mod/go.mod"
cp cmd/cli/main.go "$T/v2mod/cmd/x/"
printf 'version: 2\nbuilds: [{main: ./cmd/x, env: [CGO_ENABLED=0], goos: [linux], goarch: [amd64]}]\n' \
	>"$T/v2mod/.goreleaser.yaml"
(cd "$T/v2mod" && "$XBUILD" build >/dev/null 2>&1)
check "no project_name: named after the module (tool, not v2 or x)" \
	[ -x "$T/v2mod/dist/tool_linux_amd64_v1/tool" ]
printf 'version: 1\ntargets: [darwin/s390x]\n' >xbuild.yaml
run "$XBUILD" check
check "a profile's own target with no port is still an error" rc_is 2
rm -f xbuild.yaml

done_testing
