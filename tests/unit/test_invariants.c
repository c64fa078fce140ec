/* test_invariants.c: the invariants the fuzz targets hold the readers to
 * (tests/fuzz/invariants.c) can fail.  Sound answers of each reader pass;
 * the same facts made inconsistent one field at a time are each reported
 * with the rule they break; JSON that does not parse or disagrees with
 * the facts is reported; and without a hook a broken invariant aborts, so
 * that libFuzzer keeps the input. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "samples.h"
#include "../fuzz/invariants.h"

static xb_strv got; /* what the checker reported */

static void record(const char *msg)
{
	xb_strv_push(&got, msg);
}

/* A reader's answer on a sample, and the facts to damage. */
typedef struct answer {
	smp s;
	xb_facts f;
	xb_err err;
	fuzz_answer a;
} answer;

static answer *load(const smp *s)
{
	answer *x = calloc(1, sizeof(*x));
	xb_src src;

	assert_non_null(x);
	x->s = *s;
	xb_facts_init(&x->f);
	xb_src_mem(&src, x->s.b, x->s.n);
	x->a.rc = xb_inspect_src(&src, &x->f, &x->err);
	x->a.data = x->s.b;
	x->a.size = x->s.n;
	x->a.err = &x->err;
	x->a.whole = true;
	x->a.facts_only = false;
	return x;
}

static void unload(answer *x)
{
	xb_facts_release(&x->f);
	free(x);
}

static void set(char **field, const char *v)
{
	free(*field);
	*field = v ? strdup(v) : NULL;
}

/* Hold x to the invariants: none broken when want is NULL, else one
 * report that says want. */
static void expect(const answer *x, const char *want)
{
	unsigned n;

	xb_strv_release(&got);
	xb_strv_init(&got);
	n = fuzz_check_facts(&x->f, &x->a);
	assert_int_equal(n, got.n);
	if (!want) {
		if (n)
			fail_msg("a sound answer was reported: %s", got.v[0]);
		return;
	}
	for (size_t i = 0; i < got.n; i++)
		if (strstr(got.v[i], want))
			return;
	fail_msg("expected a report of '%s', got %zu%s%s", want, got.n,
		 got.n ? ", the first: " : "", got.n ? got.v[0] : "");
}

/* Load, damage with the statements that follow, expect want, release. */
#define DAMAGED(sample, want, ...)                                             \
	do {                                                                   \
		answer *x = load(sample);                                      \
		xb_facts *f = &x->f;                                           \
		(void)f;                                                       \
		__VA_ARGS__;                                                   \
		expect(x, want);                                               \
		unload(x);                                                     \
	} while (0)

static int setup(void **state)
{
	(void)state;
	xb_strv_init(&got);
	fuzz_violation_hook = record;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xb_strv_release(&got);
	fuzz_violation_hook = NULL;
	return 0;
}

static void sound_answers_pass(void **state)
{
	smp s;

	(void)state;
	for (int i = 0; i < 8; i++) {
		answer *x;

		switch (i) {
		case 0: smp_elf(&s, &elf_default); break;
		case 1: smp_macho(&s, 0x0100000c); break;
		case 2: smp_fat(&s); break;
		case 3: smp_fat64(&s); break;
		case 4: smp_macho32(&s, 18, 1); break;
		case 5: smp_pe(&s); break;
		case 6: smp_pe32(&s); break;
		default: memcpy(s.b, "#!/bin/sh\n", 10), s.n = 10; break;
		}
		x = load(&s);
		assert_int_equal(x->a.rc, i < 7 ? XB_OK : XB_ERR_UNSUPPORTED);
		assert_true(i >= 7 || x->f.go || x->f.nslices);
		expect(x, NULL);
		unload(x);
	}
	/* one format's reader, failing on a cut header */
	{
		xb_err err = XB_ERR_INIT;
		fuzz_answer a = { s.b, 40, XB_OK, &err, false, false };
		xb_facts f;
		xb_src src;

		smp_elf(&s, &elf_default);
		xb_src_mem(&src, s.b, 40);
		xb_facts_init(&f);
		a.rc = xb_elf_inspect(&src, &f, &err);
		assert_int_equal(a.rc, XB_ERR_FORMAT);
		xb_strv_release(&got);
		xb_strv_init(&got);
		assert_int_equal(fuzz_check_facts(&f, &a), 0);
		xb_facts_release(&f);
	}
}

