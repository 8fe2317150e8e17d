/*
 * unit.c - unit tests of the small modules: arena, fmt, utf8, ytree,
 * suggest, sitemap, search's folding and postings, JSON strings, util's
 * thread count.
 * Ends with "unit: N passed, N failed" and "N passed, N failed".
 */
#define _XOPEN_SOURCE 700	/* nftw */
#include <ctype.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "fmt.h"
#include "model.h"
#include "search.h"
#include "sitemap.h"
#include "tv.h"
#include "utf8.h"
#include "util.h"
#include "write.h"
#include "ytree.h"

static int	 S_pass, S_fail;

static void
S_str_eq(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) == 0) {
		S_pass++;
		return;
	}
	S_fail++;
	printf("FAIL %s: got \"%s\", want \"%s\"\n", what, got, want);
}

static void
S_int_eq(const char *what, long long got, long long want)
{
	if (got == want) {
		S_pass++;
		return;
	}
	S_fail++;
	printf("FAIL %s: got %lld, want %lld\n", what, got, want);
}

static void
S_fmt(void)
{
	struct buf	 b = BUF_INIT;

#define F(call, want) do { buf_reset(&b); call; S_str_eq(#call, b.data ? b.data : "", want); } while (0)
	F(fmt_population(&b, "en", 1666530), "1,666,530");
	F(fmt_population(&b, "zh", 1666530), "1,666,530人");
	F(fmt_population(&b, "en", 999), "999");
	F(fmt_population(&b, "en", 1000), "1,000");
	F(fmt_int(&b, 21893000), "21,893,000");
	F(fmt_area(&b, "en", "101.9"), "101.9 km²");
	F(fmt_area(&b, "zh", "101.9"), "101.9平方公里");
	F(fmt_area(&b, "zh", "16411"), "16,411平方公里");
	F(fmt_area(&b, "en", "12345.25"), "12,345.25 km²");
	F(fmt_date(&b, "en", "2022-03-04"), "4 March 2022");
	F(fmt_date(&b, "zh", "2022-03-04"), "2022年3月4日");
	F(fmt_date(&b, "zh-Hant", "2022-12-31"), "2022年12月31日");
	F(fmt_date(&b, "fr", "2022-10-28"), "28 October 2022");
	F(fmt_date_range(&b, "en", "2023-06-12", "2023-06-14"), "12–14 June 2023");
	F(fmt_date_range(&b, "en", "2023-05-30", "2023-06-02"), "30 May – 2 June 2023");
	F(fmt_date_range(&b, "en", "2023-12-30", "2024-01-02"), "30 December 2023 – 2 January 2024");
	F(fmt_date_range(&b, "zh", "2023-06-12", "2023-06-14"), "2023年6月12日至14日");
	F(fmt_date_range(&b, "zh", "2023-05-30", "2023-06-02"), "2023年5月30日至6月2日");
	F(fmt_date_range(&b, "zh", "2023-06-12", NULL), "2023年6月12日");
#undef F
	buf_free(&b);
}

