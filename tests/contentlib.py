"""Shared by the content tests (facts.py, outcomes.py, pdf_check.py): the
front matter of content/, and a counter of checks that prints failures and
ends with the "N passed, N failed" line."""
import os
import re
import sys

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CONTENT = os.path.join(ROOT, "content")


class Checks:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def __call__(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")

    def finish(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def front(path):
    """The front matter of a page, as a dict ({} when there is none)."""
    with open(path, encoding="utf-8") as f:
        m = re.match(r"---\n(.*?)\n(?:---|\.\.\.)\s*\n", f.read(), re.S)
    return (yaml.safe_load(m.group(1)) or {}) if m else {}


def body(path):
    """The Markdown body of a page, after its front matter."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n.*?\n(?:---|\.\.\.)\s*\n", text, re.S)
    return text[m.end():] if m else text


def _by_lang(section, read):
    """{id: {lang: read(path)}} for the pages of a section."""
    d = os.path.join(CONTENT, section)
    out = {}
    if not os.path.isdir(d):
        return out
    for name in sorted(os.listdir(d)):
        m = re.match(r"(.+)\.(en|zh)\.md$", name)
        if m:
            out.setdefault(m.group(1), {})[m.group(2)] = read(os.path.join(d, name))
    return out


def bodies(section):
    """{id: {lang: body}} for the pages of a section."""
    return _by_lang(section, body)


def pages(section):
    """{id: {lang: front matter}} for the pages of a section."""
    return _by_lang(section, front)


def merged(langs):
    """One page's fields, neutral ones from whichever file writes them."""
    fm = {}
    for lang in ("en", "zh"):
        for k, v in langs.get(lang, {}).items():
            fm.setdefault(k, v)
    return fm
