/*
 * build.c - one run of the pipeline: load and model, render, write.
 *
 * brochure build and check call it once; the preview server calls it on
 * every change, so it leaves nothing behind: the model is freed, the
 * diagnostics are the caller's to flush or read.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "diag.h"
#include "load.h"
#include "geo.h"
#include "image.h"
#include "model.h"
#include "render.h"
#include "util.h"
#include "write.h"

static void
S_errors_line(void)
{
	int	 e = diag_errors(), w = diag_warnings();

	if (e || w)
		fprintf(stderr, "brochure: %d error%s, %d warning%s\n", e,
		    e == 1 ? "" : "s", w, w == 1 ? "" : "s");
}

/* Reports a build that stopped on content errors, unless kept pending. */
static void
S_failed(const struct build_opts *o, const char *out)
{
	if (o->keep_diag)
		return;
	diag_flush();
	S_errors_line();
	if (!o->dry)
		fprintf(stderr, "brochure: nothing written; %s is as it was\n",
		    out);
}

int
build_run(const struct build_opts *o, struct build_result *res)
{
	struct site		*s;
	struct writer		*w = NULL;
	struct render_stats	 rs;
	struct write_stats	 ws;
	struct stat		 st;
	char			*out, *content;
	double			 t0 = now_s(), t1, t2, t3, load_s;
	size_t			 i, nimages;
	struct geo		*geo;
	int			 rc = 0;

	memset(res, 0, sizeof(*res));
	content = xasprintf("%s/content", o->dir);
	if (stat(content, &st) == -1 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "brochure: %s: no content directory (is -C right?)\n",
		    content);
		free(content);
		return 2;
	}
	free(content);
	diag_set_strict(o->strict);
	out = o->out ? xstrdup(o->out) : xasprintf("%s/site", o->dir);
	s = site_load(o->dir);
	t1 = now_s();
	load_s = s->load_s;
	res->load_s = load_s;
	res->model_s = t1 - t0 - load_s;
	if (diag_errors() > 0) {
		S_failed(o, out);
		free(out);
		site_free(s);
		return 1;
	}
	if ((w = writer_new(out, o->dry)) == NULL) {
		if (!o->keep_diag)
			diag_flush();
		free(out);
		site_free(s);
		return 2;
	}
	if (o->keep)
		writer_track(w);
	nimages = 0;
	image_build(s, w, o->dry, &nimages);
	geo = xcalloc(1, sizeof(*geo));
	if (geo_load(geo, o->dir) == 0)
		nimages += geo_write_assets(geo, s, w);
	s->geo = geo;
	render_site(s, w, &rs, o->exiting);
	rs.files += nimages;
	t2 = now_s();
	res->render_s = t2 - t1;
	if (diag_errors() > 0) {
		/* a disk that failed us is the environment's error, not the
		 * content's */
		rc = writer_failed(w) ? 2 : 1;
		writer_abort(w);
		S_failed(o, out);
	} else if (writer_commit(w, &ws) == -1) {
		if (!o->keep_diag)
			diag_flush();
		rc = 2;
	}
	t3 = now_s();
	res->write_s = t3 - t2;
	res->total_s = t3 - t0;
	if (!o->keep_diag)
		diag_flush();
	if (rc == 0) {
		for (i = 0; i < s->nlangs; i++)
			res->pages += rs.pages[i];
		res->files = rs.files;
		res->written = ws.written;
	}
	if (rc == 0 && o->table != NULL) {
		render_translation_table(s, o->table);
		render_source_notes(s, o->table);
	}
	if (rc == 0 && !o->quiet) {
		S_errors_line();
		fprintf(stderr, "brochure: %s ", o->dry ? "checked" : "built");
		for (i = 0; i < s->nlangs; i++)
			fprintf(stderr, "%s%zu %s pages", i ? ", " : "", rs.pages[i],
			    s->langs[i]);
		if (!o->dry)
			fprintf(stderr, "; %zu files (%zu written, %zu unchanged, "
			    "%zu removed)", rs.files, ws.written, ws.unchanged,
			    ws.removed);
		fprintf(stderr, " in %.2f s\n", t3 - t0);
	}
	if (o->timings)
		fprintf(stderr, "timings: load %.3f s, model %.3f s, render %.3f s "
		    "(pages %.3f s, lists %.3f s, the rest %.3f s; writing files "
		    "included), write %.3f s (renames, stale files), total %.3f s\n",
		    load_s, t1 - t0 - load_s, t2 - t1, rs.pages_s, rs.lists_s,
		    t2 - t1 - rs.pages_s - rs.lists_s, t3 - t2, t3 - t0);
	free(out);
	if (o->exiting && !BR_ASAN)
		return rc;
	if (rc == 0 && o->keep)
		res->wrote = writer_wrote(w, &res->nwrote);
	writer_free(w);
	if (rc == 0 && o->keep)
		res->site = s;
	else
		build_site_free(s);
	return rc;
}

void
build_site_free(struct site *s)
{
	if (s == NULL)
		return;
	if (s->geo != NULL) {
		geo_free(s->geo);
		free(s->geo);
	}
	site_free(s);
}

int
build_pages(const struct build_opts *o, struct site *s, char *const *paths,
    size_t n, char ***wrote, size_t *nwrote)
{
	struct page	**pv = xcalloc(n + 1, sizeof(*pv));
	struct source	**nv = xcalloc(n + 1, sizeof(*nv));
	struct source	**ov = xcalloc(n + 1, sizeof(*ov));
	int		 *lv = xcalloc(n + 1, sizeof(*lv));
	struct writer	 *w;
	struct write_stats ws;
	char		 *full, *out;
	size_t		  i, k, got = 0;
	int		  lang, ok = n > 0;

	*wrote = NULL;
	*nwrote = 0;
	for (i = 0; i < n && ok; i++) {
		for (k = 0; k < s->pages.n && got == i; k++)
			for (lang = 0; lang < (int)s->nlangs; lang++)
				if (s->pages.v[k]->tr[lang] != NULL &&
				    strcmp(s->pages.v[k]->tr[lang]->src->path,
				    paths[i]) == 0) {
					pv[got] = s->pages.v[k];
					lv[got++] = lang;
					break;
				}
		if (got == i) {
			ok = 0;
			break;
		}
		ov[i] = pv[i]->tr[lv[i]]->src;
		full = xasprintf("%s/%s", o->dir, paths[i]);
		nv[i] = load_page(full, paths[i], s->source_encoding);
		free(full);
		ok = nv[i] != NULL && nv[i]->fm_hash == ov[i]->fm_hash;
	}
	for (i = 0; i < got && ok; i++)
		pv[i]->tr[lv[i]]->src = nv[i];
	if (ok) {
		out = o->out ? xstrdup(o->out) : xasprintf("%s/site", o->dir);
		if ((w = writer_new(out, 0)) == NULL)
			ok = 0;
		else {
			writer_partial(w);
			writer_track(w);
			ok = render_pages(s, w, pv, lv, got) == 0 &&
			    diag_errors() == 0 && diag_warnings() == 0;
			if (ok)
				ok = writer_commit(w, &ws) == 0;
			else
				writer_abort(w);
			if (ok)
				*wrote = writer_wrote(w, nwrote);
			writer_free(w);
		}
		free(out);
		for (i = 0; i < got; i++)
			pv[i]->tr[lv[i]]->src = ov[i];
	}
	for (i = 0; i < n; i++)
		source_free(nv[i]);
	free(pv);
	free(nv);
	free(ov);
	free(lv);
	diag_reset();
	return ok;
}