static void
S_utf8(void)
{
	char	*s;
	size_t	 n;
	int	 line, col;

	S_int_eq("valid", (long long)utf8_scan("abc中文", 9, NULL), 9);
	S_int_eq("overlong", (long long)utf8_scan("a\xC0\x80", 3, NULL), 1);
	S_int_eq("surrogate", (long long)utf8_scan("ab\xED\xA0\x80", 5, NULL), 2);
	S_int_eq("truncated", (long long)utf8_scan("中\xE6\x96", 5, NULL), 3);
	/* the eight-byte ASCII steps and the three-byte fast path */
	S_int_eq("invalid after 17 ASCII", (long long)utf8_scan(
	    "abcdefghijklmnopq\xFFr", 19, NULL), 17);
	S_int_eq("E0 overlong", (long long)utf8_scan("12345678\xE0\x80\xAF",
	    11, NULL), 8);
	S_int_eq("ED surrogate", (long long)utf8_scan("\xED\xBF\xBF", 3, NULL), 0);
	S_int_eq("ED below the surrogates", (long long)utf8_scan(
	    "\xED\x9F\xBF", 3, NULL), 3);
	S_int_eq("four bytes", (long long)utf8_scan("\xF0\xA0\x80\x80x", 5, NULL),
	    5);
	{
		int	 st;

		S_int_eq("scan: valid", (long long)utf8_scan("北京 Beijing 2022",
		    strlen("北京 Beijing 2022"), &st), strlen("北京 Beijing 2022"));
		S_int_eq("scan: CJK and ASCII are NFC-stable", st, 1);
		utf8_scan("Cafe\xCC\x81 and more text", 20, &st);
		S_int_eq("scan: a combining mark is not", st, 0);
		utf8_scan("abc\xFF", 4, &st);
		S_int_eq("scan: invalid text is not", st, 0);
		S_int_eq("nfc_stable: fullwidth punctuation", utf8_nfc_stable(
		    "北京，上海。", strlen("北京，上海。")), 1);
		S_int_eq("nfc_stable: compatibility ideograph",
		    utf8_nfc_stable("\xEF\xA4\x80", 3), 0);
	}
	utf8_position("ab\n中文x\xFF", 10, &line, &col);
	S_int_eq("position line", line, 2);
	S_int_eq("position col", col, 4);
	s = utf8_nfc("Cafe\xCC\x81", 6, &n);	/* e + combining acute */
	S_str_eq("nfc compose", s, "Caf\xC3\xA9");
	free(s);
	s = utf8_nfc("\xEF\xA4\x80", 3, &n);	/* U+F900 compatibility ideograph */
	S_str_eq("nfc cjk compat", s, "\xE8\xB1\x88");
	free(s);
	s = utf8_excerpt("北京是中国的首都，也是文化中心。", 48, 10);
	S_str_eq("excerpt cjk width", s, "北京是中国…");
	free(s);
	s = utf8_excerpt("The quick brown fox jumps over", 30, 17);
	S_str_eq("excerpt latin word", s, "The quick brown…");
	free(s);
	s = utf8_excerpt("e\xCC\x81\xCC\x81xyz", 8, 1);	/* one grapheme, width 1 */
	S_str_eq("excerpt grapheme", s, "e\xCC\x81\xCC\x81…");
	free(s);
	s = utf8_excerpt("北京，上海。广州", strlen("北京，上海。广州"), 9);
	S_str_eq("excerpt cjk punctuation", s, "北京，上…");
	free(s);
	s = utf8_excerpt("IURC 项目", strlen("IURC 项目"), 6);
	S_str_eq("excerpt latin then han", s, "IURC…");
	free(s);
	s = utf8_excerpt("ab\xCC\x81" "cd", 6, 2);	/* b + acute is one cluster */
	S_str_eq("excerpt mark after ascii", s, "ab\xCC\x81…");
	free(s);
	s = utf8_excerpt("short", 5, 80);
	S_str_eq("excerpt short", s, "short");
	free(s);
	S_int_eq("count apostrophes and digits", (long long)utf8_count_words(
	    "it's 2,300 km² — Xi'an", strlen("it's 2,300 km² — Xi'an")), 5);
	S_int_eq("count mixed", (long long)utf8_count_words("IURC项目 in 2022年", strlen("IURC项目 in 2022年")), 6);
	/* eight ASCII bytes at a time: words across and at the edges of the
	 * eight, and bytes that only look like word bytes once case-folded */
#define CW(str, want) S_int_eq("count " #str, \
	(long long)utf8_count_words(str, sizeof(str) - 1), want)
	CW("abcdefghijkl", 1);
	CW("abcdefghijklmnopq", 1);
	CW("aaaaaaa bbbbbbbb", 2);
	CW("aaaaaaaa bbbbbbb", 2);
	CW("a b c d e f g h i", 9);
	CW("@[`{/:\x10\x19" "AZaz09'x", 1);
	CW("\x10\x11\x19\x1a\x01\x07!?        ", 0);
	CW("12345678 9 城市 naïve words", 6);
	CW("abcdefg中abcdefgh", 3);
	/* runs of common ideographs: U+4E00 (E4 B8 80) starts them, U+4DC0
	 * (E4 B7 80, a hexagram) is no word, U+4DBF (E4 B6 BF, extension A)
	 * is one; a sequence cut short at the end is none */
	CW("\xE4\xB8\x80\xE4\xB7\x80\xE4\xB6\xBF\xE9\xBF\xBF", 3);
	CW("城市\xE4\xB7\x80word\xE9\xBF", 3);
	CW("合作，城市。\xE4\xB8", 4);
	/* sixteen at a time (SSE2): words across and at the edges of the
	 * sixteen, and a non-ASCII byte inside them */
	CW("abcdefghijklmno pqrstuvwxyzabcdef", 2);
	CW("abcdefghijklmnop qrstuvwxyzabcde", 2);
	CW("a'b 0123456789 Z@[`{/:;  xyz'  q", 5);
	CW("abcdefghijklmn\xC3\xA9pqrstuvwxyz", 1);
	CW("0123456789abcdef0123456789abcdef0123456789", 1);
#undef CW
	/* and held to a byte-at-a-time count on 100,000 random texts of
	 * word bytes, others and ideographs */
	{
		static const char *const piece[] = { "a", "Z", "0", "9", "'",
		    " ", "@", "[", "`", "{", "/", ":", "\x01", "\x7f", "-",
		    "\xE4\xB8\xAD" };
		uint64_t	 r = 88172645463325252ULL;
		char		 t[200];
		size_t		 i, k, n, want, bad = 0;
		int		 in;

		for (i = 0; i < 100000; i++) {
			t[0] = '\0';
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			n = r % 60;
			for (k = 0; k < n; k++) {
				r ^= r << 13, r ^= r >> 7, r ^= r << 17;
				/* mostly word bytes: long runs */
				strcat(t, piece[r % 4 != 0 ? r % 5 :
				    (r >> 8) % (sizeof(piece) / sizeof(*piece))]);
			}
			for (k = 0, want = 0, in = 0; t[k] != '\0'; k++) {
				unsigned char c = (unsigned char)t[k];

				if (c >= 0x80) {	/* 中 */
					want++;
					in = 0;
					k += 2;
					continue;
				}
				if (isalnum(c) || c == '\'') {
					want += !in;
					in = 1;
				} else
					in = 0;
			}
			bad += utf8_count_words(t, strlen(t)) != want;
		}
		S_int_eq("count: random texts against a byte at a time",
		    (long long)bad, 0);
	}
	/* utf8_nowrap: each break it takes out, and texts it leaves (NULL),
	 * those without digit or hyphen among them (its fast scan) */
