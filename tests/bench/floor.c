/*
 * floor.c - what a build of given content and output cannot go below, on
 * this machine, in this run: the three costs the speed issue names as the
 * floor, each measured alone on as many threads as brochure uses.
 *
 *   floor CONTENT TREE DEST
 *
 *   read   every regular file under CONTENT (open, read, close), into
 *          memory;
 *   cmark  the body of every .md file among them (after its front
 *          matter) parsed and rendered to HTML by libcmark, in process;
 *   write  the files of TREE (a finished build, read into memory first,
 *          untimed) re-created under DEST, which must not exist: mkdir,
 *          open(O_CREAT | O_EXCL), write, close, and nothing else.
 *
 * Threads: nthreads(), as brochure. Prints one line of key=value pairs
 * for tests/bench/run.sh: the three times in seconds, their sum, and what
 * each covered. A benchmark tool, built by make bench with src/util.c,
 * not part of brochure.
 */
#include <sys/stat.h>

#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

struct file {
	char	*rel;		/* path below the walked root */
	char	*data;
	size_t	 len;
};

struct files {
	const char	*root;
	struct file	*v;
	size_t		 n;
};

/* What the threads of one phase share: each file of fs goes to each(). */
struct job {
	struct files	*fs;
	void		(*each)(struct job *, struct file *);
	const char	*dest;		/* write: the directory made under */
	atomic_size_t	 next;		/* the next file to take */
	atomic_size_t	 count;		/* documents rendered, directories made */
	atomic_int	 failed;
};

static _Noreturn void
S_die(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s: %s: %s\n", path, what, strerror(errno));
	exit(1);
}

/* Collects the regular files under fs->root/rel (rel "" for the root). */
static void
S_walk(struct files *fs, const char *rel)
{
	char		*dir = *rel ? xasprintf("%s/%s", fs->root, rel) :
			    xstrdup(fs->root);
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*sub, *path;

	if ((d = opendir(dir)) == NULL)
		S_die("cannot open directory", dir);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = *rel ? xasprintf("%s/%s", rel, e->d_name) :
		    xstrdup(e->d_name);
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == -1)
			S_die("cannot stat", path);
		free(path);
		if (S_ISDIR(st.st_mode)) {
			S_walk(fs, sub);
			free(sub);
		} else if (S_ISREG(st.st_mode)) {
			fs->v = xgrow(fs->v, fs->n, sizeof(*fs->v));
			fs->v[fs->n].rel = sub;
			fs->v[fs->n].data = NULL;
			fs->v[fs->n++].len = 0;
		} else
			free(sub);
	}
	closedir(d);
	free(dir);
}

static int
S_byrel(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->rel,
	    ((const struct file *)b)->rel);
}

/* Reads file f of fs whole; 0 on success. */
static int
S_read(const struct files *fs, struct file *f)
{
	char		*path = xasprintf("%s/%s", fs->root, f->rel);
	struct stat	 st;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	fd = open(path, O_RDONLY);
	free(path);
	if (fd == -1 || fstat(fd, &st) == -1) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	f->data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size &&
	    ((r = read(fd, f->data + got, (size_t)st.st_size - got)) > 0 ||
	    (r == -1 && errno == EINTR)))
		if (r > 0)
			got += (size_t)r;
	close(fd);
	f->data[got] = '\0';
	f->len = got;
	return got == (size_t)st.st_size ? 0 : -1;
}

static void
S_reader(struct job *j, struct file *f)
{
	if (S_read(j->fs, f) == -1) {
		fprintf(stderr, "floor: %s/%s: cannot read\n", j->fs->root, f->rel);
		atomic_store(&j->failed, 1);
	}
}

/* Whether the line [p, nl) is "---" (CRLF too). */
static int
S_fence(const char *p, const char *nl)
{
	if (nl > p && nl[-1] == '\r')
		nl--;
	return nl - p == 3 && memcmp(p, "---", 3) == 0;
}

/* The text after a leading "---" front-matter block (all of it if none). */
static const char *
S_body(const struct file *f, size_t *len)
{
	const char	*p = f->data, *end = f->data + f->len, *nl;

	*len = f->len;
	if ((nl = memchr(p, '\n', f->len)) == NULL || !S_fence(p, nl))
		return p;
	for (p = nl + 1; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (S_fence(p, nl)) {
			p = nl < end ? nl + 1 : end;
			*len = (size_t)(end - p);
			return p;
		}
	}
	*len = f->len;
	return f->data;
}

static void
S_renderer(struct job *j, struct file *f)
{
	const char	*body;
	char		*html;
	size_t		 n = strlen(f->rel), len;

	if (n < 3 || strcmp(f->rel + n - 3, ".md") != 0)
		return;
	body = S_body(f, &len);
	if ((html = cmark_markdown_to_html(body, len,
	    CMARK_OPT_DEFAULT)) == NULL) {
		atomic_store(&j->failed, 1);
		return;
	}
	free(html);
	atomic_fetch_add(&j->count, 1);
}

