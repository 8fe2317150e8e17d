#!/usr/bin/env bash
# behaviour.sh - what build and check do to the disk and the terminal.
set -u
BIN=${BIN:-./brochure}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TMP=${TMP:-$(mktemp -d)}
T="$TMP/behaviour"
rm -rf "$T"
mkdir -p "$T"
pass=0
fail=0
ok() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL behaviour: $CASE"; fi; }
fresh() { rm -rf "$T/p"; mkdir -p "$T/p"; cp -r tests/golden/basic/content tests/golden/basic/layouts "$T/p/"; }
build() { "$BIN" build --quiet -C "$T/p" "$@" 2>"$T/err"; }
snapshot() { (cd "$T/p/site" && find . -type f -printf '%p %i %s %T@\n' | sort); }

CASE="a build writes the site and its marker"
fresh; build; ok test -f "$T/p/site/en/cities/alpha/index.html" -a -f "$T/p/site/.brochure"

CASE="a rebuild with no change rewrites nothing"
snapshot >"$T/s1"; sleep 0.01; build; snapshot >"$T/s2"
ok cmp -s "$T/s1" "$T/s2"

CASE="the summary counts unchanged files"
"$BIN" build -C "$T/p" 2>"$T/err"
ok grep -q '(0 written, [0-9]* unchanged, 0 removed)' "$T/err"

CASE="--timings names every phase, the render split into pages, lists and the rest"
build --timings
ok grep -Eq '^timings: load [0-9.]+ s, model [0-9.]+ s, render [0-9.]+ s \(pages [0-9.]+ s, lists [0-9.]+ s, the rest -?[0-9.]+ s; writing files included\), write [0-9.]+ s \(renames, stale files\), total [0-9.]+ s$' "$T/err"

CASE="a failed build leaves the previous site untouched"
snapshot >"$T/s1"
printf -- '---\nname: {en: X, zh: X}\nkind: city\ncountry: ZZ\nclusters: [nope]\n---\n' >"$T/p/content/cities/x.en.md"
echo "changed" >>"$T/p/content/cities/alpha.en.md"
build; rc=$?
snapshot >"$T/s2"
ok test $rc -eq 1
CASE="... byte for byte, and without temporary files or new directories"
ok cmp -s "$T/s1" "$T/s2"
CASE="... and says so"
ok grep -q 'nothing written' "$T/err"
rm "$T/p/content/cities/x.en.md"

CASE="a render error (template) also leaves the site untouched"
cp "$T/p/layouts/profile.mustache" "$T/profile.bak"
echo '{{#oops}}' >>"$T/p/layouts/profile.mustache"
build; rc=$?
snapshot >"$T/s2"
ok test $rc -eq 1 && cmp -s "$T/s1" "$T/s2"
cp "$T/profile.bak" "$T/p/layouts/profile.mustache"

CASE="after a fix, only the changed page is rewritten"
build
snapshot >"$T/s3"
ok test "$(diff "$T/s1" "$T/s3" | grep -c '^>')" -ge 1
CASE="... and unchanged pages keep their inode and time"
ok grep -q "./en/china/beta/index.html" <(comm -12 "$T/s1" "$T/s3")

CASE="stale files of a removed page are removed, with their directories"
rm "$T/p/content/study-visits/2023-06-beta.en.md" "$T/p/content/study-visits/2023-06-beta.zh.md"
build
ok test ! -e "$T/p/site/en/study-visits/2023-06-beta"

CASE="CRLF sources build the same site as LF sources"
fresh; build; mv "$T/p/site" "$T/lf"
find "$T/p/content" -name '*.md' -exec sed -i 's/$/\r/' {} +
build
ok diff -r -q "$T/lf" "$T/p/site"

CASE="check writes nothing"
fresh
rm "$T/p/content/pages/about.zh.md"
"$BIN" check -C "$T/p" >"$T/out" 2>"$T/err"
ok test ! -e "$T/p/site"
CASE="check prints the translation table"
ok grep -q '^pages/about  *yes  —' "$T/out"
CASE="check prints the UI strings line"
ok grep -q '^UI strings missing in zh: none' "$T/out"

