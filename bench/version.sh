# xbuild --version: start-up cost, against /bin/true as the floor.
. "$(dirname "$0")/lib.sh"
x=$(best_of_us 50 "$XBUILD" --version)
t=$(best_of_us 50 /bin/true)
echo "xbuild --version: best of 50: ${x} us (target: under 5000 us)"
echo "/bin/true:        best of 50: ${t} us"
echo "ratio xbuild/true: $(ratio "$x" "$t")"
[ "$x" -lt 5000 ] || { echo "FAIL: over 5 ms"; exit 1; }
