/* linkdiag.c: turn linker output into a few lines that say what is
 * missing and where it lives.
 *
 * The output comes from GNU ld, gold, lld, zig or ld64 through go's
 * external link, and is untrusted text: lines are split and capped, and
 * every name is copied with a length bound.  Undefined symbols are first
 * matched against a small table of well-known libraries; the rest are
 * looked up in the symbol indexes of the static archives of the target's
 * library folders (ar.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linkdiag.h"
#include "bin/ar.h"
#include "cgolink.h"

#define MAX_SYMBOLS 64     /* distinct undefined symbols examined */
#define MAX_NAME 256       /* longer symbol names are cut */
#define MAX_ARCHIVES 4096  /* archives searched in all */
#define MAX_LISTED 6       /* symbols named in one diagnosis */

/* Well-known symbols and the library that defines them.  A name ending
 * in '*' is a prefix. */
static const struct known {
	const char *sym;
	const char *lib;  /* the flag to add */
	const char *what; /* a few words about it */
} known[] = {
	{ "sqrt", "-lm", "the math library" },
	{ "sin", "-lm", NULL }, { "cos", "-lm", NULL }, { "tan", "-lm", NULL },
	{ "asin", "-lm", NULL }, { "acos", "-lm", NULL }, { "atan", "-lm", NULL },
	{ "atan2", "-lm", NULL }, { "sinh", "-lm", NULL }, { "cosh", "-lm", NULL },
	{ "tanh", "-lm", NULL }, { "asinh", "-lm", NULL }, { "acosh", "-lm", NULL },
	{ "atanh", "-lm", NULL }, { "exp", "-lm", NULL }, { "exp2", "-lm", NULL },
	{ "expm1", "-lm", NULL }, { "log", "-lm", NULL }, { "log2", "-lm", NULL },
	{ "log10", "-lm", NULL }, { "log1p", "-lm", NULL }, { "pow", "-lm", NULL },
	{ "fmod", "-lm", NULL }, { "floor", "-lm", NULL }, { "ceil", "-lm", NULL },
	{ "round", "-lm", NULL }, { "trunc", "-lm", NULL }, { "lround", "-lm", NULL },
	{ "llround", "-lm", NULL }, { "rint", "-lm", NULL }, { "lrint", "-lm", NULL },
	{ "nearbyint", "-lm", NULL }, { "hypot", "-lm", NULL }, { "cbrt", "-lm", NULL },
	{ "erf", "-lm", NULL }, { "erfc", "-lm", NULL }, { "tgamma", "-lm", NULL },
	{ "lgamma", "-lm", NULL }, { "fabs", "-lm", NULL }, { "ldexp", "-lm", NULL },
	{ "frexp", "-lm", NULL }, { "modf", "-lm", NULL }, { "copysign", "-lm", NULL },
	{ "fmin", "-lm", NULL }, { "fmax", "-lm", NULL }, { "fma", "-lm", NULL },
	{ "remainder", "-lm", NULL }, { "sincos", "-lm", NULL },
	{ "__*_finite", "-lm", NULL },
	{ "dlopen", "-ldl", "the dynamic loading library" },
	{ "dlsym", "-ldl", NULL }, { "dlclose", "-ldl", NULL },
	{ "dlerror", "-ldl", NULL }, { "dladdr", "-ldl", NULL }, { "dlvsym", "-ldl", NULL },
	{ "pthread_*", "-lpthread", "POSIX threads (part of libc since glibc 2.34)" },
	{ "sem_*", "-lpthread", NULL },
	{ "shm_open", "-lrt", "the real-time library (part of libc since glibc 2.34)" },
	{ "shm_unlink", "-lrt", NULL }, { "timer_*", "-lrt", NULL },
	{ "mq_*", "-lrt", NULL }, { "aio_*", "-lrt", NULL },
	{ "clock_gettime", "-lrt", NULL },
	{ "deflate*", "-lz", "zlib" }, { "inflate*", "-lz", NULL },
	{ "compress", "-lz", NULL }, { "compress2", "-lz", NULL },
	{ "compressBound", "-lz", NULL }, { "uncompress", "-lz", NULL },
	{ "uncompress2", "-lz", NULL }, { "crc32", "-lz", NULL },
	{ "crc32_*", "-lz", NULL }, { "adler32*", "-lz", NULL }, { "gz*", "-lz", NULL },
	{ "zlibVersion", "-lz", NULL }, { "zError", "-lz", NULL },
	{ "get_crc_table", "-lz", NULL },
	{ "ZSTD_*", "-lzstd", "zstd" }, { "lzma_*", "-llzma", "liblzma" },
	{ "BZ2_*", "-lbz2", "bzip2" },
	{ "SSL_*", "-lssl", "OpenSSL" }, { "TLS_*", "-lssl", NULL },
	{ "DTLS_*", "-lssl", NULL },
	{ "EVP_*", "-lcrypto", "OpenSSL's libcrypto" }, { "CRYPTO_*", "-lcrypto", NULL },
	{ "ERR_*", "-lcrypto", NULL }, { "BIO_*", "-lcrypto", NULL },
	{ "RAND_*", "-lcrypto", NULL }, { "BN_*", "-lcrypto", NULL },
	{ "X509_*", "-lcrypto", NULL }, { "PEM_*", "-lcrypto", NULL },
	{ "OPENSSL_*", "-lcrypto", NULL },
	{ "res_*", "-lresolv", "the resolver library" }, { "__res_*", "-lresolv", NULL },
	{ "dn_expand", "-lresolv", NULL }, { "ns_*", "-lresolv", NULL },
	{ "__atomic_*", "-latomic", "libatomic" },
	{ "_gfortran_*", "-lgfortran", "the Fortran runtime" },
	{ "_Unwind_*", "-static-libgcc", "libgcc's unwinder (libgcc_eh)" },
	{ "std::*", "-lstdc++", "the C++ runtime (static: -static-libstdc++)" },
	{ "operator new*", "-lstdc++", NULL }, { "operator delete*", "-lstdc++", NULL },
	{ "vtable for std::*", "-lstdc++", NULL }, { "typeinfo for std::*", "-lstdc++", NULL },
	{ "__cxa_*", "-lstdc++", NULL }, { "__gxx_personality_v0", "-lstdc++", NULL },
	{ "_ZNSt*", "-lstdc++", NULL }, { "_ZSt*", "-lstdc++", NULL },
	{ "_Znw*", "-lstdc++", NULL }, { "_Zna*", "-lstdc++", NULL },
	{ "_ZdlPv*", "-lstdc++", NULL }, { "_ZdaPv*", "-lstdc++", NULL },
};

