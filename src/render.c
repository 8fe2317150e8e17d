/*
 * render.c - the render stage: contexts, layouts, outputs.
 *
 * Each output is a context of template values (tv.h) rendered through a
 * layout in layouts/NAME.mustache. Values are formatted here, per
 * language, before a template sees them; links are site-root-relative
 * paths that the layouts prefix with {{root}}, so the site works from any
 * sub-path.
 *
 * Every string here is valid UTF-8 already (load.c validates every source,
 * and what is made from them stays valid). Each page's context lives in
 * its thread's arena (arena.h): nothing made while a page renders may be
 * kept after it. What pages share is made before, in arenas detached and
 * kept until the end (rc->kept), and read by every thread.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "fmt.h"
#include "geo.h"
#include "hmap.h"
#include "image.h"
#include "load.h"
#include "md.h"
#include "model.h"
#include "mustache.h"
#include "render.h"
#include "search.h"
#include "sitemap.h"
#include "utf8.h"
#include "tv.h"
#include "util.h"
#include "write.h"

struct anchor_ref {
	struct page	*target;
	int		 lang;
	char		*anchor;
	char		*path;
	int		 line, col;
};

/* Values made once and read by every page, each kind in an arena of its
 * own, detached (rc->kept) and freed whole by S_finish(). */
enum kept {
	KEPT_I18N,		/* the UI strings (S_load_i18n) */
	KEPT_SHARED,		/* what pages share (S_make_once) */
	KEPT_PREFS		/* + lang: a language's list items, when a
				 * print edition made whole needs them */
};

struct rctx {
	struct site		*s;
	struct writer		*w;
	struct mus_env		*env;
	struct tv		*t[MAXLANG];
	struct ynode		*i18n[MAXLANG];
	/* while rendering one page */
	struct page		*page;
	int			 lang;
	const char		*root;
	int			 print;		/* the print edition: links are #anchors */
	/* the page's article comes next on this thread: its body is
	 * rendered with the web page's, from one parse (S_body), and kept
	 * in twin_out until the article takes it */
	int			 twin, twin_lang;
	const struct page	*twin_p;	/* twin_out's page, or NULL */
	struct md_out		 twin_out;
	int			 only;		/* render_pages(): some pages, no more */
	/* heading ids per page and language, for anchor checks */
	char			***ids;
	size_t			 *nids;
	struct anchor_ref	 *arefs;
	size_t			  narefs;
	/* made once, shared by every page and thread (S_make_shared), in
	 * the arenas of kept[] (enum kept) */
	void			 *kept[KEPT_PREFS + MAXLANG];
	struct tv		 *shared[MAXLANG];
	struct tv		**nav[MAXLANG];
	struct tv		**cref[MAXLANG];	/* clusters, then challenges */
	struct tv		**pref;		/* page refs, by index * MAXLANG + lang */
	char			**purl;		/* page paths, like pref */
	char			**panchor;	/* print anchors, by index */
	struct render_stats	 *st;
	int			  failed;
	/* the PDF editions found in the output directory: name, page count
	 * (0 when it cannot be read), or NULL */
	char			 *pdf[MAXLANG];
	long			  pdf_pages[MAXLANG];
	/* every HTML document, as its path in each language, for the sitemap */
	char			**groups;
	size_t			  ngroups;
	/* the search index (layouts/search.mustache), made a shard at a
	 * time as the pages are rendered (S_search_page) */
	int			  search;
	char			**stext;	/* by slot: the body's text, until
						 * its shard is indexed */
	size_t			 *spos;		/* by slot: the place in sdocs */
	struct search_index	 *sidx[MAXLANG];
	struct page		**sdocs[MAXLANG];	/* in the language's order */
	size_t			  nsdocs[MAXLANG];
	unsigned		 *sleft[MAXLANG];	/* by shard: pages to render */
	unsigned char		 *sdone[MAXLANG];	/* by shard: indexed */
	/* a rendering thread's: the slots of the texts it made, in order;
	 * it frees them once their shards are indexed (before sfreed:
	 * freed), so that no thread frees into another's heap */
	size_t			 *sown;
	size_t			  nsown, sfreed;
	struct section		**ssec[MAXLANG];	/* the language's order */
	size_t			  nssec[MAXLANG];
	/* the print edition of each language, streamed while the pages
	 * render (layouts/print/page.mustache), or NULL */
	struct print_ed		 *ped[MAXLANG];
	/* while a streamed edition's skeleton is made: its list items, by
	 * page index (S_print_item), in place of rc->pref */
	struct tv		**pitem;
};

/*
 * The print edition in pieces. print.mustache is rendered first with each
 * section's pages as list items (S_print_entry); every {{> print/page}} it
 * meets leaves a cut in that text and records the page and the context
 * stack around it. The pages' threads render the cut-out articles (the
 * page in full, through print/page, on that stack) as they render the web
 * pages, in the edition's order, and whichever thread completes the next
 * article writes it and the text up to the following cut to the file.
 */
struct print_art {
	struct page	*p;
	struct tv	**stk;		/* the context stack at the cut */
	size_t		  nstk;
	char		 *indent;	/* the partial's indentation */
	size_t		  indlen;
	size_t		  off;		/* the cut, in the skeleton's text */
	struct buf	  out;		/* rendered, waiting for its turn */
	int		  done;
};

struct print_ent {			/* a list item of the skeleton */
	struct tv	*o;
	struct page	*p;
};

struct print_ed {
	struct tv	 *ctx;		/* the skeleton's context */
	struct buf	  skel;		/* its text, the articles cut out */
	struct print_art *art;		/* in the edition's order */
	size_t		  nart;
	struct print_ent *ent;		/* sorted by o once complete */
	size_t		  nent;
	struct wfile	 *f;
	pthread_mutex_t	  lock;
	size_t		  next;		/* the first article not written */
	char		 *urls[MAXLANG];
	void		 *chunks;	/* the arena ctx and items live in */
	struct tv	**items;	/* by page index (S_print_item) */
};

static void	S_print_article(struct rctx *, int, size_t);
static struct tv	*S_print_item(struct rctx *, const struct page *, int);

static const char *const S_reserved[] = {
	"clusters", "networks", "partners", "print", "assets", "static",
	"about-data", "search"
};

/*---- The PDF editions ------------------------------------------------------*/

/*
 * The page count of a PDF: the /Count of its page tree's root, the /Pages
 * object without a /Parent. Reads plain object syntax (WeasyPrint writes
 * it so); a file that keeps its objects compressed gives 0, unknown.
 */
static long
S_pdf_pages(const char *path)
{
	FILE		*f = fopen(path, "rb");
	struct buf	 b = BUF_INIT;
	char		 chunk[65536];
	size_t		 n;
	const char	*p, *end, *eob, *obj, *c;
	long		 count = 0;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	if (b.data == NULL)
		return 0;
	eob = b.data + b.len;
	for (p = b.data; p != NULL && (p = mem_find(p, (size_t)(eob - p),
	    "/Type /Pages", 12)) != NULL; p += 12) {
		if (p[12] >= 'a' && p[12] <= 'z')	/* /Type /PagesX */
			continue;
		/* its object: from the "N 0 obj" before it to endobj */
		for (obj = p; obj - b.data >= 3 && memcmp(obj - 3, "obj", 3) != 0;
		    obj--)
			;
		if ((end = mem_find(p, (size_t)(eob - p), "endobj", 6)) == NULL)
			break;
		if (mem_find(obj, (size_t)(end - obj), "/Parent", 7) != NULL)
			continue;
		if ((c = mem_find(obj, (size_t)(end - obj), "/Count ", 7)) != NULL) {
			count = strtol(c + 7, NULL, 10);
			break;
		}
	}
	buf_free(&b);
	return count > 0 ? count : 0;
}

/* pattern with every "LANG" replaced by lang, in a new string */
static char *
S_subst_lang(const char *pattern, const char *lang)
{
	struct buf	 b = BUF_INIT;
	const char	*p, *q;

	for (p = pattern; (q = strstr(p, "LANG")) != NULL; p = q + 4) {
		buf_put(&b, p, (size_t)(q - p));
		buf_puts(&b, lang);
	}
	buf_puts(&b, p);
	return buf_detach(&b);
}

/* Looks for the PDF editions in the output directory (make pdf puts them
 * there), keeps them, and notes their page counts for every page's footer. */
static void
S_find_pdfs(struct rctx *rc)
{
	struct site	*s = rc->s;
	char		*name, *path;
	size_t		 i;

	if (s->pdf == NULL)
		return;
	for (i = 0; i < s->nlangs; i++) {
		name = S_subst_lang(s->pdf, s->langs[i]);
		writer_keep(rc->w, name);
		path = xasprintf("%s/%s", writer_dir(rc->w), name);
		if ((rc->pdf_pages[i] = S_pdf_pages(path)) >= 0)
			rc->pdf[i] = name;
		else
			free(name);
		free(path);
	}
}

/*---- i18n -----------------------------------------------------------------*/

static struct tv *
S_yaml_tv(const struct ynode *n)
{
	struct tv	*o;
	size_t		 i;

	switch (n->type) {
	case Y_SCALAR:
		return tv_str(n->str);
	case Y_SEQ:
		o = tv_arr();
		for (i = 0; i < n->n; i++)
			tv_push(o, S_yaml_tv(n->items[i]));
		return o;
	default:
		o = tv_obj();
		for (i = 0; i < n->n; i++)
			tv_set(o, n->keys[i]->str,
			    S_yaml_tv(n->items[i]));
		return o;
	}
}

static int
S_load_i18n(struct rctx *rc)
{
	struct site	*s = rc->s;
	char		*file, *shown;
	size_t		 i;
	int		 ok = 1;

	arena_begin();
	for (i = 0; i < s->nlangs; i++) {
		file = xasprintf("%s/layouts/i18n/%s.yaml", s->dir, s->langs[i]);
		shown = xasprintf("layouts/i18n/%s.yaml", s->langs[i]);
		if (access(file, F_OK) != 0) {
			diag_error(shown, 0, 0, "missing: the UI strings of '%s'",
			    s->langs[i]);
			ok = 0;
		} else if ((rc->i18n[i] = load_yaml(file, shown)) == NULL) {
			ok = 0;
		} else if (rc->i18n[i]->type != Y_MAP) {
			diag_error(shown, rc->i18n[i]->line, rc->i18n[i]->col,
			    "UI strings are a mapping of keys to text");
			ok = 0;
		} else
			rc->t[i] = S_yaml_tv(rc->i18n[i]);
		if (rc->t[i] == NULL)
			rc->t[i] = tv_obj();
		free(file);
		free(shown);
	}
	rc->kept[KEPT_I18N] = arena_detach();
	return ok;
}

/*
 * Reports keys of a (prefix path) that b lacks; langs name the files.
 * Returns the number missing. With out set, appends the dotted names.
 */
static int
S_i18n_diff(const struct ynode *a, const struct ynode *b, const char *prefix,
    const char *la, const char *lb, int report, struct buf *out)
{
	struct ynode	*v;
	size_t		 i;
	int		 missing = 0;
	char		*name;

	if (a == NULL || a->type != Y_MAP)
		return 0;
	for (i = 0; i < a->n; i++) {
		name = *prefix ? xasprintf("%s.%s", prefix, a->keys[i]->str) :
		    xstrdup(a->keys[i]->str);
		v = b != NULL ? ymap_get(b, a->keys[i]->str) : NULL;
		if (v == NULL) {
			missing++;
			if (report)
				diag_error(la, a->keys[i]->line, a->keys[i]->col,
				    "UI string '%s' is missing from %s", name, lb);
			if (out != NULL)
				buf_printf(out, "%s%s", out->len ? ", " : "", name);
		} else if (a->items[i]->type == Y_MAP)
			missing += S_i18n_diff(a->items[i], v, name, la, lb, report,
			    out);
		free(name);
	}
	return missing;
}

static void
S_check_i18n(struct rctx *rc)
{
	struct site	*s = rc->s;
	size_t		 i, k;
	char		*la, *lb;

	for (i = 0; i < s->nlangs; i++)
		for (k = 0; k < s->nlangs; k++) {
			if (i == k || rc->i18n[i] == NULL || rc->i18n[k] == NULL)
				continue;
			la = xasprintf("layouts/i18n/%s.yaml", s->langs[i]);
			lb = xasprintf("layouts/i18n/%s.yaml", s->langs[k]);
			S_i18n_diff(rc->i18n[i], rc->i18n[k], "", la, lb, 1, NULL);
			free(la);
			free(lb);
		}
}

/* A UI string as a C string ("" when missing: the check reports it). */
static const char *
S_t(struct rctx *rc, int lang, const char *key, const char *sub)
{
	struct tv	*v = tv_get(rc->t[lang], key);

	if (sub != NULL)
		v = tv_get(v, sub);
	if (tv_str_value(v) == NULL) {
		diag_error("layouts/i18n", 0, 0,
		    "UI string '%s%s%s' is missing from layouts/i18n/%s.yaml", key,
		    sub ? "." : "", sub ? sub : "", rc->s->langs[lang]);
		rc->failed = 1;
		return "";
	}
	return tv_str_value(v);
}

/* Appends pattern with its "{n}" (the first) replaced by n. */
static void
S_fill_n(struct buf *b, const char *pat, long long n)
{
	const char	*q = strstr(pat, "{n}");

	if (q == NULL) {
		buf_puts(b, pat);
		return;
	}
	buf_put(b, pat, (size_t)(q - pat));
	buf_printf(b, "%lld", n);
	buf_puts(b, q + 3);
}

/*---- Templates ------------------------------------------------------------*/

static int
S_loader(void *ud, const char *name, char **src, size_t *len)
{
	struct rctx	*rc = ud;
	char		*file, *shown;

	if (strstr(name, "..") != NULL || name[0] == '/' || name[0] == '\0')
		return 0;
	file = xasprintf("%s/layouts/%s.mustache", rc->s->dir, name);
	shown = xasprintf("layouts/%s.mustache", name);
	if (access(file, F_OK) != 0) {
		free(file);
		free(shown);
		return 0;
	}
	*src = load_text(file, shown, NULL, len);
	free(file);
	free(shown);
	if (*src == NULL) {
		rc->failed = 1;
		return 0;
	}
	return 1;
}

static int
S_missing(void *ud, const char *tmpl, const char *var, int line, int col,
    struct mus_error *err)
{
	struct rctx	*rc = ud;

	if (strncmp(var, "t.", 2) != 0)
		return 0;
	snprintf(err->msg, sizeof(err->msg),
	    "UI string '%s' is missing from layouts/i18n/%s.yaml", var + 2,
	    rc->s->langs[rc->lang]);
	return -1;
}

static void
S_report_mus(const struct mus_error *err)
{
	char	*shown = xasprintf("layouts/%s.mustache", err->name);

	diag_error(shown, err->line, err->col, "%s", err->msg);
	free(shown);
}

/* Does the project have layouts/NAME.mustache? (Optional pages.) */
static int
S_has_layout(const struct rctx *rc, const char *name)
{
	char	*file = xasprintf("%s/layouts/%s.mustache", rc->s->dir, name);
	int	 ok = access(file, F_OK) == 0;

	free(file);
	return ok;
}

/* The layout (or partial) called name, or NULL after saying why. */
static struct mus_tmpl *
S_layout(struct rctx *rc, const char *name)
{
	struct mus_error	 err;
	struct mus_tmpl		*t;

	memset(&err, 0, sizeof(err));
	if ((t = mus_env_get(rc->env, name, &err)) != NULL)
		return t;
	if (err.msg[0])
		S_report_mus(&err);
	else if (!S_has_layout(rc, name))
		diag_error("layouts", 0, 0, "missing layout layouts/%s.mustache",
		    name);
	/* else: it is there but did not load, and said why */
	rc->failed = 1;
	return NULL;
}

/* A page being written as it renders (S_emit), once it is large. */
struct emit {
	struct rctx	*rc;
	const char	*rel;
	struct wfile	*f;		/* NULL until the first flush */
	int		 failed;	/* the file could not be opened */
};

static void
S_emit_flush(void *ud, const char *data, size_t len)
{
	struct emit	*e = ud;

	if (e->f == NULL && !e->failed &&
	    (e->f = writer_open(e->rc->w, e->rel)) == NULL) {
		e->rc->failed = e->failed = 1;	/* said why */
		return;
	}
	if (e->f != NULL)
		wfile_put(e->f, data, len);
}

