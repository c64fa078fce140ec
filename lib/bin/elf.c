/* elf.c: ELF facts from the headers, the sections, the notes and the Go
 * build info (the dynamic segment in elf-dyn.c), read with bounded preads.  Every
 * offset, size and count comes from a possibly hostile file: each is
 * range-checked without overflow and capped before anything is allocated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf-int.h"

#define MAX_PHDRS 4096
#define MAX_SHDRS 65536
#define MAX_SHSTRTAB (4u << 20)
#define MAX_NOTE_AREA (1u << 20)  /* bytes read of one note section */
#define MAX_NOTES 256
#define MAX_INTERP 4096
#define SHSTR_BEFORE 512u /* bytes read before the section headers */
#define DYN_GAP 3072u     /* bytes between the dynamic segment and them
			   * read rather than a read more */

static char *hex(const unsigned char *p, size_t n)
{
	char *s = malloc(2 * n + 1);

	if (s)
		xb_hex(p, n, s);
	return s;
}

/* ---- machine and ABI ---------------------------------------------------- */

static void set_machine(elf *e)
{
	xb_facts *f = e->f;
	char abi[96] = "";

	f->machine = e->machine;
	switch (e->machine) {
	case 3: f->arch = "386"; f->machine_name = "Intel 80386"; break;
	case 62: f->arch = "amd64"; f->machine_name = "x86-64"; break;
	case 40:
		f->arch = "arm";
		f->machine_name = "ARM";
		if ((e->eflags & 0xff000000) == 0x05000000)
			/* no float flag: the ABI is not recorded (Go's linker) */
			snprintf(abi, sizeof(abi), "eabi5%s",
				 e->eflags & 0x400 ? " hard-float" :
				 e->eflags & 0x200 ? " soft-float" : "");
		else if (e->eflags & 0xff000000)
			snprintf(abi, sizeof(abi), "eabi%u", e->eflags >> 24);
		else
			snprintf(abi, sizeof(abi), "oabi");
		break;
	case 183: f->arch = "arm64"; f->machine_name = "AArch64"; break;
	case 243:
		f->arch = e->is64 ? "riscv64" : NULL;
		f->machine_name = "RISC-V";
		{
			static const char *const fl[] = { "", "f", "d", "q" };

			snprintf(abi, sizeof(abi), "%s%s%s",
				 e->is64 ? "lp64" : "ilp32",
				 fl[(e->eflags >> 1) & 3],
				 e->eflags & 0x8 ? "e" : "");
		}
		break;
	case 21:
		f->arch = e->be ? "ppc64" : "ppc64le";
		f->machine_name = "PowerPC64";
		if (e->eflags & 3)
			snprintf(abi, sizeof(abi), "elfv%u", e->eflags & 3);
		break;
	case 20: f->arch = NULL; f->machine_name = "PowerPC"; break;
	case 22: f->arch = e->is64 ? "s390x" : NULL; f->machine_name = "IBM S/390"; break;
	case 258: f->arch = "loong64"; f->machine_name = "LoongArch"; break;
	case 8:
	case 10:
		f->machine_name = "MIPS";
		f->arch = e->is64 ? (e->be ? "mips64" : "mips64le")
				  : (e->be ? "mips" : "mipsle");
		{
			const char *kind;
			uint32_t a = e->eflags & 0x0000f000; /* EF_MIPS_ABI */

			if (e->is64)
				kind = "n64";
			else if (e->eflags & 0x20) /* EF_MIPS_ABI2 */
				kind = "n32";
			else if (a == 0x1000 || a == 0)
				kind = "o32";
			else if (a == 0x2000)
				kind = "o64";
			else
				kind = "eabi";
			snprintf(abi, sizeof(abi), "%s%s%s", kind,
				 e->eflags & 0x400 ? " nan2008" : "",
				 e->eflags & 0x4 ? " cpic" : "");
		}
		break;
	case 2: f->machine_name = "SPARC"; break;
	case 43: f->machine_name = "SPARC V9"; f->arch = NULL; break;
	case 4: f->machine_name = "Motorola 68000"; break;
	case 0: f->machine_name = "none"; break;
	case 247: f->machine_name = "BPF"; break;
	default:
		f->machine_name = NULL;
		xb_facts_problem(f, "unknown ELF machine %u", e->machine);
		break;
	}
	if (f->arch && !xb_goarch_fits(f->arch, f->bits, e->be))
		f->arch = NULL;
	if (abi[0])
		f->abi = strdup(abi);
}

