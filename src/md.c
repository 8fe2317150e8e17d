/*
 * md.c - Markdown bodies to HTML with cmark.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "md.h"
#include "utf8.h"
#include "util.h"

/* cmark allocates from the page's arena while one is open (arena.h). */
static cmark_mem S_mem = { arena_calloc, arena_realloc, arena_free };

/* Appends the literal text under node (text and code spans). */
static void
S_plain(cmark_node *node, struct buf *b)
{
	cmark_iter	*it = cmark_iter_new(node);
	cmark_event_type ev;
	cmark_node	*n;
	const char	*lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				buf_puts(b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/*
 * The whole document as plain text: the literal text of each block on a
 * line of its own, a table's cells apart by spaces.
 */
/* Ends a block of the plain text with sep, unless it ended already. */
static void
S_text_end(struct buf *b, int sep)
{
	if (b->len > 0 && b->data[b->len - 1] != '\n' &&
	    b->data[b->len - 1] != ' ')
		buf_putc(b, sep);
	else if (b->len > 0 && sep == '\n')
		b->data[b->len - 1] = '\n';
}

static char *
S_text(cmark_node *doc)
{
	cmark_iter	*it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node	*n;
	const char	*lit;
	struct buf	 b = BUF_INIT;
	size_t		 len;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				buf_puts(&b, lit);
			break;
		case CMARK_NODE_CODE_BLOCK:
			if ((lit = cmark_node_get_literal(n)) != NULL)
				buf_puts(&b, lit);
			S_text_end(&b, '\n');
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(&b, ' ');
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_EXIT)
				S_text_end(&b, '\n');
			break;
		case CMARK_NODE_CUSTOM_BLOCK:
			/* a heading with its id, or a table's part: the cells
			 * of a row on its line */
			lit = cmark_node_get_on_enter(n);
			if (ev == CMARK_EVENT_EXIT)
				S_text_end(&b, lit != NULL && (strncmp(lit, "<td", 3) == 0 ||
				    strncmp(lit, "<th", 3) == 0) ? ' ' : '\n');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("");
	}
	/* kept until the index is written: no spare capacity */
	len = b.len + 1;
	return xrealloc(buf_detach(&b), len);
}

/*
 * Where the last needle was found, so that the links of a body, which come
 * in document order, are each found from the one before: finding them is
 * then linear in the body, not in the body times the links.
 */
struct locator {
	int	 line;		/* file line that off starts */
	size_t	 off;
	int	 from;		/* the block line the last hit was looked for at */
	size_t	 hit;		/* and where it was */
	int	 hline, hcol;	/* its file line and column */
	int	 have;
};