#define NW(str, want) do { char *nw = utf8_nowrap(str); \
	S_str_eq("nowrap " str, nw ? nw : "(none)", want); free(nw); } while (0)
	NW("Held on 3 July in Lyon", "Held on 3\u00A0July in Lyon");
	NW("until 21 May", "until 21\u00A0May");
	NW("In March 2023, and May 20235", "In March\u00A02023, and May 20235");
	NW("pages 2\u20133", "pages 2\u2060\u2013\u2060" "3");
	NW("the U-CAP network", "the U\u2011CAP network");
	NW("Madrid, Amsterdam and Nanjing", "(none)");
	NW("Mayors met in June", "(none)");
	NW("X-ray, X-RAY and 12 Mays", "X-ray, X\u2011RAY and 12 Mays");
	NW("3 Ma", "(none)");
	NW("", "(none)");
#undef NW
	/* its jumps miss nothing trying every byte finds: random texts of
	 * the pieces that make or break each kind, spaced and packed */
	{
		static const char *const piece[] = { "3", "21", "2023",
		    "20235", " ", "  ", "May", "September", "Sept", "Mayor",
		    "-", "U", "CAP", "\u2013", "\u2014", "x", "ab", "Ju",
		    "June", "longwordwithoutdigits", "\u4E2D", ",", "A" };
		uint64_t	 r = 2463534242ULL;
		char		 t[256];
		char		*a, *e;
		size_t		 i, k, np, bad = 0;

		for (i = 0; i < 200000; i++) {
			t[0] = '\0';
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			np = 1 + r % 12;
			for (k = 0; k < np; k++) {
				r ^= r << 13, r ^= r >> 7, r ^= r << 17;
				strcat(t, piece[r % (sizeof(piece) /
				    sizeof(*piece))]);
			}
			a = utf8_nowrap(t);
			e = utf8_nowrap_every(t);
			if ((a == NULL) != (e == NULL) ||
			    (a != NULL && strcmp(a, e) != 0))
				if (bad++ < 3)
					printf("nowrap \"%s\": got \"%s\", want "
					    "\"%s\"\n", t, a ? a : "(none)",
					    e ? e : "(none)");
			free(a);
			free(e);
		}
		S_int_eq("nowrap's jumps against every byte: wrong texts",
		    (long long)bad, 0);
	}
	s = utf8_slug("Good practices", 14, "x");
	S_str_eq("slug latin", s, "good-practices");
	free(s);
	s = utf8_slug("社会经济概况", 18, "x");
	S_str_eq("slug han", s, "社会经济概况");
	free(s);
	s = utf8_slug("——、。", 12, "section");
	S_str_eq("slug punctuation only", s, "section");
	free(s);
	s = utf8_slug("  Tech 4.0 / Industry 5.0  ", 27, "x");
	S_str_eq("slug runs", s, "tech-4-0-industry-5-0");
	free(s);
}

/*
 * A tree far past ytree_parse()'s scratch buffer on the stack (8 KB): 3,000
 * keys, a sequence regrown across scratch chunks, a 20,000-byte scalar;
 * then a duplicate key at the end, failing after chunks were taken (the
 * AddressSanitizer run checks that they are freed).
 */
static void
S_ytree_large(void)
{
	struct buf	 b = BUF_INIT;
	struct ynode	*n, *seq;
	char		 key[32];
	size_t		 i, ok = 0, long_at;
	long long	 v;

	for (i = 0; i < 3000; i++)
		buf_printf(&b, "key%zu: %zu\n", i, i * 7);
	buf_puts(&b, "seq:\n");
	for (i = 0; i < 1500; i++)
		buf_printf(&b, "  - item %zu\n", i);
	buf_puts(&b, "long: ");
	long_at = b.len;
	for (i = 0; i < 20000; i++)
		buf_putc(&b, (int)('a' + i % 26));
	buf_putc(&b, '\n');
	n = ytree_parse("big.yaml", b.data, b.len, 1);
	S_int_eq("ytree large parses", n != NULL && n->n == 3002, 1);
	if (n != NULL) {
		for (i = 0; i < 3000; i++) {
			snprintf(key, sizeof(key), "key%zu", i);
			ok += ynode_int(ymap_get(n, key), &v) && v == (long long)i * 7;
		}
		S_int_eq("ytree large: every key's value", (long long)ok, 3000);
		seq = ymap_get(n, "seq");
		S_int_eq("ytree large: the sequence, in order", seq != NULL &&
		    seq->n == 1500 && strcmp(seq->items[0]->str, "item 0") == 0 &&
		    strcmp(seq->items[1499]->str, "item 1499") == 0, 1);
		S_int_eq("ytree large: the long scalar", ymap_get(n, "long") != NULL &&
		    ymap_get(n, "long")->len == 20000 && memcmp(ymap_get(n,
		    "long")->str, b.data + long_at, 20000) == 0, 1);
		S_int_eq("ytree large: a line past the scratch", ymap_key(n,
		    "seq")->line, 3001);
		ynode_free(n);
	}
	buf_puts(&b, "key0: again\n");
	n = ytree_parse("big.yaml", b.data, b.len, 1);
	S_int_eq("ytree large duplicate key fails", n == NULL, 1);
	buf_free(&b);
}

