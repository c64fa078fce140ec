/* ar.c: the symbol index of static archives, read as hostile input.
 *
 * An archive is "!<arch>\n" (or "!<thin>\n") and members, each behind a
 * 60-byte header whose size is decimal text.  The index, when there is
 * one, is the first member.  Every count, size and offset below comes
 * from the file, so each is checked against what is left before use, by
 * subtraction (never by an addition that could wrap).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ar.h"

#define AR_MAGIC_LEN 8
#define AR_HDR_LEN 60

void xb_ar_symtab_init(xb_ar_symtab *st)
{
	st->format = XB_AR_NONE;
	st->thin = false;
	xb_strv_init(&st->names);
	st->offsets = NULL;
}

void xb_ar_symtab_release(xb_ar_symtab *st)
{
	xb_strv_release(&st->names);
	free(st->offsets);
	xb_ar_symtab_init(st);
}

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* A decimal field of a member header: digits, then spaces only. */
static int parse_dec(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (n == 0 || p[0] < '0' || p[0] > '9')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ')
			return -1;
	*out = v;
	return 0;
}

/* The index member found at the front of an archive. */
typedef struct index_member {
	xb_ar_format format;
	uint64_t body_off; /* from the start of the file */
	uint64_t body_len;
} index_member;

/* Find the index member from the header at data[8..]; fills *m, or sets
 * m->format = XB_AR_NONE.  need gets the bytes the whole index takes. */
static xb_code find_index(const unsigned char *data, size_t len,
			  uint64_t file_size, bool *thin, index_member *m,
			  uint64_t *need, xb_err *err)
{
	const unsigned char *h;
	uint64_t size, name_len = 0;
	char name[17];

	m->format = XB_AR_NONE;
	*need = 0;
	if (len < AR_MAGIC_LEN || file_size < len)
		return xb_fail(err, XB_ERR_FORMAT, "not an ar archive (too short)");
	if (memcmp(data, "!<arch>\n", AR_MAGIC_LEN) == 0)
		*thin = false;
	else if (memcmp(data, "!<thin>\n", AR_MAGIC_LEN) == 0)
		*thin = true;
	else
		return xb_fail(err, XB_ERR_FORMAT, "not an ar archive (bad magic)");
	if (file_size == AR_MAGIC_LEN)
		return XB_OK; /* empty archive */
	if (len - AR_MAGIC_LEN < AR_HDR_LEN)
		return xb_fail(err, XB_ERR_FORMAT,
			       "truncated member header at offset 8");
	h = data + AR_MAGIC_LEN;
	if (h[58] != '`' || h[59] != '\n')
		return xb_fail(err, XB_ERR_FORMAT,
			       "bad member header at offset 8 (no terminator)");
	if (parse_dec(h + 48, 10, &size))
		return xb_fail(err, XB_ERR_FORMAT,
			       "bad member size at offset 8");
	if (size > file_size - AR_MAGIC_LEN - AR_HDR_LEN)
		return xb_fail(err, XB_ERR_FORMAT,
			       "member at offset 8 runs past the end of the file");
	memcpy(name, h, 16);
	name[16] = '\0';
	if (strncmp(name, "#1/", 3) == 0) {
		/* BSD long name: the name is the first bytes of the body */
		if (parse_dec(h + 3, 13, &name_len) || name_len > size)
			return xb_fail(err, XB_ERR_FORMAT,
				       "bad long member name at offset 8");
		size_t k = name_len < 16 ? (size_t)name_len : 16;
		if (len - AR_MAGIC_LEN - AR_HDR_LEN < k)
			return xb_fail(err, XB_ERR_FORMAT,
				       "truncated long member name at offset 8");
		memcpy(name, h + AR_HDR_LEN, k);
		name[k] = '\0';
	} else {
		for (int i = 15; i >= 0 && name[i] == ' '; i--)
			name[i] = '\0';
	}
	if (strcmp(name, "/") == 0)
		m->format = XB_AR_GNU;
	else if (strcmp(name, "/SYM64/") == 0)
		m->format = XB_AR_GNU64;
	else if (strcmp(name, "__.SYMDEF_64") == 0)
		m->format = XB_AR_BSD64;
	else if (strcmp(name, "__.SYMDEF") == 0 ||
		 strcmp(name, "__.SYMDEF SORTED") == 0)
		m->format = XB_AR_BSD;
	else
		return XB_OK; /* first member is not an index: none */
	m->body_off = AR_MAGIC_LEN + AR_HDR_LEN + name_len;
	m->body_len = size - name_len;
	if (m->body_len > XB_AR_MAX_INDEX_BYTES)
		return xb_fail(err, XB_ERR_TOO_BIG,
			       "symbol index of %llu bytes (at most %u)",
			       (unsigned long long)m->body_len,
			       XB_AR_MAX_INDEX_BYTES);
	*need = m->body_off + m->body_len;
	return XB_OK;
}

