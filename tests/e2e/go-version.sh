#!/usr/bin/env bash
# The Go release as part of the plan: go_version from --set and from a
# profile, the toolchain line of go.mod, the local go; every artifact held
# to its release (go version, xbuild inspect, xbuild verify); the plan's
# reasons and JSON, the release manifest, toolchain list, and the errors:
# a release that cannot be fetched, targets asking for two releases, a go
# too old to switch.  Only the first build reaches the module proxy (it
# fetches Go 1.27.3 into the module cache); the rest is offline.
. "$(dirname "$0")/lib.sh"
need_all go jq
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=
# go switches releases only through the checksum database (even to one
# its module cache has), which offline means the copy it keeps there
unset GOSUMDB
NEXT=go1.27.3
LOCAL=$(go env GOVERSION)
cp -r "$TOP/examples" "$T/ex"
cd "$T/ex" || exit 1

# ---- --set go_version: the first build fetches Go 1.27.3 -------------------
run with_proxy "$XBUILD" --set go_version=1.27.3 -t linux/amd64 -o out/hello ./hello
check "--set go_version=1.27.3: built" rc_is 0
check "go version says $NEXT" [ "$(go version out/hello)" = "out/hello: $NEXT" ]
check "xbuild inspect --json says $NEXT" \
	[ "$("$XBUILD" inspect --json out/hello | jq -r .go.version)" = "$NEXT" ]
run "$XBUILD" verify --expect go=go1.27.3 out/hello
check "verify --expect go=go1.27.3 passes" rc_is 0
run "$XBUILD" verify --expect go-version=1.27.3,linkage=static out/hello
check "verify --expect go-version=1.27.3 passes" rc_is 0

# ---- the plan says which Go and why ---------------------------------------
run "$XBUILD" plan --set go_version=go1.27.3 -t linux/amd64 ./hello
check "plan: exit 0, offline" rc_is 0
check "plan: GOTOOLCHAIN names the release" contains "$OUT" " GOTOOLCHAIN=$NEXT"
check "plan: the reason names it and --set" \
	contains "$OUT" "Go $NEXT from --set go_version=$NEXT: GOTOOLCHAIN=$NEXT runs it instead of the local $LOCAL"
check "plan: the artifact is expected to say so" contains "$OUT" ",go-version=$NEXT,"
run "$XBUILD" plan --format json --set go_version=1.27.3 -t linux/amd64 ./hello
check "plan --format json: go.version" [ "$(jq -r .go.version <<<"$OUT")" = "$NEXT" ]
check "plan --format json: go.source is --set" [ "$(jq -r .go.source <<<"$OUT")" = "--set" ]
check "plan --format json: go.toolchain" [ "$(jq -r .go.toolchain <<<"$OUT")" = "$NEXT" ]
check "plan --format json: go.local_version" [ "$(jq -r .go.local_version <<<"$OUT")" = "$LOCAL" ]
check "plan --format json: the expectation" \
	[ "$(jq -r '.plans[0].expect.go_version' <<<"$OUT")" = "$NEXT" ]
check "plan --format json: the reason" \
	[ "$(jq '[.plans[0].reasons[] | select(startswith("Go go1.27.3 from --set"))] | length' <<<"$OUT")" = 1 ]

# a profile's go_version, named with its place
cat >"$T/p.yaml" <<'EOF'
version: 1
defaults:
  go_version: go1.27.3
targets: [linux/amd64, linux/arm64]
EOF
run "$XBUILD" plan --format json -p "$T/p.yaml" ./hello
check "profile go_version: plan exit 0" rc_is 0
check "profile go_version: source profile" [ "$(jq -r .go.source <<<"$OUT")" = profile ]
check "profile go_version: origin is file:line:col" [ "$(jq -r .go.origin <<<"$OUT")" = "$T/p.yaml:3:3" ]
check "profile go_version: every target's env" \
	[ "$(jq -r '[.plans[].env.GOTOOLCHAIN] | unique | join(",")' <<<"$OUT")" = "$NEXT" ]

# the local go: GOTOOLCHAIN=local, and said so
run "$XBUILD" plan -t linux/amd64 ./hello
check "local go: GOTOOLCHAIN=local" contains "$OUT" " GOTOOLCHAIN=local"
check "local go: the reason" contains "$OUT" "Go $LOCAL from the local go: GOTOOLCHAIN=local"

