/*
 * ytree.c - YAML documents as a small tree with source positions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "util.h"
#include "ytree.h"

struct ybuild {
	yaml_parser_t	 p;
	const char	*path;
	int		 line0;
	int		 failed;
};

static struct ynode *
S_node(enum ytype t, const yaml_mark_t *m, int line0)
{
	struct ynode	*n = xcalloc(1, sizeof(*n));

	n->type = t;
	n->line = (int)m->line + line0;
	n->col = (int)m->column + 1;
	return n;
}

static void
S_append(struct ynode *parent, struct ynode *key, struct ynode *val)
{
	if ((parent->n & (parent->n - 1)) == 0) {
		size_t	 cap = parent->n ? parent->n * 2 : 4;

		if (cap < 4)
			cap = 4;
		parent->items = xrealloc(parent->items, cap * sizeof(*parent->items));
		if (parent->type == Y_MAP)
			parent->keys = xrealloc(parent->keys, cap * sizeof(*parent->keys));
	}
	if (parent->type == Y_MAP)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = val;
}

static void
S_yaml_error(struct ybuild *b)
{
	yaml_parser_t	*p = &b->p;
	const yaml_mark_t *m = &p->problem_mark;

	if (p->error == YAML_MEMORY_ERROR) {
		diag_error(b->path, 0, 0, "out of memory parsing YAML");
	} else if (p->context != NULL) {
		diag_error(b->path, (int)m->line + b->line0, (int)m->column + 1,
		    "invalid YAML: %s %s", p->problem, p->context);
	} else {
		diag_error(b->path, (int)m->line + b->line0, (int)m->column + 1,
		    "invalid YAML: %s", p->problem ? p->problem : "syntax error");
	}
	b->failed = 1;
}

/*
 * Reads one node whose first event is ev (already taken from the parser).
 * Returns NULL after reporting an error. depth counts enclosing collections.
 */
static struct ynode *
S_parse_node(struct ybuild *b, yaml_event_t *ev, int depth)
{
	struct ynode	*n, *k, *v;
	yaml_event_t	 e;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = S_node(Y_SCALAR, &ev->start_mark, b->line0);
		n->len = ev->data.scalar.length;
		n->str = xstrndup((const char *)ev->data.scalar.value, n->len);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	case YAML_ALIAS_EVENT:
		diag_error(b->path, (int)ev->start_mark.line + b->line0,
		    (int)ev->start_mark.column + 1,
		    "YAML aliases (*name) are not supported");
		b->failed = 1;
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		diag_error(b->path, (int)ev->start_mark.line + b->line0,
		    (int)ev->start_mark.column + 1, "unexpected YAML event");
		b->failed = 1;
		return NULL;
	}
	if (depth >= YTREE_MAX_DEPTH) {
		diag_error(b->path, (int)ev->start_mark.line + b->line0,
		    (int)ev->start_mark.column + 1,
		    "YAML nested deeper than %d levels", YTREE_MAX_DEPTH);
		b->failed = 1;
		return NULL;
	}
	n = S_node(ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
	    &ev->start_mark, b->line0);
	for (;;) {
		if (!yaml_parser_parse(&b->p, &e)) {
			S_yaml_error(b);
			ynode_free(n);
			return NULL;
		}
		if (e.type == YAML_SEQUENCE_END_EVENT ||
		    e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			return n;
		}
		k = S_parse_node(b, &e, depth + 1);
		yaml_event_delete(&e);
		if (k == NULL) {
			ynode_free(n);
			return NULL;
		}
		if (n->type == Y_SEQ) {
			S_append(n, NULL, k);
			continue;
		}
		if (k->type != Y_SCALAR) {
			diag_error(b->path, k->line, k->col,
			    "a mapping key must be a plain value, not a %s",
			    ynode_kind(k));
			b->failed = 1;
			ynode_free(k);
			ynode_free(n);
			return NULL;
		}
		if (!yaml_parser_parse(&b->p, &e)) {
			S_yaml_error(b);
			ynode_free(k);
			ynode_free(n);
			return NULL;
		}
		v = S_parse_node(b, &e, depth + 1);
		yaml_event_delete(&e);
		if (v == NULL) {
			ynode_free(k);
			ynode_free(n);
			return NULL;
		}
		if (ymap_key(n, k->str) != NULL) {
			diag_error(b->path, k->line, k->col,
			    "duplicate key '%s' (first at line %d)", k->str,
			    ymap_key(n, k->str)->line);
			b->failed = 1;
			ynode_free(k);
			ynode_free(v);
			ynode_free(n);
			return NULL;
		}
		S_append(n, k, v);
	}
}

/* The bytes a tree takes in one block (eight-byte aligned parts). */
static size_t
S_packed_size(const struct ynode *n)
{
	size_t	 z = sizeof(*n), i;

	if (n->str != NULL)
		z += (n->len + 8) & ~(size_t)7;
	z += n->n * sizeof(*n->items) * (n->keys != NULL ? 2 : 1);
	for (i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			z += S_packed_size(n->keys[i]);
		z += S_packed_size(n->items[i]);
	}
	return z;
}

/* Copies n into the block at *at (advanced), marked inside. */
static struct ynode *
S_copy(const struct ynode *n, char **at)
{
	struct ynode	*c = (struct ynode *)(void *)*at;
	size_t		 i;

	*at += sizeof(*c);
	*c = *n;
	c->packed = YN_INSIDE;
	if (n->str != NULL) {
		c->str = memcpy(*at, n->str, n->len + 1);
		*at += (n->len + 8) & ~(size_t)7;
	}
	if (n->n > 0) {
		c->items = (struct ynode **)(void *)*at;
		*at += n->n * sizeof(*c->items);
		if (n->keys != NULL) {
			c->keys = (struct ynode **)(void *)*at;
			*at += n->n * sizeof(*c->keys);
		}
	} else
		c->items = c->keys = NULL;
	for (i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			c->keys[i] = S_copy(n->keys[i], at);
		c->items[i] = S_copy(n->items[i], at);
	}
	return c;
}

