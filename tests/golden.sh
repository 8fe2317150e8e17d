#!/usr/bin/env bash
# golden.sh - build each tests/golden/NAME/ site and compare the output
# tree with NAME/expected/ and the diagnostics with NAME/stderr.
#   UPDATE=1 bash tests/golden.sh    rewrites the expected trees
set -u
BIN=${BIN:-./brochure}
TMP=${TMP:-$(mktemp -d)}
pass=0
fail=0
for dir in tests/golden/*/; do
	name=$(basename "$dir")
	out="$TMP/golden-$name"
	rm -rf "$out"
	"$BIN" build --quiet -C "$dir" -o "$out" 2>"$out.err"
	rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		rm -rf "$dir/expected"
		cp -r "$out" "$dir/expected"
		rm -f "$dir/expected/.brochure"
		cp "$out.err" "$dir/stderr"
	fi
	if [ $rc -ne 0 ]; then
		echo "FAIL golden $name: exit $rc"; cat "$out.err"; fail=$((fail + 1)); continue
	fi
	if diff -r -x .brochure "$dir/expected" "$out" >"$out.diff" &&
	    diff "$dir/stderr" "$out.err" >>"$out.diff"; then
		pass=$((pass + 1))
	else
		echo "FAIL golden $name:"; head -40 "$out.diff"; fail=$((fail + 1))
	fi
	# the same input gives byte-identical output
	"$BIN" build --quiet -C "$dir" -o "$out.again" 2>/dev/null
	if diff -r "$out" "$out.again" >/dev/null; then
		pass=$((pass + 1))
	else
		echo "FAIL golden $name: two builds differ"; fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
