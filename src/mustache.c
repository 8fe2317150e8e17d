/*
 * mustache.c - a Mustache template engine rendering template values (tv.h).
 *
 * A template is parsed once, in three passes over its source:
 *
 *  1. S_tokenize() cuts it into text and tag tokens, following set
 *     delimiter tags; text tokens never hold a newline except as their last
 *     byte, so lines are easy to find.
 *  2. S_match() pairs section, parent and block tags with their closing
 *     tags, and S_lines() finds standalone lines: a line holding only
 *     whitespace and one non-interpolation tag, or two adjacent tags of the
 *     inheritance pairs the spec treats alike ({{<p}}{{/p}}, {{$b}}{{/b}},
 *     {{<p}}{{$b}} and {{/b}}{{/p}}). Their whitespace and newline go.
 *  3. S_build() turns the tokens into a flat array of nodes; a section
 *     node's children follow it, up to its end index.
 *
 * Indentation is applied while rendering rather than by rewriting the
 * source: every line that is not standalone begins with an indentation
 * point (a node flag or an N_INDENT node) that writes the current
 * indentation, which is empty unless the template is a partial or parent
 * included standalone (then it grows by the tag's leading whitespace) or
 * the content of a block whose tag stood alone. The content of a standalone
 * block is dedented when parsed (its common leading whitespace is cut from
 * each line, and the indentation of tags inside it is taken relative to
 * that), and re-indented where it is expanded. So one parsed form serves
 * every indentation and nothing is parsed twice.
 *
 * Inheritance: rendering a parent tag pushes a frame naming its block
 * children; a block looks its name up through the frames from the
 * outermost in, so the top-level template's blocks win, and renders either
 * the overriding block's content or its own.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mustache.h"
#include "util.h"

/* Deepest nesting of sections, parents and blocks in one template. */
#define S_MAX_NEST	100

#define S_NOPOS		((size_t)-1)

enum S_ntype {
	N_TEXT,		/* off, len: bytes of src */
	N_INDENT,	/* writes the current indentation */
	N_VAR,		/* escaped interpolation */
	N_RAW,		/* {{{ }}} or {{& }} */
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,
	N_BLOCK
};

#define NF_BOL		0x01	/* text: write the indentation first */
#define NF_STANDALONE	0x02	/* partial, parent, block: tag stood alone */

/*
 * A node. Text: off and len are bytes of src. Tags with a name: off is
 * where the name is in the pool, len its length, nseg its number of dotted
 * segments (0 for "."). Sections, parents and blocks: the children follow,
 * up to end (for other nodes end is the next index). Partials, parents and
 * blocks: ws_off and ws_len are the indentation in src, hash the name's
 * (the template cache; a lookup's segments carry their own, S_seg).
 */
struct S_node {
	unsigned char	 type;
	unsigned char	 flags;
	unsigned int	 nseg;
	int		 line, col;
	size_t		 end;
	size_t		 off, len;
	size_t		 ws_off, ws_len;
	uint32_t	 hash;
};

struct mus_tmpl {
	char		*name;
	char		*src;		/* owned copy */
	size_t		 srclen;
	char		*pool;		/* names (S_setname) */
	struct S_node	*nodes;
	size_t		 nnodes;
};

struct S_ent {
	char		*name;		/* NULL: free slot */
	uint32_t	 hash;
	struct mus_tmpl	*t;		/* NULL: absent, or err */
	struct mus_error *err;		/* the source's syntax error */
};

struct mus_env {
	mus_loader_fn	 loader;
	mus_missing_fn	 missing;
	void		*ud;
	struct S_ent	*tab;		/* open addressing, 2^n slots */
	size_t		 tabcap, tabn;
	struct mus_tmpl	**all;		/* every template, for freeing */
	size_t		 nall, allcap;
	char		*hook_name;	/* the partial mus_env_hook() took */
	mus_hook_fn	 hook;
	void		*hook_ud;
};

/* ---------------------------------------------------------------- parse */

enum { K_TEXT = 0 };	/* tags: their sigil, 'v' for variables */

#define TF_BOL		0x01	/* first token of a line */
#define TF_LSA		0x02	/* (first token) the line is standalone */
#define TF_SA		0x04	/* tag: standalone */
#define TF_GONE		0x08	/* text: dropped */

/*
 * A token. s and e: the bytes of a text token that are kept, or the whole
 * tag; ns and ne: a tag's name, trimmed; ws_s and ws_e: a standalone tag's
 * indentation; match: the partner of an opening or closing tag; closes:
 * the kind of tag a closing tag closes.
 */
struct S_tok {
	int		 kind;
	unsigned	 flags;
	size_t		 s, e;
	size_t		 ns, ne;
	size_t		 ws_s, ws_e;
	size_t		 match;
	int		 closes;
	int		 line, col;
};

struct S_parser {
	const char	*name;
	const char	*src;
	size_t		 len;
	struct S_tok	*toks;
	size_t		 ntoks, tokcap;
	size_t		 lc_off, lc_bol;	/* S_lc(): done, line start */
	int		 lc_line;
	struct S_node	*nodes;
	size_t		 nnodes, nodecap;
	struct buf	 pool;
	struct mus_error *err;
};

