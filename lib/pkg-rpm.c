/* pkg-rpm.c: an RPM binary package (format 3.0 lead, v4 headers): the
 * lead, the signature header (digest of the header, sizes), the header
 * (what the package is, its files and dependencies, the payload's
 * digest), then the payload, a gzip'd cpio (newc) of the files named
 * "./PATH".  Headers are built entry by entry, sorted by tag, with the
 * data aligned by type and an immutable region around them all, as rpm
 * reads them.  Every number is big-endian. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>

#include "pkg.h"

enum { T_INT16 = 3, T_INT32 = 4, T_STRING = 6, T_BIN = 7, T_STRARRAY = 8,
       T_I18N = 9 };

enum {
	SIG_REGION = 62, HDR_REGION = 63, HDR_I18N = 100,
	SIG_SHA256 = 273, SIG_SIZE = 1000, SIG_PAYLOADSIZE = 1007,
	TAG_NAME = 1000, TAG_VERSION = 1001, TAG_RELEASE = 1002,
	TAG_SUMMARY = 1004, TAG_DESCRIPTION = 1005, TAG_BUILDTIME = 1006,
	TAG_SIZE = 1009, TAG_VENDOR = 1011, TAG_LICENSE = 1014,
	TAG_PACKAGER = 1015, TAG_GROUP = 1016, TAG_URL = 1020, TAG_OS = 1021,
	TAG_ARCH = 1022, TAG_FILESIZES = 1028, TAG_FILEMODES = 1030,
	TAG_FILERDEVS = 1033, TAG_FILEMTIMES = 1034, TAG_FILEDIGESTS = 1035,
	TAG_FILELINKTOS = 1036, TAG_FILEFLAGS = 1037, TAG_FILEUSERNAME = 1039,
	TAG_FILEGROUPNAME = 1040, TAG_SOURCERPM = 1044,
	TAG_FILEVERIFYFLAGS = 1045, TAG_PROVIDENAME = 1047,
	TAG_REQUIREFLAGS = 1048, TAG_REQUIRENAME = 1049,
	TAG_REQUIREVERSION = 1050, TAG_FILEDEVICES = 1095,
	TAG_FILEINODES = 1096, TAG_FILELANGS = 1097, TAG_PROVIDEFLAGS = 1112,
	TAG_PROVIDEVERSION = 1113, TAG_DIRINDEXES = 1116,
	TAG_BASENAMES = 1117, TAG_DIRNAMES = 1118, TAG_PAYLOADFORMAT = 1124,
	TAG_PAYLOADCOMPRESSOR = 1125, TAG_PAYLOADFLAGS = 1126,
	TAG_FILEDIGESTALGO = 5011, TAG_PAYLOADDIGEST = 5092,
	TAG_PAYLOADDIGESTALGO = 5093,
};

/* dependency senses */
enum { SENSE_LESS = 2, SENSE_GREATER = 4, SENSE_EQUAL = 8,
       SENSE_RPMLIB = 1 << 24 };

#define MAX_ENTRIES 64
#define HASH_SHA256 8

struct entry {
	uint32_t tag, type, count;
	size_t off, len; /* in the staging buffer */
};

/* A header being built: entries in any order, their data staged. */
struct hdr {
	struct entry e[MAX_ENTRIES];
	size_t n;
	xb_buf stage;
	bool full;
};

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void add32(xb_buf *b, uint32_t v)
{
	unsigned char p[4];

	put32(p, v);
	xb_buf_add(b, p, 4);
}

static void add16(xb_buf *b, uint16_t v)
{
	unsigned char p[2] = { (unsigned char)(v >> 8), (unsigned char)v };

	xb_buf_add(b, p, 2);
}

/* A new entry whose data the caller appends to h->stage next. */
static struct entry *entry_new(struct hdr *h, uint32_t tag, uint32_t type,
			       uint32_t count)
{
	struct entry *e;

	if (h->n >= MAX_ENTRIES) {
		h->full = true;
		return NULL;
	}
	e = &h->e[h->n++];
	e->tag = tag;
	e->type = type;
	e->count = count;
	e->off = h->stage.len;
	return e;
}

static void entry_end(struct hdr *h, struct entry *e)
{
	if (e)
		e->len = h->stage.len - e->off;
}

