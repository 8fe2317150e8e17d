#!/usr/bin/env bash
# pdf.sh - the print edition as PDF: src/pdf.sh (make pdf's way: both
# editions at once, with the print faces) turns site/LANG/print/ into a
# PDF without an error or warning, and tests/pdf_check.py reads it back
# (contents page numbers, spreads, fonts, page count).
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
# as make pdf makes them: both at once, with the print faces
sh src/pdf.sh "$out/site" en zh >"$out/pdf.out" 2>"$out/pdf.log"
rc=$?
faces=0
if [ -f .build/fonts/fonts.conf ]; then
	# the checks find the print faces' files as WeasyPrint did
	faces=1
	FONTCONFIG_FILE=$(pwd)/.build/fonts/fonts.conf
	export FONTCONFIG_FILE
fi
for lang in en zh; do
	if [ $rc -eq 0 ] && [ ! -s "$out/pdf.log" ] && grep -q "iurc-brochure.$lang.pdf: made" "$out/pdf.out"; then
		pass=$((pass + 1))
	else
		echo "FAIL pdf $lang: src/pdf.sh exit $rc"
		head -20 "$out/pdf.out" "$out/pdf.log"
		fail=$((fail + 1))
		continue
	fi
	cp "$out/site/iurc-brochure.$lang.pdf" "$out/$lang.pdf"
	PRINT_FACES=$faces count "pdf $lang" python3 tests/pdf_check.py "$out/$lang.pdf" "$lang" 120 220
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
