/*
 * model.c - the model stage: configuration, thematic structure, pages,
 * language-neutral fields, references and reverse links.
 *
 * Every string of the model points into a YAML tree the site keeps (the
 * data files' trees in site->yaml, the pages' in their sources), so the
 * model frees only its own arrays.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "geo.h"
#include "load.h"
#include "model.h"
#include "utf8.h"
#include "util.h"

/*---- Schema -------------------------------------------------------------*/

enum ftype {
	F_STR, F_INT, F_NUM, F_BOOL, F_DATE, F_LABEL, F_STRLIST, F_CLUSTERS,
	F_CHALLENGES, F_ENTITIES, F_COUNTRY, F_PKIND, F_SPEAKERS, F_QUOTES,
	F_FORM, F_SLUG, F_ENCODING, F_PHOTOS, F_COORDS
};

#define KP	(1u << PK_PROFILE)
#define KW	(1u << PK_WEBINAR)
#define KV	(1u << PK_VISIT)
#define KC	(1u << PK_CASE)
#define KG	(1u << PK_PAGE)
#define KALL	(KP | KW | KV | KC | KG)

struct field {
	const char	*key;
	int		 neutral;
	enum ftype	 type;
	unsigned	 allowed;
	unsigned	 required;
};

enum {
	FI_TITLE, FI_DESCRIPTION, FI_SOURCE, FI_WEIGHT, FI_DRAFT, FI_SLUG,
	FI_ENCODING, FI_NAME, FI_KIND, FI_COUNTRY, FI_POPULATION,
	FI_POPULATION_YEAR, FI_AREA, FI_CLUSTERS, FI_CHALLENGES, FI_PARTNERS,
	FI_CREDITS, FI_DATE, FI_END_DATE, FI_PARTICIPANTS, FI_HOSTS,
	FI_VISITORS, FI_YEAR, FI_SPEAKERS, FI_QUOTES, FI_FORM, FI_SCOPE,
	FI_PHOTOS, FI_COORDS, FI__MAX
};

static const struct field S_fields[FI__MAX] = {
	{ "title",		0, F_STR,	KALL,		KALL & ~KP },
	{ "description",	0, F_STR,	KALL,		0 },
	{ "source",		0, F_STR,	KALL,		0 },
	{ "weight",		1, F_INT,	KALL,		0 },
	{ "draft",		1, F_BOOL,	KALL,		0 },
	{ "slug",		1, F_SLUG,	KALL,		0 },
	{ "encoding",		0, F_ENCODING,	KALL,		0 },
	{ "name",		1, F_LABEL,	KP,		KP },
	{ "kind",		1, F_PKIND,	KP,		KP },
	{ "country",		1, F_COUNTRY,	KP,		KP },
	{ "population",		1, F_INT,	KP,		0 },
	{ "population_year",	1, F_INT,	KP,		0 },
	{ "area_km2",		1, F_NUM,	KP,		0 },
	{ "clusters",		1, F_CLUSTERS,	KP | KW | KV | KC, KP },
	{ "challenges",		1, F_CHALLENGES, KP | KW | KV | KC, 0 },
	{ "partners",		1, F_ENTITIES,	KP | KC,	KC },
	{ "photo_credits",	1, F_STRLIST,	KP | KC,	0 },
	{ "date",		1, F_DATE,	KW | KV,	KW | KV },
	{ "end_date",		1, F_DATE,	KV,		0 },
	{ "participants",	1, F_ENTITIES,	KW,		0 },
	{ "hosts",		1, F_ENTITIES,	KV,		KV },
	{ "visitors",		1, F_ENTITIES,	KV,		0 },
	{ "year",		1, F_INT,	KC,		0 },
	{ "speakers",		0, F_SPEAKERS,	KW,		0 },
	{ "quotes",		0, F_QUOTES,	KW | KV,	0 },
	{ "form",		0, F_FORM,	KG,		0 },
	{ "figures_scope",	0, F_STR,	KP,		0 },
	{ "photos",		1, F_PHOTOS,	KP | KC | KG | KW | KV, 0 },
	{ "coordinates",	1, F_COORDS,	KP,		KP },
};

static const char *const S_kind_names[PK__MAX] = {
	"profile", "webinar", "study-visit", "case-study", "page"
};

static const char *const S_edge_kinds[] = {
	"pilot-project", "sister-cities", "case-study", "u-cap", "study-visit",
	"partner"
};

const char *
pkind_name(enum pkind k)
{
	return S_kind_names[k];
}

/*---- Small helpers ------------------------------------------------------*/

/* Appends p to l (lists here never hold a page twice: see S_unique). */
static void
S_plist_push(struct plist *l, struct page *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = p;
}

/* Appends x to the array arr of n elements, doubling its room when n is
 * a power of two (arrays start empty and only grow). */
#define PUSH(arr, n, x) do {						\
	(arr) = xgrow((arr), (n), sizeof(*(arr)));			\
	(arr)[(n)++] = (x);						\
} while (0)

/* Optimal string alignment distance: edits plus adjacent transpositions. */
static size_t
S_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, d[65][65], best;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	size_t		 i, d, best = SIZE_MAX, limit = (strlen(word) + 2) / 3;
	const char	*pick = NULL;

	if (limit < 1)
		limit = 1;
	for (i = 0; i < n; i++) {
		if (cands[i] == NULL)
			continue;
		d = S_distance(word, cands[i]);
		if (d <= limit && d < best) {
			best = d;
			pick = cands[i];
		}
	}
	return pick;
}

void
suggest_text(char *out, size_t outsz, const char *word,
    const char *const *cands, size_t n)
{
	const char	*s = suggest(word, cands, n);

	if (s != NULL)
		snprintf(out, outsz, " (did you mean '%s'?)", s);
	else if (outsz)
		out[0] = '\0';
}

int
site_lang(const struct site *s, const char *lang)
{
	size_t	 i;

	for (i = 0; i < s->nlangs; i++)
		if (strcmp(s->langs[i], lang) == 0)
			return (int)i;
	return -1;
}

const char *
label_get(const struct site *s, const struct label *l, int lang)
{
	if (l->v[lang] != NULL)
		return l->v[lang];
	if (l->v[s->deflang] != NULL)
		return l->v[s->deflang];
	return "";
}

struct section *
site_find_section(const struct site *s, const char *id)
{
	size_t	 i;

	for (i = 0; i < s->nsections; i++)
		if (strcmp(s->sections[i]->id, id) == 0)
			return s->sections[i];
	return NULL;
}

struct page *
site_find_page(const struct site *s, const char *section, const char *id)
{
	char		 key[512];

	if (snprintf(key, sizeof(key), "%s/%s", section, id) >= (int)sizeof(key))
		return NULL;
	return hmap_get(&s->pagemap, key);
}

/* Is code two capital letters (an ISO code), and its place in country_ix? */
static int
S_cc(const char *code)
{
	return code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' &&
	    code[1] <= 'Z' && code[2] == '\0';
}

static size_t
S_cc_ix(const char *code)
{
	return (size_t)(code[0] - 'A') * 26 + (size_t)(code[1] - 'A');
}

const struct country *
site_find_country(const struct site *s, const char *code)
{
	size_t	 i;

	/* ISO codes by their letters: every list item and partner asks */
	if (S_cc(code))
		return s->country_ix[S_cc_ix(code)] == 0 ? NULL :
		    &s->countries[s->country_ix[S_cc_ix(code)] - 1];
	for (i = 0; i < s->ncountries; i++)
		if (strcmp(s->countries[i].code, code) == 0)
			return &s->countries[i];
	return NULL;
}

static struct cluster *
S_find_cluster(struct cluster **v, size_t n, const char *id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i]->id, id) == 0)
			return v[i];
	return NULL;
}

static struct entity *
S_find_entity(const struct site *s, const char *id)
{
	return hmap_get(&s->entmap, id);
}

/* A scalar string value, or NULL after reporting what was expected. */
static const char *
S_str(const char *path, const struct ynode *n, const char *what)
{
	if (n == NULL)
		return NULL;
	if (n->type != Y_SCALAR || ynode_is_null(n)) {
		diag_error(path, n->line, n->col, "%s must be a string, not %s",
		    what, n->type == Y_SCALAR ? "empty" : ynode_kind(n));
		return NULL;
	}
	return n->str;
}

static int
S_is_slug(const char *s)
{
	size_t	 n = strlen(s);

	return n <= 100 && is_id(s, n);
}

