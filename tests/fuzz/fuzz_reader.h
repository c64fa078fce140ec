/* fuzz_reader.h: the body of the fuzz targets of one binary reader: the
 * reader on arbitrary bytes, then its answer held to every invariant
 * (invariants.c), which also writes it as JSON and runs verify on it, and
 * to the same answer when the bytes are a file read through the block
 * cache (samefd.h). */
#ifndef XBUILD_FUZZ_READER_H
#define XBUILD_FUZZ_READER_H

#include "bin/bin.h"
#include "fuzz.h"
#include "invariants.h"
#include "samefd.h"

static int fuzz_reader(xb_code (*inspect)(const xb_src *, xb_facts *, xb_err *),
		       const uint8_t *data, size_t size)
{
	xb_err err = XB_ERR_INIT;
	fuzz_answer a;
	xb_facts f;
	xb_src s;

	xb_src_mem(&s, data, size);
	xb_facts_init(&f);
	a.rc = inspect(&s, &f, &err);
	a.data = data;
	a.size = size;
	a.err = &err;
	a.whole = false;
	a.facts_only = false;
	fuzz_check_facts(&f, &a);
	fuzz_check_fd(inspect, data, size, &f, a.rc, &err);
	xb_facts_release(&f);
	return 0;
}

#endif
