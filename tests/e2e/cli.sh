#!/usr/bin/env bash
# The command shell: help, version, usage errors and exit codes, and that
# --help and the man page list the same subcommands and options.
. "$(dirname "$0")/lib.sh"

run "$XBUILD" --help
check "--help exits 0" rc_is 0
check "--help lists subcommands" contains "$OUT" "subcommands:"
for c in help version inspect verify; do
	check "--help lists $c" contains "$OUT" "  $c "
done

run "$XBUILD"
check "no arguments: usage on stderr, exit 2" rc_is 2
check "no arguments prints usage" contains "$ERR" "usage: xbuild"
check "no arguments: a short usage, not the full help" \
	[ "$(lines "$ERR")" -le 3 -a -z "$OUT" ]
check "no arguments: points at --help" contains "$ERR" "xbuild --help"
check "no arguments: no subcommand list" lacks "$ERR" "subcommands:"

run "$XBUILD" --version
check "--version exits 0" rc_is 0
check "--version prints the version" contains "$OUT" "xbuild "
run "$XBUILD" version --json
check "version --json" contains "$OUT" '{"version":"'

# Two programs: xbuild links neither libcurl nor libarchive (their
# dependencies are most of a start-up); xbuild-full links both, so that ldd
# and packaging tools see them, and runs the commands that need them.
full=$(dirname "$XBUILD")/xbuild-full
run ldd "$XBUILD"
check "xbuild links neither libcurl" lacks "$OUT" "libcurl"
check "nor libarchive" lacks "$OUT" "libarchive"
run ldd "$full"
check "xbuild-full links libcurl" contains "$OUT" "libcurl"
check "xbuild-full links libarchive" contains "$OUT" "libarchive"
# libcrypto: xbuild carries its SHA-256 (from libcrypto.a: binding the
# shared library's symbols is most of a start-up); xbuild-full links it
run ldd "$XBUILD"
check "xbuild does not load libcrypto" lacks "$OUT" "libcrypto"
run ldd "$full"
check "xbuild-full links libcrypto" contains "$OUT" "libcrypto"
need strace
run no_lsan strace -f -e trace=openat -o "$T/version.trace" "$XBUILD" --version
check "--version opens no libcrypto" eval '! grep -q libcrypto "$T/version.trace"'
mkdir -p "$T/mod" && printf 'module m\n\ngo 1.21\n' >"$T/mod/go.mod" &&
	printf 'package main\n\nfunc main() {}\n' >"$T/mod/main.go"
run no_lsan strace -f -e trace=openat -o "$T/plan.trace" \
	env -C "$T/mod" XBUILD_CACHE="$T/cache" "$XBUILD" plan --format json -t linux/amd64 .
check "plan hashes its cache keys without opening libcrypto" \
	eval 'rc_is 0 && [ -n "$(jq -r ".plans[0].golist" <<<"$OUT")" ] &&
	      ! grep -q libcrypto "$T/plan.trace"'
run "$XBUILD" toolchain list
check "toolchain runs (in xbuild-full)" rc_is 0
check "toolchain lists its data" contains "$OUT" "data:"
run "$XBUILD" release --help
check "release --help (in xbuild-full)" rc_is 0
# the installed layout: bin/xbuild finds libexec/xbuild/xbuild-full
mkdir -p "$T/inst/bin" "$T/inst/libexec/xbuild" "$T/solo"
cp "$XBUILD" "$T/inst/bin/xbuild"
cp "$full" "$T/inst/libexec/xbuild/xbuild-full"
cp "$XBUILD" "$T/solo/xbuild"
XBUILD_DATADIR=$TOP run "$T/inst/bin/xbuild" toolchain list
check "installed: toolchain runs through libexec/xbuild/xbuild-full" rc_is 0
check "installed: toolchain lists its data" contains "$OUT" "data: $TOP"
# xbuild alone: the commands that need xbuild-full say so; the rest work
XBUILD_DATADIR=$TOP run "$T/solo/xbuild" toolchain list
check "without xbuild-full: toolchain list works" rc_is 0
check "without xbuild-full: toolchain lists its data" contains "$OUT" "data: $TOP"
XBUILD_DATADIR=$TOP XBUILD_CACHE=$T/solo/cache run "$T/solo/xbuild" toolchain path zig-0.11.0
check "without xbuild-full: toolchain path answers (not cached: exit 1)" rc_is 1
check "without xbuild-full: ... saying what to run" contains "$ERR" \
	"toolchain 'zig-0.11.0' is not in the cache (run 'xbuild toolchain fetch zig-0.11.0')"
