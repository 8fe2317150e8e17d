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
	struct hslot	*old = m->slots;
	size_t		 cap = m->cap, i, j;

	m->cap = cap ? cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < cap; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = old[i].hash & (m->cap - 1); m->slots[j].key != NULL;
		    j = (j + 1) & (m->cap - 1))
			;
		m->slots[j] = old[i];
	}
	free(old);
}

/* The slot of key (hash h): where it is, or the free one it would take. */
static struct hslot *
S_find(const struct hmap *m, const char *key, size_t h)
{
	size_t	 i;

	for (i = h & (m->cap - 1); m->slots[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			break;
	return &m->slots[i];
}

void
hmap_put(struct hmap *m, const char *key, void *val)
{
	struct hslot	*s;
	size_t		 h = S_hash(key);

	if ((m->n + 1) * 2 > m->cap)
		S_grow(m);
	s = S_find(m, key, h);
	if (s->key == NULL) {
		s->hash = h;
		s->key = xstrdup(key);
		m->n++;
	}
	s->val = val;
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	/* a free slot's value is NULL: slots are never emptied */
	return S_find(m, key, S_hash(key))->val;
}

void
hmap_free(struct hmap *m)
{
	size_t	 i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
