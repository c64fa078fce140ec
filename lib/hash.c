/* hash.c: SHA-256 (and SHA-512, for a release's checksum file) through
 * libcrypto's SHA256_* and SHA512_* functions: EVP's first digest in a
 * process builds the default provider's table of algorithms and reads
 * openssl.cnf, about six million instructions (1.5-2 ms here), most of
 * what one planned build costs xbuild itself.  The front program links
 * them from libcrypto.a (see the Makefile): a shared libcrypto costs
 * every start the binding of its ~4,200 symbols (it is built with
 * BIND_NOW), 0.9 ms here, for these few functions. */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_*: deprecated, not gone */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "xbuild.h"

xb_code xb_sha256_init(xb_sha256 *h)
{
	SHA256_CTX *ctx = malloc(sizeof(*ctx));

	h->ctx = ctx;
	if (!ctx)
		return XB_ERR_NOMEM;
	if (SHA256_Init(ctx) != 1) {
		xb_sha256_release(h);
		return XB_ERR_UNSUPPORTED;
	}
	return XB_OK;
}

xb_code xb_sha256_update(xb_sha256 *h, const void *data, size_t len)
{
	if (!h->ctx || SHA256_Update(h->ctx, data, len) != 1)
		return XB_ERR_IO;
	return XB_OK;
}

xb_code xb_sha256_final(xb_sha256 *h, unsigned char out[32])
{
	int ok = h->ctx && SHA256_Final(out, h->ctx) == 1;

	xb_sha256_release(h);
	return ok ? XB_OK : XB_ERR_IO;
}

void xb_sha256_release(xb_sha256 *h)
{
	free(h->ctx);
	h->ctx = NULL;
}

xb_code xb_sha256_fd(int fd, const char *name, unsigned char out[32],
		    uint64_t *len, xb_err *err)
{
	unsigned char chunk[1 << 16];
	uint64_t off = 0;
	xb_sha256 h;
	ssize_t n;

	if (xb_sha256_init(&h))
		return xb_fail(err, XB_ERR_NOMEM, "cannot start SHA-256");
	for (;;) {
		n = pread(fd, chunk, sizeof(chunk), (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			xb_fail(err, XB_ERR_IO, "cannot read '%s':", name);
			xb_sha256_release(&h);
			return XB_ERR_IO;
		}
		if (n == 0)
			break;
		xb_sha256_update(&h, chunk, (size_t)n);
		off += (uint64_t)n;
	}
	if (len)
		*len = off;
	if (xb_sha256_final(&h, out))
		return xb_fail(err, XB_ERR_IO, "SHA-256 of '%s' failed", name);
	return XB_OK;
}

xb_code xb_sha256_file(const char *path, unsigned char out[32], xb_err *err)
{
	xb_code rc;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open '%s':", path);
	rc = xb_sha256_fd(fd, path, out, NULL, err);
	close(fd);
	return rc;
}

/* A hash computed beside other work: the file opened here, read in a
 * thread (or at the wait, when no thread could start). */
struct xb_sha256_task {
	int fd;
	struct stat st;    /* the file when it was opened */
	char *name;
	pthread_t thread;
	bool threaded;
	xb_code rc;
	xb_err err;
	uint64_t len;
	unsigned char d[32];
};

/* Nothing about the file that a write changes differs; with ctime,
 * nothing at all (a rename, which the caller may do while the hash
 * runs, moves the ctime alone). */
static bool same_file(const struct stat *a, const struct stat *b, bool ctime)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       (!ctime || (a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
			   a->st_ctim.tv_nsec == b->st_ctim.tv_nsec));
}

/* The file still as it was opened, and as long as what was read (looked
 * at by the wait, once the read is over, whichever thread made it). */
static void sha256_task_check(xb_sha256_task *k)
{
	struct stat now;

	if (!k->rc && (fstat(k->fd, &now) < 0 || !same_file(&k->st, &now, false) ||
		       (uint64_t)now.st_size != k->len))
		k->rc = xb_fail(&k->err, XB_ERR_CONFLICT, "'%s' changed while "
				"its sha256 was read", k->name);
}

