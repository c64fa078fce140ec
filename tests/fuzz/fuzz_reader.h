/* fuzz_reader.h: the body of the fuzz targets of one binary reader: the
 * reader on arbitrary bytes, then everything that consumes its facts
 * (JSON, verify). */
#ifndef XBUILD_FUZZ_READER_H
#define XBUILD_FUZZ_READER_H

#include "xbuild.h"
#include "fuzz.h"

static int fuzz_reader(xb_code (*inspect)(const xb_src *, xb_facts *, xb_err *),
		       const uint8_t *data, size_t size)
{
	xb_err err = XB_ERR_INIT;
	xb_expect e;
	xb_facts f;
	xb_strv v;
	xb_buf b;
	xb_json j;
	xb_src s;

	xb_src_mem(&s, data, size);
	xb_facts_init(&f);
	inspect(&s, &f, &err);
	xb_buf_init(&b, 0);
	xb_json_init(&j, &b, false);
	xb_facts_json_err(&f, &err, &j);
	xb_json_finish(&j);
	xb_buf_release(&b);
	xb_expect_init(&e);
	xb_strv_init(&v);
	xb_expect_parse(&e, "linkage=static,arch=arm64,max-glibc=2.17,needed=libc.so.6,"
			"stripped=true,pie=true,relro=full,libc=musl,cgo=0", &err);
	xb_verify(&f, &e, &v);
	xb_strv_release(&v);
	xb_expect_release(&e);
	xb_facts_release(&f);
	return 0;
}

#endif
