/*
 * md.h - Markdown bodies to HTML with cmark, the brochure's way.
 *
 * On top of CommonMark (safe mode unless the site opts in to raw HTML):
 *   - links written @/section/id.md or @/section/id.md#anchor are resolved
 *     through a callback to the same-language page; an unresolved one is an
 *     error at its line and column in the source file;
 *   - headings get ids (slugs that keep Han characters and are never empty);
 *   - pipe tables in GitHub Flavored Markdown's syntax (header row, delimiter
 *     row with optional ':' alignment, body rows) at the top level of the
 *     body become tables; their cells are inline Markdown;
 *   - a soft line break between two CJK characters renders as nothing;
 *   - emphasis markers left unparsed next to CJK punctuation (a CommonMark
 *     gap) and dropped raw HTML are reported as warnings.
 */
#ifndef BR_MD_H
#define BR_MD_H

#include <stddef.h>

#include "buf.h"

/*
 * Resolves target (the part after "@/", without the anchor) for the page
 * being rendered. Returns the href to use in a new string (caller frees), or
 * NULL after reporting the error itself at path:line:col.
 */
typedef char *(*md_resolve_fn)(void *ud, const char *target,
		    const char *anchor, const char *path, int line, int col);

struct md_opts {
	const char	*path;		/* the source file, for messages */
	int		 line0;		/* file line of the body's first line */
	int		 unsafe;	/* keep raw HTML */
	const char	*id_prefix;	/* put before every heading id, or NULL */
	md_resolve_fn	 resolve;
	void		*ud;
	int		 text;		/* set out.text too */
};

struct md_out {
	struct buf	  html;
	char		**ids;		/* heading ids, in order */
	size_t		  nids;
	size_t		  words;	/* Han characters + Latin words */
	char		 *lead;		/* the first paragraph as plain text */
	char		 *text;		/* with opts.text: the body as plain
					 * text, a block a line (search) */
};

/* Renders text (len bytes) into out; the caller frees with md_out_free(). */
void	md_render(const char *text, size_t len, const struct md_opts *,
	    struct md_out *out);
/*
 * The same, and from the same parse a second rendering into pout (when po
 * is not NULL): each link resolved again by po's resolve (with o's path and
 * positions), the headings' ids made with po's id_prefix, the text with
 * po's text. The web page and its print edition's article for one parse;
 * warnings about the text itself come once, from the first.
 */
void	md_render2(const char *text, size_t len, const struct md_opts *,
	    struct md_out *out, const struct md_opts *po, struct md_out *pout);
void	md_out_free(struct md_out *);

#endif
