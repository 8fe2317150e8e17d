/*
 * geo.c - the maps (see geo.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "fmt.h"
#include "geo.h"
#include "model.h"
#include "util.h"
#include "write.h"

static const char *const S_names[GEO__MAX] = { "europe", "china" };

/*
 * How each kind of partnership is drawn: colour and dash pattern, written
 * as attributes so that the map looks the same wherever it is drawn
 * (WeasyPrint's SVG reads no stylesheet); the site's CSS may override.
 */
static const struct { const char *kind, *stroke, *dash; } S_kinds[] = {
	{ "pilot-project", "#0a4b84", NULL },
	{ "sister-cities", "#0f7a5c", "1 3" },
	{ "case-study", "#8a5a00", "8 3" },
	{ "u-cap", "#7a3d8a", "6 3 1 3" },
	{ "study-visit", "#6b7785", "3 3" },
	{ "partner", "#4d5868", "14 4" },
};

/* A marker's fill by its section: Europe's cities, its regions, China. */
static const char *
S_fill(const char *section)
{
	return strcmp(section, "regions") == 0 ? "#8a5a00" :
	    strcmp(section, "china") == 0 ? "#b3261e" : "#0a4b84";
}

/* The programme map's frame: the two panels side by side, a gap between. */
#define PM_GAP		40.0
#define PM_LEGEND	44.0
#define PM_FONT		11.0
#define PM_R		4.5

static char *
S_jstr(json_t *o, const char *k)
{
	const char	*v = json_string_value(json_object_get(o, k));

	return v ? xstrdup(v) : NULL;
}