/* Renders layout name with ctx into the file rel. */
static void
S_emit(struct rctx *rc, const char *rel, const char *name, struct tv *ctx)
{
	struct mus_error	 err;
	struct mus_tmpl		*t;
	struct buf		 out = BUF_INIT;
	struct emit		 e = { rc, rel, NULL, 0 };
	int			 r;

	if ((t = S_layout(rc, name)) == NULL)
		return;		/* said why */
	memset(&err, 0, sizeof(err));
	/* room for a usual page at once, not a dozen doublings of it */
	buf_grow(&out, 64 * 1024);
	if ((r = mus_render_flush(rc->env, t, ctx, &out, S_emit_flush, &e,
	    &err)) == -1) {
		S_report_mus(&err);
		rc->failed = 1;
	}
	if (e.f != NULL) {
		/* a large page (a list of thousands) went to its file as it
		 * was rendered; a failed one is not committed */
		wfile_put(e.f, out.data ? out.data : "", out.len);
		if (writer_close(e.f) == -1)
			rc->failed = 1;
	} else if (r == 0 && !e.failed && writer_put(rc->w, rel,
	    out.data ? out.data : "", out.len) == -1)
		rc->failed = 1;
	if (r == 0) {
		rc->st->files++;
		if (rc->lang >= 0 && strstr(rel, ".html") != NULL)
			rc->st->pages[rc->lang]++;
	}
	buf_free(&out);
}

/*---- URLs -------------------------------------------------------------------*/

static char *
S_page_url(const struct page *p, const struct site *s, int lang)
{
	return xjoin(s->langs[lang], "/", p->sec->id, "/", p->slug,
	    "/index.html", (char *)NULL);
}

/* The id of a page inside the print edition: p-SECTION-SLUG. */
static char *
S_anchor(const struct page *p)
{
	return xjoin("p-", p->sec->id, "-", p->slug, (char *)NULL);
}

/* Every page's path in each language and its print anchor, made once. */
static void
S_make_urls(struct rctx *rc)
{
	struct site	*s = rc->s;
	struct page	*p;
	size_t		 i, lang;

	rc->purl = xcalloc(s->pages.n * MAXLANG + 1, sizeof(*rc->purl));
	rc->panchor = xcalloc(s->pages.n + 1, sizeof(*rc->panchor));
	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		for (lang = 0; lang < s->nlangs; lang++)
			if (p->tr[lang] != NULL)
				rc->purl[i * MAXLANG + lang] = S_page_url(p, s,
				    (int)lang);
		rc->panchor[i] = S_anchor(p);
	}
}

static void
S_free_urls_cache(struct rctx *rc)
{
	size_t	 i;

	for (i = 0; rc->purl != NULL && i < rc->s->pages.n * MAXLANG; i++)
		free(rc->purl[i]);
	for (i = 0; rc->panchor != NULL && i < rc->s->pages.n; i++)
		free(rc->panchor[i]);
	free(rc->purl);
	free(rc->panchor);
}

/* The page's path in lang (it must have that translation), made once. */
static const char *
S_url(const struct rctx *rc, const struct page *p, int lang)
{
	return rc->purl[p->index * MAXLANG + (size_t)lang];
}

static const char *
S_anchor_of(const struct rctx *rc, const struct page *p)
{
	return rc->panchor[p->index];
}

/* The length of rel less a final "index.html": what is published. */
static size_t
S_published_len(const char *rel)
{
	size_t	 n = strlen(rel);

	return n >= 10 && strcmp(rel + n - 10, "index.html") == 0 ? n - 10 : n;
}

/* The published address of rel: base_url + rel less "index.html". */
static struct tv *
S_abs(const struct site *s, const char *rel)
{
	size_t		 n = S_published_len(rel), b;
	char		 tmp[512], *u;
	struct tv	*j;

	if (s->base_url == NULL)
		return tv_null();
	b = strlen(s->base_url);
	u = b + n <= sizeof(tmp) ? tmp : xmalloc(b + n);
	memcpy(u, s->base_url, b);
	memcpy(u + b, rel, n);
	j = tv_strn(u, b + n);
	if (u != tmp)
		free(u);
	return j;
}

/* The sitemap's way of writing a file. */
static int
S_put_file(void *ud, const char *rel, const char *data, size_t len)
{
	struct rctx	*rc = ud;

	return writer_put(rc->w, rel, data, len);
}

/* S_abs(s, rel), escaped for XML, appended to b (base_url is set). */
static void
S_put_abs(struct buf *b, const struct site *s, const char *rel)
{
	buf_put_html(b, s->base_url, strlen(s->base_url));
	buf_put_html(b, rel, S_published_len(rel));
}

/* "../" once per directory level of rel. */
static char *
S_root_for(const char *rel)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	for (p = rel; (p = strchr(p, '/')) != NULL; p++)
		buf_puts(&b, "../");
	return buf_detach(&b);
}

/*
 * Sets k to the string v, if any. These setters are inlined, so that the
 * length and hash of a literal key are worked out when compiling.
 */
static inline __attribute__((always_inline)) void
S_set_str(struct tv *o, const char *k, const char *v)
{
	if (v != NULL)
		tv_set(o, k, tv_str(v));
}

/*
 * Sets k to v, or to null: an item of a list states every key it may
 * have, so that a missing value does not fall through the Mustache
 * context stack to the page's own value of the same name.
 */
static inline __attribute__((always_inline)) void
S_set_opt(struct tv *o, const char *k, const char *v)
{
	tv_set(o, k, v != NULL ? tv_str(v) : tv_null());
}

static inline __attribute__((always_inline)) void
S_set_buf(struct tv *o, const char *k, struct buf *b)
{
	tv_set(o, k, tv_strn(b->data ? b->data : "", b->len));
	buf_reset(b);
}

/*---- Contexts -----------------------------------------------------------------*/

static const char *
S_lang_tag(const char *lang)
{
	return fmt_is_zh(lang) ? "zh-Hans" : lang;
}

/*
 * The context every page shares. rel is the output path; urls[lang] the
 * page's path in each language (NULL where it has no translation).
 */
static struct tv *
S_common(struct rctx *rc, int lang, const char *rel, char *const *urls,
    const char *title, const char *description)
{
	struct site	*s = rc->s;
	struct tv	*c = tv_obj(), *a, *o;
	char		*root = S_root_for(rel), *u;
	size_t		 i;
	struct section	**sec;

	rc->lang = lang;
	tv_update(c, rc->shared[lang]);
	S_set_str(c, "root", root);
	S_set_str(c, "path", rel);
	S_set_str(c, "title", title);
	S_set_str(c, "description", description);
	tv_set(c, "canonical", S_abs(s, rel));
	/* translations of this page, for the switcher and hreflang */
	a = tv_arr();
	for (i = 0; i < s->nlangs; i++) {
		if (urls[i] == NULL)
			continue;
		o = tv_obj();
		S_set_str(o, "lang", s->langs[i]);
		S_set_str(o, "lang_tag", S_lang_tag(s->langs[i]));
		S_set_str(o, "name", S_t(rc, (int)i, "language_name", NULL));
		S_set_str(o, "url", urls[i]);
		tv_set(o, "abs", S_abs(s, urls[i]));
		tv_set(o, "current", tv_bool(i == (size_t)lang));
		tv_push(a, o);
		if ((int)i == s->deflang)
			tv_set(c, "x_default", S_abs(s, urls[i]));
	}
	tv_set(c, "translations", a);
	a = tv_arr();
	for (i = 0; i < s->nlangs; i++) {
		if (i == (size_t)lang)
			continue;
		o = tv_obj();
		S_set_str(o, "lang", s->langs[i]);
		S_set_str(o, "lang_tag", S_lang_tag(s->langs[i]));
		S_set_str(o, "name", S_t(rc, (int)i, "language_name", NULL));
		if (urls[i] != NULL) {
			S_set_str(o, "url", urls[i]);
		} else {
			u = xasprintf("%s/index.html", s->langs[i]);
			S_set_str(o, "url", u);
			free(u);
		}
		tv_set(o, "exists", tv_bool(urls[i] != NULL));
		tv_push(a, o);
	}
	tv_set(c, "other_languages", a);
	/* navigation: the section this page is in is current */
	for (i = 0, sec = s->order[lang]; sec && *sec; sec++, i++) {
		size_t	 l = strlen(s->langs[lang]), m = strlen((*sec)->id);

		if (strncmp(rel, s->langs[lang], l) == 0 && rel[l] == '/' &&
		    strncmp(rel + l + 1, (*sec)->id, m) == 0 && rel[l + 1 + m] == '/')
			break;
	}
	tv_set(c, "nav", rc->nav[lang][i]);
	free(root);
	return c;
}

/*
 * What every page of a language shares, made once: lang, lang_tag, zh, t,
 * site, home_url, clusters_url, partners_url, and the navigation once per
 * current section (nav[lang][k], k = the section's place in the order;
 * the last one has none current). The templates only read them, so the
 * threads share them.
 */
static void
S_make_shared(struct rctx *rc)
{
	struct site	 *s = rc->s;
	static const struct { const char *key, *path; } own[] = {
		{ "home_url", "index.html" },
		{ "clusters_url", "clusters/index.html" },
		{ "partners_url", "partners/index.html" },
		{ "about_data_url", "about-data/index.html" },
		{ "print_url", "print/index.html" },
	};
	struct section	**sec;
	struct tv	 *c, *site, *a, *o;
	size_t		  lang, n, k, i;
	char		 *u;

	for (lang = 0; lang < s->nlangs; lang++) {
		c = rc->shared[lang] = tv_obj();
		S_set_str(c, "lang", s->langs[lang]);
		S_set_str(c, "lang_tag", S_lang_tag(s->langs[lang]));
		tv_set(c, "zh", tv_bool(fmt_is_zh(s->langs[lang])));
		tv_set(c, "t", rc->t[lang]);
		site = tv_obj();
		S_set_str(site, "title", label_get(s, &s->title, (int)lang));
		S_set_str(site, "programme", label_get(s, &s->programme, (int)lang));
		tv_set(c, "site", site);
		/* the site's own pages, in this language */
		for (k = 0; k < sizeof(own) / sizeof(*own); k++) {
			u = xasprintf("%s/%s", s->langs[lang], own[k].path);
			S_set_str(c, own[k].key, u);
			free(u);
		}
		if (rc->search) {
			u = xasprintf("%s/search/index.html", s->langs[lang]);
			S_set_str(c, "search_url", u);
			free(u);
		}
		/* the PDF edition, when make pdf has made it */
		if (rc->pdf[lang] != NULL) {
			struct buf	 b = BUF_INIT;

			o = tv_obj();
			S_set_str(o, "url", rc->pdf[lang]);
			if (rc->pdf_pages[lang] > 0) {
				S_fill_n(&b, S_t(rc, (int)lang, "pdf_pages", NULL),
				    rc->pdf_pages[lang]);
				S_set_buf(o, "pages_text", &b);
			}
			buf_free(&b);
			tv_set(c, "pdf", o);
		}
		for (n = 0, sec = s->order[lang]; sec && *sec; sec++)
			n++;
		rc->nav[lang] = xcalloc(n + 2, sizeof(*rc->nav[lang]));
		for (k = 0; k <= n; k++) {
			a = rc->nav[lang][k] = tv_arr();
			for (i = 0, sec = s->order[lang]; sec && *sec; sec++, i++) {
				o = tv_obj();
				S_set_str(o, "id", (*sec)->id);
				S_set_str(o, "name", label_get(s, &(*sec)->name,
				    (int)lang));
				u = xasprintf("%s/%s/index.html", s->langs[lang],
				    (*sec)->id);
				S_set_str(o, "url", u);
				free(u);
				tv_set(o, "current", tv_bool(i == k));
				tv_push(a, o);
			}
		}
	}
}

/*
 * n with its unit in lang: t.units.UNIT ("{n} pilots", "{n}个案例地区"), or
 * t.units.UNIT_one when n is 1.
 */
static struct tv *
S_count_text(struct rctx *rc, int lang, const char *unit, size_t n)
{
	struct buf	 b = BUF_INIT;
	char		 key[64];
	struct tv	*v;

	snprintf(key, sizeof(key), "%s%s", unit, n == 1 ? "_one" : "");
	S_fill_n(&b, S_t(rc, lang, "units", key), (long long)n);
	v = tv_strn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return v;
}

static struct tv *
S_cluster_ref(struct rctx *rc, const struct cluster *c, int lang)
{
	struct tv	*o = tv_obj(), *n;
	char		*u;
	size_t		 i, k;

	S_set_str(o, "id", c->id);
	S_set_str(o, "name", label_get(rc->s, &c->name, lang));
	u = xasprintf("%s/clusters/%s/index.html", rc->s->langs[lang], c->id);
	S_set_str(o, "url", u);
	free(u);
	u = xasprintf("c-%s", c->id);
	S_set_str(o, "anchor", u);
	free(u);
	tv_set(o, "count", tv_int((long long)c->members.n));
	for (i = k = 0; i < c->members.n; i++)
		if (c->members.v[i]->kind == PK_PROFILE)
			k++;
	tv_set(o, "pilots", tv_int((long long)k));
	tv_set(o, "pilots_text", S_count_text(rc, lang, "profile", k));
	if (c->net != NULL) {
		n = tv_obj();
		S_set_str(n, "id", c->net->id);
		S_set_str(n, "name", label_get(rc->s, &c->net->name, lang));
		u = xasprintf("%s/networks/%s/index.html", rc->s->langs[lang],
		    c->net->id);
		S_set_str(n, "url", u);
		free(u);
		tv_set(o, "network", n);
	}
	return o;
}

/* The cached reference of c (made by S_make_crefs), not to be changed. */
static struct tv *
S_cref(struct rctx *rc, const struct cluster *c, int lang)
{
	size_t	 i;

	for (i = 0; i < rc->s->nclusters; i++)
		if (rc->s->clusters[i] == c)
			return rc->cref[lang][i];
	for (i = 0; i < rc->s->nchallenges; i++)
		if (rc->s->challenges[i] == c)
			return rc->cref[lang][rc->s->nclusters + i];
	return NULL;
}

static void
S_make_crefs(struct rctx *rc)
{
	struct site	*s = rc->s;
	size_t		 lang, i;

	for (lang = 0; lang < s->nlangs; lang++) {
		rc->cref[lang] = xcalloc(s->nclusters + s->nchallenges + 1,
		    sizeof(*rc->cref[lang]));
		for (i = 0; i < s->nclusters; i++)
			rc->cref[lang][i] = S_cluster_ref(rc, s->clusters[i],
			    (int)lang);
		for (i = 0; i < s->nchallenges; i++)
			rc->cref[lang][s->nclusters + i] = S_cluster_ref(rc,
			    s->challenges[i], (int)lang);
	}
}

/*
 * What every page reads and none changes, made before the threads start:
 * the shared context and the clusters' references, in an arena of their
 * own, freed whole by S_finish().
 */
static void
S_make_once(struct rctx *rc)
{
	arena_begin();
	S_make_shared(rc);
	S_make_crefs(rc);
	rc->kept[KEPT_SHARED] = arena_detach();
}

static struct tv *
S_clusters(struct rctx *rc, struct cluster **v, size_t n, int lang)
{
	struct tv	*a = tv_arr();
	size_t		 i;

	for (i = 0; i < n; i++)
		tv_push(a, S_cref(rc, v[i], lang));
	return a;
}

static const char *
S_country_name(struct rctx *rc, const char *code, int lang)
{
	const struct country *c;

	if (code == NULL || (c = site_find_country(rc->s, code)) == NULL)
		return NULL;
	return label_get(rc->s, &c->name, lang);
}

static struct tv *
S_entity_ref(struct rctx *rc, const struct entity *e, int lang)
{
	struct tv	*o = tv_obj_n(9);	/* its keys, below */

	S_set_str(o, "id", e->id);
	S_set_str(o, "name", label_get(rc->s, &e->name, lang));
	S_set_opt(o, "country", S_country_name(rc, e->country, lang));
	if (e->page != NULL && e->page->tr[lang] != NULL) {
		S_set_str(o, "url", S_url(rc, e->page, lang));
		S_set_str(o, "anchor", S_anchor_of(rc, e->page));
	} else {
		tv_set(o, "url", tv_null());
		tv_set(o, "anchor", tv_null());
	}
	S_set_opt(o, "kind_label", NULL);
	S_set_opt(o, "note", NULL);
	tv_set(o, "since", tv_null());
	tv_set(o, "external", tv_bool(e->page == NULL));
	return o;
}

static struct tv *
S_entities(struct rctx *rc, struct entity **v, size_t n, int lang)
{
	struct tv	*a = tv_arr();
	size_t		 i;

	for (i = 0; i < n; i++)
		tv_push(a, S_entity_ref(rc, v[i], lang));
	return a;
}

#define S_ITEM_KEYS	9	/* the keys S_item_keys() sets */

/*
 * The keys every list item has, null until S_item_facts fills them: a
 * profile's names and country, an event's dates.
 */
