#!/usr/bin/env bash
# plan-cgolink.sh: `xbuild plan --static` of cgo programs on real C
# libraries, with no flags added by the user: the real go-sqlite3 module over the
# system libsqlite3, an arm64 library in a sysroot beside a host .pc of the
# same name, and C++.  Each plan's `--format shell` line is run exactly as
# printed and the binary is checked and run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-cgo.sh"

need_all pkg-config
cgo_setup

# jq-less JSON: python3 prints what the expression gives
json() { printf '%s' "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); p=d['plans'][0]; print($1)"; }

# ---- go-sqlite3 on the host ------------------------------------------------
cgo_sqlite "$T/sq" || { done_testing; exit 1; }
cd "$T/sq" || exit 1
run go build $SQ_TAGS -o plain -ldflags "-linkmode external -extldflags -static" .
check "plain static go build of go-sqlite3 fails with undefined sqrt" \
	eval '! rc_is 0 && contains "$ERR" "undefined reference to \`sqrt'\''"'

# (the go list runs counted below are those of one run: without the go
# list cache of earlier runs)
run env XBUILD_GOLIST_CACHE=off "$XBUILD" plan --tags libsqlite3 --static --format json -o "$T/out/{name}" .
check "plan --static: exit 0" rc_is 0
ext=$(json '" ".join(p["link"]["extldflags"])')
check "extldflags: -static -lsqlite3 -lm -lz, in that order" \
	contains "$ext " "-static -lsqlite3 -lm -lz "
check "... and they are in go build's -ldflags" \
	contains "$(json '" ".join(p["argv"])')" "-linkmode external \"-extldflags=-static -lsqlite3 -lm -lz"
check "a reason names sqlite3.pc and the package that asked" \
	contains "$(json '"\n".join(p["reasons"])')" "-lm -lz: Libs.private of /usr/lib/x86_64-linux-gnu/pkgconfig/sqlite3.pc (from -lsqlite3 in github.com/mattn/go-sqlite3)"
check "the plan names where a failed link's archives are looked up" \
	eval 'json "p[\"link\"][\"lib_dirs\"][0]" | grep -qx /usr/lib/x86_64-linux-gnu'
check "go list ran twice in all (packages, then the cgo link)" \
	[ "$(json 'd["go_list_runs"]')" = 2 ]
run env XBUILD_GOLIST_CACHE=off "$XBUILD" plan --tags libsqlite3 --static --format json -t linux/amd64,linux/amd64/v3 \
	-o "$T/out/{name}{variant}" .
check "two targets of one GOOS/GOARCH: the cgo link is asked once" \
	eval 'rc_is 0 && [ "$(json "d[\"go_list_runs\"]")" = 2 ]'

run "$XBUILD" plan --tags libsqlite3 --static --format shell -o "$T/out/{name}" .
line=$OUT
check "plan --format shell: one line" [ "$(lines "$line")" -eq 1 ]
run bash -c "$line"
check "the shell line builds go-sqlite3 static" rc_is 0
check "... a static binary" static_elf "$T/out/sq"
run "$T/out/sq"
check "... that opens a database and prints sqlite_version()" \
	eval 'rc_is 0 && [[ $OUT == "sqlite 3."* ]]'

# the same through `xbuild build --static`: no flag from the user
run "$XBUILD" build --tags libsqlite3 --static -o "$T/built/{name}" .
check "xbuild build --static of go-sqlite3: exit 0" rc_is 0
check "... dlopen's static-link warning is shown, and not fatal (not NSS)" \
	contains "$ERR" "static glibc: dlopen"
run "$XBUILD" verify "$T/built/sq" --expect linkage=static,arch=amd64,cgo=1,libc=glibc
check "xbuild verify: the built go-sqlite3 is static glibc amd64 with cgo" rc_is 0
run "$T/built/sq"
check "... and prints sqlite_version()" eval 'rc_is 0 && [[ $OUT == "sqlite 3."* ]]'

# ---- cross: an arm64 library in a sysroot, a host .pc of the same name ------
if need aarch64-linux-gnu-gcc qemu-aarch64; then
	S=$T/sysroot
	cgo_foo_cross
	cat >"$T/x/cross.yaml" <<EOF
version: 1
defaults:
  sysroot: $S
