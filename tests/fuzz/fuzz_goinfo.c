/* fuzz_goinfo.c: Go build info on arbitrary bytes: the search, both
 * layouts (pointers map the input at address 0 and at 0x400000), and the
 * modinfo text parser on the raw input.  What is decoded is held to the
 * invariants of invariants.c and written as JSON that parses back, and
 * as CycloneDX and SPDX documents that parse back. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bin/bin.h"
#include "fuzz.h"
#include "invariants.h"

/* The SBOMs of f, in both formats: whole, valid JSON whatever the
 * strings of the build info. */
static void sbom_round_trip(const xb_facts *f)
{
	static const char *const formats[] = { "cyclonedx", "spdx" };

	for (size_t i = 0; i < 2; i++) {
		xb_sbom_opts o = { formats[i], "fuzz", "00", 0, NULL };
		xb_err err = XB_ERR_INIT;
		json_error_t je;
		json_t *doc;
		xb_buf b;

		xb_buf_init(&b, 0);
		FUZZ_ASSERT(xb_sbom_write(f, &o, &b, &err) == XB_OK,
			    "the %s SBOM of Go build info failed: %s", formats[i],
			    xb_errmsg(&err));
		doc = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &je);
		FUZZ_ASSERT(doc, "the %s SBOM of Go build info is not JSON: %s",
			    formats[i], je.text);
		json_decref(doc);
		xb_buf_release(&b);
	}
}

/* g as the go key of facts, written and parsed back. */
static void json_round_trip(xb_goinfo *g)
{
	xb_facts f;
	xb_buf b;
	xb_json j;

	xb_facts_init(&f);
	f.go = g;
	xb_buf_init(&b, 0);
	xb_json_init(&j, &b, false);
	xb_facts_json(&f, &j);
	FUZZ_ASSERT(xb_json_finish(&j) == XB_OK, "the JSON writer failed on Go build info");
	fuzz_check_json(xb_buf_str(&b), b.len, &f, NULL);
	xb_buf_release(&b);
	sbom_round_trip(&f);
	f.go = NULL; /* g is the caller's */
	xb_facts_release(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xb_vseg segs[2] = { { 0, 0, size }, { 0x400000, 0, size } };
	xb_err err = XB_ERR_INIT;
	xb_goinfo g;
	xb_code rc;
	xb_src s;
	char *id;

	xb_src_mem(&s, data, size);
	xb_goinfo_init(&g);
	rc = xb_goinfo_read(&s, 0, size, 0, segs, 2, &g, &err);
	FUZZ_ASSERT(rc == XB_OK || rc == XB_ERR_NOTFOUND || rc == XB_ERR_FORMAT ||
		    rc == XB_ERR_NOMEM, "xb_goinfo_read returned %d", rc);
	FUZZ_ASSERT(rc != XB_ERR_FORMAT || (err.code == rc && err.msg[0]),
		    "damaged build info without a message");
	if (rc == XB_OK) {
		fuzz_check_goinfo(&g, data, size, true);
		json_round_trip(&g);
	}
	xb_goinfo_release(&g);
	if (xb_goinfo_parse_mod(&g, (const char *)data, size) == XB_OK) {
		fuzz_check_goinfo(&g, data, size, false);
		json_round_trip(&g);
	}
	xb_goinfo_setting(&g, "CGO_ENABLED");
	xb_goinfo_release(&g);
	id = xb_go_buildid_text(&s, 0, size);
	/* the bytes between the quotes, read from the input */
	FUZZ_ASSERT(!id || (!strchr(id, '"') &&
			    (!*id || memmem(data, size, id, strlen(id)))),
		    "Go build id '%.80s' is not a quoted string of the input", id);
	free(id);
	return 0;
}
