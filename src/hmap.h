/*
 * hmap.h - a string-keyed hash map of pointers (open addressing, FNV-1a).
 *
 * Keys are copied; values are not owned. A zeroed struct hmap is empty.
 * Each slot keeps its key's hash beside it: probing compares hashes
 * before strings, and growing never reads a key again.
 */
#ifndef BR_HMAP_H
#define BR_HMAP_H

#include <stddef.h>

struct hslot {
	size_t	 hash;
	char	*key;		/* NULL: the slot is free */
	void	*val;
};

struct hmap {
	struct hslot	*slots;
	size_t		 cap, n;
};

/* Sets key to val, replacing an earlier value. */
void	 hmap_put(struct hmap *, const char *key, void *val);
/* The value of key, or NULL. */
void	*hmap_get(const struct hmap *, const char *key);
void	 hmap_free(struct hmap *);

#endif
