#!/usr/bin/env bash
# floor_test.sh - the bench's floor program (tests/bench/floor.c) on the
# repository's own content: it reads what is there, counts what it
# renders, re-creates the output tree byte for byte, and refuses what it
# must. Run by make check with the AddressSanitizer build.
set -u
FLOOR=${FLOOR:-.build/asan/bench-floor}
BIN=${BIN:-./brochure}
TMP=${TMP:-$(mktemp -d)}
T="$TMP/floor"
rm -rf "$T"
mkdir -p "$T"
pass=0
fail=0
ok() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL floor: $CASE"; fi; }
# val KEY: the value of KEY in the floor's output line
val() { sed -n "s/.*\(^\| \)$1=\([^ ]*\).*/\2/p" "$T/out"; }

"$BIN" build --quiet -o "$T/site" 2>"$T/build.err" || { cat "$T/build.err"; exit 1; }

CASE="it measures the three parts and exits 0"
BROCHURE_THREADS=2 "$FLOOR" content "$T/site" "$T/dest" >"$T/out" 2>"$T/err"
ok grep -Eq '^threads=2 read=[0-9.]+ files=[0-9]+ mb=[0-9.]+ cmark=[0-9.]+ docs=[0-9]+ write=[0-9.]+ out=[0-9]+ dirs=[0-9]+ outmb=[0-9.]+ sum=[0-9.]+$' "$T/out"

CASE="the sum is the three parts'"
ok awk -v r="$(val read)" -v c="$(val cmark)" -v w="$(val write)" -v s="$(val sum)" \
    'BEGIN { d = s - (r + c + w); exit !(d < 0.0015 && d > -0.0015) }'

CASE="it reads every file under the content"
ok test "$(val files)" = "$(find content -type f | wc -l)"

CASE="it renders every Markdown file, and nothing else"
ok test "$(val docs)" = "$(find content -type f -name '*.md' | wc -l)"

CASE="it writes every file of the tree"
ok test "$(val out)" = "$(find "$T/site" -type f | wc -l)"

CASE="the tree it writes is the tree it was given"
ok diff -r "$T/site" "$T/dest"

CASE="it counts the directories it made"
ok test "$(val dirs)" = "$(find "$T/dest" -mindepth 1 -type d | wc -l)"

CASE="an existing destination is refused: nothing is measured into it"
"$FLOOR" content "$T/site" "$T/dest" >"$T/out" 2>"$T/err"
rc=$?
ok test $rc = 1 -a ! -s "$T/out"
ok grep -q "^floor: $T/dest: cannot make the output directory: File exists$" "$T/err"

CASE="a missing content directory is an error"
"$FLOOR" "$T/nowhere" "$T/site" "$T/dest2" >"$T/out" 2>"$T/err"
rc=$?
ok test $rc = 1 -a ! -e "$T/dest2"
ok grep -q "^floor: $T/nowhere: cannot open directory: No such file or directory$" "$T/err"

CASE="the wrong number of arguments gets the usage"
"$FLOOR" content >"$T/out" 2>"$T/err"
ok test $? = 2
ok grep -q '^usage: floor CONTENT TREE DEST$' "$T/err"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