/* ---- headers ------------------------------------------------------------ */

static void read_phdrs(elf *e, uint64_t phoff, uint64_t phnum, unsigned entsize)
{
	size_t want = e->is64 ? 56 : 32;
	const unsigned char *buf;
	unsigned char *own;
	uint64_t bytes;

	if (phnum == 0)
		return;
	if (phoff == 0) {
		xb_facts_problem(e->f, "program headers at offset 0 (overlap the ELF header)");
		return;
	}
	if (entsize != want) {
		xb_facts_problem(e->f, "program header size %u (expected %zu)", entsize, want);
		return;
	}
	if (phnum > MAX_PHDRS) {
		xb_facts_problem(e->f, "%llu program headers (more than %d)",
				 (unsigned long long)phnum, MAX_PHDRS);
		return;
	}
	bytes = phnum * want;
	if (!(buf = xb_src_view(e->s, phoff, bytes, bytes, &own))) {
		xb_facts_problem(e->f, "program headers at %llu past the end of the file",
				 (unsigned long long)phoff);
		return;
	}
	e->ph = phnum <= ELF_FEW_PH ? e->ph_few : malloc((size_t)phnum * sizeof(*e->ph));
	if (!e->ph) {
		free(own);
		return;
	}
	e->phnum = (size_t)phnum;
	for (size_t i = 0; i < e->phnum; i++) {
		const unsigned char *p = buf + i * want;
		phdr *h = &e->ph[i];

		h->type = g32(e, p);
		if (e->is64) {
			h->flags = g32(e, p + 4);
			h->off = g64(e, p + 8);
			h->vaddr = g64(e, p + 16);
			h->filesz = g64(e, p + 32);
			h->memsz = g64(e, p + 40);
			h->align = g64(e, p + 48);
		} else {
			h->off = g32(e, p + 4);
			h->vaddr = g32(e, p + 8);
			h->filesz = g32(e, p + 16);
			h->memsz = g32(e, p + 20);
			h->flags = g32(e, p + 24);
			h->align = g32(e, p + 28);
		}
	}
	free(own);
}

static int read_shdrs(elf *e, uint64_t shoff, uint64_t shnum, unsigned entsize,
		      uint64_t *phnum, uint64_t *shstrndx)
{
	size_t want = e->is64 ? 64 : 40;
	const unsigned char *buf;
	unsigned char *own;
	uint64_t bytes;

	if (shoff == 0)
		return 0;
	if (entsize != want) {
		xb_facts_problem(e->f, "section header size %u (expected %zu)", entsize, want);
		return -1;
	}
	if (shoff < (e->is64 ? 64u : 52u)) {
		xb_facts_problem(e->f, "section headers at %llu overlap the ELF header",
				 (unsigned long long)shoff);
		return -1;
	}
	if (shnum == 0) {
		/* extended numbering: the count is in section 0's sh_size */
		unsigned char s0[64];

		if (xb_src_read(e->s, shoff, s0, want)) {
			xb_facts_problem(e->f, "section headers at %llu past the end of the file",
					 (unsigned long long)shoff);
			return -1;
		}
		shnum = e->is64 ? g64(e, s0 + 32) : g32(e, s0 + 20);
		if (shnum == 0)
			return 0;
	}
	if (shnum > MAX_SHDRS) {
		xb_facts_problem(e->f, "%llu section headers (more than %d)",
				 (unsigned long long)shnum, MAX_SHDRS);
		return -1;
	}
	bytes = shnum * want;
	if (!(buf = xb_src_view(e->s, shoff, bytes, bytes, &own))) {
		xb_facts_problem(e->f, "section headers at %llu past the end of the file",
				 (unsigned long long)shoff);
		return -1;
	}
	e->sh = shnum <= ELF_FEW_SH ? e->sh_few : malloc((size_t)shnum * sizeof(*e->sh));
	if (!e->sh) {
		free(own);
		return -1;
	}
	e->shnum = (size_t)shnum;
	for (size_t i = 0; i < e->shnum; i++) {
		const unsigned char *p = buf + i * want;
		shdr *h = &e->sh[i];

		h->name = g32(e, p);
		h->type = g32(e, p + 4);
		if (h->type == SHT_DYNAMIC && e->dynamic_sec == SIZE_MAX)
			e->dynamic_sec = i;
		if (e->is64) {
			h->flags = g64(e, p + 8);
			h->addr = g64(e, p + 16);
			h->off = g64(e, p + 24);
			h->size = g64(e, p + 32);
			h->link = g32(e, p + 40);
			h->info = g32(e, p + 44);
			h->align = g64(e, p + 48);
			h->entsize = g64(e, p + 56);
		} else {
			h->flags = g32(e, p + 8);
			h->addr = g32(e, p + 12);
			h->off = g32(e, p + 16);
			h->size = g32(e, p + 20);
			h->link = g32(e, p + 24);
			h->info = g32(e, p + 28);
			h->align = g32(e, p + 32);
			h->entsize = g32(e, p + 36);
		}
	}
	free(own);
	if (*phnum == 0xffff)
		*phnum = e->sh[0].info;
	if (*shstrndx == 0xffff)
		*shstrndx = e->sh[0].link;
	return 0;
}