static int
S_is_date(const char *s)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int	 y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* The scalar n, and every scalar under it, in typographic punctuation and
 * without unwanted breaks (utf8_smart, utf8_nowrap; null, booleans and
 * numbers have none of the marks they change). */
static void
S_smarten(struct ynode *n)
{
	char	*t;
	size_t	 i;

	if (n == NULL)
		return;
	if (n->type == Y_SCALAR) {
		if (n->str != NULL && (t = utf8_smart(n->str)) != NULL)
			ynode_set_str(n, t);
		if (n->str != NULL && (t = utf8_nowrap(n->str)) != NULL)
			ynode_set_str(n, t);
		return;
	}
	for (i = 0; i < n->n; i++)
		S_smarten(n->items[i]);
}

/*
 * Reads a {en: ..., zh: ...} mapping into l. With required set, every site
 * language must be present. Returns 1, or 0 after reporting.
 */
static int
S_label(const struct site *s, const char *path, const struct ynode *n,
    const char *what, struct label *l, int required)
{
	size_t	 i;
	int	 lang, ok = 1;
	char	 dym[128];

	memset(l, 0, sizeof(*l));
	if (n == NULL)
		return 0;
	if (n->type != Y_MAP) {
		diag_error(path, n->line, n->col,
		    "%s must be a mapping of language to text ({en: ..., zh: ...})",
		    what);
		return 0;
	}
	for (i = 0; i < n->n; i++) {
		if ((lang = site_lang(s, n->keys[i]->str)) < 0) {
			suggest_text(dym, sizeof(dym), n->keys[i]->str,
			    s->langs, s->nlangs);
			diag_error(path, n->keys[i]->line, n->keys[i]->col,
			    "unknown language '%s' in %s%s", n->keys[i]->str,
			    what, dym);
			ok = 0;
			continue;
		}
		/* labels are text a reader sees: typographic punctuation */
		S_smarten((struct ynode *)n->items[i]);
		if ((l->v[lang] = S_str(path, n->items[i], what)) == NULL)
			ok = 0;
	}
	if (required)
		for (i = 0; i < s->nlangs; i++)
			if (l->v[i] == NULL && ok) {
				diag_error(path, n->line, n->col,
				    "%s has no '%s' text", what, s->langs[i]);
				ok = 0;
			}
	return ok;
}

/* Reports unknown keys of a data-file mapping. */
static void
S_check_keys(const char *path, const struct ynode *map, const char *what,
    const char *const *known, size_t nknown)
{
	size_t	 i, k;
	char	 dym[128];

	if (map == NULL || map->type != Y_MAP)
		return;
	for (i = 0; i < map->n; i++) {
		for (k = 0; k < nknown; k++)
			if (strcmp(map->keys[i]->str, known[k]) == 0)
				break;
		if (k == nknown) {
			suggest_text(dym, sizeof(dym), map->keys[i]->str, known,
			    nknown);
			diag_error(path, map->keys[i]->line, map->keys[i]->col,
			    "unknown key '%s' in %s%s", map->keys[i]->str, what,
			    dym);
		}
	}
}

/*---- site.yaml ----------------------------------------------------------*/

static void
S_load_site_yaml(struct site *s)
{
	static const char *const keys[] = {
		"title", "programme", "languages", "default_language", "base_url",
		"unsafe_html", "source_encoding", "sections", "section_order",
		"countries", "print", "keep", "pdf", "edition"
	};
	static const char *const seckeys[] = { "id", "kind", "en", "zh", "name" };
	const char	*path = "content/site.yaml", *code;
	char		*file = xasprintf("%s/content/site.yaml", s->dir);
	struct ynode	*root, *n, *e, *o;
	size_t		 i, k, j;
	int		 lang, b;
	char		 dym[128];
	struct section	*sec;
	const char	*names[PK__MAX];

	root = s->yaml[0] = load_yaml(file, path);
	free(file);
	if (root == NULL)
		goto defaults;
	if (root->type != Y_MAP) {
		diag_error(path, root->line, root->col, "site.yaml must be a mapping");
		goto defaults;
	}
	S_check_keys(path, root, "site.yaml", keys, sizeof(keys) / sizeof(*keys));
	if ((n = ymap_get(root, "languages")) != NULL) {
		if (n->type != Y_SEQ || n->n == 0 || n->n > MAXLANG)
			diag_error(path, n->line, n->col,
			    "languages must be a list of 1 to %d language codes",
			    MAXLANG);
		else
			for (i = 0; i < n->n; i++)
				if (S_str(path, n->items[i], "a language") != NULL)
					s->langs[s->nlangs++] = n->items[i]->str;
	}
defaults:
	if (s->nlangs == 0) {
		s->langs[0] = "en";
		s->langs[1] = "zh";
		s->nlangs = 2;
	}
	s->langs[s->nlangs] = NULL;
	if (root == NULL || root->type != Y_MAP)
		return;
	if ((n = ymap_get(root, "default_language")) != NULL &&
	    S_str(path, n, "default_language") != NULL) {
		if ((lang = site_lang(s, n->str)) < 0)
			diag_error(path, n->line, n->col,
			    "default_language '%s' is not one of languages", n->str);
		else
			s->deflang = lang;
	}
	S_label(s, path, ymap_get(root, "title"), "title", &s->title, 1);
	if (ymap_get(root, "programme") != NULL)
		S_label(s, path, ymap_get(root, "programme"), "programme",
		    &s->programme, 1);
	s->base_url = S_str(path, ymap_get(root, "base_url"), "base_url");
	if (s->base_url != NULL && (s->base_url[0] == '\0' ||
	    s->base_url[strlen(s->base_url) - 1] != '/' ||
	    strncmp(s->base_url, "http", 4) != 0)) {
		n = ymap_get(root, "base_url");
		diag_error(path, n->line, n->col,
		    "base_url must be an absolute http(s) address ending in '/'");
		s->base_url = NULL;
	}
	if ((n = ymap_get(root, "unsafe_html")) != NULL) {
		if (!ynode_bool(n, &b))
			diag_error(path, n->line, n->col,
			    "unsafe_html must be true or false");
		else
			s->unsafe_html = b;
	}
	s->source_encoding = S_str(path, ymap_get(root, "source_encoding"),
	    "source_encoding");
	for (i = 0; i < PK__MAX; i++)
		names[i] = S_kind_names[i];
	if ((n = ymap_get(root, "sections")) == NULL || n->type != Y_SEQ) {
		diag_error(path, n ? n->line : 0, n ? n->col : 0,
		    "sections must be a list of {id, kind, en, zh}");
	} else {
		for (i = 0; i < n->n; i++) {
			e = n->items[i];
			if (e->type != Y_MAP) {
				diag_error(path, e->line, e->col,
				    "a section is a mapping {id, kind, en, zh}");
				continue;
			}
			S_check_keys(path, e, "a section", seckeys, 5);
			sec = xcalloc(1, sizeof(*sec));
			sec->id = S_str(path, ymap_get(e, "id"), "id");
			if (sec->id == NULL || !S_is_slug(sec->id)) {
				if (sec->id != NULL || ymap_get(e, "id") == NULL)
					diag_error(path, e->line, e->col,
					    "a section needs an id of lowercase "
					    "letters, digits and '-'");
				free(sec);
				continue;
			}
			if (site_find_section(s, sec->id) != NULL) {
				o = ymap_get(e, "id");
				diag_error(path, o->line, o->col,
				    "duplicate section '%s'", sec->id);
				free(sec);
				continue;
			}
			sec->kind = PK_PAGE;
			if ((o = ymap_get(e, "kind")) != NULL &&
			    S_str(path, o, "kind") != NULL) {
				for (k = 0; k < PK__MAX; k++)
					if (strcmp(o->str, S_kind_names[k]) == 0)
						break;
				if (k == PK__MAX) {
					suggest_text(dym, sizeof(dym), o->str,
					    names, PK__MAX);
					diag_error(path, o->line, o->col,
					    "unknown section kind '%s'%s", o->str, dym);
				} else
					sec->kind = (enum pkind)k;
			}
			for (k = 0; k < s->nlangs; k++)
				sec->name.v[k] = S_str(path,
				    ymap_get(e, s->langs[k]), "a section name");
			PUSH(s->sections, s->nsections, sec);
		}
	}
	o = ymap_get(root, "section_order");
	for (lang = 0; lang < (int)s->nlangs; lang++) {
		n = o ? ymap_get(o, s->langs[lang]) : NULL;
		if (n == NULL) {
			s->order[lang] = xcalloc(s->nsections + 1, sizeof(*s->order[lang]));
			for (i = j = 0; i < s->nsections; i++)
				if (s->sections[i]->kind != PK_PAGE)
					s->order[lang][j++] = s->sections[i];
			continue;
		}
		if (n->type != Y_SEQ) {
			diag_error(path, n->line, n->col,
			    "section_order.%s must be a list of section ids",
			    s->langs[lang]);
			continue;
		}
		s->order[lang] = xcalloc(n->n + 1, sizeof(*s->order[lang]));
		for (i = j = 0; i < n->n; i++) {
			if (S_str(path, n->items[i], "a section id") == NULL)
				continue;
			if ((sec = site_find_section(s, n->items[i]->str)) == NULL) {
				const char	*ids[64];

				for (k = 0; k < s->nsections && k < 64; k++)
					ids[k] = s->sections[k]->id;
				suggest_text(dym, sizeof(dym), n->items[i]->str,
				    ids, k);
				diag_error(path, n->items[i]->line, n->items[i]->col,
				    "unknown section '%s'%s", n->items[i]->str, dym);
				continue;
			}
			s->order[lang][j++] = sec;
		}
	}
	for (k = 0; k < 2; k++) {
		const char	***v = k == 0 ? &s->print : &s->keep;
		size_t		 *nv = k == 0 ? &s->nprint : &s->nkeep;

		if ((n = ymap_get(root, k == 0 ? "print" : "keep")) == NULL)
			continue;
		if (n->type != Y_SEQ) {
			diag_error(path, n->line, n->col, "%s must be a list",
			    k == 0 ? "print" : "keep");
			continue;
		}
		*v = xcalloc(n->n + 1, sizeof(**v));
		for (i = 0; i < n->n; i++)
			if (S_str(path, n->items[i], "an entry") != NULL)
				(*v)[(*nv)++] = n->items[i]->str;
	}
	if ((n = ymap_get(root, "edition")) != NULL &&
	    (s->edition = S_str(path, n, "edition")) != NULL &&
	    !S_is_date(s->edition)) {
		diag_error(path, n->line, n->col, "edition: '%s' must be a date, "
		    "YYYY-MM-DD", s->edition);
		s->edition = NULL;
	}
	if ((n = ymap_get(root, "pdf")) != NULL &&
	    (s->pdf = S_str(path, n, "pdf")) != NULL &&
	    (strstr(s->pdf, "LANG") == NULL || strstr(s->pdf, "..") != NULL ||
	    s->pdf[0] == '/' || strchr(s->pdf, '/') != NULL)) {
		diag_error(path, n->line, n->col, "pdf: '%s' must be a file name "
		    "in the output directory with LANG where the language goes",
		    s->pdf);
		s->pdf = NULL;
	}
	if ((n = ymap_get(root, "countries")) != NULL) {
		if (n->type != Y_MAP) {
			diag_error(path, n->line, n->col,
			    "countries must map codes to {en: ..., zh: ...}");
		} else {
			s->countries = xcalloc(n->n + 1, sizeof(*s->countries));
			for (i = 0; i < n->n; i++) {
				s->countries[s->ncountries].code = n->keys[i]->str;
				if (!S_label(s, path, n->items[i], "a country name",
				    &s->countries[s->ncountries].name, 1))
					continue;
				code = s->countries[s->ncountries].code;
				/* the first of a code is the one found */
				if (code != NULL && S_cc(code) &&
				    s->country_ix[S_cc_ix(code)] == 0 &&
				    s->ncountries < 65535)
					s->country_ix[S_cc_ix(code)] =
					    (unsigned short)(s->ncountries + 1);
				s->ncountries++;
			}
		}
	}
}

