/*
 * buf.c - growable byte buffers.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	/* format into the room there is; only a longer text needs a second
	 * pass after the buffer grew */
	buf_grow(b, 32);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/*
 * Eight bytes at a time (the escaping functions skip plain text so):
 * S_ZERO(v) is nonzero when a byte of v is 0, S_LESS(v, k) when one is
 * below k (k <= 128), S_HAS(v, c) when one is c. Each is exact as a
 * test of the eight, though not of which byte it is.
 */
#define S_ONES		0x0101010101010101ULL
#define S_HIGHS		0x8080808080808080ULL
#define S_LESS(v, k)	(((v) - S_ONES * (k)) & ~(v) & S_HIGHS)
#define S_ZERO(v)	S_LESS(v, 1)
#define S_HAS(v, c)	S_ZERO((v) ^ (S_ONES * (unsigned char)(c)))

static inline uint64_t
S_load8(const char *s)
{
	uint64_t	 v;

	memcpy(&v, s, sizeof(v));
	return v;
}

/*
 * x = v * 10^prec differs from the exact product by less than 1e-7 below
 * 1e9, so the two round alike unless x is near a half, where printf's
 * rounding of the exact value decides: those, the negative (printf writes
 * "-0.0" for -0.01), the large and the odd are printf's.
 */
void
buf_put_fixed(struct buf *b, double v, int prec)
{
	static const double	 scale[] = { 1, 10, 100, 1000 };
	static const unsigned	 div[] = { 1, 10, 100, 1000 };
	char			 s[32];
	double			 x, f;
	unsigned long long	 n, ip;
	unsigned		 fp;
	int			 k = (int)sizeof(s), d;

	if (prec < 0 || prec > 3 || !(v >= 0) || signbit(v) ||
	    (x = v * scale[prec]) >= 1e9 ||
	    fabs((f = x - floor(x)) - 0.5) < 1e-6) {
		buf_printf(b, "%.*f", prec, v);
		return;
	}
	n = (unsigned long long)floor(x) + (f > 0.5);
	ip = n / div[prec];
	fp = (unsigned)(n % div[prec]);
	for (d = 0; d < prec; d++, fp /= 10)
		s[--k] = (char)('0' + fp % 10);
	if (prec > 0)
		s[--k] = '.';
	do
		s[--k] = (char)('0' + ip % 10);
	while ((ip /= 10) != 0);
	buf_put(b, s + k, sizeof(s) - (size_t)k);
}

void
buf_put_html(struct buf *b, const char *s, size_t n)
{
	static const unsigned char esc[256] = {
		['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5
	};
	static const char *const rep[] = {
		"", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"
	};
	size_t		 i = 0, end, start = 0;
	uint64_t	 v;

	buf_grow(b, n);
	while (i < n) {
		/* eight at a time while none of them is to be escaped */
		if (i + 8 <= n && (v = S_load8(s + i), (S_HAS(v, '&') |
		    S_HAS(v, '<') | S_HAS(v, '>') | S_HAS(v, '"') |
		    S_HAS(v, '\'')) == 0)) {
			i += 8;
			continue;
		}
		for (end = i + 8 < n ? i + 8 : n; i < end; i++) {
			if (esc[(unsigned char)s[i]] == 0)
				continue;
			buf_put(b, s + start, i - start);
			buf_puts(b, rep[esc[(unsigned char)s[i]]]);
			start = i + 1;
		}
	}
	buf_put(b, s + start, n - start);
}

void
buf_put_json(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 i = 0, end, start = 0;
	uint64_t	 v;
	unsigned char	 c;

	buf_grow(b, n + 2);
	buf_putc(b, '"');
	while (i < n) {
		/* eight at a time while none is a control, '"' or '\\' */
		if (i + 8 <= n && (v = S_load8(s + i), (S_LESS(v, 0x20) |
		    S_HAS(v, '"') | S_HAS(v, '\\')) == 0)) {
			i += 8;
			continue;
		}
		for (end = i + 8 < n ? i + 8 : n; i < end; i++) {
			c = (unsigned char)s[i];
			if (c >= 0x20 && c != '"' && c != '\\')
				continue;
			buf_put(b, s + start, i - start);
			start = i + 1;
			if (c == '"' || c == '\\') {
				buf_putc(b, '\\');
				buf_putc(b, c);
			} else if (c == '\n') {
				buf_puts(b, "\\n");
			} else if (c == '\t') {
				buf_puts(b, "\\t");
			} else {
				buf_puts(b, "\\u00");
				buf_putc(b, hex[c >> 4]);
				buf_putc(b, hex[c & 15]);
			}
		}
	}
	buf_put(b, s + start, n - start);
	buf_putc(b, '"');
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
buf_detach(struct buf *b)
{
	char	*p = b->data;

	if (p == NULL)
		p = xcalloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
