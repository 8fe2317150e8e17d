/*
 * sitemap.h - sitemap.xml: one <urlset>, or, for a site with more
 * addresses than one sitemap may list, an index of several.
 *
 * The sitemaps.org protocol caps a sitemap at 50,000 URLs and 50 MB
 * (uncompressed). Entries are split across sitemap-1.xml, sitemap-2.xml,
 * ... in order, and sitemap.xml becomes a <sitemapindex> naming them by
 * their published addresses. A site within both limits gets sitemap.xml
 * alone, as always. Parts are written as they fill, so memory holds one.
 */
#ifndef BR_SITEMAP_H
#define BR_SITEMAP_H

#include <stddef.h>

#include "buf.h"

#define SITEMAP_MAX_URLS	50000
#define SITEMAP_MAX_BYTES	((size_t)50 * 1024 * 1024)

/* Writes one file of the site (rel under the output directory); -1 fails. */
typedef int (*sitemap_put_fn)(void *ud, const char *rel, const char *data,
    size_t len);

struct sitemap {
	const char	*base;		/* base_url, ending in '/' */
	size_t		 max_urls, max_bytes;
	sitemap_put_fn	 put;
	void		*ud;
	struct buf	 part;		/* the part being filled */
	size_t		 nurls;		/* in it */
	size_t		 nparts;	/* written already */
	size_t		 nfiles;	/* files put */
	int		 failed;
};

void	sitemap_init(struct sitemap *, const char *base, size_t max_urls,
	    size_t max_bytes, sitemap_put_fn, void *ud);
/* Adds one <url> element (len bytes of XML, escaped already). */
void	sitemap_url(struct sitemap *, const char *xml, size_t len);
/* Writes what is left and, if there are parts, the index; frees the
 * buffer. Returns 0, or -1 if a put failed. */
int	sitemap_finish(struct sitemap *);

#endif
