"""printfonts.py - the print edition's Chinese faces, made once per machine.

    python3 src/printfonts.py OUTDIR      (the Python WeasyPrint runs on)

WeasyPrint subsets every font it embeds, and Noto Sans CJK SC is a
65,535-glyph CFF font in a collection of four regions: subsetting it is
most of the time of a PDF (about 3.5 s a weight and an edition here). This
makes, from the system's Noto Sans CJK SC Regular and Bold (fc-match),
faces named "Noto Sans CJK SC Print" that hold only what Simplified Chinese
print needs: the 6,763 Han characters of GB 2312, Latin (with the European
letters of names: ł, ă, ø...), general and CJK punctuation, full-width forms,
arrows, box drawing, geometric shapes. WeasyPrint then subsets a font of
about 8,400 glyphs instead. A character outside them falls through to
"Noto Sans CJK SC", listed after this face in print.css.

Writes OUTDIR/NotoSansCJKscPrint-{Regular,Bold}.otf and OUTDIR/fonts.conf
(the system's configuration and OUTDIR); does nothing when they were made
from the same source files by this version of the script (OUTDIR/stamp).
Prints nothing unless it makes them; exits 0 without making anything when
Noto Sans CJK SC is not installed (print.css then falls back as before).
"""
import concurrent.futures
import hashlib
import os
import subprocess
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "Noto Sans CJK SC Print"
PS = "NotoSansCJKscPrint"
RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x024F),     # Latin, with Extended-A and -B
    (0x02B0, 0x02FF), (0x0370, 0x03FF),     # modifier letters, Greek
    (0x2000, 0x206F), (0x20A0, 0x20CF),     # general punctuation, currency
    (0x2100, 0x218F), (0x2190, 0x21FF),     # letterlike, number forms, arrows
    (0x2200, 0x22FF), (0x2460, 0x24FF),     # mathematical, enclosed numbers
    (0x2500, 0x257F), (0x25A0, 0x25FF),     # box drawing, geometric shapes
    (0x3000, 0x303F), (0xFF00, 0xFFEF),     # CJK punctuation, full-width forms
]


def gb2312():
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out


def source(weight):
    """(file, index) of Noto Sans CJK SC in weight, or None."""
    try:
        r = subprocess.run(["fc-match", "-f", "%{family}\n%{file}\n%{index}",
                            f"Noto Sans CJK SC:weight={weight}"],
                           capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    lines = r.stdout.split("\n")
    if len(lines) < 3 or "Noto Sans CJK SC" not in lines[0].split(","):
        return None
    return lines[1], int(lines[2] or 0)


def make(src, index, style, path, chars):
    opts = subset.Options()
    opts.font_number = index
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    font = subset.load_font(src, opts, dontLoadGlyphNames=True)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=chars)
    sub.subset(font)
    names = font["name"]
    for rec in list(names.names):
        value = {1: FAMILY, 16: FAMILY, 4: f"{FAMILY} {style}",
                 6: f"{PS}-{style}"}.get(rec.nameID)
        if value is not None:
            names.setName(value, rec.nameID, rec.platformID, rec.platEncID,
                          rec.langID)
    if "CFF " in font:
        font["CFF "].cff.fontNames = [f"{PS}-{style}"]
    subset.save_font(font, path + ".tmp", opts)
    os.replace(path + ".tmp", path)


def main():
    out = os.path.abspath(sys.argv[1])
    faces = [(w, s, source(w)) for w, s in (("regular", "Regular"),
                                            ("bold", "Bold"))]
    if any(f is None for _, _, f in faces):
        return 0
    h = hashlib.sha256(open(__file__, "rb").read())
    for _, _, (path, index) in faces:
        st = os.stat(path)
        h.update(f"{path}:{index}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    stamp = h.hexdigest()
    files = [os.path.join(out, f"{PS}-{s}.otf") for _, s, _ in faces]
    conf = os.path.join(out, "fonts.conf")
    try:
        if open(os.path.join(out, "stamp")).read().strip() == stamp and \
                all(os.path.exists(f) for f in files + [conf]):
            return 0
    except OSError:
        pass
    os.makedirs(out, exist_ok=True)
    chars = gb2312()
    for a, b in RANGES:
        chars.update(range(a, b + 1))
    # the two weights at once, a process each
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        for job in [pool.submit(make, path, index, style, dst, chars)
                    for (_, style, (path, index)), dst in zip(faces, files)]:
            job.result()
    with open(conf, "w") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                '<!-- made by src/printfonts.py: the system\'s fonts and the print faces -->\n'
                "<fontconfig>\n"
                '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                f"  <dir>{out}</dir>\n"
                f"  <cachedir>{out}/cache</cachedir>\n"
                "</fontconfig>\n")
    with open(os.path.join(out, "stamp"), "w") as f:
        f.write(stamp + "\n")
    print(f"printfonts: made {FAMILY} (Regular, Bold) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
