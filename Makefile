# brochure - a bilingual static-site generator for the IURC brochure.
#
#   make            install what is missing, compile ./brochure, build site/
#   make check      the whole test suite (also under ASan + UBSan)
#   make serve      preview on http://127.0.0.1:8080/ with live reload
#   make pdf        site/iurc-brochure.en.pdf and .zh.pdf (WeasyPrint)
#   make bench      brochure against Hugo on synthetic content (BENCH_LARGE=1
#                   adds 50,000 profiles)
#                   (SERVE_FLAGS='--port 0' or '--bind ADDR --port N')
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
#
# Flags passed by the user are added, not substituted:
#   make CFLAGS=-O0 CC=clang

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=
CC	?= cc

VERSION	 = 0.1.0
PKGS	 = libcmark libutf8proc yaml-0.1 jansson libmicrohttpd
STD	 = -std=c11 -D_POSIX_C_SOURCE=200809L
WARN	 = -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	   -Wwrite-strings -Wno-unused-parameter
OPT	?= -O2 -g
B	 = .build
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libmicrohttpd is loaded by brochure serve when it starts (src/serve.c):
# its header is compiled in, the library is not linked
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libmicrohttpd,$(PKGS)) \
	     2>/dev/null)
FINAL_CFLAGS = $(STD) $(WARN) $(OPT) -DBROCHURE_VERSION='"$(VERSION)"' \
	       $(PKG_CFLAGS) $(CFLAGS)
FINAL_LDFLAGS = $(LDFLAGS) -pthread
FINAL_LIBS = $(PKG_LIBS) $(LIBS) -ldl -lm
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all

LIB_SRC	 = src/arena.c src/build.c src/buf.c src/diag.c src/hmap.c src/fmt.c src/geo.c src/image.c src/load.c src/md.c src/model.c \
	   src/mustache.c src/render.c src/search.c src/sitemap.c src/utf8.c src/tv.c src/util.c \
	   src/write.c src/ytree.c
