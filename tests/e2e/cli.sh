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

run "$XBUILD" --version
check "--version exits 0" rc_is 0
check "--version prints the version" contains "$OUT" "xbuild "
run "$XBUILD" version --json
check "version --json" contains "$OUT" '{"version":"'

# libcurl and libarchive are linked, so that ldd and packaging tools see them.
run ldd "$XBUILD"
check "xbuild links libcurl" contains "$OUT" "libcurl"
check "xbuild links libarchive" contains "$OUT" "libarchive"

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