CASE="a PDF edition in the output directory is kept and linked with its page count"
fresh; build
printf '%%PDF-1.7\n1 0 obj\n<< /Type /Outlines /Count 9 >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 3 >>\nendobj\n3 0 obj\n<< /Type /Pages /Parent 2 0 R /Count 7 >>\nendobj\n' >"$T/p/site/brochure.en.pdf"
build
ok grep -q 'href="../../../brochure.en.pdf">pdf</a> (3 pages)' "$T/p/site/en/cities/alpha/index.html"
CASE="... only in its own language, and the build leaves it in place"
ok test -f "$T/p/site/brochure.en.pdf" -a "$(grep -c 'brochure.en.pdf' "$T/p/site/zh/china/beta/index.html")" = 0
CASE="a PDF whose page tree cannot be read is linked without a count"
printf '%%PDF-1.7\n%% compressed objects only\n' >"$T/p/site/brochure.zh.pdf"
build
ok grep -q 'href="../../../brochure.zh.pdf">pdf</a> </p>' "$T/p/site/zh/china/beta/index.html"
CASE="an about-data page lists the source notes the pages leave out"
ok grep -q 'source: Population as printed in the test edition.' "$T/p/site/en/about-data/index.html"

CASE="previous and next skip a page that has no translation in the language"
fresh
printf -- '---\nname: {en: Delta, zh: 德尔塔}\nkind: city\ncountry: ES\ncoordinates: [41.0, -4.0]\nclusters: [mobility]\nweight: 3\n---\n\nDelta.\n' >"$T/p/content/cities/delta.en.md"
printf -- '---\nname: {en: Epsilon, zh: 艾普西隆}\nkind: city\ncountry: ES\ncoordinates: [42.0, -5.0]\nclusters: [mobility]\nweight: 4\n---\n\nEpsilon.\n' >"$T/p/content/cities/epsilon.en.md"
printf -- '---\n---\n\n艾普西隆。\n' >"$T/p/content/cities/epsilon.zh.md"
build
ok grep -q 'next <a href="../../../zh/cities/epsilon/index.html">艾普西隆</a>' "$T/p/site/zh/cities/eta/index.html"
CASE="... and link the neighbour in the page's own language"
ok grep -q 'next <a href="../../../en/cities/delta/index.html">Delta</a>' "$T/p/site/en/cities/eta/index.html"

# photos: made here (the repository ships none), read and resized by libvips
# (NO_PHOTOS=1 leaves them out: the ThreadSanitizer run, which cannot judge
# libvips's own threads)
if [ -z "${NO_PHOTOS:-}" ]; then
pngw() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(struct.unpack(">I", d[16:20])[0])' "$1"; }
CASE="a photo is written at the widths its srcset offers"
fresh
mkdir -p "$T/p/content/images/alpha"
python3 tests/photos/mkpng.py "$T/p/content/images/alpha/tram.png" 1200 800
sed -i 's/^description: "A European test city with a tram network."$/&\nphotos:\n  - file: alpha\/tram.png\n    alt: {en: "The tram\x27s stop", zh: 有轨电车站}\n    caption: {en: The stop, zh: 车站}\n    credit: "A. Photographer, CC BY 2.0"/' "$T/p/content/cities/alpha.en.md"
printf '{{#photos}}<img src="{{src}}" srcset="{{srcset}}" width="{{width}}" height="{{height}}" alt="{{alt}}"> {{caption}} © {{credit}} print={{print_src}}{{/photos}}\n' >>"$T/p/layouts/partials/common.mustache"
build
ok test "$(pngw "$T/p/site/images/alpha/tram-480.png") $(pngw "$T/p/site/images/alpha/tram-960.png") $(pngw "$T/p/site/images/alpha/tram-1200.png")" = "480 960 1200"
CASE="... and the page gives src, srcset, width, height, alt and credit"
ok grep -q '<img src="../../../images/alpha/tram-960.png" srcset="../../../images/alpha/tram-480.png 480w, ../../../images/alpha/tram-960.png 960w, ../../../images/alpha/tram-1200.png 1200w" width="960" height="640" alt="The tram’s stop"> The stop © A. Photographer, CC BY 2.0' "$T/p/site/en/cities/alpha/index.html"
CASE="... in each language, with the widest for print"
ok grep -q 'alt="有轨电车站"> 车站 © A. Photographer, CC BY 2.0 print=../../../images/alpha/tram-1200.png' "$T/p/site/zh/cities/alpha/index.html"
CASE="... byte for byte the same on a second build, which rewrites nothing"
cp "$T/p/site/images/alpha/tram-960.png" "$T/tram-960.png"
build
ok cmp -s "$T/tram-960.png" "$T/p/site/images/alpha/tram-960.png"
CASE="... and a photo narrower than the smallest width is written once, at its own"
python3 tests/photos/mkpng.py "$T/p/content/images/alpha/tram.png" 300 200
build
ok test "$(ls "$T/p/site/images/alpha/")" = "tram-300.png"
CASE="check reads the photos and writes nothing"
rm -rf "$T/p/site"
"$BIN" check -C "$T/p" >/dev/null 2>&1
ok test $? -eq 0 -a ! -e "$T/p/site"
fi

