# inspect: every ELF file under /usr/bin and /usr/lib in one process,
# against file -b, readelf -hlSdnW and scanelf -qa on the same list (each
# also given the whole list, in as few processes as xargs makes).  The
# fastest of 15 rounds, the four run in turn, warm cache, less the
# shell's start-up (each_us).  Targets: at least 3x scanelf's rate, 12x
# file's.
. "$(dirname "$0")/lib.sh"
list=$(mktemp)
EACH_US_SHELL=$(mktemp)
export EACH_US_SHELL
trap 'rm -f "$list" "$EACH_US_SHELL"' EXIT
python3 - /usr/bin /usr/lib >"$list" <<'PY'
import os, sys
for root in sys.argv[1:]:
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            try:
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                with open(p, "rb") as fh:
                    if fh.read(4) == b"\x7fELF":
                        print(p)
            except OSError:
                pass
PY
n=$(wc -l <"$list")
echo "files: $n ELF files under /usr/bin and /usr/lib"
"$XBUILD" inspect --json - <"$list" >/dev/null 2>&1 # warm the cache
# the four in turn, 15 rounds, the fastest run of each: a moment of other
# work on the machine falls on all alike, and a run is only ever slowed
read -r x f r s < <(each_us 15 best "'$XBUILD' inspect --json - <'$list'" \
	"file -b -f '$list'" "xargs -d '\\n' readelf -hlSdnW <'$list'" \
	"xargs -d '\\n' scanelf -qa <'$list'")
# cpu_us N CMD...: the least CPU time (user + system, with the processes
# it waits for) of N runs of CMD, in microseconds: a figure that other
# work on the machine moves less than the wall time
cpu_us() {
	python3 -c '
import os, sys
best = None
for _ in range(int(sys.argv[1])):
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.execvp(sys.argv[2], sys.argv[2:])
    ru = os.wait4(pid, 0)[2]
    t = ru.ru_utime + ru.ru_stime
    best = t if best is None or t < best else best
print(int(best * 1e6))' "$@"
}
xc=$(cpu_us 3 sh -c '"$1" inspect --json - <"$2"' _ "$XBUILD" "$list")
sc=$(cpu_us 3 sh -c 'xargs -d "\n" scanelf -qa <"$1"' _ "$list")
rate() { awk -v n="$n" -v us="$1" 'BEGIN { printf "%.0f", n / (us / 1e6) }'; }
printf '%-26s %9s %10s\n' tool "ms" "files/s"
printf '%-26s %9d %10s\n' "xbuild inspect --json" $((x / 1000)) "$(rate "$x")"
printf '%-26s %9d %10s\n' "file -b" $((f / 1000)) "$(rate "$f")"
printf '%-26s %9d %10s\n' "readelf -hlSdnW" $((r / 1000)) "$(rate "$r")"
printf '%-26s %9d %10s\n' "scanelf -qa" $((s / 1000)) "$(rate "$s")"
echo "ratio vs readelf: $(ratio "$r" "$x")x"
sh_us=$(cat "$EACH_US_SHELL")
echo "ratio vs scanelf with the shell's start-up ($sh_us us) left in each figure: $(ratio $((s + sh_us)) $((x + sh_us)))x"
echo "cpu ms (user + system, least of 3): xbuild inspect $((xc / 1000)) ($((xc / n)) us a file), scanelf $((sc / 1000)); scanelf / xbuild $(ratio "$sc" "$xc")x"
row "inspect --json of every ELF / scanelf -qa (times faster)" "$(ratio "$s" "$x")" ">=" 3 x
row "inspect / file -b (times faster)" "$(ratio "$f" "$x")" ">=" 12 x
bench_status
