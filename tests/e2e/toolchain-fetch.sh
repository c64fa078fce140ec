#!/usr/bin/env bash
# xbuild toolchain fetch against a loopback server that injects faults:
# each fault gives a clear error, a retry, a mirror fallback or a resume
# where that applies, and never a partial or unverified install.
. "$(dirname "$0")/lib.sh"
need_all python3 strace

mkdir -p "$T/www" "$T/data/toolchains" "$T/src/pkg/bin" "$T/src/pkg/lib"
export XBUILD_DATADIR=$T/data XBUILD_CACHE=$T/cache
export XBUILD_BACKOFF_MS=20 XBUILD_STALL_TIMEOUT=2 XBUILD_RETRIES=3
unset XBUILD_OFFLINE http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1

# ---- fixtures: a good archive and hostile ones ---------------------------
printf '#!/bin/sh\necho tool ok\n' >"$T/src/pkg/bin/tool"
chmod 755 "$T/src/pkg/bin/tool"
head -c 300000 /dev/urandom >"$T/src/pkg/lib/blob"
ln -s bin/tool "$T/src/pkg/tool-link"
tar -C "$T/src" -czf "$T/www/good.tar.gz" pkg
# the same layout with other bytes: what a swap would install
mkdir -p "$T/evil/pkg/bin"
printf '#!/bin/sh\necho evil\n' >"$T/evil/pkg/bin/tool"
chmod 755 "$T/evil/pkg/bin/tool"
tar -C "$T/evil" -czf "$T/www/evil.tar.gz" pkg
mkdir -p "$T/gosrc/go/bin"
printf '#!/bin/sh\necho go version go1.99 fake\n' >"$T/gosrc/go/bin/go"
chmod 755 "$T/gosrc/go/bin/go"
tar -C "$T/gosrc" -czf "$T/www/go.tar.gz" go
head -c 20000 "$T/www/good.tar.gz" >"$T/www/truncated.tar.gz"
cp "$T/www/good.tar.gz" "$T/www/twin.tar.gz"
python3 - "$T/www" <<'EOF'
import io, sys, tarfile
d = sys.argv[1]
def make(name, entries):
    with tarfile.open(f"{d}/{name}", "w") as t:
        for e in entries:
            ti = tarfile.TarInfo(e["name"])
            data = e.get("data", b"x")
            if "link" in e:
                ti.type = e.get("type", tarfile.SYMTYPE)
                ti.linkname = e["link"]
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
make("dotdot.tar", [{"name": "pkg/ok"}, {"name": "pkg/../../evil-dotdot"}])
make("absolute.tar", [{"name": "pkg/ok"}, {"name": "/tmp/xbuild-evil-absolute"}])
make("symlink.tar", [{"name": "pkg/ok"}, {"name": "pkg/esc", "link": "../../.."},
                     {"name": "pkg/esc/evil-through-link"}])
make("abslink.tar", [{"name": "pkg/esc", "link": "/etc"}])
make("hardlink.tar", [{"name": "pkg/ok"},
                      {"name": "pkg/hl", "link": "/etc/passwd", "type": tarfile.LNKTYPE}])
make("special.tar", [{"name": "pkg/fifo", "link": "", "type": tarfile.FIFOTYPE}])
# a bomb: 32 MiB of zeros in a 32 KiB gzip, streamed, never on disk here
class Zeros:
    def read(self, n):
        return bytes(n)
with tarfile.open(f"{d}/bomb.tar.gz", "w:gz") as t:
    ti = tarfile.TarInfo("pkg/zeros")
    ti.size = 32 << 20
    t.addfile(ti, Zeros())
EOF
# a sparse file that claims 4 GiB in a few bytes
mkdir -p "$T/sparse/pkg"
truncate -s 4G "$T/sparse/pkg/hole"
tar -C "$T/sparse" -czSf "$T/www/sparse.tar.gz" pkg
rm -rf "$T/sparse"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

python3 "$TOP/tests/httpd.py" "$T/www" "$T/port" "$T/requests.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
port=$(cat "$T/port")
U=http://127.0.0.1:$port