static void
S_item_keys(struct rctx *rc, const struct page *p, int lang, struct tv *o)
{
	S_set_str(o, "id", p->id);
	S_set_str(o, "title", p->tr[lang]->title);
	S_set_opt(o, "name", p->kind == PK_PROFILE ?
	    label_get(rc->s, &p->name, lang) : NULL);
	S_set_opt(o, "other_name", NULL);
	S_set_opt(o, "other_lang_tag", NULL);
	S_set_opt(o, "country", NULL);
	S_set_opt(o, "date", NULL);
	S_set_opt(o, "date_text", NULL);
	S_set_str(o, "kind", pkind_name(p->kind));
}

static void
S_item_facts(struct rctx *rc, const struct page *p, int lang, struct tv *o)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	if (p->kind == PK_PROFILE) {
		for (i = 0; i < rc->s->nlangs; i++)
			if ((int)i != lang && p->name.v[i] != NULL) {
				S_set_opt(o, "other_name", p->name.v[i]);
				S_set_str(o, "other_lang_tag",
				    S_lang_tag(rc->s->langs[i]));
				break;
			}
		S_set_opt(o, "country", S_country_name(rc, p->country, lang));
	}
	if (p->date != NULL) {
		S_set_str(o, "date", p->date);
		fmt_date_range(&b, rc->s->langs[lang], p->date, p->end_date);
		S_set_buf(o, "date_text", &b);
	}
	buf_free(&b);
}

/* A page as an item of a list: title, link, the facts a list shows. */
static struct tv *
S_page_ref(struct rctx *rc, const struct page *p, int lang)
{
	struct tv	*o = tv_obj_n(S_ITEM_KEYS + 6);

	S_item_keys(rc, p, lang, o);
	S_set_opt(o, "description", p->tr[lang]->description);
	S_set_str(o, "url", S_url(rc, p, lang));
	if (rc->s->nprint > 0)	/* only the print edition links to anchors */
		S_set_str(o, "anchor", S_anchor_of(rc, p));
	S_set_str(o, "section", p->sec->id);
	S_set_str(o, "section_name", label_get(rc->s, &p->sec->name, lang));
	tv_set(o, "clusters", S_clusters(rc, p->clusters, p->nclusters, lang));
	S_item_facts(rc, p, lang, o);
	return o;
}

/* Is sec in the NULL-terminated order? */
static int
S_in_order(struct section **order, const struct section *sec)
{
	for (; order && *order; order++)
		if (*order == sec)
			return 1;
	return 0;
}

/*
 * Every section in lang's order, then those the order leaves out (the
 * pages), in a new NULL-terminated array; *n gets their number.
 */
static struct section **
S_lang_sections(const struct site *s, int lang, size_t *n)
{
	struct section	**v = xcalloc(s->nsections + 1, sizeof(*v)), **sec;
	size_t		  i;

	*n = 0;
	for (sec = s->order[lang]; sec && *sec; sec++)
		v[(*n)++] = *sec;
	for (i = 0; i < s->nsections; i++)
		if (!S_in_order(s->order[lang], s->sections[i]))
			v[(*n)++] = s->sections[i];
	return v;
}

/*
 * A page's photos as its layout shows them: src (the variant nearest 960
 * pixels wide), srcset of every variant, width and height of src (so the
 * page does not jump as it loads), alt and caption in lang, credit, and
 * print_src, the widest variant.
 */
static struct tv *
S_photos(struct rctx *rc, const struct page *p, int lang)
{
	struct tv	*a = tv_arr(), *o;
	struct buf	 b = BUF_INIT;
	const struct photo *ph;
	char		*root, *u;
	size_t		 i, k, pick;
	int		 w;

	if (p->nphotos == 0)
		return a;
	root = S_root_for(rc->print ? "x/print/index.html" : S_url(rc, p, lang));
	for (i = 0; i < p->nphotos; i++) {
		ph = &p->photos[i];
		if (!ph->ok || ph->nwidths == 0)
			continue;
		o = tv_obj();
		for (pick = 0; pick + 1 < ph->nwidths && ph->widths[pick] < 960;
		    pick++)
			;
		w = ph->widths[pick];
		u = image_variant(ph->file, w, ph->ext);
		buf_printf(&b, "%s%s", root, u);
		free(u);
		S_set_buf(o, "src", &b);
		for (k = 0; k < ph->nwidths; k++) {
			u = image_variant(ph->file, ph->widths[k], ph->ext);
			buf_printf(&b, "%s%s%s %dw", k ? ", " : "", root, u,
			    ph->widths[k]);
			free(u);
		}
		S_set_buf(o, "srcset", &b);
		u = image_variant(ph->file, ph->widths[ph->nwidths - 1], ph->ext);
		buf_printf(&b, "%s%s", root, u);
		free(u);
		S_set_buf(o, "print_src", &b);
		tv_set(o, "width", tv_int(w));
		tv_set(o, "height", tv_int((long long)((double)ph->height *
		    w / ph->width + 0.5)));
		S_set_str(o, "alt", label_get(rc->s, &ph->alt, lang));
		S_set_opt(o, "caption", ph->caption.v[lang]);
		S_set_opt(o, "credit", ph->credit);
		tv_set(o, "has_caption", tv_bool(ph->caption.v[lang] != NULL ||
		    ph->credit != NULL));
		tv_push(a, o);
	}
	buf_free(&b);
	free(root);
	return a;
}

/*
 * Makes every page's list item in lang once: the list pages share them
 * (read only). rc->pref has a slot per page and language.
 */
static void
S_make_prefs(struct rctx *rc, int lang)
{
	struct site	*s = rc->s;
	size_t		 i;

	for (i = 0; i < s->pages.n; i++)
		if (s->pages.v[i]->tr[lang] != NULL &&
		    rc->pref[i * MAXLANG + (size_t)lang] == NULL)
			rc->pref[i * MAXLANG + (size_t)lang] = S_page_ref(rc,
			    s->pages.v[i], lang);
}

/* The pages of list l that exist in lang: the shared items once they are
 * made (the list pages), fresh ones before (the pages' own short lists). */
static struct tv *
S_page_list(struct rctx *rc, const struct plist *l, int lang, int kind)
{
	struct tv	 *a = tv_arr();
	struct section	**order = rc->s->order[lang], **sec;
	const struct section *want;
	size_t		  i, pass, npass = 1;

	/* a list across sections follows the language's section order (the
	 * Chinese edition puts China first), each section's pages in their
	 * own order; a section the order leaves out comes last */
	for (i = 1; i < l->n; i++)
		if (l->v[i]->sec != l->v[0]->sec) {
			for (sec = order; sec && *sec; sec++)
				npass++;
			break;
		}
	for (pass = 0; pass < npass; pass++) {
		want = npass > 1 && order[pass] != NULL ? order[pass] : NULL;
		for (i = 0; i < l->n; i++) {
			if (l->v[i]->tr[lang] == NULL ||
			    (kind >= 0 && l->v[i]->kind != (enum pkind)kind))
				continue;
			if (npass > 1 && (want != NULL ? l->v[i]->sec != want :
			    S_in_order(order, l->v[i]->sec)))
				continue;
			if (rc->pitem != NULL)
				tv_push(a, S_print_item(rc, l->v[i], lang));
			else if (rc->pref != NULL)
				tv_push(a, rc->pref[l->v[i]->index * MAXLANG +
				    (size_t)lang]);
			else
				tv_push(a, S_page_ref(rc, l->v[i], lang));
		}
	}
	return a;
}

/*---- Body links ---------------------------------------------------------------*/

static char *
S_resolve(void *ud, const char *target, const char *anchor, const char *path,
    int line, int col)
{
	struct rctx	*rc = ud;
	struct site	*s = rc->s;
	struct page	*p = NULL;
	struct section	*sec;
	const char	*slash = strchr(target, '/'), **cands, *sg, *url;
	char		*secid, *id, dym[160];
	size_t		 l = strlen(target), i;
	int		 lang = rc->lang;
	struct anchor_ref *a;

	if (slash != NULL && l > 3 && strcmp(target + l - 3, ".md") == 0 &&
	    strchr(slash + 1, '/') == NULL) {
		secid = xstrndup(target, (size_t)(slash - target));
		id = xstrndup(slash + 1, (size_t)(target + l - 3 - slash - 1));
		p = site_find_page(s, secid, id);
		if (p == NULL && (sec = site_find_section(s, secid)) != NULL) {
			cands = xcalloc(sec->pages.n + 1, sizeof(*cands));
			for (i = 0; i < sec->pages.n; i++)
				cands[i] = sec->pages.v[i]->id;
			if ((sg = suggest(id, cands, sec->pages.n)) != NULL)
				snprintf(dym, sizeof(dym), " (did you mean '@/%s/%s.md'?)",
				    secid, sg);
			else
				dym[0] = '\0';
			free(cands);
		} else
			dym[0] = '\0';
		free(secid);
		free(id);
	} else
		dym[0] = '\0';
	if (p == NULL) {
		diag_error(path, line, col, "link to a missing page '@/%s'%s",
		    target, dym);
		return NULL;
	}
	if (p->tr[lang] == NULL) {
		for (lang = 0; lang < (int)s->nlangs && p->tr[lang] == NULL; lang++)
			;
		diag_warn(path, line, col, "'@/%s' has no %s translation; the "
		    "link goes to the %s page", target, s->langs[rc->lang],
		    s->langs[lang]);
	}
	if (rc->print) {
		/* inside the print edition: the page's anchor, its headings
		 * prefixed with it */
		url = S_anchor_of(rc, p);
		if (anchor != NULL && *anchor != '\0')
			/* checked already when the page's web version rendered */
			return xasprintf("#%s--%s", url, anchor);
		return xasprintf("#%s", url);
	}
	url = S_url(rc, p, lang);
	if (anchor != NULL && *anchor != '\0') {
		rc->arefs = xgrow(rc->arefs, rc->narefs,
		    sizeof(*rc->arefs));
		a = &rc->arefs[rc->narefs++];
		a->target = p;
		a->lang = lang;
		a->anchor = xstrdup(anchor);
		a->path = xstrdup(path);
		a->line = line;
		a->col = col;
	}
	return xasprintf("%s%s%s%s", rc->root, url, anchor ? "#" : "",
	    anchor ? anchor : "");
}

static void
S_check_anchors(struct rctx *rc)
{
	struct anchor_ref	*a;
	struct hmap		**ids = NULL;
	size_t			 i, k, slot, nslots;

	/* a set of each linked page's heading ids, made when first needed:
	 * a page with N headings and N links to them costs N, not N² */
	nslots = (rc->s->pages.n + 1) * MAXLANG;
	if (rc->narefs > 0)
		ids = xcalloc(nslots, sizeof(*ids));
	for (i = 0; i < rc->narefs; i++) {
		a = &rc->arefs[i];
		slot = a->target->index * MAXLANG + (size_t)a->lang;
		if (ids[slot] == NULL) {
			ids[slot] = xcalloc(1, sizeof(**ids));
			for (k = 0; k < rc->nids[slot]; k++)
				hmap_put(ids[slot], rc->ids[slot][k], ids[slot]);
		}
		if (hmap_get(ids[slot], a->anchor) == NULL)
			diag_error(a->path, a->line, a->col,
			    "no heading '#%s' in %s", a->anchor,
			    a->target->tr[a->lang]->src->path);
		free(a->anchor);
		free(a->path);
	}
	for (i = 0; ids != NULL && i < nslots; i++)
		if (ids[i] != NULL) {
			hmap_free(ids[i]);
			free(ids[i]);
		}
	free(ids);
	free(rc->arefs);
	rc->arefs = NULL;
	rc->narefs = 0;
}

/* S_resolve() as the print edition has links: to #anchors. */
static char *
S_resolve_print(void *ud, const char *target, const char *anchor,
    const char *path, int line, int col)
{
	struct rctx	*rc = ud;
	char		*r;

	rc->print = 1;
	r = S_resolve(ud, target, anchor, path, line, col);
	rc->print = 0;
	return r;
}

/*
 * Renders the body of p in lang into out. A web page whose article comes
 * next on this thread (rc->twin) renders the article's body from the same
 * parse, into rc->twin_out.
 */
static void
S_md(struct rctx *rc, struct page *p, int lang, struct md_out *out)
{
	struct trans	*t = p->tr[lang];
	struct md_opts	 o, po;
	char		*prefix = NULL;

	memset(&o, 0, sizeof(o));
	o.path = t->src->path;
	o.line0 = t->src->body_line;
	o.unsafe = rc->s->unsafe_html;
	o.resolve = S_resolve;
	o.ud = rc;
	if (rc->print || rc->twin)
		prefix = xasprintf("%s--", S_anchor_of(rc, p));
	if (rc->print)
		o.id_prefix = prefix;
	o.text = !rc->print && rc->search && !rc->only;
	if (!rc->print && rc->twin) {
		po = o;
		po.id_prefix = prefix;
		po.resolve = S_resolve_print;
		po.text = 0;
		if (rc->twin_p != NULL)
			md_out_free(&rc->twin_out);
		md_render2(t->src->body, t->src->body_len, &o, out, &po,
		    &rc->twin_out);
		rc->twin_p = p;
		rc->twin_lang = lang;
	} else
		md_render(t->src->body, t->src->body_len, &o, out);
	free(prefix);
}

/* Renders the page's body: HTML into ctx.content, heading ids kept. */
static void
S_body(struct rctx *rc, struct page *p, int lang, struct tv *ctx)
{
	struct trans	*t = p->tr[lang];
	struct md_out	 out;
	size_t		 slot = p->index * MAXLANG + (size_t)lang;
	size_t		 minutes;

	if (rc->print && rc->twin_p == p && rc->twin_lang == lang) {
		/* rendered with the web page */
		out = rc->twin_out;
		memset(&rc->twin_out, 0, sizeof(rc->twin_out));
		rc->twin_p = NULL;
	} else
		S_md(rc, p, lang, &out);
	tv_set(ctx, "content", tv_strn(out.html.data ? out.html.data : "",
	    out.html.len));
	minutes = (out.words + (fmt_is_zh(rc->s->langs[lang]) ? 399 : 199)) /
	    (fmt_is_zh(rc->s->langs[lang]) ? 400 : 200);
	tv_set(ctx, "reading_minutes",
	    tv_int((long long)(minutes ? minutes : 1)));
	if (t->description == NULL && out.lead != NULL) {
		char *ex = utf8_excerpt(out.lead, strlen(out.lead), 160);

		tv_set(ctx, "description", tv_str(ex));
		free(ex);
	}
	if (!rc->print) {
		rc->ids[slot] = out.ids;
		rc->nids[slot] = out.nids;
		out.ids = NULL;
		out.nids = 0;
		if (rc->search) {
			rc->stext[slot] = out.text;
			out.text = NULL;
			rc->sown = xgrow(rc->sown, rc->nsown,
			    sizeof(*rc->sown));
			rc->sown[rc->nsown++] = slot;
		}
	}
	md_out_free(&out);
}

/*---- Pages -----------------------------------------------------------------------*/

/* Remembers a document's paths per language (copied) for the sitemap. */
static void
S_group(struct rctx *rc, char *const *urls)
{
	size_t	 i, base;

	base = rc->ngroups * MAXLANG;
	rc->groups = xgrow(rc->groups, rc->ngroups,
	    MAXLANG * sizeof(*rc->groups));
	for (i = 0; i < MAXLANG; i++)
		rc->groups[base + i] = i < rc->s->nlangs && urls[i] ?
		    xstrdup(urls[i]) : NULL;
	rc->ngroups++;
}

static void
S_free_urls(char **urls)
{
	size_t	 i;

	for (i = 0; i < MAXLANG; i++) {
		free(urls[i]);
		urls[i] = NULL;
	}
}

static struct tv *
S_edges(struct rctx *rc, const struct page *p, int lang)
{
	struct tv	*a = tv_arr(), *o;
	struct edge	*e;
	size_t		 i;

	for (i = 0; i < p->nedges; i++) {
		e = p->edges[i];
		o = S_entity_ref(rc, e->a == p->ent ? e->b : e->a, lang);
		S_set_str(o, "kind", e->kind);
		S_set_str(o, "kind_label", S_t(rc, lang, "partnership_kinds", e->kind));
		if (e->since)
			tv_set(o, "since", tv_int(e->since));
		S_set_opt(o, "note", e->note.v[lang]);
		tv_push(a, o);
	}
	return a;
}

/*---- Maps -----------------------------------------------------------------*/

struct map_ud {
	struct rctx	*rc;
	int		 lang;
};

/* A pilot's address for the programme map: its page, or in the print
 * edition its anchor (the map's root is then "#"). */
static const char *
S_map_url(void *ud, const struct page *p)
{
	struct map_ud	*m = ud;

	return m->rc->print ? S_anchor_of(m->rc, p) : S_url(m->rc, p, m->lang);
}

