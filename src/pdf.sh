#!/bin/sh
# pdf.sh - make pdf: the print edition of each language through WeasyPrint,
# the languages at once (one WeasyPrint each), and only those whose print
# page or what it draws on changed since their PDF was made.
#
#   sh src/pdf.sh SITE_DIR LANG...
#
# First the print faces (src/printfonts.py, once per machine, into
# .build/fonts): WeasyPrint then finds "Noto Sans CJK SC Print" through
# .build/fonts/fonts.conf, and subsets it in a fraction of the time the
# whole Noto Sans CJK SC takes.
#
# An edition's fingerprint is the SHA-256 of its print page, the print
# stylesheet and every file under assets/ and images/ (the maps and
# photos it shows), and the print faces' stamp, kept beside the build as
# .build/pdf-LANG.sum. Prints one line per edition: made, or unchanged,
# with its page count.
set -u
site=$1
shift
mkdir -p .build
status=0
pids=""
# the Python WeasyPrint runs on has fontTools (a dependency of WeasyPrint)
py=$(sed -n '1s/^#! *//p' "$(command -v weasyprint)" 2>/dev/null)
case $py in
*python*) ;;
*) py=python3 ;;
esac
fonts=$(pwd)/.build/fonts
$py src/printfonts.py "$fonts" || echo "pdf: the print faces could not be made; the system's are used" >&2
if [ -f "$fonts/fonts.conf" ]; then
	FONTCONFIG_FILE=$fonts/fonts.conf
	export FONTCONFIG_FILE
fi
for lang in "$@"; do
	html="$site/$lang/print/index.html"
	pdf="$site/iurc-brochure.$lang.pdf"
	sum=".build/pdf-$lang.sum"
	now=$( { cat "$html" "$fonts/stamp" 2>/dev/null; find "$site/assets" "$site/images" -type f 2>/dev/null |
	    LC_ALL=C sort | xargs cat 2>/dev/null; } | sha256sum | cut -d' ' -f1)
	if [ -s "$pdf" ] && [ -f "$sum" ] && [ "$(cat "$sum")" = "$now" ]; then
		echo "$pdf: unchanged, $(pdfinfo "$pdf" | sed -n 's/^Pages: *//p') pages"
		continue
	fi
	(
		if weasyprint "$html" "$pdf.tmp" && mv "$pdf.tmp" "$pdf"; then
			echo "$now" >"$sum"
			echo "$pdf: made, $(pdfinfo "$pdf" | sed -n 's/^Pages: *//p') pages"
		else
			rm -f "$pdf.tmp" "$sum"
			echo "$pdf: weasyprint failed" >&2
			exit 1
		fi
	) &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || status=1
done
exit $status
