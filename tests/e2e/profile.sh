#!/usr/bin/env bash
# Profiles: `xbuild check` over the invalid corpus (golden error lines),
# the valid corpus (golden resolved form, which loads again), the shipped
# profiles, hostile inputs and command-line overrides.
. "$(dirname "$0")/lib.sh"

fix=$TOP/tests/fixtures/profiles
unset XB_SURELY_UNSET_VARIABLE XB_TEST_DIR

# Every invalid profile: exit 2 and exactly the golden error lines.
n=0
for f in "$fix"/bad/*.yaml; do
	b=$(basename "$f" .yaml)
	cd "$fix/bad" || exit 1
	run "$XBUILD" check --no-go "$b.yaml"
	cd - >/dev/null || exit 1
	want=$(cat "$fix/bad/$b.err")
	check "bad/$b: exit 2" rc_is 2
	check "bad/$b: golden errors" [ "$ERR" = "$want" ]
	check "bad/$b: every line is file:line:col or file: message" \
		[ -z "$(printf '%s\n' "$ERR" | grep -v "^xbuild: [0-9a-z-]*\.yaml:")" ]
	n=$((n + 1))
done
check "at least 40 invalid profiles" [ "$n" -ge 40 ]

# Every valid one: exit 0, golden resolved form, and that form loads to
# itself again.
for f in "$fix"/good/*.yaml; do
	b=$(basename "$f" .yaml)
	cd "$fix/good" || exit 1
	XB_TEST_VERSION=1.2.3 run "$XBUILD" check --print "$b.yaml"
	cd - >/dev/null || exit 1
	check "good/$b: exit 0" rc_is 0
	check "good/$b: golden resolved form" [ "$OUT" = "$(cat "$fix/good/$b.out")" ]
	printf '%s\n' "$OUT" >"$T/$b.yaml"
	XB_TEST_VERSION=1.2.3 run "$XBUILD" check --print "$T/$b.yaml"
	check "good/$b: resolved form loads to itself" [ "$OUT" = "$(cat "$fix/good/$b.out")" ]
done

# The shipped profiles.
for f in "$TOP"/profiles/*.yaml; do
	run "$XBUILD" check "$f"
	check "profiles/$(basename "$f") passes check" rc_is 0
	check "profiles/$(basename "$f"): one summary line" contains "$OUT" ": ok ("
done
run "$XBUILD" check
check "check with no file checks the embedded default" contains "$OUT" "<builtin>/profiles/default.yaml: ok"
run "$XBUILD" check --json "$TOP/profiles/static.yaml"
check "check --json" contains "$OUT" '"target": "linux/arm/7"'
check "check --json has settings" contains "$OUT" '"linkage": "static"'
run "$XBUILD" check --json "$TOP/profiles/static.yaml" "$TOP/profiles/cgo.yaml"
check "check --json of two profiles is an array" [ "${OUT:0:1}" = "[" ]
run "$XBUILD" check -q "$TOP/profiles/cgo.yaml"
check "check -q is quiet" [ -z "$OUT" ]
run "$XBUILD" check "$TOP/profiles/static.yaml" "$fix/bad/07-bad-linkage.yaml"
check "one bad profile among good ones: exit 2" rc_is 2
check "the good one still reports ok" contains "$OUT" "static.yaml: ok"
run "$XBUILD" check "$TOP/profiles/release.yaml"
check "release.yaml: the matrix with its hole" contains "$OUT" "(12 targets"

# A setting the user writes overrides a built-in default without a
# conflict: strip: true against the built-in debug: true.
printf 'version: 1\ndefaults:\n  strip: true\ntargets: [linux/amd64]\n' >"$T/strip.yaml"
run "$XBUILD" check --no-go "$T/strip.yaml"
check "strip: true over the built-in debug: true: exit 0" rc_is 0
run "$XBUILD" check --no-go --print "$T/strip.yaml"
check "strip: true turns debug off" contains "$OUT" "debug: false"
printf 'version: 1\ndefaults:\n  strip: true\n  debug: true\ntargets: [linux/amd64]\n' >"$T/strip2.yaml"
run "$XBUILD" check --no-go "$T/strip2.yaml"
check "strip: true with debug: true in one place: a conflict" contains "$ERR" "strip2.yaml:3:3: linux/amd64: strip: true removes"

# Hostile inputs.
run "$XBUILD" check "$T/missing.yaml"
check "missing file: exit 2" rc_is 2
check "missing file: named" contains "$ERR" "missing.yaml: cannot open"
mkdir "$T/dir.yaml"
run "$XBUILD" check "$T/dir.yaml"
check "a directory: exit 2" rc_is 2
check "a directory: said so" contains "$ERR" "is not a regular file"
head -c 2000000 /dev/zero | tr '\0' '#' >"$T/huge.yaml"
run "$XBUILD" check "$T/huge.yaml"
check "huge file: exit 2" rc_is 2
check "huge file: capped" contains "$ERR" "larger than 1048576 bytes"
head -c 65536 /dev/urandom >"$T/random.yaml"
run timeout 10 "$XBUILD" check "$T/random.yaml"
check "random bytes: exit 2, no crash" rc_is 2
{ echo "version: 1"; for i in $(seq 5000); do echo "# $i"; done; echo "defaults:"; echo "  linkage: statik"; } >"$T/long.yaml"
run "$XBUILD" check "$T/long.yaml"
check "error positions count lines past comments" contains "$ERR" "long.yaml:5003:12:"
# An untrusted profile: check runs nothing it names, and a file it
# extends that is not a profile is refused without a word of it.
printf '#!/bin/sh\necho ran >>"%s/evil-ran"\nexit 1\n' "$T" >"$T/evil-go"
chmod +x "$T/evil-go"
printf 'version: 1\ndefaults:\n  go: %s\ntargets: [linux/amd64]\n' "$T/evil-go" >"$T/evil.yaml"
run "$XBUILD" check "$T/evil.yaml"
check "a profile's go: path: check runs nothing" [ ! -e "$T/evil-ran" ]
check "a profile's go: path: valid, exit 0" rc_is 0
check "a profile's go: path: the targets were not checked, and why" \
	contains "$ERR" "does not run the profile's go '$T/evil-go' (--go PATH asks it)"
printf 'version: 1\ndefaults:\n  go: %s\ntargets: [linux/amd64]\n' "$T/no-such-go" >"$T/nogo.yaml"
run "$XBUILD" check "$T/nogo.yaml"
check "a profile's missing go: path: exit 2" rc_is 2
check "a profile's missing go: path: named at its line" \
	contains "$ERR" "nogo.yaml:3:3: cannot use go '$T/no-such-go': No such file"
printf 'version: 1\ndefaults:\n  go: %s\ntargets: []\n' "$T" >"$T/dirgo.yaml"
run "$XBUILD" check --no-go "$T/dirgo.yaml"
check "a profile's go: path that is a folder: exit 2" rc_is 2
check "a profile's go: path that is a folder: said so" contains "$ERR" "is not a regular file"
printf 'root:*:20228:0:99999:7:::\ndaemon:$y$j9T$secretsalt$hash:20228:0:99999:7:::\n' >"$T/shadow"
printf 'version: 1\nextends: %s\ntargets: [linux/amd64]\n' "$T/shadow" >"$T/leak.yaml"
run "$XBUILD" check --no-go "$T/leak.yaml"
check "extends: a file that is not a profile: exit 2" rc_is 2
check "extends: a file that is not a profile: refused" contains "$ERR" "shadow:1:1: not a profile"
check "extends: a file that is not a profile: nothing of it printed" \
	[ -z "$(printf '%s' "$OUT$ERR" | grep -e root -e daemon -e secretsalt)" ]
run "$XBUILD" check --no-go "$T/shadow"
check "that file named directly: refused, quoted nowhere" \
	[ "$ERR" = "xbuild: $T/shadow:1:1: not a profile: none of its keys is a profile's (expected a mapping starting with 'version: 1')" ]
printf 'user: alice\npassword: [hunter2\n' >"$T/broken-secret"
printf 'version: 1\nextends: %s\ntargets: [linux/amd64]\n' "$T/broken-secret" >"$T/leak2.yaml"
run "$XBUILD" check --no-go "$T/leak2.yaml"
check "extends: a file that is not YAML: exit 2" rc_is 2
check "extends: a file that is not YAML: counted, not quoted" \
	contains "$ERR" "broken-secret: not a profile: 1 YAML problem"
check "extends: a file that is not YAML: nothing of it printed" \
	[ -z "$(printf '%s' "$OUT$ERR" | grep -e alice -e hunter2)" ]

XB_ZZ=from-env run "$XBUILD" check --print "$fix/good/every-key.yaml"
check "\${VAR} needs the variable" rc_is 2
check "missing variable named" contains "$ERR" "XB_TEST_VERSION is not set"

# A target the Go toolchain cannot build is named, when Go can be asked.
if need go; then
	printf 'version: 1\ntargets:\n  - linux/amd64\n  - windows/riscv64\n  - linux/arm64/v8.2\n' >"$T/go.yaml"
	run "$XBUILD" check "$T/go.yaml"
	check "unsupported port: exit 2" rc_is 2
	check "unsupported port: named at its line" contains "$ERR" "go.yaml:4:5: windows/riscv64: go1."
	check "unsupported port: lists what is supported" contains "$ERR" "(it supports windows on "
	check "a variant the machine's Go has: no error" lacks "$ERR" "go.yaml:5:5"
	go119=${XBUILD_TEST_GO119:-/usr/lib/go-1.19/bin/go}
	run "$XBUILD" check --go "$go119" "$T/go.yaml"
	check "variant Go 1.19 lacks: named" contains "$ERR" "go.yaml:5:5: linux/arm64/v8.2: GOARM64=v8.2 needs Go 1.23"
	run "$XBUILD" check --no-go "$T/go.yaml"
	check "--no-go checks the profile alone" rc_is 0
	run "$XBUILD" check --go "$T/nope" "$T/go.yaml"
	check "--go with a missing go: exit 1" rc_is 1
	printf 'version: 1\ndefaults: {go: "1.7"}\ntargets: [linux/amd64]\n' >"$T/pin.yaml"
	run "$XBUILD" check "$T/pin.yaml"
	check "a pinned Go version that is not this one" contains "$ERR" "the profile pins Go 1.7, but"
fi

# Command-line overrides, on the embedded default.
cd "$T" || exit 1
run "$XBUILD" plan --help
if rc_is 0; then
	run "$XBUILD" plan --format json --target linux/arm64 --static --go /nonexistent/go .
	check "plan with a missing go: exit 1" rc_is 1
fi
cd - >/dev/null || exit 1

done_testing
