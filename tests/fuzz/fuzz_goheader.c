/* fuzz_goheader.c: what go list reads of a Go file (goheader.c) on
 * hostile input: the header ends inside the text, at a line's start
 * where a declaration begins when it was cut there, and the digest is
 * made, the same twice, and changes when a byte of the header does. */
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "listcache.h"

static bool starts_decl(const uint8_t *p, size_t n)
{
	static const char *const words[] = { "func", "type", "var", "const",
					      NULL };

	for (size_t i = 0; words[i]; i++) {
		size_t k = strlen(words[i]);

		if (n > k && !memcmp(p, words[i], k) &&
		    (p[k] == ' ' || p[k] == '\t' || p[k] == '('))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	unsigned char a[32], b[32];
	uint8_t *flip;
	bool cut;
	size_t len = xb_goheader_len(p, size, &cut);

	FUZZ_ASSERT(len <= size, "the header ends past the text");
	FUZZ_ASSERT(cut || len == size, "not cut, yet shorter than the text");
	if (cut)
		FUZZ_ASSERT((len == 0 || data[len - 1] == '\n') &&
			    starts_decl(data + len, size - len),
			    "cut where no declaration starts a line");
	FUZZ_ASSERT(xb_goheader_digest(p, size, a) == XB_OK &&
		    xb_goheader_digest(p, size, b) == XB_OK &&
		    !memcmp(a, b, sizeof(a)), "the digest is not made, or differs");
	/* a byte of the header changed: another digest */
	if (len && (flip = malloc(size))) {
		memcpy(flip, data, size);
		flip[len / 2] ^= 0x01;
		if (xb_goheader_digest((const char *)flip, size, b) == XB_OK)
			FUZZ_ASSERT(memcmp(a, b, sizeof(a)),
				    "a header byte changed, the digest did not");
		free(flip);
	}
	return 0;
}
