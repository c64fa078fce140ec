# Side by side with GoReleaser: a real project's own .goreleaser.yml, fetched
# as a module (default github.com/goreleaser/nfpm/v2@v2.45.2), released by
#   goreleaser release --snapshot --clean --skip=...   (v2.15.1, go install'ed)
#   xbuild release --snapshot                          (discovers the file)
# from the same commit and tag.  Cold (each tool its own empty Go cache),
# then warm (the second run, same cache).  Prints a markdown table: times,
# artifacts, archive names, same-target binaries compared byte for byte,
# each tool's two runs compared file by file (sha256), what each says about
# linkage, and xbuild's warnings or refusal, verbatim.  A comparison, no
# pass/fail target: exit 0 when it ran, 1 when a tool could not run at all.
#
# Needs the Go module proxy (the machine's go settings) the first time.
# Knobs: BENCH_GR_VERSION (v2.15.1), BENCH_GR_PROJECT (module@version),
# BENCH_GR_COLD=no (skip emptying the Go caches: quick re-runs),
# XBUILD_BENCH_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/xbuild-bench:
# GoReleaser's binary and both tools' Go caches; reused when present).
# Alone: `make bench BENCH=goreleaser` or `bench/run goreleaser`.
. "$(dirname "$0")/lib.sh"
for t in go git jq file sha256sum awk cmp; do
	command -v $t >/dev/null || { echo "skip: $t missing"; exit 0; }
done
GR_VERSION=${BENCH_GR_VERSION:-v2.15.1}
PROJECT=${BENCH_GR_PROJECT:-github.com/goreleaser/nfpm/v2@v2.45.2}
CACHE=${XBUILD_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xbuild-bench}
COLD=${BENCH_GR_COLD:-yes}
# what needs the network, a signing key, a Docker daemon or syft
GR_SKIP=announce,publish,validate,docker,sign,sbom
W=$(mktemp -d "${TMPDIR:-/tmp}/xbuild-bench-gr.XXXXXX")
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$CACHE" || exit 1
start=$(now_ms)

# ---- GoReleaser, installed once ------------------------------------------
gr=$CACHE/goreleaser-$GR_VERSION/goreleaser
if [ ! -x "$gr" ]; then
	echo "installing GoReleaser $GR_VERSION into $(dirname "$gr") (once)"
	GOBIN=$(dirname "$gr") go install "github.com/goreleaser/goreleaser/v2@$GR_VERSION" \
		>"$W/install.log" 2>&1 ||
		GOTOOLCHAIN=go1.27.3 GOBIN=$(dirname "$gr") \
			go install "github.com/goreleaser/goreleaser/v2@$GR_VERSION" \
			>>"$W/install.log" 2>&1 || {
		tail -5 "$W/install.log"
		echo "FAIL: cannot install GoReleaser $GR_VERSION"
		exit 1
	}
fi
gr_ver=$("$gr" --version 2>&1 | awk '$1 == "GitVersion:" { print $2 }')

