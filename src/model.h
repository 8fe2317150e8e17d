/*
 * model.h - the model stage: site configuration, the thematic structure,
 * pages paired by translation, language-neutral fields merged and checked,
 * every reference resolved and the reverse links built.
 */
#ifndef BR_MODEL_H
#define BR_MODEL_H

#include <stddef.h>

#include "hmap.h"
#include "load.h"
#include "ytree.h"

#define MAXLANG 4

enum pkind {
	PK_PROFILE,
	PK_WEBINAR,
	PK_VISIT,
	PK_CASE,
	PK_PAGE,
	PK__MAX
};

/* A string in each of the site's languages (indexed like site->langs). */
struct label {
	const char *v[MAXLANG];
};

struct page;

struct plist {
	struct page	**v;
	size_t		  n, cap;
};

struct network;

struct cluster {
	const char	*id;
	struct label	 name;
	struct network	*net;
	const char	*track;
	struct plist	 members;	/* profiles, then other pages, in site order */
};

struct network {
	const char	 *id;
	struct label	  name;
	struct cluster	**clusters;
	size_t		  nclusters;
};

struct entity {
	size_t		 index;		/* in site->entities */
	const char	*id;
	struct label	 name;
	const char	*kind;		/* city, region, organisation */
	const char	*country;	/* code, or NULL */
	struct page	*page;		/* a profile, or NULL for an external entity */
	int		 has_coords;	/* lat, lon: WGS84 degrees */
	double		 lat, lon;
};

struct edge {
	struct entity	*a, *b;
	const char	*kind;
	long long	 since;		/* 0 when not given */
	struct label	 note;
};

struct section {
	const char	*id;
	enum pkind	 kind;
	struct label	 name;
	struct plist	 pages;		/* sorted by weight, date, id */
};

/* One field value and where it was written. */
struct fval {
	struct ynode	*v;
	struct source	*src;
};

struct speaker {
	const char *name, *role, *org;
};

struct quote {
	const char *text, *by;
};

struct formrow {
	const char  *label;
	const char **values;
	size_t	  nvalues;
};

struct trans {
	struct source	*src;
	const char	*title;
	const char	*description;
	const char	*source_note;
	const char	*scope;		/* figures_scope: what the figures cover */
	struct speaker	*speakers;
	size_t		 nspeakers;
	struct quote	*quotes;
	size_t		 nquotes;
	struct formrow	*form;
	size_t		 nform;
};

/* A photo of a page: content/images/FILE, and what the build made of it. */
struct photo {
	const char	*file;		/* under content/images/ */
	struct label	 alt, caption;
	const char	*credit;	/* as printed, without the © */
	const char	*path;		/* where it is written, for messages */
	int		 line, col;
	/* set by the image stage (image.c) */
	int		 width, height;	/* of the original */
	int		 ok;		/* read, and its sizes written */
	int		 widths[4];	/* the sizes written, ascending */
	size_t		 nwidths;
	const char	*ext;		/* of the files written: "jpg", "png", "webp" */
};

struct page {
	struct section	 *sec;
	const char	 *id;
	const char	 *slug;
	enum pkind	  kind;
	size_t		  index;	/* in site->pages */
	size_t		  secpos;	/* in sec->pages */
	struct trans	 *tr[MAXLANG];
	int		  weight;
	int		  draft;
	/* profiles */
	struct label	  name;
	const char	 *pkind;	/* city or region */
	const char	 *country;
	long long	  population, population_year;	/* 0 when absent */
	const char	 *area;		/* as written, or NULL */
	int		  has_coords;	/* lat, lon: WGS84 degrees */
	double		  lat, lon;
	const char	**credits;
	size_t		  ncredits;
	struct photo	 *photos;
	size_t		  nphotos;
	struct entity	 *ent;
	/* dates: "YYYY-MM-DD" or NULL */
	const char	 *date, *end_date;
	long long	  year;
	/* references, resolved */
	struct cluster	**clusters;
	size_t		  nclusters;
	struct cluster	**challenges;	/* challenges reuse struct cluster */
	size_t		  nchallenges;
	struct entity	**refs;		/* participants, hosts, partners */
	size_t		  nrefs;
	struct entity	**visitors;
	size_t		  nvisitors;
	struct fval	 *fv;		/* neutral fields as written, by schema index */
	unsigned long	  seen;		/* fields written, valid or not, by bit */
	int		  broken;	/* a translation failed to load */
	/* reverse links */
	struct plist	  webinars, visits, cases;
	struct edge	**edges;
	size_t		  nedges;
};

struct country {
	const char	*code;
	struct label	 name;
};

struct geo;

struct site {
	char		 *dir;		/* the project directory (-C) */
	struct geo	 *geo;		/* the maps (geo.h), set by the build */
	const char	 *langs[MAXLANG + 1];	/* NULL-terminated */
	size_t		  nlangs;
	int		  deflang;
	struct label	  title, programme;
	const char	 *base_url;
	int		  unsafe_html;
	const char	 *source_encoding;
	struct section	**sections;
	size_t		  nsections;
	/* per language: section order */
	struct section	**order[MAXLANG];
	struct country	 *countries;
	size_t		  ncountries;
	/* a two-capital code's country (AA..ZZ): its place + 1, or 0 */
	unsigned short	  country_ix[26 * 26];
	/* the print edition's order: section ids, pages/ID, clusters,
	 * contents, profiles (the profile sections in each language's order) */
	const char	**print;
	size_t		  nprint;
	/* files in the output directory that other tools write */
	const char	**keep;
	size_t		  nkeep;
	const char	 *pdf;		/* the PDF editions' file name, with LANG */
	const char	 *edition;	/* the edition's date, YYYY-MM-DD, or NULL */
	struct network	**networks;
	size_t		  nnetworks;
	struct cluster	**clusters;
	size_t		  nclusters;
	struct cluster	**challenges;
	size_t		  nchallenges;
	struct entity	**entities;
	size_t		  nentities;
	struct edge	**edges;
	size_t		  nedges;
	struct plist	  pages;	/* every page, in section then weight order */
	struct hmap	  pagemap;	/* "section/id" -> page */
	struct hmap	  entmap;	/* id -> entity */
	struct hmap	  edgemap;	/* "a|b|kind" and "a|b" -> edge (ids ordered) */
	struct source_list sources;
	struct ynode	 *yaml[4];	/* the data files, kept for their strings */
	double		  load_s;	/* seconds spent reading and decoding content/ */
};

/*
 * Loads and checks everything under dir/content: site.yaml, clusters.yaml,
 * externals.yaml, partnerships.yaml and every page. Errors are reported
 * through diag; the returned site is usable for what did load (render
 * stops if diag_errors() is non-zero). Free with site_free().
 */
struct site	*site_load(const char *dir);
void		 site_free(struct site *);
int		 site_lang(const struct site *, const char *lang);
struct page	*site_find_page(const struct site *, const char *section,
		    const char *id);
struct section	*site_find_section(const struct site *, const char *id);
const struct country *site_find_country(const struct site *, const char *code);
/* The page's label in lang, falling back to the default language. */
const char	*label_get(const struct site *, const struct label *, int lang);
/*
 * Of the n candidate names, the one closest to word (edit distance at most
 * a third of its length, rounded up), or NULL.
 */
const char	*suggest(const char *word, const char *const *cands, size_t n);
/* Formats " (did you mean 'x'?)" or "" into a static-free buffer out. */
void		 suggest_text(char *out, size_t outsz, const char *word,
		    const char *const *cands, size_t n);
const char	*pkind_name(enum pkind);

#endif