# ---- go.mod's toolchain line ----------------------------------------------
mkdir -p "$T/mod/cmd/hi"
printf 'module example.com/mod\n\ngo 1.21\n\ntoolchain go1.27.3\n' >"$T/mod/go.mod"
printf 'package main\n\nfunc main() { println("hi") }\n' >"$T/mod/cmd/hi/main.go"
cd "$T/mod/cmd/hi" || exit 1
run "$XBUILD" -t linux/amd64 -o out/hi .
check "go.mod toolchain go1.27.3 (a parent folder): built" rc_is 0
check "go.mod toolchain: go version says $NEXT" [ "$(go version out/hi)" = "out/hi: $NEXT" ]
run "$XBUILD" plan --format json -t linux/amd64 .
check "go.mod toolchain: source go.mod" [ "$(jq -r .go.source <<<"$OUT")" = go.mod ]
check "go.mod toolchain: origin is the line" [ "$(jq -r .go.origin <<<"$OUT")" = "../../go.mod:5" ]
check "go.mod toolchain: the reason says why" \
	[ "$(jq -r '.plans[0].reasons[] | select(startswith("Go go1.27.3 from toolchain go1.27.3 in ../../go.mod:5, newer than the local"))' <<<"$OUT" | wc -l)" = 1 ]
# go_version wins over it
run "$XBUILD" plan --format json --set "go_version=${LOCAL#go}" -t linux/amd64 .
check "--set go_version wins over go.mod's line" \
	[ "$(jq -r '.go.source + " " + .go.toolchain' <<<"$OUT")" = "--set local" ]
# an older line is not followed, as go would not switch
printf 'module example.com/mod\n\ngo 1.21\n\ntoolchain go1.21.0\n' >"$T/mod/go.mod"
run "$XBUILD" plan -t linux/amd64 .
check "an older toolchain line: the local go" contains "$OUT" " GOTOOLCHAIN=local"
check "an older toolchain line: said so" \
	contains "$OUT" "Go $LOCAL from the local go (toolchain go1.21.0 in ../../go.mod:5 is not newer)"
cd "$T/ex" || exit 1

# ---- the expectation: a binary of another Go is broken ---------------------
run "$XBUILD" -t linux/amd64 -o out/hello-local ./hello
check "the local go: built" rc_is 0
check "the local go: go version says $LOCAL" [ "$(go version out/hello-local)" = "out/hello-local: $LOCAL" ]
run "$XBUILD" verify --expect go=go1.27.3 out/hello-local
check "verify go=go1.27.3 of a $LOCAL binary: exit 3" rc_is 3
check "verify: the violation names both" contains "$OUT$ERR" "expected Go $NEXT, built by $LOCAL"
run "$XBUILD" verify --expect go=1.27 out/hello-local
check "verify go=1.27: not a release, exit 2" rc_is 2

# ---- the release manifest ----------------------------------------------------
cat >"$T/rel.yaml" <<'EOF'
version: 1
name: hello
main: [./hello]
defaults: {archives: [tar.gz]}
targets: [linux/amd64]
EOF
run env SOURCE_DATE_EPOCH=1700000000 "$XBUILD" release --set go_version=1.27.3 \
	-p "$T/rel.yaml" -o "$T/dist" --version 1.0.0
check "release with go_version: exit 0" rc_is 0
check "manifest: tools.go is $NEXT" [ "$(jq -r .tools.go "$T/dist/manifest.json")" = "$NEXT" ]
check "manifest: tools.go_source is --set" [ "$(jq -r .tools.go_source "$T/dist/manifest.json")" = "--set" ]
check "manifest: the binary's go" \
	[ "$(jq -r '.artifacts[] | select(.kind == "binary") | .go' "$T/dist/manifest.json")" = "$NEXT" ]

# ---- one run, one Go -----------------------------------------------------------
cat >"$T/two.yaml" <<'EOF'
version: 1
defaults: {go_version: 1.27.3}
targets:
  - linux/amd64
  - {target: linux/arm64, go_version: 1.26.8}
EOF
run "$XBUILD" plan -p "$T/two.yaml" ./hello
check "two releases in one run: exit 1" rc_is 1
check "two releases: the target and its line are named" \
	contains "$ERR" "linux/arm64: this target asks for Go go1.26.8 (go_version at $T/two.yaml:5:"
