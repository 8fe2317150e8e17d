#!/usr/bin/env bash
# content.sh - the repository's own content: it checks clean under
# --strict, its facts hold (tests/facts.py), and the built profile pages
# show the outcomes they take part in (tests/outcomes.py).
set -u
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
out=$(python3 tests/facts.py 2>&1)
rc=$?
printf '%s\n' "$out" | grep '^FAIL' | head -40
p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
pass=$((pass + ${p:-0}))
fail=$((fail + ${f:-1}))
[ $rc -ne 0 ] && [ "${f:-1}" -eq 0 ] && fail=$((fail + 1))
# the outcomes as the built site shows them
site="${TMP:-/tmp}/content-site"
rm -rf "$site"
if "$BIN" build --quiet -o "$site" 2>/dev/null; then
	out=$(python3 tests/outcomes.py "$site" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep '^FAIL' | head -40
	p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-1}))
	[ $rc -ne 0 ] && [ "${f:-1}" -eq 0 ] && fail=$((fail + 1))
else
	echo "FAIL content: brochure build"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
