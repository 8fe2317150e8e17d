/*
 * serve.c - brochure serve: build, serve site/, watch, rebuild, reload.
 *
 * Three kinds of thread share one struct serve_state:
 *
 *	main		builds once, starts the daemon and the watcher, then
 *			waits in sigwait() for SIGINT or SIGTERM and tears
 *			everything down in order;
 *	watcher		waits for changes under content/ and layouts/
 *			(inotify on Linux, an mtime scan every 500 ms
 *			elsewhere or when inotify is unavailable) and runs
 *			every rebuild, so builds never overlap (diag.c keeps
 *			global state);
 *	connections	libmicrohttpd runs one thread per connection, so an
 *			open event stream never holds up a page; they read
 *			files from disk, which the writer replaces by rename,
 *			and the error state under the lock.
 *
 * Pages are served as they are on disk, except that HTML responses get a
 * small script before </body> that listens on /__brochure/events and
 * reloads on "reload". The files brochure build writes never carry it.
 *
 * A failed build leaves site/ as it was; until a build succeeds, every
 * page request is answered with an error page listing the diagnostics,
 * with status 500 so that scripts and tools see the failure too (the
 * browser shows it all the same). Assets keep being served.
 *
 * Paths are confined to site/: the request path is decoded here (the
 * daemon's own unescaping is turned off so that %00 and %2f can be seen),
 * "." and ".." segments, encoded slashes, NUL and control bytes are
 * refused with 400, and the file's realpath() must lie below site/'s with
 * a '/' boundary, so that a symbolic link leading out, or a sibling such
 * as site2/, gets 404.
 */
/* realpath() is XSI */
#define _XOPEN_SOURCE	700

#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <dlfcn.h>
#include <microhttpd.h>

#include "buf.h"
#include "build.h"
#include "diag.h"
#include "hmap.h"
#include "serve.h"
#include "util.h"

/*
 * libmicrohttpd, and the dozen libraries behind it (gnutls, nettle,
 * p11-kit...), are for brochure serve alone: loaded when serve starts
 * (S_mhd_load), so that build and check, which start twice (main.c's
 * allocator settings), start without them: in 5 ms instead of 13 each
 * time. The calls below go through this table under their own names.
 */
static struct {
	__typeof__(MHD_start_daemon)		*start_daemon;
	__typeof__(MHD_stop_daemon)		*stop_daemon;
	__typeof__(MHD_get_daemon_info)		*get_daemon_info;
	__typeof__(MHD_get_connection_info)	*get_connection_info;
	__typeof__(MHD_lookup_connection_value)	*lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_create_response_from_fd)	*create_response_from_fd;
	__typeof__(MHD_create_response_from_callback) *create_response_from_callback;
	__typeof__(MHD_add_response_header)	*add_response_header;
	__typeof__(MHD_queue_response)		*queue_response;
	__typeof__(MHD_destroy_response)	*destroy_response;
} S_mhd;

#define MHD_start_daemon		(*S_mhd.start_daemon)
#define MHD_stop_daemon			(*S_mhd.stop_daemon)
#define MHD_get_daemon_info		(*S_mhd.get_daemon_info)
#define MHD_get_connection_info		(*S_mhd.get_connection_info)
#define MHD_lookup_connection_value	(*S_mhd.lookup_connection_value)
#define MHD_create_response_from_buffer	(*S_mhd.create_response_from_buffer)
#define MHD_create_response_from_fd	(*S_mhd.create_response_from_fd)
#define MHD_create_response_from_callback (*S_mhd.create_response_from_callback)
#define MHD_add_response_header		(*S_mhd.add_response_header)
#define MHD_queue_response		(*S_mhd.queue_response)
#define MHD_destroy_response		(*S_mhd.destroy_response)

/* Loads libmicrohttpd into S_mhd. Returns 0, or -1 after saying why. */
static int
S_mhd_load(void)
{
	static const char *const names[] = { "libmicrohttpd.so.12",
	    "libmicrohttpd.so", "libmicrohttpd.12.dylib", "libmicrohttpd.dylib" };
	void	*h = NULL;
	size_t	 i;

	for (i = 0; h == NULL && i < sizeof(names) / sizeof(*names); i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "brochure: serve needs libmicrohttpd (Debian: "
		    "apt-get install libmicrohttpd12): %s\n", dlerror());
		return -1;
	}
#define S_SYM(f) (S_mhd.f = (__typeof__(S_mhd.f))dlsym(h, "MHD_" #f)) == NULL
	if (S_SYM(start_daemon) || S_SYM(stop_daemon) ||
	    S_SYM(get_daemon_info) || S_SYM(get_connection_info) ||
	    S_SYM(lookup_connection_value) ||
	    S_SYM(create_response_from_buffer) ||
	    S_SYM(create_response_from_fd) ||
	    S_SYM(create_response_from_callback) ||
	    S_SYM(add_response_header) || S_SYM(queue_response) ||
	    S_SYM(destroy_response)) {
		fprintf(stderr, "brochure: libmicrohttpd lacks a function: %s\n",
		    dlerror());
		return -1;
	}
#undef S_SYM
	return 0;
}

#define S_EVENTS	"/__brochure/events"
#define S_RESERVED	"/__brochure/"
#define S_URL_MAX	2048		/* longer request targets get 414 */
#define S_MEMORY_LIMIT	(32 * 1024)	/* per connection: request and headers */
#define S_CONN_LIMIT	512		/* open tabs' event streams count too */
#define S_CONN_TIMEOUT	30		/* seconds without traffic */
#define S_HEADER_LIMIT	10		/* seconds to send a request's headers */
#define S_PING_S	10		/* event stream keep-alive */
#define S_DEBOUNCE_MS	100
/* inotify: quiet time after the last event of a burst (an editor's write,
 * rename and chmod arrive within a few ms), short enough that an edit
 * reaches the browser within 100 ms */
#define S_QUIET_MS	20
#define S_POLL_MS	500
#define S_LOG		16	/* generations remembered (log[]) */
#define S_LOG_FILES	4096	/* past this many files: every page */