check "two releases: and the run's" contains "$ERR" "but the run uses $NEXT (go_version: $NEXT at $T/two.yaml:2:"

# ---- bad values, where they are written ------------------------------------
printf 'version: 1\ndefaults:\n  go_version: "1.27"\n' >"$T/bad.yaml"
run "$XBUILD" check --no-go "$T/bad.yaml"
check "go_version 1.27: a profile error" rc_is 2
check "go_version 1.27: file:line:col" contains "$ERR" "$T/bad.yaml:3:15: invalid go_version '1.27'"
run "$XBUILD" plan --set go_version=latest ./hello
check "--set go_version=latest: a usage error" rc_is 2
check "--set go_version=latest: said so" contains "$ERR" "invalid go_version 'latest'"

# ---- a release that cannot be fetched ----------------------------------------
mkdir -p "$T/empty-modcache"
run env GOMODCACHE="$T/empty-modcache" "$XBUILD" plan --set go_version=1.27.3 ./hello
check "offline, not in the module cache: exit 1" rc_is 1
check "offline: names the release and why" \
	contains "$ERR" "cannot get Go $NEXT (--set go_version=$NEXT): it is not in the module cache, and GOPROXY=off forbids downloading it"
check "offline: says how to fetch it" contains "$ERR" "GOTOOLCHAIN=$NEXT go version"
chmod -R u+w "$T/empty-modcache"

# with GOSUMDB=off go switches to no release; xbuild runs the one the
# module cache has with its own go command, and says so
run env GOSUMDB=off "$XBUILD" plan --set go_version=1.27.3 -t linux/amd64 ./hello
check "GOSUMDB=off: planned" rc_is 0
check "GOSUMDB=off: the release's own go from the module cache" \
	contains "$OUT" "/golang.org/toolchain@v0.0.1-$NEXT."
check "GOSUMDB=off: the reason says why" contains "$OUT" "its own go command in the module cache runs it"
run env GOSUMDB=off "$XBUILD" --set go_version=1.27.3 -t linux/amd64 -o out/hello-sumdb-off ./hello
check "GOSUMDB=off: built by $NEXT" [ "$(go version out/hello-sumdb-off 2>/dev/null)" = "out/hello-sumdb-off: $NEXT" ]

# a go before 1.21 cannot switch
go119=${XBUILD_TEST_GO119:-/usr/lib/go-1.19/bin/go}
if [ -x "$go119" ]; then
	run "$XBUILD" plan --go "$go119" --set go_version=1.27.3 ./hello
	check "Go 1.19's go cannot switch: exit 1" rc_is 1
	check "Go 1.19's go cannot switch: said so" contains "$ERR" "which cannot switch to another release (GOTOOLCHAIN needs Go 1.21)"
fi

# ---- the Go releases this machine has ----------------------------------------
run "$XBUILD" toolchain list
check "toolchain list: exit 0" rc_is 0
check "toolchain list: the local go" grep -q "^$LOCAL  *local  *$(command -v go) (on PATH)\$" <<<"$OUT"
check "toolchain list: Go 1.26.8" grep -q "^go1\.26\.8  *local " <<<"$OUT"
check "toolchain list: Debian's Go 1.19" grep -q "^go1\.19\.[0-9]*  *local  */usr/lib/go-1\.19/bin/go\$" <<<"$OUT"
check "toolchain list: the cached Go 1.27.3" \
	grep -q "^go1\.27\.3  *cached  *.*/golang.org/toolchain@v0\.0\.1-go1\.27\.3\.linux-[a-z0-9]*/bin/go\$" <<<"$OUT"
run "$XBUILD" toolchain list --json
check "toolchain list --json: each release with its kind" \
	[ "$(jq -r '[.go[] | select(.version == "go1.27.3" and .kind == "cached")] | length' <<<"$OUT")" = 1 ]
check "toolchain list --json: go1.19 local" \
	[ "$(jq -r '[.go[] | select((.version | startswith("go1.19")) and .kind == "local")] | length' <<<"$OUT")" = 1 ]
check "toolchain list --json: one go on PATH" [ "$(jq '[.go[] | select(.on_path)] | length' <<<"$OUT")" = 1 ]
check "toolchain list --json: every path runs" \
	[ "$(jq -r '.go[].path' <<<"$OUT" | while read -r g; do [ -x "$g" ] || echo "$g"; done)" = "" ]

done_testing
