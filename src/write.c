/*
 * write.c - the write stage: compare, write beside, rename, prune.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "hmap.h"
#include "util.h"
#include "write.h"

#define MARKER	".brochure"

struct pending {
	char	*tmp;	/* full path of the temporary */
	char	*dst;	/* full path of the target */
};

/*
 * What the threads consult for every file they write, in stripes by the
 * path's hash, each under a lock of its own: with one lock for all, taken
 * five times a file, the threads waited on each other thousands of times
 * a build.
 */
#define STRIPES	16

struct stripe {
	pthread_mutex_t	  lock;
	struct hmap	  set;		/* the relative paths produced */
	struct hmap	  dirs;		/* directories known to exist */
	char		**made;		/* made here */
	size_t		  nmade;
};

struct writer {
	char		 *dir;
	int		  dry;
	pthread_mutex_t	  lock;		/* what follows, unless said */
	struct stripe	  st[STRIPES];
	struct pending	 *pend;
	size_t		  npend;
	char		**made;		/* the output directory, if made here,
					 * and at an abort every stripe's: removed
					 * deepest first */
	size_t		  nmade;
	int		  rooted;	/* the output directory exists */
	size_t		  unchanged;	/* atomic */
	unsigned long	  seq;		/* atomic */
	/* the output directory did not exist: nothing can read it before the
	 * build ends, so files go straight to their names (no temporary, no
	 * rename) and an abort removes the directory again */
	int		  fresh;
	size_t		  nfresh;	/* atomic */
	/* a file-system operation failed (disk full, read-only, a file where
	 * a directory goes): an error of the environment, not the content */
	int		  failed;
	/* where temporaries wait for their rename: DIR.brochure-tmp beside
	 * the output directory (same file system, so renames stay atomic,
	 * and never inside what a deploy publishes), or NULL to keep them
	 * hidden beside their targets when the output directory is a mount
	 * point of its own */
	char		 *tmpdir;
	int		  tmpmade;
	int		  partial;	/* writer_partial(): nothing is pruned */
	/* writer_track(): the paths written (new or changed) and removed */
	int		  track;
	char		**wrote;
	size_t		  nwrote;
};

static void	S_remove_tree(const char *);

/* Records an error of the environment (build.c exits 2 for it). */
static void
S_fail(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->failed = 1;
	pthread_mutex_unlock(&w->lock);
}

int
writer_failed(struct writer *w)
{
	int	 f;

	pthread_mutex_lock(&w->lock);
	f = w->failed;
	pthread_mutex_unlock(&w->lock);
	return f;
}

/* The stripe of a path. */
static size_t
S_stripe_of(const char *path)
{
	uint64_t	 h = fnv1a(FNV1A_BASIS, path, strlen(path));

	return (size_t)((h ^ h >> 32) % STRIPES);
}

static struct stripe *
S_stripe(struct writer *w, const char *path)
{
	return &w->st[S_stripe_of(path)];
}

