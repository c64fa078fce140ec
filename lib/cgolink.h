/* cgolink.h: what the two files of the cgo link module share, private to
 * lib/: cgolink.c (the package graph, library folders, the -ldflags
 * word) and cgolink-resolve.c (pkg-config, archives, the link's flags). */
#ifndef XB_CGOLINK_H
#define XB_CGOLINK_H

#include "xbuild.h"

/* The stderr kept of go list and pkg-config, for their failures. */
#define CGOLINK_STDERR_MAX (256u << 10)

#endif
