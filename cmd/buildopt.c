/* buildopt.c: the options shared by every subcommand that builds or plans
 * builds, and turning them into a resolved profile. */
#include <stdlib.h>
#include <string.h>

#include "buildopt.h"

static const xb_pos cli_pos = { "<command line>", 0, 0 };

void build_opts_init(struct build_opts *o)
{
	memset(o, 0, sizeof(*o));
	xb_strv_init(&o->profiles);
	xb_strv_init(&o->targets);
	xb_settings_init(&o->over);
}

void build_opts_release(struct build_opts *o)
{
	xb_strv_release(&o->profiles);
	xb_strv_release(&o->targets);
	xb_settings_release(&o->over);
	build_opts_init(o);
}

static void set(struct build_opts *o, const struct cmd_help *h,
		const char *opt, const char *key, const char *value)
{
	xb_err err = XB_ERR_INIT;

	if (xb_settings_set(&o->over, key, value, cli_pos, &err))
		exit(cmd_usage_error(h, "%s: %s", opt, xb_errmsg(&err)));
}

int build_opts_handle(struct build_opts *o, int key, const char *arg,
		      const struct cmd_help *h)
{
	const char *eq;
	char *k;

	switch (key) {
	case 'p':
		xb_strv_push(&o->profiles, arg);
		return 1;
	case 't': {
		/* --target a,b is two targets; linux/arm/7,softfloat is one */
		char *copy = strdup(arg), *save = NULL, *t;
		for (t = copy ? strtok_r(copy, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save)) {
			if (!strchr(t, '/') && o->targets.n) {
				char **last = &o->targets.v[o->targets.n - 1];
				char *joined = malloc(strlen(*last) + strlen(t) + 2);
				if (!joined)
					exit(EXIT_FAIL);
				sprintf(joined, "%s,%s", *last, t);
				free(*last);
				*last = joined;
			} else {
				xb_strv_push(&o->targets, t);
			}
		}
		free(copy);
		return 1;
	}
	case BOPT_STATIC:
		set(o, h, "--static", "linkage", "static");
		return 1;
	case BOPT_STATIC_PIE:
		set(o, h, "--static-pie", "linkage", "static-pie");
		return 1;
	case BOPT_DYNAMIC:
		set(o, h, "--dynamic", "linkage", "dynamic");
		return 1;
	case BOPT_CGO:
		set(o, h, "--cgo", "cgo", arg);
		return 1;
	case BOPT_LINKER:
		set(o, h, "--linker", "linker", arg);
		return 1;
	case BOPT_LIBC:
		set(o, h, "--libc", "libc", arg);
		return 1;
	case BOPT_BUILDMODE:
		set(o, h, "--buildmode", "buildmode", arg);
		return 1;
	case BOPT_TAGS:
		set(o, h, "--tags", "tags", arg);
		return 1;
	case BOPT_LDFLAGS:
		set(o, h, "--ldflags", "ldflags", arg);
		return 1;
	case BOPT_STRIP:
		set(o, h, "--strip", "strip", "true");
		set(o, h, "--strip", "debug", "false");
		return 1;
	case BOPT_TOOLCHAIN:
		set(o, h, "--toolchain", "toolchain", arg);
		return 1;
	case BOPT_GO:
		o->go = arg;
		return 1;
	case 'o':
		o->output = arg;
		return 1;
	case BOPT_BUILD_VERSION:
		o->build_version = arg;
		return 1;
	case BOPT_SET:
		eq = strchr(arg, '=');
		if (!eq || eq == arg)
			exit(cmd_usage_error(h, "--set: '%s' is not KEY=VALUE", arg));
		k = strndup(arg, (size_t)(eq - arg));
		if (!k)
			exit(EXIT_FAIL);
		set(o, h, "--set", k, eq + 1);
		free(k);
		return 1;
	default:
		return 0;
	}
}

void build_print_diags(const xb_diags *d)
{
	for (size_t i = 0; i < d->lines.n; i++)
		fprintf(stderr, "xbuild: %s\n", d->lines.v[i]);
}

int build_opts_profile(struct build_opts *o, xb_profile *p)
{
	xb_err err = XB_ERR_INIT;
	xb_diags d;
	xb_code rc;

	xb_diags_init(&d);
	rc = xb_profile_load(p, xb_strv_argv(&o->profiles), o->profiles.n,
			     NULL, &d, &err);
	if (!rc && o->output) {
		free(p->output);
		p->output = strdup(o->output);
	}
	if (!rc)
		rc = xb_profile_override(p, &o->over, &o->targets, &d, &err);
	build_print_diags(&d);
	xb_diags_release(&d);
	if (rc) {
		if (rc != XB_ERR_PROFILE)
			return cmd_report(&err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
