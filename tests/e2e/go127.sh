#!/usr/bin/env bash
# The next Go: the article's cases, one cgo cross build and one release
# with Go 1.27.3, which xbuild runs through GOTOOLCHAIN (go_version), and
# what differs from the machine's Go (lib-gorelease.sh).  The one step
# that reaches the module proxy fills the module cache with Go 1.27.3.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-gorelease.sh"
need_all go
run with_proxy env GOTOOLCHAIN=go1.27.3 go version
check "Go 1.27.3 through GOTOOLCHAIN and the module proxy" contains "$OUT" "go1.27.3"
GOREL_ARGS=(--set go_version=1.27.3)
GOREL_VERSION=go1.27.3
GOREL_MINOR=27
GOREL_MACOS=13.0
gorelease_suite
done_testing
