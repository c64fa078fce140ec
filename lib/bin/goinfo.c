/* goinfo.c: Go build info (what `go version -m` prints) from the bytes of a
 * binary, in the inline layout of Go 1.18+ and the older pointer layout,
 * for any format, word size and byte order.  Never trusts a length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"

#define MAGIC "\xff Go buildinf:"
#define MAGIC_LEN 14
#define CHUNK (1u << 20)
#define MAX_SCAN (256u << 20)
#define MAX_STR (16u << 20)   /* version or modinfo */
#define MAX_DEPS 100000
#define FIRST_READ 65536

void xb_goinfo_init(xb_goinfo *g)
{
	memset(g, 0, sizeof(*g));
	xb_strv_init(&g->settings);
}

static void gomod_release(xb_gomod *m)
{
	free(m->path);
	free(m->version);
	free(m->sum);
	free(m->replace);
	free(m->replace_sum);
	memset(m, 0, sizeof(*m));
}

void xb_goinfo_release(xb_goinfo *g)
{
	free(g->version);
	free(g->path);
	gomod_release(&g->main);
	for (size_t i = 0; i < g->ndeps; i++)
		gomod_release(&g->deps[i]);
	free(g->deps);
	xb_strv_release(&g->settings);
	xb_goinfo_init(g);
}

const char *xb_goinfo_setting(const xb_goinfo *g, const char *key)
{
	return g ? xb_strv_getenv(&g->settings, key) : NULL;
}

static uint64_t getn(const unsigned char *p, int n, bool be)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

