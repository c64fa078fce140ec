#!/usr/bin/env bash
# The go list cache with the real go: a second plan takes the answer from
# the cache, and every change that can alter go list's answer is seen on
# the next plan: import "C" added to a dependency, a new file with a
# build tag, a go.mod edit, other tags, a GOFLAGS from the go env file;
# a damaged entry is a miss, never a crash; XBUILD_GOLIST_CACHE=off.
# `xbuild build` asks it for its record of what an artifact was built
# from too: a forced rebuild runs no go list, and a file added to a
# package or deep in an embedded folder is still seen.  Many targets' go
# lists run at once, with the same plans as one by one.  The size bound
# is looked for on a write once every ten minutes, not on every write.  An
# edit inside a function asks go nothing; an import added does.
. "$(dirname "$0")/lib.sh"

need_all go jq
export GOPROXY=off GOTOOLCHAIN=local
export XBUILD_CACHE=$T/cache GOENV=$T/goenv
M=$T/m
mkdir -p "$M/cmd/app" "$M/dep"
cat >"$M/go.mod" <<'EOF'
module example.com/pc

go 1.21
EOF
cat >"$M/cmd/app/main.go" <<'EOF'
package main

import "example.com/pc/dep"

func main() { println(dep.N()) }
EOF
cat >"$M/dep/dep.go" <<'EOF'
package dep

func N() int { return 1 }
EOF
cd "$M" || exit 1

# Files changed in the last two seconds are not remembered (go may have
# read them half written): the fixture's times are set a minute back, as
# if it had been edited before.
age() { find "$M" -exec touch -h -d "@$(($(date +%s) - 60))" {} +; }

# plan NAME ARGS...: plan linux/amd64 as JSON; $cache is golist_cache,
# $runs go_list_runs, $reasons every reason
plan() {
	run "$XBUILD" plan --format json -t linux/amd64 "$@" ./cmd/app
	cache=$(jq -r '.plans[0].golist_cache' <<<"$OUT" 2>/dev/null)
	runs=$(jq -r '.go_list_runs' <<<"$OUT" 2>/dev/null)
	reasons=$(jq -r '.plans[0].reasons[], (.plans[0].golist // empty)' <<<"$OUT" 2>/dev/null)
	golist_in_reasons=$(jq -r '[.plans[0].reasons[] | select(startswith("go list:"))] | length' <<<"$OUT" 2>/dev/null)
}
entry() { ls "$XBUILD_CACHE"/golist/"$1"* 2>/dev/null | head -1; }
key_of() { sed -n 's/^go list: .*(cache key \([0-9a-f]*\)).*/\1/p; s/^go list: from the cache (key \([0-9a-f]*\)).*/\1/p' <<<"$reasons" | head -1; }

# miss: go list ran for this plan; hit: it did not (a cgo plan may
# still run go list -deps -json for its link, so go_list_runs is checked
# where the program is pure Go)
miss() { [ "$RC" -le 1 ] && [ "$cache" = miss ] && [ "$runs" -ge 1 ]; }
hit() { [ "$RC" -le 1 ] && [ "$cache" = hit ]; }
says() { contains "$reasons" "$1"; }
runs_is() { [ "$runs" = "$1" ]; }
key_is() { [ "$(key_of)" = "$1" ]; }
key_isnt() { [ -n "$(key_of)" ] && [ "$(key_of)" != "$1" ]; }
PURE="cgo off: app needs no C code"
CGO='cgo on: example.com/pc/dep import "C"'

age
plan
check "first plan: made" rc_is 0
check "first plan: go list runs, a miss" miss
check "first plan: once" runs_is 1
check "first plan: says it asked go" says "go list: asked go (cache key "
key=$(key_of)
check "first plan: a key" [ -n "$key" ]
check "the entry is under the cache folder, named by its key" [ -f "$(entry "$key")" ]
plan
check "second plan: from the cache" hit
check "second plan: go list not run" runs_is 0
check "second plan: the reason says so" says "go list: from the cache (key $key)"
check "second plan: the same key" key_is "$key"
check "said apart from the reasons, which a release records" [ "$golist_in_reasons" = 0 ]
check "pure Go: cgo off" says "$PURE"

# (a) import "C" in a dependency, its time put back as it was
cp -p "$M/dep/dep.go" "$T/dep.go.orig"
cat >"$M/dep/dep.go" <<'EOF'
package dep

// static int one(void) { return 1; }
import "C"

