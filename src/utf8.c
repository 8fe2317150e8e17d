/*
 * utf8.c - UTF-8 text helpers on top of utf8proc.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"
#include "utf8.h"
#include "util.h"

size_t
utf8_decode_any(const char *str, size_t len, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	int32_t		 c;
	size_t		 n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xC2)
		return 0;
	if (s[0] < 0xE0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if (s[0] < 0xF0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] < 0xF5) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/*
 * Eight bytes at a time: ONES and HIGHS repeat 0x01 and 0x80 in each byte;
 * IN(x, lo, hi) has 0x80 in each byte of x (all ASCII) that is in lo..hi,
 * the sums never carrying into the next byte.
 */
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
#define IN(x, lo, hi) (((x) + ONES * (0x80 - (lo))) & \
	~((x) + ONES * (0x7F - (hi))) & HIGHS)

/* Eight bytes as a number, the first the lowest, whatever the machine. */
static uint64_t
S_load8(const unsigned char *s)
{
	return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
	    (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 |
	    (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56;
}

/* The number of ASCII bytes s starts with, eight at a time. */
static inline size_t
S_ascii(const unsigned char *s, size_t len)
{
	size_t		 i = 0;

	while (i + 8 <= len && (S_load8(s + i) & HIGHS) == 0)
		i += 8;
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

/*
 * A three-byte sequence other than E0 (overlong forms) and ED (surrogates),
 * where all of the BMP's CJK lives, decoded without the general checks.
 */
static inline int
S_cjk3(const unsigned char *s, size_t len, int32_t *cp)
{
	if (s[0] < 0xE1 || s[0] > 0xEF || s[0] == 0xED || len < 3 ||
	    (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
		return 0;
	*cp = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	return 1;
}

/* The length of the run of common ideographs (utf8_han3) s starts with,
 * none decoded. */
static inline size_t
S_han_run(const unsigned char *s, size_t len)
{
	size_t	 i = 0;

	while (utf8_han3((const char *)s + i, len - i))
		i += 3;
	return i;
}

/*
 * Code points NFC leaves alone whatever surrounds them: ASCII, the CJK
 * unified ideographs, CJK punctuation, kana and fullwidth forms (none has a
 * canonical decomposition or combines with a neighbour). Anything else
 * sends the text through utf8proc.
 */
static int
S_nfc_stable(int32_t cp)
{
	return cp < 0x300 ||
	    (cp >= 0x2000 && cp <= 0x206F) ||
	    (cp >= 0x3000 && cp <= 0x3098) ||
	    (cp >= 0x309D && cp <= 0x30FF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xFF00 && cp <= 0xFFEF);
}

size_t
utf8_scan(const char *str, size_t len, int *stable)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t		 i = 0, n;
	int32_t		 cp;
	int		 st = 1;

	for (;;) {
		i += S_ascii(s + i, len - i);
		if (i >= len)
			break;
		if ((n = S_han_run(s + i, len - i)) > 0) {
			i += n;
			continue;
		}
		if (S_cjk3(s + i, len - i, &cp))
			n = 3;
		else if ((n = utf8_decode(str + i, len - i, &cp)) == 0)
			break;
		st = st && S_nfc_stable(cp);
		i += n;
	}
	if (stable != NULL)
		*stable = st && i >= len;
	return i < len ? i : len;
}

void
utf8_position(const char *s, size_t off, int *line, int *col)
{
	size_t	 i = 0, n;
	int32_t	 cp;

	*line = 1;
	*col = 1;
	while (i < off) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
			i++;
			continue;
		}
		n = utf8_decode(s + i, off - i, &cp);
		i += n ? n : 1;
		(*col)++;
	}
}

int
utf8_nfc_stable(const char *s, size_t len)
{
	int	 stable;

	utf8_scan(s, len, &stable);
	return stable;
}

char *
utf8_nfc(const char *s, size_t len, size_t *outlen)
{
	utf8proc_uint8_t *r;

	if (utf8_nfc_stable(s, len)) {
		*outlen = len;
		return xstrndup(s, len);
	}
	r = (utf8proc_uint8_t *)utf8proc_NFC((const utf8proc_uint8_t *)s);
	if (r == NULL)
		return NULL;
	*outlen = strlen((char *)r);
	return (char *)r;
}

int
utf8_is_cjk_punct(int32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    cp == 0x2014 || cp == 0x2026 || cp == 0x201C || cp == 0x201D ||
	    cp == 0x2018 || cp == 0x2019 || cp == 0x00B7;
}

int
utf8_is_cjk(int32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x2FDF) ||	/* radicals */
	    (cp >= 0x3000 && cp <= 0x30FF) ||	/* punctuation, kana */
	    (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFF00 && cp <= 0xFF60) ||	/* fullwidth forms */
	    (cp >= 0x20000 && cp <= 0x3134F);
}

int32_t
utf8_last(const char *s, size_t n)
{
	size_t	 i = n;
	int32_t	 cp;

	if (n == 0)
		return -1;
	while (i > 0 && n - i < 4) {
		i--;
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			break;
	}
	if (utf8_decode(s + i, n - i, &cp) != n - i)
		return -1;
	return cp;
}

int32_t
utf8_first(const char *s, size_t n)
{
	int32_t	 cp;

	if (utf8_decode(s, n, &cp) == 0)
		return -1;
	return cp;
}

/*
 * The display width of characters that neither join nor extend a grapheme
 * cluster, whatever their neighbours: printable ASCII (1), and CJK
 * ideographs, punctuation and fullwidth forms (2). 0 for anything else,
 * which goes through utf8proc.
 */
static int
S_simple_width(int32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return 1;
	if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3000 && cp <= 0x3029) ||
	    (cp >= 0xFF01 && cp <= 0xFF60))
		return 2;
	return 0;
}

