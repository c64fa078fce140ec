/* fuzz_profile.c: the profile loader on arbitrary bytes, read as a
 * profile and as a .goreleaser.yaml.  It must never crash, leak or hang; a
 * profile it accepts must print as YAML that it accepts again (as a
 * profile), resolving to the same thing, and as JSON that parses. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "profile.h"

static const char *const envp[] = { "HOME=/home/fuzz", "VERSION=1.0", NULL };

static void one(const char *name, const uint8_t *data, size_t size)
{
	xb_profile_opts o = { envp, 1u << 20, true, NULL, NULL };
	xb_err err = XB_ERR_INIT;
	xb_buf y1 = XB_BUF_INIT, y2 = XB_BUF_INIT, js = XB_BUF_INIT;
	xb_profile p, q;
	xb_diags d;
	xb_json j;
	json_error_t jerr;
	json_t *parsed;

	xb_profile_init(&p);
	xb_profile_init(&q);
	xb_diags_init(&d);
	if (xb_profile_load_mem(&p, name, (const char *)data, size, &o,
				&d, &err) == XB_OK) {
		xb_profile_yaml(&p, &y1);
		xb_json_init(&j, &js, false);
		xb_profile_json(&p, &j);
		FUZZ_ASSERT(xb_json_finish(&j) == XB_OK, "the profile's JSON writer failed");
		parsed = json_loadb(xb_buf_str(&js), js.len, 0, &jerr);
		FUZZ_ASSERT(parsed, "the profile's JSON does not parse: %s", jerr.text);
		json_decref(parsed);
		xb_diags_release(&d);
		xb_diags_init(&d);
		if (xb_profile_load_mem(&q, "fuzz.yaml", y1.data, y1.len, &o, &d,
					&err) != XB_OK) {
			fuzz_violation("the printed profile does not load: %s",
				       xb_errmsg(&err));
		} else {
			xb_profile_yaml(&q, &y2);
			FUZZ_ASSERT(y1.len == y2.len && !memcmp(y1.data, y2.data, y1.len),
				    "the printed profile resolves differently");
		}
	}
	xb_buf_release(&y1);
	xb_buf_release(&y2);
	xb_buf_release(&js);
	xb_diags_release(&d);
	xb_profile_release(&p);
	xb_profile_release(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one("fuzz.yaml", data, size);
	one(".goreleaser.yaml", data, size);
	return 0;
}
