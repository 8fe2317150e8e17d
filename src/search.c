/*
 * search.c - the search index of one language (see search.h).
 *
 * A shard's documents are read into a small table of the thread's own,
 * each term with the set of the shard's documents that hold it (a bit
 * each); then, under the language's lock, each of the shard's terms is
 * looked up once in the language's table and a record of its documents in
 * the shard appended to the language's. Reading, most of the work, runs on
 * every thread at once, and the language's table, large and cold in the
 * cache, is probed once per term and shard instead of once per word. The
 * terms are then sorted by bytes, and the index and the text shards are
 * written as JSON by hand (jansson would build a tree of a million values
 * for a large site only to print it).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "search.h"
#include "utf8.h"
#include "util.h"
#include "write.h"

#define MAXWORD		64	/* longer "words" (hashes, URLs) are not terms */

#define SEEN	1024	/* the recent terms of a document */

/* a shard's documents are the bits of a term's mask */
_Static_assert(SEARCH_SHARD_DOCS <= 64, "a shard is at most 64 documents");

/* A term's documents in one shard: a bit each (a term is in a dozen of a
 * shard's documents on average: a third of the memory of a list). */
struct spost {
	uint64_t	 mask;
	uint32_t	 shard;
	uint32_t	 term;
};

/*
 * Records per block of the language's postings. The records are kept in
 * the order the shards are merged and gathered by term at the end
 * (search_finish): a block is allocated now and then, where a vector per
 * term would be reallocated by whichever thread merges a shard, in the
 * heap of the thread that made it, whose lock that takes.
 */
#define PBLOCK	4096

struct term {
	uint32_t	 off, len;	/* the key, in the pool */
	uint64_t	 pre;		/* and its first 8 bytes (S_pre): most
					 * keys whole, compared at once */
	uint64_t	 hash;
	uint64_t	 mask;		/* a shard's table: its documents */
};

struct index {
	struct buf	 pool;		/* the terms' bytes */
	struct term	*terms;
	size_t		 nterms, cap;
	uint64_t	*slots;		/* the hash's high half, term + 1;
					 * 0 when free */
	size_t		 nslots;	/* a power of two */
	struct spost	**post;		/* the language's: blocks of PBLOCK */
	size_t		 npost;
	uint32_t	 doc;		/* the shard's document being read */
	/* the terms the document held lately, by hash: a word a text
	 * repeats is found here, not in the table (cold in the cache) */
	struct seen {
		uint64_t	 hash;
		uint32_t	 doc;	/* + 1 */
		uint32_t	 term;
	}		 seen[SEEN];
};

static void
S_rehash(struct index *x)
{
	size_t		 i, j, m;
	uint64_t	 h;

	free(x->slots);
	x->nslots = x->nslots ? x->nslots * 2 : 4096;
	x->slots = xcalloc(x->nslots, sizeof(*x->slots));
	m = x->nslots - 1;
	for (i = 0; i < x->nterms; i++) {
		h = x->terms[i].hash;
		for (j = h & m; x->slots[j] != 0; j = (j + 1) & m)
			;
		x->slots[j] = (h & 0xFFFFFFFF00000000ULL) | ((uint64_t)i + 1);
	}
}

/*
 * The first 8 bytes of a key (n bytes at s, which has 8 to read: the
 * indexer's word buffers do), those past n zero, as one number.
 */
static inline uint64_t
S_pre(const char *s, size_t n)
{
	uint64_t	 v;

	memcpy(&v, s, sizeof(v));
	if (n < 8)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v &= ~(~0ULL >> (8 * n));
#else
		v &= ~(~0ULL << (8 * n));
#endif
	return v;
}

/* The hash of the key s (n bytes) with its first 8 bytes pre: those
 * mixed at once (MurmurHash3's finaliser), the rest a byte at a time. */
static inline uint64_t
S_hash(uint64_t pre, const char *s, size_t n)
{
	uint64_t	 h = pre ^ (uint64_t)n * 0x9E3779B97F4A7C15ULL;

	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDULL;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ULL;
	h ^= h >> 33;
	return n > 8 ? fnv1a(h, s + 8, n - 8) : h;
}

