/*
 * ytree.c - YAML documents as a small tree with source positions.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "diag.h"
#include "util.h"
#include "ytree.h"

#define YSCRATCH	8192		/* a front matter's tree fits */

struct ychunk {
	struct ychunk	*next;
	_Alignas(8) char data[];
};

/*
 * The tree as it is read lives in scratch memory: its nodes, strings and
 * arrays are carved from a buffer on ytree_parse()'s stack, then from
 * chunks when that is full, and all dropped at once when S_pack() has
 * copied the tree into its block (some sixty allocations and frees per
 * page saved, on the loading threads).
 */
struct ybuild {
	yaml_parser_t	 p;
	const char	*path;
	int		 line0;
	int		 failed;
	char		*at, *end;	/* the scratch left */
	struct ychunk	*more;		/* chunks after the first buffer */
	_Alignas(8) char first[YSCRATCH];
};

static void *
S_alloc(struct ybuild *b, size_t n)
{
	struct ychunk	*c;
	size_t		 sz;
	char		*p;

	if (n > SIZE_MAX / 2)
		(void)xmalloc(SIZE_MAX);	/* cannot be had: reports, aborts */
	n = (n + 7) & ~(size_t)7;
	if ((size_t)(b->end - b->at) < n) {
		sz = n > YSCRATCH ? n : YSCRATCH;
		c = xmalloc(sizeof(*c) + sz);
		c->next = b->more;
		b->more = c;
		b->at = c->data;
		b->end = c->data + sz;
	}
	p = b->at;
	b->at += n;
	return p;
}

static struct ynode *
S_node(struct ybuild *b, enum ytype t, const yaml_mark_t *m)
{
	struct ynode	*n = S_alloc(b, sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = t;
	n->line = (int)m->line + b->line0;
	n->col = (int)m->column + 1;
	return n;
}

/* Grows a scratch array of n pointers to cap. */
static struct ynode **
S_regrow(struct ybuild *b, struct ynode **v, size_t n, size_t cap)
{
	struct ynode	**nv = S_alloc(b, cap * sizeof(*nv));

	if (n > 0)
		memcpy(nv, v, n * sizeof(*nv));
	return nv;
}

static void
S_append(struct ybuild *b, struct ynode *parent, struct ynode *key,
    struct ynode *val)
{
	if ((parent->n & (parent->n - 1)) == 0) {
		size_t	 cap = parent->n ? parent->n * 2 : 4;

		if (cap < 4)
			cap = 4;
		parent->items = S_regrow(b, parent->items, parent->n, cap);
		if (parent->type == Y_MAP)
			parent->keys = S_regrow(b, parent->keys, parent->n, cap);
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
		n = S_node(b, Y_SCALAR, &ev->start_mark);
		n->len = ev->data.scalar.length;
		n->str = S_alloc(b, n->len + 1);
		memcpy(n->str, ev->data.scalar.value, n->len);
		n->str[n->len] = '\0';
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
	n = S_node(b, ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
	    &ev->start_mark);
	for (;;) {
		if (!yaml_parser_parse(&b->p, &e)) {
			S_yaml_error(b);
			return NULL;
		}
		if (e.type == YAML_SEQUENCE_END_EVENT ||
		    e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			return n;
		}
		k = S_parse_node(b, &e, depth + 1);
		yaml_event_delete(&e);
		if (k == NULL)
			return NULL;
		if (n->type == Y_SEQ) {
			S_append(b, n, NULL, k);
			continue;
		}
		if (k->type != Y_SCALAR) {
			diag_error(b->path, k->line, k->col,
			    "a mapping key must be a plain value, not a %s",
			    ynode_kind(k));
			b->failed = 1;
			return NULL;
		}
		if (!yaml_parser_parse(&b->p, &e)) {
			S_yaml_error(b);
			return NULL;
		}
		v = S_parse_node(b, &e, depth + 1);
		yaml_event_delete(&e);
		if (v == NULL)
			return NULL;
		if (ymap_key(n, k->str) != NULL) {
			diag_error(b->path, k->line, k->col,
			    "duplicate key '%s' (first at line %d)", k->str,
			    ymap_key(n, k->str)->line);
			b->failed = 1;
			return NULL;
		}
		S_append(b, n, k, v);
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
S_pack(const struct ynode *root)
{
	char		*block = xmalloc(S_packed_size(root)), *at = block;
	struct ynode	*r = S_copy(root, &at);

	r->packed = YN_ROOT;
	return r;
}

/* Drops the scratch the tree was read into. */
static void
S_scratch_free(struct ybuild *b)
{
	struct ychunk	*c, *next;

	for (c = b->more; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	b->more = NULL;
}

struct ynode *
ytree_parse(const char *path, const char *text, size_t len, int line0)
{
	struct ybuild	 b;
	yaml_event_t	 e;
	struct ynode	*root = NULL;
	int		 done = 0;

	memset(&b, 0, offsetof(struct ybuild, first));
	b.path = path;
	b.line0 = line0;
	b.at = b.first;
	b.end = b.first + sizeof(b.first);
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
		S_scratch_free(&b);
		return NULL;
	}
	if (root == NULL) {
		yaml_mark_t	 m = { 0, 0, 0 };

		root = S_node(&b, Y_MAP, &m);
	}
	root = S_pack(root);
	S_scratch_free(&b);
	return root;
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