static const char *secname(elf *e, const shdr *h)
{
	if (!e->shstr)
		return "";
	if (h->name >= e->shstr_names) {
		if (!e->bad_name++)
			xb_facts_problem(e->f, "section name at %u outside the section name table (%llu bytes) or unterminated",
					 h->name, (unsigned long long)e->shstrsz);
		return "";
	}
	return e->shstr + h->name;
}

/* ---- notes -------------------------------------------------------------- */

static void parse_notes(elf *e, uint64_t off, uint64_t size, uint64_t align)
{
	const unsigned char *buf;
	unsigned char *own;
	uint64_t pos = 0, a = align == 8 ? 8 : 4;
	int count = 0;

	if (size > MAX_NOTE_AREA)
		size = MAX_NOTE_AREA;
	if (size < 12)
		return;
	if (!(buf = xb_src_view(e->s, off, size, MAX_NOTE_AREA, &own))) {
		xb_facts_problem(e->f, "notes at %llu past the end of the file",
				 (unsigned long long)off);
		return;
	}
	while (size - pos >= 12) {
		if (count++ == MAX_NOTES) {
			xb_facts_problem(e->f, "more than %d notes at %llu", MAX_NOTES,
					 (unsigned long long)off);
			break;
		}
		uint64_t namesz = g32(e, buf + pos), descsz = g32(e, buf + pos + 4);
		uint32_t type = g32(e, buf + pos + 8);
		uint64_t name_at = pos + 12, desc_at, end;
		const unsigned char *name, *desc;

		/* 32-bit sizes in 64-bit arithmetic cannot overflow; pos is
		 * aligned, so the name and the descriptor pad to a from it */
		desc_at = (name_at + namesz + a - 1) & ~(a - 1);
		end = (desc_at + descsz + a - 1) & ~(a - 1);
		if (desc_at > size || descsz > size - desc_at) {
			xb_facts_problem(e->f, "note at %llu runs past its section",
					 (unsigned long long)(off + pos));
			break;
		}
		name = buf + name_at;
		desc = buf + desc_at;
		if (namesz == 4 && memcmp(name, "GNU", 4) == 0) {
			if (type == 3) { /* NT_GNU_BUILD_ID */
				if (descsz < 4 || descsz > 20)
					xb_facts_problem(e->f, "GNU build id of %llu bytes (expected 4 to 20)",
							 (unsigned long long)descsz);
				else if (!e->f->gnu_build_id)
					e->f->gnu_build_id = hex(desc, (size_t)descsz);
			} else if (type == 1) {
				e->abi_tag = true;
			}
		} else if (namesz == 4 && memcmp(name, "Go\0\0", 4) == 0 && type == 4) {
			e->go_hint = true;
			if (descsz >= 128)
				xb_facts_problem(e->f, "Go build id of %llu bytes (expected under 128)",
						 (unsigned long long)descsz);
			else if (!e->f->go_build_id)
				e->f->go_build_id = strndup((const char *)desc, (size_t)descsz);
		}
		if (end <= pos || end > size)
			break;
		pos = end;
	}
	free(own);
}

/* ---- sections ----------------------------------------------------------- */

