/* inspect.c: reading a binary into facts: the file opened without
 * blocking, and dispatch on the magic number to the format's reader. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bin.h"

bool xb_inspect_magic(const unsigned char *p, size_t n)
{
	static const unsigned char macho[][4] = {
		{ 0xfe, 0xed, 0xfa, 0xce }, { 0xce, 0xfa, 0xed, 0xfe },
		{ 0xfe, 0xed, 0xfa, 0xcf }, { 0xcf, 0xfa, 0xed, 0xfe },
		{ 0xca, 0xfe, 0xba, 0xbe }, { 0xca, 0xfe, 0xba, 0xbf },
	};

	if (n >= 4 && memcmp(p, "\177ELF", 4) == 0)
		return true;
	if (n >= 2 && p[0] == 'M' && p[1] == 'Z')
		return true;
	for (size_t i = 0; n >= 4 && i < sizeof(macho) / sizeof(macho[0]); i++)
		if (memcmp(p, macho[i], 4) == 0)
			return true;
	return false;
}

xb_code xb_inspect_src(const xb_src *s, xb_facts *f, xb_err *err)
{
	unsigned char m[4] = { 0 };
	size_t n = s->size < 4 ? (size_t)s->size : 4;
	xb_code rc;

	f->size = s->size;
	if (xb_src_read(s, 0, m, n))
		return xb_fail(err, XB_ERR_IO, "read failed:");
	if (n >= 4 && memcmp(m, "\177ELF", 4) == 0)
		rc = xb_elf_inspect(s, f, err);
	else if (n >= 2 && m[0] == 'M' && m[1] == 'Z')
		rc = xb_pe_inspect(s, f, err);
	else if (xb_inspect_magic(m, n))
		rc = xb_macho_inspect(s, f, err);
	else
		return xb_fail(err, XB_ERR_UNSUPPORTED,
			       "not an ELF, Mach-O or PE file");
	/* the readers push without a check each: a library left out of
	 * needed would pass an allow-list it breaks */
	if (!rc)
		rc = xb_strv_check(&f->needed, err, "the needed libraries");
	if (!rc)
		rc = xb_strv_check(&f->problems, err, "the problems found");
	if (!rc && f->problems.n)
		rc = xb_fail(err, XB_ERR_FORMAT, "%s", f->problems.v[0]);
	return rc;
}

/* The files a thread has done with but not closed yet (batched): a
 * contiguous run of descriptors, lo..hi, all its own; lo < 0: none. */
static _Thread_local struct {
	bool on;
	int lo, hi;
} later = { false, -1, -1 };

static void close_later_flush(void)
{
	if (later.lo < 0)
		return;
	if (close_range((unsigned)later.lo, (unsigned)later.hi, 0) < 0)
		for (int fd = later.lo; fd <= later.hi; fd++)
			close(fd);
	later.lo = later.hi = -1;
}

void xb_inspect_close_later(bool on)
{
	close_later_flush();
	later.on = on;
}

/* Close fd now, or with the next 63 when batched: the descriptors a
 * table of its own hands out are the lowest free, so that a file's is
 * the one after the last one's unless another was opened or closed in
 * between (then the run so far is closed first). */
static void done_with(int fd)
{
	if (!later.on) {
		close(fd);
		return;
	}
	if (later.lo >= 0 && fd != later.hi + 1)
		close_later_flush();
	if (later.lo < 0)
		later.lo = fd;
	later.hi = fd;
	if (later.hi - later.lo + 1 >= 64)
		close_later_flush();
}

xb_code xb_inspect(const char *path, xb_facts *f, xb_err *err)
{
	struct stat st;
	xb_code rc;
	struct xb_src_cache cache; /* (on the stack: no malloc per file) */
	xb_src s;
	int fd;

	free(f->path);
	f->path = strdup(path);
	if (!f->path)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	/* held descriptors may be what a low limit (ulimit -n) refuses */
	if ((rc = xb_open_stat_noatime(path, &fd, &st, err)) == XB_ERR_IO &&
	    later.lo >= 0) {
		close_later_flush();
		rc = xb_open_stat_noatime(path, &fd, &st, err);
	}
	if (rc)
		return rc;
	if (!S_ISREG(st.st_mode)) {
		done_with(fd);
		return xb_fail(err, XB_ERR_UNSUPPORTED, "%s",
			       S_ISDIR(st.st_mode) ? "is a directory"
						   : "not a regular file");
	}
	xb_src_fd(&s, fd, (uint64_t)st.st_size);
	xb_src_cache_on(&s, &cache);
	rc = xb_inspect_src(&s, f, err);
	xb_src_cache_release(&cache);
	done_with(fd);
	return rc;
}
