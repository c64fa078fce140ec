/* fetch.c: a pinned archive over HTTP with libcurl: resume, retries with
 * backoff, then the next mirror, a minimum speed and a deadline for each
 * transfer (a slow mirror moves on to the next), proxies and .netrc from
 * the environment, and the size and sha256 checked before anything trusts
 * the bytes.  The cache around it (folders, locks, .part files) is
 * tccache.c; unpacking is extract.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

#define DEFAULT_MAX_SIZE (2ull << 30)

uint64_t xb_fetch_limit(const xb_tc_archive *a, const xb_fetch_opts *o)
{
	if (a->size)
		return a->size;
	return o && o->max_size ? o->max_size : DEFAULT_MAX_SIZE;
}

long xb_fetch_env_long(const char *name, long dflt)
{
	return xb_env_long(name, dflt);
}

void xb_fetch_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
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

/* How long and how slow one transfer may be, and how big the file. */
struct limits {
	uint64_t size;       /* the file may not grow past this */
	long window;         /* seconds below min_speed that count as a stall */
	long min_speed;      /* bytes per second */
	long deadline;       /* seconds for the whole transfer */
};

static void limits_of(const xb_tc_archive *a, const xb_fetch_opts *o,
		      struct limits *l)
{
	l->size = xb_fetch_limit(a, o);
	l->window = o && o->stall_secs > 0
			    ? o->stall_secs
			    : xb_fetch_env_long("XBUILD_STALL_TIMEOUT", 30);
	l->min_speed = o && o->min_speed > 0
			       ? o->min_speed
			       : xb_fetch_env_long("XBUILD_MIN_SPEED", 1024);
	l->deadline = o && o->deadline_secs > 0
			      ? o->deadline_secs
			      : xb_fetch_env_long("XBUILD_FETCH_TIMEOUT", 1800);
	if (l->window < 1)
		l->window = 1;
	if (l->min_speed < 1)
		l->min_speed = 1;
	if (l->deadline < 1)
		l->deadline = 1;
}

static void setup(CURL *c, struct xfer *x, const char *url,
		  const struct limits *l, char *cerr, char *range, size_t n)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* a mirror that trickles is as useless as one that stalls, and no
	 * transfer may hold the fetch forever: both move to the next URL */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, l->min_speed);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, l->window);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, l->deadline);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "xbuild/" XB_VERSION);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)l->size);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024);
	if (x->offset) {
		snprintf(range, n, "%llu-", (unsigned long long)x->offset);
		curl_easy_setopt(c, CURLOPT_RANGE, range);
	}
}

/* What a callback stopped the transfer for: its reason in why. */
static enum attempt_result stopped(const struct xfer *x, int fd,
				   const xb_tc_archive *a, xb_buf *why,
				   xb_err *err)
{
	xb_buf_adds(why, x->why);
	if (x->why_code == XB_ERR_INTERRUPTED) {
		xb_fail(err, XB_ERR_INTERRUPTED, "download of '%s' interrupted",
			a->id);
		return A_FATAL;
	}
	if (x->why_code == XB_ERR_IO) {
		xb_fail(err, XB_ERR_IO, "download of '%s': %s", a->id, x->why);
		return A_FATAL;
	}
	/* too big, or a bad resume: start over from another URL */
	if (ftruncate(fd, 0) < 0) {
		xb_fail(err, XB_ERR_IO, "cannot truncate download:");
		return A_FATAL;
	}
	return x->why_code == XB_ERR_TOO_BIG ? A_NEXT : A_RETRY;
}