struct serve_state {
	struct build_opts	 bo;
	char			*root;		/* dir/site */
	char			*watch[2];	/* dir/content, dir/layouts */
	int			 force_poll;	/* BROCHURE_POLL set */
	pthread_mutex_t		 lock;		/* guards the three below */
	pthread_cond_t		 cond;		/* signalled on gen or stopping */
	char			*error;		/* diagnostics of a failed build */
	unsigned long		 gen;		/* builds so far */
	int			 stopping;
	int			 wake[2];	/* pipe: tells the watcher to stop */
	/* what a request's Host must name: the bind address (or a loopback
	 * name when bound to loopback) and the port, set once listening */
	const char		*bind;
	unsigned		 port;
	/* the model of the last build that succeeded (build_pages()), and
	 * how long that build took: an edit that changes bodies only is
	 * shown first when a full build is slower than S_quick_ms() */
	struct site		*site;
	double			 last_s;
	/* what the last S_LOG builds (and pages shown first) changed, by
	 * generation modulo S_LOG, under lock: an open page reloads only
	 * when its own file changed */
	struct S_gen {
		unsigned long	 gen;
		int		 all;	/* every page: too many files, an
					 * error, or the error's end */
		struct hmap	 files;	/* relative paths */
	}			 log[S_LOG];
	/* every open connection, for the header watchdog */
	pthread_mutex_t		 clock;
	struct serve_conn	*conns;
	int			 cstop;
};

/*
 * One TCP connection, known from its start to its end, so that one which
 * takes longer than S_HEADER_LIMIT to send a request's headers (trickling
 * a byte at a time, which restarts MHD's idle timeout) can be cut off.
 */
struct serve_conn {
	int			 fd;
	struct timespec		 since;		/* start, or end of the last request */
	int			 busy;		/* a request is being answered */
	int			 cut;
	struct serve_conn	*next, *prev;
};

static void	S_mark(struct serve_state *, struct MHD_Connection *, int);

/* One open event stream. */
struct serve_client {
	struct serve_state	*sv;
	unsigned long		 gen;		/* the build the page shows */
	int			 started;
	char			*file;		/* the page's file (relative),
						 * or NULL: reload on every build */
};

/*---- Pages -----------------------------------------------------------------*/

/*
 * Appends the live-reload script. gen is the build the page comes from:
 * the server sends "reload" at once if a newer build finished before the
 * event stream connected.
 */
static void
S_put_script(struct buf *b, unsigned long gen)
{
	buf_printf(b, "<script>/* brochure serve */(function(){var s=new "
	    "EventSource(\"" S_EVENTS "?since=%lu&path=\"+location.pathname."
	    "replace(/[&#+]/g,encodeURIComponent));s.addEventListener("
	    "\"reload\",function(){s.close();location.reload();});})();"
	    "</script>\n", gen);
}

/*
 * Copies the HTML page html (len bytes) to b with the reload script
 * before its last </body> (any case), or at the end if it has none.
 */
static void
S_inject(struct buf *b, const char *html, size_t len, unsigned long gen)
{
	size_t	 i, at = len;

	for (i = len >= 7 ? len - 7 + 1 : 0; i-- > 0; )
		if (html[i] == '<' && strncasecmp(html + i, "</body>", 7) == 0) {
			at = i;
			break;
		}
	buf_put(b, html, at);
	S_put_script(b, gen);
	buf_put(b, html + at, len - at);
}

/*
 * Splits a diagnostic's location "path:line:col" in place: *line and *col
 * point at the trailing numbers, or at "" when absent. Example:
 * "content/a.md:7:12" => "content/a.md", "7", "12"; "layouts/x" =>
 * "layouts/x", "", "".
 */
static void
S_split_where(char *where, const char **line, const char **col)
{
	const char	*num[2] = { "", "" };
	char		*c;
	int		 n = 0;

	while (n < 2 && (c = strrchr(where, ':')) != NULL && c[1] != '\0' &&
	    strspn(c + 1, "0123456789") == strlen(c + 1)) {
		*c = '\0';
		num[n++] = c + 1;
	}
	*line = n == 2 ? num[1] : num[0];
	*col = n == 2 ? num[0] : "";
}

/*
 * Appends one table row for the diagnostic line s (len bytes, no newline)
 * in diag.c's form "path:line:col: error: message"; a line of another
 * form goes whole into the message cell.
 */
static void
S_put_row(struct buf *b, const char *s, size_t len)
{
	char		*copy = xstrndup(s, len), *e, *w, *msg;
	const char	*line = "", *col = "", *file = "", *level;

	e = strstr(copy, ": error: ");
	w = strstr(copy, ": warning: ");
	if (e == NULL || (w != NULL && w < e))
		e = w;
	if (e != NULL) {
		*e = '\0';
		level = e + 2;
		msg = strchr(level, ':');
		*msg = '\0';
		msg += 2;
		S_split_where(copy, &line, &col);
		file = copy;
	} else {
		level = "";
		msg = copy;
	}
	buf_puts(b, "<tr><td class=\"file\">");
	buf_put_html(b, file, strlen(file));
	buf_puts(b, "</td><td>");
	buf_put_html(b, line, strlen(line));
	buf_puts(b, "</td><td>");
	buf_put_html(b, col, strlen(col));
	buf_printf(b, "</td><td class=\"%s\">", *level == 'w' ? "warning" :
	    "error");
	if (*level != '\0') {
		buf_put_html(b, level, strlen(level));
		buf_puts(b, ": ");
	}
	buf_put_html(b, msg, strlen(msg));
	buf_puts(b, "</td></tr>\n");
	free(copy);
}

/*
 * Appends the error page for the diagnostics text (one per line), with
 * the reload script, so the page goes away by itself once fixed.
 */
static void
S_error_page(struct buf *b, const char *text, unsigned long gen)
{
	const char	*p, *nl;

	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<title>Build failed - brochure serve</title>\n<style>\n"
	    "body{font:15px/1.5 system-ui,sans-serif;margin:2em;color:#222}\n"
	    "h1{color:#b00020;font-size:1.4em}\n"
	    "table{border-collapse:collapse}\n"
	    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;"
	    "vertical-align:top}\n"
	    "td.file{font-family:monospace;white-space:nowrap}\n"
	    "td.error{color:#b00020}td.warning{color:#8a5a00}\n"
	    "</style>\n</head>\n<body>\n<h1>The build failed</h1>\n"
	    "<p>site/ still holds the last good build. This page reloads "
	    "when the sources are fixed.</p>\n<table>\n<thead><tr><th>File</th>"
	    "<th>Line</th><th>Column</th><th>Message</th></tr></thead>\n"
	    "<tbody>\n");
	for (p = text; *p != '\0'; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			S_put_row(b, p, (size_t)(nl - p));
	}
	buf_puts(b, "</tbody>\n</table>\n");
	S_put_script(b, gen);
	buf_puts(b, "</body>\n</html>\n");
}

