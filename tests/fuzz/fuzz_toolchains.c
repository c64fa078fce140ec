/* fuzz_toolchains.c: the toolchains/NAME.yaml parser on hostile input. */
#include <string.h>

#include "xbuild.h"
#include "fuzz.h"
#include "invariants.h"
#include "tcdata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xb_tc_data d;
	xb_err err = XB_ERR_INIT;

	xb_tc_data_init(&d);
	if (xb_tc_data_parse(&d, "fuzz.yaml", (const char *)data, size, &err) ==
	    XB_OK) {
		/* what parsed must be usable */
		for (size_t i = 0; i < d.ntargets; i++)
			xb_tc_target_find(&d, d.targets[i].goos, d.targets[i].goarch,
					  d.targets[i].variant);
		for (size_t i = 0; i < d.narchives; i++)
			xb_tc_pin(&d, d.archives[i].id, d.archives[i].sha256, NULL,
				  NULL);
	} else {
		FUZZ_ASSERT(err.msg[0], "a toolchains file refused without a reason");
	}
	xb_tc_data_release(&d);
	return 0;
}