static double
S_jnum(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static int
S_load_panel(struct geo_panel *p, const char *dir, const char *name)
{
	char		*file = xasprintf("%s/layouts/geo/%s.json", dir, name);
	char		*shown = xasprintf("layouts/geo/%s.json", name);
	json_error_t	 err;
	json_t		*root, *pr, *c, *v;
	const char	*k;
	int		 rc = -1;

	if ((root = json_load_file(file, 0, &err)) == NULL) {
		diag_error(shown, err.line, err.column, "cannot read the map: %s",
		    err.text);
		goto done;
	}
	pr = json_object_get(root, "projection");
	p->name = xstrdup(name);
	p->laea = json_is_string(json_object_get(pr, "type")) &&
	    strcmp(json_string_value(json_object_get(pr, "type")), "laea") == 0;
	p->lon0 = S_jnum(pr, "lon0");
	p->lat0 = S_jnum(pr, "lat0");
	p->lat1 = S_jnum(pr, "lat1");
	p->lat2 = S_jnum(pr, "lat2");
	p->minx = S_jnum(root, "minx");
	p->maxy = S_jnum(root, "maxy");
	p->scale = S_jnum(root, "scale");
	p->width = (int)json_integer_value(json_object_get(root, "width"));
	p->height = (int)json_integer_value(json_object_get(root, "height"));
	p->land = S_jstr(root, "land");
	p->borders = S_jstr(root, "borders");
	if (p->land == NULL || p->borders == NULL || p->width <= 0 ||
	    p->height <= 0 || p->scale <= 0) {
		diag_error(shown, 0, 0, "not a map panel: it needs land, borders, "
		    "width, height and scale (make geo writes it)");
		json_decref(root);
		goto done;
	}
	c = json_object_get(root, "countries");
	p->codes = xcalloc(json_object_size(c) + 1, sizeof(*p->codes));
	p->outlines = xcalloc(json_object_size(c) + 1, sizeof(*p->outlines));
	json_object_foreach(c, k, v) {
		if (!json_is_string(v))
			continue;
		p->codes[p->ncountries] = xstrdup(k);
		p->outlines[p->ncountries++] = xstrdup(json_string_value(v));
	}
	json_decref(root);
	rc = 0;
done:
	free(file);
	free(shown);
	return rc;
}

/*---- Simplified outlines, for the small maps ---------------------------------*/

/* Pixels of the panel a point may be off the line it is dropped from. */
#define GEO_SMALL_TOL	0.8

struct pt {
	double	 x, y;
};

/* The distance of p from the segment a-b, squared. */
static double
S_seg_dist2(struct pt p, struct pt a, struct pt b)
{
	double	 dx = b.x - a.x, dy = b.y - a.y, t, l2 = dx * dx + dy * dy;

	if (l2 > 0) {
		t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
		a.x += t * dx;
		a.y += t * dy;
	}
	return (p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y);
}

/* Douglas-Peucker: keep[i] set for the points of v[0..n) to keep. */
static void
S_dp(const struct pt *v, size_t n, double tol2, unsigned char *keep)
{
	size_t	*stack = xcalloc(2 * n + 2, sizeof(*stack)), sp = 0, a, b, i,
		 far;
	double	 d, dmax;

	keep[0] = keep[n - 1] = 1;
	stack[sp++] = 0;
	stack[sp++] = n - 1;
	while (sp > 0) {
		b = stack[--sp];
		a = stack[--sp];
		dmax = 0;
		far = a;
		for (i = a + 1; i < b; i++)
			if ((d = S_seg_dist2(v[i], v[a], v[b])) > dmax) {
				dmax = d;
				far = i;
			}
		if (dmax > tol2) {
			keep[far] = 1;
			stack[sp++] = a;
			stack[sp++] = far;
			stack[sp++] = far;
			stack[sp++] = b;
		}
	}
	free(stack);
}

/* A coordinate as the panels write them: one decimal, none when whole. */
static void
S_coord(struct buf *b, double v)
{
	size_t	 from = b->len, n;
	char	*s;

	buf_put_fixed(b, v, 1);
	s = b->data + from;
	n = b->len - from;
	if (n > 2 && s[n - 1] == '0' && s[n - 2] == '.')
		n -= 2;
	if (n == 2 && s[0] == '-' && s[1] == '0') {
		s[0] = '0';	/* "-0.0" */
		n = 1;
	}
	b->len = from + n;
	b->data[b->len] = '\0';
}

static void
S_ring(struct buf *out, const struct pt *v, size_t n, int closed, double tol)
{
	unsigned char	*keep;
	size_t		 i, kept = 0;

	if (n < 2)
		return;
	keep = xcalloc(n, 1);
	S_dp(v, n, tol * tol, keep);
	for (i = 0; i < n; i++)
		kept += keep[i];
	/* a ring smaller than the tolerance is not drawn */
	if (!(closed && kept < 3)) {
		for (i = 0, kept = 0; i < n; i++) {
			if (!keep[i])
				continue;
			buf_putc(out, kept++ ? 'L' : 'M');
			S_coord(out, v[i].x);
			buf_putc(out, ' ');
			S_coord(out, v[i].y);
		}
		if (closed)
			buf_putc(out, 'Z');
	}
	free(keep);
}

/*
 * Path data of M, L and Z commands with fewer points: none farther than
 * tol from the line kept. Any other command: the path as it is.
 */
static char *
S_simplify(const char *d, double tol)
{
	struct buf	 out = BUF_INIT;
	struct pt	*v = NULL;
	size_t		 n = 0, cap = 0;
	const char	*s = d;
	char		*end;
	int		 cmd = 0;

	while (*s) {
		while (*s == ' ' || *s == ',' || *s == '\n')
			s++;
		if (*s == '\0')
			break;
		if (*s == 'M' || *s == 'L' || *s == 'Z') {
			cmd = *s++;
			if (cmd == 'M' || cmd == 'Z') {
				S_ring(&out, v, n, cmd == 'Z', tol);
				n = 0;
			}
			continue;
		}
		if (cmd != 'M' && cmd != 'L')
			goto verbatim;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].x = strtod(s, &end);
		if (end == s)
			goto verbatim;
		s = end;
		while (*s == ' ' || *s == ',')
			s++;
		v[n].y = strtod(s, &end);
		if (end == s)
			goto verbatim;
		s = end;
		n++;
	}
	S_ring(&out, v, n, 0, tol);
	free(v);
	return out.len ? buf_detach(&out) : xstrdup("");
verbatim:
	free(v);
	buf_free(&out);
	return xstrdup(d);
}

int
geo_load(struct geo *g, const char *dir)
{
	char	*d = xasprintf("%s/layouts/geo", dir);
	int	 i, there = access(d, F_OK) == 0;

	free(d);
	memset(g, 0, sizeof(*g));
	if (!there)
		return 0;
	for (i = 0; i < GEO__MAX; i++)
		if (S_load_panel(&g->p[i], dir, S_names[i]) != 0)
			return -1;
	g->ok = 1;
	return 0;
}