/*
 * Moves a parsed tree into one block: a site's front matter lives as long
 * as the build, and a node, its string and its arrays each allocated alone
 * cost half as much again in the allocator's headers and slack.
 */
static struct ynode *
S_pack(struct ynode *root)
{
	char		*block = xmalloc(S_packed_size(root)), *at = block;
	struct ynode	*r = S_copy(root, &at);

	r->packed = YN_ROOT;
	ynode_free(root);
	return r;
}

struct ynode *
ytree_parse(const char *path, const char *text, size_t len, int line0)
{
	struct ybuild	 b;
	yaml_event_t	 e;
	struct ynode	*root = NULL;
	int		 done = 0;

	memset(&b, 0, sizeof(b));
	b.path = path;
	b.line0 = line0;
	if (!yaml_parser_initialize(&b.p)) {
		diag_error(path, 0, 0, "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&b.p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&b.p, YAML_UTF8_ENCODING);
	while (!done && !b.failed) {
		if (!yaml_parser_parse(&b.p, &e)) {
			S_yaml_error(&b);
			break;
		}
		switch (e.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root != NULL) {
				diag_error(path, (int)e.start_mark.line + line0,
				    (int)e.start_mark.column + 1,
				    "more than one YAML document");
				b.failed = 1;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			if (root != NULL) {
				b.failed = 1;
				break;
			}
			root = S_parse_node(&b, &e, 0);
			if (root == NULL)
				b.failed = 1;
			break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&b.p);
	if (b.failed) {
		ynode_free(root);
		return NULL;
	}
	if (root == NULL) {
		yaml_mark_t	 m = { 0, 0, 0 };

		root = S_node(Y_MAP, &m, line0);
	}
	return S_pack(root);
}

/* Frees the strings put in place in a packed tree. */
static void
S_free_owned(struct ynode *n)
{
	size_t	 i;

	if (n->packed & YN_OWNSTR)
		free(n->str);
	for (i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			S_free_owned(n->keys[i]);
		S_free_owned(n->items[i]);
	}
}

void
ynode_set_str(struct ynode *n, char *s)
{
	if (n->packed == 0 || (n->packed & YN_OWNSTR))
		free(n->str);
	n->str = s;
	n->len = strlen(s);
	if (n->packed != 0)
		n->packed |= YN_OWNSTR;
}

void
ynode_free(struct ynode *n)
{
	size_t	 i;

	if (n == NULL || (n->packed & YN_INSIDE))
		return;
	if (n->packed & YN_ROOT) {
		S_free_owned(n);
		free(n);	/* the block starts with the root */
		return;
	}
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			ynode_free(n->keys[i]);
		ynode_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->str);
	free(n);
}

struct ynode *
ymap_key(const struct ynode *map, const char *key)
{
	size_t	 i;

	if (map == NULL || map->type != Y_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->keys[i];
	return NULL;
}

struct ynode *
ymap_get(const struct ynode *map, const char *key)
{
	size_t	 i;

	if (map == NULL || map->type != Y_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}

int
ynode_equal(const struct ynode *a, const struct ynode *b)
{
	size_t	 i;

	if (a->type != b->type || a->n != b->n)
		return 0;
	if (a->type == Y_SCALAR)
		return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	for (i = 0; i < a->n; i++) {
		if (a->type == Y_MAP &&
		    strcmp(a->keys[i]->str, b->keys[i]->str) != 0)
			return 0;
		if (!ynode_equal(a->items[i], b->items[i]))
			return 0;
	}
	return 1;
}

int
ynode_is_null(const struct ynode *n)
{
	return n->type == Y_SCALAR && n->plain &&
	    (n->len == 0 || strcmp(n->str, "~") == 0 ||
	     strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0);
}

int
ynode_int(const struct ynode *n, long long *out)
{
	char		*end;
	long long	 v;

	if (n->type != Y_SCALAR || n->len == 0)
		return 0;
	errno = 0;
	v = strtoll(n->str, &end, 10);
	if (errno || *end != '\0' || end == n->str ||
	    !(n->str[0] == '-' || n->str[0] == '+' ||
	      (n->str[0] >= '0' && n->str[0] <= '9')))
		return 0;
	*out = v;
	return 1;
}

int
ynode_num(const struct ynode *n, double *out)
{
	const char	*s;
	int		 digits = 0, dot = 0;

	if (n->type != Y_SCALAR || n->len == 0)
		return 0;
	s = n->str;
	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	if (!digits)
		return 0;
	*out = strtod(n->str, NULL);
	return 1;
}

int
ynode_bool(const struct ynode *n, int *out)
{
	if (n->type != Y_SCALAR || !n->plain)
		return 0;
	if (strcmp(n->str, "true") == 0 || strcmp(n->str, "True") == 0) {
		*out = 1;
		return 1;
	}
	if (strcmp(n->str, "false") == 0 || strcmp(n->str, "False") == 0) {
		*out = 0;
		return 1;
	}
	return 0;
}

const char *
ynode_kind(const struct ynode *n)
{
	switch (n->type) {
	case Y_SCALAR:
		return "scalar";
	case Y_SEQ:
		return "list";
	default:
		return "mapping";
	}
}