/*
 * If the last build failed, puts the error page in b and returns 1;
 * otherwise returns 0. *gen gets the current build either way.
 */
static int
S_in_error(struct serve_state *sv, struct buf *b, unsigned long *gen)
{
	int	 err;

	pthread_mutex_lock(&sv->lock);
	*gen = sv->gen;
	if ((err = sv->error != NULL))
		S_error_page(b, sv->error, sv->gen);
	pthread_mutex_unlock(&sv->lock);
	return err;
}

/*---- Paths -----------------------------------------------------------------*/

static int
S_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes the raw request path raw into out (at least strlen(raw) + 1
 * bytes). Returns 0, or -1 when the path is refused: it does not start
 * with '/' (an absolute URL, "*"), an escape is malformed, it holds a NUL
 * or control byte or an encoded '/', or a segment is empty (except the
 * last, "dir/"), "." or "..". Example: "/en/%E4%B8%AD/" => "/en/中/";
 * "/%2e%2e/etc" => -1.
 */
static int
S_decode_path(const char *raw, char *out)
{
	const char	*p;
	char		*o = out, *seg;
	int		 hi, lo, c;

	if (raw[0] != '/')
		return -1;
	for (p = raw; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (c == '%') {
			if ((hi = S_hex(p[1])) == -1 || (lo = S_hex(p[2])) == -1)
				return -1;
			c = hi * 16 + lo;
			p += 2;
			if (c == '/')
				return -1;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		*o++ = (char)c;
	}
	*o = '\0';
	for (seg = out + 1; ; seg = o + 1) {
		o = strchr(seg, '/');
		if (o == NULL)
			return strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0 ?
			    -1 : 0;
		if (o == seg || (o - seg == 1 && seg[0] == '.') ||
		    (o - seg == 2 && seg[0] == '.' && seg[1] == '.'))
			return -1;
	}
}

/*
 * Is real (a realpath) root itself or below it? The '/' boundary keeps
 * /x/site2 out of /x/site, which a plain prefix test would let in.
 */
static int
S_inside(const char *root, const char *real)
{
	size_t	 n = strlen(root);

	if (strcmp(root, "/") == 0)
		return real[0] == '/';
	return strncmp(root, real, n) == 0 && (real[n] == '\0' ||
	    real[n] == '/');
}

enum S_found {
	S_FILE,		/* *file is a regular file inside root */
	S_MISSING,	/* nothing there (or nothing readable) */
	S_REFUSED,	/* leads outside root */
	S_SLASH		/* a directory asked for without its trailing slash */
};

/*
 * Maps the decoded path to a file under root: a path ending in '/' means
 * its index.html. On S_FILE, *file is its realpath (caller frees).
 */
static enum S_found
S_resolve(const char *root, const char *path, char **file)
{
	struct stat	 st;
	char		*rroot, *full, *real;
	enum S_found	 f;

	*file = NULL;
	if ((rroot = realpath(root, NULL)) == NULL)
		return S_MISSING;
	full = xasprintf("%s%s%s", root, path,
	    path[strlen(path) - 1] == '/' ? "index.html" : "");
	real = realpath(full, NULL);
	free(full);
	if (real == NULL)
		f = S_MISSING;
	else if (!S_inside(rroot, real))
		f = S_REFUSED;
	else if (stat(real, &st) == -1)
		f = S_MISSING;
	else if (S_ISDIR(st.st_mode))
		f = path[strlen(path) - 1] == '/' ? S_MISSING : S_SLASH;
	else if (!S_ISREG(st.st_mode))
		f = S_MISSING;
	else {
		*file = real;
		real = NULL;
		f = S_FILE;
	}
	free(real);
	free(rroot);
	return f;
}

/*
 * The Content-Type for path, by its extension (any case); text/plain for
 * anything else.
 */
static const char *
S_mime(const char *path)
{
	static const struct { const char *ext, *type; } m[] = {
	    { "html", "text/html; charset=utf-8" },
	    { "htm", "text/html; charset=utf-8" },
	    { "css", "text/css; charset=utf-8" },
	    { "js", "text/javascript; charset=utf-8" },
	    { "mjs", "text/javascript; charset=utf-8" },
	    { "svg", "image/svg+xml" },
	    { "png", "image/png" },
	    { "jpg", "image/jpeg" },
	    { "jpeg", "image/jpeg" },
	    { "gif", "image/gif" },
	    { "webp", "image/webp" },
	    { "avif", "image/avif" },
	    { "ico", "image/x-icon" },
	    { "woff2", "font/woff2" },
	    { "woff", "font/woff" },
	    { "ttf", "font/ttf" },
	    { "otf", "font/otf" },
	    { "pdf", "application/pdf" },
	    { "xml", "application/xml; charset=utf-8" },
	    { "json", "application/json" },
	    { "webmanifest", "application/manifest+json" },
	    { "txt", "text/plain; charset=utf-8" },
	};
	const char	*base, *dot;
	size_t		 i;

	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if ((dot = strrchr(base, '.')) != NULL)
		for (i = 0; i < sizeof(m) / sizeof(*m); i++)
			if (strcasecmp(dot + 1, m[i].ext) == 0)
				return m[i].type;
	return "text/plain";
}

static int
S_is_html(const char *path)
{
	return strncmp(S_mime(path), "text/html", 9) == 0;
}

/*
 * Does the request path name a page (a directory, an .html file, or a
 * last segment without an extension) rather than an asset?
 */
static int
S_is_page(const char *path)
{
	const char	*base = strrchr(path, '/') + 1;

	return *base == '\0' || strchr(base, '.') == NULL || S_is_html(base);
}

/*---- Responses -------------------------------------------------------------*/

/* Adds the headers every response carries, queues r and drops our ref. */
static enum MHD_Result
S_queue(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r,
    const char *type)
{
	enum MHD_Result	 ret;

	if (r == NULL)
		return MHD_NO;
	if (type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Answers with status and a short plain-text body msg. */
static enum MHD_Result
S_text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer(strlen(msg), (void *)msg,
	    MHD_RESPMEM_MUST_COPY);
	if (r != NULL && status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	return S_queue(c, status, r, "text/plain; charset=utf-8");
}

/* Answers with status and the HTML in b, which is handed to the daemon. */
static enum MHD_Result
S_html(struct MHD_Connection *c, unsigned int status, struct buf *b)
{
	struct MHD_Response	*r;
	size_t			 len = b->len;

	r = MHD_create_response_from_buffer(len, buf_detach(b),
	    MHD_RESPMEM_MUST_FREE);
	return S_queue(c, status, r, "text/html; charset=utf-8");
}

/*
 * Reads the whole of fd (closing it) into b. Returns 0, or -1 on a read
 * error.
 */
static int
S_slurp(int fd, struct buf *b)
{
	char	 chunk[16384];
	ssize_t	 n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return -1;
		}
		buf_put(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/*
 * Serves the regular file at file (a realpath inside site/) with status:
 * HTML through memory with the reload script, anything else straight
 * from its descriptor.
 */
static enum MHD_Result
S_file(struct serve_state *sv, struct MHD_Connection *c, unsigned int status,
    const char *file)
{
	struct MHD_Response	*r;
	struct buf		 raw = BUF_INIT, page = BUF_INIT;
	struct stat		 st;
	unsigned long		 gen;
	int			 fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	if (!S_is_html(file)) {
		r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
		if (r == NULL)
			close(fd);
		return S_queue(c, status, r, S_mime(file));
	}
	if (S_slurp(fd, &raw) == -1) {
		buf_free(&raw);
		return S_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "read error\n");
	}
	pthread_mutex_lock(&sv->lock);
	gen = sv->gen;
	pthread_mutex_unlock(&sv->lock);
	S_inject(&page, raw.data ? raw.data : "", raw.len, gen);
	buf_free(&raw);
	return S_html(c, status, &page);
}

/*
 * Answers a path with nothing behind it: the error page while the build
 * is failing and a page was asked for, else site/404.html with 404, else
 * a plain 404.
 */
static enum MHD_Result
S_not_found(struct serve_state *sv, struct MHD_Connection *c,
    const char *path)
{
	struct buf		 b = BUF_INIT;
	enum MHD_Result		 ret;
	unsigned long		 gen;
	char			*file;

	if (S_is_page(path) && S_in_error(sv, &b, &gen))
		return S_html(c, MHD_HTTP_INTERNAL_SERVER_ERROR, &b);
	buf_free(&b);
	if (S_resolve(sv->root, "/404.html", &file) != S_FILE)
		return S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	ret = S_file(sv, c, MHD_HTTP_NOT_FOUND, file);
	free(file);
	return ret;
}

/*---- Event stream ----------------------------------------------------------*/

/*
 * Did a generation after the client's change its page? (Locked.) Yes when
 * it does not say which page it is, or the log no longer reaches back.
 */
static int
S_concerns(const struct serve_state *sv, const struct serve_client *cl)
{
	const struct S_gen	*e;
	unsigned long		 g;

	if (cl->file == NULL || sv->gen - cl->gen >= S_LOG)
		return 1;
	for (g = cl->gen + 1; g <= sv->gen; g++) {
		e = &sv->log[g % S_LOG];
		if (e->gen != g || e->all || hmap_get(&e->files, cl->file))
			return 1;
	}
	return 0;
}

/*
 * The daemon asks for more of an event stream (on the connection's own
 * thread, which may block): a "retry" line first, then one "reload" event
 * per build, or a comment every S_PING_S seconds to notice a closed
 * connection. Ends the stream when the server stops.
 */
static ssize_t
S_events_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct serve_client	*cl = cls;
	struct serve_state	*sv = cl->sv;
	struct timespec		 until;
	int			 n, timeout = 0;

	(void)pos;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += S_PING_S;
	pthread_mutex_lock(&sv->lock);
	if (!cl->started) {
		cl->started = 1;
		n = snprintf(out, max, "retry: 1000\n: brochure serve\n\n");
	} else {
		for (;;) {
			/* a build that left this page alone is passed over */
			if (sv->gen != cl->gen && !S_concerns(sv, cl))
				cl->gen = sv->gen;
			if (sv->stopping || sv->gen != cl->gen || timeout)
				break;
			timeout = pthread_cond_timedwait(&sv->cond, &sv->lock,
			    &until) == ETIMEDOUT;
		}
		if (sv->stopping)
			n = -1;
		else if (sv->gen != cl->gen) {
			cl->gen = sv->gen;
			n = snprintf(out, max, "event: reload\ndata: %lu\n\n",
			    cl->gen);
		} else
			n = snprintf(out, max, ": ping\n\n");
	}
	pthread_mutex_unlock(&sv->lock);
	if (n < 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return (size_t)n < max ? n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void
S_events_free(void *cls)
{
	struct serve_client	*cl = cls;

	free(cl->file);
	free(cl);
}

/*
 * Opens an event stream. The query's since=N is the build the page was
 * served from; a stale or missing value means "now".
 */
static enum MHD_Result
S_events(struct serve_state *sv, struct MHD_Connection *c)
{
	struct serve_client	*cl;
	struct MHD_Response	*r;
	const char		*since, *path;
	char			*end, *dec;
	unsigned long		 n;

	cl = xcalloc(1, sizeof(*cl));
	cl->sv = sv;
	since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	pthread_mutex_lock(&sv->lock);
	cl->gen = sv->gen;
	if (since != NULL && *since >= '0' && *since <= '9') {
		errno = 0;
		n = strtoul(since, &end, 10);
		if (errno == 0 && *end == '\0' && n <= sv->gen)
			cl->gen = n;
	}
	pthread_mutex_unlock(&sv->lock);
	/* the page's path: its file, as the build names it */
	path = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "path");
	if (path != NULL && strlen(path) < S_URL_MAX) {
		dec = xmalloc(strlen(path) + sizeof("index.html"));
		if (S_decode_path(path, dec) == 0) {
			if (dec[strlen(dec) - 1] == '/')
				strcat(dec, "index.html");
			cl->file = xstrdup(dec + 1);
		}
		free(dec);
	}
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
	    S_events_read, cl, S_events_free);
	if (r == NULL) {
		S_events_free(cl);
		return MHD_NO;
	}
	return S_queue(c, MHD_HTTP_OK, r, "text/event-stream");
}

/*---- Requests --------------------------------------------------------------*/

/*
 * The daemon's unescaper: leaves the path as sent, so that S_decode_path
 * sees %00 and %2f (the daemon's own would cut at the NUL).
 */
static size_t
S_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/*
 * Answers one request. Other methods are refused on the first call,
 * before any body is read (the daemon then closes the connection); GET
 * and HEAD are answered on the second, once the request is complete, so
 * the connection can be kept alive.
 */
/*
 * Does the Host header name this server? A page on another site that
 * points a name of its own at 127.0.0.1 (DNS rebinding) sends its own
 * name, and is refused. Accepted: 127.0.0.1, localhost, [::1] and the
 * --bind address, each with the port listened on. HTTP/1.0 may omit it.
 */
static int
S_host_ok(const struct serve_state *sv, const char *host)
{
	static const char *const loop[] = { "127.0.0.1", "localhost", "[::1]" };
	const char	*colon;
	char		 want[300];
	size_t		 n, i;

	if (host == NULL)
		return 1;
	if ((colon = strrchr(host, ':')) == NULL || strchr(colon, ']') != NULL ||
	    strtoul(colon + 1, NULL, 10) != sv->port ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return 0;
	n = (size_t)(colon - host);
	for (i = 0; i < sizeof(loop) / sizeof(*loop); i++)
		if (strlen(loop[i]) == n && strncasecmp(host, loop[i], n) == 0)
			return 1;
	snprintf(want, sizeof(want), strchr(sv->bind, ':') ? "[%s]" : "%s",
	    sv->bind);
	return strlen(want) == n && strncasecmp(host, want, n) == 0;
}

/* Does a component of path start with '.'? (Dotfiles are not served.) */
static int
S_dotted(const char *path)
{
	return strstr(path, "/.") != NULL;
}

static enum MHD_Result
S_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct serve_state	*sv = cls;
	struct MHD_Response	*r;
	struct buf		 b = BUF_INIT;
	enum MHD_Result		 ret;
	unsigned long		 gen;
	char			*path, *file, *loc;
	const char		*host;

	static int		 seen;

	(void)version;
	(void)upload;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return S_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	if (*con_cls == NULL) {
		*con_cls = &seen;
		S_mark(sv, c, 1);	/* the headers are in */
		return MHD_YES;
	}
	host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (!S_host_ok(sv, host)) {
		/* the name as sent, printable ASCII only, on one line */
		fputs("brochure: refused a request for another host: ", stderr);
		for (; *host != '\0'; host++)
			if (*host > ' ' && *host < 0x7f)
				fputc(*host, stderr);
			else
				fprintf(stderr, "\\x%02X", (unsigned char)*host);
		fputc('\n', stderr);
		return S_text(c, 421, "misdirected request: this preview answers "
		    "to its own address only\n");
	}
	if (*upload_size != 0) {
		*upload_size = 0;	/* a body on a GET: ignored */
		return MHD_YES;
	}
	if (strlen(url) > S_URL_MAX)
		return S_text(c, MHD_HTTP_URI_TOO_LONG, "request target too "
		    "long\n");
	path = xmalloc(strlen(url) + 1);
	if (S_decode_path(url, path) == -1) {
		free(path);
		return S_text(c, MHD_HTTP_BAD_REQUEST, "bad request\n");
	}
	if (S_dotted(path))
		ret = S_not_found(sv, c, path);
	else if (strcmp(path, S_EVENTS) == 0)
		ret = S_events(sv, c);
	else if (strncmp(path, S_RESERVED, strlen(S_RESERVED)) == 0)
		ret = S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	else switch (S_resolve(sv->root, path, &file)) {
	case S_FILE:
		if (S_is_html(file) && S_in_error(sv, &b, &gen))
			ret = S_html(c, MHD_HTTP_INTERNAL_SERVER_ERROR, &b);
		else
			ret = S_file(sv, c, MHD_HTTP_OK, file);
		buf_free(&b);
		free(file);
		break;
	case S_SLASH:
		/* url was checked: it starts with one '/', has no CR or LF */
		loc = xasprintf("%s/", url);
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
		ret = S_queue(c, MHD_HTTP_FOUND, r, NULL);
		free(loc);
		break;
	case S_REFUSED:
		ret = S_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
		break;
	default:
		ret = S_not_found(sv, c, path);
		break;
	}
	free(path);
	return ret;
}

/* The daemon's error log, on stderr with our prefix. */
static void
S_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("brochure: httpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/*---- Rebuilding ------------------------------------------------------------*/

/*
 * Runs one build (never two at once: only the main thread before the
 * daemon starts, then only the watcher, call this), prints its
 * diagnostics, records or clears the error state and tells every open
 * page to reload. Returns build_run()'s status.
 */
static int
S_ends(const char *s, const char *suffix)
{
	size_t	 l = strlen(s), k = strlen(suffix);

	return l >= k && strcmp(s + l - k, suffix) == 0;
}

/*
 * A new generation: the files it wrote or removed (taken over and freed),
 * or every page. Tells the open pages. Locked.
 */
static void
S_publish(struct serve_state *sv, char **files, size_t n, int all)
{
	struct S_gen	*e;
	size_t		 i;

	sv->gen++;
	e = &sv->log[sv->gen % S_LOG];
	hmap_free(&e->files);
	memset(e, 0, sizeof(*e));
	e->gen = sv->gen;
	e->all = all || n > S_LOG_FILES;
	/* a page shows its stylesheet, scripts and pictures: a change to
	 * one of those concerns every page (the search data and the
	 * sitemaps are read by no page as it loads) */
	for (i = 0; i < n && !e->all; i++)
		e->all = !S_ends(files[i], ".html") && !S_ends(files[i], ".json") &&
		    !S_ends(files[i], ".xml");
	for (i = 0; i < n; i++) {
		if (!e->all)
			hmap_put(&e->files, files[i], e);
		free(files[i]);
	}
	free(files);
	pthread_cond_broadcast(&sv->cond);
}

static int
S_rebuild(struct serve_state *sv)
{
	struct build_result	 res;
	char			*text;
	int			 rc, all;

	/* the previous model goes first: two at once would double the
	 * memory of a large site */
	build_site_free(sv->site);
	sv->site = NULL;
	rc = build_run(&sv->bo, &res);
	sv->site = res.site;
	sv->last_s = res.total_s;
	text = diag_text();
	diag_reset();
	fputs(text, stderr);
	if (rc != 0) {
		if (*text == '\0') {
			free(text);
			text = xasprintf("brochure: error: the build failed "
			    "(status %d); see the terminal\n", rc);
		}
		fprintf(stderr, "brochure: the build failed; the browser shows "
		    "the errors until they are fixed\n");
	} else {
		free(text);
		text = NULL;
	}
	pthread_mutex_lock(&sv->lock);
	/* an error page is every page: its coming and going concern all */
	all = rc != 0 || sv->error != NULL;
	free(sv->error);
	sv->error = text;
	S_publish(sv, res.wrote, res.nwrote, all);
	pthread_mutex_unlock(&sv->lock);
	return rc;
}

/* The full build time under which an edit is simply built (ms). */
static double
S_quick_ms(void)
{
	const char	*v = getenv("BROCHURE_TEST_QUICK_MS");

	return v != NULL ? atof(v) : 250;
}

/*
 * A burst of changes: paths are the files inotify named (NULL with
 * npaths 0 when unknown). When the last build was slow, and all that
 * changed are the bodies of pages, those pages are rendered and shown at
 * once (build_pages()); then the whole site is built.
 */
static void
S_changed(struct serve_state *sv, char *const *paths, size_t npaths)
{
	char		**rel = xcalloc(npaths + 1, sizeof(*rel)), **wrote;
	const char	 *base, *name;
	size_t		  i, n = 0, l = strlen(sv->watch[0]), nwrote;
	struct stat	  st;
	double		  t = now_s();
	int		  ok = npaths > 0 && sv->site != NULL &&
			      sv->last_s * 1000 >= S_quick_ms();

	for (i = 0; i < npaths && ok; i++) {
		base = strrchr(paths[i], '/');
		name = base != NULL ? base + 1 : paths[i];
		if (*name == '.' || name[strlen(name) - 1] == '~')
			continue;	/* hidden, or a backup: never read */
		if (strncmp(paths[i], sv->watch[0], l) != 0 ||
		    paths[i][l] != '/') {
			ok = 0;		/* a layout */
		} else if (S_ends(name, ".md")) {
			rel[n++] = xasprintf("content%s", paths[i] + l);
		} else if (stat(paths[i], &st) == 0)
			ok = 0;		/* data, a photo */
		/* else an editor's temporary, gone again */
	}
	if (ok && n > 0 && build_pages(&sv->bo, sv->site, rel, n, &wrote,
	    &nwrote)) {
		fprintf(stderr, "brochure: %s shown in %.0f ms; building the "
		    "rest\n", n == 1 ? rel[0] : "the edited pages",
		    (now_s() - t) * 1000);
		pthread_mutex_lock(&sv->lock);
		S_publish(sv, wrote, nwrote, 0);
		pthread_mutex_unlock(&sv->lock);
	}
	for (i = 0; i < n; i++)
		free(rel[i]);
	free(rel);
	S_rebuild(sv);
}

/*
 * Waits up to ms milliseconds (-1: forever) for the stop byte. Returns 1
 * if the watcher must stop.
 */
static int
S_stop_requested(struct serve_state *sv, int ms)
{
	struct pollfd	 p;

	p.fd = sv->wake[0];
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, ms) > 0;
}

/*---- Watching: the portable poller -----------------------------------------*/

/*
 * Adds a fingerprint of every entry below dir (name, type, size, inode,
 * times) to *sum, in an order-free way. Times are seconds except on
 * Linux, so elsewhere a same-size rewrite within one second can be
 * missed; an editor's rename changes the inode and is seen.
 */
static void
S_scan(const char *dir, uint64_t *sum)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*p;
	uint64_t	 h;
	long long	 v[6];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0) {
			v[0] = (long long)st.st_mode;
			v[1] = (long long)st.st_size;
			v[2] = (long long)st.st_ino;
			v[3] = (long long)st.st_mtime;
			v[4] = (long long)st.st_ctime;
#ifdef __linux__
			v[5] = (long long)st.st_mtim.tv_nsec;
#else
			v[5] = 0;
#endif
			h = fnv1a(FNV1A_BASIS, p, strlen(p));
			*sum += fnv1a(h, v, sizeof(v));
			if (S_ISDIR(st.st_mode))
				S_scan(p, sum);
		}
		free(p);
	}
	closedir(d);
}