# Issue 20, finding 3: an error of the environment exits 2 and names the
# file the user knows (not a temporary one)
CASE="an output path under a file: exit 2, naming the path"
fresh
: >"$T/afile"
"$BIN" build --quiet -C "$T/p" -o "$T/afile/sub" 2>"$T/err"
ok test $? -eq 2 -a "$(grep -c "^$T/afile/sub: error: cannot create directory: Not a directory" "$T/err")" = 1
# a full disk: a 64 KB tmpfs, where root may mount one (CI runs as root)
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=64k tmpfs "$T/tiny" 2>/dev/null; then
	CASE="a full disk: exit 2, each message naming the file it could not write"
	"$BIN" build --quiet -C "$T/p" -o "$T/tiny/site" 2>"$T/err"
	rc=$?
	ok test $rc -eq 2 -a "$(grep -c 'No space left on device' "$T/err")" -ge 1 -a \
	    "$(grep 'No space left' "$T/err" | grep -c '\.tmp')" = 0
	CASE="... and over an existing site, which stays as it was"
	umount "$T/tiny"
	mount -t tmpfs -o size=400k tmpfs "$T/tiny"
	"$BIN" build --quiet -C "$T/p" -o "$T/tiny/site" 2>/dev/null
	(cd "$T/tiny/site" && find . -type f | sort | xargs md5sum) >"$T/before"
	# leave the disk almost full, then change a page and add a big asset
	avail=$(df -k --output=avail "$T/tiny" | tail -1)
	head -c $(( (avail - 8) * 1024 )) /dev/zero >"$T/tiny/filler" 2>/dev/null
	sed -i 's/^Alpha has trams/Alpha has many trams/' "$T/p/content/cities/alpha.en.md"
	head -c 100000 /dev/urandom | base64 >"$T/p/layouts/static/assets/big.txt"
	"$BIN" build --quiet -C "$T/p" -o "$T/tiny/site" 2>"$T/err"
	rc=$?
	(cd "$T/tiny/site" && find . -type f | sort | xargs md5sum) >"$T/after"
	ok test $rc -eq 2 -a "$(grep 'No space left' "$T/err" | grep -c '\.tmp')" = 0 &&
	    cmp -s "$T/before" "$T/after"
	umount "$T/tiny"
	rm -f "$T/p/layouts/static/assets/big.txt"
fi

# Issue 20, finding 4: temporaries live beside the output, never in it,
# and a build killed while it renames leaves every file whole, old or new.
CASE="kill -9 between renames: every file of site/ is whole, old or new"
fresh
build
(cd "$T/p/site" && find . -type f -exec md5sum {} + | sort -k2) >"$T/old.sum"
sed -i 's/^  en: Test Brochure$/  en: Test Brochure, changed/' "$T/p/content/site.yaml"
"$BIN" build --quiet -C "$T/p" -o "$T/newsite" 2>/dev/null
(cd "$T/newsite" && find . -type f -exec md5sum {} + | sort -k2) >"$T/new.sum"
BROCHURE_TEST_RENAME_PAUSE_MS=30 "$BIN" build --quiet -C "$T/p" 2>"$T/err" &
kpid=$!
for _ in $(seq 200); do grep -q '^brochure: renaming' "$T/err" && break; sleep 0.02; done
sleep 0.2
kill -9 $kpid 2>/dev/null
wait $kpid 2>/dev/null
whole=1
while read -r sum name; do
	grep -qx "$sum  $name" "$T/old.sum" || grep -qx "$sum  $name" "$T/new.sum" || { whole=0; echo "not whole: $name"; }
done < <(cd "$T/p/site" && find . -type f -exec md5sum {} + | sort -k2)
ok test $whole = 1 -a "$(grep -c '^brochure: renaming' "$T/err")" = 1
CASE="... some of them new and some still old (the kill fell inside the renames)"
ok test "$(cd "$T/p/site" && find . -type f -exec md5sum {} + | sort -k2 | grep -cFxf "$T/new.sum")" -gt 0 -a \
    "$(cd "$T/p/site" && find . -type f -exec md5sum {} + | sort -k2 | grep -Fxf "$T/old.sum" | grep -cv 'assets/')" -gt 0
