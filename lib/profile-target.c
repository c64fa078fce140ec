/* profile-target.c: the targets a profile names, os/arch[/variant],
 * checked against the platforms and variants Go knows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-int.h"

static const char *const known_os[] = { "aix", "android", "darwin",
	"dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd",
	"openbsd", "plan9", "solaris", "wasip1", "windows", NULL };
static const char *const known_arch[] = { "386", "amd64", "arm", "arm64",
	"loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le",
	"riscv64", "s390x", "wasm", NULL };

/* Measured with Go 1.26 (go build, then xbuild inspect): openbsd links
 * libc.so and libpthread.so (on amd64 and arm64 since Go 1.16, and later
 * on the other arches too), solaris and illumos libc.so, aix libc.a; an
 * android executable is a PIE loaded by /system/bin/linker64; darwin
 * and ios link libSystem; windows builds PIE by default since Go 1.15. */
static const xb_osinfo os_info[] = {
	{ "aix", NULL, "an XCOFF executable", "it links libc.a", false },
	{ "android", "elf", NULL, "Bionic's loader runs it", true },
	{ "darwin", "macho", NULL, "it links libSystem", true },
	{ "dragonfly", "elf", NULL, NULL, false },
	{ "freebsd", "elf", NULL, NULL, false },
	{ "illumos", "elf", NULL, "it links libc.so", false },
	{ "ios", "macho", NULL, "it links libSystem", true },
	{ "js", NULL, "a WebAssembly module", NULL, false },
	{ "linux", "elf", NULL, NULL, false },
	{ "netbsd", "elf", NULL, NULL, false },
	{ "openbsd", "elf", NULL, "it links libc.so", false },
	{ "plan9", NULL, "a Plan 9 a.out executable", NULL, false },
	{ "solaris", "elf", NULL, "it links libc.so", false },
	{ "wasip1", NULL, "a WebAssembly module", NULL, false },
	{ "windows", "pe", NULL, NULL, true },
};

const xb_osinfo *xb_os_info(const char *os)
{
	for (size_t i = 0; os && i < sizeof(os_info) / sizeof(os_info[0]); i++)
		if (!strcmp(os_info[i].os, os))
			return &os_info[i];
	return NULL;
}

static const char *const v_arm[] = { "5", "6", "7", "5,softfloat",
	"5,hardfloat", "6,softfloat", "6,hardfloat", "7,softfloat",
	"7,hardfloat", NULL };
static const char *const v_amd64[] = { "v1", "v2", "v3", "v4", NULL };
static const char *const v_386[] = { "sse2", "softfloat", NULL };
static const char *const v_arm64[] = { "v8.0", "v8.1", "v8.2", "v8.3",
	"v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9.0", "v9.1",
	"v9.2", "v9.3", "v9.4", "v9.5", NULL };
static const char *const v_riscv64[] = { "rva20u64", "rva22u64", "rva23u64",
	NULL };
static const char *const v_mips[] = { "hardfloat", "softfloat", NULL };
static const char *const v_ppc64[] = { "power8", "power9", "power10", NULL };

static const char *const *variants_of(const char *arch)
{
	if (!strcmp(arch, "arm"))
		return v_arm;
	if (!strcmp(arch, "amd64"))
		return v_amd64;
	if (!strcmp(arch, "386"))
		return v_386;
	if (!strcmp(arch, "arm64"))
		return v_arm64;
	if (!strcmp(arch, "riscv64"))
		return v_riscv64;
	if (!strncmp(arch, "mips", 4))
		return v_mips;
	if (!strncmp(arch, "ppc64", 5))
		return v_ppc64;
	return NULL;
}

void xb_target_free_names(xb_target *t)
{
	free(t->os);
	free(t->arch);
	free(t->variant);
	free(t->name);
	t->os = t->arch = t->variant = t->name = NULL;
}

void xb_target_release(xb_target *t)
{
	xb_target_free_names(t);
	xb_settings_release(&t->over);
	xb_settings_release(&t->s);
}

