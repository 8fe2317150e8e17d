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
 * Threads: BROCHURE_THREADS, or one per online core, at most 8 (as
 * brochure). Prints one line of key=value pairs for tests/bench/run.sh:
 * the three times in seconds and what each covered. A benchmark tool,
 * built by make bench, not part of brochure.
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
#include <time.h>
#include <unistd.h>

struct file {
	char	*rel;		/* path below the walked root */
	char	*data;
	size_t	 len;
};

struct files {
	const char	*root;
	struct file	*v;
	size_t		 n, cap;
};

/* What the threads of one phase share. */
struct job {
	struct files	*fs;
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

static void *
S_alloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL) {
		fputs("floor: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *
S_join(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);
	char	*p = S_alloc(la + lb + 2);

	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

static double
S_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Collects the regular files under fs->root/rel (rel "" for the root). */
static void
S_walk(struct files *fs, const char *rel)
{
	char		*dir = *rel ? S_join(fs->root, rel) : strdup(fs->root);
	DIR		*d;
	struct dirent	*e;
	struct stat	 st;
	char		*sub, *path;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		S_die("cannot open directory", dir ? dir : fs->root);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = *rel ? S_join(rel, e->d_name) : strdup(e->d_name);
		path = S_join(dir, e->d_name);
		if (sub == NULL || lstat(path, &st) == -1)
			S_die("cannot stat", path);
		free(path);
		if (S_ISDIR(st.st_mode)) {
			S_walk(fs, sub);
			free(sub);
		} else if (S_ISREG(st.st_mode)) {
			if (fs->n == fs->cap) {
				fs->cap = fs->cap ? fs->cap * 2 : 1024;
				fs->v = realloc(fs->v, fs->cap * sizeof(*fs->v));
				if (fs->v == NULL)
					S_die("out of memory", fs->root);
			}
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
	char		*path = S_join(fs->root, f->rel);
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
	f->data = S_alloc((size_t)st.st_size + 1);
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

static void *
S_reader(void *arg)
{
	struct job	*j = arg;
	size_t		 i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->fs->n)
		if (S_read(j->fs, &j->fs->v[i]) == -1) {
			fprintf(stderr, "floor: %s/%s: cannot read\n",
			    j->fs->root, j->fs->v[i].rel);
			atomic_store(&j->failed, 1);
		}
	return NULL;
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

static void *
S_renderer(void *arg)
{
	struct job	*j = arg;
	const struct file *f;
	const char	*body;
	char		*html;
	size_t		 i, n, len;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->fs->n) {
		f = &j->fs->v[i];
		n = strlen(f->rel);
		if (n < 3 || strcmp(f->rel + n - 3, ".md") != 0)
			continue;
		body = S_body(f, &len);
		if ((html = cmark_markdown_to_html(body, len,
		    CMARK_OPT_DEFAULT)) == NULL) {
			atomic_store(&j->failed, 1);
			continue;
		}
		free(html);
		atomic_fetch_add(&j->count, 1);
	}
	return NULL;
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

static void *
S_writer(void *arg)
{
	struct job	*j = arg;
	const struct file *f;
	const char	*p;
	char		*path;
	size_t		 i, left;
	ssize_t		 r;
	int		 fd;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->fs->n) {
		f = &j->fs->v[i];
		path = S_join(j->dest, f->rel);
		if (S_mkdirs(j, path) == -1 ||
		    (fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666)) == -1) {
			fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
			atomic_store(&j->failed, 1);
			free(path);
			continue;
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
	return NULL;
}

/* Runs fn on nt threads over job j; returns the wall time taken. */
static double
S_run(void *(*fn)(void *), struct job *j, int nt)
{
	pthread_t	 th[8];
	double		 t = S_now();
	int		 i, made = 0;

	atomic_store(&j->next, 0);
	for (i = 1; i < nt; i++, made++)
		if (pthread_create(&th[i - 1], NULL, fn, j) != 0)
			break;
	fn(j);
	for (i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	return S_now() - t;
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
	const char	*e = getenv("BROCHURE_THREADS");
	long		 n = e != NULL ? atol(e) : sysconf(_SC_NPROCESSORS_ONLN);
	int		 nt = n < 1 ? 1 : n > 8 ? 8 : (int)n;
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
	j.fs = &src;
	tread = S_run(S_reader, &j, nt);
	atomic_store(&j.count, 0);
	tcmark = S_run(S_renderer, &j, nt);
	docs = atomic_load(&j.count);
	j.fs = &tree;
	j.dest = argv[3];
	atomic_store(&j.count, 0);
	twrite = S_run(S_writer, &j, nt);
	dirs = atomic_load(&j.count);
	if (atomic_load(&j.failed)) {
		fputs("floor: a phase failed (see above)\n", stderr);
		return 1;
	}
	printf("threads=%d read=%.3f files=%zu mb=%.1f cmark=%.3f docs=%zu "
	    "write=%.3f out=%zu dirs=%zu outmb=%.1f\n", nt, tread, src.n,
	    (double)S_bytes(&src) / 1e6, tcmark, docs, twrite, tree.n, dirs,
	    (double)S_bytes(&tree) / 1e6);
	S_free(&src);
	S_free(&tree);
	return 0;
}
