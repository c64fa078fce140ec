/* test_checker.c: the ELF, Mach-O, PE and Go build info parsers and the
 * verifier, on small images built in memory (samples.h). */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "bin/bin.h"
#include "samples.h"

static xb_code inspect(const smp *s, xb_facts *f, xb_err *err)
{
	xb_src src;

	xb_facts_init(f);
	xb_src_mem(&src, s->b, s->n);
	return xb_inspect_src(&src, f, err);
}

static void elf64_dynamic_go(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.format, "elf");
	assert_int_equal(f.bits, 64);
	assert_string_equal(f.endian, "little");
	assert_string_equal(f.arch, "arm64");
	assert_int_equal(f.machine, 183);
	assert_string_equal(f.type, "pie");
	assert_string_equal(f.linkage, "dynamic");
	assert_string_equal(f.interpreter, "/lib/ld-linux-aarch64.so.1");
	assert_int_equal(f.needed.n, 2);
	assert_string_equal(f.needed.v[0], "libc.so.6");
	assert_string_equal(f.needed.v[1], "libm.so.6");
	assert_string_equal(f.runpath, "/opt/lib");
	assert_null(f.rpath);
	assert_string_equal(f.glibc_max, "2.34");
	assert_string_equal(f.libc, "glibc");
	assert_string_equal(f.gnu_build_id, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
	assert_string_equal(f.go_build_id, "actA/contB");
	assert_int_equal(f.stripped, 0);
	assert_true(f.debug_info);
	assert_true(f.debug_compressed);
	assert_true(f.ld_preload);
	assert_int_equal(f.pie, 1);
	assert_int_equal(f.nx_stack, 1);
	assert_int_equal(f.textrel, 0);
	assert_non_null(f.go);
	assert_string_equal(f.go->version, "go1.21.0");
	assert_true(f.go->inline_format);
	assert_string_equal(f.go->path, "example.com/hello");
	assert_string_equal(f.go->main.path, "example.com/hello");
	assert_string_equal(f.go->main.version, "(devel)");
	assert_int_equal(f.go->ndeps, 1);
	assert_string_equal(f.go->deps[0].path, "golang.org/x/sys");
	assert_string_equal(f.go->deps[0].sum, "h1:abc=");
	assert_string_equal(f.go->deps[0].replace, "../sys (devel)");
	assert_string_equal(xb_goinfo_setting(f.go, "-ldflags"), "-s -w");
	assert_string_equal(xb_goinfo_setting(f.go, "CGO_ENABLED"), "0");
	assert_string_equal(xb_goinfo_setting(f.go, "-tags"), "netgo");
	/* a C linker wrote it (.comment): hardening applies */
	assert_false(f.go_internal_link);
	assert_string_equal(f.relro, "full");
	assert_int_equal(f.bind_now, 1);
	assert_int_equal(f.stack_protector, 1);
	xb_facts_release(&f);

	/* the same with a GNU build id but nothing a C linker writes: Go's
	 * own linker (Go 1.24 and later write both build ids) */
	{
		elf_opts o = elf_default;

		o.c_link = 0;
		smp_elf(&s, &o);
		assert_int_equal(inspect(&s, &f, &err), XB_OK);
		assert_non_null(f.gnu_build_id);
		assert_true(f.go_internal_link);
		assert_int_equal(f.stack_protector, XB_NA);
		xb_facts_release(&f);
	}
}

/* The highest of two GLIBC_ versions, in either order: numbers, not
 * text ("2.10" over "2.9"), the first kept of two equal ones, and the
 * versions whose order is xb_version_cmp's alone (a part of 7 digits, 4
 * parts, an empty part) against those the reader compares as numbers. */
