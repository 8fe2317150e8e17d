/*
 * buf.h - growable byte buffers.
 *
 * A struct buf is always NUL-terminated after its len bytes once anything
 * was appended, so b.data can be used as a C string when the content has
 * no NUL. Initialise with BUF_INIT (or zero it); release with buf_free().
 */
#ifndef BR_BUF_H
#define BR_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_grow(struct buf *, size_t extra);
void	 buf_puts(struct buf *, const char *);

/* Appends n bytes at p. Inline: most appends are short and fit. */
static inline void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, int c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Appends v as printf's "%.*f" writes it with prec (0..3) decimals, the
 * same bytes, without printf for the usual values (the maps write tens of
 * thousands of coordinates).
 */
void	 buf_put_fixed(struct buf *, double v, int prec);
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void	 buf_put_html(struct buf *, const char *s, size_t len);
/* Appends s (valid UTF-8) as a JSON string, quotes included. */
void	 buf_put_json(struct buf *, const char *s, size_t len);
void	 buf_reset(struct buf *);
/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char	*buf_detach(struct buf *);
void	 buf_free(struct buf *);

#endif