/* Sets programme_map (inline SVG) in c, when the project has maps. */
static void
S_programme_map(struct rctx *rc, int lang, struct tv *c, const char *root)
{
	struct map_ud	 ud = { rc, lang };
	struct buf	 b = BUF_INIT;

	if (rc->s->geo == NULL || !rc->s->geo->ok)
		return;
	geo_programme_map(rc->s->geo, rc->s, lang, root, S_map_url, &ud,
	    S_t(rc, lang, "programme_map", NULL), &b);
	S_set_buf(c, "programme_map", &b);
	buf_free(&b);
}

/*
 * A profile's locator map: the panel's picture (shared by every page), the
 * country shaded where the map has its outline (shared by its pilots),
 * and the pilot's dot placed over them in percent, so that it works from
 * disk and costs each page a few dozen bytes.
 */
static struct tv *
S_locator(struct rctx *rc, const struct page *p, int lang)
{
	const struct geo *g = rc->s->geo;
	const struct geo_panel *pn;
	struct buf	 b = BUF_INIT;
	struct tv	*o;
	double		 x, y;
	int		 i;
	size_t		 k;
	const char	*name, *country, *pat;

	if (g == NULL || !g->ok || !p->has_coords)
		return tv_null();
	i = geo_panel_of(p->country);
	pn = &g->p[i];
	geo_project(g, i, p->lat, p->lon, &x, &y);
	o = tv_obj();
	buf_printf(&b, "assets/maps/%s.svg", pn->name);
	S_set_buf(o, "base", &b);
	for (k = 0; k < pn->ncountries; k++)
		if (p->country != NULL && strcmp(pn->codes[k], p->country) == 0) {
			buf_printf(&b, "assets/maps/%s-%s.svg", pn->name, p->country);
			S_set_buf(o, "overlay", &b);
		}
	tv_set(o, "width", tv_int(pn->width));
	tv_set(o, "height", tv_int(pn->height));
	buf_put_fixed(&b, 100.0 * pn->height / pn->width, 2);
	S_set_buf(o, "ratio", &b);
	buf_put_fixed(&b, 100 * x / pn->width, 2);
	S_set_buf(o, "left", &b);
	buf_put_fixed(&b, 100 * y / pn->height, 2);
	S_set_buf(o, "top", &b);
	/* what the picture shows, in words */
	name = label_get(rc->s, &p->name, lang);
	country = S_country_name(rc, p->country, lang);
	/* t.locator_alt with {name} and {country} filled in */
	for (pat = S_t(rc, lang, "locator_alt", NULL); *pat; pat++) {
		if (strncmp(pat, "{name}", 6) == 0) {
			buf_puts(&b, name);
			pat += 5;
		} else if (strncmp(pat, "{country}", 9) == 0) {
			buf_puts(&b, country ? country : "");
			pat += 8;
		} else {
			buf_putc(&b, *pat);
		}
	}
	S_set_buf(o, "alt", &b);
	buf_free(&b);
	return o;
}

static void
S_page_fields(struct rctx *rc, struct page *p, int lang, struct tv *c)
{
	struct site	*s = rc->s;
	struct trans	*t = p->tr[lang];
	struct buf	 b = BUF_INIT;
	struct tv	*a, *o, *v;
	size_t		 i, k;
	char		*u;

	S_set_str(c, "id", p->id);
	S_set_str(c, "kind", pkind_name(p->kind));
	o = tv_obj();
	S_set_str(o, "id", p->sec->id);
	S_set_str(o, "name", label_get(s, &p->sec->name, lang));
	u = xjoin(s->langs[lang], "/", p->sec->id, "/index.html",
	    (char *)NULL);
	S_set_str(o, "url", u);
	free(u);
	tv_set(c, "section", o);
	S_set_str(c, "source", t->source_note);
	S_set_str(c, "figures_scope", t->scope);
	/* the way through: the section's previous and next page in lang */
	v = NULL;
	for (k = 0; k < 2; k++) {
		const struct plist *l = &p->sec->pages;
		size_t		 j = p->secpos;
		const struct page *q = NULL;

		while (q == NULL && (k == 0 ? j > 0 : j + 1 < l->n)) {
			j = k == 0 ? j - 1 : j + 1;
			if (l->v[j]->tr[lang] != NULL)
				q = l->v[j];
		}
		if (q != NULL) {
			o = tv_obj();
			S_set_str(o, "title", q->tr[lang]->title);
			S_set_str(o, "url", S_url(rc, q, lang));
			if (v == NULL)
				v = tv_obj();
			tv_set(v, k == 0 ? "prev" : "next", o);
		}
	}
	if (v != NULL)
		tv_set(c, "pager", v);
	tv_set(c, "clusters", S_clusters(rc, p->clusters,
	    p->nclusters, lang));
	tv_set(c, "challenges", S_clusters(rc, p->challenges,
	    p->nchallenges, lang));
	if (p->date != NULL) {
		S_set_str(c, "date", p->date);
		fmt_date_range(&b, s->langs[lang], p->date, p->end_date);
		S_set_buf(c, "date_text", &b);
	}
	switch (p->kind) {
	case PK_PROFILE:
		S_set_str(c, "name", label_get(s, &p->name, lang));
		a = tv_arr();
		for (i = 0; i < s->nlangs; i++) {
			if (p->name.v[i] == NULL)
				continue;
			o = tv_obj();
			S_set_str(o, "lang", s->langs[i]);
			S_set_str(o, "lang_tag", S_lang_tag(s->langs[i]));
			S_set_str(o, "name", p->name.v[i]);
			tv_push(a, o);
			if ((int)i != lang && tv_get(c, "other_name") == NULL) {
				S_set_str(c, "other_name", p->name.v[i]);
				S_set_str(c, "other_lang_tag", S_lang_tag(s->langs[i]));
			}
		}
		tv_set(c, "names", a);
		if (p->pkind != NULL)
			S_set_str(c, "kind_label", S_t(rc, lang, "profile_kinds",
			    p->pkind));
		S_set_str(c, "country", S_country_name(rc, p->country, lang));
		if (p->population > 0) {
			fmt_population(&b, s->langs[lang], p->population);
			S_set_buf(c, "population", &b);
		}
		if (p->population_year > 0)
			tv_set(c, "population_year",
			    tv_int(p->population_year));
		if (p->area != NULL) {
			fmt_area(&b, s->langs[lang], p->area);
			S_set_buf(c, "area", &b);
		}
		tv_set(c, "locator", S_locator(rc, p, lang));
		tv_set(c, "has_figures", tv_bool(p->population > 0 ||
		    p->area != NULL));
		tv_set(c, "partners", S_edges(rc, p, lang));
		tv_set(c, "webinars", S_page_list(rc, &p->webinars,
		    lang, -1));
		tv_set(c, "study_visits", S_page_list(rc, &p->visits,
		    lang, -1));
		tv_set(c, "case_studies", S_page_list(rc, &p->cases,
		    lang, -1));
		break;
	case PK_WEBINAR:
		tv_set(c, "participants", S_entities(rc, p->refs,
		    p->nrefs, lang));
		break;
	case PK_VISIT:
		tv_set(c, "hosts", S_entities(rc, p->refs, p->nrefs,
		    lang));
		tv_set(c, "visitors", S_entities(rc, p->visitors,
		    p->nvisitors, lang));
		break;
	case PK_CASE:
		tv_set(c, "partners", S_entities(rc, p->refs, p->nrefs,
		    lang));
		if (p->year)
			tv_set(c, "year", tv_int(p->year));
		break;
	default:
		break;
	}
	tv_set(c, "photos", S_photos(rc, p, lang));
	/* profiles and case studies print photo credits */
	a = tv_arr();
	for (i = 0; i < p->ncredits; i++)
		tv_push(a, tv_str(p->credits[i]));
	tv_set(c, "photo_credits", a);
	a = tv_arr();
	for (i = 0; i < t->nspeakers; i++) {
		o = tv_obj();
		S_set_str(o, "name", t->speakers[i].name);
		S_set_str(o, "role", t->speakers[i].role);
		S_set_str(o, "organisation", t->speakers[i].org);
		tv_push(a, o);
	}
	tv_set(c, "speakers", a);
	a = tv_arr();
	for (i = 0; i < t->nquotes; i++) {
		o = tv_obj();
		S_set_str(o, "text", t->quotes[i].text);
		S_set_str(o, "by", t->quotes[i].by);
		tv_push(a, o);
	}
	tv_set(c, "quotes", a);
	a = tv_arr();
	for (i = 0; i < t->nform; i++) {
		o = tv_obj();
		S_set_str(o, "label", t->form[i].label);
		v = tv_arr();
		for (k = 0; k < t->form[i].nvalues; k++)
			tv_push(v, tv_str(t->form[i].values[k]));
		tv_set(o, "values", v);
		tv_set(o, "list", tv_bool(t->form[i].nvalues > 1));
		tv_push(a, o);
	}
	tv_set(c, "form", a);
	buf_free(&b);
}

/*---- Search --------------------------------------------------------------------*/

/*
 * The documents of each language's search index: every page of the
 * language in the language's section order, its place and its shard.
 * A shard is indexed by the thread that renders its last page.
 */
static void
S_search_setup(struct rctx *rc)
{
	struct site	 *s = rc->s;
	size_t		  lang, i, k, n, slot;

	rc->spos = xcalloc(s->pages.n * MAXLANG + 1, sizeof(*rc->spos));
	for (lang = 0; lang < s->nlangs; lang++) {
		rc->ssec[lang] = S_lang_sections(s, (int)lang, &rc->nssec[lang]);
		rc->sdocs[lang] = xcalloc(s->pages.n + 1, sizeof(**rc->sdocs));
		n = 0;
		for (i = 0; i < rc->nssec[lang]; i++)
			for (k = 0; k < rc->ssec[lang][i]->pages.n; k++) {
				struct page *p = rc->ssec[lang][i]->pages.v[k];

				if (p->tr[lang] == NULL)
					continue;
				slot = p->index * MAXLANG + lang;
				rc->spos[slot] = n;
				rc->sdocs[lang][n++] = p;
			}
		rc->nsdocs[lang] = n;
		rc->sidx[lang] = search_new(n);
		rc->sleft[lang] = xcalloc(n / SEARCH_SHARD_DOCS + 1,
		    sizeof(**rc->sleft));
		rc->sdone[lang] = xcalloc(n / SEARCH_SHARD_DOCS + 1, 1);
		for (i = 0; i < n; i++)
			rc->sleft[lang][i / SEARCH_SHARD_DOCS]++;
	}
}

static void
S_search_cleanup(struct rctx *rc)
{
	size_t	 lang, i;

	for (lang = 0; lang < MAXLANG; lang++) {
		search_free(rc->sidx[lang]);
		free(rc->sdocs[lang]);
		free(rc->sleft[lang]);
		free(rc->sdone[lang]);
		free(rc->ssec[lang]);
	}
	for (i = 0; rc->stext != NULL && i < (rc->s->pages.n + 1) * MAXLANG; i++)
		free(rc->stext[i]);
	free(rc->stext);
	free(rc->spos);
	free(rc->sown);
}

/*
 * A page as its language's search index has it: its title, and either
 * what index.json lists (url, section, clusters, date) or, with text set,
 * what its shard holds (its titles in the other languages, description,
 * keys: clusters, challenges, country; body text). Each is made once.
 * Free with S_search_doc_free().
 */
static void
S_search_doc(struct rctx *rc, struct page *p, int lang, struct search_doc *d,
    int text)
{
	struct site	*s = rc->s;
	struct buf	 b = BUF_INIT;
	const char	*v;
	int		*ci;
	size_t		 j;

	memset(d, 0, sizeof(*d));
	d->title = p->tr[lang]->title;
	if (!text) {
		d->url = S_url(rc, p, lang);
		d->date = p->date;
		for (j = 0; j < rc->nssec[lang] && rc->ssec[lang][j] != p->sec;
		    j++)
			;
		d->section = (int)j;
		if (p->nclusters == 0)
			return;
		ci = xcalloc(p->nclusters, sizeof(*ci));
		for (j = 0; j < p->nclusters; j++)
			for (ci[j] = 0; (size_t)ci[j] < s->nclusters &&
			    s->clusters[ci[j]] != p->clusters[j]; ci[j]++)
				;
		d->clusters = ci;
		d->nclusters = p->nclusters;
		return;
	}
	d->desc = p->tr[lang]->description;
	d->text = rc->stext[p->index * MAXLANG + (size_t)lang];
	for (j = 0; j < s->nlangs; j++)
		if ((int)j != lang && p->tr[j] != NULL &&
		    strcmp(p->tr[j]->title, d->title) != 0) {
			if (b.len)
				buf_puts(&b, " / ");
			buf_puts(&b, p->tr[j]->title);
		}
	d->names = b.len ? buf_detach(&b) : NULL;
	for (j = 0; j < p->nclusters + p->nchallenges; j++) {
		const struct cluster *x = j < p->nclusters ? p->clusters[j] :
		    p->challenges[j - p->nclusters];

		if (b.len)
			buf_putc(&b, '\n');
		buf_puts(&b, label_get(s, &x->name, lang));
	}
	if ((v = S_country_name(rc, p->country, lang)) != NULL) {
		if (b.len)
			buf_putc(&b, '\n');
		buf_puts(&b, v);
	}
	d->keys = b.len ? buf_detach(&b) : NULL;
	buf_free(&b);
}

static void
S_search_doc_free(struct search_doc *d)
{
	free((void *)d->clusters);
	free((void *)d->names);
	free((void *)d->keys);
}

/* Frees the texts this thread made whose shards are indexed, in order. */
static void
S_search_reap(struct rctx *rc)
{
	size_t	 slot, lang;

	for (; rc->sfreed < rc->nsown; rc->sfreed++) {
		slot = rc->sown[rc->sfreed];
		lang = slot % MAXLANG;
		if (!__atomic_load_n(&rc->sdone[lang][rc->spos[slot] /
		    SEARCH_SHARD_DOCS], __ATOMIC_ACQUIRE))
			break;
		free(rc->stext[slot]);
		rc->stext[slot] = NULL;
	}
}

/*
 * After page p is rendered in lang: the last page of its shard to be
 * rendered indexes the shard; the threads that made its texts then let
 * them go (S_search_reap).
 */
static void
S_search_page(struct rctx *rc, struct page *p, int lang)
{
	struct search_doc docs[SEARCH_SHARD_DOCS];
	size_t		 slot = p->index * MAXLANG + (size_t)lang;
	size_t		 k = rc->spos[slot] / SEARCH_SHARD_DOCS, first, n, i;
	char		*dir;

	if (__atomic_sub_fetch(&rc->sleft[lang][k], 1, __ATOMIC_ACQ_REL) == 0) {
		first = k * SEARCH_SHARD_DOCS;
		n = rc->nsdocs[lang] - first;
		if (n > SEARCH_SHARD_DOCS)
			n = SEARCH_SHARD_DOCS;
		for (i = 0; i < n; i++)
			S_search_doc(rc, rc->sdocs[lang][first + i], lang,
			    &docs[i], 1);
		dir = xasprintf("%s/search", rc->s->langs[lang]);
		if (search_shard(rc->sidx[lang], rc->w, dir, k, docs) == -1)
			rc->failed = 1;
		free(dir);
		for (i = 0; i < n; i++)
			S_search_doc_free(&docs[i]);
		__atomic_store_n(&rc->sdone[lang][k], 1, __ATOMIC_RELEASE);
	}
	S_search_reap(rc);
}

static void
S_render_page(struct rctx *rc, struct page *p, int lang)
{
	char *const	*urls = rc->purl + p->index * MAXLANG;
	struct tv	*c;

	arena_begin();
	c = S_common(rc, lang, urls[lang], urls, p->tr[lang]->title,
	    p->tr[lang]->description);
	/* the links the body resolves are relative to the page, as the
	 * layout's are */
	rc->root = tv_str_value(tv_get(c, "root"));
	rc->page = p;
	S_body(rc, p, lang, c);
	S_page_fields(rc, p, lang, c);
	S_emit(rc, urls[lang], pkind_name(p->kind), c);
	arena_end();
	rc->root = NULL;
	if (rc->search && !rc->only)
		S_search_page(rc, p, lang);
}

/* The same path in every language: LANG/suffix. */
static void
S_all_urls(const struct site *s, char **urls, const char *suffix)
{
	size_t	 i;

	for (i = 0; i < s->nlangs; i++)
		urls[i] = xasprintf("%s/%s", s->langs[i], suffix);
}

/* A network with its clusters; with members set, each cluster lists its
 * member profiles too (network pages, the print edition). */
