#!/usr/bin/env python3
"""linkcheck.py - every link inside the built site leads somewhere.

    python3 tests/linkcheck.py SITE_DIR [--config content/site.yaml] [--base-url URL]

Every href, src and srcset in every .html file of SITE_DIR that points
inside the site must resolve to a file: relative URLs, and absolute URLs
that start with the site's base_url (read from content/site.yaml), which
map to the site root. A URL ending in / means its index.html. A link with
a #fragment also needs an element with that id (percent-decoded: the
anchors are often Chinese) in the target file.

Links that climb above the site root, or that start with / (they break
when the site is served from a sub-path), are broken too. mailto:, tel:,
other schemes, other hosts and a lone # are not checked.

One test per HTML file; each broken link is a line
"FAIL FILE: broken link HREF (why)"; the last line is "N passed, N failed".
Python's standard library only.
"""
import argparse
import os
import posixpath
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

URL_ATTRS = ("href", "src")


class Page(HTMLParser):
    """Collects the links of one HTML file and the ids it defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (line, url)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs)

    def _tag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name in URL_ATTRS:
                self.links.append((line, value.strip()))
            elif name == "srcset":
                for cand in value.split(","):
                    url = cand.strip().split()
                    if url:
                        self.links.append((line, url[0]))


def base_url_of(config):
    """base_url from site.yaml, read without a YAML library: one plain line."""
    try:
        with open(config, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"""^base_url:\s*["']?([^"'#\s]*)["']?\s*(#.*)?$""", line)
                if m:
                    return m.group(1) or None
    except OSError:
        pass
    return None


class Site:
    def __init__(self, root, base_url):
        self.root = os.path.abspath(root)
        self.base = None
        if base_url:
            self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.pages = {}

    def page(self, rel):
        """The parsed page at rel (a path below the site root), cached."""
        if rel not in self.pages:
            p = Page()
            with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                p.feed(f.read())
            p.close()
            self.pages[rel] = p
        return self.pages[rel]

    def target(self, rel, url):
        """(path below the root, fragment) that url means on page rel, or
        None when url points outside the site; raises ValueError(why)
        when it points inside but cannot work."""
        if url == "" or url == "#":
            return None
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            if self.base and url.startswith(self.base):
                path = "/" + url[len(self.base):]
                parts = urlsplit(path)
                path = posixpath.normpath(unquote(parts.path)).lstrip("/")
                if parts.path.endswith("/") or path in ("", "."):
                    path = posixpath.join(path, "index.html") if path not in ("", ".") else "index.html"
                return path, parts.fragment
            return None
        if parts.path.startswith("/"):
            raise ValueError("starts with /: breaks when the site is served from a sub-path")
        if parts.path == "":
            return rel, parts.fragment
        here = posixpath.dirname(rel)
        path = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        if path == ".." or path.startswith("../"):
            raise ValueError("climbs above the site root")
        if parts.path.endswith("/") or path == ".":
            path = "index.html" if path == "." else path + "/index.html"
        return path, parts.fragment

    def check(self, rel):
        """The broken links of page rel: a list of (line, url, why)."""
        broken = []
        seen = set()
        for line, url in self.page(rel).links:
            if url in seen:
                continue
            seen.add(url)
            try:
                t = self.target(rel, url)
            except ValueError as e:
                broken.append((line, url, str(e)))
                continue
            if t is None:
                continue
            path, frag = t
            full = os.path.join(self.root, path)
            if os.path.isdir(full):
                broken.append((line, url, f"{path} is a directory: the URL needs a trailing /"))
                continue
            if not os.path.isfile(full):
                broken.append((line, url, f"no such file: {path}"))
                continue
            if frag:
                anchor = unquote(frag)
                if not path.endswith((".html", ".htm")):
                    broken.append((line, url, f"#{anchor} in a file that is not HTML"))
                elif anchor not in self.page(path).ids:
                    broken.append((line, url, f"no id=\"{anchor}\" in {path}"))
        return broken


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site", help="the built site")
    ap.add_argument("--config", default=os.path.join(ROOT, "content", "site.yaml"),
                    help="site.yaml, for base_url")
    ap.add_argument("--base-url", help="the site's absolute address (default: from --config)")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.site, "index.html")):
        print(f"FAIL linkcheck: no site at {args.site}")
        print("0 passed, 1 failed")
        return 1
    site = Site(args.site, args.base_url or base_url_of(args.config))
    files = []
    for d, dirs, names in os.walk(site.root):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".html", ".htm")):
                files.append(os.path.relpath(os.path.join(d, n), site.root).replace(os.sep, "/"))
    passed = failed = 0
    for rel in files:
        try:
            broken = site.check(rel)
        except (OSError, UnicodeError) as e:
            broken = [(0, "", f"cannot read: {e}")]
        if broken:
            failed += 1
            for line, url, why in broken:
                print(f"FAIL {rel}:{line}: broken link {url} ({why})")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
