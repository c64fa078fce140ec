#!/usr/bin/env bash
# The shape of the tree, checked so that it stays readable:
#
# 1. The library's modules call one another without a cycle: for each
#    lib/**/*.c, the xb_* functions its object leaves undefined are mapped
#    to the object that defines them, and the graph of modules must be
#    acyclic, so that each module can be read (and tested) after the ones
#    it uses.  A module split for size into NAME.c and NAME-*.c in one
#    folder (sharing a private header) is one module: cycles between its
#    files are printed as a note, not a failure.
# 2. No function in lib/ or cmd/ is longer than 120 lines, counted from
#    the "{" that opens it to the "}" that closes it, both at column 0 (the
#    tree's style; a definition with its "{" on the signature line fails).
# 3. No .c or .h file under lib/, cmd/ or tests/ is longer than 900 lines.
# 4. lib/xbuild.h is the library's public interface (with xbuild-base.h,
#    xbuild-check.h and xbuild-run.h, which it includes): cmd/ includes no
#    other header of lib/ (only xbuild.h and its own), and every function
#    the four declare is defined in lib/ and called from cmd/ (nm of the
#    objects), except those of the basics (err, buf, strv, json, hash, fs,
#    version) and of spawn.c, whose whole interface is public.  What only
#    lib/ and the tests use is declared in a private header beside its
#    module.
. "$(dirname "$0")/lib.sh"
need_all nm
B=${XB_BUILD:-$TOP/build}

objs=() cmdobjs=() stale=
for src in $(cd "$TOP" && find lib cmd -name '*.c' | sort); do
	obj=$B/${src%.c}.o
	if [ ! -f "$obj" ] || [ "$obj" -ot "$TOP/$src" ]; then
		stale="$stale ${obj#"$TOP"/}"
	elif [ "${src#cmd/}" != "$src" ]; then
		cmdobjs+=("$obj")
	else
		objs+=("$obj")
	fi
done
check "every lib/ and cmd/ file has an up-to-date object (make xbuild)" [ -z "$stale" ]
[ -z "$stale" ] || { echo "# missing or older than its source:$stale"; done_testing; exit 1; }

# nm -A prints "build/lib/bin/elf.o:  U xb_src_read" for a use and
# "build/lib/bin/src.o:00a0 T xb_src_read" for a definition; the file is
# bin/elf, its module (group=1) bin/elf too, and bin/elf-dyn's bin/elf.
# A depth-first search prints each cycle its back edges close.
nm -g -A "${objs[@]}" >"$T/nm"
cycles_of() {
	awk -v pre="$B/lib/" -v group="$1" '
	{
		m = $1
		sub(/:.*$/, "", m)
		m = substr(m, length(pre) + 1)
		sub(/\.o$/, "", m)
		if (group) {
			d = ""
			if (match(m, /.*\//)) {
				d = substr(m, 1, RLENGTH)
				m = substr(m, RLENGTH + 1)
			}
			sub(/-.*/, "", m)
			m = d m
		}
		mods[m] = 1
		if (NF == 3 && $2 == "U" && $3 ~ /^xb_/)
			use[++nuse] = m " " $3
		else if (NF == 3 && $2 ~ /^[TDBR]$/ && $3 ~ /^xb_/)
			owner[$3] = m
	}
	END {
		for (i = 1; i <= nuse; i++) {
			split(use[i], u, " ")
			o = owner[u[2]]
			if (o != "" && o != u[1] && !((u[1], o) in edge)) {
				edge[u[1], o] = 1
				out[u[1]] = out[u[1]] " " o
			}
		}
		# a stable order, so that the same tree prints the same cycles
		n = 0
		for (m in mods) order[++n] = m
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && order[j - 1] > order[j]; j--) {
				t = order[j]; order[j] = order[j - 1]; order[j - 1] = t
			}
		for (i = 1; i <= n; i++)
			if (!color[order[i]])
				visit(order[i], 0)
	}
	function visit(m, depth,   k, to, list, i, j, s) {
		color[m] = 1
		stack[depth] = m
		k = split(out[m], list, " ")
		for (i = 1; i <= k; i++) {
			to = list[i]
			if (color[to] == 1) {
				s = ""
				for (j = 0; j <= depth; j++)
					if (s != "" || stack[j] == to)
						s = s stack[j] " -> "
				print s to
			} else if (!color[to])
				visit(to, depth + 1)
		}
		color[m] = 2
	}' "$T/nm"
}
cycles=$(cycles_of 1) || { fail "the import graph could not be read"; done_testing; exit 1; }
# cycles between the files of one module (e.g. profile.c's helpers used
# by profile-resolve.c, which profile.c calls): allowed, but shown
cycles_of 0 | grep -vxF -f <(printf '%s\n' "$cycles") | sed 's/^/# note: a cycle inside one module: /'
if [ -z "$cycles" ]; then
	pass "no import cycle between the modules of lib/"
