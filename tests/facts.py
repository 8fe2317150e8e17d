#!/usr/bin/env python3
"""Facts test: reads the front matter of content/ and checks what the
brochure must contain. One check per line of output on failure; ends with
"N passed, N failed"."""
import os
import re

import yaml

from contentlib import CONTENT, Checks, bodies, merged, pages

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

# The parts each edition prints: a European profile three, a Chinese pilot
# two (neither edition prints good practices for China).
PARTS = {
    "en": ["Socio-economic profile", "Good practices", "Preferred areas of cooperation"],
    "zh": ["社会经济概况", "良好实践", "重点合作领域"],
}
for section in expected:
    for pid, langs in bodies(section).items():
        for lang, text in langs.items():
            heads = re.findall(r"^## (.+?)\s*$", text, re.M)
            want = PARTS[lang] if section != "china" else [PARTS[lang][0], PARTS[lang][2]]
            check(heads == want, f"{section}/{pid}.{lang}: the parts {want} (found {heads})")

# Castilla y León: both fact boxes print 94,222 km² (the body text 94,225)
regions = pages("regions")
if "castilla-y-leon" in regions:
    fm = merged(regions["castilla-y-leon"])
    check(fm.get("area_km2") == 94222, "regions/castilla-y-leon: area 94,222 km² as the fact boxes print it")
    for lang in ("en", "zh"):
        note = regions["castilla-y-leon"].get(lang, {}).get("source", "")
        check("94,225" in note, f"regions/castilla-y-leon.{lang}: source note names the body text's 94,225")

# Tags printed in one edition only are recorded in both source notes.
ONE_EDITION = [("cities", "ioannina", "English"), ("regions", "autonomous-region-of-valencia", "English"),
               ("regions", "region-lazio", "English"), ("cities", "santiago-de-compostela-ames", "Chinese"),
               ("regions", "sisak-moslavina-county", "Chinese"), ("regions", "western-greece-region", "Chinese")]
for section, pid, edition in ONE_EDITION:
    langs = pages(section).get(pid, {})
    en = langs.get("en", {}).get("source", "")
    zh = langs.get("zh", {}).get("source", "")
    check(f"{edition} edition only" in en, f"{section}/{pid}.en: source says a tag is in the {edition} edition only")
    check(("英文版" if edition == "English" else "中文版") in zh and "标签" in zh,
          f"{section}/{pid}.zh: source says which edition prints the tag")

# The programme's history (seed 004): every Chinese pilot city of 2014-2018
# and the European pilot the slides name, in both languages; those with a
# profile here (or a pilot within them) linked from their row.
HISTORY_CN = [("Chongqing", "重庆", "china/chongqing-liangjiang-new-area"), ("Longyan", "龙岩", None),
              ("Zhengzhou", "郑州", "china/zhengzhou"), ("Shantou", "汕头", None),
              ("Haikou", "海口", "china/haikou"), ("Changchun", "长春", None),
              ("Kunming", "昆明", "china/kunming"), ("Liuzhou", "柳州", "china/liuzhou"),
              ("Yantai", "烟台", None), ("Weinan", "渭南", None), ("Tianjin", "天津", "china/tianjin"),
              ("Chengdu", "成都", "china/chengdu"), ("Wuhan", "武汉", "china/wuhan"),
              ("Guangzhou", "广州", "china/guangzhou-development-district")]
HISTORY_EU = [("Mannheim", "曼海姆", "cities/mannheim")]
history = bodies("pages").get("iuc-history", {})
check(set(history) == {"en", "zh"}, "pages/iuc-history: both languages")
for lang, text in history.items():
    rows = {}
    for line in text.split("\n"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) >= 3:
            rows[cells[0]] = cells[2]
    for en, zh, target in HISTORY_CN + HISTORY_EU:
        name = en if lang == "en" else zh
        check(name in rows, f"pages/iuc-history.{lang}: a table row for {name}")
        if target is not None:
            check(f"(@/{target}.md)" in rows.get(name, ""),
                  f"pages/iuc-history.{lang}: {name} links @/{target}.md")
        else:
            check("@/" not in rows.get(name, "@/"), f"pages/iuc-history.{lang}: {name} has no profile link")
    for theme in (("air quality", "housing", "urban poverty", "public procurement", "security in public spaces")
                  if lang == "en" else ("空气质量", "住房", "城市贫困", "公共采购", "公共空间安全")):
        check(theme in text.lower(), f"pages/iuc-history.{lang}: the Urban Agenda theme {theme}")
site = yaml.safe_load(open(os.path.join(CONTENT, "site.yaml"), encoding="utf-8"))
order = site.get("print", [])
check("pages/iuc-history" in order and order.index("pages/iuc-history") == order.index("pages/preface") + 1,
      "print edition: the history page follows the preface")
for lang in ("en", "zh"):
    check("(@/pages/iuc-history.md)" in bodies("pages").get("preface", {}).get(lang, ""),
          f"pages/preface.{lang}: links the history page")

# Coordinates: every profile placed, in its part of the world (the maps'
# two panels), and a dozen places where an atlas puts them (half a degree).
BOXES = {"CN": (18, 54, 73, 135)}
EUROPE = (27, 72, -32, 45)
for section in expected:
    for pid, langs in pages(section).items():
        fm = merged(langs)
        c = fm.get("coordinates")
        ok = isinstance(c, list) and len(c) == 2 and all(isinstance(x, (int, float)) for x in c)
        check(ok, f"{section}/{pid}: coordinates [lat, lon]")
        if ok:
            la0, la1, lo0, lo1 = BOXES.get(fm.get("country"), EUROPE)
            check(la0 <= c[0] <= la1 and lo0 <= c[1] <= lo1,
                  f"{section}/{pid}: {c} lies in its part of the world")
KNOWN = {  # (lat, lon), from an atlas: city centres, or a region's seat
    "cities/barcelona": (41.39, 2.17), "cities/mannheim": (49.49, 8.47),
    "cities/sofia": (42.70, 23.32), "cities/santiago-de-compostela-ames": (42.88, -8.54),
    "regions/castilla-y-leon": (41.65, -4.72), "regions/ljubljana-urban-region": (46.06, 14.51),
    "regions/western-greece-region": (38.25, 21.73), "regions/south-bohemia": (48.97, 14.47),
    "china/beijing": (39.90, 116.41), "china/xian": (34.27, 108.95),
    "china/kunming": (25.04, 102.71), "china/haikou": (20.04, 110.35),
    "china/dalian": (38.91, 121.61),
}
for key, (lat, lon) in KNOWN.items():
    section, pid = key.split("/")
    c = merged(pages(section).get(pid, {})).get("coordinates") or [999, 999]
    check(abs(c[0] - lat) <= 0.5 and abs(c[1] - lon) <= 0.5, f"{key}: {c} within half a degree of {lat}, {lon}")

check.finish()