/* Does term t have the key s (n bytes, the first 8 pre)? */
static inline int
S_is_key(const struct index *x, const struct term *t, const char *s, size_t n,
    uint64_t pre)
{
	return t->len == n && t->pre == pre && (n <= 8 ||
	    memcmp(x->pool.data + t->off + 8, s + 8, n - 8) == 0);
}

/*
 * The term s (n bytes), added when new. Valid until the next call. A slot
 * holds half the hash beside the term, so that a probe reads a term only
 * when the halves agree, and its first 8 bytes hold short keys whole.
 */
static struct term *
S_term(struct index *x, const char *s, size_t n, uint64_t pre, uint64_t h)
{
	struct term	*t;
	size_t		 j, m;
	uint64_t	 hi;

	if ((x->nterms + 1) * 2 > x->nslots)
		S_rehash(x);
	m = x->nslots - 1;
	hi = h & 0xFFFFFFFF00000000ULL;
	for (j = h & m; x->slots[j] != 0; j = (j + 1) & m) {
		if ((x->slots[j] & 0xFFFFFFFF00000000ULL) != hi)
			continue;
		t = &x->terms[(x->slots[j] & 0xFFFFFFFFULL) - 1];
		if (S_is_key(x, t, s, n, pre))
			return t;
	}
	if (x->nterms == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 1024;
		x->terms = xrealloc(x->terms, x->cap * sizeof(*x->terms));
	}
	t = &x->terms[x->nterms];
	memset(t, 0, sizeof(*t));
	t->off = (uint32_t)x->pool.len;
	t->len = (uint32_t)n;
	t->hash = h;
	t->pre = pre;
	buf_put(&x->pool, s, n);
	x->slots[j] = hi | (uint64_t)++x->nterms;
	return t;
}

/* Appends shard k's documents (mask) to term t's records. */
static void
S_post(struct index *x, uint32_t t, uint32_t k, uint64_t mask)
{
	struct spost	*p;

	if (x->npost % PBLOCK == 0) {
		x->post = xrealloc(x->post, (x->npost / PBLOCK + 1) *
		    sizeof(*x->post));
		x->post[x->npost / PBLOCK] = xmalloc(PBLOCK * sizeof(**x->post));
	}
	p = &x->post[x->npost / PBLOCK][x->npost % PBLOCK];
	x->npost++;
	p->mask = mask;
	p->shard = k;
	p->term = t;
}

/* Records that the current document holds the term s (n bytes). */
static void
S_add(struct index *x, const char *s, size_t n)
{
	struct seen	*r;
	struct term	*t;
	uint64_t	 h, pre;

	if (n == 0 || n > MAXWORD)
		return;
	pre = S_pre(s, n);
	h = S_hash(pre, s, n);
	r = &x->seen[h % SEEN];
	if (r->doc == x->doc + 1 && r->hash == h &&
	    S_is_key(x, &x->terms[r->term], s, n, pre))
		return;
	t = S_term(x, s, n, pre, h);
	t->mask |= (uint64_t)1 << x->doc;
	r->hash = h;
	r->doc = x->doc + 1;
	r->term = (uint32_t)(t - x->terms);
}

/* Does s (n bytes) begin with a Han character? */
static int
S_han_at(const char *s, size_t n)
{
	int32_t	 cp;

	return (unsigned char)s[0] >= 0x80 && utf8_decode(s, n, &cp) > 0 &&
	    utf8_is_han(cp);
}

/* Letters without a decomposition that readers type in ASCII. */
static const char *
S_ascii(int32_t cp)
{
	switch (cp) {
	case 0x00DF: return "ss";	/* ß */
	case 0x00E6: return "ae";	/* æ */
	case 0x00F0: return "d";	/* ð */
	case 0x00F8: return "o";	/* ø */
	case 0x00FE: return "th";	/* þ */
	case 0x0111: return "d";	/* đ */
	case 0x0127: return "h";	/* ħ */
	case 0x0131: return "i";	/* ı */
	case 0x0142: return "l";	/* ł */
	case 0x0153: return "oe";	/* œ */
	default: return NULL;
	}
}

static void
S_put_cp(struct buf *b, int32_t cp)
{
	unsigned char	 u[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, u);

	buf_put(b, u, (size_t)n);
}