static void
S_ytree(void)
{
	struct ynode	*n;
	long long	 v;
	double		 d;

	n = ytree_parse("t.yaml", "a: 1\nb: [x, y]\nc: {en: A}\n", 26, 1);
	S_int_eq("ytree parses", n != NULL, 1);
	if (n != NULL) {
		S_int_eq("ytree int", ynode_int(ymap_get(n, "a"), &v) && v == 1, 1);
		S_int_eq("ytree seq", (long long)ymap_get(n, "b")->n, 2);
		S_int_eq("ytree line", ymap_get(n, "c")->line, 3);
		S_int_eq("ytree col", ymap_get(n, "c")->col, 4);
		S_str_eq("ytree nested", ymap_get(ymap_get(n, "c"), "en")->str, "A");
		S_int_eq("ytree num", ynode_num(ymap_get(n, "a"), &d) && d == 1.0, 1);
		ynode_free(n);
	}
	n = ytree_parse("t.yaml", "a: 1\na: 2\n", 10, 5);
	S_int_eq("ytree duplicate key fails", n == NULL, 1);
	n = ytree_parse("t.yaml", "", 0, 1);
	S_int_eq("ytree empty is a map", n != NULL && n->type == Y_MAP && n->n == 0, 1);
	ynode_free(n);
	S_ytree_large();
	diag_reset();
}

static void
S_suggest(void)
{
	const char	*c[] = { "mobility", "circular-economy", "tourism-culture" };

	S_str_eq("suggest close", suggest("mobilty", c, 3), "mobility");
	S_int_eq("suggest none", suggest("zzzzzz", c, 3) == NULL, 1);
}

/*
 * Template values: a key set twice keeps the last value; lookups of absent
 * keys (the filter) and of keys past the filter's 64 bits (every bit set)
 * find only what is there; update into an empty object copies, into a
 * full one replaces; arrays grow; strings keep their length.
 */
static void
S_tv(void)
{
	struct tv	*o, *p, *a, *v;
	char		 key[300][8];
	size_t		 i;
	int		 ok;

	arena_begin();
	o = tv_obj();
	tv_set(o, "title", tv_str("first"));
	tv_set(o, "title", tv_str("second"));
	S_int_eq("tv: a key set twice is there once", (long long)tv_len(o), 1);
	S_str_eq("tv: ... with the last value", tv_str_value(tv_get(o, "title")),
	    "second");
	S_int_eq("tv: an absent key", tv_get(o, "titl") == NULL, 1);
	S_int_eq("tv: a key's prefix is not the key",
	    tv_getn(o, "title", 3, tv_hash("title", 3)) == NULL, 1);
	S_int_eq("tv: not an object", tv_get(tv_str("x"), "x") == NULL &&
	    tv_get(NULL, "x") == NULL, 1);
	for (i = 0; i < 300; i++) {
		snprintf(key[i], sizeof(key[i]), "k%zu", i);
		tv_set(o, key[i], tv_int((long long)i));
	}
	S_int_eq("tv: every filter bit set", tv__box(o)->filter == ~(uint64_t)0, 1);
	for (ok = 1, i = 0; i < 300; i++)
		ok &= (v = tv_get(o, key[i])) != NULL && v->type == TV_INT &&
		    v->u.i == (long long)i;
	S_int_eq("tv: 300 keys found", ok, 1);
	S_int_eq("tv: ... and not others", tv_get(o, "k300") == NULL &&
	    tv_get(o, "k") == NULL, 1);
	/* made with room for three, grown past an index's size (whose
	 * room is a power of 2) */
	p = tv_obj_n(3);
	for (i = 0; i < 100; i++)
		tv_set(p, key[i], tv_int((long long)i));
	for (ok = 1, i = 0; i < 100; i++)
		ok &= (v = tv_get(p, key[i])) != NULL && v->u.i == (long long)i;
	S_int_eq("tv: an object made with room for 3 holds 100 keys",
	    ok && tv_len(p) == 100 && tv_get(p, "k100") == NULL, 1);
	p = tv_obj();
	tv_update(p, o);
	tv_set(p, "k7", tv_str("mine"));
	S_str_eq("tv: update into an empty object, then a key replaced",
	    tv_str_value(tv_get(p, "k7")), "mine");
	S_int_eq("tv: ... the source unchanged", tv_get(o, "k7")->u.i, 7);
	S_int_eq("tv: ... the rest copied", (long long)tv_len(p), 301);
	tv_update(p, o);
	S_int_eq("tv: update into a full object replaces",
	    tv_get(p, "k7")->type == TV_INT && tv_len(p) == 301, 1);
	a = tv_arr();
	for (i = 0; i < 1000; i++)
		tv_push(a, i % 2 ? tv_true() : tv_strn("a\0b", 3));
	S_int_eq("tv: an array of 1000", (long long)tv_len(a), 1000);
	S_int_eq("tv: ... in order", tv_at(a, 999) == tv_true() &&
	    tv_at(a, 998)->n == 3 && memcmp(tv_at(a, 998)->u.s, "a\0b", 4) == 0,
	    1);
	S_int_eq("tv: past the end", tv_at(a, 1000) == NULL &&
	    tv_at(o, 0) == NULL, 1);
	S_int_eq("tv: booleans and null are shared", tv_bool(1) == tv_true() &&
	    tv_bool(0) == tv_false() && tv_null()->type == TV_NULL, 1);
	arena_end();
	arena_release();
}

/*
 * Scratch memory: blocks from an open arena and from the heap mix freely,
 * growing a block keeps its bytes, and template values made in a detached
 * arena survive the page that referenced them.
 */
