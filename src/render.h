/*
 * render.h - the render stage: every page of the site, in every language,
 * through the Mustache layouts, into the writer.
 *
 * Outputs (paths relative to the output directory; every link in them is
 * relative, written {{root}}{{url}} by the layouts):
 *
 *	index.html				cover: both titles, a way into each language
 *	LANG/index.html				home
 *	LANG/SECTION/index.html			a section's list
 *	LANG/SECTION/SLUG/index.html		a page
 *	LANG/clusters/index.html		the thematic structure
 *	LANG/clusters/ID/index.html		a cluster or a cross-cutting challenge
 *	LANG/networks/ID/index.html		a thematic network
 *	LANG/partners/index.html		the partnerships
 *	404.html, sitemap.xml (when site.yaml has base_url; an index of
 *	sitemap-N.xml past the protocol's limits: sitemap.h), layouts/static/...
 */
#ifndef BR_RENDER_H
#define BR_RENDER_H

#include <stdio.h>

#include "model.h"
#include "write.h"

struct render_stats {
	size_t	 pages[MAXLANG];	/* HTML pages per language */
	size_t	 files;			/* every file put to the writer */
	double	 pages_s;		/* the pages, on every thread */
	double	 lists_s;		/* the list pages, a thread per language */
};

/*
 * Renders the whole site into w. Errors are reported through diag; the
 * caller commits the writer only when diag_errors() stayed zero. Returns
 * 0, or -1 when something failed. With exiting set, the process ends
 * after this build: what the render made (page references, the search
 * index, the templates) is left for the exit to reclaim, except under
 * AddressSanitizer, where freeing it is checked.
 */
int	render_site(struct site *, struct writer *, struct render_stats *,
	    int exiting);
/*
 * Renders the web pages pages[i] in languages langs[i] (n of them) into w,
 * and nothing else: for brochure serve, which shows an edited page at once
 * and builds the rest after. Links to other pages' headings are not
 * checked. Returns 0, or -1 when something failed (diag says what).
 */
int	render_pages(struct site *, struct writer *, struct page *const *pages,
	    const int *langs, size_t n);
/*
 * Prints the translation table (which page exists in which language, which
 * UI strings are missing where) to f. Loads the UI strings itself.
 */
void	render_translation_table(struct site *, FILE *f);
/*
 * Prints every page's source note (the editors' notes that the public pages
 * leave out) as "path:line:col: note: text", one line each, in page order.
 */
void	render_source_notes(struct site *, FILE *f);

#endif