for act in "fetch zig-0.11.0" gc verify "find --fetch linux/arm64"; do
	XBUILD_DATADIR=$TOP XBUILD_CACHE=$T/solo/cache run "$T/solo/xbuild" toolchain $act
	check "without xbuild-full: toolchain $act fails" rc_is 1
	check "without xbuild-full: toolchain $act: the message names it" contains "$ERR" \
		"xbuild toolchain ${act% *} needs the complete program, xbuild-full, which is neither in '$T/solo/../libexec/xbuild' nor in '$T/solo'"
done
check "without xbuild-full: nothing in the cache" [ ! -e "$T/solo/cache" ]
XBUILD_DATADIR=$TOP run "$T/solo/xbuild" release -o "$T/solo/dist"
check "without xbuild-full: release fails" rc_is 1
check "without xbuild-full: release leaves no folder" [ ! -e "$T/solo/dist" ]
XBUILD_DATADIR=$TOP run "$T/solo/xbuild" plan --fetch -t linux/arm64 --cgo on "$TOP/examples/hello"
check "without xbuild-full: a plan that may download fails" rc_is 1
check "without xbuild-full: ... saying why" contains "$ERR" "a download (fetch: true, --fetch) needs the complete program"
run "$T/solo/xbuild" inspect "$XBUILD"
check "without xbuild-full: inspect works" rc_is 0
run "$T/solo/xbuild" --version
check "without xbuild-full: --version works" rc_is 0

run "$XBUILD" frobnicate
check "unknown subcommand exits 2" rc_is 2
check "unknown subcommand: one clear line first" \
	contains "$(printf '%s\n' "$ERR" | head -1)" "xbuild: unknown subcommand 'frobnicate'"
check "unknown subcommand prints usage" contains "$ERR" "usage: xbuild"
check "unknown subcommand: nothing on stdout" [ -z "$OUT" ]

run "$XBUILD" --frobnicate
check "unknown global option exits 2" rc_is 2
check "unknown global option is named" contains "$ERR" "unknown option '--frobnicate'"

run "$XBUILD" version --bogus
check "unknown subcommand option exits 2" rc_is 2
check "unknown subcommand option is named" contains "$ERR" "unknown option '--bogus'"
check "unknown subcommand option prints that usage" contains "$ERR" "usage: xbuild version"

run "$XBUILD" help version
check "help SUBCOMMAND exits 0" rc_is 0
check "help SUBCOMMAND shows its options" contains "$OUT" "--json"
run "$XBUILD" version --help
check "SUBCOMMAND --help matches help SUBCOMMAND" contains "$OUT" "--json"
run "$XBUILD" help nosuch
check "help of an unknown subcommand exits 2" rc_is 2

# Options may follow operands in every subcommand (GNU argument
# permutation), whatever POSIXLY_CORRECT says; "--" still ends them.
run "$XBUILD" inspect "$XBUILD" --json
check "inspect FILE --json: JSON" contains "$OUT" '"format":"elf"'
run env POSIXLY_CORRECT=1 "$XBUILD" inspect "$XBUILD" --json
check "inspect FILE --json under POSIXLY_CORRECT: JSON" contains "$OUT" '"format":"elf"'
run "$XBUILD" inspect -- --json
check "inspect -- --json: a file named --json" contains "$ERR" "xbuild: --json: cannot open"
check "inspect -- --json: exit 1" rc_is 1
run "$XBUILD" inspect "$XBUILD" -- -r
check "inspect FILE -- -r: -r is a file" contains "$ERR" "xbuild: -r: cannot open"
run "$XBUILD" inspect "$XBUILD" -v "$XBUILD"
check "inspect FILE -v FILE: both files, every fact" \
	[ "$(printf '%s\n' "$OUT" | grep -c '^  interpreter:')" -eq 2 ]
printf 'version: 1\ntargets: [linux/amd64]\n' >"$T/one.yaml"
run "$XBUILD" check "$T/one.yaml" --no-go --json
check "check PROFILE --no-go --json: JSON" contains "$OUT" '"targets"'
check "check PROFILE --no-go --json: exit 0" rc_is 0
run "$XBUILD" verify "$XBUILD" --expect format=elf -q
check "verify FILE --expect SPEC -q: quiet and ok" [ "$RC" -eq 0 -a -z "$OUT" ]
run "$XBUILD" toolchain list --json
check "toolchain list --json: JSON" contains "$OUT" '"targets"'
run "$XBUILD" merge "$T/nosuch" -o "$T/merged"
check "merge DIR -o OUT: -o is the output, not a shard" lacks "$ERR" "'-o"
run "$XBUILD" help version --bogus
check "help SUBCOMMAND --bogus: an unknown option" contains "$ERR" "unknown option '--bogus'"