func N() int { return int(C.one()) }
EOF
touch -r "$T/dep.go.orig" "$M/dep/dep.go" "$M/dep"
plan
check 'import "C" added to a dependency: a miss' miss
check 'import "C" added to a dependency: the plan says cgo' says "$CGO"
cp -p "$T/dep.go.orig" "$M/dep/dep.go"
age
plan
check 'import "C" removed again: a miss' miss
check 'import "C" removed again: cgo off' says "$PURE"
plan
check "unchanged since: a hit again" hit

# (b) a new file with a build tag that adds an import
cat >"$M/dep/user_linux.go" <<'EOF'
//go:build linux

package dep

import _ "os/user"
EOF
age
plan
check "a new file for linux importing os/user: a miss" miss
check "a new file for linux importing os/user: seen" says "os/user uses the pure Go version"
plan
check "then a hit" hit
check "that still has os/user" says "os/user uses the pure Go version"

# a file for a tag not given: the answer is the same, but the folder
# changed, so go is asked
cat >"$M/dep/c_xbtag.go" <<'EOF'
//go:build xbtag

package dep

// static int two(void) { return 2; }
import "C"

func Two() int { return int(C.two()) }
EOF
age
plan
check "a new file for a tag not given: a miss" miss
check "a new file for a tag not given: still pure Go" says "$PURE"

# (d) tags: another question, another key
plan --tags xbtag
check "--tags xbtag: a miss" miss
check '--tags xbtag: the tagged import "C" is seen' says "$CGO"
check "--tags xbtag: its own key" key_isnt "$key"
plan --tags xbtag
check "--tags xbtag again: a hit" hit
check "--tags xbtag again: cgo" says "$CGO"
plan
check "without the tag: a hit" hit
check "without the tag: the untagged answer" says "$PURE"

# GOFLAGS from the go env file (go env -w): go reads it even though
# xbuild clears GOFLAGS in the environment
printf 'GOFLAGS=-tags=xbtag\n' >"$GOENV"
plan
check "GOFLAGS=-tags=xbtag in the go env file: a miss" miss
check "GOFLAGS=-tags=xbtag in the go env file: seen" says "$CGO"
rm -f "$GOENV"
plan
check "the go env file gone: a hit" hit
check "the go env file gone: the untagged answer" says "$PURE"

# a variable of the environment go reads
GOAMD64=v2 plan
check "GOAMD64 set: a miss" miss
check "GOAMD64 set: another key" key_isnt "$key"

# (c) go.mod edits
printf '\nrequire example.com/none v1.0.0\nreplace example.com/none => ./none\n' >>"$M/go.mod"
mkdir -p "$M/none"
printf 'module example.com/none\n\ngo 1.21\n' >"$M/none/go.mod"
age
plan
check "a require and replace added to go.mod: made" rc_is 0
check "a require and replace added to go.mod: a miss" miss
check "a go.mod edit: another key" key_isnt "$key"
sed -i 's/^go 1.21$/go 1.22/' "$M/go.mod"
age
plan
check "go.mod's go line changed: a miss" miss
plan
check "go.mod unchanged since: a hit" hit
printf 'example.com/none v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' >"$M/go.sum"
plan
check "a go.sum appeared: a miss" miss
rm -f "$M/go.sum"

# (d) go's own trees are sealed: a hit looks at each standard library
# folder as one entry, never at its files; a replaced module's folder is
# the user's, looked at file by file (an edit in place is seen)
need strace
goroot=$(go env GOROOT)
plan
check "an answer listing the standard library: a hit" hit
run no_lsan strace -f -e trace=openat,open -o "$T/trace" "$XBUILD" plan -t linux/amd64 ./cmd/app
check "a hit opens no standard library folder" \
	[ "$(grep -c "\"$goroot/src/" "$T/trace")" = 0 ]
check "(but opens the user's package folders)" grep -q "\"$M/dep\"" "$T/trace"
mkdir -p "$M/rep"
printf 'module example.com/rep\n\ngo 1.21\n' >"$M/rep/go.mod"
printf 'package rep\n\nfunc N() int { return 2 }\n' >"$M/rep/rep.go"
printf '\nrequire example.com/rep v1.0.0\nreplace example.com/rep => ./rep\n' >>"$M/go.mod"
printf 'package dep\n\nimport "example.com/rep"\n\nfunc N() int { return rep.N() }\n' >"$M/dep/dep.go"
age
plan
check "a replaced module: a miss" miss
check "a replaced module: pure Go" says "$PURE"
plan
check "a replaced module: then a hit" hit
# import "C" written into the replaced module's file in place, the
# folder's own times kept: only a look at the file sees it
dirtime=$(stat -c %Y "$M/rep")
printf 'package rep\n\n// int two(void) { return 2; }\nimport "C"\n\nfunc N() int { return int(C.two()) }\n' >"$M/rep/rep.go"
touch -d "@$dirtime" "$M/rep/rep.go" "$M/rep"
plan
check "import \"C\" written in place into a replaced module: a miss" miss
check "import \"C\" written in place into a replaced module: seen" \
	says 'cgo on: example.com/rep import "C"'