/* LEB128, at most 10 bytes; returns bytes used, 0 on overrun. */
static size_t uvarint(const unsigned char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	for (size_t i = 0; i < n && i < 10; i++) {
		if (i == 9 && p[i] > 1)
			return 0;
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

static bool map_va(const xb_vseg *segs, size_t n, uint64_t va, uint64_t *off,
		   uint64_t *avail)
{
	for (size_t i = 0; i < n; i++)
		if (va >= segs[i].vaddr && va - segs[i].vaddr < segs[i].filesz) {
			*off = segs[i].off + (va - segs[i].vaddr);
			*avail = segs[i].filesz - (va - segs[i].vaddr);
			return true;
		}
	return false;
}

/* A Go string header {ptr, len} at vaddr va: its bytes, NUL-terminated. */
static xb_code read_gostring(const xb_src *s, const xb_vseg *segs, size_t nsegs,
			     uint64_t va, int ps, bool be, char **out, xb_err *err)
{
	unsigned char hdr[16];
	uint64_t off, avail, data, len;
	unsigned char *p;

	if (!map_va(segs, nsegs, va, &off, &avail) || avail < (uint64_t)2 * ps ||
	    xb_src_read(s, off, hdr, (size_t)(2 * ps)))
		return xb_fail(err, XB_ERR_FORMAT, "string header at 0x%llx is not mapped",
			       (unsigned long long)va);
	data = getn(hdr, ps, be);
	len = getn(hdr + ps, ps, be);
	if (len == 0) {
		*out = strdup("");
		return *out ? XB_OK : XB_ERR_NOMEM;
	}
	if (!map_va(segs, nsegs, data, &off, &avail) || len > avail)
		return xb_fail(err, XB_ERR_FORMAT, "string data at 0x%llx (%llu bytes) is not mapped",
			       (unsigned long long)data, (unsigned long long)len);
	if (xb_src_dup(s, off, len, MAX_STR, &p))
		return xb_fail(err, XB_ERR_FORMAT, "string of %llu bytes is too long or truncated",
			       (unsigned long long)len);
	*out = (char *)p;
	return XB_OK;
}

/* Inline layout: two varint-prefixed strings in b[0..n).  0 done, 1 the
 * lengths need more bytes than n, -1 malformed, -2 out of memory. */
static int parse_inline(const unsigned char *b, uint64_t n, xb_goinfo *g)
{
	uint64_t vlen, mlen, pos;
	size_t k, k0;

	if (!(k0 = uvarint(b, (size_t)n, &vlen)))
		return n >= 10 ? -1 : 1;
	if (vlen > MAX_STR)
		return -1;
	if (vlen > n - k0)
		return 1;
	pos = k0 + vlen;
	if (!(k = uvarint(b + pos, (size_t)(n - pos), &mlen)))
		return n - pos >= 10 ? -1 : 1;
	if (mlen > MAX_STR)
		return -1;
	if (mlen > n - pos - k)
		return 1;
	g->version = strndup((const char *)b + k0, (size_t)vlen);
	if (!g->version)
		return -2;
	return xb_goinfo_parse_mod(g, (const char *)b + pos + k, (size_t)mlen) ? -2 : 0;
}

/* The strings start at file offset at, with region bytes left in the
 * section: read a little first, and all the lengths announce if needed. */
static xb_code read_inline(const xb_src *s, uint64_t at, uint64_t region,
			   xb_goinfo *g, xb_err *err)
{
	uint64_t have = region < FIRST_READ ? region : FIRST_READ;
	unsigned char *buf;
	int r;

	for (;;) {
		if (xb_src_dup(s, at, have, have, &buf))
			return xb_fail(err, XB_ERR_FORMAT, "build info truncated");
		r = parse_inline(buf, have, g);
		free(buf);
		if (r == -2)
			return XB_ERR_NOMEM;
		if (r == 0)
			return XB_OK;
		if (r < 0 || have == region || have >= 2 * (uint64_t)MAX_STR + 20)
			return xb_fail(err, XB_ERR_FORMAT,
				       "build info lengths run past the section");
		have = region < 2 * (uint64_t)MAX_STR + 20 ? region : 2 * (uint64_t)MAX_STR + 20;
	}
}

static xb_code decode_at(const xb_src *s, uint64_t at, uint64_t region,
			 const xb_vseg *segs, size_t nsegs, xb_goinfo *g,
			 xb_err *err)
{
	unsigned char h[32];
	int ps;
	bool be, inl;
	xb_code rc;
	char *mod = NULL;

	if (region < 32 || xb_src_read(s, at, h, 32))
		return xb_fail(err, XB_ERR_FORMAT, "build info header truncated");
	ps = h[14];
	be = h[15] & 1;
	inl = h[15] & 2;
	if (ps != 4 && ps != 8)
		return xb_fail(err, XB_ERR_FORMAT, "bad pointer size %d (expected 4 or 8)", ps);
	g->ptr_size = ps;
	g->big_endian = be;
	g->inline_format = inl;
	if (inl) {
		rc = read_inline(s, at + 32, region - 32, g, err);
	} else {
		rc = read_gostring(s, segs, nsegs, getn(h + 16, ps, be), ps, be,
				   &g->version, err);
		if (!rc)
			rc = read_gostring(s, segs, nsegs, getn(h + 16 + ps, ps, be),
					   ps, be, &mod, err);
		if (!rc)
			rc = xb_goinfo_parse_mod(g, mod, strlen(mod));
		free(mod);
	}
	/* Go's own reader (debug/buildinfo) takes no version for no Go
	 * binary; an empty one would pass for "recorded" here */
	if (!rc && !g->version[0])
		rc = xb_fail(err, XB_ERR_FORMAT, "build info without a Go version");
	return rc;
}

xb_code xb_goinfo_read(const xb_src *s, uint64_t off, uint64_t len,
		       uint64_t vaddr, const xb_vseg *segs, size_t nsegs,
		       xb_goinfo *g, xb_err *err)
{
	unsigned char *buf;
	uint64_t pos = 0;

	if (off > s->size)
		return XB_ERR_NOTFOUND;
	if (len > s->size - off)
		len = s->size - off;
	if (len > MAX_SCAN)
		len = MAX_SCAN;
	buf = malloc((len < CHUNK ? (size_t)len : CHUNK) + MAGIC_LEN);
	if (!buf)
		return XB_ERR_NOMEM;
	/* the magic sits at a 16-byte aligned address: walk aligned slots */
	while (pos < len) {
		uint64_t n = len - pos < CHUNK + MAGIC_LEN ? len - pos : CHUNK + MAGIC_LEN;
		uint64_t first = (16 - ((vaddr + pos) & 15)) & 15;

		if (xb_src_read(s, off + pos, buf, (size_t)n))
			break;
		for (uint64_t i = first; i + MAGIC_LEN <= n && i < CHUNK; i += 16)
			if (buf[i] == 0xff && memcmp(buf + i, MAGIC, MAGIC_LEN) == 0) {
				xb_code rc;

				free(buf);
				rc = decode_at(s, off + pos + i, len - pos - i, segs,
					       nsegs, g, err);
				return rc;
			}
		pos += CHUNK;
	}
	free(buf);
	return XB_ERR_NOTFOUND;
}

/* Go's strconv.Quote output back to bytes (what cmd/go writes for keys and
 * values with spaces, quotes or control characters). */
static char *unquote(const char *s, size_t n)
{
	char *out, *o;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return strndup(s, n);
	out = o = malloc(n);
	if (!out)
		return NULL;
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] != '\\' || i + 2 >= n) {
			*o++ = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'x':
			if (i + 2 < n - 1) {
				char hx[3] = { s[i + 1], s[i + 2], 0 };
				*o++ = (char)strtoul(hx, NULL, 16);
				i += 2;
			}
			break;
		default: *o++ = s[i]; break;
		}
	}
	*o = '\0';
	return out;
}

