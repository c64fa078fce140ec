/* fetch.c: pinned archives into the cache.  libcurl downloads (resume,
 * retries with backoff, mirrors, stall timeout, proxies and .netrc from
 * the environment), sha256 before anything is extracted, extraction
 * (extract.c) into a temporary folder, an atomic rename,
 * a completion marker written last, and a lock so that concurrent
 * processes download once.  Layout: see xb_cache_dir() in xbuild.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

#define DEFAULT_MAX_SIZE (2ull << 30)

/* ---- small helpers ------------------------------------------------ */

static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long x;

	if (!v || !*v)
		return dflt;
	errno = 0;
	x = strtol(v, &end, 10);
	return errno || *end || x < 0 ? dflt : x;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -rf, never following symlinks. */
static void rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	/* a tree extracted read-only would refuse unlink; ours is 0755 */
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *xb_cache_dir(void)
{
	const char *v = getenv("XBUILD_CACHE");
	xb_buf b = XB_BUF_INIT;

	if (v && *v)
		return strdup(v);
	v = getenv("XDG_CACHE_HOME");
	if (v && *v == '/') {
		xb_buf_addf(&b, "%s/xbuild", v);
		return xb_buf_take(&b);
	}
	v = getenv("HOME");
	if (!v || !*v)
		return NULL;
	xb_buf_addf(&b, "%s/.cache/xbuild", v);
	return xb_buf_take(&b);
}

static char *cache_of(const xb_fetch_opts *o)
{
	return o && o->cache ? strdup(o->cache) : xb_cache_dir();
}

void xb_fetch_info_init(xb_fetch_info *fi)
{
	memset(fi, 0, sizeof(*fi));
	xb_strv_init(&fi->notes);
}

void xb_fetch_info_release(xb_fetch_info *fi)
{
	free(fi->url);
	xb_strv_release(&fi->notes);
	xb_fetch_info_init(fi);
}

bool xb_fetch_offline(const xb_fetch_opts *o)
{
	const char *v = getenv("XBUILD_OFFLINE");

	if (o && o->offline)
		return true;
	return v && *v && strcmp(v, "0") != 0;
}

/* "<id>-<first 12 of sha256>": names the install, its lock and temp dirs */
static void entry_name(const xb_tc_archive *a, char *out, size_t n)
{
	snprintf(out, n, "%s-%.12s", a->id, a->sha256);
}

char *xb_fetch_installed(const xb_tc_archive *a, const char *cache)
{
	char name[256];
	xb_buf b = XB_BUF_INIT;
	char *own = NULL;
	struct stat st;

	if (!cache)
		cache = own = xb_cache_dir();
	if (!cache)
		return NULL;
	entry_name(a, name, sizeof(name));
	xb_buf_addf(&b, "%s/tc/%s/" XB_TC_MARKER, cache, name);
	free(own);
	if (stat(xb_buf_str(&b), &st) < 0 || !S_ISREG(st.st_mode)) {
		xb_buf_release(&b);
		return NULL;
	}
	b.len -= sizeof(XB_TC_MARKER);
	b.data[b.len] = '\0';
	return xb_buf_take(&b);
}

/* ---- the lock ----------------------------------------------------- */

/* flock on locks/<name>.lock; the holder writes its pid for messages. */
static xb_code lock_take(const char *cache, const char *name, long secs,
			 int *fd_out, xb_err *err)
{
	char path[PATH_MAX], pid[32];
	long waited = 0;
	int fd;
	xb_code rc;

	snprintf(path, sizeof(path), "%s/locks", cache);
	if ((rc = xb_mkdir_p_mode(path, 0755, err)))
		return rc;
	snprintf(path, sizeof(path), "%s/locks/%s.lock", cache, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open lock '%s':", path);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd);
			return xb_fail(err, XB_ERR_IO, "cannot lock '%s':", path);
		}
		if (waited >= secs * 1000) {
			ssize_t n = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			close(fd);
			return xb_fail(err, XB_ERR_TIMEOUT,
				       "gave up after %lds waiting for lock '%s' "
				       "(held by pid %s)", secs, path,
				       pid[0] ? pid : "?");
		}
		sleep_ms(50);
		waited += 50;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, strlen(pid), 0) < 0) {
		/* only informative */
	}
	*fd_out = fd;
	return XB_OK;
}

