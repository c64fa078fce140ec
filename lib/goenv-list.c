/* goenv-list.c: what a package graph needs (go list -deps), asked once
 * per package, GOOS, GOARCH and tags in a run, and remembered across runs
 * in the go list cache (listcache.c) while nothing it depends on
 * changed. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "goenv.h"
#include "goenv-int.h"
#include "listcache.h"

static xb_code pkginfo_copy(xb_pkginfo *dst, const xb_pkginfo *src)
{
	*dst = *src;
	dst->error = src->error ? strdup(src->error) : NULL;
	dst->name = src->name ? strdup(src->name) : NULL;
	xb_strv_init(&dst->user_cgo);
	if ((src->error && !dst->error) || (src->name && !dst->name) ||
	    xb_strv_pushv(&dst->user_cgo, xb_strv_argv(&src->user_cgo)))
		return XB_ERR_NOMEM;
	return XB_OK;
}

static char *cache_key(const char *pkg, const char *goos, const char *goarch,
		       const char *tags)
{
	xb_buf b = XB_BUF_INIT;

	xb_buf_addf(&b, "%s\n%s/%s\n%s", pkg, goos, goarch, tags ? tags : "");
	return xb_buf_take(&b);
}

xb_code xb_goenv_cache_put(xb_goenv *g, const char *pkg, const char *goos,
			   const char *goarch, const char *tags,
			   const xb_pkginfo *info)
{
	struct xb_goenv_entry *a = realloc(g->cache, (g->ncache + 1) * sizeof(*a));

	if (!a)
		return XB_ERR_NOMEM;
	g->cache = a;
	a[g->ncache].key = cache_key(pkg, goos, goarch, tags);
	if (!a[g->ncache].key)
		return XB_ERR_NOMEM;
	if (pkginfo_copy(&a[g->ncache].info, info)) {
		free(a[g->ncache].key);
		return XB_ERR_NOMEM;
	}
	g->ncache++;
	return XB_OK;
}

static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

/* One line of the template below: path|standard|ncgo|imports|sealed|dir
 * (the last two, XB_LISTCACHE_SEALED and XB_LISTCACHE_DIR_FIELD, are for
 * the cache only) */
static void take_line(xb_pkginfo *i, char *line, const char **last)
{
	char *f[5] = { line, NULL, NULL, NULL, NULL }; /* f[4]: the rest */
	int nf = 1;

	for (char *p = line; *p && nf < 5; p++)
		if (*p == '|') {
			*p = '\0';
			f[nf++] = p + 1;
		}
	if (nf < 4)
		return;
	*last = f[0];
	bool std = !strcmp(f[1], "true"), cgo = strcmp(f[2], "0") != 0;
	if (!strcmp(f[0], "net") && cgo)
		i->net_cgo = true;
	else if (!strcmp(f[0], "os/user") && cgo)
		i->osuser_cgo = true;
	else if (!strcmp(f[0], "plugin"))
		i->plugin = true;
	else if (!strcmp(f[0], "runtime/cgo"))
		i->rtcgo = true;
	if (!std && cgo)
		xb_strv_push(&i->user_cgo, f[0]);
	/* cgo packages import runtime/cgo themselves; anyone else asked */
	if (!cgo && !std && has_word(f[3], "runtime/cgo"))
		i->rtcgo_direct = true;
}

/* go list's output text (taken) into info. */
static xb_code take_output(xb_pkginfo *info, char *text)
{
	char *save = NULL, *line, *copy_last = NULL;
	const char *last = NULL;

	info->ok = true;
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		take_line(info, line, &last);
		if (last) {
			free(copy_last);
			copy_last = strdup(last);
		}
	}
	if (copy_last) {
		const char *slash = strrchr(copy_last, '/');
		info->name = strdup(slash ? slash + 1 : copy_last);
	}
	free(copy_last);
	free(text);
	/* a package left out of user_cgo could turn cgo off */
	if (!text || xb_strv_failed(&info->user_cgo))
		return XB_ERR_NOMEM;
	return XB_OK;
}

/* One go list -deps question and its answer: made, looked up, asked (in
 * a thread of its own when several are asked at once), taken. */
