#!/usr/bin/env bash
# Up-to-date artifacts: `xbuild build` run again with nothing changed
# builds nothing (verdict "up to date", no hook), and every kind of change
# builds again: a .go file, a new file with a build tag, go.mod, an
# embedded file and a new one in an embedded folder, a C header, the C
# compiler, --ldflags, the Go version, the artifact itself.  --force
# builds; `xbuild release` and --verify-repro never skip.  Real go, real
# gcc.
. "$(dirname "$0")/lib.sh"
need_all go jq x86_64-linux-gnu-gcc
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=
# the records (and the compiler's probe) in a cache of this test's own
export XBUILD_CACHE=$T/cache

mkdir -p "$T/m/pure/static" "$T/m/cg" "$T/bin"
cd "$T/m" || exit 1
printf 'module example.com/m\n\ngo 1.21\n' >go.mod
cat >pure/main.go <<'GO'
package main

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed msg.txt
var msg string

//go:embed static
var static embed.FS

var version = "dev"

var extra = ""

func main() {
	n, _ := static.ReadDir("static")
	fmt.Println(strings.TrimSpace(msg), version, len(n), extra)
}
GO
echo hello >pure/msg.txt
echo a >pure/static/a.txt
cat >cg/main.go <<'GO'
package main

// #include "x.h"
import "C"
import "fmt"

func main() { fmt.Println(int(C.X)) }
GO
printf '#define X 1\n' >cg/x.h

ARGS=(-t linux/amd64 --static -o "$T/out/app" ./pure)
# b ARGS...: one build, its JSON in $OUT; verdict: the first target's
b() { run "$XBUILD" build --json "$@"; }
verdict() { jq -r '.[0].verdict' <<<"$OUT" 2>/dev/null; }
built() { rc_is 0 && [ "$(verdict)" = ok ]; }
uptodate() { rc_is 0 && [ "$(verdict)" = "up to date" ]; }
# after CHANGE: the next build builds, and the one after it does not
after() {
	local what=$1
	shift
	b "$@"
	check "$what: built again" built
	b "$@"
	check "$what: then up to date" uptodate
}

b "${ARGS[@]}"
check "first build: built" built
sum=$(jq -r '.[0].sha256' <<<"$OUT")
b "${ARGS[@]}"
check "nothing changed: up to date, exit 0" uptodate
check "up to date: the artifact's sha256, size and linkage" \
	eval '[ "$(jq -r ".[0].sha256" <<<"$OUT")" = "$sum" ] &&
	      [ "$(jq -r ".[0].size" <<<"$OUT")" = "$(stat -c %s "$T/out/app")" ] &&
	      [ "$(jq -r ".[0].linkage" <<<"$OUT")" = static ]'
run "$XBUILD" build "${ARGS[@]}"
check "up to date: the table says so" contains "$OUT" "up to date"
check "up to date: so does the progress" contains "$ERR" "linux/amd64: up to date"
run env -u XBUILD_CACHE XDG_CACHE_HOME="$T/xdg" "$XBUILD" build "${ARGS[@]}"
key=$(printf '%s' "$T/out/app" | sha256sum | cut -d' ' -f1)
check "the record is in the XDG cache, named by the output's path" \
	[ -s "$T/xdg/xbuild/uptodate/$key" ]
b --force "${ARGS[@]}"
check "--force builds" built
# the record is a cache entry: written and renamed, never synced (a torn
# one is no record); xbuild itself waits on no disk
need strace
run no_lsan strace -e trace=fsync,fdatasync -o "$T/sync.trace" "$XBUILD" build --force "${ARGS[@]}"
check "a build: no fsync by xbuild" [ "$(grep -c 'sync(' "$T/sync.trace")" = 0 ]
printf '{"record":1,"identity":"' >"$T/xdg/xbuild/uptodate/$key"
run env -u XBUILD_CACHE XDG_CACHE_HOME="$T/xdg" "$XBUILD" build --json "${ARGS[@]}"
check "a torn record: built again" built
# an output in the package's folder, and in a folder made there for it:
# the build's own files are not a change of the package
b -t linux/amd64 --static -o pure/app ./pure
b -t linux/amd64 --static -o pure/app ./pure
check "output in the package folder: then up to date" uptodate
b -t linux/amd64 --static -o pure/bin/app ./pure
b -t linux/amd64 --static -o pure/bin/app ./pure
check "output in a folder made in the package folder: then up to date" uptodate
rm -rf pure/app pure/bin

sed -i 's/"dev"/"dev2"/' pure/main.go
after "a .go file edited" "${ARGS[@]}"
check "the artifact has the edit" eval '"$T/out/app" | grep -q "hello dev2 1"'
"$T/out/app" >"$T/said"
printf '//go:build linux\n\npackage main\n\nfunc init() { extra = "tagged" }\n' \
	>pure/extra_linux.go
