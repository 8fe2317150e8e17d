/*
 * diag.h - diagnostics: errors and warnings with a source position.
 *
 * Every stage reports through diag_error()/diag_warn() and carries on, so a
 * run reports all of its errors, not only the first. Messages are kept and
 * printed by diag_flush() in the compiler form editors understand:
 *
 *	content/china/wuhan.zh.md:7:12: error: unknown cluster 'mobilty' (did you mean 'mobility'?)
 *
 * A line of 0 prints the path alone ("path: error: ..."); a column of 0
 * prints "path:line: ...". Safe to call from several threads.
 */
#ifndef BR_DIAG_H
#define BR_DIAG_H

enum diag_level {
	DIAG_WARN,
	DIAG_ERROR
};

void	diag_error(const char *path, int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	diag_warn(const char *path, int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* With strict set, warnings are reported and counted as errors. */
void	diag_set_strict(int strict);
int	diag_errors(void);
int	diag_warnings(void);
/*
 * Writes the diagnostics gathered since the last flush to stderr, sorted
 * by file, line and column (so the order does not depend on which thread
 * found what first), and forgets them (the counts remain).
 */
void	diag_flush(void);
/* Copies the pending diagnostics as text (for the preview server); caller frees. */
char	*diag_text(void);
/* Forgets diagnostics and counts (the preview server starts each rebuild afresh). */
void	diag_reset(void);

#endif