struct ask {
	const xb_goenv *g;
	const char *pkg, *goos, *goarch, *tags;
	const char *args[12];
	xb_strv envp;      /* g's, for the target, with cgo visible */
	char key[65];      /* in the go list cache */
	bool cached;       /* key made */
	struct timespec started;
	xb_buf out, errb;  /* what go said */
	xb_code rc;        /* how running it went */
	xb_err err;
	xb_pkginfo info;
};

static void ask_release(struct ask *a)
{
	xb_strv_release(&a->envp);
	xb_buf_release(&a->out);
	xb_buf_release(&a->errb);
	xb_pkginfo_release(&a->info);
}

/* The question: go list's arguments, its environment, its cache key. */
static xb_code ask_init(xb_goenv *g, struct ask *a, const char *pkg,
			const char *goos, const char *goarch, const char *tags)
{
	int n = 0;

	memset(a, 0, sizeof(*a));
	a->g = g;
	a->pkg = pkg;
	a->goos = goos;
	a->goarch = goarch;
	a->tags = tags;
	xb_strv_init(&a->envp);
	xb_buf_init(&a->out, XB_GOENV_OUT_MAX);
	xb_buf_init(&a->errb, 1u << 20);
	xb_pkginfo_init(&a->info);
	a->args[n++] = "list";
	a->args[n++] = "-deps";
	/* go list would otherwise ask git about the tree (VCS stamping) */
	if (xb_goenv_at_least(g, 1, 18))
		a->args[n++] = "-buildvcs=false";
	a->args[n++] = "-f";
	a->args[n++] = "{{.ImportPath}}|{{.Standard}}|{{len .CgoFiles}}|"
		       "{{join .Imports \",\"}}|" XB_LISTCACHE_SEALED "|{{.Dir}}";
	if (tags && *tags) {
		a->args[n++] = "-tags";
		a->args[n++] = tags;
	}
	a->args[n++] = "--";
	a->args[n++] = pkg;
	a->args[n] = NULL;
	/* the same environment, for the target, with cgo visible */
	if (xb_strv_pushv(&a->envp, xb_strv_argv(&g->envp)) ||
	    xb_strv_setenv(&a->envp, "GOOS", goos) ||
	    xb_strv_setenv(&a->envp, "GOARCH", goarch) ||
	    xb_strv_setenv(&a->envp, "CGO_ENABLED", "1"))
		return XB_ERR_NOMEM;
	return XB_OK;
}

/* The answer an earlier run remembered for the same question (the
 * answer's cache says "hit"), into a->out: true when there was one. */
static bool ask_lookup(xb_goenv *g, struct ask *a)
{
	xb_listcache_q q = { g->go, g->version, g->goroot, g->dir,
			     xb_strv_argv(&a->envp), a->args };

	a->cached = xb_listcache_enabled() && !xb_listcache_key(&q, a->key);
	if (!a->cached)
		return false;
	memcpy(a->info.cache_key, a->key, sizeof(a->info.cache_key) - 1);
	a->info.cache = "miss";
	if (!xb_listcache_get(NULL, a->key, &g->listmemo, &a->out)) {
		a->info.cache = "hit";
		return true;
	}
	xb_buf_reset(&a->out);
	return false;
}

/* Run go list (what a thread does: g is only read), stopped once
 * cancel_fd is readable (-1: never). */
static void ask_run(const xb_goenv *g, struct ask *a, int cancel_fd)
{
	clock_gettime(CLOCK_REALTIME, &a->started);
	a->rc = xb_goenv_run_go_env(g, xb_strv_argv(&a->envp), a->args,
				    cancel_fd, &a->out, &a->errb, &a->err);
}

/* What go said, into a->info and g's answers (and the go list cache).  A
 * package go cannot load is an answer, not a failure, and is never
 * remembered across runs. */
