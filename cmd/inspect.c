/* inspect.c: `xbuild inspect`: what file, ldd, readelf and `go version -m`
 * say about binaries, in one pass and without executing anything. */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

enum { OPT_JSON = 256 };

#define MAX_JOBS 64

static const struct cmd_opt inspect_opts[] = {
	{ "recursive", 'r', no_argument, NULL,
	  "walk directories; skip files that are not binaries" },
	{ "json", OPT_JSON, no_argument, NULL,
	  "print the facts as JSON (an object, or an array for several files)" },
	{ "verbose", 'v', no_argument, NULL, "print every fact, one per line" },
	{ "jobs", 'j', required_argument, "N",
	  "read N files at once (default: the CPUs; the output keeps its order)" },
	{ NULL, 0, 0, NULL, NULL },
};

const struct cmd_help inspect_help = {
	"inspect", "[-r] [--json] [-v] [-j N] FILE|DIR|-...",
	"read ELF, Mach-O and PE binaries and their Go build info, without running them",
	inspect_opts,
	"A path of '-' reads paths from standard input, one per line.  A file\n"
	"that cannot be read or is malformed gets a one-line reason on stderr;\n"
	"the others are still inspected, and the exit status is 1.\n",
};

/* One file: what it printed, made by a worker thread (or in turn), and
 * written by the main thread in the order the files were given. */
struct job {
	char *path;     /* NULL when there was no memory to copy it */
	bool from_walk;
	bool skip;      /* a walk's file that is no binary: nothing at all */
	xb_code code;   /* it failed: why in msg (NULL: no memory for it) */
	char *msg;
	xb_buf text;    /* its JSON object (no separator) or its lines */
};

struct pool;

struct inspect_run {
	bool json, verbose, recursive, array;
	int jobs;
	size_t printed;
	int status;
	bool out_failed; /* writing failed (a closed pipe): said once, and
			  * no more files are read */
	xb_buf out; /* the output not yet written, of many files */
	struct job one; /* the job when files are read in turn */
	struct pool *pool; /* worker threads, or NULL */
};

/* Output is written when this much has gathered (one write for many
 * files), before a message on stderr (which follows its file) and at
 * the end. */
#define OUT_FLUSH 65536

static void flush_out(struct inspect_run *r)
{
	if (!r->out_failed && (r->out.len || xb_buf_failed(&r->out)) &&
	    cmd_write_out(&r->out)) {
		r->status = EXIT_FAIL;
		r->out_failed = true;
	}
	xb_buf_reset(&r->out);
}

static const char *type_words(const char *t)
{
	if (!t)
		return "unknown type";
	if (!strcmp(t, "exec"))
		return "executable";
	if (!strcmp(t, "pie"))
		return "pie executable";
	if (!strcmp(t, "shared"))
		return "shared object";
	if (!strcmp(t, "core"))
		return "core file";
	return t;
}

/* Text from a file, escaped for the terminal; NULL as printf's "%s"
 * writes it.  (Not cmd_safe: its buffers are one thread's.) */
static void safe(xb_buf *b, const char *s)
{
	cmd_text(b, s ? s : "(null)");
}

static void summary_one(xb_buf *b, const xb_facts *f)
{
	const char *fmt = !strcmp(f->format, "elf") ? "ELF" :
			  !strcmp(f->format, "pe") ? (f->bits == 64 ? "PE32+" : "PE32") :
			  "Mach-O";

	if (f->bits && strcmp(f->format, "pe"))
		xb_buf_addf(b, "%s %d-bit %s ", fmt, f->bits,
			    f->endian && !strcmp(f->endian, "big") ? "MSB" : "LSB");
	else
		xb_buf_addf(b, "%s ", fmt);
	safe(b, type_words(f->type));
	/* every string below may come from the file: safe() */
	xb_buf_adds(b, ", ");
	safe(b, f->arch ? f->arch : f->machine_name ? f->machine_name : "unknown machine");
	if (f->abi) {
		xb_buf_adds(b, " (");
		safe(b, f->abi);
		xb_buf_addc(b, ')');
	}
	if (f->linkage) {
		xb_buf_adds(b, ", ");
		safe(b, f->linkage);
	}
	if (f->interpreter) {
		xb_buf_adds(b, ", interpreter ");
		safe(b, f->interpreter);
	}
	if (f->needed.n) {
		xb_buf_adds(b, ", needs ");
		for (size_t i = 0; i < f->needed.n && i < 6; i++) {
			if (i)
				xb_buf_addc(b, ' ');
			safe(b, f->needed.v[i]);
		}
		if (f->needed.n > 6)
			xb_buf_addf(b, " (+%zu)", f->needed.n - 6);
	}
	if (f->glibc_max) {
		xb_buf_adds(b, ", glibc ");
		safe(b, f->glibc_max);
		xb_buf_addc(b, '+');
	} else if (f->libc && !strcmp(f->libc, "musl")) {
		xb_buf_adds(b, ", musl");
	}
	if (f->go) {
		const char *cgo = xb_goinfo_setting(f->go, "CGO_ENABLED");

		xb_buf_adds(b, ", Go ");
		safe(b, f->go->version ? f->go->version : "?");
		if (cgo) {
			xb_buf_adds(b, " cgo=");
			safe(b, cgo);
		}
	} else if (f->go_build_id) {
		xb_buf_adds(b, ", Go");
	}
	if (f->debug_info)
		xb_buf_adds(b, ", with debug_info");
	if (f->stripped != XB_NA)
		xb_buf_adds(b, f->stripped ? ", stripped" : ", not stripped");
	else if (!strcmp(f->format, "elf"))
		xb_buf_adds(b, ", no section header");
}

