#!/usr/bin/env bash
# Templates in a profile, end to end with the real Go and git: a release
# of a tiny program whose output name, -X ldflags, env value and archive
# name are templates; the version from --version, from the tag at HEAD,
# and a snapshot version; the old {version} placeholders beside them; and
# `xbuild check` naming a template mistake by file:line:col.
. "$(dirname "$0")/lib.sh"
need_all go
need_all git
need_all jq
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000
unset XBUILD_VERSION

mkdir -p "$T/src" && cd "$T/src" || exit 1
printf 'module example.com/hello\n\ngo 1.21\n' >go.mod
cat >main.go <<'GO'
package main

import "fmt"

var version, commit, osname, snap = "none", "none", "none", "none"

func main() { fmt.Println(version, commit, osname, snap) }
GO
cat >x.yaml <<'YAML'
version: 1
name: hello
targets: [linux/amd64]
output: "dist/{{ .ProjectName }}_{{ .Version }}_{{ title .Os }}_{{ .Arch }}{{ if .IsSnapshot }}-snap{{ end }}/{{ .Binary }}-{version}"
defaults:
  ldflags: "-X main.version={{.Version}} -X main.commit={{ .ShortCommit }} -X 'main.osname={{ .Os | toupper }}' -X main.snap={{ .IsSnapshot }}"
  env:
    XB_T_TAG: "{{ .Tag }}"
  archives: [tar.gz]
YAML
git init -q . && git add . && git -c user.email=t@t -c user.name=t commit -qm one
git tag v1.4.2
short=$(git rev-parse --short=7 HEAD)

run "$XBUILD" check x.yaml
check "check accepts the templates" rc_is 0

# the version from the tag at HEAD
run "$XBUILD" release -p x.yaml -o "$T/dist"
check "release from the tag exits 0" rc_is 0
dir=hello_1.4.2_Linux_amd64
check "output name from the template, {version} beside it" \
	[ -x "$T/dist/$dir/hello-v1.4.2" ]
check "archive name from the template" [ -f "$T/dist/$dir.tar.gz" ]
run tar -tzf "$T/dist/$dir.tar.gz"
check "the archive holds the binary" contains "$OUT" "$dir/hello-v1.4.2"
check "manifest version is the tag's" \
	[ "$(jq -r .version "$T/dist/manifest.json")" = v1.4.2 ]
run "$T/dist/$dir/hello-v1.4.2"
check "-X main.version={{.Version}} and the rest: the binary prints them" \
	[ "$OUT" = "1.4.2 $short LINUX false" ]
run "$XBUILD" plan -p x.yaml --format json .
check "env value from a template: go build's environment" \
	[ "$(jq -r '.plans[0].env.XB_T_TAG' <<<"$OUT")" = v1.4.2 ]
run sh -c "cd '$T/dist' && sha256sum -c SHA256SUMS"
check "sha256sum -c SHA256SUMS passes" rc_is 0

# --version beats the tag
run "$XBUILD" release -p x.yaml -o "$T/dist-given" --version 2.0.0
check "release --version 2.0.0 exits 0" rc_is 0
run "$T/dist-given/hello_2.0.0_Linux_amd64/hello-2.0.0"
check "--version 2.0.0 fills .Version" [ "$OUT" = "2.0.0 $short LINUX false" ]

# no tag at HEAD: a snapshot version after the last tag
echo '// two' >>main.go
git -c user.email=t@t -c user.name=t commit -qam two
short=$(git rev-parse --short=7 HEAD)
run "$XBUILD" release -p x.yaml -o "$T/dist-snap"
check "snapshot release exits 0" rc_is 0
sdir=hello_1.4.2-SNAPSHOT-${short}_Linux_amd64-snap
check "snapshot: its version and .IsSnapshot in the name" \
	[ -f "$T/dist-snap/$sdir.tar.gz" ]
run "$T/dist-snap/$sdir/hello-1.4.2-SNAPSHOT-$short"
check "snapshot: the binary prints it" \
	[ "$OUT" = "1.4.2-SNAPSHOT-$short $short LINUX true" ]

