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

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_grow(struct buf *, size_t extra);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
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
