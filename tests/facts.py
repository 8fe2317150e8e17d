#!/usr/bin/env python3
"""Facts test: reads the front matter of content/ and checks what the
brochure must contain. One check per line of output on failure; ends with
"N passed, N failed"."""
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
        text = f.read()
    m = re.match(r"---\n(.*?)\n(?:---|\.\.\.)\s*\n", text, re.S)
    return (yaml.safe_load(m.group(1)) or {}) if m else {}


def pages(section):
    d = os.path.join(CONTENT, section)
    out = {}
    if not os.path.isdir(d):
        return out
    for name in sorted(os.listdir(d)):
        m = re.match(r"(.+)\.(en|zh)\.md$", name)
        if m:
            out.setdefault(m.group(1), {})[m.group(2)] = front(os.path.join(d, name))
    return out


def merged(langs):
    fm = {}
    for lang in ("en", "zh"):
        for k, v in langs.get(lang, {}).items():
            fm.setdefault(k, v)
    return fm


clusters = yaml.safe_load(open(os.path.join(CONTENT, "clusters.yaml"), encoding="utf-8"))
check(len(clusters["networks"]) == 3, "3 thematic networks")
check(len(clusters["clusters"]) == 16, "16 clusters")
check(len(clusters["challenges"]) == 3, "3 cross-cutting challenges")
cluster_ids = {c["id"] for c in clusters["clusters"]}

expected = {"cities": 12, "regions": 10, "china": 22}
total = 0
for section, count in expected.items():
    ps = pages(section)
    total += len(ps)
    check(len(ps) == count, f"{section}: {count} profiles (found {len(ps)})")
    weights = []
    for pid, langs in ps.items():
        fm = merged(langs)
        where = f"{section}/{pid}"
        check(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", pid) is not None, f"{where}: id is an ASCII slug")
        check("en" in langs and "zh" in langs, f"{where}: both languages")
        name = fm.get("name") or {}
        check(bool(name.get("en")) and bool(name.get("zh")), f"{where}: English and Chinese names")
        check(bool(re.search("[\u4e00-\u9fff]", name.get("zh", ""))), f"{where}: Chinese name in Han characters")
        check(bool(fm.get("country")), f"{where}: country")
        cl = fm.get("clusters") or []
        check(len(cl) >= 1 and all(c in cluster_ids for c in cl), f"{where}: at least one known cluster")
        check(fm.get("kind") in ("city", "region"), f"{where}: kind")
        for key in ("population", "area_km2"):
            if key in fm:
                check(isinstance(fm[key], (int, float)) and fm[key] > 0, f"{where}: {key} is a positive number")
        weights.append(fm.get("weight"))
    check(sorted(w for w in weights if w is not None) == list(range(1, count + 1)),
          f"{section}: weights 1..{count} follow the brochure")
check(total == 44, f"44 profiles (found {total})")

# China: the Chinese names of a few, as printed in the Chinese edition
china = pages("china")
for pid, zh in (("beijing", "北京"), ("xian", "西安"), ("hunan-xiangjiang-new-area", "湖南湘江新区")):
    if pid in china:
        check(merged(china[pid]).get("name", {}).get("zh") == zh, f"china/{pid}: Chinese name {zh}")
# Xi'an: the printed population and area are Beijing's; they must not be copied
if "xian" in china:
    fm = merged(china["xian"])
    check(fm.get("population") != 21893000 and fm.get("area_km2") != 16411,
          "china/xian: Beijing's figures are not repeated")

print(f"facts: {passed} passed, {failed} failed")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