static uint64_t
S_scan_all(struct serve_state *sv)
{
	uint64_t	 sum = 0;

	S_scan(sv->watch[0], &sum);
	S_scan(sv->watch[1], &sum);
	return sum;
}

/*
 * Scans content/ and layouts/ every S_POLL_MS; on a difference, waits
 * S_DEBOUNCE_MS for the writer to finish and rebuilds. Returns when asked
 * to stop.
 */
static void
S_poll_loop(struct serve_state *sv)
{
	uint64_t	 last = S_scan_all(sv), now;

	while (!S_stop_requested(sv, S_POLL_MS)) {
		if ((now = S_scan_all(sv)) == last)
			continue;
		if (S_stop_requested(sv, S_DEBOUNCE_MS))
			break;
		last = S_scan_all(sv);
		S_rebuild(sv);
	}
}

/*---- Watching: inotify -----------------------------------------------------*/

#ifdef __linux__
#define S_MASK	(IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | \
		 IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | \
		 IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)

/* Milliseconds on the monotonic clock. */
static long long
S_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct S_wd {
	int	 wd;
	char	*path;
};

struct S_inotify {
	int		 fd;
	struct S_wd	*v;
	size_t		 n, cap;
	/* the files the burst named (at most S_MAX_NAMED; past that, or
	 * on a directory's event, named is -1: unknown) */
	char		**files;
	size_t		  nfiles;
	int		  named;
};

