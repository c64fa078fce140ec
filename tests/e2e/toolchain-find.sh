#!/usr/bin/env bash
# xbuild toolchain find: proves the compilers it finds, says why it rejects
# the others, and remembers its probes.
. "$(dirname "$0")/lib.sh"
need_all aarch64-linux-gnu-gcc

export XBUILD_CACHE=$T/cache
unset CC CXX

run "$XBUILD" toolchain find linux/arm64
check "find linux/arm64: exit 0" rc_is 0
check "find linux/arm64: aarch64-linux-gnu-gcc" contains "$OUT" "CC=/usr/bin/aarch64-linux-gnu-gcc"
check "find linux/arm64: glibc version proved" contains "$OUT" "glibc 2."
check "find linux/arm64: interpreter read from the test link" contains "$OUT" "interpreter: /lib/ld-linux-aarch64.so.1"
check "find linux/arm64: CXX too" contains "$OUT" "CXX=/usr/bin/aarch64-linux-gnu-g++"
check "find: probe results remembered" [ -n "$(ls "$T/cache/probe")" ]

run "$XBUILD" toolchain find linux/arm64 --json
check "find --json: found" contains "$OUT" '"found": true'
check "find --json: machine" contains "$OUT" '"machine": "aarch64-linux-gnu"'

# A broken compiler first on PATH is rejected, with its reason, and the
# real one is still found.
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "broken: this compiler is a fake" >&2\nexit 1\n' >"$T/bin/aarch64-linux-gnu-gcc"
chmod 755 "$T/bin/aarch64-linux-gnu-gcc"
run env PATH="$T/bin:$PATH" "$XBUILD" toolchain find linux/arm64
check "broken compiler: still finds a working one" rc_is 0
check "broken compiler: rejected with the reason" \
	contains "$OUT" "$T/bin/aarch64-linux-gnu-gcc: cannot link a test program (exit 1: broken: this compiler is a fake)"

# A "cross" compiler that really builds for the host is rejected.
printf '#!/bin/sh\nexec gcc "$@"\n' >"$T/bin/aarch64-linux-gnu-gcc"
run env PATH="$T/bin:$PATH" "$XBUILD" toolchain find linux/arm64 --json
check "wrong-target compiler: rejected for its machine" \
	contains "$OUT" "links elf machine 0x3e 64-bit, not elf machine 0xb7 64-bit"

run "$XBUILD" toolchain find linux/arm64 --cc "$T/bin/nosuch-gcc"
check "explicit broken CC: exit 1, never replaced" rc_is 1
check "explicit broken CC: says so" contains "$ERR" "the compiler '$T/bin/nosuch-gcc' given for linux/arm64 does not work: not found"

# Debian's musl-gcc says x86_64-linux-gnu but links against musl.
if need musl-gcc && [ "$(uname -m)" = x86_64 ]; then
	run "$XBUILD" toolchain find linux/amd64 --libc musl --static
	check "musl-gcc: found for linux/amd64 musl" rc_is 0
	check "musl-gcc: libc proved from the interpreter" contains "$OUT" "interpreter: /lib/ld-musl-x86_64.so.1"
	check "musl-gcc: static link ok" contains "$OUT" "static link ok"
fi

if need x86_64-w64-mingw32-gcc; then
	run "$XBUILD" toolchain find windows/amd64
	check "mingw: found and proved (PE)" contains "$OUT" "(gcc from path, mingw"
fi

# Probe results are keyed by the compiler's path, size and mtime: a
# compiler that changes is proved again.
printf '#!/bin/sh\nexec /usr/bin/aarch64-linux-gnu-gcc "$@"\n' >"$T/bin/aarch64-linux-gnu-gcc"
run env PATH="$T/bin:$PATH" "$XBUILD" toolchain find linux/arm64
check "a working wrapper on PATH is chosen" contains "$OUT" "CC=$T/bin/aarch64-linux-gnu-gcc"
printf '#!/bin/sh\necho "now broken" >&2; exit 3\n' >"$T/bin/aarch64-linux-gnu-gcc"
touch -d '2001-01-01' "$T/bin/aarch64-linux-gnu-gcc"
run env PATH="$T/bin:$PATH" "$XBUILD" toolchain find linux/arm64
check "a changed compiler is proved again" contains "$OUT" "$T/bin/aarch64-linux-gnu-gcc: cannot link a test program (exit 3: now broken)"
rm -f "$T/bin/aarch64-linux-gnu-gcc"