void
geo_free(struct geo *g)
{
	size_t	 i, k;

	for (i = 0; i < GEO__MAX; i++) {
		free(g->p[i].name);
		free(g->p[i].land);
		free(g->p[i].borders);
		for (k = 0; k < g->p[i].ncountries; k++) {
			free(g->p[i].codes[k]);
			free(g->p[i].outlines[k]);
		}
		free(g->p[i].codes);
		free(g->p[i].outlines);
	}
	memset(g, 0, sizeof(*g));
}

int
geo_panel_of(const char *country)
{
	return country != NULL && strcmp(country, "CN") == 0 ? GEO_CHINA :
	    GEO_EUROPE;
}

/* The same formulas as src/geo/derive.mjs, which drew the land. */
void
geo_project(const struct geo *g, int i, double lat, double lon, double *x,
    double *y)
{
	const struct geo_panel *p = &g->p[i];
	const double	 rad = 3.14159265358979323846 / 180;
	double		 px, py;

	if (p->laea) {
		double	 f0 = p->lat0 * rad, f = lat * rad;
		double	 dl = (lon - p->lon0) * rad;
		double	 k = sqrt(2 / (1 + sin(f0) * sin(f) + cos(f0) * cos(f) *
			    cos(dl)));

		px = k * cos(f) * sin(dl);
		py = k * (cos(f0) * sin(f) - sin(f0) * cos(f) * cos(dl));
	} else {
		double	 f1 = p->lat1 * rad, f2 = p->lat2 * rad;
		double	 n = (sin(f1) + sin(f2)) / 2;
		double	 c = cos(f1) * cos(f1) + 2 * n * sin(f1);
		double	 r0 = sqrt(c - 2 * n * sin(p->lat0 * rad)) / n;
		double	 r = sqrt(c - 2 * n * sin(lat * rad)) / n;
		double	 t = n * (lon - p->lon0) * rad;

		px = r * sin(t);
		py = r0 - r * cos(t);
	}
	*x = (px - p->minx) * p->scale;
	*y = (p->maxy - py) * p->scale;
}

static const char *
S_outline(const struct geo_panel *p, const char *code)
{
	size_t	 i;

	for (i = 0; code != NULL && i < p->ncountries; i++)
		if (strcmp(p->codes[i], code) == 0)
			return p->outlines[i];
	return NULL;
}

size_t
geo_write_assets(const struct geo *g, const struct site *s, struct writer *w)
{
	struct buf	 b = BUF_INIT;
	char		*rel;
	const char	*o;
	size_t		 i, k, n = 0;
	int		 j;

	if (!g->ok)
		return 0;
	for (j = 0; j < GEO__MAX; j++) {
		const struct geo_panel *p = &g->p[j];
		/* drawn a few centimetres wide: a point within GEO_SMALL_TOL
		 * pixels of the line is left out (a third of the points) */
		char	*land = S_simplify(p->land, GEO_SMALL_TOL);
		char	*borders = S_simplify(p->borders, GEO_SMALL_TOL);

		buf_reset(&b);
		buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n"
		    "<rect width=\"%d\" height=\"%d\" fill=\"#e4eef6\"/>\n"
		    "<path d=\"%s\" fill=\"#f3f0e8\" stroke=\"#8b9aab\" "
		    "stroke-width=\"0.6\" stroke-linejoin=\"round\"/>\n"
		    "<path d=\"%s\" fill=\"none\" stroke=\"#a9b5c2\" "
		    "stroke-width=\"0.6\" stroke-dasharray=\"2 1.5\"/>\n</svg>\n",
		    p->width, p->height, p->width, p->height, p->width, p->height,
		    land, borders);
		rel = xasprintf("assets/maps/%s.svg", p->name);
		writer_put(w, rel, b.data, b.len);
		free(rel);
		free(land);
		free(borders);
		n++;
	}
	/* a country shaded, for each European country with a pilot */
	for (i = 0; i < s->pages.n; i++) {
		const struct page *p = s->pages.v[i];

		if (p->kind != PK_PROFILE || !p->has_coords ||
		    geo_panel_of(p->country) != GEO_EUROPE ||
		    (o = S_outline(&g->p[GEO_EUROPE], p->country)) == NULL)
			continue;
		rel = xasprintf("assets/maps/europe-%s.svg", p->country);
		for (k = 0; k < i; k++)
			if (s->pages.v[k]->kind == PK_PROFILE &&
			    s->pages.v[k]->has_coords && s->pages.v[k]->country &&
			    strcmp(s->pages.v[k]->country, p->country) == 0)
				break;
		if (k == i) {
			char *so = S_simplify(o, GEO_SMALL_TOL);

			buf_reset(&b);
			buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n"
			    "<path d=\"%s\" fill=\"#0a4b84\" fill-opacity=\"0.28\" "
			    "stroke=\"#0a4b84\" stroke-width=\"1\"/>\n</svg>\n",
			    g->p[GEO_EUROPE].width, g->p[GEO_EUROPE].height,
			    g->p[GEO_EUROPE].width, g->p[GEO_EUROPE].height, so);
			writer_put(w, rel, b.data, b.len);
			free(so);
			n++;
		}
		free(rel);
	}
	buf_free(&b);
	return n;
}

