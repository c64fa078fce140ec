/* elf-dyn.c: ELF facts from the dynamic segment: the needed libraries,
 * soname and search paths, the glibc versions needed, and whether the
 * stack protector is imported.  Every address goes through the load map
 * and every string through a bounded read of DT_STRTAB. */
#include <stdlib.h>
#include <string.h>

#include "elf-int.h"

/* ---- address mapping ---------------------------------------------------- */

/* File offset of vaddr, with at least *avail bytes of file behind it. */
static bool v2off(const elf *e, uint64_t va, uint64_t *off, uint64_t *avail)
{
	for (size_t i = 0; i < e->nloads; i++) {
		const xb_vseg *l = &e->loads[i];

		if (va >= l->vaddr && va - l->vaddr < l->filesz) {
			*off = l->off + (va - l->vaddr);
			*avail = l->filesz - (va - l->vaddr);
			return true;
		}
	}
	return false;
}

/* ---- the dynamic segment ------------------------------------------------ */

void xb_elf_read_dynamic(elf *e, const phdr *d)
{
	size_t esz = e->is64 ? 16 : 8;
	const unsigned char *buf;
	unsigned char *own;
	uint64_t n = d->filesz;
	bool end = false;

	if (n > MAX_DYN) {
		xb_facts_problem(e->f, "dynamic segment of %llu bytes (more than %u)",
				 (unsigned long long)n, MAX_DYN);
		n = MAX_DYN;
	}
	if (!(buf = xb_src_view(e->s, d->off, n, MAX_DYN, &own))) {
		xb_facts_problem(e->f, "dynamic segment at %llu (%llu bytes) past the end of the file",
				 (unsigned long long)d->off, (unsigned long long)d->filesz);
		return;
	}
	for (uint64_t o = 0; o + esz <= n; o += esz) {
		uint64_t tag = e->is64 ? g64(e, buf + o) : g32(e, buf + o);
		uint64_t val = gaddr(e, buf + o + esz / 2);

		switch (tag) {
		case DT_NULL: end = true; break;
		case DT_NEEDED:
			if (e->nneeded < MAX_NEEDED)
				e->needed_off[e->nneeded++] = val;
			else if (e->nneeded++ == MAX_NEEDED)
				xb_facts_problem(e->f, "more than %d needed libraries", MAX_NEEDED);
			break;
		case DT_STRTAB: e->strtab = val; e->has_strtab = true; break;
		case DT_STRSZ: e->strsz = val; e->has_strsz = true; break;
		case DT_SONAME: e->soname_off = val; e->has_soname = true; break;
		case DT_RPATH: e->rpath_off = val; e->has_rpath = true; break;
		case DT_RUNPATH: e->runpath_off = val; e->has_runpath = true; break;
		case DT_TEXTREL: e->textrel_tag = true; break;
		case DT_DEBUG: e->debug_tag = true; break;
		case DT_BIND_NOW: e->bind_now_tag = true; break;
		case DT_FLAGS: e->flags = val; break;
		case DT_FLAGS_1: e->flags1 = val; break;
		case DT_VERNEED: e->verneed = val; e->has_verneed = true; break;
		case DT_VERNEEDNUM: e->verneednum = val; break;
		case DT_SYMTAB: e->symtab_va = val; e->has_symtab_va = true; break;
		case DT_GNU_HASH: e->gnu_hash = val; e->has_gnu_hash = true; break;
		default: break;
		}
		if (end)
			break;
	}
	free(own);
	if (!end)
		xb_facts_problem(e->f, "dynamic segment has no DT_NULL terminator");
	e->dyn_ok = true;
}

/* The string at off of DT_STRTAB, at most *np bytes, into e->strbuf
 * (NUL-terminated): a short first read, which holds most names and costs
 * no syscall through the source's cache, and the rest only when no NUL
 * is in it; *np becomes the bytes read. */