static bool glob_match(const char *pat, const char *s)
{
	const char *star = strchr(pat, '*');

	if (!star)
		return strcmp(pat, s) == 0;
	size_t pre = (size_t)(star - pat), suf = strlen(star + 1), n = strlen(s);
	return n >= pre + suf && strncmp(s, pat, pre) == 0 &&
	       strcmp(s + n - suf, star + 1) == 0;
}

static const struct known *lookup_known(const char *sym)
{
	char base[MAX_NAME + 1];
	size_t n = strlen(sym);

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (glob_match(known[i].sym, sym))
			return &known[i];
	/* float and long double forms of the math functions: sqrtf, sqrtl */
	if (n > 1 && n <= MAX_NAME && (sym[n - 1] == 'f' || sym[n - 1] == 'l')) {
		memcpy(base, sym, n - 1);
		base[n - 1] = '\0';
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(known[i].lib, "-lm") == 0 &&
			    !strchr(known[i].sym, '*') &&
			    strcmp(known[i].sym, base) == 0)
				return &known[i];
	}
	return NULL;
}

static const char *what_of(const char *lib)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].lib, lib) == 0 && known[i].what)
			return known[i].what;
	return "";
}

/* glibc functions that warn in static links, by what they do. */
enum nss_class { NSS_NET, NSS_USER, NSS_DLOPEN, NSS_OTHER, NSS_N };

static enum nss_class classify_nss(const char *f)
{
	static const char *const net[] = {
		"getaddrinfo", "getnameinfo", "gethostby*", "getservby*",
		"getprotoby*", "getnetby*", "gethostent*", "getaddrinfo_a",
		"getservent*", "getprotoent*", NULL };
	static const char *const user[] = {
		"getpw*", "getgr*", "getspnam*", "initgroups", "getlogin*",
		"getgrouplist", NULL };