static void *sha256_task_run(void *arg)
{
	xb_sha256_task *k = arg;

	k->rc = xb_sha256_fd(k->fd, k->name, k->d, &k->len, &k->err);
	return NULL;
}

xb_sha256_task *xb_sha256_start(const char *path, xb_err *err)
{
	xb_sha256_task *k = calloc(1, sizeof(*k));

	if (!k || !(k->name = strdup(path))) {
		free(k);
		xb_fail(err, XB_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if ((k->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(k->fd, &k->st) < 0) {
		xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			"cannot open '%s':", path);
		if (k->fd >= 0)
			close(k->fd);
		free(k->name);
		free(k);
		return NULL;
	}
	k->threaded = !pthread_create(&k->thread, NULL, sha256_task_run, k);
	return k;
}

bool xb_sha256_same(const xb_sha256_task *k, const char *path)
{
	struct stat st;

	return k && stat(path, &st) == 0 && same_file(&k->st, &st, true);
}

xb_code xb_sha256_wait(xb_sha256_task *k, unsigned char out[32],
		       uint64_t *len, xb_err *err)
{
	xb_code rc;

	if (!k)
		return XB_ERR_NOMEM; /* xb_sha256_start said why */
	if (k->threaded)
		pthread_join(k->thread, NULL);
	else
		sha256_task_run(k);
	/* at the wait, not in the thread: a change after the read, before
	 * the caller takes the digest, is a change while it was read too */
	sha256_task_check(k);
	if ((rc = k->rc) && err)
		*err = k->err;
	if (!rc) {
		memcpy(out, k->d, sizeof(k->d));
		if (len)
			*len = k->len;
	}
	close(k->fd);
	free(k->name);
	free(k);
	return rc;
}

/* One of the two digests a checksum file may name. */
struct digest {
	union {
		SHA256_CTX s256;
		SHA512_CTX s512;
	} ctx;
	bool wide;  /* sha512 */
};

static bool digest_start(struct digest *g)
{
	return g->wide ? SHA512_Init(&g->ctx.s512) == 1
		       : SHA256_Init(&g->ctx.s256) == 1;
}

static bool digest_add(struct digest *g, const void *p, size_t n)
{
	return g->wide ? SHA512_Update(&g->ctx.s512, p, n) == 1
		       : SHA256_Update(&g->ctx.s256, p, n) == 1;
}

static bool digest_end(struct digest *g, unsigned char *d)
{
	return g->wide ? SHA512_Final(d, &g->ctx.s512) == 1
		       : SHA256_Final(d, &g->ctx.s256) == 1;
}

xb_code xb_digest_file(const char *path, const char *algorithm, char *hex,
		       xb_err *err)
{
	struct digest g;
	unsigned char chunk[1 << 16], d[SHA512_DIGEST_LENGTH];
	xb_code rc = XB_OK;
	ssize_t k;
	int fd;

	if (strcmp(algorithm, "sha256") && strcmp(algorithm, "sha512"))
		return xb_fail(err, XB_ERR_USAGE, "unknown digest '%s' (expected "
			       "sha256 or sha512)", algorithm);
	g.wide = !strcmp(algorithm, "sha512");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open '%s':", path);
	if (!digest_start(&g))
		rc = xb_fail(err, XB_ERR_NOMEM, "cannot start %s", algorithm);
	while (!rc) {
		k = read(fd, chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			rc = xb_fail(err, XB_ERR_IO, "cannot read '%s':", path);
		if (k <= 0)
			break;
		if (!digest_add(&g, chunk, (size_t)k))
			rc = xb_fail(err, XB_ERR_IO, "%s of '%s' failed",
				     algorithm, path);
	}
	if (!rc && !digest_end(&g, d))
		rc = xb_fail(err, XB_ERR_IO, "%s of '%s' failed", algorithm, path);
	if (!rc)
		xb_hex(d, g.wide ? SHA512_DIGEST_LENGTH : SHA256_DIGEST_LENGTH,
		       hex);
	close(fd);
	return rc;
}

void xb_hex(const unsigned char *d, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * n] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xb_unhex32(const char *s, unsigned char out[32])
{
	if (strlen(s) != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