/* Adds rel to the set of produced paths; returns 0 if it was there. */
static int
S_set_add(struct writer *w, const char *rel)
{
	struct stripe	*t = S_stripe(w, rel);
	int		 added = 0;

	pthread_mutex_lock(&t->lock);
	if (hmap_get(&t->set, rel) == NULL) {
		hmap_put(&t->set, rel, w);
		added = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return added;
}

void
writer_keep(struct writer *w, const char *rel)
{
	S_set_add(w, rel);
}

void
writer_track(struct writer *w)
{
	w->track = 1;
}

char **
writer_wrote(struct writer *w, size_t *n)
{
	char	**v = w->wrote;

	*n = w->nwrote;
	w->wrote = NULL;
	w->nwrote = 0;
	return v;
}

/* Records dst (a full path under the output directory) when tracking. */
static void
S_wrote(struct writer *w, const char *dst)
{
	size_t	 l = strlen(w->dir);

	if (!w->track || strncmp(dst, w->dir, l) != 0 || dst[l] != '/')
		return;
	pthread_mutex_lock(&w->lock);
	w->wrote = xgrow(w->wrote, w->nwrote, sizeof(*w->wrote));
	w->wrote[w->nwrote++] = xstrdup(dst + l + 1);
	pthread_mutex_unlock(&w->lock);
}

void
writer_partial(struct writer *w)
{
	w->partial = 1;
}

const char *
writer_dir(const struct writer *w)
{
	return w->dir;
}

int
writer_has(const struct writer *w, const char *rel)
{
	return hmap_get(&w->st[S_stripe_of(rel)].set, rel) != NULL;
}

struct writer *
writer_new(const char *dir, int dry)
{
	struct writer	*w;
	struct stat	 st;
	DIR		*d;
	struct dirent	*e;
	char		*marker;
	size_t		 i;
	int		 empty = 1;

	if (!dry && stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			diag_error(dir, 0, 0, "the output path is not a directory");
			return NULL;
		}
		marker = xasprintf("%s/%s", dir, MARKER);
		if (access(marker, F_OK) != 0 && (d = opendir(dir)) != NULL) {
			while ((e = readdir(d)) != NULL)
				if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
					empty = 0;
			closedir(d);
			if (!empty) {
				diag_error(dir, 0, 0,
				    "refusing to write here: the directory is not "
				    "empty and was not made by brochure (no %s file)",
				    MARKER);
				free(marker);
				return NULL;
			}
		}
		free(marker);
	}
	w = xcalloc(1, sizeof(*w));
	w->dir = xstrdup(dir);
	w->dry = dry;
	w->fresh = !dry && stat(dir, &st) == -1 && errno == ENOENT;
	pthread_mutex_init(&w->lock, NULL);
	for (i = 0; i < STRIPES; i++)
		pthread_mutex_init(&w->st[i].lock, NULL);
	if (!dry && !w->fresh) {
		struct stat	 pst;
		char		*parent = xasprintf("%s/..", dir);

		/* beside the output directory when that is the same file
		 * system; what a killed build left there goes first */
		if (stat(parent, &pst) == 0 && pst.st_dev == st.st_dev) {
			w->tmpdir = xasprintf("%s.brochure-tmp", dir);
			S_remove_tree(w->tmpdir);
		}
		free(parent);
	}
	return w;
}

/*
 * mkdir -p for the parent directories of path (under w->dir), recording
 * what it creates. Called without the lock: the kernel's work for one
 * directory does not hold up the other threads' files; the lock is taken
 * only to consult and update the set of known directories.
 */
static int
S_mkdirs(struct writer *w, const char *path)
{
	char		*p = xstrdup(path), *s;
	size_t		 skip = strlen(w->dir);
	struct stripe	*t;
	int		 known, made;

	for (s = p + skip + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		/* a directory seen once needs no more mkdir calls */
		t = S_stripe(w, p);
		pthread_mutex_lock(&t->lock);
		known = hmap_get(&t->dirs, p) != NULL;
		pthread_mutex_unlock(&t->lock);
		if (known) {
			*s = '/';
			continue;
		}
		if (!(made = mkdir(p, 0777) == 0) && errno != EEXIST) {
			S_fail(w);
			diag_error(p, 0, 0, "cannot create directory: %s",
			    strerror(errno));
			free(p);
			return -1;
		}
		pthread_mutex_lock(&t->lock);
		if (made) {
			t->made = xgrow(t->made, t->nmade, sizeof(*t->made));
			t->made[t->nmade++] = xstrdup(p);
		}
		hmap_put(&t->dirs, p, w);
		pthread_mutex_unlock(&t->lock);
		*s = '/';
	}
	free(p);
	return 0;
}

