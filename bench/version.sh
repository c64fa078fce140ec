# xbuild --version: start-up cost, against /bin/true as the floor.
. "$(dirname "$0")/lib.sh"
x=$(best_of_us 50 "$XBUILD" --version)
t=$(best_of_us 50 /bin/true)
echo "xbuild --version: best of 50: ${x} us"
echo "/bin/true:        best of 50: ${t} us"
echo "ratio xbuild/true: $(ratio "$x" "$t")"
row "xbuild --version over /bin/true (both timed the same way)" \
	"+$(awk -v d=$((x - t)) 'BEGIN { printf "%.1f", d / 1000 }')" "<=" 5 ms
bench_status
