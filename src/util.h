/*
 * util.h - memory wrappers that abort on exhaustion, and small helpers.
 *
 * Running out of memory is not an error brochure reports: xmalloc and
 * friends print "brochure: out of memory" and abort(), so callers never
 * test their results for NULL.
 */
#ifndef BR_UTIL_H
#define BR_UTIL_H

#include <stddef.h>
#include <stdint.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/*
 * Returns arr, which holds n elements of size sz, with room for one more:
 * it grows, doubling, when n is zero or a power of two, so n appends cost
 * O(n) in all (arrays that only grow, as every list here does).
 */
void	*xgrow(void *arr, size_t n, size_t sz);
/* Returns a newly allocated string formatted as by printf; caller frees. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Returns the strings up to the NULL one after another in a new string
 * (caller frees): xasprintf("%s/%s", a, b) without the format, for the
 * paths made once or twice a page.
 */
char	*xjoin(const char *, ...) __attribute__((sentinel));

/*
 * Are the n bytes at s an id: lowercase ASCII letters, digits and '-',
 * not empty, not starting with '-'? (Ids name files and directories.)
 */
int	 is_id(const char *s, size_t n);

/* The first occurrence of the nl bytes at n in the hl bytes at h, or NULL
 * (also for an empty needle). */
const char *mem_find(const char *h, size_t hl, const char *n, size_t nl);

/* Seconds on the monotonic clock, for the phase timings. */
double	 now_s(void);

/* FNV-1a over n bytes at p, going on from h (FNV1A_BASIS to start). */
#define FNV1A_BASIS	14695981039346656037ULL
static inline uint64_t
fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char	*s = p;

	while (n-- > 0)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

/*
 * How many threads loading and rendering use: BROCHURE_THREADS, or one
 * per online core; at least 1, at most BR_MAX_THREADS.
 */
#define BR_MAX_THREADS	8
int	 nthreads(void);

/* BR_ASAN is 1 in a build with AddressSanitizer (gcc or clang), else 0. */
#if defined(__SANITIZE_ADDRESS__)
#define BR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BR_ASAN 1
#endif
#endif
#ifndef BR_ASAN
#define BR_ASAN 0
#endif

/*
 * Memory the program hands out itself (arenas, text chunks): BR_POISON
 * marks a region AddressSanitizer reports any access to, BR_UNPOISON
 * makes it usable again. Nothing outside an ASan build.
 */
#if BR_ASAN
#include <sanitizer/asan_interface.h>
#define BR_POISON(p, n)		ASAN_POISON_MEMORY_REGION((p), (n))
#define BR_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define BR_POISON(p, n)		((void)(p), (void)(n))
#define BR_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#endif
