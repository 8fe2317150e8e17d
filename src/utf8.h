/*
 * utf8.h - UTF-8 text: validation with a position, NFC normalisation,
 * display-width excerpts cut on grapheme boundaries, CJK classification,
 * reading-length counts and slugs.
 */
#ifndef BR_UTF8_H
#define BR_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns the offset of the first byte that does not begin a valid UTF-8
 * sequence (overlong forms, surrogates and values past U+10FFFF are
 * invalid), or len when all of s is valid; and, in the same pass, sets
 * *stable (if not NULL) to whether all of s is valid and NFC-stable (see
 * utf8_nfc_stable()).
 */
size_t	 utf8_scan(const char *s, size_t len, int *stable);
/*
 * The 1-based line and column (in characters) of byte offset off in s,
 * counting invalid bytes as one column each.
 */
void	 utf8_position(const char *s, size_t off, int *line, int *col);
/*
 * Decodes one code point at s (len bytes available). Returns its length in
 * bytes, or 0 if the sequence is invalid; *cp gets the code point. Inline
 * for ASCII and the three-byte sequences of Chinese text (the loops that
 * read every character), utf8_decode_any() for the rest.
 */
size_t	 utf8_decode_any(const char *s, size_t len, int32_t *cp);
static inline size_t
utf8_decode(const char *str, size_t len, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	int32_t		 c;

	if (len >= 1 && s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (len >= 3 && (s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		c = (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;	/* overlong, a surrogate */
		*cp = c;
		return 3;
	}
	return utf8_decode_any(str, len, cp);
}
/*
 * Returns s normalised to NFC in a new NUL-terminated buffer (caller frees),
 * *outlen its length; s must be valid UTF-8 without NUL bytes. Text with
 * nothing that NFC could change is copied without calling utf8proc.
 */
char	*utf8_nfc(const char *s, size_t len, size_t *outlen);
/* Is s made only of code points NFC leaves alone whatever surrounds them
 * (so utf8_nfc would copy it unchanged)? */
int	 utf8_nfc_stable(const char *s, size_t len);
/* Han ideographs, kana, CJK symbols and punctuation, fullwidth forms. */
int	 utf8_is_cjk(int32_t cp);
/* Han ideographs only (unified, extension A and later, compatibility);
 * inline, for the loops that ask it of every character of a text. */
static inline int
utf8_is_han(int32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0x20000 && cp <= 0x3134F);
}
/*
 * Does s (len bytes) start with a common ideograph (U+4E00 to U+9FFF: E4 B8
 * 80 to E9 BF BF)? Three bytes each, valid UTF-8 that NFC leaves alone and
 * search does not fold: most of a Chinese text, seen without decoding.
 */
static inline int
utf8_han3(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	return len >= 3 && s[0] >= 0xE4 && s[0] <= 0xE9 &&
	    (s[0] > 0xE4 || s[1] >= 0xB8) &&
	    (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80;
}
/* CJK punctuation (U+3000..U+303F, fullwidth punctuation). */
int	 utf8_is_cjk_punct(int32_t cp);
/* The code point ending the first n bytes of s, or -1. */
int32_t	 utf8_last(const char *s, size_t n);
/* The first code point of s, or -1. */
int32_t	 utf8_first(const char *s, size_t n);
/*
 * Copies into a new string at most width display columns of s (East Asian
 * wide characters count two), cutting only between grapheme clusters and
 * preferring a word boundary for Latin text; appends "…" when it cut.
 * Caller frees.
 */
char	*utf8_excerpt(const char *s, size_t len, int width);
/*
 * Counts reading units in one pass: each Han character is one, each run of
 * Latin letters or digits is one word. Returns the count.
 */
size_t	 utf8_count_words(const char *s, size_t len);
/*
 * A slug for a heading id: lowercase ASCII letters and digits, Han and
 * other letters kept as they are, everything else folded into single
 * dashes, no dash at either end. Never empty: falls back to fallback.
 * Caller frees.
 */
char	*utf8_slug(const char *s, size_t len, const char *fallback);

/*
 * Plain text (a front-matter value) set as cmark's smart option sets a
 * Markdown body: straight quotes curled by what stands before them, "--"
 * an en dash, "---" an em dash, "..." an ellipsis. Returns a new string,
 * or NULL when s has none of these.
 */
char	*utf8_smart(const char *s);
/*
 * Text with the breaks a reader does not want taken out: a date stays on
 * one line ("2–3 July 2023": no-break spaces around the month, word
 * joiners around a dash between digits), and so does an abbreviation with
 * a one-letter prefix ("U-CAP": a non-breaking hyphen). Returns a new
 * string, or NULL when nothing changes.
 */
char	*utf8_nowrap(const char *s);
/* The same trying every byte, without utf8_nowrap()'s jumps over text
 * with no digit or hyphen near: the reference the tests hold it to. */
char	*utf8_nowrap_every(const char *s);

#endif
