#!/usr/bin/env bash
# Which profile a run uses when -p names none (xbuild.yaml, else
# .goreleaser.yaml, else .goreleaser.yml, else the built-in default), and
# what it says; a .goreleaser.yaml read into a profile and built with the
# real Go; release refusing a git tree with uncommitted changes unless
# --snapshot, and the snapshot version it then gives.
. "$(dirname "$0")/lib.sh"
need_all go git jq
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000
unset XBUILD_VERSION MAKELEVEL MAKEFLAGS

# a tiny module that prints the version linked into it
mkdir -p "$T/m" && cd "$T/m" || exit 1
printf 'module example.com/hello\n\ngo 1.21\n' >go.mod
cat >main.go <<'GO'
package main

import "fmt"

var version = "unset"
var commit, date string

func main() {
	fmt.Println("hello", version)
	if commit != "" {
		fmt.Println("commit", commit, date)
	}
}
GO
cat >xbuild.yaml <<'Y'
version: 1
name: fromxbuild
targets: [linux/amd64]
Y
cat >.goreleaser.yaml <<'Y'
version: 2
project_name: fromgr
before:
  hooks: [go mod tidy, "touch before-{{ .ProjectName }}"]
builds:
  - main: .
    binary: hi
    env: [CGO_ENABLED=0]
    goos: [linux, windows]
    goarch: [amd64, arm]
    goarm: ["7"]
    ignore:
      - goos: windows
        goarch: arm
    flags: [-trimpath, -tags=netgo]
    ldflags:
      - -s -w -X main.version={{ .Version }}
archives:
  - formats: [tgz, zip]
    name_template: "{{ .ProjectName }}_{{ .Os }}"
changelog:
  sort: asc
Y

# ---- discovery --------------------------------------------------------------
run "$XBUILD" check --json
check "xbuild.yaml wins over .goreleaser.yaml" \
	[ "$(jq -r '.name' <<<"$OUT")" = fromxbuild ]
check "check says which profile it found" contains "$ERR" "xbuild: profile: xbuild.yaml"
check "its JSON names the file" [ "$(jq -r '.files[0]' <<<"$OUT")" = xbuild.yaml ]
run "$XBUILD" plan --format json
check "plan says xbuild.yaml" contains "$ERR" "xbuild: profile: xbuild.yaml"
check "plan's JSON names it" [ "$(jq -r .profile <<<"$OUT")" = xbuild.yaml ]
run "$XBUILD" matrix --shards 1 --format json
check "matrix says xbuild.yaml" contains "$ERR" "xbuild: profile: xbuild.yaml"
check "matrix uses its targets" [ "$(jq -c '.matrix' <<<"$OUT")" = '["linux/amd64"]' ]
run "$XBUILD" check -q
check "-q says nothing of it" lacks "$ERR" "profile:"
run "$XBUILD" check -p xbuild.yaml
check "-p: no discovery line" lacks "$ERR" "xbuild: profile:"

rm xbuild.yaml
run "$XBUILD" check --json
check ".goreleaser.yaml next" [ "$(jq -r '.name' <<<"$OUT")" = fromgr ]
check "it says so" contains "$ERR" "xbuild: profile: .goreleaser.yaml"
check "before: hooks are read" \
	[ "$(jq -c '.before' <<<"$OUT")" = '["go mod tidy","touch before-{{ .ProjectName }}"]' ]
check "check runs no hook" [ ! -e before-fromgr ]
check "one build, named for the project" [ "$(jq -r '.builds[0].id' <<<"$OUT")" = fromgr ]
check "changelog is not handled, with its line" \
	contains "$ERR" ".goreleaser.yaml:21:1: warning: 'changelog' not handled, skipped"
check "an archive's formats are read (tgz is tar.gz)" \
	[ "$(jq -c '.archives[0].formats' <<<"$OUT")" = '["tar.gz","zip"]' ]
check "an archive's name_template is read" \
	[ "$(jq -r '.archives[0].name' <<<"$OUT")" = "{{ .ProjectName }}_{{ .Os }}" ]
check "no archive key is warned about" lacks "$ERR" "archives:"
check "goos x goarch x goarm less ignore: three targets" \
	[ "$(jq -r '[.builds[0].targets[].target] | join(" ")' <<<"$OUT")" = "linux/amd64/v1 linux/arm/7 windows/amd64/v1" ]
