/*
 * tv.h - template values: what a Mustache context is made of.
 *
 * Null, booleans, integers, reals, strings, arrays and objects, made for
 * contexts that are built once, read by a template and dropped whole:
 *
 *  - every value is allocated with arena_malloc() (arena.h) and is never
 *    freed by itself: make values with an arena open. A page's context
 *    lives in its thread's arena and goes with it; values that outlive
 *    a page (what every page shares) are made in an arena that is then
 *    detached (arena_detach()) and freed whole at the end;
 *  - there are no reference counts: a value may sit in any number of
 *    arrays and objects, and values made before the threads start are
 *    read by all of them without a write;
 *  - an object is an array of keys with their hashes (indexed once it
 *    has room for TV_IX_MIN), under a 64-bit filter of the hashes it holds,
 *    so that a name it lacks (the usual case as a lookup walks the
 *    context stack) costs one test; literal keys are hashed when
 *    compiling (tv_set()), and the template engine hashes a tag's name
 *    when it parses the template;
 *  - keys are not copied: a key must outlive the object (string literals,
 *    or strings of the model and the i18n trees, which live until the end
 *    of the render). Strings are copied.
 *
 * Strings are taken as valid UTF-8 (checked where they are read).
 */
#ifndef BR_TV_H
#define BR_TV_H

#include <stddef.h>
#include <stdint.h>

enum tv_type {
	TV_NULL, TV_FALSE, TV_TRUE, TV_INT, TV_REAL, TV_STR, TV_ARR, TV_OBJ
};

struct tv_ent {
	const char	*k;
	uint32_t	 klen;
	uint32_t	 hash;
	struct tv	*v;
};

/* A value: 16 bytes (a string's text follows it). */
struct tv {
	unsigned char	 type;		/* enum tv_type */
	uint32_t	 n;		/* bytes of a string; items of an array
					 * or an object */
	union {
		long long	  i;
		double		  d;
		const char	 *s;	/* NUL-terminated */
		struct tv	**a;
		struct tv_ent	 *e;
	} u;
};

/* An array or an object: the value, then what only they need. */
struct tv_box {
	struct tv	 v;
	uint32_t	 cap;
	uint64_t	 filter;	/* objects: a bit per hash held */
};

static inline struct tv_box *
tv__box(const struct tv *v)
{
	return (struct tv_box *)(uintptr_t)v;
}

/*
 * The hash of a key (FNV-1a), as objects and the template engine use it.
 * Unrolled, so that for a literal key (render.c sets hundreds per page)
 * the compiler works the hash out and tv_set() passes a constant.
 */
static inline uint32_t
tv_hash(const char *k, size_t n)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	_Pragma("GCC unroll 32")
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

struct tv	*tv_null(void);
struct tv	*tv_bool(int);
struct tv	*tv_true(void);
struct tv	*tv_false(void);
struct tv	*tv_int(long long);
struct tv	*tv_real(double);
struct tv	*tv_str(const char *);
struct tv	*tv_strn(const char *, size_t);
struct tv	*tv_arr(void);
struct tv	*tv_obj(void);
/* An object with room for n keys at once: one block, where one grown key
 * by key leaves the blocks it outgrew in the arena. */
struct tv	*tv_obj_n(size_t n);

/* Appends v to the array a. */
void		 tv_push(struct tv *a, struct tv *v);

/* Sets key k (klen bytes, hash h) of object o to v, replacing any value. */
void		 tv_setn(struct tv *o, const char *k, size_t klen, uint32_t h,
		    struct tv *v);

static inline void
tv_set(struct tv *o, const char *k, struct tv *v)
{
	size_t	 n = __builtin_strlen(k);

	tv_setn(o, k, n, tv_hash(k, n), v);
}

/* Sets every key of src in dst, as tv_set() would one by one. */
void		 tv_update(struct tv *dst, const struct tv *src);

/*
 * Objects: while they have room for fewer than TV_IX_MIN keys, the
 * entries are scanned (a list item's fifteen keys take no index, which
 * would add an eighth to its size). From TV_IX_MIN on (the UI strings, a
 * page's context), the block of cap entries is followed by an index of
 * 2 * cap slots, each 0 or an entry's place + 1, probed linearly from the
 * slot of the mixed hash's top bits. The filter has the bit of each key
 * held: six other bits of the mixed hash (FNV's own top bits repeat for
 * keys that differ in a digit or two).
 */
#define TV_IX_MIN	32

static inline uint32_t
tv__mix(uint32_t h)
{
	return h * 0x9e3779b1u;
}

static inline uint64_t
tv__bit(uint32_t h)
{
	return (uint64_t)1 << (tv__mix(h) >> 26);
}

static inline uint32_t
tv__slot(uint32_t h, uint32_t cap)
{
	/* 2 * cap slots: the top log2(cap) + 1 bits */
	return tv__mix(h) >> (31 - __builtin_ctz(cap));
}

static inline uint32_t *
tv__ix(const struct tv *o)
{
	uint32_t	 cap = tv__box(o)->cap;

	return cap >= TV_IX_MIN ? (uint32_t *)(o->u.e + cap) : NULL;
}

/*
 * The entry of key k (klen bytes, hash h) in object o, or NULL. Inline:
 * it is the template engine's inner loop, run at every level of the
 * context stack, and most levels lack the name (the filter says so).
 */
static inline struct tv_ent *
tv__find(const struct tv *o, const char *k, size_t klen, uint32_t h)
{
	struct tv_ent	*e, *end;
	const uint32_t	*ix;
	uint32_t	 i, mask;

	if (!(tv__box(o)->filter & tv__bit(h)))
		return NULL;
	if ((ix = tv__ix(o)) != NULL) {
		mask = 2 * tv__box(o)->cap - 1;
		for (i = tv__slot(h, tv__box(o)->cap); ix[i] != 0;
		    i = (i + 1) & mask) {
			e = &o->u.e[ix[i] - 1];
			if (e->hash == h && e->klen == klen &&
			    __builtin_memcmp(e->k, k, klen) == 0)
				return e;
		}
		return NULL;
	}
	for (e = o->u.e, end = e + o->n; e < end; e++)
		if (e->hash == h && e->klen == klen &&
		    __builtin_memcmp(e->k, k, klen) == 0)
			return e;
	return NULL;
}

/* The value of key k in o (NULL if o has none, or is not an object). */
static inline struct tv *
tv_getn(const struct tv *o, const char *k, size_t klen, uint32_t h)
{
	const struct tv_ent *e;

	if (o == NULL || o->type != TV_OBJ ||
	    (e = tv__find(o, k, klen, h)) == NULL)
		return NULL;
	return e->v;
}

static inline struct tv *
tv_get(const struct tv *o, const char *k)
{
	size_t	 n = __builtin_strlen(k);

	return tv_getn(o, k, n, tv_hash(k, n));
}

/* Item i of array a, NULL past the end (or if a is not an array). */
static inline struct tv *
tv_at(const struct tv *a, size_t i)
{
	return a != NULL && a->type == TV_ARR && i < a->n ? a->u.a[i] : NULL;
}

/* Items of an array, keys of an object, 0 for anything else. */
static inline size_t
tv_len(const struct tv *v)
{
	return v != NULL && (v->type == TV_ARR || v->type == TV_OBJ) ? v->n : 0;
}

/* A string's text, or NULL. */
static inline const char *
tv_str_value(const struct tv *v)
{
	return v != NULL && v->type == TV_STR ? v->u.s : NULL;
}

#endif
