#!/usr/bin/env bash
# The test suite can fail: tests/run counts a program that tests nothing, a
# crash and a sanitizer report as failures and runs TESTS_JOBS programs at
# once; a missing tool fails a test (need_all); checker_diff.sh fails when
# its comparer does not run to its end.
. "$(dirname "$0")/lib.sh"
need_all cc python3
export TESTS_LOGDIR=$T/logs

# runner TEST...: tests/run on the given programs, into $OUT/$RC
runner() { run "$TOP/tests/run" "$@"; }

cat >"$T/silent.sh" <<'SH'
echo "nothing to see"
SH
runner "$T/silent.sh"
check "a test that tests nothing: failed" eval '! rc_is 0 && contains "$OUT" "0 passed, 1 failed"'

cat >"$T/crash.sh" <<'SH'
echo "ok 1 - first"
kill -SEGV $$
SH
runner "$T/crash.sh"
check "a test that dies after a pass: failed" eval '! rc_is 0 && contains "$OUT" "1 passed, 1 failed"'

# a sanitized program with a heap overflow, run by a test that ignores
# its exit status
cat >"$T/ovf.c" <<'C'
#include <stdlib.h>
int main(int argc, char **argv) { char *p = malloc(4); p[argc + 4] = 1; (void)argv; free(p); return 0; }
C
if cc -fsanitize=address -g -o "$T/ovf" "$T/ovf.c" 2>"$T/cc.err"; then
	cat >"$T/san.sh" <<SH
"$T/ovf" || true
echo "ok 1 - the report was ignored"
SH
	runner "$T/san.sh"
	check "a sanitizer report in an ignored run: failed" \
		eval '! rc_is 0 && contains "$OUT" "FAIL sanitizer report" && contains "$OUT" "heap-buffer-overflow"'
else
	fail "cc -fsanitize=address works" "$(cat "$T/cc.err")"
fi

# two programs at once: each writes its start and end time
for n in 1 2; do
	cat >"$T/slow$n.sh" <<SH
date +%s.%N >"$T/start$n"; sleep 1; date +%s.%N >"$T/end$n"; echo "ok 1 - slow $n"
SH
done
run env TESTS_JOBS=2 "$TOP/tests/run" "$T/slow1.sh" "$T/slow2.sh"
check "TESTS_JOBS=2: both pass" eval 'rc_is 0 && contains "$OUT" "2 passed, 0 failed"'
check "TESTS_JOBS=2: they overlap" \
	awk -v s2="$(cat "$T/start2")" -v e1="$(cat "$T/end1")" 'BEGIN { exit !(s2 < e1) }'
run env TESTS_JOBS=1 "$TOP/tests/run" "$T/slow1.sh" "$T/slow2.sh"
check "TESTS_JOBS=1: one after the other" \
	awk -v s2="$(cat "$T/start2")" -v e1="$(cat "$T/end1")" 'BEGIN { exit !(s2 >= e1) }'
run env TESTS_JOBS=x "$TOP/tests/run" "$T/slow1.sh"
check "TESTS_JOBS=x: a usage error" eval 'rc_is 2 && contains "$ERR" "TESTS_JOBS"'

# need_all: a tool install-deps provides and that is missing
cat >"$T/needs.sh" <<SH
. "$TOP/tests/e2e/lib.sh"
need_all no-such-tool-xbuild
pass "not reached"
done_testing
SH
runner "$T/needs.sh"
check "a missing tool fails the test, never skips it" \
	eval '! rc_is 0 && contains "$OUT" "no-such-tool-xbuild is installed" && lacks "$OUT" "not reached"'

# checker_diff.sh with a comparer that raises
mkdir -p "$T/shim"
real_py=$(command -v python3)
cat >"$T/shim/python3" <<SH
#!/bin/sh
if [ "\$1" = - ]; then cat >/dev/null; echo "Traceback: the comparer broke" >&2; exit 1; fi
exec "$real_py" "\$@"
SH
chmod +x "$T/shim/python3"
run env PATH="$T/shim:$PATH" CHECKER_DIFF_MAX=5 bash "$TOP/tests/e2e/checker_diff.sh"
check "checker_diff.sh fails when its comparer raises" \
	eval '! rc_is 0 && contains "$OUT" "not ok" && contains "$OUT" "the comparer ran to its end"'

done_testing