void
search_fold(struct buf *b, int32_t cp)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t n, i;
	const char	*a;
	int		 bc = 0;

	if (cp < 0x80) {
		buf_putc(b, cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return;
	}
	n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_COMPAT |
	    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &bc);
	if (n < 0 || n > 8) {
		S_put_cp(b, cp);
		return;
	}
	for (i = 0; i < n; i++) {
		if (d[i] == 0x03C2)	/* ς, as σ */
			d[i] = 0x03C3;
		if ((a = S_ascii(d[i])) != NULL)
			buf_puts(b, a);
		else
			S_put_cp(b, d[i]);
	}
}

static int
S_is_word(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    (cp >= 'A' && cp <= 'Z');
	return utf8proc_category(cp) >= UTF8PROC_CATEGORY_LU &&
	    utf8proc_category(cp) <= UTF8PROC_CATEGORY_NO;
}

/* An ASCII letter or digit as a term has it (lower case), else 0; bytes
 * beyond ASCII are 0 here: they are decoded. */
static const unsigned char S_lower[256] = {
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	 48,  49,  50,  51,  52,  53,  54,  55,  56,  57,   0,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
};

/* Adds the terms of s (len bytes of valid UTF-8) to the current document. */
static void
S_terms(struct index *x, const char *s, size_t len)
{
	struct buf	 f = BUF_INIT;
	char		 w[MAXWORD + 1], big[8];
	size_t		 i = 0, k, n, wl = 0, pl = 0;	/* pl: the Han
						 * character before, in big */
	int32_t		 cp, fc;
	int		 c;

#define WORD_END() do {							\
		if (wl > 0 && wl <= MAXWORD)				\
			S_add(x, w, wl);				\
		wl = 0;							\
	} while (0)
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			/* ASCII: a run of letters and digits of a word, then
			 * a break, unless a letter beyond ASCII goes on (a
			 * word too long to be a term is counted, not kept) */
			pl = 0;
			while (i < len && (c = S_lower[(unsigned char)s[i]]) != 0) {
				if (wl < MAXWORD)
					w[wl] = (char)c;
				wl++;
				i++;
			}
			if (i < len && (unsigned char)s[i] < 0x80) {
				WORD_END();
				i++;
			}
			continue;
		}
		if (pl == 3 && utf8_han3(s + i, len - i) &&
		    memcmp(big, s + i - 3, 3) == 0) {
			/* common ideographs after one that is its own bytes:
			 * each bigram is six bytes of the text, the key read
			 * from there (S_pre reads eight: the NUL ends s) */
			do {
				if (i + 4 <= len)
					S_add(x, s + i - 3, 6);
				else {
					memcpy(big, s + i - 3, 6);
					S_add(x, big, 6);
				}
				i += 3;
			} while (utf8_han3(s + i, len - i));
			memcpy(big, s + i - 3, 3);
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			n = 1;
			cp = ' ';
		}
		i += n;
		if (utf8_is_han(cp)) {
			WORD_END();
			/* only the compatibility ideographs fold; the others
			 * are their own bytes */
			if (cp >= 0xF900 && cp <= 0xFAFF) {
				buf_reset(&f);
				search_fold(&f, cp);
				if (f.len == 0 || f.len > 4 ||
				    utf8_decode(f.data, f.len, &fc) != f.len)
					continue;
				cp = fc;
				k = (size_t)utf8proc_encode_char(cp,
				    (utf8proc_uint8_t *)big + pl);
			} else {
				for (k = 0; k < n; k++)	/* n <= 4: no call */
					big[pl + k] = s[i - n + k];
			}
			/* a bigram with the character before; a character
			 * alone (between non-Han) as a term of its own */
			if (pl > 0)
				S_add(x, big, pl + k);
			else if (i >= len || !S_han_at(s + i, len - i))
				S_add(x, big, k);
			memmove(big, big + pl, 4);	/* pl, k <= 4 */
			pl = k;
			continue;
		}
		pl = 0;
		if (!S_is_word(cp)) {
			WORD_END();
			continue;
		}
		buf_reset(&f);
		search_fold(&f, cp);
		for (k = 0; k < f.len; k++, wl++)
			if (wl < MAXWORD)
				w[wl] = f.data[k];
	}
	WORD_END();
