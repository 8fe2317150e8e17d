#!/usr/bin/env python3
"""Maps test: reads a built site (argument) and checks the maps a reader
gets. For both languages:

- every profile page has its locator: the panel's picture and, for a
  European pilot, its country's overlay (files that exist), and a dot
  placed inside the picture;
- each home page's programme map links every profile page, once, and
  says what it is (a title);
- no two labels of the programme map overlap, and no label covers a
  marker: the boxes are computed here again from each label's position,
  anchor and text, with the width estimate src/geo.c places them by
  (geo_text_em);
- the print edition's cover carries the programme map.
Ends with "N passed, N failed"."""
import os
import re
import sys

from contentlib import Checks, pages

check = Checks("maps")
site = sys.argv[1]
FONT, R = 11.0, 4.5


def em(s):
    """geo_text_em(): Latin by letter class, CJK a full em."""
    w = 0.0
    for ch in s:
        c = ord(ch)
        if c < 0x80:
            w += 0.28 if ch == " " else 0.66 if "A" <= ch <= "Z" else 0.3 if ch in "ilj'.,-" else 0.56
        else:
            w += 1.0 if c >= 0x2E80 and len(ch.encode()) >= 3 else 0.6
    return w


def unescape(s):
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))


profiles = [(sec, pid) for sec in ("cities", "regions", "china") for pid in pages(sec)]
check(len(profiles) == 44, f"{len(profiles)} profiles")
for lang in ("en", "zh"):
    # locators
    for sec, pid in profiles:
        f = os.path.join(site, lang, sec, pid, "index.html")
        html = open(f, encoding="utf-8").read() if os.path.exists(f) else ""
        m = re.search(r'<figure class="locator">(.*?)</figure>', html, re.S)
        check(m is not None, f"{lang}/{sec}/{pid}: a locator map")
        if not m:
            continue
        imgs = re.findall(r'<img [^>]*?src="((?:\.\./)+)(assets/maps/[^"]+)"', m.group(1))
        check(len(imgs) == (2 if sec != "china" else 1),
              f"{lang}/{sec}/{pid}: the panel{' and its country' if sec != 'china' else ''} ({[i[1] for i in imgs]})")
        for _, rel in imgs:
            check(os.path.exists(os.path.join(site, rel)), f"{lang}/{sec}/{pid}: {rel} exists")
        dot = re.search(r'class="dot" style="left: ([\d.]+)%; top: ([\d.]+)%"', m.group(1))
        check(dot is not None and 0 < float(dot.group(1)) < 100 and 0 < float(dot.group(2)) < 100,
              f"{lang}/{sec}/{pid}: the dot inside the map")
        alt = re.search(r'<img [^>]*alt="([^"]+)"', m.group(1))
        check(alt is not None, f"{lang}/{sec}/{pid}: the map says what it shows")

    # the programme map on the home page
    home = open(os.path.join(site, lang, "index.html"), encoding="utf-8").read()
    m = re.search(r'<svg class="programme-map".*?</svg>', home, re.S)
    check(m is not None, f"{lang}: the home page has the programme map")
    if not m:
        continue
    svg = m.group(0)
    check(re.search(r'role="group" aria-labelledby="pm-title"', svg) is not None and
          re.search(r'<title id="pm-title">[^<]+</title>', svg) is not None, f"{lang}: the map has a title")
    hrefs = re.findall(r'<a href="(?:\.\./)*([^"]+)"><circle class="pilot', svg)
    want = sorted(f"{lang}/{sec}/{pid}/index.html" for sec, pid in profiles)
    check(sorted(hrefs) == want, f"{lang}: the map links every profile once ({len(hrefs)} links)")
    marks = [(float(x), float(y), float(r)) for x, y, r in
             re.findall(r'<circle class="(?:pilot|place)[^"]*" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg.split('class="legend"')[0])]
    boxes = []
    for x, y, anchor, text in re.findall(
            r'<text class="map-label" x="([\d.]+)" y="([\d.]+)" text-anchor="(start|middle|end)"[^>]*>([^<]*)</text>', svg):
        x, y, text = float(x), float(y), unescape(text)
        w = em(text) * FONT
        x0 = x - w * {"start": 0, "middle": 0.5, "end": 1}[anchor]
        boxes.append((x0, y - FONT * 0.9, x0 + w, y + FONT * 0.25, text))
    check(len(boxes) >= 30, f"{lang}: {len(boxes)} of 44 pilots labelled")
    clash = [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
             if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    check(clash == [], f"{lang}: no two labels overlap {clash[:3]}")
    cover = [(a[4], (x, y)) for a in boxes for x, y, r in marks
             if a[0] < x + r and x - r < a[2] and a[1] < y + r and y - r < a[3]]
    check(cover == [], f"{lang}: no label covers a marker {cover[:3]}")

    printed = open(os.path.join(site, lang, "print", "index.html"), encoding="utf-8").read()
    check(re.search(r'<figure class="cover-map"><svg class="programme-map"', printed) is not None,
          f"{lang}: the print cover has the programme map")
    links = re.findall(r'<a href="#(p-[^"]+)"><circle class="pilot', printed)
    check(len(links) == 44 and all(f'id="{a}"' in printed for a in links),
          f"{lang}: the cover map links every profile's spread")

check.finish()
