/*
 * ytree.h - YAML documents as a small tree with source positions.
 *
 * libyaml's event stream is turned into a tree of scalars, sequences and
 * mappings, each node knowing the line and column it starts at in the
 * original file (front matter is parsed with the offset of its first line,
 * so positions are the file's own). Aliases, more than one document, non-
 * scalar keys, duplicate keys and nesting deeper than YTREE_MAX_DEPTH are
 * reported as errors.
 */
#ifndef BR_YTREE_H
#define BR_YTREE_H

#include <stddef.h>

#define YTREE_MAX_DEPTH 32

enum ytype {
	Y_SCALAR,
	Y_SEQ,
	Y_MAP
};

/*
 * A parsed tree lives in one block (ytree_parse packs it): its root is
 * YN_ROOT, every other node YN_INSIDE, and ynode_free() frees the block
 * from the root only. A string put in place of a packed node's (ynode_set_str)
 * is its own allocation, YN_OWNSTR.
 */
#define YN_ROOT		1
#define YN_INSIDE	2
#define YN_OWNSTR	4

struct ynode {
	enum ytype	  type;
	int		  packed;	/* YN_ROOT | YN_INSIDE | YN_OWNSTR */
	char		 *str;		/* Y_SCALAR: the value, NUL-terminated */
	size_t		  len;
	int		  plain;	/* Y_SCALAR: unquoted (so null/true/123 are typed) */
	int		  line, col;	/* 1-based, in the source file */
	size_t		  n;		/* Y_SEQ/Y_MAP: number of entries */
	struct ynode	**items;	/* Y_SEQ: items; Y_MAP: values */
	struct ynode	**keys;		/* Y_MAP: keys (scalars) */
};

/*
 * Parses text (len bytes, UTF-8) as one YAML document. line0 is the file
 * line of the text's first line. Returns the root (an empty Y_MAP for an
 * empty document), or NULL after reporting the error against path. The
 * caller frees the tree with ynode_free().
 */
struct ynode	*ytree_parse(const char *path, const char *text, size_t len,
		    int line0);
void		 ynode_free(struct ynode *);
/* Replaces scalar n's string with s (malloc'd, taken over). */
void		 ynode_set_str(struct ynode *n, char *s);
/* The value of key in a mapping, or NULL (also when map is not a mapping). */
struct ynode	*ymap_get(const struct ynode *map, const char *key);
/* The key node of key in a mapping, or NULL. */
struct ynode	*ymap_key(const struct ynode *map, const char *key);
/* Deep equality of two trees (scalars compare by their text). */
int		 ynode_equal(const struct ynode *, const struct ynode *);
/* A plain scalar "", "~", "null" or "Null". */
int		 ynode_is_null(const struct ynode *);
/* Parses an integer scalar (digits, optional sign; "_" and "," are not
 * accepted). Returns 1 and sets *out, or 0. */
int		 ynode_int(const struct ynode *, long long *out);
/* Parses a decimal number scalar. Returns 1 and sets *out, or 0. */
int		 ynode_num(const struct ynode *, double *out);
/* A plain true/false. Returns 1 and sets *out, or 0. */
int		 ynode_bool(const struct ynode *, int *out);
/* "scalar", "list" or "mapping", for messages. */
const char	*ynode_kind(const struct ynode *);

#endif