/* Characters (code points) in [a, b) of s: the column distance. */
static int
S_columns(const char *s, size_t a, size_t b)
{
	int	 n = 0;

	for (; a < b; a++)
		if (((unsigned char)s[a] & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * Finds where needle first occurs in the body at or after file line
 * `from` (after the last hit, when that was looked for at the same line),
 * and reports its file line and column there. Inline nodes carry no
 * reliable position in cmark, so links are found by their text.
 */
static void
S_locate(const char *text, size_t len, int line0, int from,
    const char *needle, int *line, int *col, struct locator *lc)
{
	size_t		 nl = strlen(needle), start, i, bol;
	const char	*hit;
	int		 ln;

	*line = from > 0 ? from : line0;
	*col = 1;
	if (lc->line < line0 || from < lc->line) {
		/* a table's cell has no line of its own: start again */
		memset(lc, 0, sizeof(*lc));
		lc->line = line0;
	}
	while (lc->off < len && lc->line < from)
		if (text[lc->off++] == '\n')
			lc->line++;
	if (nl == 0)
		return;
	start = lc->have && lc->from == from && lc->hit >= lc->off ?
	    lc->hit + 1 : lc->off;
	if (start > len || (hit = mem_find(text + start, len - start, needle,
	    nl)) == NULL) {
		if (start == lc->off || (hit = mem_find(text + lc->off,
		    len - lc->off, needle, nl)) == NULL)
			return;
		start = lc->off;
		lc->have = 0;
	}
	/* line and column: counted on from the last hit when it is on the
	 * way, else from where the search started */
	if (lc->have && lc->hit <= start && lc->hit < (size_t)(hit - text)) {
		i = lc->hit;
		ln = lc->hline;
		bol = (size_t)-1;
	} else {
		i = lc->off;
		ln = lc->line;
		bol = lc->off;
	}
	for (; i < (size_t)(hit - text); i++)
		if (text[i] == '\n') {
			ln++;
			bol = i + 1;
		}
	*line = ln;
	*col = bol == (size_t)-1 ? lc->hcol + S_columns(text, lc->hit,
	    (size_t)(hit - text)) : 1 + S_columns(text, bol, (size_t)(hit - text));
	lc->from = from;
	lc->hit = (size_t)(hit - text);
	lc->hline = *line;
	lc->hcol = *col;
	lc->have = 1;
}

static int
S_block_line(cmark_node *n)
{
	int	 l;

	for (; n != NULL; n = cmark_node_parent(n))
		if ((l = cmark_node_get_start_line(n)) > 0)
			return l;
	return 1;
}

static void
S_add_id(struct md_out *out, char *id)
{
	out->ids = xrealloc(out->ids, (out->nids + 1) * sizeof(*out->ids));
	out->ids[out->nids++] = id;
}

/* A heading made a block of its own, to be given an id (S_head_id). */
struct head {
	cmark_node	*blk;
	char		*slug;
	int		 level;
};

/*
 * Makes heading h a custom block with its children, which S_head_id()
 * gives the tags of the heading with its id; *hd gets it, with the slug
 * of its text.
 */
static void
S_heading(cmark_node *h, struct head *hd)
{
	struct buf	 t = BUF_INIT;
	cmark_node	*blk, *c;

	hd->level = cmark_node_get_heading_level(h);
	S_plain(h, &t);
	hd->slug = utf8_slug(t.data ? t.data : "", t.len, "section");
	blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &S_mem);
	while ((c = cmark_node_first_child(h)) != NULL) {
		cmark_node_unlink(c);
		cmark_node_append_child(blk, c);
	}
	cmark_node_insert_before(h, blk);
	cmark_node_unlink(h);
	cmark_node_free(h);
	hd->blk = blk;
	buf_free(&t);
}

/*
 * Gives the heading hd its id: the slug of its text after prefix, and if
 * that is taken the same with -2, -3, ... Taken ids are a set and each
 * slug remembers its next number, so N headings of one text cost N steps,
 * not N² or N³.
 */
static void
S_head_id(const struct head *hd, struct md_out *out, const char *prefix,
    struct hmap *used, struct hmap *next)
{
	struct buf	 tag = BUF_INIT;
	char		*slug, *id, open[] = "<hN id=\"", close[] = "</hN>\n";
	size_t		 n;

	slug = prefix != NULL ? xasprintf("%s%s", prefix, hd->slug) :
	    xstrdup(hd->slug);
	id = xstrdup(slug);
	if (hmap_get(used, id) != NULL) {
		n = (size_t)(uintptr_t)hmap_get(next, slug);
		if (n < 2)
			n = 2;
		do {
			free(id);
			id = xasprintf("%s-%zu", slug, n++);
		} while (hmap_get(used, id) != NULL);
		hmap_put(next, slug, (void *)(uintptr_t)n);
	}
	hmap_put(used, id, (void *)1);
	free(slug);
	S_add_id(out, id);
	/* <hN id="..."> and </hN>: N is 1 to 6, a digit */
	open[2] = close[3] = (char)('0' + hd->level);
	buf_puts(&tag, open);
	buf_put_html(&tag, id, strlen(id));
	buf_puts(&tag, "\">");
	cmark_node_set_on_enter(hd->blk, tag.data);
	cmark_node_set_on_exit(hd->blk, close);
	buf_free(&tag);
}

/* The headings' ids with prefix, and the document in HTML, into out. */
static void
S_finish(cmark_node *doc, int opts, const struct head *heads, size_t nheads,
    const char *prefix, struct md_out *out)
{
	struct hmap	 used = { 0 }, next = { 0 };
	char		*href;
	size_t		 i;

	for (i = 0; i < nheads; i++)
		S_head_id(&heads[i], out, prefix, &used, &next);
	hmap_free(&used);
	hmap_free(&next);
	href = cmark_render_html(doc, opts);
	buf_puts(&out->html, href);
	S_mem.free(href);
}

/*---- Pipe tables (GitHub Flavored Markdown's syntax) ----------------------*/

/* A place in the body text: line (1-based) and the offset it starts at.
 * Lines are only ever looked up forwards, so a scan is linear. */
struct linepos {
	int	 line;
	size_t	 off;
};

/* The [start, end) of line n (n >= at->line) of text, without its newline
 * (and carriage return), moving at there; 0 when text has fewer lines. */
static int
S_line(const char *text, size_t len, struct linepos *at, int n,
    size_t *start, size_t *end)
{
	size_t	 i = at->off;

	for (; at->line < n; at->line++) {
		while (i < len && text[i] != '\n')
			i++;
		if (i++ >= len)
			return 0;
		at->off = i;
	}
	if (i >= len)
		return 0;
	*start = i;
	while (i < len && text[i] != '\n')
		i++;
	*end = i > *start && text[i - 1] == '\r' ? i - 1 : i;
	return 1;
}

/*
 * Splits a table row [s, e) into cells at unescaped '|', without the
 * outer pipes; stores up to max [start, end) pairs (trimmed) and returns
 * the count. A row without any '|' has 0 cells.
 */
static size_t
S_cells(const char *t, size_t s, size_t e, size_t *cs, size_t *ce, size_t max)
{
	size_t	 n = 0, i, from;
	int	 pipe = 0;

	while (s < e && (t[s] == ' ' || t[s] == '\t'))
		s++;
	while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	if (s < e && t[s] == '|') {
		s++;
		pipe = 1;
	}
	if (e > s && t[e - 1] == '|' && (e - 1 == s || t[e - 2] != '\\')) {
		e--;
		pipe = 1;
	}
	for (i = s; i < e; i++)
		if (t[i] == '\\' && i + 1 < e)
			i++;
		else if (t[i] == '|')
			pipe = 1;
	if (!pipe)
		return 0;
	for (from = i = s; i <= e; i++) {
		if (i < e && t[i] == '\\' && i + 1 < e) {
			i++;
			continue;
		}
		if (i < e && t[i] != '|')
			continue;
		if (n == max)
			return max + 1;
		cs[n] = from;
		ce[n] = i;
		while (cs[n] < ce[n] && (t[cs[n]] == ' ' || t[cs[n]] == '\t'))
			cs[n]++;
		while (ce[n] > cs[n] && (t[ce[n] - 1] == ' ' || t[ce[n] - 1] == '\t'))
			ce[n]--;
		n++;
		from = i + 1;
	}
	return n;
}

enum { AL_NONE, AL_LEFT, AL_CENTER, AL_RIGHT };
#define MAXCOLS	64

/* The alignment of a delimiter cell (":--", "--:", ":-:", "---"), or -1. */
static int
S_delim(const char *t, size_t s, size_t e)
{
	int	 l = 0, r = 0;

	if (s < e && t[s] == ':') {
		l = 1;
		s++;
	}
	if (e > s && t[e - 1] == ':') {
		r = 1;
		e--;
	}
	if (s == e)
		return -1;
	for (; s < e; s++)
		if (t[s] != '-')
			return -1;
	return l && r ? AL_CENTER : r ? AL_RIGHT : l ? AL_LEFT : AL_NONE;
}

static cmark_node *
S_custom(cmark_node *parent, const char *enter, const char *exit)
{
	cmark_node	*n = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &S_mem);

	cmark_node_set_on_enter(n, enter);
	cmark_node_set_on_exit(n, exit);
	cmark_node_append_child(parent, n);
	return n;
}

/* A cell: its text [s, e) parsed as inline Markdown into a th or td. */
static void
S_cell(cmark_node *row, const char *t, size_t s, size_t e, int header,
    int align, int opts)
{
	static const char *const cls[] = { "", " class=\"left\"",
	    " class=\"center\"", " class=\"right\"" };
	struct buf	 b = BUF_INIT, src = BUF_INIT;
	cmark_parser	*p;
	cmark_node	*cell, *doc, *para, *c;
	size_t		 i;

	buf_printf(&b, "<%s%s>", header ? "th" : "td", cls[align]);
	cell = S_custom(row, b.data, header ? "</th>" : "</td>");
	/* "\|" is a pipe inside a cell; everything else is cmark's */
	for (i = s; i < e; i++) {
		if (t[i] == '\\' && i + 1 < e && t[i + 1] == '|')
			i++;
		buf_putc(&src, t[i]);
	}
	if (src.len > 0) {
		p = cmark_parser_new_with_mem(opts, &S_mem);
		cmark_parser_feed(p, src.data, src.len);
		doc = cmark_parser_finish(p);
		cmark_parser_free(p);
		para = cmark_node_first_child(doc);
		if (para != NULL && cmark_node_get_type(para) ==
		    CMARK_NODE_PARAGRAPH)
			while ((c = cmark_node_first_child(para)) != NULL) {
				cmark_node_unlink(c);
				cmark_node_append_child(cell, c);
			}
		cmark_node_free(doc);
	}
	buf_free(&b);
	buf_free(&src);
}

/*
 * A top-level paragraph whose lines are a header row, a delimiter row and
 * body rows, as in GitHub Flavored Markdown, becomes a table. Body rows
 * with fewer cells are padded, extra cells dropped (as GFM does).
 */
static void
S_table(cmark_node *para, const char *text, size_t len, int opts,
    struct linepos *at)
{
	size_t		 hs[MAXCOLS + 1], he[MAXCOLS + 1], ds[MAXCOLS + 1],
			 de[MAXCOLS + 1], rs[MAXCOLS + 1], re[MAXCOLS + 1];
	size_t		 hls, hle, ls, le, nh, nd, nr, i;
	int		 first = cmark_node_get_start_line(para);
	int		 last = cmark_node_get_end_line(para), ln, al[MAXCOLS];
	cmark_node	*table, *head, *body, *row;

	if (first <= 0 || last <= first || first < at->line ||
	    !S_line(text, len, at, first, &hls, &hle) ||
	    (nh = S_cells(text, hls, hle, hs, he, MAXCOLS)) == 0 ||
	    nh > MAXCOLS || !S_line(text, len, at, first + 1, &ls, &le) ||
	    (nd = S_cells(text, ls, le, ds, de, MAXCOLS)) != nh)
		return;
	for (i = 0; i < nd; i++)
		if ((al[i] = S_delim(text, ds[i], de[i])) < 0)
			return;
	table = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &S_mem);
	cmark_node_set_on_enter(table, "<div class=\"table\"><table>\n");
	cmark_node_set_on_exit(table, "</table></div>\n");
	head = S_custom(table, "<thead>\n", "</thead>\n");
	row = S_custom(head, "<tr>", "</tr>\n");
	for (i = 0; i < nh; i++)
		S_cell(row, text, hs[i], he[i], 1, al[i], opts);
	body = S_custom(table, "<tbody>\n", "</tbody>\n");
	for (ln = first + 2; ln <= last && S_line(text, len, at, ln, &ls, &le);
	    ln++) {
		nr = S_cells(text, ls, le, rs, re, MAXCOLS);
		if (nr > MAXCOLS)
			nr = MAXCOLS;
		if (nr == 0) {
			/* a row without '|' is one cell */
			rs[0] = ls;
			re[0] = le;
			nr = 1;
		}
		row = S_custom(body, "<tr>", "</tr>\n");
		for (i = 0; i < nh; i++)
			S_cell(row, text, i < nr ? rs[i] : 0, i < nr ? re[i] : 0,
			    0, al[i], opts);
	}
	cmark_node_insert_before(para, table);
	cmark_node_unlink(para);
	cmark_node_free(para);
}

