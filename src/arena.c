/*
 * arena.c - scratch memory for what one page allocates.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

/*
 * Every block starts with this word, the pointer handed out follows it:
 * the bytes asked for, shifted left 16, and T_HEAP or T_ARENA. Eight bytes
 * and eight-byte alignment (what template values and cmark's structures need)
 * keep arena blocks no bigger than malloc's own.
 */
struct hdr {
	uint64_t	word;
};

#define T_HEAP	0x4845		/* "HE" */
#define T_ARENA	0x4152		/* "AR" */
#define TAG(h)	((unsigned)((h)->word & 0xFFFF))
#define SIZE(h)	((size_t)((h)->word >> 16))
#define SET(h, n, t) ((h)->word = ((uint64_t)(n) << 16) | (t))
#define ALIGN	8
#define CHUNK	((size_t)256 * 1024)	/* what a page usually needs, kept */
#define MAXBLK	((uint64_t)1 << 47)	/* sizes fit the header word */

struct chunk {
	struct chunk	*next;		/* older chunks */
	size_t		 size;		/* bytes of data */
	size_t		 used;
	unsigned long	 seq;		/* made after arena_mark()s below it */
	_Alignas(8) unsigned char data[];
};

struct arena {
	struct chunk	*head;		/* the chunk allocations come from */
	struct hdr	*last;		/* the latest block (grows in place) */
	int		 open;
	unsigned long	 seq;		/* chunks made so far */
};

static _Thread_local struct arena S_a;

_Static_assert(sizeof(struct hdr) == ALIGN, "header keeps alignment");
_Static_assert(offsetof(struct chunk, data) % ALIGN == 0, "chunk keeps alignment");