static void linkage_rules(void **state)
{
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	DAMAGED(&s, "a static binary with interpreter", f->linkage = "static");
	DAMAGED(&s, "dynamic without an interpreter or a needed library",
		set(&f->interpreter, NULL), f->ld_preload = false,
		xb_strv_release(&f->needed), f->type = "exec", f->pie = 0);
	DAMAGED(&s, "static-pie, yet format elf, type exec",
		set(&f->interpreter, NULL), f->ld_preload = false,
		xb_strv_release(&f->needed), f->linkage = "static-pie", f->type = "exec",
		f->pie = 0);
	DAMAGED(&s, "ld_preload 0 with interpreter", f->ld_preload = false);
	DAMAGED(&s, "linkage dynamic for a relocatable", f->type = "relocatable",
		f->pie = XB_NA);
	DAMAGED(&s, "libc none for a binary that is not static Go", f->libc = "none");
	DAMAGED(&s, "linkage 'statik' is not one of xbuild(1)'s", f->linkage = "statik");
}

static void machine_rules(void **state)
{
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	DAMAGED(&s, "arch arm64 in a 32-bit file", f->bits = 32);
	DAMAGED(&s, "arch arm64 in a big-endian file", f->endian = "big");
	DAMAGED(&s, "arch 'arm65' is not a Go port", f->arch = "arm65");
	DAMAGED(&s, "pie 1 for type exec", f->type = "exec");
	DAMAGED(&s, "pie 0 for type pie", f->pie = 0);
	DAMAGED(&s, "stripped, yet with debug information", f->stripped = 1,
		f->debug_info = true);
	DAMAGED(&s, "full RELRO without BIND_NOW", f->bind_now = 0);
	DAMAGED(&s, "a elf file with a Mach-O UUID", set(&f->uuid, "00"));
	DAMAGED(&s, "class 48", f->bits = 48);
}

static void strings_come_from_the_input(void **state)
{
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	DAMAGED(&s, "interpreter '/lib/ld-elsewhere.so.1' is not in the input",
		set(&f->interpreter, "/lib/ld-elsewhere.so.1"));
	DAMAGED(&s, "needed library 'libnowhere.so.1' is not in the input",
		xb_strv_push(&f->needed, "libnowhere.so.1"));
	DAMAGED(&s, "GLIBC_2.99 is not in the input", set(&f->glibc_max, "2.99"));
	DAMAGED(&s, "GNU build id abc is not the hex", set(&f->gnu_build_id, "abc"));
	DAMAGED(&s, "GNU build id 0badc0ffee is not the hex",
		set(&f->gnu_build_id, "0badc0ffee"));
	DAMAGED(&s, "Go version 'go9.9.9' is not in the input",
		set(&f->go->version, "go9.9.9"));
	DAMAGED(&s, "size 2817, the input has 2816 bytes", f->size = s.n + 1);
	smp_pe(&s);
	DAMAGED(&s, "is listed twice", xb_strv_push(&f->needed, f->needed.v[0]));
	smp_macho(&s, 0x0100000c);
	DAMAGED(&s, "libc libsystem, and libSystem is not needed",
		xb_strv_release(&f->needed));
}

static void errors_and_facts_agree(void **state)
{
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	DAMAGED(&s, "returned 3, but the error holds 0", x->a.rc = XB_ERR_FORMAT);
	DAMAGED(&s, "succeeded, but the error holds 3", x->err.code = XB_ERR_FORMAT);
	DAMAGED(&s, "returned 3 with no message", x->a.rc = XB_ERR_FORMAT,
		x->err.code = XB_ERR_FORMAT);
	DAMAGED(&s, "1 problems, yet returned 0", xb_facts_problem(f, "damaged"));
	DAMAGED(&s, "failed (cut), yet type pie", x->a.whole = false,
		x->a.rc = xb_fail(&x->err, XB_ERR_FORMAT, "cut"));
	DAMAGED(&s, "returned 12 (", x->a.rc = xb_fail(&x->err, XB_ERR_NOTFOUND, "gone"));
}