static void scan_sections(elf *e, uint64_t shstrndx)
{
	bool any_debug = false;

	if (!e->shnum)
		return;
	if (shstrndx >= e->shnum) {
		if (shstrndx != 0)
			xb_facts_problem(e->f, "section name table index %llu out of range (%zu sections)",
					 (unsigned long long)shstrndx, e->shnum);
	} else {
		const shdr *h = &e->sh[shstrndx];
		unsigned char *p = (unsigned char *)e->shstr_few;

		/* (most tables fit shstr_few: no malloc for them) */
		if (h->type == SHT_NOBITS ||
		    (h->size < sizeof(e->shstr_few)
			     ? xb_src_read(e->s, h->off, p, (size_t)h->size)
			     : xb_src_dup(e->s, h->off, h->size, MAX_SHSTRTAB, &p)))
			xb_facts_problem(e->f, "section name table at %llu (%llu bytes) is outside the file or too big",
					 (unsigned long long)h->off, (unsigned long long)h->size);
		else {
			const char *z;

			p[h->size] = '\0';
			z = memrchr(p, '\0', (size_t)h->size);

			e->shstr = (char *)p;
			e->shstrsz = h->size;
			/* a name is terminated in the table when a NUL
			 * follows it there: when it starts at or before
			 * the last NUL */
			e->shstr_names = z ? (uint64_t)(z - (char *)p) + 1 : 0;
		}
	}
	e->buildinfo_sec = -1;
	for (size_t i = 0; i < e->shnum; i++) {
		const shdr *h = &e->sh[i];
		const char *n = secname(e, h);

		if (i == 0)
			continue;
		if (h->type != SHT_NOBITS && !xb_src_has(e->s, h->off, h->size)) {
			xb_facts_problem(e->f, "section %zu '%.40s' at %llu (%llu bytes) runs past the end of the file",
					 i, n, (unsigned long long)h->off, (unsigned long long)h->size);
			continue;
		}
		if (h->type == SHT_SYMTAB || h->type == SHT_DYNSYM || h->type == SHT_DYNAMIC) {
			uint64_t want = h->type == SHT_DYNAMIC ? (e->is64 ? 16 : 8)
							       : (e->is64 ? 24 : 16);

			if (h->entsize != want || h->size % want)
				xb_facts_problem(e->f, "section %zu '%.40s' has entry size %llu and size %llu (expected entries of %llu)",
						 i, n, (unsigned long long)h->entsize,
						 (unsigned long long)h->size, (unsigned long long)want);
			if (h->link >= e->shnum)
				xb_facts_problem(e->f, "section %zu '%.40s' links to section %u of %zu",
						 i, n, h->link, e->shnum);
		}
		if (h->type == SHT_SYMTAB) {
			e->has_symtab = true;
			if (h->link < e->shnum && e->sh[h->link].type == SHT_STRTAB) {
				e->symtab_strtab_off = e->sh[h->link].off;
				e->symtab_strtab_size = e->sh[h->link].size;
			}
		}
		/* the letters before the calls: most names are none of
		 * these (each test stops at the name's NUL) */
		if (n[0] == '.' && ((n[1] == 'd' && n[2] == 'e' && !strncmp(n, ".debug_", 7)) ||
				    (n[1] == 'z' && n[2] == 'd' && !strncmp(n, ".zdebug_", 8)))) {
			/* a NOBITS .debug_ of a split-off debug file is no DWARF */
			if (h->type != SHT_NOBITS) {
				any_debug = true;
				if (n[1] == 'z' || (h->flags & SHF_COMPRESSED))
					e->f->debug_compressed = true;
			}
		}
		if (n[0] != '.')
			;
		else if ((n[1] == 'i' && n[2] == 'n' && n[3] == 'i' &&
			  (!strcmp(n, ".init") || !strcmp(n, ".init_array"))) ||
			 (n[1] == 'f' && n[2] == 'i' && !strcmp(n, ".fini")) ||
			 (n[1] == 'c' && n[2] == 'o' && !strcmp(n, ".comment")))
			e->c_link = true;
		else if (n[1] == 'g' && n[2] == 'o') {
			if (!strcmp(n, ".go.buildinfo"))
				e->buildinfo_sec = (int64_t)i, e->go_hint = true;
			else if (!strcmp(n, ".gopclntab") || !strcmp(n, ".gosymtab"))
				e->go_hint = true;
		} else if (n[1] == 'n' && n[2] == 'o' && n[3] == 't' && n[4] == 'e' &&
			   n[5] == '.' && n[6] == 'g' && n[7] == 'o' &&
			   !strcmp(n, ".note.go.buildid"))
			e->go_hint = true;
		/* build ids are loaded (SHF_ALLOC); unloaded note sections
		 * such as annobin's or systemtap's hold thousands of notes and
		 * no fact of ours */
		if (h->type == SHT_NOTE && (h->flags & SHF_ALLOC))
			parse_notes(e, h->off, h->size, h->align);
	}
	e->f->debug_info = any_debug;
}