char *
utf8_excerpt(const char *s, size_t len, int width)
{
	utf8proc_int32_t	 cp, prev = -1;
	utf8proc_int32_t state = 0;
	size_t		 i = 0, n, cut = 0, space_cut = 0;
	int		 w = 0, cw, brk;
	struct buf	 b = BUF_INIT;

	while (i < len) {
		n = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &cp);
		if ((utf8proc_ssize_t)n <= 0)
			break;
		if (prev >= 0 && S_simple_width(prev) && (cw = S_simple_width(cp))) {
			/* between two such characters there is always a break */
			brk = 1;
			state = 0;
		} else {
			brk = prev >= 0 &&
			    utf8proc_grapheme_break_stateful(prev, cp, &state);
			if ((cw = utf8proc_charwidth(cp)) < 0)
				cw = 0;
		}
		if (brk) {
			cut = i;	/* a grapheme cluster ends before i */
			if (cp == ' ')
				space_cut = i;
		}
		if (w + cw > width)
			break;
		w += cw;
		prev = cp;
		i += n;
	}
	if (i >= len) {
		buf_put(&b, s, len);
		return buf_detach(&b);
	}
	/* Latin text: prefer the last space if it is not too far back. */
	if (space_cut > 0 && cut - space_cut < 20)
		cut = space_cut;
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ','))
		cut--;
	buf_put(&b, s, cut);
	buf_puts(&b, "…");
	return buf_detach(&b);
}

/*
 * 0x80 in each byte of x (eight ASCII bytes) that words are made of:
 * letters (after case folding), digits and the apostrophe.
 */
static uint64_t
S_wordbits(uint64_t x)
{
	return IN(x | ONES * 0x20, 'a', 'z') | IN(x, '0', '9') |
	    IN(x, '\'', '\'');
}

#ifdef __SSE2__
/*
 * Sixteen bytes at s: -1 unless all are ASCII, else a bit for each (the
 * first the lowest) that words are made of, as S_wordbits() has them.
 */
static inline int
S_wordmask16(const unsigned char *s)
{
	__m128i	 v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i	 l, d;

	if (_mm_movemask_epi8(v) != 0)
		return -1;
	/* x - lo <= hi - lo, unsigned: a letter after folding, a digit */
	l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
	    _mm_set1_epi8('a'));
	d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8('z' - 'a')), l),
	    _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d)),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))));
}
#endif

