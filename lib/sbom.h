/* sbom.h: what the release (release.c) and the tests use of the SBOM
 * writer (sbom.c) beyond xbuild.h, private to lib/ and the tests. */
#ifndef XB_SBOM_H
#define XB_SBOM_H

#include "xbuild.h"

/* A UUID (RFC 9562 text, version 4 layout) whose bits come from
 * SHA-256(seed): equal seeds give equal UUIDs. */
xb_code xb_sbom_uuid(const char *seed, char out[37]);
/* s percent-encoded as a package URL's part: every byte but ASCII letters,
 * digits and ".-_~" (and '/' when keep_slash) becomes %XX. */
void xb_purl_encode(xb_buf *b, const char *s, bool keep_slash);

#endif