static void elf_glibc_max_order(void **state)
{
	static const struct {
		const char *a, *b, *ab, *ba; /* a <= 4 bytes, b <= 10 */
	} cases[] = {
		{ "2.9", "2.10", "2.10", "2.10" },
		{ "2.3", "2.3.0", "2.3", "2.3.0" },
		{ "2.1", "1234567.1", "1234567.1", "1234567.1" },
		{ "2..3", "2.1", "2.1", "2.1" },
		{ "9.9", "1.2.3.4", "9.9", "9.9" },
		{ "1.2.", "1.2.0.1", "1.2.0.1", "1.2.0.1" },
		{ "2.34", "2.17", "2.34", "2.34" },
		{ "3.1", "2.34", "3.1", "3.1" },
		{ "2.3", "2.2.5", "2.3", "2.3" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int swap = 0; swap < 2; swap++) {
			xb_err err = XB_ERR_INIT;
			xb_facts f;
			smp s;

			smp_elf(&s, &elf_default);
			/* the version names where GLIBC_2.17 (10 bytes) and
			 * __stack_chk_fail (16) were, the needs in order */
			memset(s.b + S_DYNSTR + DS_G217, 0, 10);
			memcpy(s.b + S_DYNSTR + DS_G217, "GLIBC_", 6);
			memcpy(s.b + S_DYNSTR + DS_G217 + 6, cases[i].a, strlen(cases[i].a));
			memset(s.b + S_DYNSTR + 52, 0, 16);
			memcpy(s.b + S_DYNSTR + 52, "GLIBC_", 6);
			memcpy(s.b + S_DYNSTR + 52 + 6, cases[i].b, strlen(cases[i].b));
			P32(&s, S_VERNEED + 16 + 8, swap ? 52 : DS_G217);
			P32(&s, S_VERNEED + 32 + 8, swap ? DS_G217 : 52);
			assert_int_equal(inspect(&s, &f, &err), XB_OK);
			assert_string_equal(f.glibc_max, swap ? cases[i].ba : cases[i].ab);
			xb_facts_release(&f);
		}
}

/* The stack protector from a small string table: a string that starts
 * "__stack_chk_" counts, the same letters inside another string do not,
 * wherever the 'k's of other strings are. */
static void elf_stack_chk_in_strings(void **state)
{
	static const struct {
		const char *at52; /* 16 bytes where __stack_chk_fail was */
		bool glued;       /* no NUL before it: inside GLIBC_2.34 */
		int want;
	} cases[] = {
		{ "__stack_chk_fail", false, 1 },
		{ "__stack_chk_guar", false, 1 },
		{ "__stack_chk_", false, 1 },
		{ "__stack_chk_fail", true, 0 },
		{ "x__stack_chk_fai", false, 0 },
		{ "__stack_chx_kkkk", false, 0 },
		{ "kk__stack_chk_", false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		xb_err err = XB_ERR_INIT;
		xb_facts f;
		smp s;

		smp_elf(&s, &elf_default);
		memset(s.b + S_DYNSTR + 52, 0, 16);
		memcpy(s.b + S_DYNSTR + 52, cases[i].at52, strlen(cases[i].at52));
		if (cases[i].glued)
			s.b[S_DYNSTR + 51] = 'x';
		(void)inspect(&s, &f, &err);
		assert_int_equal(f.stack_protector, cases[i].want);
		xb_facts_release(&f);
	}
}

static void elf_variants(void **state)
{
	xb_err err = XB_ERR_INIT;
	elf_opts o = elf_default;
	xb_facts f;
	smp s;

	(void)state;
	/* 32-bit big-endian MIPS with the pre-1.18 pointer layout */
	o.is64 = 0, o.be = 1, o.machine = 8, o.type = 2, o.go = 2, o.pie_flag = 0;
	o.eflags = 0x70001005; /* o32, cpic, noreorder */
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.arch, "mips");
	assert_string_equal(f.endian, "big");
	assert_int_equal(f.bits, 32);
	assert_string_equal(f.type, "exec");
	assert_string_equal(f.abi, "o32 cpic");
	assert_string_equal(f.needed.v[1], "libm.so.6");
	assert_string_equal(f.glibc_max, "2.34");
	assert_non_null(f.go);
	assert_false(f.go->inline_format);
	assert_int_equal(f.go->ptr_size, 4);
	assert_true(f.go->big_endian);
	assert_string_equal(f.go->version, "go1.16.5");
	assert_string_equal(xb_goinfo_setting(f.go, "GOOS"), "linux");
	xb_facts_release(&f);

	/* 64-bit big-endian pointer layout (s390x) */
	o.is64 = 1, o.machine = 22, o.eflags = 0;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.arch, "s390x");
	assert_int_equal(f.go->ptr_size, 8);
	assert_string_equal(f.go->version, "go1.16.5");
	xb_facts_release(&f);

	/* no section headers: everything through the program headers */
	o = elf_default;
	o.sections = 0;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_int_equal(f.stripped, XB_NA);
	assert_string_equal(f.needed.v[0], "libc.so.6");
	assert_string_equal(f.gnu_build_id, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
	assert_string_equal(f.go_build_id, "actA/contB");
	assert_non_null(f.go); /* found by scanning the RW segment */
	assert_string_equal(f.go->version, "go1.21.0");
	xb_facts_release(&f);

	/* static: no interpreter, no dynamic segment */
	o = elf_default;
	o.interp = 0, o.dynamic = 0, o.type = 2, o.go = 0;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.linkage, "static");
	assert_false(f.ld_preload);
	assert_null(f.go);
	xb_facts_release(&f);

	/* static-pie: a dynamic segment, DF_1_PIE, no interpreter, no NEEDED */
	o.dynamic = 1, o.needed = 0, o.type = 3, o.pie_flag = 1;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.type, "pie");
	assert_string_equal(f.linkage, "static-pie");
	xb_facts_release(&f);

	/* an executable at its link address with a dynamic section but no
	 * interpreter (ld -E --no-dynamic-linker) is static: no PIE */
	o.type = 2, o.pie_flag = 0;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.type, "exec");
	assert_string_equal(f.linkage, "static");
	assert_int_equal(f.pie, 0);
	xb_facts_release(&f);

	/* the machine of a Go port in another class or byte order is not
	 * that port: x32, big-endian AArch64 */
	o = elf_default;
	o.is64 = 0, o.machine = 62;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_null(f.arch);
	assert_string_equal(f.machine_name, "x86-64");
	xb_facts_release(&f);
	o = elf_default;
	o.be = 1;
	smp_elf(&s, &o);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_null(f.arch);
	assert_string_equal(f.machine_name, "AArch64");
	xb_facts_release(&f);

	/* RISC-V and ARM float ABIs from e_flags */
	o = elf_default;
	o.machine = 243, o.eflags = 0x5;
	smp_elf(&s, &o);
	inspect(&s, &f, &err);
	assert_string_equal(f.arch, "riscv64");
	assert_string_equal(f.abi, "lp64d");
	xb_facts_release(&f);
	o.is64 = 0, o.machine = 40, o.eflags = 0x05000400;
	smp_elf(&s, &o);
	inspect(&s, &f, &err);
	assert_string_equal(f.arch, "arm");
	assert_string_equal(f.abi, "eabi5 hard-float");
	xb_facts_release(&f);
}