printf 'package rep\n\nfunc N() int { return 2 }\n' >"$M/rep/rep.go"
age
plan
check "pure Go again: a miss" miss

# (e) damaged entries: a miss, no crash, the entry written again
plan
key=$(key_of)
e=$(entry "$key")
check "an entry to damage" hit
check "(its file)" [ -f "$e" ]
good=$(cat "$e")
only_note() { ! grep -v '^xbuild: profile: built-in default' <<<"$ERR" | grep -q .; }
zeros=$(printf '0%.0s' $(seq 64))
damage() {
	local what=$1
	shift
	rm -rf "$e"
	"$@"
	plan
	check "$what: a miss" miss
	check "$what: the plan made" rc_is 0
	check "$what: nothing on stderr but the profile note" only_note
	plan
	check "$what: written again, a hit" hit
}
damage "random bytes" sh -c 'head -c 4096 /dev/urandom >"$1"' _ "$e"
damage "an empty file" sh -c ': >"$1"' _ "$e"
damage "the header only" sh -c 'printf "xbuild go list 1 %s\n" "${1##*/}" >"$1"' _ "$e"
damage "another fingerprint" sh -c 'printf "%s\n" "$2" | sed "2s/.*/$3/" >"$1"' _ "$e" "$good" "$zeros"
damage "a line without a folder" sh -c 'printf "%s\nx|false|0|\n" "$2" >"$1"' _ "$e" "$good"
damage "a folder that does not exist" sh -c 'printf "%s\nx|false|0|||/nonexistent/dir\n" "$2" >"$1"' _ "$e" "$good"
damage "a sealed folder that does not exist" sh -c 'printf "%s\nx|true|0||sealed|/nonexistent/dir\n" "$2" >"$1"' _ "$e" "$good"
damage "NUL bytes" sh -c 'printf "%s\n\0\0\0" "$2" >"$1"' _ "$e" "$good"
damage "over 16 MiB" sh -c 'head -c 17000000 /dev/zero >"$1"' _ "$e"
damage "a FIFO in its place" mkfifo "$e"
# a folder in its place cannot be written over: a miss each time
rm -f "$e"
mkdir "$e"
plan
check "a folder in its place: a miss" miss
check "a folder in its place: the plan made" rc_is 0
rmdir "$e"

# XBUILD_GOLIST_CACHE=off: go list runs, nothing is said about a cache
XBUILD_GOLIST_CACHE=off plan
check "XBUILD_GOLIST_CACHE=off: go list runs" runs_is 1
check "XBUILD_GOLIST_CACHE=off: golist_cache null" [ "$cache" = null ]
check "XBUILD_GOLIST_CACHE=off: no reason about it" lacks "$reasons" "go list:"

# the text form carries the same reason
plan
run "$XBUILD" plan -t linux/amd64 ./cmd/app
check "plan text: the reason" contains "$OUT" "go list: from the cache (key "

# xbuild build: the record of what the artifact was built from (go list
# -deps -json with the build's own environment and flags) comes from the
# cache too.  A go that logs its arguments counts the go list runs.
printf '#!/bin/sh\necho "$0 $*" >>"%s/go.log"\nexec "%s" "$@"\n' \
	"$T" "$(command -v go)" >"$T/go"
chmod 755 "$T/go"
mkdir -p "$M/cmd/app/static/deep"
echo a >"$M/cmd/app/static/deep/a.txt"
printf 'package main\n\nimport "embed"\n\n//go:embed all:static\nvar static embed.FS\n' \
	>"$M/cmd/app/embed.go"
