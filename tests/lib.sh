# lib.sh - sourced by the test scripts that run a checker of their own.
#
# count NAME CMD...: runs CMD, shows its FAIL lines, and adds the counts
# of its closing "N passed, N failed" line to $pass and $fail. No such
# line, or a failing exit with no failure counted, is one failure more.
count() {
	local name=$1 out rc p f
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^FAIL|pages$' | head -40
	p=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
	if [ -z "$p" ]; then
		echo "FAIL $name: no result line (exit $rc)"
		printf '%s\n' "$out" | tail -10
		fail=$((fail + 1))
		return
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exit $rc"
		fail=$((fail + 1))
	fi
}
