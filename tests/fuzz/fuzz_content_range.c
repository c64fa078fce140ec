/* fuzz_content_range.c: the one HTTP header fetch.c parses itself. */
#include "xbuild.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t first, last, total;

	if (xb_http_content_range((const char *)data, size, &first, &last,
				  &total) == 0) {
		if (last < first || (total != UINT64_MAX && last >= total))
			__builtin_trap();
	}
	return 0;
}
