#!/usr/bin/env bash
# A release of the examples with every artifact a release carries: archives
# with README and LICENSE, a checksum file, an SBOM per binary, a universal
# darwin binary and .deb/.rpm packages.  The same bytes from two runs and
# from three shards merged; every file read back by the standard tool:
# tar and unzip, sha256sum -c, jq (SBOMs), llvm-lipo, dpkg-deb, rpm.
. "$(dirname "$0")/lib.sh"
need_all go git jq tar unzip sha256sum llvm-lipo-14 dpkg-deb rpm
export GOPROXY=off GOTOOLCHAIN=local GOSUMDB=off GOFLAGS=-mod=mod
unset SOURCE_DATE_EPOCH XBUILD_VERSION MAKELEVEL MAKEFLAGS
export LC_ALL=C TZ=UTC

mkdir -p "$T/src" && cd "$T/src" || exit 1
cp -r "$TOP/examples/go.mod" "$TOP/examples/hello" .
echo "# hello" >README.md
echo "MIT License" >LICENSE
cat >xbuild.yaml <<'Y'
version: 1
name: hello
main: ./hello
output: "dist/{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}/hello{ext}"
universal: true
defaults:
  cgo: "off"
  ldflags: "-X main.version={{ .Version }}"
targets: [linux/amd64, linux/arm64, linux/arm/7, windows/amd64, darwin/amd64, darwin/arm64]
archives:
  - id: default
    name: "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}"
    formats: [tar.gz]
    format_overrides:
      windows: zip
    files: [README*, LICENSE*]
checksum:
  name: "{{ .ProjectName }}_{{ .Version }}_checksums.txt"
packages:
  formats: [deb, rpm]
  maintainer: "Jane Doe <jane@example.org>"
  description: Says hello.
  license: MIT
Y
git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init && git tag v1.4.0

run "$XBUILD" release -o "$T/r1"
check "the release exits 0" rc_is 0
R=$T/r1
check "archives, with README and LICENSE" \
	[ "$(tar -tzf "$R/hello_1.4.0_linux_arm64.tar.gz" | sort | tr '\n' ' ')" = "LICENSE README.md hello " ]
check "windows: a zip" [ "$(unzip -Z1 "$R/hello_1.4.0_windows_amd64.zip" | sort | tr '\n' ' ')" = "LICENSE README.md hello.exe " ]
(cd "$R" && sha256sum -c --quiet hello_1.4.0_checksums.txt) >/dev/null 2>&1
check "the checksum file passes sha256sum -c in the folder" [ $? -eq 0 ]
check "it lists the archives, packages and the universal binary by name" \
	grep -q ' darwin_all/hello$' "$R/hello_1.4.0_checksums.txt" &&
	grep -q ' hello_1.4.0_linux_amd64.tar.gz$' "$R/hello_1.4.0_checksums.txt" &&
	grep -q ' hello_1.4.0_amd64.deb$' "$R/hello_1.4.0_checksums.txt" &&
	grep -q ' hello-1.4.0-1.armv7hl.rpm$' "$R/hello_1.4.0_checksums.txt"
check "an SBOM per binary, CycloneDX with the main module" \
	[ "$(jq -r '.bomFormat + " " + .specVersion + " " + .metadata.component.name' "$R/linux_amd64/hello.cdx.json")" = "CycloneDX 1.5 example.com/xbuild-examples" ]
check "six binaries, six SBOMs" [ "$(jq '[.artifacts[] | select(.kind == "sbom")] | length' "$R/manifest.json")" -eq 6 ]
run llvm-lipo-14 -info "$R/darwin_all/hello"
check "a universal darwin binary, read by llvm-lipo" contains "$OUT" "are: x86_64 arm64"
run dpkg-deb --field "$R"/hello_1.4.0_amd64.deb Package Version Architecture
check "a .deb, read by dpkg-deb" [ "$OUT" = "Package: hello
Version: 1.4.0
Architecture: amd64" ]
run rpm -qp --qf '%{NAME} %{VERSION} %{ARCH}\n' "$R"/hello-1.4.0-1.aarch64.rpm
check "an .rpm, read by rpm" [ "$OUT" = "hello 1.4.0 aarch64" ]
check "the manifest lists every kind" \
	[ "$(jq -r '[.artifacts[].kind] | unique | join(" ")' "$R/manifest.json")" = "archive binary checksum package sbom universal" ]

run "$XBUILD" release -o "$T/r2"
check "a second release" rc_is 0
run diff -r "$T/r1" "$T/r2"
check "byte for byte the same" rc_is 0
for k in 1 2 3; do
	run "$XBUILD" release -o "$T/s$k" --shard "$k/3"
	check "shard $k/3" rc_is 0
done
run "$XBUILD" merge -o "$T/merged" "$T/s1" "$T/s2" "$T/s3"
check "the shards merge" rc_is 0
run diff -r "$T/r1" "$T/merged"
check "and the merge is the whole release, byte for byte" rc_is 0

done_testing