/* Are a and b text nodes ending and starting with CJK characters? */
static int
S_cjk_join(cmark_node *a, cmark_node *b)
{
	const char	*x, *y;

	if (a == NULL || b == NULL || cmark_node_get_type(a) != CMARK_NODE_TEXT ||
	    cmark_node_get_type(b) != CMARK_NODE_TEXT)
		return 0;
	x = cmark_node_get_literal(a);
	y = cmark_node_get_literal(b);
	return x && y && utf8_is_cjk(utf8_last(x, strlen(x))) &&
	    utf8_is_cjk(utf8_first(y, strlen(y)));
}

/*
 * "**政府交流：** 推动": CommonMark needs the space after the closing
 * marker (it follows punctuation), but Chinese sets no gap after a
 * full-width mark. A text node that starts with spaces right after strong
 * or emphasised text ending in CJK punctuation loses them.
 */
static void
S_cjk_lead_in(cmark_node *n)
{
	cmark_node	*prev = cmark_node_previous(n), *last;
	const char	*lit = cmark_node_get_literal(n), *x, *p;
	cmark_node_type	 t;

	if (prev == NULL || lit == NULL || *lit != ' ')
		return;
	t = cmark_node_get_type(prev);
	if (t != CMARK_NODE_STRONG && t != CMARK_NODE_EMPH)
		return;
	for (last = cmark_node_last_child(prev); last != NULL &&
	    cmark_node_get_type(last) != CMARK_NODE_TEXT;
	    last = cmark_node_last_child(last))
		;
	if (last == NULL || (x = cmark_node_get_literal(last)) == NULL ||
	    *x == '\0' || !utf8_is_cjk_punct(utf8_last(x, strlen(x))))
		return;
	for (p = lit; *p == ' '; p++)
		;
	cmark_node_set_literal(n, p);
}