/* What libcurl's answer means for this URL; its reason in why. */
static enum attempt_result judge(CURLcode cc, long code, const char *cerr,
				 const struct limits *l, curl_off_t us,
				 xb_buf *why)
{
	const char *text = cerr[0] ? cerr : curl_easy_strerror(cc);

	switch (cc) {
	case CURLE_OK:
		return A_DONE;
	case CURLE_HTTP_RETURNED_ERROR:
		xb_buf_addf(why, "HTTP %ld", code);
		if (code == 416) /* the partial file may be whole already */
			return A_DONE;
		if (code == 408 || code == 429 || code >= 500)
			return A_RETRY;
		return A_NEXT; /* 404 and friends: not there, no use retrying */
	case CURLE_FILESIZE_EXCEEDED:
		xb_buf_addf(why, "server announced more than the %llu bytes "
			    "expected", (unsigned long long)l->size);
		return A_NEXT;
	case CURLE_OPERATION_TIMEDOUT:
		/* curl's clock; a stall in the last tenth of a second
		 * before the deadline may count as either */
		if (us >= (curl_off_t)l->deadline * 1000000 - 100000)
			xb_buf_addf(why, "stalled: not done after %lds "
				    "(XBUILD_FETCH_TIMEOUT)", l->deadline);
		else
			xb_buf_addf(why, "stalled: slower than %ld bytes/s for "
				    "%lds (XBUILD_MIN_SPEED, XBUILD_STALL_TIMEOUT)",
				    l->min_speed, l->window);
		return A_NEXT;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_TOO_MANY_REDIRECTS:
	case CURLE_COULDNT_RESOLVE_HOST: /* no name now, none in a second */
		xb_buf_adds(why, text);
		return A_NEXT;
	default:
		xb_buf_adds(why, text);
		return A_RETRY;
	}
}

