#!/usr/bin/env bash
# pathological.sh - inputs that once took more than linear time, in the
# spirit of cmark's pathological_tests.py. Each pattern is built at n and
# at 10n; the case fails when the larger takes more than 20 times as long
# (linear is 10, n log n a little more), so it checks scaling, not speed.
# Every case is a regression: it names the bug it keeps fixed.
set -u
BIN=${BIN:-./brochure}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TMP=${TMP:-$(mktemp -d)}
pass=0
fail=0

# seconds, to the millisecond, that a build of project $1 takes
took() {
	local t0 t1
	t0=$(date +%s%N)
	"$BIN" build --quiet -C "$1" -o "$1/site" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

# case NAME GENERATOR N: GENERATOR N writes a page body of size N to stdout
scaling() {
	local name=$1 gen=$2 n=$3 a b p
	for k in 1 10; do
		p="$TMP/patho-$name-$k"
		rm -rf "$p"
		mkdir -p "$p"
		cp -r tests/golden/basic/content tests/golden/basic/layouts "$p/"
		{ printf -- '---\ntitle: About\nweight: 1\n---\n\n'; "$gen" $((n * k)); } \
		    >"$p/content/pages/about.en.md"
	done
	took "$TMP/patho-$name-1" >/dev/null	# warm the page cache
	a=$(took "$TMP/patho-$name-1")
	b=$(took "$TMP/patho-$name-10")
	[ "$a" -lt 20 ] && a=20		# below 20 ms the clock is noise
	if [ -f "$TMP/patho-$name-10/site/en/pages/about/index.html" ] &&
	    [ "$b" -le $((a * 20)) ]; then
		pass=$((pass + 1))
	else
		echo "FAIL pathological $name: n=$n took ${a} ms, 10n took ${b} ms"
		fail=$((fail + 1))
	fi
}

# md.c gave each repeated heading its id by restarting its scan after every
# collision: 3,000 '## Same heading' lines took 20 s.
same_headings() { local i; for ((i = 0; i < $1; i++)); do printf '## Same heading\n\ntext\n\n'; done; }
scaling same-headings same_headings 2000

# links: every @/ link is resolved and, for its error position, looked up
# in the source; many on one line
many_links() { local i; for ((i = 0; i < $1; i++)); do printf '[Alpha](@/cities/alpha.md) '; done; printf '\n'; }
scaling many-links many_links 2000

# links to many distinct anchors of the page: each link is looked up in
# the source for its position
anchor_links() { local i; for ((i = 0; i < $1; i++)); do printf '[h%d](@/pages/about.md#h-%d) ' $i $i; done; printf '\n\n'; for ((i = 0; i < $1; i++)); do printf '## H %d\n\n' $i; done; }
scaling anchor-links anchor_links 1000

# lists nested deep, and long flat ones
deep_list() { local i; for ((i = 0; i < $1; i++)); do printf '%*s- item\n' $((i % 40 * 2)) ''; done; }
scaling deep-list deep_list 2000

# block quotes nested deep
deep_quote() { local i; for ((i = 0; i < $1; i++)); do printf '%*s\n' $((i % 100 + 1)) '' | tr ' ' '>'; done; }
scaling deep-quote deep_quote 2000

# emphasis markers by CJK punctuation (the warning looks around each run)
cjk_marks() { local i; for ((i = 0; i < $1; i++)); do printf '**真，**她'; done; printf '\n'; }
scaling cjk-marks cjk_marks 2000

# a table with many rows
big_table() { local i; printf '| a | b |\n|---|---|\n'; for ((i = 0; i < $1; i++)); do printf '| %d | [x](@/cities/alpha.md) |\n' $i; done; }
scaling big-table big_table 1000

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