/*---- clusters.yaml ------------------------------------------------------*/

static void
S_load_clusters(struct site *s)
{
	static const char *const topkeys[] = { "networks", "clusters", "challenges" };
	static const char *const ckeys[] = {
		"id", "network", "track", "en", "zh", "aliases"
	};
	const char	*path = "content/clusters.yaml";
	char		*file = xasprintf("%s/content/clusters.yaml", s->dir);
	struct ynode	*root, *list, *e, *o;
	struct network	*net;
	struct cluster	*c;
	size_t		 i, k, pass;
	char		 dym[128];
	const char	*ids[64];

	root = s->yaml[1] = load_yaml(file, path);
	free(file);
	if (root == NULL)
		return;
	if (root->type != Y_MAP) {
		diag_error(path, root->line, root->col,
		    "clusters.yaml must be a mapping");
		return;
	}
	S_check_keys(path, root, "clusters.yaml", topkeys, 3);
	if ((list = ymap_get(root, "networks")) != NULL && list->type == Y_SEQ) {
		for (i = 0; i < list->n; i++) {
			e = list->items[i];
			S_check_keys(path, e, "a network", ckeys, 5);
			net = xcalloc(1, sizeof(*net));
			net->id = S_str(path, ymap_get(e, "id"), "id");
			if (net->id == NULL || !S_is_slug(net->id)) {
				diag_error(path, e->line, e->col,
				    "a network needs an id of lowercase letters, "
				    "digits and '-'");
				free(net);
				continue;
			}
			for (k = 0; k < s->nlangs; k++)
				net->name.v[k] = S_str(path, ymap_get(e, s->langs[k]),
				    "a network label");
			PUSH(s->networks, s->nnetworks, net);
		}
	}
	/* clusters, then challenges: the same shape less network and track */
	for (pass = 0; pass < 2; pass++) {
		list = ymap_get(root, pass == 0 ? "clusters" : "challenges");
		if (list == NULL || list->type != Y_SEQ) {
			diag_error(path, list ? list->line : 0, list ? list->col : 0,
			    "%s must be a list", pass == 0 ? "clusters" : "challenges");
			continue;
		}
		for (i = 0; i < list->n; i++) {
			e = list->items[i];
			if (e->type != Y_MAP) {
				diag_error(path, e->line, e->col,
				    "a cluster is a mapping {id, network, en, zh}");
				continue;
			}
			S_check_keys(path, e, pass == 0 ? "a cluster" : "a challenge",
			    ckeys, pass == 0 ? 6 : 6);
			c = xcalloc(1, sizeof(*c));
			c->id = S_str(path, ymap_get(e, "id"), "id");
			if (c->id == NULL || !S_is_slug(c->id)) {
				diag_error(path, e->line, e->col,
				    "an id of lowercase letters, digits and '-' is required");
				free(c);
				continue;
			}
			if (S_find_cluster(s->clusters, s->nclusters, c->id) ||
			    S_find_cluster(s->challenges, s->nchallenges, c->id)) {
				o = ymap_get(e, "id");
				diag_error(path, o->line, o->col,
				    "duplicate id '%s'", c->id);
				free(c);
				continue;
			}
			for (k = 0; k < s->nlangs; k++) {
				c->name.v[k] = S_str(path, ymap_get(e, s->langs[k]),
				    "a label");
				if (c->name.v[k] == NULL && ymap_get(e, s->langs[k]) == NULL)
					diag_error(path, e->line, e->col,
					    "'%s' has no %s label", c->id, s->langs[k]);
			}
			if (pass == 1) {
				PUSH(s->challenges, s->nchallenges, c);
				continue;
			}
			c->track = S_str(path, ymap_get(e, "track"), "track");
			if ((o = ymap_get(e, "network")) == NULL) {
				diag_error(path, e->line, e->col,
				    "cluster '%s' names no network", c->id);
			} else if (S_str(path, o, "network") != NULL) {
				for (k = 0; k < s->nnetworks && k < 64; k++)
					ids[k] = s->networks[k]->id;
				for (k = 0; k < s->nnetworks; k++)
					if (strcmp(s->networks[k]->id, o->str) == 0)
						c->net = s->networks[k];
				if (c->net == NULL) {
					suggest_text(dym, sizeof(dym), o->str, ids,
					    s->nnetworks < 64 ? s->nnetworks : 64);
					diag_error(path, o->line, o->col,
					    "unknown network '%s'%s", o->str, dym);
				} else
					PUSH(c->net->clusters, c->net->nclusters, c);
			}
			PUSH(s->clusters, s->nclusters, c);
		}
	}
}

/*---- Pages --------------------------------------------------------------*/

static const struct field *
S_field(const char *key, int *idx)
{
	int	 i;

	for (i = 0; i < FI__MAX; i++)
		if (strcmp(S_fields[i].key, key) == 0) {
			*idx = i;
			return &S_fields[i];
		}
	return NULL;
}

