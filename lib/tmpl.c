/* tmpl.c: a small template language, read and run in one pass.
 *
 * Text is copied; {{ ... }} is an action: a pipeline (its value is
 * written), or if / else / else if / end.  A pipeline is commands joined
 * by '|', each command's value given to the next as its last argument.
 * A command is a function and its arguments, or one operand: a field
 * (.Version, .Env.NAME), a string ("..." or `...`), ( pipeline ), or
 * "." inside a with, the value with tested.  with is an if that also
 * sets the dot for its first branch.
 * "{{- " drops the white space before the action, " -}}" the white space
 * after it.  Both branches of an if are read (so a mistake in either is
 * found), only the taken one runs.  Everything is capped: the input, the
 * output, every value and the nesting. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

extern char **environ;

enum field {
	F_PROJECT, F_VERSION, F_RAWVERSION, F_TAG, F_COMMIT, F_SHORTCOMMIT,
	F_FULLCOMMIT, F_DATE, F_COMMITDATE, F_TIMESTAMP, F_COMMITTIMESTAMP,
	F_OS, F_ARCH, F_ARM, F_AMD64, F_ARM64, F_MIPS, F_TARGET, F_BINARY,
	F_PATH, F_NAME, F_GITTREESTATE, F_ISSNAPSHOT, F_ISGITDIRTY,
	F_ISGITCLEAN, F_ENV, F_COUNT
};

static const char *const field_names[F_COUNT + 1] = {
	"ProjectName", "Version", "RawVersion", "Tag", "Commit", "ShortCommit",
	"FullCommit", "Date", "CommitDate", "Timestamp", "CommitTimestamp",
	"Os", "Arch", "Arm", "Amd64", "Arm64", "Mips", "Target", "Binary",
	"Path", "Name", "GitTreeState", "IsSnapshot", "IsGitDirty",
	"IsGitClean", "Env", NULL
};

enum fn { FN_TOLOWER, FN_TOUPPER, FN_TITLE, FN_REPLACE, FN_TRIMPREFIX,
	  FN_TRIMSUFFIX, FN_EQ, FN_NE, FN_NOT, FN_AND, FN_OR, FN_COUNT };

static const struct {
	const char *name;
	int args; /* how many; -2: two or more */
} fns[FN_COUNT] = {
	{ "tolower", 1 }, { "toupper", 1 }, { "title", 1 }, { "replace", 3 },
	{ "trimprefix", 2 }, { "trimsuffix", 2 }, { "eq", -2 }, { "ne", 2 },
	{ "not", 1 }, { "and", -2 }, { "or", -2 },
};

#define MAX_ARGS 8

/* A value: a string, or a boolean (.IsSnapshot, eq, ne, not). */
struct val {
	bool isbool, b;
	xb_buf s;
};

enum term { T_EOF, T_ELSE, T_ELSEIF, T_ELSEWITH, T_END };

struct tp {
	const char *src;
	size_t pos;
	const xb_tmpl_vars *v; /* NULL: check only */
	xb_buf out;
	xb_err *err;
	size_t at;  /* where the error is */
	xb_code rc;
	int depth;
	const struct val *dot; /* inside a with: its value (typed even when
				* not live); NULL outside every with */
};

static void val_init(struct val *x)
{
	x->isbool = x->b = false;
	xb_buf_init(&x->s, XB_TMPL_OUT_MAX);
}

static void val_release(struct val *x)
{
	xb_buf_release(&x->s);
}

static int fail(struct tp *p, size_t at, xb_code rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct tp *p, size_t at, xb_code rc, const char *fmt, ...)
{
	va_list ap;
	xb_buf m = XB_BUF_INIT;

	if (p->rc)
		return -1;
	va_start(ap, fmt);
	xb_buf_vaddf(&m, fmt, ap);
	va_end(ap);
	p->rc = rc;
	p->at = at;
	xb_fail(p->err, rc, "%s", m.data ? m.data : "out of memory");
	xb_buf_release(&m);
	return -1;
}