#define S_MAX_NAMED	64

/* Records that path changed, once. */
static void
S_named(struct S_inotify *in, const char *dir, const char *name)
{
	char	*p;
	size_t	 i;

	if (in->named < 0)
		return;
	p = xasprintf("%s/%s", dir, name);
	for (i = 0; i < in->nfiles; i++)
		if (strcmp(in->files[i], p) == 0) {
			free(p);
			return;
		}
	if (in->nfiles == S_MAX_NAMED) {
		free(p);
		in->named = -1;
		return;
	}
	in->files = xgrow(in->files, in->nfiles, sizeof(*in->files));
	in->files[in->nfiles++] = p;
}

static void
S_named_clear(struct S_inotify *in)
{
	size_t	 i;

	for (i = 0; i < in->nfiles; i++)
		free(in->files[i]);
	free(in->files);
	in->files = NULL;
	in->nfiles = 0;
	in->named = 0;
}

/*
 * Watches dir and every directory below it (symbolic links are not
 * followed). A directory that vanishes meanwhile is skipped.
 */
static void
S_watch_tree(struct S_inotify *in, const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*p;
	size_t		 i;
	int		 wd;

	if ((wd = inotify_add_watch(in->fd, dir, S_MASK)) == -1)
		return;
	for (i = 0; i < in->n; i++)
		if (in->v[i].wd == wd)
			break;
	if (i == in->n) {
		if (in->n == in->cap) {
			in->cap = in->cap ? in->cap * 2 : 64;
			in->v = xrealloc(in->v, in->cap * sizeof(*in->v));
		}
		in->n++;
	} else
		free(in->v[i].path);
	in->v[i].wd = wd;
	in->v[i].path = xstrdup(dir);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			S_watch_tree(in, p);
		free(p);
	}
	closedir(d);
}

