#!/usr/bin/env bash
# Old Go: the article's cases, one cgo cross build and one release with
# Debian's Go 1.19 (golang-1.19-go, which scripts/install-deps installs),
# and what xbuild does differently for it (lib-gorelease.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-gorelease.sh"
go119=${XBUILD_TEST_GO119:-/usr/lib/go-1.19/bin/go}
[ -x "$go119" ] || { fail "$go119 is installed (scripts/install-deps provides golang-1.19-go)"; done_testing; exit 1; }
GOREL_ARGS=(--go "$go119")
GOREL_VERSION=$(GOTOOLCHAIN=local "$go119" env GOVERSION)
GOREL_MINOR=19
GOREL_MACOS=10.9
check "Debian's Go is a 1.19 release" [ "${GOREL_VERSION#go1.19}" != "$GOREL_VERSION" ]
gorelease_suite
done_testing
