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
# each_us N STAT CMD...: each CMD (a line for sh -c) run in turn, N rounds,
# so that all meet the same moments of a noisy machine; per CMD, in the
# order given and space-separated, its fastest run (STAT best) or its
# median (STAT median), in microseconds.
each_us() {
	local n=$1 stat=$2 i d s e
	shift 2
	local -a runs=()
	for _ in $(seq "$n"); do
		i=0
		for c in "$@"; do
			s=$(date +%s%N)
			sh -c "$c" >/dev/null 2>&1
			e=$(date +%s%N)
			d=$(((e - s) / 1000))
			runs[$i]="${runs[$i]:-} $d"
			i=$((i + 1))
		done
	done
	for r in "${runs[@]}"; do
		printf '%s\n' $r | sort -n | awk -v stat="$stat" '
			{ v[NR] = $1 }
			END { print (stat == "median") ? v[int((NR + 1) / 2)] : v[1] }'
	done | paste -sd' '
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'; }

# row NAME VALUE OP GOAL [UNIT]: one row of the speed targets' table: the figure
# and its target (OP is <= or >=), "ok" or "MISSED".  Rows are also
# appended to $BENCH_ROWS (bench/run prints them all at the end), and a
# missed one is remembered: bench_status is then 1.
_bench_missed=0
row() {
	local name=$1 value=$2 op=$3 goal=$4 unit=${5:-} met line
	met=$(awk -v v="$value" -v g="$goal" -v op="$op" 'BEGIN {
		if (v !~ /^[-+]?[0-9.]+$/) { print 0; exit }
		print (op == "<=" ? v + 0 <= g + 0 : v + 0 >= g + 0) ? 1 : 0 }')
	line=$(printf '%-62s %8s%-3s target %s %s%s  %s' "$name" "$value" "$unit" \
		"$op" "$goal" "$unit" "$([ "$met" = 1 ] && echo ok || echo MISSED)")
	echo "$line"
	[ -z "${BENCH_ROWS:-}" ] || echo "$line" >>"$BENCH_ROWS"
	[ "$met" = 1 ] || _bench_missed=1
}
# the exit status of a bench: 1 when a row missed its target
bench_status() { return $_bench_missed; }
