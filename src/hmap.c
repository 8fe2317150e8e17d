/*
 * hmap.c - a string-keyed hash map of pointers.
 */
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "util.h"

static size_t
S_hash(const char *s)
{
	size_t	 h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
S_grow(struct hmap *m)
{
	char	**keys = m->keys;
	void	**vals = m->vals;
	size_t	  cap = m->cap, i, j;

	m->cap = cap ? cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	for (i = 0; i < cap; i++) {
		if (keys[i] == NULL)
			continue;
		for (j = S_hash(keys[i]) & (m->cap - 1); m->keys[j] != NULL;
		    j = (j + 1) & (m->cap - 1))
			;
		m->keys[j] = keys[i];
		m->vals[j] = vals[i];
	}
	free(keys);
	free(vals);
}

void
hmap_put(struct hmap *m, const char *key, void *val)
{
	size_t	 i;

	if ((m->n + 1) * 2 > m->cap)
		S_grow(m);
	for (i = S_hash(key) & (m->cap - 1); m->keys[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return;
		}
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->n++;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	size_t	 i;

	if (m->cap == 0)
		return NULL;
	for (i = S_hash(key) & (m->cap - 1); m->keys[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	return NULL;
}

void
hmap_free(struct hmap *m)
{
	size_t	 i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
