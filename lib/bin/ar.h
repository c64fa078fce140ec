/* ar.h: the symbol index of static archives (ar.c), private to lib/ (the
 * link diagnosis) and the tests. */
#ifndef XB_AR_H
#define XB_AR_H

#include "xbuild.h"

/*
 * The symbol index ("armap") of an ar archive: the GNU/SysV "/" member
 * (32-bit big-endian counts and offsets), its 64-bit "/SYM64/" form, and
 * the BSD "__.SYMDEF" (also "__.SYMDEF SORTED", "__.SYMDEF_64", plain or
 * with a "#1/N" long name), little-endian.  Archives are untrusted: every
 * count, size and offset is range-checked without overflow and capped.
 */
#define XB_AR_MAX_SYMBOLS (1u << 22)       /* symbols in one index */
#define XB_AR_MAX_INDEX_BYTES (256u << 20) /* bytes of one index member */

typedef enum xb_ar_format {
	XB_AR_NONE = 0, /* an archive without a symbol index */
	XB_AR_GNU,      /* "/" */
	XB_AR_GNU64,    /* "/SYM64/" */
	XB_AR_BSD,      /* "__.SYMDEF" */
	XB_AR_BSD64,    /* "__.SYMDEF_64" */
} xb_ar_format;

typedef struct xb_ar_symtab {
	xb_ar_format format;
	bool thin;          /* "!<thin>\n" archive */
	xb_strv names;      /* one per index entry, in index order */
	uint64_t *offsets;  /* names.n offsets of the defining member's
			     * header, each checked to lie in the file */
} xb_ar_symtab;

void xb_ar_symtab_init(xb_ar_symtab *st);
void xb_ar_symtab_release(xb_ar_symtab *st);
/*
 * Parse the index from data[0..len), the start of an archive of
 * file_size bytes (len <= file_size: the index is at the front, so a
 * caller may pass just a prefix).  An archive without an index gives
 * XB_OK with format XB_AR_NONE; not an archive, or a broken index, gives
 * XB_ERR_FORMAT; over a cap XB_ERR_TOO_BIG.
 */
xb_code xb_ar_symtab_parse(xb_ar_symtab *st, const unsigned char *data,
			   size_t len, uint64_t file_size, xb_err *err);
/* Read the index of the archive at path (only the front of the file). */
xb_code xb_ar_symtab_read(xb_ar_symtab *st, const char *path, xb_err *err);
/* Does the index define name? */
bool xb_ar_symtab_has(const xb_ar_symtab *st, const char *name);

#endif
