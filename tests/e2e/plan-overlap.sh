#!/usr/bin/env bash
# Planning many targets overlaps their first builds: each plan is made as
# its go list answer comes, and builds start as soon as as many plans as
# may build at once are made, not after the slowest go list.  A go that
# logs when each go list and go build starts and ends, with the go list
# of windows made slow, shows the order.  Also what can only be found
# once a later plan is made: a plan with errors, two targets writing one
# file (the running build is stopped, nothing is left).
. "$(dirname "$0")/lib.sh"
need_all go jq
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS= XBUILD_CACHE=$T/cache
# every plan asks go list itself
export XBUILD_GOLIST_CACHE=off

mkdir -p "$T/m"
cd "$T/m" || exit 1
printf 'module example.com/m\n\ngo 1.21\n' >go.mod
printf 'package main\n\nfunc main() {}\n' >main.go
# the go: "<event> <GOOS>/<GOARCH> <ns>" for each plan's go list (L, its
# end l) and each go build (B, its end b); $T/slow-list says whose go list
# takes how long ("windows/amd64 2"; "fail" after it: then it fails,
# "big": it answers more than xbuild reads),
# $T/slow-build whose build takes 8 s, $T/fail-build whose build fails
cat >"$T/go" <<EOF
#!/bin/sh
log() { echo "\$1 \$GOOS/\$GOARCH \$(date +%s%N)" >>"$T/go.log"; }
me="\$GOOS/\$GOARCH"
case " \$* " in
*" list -deps "*" -f "*)
	log L
	secs=\$(awk -v t="\$me" '\$1 == t { print \$2 }' "$T/slow-list" 2>/dev/null)
	if [ -n "\$secs" ]; then
		sleep "\$secs"
		if grep -q " fail\$" "$T/slow-list"; then
			log l
			echo "no Go files in this test's package" >&2
			exit 1
		fi
		if grep -q " big\$" "$T/slow-list"; then
			head -c 17000000 /dev/zero | tr '\\0' x
			log l
			exit 0
		fi
	fi
	"$(command -v go)" "\$@"
	s=\$?
	log l
	exit \$s ;;
*" build "*)
	log B
	if grep -qx "\$me" "$T/fail-build" 2>/dev/null; then
		log b
		echo "this test's build failure" >&2
		exit 1
	fi
	grep -qx "\$me" "$T/slow-build" 2>/dev/null && sleep 8
	"$(command -v go)" "\$@"
	s=\$?
	log b
	exit \$s ;;
esac
exec "$(command -v go)" "\$@"
EOF
chmod 755 "$T/go"
# at ns: when EVENT TARGET was logged (the first)
at() { awk -v e="$1" -v t="$2" '$1 == e && $2 == t { print $3; exit }' "$T/go.log"; }
before() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -lt "$2" ]; }
b() {
	: >"$T/go.log"
	run "$XBUILD" build --json --go "$T/go" "$@" .
}
targets="-t linux/amd64 -t linux/arm64 -t windows/amd64"

echo "windows/amd64 2" >"$T/slow-list"
: >"$T/slow-build"
b $targets -j2 -o "$T/out/{target}/app"
check "slow go list for windows: built" rc_is 0
check "slow go list for windows: three ok" \
	[ "$(jq -r '[.[] | select(.verdict == "ok")] | length' <<<"$OUT")" = 3 ]
check "both linux builds started before windows's go list ended" \
	eval 'before "$(at B linux/amd64)" "$(at l windows/amd64)" &&
	      before "$(at B linux/arm64)" "$(at l windows/amd64)"'
check "the windows build started once its go list ended" \
	before "$(at l windows/amd64)" "$(at B windows/amd64)"
check "a build started only with its own go list answered" \
	before "$(at l linux/amd64)" "$(at B linux/amd64)"
check "the summary lists the targets in the profile's order" \
	[ "$(jq -r '[.[].target] | join(" ")' <<<"$OUT")" = \
	  "linux/amd64 linux/arm64 windows/amd64" ]

# -j1: the first build starts with its plan alone (and ends before
# windows's go list, made slower for room)
echo "windows/amd64 4" >"$T/slow-list"
b $targets -j1 --force -o "$T/out/{target}/app"
check "-j1, slow go list for windows: built" rc_is 0
check "-j1: linux/amd64 built before windows's go list ended" \
	before "$(at b linux/amd64)" "$(at l windows/amd64)"