	if (strcmp(f, "dlopen") == 0 || strcmp(f, "dlmopen") == 0)
		return NSS_DLOPEN;
	for (int i = 0; net[i]; i++)
		if (glob_match(net[i], f))
			return NSS_NET;
	for (int i = 0; user[i]; i++)
		if (glob_match(user[i], f))
			return NSS_USER;
	return NSS_OTHER;
}

static const char *const nss_text[NSS_N] = {
	"network name lookups go through glibc's NSS, which at run time loads "
	"the shared libraries of the exact glibc version used for linking: on "
	"another system they fail or crash (fix: -tags netgo,osusergo for Go's "
	"own resolver, or link against musl)",
	"user and group lookups go through glibc's NSS, which at run time loads "
	"the shared libraries of the exact glibc version used for linking: on "
	"another system they fail or crash (fix: -tags netgo,osusergo for Go's "
	"own lookups, or link against musl)",
	"dlopen in a static binary can load only libraries built for the exact "
	"glibc version used for linking, present at run time (fix: avoid the "
	"code path that loads them, e.g. sqlite's sqlite_omit_load_extension "
	"tag, or link against musl)",
	"needs at run time the shared libraries of the exact glibc version used "
	"for linking (fix: -tags netgo,osusergo, or link against musl)",
};

/* Collected findings. */
typedef struct finding {
	const char *key;    /* group: a library flag or archive path */
	xb_strv syms;
	xb_strv users;      /* "-lfoo" of the archives that need them */
} finding;

typedef struct diag {
	xb_strv undef;           /* distinct undefined symbols */
	xb_strv undef_from;      /* per symbol: "-lfoo" of the archive that
				  * referenced it first, or "" */
	char ctx[MAX_NAME + 1];  /* the archive of the last "in function" */
	size_t undef_dropped;    /* beyond MAX_SYMBOLS */
	xb_strv nss[NSS_N];      /* functions per class */
	xb_strv missing_lib;     /* "foo" of cannot find -lfoo */
	xb_strv incompatible;    /* paths skipped as incompatible */
	xb_strv other;           /* finished diagnoses */
	bool pie_reloc;
	bool ro_dynreloc;
} diag;

static void copy_name(char *dst, const char *s, size_t n)
{
	if (n > MAX_NAME)
		n = MAX_NAME;
	memcpy(dst, s, n);
	dst[n] = '\0';
	/* sqrt@GLIBC_2.2.5, sqrt@@GLIBC_2.29: the name is before the '@' */
	char *at = strchr(dst, '@');
	if (at && at != dst)
		*at = '\0';
	/* trailing blanks and quotes of sloppy formats */
	for (size_t k = strlen(dst); k && strchr(" \t\r\"'`", dst[k - 1]); k--)
		dst[k - 1] = '\0';
}

static void add_unique(xb_strv *sv, const char *s, size_t cap, size_t *dropped)
{
	if (!*s || xb_strv_contains(sv, s))
		return;
	if (sv->n >= cap) {
		if (dropped)
			(*dropped)++;
		return;
	}
	xb_strv_push(sv, s);
}

static const char *find_mem(const char *hay, size_t n, const char *needle);

/* "-lsqlite3" for a line that names ".../libsqlite3.a(func.o)" before
 * upto; "" when it names no such archive. */
static void referrer(const char *line, size_t upto, char *out)
{
	const char *k = find_mem(line, upto, ".a(");
	const char *b;

	*out = '\0';
	if (!k)
		return;
	for (b = k; b > line && b[-1] != ' ' && b[-1] != '/' && b[-1] != '\t'; b--)
		;
	if (k - b > 3 && k - b < MAX_NAME - 2 && strncmp(b, "lib", 3) == 0)
		snprintf(out, MAX_NAME + 1, "-l%.*s", (int)(k - b - 3), b + 3);
}