static struct tv *
S_network_ref(struct rctx *rc, const struct network *n, int lang, int members)
{
	struct tv	*o = tv_obj(), *a;
	size_t		 i;
	char		*u;

	S_set_str(o, "id", n->id);
	S_set_str(o, "name", label_get(rc->s, &n->name, lang));
	u = xasprintf("%s/networks/%s/index.html", rc->s->langs[lang], n->id);
	S_set_str(o, "url", u);
	free(u);
	a = tv_arr();
	for (i = 0; i < n->nclusters; i++) {
		struct tv *cl = S_cluster_ref(rc, n->clusters[i], lang);

		S_set_str(cl, "track", n->clusters[i]->track);
		if (members)
			tv_set(cl, "members", S_page_list(rc,
			    &n->clusters[i]->members, lang, PK_PROFILE));
		tv_push(a, cl);
	}
	tv_set(o, "clusters", a);
	return o;
}

static struct tv *
S_structure(struct rctx *rc, int lang, struct tv *c, int members)
{
	struct site	*s = rc->s;
	struct tv	*a = tv_arr();
	size_t		 i;

	for (i = 0; i < s->nnetworks; i++)
		tv_push(a, S_network_ref(rc, s->networks[i], lang, members));
	tv_set(c, "networks", a);
	tv_set(c, "all_challenges", S_clusters(rc, s->challenges,
	    s->nchallenges, lang));
	return c;
}

/*---- The partnerships diagram ------------------------------------------------*/

static int
S_is_china(const struct entity *e)
{
	return e->country != NULL && geo_panel_of(e->country) == GEO_CHINA;
}

/* Index of e in v (appending it when new). */
static size_t
S_slot(const struct entity ***v, size_t *n, size_t *pos, const struct entity *e)
{
	/* pos[e->index] is e's row + 1, 0 before it has one: a look-up per
	 * edge, not a search (50,000 entities) */
	if (pos[e->index] == 0) {
		*v = xgrow(*v, *n, sizeof(**v));
		(*v)[*n] = e;
		pos[e->index] = ++*n;
	}
	return pos[e->index] - 1;
}

static void
S_svg_name(struct rctx *rc, struct buf *b, const struct entity *e, int lang,
    double x, double y, const char *anchor)
{
	const char	*name = label_get(rc->s, &e->name, lang), *u = NULL;

	if (e->page != NULL && e->page->tr[lang] != NULL) {
		u = S_url(rc, e->page, lang);
		buf_puts(b, "<a href=\"");
		buf_put_html(b, rc->root, strlen(rc->root));
		buf_put_html(b, u, strlen(u));
		buf_puts(b, "\">");
	}
	buf_puts(b, "<text x=\"");
	buf_put_fixed(b, x, 0);
	buf_puts(b, "\" y=\"");
	buf_put_fixed(b, y, 0);
	buf_puts(b, "\" text-anchor=\"");
	buf_puts(b, anchor);
	buf_puts(b, u ? "\">" : "\" class=\"external\">");
	buf_put_html(b, name, strlen(name));
	buf_puts(b, "</text>");
	if (u != NULL)
		buf_puts(b, "</a>");
	buf_putc(b, '\n');
}

/*
 * Crossings between two rows of nodes joined by edges (e[k] = left row,
 * f[k] = right row): the inversions of f once the edges are sorted by
 * (e, f), counted by merge sort in n log n. Sorts f in place; tmp is
 * scratch of n.
 */
static unsigned long long
S_inversions(size_t *f, size_t *tmp, size_t n)
{
	unsigned long long c;
	size_t		 m = n / 2, i = 0, j = m, k = 0;

	if (n < 2)
		return 0;
	c = S_inversions(f, tmp, m) + S_inversions(f + m, tmp, n - m);
	while (i < m && j < n) {
		if (f[j] < f[i]) {
			c += m - i;
			tmp[k++] = f[j++];
		} else {
			tmp[k++] = f[i++];
		}
	}
	while (i < m)
		tmp[k++] = f[i++];
	while (j < n)
		tmp[k++] = f[j++];
	memcpy(f, tmp, n * sizeof(*f));
	return c;
}

struct dedge {
	size_t	 l, r;		/* entity slots on the left and the right */
};

/* for qsort: by key, then by the slot (a stable, deterministic order) */
struct dkey {
	double	 key;
	size_t	 slot;
};