SRC	 = $(LIB_SRC) src/serve.c src/main.c
OBJ	 = $(SRC:src/%.c=$(B)/%.o)
ASAN_OBJ = $(SRC:src/%.c=$(B)/asan/%.o)
TSAN_OBJ = $(SRC:src/%.c=$(B)/tsan/%.o)
HDR	 = $(wildcard src/*.h)

all: site

# Dependencies are checked once; delete .build/deps to check again.
$(B)/deps:
	@mkdir -p $(B)
	@sh src/deps.sh build
	@touch $@

$(B)/deps-pdf: $(B)/deps
	@sh src/deps.sh pdf
	@touch $@

$(B)/deps-check: $(B)/deps
	@sh src/deps.sh check
	@touch $@

brochure: $(OBJ)
	$(CC) $(FINAL_LDFLAGS) -o $@ $(OBJ) $(FINAL_LIBS)

$(B)/%.o: src/%.c $(HDR) | $(B)/deps
	@mkdir -p $(@D)
	$(CC) $(FINAL_CFLAGS) -c -o $@ $<

$(B)/asan/brochure: $(ASAN_OBJ)
	$(CC) $(SAN) $(FINAL_LDFLAGS) -o $@ $(ASAN_OBJ) $(FINAL_LIBS)

$(B)/asan/%.o: src/%.c $(HDR) | $(B)/deps
	@mkdir -p $(@D)
	$(CC) $(FINAL_CFLAGS) -O1 $(SAN) -c -o $@ $<

# ThreadSanitizer: the build renders on every core (make check runs the
# golden sites and the repository's own site with it).
$(B)/tsan/brochure: $(TSAN_OBJ)
	$(CC) -fsanitize=thread $(FINAL_LDFLAGS) -o $@ $(TSAN_OBJ) $(FINAL_LIBS)

$(B)/tsan/%.o: src/%.c $(HDR) | $(B)/deps
	@mkdir -p $(@D)
	$(CC) $(FINAL_CFLAGS) -O1 -fsanitize=thread -c -o $@ $<

# libFuzzer harnesses (tests/fuzz/), with clang: the library built with
# the fuzzer's coverage and ASan + UBSan, one binary per target.
#   make fuzz FUZZ_SECONDS=60     fuzz each target, growing .build/fuzz/corpus-T
# make check replays every seed and every saved case (tests/fuzz/run.sh).
FUZZ_TARGETS = md mustache utf8 yaml build
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -g -O1
FUZZ_OBJ = $(LIB_SRC:src/%.c=$(B)/fuzz/%.o)
FUZZ_BIN = $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
# kept between runs (make would delete them as intermediates, after the
# test count, and build them again next time)
.SECONDARY: $(FUZZ_OBJ)

$(B)/fuzz/%.o: src/%.c $(HDR) | $(B)/deps
	@mkdir -p $(@D)
	clang $(STD) $(WARN) $(PKG_CFLAGS) -DBROCHURE_VERSION='"$(VERSION)"' \
	    $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(HDR)
	clang $(STD) $(WARN) $(PKG_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc \
	    -o $@ $< $(FUZZ_OBJ) -pthread $(PKG_LIBS) -ldl -lm

fuzz: $(B)/deps-check $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	    echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
	    bash tests/fuzz/run.sh fuzz $$t $(FUZZ_SECONDS) || exit 1; \
	done

# The Mustache spec runner and the unit tests link the same objects.
$(B)/%-test: tests/unit/%.c $(LIB_SRC:src/%.c=$(B)/asan/%.o) $(HDR)
	$(CC) $(FINAL_CFLAGS) -O1 $(SAN) -Isrc -o $@ $< \
	    $(LIB_SRC:src/%.c=$(B)/asan/%.o) $(FINAL_LDFLAGS) $(FINAL_LIBS)

site: brochure
	./brochure build

SERVE_FLAGS ?=
serve: brochure
	./brochure serve $(SERVE_FLAGS)

UNIT	 = $(B)/mustache_spec-test $(B)/unit-test

check: $(B)/deps-check brochure $(B)/asan/brochure $(B)/tsan/brochure $(UNIT) \
    $(B)/asan/bench-floor $(FUZZ_BIN)
	@bash tests/run.sh

# gcc and clang both compile the sources warning-free (part of check).
check-clang: $(B)/deps-check
	@mkdir -p $(B)/clang
	@for f in $(SRC) tests/bench/floor.c; do \
	    clang $(STD) $(WARN) -O2 $(PKG_CFLAGS) -Isrc -fsyntax-only $$f || exit 1; \
	done

install: brochure
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 brochure $(DESTDIR)$(BINDIR)/brochure
	install -m 0644 src/brochure.1 $(DESTDIR)$(MANDIR)/man1/brochure.1
	install -m 0644 src/brochure.5 $(DESTDIR)$(MANDIR)/man5/brochure.5

clean:
	rm -rf $(B) brochure

format:
	clang-format -i src/*.c src/*.h

# The print edition, LANG/print/, through WeasyPrint: both languages at
# once, each only when its print page or its assets changed (src/pdf.sh).
# site.yaml's pdf: names the files; brochure build keeps them in site/,
# and the second build links every page to its language's PDF with its
# page count.
pdf: site $(B)/deps-pdf
	@sh src/pdf.sh site en zh
	@./brochure build --quiet

# The maps' base geography, layouts/geo/*.json: derived from Natural Earth
# (npm world-atlas) by src/geo/derive.mjs and committed; this writes it again.
geo: $(B)/deps
	npm install --prefix $(B)/geo --no-audit --no-fund --ignore-scripts \
	    --no-save world-atlas@2.0.2 topojson-client@3.1.0
	node src/geo/derive.mjs $(B)/geo/node_modules layouts/geo

$(B)/deps-bench: $(B)/deps
	@sh src/deps.sh bench
	@touch $@

# A benchmark, not a test: tests/bench/run.sh says what it measures.
bench: brochure $(B)/deps-bench $(B)/bench-floor
	bash tests/bench/run.sh

# The bench's floor (read, cmark, write, each alone), with util.c's
# helpers; check runs the AddressSanitizer build of it on a small site.
$(B)/bench-floor: tests/bench/floor.c $(B)/util.o $(HDR)
	$(CC) $(FINAL_CFLAGS) -Isrc -o $@ $< $(B)/util.o $(FINAL_LDFLAGS) \
	    $(FINAL_LIBS)

$(B)/asan/bench-floor: tests/bench/floor.c $(B)/asan/util.o $(HDR)
	$(CC) $(FINAL_CFLAGS) -O1 $(SAN) -Isrc -o $@ $< $(B)/asan/util.o \
	    $(FINAL_LDFLAGS) $(FINAL_LIBS)

.PHONY: all site serve pdf bench check check-clang install clean format geo fuzz
