/*
 * tv.c - template values (see tv.h).
 */
#include <string.h>

#include "arena.h"
#include "tv.h"

static struct tv S_null = { TV_NULL, 0, { 0 } };
static struct tv S_false = { TV_FALSE, 0, { 0 } };
static struct tv S_true = { TV_TRUE, 0, { 0 } };

/* A scalar, with extra bytes after it (a string's text). */
static struct tv *
S_new(enum tv_type type, size_t extra)
{
	struct tv	*v = arena_malloc(sizeof(*v) + extra);

	v->type = (unsigned char)type;
	v->n = 0;
	return v;
}

/* An array or an object, empty. */
static struct tv *
S_box(enum tv_type type)
{
	struct tv_box	*b = arena_malloc(sizeof(*b));

	b->v.type = (unsigned char)type;
	b->v.n = 0;
	b->v.u.e = NULL;
	b->cap = 0;
	b->filter = 0;
	return &b->v;
}

struct tv *
tv_null(void)
{
	return &S_null;
}

struct tv *
tv_true(void)
{
	return &S_true;
}

struct tv *
tv_false(void)
{
	return &S_false;
}

struct tv *
tv_bool(int b)
{
	return b ? &S_true : &S_false;
}

struct tv *
tv_int(long long i)
{
	struct tv	*v = S_new(TV_INT, 0);

	v->u.i = i;
	return v;
}

struct tv *
tv_real(double d)
{
	struct tv	*v = S_new(TV_REAL, 0);

	v->u.d = d;
	return v;
}

struct tv *
tv_strn(const char *s, size_t n)
{
	struct tv	*v = S_new(TV_STR, n + 1);
	char		*p = (char *)(v + 1);

	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	v->n = (uint32_t)n;
	v->u.s = p;
	return v;
}

struct tv *
tv_str(const char *s)
{
	return tv_strn(s, strlen(s));
}

struct tv *
tv_arr(void)
{
	return S_box(TV_ARR);
}

struct tv *
tv_obj(void)
{
	return S_box(TV_OBJ);
}

static void	S_resize(struct tv *, uint32_t);

/* Room for n entries: n itself below an index's size, else a power of 2
 * (tv__slot). */
static uint32_t
S_cap(uint32_t n)
{
	uint32_t	 cap = TV_IX_MIN;

	if (n < TV_IX_MIN)
		return n > 0 ? n : 1;
	while (cap < n)
		cap *= 2;
	return cap;
}

struct tv *
tv_obj_n(size_t n)
{
	struct tv	*o = S_box(TV_OBJ);

	S_resize(o, S_cap((uint32_t)n));
	return o;
}

void
tv_push(struct tv *a, struct tv *v)
{
	struct tv_box	*b = tv__box(a);

	if (a->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		a->u.a = arena_realloc(a->u.a, b->cap * sizeof(*a->u.a));
	}
	a->u.a[a->n++] = v;
}

static void
S_ix_put(uint32_t *ix, uint32_t cap, uint32_t h, uint32_t pos)
{
	uint32_t	 i = tv__slot(h, cap), mask = 2 * cap - 1;

	while (ix[i] != 0)
		i = (i + 1) & mask;
	ix[i] = pos + 1;
}

/* Indexes o's entries anew, if it has an index (tv.h). */
static void
S_reindex(struct tv *o)
{
	uint32_t	*ix, i, cap = tv__box(o)->cap;

	if ((ix = tv__ix(o)) == NULL)
		return;
	memset(ix, 0, 2 * cap * sizeof(*ix));
	for (i = 0; i < o->n; i++)
		S_ix_put(ix, cap, o->u.e[i].hash, i);
}

/* Gives o a block of cap entries (S_cap: at least n). */
static void
S_resize(struct tv *o, uint32_t cap)
{
	o->u.e = arena_realloc(o->u.e, cap * sizeof(*o->u.e) +
	    (cap >= TV_IX_MIN ? 2 * cap * sizeof(uint32_t) : 0));
	tv__box(o)->cap = cap;
	S_reindex(o);
}

void
tv_setn(struct tv *o, const char *k, size_t klen, uint32_t h, struct tv *v)
{
	struct tv_ent	*e;
	uint32_t	*ix;

	if ((e = tv__find(o, k, klen, h)) != NULL) {
		e->v = v;
		return;
	}
	if (o->n == tv__box(o)->cap)
		S_resize(o, S_cap(o->n ? o->n * 2 : 8));
	e = &o->u.e[o->n];
	e->k = k;
	e->klen = (uint32_t)klen;
	e->hash = h;
	e->v = v;
	if ((ix = tv__ix(o)) != NULL)
		S_ix_put(ix, tv__box(o)->cap, h, o->n);
	o->n++;
	tv__box(o)->filter |= tv__bit(h);
}

void
tv_update(struct tv *dst, const struct tv *src)
{
	uint32_t	 i;

	if (dst->n == 0 && src->n > 0) {
		/* into an empty object (a page's context taking what every
		 * page shares): the entries at once, with room to grow */
		S_resize(dst, S_cap(src->n + 16));
		memcpy(dst->u.e, src->u.e, src->n * sizeof(*dst->u.e));
		dst->n = src->n;
		S_reindex(dst);
		tv__box(dst)->filter = tv__box(src)->filter;
		return;
	}
	for (i = 0; i < src->n; i++)
		tv_setn(dst, src->u.e[i].k, src->u.e[i].klen, src->u.e[i].hash,
		    src->u.e[i].v);
}
