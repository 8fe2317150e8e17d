/*
 * main.c - the brochure command line.
 *
 *	brochure build [-C DIR] [-o DIR] [--strict] [--quiet] [--timings]
 *	brochure check [-C DIR] [--strict]
 *	brochure new KIND ID [-C DIR] [--section SECTION]
 *	brochure serve [-C DIR] [--strict] [--bind ADDR] [--port N]
 *	brochure --version | --help
 *
 * Exit status: 0 ok, 1 content errors, 2 usage or environment errors.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "serve.h"
#include "util.h"

#ifndef BROCHURE_VERSION
#define BROCHURE_VERSION "0.1.0"
#endif

static const char S_usage[] =
    "usage: brochure build [-C DIR] [-o DIR] [--strict] [--quiet] [--timings]\n"
    "       brochure check [-C DIR] [--strict]\n"
    "       brochure new KIND ID [-C DIR] [--section SECTION]\n"
    "       brochure serve [-C DIR] [--strict] [--bind ADDR] [--port N]\n"
    "       brochure --version | --help\n";

static const char S_help[] =
    "brochure: a bilingual static-site generator for the IURC brochure\n"
    "\n"
    "commands:\n"
    "  build    content/ + layouts/ -> site/ (or -o DIR)\n"
    "  check    everything build checks, writing nothing; prints the\n"
    "           translation table\n"
    "  new      scaffold ID.en.md and ID.zh.md; KIND is one of city, region,\n"
    "           webinar, study-visit, case-study, page\n"
    "  serve    build, serve site/ on http://127.0.0.1:8080/ and rebuild\n"
    "           when content/ or layouts/ change; open pages reload, and\n"
    "           a failed build shows its errors in the browser\n"
    "\n"
    "options:\n"
    "  -C DIR          the project directory (default: .)\n"
    "  -o DIR          the output directory (default: DIR/site)\n"
    "  --strict        warnings are errors\n"
    "  --quiet         no summary line\n"
    "  --timings       print the time of each phase\n"
    "  --section ID    (new) the section to create the page in (a city or\n"
    "                  region in china gets the two parts of a Chinese pilot)\n"
    "  --bind ADDR     (serve) the address to listen on (default: 127.0.0.1)\n"
    "  --port N        (serve) the port (default: 8080; 0 picks a free one)\n"
    "\n"
    "exit status: 0 ok, 1 content errors, 2 usage or environment errors\n"
    "see brochure(1) and brochure(5)\n";

struct opts {
	const char	*cmd;
	const char	*dir;
	const char	*out;
	const char	*section;
	const char	*bind;
	unsigned	 port;
	const char	*args[2];
	int		 nargs;
	int		 strict, quiet, timings;
};

/*
 * Parses a port number 0-65535 from s into *port. Returns 0, or -1 after
 * saying what is wrong.
 */
static int
S_port(const char *s, unsigned *port)
{
	char		*end;
	unsigned long	 n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || n > 65535) {
		fprintf(stderr, "brochure: --port '%s': not a port number "
		    "(0-65535)\n", s);
		return -1;
	}
	*port = (unsigned)n;
	return 0;
}

static int
S_parse(int argc, char **argv, struct opts *o)
{
	int	 i;

	memset(o, 0, sizeof(*o));
	o->dir = ".";
	o->port = 8080;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(S_help, stdout);
			fputs(S_usage, stdout);
			exit(0);
		} else if (strcmp(a, "--version") == 0) {
			printf("brochure %s\n", BROCHURE_VERSION);
			exit(0);
		} else if (strcmp(a, "-C") == 0 || strcmp(a, "-o") == 0 ||
		    strcmp(a, "--section") == 0 || strcmp(a, "--bind") == 0 ||
		    strcmp(a, "--port") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "brochure: %s needs a value\n", a);
				return -1;
			}
			if (a[1] == 'C')
				o->dir = argv[++i];
			else if (a[1] == 'o')
				o->out = argv[++i];
			else if (strcmp(a, "--bind") == 0)
				o->bind = argv[++i];
			else if (strcmp(a, "--port") == 0) {
				if (S_port(argv[++i], &o->port) == -1)
					return -1;
			} else
				o->section = argv[++i];
		} else if (strcmp(a, "--strict") == 0) {
			o->strict = 1;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o->quiet = 1;
		} else if (strcmp(a, "--timings") == 0) {
			o->timings = 1;
		} else if (a[0] == '-') {
			fprintf(stderr, "brochure: unknown option '%s'\n", a);
			return -1;
		} else if (o->cmd == NULL) {
			o->cmd = a;
		} else if (o->nargs < 2) {
			o->args[o->nargs++] = a;
		} else {
			fprintf(stderr, "brochure: unexpected argument '%s'\n", a);
			return -1;
		}
	}
	if (o->cmd == NULL) {
		fprintf(stderr, "brochure: no command\n");
		return -1;
	}
	return 0;
}

