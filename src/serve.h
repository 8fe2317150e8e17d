/*
 * serve.h - brochure serve: a local preview with live reload.
 *
 * Builds the site, serves site/ over HTTP (libmicrohttpd), watches
 * content/ and layouts/ and rebuilds on a change; open pages reload
 * through Server-Sent Events at /__brochure/events. A failed build keeps
 * the last good site on disk and shows its diagnostics in the browser
 * until the sources are fixed. Only GET and HEAD, only files inside
 * site/, loopback by default.
 */
#ifndef BR_SERVE_H
#define BR_SERVE_H

struct serve_opts {
	const char	*dir;		/* the project directory */
	const char	*bind;		/* address to listen on, or NULL for 127.0.0.1 */
	unsigned	 port;		/* 0 picks a free port */
	int		 strict;	/* warnings are errors */
};

/*
 * Builds, serves and rebuilds until SIGINT or SIGTERM, then stops the
 * server, joins its threads and frees everything. Prints
 * "brochure: serving http://HOST:PORT/" on stderr once listening.
 * Returns the exit status: 0 after a clean shutdown (whether the last
 * build failed or not), 2 when the server cannot start (no content
 * directory, an address that cannot be bound, a foreign output
 * directory).
 */
int	serve_run(const struct serve_opts *);

#endif
