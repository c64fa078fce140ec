/* hash.c: SHA-256 through libcrypto.  xb_sha256 uses its SHA256_*
 * functions: EVP's first digest in a process builds the default
 * provider's table of algorithms and reads openssl.cnf, about six
 * million instructions (1.5-2 ms here), most of what one planned build
 * costs xbuild itself.  xb_digest_file (sha512 too, for a release's
 * checksum file) goes through EVP. */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_*: deprecated, not gone */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
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

xb_code xb_digest_file(const char *path, const char *algorithm, char *hex,
		       xb_err *err)
{
	const EVP_MD *md = !strcmp(algorithm, "sha256") ? EVP_sha256() :
		!strcmp(algorithm, "sha512") ? EVP_sha512() : NULL;
	unsigned char chunk[1 << 16], d[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx;
	unsigned int n = 0;
	xb_code rc = XB_OK;
	ssize_t k;
	int fd;

	if (!md)
		return xb_fail(err, XB_ERR_USAGE, "unknown digest '%s' (expected "
			       "sha256 or sha512)", algorithm);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return xb_fail(err, errno == ENOENT ? XB_ERR_NOTFOUND : XB_ERR_IO,
			       "cannot open '%s':", path);
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestInit_ex(ctx, md, NULL) != 1)
		rc = xb_fail(err, XB_ERR_NOMEM, "cannot start %s", algorithm);
	while (!rc) {
		k = read(fd, chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			rc = xb_fail(err, XB_ERR_IO, "cannot read '%s':", path);
		if (k <= 0)
			break;
		if (EVP_DigestUpdate(ctx, chunk, (size_t)k) != 1)
			rc = xb_fail(err, XB_ERR_IO, "%s of '%s' failed",
				     algorithm, path);
	}
	if (!rc && EVP_DigestFinal_ex(ctx, d, &n) != 1)
		rc = xb_fail(err, XB_ERR_IO, "%s of '%s' failed", algorithm, path);
	if (!rc)
		xb_hex(d, n, hex);
	EVP_MD_CTX_free(ctx);
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