/*
 * Reads the pending events: watches new directories, forgets removed
 * ones. Returns 1 if anything changed.
 */
static int
S_inotify_read(struct S_inotify *in)
{
	_Alignas(struct inotify_event) char	 ev[16384];
	const struct inotify_event		*e;
	ssize_t					 n;
	size_t					 i, off;
	char					*p;
	int					 changed = 0;

	while ((n = read(in->fd, ev, sizeof(ev))) > 0) {
		for (off = 0; off < (size_t)n;
		    off += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)(ev + off);
			changed = 1;
			for (i = 0; i < in->n; i++)
				if (in->v[i].wd == e->wd)
					break;
			if (i == in->n || (e->mask & IN_Q_OVERFLOW)) {
				in->named = -1;
				continue;
			}
			if ((e->mask & IN_ISDIR) || e->len == 0)
				in->named = -1;
			else if (!(e->mask & IN_IGNORED))
				S_named(in, in->v[i].path, e->name);
			if (e->mask & IN_IGNORED) {
				free(in->v[i].path);
				in->v[i] = in->v[--in->n];
			} else if ((e->mask & IN_ISDIR) && e->len > 0 &&
			    (e->mask & (IN_CREATE | IN_MOVED_TO))) {
				p = xasprintf("%s/%s", in->v[i].path, e->name);
				S_watch_tree(in, p);
				free(p);
			}
		}
	}
	return changed;
}

