/*
 * buf.c - growable byte buffers.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
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

#ifndef __SSE2__
/*
 * Eight bytes at a time (the escaping functions skip plain text so where
 * SSE2 is missing):
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
#endif

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

/* What HTML escapes: a byte's replacement's index in S_html_rep, or 0. */
static const unsigned char S_html_esc[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5
};
static const char *const S_html_rep[] = {
	"", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"
};

/* What the two escapes escape: HTML's five, and JSON's controls, '"'
 * and '\\'. */
enum esc { ESC_HTML, ESC_JSON };

static inline int
S_escaped(enum esc e, unsigned char c)
{
	return e == ESC_HTML ? S_html_esc[c] != 0 :
	    c < 0x20 || c == '"' || c == '\\';
}

/*
 * The place of the first byte from i on of s (n bytes) that e escapes, or
 * n. Sixteen bytes at a time where the machine compares sixteen at once
 * (SSE2: every x86-64), else eight: most strings have none to escape.
 */
static inline size_t
S_next(enum esc e, const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	__m128i		 v, m;
	int		 bits;

	for (; i + 16 <= n; i += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		if (e == ESC_HTML)
			/* & and ' are 0x26 and 0x27, < and > 0x3C and 0x3E */
			m = _mm_or_si128(_mm_or_si128(
			    _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)),
			    _mm_set1_epi8('\'')),
			    _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)),
			    _mm_set1_epi8('>'))),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
		else
			/* a control is its own minimum with 0x1F, unsigned */
			m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(
			    _mm_min_epu8(v, _mm_set1_epi8(0x1F)), v),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
			    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
		if ((bits = _mm_movemask_epi8(m)) != 0)
			return i + (size_t)__builtin_ctz((unsigned)bits);
	}
#else
	uint64_t	 v;

	for (; i + 8 <= n; i += 8) {
		v = S_load8(s + i);
		if ((e == ESC_HTML ? S_HAS(v, '&') | S_HAS(v, '<') |
		    S_HAS(v, '>') | S_HAS(v, '"') | S_HAS(v, '\'') :
		    S_LESS(v, 0x20) | S_HAS(v, '"') | S_HAS(v, '\\')) != 0)
			break;
	}
#endif
	for (; i < n; i++)
		if (S_escaped(e, (unsigned char)s[i]))
			return i;
	return n;
}

void
buf_put_html(struct buf *b, const char *s, size_t n)
{
	size_t	 i, start = 0;

	buf_grow(b, n);
	while ((i = S_next(ESC_HTML, s, start, n)) < n) {
		buf_put(b, s + start, i - start);
		buf_puts(b, S_html_rep[S_html_esc[(unsigned char)s[i]]]);
		start = i + 1;
	}
	buf_put(b, s + start, n - start);
}

void
buf_put_json(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 i, start = 0;
	unsigned char	 c;

	buf_grow(b, n + 2);
	buf_putc(b, '"');
	while ((i = S_next(ESC_JSON, s, start, n)) < n) {
		buf_put(b, s + start, i - start);
		start = i + 1;
		c = (unsigned char)s[i];
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