static xb_code ask_take(xb_goenv *g, struct ask *a, bool ran, xb_err *err)
{
	char again[65];
	xb_listcache_q q = { g->go, g->version, g->goroot, g->dir,
			     xb_strv_argv(&a->envp), a->args };

	if (ran && a->rc == XB_ERR_CHILD) {
		const char *m = xb_goenv_go_error(xb_buf_str(&a->errb));
		if (!(a->info.error = strndup(m, strcspn(m, "\n"))))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	} else if (ran && a->rc) {
		return xb_fail(err, a->rc, "go list %s for %s/%s: %s", a->pkg,
			       a->goos, a->goarch, xb_errmsg(&a->err));
	} else {
		/* a go.mod edited while go ran is not under the key */
		if (ran && a->cached && !xb_listcache_key(&q, again) &&
		    !strcmp(a->key, again))
			xb_listcache_put(NULL, a->key, xb_buf_str(&a->out),
					 &a->started);
		if (take_output(&a->info, xb_buf_take(&a->out)))
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	if (xb_goenv_cache_put(g, a->pkg, a->goos, a->goarch, a->tags, &a->info))
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	return XB_OK;
}

/* The answer g already has for the question, or NULL. */
static const xb_pkginfo *known(const xb_goenv *g, const char *pkg,
			       const char *goos, const char *goarch,
			       const char *tags)
{
	char *key = cache_key(pkg, goos, goarch, tags);
	const xb_pkginfo *found = NULL;

	for (size_t i = 0; key && i < g->ncache && !found; i++)
		if (!strcmp(g->cache[i].key, key))
			found = &g->cache[i].info;
	free(key);
	return found;
}

xb_code xb_goenv_pkginfo(xb_goenv *g, const char *pkg, const char *goos,
			 const char *goarch, const char *tags,
			 const xb_pkginfo **out, xb_err *err)
{
	struct ask a;
	bool ran = false;
	xb_code rc;

	if ((*out = known(g, pkg, goos, goarch, tags)))
		return XB_OK;
	if (ask_init(g, &a, pkg, goos, goarch, tags)) {
		ask_release(&a);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	if (!ask_lookup(g, &a)) {
		g->list_runs++;
		ask_run(g, &a, -1);
		ran = true;
	}
	if (!(rc = ask_take(g, &a, ran, err)))
		*out = &g->cache[g->ncache - 1].info;
	ask_release(&a);
	return rc;
}

/* ---- many questions at once ---------------------------------------------- */

/* Questions asked at once: the cache's answers are taken at the start;
 * go list runs for the others in worker threads, each taking the next
 * unasked question, and the caller takes the answers in order as they
 * come (a byte on the pipe for each). */
struct xb_prefetch {
	xb_goenv *g;
	struct ask *a;
	bool *run;          /* per question: go list must run */
	bool *ended;        /* per question: its go list ended (under mu) */
	size_t n;
	size_t next;        /* the next question a worker looks at (mu) */
	size_t taken;       /* answers taken into g (the caller's) */
	bool stop;          /* no more go list starts (mu) */
	pthread_mutex_t mu;
	pthread_t *workers;
	size_t nworkers;
	int pipe[2];        /* a byte for each go list ended */
	int cancel[2];      /* readable once the go lists running must stop */
};

static void *prefetch_worker(void *ctx)
{
	struct xb_prefetch *pf = ctx;

	pthread_mutex_lock(&pf->mu);
	while (!pf->stop && pf->next < pf->n) {
		size_t i = pf->next++;

		if (!pf->run[i])
			continue;
		pthread_mutex_unlock(&pf->mu);
		ask_run(pf->g, &pf->a[i], pf->cancel[0]);
		pthread_mutex_lock(&pf->mu);
		pf->ended[i] = true;
		/* (EAGAIN: a full pipe is readable already) */
		while (write(pf->pipe[1], "", 1) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&pf->mu);
	return NULL;
}

/* The workers, at most jobs of them, with every signal blocked: signals
 * are the caller's to catch. */
static void prefetch_spawn(struct xb_prefetch *pf, int jobs, size_t misses)
{
	size_t want = misses < (size_t)(jobs > 0 ? jobs : 1) ? misses
		: (size_t)(jobs > 0 ? jobs : 1);
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (; pf->nworkers < want; pf->nworkers++)
		if (pthread_create(&pf->workers[pf->nworkers], NULL,
				   prefetch_worker, pf))
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The question i of qs, unless an earlier one or g's answers have it. */
static bool prefetch_new(const xb_goenv *g, const struct ask *a,
			 const xb_pkgq *qs, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (a[k].g && !strcmp(a[k].pkg, qs[i].pkg) &&
		    !strcmp(a[k].goos, qs[i].goos) &&
		    !strcmp(a[k].goarch, qs[i].goarch) &&
		    !strcmp(a[k].tags, qs[i].tags ? qs[i].tags : ""))
			return false;
	return !known(g, qs[i].pkg, qs[i].goos, qs[i].goarch, qs[i].tags);
}

xb_code xb_goenv_prefetch_start(xb_goenv *g, const xb_pkgq *qs, size_t n,
				int jobs, xb_prefetch **out, xb_err *err)
{
	struct xb_prefetch *pf = calloc(1, sizeof(*pf));
	size_t misses = 0;

	*out = NULL;
	if (!pf)
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	pf->g = g;
	pf->n = n;
	pf->pipe[0] = pf->pipe[1] = -1;
	pf->cancel[0] = pf->cancel[1] = -1;
	pthread_mutex_init(&pf->mu, NULL);
	pf->a = calloc(n ? n : 1, sizeof(*pf->a));
	pf->run = calloc(n ? n : 1, sizeof(*pf->run));
	pf->ended = calloc(n ? n : 1, sizeof(*pf->ended));
	pf->workers = calloc(n ? n : 1, sizeof(*pf->workers));
	if (!pf->a || !pf->run || !pf->ended || !pf->workers) {
		xb_goenv_prefetch_end(pf);
		return xb_fail(err, XB_ERR_NOMEM, "out of memory");
	}
	if (pipe2(pf->pipe, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(pf->cancel, O_CLOEXEC) < 0) {
		xb_goenv_prefetch_end(pf);
		return xb_fail(err, XB_ERR_IO, "pipe:");
	}
	for (size_t i = 0; i < n; i++) {
		if (!prefetch_new(g, pf->a, qs, i))
			continue;
		if (ask_init(g, &pf->a[i], qs[i].pkg, qs[i].goos, qs[i].goarch,
			     qs[i].tags ? qs[i].tags : "")) {
			xb_goenv_prefetch_end(pf);
			return xb_fail(err, XB_ERR_NOMEM, "out of memory");
		}
		if (!ask_lookup(g, &pf->a[i])) {
			pf->run[i] = true;
			g->list_runs++;
			misses++;
		}
	}
	prefetch_spawn(pf, jobs, misses);
	*out = pf;
	return XB_OK;
}

int xb_goenv_prefetch_fd(const xb_prefetch *pf)
{
	return pf->pipe[0];
}

xb_code xb_goenv_prefetch_take(xb_prefetch *pf, size_t *upto, xb_err *err)
{
	char drain[64];
	xb_code rc = XB_OK;

	while (read(pf->pipe[0], drain, sizeof(drain)) > 0)
		;
	for (; pf->taken < pf->n && !rc; pf->taken++) {
		struct ask *a = &pf->a[pf->taken];
		bool ended;

		pthread_mutex_lock(&pf->mu);
		ended = pf->ended[pf->taken];
		pthread_mutex_unlock(&pf->mu);
		if (pf->run[pf->taken] && !ended) {
			/* no worker could start: ask here */
			if (pf->nworkers)
				break;
			ask_run(pf->g, a, -1);
		}
		if (a->g) {
			rc = ask_take(pf->g, a, pf->run[pf->taken], err);
			ask_release(a);
			a->g = NULL;
		}
	}
	*upto = pf->taken;
	return rc;
}

void xb_goenv_prefetch_end(xb_prefetch *pf)
{
	if (!pf)
		return;
	pthread_mutex_lock(&pf->mu);
	pf->stop = true;
	pthread_mutex_unlock(&pf->mu);
	/* the go lists still running are not waited for: they go (the
	 * end closed, the other is readable) */
	if (pf->cancel[1] >= 0)
		close(pf->cancel[1]);
	pf->cancel[1] = -1;
	for (size_t i = 0; i < pf->nworkers; i++)
		pthread_join(pf->workers[i], NULL);
	for (size_t i = 0; pf->a && i < pf->n; i++)
		if (pf->a[i].g)
			ask_release(&pf->a[i]);
	if (pf->pipe[0] >= 0)
		close(pf->pipe[0]);
	if (pf->pipe[1] >= 0)
		close(pf->pipe[1]);
	for (int i = 0; i < 2; i++)
		if (pf->cancel[i] >= 0)
			close(pf->cancel[i]);
	pthread_mutex_destroy(&pf->mu);
	free(pf->a);
	free(pf->run);
	free(pf->ended);
	free(pf->workers);
	free(pf);
}