static void
S_seterr(struct mus_error *err, const char *name, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Where an error is: the template and the tag's position. */
static void
S_setpos(struct mus_error *err, const char *name, int line, int col)
{
	snprintf(err->name, sizeof(err->name), "%s", name);
	err->line = line;
	err->col = col;
}

static void
S_seterr(struct mus_error *err, const char *name, int line, int col,
    const char *fmt, ...)
{
	va_list	 ap;

	S_setpos(err, name, line, col);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static uint32_t
S_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int
S_isws(int c)
{
	return c == ' ' || c == '\t';
}

static int
S_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Finds needle (nlen > 0 bytes) in src[from, len); S_NOPOS if absent. */
static size_t
S_find(const char *src, size_t len, size_t from, const char *needle,
    size_t nlen)
{
	const char	*p;

	if (from > len || (p = mem_find(src + from, len - from, needle,
	    nlen)) == NULL)
		return S_NOPOS;
	return (size_t)(p - src);
}

/* Sets *line and *col (1-based) of offset off, which must not decrease. */
static void
S_lc(struct S_parser *p, size_t off, int *line, int *col)
{
	const char	*nl;

	while (p->lc_off < off) {
		nl = memchr(p->src + p->lc_off, '\n', off - p->lc_off);
		if (nl == NULL) {
			p->lc_off = off;
			break;
		}
		p->lc_line++;
		p->lc_off = p->lc_bol = (size_t)(nl - p->src) + 1;
	}
	*line = p->lc_line;
	*col = (int)(off - p->lc_bol) + 1;
}

static struct S_tok *
S_newtok(struct S_parser *p, int kind, size_t s, size_t e)
{
	struct S_tok	*t;

	if (p->ntoks == p->tokcap) {
		p->tokcap = p->tokcap ? p->tokcap * 2 : 64;
		p->toks = xrealloc(p->toks, p->tokcap * sizeof(*p->toks));
	}
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->s = s;
	t->e = e;
	t->match = S_NOPOS;
	return t;
}

/* Adds src[s, e) as text tokens, cut after each newline. */
static void
S_text(struct S_parser *p, size_t s, size_t e)
{
	const char	*nl;
	size_t		 next;

	while (s < e) {
		nl = memchr(p->src + s, '\n', e - s);
		next = nl ? (size_t)(nl - p->src) + 1 : e;
		S_newtok(p, K_TEXT, s, next);
		s = next;
	}
}

/*
 * Finds the closing delimiter ctag at or after from, preceded by the byte
 * pre unless pre is 0 ("}" for {{{ }}}, "=" for {{= =}}).
 */
static size_t
S_find_close(struct S_parser *p, size_t from, const char *ctag, size_t clen,
    int pre)
{
	size_t	 e, start = from;

	for (;;) {
		e = S_find(p->src, p->len, from, ctag, clen);
		if (e == S_NOPOS || pre == 0)
			return e;
		if (e > start && p->src[e - 1] == pre)
			return e;
		from = e + 1;
	}
}

static int
S_tokenize(struct S_parser *p)
{
	const char	*src = p->src, *otag = "{{", *ctag = "}}";
	size_t		 olen = 2, clen = 2, pos = 0, t, q, e, ns, ne, a, b;
	struct S_tok	*tk;
	int		 kind, line, col, pre;

	while (pos < p->len) {
		t = S_find(src, p->len, pos, otag, olen);
		if (t == S_NOPOS) {
			S_text(p, pos, p->len);
			break;
		}
		S_text(p, pos, t);
		S_lc(p, t, &line, &col);
		q = t + olen;
		kind = q < p->len ? src[q] : 0;
		pre = 0;
		switch (kind) {
		case '{':
			pre = '}';
			/* FALLTHROUGH */
		case '=':
			if (pre == 0)
				pre = '=';
			/* FALLTHROUGH */
		case '&': case '#': case '^': case '/': case '>': case '<':
		case '$': case '!':
			ns = q + 1;
			break;
		default:
			kind = 'v';
			ns = q;
			break;
		}
		e = S_find_close(p, ns, ctag, clen, pre);
		if (e == S_NOPOS) {
			S_seterr(p->err, p->name, line, col, "unclosed tag");
			return -1;
		}
		ne = pre ? e - 1 : e;
		if (kind == '{')
			kind = '&';
		pos = e + clen;
		while (ns < ne && S_isspace(src[ns]))
			ns++;
		while (ne > ns && S_isspace(src[ne - 1]))
			ne--;
		if (kind == '=') {
			/* Two delimiters, no whitespace or '=' in them. */
			for (a = ns; a < ne && !S_isws(src[a]); a++)
				;
			for (b = a; b < ne && S_isws(src[b]); b++)
				;
			if (a == ns || b == a || b == ne ||
			    memchr(src + ns, '=', a - ns) != NULL ||
			    memchr(src + b, '=', ne - b) != NULL ||
			    memchr(src + b, ' ', ne - b) != NULL ||
			    memchr(src + b, '\t', ne - b) != NULL) {
				S_seterr(p->err, p->name, line, col,
				    "invalid set delimiters tag");
				return -1;
			}
			otag = src + ns;
			olen = a - ns;
			ctag = src + b;
			clen = ne - b;
		} else if (kind != '!' && ns == ne) {
			S_seterr(p->err, p->name, line, col, "empty tag name");
			return -1;
		}
		tk = S_newtok(p, kind, t, pos);
		tk->ns = ns;
		tk->ne = ne;
		tk->line = line;
		tk->col = col;
	}
	return 0;
}

static int
S_samename(const struct S_parser *p, const struct S_tok *a,
    const struct S_tok *b)
{
	return a->ne - a->ns == b->ne - b->ns &&
	    memcmp(p->src + a->ns, p->src + b->ns, a->ne - a->ns) == 0;
}

/* Pairs opening and closing tags; reports the first mismatch. */
static int
S_match(struct S_parser *p)
{
	size_t		 stk[S_MAX_NEST], n = 0, i;
	struct S_tok	*t, *o;
	const char	*what;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		switch (t->kind) {
		case '#': case '^': case '<': case '$':
			if (n == S_MAX_NEST) {
				S_seterr(p->err, p->name, t->line, t->col,
				    "sections nested more than %d deep",
				    S_MAX_NEST);
				return -1;
			}
			stk[n++] = i;
			break;
		case '/':
			if (n == 0) {
				S_seterr(p->err, p->name, t->line, t->col,
				    "unexpected closing tag '%.*s'",
				    (int)(t->ne - t->ns), p->src + t->ns);
				return -1;
			}
			o = &p->toks[stk[n - 1]];
			if (!S_samename(p, o, t)) {
				S_seterr(p->err, p->name, t->line, t->col,
				    "unexpected closing tag '%.*s' "
				    "(expected '%.*s')",
				    (int)(t->ne - t->ns), p->src + t->ns,
				    (int)(o->ne - o->ns), p->src + o->ns);
				return -1;
			}
			t->match = stk[--n];
			t->closes = o->kind;
			o->match = i;
			break;
		}
	}
	if (n > 0) {
		o = &p->toks[stk[n - 1]];
		what = o->kind == '<' ? "parent" : o->kind == '$' ? "block" :
		    "section";
		S_seterr(p->err, p->name, o->line, o->col, "unclosed %s '%.*s'",
		    what, (int)(o->ne - o->ns), p->src + o->ns);
		return -1;
	}
	return 0;
}

/* Is text token t only blanks, save a final "\n" or "\r\n"? */
static int
S_blank(const struct S_parser *p, const struct S_tok *t)
{
	size_t	 i, e = t->e;

	if (e > t->s && p->src[e - 1] == '\n') {
		e--;
		if (e > t->s && p->src[e - 1] == '\r')
			e--;
	}
	for (i = t->s; i < e; i++)
		if (!S_isws(p->src[i]))
			return 0;
	return 1;
}

/*
 * Can adjacent tags a and b share a standalone line? Sets *keepnl when the
 * line's newline stays ({{$b}}{{/b}}: see the spec's "Standalone block").
 */
static int
S_pair(const struct S_parser *p, size_t a, size_t b, int *keepnl)
{
	const struct S_tok *ta = &p->toks[a], *tb = &p->toks[b];

	*keepnl = 0;
	if (ta->kind == '<' && tb->kind == '/' && tb->match == a)
		return 1;
	if (ta->kind == '$' && tb->kind == '/' && tb->match == a) {
		*keepnl = 1;
		return 1;
	}
	if (ta->kind == '<' && tb->kind == '$')
		return 1;
	if (ta->kind == '/' && ta->closes == '$' && tb->kind == '/' &&
	    tb->closes == '<')
		return 1;
	return 0;
}

/* Finds standalone lines and drops their whitespace and newline. */
static void
S_lines(struct S_parser *p)
{
	size_t		 i, j, k, tags[2], ntag, ws_s, ws_e;
	struct S_tok	*t;
	int		 ok, keepnl;

	for (i = 0; i < p->ntoks; i = j + 1) {
		for (j = i; j < p->ntoks; j++) {
			t = &p->toks[j];
			if (t->kind == K_TEXT && p->src[t->e - 1] == '\n')
				break;
		}
		if (j == p->ntoks)
			j--;
		p->toks[i].flags |= TF_BOL;

		ok = 1;
		ntag = 0;
		for (k = i; k <= j && ok; k++) {
			t = &p->toks[k];
			if (t->kind == K_TEXT)
				ok = S_blank(p, t);
			else if (ntag < 2)
				tags[ntag++] = k;
			else
				ok = 0;
		}
		if (!ok || ntag == 0)
			continue;
		keepnl = 0;
		if (ntag == 1) {
			if (strchr("#^/>!=<$", p->toks[tags[0]].kind) == NULL)
				continue;
		} else if (tags[1] != tags[0] + 1 ||
		    !S_pair(p, tags[0], tags[1], &keepnl))
			continue;

		p->toks[i].flags |= TF_LSA;
		t = &p->toks[i];
		if (t->kind == K_TEXT) {
			ws_s = t->s;
			ws_e = t->e;
			t->flags |= TF_GONE;
		} else
			ws_s = ws_e = t->s;
		for (k = 0; k < ntag; k++) {
			t = &p->toks[tags[k]];
			t->flags |= TF_SA;
			t->ws_s = ws_s;
			t->ws_e = ws_e;
		}
		t = &p->toks[j];
		if (t->kind != K_TEXT || j == i)
			continue;
		if (keepnl && p->src[t->e - 1] == '\n') {
			ws_s = t->s;
			t->s = t->e - 1;
			if (t->s > ws_s && p->src[t->s - 1] == '\r')
				t->s--;
		} else
			t->flags |= TF_GONE;
	}
}

static struct S_node *
S_newnode(struct S_parser *p, int type, const struct S_tok *t)
{
	struct S_node	*n;

	if (p->nnodes == p->nodecap) {
		p->nodecap = p->nodecap ? p->nodecap * 2 : 32;
		p->nodes = xrealloc(p->nodes, p->nodecap * sizeof(*p->nodes));
	}
	n = &p->nodes[p->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = (unsigned char)type;
	n->end = p->nnodes;
	if (t != NULL) {
		n->line = t->line;
		n->col = t->col;
	}
	return n;
}

/*
 * A name segment in the pool: its length and hash (tv.h), then its bytes
 * and a NUL, so that a lookup neither measures nor hashes it.
 */
struct S_seg {
	uint32_t	 len, hash;
};

/*
 * Stores the name of tag t in the pool as "full\0" and then each dotted
 * segment as a struct S_seg and "seg\0".
 */
static void
S_setname(struct S_parser *p, struct S_node *n, const struct S_tok *t)
{
	const char	*s = p->src + t->ns, *dot;
	size_t		 len = t->ne - t->ns, rest;
	struct S_seg	 g;

	n->off = p->pool.len;
	n->len = len;
	buf_put(&p->pool, s, len);
	buf_putc(&p->pool, '\0');
	if (len == 1 && s[0] == '.')
		return;
	for (rest = len; ; ) {
		dot = memchr(s, '.', rest);
		g.len = (uint32_t)(dot ? (size_t)(dot - s) : rest);
		g.hash = tv_hash(s, g.len);
		n->nseg++;
		buf_put(&p->pool, &g, sizeof(g));
		buf_put(&p->pool, s, g.len);
		buf_putc(&p->pool, '\0');
		if (dot == NULL)
			break;
		rest -= (size_t)(dot - s) + 1;
		s = dot + 1;
	}
}

/*
 * The common leading whitespace of the non-blank lines of src[cs, ce),
 * as an offset and length in src (length 0 if none).
 */
static void
S_dedent(const struct S_parser *p, size_t cs, size_t ce, size_t *doff,
    size_t *dlen)
{
	const char	*src = p->src, *nl;
	size_t		 a, b, l, best = S_NOPOS;

	*doff = *dlen = 0;
	for (a = cs; a < ce; ) {
		for (b = a; b < ce && S_isws(src[b]); b++)
			;
		if (b < ce && src[b] != '\n' &&
		    !(src[b] == '\r' && b + 1 < ce && src[b + 1] == '\n')) {
			if (best == S_NOPOS) {
				*doff = a;
				best = b - a;
			} else {
				for (l = 0; l < best && l < b - a &&
				    src[*doff + l] == src[a + l]; l++)
					;
				best = l;
			}
		}
		nl = memchr(src + a, '\n', ce - a);
		a = nl ? (size_t)(nl - src) + 1 : ce;
	}
	if (best != S_NOPOS)
		*dlen = best;
}

/* Sets n's indentation: the tag's leading whitespace less strip bytes. */
static void
S_setws(struct S_node *n, const struct S_tok *t, size_t strip)
{
	size_t	 len = t->ws_e - t->ws_s;

	if (strip > len)
		strip = len;
	n->ws_off = t->ws_s + strip;
	n->ws_len = len - strip;
}

struct S_lvl {
	size_t	 node;		/* the open node */
	size_t	 strip;		/* leading blanks to cut from lines inside */
};

static void
S_build(struct S_parser *p)
{
	struct S_lvl	 lvl[S_MAX_NEST + 1];
	size_t		 nlvl = 0, i, strip, k, cs, ce, doff, dlen;
	struct S_tok	*t;
	struct S_node	*n;
	const char	*nl;
	int		 bol, type;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		strip = nlvl ? lvl[nlvl - 1].strip : 0;
		bol = 0;
		if ((t->flags & (TF_BOL | TF_LSA)) == TF_BOL) {
			if (t->kind == K_TEXT) {
				for (k = 0; k < strip && t->s < t->e &&
				    S_isws(p->src[t->s]); k++)
					t->s++;
				if (t->s == t->e)
					bol = i + 1 < p->ntoks;
				else if (p->src[t->s] == '\n' ||
				    (p->src[t->s] == '\r' && t->e - t->s == 2))
					bol = 0;
				else
					bol = 1;
				if (bol && t->s == t->e)
					S_newnode(p, N_INDENT, NULL);
			} else
				S_newnode(p, N_INDENT, NULL);
		}
		switch (t->kind) {
		case K_TEXT:
			if ((t->flags & TF_GONE) || t->s == t->e)
				break;
			n = S_newnode(p, N_TEXT, NULL);
			n->off = t->s;
			n->len = t->e - t->s;
			if (bol)
				n->flags |= NF_BOL;
			break;
		case 'v':
		case '&':
			n = S_newnode(p, t->kind == 'v' ? N_VAR : N_RAW, t);
			S_setname(p, n, t);
			break;
		case '#':
		case '^':
		case '<':
		case '$':
			type = t->kind == '#' ? N_SECTION : t->kind == '^' ?
			    N_INVERTED : t->kind == '<' ? N_PARENT : N_BLOCK;
			n = S_newnode(p, type, t);
			S_setname(p, n, t);
			lvl[nlvl].node = p->nnodes - 1;
			lvl[nlvl].strip = strip;
			if (t->flags & TF_SA) {
				n->flags |= NF_STANDALONE;
				S_setws(n, t, strip);
			}
			if (type == N_PARENT)
				n->hash = S_hash(p->pool.data + n->off);
			if (type == N_BLOCK && (t->flags & TF_SA)) {
				/*
				 * The content is dedented; it is expanded at
				 * its own indentation if it has one, else at
				 * the tag's.
				 */
				nl = memchr(p->src + t->e, '\n', p->len - t->e);
				cs = nl ? (size_t)(nl - p->src) + 1 : p->len;
				ce = p->toks[t->match].s;
				S_dedent(p, cs, ce, &doff, &dlen);
				if (dlen > strip) {
					n->ws_off = doff + strip;
					n->ws_len = dlen - strip;
					lvl[nlvl].strip = dlen;
				}
			}
			nlvl++;
			break;
		case '/':
			nlvl--;
			p->nodes[lvl[nlvl].node].end = p->nnodes;
			break;
		case '>':
			n = S_newnode(p, N_PARTIAL, t);
			S_setname(p, n, t);
			n->hash = S_hash(p->pool.data + n->off);
			if (t->flags & TF_SA) {
				n->flags |= NF_STANDALONE;
				S_setws(n, t, strip);
			}
			break;
		default:	/* comments, set delimiters */
			break;
		}
	}
}

/*
 * Parses src (len bytes, malloc'd; taken over and freed on failure) as the
 * template called name. Returns NULL with err filled on a syntax error.
 */
static struct mus_tmpl *
S_parse(const char *name, char *src, size_t len, struct mus_error *err)
{
	struct S_parser	 p;
	struct mus_tmpl	*t;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.src = src;
	p.len = len;
	p.lc_line = 1;
	p.err = err;
	if (S_tokenize(&p) < 0 || S_match(&p) < 0) {
		free(p.toks);
		free(src);
		return NULL;
	}
	S_lines(&p);
	S_build(&p);
	free(p.toks);

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->src = src;
	t->srclen = len;
	t->pool = buf_detach(&p.pool);
	t->nodes = xrealloc(p.nodes, p.nnodes * sizeof(*p.nodes));
	t->nnodes = p.nnodes;
	return t;
}

static void
S_tmpl_free(struct mus_tmpl *t)
{
	free(t->name);
	free(t->src);
	free(t->pool);
	free(t->nodes);
	free(t);
}

/* ----------------------------------------------------------- environment */

struct mus_env *
mus_env_new(mus_loader_fn loader, mus_missing_fn missing, void *ud)
{
	struct mus_env	*env = xcalloc(1, sizeof(*env));

	env->loader = loader;
	env->missing = missing;
	env->ud = ud;
	return env;
}

void
mus_env_free(struct mus_env *env)
{
	size_t	 i;

	if (env == NULL)
		return;
	for (i = 0; i < env->tabcap; i++) {
		free(env->tab[i].name);
		free(env->tab[i].err);
	}
	free(env->tab);
	for (i = 0; i < env->nall; i++)
		S_tmpl_free(env->all[i]);
	free(env->all);
	free(env->hook_name);
	free(env);
}

void
mus_env_hook(struct mus_env *env, const char *name, mus_hook_fn fn, void *ud)
{
	free(env->hook_name);
	env->hook_name = fn != NULL ? xstrdup(name) : NULL;
	env->hook = fn;
	env->hook_ud = ud;
}

static struct S_ent *
S_tab_find(const struct mus_env *env, const char *name, uint32_t h)
{
	size_t		 i, mask = env->tabcap - 1;
	struct S_ent	*e;

	if (env->tabcap == 0)
		return NULL;
	for (i = h & mask; ; i = (i + 1) & mask) {
		e = &env->tab[i];
		if (e->name == NULL)
			return NULL;
		if (e->hash == h && strcmp(e->name, name) == 0)
			return e;
	}
}

/* Returns the entry for name, adding an empty one if there is none. */
static struct S_ent *
S_tab_put(struct mus_env *env, const char *name, uint32_t h)
{
	struct S_ent	*e, *old = env->tab;
	size_t		 i, j, oldcap = env->tabcap, mask;

	if ((e = S_tab_find(env, name, h)) != NULL)
		return e;
	if (2 * (env->tabn + 1) > env->tabcap) {
		env->tabcap = oldcap ? oldcap * 2 : 16;
		env->tab = xcalloc(env->tabcap, sizeof(*env->tab));
		mask = env->tabcap - 1;
		for (i = 0; i < oldcap; i++) {
			if (old[i].name == NULL)
				continue;
			for (j = old[i].hash & mask; env->tab[j].name != NULL;
			    j = (j + 1) & mask)
				;
			env->tab[j] = old[i];
		}
		free(old);
	}
	mask = env->tabcap - 1;
	for (i = h & mask; env->tab[i].name != NULL; i = (i + 1) & mask)
		;
	e = &env->tab[i];
	e->name = xstrdup(name);
	e->hash = h;
	env->tabn++;
	return e;
}

static void
S_keep(struct mus_env *env, struct mus_tmpl *t)
{
	if (env->nall == env->allcap) {
		env->allcap = env->allcap ? env->allcap * 2 : 16;
		env->all = xrealloc(env->all, env->allcap * sizeof(*env->all));
	}
	env->all[env->nall++] = t;
}

struct mus_tmpl *
mus_env_add(struct mus_env *env, const char *name, const char *src,
    size_t len, struct mus_error *err)
{
	struct mus_error dummy;
	struct mus_tmpl	*t;
	struct S_ent	*e;
	char		*copy = xmalloc(len + 1);

	if (err == NULL)
		err = &dummy;
	if (len > 0)
		memcpy(copy, src, len);
	copy[len] = '\0';
	if ((t = S_parse(name, copy, len, err)) == NULL)
		return NULL;
	S_keep(env, t);
	e = S_tab_put(env, name, S_hash(name));
	e->t = t;
	free(e->err);
	e->err = NULL;
	return t;
}

static struct mus_tmpl *
S_get(struct mus_env *env, const char *name, uint32_t h,
    struct mus_error *err)
{
	struct S_ent	*e;
	struct mus_tmpl	*t = NULL;
	char		*src = NULL;
	size_t		 len = 0;
	int		 found = 0;

	err->msg[0] = '\0';
	if ((e = S_tab_find(env, name, h)) != NULL) {
		if (e->err != NULL)
			*err = *e->err;
		return e->t;
	}
	if (env->loader != NULL)
		found = env->loader(env->ud, name, &src, &len);
	if (found) {
		if (src == NULL)
			len = 0;
		src = xrealloc(src, len + 1);
		src[len] = '\0';
		t = S_parse(name, src, len, err);
	}
	e = S_tab_put(env, name, h);
	if (t != NULL) {
		S_keep(env, t);
		e->t = t;
	} else if (found) {
		e->err = xmalloc(sizeof(*e->err));
		*e->err = *err;
	}
	return t;
}

struct mus_tmpl *
mus_env_get(struct mus_env *env, const char *name, struct mus_error *err)
{
	struct mus_error dummy;

	return S_get(env, name, S_hash(name), err ? err : &dummy);
}

const char *
mus_tmpl_name(const struct mus_tmpl *t)
{
	return t->name;
}

/* --------------------------------------------------------------- render */

struct S_ind {			/* an indentation: bytes of S_rs.ind */
	size_t	 off, len;
};

struct S_frame {		/* a parent tag being rendered */
	const struct mus_tmpl *t;
	size_t		 node;
	struct S_ind	 ind;	/* the indentation where the tag is */
};

struct S_rs {
	struct mus_env	*env;
	struct buf	*out;
	struct mus_error *err;
	struct tv	**stk;		/* context stack */
	size_t		 nstk, capstk;
	struct S_frame	*fr;
	size_t		 nfr, capfr;
	struct buf	 ind;
	int		 depth;
	mus_flush_fn	 flush;		/* mus_render_flush() */
	void		*fud;
	struct tv	*stk0[32];
	struct S_frame	 fr0[8];
};

static int	S_render(struct S_rs *, const struct mus_tmpl *, size_t, size_t,
		    struct S_ind);

/* Grows an array that starts in inline storage init of *cap elements. */
static void *
S_grow(void *arr, const void *init, size_t *cap, size_t elsz)
{
	void	*p;

	if (arr == init) {
		p = xmalloc(*cap * 2 * elsz);
		memcpy(p, arr, *cap * elsz);
	} else
		p = xrealloc(arr, *cap * 2 * elsz);
	*cap *= 2;
	return p;
}

static void
S_push(struct S_rs *rs, struct tv *v)
{
	if (rs->nstk == rs->capstk)
		rs->stk = S_grow(rs->stk, rs->stk0, &rs->capstk,
		    sizeof(*rs->stk));
	rs->stk[rs->nstk++] = v;
}

/* Returns cur followed by ws (in new space of rs->ind when ws isn't empty). */
static struct S_ind
S_ind_push(struct S_rs *rs, struct S_ind cur, const char *ws, size_t wslen)
{
	struct S_ind	 r;

	if (wslen == 0)
		return cur;
	buf_grow(&rs->ind, cur.len + wslen);
	r.off = rs->ind.len;
	r.len = cur.len + wslen;
	memcpy(rs->ind.data + r.off, rs->ind.data + cur.off, cur.len);
	memcpy(rs->ind.data + r.off + cur.len, ws, wslen);
	rs->ind.len += r.len;
	return r;
}

static void
S_put_ind(struct S_rs *rs, struct S_ind ind)
{
	if (ind.len > 0)
		buf_put(rs->out, rs->ind.data + ind.off, ind.len);
}

/* Resolves the name of node n: NULL if not found. */
/*
 * A name segment of digits after an array picks that element, as in
 * {{#items.0}}...{{/items.0}} ("has items"): an extension to the spec,
 * which says nothing of arrays in dotted names. NULL when out of range.
 */
static struct tv *
S_index(struct tv *arr, const char *seg)
{
	size_t	 k = 0;

	if (*seg == '\0')
		return NULL;
	for (; *seg; seg++) {
		if (*seg < '0' || *seg > '9' || k > 100000000)
			return NULL;
		k = k * 10 + (size_t)(*seg - '0');
	}
	return tv_at(arr, k);
}

static struct tv *
S_lookup(const struct S_rs *rs, const struct mus_tmpl *t,
    const struct S_node *n)
{
	const char	*at = t->pool + n->off + n->len + 1;
	struct S_seg	 g;
	struct tv	*v = NULL;
	size_t		 k;
	unsigned	 i;

	if (n->nseg == 0)
		return rs->nstk ? rs->stk[rs->nstk - 1] : NULL;
	memcpy(&g, at, sizeof(g));
	at += sizeof(g);
	for (k = rs->nstk; k-- > 0; )
		if ((v = tv_getn(rs->stk[k], at, g.len, g.hash)) != NULL)
			break;
	for (i = 1; v != NULL && i < n->nseg; i++) {
		at += g.len + 1;
		memcpy(&g, at, sizeof(g));
		at += sizeof(g);
		v = v->type == TV_OBJ ? tv_getn(v, at, g.len, g.hash) :
		    v->type == TV_ARR ? S_index(v, at) : NULL;
	}
	return v;
}

/* Tells the missing callback about node n. Returns -1 to fail. */
static int
S_missing(struct S_rs *rs, const struct mus_tmpl *t, const struct S_node *n)
{
	struct mus_env	*env = rs->env;
	const char	*name = t->pool + n->off;

	if (env->missing == NULL)
		return 0;
	/* a layout may test many absent names: the position is only
	 * written into err when the callback fails the render */
	rs->err->msg[0] = '\0';
	if (env->missing(env->ud, t->name, name, n->line, n->col,
	    rs->err) == 0)
		return 0;
	if (rs->err->msg[0] == '\0')
		snprintf(rs->err->msg, sizeof(rs->err->msg),
		    "missing value '%s'", name);
	S_setpos(rs->err, t->name, n->line, n->col);
	return -1;
}

/*
 * Writes d in the shortest form that reads back as d, in fixed notation
 * unless the exponent is below -6 or above 20 (as JavaScript does).
 */
static size_t
S_fmt_real(char *b, size_t sz, double d)
{
	int	 prec, x, n;

	for (prec = 1; prec < 17; prec++) {
		snprintf(b, sz, "%.*g", prec, d);
		if (strtod(b, NULL) == d)
			break;
	}
	snprintf(b, sz, "%.*e", prec - 1, d);
	x = atoi(strchr(b, 'e') + 1);
	if (x >= -6 && x <= 20)
		n = snprintf(b, sz, "%.*f", prec - 1 - x > 0 ? prec - 1 - x : 0,
		    d);
	else
		n = snprintf(b, sz, "%.*g", prec, d);
	return n < 0 ? 0 : (size_t)n;
}

/* i in decimal, as "%lld" writes it, ending at end; returns its start
 * (20 digits and a sign at most). */
static char *
S_fmt_int(char *end, long long i)
{
	unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i :
	    (unsigned long long)i;

	do
		*--end = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (i < 0)
		*--end = '-';
	return end;
}

static void
S_put_value(struct buf *out, struct tv *v, int esc)
{
	char		 tmp[64];
	const char	*s = tmp;
	size_t		 n;

	switch (v->type) {
	case TV_STR:
		s = v->u.s;
		n = v->n;
		break;
	case TV_INT:
		s = S_fmt_int(tmp + sizeof(tmp), v->u.i);
		n = (size_t)(tmp + sizeof(tmp) - s);
		break;
	case TV_REAL:
		n = S_fmt_real(tmp, sizeof(tmp), v->u.d);
		break;
	case TV_TRUE:
		s = "true";
		n = 4;
		break;
	case TV_FALSE:
		s = "false";
		n = 5;
		break;
	default:		/* null, objects, arrays */
		return;
	}
	if (esc)
		buf_put_html(out, s, n);
	else
		buf_put(out, s, n);
}

static int
S_truthy(struct tv *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case TV_FALSE:
	case TV_NULL:
		return 0;
	case TV_ARR:
		return v->n > 0;
	default:
		return 1;
	}
}

