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

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CONTENT = os.path.join(ROOT, "content")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}")


def front(path):
    with open(path, encoding="utf-8") as f:
        m = re.match(r"---\n(.*?)\n---\s*\n", f.read(), re.S)
    return (yaml.safe_load(m.group(1)) or {}) if m else {}


def pages(section):
    d = os.path.join(CONTENT, section)
    out = {}
    for name in sorted(os.listdir(d)):
        m = re.match(r"(.+)\.(en|zh)\.md$", name)
        if m:
            fm = out.setdefault(m.group(1), {})
            for k, v in front(os.path.join(d, name)).items():
                fm.setdefault(k, v)
    return out


site = sys.argv[1]
targets = sys.argv[2:] or ["china/yangzhou", "china/zhengzhou", "cities/stuttgart-region"]
names = {}
for section in ("cities", "regions", "china"):
    for pid, fm in pages(section).items():
        names[pid] = fm["name"]
for e in yaml.safe_load(open(os.path.join(CONTENT, "externals.yaml"), encoding="utf-8")) or []:
    names[e["id"]] = e["name"]
refs = {"webinars": ("participants",), "study-visits": ("hosts", "visitors"),
        "case-studies": ("partners",)}
involved = {s: {pid: set() for pid in names} for s in refs}
for section, keys in refs.items():
    for page, fm in pages(section).items():
        for key in keys:
            for ref in fm.get(key) or []:
                involved[section].setdefault(ref, set()).add(page)
partners = {pid: set() for pid in names}
for p in yaml.safe_load(open(os.path.join(CONTENT, "partnerships.yaml"), encoding="utf-8")) or []:
    a, b = p["between"]
    partners.setdefault(a, set()).add(b)
    partners.setdefault(b, set()).add(a)
for section in ("cities", "regions", "china"):
    for pid, fm in pages(section).items():
        for other in fm.get("partners") or []:
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

print(f"outcomes: {passed} passed, {failed} failed")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