CASE="... no temporary inside site/, and the next build clears them away"
ok test "$(find "$T/p/site" -name '*.tmp' -o -name '.*' -type f ! -name .brochure | wc -l)" = 0 -a \
    -d "$T/p/site.brochure-tmp"
build
ok test ! -e "$T/p/site.brochure-tmp" -a "$(find "$T/p/site" -type f | wc -l)" = "$(wc -l <"$T/new.sum")"

CASE="new scaffolds both translations"
"$BIN" new webinar 2024-01-01-demo -C "$T/p" >"$T/out" 2>&1
ok test -f "$T/p/content/webinars/2024-01-01-demo.en.md" -a -f "$T/p/content/webinars/2024-01-01-demo.zh.md"
CASE="new refuses to overwrite"
"$BIN" new webinar 2024-01-01-demo -C "$T/p" >"$T/out" 2>&1
ok test $? -eq 2
CASE="new refuses an id that is not a slug"
"$BIN" new city ../evil -C "$T/p" >"$T/out" 2>&1
ok test $? -eq 2 -a ! -e "$T/p/content/evil.en.md"

CASE="new city in the china section: the two parts of a Chinese pilot"
"$BIN" new city newpilot -C "$T/p" --section china >"$T/out" 2>&1
ok test "$(grep '^## ' "$T/p/content/china/newpilot.en.md" | tr '\n' '|')" = "## Socio-economic profile|## Preferred areas of cooperation|" -a \
    "$(grep '^## ' "$T/p/content/china/newpilot.zh.md" | tr '\n' '|')" = "## 社会经济概况|## 重点合作领域|"
CASE="new city elsewhere: the three parts of a European profile"
"$BIN" new city newcity -C "$T/p" >"$T/out" 2>&1
ok test "$(grep -c '^## ' "$T/p/content/cities/newcity.en.md")" = 3 -a \
    "$(grep -c '^## ' "$T/p/content/cities/newcity.zh.md")" = 3

CASE="the site is the same built on one thread or on four"
fresh
BROCHURE_THREADS=1 "$BIN" build --quiet -C "$T/p" -o "$T/one" 2>/dev/null
BROCHURE_THREADS=4 "$BIN" build --quiet -C "$T/p" -o "$T/four" 2>/dev/null
ok diff -r -q "$T/one" "$T/four"
CASE="... and so are the diagnostics, in the same order"
printf -- '---\nname: {en: X, zh: X}\nkind: city\ncountry: ZZ\nclusters: [nope]\n---\n' >"$T/p/content/cities/x.en.md"
sed -i 's/{{title}}/{{title}}{{t.nope}}/' "$T/p/layouts/section.mustache"
printf -- '---\ntitle: [unclosed\n---\n' >"$T/p/content/pages/y.en.md"
# the front-matter checks run on the loading threads (S_prepare): an
# unknown key, a bad value, no body, a neutral field the translations
# disagree on
printf -- '---\ntitle: X\nname: {en: X, zh: X}\nkind: region\nbogus: 1\ncountry: ZZ\n---\n' >"$T/p/content/cities/x.zh.md"
printf -- '---\ntitle: W\ndate: 2022-13-01\nweight: many\n---\n\nText.\n' >"$T/p/content/webinars/w.en.md"
BROCHURE_THREADS=1 "$BIN" check -C "$T/p" >/dev/null 2>"$T/d1"
BROCHURE_THREADS=4 "$BIN" check -C "$T/p" >/dev/null 2>"$T/d4"
ok cmp -s "$T/d1" "$T/d4"
ok grep -q "x.zh.md:5:1: error: unknown key 'bogus'" "$T/d1"
ok grep -q "x.zh.md:4:7: error: 'kind' is region here but city" "$T/d1"
ok grep -q "w.en.md:3:7: error: date must be a date" "$T/d1"
ok grep -q "x.zh.md: warning: the page has no body" "$T/d1"

CASE="a print edition without layouts/print/page is made whole, and the same"
fresh
# a body whose web page and article come from one parse (md_render2) when
# streamed, from two when whole: repeated headings, anchored links, a
# table's link; the articles and the messages must agree
cat >>"$T/p/content/cities/eta.en.md" <<'MD'

## Good practices

