/* macho.c: Mach-O facts (thin and fat, every slice) from the header and the
 * load commands; Go build info from __go_buildinfo or the RW segment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin.h"

#define MAX_CMDS 8192
#define MAX_SIZEOFCMDS (16u << 20)
#define MAX_FAT 64
#define MAX_SEGS 256

#define LC_LOAD_WEAK_DYLIB 0x80000018u
#define LC_RPATH 0x8000001cu
#define LC_REEXPORT_DYLIB 0x8000001fu
#define LC_LOAD_UPWARD_DYLIB 0x80000023u

enum {
	LC_SEGMENT = 0x1, LC_SYMTAB = 0x2, LC_UNIXTHREAD = 0x5,
	LC_LOAD_DYLIB = 0xc, LC_ID_DYLIB = 0xd, LC_LOAD_DYLINKER = 0xe,
	LC_SEGMENT_64 = 0x19, LC_UUID = 0x1b, LC_LAZY_LOAD_DYLIB = 0x20,
	LC_VERSION_MIN_MACOSX = 0x24, LC_BUILD_VERSION = 0x32,
	MH_OBJECT = 1, MH_EXECUTE = 2, MH_CORE = 4, MH_DYLIB = 6,
	MH_BUNDLE = 8, MH_PIE = 0x200000, MH_ALLOW_STACK_EXECUTION = 0x20000,
	VM_PROT_W = 2, VM_PROT_X = 4,
};

typedef struct macho {
	const xb_src *s;
	xb_facts *f;
	bool be, is64;
	xb_vseg segs[MAX_SEGS];
	uint32_t prot[MAX_SEGS], maxprot[MAX_SEGS];
	size_t nsegs;
	bool have_bi, have_text;
	uint64_t bi_off, bi_size, bi_addr, text_off, text_size;
	bool symbols;
} macho;

static uint32_t g32(const macho *m, const unsigned char *p)
{
	return m->be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			       (uint32_t)p[2] << 8 | p[3]
		     : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[1] << 8 | p[0];
}

static uint64_t g64(const macho *m, const unsigned char *p)
{
	uint64_t a = g32(m, p), b = g32(m, p + 4);
	return m->be ? a << 32 | b : b << 32 | a;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set_cpu(xb_facts *f, uint32_t cpu)
{
	f->machine = cpu;
	switch (cpu) {
	case 0x01000007: f->arch = "amd64"; f->machine_name = "x86_64"; break;
	case 7: f->arch = "386"; f->machine_name = "i386"; break;
	case 0x0100000c: f->arch = "arm64"; f->machine_name = "arm64"; break;
	case 0x0200000c: f->arch = NULL; f->machine_name = "arm64_32"; break;
	case 12: f->arch = "arm"; f->machine_name = "arm"; break;
	case 18: f->arch = NULL; f->machine_name = "ppc"; break;
	case 0x01000012: f->arch = "ppc64"; f->machine_name = "ppc64"; break;
	default:
		/* a fat slice was named from the fat header first: its own
		 * header wins, arch too */
		f->arch = NULL;
		f->machine_name = NULL;
		xb_facts_problem(f, "unknown Mach-O cpu type 0x%x", cpu);
	}
}

