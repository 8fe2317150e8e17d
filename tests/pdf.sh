#!/usr/bin/env bash
# pdf.sh - the print edition as PDF: WeasyPrint turns site/LANG/print/
# into a PDF without an error or warning, and tests/pdf_check.py reads it
# back (contents page numbers, right-hand openings, fonts, page count).
set -u
. tests/lib.sh
BIN=${BIN:-./brochure}
TMP=${TMP:-$(mktemp -d)}
out="$TMP/pdf"
rm -rf "$out"
mkdir -p "$out"
pass=0
fail=0
if ! command -v weasyprint >/dev/null || ! command -v pdftotext >/dev/null; then
	echo "FAIL pdf: weasyprint or poppler-utils missing (sh src/deps.sh pdf)"
	echo "0 passed, 1 failed"
	exit 1
fi
"$BIN" build --quiet -o "$out/site" || { echo "FAIL pdf: build"; echo "0 passed, 1 failed"; exit 1; }
for lang in en zh; do
	weasyprint "$out/site/$lang/print/index.html" "$out/$lang.pdf" 2>"$out/$lang.log"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$out/$lang.log" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL pdf $lang: weasyprint exit $rc"
		head -20 "$out/$lang.log"
		fail=$((fail + 1))
		continue
	fi
	count "pdf $lang" python3 tests/pdf_check.py "$out/$lang.pdf" "$lang" 120 220
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