static int
S_enter(struct S_rs *rs, const struct mus_tmpl *t, const struct S_node *n,
    const char *what)
{
	if (rs->depth >= MUS_MAX_DEPTH) {
		S_seterr(rs->err, t->name, n->line, n->col,
		    "%s nesting too deep ('%s' at more than %d levels)", what,
		    t->pool + n->off, MUS_MAX_DEPTH);
		return -1;
	}
	rs->depth++;
	return 0;
}

/* Renders the partial or parent named by node n of t. */
static int
S_partial(struct S_rs *rs, const struct mus_tmpl *t, const struct S_node *n,
    struct S_ind ind)
{
	struct mus_tmpl	*p;
	struct S_ind	 pind = { 0, 0 };
	size_t		 mark = rs->ind.len;
	int		 r;

	if (S_enter(rs, t, n, n->type == N_PARENT ? "parent" : "partial") < 0)
		return -1;
	if (n->flags & NF_STANDALONE)
		pind = S_ind_push(rs, ind, t->src + n->ws_off, n->ws_len);
	if (n->type == N_PARTIAL && rs->env->hook != NULL &&
	    strcmp(rs->env->hook_name, t->pool + n->off) == 0 &&
	    (r = rs->env->hook(rs->env->hook_ud, rs->stk, rs->nstk,
	    pind.len > 0 ? rs->ind.data + pind.off : "", pind.len,
	    rs->out)) != 0) {
		rs->ind.len = mark;
		rs->depth--;
		if (r < 0)
			S_seterr(rs->err, t->name, n->line, n->col,
			    "partial '%s' failed", t->pool + n->off);
		return r < 0 ? -1 : 0;
	}
	p = S_get(rs->env, t->pool + n->off, n->hash, rs->err);
	if (p == NULL) {
		rs->ind.len = mark;
		rs->depth--;
		return rs->err->msg[0] ? -1 : 0;
	}
	r = S_render(rs, p, 0, p->nnodes, pind);
	rs->ind.len = mark;
	rs->depth--;
	return r;
}