/* ---- Go ----------------------------------------------------------------- */

static void read_go(elf *e)
{
	xb_goinfo *g;
	xb_err err;
	xb_code rc = XB_ERR_NOTFOUND;

	if (!e->go_hint && e->shnum)
		return;
	/* (not before: clearing its 1 KiB costs most files more than all
	 * the rest of this function) */
	err = (xb_err)XB_ERR_INIT;
	g = calloc(1, sizeof(*g));
	if (!g)
		return;
	xb_goinfo_init(g);
	if (e->buildinfo_sec >= 0) {
		const shdr *h = &e->sh[e->buildinfo_sec];

		rc = xb_goinfo_read(e->s, h->off, h->size, h->addr, e->loads,
				    e->nloads, g, &err);
	}
	for (size_t i = 0; rc == XB_ERR_NOTFOUND && i < e->phnum; i++) {
		const phdr *p = &e->ph[i];

		if (p->type == PT_LOAD && (p->flags & (PF_X | PF_W)) == PF_W) {
			rc = xb_goinfo_read(e->s, p->off, p->filesz, p->vaddr,
					    e->loads, e->nloads, g, &err);
			break;
		}
	}
	if (rc == XB_OK) {
		e->f->go = g;
		return;
	}
	if (rc != XB_ERR_NOTFOUND)
		xb_facts_problem(e->f, "Go build info: %s", xb_errmsg(&err));
	else if (e->buildinfo_sec >= 0)
		xb_facts_problem(e->f, "a .go.buildinfo section without Go build info in it");
	/* else: a Go binary without build info (before Go 1.13) */
	xb_goinfo_release(g);
	free(g);
}

/* A static binary with symbols that name musl's start-up (__init_libc
 * exists in musl only; glibc's static binaries carry the ABI note). */
static bool static_musl(elf *e)
{
	unsigned char *p;
	bool found;

	if (!e->has_symtab || !e->symtab_strtab_size || e->has_dynamic ||
	    xb_src_dup(e->s, e->symtab_strtab_off, e->symtab_strtab_size,
		       MAX_STRTAB_SCAN, &p))
		return false;
	found = memmem(p, (size_t)e->symtab_strtab_size + 1, "\0__init_libc\0", 13) != NULL;
	free(p);
	return found;
}

/* ---- putting it together ------------------------------------------------ */

