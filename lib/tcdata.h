/* tcdata.h: what the rest of lib/ and the tests use of the toolchain
 * data (tcdata.c) beyond xbuild.h, private to them: parsing one file,
 * finding a target's and an archive's entry, the host as a Go target. */
#ifndef XB_TCDATA_H
#define XB_TCDATA_H

#include "xbuild.h"

/*
 * Parse one data file's text (name is used in messages) and add what it
 * holds to d.  Every error is reported, with its line and column, before
 * it gives up (XB_ERR_FORMAT).
 */
xb_code xb_tc_data_parse(xb_tc_data *d, const char *name, const char *text,
			 size_t len, xb_err *err);
/* The target entry for goos/goarch/variant (variant NULL: the first). */
const xb_tc_target *xb_tc_target_find(const xb_tc_data *d, const char *goos,
				      const char *goarch, const char *variant);
/* The archive with that id for host ("linux/amd64"; NULL: this host). */
const xb_tc_archive *xb_tc_archive_find(const xb_tc_data *d, const char *id,
					const char *host);
/* This machine as a Go target, "linux/amd64".  Static storage. */
const char *xb_host_target(void);

#endif
