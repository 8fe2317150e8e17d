/*
 * write.h - the write stage: put the site on disk without ever showing a
 * half-built state.
 *
 * writer_put() compares each file with what is on disk: identical bytes
 * leave the file alone (and its inode, so rebuilds do not churn the disk);
 * different bytes go to a temporary file beside the target. Nothing is
 * visible until writer_commit() renames the temporaries over their
 * targets and removes the files of the previous build that this one did
 * not produce. writer_abort() removes the temporaries and the directories
 * it created, leaving the previous site as it was.
 *
 * When the output directory does not exist yet, nothing can read it before
 * the build ends: files are written straight to their names, and an abort
 * removes the directory.
 *
 * An output directory that exists, is not empty and has no .brochure
 * marker was not made by brochure: the writer refuses it rather than
 * delete files it does not own. Safe to call writer_put() from several
 * threads.
 */
#ifndef BR_WRITE_H
#define BR_WRITE_H

#include <stddef.h>

struct writer;
struct wfile;

struct write_stats {
	size_t	 written;	/* new or changed files */
	size_t	 unchanged;
	size_t	 removed;	/* stale files of the previous build */
};

/*
 * Opens the output directory dir (created on commit if missing). With
 * dry set nothing is written (brochure check). Returns NULL after
 * reporting why the directory cannot be used.
 */
struct writer	*writer_new(const char *dir, int dry);
/*
 * Adds the file at rel (a relative path of safe segments) with the given
 * bytes. Returns 0, or -1 after reporting an error (two outputs at one
 * path, an I/O error).
 */
int		 writer_put(struct writer *, const char *rel, const void *data,
		    size_t len);
/*
 * A file written in pieces, for an output too large to hold whole (the
 * print edition): writer_open() claims rel as writer_put() does (NULL
 * after reporting an error), wfile_put() appends (buffered; an I/O error
 * is reported once and the rest ignored), writer_close() finishes it and
 * frees f: returns 0, or -1 if anything failed. Until the commit, the
 * bytes wait in a temporary as writer_put()'s do, and a file that comes
 * out identical to the one on disk leaves that one alone. One thread at
 * a time per file.
 */
struct wfile	*writer_open(struct writer *, const char *rel);
void		 wfile_put(struct wfile *, const void *data, size_t len);
int		 writer_close(struct wfile *);
/* Copies the file at src (absolute or relative to the cwd) to rel. */
int		 writer_copy(struct writer *, const char *rel, const char *src);
/*
 * Marks rel as belonging to the site though this build does not write it
 * (a file another tool makes, such as the PDFs), so commit keeps it.
 */
void		 writer_keep(struct writer *, const char *rel);
/*
 * This build writes some files of the site, not all: the commit leaves
 * the files it did not write where they are (brochure serve's first look
 * at an edited page).
 */
void		 writer_partial(struct writer *);
/*
 * Records the paths (relative) this build writes, new or changed, and the
 * stale files its commit removes; writer_wrote() hands them over (the
 * caller frees each and the array): brochure serve reloads only the open
 * pages whose files changed.
 */
void		 writer_track(struct writer *);
char		**writer_wrote(struct writer *, size_t *n);
/* Has rel been produced? (For the internal link check.) */
int		 writer_has(const struct writer *, const char *rel);
/* Did a file-system operation fail (an environment error, exit 2)? */
int		 writer_failed(struct writer *);
/* The output directory the writer was made for. */
const char	*writer_dir(const struct writer *);
int		 writer_commit(struct writer *, struct write_stats *);
void		 writer_abort(struct writer *);
void		 writer_free(struct writer *);

#endif