/* Renders block node i of t: the overriding content, or its own. */
static int
S_block(struct S_rs *rs, const struct mus_tmpl *t, size_t i, struct S_ind ind)
{
	const struct S_node *n = &t->nodes[i], *c, *dn = n;
	const struct mus_tmpl *dt = t, *ft;
	const char	*name = t->pool + n->off;
	struct S_ind	 dind = ind;
	size_t		 f, k, mark = rs->ind.len;
	int		 over = 0, r;

	for (f = 0; f < rs->nfr && !over; f++) {
		ft = rs->fr[f].t;
		for (k = rs->fr[f].node + 1; k < ft->nodes[rs->fr[f].node].end;
		    k = c->end) {
			c = &ft->nodes[k];
			if (c->type == N_BLOCK &&
			    strcmp(ft->pool + c->off, name) == 0) {
				dt = ft;
				dn = c;
				dind = rs->fr[f].ind;
				over = 1;
				break;
			}
		}
	}
	if (S_enter(rs, t, n, "block") < 0)
		return -1;
	if (n->flags & NF_STANDALONE)
		dind = S_ind_push(rs, ind, t->src + n->ws_off, n->ws_len);
	else if (over && (dn->flags & NF_STANDALONE))
		dind.len = 0;
	r = S_render(rs, dt, (size_t)(dn - dt->nodes) + 1, dn->end, dind);
	rs->ind.len = mark;
	rs->depth--;
	return r;
}