static void add_undef(struct diag *d, const char *name, const char *from)
{
	for (size_t i = 0; i < d->undef.n; i++)
		if (strcmp(d->undef.v[i], name) == 0) {
			if (!*d->undef_from.v[i] && *from) {
				char *c = strdup(from);
				if (c) {
					free(d->undef_from.v[i]);
					d->undef_from.v[i] = c;
				}
			}
			return;
		}
	if (!*name)
		return;
	if (d->undef.n >= MAX_SYMBOLS) {
		d->undef_dropped++;
		return;
	}
	if (xb_strv_push(&d->undef, name))
		return;
	if (xb_strv_push(&d->undef_from, from)) {
		/* keep the two in step */
		free(d->undef.v[--d->undef.n]);
		d->undef.v[d->undef.n] = NULL;
	}
}

static const char *find_mem(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	if (k > n)
		return NULL;
	return memmem(hay, n, needle, k);
}

/* The name after an opening quote (` ' or U+2018) up to its closing one
 * (' ` or U+2019), within line[0..n). */
static bool quoted_name(const char *p, const char *end, char *name)
{
	const char *q;

	if (p < end && (*p == '`' || *p == '\'' || *p == '"'))
		p++;
	else if (end - p >= 3 && memcmp(p, "\xe2\x80\x98", 3) == 0)
		p += 3;
	else
		return false;
	for (q = p; q < end; q++) {
		if (*q == '\'' || *q == '`' || *q == '"')
			break;
		if (end - q >= 3 && memcmp(q, "\xe2\x80\x99", 3) == 0)
			break;
	}
	if (q == p)
		return false;
	copy_name(name, p, (size_t)(q - p));
	return *name != '\0';
}

static void scan_line(diag *d, const char *line, size_t n, bool *in_ld64)
{
	const char *end = line + n, *p;
	char name[MAX_NAME + 1];

	char from[MAX_NAME + 1];

	if ((p = find_mem(line, n, "undefined reference to "))) {
		referrer(line, (size_t)(p - line), from);
		if (quoted_name(p + 23, end, name))
			add_undef(d, name, *from ? from : d->ctx);
		return;
	}
	if ((p = find_mem(line, n, ": in function "))) {
		referrer(line, (size_t)(p - line), d->ctx);
		return;
	}
	if ((p = find_mem(line, n, "undefined symbol: "))) {
		p += 18;
		copy_name(name, p, (size_t)(end - p));
		add_undef(d, name, "");
		return;
	}
	if (n > 3 && memcmp(line, ">>>", 3) == 0) {
		/* lld: ">>>   libsqlite3.a(func.o):(...)" under its symbol */
		referrer(line, n, from);
		if (*from && d->undef_from.n && !*d->undef_from.v[d->undef_from.n - 1])
			add_undef(d, d->undef.v[d->undef.n - 1], from);
		return;
	}
	if (find_mem(line, n, "Undefined symbols for architecture")) {
		*in_ld64 = true;
		return;
	}
	if (*in_ld64) {
		/* ld64:   "_sqrt", referenced from: */
		p = line;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '"' && find_mem(p, (size_t)(end - p), "referenced from")) {
			if (quoted_name(p, end, name)) {
				/* C symbols carry a leading underscore on Mach-O */
				const char *s = name[0] == '_' ? name + 1 : name;
				char tmp[MAX_NAME + 1];
				snprintf(tmp, sizeof(tmp), "%s", s);
				add_undef(d, tmp, "");
			}
			return;
		}
		if (p < end && *p != '"' && p == line)
			*in_ld64 = false;
	}
	if ((p = find_mem(line, n, "in statically linked applications requires"))) {
		const char *u = find_mem(line, (size_t)(p - line), "Using ");
		if (u && quoted_name(u + 6, p, name))
			add_unique(&d->nss[classify_nss(name)], name, MAX_SYMBOLS, NULL);
		return;
	}
	if ((p = find_mem(line, n, "cannot find -l")) ||
	    (p = find_mem(line, n, "unable to find library -l"))) {
		p = *p == 'c' ? p + 14 : p + 25; /* just after "-l" */
		const char *q = p;
		while (q < end && *q != ':' && *q != ' ' && *q != '\t' && *q != '\r')
			q++;
		copy_name(name, p, (size_t)(q - p));
		add_unique(&d->missing_lib, name, MAX_SYMBOLS, NULL);
		return;
	}
	if ((p = find_mem(line, n, "skipping incompatible "))) {
		p += 22;
		const char *q = find_mem(p, (size_t)(end - p), " when searching for");
		if (q) {
			copy_name(name, p, (size_t)(q - p));
			add_unique(&d->incompatible, name, MAX_SYMBOLS, NULL);
		}
		return;
	}
	if (find_mem(line, n, "can not be used when making a PIE object") ||
	    find_mem(line, n, "recompile with -fPIE"))
		d->pie_reloc = true;
	if (find_mem(line, n, "read-only segment has dynamic relocations"))
		d->ro_dynreloc = true;
}

