#!/usr/bin/env bash
# run.sh - the whole test suite, as `make check` runs it.
#
# Every case counts once; the last line is "N passed, N failed".
# The binary-driven parts run twice: with ./brochure and with the
# AddressSanitizer + UndefinedBehaviorSanitizer build, where any sanitizer
# report fails the case.
#
#   SHARED=../shared      where the Mustache spec and the seeds live
#   ONLY=diag             run one part: unit, spec, golden, diag, behaviour,
#                         serve, content, tsan, fuzz, pathological, bench,
#                         originality,
#                         clang, links,
#                         browser, pdf
set -u
cd "$(dirname "$0")/.."
export SHARED=${SHARED:-../shared}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
PASS=0
FAIL=0
SKIP=0
ONLY=${ONLY:-}

pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# Adds the counts of a runner's closing "N passed, N failed" line.
runner() {
	local name=$1 out rc p f
	shift
	out=$("$@" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p' | tail -1)
	printf '%s\n' "$out" | grep -E '^(FAIL|.*skipped)' | head -40
	if [ -z "$p" ]; then
		fail "$name: no result line (exit $rc)"
		printf '%s\n' "$out" | tail -20
		return
	fi
	PASS=$((PASS + p))
	FAIL=$((FAIL + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "$name: exit $rc"
	fi
	echo "$name: $p passed, $f failed"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if want unit; then
	runner unit .build/unit-test
fi
if want spec; then
	runner "mustache spec" .build/mustache_spec-test "$SHARED/mustache-spec"
fi
for BIN in ./brochure .build/asan/brochure; do
	export BIN TMP
	tag=$([ "$BIN" = ./brochure ] && echo plain || echo asan)
	if want golden; then
		runner "golden ($tag)" bash tests/golden.sh
	fi
	if want diag; then
		runner "diagnostics ($tag)" bash tests/diag.sh
	fi
	if want behaviour; then
		runner "behaviour ($tag)" bash tests/behaviour.sh
	fi
	if want serve; then
		runner "serve ($tag)" bash tests/serve.sh
	fi
	if want content; then
		runner "content ($tag)" bash tests/content.sh
	fi
done
# ThreadSanitizer: the golden sites, the behaviour cases and the
# repository's own site, built on four threads (the photo cases stay with
# the other builds: libvips's own threads are not instrumented, and TSan
# cannot judge them).
if want tsan; then
	export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
	runner "golden (tsan)" env BIN=.build/tsan/brochure BROCHURE_THREADS=4 \
	    bash tests/golden.sh
	runner "behaviour (tsan)" env BIN=.build/tsan/brochure BROCHURE_THREADS=4 \
	    NO_PHOTOS=1 TMP="$TMP/tsan" bash tests/behaviour.sh
	if BROCHURE_THREADS=4 .build/tsan/brochure build --quiet -o "$TMP/tsan-site" \
	    2>"$TMP/tsan.err"; then
		pass
		echo "tsan: the repository's site, 1 passed, 0 failed"
	else
		fail "tsan: the repository's site"
		head -40 "$TMP/tsan.err"
	fi
	unset TSAN_OPTIONS
fi
# The fuzz targets (tests/fuzz/): every seed and every saved case, once.
if want fuzz; then
	runner fuzz bash tests/fuzz/run.sh replay
fi
# Inputs that once scaled worse than linearly (a scaling check, not a
# time limit), with the plain build.
if want pathological; then
	runner pathological env BIN=./brochure bash tests/pathological.sh
fi
# The bench's floor program (make bench), under the sanitizers.
if want bench; then
	runner "bench floor" bash tests/bench/floor_test.sh
fi
if want originality; then
	runner originality python3 tests/originality.py
fi
# Every internal link and #anchor of the repository's site resolves.
if want links; then
	if ./brochure build --quiet -o "$TMP/links-site" 2>"$TMP/links.err"; then
		runner links python3 tests/linkcheck.py "$TMP/links-site"
	else
		fail "links: ./brochure build failed"
		cat "$TMP/links.err"
	fi
fi
# The layouts in Chromium: a reader's way, screenshots, axe-core, vnu.
if want pdf; then
	runner pdf bash tests/pdf.sh
fi
if want browser; then
	runner browser bash tests/browser/run.sh
fi
if want clang; then
	if make -s check-clang >"$TMP/clang.log" 2>&1; then
		pass
		echo "clang: 1 passed, 0 failed"
	else
		fail "clang -Wall -Wextra -Werror"
		cat "$TMP/clang.log"
	fi
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
