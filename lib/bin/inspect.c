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
	if ((rc = xb_open_stat(path, &fd, &st, err)))
		return rc;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return xb_fail(err, XB_ERR_UNSUPPORTED, "%s",
			       S_ISDIR(st.st_mode) ? "is a directory"
						   : "not a regular file");
	}
	xb_src_fd(&s, fd, (uint64_t)st.st_size);
	xb_src_cache_on(&s, &cache);
	rc = xb_inspect_src(&s, f, err);
	xb_src_cache_release(&cache);
	close(fd);
	return rc;
}