/* Renders nodes [from, to) of t at indentation ind. */
static int
S_render(struct S_rs *rs, const struct mus_tmpl *t, size_t from, size_t to,
    struct S_ind ind)
{
	const struct S_node *n;
	struct tv	*v;
	size_t		 i, k;
	int		 r;

	for (i = from; i < to; ) {
		n = &t->nodes[i];
		switch (n->type) {
		case N_TEXT:
			if (n->flags & NF_BOL)
				S_put_ind(rs, ind);
			buf_put(rs->out, t->src + n->off, n->len);
			break;
		case N_INDENT:
			S_put_ind(rs, ind);
			break;
		case N_VAR:
		case N_RAW:
			if ((v = S_lookup(rs, t, n)) != NULL)
				S_put_value(rs->out, v, n->type == N_VAR);
			else if (S_missing(rs, t, n) < 0)
				return -1;
			break;
		case N_SECTION:
		case N_INVERTED:
			if ((v = S_lookup(rs, t, n)) == NULL &&
			    S_missing(rs, t, n) < 0)
				return -1;
			if (n->type == N_INVERTED) {
				if (!S_truthy(v) &&
				    S_render(rs, t, i + 1, n->end, ind) < 0)
					return -1;
			} else if (v != NULL && v->type == TV_ARR) {
				for (k = 0; k < v->n; k++) {
					S_push(rs, v->u.a[k]);
					r = S_render(rs, t, i + 1, n->end, ind);
					rs->nstk--;
					if (r < 0)
						return -1;
				}
			} else if (S_truthy(v)) {
				S_push(rs, v);
				r = S_render(rs, t, i + 1, n->end, ind);
				rs->nstk--;
				if (r < 0)
					return -1;
			}
			break;
		case N_PARTIAL:
			if (S_partial(rs, t, n, ind) < 0)
				return -1;
			break;
		case N_PARENT:
			if (rs->nfr == rs->capfr)
				rs->fr = S_grow(rs->fr, rs->fr0, &rs->capfr,
				    sizeof(*rs->fr));
			rs->fr[rs->nfr].t = t;
			rs->fr[rs->nfr].node = i;
			rs->fr[rs->nfr].ind = ind;
			rs->nfr++;
			r = S_partial(rs, t, n, ind);
			rs->nfr--;
			if (r < 0)
				return -1;
			break;
		case N_BLOCK:
			if (S_block(rs, t, i, ind) < 0)
				return -1;
			break;
		}
		i = n->end;
		if (rs->flush != NULL && rs->out->len >= MUS_SPILL) {
			rs->flush(rs->fud, rs->out->data, rs->out->len);
			buf_reset(rs->out);
		}
	}
	return 0;
}

