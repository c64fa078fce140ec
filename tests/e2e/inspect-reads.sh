#!/usr/bin/env bash
# inspect reads a binary in a few reads, whatever its size: a library
# built here with 3000 imports and a dynamic string table of 120 KiB, whose
# imports are looked up for the stack protector, is read in at most 16
# preads (it was one pread per name, over 2000), and says the same as
# before: no __stack_chk_* import, and one when a function has a buffer.
. "$(dirname "$0")/lib.sh"
need_all gcc python3 strace

python3 - >"$T/many.c" <<'PY'
import random
random.seed(1)
names = ["imported_function_with_a_long_name_%05d" % i for i in range(3000)]
print("\n".join("void %s(void);" % n for n in names))
random.shuffle(names)
print("void use_all(void) {")
print("\n".join("\t%s();" % n for n in names))
print("}")
PY
printf 'void fill(char *p);\nint buffer(void) { char b[64]; fill(b); return b[0]; }\n' >"$T/chk.c"
(cd "$T" && gcc -shared -fPIC -fstack-protector-strong -o libmany.so many.c &&
	gcc -shared -fPIC -fstack-protector-strong -o libmanychk.so many.c chk.c) \
	>"$T/cc.log" 2>&1
check "the libraries are built" [ -f "$T/libmany.so" -a -f "$T/libmanychk.so" ]
check "their dynamic string table is over 64 KiB" \
	[ "$(readelf -d "$T/libmany.so" | awk '/STRSZ/ { print $3 }')" -gt 65536 ]

for lib in libmany libmanychk; do
	run no_lsan strace -o "$T/$lib.trace" -e trace=pread64 "$XBUILD" inspect --json "$T/$lib.so"
	printf '%s' "$OUT" >"$T/$lib.json"
	n=$(grep -c '^pread64' "$T/$lib.trace")
	check "$lib.so: inspected" rc_is 0
	check "$lib.so: at most 16 reads (got $n)" [ "$n" -le 16 ]