/* Checks a {text, by}-style list of mappings with the given keys. */
static int
S_check_records(const char *path, const struct ynode *v, const char *what,
    const char *const *keys, size_t nkeys, const char *required)
{
	size_t	 i;
	int	 ok = 1;

	if (v->type != Y_SEQ) {
		diag_error(path, v->line, v->col, "%s must be a list", what);
		return 0;
	}
	for (i = 0; i < v->n; i++) {
		if (v->items[i]->type != Y_MAP) {
			diag_error(path, v->items[i]->line, v->items[i]->col,
			    "each entry of %s is a mapping", what);
			ok = 0;
			continue;
		}
		S_check_keys(path, v->items[i], what, keys, nkeys);
		if (ymap_get(v->items[i], required) == NULL) {
			diag_error(path, v->items[i]->line, v->items[i]->col,
			    "an entry of %s needs '%s'", what, required);
			ok = 0;
		}
	}
	return ok;
}

/*
 * The two parts of the world the brochure's maps draw (geo_panel_of: China,
 * and Europe for every other country). A pilot placed outside its own is a
 * mistake, most often latitude and longitude the wrong way round.
 */
static const struct world_part {
	const char	*name;
	double		 lat0, lat1, lon0, lon1;
} S_parts[GEO__MAX] = {
	[GEO_EUROPE] = { "Europe", 27, 72, -32, 45 },
	[GEO_CHINA] = { "China", 18, 54, 73, 135 },
};

static int
S_in_part(const struct world_part *w, double lat, double lon)
{
	return lat >= w->lat0 && lat <= w->lat1 && lon >= w->lon0 &&
	    lon <= w->lon1;
}

/*
 * Reads coordinates: [lat, lon] (WGS84 decimal degrees). With a country,
 * the place must lie in that country's part of the world. Returns 1, or 0
 * after reporting at the value.
 */
static int
S_coords(const char *path, const struct ynode *v, const char *country,
    double *lat, double *lon)
{
	const struct world_part *w;

	if (v->type != Y_SEQ || v->n != 2 || !ynode_num(v->items[0], lat) ||
	    !ynode_num(v->items[1], lon)) {
		diag_error(path, v->line, v->col, "coordinates must be [latitude, "
		    "longitude] in decimal degrees, such as [41.39, 2.16]");
		return 0;
	}
	if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
		diag_error(path, v->line, v->col, "coordinates [%g, %g]: latitude "
		    "runs from -90 to 90, longitude from -180 to 180%s", *lat, *lon,
		    *lon >= -90 && *lon <= 90 && *lat >= -180 && *lat <= 180 ?
		    "; latitude comes first" : "");
		return 0;
	}
	if (country == NULL)
		return 1;
	w = &S_parts[geo_panel_of(country)];
	if (!S_in_part(w, *lat, *lon)) {
		diag_error(path, v->line, v->col, "coordinates [%g, %g] are not in "
		    "%s, where a pilot in %s lies (%g to %g N, %g to %g E)%s", *lat,
		    *lon, w->name, country, w->lat0, w->lat1, w->lon0, w->lon1,
		    S_in_part(w, *lon, *lat) ? "; latitude comes first" : "");
		return 0;
	}
	return 1;
}

/*
 * Checks the shape of one front-matter value against its field's type.
 * References (clusters, entities, countries) are resolved later; here they
 * must only be strings or lists of strings.
 */
static int
S_check_value(const struct site *s, const char *path, const struct field *f,
    const struct ynode *v)
{
	static const char *const spk[] = { "name", "role", "organisation" };
	static const char *const quo[] = { "text", "by" };
	static const char *const frm[] = { "label", "value" };
	static const char *const pho[] = { "file", "alt", "caption", "credit" };
	struct label	 l;
	long long	 ll;
	double		 d;
	int		 b;
	size_t		 i;

	switch (f->type) {
	case F_STR:
	case F_ENCODING:
		return S_str(path, v, f->key) != NULL;
	case F_SLUG:
		if (S_str(path, v, f->key) == NULL)
			return 0;
		if (!S_is_slug(v->str)) {
			diag_error(path, v->line, v->col,
			    "slug '%s' must be lowercase ASCII letters, digits "
			    "and '-' (it names a directory under site/)", v->str);
			return 0;
		}
		return 1;
	case F_INT:
		if (!ynode_int(v, &ll) || ll < 0) {
			diag_error(path, v->line, v->col,
			    "%s must be a whole number without separators, not '%s'",
			    f->key, v->type == Y_SCALAR ? v->str : ynode_kind(v));
			return 0;
		}
		return 1;
	case F_NUM:
		if (!ynode_num(v, &d) || d < 0) {
			diag_error(path, v->line, v->col,
			    "%s must be a number such as 101.9, not '%s'",
			    f->key, v->type == Y_SCALAR ? v->str : ynode_kind(v));
			return 0;
		}
		return 1;
	case F_BOOL:
		if (!ynode_bool(v, &b)) {
			diag_error(path, v->line, v->col,
			    "%s must be true or false", f->key);
			return 0;
		}
		return 1;
	case F_DATE:
		if (S_str(path, v, f->key) == NULL)
			return 0;
		if (!S_is_date(v->str)) {
			diag_error(path, v->line, v->col,
			    "%s must be a date YYYY-MM-DD, not '%s'", f->key, v->str);
			return 0;
		}
		return 1;
	case F_LABEL:
		return S_label(s, path, v, f->key, &l, 1);
	case F_COUNTRY:
	case F_PKIND:
		return S_str(path, v, f->key) != NULL;
	case F_STRLIST:
	case F_CLUSTERS:
	case F_CHALLENGES:
	case F_ENTITIES:
		if (v->type == Y_SCALAR && !ynode_is_null(v) &&
		    f->type != F_STRLIST)
			return 1;	/* a single id is a list of one */
		if (v->type != Y_SEQ) {
			diag_error(path, v->line, v->col, "%s must be a list",
			    f->key);
			return 0;
		}
		for (i = 0; i < v->n; i++)
			if (S_str(path, v->items[i], "each entry") == NULL)
				return 0;
		return 1;
	case F_SPEAKERS:
		return S_check_records(path, v, f->key, spk, 3, "name");
	case F_QUOTES:
		return S_check_records(path, v, f->key, quo, 2, "text");
	case F_COORDS: {
		double	 lon;

		return S_coords(path, v, NULL, &d, &lon);
	}
	case F_PHOTOS:
		if (!S_check_records(path, v, f->key, pho, 4, "file"))
			return 0;
		for (i = 0, b = 1; i < v->n; i++) {
			const struct ynode *x = ymap_get(v->items[i], "file");

			if (S_str(path, x, "a photo's file") == NULL) {
				b = 0;
			} else if (x->str[0] == '/' || x->str[0] == '\0' ||
			    strstr(x->str, "..") != NULL || strchr(x->str, '\\')) {
				diag_error(path, x->line, x->col, "photo file '%s' must "
				    "be a path under content/images/", x->str);
				b = 0;
			}
			if ((x = ymap_get(v->items[i], "alt")) == NULL) {
				diag_error(path, v->items[i]->line, v->items[i]->col,
				    "a photo needs alt: {en: ..., zh: ...}, the text a "
				    "reader who cannot see it gets");
				b = 0;
			} else if (!S_label(s, path, x, "alt", &l, 1)) {
				b = 0;
			}
			if ((x = ymap_get(v->items[i], "caption")) != NULL &&
			    !S_label(s, path, x, "caption", &l, 0))
				b = 0;
			if ((x = ymap_get(v->items[i], "credit")) != NULL &&
			    S_str(path, x, "credit") == NULL)
				b = 0;
		}
		return b;
	case F_FORM:
		if (!S_check_records(path, v, f->key, frm, 2, "label"))
			return 0;
		for (i = 0; i < v->n; i++) {
			const struct ynode *val = ymap_get(v->items[i], "value");

			if (val != NULL && val->type == Y_MAP) {
				diag_error(path, val->line, val->col,
				    "a form value is text or a list of text");
				return 0;
			}
		}
		return 1;
	}
	return 1;
}

static const char *
S_rec(const struct ynode *m, const char *key)
{
	const struct ynode *v = ymap_get(m, key);

	return v != NULL && v->type == Y_SCALAR && !ynode_is_null(v) ? v->str : NULL;
}

