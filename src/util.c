/*
 * util.c - allocation wrappers that abort on exhaustion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static void
S_oom(void)
{
	fputs("brochure: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		S_oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		S_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void	*q = realloc(p, n ? n : 1);

	if (q == NULL)
		S_oom();
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
xgrow(void *arr, size_t n, size_t sz)
{
	if ((n & (n - 1)) != 0)
		return arr;
	if (n > ((size_t)-1 / 2) / (sz ? sz : 1))
		S_oom();
	return xrealloc(arr, (n ? n * 2 : 1) * sz);
}

char *
xjoin(const char *first, ...)
{
	va_list		 ap;
	const char	*a;
	char		*r, *p;
	size_t		 n = 0, l;

	va_start(ap, first);
	for (a = first; a != NULL; a = va_arg(ap, const char *))
		n += strlen(a);
	va_end(ap);
	p = r = xmalloc(n + 1);
	va_start(ap, first);
	for (a = first; a != NULL; a = va_arg(ap, const char *)) {
		l = strlen(a);
		memcpy(p, a, l);
		p += l;
	}
	va_end(ap);
	*p = '\0';
	return r;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p, tmp[256];

	/* one pass for the usual short string, two for a long one */
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		S_oom();
	if ((size_t)n < sizeof(tmp))
		return xstrndup(tmp, (size_t)n);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int
is_id(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-'))
			return 0;
	return 1;
}

double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
nthreads(void)
{
	const char	*e = getenv("BROCHURE_THREADS");
	long		 n = e != NULL ? atol(e) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > BR_MAX_THREADS ? BR_MAX_THREADS : (int)n;
}

const char *
mem_find(const char *h, size_t hl, const char *n, size_t nl)
{
	const char	*p, *end = h + hl;

	if (nl == 0)
		return NULL;
	while ((size_t)(end - h) >= nl) {
		if ((p = memchr(h, n[0], (size_t)(end - h) - nl + 1)) == NULL)
			return NULL;
		if (memcmp(p, n, nl) == 0)
			return p;
		h = p + 1;
	}
	return NULL;
}