static int
S_dkey_cmp(const void *a, const void *b)
{
	const struct dkey *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int
S_size_cmp(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* The crossings of the drawing with the rows given by rl and rr. */
static unsigned long long
S_crossings(const struct dedge *e, size_t ne, const size_t *rl,
    const size_t *rr, size_t *pair, size_t *f, size_t *tmp)
{
	size_t	 k, nr = 0;

	/* sort the edges by (left row, right row): one number each */
	for (k = 0; k < ne; k++) {
		if (rr[e[k].r] > nr)
			nr = rr[e[k].r];
	}
	nr++;
	for (k = 0; k < ne; k++)
		pair[k] = rl[e[k].l] * nr + rr[e[k].r];
	qsort(pair, ne, sizeof(*pair), S_size_cmp);
	for (k = 0; k < ne; k++)
		f[k] = pair[k] % nr;
	return S_inversions(f, tmp, ne);
}

/*
 * Orders one side's rows by the mean row of their partners on the other
 * side (the barycentre heuristic of layered graph drawing).
 */
static void
S_barycentre(const struct dedge *e, size_t ne, size_t n, size_t *rows,
    const size_t *other, int left)
{
	struct dkey	*k = xcalloc(n + 1, sizeof(*k));
	double		*sum = xcalloc(n + 1, sizeof(*sum));
	size_t		*cnt = xcalloc(n + 1, sizeof(*cnt)), i;

	for (i = 0; i < ne; i++) {
		size_t	 me = left ? e[i].l : e[i].r;

		sum[me] += (double)other[left ? e[i].r : e[i].l];
		cnt[me]++;
	}
	for (i = 0; i < n; i++) {
		k[i].slot = i;
		k[i].key = cnt[i] ? sum[i] / (double)cnt[i] : (double)rows[i];
	}
	qsort(k, n, sizeof(*k), S_dkey_cmp);
	for (i = 0; i < n; i++)
		rows[k[i].slot] = i;
	free(k);
	free(sum);
	free(cnt);
}

/*
 * The partnerships drawn as the brochure would: European partners in a
 * column on the left, Chinese ones on the right (mirrored in Chinese), a
 * line for each partnership, each name a link to its page, the rows
 * ordered to cross as few lines as the barycentre sweeps find. Written as
 * inline SVG into ctx.diagram (use {{{diagram}}}). Partnerships between
 * two entities of the same side, or with an entity of no country, are
 * left to the table.
 */
static void
S_diagram(struct rctx *rc, int lang, struct tv *ctx)
{
	struct site		 *s = rc->s;
	const struct entity	**eu = NULL, **cn = NULL, ***lv, ***rv;
	size_t			  neu = 0, ncn = 0, i, k, rows, ne = 0, nkinds = 0;
	const char		 *kinds[8];
	struct buf		  b = BUF_INIT;
	const double		  top = 40, step = 26, w = 760, lx = 300, rx = 460;
	const char		 *root = rc->root;
	size_t			 *pos = xcalloc(s->nentities + 1, sizeof(*pos));
	size_t			 *reu, *rcn, *beu, *bcn, *pair, *f, *tmp, *rl, *rr;
	size_t			  nl, nr;
	struct dedge		 *e;
	const char		**ekind;
	unsigned long long	  best, c;
	/* the Chinese edition puts China on the left */
	int			  cnleft = fmt_is_zh(s->langs[lang]);

	rc->root = tv_str_value(tv_get(ctx, "root"));
	e = xcalloc(s->nedges + 1, sizeof(*e));
	ekind = xcalloc(s->nedges + 1, sizeof(*ekind));
	for (i = 0; i < s->nedges; i++) {
		const struct entity *a = s->edges[i]->a, *z = s->edges[i]->b;

		if (a->country == NULL || z->country == NULL ||
		    S_is_china(a) == S_is_china(z))
			continue;
		e[ne].l = S_slot(&eu, &neu, pos, S_is_china(a) ? z : a);
		e[ne].r = S_slot(&cn, &ncn, pos, S_is_china(a) ? a : z);
		ekind[ne++] = s->edges[i]->kind;
		/* the kinds drawn, in order of first appearance, for the legend */
		for (k = 0; k < nkinds && strcmp(kinds[k], s->edges[i]->kind); k++)
			;
		if (k == nkinds && nkinds < 8)
			kinds[nkinds++] = s->edges[i]->kind;
	}
	rows = neu > ncn ? neu : ncn;
	/* rows: first appearance, then barycentre sweeps while they help */
	reu = xcalloc(neu + 1, sizeof(*reu));
	rcn = xcalloc(ncn + 1, sizeof(*rcn));
	beu = xcalloc(neu + 1, sizeof(*beu));
	bcn = xcalloc(ncn + 1, sizeof(*bcn));
	pair = xcalloc(ne + 1, sizeof(*pair));
	f = xcalloc(ne + 1, sizeof(*f));
	tmp = xcalloc(ne + 1, sizeof(*tmp));
	for (i = 0; i < neu; i++)
		reu[i] = beu[i] = i;
	for (i = 0; i < ncn; i++)
		rcn[i] = bcn[i] = i;
	best = S_crossings(e, ne, reu, rcn, pair, f, tmp);
	for (k = 0; k < 24 && best > 0; k++) {
		if (k % 2 == 0)
			S_barycentre(e, ne, neu, reu, rcn, 1);
		else
			S_barycentre(e, ne, ncn, rcn, reu, 0);
		if ((c = S_crossings(e, ne, reu, rcn, pair, f, tmp)) < best) {
			best = c;
			memcpy(beu, reu, neu * sizeof(*reu));
			memcpy(bcn, rcn, ncn * sizeof(*rcn));
		}
	}
	/* sides: Europe left in English, China left in Chinese */
	lv = cnleft ? &cn : &eu;
	rv = cnleft ? &eu : &cn;
	nl = cnleft ? ncn : neu;
	nr = cnleft ? neu : ncn;
	rl = cnleft ? bcn : beu;
	rr = cnleft ? beu : bcn;
	buf_printf(&b, "<svg class=\"partnership-diagram\" viewBox=\"0 0 %.0f %.0f\" "
	    "role=\"group\" aria-labelledby=\"diagram-title\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">\n", w,
	    top + step * (double)(rows ? rows : 1) + 10 + 22 * (double)nkinds);
	buf_puts(&b, "<title id=\"diagram-title\">");
	buf_puts(&b, S_t(rc, lang, "partnership_diagram", NULL));
	buf_puts(&b, "</title>\n");
	buf_printf(&b, "<text class=\"side\" x=\"%.0f\" y=\"20\" "
	    "text-anchor=\"end\">", lx);
	buf_puts(&b, S_t(rc, lang, cnleft ? "china" : "europe", NULL));
	buf_printf(&b, "</text>\n<text class=\"side\" x=\"%.0f\" y=\"20\">", rx);
	buf_puts(&b, S_t(rc, lang, cnleft ? "europe" : "china", NULL));
	buf_puts(&b, "</text>\n");
	for (i = 0; i < ne; i++) {
		size_t	 il = cnleft ? bcn[e[i].r] : beu[e[i].l],
			 ir = cnleft ? beu[e[i].l] : bcn[e[i].r];

		/* one per partnership: the numbers without printf */
		buf_puts(&b, "<line class=\"");
		buf_puts(&b, ekind[i]);
		buf_puts(&b, "\" x1=\"");
		buf_put_fixed(&b, lx + 8, 0);
		buf_puts(&b, "\" y1=\"");
		buf_put_fixed(&b, top + step * (double)il - 5, 1);
		buf_puts(&b, "\" x2=\"");
		buf_put_fixed(&b, rx - 8, 0);
		buf_puts(&b, "\" y2=\"");
		buf_put_fixed(&b, top + step * (double)ir - 5, 1);
		buf_puts(&b, "\"/>\n");
	}
	for (i = 0; i < nl; i++)
		S_svg_name(rc, &b, (*lv)[i], lang, lx, top + step * (double)rl[i],
		    "end");
	for (i = 0; i < nr; i++)
		S_svg_name(rc, &b, (*rv)[i], lang, rx, top + step * (double)rr[i],
		    "start");
	for (i = 0; i < nkinds; i++) {
		double	 y = top + step * (double)rows + 10 + 22 * (double)i;

		buf_printf(&b, "<line class=\"%s\" x1=\"%.0f\" y1=\"%.1f\" "
		    "x2=\"%.0f\" y2=\"%.1f\"/>", kinds[i], lx - 60, y - 5, lx - 8,
		    y - 5);
		buf_printf(&b, "<text class=\"legend\" x=\"%.0f\" y=\"%.0f\">",
		    lx + 8, y);
		buf_puts(&b, S_t(rc, lang, "partnership_kinds", kinds[i]));
		buf_puts(&b, "</text>\n");
	}
	buf_puts(&b, "</svg>\n");
	if (ne > 0)
		tv_set(ctx, "diagram", tv_strn(b.data, b.len));
	else
		tv_set(ctx, "diagram", tv_null());
	buf_free(&b);
	free(eu);
	free(cn);
	free(pos);
	free(e);
	free(ekind);
	free(reu);
	free(rcn);
	free(beu);
	free(bcn);
	free(pair);
	free(f);
	free(tmp);
	rc->root = root;
}

static void
S_render_lists(struct rctx *rc, int lang)
{
	struct site	 *s = rc->s;
	struct section	**sec;
	struct cluster	 *cl;
	char		 *urls[MAXLANG] = { 0 }, *suffix;
	struct tv	 *c, *a, *o, *items;
	size_t		  i, k;
	const char	 *lg = s->langs[lang];

	/* home */
	S_all_urls(s, urls, "index.html");
	c = S_common(rc, lang, urls[lang], urls, label_get(s, &s->title, lang),
	    label_get(s, &s->programme, lang));
	a = tv_arr();
	for (sec = s->order[lang]; sec && *sec; sec++) {
		o = tv_obj();
		S_set_str(o, "id", (*sec)->id);
		S_set_str(o, "name", label_get(s, &(*sec)->name, lang));
		suffix = xasprintf("%s/%s/index.html", lg, (*sec)->id);
		S_set_str(o, "url", suffix);
		free(suffix);
		items = S_page_list(rc, &(*sec)->pages, lang, -1);
		tv_set(o, "count", tv_int((long long)tv_len(items)));
		tv_set(o, "count_text", S_count_text(rc, lang,
		    pkind_name((*sec)->kind), tv_len(items)));
		tv_set(o, "items", items);
		tv_push(a, o);
	}
	tv_set(c, "sections", a);
	for (i = 0; i < s->nsections; i++)
		if (s->sections[i]->kind == PK_PAGE) {
			tv_set(c, "pages", S_page_list(rc,
			    &s->sections[i]->pages, lang, -1));
			break;
		}
	S_structure(rc, lang, c, 0);
	{
		char	*root = S_root_for(urls[lang]);

		S_programme_map(rc, lang, c, root);
		free(root);
	}
	S_emit(rc, urls[lang], "home", c);
	if (lang == 0)
		S_group(rc, urls);
	S_free_urls(urls);

	/* sections */
	for (i = 0; i < s->nsections; i++) {
		suffix = xasprintf("%s/index.html", s->sections[i]->id);
		S_all_urls(s, urls, suffix);
		free(suffix);
		c = S_common(rc, lang, urls[lang], urls,
		    label_get(s, &s->sections[i]->name, lang), NULL);
		S_set_str(c, "id", s->sections[i]->id);
		S_set_str(c, "kind", pkind_name(s->sections[i]->kind));
		tv_set(c, "profiles", tv_bool(s->sections[i]->kind ==
		    PK_PROFILE));
		items = S_page_list(rc, &s->sections[i]->pages, lang, -1);
		tv_set(c, "count", tv_int((long long)tv_len(items)));
		tv_set(c, "count_text", S_count_text(rc, lang,
		    pkind_name(s->sections[i]->kind), tv_len(items)));
		tv_set(c, "items", items);
		S_emit(rc, urls[lang], "section", c);
		if (lang == 0)
			S_group(rc, urls);
		S_free_urls(urls);
	}

	/* the thematic structure */
	S_all_urls(s, urls, "clusters/index.html");
	c = S_common(rc, lang, urls[lang], urls, S_t(rc, lang, "clusters", NULL),
	    NULL);
	S_structure(rc, lang, c, 0);
	S_emit(rc, urls[lang], "clusters", c);
	if (lang == 0)
		S_group(rc, urls);
	S_free_urls(urls);
	for (k = 0; k < 2; k++) {
		size_t	 n = k == 0 ? s->nclusters : s->nchallenges;

		for (i = 0; i < n; i++) {
			cl = k == 0 ? s->clusters[i] : s->challenges[i];
			suffix = xasprintf("clusters/%s/index.html", cl->id);
			S_all_urls(s, urls, suffix);
			free(suffix);
			c = S_common(rc, lang, urls[lang], urls,
			    label_get(s, &cl->name, lang), NULL);
			o = S_cluster_ref(rc, cl, lang);
			tv_update(c, o);
			tv_set(c, "challenge", tv_bool(k == 1));
			tv_set(c, "profiles", S_page_list(rc,
			    &cl->members, lang, PK_PROFILE));
			tv_set(c, "webinars", S_page_list(rc,
			    &cl->members, lang, PK_WEBINAR));
			tv_set(c, "study_visits", S_page_list(rc,
			    &cl->members, lang, PK_VISIT));
			tv_set(c, "case_studies", S_page_list(rc,
			    &cl->members, lang, PK_CASE));
			S_emit(rc, urls[lang], "cluster", c);
			if (lang == 0)
				S_group(rc, urls);
			S_free_urls(urls);
		}
	}
	for (i = 0; i < s->nnetworks; i++) {
		suffix = xasprintf("networks/%s/index.html", s->networks[i]->id);
		S_all_urls(s, urls, suffix);
		free(suffix);
		c = S_common(rc, lang, urls[lang], urls,
		    label_get(s, &s->networks[i]->name, lang), NULL);
		o = S_network_ref(rc, s->networks[i], lang, 1);
		tv_update(c, o);
		S_emit(rc, urls[lang], "network", c);
		if (lang == 0)
			S_group(rc, urls);
		S_free_urls(urls);
	}

}

/*
 * A string as Chinese text sets it: a half-width , ; : ! ? right after a CJK
 * character (and the space after it) becomes its full-width form. For data
 * that mixes scripts, such as "钉钉, CC BY-SA 4.0" in a credit.
 */
static struct tv *
S_zh_text(const char *s)
{
	static const char *const full[] = { "，", "；", "：", "！", "？" };
	static const char half[] = ",;:!?";
	struct buf	 b = BUF_INIT;
	const char	*p, *h;
	struct tv	*v;

	for (p = s; *p; p++) {
		if ((h = strchr(half, *p)) != NULL && p > s &&
		    utf8_is_cjk(utf8_last(s, (size_t)(p - s)))) {
			buf_puts(&b, full[h - half]);
			if (p[1] == ' ')
				p++;
			continue;
		}
		buf_putc(&b, *p);
	}
	v = tv_strn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return v;
}

/* Appends to groups the section's pages that have notes or credits. */
static void
S_about_group(struct rctx *rc, const struct section *x, int lang,
    struct tv *groups)
{
	const struct trans *t;
	struct page	*p;
	struct tv	*items = tv_arr(), *g, *o, *a;
	size_t		 i, k;

	for (i = 0; i < x->pages.n; i++) {
		p = x->pages.v[i];
		if ((t = p->tr[lang]) == NULL || (t->source_note == NULL &&
		    t->scope == NULL && p->ncredits == 0))
			continue;
		o = tv_obj();
		S_set_str(o, "title", t->title);
		S_set_str(o, "url", S_url(rc, p, lang));
		if (rc->print)
			S_set_str(o, "anchor", S_anchor_of(rc, p));
		S_set_str(o, "source", t->source_note);
		S_set_str(o, "figures_scope", t->scope);
		a = tv_arr();
		for (k = 0; k < p->ncredits; k++)
			tv_push(a, fmt_is_zh(rc->s->langs[lang]) ?
			    S_zh_text(p->credits[k]) :
			    tv_str(p->credits[k]));
		tv_set(o, "photo_credits", a);
		tv_push(items, o);
	}
	if (tv_len(items) == 0)
		return;
	g = tv_obj();
	S_set_str(g, "name", label_get(rc->s, &x->name, lang));
	tv_set(g, "pages", items);
	tv_push(groups, g);
}


/* The groups of the about-data page: the sections in the language's order,
 * then those the order leaves out (the pages). */
static struct tv *
S_about_groups(struct rctx *rc, int lang)
{
	struct tv	 *groups = tv_arr();
	size_t		  i, n;
	struct section	**secs = S_lang_sections(rc->s, lang, &n);

	for (i = 0; i < n; i++)
		S_about_group(rc, secs[i], lang, groups);
	free(secs);
	return groups;
}

/*
 * "About the data": the editors' notes (source:), what figures cover and
 * the photo credits the editions print, by section and page in the
 * language's order. Public pages show the figures only; this page says
 * where they come from.
 */
static void
S_render_about_data(struct rctx *rc, int lang)
{
	struct site	 *s = rc->s;
	char		 *urls[MAXLANG] = { 0 };
	struct tv	 *c;

	if (!S_has_layout(rc, "about-data"))
		return;
	S_all_urls(s, urls, "about-data/index.html");
	c = S_common(rc, lang, urls[lang], urls, S_t(rc, lang, "about_data",
	    NULL), S_t(rc, lang, "about_data_intro", NULL));
	tv_set(c, "groups", S_about_groups(rc, lang));
	S_emit(rc, urls[lang], "about-data", c);
	if (lang == 0)
		S_group(rc, urls);
	S_free_urls(urls);
}

/* The search page of one language, and its index's terms and pages. */
static void
S_render_search(struct rctx *rc, int lang)
{
	struct site	 *s = rc->s;
	struct search_doc *docs;
	struct search_meta m;
	const char	**sv, **cv;
	char		 *urls[MAXLANG] = { 0 }, *dir;
	size_t		  n = rc->nsdocs[lang], i;
	struct tv	 *c;

	if (!rc->search)
		return;
	sv = xcalloc(2 * rc->nssec[lang] + 1, sizeof(*sv));
	for (i = 0; i < rc->nssec[lang]; i++) {
		sv[2 * i] = rc->ssec[lang][i]->id;
		sv[2 * i + 1] = label_get(s, &rc->ssec[lang][i]->name, lang);
	}
	cv = xcalloc(2 * s->nclusters + 1, sizeof(*cv));
	for (i = 0; i < s->nclusters; i++) {
		cv[2 * i] = s->clusters[i]->id;
		cv[2 * i + 1] = label_get(s, &s->clusters[i]->name, lang);
	}
	docs = xcalloc(n + 1, sizeof(*docs));
	for (i = 0; i < n; i++)
		S_search_doc(rc, rc->sdocs[lang][i], lang, &docs[i], 0);
	memset(&m, 0, sizeof(m));
	m.lang = S_lang_tag(s->langs[lang]);
	m.sections = sv;
	m.nsections = rc->nssec[lang];
	m.clusters = cv;
	m.nclusters = s->nclusters;
	dir = xasprintf("%s/search", s->langs[lang]);
	if (search_finish(rc->sidx[lang], rc->w, dir, &m, docs) == -1)
		rc->failed = 1;
	free(dir);
	for (i = 0; i < n; i++)
		S_search_doc_free(&docs[i]);
	free(docs);
	free(sv);
	free(cv);

	S_all_urls(s, urls, "search/index.html");
	c = S_common(rc, lang, urls[lang], urls, S_t(rc, lang, "search",
	    NULL), NULL);
	tv_set(c, "is_search", tv_true());
	S_emit(rc, urls[lang], "search", c);
	if (lang == 0)
		S_group(rc, urls);
	S_free_urls(urls);
}

/* The partnerships page of one language. */
static void
S_render_partners(struct rctx *rc, int lang)
{
	struct site	 *s = rc->s;
	struct edge	 *e;
	char		 *urls[MAXLANG] = { 0 };
	struct tv	 *c, *a, *o, **erefs;
	size_t		  i;

	/* partnerships */
	S_all_urls(s, urls, "partners/index.html");
	c = S_common(rc, lang, urls[lang], urls, S_t(rc, lang, "partnerships",
	    NULL), NULL);
	a = tv_arr();
	/* one reference per entity, shared by every row it appears in */
	erefs = xcalloc(s->nentities + 1, sizeof(*erefs));
	for (i = 0; i < s->nedges; i++) {
		const struct entity *x, *y;

		e = s->edges[i];
		o = tv_obj();
		/* the page's own side first: Europe in English, China in
		 * Chinese; a partnership within one side as recorded */
		x = e->a;
		y = e->b;
		if (S_is_china(x) != S_is_china(y) && x->country != NULL &&
		    y->country != NULL && S_is_china(x) !=
		    fmt_is_zh(s->langs[lang])) {
			x = e->b;
			y = e->a;
		}
		if (erefs[x->index] == NULL)
			erefs[x->index] = S_entity_ref(rc, x, lang);
		if (erefs[y->index] == NULL)
			erefs[y->index] = S_entity_ref(rc, y, lang);
		tv_set(o, "a", erefs[x->index]);
		tv_set(o, "b", erefs[y->index]);
		S_set_str(o, "kind", e->kind);
		S_set_str(o, "kind_label", S_t(rc, lang, "partnership_kinds",
		    e->kind));
		if (e->since)
			tv_set(o, "since", tv_int(e->since));
		S_set_str(o, "note", e->note.v[lang]);
		tv_push(a, o);
	}
	tv_set(c, "partnerships", a);
	tv_set(c, "count", tv_int((long long)s->nedges));
	tv_set(c, "count_text", S_count_text(rc, lang, "partnership",
	    s->nedges));
	S_diagram(rc, lang, c);
	{
		char	*root = S_root_for(urls[lang]);

		S_programme_map(rc, lang, c, root);
		free(root);
	}
	S_emit(rc, urls[lang], "partners", c);
	free(erefs);
	S_free_urls(urls);
}

/*---- Every page, on every core ----------------------------------------------------*/

/* A page's web page in one language, its print article, or both. */
struct task {
	struct page	*p;
	int		 lang;
	int		 web;
	int		 drop;	/* nothing reads the source's text after it */
	size_t		 art;	/* the article in lang's edition, or NO_ART */
};

#define NO_ART	((size_t)-1)

struct worker {
	struct rctx		 rc;
	struct render_stats	 st;
	pthread_t		 th;
	size_t			*next;		/* the shared task counter */
	const struct task	*tasks;
	size_t			 ntasks;
};

/* Takes tasks until there are none left. */
static void *
S_work(void *arg)
{
	struct worker	*w = arg;
	const struct task *k;
	size_t		 t;

	while ((t = __atomic_fetch_add(w->next, 1, __ATOMIC_RELAXED)) < w->ntasks) {
		k = &w->tasks[t];
		if (k->web) {
			w->rc.twin = k->art != NO_ART;
			S_render_page(&w->rc, k->p, k->lang);
			w->rc.twin = 0;
		}
		if (k->art != NO_ART)
			S_print_article(&w->rc, k->lang, k->art);
		/* memory stays bounded by what is being rendered */
		if (k->drop)
			source_drop_text(k->p->tr[k->lang]->src);
	}
	if (w->rc.twin_p != NULL)	/* an article that did not take it */
		md_out_free(&w->rc.twin_out);
	/* the texts of shards indexed later go with the rest */
	S_search_reap(&w->rc);
	free(w->rc.sown);
	search_thread_done();
	arena_release();
	return NULL;
}

/*
 * The pages' tasks. Without a streamed print edition: each page in each
 * language, in order. With one: the editions' articles first, the k-th of
 * every language side by side, each with its web page the first time the
 * page comes, so that the articles are done about in the order they are
 * written; then the web pages no edition prints. A source's text goes
 * after its last task, unless a print edition made whole reads it later.
 */
static struct task *
S_tasks(struct rctx *rc, size_t *n)
{
	struct site	*s = rc->s;
	struct task	*v = xcalloc(s->pages.n * s->nlangs + 1, sizeof(*v)), *t;
	size_t		*last, nslots = s->pages.n * MAXLANG, cap, i, k, more;
	size_t		 slot;
	int		 lang, keep = s->nprint > 0 && rc->ped[0] == NULL;
	char		*seen = xcalloc(nslots + 1, 1);

	cap = s->pages.n * s->nlangs + 1;
	*n = 0;
	for (k = 0, more = 1; more; k++) {
		more = 0;
		for (lang = 0; lang < (int)s->nlangs; lang++) {
			const struct print_ed *e = rc->ped[lang];

			if (e == NULL || k >= e->nart)
				continue;
			more = 1;
			slot = e->art[k].p->index * MAXLANG + (size_t)lang;
			if (*n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof(*v));
			t = &v[(*n)++];
			memset(t, 0, sizeof(*t));
			t->p = e->art[k].p;
			t->lang = lang;
			t->web = !seen[slot];
			t->art = k;
			seen[slot] = 1;
		}
	}
	for (i = 0; i < s->pages.n; i++)
		for (lang = 0; lang < (int)s->nlangs; lang++) {
			slot = i * MAXLANG + (size_t)lang;
			if (s->pages.v[i]->tr[lang] == NULL || seen[slot])
				continue;
			if (*n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof(*v));
			t = &v[(*n)++];
			memset(t, 0, sizeof(*t));
			t->p = s->pages.v[i];
			t->lang = lang;
			t->web = 1;
			t->art = NO_ART;
		}
	last = xcalloc(nslots + 1, sizeof(*last));
	for (i = 0; i < *n; i++)
		last[v[i].p->index * MAXLANG + (size_t)v[i].lang] = i;
	for (i = 0; i < *n && !keep; i++)
		v[i].drop = last[v[i].p->index * MAXLANG + (size_t)v[i].lang] == i;
	free(last);
	free(seen);
	return v;
}

/* A thread's share of work done once per language (S_per_lang). */
struct lworker {
	struct rctx		 rc;
	struct render_stats	 st;
	pthread_t		 th;
	int			 lang, started;
};

/*
 * Runs fn for each language, a thread each (on this one when there is a
 * single core), each on its own copy of rc, template cache and counts; the
 * counts and failures come back into rc. w (MAXLANG of them) stays for
 * the caller to read.
 */
static void
S_per_lang(struct rctx *rc, struct lworker *w, void *(*fn)(void *))
{
	struct site	*s = rc->s;
	size_t		 i, k;

	memset(w, 0, MAXLANG * sizeof(*w));
	for (i = 0; i < s->nlangs; i++) {
		w[i].rc = *rc;
		w[i].rc.st = &w[i].st;
		w[i].rc.failed = 0;
		w[i].rc.env = mus_env_new(S_loader, S_missing, &w[i].rc);
		w[i].lang = (int)i;
		w[i].started = nthreads() > 1 &&
		    pthread_create(&w[i].th, NULL, fn, &w[i]) == 0;
	}
	for (i = 0; i < s->nlangs; i++)
		if (!w[i].started)
			fn(&w[i]);
	for (i = 0; i < s->nlangs; i++) {
		if (w[i].started)
			pthread_join(w[i].th, NULL);
		for (k = 0; k < MAXLANG; k++)
			rc->st->pages[k] += w[i].st.pages[k];
		rc->st->files += w[i].st.files;
		rc->failed |= w[i].rc.failed;
		mus_env_free(w[i].rc.env);
	}
}

static void *
S_work_lists(void *arg)
{
	struct lworker	*w = arg;
	struct rctx	*rc = &w->rc;
	char		*urls[MAXLANG] = { 0 };
	struct arena_mark m;
	size_t		 i, slot;
	int		 keep;

	/*
	 * The partnerships page has the largest context there is: the two
	 * languages make theirs at different times, one before its list
	 * items, the other after its list pages, when those items are gone
	 * (unless the print edition needs them). Contexts are made in the
	 * thread's arena; the list items outlive them, on the heap.
	 */
	if (w->lang % 2 == 0) {
		arena_begin();
		S_render_partners(rc, w->lang);
		arena_end();
	}
	/* the list items live in the arena, below the list pages' contexts,
	 * unless a print edition made whole needs them after (on the heap) */
	keep = rc->s->nprint > 0 && rc->ped[0] == NULL;
	if (keep) {
		arena_begin();
		S_make_prefs(rc, w->lang);
		rc->kept[KEPT_PREFS + w->lang] = arena_detach();
	}
	arena_begin();
	if (!keep)
		S_make_prefs(rc, w->lang);
	m = arena_mark();
	S_render_lists(rc, w->lang);
	S_render_about_data(rc, w->lang);
	arena_reset(m);
	S_render_search(rc, w->lang);
	arena_reset(m);
	for (i = 0; !keep && i < rc->s->pages.n; i++) {
		slot = i * MAXLANG + (size_t)w->lang;
		rc->pref[slot] = NULL;
	}
	arena_end();
	if (w->lang % 2 == 1) {
		arena_begin();
		S_render_partners(rc, w->lang);
		arena_end();
	}
	arena_release();
	if (w->lang == 0) {
		/* the sitemap lists it after the other list pages */
		S_all_urls(rc->s, urls, "partners/index.html");
		S_group(rc, urls);
		S_free_urls(urls);
	}
	return NULL;
}

/*
 * The list pages (home, sections, clusters, networks, partnerships) of
 * each language, with the list items they share, a thread per language
 * (a new thread takes over an allocator arena the loading threads left
 * with free space). Only the first language records the sitemap groups,
 * so its thread's list is taken over afterwards.
 */
static void
S_render_all_lists(struct rctx *rc)
{
	struct lworker	 w[MAXLANG];
	size_t		 i;

	S_per_lang(rc, w, S_work_lists);
	for (i = 0; i < rc->s->nlangs; i++)
		rc->kept[KEPT_PREFS + i] = w[i].rc.kept[KEPT_PREFS + i];
	rc->groups = w[0].rc.groups;
	rc->ngroups = w[0].rc.ngroups;
}

/*
 * Renders every page in every language, split across threads. Each thread
 * has its own context and template cache; the writer and diagnostics are
 * shared (both lock), and each (page, language) owns its own slot of the
 * heading-id table. Output does not depend on the schedule.
 */
static void
S_render_pages(struct rctx *rc)
{
	struct worker	*w;
	struct task	*tasks;
	size_t		 i, k, next = 0, nt = (size_t)nthreads(), ntasks;

	tasks = S_tasks(rc, &ntasks);
	w = xcalloc(nt, sizeof(*w));
	for (i = 0; i < nt; i++) {
		w[i].rc = *rc;
		w[i].rc.st = &w[i].st;
		w[i].rc.arefs = NULL;
		w[i].rc.narefs = 0;
		w[i].rc.sown = NULL;
		w[i].rc.nsown = w[i].rc.sfreed = 0;
		w[i].rc.failed = 0;
		w[i].rc.env = mus_env_new(S_loader, S_missing, &w[i].rc);
		w[i].next = &next;
		w[i].tasks = tasks;
		w[i].ntasks = ntasks;
		if (nt > 1 && pthread_create(&w[i].th, NULL, S_work, &w[i]) != 0) {
			diag_error("brochure", 0, 0, "cannot start a thread");
			rc->failed = 1;
		}
	}
	if (nt == 1)
		S_work(&w[0]);
	for (i = 0; i < nt; i++) {
		if (nt > 1)
			pthread_join(w[i].th, NULL);
		for (k = 0; k < MAXLANG; k++)
			rc->st->pages[k] += w[i].st.pages[k];
		rc->st->files += w[i].st.files;
		rc->failed |= w[i].rc.failed;
		for (k = 0; k < w[i].rc.narefs; k++) {
			rc->arefs = xgrow(rc->arefs, rc->narefs,
			    sizeof(*rc->arefs));
			rc->arefs[rc->narefs++] = w[i].rc.arefs[k];
		}
		free(w[i].rc.arefs);
		mus_env_free(w[i].rc.env);
	}
	free(w);
	free(tasks);
}

/* Records every page's paths for the sitemap, after the list pages. */
static void
S_group_pages(struct rctx *rc)
{
	size_t	 i;

	for (i = 0; i < rc->s->pages.n; i++)
		S_group(rc, rc->purl + rc->s->pages.v[i]->index * MAXLANG);
}

/*---- The print edition ---------------------------------------------------------*/

/* A page as the print edition shows it: its fields, its body, its anchor. */
static struct tv *
S_print_page(struct rctx *rc, struct page *p, int lang)
{
	struct tv	*o = tv_obj();

	S_set_str(o, "title", p->tr[lang]->title);
	S_set_str(o, "anchor", S_anchor_of(rc, p));
	S_body(rc, p, lang, o);
	S_page_fields(rc, p, lang, o);
	tv_set(o, "is_profile", tv_bool(p->kind == PK_PROFILE));
	tv_set(o, "is_webinar", tv_bool(p->kind == PK_WEBINAR));
	tv_set(o, "is_visit", tv_bool(p->kind == PK_VISIT));
	tv_set(o, "is_case", tv_bool(p->kind == PK_CASE));
	tv_set(o, "is_page", tv_bool(p->kind == PK_PAGE));
	return o;
}

/*
 * A page as the streamed edition's skeleton lists it (the dividers, the
 * structure's members), made once per page: what a list in the printed
 * book shows, {id, title, anchor, name, other_name, other_lang_tag,
 * country, date, date_text, kind}, every key present; print/page gets
 * the page in full.
 */
static struct tv *
S_print_item(struct rctx *rc, const struct page *p, int lang)
{
	struct tv	*o;

	if ((o = rc->pitem[p->index]) != NULL)
		return o;
	o = rc->pitem[p->index] = tv_obj_n(S_ITEM_KEYS + 2);
	S_item_keys(rc, p, lang, o);
	S_set_str(o, "anchor", S_anchor_of(rc, p));
	/* the contents list it too (a page, not a section) */
	tv_set(o, "section", tv_false());
	S_item_facts(rc, p, lang, o);
	return o;
}

/*
 * A page in a section of the streamed edition's skeleton: its list item,
 * recorded so that {{> print/page}} knows the page.
 */
static struct tv *
S_print_entry(struct rctx *rc, struct page *p, int lang)
{
	struct print_ed	*e = rc->ped[lang];
	struct tv	*o = S_print_item(rc, p, lang);

	e->ent = xgrow(e->ent, e->nent, sizeof(*e->ent));
	e->ent[e->nent].o = o;
	e->ent[e->nent++].p = p;
	return o;
}

/* Appends to contents the entry {title, anchor, level, other_name}. */
static void
S_toc(struct tv *contents, const char *title, const char *anchor, int level,
    const char *other, const char *other_tag)
{
	struct tv	*e = tv_obj();

	S_set_str(e, "title", title);
	S_set_str(e, "anchor", anchor);
	tv_set(e, "section", tv_bool(level == 1));
	S_set_opt(e, "other_name", other);
	S_set_opt(e, "other_lang_tag", other ? other_tag : NULL);
	tv_push(contents, e);
}

/*
 * A section divider's map: the panel of the section's pilots with a dot
 * for each, placed in percent as on a locator, and its members' names.
 */
static struct tv *
S_section_map(struct rctx *rc, const struct section *sec, int lang)
{
	const struct geo *g = rc->s->geo;
	const struct geo_panel *pn;
	struct buf	 b = BUF_INIT;
	struct tv	*o, *dots, *d;
	double		 x, y;
	size_t		 i;
	int		 panel = -1;

	if (g == NULL || !g->ok)
		return tv_null();
	for (i = 0; i < sec->pages.n && panel < 0; i++)
		if (sec->pages.v[i]->has_coords)
			panel = geo_panel_of(sec->pages.v[i]->country);
	if (panel < 0)
		return tv_null();
	pn = &g->p[panel];
	o = tv_obj();
	buf_printf(&b, "assets/maps/%s.svg", pn->name);
	S_set_buf(o, "base", &b);
	buf_printf(&b, "%.2f", 100.0 * pn->height / pn->width);
	S_set_buf(o, "ratio", &b);
	tv_set(o, "width", tv_int(pn->width));
	tv_set(o, "height", tv_int(pn->height));
	dots = tv_arr();
	for (i = 0; i < sec->pages.n; i++) {
		const struct page *p = sec->pages.v[i];

		if (!p->has_coords || p->tr[lang] == NULL ||
		    geo_panel_of(p->country) != panel)
			continue;
		geo_project(g, panel, p->lat, p->lon, &x, &y);
		d = tv_obj();
		buf_printf(&b, "%.2f", 100 * x / pn->width);
		S_set_buf(d, "left", &b);
		buf_printf(&b, "%.2f", 100 * y / pn->height);
		S_set_buf(d, "top", &b);
		tv_push(dots, d);
	}
	tv_set(o, "dots", dots);
	buf_free(&b);
	return o;
}

static void
S_print_section(struct rctx *rc, struct section *sec, int lang,
    struct tv *parts, struct tv *contents)
{
	struct tv	*part = tv_obj(), *pages = tv_arr(), *o;
	char		*a = xasprintf("s-%s", sec->id);
	size_t		 i;
	int		 k;

	S_set_str(part, "name", label_get(rc->s, &sec->name, lang));
	S_set_str(part, "anchor", a);
	S_toc(contents, label_get(rc->s, &sec->name, lang), a, 1, NULL, NULL);
	free(a);
	tv_set(part, "is_section", tv_true());
	tv_set(part, "profiles", tv_bool(sec->kind == PK_PROFILE));
	for (i = 0; i < sec->pages.n; i++) {
		struct page *p = sec->pages.v[i];
		const char *other = NULL, *tag = NULL;

		if (p->tr[lang] == NULL)
			continue;
		if (rc->ped[lang] != NULL) {
			/* the contents' entry is the list item */
			o = S_print_entry(rc, p, lang);
			tv_push(contents, o);
			tv_push(pages, o);
			continue;
		}
		o = S_print_page(rc, p, lang);
		for (k = 0; k < (int)rc->s->nlangs && other == NULL; k++)
			if (k != lang && (other = p->name.v[k]) != NULL)
				tag = S_lang_tag(rc->s->langs[k]);
		S_toc(contents, p->tr[lang]->title,
		    tv_str_value(tv_get(o, "anchor")), 2, other, tag);
		tv_push(pages, o);
	}
	tv_set(part, "pages", pages);
	if (sec->kind == PK_PROFILE)
		tv_set(part, "section_map", S_section_map(rc, sec, lang));
	tv_push(parts, part);
}

/*
 * The whole brochure as one document per language, in the order
 * site.yaml's print: list gives: the profile sections in the language's
 * own order, the thematic structure, the contents and single pages. Links
 * between pages become links inside the document.
 */
static struct tv *
S_print_context(struct rctx *rc, int lang, char *const *urls)
{
	struct site	 *s = rc->s;
	struct section	**sec;
	struct tv	 *c, *parts = tv_arr(), *contents = tv_arr(), *o;
	struct page	 *p;
	size_t		  i;
	const char	 *e;

	c = S_common(rc, lang, urls[lang], urls, S_t(rc, lang, "print_edition",
	    NULL), label_get(s, &s->programme, lang));
	if (s->edition != NULL) {
		struct buf	 b = BUF_INIT;

		S_set_str(c, "edition", s->edition);
		fmt_date(&b, s->langs[lang], s->edition);
		S_set_buf(c, "edition_text", &b);
		buf_free(&b);
	}
	rc->print = 1;
	S_programme_map(rc, lang, c, "#");
	for (i = 0; i < s->nprint; i++) {
		e = s->print[i];
		if (strcmp(e, "profiles") == 0) {
			for (sec = s->order[lang]; sec && *sec; sec++)
				if ((*sec)->kind == PK_PROFILE)
					S_print_section(rc, *sec, lang, parts, contents);
		} else if (strcmp(e, "clusters") == 0) {
			o = tv_obj();
			tv_set(o, "is_clusters", tv_true());
			S_structure(rc, lang, o, 1);
			S_toc(contents, S_t(rc, lang, "clusters", NULL), "clusters", 1,
			    NULL, NULL);
			tv_push(parts, o);
		} else if (strcmp(e, "imprint") == 0) {
			/* page 2: who publishes, the edition, what it is made
			 * from (pages/imprint), where the notes are, and the
			 * credits of the photos the edition prints */
			struct tv	*cr = tv_arr();
			size_t		 k, j;

			p = site_find_page(s, "pages", "imprint");
			o = p != NULL && p->tr[lang] != NULL ?
			    S_print_page(rc, p, lang) : tv_obj();
			tv_set(o, "is_imprint", tv_true());
			for (k = 0; k < s->pages.n; k++)
				for (j = 0; j < s->pages.v[k]->nphotos; j++)
					if (s->pages.v[k]->photos[j].credit != NULL &&
					    s->pages.v[k]->photos[j].ok)
						tv_push(cr, tv_str(
						    s->pages.v[k]->photos[j].credit));
			tv_set(o, "photo_credits", cr);
			tv_push(parts, o);
		} else if (strcmp(e, "about-data") == 0) {
			o = tv_obj();
			tv_set(o, "is_about_data", tv_true());
			tv_set(o, "groups", S_about_groups(rc, lang));
			S_set_str(o, "title", S_t(rc, lang, "about_data", NULL));
			S_set_str(o, "intro", S_t(rc, lang, "about_data_intro", NULL));
			S_toc(contents, S_t(rc, lang, "about_data", NULL), "about-data",
			    1, NULL, NULL);
			tv_push(parts, o);
		} else if (strcmp(e, "contents") == 0) {
			o = tv_obj();
			tv_set(o, "is_contents", tv_true());
			tv_set(o, "entries", contents);
			tv_push(parts, o);
		} else if (strncmp(e, "pages/", 6) == 0) {
			p = site_find_page(s, "pages", e + 6);
			if (p == NULL || p->tr[lang] == NULL)
				continue;
			o = S_print_page(rc, p, lang);
			S_toc(contents, p->tr[lang]->title,
			    tv_str_value(tv_get(o, "anchor")), 1, NULL,
			    NULL);
			tv_set(o, "is_single", tv_true());
			tv_push(parts, o);
		} else if ((sec = NULL, site_find_section(s, e)) != NULL) {
			S_print_section(rc, site_find_section(s, e), lang, parts,
			    contents);
		}
	}
	rc->print = 0;
	tv_set(c, "parts", parts);
	return c;
}

/* The edition whole, on this thread (a print.mustache without print/page). */
static void
S_render_print(struct rctx *rc, int lang)
{
	char	*urls[MAXLANG] = { 0 };

	S_all_urls(rc->s, urls, "print/index.html");
	S_emit(rc, urls[lang], "print", S_print_context(rc, lang, urls));
	if (lang == 0)
		S_group(rc, urls);
	S_free_urls(urls);
}

static int
S_ent_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct print_ent *)a)->o;
	uintptr_t y = (uintptr_t)((const struct print_ent *)b)->o;

	return x < y ? -1 : x > y;
}

