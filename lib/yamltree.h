/* yamltree.h: the bounded YAML tree the profile loader reads (lib/ only). */
#ifndef XB_YAMLTREE_H
#define XB_YAMLTREE_H

#include "xbuild.h"

enum { XB_Y_SCALAR, XB_Y_SEQ, XB_Y_MAP };

typedef struct xb_ynode {
	int type;
	bool open;       /* still being built (an alias to it is recursive) */
	char *val;       /* scalar text */
	bool plain;      /* unquoted scalar */
	unsigned line, col;
	size_t weight;   /* nodes under it, aliases expanded */
	struct xb_ynode **kid; /* map: key, value, key, value... */
	size_t n, cap;
} xb_ynode;

typedef struct xb_ytree {
	xb_ynode **all;
	size_t nall, capall;
	struct { char *name; xb_ynode *n; } *anc;
	size_t nanc, capanc;
	size_t total;
	xb_ynode *root;
} xb_ytree;

/* Parse data into t.  Problems go to d; returns -1 when the tree is
 * unusable.  Release t either way. */
int xb_ytree_parse(xb_ytree *t, const char *file, const char *data,
		   size_t len, xb_diags *d);
void xb_ytree_release(xb_ytree *t);

#endif