static void
S_arena(void)
{
	struct tv *shared, *page, *v;
	void	*kept;
	char	*heap, *a, *b, *big;
	size_t	 i;
	int	 ok;

	heap = arena_malloc(10);
	memcpy(heap, "heap", 5);
	arena_begin();
	shared = tv_obj();
	tv_set(shared, "name", tv_str("shared"));
	kept = arena_detach();
	arena_begin();
	a = arena_malloc(3);
	memcpy(a, "ab", 3);
	a = arena_realloc(a, 3000);		/* the latest block: in place */
	S_str_eq("arena: grown block keeps its bytes", a, "ab");
	b = arena_calloc(4, 8);
	for (ok = 1, i = 0; i < 32; i++)
		ok &= b[i] == 0;
	S_int_eq("arena: calloc zeroes", ok, 1);
	a = arena_realloc(a, 6000);		/* not the latest: copied */
	S_str_eq("arena: moved block keeps its bytes", a, "ab");
	S_int_eq("arena: blocks are 8-byte aligned", (long long)((size_t)b % 8),
	    0);
	big = arena_malloc((size_t)1 << 20);	/* more than a chunk */
	memset(big, 'x', (size_t)1 << 20);
	S_int_eq("arena: a big block is whole", big[((size_t)1 << 20) - 1], 'x');
	arena_free(a);				/* no-ops inside the arena */
	arena_free(big);
	heap = arena_realloc(heap, 20);		/* a heap block stays one */
	S_str_eq("arena: heap block grows on the heap", heap, "heap");
	page = tv_obj();
	tv_update(page, shared);
	tv_set(page, "shared", shared);
	tv_set(page, "own", tv_str("own"));
	tv_set(page, "name", tv_str("the page's"));
	S_str_eq("arena: a page's own value over the shared one",
	    tv_str_value(tv_get(page, "name")), "the page's");
	arena_end();
	S_str_eq("arena: shared value outlives the page",
	    tv_str_value(tv_get(shared, "name")), "shared");
	S_str_eq("arena: heap block intact", heap, "heap");
	arena_begin();				/* the kept chunk is reused */
	v = tv_obj();
	tv_set(v, "k", tv_arr());
	for (i = 0; i < 3; i++)
		tv_push(tv_get(v, "k"), tv_int((long long)i));
	S_int_eq("arena: second page", (long long)tv_len(tv_get(v, "k")), 3);
	arena_end();
	/* a mark: what comes after it goes, what came before stays, a big
	 * block's own chunk (behind the head) included */
	arena_begin();
	a = arena_malloc(16);
	memcpy(a, "kept", 5);
	{
		struct arena_mark m = arena_mark();
		char	*after;

		for (i = 0; i < 100; i++) {	/* past a chunk or two */
			after = arena_malloc(8000);
			memset(after, 'y', 8000);
		}
		big = arena_malloc((size_t)1 << 20);
		memset(big, 'z', (size_t)1 << 20);
		arena_reset(m);
		S_str_eq("arena: a block before the mark survives its reset", a,
		    "kept");
		b = arena_malloc(16);
		S_int_eq("arena: after a reset, blocks follow the mark",
		    (long long)(b - a), 24);
		arena_reset(m);
		arena_reset(m);		/* twice is the same */
		b = arena_malloc(16);
		S_int_eq("arena: ... each time", (long long)(b - a), 24);
	}
	arena_end();
	arena_free_detached(kept);
	arena_free(heap);
	arena_free(NULL);
	arena_release();
}

/* Appending through xgrow keeps every element (the room doubles). */
static void
S_grow(void)
{
	size_t	*v = NULL, n, ok = 1;

	for (n = 0; n < 5000; ) {
		v = xgrow(v, n, sizeof(*v));
		v[n] = n * 7;
		n++;
	}
	for (n = 0; n < 5000; n++)
		ok &= v[n] == n * 7;
	S_int_eq("xgrow keeps 5,000 appended elements", (long long)ok, 1);
	free(v);
}

/* What a sitemap wrote: file names and contents, in order. */
struct S_files {
	char	 rel[8][32];
	char	*data[8];
	size_t	 n;
	int	 fail_at;	/* the put that fails (1-based), 0 for none */
};

static int
S_put(void *ud, const char *rel, const char *data, size_t len)
{
	struct S_files	*f = ud;

	if (f->n == 8)
		return -1;
	snprintf(f->rel[f->n], sizeof(f->rel[f->n]), "%s", rel);
	f->data[f->n] = xstrndup(data, len);
	f->n++;
	return f->fail_at == (int)f->n ? -1 : 0;
}

static void
S_files_free(struct S_files *f)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		free(f->data[i]);
	memset(f, 0, sizeof(*f));
}

/* File i's contents and name, or "" where there is no file i. */
static const char *
S_data(const struct S_files *f, size_t i)
{
	return i < f->n ? f->data[i] : "";
}

static const char *
S_rel(const struct S_files *f, size_t i)
{
	return i < f->n ? f->rel[i] : "";
}

