/*
 * mustache_spec.c - runs the Mustache spec tests (and a few of our own)
 * against src/mustache.c.
 *
 * Usage: mustache_spec [SPEC-DIR]   (default ../shared/mustache-spec)
 * Run from the repository root: .build/mustache_spec ../shared/mustache-spec
 * Build (from the repository root; or make -f tests/unit/Makefile.mustache,
 * or the main Makefile's .build/mustache_spec-test):
 *
 *	mkdir -p .build && cc -std=c11 -Wall -Wextra -Werror \
 *	    -Wmissing-prototypes -Wstrict-prototypes -Wwrite-strings -Isrc \
 *	    $(pkg-config --cflags jansson) -o .build/mustache_spec \
 *	    tests/unit/mustache_spec.c src/mustache.c src/buf.c src/util.c \
 *	    src/tv.c src/arena.c \
 *	    $(pkg-config --libs jansson)
 *
 * Prints one line per failure, then "mustache spec: N passed, N failed"
 * and "N passed, N failed". Exits 1 if anything failed, 0 otherwise (also
 * when the spec directory is absent: the spec files are then skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "mustache.h"
#include "tv.h"
#include "util.h"

/*
 * The spec's data (JSON) as the engine's values, in the arena main()
 * keeps open. Keys stay jansson's: the file's tree outlives the values.
 */
static struct tv *
S_tv(json_t *j)
{
	struct tv	*v;
	const char	*k;
	json_t		*x;
	size_t		 i;

	if (j == NULL)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = tv_obj();
		json_object_foreach(j, k, x)
			tv_set(v, k, S_tv(x));
		return v;
	case JSON_ARRAY:
		v = tv_arr();
		json_array_foreach(j, i, x)
			tv_push(v, S_tv(x));
		return v;
	case JSON_STRING:
		return tv_strn(json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return tv_int(json_integer_value(j));
	case JSON_REAL:
		return tv_real(json_real_value(j));
	case JSON_TRUE:
		return tv_true();
	case JSON_FALSE:
		return tv_false();
	default:
		return tv_null();
	}
}

static const char *const S_files[] = {
	"comments.json", "delimiters.json", "interpolation.json",
	"inverted.json", "partials.json", "sections.json", "~inheritance.json"
};

static int	 S_pass, S_fail;

struct S_seen {			/* what the missing callback was told */
	char	 tmpl[64], var[64];
	int	 line, col, calls;
	int	 fail;		/* 1: fail on "t." names; 2: fail without msg */
};

struct S_ud {			/* user data of both callbacks */
	json_t		*partials;	/* name -> source */
	struct S_seen	*seen;
};

/* Loader over a JSON object of name -> source. */
static int
S_loader(void *ud, const char *name, char **src, size_t *len)
{
	json_t	*partials = ((struct S_ud *)ud)->partials, *v;

	if (partials == NULL ||
	    !json_is_string(v = json_object_get(partials, name)))
		return 0;
	*len = json_string_length(v);
	*src = xstrndup(json_string_value(v), *len);
	return 1;
}

/* Prints s with C escapes. */
static void
S_escaped(const char *s, size_t n)
{
	size_t	 i;

	putchar('"');
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default:
			if ((unsigned char)s[i] < 0x20)
				printf("\\x%02x", (unsigned char)s[i]);
			else
				putchar(s[i]);
		}
	}
	putchar('"');
}

static void
S_result(const char *file, const char *name, const char *want,
    size_t wantlen, const char *got, size_t gotlen, const char *note)
{
	if (note == NULL && wantlen == gotlen &&
	    memcmp(want, got, wantlen) == 0) {
		S_pass++;
		return;
	}
	S_fail++;
	printf("FAIL %s: %s", file, name);
	if (note != NULL)
		printf(" (%s)", note);
	printf("\n  expected: ");
	S_escaped(want, wantlen);
	printf("\n  got:      ");
	S_escaped(got, gotlen);
	putchar('\n');
}

