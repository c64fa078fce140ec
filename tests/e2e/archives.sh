#!/usr/bin/env bash
# Release archives and checksums as GoReleaser users configure them, end
# to end with the real Go, git, tar, unzip, zstd and sha512sum: a
# profile's archives: list (name templates, project files with their own
# mode and time, a wrapping folder, a windows zip override, tar.zst, a
# binary released as it is) and checksum: (sha512, named by a template),
# the times of binaries and entries (the commit's), the same bytes from
# two runs and from shards merged; then a generated .goreleaser.yaml
# released with GoReleaser's default names, files and checksum file.
. "$(dirname "$0")/lib.sh"
need_all go git jq tar unzip zstd sha512sum sha256sum
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
unset SOURCE_DATE_EPOCH XBUILD_VERSION MAKELEVEL MAKEFLAGS
export LC_ALL=C

# a tiny module with the files releases carry
mkdir -p "$T/src/docs" && cd "$T/src" || exit 1
printf 'module example.com/hi\n\ngo 1.21\n' >go.mod
cat >main.go <<'GO'
package main

import "fmt"

var version = "unset"

func main() { fmt.Println("hi", version) }
GO
echo "# hi" >README.md
echo "MIT" >LICENSE
echo "## 1.2.3" >CHANGELOG.md
echo "guide" >docs/guide.md
echo "faq" >docs/faq.md
echo "not a doc" >docs/notes.txt
cat >x.yaml <<'YAML'
version: 1
name: hi
output: "dist/{target}/bin/{name}{ext}"
defaults:
  cgo: "off"
  ldflags: "-X main.version={{ .Version }}"