static void classify(elf *e)
{
	xb_facts *f = e->f;
	bool pie_flag = e->flags1 & DF_1_PIE;
	bool interp = f->interpreter != NULL;

	f->ld_preload = interp; /* exactly when there is one (xbuild(1)) */
	switch (e->type) {
	case ET_REL: f->type = "relocatable"; break;
	case ET_CORE: f->type = "core"; break;
	case ET_EXEC: f->type = "exec"; break;
	case ET_DYN:
		/* elfclassify's rules: DF_1_PIE, else a SONAME makes a
		 * library, else an interpreter or DT_DEBUG a PIE */
		if (pie_flag)
			f->type = "pie";
		else if (e->has_soname)
			f->type = "shared";
		else if (interp || e->debug_tag)
			f->type = "pie";
		else
			f->type = "shared";
		break;
	default:
		xb_facts_problem(f, "unknown ELF type %u", e->type);
		return;
	}
	if (e->type == ET_REL || e->type == ET_CORE || f->debug_only)
		return;
	if (interp || f->needed.n)
		f->linkage = "dynamic";
	else if (e->has_dynamic && !strcmp(f->type, "shared"))
		f->linkage = "dynamic";
	else if (e->has_dynamic && !strcmp(f->type, "pie"))
		f->linkage = "static-pie";
	else
		/* nothing but the kernel loads it, even an ET_EXEC with a
		 * dynamic section (ld -E --no-dynamic-linker): it is at its
		 * link address, so not a static PIE */
		f->linkage = "static";

	if (f->interpreter && strstr(f->interpreter, "ld-musl"))
		f->libc = "musl";
	else if (xb_strv_contains(&f->needed, "libc.so.6") ||
		 (f->interpreter && strstr(f->interpreter, "ld-linux")) ||
		 f->glibc_max || e->abi_tag)
		f->libc = "glibc";
	else if (f->needed.n) {
		f->libc = "unknown";
		for (size_t i = 0; i < f->needed.n; i++)
			if (!strncmp(f->needed.v[i], "libc.musl", 9))
				f->libc = "musl";
			else if (!strncmp(f->needed.v[i], "libc.so", 7))
				f->libc = "glibc";
	} else if (static_musl(e))
		f->libc = "musl"; /* before the Go check: cgo links musl in */
	else if (f->go && !strcmp(f->linkage, "static") && e->f->go_internal_link)
		f->libc = "none";
	else
		f->libc = "unknown";

	f->pie = !strcmp(f->type, "pie") ? 1 : !strcmp(f->type, "exec") ? 0 : XB_NA;
	f->nx_stack = e->gnu_stack < 0 ? 0 : !e->gnu_stack;
	f->textrel = e->textrel_tag || (e->flags & DF_TEXTREL);
	if (e->has_dynamic)
		f->bind_now = e->bind_now_tag || (e->flags & DF_BIND_NOW) ||
			      (e->flags1 & DF_1_NOW);
	if (f->go_internal_link) {
		/* Go's own linker: no canaries by design, and RELRO and
		 * BIND_NOW only where it wrote them (-buildmode=pie); n/a
		 * rather than "missing" otherwise */
		f->relro = !e->relro ? NULL : f->bind_now == 1 ? "full" : "partial";
		if (!e->relro && f->bind_now == 0)
			f->bind_now = XB_NA;
		f->stack_protector = XB_NA;
	} else {
		f->relro = !e->relro ? "none" : f->bind_now == 1 ? "full" : "partial";
		f->stack_protector = xb_elf_stack_protector(e);
	}
}

/* What the file header says where the tables are. */
typedef struct ehdr {
	uint64_t phoff, shoff, phnum, shnum, shstrndx;
	unsigned phentsize, shentsize;
} ehdr;

static xb_code read_ehdr(elf *e, ehdr *x, xb_err *err)
{
	const xb_src *s = e->s;
	xb_facts *f = e->f;
	unsigned char h[64];

	if (xb_src_read(s, 0, h, 16))
		return xb_fail(err, XB_ERR_FORMAT, "truncated ELF identification (%llu bytes)",
			       (unsigned long long)s->size);
	if (h[4] != 1 && h[4] != 2)
		return xb_fail(err, XB_ERR_FORMAT, "bad ELF class %u (expected 1 or 2)", h[4]);
	if (h[5] != 1 && h[5] != 2)
		return xb_fail(err, XB_ERR_FORMAT, "bad ELF data encoding %u (expected 1 or 2)", h[5]);
	if (h[6] != 1)
		return xb_fail(err, XB_ERR_FORMAT, "bad ELF version %u (expected 1)", h[6]);
	e->is64 = h[4] == 2;
	e->be = h[5] == 2;
	f->bits = e->is64 ? 64 : 32;
	f->endian = e->be ? "big" : "little";
	if (xb_src_read(s, 0, h, e->is64 ? 64 : 52))
		return xb_fail(err, XB_ERR_FORMAT, "truncated ELF header (%llu bytes)",
			       (unsigned long long)s->size);
	e->type = g16(e, h + 16);
	e->machine = g16(e, h + 18);
	if (e->is64) {
		x->phoff = g64(e, h + 32);
		x->shoff = g64(e, h + 40);
		e->eflags = g32(e, h + 48);
		x->phentsize = g16(e, h + 54);
		x->phnum = g16(e, h + 56);
		x->shentsize = g16(e, h + 58);
		x->shnum = g16(e, h + 60);
		x->shstrndx = g16(e, h + 62);
	} else {
		x->phoff = g32(e, h + 28);
		x->shoff = g32(e, h + 32);
		e->eflags = g32(e, h + 36);
		x->phentsize = g16(e, h + 42);
		x->phnum = g16(e, h + 44);
		x->shentsize = g16(e, h + 46);
		x->shnum = g16(e, h + 48);
		x->shstrndx = g16(e, h + 50);
	}
	return XB_OK;
}