static void
S_spec_test(const char *file, json_t *test)
{
	json_t		*jname = json_object_get(test, "name");
	const char	*name = json_string_value(jname);
	json_t		*tmpl = json_object_get(test, "template");
	json_t		*want = json_object_get(test, "expected");
	struct mus_env	*env;
	struct mus_tmpl	*t;
	struct mus_error err;
	struct buf	 out = BUF_INIT;
	struct S_ud	 ud = { json_object_get(test, "partials"), NULL };
	char		 note[1024];

	if (name == NULL || !json_is_string(tmpl) || !json_is_string(want)) {
		S_fail++;
		printf("FAIL %s: malformed test\n", file);
		return;
	}
	env = mus_env_new(S_loader, NULL, &ud);
	t = mus_env_add(env, "template", json_string_value(tmpl),
	    json_string_length(tmpl), &err);
	if (t == NULL || mus_render(env, t, S_tv(json_object_get(test,
	    "data")), &out, &err) < 0) {
		snprintf(note, sizeof(note), "%s:%d:%d: %s", err.name,
		    err.line, err.col, err.msg);
		S_result(file, name, json_string_value(want),
		    json_string_length(want), "", 0, note);
	} else
		S_result(file, name, json_string_value(want),
		    json_string_length(want), out.data ? out.data : "",
		    out.len, NULL);
	buf_free(&out);
	mus_env_free(env);
}

/*
 * The same test with each partial cut out where it is called (the hook)
 * and rendered afterwards on the stack the hook saw (mus_render_stack),
 * spliced back in: the print edition's way. It must give the expected
 * text. Not for partials inside parents, whose blocks a piece cannot see.
 */
struct S_cut {
	struct tv **stk;
	size_t	  nstk, off;
	char	 *indent;
	size_t	  indlen;
};

struct S_cuts {
	struct S_cut	*v;
	size_t		 n;
};

static int
S_cut_hook(void *ud, struct tv *const *stk, size_t nstk, const char *indent,
    size_t indlen, struct buf *out)
{
	struct S_cuts	*c = ud;
	struct S_cut	*k;

	c->v = xgrow(c->v, c->n, sizeof(*c->v));
	k = &c->v[c->n++];
	k->stk = xcalloc(nstk + 1, sizeof(*k->stk));
	memcpy(k->stk, stk, nstk * sizeof(*stk));
	k->nstk = nstk;
	k->off = out->len;
	k->indent = xstrndup(indent, indlen);
	k->indlen = indlen;
	return 1;
}

static void
S_spliced(const char *file, json_t *test, const char *pname)
{
	const char	*name = json_string_value(json_object_get(test, "name"));
	json_t		*tmpl = json_object_get(test, "template");
	json_t		*want = json_object_get(test, "expected");
	struct S_ud	 ud = { json_object_get(test, "partials"), NULL };
	struct mus_env	*env = mus_env_new(S_loader, NULL, &ud);
	struct mus_tmpl	*t, *p;
	struct mus_error err;
	struct S_cuts	 cuts = { NULL, 0 };
	struct buf	 skel = BUF_INIT, out = BUF_INIT;
	size_t		 i, at = 0;
	char		 label[512];
	int		 r;

	snprintf(label, sizeof(label), "%s (%s rendered apart)", name, pname);
	memset(&err, 0, sizeof(err));
	mus_env_hook(env, pname, S_cut_hook, &cuts);
	t = mus_env_add(env, "template", json_string_value(tmpl),
	    json_string_length(tmpl), &err);
	r = t != NULL ? mus_render(env, t, S_tv(json_object_get(test, "data")),
	    &skel, &err) : -1;
	mus_env_hook(env, pname, NULL, NULL);
	p = mus_env_get(env, pname, &err);
	for (i = 0; i < cuts.n && r == 0 && p != NULL; i++) {
		buf_put(&out, skel.data + at, cuts.v[i].off - at);
		at = cuts.v[i].off;
		r = mus_render_stack(env, p, cuts.v[i].stk, cuts.v[i].nstk,
		    cuts.v[i].indent, cuts.v[i].indlen, &out, &err);
	}
	if (r == 0 && skel.len > at)
		buf_put(&out, skel.data + at, skel.len - at);
	if (r < 0)
		S_result(file, label, json_string_value(want),
		    json_string_length(want), "", 0, err.msg);
	else
		S_result(file, label, json_string_value(want),
		    json_string_length(want), out.data ? out.data : "",
		    out.len, NULL);
	for (i = 0; i < cuts.n; i++) {
		free(cuts.v[i].stk);
		free(cuts.v[i].indent);
	}
	free(cuts.v);
	buf_free(&skel);
	buf_free(&out);
	mus_env_free(env);
}