# a plan found wrong late: the others are built all the same
echo "windows/amd64 2 fail" >"$T/slow-list"
b $targets -j2 --force -o "$T/out/{target}/app"
check "a go list failing late: exit 1" rc_is 1
check "a go list failing late: the linux targets ok" \
	[ "$(jq -r '[.[] | select(.verdict == "ok") | .target] | join(" ")' <<<"$OUT")" = \
	  "linux/amd64 linux/arm64" ]
check "a go list failing late: windows not planned, and why" \
	[ "$(jq -r '.[2] | .verdict + ": " + (.diagnoses | join(" "))' <<<"$OUT")" = \
	  "not planned: go list .: no Go files in this test's package" ]
check "a go list failing late: the error said on stderr" \
	contains "$ERR" "windows/amd64: "

# two targets writing one file, the second found while the first builds:
# that build is stopped, and nothing is left where either would write
echo "linux/arm64 2" >"$T/slow-list"
echo linux/amd64 >"$T/slow-build"
rm -rf "$T/out"
start=$(date +%s%N)
b -t linux/amd64 -t linux/arm64 -j1 -o "$T/out/app"
took=$((($(date +%s%N) - start) / 1000000))
check "one output for two targets: a usage error" rc_is 2
check "one output for two targets: both named" \
	contains "$ERR" "linux/amd64 and linux/arm64 would both write '$T/out/app'"
check "one output for two targets: the build running was started" \
	[ -n "$(at B linux/amd64)" ]
check "one output for two targets: ... and stopped, not waited for (${took} ms)" \
	[ "$took" -lt 6000 ]
check "one output for two targets: nothing left in the output folder" \
	[ ! -e "$T/out" ]

# a build failing while plans are still made: without -k nothing more
# starts, and the table still lists every target in order
echo "windows/amd64 2" >"$T/slow-list"
: >"$T/slow-build"
echo linux/amd64 >"$T/fail-build"
b $targets -j1 --force -o "$T/out/{target}/app"
check "a build failing early, -j1: exit 1" rc_is 1
check "a build failing early, -j1: every target listed, in order" \
	[ "$(jq -r '[.[] | .target + "=" + .verdict] | join(" ")' <<<"$OUT")" = \
	  "linux/amd64=failed linux/arm64=skipped windows/amd64=skipped" ]
check "a build failing early, -j1: no other build started" \
	[ "$(grep -c '^B ' "$T/go.log")" = 1 ]
b $targets -j1 -k --force -o "$T/out/{target}/app"
check "a build failing early, -j1 -k: exit 1" rc_is 1
check "a build failing early, -j1 -k: the others built" \
	[ "$(jq -r '[.[] | .target + "=" + .verdict] | join(" ")' <<<"$OUT")" = \
	  "linux/amd64=failed linux/arm64=ok windows/amd64=ok" ]
: >"$T/fail-build"

# a plan that cannot be made at all, while a build runs: that build is
# stopped and the run ends with the reason (no table: not every target
# was planned)
echo "windows/amd64 2 big" >"$T/slow-list"
echo linux/amd64 >"$T/slow-build"
rm -rf "$T/out"
start=$(date +%s%N)
b $targets -j2 --force -o "$T/out/{target}/app"
took=$((($(date +%s%N) - start) / 1000000))
check "a plan that cannot be made: exit 1" rc_is 1
check "a plan that cannot be made: why" \
	contains "$ERR" "go list . for windows/amd64: child output is larger than"
check "a plan that cannot be made: the build running was stopped (${took} ms)" \
	[ "$took" -lt 6000 ]
check "a plan that cannot be made: linux/amd64 left nothing" \
	[ ! -e "$T/out/linux-amd64" ]
check "a plan that cannot be made: no table" [ -z "$OUT" ]

# a stop signal while a go list runs: the builds and that go list are
# stopped, not waited for
echo "windows/amd64 20" >"$T/slow-list"
: >"$T/slow-build"
rm -rf "$T/out"
: >"$T/go.log"
start=$(date +%s%N)
"$XBUILD" build --go "$T/go" $targets -j2 --force -o "$T/out/{target}/app" . \
	>"$T/.out" 2>"$T/.err" &
pid=$!
for _ in $(seq 100); do
	[ -n "$(at l linux/arm64)" ] && [ -n "$(at L windows/amd64)" ] && break
	sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
RC=$? ERR=$(cat "$T/.err")
took=$((($(date +%s%N) - start) / 1000000))
check "SIGTERM while a go list runs: exit 143" rc_is 143
check "SIGTERM while a go list runs: over in ${took} ms, not the go list's 20 s" \
	[ "$took" -lt 10000 ]
check "SIGTERM while a go list runs: windows not built" \
	[ ! -e "$T/out/windows-amd64/app.exe" ]

done_testing
