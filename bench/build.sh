# xbuild build against the go build lines a user would otherwise write:
# one target on a warm Go cache (target: ratio at most 1.03), and six
# targets with -j2 against make -j2 of the same lines (at most 1.00) and
# against a sequential shell loop (at most 0.80), each xbuild run building
# (--force).  The go list cache is warm, as it is from the second build
# on; the one-target figure without it is printed too.  Then rebuilds
# with nothing changed, where xbuild finds its artifacts up to date and go
# build its outputs: one target (at most 1.0) and six under -j2 (at most
# 1.0).  Six targets right after an edit are timed too (printed, no
# target).  The one- and six-target rows pair each xbuild run with a run of
# what it is compared with (paired_ratio); the no-op rows take the best
# of several runs of each (best_of_us).
. "$(dirname "$0")/lib.sh"
export GOPROXY=off GOTOOLCHAIN=local
unset MAKELEVEL MAKEFLAGS MFLAGS
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# the sources keep their times (cp -a), as in a checkout: xbuild trusts
# no go list answer about a folder changed in the last two seconds (file
# times are coarse), so a fresh copy would make the first rounds list
# again
cp -a "$TOP/examples" "$w/ex"
cd "$w/ex"
targets="linux/amd64 linux/arm64 linux/386 linux/arm/7 windows/amd64 darwin/arm64"

# the exact go build line xbuild plans for linux/amd64, as a user would
# type it; warm the Go cache with one run of each first
line=$("$XBUILD" plan --format shell -t linux/amd64 -o "$w/go-one" ./netcidr)
eval "$line" >/dev/null 2>&1
"$XBUILD" -t linux/amd64 -o "$w/xb-one" ./netcidr >/dev/null 2>&1
# the go build line and xbuild, each a line for sh -c, in pairs, 121
# rounds: a go build's own time varies by a tenth here from run to run,
# both ways, and drifts with the machine over seconds, which pairs
# cancel; the row is the mean of the middle half of the rounds' ratios
# (the medians and best runs are printed too).  Then xbuild without the go
# list cache (what it saves), paired with the go build line again
xb_one="'$XBUILD' --force -t linux/amd64 -o '$w/xb-one' ./netcidr"
read -r one go_ms xb_ms < <(paired_ratio 121 "$line" "$xb_one")
read -r go_best xb_best < <(each_us 3 best "$line" "$xb_one")
read -r off go_off off_ms < <(paired_ratio 5 "$line" "XBUILD_GOLIST_CACHE=off $xb_one")
echo "one target, warm cache: go build ${go_ms} us, xbuild build ${xb_ms} us (medians of 121 rounds in pairs; best of 3 more: ${go_best} and ${xb_best} us)"
echo "  without the go list cache (XBUILD_GOLIST_CACHE=off): ${off_ms} us against ${go_off} us (medians of 5 pairs), ratio $off"
row "one target, xbuild / the same go build line (121 pairs)" "$one" "<=" 1.03

# six targets: the planned go build lines, run one after another and
# under make -j2, against xbuild -j2
: >lines.sh
: >Makefile
all=
i=0
for t in $targets; do
	"$XBUILD" plan --format shell -t "$t" -o "$w/loop/$i" ./hello >>lines.sh
	l=$("$XBUILD" plan --format shell -t "$t" -o "$w/make/$i" ./hello)
	printf 't%d:\n\t%s\n' "$i" "$(printf '%s' "$l" | sed 's/\$/$$/g')" >>Makefile
	all="$all t$i"
	i=$((i + 1))