static void elf_extended_numbering(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	/* e_phnum 0xffff, e_shnum 0, e_shstrndx 0xffff: the real values in
	 * section 0 (sh_info, sh_size, sh_link) */
	P16(&s, 56, 0xffff);
	P16(&s, 60, 0);
	P16(&s, 62, 0xffff);
	P32(&s, S_SHOFF + 44, S_NPH);
	P64(&s, S_SHOFF + 32, S_NSH);
	P32(&s, S_SHOFF + 40, 8);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.linkage, "dynamic");
	assert_int_equal(f.stripped, 0);
	assert_non_null(f.go);
	xb_facts_release(&f);
}

static void macho_thin_and_fat(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	smp s;

	(void)state;
	smp_macho(&s, 0x0100000c);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.format, "macho");
	assert_string_equal(f.arch, "arm64");
	assert_string_equal(f.type, "pie");
	assert_string_equal(f.linkage, "dynamic");
	assert_string_equal(f.interpreter, "/usr/lib/dyld");
	assert_string_equal(f.needed.v[0], "/usr/lib/libSystem.B.dylib");
	assert_string_equal(f.libc, "libsystem");
	assert_string_equal(f.uuid, "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	assert_string_equal(f.go_build_id, "macA/macB");
	assert_int_equal(f.stripped, 0);
	assert_string_equal(f.go->version, "go1.21.0");
	xb_facts_release(&f);

	smp_fat(&s);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.format, "macho-fat");
	assert_int_equal(f.nslices, 2);
	assert_string_equal(f.slices[0].arch, "arm64");
	assert_string_equal(f.slices[1].arch, "amd64");
	assert_string_equal(f.slices[1].go->version, "go1.21.0");
	assert_string_equal(f.linkage, "dynamic");
	xb_facts_release(&f);

	smp_fat64(&s);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_int_equal(f.nslices, 2);
	assert_string_equal(f.slices[1].arch, "amd64");
	assert_string_equal(f.slices[0].go->version, "go1.21.0");
	xb_facts_release(&f);

	/* the fat header says arm64, the slice's own header an unknown cpu:
	 * the slice is no arm64 */
	smp_fat(&s);
	memcpy(s.b + 0x1004, "\0\0\0\x01", 4);
	assert_int_equal(inspect(&s, &f, &err), XB_ERR_FORMAT);
	assert_null(f.slices[0].arch);
	assert_null(f.slices[0].machine_name);
	assert_non_null(strstr(err.msg, "slice 0: unknown Mach-O cpu type 0x1000000"));
	xb_facts_release(&f);
}

