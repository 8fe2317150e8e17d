/*
 * geo.h - the maps: the base geography of layouts/geo/ (see its README),
 * the pilots projected onto it, the programme map and the locator maps.
 *
 * A project without layouts/geo/ has no maps; with it, every profile is
 * placed by its coordinates. The panels are the brochure's two parts of
 * the world: Europe, and China.
 */
#ifndef BR_GEO_H
#define BR_GEO_H

#include <stddef.h>

#include "buf.h"

struct site;
struct writer;
struct page;

enum { GEO_EUROPE, GEO_CHINA, GEO__MAX };

struct geo_panel {
	char	*name;			/* "europe", "china" */
	int	 laea;			/* 1: azimuthal, 0: Albers conic */
	double	 lon0, lat0, lat1, lat2;
	double	 minx, maxy, scale;	/* the fit to pixels */
	int	 width, height;
	char	*land, *borders;	/* SVG path data, in pixels */
	char	**codes, **outlines;	/* countries with their own path */
	size_t	 ncountries;
};

struct geo {
	struct geo_panel	 p[GEO__MAX];
	int			 ok;	/* layouts/geo/ was there and read */
};

/*
 * Reads layouts/geo/europe.json and china.json from the project dir.
 * Returns 0 when there are none (no maps) or they were read, -1 after
 * reporting a broken file.
 */
int	geo_load(struct geo *, const char *dir);
void	geo_free(struct geo *);

/* The panel a country is drawn in: China, or Europe for every other. */
int	geo_panel_of(const char *country);

/* lat, lon projected to the pixels of panel i. */
void	geo_project(const struct geo *, int i, double lat, double lon,
	    double *x, double *y);

/*
 * Writes the locator maps' shared pictures: assets/maps/PANEL.svg, the
 * land and borders of each panel, and assets/maps/europe-CC.svg, a
 * European country shaded, to lay over it. Returns the files written.
 */
size_t	geo_write_assets(const struct geo *, const struct site *,
	    struct writer *);

/*
 * The programme map of language lang as inline SVG: both panels side by
 * side, every pilot a marker linked to its page (href from url(ud, page)),
 * labels in lang placed so that none overlaps another or a marker (those
 * that cannot be placed are left to the marker's title), partnerships as
 * lines between the panels. Appends to b.
 */
void	geo_programme_map(const struct geo *, const struct site *, int lang,
	    const char *root, const char *(*url)(void *, const struct page *),
	    void *ud, const char *title, struct buf *b);

/* The label-width estimate the placement uses: em units of text s. */
double	geo_text_em(const char *s);

#endif