GB=(--go "$T/go" -t linux/amd64 --static -o "$T/out/app" ./cmd/app)
lists() { grep -c ' list ' "$T/go.log" 2>/dev/null; }
b() {
	: >"$T/go.log"
	run "$XBUILD" build --json "$@" "${GB[@]}"
	verdict=$(jq -r '.[0].verdict' <<<"$OUT" 2>/dev/null)
}
# aged SECS FILE...: an edit made SECS back (as if made before)
aged() {
	local s=$1
	shift
	touch -h -d "@$(($(date +%s) - s))" "$@"
}
age
b
check "build: built" eval 'rc_is 0 && [ "$verdict" = ok ]'
b --force
check "build --force, nothing changed: built" eval 'rc_is 0 && [ "$verdict" = ok ]'
check "build --force, nothing changed: no go list at all" [ "$(lists)" = 0 ]
b
check "then up to date" [ "$verdict" = "up to date" ]
# what a record reads of the answer is remembered, not the standard
# library's packages (whose folders would each be looked at again)
rec=$(grep -l '^{' "$XBUILD_CACHE"/golist/* 2>/dev/null | head -1)
check "the record's answer is remembered" [ -n "$rec" ]
check "the record's answer: the user's packages" \
	eval 'grep -q "\"ImportPath\": \"example.com/pc/dep\"" "$rec" &&
	      grep -q "\"ImportPath\": \"example.com/pc/cmd/app\"" "$rec"'
check "the record's answer: one standard package (where GOROOT is)" \
	[ "$(grep -c '"Standard": true' "$rec")" = 1 ]

# a file added to a package: the record lists it, and sees its edit
printf 'package dep\n\nfunc M() int { return 2 }\n' >"$M/dep/more.go"
aged 60 "$M/dep/more.go" "$M/dep"
b
check "a file added to a package: built again" [ "$verdict" = ok ]
check "a file added to a package: go list asked again" [ "$(lists)" -ge 1 ]
b
check "a file added to a package: then up to date" [ "$verdict" = "up to date" ]
b --force
check "a file added to a package: remembered (no go list)" [ "$(lists)" = 0 ]
printf 'package dep\n\nfunc M() int { return 30 }\n' >"$M/dep/more.go"
aged 50 "$M/dep/more.go"
b
check "the added file edited: built again" [ "$verdict" = ok ]

# a file added deep in an embedded folder changes no package folder's
# names: the folders on the way to each embedded file are looked at too
echo b >"$M/cmd/app/static/deep/b.txt"
aged 60 "$M/cmd/app/static/deep/b.txt" "$M/cmd/app/static/deep"
b
check "a file added deep in an embedded folder: built again" [ "$verdict" = ok ]
b
check "a file added deep in an embedded folder: then up to date" \
	[ "$verdict" = "up to date" ]
echo bb >"$M/cmd/app/static/deep/b.txt"
aged 50 "$M/cmd/app/static/deep/b.txt"
b
check "the file added deep in an embedded folder edited: built again" \
	[ "$verdict" = ok ]
b --force
check "nothing changed since: no go list" [ "$(lists)" = 0 ]
# the linker's flags select no file: a -X of the version or the date,
# new at each commit or run, asks go nothing
b --force --ldflags "-X main.v=1"
b --force --ldflags "-X main.v=2"
check "another -X in -ldflags: built" [ "$verdict" = ok ]
check "another -X in -ldflags: no go list" [ "$(lists)" = 0 ]
XBUILD_GOLIST_CACHE=off b --force
check "XBUILD_GOLIST_CACHE=off: go list runs for the plan and the record" \
	[ "$(lists)" = 2 ]

# an edit inside a function: what go list reads of the file is the same,
# so neither the plan's nor the record's answer is asked of go again, and
# the artifact is built again all the same (its record sees the edit)
cp -p "$M/cmd/app/main.go" "$T/main.go.orig"
printf 'package main\n\nimport "example.com/pc/dep"\n\nfunc main() { println(dep.N() + 1) }\n' \
	>"$M/cmd/app/main.go"
aged 30 "$M/cmd/app/main.go"
b
check "an edit inside a function: built again" eval 'rc_is 0 && [ "$verdict" = ok ]'
check "an edit inside a function: no go list, for the plan or the record" \
	[ "$(lists)" = 0 ]
b
check "an edit inside a function: then up to date" [ "$verdict" = "up to date" ]
printf 'package main\n\nimport (\n\t"example.com/pc/dep"\n\t"os"\n)\n\nfunc main() { println(dep.N() + 1); os.Exit(0) }\n' \
	>"$M/cmd/app/main.go"
aged 30 "$M/cmd/app/main.go"
b
check "an import added: built" eval 'rc_is 0 && [ "$verdict" = ok ]'
check "an import added: go list for the plan and the record" [ "$(lists)" = 2 ]
printf 'package main\n\nimport (\n\t"example.com/pc/dep"\n\t"os"\n)\n\nfunc main() { println(dep.N() + 2); os.Exit(0) }\n' \
	>"$M/cmd/app/main.go"
b
check "an edit inside a function, just made: go list again" [ "$(lists)" = 2 ]
cp -p "$T/main.go.orig" "$M/cmd/app/main.go"

# the size bound: the folder is looked at (every entry stat'ed, the least
# recently used removed past 64 MiB) on a process's first write, when no
# process looked in the last ten minutes: not at every write
G=$XBUILD_CACHE/golist
check "the last look at the folder is stamped" [ -f "$G/.trimmed" ]
for i in $(seq 1 300); do printf x >"$G/$(printf '%064x' "$i")"; done
# three big entries, the oldest first (sparse: their sizes are what count)
for d in 3 2 1; do
	truncate -s 30M "$G/big$d"
	touch -d "$d days ago" "$G/big$d"
done
looks() { grep -cE 'newfstatat\([0-9]+, "0{50}' "$T/trim.trace"; }
touch "$G/.trimmed"
if need strace; then
	run no_lsan strace -f -e trace=newfstatat -o "$T/trim.trace" \
		"$XBUILD" plan --format json -t linux/amd64 --tags trim1 ./cmd/app
	check "a write with a fresh stamp: no entry looked at" \
		eval 'rc_is 0 && [ "$(looks)" = 0 ]'
	check "and nothing removed" [ -f "$G/big3" ]
	touch -d "11 minutes ago" "$G/.trimmed"
	run no_lsan strace -f -e trace=newfstatat -o "$T/trim.trace" \
		"$XBUILD" plan --format json -t linux/amd64 --tags trim2 ./cmd/app
	check "a write ten minutes after the last look: every entry looked at" \
		eval 'rc_is 0 && [ "$(looks)" -ge 300 ]'
	check "past 64 MiB: the least recently used entry removed" [ ! -e "$G/big3" ]
	check "the others kept" [ -f "$G/big2" ] && [ -f "$G/big1" ] && [ -f "$G/$(printf '%064x' 1)" ]
	check "the look stamped" [ -n "$(find "$G/.trimmed" -newermt '-1 minute')" ]
	truncate -s 30M "$G/big4"
	touch -d "4 days ago" "$G/big4"
	run "$XBUILD" plan --format json -t linux/amd64 --tags trim3 ./cmd/app
	check "the next write: not looked at again, even past the bound" \
		eval 'rc_is 0 && [ -f "$G/big4" ]'
fi
rm -f "$G"/big* "$G"/0000000000*

# many targets: their go lists run at once (as many as the CPUs), not in
# turn, and the plans are the same as one target at a time makes them; a
# target go cannot list for is its own plan's error alone
printf '#!/bin/sh\n[ "$1" = list ] && echo "start $(date +%%s%%N) $GOOS/$GOARCH" >>"%s/times.log"\n"%s" "$@"\nrc=$?\n[ "$1" = list ] && echo "end $(date +%%s%%N)" >>"%s/times.log"\nexit $rc\n' \
	"$T" "$(command -v go)" "$T" >"$T/go-timed"
chmod 755 "$T/go-timed"
printf 'package dep\n\nimport _ "example.com/pc/missing"\n' >"$M/dep/broken_freebsd.go"
aged 60 "$M/dep/broken_freebsd.go" "$M/dep"
targets=linux/amd64,linux/arm64,linux/386,windows/amd64,darwin/arm64,freebsd/amd64
: >"$T/times.log"
run env XBUILD_GOLIST_CACHE=off "$XBUILD" plan --format json --go "$T/go-timed" \
	-t "$targets" ./cmd/app
all=$OUT
check "six targets, cache off: six go lists" [ "$(grep -c '^start' "$T/times.log")" = 6 ]
# two at once: some go list starts before the one before it ended
overlap=$(awk '$1 == "start" { if (open > 0) o = 1; open++ } $1 == "end" { open-- }
	END { print o + 0 }' "$T/times.log")
if [ "$(nproc)" -ge 2 ]; then
	check "six targets: go lists overlap" [ "$overlap" = 1 ]
fi
check "freebsd/amd64: its plan holds go's error" \
	[ "$(jq -r '.plans[] | select(.target == "freebsd/amd64") | .errors | length' <<<"$all")" -ge 1 ]
for t in linux/amd64 linux/arm64 windows/amd64; do
	run env XBUILD_GOLIST_CACHE=off "$XBUILD" plan --format json --go "$T/go-timed" \
		-t "$t" ./cmd/app
	check "$t: the same plan as alone" \
		[ "$(jq -c --arg t "$t" '.plans[] | select(.target == $t) | del(.reasons)' <<<"$all")" = \
		  "$(jq -c '.plans[0] | del(.reasons)' <<<"$OUT")" ]
done
rm -f "$M/dep/broken_freebsd.go"

done_testing