static void put_str(struct hdr *h, uint32_t tag, uint32_t type,
		    const char *s)
{
	struct entry *e = entry_new(h, tag, type, 1);

	if (e)
		xb_buf_add(&h->stage, s, strlen(s) + 1);
	entry_end(h, e);
}

static void put_int32(struct hdr *h, uint32_t tag, uint32_t v)
{
	struct entry *e = entry_new(h, tag, T_INT32, 1);

	if (e)
		add32(&h->stage, v);
	entry_end(h, e);
}

static int by_tag(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

static size_t align_of(uint32_t type)
{
	return type == T_INT16 ? 2 : type == T_INT32 ? 4 : 1;
}

/* The header h as bytes into out: magic, index, data; region is its
 * region tag (62 signature, 63 header), placed first, its trailer last. */
static xb_code hdr_finish(struct hdr *h, uint32_t region, xb_buf *out,
			  xb_err *err)
{
	xb_buf index = XB_BUF_INIT, data = XB_BUF_INIT;
	uint32_t il = (uint32_t)h->n + 1;
	static const unsigned char magic[8] = { 0x8e, 0xad, 0xe8, 0x01 };
	xb_code rc;

	if (h->full || xb_buf_failed(&h->stage))
		return xb_fail(err, XB_ERR_NOMEM, "package header too large");
	qsort(h->e, h->n, sizeof(*h->e), by_tag);
	for (size_t i = 0; i < h->n; i++) {
		const struct entry *e = &h->e[i];
		while (data.len % align_of(e->type))
			xb_buf_addc(&data, 0);
		add32(&index, e->tag);
		add32(&index, e->type);
		add32(&index, (uint32_t)data.len);
		add32(&index, e->count);
		xb_buf_add(&data, h->stage.data + e->off, e->len);
	}
	/* the region: its entry points at the trailer, whose offset says
	 * how many entries the region holds (all) */
	xb_buf_add(out, magic, 8);
	add32(out, il);
	add32(out, (uint32_t)data.len + 16);
	add32(out, region);
	add32(out, T_BIN);
	add32(out, (uint32_t)data.len);
	add32(out, 16);
	xb_buf_addb(out, &index);
	xb_buf_addb(out, &data);
	add32(out, region);
	add32(out, T_BIN);
	add32(out, (uint32_t)-(int32_t)(il * 16));
	add32(out, 16);
	rc = xb_buf_check(out, err, "the package header");
	xb_buf_release(&index);
	xb_buf_release(&data);
	return rc;
}

/* ---- the header ---------------------------------------------------------- */

/* One string of each file, by f's field. */
static void put_file_strs(struct hdr *h, uint32_t tag, const xb_pkg *p,
			  const char *(*of)(const xb_pkg_file *))
{
	struct entry *e = entry_new(h, tag, T_STRARRAY, (uint32_t)p->nfiles);

	for (size_t i = 0; e && i < p->nfiles; i++)
		xb_buf_add(&h->stage, of(&p->files[i]),
			   strlen(of(&p->files[i])) + 1);
	entry_end(h, e);
}

static const char *f_digest(const xb_pkg_file *f) { return f->sha256; }
static const char *f_empty(const xb_pkg_file *f) { (void)f; return ""; }
static const char *f_root(const xb_pkg_file *f) { (void)f; return "root"; }
static const char *f_base(const xb_pkg_file *f)
{
	return strrchr(f->dst, '/') + 1;
}

/* INT32 or INT16 of each file: what of gives it. */
static void put_file_ints(struct hdr *h, uint32_t tag, uint32_t type,
			  const xb_pkg *p,
			  uint32_t (*of)(const xb_pkg *, size_t))
{
	struct entry *e = entry_new(h, tag, type, (uint32_t)p->nfiles);

	for (size_t i = 0; e && i < p->nfiles; i++) {
		if (type == T_INT16)
			add16(&h->stage, (uint16_t)of(p, i));
		else
			add32(&h->stage, of(p, i));
	}
	entry_end(h, e);
}

static uint32_t i_size(const xb_pkg *p, size_t i)
{
	return (uint32_t)p->files[i].size;
}
static uint32_t i_mode(const xb_pkg *p, size_t i)
{
	return S_IFREG | p->files[i].mode;
}
static uint32_t i_zero(const xb_pkg *p, size_t i) { (void)p; (void)i; return 0; }
static uint32_t i_one(const xb_pkg *p, size_t i) { (void)p; (void)i; return 1; }
static uint32_t i_all(const xb_pkg *p, size_t i) { (void)p; (void)i; return ~0u; }
static uint32_t i_ino(const xb_pkg *p, size_t i) { (void)p; return (uint32_t)i + 1; }
static uint32_t i_mtime(const xb_pkg *p, size_t i)
{
	(void)i;
	return (uint32_t)p->mtime;
}

/* DIRNAMES ("/usr/bin/"), DIRINDEXES and BASENAMES. */
static void put_dirs(struct hdr *h, const xb_pkg *p)
{
	xb_strv dirs = XB_STRV_INIT;
	struct entry *e;
	uint32_t *idx = calloc(p->nfiles + 1, sizeof(*idx));

	if (!idx) {
		h->full = true;
		return;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const char *d = p->files[i].dst;
		size_t k, len = (size_t)(f_base(&p->files[i]) - d);
		for (k = 0; k < dirs.n; k++)
			if (strlen(dirs.v[k]) == len && !strncmp(dirs.v[k], d, len))
				break;
		if (k == dirs.n)
			xb_strv_pushf(&dirs, "%.*s", (int)len, d);
		idx[i] = (uint32_t)k;
	}
	if (xb_strv_failed(&dirs))
		h->full = true;
	if ((e = entry_new(h, TAG_DIRINDEXES, T_INT32, (uint32_t)p->nfiles)))
		for (size_t i = 0; i < p->nfiles; i++)
			add32(&h->stage, idx[i]);
	entry_end(h, e);
	put_file_strs(h, TAG_BASENAMES, p, f_base);
	if ((e = entry_new(h, TAG_DIRNAMES, T_STRARRAY, (uint32_t)dirs.n)))
		for (size_t i = 0; i < dirs.n; i++)
			xb_buf_add(&h->stage, dirs.v[i], strlen(dirs.v[i]) + 1);
	entry_end(h, e);
	xb_strv_release(&dirs);
	free(idx);
}

static uint32_t sense(const char *op)
{
	return !strcmp(op, ">=") ? SENSE_GREATER | SENSE_EQUAL :
	       !strcmp(op, "<=") ? SENSE_LESS | SENSE_EQUAL :
	       !strcmp(op, "=") ? SENSE_EQUAL : !strcmp(op, ">>") ? SENSE_GREATER :
	       !strcmp(op, "<<") ? SENSE_LESS : 0;
}

/* Requires: the rpm features the package uses, then its dependencies. */
static void put_requires(struct hdr *h, const xb_pkg *p)
{
	static const char *const lib[][2] = {
		{ "rpmlib(CompressedFileNames)", "3.0.4-1" },
		{ "rpmlib(FileDigests)", "4.6.0-1" },
		{ "rpmlib(PayloadFilesHavePrefix)", "4.0-1" },
	};
	uint32_t n = (uint32_t)(3 + p->ndeps);
	struct entry *e;

	if ((e = entry_new(h, TAG_REQUIREFLAGS, T_INT32, n))) {
		for (size_t i = 0; i < 3; i++)
			add32(&h->stage, SENSE_RPMLIB | SENSE_LESS | SENSE_EQUAL);
		for (size_t i = 0; i < p->ndeps; i++)
			add32(&h->stage, sense(p->deps[i].op));
	}
	entry_end(h, e);
	if ((e = entry_new(h, TAG_REQUIRENAME, T_STRARRAY, n))) {
		for (size_t i = 0; i < 3; i++)
			xb_buf_add(&h->stage, lib[i][0], strlen(lib[i][0]) + 1);
		for (size_t i = 0; i < p->ndeps; i++)
			xb_buf_add(&h->stage, p->deps[i].name,
				   strlen(p->deps[i].name) + 1);
	}
	entry_end(h, e);
	if ((e = entry_new(h, TAG_REQUIREVERSION, T_STRARRAY, n))) {
		for (size_t i = 0; i < 3; i++)
			xb_buf_add(&h->stage, lib[i][1], strlen(lib[i][1]) + 1);
		for (size_t i = 0; i < p->ndeps; i++)
			xb_buf_add(&h->stage, p->deps[i].ver,
				   strlen(p->deps[i].ver) + 1);
	}
	entry_end(h, e);
}

/* What the package is: names, texts, sizes, provides. */
static void put_about(struct hdr *h, const xb_pkg *p)
{
	const char *d = p->description && *p->description ? p->description :
		p->name;
	uint64_t size = 0;
	char line[256];
	xb_buf b = XB_BUF_INIT;

	for (size_t i = 0; i < p->nfiles; i++)
		size += p->files[i].size;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(d, "\n"), d);
	put_str(h, HDR_I18N, T_STRARRAY, "C");
	put_str(h, TAG_NAME, T_STRING, p->name);
	put_str(h, TAG_VERSION, T_STRING, p->version);
	put_str(h, TAG_RELEASE, T_STRING, "1");
	put_str(h, TAG_SUMMARY, T_I18N, line);
	put_str(h, TAG_DESCRIPTION, T_I18N, d);
	put_int32(h, TAG_BUILDTIME, (uint32_t)p->mtime);
	put_int32(h, TAG_SIZE, (uint32_t)size);
	if (p->vendor)
		put_str(h, TAG_VENDOR, T_STRING, p->vendor);
	put_str(h, TAG_LICENSE, T_STRING, p->license ? p->license : "unknown");
	if (p->maintainer)
		put_str(h, TAG_PACKAGER, T_STRING, p->maintainer);
	put_str(h, TAG_GROUP, T_I18N, "Unspecified");
	if (p->homepage)
		put_str(h, TAG_URL, T_STRING, p->homepage);
	put_str(h, TAG_OS, T_STRING, "linux");
	put_str(h, TAG_ARCH, T_STRING, p->arch);
	/* a binary package is one that names its source package */
	xb_buf_addf(&b, "%s-%s-1.src.rpm", p->name, p->version);
	put_str(h, TAG_SOURCERPM, T_STRING, xb_buf_str(&b));
	put_str(h, TAG_PROVIDENAME, T_STRARRAY, p->name);
	put_int32(h, TAG_PROVIDEFLAGS, SENSE_EQUAL);
	xb_buf_reset(&b);
	xb_buf_addf(&b, "%s-1", p->version);
	put_str(h, TAG_PROVIDEVERSION, T_STRARRAY, xb_buf_str(&b));
	if (xb_buf_failed(&b))
		h->full = true;
	xb_buf_release(&b);
}