/* Warns about '*' or '_' runs that stayed text next to CJK punctuation. */
static void
S_check_emphasis(cmark_node *n, const char *lit, const char *text, size_t len,
    const struct md_opts *o)
{
	size_t		 i, k, l = strlen(lit);
	int32_t		 before, after;
	int		 line, col;

	for (i = 0; i < l; i = k) {
		if (lit[i] != '*' && lit[i] != '_') {
			k = i + 1;
			continue;
		}
		for (k = i; k < l && lit[k] == lit[i]; k++)
			;
		before = i > 0 ? utf8_last(lit, i) : -1;
		after = k < l ? utf8_first(lit + k, l - k) : -1;
		if ((before >= 0 && utf8_is_cjk_punct(before)) ||
		    (after >= 0 && utf8_is_cjk_punct(after))) {
			char	 run[8];

			snprintf(run, sizeof(run), "%.*s", (int)(k - i < 4 ? k - i : 4),
			    lit + i);
			{
				struct locator	 lc = { 0 };

				S_locate(text, len, o->line0, o->line0 - 1 +
				    S_block_line(n), run, &line, &col, &lc);
			}
			diag_warn(o->path, line, col,
			    "'%s' next to CJK punctuation is not emphasis in "
			    "CommonMark; put the punctuation outside the markers "
			    "or a space around them", run);
			return;
		}
	}
}

