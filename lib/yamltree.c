/* yamltree.c: libyaml's event parser into a small tree with positions,
 * capped in size, depth and alias expansion, duplicate keys rejected.
 * The profile loader and the toolchain data reader share it, each with
 * its own caps, so that both word a broken file the same way. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamltree.h"

void xb_ytree_release(xb_ytree *t)
{
	for (size_t i = 0; i < t->nall; i++) {
		free(t->all[i]->val);
		free(t->all[i]->kid);
		free(t->all[i]);
	}
	free(t->all);
	for (size_t i = 0; i < t->nanc; i++)
		free(t->anc[i].name);
	free(t->anc);
	memset(t, 0, sizeof(*t));
}

static xb_ynode *node_new(xb_ytree *t, int type, yaml_mark_t m)
{
	xb_ynode *n;

	if (t->nall == t->capall) {
		size_t c = t->capall ? t->capall * 2 : 64;
		xb_ynode **a = realloc(t->all, c * sizeof(*a));
		if (!a)
			return NULL;
		t->all = a;
		t->capall = c;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->type = type;
	n->line = (unsigned)m.line + 1;
	n->col = (unsigned)m.column + 1;
	n->weight = 1;
	t->all[t->nall++] = n;
	return n;
}

static int node_add(xb_ynode *p, xb_ynode *k)
{
	if (p->n == p->cap) {
		size_t c = p->cap ? p->cap * 2 : 8;
		xb_ynode **a = realloc(p->kid, c * sizeof(*a));
		if (!a)
			return -1;
		p->kid = a;
		p->cap = c;
	}
	p->kid[p->n++] = k;
	p->weight += k->weight;
	return 0;
}

static int anchor_add(xb_ytree *t, const char *name, xb_ynode *n)
{
	if (t->nanc == t->capanc) {
		size_t c = t->capanc ? t->capanc * 2 : 8;
		void *a = realloc(t->anc, c * sizeof(*t->anc));
		if (!a)
			return -1;
		t->anc = a;
		t->capanc = c;
	}
	t->anc[t->nanc].name = strdup(name);
	if (!t->anc[t->nanc].name)
		return -1;
	t->anc[t->nanc++].n = n;
	return 0;
}

static xb_ynode *anchor_find(xb_ytree *t, const char *name)
{
	/* the latest definition wins, as YAML says */
	for (size_t i = t->nanc; i-- > 0;)
		if (strcmp(t->anc[i].name, name) == 0)
			return t->anc[i].n;
	return NULL;
}

/* Line and column of a byte offset (for reader errors). */
static xb_pos offset_pos(const char *file, const char *data, size_t len,
			 size_t off)
{
	xb_pos p = { file, 1, 1 };

	for (size_t i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			p.col++;
		}
	}
	return p;
}

/* One parse: the tree being built, the collections still open, and how
 * it went (bad: 1 for input that is refused, 2 for out of memory). */
struct yparse {
	xb_ytree *t;
	const char *file, *data;
	size_t len;
	const xb_ylimits *lim;
	int maxdepth;
	xb_yreport *report;
	void *ctx;
	xb_ynode *stack[XB_YTREE_DEPTH + 1];
	int depth, docs, bad;
};

static void problem(struct yparse *ps, xb_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct yparse *ps, xb_pos pos, const char *fmt, ...)
{
	xb_buf b = XB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	xb_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ps->report(ps->ctx, pos, xb_buf_str(&b));
	xb_buf_release(&b);
}

static xb_pos mark_pos(const struct yparse *ps, yaml_mark_t m)
{
	return (xb_pos){ ps->file, (unsigned)m.line + 1, (unsigned)m.column + 1 };
}

static xb_pos node_pos(const struct yparse *ps, const xb_ynode *n)
{
	return (xb_pos){ ps->file, n->line, n->col };
}

/* libyaml refused the input: say where and why, in the user's terms. */
static void syntax_error(struct yparse *ps, const yaml_parser_t *y)
{
	const char *prob = y->problem ? y->problem : "invalid YAML";
	size_t off = y->problem_mark.index;
	xb_pos p = mark_pos(ps, y->problem_mark);

	if (y->error == YAML_READER_ERROR) {
		p = offset_pos(ps->file, ps->data, ps->len, y->problem_offset);
		problem(ps, p, "not UTF-8 text: %s", prob);
	} else if (off < ps->len && ps->data[off] == '\t') {
		problem(ps, p, "tab character: YAML indents with "
			"spaces only");
	} else if (y->context) {
		problem(ps, p, "invalid YAML: %s %s", prob, y->context);
	} else {
		problem(ps, p, "invalid YAML: %s", prob);
	}
	ps->bad = 1;
}

static xb_ynode *on_scalar(struct yparse *ps, const yaml_event_t *ev)
{
	size_t len = ev->data.scalar.length;
	xb_ynode *n = node_new(ps->t, XB_Y_SCALAR, ev->start_mark);

	if (n && (n->val = malloc(len + 1))) {
		memcpy(n->val, ev->data.scalar.value, len);
		n->val[len] = '\0';
		if (strlen(n->val) != len) {
			problem(ps, node_pos(ps, n),
				"NUL character in a value");
			ps->bad = 1;
		}
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	}
	if (!n || !n->val)
		ps->bad = 2;
	return n;
}

/* A sequence or mapping starts: it is added to its parent when it ends. */
static void on_start(struct yparse *ps, const yaml_event_t *ev,
		     const char *anchor)
{
	xb_ynode *n = node_new(ps->t, ev->type == YAML_SEQUENCE_START_EVENT ?
			       XB_Y_SEQ : XB_Y_MAP, ev->start_mark);

	if (!n) {
		ps->bad = 2;
		return;
	}
	if (ps->depth >= ps->maxdepth) {
		problem(ps, node_pos(ps, n), "nested deeper than %d "
			"levels", ps->maxdepth);
		ps->bad = 1;
		return;
	}
	n->open = true;
	if (anchor && anchor_add(ps->t, anchor, n))
		ps->bad = 2;
	ps->stack[ps->depth++] = n;
}

