/* samefd.h: the readers read a file as xb_inspect does, through an fd and
 * the source's block cache (lib/bin/src.c), and must answer exactly as on
 * the same bytes in memory; a file that shrank after its size was taken
 * gives an error or problems, never a crash or an answer from bytes that
 * are not there.  For the fuzz targets (fuzz_reader.h) and test_hostile. */
#ifndef XBUILD_SAMEFD_H
#define XBUILD_SAMEFD_H

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bin/bin.h"
#include "invariants.h"

typedef xb_code (*fuzz_inspect_fn)(const xb_src *, xb_facts *, xb_err *);

/* The answer (facts, error) as JSON into b. */
static void samefd_json(const xb_facts *f, xb_code rc, const xb_err *err,
			xb_buf *b)
{
	xb_json j;

	xb_json_init(&j, b, false);
	xb_facts_json_err(f, rc ? err : NULL, &j);
	xb_json_finish(&j);
}

/* Where the input goes in the file: at its start, where it is read whole
 * when small; after other bytes, where it is in the file's last block;
 * and between other bytes, as a fat Mach-O's slice is, where its reads
 * take the pages and the exact reads. */
#define SAMEFD_PAD (3 * 4096 + 123)
#define SAMEFD_AFTER (3 * 4096)
static const uint64_t samefd_pads[] = { 0, SAMEFD_PAD, SAMEFD_PAD };

/* inspect on the input at pad in fd, claimed to be claim bytes long
 * (more than it is: the file shrank), with the block cache over after
 * more bytes of the file. */
static xb_code samefd_run(fuzz_inspect_fn inspect, int fd, uint64_t pad,
			  uint64_t claim, uint64_t after, xb_facts *f,
			  xb_err *err)
{
	/* (on the heap: the sanitizers watch its bounds there too) */
	struct xb_src_cache *cache = malloc(sizeof(*cache));
	xb_src s;
	xb_code rc;

	xb_facts_init(f);
	xb_src_fd(&s, fd, claim + after);
	s.base = pad;
	if (cache)
		xb_src_cache_on(&s, cache);
	s.size = claim;
	rc = inspect(&s, f, err);
	if (cache)
		xb_src_cache_release(cache);
	free(cache);
	return rc;
}

/* data read through an fd answers as f, rc and err (read from memory);
 * broken invariants go to fuzz_violation.  Nothing is checked where no
 * memfd can be made. */
static unsigned fuzz_check_fd(fuzz_inspect_fn inspect, const unsigned char *data,
			      size_t size, const xb_facts *f, xb_code rc,
			      const xb_err *err)
{
	static int fd = -1;
	static unsigned char junk[SAMEFD_PAD];
	xb_buf want;
	unsigned bad = 0;

	if (fd < 0 && (fd = memfd_create("xbuild-fuzz", MFD_CLOEXEC)) < 0)
		return 0;
	xb_buf_init(&want, 0);
	samefd_json(f, rc, err, &want);
	for (size_t i = 0; i < sizeof(samefd_pads) / sizeof(samefd_pads[0]); i++) {
		uint64_t pad = samefd_pads[i], after = i == 2 ? SAMEFD_AFTER : 0;
		xb_err e2 = XB_ERR_INIT;
		xb_buf got;
		xb_facts f2;
		xb_code rc2;

		memset(junk, 0xa5, sizeof(junk));
		if (ftruncate(fd, 0) != 0 ||
		    pwrite(fd, junk, (size_t)pad, 0) != (ssize_t)pad ||
		    (size && pwrite(fd, data, size, (off_t)pad) != (ssize_t)size) ||
		    pwrite(fd, junk, (size_t)after, (off_t)(pad + size)) != (ssize_t)after)
			break;
		rc2 = samefd_run(inspect, fd, pad, size, after, &f2, &e2);
		xb_buf_init(&got, 0);
		samefd_json(&f2, rc2, &e2, &got);
		if (rc != rc2 || want.len != got.len ||
		    memcmp(xb_buf_str(&want), xb_buf_str(&got), want.len) != 0) {
			fuzz_violation("read through an fd at %llu (%d): %.600s; from memory (%d): %.600s",
				       (unsigned long long)pad, rc2, xb_buf_str(&got),
				       rc, xb_buf_str(&want));
			bad++;
		}
		xb_buf_release(&got);
		xb_facts_release(&f2);
		/* shrunk: the size says 4 KiB more than there is; whatever
		 * the reader makes of it, it reads no byte past what pread
		 * gave (ASan) and says what failed */
		e2 = (xb_err)XB_ERR_INIT;
		rc2 = samefd_run(inspect, fd, pad, (uint64_t)size + 4096, 0, &f2, &e2);
		if (rc2 && !e2.msg[0]) {
			fuzz_violation("a file that shrank: error %d without a message", rc2);
			bad++;
		}
		xb_facts_release(&f2);
	}
	xb_buf_release(&want);
	return bad;
}

#endif