/* One HTTP transfer of url into fd, resuming from what the file holds. */
static enum attempt_result attempt(const char *url, int fd,
				   const struct limits *l,
				   const xb_tc_archive *a,
				   const xb_fetch_opts *o, xb_fetch_info *info,
				   xb_buf *why, xb_err *err)
{
	struct xfer x;
	struct stat st;
	char range[48], cerr[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	long code = 0;
	curl_off_t us = 0;
	CURL *c;

	memset(&x, 0, sizeof(x));
	if (fstat(fd, &st) < 0) {
		xb_fail(err, XB_ERR_IO, "cannot stat download:");
		return A_FATAL;
	}
	x.fd = fd;
	x.offset = (uint64_t)st.st_size;
	x.limit = l->size;
	x.o = o;
	x.id = a->id;
	x.total = a->size;
	if (x.offset > l->size) {
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
	setup(c, &x, url, l, cerr, range, sizeof(range));
	info->attempts++;
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME_T, &us);
	curl_easy_cleanup(c);
	if (x.resumed)
		info->resumed++;
	xb_buf_reset(why);
	if (x.why[0])
		return stopped(&x, fd, a, why, err);
	return judge(cc, code, cerr, l, us, why);
}

xb_code xb_fetch_check_fd(int fd, const char *name, const xb_tc_archive *a,
			  xb_buf *why, xb_err *err)
{
	unsigned char d[32];
	char hex[65];
	uint64_t len;
	xb_code rc;

	if ((rc = xb_sha256_fd(fd, name, d, &len, err)))
		return rc;
	xb_buf_reset(why);
	if (a->size && len != a->size) {
		xb_buf_addf(why, "got %llu bytes, expected %llu",
			    (unsigned long long)len, (unsigned long long)a->size);
		return XB_ERR_HASH;
	}
	xb_hex(d, 32, hex);
	if (strcmp(hex, a->sha256)) {
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

/* A transfer that ended well as far as HTTP can tell: A_DONE when the
 * file is whole and right, else what to do next with the reason in why;
 * A_FATAL with *rc set. */
static enum attempt_result settle(int fd, const char *part,
				  const xb_tc_archive *a, xb_buf *why,
				  xb_code *rc, xb_err *err)
{
	struct stat st;

	/* the server ended early: resume, do not start over */
	if (a->size && fstat(fd, &st) == 0 && (uint64_t)st.st_size < a->size) {
		xb_buf_reset(why);
		xb_buf_addf(why, "transfer ended at byte %llu of %llu",
			    (unsigned long long)st.st_size,
			    (unsigned long long)a->size);
		return A_RETRY;
	}
	*rc = xb_fetch_check_fd(fd, part, a, why, err);
	if (*rc == XB_OK)
		return A_DONE;
	if (*rc != XB_ERR_HASH)
		return A_FATAL;
	/* Wrong bytes: this URL serves something else.  Never retry it;
	 * start clean on the next. */
	if (ftruncate(fd, 0) < 0) {
		*rc = xb_fail(err, XB_ERR_IO, "cannot truncate '%s':", part);
		return A_FATAL;
	}
	*rc = XB_OK;
	return A_NEXT;
}

static bool any_line(const xb_strv *lines, const char *needle)
{
	for (size_t i = 0; i < lines->n; i++)
		if (strstr(lines->v[i], needle))
			return true;
	return false;
}

/* Every URL failed: one error listing each attempt ("URL: why", repeats
 * once with their count), with a hint, whole: it leaves room in the
 * fixed-size message for what callers add around it. */
static xb_code fail_all(const xb_tc_archive *a, const xb_strv *lines,
			xb_err *err)
{
	xb_buf b = XB_BUF_INIT;
	const char *hint = "";
	xb_code rc;

	if (any_line(lines, "sha256 mismatch"))
		hint = "; a checksum mismatch right after a release is often "
		       "a mirror still syncing: retry later, or check the pin";
	else if (any_line(lines, "HTTP 404") && !any_line(lines, "HTTP 5"))
		hint = "; HTTP 404: the archive may not be built for this host, "
		       "or its URL moved";
	else if (any_line(lines, "stalled") || any_line(lines, "connect") ||
		 any_line(lines, "resolve"))
		hint = "; check the network or the proxy (https_proxy, "
		       "NO_PROXY), or use --offline with a warm cache";
	xb_buf_addf(&b, "cannot download '%s' (sha256 %s) from any of its %zu "
		    "URLs%s:", a->id, a->sha256, a->urls.n, hint);
	xb_strv_add_lines(&b, lines, "  ", sizeof(((xb_err *)0)->msg) - 384);
	rc = xb_fail(err, XB_ERR_NET, "%s", xb_buf_str(&b));
	xb_buf_release(&b);
	return rc;
}

/* Download a into fd (kept between attempts for resume) until it is
 * complete and verified. */
xb_code xb_fetch_download(const xb_tc_archive *a, int fd, const char *part,
			  const xb_fetch_opts *o, xb_fetch_info *info,
			  xb_err *err)
{
	int retries = o && o->retries > 0 ? o->retries
					   : (int)xb_fetch_env_long("XBUILD_RETRIES", 3);
	long backoff = o && o->backoff_ms > 0
			       ? o->backoff_ms
			       : xb_fetch_env_long("XBUILD_BACKOFF_MS", 500);
	xb_buf why = XB_BUF_INIT;
	xb_strv all = XB_STRV_INIT;
	unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	struct limits l;
	xb_code rc = XB_OK;

	if (retries < 1)
		retries = 1;
	limits_of(a, o, &l);
	curl_once();
	for (size_t u = 0; u < a->urls.n; u++) {
		const char *url = a->urls.v[u];

		for (int k = 1; k <= retries; k++) {
			enum attempt_result r;

			r = attempt(url, fd, &l, a, o, info, &why, err);
			if (r == A_FATAL) {
				rc = err ? err->code : XB_ERR_NET;
				goto out;
			}
			if (r == A_DONE)
				r = settle(fd, part, a, &why, &rc, err);
			if (r == A_FATAL)
				goto out;
			if (r == A_DONE) {
				free(info->url);
				info->url = strdup(url);
				goto out;
			}
			xb_strv_pushf(&info->notes, "%s: %s", url, xb_buf_str(&why));
			xb_strv_pushf(&all, "%s: %s", url, xb_buf_str(&why));
			if (r == A_NEXT)
				break;
			if (k < retries) {
				long d = backoff << (k - 1);
				d += (long)(rand_r(&seed) % (unsigned)(d / 4 + 1));
				xb_fetch_sleep_ms(d);
			}
		}
	}
	rc = fail_all(a, &all, err);
out:
	xb_buf_release(&why);
	xb_strv_release(&all);
	return rc;
}