static void lock_drop(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

/* ---- HTTP ----------------------------------------------------------- */

int xb_http_content_range(const char *s, size_t len, uint64_t *first,
			  uint64_t *last, uint64_t *total)
{
	const char *p = s, *end = s + len;
	uint64_t v[3] = { 0, 0, 0 };
	int part = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 6 || strncasecmp(p, "bytes ", 6))
		return -1;
	p += 6;
	while (p < end && *p == ' ')
		p++;
	for (; part < 3; part++) {
		int digits = 0;

		if (part == 2 && p < end && *p == '*') {
			v[2] = UINT64_MAX;
			p++;
			break;
		}
		while (p < end && *p >= '0' && *p <= '9') {
			unsigned d = (unsigned)(*p - '0');
			if (v[part] > (UINT64_MAX - d) / 10)
				return -1;
			v[part] = v[part] * 10 + d;
			p++;
			digits++;
		}
		if (!digits)
			return -1;
		if (part == 0) {
			if (p >= end || *p != '-')
				return -1;
			p++;
		} else if (part == 1) {
			if (p >= end || *p != '/')
				return -1;
			p++;
		}
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p != end || v[1] < v[0] || (v[2] != UINT64_MAX && v[1] >= v[2]))
		return -1;
	*first = v[0];
	*last = v[1];
	*total = v[2];
	return 0;
}

struct xfer {
	int fd;
	uint64_t offset;     /* bytes in the file before this transfer */
	uint64_t written;    /* bytes written by this transfer */
	uint64_t limit;      /* the file may not grow past this */
	bool started;
	bool restarted;      /* asked to resume, got the whole file (200) */
	bool resumed;
	char range[128];     /* Content-Range of the last response */
	char why[256];       /* why a callback stopped the transfer */
	xb_code why_code;
	CURL *curl;
	const xb_fetch_opts *o;
	const char *id;
	uint64_t total;
};

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = size * n;

	if (len >= 5 && !strncmp(data, "HTTP/", 5))
		x->range[0] = '\0'; /* a new response (after a redirect) */
	else if (len > 14 && !strncasecmp(data, "Content-Range:", 14)) {
		size_t m = len - 14;
		if (m >= sizeof(x->range))
			m = sizeof(x->range) - 1;
		memcpy(x->range, data + 14, m);
		x->range[m] = '\0';
	}
	return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct xfer *x = ctx;
	size_t len = size * n;

	if (!x->started) {
		long code = 0;

		x->started = true;
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &code);
		if (x->offset && code == 206) {
			uint64_t a, b, t;
			if (xb_http_content_range(x->range, strlen(x->range), &a,
						  &b, &t) || a != x->offset) {
				snprintf(x->why, sizeof(x->why),
					 "server answered a resume from byte %llu "
					 "with range '%.60s'",
					 (unsigned long long)x->offset, x->range);
				x->why_code = XB_ERR_NET;
				return 0;
			}
			x->resumed = true;
		} else if (x->offset) {
			/* 200 to a range request: the whole file again */
			if (ftruncate(x->fd, 0) < 0) {
				snprintf(x->why, sizeof(x->why), "truncate: %s",
					 strerror(errno));
				x->why_code = XB_ERR_IO;
				return 0;
			}
			x->offset = 0;
			x->restarted = true;
		}
		if (lseek(x->fd, (off_t)x->offset, SEEK_SET) < 0) {
			snprintf(x->why, sizeof(x->why), "seek: %s", strerror(errno));
			x->why_code = XB_ERR_IO;
			return 0;
		}
	}
	if (len > x->limit - x->offset - x->written) {
		snprintf(x->why, sizeof(x->why),
			 "server sent more than the %llu bytes expected",
			 (unsigned long long)x->limit);
		x->why_code = XB_ERR_TOO_BIG;
		return 0;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(x->fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(x->why, sizeof(x->why), "write: %s", strerror(errno));
			x->why_code = XB_ERR_IO;
			return 0;
		}
		off += (size_t)w;
	}
	x->written += len;
	return len;
}