/* Fills the per-language fields of a translation from its front matter. */
static void
S_fill_trans(struct trans *t, const struct ynode *fm)
{
	const struct ynode	*v, *val;
	size_t			 i, k;

	t->title = S_rec(fm, "title");
	t->description = S_rec(fm, "description");
	t->source_note = S_rec(fm, "source");
	t->scope = S_rec(fm, "figures_scope");
	if ((v = ymap_get(fm, "speakers")) != NULL && v->type == Y_SEQ) {
		t->speakers = xcalloc(v->n + 1, sizeof(*t->speakers));
		for (i = 0; i < v->n; i++) {
			t->speakers[i].name = S_rec(v->items[i], "name");
			t->speakers[i].role = S_rec(v->items[i], "role");
			t->speakers[i].org = S_rec(v->items[i], "organisation");
		}
		t->nspeakers = v->n;
	}
	if ((v = ymap_get(fm, "quotes")) != NULL && v->type == Y_SEQ) {
		t->quotes = xcalloc(v->n + 1, sizeof(*t->quotes));
		for (i = 0; i < v->n; i++) {
			t->quotes[i].text = S_rec(v->items[i], "text");
			t->quotes[i].by = S_rec(v->items[i], "by");
		}
		t->nquotes = v->n;
	}
	if ((v = ymap_get(fm, "form")) != NULL && v->type == Y_SEQ) {
		t->form = xcalloc(v->n + 1, sizeof(*t->form));
		for (i = 0; i < v->n; i++) {
			t->form[i].label = S_rec(v->items[i], "label");
			val = ymap_get(v->items[i], "value");
			if (val == NULL)
				continue;
			if (val->type == Y_SCALAR) {
				t->form[i].values = xcalloc(1, sizeof(char *));
				t->form[i].values[0] = val->str;
				t->form[i].nvalues = 1;
			} else if (val->type == Y_SEQ) {
				t->form[i].values = xcalloc(val->n + 1, sizeof(char *));
				for (k = 0; k < val->n; k++)
					if (val->items[k]->type == Y_SCALAR)
						t->form[i].values[t->form[i].nvalues++] =
						    val->items[k]->str;
			}
		}
		t->nform = v->n;
	}
}

/*
 * The front matter's prose as a reader sees it: curly quotes and
 * apostrophes, dashes and ellipses, as in the Markdown body (cmark's smart
 * option). Only text keys; ids, dates, numbers and names of files stay.
 */
static void
S_smarten_fm(struct ynode *fm)
{
	static const char *const keys[] = { "title", "description", "source",
	    "figures_scope", "name", "quotes", "speakers", "form" };
	const struct ynode *ph = ymap_get(fm, "photos");
	size_t	 k;
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		S_smarten(ymap_get(fm, keys[i]));
	/* a photo's alt text and caption, not its file name */
	for (k = 0; ph != NULL && ph->type == Y_SEQ && k < ph->n; k++) {
		S_smarten(ymap_get(ph->items[k], "alt"));
		S_smarten(ymap_get(ph->items[k], "caption"));
	}
}

/*
 * What one translation's front matter makes on its own, before it meets
 * its page: its keys' fields, its checks, its per-language fields.
 */
struct prep {
	struct section	*sec;		/* NULL: not declared in site.yaml */
	struct {
		signed char	 fi;	/* the key's field, or -1: unknown */
		unsigned char	 ok;	/* its value passed its check */
	}		*key;		/* each front-matter key's */
	struct trans	*tr;
};

/*
 * load_content()'s hook, on the loading threads: checks one translation's
 * front matter (its keys, their values, the required ones, a body) and
 * fills its per-language fields. Nothing here reads another page, so any
 * number run at once; the diagnostics are sorted by place when printed.
 */
static void
S_prepare(struct source *src, void *ud)
{
	const struct site	*s = ud;
	const struct ynode	*fm = src->fm;
	const struct field	*f;
	struct prep		*pr = xcalloc(1, sizeof(*pr));
	const char		*keys[FI__MAX];
	size_t			 i, nk = 0;
	int			 fi, k;
	char			 dym[128];
	unsigned		 bit;

	src->ext = pr;
	if ((pr->sec = site_find_section(s, src->section)) == NULL)
		return;
	bit = 1u << pr->sec->kind;
	S_smarten_fm(src->fm);
	for (k = 0; k < FI__MAX; k++)
		if (S_fields[k].allowed & bit)
			keys[nk++] = S_fields[k].key;
	pr->key = xcalloc(fm->n + 1, sizeof(*pr->key));
	for (i = 0; i < fm->n; i++) {
		const struct ynode *key = fm->keys[i], *v = fm->items[i];

		pr->key[i].fi = -1;
		f = S_field(key->str, &fi);
		if (f == NULL || !(f->allowed & bit)) {
			suggest_text(dym, sizeof(dym), key->str, keys, nk);
			diag_error(src->path, key->line, key->col,
			    "unknown key '%s' for a %s%s", key->str,
			    S_kind_names[pr->sec->kind], dym);
			continue;
		}
		pr->key[i].fi = (signed char)fi;
		pr->key[i].ok = (unsigned char)S_check_value(s, src->path, f, v);
	}
	for (k = 0; k < FI__MAX; k++)
		if (!S_fields[k].neutral && (S_fields[k].required & bit) &&
		    ymap_get(fm, S_fields[k].key) == NULL)
			diag_error(src->path, 1, 1, "missing required key '%s'",
			    S_fields[k].key);
	for (i = 0; i < src->body_len && (src->body[i] == ' ' ||
	    src->body[i] == '\n' || src->body[i] == '\t'); i++)
		;
	if (i == src->body_len)
		diag_warn(src->path, 0, 0, "the page has no body after its front "
		    "matter");
	pr->tr = xcalloc(1, sizeof(struct trans));
	pr->tr->src = src;
	S_fill_trans(pr->tr, fm);
}

static void
S_prep_free(struct source *src)
{
	struct prep	*pr = src->ext;

	if (pr == NULL)
		return;
	free(pr->key);
	free(pr);
	src->ext = NULL;
}

/*
 * Gives page p its translation from src (S_prepare()d) and merges its
 * neutral fields: one written in two translations must be identical.
 */
static void
S_add_translation(struct page *p, struct source *src, int lang)
{
	const struct ynode	*fm = src->fm;
	struct prep		*pr = src->ext;
	struct fval		*prev;
	size_t			 i;

	for (i = 0; i < fm->n; i++) {
		const struct ynode *key = fm->keys[i], *v = fm->items[i];
		int fi = pr->key[i].fi;

		if (fi < 0)
			continue;
		p->seen |= 1ul << fi;
		if (!pr->key[i].ok || !S_fields[fi].neutral)
			continue;
		prev = &p->fv[fi];
		if (prev->v == NULL) {
			prev->v = (struct ynode *)v;
			prev->src = src;
		} else if (!ynode_equal(prev->v, v)) {
			if (v->type == Y_SCALAR && prev->v->type == Y_SCALAR)
				diag_error(src->path, v->line, v->col,
				    "'%s' is %s here but %s in %s:%d:%d; a "
				    "language-neutral field is written once, or the "
				    "same in every translation", key->str, v->str,
				    prev->v->str, prev->src->path, prev->v->line,
				    prev->v->col);
			else
				diag_error(src->path, v->line, v->col,
				    "'%s' differs from %s:%d:%d; a language-neutral "
				    "field is written once, or the same in every "
				    "translation", key->str, prev->src->path,
				    prev->v->line, prev->v->col);
		}
	}
	p->tr[lang] = pr->tr;
	pr->tr = NULL;
}

/* Builds pages from the loaded sources, pairing translations by id. */
static void
S_build_pages(struct site *s)
{
	struct source	*src;
	struct section	*sec;
	struct page	*p;
	const char	*reported = NULL, *ids[64];
	size_t		 i, k;
	int		 lang;
	char		 dym[128];

	for (k = 0; k < s->nsections && k < 64; k++)
		ids[k] = s->sections[k]->id;
	for (i = 0; i < s->sources.n; i++) {
		src = s->sources.v[i];
		if ((sec = ((struct prep *)src->ext)->sec) == NULL) {
			S_prep_free(src);
			if (reported == NULL || strcmp(reported, src->section) != 0) {
				suggest_text(dym, sizeof(dym), src->section, ids, k);
				diag_error(src->path, 0, 0,
				    "section '%s' is not declared in content/site.yaml%s",
				    src->section, dym);
				reported = src->section;
			}
			continue;
		}
		lang = site_lang(s, src->lang);
		p = site_find_page(s, sec->id, src->id);
		if (p == NULL) {
			p = xcalloc(1, sizeof(*p));
			p->sec = sec;
			p->kind = sec->kind;
			p->id = src->id;
			p->fv = xcalloc(FI__MAX, sizeof(*p->fv));
			S_plist_push(&sec->pages, p);
			{
				char *key = xjoin(sec->id, "/", p->id, (char *)NULL);

				hmap_put(&s->pagemap, key, p);
				free(key);
			}
		}
		S_add_translation(p, src, lang);
		S_prep_free(src);
	}
	/* a translation that failed to load: its page's other checks would
	 * only repeat the error */
	for (i = 0; i < s->sources.nfailed; i++) {
		char	*slash = strchr(s->sources.failed[i], '/');

		*slash = '\0';
		if ((p = site_find_page(s, s->sources.failed[i], slash + 1)) != NULL)
			p->broken = 1;
		*slash = '/';
	}
}