static void put_files(struct hdr *h, const xb_pkg *p)
{
	put_file_ints(h, TAG_FILESIZES, T_INT32, p, i_size);
	put_file_ints(h, TAG_FILEMODES, T_INT16, p, i_mode);
	put_file_ints(h, TAG_FILERDEVS, T_INT16, p, i_zero);
	put_file_ints(h, TAG_FILEMTIMES, T_INT32, p, i_mtime);
	put_file_strs(h, TAG_FILEDIGESTS, p, f_digest);
	put_file_strs(h, TAG_FILELINKTOS, p, f_empty);
	put_file_ints(h, TAG_FILEFLAGS, T_INT32, p, i_zero);
	put_file_strs(h, TAG_FILEUSERNAME, p, f_root);
	put_file_strs(h, TAG_FILEGROUPNAME, p, f_root);
	put_file_ints(h, TAG_FILEVERIFYFLAGS, T_INT32, p, i_all);
	put_file_ints(h, TAG_FILEDEVICES, T_INT32, p, i_one);
	put_file_ints(h, TAG_FILEINODES, T_INT32, p, i_ino);
	put_file_strs(h, TAG_FILELANGS, p, f_empty);
	put_dirs(h, p);
	put_int32(h, TAG_FILEDIGESTALGO, HASH_SHA256);
}

