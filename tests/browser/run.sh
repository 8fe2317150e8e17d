#!/usr/bin/env bash
# run.sh - the site's layouts tested in a real browser (tests/run.sh part
# "browser"; also runs on its own: bash tests/browser/run.sh).
#
# Builds the repository's site with ./brochure into a temporary directory,
# serves it under the sub-path /brochure/ with static-server.mjs, and runs
# `node --test tests/browser/`:
#   site.test.mjs      a reader's way through the site, and 12 screenshots
#                      (.build/browser/screenshots/)
#   a11y.test.mjs      axe-core: no serious or critical violation
#   validate.test.mjs  the Nu HTML Checker: no error, one test per file
#   reload.test.mjs    live reload under brochure serve: an edit reloads
#                      its open page once, and not the page beside it
# Debian's Chromium is driven by playwright-core; no browser is downloaded.
# The node packages (tests/package.json) are installed when
# tests/node_modules is missing. The whole TAP output is kept in
# .build/browser/tap.txt. The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
OUT=.build/browser
mkdir -p "$OUT/screenshots"

bail() {	# a step before the tests failed: one failed case, and why
	echo "FAIL browser: $*"
	echo "0 passed, 1 failed"
	exit 1
}

# the system's part: src/deps.sh installs it, or says how
for c in node npm java "${CHROMIUM:-chromium}"; do
	if ! command -v "$c" >/dev/null 2>&1; then
		sh src/deps.sh check >&2 || bail "missing $c (sh src/deps.sh check)"
		break
	fi
done
export CHROMIUM=${CHROMIUM:-$(command -v chromium)}
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || bail "node $(node --version): playwright-core needs node 20 or later"

# the node packages, when missing (the lock file pins them)
if [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/axe-core ] ||
	[ ! -d tests/node_modules/vnu-jar ]; then
	if [ -f tests/package-lock.json ]; then
		npm_cmd="npm ci --prefix tests --ignore-scripts --no-audit --no-fund"
	else
		npm_cmd="npm install --prefix tests --ignore-scripts --no-audit --no-fund"
	fi
	echo "browser: $npm_cmd" >&2
	$npm_cmd >"$OUT/npm.log" 2>&1 || { cat "$OUT/npm.log"; bail "$npm_cmd failed"; }
fi

[ -x ./brochure ] || bail "no ./brochure: run make first"
T=$(mktemp -d)
SERVER=
FIXTURE_SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
	[ -n "$FIXTURE_SERVER" ] && kill "$FIXTURE_SERVER" 2>/dev/null &&
	    wait "$FIXTURE_SERVER" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
./brochure build --quiet -o "$T/site" 2>"$T/build.err" || {
	cat "$T/build.err"
	bail "./brochure build failed"
}
# Stand-ins for make pdf's two editions (a page tree of 3 pages), so that
# the second build links every page to its PDF with the page count.
for l in en zh; do
	printf '%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 3 >>\nendobj\n' \
	    >"$T/site/iurc-brochure.$l.pdf"
done
./brochure build --quiet -o "$T/site" 2>"$T/build.err" || {
	cat "$T/build.err"
	bail "./brochure build failed"
}

# A photo fixture: the repository's site with one photo (made here: the
# repository ships none) on Barcelona's page, built apart and served under
# /fixture/, for edition.test.mjs.
mkdir -p "$T/photo/content/images"
cp -r content layouts "$T/photo/"
python3 tests/photos/mkpng.py "$T/photo/content/images/barcelona.png" 1600 1000
python3 - "$T/photo/content/cities/barcelona.en.md" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("\ndescription:", "\nphotos:\n  - file: barcelona.png\n"
              "    alt: {en: A test picture of Barcelona, zh: 巴塞罗那测试图片}\n"
              "    caption: {en: A superblock, zh: 超级街区}\n"
              "    credit: Test Photographer, CC BY 4.0\ndescription:", 1)
open(p, "w", encoding="utf-8").write(s)
PY
./brochure build --quiet -C "$T/photo" -o "$T/fixture" 2>"$T/build.err" || {
	cat "$T/build.err"
	bail "./brochure build of the photo fixture failed"
}

# Starts static-server.mjs on DIR under PREFIX; sets PID and LISTEN.
serve() {
	node tests/browser/static-server.mjs "$1" "$2" >"$3" 2>&1 &
	PID=$!
	LISTEN=
	for _ in $(seq 100); do
		LISTEN=$(sed -n 's/^listening \(http:.*\)/\1/p' "$3")
		[ -n "$LISTEN" ] && break
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$LISTEN" ] || { cat "$3"; bail "the static server for $2 did not start"; }
}
serve "$T/site" /brochure/ "$T/server.out"
SERVER=$PID URL=$LISTEN
serve "$T/fixture" /fixture/ "$T/fixture.out"
FIXTURE_SERVER=$PID PHOTO_URL=$LISTEN
export PHOTO_URL

rm -f "$OUT"/screenshots/*.png
export BROCHURE_SITE="$T/site" BROCHURE_URL="$URL" SCREENSHOTS="$OUT/screenshots"
timeout 600 node --test --test-reporter=tap tests/browser/ \
	>"$OUT/tap.txt" 2>&1
rc=$?

# Each failing test, with the message of its error; the counts.
# The first line of a message says what failed; it goes on the FAIL line,
# which is what tests/run.sh shows.
awk '
	function flush() {
		if (name != "") {
			if (first != "" && first !~ /^[0-9]+ subtests? failed$/) name = name " — " first
			print "FAIL browser: " name; printf "%s", msg
		}
		name = ""; msg = ""; first = ""
	}
	/^ *not ok [0-9]+ - / {
		flush()
		sub(/^ *not ok [0-9]+ - /, "")
		if ($0 ~ /# (SKIP|TODO)/) next
		name = $0; ind = -1; inerr = 0; next
	}
	/^ *ok [0-9]+ - / { flush(); next }
	name != "" {
		match($0, /^ */); n = RLENGTH
		if ($0 ~ /^ *error: /) {
			inerr = 1; ind = n
			line = $0; sub(/^ *error: (\|-)? ?/, "", line)
			gsub(/^\047|\047$/, "", line)
			if (line != "") first = line
			next
		}
		if (inerr && n > ind && $0 !~ /^ *\.\.\.$/) {
			line = substr($0, ind + 3)
			if (first == "") first = line
			else msg = msg "    " line "\n"
			next
		}
		inerr = 0
	}
	END { flush() }
' "$OUT/tap.txt"
grep -h '^# screenshot: ' "$OUT/tap.txt" | sed 's/^# //'
count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$OUT/tap.txt" | tail -1; }
pass=$(count pass)
fail=$(count fail)
cancelled=$(count cancelled)
skipped=$(count skipped)
if [ -z "$pass" ]; then
	tail -30 "$OUT/tap.txt"
	bail "node --test printed no counts (exit $rc)"
fi
fail=$((fail + ${cancelled:-0}))
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	echo "FAIL browser: node --test exited $rc"
	fail=1
fi
if [ "${skipped:-0}" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skipped skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
