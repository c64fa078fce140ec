/* yamltree.h: the bounded YAML tree that the profile loader and the
 * toolchain data reader read (lib/ only). */
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
	/* every node made: an alias shares its anchor's node, so nodes are
	 * freed from this list and not by walking the tree */
	xb_ynode **all;
	size_t nall, capall;
	struct { char *name; xb_ynode *n; } *anc; /* anchors, in order */
	size_t nanc, capanc;
	size_t total;    /* values so far, aliases expanded */
	xb_ynode *root;  /* NULL for an empty document */
} xb_ytree;

/* What one kind of file may hold: the caps bound memory and time on
 * hostile input, and each reader sets its own. */
typedef struct xb_ylimits {
	int depth;        /* nesting of collections, at most XB_YTREE_DEPTH */
	size_t nodes;     /* values in one file, aliases expanded */
	size_t keys;      /* keys in one mapping */
	size_t items;     /* items in one list */
	bool aliases;     /* false: an alias is refused (data needs none) */
	const char *what; /* the file in messages: "a profile" */
} xb_ylimits;

#define XB_YTREE_DEPTH 64

/* Receives each problem, already worded; msg lives during the call. */
typedef void xb_yreport(void *ctx, xb_pos pos, const char *msg);

/*
 * Parse data (named file in positions) into t within lim; every problem
 * goes to report.  XB_OK when the tree is usable (problems such as a
 * duplicate key may have been reported), XB_ERR_FORMAT when it is not,
 * XB_ERR_NOMEM.  An empty document leaves t->root NULL.  Release t
 * either way.  Keys of a mapping are scalars, and distinct.
 */
xb_code xb_ytree_parse(xb_ytree *t, const char *file, const char *data,
		       size_t len, const xb_ylimits *lim, xb_yreport *report,
		       void *ctx);
void xb_ytree_release(xb_ytree *t);

#endif
