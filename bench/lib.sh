# lib.sh: sourced by benchmarks.  Timing helpers in milliseconds.
set -u
# The clock is bash's own ($EPOCHREALTIME, microseconds, whatever the
# locale's decimal point): reading it starts no process, where two `date`
# processes a sample would add 1-3 ms to every figure.
# clock VAR: the time in microseconds into VAR (no subshell, as a $(...)
# would start).
clock() { printf -v "$1" '%s' "${EPOCHREALTIME//[!0-9]/}"; }
now_ms() { local t; clock t; echo $((t / 1000)); }
# time_ms CMD...: wall time of one run of CMD, in ms (stdout discarded).
time_ms() {
	local s e
	clock s
	"$@" >/dev/null 2>&1
	clock e
	echo $(((e - s) / 1000))
}
# best_of N CMD...: the fastest of N runs, in microseconds.
best_of_us() {
	local n=$1 best= s e d
	shift
	for _ in $(seq "$n"); do
		clock s
		"$@" >/dev/null 2>&1
		clock e
		d=$((e - s))
		[ -z "$best" ] || [ "$d" -lt "$best" ] && best=$d
	done
	echo "$best"
}
# each_us N STAT CMD...: each CMD (a line for sh -c) run in turn, N rounds,
# so that all meet the same moments of a noisy machine; per CMD, in the
# order given and space-separated, its fastest run (STAT best) or its
# median (STAT median), in microseconds, less the same figure of an empty
# line (`sh -c :`, run in the same rounds, its figure on stderr and in
# the file $EACH_US_SHELL when set): what starting the shell costs is the
# harness's, not the command's.
each_us() {
	local n=$1 stat=$2 i d s e
	shift 2
	local -a runs=()
	for _ in $(seq "$n"); do
		i=0
		for c in : "$@"; do
			clock s
			sh -c "$c" >/dev/null 2>&1
			clock e
			d=$((e - s))
			runs[$i]="${runs[$i]:-} $d"
			i=$((i + 1))
		done
	done
	for r in "${runs[@]}"; do
		printf '%s\n' $r | sort -n | awk -v stat="$stat" '
			{ v[NR] = $1 }
			END { print (stat == "median") ? v[int((NR + 1) / 2)] : v[1] }'
	done | awk 'NR == 1 { shell = $1; print "shell start-up (taken from each figure): " shell " us" >"/dev/stderr"
			if (ENVIRON["EACH_US_SHELL"] != "") { print shell >ENVIRON["EACH_US_SHELL"]; close(ENVIRON["EACH_US_SHELL"]) }
			next }
		{ printf "%s%d", (NR > 2 ? " " : ""), ($1 > shell ? $1 - shell : 1) }
		END { print "" }'
}
# paired_ratio N CMD_A CMD_B: N rounds of the two lines for sh -c, one
# right after the other, A first in odd rounds and B first in even ones;
# prints "RATIO MEDIAN_A MEDIAN_B" (microseconds): RATIO is the mean of the
# middle half of the rounds' B/A ratios.  This machine's speed drifts over
# seconds (the go build line's times in consecutive runs correlate, 0.3-
# 0.55), which the pairs cancel: the figure's spread is half that of the
# ratio of medians of as many runs.
paired_ratio() {
	local n=$1 a=$2 b=$3 i s e ta tb
	local -a rows=()
	for i in $(seq "$n"); do
		for c in $([ $((i % 2)) = 1 ] && echo a b || echo b a); do
			clock s
			if [ "$c" = a ]; then sh -c "$a" >/dev/null 2>&1; else sh -c "$b" >/dev/null 2>&1; fi
			clock e
			if [ "$c" = a ]; then ta=$((e - s)); else tb=$((e - s)); fi
		done
		rows+=("$ta $tb")
	done
	printf '%s\n' "${rows[@]}" | awk '
		{ a[NR] = $1; b[NR] = $2; r[NR] = $2 / $1 }
		function sort(v, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
		}
		END {
			sort(r, NR); sort(a, NR); sort(b, NR)
			lo = int(NR / 4) + 1; hi = NR - int(NR / 4); sum = 0
			for (i = lo; i <= hi; i++) sum += r[i]
			printf "%.3f %d %d\n", sum / (hi - lo + 1), a[int((NR + 1) / 2)], b[int((NR + 1) / 2)]
		}'
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