/* A body link as written, for the second rendering (md_render2()). */
struct mdlink {
	cmark_node	*n;
	char		*url, *target;	/* "@/target#anchor", and target */
	int		 line, col;
};

void
md_render(const char *text, size_t len, const struct md_opts *o,
    struct md_out *out)
{
	md_render2(text, len, o, out, NULL, NULL);
}

void
md_render2(const char *text, size_t len, const struct md_opts *o,
    struct md_out *out, const struct md_opts *po, struct md_out *pout)
{
	cmark_parser	*parser;
	cmark_node	*doc, *n, *nx, **heads = NULL, **breaks = NULL;
	struct head	*hd;
	struct mdlink	*links = NULL, *lk;
	size_t		 nlinks = 0;
	struct linepos	 at = { 1, 0 };
	struct locator	 loc = { 0 };
	cmark_iter	*it;
	cmark_event_type ev;
	size_t		 nheads = 0, nbreaks = 0, i;
	const char	*url, *lit, *hash;
	char		*target, *href;
	int		 line, col, opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART,
			 warned_html = 0;
	struct buf	 lead = BUF_INIT;

	memset(out, 0, sizeof(*out));
	if (pout != NULL)
		memset(pout, 0, sizeof(*pout));
	if (o->unsafe)
		opts |= CMARK_OPT_UNSAFE;
	parser = cmark_parser_new_with_mem(opts, &S_mem);
	cmark_parser_feed(parser, text, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	/* tables first, so that their cells' links are resolved below */
	for (n = cmark_node_first_child(doc); n != NULL; n = nx) {
		nx = cmark_node_next(n);
		if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH)
			S_table(n, text, len, opts, &at);
	}
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING:
			heads = xrealloc(heads, (nheads + 1) * sizeof(*heads));
			heads[nheads++] = n;
			break;
		case CMARK_NODE_PARAGRAPH:
			if (out->lead == NULL && lead.len == 0 &&
			    cmark_node_get_type(cmark_node_parent(n)) ==
			    CMARK_NODE_DOCUMENT)
				S_plain(n, &lead);
			break;
		case CMARK_NODE_SOFTBREAK:
			if (S_cjk_join(cmark_node_previous(n), cmark_node_next(n))) {
				breaks = xrealloc(breaks, (nbreaks + 1) * sizeof(*breaks));
				breaks[nbreaks++] = n;
			}
			break;
		case CMARK_NODE_TEXT:
			S_cjk_lead_in(n);
			lit = cmark_node_get_literal(n);
			if ((target = utf8_nowrap(lit)) != NULL) {
				cmark_node_set_literal(n, target);
				free(target);
				lit = cmark_node_get_literal(n);
			}
			out->words += utf8_count_words(lit, strlen(lit));
			if (strchr(lit, '*') != NULL || strchr(lit, '_') != NULL)
				S_check_emphasis(n, lit, text, len, o);
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (!o->unsafe && !warned_html) {
				line = o->line0 - 1 + S_block_line(n);
				diag_warn(o->path, line, 0,
				    "raw HTML is left out (set unsafe_html: true in "
				    "content/site.yaml to keep it)");
				warned_html = 1;
			}
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			if (url == NULL || strncmp(url, "@/", 2) != 0)
				break;
			S_locate(text, len, o->line0, o->line0 - 1 + S_block_line(n),
			    url, &line, &col, &loc);
			hash = strchr(url, '#');
			target = hash ? xstrndup(url + 2, (size_t)(hash - url - 2)) :
			    xstrdup(url + 2);
			href = o->resolve(o->ud, target, hash ? hash + 1 : NULL,
			    o->path, line, col);
			if (po != NULL) {	/* kept: the url goes next */
				links = xgrow(links, nlinks, sizeof(*links));
				lk = &links[nlinks++];
				lk->n = n;
				lk->url = xstrdup(url);
				lk->target = target;
				lk->line = line;
				lk->col = col;
			} else
				free(target);
			if (href != NULL) {
				cmark_node_set_url(n, href);
				free(href);
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	/* Soft breaks between CJK characters: the texts join. */
	for (i = 0; i < nbreaks; i++) {
		cmark_node_unlink(breaks[i]);
		cmark_node_free(breaks[i]);
	}
	hd = xcalloc(nheads + 1, sizeof(*hd));
	for (i = 0; i < nheads; i++)
		S_heading(heads[i], &hd[i]);
	free(breaks);
	free(heads);
	if (lead.len)
		out->lead = buf_detach(&lead);
	if (o->text)
		out->text = S_text(doc);
	S_finish(doc, opts, hd, nheads, o->id_prefix, out);
	/* the second rendering: the same document, its links resolved and
	 * its headings named as po has them */
	if (po != NULL) {
		pout->words = out->words;
		pout->lead = out->lead != NULL ? xstrdup(out->lead) : NULL;
		for (i = 0; i < nlinks; i++) {
			lk = &links[i];
			hash = strchr(lk->url, '#');
			href = po->resolve(po->ud, lk->target, hash ? hash + 1 :
			    NULL, o->path, lk->line, lk->col);
			cmark_node_set_url(lk->n, href != NULL ? href : lk->url);
			free(href);
		}
		if (po->text)
			pout->text = S_text(doc);
		S_finish(doc, opts, hd, nheads, po->id_prefix, pout);
	}
	for (i = 0; i < nlinks; i++) {
		free(links[i].url);
		free(links[i].target);
	}
	free(links);
	for (i = 0; i < nheads; i++)
		free(hd[i].slug);
	free(hd);
	cmark_node_free(doc);
}

void
md_out_free(struct md_out *out)
{
	size_t	 i;

	buf_free(&out->html);
	for (i = 0; i < out->nids; i++)
		free(out->ids[i]);
	free(out->ids);
	free(out->lead);
	free(out->text);
	memset(out, 0, sizeof(*out));
}