/*
 * Waits for inotify events; a burst of them is followed, S_QUIET_MS
 * after the last, by one rebuild. Returns 0 when asked to stop, -1 if
 * inotify cannot be used (the caller polls instead).
 */
static int
S_inotify_loop(struct serve_state *sv)
{
	struct S_inotify	 in;
	struct pollfd		 p[2];
	long long		 due = 0, now;
	size_t			 i;
	int			 pending = 0, ms;

	memset(&in, 0, sizeof(in));
	if ((in.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return -1;
	S_watch_tree(&in, sv->watch[0]);
	S_watch_tree(&in, sv->watch[1]);
	for (;;) {
		ms = -1;
		if (pending) {
			now = S_ms();
			ms = due > now ? (int)(due - now) : 0;
		}
		p[0].fd = sv->wake[0];
		p[1].fd = in.fd;
		p[0].events = p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		if (poll(p, 2, ms) == -1 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if ((p[1].revents & POLLIN) && S_inotify_read(&in)) {
			pending = 1;
			due = S_ms() + S_QUIET_MS;
		}
		if (pending && S_ms() >= due) {
			pending = 0;
			S_changed(sv, in.files, in.named < 0 ? 0 : in.nfiles);
			S_named_clear(&in);
		}
	}
	S_named_clear(&in);
	for (i = 0; i < in.n; i++)
		free(in.v[i].path);
	free(in.v);
	close(in.fd);
	return 0;
}
#endif

/* The watcher thread: inotify where there is one, else the poller. */
static void *
S_watcher(void *arg)
{
	struct serve_state	*sv = arg;

#ifdef __linux__
	if (!sv->force_poll && S_inotify_loop(sv) == 0)
		return NULL;
	if (!sv->force_poll)
		fprintf(stderr, "brochure: inotify unavailable (%s); polling "
		    "every %d ms\n", strerror(errno), S_POLL_MS);
#endif
	S_poll_loop(sv);
	return NULL;
}

/*---- Running ---------------------------------------------------------------*/

/*
 * Resolves host and port into ss. Returns 0, or -1 after saying why.
 */
static int
S_address(const char *host, unsigned port, struct sockaddr_storage *ss)
{
	struct addrinfo	 hints, *ai;
	char		 serv[16];
	int		 e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(serv, sizeof(serv), "%u", port);
	if ((e = getaddrinfo(host, serv, &hints, &ai)) != 0) {
		fprintf(stderr, "brochure: --bind %s: %s\n", host,
		    gai_strerror(e));
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

static int
S_loopback(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in	*in4 = (const void *)ss;
	const struct sockaddr_in6	*in6 = (const void *)ss;
	const unsigned char		*a;

	if (ss->ss_family == AF_INET)
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family != AF_INET6)
		return 0;
	if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
		return 1;
	a = in6->sin6_addr.s6_addr;
	return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && a[12] == 127;
}

static void
S_state_free(struct serve_state *sv)
{
	size_t	 i;

	free(sv->root);
	free(sv->watch[0]);
	free(sv->watch[1]);
	free(sv->error);
	build_site_free(sv->site);
	for (i = 0; i < S_LOG; i++)
		hmap_free(&sv->log[i].files);
	pthread_cond_destroy(&sv->cond);
	pthread_mutex_destroy(&sv->lock);
	pthread_mutex_destroy(&sv->clock);
	if (sv->wake[0] != -1)
		close(sv->wake[0]);
	if (sv->wake[1] != -1)
		close(sv->wake[1]);
}

/*---- Slow clients -------------------------------------------------------------*/

static double
S_since(const struct timespec *t)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* MHD tells of each connection's start and end. */
static void
S_notify(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct serve_state	*sv = cls;
	struct serve_conn	*sc;
	const union MHD_ConnectionInfo *ci;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		sc = xcalloc(1, sizeof(*sc));
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		sc->fd = ci ? (int)ci->connect_fd : -1;
		clock_gettime(CLOCK_MONOTONIC, &sc->since);
		pthread_mutex_lock(&sv->clock);
		if ((sc->next = sv->conns) != NULL)
			sv->conns->prev = sc;
		sv->conns = sc;
		pthread_mutex_unlock(&sv->clock);
		*ctx = sc;
	} else if ((sc = *ctx) != NULL) {
		pthread_mutex_lock(&sv->clock);
		if (sc->prev != NULL)
			sc->prev->next = sc->next;
		else
			sv->conns = sc->next;
		if (sc->next != NULL)
			sc->next->prev = sc->prev;
		pthread_mutex_unlock(&sv->clock);
		free(sc);
		*ctx = NULL;
	}
}

/* A request's headers have all arrived (busy), or its answer has ended
 * and the connection waits for the next one. */
static void
S_mark(struct serve_state *sv, struct MHD_Connection *c, int busy)
{
	const union MHD_ConnectionInfo *ci;
	struct serve_conn	*sc;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (sc = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&sv->clock);
	sc->busy = busy;
	if (!busy)
		clock_gettime(CLOCK_MONOTONIC, &sc->since);
	pthread_mutex_unlock(&sv->clock);
}

static void
S_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)con_cls;
	(void)toe;
	S_mark(cls, c, 0);
}

/* Cuts off every connection that has spent S_HEADER_LIMIT seconds on a
 * request's headers: a trickling client cannot hold a slot for long. */
static void *
S_watchdog(void *arg)
{
	struct serve_state	*sv = arg;
	struct serve_conn	*sc;
	struct timespec		 tick = { 0, 250000000L };

	for (;;) {
		pthread_mutex_lock(&sv->clock);
		if (sv->cstop) {
			pthread_mutex_unlock(&sv->clock);
			return NULL;
		}
		for (sc = sv->conns; sc != NULL; sc = sc->next)
			if (!sc->busy && !sc->cut && sc->fd != -1 &&
			    S_since(&sc->since) > S_HEADER_LIMIT) {
				shutdown(sc->fd, SHUT_RDWR);
				sc->cut = 1;
			}
		pthread_mutex_unlock(&sv->clock);
		nanosleep(&tick, NULL);
	}
}

int
serve_run(const struct serve_opts *o)
{
	struct serve_state	 sv;
	struct sockaddr_storage	 ss;
	struct MHD_Daemon	*d;
	const union MHD_DaemonInfo *info;
	pthread_condattr_t	 ca;
	pthread_t		 watcher, dog;
	sigset_t		 sigs;
	const char		*host = o->bind ? o->bind : "127.0.0.1";
	const char		*env;
	unsigned int		 flags;
	int			 sig;

	if (S_mhd_load() == -1)
		return 2;
	memset(&sv, 0, sizeof(sv));
	sv.wake[0] = sv.wake[1] = -1;
	sv.bo.dir = o->dir;
	sv.bo.strict = o->strict;
	sv.bo.keep_diag = 1;
	sv.bo.keep = 1;
	sv.root = xasprintf("%s/site", o->dir);
	sv.watch[0] = xasprintf("%s/content", o->dir);
	sv.watch[1] = xasprintf("%s/layouts", o->dir);
	env = getenv("BROCHURE_POLL");
	sv.force_poll = env != NULL && *env != '\0' && strcmp(env, "0") != 0;
	pthread_mutex_init(&sv.lock, NULL);
	pthread_mutex_init(&sv.clock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sv.cond, &ca);
	pthread_condattr_destroy(&ca);

	/* Every thread started from here on inherits the mask; only
	 * sigwait() below takes the signals. They stop the server even
	 * when started ignored (an asynchronous job of a script). */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (S_address(host, o->port, &ss) == -1) {
		S_state_free(&sv);
		return 2;
	}
	if (!S_loopback(&ss))
		fprintf(stderr, "brochure: warning: %s is not a loopback "
		    "address: anyone who can reach it can read the site\n",
		    host);
	if (S_rebuild(&sv) == 2) {
		S_state_free(&sv);
		return 2;
	}
	if (pipe(sv.wake) == -1) {
		fprintf(stderr, "brochure: pipe: %s\n", strerror(errno));
		S_state_free(&sv);
		return 2;
	}
	fcntl(sv.wake[0], F_SETFD, FD_CLOEXEC);
	fcntl(sv.wake[1], F_SETFD, FD_CLOEXEC);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, S_request,
	    &sv,
	    MHD_OPTION_EXTERNAL_LOGGER, S_log, (void *)NULL,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)S_MEMORY_LIMIT,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)S_CONN_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)S_CONN_TIMEOUT,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
	    MHD_OPTION_UNESCAPE_CALLBACK, S_unescape, (void *)NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, S_notify, (void *)&sv,
	    MHD_OPTION_NOTIFY_COMPLETED, S_completed, (void *)&sv,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "brochure: cannot listen on %s port %u\n", host,
		    o->port);
		S_state_free(&sv);
		return 2;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	sv.bind = host;
	sv.port = info ? (unsigned)info->port : o->port;
	fprintf(stderr, "brochure: serving http://%s%s%s:%u/\n",
	    strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
	    info ? (unsigned)info->port : o->port);
	fflush(stderr);

	if ((errno = pthread_create(&dog, NULL, S_watchdog, &sv)) != 0) {
		fprintf(stderr, "brochure: cannot start the watchdog: %s\n",
		    strerror(errno));
		MHD_stop_daemon(d);
		S_state_free(&sv);
		return 2;
	}
	if ((errno = pthread_create(&watcher, NULL, S_watcher, &sv)) != 0) {
		fprintf(stderr, "brochure: cannot start the watcher: %s\n",
		    strerror(errno));
		MHD_stop_daemon(d);
		S_state_free(&sv);
		return 2;
	}
	while (sigwait(&sigs, &sig) != 0)
		continue;
	fprintf(stderr, "brochure: stopping\n");

	/* The watcher first (it may be in a build), then the event streams,
	 * then the daemon, which joins the connection threads. */
	while (write(sv.wake[1], "x", 1) == -1 && errno == EINTR)
		continue;
	pthread_join(watcher, NULL);
	pthread_mutex_lock(&sv.lock);
	sv.stopping = 1;
	pthread_cond_broadcast(&sv.cond);
	pthread_mutex_unlock(&sv.lock);
	MHD_stop_daemon(d);
	pthread_mutex_lock(&sv.clock);
	sv.cstop = 1;
	pthread_mutex_unlock(&sv.clock);
	pthread_join(dog, NULL);
	S_state_free(&sv);
	return 0;
}
