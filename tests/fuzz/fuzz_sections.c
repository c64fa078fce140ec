/* fuzz_sections.c: naming the section that holds a byte (xb_section_at,
 * what --verify-repro reports) on arbitrary bytes, at offsets spread over
 * the input and one taken from it. */
#include <stdlib.h>
#include <string.h>

#include "bin/reprodiff.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t offs[6] = { 0, 64, size / 3, size / 2, size ? size - 1 : 0, 0 };
	xb_src s;

	if (size >= 8)
		memcpy(&offs[5], data + size - 8, 8);
	xb_src_mem(&s, data, size);
	for (size_t i = 0; i < 6; i++)
		free(xb_section_at(&s, offs[i]));
	return 0;
}
