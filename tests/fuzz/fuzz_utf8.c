/*
 * fuzz_utf8.c - libFuzzer: the UTF-8 helpers on any bytes (scan, position,
 * word counts, slugs, CJK classification) and, on valid text, the
 * typographic passes (smart punctuation, no-wrap, NFC).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	char		*z, *t;
	size_t		 off;
	int		 line, col, stable;

	off = utf8_scan(s, size, &stable);
	utf8_position(s, off, &line, &col);
	if ((z = malloc(size + 1)) == NULL)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';
	if (off == size && strlen(z) == size) {
		utf8_count_words(z, size);
		free(utf8_slug(z, size, "section"));
		if ((t = utf8_smart(z)) != NULL)
			free(t);
		if ((t = utf8_nowrap(z)) != NULL)
			free(t);
		if (size > 0) {
			utf8_is_cjk(utf8_first(z, size));
			utf8_is_cjk_punct(utf8_last(z, size));
		}
	}
	free(z);
	return 0;
}