static void summary(xb_buf *b, const xb_facts *f)
{
	if (f->nslices) {
		xb_buf_addf(b, "Mach-O universal binary with %zu architectures", f->nslices);
		for (size_t i = 0; i < f->nslices; i++) {
			xb_buf_adds(b, i ? "; [" : ": [");
			if (f->slices[i].format)
				summary_one(b, &f->slices[i]);
			else
				xb_buf_adds(b, "unreadable");
			xb_buf_adds(b, "]");
		}
		return;
	}
	summary_one(b, f);
}

static const char *tri(int v)
{
	return v == XB_NA ? "n/a" : v ? "yes" : "no";
}

static void kv(xb_buf *b, const char *ind, const char *k, const char *v)
{
	xb_buf_addf(b, "%s%-16s ", ind, k);
	if (v)
		safe(b, v);
	else
		xb_buf_addc(b, '-');
	xb_buf_addc(b, '\n');
}

/* "go.main:" and "go.dep:" lines: path, version, sum, replacement. */
static void kv_mod(xb_buf *b, const char *ind, const char *k, const xb_gomod *m,
		   bool replace)
{
	xb_buf_addf(b, "%s%-16s ", ind, k);
	safe(b, m->path);
	xb_buf_addc(b, ' ');
	safe(b, m->version);
	xb_buf_addc(b, ' ');
	safe(b, m->sum);
	if (replace && m->replace) {
		xb_buf_adds(b, " => ");
		safe(b, m->replace);
	}
	xb_buf_addc(b, '\n');
}

static void verbose(xb_buf *b, const xb_facts *f, const char *ind)
{
#define KV(k, v) kv(b, ind, k ":", v)
	char num[32];

	KV("format", f->format);
	snprintf(num, sizeof(num), "%d", f->bits);
	KV("class", f->bits ? num : NULL);
	KV("endian", f->endian);
	KV("type", f->type);
	KV("arch", f->arch);
	xb_buf_addf(b, "%s%-16s %u (", ind, "machine:", f->machine);
	safe(b, f->machine_name ? f->machine_name : "unknown");
	xb_buf_adds(b, ")\n");
	if (f->abi)
		KV("abi", f->abi);
	KV("linkage", f->linkage);
	KV("interpreter", f->interpreter);
	for (size_t i = 0; i < f->needed.n; i++)
		KV("needed", f->needed.v[i]);
	if (!f->needed.n)
		KV("needed", NULL);
	KV("rpath", f->rpath);
	KV("runpath", f->runpath);
	KV("soname", f->soname);
	KV("stripped", tri(f->stripped));
	KV("debug_info", f->debug_info ? (f->debug_compressed ? "yes (compressed)" : "yes") : "no");
	KV("build id (gnu)", f->gnu_build_id);
	KV("build id (go)", f->go_build_id);
	if (f->uuid)
		KV("uuid", f->uuid);
	if (f->min_os)
		KV("min_os", f->min_os);
	KV("glibc_max", f->glibc_max);
	KV("libc", f->libc);
	KV("pie", tri(f->pie));
	KV("relro", f->relro ? f->relro : "n/a");
	KV("bind_now", tri(f->bind_now));
	KV("nx_stack", tri(f->nx_stack));
	KV("textrel", tri(f->textrel));
	KV("stack_protector", tri(f->stack_protector));
	KV("ld_preload", f->ld_preload ? "exposed (has an interpreter)" : "no");
	snprintf(num, sizeof(num), "%llu", (unsigned long long)f->size);
	KV("size", num);
	if (f->go) {
		const xb_goinfo *g = f->go;

		KV("go.version", g->version);
		KV("go.path", g->path);
		if (g->main.path)
			kv_mod(b, ind, "go.main:", &g->main, false);
		for (size_t i = 0; i < g->ndeps; i++)
			kv_mod(b, ind, "go.dep:", &g->deps[i], true);
		for (size_t i = 0; i < g->settings.n; i++)
			KV("go.setting", g->settings.v[i]);
	} else {
		KV("go", NULL);
	}
	for (size_t i = 0; i < f->problems.n; i++)
		KV("problem", f->problems.v[i]);
	for (size_t i = 0; i < f->nslices; i++) {
		char sub[64];

		xb_buf_addf(b, "%sslice %zu:\n", ind, i);
		snprintf(sub, sizeof(sub), "%s    ", ind);
		verbose(b, &f->slices[i], sub);
	}
#undef KV
}

