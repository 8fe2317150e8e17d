/*
 * load.c - the load stage: read, decode, split front matter, parse YAML.
 */
#define _DEFAULT_SOURCE		/* MADV_HUGEPAGE, where there is one */
#include <sys/mman.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "load.h"
#include "utf8.h"
#include "util.h"

/*
 * Reads the whole file into a NUL-terminated buffer. Returns NULL after
 * reporting an error (unreadable, not a regular file, too large).
 */
static char *
S_read(const char *path, const char *shown, size_t *len)
{
	struct stat	 st;
	char		*p;
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) == -1) {
		diag_error(shown, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		diag_error(shown, 0, 0, "cannot stat: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(shown, 0, 0, "not a regular file");
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > LOAD_MAX_BYTES) {
		diag_error(shown, 0, 0,
		    "file too large (%lld bytes; the limit is %u MiB)",
		    (long long)st.st_size, LOAD_MAX_BYTES / (1024 * 1024));
		close(fd);
		return NULL;
	}
	p = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		r = read(fd, p + got, (size_t)st.st_size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			diag_error(shown, 0, 0, "cannot read: %s",
			    r == 0 ? "file shrank while reading" : strerror(errno));
			free(p);
			close(fd);
			return NULL;
		}
		got += (size_t)r;
	}
	close(fd);
	p[got] = '\0';
	*len = got;
	return p;
}

/*
 * Maps the names people write to iconv's. Returns NULL for UTF-8 (nothing
 * to convert).
 */
static const char *
S_iconv_name(const char *enc)
{
	if (strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0)
		return NULL;
	if (strcasecmp(enc, "latin-1") == 0 || strcasecmp(enc, "latin1") == 0 ||
	    strcasecmp(enc, "iso-8859-1") == 0)
		return "ISO-8859-1";
	if (strcasecmp(enc, "gb2312") == 0)
		return "GB18030";	/* a superset, and what such files are */
	return enc;
}

/*
 * Converts len bytes from encoding enc to UTF-8. Returns NULL after
 * reporting an error at the first byte the encoding cannot decode.
 */
static char *
S_convert(const char *shown, const char *s, size_t len, const char *enc,
    int encline, int enccol, size_t *outlen)
{
	iconv_t		 cd;
	struct buf	 b = BUF_INIT;
	char		*in = (char *)s, *out;
	size_t		 inleft = len, outleft;
	int		 line, col;

	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1) {
		diag_error(shown, encline, enccol, "unknown encoding '%s'", enc);
		return NULL;
	}
	buf_grow(&b, len * 2 + 16);
	while (inleft > 0) {
		buf_grow(&b, inleft * 2 + 16);
		out = b.data + b.len;
		outleft = b.cap - b.len - 1;
		if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1 &&
		    errno != E2BIG) {
			utf8_position(s, (size_t)(in - s), &line, &col);
			diag_error(shown, line, col,
			    "invalid %s byte sequence", enc);
			iconv_close(cd);
			buf_free(&b);
			return NULL;
		}
		b.len = (size_t)(out - b.data);
	}
	iconv_close(cd);
	buf_putc(&b, '\0');
	b.len--;
	*outlen = b.len;
	return buf_detach(&b);
}

/*
 * Looks for an `encoding:` line in the front matter of raw bytes (ASCII-
 * compatible encodings only). Returns the name in a new string, or NULL;
 * *line and *col get the value's position.
 */
static char *
S_declared_encoding(const char *s, size_t len, int *line, int *col)
{
	size_t	 i, j, k;
	int	 ln = 1;

	if (len < 4 || memcmp(s, "---", 3) != 0 || (s[3] != '\n' && s[3] != '\r'))
		return NULL;
	for (i = 0; i < len; i = j + 1, ln++) {
		for (j = i; j < len && s[j] != '\n'; j++)
			;
		if (ln > 1 && j - i >= 3 && memcmp(s + i, "---", 3) == 0)
			return NULL;
		if (j - i > 9 && memcmp(s + i, "encoding:", 9) == 0) {
			for (k = i + 9; k < j && (s[k] == ' ' || s[k] == '\t' ||
			    s[k] == '"' || s[k] == '\''); k++)
				;
			*line = ln;
			*col = (int)(k - i) + 1;
			i = k;
			for (k = i; k < j && (isalnum((unsigned char)s[k]) ||
			    s[k] == '-' || s[k] == '_'); k++)
				;
			return k > i ? xstrndup(s + i, k - i) : NULL;
		}
	}
	return NULL;
}