# what git is asked, through a git first on PATH that logs its
# arguments: HEAD's commit and time in one call, whether the tree is
# dirty, and the tag at or before HEAD in one (not five calls)
mkdir -p "$T/gitbin"
printf '#!/bin/sh\necho "$*" >>"%s/git.log"\nexec "%s" "$@"\n' \
	"$T" "$(command -v git)" >"$T/gitbin/git"
chmod 755 "$T/gitbin/git"
: >"$T/git.log"
run env PATH="$T/gitbin:$PATH" "$XBUILD" build -p x.yaml --force
check "build in a git repo: exit 0" rc_is 0
check "build in a git repo: three git calls" \
	[ "$(wc -l <"$T/git.log")" = 3 ]
run "$T/src/dist/hello_1.4.2-SNAPSHOT-${short}_Linux_amd64-snap/hello-1.4.2-SNAPSHOT-$short"
check "build in a git repo: the same snapshot version" \
	[ "$OUT" = "1.4.2-SNAPSHOT-$short $short LINUX true" ]
: >"$T/git.log"
run env PATH="$T/gitbin:$PATH" "$XBUILD" build -p x.yaml --force --build-version 3.0.0
check "build with a version given: two git calls (no tag asked)" \
	[ "$(wc -l <"$T/git.log")" = 2 ]
# outside any repository (no .git here or above, no GIT_DIR) no git
# runs at all; with GIT_DIR naming one, git is asked
mkdir -p "$T/norepo"
cp x.yaml main.go go.mod "$T/norepo/"
: >"$T/git.log"
run env -C "$T/norepo" PATH="$T/gitbin:$PATH" "$XBUILD" build -p x.yaml --force
check "build outside a repository: exit 0" rc_is 0
check "build outside a repository: no git call" [ ! -s "$T/git.log" ]
check "build outside a repository: version dev" contains "$(ls "$T/norepo/dist")" "dev"
run env -C "$T/norepo" GIT_DIR="$T/src/.git" PATH="$T/gitbin:$PATH" "$XBUILD" build -p x.yaml --force
check "build with GIT_DIR set: git asked" [ -s "$T/git.log" ]
# in a repository, the version is worked out only when something reads
# it: a profile that reads none asks git nothing
printf 'version: 1\nname: hello\ntargets: [linux/amd64]\noutput: "%s/plain/{name}"\n' "$T" >plain.yaml
: >"$T/git.log"
run env PATH="$T/gitbin:$PATH" "$XBUILD" build -p plain.yaml --force
check "a profile that reads no version: built" rc_is 0
check "a profile that reads no version: no git call" [ ! -s "$T/git.log" ]
printf 'version: 1\nname: hello\ntargets: [linux/amd64]\noutput: "%s/plain/{name}-{version}"\n' "$T" >plain.yaml
: >"$T/git.log"
run env PATH="$T/gitbin:$PATH" "$XBUILD" build -p plain.yaml --force
check "{version} in the output: git asked" [ -s "$T/git.log" ]
check "{version} in the output: the snapshot version" [ -x "$T/plain/hello-1.4.2-SNAPSHOT-$short" ]
printf 'version: 1\nname: hello\ntargets: [linux/amd64]\noutput: "%s/plain/{name}"\ndefaults:\n  ldflags: "-X main.version=${XBUILD_VERSION}"\n' "$T" >plain.yaml
: >"$T/git.log"
run env -u XBUILD_VERSION PATH="$T/gitbin:$PATH" "$XBUILD" build -p plain.yaml --force
check "\${XBUILD_VERSION} in the profile: git asked" [ -s "$T/git.log" ]
run "$T/plain/hello"
check "\${XBUILD_VERSION} in the profile: the snapshot version" contains "$OUT" "1.4.2-SNAPSHOT-$short"
rm -rf "$T/src/dist"

# a mistake in a template: check names its place
sed 's/{{ .Binary }}/{{ .Binry }}/' x.yaml >bad.yaml
run "$XBUILD" check bad.yaml
check "unknown field: exit 2" rc_is 2
check "unknown field: file:line:col" \
	contains "$ERR" "xbuild: bad.yaml:4:$(awk 'NR==4{print index($0, ".Binry")}' bad.yaml): unknown field '.Binry'"
run "$XBUILD" release -p bad.yaml -o "$T/dist-bad"
check "release refuses it too: exit 2" rc_is 2
check "and leaves nothing" [ ! -e "$T/dist-bad" ]

done_testing