/* ---- one file ----------------------------------------------------------- */

/* Read jb's file and put what it prints into jb->text.  Runs in worker
 * threads: touches nothing but jb and reads r's options. */
static void work(const struct inspect_run *r, struct job *jb)
{
	xb_buf *b = &jb->text;
	xb_err err;
	xb_facts f;
	xb_code rc;

	xb_buf_reset(b);
	free(jb->msg);
	jb->msg = NULL;
	err.code = XB_OK;
	err.msg[0] = '\0';
	xb_facts_init(&f);
	rc = jb->path ? xb_inspect(jb->path, &f, &err)
		      : xb_fail(&err, XB_ERR_NOMEM, "out of memory");
	jb->code = rc;
	/* a tree holds scripts and data: not our business */
	jb->skip = rc == XB_ERR_UNSUPPORTED && jb->from_walk;
	if (rc && !jb->skip)
		jb->msg = strdup(xb_errmsg(&err));
	if (jb->skip) {
		xb_facts_release(&f);
		return;
	}
	if (r->json) {
		xb_json j;

		xb_json_init(&j, b, false);
		xb_facts_json_err(&f, rc ? &err : NULL, &j);
		xb_json_finish(&j);
		if (!r->array)
			xb_buf_addc(b, '\n');
	} else if (f.format) {
		safe(b, jb->path);
		xb_buf_adds(b, ": ");
		summary(b, &f);
		xb_buf_addc(b, '\n');
		if (r->verbose)
			verbose(b, &f, "  ");
	}
	xb_facts_release(&f);
}

/* Write what jb printed after the files before it (main thread only). */
static void emit(struct inspect_run *r, const struct job *jb)
{
	if (jb->skip || r->out_failed)
		return;
	if (r->json && r->array)
		xb_buf_adds(&r->out, r->printed ? ",\n" : "[\n");
	xb_buf_addb(&r->out, &jb->text);
	if (jb->code || r->out.len >= OUT_FLUSH)
		flush_out(r); /* the reason follows its file */
	if (jb->code && !r->out_failed) {
		cmd_error("%s: %s", jb->path ? cmd_safe(jb->path) : "?",
			  cmd_safe(jb->msg ? jb->msg : xb_strerror(jb->code)));
		r->status = EXIT_FAIL;
	}
	r->printed++;
}

static void job_set(struct job *jb, const char *path, bool from_walk)
{
	free(jb->path);
	jb->path = strdup(path);
	jb->from_walk = from_walk;
}

static void job_release(struct job *jb)
{
	free(jb->path);
	jb->path = NULL;
	free(jb->msg);
	jb->msg = NULL;
	xb_buf_release(&jb->text);
}

/* ---- files read by worker threads, written in order -------------------- */

/*
 * The main thread queues files in a window of WINDOW jobs and writes the
 * answers in order as they come; the workers take the queued jobs in
 * order.  Memory stays bounded by the window whatever the length of the
 * list, and the output is byte for byte that of reading in turn.  Each
 * job's slot is the main thread's until it is queued (tail), a worker's
 * from when it takes it (next) until it is ready, then the main thread's
 * again, which writes it (head).  One file's answer can be megabytes (a
 * Go binary's modules): past PENDING bytes of answers not yet written,
 * the workers take no job but the head's, and a big answer's buffer is
 * freed once written.
 */