/* "a, b, c (and 4 more)" */
static void list_names(xb_buf *b, const xb_strv *sv)
{
	for (size_t i = 0; i < sv->n && i < MAX_LISTED; i++)
		xb_buf_addf(b, "%s%s", i ? ", " : "", sv->v[i]);
	if (sv->n > MAX_LISTED)
		xb_buf_addf(b, " (and %zu more)", sv->n - MAX_LISTED);
}

static finding *group(finding **g, size_t *n, const char *key)
{
	finding *grown;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*g)[i].key, key) == 0)
			return &(*g)[i];
	grown = realloc(*g, (*n + 1) * sizeof(**g));
	if (!grown)
		return NULL;
	*g = grown;
	grown[*n].key = key;
	xb_strv_init(&grown[*n].syms);
	xb_strv_init(&grown[*n].users);
	return &grown[(*n)++];
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lib*.a files of dir, sorted. */
static void archives_of(const char *dir, xb_strv *out, size_t *budget)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t first = out->n;

	if (!dp)
		return;
	while ((de = readdir(dp)) && *budget) {
		size_t k = strlen(de->d_name);
		if (k < 5 || strncmp(de->d_name, "lib", 3) ||
		    strcmp(de->d_name + k - 2, ".a"))
			continue;
		xb_strv_pushf(out, "%s/%s", dir, de->d_name);
		(*budget)--;
	}
	closedir(dp);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof(char *), cmp_str);
}

/* Search the archives for each symbol in syms; found[i] gets the archive
 * path (owned by paths) or NULL. */
static void search_archives(const xb_strv *dirs, const xb_strv *syms,
			    const char **found, xb_strv *paths)
{
	size_t budget = MAX_ARCHIVES, left = syms->n;
	xb_ar_symtab st;

	for (size_t i = 0; i < dirs->n; i++)
		archives_of(dirs->v[i], paths, &budget);
	xb_ar_symtab_init(&st);
	for (size_t a = 0; a < paths->n && left; a++) {
		if (xb_ar_symtab_read(&st, paths->v[a], NULL))
			continue;
		for (size_t k = 0; k < st.names.n && left; k++)
			for (size_t s = 0; s < syms->n; s++)
				if (!found[s] && strcmp(st.names.v[k], syms->v[s]) == 0) {
					found[s] = paths->v[a];
					left--;
				}
	}
	xb_ar_symtab_release(&st);
}

static void lib_flag(xb_buf *b, const char *archive)
{
	const char *base = strrchr(archive, '/');
	size_t k;

	base = base ? base + 1 : archive;
	k = strlen(base);
	if (k > 5 && strncmp(base, "lib", 3) == 0 && strcmp(base + k - 2, ".a") == 0)
		xb_buf_addf(b, "-l%.*s", (int)(k - 5), base + 3);
	else
		xb_buf_adds(b, archive);
}

/* The path of libNAME.so in dirs when no libNAME.a is there; caller
 * frees; NULL otherwise. */
static char *shared_only(const xb_strv *dirs, const char *name)
{
	char *so = NULL;

	for (size_t i = 0; i < dirs->n; i++) {
		xb_buf p = XB_BUF_INIT;
		xb_buf_addf(&p, "%s/lib%s.a", dirs->v[i], name);
		if (access(xb_buf_str(&p), F_OK) == 0) {
			xb_buf_release(&p);
			free(so);
			return NULL;
		}
		xb_buf_reset(&p);
		xb_buf_addf(&p, "%s/lib%s.so", dirs->v[i], name);
		if (!so && access(xb_buf_str(&p), F_OK) == 0)
			so = xb_buf_take(&p);
		xb_buf_release(&p);
	}
	return so;
}