/* The lc_str at offset o of a command of size n: a NUL within the command. */
/* "11.0", "10.13.2" from a packed xxxx.yy.zz version */
static char *os_version(uint32_t v)
{
	char b[32];

	if (v & 0xff)
		snprintf(b, sizeof(b), "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
	else
		snprintf(b, sizeof(b), "%u.%u", v >> 16, (v >> 8) & 0xff);
	return strdup(b);
}

static char *lc_str(macho *m, const unsigned char *c, uint32_t n, uint32_t o,
		    const char *what)
{
	const unsigned char *z;

	if (o < 8 || o >= n || !(z = memchr(c + o, '\0', n - o))) {
		xb_facts_problem(m->f, "%s name at %u outside its load command (%u bytes)",
				 what, o, n);
		return NULL;
	}
	return strndup((const char *)c + o, (size_t)(z - (c + o)));
}

static void section(macho *m, const unsigned char *p)
{
	char sect[17] = { 0 }, seg[17] = { 0 };
	uint64_t addr, size, off;

	memcpy(sect, p, 16);
	memcpy(seg, p + 16, 16);
	if (m->is64) {
		addr = g64(m, p + 32);
		size = g64(m, p + 40);
		off = g32(m, p + 48);
	} else {
		addr = g32(m, p + 32);
		size = g32(m, p + 36);
		off = g32(m, p + 40);
	}
	if (!strncmp(sect, "__debug_", 8) || !strncmp(sect, "__zdebug_", 9)) {
		m->f->debug_info = true;
		if (sect[2] == 'z')
			m->f->debug_compressed = true;
	}
	if (!strcmp(sect, "__go_buildinfo")) {
		m->have_bi = true;
		m->bi_off = off;
		m->bi_size = size;
		m->bi_addr = addr;
	}
	if (!strcmp(sect, "__text") && !strcmp(seg, "__TEXT")) {
		m->have_text = true;
		m->text_off = off;
		m->text_size = size;
	}
}

static void segment(macho *m, const unsigned char *c, uint32_t n)
{
	size_t hdr = m->is64 ? 72 : 56, ssz = m->is64 ? 80 : 68;
	uint64_t vaddr, fileoff, filesz;
	uint32_t nsects, maxprot, prot;

	if (n < hdr) {
		xb_facts_problem(m->f, "segment command of %u bytes (expected at least %zu)", n, hdr);
		return;
	}
	if (m->is64) {
		vaddr = g64(m, c + 24);
		fileoff = g64(m, c + 40);
		filesz = g64(m, c + 48);
		maxprot = g32(m, c + 56);
		prot = g32(m, c + 60);
		nsects = g32(m, c + 64);
	} else {
		vaddr = g32(m, c + 24);
		fileoff = g32(m, c + 32);
		filesz = g32(m, c + 36);
		maxprot = g32(m, c + 40);
		prot = g32(m, c + 44);
		nsects = g32(m, c + 48);
	}
	if (nsects > (n - hdr) / ssz) {
		xb_facts_problem(m->f, "segment claims %u sections, its command holds %zu",
				 nsects, (n - hdr) / ssz);
		nsects = (uint32_t)((n - hdr) / ssz);
	}
	for (uint32_t i = 0; i < nsects; i++)
		section(m, c + hdr + i * ssz);
	if (filesz && !xb_src_has(m->s, fileoff, filesz)) {
		xb_facts_problem(m->f, "segment at %llu (%llu bytes) runs past the end of the file",
				 (unsigned long long)fileoff, (unsigned long long)filesz);
		return;
	}
	if (m->nsegs < MAX_SEGS && filesz) {
		m->segs[m->nsegs] = (xb_vseg){ vaddr, fileoff, filesz };
		m->prot[m->nsegs] = prot;
		m->maxprot[m->nsegs++] = maxprot;
	}
}

/* What the Mach-O header says about the load commands after it. */
typedef struct mhdr {
	uint32_t ncmds, sizeofcmds, flags;
	size_t hsz;
} mhdr;

static xb_code read_header(macho *m, mhdr *x, xb_err *err)
{
	xb_facts *f = m->f;
	unsigned char h[32];
	uint32_t magic, filetype;

	if (xb_src_read(m->s, 0, h, 28))
		return xb_fail(err, XB_ERR_FORMAT, "truncated Mach-O header");
	magic = be32(h);
	m->be = magic == 0xfeedface || magic == 0xfeedfacf;
	m->is64 = magic == 0xfeedfacf || magic == 0xcffaedfe;
	if (!m->be && magic != 0xcefaedfe && magic != 0xcffaedfe)
		return xb_fail(err, XB_ERR_FORMAT, "bad Mach-O magic 0x%08x", magic);
	x->hsz = m->is64 ? 32 : 28;
	f->bits = m->is64 ? 64 : 32;
	f->endian = m->be ? "big" : "little";
	set_cpu(f, g32(m, h + 4));
	if (f->arch && !xb_goarch_fits(f->arch, f->bits, m->be))
		f->arch = NULL;
	filetype = g32(m, h + 12);
	x->ncmds = g32(m, h + 16);
	x->sizeofcmds = g32(m, h + 20);
	x->flags = g32(m, h + 24);
	switch (filetype) {
	case MH_EXECUTE: f->type = x->flags & MH_PIE ? "pie" : "exec"; break;
	case MH_DYLIB:
	case MH_BUNDLE: f->type = "shared"; break;
	case MH_OBJECT: f->type = "relocatable"; break;
	case MH_CORE: f->type = "core"; break;
	default: xb_facts_problem(f, "unknown Mach-O file type %u", filetype);
	}
	return XB_OK;
}

/* One load command c of n bytes (at least 8, inside the commands). */
static void load_command(macho *m, const unsigned char *c, uint32_t n)
{
	xb_facts *f = m->f;
	uint32_t cmd = g32(m, c);

	switch (cmd) {
	case LC_SEGMENT:
	case LC_SEGMENT_64:
		if ((cmd == LC_SEGMENT_64) == m->is64)
			segment(m, c, n);
		break;
	case LC_SYMTAB:
		if (n >= 24)
			m->symbols |= g32(m, c + 12) > 0;
		break;
	case LC_LOAD_DYLINKER:
		if (n >= 12 && !f->interpreter)
			f->interpreter = lc_str(m, c, n, g32(m, c + 8), "dylinker");
		break;
	case LC_LOAD_DYLIB:
	case LC_LOAD_WEAK_DYLIB:
	case LC_REEXPORT_DYLIB:
	case LC_LAZY_LOAD_DYLIB:
	case LC_LOAD_UPWARD_DYLIB:
		if (n >= 12 && f->needed.n < 4096) {
			char *d = lc_str(m, c, n, g32(m, c + 8), "dylib");
			if (d)
				xb_strv_push(&f->needed, d);
			free(d);
		}
		break;
	case LC_ID_DYLIB:
		if (n >= 12 && !f->soname)
			f->soname = lc_str(m, c, n, g32(m, c + 8), "dylib id");
		break;
	case LC_RPATH:
		if (n >= 12 && !f->rpath)
			f->rpath = lc_str(m, c, n, g32(m, c + 8), "rpath");
		break;
	case LC_BUILD_VERSION:
		/* platform, then minos as xxxx.yy.zz */
		if (n >= 24 && !f->min_os)
			f->min_os = os_version(g32(m, c + 12));
		break;
	case LC_VERSION_MIN_MACOSX:
		if (n >= 16 && !f->min_os)
			f->min_os = os_version(g32(m, c + 8));
		break;
	case LC_UUID:
		if (n >= 24 && !f->uuid && (f->uuid = malloc(33)))
			xb_hex(c + 8, 16, f->uuid);
		break;
	default: break;
	}
}

/* The load commands; false when they cannot be read at all (a problem
 * says why, and there is nothing more to learn). */
static bool read_commands(macho *m, const mhdr *x)
{
	xb_facts *f = m->f;
	unsigned char *cmds = NULL;
	uint64_t pos = 0;

	if (x->ncmds > MAX_CMDS || x->sizeofcmds > MAX_SIZEOFCMDS) {
		xb_facts_problem(f, "%u load commands in %u bytes (too many)", x->ncmds, x->sizeofcmds);
		return false;
	}
	if (xb_src_dup(m->s, x->hsz, x->sizeofcmds, MAX_SIZEOFCMDS, &cmds)) {
		xb_facts_problem(f, "load commands (%u bytes) run past the end of the file", x->sizeofcmds);
		return false;
	}
	for (uint32_t i = 0; i < x->ncmds; i++) {
		const unsigned char *c = cmds + pos;
		uint32_t n;

		if (x->sizeofcmds - pos < 8) {
			xb_facts_problem(f, "load command %u past sizeofcmds", i);
			break;
		}
		n = g32(m, c + 4);
		if (n < 8 || n > x->sizeofcmds - pos || n % (m->is64 ? 8 : 4)) {
			xb_facts_problem(f, "load command %u has size %u (must be at least 8, aligned and inside sizeofcmds)",
					 i, n);
			break;
		}
		load_command(m, c, n);
		pos += n;
	}
	free(cmds);
	return true;
}

static void classify(const macho *m, uint32_t flags)
{
	xb_facts *f = m->f;

	f->stripped = !m->symbols && !f->debug_info;
	f->linkage = f->interpreter || f->needed.n ? "dynamic" : "static";
	if (!f->type || !strcmp(f->type, "relocatable") || !strcmp(f->type, "core"))
		f->linkage = NULL;
	f->libc = "none";
	for (size_t i = 0; i < f->needed.n; i++)
		if (strstr(f->needed.v[i], "libSystem"))
			f->libc = "libsystem";
	f->ld_preload = f->interpreter != NULL;
	f->pie = f->type && !strcmp(f->type, "pie") ? 1 :
		 f->type && !strcmp(f->type, "exec") ? 0 : XB_NA;
	f->nx_stack = !(flags & MH_ALLOW_STACK_EXECUTION);
}

/* The Go build id and build info: from __go_buildinfo, or else (with a
 * Go build id) from a segment that is writable and not executable. */
static xb_code read_go(const macho *m, xb_err *err)
{
	const xb_src *s = m->s;
	xb_facts *f = m->f;
	xb_goinfo *g;
	xb_err e2 = XB_ERR_INIT;
	xb_code rc = XB_ERR_NOTFOUND;

	if (m->have_text)
		f->go_build_id = xb_go_buildid_text(s, m->text_off, m->text_size);
	g = calloc(1, sizeof(*g));
	if (!g)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	xb_goinfo_init(g);
	if (m->have_bi)
		rc = xb_goinfo_read(s, m->bi_off, m->bi_size, m->bi_addr,
				    m->segs, m->nsegs, g, &e2);
	else if (f->go_build_id)
		for (size_t i = 0; i < m->nsegs && rc == XB_ERR_NOTFOUND; i++)
			if (m->prot[i] == m->maxprot[i] &&
			    (m->prot[i] & (VM_PROT_W | VM_PROT_X)) == VM_PROT_W)
				rc = xb_goinfo_read(s, m->segs[i].off, m->segs[i].filesz,
						    m->segs[i].vaddr, m->segs, m->nsegs, g, &e2);
	/* Go's linker: no lazy binding or canary to speak of */
	if (xb_facts_take_go(f, g, rc, &e2))
		f->go_internal_link = true;
	return XB_OK;
}

static xb_code thin(const xb_src *s, xb_facts *f, xb_err *err)
{
	xb_code rc;
	mhdr x = { 0 };
	macho m;

	memset(&m, 0, sizeof(m));
	m.s = s;
	m.f = f;
	f->format = "macho";
	f->size = s->size;
	if ((rc = read_header(&m, &x, err)))
		return rc;
	if (!read_commands(&m, &x))
		return XB_OK;
	classify(&m, x.flags);
	return read_go(&m, err);
}

xb_code xb_macho_inspect(const xb_src *s, xb_facts *f, xb_err *err)
{
	unsigned char h[8];
	uint32_t magic, nfat;
	size_t esz;

	if (xb_src_read(s, 0, h, 8))
		return xb_fail(err, XB_ERR_FORMAT, "truncated Mach-O header");
	magic = be32(h);
	if (magic != 0xcafebabe && magic != 0xcafebabf)
		return thin(s, f, err);
	f->format = "macho-fat";
	f->size = s->size;
	nfat = be32(h + 4);
	/* 0xcafebabe is also a Java class; those have 45+ here */
	if (nfat == 0 || nfat > MAX_FAT)
		return xb_fail(err, XB_ERR_FORMAT, "fat header with %u architectures (expected 1 to %d; a Java class file?)",
			       nfat, MAX_FAT);
	esz = magic == 0xcafebabf ? 32 : 20;
	f->slices = calloc(nfat, sizeof(*f->slices));
	if (!f->slices)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	f->endian = "big";
	for (uint32_t i = 0; i < nfat; i++) {
		unsigned char a[32];
		uint64_t off, size;
		xb_facts *sl = &f->slices[i];
		xb_err e2 = XB_ERR_INIT;
		xb_src sub;

		xb_facts_init(sl);
		f->nslices++;
		if (xb_src_read(s, 8 + (uint64_t)i * esz, a, esz)) {
			xb_facts_problem(f, "fat header truncated at architecture %u", i);
			break;
		}
		if (esz == 20) {
			off = be32(a + 8);
			size = be32(a + 12);
		} else {
			off = (uint64_t)be32(a + 8) << 32 | be32(a + 12);
			size = (uint64_t)be32(a + 16) << 32 | be32(a + 20);
		}
		set_cpu(sl, be32(a));
		if (!xb_src_has(s, off, size) || off < 8) {
			xb_facts_problem(f, "slice %u at %llu (%llu bytes) is outside the file",
					 i, (unsigned long long)off, (unsigned long long)size);
			continue;
		}
		sub = *s;
		sub.base = s->base + off;
		sub.size = size;
		if (thin(&sub, sl, &e2))
			xb_facts_problem(f, "slice %u: %s", i, xb_errmsg(&e2));
		for (size_t k = 0; k < sl->problems.n; k++)
			xb_facts_problem(f, "slice %u: %s", i, sl->problems.v[k]);
	}
	/* the summary of a fat file: what every slice agrees on */
	if (f->nslices) {
		const xb_facts *a = &f->slices[0];

		f->type = a->type;
		f->linkage = a->linkage;
		for (size_t i = 1; i < f->nslices; i++) {
			if (f->type && (!f->slices[i].type || strcmp(f->type, f->slices[i].type)))
				f->type = NULL;
			if (f->linkage && (!f->slices[i].linkage ||
					   strcmp(f->linkage, f->slices[i].linkage)))
				f->linkage = NULL;
		}
	}
	return XB_OK;
}
