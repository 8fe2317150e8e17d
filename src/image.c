/*
 * image.c - the photos of the pages, through libvips (see image.h).
 */
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "hmap.h"
#include "image.h"
#include "model.h"
#include "util.h"
#include "write.h"

/*
 * The few libvips (and GLib) calls used, found at run time. Images are
 * opaque here: nothing but libvips looks inside them.
 */
static struct {
	void		*lib;
	int		 tried, ok;
	int		(*init)(const char *);
	void		*(*from_file)(const char *, ...);
	int		(*thumbnail)(const char *, void **, int, ...);
	int		(*width)(const void *);
	int		(*height)(const void *);
	int		(*to_buffer)(void *, const char *, void **, size_t *, ...);
	const char	*(*error_buffer)(void);
	void		(*error_clear)(void);
	void		(*unref)(void *);
	void		(*gfree)(void *);
} V;

/* The first name of libvips that loads, and its functions; 0 if none. */
static int
S_load(void)
{
	static const char *const names[] = { "libvips.so.42", "libvips.so" };
	size_t	 i;

	if (V.tried)
		return V.ok;
	V.tried = 1;
	for (i = 0; i < sizeof(names) / sizeof(*names) && V.lib == NULL; i++)
		V.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (V.lib == NULL)
		return 0;
	/* a data pointer into a function pointer, as POSIX allows */
#define SYM(f, name) do {						\
	void	*p_ = dlsym(V.lib, name);				\
									\
	if (p_ == NULL)							\
		return 0;						\
	memcpy(&V.f, &p_, sizeof(p_));					\
} while (0)
	SYM(init, "vips_init");
	SYM(from_file, "vips_image_new_from_file");
	SYM(thumbnail, "vips_thumbnail");
	SYM(width, "vips_image_get_width");
	SYM(height, "vips_image_get_height");
	SYM(to_buffer, "vips_image_write_to_buffer");
	SYM(error_buffer, "vips_error_buffer");
	SYM(error_clear, "vips_error_clear");
	SYM(unref, "g_object_unref");
	SYM(gfree, "g_free");
#undef SYM
	if (V.init("brochure") != 0)
		return 0;
	V.ok = 1;
	return 1;
}

/* libvips's last error, on one line, and cleared. */
static void
S_vips_error(struct buf *b)
{
	const char	*e = V.error_buffer ? V.error_buffer() : NULL;
	size_t		 n;

	buf_reset(b);
	if (e == NULL || *e == '\0') {
		buf_puts(b, "unknown error");
	} else {
		n = strcspn(e, "\n");
		buf_put(b, e, n);
	}
	if (V.error_clear)
		V.error_clear();
}

char *
image_variant(const char *file, int width, const char *ext)
{
	const char	*dot = strrchr(file, '.'), *slash = strrchr(file, '/');
	size_t		 stem = dot && (!slash || dot > slash) ? (size_t)(dot - file) :
			    strlen(file);

	return xasprintf("images/%.*s-%d.%s", (int)stem, file, width, ext);
}

/* The format a photo is written in: its own for JPEG, PNG and WebP,
 * PNG (lossless, alpha kept) for anything else libvips reads. */
static const char *
S_ext(const char *file)
{
	const char	*dot = strrchr(file, '.');

	if (dot == NULL)
		return "png";
	if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
		return "jpg";
	if (strcasecmp(dot, ".webp") == 0)
		return "webp";
	return "png";
}

