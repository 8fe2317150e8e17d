/*
 * fuzz_mustache.c - libFuzzer: a template parsed and rendered with a
 * context of every kind of value, partials from the same source.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t	*S_data;
static size_t		 S_size;

/* every partial is the input again (depth is bounded by the engine) */
static int
S_loader(void *ud, const char *name, char **src, size_t *len)
{
	(void)ud;
	(void)name;
	if ((*src = malloc(S_size + 1)) == NULL)
		return 0;
	memcpy(*src, S_data, S_size);
	(*src)[S_size] = '\0';
	*len = S_size;
	return 1;
}

static int
S_missing(void *ud, const char *tmpl, const char *var, int line, int col,
    struct mus_error *err)
{
	(void)ud;
	(void)tmpl;
	(void)line;
	(void)col;
	(void)err;
	return var[0] == 'x' ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mus_env	*env;
	struct mus_tmpl	*t;
	struct mus_error err;
	struct buf	 out = BUF_INIT;
	json_t		*ctx;

	S_data = data;
	S_size = size;
	ctx = json_pack("{s:s, s:i, s:b, s:[s, s, {s:s}], s:{s:s, s:[i, i]}, s:n}",
	    "name", "Wuhan <武汉>", "n", 3, "yes", 1, "list", "a", "b", "k", "v",
	    "obj", "title", "T", "items", 1, 2, "none");
	env = mus_env_new(S_loader, S_missing, NULL);
	memset(&err, 0, sizeof(err));
	if ((t = mus_env_add(env, "fuzz", (const char *)data, size, &err)) != NULL)
		mus_render(env, t, ctx, &out, &err);
	buf_free(&out);
	mus_env_free(env);
	json_decref(ctx);
	return 0;
}