#undef WORD_END
	buf_free(&f);
}

/* A term to sort (the languages' indexes are made at the same time:
 * the comparison needs no shared state). */
struct skey {
	uint64_t	 key;	/* the first 8 bytes as a number in their
				 * order (S_order_key) */
	const char	*s;
	uint32_t	 len, term;
};

/* A term's first 8 bytes (S_pre) as a number that orders as the bytes do:
 * keys hold no NUL, so a shorter key's zeros sort it first, as memcmp and
 * then length would. */
static uint64_t
S_order_key(uint64_t pre)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return pre;
#else
	return __builtin_bswap64(pre);
#endif
}

static int
S_cmp_terms(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	uint32_t	 n = x->len < y->len ? x->len : y->len;
	int		 c;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	/* the same first 8 bytes (or all of both, when shorter) */
	if (n > 8 && (c = memcmp(x->s + 8, y->s + 8, n - 8)) != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Writes v in decimal at p (10 bytes at most); returns the end. Most
 * postings are small differences: one and two digits go at once. */
static char *
S_u32(char *p, uint32_t v)
{
	char	 d[10];
	size_t	 n = 0;

	if (v < 10) {
		*p++ = (char)('0' + v);
		return p;
	}
	if (v < 100) {
		*p++ = (char)('0' + v / 10);
		*p++ = (char)('0' + v % 10);
		return p;
	}
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

static void
S_put_u32(struct buf *b, uint32_t v)
{
	buf_grow(b, 10);
	b->len = (size_t)(S_u32(b->data + b->len, v) - b->data);
	b->data[b->len] = '\0';
}

static void
S_put_strn(struct buf *b, const char *s, size_t n)
{
	if (s == NULL)
		buf_puts(b, "null");
	else
		buf_put_json(b, s, n);
}

static void
S_put_str(struct buf *b, const char *s)
{
	S_put_strn(b, s, s != NULL ? strlen(s) : 0);
}

static void
S_pairs(struct buf *b, const char *key, const char *const *v, size_t n)
{
	size_t	 i;

	buf_printf(b, ",\n\"%s\":[", key);
	for (i = 0; i < n; i++) {
		buf_puts(b, i ? ",\n[" : "\n[");
		S_put_str(b, v[2 * i]);
		buf_putc(b, ',');
		S_put_str(b, v[2 * i + 1]);
		buf_putc(b, ']');
	}
	buf_puts(b, "]");
}

struct search_index {
	pthread_mutex_t	 lock;
	struct index	 all;		/* every shard's terms, merged */
	int		 sorted;	/* every term's shards ascending */
	size_t		 merged;	/* the end of the furthest shard merged */
	size_t		 nshards, ndocs;
};

struct search_index *
search_new(size_t ndocs)
{
	struct search_index *si = xcalloc(1, sizeof(*si));

	pthread_mutex_init(&si->lock, NULL);
	si->ndocs = ndocs;
	si->nshards = (ndocs + SEARCH_SHARD_DOCS - 1) / SEARCH_SHARD_DOCS;
	si->sorted = 1;
	return si;
}

static void S_free_index(struct index *);

/* The calling thread's table for a shard (search_thread_done() frees it). */
static _Thread_local struct index *S_local;

void
search_thread_done(void)
{
	if (S_local == NULL)
		return;
	S_free_index(S_local);
	free(S_local);
	S_local = NULL;
}

int
search_shard(struct search_index *si, struct writer *w, const char *dir,
    size_t k, const struct search_doc *docs)
{
	struct index	*x, *g;
	struct term	*lt, *gt;
	struct buf	 b = BUF_INIT;
	size_t		 first = k * SEARCH_SHARD_DOCS, n, i, f, len[5];
	const char	*v[5];
	char		*rel;
	int		 rv;

	n = si->ndocs - first < SEARCH_SHARD_DOCS ? si->ndocs - first :
	    SEARCH_SHARD_DOCS;
	/* the shard's terms, in the thread's own table */
	if ((x = S_local) == NULL)
		x = S_local = xcalloc(1, sizeof(*x));
	if (x->nslots > 0)
		memset(x->slots, 0, x->nslots * sizeof(*x->slots));
	memset(x->seen, 0, sizeof(x->seen));
	x->nterms = 0;
	buf_reset(&x->pool);
	/* and text-K.json: the documents' texts but their titles */
	buf_grow(&b, 256 * 1024);	/* a usual shard, at once */
	buf_printf(&b, "{\"first\":%zu,\"docs\":[", first);
	for (i = 0; i < n; i++) {
		v[0] = docs[i].title;
		v[1] = docs[i].names;
		v[2] = docs[i].desc;
		v[3] = docs[i].keys;
		v[4] = docs[i].text;
		x->doc = (uint32_t)i;
		for (f = 0; f < 5; f++) {
			len[f] = v[f] != NULL ? strlen(v[f]) : 0;
			if (v[f] != NULL)
				S_terms(x, v[f], len[f]);
		}
		buf_puts(&b, i > 0 ? ",\n[" : "\n[");
		for (f = 1; f < 5; f++) {
			if (f > 1)
				buf_putc(&b, ',');
			S_put_strn(&b, v[f], len[f]);
		}
		buf_putc(&b, ']');
	}
	buf_puts(&b, "]}\n");
	/* then into the language's, each term once */
	pthread_mutex_lock(&si->lock);
	g = &si->all;
	if (si->merged > first)		/* a shard after this one came first */
		si->sorted = 0;
	else
		si->merged = first + n;
	for (i = 0; i < x->nterms; i++) {
		lt = &x->terms[i];
		gt = S_term(g, x->pool.data + lt->off, lt->len, lt->pre,
		    lt->hash);
		S_post(g, (uint32_t)(gt - g->terms), (uint32_t)k, lt->mask);
	}
	pthread_mutex_unlock(&si->lock);
	rel = xasprintf("%s/text-%zu.json", dir, k);
	rv = writer_put(w, rel, b.data, b.len);
	free(rel);
	buf_free(&b);
	return rv;
}

static int
S_cmp_shard(const void *a, const void *b)
{
	uint32_t x = ((const struct spost *)a)->shard;
	uint32_t y = ((const struct spost *)b)->shard;

	return x < y ? -1 : x > y;
}

static void
S_free_index(struct index *x)
{
	size_t	 i;

	for (i = 0; i < x->npost; i += PBLOCK)
		free(x->post[i / PBLOCK]);
	free(x->post);
	free(x->terms);
	free(x->slots);
	buf_free(&x->pool);
}

/* What index.json gathers before it goes to its file: the index of a
 * large site runs to megabytes, and is written in pieces of this size. */
#define SPILL	((size_t)256 * 1024)

/* Hands b's bytes to f once there are enough of them, or at the end. */
static void
S_spill(struct buf *b, struct wfile *f, int end)
{
	if (b->len >= SPILL || (end && b->len > 0)) {
		wfile_put(f, b->data, b->len);
		b->len = 0;
		b->data[0] = '\0';
	}
}

int
search_finish(struct search_index *si, struct writer *w, const char *dir,
    const struct search_meta *m, const struct search_doc *docs)
{
	struct index	 x;
	struct buf	 b = BUF_INIT;
	struct skey	*order;
	struct wfile	*f;
	struct spost	*v, *rec;
	uint32_t	 prev, d;
	uint64_t	 mask;
	size_t		 n = si->ndocs, i, k, nd, first, *end;
	char		*rel, *p;

	rel = xasprintf("%s/index.json", dir);
	f = writer_open(w, rel);
	free(rel);
	if (f == NULL)
		return -1;
	buf_grow(&b, SPILL + 4096);

	x = si->all;
	buf_puts(&b, "{\"version\":1,\"lang\":");
	S_put_str(&b, m->lang);
	S_pairs(&b, "sections", m->sections, m->nsections);
	S_pairs(&b, "clusters", m->clusters, m->nclusters);
	buf_puts(&b, ",\n\"shards\":[");
	for (k = 0; k < si->nshards; k++)
		buf_printf(&b, "%s\"text-%zu.json\"", k ? "," : "", k);
	buf_puts(&b, "],\n\"docs\":[");
	for (i = 0; i < n; i++) {
		buf_puts(&b, i ? ",\n[" : "\n[");
		S_put_str(&b, docs[i].url);
		buf_putc(&b, ',');
		S_put_str(&b, docs[i].title);
		buf_putc(&b, ',');
		S_put_u32(&b, (uint32_t)docs[i].section);
		buf_puts(&b, ",[");
		for (k = 0; k < docs[i].nclusters; k++) {
			if (k)
				buf_putc(&b, ',');
			S_put_u32(&b, (uint32_t)docs[i].clusters[k]);
		}
		buf_puts(&b, "],");
		S_put_u32(&b, (uint32_t)(i / SEARCH_SHARD_DOCS));
		buf_putc(&b, ',');
		S_put_str(&b, docs[i].date);
		buf_putc(&b, ']');
		S_spill(&b, f, 0);
	}
	/* the terms in byte order, and their postings */
	order = xcalloc(x.nterms + 1, sizeof(*order));
	for (i = 0; i < x.nterms; i++) {
		order[i].key = S_order_key(x.terms[i].pre);
		order[i].s = x.pool.data + x.terms[i].off;
		order[i].len = x.terms[i].len;
		order[i].term = (uint32_t)i;
	}
	qsort(order, x.nterms, sizeof(*order), S_cmp_terms);
	buf_puts(&b, "],\n\"terms\":[");
	for (i = 0; i < x.nterms; i++) {
		if (i)
			buf_puts(&b, i % 16 ? "," : ",\n");
		buf_put_json(&b, order[i].s, order[i].len);
		S_spill(&b, f, 0);
	}
	/* the records gathered by term, each term's in the order merged (a
	 * counting sort, which reads them in order, once): term t's are
	 * from v[end[t - 1]] (v[0] for the first) to v[end[t]] */
	end = xcalloc(x.nterms + 1, sizeof(*end));
	for (i = 0; i < x.npost; i++)
		end[x.post[i / PBLOCK][i % PBLOCK].term]++;
	for (i = 0, k = 0; i < x.nterms; i++) {
		k += end[i];
		end[i] = k - end[i];	/* where its records begin */
	}
	v = xcalloc(x.npost + 1, sizeof(*v));
	for (i = 0; i < x.npost; i++) {
		rec = &x.post[i / PBLOCK][i % PBLOCK];
		v[end[rec->term]++] = *rec;
	}
	buf_puts(&b, "],\n\"postings\":[");
	for (i = 0; i < x.nterms; i++) {
		const uint32_t t = order[i].term;
		const struct spost *tv;
		size_t nv;

		if (i)
			buf_puts(&b, i % 16 ? "," : ",\n");
		first = t == 0 ? 0 : end[t - 1];
		tv = v + first;
		nv = end[t] - first;
		/* their shards ascending */
		if (!si->sorted)
			qsort(v + first, nv, sizeof(*v), S_cmp_shard);
		/* room for every posting (10 digits and a comma), then
		 * written in place */
		for (k = 0, nd = 0; k < nv; k++)
			nd += (size_t)__builtin_popcountll(tv[k].mask);
		buf_grow(&b, nd * 11 + 2);
		p = b.data + b.len;
		*p++ = '[';
		for (k = 0, nd = 0, prev = 0; k < nv; k++)
			for (mask = tv[k].mask; mask != 0; mask &= mask - 1) {
				d = tv[k].shard * SEARCH_SHARD_DOCS +
				    (uint32_t)__builtin_ctzll(mask);
				if (nd++)
					*p++ = ',';
				p = S_u32(p, d - prev);
				prev = d;
			}
		*p++ = ']';
		b.len = (size_t)(p - b.data);
		b.data[b.len] = '\0';
		S_spill(&b, f, 0);
	}
	buf_puts(&b, "]}\n");
	S_spill(&b, f, 1);
	free(v);
	free(end);
	free(order);
	buf_free(&b);
	return writer_close(f);
}

void
search_free(struct search_index *si)
{
	if (si == NULL)
		return;
	S_free_index(&si->all);
	pthread_mutex_destroy(&si->lock);
	free(si);
}
