/* fuzz_goinfo.c: Go build info on arbitrary bytes: the search, both
 * layouts (pointers map the input at address 0 and at 0x400000), and the
 * modinfo text parser on the raw input. */
#include <stdlib.h>

#include "xbuild.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xb_vseg segs[2] = { { 0, 0, size }, { 0x400000, 0, size } };
	xb_err err = XB_ERR_INIT;
	xb_goinfo g;
	xb_src s;
	char *id;

	xb_src_mem(&s, data, size);
	xb_goinfo_init(&g);
	xb_goinfo_read(&s, 0, size, 0, segs, 2, &g, &err);
	xb_goinfo_release(&g);
	xb_goinfo_parse_mod(&g, (const char *)data, size);
	xb_goinfo_setting(&g, "CGO_ENABLED");
	xb_goinfo_release(&g);
	id = xb_go_buildid_text(&s, 0, size);
	free(id);
	return 0;
}