/* The diagnoses as they are written: at most left more, the rest
 * counted. */
struct report {
	xb_strv *out;
	size_t left, dropped;
	size_t errors; /* diagnoses that explain a failed link */
	xb_buf b;      /* the diagnosis being written */
};

static void emit(struct report *r)
{
	if (r->left) {
		xb_strv_push(r->out, xb_buf_str(&r->b));
		r->left--;
	} else {
		r->dropped++;
	}
	xb_buf_reset(&r->b);
}

static void scan(diag *d, const char *out, size_t len)
{
	bool in_ld64 = false;

	for (const char *p = out, *end = out ? out + len : NULL; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		scan_line(d, p, n, &in_ld64);
		p += n + (nl ? 1 : 0);
	}
}

/* Undefined symbols the table knows, one diagnosis per library; the
 * others go to rest. */
static void report_known(const diag *d, xb_strv *rest, struct report *r)
{
	finding *g = NULL;
	size_t ng = 0;

	for (size_t i = 0; i < d->undef.n; i++) {
		const struct known *k = lookup_known(d->undef.v[i]);
		finding *f;
		if (k) {
			if ((f = group(&g, &ng, k->lib))) {
				const char *u = d->undef_from.v[i];
				xb_strv_push(&f->syms, d->undef.v[i]);
				if (*u && strcmp(u, k->lib) != 0)
					add_unique(&f->users, u, 8, NULL);
			}
		} else {
			xb_strv_push(rest, d->undef.v[i]);
		}
	}
	for (size_t i = 0; i < ng; i++) {
		xb_buf_adds(&r->b, "undefined ");
		list_names(&r->b, &g[i].syms);
		xb_buf_addf(&r->b, ": needs %s", g[i].key);
		if (*what_of(g[i].key))
			xb_buf_addf(&r->b, " (%s)", what_of(g[i].key));
		if (g[i].users.n) {
			xb_buf_adds(&r->b, ", after ");
			for (size_t u = 0; u < g[i].users.n; u++)
				xb_buf_addf(&r->b, "%s%s", u ? ", " : "", g[i].users.v[u]);
			xb_buf_addf(&r->b, ", which use%s it", g[i].users.n == 1 ? "s" : "");
		} else {
			xb_buf_adds(&r->b, ", after the libraries that use it");
		}
		r->errors++;
		emit(r);
		xb_strv_release(&g[i].syms);
		xb_strv_release(&g[i].users);
	}
	free(g);
}

/* The other undefined symbols, by the archive in dirs that defines
 * them. */
static void report_archives(const xb_strv *dirs, const xb_strv *rest,
			    struct report *r)
{
	xb_strv paths = XB_STRV_INIT;
	finding *g = NULL;
	size_t ng = 0;
	const char **found = calloc(rest->n, sizeof(*found));

	if (found) {
		search_archives(dirs, rest, found, &paths);
		for (size_t i = 0; i < rest->n; i++) {
			finding *f = group(&g, &ng, found[i] ? found[i] : "");
			if (f)
				xb_strv_push(&f->syms, rest->v[i]);
		}
	}
	for (size_t i = 0; i < ng; i++) {
		xb_buf_adds(&r->b, "undefined ");
		list_names(&r->b, &g[i].syms);
		if (*g[i].key) {
			xb_buf_addf(&r->b, ": defined in %s; add ", g[i].key);
			lib_flag(&r->b, g[i].key);
		} else if (dirs->n) {
			xb_buf_adds(&r->b, ": not defined in any static archive of ");
			for (size_t k = 0; k < dirs->n; k++)
				xb_buf_addf(&r->b, "%s%s", k ? ", " : "", dirs->v[k]);
			xb_buf_adds(&r->b, " (a library or C source is missing)");
		} else {
			xb_buf_adds(&r->b, ": not defined in any archive "
				    "(no library folder to search)");
		}
		r->errors++;
		emit(r);
		xb_strv_release(&g[i].syms);
		xb_strv_release(&g[i].users);
	}
	free(g);
	free(found);
	xb_strv_release(&paths);
}