/*---- The programme map --------------------------------------------------*/

double
geo_text_em(const char *s)
{
	double	 em = 0;
	size_t	 n;
	int32_t	 c;

	while (*s) {
		unsigned char	 u = (unsigned char)*s;

		if (u < 0x80) {
			em += u == ' ' ? 0.28 : (u >= 'A' && u <= 'Z') ? 0.66 :
			    (u == 'i' || u == 'l' || u == 'j' || u == '\'' ||
			    u == '.' || u == ',' || u == '-') ? 0.3 : 0.56;
			s++;
			continue;
		}
		/* a multibyte character: CJK is a full em, the rest Latin */
		n = (u & 0xE0) == 0xC0 ? 2 : (u & 0xF0) == 0xE0 ? 3 : 4;
		c = 0;
		for (size_t k = 0; k < n && s[k]; k++)
			c = (c << 6) | (s[k] & 0x3F);
		em += n >= 3 && c >= 0x2E80 ? 1.0 : 0.6;
		for (size_t k = 0; k < n && *s; k++)
			s++;
	}
	return em;
}

struct box {
	double	 x0, y0, x1, y1;
};

static int
S_overlap(const struct box *a, const struct box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Boxes in a grid of 48-pixel cells, so that a placement looks at its
 * neighbours only. */
#define CELL	48
struct grid {
	struct box	**cell;		/* per cell, a list */
	size_t		 *n, *cap;
	int		  cols, rows;
};

static void
S_grid_init(struct grid *g, double w, double h)
{
	g->cols = (int)(w / CELL) + 2;
	g->rows = (int)(h / CELL) + 2;
	g->cell = xcalloc((size_t)(g->cols * g->rows), sizeof(*g->cell));
	g->n = xcalloc((size_t)(g->cols * g->rows), sizeof(*g->n));
	g->cap = xcalloc((size_t)(g->cols * g->rows), sizeof(*g->cap));
}

static int
S_clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The cells box b covers: columns c[0]..c[1], rows r[0]..r[1]. */
static void
S_grid_span(const struct grid *g, const struct box *b, int *c, int *r)
{
	c[0] = S_clampi((int)(b->x0 / CELL), 0, g->cols - 1);
	c[1] = S_clampi((int)(b->x1 / CELL), 0, g->cols - 1);
	r[0] = S_clampi((int)(b->y0 / CELL), 0, g->rows - 1);
	r[1] = S_clampi((int)(b->y1 / CELL), 0, g->rows - 1);
}

static void
S_grid_add(struct grid *g, const struct box *b)
{
	int	 cs[2], rs[2], r, c, k;

	S_grid_span(g, b, cs, rs);
	for (r = rs[0]; r <= rs[1]; r++)
		for (c = cs[0]; c <= cs[1]; c++) {
			k = r * g->cols + c;
			if (g->n[k] == g->cap[k]) {
				g->cap[k] = g->cap[k] ? g->cap[k] * 2 : 4;
				g->cell[k] = xrealloc(g->cell[k], g->cap[k] *
				    sizeof(**g->cell));
			}
			g->cell[k][g->n[k]++] = *b;
		}
}

static int
S_grid_hits(const struct grid *g, const struct box *b)
{
	int	 cs[2], rs[2], r, c;
	size_t	 i, k;

	S_grid_span(g, b, cs, rs);
	for (r = rs[0]; r <= rs[1]; r++)
		for (c = cs[0]; c <= cs[1]; c++) {
			k = (size_t)(r * g->cols + c);
			for (i = 0; i < g->n[k]; i++)
				if (S_overlap(&g->cell[k][i], b))
					return 1;
		}
	return 0;
}

static void
S_grid_free(struct grid *g)
{
	int	 i;

	for (i = 0; i < g->cols * g->rows; i++)
		free(g->cell[i]);
	free(g->cell);
	free(g->n);
	free(g->cap);
}

struct marker {
	const struct page	*page;
	const struct entity	*ent;	/* an external place, or NULL */
	double			 x, y;	/* in the whole map */
	int			 panel;
};

/* Where each pilot and each external place of a partnership lies. */
static struct marker *
S_markers(const struct geo *g, const struct site *s, double *ox, double *oy,
    size_t *nm)
{
	struct marker	*m = xcalloc(s->pages.n + s->nentities + 1, sizeof(*m));
	size_t		 i, n = 0;
	double		 x, y;
	int		 j;

	for (i = 0; i < s->pages.n; i++) {
		const struct page *p = s->pages.v[i];

		if (p->kind != PK_PROFILE || !p->has_coords)
			continue;
		j = geo_panel_of(p->country);
		geo_project(g, j, p->lat, p->lon, &x, &y);
		m[n].page = p;
		m[n].x = x + ox[j];
		m[n].y = y + oy[j];
		m[n++].panel = j;
	}
	for (i = 0; i < s->nentities; i++) {
		const struct entity *e = s->entities[i];
		size_t	 k;

		if (e->page != NULL || !e->has_coords)
			continue;
		for (k = 0; k < s->nedges; k++)
			if (s->edges[k]->a == e || s->edges[k]->b == e)
				break;
		if (k == s->nedges)
			continue;
		j = geo_panel_of(e->country);
		geo_project(g, j, e->lat, e->lon, &x, &y);
		m[n].ent = e;
		m[n].x = x + ox[j];
		m[n].y = y + oy[j];
		m[n++].panel = j;
	}
	*nm = n;
	return m;
}

/* The marker of each entity, by its index: a look-up per edge. */
static const struct marker **
S_marker_index(const struct marker *m, size_t n, const struct site *s)
{
	const struct marker **ix = xcalloc(s->nentities + 1, sizeof(*ix));
	const struct entity *e;
	size_t		 i;

	for (i = 0; i < n; i++) {
		e = m[i].page != NULL ? m[i].page->ent : m[i].ent;
		if (e != NULL)
			ix[e->index] = &m[i];
	}
	return ix;
}

void
geo_programme_map(const struct geo *g, const struct site *s, int lang,
    const char *root, const char *(*url)(void *, const struct page *),
    void *ud, const char *title, struct buf *b)
{
	/* label positions around a marker: dx, dy of the baseline, anchor */
	static const struct { double dx, dy; int anchor; } at[] = {
		{ PM_R + 3, 4, 0 }, { -(PM_R + 3), 4, 2 }, { 0, -(PM_R + 4), 1 },
		{ 0, PM_R + PM_FONT + 2, 1 }, { PM_R + 2, -(PM_R + 1), 0 },
		{ PM_R + 2, PM_R + PM_FONT, 0 }, { -(PM_R + 2), -(PM_R + 1), 2 },
		{ -(PM_R + 2), PM_R + PM_FONT, 2 },
	};
	static const char *const anchors[] = { "start", "middle", "end" };
	double		 ox[GEO__MAX], oy[GEO__MAX], w, h, x, y, tw;
	struct marker	*m;
	const struct marker **ix;
	struct grid	 grid;
	struct box	 bx;
	size_t		 nm, i, k;
	int		 j, placed, first;
	const char	*name, *u;

	/* Europe on the left in English, China on the left in Chinese */
	first = fmt_is_zh(s->langs[lang]) ? GEO_CHINA : GEO_EUROPE;
	ox[first] = 0;
	ox[1 - first] = g->p[first].width + PM_GAP;
	h = g->p[GEO_EUROPE].height > g->p[GEO_CHINA].height ?
	    g->p[GEO_EUROPE].height : g->p[GEO_CHINA].height;
	oy[GEO_CHINA] = (h - g->p[GEO_CHINA].height) / 2;
	oy[GEO_EUROPE] = (h - g->p[GEO_EUROPE].height) / 2;
	w = g->p[GEO_EUROPE].width + PM_GAP + g->p[GEO_CHINA].width;
	m = S_markers(g, s, ox, oy, &nm);

	buf_printf(b, "<svg class=\"programme-map\" viewBox=\"0 0 %.0f %.0f\" "
	    "role=\"group\" aria-labelledby=\"pm-title\" font-family=\"%s\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"pm-title\">",
	    w, h + PM_LEGEND, fmt_is_zh(s->langs[lang]) ?
	    "Noto Sans CJK SC Print, Noto Sans CJK SC, Source Han Sans SC, "
	    "sans-serif" :
	    "Liberation Sans, Noto Sans, Arial, sans-serif");
	buf_put_html(b, title, strlen(title));
	buf_puts(b, "</title>\n<defs>");
	for (j = 0; j < GEO__MAX; j++)
		buf_printf(b, "<clipPath id=\"pm-clip-%s\"><rect x=\"0\" y=\"0\" "
		    "width=\"%d\" height=\"%d\"/></clipPath>", g->p[j].name,
		    g->p[j].width, g->p[j].height);
	buf_puts(b, "</defs>\n");
	/* the panels: sea, land, borders */
	for (j = 0; j < GEO__MAX; j++) {
		buf_printf(b, "<g class=\"panel panel-%s\" transform=\"translate("
		    "%.0f %.0f)\" clip-path=\"url(#pm-clip-%s)\">\n<rect class=\"sea\" "
		    "width=\"%d\" height=\"%d\" fill=\"#e4eef6\"/>\n"
		    "<path class=\"land\" d=\"%s\" fill=\"#f3f0e8\" "
		    "stroke=\"#8b9aab\" stroke-width=\"0.6\"/>\n"
		    "<path class=\"borders\" d=\"%s\" fill=\"none\" "
		    "stroke=\"#a9b5c2\" stroke-width=\"0.6\" "
		    "stroke-dasharray=\"2 1.5\"/>\n</g>\n", g->p[j].name,
		    ox[j], oy[j], g->p[j].name, g->p[j].width, g->p[j].height,
		    g->p[j].land, g->p[j].borders);
	}
	/* partnerships between the panels */
	ix = S_marker_index(m, nm, s);
	buf_puts(b, "<g class=\"links\">\n");
	for (i = 0; i < s->nedges; i++) {
		const struct marker *a = ix[s->edges[i]->a->index];
		const struct marker *z = ix[s->edges[i]->b->index];

		if (a == NULL || z == NULL || a->panel == z->panel)
			continue;
		for (k = 0; k + 1 < sizeof(S_kinds) / sizeof(*S_kinds) &&
		    strcmp(S_kinds[k].kind, s->edges[i]->kind) != 0; k++)
			;
		/* a partnership each: printf's "%.1f" is too dear here */
		buf_puts(b, "<line class=\"");
		buf_puts(b, s->edges[i]->kind);
		buf_puts(b, "\" x1=\"");
		buf_put_fixed(b, a->x, 1);
		buf_puts(b, "\" y1=\"");
		buf_put_fixed(b, a->y, 1);
		buf_puts(b, "\" x2=\"");
		buf_put_fixed(b, z->x, 1);
		buf_puts(b, "\" y2=\"");
		buf_put_fixed(b, z->y, 1);
		buf_puts(b, "\" stroke=\"");
		buf_puts(b, S_kinds[k].stroke);
		buf_puts(b, "\" stroke-width=\"1.1\" stroke-opacity=\"0.6\"");
		if (S_kinds[k].dash != NULL) {
			buf_puts(b, " stroke-dasharray=\"");
			buf_puts(b, S_kinds[k].dash);
			buf_putc(b, '"');
		}
		buf_puts(b, "/>\n");
	}
	buf_puts(b, "</g>\n");
	/* markers: a pilot links to its page; an external place has a title */
	S_grid_init(&grid, w, h);
	for (i = 0; i < nm; i++) {
		bx.x0 = m[i].x - PM_R - 1;
		bx.y0 = m[i].y - PM_R - 1;
		bx.x1 = m[i].x + PM_R + 1;
		bx.y1 = m[i].y + PM_R + 1;
		S_grid_add(&grid, &bx);
	}
	buf_puts(b, "<g class=\"markers\">\n");
	for (i = 0; i < nm; i++) {
		if (m[i].page != NULL) {
			name = label_get(s, &m[i].page->name, lang);
			u = url(ud, m[i].page);
			buf_puts(b, "<a href=\"");
			buf_put_html(b, root, strlen(root));
			buf_put_html(b, u, strlen(u));
			/* a pilot each: printf's "%.1f" is too dear here */
			buf_puts(b, "\"><circle class=\"pilot sec-");
			buf_puts(b, m[i].page->sec->id);
			buf_puts(b, "\" cx=\"");
			buf_put_fixed(b, m[i].x, 1);
			buf_puts(b, "\" cy=\"");
			buf_put_fixed(b, m[i].y, 1);
			buf_puts(b, "\" r=\"");
			buf_put_fixed(b, PM_R, 1);
			buf_puts(b, "\" fill=\"");
			buf_puts(b, S_fill(m[i].page->sec->id));
			buf_puts(b, "\" stroke=\"#fff\" stroke-width=\"1.2\"><title>");
			buf_put_html(b, name, strlen(name));
			buf_puts(b, "</title></circle></a>\n");
		} else {
			name = label_get(s, &m[i].ent->name, lang);
			buf_printf(b, "<circle class=\"place\" cx=\"%.1f\" cy=\"%.1f\" "
			    "r=\"%.1f\" fill=\"#fff\" stroke=\"#4d5868\" "
			    "stroke-width=\"1.2\"><title>", m[i].x, m[i].y, PM_R - 1.5);
			buf_put_html(b, name, strlen(name));
			buf_puts(b, "</title></circle>\n");
		}
	}
	buf_puts(b, "</g>\n<g class=\"labels\" aria-hidden=\"true\">\n");
	/* labels, pilots only: the first position that is free */
	for (i = 0; i < nm; i++) {
		if (m[i].page == NULL)
			continue;
		name = label_get(s, &m[i].page->name, lang);
		tw = geo_text_em(name) * PM_FONT;
		j = m[i].panel;
		for (k = 0, placed = 0; k < sizeof(at) / sizeof(*at) && !placed;
		    k++) {
			x = m[i].x + at[k].dx;
			y = m[i].y + at[k].dy;
			bx.x0 = x - tw * at[k].anchor / 2.0;
			bx.x1 = bx.x0 + tw;
			bx.y0 = y - PM_FONT * 0.9;
			bx.y1 = y + PM_FONT * 0.25;
			if (bx.x0 < ox[j] || bx.x1 > ox[j] + g->p[j].width ||
			    bx.y0 < oy[j] || bx.y1 > oy[j] + g->p[j].height ||
			    S_grid_hits(&grid, &bx))
				continue;
			S_grid_add(&grid, &bx);
			buf_printf(b, "<text class=\"map-label\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"%s\" font-size=\"%.0f\" fill=\"#1b2330\">",
			    x, y, anchors[at[k].anchor], PM_FONT);
			buf_put_html(b, name, strlen(name));
			buf_puts(b, "</text>\n");
			placed = 1;
		}
	}
	buf_puts(b, "</g>\n");
	/* the legend: a marker per section with pilots */
	x = 8;
	for (k = 0; s->order[lang] != NULL && s->order[lang][k] != NULL; k++) {
		const struct section *sec = s->order[lang][k];

		if (sec->kind != PK_PROFILE || sec->pages.n == 0)
			continue;
		name = label_get(s, &sec->name, lang);
		buf_printf(b, "<g class=\"legend\"><circle class=\"pilot sec-%s\" "
		    "cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/><text "
		    "x=\"%.1f\" y=\"%.1f\" font-size=\"12\" fill=\"#4d5868\">",
		    sec->id, x + PM_R, h + PM_LEGEND / 2, PM_R, S_fill(sec->id),
		    x + 2 * PM_R + 5, h + PM_LEGEND / 2 + 4);
		buf_put_html(b, name, strlen(name));
		buf_puts(b, "</text></g>\n");
		x += 2 * PM_R + 5 + geo_text_em(name) * 12 + 24;
	}
	buf_puts(b, "</svg>\n");
	S_grid_free(&grid);
	free(ix);
	free(m);
}
