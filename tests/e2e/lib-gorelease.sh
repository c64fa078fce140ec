# lib-gorelease.sh: sourced, after lib.sh, by the tests that hold xbuild to
# one Go release other than the machine's (go119.sh: Debian's Go 1.19;
# go127.sh: Go 1.27.3 through GOTOOLCHAIN).  gorelease_suite runs the
# article's cases, one cgo cross build and one release with that Go, and
# pins what differs by version.
#
#   GOREL_ARGS    xbuild's options that select the Go (an array)
#   GOREL_VERSION the version every artifact's build info must name
#   GOREL_MINOR   its minor version (19, 27)
#   GOREL_MACOS   the oldest macOS its darwin/amd64 binaries run on

# gofact FILE EXPR: one fact of xbuild inspect --json (jq)
gofact() { "$XBUILD" inspect --json "$1" | jq -r "$2"; }
goset() { gofact "$1" ".go.settings[\"$2\"] // \"-\""; }

# gobuild NAME ARGS...: xbuild with the suite's Go, the artifact at out/NAME
gobuild() {
	local name=$1
	shift
	run "$XBUILD" "${GOREL_ARGS[@]}" -o "out/$name" "$@"
}

# built NAME WHAT EXPECT: built, verified against EXPECT, made by the Go
built() {
	check "$GOREL_VERSION $2: built (exit 0)" rc_is 0
	run "$XBUILD" verify --expect "$3" "out/$1"
	check "$GOREL_VERSION $2: verify --expect $3" rc_is 0
	check "$GOREL_VERSION $2: build info says $GOREL_VERSION" \
		[ "$(gofact "out/$1" .go.version)" = "$GOREL_VERSION" ]
}

