#!/usr/bin/env bash
# The library's modules call one another without a cycle: for each
# lib/**/*.c, the xb_* functions its object leaves undefined are mapped to
# the object that defines them, and the graph of modules must be acyclic,
# so that each module can be read (and tested) after the ones it uses.
# A module split for size into NAME.c and NAME-*.c in one folder (sharing
# a private header) is one module: cycles between its files are printed
# as a note, not a failure.
. "$(dirname "$0")/lib.sh"
need_all nm
B=${XB_BUILD:-$TOP/build}

objs=() stale=
for src in $(cd "$TOP" && find lib -name '*.c' | sort); do
	obj=$B/${src%.c}.o
	if [ ! -f "$obj" ] || [ "$obj" -ot "$TOP/$src" ]; then
		stale="$stale ${obj#"$TOP"/}"
	else
		objs+=("$obj")
	fi
done
check "every lib/ module has an up-to-date object (make xbuild)" [ -z "$stale" ]
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
done_testing
