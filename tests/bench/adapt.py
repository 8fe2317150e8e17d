#!/usr/bin/env python3
"""Turns the benchmark generator's Hugo-shaped content
(../shared/bench/gen-content.py N DIR) into a brochure project, in place
of nothing: reads DIR/content, writes OUT/content and links OUT/layouts to
the repository's layouts.

usage: adapt.py GENERATED_DIR OUT_DIR

Profiles keep their facts (names in both languages, kind, country,
population, area, clusters, partners, weight) in brochure's schema; the
language-neutral ones are written once, in the .en.md file. Webinars keep
title, date, clusters, participants and weight. Hugo's _index pages have
no counterpart (brochure makes its own lists) and are left out. Bodies
are copied unchanged."""
import hashlib
import os
import re
import sys

COUNTRIES = {
    "Germany": "DE", "France": "FR", "Italy": "IT", "Spain": "ES", "Portugal": "PT",
    "Netherlands": "NL", "Belgium": "BE", "Poland": "PL", "Czechia": "CZ", "Austria": "AT",
    "Hungary": "HU", "Greece": "GR", "Sweden": "SE", "Finland": "FI", "Denmark": "DK",
    "Ireland": "IE", "Romania": "RO", "Bulgaria": "BG", "Croatia": "HR", "Slovenia": "SI",
    "Slovakia": "SK", "Lithuania": "LT", "Latvia": "LV", "Estonia": "EE", "Luxembourg": "LU",
    "Malta": "MT", "Cyprus": "CY", "China": "CN",
}
FM = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split(path):
    text = open(path, encoding="utf-8").read()
    m = FM.match(text)
    fields = {}
    for line in m.group(1).split("\n"):
        k, _, v = line.partition(": ")
        fields[k] = v
    return fields, text[m.end():]


def q(s):
    """A YAML double-quoted string from the generator's own quoting."""
    return s if s.startswith('"') else '"' + s.replace('"', '\\"') + '"'


def coords(pid, country):
    """A place for a synthetic profile, fixed by its id, inside its part of
    the world (China, or Europe for every other country)."""
    h = int(hashlib.sha1(pid.encode()).hexdigest()[:8], 16)
    a, b = (h % 1000) / 1000, (h // 1000 % 1000) / 1000
    if country == "CN":
        return f"[{22 + 18 * a:.2f}, {100 + 20 * b:.2f}]"
    return f"[{38 + 17 * a:.2f}, {-5 + 30 * b:.2f}]"


def main(src, out):
    gen = os.path.join(src, "content")
    content = os.path.join(out, "content")
    os.makedirs(os.path.join(content, "cities"), exist_ok=True)
    os.makedirs(os.path.join(content, "webinars"), exist_ok=True)
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    layouts = os.path.join(out, "layouts")
    if not os.path.exists(layouts):
        os.symlink(os.path.abspath(os.path.join(repo, "layouts")), layouts)
    clusters = []
    cdir = os.path.join(gen, "clusters")
    for slug in sorted(os.listdir(cdir)):
        if os.path.isdir(os.path.join(cdir, slug)):
            en, _ = split(os.path.join(cdir, slug, "_index.en.md"))
            zh, _ = split(os.path.join(cdir, slug, "_index.zh.md"))
            clusters.append((slug, en["title"], zh["title"]))
    with open(os.path.join(content, "clusters.yaml"), "w", encoding="utf-8") as f:
        f.write("networks:\n  - {id: bench, en: Benchmark network, zh: 基准网络}\n")
        f.write("clusters:\n")
        for slug, en, zh in clusters:
            f.write(f"  - {{id: {slug}, network: bench, track: cities, en: {q(en)}, zh: {q(zh)}}}\n")
        f.write("challenges:\n  - {id: digital-transition, en: Digital transition, zh: 数字化转型}\n")
    with open(os.path.join(content, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: {en: Benchmark cities, zh: 基准城市}\n")
        f.write("programme: {en: Synthetic content, zh: 合成内容}\n")
        f.write("languages: [en, zh]\ndefault_language: en\n")
        f.write("base_url: https://bench.example.org/\n")
        f.write("sections:\n  - {id: cities, kind: profile, en: Cities and regions, zh: 城市和地区}\n")
        f.write("  - {id: webinars, kind: webinar, en: Webinars, zh: 网络研讨会}\n")
        f.write("section_order: {en: [cities, webinars], zh: [cities, webinars]}\n")
        f.write("countries:\n")
        for name, code in sorted(COUNTRIES.items(), key=lambda x: x[1]):
            f.write(f"  {code}: {{en: {name}, zh: {name}}}\n")
    n = 0
    for section in ("cities", "webinars"):
        d = os.path.join(gen, section)
        for name in sorted(os.listdir(d)):
            m = re.match(r"(.+)\.(en|zh)\.md$", name)
            if not m or m.group(1) == "_index":
                continue
            fm, body = split(os.path.join(d, name))
            lang = m.group(2)
            lines = []
            if section == "cities":
                if lang == "en":
                    other = split(os.path.join(d, m.group(1) + ".zh.md"))[0]
                    lines += ["name:", f"  en: {fm['title']}", f"  zh: {other['name_zh']}",
                              f"kind: {fm['kind']}",
                              f"country: {COUNTRIES[fm['country'].strip(chr(34))]}",
                              f"coordinates: {coords(m.group(1), COUNTRIES[fm['country'].strip(chr(34))])}",
                              f"population: {fm['population']}", f"area_km2: {fm['area_km2']}",
                              f"clusters: {fm['clusters']}", f"partners: {fm['partners']}",
                              f"weight: {fm['weight']}"]
            else:
                lines.append(f"title: {fm['title'] if lang == 'en' else fm.get('title_zh', fm['title'])}")
                if lang == "en":
                    lines += [f"date: {fm['date']}", f"clusters: {fm['clusters']}",
                              f"participants: {fm['participants']}", f"weight: {fm['weight']}"]
            with open(os.path.join(content, section, name), "w", encoding="utf-8") as f:
                f.write("---\n" + "\n".join(lines) + "\n---\n" + body)
            n += 1
    print(f"adapt: {n} pages -> {content}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
