# lib.sh: sourced by benchmarks.  Timing helpers in milliseconds.
set -u
now_ms() { date +%s%3N; }
# time_ms CMD...: wall time of one run of CMD, in ms (stdout discarded).
time_ms() {
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}
# best_of N CMD...: the fastest of N runs, in microseconds.
best_of_us() {
	local n=$1 best= s e d
	shift
	for _ in $(seq "$n"); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		d=$(((e - s) / 1000))
		[ -z "$best" ] || [ "$d" -lt "$best" ] && best=$d
	done
	echo "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'; }