static int
S_build(const struct opts *o, int dry)
{
	struct build_opts	 bo;
	struct build_result	 res;

	memset(&bo, 0, sizeof(bo));
	bo.dir = o->dir;
	bo.out = o->out;
	bo.dry = dry;
	bo.strict = o->strict;
	bo.quiet = o->quiet;
	bo.timings = o->timings;
	bo.table = dry ? stdout : NULL;
	bo.exiting = 1;
	return build_run(&bo, &res);
}

/* brochure serve: runs until SIGINT or SIGTERM. */
static int
S_serve(const struct opts *o)
{
	struct serve_opts	 so;

	memset(&so, 0, sizeof(so));
	so.dir = o->dir;
	so.bind = o->bind;
	so.port = o->port;
	so.strict = o->strict;
	return serve_run(&so);
}

/*---- brochure new ----------------------------------------------------------*/

static int
S_write_new(const char *path, const char *text)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666)) == -1) {
		fprintf(stderr, "brochure: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fprintf(stderr, "brochure: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	printf("%s\n", path);
	return 0;
}

static int
S_new(const struct opts *o)
{
	/* A city and a region differ only in their kind. The editions print
	 * three parts for a European profile and two for a Chinese pilot
	 * (no good practices): a profile made in the china section gets
	 * those two. */
#define PROFILE_EN(kind, country, gp)					\
	"name:\n  en: NAME\n  zh: 名称\nkind: " kind "\ncountry: " country	\
	"\ncoordinates: [0, 0]"						\
	"\npopulation: 0\narea_km2: 0\nclusters: []\nchallenges: []\n"	\
	"partners: []\nweight: 0\nphoto_credits: []\n"			\
	"description: \"\"\n---\n\n## Socio-economic profile\n\n"		\
	gp "## Preferred areas of cooperation\n"
#define PROFILE_ZH(gp)							\
	"description: \"\"\n---\n\n## 社会经济概况\n\n" gp "## 重点合作领域\n"
#define GP_EN	"## Good practices\n\n"
#define GP_ZH	"## 良好实践\n\n"
	static const struct { const char *kind, *section, *en, *zh; } china[] = {
	    { "city", "china", PROFILE_EN("city", "CN", ""), PROFILE_ZH("") },
	    { "region", "china", PROFILE_EN("region", "CN", ""), PROFILE_ZH("") },
	}, k[] = {
	    { "city", "cities", PROFILE_EN("city", "XX", GP_EN), PROFILE_ZH(GP_ZH) },
	    { "region", "regions", PROFILE_EN("region", "XX", GP_EN),
	      PROFILE_ZH(GP_ZH) },
	    { "webinar", "webinars",
	      "title: TITLE\ndate: 2022-01-01\nclusters: []\nparticipants: []\n"
	      "speakers: []\nquotes: []\nweight: 0\ndescription: \"\"\n---\n\n",
	      "title: 标题\nspeakers: []\nquotes: []\ndescription: \"\"\n---\n\n" },
	    { "study-visit", "study-visits",
	      "title: TITLE\ndate: 2023-01-01\nhosts: []\nvisitors: []\n"
	      "clusters: []\nweight: 0\ndescription: \"\"\n---\n\n",
	      "title: 标题\ndescription: \"\"\n---\n\n" },
	    { "case-study", "case-studies",
	      "title: TITLE\npartners: []\nyear: 2023\nclusters: []\nweight: 0\n"
	      "description: \"\"\n---\n\n",
	      "title: 标题\ndescription: \"\"\n---\n\n" },
	    { "page", "pages", "title: TITLE\nweight: 0\ndescription: \"\"\n---\n\n",
	      "title: 标题\ndescription: \"\"\n---\n\n" },
	};
#undef PROFILE_EN
#undef PROFILE_ZH
#undef GP_EN
#undef GP_ZH
	const char	*id = o->args[1], *p;
	char		*dir, *en, *zh, *text;
	size_t		 i;
	int		 rc = 0;

	if (o->nargs != 2) {
		fputs(S_usage, stderr);
		return 2;
	}
	for (i = 0; i < sizeof(k) / sizeof(*k); i++)
		if (strcmp(k[i].kind, o->args[0]) == 0)
			break;
	if (i == sizeof(k) / sizeof(*k)) {
		fprintf(stderr, "brochure: unknown kind '%s' (city, region, webinar, "
		    "study-visit, case-study, page)\n", o->args[0]);
		return 2;
	}
	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			break;
	if (*id == '\0' || *p != '\0' || *id == '-') {
		fprintf(stderr, "brochure: invalid id '%s': use lowercase ASCII "
		    "letters, digits and '-'\n", id);
		return 2;
	}
	dir = xasprintf("%s/content/%s", o->dir, o->section ? o->section :
	    k[i].section);
	if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
		fprintf(stderr, "brochure: %s: %s\n", dir, strerror(errno));
		free(dir);
		return 2;
	}
	en = xasprintf("%s/%s.en.md", dir, id);
	zh = xasprintf("%s/%s.zh.md", dir, id);
	if (access(en, F_OK) == 0 || access(zh, F_OK) == 0) {
		fprintf(stderr, "brochure: %s or %s exists already\n", en, zh);
		rc = 2;
	} else {
		const char *ten = k[i].en, *tzh = k[i].zh;

		if (i < 2 && o->section != NULL &&
		    strcmp(o->section, china[i].section) == 0) {
			ten = china[i].en;
			tzh = china[i].zh;
		}
		text = xasprintf("---\n%s", ten);
		if (S_write_new(en, text) == -1)
			rc = 2;
		free(text);
		text = xasprintf("---\n%s", tzh);
		if (rc == 0 && S_write_new(zh, text) == -1)
			rc = 2;
		free(text);
	}
	free(en);
	free(zh);
	free(dir);
	return rc;
}

