/* fuzz_content_range.c: the one HTTP header fetch.c parses itself. */
#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t first, last, total;

	if (xb_http_content_range((const char *)data, size, &first, &last,
				  &total) == 0)
		FUZZ_ASSERT(last >= first && (total == UINT64_MAX || last < total),
			    "range %llu-%llu of %llu", (unsigned long long)first,
			    (unsigned long long)last, (unsigned long long)total);
	return 0;
}