size_t
utf8_count_words(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t		 i = 0, n, count = 0;
	int32_t		 cp;
	int		 inword = 0;
	unsigned char	 c;
	uint64_t	 x, w, starts;
#ifdef __SSE2__
	int		 m;
#endif

	while (i < len) {
#ifdef __SSE2__
		/* sixteen ASCII bytes at a time where the machine compares
		 * sixteen at once, as the eight below */
		while (len - i >= 16 && (m = S_wordmask16(s + i)) >= 0) {
			count += (size_t)__builtin_popcount((unsigned)m &
			    ~((unsigned)m << 1 | (unsigned)inword));
			inword = m >> 15 & 1;
			i += 16;
		}
#endif
		/* eight ASCII bytes at a time: which make words, and where
		 * a word starts (a word byte after a non-word byte) */
		while (len - i >= 8 && ((x = S_load8(s + i)) & HIGHS) == 0) {
			w = S_wordbits(x);
			starts = w & ~(w << 8 | (inword ? 0x80u : 0));
			count += (size_t)(((starts >> 7) * ONES) >> 56);
			inword = (int)(w >> 63);
			i += 8;
		}
		if (i >= len)
			break;
		c = s[i];
		if (c < 0x80) {
			/* one ASCII byte: the same test, in the lowest lane */
			w = S_wordbits(c) != 0;
			count += w & !inword;
			inword = (int)w;
			i++;
			continue;
		}
		/* each ideograph is a word */
		if ((n = S_han_run(s + i, len - i)) > 0) {
			count += n / 3;
			inword = 0;
			i += n;
			continue;
		}
		if (S_cjk3(s + i, len - i, &cp))
			n = 3;
		else if ((n = utf8_decode(str + i, len - i, &cp)) == 0) {
			i++;
			inword = 0;
			continue;
		}
		i += n;
		if (utf8_is_han(cp)) {
			count++;
			inword = 0;
		} else if (!utf8_is_cjk(cp) &&
		    utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO) {
			count += !inword;
			inword = 1;
		} else
			inword = 0;
	}
	return count;
}

char *
utf8_slug(const char *s, size_t len, const char *fallback)
{
	struct buf	 b = BUF_INIT;
	size_t		 i = 0, n;
	int32_t		 cp;
	int		 dash = 0;
	utf8proc_category_t cat;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			i++;
			continue;
		}
		if (cp < 0x80) {
			if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
				if (dash && b.len)
					buf_putc(&b, '-');
				dash = 0;
				buf_putc(&b, cp);
			} else if (cp >= 'A' && cp <= 'Z') {
				if (dash && b.len)
					buf_putc(&b, '-');
				dash = 0;
				buf_putc(&b, cp + 32);
			} else
				dash = 1;
		} else {
			cat = utf8proc_category(cp);
			if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
				if (dash && b.len)
					buf_putc(&b, '-');
				dash = 0;
				buf_put(&b, s + i, n);
			} else if (cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_MN) {
				buf_put(&b, s + i, n);
			} else
				dash = 1;
		}
		i += n;
	}
	if (b.len == 0)
		buf_puts(&b, fallback);
	return buf_detach(&b);
}

/* Does a quote after cp open? (Start of text, space, an opening mark.) */
static int
S_opens_after(int32_t cp)
{
	static const int32_t open[] = { '(', '[', '{', '/', '-', 0x2013, 0x2014,
	    0x2018, 0x201C, 0xFF08, 0x300A, 0x300C, 0x300E, 0x3010 };
	size_t	 i;

	if (cp < 0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0)
		return 1;
	for (i = 0; i < sizeof(open) / sizeof(*open); i++)
		if (cp == open[i])
			return 1;
	return 0;
}

char *
utf8_smart(const char *s)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n = strlen(s);
	int32_t		 prev = -1;

	if (strpbrk(s, "'\"") == NULL && strstr(s, "--") == NULL &&
	    strstr(s, "...") == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\'') {
			/* it's, 1990's, the '90s: an apostrophe unless it opens */
			buf_puts(&b, S_opens_after(prev) && i + 1 < n &&
			    s[i + 1] != ' ' ? "\u2018" : "\u2019");
			prev = 0x2019;
		} else if (s[i] == '"') {
			buf_puts(&b, S_opens_after(prev) ? "\u201C" : "\u201D");
			prev = 0x201D;
		} else if (s[i] == '-' && i + 2 < n && s[i + 1] == '-' &&
		    s[i + 2] == '-') {
			buf_puts(&b, "\u2014");
			i += 2;
			prev = 0x2014;
		} else if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
			buf_puts(&b, "\u2013");
			i += 1;
			prev = 0x2013;
		} else if (s[i] == '.' && i + 2 < n && s[i + 1] == '.' &&
		    s[i + 2] == '.') {
			buf_puts(&b, "\u2026");
			i += 2;
			prev = 0x2026;
		} else {
			size_t	 k = utf8_decode(s + i, n - i, &prev);

			if (k == 0) {
				k = 1;
				prev = (unsigned char)s[i];
			}
			buf_put(&b, s + i, k);
			i += k - 1;
		}
	}
	return buf_detach(&b);
}

static const char *const S_months[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };

/* The length of the month name at s (n bytes, then a NUL), ending a word,
 * or 0. */