char *
load_text(const char *path, const char *shown, const char *source_encoding,
    size_t *lenp)
{
	char		*raw, *dec = NULL, *nfc, *enc;
	const char	*from = NULL;
	size_t		 len, declen, off, i, j;
	int		 line, col, encline = 0, enccol = 0, stable = -1;

	if ((raw = S_read(path, shown, &len)) == NULL)
		return NULL;
	if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		dec = xstrndup(raw + 3, len - 3);
		declen = len - 3;
	} else if (len >= 2 && memcmp(raw, "\xFF\xFE", 2) == 0) {
		dec = S_convert(shown, raw + 2, len - 2, "UTF-16LE", 0, 0, &declen);
	} else if (len >= 2 && memcmp(raw, "\xFE\xFF", 2) == 0) {
		dec = S_convert(shown, raw + 2, len - 2, "UTF-16BE", 0, 0, &declen);
	} else if ((enc = S_declared_encoding(raw, len, &encline, &enccol)) &&
	    (from = S_iconv_name(enc)) != NULL) {
		dec = S_convert(shown, raw, len, from, encline, enccol, &declen);
		free(enc);
	} else {
		free(enc);
		off = utf8_scan(raw, len, &stable);
		if (off == len) {
			dec = raw;
			raw = NULL;
			declen = len;
		} else if (source_encoding != NULL &&
		    (from = S_iconv_name(source_encoding)) != NULL) {
			stable = -1;
			dec = S_convert(shown, raw, len, from, 0, 0, &declen);
		} else {
			utf8_position(raw, off, &line, &col);
			/* a page can declare its encoding; a layout or a data
			 * file is UTF-8 */
			if (strncmp(shown, "content/", 8) == 0 &&
			    strcmp(shown + strlen(shown) - 3, ".md") == 0)
				diag_error(shown, line, col,
				    "invalid UTF-8 (byte 0x%02X); declare the file's "
				    "encoding with 'encoding:' in its front matter "
				    "or source_encoding in content/site.yaml",
				    (unsigned char)raw[off]);
			else
				diag_error(shown, line, col,
				    "invalid UTF-8 (byte 0x%02X); save the file as "
				    "UTF-8", (unsigned char)raw[off]);
		}
	}
	free(raw);
	if (dec == NULL)
		return NULL;
	if (from != NULL && (off = utf8_scan(dec, declen, &stable)) != declen) {
		diag_error(shown, 0, 0, "conversion from %s gave invalid UTF-8", from);
		free(dec);
		return NULL;
	}
	if ((off = strlen(dec)) != declen) {
		utf8_position(dec, off, &line, &col);
		diag_error(shown, line, col, "NUL byte in text");
		free(dec);
		return NULL;
	}
	if (stable < 0)
		stable = utf8_nfc_stable(dec, declen);
	if (stable) {
		/* nothing for NFC to do: keep the buffer (no copy, no hole) */
		nfc = dec;
		len = declen;
	} else {
		nfc = utf8_nfc(dec, declen, &len);
		free(dec);
	}
	if (nfc == NULL) {
		diag_error(shown, 0, 0, "cannot normalise to NFC");
		return NULL;
	}
	/* CRLF and lone CR to LF, in place. */
	i = j = 0;
	if (memchr(nfc, '\r', len) == NULL)
		i = j = len;
	for (; i < len; i++) {
		if (nfc[i] == '\r') {
			nfc[j++] = '\n';
			if (i + 1 < len && nfc[i + 1] == '\n')
				i++;
		} else
			nfc[j++] = nfc[i];
	}
	nfc[j] = '\0';
	*lenp = j;
	return nfc;
}

