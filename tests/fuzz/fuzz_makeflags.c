/* fuzz_makeflags: MAKEFLAGS comes from the environment, so its parser
 * takes any bytes: words, backslash quoting, -j values, jobserver-auth. */
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"

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
	if (jobs < 0 || auth.len > 4096 || (!have && auth.len))
		abort();
	if (have && strlen(xb_buf_str(&auth)) != auth.len)
		abort();
	xb_buf_release(&auth);
	free(s);
	return 0;
}
