/*
 * fuzz_mustache.c - libFuzzer: a template parsed and rendered with a
 * context of every kind of value, partials from the same source.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
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
	struct tv	*ctx, *v, *o;

	S_data = data;
	S_size = size;
	arena_begin();
	ctx = tv_obj();
	tv_set(ctx, "name", tv_str("Wuhan <武汉>"));
	tv_set(ctx, "n", tv_int(3));
	tv_set(ctx, "yes", tv_true());
	v = tv_arr();
	tv_push(v, tv_str("a"));
	tv_push(v, tv_str("b"));
	o = tv_obj();
	tv_set(o, "k", tv_str("v"));
	tv_push(v, o);
	tv_set(ctx, "list", v);
	o = tv_obj();
	tv_set(o, "title", tv_str("T"));
	v = tv_arr();
	tv_push(v, tv_int(1));
	tv_push(v, tv_real(2.5));
	tv_set(o, "items", v);
	tv_set(ctx, "obj", o);
	tv_set(ctx, "none", tv_null());
	env = mus_env_new(S_loader, S_missing, NULL);
	memset(&err, 0, sizeof(err));
	if ((t = mus_env_add(env, "fuzz", (const char *)data, size, &err)) != NULL)
		mus_render(env, t, ctx, &out, &err);
	buf_free(&out);
	mus_env_free(env);
	arena_end();
	arena_release();
	return 0;
}