targets: [linux/amd64, linux/arm/7, windows/amd64]
archives:
  - id: main
    name: "{{ .ProjectName }}_{{ .Version }}_{{ title .Os }}_{{ if eq .Arch \"amd64\" }}x86_64{{ else }}{{ .Arch }}{{ end }}{{ with .Arm }}v{{ . }}{{ end }}"
    formats: [tar.gz]
    format_overrides:
      windows: zip
    files:
      - README*
      - LICENSE
      - src: docs/*.md
        dst: manual
        info: {mode: 0600, mtime: "2020-01-02T03:04:05Z"}
    wrap_in_directory: "{{ .ProjectName }}-{{ .Os }}"
    strip_binary_directory: true
  - id: zst
    name: "{{ .ProjectName }}-{{ .Target }}"
    formats: [tar.zst]
    format_overrides:
      windows: [zip]
  - id: raw
    name: "{{ .Binary }}_{{ .Os }}_{{ .Arch }}"
    formats: [binary]
checksum:
  name: "{{ .ProjectName }}_{{ .Version }}_SHA512SUMS"
  algorithm: sha512
YAML
git init -q . && git add -A &&
	GIT_COMMITTER_DATE=@1700000000 GIT_AUTHOR_DATE=@1700000000 \
	git -c user.name=t -c user.email=t@example.com commit -qm one &&
	git tag v1.2.3
when=$(date -u -d @1700000000 '+%Y-%m-%d %H:%M')

# ---- a profile's archives: and checksum: -------------------------------------
run "$XBUILD" check x.yaml
check "check accepts archives: and checksum:" rc_is 0
run "$XBUILD" release -p x.yaml -o "$T/dist"
check "release exits 0" rc_is 0
cd "$T/dist" || exit 1
sums=hi_1.2.3_SHA512SUMS
check "the checksum file is named by its template" [ -f "$sums" ]
check "no SHA256SUMS beside it" [ ! -e SHA256SUMS ]
run sha512sum -c "$sums"
check "sha512sum -c passes in the release folder" rc_is 0
check "it lists the archives and the raw binaries, flat, by name" \
	[ "$(awk '{print $2}' "$sums" | tr '\n' ' ')" = "hi-linux_amd64.tar.zst hi-linux_arm_7.tar.zst hi-windows_amd64.zip hi_1.2.3_Linux_armv7.tar.gz hi_1.2.3_Linux_x86_64.tar.gz hi_1.2.3_Windows_x86_64.zip hi_linux_amd64 hi_linux_arm hi_windows_amd64.exe " ]
check "sha512 digests, not sha256" [ "$(awk '{print length($1)}' "$sums" | sort -u)" = 128 ]
check "the binaries at their own paths are not listed" lacks "$(cat "$sums")" "bin/hi"

run tar -tvzf hi_1.2.3_Linux_x86_64.tar.gz
check "tar reads the tar.gz" rc_is 0
check "entries sorted, in the wrapping folder, binary without its folder" \
	[ "$(awk '{print $6}' <<<"$OUT" | tr '\n' ' ')" = "hi-linux/LICENSE hi-linux/README.md hi-linux/hi hi-linux/manual/faq.md hi-linux/manual/guide.md " ]
check "the binary: 0755, owner 0/0, the commit's time" \
	grep -q "^-rwxr-xr-x 0/0 .* $when hi-linux/hi\$" <<<"$OUT"
check "a project file: 0644, the commit's time" \
	grep -q "^-rw-r--r-- 0/0 .* $when hi-linux/README.md\$" <<<"$OUT"
check "a files: entry with info: its mode and time" \
	grep -q "^-rw------- 0/0 .* 2020-01-02 03:04 hi-linux/manual/guide.md\$" <<<"$OUT"
check "a glob takes only what it matches" lacks "$OUT" "notes.txt"
check "the binary in it is the released one" \
	cmp -s <(tar -xOzf hi_1.2.3_Linux_x86_64.tar.gz hi-linux/hi) linux-amd64/bin/hi
run unzip -Z hi_1.2.3_Windows_x86_64.zip
check "windows: a zip, by format_overrides" rc_is 0
check "the zip holds hi.exe in its folder" contains "$OUT" "hi-windows/hi.exe"
check "and the project files" contains "$OUT" "hi-windows/manual/faq.md"
run tar --zstd -tvf hi-linux_arm_7.tar.zst
check "tar.zst: zstd-compressed, tar reads it" rc_is 0
check "tar.zst: no folder, no files, the binary at its path below the target" \
	[ "$(awk '{print $6}' <<<"$OUT")" = "bin/hi" ]
check "tar.zst is zstd" [ "$(head -c 4 hi-linux_arm_7.tar.zst | od -An -tx1 | tr -d ' ')" = 28b52ffd ]
check "format binary: the binary as it is, renamed" cmp -s hi_linux_amd64 linux-amd64/bin/hi
check "format binary on windows keeps .exe" cmp -s hi_windows_amd64.exe windows-amd64/bin/hi.exe
check "binaries carry the commit's time" [ "$(stat -c %Y linux-arm-7/bin/hi)" = 1700000000 ]
run ./linux-amd64/bin/hi
check "the binary prints the version" [ "$OUT" = "hi 1.2.3" ]

run jq -r '.checksum.name, .checksum.algorithm,
	([.artifacts[] | select(.asset)] | length),
	([.artifacts[] | select(.kind == "archive")] | length),
	(.artifacts[] | select(.kind == "checksum") | .path)' manifest.json
check "manifest: the checksum file, its assets and archives" [ "$OUT" = "$sums
sha512
9
9
$sums" ]
run jq -r --arg s "$(sha256sum "$sums" | cut -c1-64)" \
	'.artifacts[] | select(.kind == "checksum") | .sha256 == $s' manifest.json
check "manifest: the checksum file's sha256" [ "$OUT" = true ]
run jq -r '.artifacts[] | select(.path == "hi_1.2.3_Linux_x86_64.tar.gz") |
	"\(.id) \(.format) \(.contents | join(","))"' manifest.json
check "manifest: an archive's id, format and contents" \
	[ "$OUT" = "main tar.gz hi-linux/LICENSE,hi-linux/README.md,hi-linux/hi,hi-linux/manual/faq.md,hi-linux/manual/guide.md" ]
cd "$T/src" || exit 1

run "$XBUILD" release -p x.yaml -o "$T/dist2"
check "a second release exits 0" rc_is 0
run diff -r "$T/dist" "$T/dist2"
check "and is byte-identical: archives, raw binaries, checksums, manifest" rc_is 0

# ---- shards, merged ----------------------------------------------------------
for k in 1 2; do
	run "$XBUILD" release -p x.yaml -o "$T/shard$k" --shard "$k/2"
	check "shard $k/2 exits 0" rc_is 0
done
run "$XBUILD" merge -o "$T/merged" "$T/shard1" "$T/shard2"
check "merge of the shards exits 0" rc_is 0
run diff -r "$T/dist" "$T/merged"
check "shards + merge give the same release, checksum file included" rc_is 0
run sh -c "cd '$T/merged' && sha512sum -c $sums"
check "merged: sha512sum -c passes" rc_is 0

# ---- checksum: ids, disable ---------------------------------------------------
sed 's/  algorithm: sha512/  algorithm: sha256\n  ids: [main]/' x.yaml >ids.yaml
run "$XBUILD" release -p ids.yaml -o "$T/dist-ids" -t linux/amd64
check "checksum ids: exits 0" rc_is 0
check "checksum ids: only that archive is listed" \
	[ "$(awk '{print $2}' "$T/dist-ids/$sums")" = hi_1.2.3_Linux_x86_64.tar.gz ]
run sh -c "cd '$T/dist-ids' && sha256sum -c $sums"
check "sha256sum -c passes" rc_is 0
sed 's/  algorithm: sha512/  disable: true/' x.yaml >off.yaml
run "$XBUILD" release -p off.yaml -o "$T/dist-off" -t linux/amd64
check "checksum disable: exits 0" rc_is 0
check "checksum disable: no checksum file" \
	[ -z "$(ls "$T/dist-off" | grep -i -e sum -e checksum)" ]

# ---- refusals ------------------------------------------------------------------
sed 's/name: "{{ .ProjectName }}-{{ .Target }}"/name: "{{ .ProjectName }}"/' x.yaml >clash.yaml
run "$XBUILD" release -p clash.yaml -o "$T/dist-clash"
check "two archives of one name: exit 2" rc_is 2
check "saying so" contains "$ERR" "archive 'hi.tar.zst' would overwrite an archive"
check "nothing released" [ ! -e "$T/dist-clash" ]
sed 's/name: "{{ .ProjectName }}_{{ .Version }}_SHA512SUMS"/name: "..\/{{ .ProjectName }}"/' x.yaml >up.yaml
run "$XBUILD" release -p up.yaml -o "$T/dist-up"
check "a checksum name outside the folder: exit 2" rc_is 2
check "saying so" contains "$ERR" "checksum file name '../hi' is not a path inside the release folder"

# ---- a .goreleaser.yaml with GoReleaser's defaults ------------------------------
rm x.yaml ids.yaml off.yaml clash.yaml up.yaml
cat >.goreleaser.yaml <<'YAML'
version: 2
project_name: grproj
builds:
  - main: .
    binary: grbin
    env: [CGO_ENABLED=0]
    goos: [linux, windows]
    goarch: [amd64, arm64]
    ldflags: ["-s -w -X main.version={{ .Version }}"]
archives:
  - formats: [tar.gz]
    format_overrides:
      - goos: windows
        formats: [zip]
checksum:
  algorithm: sha512
YAML
git add -A && GIT_COMMITTER_DATE=@1700000100 GIT_AUTHOR_DATE=@1700000100 \
	git -c user.name=t -c user.email=t@example.com commit -qm two &&
	git tag v2.0.0
run "$XBUILD" release -o "$T/gr"
check "a .goreleaser.yaml release exits 0" rc_is 0
cd "$T/gr" || exit 1
check "GoReleaser's archive names" \
	[ "$(ls grproj_2.0.0_* | tr '\n' ' ')" = "grproj_2.0.0_checksums.txt grproj_2.0.0_linux_amd64.tar.gz grproj_2.0.0_linux_arm64.tar.gz grproj_2.0.0_windows_amd64.zip grproj_2.0.0_windows_arm64.zip " ]
run sha512sum -c grproj_2.0.0_checksums.txt
check "GoReleaser's checksum name, sha512sum -c passes" rc_is 0
check "it lists the four archives" [ "$(wc -l <grproj_2.0.0_checksums.txt)" -eq 4 ]
run tar -tvzf grproj_2.0.0_linux_arm64.tar.gz
check "GoReleaser's default files, no folder, the binary by its name" \
	[ "$(awk '{print $6}' <<<"$OUT" | tr '\n' ' ')" = "CHANGELOG.md LICENSE README.md grbin " ]
check "entries at the commit's time" \
	[ "$(awk '{print $4, $5}' <<<"$OUT" | sort -u)" = "$(date -u -d @1700000100 '+%Y-%m-%d %H:%M')" ]
run unzip -Z1 grproj_2.0.0_windows_amd64.zip
check "windows zip: grbin.exe and the files" [ "$(echo $OUT)" = "CHANGELOG.md LICENSE README.md grbin.exe" ]
run sh -c "tar -xOzf grproj_2.0.0_linux_amd64.tar.gz grbin >'$T/grbin' && chmod +x '$T/grbin' && '$T/grbin'"
check "the archived binary prints its version" [ "$OUT" = "hi 2.0.0" ]

done_testing