done
# A stripped library of 300 imports: its dynamic symbols, strings and
# version needs lie past the first 4 KiB, and its dynamic segment is in
# the last 8 KiB: three reads of it (the head, the tail from the dynamic
# segment on, the tables at once), where each table and the segment took
# one read of their own (six in all).
python3 - >"$T/tables.c" <<'PY'
names = ["imported_function_%03d" % i for i in range(300)]
print("\n".join("void %s(void);" % n for n in names))
print("#include <stdio.h>")
print("int entry(int c, char **v) {")
print("\tprintf(\"%s\", v[c]);")
print("\n".join("\t%s();" % n for n in names))
print("\treturn 0;\n}")
PY
(cd "$T" && gcc -shared -fPIC -o libtables.so tables.c && strip libtables.so) >"$T/cc.log" 2>&1
check "libtables.so is built" [ -f "$T/libtables.so" ]
run no_lsan strace -o "$T/tables.trace" -e trace=openat,pread64 "$XBUILD" inspect --json "$T/libtables.so"
check "libtables.so: inspected" rc_is 0
check "libtables.so: needs libc" contains "$OUT" '"needed":["libc.so.6"]'
check "libtables.so: glibc versions read" contains "$OUT" '"glibc_max":"2.'
n=$(awk -v lib="$T/libtables.so" '
	index($0, "\"" lib "\"") && /^openat/ { fd = $NF }
	fd != "" && index($0, "pread64(" fd ",") == 1 { n++ }
	END { print n + 0 }' "$T/tables.trace")
check "libtables.so: at most 3 reads of it (got $n)" [ "$n" -le 3 ]
# the tables' read starts in the first 4 KiB, which the first read holds:
# only what follows them is read (3.4 KiB were read twice)
n=$(awk -v lib="$T/libtables.so" '
	index($0, "\"" lib "\"") && /^openat/ { fd = $NF }
	fd != "" && index($0, "pread64(" fd ",") == 1 {
		sub(/\) += .*/, ""); len = $(NF - 1) + 0; off = $NF + 0
		for (i = 0; i < k; i++) {
			lo = off > at[i] ? off : at[i]
			hi = off + len < at[i] + sz[i] ? off + len : at[i] + sz[i]
			if (hi > lo) twice += hi - lo
		}
		at[k] = off; sz[k++] = len
	}
	END { print twice + 0 }' "$T/tables.trace")
check "libtables.so: no byte read twice (got $n)" [ "$n" -eq 0 ]

# A library whose string table (740 KiB) is too big to hold for its 180
# imports, linked with -O1 (names merged and sorted by their ends): their
# names are spread over 65 pages of 2 KiB, in another order than the
# symbols.  Read in the order of their pages, each page is read once
# (72 reads in all); in the symbols' order they took 147.
mkdir -p "$T/scattered"
python3 - "$T/scattered" <<'PY'
import sys
for k in range(60):
    with open("%s/o%02d.c" % (sys.argv[1], k), "w") as f:
        for j in range(3):
            f.write("void imported_%02d_%d(void);\n" % (k, j))
        for i in range(200):
            f.write("void exported_function_with_a_rather_long_name_for_the_table_%02d_%03d(void)"
                    " { imported_%02d_%d(); }\n" % (k, i, k, i % 3))
PY
(cd "$T/scattered" && gcc -shared -fPIC -Wl,-O1 -o ../libscattered.so o*.c &&
	strip ../libscattered.so) >"$T/cc.log" 2>&1
check "libscattered.so is built" [ -f "$T/libscattered.so" ]
run no_lsan strace -o "$T/scattered.trace" -e trace=openat,pread64 "$XBUILD" inspect --json "$T/libscattered.so"
check "libscattered.so: inspected" rc_is 0
check "libscattered.so: no stack protector" contains "$OUT" '"stack_protector":false'
n=$(awk -v lib="$T/libscattered.so" '
	index($0, "\"" lib "\"") && /^openat/ { fd = $NF }
	fd != "" && index($0, "pread64(" fd ",") == 1 { n++ }
	END { print n + 0 }' "$T/scattered.trace")
check "libscattered.so: at most 80 reads of it (got $n)" [ "$n" -le 80 ]

# A library of 6000 exports and 300 imports, one of them __stack_chk_fail:
# its string table (360 KiB) is too big to hold, and its imports' names
# lie together in it.  They are read a run of pages at a time, not the
# whole table at once (390 KiB read in all, it was): under 96 KiB.
python3 - >"$T/big.c" <<'PY'
imports = ["imported_%03d" % i for i in range(300)]
print("\n".join("void %s(void);" % n for n in imports))
print("void fill(char *p);")
for i in range(6000):
    print("void exported_function_with_a_rather_long_name_for_the_table_%04d(void)"
          " { %s(); }" % (i, imports[i % 300]))
print("int buffer(void) { char b[64]; fill(b); return b[0]; }")
PY
(cd "$T" && gcc -shared -fPIC -fstack-protector-strong -o libbig.so big.c && strip libbig.so) \
	>"$T/cc.log" 2>&1
check "libbig.so is built" [ -f "$T/libbig.so" ]
check "its dynamic string table is over 256 KiB" \
	[ "$(readelf -d "$T/libbig.so" | awk '/STRSZ/ { print $3 }')" -gt 262144 ]
run no_lsan strace -o "$T/big.trace" -e trace=openat,pread64 "$XBUILD" inspect --json "$T/libbig.so"
check "libbig.so: inspected" rc_is 0
check "libbig.so: __stack_chk_fail among its imports" contains "$OUT" '"stack_protector":true'
n=$(awk -v lib="$T/libbig.so" '
	index($0, "\"" lib "\"") && /^openat/ { fd = $NF }
	fd != "" && index($0, "pread64(" fd ",") == 1 { sub(/\) += .*/, ""); n += $(NF - 1) }
	END { print n + 0 }' "$T/big.trace")
check "libbig.so: under 96 KiB read (got $n bytes)" [ "$n" -lt 98304 ]

# A library with 12 KiB of data between its dynamic segment and its
# section headers: the two are read apart, each exactly (the section
# names with the headers), not the data between (18 KiB read in all, it
# was, the data too): under 8 KiB.
printf 'char data[12000] = { 1 };\nint get(int i) { return data[i]; }\n' >"$T/data.c"
(cd "$T" && gcc -shared -fPIC -o libdata.so data.c && strip libdata.so) >"$T/cc.log" 2>&1
check "libdata.so is built" [ -f "$T/libdata.so" ]
run no_lsan strace -o "$T/data.trace" -e trace=openat,pread64 "$XBUILD" inspect --json "$T/libdata.so"
check "libdata.so: inspected" rc_is 0
check "libdata.so: its dynamic segment read" contains "$OUT" '"linkage":"dynamic"'
n=$(awk -v lib="$T/libdata.so" '
	index($0, "\"" lib "\"") && /^openat/ { fd = $NF }
	fd != "" && index($0, "pread64(" fd ",") == 1 { sub(/\) += .*/, ""); n += $(NF - 1) }
	END { print n + 0 }' "$T/data.trace")
check "libdata.so: under 8 KiB read (got $n bytes)" [ "$n" -lt 8192 ]

check "libmany.so: no stack protector" contains "$(cat "$T/libmany.json")" '"stack_protector":false'
check "libmanychk.so: __stack_chk_fail among 3000 imports" \
	contains "$(cat "$T/libmanychk.json")" '"stack_protector":true'

# a look at a binary leaves its access time alone (O_NOATIME), and a
# user who may not ask that of another's file still reads it
cp "$T/libmany.so" "$T/atime.so"
touch -a -d '2001-02-03 04:05:06' "$T/atime.so"
before=$(stat -c %X "$T/atime.so")
run "$XBUILD" inspect --json "$T/atime.so" "$T/libmanychk.so"
check "inspect: exit 0" rc_is 0
check "inspect: the access time is the one it had" \
	[ "$(stat -c %X "$T/atime.so")" = "$before" ]
chmod 755 "$T"
run setpriv --reuid=65534 --regid=65534 --clear-groups "$XBUILD" inspect --json "$T/atime.so" "$T/libmanychk.so"
check "another user (O_NOATIME refused): exit 0" rc_is 0
check "another user: both files read" \
	[ "$(printf '%s' "$OUT" | grep -c '"stack_protector":')" -eq 2 ]
done_testing
