/*
 * arena.h - scratch memory for what one page allocates.
 *
 * Rendering a page builds a context of some hundreds of values (tv.h) and
 * a cmark tree, and throws both away once the page is written. With the
 * system allocator that is thousands of malloc and free calls per page,
 * and on two threads the frees contend for the allocator's locks. Between
 * arena_begin() and arena_end() a thread's allocations through these
 * functions come from its own arena instead: a bump pointer in a chunk
 * the thread keeps, and arena_end() takes it all back at once.
 *
 * Every block carries a small header saying where it came from, so
 * arena_free() and arena_realloc() accept any block from any thread:
 * freeing an arena block is a no-op, freeing a heap block (one allocated
 * while no arena was open) frees it. Values made in an arena that was
 * detached (arena_detach(): the contexts every page shares) can be
 * referenced from a page's context and outlive it, while nothing
 * allocated inside an open arena may be kept after arena_end(); under
 * AddressSanitizer the released memory is poisoned, so the test suite
 * catches a value that was.
 *
 * tv.c allocates template values here; md.c hands cmark the same
 * functions.
 */
#ifndef BR_ARENA_H
#define BR_ARENA_H

#include <stddef.h>

/* Opens this thread's arena; arena_end() frees what was allocated since. */
void	 arena_begin(void);
void	 arena_end(void);

/*
 * A place in this thread's open arena: arena_reset() takes back what was
 * allocated after it and keeps what came before (values that outlive
 * several pages, such as a list page's items, then the pages' contexts).
 */
struct arena_mark {
	void		*chunk;
	size_t		 used;
	unsigned long	 seq;
};

struct arena_mark arena_mark(void);
void	 arena_reset(struct arena_mark);

/*
 * Closes this thread's arena and hands over what was allocated in it:
 * the blocks stay valid, on any thread, until arena_free_detached() (for
 * values made once and read by every thread a while, such as the print
 * edition's skeleton).
 */
void	*arena_detach(void);
void	 arena_free_detached(void *);

/* Releases the memory this thread's arena keeps between pages. */
void	 arena_release(void);

/* Like malloc(3) and friends (abort on exhaustion, as xmalloc does). */
void	*arena_malloc(size_t);
void	*arena_calloc(size_t, size_t);
void	*arena_realloc(void *, size_t);
void	 arena_free(void *);

#endif