after "a file with a build tag added" "${ARGS[@]}"
check "the new file is in the artifact" eval '"$T/out/app" | grep -q tagged'
printf 'module example.com/m\n\ngo 1.22\n' >go.mod
after "go.mod changed" "${ARGS[@]}"
echo bye >pure/msg.txt
after "an embedded file changed" "${ARGS[@]}"
check "the artifact embeds it" eval '"$T/out/app" | grep -q "^bye dev2 1 tagged"'
echo b >pure/static/b.txt
after "a file added to an embedded folder" "${ARGS[@]}"
check "the artifact embeds both" eval '"$T/out/app" | grep -q "^bye dev2 2 tagged"'
after "--ldflags changed" "${ARGS[@]}" --ldflags "-X main.version=1.0"
check "the artifact has the new flags" eval '"$T/out/app" | grep -q "^bye 1.0 2 tagged"'
b "${ARGS[@]}"
check "--ldflags back: built again" built

# the Go version: 1.27.3, which the machine's module proxy brings into the
# module cache once (as go127.sh does)
run with_proxy env GOTOOLCHAIN=go1.27.3 go version
check "Go 1.27.3 in the module cache" contains "$OUT" "go1.27.3"
after "another Go version" "${ARGS[@]}" --set go_version=1.27.3
check "built by that Go" eval 'go version "$T/out/app" | grep -q go1.27.3'
b "${ARGS[@]}"
check "the local Go again: built again" built

# the artifact: another size, then the same size with other bytes
echo >>"$T/out/app"
after "the artifact grew" "${ARGS[@]}"
printf 'X' | dd of="$T/out/app" bs=1 seek=100 conv=notrunc status=none
touch -r "$T/said" "$T/out/app"
after "the artifact's bytes changed, its size not" "${ARGS[@]}"

# cgo: a C header of the package, and the C compiler (a wrapper on PATH)
CG=(-t linux/amd64 --cgo on --dynamic -o "$T/out/cg" ./cg)
printf '#!/bin/sh\nexec /usr/bin/x86_64-linux-gnu-gcc "$@"\n' >"$T/bin/x86_64-linux-gnu-gcc"
chmod 755 "$T/bin/x86_64-linux-gnu-gcc"
export PATH="$T/bin:$PATH"
b "${CG[@]}"
check "cgo: built with the wrapper" eval 'built && jq -e ".[0].output" <<<"$OUT" >/dev/null'
run "$XBUILD" plan "${CG[@]}"
check "cgo: the plan's compiler is the wrapper" contains "$OUT" "CC=$T/bin/x86_64-linux-gnu-gcc"
b "${CG[@]}"
check "cgo: up to date" uptodate
printf '#define X 2\n' >cg/x.h
after "a C header changed" "${CG[@]}"
check "the artifact has it" eval '[ "$("$T/out/cg")" = 2 ]'
printf '#!/bin/sh\n# another compiler\nexec /usr/bin/x86_64-linux-gnu-gcc "$@"\n' \
	>"$T/bin/x86_64-linux-gnu-gcc"
after "the C compiler replaced" "${CG[@]}"

# hooks: an up-to-date target runs none
cat >xbuild.yaml <<'Y'
version: 1
name: m
builds:
  - id: app
    main: ./pure
    targets: [linux/amd64]
    output: out/hooked
    hooks:
      pre: ["touch pre-ran"]
Y
b --static
check "hooked: built, the pre hook ran" eval 'built && [ -e pre-ran ]'
rm -f pre-ran
b --static
check "hooked: up to date, no hook ran" eval 'uptodate && [ ! -e pre-ran ]'
rm xbuild.yaml

# a release builds from scratch, every time, and records nothing
rm -rf "$T/cache/uptodate"
git init -q && git add -A && git -c user.email=t@t -c user.name=t commit -qm init
run "$XBUILD" release -t linux/amd64 --static -o "$T/rel" ./pure
check "release: built" rc_is 0
run "$XBUILD" release -t linux/amd64 --static -o "$T/rel" ./pure --json
check "release again: built again, never up to date" \
	eval 'rc_is 0 && ! grep -q "up to date" <<<"$OUT$ERR"'
run "$XBUILD" release -t linux/amd64 --static -o "$T/rel2" --verify-repro ./pure
check "release --verify-repro: built twice, never up to date" \
	eval 'rc_is 0 && ! grep -q "up to date" <<<"$OUT$ERR"'
check "release: no record" [ ! -e "$T/cache/uptodate" ]
done_testing