static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
		       curl_off_t ultotal, curl_off_t ulnow)
{
	struct xfer *x = ctx;
	uint64_t total = x->total;

	(void)ultotal;
	(void)ulnow;
	if (!x->o || !x->o->progress)
		return 0;
	if (!total && dltotal > 0)
		total = x->offset + (uint64_t)dltotal;
	if (x->o->progress(x->o->progress_ctx, x->id, x->offset + (uint64_t)dlnow,
			   total)) {
		snprintf(x->why, sizeof(x->why), "interrupted");
		x->why_code = XB_ERR_INTERRUPTED;
		return 1;
	}
	return 0;
}

enum attempt_result {
	A_DONE,      /* the file is complete (as far as HTTP can tell) */
	A_RETRY,     /* transient: try this URL again after a pause */
	A_NEXT,      /* this URL will not work: try the next one */
	A_FATAL,     /* stop everything */
};

/* One HTTP transfer of url into fd, resuming from what the file holds. */
static enum attempt_result attempt(const char *url, int fd, uint64_t limit,
				   const xb_tc_archive *a,
				   const xb_fetch_opts *o, long stall,
				   xb_fetch_info *info, xb_buf *why, xb_err *err)
{
	struct xfer x;
	struct stat st;
	char range[48], cerr[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	long code = 0;
	CURL *c;

	memset(&x, 0, sizeof(x));
	if (fstat(fd, &st) < 0) {
		xb_fail(err, XB_ERR_IO, "cannot stat download:");
		return A_FATAL;
	}
	x.fd = fd;
	x.offset = (uint64_t)st.st_size;
	x.limit = limit;
	x.o = o;
	x.id = a->id;
	x.total = a->size;
	if (x.offset > limit) {
		if (ftruncate(fd, 0) < 0) {
			xb_fail(err, XB_ERR_IO, "cannot truncate download:");
			return A_FATAL;
		}
		x.offset = 0;
	}
	c = curl_easy_init();
	if (!c) {
		xb_fail(err, XB_ERR_NOMEM, "cannot start libcurl");
		return A_FATAL;
	}
	x.curl = c;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, stall);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "xbuild/" XB_VERSION);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)limit);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024);
	if (x.offset) {
		snprintf(range, sizeof(range), "%llu-",
			 (unsigned long long)x.offset);
		curl_easy_setopt(c, CURLOPT_RANGE, range);
	}
	info->attempts++;
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	if (x.resumed)
		info->resumed++;

	xb_buf_reset(why);
	if (x.why[0]) {
		xb_buf_adds(why, x.why);
		if (x.why_code == XB_ERR_INTERRUPTED) {
			xb_fail(err, XB_ERR_INTERRUPTED, "download of '%s' interrupted",
				a->id);
			return A_FATAL;
		}
		if (x.why_code == XB_ERR_IO) {
			xb_fail(err, XB_ERR_IO, "download of '%s': %s", a->id, x.why);
			return A_FATAL;
		}
		/* too big, or a bad resume: start over from another URL */
		if (ftruncate(fd, 0) < 0) {
			xb_fail(err, XB_ERR_IO, "cannot truncate download:");
			return A_FATAL;
		}
		return x.why_code == XB_ERR_TOO_BIG ? A_NEXT : A_RETRY;
	}
	if (cc == CURLE_OK)
		return A_DONE;
	if (cc == CURLE_HTTP_RETURNED_ERROR) {
		xb_buf_addf(why, "HTTP %ld", code);
		if (code == 416) /* the partial file may be whole already */
			return A_DONE;
		if (code == 408 || code == 429 || code >= 500)
			return A_RETRY;
		return A_NEXT; /* 404 and friends: not there, no use retrying */
	}
	if (cc == CURLE_FILESIZE_EXCEEDED) {
		xb_buf_addf(why, "server announced more than the %llu bytes expected",
			    (unsigned long long)limit);
		return A_NEXT;
	}
	if (cc == CURLE_UNSUPPORTED_PROTOCOL || cc == CURLE_URL_MALFORMAT ||
	    cc == CURLE_TOO_MANY_REDIRECTS) {
		xb_buf_addf(why, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
		return A_NEXT;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT)
		xb_buf_addf(why, "stalled: %s", cerr[0] ? cerr : "timed out");
	else
		xb_buf_addf(why, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
	return A_RETRY;
}

static xb_code check_file(const char *path, const xb_tc_archive *a,
			  xb_buf *why, xb_err *err)
{
	unsigned char d[32];
	char hex[65];
	struct stat st;
	xb_code rc;

	if (stat(path, &st) < 0)
		return xb_fail(err, XB_ERR_IO, "cannot stat '%s':", path);
	if (a->size && (uint64_t)st.st_size != a->size) {
		xb_buf_reset(why);
		xb_buf_addf(why, "got %llu bytes, expected %llu",
			    (unsigned long long)st.st_size,
			    (unsigned long long)a->size);
		return XB_ERR_HASH;
	}
	if ((rc = xb_sha256_file(path, d, err)))
		return rc;
	xb_hex(d, 32, hex);
	if (strcmp(hex, a->sha256)) {
		xb_buf_reset(why);
		xb_buf_addf(why, "sha256 mismatch: expected %s, got %s", a->sha256,
			    hex);
		return XB_ERR_HASH;
	}
	return XB_OK;
}

static void curl_once(void)
{
	static bool done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = true;
	}
}

