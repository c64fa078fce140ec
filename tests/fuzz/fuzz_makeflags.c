/* fuzz_makeflags: MAKEFLAGS comes from the environment, so its parser
 * takes any bytes: words, backslash quoting, -j values, jobserver-auth. */
#include <stdlib.h>
#include <string.h>

#include "jobserver.h"
#include "fuzz.h"
#include "invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	xb_buf auth;
	int jobs = -1;
	bool have;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0'; /* the environment stops at the first NUL too */
	xb_buf_init(&auth, 4096);
	have = xb_makeflags_parse(s, &jobs, &auth);
	FUZZ_ASSERT(jobs >= 0, "-j %d", jobs);
	FUZZ_ASSERT(auth.len <= 4096, "jobserver auth of %zu bytes", auth.len);
	FUZZ_ASSERT(have || !auth.len, "jobserver auth without a jobserver");
	FUZZ_ASSERT(!have || strlen(xb_buf_str(&auth)) == auth.len,
		    "jobserver auth with a NUL in it");
	xb_buf_release(&auth);
	free(s);
	return 0;
}
