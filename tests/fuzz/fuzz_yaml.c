/*
 * fuzz_yaml.c - libFuzzer: front matter and data files through the YAML
 * tree (libyaml), and the typed readers on what it gives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ytree.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
S_walk(const struct ynode *n, int depth)
{
	long long	 ll;
	double		 d;
	int		 b;
	size_t		 i;

	if (n == NULL || depth > 200)
		return;
	ynode_int(n, &ll);
	ynode_num(n, &d);
	ynode_bool(n, &b);
	ynode_is_null(n);
	ynode_kind(n);
	for (i = 0; i < n->n; i++)
		S_walk(n->items[i], depth + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ynode	*root;
	char		*z = malloc(size + 1);

	if (z == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	if ((root = ytree_parse("fuzz.yaml", z, size, 1)) != NULL) {
		S_walk(root, 0);
		ymap_get(root, "title");
		ynode_free(root);
	}
	diag_reset();
	free(z);
	return 0;
}
