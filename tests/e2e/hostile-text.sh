#!/usr/bin/env bash
# Text a binary carries (its interpreter, the libraries it needs) reaches
# the terminal through inspect and verify: a crafted ELF, built here, whose
# strings hold escape sequences, a carriage return and a newline must not
# get through raw, in the summary, -v, verify's violations and error
# lines; printable UTF-8 stays as it is; JSON keeps the exact bytes.
. "$(dirname "$0")/lib.sh"
need_all gcc python3

esc=$'\033'
title="${esc}]0;pwned"$'\007'   # sets the terminal's title
erase="${esc}[2K"$'\r'            # erases the line, back to its start
lib="lib${erase}ok${esc}[0m"$'\n'"x: ok.so"
interp="/lib/ld${title}.so"

printf 'int hostile(void) { return 0; }\n' >"$T/lib.c"
printf 'int hostile(void);\nint main(void) { return hostile(); }\n' >"$T/main.c"
(cd "$T" && gcc -shared -fPIC -Wl,-soname,"$lib" -o libhostile.so lib.c &&
	gcc -o hostile main.c -L. -lhostile -Wl,--dynamic-linker="$interp") >"$T/cc.log" 2>&1
check "the crafted binary is built" [ -x "$T/hostile" ]
# cross-check with readelf that the bytes are really there
check "readelf sees the escape in its interpreter" \
	contains "$(readelf -l "$T/hostile" 2>/dev/null | od -c)" '033   ]   0   ;   p   w   n   e   d'

raw() { # raw TEXT: true when TEXT holds no ESC, CR or BEL
	case $1 in *"$esc"* | *$'\r'* | *$'\007'*) return 1 ;; esac
}
is_lines() { [ "$(lines "$2")" -eq "$1" ]; }
run "$XBUILD" inspect "$T/hostile"
check "inspect exits 0" rc_is 0
check "inspect: no escape, carriage return or bell on stdout" raw "$OUT"
check "inspect: one line" is_lines 1 "$OUT"
check "inspect: the interpreter, escaped" contains "$OUT" 'interpreter /lib/ld\x1b]0;pwned\x07.so'
check "inspect: the library, escaped" contains "$OUT" 'lib\x1b[2K\x0dok\x1b[0m\x0ax: ok.so'
run "$XBUILD" inspect -v "$T/hostile"
check "inspect -v: no escape on stdout" raw "$OUT"
check "inspect -v: the needed line, escaped" contains "$OUT" 'needed:          lib\x1b[2K\x0dok'
check "inspect -v: no forged line" lacks "$OUT" $'\nx: ok.so'
run "$XBUILD" inspect --json "$T/hostile"
check "inspect --json: the exact bytes, JSON-escaped" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["interpreter"]==sys.argv[2] and sys.argv[3] in d["needed"], d' \
	"$OUT" "$interp" "$lib"

run "$XBUILD" verify --expect interpreter=/lib64/ld-linux-x86-64.so.2,needed=libc.so.6 "$T/hostile"
check "verify: broken, exit 3" rc_is 3
check "verify: no escape on stdout" raw "$OUT"
check "verify: no escape on stderr" raw "$ERR"
check "verify: the violation names the library, escaped" contains "$OUT" 'lib\x1b[2K\x0dok'
check "verify: no forged ok line" lacks "$OUT" $'\nx: ok'

# a file name from a tree is as hostile as its content
mkdir -p "$T/tree"
cp "$T/hostile" "$T/tree/a${erase}b"
run "$XBUILD" inspect -r "$T/tree"
check "inspect -r: the path, escaped" contains "$OUT" 'a\x1b[2K\x0db: ELF'
check "inspect -r: no escape on stdout" raw "$OUT"
printf 'not a binary' >"$T/tree/c${title}"
run "$XBUILD" inspect "$T/tree/c${title}"
check "an error line names the path, escaped" contains "$ERR" 'c\x1b]0;pwned\x07'
check "an error line: no escape on stderr" raw "$ERR"

# printable UTF-8 is no threat and stays readable; C1 controls and bidi
# overrides are not, and invalid bytes are shown as bytes
cp "$T/hostile" "$T/tree/é-λ"
cp "$T/hostile" "$T/tree/c1"$'\xc2\x9b'"31m"
cp "$T/hostile" "$T/tree/rlo"$'\xe2\x80\xae'"txt"
cp "$T/hostile" "$T/tree/bad"$'\xff\xc3'
run "$XBUILD" inspect "$T/tree/é-λ" "$T/tree/c1"$'\xc2\x9b'"31m" "$T/tree/rlo"$'\xe2\x80\xae'"txt" "$T/tree/bad"$'\xff\xc3'
check "UTF-8 stays as it is" contains "$OUT" "é-λ: ELF"
check "a C1 control (CSI) is escaped" contains "$OUT" 'c1\xc2\x9b31m: ELF'
check "a bidi override is escaped" contains "$OUT" 'rlo\xe2\x80\xaetxt: ELF'
check "invalid UTF-8 is escaped" contains "$OUT" 'bad\xff\xc3: ELF'

done_testing