static int
S_spec(const char *dir)
{
	char		 path[4096];
	json_t		*root, *tests;
	json_error_t	 jerr;
	FILE		*fp;
	size_t		 i, k;

	snprintf(path, sizeof(path), "%s/%s", dir, S_files[0]);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	fclose(fp);
	for (i = 0; i < sizeof(S_files) / sizeof(S_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, S_files[i]);
		if ((root = json_load_file(path, 0, &jerr)) == NULL) {
			printf("FAIL %s: cannot load: %s\n", path, jerr.text);
			S_fail++;
			continue;
		}
		tests = json_object_get(root, "tests");
		for (k = 0; k < json_array_size(tests); k++) {
			json_t		*test = json_array_get(tests, k);
			json_t		*parts = json_object_get(test, "partials");
			const char	*pname;
			json_t		*v;

			S_spec_test(S_files[i], test);
			if (strcmp(S_files[i], "~inheritance.json") == 0)
				continue;
			json_object_foreach(parts, pname, v)
				S_spliced(S_files[i], test, pname);
		}
		json_decref(root);
	}
	return 0;
}

/* ------------------------------------------------------------ our own */

static int
S_missing(void *ud, const char *tmpl_name, const char *var, int line,
    int col, struct mus_error *err)
{
	struct S_seen	*seen = ((struct S_ud *)ud)->seen;

	seen->calls++;
	snprintf(seen->tmpl, sizeof(seen->tmpl), "%s", tmpl_name);
	snprintf(seen->var, sizeof(seen->var), "%s", var);
	seen->line = line;
	seen->col = col;
	if (seen->fail == 2)
		return -1;
	if (seen->fail == 1 && strncmp(var, "t.", 2) == 0) {
		snprintf(err->msg, sizeof(err->msg), "unknown key '%s'", var);
		return -1;
	}
	return 0;
}

static void
S_check(const char *name, int ok, const char *detail)
{
	if (ok) {
		S_pass++;
		return;
	}
	S_fail++;
	printf("FAIL own: %s%s%s\n", name, detail ? ": " : "",
	    detail ? detail : "");
}

/* Parses src as "t"; checks the syntax error reported. */
static void
S_syntax(const char *name, const char *src, int line, int col,
    const char *msg)
{
	struct mus_env	*env = mus_env_new(NULL, NULL, NULL);
	struct mus_error err;
	char		 got[1024];

	memset(&err, 0, sizeof(err));
	if (mus_env_add(env, "t", src, strlen(src), &err) != NULL) {
		S_check(name, 0, "parsed without error");
	} else {
		snprintf(got, sizeof(got), "got %s:%d:%d: %s", err.name,
		    err.line, err.col, err.msg);
		S_check(name, strcmp(err.name, "t") == 0 && err.line == line &&
		    err.col == col && strcmp(err.msg, msg) == 0, got);
	}
	mus_env_free(env);
}

/*
 * Renders src with data (JSON text) and partials (JSON object text or
 * NULL). Returns mus_render()'s result; *out gets the output.
 */
static int
S_run(const char *src, const char *data, const char *partials,
    struct S_seen *seen, struct buf *out, struct mus_error *err)
{
	json_t		*d = json_loads(data, JSON_DECODE_ANY, NULL);
	json_t		*p = partials ? json_loads(partials, 0, NULL) : NULL;
	struct S_ud	 ud = { p, seen };
	struct mus_env	*env;
	struct mus_tmpl	*t;
	int		 r = -1;

