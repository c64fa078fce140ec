#!/usr/bin/env bash
# Differential test against binutils: every ELF file under /usr/bin,
# /usr/sbin, /usr/lib and the cross sysroots is read by `xbuild inspect
# --json` (one process) and by `readelf -hldnSW` (in batches); linkage,
# interpreter, needed, machine, type, stripped and both build ids must agree.
# Documented disagreements, each tested by checker_golden.sh:
#   - separate debug files (objcopy --only-keep-debug): the dynamic section
#     is NOBITS, so readelf prints no (NEEDED); xbuild says debug_only and
#     reports no linkage.  Compared only on machine and build ids.
. "$(dirname "$0")/lib.sh"
need_all readelf
need_all python3

roots=()
for d in /usr/bin /usr/sbin /usr/lib /usr/*-linux-gnu* /usr/x86_64-w64-mingw32; do
	[ -d "$d" ] && roots+=("$d")
done
run "$XBUILD" inspect -r --json "${roots[@]}"
printf '%s' "$OUT" >"$T/facts.json"
printf '%s' "$ERR" >"$T/errors.txt"
check "inspect -r over the system exits 0 or 1" [ "$RC" -le 1 ]
check "inspect -r gives valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/facts.json"

python3 - "$T/facts.json" "${CHECKER_DIFF_MAX:-0}" >"$T/diff.tap" <<'PY'
import json, re, subprocess, sys, collections

facts = [f for f in json.load(open(sys.argv[1])) if f.get("format") == "elf"]
cap = int(sys.argv[2])
if cap and len(facts) > cap:
    facts = facts[:: max(1, len(facts) // cap)][:cap]
by_path = {f["path"]: f for f in facts}

MACH = {"Advanced Micro Devices X86-64": "amd64", "AArch64": "arm64",
        "Intel 80386": "386", "ARM": "arm", "IBM S/390": "s390x",
        "LoongArch": "loong64"}

# Go's ports by class and byte order: x32 or big-endian AArch64 is none.
PORT = {"amd64": ("ELF64", "little"), "arm64": ("ELF64", "little"),
        "386": ("ELF32", "little"), "arm": ("ELF32", "little"),
        "s390x": ("ELF64", "big"), "loong64": ("ELF64", "little")}

def arch_of(m, cls, data):
    if m in MACH:
        a = MACH[m]
        want_cls, want_end = PORT[a]
        if cls != want_cls or want_end not in data:
            return None
        return a
    if m.startswith("MIPS"):
        be = "big" in data
        if cls == "ELF64":
            return "mips64" if be else "mips64le"
        return "mips" if be else "mipsle"
    if m == "PowerPC64":
        return "ppc64" if "big" in data else "ppc64le"
    if m == "RISC-V":
        return "riscv64" if cls == "ELF64" else None
    return None

def parse(block):
    r = {"interp": None, "needed": [], "dynamic": False, "soname": False,
         "pie_flag": False, "debug": False, "symtab": False, "dbg": False,
         "gnu": None, "go": None, "sections": False, "type": None,
         "machine": None, "cls": None, "data": None}
    for line in block.splitlines():
        s = line.strip()
        if s.startswith("Class:"):
            r["cls"] = s.split(None, 1)[1]
        elif s.startswith("Data:"):
            r["data"] = s.split(None, 1)[1]
        elif s.startswith("Type:") and r["type"] is None:
            r["type"] = s.split()[1]
        elif s.startswith("Machine:"):
            r["machine"] = s.split(None, 1)[1]
        elif "[Requesting program interpreter:" in s:
            r["interp"] = s.split(": ", 1)[1].rstrip("]")
        elif s.startswith("DYNAMIC "):
            r["dynamic"] = True
        elif "(NEEDED)" in s:
            r["needed"].append(s.split("[", 1)[1].rsplit("]", 1)[0])
        elif "(SONAME)" in s:
            r["soname"] = True
        elif "(FLAGS_1)" in s and " PIE" in s:
            r["pie_flag"] = True
        elif "(DEBUG)" in s:
            r["debug"] = True
        elif "Build ID:" in s and r["gnu"] is None:
            r["gnu"] = s.split("Build ID:", 1)[1].strip()
        elif "GO BUILDID" in s and "description data:" in s and r["go"] is None:
            r["go"] = bytes.fromhex(s.split("description data:", 1)[1].replace(" ", "")).decode("latin-1")
        else:
            m = re.match(r"^\[\s*(\d+)\]\s+(\S+)\s+(\S+)", s)
            if m and m.group(1) != "0":
                r["sections"] = True
                name, typ = m.group(2), m.group(3)
                if typ == "SYMTAB":
                    r["symtab"] = True
                if (name.startswith(".debug_") or name.startswith(".zdebug_")) and typ != "NOBITS":
                    r["dbg"] = True
    return r

def expected(r):
    t = {"EXEC": "exec", "REL": "relocatable", "CORE": "core"}.get(r["type"])
    if r["type"] == "DYN":
        if r["pie_flag"]: t = "pie"
        elif r["soname"]: t = "shared"
        elif r["interp"] or r["debug"]: t = "pie"
        else: t = "shared"
    link = None
    if t in ("exec", "pie", "shared"):
        if r["interp"] or r["needed"]: link = "dynamic"
        elif r["dynamic"] and t == "shared": link = "dynamic"
        elif r["dynamic"] and t == "pie": link = "static-pie"
        else: link = "static"
    return t, link

paths = list(by_path)
reports = {}
for i in range(0, len(paths), 200):
    batch = paths[i:i + 200]
    out = subprocess.run(["readelf", "-hldnSW"] + batch + (["/dev/null"] if len(batch) == 1 else []),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    for part in re.split(r"^File: ", out, flags=re.M)[1:]:
        name, _, body = part.partition("\n")
        reports[name.strip()] = body

n = 0
bad = []
skipped = collections.Counter()
for p, f in by_path.items():
    if p not in reports:
        skipped["readelf gave no output"] += 1
        continue
    r = parse(reports[p])
    n += 1
    want_t, want_link = expected(r)
    diffs = []
    def cmp(k, got, want):
        if got != want:
            diffs.append("%s: xbuild %r, readelf %r" % (k, got, want))
    cmp("arch", f["arch"], arch_of(r["machine"] or "", r["cls"], r["data"] or ""))
    cmp("gnu build id", f["build_ids"]["gnu"], r["gnu"])
    cmp("go build id", f["build_ids"]["go"], r["go"])
    if f.get("debug_only"):
        skipped["debug-only file: linkage not compared"] += 1
    else:
        cmp("type", f["type"], want_t)
        cmp("linkage", f["linkage"], want_link)
        cmp("interpreter", f["interpreter"], r["interp"])
        cmp("needed", f["needed"], r["needed"])
    if r["sections"]:
        cmp("stripped", f["stripped"], not r["symtab"] and not r["dbg"])
    else:
        cmp("stripped", f["stripped"], None)
    if diffs:
        bad.append((p, diffs))

print("# compared %d ELF files with readelf (%s)" % (n, ", ".join("%s: %d" % kv for kv in skipped.items()) or "none skipped"))
k = 0
for p, diffs in bad[:50]:
    k += 1
    print("not ok %d - %s" % (k, p))
    for d in diffs:
        print("#   " + d)
k += 1
print(("ok" if not bad else "not ok") + " %d - %d ELF files agree with readelf (%d disagree)" % (k, n, len(bad)))
k += 1
print(("ok" if n >= 100 else "not ok") + " %d - at least 100 files compared" % k)
PY
cmp_rc=$?
check "the comparer ran to its end (exit $cmp_rc)" [ "$cmp_rc" -eq 0 ]
while IFS= read -r l; do
	case $l in
	"ok "*) pass "${l#ok * - }" ;;
	"not ok "*) fail "${l#not ok * - }" ;;
	"#"*) echo "$l" ;;
	esac
done <"$T/diff.tap"
done_testing