/* {{> print/page}} in the skeleton: a cut where a list item is on top. */
static int
S_print_hook(void *ud, struct tv *const *stk, size_t nstk, const char *indent,
    size_t indlen, struct buf *out)
{
	struct print_ed		*e = ud;
	struct print_ent	 key, *f;
	struct print_art	*a;

	if (nstk == 0)
		return 0;
	key.o = stk[nstk - 1];
	if ((f = bsearch(&key, e->ent, e->nent, sizeof(*e->ent),
	    S_ent_cmp)) == NULL)
		return 0;	/* not a page: rendered in place */
	e->art = xgrow(e->art, e->nart, sizeof(*e->art));
	a = &e->art[e->nart++];
	memset(a, 0, sizeof(*a));
	a->p = f->p;
	a->stk = xcalloc(nstk, sizeof(*a->stk));
	memcpy(a->stk, stk, nstk * sizeof(*stk));
	a->nstk = nstk;
	a->indent = xstrndup(indent, indlen);
	a->indlen = indlen;
	a->off = out->len;
	return 1;
}

/* Writes the skeleton's text from byte from to the next cut (or its end). */
static void
S_print_text(struct print_ed *e, size_t from)
{
	size_t	 to = e->next < e->nart ? e->art[e->next].off : e->skel.len;

	if (to > from)
		wfile_put(e->f, e->skel.data + from, to - from);
}

/*
 * Starts the streamed edition of lang: renders the skeleton (its list
 * items in rc->pitem), opens the file and writes the text before the
 * first article.
 */
static void
S_print_begin(struct rctx *rc, int lang)
{
	struct print_ed	*e;
	struct mus_tmpl	*t;
	struct mus_error err;

	e = rc->ped[lang];
	pthread_mutex_init(&e->lock, NULL);
	S_all_urls(rc->s, e->urls, "print/index.html");
	e->ctx = S_print_context(rc, lang, e->urls);
	if (e->nent > 1)
		qsort(e->ent, e->nent, sizeof(*e->ent), S_ent_cmp);
	memset(&err, 0, sizeof(err));
	mus_env_hook(rc->env, "print/page", S_print_hook, e);
	if ((t = S_layout(rc, "print")) == NULL) {
		/* said why */
	} else if (mus_render(rc->env, t, e->ctx, &e->skel, &err) == -1) {
		S_report_mus(&err);
		rc->failed = 1;
	}
	mus_env_hook(rc->env, "print/page", NULL, NULL);
	if (!rc->failed && (e->f = writer_open(rc->w, e->urls[lang])) == NULL)
		rc->failed = 1;
	if (e->f != NULL)
		S_print_text(e, 0);
	/* what is written goes (the cover, the contents: most of the text
	 * before the sections) */
	if (e->nart > 0 && e->art[0].off > 0) {
		size_t	 cut = e->art[0].off, i;

		memmove(e->skel.data, e->skel.data + cut, e->skel.len - cut);
		e->skel.len -= cut;
		e->skel.data = xrealloc(e->skel.data, e->skel.len + 1);
		e->skel.data[e->skel.len] = '\0';
		e->skel.cap = e->skel.len + 1;
		for (i = 0; i < e->nart; i++)
			e->art[i].off -= cut;
	}
}