	env = mus_env_new(S_loader, seen ? S_missing : NULL, &ud);
	memset(err, 0, sizeof(*err));
	if ((t = mus_env_add(env, "page", src, strlen(src), err)) != NULL)
		r = mus_render(env, t, S_tv(d), out, err);
	mus_env_free(env);
	json_decref(d);
	json_decref(p);
	return r;
}

/* What mus_render_flush() handed over: the pieces, then the rest. */
struct S_flushed {
	struct buf	 all;
	size_t		 n, small;	/* flushes; of fewer than MUS_SPILL bytes */
};

static void
S_flush(void *ud, const char *data, size_t len)
{
	struct S_flushed *f = ud;

	buf_put(&f->all, data, len);
	f->n++;
	if (len < MUS_SPILL)
		f->small++;
}

/*
 * A render of some megabytes with a flush gives the bytes of the one
 * without, in pieces of at least MUS_SPILL; a failure after pieces went
 * still fails, at its tag.
 */
static void
S_flushes(void)
{
	struct mus_env	 *env = mus_env_new(NULL, NULL, NULL);
	struct mus_tmpl	 *t;
	struct mus_error  err;
	struct buf	  whole = BUF_INIT, out = BUF_INIT;
	struct S_flushed  f = { BUF_INIT, 0, 0 };
	struct S_seen	  seen;
	struct S_ud	  ud = { NULL, &seen };
	struct tv	 *ctx = tv_obj(), *items = tv_arr(), *o;
	const char	 *src;
	char		  msg[1024];
	size_t		  i;
	int		  r;

	memset(&err, 0, sizeof(err));
	for (i = 0; i < 60000; i++) {
		o = tv_obj();
		tv_set(o, "n", tv_int((long long)i));
		tv_set(o, "name", tv_str(i % 3 ? "Wuhan <武汉>" : "Łódź & Bacău"));
		tv_push(items, o);
	}
	tv_set(ctx, "items", items);
	src = "<ul>\n{{#items}}  <li id=\"i{{n}}\">{{name}}</li>\n{{/items}}</ul>\n";
	t = mus_env_add(env, "list", src, strlen(src), &err);
	r = t != NULL ? mus_render(env, t, ctx, &whole, &err) : -1;
	r |= t != NULL ? mus_render_flush(env, t, ctx, &out, S_flush, &f,
	    &err) : -1;
	buf_put(&f.all, out.data ? out.data : "", out.len);
	snprintf(msg, sizeof(msg), "r=%d whole=%zu flushed=%zu in %zu, %zu "
	    "small, %zu left", r, whole.len, f.all.len, f.n, f.small, out.len);
	S_check("a flushed render is the whole render's bytes", r == 0 &&
	    whole.len > 2 * 1024 * 1024 && f.all.len == whole.len &&
	    memcmp(f.all.data, whole.data, whole.len) == 0, msg);
	S_check("... in pieces of at least MUS_SPILL, the rest left in out",
	    f.n >= 8 && f.small == 0 && out.len < MUS_SPILL, msg);
	mus_env_free(env);

	/* the missing callback failing at the end, after pieces went */
	memset(&seen, 0, sizeof(seen));
	seen.fail = 1;
	env = mus_env_new(NULL, S_missing, &ud);
	buf_reset(&out);
	f.n = 0;
	src = "{{#items}}{{name}}{{/items}}\n{{t.gone}}";
	t = mus_env_add(env, "list", src, strlen(src), &err);
	r = t != NULL ? mus_render_flush(env, t, ctx, &out, S_flush, &f,
	    &err) : 0;
	snprintf(msg, sizeof(msg), "r=%d flushes=%zu err=%s:%d:%d: %s", r, f.n,
	    err.name, err.line, err.col, err.msg);
	S_check("a render failing after a flush fails at its tag", r == -1 &&
	    f.n > 0 && err.line == 2 && err.col == 1, msg);
	mus_env_free(env);
	buf_free(&whole);
	buf_free(&out);
	buf_free(&f.all);
}

