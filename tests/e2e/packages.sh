#!/usr/bin/env bash
# Linux packages written by xbuild release (packages: deb, rpm), read back
# by the distributions' own tools: dpkg-deb and dpkg (installed into a
# throwaway root), rpm (-qip, -qlp, --requires, -K, installed into a
# throwaway root) and rpm2cpio | cpio.  The real Go builds a static
# release and a dynamic cgo one, whose glibc floor (proved by the checker)
# becomes the packages' libc dependency.  Two runs give the same bytes.
. "$(dirname "$0")/lib.sh"
need_all go jq dpkg-deb dpkg rpm rpm2cpio cpio
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
export SOURCE_DATE_EPOCH=1700000000 TZ=UTC

mkdir -p "$T/src"
cp -r "$TOP/examples/go.mod" "$TOP/examples/hello" "$T/src/"
cd "$T/src" || exit 1
printf 'hello, documented\n' >README.md
printf 'greeting = hi\n' >hello.conf
cat >rel.yaml <<'YAML'
version: 1
name: hello
main: [./hello]
output: "dist/{name}-{os}-{arch}{variant}/{name}{ext}"
defaults:
  linkage: static
  cgo: "off"
  strip: true
  reproducible: true
targets:
  - target: linux/amd64
    cgo: "on"
    linkage: dynamic
  - target: linux/arm64
  - target: linux/arm/7
  - target: windows/amd64
packages:
  formats: [deb, rpm]
  maintainer: "Jane Doe <jane@example.org>"
  description: |
    Says hello.
    It greets whoever runs it.
  license: MIT
  vendor: Example
  homepage: https://example.org/hello
  contents:
    - src: README.md
      dst: /usr/share/doc/hello/README.md
    - src: hello.conf
      dst: /etc/hello.conf
      mode: "0600"
  dependencies: [ca-certificates, "tzdata (>= 2020a)"]
YAML

run "$XBUILD" release -p rel.yaml -o "$T/dist" --version v1.2.3-rc1
check "release with packages: exits 0" rc_is 0
D=$T/dist
deb64=$D/hello_1.2.3~rc1_amd64.deb debarm=$D/hello_1.2.3~rc1_arm64.deb
debhf=$D/hello_1.2.3~rc1_armhf.deb
rpm64=$D/hello-1.2.3~rc1-1.x86_64.rpm rpmarm=$D/hello-1.2.3~rc1-1.aarch64.rpm
rpmhf=$D/hello-1.2.3~rc1-1.armv7hl.rpm
check "a .deb and an .rpm per linux target, named by Debian's and RPM's architectures" \
	[ -f "$deb64" ] && [ -f "$debarm" ] && [ -f "$debhf" ] && [ -f "$rpm64" ] && \
	[ -f "$rpmarm" ] && [ -f "$rpmhf" ]
check "no package of the windows target" \
	[ "$(ls "$D" | grep -c -e '\.deb$' -e '\.rpm$')" -eq 6 ]
check "the summary counts the packages (4 binaries, their SBOMs, 6 packages)" contains "$OUT" "released 14 artifacts (4 targets)"