/* The number of times needle occurs in hay. */
static long long
S_count(const char *hay, const char *needle)
{
	long long	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

#define URL(x)	"  <url>\n    <loc>" x "</loc>\n  </url>\n"

/* Splitting at the URL and byte limits, with small limits. */
static void
S_sitemap(void)
{
	struct sitemap	 m;
	struct S_files	 f;
	const char	*u[] = { URL("a"), URL("b"), URL("c"), URL("d"),
	    URL("e") };
	size_t		 i;
	int		 r;

	/* within the limits: one sitemap.xml, a urlset */
	memset(&f, 0, sizeof(f));
	sitemap_init(&m, "https://x.org/", 5, 100000, S_put, &f);
	for (i = 0; i < 5; i++)
		sitemap_url(&m, u[i], strlen(u[i]));
	r = sitemap_finish(&m);
	S_int_eq("sitemap within limits: one file", (long long)f.n, 1);
	S_str_eq("... named sitemap.xml", S_rel(&f, 0), "sitemap.xml");
	S_int_eq("... a urlset of five", S_count(S_data(&f, 0), "<url>"), 5);
	S_int_eq("... closed", S_count(S_data(&f, 0), "</urlset>\n"), 1);
	S_int_eq("... counted", (long long)m.nfiles, 1);
	S_int_eq("... no failure", r, 0);
	S_files_free(&f);

	/* two URLs a part: three parts, then the index naming them */
	sitemap_init(&m, "https://x.org/a&b/", 2, 100000, S_put, &f);
	for (i = 0; i < 5; i++)
		sitemap_url(&m, u[i], strlen(u[i]));
	r = sitemap_finish(&m);
	S_int_eq("sitemap over the URL limit: parts and index", (long long)f.n,
	    4);
	S_str_eq("... part 1", S_rel(&f, 0), "sitemap-1.xml");
	S_str_eq("... part 3", S_rel(&f, 2), "sitemap-3.xml");
	S_str_eq("... the index last", S_rel(&f, 3), "sitemap.xml");
	S_int_eq("... part 1 holds two", S_count(S_data(&f, 0), "<url>"), 2);
	S_int_eq("... part 3 holds the last one", S_count(S_data(&f, 2), "<url>"),
	    1);
	S_int_eq("... in order", strstr(S_data(&f, 2), "<loc>e</loc>") != NULL, 1);
	S_int_eq("... each part a closed urlset",
	    S_count(S_data(&f, 1), "<urlset") + S_count(S_data(&f, 1), "</urlset>"), 2);
	S_int_eq("... the index names three",
	    S_count(S_data(&f, 3), "<sitemap>"), 3);
	S_int_eq("... by address, escaped", strstr(S_data(&f, 3),
	    "<loc>https://x.org/a&amp;b/sitemap-3.xml</loc>") != NULL, 1);
	S_int_eq("... a sitemapindex", S_count(S_data(&f, 3), "</sitemapindex>"),
	    1);
	S_int_eq("... counted", (long long)m.nfiles, 4);
	S_files_free(&f);

	/* the byte limit: the head (151 bytes), two entries (34 each) and
	 * the tail (11) fit in 238, a third does not; an entry longer than
	 * a part still gets one */
	sitemap_init(&m, "https://x.org/", 100, 0, S_put, &f);
	sitemap_url(&m, u[0], strlen(u[0]));
	sitemap_finish(&m);
	S_int_eq("sitemap entry over the byte limit: a part of its own",
	    (long long)f.n, 1);
	S_files_free(&f);
	sitemap_init(&m, "https://x.org/", 100, 170 + 2 * strlen(u[0]), S_put,
	    &f);
	for (i = 0; i < 3; i++)
		sitemap_url(&m, u[i], strlen(u[i]));
	sitemap_finish(&m);
	S_int_eq("sitemap over the byte limit: two parts and the index",
	    (long long)f.n, 3);
	S_int_eq("... part 1 holds two", S_count(S_data(&f, 0), "<url>"), 2);
	S_int_eq("... within the limit", strlen(S_data(&f, 0)) <=
	    170 + 2 * strlen(u[0]), 1);
	S_files_free(&f);

	/* a failed write fails the sitemap */
	f.fail_at = 2;
	sitemap_init(&m, "https://x.org/", 1, 100000, S_put, &f);
	for (i = 0; i < 3; i++)
		sitemap_url(&m, u[i], strlen(u[i]));
	S_int_eq("sitemap write failure reported", sitemap_finish(&m), -1);
	S_files_free(&f);
}

/* search_fold() one code point at a time, as the search script folds. */
static void
S_search_fold(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "Bacău", "bacau" }, { "Bielsko-Biała", "bielsko-biala" },
		{ "Straße", "strasse" }, { "Ærøskøbing", "aeroskobing" },
		{ "ÉCOLE", "ecole" }, { "ＵＣＡＰ４", "ucap4" }, { "ﬁle", "file" },
		{ "Œuvre", "oeuvre" }, { "ΣΟΦΙΑΣ", "σοφιασ" }, { "曼海姆", "曼海姆" },
		{ "İzmir", "izmir" }, { "Đakovo", "dakovo" },
	};
	struct buf	 b = BUF_INIT;
	const char	*s;
	size_t		 i, n;
	int32_t		 cp;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		buf_reset(&b);
		for (s = t[i].in; *s; s += n) {
			n = utf8_decode(s, strlen(s), &cp);
			search_fold(&b, cp);
		}
		S_str_eq(t[i].in, b.data ? b.data : "", t[i].want);
	}
	buf_reset(&b);
	buf_put_json(&b, "a\"b\\c\nd\te\x01\x1f/é", 14);
	S_str_eq("buf_put_json", b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f/é\"");
	buf_free(&b);
}

/* What buf_put_html() and buf_put_json() write, a byte at a time. */
static void
S_escape_ref(struct buf *b, const char *s, size_t n, int json)
{
	size_t	 i;
	unsigned char c;

	if (json)
		buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (!json && (c == '&' || c == '<' || c == '>' || c == '"' ||
		    c == '\''))
			buf_puts(b, c == '&' ? "&amp;" : c == '<' ? "&lt;" :
			    c == '>' ? "&gt;" : c == '"' ? "&quot;" : "&#39;");
		else if (!json)
			buf_putc(b, c);
		else if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, c);
	}
	if (json)
		buf_putc(b, '"');
}

