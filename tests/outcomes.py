#!/usr/bin/env python3
"""Outcomes on the built site: a profile page lists the webinars, study
visits, case studies and partnerships it takes part in, in both languages.
Checked against the front matter for Yangzhou, Zhengzhou and Stuttgart
Region (and any profile ids given after the site directory).

usage: outcomes.py SITE_DIR [SECTION/ID ...]"""
import os
import re
import sys

import yaml

from contentlib import CONTENT, Checks, merged, pages

check = Checks("outcomes")

site = sys.argv[1]
targets = sys.argv[2:] or ["china/yangzhou", "china/zhengzhou", "cities/stuttgart-region"]
names = {}
for section in ("cities", "regions", "china"):
    for pid, langs in pages(section).items():
        names[pid] = merged(langs)["name"]
for e in yaml.safe_load(open(os.path.join(CONTENT, "externals.yaml"), encoding="utf-8")) or []:
    names[e["id"]] = e["name"]
refs = {"webinars": ("participants",), "study-visits": ("hosts", "visitors"),
        "case-studies": ("partners",)}
involved = {s: {pid: set() for pid in names} for s in refs}
for section, keys in refs.items():
    for page, langs in pages(section).items():
        fm = merged(langs)
        for key in keys:
            for ref in fm.get(key) or []:
                involved[section].setdefault(ref, set()).add(page)
partners = {pid: set() for pid in names}
for p in yaml.safe_load(open(os.path.join(CONTENT, "partnerships.yaml"), encoding="utf-8")) or []:
    a, b = p["between"]
    partners.setdefault(a, set()).add(b)
    partners.setdefault(b, set()).add(a)
for section in ("cities", "regions", "china"):
    for pid, langs in pages(section).items():
        for other in merged(langs).get("partners") or []:
            partners.setdefault(pid, set()).add(other)
            partners.setdefault(other, set()).add(pid)

for target in targets:
    pid = target.split("/")[1]
    for lang in ("en", "zh"):
        path = os.path.join(site, lang, target, "index.html")
        check(os.path.exists(path), f"{lang}/{target}: page exists")
        if not os.path.exists(path):
            continue
        html = open(path, encoding="utf-8").read()
        for section in refs:
            want = involved[section].get(pid, set())
            check(len(want) > 0 or section == "webinars", f"{target} takes part in some {section}")
            for page in sorted(want):
                check(f"/{lang}/{section}/{page}/index.html\"" in html,
                      f"{lang}/{target}: lists {section}/{page}")
        m = re.search(r'<section class="[^"]*partners[^"]*">(.*?)</section>', html, re.S)
        block = m.group(1) if m else ""
        check(len(partners.get(pid, ())) > 0, f"{target} has partners")
        for other in sorted(partners.get(pid, ())):
            check(names[other][lang] in block, f"{lang}/{target}: partner {other} ({names[other][lang]}) shown")

check.finish()