check "CGO_ENABLED=0 is cgo off" [ "$(jq -r '.builds[0].defaults.cgo' <<<"$OUT")" = off ]
check "-s -w is strip" [ "$(jq -r '.builds[0].defaults.strip' <<<"$OUT")" = true ]
check "-tags= is tags" [ "$(jq -c '.builds[0].defaults.tags' <<<"$OUT")" = '["netgo"]' ]

# the binary names and the version the binary prints
run env XBUILD_VERSION=1.2.3 "$XBUILD" build
check "build of the .goreleaser.yaml exits 0" rc_is 0
check "build says which profile" contains "$ERR" "xbuild: profile: .goreleaser.yaml"
check "binary: names the artifacts, in GoReleaser's dist folders" \
	[ -x dist/fromgr_linux_amd64_v1/hi ] && [ -f dist/fromgr_linux_arm_7/hi ] &&
	[ -f dist/fromgr_windows_amd64_v1/hi.exe ]
check "the before hooks ran, templates filled" [ -f before-fromgr ]
rm -f before-fromgr
run ./dist/fromgr_linux_amd64_v1/hi
check "-X main.version={{ .Version }} is the run's version" [ "$OUT" = "hello 1.2.3" ]
rm -rf dist

mv .goreleaser.yaml .goreleaser.yml
run "$XBUILD" check
check ".goreleaser.yml is found too" contains "$ERR" "xbuild: profile: .goreleaser.yml"
sed -i 's/^version: 2/version: 1/; s/^project_name: fromgr/project_name: v1proj\ndist: out/' .goreleaser.yml
run "$XBUILD" check --print
check "version: 1 is read too" contains "$OUT" 'name: "v1proj"'
check "dist: is the output folder" contains "$OUT" 'output: "out/v1proj_{{ .Os }}_{{ .Arch }}'
sed -i 's/^version: 1/version: 3/' .goreleaser.yml
run "$XBUILD" check
check "version: 3 is refused" rc_is 2
check "naming the versions known" contains "$ERR" "(expected 1 or 2)"
sed -i 's/^version: 3/version: 2/' .goreleaser.yml
cat >two.yaml <<'Y'
version: 2
builds:
  - main: .
  - id: second
    main: ./other
Y
cp two.yaml .goreleaser.yml
run "$XBUILD" check -v
check "several builds are read" rc_is 0
check "each with its id (build-N when none)" \
	contains "$OUT" "(2 builds, 8 targets" && contains "$OUT" "linux/amd64/v1 (builds build-1, second)"
cat >.goreleaser.yml <<'Y'
version: 2
builds:
  - main: .
    goos: [linux]
    goarch: [amd64]
archives:
  - formats: [tar.zst]
Y
run "$XBUILD" check --no-go
check "tar.zst is an archive format too" rc_is 0
sed -i 's/formats: \[tar.zst\]/formats: [tar]/' .goreleaser.yml
run "$XBUILD" check --no-go
check "an archive format xbuild does not write is refused, exit 2" rc_is 2
check "at its line, naming those it writes" \
	contains "$ERR" ".goreleaser.yml:7:14: archives: archive format 'tar' is not supported (tar.gz, tgz, tar.xz, txz, tar.zst, tzst, zip, binary)"
sed -i 's/formats: \[tar\]/format: binary/' .goreleaser.yml
printf '  - id: zipped\n    formats: [zip]\n' >>.goreleaser.yml
run "$XBUILD" check --no-go --json
check "format: binary and several archives are read" \
	[ "$(jq -c '[.archives[] | .formats[0]]' <<<"$OUT")" = '["binary","zip"]' ]

rm .goreleaser.yml two.yaml
run "$XBUILD" check --json
check "nothing found: the built-in default" \
	contains "$ERR" "xbuild: profile: built-in default"
check "its JSON names the built-in file" \
	[ "$(jq -r '.files[0]' <<<"$OUT")" = "<builtin>/profiles/default.yaml" ]
run "$XBUILD" env --format json
check "env says it too" contains "$ERR" "xbuild: profile: built-in default"

# ---- release and dirty trees -------------------------------------------------
cat >xbuild.yaml <<'Y'
version: 1
name: hello
output: "dist/{target}/{name}{ext}"
targets: [linux/amd64]
defaults:
  ldflags: ["-X", "main.version=${XBUILD_VERSION}"]
Y
git init -q . && git add -A &&
	git -c user.name=t -c user.email=t@example.com commit -qm one &&
	git tag v2.5.0 && echo '// changed' >>main.go