/*
 * The escapes skip plain text eight bytes at a time: every byte that
 * matters, and its neighbours in value, at every place of strings up to
 * three words long, beside bytes of every other kind.
 */
static void
S_escapes(void)
{
	static const unsigned char probe[] = { '&', '<', '>', '"', '\'', '\\',
	    '\n', '\t', 0x01, 0x1F, 0x20, 0x21, 0x23, 0x25, 0x27, 0x3B, 0x3D,
	    0x3F, 0x5B, 0x5D, 0x7F, 0x80, 0x9F, 0xA2, 0xBC, 0xDC, 0xFF };
	struct buf	 got = BUF_INIT, want = BUF_INIT;
	char		 s[41];
	size_t		 n, at, k, bad = 0, json;

	/* past two blocks of sixteen (SSE2) or five of eight, and the tail */
	for (json = 0; json < 2; json++)
		for (n = 1; n <= 40; n++)
			for (at = 0; at < n; at++)
				for (k = 0; k < sizeof(probe); k++) {
					memset(s, 'a' + (int)(n % 26), n);
					s[(at * 7 + 3) % n] = (char)0xE4;
					s[at] = (char)probe[k];
					buf_reset(&got);
					buf_reset(&want);
					(json ? buf_put_json : buf_put_html)(&got, s, n);
					S_escape_ref(&want, s, n, (int)json);
					if (got.len != want.len ||
					    memcmp(got.data, want.data, got.len) != 0)
						bad++;
				}
	S_int_eq("escapes a block at a time: wrong strings", (long long)bad, 0);
	buf_free(&got);
	buf_free(&want);
}

/* buf_put_fixed() writes what printf's "%.*f" does: ties, halves near
 * ties, carries, the edges of its own range, and a million values. */
static void
S_fixed(void)
{
	static const double odd[] = { 0, -0.0, 0.05, 0.15, 0.25, 0.125, 0.375,
	    2.675, 1.005, 9.995, 99.95, 0.95, 0.45, 999999.95, 1e6, 99999999.95,
	    1e9, 1e9 - 0.5, 123456789.25, -0.04, -1.25, 1e300, 5e-324,
	    0.049999999999999996, 0.35000000000000003 };
	struct buf	 got = BUF_INIT;
	char		 want[400];
	size_t		 i, bad = 0;
	uint64_t	 r = 88172645463325252ULL;
	double		 v;
	int		 prec;

	for (i = 0; i < sizeof(odd) / sizeof(*odd) + 1000000; i++) {
		prec = (int)(i % 4);
		if (i < sizeof(odd) / sizeof(*odd))
			v = odd[i];
		else {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			/* from 1e-4 to 1e10, and halves of 1e-prec exactly */
			v = (double)(r >> 11) / 9007199254740992.0 *
			    pow(10, (double)(r % 15) - 4);
			if (r % 7 == 0)
				v = ((double)(r % 200000) + 0.5) / pow(10, prec);
		}
		buf_reset(&got);
		buf_put_fixed(&got, v, prec);
		snprintf(want, sizeof(want), "%.*f", prec, v);
		if (strcmp(got.data, want) != 0 && bad++ < 5)
			printf("fixed %.17g %d: got %s, want %s\n", v, prec,
			    got.data, want);
	}
	buf_reset(&got);
	buf_put_fixed(&got, NAN, 1);
	snprintf(want, sizeof(want), "%.*f", 1, NAN);
	bad += strcmp(got.data, want) != 0;
	S_int_eq("buf_put_fixed as printf: wrong values", (long long)bad, 0);
	buf_free(&got);
}

/* xjoin(): the strings one after another, as xasprintf("%s%s...") has them. */
static void
S_join(void)
{
	char	*s;

	s = xjoin("en", "/", "cities", "/", "x", "/index.html", (char *)NULL);
	S_str_eq("xjoin path", s, "en/cities/x/index.html");
	free(s);
	s = xjoin("", (char *)NULL);
	S_str_eq("xjoin empty", s, "");
	free(s);
	s = xjoin("城市", "", "-", "北京", (char *)NULL);
	S_str_eq("xjoin utf-8 and empty pieces", s, "城市-北京");
	free(s);
}

/* nthreads(): BROCHURE_THREADS within 1..BR_MAX_THREADS, else the cores. */
static int
S_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/*
 * The index.json of docs (n documents, their shards indexed last to first,
 * as two threads may do), written under a temporary directory and read
 * back (malloc'd), or NULL after a failed test named what.
 */