static size_t
S_round(size_t n)
{
	if (n > SIZE_MAX - ALIGN - sizeof(struct hdr))
		return SIZE_MAX;
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static struct chunk *
S_chunk(size_t need)
{
	size_t		 size = need > CHUNK ? need : CHUNK;
	struct chunk	*c;

	if (size > SIZE_MAX - sizeof(*c))
		size = SIZE_MAX - sizeof(*c);
	c = xmalloc(sizeof(*c) + size);
	c->size = size;
	c->used = 0;
	c->seq = ++S_a.seq;
	c->next = S_a.head;
	BR_POISON(c->data, c->size);
	return c;
}

/* A block of n bytes from this thread's open arena. */
static struct hdr *
S_bump(size_t n)
{
	size_t		 need;
	struct chunk	*c = S_a.head;
	struct hdr	*h;

	if ((uint64_t)n > MAXBLK || n > SIZE_MAX / 2)
		(void)xmalloc(SIZE_MAX);	/* cannot be had: reports, aborts */
	need = sizeof(struct hdr) + S_round(n);
	if (c == NULL || c->size - c->used < need) {
		c = S_chunk(need);
		/* a block bigger than a chunk gets a chunk of its own, behind
		 * the current one, which stays the one to bump */
		if (S_a.head != NULL && need > CHUNK) {
			c->next = S_a.head->next;
			S_a.head->next = c;
		} else
			S_a.head = c;
	}
	h = (struct hdr *)(void *)(c->data + c->used);
	BR_UNPOISON(h, need);
	c->used += need;
	SET(h, n, T_ARENA);
	if (c == S_a.head)
		S_a.last = h;
	return h;
}

/* arena_malloc() past its first case: a new chunk, or the heap. Kept
 * apart, so that the first case needs no stack frame. */
static __attribute__((noinline)) void *
S_malloc(size_t n)
{
	struct hdr	*h;

	if (S_a.open)
		h = S_bump(n);
	else {
		if ((uint64_t)n > MAXBLK)
			(void)xmalloc(SIZE_MAX);	/* reports, aborts */
		h = xmalloc(sizeof(*h) + n);
		SET(h, n, T_HEAP);
	}
	return h + 1;
}

void *
arena_malloc(size_t n)
{
	struct chunk	*c = S_a.head;
	struct hdr	*h;
	size_t		 need;

	/* the usual case, a small block from the open chunk: template
	 * values and cmark ask this of every value and node */
	if (S_a.open && c != NULL && n <= CHUNK &&
	    (need = sizeof(struct hdr) + ((n + ALIGN - 1) &
	    ~(size_t)(ALIGN - 1))) <= c->size - c->used) {
		h = (struct hdr *)(void *)(c->data + c->used);
		BR_UNPOISON(h, need);
		c->used += need;
		SET(h, n, T_ARENA);
		S_a.last = h;
		return h + 1;
	}
	return S_malloc(n);
}

void *
arena_calloc(size_t n, size_t sz)
{
	void	*p;

	if (sz != 0 && n > SIZE_MAX / sz)
		n = SIZE_MAX / sz;	/* xmalloc then aborts */
	p = arena_malloc(n * sz);
	memset(p, 0, n * sz);
	return p;
}

void
arena_free(void *p)
{
	struct hdr	*h;

	if (p == NULL)
		return;
	h = (struct hdr *)p - 1;
	if (TAG(h) == T_HEAP) {
		h->word = 0;
		free(h);
	} else if (TAG(h) != T_ARENA)
		abort();	/* not ours: a bug, not an input error */
}

void *
arena_realloc(void *p, size_t n)
{
	struct hdr	*h, *nh;
	struct chunk	*c = S_a.head;
	size_t		 old, grow;

	if (p == NULL)
		return arena_malloc(n);
	h = (struct hdr *)p - 1;
	if (TAG(h) == T_HEAP) {
		if ((uint64_t)n > MAXBLK)
			(void)xmalloc(SIZE_MAX);	/* reports, aborts */
		h = xrealloc(h, sizeof(*h) + n);
		SET(h, n, T_HEAP);
		return h + 1;
	}
	if (TAG(h) != T_ARENA)
		abort();
	old = S_round(SIZE(h));
	/* the latest block grows in place while its chunk has room */
	if (S_a.open && h == S_a.last && c != NULL && S_round(n) >= old) {
		grow = S_round(n) - old;
		if (c->size - c->used >= grow) {
			BR_UNPOISON((unsigned char *)(h + 1) + old, grow);
			c->used += grow;
			SET(h, n, T_ARENA);
			return p;
		}
	}
	if (n <= SIZE(h)) {
		SET(h, n, T_ARENA);
		return p;
	}
	nh = (struct hdr *)arena_malloc(n) - 1;
	memcpy(nh + 1, p, SIZE(h));
	return nh + 1;
}

void
arena_begin(void)
{
	S_a.open = 1;
}

void
arena_end(void)
{
	struct chunk	*c, *next, *keep = NULL;

	for (c = S_a.head; c != NULL; c = next) {
		next = c->next;
		/* one chunk of the usual size stays for the next page */
		if (keep == NULL && c->size == CHUNK) {
			keep = c;
			continue;
		}
		free(c);
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
		BR_POISON(keep->data, keep->size);
	}
	S_a.head = keep;
	S_a.last = NULL;
	S_a.open = 0;
}

struct arena_mark
arena_mark(void)
{
	struct arena_mark m;

	m.chunk = S_a.head;
	m.used = S_a.head != NULL ? S_a.head->used : 0;
	m.seq = S_a.seq;
	return m;
}

void
arena_reset(struct arena_mark m)
{
	struct chunk	*c, *next, **tail = &S_a.head;
	struct chunk	*mc = m.chunk;

	/* the chunks made since go (a large block's chunk may sit behind
	 * the head: the sequence says which), the mark's chunk goes back
	 * to where it was */
	for (c = S_a.head; c != NULL; c = next) {
		next = c->next;
		if (c->seq > m.seq) {
			free(c);
			continue;
		}
		*tail = c;
		tail = &c->next;
	}
	*tail = NULL;
	if (mc != NULL) {
		BR_POISON(mc->data + m.used, mc->used - m.used);
		mc->used = m.used;
	}
	S_a.head = mc;
	S_a.last = NULL;
}

void *
arena_detach(void)
{
	struct chunk	*c = S_a.head;

	S_a.head = NULL;
	S_a.last = NULL;
	S_a.open = 0;
	return c;
}

void
arena_free_detached(void *p)
{
	struct chunk	*c, *next;

	for (c = p; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

void
arena_release(void)
{
	arena_end();
	free(S_a.head);
	S_a.head = NULL;
}