/* Makes the directory of path (and its parents under dest) exist. */
static int
S_mkdirs(struct job *j, char *path)
{
	char	*slash = strrchr(path, '/'), *p;
	size_t	 base = strlen(j->dest);
	int	 rc = 0;

	if (slash == NULL || (size_t)(slash - path) <= base)
		return 0;
	*slash = '\0';
	if (mkdir(path, 0777) == 0)
		atomic_fetch_add(&j->count, 1);
	else if (errno == ENOENT) {
		/* a parent is missing too: make them from the top down */
		for (p = path + base + 1; (p = strchr(p, '/')) != NULL; p++) {
			*p = '\0';
			if (mkdir(path, 0777) == 0)
				atomic_fetch_add(&j->count, 1);
			*p = '/';
		}
		if (mkdir(path, 0777) == 0)
			atomic_fetch_add(&j->count, 1);
		else if (errno != EEXIST)
			rc = -1;
	} else if (errno != EEXIST)
		rc = -1;
	*slash = '/';
	return rc;
}

static void
S_writer(struct job *j, struct file *f)
{
	const char	*p;
	char		*path = xasprintf("%s/%s", j->dest, f->rel);
	size_t		 left;
	ssize_t		 r;
	int		 fd;

	if (S_mkdirs(j, path) == -1 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666)) == -1) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		atomic_store(&j->failed, 1);
		free(path);
		return;
	}
	for (p = f->data, left = f->len; left > 0; ) {
		if ((r = write(fd, p, left)) == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			atomic_store(&j->failed, 1);
			break;
		}
		p += r;
		left -= (size_t)r;
	}
	if (close(fd) == -1)
		atomic_store(&j->failed, 1);
	free(path);
}

/* A thread of a phase: takes files until there are none left. */
static void *
S_work(void *arg)
{
	struct job	*j = arg;
	size_t		 i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->fs->n)
		j->each(j, &j->fs->v[i]);
	return NULL;
}

/* Runs a phase: each on every file of fs, on nt threads; its wall time. */
static double
S_run(struct job *j, struct files *fs, void (*each)(struct job *,
    struct file *), int nt)
{
	pthread_t	 th[BR_MAX_THREADS];
	double		 t = now_s();
	int		 i, made = 0;

	j->fs = fs;
	j->each = each;
	atomic_store(&j->next, 0);
	atomic_store(&j->count, 0);
	for (i = 1; i < nt; i++, made++)
		if (pthread_create(&th[i - 1], NULL, S_work, j) != 0)
			break;
	S_work(j);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	return now_s() - t;
}

static size_t
S_bytes(const struct files *fs)
{
	size_t	 i, n = 0;

	for (i = 0; i < fs->n; i++)
		n += fs->v[i].len;
	return n;
}

static void
S_free(struct files *fs)
{
	size_t	 i;

	for (i = 0; i < fs->n; i++) {
		free(fs->v[i].rel);
		free(fs->v[i].data);
	}
	free(fs->v);
}

int
main(int argc, char *argv[])
{
	struct files	 src = { 0 }, tree = { 0 };
	struct job	 j;
	int		 nt = nthreads();
	double		 tread, tcmark, twrite;
	size_t		 docs, dirs, i;

	if (argc != 4) {
		fputs("usage: floor CONTENT TREE DEST\n", stderr);
		return 2;
	}
	src.root = argv[1];
	tree.root = argv[2];
	S_walk(&src, "");
	S_walk(&tree, "");
	/* the tree in the order brochure's output would be written in:
	 * neighbours share a directory */
	qsort(tree.v, tree.n, sizeof(*tree.v), S_byrel);
	for (i = 0; i < tree.n; i++)
		if (S_read(&tree, &tree.v[i]) == -1)
			S_die("cannot read", tree.v[i].rel);
	if (mkdir(argv[3], 0777) == -1)
		S_die("cannot make the output directory", argv[3]);

	memset(&j, 0, sizeof(j));
	j.dest = argv[3];
	tread = S_run(&j, &src, S_reader, nt);
	tcmark = S_run(&j, &src, S_renderer, nt);
	docs = atomic_load(&j.count);
	twrite = S_run(&j, &tree, S_writer, nt);
	dirs = atomic_load(&j.count);
	if (atomic_load(&j.failed)) {
		fputs("floor: a phase failed (see above)\n", stderr);
		return 1;
	}
	printf("threads=%d read=%.3f files=%zu mb=%.1f cmark=%.3f docs=%zu "
	    "write=%.3f out=%zu dirs=%zu outmb=%.1f sum=%.3f\n", nt, tread,
	    src.n, (double)S_bytes(&src) / 1e6, tcmark, docs, twrite, tree.n,
	    dirs, (double)S_bytes(&tree) / 1e6, tread + tcmark + twrite);
	S_free(&src);
	S_free(&tree);
	return 0;
}