static char *
S_search_json(const char *what, struct search_doc *docs, size_t n)
{
	struct search_meta	 meta = { "en", NULL, 0, NULL, 0 };
	struct search_index	*si;
	struct write_stats	 ws;
	struct writer		*w;
	char			 dir[] = "/tmp/brochure-unit-XXXXXX";
	char			*out, *path, *got = NULL, msg[80];
	size_t			 k, len;
	FILE			*f;
	int			 ok = 1;

	snprintf(msg, sizeof(msg), "%s: index.json written", what);
	if (mkdtemp(dir) == NULL) {
		S_int_eq(msg, 0, 1);
		return NULL;
	}
	out = xasprintf("%s/out", dir);
	w = writer_new(out, 0);
	si = search_new(n);
	for (k = (n + SEARCH_SHARD_DOCS - 1) / SEARCH_SHARD_DOCS; k-- > 0;)
		ok &= search_shard(si, w, "s", k,
		    docs + k * SEARCH_SHARD_DOCS) == 0;
	ok &= search_finish(si, w, "s", &meta, docs) == 0;
	ok &= writer_commit(w, &ws) == 0;
	path = xasprintf("%s/s/index.json", out);
	if (ok && (f = fopen(path, "r")) != NULL) {
		got = xmalloc(4 << 20);
		len = fread(got, 1, (4 << 20) - 1, f);
		got[len] = '\0';
		fclose(f);
	}
	S_int_eq(msg, got != NULL, 1);
	free(path);
	search_free(si);
	writer_free(w);
	free(out);
	nftw(dir, S_rm, 16, FTW_DEPTH | FTW_PHYS);
	return got;
}

/*
 * An index of 70 shards indexed last to first: every term's postings
 * still come out ascending, across the blocks the language's records are
 * kept in (4,620 of them, past search.c's 4,096 a block).
 */
static void
S_search_order(void)
{
	struct search_doc	*docs;
	struct buf		 want = BUF_INIT;
	char			*got;
	size_t			 n = 70 * SEARCH_SHARD_DOCS, i;

	docs = xcalloc(n, sizeof(*docs));
	for (i = 0; i < n; i++) {
		docs[i].title = xasprintf("common w%05zu", i);
		docs[i].text = i % 3 == 0 ? "third" : NULL;
	}
	got = S_search_json("search order", docs, n);
	/* "common" and "third" sort first: each document, every third */
	buf_puts(&want, "\"postings\":[[0");
	for (i = 1; i < n; i++)
		buf_puts(&want, ",1");
	buf_puts(&want, "],[0");
	for (i = 3; i < n; i += 3)
		buf_puts(&want, ",3");
	buf_puts(&want, "],[0],[1],");
	S_int_eq("search order: postings ascending",
	    got != NULL && strstr(got, want.data) != NULL, 1);
	S_int_eq("search order: the last shard's text",
	    got != NULL && strstr(got, "\"text-69.json\"]") != NULL, 1);
	free(got);
	buf_free(&want);
	for (i = 0; i < n; i++)
		free((char *)docs[i].title);
	free(docs);
}

/*
 * The Han terms of texts allocated to their last byte (so that AddressSanitizer
 * sees a read past one): a run of common ideographs is taken from the text
 * itself, two at a time, up to its end; a compatibility ideograph folds, an
 * extension A one and a lone one are their own.
 */
static void
S_search_han(void)
{
	static const char *const texts[] = {
		"\xe4\xb8\xad\xe6\x96\x87\xe6\x90\x9c\xe7\xb4\xa2",	/* 中文搜索 */
		"a\xe4\xb8\xad" "b",					/* a中b */
		"\xef\xa4\x80\xe4\xb8\xad",				/* 豈 (U+F900) 中 */
		"\xe3\x90\x80\xe4\xb8\xad\xe6\x96\x87",		/* 㐀中文 */
	};
	static const char *const want =
	    "\"terms\":[\"a\",\"b\",\"\xe3\x90\x80\xe4\xb8\xad\","	/* 㐀中 */
	    "\"\xe4\xb8\xad\",\"\xe4\xb8\xad\xe6\x96\x87\","		/* 中 中文 */
	    "\"\xe6\x90\x9c\xe7\xb4\xa2\",\"\xe6\x96\x87\xe6\x90\x9c\","	/* 搜索 文搜 */
	    "\"\xe8\xb1\x88\xe4\xb8\xad\"]";				/* 豈中, folded */
	struct search_doc	 docs[4];
	char			*got;
	size_t			 i;

	memset(docs, 0, sizeof(docs));
	for (i = 0; i < 4; i++) {
		docs[i].title = "";
		docs[i].text = xstrdup(texts[i]);
	}
	got = S_search_json("search han", docs, 4);
	S_int_eq("search han: the bigrams, single and folded ideographs",
	    got != NULL && strstr(got, want) != NULL, 1);
	free(got);
	for (i = 0; i < 4; i++)
		free((char *)docs[i].text);
}

static void
S_threads(void)
{
	setenv("BROCHURE_THREADS", "3", 1);
	S_int_eq("threads as asked", nthreads(), 3);
	setenv("BROCHURE_THREADS", "0", 1);
	S_int_eq("threads at least 1", nthreads(), 1);
	setenv("BROCHURE_THREADS", "-4", 1);
	S_int_eq("threads negative", nthreads(), 1);
	setenv("BROCHURE_THREADS", "99", 1);
	S_int_eq("threads at most the cap", nthreads(), BR_MAX_THREADS);
	unsetenv("BROCHURE_THREADS");
	S_int_eq("threads from the cores", nthreads() >= 1 &&
	    nthreads() <= BR_MAX_THREADS, 1);
}

int
main(void)
{
	S_grow();
	S_arena();
	S_tv();
	S_fmt();
	S_utf8();
	S_ytree();
	S_suggest();
	S_sitemap();
	S_search_fold();
	S_search_order();
	S_search_han();
	S_threads();
	S_escapes();
	S_fixed();
	S_join();
	printf("unit: %d passed, %d failed\n", S_pass, S_fail);
	printf("%d passed, %d failed\n", S_pass, S_fail);
	return S_fail ? 1 : 0;
}
