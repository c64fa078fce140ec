/* mkcorpus.c: writes the small generated seeds of tests/fuzz/corpus from
 * the images of tests/unit/samples.h.  Run by hand when samples change:
 *   cc -D_GNU_SOURCE -Ilib -Itests/unit -o build/mkcorpus tests/fuzz/mkcorpus.c
 *   build/mkcorpus tests/fuzz/corpus */
#include <stdio.h>

#include "samples.h"

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char d[400];
	elf_opts o;
	smp s;

	if (argc != 2)
		return 2;
	snprintf(d, sizeof(d), "%s/fuzz_elf", argv[1]);
	smp_elf(&s, &elf_default);
	put(d, "elf64-arm64-dynamic-go", s.b, s.n);
	o = elf_default, o.is64 = 0, o.be = 1, o.machine = 8, o.go = 2, o.eflags = 0x70001005;
	smp_elf(&s, &o);
	put(d, "elf32-mips-be-oldgo", s.b, s.n);
	o = elf_default, o.sections = 0;
	smp_elf(&s, &o);
	put(d, "elf64-no-sections", s.b, s.n);
	o = elf_default, o.interp = 0, o.needed = 0, o.pie_flag = 1;
	smp_elf(&s, &o);
	put(d, "elf64-static-pie", s.b, s.n);
	o = elf_default, o.be = 1, o.machine = 21, o.go = 2, o.interp = 0, o.dynamic = 0;
	smp_elf(&s, &o);
	put(d, "elf64-ppc64-static", s.b, s.n);

	snprintf(d, sizeof(d), "%s/fuzz_macho", argv[1]);
	smp_macho(&s, 0x0100000c);
	put(d, "macho-arm64", s.b, s.n);
	smp_fat(&s);
	put(d, "macho-fat", s.b, s.n);
	smp_fat64(&s);
	put(d, "macho-fat64", s.b, s.n);
	smp_macho32(&s, 7, 0);
	put(d, "macho32-386-oldgo", s.b, s.n);
	smp_macho32(&s, 18, 1);
	put(d, "macho32-ppc-be", s.b, s.n);

	snprintf(d, sizeof(d), "%s/fuzz_pe", argv[1]);
	smp_pe(&s);
	put(d, "pe32plus-amd64-go", s.b, s.n);
	smp_pe32(&s);
	put(d, "pe32-386-oldgo", s.b, s.n);

	snprintf(d, sizeof(d), "%s/fuzz_goinfo", argv[1]);
	memset(&s, 0, sizeof(s));
	s.is64 = 1;
	s.n = smp_goinfo(&s, 0, 0, 1, "go1.21.0");
	put(d, "inline-64le", s.b, s.n);
	memset(&s, 0, sizeof(s));
	s.be = 1;
	s.n = smp_goinfo(&s, 0, 0, 0, "go1.16.5");
	put(d, "pointer-32be", s.b, s.n);
	put(d, "modinfo-text", go_modinfo, GO_MODINFO_LEN);
	put(d, "buildid-text", "\xff Go build ID: \"a/b/c/d\"\n \xff", 27);
	return 0;
}
