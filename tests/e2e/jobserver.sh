#!/usr/bin/env bash
# The executor under a real GNU make: its jobserver bounds the total (pipe
# form under make, fifo form with a FIFO made here), every token comes
# back, and SIGINT/SIGTERM stop every child.  Drives tests/tools/
# xb-exec-driver (xb_exec_run over N copies of a command); overlap is
# measured from timestamps the children write.
. "$(dirname "$0")/lib.sh"

# The makes here are our own, whatever make runs the tests.
unset MAKEFLAGS MFLAGS MAKELEVEL

DRIVER=${DRIVER:-$TOP/build/tests/tools/xb-exec-driver}
[ -x "$DRIVER" ] || { fail "$DRIVER is built (make check builds it)"; done_testing; exit 1; }
need_all make

# A child: appends "S <ns>" and "E <ns>" to $1 around a short sleep.
child='echo "S $(date +%s%N)" >> "$1"; sleep 0.3; echo "E $(date +%s%N)" >> "$1"'
printf '%s\n' "$child" >"$T/child.sh"

# overlap FILE: the most children that ran at once (an end sorts before a
# start at the same instant).
overlap() {
	sort -k2,2n -k1,1 "$1" |
		awk '{ c += ($1 == "S") ? 1 : -1; if (c > m) m = c } END { print m + 0 }'
}
is() { [ "$1" = "$2" ]; }
le() { [ "$1" -le "$2" ]; }

# A Makefile whose recipes run the driver; '+' passes make's jobserver.
cat >"$T/Makefile" <<EOF
D = $DRIVER
C = sh $T/child.sh
all: second
first:
	+@\$(D) 3 \$(C) $T/first.log > $T/first.out
second: first
	+@\$(D) 2 \$(C) $T/second.log > $T/second.out
pair: one two
one:
	+@\$(D) 2 \$(C) $T/pair.log > $T/one.out
two:
	+@\$(D) 2 \$(C) $T/pair.log > $T/two.out
plain:
	@\$(D) 2 \$(C) $T/plain.log > $T/plain.out
EOF

# make -j1 passes no jobserver, only -j1: the jobs are serialized
run make -s -C "$T" -j1
check "make -j1 completes" rc_is 0
check "make -j1: no overlap" is "$(overlap "$T/first.log")" 1

