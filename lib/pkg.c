/* pkg.c: the Linux packages of a release (packages: in a profile): their
 * names, versions, architectures and dependency words, as the profile is
 * read.  What goes in each and writing them is pkg-write.c; the formats
 * are pkg-deb.c and pkg-rpm.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pkg.h"

/* ---- names --------------------------------------------------------------- */

struct arch_row {
	const char *goarch, *variant; /* variant NULL: any */
	const char *deb, *rpm;
};

static const struct arch_row arch_rows[] = {
	{ "amd64", NULL, "amd64", "x86_64" },
	{ "386", NULL, "i386", "i686" },
	{ "arm64", NULL, "arm64", "aarch64" },
	{ "arm", "5", "armel", "armv5tel" },
	{ "arm", "6", "armel", "armv6hl" },
	{ "arm", NULL, "armhf", "armv7hl" },
	{ "riscv64", NULL, "riscv64", "riscv64" },
	{ "ppc64le", NULL, "ppc64el", "ppc64le" },
	{ "ppc64", NULL, "ppc64", "ppc64" },
	{ "s390x", NULL, "s390x", "s390x" },
	{ "mips", NULL, "mips", "mips" },
	{ "mipsle", NULL, "mipsel", "mipsel" },
	{ "mips64", NULL, "mips64", "mips64" },
	{ "mips64le", NULL, "mips64el", "mips64el" },
	{ "loong64", NULL, "loong64", "loongarch64" },
};

const char *xb_pkg_arch(const char *format, const char *goarch,
			const char *variant)
{
	bool deb = !strcmp(format, "deb");

	if (!goarch)
		return NULL;
	for (size_t i = 0; i < sizeof(arch_rows) / sizeof(arch_rows[0]); i++) {
		const struct arch_row *r = &arch_rows[i];
		if (strcmp(r->goarch, goarch))
			continue;
		if (r->variant && (!variant || strcmp(r->variant, variant)))
			continue;
		return deb ? r->deb : r->rpm;
	}
	return NULL;
}

char *xb_pkg_version(const char *format, const char *v)
{
	/* beyond letters and digits: Debian's version without ':', RPM's
	 * Version; the first '-' (a pre-release) sorts before the release as
	 * '~', a later one is Debian's revision and RPM's '_' (the names
	 * GoReleaser's packages get) */
	bool deb = !strcmp(format, "deb"), dash = false;
	const char *ok = deb ? ".+~" : "._+~^";
	xb_buf b = XB_BUF_INIT;

	if (v[0] == 'v' && isdigit((unsigned char)v[1]))
		v++;
	if (!isdigit((unsigned char)*v))
		xb_buf_adds(&b, "0~");
	for (; *v; v++) {
		char ch = *v;
		if (ch == '-') {
			ch = !dash ? '~' : deb ? '-' : '_';
			dash = true;
		} else if (!isalnum((unsigned char)ch) && !strchr(ok, ch)) {
			ch = '.';
		}
		xb_buf_add(&b, &ch, 1);
	}
	return xb_buf_take(&b);
}

bool xb_pkg_name_ok(const char *s)
{
	if (strlen(s) < 2 || strlen(s) > 100 || !isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("+-.", *s))
			return false;
	return true;
}

static bool dep_word(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]) || !isprint((unsigned char)s[i]) ||
		    strchr(",|", s[i]))
			return false;
	return true;
}

/* s's operator at its start into d->op; its length, 0 when none */
static size_t dep_op(const char *s, xb_pkg_dep *d)
{
	static const char *const ops[][2] = { { ">=", ">=" }, { "<=", "<=" },
		{ ">>", ">>" }, { "<<", "<<" }, { "==", "=" }, { "=", "=" },
		{ ">", ">>" }, { "<", "<<" } };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i][0]);
		if (!strncmp(s, ops[i][0], n)) {
			strcpy(d->op, ops[i][1]);
			return n;
		}
	}
	return 0;
}

xb_code xb_pkg_dep_parse(const char *s, xb_pkg_dep *d, xb_err *err)
{
	const char *p = s, *q;
	size_t n, k;
	bool paren;

	memset(d, 0, sizeof(*d));
	while (isspace((unsigned char)*p))
		p++;
	/* a name may hold parentheses (libc.so.6(GLIBC_2.34)(64bit)), but
	 * not "(" before an operator */
	for (q = p; *q && !isspace((unsigned char)*q) && !strchr("<>=", *q); q++)
		if (*q == '(' && strchr("<>=", q[1 + strspn(q + 1, " \t")]))
			break;
	if (!dep_word(p, (size_t)(q - p)) || (size_t)(q - p) >= sizeof(d->name))
		return xb_fail(err, XB_ERR_USAGE, "dependency '%s' has no valid "
			       "package name (expected NAME, NAME (>= VERSION) "
			       "or NAME >= VERSION)", s);
	memcpy(d->name, p, (size_t)(q - p));
	while (isspace((unsigned char)*q))
		q++;
	if (!*q)
		return XB_OK;
	paren = *q == '(';
	q += paren;
	while (isspace((unsigned char)*q))
		q++;
	if (!(k = dep_op(q, d)))
		goto bad;
	for (q += k; isspace((unsigned char)*q); q++)
		;
	n = strcspn(q, " \t)");
	if (!dep_word(q, n) || n >= sizeof(d->ver))
		goto bad;
	memcpy(d->ver, q, n);
	for (q += n; isspace((unsigned char)*q); q++)
		;
	if (paren && *q++ != ')')
		goto bad;
	while (isspace((unsigned char)*q))
		q++;
	if (!*q)
		return XB_OK;
bad:
	return xb_fail(err, XB_ERR_USAGE, "dependency '%s' is not NAME, NAME "
		       "(OP VERSION) or NAME OP VERSION (OP: >=, <=, =, >, <)", s);
}