static bool strbuf_read(elf *e, uint64_t off, size_t *np)
{
	size_t n = *np;
	size_t k = n < STR_FIRST ? n : STR_FIRST;

	if (xb_src_read(e->s, e->dynstr_off + off, e->strbuf, k))
		return false;
	if (k < n && !memchr(e->strbuf, '\0', k)) {
		if (xb_src_read(e->s, e->dynstr_off + off + k, e->strbuf + k, n - k))
			return false;
		k = n;
	}
	e->strbuf[k] = '\0';
	*np = k;
	return true;
}

/* len bytes at off of DT_STRTAB (off + len <= strsz) into buf: from the
 * copy when it is held, else from the file. */
static bool dynstr_get(elf *e, uint64_t off, void *buf, size_t len)
{
	if (e->dynstr) {
		memcpy(buf, e->dynstr + off, len);
		return true;
	}
	return !xb_src_read(e->s, e->dynstr_off + off, buf, len);
}

/* A string of the dynamic string table, or NULL (and a problem).  A
 * string of a small table runs to the table's end; one of a big table
 * (more than DYNSTR_WHOLE bytes, not held) is at most sizeof(strbuf) - 1
 * bytes, read into e->strbuf, valid until the next call. */
static const char *dynstr_at(elf *e, uint64_t off, const char *what)
{
	const char *p;
	size_t n;

	if (!e->dynstr_ok)
		return NULL;
	if (off >= e->strsz) {
		xb_facts_problem(e->f, "%s string at %llu outside DT_STRTAB (%llu bytes)", what,
				 (unsigned long long)off, (unsigned long long)e->strsz);
		return NULL;
	}
	/* a held small table: terminated when a NUL follows in the table,
	 * which its last NUL, found once, tells */
	if (e->dynstr && e->strsz <= DYNSTR_WHOLE) {
		if (!e->dynstr_scanned) {
			const char *z = memrchr(e->dynstr, '\0', (size_t)e->strsz);

			e->dynstr_names = z ? (uint64_t)(z - e->dynstr) + 1 : 0;
			e->dynstr_scanned = true;
		}
		if (off < e->dynstr_names)
			return e->dynstr + off;
	}
	n = e->strsz - off < sizeof(e->strbuf) - 1 ? (size_t)(e->strsz - off)
						   : sizeof(e->strbuf) - 1;
	if (e->dynstr) {
		p = e->dynstr + off;
		if (e->strsz <= DYNSTR_WHOLE)
			n = (size_t)(e->strsz - off);
	} else if (!strbuf_read(e, off, &n)) {
		xb_facts_problem(e->f, "dynamic string table past the end of the file");
		return NULL;
	} else {
		p = e->strbuf;
	}
	if (!memchr(p, '\0', n)) {
		xb_facts_problem(e->f, "%s string at %llu runs off the end of DT_STRTAB%s", what,
				 (unsigned long long)off,
				 n == e->strsz - off ? "" : " or is too long");
		return NULL;
	}
	return p;
}

static void read_dynstr(elf *e)
{
	uint64_t off, avail;
	unsigned char *p;
	xb_code rc;

	if (!e->has_strtab || !e->has_strsz) {
		if (e->nneeded || e->has_soname || e->has_rpath || e->has_runpath)
			xb_facts_problem(e->f, "dynamic segment names libraries but has no %s",
					 e->has_strtab ? "DT_STRSZ" : "DT_STRTAB");
		return;
	}
	if (!v2off(e, e->strtab, &off, &avail)) {
		xb_facts_problem(e->f, "DT_STRTAB 0x%llx is not inside any PT_LOAD",
				 (unsigned long long)e->strtab);
		return;
	}
	if (e->strsz > avail) {
		xb_facts_problem(e->f, "DT_STRSZ %llu runs past its PT_LOAD",
				 (unsigned long long)e->strsz);
		return;
	}
	e->dynstr_off = off;
	e->dynstr_ok = true;
	if ((e->dynstr = (const char *)xb_src_pinned(e->s, off, e->strsz)))
		return;
	if (e->strsz > DYNSTR_WHOLE)
		return; /* read string by string */
	rc = xb_src_dup(e->s, off, e->strsz, MAX_DYNSTR, &p);
	if (rc) {
		xb_facts_problem(e->f, "dynamic string table past the end of the file");
		e->dynstr_ok = false;
		return;
	}
	e->dynstr = e->dynstr_own = (char *)p;
}