static xb_ynode *on_alias(struct yparse *ps, const yaml_event_t *ev)
{
	xb_ynode *target = anchor_find(ps->t,
				       (const char *)ev->data.alias.anchor);

	if (!ps->lim->aliases) {
		problem(ps, mark_pos(ps, ev->start_mark), "aliases are not "
			"allowed in %s", ps->lim->what);
		ps->bad = 1;
		return NULL;
	}
	if (!target || target->open) {
		problem(ps, mark_pos(ps, ev->start_mark),
			target ? "alias '*%s' refers to a node that contains "
			"it" : "unknown alias '*%s'", ev->data.alias.anchor);
		ps->bad = 1;
		return NULL;
	}
	return target;
}

/* n as the next key of mapping par: a scalar, and not one par has. */
static void check_key(struct yparse *ps, const xb_ynode *par,
		      const xb_ynode *n)
{
	if (n->type != XB_Y_SCALAR) {
		problem(ps, node_pos(ps, n), "a key must be a plain "
			"string");
		ps->bad = 1;
		return;
	}
	/* reported, but the tree stays usable: the checks go on */
	for (size_t i = 0; i < par->n; i += 2)
		if (!strcmp(par->kid[i]->val, n->val)) {
			problem(ps, node_pos(ps, n), "duplicate key '%s' "
				"(first at line %u)", n->val, par->kid[i]->line);
			return;
		}
}

/* A finished node n (from event type ev): count it against the caps and
 * hang it under the open collection, or make it the root. */
static void attach(struct yparse *ps, xb_ynode *n, yaml_event_type_t ev,
		   const char *anchor)
{
	xb_ytree *t = ps->t;
	xb_ynode *par;

	if (anchor && n->type == XB_Y_SCALAR && anchor_add(t, anchor, n)) {
		ps->bad = 2;
		return;
	}
	/* an alias counts all it stands for: that is how bombs are caught */
	if (n->type == XB_Y_SCALAR || ev == YAML_ALIAS_EVENT)
		t->total += n->weight;
	if (ev == YAML_SEQUENCE_END_EVENT || ev == YAML_MAPPING_END_EVENT)
		t->total += 1;
	if (t->total > ps->lim->nodes) {
		problem(ps, node_pos(ps, n), "more than %zu values once "
			"aliases are expanded", ps->lim->nodes);
		ps->bad = 1;
		return;
	}
	if (ps->depth == 0) {
		t->root = n;
		return;
	}
	par = ps->stack[ps->depth - 1];
	if (par->type == XB_Y_MAP ? par->n / 2 >= ps->lim->keys :
	    par->n >= ps->lim->items) {
		problem(ps, node_pos(ps, n), par->type == XB_Y_MAP ?
			"more than %zu keys in one mapping" :
			"more than %zu items in one list",
			par->type == XB_Y_MAP ? ps->lim->keys : ps->lim->items);
		ps->bad = 1;
		return;
	}
	if (par->type == XB_Y_MAP && par->n % 2 == 0)
		check_key(ps, par, n);
	if (!ps->bad && node_add(par, n))
		ps->bad = 2;
}

/* One event; returns 1 at the end of the stream. */
static int on_event(struct yparse *ps, const yaml_event_t *ev)
{
	xb_ynode *n = NULL;
	const char *anchor = NULL;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++ps->docs > 1) {
			problem(ps, mark_pos(ps, ev->start_mark), "%s is one "
				"YAML document; found a second one", ps->lim->what);
			ps->bad = 1;
		}
		break;
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_SCALAR_EVENT:
		n = on_scalar(ps, ev);
		anchor = (const char *)ev->data.scalar.anchor;
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_start(ps, ev, (const char *)ev->data.sequence_start.anchor);
		break;
	case YAML_MAPPING_START_EVENT:
		on_start(ps, ev, (const char *)ev->data.mapping_start.anchor);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = ps->stack[--ps->depth];
		n->open = false;
		break;
	case YAML_ALIAS_EVENT:
		n = on_alias(ps, ev);
		break;
	default:
		break;
	}
	if (n && !ps->bad)
		attach(ps, n, ev->type, anchor);
	return 0;
}

xb_code xb_ytree_parse(xb_ytree *t, const char *file, const char *data,
		       size_t len, const xb_ylimits *lim, xb_yreport *report,
		       void *ctx)
{
	struct yparse ps = { .t = t, .file = file, .data = data, .len = len,
			     .lim = lim, .report = report, .ctx = ctx };
	yaml_parser_t y;
	yaml_event_t ev;
	int done = 0;

	memset(t, 0, sizeof(*t));
	ps.maxdepth = lim->depth < XB_YTREE_DEPTH ? lim->depth : XB_YTREE_DEPTH;
	if (!yaml_parser_initialize(&y)) {
		problem(&ps, (xb_pos){ file, 0, 0 }, "out of memory");
		return XB_ERR_NOMEM;
	}
	yaml_parser_set_input_string(&y, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&y, YAML_UTF8_ENCODING);
	while (!done && !ps.bad) {
		if (!yaml_parser_parse(&y, &ev)) {
			syntax_error(&ps, &y);
			break;
		}
		done = on_event(&ps, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&y);
	if (ps.bad == 2)
		problem(&ps, (xb_pos){ file, 0, 0 }, "out of memory");
	return ps.bad == 2 ? XB_ERR_NOMEM : ps.bad ? XB_ERR_FORMAT : XB_OK;
}