/* Download a into part (kept between attempts for resume) until it is
 * complete and verified. */
static xb_code download(const xb_tc_archive *a, const char *part,
			const xb_fetch_opts *o, xb_fetch_info *info,
			xb_err *err)
{
	int retries = o && o->retries > 0 ? o->retries
					   : (int)env_long("XBUILD_RETRIES", 3);
	long backoff = o && o->backoff_ms > 0
			       ? o->backoff_ms
			       : env_long("XBUILD_BACKOFF_MS", 500);
	long stall = o && o->stall_secs > 0
			     ? o->stall_secs
			     : env_long("XBUILD_STALL_TIMEOUT", 30);
	uint64_t limit = a->size ? a->size
				 : (o && o->max_size ? o->max_size : DEFAULT_MAX_SIZE);
	xb_buf why = XB_BUF_INIT, all = XB_BUF_INIT;
	unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	xb_code rc = XB_OK;
	int fd;

	if (retries < 1)
		retries = 1;
	if (stall < 1)
		stall = 1;
	curl_once();
	fd = open(part, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return xb_fail(err, XB_ERR_IO, "cannot open '%s':", part);
	for (size_t u = 0; u < a->urls.n; u++) {
		const char *url = a->urls.v[u];

		for (int k = 1; k <= retries; k++) {
			enum attempt_result r;

			r = attempt(url, fd, limit, a, o, stall, info, &why, err);
			if (r == A_FATAL) {
				rc = err ? err->code : XB_ERR_NET;
				goto out;
			}
			if (r == A_DONE && a->size) {
				struct stat st;
				/* the server ended early: resume, do not start over */
				if (fstat(fd, &st) == 0 && (uint64_t)st.st_size < a->size) {
					xb_buf_reset(&why);
					xb_buf_addf(&why, "transfer ended at byte %llu of %llu",
						    (unsigned long long)st.st_size,
						    (unsigned long long)a->size);
					r = A_RETRY;
				}
			}
			if (r == A_DONE) {
				rc = check_file(part, a, &why, err);
				if (rc == XB_OK) {
					free(info->url);
					info->url = strdup(url);
					goto out;
				}
				if (rc != XB_ERR_HASH)
					goto out;
				/* Wrong bytes: this URL serves something else.
				 * Never retry it; start clean on the next. */
				if (ftruncate(fd, 0) < 0) {
					rc = xb_fail(err, XB_ERR_IO,
						     "cannot truncate '%s':", part);
					goto out;
				}
				r = A_NEXT;
			}
			xb_strv_pushf(&info->notes, "%s: %s", url, xb_buf_str(&why));
			xb_buf_addf(&all, "\n  %s: %s", url, xb_buf_str(&why));
			if (r == A_NEXT)
				break;
			if (k < retries) {
				long d = backoff << (k - 1);
				d += (long)(rand_r(&seed) % (unsigned)(d / 4 + 1));
				sleep_ms(d);
			}
		}
	}
	{
		const char *text = xb_buf_str(&all);
		const char *hint = "";

		if (strstr(text, "sha256 mismatch"))
			hint = "; a checksum mismatch right after a release is often "
			       "a mirror still syncing: retry later, or check the pin";
		else if (strstr(text, "HTTP 404") && !strstr(text, "HTTP 5"))
			hint = "; HTTP 404: the archive may not be built for this host, "
			       "or its URL moved";
		else if (strstr(text, "stalled") || strstr(text, "connect"))
			hint = "; check the network or the proxy (https_proxy, "
			       "NO_PROXY), or use --offline with a warm cache";
		rc = xb_fail(err, XB_ERR_NET,
			     "cannot download '%s' (sha256 %s) from any of its %zu "
			     "URLs%s:%s", a->id, a->sha256, a->urls.n, hint, text);
	}
out:
	close(fd);
	xb_buf_release(&why);
	xb_buf_release(&all);
	return rc;
}

static xb_code write_marker(const char *dir, const xb_tc_archive *a,
			    const char *tree, const char *url, xb_err *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	xb_buf b = XB_BUF_INIT;
	int fd;
	xb_code rc = XB_OK;

	snprintf(path, sizeof(path), "%s/" XB_TC_MARKER, dir);
	snprintf(tmp, sizeof(tmp), "%s/" XB_TC_MARKER ".%ld", dir, (long)getpid());
	xb_buf_addf(&b, "xbuild-install 1\nid %s\nkind %s\nsha256 %s\ntree %s\n"
		    "bin %s\nurl %s\n", a->id, a->kind, a->sha256, tree, a->bin,
		    url ? url : "(local file)");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len ||
	    fsync(fd) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot write '%s':", tmp);
	if (fd >= 0)
		close(fd);
	if (!rc && rename(tmp, path) < 0)
		rc = xb_fail(err, XB_ERR_IO, "cannot rename '%s':", tmp);
	if (rc)
		unlink(tmp);
	xb_buf_release(&b);
	return rc;
}

/* Extract file (verified already) and move it into place as final. */
static xb_code install(const xb_tc_archive *a, const char *file,
		       const char *cache, const char *final, const char *url,
		       xb_err *err)
{
	char tmp[PATH_MAX], name[256], tree[65];
	xb_code rc;

	entry_name(a, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s/tc/.tmp-%s-%ld-XXXXXX", cache, name,
		 (long)getpid());
	if (!mkdtemp(tmp))
		return xb_fail(err, XB_ERR_IO, "cannot create '%s':", tmp);
	rc = xb_extract(a, file, tmp, tree, err);
	if (!rc) {
		/* a folder left without its marker by a crash: replace it */
		struct stat st;
		if (lstat(final, &st) == 0) {
			char old[PATH_MAX + 8];
			snprintf(old, sizeof(old), "%s.old", tmp);
			if (rename(final, old) == 0)
				rm_rf(old);
		}
		if (rename(tmp, final) < 0)
			rc = xb_fail(err, XB_ERR_IO, "cannot move '%s' into place:",
				     tmp);
	}
	if (rc) {
		rm_rf(tmp);
		return rc;
	}
	return write_marker(final, a, tree, url, err);
}

static xb_code fetch_common(const xb_tc_archive *a, const char *local,
			    const xb_fetch_opts *o, char **dir,
			    xb_fetch_info *info, xb_err *err)
{
	char name[256], part[PATH_MAX], final[PATH_MAX], sub[PATH_MAX];
	xb_fetch_info own_info;
	xb_buf why = XB_BUF_INIT;
	char *cache, *done;
	int lock = -1;
	xb_code rc;

	if (!info) {
		xb_fetch_info_init(&own_info);
		info = &own_info;
	}
	*dir = NULL;
	cache = cache_of(o);
	if (!cache) {
		rc = xb_fail(err, XB_ERR_NOTFOUND,
			     "no cache folder (set XBUILD_CACHE or HOME)");
		goto out;
	}
	/* the fast path: installed already, no lock needed */
	if ((done = xb_fetch_installed(a, cache))) {
		info->cached = true;
		*dir = done;
		rc = XB_OK;
		goto out;
	}
	entry_name(a, name, sizeof(name));
	snprintf(part, sizeof(part), "%s/dl/%s.part", cache, a->sha256);
	snprintf(final, sizeof(final), "%s/tc/%s", cache, name);
	if (!local && xb_fetch_offline(o)) {
		struct stat st;
		/* a complete download waiting to be extracted needs no network */
		if (!(a->size && stat(part, &st) == 0 &&
		      (uint64_t)st.st_size == a->size)) {
			rc = xb_fail(err, XB_ERR_OFFLINE,
				     "toolchain '%s' (sha256 %s) is not in the cache "
				     "'%s' and offline mode is on (run 'xbuild "
				     "toolchain fetch %s' online, or fetch --from "
				     "FILE with %s)", a->id, a->sha256, cache,
				     a->id, a->urls.n ? a->urls.v[0] : "the archive");
			goto out;
		}
	}
	snprintf(sub, sizeof(sub), "%s/dl", cache);
	if ((rc = xb_mkdir_p_mode(sub, 0755, err)))
		goto out;
	snprintf(sub, sizeof(sub), "%s/tc", cache);
	if ((rc = xb_mkdir_p_mode(sub, 0755, err)))
		goto out;
	rc = lock_take(cache, name, o && o->lock_secs > 0 ? o->lock_secs
							  : env_long("XBUILD_LOCK_TIMEOUT", 3600),
		       &lock, err);
	if (rc)
		goto out;
	/* another process may have finished while we waited */
	if ((done = xb_fetch_installed(a, cache))) {
		info->cached = true;
		*dir = done;
		goto out;
	}
	if (local) {
		rc = check_file(local, a, &why, err);
		if (rc == XB_ERR_HASH)
			rc = xb_fail(err, XB_ERR_HASH, "'%s' is not toolchain '%s': %s",
				     local, a->id, xb_buf_str(&why));
		if (!rc)
			rc = install(a, local, cache, final, NULL, err);
	} else {
		/* a partial download that is whole and right needs no transfer */
		struct stat st;
		if (!(a->size && stat(part, &st) == 0 &&
		      (uint64_t)st.st_size == a->size &&
		      check_file(part, a, &why, NULL) == XB_OK)) {
			if (xb_fetch_offline(o)) {
				unlink(part);
				rc = xb_fail(err, XB_ERR_OFFLINE,
					     "toolchain '%s' is not in the cache and "
					     "offline mode is on", a->id);
				goto out;
			}
			rc = download(a, part, o, info, err);
		}
		if (!rc)
			rc = install(a, part, cache, final, info->url, err);
		/* verified bytes were extracted, or were bad: drop them either way
		 * unless a transfer can still be resumed */
		if (!rc || rc == XB_ERR_FORMAT || rc == XB_ERR_HASH)
			unlink(part);
	}
	if (!rc)
		*dir = strdup(final);
out:
	lock_drop(lock);
	free(cache);
	xb_buf_release(&why);
	if (info == &own_info)
		xb_fetch_info_release(&own_info);
	return rc;
}

xb_code xb_fetch_archive(const xb_tc_archive *a, const xb_fetch_opts *o,
			 char **dir, xb_fetch_info *info, xb_err *err)
{
	return fetch_common(a, NULL, o, dir, info, err);
}

xb_code xb_fetch_from_file(const xb_tc_archive *a, const char *file,
			   const xb_fetch_opts *o, char **dir, xb_err *err)
{
	return fetch_common(a, file, o, dir, NULL, err);
}

/* ---- verify and gc ------------------------------------------------------ */

static xb_tree *walk_tree;
static const char *walk_root;
static xb_code walk_rc;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = path + strlen(walk_root);

	(void)ftw;
	if (*rel == '/')
		rel++;
	if (!*rel || !strcmp(rel, XB_TC_MARKER))
		return 0;
	if (flag == FTW_SL) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0) {
			walk_rc = XB_ERR_IO;
			return 1;
		}
		target[n] = '\0';
		xb_strv_pushf(&walk_tree->lines, "%s\tL %s", rel, target);
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		unsigned char d[32];
		char hex[65];
		if (xb_sha256_file(path, d, NULL)) {
			walk_rc = XB_ERR_IO;
			return 1;
		}
		xb_hex(d, 32, hex);
		xb_strv_pushf(&walk_tree->lines, "%s\tF %c %s", rel,
			      st->st_mode & 0100 ? 'x' : '-', hex);
	} else if (flag == FTW_F) {
		xb_strv_pushf(&walk_tree->lines, "%s\t? special", rel);
	}
	return 0;
}