static char *dupstr(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* "GLIBC_2.34" -> keep the highest in e->glibc_best; ignore
 * GLIBC_PRIVATE and friends.  One pass checks the version (at most 15
 * digits and dots) and makes its key: a number that orders as
 * xb_version_cmp orders versions of at most 3 parts of at most 6 digits
 * (glibc's all), 0 for others, which are compared by xb_version_cmp. */
static void glibc_version(elf *e, const char *name)
{
	const char *v = name + 6;
	uint64_t key = 0, x = 0;
	int parts = 0, digits = 0;
	bool keyed = true;
	size_t n;

	if (name[0] != 'G' || name[1] != 'L' || name[2] != 'I' ||
	    name[3] != 'B' || name[4] != 'C' || name[5] != '_' ||
	    *v < '0' || *v > '9')
		return;
	for (n = 0;; n++) {
		char c = v[n];

		if (c && n == 15)
			return;
		if (c >= '0' && c <= '9') {
			x = x * 10 + (uint64_t)(c - '0');
			digits++;
			continue;
		}
		if (c && c != '.')
			return;
		if (!digits || digits > 6 || ++parts > 3)
			keyed = false;
		else
			key |= x << (20 * (3 - parts));
		x = 0;
		digits = 0;
		if (!c)
			break;
	}
	key = keyed ? key | (uint64_t)1 << 60 : 0;
	if (e->glibc_best[0] &&
	    (key && e->glibc_key ? key <= e->glibc_key
				 : xb_version_cmp(v, e->glibc_best) <= 0))
		return;
	memcpy(e->glibc_best, v, n + 1);
	e->glibc_key = key;
}

/* 16 bytes of the version needs at pos: in the chunk read first (clen
 * bytes at coff) when they are there, else read into tmp; NULL when they
 * cannot be read. */
static const unsigned char *verneed_at(elf *e, const unsigned char *chunk,
				       size_t clen, uint64_t coff, uint64_t pos,
				       unsigned char *tmp)
{
	if (pos >= coff && pos - coff <= clen && clen - (pos - coff) >= 16)
		return chunk + (pos - coff);
	return xb_src_read(e->s, pos, tmp, 16) ? NULL : tmp;
}

static void walk_verneed(elf *e)
{
	uint64_t off, avail, pos, held, walked = 0;
	unsigned char tmp[16], chunk[VERNEED_CHUNK];
	const unsigned char *vn, *va, *vchunk;
	size_t clen;

	if (!e->has_verneed || !e->dynstr_ok)
		return;
	if (!v2off(e, e->verneed, &off, &avail)) {
		xb_facts_problem(e->f, "DT_VERNEED 0x%llx is not inside any PT_LOAD",
				 (unsigned long long)e->verneed);
		return;
	}
	/* the entries most files have, in one read (none when the file
	 * shrank: then entry by entry, as the walk would anyway) */
	clen = avail < sizeof(chunk) ? (size_t)avail : sizeof(chunk);
	/* no more than a block holds, when it holds an entry: the bytes
	 * past it are no reason for a syscall */
	held = xb_src_held(e->s, off);
	if (held >= 16 && held < clen)
		clen = (size_t)held;
	if (!(vchunk = xb_src_pinned(e->s, off, clen))) {
		vchunk = chunk;
		if (xb_src_read(e->s, off, chunk, clen))
			clen = 0;
	}
	pos = off;
	for (uint64_t i = 0; i < e->verneednum || e->verneednum == 0; i++) {
		uint16_t cnt;
		uint32_t aux, next;
		uint64_t apos;

		if (++walked > MAX_VERNEED ||
		    !(vn = verneed_at(e, vchunk, clen, off, pos, tmp))) {
			xb_facts_problem(e->f, "version needs at %llu are truncated or endless",
					 (unsigned long long)pos);
			return;
		}
		cnt = g16(e, vn + 2);
		aux = g32(e, vn + 8);
		next = g32(e, vn + 12);
		apos = pos + aux;
		for (uint16_t k = 0; k < cnt; k++) {
			uint32_t name, anext;
			const char *s;

			if (++walked > MAX_VERNEED || apos < pos ||
			    !(va = verneed_at(e, vchunk, clen, off, apos, tmp))) {
				xb_facts_problem(e->f, "version need entries at %llu are truncated or endless",
						 (unsigned long long)apos);
				return;
			}
			name = g32(e, va + 8);
			anext = g32(e, va + 12);
			if ((s = dynstr_at(e, name, "version")))
				glibc_version(e, s);
			if (anext == 0)
				break;
			apos += anext;
		}
		if (next == 0)
			break;
		pos += next;
	}
}

static void read_verneed(elf *e)
{
	walk_verneed(e);
	if (e->glibc_best[0])
		e->f->glibc_max = strdup(e->glibc_best);
}

/* The tables read next lie together after the dynamic symbols: the
 * string table and the version needs, and the GNU hash table before
 * them, through which a big string table's imports are looked up.  When
 * they lie within TABLES_SPAN bytes (the hash table only when it keeps
 * them so), one read for all, kept: the string table is then held
 * whatever its size, without a copy; a small string table and the
 * version needs also when further apart (up to XB_SRC_SPAN).  Else a big
 * table's strings are read where they are, a page at a time: most of
 * such a span is what none of these reads (the exports' symbols and
 * names), and copying it costs more than the reads it saves. */
static void hint_tables(elf *e)
{
	uint64_t lo, hi, off, avail;

	if (!e->has_strtab || !e->has_strsz || !v2off(e, e->strtab, &lo, &avail) ||
	    e->strsz > avail)
		return;
	hi = lo + e->strsz;
	if (e->has_verneed && v2off(e, e->verneed, &off, &avail)) {
		lo = off < lo ? off : lo;
		off += avail < VERNEED_CHUNK ? avail : VERNEED_CHUNK;
		hi = off > hi ? off : hi;
	}
	/* (the GNU hash table before them: only what a big table's
	 * imports are looked up through) */
	if (e->strsz > DYNSTR_WHOLE && e->has_gnu_hash &&
	    v2off(e, e->gnu_hash, &off, &avail) && off < lo && hi - off <= TABLES_SPAN)
		lo = off;
	if (hi > lo && (hi - lo <= TABLES_SPAN ||
			(e->strsz <= DYNSTR_WHOLE && hi - lo <= XB_SRC_SPAN)))
		xb_src_hint(e->s, lo, hi - lo, true);
}

/* The strings the dynamic segment points at: needed libraries, soname,
 * search paths and the glibc versions needed. */
void xb_elf_dyn_strings(elf *e)
{
	xb_facts *f = e->f;
	const char *str;

	hint_tables(e);
	read_dynstr(e);
	for (size_t i = 0; i < e->nneeded && i < MAX_NEEDED; i++)
		if ((str = dynstr_at(e, e->needed_off[i], "DT_NEEDED")))
			xb_strv_push(&f->needed, str);
	if (e->has_soname)
		f->soname = dupstr(dynstr_at(e, e->soname_off, "DT_SONAME"));
	if (e->has_rpath)
		f->rpath = dupstr(dynstr_at(e, e->rpath_off, "DT_RPATH"));
	if (e->has_runpath)
		f->runpath = dupstr(dynstr_at(e, e->runpath_off, "DT_RUNPATH"));
	read_verneed(e);
}

/* Does the string table hold a string starting "__stack_chk_" (fail,
 * fail_local, guard)?  One pass over the table for its rarest letter,
 * the 'k' of "chk": every such string has one 10 bytes in. */
static bool strtab_has_chk(const char *tab, uint64_t len)
{
	static const char pre[] = "__stack_chk_";
	const size_t n = sizeof(pre) - 1, k = 10; /* pre[k] == 'k' */
	const char *p, *end = tab + len;

	if (len < n)
		return false;
	for (p = tab + k; p < end && (p = memchr(p, 'k', (size_t)(end - p))); p++) {
		const char *m = p - k;

		if ((size_t)(end - m) >= n && !memcmp(m, pre, n) &&
		    (m == tab || m[-1] == '\0'))
			return true;
	}
	return false;
}

/* Does the bloom filter of the GNU hash table at hoff, of bloom words
 * (a power of two, as the loader assumes; else no answer), shifted by
 * shift, say hash may be defined?  The loader's first step: one word,
 * where the chains would cost three reads or more. */
static bool gnu_bloom_may(elf *e, uint64_t hoff, uint32_t bloom, uint32_t shift,
			  uint32_t hash)
{
	unsigned bits = e->is64 ? 64 : 32;
	unsigned char w[8];
	uint64_t word;

	if (!bloom || (bloom & (bloom - 1)) ||
	    xb_src_read(e->s, hoff + 16 + (uint64_t)((hash / bits) & (bloom - 1)) * (bits / 8),
			w, bits / 8))
		return true;
	word = e->is64 ? g64(e, w) : g32(e, w);
	return (word >> (hash % bits) & 1) && (word >> ((hash >> (shift & 31)) % bits) & 1);
}

/* Does the GNU hash table hold (define) name?  The loader's lookup. */
static bool gnu_defines(elf *e, uint64_t hoff, uint64_t soff, uint64_t savail,
			const char *name)
{
	size_t esz = e->is64 ? 24 : 16, len = strlen(name) + 1;
	unsigned char h[16], w[4];
	uint32_t nbuckets, symoffset, bloom, hash = 5381, idx;
	uint64_t buckets, chain;
	char buf[64];

	for (const char *c = name; *c; c++)
		hash = hash * 33 + (unsigned char)*c;
	if (len > sizeof(buf) || xb_src_read(e->s, hoff, h, 16))
		return false;
	nbuckets = g32(e, h);
	symoffset = g32(e, h + 4);
	bloom = g32(e, h + 8);
	if (!nbuckets || nbuckets > (1u << 24) || bloom > (1u << 24) ||
	    !gnu_bloom_may(e, hoff, bloom, g32(e, h + 12), hash))
		return false;
	buckets = hoff + 16 + (uint64_t)bloom * (e->is64 ? 8 : 4);
	chain = buckets + (uint64_t)nbuckets * 4;
	if (xb_src_read(e->s, buckets + (uint64_t)(hash % nbuckets) * 4, w, 4))
		return false;
	idx = g32(e, w);
	for (int i = 0; idx >= symoffset && idx != 0 && i < 4096; i++, idx++) {
		uint32_t hv, st_name;

		if (xb_src_read(e->s, chain + (uint64_t)(idx - symoffset) * 4, w, 4))
			return false;
		hv = g32(e, w);
		if ((hv | 1) == (hash | 1) && (uint64_t)idx * esz + esz <= savail &&
		    !xb_src_read(e->s, soff + (uint64_t)idx * esz, w, 4)) {
			st_name = g32(e, w);
			if (st_name < e->strsz && e->strsz - st_name >= len &&
			    dynstr_get(e, st_name, buf, len) &&
			    !memcmp(buf, name, len))
				return true;
		}
		if (hv & 1)
			break;
	}
	return false;
}

/* Is the name at off of a big table that is not held "__stack_chk_*"? */
static bool name_chk(elf *e, uint32_t off)
{
	static const char pre[] = "__stack_chk_";
	char buf[sizeof(pre)];

	return dynstr_get(e, off, buf, sizeof(pre) - 1) &&
	       !memcmp(buf, pre, sizeof(pre) - 1);
}

/* Read the names sorted[i..k) of a big table that is not held, from the
 * page of the first on: the pages that hold them, with no more than a
 * page between two (what is copied costs more than a read), in at most
 * *win bytes, which doubles each time (most tables list the imports'
 * names first: a short first read often finds the one looked for).
 * What cannot be read so is read name by name through the cache. */
static void names_window(elf *e, const uint32_t *sorted, uint32_t i,
			 uint32_t k, uint64_t *win)
{
	const uint64_t page = 1u << NAME_PAGE_BITS;
	uint64_t at = sorted[i] & ~(page - 1), end = sorted[i] + 16;

	for (uint32_t j = i; j < k; j++) {
		uint64_t pend = (sorted[j] & ~(page - 1)) + page;

		if (pend - at > *win || (sorted[j] & ~(page - 1)) > end + page)
			break;
		end = pend > end ? pend : end;
	}
	if (end > e->strsz)
		end = e->strsz;
	xb_src_hint(e->s, e->dynstr_off + at, end - at, false);
	if (*win < XB_SRC_SPAN / 2)
		*win *= 2;
}

/* Is one of the names sorted[0..k) of a big table that is not held
 * "__stack_chk_*"?  Each looked at in place, in the block or span that
 * holds it (read by names_window when none does), else read through the
 * cache. */
static bool names_scan(elf *e, const uint32_t *sorted, uint32_t k)
{
	static const char pre[] = "__stack_chk_";
	const size_t n = sizeof(pre) - 1;
	uint64_t win = 2u << NAME_PAGE_BITS, from = 1, to = 0, o;
	const unsigned char *held = NULL, *p;
	unsigned char *own;
	bool windows = true;

	for (uint32_t i = 0; i < k; i++) {
		o = sorted[i];
		/* [from, to) is what the source held last, at held (valid
		 * until the next read, which only a new window makes) */
		if (windows && (o < from || o > to || to - o < n)) {
			if (xb_src_held(e->s, e->dynstr_off + o) < n)
				names_window(e, sorted, i, k, &win);
			from = o;
			to = o + xb_src_held(e->s, e->dynstr_off + o);
			/* a window not read (no memory, the file shrank):
			 * the rest name by name, not a window each */
			windows = to - o >= n;
			own = NULL;
			held = to - o < n ? NULL :
			       xb_src_view(e->s, e->dynstr_off + o, to - o, to - o, &own);
			if (!held || own) {
				free(own);
				held = NULL;
				to = 0;
			}
		}
		if (!held) {
			if (name_chk(e, (uint32_t)o))
				return true;
			continue;
		}
		p = held + (o - from);
		if (p[0] == '_' && p[1] == '_' && p[2] == 's' && !memcmp(p, pre, n))
			return true;
	}
	return false;
}

/* Does one of the n - 1 imports syms[1..n) have a "__stack_chk_" name?
 * In a held table the names are looked at in place; in a big one that is
 * not, they are read in the order of their pages (a counting sort), a
 * run of pages at a time (names_window), so that each page is read
 * once. */
static bool names_chk(elf *e, const unsigned char *syms, uint32_t n, size_t esz)
{
	static const char pre[] = "__stack_chk_";
	uint32_t *off = NULL, *at = NULL, nb = 0, k = 0;
	bool found = false;

	/* (a table of up to 2 GiB: the pages' counts are an array) */
	if (!e->dynstr && e->strsz >> NAME_PAGE_BITS < (1u << 20)) {
		nb = (uint32_t)(e->strsz >> NAME_PAGE_BITS) + 1;
		off = malloc(((size_t)n * 2 + nb + 1) * sizeof(*off));
		at = off ? off + n : NULL;
		if (at)
			memset(at, 0, ((size_t)nb + 1) * sizeof(*at));
	}
	for (uint32_t i = 1; i < n && !found; i++) {
		const unsigned char *sym = syms + (size_t)i * esz;
		uint32_t name = g32(e, sym);

		/* st_shndx: defined, not an import */
		if (g16(e, sym + (esz == 24 ? 6 : 14)) != 0 || name >= e->strsz ||
		    e->strsz - name < sizeof(pre) - 1)
			continue;
		if (e->dynstr) {
			/* in place, the first letters before the call */
			const char *p = e->dynstr + name;

			found = p[0] == '_' && p[1] == '_' && p[2] == 's' &&
				!memcmp(p, pre, sizeof(pre) - 1);
		} else if (off) {
			off[k++] = name;
			at[(name >> NAME_PAGE_BITS) + 1]++;
		} else {
			found = name_chk(e, name);
		}
	}
	/* (syms may be the source's: no longer read from here on) */
	if (off && !found) {
		uint32_t *sorted = at + nb + 1;

		for (uint32_t b = 1; b <= nb; b++)
			at[b] += at[b - 1];
		for (uint32_t i = 0; i < k; i++)
			sorted[at[off[i] >> NAME_PAGE_BITS]++] = off[i];
		found = names_scan(e, sorted, k);
	}
	free(off);
	return found;
}

/* Is "__stack_chk_*" among the undefined dynamic symbols?  With GNU hash,
 * the unhashed symbols before symoffset are the imports: their names are
 * read one by one instead of the whole string table. */
static int imports_chk(elf *e)
{
	size_t esz = e->is64 ? 24 : 16;
	const unsigned char *syms;
	unsigned char h[8], *own = NULL;
	uint64_t hoff, soff, avail;
	uint32_t symoffset;
	int found = 0;

	if (!e->has_gnu_hash || !e->has_symtab_va ||
	    !v2off(e, e->gnu_hash, &hoff, &avail) || avail < 8 ||
	    xb_src_read(e->s, hoff, h, 8) ||
	    !v2off(e, e->symtab_va, &soff, &avail))
		return XB_NA;
	symoffset = g32(e, h + 4);
	if (symoffset > MAX_IMPORTS || (uint64_t)symoffset * esz > avail)
		return XB_NA;
	/* (held where it stays while the names are read, or a copy) */
	if (!(syms = xb_src_pinned(e->s, soff, (uint64_t)symoffset * esz)) &&
	    xb_src_dup(e->s, soff, (uint64_t)symoffset * esz, (uint64_t)MAX_IMPORTS * 24, &own))
		return XB_NA;
	if (!syms)
		syms = own;
	found = names_chk(e, syms, symoffset, esz);
	free(own);
	/* a library that defines it (libc) counts, as in a whole-table scan */
	if (!found)
		found = gnu_defines(e, hoff, soff, avail, "__stack_chk_fail") ||
			gnu_defines(e, hoff, soff, avail, "__stack_chk_guard");
	return found;
}

int xb_elf_stack_protector(elf *e)
{
	/* a small table is scanned whole; a big one is searched for the
	 * imports and definitions, and scanned whole without a GNU hash */
	bool small = e->strsz <= DYNSTR_WHOLE;
	unsigned char *p;
	int found;

	if (e->dynstr && small && strtab_has_chk(e->dynstr, e->strsz))
		return 1;
	if (e->dynstr_ok && !small) {
		found = imports_chk(e);
		if (found != XB_NA)
			return found;
		/* no GNU hash: scan the whole table after all */
		if (e->dynstr && strtab_has_chk(e->dynstr, e->strsz))
			return 1;
		if (!e->dynstr &&
		    !xb_src_dup(e->s, e->dynstr_off, e->strsz, MAX_DYNSTR, &p)) {
			found = strtab_has_chk((char *)p, e->strsz);
			free(p);
			if (found)
				return 1;
		}
	}
	if (!e->has_symtab || !e->symtab_strtab_size)
		return e->dynstr_ok ? 0 : XB_NA;
	if (xb_src_dup(e->s, e->symtab_strtab_off, e->symtab_strtab_size,
		       MAX_STRTAB_SCAN, &p))
		return XB_NA;
	found = strtab_has_chk((char *)p, e->symtab_strtab_size);
	free(p);
	return found;
}