good_sha=$(sha "$T/www/good.tar.gz") good_size=$(size "$T/www/good.tar.gz")
# entry ID FILE-FOR-HASH URL...
entry() {
	local id=$1 file=$2
	shift 2
	printf '  - id: %s\n    kind: gcc\n    host: %s\n    sha256: %s\n    size: %s\n' \
		"$id" "$host" "$(sha "$file")" "$(size "$file")"
	printf '    strip: pkg\n    bin: bin/tool\n    target: linux/arm64\n    libc: musl\n'
	printf '    triplet: aarch64-linux-musl\n    urls:\n'
	for u in "$@"; do printf '      - %s\n' "$u"; done
}
case $(uname -m) in x86_64) host=linux/amd64 ;; aarch64) host=linux/arm64 ;; *) host=linux/$(uname -m) ;; esac
G=$T/www/good.tar.gz
unpacked=$(find "$T/src/pkg" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
{
	echo "version: 1"
	echo "archives:"
	entry good "$G" "$U/good.tar.gz"
	entry good2 "$G" "$U/good.tar.gz"
	entry only404 "$G" "$U/404/good.tar.gz"
	entry mirror "$G" "$U/404/good.tar.gz" "$U/good.tar.gz"
	entry only500 "$G" "$U/500/good.tar.gz"
	entry flaky "$G" "$U/flaky/2/good.tar.gz"
	entry reset "$G" "$U/resetonce/good.tar.gz"
	entry stall "$G" "$U/stall/good.tar.gz" "$U/good.tar.gz"
	entry trickle "$G" "$U/trickle/good.tar.gz" "$U/good.tar.gz"
	entry drip "$G" "$U/drip/good.tar.gz" "$U/good.tar.gz"
	entry norange "$G" "$U/norange/good.tar.gz"
	entry badrange "$G" "$U/badrange/good.tar.gz"
	entry wrong "$G" "$U/wrong/good.tar.gz"
	entry wrongthenok "$G" "$U/wrong/good.tar.gz" "$U/good.tar.gz"
	entry big "$G" "$U/big/good.tar.gz"
	entry redirect "$G" "$U/redirect/good.tar.gz"
	entry concurrent "$G" "$U/slow/good.tar.gz"
	entry twin1 "$G" "$U/slow/twin.tar.gz"
	entry twin2 "$G" "$U/slow/twin.tar.gz"
	entry truncated "$T/www/truncated.tar.gz" "$U/truncated.tar.gz"
	for e in dotdot absolute symlink abslink hardlink special; do
		entry "$e" "$T/www/$e.tar" "$U/$e.tar"
	done
	for e in bomb sparse; do entry "$e" "$T/www/$e.tar.gz" "$U/$e.tar.gz"; done
	# what the good archive unpacks to, declared one byte short and exact
	entry short "$G" "$U/good.tar.gz" | sed "/^    size:/a\\    unpacked_size: $((unpacked - 1))"
	entry exact "$G" "$U/good.tar.gz" | sed "/^    size:/a\\    unpacked_size: $unpacked"
	# the zig of the cgo builds below: a mirror failing with 500, then a 404
	printf '  - id: zigtest\n    kind: zig\n    host: %s\n    sha256: %s\n' "$host" "$good_sha"
	printf '    strip: pkg\n    bin: bin/tool\n    urls: [%s, %s]\n' "$U/500/zig.tgz" "$U/404/zig2.tgz"
	entry local "$G" "$U/404/never.tar.gz"
	# no size: only the sha256 stands between a swap and the install
	entry swapped "$G" "$U/404/never.tar.gz" | grep -v '^    size:'
	entry oncepart "$G" "$U/good.tar.gz"
	entry cold "$G" "$U/good.tar.gz"
	printf '  - id: go-test\n    kind: go\n    host: %s\n    sha256: %s\n' "$host" "$(sha "$T/www/go.tar.gz")"
	printf '    strip: go\n    bin: bin/go\n    urls: [%s]\n' "$U/go.tar.gz"
} >"$T/data/toolchains/test.yaml"
# special.tar and friends have no pkg/bin/tool: the strip prefix still holds
# One target whose compiler nobody has: only zig could serve it.
cat >"$T/data/toolchains/targets.yaml" <<'EOF'
version: 1
targets:
  - target: linux/mips64le
    machine: 8
    bits: 64
    musl:
      triplets: [xbuild-test-none-linux-musl]
      zig: mips64el-linux-musl
    glibc:
      triplets: [xbuild-test-none-linux-gnu]
      zig: mips64el-linux-gnuabi64
EOF

requests() { grep -c " $1 " "$T/requests.log" 2>/dev/null || true; }
installs() { find "$T/cache/tc" -mindepth 1 -maxdepth 1 -name "$1-*" 2>/dev/null | wc -l; }
no_tmp() { [ -z "$(find "$T/cache/tc" -maxdepth 1 -name '.tmp-*' 2>/dev/null)" ]; }

# ---- the good path -----------------------------------------------------------
run "$XBUILD" toolchain fetch good
check "fetch: exit 0" rc_is 0
dir=$OUT
check "fetch prints the install folder" [ -d "$dir" ]
check "fetch: strip prefix applied, exec bit kept" [ -x "$dir/bin/tool" ]
check "fetch: contents intact" cmp -s "$dir/lib/blob" "$T/src/pkg/lib/blob"
check "fetch: inner symlink kept" [ "$(readlink "$dir/tool-link")" = bin/tool ]
check "fetch: completion marker written" grep -q "^sha256 $good_sha" "$dir/.xbuild-complete"
check "fetch: download removed once installed" [ -z "$(ls "$T/cache/dl")" ]
check "fetch: no temp folders left" no_tmp
run "$XBUILD" toolchain path good
check "path prints the install" [ "$OUT" = "$dir" ]
n=$(requests /good.tar.gz)
run "$XBUILD" toolchain fetch good --json
check "second fetch: cached" contains "$OUT" '"cached": true'
check "second fetch: no request" [ "$(requests /good.tar.gz)" = "$n" ]
run "$XBUILD" toolchain verify
check "verify: exit 0" rc_is 0
check "verify: names the install" contains "$OUT" "ok $dir"

# A cache reached through a symlink (~/.cache -> /data/cache) works.
ln -s "$T/cache" "$T/cache-link"
run env XBUILD_CACHE="$T/cache-link" "$XBUILD" toolchain fetch good2
check "cache behind a symlink: exit 0" rc_is 0
check "cache behind a symlink: link inside the archive kept" \
	[ "$(readlink "$T/cache/tc/good2-${good_sha:0:12}/tool-link")" = bin/tool ]

# ---- 404, 500, retries and mirrors ---------------------------------------------
run "$XBUILD" toolchain fetch only404
check "404: exit 1" rc_is 1
check "404: says HTTP 404 and the URL" contains "$ERR" "/404/good.tar.gz: HTTP 404"
check "404: never retried" [ "$(requests /404/good.tar.gz)" = 1 ]
check "404: nothing installed" [ "$(installs only404)" = 0 ]

run "$XBUILD" toolchain fetch mirror --json
check "mirror: exit 0 after a 404" rc_is 0
check "mirror: used the second URL" contains "$OUT" "\"url\": \"$U/good.tar.gz\""

run "$XBUILD" toolchain fetch only500
check "500: exit 1" rc_is 1
check "500: retried 3 times" [ "$(requests /500/good.tar.gz)" = 3 ]
check "500: says HTTP 500" contains "$ERR" "HTTP 500"
check "500: nothing installed" [ "$(installs only500)" = 0 ]

run "$XBUILD" toolchain fetch flaky --json
check "flaky: succeeds on the third attempt" contains "$OUT" '"attempts": 3'

# ---- resume ----------------------------------------------------------------------
run "$XBUILD" toolchain fetch reset --json
check "reset mid-body: exit 0" rc_is 0
check "reset mid-body: resumed with a Range request" contains "$OUT" '"resumed": 1'
check "reset mid-body: second request asked for a range" \
	grep -q "/resetonce/good.tar.gz bytes=[1-9]" "$T/requests.log"
check "reset mid-body: contents intact" \
	cmp -s "$T/cache/tc/reset-${good_sha:0:12}/lib/blob" "$T/src/pkg/lib/blob"

run env XBUILD_RETRIES=1 "$XBUILD" toolchain fetch stall --json
check "stall: falls back to the mirror" rc_is 0
check "stall: the stall is reported" contains "$ERR" "stalled"

# A mirror that trickles (2 bytes/s) or one that is slow but never ends
# holds nobody: after one transfer each, the next mirror is tried.  The
# figures come from the environment (2 s stall window set above).
run timeout 30 env XBUILD_MIN_SPEED=1000 "$XBUILD" toolchain fetch trickle --json
check "trickle: falls back to the mirror" rc_is 0
check "trickle: fetched from the mirror" contains "$OUT" "\"url\": \"$U/good.tar.gz\""
check "trickle: said too slow" contains "$ERR" "slower than 1000 bytes/s for 2s"
check "trickle: not retried" [ "$(requests /trickle/good.tar.gz)" = 1 ]
run timeout 30 env XBUILD_FETCH_TIMEOUT=2 "$XBUILD" toolchain fetch drip --json
check "deadline: falls back to the mirror" rc_is 0
check "deadline: fetched from the mirror" contains "$OUT" "\"url\": \"$U/good.tar.gz\""
check "deadline: said so" contains "$ERR" "not done after 2s"
check "deadline: not retried" [ "$(requests /drip/good.tar.gz)" = 1 ]

# a partial download and a server that ignores Range: 200 restarts it
mkdir -p "$T/cache/dl"
head -c 1000 "$G" >"$T/cache/dl/$good_sha.part"
run "$XBUILD" toolchain fetch norange --json
check "200 to a range request: restarts cleanly" rc_is 0
check "200 to a range request: a range was asked" grep -q "/norange/good.tar.gz bytes=1000-" "$T/requests.log"

head -c 1000 "$G" >"$T/cache/dl/$good_sha.part"
run "$XBUILD" toolchain fetch badrange
check "wrong Content-Range: recovered" rc_is 0
check "wrong Content-Range: reported" contains "$ERR" "with range"

# ---- wrong bytes, too many bytes -----------------------------------------------
run "$XBUILD" toolchain fetch wrong
check "wrong bytes: exit 1" rc_is 1
check "wrong bytes: names expected and actual sha256" contains "$ERR" "sha256 mismatch: expected $good_sha, got"
check "wrong bytes: not retried from the same URL" [ "$(requests /wrong/good.tar.gz)" = 1 ]
check "wrong bytes: nothing installed" [ "$(installs wrong)" = 0 ]
check "wrong bytes: bad download removed" [ ! -s "$T/cache/dl/$good_sha.part" ]
run "$XBUILD" toolchain fetch wrongthenok
check "wrong bytes then a good mirror: exit 0" rc_is 0

run "$XBUILD" toolchain fetch big
check "too big: exit 1" rc_is 1
check "too big: says so" contains "$ERR" "more than the $good_size bytes expected"
check "too big: nothing installed" [ "$(installs big)" = 0 ]

run "$XBUILD" toolchain fetch redirect --json
check "redirect: followed" rc_is 0

# ---- damaged and hostile archives -------------------------------------------------
run "$XBUILD" toolchain fetch truncated
check "truncated archive: exit 1" rc_is 1
check "truncated archive: says damaged" contains "$ERR" "damaged"
check "truncated archive: nothing installed" [ "$(installs truncated)" = 0 ]
check "truncated archive: no temp folder left" no_tmp

for e in dotdot absolute symlink abslink hardlink special; do
	run "$XBUILD" toolchain fetch $e
	check "hostile archive $e: exit 1" rc_is 1
	check "hostile archive $e: nothing installed" [ "$(installs $e)" = 0 ]
	check "hostile archive $e: no temp folder left" no_tmp
done
run "$XBUILD" toolchain fetch dotdot
check "'..' entry named" contains "$ERR" "unsafe entry 'pkg/../../evil-dotdot'"
run "$XBUILD" toolchain fetch absolute
check "absolute entry named" contains "$ERR" "unsafe entry '/tmp/xbuild-evil-absolute'"
run "$XBUILD" toolchain fetch symlink
check "escaping symlink named" contains "$ERR" "symlink 'esc' -> '../../..' that leaves"
run "$XBUILD" toolchain fetch hardlink
check "escaping hard link named" contains "$ERR" "hard link 'hl'"
check "nothing written outside the cache" \
	[ ! -e "$T/evil-dotdot" ] && [ ! -e /tmp/xbuild-evil-absolute ] && [ ! -e "$T/evil-through-link" ]

# Archive bombs: an archive unpacks to what its data declares, else to 20
# times its size (at least 16 MiB); a sparse entry counts its holes.
run "$XBUILD" toolchain fetch bomb
check "bomb: refused" rc_is 1
check "bomb: says why" contains "$ERR" "unpacks to more than 16777216 bytes (20 times its"
check "bomb: nothing installed" [ "$(installs bomb)" = 0 ]
check "bomb: no temp folder left" no_tmp
run "$XBUILD" toolchain fetch sparse
check "sparse entry: refused" rc_is 1
check "sparse entry: says why" contains "$ERR" "unpacks to more than 16777216 bytes"
check "sparse entry: nothing installed" [ "$(installs sparse)" = 0 ]
run "$XBUILD" toolchain fetch short
check "declared unpacked_size: one byte more is refused" rc_is 1
check "declared unpacked_size: says so" contains "$ERR" "unpacks to more than $((unpacked - 1)) bytes (its declared unpacked_size)"
run "$XBUILD" toolchain fetch exact
check "declared unpacked_size: exactly that is installed" rc_is 0

# ---- two processes, one download ----------------------------------------------------
# both ID1 ID2 NAME [FILE]: fetch the two at once (the second once FILE has
# bytes), output in $T/NAME1.out, .err and $T/NAME2.*, statuses in r1, r2
both() {
	local p
	"$XBUILD" toolchain fetch "$1" >"$T/${3}1.out" 2>"$T/${3}1.err" &
	p=$!
	for _ in $(seq 200); do [ -z "${4:-}" ] || [ -s "$4" ] && break; sleep 0.01; done
	"$XBUILD" toolchain fetch "$2" >"$T/${3}2.out" 2>"$T/${3}2.err"
	r2=$?
	wait $p
	r1=$?
}
both concurrent concurrent c
check "concurrent: both succeed" [ "$r1$r2" = 00 ]
check "concurrent: same folder" cmp -s "$T/c1.out" "$T/c2.out"
check "concurrent: one download" [ "$(grep -c "GET /slow/good.tar.gz" "$T/requests.log")" = 1 ]

# Two ids pinning the same bytes share dl/<sha256>.part: they must share
# its lock, or one extracts and removes it under the other.  The second
# starts once the first is writing.
both twin1 twin2 t "$T/cache/dl/$good_sha.part"
check "same sha256, two ids at once: the first succeeds" [ $r1 = 0 ]
check "same sha256, two ids at once: the second succeeds" [ $r2 = 0 ]
cat "$T/t1.err" "$T/t2.err" >"$T/t.err"
ERR=$(cat "$T/t.err")
check "same sha256, two ids at once: no error" [ ! -s "$T/t.err" ]
run "$XBUILD" toolchain verify twin1 twin2
check "same sha256, two ids at once: both installs verify" rc_is 0

# ---- offline -------------------------------------------------------------------------------
n=$(wc -l <"$T/requests.log")
run env XBUILD_OFFLINE=1 "$XBUILD" toolchain fetch good
check "offline, warm cache: works" rc_is 0
run "$XBUILD" toolchain fetch cold --offline
check "offline, cold cache: exit 1" rc_is 1
check "offline, cold cache: names the archive" contains "$ERR" "toolchain 'cold' (sha256 $good_sha) is not in the cache"
check "offline, cold cache: says offline" contains "$ERR" "offline mode is on"
check "offline: no request made" [ "$(wc -l <"$T/requests.log")" = "$n" ]
run "$XBUILD" toolchain path cold
check "path of an absent toolchain: exit 1" rc_is 1
check "path of an absent toolchain: says how to fetch" contains "$ERR" "xbuild toolchain fetch cold"

# ---- a cgo build downloads nothing unless asked ------------------------------
# No compiler for the target and no zig on PATH (go's folder only): zig is
# fetched only with --fetch or fetch: true, tried once for both C
# libraries, and its error is printed once and whole.
mkdir -p "$T/cgo"
printf 'module example.com/cgoprobe\n\ngo 1.21\n' >"$T/cgo/go.mod"
printf 'package main\n\n// int two(void) { return 2; }\nimport "C"\n\nfunc main() { println(C.two()) }\n' >"$T/cgo/main.go"
gobin=$(dirname "$(command -v go)")
cgo_build() { run env -C "$T/cgo" PATH="$gobin" "$XBUILD" build -t linux/mips64le --cgo on -o "$T/cgo/out" "$@" .; }
n500() { requests /500/zig.tgz; }
cgo_build
check "cgo build, no --fetch: fails" rc_is 1
check "cgo build, no --fetch: no download" [ "$(n500)" = 0 ]
check "cgo build, no --fetch: says how to allow one" contains "$ERR" "--fetch or fetch: true"
check "cgo build, no --fetch: one error" [ "$(grep -c 'no working C compiler' <<<"$ERR")" = 1 ]
check "cgo build, no --fetch: no download error" lacks "$ERR" "cannot download"
cgo_build --fetch
check "cgo build --fetch: fails here" rc_is 1
check "cgo build --fetch: zig downloaded once (3 attempts on the 500)" [ "$(n500)" = 3 ]
check "cgo build --fetch: the mirror tried once" [ "$(requests /404/zig2.tgz)" = 1 ]
check "cgo build --fetch: the download error once" [ "$(grep -c "cannot download 'zigtest'" <<<"$ERR")" = 1 ]
check "cgo build --fetch: repeats counted, not printed" contains "$ERR" "$U/500/zig.tgz: HTTP 500 (3 times)"
check "cgo build --fetch: whole, to the last URL" contains "$ERR" "$U/404/zig2.tgz: HTTP 404"
# xbuild hands the run to xbuild-full before it says anything
check "cgo build --fetch: the profile named once" [ "$(grep -c '^xbuild: profile:' <<<"$ERR")" = 1 ]
# ... with the environment it was given: a snapshot's version, read from
# git by xbuild, is read again, not taken as given (XBUILD_VERSION)
mkdir -p "$T/snap"
printf 'module snap\n\ngo 1.19\n' >"$T/snap/go.mod"
printf 'package main\n\nfunc main() {}\n' >"$T/snap/main.go"
git -C "$T/snap" init -q && git -C "$T/snap" add -A &&
	git -C "$T/snap" -c user.email=t@t -c user.name=t commit -qm one
snap_plan() {
	run env -C "$T/snap" "$XBUILD" plan --format shell -t linux/amd64 \
		-o "$T/o-{{.Version}}-{{.IsSnapshot}}" "$@" .
}
snap_plan
want=$(grep -o "$T/o-[^ ]*" <<<"$OUT")
check "a snapshot plan: a snapshot version" contains "$want" "-SNAPSHOT-"
snap_plan --fetch
check "a snapshot plan with --fetch (in xbuild-full): the same version" \
	[ "$(grep -o "$T/o-[^ ]*" <<<"$OUT")" = "$want" ]
printf 'version: 1\ndefaults:\n  fetch: true\n' >"$T/cgo/fetch.yaml"
cgo_build -p "$T/cgo/fetch.yaml"
check "cgo build, profile fetch: true: downloads" [ "$(n500)" = 6 ]
XBUILD_OFFLINE=1 cgo_build --fetch
check "cgo build --fetch offline: no download" [ "$(n500)" = 6 ]
check "cgo build --fetch offline: the offline error once" [ "$(grep -c "offline mode is on" <<<"$ERR")" = 1 ]

# ---- a pinned Go distribution, fetched like a C toolchain (no size: capped)
run "$XBUILD" toolchain fetch go-test
check "go archive: fetched" rc_is 0
run "$XBUILD" toolchain path go-test --json
check "go archive: path --json names its go command" contains "$OUT" "/bin/go\"}"
gobin=$(printf '%s' "$OUT" | sed 's/.*"bin":"\([^"]*\)".*/\1/')
run "$gobin" version
check "go archive: its go command runs" contains "$OUT" "go1.99 fake"

# ---- local file, verify, gc -------------------------------------------------------------------
run "$XBUILD" toolchain fetch local --from "$G" --offline
check "fetch --from a local file: works offline" rc_is 0
run "$XBUILD" toolchain fetch local --from "$T/www/truncated.tar.gz"
check "fetch --from a local file: cached wins" rc_is 0
run "$XBUILD" toolchain fetch cold --from "$T/www/truncated.tar.gz"
check "fetch --from a wrong file: refused" rc_is 1
check "fetch --from a wrong file: says why" contains "$ERR" "is not toolchain 'cold'"

# ---- the bytes checked are the bytes extracted ----------------------------------------------
# A pipe answers each open with other bytes: the pinned archive first, then
# another one for whoever opens it again.  What is installed, and what
# verify calls ok, must be the pinned archive.
mkfifo "$T/swap.fifo"
"$XBUILD" toolchain fetch swapped --from "$T/swap.fifo" >"$T/.out" 2>"$T/.err" &
xpid=$!
python3 - "$T/swap.fifo" "$G" "$T/www/evil.tar.gz" "$T/reopened" $xpid <<'PY'
import os, sys, time
fifo, first, second, mark, pid = sys.argv[1:6]
me = os.stat(fifo)
def holds():                      # xbuild has the pipe open
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except OSError:
        return False
    for f in fds:
        try:
            st = os.stat("/proc/%s/fd/%s" % (pid, f))
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (me.st_dev, me.st_ino):
            return True
    return False
def alive():
    try:
        return open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
def opener():                     # a write end, if a reader waits
    try:
        return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return -1
fd = -1
while alive() and fd < 0:         # until xbuild opens it
    fd = opener()
    time.sleep(0.005)
if fd >= 0:
    os.set_blocking(fd, True)
    os.write(fd, open(first, "rb").read())
    os.close(fd)
while alive():
    if not holds():               # closed it; opening it again?
        fd = opener()
        if fd >= 0:
            open(mark, "w").write("reopened\n")
            os.set_blocking(fd, True)
            os.write(fd, open(second, "rb").read())
            os.close(fd)
            break
    time.sleep(0.005)
PY
wait $xpid
RC=$? OUT=$(cat "$T/.out") ERR=$(cat "$T/.err")
sdir=$T/cache/tc/swapped-${good_sha:0:12}
check "fetch --from: the file is opened once" [ ! -e "$T/reopened" ]
check "fetch --from a pipe: installs the pinned archive" rc_is 0
check "fetch --from a pipe: the pinned tool, not the swapped one" \
	cmp -s "$sdir/bin/tool" "$T/src/pkg/bin/tool"
run "$XBUILD" toolchain verify swapped
check "fetch --from a pipe: verify holds the pinned tree" rc_is 0
# The download and the local file are each opened once, by one descriptor
# that both the sha256 and the extraction read (no_lsan: under strace).
no_lsan strace -f -qq -e trace=open,openat -o "$T/strace.log" "$XBUILD" toolchain fetch oncepart >/dev/null 2>&1
check "download: fetched under strace" [ -d "$T/cache/tc/oncepart-${good_sha:0:12}" ]
check "download: dl/<sha256>.part opened once" \
	[ "$(grep -c "dl/$good_sha.part\"" "$T/strace.log")" = 1 ]
rm -rf "$T/cache/tc/oncepart-${good_sha:0:12}"
no_lsan strace -f -qq -e trace=open,openat -o "$T/strace.log" "$XBUILD" toolchain fetch oncepart --from "$G" >/dev/null 2>&1
check "fetch --from: fetched under strace" [ -d "$T/cache/tc/oncepart-${good_sha:0:12}" ]
check "fetch --from: the local file opened once" \
	[ "$(grep -c "\"$G\"" "$T/strace.log")" = 1 ]

echo tampered >>"$dir/lib/blob"
run "$XBUILD" toolchain verify good
check "verify: a changed install fails" rc_is 1
check "verify: says it was changed" contains "$ERR" "was changed after it was installed"

mkdir -p "$T/cache/tc/.tmp-x-abc-999999999-AbCdEf" "$T/cache/tc/half-000000000000"
run "$XBUILD" toolchain gc
check "gc: exit 0" rc_is 0
check "gc: removes a dead process's temp folder" [ ! -e "$T/cache/tc/.tmp-x-abc-999999999-AbCdEf" ]
check "gc: removes an install without its marker" [ ! -e "$T/cache/tc/half-000000000000" ]
check "gc: keeps complete installs" [ -d "$dir" ]

done_testing