done
printf 'all:%s\n.PHONY: all%s\n' "$all" "$all" >>Makefile
mkdir -p "$w/loop" "$w/make"
set -- $targets
xargs_t=$(printf -- '-t %s ' "$@")
sh lines.sh >/dev/null 2>&1   # warm every target's cache
"$XBUILD" $xargs_t -j2 -o "$w/xb/{target}/hello" ./hello >/dev/null 2>&1
# xbuild -j2 paired with make -j2, then with the loop, 11 rounds each
# (paired_ratio: the mean of the middle half of the rounds' ratios)
xb_six="'$XBUILD' $xargs_t --force -j2 -o '$w/xb/{target}/hello' ./hello"
read -r vs_mk mk xb < <(paired_ratio 11 "make -s -j2 all" "$xb_six")
read -r vs_loop loop xb2 < <(paired_ratio 11 "sh lines.sh" "$xb_six")
echo "six targets, warm cache: make -j2 ${mk} us against xbuild -j2 ${xb} us, shell loop ${loop} us against ${xb2} us (medians of 11 pairs each)"
echo "  (xbuild also plans, proves every artifact with its checker and renames it into place)"
row "six targets, xbuild -j2 / make -j2 of the same go build lines" "$vs_mk" "<=" 1.00
row "six targets, xbuild -j2 / sequential loop" "$vs_loop" "<=" 0.80
# after an edit to main.go (a comment added, its time set five seconds
# back as an edit made some seconds before the build): go compiles and
# links again on both sides, and xbuild also asks go list again, for its
# plans and for its records.  Printed; not a target of the table
edit="echo '// an edit' >>hello/main.go && touch -d '-5 seconds' hello/main.go"
xb_edit="'$XBUILD' $xargs_t -j2 -o '$w/xb/{target}/hello' ./hello"
read -r vs_edit mk_e xb_e < <(paired_ratio 7 "$edit && make -s -j2 all" "$edit && $xb_edit")
echo "six targets after an edit: make -j2 ${mk_e} us, xbuild -j2 ${xb_e} us (medians of 7 pairs), xbuild / make ${vs_edit} (not a target)"

# no-op rebuilds: the go build lines as a user types them (go sees that
# the file at -o is up to date only when its build ID is there), against
# xbuild finding its artifacts up to date
noop_line() { # TARGET OUT: CGO_ENABLED=0 GOOS=.. GOARCH=.. [GOARM=..] go build
	local os=${1%%/*} rest=${1#*/} arch v=
	arch=${rest%%/*}
	[ "$rest" != "$arch" ] && v="GOARM=${rest#*/} "
	printf 'env CGO_ENABLED=0 GOOS=%s GOARCH=%s %sgo build -trimpath -o %s ./hello' \
		"$os" "$arch" "$v" "$2"
}
one=$(noop_line linux/amd64 "$w/noop/go-one")
mkdir -p "$w/noop"
sh -c "$one" >/dev/null 2>&1
"$XBUILD" -t linux/amd64 --static -o "$w/noop/xb-one" ./hello >/dev/null 2>&1
go_ms=$(best_of_us 9 sh -c "$one")
xb_ms=$(best_of_us 9 "$XBUILD" -t linux/amd64 --static -o "$w/noop/xb-one" ./hello)
v=$("$XBUILD" --json -t linux/amd64 --static -o "$w/noop/xb-one" ./hello | jq -r '.[0].verdict')
echo "no-op rebuild, one target: go build ${go_ms} us, xbuild build ${xb_ms} us (best of 9; xbuild's verdict: $v)"
row "no-op rebuild, one target: xbuild / go build's own no-op" "$(ratio "$xb_ms" "$go_ms")" "<=" 1.0

: >Makefile.noop
all=
i=0
for t in $targets; do
	printf 't%d:\n\t@%s\n' "$i" "$(noop_line "$t" "$w/noop/$i")" >>Makefile.noop
	all="$all t$i"
	i=$((i + 1))
done
printf 'all:%s\n.PHONY: all%s\n' "$all" "$all" >>Makefile.noop
make -s -f Makefile.noop -j2 all >/dev/null 2>&1
"$XBUILD" $xargs_t -j2 -o "$w/noop/xb/{target}/hello" ./hello >/dev/null 2>&1
mk=$(best_of_us 5 make -s -f Makefile.noop -j2 all)
xb=$(best_of_us 5 "$XBUILD" $xargs_t -j2 -o "$w/noop/xb/{target}/hello" ./hello)
n=$("$XBUILD" --json $xargs_t -j2 -o "$w/noop/xb/{target}/hello" ./hello |
	jq '[.[] | select(.verdict == "up to date")] | length')
echo "six targets, no-op rebuild: make -j2 of six no-op go builds ${mk} us, xbuild -j2 ${xb} us (best of 5; $n of 6 up to date)"
row "no-op rebuild, six targets: xbuild -j2 / make -j2 of six no-op go builds" "$(ratio "$xb" "$mk")" "<=" 1.0
bench_status