run "$XBUILD" release -o "$T/rel"
check "a dirty tree is refused, exit 1" rc_is 1
check "saying why and what to do" \
	contains "$ERR" "uncommitted changes: nothing released (commit them, or release a snapshot with --snapshot)"
check "and nothing is released" [ ! -e "$T/rel" ]
short=$(git rev-parse --short HEAD)
run "$XBUILD" release --snapshot -o "$T/rel" --json
check "--snapshot releases it" rc_is 0
check "release --json names the profile found and the snapshot" \
	[ "$(jq -c '[.profile, .snapshot]' <<<"$OUT")" = '["xbuild.yaml",true]' ]
check "the snapshot version: last tag, SNAPSHOT, short commit" \
	[ "$(jq -r .version "$T/rel/manifest.json")" = "2.5.0-SNAPSHOT-$short" ]
check "the manifest says snapshot and dirty" \
	[ "$(jq -c '[.source.snapshot, .source.dirty]' "$T/rel/manifest.json")" = "[true,true]" ]
run "$T/rel/linux-amd64/hello"
check "the binary carries the snapshot version" [ "$OUT" = "hello 2.5.0-SNAPSHOT-$short" ]
git checkout -q main.go 2>/dev/null || git checkout -q -- main.go
git tag -d v2.5.0 >/dev/null
run "$XBUILD" release -o "$T/rel2"
check "a clean tree is released" rc_is 0
check "not as a snapshot" [ "$(jq -r .source.snapshot "$T/rel2/manifest.json")" = false ]
run "$XBUILD" release --snapshot -o "$T/rel3"
check "no tag: 0.0.0-SNAPSHOT-commit" \
	[ "$(jq -r .version "$T/rel3/manifest.json")" = "0.0.0-SNAPSHOT-$short" ]

# ---- templates in a .goreleaser.yaml ----------------------------------------
rm xbuild.yaml
cat >.goreleaser.yaml <<'Y'
version: 2
project_name: tmplproj
builds:
  - main: .
    binary: "{{ .ProjectName }}-cli"
    env: [CGO_ENABLED=0]
    goos: [linux]
    goarch: [amd64]
    ldflags: -s -w -X main.version={{.Version}} -X main.commit={{ .Commit }} -X "main.date={{ .Date }}"
Y
run "$XBUILD" check
check "ldflags and binary templates pass check" rc_is 0
run env XBUILD_VERSION=4.5.6 "$XBUILD" build
check "a templated .goreleaser.yaml builds" rc_is 0
check "binary: {{ .ProjectName }}-cli names the binary" [ -x dist/tmplproj_linux_amd64_v1/tmplproj-cli ]
run ./dist/tmplproj_linux_amd64_v1/tmplproj-cli
check "one ldflags string: version, commit and date filled" \
	[ "$OUT" = "hello 4.5.6
commit $(git rev-parse HEAD) $(date -u -d @1700000000 +%Y-%m-%dT%H:%M:%SZ)" ]
rm -rf dist
cat >.goreleaser.yaml <<'Y'
version: 2
builds:
  - main: .
    binary: hi-{{ .Os }}
    goos: [linux]
    goarch: [amd64]
    ldflags:
      - -s -w
      - -X main.version={{ .Version }}
      - -X main.commit={{ .ShortCommit }}
Y
run env XBUILD_VERSION=7.0.0 "$XBUILD" build
check "the list form builds" rc_is 0
check "no project_name: the folder is named for the program" [ -x dist/hello_linux_amd64_v1/hi-linux ]
run ./dist/hello_linux_amd64_v1/hi-linux
check "the list form: version and short commit filled" \
	[ "$OUT" = "hello 7.0.0
commit $(git rev-parse --short HEAD) " ]
rm -rf dist
sed -i 's/{{ .ShortCommit }}/{{ .ShortComit }}/' .goreleaser.yaml
run "$XBUILD" check
check "an unknown field is refused at check time" rc_is 2
check "with its line and column" \
	contains "$ERR" ".goreleaser.yaml:10:27: unknown field '.ShortComit'"
sed -i 's/hi-{{ .Os }}/"{{ lower .Os }}"/; s/ShortComit/ShortCommit/' .goreleaser.yaml
run "$XBUILD" check
check "an unknown function in binary too, with its position" \
	contains "$ERR" ".goreleaser.yaml:4:17: unknown function 'lower'"
rm .goreleaser.yaml

done_testing
