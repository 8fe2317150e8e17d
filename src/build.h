/*
 * build.h - one run of the pipeline, as brochure build, check and serve
 * use it.
 */
#ifndef BR_BUILD_H
#define BR_BUILD_H

#include <stddef.h>
#include <stdio.h>

struct site;

struct build_opts {
	const char	*dir;		/* the project directory */
	const char	*out;		/* the output directory, or NULL for dir/site */
	int		 dry;		/* check: write nothing */
	int		 strict;
	int		 quiet;		/* no summary line */
	int		 timings;
	int		 keep_diag;	/* leave diagnostics pending (diag_text) */
	FILE		*table;		/* print the translation table here, or NULL */
	/* the process exits after this run: the site model is left for the
	 * exit to reclaim (0.1 s at 10,000 profiles), except under
	 * AddressSanitizer, where freeing it is checked */
	int		 exiting;
	/* brochure serve: hand the model back in build_result.site, for
	 * build_pages(); free it with build_site_free() */
	int		 keep;
};

struct build_result {
	size_t	 pages;		/* HTML pages, all languages */
	size_t	 files;
	size_t	 written;	/* files new or changed on disk */
	double	 load_s, model_s, render_s, write_s, total_s;
	struct site *site;	/* with keep, after a build that succeeded */
	char	**wrote;	/* with keep: the files written or removed
				 * (relative; the caller frees them) */
	size_t	  nwrote;
};

/*
 * Loads, checks, renders and (unless dry) writes the site. Returns the
 * exit status: 0 ok, 1 content errors (nothing written), 2 environment
 * errors. Diagnostics are printed to stderr unless keep_diag is set, in
 * which case they stay pending for diag_text(); the caller resets them.
 */
int	build_run(const struct build_opts *, struct build_result *);
/*
 * When all that changed are the bodies of some pages, renders those pages
 * again from s (the model a build kept) into the output directory, with
 * the bodies their files hold now, and leaves every other file as it is:
 * brochure serve shows an edited page at once, then builds the rest.
 * paths are the files as the project names them ("content/cities/bari.en.md").
 * Returns 1 when the pages are written; 0, with nothing written, when
 * that is not all: a path is not a page of s, its front matter is not
 * byte for byte the one s was made from, or the render reports anything
 * (the full build that follows says what). Diagnostics are discarded.
 * *wrote gets the files written, as build_result's.
 */
int	build_pages(const struct build_opts *, struct site *s,
	    char *const *paths, size_t n, char ***wrote, size_t *nwrote);
void	build_site_free(struct site *);

#endif