#define WINDOW 512
#ifndef PENDING
#define PENDING (64u << 20)
#endif

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job was queued, or stop */
	pthread_cond_t done; /* job want is ready */
	pthread_t tid[MAX_JOBS];
	int nthreads;
	size_t head, next, tail;
	size_t want;        /* the job the main thread waits for, or SIZE_MAX */
	size_t pending;     /* bytes of the ready answers not yet written */
	bool stop;
	bool ready[WINDOW];
	struct job jobs[WINDOW];
	const struct inspect_run *r;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	/* a file table of its own: the files it opens and closes by the
	 * thousand then take no lock the other threads take, and the kernel
	 * looks up its descriptors without counting references (as in a
	 * process of one thread); it fails only without memory, and then the
	 * shared table does as well.  What the table inherited is of no use
	 * here: closed (in this table only), so that the files get
	 * consecutive descriptors and are closed 64 at a time */
	if (unshare(CLONE_FILES) == 0 && close_range(3, ~0U, 0) == 0)
		xb_inspect_close_later(true);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t i;

		while ((p->next == p->tail ||
			(p->pending > PENDING && p->next != p->head)) && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->next == p->tail)
			break;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		work(p->r, &p->jobs[i % WINDOW]);
		pthread_mutex_lock(&p->mu);
		p->ready[i % WINDOW] = true;
		p->pending += p->jobs[i % WINDOW].text.len;
		if (i == p->want || p->pending > PENDING)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	xb_inspect_close_later(false);
	return NULL;
}

/* The threads to read with: -j, else the CPUs this process may run on. */
static int default_jobs(void)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n < 1)
		n = (int)sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : n;
}

/* Start r->jobs workers; none (files read in turn) when none starts. */
static void pool_start(struct inspect_run *r)
{
	struct pool *p = calloc(1, sizeof(*p));

	if (!p)
		return;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->want = SIZE_MAX;
	p->r = r;
	for (size_t i = 0; i < WINDOW; i++)
		xb_buf_init(&p->jobs[i].text, 0);
	while (p->nthreads < r->jobs &&
	       pthread_create(&p->tid[p->nthreads], NULL, worker, p) == 0)
		p->nthreads++;
	if (!p->nthreads) {
		free(p);
		return;
	}
	r->pool = p;
}

/* Write the ready answers at the head of the window, in order, after
 * waiting for at least one (the head) when the window is full; with all,
 * until every queued job is written. */
static void pool_write(struct inspect_run *r, bool all)
{
	struct pool *p = r->pool;
	size_t n;
	bool held;

	do {
		pthread_mutex_lock(&p->mu);
		for (;;) {
			for (n = 0; p->head + n < p->tail &&
				    p->ready[(p->head + n) % WINDOW]; n++)
				;
			if (n || p->head == p->tail)
				break;
			/* sleep until many are ready, not once per file, but
			 * wake while the workers have plenty queued */
			p->want = all ? p->tail - 1 : p->head + WINDOW / 4;
			if (p->want >= p->tail || p->ready[p->want % WINDOW])
				p->want = p->head;
			/* (past PENDING, the workers wait for the head) */
			while (!p->ready[p->want % WINDOW] &&
			       !(p->pending > PENDING && p->ready[p->head % WINDOW]))
				pthread_cond_wait(&p->done, &p->mu);
			p->want = SIZE_MAX;
		}
		pthread_mutex_unlock(&p->mu);
		/* jobs head .. head + n - 1 are the main thread's again */
		for (size_t k = 0; k < n; k++)
			emit(r, &p->jobs[(p->head + k) % WINDOW]);
		pthread_mutex_lock(&p->mu);
		held = p->pending > PENDING;
		for (size_t k = 0; k < n; k++) {
			struct job *jb = &p->jobs[(p->head + k) % WINDOW];

			p->ready[(p->head + k) % WINDOW] = false;
			p->pending -= jb->text.len;
			if (jb->text.cap > OUT_FLUSH) {
				xb_buf_release(&jb->text);
				xb_buf_init(&jb->text, 0);
			}
		}
		p->head += n;
		if (held)
			pthread_cond_broadcast(&p->work); /* workers held back */
		pthread_mutex_unlock(&p->mu);
	} while (all && p->head != p->tail);
}