# A compiler that hangs (it stands for a hung real one) is stopped after
# XBUILD_CHILD_TIMEOUT seconds, said so, and not remembered as broken;
# the outer timeout only turns a hang into a failure.
printf '#!/bin/sh\necho $$ >"%s/hung.pid"\nexec sleep 600\n' "$T" >"$T/bin/aarch64-linux-gnu-gcc"
chmod 755 "$T/bin/aarch64-linux-gnu-gcc"
run timeout 60 env XBUILD_CHILD_TIMEOUT=2 "$XBUILD" toolchain find linux/arm64 \
	--cc "$T/bin/aarch64-linux-gnu-gcc"
check "hung compiler: exit 1 within the time limit" rc_is 1
check "hung compiler: says it was stopped, and how to allow more" \
	contains "$ERR" "'$T/bin/aarch64-linux-gnu-gcc -dumpmachine' did not finish in 2 s and was stopped (XBUILD_CHILD_TIMEOUT sets the limit)"
check "hung compiler: it was stopped" eval '[ -s "$T/hung.pid" ] && ! kill -0 "$(cat "$T/hung.pid")" 2>/dev/null'
run timeout 60 env XBUILD_CHILD_TIMEOUT=2 PATH="$T/bin:$PATH" "$XBUILD" toolchain find linux/arm64
check "hung compiler on PATH: the next one is found" \
	eval 'rc_is 0 && contains "$OUT" "CC=/usr/bin/aarch64-linux-gnu-gcc"'
check "hung compiler on PATH: rejected as hung" contains "$OUT" "$T/bin/aarch64-linux-gnu-gcc: '$T/bin/aarch64-linux-gnu-gcc -dumpmachine' did not finish in 2 s"
rm -f "$T/bin/aarch64-linux-gnu-gcc"

# Known prefixes, with the vendor field: ~/x-tools/<triplet>/bin.
mkdir -p "$T/home/x-tools/aarch64-unknown-linux-gnu/bin" "$T/empty"
printf '#!/bin/sh\nexec /usr/bin/aarch64-linux-gnu-gcc "$@"\n' \
	>"$T/home/x-tools/aarch64-unknown-linux-gnu/bin/aarch64-unknown-linux-gnu-gcc"
chmod 755 "$T/home/x-tools/aarch64-unknown-linux-gnu/bin/aarch64-unknown-linux-gnu-gcc"
run env HOME="$T/home" PATH="$T/empty" "$XBUILD" toolchain find linux/arm64 --libc glibc
check "~/x-tools: found with the vendor field" \
	contains "$OUT" "CC=$T/home/x-tools/aarch64-unknown-linux-gnu/bin/aarch64-unknown-linux-gnu-gcc"
check "~/x-tools: source is prefix" contains "$OUT" "(gcc from prefix"

# Nothing works, and fetching zig is refused offline: a clear error.
run env HOME="$T/home2" PATH="$T/empty" XBUILD_CACHE="$T/cold" "$XBUILD" \
	toolchain find linux/arm64 --libc musl --static --fetch --offline
check "nothing found offline: exit 1" rc_is 1
check "nothing found offline: names the missing archive" contains "$ERR" "toolchain 'zig-0.11.0'"
check "nothing found offline: says offline" contains "$ERR" "offline mode is on"

run "$XBUILD" toolchain find linux/arm64 --libc mingw
check "a libc the target has not: exit 1" rc_is 1
check "a libc the target has not: says so" contains "$ERR" "linux/arm64 has no mingw C library"
run "$XBUILD" toolchain find plan9/arm
check "a target without data: exit 1" rc_is 1
check "a target without data: says so" contains "$ERR" "no C toolchain data for plan9/arm"
run "$XBUILD" toolchain find linux
check "a malformed target: exit 2" rc_is 2
run "$XBUILD" toolchain find linux/arm64 --libc glibcc
check "a bad --libc: exit 2" rc_is 2
run "$XBUILD" toolchain frob
check "an unknown action: exit 2" rc_is 2

run "$XBUILD" toolchain list
check "list: exit 0" rc_is 0
check "list: shows linux/arm64 with its compiler" contains "$OUT" "/usr/bin/aarch64-linux-gnu-gcc"
check "list: shows the pinned zig" contains "$OUT" "zig-0.11.0"
run "$XBUILD" toolchain list --json
check "list --json" contains "$OUT" '"archives": ['

# A broken data file is reported with its line.
mkdir -p "$T/data/toolchains"
printf 'version: 1\narchives:\n  - id: x\n    kind: rust\n' >"$T/data/toolchains/bad.yaml"
run env XBUILD_DATADIR="$T/data" "$XBUILD" toolchain list
check "bad data: exit 1" rc_is 1
check "bad data: line and column" contains "$ERR" "bad.yaml:4:11: invalid kind 'rust' (expected zig, gcc, go)"
check "bad data: every error" contains "$ERR" "an archive needs 'urls'"

done_testing
