/* elf-int.h: what the ELF reader's two files share (elf.c: headers,
 * sections, notes, Go, classification; elf-dyn.c: the dynamic segment,
 * the version needs and the stack protector), private to them. */
#ifndef XB_ELF_INT_H
#define XB_ELF_INT_H

#include <stddef.h>
#include <string.h>

#include "bin.h"

#define MAX_DYN (1u << 20)        /* bytes of PT_DYNAMIC */
#define MAX_DYNSTR (64u << 20)
#define DYNSTR_WHOLE (4u << 10) /* bigger tables: imports looked up, not
				 * scanned, and read string by string */
#define TABLES_SPAN (24u << 10) /* the hash table, dynamic strings and
				 * version needs are read at once when no
				 * further apart */
#define STR_FIRST 128u          /* bytes of such a string read first */
#define MAX_IMPORTS 65536
#define MAX_NEEDED 1024
#define MAX_VERNEED 4096          /* verneed + vernaux entries walked */
#define VERNEED_CHUNK 512u        /* bytes of them read at once */
#define NAME_PAGE_BITS 11         /* the imports' names are read in the
				   * order of these pages (2 KiB) */
#define MAX_STRTAB_SCAN (16u << 20)
#define ELF_FEW_PH 16
#define ELF_FEW_SH 64

enum {
	PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6,
	PT_GNU_EH_FRAME = 0x6474e550, PT_GNU_STACK = 0x6474e551,
	PT_GNU_RELRO = 0x6474e552,
	SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_DYNAMIC = 6, SHT_NOTE = 7,
	SHT_NOBITS = 8, SHT_DYNSYM = 11, SHF_ALLOC = 2, SHF_COMPRESSED = 0x800,
	DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10,
	DT_SONAME = 14, DT_RPATH = 15, DT_TEXTREL = 22, DT_DEBUG = 21,
	DT_BIND_NOW = 24, DT_RUNPATH = 29, DT_FLAGS = 30,
	DT_FLAGS_1 = 0x6ffffffb, DT_VERNEED = 0x6ffffffe,
	DT_VERNEEDNUM = 0x6fffffff, DT_SYMTAB = 6, DT_GNU_HASH = 0x6ffffef5,
	DF_TEXTREL = 0x4, DF_BIND_NOW = 0x8, DF_1_NOW = 0x1,
	DF_1_PIE = 0x08000000,
	PF_X = 1, PF_W = 2,
	ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4,
};

typedef struct phdr {
	uint32_t type, flags;
	uint64_t off, vaddr, filesz, memsz, align;
} phdr;

typedef struct shdr {
	uint32_t name, type;
	uint64_t flags, addr, off, size, align, entsize;
	uint32_t link, info;
} shdr;

typedef struct elf {
	const xb_src *s;
	xb_facts *f;
	bool be, is64;
	uint16_t type, machine;
	uint32_t eflags;
	phdr *ph;
	size_t phnum;
	shdr *sh;
	size_t shnum;
	char *shstr;       /* NUL-terminated copy of the section name table
			    * (shstr_few, or malloc'd) */
	uint64_t shstrsz;
	uint64_t shstr_names; /* names start below this: where they end, the
			       * table's last NUL, lies after them */
	xb_vseg *loads;
	size_t nloads;
	/* from the dynamic segment */
	bool has_dynamic, dyn_ok;
	uint64_t dyn_off;
	uint64_t strtab, strsz, verneed, verneednum, flags, flags1;
	bool has_strtab, has_strsz, has_verneed, bind_now_tag, textrel_tag;
	bool debug_tag, has_soname;
	size_t nneeded;
	uint64_t soname_off, rpath_off, runpath_off;
	bool has_rpath, has_runpath;
	const char *dynstr; /* DT_STRTAB's strsz bytes when held (at most
			     * DYNSTR_WHOLE): pinned by the source, or
			     * dynstr_own */
	char *dynstr_own;
	bool dynstr_scanned; /* dynstr_names is known: */
	uint64_t dynstr_names; /* below it, a string of a held small
				* table is terminated in it */
	bool dynstr_ok;    /* DT_STRTAB is mapped and inside the file */
	uint64_t dynstr_off;
	uint64_t symtab_va, gnu_hash;
	bool has_symtab_va, has_gnu_hash;
	bool abi_tag;      /* NT_GNU_ABI_TAG: glibc's crt1 */
	bool go_hint;      /* a Go note or a .go* section */
	bool c_link;       /* what only a C linker writes: .init, .fini,
			    * .init_array (the C runtime's start files),
			    * .comment, PT_GNU_EH_FRAME; Go's own never */
	int relro;         /* PT_GNU_RELRO seen */
	int gnu_stack;     /* -1 none, else 1 when executable */
	bool has_symtab;
	uint64_t symtab_strtab_off, symtab_strtab_size;
	int64_t buildinfo_sec; /* index of .go.buildinfo, or -1 */
	size_t dynamic_sec;    /* of the first SHT_DYNAMIC, or SIZE_MAX */
	int bad_name;      /* section names that were out of range */
	char glibc_best[16]; /* the highest GLIBC_ version so far, or "" */
	uint64_t glibc_key;  /* its order, when it has one (version_key) */
	/* last, and left uninitialized (ELF_CLEAR): read only where written */
	uint64_t needed_off[MAX_NEEDED]; /* the first nneeded */
	char strbuf[4096];
	char shstr_few[1024]; /* the section name table when it fits */
	/* ph, sh and loads of most files: no malloc for them */
	phdr ph_few[ELF_FEW_PH];
	xb_vseg loads_few[ELF_FEW_PH];
	shdr sh_few[ELF_FEW_SH];
} elf;

/* The bytes of an elf to clear before use: all but the arrays at its end. */
#define ELF_CLEAR offsetof(elf, needed_off)

/* The fields in the file's byte order: a load and, when the host's
 * order differs, a swap. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_BE true
#else
#define HOST_BE false
#endif

static inline uint16_t g16(const elf *e, const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return e->be != HOST_BE ? __builtin_bswap16(v) : v;
}

static inline uint32_t g32(const elf *e, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return e->be != HOST_BE ? __builtin_bswap32(v) : v;
}

static inline uint64_t g64(const elf *e, const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return e->be != HOST_BE ? __builtin_bswap64(v) : v;
}

/* An address-sized field. */
static inline uint64_t gaddr(const elf *e, const unsigned char *p)
{
	return e->is64 ? g64(e, p) : g32(e, p);
}

/* elf-dyn.c */
/* Read PT_DYNAMIC d: its tags into e, a problem for what is wrong. */
void xb_elf_read_dynamic(elf *e, const phdr *d);
/* After xb_elf_read_dynamic: the needed libraries, soname, rpath,
 * runpath and glibc_max into e->f. */
void xb_elf_dyn_strings(elf *e);
/* 1 when __stack_chk_* is imported or defined, 0 when not, XB_NA when
 * there are no symbols to tell. */
int xb_elf_stack_protector(elf *e);

#endif
