/* yamltree.c: libyaml's event parser into a small tree with positions,
 * capped in size, depth and alias expansion, duplicate keys rejected. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamltree.h"

#define MAX_DEPTH 32         /* nesting of YAML collections */
#define MAX_NODES 100000     /* nodes in one file, aliases expanded */
#define MAX_KEYS 256         /* keys in one mapping */
#define MAX_ITEMS 4096       /* items in one list */

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

int xb_ytree_parse(xb_ytree *t, const char *file, const char *data,
		   size_t len, xb_diags *d)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	xb_ynode *stack[MAX_DEPTH + 1];
	int depth = 0, docs = 0, bad = 0, done = 0;

	memset(t, 0, sizeof(*t));
	if (!yaml_parser_initialize(&ps)) {
		xb_diag(d, 'e', (xb_pos){ file, 0, 0 }, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&ps, YAML_UTF8_ENCODING);
	while (!done && !bad) {
		xb_ynode *n = NULL, *target;
		const char *anchor = NULL;

		if (!yaml_parser_parse(&ps, &ev)) {
			xb_pos p;
			const char *prob = ps.problem ? ps.problem : "invalid YAML";

			if (ps.error == YAML_READER_ERROR) {
				p = offset_pos(file, data, len, ps.problem_offset);
				xb_diag(d, 'e', p, "not UTF-8 text: %s", prob);
			} else {
				size_t off = ps.problem_mark.index;
				p = (xb_pos){ file,
					      (unsigned)ps.problem_mark.line + 1,
					      (unsigned)ps.problem_mark.column + 1 };
				if (off < len && data[off] == '\t')
					xb_diag(d, 'e', p, "tab character: YAML "
						"indents with spaces only");
				else if (ps.context)
					xb_diag(d, 'e', p, "invalid YAML: %s %s",
						prob, ps.context);
				else
					xb_diag(d, 'e', p, "invalid YAML: %s", prob);
			}
			bad = 1;
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				xb_diag(d, 'e', (xb_pos){ file,
					(unsigned)ev.start_mark.line + 1,
					(unsigned)ev.start_mark.column + 1 },
					"a profile is one YAML document; found "
					"a second one");
				bad = 1;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			n = node_new(t, XB_Y_SCALAR, ev.start_mark);
			if (n) {
				n->val = malloc(ev.data.scalar.length + 1);
				if (n->val) {
					memcpy(n->val, ev.data.scalar.value,
					       ev.data.scalar.length);
					n->val[ev.data.scalar.length] = '\0';
					if (strlen(n->val) != ev.data.scalar.length) {
						xb_diag(d, 'e', (xb_pos){ file, n->line, n->col },
							"NUL character in a value");
						bad = 1;
					}
				}
				n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			}
			if (!n || !n->val)
				bad = 2;
			anchor = (const char *)ev.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n = node_new(t, ev.type == YAML_SEQUENCE_START_EVENT ?
					XB_Y_SEQ : XB_Y_MAP, ev.start_mark);
			if (!n) {
				bad = 2;
				break;
			}
			anchor = ev.type == YAML_SEQUENCE_START_EVENT ?
				(const char *)ev.data.sequence_start.anchor :
				(const char *)ev.data.mapping_start.anchor;
			if (depth >= MAX_DEPTH) {
				xb_diag(d, 'e', (xb_pos){ file, n->line, n->col },
					"nested deeper than %d levels", MAX_DEPTH);
				bad = 1;
				break;
			}
			n->open = true;
			if (anchor && anchor_add(t, anchor, n))
				bad = 2;
			stack[depth++] = n;
			n = NULL; /* added to its parent when it ends */
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			n = stack[--depth];
			n->open = false;
			break;
		case YAML_ALIAS_EVENT:
			target = anchor_find(t, (const char *)ev.data.alias.anchor);
			if (!target || target->open) {
				xb_diag(d, 'e', (xb_pos){ file,
					(unsigned)ev.start_mark.line + 1,
					(unsigned)ev.start_mark.column + 1 },
					target ? "alias '*%s' refers to a node "
					"that contains it" : "unknown alias '*%s'",
					ev.data.alias.anchor);
				bad = 1;
				break;
			}
			n = target;
			break;
		default:
			break;
		}
		if (n && !bad) {
			xb_pos p = { file, n->line, n->col };

			if (anchor && n->type == XB_Y_SCALAR && anchor_add(t, anchor, n))
				bad = 2;
			t->total += n->type == XB_Y_SCALAR || ev.type == YAML_ALIAS_EVENT ?
				n->weight : 0;
			if (ev.type == YAML_SEQUENCE_END_EVENT ||
			    ev.type == YAML_MAPPING_END_EVENT)
				t->total += 1;
			if (t->total > MAX_NODES) {
				xb_diag(d, 'e', p, "more than %d values once aliases "
					"are expanded", MAX_NODES);
				bad = 1;
			} else if (depth == 0) {
				t->root = n;
			} else {
				xb_ynode *par = stack[depth - 1];

				if (par->n >= (par->type == XB_Y_MAP ? 2 * MAX_KEYS :
					       MAX_ITEMS)) {
					xb_diag(d, 'e', p, par->type == XB_Y_MAP ?
						"more than %d keys in one mapping" :
						"more than %d items in one list",
						par->type == XB_Y_MAP ? MAX_KEYS : MAX_ITEMS);
					bad = 1;
				} else if (par->type == XB_Y_MAP && par->n % 2 == 0) {
					if (n->type != XB_Y_SCALAR) {
						xb_diag(d, 'e', p, "a key must be a "
							"plain string");
						bad = 1;
					} else {
						for (size_t i = 0; i < par->n; i += 2)
							if (!strcmp(par->kid[i]->val, n->val)) {
								xb_diag(d, 'e', p,
									"duplicate key '%s' "
									"(first at line %u)",
									n->val,
									par->kid[i]->line);
								break;
							}
					}
				}
				if (!bad && node_add(par, n))
					bad = 2;
			}
		}
		yaml_event_delete(&ev);
	}
	if (bad)
		yaml_event_delete(&ev);
	yaml_parser_delete(&ps);
	if (bad == 2)
		xb_diag(d, 'e', (xb_pos){ file, 0, 0 }, "out of memory");
	return bad ? -1 : 0;
}