# make -j2: one token in the pipe, our implicit one: two at once
rm -f "$T"/*.log
run make -s -C "$T" -j2
check "make -j2 completes" rc_is 0
check "make -j2: jobs overlap" is "$(overlap "$T/first.log")" 2
# the second recipe only gets its token back if the first returned it
check "make -j2: the token came back for the next recipe" \
	is "$(overlap "$T/second.log")" 2
check "make -j2: make saw no missing token" lacks "$ERR" "jobserver"
check "make -j2: nothing on stderr" is "$ERR" ""

# two drivers at once under -j2 share two slots between them
run make -s -C "$T" -j2 pair
check "make -j2 pair completes" rc_is 0
check "two drivers under -j2: never more than 2 at once" \
	le "$(overlap "$T/pair.log")" 2
check "both drivers ran every job" is "$(wc -l <"$T/pair.log")" 8

# make -j3: three at once, not more
rm -f "$T/first.log"
run make -s -C "$T" -j3 first
check "make -j3: at most 3 at once" le "$(overlap "$T/first.log")" 3
check "make -j3: they overlap" le 2 "$(overlap "$T/first.log")"

# without '+' make closes the jobserver fds: warn, then one at a time
run make -s -C "$T" -j2 plain
check "recipe without '+' completes" rc_is 0
check "recipe without '+': the reason is given" \
	contains "$ERR" "jobserver ignored: jobserver fd"
check "recipe without '+': serialized" is "$(overlap "$T/plain.log")" 1

# make 4.4's fifo form, with a FIFO made and filled here.  fd 3 keeps it
# open (a FIFO's bytes vanish when the last holder closes it).
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
printf '++' >&3
count_tokens() {
	local n=0 c
	while IFS= read -r -t 0.2 -N 1 c <&3; do n=$((n + 1)); done
	echo "$n"
}
run env MAKEFLAGS="-j3 --jobserver-auth=fifo:$T/fifo" \
	"$DRIVER" 4 sh "$T/child.sh" "$T/fifo.log"
check "fifo jobserver: runs" rc_is 0
check "fifo jobserver: at most 3 at once" le "$(overlap "$T/fifo.log")" 3
check "fifo jobserver: they overlap" le 2 "$(overlap "$T/fifo.log")"
check "fifo jobserver: both tokens are back" is "$(count_tokens)" 2
printf '+' >&3
run env MAKEFLAGS="--jobserver-auth=fifo:$T/fifo" "$DRIVER" 3 false
check "fifo jobserver: a failing run exits 1" rc_is 1
check "fifo jobserver: tokens back after a failure" is "$(count_tokens)" 1
exec 3>&-

# ---- signals ---------------------------------------------------------
set -m # an asynchronous command of a non-interactive shell ignores SIGINT

# gone PID: not running (a zombie waiting for init counts as gone); gives
# a process that was sent SIGKILL two seconds
gone() {
	local i st
	for i in $(seq 100); do
		st=$(ps -o stat= -p "$1" 2>/dev/null)
		case $st in "" | Z*) return 0 ;; esac
		sleep 0.02
	done
	return 1
}
group_gone() {
	local p
	for p in $(pgrep -g "$1"); do gone "$p" || return 1; done
}

# wait_for N FILE: until FILE has N "ready" lines (10 s at most)
wait_for() {
	local i
	for i in $(seq 500); do
		[ "$(grep -c ready "$2" 2>/dev/null)" -ge "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# interrupt SIG: three jobs, two at a time (the third never starts): one
# plain, one that ignores SIGTERM, each with a grandchild; the driver is
# sent SIG once both are ready
interrupt() {
	local sig=$1 pid
	rm -f "$T/pids" "$T/clean" "$T/sig.out"
	"$DRIVER" -j 2 -g 300 -p "$T/pids" -c "$T/clean" 3 sh -c '
		[ "$XB_JOB" = 1 ] && trap "" TERM
		sleep 30 & echo $! >> "$1"
		echo ready; wait' sh "$T/pids" >"$T/sig.out" 2>"$T/sig.err" &
	pid=$!
	wait_for 2 "$T/sig.out"
	kill "-$sig" "$pid"
	wait "$pid"
	RC=$?
	OUT=$(cat "$T/sig.out") ERR=$(cat "$T/sig.err")
}

all_gone() {
	local p
	[ -s "$T/pids" ] || return 1
	for p in $(cat "$T/pids"); do
		gone "$p" || { echo "still running: $p" >&2; return 1; }
		group_gone "$p" || { echo "group $p still running" >&2; return 1; }
	done
}

interrupt INT
check "SIGINT: exit 130" rc_is 130
check "SIGINT: reported" contains "$ERR" "interrupted by SIGINT"
check "SIGINT: cleanup hook ran" is "$(cat "$T/clean" 2>/dev/null)" "interrupted 2"
check "SIGINT: every child, grandchild and group is gone" all_gone
check "SIGINT: recorded 2 children and 2 grandchildren" \
	is "$(wc -l <"$T/pids")" 4
check "SIGINT: the third job never started" contains "$OUT" "skipped 1 stopped 2"
check "SIGINT: the child that ignored SIGTERM was killed" \
	contains "$OUT" "exit 137"
check "SIGINT: the plain child ended on SIGTERM" contains "$OUT" "exit 143"

interrupt TERM
check "SIGTERM: exit 143" rc_is 143
check "SIGTERM: cleanup hook ran" is "$(cat "$T/clean" 2>/dev/null)" "interrupted 15"
check "SIGTERM: every child, grandchild and group is gone" all_gone

done_testing