static void pe_go(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	smp s;

	(void)state;
	smp_pe(&s);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.format, "pe");
	assert_string_equal(f.arch, "amd64");
	assert_int_equal(f.bits, 64);
	assert_string_equal(f.type, "exec");
	assert_int_equal(f.needed.n, 1);
	assert_string_equal(f.needed.v[0], "KERNEL32.dll");
	assert_string_equal(f.libc, "none");
	assert_int_equal(f.pie, 1);
	assert_int_equal(f.nx_stack, 1);
	assert_int_equal(f.stripped, 1);
	assert_string_equal(f.go_build_id, "peA/peB");
	assert_string_equal(f.go->version, "go1.21.0");
	xb_facts_release(&f);
}

static void thirty_two_bit(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	smp s;

	(void)state;
	smp_macho32(&s, 7, 0);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.arch, "386");
	assert_int_equal(f.bits, 32);
	assert_string_equal(f.type, "exec");
	assert_string_equal(f.interpreter, "/usr/lib/dyld");
	assert_string_equal(f.go_build_id, "m32A/m32B");
	/* no __go_buildinfo: found in the RW segment, pointer layout */
	assert_string_equal(f.go->version, "go1.15.15");
	assert_false(f.go->inline_format);
	assert_int_equal(f.go->ptr_size, 4);
	xb_facts_release(&f);

	smp_macho32(&s, 18, 1);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.endian, "big");
	assert_null(f.arch); /* 32-bit ppc: no GOARCH */
	assert_string_equal(f.machine_name, "ppc");
	assert_true(f.go->big_endian);
	xb_facts_release(&f);

	smp_pe32(&s);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_string_equal(f.arch, "386");
	assert_int_equal(f.bits, 32);
	assert_string_equal(f.needed.v[0], "KERNEL32.dll");
	assert_string_equal(f.go->version, "go1.17.13");
	assert_int_equal(f.go->ptr_size, 4);
	xb_facts_release(&f);

	/* a 32-bit header on a 64-bit machine: not Go's port */
	smp_macho32(&s, 0x01000007, 0);
	assert_int_equal(inspect(&s, &f, &err), XB_OK);
	assert_null(f.arch);
	assert_string_equal(f.machine_name, "x86_64");
	xb_facts_release(&f);
	smp_pe32(&s);
	P16(&s, PE_LFANEW + 4, 0x8664);
	inspect(&s, &f, &err);
	assert_null(f.arch);
	assert_string_equal(f.machine_name, "x86-64");
	xb_facts_release(&f);
}

