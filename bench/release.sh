# Release of six targets of examples/hello (linux amd64, arm64, 386, arm/7,
# darwin/arm64, windows/amd64; pure Go, stripped, reproducible):
#   `xbuild release` (build, verify, archive, manifest, SHA256SUMS, atomic)
# against a hand-written script of the same `go build` lines, `sha256sum`
# and `tar`/`zip` with the same deterministic options, run one build after
# another and all at once.  Cold: each run starts with an empty Go cache
# (one run each: they take minutes); warm: best of 3 on a filled cache.
# The hand script's binaries are checked to be the release's, byte for
# byte, so both do the same work (and xbuild more: an SBOM per binary).
. "$(dirname "$0")/lib.sh"
command -v go >/dev/null || { echo "skip: no go"; exit 0; }
for t in sha256sum tar gzip zip; do
	command -v $t >/dev/null || { echo "skip: $t missing"; exit 0; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/xbuild-bench.XXXXXX")
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS= SOURCE_DATE_EPOCH=1700000000
cp -r "$TOP/examples/go.mod" "$TOP/examples/hello" "$W/"
cd "$W" || exit 1
cp "$TOP/tests/fixtures/release/six-targets.yaml" "$W/rel.yaml"

xb() {
	rm -rf "$W/xb"
	"$XBUILD" release -p "$W/rel.yaml" -o "$W/xb" --version 1.0.0
}

# The script a user would write: the lines `xbuild plan --format shell`
# shows, by hand.
one() { # dir os arch [VAR=value...] -- ldflags
	local d=$1 os=$2 arch=$3 ext=
	shift 3
	[ "$os" = windows ] && ext=.exe
	local ld="-s -w -buildid="
	[ "$os" = darwin ] && ld="-w -buildid="
	env CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$@" go build \
		-o "$W/hand/$d/hello$ext" -trimpath -buildvcs=false "-ldflags=$ld" ./hello
}
builds() { # seq|par
	local amp=
	[ "$1" = par ] && amp='&'
	eval "one hello-1.0.0-linux-amd64 linux amd64 GOAMD64=v1 $amp
	one hello-1.0.0-linux-arm64 linux arm64 $amp
	one hello-1.0.0-linux-386 linux 386 GO386=sse2 $amp
	one hello-1.0.0-linux-arm7 linux arm GOARM=7 $amp
	one hello-1.0.0-darwin-arm64 darwin arm64 $amp
	one hello-1.0.0-windows-amd64 windows amd64 GOAMD64=v1 $amp
	wait"
}
hand() { # seq|par
	rm -rf "$W/hand" && mkdir -p "$W/hand" || return 1
	builds "$1" || return 1
	[ "$(ls "$W/hand" | wc -l)" -eq 6 ] || return 1
	(
		cd "$W/hand" || exit 1
		for d in hello-1.0.0-*; do
			if [ "$d" = hello-1.0.0-windows-amd64 ]; then
				touch -d "@$SOURCE_DATE_EPOCH" "$d" "$d"/*
				TZ=UTC zip -X -q -r "$d.zip" "$d" || exit 1
			else
				tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 \
					--group=0 --numeric-owner -cf - "$d" | gzip -n >"$d.tar.gz" || exit 1
			fi
		done
		sha256sum hello-1.0.0-*/* hello-1.0.0-*.* >SHA256SUMS
	)
}

# cold: a new, empty Go cache for each run
cold() {
	rm -rf "$W/gocache" && mkdir -p "$W/gocache"
	GOCACHE=$W/gocache time_ms "$@"
}
# alternated (script, xbuild, xbuild, script) so that neither gains from
# going second on a shared machine; the better of two each
ch1=$(cold hand par)
[ -f "$W/hand/SHA256SUMS" ] || { echo "FAIL: the hand-written script"; exit 1; }
cx1=$(cold xb)
[ -f "$W/xb/SHA256SUMS" ] || { echo "FAIL: xbuild release"; exit 1; }
cx2=$(cold xb)
ch2=$(cold hand par)
cx=$((cx1 < cx2 ? cx1 : cx2)) ch=$((ch1 < ch2 ? ch1 : ch2))
# (the binaries: xbuild also writes an SBOM beside each, which the
# script does not)
for b in $(cd "$W/hand" && ls -d hello-1.0.0-*/*); do
	cmp -s "$W/xb/$b" "$W/hand/$b" || { echo "FAIL: $b differs from the hand-built one"; exit 1; }
done

# warm: the cache the cold runs filled
export GOCACHE=$W/gocache
bx= bs= bp=
for _ in 1 2 3; do
	x=$(best_of_us 1 xb)
	s=$(best_of_us 1 hand seq)
	p=$(best_of_us 1 hand par)
	[ -z "$bx" ] || [ "$x" -lt "$bx" ] && bx=$x
	[ -z "$bs" ] || [ "$s" -lt "$bs" ] && bs=$s
	[ -z "$bp" ] || [ "$p" -lt "$bp" ] && bp=$p
done
echo "release of 6 targets (build, checksums, archives; xbuild also verifies, writes an SBOM per binary and a manifest):"
echo "  cold Go cache, best of 2:"
echo "    xbuild release:                     $cx ms"
echo "    script, go builds all at once:      $ch ms"
echo "    ratio xbuild/script: $(ratio "$cx" "$ch")"
echo "  warm Go cache, best of 3:"
echo "    xbuild release:                     $((bx / 1000)) ms"
echo "    script, go builds one by one:       $((bs / 1000)) ms"
echo "    script, go builds all at once:      $((bp / 1000)) ms"
echo "    ratio xbuild/script one by one: $(ratio "$bx" "$bs")"
echo "    ratio xbuild/script all at once: $(ratio "$bx" "$bp")"