/* Is the line at s (up to n bytes) a front-matter fence "---" or "..."? */
static int
S_is_fence(const char *s, size_t n, int closing)
{
	size_t	 i;

	if (n < 3 || !(memcmp(s, "---", 3) == 0 ||
	    (closing && memcmp(s, "...", 3) == 0)))
		return 0;
	for (i = 3; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/*---- Page texts, in chunks returned to the system when emptied -------------*/

#define TSTORE	((size_t)4 << 20)	/* bytes per chunk */
#define TGAP	16			/* between texts: a red zone under ASan */

struct tstore {
	size_t	 refs;		/* texts in it, + 1 while a loader fills it */
	size_t	 size, used;
	char	*data;
};

static _Thread_local struct tstore *S_tfill;	/* this loader's chunk */

static void
S_tstore_unref(struct tstore *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	BR_UNPOISON(t->data, t->size);
	munmap(t->data, t->size);
	free(t);
}

/* The loading thread is done: its chunk is now held by its texts only. */
static void
S_tstore_done(void)
{
	if (S_tfill != NULL)
		S_tstore_unref(S_tfill);
	S_tfill = NULL;
}

/*
 * A copy of text (len bytes and a NUL) in this thread's chunk, *owner set
 * to it; NULL (nothing copied) when text is too big for one or no chunk
 * can be mapped: it then stays on the heap.
 */
static char *
S_tstore_keep(const char *text, size_t len, struct tstore **owner)
{
	struct tstore	*t = S_tfill;
	char		*p;
	void		*m;
	int		 fd;

	if (len + 1 + TGAP > TSTORE / 8)
		return NULL;
	if (t == NULL || t->size - t->used < len + 1 + TGAP) {
		/* private zero pages, the POSIX way */
		if ((fd = open("/dev/zero", O_RDWR)) == -1)
			return NULL;
		m = mmap(NULL, TSTORE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			return NULL;
#ifdef MADV_HUGEPAGE
		(void)madvise(m, TSTORE, MADV_HUGEPAGE);
#endif
		S_tstore_done();
		t = S_tfill = xcalloc(1, sizeof(*t));
		t->refs = 1;
		t->size = TSTORE;
		t->data = m;
		BR_POISON(t->data, t->size);
	}
	p = t->data + t->used;
	BR_UNPOISON(p, len + 1);
	memcpy(p, text, len);
	p[len] = '\0';
	t->used += (len + 1 + TGAP + 7) & ~(size_t)7;
	if (t->used > t->size)
		t->used = t->size;
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
	*owner = t;
	return p;
}

void
source_drop_text(struct source *s)
{
	if (s->store != NULL)
		S_tstore_unref(s->store);
	else
		free(s->text);
	s->store = NULL;
	s->text = NULL;
	s->body = NULL;
	s->body_len = 0;
}

struct source *
load_page(const char *path, const char *shown, const char *source_encoding)
{
	struct source	*src;
	size_t		 i, j, fm_start, len;
	char		*text, *kept;
	int		 line;

	if ((text = load_text(path, shown, source_encoding, &len)) == NULL)
		return NULL;
	for (i = 0; i < len && isspace((unsigned char)text[i]); i++)
		;
	if (i == len) {
		diag_error(shown, 0, 0, "empty file");
		free(text);
		return NULL;
	}
	for (j = 0; j < len && text[j] != '\n'; j++)
		;
	if (!S_is_fence(text, j, 0)) {
		diag_error(shown, 1, 1,
		    "no front matter: a page starts with a line '---'");
		free(text);
		return NULL;
	}
	fm_start = j < len ? j + 1 : len;
	line = 2;
	for (i = fm_start; i < len; i = j + 1, line++) {
		for (j = i; j < len && text[j] != '\n'; j++)
			;
		if (S_is_fence(text + i, j - i, 1))
			break;
	}
	if (i >= len) {
		diag_error(shown, 1, 1,
		    "unterminated front matter: no closing '---' line");
		free(text);
		return NULL;
	}
	src = xcalloc(1, sizeof(*src));
	src->path = xstrdup(shown);
	if ((kept = S_tstore_keep(text, len, &src->store)) != NULL) {
		free(text);
		text = kept;
	}
	src->text = text;
	src->len = len;
	src->body = j < len ? text + j + 1 : text + len;
	src->body_len = (size_t)(text + len - src->body);
	src->body_line = line + 1;
	src->fm_hash = fnv1a(FNV1A_BASIS, text, (size_t)(src->body - text));
	src->fm = ytree_parse(shown, text + fm_start, i - fm_start, 2);
	if (src->fm == NULL) {
		source_free(src);
		return NULL;
	}
	if (src->fm->type != Y_MAP) {
		diag_error(shown, src->fm->line, src->fm->col,
		    "front matter must be a mapping of keys to values, not a %s",
		    ynode_kind(src->fm));
		source_free(src);
		return NULL;
	}
	return src;
}

struct ynode *
load_yaml(const char *path, const char *shown)
{
	struct ynode	*root;
	char		*text;
	size_t		 len;

	if ((text = load_text(path, shown, NULL, &len)) == NULL)
		return NULL;
	root = ytree_parse(shown, text, len, 1);
	free(text);
	return root;
}

static int
S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the names in dir, sorted, without hidden and backup files. */
static char **
S_list(const char *dir, size_t *np)
{
	DIR		*d;
	struct dirent	*e;
	char		**v = NULL;
	size_t		 n = 0, cap = 0, l;

	*np = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (e->d_name[0] == '.' || (l && e->d_name[l - 1] == '~') ||
		    (l && e->d_name[l - 1] == '#'))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), S_cmp);
	*np = n;
	return v;
}

static void
S_push(struct source_list *l, struct source *s)
{
	if ((l->n & (l->n + 1)) == 0 || l->n == 0)
		l->v = xrealloc(l->v, (l->n * 2 + 2) * sizeof(*l->v));
	l->v[l->n++] = s;
}

struct load_task {
	char		*path, *spath, *section, *id, *lang;
	struct source	*src;
};

struct load_pool {
	struct load_task *tasks;
	size_t		  ntasks;
	size_t		  next;
	const char	 *enc;
	load_hook_fn	  hook;
	void		 *ud;
};

static void *
S_loader(void *arg)
{
	struct load_pool	*lp = arg;
	struct load_task	*t;
	size_t			 k;

	while ((k = __atomic_fetch_add(&lp->next, 1, __ATOMIC_RELAXED)) <
	    lp->ntasks) {
		t = &lp->tasks[k];
		if ((t->src = load_page(t->path, t->spath, lp->enc)) == NULL)
			continue;
		t->src->section = t->section;
		t->src->id = t->id;
		t->src->lang = t->lang;
		if (lp->hook != NULL)
			lp->hook(t->src, lp->ud);
	}
	S_tstore_done();
	return NULL;
}

/*
 * Loads the pages on every core (nthreads()). Each task owns its result
 * slot, so the order of the list, and of the diagnostics' content, does
 * not depend on the schedule.
 */
static void
S_load_all(struct load_task *tasks, size_t n, const char *enc,
    load_hook_fn hook, void *ud)
{
	struct load_pool	 lp = { tasks, n, 0, enc, hook, ud };
	pthread_t		 th[BR_MAX_THREADS];
	int			 nt = nthreads(), i, started = 0;

	for (i = 1; i < nt && (size_t)i < n; i++)
		if (pthread_create(&th[started], NULL, S_loader, &lp) == 0)
			started++;
	S_loader(&lp);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

void
load_content(const char *dir, const char *shown, const char *const *langs,
    const char *source_encoding, struct source_list *out, load_hook_fn hook,
    void *ud)
{
	struct load_task *tasks = NULL;
	size_t		  ntasks = 0, taskcap = 0;
	char		**secs, **files, *sdir, *path, *spath;
	size_t		  ns, nf, i, k, l, idlen;
	const char	 *name, *dot1, *dot2;
	struct stat	  st;
	struct source	 *src;
	int		  ok;

	if ((secs = S_list(dir, &ns)) == NULL) {
		diag_error(shown, 0, 0, "cannot read the content directory: %s",
		    strerror(errno));
		return;
	}
	for (i = 0; i < ns; i++) {
		sdir = xasprintf("%s/%s", dir, secs[i]);
		/* content/images/ holds the photos pages name, not pages */
		if (stat(sdir, &st) == -1 || !S_ISDIR(st.st_mode) ||
		    strcmp(secs[i], "images") == 0) {
			free(sdir);
			free(secs[i]);
			continue;
		}
		files = S_list(sdir, &nf);
		for (k = 0; k < nf; k++) {
			name = files[k];
			path = xjoin(sdir, "/", name, (char *)NULL);
			spath = xjoin(shown, "/", secs[i], "/", name, (char *)NULL);
			l = strlen(name);
			dot2 = l > 3 && strcmp(name + l - 3, ".md") == 0 ?
			    name + l - 3 : NULL;
			dot1 = NULL;
			if (dot2 != NULL)
				for (dot1 = dot2 - 1; dot1 > name && *dot1 != '.'; dot1--)
					;
			if (dot2 == NULL) {
				if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
					diag_warn(spath, 0, 0,
					    "nested directories are not read");
				else
					diag_warn(spath, 0, 0,
					    "not a page (pages are named ID.LANG.md); ignored");
				goto next;
			}
			ok = 0;
			if (dot1 != NULL && dot1 > name)
				for (l = 0; langs[l] != NULL; l++)
					if (strlen(langs[l]) == (size_t)(dot2 - dot1 - 1) &&
					    strncmp(dot1 + 1, langs[l], strlen(langs[l])) == 0)
						ok = 1;
			if (!ok) {
				diag_error(spath, 0, 0,
				    "a page is named ID.LANG.md with LANG one of the "
				    "site's languages");
				goto next;
			}
			idlen = (size_t)(dot1 - name);
			if (!is_id(name, idlen)) {
				diag_error(spath, 0, 0,
				    "invalid id '%.*s': use lowercase ASCII letters, "
				    "digits and '-'", (int)idlen, name);
				goto next;
			}
			if (ntasks == taskcap) {
				taskcap = taskcap ? taskcap * 2 : 256;
				tasks = xrealloc(tasks, taskcap * sizeof(*tasks));
			}
			tasks[ntasks].path = path;
			tasks[ntasks].spath = spath;
			tasks[ntasks].section = xstrdup(secs[i]);
			tasks[ntasks].id = xstrndup(name, idlen);
			tasks[ntasks].lang = xstrndup(dot1 + 1,
			    (size_t)(dot2 - dot1 - 1));
			tasks[ntasks].src = NULL;
			ntasks++;
			path = spath = NULL;
next:
			free(path);
			free(spath);
			free(files[k]);
		}
		free(files);
		free(sdir);
		free(secs[i]);
	}
	free(secs);
	S_load_all(tasks, ntasks, source_encoding, hook, ud);
	for (k = 0; k < ntasks; k++) {
		if ((src = tasks[k].src) != NULL)
			S_push(out, src);
		else {
			out->failed = xrealloc(out->failed,
			    (out->nfailed + 1) * sizeof(*out->failed));
			out->failed[out->nfailed++] = xasprintf("%s/%s",
			    tasks[k].section, tasks[k].id);
			free(tasks[k].section);
			free(tasks[k].id);
			free(tasks[k].lang);
		}
		free(tasks[k].path);
		free(tasks[k].spath);
	}
	free(tasks);
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	free(s->path);
	free(s->section);
	free(s->id);
	free(s->lang);
	source_drop_text(s);
	ynode_free(s->fm);
	free(s);
}

void
source_list_free(struct source_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		source_free(l->v[i]);
	free(l->v);
	for (i = 0; i < l->nfailed; i++)
		free(l->failed[i]);
	free(l->failed);
	l->v = NULL;
	l->n = 0;
	l->failed = NULL;
	l->nfailed = 0;
}
