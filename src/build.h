/*
 * build.h - one run of the pipeline, as brochure build, check and serve
 * use it.
 */
#ifndef BR_BUILD_H
#define BR_BUILD_H

#include <stddef.h>
#include <stdio.h>

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
};

struct build_result {
	size_t	 pages;		/* HTML pages, all languages */
	size_t	 files;
	size_t	 written;	/* files new or changed on disk */
	double	 load_s, model_s, render_s, write_s, total_s;
};

/*
 * Loads, checks, renders and (unless dry) writes the site. Returns the
 * exit status: 0 ok, 1 content errors (nothing written), 2 environment
 * errors. Diagnostics are printed to stderr unless keep_diag is set, in
 * which case they stay pending for diag_text(); the caller resets them.
 */
int	build_run(const struct build_opts *, struct build_result *);

#endif