static int
S_ensure_root(struct writer *w)
{
	if (mkdir(w->dir, 0777) == 0) {
		w->made = xgrow(w->made, w->nmade, sizeof(*w->made));
		w->made[w->nmade++] = xstrdup(w->dir);
	} else if (errno != EEXIST) {
		w->failed = 1;		/* the lock is held here */
		diag_error(w->dir, 0, 0, "cannot create directory: %s",
		    strerror(errno));
		return -1;
	}
	__atomic_store_n(&w->rooted, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Does the file at path hold exactly these bytes? */
static int
S_same(const char *path, const void *data, size_t len)
{
	struct stat	 st;
	char		*buf;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd, same = 0;

	if ((fd = open(path, O_RDONLY)) == -1)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == len) {
		buf = xmalloc(len + 1);
		while (got < len && ((r = read(fd, buf + got, len - got)) > 0 ||
		    (r == -1 && errno == EINTR)))
			if (r > 0)
				got += (size_t)r;
		same = got == len && memcmp(buf, data, len) == 0;
		free(buf);
	}
	close(fd);
	return same;
}

static int
S_write_all(int fd, const char *p, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		r = write(fd, p, len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/*
 * Claims rel for this build: records it, creates its directories. Returns
 * 1 with *dst (malloc'd) and *seq set, 0 when nothing is to be written (a
 * dry run), -1 after reporting an error.
 */
static int
S_claim(struct writer *w, const char *rel, char **dst, unsigned long *seq)
{
	int	 rooted;

	if (!S_set_add(w, rel)) {
		diag_error(rel, 0, 0, "two pages are written to the same file");
		return -1;
	}
	if (w->dry)
		return 0;
	if (!__atomic_load_n(&w->rooted, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&w->lock);
		rooted = w->rooted || S_ensure_root(w) == 0;
		pthread_mutex_unlock(&w->lock);
		if (!rooted)
			return -1;
	}
	*dst = xjoin(w->dir, "/", rel, (char *)NULL);
	*seq = __atomic_add_fetch(&w->seq, 1, __ATOMIC_RELAXED);
	if (S_mkdirs(w, *dst) == -1) {
		free(*dst);
		return -1;
	}
	return 1;
}

/* The temporary dst is written to before its rename, or NULL (reported). */
static char *
S_tmp_path(struct writer *w, const char *dst, unsigned long seq)
{
	const char	*slash = strrchr(dst, '/');

	if (w->tmpdir == NULL)
		return xasprintf("%.*s/.%s.%ld-%lu.tmp", (int)(slash - dst), dst,
		    slash + 1, (long)getpid(), seq);
	pthread_mutex_lock(&w->lock);
	if (!w->tmpmade && mkdir(w->tmpdir, 0777) == -1 && errno != EEXIST) {
		w->failed = 1;
		pthread_mutex_unlock(&w->lock);
		diag_error(w->tmpdir, 0, 0, "cannot create directory: %s",
		    strerror(errno));
		return NULL;
	}
	w->tmpmade = 1;
	pthread_mutex_unlock(&w->lock);
	return xasprintf("%s/%lu", w->tmpdir, seq);
}

/* Queues tmp for its rename over dst at commit (both taken over). */
static void
S_pend(struct writer *w, char *tmp, char *dst)
{
	pthread_mutex_lock(&w->lock);
	w->pend = xgrow(w->pend, w->npend, sizeof(*w->pend));
	w->pend[w->npend].tmp = tmp;
	w->pend[w->npend++].dst = dst;
	pthread_mutex_unlock(&w->lock);
}

static void
S_count(size_t *n)
{
	__atomic_add_fetch(n, 1, __ATOMIC_RELAXED);
}

int
writer_put(struct writer *w, const char *rel, const void *data, size_t len)
{
	char		*dst, *tmp;
	unsigned long	 seq;
	int		 fd, r;

	if ((r = S_claim(w, rel, &dst, &seq)) <= 0)
		return r;
	if (w->fresh) {
		fd = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd == -1 || S_write_all(fd, data, len) == -1 || close(fd) == -1) {
			S_fail(w);
			diag_error(dst, 0, 0, "cannot write: %s", strerror(errno));
			if (fd != -1)
				close(fd);
			free(dst);
			return -1;
		}
		S_wrote(w, dst);
		free(dst);
		S_count(&w->nfresh);
		return 0;
	}
	if (S_same(dst, data, len)) {
		S_count(&w->unchanged);
		free(dst);
		return 0;
	}
	if ((tmp = S_tmp_path(w, dst, seq)) == NULL) {
		free(dst);
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0666);
	if (fd == -1 || S_write_all(fd, data, len) == -1) {
		S_fail(w);
		diag_error(dst, 0, 0, "cannot write: %s", strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		free(dst);
		return -1;
	}
	if (close(fd) == -1) {
		S_fail(w);
		diag_error(dst, 0, 0, "cannot write: %s", strerror(errno));
		unlink(tmp);
		free(tmp);
		free(dst);
		return -1;
	}
	S_wrote(w, dst);
	S_pend(w, tmp, dst);
	return 0;
}

/*---- Files written in pieces ----------------------------------------------*/

#define WFILE_BUF	(256 * 1024)

struct wfile {
	struct writer	*w;
	char		*dst;
	char		*tmp;	/* NULL: written straight to dst (fresh) */
	int		 fd;	/* -1: a dry run, or failed */
	int		 failed;
	size_t		 len;	/* bytes waiting in buf */
	char		*buf;
};

struct wfile *
writer_open(struct writer *w, const char *rel)
{
	struct wfile	*f;
	unsigned long	 seq = 0;
	char		*dst = NULL;
	int		 r;

	if ((r = S_claim(w, rel, &dst, &seq)) < 0)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->w = w;
	f->fd = -1;
	if (r == 0)		/* dry: the bytes go nowhere */
		return f;
	f->dst = dst;
	f->buf = xmalloc(WFILE_BUF);
	if (!w->fresh && (f->tmp = S_tmp_path(w, dst, seq)) == NULL) {
		f->failed = 1;
		return f;
	}
	f->fd = open(f->tmp != NULL ? f->tmp : dst,
	    O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0666);
	if (f->fd == -1) {
		S_fail(w);
		diag_error(dst, 0, 0, "cannot write: %s", strerror(errno));
		f->failed = 1;
	}
	return f;
}

/* Writes len bytes at p to f's file; an error is reported once. */
static void
S_wfile_write(struct wfile *f, const void *p, size_t len)
{
	if (f->fd != -1 && !f->failed && len > 0 &&
	    S_write_all(f->fd, p, len) == -1) {
		S_fail(f->w);
		diag_error(f->dst, 0, 0, "cannot write: %s", strerror(errno));
		f->failed = 1;
	}
}

static void
S_wfile_flush(struct wfile *f)
{
	S_wfile_write(f, f->buf, f->len);
	f->len = 0;
}

void
wfile_put(struct wfile *f, const void *data, size_t len)
{
	if (f->fd == -1 || f->failed)
		return;
	if (f->len + len > WFILE_BUF) {
		S_wfile_flush(f);
		if (len >= WFILE_BUF) {		/* too big to buffer */
			S_wfile_write(f, data, len);
			return;
		}
	}
	memcpy(f->buf + f->len, data, len);
	f->len += len;
}

/* Do the files at a and b hold the same bytes? */
static int
S_same_files(const char *a, const char *b)
{
	struct stat	 sa, sb;
	char		*x, *y;
	ssize_t		 ra, rb;
	int		 fa, fb, same = 0;

	if ((fa = open(a, O_RDONLY)) == -1)
		return 0;
	if ((fb = open(b, O_RDONLY)) == -1) {
		close(fa);
		return 0;
	}
	if (fstat(fa, &sa) == 0 && fstat(fb, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sa.st_size == sb.st_size) {
		x = xmalloc(2 * 65536);
		y = x + 65536;
		for (;;) {
			ra = read(fa, x, 65536);
			rb = read(fb, y, 65536);
			if (ra != rb || ra < 0)
				break;
			if (ra == 0) {
				same = 1;
				break;
			}
			if (memcmp(x, y, (size_t)ra) != 0)
				break;
		}
		free(x);
	}
	close(fa);
	close(fb);
	return same;
}

int
writer_close(struct wfile *f)
{
	struct writer	*w = f->w;
	int		 rc = 0;

	if (f->fd != -1) {
		S_wfile_flush(f);
		if (close(f->fd) == -1 && !f->failed) {
			S_fail(w);
			diag_error(f->dst, 0, 0, "cannot write: %s",
			    strerror(errno));
			f->failed = 1;
		}
	}
	if (f->dst == NULL) {		/* dry */
	} else if (f->failed) {
		if (f->tmp != NULL)
			unlink(f->tmp);
		rc = -1;
	} else if (f->tmp == NULL) {
		S_wrote(w, f->dst);
		S_count(&w->nfresh);
	} else if (S_same_files(f->tmp, f->dst)) {
		unlink(f->tmp);
		S_count(&w->unchanged);
	} else {
		S_wrote(w, f->dst);
		S_pend(w, f->tmp, f->dst);
		f->tmp = f->dst = NULL;
	}
	free(f->tmp);
	free(f->dst);
	free(f->buf);
	free(f);
	return rc;
}

int
writer_copy(struct writer *w, const char *rel, const char *src)
{
	FILE	*f;
	char	*data = NULL;
	size_t	 len = 0, cap = 0, r;
	int	 rc;

	if ((f = fopen(src, "rb")) == NULL) {
		S_fail(w);
		diag_error(src, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap)
			data = xrealloc(data, cap = cap ? cap * 2 : 65536);
		if ((r = fread(data + len, 1, cap - len, f)) == 0)
			break;
		len += r;
	}
	if (ferror(f)) {
		S_fail(w);
		diag_error(src, 0, 0, "cannot read: %s", strerror(errno));
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	rc = writer_put(w, rel, data, len);
	free(data);
	return rc;
}

/* Removes files under dir (relative prefix rel) that were not produced. */
static void
S_prune(struct writer *w, const char *dir, const char *rel, size_t *removed)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*path, *sub;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (*rel == '\0' && strcmp(e->d_name, MARKER) == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		sub = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				S_prune(w, path, sub, removed);
				rmdir(path);	/* only succeeds when empty */
			} else if (!writer_has(w, sub)) {
				if (unlink(path) == 0) {
					(*removed)++;
					S_wrote(w, path);
				}
			}
		}
		free(path);
		free(sub);
	}
	closedir(d);
}

int
writer_commit(struct writer *w, struct write_stats *st)
{
	char		*marker;
	const char	*pause;
	size_t		 i;
	int		 rc = 0, fd;

	memset(st, 0, sizeof(*st));
	if (w->dry)
		return 0;
	if (S_ensure_root(w) == -1)
		return -1;
	pause = getenv("BROCHURE_TEST_RENAME_PAUSE_MS");
	if (pause != NULL && w->npend > 0)
		fprintf(stderr, "brochure: renaming %zu files\n", w->npend);
	for (i = 0; i < w->npend; i++) {
		/* a test-only pause, so that a test can kill a build here */
		if (pause != NULL) {
			struct timespec	 ts = { 0, (long)atoi(pause) * 1000000L };

			nanosleep(&ts, NULL);
		}
		if (rename(w->pend[i].tmp, w->pend[i].dst) == -1) {
			diag_error(w->pend[i].dst, 0, 0, "cannot rename into place: %s",
			    strerror(errno));
			unlink(w->pend[i].tmp);
			rc = -1;
		}
		free(w->pend[i].tmp);
		free(w->pend[i].dst);
	}
	st->written = w->npend + w->nfresh;
	if (w->tmpdir != NULL)
		S_remove_tree(w->tmpdir);
	free(w->pend);
	w->pend = NULL;
	w->npend = 0;
	st->unchanged = w->unchanged;
	marker = xasprintf("%s/%s", w->dir, MARKER);
	if ((fd = open(marker, O_WRONLY | O_CREAT, 0666)) != -1)
		close(fd);
	free(marker);
	if (!w->fresh && !w->partial)
		S_prune(w, w->dir, "", &st->removed);
	return rc;
}

/* Removes everything under dir (a fresh output directory being aborted). */
static void
S_remove_tree(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			S_remove_tree(path);
		else
			unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}

/* A directory's path is longer than its parent's. */
static int
S_deeper_first(const void *a, const void *b)
{
	size_t	 la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

void
writer_abort(struct writer *w)
{
	size_t	 i;

	for (i = 0; i < w->npend; i++) {
		unlink(w->pend[i].tmp);
		free(w->pend[i].tmp);
		free(w->pend[i].dst);
	}
	free(w->pend);
	w->pend = NULL;
	w->npend = 0;
	if (w->tmpdir != NULL)
		S_remove_tree(w->tmpdir);
	if (w->fresh) {
		S_remove_tree(w->dir);
		return;
	}
	/* threads record what they made in any order: the deepest first */
	for (i = 0; i < STRIPES; i++) {
		if (w->st[i].nmade == 0)
			continue;
		w->made = xrealloc(w->made, (w->nmade + w->st[i].nmade) *
		    sizeof(*w->made));
		memcpy(w->made + w->nmade, w->st[i].made,
		    w->st[i].nmade * sizeof(*w->made));
		w->nmade += w->st[i].nmade;
		free(w->st[i].made);
		w->st[i].made = NULL;
		w->st[i].nmade = 0;
	}
	if (w->nmade > 1)
		qsort(w->made, w->nmade, sizeof(*w->made), S_deeper_first);
	for (i = 0; i < w->nmade; i++)
		rmdir(w->made[i]);
}

void
writer_free(struct writer *w)
{
	size_t	 i, k;

	if (w == NULL)
		return;
	for (i = 0; i < STRIPES; i++) {
		hmap_free(&w->st[i].set);
		hmap_free(&w->st[i].dirs);
		for (k = 0; k < w->st[i].nmade; k++)
			free(w->st[i].made[k]);
		free(w->st[i].made);
		pthread_mutex_destroy(&w->st[i].lock);
	}
	for (i = 0; i < w->nmade; i++)
		free(w->made[i]);
	free(w->made);
	free(w->pend);
	for (i = 0; i < w->nwrote; i++)
		free(w->wrote[i]);
	free(w->wrote);
	pthread_mutex_destroy(&w->lock);
	free(w->tmpdir);
	free(w->dir);
	free(w);
}