/*
 * glibc's allocator for a build, which is a few hundred megabytes
 * allocated once and read all over: the heap on transparent huge pages
 * (hugetlb=1, for the kernel's "madvise" mode), grown 64 MB at a time so
 * that it is in whole huge pages, and freed memory kept for the next page
 * rather than handed back and faulted in again. At 10,000 profiles that is
 * 1,000 page faults instead of 36,000, and a quarter less time. glibc reads
 * these only as a process starts, from the environment, so brochure starts
 * itself once more with them, unless the user set GLIBC_TUNABLES (set it,
 * even empty, to keep glibc's defaults). Not under valgrind, whose tools
 * must see the build, nor with AddressSanitizer's allocator.
 */
#define S_TUNABLES "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864:" \
	"glibc.malloc.trim_threshold=268435456:" \
	"glibc.malloc.mmap_threshold=33554432"

static void
S_tune_allocator(char **argv)
{
#if defined(__GLIBC__) && defined(__linux__) && !BR_ASAN
	const char	*t = getenv("GLIBC_TUNABLES");
	const char	*pre = getenv("LD_PRELOAD");
	char		 self[4096];
	ssize_t		 n;

	if (t != NULL) {
		if (strcmp(t, S_TUNABLES) == 0)
			unsetenv("GLIBC_TUNABLES");	/* read: not passed on */
		return;
	}
	if (pre != NULL && strstr(pre, "vgpreload") != NULL)
		return;
	/* by its own name, which ps and top then show, not "exe" */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || (size_t)n >= sizeof(self) - 1)
		return;			/* no /proc: as we are */
	self[n] = '\0';
	if (setenv("GLIBC_TUNABLES", S_TUNABLES, 1) == 0) {
		execv(self, argv);
		unsetenv("GLIBC_TUNABLES");
	}
#else
	(void)argv;
#endif
}

int
main(int argc, char **argv)
{
	struct opts	 o;
	int		 rc;

	if (S_parse(argc, argv, &o) == -1) {
		fputs(S_usage, stderr);
		return 2;
	}
	if (strcmp(o.cmd, "build") == 0 || strcmp(o.cmd, "check") == 0 ||
	    strcmp(o.cmd, "serve") == 0)
		S_tune_allocator(argv);
	if (strcmp(o.cmd, "build") == 0 && o.nargs == 0)
		rc = S_build(&o, 0);
	else if (strcmp(o.cmd, "check") == 0 && o.nargs == 0 && o.out == NULL)
		rc = S_build(&o, 1);
	else if (strcmp(o.cmd, "serve") == 0 && o.nargs == 0 && o.out == NULL)
		rc = S_serve(&o);
	else if (strcmp(o.cmd, "new") == 0)
		rc = S_new(&o);
	else {
		fprintf(stderr, "brochure: unknown command or arguments: '%s'\n",
		    o.cmd);
		fputs(S_usage, stderr);
		rc = 2;
	}
	diag_reset();
	return rc;
}