/* Before the section headers are read from the end of the file: one
 * read for them and the SHSTR_BEFORE bytes before them, where the
 * section names are (the linkers write them last), and for the dynamic
 * segment too when no more than DYN_GAP bytes lie between (they cost
 * less to copy than a read of their own); else one read of the segment,
 * exactly.  What is read is what the reads that follow want, and little
 * more: copying a page costs more than a read. */
static void hint_tail(elf *e, const ehdr *x)
{
	size_t want = e->is64 ? 56 : 32, shent = e->is64 ? 64 : 40;
	uint64_t size = e->s->size, dyn = UINT64_MAX, dynsz = 0, lo, hi;
	const unsigned char *p;
	unsigned char *own;

	if (!x->shoff || x->shoff >= size || x->phentsize != want || !x->phnum ||
	    x->phnum > 64 ||
	    !(p = xb_src_view(e->s, x->phoff, x->phnum * want, 64 * 56, &own)))
		return;
	for (uint64_t i = 0; i < x->phnum; i++, p += want)
		if (g32(e, p) == PT_DYNAMIC) {
			dyn = e->is64 ? g64(e, p + 8) : g32(e, p + 4);
			dynsz = e->is64 ? g64(e, p + 32) : g32(e, p + 16);
			break;
		}
	free(own);
	lo = x->shoff > SHSTR_BEFORE ? x->shoff - SHSTR_BEFORE : 0;
	hi = x->shnum && x->shentsize == shent && x->shnum * shent <= size - x->shoff
		     ? x->shoff + x->shnum * shent : size;
	if (dyn < lo && dynsz <= MAX_DYN && lo - dyn <= dynsz + DYN_GAP)
		lo = dyn;
	else if (dyn < size && dynsz && dynsz <= XB_SRC_BLK && dynsz <= size - dyn)
		xb_src_hint(e->s, dyn, dynsz, false);
	if (hi - lo <= XB_SRC_SPAN)
		xb_src_hint(e->s, lo, hi - lo, false);
}

/* The load map: the dynamic segment's addresses go through it. */
static void map_loads(elf *e)
{
	e->loads = e->phnum <= ELF_FEW_PH ? e->loads_few
					  : malloc(e->phnum * sizeof(*e->loads));
	for (size_t i = 0; e->loads && i < e->phnum; i++) {
		const phdr *p = &e->ph[i];

		if (p->type != PT_LOAD)
			continue;
		if (!xb_src_has(e->s, p->off, p->filesz)) {
			xb_facts_problem(e->f, "PT_LOAD at %llu (%llu bytes) runs past the end of the file (truncated?)",
					 (unsigned long long)p->off, (unsigned long long)p->filesz);
			continue;
		}
		e->loads[e->nloads++] = (xb_vseg){ p->vaddr, p->off, p->filesz };
	}
	if (e->phnum && !e->nloads && e->type != ET_CORE && e->type != ET_REL)
		xb_facts_problem(e->f, "no loadable segment in the file");
}

/* A separate debug file (objcopy --only-keep-debug) keeps the program
 * headers but not the bytes they point at. */
static bool debug_only(const elf *e)
{
	bool exec_seg = false, exec_bytes = false;

	for (size_t i = 0; i < e->phnum; i++)
		if (e->ph[i].type == PT_LOAD && (e->ph[i].flags & PF_X)) {
			exec_seg = true;
			exec_bytes |= e->ph[i].filesz > 0;
		}
	return exec_seg && !exec_bytes;
}

static void read_interp(elf *e, const phdr *p)
{
	xb_facts *f = e->f;
	unsigned char *str;

	if (f->interpreter) {
		xb_facts_problem(f, "more than one PT_INTERP");
		return;
	}
	if (p->filesz == 0 || p->filesz > MAX_INTERP ||
	    xb_src_dup(e->s, p->off, p->filesz, MAX_INTERP, &str)) {
		xb_facts_problem(f, "PT_INTERP at %llu (%llu bytes) is empty, too long or outside the file",
				 (unsigned long long)p->off, (unsigned long long)p->filesz);
		f->interpreter = strdup("?");
		return;
	}
	/* the kernel checks the last byte only; NUL padding is fine */
	if (str[p->filesz - 1] != '\0' || !str[0])
		xb_facts_problem(f, "PT_INTERP is empty or not NUL-terminated (the kernel refuses it)");
	f->interpreter = (char *)str;
}

