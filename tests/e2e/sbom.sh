#!/usr/bin/env bash
# xbuild sbom and the release's SBOMs, with real binaries: gojq (a real
# program with real modules, as tests/e2e/modules.sh fetches it) built by
# xbuild, its SBOM compared module by module with `go version -m`, the
# CycloneDX documents validated against the published CycloneDX 1.5 JSON
# schema (from the npm package @cyclonedx/cyclonedx-library, fetched once
# into the test cache) with Debian's python3-jsonschema, and the SPDX 2.3
# documents checked for the fields and references the SPDX 2.3
# specification requires (no SPDX 2.3 document schema ships in a package
# this machine can reach) and read back by the SPDX project's Go tools
# (github.com/spdx/tools-golang, pinned in tests/fixtures/modules/spdxcheck),
# which validate their identifiers and relationships.  Hostile build settings must still give valid
# documents; a release writes one SBOM per binary, byte-identical across
# runs, listed in manifest.json.
. "$(dirname "$0")/lib.sh"
need_all go jq npm tar sha256sum
py=/usr/bin/python3
need_all "$py"
export GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off GOFLAGS=
unset SOURCE_DATE_EPOCH
pkg=github.com/itchyny/gojq/cmd/gojq

# ---- the CycloneDX schema, once per cache --------------------------------
C=${XBUILD_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xbuild-tests}/cyclonedx-schema
lib=@cyclonedx/cyclonedx-library@10.3.0
if [ ! -f "$C/ok" ]; then
	rm -rf "$C" && mkdir -p "$C/pack"
	(cd "$C/pack" && npm pack --silent "$lib" >/dev/null) &&
		tar -xzf "$C"/pack/*.tgz -C "$C" package/res/schema &&
		touch "$C/ok"
fi
schema_dir=$C/package/res/schema
check "the CycloneDX 1.5 schema is at hand (npm pack $lib)" \
	[ -f "$schema_dir/bom-1.5.SNAPSHOT.schema.json" ]
run "$py" -c 'import jsonschema'
check "Debian's python3-jsonschema is installed" rc_is 0

# validate.py cdx FILE... | spdx FILE...: one line per problem, exit 1 if any
cat >"$T/validate.py" <<'EOF'
import json, os, re, sys

def cdx(files):
    import jsonschema
    d = os.environ["SCHEMA_DIR"]
    load = lambda n: json.load(open(os.path.join(d, n)))
    schema = load("bom-1.5.SNAPSHOT.schema.json")
    # the schema's own references, resolved from the package, never fetched
    base = schema["$id"].rsplit("/", 1)[0]
    store = {}
    for n in ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json"):
        s = load(n)
        store[base + "/" + n] = s
        if "$id" in s:
            store[s["$id"]] = s
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    v = jsonschema.Draft7Validator(schema, resolver=resolver,
                                   format_checker=jsonschema.FormatChecker())
    bad = 0
    for f in files:
        for e in v.iter_errors(json.load(open(f))):
            print("%s: %s: %s" % (f, "/".join(map(str, e.absolute_path)), e.message[:300]))
            bad += 1
    return bad

# SPDX 2.3 (clauses 6, 7 and 11): the document's required fields, each
# package's, identifiers of the form SPDXRef-[A-Za-z0-9.-]+ used once, and
# every relationship between elements that exist.
def spdx(files):
    bad = []
    idre = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")
    date = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    for f in files:
        d = json.load(open(f))
        p = lambda m: bad.append("%s: %s" % (f, m))
        for k in ("spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace", "creationInfo"):
            if not isinstance(d.get(k), (str, dict)) or not d.get(k):
                p("no " + k)
        if d.get("spdxVersion") != "SPDX-2.3": p("spdxVersion")
        if d.get("dataLicense") != "CC0-1.0": p("dataLicense")
        if d.get("SPDXID") != "SPDXRef-DOCUMENT": p("SPDXID")
        ns = d.get("documentNamespace", "")
        if "#" in ns or not re.match(r"^[a-z][a-z0-9+.-]*:", ns): p("documentNamespace is no URI")
        ci = d.get("creationInfo", {})
        if not date.match(ci.get("created", "")): p("created")
        if not ci.get("creators") or not all(re.match(r"^(Tool|Person|Organization): .+", c) for c in ci["creators"]):
            p("creators")
        ids = {"SPDXRef-DOCUMENT"}
        for pk in d.get("packages", []):
            for k in ("SPDXID", "name", "downloadLocation"):
                if not isinstance(pk.get(k), str): p("package without " + k)
            i = pk.get("SPDXID", "")
            if not idre.match(i) or i in ids: p("bad or repeated id " + i)
            ids.add(i)
            if pk.get("filesAnalyzed", True) is not False: p(i + ": filesAnalyzed without files")
            for c in pk.get("checksums", []):
                if c.get("algorithm") != "SHA256" or not re.match(r"^[0-9a-f]{64}$", c.get("checksumValue", "")):
                    p(i + ": checksum")
            for r in pk.get("externalRefs", []):
                if r.get("referenceCategory") not in ("SECURITY", "PACKAGE-MANAGER", "PERSISTENT-ID", "OTHER") \
                   or not r.get("referenceType") or not r.get("referenceLocator"):
                    p(i + ": externalRef")
            for a in pk.get("annotations", []):
                if a.get("annotationType") not in ("REVIEW", "OTHER") or not date.match(a.get("annotationDate", "")) \
                   or not a.get("annotator", "").startswith("Tool: ") or not isinstance(a.get("comment"), str):
                    p(i + ": annotation")
        types = {"DESCRIBES", "STATIC_LINK", "DYNAMIC_LINK", "BUILD_TOOL_OF"}
        rels = d.get("relationships", [])
        for r in rels:
            if r.get("spdxElementId") not in ids or r.get("relatedSpdxElement") not in ids \
               or r.get("relationshipType") not in types:
                p("relationship %r" % r)
        if not any(r.get("relationshipType") == "DESCRIBES" and r.get("spdxElementId") == "SPDXRef-DOCUMENT" for r in rels):
            p("the document describes nothing")
    for b in bad:
        print(b)
    return len(bad)

sys.exit(1 if {"cdx": cdx, "spdx": spdx}[sys.argv[1]](sys.argv[2:]) else 0)
EOF
export SCHEMA_DIR=$schema_dir
validate() { run "$py" "$T/validate.py" "$@"; }

# the validators catch what they must: a wrong hash name, a bad reference
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"x","hashes":[{"alg":"SHA256","content":"00"}]}]}' >"$T/bad.cdx.json"
validate cdx "$T/bad.cdx.json"
check "the CycloneDX schema refuses a hash named SHA256" eval 'rc_is 1 && contains "$OUT" "SHA256"'
printf '{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"x","documentNamespace":"urn:uuid:1","creationInfo":{"created":"2023-11-14T22:13:20Z","creators":["Tool: x"]},"packages":[{"SPDXID":"SPDXRef-a","name":"a","downloadLocation":"NOASSERTION","filesAnalyzed":false}],"relationships":[{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-b"}]}' >"$T/bad.spdx.json"
validate spdx "$T/bad.spdx.json"
check "the SPDX check refuses a relationship to nothing" eval 'rc_is 1 && contains "$OUT" "SPDXRef-b"'

# spdxcheck FILE...: the SPDX project's reader and validator
mkdir -p "$T/spdxcheck"
cp "$TOP"/tests/fixtures/modules/spdxcheck/* "$T/spdxcheck/"
run with_proxy sh -c 'cd "$1" && go mod download' _ "$T/spdxcheck"
check "go mod download of tools-golang through the module proxy" rc_is 0
run sh -c 'cd "$1" && go mod verify && go build -o spdxcheck .' _ "$T/spdxcheck"
check "spdxcheck (tools-golang) builds from its pinned modules" rc_is 0
spdxcheck() { run "$T/spdxcheck/spdxcheck" "$@"; }
spdxcheck "$T/bad.spdx.json"
check "spdxcheck refuses a relationship to nothing" eval 'rc_is 1 && contains "$OUT" "no such package"'

# ---- gojq, built by xbuild ------------------------------------------------
mkdir -p "$T/jq"
cp "$TOP"/tests/fixtures/modules/gojq/* "$T/jq/"
cd "$T/jq" || exit 1
run with_proxy go mod download
check "go mod download of gojq through the module proxy" rc_is 0
run "$XBUILD" -t linux/amd64,windows/amd64 --static -o "$T/out/{os}-{arch}/gojq{ext}" "$pkg"
check "xbuild of gojq for linux/amd64 and windows/amd64" rc_is 0
bin=$T/out/linux-amd64/gojq

run "$XBUILD" sbom "$bin"
check "xbuild sbom BINARY: exit 0" rc_is 0
printf '%s\n' "$OUT" >"$T/gojq.cdx.json"
validate cdx "$T/gojq.cdx.json"
check "gojq's CycloneDX SBOM is valid CycloneDX 1.5" rc_is 0
[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | head -5 | sed 's/^/# /'

# what go version -m says, as "path version sum" lines
go version -m -json "$bin" | jq -r '.Deps[] | [.Path, .Version, .Sum] | join(" ")' | sort >"$T/go-deps"
check "gojq links real modules" [ "$(wc -l <"$T/go-deps")" -ge 5 ]
jq -r '.components[] | select(.purl | startswith("pkg:golang/") and (startswith("pkg:golang/stdlib@") | not)) |
	[.name, .version, (.properties[] | select(.name == "xbuild:go:h1") | .value)] | join(" ")' \
	"$T/gojq.cdx.json" | sort >"$T/sbom-deps"
run diff "$T/go-deps" "$T/sbom-deps"
check "every module of go version -m, with its version and h1: hash, and no other" rc_is 0
run jq -r '.components[] | select(.name == "github.com/mattn/go-isatty") | .purl' "$T/gojq.cdx.json"
check "a module's package URL" [ "$OUT" = "pkg:golang/github.com/mattn/go-isatty@v0.0.20" ]
gover=$(go version -m -json "$bin" | jq -r .GoVersion)
run jq -r '.components[] | select(.name == "stdlib") | .purl' "$T/gojq.cdx.json"
check "the standard library of the Go that built it" [ "$OUT" = "pkg:golang/stdlib@${gover#go}" ]
# the main module is gojq's (go build of a package of a required module)
run jq -r '.metadata.component | .name, .purl, .hashes[0].alg, .hashes[0].content,
	(.properties[] | select(.name == "xbuild:linkage" or .name == "xbuild:go:package"
	 or .name == "xbuild:go:build:CGO_ENABLED" or .name == "xbuild:go:h1") | .value)' "$T/gojq.cdx.json"
check "the artifact: main module, its own SHA-256, linkage, package, h1, cgo" [ "$OUT" = "github.com/itchyny/gojq
pkg:golang/github.com/itchyny/gojq@v0.12.17
SHA-256
$(sha256sum "$bin" | cut -d' ' -f1)
static
$pkg
$(go version -m -json "$bin" | jq -r .Main.Sum)
0" ]
check "no time without SOURCE_DATE_EPOCH" [ "$(jq -r '.metadata.timestamp' "$T/gojq.cdx.json")" = null ]

# deterministic, and the time of SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=1700000000 "$XBUILD" sbom -o "$T/a.cdx.json" "$bin"
SOURCE_DATE_EPOCH=1700000000 "$XBUILD" sbom -o "$T/b.cdx.json" "$bin"
run cmp "$T/a.cdx.json" "$T/b.cdx.json"
check "the same binary gives the same bytes" rc_is 0
check "the time is SOURCE_DATE_EPOCH" [ "$(jq -r '.metadata.timestamp' "$T/a.cdx.json")" = 2023-11-14T22:13:20Z ]
check "the serial number comes from the binary" \
	[ "$(jq -r .serialNumber "$T/a.cdx.json")" = "$(jq -r .serialNumber "$T/gojq.cdx.json")" ]

# SPDX 2.3, for the Windows binary too
run env SOURCE_DATE_EPOCH=1700000000 "$XBUILD" sbom --format spdx -o "$T/sp" "$bin" "$T/out/windows-amd64/gojq.exe"
check "sbom --format spdx -o DIR of two binaries" eval 'rc_is 0 && [ -f "$T/sp/gojq.spdx.json" ] && [ -f "$T/sp/gojq.exe.spdx.json" ]'
validate spdx "$T/sp/gojq.spdx.json" "$T/sp/gojq.exe.spdx.json"
check "the SPDX documents have what SPDX 2.3 requires" rc_is 0
[ "$RC" -eq 0 ] || printf '%s\n' "$OUT" | head -5 | sed 's/^/# /'
spdxcheck "$T/sp/gojq.spdx.json" "$T/sp/gojq.exe.spdx.json"
check "the SPDX tools read them back as SPDX-2.3 and validate them" \
	eval 'rc_is 0 && contains "$OUT" "gojq.exe.spdx.json: SPDX SPDX-2.3"'
jq -r '[.packages[1:][] | select(.externalRefs[]?.referenceLocator | startswith("pkg:golang/") and (startswith("pkg:golang/stdlib@") | not))
	| [.name, .versionInfo, (.annotations[] | .comment | select(startswith("xbuild:go:h1=")) | ltrimstr("xbuild:go:h1="))] | join(" ")][]' \
	"$T/sp/gojq.spdx.json" | sort >"$T/spdx-deps"
run diff "$T/go-deps" "$T/spdx-deps"
check "SPDX: the same modules, versions and hashes" rc_is 0
check "SPDX: the binary statically links each module" \
	[ "$(jq '[.relationships[] | select(.relationshipType == "STATIC_LINK")] | length' "$T/sp/gojq.spdx.json")" -eq "$(( $(wc -l <"$T/go-deps") + 1 ))" ]
check "SPDX: windows/amd64 says pe and amd64" \
	[ "$(jq -r '.packages[0].annotations[].comment | select(startswith("xbuild:format=") or startswith("xbuild:arch="))' "$T/sp/gojq.exe.spdx.json" | tr '\n' ' ')" = "xbuild:format=pe xbuild:arch=amd64 " ]

# ---- hostile build settings -----------------------------------------------
# -ldflags is recorded as given: quotes, a backslash, <>&, a tab, UTF-8, a
# control character and an invalid byte must come out in valid JSON as
# the string Go itself reports
odd=$'-X \'main.odd=q"b\\s<&>\t\xc3\xa9 \x01 \xff\''
run go build -ldflags="$odd" -o "$T/odd" "$pkg"
check "a gojq with odd -ldflags" rc_is 0
run "$XBUILD" sbom "$T/odd"
printf '%s\n' "$OUT" >"$T/odd.cdx.json"
validate cdx "$T/odd.cdx.json"
check "odd build settings still give valid CycloneDX" rc_is 0
want=$(go version -m -json "$T/odd" | jq -r '.Settings[] | select(.Key == "-ldflags") | .Value')
got=$(jq -r '.metadata.component.properties[] | select(.name == "xbuild:go:build:-ldflags") | .value' "$T/odd.cdx.json")
check "the recorded -ldflags come back as go version -m -json gives them" \
	eval '[ -n "$want" ] && [ "$got" = "$want" ] && contains "$got" "q\"b"'
run "$XBUILD" sbom --format spdx "$T/odd"
printf '%s\n' "$OUT" >"$T/odd.spdx.json"
validate spdx "$T/odd.spdx.json"
check "odd build settings still give a sound SPDX document" rc_is 0
spdxcheck "$T/odd.spdx.json"
check "and the SPDX tools read it back" rc_is 0

# ---- refusals --------------------------------------------------------------
run "$XBUILD" sbom /bin/true
check "a binary without Go build info: exit 1, said" eval 'rc_is 1 && contains "$ERR" "no Go build info"'
run "$XBUILD" sbom "$T/validate.py"
check "not a binary: exit 1" rc_is 1
run "$XBUILD" sbom --format swid "$bin"
check "an unknown format: exit 2" eval 'rc_is 2 && contains "$ERR" "unknown SBOM format"'
run "$XBUILD" sbom "$bin" "$T/odd"
check "several binaries without -o DIR: exit 2" rc_is 2
run "$XBUILD" sbom -o "$T/same" "$bin" "$bin"
check "two binaries of one name into one folder: exit 2" rc_is 2
run "$XBUILD" sbom
check "no binary: exit 2" rc_is 2

# ---- the release -----------------------------------------------------------
cat >"$T/rel.yaml" <<EOF
version: 1
name: gojq
main: [$pkg]
output: "dist/{name}-{os}-{arch}{ext}"
defaults:
  linkage: static
  cgo: "off"
  reproducible: true
targets:
  - target: linux/amd64
  - target: linux/arm64
    sbom: spdx
  - target: windows/amd64
    sbom: none
EOF
export SOURCE_DATE_EPOCH=1700000000
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist" --version 1.0.0
check "a release of three targets" rc_is 0
check "an SBOM beside each binary, as its sbom setting says" \
	eval '[ -f "$T/dist/gojq-linux-amd64.cdx.json" ] && [ -f "$T/dist/gojq-linux-arm64.spdx.json" ] &&
	[ -z "$(ls "$T"/dist/gojq-windows-amd64.exe.*.json 2>/dev/null)" ]'
validate cdx "$T/dist/gojq-linux-amd64.cdx.json"
check "the release's CycloneDX SBOM is valid CycloneDX 1.5" rc_is 0
validate spdx "$T/dist/gojq-linux-arm64.spdx.json"
check "the release's SPDX SBOM has what SPDX 2.3 requires" rc_is 0
spdxcheck "$T/dist/gojq-linux-arm64.spdx.json"
check "and the SPDX tools read it back" rc_is 0
run jq -r '.artifacts[] | select(.kind == "sbom") | [.path, .target, .format, .artifact, .package, .build // "-", .sha256] | join(" ")' "$T/dist/manifest.json"
check "manifest.json lists each SBOM with its format, artifact and package" [ "$OUT" = "gojq-linux-amd64.cdx.json linux/amd64 cyclonedx gojq-linux-amd64 $pkg - $(sha256sum "$T/dist/gojq-linux-amd64.cdx.json" | cut -d' ' -f1)
gojq-linux-arm64.spdx.json linux/arm64 spdx gojq-linux-arm64 $pkg - $(sha256sum "$T/dist/gojq-linux-arm64.spdx.json" | cut -d' ' -f1)" ]
run sh -c "cd '$T/dist' && sha256sum -c SHA256SUMS"
check "SHA256SUMS covers the SBOMs, and sha256sum -c passes" eval 'rc_is 0 && contains "$OUT" "gojq-linux-arm64.spdx.json: OK"'
check "the SBOM's subject is the released binary" \
	[ "$(jq -r '.metadata.component.hashes[0].content' "$T/dist/gojq-linux-amd64.cdx.json")" = \
	  "$(jq -r '.artifacts[] | select(.path == "gojq-linux-amd64") | .sha256' "$T/dist/manifest.json")" ]
check "the release's SBOM names its target; its time is the release's" \
	[ "$(jq -r '.metadata.timestamp, (.metadata.component.properties[] | select(.name == "xbuild:target") | .value)' \
	     "$T/dist/gojq-linux-amd64.cdx.json")" = "2023-11-14T22:13:20Z
linux/amd64" ]
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist2" --version 1.0.0
run cmp "$T/dist/gojq-linux-amd64.cdx.json" "$T/dist2/gojq-linux-amd64.cdx.json"
check "a second release: the same CycloneDX bytes" rc_is 0
run cmp "$T/dist/gojq-linux-arm64.spdx.json" "$T/dist2/gojq-linux-arm64.spdx.json"
check "a second release: the same SPDX bytes" rc_is 0
run "$XBUILD" release -p "$T/rel.yaml" -o "$T/dist3" --set sbom=cyclonedx -t linux/arm64
check "--set sbom=cyclonedx overrides the target's spdx" [ -f "$T/dist3/gojq-linux-arm64.cdx.json" ]
sed 's/sbom: spdx/sbom: swid/' "$T/rel.yaml" >"$T/bad.yaml"
run "$XBUILD" check "$T/bad.yaml" --no-go
check "an unknown sbom value is a profile error" eval 'rc_is 2 && contains "$ERR" "cyclonedx"'

# a cgo release: the C compiler the plan proved, by hash, and the static
# C libraries of the link
if need gcc; then
	mkdir -p "$T/c" && cp -r "$TOP/examples/go.mod" "$TOP/examples/cgohash" "$T/c/"
	cd "$T/c" || exit 1
	run "$XBUILD" release -p "$T/rel.yaml" -t linux/amd64 --cgo on --static \
		--set extra_libs=m -o "$T/dist-cgo" ./cgohash
	check "a static cgo release" rc_is 0
	f=$T/dist-cgo/gojq-linux-amd64.cdx.json
	validate cdx "$f"
	check "its SBOM is valid CycloneDX 1.5" rc_is 0
	cc_hash=$(jq -r '.artifacts[] | select(.kind == "binary") | .toolchain.sha256' "$T/dist-cgo/manifest.json")
	check "the C compiler, with the SHA-256 the plan proved" \
		[ "$(jq -r '.metadata.tools.components[] | select(.properties[]?.value == "C compiler") | .hashes[0].content' "$f")" = "$cc_hash" ]
	check "libm, linked statically" \
		[ "$(jq -r '.components[] | select(.name == "libm") | .properties[] | select(.name == "xbuild:c:link") | .value' "$f")" = -lm ]
	check "glibc, linked statically" \
		[ "$(jq -r '.components[] | select(.name == "glibc") | .properties[] | select(.name == "xbuild:linkage") | .value' "$f")" = static ]
fi

done_testing