/* mus_render_stack() with a flush: what the three entry points share. */
static int
S_render_stack(struct mus_env *env, struct mus_tmpl *t, struct tv *const *stk,
    size_t nstk, const char *indent, size_t indlen, struct buf *out,
    mus_flush_fn flush, void *ud, struct mus_error *err)
{
	struct mus_error dummy;
	struct S_rs	 rs;
	struct S_ind	 nind = { 0, indlen };
	size_t		 i;
	int		 r;

	memset(&rs, 0, sizeof(rs));
	rs.env = env;
	rs.out = out;
	rs.err = err ? err : &dummy;
	rs.stk = rs.stk0;
	rs.capstk = sizeof(rs.stk0) / sizeof(rs.stk0[0]);
	rs.fr = rs.fr0;
	rs.capfr = sizeof(rs.fr0) / sizeof(rs.fr0[0]);
	rs.flush = flush;
	rs.fud = ud;
	for (i = 0; i < nstk; i++)
		S_push(&rs, stk[i]);
	if (indlen > 0)
		buf_put(&rs.ind, indent, indlen);
	r = S_render(&rs, t, 0, t->nnodes, nind);
	if (rs.stk != rs.stk0)
		free(rs.stk);
	if (rs.fr != rs.fr0)
		free(rs.fr);
	buf_free(&rs.ind);
	return r;
}

int
mus_render(struct mus_env *env, struct mus_tmpl *t, struct tv *ctx,
    struct buf *out, struct mus_error *err)
{
	return mus_render_flush(env, t, ctx, out, NULL, NULL, err);
}

int
mus_render_flush(struct mus_env *env, struct mus_tmpl *t, struct tv *ctx,
    struct buf *out, mus_flush_fn flush, void *ud, struct mus_error *err)
{
	return S_render_stack(env, t, &ctx, ctx != NULL, "", 0, out, flush, ud,
	    err);
}

int
mus_render_stack(struct mus_env *env, struct mus_tmpl *t, struct tv *const *stk,
    size_t nstk, const char *indent, size_t indlen, struct buf *out,
    struct mus_error *err)
{
	return S_render_stack(env, t, stk, nstk, indent, indlen, out, NULL,
	    NULL, err);
}
