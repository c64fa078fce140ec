/* tcprobe.h: what the search for a C compiler (toolchain.c) and its
 * probe (tcprobe.c) share (lib/ and the tests only). */
#ifndef XB_TCPROBE_H
#define XB_TCPROBE_H

#include <stdbool.h>

#include "xbuild.h"

/* A candidate compiler, as the search found it. */
struct cand {
	xb_strv cc;        /* argv prefix: the compiler and fixed flags */
	char *cxx;         /* CXX value, or NULL */
	const char *kind;
	const char *source;
	const char *libc;  /* the libc block it came from */
	const char *id;    /* archive id, or NULL */
	const char *keyexe; /* the file whose size/mtime key the probe cache */
};

/* What the probe found: the compiler works (ok), or why not. */
struct probe {
	bool ok;
	char why[512];
	char machine[128];
	char libc[16];
	char libc_version[16];
	char interp[256];
	char sysroot[512];
	bool can_static;
	char hash[65];
	bool hung;         /* a run of the compiler ran out of time */
};

/* The words of v joined by spaces: caller frees; NULL when out of memory
 * or when v lacks a word (a push failed).  static inline, so that
 * toolchain.c and tcprobe.c do not call each other both ways. */
static inline char *joined(const xb_strv *v)
{
	xb_buf b = XB_BUF_INIT;

	if (xb_strv_failed(v))
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		xb_buf_addf(&b, "%s%s", i ? " " : "", v->v[i]);
	return xb_buf_take(&b);
}

/*
 * Prove c for t by compiling and linking a test program, or recall the
 * proof from cache/probe (keyed by the compiler's path, size and mtime;
 * fresh: prove again).  No probe cache without a cache folder.
 */
void xb_tc_prove(const struct cand *c, const xb_tc_target *t,
		 const char *cache, bool fresh, struct probe *pr);

/* What a test link produced, read by the checker (xb_inspect). */
typedef struct xb_tc_binfo {
	char format[8];    /* "elf", "pe", "macho" */
	unsigned machine;
	int bits;
	char interp[256];  /* PT_INTERP, "" when none */
} xb_tc_binfo;

/* tcprobe.c, for the tests too. */
xb_code xb_tc_read_binary(const char *path, xb_tc_binfo *bi, xb_err *err);

#endif /* XB_TCPROBE_H */