# Conflicting options are a usage error naming both; a value left out is
# named by the option's full name
conflict() { # NAME WANT CMD...: exit 2 and WANT on stderr
	local name=$1 want=$2
	shift 2
	run "$XBUILD" "$@"
	check "$name: exit 2" rc_is 2
	check "$name: names both" contains "$ERR" "$want"
}
conflict "build --static --dynamic" "options '--static' and '--dynamic' conflict" \
	build --static --dynamic ./nosuch
conflict "plan --dynamic --static-pie" "options '--dynamic' and '--static-pie' conflict" \
	plan --dynamic --static-pie
conflict "plan --cgo on --cgo off" "options '--cgo on' and '--cgo off' conflict" \
	plan --cgo on --cgo off
conflict "plan --static --set linkage=dynamic" \
	"options '--static' and '--set linkage=dynamic' conflict" \
	plan --static --set linkage=dynamic
conflict "plan --strip --set debug=true" "options '--strip' and '--set debug=true' conflict" \
	plan --strip --set debug=true
conflict "plan -o a -o b" "options '-o a' and '-o b' conflict" plan -o a -o b
conflict "env --format shell --format make" \
	"options '--format shell' and '--format make' conflict" \
	env --format shell --format make
conflict "check --print --json" "options '--print' and '--json' conflict" check --print --json
conflict "check --go PATH --no-go" "options '--go /usr/bin/go' and '--no-go' conflict" \
	check --go /usr/bin/go --no-go
conflict "inspect --json -v" "options '--json' and '-v' conflict" inspect --json -v "$XBUILD"
conflict "matrix --shards 2 --shards 3" "options '--shards 2' and '--shards 3' conflict" \
	matrix --shards 2 --shards 3
conflict "build -j2 -j3" "options '--jobs 2' and '--jobs 3' conflict" build -j2 -j3
conflict "release --shard 1/2 --shard 2/2" "options '--shard 1/2' and '--shard 2/2' conflict" \
	release --shard 1/2 --shard 2/2
conflict "build --target --static" "option '--target' needs a value" build --target --static
conflict "build --target=" "option '--target' needs a value" build --target=
conflict "build --tar (an abbreviation)" "option '--target' needs a value" build --tar
conflict "build -t" "option '-t' needs a value" build -t
run "$XBUILD" plan --set env=A=1 --set env=B=2 --format json
check "plan --set env=A=1 --set env=B=2: env adds up, no conflict" lacks "$ERR" "conflict"
run "$XBUILD" plan --static --static --format json
check "plan --static --static: the same twice is no conflict" lacks "$ERR" "conflict"

# -q and -v mean one thing wherever they are: errors only, more detail
run "$XBUILD" check -v "$T/one.yaml" --no-go
check "check -v: the summary line, then the targets" contains "$OUT" "ok (1 target, 0 warnings)
  linux/amd64"
run "$XBUILD" verify -v "$XBUILD" --expect format=elf
check "verify -v: ok with the facts judged" contains "$OUT" ": ok (format=elf,arch="
for c in build release check verify; do
	run "$XBUILD" $c -q -v
	check "$c -q -v: a conflict, exit 2" rc_is 2
	check "$c -q -v: names both" contains "$ERR" "options '--quiet' and '--verbose' conflict"
done

# Every subcommand and every long option that --help shows is in the man
# page, and every subcommand the man page documents exists.
man=$TOP/docs/xbuild.1
run "$XBUILD" --help
subs=$(printf '%s\n' "$OUT" | sed -n '/^subcommands:/,/^$/p' | awk 'NF>1{print $1}')
for s in $subs; do
	check "man page documents subcommand $s" grep -q "^\.Ss xbuild $s\b" "$man"
	run "$XBUILD" help "$s"
	for o in $(printf '%s\n' "$OUT" | sed -n '/^options:/,/^$/p' | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		[ "$o" = --help ] && continue
		check "man page documents $s $o" grep -q -- "^\.Fl \(.* \)\?-${o#--}\b\|Fl -${o#--}\b" "$man"
	done
done
for s in $(sed -n 's/^\.Ss xbuild \([a-z]*\).*/\1/p' "$man"); do
	run "$XBUILD" help "$s"
	check "subcommand $s from the man page exists" rc_is 0
done

# the man pages are well-formed mdoc: mandoc's lint has nothing to say
# (the one note about the system's outdated mandoc.db is not ours)
need_all mandoc
for page in "$TOP/docs/xbuild.1" "$TOP/docs/xbuild-profile.5"; do
	run mandoc -Tlint -Wwarning "$page"
	lint=$(printf '%s\n' "$ERR$OUT" | grep -v 'mandoc.db' | sed '/^$/d')
	check "mandoc -Tlint: $(basename "$page") has no warning" [ -z "$lint" ]
	[ -z "$lint" ] || printf '%s\n' "$lint" | sed 's/^/#   /'
done

done_testing