static void verify_lines(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_expect e;
	xb_strv v;
	xb_facts f;
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	inspect(&s, &f, &err);
	xb_expect_init(&e);
	xb_strv_init(&v);
	assert_int_equal(xb_expect_parse(&e, "linkage=static,arch=amd64,max-glibc=2.17,"
					 "needed=libc.so.6,cgo=1,stripped=true,pie=false,"
					 "relro=partial,libc=musl,format=pe,go:-tags=osusergo,"
					 "interpreter=/lib/ld-musl-aarch64.so.1", &err), XB_OK);
	assert_int_equal(xb_verify(&f, &e, &v), XB_ERR_EXPECT);
	assert_true(xb_strv_contains(&v, "expected static, got dynamic: interpreter "
				     "/lib/ld-linux-aarch64.so.1, needs libc.so.6, libm.so.6"));
	assert_true(xb_strv_contains(&v, "expected arch amd64, got arm64 (AArch64)"));
	assert_true(xb_strv_contains(&v, "expected glibc 2.17 or older, needs GLIBC_2.34"));
	assert_true(xb_strv_contains(&v, "needs libm.so.6, which is not allowed (allowed: libc.so.6)"));
	assert_true(xb_strv_contains(&v, "expected Go build setting CGO_ENABLED=1, got CGO_ENABLED=0"));
	assert_true(xb_strv_contains(&v, "expected Go build setting -tags=osusergo, got -tags=netgo"));
	assert_true(xb_strv_contains(&v, "expected stripped, got symbols and debug info"));
	assert_true(xb_strv_contains(&v, "expected not PIE, got PIE"));
	assert_true(xb_strv_contains(&v, "expected relro partial, got full"));
	assert_true(xb_strv_contains(&v, "expected libc musl, got glibc"));
	assert_true(xb_strv_contains(&v, "expected format pe, got elf"));
	assert_true(xb_strv_contains(&v, "expected interpreter /lib/ld-musl-aarch64.so.1, "
				     "got /lib/ld-linux-aarch64.so.1"));
	assert_int_equal(v.n, 12);
	xb_strv_release(&v);
	xb_expect_release(&e);

	xb_expect_init(&e);
	xb_expect_parse(&e, "linkage=dynamic,arch=arm64,max-glibc=2.34,cgo=0,"
			"needed=libc.so.6:libm.so.6,relro=full", &err);
	assert_int_equal(xb_verify(&f, &e, &v), XB_OK);
	assert_int_equal(v.n, 0);
	xb_expect_release(&e);
	xb_facts_release(&f);

	/* fat: the arch must be one slice's, the rest holds for every slice */
	smp_fat(&s);
	inspect(&s, &f, &err);
	xb_expect_init(&e);
	xb_expect_parse(&e, "arch=arm64,linkage=static", &err);
	assert_int_equal(xb_verify(&f, &e, &v), XB_ERR_EXPECT);
	assert_int_equal(v.n, 2);
	assert_non_null(strstr(v.v[0], "slice arm64: expected static, got dynamic"));
	assert_non_null(strstr(v.v[1], "slice amd64: expected static"));
	xb_strv_release(&v);
	xb_expect_release(&e);
	xb_expect_init(&e);
	xb_expect_parse(&e, "arch=riscv64", &err);
	assert_int_equal(xb_verify(&f, &e, &v), XB_ERR_EXPECT);
	assert_string_equal(v.v[0], "expected a slice for arch riscv64, got none");
	xb_strv_release(&v);
	xb_expect_release(&e);
	xb_facts_release(&f);
}

