/*
 * image.h - the image stage: the photos that pages name in front matter,
 * read from content/images/ and written at the widths a page's srcset
 * offers, with libvips.
 *
 * libvips is loaded (dlopen) only when some page has photos: linking it
 * would load a hundred shared libraries on every run, which costs more
 * than building the whole brochure.
 */
#ifndef BR_IMAGE_H
#define BR_IMAGE_H

struct site;
struct writer;

/* The widths a photo is written at, where the original is wider. */
#define IMAGE_WIDTHS	{ 480, 960, 1440 }

/*
 * Reads every photo of every page, fills in its sizes (struct photo) and
 * writes its variants as images/STEM-WIDTH.EXT through w. A photo that is
 * missing, unreadable or not an image is an error at its file: line and
 * column. Dry (check) reads the photos without writing them. Returns the
 * number of errors; *nfiles grows by the files written.
 */
int	image_build(struct site *, struct writer *w, int dry, size_t *nfiles);

/* The output path of a photo at one width: "images/STEM-WIDTH.EXT". */
char	*image_variant(const char *file, int width, const char *ext);

#endif
