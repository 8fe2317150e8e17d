/*
 * fuzz_md.c - libFuzzer: a Markdown body through md_render (cmark, links,
 * tables, heading ids, the CJK passes, smart punctuation, no-wrap text).
 * Links resolve to a fixed address, one name in three is refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "md.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *
S_resolve(void *ud, const char *target, const char *anchor, const char *path,
    int line, int col)
{
	(void)ud;
	(void)anchor;
	if (strlen(target) % 3 == 0) {
		diag_error(path, line, col, "no page '%s'", target);
		return NULL;
	}
	return xstrdup("../x/index.html");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the low bits choose raw HTML and the plain text (search) */
	struct md_opts	 o = { "fuzz.md", 5, (int)(size & 1), NULL, S_resolve,
			    NULL, (int)((size >> 1) & 1) };
	struct md_out	 out;
	char		*text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	o.id_prefix = size & 2 ? "p-" : NULL;
	md_render(text, strlen(text), &o, &out);
	md_out_free(&out);
	diag_reset();
	free(text);
	return 0;
}
