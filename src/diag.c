/*
 * diag.c - diagnostics: errors and warnings with a source position.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "utf8.h"
#include "util.h"

/* a pending diagnostic, sorted by place when printed */
struct entry {
	char	*path;
	int	 line, col;
	size_t	 seq;
	char	*text;
};

static pthread_mutex_t	 S_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry	*S_entries;
static size_t		 S_nentries, S_capentries, S_seq;
/* messages already reported, so that a cause met on every page (a broken
 * layout, a missing UI string) is reported once */
static struct hmap	 S_seen;
static struct buf	 S_pending = BUF_INIT;
static int		 S_errors, S_warnings, S_strict;

/*
 * Appends s so that it stays on one line of valid UTF-8: newlines, tabs
 * and other control characters, and bytes that are not UTF-8 (a Latin-1
 * file name, a name typed with a newline in it), written as escapes.
 */
static void
S_escape(struct buf *b, const char *s)
{
	const char	*end = s + strlen(s);
	size_t		 k;
	int32_t		 cp;

	while (*s != '\0') {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\r' || c == '\t') {
			buf_puts(b, c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
			s++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\x%02X", c);
			s++;
		} else if (c < 0x80) {
			buf_putc(b, c);
			s++;
		} else if ((k = utf8_decode(s, (size_t)(end - s), &cp)) == 0) {
			buf_printf(b, "\\x%02X", c);
			s++;
		} else {
			buf_put(b, s, k);
			s += k;
		}
	}
}

/* Adds line to the set of reported messages; 0 if it was there. */
static int
S_first(const char *line)
{
	if (hmap_get(&S_seen, line) != NULL)
		return 0;
	hmap_put(&S_seen, line, &S_seen);
	return 1;
}

static void
S_report(enum diag_level lv, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	char	 msg[2048], where[1024], *text;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (lv == DIAG_WARN && S_strict)
		lv = DIAG_ERROR;
	if (line > 0 && col > 0)
		snprintf(where, sizeof(where), "%s:%d:%d", path, line, col);
	else if (line > 0)
		snprintf(where, sizeof(where), "%s:%d", path, line);
	else
		snprintf(where, sizeof(where), "%s", path);
	{
		struct buf	 b = BUF_INIT;

		S_escape(&b, where);
		buf_printf(&b, ": %s: ", lv == DIAG_ERROR ? "error" : "warning");
		S_escape(&b, msg);
		buf_putc(&b, '\n');
		text = buf_detach(&b);
	}
	pthread_mutex_lock(&S_lock);
	if (!S_first(text)) {
		pthread_mutex_unlock(&S_lock);
		free(text);
		return;
	}
	if (S_nentries == S_capentries) {
		S_capentries = S_capentries ? S_capentries * 2 : 64;
		S_entries = xrealloc(S_entries, S_capentries * sizeof(*S_entries));
	}
	S_entries[S_nentries].path = xstrdup(path);
	S_entries[S_nentries].line = line;
	S_entries[S_nentries].col = col;
	S_entries[S_nentries].seq = S_seq++;
	S_entries[S_nentries++].text = text;
	if (lv == DIAG_ERROR)
		S_errors++;
	else
		S_warnings++;
	pthread_mutex_unlock(&S_lock);
}

void
diag_error(const char *path, int line, int col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	S_report(DIAG_ERROR, path, line, col, fmt, ap);
	va_end(ap);
}

void
diag_warn(const char *path, int line, int col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	S_report(DIAG_WARN, path, line, col, fmt, ap);
	va_end(ap);
}

void
diag_set_strict(int strict)
{
	S_strict = strict;
}

int
diag_errors(void)
{
	return S_errors;
}

int
diag_warnings(void)
{
	return S_warnings;
}

static int
S_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int	 c;

	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/* two messages at one place: by text, so threads cannot reorder them */
	if ((c = strcmp(x->text, y->text)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves the pending entries, sorted by place, into S_pending. Locked. */
static void
S_collect(void)
{
	size_t	 i;

	if (S_nentries > 1)
		qsort(S_entries, S_nentries, sizeof(*S_entries), S_cmp);
	for (i = 0; i < S_nentries; i++) {
		buf_puts(&S_pending, S_entries[i].text);
		free(S_entries[i].text);
		free(S_entries[i].path);
	}
	S_nentries = 0;
}

void
diag_flush(void)
{
	pthread_mutex_lock(&S_lock);
	S_collect();
	if (S_pending.len)
		fwrite(S_pending.data, 1, S_pending.len, stderr);
	buf_reset(&S_pending);
	pthread_mutex_unlock(&S_lock);
}

char *
diag_text(void)
{
	char	*s;

	pthread_mutex_lock(&S_lock);
	S_collect();
	s = xstrndup(S_pending.data ? S_pending.data : "", S_pending.len);
	pthread_mutex_unlock(&S_lock);
	return s;
}

void
diag_reset(void)
{
	size_t	 i;

	pthread_mutex_lock(&S_lock);
	for (i = 0; i < S_nentries; i++) {
		free(S_entries[i].text);
		free(S_entries[i].path);
	}
	free(S_entries);
	S_entries = NULL;
	S_nentries = S_capentries = 0;
	buf_free(&S_pending);
	hmap_free(&S_seen);
	S_errors = S_warnings = 0;
	pthread_mutex_unlock(&S_lock);
}