static int too_long(struct tp *p, size_t at)
{
	return fail(p, at, XB_ERR_TOO_BIG, "the expansion is longer than %u "
		    "bytes", XB_TMPL_OUT_MAX);
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct tp *p)
{
	while (space(p->src[p->pos]))
		p->pos++;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (word_char(s[n]))
		n++;
	return n;
}

/* At the end of an action: "}}" or " -}}"? */
static bool at_close(struct tp *p)
{
	const char *s = p->src + p->pos;

	return !strncmp(s, "}}", 2) || (p->pos > 0 && space(s[-1]) &&
					!strncmp(s, "-}}", 3));
}

static int close_action(struct tp *p)
{
	skip_ws(p);
	if (!strncmp(p->src + p->pos, "}}", 2)) {
		p->pos += 2;
		return 0;
	}
	if (at_close(p)) {
		p->pos += 3;
		skip_ws(p);
		return 0;
	}
	if (!p->src[p->pos])
		return fail(p, p->pos, XB_ERR_FORMAT, "unclosed action "
			    "(expected }})");
	return fail(p, p->pos, XB_ERR_FORMAT, "unexpected '%c' in action "
		    "(expected }})", p->src[p->pos]);
}

/* The keyword kw at the cursor, followed by a non-word character? */
static bool keyword(struct tp *p, const char *kw)
{
	size_t n = strlen(kw);

	return !strncmp(p->src + p->pos, kw, n) && !word_char(p->src[p->pos + n]);
}

static void list_names(xb_buf *b, bool fields)
{
	size_t n = fields ? F_COUNT : FN_COUNT;

	for (size_t i = 0; i < n; i++)
		xb_buf_addf(b, "%s%s%s", i ? ", " : "", fields ? "." : "",
			    fields ? field_names[i] : fns[i].name);
	if (fields)
		xb_buf_adds(b, ".NAME");
}

