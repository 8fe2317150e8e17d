/*
 * mustache.h - a Mustache template engine rendering template values (tv.h).
 *
 * Implements the core of the Mustache spec (interpolation, sections,
 * inverted sections, comments, partials, set delimiters) and template
 * inheritance ({{<parent}} ... {{$block}} ... {{/block}} ... {{/parent}}).
 * Lambdas and dynamic names are not supported.
 *
 * Templates live in an environment (struct mus_env) that owns them: each is
 * parsed once into a flat array of nodes and cached under its name; partials
 * and parents are fetched through a loader callback the first time they are
 * used. Rendering never re-parses and allocates only scratch space.
 *
 * Section truthiness: a missing name, false, null and the empty array are
 * falsy; everything else (including "" and 0) is truthy. An array renders
 * the section once per element, any other truthy value once, pushed on the
 * context stack.
 *
 * An environment is not thread-safe: use one per thread.
 */
#ifndef BR_MUSTACHE_H
#define BR_MUSTACHE_H

#include <stddef.h>

#include "buf.h"
#include "tv.h"

struct mus_env;
struct mus_tmpl;

struct mus_error {
	char	name[256];	/* template the error is in */
	int	line, col;	/* 1-based position of the offending tag */
	char	msg[256];	/* e.g. "unclosed section 'items'" */
};

/*
 * Returns 1 and the source of the partial called name in *src (allocated
 * with malloc, *len bytes, no terminating NUL needed; the engine frees it),
 * or 0 if there is no such partial (it then renders as empty).
 */
typedef int (*mus_loader_fn)(void *ud, const char *name, char **src,
    size_t *len);

/*
 * Called when the name of a variable or of a (normal or inverted) section
 * is not found in the context. On entry err's msg is empty. Return 0 to
 * carry on (the name renders as empty / as falsy), or -1 to fail the
 * render: mus_render() then returns -1 with the message the callback left
 * in err->msg ("missing value 'var'" if it left none), and err's name,
 * line and col those of the tag.
 */
typedef int (*mus_missing_fn)(void *ud, const char *tmpl_name,
    const char *var, int line, int col, struct mus_error *err);

/*
 * Called instead of rendering a partial that mus_env_hook() took: stk
 * holds the context stack (stk[0] the root, stk[nstk - 1] the innermost),
 * indent the indentation the partial's lines would get (indlen bytes).
 * Return 1 when done (after appending any output to out), 0 to render the
 * partial as usual, -1 to fail the render ("partial 'NAME' failed" at the
 * tag).
 */
typedef int (*mus_hook_fn)(void *ud, struct tv *const *stk, size_t nstk,
    const char *indent, size_t indlen, struct buf *out);

/*
 * Returns a new environment. loader and missing may be NULL; ud is passed
 * to both. Free it with mus_env_free().
 */
struct mus_env	*mus_env_new(mus_loader_fn loader, mus_missing_fn missing,
		    void *ud);

/* Frees the environment and every template it parsed. NULL is allowed. */
void		 mus_env_free(struct mus_env *);

/*
 * Parses len bytes of src (copied; the caller keeps src) and caches the
 * result under name, replacing any template of that name for later look-ups
 * (templates already returned stay valid until mus_env_free()). Returns the
 * template, owned by the environment, or NULL on a syntax error with err
 * filled (err may be NULL).
 */
struct mus_tmpl	*mus_env_add(struct mus_env *, const char *name,
		    const char *src, size_t len, struct mus_error *err);

/*
 * Returns the template called name: from the cache, or fetched through the
 * loader, parsed and cached (the outcome, found or not, is cached too).
 * Returns NULL if there is no such template (err->msg then empty) or if its
 * source has a syntax error (err filled). The template is owned by the
 * environment. err may be NULL.
 */
struct mus_tmpl	*mus_env_get(struct mus_env *, const char *name,
		    struct mus_error *err);

/*
 * Hands the partial called name to fn from now on (fn NULL: no more),
 * for a caller that renders some partials elsewhere (on other threads,
 * into another file) with mus_render_stack(). One hook per environment.
 */
void		 mus_env_hook(struct mus_env *, const char *name, mus_hook_fn fn,
		    void *ud);

/* The name a template was registered under (owned by the template). */
const char	*mus_tmpl_name(const struct mus_tmpl *);

/*
 * Renders t with ctx as the root of the context stack (ctx may be NULL),
 * appending to out. Returns 0, or -1 with err filled (err may be NULL): a
 * syntax error in a partial or parent, the missing callback asking to
 * fail, or partials nested more than MUS_MAX_DEPTH deep. On failure out
 * holds whatever was rendered before the error.
 */
int		 mus_render(struct mus_env *, struct mus_tmpl *t, struct tv *ctx,
		    struct buf *out, struct mus_error *err);

/*
 * mus_render(), for an output too large to hold whole: whenever out holds
 * MUS_SPILL bytes or more between two tags, they go to flush (with ud)
 * and out is emptied; what is left when the render returns is the
 * caller's to take. Not for templates with a hooked partial: the hook's
 * out->len would count from the last flush.
 */
typedef void	(*mus_flush_fn)(void *ud, const char *data, size_t len);
int		 mus_render_flush(struct mus_env *, struct mus_tmpl *t,
		    struct tv *ctx, struct buf *out, mus_flush_fn flush,
		    void *ud, struct mus_error *err);

#define MUS_SPILL	(256 * 1024)

/*
 * Renders t as a partial at the place a hook was given: with stk[0..nstk)
 * as the context stack and each of its lines indented by indent (indlen
 * bytes), as the partial would have rendered in place (blocks of the
 * parents around that place are not seen).
 */
int		 mus_render_stack(struct mus_env *, struct mus_tmpl *t,
		    struct tv *const *stk, size_t nstk, const char *indent,
		    size_t indlen, struct buf *out, struct mus_error *err);

/* Nesting limit for partials, parents and blocks while rendering. */
#define MUS_MAX_DEPTH	100

#endif