else
	fail "no import cycle between the modules of lib/" \
		"$(printf '%s\n' "$cycles" | sed 's/^/cycle: /')"
fi
# ---- 2. function length -------------------------------------------------------
long=$(cd "$TOP" && find lib cmd -name '*.c' | sort | xargs awk -v max=120 '
	FNR == 1 { inb = 0 }
	# the name of the last signature seen: "static int name(..."
	!inb && /^[A-Za-z_].*\(/ {
		sig = $0
		sub(/\(.*/, "", sig)
		n = split(sig, w, /[ *]+/)
		name = w[n]
		if ($0 ~ /\) *\{ *$/)
			printf "%s:%d: %s opens its body on the signature line\n", FILENAME, FNR, name
	}
	/^\{/ && !inb { inb = 1; start = FNR; fn = name; next }
	/^\}/ && inb {
		inb = 0
		if (FNR - start + 1 > max)
			printf "%s:%d: %s is %d lines\n", FILENAME, start, fn, FNR - start + 1
	}')
if [ -z "$long" ]; then
	pass "no function in lib/ or cmd/ over 120 lines"
else
	fail "no function in lib/ or cmd/ over 120 lines" "$long"
fi

# ---- 3. file length -------------------------------------------------------------
big=$(cd "$TOP" && find lib cmd tests -name '*.[ch]' | sort |
	xargs wc -l | awk '$2 != "total" && $1 > 900 { print $2 ": " $1 " lines" }')
if [ -z "$big" ]; then
	pass "no .c or .h file over 900 lines"
else
	fail "no .c or .h file over 900 lines" "$big"
fi

# ---- 4. the public interface ------------------------------------------------
private=$(cd "$TOP" && grep -H '^#[[:space:]]*include[[:space:]]*"' cmd/*.[ch] |
	while IFS= read -r l; do
		h=${l#*\"}
		h=${h%%\"*}
		[ "$h" = xbuild.h ] || [ -f "cmd/$h" ] || printf '%s\n' "$l"
	done)
if [ -z "$private" ]; then
	pass "cmd/ includes no private header of lib/"
else
	fail "cmd/ includes no private header of lib/" "$private"
fi

# The functions xbuild.h declares: comments and preprocessor lines out,
# then every xb_NAME( but a function pointer's: the (*xb_NAME)( it
# declares, and the xb_TYPE (* of the type it returns.
awk '
	cont { cont = /\\$/; next }
	/^[[:space:]]*#/ { cont = /\\$/; next }
	{
		line = $0; out = ""
		while (line != "") {
			if (inc) {
				p = index(line, "*/")
				if (!p) { line = ""; break }
				line = substr(line, p + 2); inc = 0
			} else {
				p = index(line, "/*")
				if (!p) { out = out line; break }
				out = out substr(line, 1, p - 1)
				line = substr(line, p + 2); inc = 1
			}
		}
		print out
	}' "$TOP/lib/xbuild-base.h" "$TOP/lib/xbuild-check.h" "$TOP/lib/xbuild.h" \
		"$TOP/lib/xbuild-run.h" | tr '\n' ' ' |
	grep -oE '(\(\*[[:space:]]*)?xb_[a-z0-9_]+[[:space:]]*\((\*)?' |
	grep -v -e '^(' -e '\*$' | sed 's/[[:space:]]*($//' | sort -u >"$T/declared"
basics=()
for m in err buf strv json hash fs spawn version; do basics+=("$B/lib/$m.o"); done
nm -g "${cmdobjs[@]}" | awk '$1 == "U" { print $2 }' | sort -u >"$T/cmd-uses"
nm -g --defined-only "${objs[@]}" "$B/embed.o" | awk '$2 == "T" { print $3 }' | sort -u >"$T/defined"
nm -g --defined-only "${basics[@]}" | awk '$2 == "T" { print $3 }' | sort -u >"$T/basics"
check "xbuild.h declares functions (the list could be read)" [ -s "$T/declared" ]
undefined=$(comm -23 "$T/declared" "$T/defined")
if [ -z "$undefined" ]; then
	pass "every function xbuild.h declares is defined in lib/"
else
	fail "every function xbuild.h declares is defined in lib/" "$undefined"
fi
unused=$(comm -23 "$T/declared" "$T/cmd-uses" | comm -23 - "$T/basics" |
	sed 's/$/: used by no file of cmd\/ (declare it in a private header of lib\/)/')
if [ -z "$unused" ]; then
	pass "every function xbuild.h declares is called from cmd/ (basics aside)"
else
	fail "every function xbuild.h declares is called from cmd/ (basics aside)" "$unused"
fi
done_testing