static const char *env_get(const xb_tmpl_vars *v, const char *name, size_t n)
{
	const char *const *e = v->env ? v->env : (const char *const *)environ;

	for (; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static const char *field_value(const xb_tmpl_vars *v, enum field f)
{
	const char *const s[] = {
		v->project_name, v->version, v->raw_version, v->tag, v->commit,
		v->short_commit, v->full_commit, v->date, v->commit_date,
		v->timestamp, v->commit_timestamp, v->os, v->arch, v->arm,
		v->amd64, v->arm64, v->mips, v->target, v->binary, v->path,
		v->name,
	};

	return (size_t)f < sizeof(s) / sizeof(*s) ? s[f] : NULL;
}

/* .Name or .Env.NAME at the cursor, into x (its value only when live). */
static int field(struct tp *p, bool live, struct val *x)
{
	size_t at = p->pos, n = word_len(p->src + p->pos + 1);
	const char *name = p->src + p->pos + 1;
	int f;

	p->pos += 1 + n;
	for (f = 0; f < F_COUNT; f++)
		if (strlen(field_names[f]) == n && !strncmp(name, field_names[f], n))
			break;
	if (n == 0 && p->src[p->pos] && !space(p->src[p->pos]) &&
	    !strchr("|)}", p->src[p->pos]))
		return fail(p, at, XB_ERR_FORMAT, "'.' must start a field name "
			    "(for example .Version)");
	if (n == 0 && !p->dot)
		return fail(p, at, XB_ERR_FORMAT, "'.' alone is the value of a "
			    "{{with}}, and there is none here (name a field: "
			    ".Version)");
	if (n == 0) {
		x->isbool = p->dot->isbool;
		x->b = live && p->dot->b;
		if (live && xb_buf_add(&x->s, xb_buf_str(&p->dot->s),
				       p->dot->s.len))
			return too_long(p, at);
		return 0;
	}
	if (f == F_COUNT) {
		xb_buf b = XB_BUF_INIT;
		list_names(&b, true);
		fail(p, at, XB_ERR_FORMAT, "unknown field '.%.*s' (expected %s)",
		     (int)(n > 64 ? 64 : n), name, xb_buf_str(&b));
		xb_buf_release(&b);
		return -1;
	}
	if (f == F_ENV) {
		const char *var = p->src + p->pos + 1, *val;
		size_t k = p->src[p->pos] == '.' ? word_len(var) : 0;
		if (k == 0)
			return fail(p, at, XB_ERR_FORMAT, "'.Env' needs a "
				    "variable name (.Env.NAME)");
		p->pos += 1 + k;
		if (live && p->v) {
			if (!(val = env_get(p->v, var, k)))
				return fail(p, at, XB_ERR_NOTFOUND, "environment "
					    "variable %.*s is not set (for "
					    ".Env.%.*s)", (int)(k > 64 ? 64 : k),
					    var, (int)(k > 64 ? 64 : k), var);
			if (xb_buf_adds(&x->s, val))
				return too_long(p, at);
		}
	} else if (f == F_ISSNAPSHOT) {
		x->isbool = true;
		x->b = live && p->v && p->v->is_snapshot;
	} else if (f == F_ISGITDIRTY || f == F_ISGITCLEAN) {
		x->isbool = true;
		x->b = live && p->v && p->v->git_dirty == (f == F_ISGITDIRTY);
	} else if (f == F_GITTREESTATE) {
		if (live && p->v && xb_buf_adds(&x->s, p->v->git_dirty ? "dirty" :
						"clean"))
			return too_long(p, at);
	} else if (live && p->v && field_value(p->v, (enum field)f)) {
		if (xb_buf_adds(&x->s, field_value(p->v, (enum field)f)))
			return too_long(p, at);
	}
	if (p->src[p->pos] == '.')
		return fail(p, p->pos, XB_ERR_FORMAT, "field '.%s' has no fields",
			    field_names[f]);
	return 0;
}

/* "..." (with \\ \" \n \t \r) or `...` at the cursor, into x. */
static int string_lit(struct tp *p, struct val *x)
{
	size_t at = p->pos;
	char q = p->src[p->pos++];

	for (;;) {
		char c = p->src[p->pos];
		if (!c || (c == '\n' && q == '"'))
			return fail(p, at, XB_ERR_FORMAT, "unterminated string");
		p->pos++;
		if (c == q)
			return 0;
		if (c == '\\' && q == '"') {
			static const char from[] = "\\\"ntr", to[] = "\\\"\n\t\r";
			const char *e = p->src[p->pos] ? strchr(from, p->src[p->pos]) : NULL;
			if (!e)
				return fail(p, p->pos - 1, XB_ERR_FORMAT, "unknown "
					    "escape in string (expected \\\\, "
					    "\\\", \\n, \\t or \\r)");
			c = to[e - from];
			p->pos++;
		}
		if (xb_buf_addc(&x->s, c))
			return too_long(p, at);
	}
}

static int pipeline(struct tp *p, bool live, struct val *x);

/* One operand: a field, a string or ( pipeline ). */
static int operand(struct tp *p, bool live, struct val *x)
{
	char c = p->src[p->pos];
	size_t at = p->pos;

	if (c == '.')
		return field(p, live, x);
	if (c == '"' || c == '`')
		return string_lit(p, x);
	if (c == '(') {
		if (++p->depth > XB_TMPL_DEPTH_MAX)
			return fail(p, at, XB_ERR_TOO_BIG, "nested deeper than "
				    "%d", XB_TMPL_DEPTH_MAX);
		p->pos++;
		if (pipeline(p, live, x))
			return -1;
		skip_ws(p);
		if (p->src[p->pos] != ')')
			return fail(p, p->pos, XB_ERR_FORMAT, "unclosed '(' "
				    "(expected ')')");
		p->pos++;
		p->depth--;
		return 0;
	}
	if (word_char(c)) {
		size_t n = word_len(p->src + at);
		return fail(p, at, XB_ERR_FORMAT, "'%.*s' is not a value "
			    "(expected a field, a \"string\" or ( ... ); a "
			    "function in an argument needs parentheses)",
			    (int)(n > 64 ? 64 : n), p->src + at);
	}
	if (!c)
		return fail(p, at, XB_ERR_FORMAT, "unclosed action (expected }})");
	return fail(p, at, XB_ERR_FORMAT, "unexpected '%c' (expected a field, "
		    "a \"string\", a function or ( ... ))", c);
}

/* At the end of a command: '|', ')' or the end of the action? */
static bool at_command_end(struct tp *p)
{
	char c = p->src[p->pos];

	return !c || c == '|' || c == ')' || at_close(p);
}

static void put_case(xb_buf *s, enum fn f)
{
	bool word = false;

	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->data[i];
		if (c >= 0x80)
			continue;
		if (f == FN_TOLOWER || (f == FN_TITLE && word))
			s->data[i] = (char)tolower(c);
		else if (f == FN_TOUPPER || f == FN_TITLE)
			s->data[i] = (char)toupper(c);
		word = word_char((char)c);
	}
}

static bool truth(const struct val *x)
{
	return x->isbool ? x->b : x->s.len > 0;
}

/* Strings and booleans among arg[0..n)? */
static bool mixed(const struct val *arg, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (arg[i].isbool != arg[0].isbool)
			return true;
	return false;
}

static bool equal(const struct val *a, const struct val *b)
{
	if (a->isbool)
		return a->b == b->b;
	return a->s.len == b->s.len && !memcmp(xb_buf_str(&a->s),
					       xb_buf_str(&b->s), a->s.len);
}

/* Apply function f to arg[0..n) into x. */
static int apply(struct tp *p, size_t at, enum fn f, struct val *arg,
		 size_t n, struct val *x)
{
	const char *s = xb_buf_str(&arg[0].s);
	size_t len = arg[0].s.len;
	xb_code rc = XB_OK;

	if (f == FN_EQ || f == FN_NE) {
		x->isbool = true;
		x->b = false;
		for (size_t i = 1; i < n; i++)
			x->b = x->b || equal(&arg[0], &arg[i]);
		if (f == FN_NE)
			x->b = !x->b;
		return 0;
	}
	if (f == FN_NOT) {
		x->isbool = true;
		x->b = !truth(&arg[0]);
		return 0;
	}
	if (f == FN_AND || f == FN_OR) {
		/* as Go's: the first argument that decides, else the last;
		 * of strings and booleans mixed, whether that one is true
		 * (so that the type is known before it runs) */
		size_t k = 0;
		while (k + 1 < n && truth(&arg[k]) == (f == FN_AND))
			k++;
		if (mixed(arg, n)) {
			x->isbool = true;
			x->b = truth(&arg[k]);
			return 0;
		}
		x->isbool = arg[k].isbool;
		x->b = arg[k].b;
		rc = xb_buf_add(&x->s, xb_buf_str(&arg[k].s), arg[k].s.len);
		return rc ? too_long(p, at) : 0;
	}
	if (f == FN_TOLOWER || f == FN_TOUPPER || f == FN_TITLE) {
		rc = xb_buf_add(&x->s, s, len);
		put_case(&x->s, f);
	} else if (f == FN_TRIMPREFIX) {
		size_t k = arg[1].s.len;
		if (k <= len && !memcmp(s, xb_buf_str(&arg[1].s), k))
			s += k, len -= k;
		rc = xb_buf_add(&x->s, s, len);
	} else if (f == FN_TRIMSUFFIX) {
		size_t k = arg[1].s.len;
		if (k <= len && !memcmp(s + len - k, xb_buf_str(&arg[1].s), k))
			len -= k;
		rc = xb_buf_add(&x->s, s, len);
	} else if (f == FN_REPLACE) {
		const char *old = xb_buf_str(&arg[1].s), *nw = xb_buf_str(&arg[2].s);
		size_t ko = arg[1].s.len, kn = arg[2].s.len;
		/* an empty old matches before every byte and at the end */
		for (size_t i = 0; !rc && i <= len;) {
			if (ko ? (i + ko <= len && !memcmp(s + i, old, ko)) : true) {
				rc = xb_buf_add(&x->s, nw, kn);
				if (ko) {
					i += ko;
					continue;
				}
			}
			if (i < len && !rc)
				rc = xb_buf_addc(&x->s, s[i]);
			i++;
		}
	}
	return rc ? too_long(p, at) : 0;
}

/* Check the arguments of f (names: where each started). */
static int check_args(struct tp *p, size_t at, enum fn f,
		      const struct val *arg, const size_t *where, size_t n)
{
	int want = fns[f].args;

	if (want >= 0 ? n != (size_t)want : n < (size_t)-want)
		return fail(p, at, XB_ERR_FORMAT, "%s takes %s%d argument%s, "
			    "not %zu", fns[f].name, want < 0 ? "at least " : "",
			    want < 0 ? -want : want, (want < 0 ? -want : want) == 1
			    ? "" : "s", n);
	for (size_t i = 0; i < n; i++) {
		if (f == FN_NOT || f == FN_AND || f == FN_OR)
			continue;
		if (f == FN_EQ || f == FN_NE) {
			if (arg[i].isbool != arg[0].isbool)
				return fail(p, where[i], XB_ERR_FORMAT, "%s "
					    "compares a %s with a %s (compare "
					    "like with like)", fns[f].name,
					    arg[0].isbool ? "boolean" : "string",
					    arg[i].isbool ? "boolean" : "string");
		} else if (arg[i].isbool) {
			return fail(p, where[i], XB_ERR_FORMAT, "%s takes "
				    "strings, not a boolean", fns[f].name);
		}
	}
	return 0;
}

/* One command; piped (when not NULL) is the value of the command before
 * it, given as the last argument.  Into x. */
static int command(struct tp *p, bool live, struct val *piped, struct val *x)
{
	struct val arg[MAX_ARGS];
	size_t where[MAX_ARGS], n = 0, at, len;
	int f, r = -1;

	skip_ws(p);
	at = p->pos;
	len = word_len(p->src + at);
	if (!len || isdigit((unsigned char)p->src[at])) {
		if (piped)
			return fail(p, at, XB_ERR_FORMAT, "only a function can "
				    "take a piped value");
		if (operand(p, live, x))
			return -1;
		skip_ws(p);
		if (p->src[p->pos] == '}' && !at_command_end(p))
			return fail(p, p->pos, XB_ERR_FORMAT, "a single '}' "
				    "(expected }} to end the action)");
		if (!at_command_end(p))
			return fail(p, p->pos, XB_ERR_FORMAT, "unexpected "
				    "'%c' after a value (a function name comes "
				    "before its arguments)", p->src[p->pos]);
		return 0;
	}
	for (f = 0; f < FN_COUNT; f++)
		if (strlen(fns[f].name) == len && !strncmp(p->src + at, fns[f].name, len))
			break;
	if (f == FN_COUNT) {
		xb_buf b = XB_BUF_INIT;
		list_names(&b, false);
		fail(p, at, XB_ERR_FORMAT, "unknown function '%.*s' (expected "
		     "%s)", (int)(len > 64 ? 64 : len), p->src + at, xb_buf_str(&b));
		xb_buf_release(&b);
		return -1;
	}
	p->pos += len;
	for (;;) {
		skip_ws(p);
		if (at_command_end(p))
			break;
		if (n + 1 >= MAX_ARGS) {
			fail(p, p->pos, XB_ERR_FORMAT, "too many arguments to %s",
			     fns[f].name);
			goto out;
		}
		where[n] = p->pos;
		val_init(&arg[n]);
		if (operand(p, live, &arg[n++]))
			goto out;
	}
	if (piped) {
		where[n] = at;
		arg[n] = *piped;
		val_init(piped); /* arg[n] owns its buffer now */
		n++;
	}
	if (!check_args(p, at, (enum fn)f, arg, where, n))
		r = live ? apply(p, at, (enum fn)f, arg, n, x) : 0;
	if (!live && (f == FN_EQ || f == FN_NE || f == FN_NOT))
		x->isbool = true;
	if (!live && (f == FN_AND || f == FN_OR) && n)
		x->isbool = arg[0].isbool || mixed(arg, n);
out:
	for (size_t i = 0; i < n; i++)
		val_release(&arg[i]);
	return r;
}

static int pipeline(struct tp *p, bool live, struct val *x)
{
	if (command(p, live, NULL, x))
		return -1;
	for (;;) {
		struct val prev = *x;
		skip_ws(p);
		if (p->src[p->pos] != '|')
			return 0;
		p->pos++;
		val_init(x);
		if (command(p, live, &prev, x)) {
			val_release(&prev);
			return -1;
		}
		val_release(&prev);
	}
}

static int emit(struct tp *p, const char *s, size_t n)
{
	if (xb_buf_add(&p->out, s, n))
		return too_long(p, p->pos);
	return 0;
}

static int run_list(struct tp *p, bool live, enum term *t);

/* After "if" or "with" (with: true), and after each "else if" and "else
 * with": the condition, the branches, the end.  A with's branch runs with
 * the dot set to its value. */
static int run_if(struct tp *p, bool live, size_t at, bool with)
{
	bool taken = false;
	enum term t;

	if (++p->depth > XB_TMPL_DEPTH_MAX)
		return fail(p, at, XB_ERR_TOO_BIG, "nested deeper than %d",
			    XB_TMPL_DEPTH_MAX);
	for (;;) {
		const struct val *outer = p->dot;
		struct val c;
		bool yes;
		int r;

		val_init(&c);
		skip_ws(p);
		if (at_close(p))
			return fail(p, at, XB_ERR_FORMAT, "%s needs a condition",
				    with ? "with" : "if");
		if (pipeline(p, live && !taken, &c) || close_action(p)) {
			val_release(&c);
			return -1;
		}
		yes = truth(&c);
		if (with)
			p->dot = &c;
		r = run_list(p, live && !taken && yes, &t);
		p->dot = outer;
		val_release(&c);
		if (r)
			return -1;
		taken = taken || yes;
		if (t == T_ELSEIF || t == T_ELSEWITH) {
			with = t == T_ELSEWITH;
			continue;
		}
		if (t == T_ELSE && run_list(p, live && !taken, &t))
			return -1;
		if (t == T_END)
			break;
		return fail(p, at, XB_ERR_FORMAT, t == T_EOF ? "unclosed "
			    "{{%s}} (expected {{end}})" : "a second {{else}} "
			    "in one {{%s}}", with ? "with" : "if");
	}
	p->depth--;
	return 0;
}

/* One action, after "{{" and the white space: an if, a pipeline, or
 * else/end (given back through t). */
static int action(struct tp *p, bool live, enum term *t, bool *ended)
{
	size_t at = p->pos;

	*ended = false;
	if (keyword(p, "if") || keyword(p, "with")) {
		bool with = keyword(p, "with");
		p->pos += with ? 4 : 2;
		return run_if(p, live, at, with);
	}
	if (keyword(p, "else") || keyword(p, "end")) {
		bool els = keyword(p, "else");
		p->pos += els ? 4 : 3;
		skip_ws(p);
		*ended = true;
		if (els && (keyword(p, "if") || keyword(p, "with"))) {
			*t = keyword(p, "if") ? T_ELSEIF : T_ELSEWITH;
			p->pos += *t == T_ELSEIF ? 2 : 4;
			return 0;
		}
		*t = els ? T_ELSE : T_END;
		return close_action(p);
	}
	if (at_close(p))
		return fail(p, at, XB_ERR_FORMAT, "empty action");
	struct val x;
	int r;
	val_init(&x);
	r = pipeline(p, live, &x) || close_action(p) ? -1 : 0;
	if (!r && live)
		r = x.isbool ? emit(p, x.b ? "true" : "false", x.b ? 4 : 5) :
			emit(p, xb_buf_str(&x.s), x.s.len);
	val_release(&x);
	return r;
}

/* Text and actions up to the end, or to an else/end (given in *t). */
static int run_list(struct tp *p, bool live, enum term *t)
{
	for (;;) {
		const char *open = strstr(p->src + p->pos, "{{");
		size_t n = open ? (size_t)(open - (p->src + p->pos)) :
			strlen(p->src + p->pos);
		size_t keep = n, at;
		bool ended;

		if (open && open[2] == '-' && space(open[3]))
			while (keep && space(p->src[p->pos + keep - 1]))
				keep--;
		if (live && emit(p, p->src + p->pos, keep))
			return -1;
		if (!open) {
			p->pos += n;
			*t = T_EOF;
			return 0;
		}
		at = p->pos + n;
		p->pos = at + 2;
		if (open[2] == '-' && space(open[3]))
			p->pos++;
		skip_ws(p);
		if (action(p, live, t, &ended))
			return -1;
		if (ended)
			return 0;
	}
}

void xb_tmpl_set_release(xb_tmpl_vars *v, const xb_relver *r)
{
	v->version = r->version;
	v->raw_version = r->raw_version;
	v->tag = r->tag;
	v->commit = v->full_commit = r->commit;
	v->short_commit = r->short_commit;
	v->date = r->date;
	v->commit_date = r->commit_date;
	v->timestamp = r->timestamp;
	v->commit_timestamp = r->commit_timestamp;
	v->is_snapshot = r->snapshot;
	v->git_dirty = r->dirty;
}

void xb_tmpl_set_target(xb_tmpl_vars *v, const char *os, const char *arch,
			const char *variant, xb_buf *target)
{
	/* GOARM, GOAMD64, GOARM64: the variant on that arch; GOMIPS and
	 * GOMIPS64 on every mips arch */
	v->os = os;
	v->arch = arch;
	v->arm = !strcmp(arch, "arm") ? variant : NULL;
	v->amd64 = !strcmp(arch, "amd64") ? variant : NULL;
	v->arm64 = !strcmp(arch, "arm64") ? variant : NULL;
	v->mips = !strncmp(arch, "mips", 4) ? variant : NULL;
	xb_buf_reset(target);
	xb_buf_addf(target, "%s_%s%s%s", os, arch, variant ? "_" : "",
		    variant ? variant : "");
	v->target = xb_buf_str(target);
}

bool xb_tmpl_has_action(const char *text)
{
	return text && strstr(text, "{{") != NULL;
}

xb_code xb_tmpl_expand(const char *text, const xb_tmpl_vars *v, char **out,
		       size_t *at, xb_err *err)
{
	struct tp p = { .src = text, .v = v, .err = err };
	enum term t;
	size_t n = strlen(text);

	if (out)
		*out = NULL;
	if (at)
		*at = 0;
	if (n > XB_TMPL_IN_MAX)
		return xb_fail(err, XB_ERR_TOO_BIG, "template longer than %u "
			       "bytes", XB_TMPL_IN_MAX);
	xb_buf_init(&p.out, XB_TMPL_OUT_MAX);
	if (!run_list(&p, v != NULL, &t) && t != T_EOF)
		fail(&p, p.pos, XB_ERR_FORMAT, "{{%s}} without {{if}} or {{with}}",
		     t == T_END ? "end" : "else");
	if (!p.rc && out && !(*out = v ? xb_buf_take(&p.out) : strdup("")))
		fail(&p, 0, XB_ERR_NOMEM, "out of memory");
	xb_buf_release(&p.out);
	if (p.rc && at)
		*at = p.at;
	return p.rc;
}