static void pool_stop(struct inspect_run *r)
{
	struct pool *p = r->pool;

	pool_write(r, true);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	for (size_t i = 0; i < WINDOW; i++)
		job_release(&p->jobs[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
	r->pool = NULL;
}

/* Inspect path: now, or queued for the workers. */
static void submit(struct inspect_run *r, const char *path, bool from_walk)
{
	struct pool *p = r->pool;

	if (!p) {
		job_set(&r->one, path, from_walk);
		work(r, &r->one);
		emit(r, &r->one);
		return;
	}
	while (p->tail - p->head == WINDOW)
		pool_write(r, false);
	job_set(&p->jobs[p->tail % WINDOW], path, from_walk);
	pthread_mutex_lock(&p->mu);
	p->tail++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/* Before a message of the walk's own: every file before it written. */
static void settle(struct inspect_run *r)
{
	if (r->pool)
		pool_write(r, true);
	flush_out(r);
}

/* ---- operands ------------------------------------------------------------ */

static struct inspect_run *walk_run;

static int walk_cb(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	(void)ftw;
	if (walk_run->out_failed)
		return 1; /* nothing more can be written: the walk stops */
	if (flag == FTW_F && S_ISREG(st->st_mode))
		submit(walk_run, path, true);
	else if (flag == FTW_DNR) {
		settle(walk_run);
		cmd_error("%s: cannot read directory", cmd_safe(path));
		walk_run->status = EXIT_FAIL;
	}
	return 0;
}

static void operand(struct inspect_run *r, const char *path)
{
	struct stat st;

	if (r->recursive && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		walk_run = r;
		if (nftw(path, walk_cb, 32, FTW_PHYS) != 0 && !r->out_failed) {
			settle(r);
			cmd_error("%s: cannot walk: %s", cmd_safe(path), strerror(errno));
			r->status = EXIT_FAIL;
		}
		return;
	}
	submit(r, path, false);
}

static void options(struct inspect_run *r, int argc, char **argv)
{
	struct cmd_getopt g;
	struct cmd_once form = { 0 }, once_jobs = { 0 };
	char *end;
	long n;
	int c;

	cmd_getopt_init(&g, inspect_opts);
	while ((c = cmd_getopt(argc, argv, &inspect_help, &g)) != -1) {
		switch (c) {
		case 'r': r->recursive = true; break;
		case 'v': r->verbose = true; break;
		case OPT_JSON: r->json = true; break;
		case 'j':
			cmd_once(&inspect_help, &once_jobs, "--jobs", optarg);
			n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 || n > MAX_JOBS)
				exit(cmd_usage_error(&inspect_help, "invalid --jobs '%s' "
						     "(expected 1 to %d)", optarg, MAX_JOBS));
			r->jobs = (int)n;
			break;
		default: break;
		}
		/* JSON holds every fact: -v has nothing to add */
		if (c == 'v' || c == OPT_JSON)
			cmd_once(&inspect_help, &form, c == 'v' ? "-v" : "--json",
				 NULL);
	}
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_run r = { 0 };

	xb_buf_init(&r.out, 0);
	xb_buf_init(&r.one.text, 0);
	options(&r, argc, argv);
	if (argc == optind)
		return cmd_usage_error(&inspect_help, "no file to inspect");
	/* one object for one file; an array for several, trees and lists */
	r.array = argc - optind > 1 || r.recursive || !strcmp(argv[optind], "-");
	if (!r.jobs)
		r.jobs = default_jobs();
	if (r.array && r.jobs > 1)
		pool_start(&r);
	for (int i = optind; i < argc && !r.out_failed; i++) {
		if (!strcmp(argv[i], "-")) {
			char *line = NULL;
			size_t cap = 0;
			ssize_t n;

			while (!r.out_failed && (n = getline(&line, &cap, stdin)) > 0) {
				if (line[n - 1] == '\n')
					line[--n] = '\0';
				if (n > 0)
					operand(&r, line);
			}
			free(line);
		} else {
			operand(&r, argv[i]);
		}
	}
	if (r.pool)
		pool_stop(&r);
	job_release(&r.one);
	if (r.json && r.array)
		xb_buf_adds(&r.out, r.printed ? "\n]\n" : "[]\n");
	flush_out(&r);
	xb_buf_release(&r.out);
	if (fflush(stdout) != 0 && !r.out_failed) {
		cmd_error("cannot write output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return r.status;
}