/* Reads one photo and writes its variants; 0, or -1 after reporting. */
static int
S_photo(struct site *s, struct writer *w, struct photo *ph, int dry,
    size_t *nfiles)
{
	static const int widths[] = IMAGE_WIDTHS;
	char		*path = xasprintf("%s/content/images/%s", s->dir, ph->file);
	char		*out;
	const char	*saver;
	struct buf	 err = BUF_INIT;
	struct stat	 st;
	void		*img = NULL, *th, *data;
	size_t		 len, i;
	int		 fd, top, rc = -1;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
		diag_error(ph->path, ph->line, ph->col, "photo '%s': no such file "
		    "content/images/%s", ph->file, ph->file);
		goto done;
	}
	if ((fd = open(path, O_RDONLY)) == -1) {
		diag_error(ph->path, ph->line, ph->col, "photo '%s': cannot read "
		    "content/images/%s: %s", ph->file, ph->file, strerror(errno));
		goto done;
	}
	close(fd);
	if (!S_load()) {
		diag_error(ph->path, ph->line, ph->col, "photo '%s': photos need "
		    "libvips (apt-get install libvips42)", ph->file);
		goto done;
	}
	if ((img = V.from_file(path, NULL)) == NULL) {
		S_vips_error(&err);
		diag_error(ph->path, ph->line, ph->col, "photo '%s': "
		    "content/images/%s is not an image libvips can read (%s)",
		    ph->file, ph->file, err.data);
		goto done;
	}
	ph->width = V.width(img);
	ph->height = V.height(img);
	ph->ext = S_ext(ph->file);
	saver = strcmp(ph->ext, "jpg") == 0 ? ".jpg[Q=82,strip]" :
	    strcmp(ph->ext, "webp") == 0 ? ".webp[Q=80,strip]" :
	    ".png[strip]";
	/* every standard width under the original's, and the original's
	 * own (up to the largest standard one) */
	top = ph->width < widths[2] ? ph->width : widths[2];
	for (i = 0; i < 3; i++)
		if (widths[i] < top)
			ph->widths[ph->nwidths++] = widths[i];
	ph->widths[ph->nwidths++] = top;
	for (i = 0; i < ph->nwidths && !dry; i++) {
		/* from the file: libvips shrinks as it loads */
		if (V.thumbnail(path, &th, ph->widths[i], "height", 10000000,
		    NULL) != 0) {
			S_vips_error(&err);
			diag_error(ph->path, ph->line, ph->col, "photo '%s': cannot "
			    "resize content/images/%s (%s)", ph->file, ph->file,
			    err.data);
			goto done;
		}
		data = NULL;
		if (V.to_buffer(th, saver, &data, &len, NULL) != 0) {
			S_vips_error(&err);
			V.unref(th);
			diag_error(ph->path, ph->line, ph->col, "photo '%s': cannot "
			    "encode content/images/%s (%s)", ph->file, ph->file,
			    err.data);
			goto done;
		}
		V.unref(th);
		out = image_variant(ph->file, ph->widths[i], ph->ext);
		writer_put(w, out, data, len);
		(*nfiles)++;
		free(out);
		V.gfree(data);
	}
	ph->ok = 1;
	rc = 0;
done:
	if (img != NULL)
		V.unref(img);
	buf_free(&err);
	free(path);
	return rc;
}

int
image_build(struct site *s, struct writer *w, int dry, size_t *nfiles)
{
	struct hmap	 done = { 0 };
	struct photo	*ph, *first;
	struct page	*p;
	size_t		 i, k;
	int		 errors = 0;

	for (i = 0; i < s->pages.n; i++) {
		p = s->pages.v[i];
		for (k = 0; k < p->nphotos; k++) {
			ph = &p->photos[k];
			/* a file that two pages show is read once */
			if ((first = hmap_get(&done, ph->file)) != NULL) {
				if (first->ok) {
					ph->ok = 1;
					ph->width = first->width;
					ph->height = first->height;
					ph->ext = first->ext;
					ph->nwidths = first->nwidths;
					memcpy(ph->widths, first->widths,
					    sizeof(ph->widths));
				}
				continue;
			}
			hmap_put(&done, ph->file, ph);
			if (S_photo(s, w, ph, dry, nfiles) != 0)
				errors++;
		}
	}
	hmap_free(&done);
	return errors;
}
