/* reprodiff.h: where two builds of one artifact differ (reprodiff.c),
 * private to lib/ (the release's --verify-repro) and the tests. */
#ifndef XB_REPRODIFF_H
#define XB_REPRODIFF_H

#include "bin.h"

/*
 * The section or header holding file offset off of an ELF, PE or Mach-O
 * image: "section .text", "ELF header", "program headers", "section
 * table", "segment __TEXT"...; NULL when the format is unknown or no
 * section covers off.  Caller frees.
 */
char *xb_section_at(const xb_src *s, uint64_t off);
/*
 * Compare files a and b.  *same tells whether their bytes are equal; if
 * not, *off is the first differing offset (the shorter size when one is a
 * prefix of the other) and *where (caller frees; may be NULL) names the
 * part of a holding it, from xb_section_at.
 */
xb_code xb_file_diff(const char *a, const char *b, bool *same, uint64_t *off,
		     char **where, xb_err *err);

#endif
