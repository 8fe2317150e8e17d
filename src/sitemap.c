/*
 * sitemap.c - sitemap.xml, split into an index and parts when it has to be.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "sitemap.h"

#define DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NS	"http://www.sitemaps.org/schemas/sitemap/0.9"
#define HEAD	DECL "<urlset xmlns=\"" NS "\"\n" \
	"        xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
#define TAIL	"</urlset>\n"
#define PART	"sitemap-%zu.xml"	/* the name of part N */

void
sitemap_init(struct sitemap *m, const char *base, size_t max_urls,
    size_t max_bytes, sitemap_put_fn put, void *ud)
{
	memset(m, 0, sizeof(*m));
	m->base = base;
	m->max_urls = max_urls;
	m->max_bytes = max_bytes;
	m->put = put;
	m->ud = ud;
	buf_puts(&m->part, HEAD);
}

static void
S_put(struct sitemap *m, const char *rel, const struct buf *b)
{
	if (m->put(m->ud, rel, b->data, b->len) == -1)
		m->failed = 1;
	m->nfiles++;
}

/* Closes the part being filled and writes it as sitemap-N.xml. */
static void
S_flush(struct sitemap *m)
{
	char	 rel[64];

	buf_puts(&m->part, TAIL);
	snprintf(rel, sizeof(rel), PART, ++m->nparts);
	S_put(m, rel, &m->part);
	buf_reset(&m->part);
	buf_puts(&m->part, HEAD);
	m->nurls = 0;
}

void
sitemap_url(struct sitemap *m, const char *xml, size_t len)
{
	/* a part holds at least one entry, however long */
	if (m->nurls > 0 && (m->nurls == m->max_urls ||
	    m->part.len + len + strlen(TAIL) > m->max_bytes))
		S_flush(m);
	buf_put(&m->part, xml, len);
	m->nurls++;
}

int
sitemap_finish(struct sitemap *m)
{
	struct buf	 ix = BUF_INIT;
	size_t		 i;

	if (m->nparts == 0) {
		buf_puts(&m->part, TAIL);
		S_put(m, "sitemap.xml", &m->part);
	} else {
		S_flush(m);
		buf_puts(&ix, DECL "<sitemapindex xmlns=\"" NS "\">\n");
		for (i = 1; i <= m->nparts; i++) {
			buf_puts(&ix, "  <sitemap>\n    <loc>");
			buf_put_html(&ix, m->base, strlen(m->base));
			buf_printf(&ix, PART, i);
			buf_puts(&ix, "</loc>\n  </sitemap>\n");
		}
		buf_puts(&ix, "</sitemapindex>\n");
		S_put(m, "sitemap.xml", &ix);
		buf_free(&ix);
	}
	buf_free(&m->part);
	return m->failed ? -1 : 0;
}
