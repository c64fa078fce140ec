/* invariants.h: what every answer of the binary readers keeps, whatever
 * the bytes it was given.  The fuzz targets hold each answer to it, and so
 * do the unit tests that feed the readers hostile samples. */
#ifndef XBUILD_INVARIANTS_H
#define XBUILD_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>

#include "bin/bin.h"

/*
 * Where a broken invariant goes.  NULL (libFuzzer): printed to stderr,
 * then abort(), so that libFuzzer keeps the input that broke it.  replay.c
 * and the unit tests set a hook that records the message and returns: the
 * check goes on, and the caller says "not ok" for that input.
 */
extern void (*fuzz_violation_hook)(const char *msg);

/* Report a broken invariant. */
void fuzz_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define FUZZ_ASSERT(cond, ...)                                                 \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_violation(__VA_ARGS__);                           \
	} while (0)

/* One answer of a reader, and the input it read. */
typedef struct fuzz_answer {
	const unsigned char *data;
	size_t size;
	xb_code rc;         /* what the reader returned */
	const xb_err *err;  /* the error it was given, XB_ERR_INIT before */
	bool whole;         /* xb_inspect_src (problems make the error, size is
			     * the input's), not one format's reader */
	bool facts_only;    /* no JSON, no verify: for callers that probe many
			     * near-identical inputs and do those on some */
} fuzz_answer;

/*
 * Hold f, the answer a describes, to every invariant: the facts against
 * each other and the input, the error against the facts, the JSON written
 * from them (parsed back), and xb_verify on them.  Returns how many were
 * broken, each reported through fuzz_violation().
 */
unsigned fuzz_check_facts(const xb_facts *f, const fuzz_answer *a);

/* Go build info decoded from data: by xb_goinfo_read when read (then a
 * version and a pointer size are due), else by xb_goinfo_parse_mod. */
unsigned fuzz_check_goinfo(const xb_goinfo *g, const unsigned char *data,
			   size_t size, bool read);

/* json (len bytes), written by xb_facts_json_err(f, err, ...): valid JSON
 * that says what f and err say. */
unsigned fuzz_check_json(const char *json, size_t len, const xb_facts *f,
			 const xb_err *err);

#endif