static void read_segments(elf *e)
{
	for (size_t i = 0; i < e->phnum; i++) {
		const phdr *p = &e->ph[i];

		switch (p->type) {
		case PT_INTERP:
			read_interp(e, p);
			break;
		case PT_DYNAMIC:
			if (e->has_dynamic) {
				xb_facts_problem(e->f, "more than one PT_DYNAMIC");
				break;
			}
			e->has_dynamic = true;
			e->dyn_off = p->off;
			xb_elf_read_dynamic(e, p);
			break;
		case PT_GNU_STACK: e->gnu_stack = (p->flags & PF_X) != 0; break;
		case PT_GNU_RELRO: e->relro = 1; break;
		case PT_GNU_EH_FRAME: e->c_link = true; break;
		case PT_NOTE:
			if (!e->shnum)
				parse_notes(e, p->off, p->filesz, p->align);
			break;
		default: break;
		}
	}
}

/* The loader trusts PT_DYNAMIC; say so when .dynamic disagrees. */
static void check_dynamic_section(elf *e)
{
	/* the first SHT_DYNAMIC, found as the headers were read */
	for (size_t i = e->dynamic_sec; i < e->shnum; i++) {
		if (e->sh[i].type != SHT_DYNAMIC || e->type == ET_REL)
			continue;
		if (!e->has_dynamic)
			xb_facts_problem(e->f, "a .dynamic section but no PT_DYNAMIC");
		else if (e->sh[i].off != e->dyn_off)
			xb_facts_problem(e->f, "the .dynamic section (at %llu) and PT_DYNAMIC (at %llu) disagree; the loader uses PT_DYNAMIC",
					 (unsigned long long)e->sh[i].off, (unsigned long long)e->dyn_off);
		break;
	}
}

/* Whether Go's own linker wrote a Go binary. */
static void go_link(elf *e)
{
	xb_facts *f = e->f;
	const char *ld = xb_goinfo_setting(f->go, "-ldflags");

	/* Go 1.24 and later write a GNU build id with either linker
	 * (derived from the Go one), so only what a C linker adds tells
	 * an external link */
	f->go_internal_link = !e->c_link &&
			      !(ld && strstr(ld, "linkmode=external")) &&
			      !(ld && strstr(ld, "linkmode external"));
}

xb_code xb_elf_inspect(const xb_src *s, xb_facts *f, xb_err *err)
{
	xb_code rc;
	ehdr x = { 0 };
	elf e;

	memset(&e, 0, ELF_CLEAR);
	e.s = s;
	e.f = f;
	e.gnu_stack = -1;
	e.buildinfo_sec = -1;
	e.dynamic_sec = SIZE_MAX;
	f->format = "elf";
	if ((rc = read_ehdr(&e, &x, err)))
		return rc;
	set_machine(&e);

	hint_tail(&e, &x);
	read_shdrs(&e, x.shoff, x.shnum, x.shentsize, &x.phnum, &x.shstrndx);
	read_phdrs(&e, x.phoff, x.phnum, x.phentsize);
	if (!e.phnum && e.type != ET_REL && e.type != ET_CORE && x.phnum == 0)
		xb_facts_problem(f, "no program headers");
	map_loads(&e);
	scan_sections(&e, x.shstrndx);
	f->debug_only = debug_only(&e);
	if (!f->debug_only) {
		read_segments(&e);
		check_dynamic_section(&e);
	}
	if (e.dyn_ok)
		xb_elf_dyn_strings(&e);
	if (e.shnum)
		f->stripped = !e.has_symtab && !f->debug_info;
	read_go(&e);
	if (f->go || e.go_hint)
		go_link(&e);
	classify(&e);

	if (e.ph != e.ph_few)
		free(e.ph);
	if (e.sh != e.sh_few)
		free(e.sh);
	if (e.loads != e.loads_few)
		free(e.loads);
	if (e.shstr != e.shstr_few)
		free(e.shstr);
	free(e.dynstr_own);
	return XB_OK;
}
