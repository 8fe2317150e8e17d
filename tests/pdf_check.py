#!/usr/bin/env python3
"""The print edition's PDF, read back with poppler: for every profile the
page number printed in the contents equals the page its title opens; the
page count lies within bounds; every font is embedded, the Chinese PDF
embeds a CJK font, and every character of the text is covered by an
embedded font (nothing fell back to a missing glyph).

usage: pdf_check.py PDF LANG MIN_PAGES MAX_PAGES"""
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


pdf, lang, lo, hi = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
print(f"{pdf}: {pages} pages")
check(lo <= pages <= hi, f"{lang}: {pages} pages, within {lo}..{hi}")
# The build sets names in typographic punctuation (Xi’an), and a CJK face
# may extract a hyphen as U+2011: both sides are compared in plain ASCII.
PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "\u2010": "-", "\u2011": "-"})


def norm(s):
    return s.translate(PLAIN)


text = norm(run("pdftotext", "-layout", pdf, "-")).split("\f")

# the profiles, with their names in this language
names = []
for section in ("cities", "regions", "china"):
    d = os.path.join(ROOT, "content", section)
    for f in sorted(os.listdir(d)):
        if f.endswith(".en.md"):
            fm = yaml.safe_load(open(os.path.join(d, f), encoding="utf-8").read().split("---")[1])
            names.append(norm(fm["name"][lang]))
check(len(names) == 44, f"{lang}: 44 profiles")

# the contents: the pages up to the first profile; an entry is
# "Name OtherName ....... N"
toc = {}
for page in text[:12]:
    for line in page.split("\n"):
        m = re.match(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", line)
        if m:
            toc[m.group(1)] = int(m.group(2))


def first_lines(n):
    lines = [l.strip() for l in text[n - 1].split("\n") if l.strip()]
    return lines[:3]


starts = {}
for name in names:
    entry = [k for k in toc if k == name or k.startswith(name + " ")]
    check(len(entry) == 1, f"{lang}: '{name}' is in the contents once")
    if len(entry) != 1:
        continue
    n = toc[entry[0]]
    check(1 <= n <= pages and any(l == name or l.startswith(name + " ") for l in first_lines(n)),
          f"{lang}: '{name}' listed on page {n}, and page {n} opens with it ({first_lines(n) if 1 <= n <= pages else '-'})")
    check(n % 2 == 0, f"{lang}: '{name}' opens on a left-hand (even) page, not {n}")
    starts[name] = n

# the first pages: the cover, the imprint on page 2, the contents by page 3
contents_page = next((i + 1 for i, p in enumerate(text[:6])
                      if p.strip().split("\n")[0].strip() in ("Contents", "目录")), None)
check(contents_page is not None and contents_page <= 3, f"{lang}: the contents start by page 3 ({contents_page})")
check(len(text) > 1 and any(t in text[1] for t in ("About this edition", "关于本版")),
      f"{lang}: page 2 is the imprint")

# each profile is one spread: it opens on a left-hand page and what follows
# its second page, up to whatever opens next, is blank
opens = sorted(set(toc.values()))
for name, n in starts.items():
    nxt = min([o for o in opens if o > n] + [pages + 1])
    spill = [p for p in range(n + 2, nxt) if text[p - 1].strip()]
    check(not spill, f"{lang}: '{name}' ends by page {n + 1} (text on {spill})")

# a page without body text carries no running head and no folio: every
# page is either empty or has more than a head and a number
heads = {k for k in toc}
for i, page in enumerate(text[:pages]):
    lines = [l.strip() for l in page.split("\n") if l.strip()]
    if not lines:
        continue
    furniture = all(re.fullmatch(r"\d+", l) or l in heads for l in lines)
    check(not furniture, f"{lang}: page {i + 1} has nothing but a head or a folio ({lines})")

# links between pages are links inside the PDF, and sections and profiles
# are bookmarks (WeasyPrint writes both as plain dictionaries)
raw = open(pdf, "rb").read()
links = raw.count(b"/Subtype /Link")
check(links >= 200, f"{lang}: internal links ({links})")
check(raw.count(b"/URI") == 0, f"{lang}: no link leaves the document")
check(b"/Outlines" in raw, f"{lang}: the PDF has bookmarks")
titles = raw.count(b"/Title") - 1
check(titles >= 44 + 3, f"{lang}: a bookmark for each section and profile ({titles})")

# fonts: all embedded, CJK for Chinese, and every character covered
fonts = []
for line in run("pdffonts", pdf).split("\n")[2:]:
    if line.strip():
        parts = line.split()
        name = parts[0].split("+")[-1]
        emb = line[line.index(parts[1]):].split()
        fonts.append((name, line))
check(len(fonts) > 0, f"{lang}: fonts listed")
for name, line in fonts:
    check(" yes yes " in line or " yes no " in line, f"{lang}: font {name} is embedded")
    check("Type 3" not in line, f"{lang}: font {name} is not a Type 3 fallback")
if lang == "zh":
    check(any("CJK" in n for n, _ in fonts), f"zh: a CJK font is embedded ({[n for n, _ in fonts]})")
# Chinese, in either edition, is set in the Simplified Chinese face
check(not any("CJK-JP" in n or "CJK JP" in n for n, _ in fonts),
      f"{lang}: no Japanese CJK face is embedded ({[n for n, _ in fonts if 'JP' in n]})")
# with the print faces (make pdf, src/printfonts.py), nothing falls through
# to the whole Noto Sans CJK SC, which takes seconds to subset
if os.environ.get("PRINT_FACES") == "1":
    whole = [n for n, _ in fonts if "CJK" in n and "Print" not in n]
    check(whole == [], f"{lang}: Chinese is set in the print faces only (also {whole})")

# the document says what it is: title, author, language
info = run("pdfinfo", pdf)
check(re.search(r"^Title:\s+\S", info, re.M) is not None, f"{lang}: the PDF has a title")
check(re.search(r"^Author:\s+\S", info, re.M) is not None, f"{lang}: the PDF has an author")


def charset(family):
    path = run("fc-match", "-f", "%{file}", family)
    out = run("fc-query", "-f", "%{charset}\\n", path).split("\n")[0]
    cover = []
    for r in out.split():
        a, _, b = r.partition("-")
        cover.append((int(a, 16), int(b or a, 16)))
    return cover


covered = []
for name, _ in fonts:
    covered += charset(re.sub(r"-(Bold|Italic|Regular|Oblique|BoldItalic)$", "", name).replace("-", " "))
missing = sorted({c for page in text for c in page
                  if ord(c) > 32 and not any(a <= ord(c) <= b for a, b in covered)})
check(not missing, f"{lang}: every character has a glyph in an embedded font (missing: {''.join(missing[:40])})")

print(f"pdf {lang}: {passed} passed, {failed} failed")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