xb_code xb_fetch_verify_dir(const char *dir, xb_err *err)
{
	char path[PATH_MAX], want[65] = "", got[65];
	xb_tree t = { XB_STRV_INIT };
	xb_buf m;
	const char *p;
	xb_code rc;

	xb_buf_init(&m, 64 * 1024);
	snprintf(path, sizeof(path), "%s/" XB_TC_MARKER, dir);
	if ((rc = xb_buf_read_file(&m, path, err))) {
		xb_buf_release(&m);
		return xb_fail(err, XB_ERR_NOTFOUND,
			       "'%s' is not a complete install (no marker)", dir);
	}
	p = strstr(xb_buf_str(&m), "\ntree ");
	if (p && strlen(p + 6) >= 64) {
		memcpy(want, p + 6, 64);
		want[64] = '\0';
	}
	xb_buf_release(&m);
	if (!want[0])
		return xb_fail(err, XB_ERR_FORMAT, "'%s' has no tree hash", path);
	walk_tree = &t;
	walk_root = dir;
	walk_rc = XB_OK;
	if (nftw(dir, walk_one, 16, FTW_PHYS) != 0 || walk_rc) {
		xb_strv_release(&t.lines);
		return xb_fail(err, XB_ERR_IO, "cannot read the tree '%s'", dir);
	}
	xb_tree_hash(&t, got);
	xb_strv_release(&t.lines);
	if (strcmp(want, got))
		return xb_fail(err, XB_ERR_HASH,
			       "'%s' was changed after it was installed (tree hash "
			       "%s, recorded %s); remove it or run 'xbuild "
			       "toolchain gc --all' and fetch again", dir, got, want);
	return XB_OK;
}

