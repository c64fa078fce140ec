#!/usr/bin/env bash
# What a build shows as it goes, on a terminal and off it: under a real
# pty (python3's pty module) a progress line with the phase, targets done
# of all and the elapsed time, redrawn while a slow go build runs, and
# status words in colour unless NO_COLOR; through a pipe, plain lines and
# no escape at all.  -q and -v of build and release.
. "$(dirname "$0")/lib.sh"
need_all go python3
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
mkdir -p "$T/src"
cp -r "$TOP/examples/go.mod" "$TOP/examples/hello" "$T/src/"
cd "$T/src" || exit 1

# a go whose builds take three seconds, so that the line is redrawn
realgo=$(command -v go)
printf '#!/bin/sh\n[ "$1" = build ] && sleep 3\nexec %s "$@"\n' "$realgo" >"$T/slowgo"
chmod +x "$T/slowgo"

# on_pty OUTFILE CMD...: runs CMD on a pseudo-terminal (stdout and stderr
# both), keeping every byte it writes; $RC is its exit status
on_pty() {
	local out=$1
	shift
	python3 -c '
import os, pty, sys
out, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(out, "wb").write(data)
sys.exit(os.waitstatus_to_exitcode(status))
' "$out" "$@"
	RC=$?
	OUT=$(cat -v "$out")
	ERR=
}
# has FILE REGEX: the raw bytes match (a Python bytes regex)
has() {
	python3 -c 'import re,sys; sys.exit(0 if re.search(sys.argv[2].encode(), open(sys.argv[1],"rb").read()) else 1)' "$1" "$2"
}
hasnt() { ! has "$@"; }
# --force: every run builds, the same output each time
b() { "$XBUILD" build --force --go "$T/slowgo" -t linux/amd64 -o "$T/out/{name}" "$@" ./hello; }

# ---- on a terminal ---------------------------------------------------------
on_pty "$T/tty" env TERM=xterm NO_COLOR= "$XBUILD" build --force --go "$T/slowgo" -t linux/amd64 -o "$T/out/{name}" ./hello
check "on a pty: the build exits 0" rc_is 0
check "on a pty: a progress line with phase and done/total" has "$T/tty" '\r\x1b\[K\[0/1\] building, [01]s: linux/amd64'
check "on a pty: the line is redrawn with the elapsed time" has "$T/tty" '\[0/1\] building, 2s: linux/amd64'
check "on a pty: redrawn every second" \
	[ "$(python3 -c 'import re,sys; print(len(set(re.findall(rb"building, (\d+)s:", open(sys.argv[1],"rb").read()))))' "$T/tty")" -ge 3 ]
check "on a pty: built and verified, in green" has "$T/tty" '\x1b\[32mbuilt and verified\x1b\[0m'
check "on a pty: the verdict ok, in green" has "$T/tty" '\x1b\[32mok\x1b\[0m'
check "on a pty: the line is cleared before the table" has "$T/tty" '\r\x1b\[Kxbuild: linux/amd64: '
on_pty "$T/nocolor" env TERM=xterm NO_COLOR=1 "$XBUILD" build --force --go "$T/slowgo" -t linux/amd64 -o "$T/out/{name}" ./hello
check "NO_COLOR=1 on a pty: exits 0" rc_is 0
check "NO_COLOR=1 on a pty: no colour" hasnt "$T/nocolor" '\x1b\[3[0-9]m'
check "NO_COLOR=1 on a pty: the progress line still" has "$T/nocolor" '\[0/1\] building, 1s'
on_pty "$T/dumb" env TERM=dumb "$XBUILD" build --force --go "$T/slowgo" -t linux/amd64 -o "$T/out/{name}" ./hello
check "TERM=dumb on a pty: no escape at all" hasnt "$T/dumb" '\x1b'
on_pty "$T/quiet" env TERM=xterm "$XBUILD" build --force -q --go "$T/slowgo" -t linux/amd64 -o "$T/out/{name}" ./hello
check "build -q on a pty: exits 0" rc_is 0
check "build -q on a pty: nothing at all" [ ! -s "$T/quiet" ]

# ---- off a terminal ---------------------------------------------------------
run b
check "through a pipe: exits 0" rc_is 0
check "through a pipe: a plain line per target" contains "$ERR" "xbuild: linux/amd64: built and verified in "
check "through a pipe: no carriage return or escape" \
	python3 -c 'import sys; sys.exit(any(c in sys.argv[1] for c in "\r\x1b"))' "$OUT$ERR"
run b -v
check "build -v: each target's command" contains "$ERR" "xbuild: linux/amd64: "
check "build -v: its environment and go build line" \
	bash -c '[[ $1 == *GOOS=linux*GOARCH=amd64*" build -o "*"./hello"* ]]' _ "$ERR"
run b -q -v
check "build -q -v: a conflict, exit 2" rc_is 2
check "build -q -v: names both" contains "$ERR" "options '--quiet' and '--verbose' conflict"

# ---- release -q / -v --------------------------------------------------------
printf 'version: 1\nname: hello\nmain: [./hello]\ntargets: [linux/amd64]\n' >"$T/rel.yaml"
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist-q" --quiet
check "release --quiet exits 0" rc_is 0
check "release --quiet: nothing on stdout or stderr" [ -z "$OUT$ERR" ]
check "release --quiet: the release is there" [ -f "$T/dist-q/SHA256SUMS" ]
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist-v" -v
check "release -v exits 0" rc_is 0
check "release -v: each target's command" contains "$ERR" " build -o "
check "release -v: the closing line (a binary and its SBOM)" contains "$OUT" "released 2 artifacts (1 target)"
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist-qv" -q -v
check "release -q -v: a conflict, exit 2" rc_is 2

done_testing
