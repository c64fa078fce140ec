/* profile-text.h: for the unit tests of the profile readers: a profile
 * loaded from text with its diagnostics printed, how many of those hold
 * a part, and the release of both. */
#ifndef XBUILD_PROFILE_TEXT_H
#define XBUILD_PROFILE_TEXT_H

#include <string.h>

#include "unit.h"
#include "profile.h"

static inline xb_code load_text(xb_profile *p, xb_diags *d,
				const xb_profile_opts *o, const char *name,
				const char *text)
{
	xb_err err = XB_ERR_INIT;
	xb_code rc;

	xb_profile_init(p);
	xb_diags_init(d);
	rc = xb_profile_load_mem(p, name, text, strlen(text), o, d, &err);
	for (size_t i = 0; i < d->lines.n; i++)
		print_message("# %s\n", d->lines.v[i]);
	return rc;
}

/* How many lines of d hold part. */
static inline int has_line(const xb_diags *d, const char *part)
{
	int n = 0;

	for (size_t i = 0; i < d->lines.n; i++)
		if (strstr(d->lines.v[i], part))
			n++;
	return n;
}

static inline void done(xb_profile *p, xb_diags *d)
{
	xb_profile_release(p);
	xb_diags_release(d);
}

#endif