/* "unknown os 'linx'; did you mean 'linux'? (expected ...)". */
static xb_code unknown(xb_err *err, const char *what, const char *word,
		       const char *const *known)
{
	const char *near = xb_closest(word, known);
	xb_buf b = XB_BUF_INIT;

	xb_list_words(&b, known);
	xb_fail(err, XB_ERR_PROFILE, "unknown %s '%s'%s%s%s (expected %s)",
		what, word, near ? "; did you mean '" : "", near ? near : "",
		near ? "'?" : "", xb_buf_str(&b));
	xb_buf_release(&b);
	return XB_ERR_PROFILE;
}

xb_code xb_target_set(xb_target *t, const char *os, const char *arch,
		      const char *variant, xb_err *err)
{
	xb_buf b = XB_BUF_INIT;
	const char *const *vs;
	char v[32];

	if (!xb_str_in(os, known_os))
		return unknown(err, "os", os, known_os);
	if (!xb_str_in(arch, known_arch))
		return unknown(err, "arch", arch, known_arch);
	if (variant && *variant) {
		/* linux/arm/v7, as Docker spells it, is linux/arm/7 */
		snprintf(v, sizeof(v), "%s", !strcmp(arch, "arm") &&
			 variant[0] == 'v' ? variant + 1 : variant);
		vs = variants_of(arch);
		if (!vs) {
			return xb_fail(err, XB_ERR_PROFILE, "arch %s has no "
				       "variants (got '%s')", arch, variant);
		}
		if (!xb_str_in(v, vs)) {
			xb_list_words(&b, vs);
			xb_fail(err, XB_ERR_PROFILE, "invalid %s variant '%s' "
				"(expected %s)", arch, variant, xb_buf_str(&b));
			xb_buf_release(&b);
			return XB_ERR_PROFILE;
		}
	}
	xb_target_free_names(t);
	t->os = strdup(os);
	t->arch = strdup(arch);
	t->variant = variant && *variant ? strdup(v) : NULL;
	xb_buf_addf(&b, "%s/%s%s%s", os, arch, t->variant ? "/" : "",
		    t->variant ? t->variant : "");
	t->name = xb_buf_take(&b);
	if (!t->os || !t->arch || !t->name || (variant && *variant && !t->variant))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

xb_code xb_target_parse(xb_target *t, const char *spec, xb_err *err)
{
	char buf[128], *os, *arch, *variant;

	if (strlen(spec) >= sizeof(buf))
		return xb_fail(err, XB_ERR_PROFILE, "target '%.40s...' is too long",
			       spec);
	snprintf(buf, sizeof(buf), "%s", spec);
	os = buf;
	arch = strchr(os, '/');
	if (!arch || !arch[1] || arch == os)
		return xb_fail(err, XB_ERR_PROFILE, "invalid target '%s' "
			       "(expected os/arch or os/arch/variant, such as "
			       "linux/arm64 or linux/arm/7)", spec);
	*arch++ = '\0';
	variant = strchr(arch, '/');
	if (variant) {
		*variant++ = '\0';
		if (!*variant || strchr(variant, '/'))
			return xb_fail(err, XB_ERR_PROFILE, "invalid target '%s' "
				       "(expected os/arch or os/arch/variant)",
				       spec);
	}
	return xb_target_set(t, os, arch, variant, err);
}

/* '*' matches any one part; a pattern without a variant matches every
 * variant. */
int xb_target_match(const char *pattern, const xb_target *t)
{
	char buf[128], *parts[3] = { NULL, NULL, NULL }, *save = NULL, *p;
	const char *have[3] = { t->os, t->arch, t->variant };
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", pattern);
	for (p = strtok_r(buf, "/", &save); p && n < 3;
	     p = strtok_r(NULL, "/", &save))
		parts[n++] = p;
	for (int i = 0; i < n; i++) {
		if (!strcmp(parts[i], "*"))
			continue;
		if (!have[i] || strcmp(parts[i], have[i]))
			return 0;
	}
	return 1;
}
