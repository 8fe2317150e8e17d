/*
 * fuzz_build.c - libFuzzer: the whole pipeline on a small project (the
 * golden fixture), with the input as one of its pages: loading, decoding,
 * front matter, the model's checks, Markdown and every layout, dry (as
 * brochure check), so nothing is written.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "diag.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 S_dir[] = "/tmp/brochure-fuzz-XXXXXX";
static char	*S_page;

/* the project copy goes when the fuzzer does */
static void
S_cleanup(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", S_dir);
	if (system(cmd) != 0)
		return;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 cmd[1024];

	(void)argc;
	(void)argv;
	if (mkdtemp(S_dir) == NULL)
		abort();
	const char *fx = getenv("BROCHURE_FUZZ_FIXTURE") ?
	    getenv("BROCHURE_FUZZ_FIXTURE") : "tests/golden/basic";

	snprintf(cmd, sizeof(cmd), "cp -r %s/content %s/layouts %s/", fx, fx,
	    S_dir);
	if (system(cmd) != 0)
		abort();
	atexit(S_cleanup);
	S_page = xasprintf("%s/content/cities/alpha.en.md", S_dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct build_opts	 o;
	struct build_result	 r;
	FILE			*f;

	if ((f = fopen(S_page, "wb")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	memset(&o, 0, sizeof(o));
	o.dir = S_dir;
	o.dry = 1;
	o.quiet = 1;
	o.keep_diag = 1;
	build_run(&o, &r);
	diag_reset();
	return 0;
}