See [Alpha's practices](@/cities/alpha.md#good-practices), then
[about](@/pages/about.md).

## Good practices

| City | Link |
|------|------|
| Alpha | [Alpha](@/cities/alpha.md#good-practices) |
MD
BROCHURE_THREADS=4 "$BIN" build --quiet -C "$T/p" -o "$T/streamed" 2>"$T/e-streamed"
python3 - "$T/p/layouts" <<'PY'
import os, sys
d = sys.argv[1]
page = open(os.path.join(d, "print/page.mustache")).read()
main = open(os.path.join(d, "print.mustache")).read()
open(os.path.join(d, "print.mustache"), "w").write(main.replace("{{> print/page}}", page))
os.remove(os.path.join(d, "print/page.mustache"))
PY
BROCHURE_THREADS=4 "$BIN" build --quiet -C "$T/p" -o "$T/whole" 2>"$T/e-whole"
ok test -s "$T/whole/en/print/index.html" -a -s "$T/whole/zh/print/index.html"
ok diff -r -q "$T/streamed" "$T/whole"
CASE="... with one parse of a body for its page and its article"
ok grep -q 'id="p-cities-eta--good-practices-2"' "$T/streamed/en/print/index.html"
# the body's link and the table's, both to the article's heading
ok test "$(grep -o 'href="#p-cities-alpha--good-practices"' \
    "$T/streamed/en/print/index.html" | wc -l)" -ge 2
ok grep -q 'id="good-practices-2"' "$T/streamed/en/cities/eta/index.html"
ok cmp -s "$T/e-streamed" "$T/e-whole"
CASE="a search index larger than its write buffer is whole, sorted and every term found"
# 40,000 distinct words: index.json runs past half a megabyte, written to its
# file in pieces of 256 KB (search.c's SPILL) from the terms and postings
fresh
{ printf -- '---\ntitle: About\nweight: 1\n---\n\n'
  awk 'BEGIN { for (i = 0; i < 40000; i++) printf "zq%05d%s", i, i % 12 == 11 ? "\n\n" : " " }'
} >"$T/p/content/pages/about.en.md"
ok build
ok python3 - "$T/p/site/en/search/index.json" <<'PY'
import json, sys
x = json.load(open(sys.argv[1], encoding="utf-8"))
terms, posts = x["terms"], x["postings"]
assert len(terms) == len(posts), (len(terms), len(posts))
assert terms == sorted(terms, key=lambda t: t.encode()), "terms out of order"
about = [i for i, d in enumerate(x["docs"]) if "/pages/about/" in d[0]]
assert len(about) == 1, about
want = {"zq%05d" % i for i in range(40000)}
got = {t: p for t, p in zip(terms, posts) if t in want}
assert set(got) == want, len(want - set(got))
assert all(p == [about[0]] for p in got.values())
assert all(sum(p) <= len(x["docs"]) for p in posts)
PY
CASE="a list page larger than the render's buffer goes to its file in pieces, whole"
# 1,500 cities: the section's list page runs past 256 KB (MUS_SPILL), so
# it is written as it renders (S_emit); a rebuild finds it unchanged, and
# a failure after its first pieces went leaves the site as it was
fresh
for i in $(seq -w 1 1500); do
	printf -- '---\nname: {en: "Town %s", zh: "镇%s"}\nkind: city\ncountry: DE\ncoordinates: [52.5, 13.4]\nclusters: [mobility]\nweight: %d\ndescription: \"A town of the fixture, one of fifteen hundred that make its list page longer than a render buffer.\"\n---\n\nTown %s.\n' \
	    "$i" "$i" "$((10#$i + 10))" "$i" >"$T/p/content/cities/town-$i.en.md"
done
ok build
ok test "$(stat -c %s "$T/p/site/en/cities/index.html")" -gt 262144
ok python3 - "$T/p/site/en/cities/index.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
towns = re.findall(r"Town (\d{4})</", html)
assert towns == ["%04d" % i for i in range(1, 1501)], (len(towns), towns[:3])
assert html.rstrip().endswith("</html>"), html[-80:]
PY
CASE="... and a rebuild leaves it alone"
snapshot >"$T/s1"; build; snapshot >"$T/s2"
ok cmp -s "$T/s1" "$T/s2"
CASE="... and a render failing after it was partly written changes nothing"
echo '{{t.no_such_string}}' >>"$T/p/layouts/section.mustache"
build; rc=$?
snapshot >"$T/s2"
ok test $rc -eq 1
ok cmp -s "$T/s1" "$T/s2"
ok grep -q "UI string 'no_such_string' is missing" "$T/err"
CASE="... nor leaves a new output directory behind"
rm -rf "$T/p/site"
build
ok test ! -e "$T/p/site"

CASE="--version and --help exit 0"
ok "$BIN" --version >/dev/null
ok "$BIN" --help >/dev/null
CASE="no content directory is an environment error"
"$BIN" build -C "$T/nowhere" 2>/dev/null
ok test $? -eq 2

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