static void report_missing_libs(const diag *d, const xb_strv *dirs,
				struct report *r)
{
	for (size_t i = 0; i < d->missing_lib.n; i++) {
		const char *l = d->missing_lib.v[i];
		char *so = shared_only(dirs, l);
		if (so)
			xb_buf_addf(&r->b, "cannot find -l%s: only the shared %s "
				    "exists, a static link needs lib%s.a (install "
				    "the static library, or link dynamically)",
				    l, so, l);
		else
			xb_buf_addf(&r->b, "cannot find -l%s: no lib%s.a (nor lib%s.so) "
				    "in the library search path; install the "
				    "target's static library or give its folder",
				    l, l, l);
		free(so);
		r->errors++;
		emit(r);
	}
}

/* Skipped libraries, relocations the link refused, static glibc's NSS. */
static void report_others(const diag *d, struct report *r)
{
	for (size_t i = 0; i < d->incompatible.n; i++) {
		xb_buf_addf(&r->b, "%s was skipped: it is built for another "
			    "architecture (a host library in a cross link?)",
			    d->incompatible.v[i]);
		emit(r);
	}
	if (d->pie_reloc) {
		xb_buf_adds(&r->b, "an object is not position-independent: a PIE or "
			    "static-pie link needs its C code built with -fPIE "
			    "(or link static without PIE)");
		r->errors++;
		emit(r);
	}
	if (d->ro_dynreloc) {
		xb_buf_adds(&r->b, "read-only segment has dynamic relocations: a "
			    "static-pie link needs -buildmode=pie");
		r->errors++;
		emit(r);
	}
	for (int c = 0; c < NSS_N; c++) {
		if (!d->nss[c].n)
			continue;
		xb_buf_adds(&r->b, "static glibc: ");
		list_names(&r->b, &d->nss[c]);
		xb_buf_addf(&r->b, ": %s", nss_text[c]);
		emit(r);
	}
}

static void diag_release(diag *d)
{
	xb_strv_release(&d->undef);
	xb_strv_release(&d->undef_from);
	for (int c = 0; c < NSS_N; c++)
		xb_strv_release(&d->nss[c]);
	xb_strv_release(&d->missing_lib);
	xb_strv_release(&d->incompatible);
	xb_strv_release(&d->other);
}

size_t xb_linkdiag(const char *out, size_t len, const xb_linkdiag_opts *o,
		   xb_strv *diagnoses)
{
	xb_linkdiag_opts none = { NULL, NULL, NULL, 0 };
	xb_strv dirs = XB_STRV_INIT, rest = XB_STRV_INIT;
	struct report r;
	diag d;

	if (!o)
		o = &none;
	memset(&r, 0, sizeof(r));
	r.out = diagnoses;
	r.left = o->max ? o->max : XB_LINKDIAG_MAX;
	memset(&d, 0, sizeof(d));
	xb_buf_init(&r.b, 64 << 10);
	scan(&d, out, len);

	if (o->lib_dirs)
		xb_strv_pushv(&dirs, o->lib_dirs);
	else if (o->sysroot)
		xb_cgolink_lib_dirs(o->sysroot, o->triplet, &dirs);

	/* undefined symbols: the table first, then the archives */
	report_known(&d, &rest, &r);
	if (rest.n)
		report_archives(&dirs, &rest, &r);
	if (d.undef_dropped) {
		xb_buf_addf(&r.b, "%zu more undefined symbols not examined",
			    d.undef_dropped);
		emit(&r);
	}
	report_missing_libs(&d, &dirs, &r);
	report_others(&d, &r);
	if (r.dropped)
		xb_strv_pushf(diagnoses, "%zu more diagnoses not shown", r.dropped);

	xb_buf_release(&r.b);
	diag_release(&d);
	xb_strv_release(&dirs);
	xb_strv_release(&rest);
	return r.errors;
}

bool xb_linkdiag_nss(const char *diagnosis)
{
	size_t n = strlen(diagnosis);

	if (strncmp(diagnosis, "static glibc: ", 14) != 0)
		return false;
	for (int c = 0; c < NSS_N; c++) {
		size_t k = strlen(nss_text[c]);
		if (c != NSS_DLOPEN && n >= k + 2 &&
		    strcmp(diagnosis + n - k, nss_text[c]) == 0)
			return true;
	}
	return false;
}