static xb_code set_mod(xb_gomod *m, char **fld, size_t nf)
{
	m->path = strdup(nf > 1 ? fld[1] : "");
	m->version = strdup(nf > 2 ? fld[2] : "");
	m->sum = strdup(nf > 3 ? fld[3] : "");
	/* a NULL path would read as "not recorded" */
	return m->path && m->version && m->sum ? XB_OK : XB_ERR_NOMEM;
}

static xb_code add_setting(xb_goinfo *g, const char *kv, size_t n)
{
	size_t keyend;
	char *key, *val;
	xb_code rc;

	if (n && kv[0] == '"') {
		/* a quoted key: find its closing quote */
		keyend = 1;
		while (keyend < n && kv[keyend] != '"')
			keyend += kv[keyend] == '\\' ? 2 : 1;
		keyend = keyend < n ? keyend + 1 : n;
	} else {
		const char *eq = memchr(kv, '=', n);
		keyend = eq ? (size_t)(eq - kv) : n;
	}
	key = unquote(kv, keyend);
	val = keyend < n ? unquote(kv + keyend + 1, n - keyend - 1) : strdup("");
	rc = key && val ? xb_strv_pushf(&g->settings, "%s=%s", key, val) : XB_ERR_NOMEM;
	free(key);
	free(val);
	return rc;
}

xb_code xb_goinfo_parse_mod(xb_goinfo *g, const char *mod, size_t len)
{
	const char *p, *end;
	xb_code rc = XB_OK;

	/* 16-byte sentinels around the text */
	if (len >= 33 && mod[len - 17] == '\n') {
		mod += 16;
		len -= 32;
	}
	p = mod;
	end = mod + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		char *line = strndup(p, (size_t)(le - p)), *fld[5], *save = NULL;
		size_t nf = 0;

		if (!line)
			return XB_ERR_NOMEM;
		if (!strncmp(line, "build\t", 6)) {
			if (g->settings.n < MAX_DEPS && add_setting(g, line + 6, strlen(line + 6))) {
				free(line);
				return XB_ERR_NOMEM;
			}
			free(line);
			p = le + 1;
			continue;
		}
		for (char *t = strtok_r(line, "\t", &save); t && nf < 5;
		     t = strtok_r(NULL, "\t", &save))
			fld[nf++] = t;
		if (nf >= 2 && !strcmp(fld[0], "path") && !g->path) {
			if (!(g->path = strdup(fld[1])))
				rc = XB_ERR_NOMEM;
		} else if (nf >= 2 && !strcmp(fld[0], "mod") && !g->main.path) {
			rc = set_mod(&g->main, fld, nf);
		} else if (nf >= 2 && !strcmp(fld[0], "dep") && g->ndeps < MAX_DEPS) {
			xb_gomod *d = realloc(g->deps, (g->ndeps + 1) * sizeof(*d));

			if (!d) {
				free(line);
				return XB_ERR_NOMEM;
			}
			g->deps = d;
			memset(&d[g->ndeps], 0, sizeof(*d));
			rc = set_mod(&d[g->ndeps++], fld, nf);
		} else if (nf >= 2 && !strcmp(fld[0], "=>")) {
			xb_gomod *m = g->ndeps ? &g->deps[g->ndeps - 1]
					       : g->main.path ? &g->main : NULL;
			if (m && !m->replace) {
				size_t n = strlen(fld[1]) + (nf > 2 ? strlen(fld[2]) : 0) + 2;

				m->replace = malloc(n);
				if (m->replace)
					snprintf(m->replace, n, "%s%s%s", fld[1],
						 nf > 2 ? " " : "", nf > 2 ? fld[2] : "");
				else
					rc = XB_ERR_NOMEM;
				if (nf > 3 && *fld[3] &&
				    !(m->replace_sum = strdup(fld[3])))
					rc = XB_ERR_NOMEM;
			}
		}
		free(line);
		if (rc)
			return rc;
		p = le + 1;
	}
	return XB_OK;
}

char *xb_go_buildid_text(const xb_src *s, uint64_t off, uint64_t len)
{
	/* at the very start on most targets; after a few thunks on 386, so
	 * look through the first 4 KiB as `go tool buildid` does */
	static const char pre[] = "\xff Go build ID: \"";
	const size_t plen = sizeof(pre) - 1;
	unsigned char buf[4096];
	size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);
	const unsigned char *p, *q;

	if (off < s->size && n > s->size - off)
		n = (size_t)(s->size - off);
	if (n < plen || xb_src_read(s, off, buf, n))
		return NULL;
	p = memmem(buf, n, pre, plen);
	if (!p)
		return NULL;
	p += plen;
	q = memchr(p, '"', n - (size_t)(p - buf));
	if (!q)
		return NULL;
	return strndup((const char *)p, (size_t)(q - p));
}
