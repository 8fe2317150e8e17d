/*
 * search.h - the search index of one language, written at build time and
 * read by the search page's script (layouts/static/assets/search.js).
 *
 * A term is a Latin word (any letters or digits, folded: compatibility
 * decomposition, marks stripped, case folded, and ł, ø, æ, ß... spelled
 * in ASCII, so "Bacau" finds "Bacău"), or two Han characters written next
 * to each other (a bigram), or a Han character written alone. Chinese has
 * no spaces between words: a query of Han characters is looked up by its
 * bigrams (one character: by the bigrams that hold it), and the script
 * then checks that the documents hold the whole phrase.
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
 *                 quotes, SEARCH_SHARD_DOCS documents a shard, loaded
 *                 when one of its documents matches (a small site's
 *                 with the index).
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

/* Documents per text shard. */
#define SEARCH_SHARD_DOCS	64

/*
 * One language's index, made a shard at a time: search_new(ndocs), then
 * search_shard() for each shard k (documents k * SEARCH_SHARD_DOCS on, in
 * any order, from any thread, each once), then search_finish(); free with
 * search_free().
 */
struct search_index;

struct search_index *search_new(size_t ndocs);
/*
 * Reads the terms of shard k's documents (docs: its documents, all their
 * fields) and writes dir/text-K.json. Returns 0, or -1 when the writer
 * failed (it said why).
 */
int	search_shard(struct search_index *, struct writer *, const char *dir,
	    size_t k, const struct search_doc *docs);
/*
 * Writes dir/index.json (docs: every document; the texts are not read),
 * streamed to its file a few hundred kilobytes at a time. Returns 0 or
 * -1, as search_shard().
 */
int	search_finish(struct search_index *, struct writer *, const char *dir,
	    const struct search_meta *, const struct search_doc *docs);
void	search_free(struct search_index *);
/* Frees the calling thread's scratch table (after its last shard). */
void	search_thread_done(void);

/* Appends the folded form of code point cp (see above) to b. Han is kept. */
void	search_fold(struct buf *b, int32_t cp);

#endif