# ---- the project: the module's files, a git repo tagged with its version -
mod=${PROJECT%@*} ver=${PROJECT##*@}
info=$(cd "$W" && go mod download -json "$PROJECT") || {
	echo "$info" | tail -3
	echo "FAIL: cannot fetch $PROJECT"
	exit 1
}
# the folder is named as the project (GoReleaser's default project_name)
name=$(awk -F/ '{ n = $NF; if (n ~ /^v[0-9]+$/ && NF > 1) n = $(NF - 1); print n }' <<<"$mod")
S=$W/$name
cp -r "$(jq -r .Dir <<<"$info")" "$S" && chmod -R u+w "$S" || exit 1
when=$(jq -r .Time "$(jq -r .Info <<<"$info")")
cd "$S" || exit 1
cfg=
for f in .goreleaser.yaml .goreleaser.yml goreleaser.yaml goreleaser.yml; do
	[ -f "$f" ] && { cfg=$f; break; }
done
[ -n "$cfg" ] || { echo "FAIL: $PROJECT has no .goreleaser.yaml"; exit 1; }
notes=()
# a module zip keeps no file modes: the scripts its hooks run lose +x
if [ -n "$(find . -name '*.sh' -type f)" ]; then
	find . -name '*.sh' -type f -exec chmod +x {} +
	notes+=("module zips keep no file modes: \`*.sh\` made executable again")
fi
# keys of the file that this GoReleaser refuses (a Pro-only schema): each is
# removed with the lines under it, so that both tools read the same file
drop_keys() { # LINE... ; deletes each line and the block under it
	awk -v lines="$*" '
	function ind(s) { match(s, /^ */); return RLENGTH }
	BEGIN { n = split(lines, l, " "); for (i = 1; i <= n; i++) del[l[i]] = 1; skip = -1 }
	skip >= 0 && ($0 ~ /^[ \t]*$/ || ind($0) > skip) { next }
	{ skip = -1 }
	NR in del { skip = ind($0); next }
	{ print }' "$cfg" >"$W/cfg" && cp "$W/cfg" "$cfg"
}
dropped=
for _ in 1 2 3; do
	bad=$("$gr" check -f "$cfg" 2>&1 |
		sed -n 's/.*line \([0-9]*\): field \([^ ]*\) not found in type \([^ ]*\).*/\1 \2/p')
	[ -n "$bad" ] || break
	dropped="$dropped $(awk '{ printf "%s`%s`", (NR > 1 ? ", " : ""), $2 }' <<<"$bad")"
	drop_keys $(awk '{ print $1 }' <<<"$bad")
done
[ -z "$dropped" ] ||
	notes+=("removed for both tools, as GoReleaser $gr_ver (OSS) refuses them:$dropped")
git init -q && git add -A &&
	GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when git -c user.name=bench \
		-c user.email=bench@localhost -c commit.gpgsign=false commit -qm "$ver" &&
	git tag "$ver" && git remote add origin "$S" || exit 1
# GoReleaser reads the remote.  The modules both need (and the hooks' `go mod
# tidy` too) are fetched now, so that cold means an empty Go build cache.
go mod download >/dev/null 2>&1
cp -r "$S" "$W/tidy" && (cd "$W/tidy" && go mod tidy >/dev/null 2>&1)
reset_tree() { git clean -fdxq && git checkout -q -- .; }

# ---- the runs ------------------------------------------------------------
# run_gr N: GoReleaser's dist goes to $W/grN; run_xb N ARGS: xbuild's to $W/xbN
run_gr() {
	local s e rc
	reset_tree
	clock s
	GOCACHE=$CACHE/gocache-gr "$gr" release --snapshot --clean --skip=$GR_SKIP \
		>"$W/gr$1.log" 2>&1
	rc=$?
	clock e
	echo $(((e - s) / 1000)) >"$W/gr$1.ms"
	[ -d dist ] && mv dist "$W/gr$1"
	return $rc
}
run_xb() {
	local n=$1 s e rc
	shift
	reset_tree
	[ -z "$xb_edit" ] || sed -i "$xb_edit" "$cfg"
	clock s
	GOCACHE=$CACHE/gocache-xb "$XBUILD" release --snapshot -o "$W/xb$n" "$@" \
		>"$W/xb$n.out" 2>"$W/xb$n.log"
	rc=$?
	clock e
	echo $(((e - s) / 1000)) >"$W/xb$n.ms"
	return $rc
}
cold() { [ "$COLD" = no ] || rm -rf "$CACHE/gocache-$1"; }
xb_edit= xb_args=() standins= first=
cold gr
run_gr 1 || {
	tail -15 "$W/gr1.log"
	echo "FAIL: goreleaser release --snapshot failed on $PROJECT"
	exit 1
}
cold xb
run_xb 1
xrc=$?
[ "$xrc" -le 3 ] || { tail -5 "$W/xb1.log"; echo "FAIL: xbuild exited $xrc"; exit 1; }
# refused: the errors, verbatim; then, for the refusals that have a known
# stand-in, the same file with it, so that the other figures exist
refusal=
for _ in 1 2 3; do
	[ "$xrc" != 0 ] || break
	# the last error line says it all (the others are in the messages)
	errs=$(grep -v -e ': warning: ' -e '^xbuild: profile: ' "$W/xb1.log" | tail -1)
	case $xrc in 2) how=refused ;; 3) how="broke an expectation" ;; *) how=failed ;; esac
	refusal="$refusal${standins:-; as is}: $how (exit $xrc): \`${errs#xbuild: }\`"
	cat "$W/xb1.log" >>"$W/xb-refused.log"
	new=
	if grep -q "unknown field '\.IsGitDirty'" "$W/xb1.log" && [[ $xb_edit != *IsGitDirty* ]]; then
		# the tree is clean at the tag when GoReleaser reads it
		xb_edit="$xb_edit;s/{{-* *\\.IsGitDirty *-*}}/false/g"
		standins="$standins; with \`{{ .IsGitDirty }}\` → \`false\`" new=1
	fi
	if grep -q 'targets cannot be built as asked' "$W/xb1.log" && [ ${#xb_args[@]} = 0 ]; then
		# the targets GoReleaser built (it drops the pairs Go lacks)
		while read -r t; do xb_args+=(-t "$t"); done < <(jq -r '.[] |
			select(.type == "Binary") | .goos + "/" + .goarch +
			(if .goarm then "/" + .goarm else "" end)' "$W/gr1/artifacts.json")
		t="\`-t\` for each of the $((${#xb_args[@]} / 2)) targets GoReleaser built"
		if [ -n "$standins" ]; then standins="$standins and $t"; else standins="; with $t"; fi
		new=1
	fi
	[ -n "$new" ] || break
	cold xb
	run_xb 1 "${xb_args[@]}"
	xrc=$?
done
run_gr 2 || { tail -15 "$W/gr2.log"; echo "FAIL: GoReleaser's second run"; exit 1; }
xb_ok=no
if [ "$xrc" = 0 ] && [ -f "$W/xb1/manifest.json" ]; then
	xb_ok=yes
	run_xb 2 "${xb_args[@]}"
fi

# ---- the figures ---------------------------------------------------------
secs() { [ -f "$1" ] && awk -v m="$(cat "$1")" 'BEGIN { printf "%.1f s", m / 1000 }' || echo "-"; }
files() { (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); }
same() { # DIR1 DIR2 NAME: the names that differ go to $W/NAME.differ
	: >"$W/$3.differ"
	[ -d "$1" ] && [ -d "$2" ] || { echo "-"; return; }
	(cd "$1" && files . | xargs -d '\n' sha256sum) >"$W/h1"
	(cd "$2" && files . | xargs -d '\n' sha256sum) >"$W/h2"
	local n d
	n=$(wc -l <"$W/h1")
	d=$(LC_ALL=C comm -3 <(LC_ALL=C sort "$W/h1") <(LC_ALL=C sort "$W/h2") |
		awk '{ print $2 }' | LC_ALL=C sort -u)
	if [ -z "$d" ]; then
		echo "yes: all $n files identical"
	else
		echo "no: $((n - $(wc -l <<<"$d"))) of $n identical ($(wc -l <<<"$d") differ: listed below)"
		echo "$d" >"$W/$3.differ"
	fi
}
# same_flags TARGET GR_PATH XB_PATH: xbuild's go build line for TARGET, with
# the linker flags GoReleaser passes (xbuild adds -buildid= and drops the -w
# that -s implies), run again: are its bytes GoReleaser's?
same_flags() {
	local argv=() envs=() a prev= out=$W/same-flags.bin
	while IFS= read -r a; do
		[ "$prev" = -o ] && a=$out
		case $a in -ldflags=*)
			a=${a/ -buildid=/}
			[[ $a != -ldflags=-s\ * || " $a " = *" -w "* ]] ||
				a="-ldflags=-s -w ${a#-ldflags=-s }" ;;
		esac
		argv+=("$a") prev=$a
	done < <(jq -r --arg t "$1" '.artifacts[] | select(.target == $t and .kind == "binary") | .argv[]' "$W/xb1/manifest.json")
	mapfile -t envs < <(jq -r --arg t "$1" '.artifacts[] | select(.target == $t and .kind == "binary") | .env[]' "$W/xb1/manifest.json")
	(cd "$S" && env "${envs[@]}" GOCACHE="$CACHE/gocache-xb" "${argv[@]}") >"$W/same-flags.log" 2>&1 || {
		echo "rebuilding $1 with GoReleaser's linker flags failed: $(tail -1 "$W/same-flags.log")"
		return
	}
	if cmp -s "$out" "$W/gr1/$2"; then
		echo "$1 rebuilt from xbuild's go build line with GoReleaser's linker flags (\`-s -w\`, no \`-buildid=\`): identical to GoReleaser's"
	else
		echo "$1 rebuilt from xbuild's go build line with GoReleaser's linker flags: still differs from GoReleaser's"
	fi
}
gr_bins() { jq -r '.[] | select(.type == "Binary") | .goos + "/" + .goarch + " " + .path' "$W/gr1/artifacts.json" | sed 's| dist/| |'; }
xb_bins() { jq -r '.artifacts[] | select(.kind == "binary") | .target + " " + .path' "$W/xb1/manifest.json"; }
gr_arch=$(jq -r '[.[] | select(.type == "Archive") | .name] | sort | join(", ")' "$W/gr1/artifacts.json")
gr_sum=$(jq -r '[.[] | select(.type == "Checksum") | .name] | join(", ")' "$W/gr1/artifacts.json")
gr_pkgs=$(jq -r '[.[] | select(.type == "Linux Package")] | length' "$W/gr1/artifacts.json")
gr_other=$(jq -r '[.[] | select(.type != "Binary" and .type != "Archive" and .type != "Checksum" and .type != "Linux Package") | .type] | group_by(.) | map("\(.[0]) ×\(length)") | join(", ")' "$W/gr1/artifacts.json")
gr_link=$(gr_bins | while read -r t p; do
	l=$(file -b "$W/gr1/$p" | grep -o -e 'statically linked' -e 'dynamically linked' -e 'DYLDLINK' -e '^PE32+*' |
		sed 's/DYLDLINK/Mach-O DYLDLINK/;s/^PE32.*/& (no linkage word)/')
	echo "${l:-?}"
done | sort | uniq -c | awk '{ n = $1; $1 = ""; printf "%s%s ×%d", (NR > 1 ? ", " : ""), substr($0, 2), n }')
# xbuild's own reader on GoReleaser's binaries: the same facts, both sides
gr_insp=$(gr_bins | while read -r t p; do
	"$XBUILD" inspect --json "$W/gr1/$p" | jq -r .linkage
done | sort | uniq -c | awk '{ printf "%s%s ×%d", (NR > 1 ? ", " : ""), $2, $1 }')
gr_n=$(files "$W/gr1" | wc -l)
gr_warn=$(grep -c -e DEPRECATED -e 'being phased out' "$W/gr1.log")
xb_warn=$(cat "$W/xb-refused.log" "$W/xb1.log" 2>/dev/null | awk '/: warning: / && !seen[$0]++' | wc -l)
if [ "$xb_ok" = yes ]; then
	xb_n=$(files "$W/xb1" | wc -l)
	xb_arch=$(jq -r '[.artifacts[] | select(.kind == "archive") | .path] | sort | if length == 0 then "none" else join(", ") end' "$W/xb1/manifest.json")
	xb_sum=$(cd "$W/xb1" && ls | grep -i -e 'sums' -e 'checksum' | tr '\n' ' ')
	xb_link=$(jq -r '.artifacts[] | select(.kind == "binary") | .facts.linkage' "$W/xb1/manifest.json" |
		sort | uniq -c | awk '{ printf "%s%s ×%d", (NR > 1 ? ", " : ""), $2, $1 }')
	# same-target binaries, byte for byte
	ident=0 total=0 first=
	while read -r t p; do
		q=$(xb_bins | awk -v t="$t" '$1 == t { print $2; exit }')
		[ -n "$q" ] || continue
		total=$((total + 1))
		if cmp -s "$W/gr1/$p" "$W/xb1/$q"; then ident=$((ident + 1)); else
			[ -n "$first" ] || first="$t $p $q"; fi
	done < <(gr_bins)
	bytes="$ident of $total targets identical"
	[ -z "$first" ] || bytes="$bytes; $(same_flags $first)"
	xb_t1=$(secs "$W/xb1.ms") xb_t2=$(secs "$W/xb2.ms")
else
	xb_n=- xb_arch=- xb_sum=- xb_link=- bytes=- xb_t1=- xb_t2=-
fi
gr_same=$(same "$W/gr1" "$W/gr2" gr)
xb_same=-
[ "$xb_ok" != yes ] || xb_same=$(same "$W/xb1" "$W/xb2" xb)
cell() { tr '\n|' ' /' <<<"$1" | sed 's/ *$//'; }
xb_state=${refusal#; }
if [ "$xb_ok" = yes ]; then
	xb_state="$xb_state${standins:-; as is}: released"
	xb_state=${xb_state#; }
elif [ -z "$refusal" ]; then
	xb_state="failed: $(tail -3 "$W/xb1.log")"
fi

echo "GoReleaser $gr_ver against $("$XBUILD" --version 2>&1 | head -1) on \`$PROJECT\`'s own \`$cfg\`"
cold_is="cold: an empty Go cache each"
[ "$COLD" != no ] || cold_is="\"cold\": NOT cold, BENCH_GR_COLD=no kept the Go caches"
echo "(snapshot of tag $ver, $(nproc) CPUs; $cold_is; warm: the second run; the same module cache.)"
for n in "${notes[@]}"; do echo "- $n"; done
echo "- GoReleaser: \`release --snapshot --clean --skip=$GR_SKIP\`; xbuild: \`release --snapshot${xb_args:+ ${xb_args[*]}}\`"
echo
echo "| | GoReleaser $gr_ver | xbuild |"
echo "|---|---|---|"
echo "| ran | yes | $(cell "$xb_state") |"
echo "| wall time, cold | $(secs "$W/gr1.ms") | $xb_t1 |"
echo "| wall time, warm | $(secs "$W/gr2.ms") | $xb_t2 |"
[ "$xb_ok" = yes ] &&
	echo "| ratio xbuild/GoReleaser | | cold $(ratio "$(cat "$W/xb1.ms")" "$(cat "$W/gr1.ms")"), warm $(ratio "$(cat "$W/xb2.ms")" "$(cat "$W/gr2.ms")") |"
echo "| files in the output folder | $gr_n | $xb_n |"
echo "| binaries | $(gr_bins | wc -l) | $([ "$xb_ok" = yes ] && xb_bins | wc -l || echo -) |"
echo "| archives | $(cell "$gr_arch") | $(cell "$xb_arch") |"
echo "| checksums | $gr_sum | $(cell "$xb_sum") |"
echo "| other artifacts | Linux packages ×$gr_pkgs, $gr_other | manifest.json (facts of every artifact) |"
echo "| same-target binaries byte-identical | | $bytes |"
echo "| reproducible (sha256 of every file, run 1 against run 2) | $gr_same | $xb_same |"
echo "| linkage reported | artifacts.json: none; file(1): $gr_link | manifest.json: $xb_link |"
echo "| xbuild inspect of each tool's binaries | $gr_insp | $xb_link |"
echo "| warnings | $gr_warn deprecation notes | $xb_warn (below) |"
echo
if [ -n "$first" ]; then
	set -- $first
	echo "Why $1 differs: go tool buildid: GoReleaser '$(go tool buildid "$W/gr1/$2" 2>&1)', xbuild '$(go tool buildid "$W/xb1/$3" 2>&1)'."
	d=$(diff <(go version -m "$W/gr1/$2" | tail -n +2) <(go version -m "$W/xb1/$3" | tail -n +2))
	[ -z "$d" ] && echo "Their go version -m build settings are the same." ||
		{ echo "go version -m, GoReleaser (<) against xbuild (>):"; echo "$d" | sed 's/^/    /'; }
	echo "xbuild's go build line: $(jq -r --arg t "$1" '.artifacts[] | select(.target == $t and .kind == "binary") | .argv | join(" ")' "$W/xb1/manifest.json")"
	echo
fi
for t in gr xb; do
	[ -s "$W/$t.differ" ] || continue
	echo "Files that differ between two runs of $([ $t = gr ] && echo GoReleaser || echo xbuild):"
	sed 's/^/    /' "$W/$t.differ"
done
# GoReleaser's time by step, as its log says (steps over its threshold)
for n in 1 2; do
	echo "GoReleaser's run $n, its steps' own times: $(awk '
		/^  • / { step = $0; sub(/^  • /, "", step); sub(/ +$/, "", step) }
		/^    • .*hook=/ { h = $0; sub(/.*hook=/, "", h); sub(/ +$/, "", h) }
		/took: / { t = $0; sub(/.*took: /, "", t); sub(/ +$/, "", t)
			printf "%s%s%s %s", (k++ ? ", " : ""), step,
				(step ~ /hooks/ ? " (" h ")" : ""), t }' "$W/gr$n.log")"
done
# why an archive differs between two runs: its members' listings
a=$(grep -m1 -e '\.tar\.gz$' "$W/gr.differ" 2>/dev/null)
if [ -n "$a" ] && command -v tar >/dev/null; then
	echo "$a, members listed by tar -tvz, run 1 (<) against run 2 (>):"
	diff <(tar -tvzf "$W/gr1/$a") <(tar -tvzf "$W/gr2/$a") | grep '^[<>]' | sed 's/^/    /'
fi
echo "GoReleaser's files:"
files "$W/gr1" | sed 's/^/    /'
if [ "$xb_ok" = yes ]; then
	echo "xbuild's files:"
	files "$W/xb1" | sed 's/^/    /'
fi
echo "xbuild's messages (stderr of the first run, as is):"
cat "$W/xb-refused.log" "$W/xb1.log" 2>/dev/null | awk '!seen[$0]++' | sed 's/^/    /'
echo "whole bench: $((($(now_ms) - start) / 1000)) s"
exit 0
