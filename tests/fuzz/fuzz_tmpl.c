/* fuzz_tmpl: a template comes from a profile, so the template language
 * takes any bytes: checked alone, then expanded, within its caps. */
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"
#include "fuzz.h"
#include "invariants.h"

static const char *const env[] = { "A=x", "B=", NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xb_tmpl_vars v = { .project_name = "p", .version = "1.0.0",
		.tag = "v1.0.0", .os = "linux", .arch = "amd64",
		.amd64 = "v1", .target = "linux_amd64_v1", .binary = "p",
		.is_snapshot = size & 1, .env = env };
	char *s = malloc(size + 1), *out = NULL;
	size_t at = 0, n;
	xb_code chk, rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* a YAML scalar stops at a NUL too */
	n = strlen(s);
	chk = xb_tmpl_expand(s, NULL, NULL, &at, NULL);
	FUZZ_ASSERT(!chk || at <= n, "check error at %zu of %zu", at, n);
	rc = xb_tmpl_expand(s, &v, &out, &at, NULL);
	FUZZ_ASSERT(!rc || at <= n, "error at %zu of %zu", at, n);
	FUZZ_ASSERT(!rc == (out != NULL), "rc %d with output %p", rc,
		    (void *)out);
	FUZZ_ASSERT(!out || strlen(out) <= XB_TMPL_OUT_MAX,
		    "expansion of %zu bytes", strlen(out));
	/* what the check accepts runs, unless a variable is unset or the
	 * output too long */
	FUZZ_ASSERT(chk || !rc || rc == XB_ERR_NOTFOUND ||
		    rc == XB_ERR_TOO_BIG, "check passed, expansion failed %d",
		    rc);
	FUZZ_ASSERT(!chk || rc, "check failed %d, expansion passed", chk);
	free(out);
	free(s);
	return 0;
}