/* ---- the payload --------------------------------------------------------- */

/* The cpio of the files into cpio, gzip'd into out. */
static xb_code payload(const xb_pkg *p, xb_buf *cpio, xb_buf *out,
		       xb_err *err)
{
	struct archive *a = xb_pkg_mem_open(cpio, "newc", false, err);
	xb_buf name = XB_BUF_INIT;
	xb_code rc = XB_OK;

	if (!a)
		return err ? err->code : XB_ERR_IO;
	for (size_t i = 0; !rc && i < p->nfiles; i++) {
		const xb_pkg_file *f = &p->files[i];
		xb_pkg_entry e = { NULL, S_IFREG | f->mode, f->size, f->src,
				   f->data, i + 1, false, p->mtime };
		xb_buf_reset(&name);
		xb_buf_addf(&name, ".%s", f->dst);
		if (!(rc = xb_buf_check(&name, err, "a file name"))) {
			e.name = xb_buf_str(&name);
			rc = xb_pkg_mem_entry(a, &e, err);
		}
	}
	xb_buf_release(&name);
	if ((rc = xb_pkg_mem_close(a, rc, err)) ||
	    (rc = xb_buf_check(cpio, err, "the payload")))
		return rc;
	if (!(a = xb_pkg_mem_open(out, "raw", true, err)))
		return err ? err->code : XB_ERR_IO;
	{
		xb_pkg_entry e = { "payload", S_IFREG | 0644, cpio->len, NULL,
				   cpio->data, 0, false, p->mtime };
		rc = xb_pkg_mem_entry(a, &e, err);
	}
	if ((rc = xb_pkg_mem_close(a, rc, err)))
		return rc;
	return xb_buf_check(out, err, "the payload");
}

