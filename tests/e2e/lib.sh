# lib.sh: sourced by every end-to-end test.  Speaks TAP, runs the real
# xbuild binary ($XBUILD), and gives each test a scratch folder ($T) that is
# removed on exit.
set -u
TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
XBUILD=${XBUILD:-$TOP/xbuild}
T=$(mktemp -d "${TMPDIR:-/tmp}/xbuild-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0 _failed=0
OUT= ERR= RC=0

pass() { _n=$((_n + 1)); echo "ok $_n - $1"; }
fail() {
	_n=$((_n + 1)) _failed=$((_failed + 1))
	echo "not ok $_n - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	"$@" >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
}

# check NAME TEST...: passes when the test command succeeds; on failure
# shows the last run's status and output.
check() {
	local name=$1
	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name" "check failed: $*" "exit: $RC" \
			"stdout: $(printf '%s' "$OUT" | head -c 1500)" \
			"stderr: $(printf '%s' "$ERR" | head -c 1500)"
	fi
}

contains() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
lacks() { ! contains "$1" "$2"; }
rc_is() { [ "$RC" -eq "$1" ]; }
lines() { printf '%s\n' "$1" | wc -l; }

# need TOOL...: true when every tool is on PATH; otherwise each missing
# one is a failed test (scripts/install-deps provides them all, so a
# missing tool is a broken setup, never a reason to pass).
need() {
	local t ok=0
	for t; do
		command -v "$t" >/dev/null 2>&1 ||
			{ fail "$t is installed (scripts/install-deps provides it)"; ok=1; }
	done
	return $ok
}
# need_all TOOL...: the same, and the test stops when one is missing.
need_all() { need "$@" || { done_testing; exit 1; }; }

# no_lsan CMD...: CMD without a sanitized build's leak checker, which
# cannot run under ptrace (strace)
no_lsan() { ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@"; }

# with_proxy CMD...: runs CMD with the machine's own module proxy settings
# (tests/run keeps them; tests are offline otherwise)
with_proxy() {
	(
		for v in GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GONOPROXY GOINSECURE GOFLAGS; do
			s=XBUILD_SAVED_$v
			if [ -n "${!s+x}" ]; then export "$v=${!s#=}"; else unset "$v"; fi
		done
		"$@"
	)
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
