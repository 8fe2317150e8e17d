/*
 * load.h - the load stage: read content/, decode it to NFC UTF-8 with LF
 * line ends, split and parse the YAML front matter.
 *
 * Decoding, in this order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE)
 * decides; otherwise an `encoding:` line in the front matter (other than
 * UTF-8) is converted through iconv(3); otherwise valid UTF-8 is taken as
 * it is; otherwise the site's source_encoding, if set; otherwise an error at
 * the first invalid byte's line and column.
 */
#ifndef BR_LOAD_H
#define BR_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "ytree.h"

#define LOAD_MAX_BYTES	(8u * 1024 * 1024)

struct source {
	char		*path;		/* as shown in messages: content/china/wuhan.zh.md */
	char		*section;	/* directory under content/, or NULL */
	char		*id;		/* file name less .LANG.md */
	char		*lang;
	char		*text;		/* the whole decoded file, NUL-terminated */
	size_t		 len;
	struct ynode	*fm;		/* front matter: a mapping */
	const char	*body;		/* into text */
	size_t		 body_len;
	int		 body_line;	/* file line of the body's first line */
	uint64_t	 fm_hash;	/* of the bytes before the body */
	struct tstore	*store;		/* where text lives, or NULL: malloc */
	void		*ext;		/* load_content()'s hook's, or NULL */
};

struct source_list {
	struct source	**v;
	size_t		  n;
	char		**failed;	/* "section/id" of pages that failed to load */
	size_t		  nfailed;
};

/*
 * Reads a file and decodes it to NFC UTF-8 with LF line ends. path is the
 * file to open, shown the name to report. Returns the text (caller frees)
 * and its length, or NULL after reporting an error.
 */
char	*load_text(const char *path, const char *shown,
	    const char *source_encoding, size_t *len);
/*
 * Loads one Markdown page: decodes it, splits the front matter and parses
 * it. Returns NULL after reporting an error. Free with source_free().
 */
struct source *load_page(const char *path, const char *shown,
	    const char *source_encoding);
/* Parses a whole YAML data file; NULL after reporting an error. */
struct ynode *load_yaml(const char *path, const char *shown);
/*
 * Walks dir/ (the content directory, shown as shown/) in sorted order and
 * loads every page of every section directory: files named ID.LANG.md,
 * LANG one of langs (NULL-terminated). Top-level files are not pages and
 * are left to the model; hidden files and names ending in ~ are skipped.
 * Errors are reported and the offending file left out. hook, if not NULL,
 * is called with each page loaded (its section, id and lang set) and ud,
 * on the thread that loaded it, any number at once: the caller's own work
 * on one page, done while its front matter is fresh, kept in src->ext.
 */
typedef void	(*load_hook_fn)(struct source *src, void *ud);
void	 load_content(const char *dir, const char *shown,
	    const char *const *langs, const char *source_encoding,
	    struct source_list *out, load_hook_fn hook, void *ud);
void	 source_free(struct source *);
/*
 * Frees the source's text (and body) once nothing reads it again. Page
 * texts are kept in shared chunks mapped from the system, each returned
 * to it when the last of its texts goes: memory drops as pages render,
 * instead of leaving holes between the YAML trees made at the same time.
 */
void	 source_drop_text(struct source *);
void	 source_list_free(struct source_list *);

#endif
