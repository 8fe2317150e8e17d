#!/usr/bin/env bash
# content.sh - the repository's own content: it checks clean under
# --strict, and its facts hold (tests/facts.py).
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
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