gorelease_suite() {
	need_all go jq file qemu-aarch64 aarch64-linux-gnu-gcc sha256sum
	export GOPROXY=off GOSUMDB=off GOFLAGS=
	cp -r "$TOP/examples" "$T/ex"
	cd "$T/ex" || exit 1

	run "$XBUILD" plan "${GOREL_ARGS[@]}" --format json -t linux/amd64 ./hello
	check "$GOREL_VERSION: plan names the Go it uses" \
		[ "$(printf '%s' "$OUT" | jq -r .go.version)" = "$GOREL_VERSION" ]

	# ---- the article ------------------------------------------------------
	gobuild hello -t linux/amd64 ./hello
	built hello "pure Go" linkage=static,cgo=0,arch=amd64
	check "$GOREL_VERSION pure Go: file says static" contains "$(file -b out/hello)" "statically linked"
	check "$GOREL_VERSION pure Go: runs" [ "$(./out/hello)" = "hi, user" ]

	gobuild net-dyn -t linux/amd64 --dynamic --cgo on ./netcidr
	built net-dyn "net with cgo" linkage=dynamic,needed=libc.so.6,cgo=1
	check "$GOREL_VERSION net with cgo: file says dynamic" contains "$(file -b out/net-dyn)" "dynamically linked"

	gobuild net-static -t linux/amd64 --static ./netcidr
	built net-static "net --static (netgo)" linkage=static,cgo=0
	gobuild user-static -t linux/amd64 --static ./whoami
	built user-static "os/user --static (osusergo)" linkage=static

	gobuild cgo-static -t linux/amd64 --static ./cgohash
	built cgo-static "cgo --static (external linker)" linkage=static,cgo=1,libc=glibc
	check "$GOREL_VERSION cgo --static: file says static" contains "$(file -b out/cgo-static)" "statically linked"
	run ./out/cgo-static
	check "$GOREL_VERSION cgo --static: runs" rc_is 0

	gobuild small -t linux/amd64 --strip ./hello
	built small "--strip (-s -w)" stripped=true
	check "$GOREL_VERSION --strip: file says stripped" contains "$(file -b out/small)" ", stripped"

	# -buildmode is in the build info from Go 1.20 on; before, only the
	# headers tell, and xbuild must not call the artifact broken
	gobuild pie -t linux/amd64 --buildmode pie ./hello
	built pie "--buildmode pie" linkage=dynamic,pie=true
	run "$XBUILD" plan "${GOREL_ARGS[@]}" -t linux/amd64 --buildmode pie ./hello
	if [ "$GOREL_MINOR" -lt 20 ]; then
		check "$GOREL_VERSION pie: no -buildmode in the build info" [ "$(goset out/pie -buildmode)" = - ]
		check "$GOREL_VERSION pie: the plan says why it is not held to it" \
			contains "$OUT" "records no -buildmode (Go 1.20 and later do)"
	else
		check "$GOREL_VERSION pie: -buildmode=pie in the build info" [ "$(goset out/pie -buildmode)" = pie ]
		check "$GOREL_VERSION pie: and in the expectation" contains "$OUT" "-buildmode=pie"
	fi

	# a static external link of a package that needs no cgo of its own:
	# before Go 1.21 runtime/cgo is missing and the binary would crash
	gobuild spie -t linux/amd64 --static-pie --cgo on ./netcidr
	if [ "$GOREL_MINOR" -lt 21 ]; then
		check "$GOREL_VERSION static-pie of net: refused before building" rc_is 1
		check "$GOREL_VERSION static-pie of net: names golang/go#31544" contains "$ERR" "golang/go#31544"
		check "$GOREL_VERSION static-pie of net: nothing built" [ ! -e out/spie ]
	else
		built spie "static-pie of net" linkage=static-pie
		check "$GOREL_VERSION static-pie: file says static-pie" contains "$(file -b out/spie)" "static-pie linked"
	fi

	# GOARM64 is a setting from Go 1.23 on
	gobuild arm-cgo -t linux/arm64 --static ./cgohash
	built arm-cgo "cgo cross linux/arm64 --static" linkage=static,arch=arm64,cgo=1
	run qemu-aarch64 out/arm-cgo
	check "$GOREL_VERSION cgo cross linux/arm64: runs under qemu" rc_is 0
	if [ "$GOREL_MINOR" -lt 23 ]; then
		check "$GOREL_VERSION arm64: no GOARM64 in the build info" [ "$(goset out/arm-cgo GOARM64)" = - ]
	else
		check "$GOREL_VERSION arm64: GOARM64=v8.0 in the build info" [ "$(goset out/arm-cgo GOARM64)" = v8.0 ]
	fi

	# the oldest macOS the binary runs on moves with Go (LC_BUILD_VERSION)
	gobuild mac -t darwin/amd64 ./hello
	built mac "darwin/amd64" format=macho,arch=amd64
	check "$GOREL_VERSION darwin/amd64: runs on macOS $GOREL_MACOS or later" \
		[ "$(gofact out/mac .min_os)" = "$GOREL_MACOS" ]

	# ---- one release ------------------------------------------------------
	cat >"$T/rel.yaml" <<'EOF'
version: 1
name: hello
main: [./hello]
defaults:
  linkage: static
  cgo: "off"
  reproducible: true
  archives: [tar.gz]
targets:
  - target: linux/amd64
  - target: windows/amd64
    archives: [zip]
EOF
	run env SOURCE_DATE_EPOCH=1700000000 "$XBUILD" release "${GOREL_ARGS[@]}" -p "$T/rel.yaml" -o "$T/dist" --version 1.0.0
	check "$GOREL_VERSION release: exit 0" rc_is 0
	run sh -c "cd '$T/dist' && sha256sum -c SHA256SUMS"
	check "$GOREL_VERSION release: sha256sum -c SHA256SUMS" rc_is 0
	check "$GOREL_VERSION release: manifest.json records $GOREL_VERSION" \
		[ "$(jq -r '[.. | objects | .go? // empty | strings] | unique | join(",")' "$T/dist/manifest.json")" = "$GOREL_VERSION" ]
}