targets: [linux/arm64]
EOF
	cd "$T/x" || exit 1
	export PKG_CONFIG_PATH=$T/hostpc
	for v in pc lf; do
		# the host's .pc is on PKG_CONFIG_PATH here and in the build's
		# own environment (env:), and still not used
		set -- -p cross.yaml --static --set "env=PKG_CONFIG_PATH=$T/hostpc" \
			-o "$T/out/{name}-{arch}" "./$v"
		run "$XBUILD" plan --format json "$@"
		check "cross $v: plan exit 0" rc_is 0
		ext=$(json '" ".join(p["link"]["extldflags"])')
		check "cross $v: -lfoo and its Libs.private -lm from the sysroot" \
			eval 'contains "$ext" "-L$S/usr/lib" && contains "$ext " "-lfoo -lm "'
		check "cross $v: a reason names the sysroot's foo.pc" \
			contains "$(json '"\n".join(p["reasons"])')" "$S/usr/lib/pkgconfig"
		check "cross $v: nothing of the host's foo.pc" \
			eval 'lacks "$OUT" "$T/hostlib" && lacks "$OUT" hostonly && lacks "$OUT" HOST_FOO'
		check "cross $v: the plan records the sysroot for diagnoses" \
			eval '[ "$(json "p[\"link\"][\"sysroot\"]")" = "$S" ] &&
			      json "p[\"link\"][\"lib_dirs\"]" | grep -q "$S/usr/lib"'
		if [ $v = pc ]; then
			check "cross pc: pkg-config confined to the sysroot in the build" \
				eval '[ "$(json "p[\"env\"][\"PKG_CONFIG_LIBDIR\"]")" = "$S/usr/lib/pkgconfig:$S/usr/lib/aarch64-linux-gnu/pkgconfig:$S/usr/share/pkgconfig" ] &&
				      [ "$(json "p[\"env\"][\"PKG_CONFIG_SYSROOT_DIR\"]")" = "$S" ] &&
				      [ -z "$(json "p[\"env\"][\"PKG_CONFIG_PATH\"]")" ]'
			check "cross pc: the replaced PKG_CONFIG_PATH is a warning" \
				contains "$ERR" "env PKG_CONFIG_PATH=$T/hostpc is replaced"
		fi
		run "$XBUILD" plan --format shell "$@"
		line=$OUT
		run bash -c "$line"
		check "cross $v: the shell line builds a static arm64 binary" \
			eval 'rc_is 0 && file "$T/out/$v-arm64" | grep -q "ARM aarch64" && static_elf "$T/out/$v-arm64"'
		run qemu-aarch64 "$T/out/$v-arm64"
		check "cross $v: runs under qemu-aarch64" \
			eval 'rc_is 0 && [ "$OUT" = "wave 2.000" ]'
	done
	# the same through `xbuild build --static`, checked by xbuild verify
	for v in pc lf; do
		run "$XBUILD" build -p cross.yaml --static -o "$T/built/{name}-{arch}" ./$v
		check "xbuild build --static, cross $v: exit 0" rc_is 0
		run "$XBUILD" verify "$T/built/$v-arm64" --expect linkage=static,arch=arm64,cgo=1
		check "xbuild verify: cross $v is a static arm64 cgo binary" rc_is 0
		run qemu-aarch64 "$T/built/$v-arm64"
		check "xbuild build, cross $v: runs under qemu-aarch64" \
			eval 'rc_is 0 && [ "$OUT" = "wave 2.000" ]'
	done
	unset PKG_CONFIG_PATH

	# failed links: a symbol only an archive of the sysroot defines, and
	# one no archive defines; the build says which, and exits 1
	printf 'int bar_only_here(int x) { return x + 1; }\n' >"$T/bar.c"
	aarch64-linux-gnu-gcc -c -o "$T/bar.o" "$T/bar.c" &&
		aarch64-linux-gnu-ar rcs "$S/usr/lib/libbar.a" "$T/bar.o"
	cgo_undefined "$T/x"
	run "$XBUILD" build -p cross.yaml --static -o "$T/built/{name}" ./some
	check "failed cross link: the sysroot archive that defines the symbol (exit 1)" \
		eval 'rc_is 1 && contains "$ERR" "undefined bar_only_here: defined in $S/usr/lib/libbar.a; add -lbar"'
	check "... and nothing is left in place" [ ! -e "$T/built/some" ]
	run "$XBUILD" build -p cross.yaml --static -o "$T/built/{name}" ./none
	check "failed cross link: a symbol no archive defines, never the host's folders (exit 1)" \
		eval 'rc_is 1 && contains "$ERR" "undefined no_library_has_this: not defined in any static archive of $S/usr/lib" && lacks "$ERR" "/usr/lib/x86_64-linux-gnu"'

	# a host library folder in a cross link is a plan error naming it
	cgo_host_path "$T/x"
	run "$XBUILD" plan -p cross.yaml --static ./bad
	check "cross: a host library folder fails the plan (exit 1), named" \
		eval 'rc_is 1 && contains "$ERR" "host library path '\''/usr/lib/x86_64-linux-gnu'\''" && contains "$ERR" "example.com/x/bad"'
else
	pass "# SKIP no aarch64-linux-gnu-gcc or qemu-aarch64"
fi

# ---- C++ ------------------------------------------------------------------------
cgo_cxx "$T/cxx"
cd "$T/cxx" || exit 1
run "$XBUILD" plan --static --format json -o "$T/out/{name}" .
ext=$(json '" ".join(p["link"]["extldflags"])')
check "C++ static: the C++ runtime linked statically" \
	eval 'rc_is 0 && contains "$ext" "-static-libstdc++ -static-libgcc -lstdc++"'
check "C++ static: ... and said so" \
	contains "$(json '"\n".join(p["reasons"])')" "the C++ runtime is linked statically (C++ files in example.com/cxx"
run "$XBUILD" plan --static --format shell -o "$T/out/{name}" .
run bash -c "$OUT"
check "C++ static: the shell line builds a static binary" \
	eval 'rc_is 0 && static_elf "$T/out/cxx"'
run "$T/out/cxx"
check "C++ static: runs" eval 'rc_is 0 && [ "$OUT" = "len 5" ]'
run "$XBUILD" plan --format json -o "$T/out/{name}" .
check "C++ dynamic: the runtime stays dynamic, said so" \
	eval 'rc_is 0 && contains "$OUT" "stays dynamic" && lacks "$(json "p[\"link\"][\"extldflags\"]")" "-static-libstdc++"'
run "$XBUILD" plan --set static_libstdcxx=true --format json -o "$T/out/{name}-d" .
check "C++ dynamic with static_libstdcxx: -static-libstdc++ -static-libgcc" \
	eval 'rc_is 0 && [ "$(json "\" \".join(p[\"link\"][\"extldflags\"])")" = "-static-libstdc++ -static-libgcc" ]'
run "$XBUILD" plan --set static_libstdcxx=true --format shell -o "$T/out/{name}-d" .
run bash -c "$OUT"
check "... builds a dynamic binary without libstdc++.so" \
	eval 'rc_is 0 && readelf -dW "$T/out/cxx-d" | grep -q "libc.so" && ! readelf -dW "$T/out/cxx-d" | grep -q "libstdc++"'

done_testing