static xb_code sha256_hex(const void *data, size_t n, char hex[65],
			  xb_err *err)
{
	xb_sha256 h;
	unsigned char d[32];

	if (xb_sha256_init(&h) || xb_sha256_update(&h, data, n) ||
	    xb_sha256_final(&h, d)) {
		xb_sha256_release(&h);
		return xb_fail(err, XB_ERR_NOMEM, "cannot hash the package");
	}
	xb_sha256_release(&h);
	xb_hex(d, 32, hex);
	return XB_OK;
}

/* The 96 bytes before the signature: magic, version 3.0, a binary
 * package, its name, Linux, header-style signature. */
static void lead(const xb_pkg *p, xb_buf *out)
{
	unsigned char l[96] = { 0xed, 0xab, 0xee, 0xdb, 3, 0 };

	snprintf((char *)l + 10, 66, "%s-%s-1", p->name, p->version);
	l[76] = 0, l[77] = 1;   /* osnum */
	l[78] = 0, l[79] = 5;   /* signature type */
	xb_buf_add(out, l, sizeof(l));
}

xb_code xb_pkg_write_rpm(const xb_pkg *p, const char *path, xb_err *err)
{
	struct hdr h = { .stage = XB_BUF_INIT }, s = { .stage = XB_BUF_INIT };
	xb_buf cpio = XB_BUF_INIT, pay = XB_BUF_INIT, head = XB_BUF_INIT;
	xb_buf out = XB_BUF_INIT;
	char digest[65];
	xb_code rc;

	if ((rc = payload(p, &cpio, &pay, err)) ||
	    (rc = sha256_hex(pay.data, pay.len, digest, err)))
		goto done;
	put_about(&h, p);
	put_files(&h, p);
	put_requires(&h, p);
	put_str(&h, TAG_PAYLOADFORMAT, T_STRING, "cpio");
	put_str(&h, TAG_PAYLOADCOMPRESSOR, T_STRING, "gzip");
	put_str(&h, TAG_PAYLOADFLAGS, T_STRING, "9");
	put_str(&h, TAG_PAYLOADDIGEST, T_STRARRAY, digest);
	put_int32(&h, TAG_PAYLOADDIGESTALGO, HASH_SHA256);
	if ((rc = hdr_finish(&h, HDR_REGION, &head, err)) ||
	    (rc = sha256_hex(head.data, head.len, digest, err)))
		goto done;
	if (head.len + pay.len > UINT32_MAX || cpio.len > UINT32_MAX) {
		rc = xb_fail(err, XB_ERR_UNSUPPORTED, "package larger than 4 GiB");
		goto done;
	}
	put_str(&s, SIG_SHA256, T_STRING, digest);
	put_int32(&s, SIG_SIZE, (uint32_t)(head.len + pay.len));
	put_int32(&s, SIG_PAYLOADSIZE, (uint32_t)cpio.len);
	lead(p, &out);
	if ((rc = hdr_finish(&s, SIG_REGION, &out, err)))
		goto done;
	while (out.len % 8)
		xb_buf_addc(&out, 0);
	xb_buf_addb(&out, &head);
	xb_buf_addb(&out, &pay);
	if (!(rc = xb_buf_check(&out, err, "the package")))
		rc = xb_write_file_atomic(path, out.data, out.len, 0644, err);
done:
	xb_buf_release(&h.stage);
	xb_buf_release(&s.stage);
	xb_buf_release(&cpio);
	xb_buf_release(&pay);
	xb_buf_release(&head);
	xb_buf_release(&out);
	return rc;
}