static void go_rules(void **state)
{
	static const unsigned char text[] = "path\tex.com/a\nmod\tex.com/a\t(devel)\t\n";
	xb_goinfo g;
	smp s;

	(void)state;
	smp_elf(&s, &elf_default);
	DAMAGED(&s, "Go build info without a Go version", f->go->version[0] = '\0');
	DAMAGED(&s, "Go build info with pointer size 3", f->go->ptr_size = 3);
	DAMAGED(&s, "Go build setting 'CGO_ENABLED' is not KEY=VALUE",
		xb_strv_push(&f->go->settings, "CGO_ENABLED"));

	xb_goinfo_init(&g);
	assert_int_equal(xb_goinfo_parse_mod(&g, (const char *)text, sizeof(text) - 1), XB_OK);
	xb_strv_release(&got);
	xb_strv_init(&got);
	assert_int_equal(fuzz_check_goinfo(&g, text, sizeof(text) - 1, false), 0);
	/* parsed text has no version: read build info must have one */
	assert_int_equal(fuzz_check_goinfo(&g, text, sizeof(text) - 1, true), 2);
	set(&g.main.path, NULL);
	assert_int_equal(fuzz_check_goinfo(&g, text, sizeof(text) - 1, false), 1);
	assert_non_null(strstr(got.v[got.n - 1], "main module without a path"));
	xb_goinfo_release(&g);
}

static void fat_rules(void **state)
{
	smp s;

	(void)state;
	smp_fat(&s);
	DAMAGED(&s, "type exec, yet slice 0 is pie", f->type = "exec");
	DAMAGED(&s, "slice 1 has problems the fat file does not list",
		xb_facts_problem(&f->slices[1], "damaged"));
	DAMAGED(&s, "a fat file with facts of its own", f->libc = "libsystem");
	DAMAGED(&s, "slice 0: arch arm64 in a 32-bit file", f->slices[0].bits = 32,
		f->slices[0].arch = "arm64");
}

static void json_rules(void **state)
{
	xb_err err = XB_ERR_INIT;
	xb_buf b;
	xb_json j;
	answer *x;
	smp s;
	char *p;

	(void)state;
	smp_elf(&s, &elf_default);
	x = load(&s);
	xb_buf_init(&b, 0);
	xb_json_init(&j, &b, false);
	xb_facts_json_err(&x->f, &err, &j);
	assert_int_equal(xb_json_finish(&j), XB_OK);
	xb_strv_release(&got);
	xb_strv_init(&got);
	assert_int_equal(fuzz_check_json(b.data, b.len, &x->f, &err), 0);
	/* cut short */
	assert_int_equal(fuzz_check_json(b.data, b.len - 1, &x->f, &err), 1);
	assert_non_null(strstr(got.v[0], "does not parse"));
	/* a byte that is not UTF-8 */
	p = strstr(b.data, "ld-linux");
	assert_non_null(p);
	*p = '\xff';
	assert_int_equal(fuzz_check_json(b.data, b.len, &x->f, &err), 1);
	assert_non_null(strstr(got.v[1], "does not parse"));
	*p = 'l';
	/* valid, but not what the facts say */
	p = strstr(b.data, "\"linkage\":\"dynamic\"");
	assert_non_null(p);
	memcpy(p, "\"linkage\":\"static\", ", 20);
	assert_int_equal(fuzz_check_json(b.data, b.len, &x->f, &err), 1);
	assert_non_null(strstr(got.v[2], "JSON linkage is 'static', the facts 'dynamic'"));
	/* an error the facts JSON does not carry */
	err.code = XB_ERR_FORMAT;
	assert_int_equal(fuzz_check_json(b.data, b.len, &x->f, &err), 2);
	assert_non_null(strstr(got.v[4], "JSON has no error, but the reader failed"));
	xb_buf_release(&b);
	unload(x);
}

/* libFuzzer's mode: no hook, so a broken invariant aborts. */
static void without_a_hook_it_aborts(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 2);
		fuzz_violation_hook = NULL;
		fuzz_violation("broken on purpose");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sound_answers_pass),
		cmocka_unit_test(linkage_rules),
		cmocka_unit_test(machine_rules),
		cmocka_unit_test(strings_come_from_the_input),
		cmocka_unit_test(errors_and_facts_agree),
		cmocka_unit_test(go_rules),
		cmocka_unit_test(fat_rules),
		cmocka_unit_test(json_rules),
		cmocka_unit_test(without_a_hook_it_aborts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