static void *
S_print_begin_work(void *arg)
{
	struct lworker	*w = arg;

	/* the list items and the skeleton's context in an arena of their
	 * own, kept until the edition is written */
	arena_begin();
	w->rc.pitem = xcalloc(w->rc.s->pages.n + 1, sizeof(*w->rc.pitem));
	S_print_begin(&w->rc, w->lang);
	w->rc.ped[w->lang]->items = w->rc.pitem;
	w->rc.pitem = NULL;
	w->rc.ped[w->lang]->chunks = arena_detach();
	return NULL;
}

/* Starts every language's streamed edition, a thread each. */
static void
S_print_begin_all(struct rctx *rc)
{
	struct lworker	 w[MAXLANG];
	size_t		 i;

	for (i = 0; i < rc->s->nlangs; i++)
		rc->ped[i] = xcalloc(1, sizeof(*rc->ped[i]));
	S_per_lang(rc, w, S_print_begin_work);
}

/*
 * Renders article k of lang's edition (on a pages thread) and writes what
 * has come in order.
 */
static void
S_print_article(struct rctx *rc, int lang, size_t k)
{
	struct print_ed	 *e = rc->ped[lang];
	struct print_art *a = &e->art[k];
	struct mus_tmpl	 *t;
	struct mus_error  err;
	struct buf	  out = BUF_INIT;
	struct tv	**stk = xcalloc(a->nstk, sizeof(*stk)), *o;

	memset(&err, 0, sizeof(err));
	arena_begin();
	rc->print = 1;
	rc->lang = lang;
	rc->page = a->p;
	o = S_print_page(rc, a->p, lang);
	rc->print = 0;
	memcpy(stk, a->stk, a->nstk * sizeof(*stk));
	stk[a->nstk - 1] = o;
	if ((t = S_layout(rc, "print/page")) == NULL) {
		/* said why */
	} else if (mus_render_stack(rc->env, t, stk, a->nstk, a->indent,
	    a->indlen, &out, &err) == -1) {
		S_report_mus(&err);
		rc->failed = 1;
	}
	arena_end();
	free(stk);
	pthread_mutex_lock(&e->lock);
	a->out = out;
	a->done = 1;
	while (e->f != NULL && e->next < e->nart && e->art[e->next].done) {
		a = &e->art[e->next];
		if (a->out.len > 0)
			wfile_put(e->f, a->out.data, a->out.len);
		buf_free(&a->out);
		e->next++;
		S_print_text(e, a->off);
	}
	pthread_mutex_unlock(&e->lock);
}

/* Finishes lang's streamed edition (every article is written) and frees it. */
static void
S_print_end(struct rctx *rc, int lang)
{
	struct print_ed	*e = rc->ped[lang];
	size_t		 i;

	if (e->f != NULL) {
		if (writer_close(e->f) == -1)
			rc->failed = 1;
		rc->st->files++;
		rc->st->pages[lang]++;
	}
	if (lang == 0)
		S_group(rc, e->urls);
	S_free_urls(e->urls);
	for (i = 0; i < e->nart; i++) {
		free(e->art[i].stk);
		free(e->art[i].indent);
		buf_free(&e->art[i].out);
	}
	free(e->art);
	free(e->ent);
	buf_free(&e->skel);
	free(e->items);
	arena_free_detached(e->chunks);
	pthread_mutex_destroy(&e->lock);
	free(e);
	rc->ped[lang] = NULL;
}

static void
S_render_cover(struct rctx *rc)
{
	struct site	*s = rc->s;
	char		*urls[MAXLANG] = { 0 }, *u;
	struct tv	*c, *a, *o;
	size_t		 i;
	int		 lang = s->deflang;

	urls[lang] = xstrdup("index.html");
	c = S_common(rc, lang, "index.html", urls, label_get(s, &s->title, lang),
	    label_get(s, &s->programme, lang));
	a = tv_arr();
	for (i = 0; i < s->nlangs; i++) {
		o = tv_obj();
		S_set_str(o, "lang", s->langs[i]);
		S_set_str(o, "lang_tag", S_lang_tag(s->langs[i]));
		S_set_str(o, "title", label_get(s, &s->title, (int)i));
		S_set_str(o, "programme", label_get(s, &s->programme, (int)i));
		S_set_str(o, "name", S_t(rc, (int)i, "language_name", NULL));
		S_set_str(o, "enter", S_t(rc, (int)i, "enter", NULL));
		S_set_str(o, "not_found", S_t(rc, (int)i, "not_found", NULL));
		S_set_str(o, "not_found_text", S_t(rc, (int)i, "not_found_text",
		    NULL));
		u = xasprintf("%s/index.html", s->langs[i]);
		S_set_str(o, "url", u);
		free(u);
		tv_push(a, o);
	}
	tv_set(c, "editions", a);	/* the 404 page uses it too */
	S_emit(rc, "index.html", "cover", c);
	S_group(rc, urls);
	S_free_urls(urls);

	/*
	 * 404: served at any depth and on any host, so it carries its own
	 * styles (the layout inlines them) and its links are absolute, to
	 * base_url ("/" without one, as on brochure serve); the layout's script
	 * points them at the site's own root where it is served from another.
	 */
	urls[lang] = xstrdup("404.html");
	c = S_common(rc, lang, "404.html", urls, S_t(rc, lang, "not_found", NULL),
	    NULL);
	S_set_str(c, "root", s->base_url ? s->base_url : "/");
	tv_set(c, "canonical", tv_null());
	tv_set(c, "editions", a);
	S_emit(rc, "404.html", "404", c);
	S_free_urls(urls);
}

static void
S_sitemap(struct rctx *rc)
{
	struct site	*s = rc->s;
	struct sitemap	 m;
	struct buf	 b = BUF_INIT;
	size_t		 g, i, k;
	char		**u;

	if (s->base_url == NULL)
		return;
	sitemap_init(&m, s->base_url, SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES,
	    S_put_file, rc);
	for (g = 0; g < rc->ngroups; g++) {
		u = rc->groups + g * MAXLANG;
		for (i = 0; i < s->nlangs; i++) {
			if (u[i] == NULL)
				continue;
			buf_reset(&b);
			buf_puts(&b, "  <url>\n    <loc>");
			S_put_abs(&b, s, u[i]);
			buf_puts(&b, "</loc>\n");
			for (k = 0; k < s->nlangs; k++) {
				if (u[k] == NULL)
					continue;
				buf_puts(&b, "    <xhtml:link rel=\"alternate\" "
				    "hreflang=\"");
				buf_puts(&b, S_lang_tag(s->langs[k]));
				buf_puts(&b, "\" href=\"");
				S_put_abs(&b, s, u[k]);
				buf_puts(&b, "\"/>\n");
			}
			if (u[s->deflang] != NULL) {
				buf_puts(&b, "    <xhtml:link rel=\"alternate\" "
				    "hreflang=\"x-default\" href=\"");
				S_put_abs(&b, s, u[s->deflang]);
				buf_puts(&b, "\"/>\n");
			}
			buf_puts(&b, "  </url>\n");
			sitemap_url(&m, b.data, b.len);
		}
	}
	if (sitemap_finish(&m) == -1)
		rc->failed = 1;
	rc->st->files += m.nfiles;
	buf_free(&b);
}

/* Copies layouts/static/ into the site, keeping relative paths. */
static void
S_static(struct rctx *rc, const char *dir, const char *rel)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*path, *sub, **names = NULL;
	size_t		 n = 0, i;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		sub = *rel ? xasprintf("%s/%s", rel, names[i]) : xstrdup(names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			S_static(rc, path, sub);
		else if (S_ISREG(st.st_mode)) {
			if (writer_copy(rc->w, sub, path) == -1)
				rc->failed = 1;
			rc->st->files++;
		}
		free(path);
		free(sub);
		free(names[i]);
	}
	free(names);
}

/* What every render needs first: the UI strings, the tables by page. */
static void
S_begin(struct rctx *rc, struct site *s, struct writer *w,
    struct render_stats *st)
{
	size_t		 i, k, nslots;

	memset(rc, 0, sizeof(*rc));
	memset(st, 0, sizeof(*st));
	rc->s = s;
	rc->w = w;
	rc->st = st;
	for (i = 0; i < s->nsections; i++)
		for (k = 0; k < sizeof(S_reserved) / sizeof(*S_reserved); k++)
			if (strcmp(s->sections[i]->id, S_reserved[k]) == 0)
				diag_error("content/site.yaml", 0, 0,
				    "section id '%s' is reserved for the site's own "
				    "pages", S_reserved[k]);
	for (i = 0; i < s->nkeep; i++) {
		if (strstr(s->keep[i], "..") != NULL || s->keep[i][0] == '/' ||
		    s->keep[i][0] == '\0')
			diag_error("content/site.yaml", 0, 0, "keep: '%s' must be a "
			    "path inside the output directory", s->keep[i]);
		else
			writer_keep(w, s->keep[i]);
	}
	S_find_pdfs(rc);
	if (!S_load_i18n(rc))
		rc->failed = 1;
	S_check_i18n(rc);
	if (diag_errors() > 0)
		rc->failed = 1;
	nslots = (s->pages.n + 1) * MAXLANG;
	rc->ids = xcalloc(nslots, sizeof(*rc->ids));
	rc->search = S_has_layout(rc, "search");
	if (rc->search)
		rc->stext = xcalloc(nslots, sizeof(*rc->stext));
	rc->nids = xcalloc(nslots, sizeof(*rc->nids));
	rc->env = mus_env_new(S_loader, S_missing, rc);
}

/* Frees what S_begin and the render made, unless the process is exiting
 * (15 ms at 10,000 profiles). Returns render_site's result. */
static int
S_finish(struct rctx *rc, int exiting)
{
	struct site	*s = rc->s;
	size_t		 i, k, nslots = (s->pages.n + 1) * MAXLANG;

	if (exiting && !BR_ASAN)
		return rc->failed || diag_errors() > 0 ? -1 : 0;

	for (i = 0; i < nslots; i++) {
		for (k = 0; k < rc->nids[i]; k++)
			free(rc->ids[i][k]);
		free(rc->ids[i]);
	}
	free(rc->ids);
	free(rc->nids);
	S_search_cleanup(rc);
	for (i = 0; i < rc->ngroups * MAXLANG; i++)
		free(rc->groups[i]);
	free(rc->groups);
	mus_env_free(rc->env);
	for (i = 0; i < MAXLANG; i++) {
		ynode_free(rc->i18n[i]);
		free(rc->nav[i]);
		free(rc->cref[i]);
	}
	free(rc->pref);
	for (i = 0; i < sizeof(rc->kept) / sizeof(*rc->kept); i++)
		arena_free_detached(rc->kept[i]);
	S_free_urls_cache(rc);
	for (i = 0; i < MAXLANG; i++)
		free(rc->pdf[i]);
	return rc->failed || diag_errors() > 0 ? -1 : 0;
}


int
render_site(struct site *s, struct writer *w, struct render_stats *st,
    int exiting)
{
	struct rctx	 rc;
	struct mus_error err;
	size_t		 i;
	char		*dir;
	double		 t;

	S_begin(&rc, s, w, st);
	memset(&err, 0, sizeof(err));
	if (!rc.failed) {
		S_make_urls(&rc);
		if (rc.search)
			S_search_setup(&rc);
		S_make_once(&rc);
		arena_begin();
		S_render_cover(&rc);
		arena_end();
		/* a streamed print edition's skeleton, before the pages
		 * that render its articles; it lists the pages with the
		 * list items, made for it now */
		if (s->nprint > 0 && S_has_layout(&rc, "print/page"))
			S_print_begin_all(&rc);
		/* the pages first: their texts can go before the list items
		 * are made for the list pages */
		t = now_s();
		S_render_pages(&rc);
		st->pages_s = now_s() - t;
		t = now_s();
		if (rc.pref == NULL)
			rc.pref = xcalloc(s->pages.n * MAXLANG + 1,
			    sizeof(*rc.pref));
		S_render_all_lists(&rc);
		st->lists_s = now_s() - t;
		S_group_pages(&rc);
		for (i = 0; s->nprint > 0 && i < s->nlangs; i++)
			if (rc.ped[i] != NULL)
				S_print_end(&rc, (int)i);
			else {
				arena_begin();
				S_render_print(&rc, (int)i);
				arena_end();
			}
		arena_release();
		S_check_anchors(&rc);
		S_sitemap(&rc);
		dir = xasprintf("%s/layouts/static", s->dir);
		S_static(&rc, dir, "");
		free(dir);
	}
	return S_finish(&rc, exiting);
}

int
render_pages(struct site *s, struct writer *w, struct page *const *pages,
    const int *langs, size_t n)
{
	struct rctx		 rc;
	struct render_stats	 st;
	size_t			 i;

	S_begin(&rc, s, w, &st);
	rc.only = 1;
	if (!rc.failed) {
		S_make_urls(&rc);
		S_make_once(&rc);
		for (i = 0; i < n; i++)
			if (pages[i]->tr[langs[i]] != NULL)
				S_render_page(&rc, pages[i], langs[i]);
		arena_release();
	}
	/* the links to headings wait for the full build */
	for (i = 0; i < rc.narefs; i++) {
		free(rc.arefs[i].anchor);
		free(rc.arefs[i].path);
	}
	free(rc.arefs);
	rc.arefs = NULL;
	rc.narefs = 0;
	return S_finish(&rc, 0);
}

void
render_translation_table(struct site *s, FILE *f)
{
	struct rctx	 rc;
	struct page	*p;
	struct buf	 miss = BUF_INIT;
	size_t		 i, k, j, done[MAXLANG] = { 0 }, w = 4;
	char		*la, *lb;

	memset(&rc, 0, sizeof(rc));
	rc.s = s;
	S_load_i18n(&rc);
	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		k = strlen(p->sec->id) + strlen(p->id) + 1;
		if (k > w)
			w = k;
	}
	fprintf(f, "%-*s", (int)w, "page");
	for (k = 0; k < s->nlangs; k++)
		fprintf(f, "  %-3s", s->langs[k]);
	fputc('\n', f);
	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		la = xasprintf("%s/%s", p->sec->id, p->id);
		fprintf(f, "%-*s", (int)w, la);
		free(la);
		for (k = 0; k < s->nlangs; k++) {
			fprintf(f, "  %-3s", p->tr[k] ? "yes" : "—");
			if (p->tr[k])
				done[k]++;
		}
		fputc('\n', f);
	}
	fprintf(f, "%-*s", (int)w, "pages");
	for (k = 0; k < s->nlangs; k++)
		fprintf(f, "  %-3zu", done[k]);
	fputc('\n', f);
	for (k = 0; k < s->nlangs; k++) {
		for (j = 0; j < s->nlangs; j++) {
			if (j == k || rc.i18n[j] == NULL)
				continue;
			la = xasprintf("layouts/i18n/%s.yaml", s->langs[j]);
			lb = xasprintf("layouts/i18n/%s.yaml", s->langs[k]);
			S_i18n_diff(rc.i18n[j], rc.i18n[k], "", la, lb, 0, &miss);
			free(la);
			free(lb);
		}
		fprintf(f, "UI strings missing in %s: %s\n", s->langs[k],
		    rc.i18n[k] == NULL ? "all (no file)" :
		    miss.len ? miss.data : "none");
		buf_reset(&miss);
	}
	buf_free(&miss);
	for (i = 0; i < MAXLANG; i++)
		ynode_free(rc.i18n[i]);
	arena_free_detached(rc.kept[KEPT_I18N]);
}

void
render_source_notes(struct site *s, FILE *f)
{
	const struct trans *t;
	const struct ynode *v;
	struct buf	 b = BUF_INIT;
	size_t		 i, k, n = 0;

	for (i = 0; i < s->pages.n; i++)
		for (k = 0; k < s->nlangs; k++) {
			t = s->pages.v[i]->tr[k];
			if (t == NULL || t->source_note == NULL)
				continue;
			v = ymap_get(t->src->fm, "source");
			if (n++ == 0)
				fprintf(f, "source notes (shown on LANG/about-data/, "
				    "not on the pages):\n");
			/* one line each, whatever the note holds */
			buf_reset(&b);
			for (const char *p = t->source_note; *p; p++)
				buf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
			fprintf(f, "%s:%d:%d: note: %s\n", t->src->path,
			    v ? v->line : 0, v ? v->col : 0, b.data ? b.data : "");
		}
	if (n == 0)
		fprintf(f, "source notes: none\n");
	buf_free(&b);
}
