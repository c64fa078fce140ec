/* fuzz_ar: the archive symbol index reader takes any bytes, as a whole
 * file and as the prefix of a longer one. */
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "bin/ar.h"

static void check(const xb_ar_symtab *st, uint64_t file_size)
{
	for (size_t i = 0; i < st->names.n; i++)
		FUZZ_ASSERT(st->names.v[i] && st->offsets[i] >= 8 &&
				    st->offsets[i] <= file_size - 60,
			    "symbol %zu names no member header inside the file", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xb_ar_symtab st;
	xb_err err = XB_ERR_INIT;
	/* a private copy, so reads past the end are caught exactly */
	unsigned char *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	xb_ar_symtab_init(&st);
	if (xb_ar_symtab_parse(&st, copy, size, size, &err) == XB_OK)
		check(&st, size);
	if (xb_ar_symtab_parse(&st, copy, size, (uint64_t)size + 4096, &err) == XB_OK)
		check(&st, (uint64_t)size + 4096);
	FUZZ_ASSERT(st.format != XB_AR_NONE || !st.names.n,
		    "symbols from a file that is no archive");
	xb_ar_symtab_release(&st);
	free(copy);
	return 0;
}