static const char *
S_fstr(const struct page *p, int fi)
{
	const struct ynode *v = p->fv[fi].v;

	return v != NULL && v->type == Y_SCALAR && !ynode_is_null(v) ? v->str : NULL;
}

/* Typed values of the neutral fields, once every translation is merged. */
static void
S_type_page(struct site *s, struct page *p)
{
	const struct ynode	*v;
	const struct country	*c;
	const char		*codes[256];
	struct source		*any = NULL;
	long long		 ll;
	size_t			 i;
	int			 b, k;
	char			 dym[128];
	unsigned		 bit = 1u << p->kind;

	for (k = 0; k < (int)s->nlangs && any == NULL; k++)
		if (p->tr[k] != NULL)
			any = p->tr[k]->src;
	for (k = 0; k < FI__MAX && !p->broken; k++)
		if (S_fields[k].neutral && (S_fields[k].required & bit) &&
		    !(p->seen & (1ul << k)))
			diag_error(any->path, 1, 1, "missing required key '%s'%s",
			    S_fields[k].key, s->nlangs > 1 ?
			    " (in any one translation)" : "");
	p->slug = S_fstr(p, FI_SLUG) ? S_fstr(p, FI_SLUG) : p->id;
	if ((v = p->fv[FI_WEIGHT].v) != NULL && ynode_int(v, &ll))
		p->weight = ll > INT_MAX ? INT_MAX : (int)ll;
	if ((v = p->fv[FI_DRAFT].v) != NULL && ynode_bool(v, &b))
		p->draft = b;
	if ((v = p->fv[FI_NAME].v) != NULL)
		S_label(s, p->fv[FI_NAME].src->path, v, "name", &p->name, 0);
	if ((v = p->fv[FI_KIND].v) != NULL && v->type == Y_SCALAR) {
		if (strcmp(v->str, "city") != 0 && strcmp(v->str, "region") != 0)
			diag_error(p->fv[FI_KIND].src->path, v->line, v->col,
			    "kind must be 'city' or 'region', not '%s'", v->str);
		else
			p->pkind = v->str;
	}
	if ((v = p->fv[FI_COUNTRY].v) != NULL && v->type == Y_SCALAR) {
		if ((c = site_find_country(s, v->str)) == NULL) {
			for (i = 0; i < s->ncountries && i < 256; i++)
				codes[i] = s->countries[i].code;
			suggest_text(dym, sizeof(dym), v->str, codes, i);
			diag_error(p->fv[FI_COUNTRY].src->path, v->line, v->col,
			    "unknown country '%s'%s; countries are ISO codes "
			    "declared in content/site.yaml", v->str, dym);
		} else
			p->country = c->code;
	}
	if ((v = p->fv[FI_COORDS].v) != NULL && p->country != NULL)
		p->has_coords = S_coords(p->fv[FI_COORDS].src->path, v, p->country,
		    &p->lat, &p->lon);
	if ((v = p->fv[FI_POPULATION].v) != NULL)
		ynode_int(v, &p->population);
	if ((v = p->fv[FI_POPULATION_YEAR].v) != NULL)
		ynode_int(v, &p->population_year);
	if ((v = p->fv[FI_YEAR].v) != NULL)
		ynode_int(v, &p->year);
	p->area = S_fstr(p, FI_AREA);
	p->date = S_fstr(p, FI_DATE);
	p->end_date = S_fstr(p, FI_END_DATE);
	if (p->date && p->end_date && strcmp(p->end_date, p->date) < 0) {
		v = p->fv[FI_END_DATE].v;
		diag_error(p->fv[FI_END_DATE].src->path, v->line, v->col,
		    "end_date %s is before date %s", p->end_date, p->date);
	}
	if ((v = p->fv[FI_PHOTOS].v) != NULL && v->type == Y_SEQ) {
		p->photos = xcalloc(v->n + 1, sizeof(*p->photos));
		for (i = 0; i < v->n; i++) {
			struct photo	*ph = &p->photos[p->nphotos++];
			const struct ynode *it = v->items[i], *x;

			x = ymap_get(it, "file");
			ph->file = x->str;
			ph->path = p->fv[FI_PHOTOS].src->path;
			ph->line = x->line;
			ph->col = x->col;
			S_label(s, ph->path, ymap_get(it, "alt"), "alt", &ph->alt, 1);
			if ((x = ymap_get(it, "caption")) != NULL)
				S_label(s, ph->path, x, "caption", &ph->caption, 0);
			ph->credit = S_rec(it, "credit");
		}
	}
	if ((v = p->fv[FI_CREDITS].v) != NULL && v->type == Y_SEQ) {
		p->credits = xcalloc(v->n + 1, sizeof(*p->credits));
		for (i = 0; i < v->n; i++)
			p->credits[p->ncredits++] = v->items[i]->str;
	}
	for (k = 0; k < (int)s->nlangs; k++)
		if (p->tr[k] != NULL && p->tr[k]->title == NULL)
			p->tr[k]->title = label_get(s, &p->name, k);
}

/*---- Entities and references ---------------------------------------------*/

static void
S_add_entity(struct site *s, struct entity *e, const char *path, int line,
    int col)
{
	struct entity	*o = S_find_entity(s, e->id);

	if (o != NULL) {
		if (o->page != NULL)
			diag_error(path, line, col,
			    "duplicate id '%s': %s already uses it", e->id,
			    o->page->tr[0] ? o->page->tr[0]->src->path :
			    o->page->tr[1]->src->path);
		else
			diag_error(path, line, col,
			    "duplicate id '%s': content/externals.yaml already "
			    "declares it", e->id);
		free(e);
		return;
	}
	e->index = s->nentities;
	PUSH(s->entities, s->nentities, e);
	hmap_put(&s->entmap, e->id, e);
}

static void
S_load_entities(struct site *s)
{
	static const char *const keys[] = { "id", "name", "kind", "country",
	    "coordinates" };
	const char	*path = "content/externals.yaml";
	char		*file = xasprintf("%s/content/externals.yaml", s->dir);
	struct ynode	*root, *e, *v;
	struct entity	*ent;
	struct page	*p;
	size_t		 i, k;
	int		 lang;

	/* profiles first, in section order */
	for (i = 0; i < s->nsections; i++) {
		if (s->sections[i]->kind != PK_PROFILE)
			continue;
		for (k = 0; k < s->sections[i]->pages.n; k++) {
			p = s->sections[i]->pages.v[k];
			ent = xcalloc(1, sizeof(*ent));
			ent->id = p->id;
			ent->name = p->name;
			for (lang = 0; lang < (int)s->nlangs; lang++)
				if (ent->name.v[lang] == NULL && p->tr[lang])
					ent->name.v[lang] = p->tr[lang]->title;
			ent->kind = p->pkind;
			ent->country = p->country;
			ent->page = p;
			ent->has_coords = p->has_coords;
			ent->lat = p->lat;
			ent->lon = p->lon;
			p->ent = ent;
			for (lang = 0; lang < (int)s->nlangs && !p->tr[lang]; lang++)
				;
			S_add_entity(s, ent, p->tr[lang]->src->path, 0, 0);
		}
	}
	if (access(file, F_OK) != 0) {
		free(file);
		return;
	}
	root = s->yaml[2] = load_yaml(file, path);
	free(file);
	if (root == NULL || (root->type == Y_MAP && root->n == 0))
		return;
	if (root->type != Y_SEQ) {
		diag_error(path, root->line, root->col,
		    "externals.yaml is a list of {id, name, kind, country}");
		return;
	}
	for (i = 0; i < root->n; i++) {
		e = root->items[i];
		if (e->type != Y_MAP) {
			diag_error(path, e->line, e->col,
			    "an entity is a mapping {id, name, kind, country}");
			continue;
		}
		S_check_keys(path, e, "an entity", keys, 5);
		ent = xcalloc(1, sizeof(*ent));
		ent->id = S_str(path, ymap_get(e, "id"), "id");
		if (ent->id == NULL || !S_is_slug(ent->id)) {
			diag_error(path, e->line, e->col,
			    "an entity needs an id of lowercase letters, digits and '-'");
			free(ent);
			continue;
		}
		if (!S_label(s, path, ymap_get(e, "name"), "name", &ent->name, 1)) {
			if (ymap_get(e, "name") == NULL)
				diag_error(path, e->line, e->col,
				    "entity '%s' has no name", ent->id);
			free(ent);
			continue;
		}
		ent->kind = S_str(path, ymap_get(e, "kind"), "kind");
		if ((v = ymap_get(e, "country")) != NULL &&
		    S_str(path, v, "country") != NULL) {
			if (site_find_country(s, v->str) == NULL)
				diag_error(path, v->line, v->col,
				    "unknown country '%s'", v->str);
			else
				ent->country = v->str;
		}
		/* places may say where they are; bodies have no place */
		if ((v = ymap_get(e, "coordinates")) != NULL)
			ent->has_coords = S_coords(path, v, ent->country, &ent->lat,
			    &ent->lon);
		v = ymap_get(e, "id");
		S_add_entity(s, ent, path, v->line, v->col);
	}
}

