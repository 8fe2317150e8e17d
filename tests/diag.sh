#!/usr/bin/env bash
# diag.sh - expected diagnostics. Each tests/diag/NAME/ is a bad input:
#   files/     laid over a copy of tests/golden/basic (content/, layouts/)
#   setup.sh   optional, run inside the copy (binary or generated files)
#   args       optional: the command (default: check)
#   expected   the exact stderr
#   status     optional: the exit status (default: 1)
#   check.sh   optional, run inside the copy afterwards; must succeed
set -u
BIN=${BIN:-./brochure}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TMP=${TMP:-$(mktemp -d)}
pass=0
fail=0
for dir in tests/diag/*/; do
	name=$(basename "$dir")
	p="$TMP/diag-$name"
	rm -rf "$p"
	mkdir -p "$p"
	cp -r tests/golden/basic/content tests/golden/basic/layouts "$p/"
	[ -d "$dir/files" ] && cp -r "$dir/files/." "$p/"
	if [ -f "$dir/setup.sh" ]; then
		(cd "$p" && bash "$OLDPWD/$dir/setup.sh") || { echo "FAIL diag $name: setup"; fail=$((fail+1)); continue; }
	fi
	args=check
	[ -f "$dir/args" ] && args=$(cat "$dir/args")
	want_status=1
	[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
	(cd "$p" && timeout 20 "$BIN" $args >"$p.out" 2>"$p.err")
	rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$p.err" "$dir/expected"
	fi
	if [ $rc -eq "$want_status" ] && diff -u "$dir/expected" "$p.err" >"$p.diff" &&
	    { [ ! -f "$dir/check.sh" ] || (cd "$p" && bash "$OLDPWD/$dir/check.sh"); }; then
		pass=$((pass + 1))
	else
		echo "FAIL diag $name: exit $rc (want $want_status)"
		diff -u "$dir/expected" "$p.err" | head -20
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