/* True when the lock for name is free (nobody is working on it). */
static bool lock_free(const char *cache, const char *name)
{
	char path[PATH_MAX];
	int fd;
	bool free_ = true;

	snprintf(path, sizeof(path), "%s/locks/%s.lock", cache, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return true;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		free_ = false;
	close(fd);
	return free_;
}

static bool pid_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

xb_code xb_cache_gc(const char *cache, const xb_tc_data *d, bool all,
		    xb_strv *removed, xb_err *err)
{
	char path[PATH_MAX];
	char *own = NULL;
	struct dirent *de;
	DIR *dh;

	if (!cache)
		cache = own = xb_cache_dir();
	if (!cache)
		return xb_fail(err, XB_ERR_NOTFOUND, "no cache folder");
	snprintf(path, sizeof(path), "%s/tc", cache);
	if ((dh = opendir(path))) {
		while ((de = readdir(dh))) {
			char full[PATH_MAX + 256], marker[PATH_MAX + 300];
			struct stat st;
			bool drop = false;

			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
			if (!strncmp(de->d_name, ".tmp-", 5)) {
				/* .tmp-<name>-<pid>-XXXXXX: stale when pid is gone */
				const char *dash = strrchr(de->d_name, '-');
				const char *p = dash;
				while (p > de->d_name + 5 && p[-1] != '-')
					p--;
				drop = !(dash && p < dash && pid_alive(atol(p)));
			} else {
				snprintf(marker, sizeof(marker), "%s/" XB_TC_MARKER, full);
				if (stat(marker, &st) < 0) {
					drop = lock_free(cache, de->d_name);
				} else if (all) {
					drop = true;
					for (size_t i = 0; d && i < d->narchives; i++) {
						char n[256];
						entry_name(&d->archives[i], n, sizeof(n));
						if (!strcmp(n, de->d_name))
							drop = false;
					}
				}
			}
			if (drop) {
				rm_rf(full);
				if (removed)
					xb_strv_push(removed, full);
			}
		}
		closedir(dh);
	}
	snprintf(path, sizeof(path), "%s/dl", cache);
	if ((dh = opendir(path))) {
		while ((de = readdir(dh))) {
			char full[PATH_MAX * 2];
			bool busy = false;
			if (de->d_name[0] == '.')
				continue;
			/* a partial download is kept for resume unless all */
			if (!all)
				continue;
			for (size_t i = 0; d && i < d->narchives; i++) {
				char n[256];
				if (strncmp(de->d_name, d->archives[i].sha256, 64))
					continue;
				entry_name(&d->archives[i], n, sizeof(n));
				busy = !lock_free(cache, n);
			}
			if (busy)
				continue;
			snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
			unlink(full);
			if (removed)
				xb_strv_push(removed, full);
		}
		closedir(dh);
	}
	free(own);
	return XB_OK;
}
