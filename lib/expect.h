/* expect.h: what the profile and the planner use of expectations
 * (expect.c) beyond xbuild.h, private to lib/ and the tests. */
#ifndef XB_EXPECT_H
#define XB_EXPECT_H

#include "xbuild.h"

/* Copy every field that src sets into dst (go_settings are merged by key,
 * src winning). */
xb_code xb_expect_merge(xb_expect *dst, const xb_expect *src);
/* Set one key (the names of xb_expect_parse) to a value. */
xb_code xb_expect_set(xb_expect *e, const char *key, const char *value,
		      xb_err *err);

#endif
