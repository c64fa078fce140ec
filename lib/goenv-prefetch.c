/* goenv-prefetch.c: the go list questions of many targets asked at once,
 * so that planning six targets costs about two go lists' time, not six:
 * a rebuild with nothing changed is mostly planning. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "goenv.h"

#define PREFETCH_OUT_MAX (16u << 20)

/* One question: what xb_goenv_pkginfo would ask for pkg on a target. */
struct ask {
	const char *pkg, *goos, *goarch;
	char *tags;
	const char *argv[14];
	xb_strv env;
	const char *dir;
	xb_buf out;
	int code;
	xb_code rc;
};

static void *ask_go(void *arg)
{
	struct ask *a = arg;
	xb_spawn_opts so = XB_SPAWN_OPTS_INIT;

	so.envp = xb_strv_argv(&a->env);
	so.cwd = a->dir;
	a->rc = xb_run(a->argv, &so, &a->out, NULL, &a->code, NULL);
	return NULL;
}

/* The target's tags as the planner joins them. */
static char *tags_of(const xb_target *t)
{
	xb_buf b = XB_BUF_INIT;

	for (size_t i = 0; i < t->s.tags.n; i++)
		xb_buf_addf(&b, "%s%s", i ? "," : "", t->s.tags.v[i]);
	return xb_buf_failed(&b) ? (xb_buf_release(&b), NULL) :
		b.data ? xb_buf_take(&b) : strdup("");
}

static bool same(const struct ask *a, const struct ask *b)
{
	return !strcmp(a->pkg, b->pkg) && !strcmp(a->goos, b->goos) &&
	       !strcmp(a->goarch, b->goarch) && !strcmp(a->tags, b->tags);
}

/* Fill asks[] with the distinct questions; returns how many. */
static size_t gather(xb_goenv *g, const xb_strv *pkgs, const xb_target *t,
		     size_t nt, struct ask *asks)
{
	size_t n = 0;

	for (size_t k = 0; k < pkgs->n; k++)
		for (size_t i = 0; i < nt; i++) {
			struct ask *a = &asks[n];
			bool dup = false;

			memset(a, 0, sizeof(*a));
			a->pkg = pkgs->v[k];
			a->goos = t[i].os;
			a->goarch = t[i].arch;
			if (!(a->tags = tags_of(&t[i])))
				continue;
			for (size_t j = 0; j < n && !dup; j++)
				dup = same(&asks[j], a);
			if (dup) {
				free(a->tags);
				continue;
			}
			a->argv[0] = g->go;
			xb_goenv_list_args(g, a->pkg, a->tags, a->argv + 1);
			xb_strv_init(&a->env);
			xb_strv_pushv(&a->env, xb_strv_argv(&g->envp));
			xb_strv_setenv(&a->env, "GOOS", a->goos);
			xb_strv_setenv(&a->env, "GOARCH", a->goarch);
			xb_strv_setenv(&a->env, "CGO_ENABLED", "1");
			a->dir = g->dir;
			xb_buf_init(&a->out, PREFETCH_OUT_MAX);
			n++;
		}
	return n;
}

/*
 * Ask go list, as many at a time as there are CPUs, what each of pkgs
 * needs on each of b's targets (xb_goenv_pkginfo's question with the
 * target's tags), into the cache: planning them then runs no go list.
 * Only answers are kept; a question go list fails is asked again when
 * planned, where its message is made.  XB_ERR_NOMEM only.
 */
xb_code xb_goenv_prefetch(xb_goenv *g, const xb_profile *b, const xb_strv *pkgs)
{
	size_t max = pkgs->n * b->ntargets, n;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = cpus > 0 && cpus < 64 ? (int)cpus : 2;
	struct ask *asks;
	pthread_t *th;
	xb_code rc = XB_OK;

	if (max < 2)
		return XB_OK; /* nothing to gain */
	asks = calloc(max, sizeof(*asks));
	th = calloc(max, sizeof(*th));
	if (!asks || !th) {
		free(asks);
		free(th);
		return XB_ERR_NOMEM;
	}
	n = gather(g, pkgs, b->targets, b->ntargets, asks);
	/* in waves of jobs threads, each running one go list */
	for (size_t first = 0; first < n; first += (size_t)jobs) {
		size_t end = first + (size_t)jobs < n ? first + (size_t)jobs : n;
		bool *started = calloc(end - first, sizeof(*started));

		for (size_t i = first; started && i < end; i++)
			started[i - first] = pthread_create(&th[i], NULL, ask_go,
							    &asks[i]) == 0;
		for (size_t i = first; i < end; i++) {
			if (started && started[i - first])
				pthread_join(th[i], NULL);
			else
				ask_go(&asks[i]);
		}
		free(started);
	}
	/* answers go into the cache; a failure is asked again when planned,
	 * where its message is made */
	for (size_t i = 0; i < n; i++) {
		struct ask *a = &asks[i];
		xb_pkginfo info;

		xb_pkginfo_init(&info);
		if (!a->rc && !a->code && !xb_goenv_list_parse(xb_buf_take(&a->out),
								&info) &&
		    xb_goenv_cache_put(g, a->pkg, a->goos, a->goarch, a->tags,
				       &info))
			rc = XB_ERR_NOMEM;
		g->list_runs++;
		xb_pkginfo_release(&info);
		xb_buf_release(&a->out);
		xb_strv_release(&a->env);
		free(a->tags);
	}
	free(asks);
	free(th);
	return rc;
}