/* Resolves a list (or a single id) of ids. Returns the number resolved. */
static size_t
S_resolve_list(struct site *s, const struct fval *fv, const char *what,
    void ***out, void *(*find)(struct site *, const char *),
    const char *const *cands, size_t ncands)
{
	const struct ynode	*v = fv->v, *it;
	size_t			 i, k, n = 0, cnt;
	void			*x;
	char			 dym[128];

	*out = NULL;
	if (v == NULL)
		return 0;
	cnt = v->type == Y_SEQ ? v->n : 1;
	*out = xcalloc(cnt + 1, sizeof(void *));
	for (i = 0; i < cnt; i++) {
		it = v->type == Y_SEQ ? v->items[i] : v;
		if ((x = find(s, it->str)) == NULL) {
			suggest_text(dym, sizeof(dym), it->str, cands, ncands);
			diag_error(fv->src->path, it->line, it->col,
			    "unknown %s '%s'%s", what, it->str, dym);
			continue;
		}
		for (k = 0; k < n && (*out)[k] != x; k++)
			;
		if (k < n) {
			diag_warn(fv->src->path, it->line, it->col,
			    "%s '%s' is listed twice", what, it->str);
			continue;
		}
		(*out)[n++] = x;
	}
	return n;
}

static void *
S_find_cluster_cb(struct site *s, const char *id)
{
	return S_find_cluster(s->clusters, s->nclusters, id);
}

static void *
S_find_challenge_cb(struct site *s, const char *id)
{
	return S_find_cluster(s->challenges, s->nchallenges, id);
}

static void *
S_find_entity_cb(struct site *s, const char *id)
{
	return S_find_entity(s, id);
}

static void
S_add_edge(struct site *s, struct entity *a, struct entity *b,
    const char *kind, long long since, const struct label *note)
{
	struct edge	*e;
	const char	*x = strcmp(a->id, b->id) < 0 ? a->id : b->id;
	const char	*y = x == a->id ? b->id : a->id;
	size_t		 lx = strlen(x), ly = strlen(y), lk = strlen(kind);
	/* "x|y|kind", and the pair "x|y" as its first part: one allocation */
	char		*key = xmalloc(lx + ly + lk + 3), *pair = key;

	memcpy(key, x, lx);
	key[lx] = '|';
	memcpy(key + lx + 1, y, ly);
	key[lx + 1 + ly] = '|';
	memcpy(key + lx + ly + 2, kind, lk + 1);

	/* recorded already; or a plain "partner" pair that has a richer record */
	if (hmap_get(&s->edgemap, key) != NULL) {
		free(key);
		return;
	}
	key[lx + 1 + ly] = '\0';
	if (strcmp(kind, "partner") == 0 && hmap_get(&s->edgemap, pair) != NULL) {
		free(key);
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->a = a;
	e->b = b;
	e->kind = kind;
	e->since = since;
	if (note != NULL)
		e->note = *note;
	hmap_put(&s->edgemap, pair, e);
	key[lx + 1 + ly] = '|';
	hmap_put(&s->edgemap, key, e);
	free(key);
	PUSH(s->edges, s->nedges, e);
	if (a->page != NULL)
		PUSH(a->page->edges, a->page->nedges, e);
	if (b->page != NULL && b->page != a->page)
		PUSH(b->page->edges, b->page->nedges, e);
}

static void
S_load_partnerships(struct site *s)
{
	static const char *const keys[] = { "between", "kind", "since", "note" };
	const char	*path = "content/partnerships.yaml";
	char		*file = xasprintf("%s/content/partnerships.yaml", s->dir);
	struct ynode	*root, *e, *v, *id;
	struct entity	*ends[2];
	struct label	 note;
	long long	 since;
	size_t		 i, k, n = s->nentities;
	const char	**ids = xcalloc(n + 1, sizeof(*ids));
	char		 dym[128];

	for (k = 0; k < n; k++)
		ids[k] = s->entities[k]->id;
	if (access(file, F_OK) != 0)
		goto out;
	root = s->yaml[3] = load_yaml(file, path);
	if (root == NULL || (root->type == Y_MAP && root->n == 0))
		goto out;
	if (root->type != Y_SEQ) {
		diag_error(path, root->line, root->col,
		    "partnerships.yaml is a list of {between, kind, since, note}");
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		e = root->items[i];
		if (e->type != Y_MAP) {
			diag_error(path, e->line, e->col,
			    "a partnership is a mapping {between, kind, since, note}");
			continue;
		}
		S_check_keys(path, e, "a partnership", keys, 4);
		v = ymap_get(e, "between");
		if (v == NULL || v->type != Y_SEQ || v->n != 2) {
			diag_error(path, v ? v->line : e->line, v ? v->col : e->col,
			    "'between' lists exactly two entity ids");
			continue;
		}
		for (k = 0; k < 2; k++) {
			id = v->items[k];
			ends[k] = NULL;
			if (S_str(path, id, "an entity id") == NULL)
				continue;
			if ((ends[k] = S_find_entity(s, id->str)) == NULL) {
				suggest_text(dym, sizeof(dym), id->str, ids, n);
				diag_error(path, id->line, id->col,
				    "unknown partner '%s'%s", id->str, dym);
			}
		}
		if (ends[0] == NULL || ends[1] == NULL)
			continue;
		if (ends[0] == ends[1]) {
			diag_error(path, v->line, v->col,
			    "a partnership joins two different entities");
			continue;
		}
		v = ymap_get(e, "kind");
		if (v == NULL || S_str(path, v, "kind") == NULL) {
			diag_error(path, e->line, e->col, "a partnership needs a kind");
			continue;
		}
		for (k = 0; k < sizeof(S_edge_kinds) / sizeof(*S_edge_kinds); k++)
			if (strcmp(v->str, S_edge_kinds[k]) == 0)
				break;
		if (k == sizeof(S_edge_kinds) / sizeof(*S_edge_kinds)) {
			suggest_text(dym, sizeof(dym), v->str, S_edge_kinds, k);
			diag_error(path, v->line, v->col,
			    "unknown partnership kind '%s'%s", v->str, dym);
			continue;
		}
		since = 0;
		if ((v = ymap_get(e, "since")) != NULL &&
		    (!ynode_int(v, &since) || since < 1900 || since > 2100)) {
			diag_error(path, v->line, v->col, "since must be a year");
			since = 0;
		}
		memset(&note, 0, sizeof(note));
		if ((v = ymap_get(e, "note")) != NULL)
			S_label(s, path, v, "note", &note, 0);
		S_add_edge(s, ends[0], ends[1], ymap_get(e, "kind")->str, since,
		    &note);
	}
out:
	free(file);
	free(ids);
}

static void S_load_partnerships(struct site *);

static int
S_page_cmp(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a, *q = *(struct page *const *)b;
	int	 c;

	if (p->date && q->date && (c = strcmp(p->date, q->date)) != 0)
		return c;
	if (p->weight != q->weight)
		return p->weight < q->weight ? -1 : 1;
	return strcmp(p->id, q->id);
}

static void
S_resolve(struct site *s)
{
	struct page	 *p;
	struct entity	**ents;
	const char	**cids, **hids, **eids;
	size_t		  i, k, j, n;

	cids = xcalloc(s->nclusters + 1, sizeof(*cids));
	for (i = 0; i < s->nclusters; i++)
		cids[i] = s->clusters[i]->id;
	hids = xcalloc(s->nchallenges + 1, sizeof(*hids));
	for (i = 0; i < s->nchallenges; i++)
		hids[i] = s->challenges[i]->id;
	eids = xcalloc(s->nentities + 1, sizeof(*eids));
	for (i = 0; i < s->nentities; i++)
		eids[i] = s->entities[i]->id;
	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		p->nclusters = S_resolve_list(s, &p->fv[FI_CLUSTERS], "cluster",
		    (void ***)&p->clusters, S_find_cluster_cb, cids, s->nclusters);
		for (k = 0; k < p->nclusters; k++)
			S_plist_push(&p->clusters[k]->members, p);
		p->nchallenges = S_resolve_list(s, &p->fv[FI_CHALLENGES],
		    "challenge", (void ***)&p->challenges, S_find_challenge_cb,
		    hids, s->nchallenges);
		for (k = 0; k < p->nchallenges; k++)
			S_plist_push(&p->challenges[k]->members, p);
		n = 0;
		ents = NULL;
		switch (p->kind) {
		case PK_PROFILE:
		case PK_CASE:
			n = S_resolve_list(s, &p->fv[FI_PARTNERS], "partner",
			    (void ***)&ents, S_find_entity_cb, eids, s->nentities);
			break;
		case PK_WEBINAR:
			n = S_resolve_list(s, &p->fv[FI_PARTICIPANTS],
			    "participant", (void ***)&ents, S_find_entity_cb, eids,
			    s->nentities);
			break;
		case PK_VISIT:
			n = S_resolve_list(s, &p->fv[FI_HOSTS], "host",
			    (void ***)&ents, S_find_entity_cb, eids, s->nentities);
			p->nvisitors = S_resolve_list(s, &p->fv[FI_VISITORS],
			    "visitor", (void ***)&p->visitors, S_find_entity_cb,
			    eids, s->nentities);
			break;
		default:
			break;
		}
		p->refs = ents;
		p->nrefs = n;
		for (k = 0; k < n; k++) {
			struct page *q = ents[k]->page;

			if (p->kind == PK_PROFILE && ents[k] == p->ent) {
				diag_error(p->fv[FI_PARTNERS].src->path,
				    p->fv[FI_PARTNERS].v->line,
				    p->fv[FI_PARTNERS].v->col,
				    "a profile cannot be its own partner");
				continue;
			}
			if (q == NULL)
				continue;
			if (p->kind == PK_WEBINAR)
				S_plist_push(&q->webinars, p);
			else if (p->kind == PK_VISIT)
				S_plist_push(&q->visits, p);
			else if (p->kind == PK_CASE)
				S_plist_push(&q->cases, p);
		}
		for (k = 0; k < p->nvisitors; k++)
			if (p->visitors[k]->page != NULL)
				S_plist_push(&p->visitors[k]->page->visits, p);
	}
	S_load_partnerships(s);
	/* case studies pair their partners */
	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		if (p->kind != PK_CASE)
			continue;
		for (k = 0; k < p->nrefs; k++)
			for (j = k + 1; j < p->nrefs; j++)
				if (p->refs[k] != p->refs[j])
					S_add_edge(s, p->refs[k], p->refs[j],
					    "case-study", p->year, NULL);
	}
	/* profile partners; added last: any richer record of the pair wins */
	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		if (p->kind != PK_PROFILE || p->ent == NULL)
			continue;
		for (k = 0; k < p->nrefs; k++)
			if (p->refs[k] != p->ent)
				S_add_edge(s, p->ent, p->refs[k], "partner", 0, NULL);
	}
	free(cids);
	free(hids);
	free(eids);
}