/* A member offset from the index must point at a whole header. */
static bool offset_ok(uint64_t off, uint64_t file_size)
{
	return off >= AR_MAGIC_LEN && file_size >= AR_HDR_LEN &&
	       off <= file_size - AR_HDR_LEN;
}

static xb_code add_symbol(xb_ar_symtab *st, size_t i, const unsigned char *s,
			  size_t maxlen, uint64_t off, uint64_t file_size,
			  xb_err *err)
{
	const unsigned char *nul = memchr(s, '\0', maxlen);

	if (!nul)
		return xb_fail(err, XB_ERR_FORMAT,
			       "symbol %zu: unterminated name", i);
	if (!offset_ok(off, file_size))
		return xb_fail(err, XB_ERR_FORMAT,
			       "symbol %zu: member offset %llu outside the file "
			       "(%llu bytes)", i, (unsigned long long)off,
			       (unsigned long long)file_size);
	st->offsets[i] = off;
	if (xb_strv_push(&st->names, (const char *)s))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

static xb_code alloc_offsets(xb_ar_symtab *st, uint64_t count, xb_err *err)
{
	if (count > XB_AR_MAX_SYMBOLS)
		return xb_fail(err, XB_ERR_TOO_BIG,
			       "symbol index of %llu entries (at most %u)",
			       (unsigned long long)count, XB_AR_MAX_SYMBOLS);
	st->offsets = calloc(count ? (size_t)count : 1, sizeof(uint64_t));
	if (!st->offsets)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

/* GNU/SysV: count, count offsets (w bytes each, big-endian), names. */
static xb_code parse_gnu(xb_ar_symtab *st, const unsigned char *b,
			 uint64_t n, int w, uint64_t file_size, xb_err *err)
{
	uint64_t count, pos;
	xb_code rc;

	if (n < (uint64_t)w)
		return xb_fail(err, XB_ERR_FORMAT, "symbol index too short");
	count = be(b, w);
	if (count > (n - (uint64_t)w) / (uint64_t)w)
		return xb_fail(err, XB_ERR_FORMAT,
			       "symbol index claims %llu entries, room for %llu",
			       (unsigned long long)count,
			       (unsigned long long)((n - (uint64_t)w) / (uint64_t)w));
	if ((rc = alloc_offsets(st, count, err)))
		return rc;
	pos = (uint64_t)w + count * (uint64_t)w; /* <= n, checked above */
	for (uint64_t i = 0; i < count; i++) {
		if (pos >= n)
			return xb_fail(err, XB_ERR_FORMAT,
				       "symbol %llu: name table ends early",
				       (unsigned long long)i);
		rc = add_symbol(st, (size_t)i, b + pos, (size_t)(n - pos),
				be(b + w + i * (uint64_t)w, w), file_size, err);
		if (rc)
			return rc;
		pos += strlen((const char *)b + pos) + 1;
	}
	return XB_OK;
}

/* BSD: ranlib bytes, {strx, off} pairs, strtab bytes, strtab; w-byte
 * words in the target's byte order (little-endian unless that cannot
 * fit and big-endian can). */
static xb_code parse_bsd(xb_ar_symtab *st, const unsigned char *b,
			 uint64_t n, int w, uint64_t file_size, xb_err *err)
{
	uint64_t (*get)(const unsigned char *, int) = le;
	uint64_t rsize, ssize, count, strpos;
	xb_code rc;

	if (n < (uint64_t)w)
		return xb_fail(err, XB_ERR_FORMAT, "symbol index too short");
	rsize = le(b, w);
	if (rsize > n - (uint64_t)w && be(b, w) <= n - (uint64_t)w) {
		get = be;
		rsize = be(b, w);
	}
	if (rsize > n - (uint64_t)w || rsize % (uint64_t)(2 * w))
		return xb_fail(err, XB_ERR_FORMAT,
			       "bad ranlib size %llu in a %llu-byte index",
			       (unsigned long long)rsize, (unsigned long long)n);
	count = rsize / (uint64_t)(2 * w);
	strpos = (uint64_t)w + rsize;
	if (n - strpos < (uint64_t)w)
		return xb_fail(err, XB_ERR_FORMAT,
			       "symbol index ends before its string table size");
	ssize = get(b + strpos, w);
	strpos += (uint64_t)w;
	if (ssize > n - strpos)
		return xb_fail(err, XB_ERR_FORMAT,
			       "string table of %llu bytes runs past the index",
			       (unsigned long long)ssize);
	if ((rc = alloc_offsets(st, count, err)))
		return rc;
	for (uint64_t i = 0; i < count; i++) {
		const unsigned char *e = b + w + i * (uint64_t)(2 * w);
		uint64_t strx = get(e, w);

		if (strx >= ssize)
			return xb_fail(err, XB_ERR_FORMAT,
				       "symbol %llu: name offset %llu past the "
				       "string table", (unsigned long long)i,
				       (unsigned long long)strx);
		rc = add_symbol(st, (size_t)i, b + strpos + strx,
				(size_t)(ssize - strx), get(e + w, w),
				file_size, err);
		if (rc)
			return rc;
	}
	return XB_OK;
}

xb_code xb_ar_symtab_parse(xb_ar_symtab *st, const unsigned char *data,
			   size_t len, uint64_t file_size, xb_err *err)
{
	index_member m;
	uint64_t need;
	xb_code rc;

	xb_ar_symtab_release(st);
	rc = find_index(data, len, file_size, &st->thin, &m, &need, err);
	if (rc || m.format == XB_AR_NONE)
		return rc;
	if (need > len)
		return xb_fail(err, XB_ERR_FORMAT,
			       "symbol index truncated (%llu of %llu bytes)",
			       (unsigned long long)len, (unsigned long long)need);
	switch (m.format) {
	case XB_AR_GNU:
		rc = parse_gnu(st, data + m.body_off, m.body_len, 4, file_size, err);
		break;
	case XB_AR_GNU64:
		rc = parse_gnu(st, data + m.body_off, m.body_len, 8, file_size, err);
		break;
	case XB_AR_BSD:
		rc = parse_bsd(st, data + m.body_off, m.body_len, 4, file_size, err);
		break;
	case XB_AR_BSD64:
		rc = parse_bsd(st, data + m.body_off, m.body_len, 8, file_size, err);
		break;
	default:
		break;
	}
	if (rc) {
		xb_ar_symtab_release(st);
		return rc;
	}
	st->format = m.format;
	return XB_OK;
}

static xb_code read_at(int fd, unsigned char *p, size_t n, off_t off,
		       const char *path, xb_err *err)
{
	while (n) {
		ssize_t r = pread(fd, p, n, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return xb_fail(err, XB_ERR_IO, "cannot read '%s':", path);
		if (r == 0)
			return xb_fail(err, XB_ERR_FORMAT,
				       "'%s' shrank while being read", path);
		p += r;
		n -= (size_t)r;
		off += r;
	}
	return XB_OK;
}

xb_code xb_ar_symtab_read(xb_ar_symtab *st, const char *path, xb_err *err)
{
	unsigned char head[AR_MAGIC_LEN + AR_HDR_LEN + 16], *all = NULL;
	index_member m;
	struct stat sb;
	uint64_t need;
	size_t n;
	bool thin;
	xb_code rc;
	int fd;

	xb_ar_symtab_release(st);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open '%s':", path);
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return xb_fail(err, XB_ERR_IO, "'%s' is not a regular file", path);
	}
	n = (uint64_t)sb.st_size < sizeof(head) ? (size_t)sb.st_size : sizeof(head);
	rc = read_at(fd, head, n, 0, path, err);
	if (!rc)
		rc = find_index(head, n, (uint64_t)sb.st_size, &thin, &m, &need, err);
	if (!rc && m.format != XB_AR_NONE) {
		/* need <= file size and <= the index cap plus headers */
		all = malloc((size_t)need);
		if (!all)
			rc = xb_fail(err, XB_ERR_NOMEM, "out of memory");
		else if (!(rc = read_at(fd, all, (size_t)need, 0, path, err)))
			rc = xb_ar_symtab_parse(st, all, (size_t)need,
						(uint64_t)sb.st_size, err);
		free(all);
	} else if (!rc) {
		st->thin = thin;
	}
	close(fd);
	if (rc)
		xb_prefix(err, rc, "%s", path);
	return rc;
}

bool xb_ar_symtab_has(const xb_ar_symtab *st, const char *name)
{
	for (size_t i = 0; i < st->names.n; i++)
		if (strcmp(st->names.v[i], name) == 0)
			return true;
	return false;
}