static void json_contract(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;
	xb_buf b;
	xb_json j;
	smp s;
	static const char *const keys[] = {
		"\"path\":", "\"format\":\"elf\"", "\"class\":64", "\"endian\":\"little\"",
		"\"type\":\"pie\"", "\"arch\":\"arm64\"", "\"machine\":183",
		"\"linkage\":\"dynamic\"", "\"interpreter\":\"/lib/ld-linux-aarch64.so.1\"",
		"\"needed\":[\"libc.so.6\",\"libm.so.6\"]", "\"rpath\":null",
		"\"runpath\":\"/opt/lib\"", "\"soname\":null", "\"stripped\":false",
		"\"debug_info\":true", "\"build_ids\":{\"gnu\":\"a0a1", "\"go\":\"actA/contB\"}",
		"\"glibc_max\":\"2.34\"", "\"libc\":\"glibc\"", "\"pie\":true",
		"\"relro\":\"full\"", "\"bind_now\":true", "\"nx_stack\":true",
		"\"textrel\":false", "\"ld_preload\":true", "\"size\":2816",
		"\"go\":{\"version\":\"go1.21.0\",\"path\":\"example.com/hello\",\"main\":{",
		"\"settings\":{\"-compiler\":\"gc\",\"-ldflags\":\"-s -w\"",
		"\"CGO_ENABLED\":\"0\"", "\"deps\":[{\"path\":\"golang.org/x/sys\"",
		NULL,
	};

	(void)state;
	smp_elf(&s, &elf_default);
	inspect(&s, &f, &err);
	xb_buf_init(&b, 0);
	xb_json_init(&j, &b, false);
	xb_facts_json(&f, &j);
	assert_int_equal(xb_json_finish(&j), XB_OK);
	for (int i = 0; keys[i]; i++)
		if (!strstr(xb_buf_str(&b), keys[i]))
			fail_msg("missing %s in %s", keys[i], xb_buf_str(&b));
	assert_null(strstr(xb_buf_str(&b), "\"error\""));
	xb_buf_release(&b);
	xb_facts_release(&f);
}

static void modinfo_quoting(void **state)
{
	static const char mod[] =
		"path\tx\nbuild\t\"key with space\"=\"a\\tb\"\nbuild\t-gcflags=all=-N -l\n"
		"build\tvcs.modified=true\ndep\tonly-path\n";
	xb_goinfo g;

	(void)state;
	xb_goinfo_init(&g);
	assert_int_equal(xb_goinfo_parse_mod(&g, mod, sizeof(mod) - 1), XB_OK);
	assert_string_equal(g.path, "x");
	assert_string_equal(g.settings.v[0], "key with space=a\tb");
	assert_string_equal(xb_goinfo_setting(&g, "-gcflags"), "all=-N -l");
	assert_string_equal(xb_goinfo_setting(&g, "vcs.modified"), "true");
	assert_int_equal(g.ndeps, 1);
	assert_string_equal(g.deps[0].version, "");
	xb_goinfo_release(&g);
}

static void files_that_are_not_binaries(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_facts f;

	(void)state;
	xb_facts_init(&f);
	assert_int_equal(xb_inspect("/", &f, &err), XB_ERR_UNSUPPORTED);
	assert_string_equal(err.msg, "is a directory");
	assert_int_equal(xb_inspect("/dev/zero", &f, &err), XB_ERR_UNSUPPORTED);
	assert_string_equal(err.msg, "not a regular file");
	assert_int_equal(xb_inspect("/nonexistent/x", &f, &err), XB_ERR_NOTFOUND);
	xb_facts_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elf64_dynamic_go),
		cmocka_unit_test(elf_variants),
		cmocka_unit_test(elf_glibc_max_order),
		cmocka_unit_test(elf_stack_chk_in_strings),
		cmocka_unit_test(elf_extended_numbering),
		cmocka_unit_test(macho_thin_and_fat),
		cmocka_unit_test(pe_go),
		cmocka_unit_test(thirty_two_bit),
		cmocka_unit_test(verify_lines),
		cmocka_unit_test(json_contract),
		cmocka_unit_test(modinfo_quoting),
		cmocka_unit_test(files_that_are_not_binaries),
	};
	return RUN(tests);
}