static size_t
S_month_at(const char *s, size_t n)
{
	size_t	 i, l;

	for (i = 0; i < 12; i++) {
		/* most capitals begin no month: two letters settle it */
		if (S_months[i][0] != s[0] || S_months[i][1] != s[1])
			continue;
		l = strlen(S_months[i]);
		if (l <= n && memcmp(s, S_months[i], l) == 0 && (l == n ||
		    !((s[l] >= 'a' && s[l] <= 'z') || (s[l] >= 'A' && s[l] <= 'Z'))))
			return l;
	}
	return 0;
}

static int
S_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
S_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Does s[0..i) end in a day of the month: one or two digits alone? */
static int
S_day_before(const char *s, size_t i)
{
	size_t	 j = i;

	while (j > 0 && S_digit(s[j - 1]))
		j--;
	return i - j >= 1 && i - j <= 2 && (j == 0 || !(S_alpha(s[j - 1]) ||
	    S_digit(s[j - 1])));
}

/*
 * Which break utf8_nowrap() takes out at s[i], and how many bytes it
 * replaces (0: none here). Kinds: 1 a no-break space after a day, 2 one
 * before a year (after the m-byte month), 3 word joiners around a dash
 * between digits, 4 a non-breaking hyphen.
 */
static int
S_nowrap_at(const char *s, size_t n, size_t i, size_t *m)
{
	switch (s[i]) {
	case ' ':
		/* "3 July", "21 July": the space after a day */
		return S_day_before(s, i) && S_month_at(s + i + 1, n - i - 1) > 0;
	case '-':
		/* "U-CAP": a one-letter capital prefix keeps its word */
		return i > 0 && s[i - 1] >= 'A' && s[i - 1] <= 'Z' &&
		    (i == 1 || !S_alpha(s[i - 2])) && i + 1 < n &&
		    s[i + 1] >= 'A' && s[i + 1] <= 'Z' ? 4 : 0;
	case '\xE2':
		/* "2–3": an en dash between digits joins them */
		return i > 0 && S_digit(s[i - 1]) && i + 3 < n &&
		    memcmp(s + i, "\u2013", 3) == 0 && S_digit(s[i + 3]) ? 3 : 0;
	default:
		/* "July 2023": the space before a year */
		if (s[i] >= 'A' && s[i] <= 'S' && (i == 0 || !S_alpha(s[i - 1])) &&
		    (*m = S_month_at(s + i, n - i)) > 0 && i + *m + 4 < n &&
		    s[i + *m] == ' ' && S_digit(s[i + *m + 1]) &&
		    S_digit(s[i + *m + 2]) && S_digit(s[i + *m + 3]) &&
		    S_digit(s[i + *m + 4]) && (i + *m + 5 == n ||
		    !S_digit(s[i + *m + 5])))
			return 2;
		return 0;
	}
}

/* utf8_nowrap(), with jump set; without, it tries every byte. */
static char *
S_nowrap(const char *s, int jump)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, n, m = 0, from = 0, next;
	int		 k;

	/*
	 * Every break it takes out is near a digit or a hyphen: at a
	 * hyphen, just after a digit, or a month's name (9 letters at most)
	 * and a space before one. Where the next is more than 10 bytes on,
	 * and the byte before is no digit, the scan jumps (strcspn reads
	 * a vector at a time); most texts are one such jump.
	 */
	if (s[next = strcspn(s, "0123456789-")] == '\0' && jump)
		return NULL;
	n = strlen(s);
	for (i = 0; i < n; i++) {
		if (next < i)
			next = i + strcspn(s + i, "0123456789-");
		if (jump && next > i + 10 && (i == 0 || !S_digit(s[i - 1]))) {
			i = next - 11;
			continue;
		}
		if ((k = S_nowrap_at(s, n, i, &m)) == 0)
			continue;
		buf_put(&b, s + from, i - from);
		switch (k) {
		case 1:
			buf_puts(&b, "\u00A0");
			from = i + 1;
			break;
		case 2:
			buf_put(&b, s + i, m);
			buf_puts(&b, "\u00A0");
			i += m;
			from = i + 1;
			break;
		case 3:
			buf_puts(&b, "\u2060\u2013\u2060");
			i += 2;
			from = i + 1;
			break;
		default:
			buf_puts(&b, "\u2011");
			from = i + 1;
			break;
		}
	}
	if (b.data == NULL)
		return NULL;
	buf_put(&b, s + from, n - from);
	return buf_detach(&b);
}

char *
utf8_nowrap(const char *s)
{
	return S_nowrap(s, 1);
}

char *
utf8_nowrap_every(const char *s)
{
	return S_nowrap(s, 0);
}
