#!/usr/bin/env bash
# Several builds at once share the CPUs: with -j N each go gets
# GOMAXPROCS = CPUs / N (at least 1), unless the profile's env sets it;
# one build at a time gets none.  The share is no part of what a build is
# built from: a build under -j2, then under -j1, is up to date.
. "$(dirname "$0")/lib.sh"
need_all go jq
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS= XBUILD_CACHE=$T/cache

mkdir -p "$T/m"
cd "$T/m" || exit 1
printf 'module example.com/m\n\ngo 1.21\n' >go.mod
printf 'package main\n\nfunc main() {}\n' >main.go
# a go that logs the GOMAXPROCS of each build it is asked for
printf '#!/bin/sh\n[ "$1" = build ] && echo "GOMAXPROCS=${GOMAXPROCS-unset}" >>"%s/go.log"\nexec "%s" "$@"\n' \
	"$T" "$(command -v go)" >"$T/go"
chmod 755 "$T/go"
cpus=$(nproc)
share=$((cpus / 2))
[ "$share" -ge 1 ] || share=1
b() {
	: >"$T/go.log"
	run "$XBUILD" build --json --go "$T/go" -t linux/amd64 -t linux/arm64 \
		-o "$T/out/{target}/app" "$@" .
}

b -j2 --force
check "-j2: built" rc_is 0
check "-j2: two builds" [ "$(grep -c . "$T/go.log")" = 2 ]
check "-j2: each go gets GOMAXPROCS of its share ($cpus CPUs / 2)" \
	[ "$(sort -u "$T/go.log")" = "GOMAXPROCS=$share" ]
b -j1
check "-j1 after -j2: built" rc_is 0
check "-j1 after -j2: both up to date (the share is no input)" \
	[ "$(jq -r '[.[] | select(.verdict == "up to date")] | length' <<<"$OUT")" = 2 ]
b -j1 --force
check "-j1: no GOMAXPROCS set" [ "$(sort -u "$T/go.log")" = "GOMAXPROCS=unset" ]
printf 'version: 1\ndefaults:\n  env:\n    GOMAXPROCS: "3"\n' >x.yaml
b -j2 --force -p x.yaml
check "-j2, GOMAXPROCS in the profile's env: built" rc_is 0
check "-j2, GOMAXPROCS in the profile's env: the profile's" \
	[ "$(sort -u "$T/go.log")" = "GOMAXPROCS=3" ]

done_testing
