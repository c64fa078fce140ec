#!/usr/bin/env bash
# inspect reads many files with worker threads (-j, default the CPUs) and
# writes them in the order given: a list longer than the window of files
# in flight, mixing binaries, a truncated one, a missing file, a script, a
# directory, a FIFO and a sparse 3 GiB binary, gives the same bytes on
# stdout and stderr (interleaved: each reason follows its file) with -j4,
# by default and with -j1 (one file at a time), in JSON, text and -v, and
# for a walked tree.
. "$(dirname "$0")/lib.sh"
need_all python3

ls_bin=$(command -v ls)
libc=$(python3 -c 'import os,sys; print(os.path.realpath(sys.argv[1]))' \
	/lib/x86_64-linux-gnu/libc.so.6)
head -c 3000 "$XBUILD" >"$T/truncated"
printf '#!/bin/sh\necho hi\n' >"$T/script.sh"
mkfifo "$T/fifo"
cp "$ls_bin" "$T/huge" && truncate -s 3G "$T/huge"
mkdir "$T/dir"
for i in $(seq 120); do
	printf '%s\n' "$XBUILD" "$T/truncated" "$libc" "$T/nosuch$i" \
		"$T/script.sh" "$T/dir" "$T/fifo" "$ls_bin" "$T/huge"
done >"$T/list"
check "the list is longer than twice the window (512 files)" \
	[ "$(wc -l <"$T/list")" -gt 1024 ]

# same_as_j1 NAME ARGS...: stdout and stderr together, and the exit status,
# of inspect ARGS with -j4 and by default, as with -j1
same_as_j1() {
	local name=$1 rc1 rc4 rcd
	shift
	"$XBUILD" inspect -j1 "$@" <"$T/list" >"$T/j1" 2>&1
	rc1=$?
	"$XBUILD" inspect -j4 "$@" <"$T/list" >"$T/j4" 2>&1
	rc4=$?
	"$XBUILD" inspect "$@" <"$T/list" >"$T/jd" 2>&1
	rcd=$?
	RC=$rc4 OUT=$(head -c 600 "$T/j4") ERR=
	check "$name: -j4 writes what -j1 writes, in the same order" cmp -s "$T/j1" "$T/j4"
	check "$name: the default writes what -j1 writes" cmp -s "$T/j1" "$T/jd"
	check "$name: the same exit status (1: some files failed)" \
		[ "$rc1" -eq 1 -a "$rc4" -eq 1 -a "$rcd" -eq 1 ]
}
same_as_j1 "--json list" --json -
same_as_j1 "text list" -
same_as_j1 "-v list" -v -

"$XBUILD" inspect -j4 --json - <"$T/list" >"$T/out.json" 2>"$T/err"
check "--json -j4: one object per line of the list, in its order" python3 -c '
import json, sys
facts = json.load(open(sys.argv[1]))
paths = open(sys.argv[2]).read().split("\n")[:-1]
sys.exit(0 if [f["path"] for f in facts] == paths else 1)' "$T/out.json" "$T/list"
check "--json -j4: the reasons on stderr in the list's order" python3 -c '
import sys
errs = [l.split(": ", 2)[1] for l in open(sys.argv[1]).read().splitlines()]
good = set(sys.argv[3:])
want = [p for p in open(sys.argv[2]).read().splitlines() if p not in good]
sys.exit(0 if errs == want else 1)' "$T/err" "$T/list" "$XBUILD" "$libc" "$ls_bin" "$T/huge"
check "--json -j4: the sparse 3 GiB file is read" \
	contains "$(cat "$T/out.json")" '"size":3221225472'

# a tree: files from a walk, in the walk's order
mkdir -p "$T/tree/a" "$T/tree/b"
for i in $(seq 40); do
	cp "$T/truncated" "$T/tree/a/t$i"
	cp "$T/script.sh" "$T/tree/b/s$i"
	ln "$XBUILD" "$T/tree/a/x$i" 2>/dev/null || cp "$XBUILD" "$T/tree/a/x$i"
done
# a worker closes its files 64 at a time (close_range), in a file table
# of its own; the same output when a low limit on descriptors is near
need strace
run no_lsan strace -f -c -o "$T/closes" "$XBUILD" inspect -j2 --json - <"$T/list"
closes=$(awk '$NF == "close" || $NF == "close_range" { n += $4 } END { print n + 0 }' "$T/closes")
check "-j2: the files are closed in batches ($closes close calls for $(wc -l <"$T/list") files)" \
	[ "$closes" -lt "$(($(wc -l <"$T/list") / 10))" ]
(ulimit -n 40 && "$XBUILD" inspect -j2 --json - <"$T/list" >"$T/lim" 2>&1)
"$XBUILD" inspect -j1 --json - <"$T/list" >"$T/j1" 2>&1
check "ulimit -n 40: the same output as -j1 with no limit" cmp -s "$T/lim" "$T/j1"
printf '%s\n' "$T/tree" >"$T/list"
same_as_j1 "-r --json tree" -r --json -
same_as_j1 "-r tree" -r -

# output that cannot be written (a reader gone, a full disk): said once,
# exit 1, and the files after it are not read
for i in $(seq 3000); do printf '%s\n' "$XBUILD"; done >"$T/many"
need strace
no_lsan strace -f -e trace=openat -o "$T/opens" "$XBUILD" inspect -j2 --json - \
	<"$T/many" 2>"$T/err" | head -c 1 >/dev/null
opened=$(grep -c -F "\"$XBUILD\"" "$T/opens")
check "a closed pipe: one message ($(wc -l <"$T/err") lines)" \
	[ "$(grep -c 'cannot write output: Broken pipe' "$T/err")" -eq 1 -a "$(wc -l <"$T/err")" -eq 1 ]
check "a closed pipe: the files after it are not read ($opened of 3000 opened)" \
	[ "$opened" -lt 1500 ]
for j in 1 2; do
	"$XBUILD" inspect -j$j "$XBUILD" "$XBUILD" >/dev/full 2>"$T/err"
	RC=$? OUT= ERR=$(cat "$T/err")
	check "-j$j, /dev/full: exit 1" rc_is 1
	check "-j$j, /dev/full: one message" \
		[ "$ERR" = "xbuild: cannot write output: No space left on device" ]
done
"$XBUILD" inspect -r "$T/tree" >/dev/full 2>"$T/err"
RC=$? OUT= ERR=$(cat "$T/err")
check "-r, /dev/full: exit 1, one message, the walk stopped" \
	[ "$RC" -eq 1 -a "$ERR" = "xbuild: cannot write output: No space left on device" ]

run "$XBUILD" inspect -j4 --json "$XBUILD"
check "one file with -j4: one object, no array" [ "${OUT:0:9}" = '{"path":"' ]
run "$XBUILD" inspect -j0 "$XBUILD"
check "-j0: usage error" rc_is 2
check "-j0: says what is expected" contains "$ERR" "invalid --jobs '0' (expected 1 to 64)"
run "$XBUILD" inspect -j 2x "$XBUILD"
check "-j 2x: usage error" rc_is 2
done_testing
