/* fuzz_golist.c: an entry of the go list cache (listcache.c) on hostile
 * input: any bytes in the entry's file are a miss or the text after its
 * two header lines, never a crash or a read past them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "listcache.h"

#define KEY "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char cache[64], path[256];

static void remove_cache(void)
{
	xb_rm_rf(cache, NULL);
}

/* the one cache folder of this process, made on first use and removed
 * at exit */
static int cache_ready(void)
{
	char dir[128];

	if (cache[0])
		return 1;
	snprintf(cache, sizeof(cache), "/tmp/xb-fuzz-golist-XXXXXX");
	if (!mkdtemp(cache))
		return 0;
	atexit(remove_cache);
	snprintf(dir, sizeof(dir), "%s/golist", cache);
	snprintf(path, sizeof(path), "%s/" KEY, dir);
	return xb_mkdir_p(dir, NULL) == XB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xb_listcache_memo *memo = NULL;
	xb_buf out = XB_BUF_INIT;
	const char *nl;

	if (!cache_ready() ||
	    xb_write_file_atomic(path, data, size, 0644, NULL) != XB_OK)
		return 0;
	if (xb_listcache_get(cache, KEY, &memo, &out) == XB_OK) {
		/* the text is what follows the key's line and the
		 * fingerprint's, whole */
		nl = memchr(data, '\n', size);
		nl = nl ? memchr(nl + 1, '\n', size - (size_t)(nl + 1 -
						     (const char *)data)) : NULL;
		FUZZ_ASSERT(nl, "a hit without two header lines");
		if (nl)
			FUZZ_ASSERT(out.len == size - (size_t)(nl + 1 -
						(const char *)data) &&
				    !memcmp(out.data, nl + 1, out.len),
				    "a hit's text is not the entry's");
	}
	xb_listcache_memo_free(memo);
	xb_buf_release(&out);
	return 0;
}