/*---- Loading the site -----------------------------------------------------*/

/* Frees a page, its translations and its arrays (not the strings). */
static void
S_page_free(struct page *p)
{
	size_t	 j;
	int	 lang;

	for (lang = 0; lang < MAXLANG; lang++) {
		if (p->tr[lang] == NULL)
			continue;
		free(p->tr[lang]->speakers);
		free(p->tr[lang]->quotes);
		for (j = 0; j < p->tr[lang]->nform; j++)
			free(p->tr[lang]->form[j].values);
		free(p->tr[lang]->form);
		free(p->tr[lang]);
	}
	free(p->fv);
	free(p->credits);
	free(p->photos);
	free(p->clusters);
	free(p->challenges);
	free(p->refs);
	free(p->visitors);
	free(p->webinars.v);
	free(p->visits.v);
	free(p->cases.v);
	free(p->edges);
	free(p);
}

struct site *
site_load(const char *dir)
{
	double		 t0;
	struct site	*s = xcalloc(1, sizeof(*s));
	struct section	*sec;
	struct page	*p;
	struct hmap	 slugs;
	char		*cdir;
	size_t		 i, k, j, m;
	int		 lang;

	s->dir = xstrdup(dir);
	S_load_site_yaml(s);
	S_load_clusters(s);
	cdir = xasprintf("%s/content", dir);
	t0 = now_s();
	load_content(cdir, "content", s->langs, s->source_encoding, &s->sources,
	    S_prepare, s);
	s->load_s = now_s() - t0;
	free(cdir);
	S_build_pages(s);
	for (i = 0; i < s->nsections; i++) {
		sec = s->sections[i];
		for (k = m = 0; k < sec->pages.n; k++) {
			p = sec->pages.v[k];
			S_type_page(s, p);
			if (p->draft) {
				char *key = xjoin(sec->id, "/", p->id, (char *)NULL);

				hmap_put(&s->pagemap, key, NULL);
				free(key);
				S_page_free(p);
				continue;
			}
			sec->pages.v[m++] = p;
		}
		sec->pages.n = m;
		if (sec->pages.n > 1)
			qsort(sec->pages.v, sec->pages.n, sizeof(*sec->pages.v),
			    S_page_cmp);
		memset(&slugs, 0, sizeof(slugs));
		for (k = 0; k < sec->pages.n; k++) {
			p = sec->pages.v[k];
			if (hmap_get(&slugs, p->slug) == NULL) {
				hmap_put(&slugs, p->slug, p);
			} else {
				struct fval *f = &p->fv[FI_SLUG];

				diag_error(f->src ? f->src->path : "content",
				    f->v ? f->v->line : 0, f->v ? f->v->col : 0,
				    "slug '%s' is used twice in section '%s'",
				    p->slug, sec->id);
			}
			p->index = s->pages.n;
			p->secpos = k;
			S_plist_push(&s->pages, p);
			for (lang = 0; lang < (int)s->nlangs && !p->broken; lang++)
				if (p->tr[lang] == NULL) {
					struct trans *t = NULL;

					for (j = 0; j < s->nlangs && !t; j++)
						t = p->tr[j];
					diag_warn(t->src->path, 0, 0,
					    "no %s translation (content/%s/%s.%s.md)",
					    s->langs[lang], sec->id, p->id,
					    s->langs[lang]);
				}
		}
		hmap_free(&slugs);
	}
	S_load_entities(s);
	S_resolve(s);
	return s;
}

static void
S_free_clusters(struct cluster **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i]->members.v);
		free(v[i]);
	}
	free(v);
}

void
site_free(struct site *s)
{
	size_t		 i, k;

	if (s == NULL)
		return;
	for (i = 0; i < s->nsections; i++) {
		for (k = 0; k < s->sections[i]->pages.n; k++) {
			S_page_free(s->sections[i]->pages.v[k]);
		}
		free(s->sections[i]->pages.v);
		free(s->sections[i]);
	}
	free(s->sections);
	for (i = 0; i < MAXLANG; i++)
		free(s->order[i]);
	free(s->countries);
	free(s->print);
	free(s->keep);
	for (i = 0; i < s->nnetworks; i++) {
		free(s->networks[i]->clusters);
		free(s->networks[i]);
	}
	free(s->networks);
	S_free_clusters(s->clusters, s->nclusters);
	S_free_clusters(s->challenges, s->nchallenges);
	for (i = 0; i < s->nentities; i++)
		free(s->entities[i]);
	free(s->entities);
	for (i = 0; i < s->nedges; i++)
		free(s->edges[i]);
	free(s->edges);
	free(s->pages.v);
	hmap_free(&s->pagemap);
	hmap_free(&s->entmap);
	hmap_free(&s->edgemap);
	source_list_free(&s->sources);
	for (i = 0; i < 4; i++)
		ynode_free(s->yaml[i]);
	free(s->dir);
	free(s);
}
