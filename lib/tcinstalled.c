/* tcinstalled.c: the cache folder (xb_cache_dir) and the toolchain
 * installs in it that are complete: what a build looks up.  Putting one
 * there (download, extraction, locks) is tccache.c's, which only the
 * complete program links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fetch.h"

char *xb_cache_dir(void)
{
	const char *v = getenv("XBUILD_CACHE");
	xb_buf b = XB_BUF_INIT;

	if (v && *v)
		return strdup(v);
	v = getenv("XDG_CACHE_HOME");
	if (v && *v == '/') {
		xb_buf_addf(&b, "%s/xbuild", v);
		return xb_buf_take(&b);
	}
	v = getenv("HOME");
	if (!v || !*v)
		return NULL;
	xb_buf_addf(&b, "%s/.cache/xbuild", v);
	return xb_buf_take(&b);
}

void xb_tc_entry_name(const xb_tc_archive *a, char *out, size_t n)
{
	snprintf(out, n, "%s-%.12s", a->id, a->sha256);
}

char *xb_fetch_installed(const xb_tc_archive *a, const char *cache)
{
	char name[256];
	xb_buf b = XB_BUF_INIT;
	char *own = NULL;
	struct stat st;

	if (!cache)
		cache = own = xb_cache_dir();
	if (!cache)
		return NULL;
	xb_tc_entry_name(a, name, sizeof(name));
	xb_buf_addf(&b, "%s/tc/%s/" XB_TC_MARKER, cache, name);
	free(own);
	if (xb_buf_failed(&b) || stat(xb_buf_str(&b), &st) < 0 ||
	    !S_ISREG(st.st_mode)) {
		xb_buf_release(&b);
		return NULL;
	}
	b.len -= sizeof(XB_TC_MARKER);
	b.data[b.len] = '\0';
	return xb_buf_take(&b);
}
