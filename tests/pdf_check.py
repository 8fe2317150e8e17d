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


for name in names:
    entry = [k for k in toc if k == name or k.startswith(name + " ")]
    check(len(entry) == 1, f"{lang}: '{name}' is in the contents once")
    if len(entry) != 1:
        continue
    n = toc[entry[0]]
    check(1 <= n <= pages and any(l == name or l.startswith(name + " ") for l in first_lines(n)),
          f"{lang}: '{name}' listed on page {n}, and page {n} opens with it ({first_lines(n) if 1 <= n <= pages else '-'})")
    check(n % 2 == 1, f"{lang}: '{name}' opens on a right-hand (odd) page, not {n}")

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
