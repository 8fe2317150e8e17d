#!/usr/bin/env python3
"""Facts test: reads the front matter of content/ and checks what the
brochure must contain. One check per line of output on failure; ends with
"N passed, N failed"."""
import os
import re

import yaml

from contentlib import CONTENT, Checks, merged, pages

check = Checks("facts")

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

# The outcomes: nine webinars of 2022 with their dates, five case studies,
# and every participant, host, visitor and partner a profile or a declared
# external entity.
WEBINAR_DATES = ["2022-03-04", "2022-03-25", "2022-03-25", "2022-04-29",
                 "2022-06-02", "2022-06-23", "2022-09-28", "2022-10-26", "2022-10-28"]
webinars = pages("webinars")
check(len(webinars) == 9, f"9 webinars (found {len(webinars)})")
dates = sorted(str(merged(w).get("date")) for w in webinars.values())
check(dates == WEBINAR_DATES, f"webinar dates {dates}")
for wid, langs in webinars.items():
    check(str(merged(langs).get("date")) == wid[:10], f"webinars/{wid}: file name starts with its date")
    check("en" in langs and "zh" in langs, f"webinars/{wid}: both languages")
cases = pages("case-studies")
check(sorted(cases) == sorted(["nci-bologna-yangzhou", "lazio-zhengzhou", "stuttgart-suzhou-taicang",
                               "sisak-moslavina-chongqing-zhongxian", "western-greece-hangzhou"]),
      f"the five case studies (found {sorted(cases)})")
visits = pages("study-visits")
check(len(visits) >= 6, f"the study visits (found {len(visits)})")
profile_ids = set()
for section in expected:
    profile_ids |= set(pages(section))
externals = yaml.safe_load(open(os.path.join(CONTENT, "externals.yaml"), encoding="utf-8")) or []
external_ids = {e["id"] for e in externals}
check(not (profile_ids & external_ids), "no external entity shadows a profile")
for e in externals:
    name = e.get("name") or {}
    check(bool(name.get("en")) and bool(name.get("zh")), f"externals/{e['id']}: English and Chinese names")
known = profile_ids | external_ids
for section, keys in (("webinars", ("participants",)), ("study-visits", ("hosts", "visitors")),
                      ("case-studies", ("partners",))):
    for pid, langs in pages(section).items():
        fm = merged(langs)
        for key in keys:
            for ref in fm.get(key) or []:
                check(ref in known, f"{section}/{pid}: {key} '{ref}' is a profile or an external entity")
partnerships = yaml.safe_load(open(os.path.join(CONTENT, "partnerships.yaml"), encoding="utf-8")) or []
pairs = set()
for p in partnerships:
    a, b = p["between"]
    check(a in known and b in known, f"partnership {a}–{b}: both ends known")
    key = (frozenset((a, b)), p["kind"])
    check(key not in pairs, f"partnership {a}–{b} ({p['kind']}) recorded once")
    pairs.add(key)
for a, b, kind in (("mannheim", None, "pilot-project"), ("bari", None, "sister-cities")):
    check(any(a in p["between"] and p["kind"] == kind for p in partnerships), f"partnership: {a} {kind}")

check.finish()
