/* fuzz_linkdiag: linker output is text from a child process; any bytes
 * give a bounded list of lines. */
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "linkdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *none[] = { NULL };
	xb_linkdiag_opts o = { none, NULL, NULL, 5 };
	xb_strv d = XB_STRV_INIT;
	char *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	xb_linkdiag(copy, size, &o, &d);
	/* the cap, and the line that says how many more */
	FUZZ_ASSERT(d.n <= 6, "%zu lines (the cap is 5 and one more)", d.n);
	for (size_t i = 0; i < d.n; i++)
		FUZZ_ASSERT(d.v[i] && *d.v[i], "line %zu is empty", i);
	xb_strv_release(&d);
	free(copy);
	return 0;
}
