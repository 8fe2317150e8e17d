#!/usr/bin/env python3
"""Originality test: no file under content/ shares a run of 10 consecutive
English words (case ignored) or of 20 consecutive Han characters (punctuation,
digits and Latin letters ignored) with the source publications in
../shared/seeds/.

A reader does not count a list number or a figure as a new word, so numbers
("2022", "4.0") and list markers ("- ", "3.", "(b)") are skipped on both
sides: copied words with a figure between them still form one run. A printed
title quoted as a title -- in quotation marks (" ", “ ”, 《 》) or in
Markdown italics (*...*, _..._) -- is exempt, up to TITLE words long; a longer
quotation is checked like any other text.

usage: originality.py [--seeds DIR] [FILE_OR_DIR ...]   (default: content/)
Prints one line per shared run, `path:line: error: ...`, then
`N passed, N failed` (one test per file). Skips, exit 0, when the seeds
are absent.
"""
import os
import re
import sys

WORDS = 10
HAN = 20
TITLE = 25
WORD_RE = re.compile(r"[a-z0-9]+")
# a list marker at the start of a line: "-", "*", "+", "•", "3.", "3)",
# "(b)", "b)", "iv." -- the words after it continue the run before it
MARKER_RE = re.compile(r"^(\s*)(?:[-*+•]|\(?(?:[0-9]+|[a-z]|[ivx]+)[.)])\s+", re.M)
# a marked title: quoted or in Markdown italics, on one line. Typographic
# quotes and italics are looked at first: a YAML value is itself in straight
# quotes, and a title quoted inside it still counts as marked.
TITLE_RES = (re.compile(r'“[^”\n]+”|《[^》\n]+》|'
                        r'(?<![*\w])\*(?!\*)[^*\n]+\*(?!\*)|(?<!\w)_[^_\n]+_(?!\w)'),
             re.compile(r'"[^"\n]+"'))


# a YAML scalar in straight quotes: the quotes delimit the value, they do
# not mark a title ('description: "..."' is checked like prose)
YAML_QUOTED_RE = re.compile(r'^(\s*(?:-\s+)?(?:[\w-]+:\s*)?)"(.*)"(\s*)$', re.M)


def unmark(text):
    """The text with list markers and short marked titles blanked out
    (same length, so line numbers hold)."""
    text = YAML_QUOTED_RE.sub(lambda m: m.group(1) + " " + m.group(2) + " " + m.group(3), text)
    text = MARKER_RE.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), text)

    def blank(m):
        t = m.group(0)
        return " " * len(t) if len(WORD_RE.findall(t.lower())) <= TITLE else t
    for title_re in TITLE_RES:
        text = title_re.sub(blank, text)
    return text


HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def words(text):
    """[(word, line)] for the text, lowercased, apostrophes joined."""
    out = []
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.lower().replace("'", "").replace("\u2019", "")
        out.extend((w, lineno) for w in WORD_RE.findall(line) if not w.isdigit())
    return out


def han(text):
    out = []
    for lineno, line in enumerate(text.split("\n"), 1):
        out.extend((c, lineno) for c in HAN_RE.findall(line))
    return out


def grams(seq, n):
    toks = [t for t, _ in seq]
    return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}


LABEL_RE = re.compile(r"^\s*(-\s+)?(en|zh):|^\s+-\s")


def segments(path, text):
    """The pieces of a file in which a run is looked for. Prose is one piece.
    In a YAML data file every line stands alone (values are separate names,
    not sentences), and the labels of content/clusters.yaml are left out:
    the issue asks for them exactly as the publications print them."""
    if not path.endswith((".yaml", ".yml")):
        return [text]
    labels = os.path.basename(path) == "clusters.yaml"
    out = []
    for line in text.split("\n"):
        out.append("" if labels and LABEL_RE.match(line) else line)
    return out


def check(path, text, seed_words, seed_han):
    """Yields (line, kind, length, run) for each maximal shared run."""
    pieces = segments(path, unmark(text))
    offset = 0
    for piece in pieces:
        for line, kind, n, run in check_piece(piece, seed_words, seed_han):
            yield line + offset, kind, n, run
        offset += piece.count("\n") + (1 if len(pieces) > 1 else 0)


def check_piece(text, seed_words, seed_han):
    for seq, n, table, kind, sep in ((words(text), WORDS, seed_words, "words", " "),
                                     (han(text), HAN, seed_han, "Han characters", "")):
        toks = [t for t, _ in seq]
        i = 0
        while i + n <= len(toks):
            if tuple(toks[i:i + n]) in table:
                j = i + 1
                while j + n <= len(toks) and tuple(toks[j:j + n]) in table:
                    j += 1
                run = sep.join(toks[i:j + n - 1])
                yield seq[i][1], kind, j + n - 1 - i, run
                i = j + n - 1
            else:
                i += 1


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    seeds = os.path.join(here, "..", "..", "shared", "seeds")
    targets = []
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--seeds":
            seeds = args.pop(0)
        else:
            targets.append(a)
    if not targets:
        targets = [os.path.join(here, "..", "content")]
    if not os.path.isdir(seeds):
        print(f"originality: seeds not found at {seeds}; skipped")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    seed_text = ""
    for name in sorted(os.listdir(seeds)):
        if name.endswith(".txt"):
            with open(os.path.join(seeds, name), encoding="utf-8", errors="replace") as f:
                seed_text += f.read() + "\n"
    seed_text = MARKER_RE.sub(r"\1", seed_text)
    seed_words = grams(words(seed_text), WORDS)
    seed_han = grams(han(seed_text), HAN)
    files = []
    for t in targets:
        if os.path.isdir(t):
            for root, _, names in os.walk(t):
                files.extend(os.path.join(root, n) for n in names
                             if n.endswith((".md", ".yaml", ".yml")))
        else:
            files.append(t)
    passed = failed = 0
    for path in sorted(files):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        hits = list(check(path, text, seed_words, seed_han))
        rel = os.path.relpath(path)
        for line, kind, n, run in hits:
            print(f"{rel}:{line}: error: {n} consecutive {kind} shared with the seeds: \"{run}\"")
        if hits:
            failed += 1
        else:
            passed += 1
    print(f"originality: {passed} passed, {failed} failed")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
