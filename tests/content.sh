#!/usr/bin/env bash
# content.sh - the repository's own content: it checks clean under
# --strict, its facts hold (tests/facts.py), the built profile pages show
# the outcomes they take part in (tests/outcomes.py), and the maps place,
# link and label every pilot (tests/maps.py).
set -u
. tests/lib.sh
BIN=${BIN:-./brochure}
pass=0
fail=0
if "$BIN" check --strict >/dev/null 2>"${TMP:-/tmp}/content.err"; then
	pass=$((pass + 1))
else
	echo "FAIL content: brochure check --strict"
	head -40 "${TMP:-/tmp}/content.err"
	fail=$((fail + 1))
fi
count facts python3 tests/facts.py
# the outcomes as the built site shows them
site="${TMP:-/tmp}/content-site"
rm -rf "$site"
if "$BIN" build --quiet -o "$site" 2>/dev/null; then
	count outcomes python3 tests/outcomes.py "$site"
	count maps python3 tests/maps.py "$site"
else
	echo "FAIL content: brochure build"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