static void
S_own(void)
{
	struct buf	 out = BUF_INIT;
	struct mus_error err;
	struct S_seen	 seen;
	struct mus_env	*env;
	char		 msg[1024];
	int		 r;

	S_syntax("unclosed section", "a\n  {{#items}}\nx\n", 2, 3,
	    "unclosed section 'items'");
	S_syntax("unclosed parent", "{{<base}}\n{{$a}}{{/a}}", 1, 1,
	    "unclosed parent 'base'");
	S_syntax("mismatched close", "{{#a}}\n {{/b}}", 2, 2,
	    "unexpected closing tag 'b' (expected 'a')");
	S_syntax("stray close", "x{{/b}}", 1, 2, "unexpected closing tag 'b'");
	S_syntax("unclosed tag", "ab\ncd {{ x", 2, 4, "unclosed tag");
	S_syntax("unclosed triple", "{{{x}}", 1, 1, "unclosed tag");
	S_syntax("empty tag name", "x {{ }}", 1, 3, "empty tag name");
	S_syntax("bad delimiters", "{{=<%=}}", 1, 1,
	    "invalid set delimiters tag");

	/* The missing callback: name, template and position; failing. */
	memset(&seen, 0, sizeof(seen));
	seen.fail = 1;
	r = S_run("x\n  {{#s}}{{t.foo}}{{/s}}", "{\"s\": true, \"t\": {}}",
	    NULL, &seen, &out, &err);
	snprintf(msg, sizeof(msg), "r=%d var=%s %s:%d:%d err=%s:%d:%d: %s", r,
	    seen.var, seen.tmpl, seen.line, seen.col, err.name, err.line,
	    err.col, err.msg);
	S_check("missing callback fails the render", r == -1 &&
	    strcmp(seen.var, "t.foo") == 0 && strcmp(seen.tmpl, "page") == 0 &&
	    seen.line == 2 && seen.col == 9 && strcmp(err.name, "page") == 0 &&
	    err.line == 2 && err.col == 9 &&
	    strcmp(err.msg, "unknown key 't.foo'") == 0, msg);
	buf_reset(&out);

	memset(&seen, 0, sizeof(seen));
	seen.fail = 1;
	r = S_run("[{{a.b}}|{{^c}}none{{/c}}]", "{\"a\": {}}", NULL,
	    &seen, &out, &err);
	snprintf(msg, sizeof(msg), "r=%d calls=%d last=%s %d:%d out=%s", r,
	    seen.calls, seen.var, seen.line, seen.col, out.data);
	S_check("missing callback may carry on", r == 0 && seen.calls == 2 &&
	    strcmp(seen.var, "c") == 0 && seen.line == 1 && seen.col == 10 &&
	    strcmp(out.data, "[|none]") == 0, msg);
	buf_reset(&out);

	memset(&seen, 0, sizeof(seen));
	seen.fail = 2;
	r = S_run("ok {{x}}", "{}", NULL, &seen, &out, &err);
	snprintf(msg, sizeof(msg), "r=%d err=%s", r, err.msg);
	S_check("missing callback default message", r == -1 &&
	    strcmp(err.msg, "missing value 'x'") == 0 && err.line == 1 &&
	    err.col == 4, msg);
	buf_reset(&out);

	/* Integers as "%lld" writes them, to both ends of their range. */
	r = S_run("{{a}} {{b}} {{c}} {{d}} {{e}}", "{\"a\": 0, \"b\": -7, "
	    "\"c\": 1234567890123, \"d\": 9223372036854775807, "
	    "\"e\": -9223372036854775808}", NULL, NULL, &out, &err);
	snprintf(msg, sizeof(msg), "r=%d out=%s", r, out.data);
	S_check("integers", r == 0 && strcmp(out.data, "0 -7 1234567890123 "
	    "9223372036854775807 -9223372036854775808") == 0, msg);
	buf_reset(&out);

	/* A partial that includes itself forever. */
	r = S_run("a\n{{>r}}", "{}", "{\"r\": \"x{{>r}}\"}", NULL, &out,
	    &err);
	snprintf(msg, sizeof(msg), "r=%d %s:%d:%d: %s", r, err.name, err.line,
	    err.col, err.msg);
	S_check("self-recursive partial", r == -1 &&
	    strcmp(err.name, "r") == 0 && err.line == 1 && err.col == 2 &&
	    strstr(err.msg, "partial nesting too deep") != NULL, msg);
	buf_reset(&out);

	/* A parent whose block override includes the parent again. */
	r = S_run("{{<p}}{{$b}}{{<p}}{{/p}}{{/b}}{{/p}}", "{}",
	    "{\"p\": \"<{{$b}}{{/b}}>\"}", NULL, &out, &err);
	snprintf(msg, sizeof(msg), "r=%d %s:%d:%d: %s", r, err.name, err.line,
	    err.col, err.msg);
	S_check("self-recursive block", r == -1 &&
	    strstr(err.msg, "nesting too deep") != NULL, msg);
	buf_reset(&out);

	/* A syntax error in a partial is reported where it is. */
	r = S_run("{{#s}}{{>bad}}{{/s}}", "{\"s\": [1, 2]}",
	    "{\"bad\": \"ok\\n {{/x}}\"}", NULL, &out, &err);
	snprintf(msg, sizeof(msg), "r=%d %s:%d:%d: %s", r, err.name, err.line,
	    err.col, err.msg);
	S_check("syntax error in partial", r == -1 &&
	    strcmp(err.name, "bad") == 0 && err.line == 2 && err.col == 2 &&
	    strcmp(err.msg, "unexpected closing tag 'x'") == 0, msg);
	buf_reset(&out);

	/* Numbers. */
	r = S_run("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	    "{\"a\": 100.0, \"b\": 0.1, \"c\": -2.5, \"d\": 3.14159, "
	    "\"e\": 1e21, \"f\": 12345678901234, \"g\": 0.000001}",
	    NULL, NULL, &out, &err);
	S_check("numbers", r == 0 && strcmp(out.data,
	    "100 0.1 -2.5 3.14159 1e+21 12345678901234 0.000001") == 0,
	    out.data);
	buf_reset(&out);

	/* A layout with a standalone block and a standalone partial in it. */
	r = S_run("{{<base}}\n{{$content}}\n<p>\n  {{>para}}\n</p>\n"
	    "{{/content}}\n{{/base}}\n", "{\"x\": \"X\"}",
	    "{\"base\": \"<body>\\n  {{$content}}\\n  {{/content}}\\n"
	    "</body>\\n\", \"para\": \"a\\n{{x}}\\n\"}", NULL, &out, &err);
	S_check("layout indentation", r == 0 && strcmp(out.data,
	    "<body>\n  <p>\n    a\n    X\n  </p>\n</body>\n") == 0,
	    out.data ? out.data : err.msg);
	buf_reset(&out);

	/* Absent templates; rendering twice from the cache. */
	env = mus_env_new(NULL, NULL, NULL);
	memset(&err, 0, sizeof(err));
	S_check("absent template", mus_env_get(env, "nothing", &err) == NULL &&
	    err.msg[0] == '\0', err.msg);
	if (mus_env_add(env, "twice", "{{#l}}{{.}},{{/l}}", 18, &err) != NULL) {
		json_t	*d = json_loads("{\"l\": [1, \"<\"]}", 0, NULL);

		mus_render(env, mus_env_get(env, "twice", &err), S_tv(d), &out,
		    &err);
		mus_render(env, mus_env_get(env, "twice", &err), S_tv(d), &out,
		    &err);
		S_check("render twice", strcmp(out.data, "1,&lt;,1,&lt;,") == 0,
		    out.data);
		json_decref(d);
	} else
		S_check("render twice", 0, err.msg);
	mus_env_free(env);
	buf_free(&out);
}

int
main(int argc, char *argv[])
{
	const char	*dir = argc > 1 ? argv[1] : "../shared/mustache-spec";
	int		 found;

	arena_begin();		/* the data's values (S_tv) */
	if ((found = S_spec(dir) == 0)) {
		S_own();
		S_flushes();
	}
	arena_end();
	arena_release();
	if (!found) {
		printf("mustache spec: %s not found; skipped\n", dir);
		return 0;
	}
	printf("mustache spec: %d passed, %d failed\n", S_pass, S_fail);
	printf("%d passed, %d failed\n", S_pass, S_fail);
	return S_fail ? 1 : 0;
}
