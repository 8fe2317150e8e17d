/*
 * search.h - the search index of one language, written at build time and
 * read by the search page's script (layouts/static/assets/search.js).
 *
 * A term is a Latin word (any letters or digits, folded: compatibility
 * decomposition, marks stripped, case folded, and ł, ø, æ, ß... spelled
 * in ASCII, so "Bacau" finds "Bacău"), or one Han character, or two Han
 * characters written next to each other (a bigram). Chinese has no spaces
 * between words: a query of Han characters is looked up by its bigrams,
 * and the script then checks that the documents hold the whole phrase.
 *
 * Files, under dir:
 *   index.json    {"version", "lang", "sections": [[id, name]...],
 *                 "clusters": [[id, name]...], "shards": [file...],
 *                 "docs": [[url, title, section, [cluster...], shard,
 *                 date]...], "terms": [term...] (sorted by bytes),
 *                 "postings": [[doc, delta, delta...]...] (per term, the
 *                 documents that hold it, ascending, as differences)}
 *   text-N.json   {"first": doc, "docs": [[names, description, keys,
 *                 body]...]}: the texts the script checks, ranks and
 *                 quotes, a shard of about 160 KB, loaded when one of its
 *                 documents matches.
 */
#ifndef BR_SEARCH_H
#define BR_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct writer;

struct search_doc {
	const char	*url;		/* from the site's root */
	const char	*title;
	const char	*names;		/* its titles in the other languages */
	const char	*desc;		/* its description, or NULL */
	const char	*keys;		/* cluster, country... names, or NULL */
	const char	*text;		/* the body as plain text, or NULL */
	const char	*date;		/* YYYY-MM-DD, or NULL */
	int		 section;	/* in search_meta.sections */
	const int	*clusters;	/* in search_meta.clusters */
	size_t		 nclusters;
};

struct search_meta {
	const char		*lang;		/* the language's tag */
	const char *const	*sections;	/* id, name, id, name... */
	size_t			 nsections;
	const char *const	*clusters;	/* id, name pairs */
	size_t			 nclusters;
};

/*
 * Writes dir/index.json and dir/text-N.json for the n documents. Returns
 * 0, or -1 when the writer failed (it said why).
 */
int	search_write(struct writer *, const char *dir,
	    const struct search_meta *, const struct search_doc *, size_t n);

/* Appends the folded form of code point cp (see above) to b. Han is kept. */
void	search_fold(struct buf *b, int32_t cp);

#endif