run "$XBUILD" check --print rel.yaml
printf '%s\n' "$OUT" >printed.yaml
check "check --print shows packages:" \
	eval 'contains "$OUT" "packages:
  formats: [\"deb\", \"rpm\"]" && contains "$OUT" "      mode: \"0600\""'
run "$XBUILD" check --print printed.yaml
check "the printed packages: load again to the same thing" \
	[ "$OUT" = "$(cat printed.yaml)" ]
run sh -c "'$XBUILD' check --json rel.yaml | jq -c '.packages | [.formats, .maintainer, .contents[1].mode, .dependencies[1]]'"
check "check --json: packages" \
	[ "$OUT" = '[["deb","rpm"],"Jane Doe <jane@example.org>",384,"tzdata (>= 2020a)"]' ]

# ---- the .deb ------------------------------------------------------------
glibc=$(jq -r '.artifacts[] | select(.kind == "binary" and .target == "linux/amd64") | .facts.glibc_max' "$D/manifest.json")
check "the dynamic binary has a proved glibc floor" contains "$glibc" "2."
run dpkg-deb --info "$deb64"
check "dpkg-deb --info reads it" rc_is 0
check "deb: Package, Version (v and - made Debian's)" \
	eval 'contains "$OUT" " Package: hello" && contains "$OUT" " Version: 1.2.3~rc1"'
check "deb: Architecture amd64, Maintainer, Homepage" \
	eval 'contains "$OUT" " Architecture: amd64" && contains "$OUT" " Maintainer: Jane Doe <jane@example.org>" && contains "$OUT" " Homepage: https://example.org/hello"'
check "deb: Depends: the profile's, then libc6 at the proved glibc floor" \
	contains "$OUT" " Depends: ca-certificates, tzdata (>= 2020a), libc6 (>= $glibc)"
check "deb: Description with its long text" \
	eval 'contains "$OUT" " Description: Says hello." && contains "$OUT" "  It greets whoever runs it."'
check "deb: md5sums" contains "$OUT" " md5sums"
run dpkg-deb --field "$debarm" Depends Architecture
check "deb of a static binary: no libc dependency" \
	[ "$OUT" = "Depends: ca-certificates, tzdata (>= 2020a)
Architecture: arm64" ]
run dpkg-deb --field "$debhf" Architecture
check "deb of linux/arm/7: armhf" [ "$OUT" = armhf ]
run dpkg-deb --contents "$deb64"
check "deb contents: the binary in /usr/bin, root's, 0755, at the release time" \
	contains "$OUT" "-rwxr-xr-x root/root   $(stat -c %s "$D/hello-linux-amd64/hello") 2023-11-14 22:13 ./usr/bin/hello"
check "deb contents: the profile's files with their modes" \
	eval 'contains "$OUT" "-rw-r--r-- root/root" && contains "$OUT" "./usr/share/doc/hello/README.md" && contains "$OUT" "-rw------- root/root        14 2023-11-14 22:13 ./etc/hello.conf"'
check "deb contents: folders before what they hold" \
	[ "$(printf '%s\n' "$OUT" | awk '{print $6}' | head -4 | tr '\n' ' ')" = "./ ./etc/ ./etc/hello.conf ./usr/ " ]

mkdir -p "$T/droot/var/lib/dpkg/info" "$T/droot/var/lib/dpkg/updates"
: >"$T/droot/var/lib/dpkg/status"
run dpkg --root="$T/droot" --force-depends --force-not-root -i "$deb64"
check "dpkg installs it into a throwaway root" rc_is 0
check "the installed binary is the release's binary" \
	cmp -s "$T/droot/usr/bin/hello" "$D/hello-linux-amd64/hello"
run "$T/droot/usr/bin/hello"
check "the installed binary runs" rc_is 0
run dpkg --root="$T/droot" -L hello
check "dpkg lists its files" \
	eval 'contains "$OUT" "/usr/bin/hello" && contains "$OUT" "/etc/hello.conf"'
run dpkg --root="$T/droot" -s hello
check "dpkg: installed" contains "$OUT" "Status: install ok installed"
run dpkg --root="$T/droot" -V hello
check "dpkg -V: the installed files match md5sums" eval 'rc_is 0 && [ -z "$OUT" ]'
check "deb: a copyright file names the license" \
	[ "$(cat "$T/droot/usr/share/doc/hello/copyright")" = "Upstream-Name: hello
Source: https://example.org/hello

Files: *
Copyright: Example
License: MIT" ]

# ---- the .rpm ------------------------------------------------------------
run rpm -qip "$rpm64"
check "rpm -qip reads it without a warning" eval 'rc_is 0 && [ -z "$ERR" ]'
check "rpm: Name, Version, Release, Architecture" \
	eval 'contains "$OUT" "Name        : hello" && contains "$OUT" "Version     : 1.2.3~rc1" && contains "$OUT" "Release     : 1" && contains "$OUT" "Architecture: x86_64"'
check "rpm: License, Vendor, Packager, URL, Summary" \
	eval 'contains "$OUT" "License     : MIT" && contains "$OUT" "Vendor      : Example" && contains "$OUT" "Packager    : Jane Doe <jane@example.org>" && contains "$OUT" "URL         : https://example.org/hello" && contains "$OUT" "Summary     : Says hello."'
check "rpm: Build Date is the release time" contains "$OUT" "Build Date  : Tue Nov 14 22:13:20 2023"
check "rpm: a binary package (its source package named)" contains "$OUT" "Source RPM  : hello-1.2.3~rc1-1.src.rpm"
run rpm -qlp "$rpm64"
check "rpm -qlp lists the files" [ "$OUT" = "/etc/hello.conf
/usr/bin/hello
/usr/share/doc/hello/README.md" ]
run rpm -qp --requires "$rpm64"
check "rpm requires: the profile's dependencies" \
	eval 'contains "$OUT" "ca-certificates" && contains "$OUT" "tzdata >= 2020a"'
check "rpm requires: the glibc floor, as rpm names it" \
	eval 'contains "$OUT" "libc.so.6(GLIBC_$glibc)(64bit)" && contains "$OUT" "libc.so.6()(64bit)"'
run rpm -qp --requires "$rpmarm"
check "rpm of a static binary: no libc dependency" lacks "$OUT" "libc.so"
run rpm -qp --provides "$rpm64"
check "rpm provides itself" [ "$OUT" = "hello = 1.2.3~rc1-1" ]
run rpm -qp --qf '%{ARCH}\n' "$rpmhf"
check "rpm of linux/arm/7: armv7hl" [ "$OUT" = armv7hl ]
run rpm -Kv --nosignature "$rpm64"
check "rpm -K: header and payload digests OK" \
	eval 'rc_is 0 && contains "$OUT" "Header SHA256 digest: OK" && contains "$OUT" "Payload SHA256 digest: OK"'
run rpm -qp --dump "$rpm64"
check "rpm --dump: the file digest, mode and owner" \
	contains "$OUT" "/usr/bin/hello $(stat -c %s "$D/hello-linux-amd64/hello") 1700000000 $(sha256sum <"$D/hello-linux-amd64/hello" | cut -c1-64) 0100755 root root"
mkdir -p "$T/cpio"
run sh -c "rpm2cpio '$rpm64' | (cd '$T/cpio' && cpio -idmv 2>&1)"
check "rpm2cpio | cpio reads the payload" \
	eval 'contains "$OUT" "./usr/bin/hello" && contains "$OUT" "./etc/hello.conf"'
check "the payload's binary is the release's binary" \
	cmp -s "$T/cpio/usr/bin/hello" "$D/hello-linux-amd64/hello"
mkdir -p "$T/rroot"
run rpm --root "$T/rroot" --initdb
run rpm --root "$T/rroot" -i --nodeps "$rpm64"
check "rpm installs it into a throwaway root" rc_is 0
run rpm --root "$T/rroot" -V --nodeps hello
check "rpm -V: the installed files match the header" eval 'rc_is 0 && [ -z "$OUT" ]'
run "$T/rroot/usr/bin/hello"
check "the rpm-installed binary runs" rc_is 0

# ---- the release ---------------------------------------------------------
run jq -e '[.artifacts[] | select(.kind == "package")] | length == 6 and all(.[];
	(.sha256 | test("^[0-9a-f]{64}$")) and (.format | IN("deb", "rpm"))
	and (.from | length == 1) and (.depends | type == "array"))' "$D/manifest.json"
check "manifest.json lists the six packages (kind package, sha256, from)" rc_is 0
run jq -r '.artifacts[] | select(.path == "hello_1.2.3~rc1_amd64.deb") | .from[0], .target, .sha256' "$D/manifest.json"
check "manifest: a package names the binary it came from and its sha256" \
	[ "$OUT" = "hello-linux-amd64/hello
linux/amd64
$(sha256sum <"$deb64" | cut -c1-64)" ]
run sh -c "cd '$D' && sha256sum -c SHA256SUMS"
check "SHA256SUMS covers the packages" \
	eval 'rc_is 0 && contains "$OUT" "hello-1.2.3~rc1-1.x86_64.rpm: OK"'

run "$XBUILD" release -p rel.yaml -o "$T/dist2" --version v1.2.3-rc1
check "a second release exits 0" rc_is 0
same=0
for f in "$D"/*.deb "$D"/*.rpm; do
	cmp -s "$f" "$T/dist2/${f##*/}" || same=1
done
check "packages are byte-identical across two runs" [ $same -eq 0 ]

# two shards, each with its targets' packages, merge into the whole release
run "$XBUILD" release -p rel.yaml -o "$T/shard1" --version v1.2.3-rc1 --shard 1/2
check "shard 1/2 with packages exits 0" rc_is 0
run "$XBUILD" release -p rel.yaml -o "$T/shard2" --version v1.2.3-rc1 --shard 2/2
check "shard 2/2 with packages exits 0" rc_is 0
run "$XBUILD" merge -o "$T/merged" "$T/shard1" "$T/shard2"
check "shards with a .deb and an .rpm of one target merge" rc_is 0
check "the merged release holds the same packages" \
	[ "$(cd "$T/merged" && sha256sum *.deb *.rpm)" = "$(cd "$D" && sha256sum *.deb *.rpm)" ]

# ---- a GoReleaser file's nfpms -------------------------------------------
mkdir -p "$T/gr" && cp -r "$TOP/examples/go.mod" "$TOP/examples/hello" README.md "$T/gr/"
cat >"$T/gr/.goreleaser.yaml" <<'YAML'
version: 2
project_name: hello
builds:
  - id: hello
    main: ./hello
    binary: hello
    env: [CGO_ENABLED=0]
    goos: [linux]
    goarch: [amd64]
nfpms:
  - id: pkgs
    package_name: hello-cli
    formats: [deb, rpm, apk]
    maintainer: "Jane Doe <jane@example.org>"
    description: Says hello.
    license: Apache-2.0
    contents:
      - src: README.md
        dst: /usr/share/doc/hello-cli/README.md
        file_info:
          mode: 0640
    dependencies: [ca-certificates]
YAML
run sh -c "cd '$T/gr' && '$XBUILD' release -o '$T/dist-gr' --version v2.0.0"
check "a .goreleaser.yaml with nfpms: released" rc_is 0
check "nfpms: the apk format is skipped with a warning" \
	contains "$ERR" "warning: nfpms: skipped the format 'apk'"
run dpkg-deb --field "$T/dist-gr/hello-cli_2.0.0_amd64.deb" Package Version Depends
check "nfpms: the .deb's package_name, version and dependencies" \
	[ "$OUT" = "Package: hello-cli
Version: 2.0.0
Depends: ca-certificates" ]
run rpm -qp --qf '%{NAME} %{LICENSE}\n' "$T/dist-gr/hello-cli-2.0.0-1.x86_64.rpm"
check "nfpms: the .rpm's name and license" [ "$OUT" = "hello-cli Apache-2.0" ]
run rpm -qp --dump "$T/dist-gr/hello-cli-2.0.0-1.x86_64.rpm"
check "nfpms: file_info mode" contains "$OUT" "/usr/share/doc/hello-cli/README.md 18 1700000000"
check "nfpms: file_info mode 0640" contains "$OUT" " 0100640 root root"

# ---- mistakes ------------------------------------------------------------
sed 's|src: README.md|src: MISSING.md|' rel.yaml >missing.yaml
run "$XBUILD" release -p missing.yaml -o "$T/dist-missing" --version 1.0
check "a missing content file: the release fails, naming it" \
	eval '! rc_is 0 && contains "$ERR" "MISSING.md"'
check "a missing content file: no release folder" [ ! -e "$T/dist-missing" ]
sed 's|^name: hello|name: Hello|' rel.yaml >upper.yaml
run "$XBUILD" release -p upper.yaml -o "$T/dist-upper" --version 1.0
check "a binary name that is no package name, and no packages: name: refused" \
	eval '! rc_is 0 && contains "$ERR" "'"'"'Hello'"'"' is not a package name" && [ ! -e "$T/dist-upper" ]'
sed 's|formats: \[deb, rpm\]|formats: [deb, msi]|' rel.yaml >badfmt.yaml
run "$XBUILD" release -p badfmt.yaml -o "$T/dist-bad" --version 1.0
check "an unknown format: a profile error before any build" \
	eval 'rc_is 2 && contains "$ERR" "badfmt.yaml:" && contains "$ERR" "unknown format '"'"'msi'"'"'" && [ ! -e "$T/dist-bad" ]'

done_testing
