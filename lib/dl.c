/* dl.c: libcurl and libarchive, loaded on first use.  Linking them pulls
 * in some forty libraries (gssapi, ldap, ssh, icu, ...) that every run
 * would pay for at start-up; only downloads need libcurl and only
 * extraction and packing need libarchive.  We still compile against their
 * headers, so the tables below have the exact types of the functions. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>

#include "xbuild.h"

_Static_assert(sizeof(void (*)(void)) == sizeof(void *),
	       "dlsym results must fit a function pointer");

struct lib {
	const char *soname;
	const char *package;
	pthread_once_t once;
	bool ok;
	char msg[512];
};

/* dlsym into a function pointer field (memcpy: ISO C has no cast from an
 * object pointer to a function pointer). */
static bool sym(void *h, struct lib *l, const char *name, void *field)
{
	void *p;

	dlerror();
	p = dlsym(h, name);
	if (!p) {
		const char *e = dlerror();
		snprintf(l->msg, sizeof(l->msg), "%s", e ? e : name);
		return false;
	}
	memcpy(field, &p, sizeof(p));
	return true;
}

static void *open_lib(struct lib *l)
{
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *e = dlerror();
		snprintf(l->msg, sizeof(l->msg), "%s", e ? e : "unknown error");
	}
	return h;
}

static xb_code result(struct lib *l, xb_err *err)
{
	if (l->ok)
		return XB_OK;
	return xb_fail(err, XB_ERR_NOTFOUND, "cannot load %s: %s; install %s",
		       l->soname, l->msg, l->package);
}

/* ---- libcurl -------------------------------------------------------- */

static struct lib curl_lib = { "libcurl.so.4", "libcurl4", PTHREAD_ONCE_INIT,
			       false, "" };
static xb_curl_api curl_api;

static void load_curl(void)
{
	void *h = open_lib(&curl_lib);
	bool ok;

	if (!h)
		return;
#define SYM(f) sym(h, &curl_lib, "curl_" #f, &curl_api.f)
	ok = SYM(global_init) && SYM(easy_init) && SYM(easy_setopt) &&
	     SYM(easy_getinfo) && SYM(easy_perform) && SYM(easy_cleanup) &&
	     SYM(easy_strerror);
#undef SYM
	if (!ok) {
		dlclose(h);
		return;
	}
	curl_lib.ok = true;
}

const xb_curl_api *xb_dl_curl(xb_err *err)
{
	pthread_once(&curl_lib.once, load_curl);
	return result(&curl_lib, err) ? NULL : &curl_api;
}

/* ---- libarchive ----------------------------------------------------- */

static struct lib archive_lib = { "libarchive.so.13", "libarchive13",
				  PTHREAD_ONCE_INIT, false, "" };
static xb_archive_api archive_api;

static void load_archive(void)
{
	void *h = open_lib(&archive_lib);
	bool ok;

	if (!h)
		return;
#define SYM(f) sym(h, &archive_lib, "archive_" #f, &archive_api.f)
	ok = SYM(error_string) &&
	     SYM(read_new) && SYM(read_free) && SYM(read_next_header) &&
	     SYM(read_open_filename) && SYM(read_data_block) &&
	     SYM(read_support_filter_all) &&
	     SYM(read_support_format_gnutar) && SYM(read_support_format_tar) &&
	     SYM(read_support_format_zip) &&
	     SYM(write_new) && SYM(write_free) && SYM(write_close) &&
	     SYM(write_header) && SYM(write_data) && SYM(write_data_block) &&
	     SYM(write_finish_entry) && SYM(write_open_filename) &&
	     SYM(write_set_options) && SYM(write_add_filter_gzip) &&
	     SYM(write_set_format_ustar) && SYM(write_set_format_zip) &&
	     SYM(write_disk_new) && SYM(write_disk_set_options) &&
	     SYM(entry_new) && SYM(entry_free) && SYM(entry_pathname) &&
	     SYM(entry_set_pathname) && SYM(entry_hardlink) &&
	     SYM(entry_set_hardlink) && SYM(entry_symlink) &&
	     SYM(entry_filetype) && SYM(entry_set_filetype) &&
	     SYM(entry_perm) && SYM(entry_set_perm) && SYM(entry_set_uid) &&
	     SYM(entry_set_gid) && SYM(entry_set_mtime) && SYM(entry_set_size);
#undef SYM
	if (!ok) {
		dlclose(h);
		return;
	}
	archive_lib.ok = true;
}

const xb_archive_api *xb_dl_archive(xb_err *err)
{
	pthread_once(&archive_lib.once, load_archive);
	return result(&archive_lib, err) ? NULL : &archive_api;
}
