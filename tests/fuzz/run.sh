#!/usr/bin/env bash
# run.sh - the fuzz targets' inputs.
#
#   bash tests/fuzz/run.sh replay          every target on its seeds and
#                                          saved cases, once each (make check)
#   bash tests/fuzz/run.sh fuzz T SECONDS  fuzz target T (make fuzz)
#
# Seeds come from the repository (content/ and layouts/); cases that once
# failed are kept in tests/fuzz/cases/T/ and replayed for good. Replay ends
# with "N passed, N failed", a target a case.
set -u
cd "$(dirname "$0")/../.."
B=.build/fuzz
seeds() {	# target -> its seed files
	case $1 in
	md|utf8|build) find content -name '*.md' | sort ;;
	mustache) find layouts -name '*.mustache' | sort ;;
	yaml) { find content -name '*.yaml'; find layouts/i18n -name '*.yaml'; } | sort ;;
	esac
	[ -d "tests/fuzz/cases/$1" ] && find "tests/fuzz/cases/$1" -type f | sort
}
if [ "${1:-}" = fuzz ]; then
	t=$2
	mkdir -p "$B/corpus-$t" "$B/crashes-$t"
	seeds "$t" | xargs -r cp -t "$B/corpus-$t" 2>/dev/null
	# new crashes land in crashes-T: copy one to tests/fuzz/cases/T/ once fixed
	exec "$B/fuzz_$t" -max_total_time="$3" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$B/crashes-$t/" -print_final_stats=1 "$B/corpus-$t"
fi
pass=0
fail=0
for t in md mustache utf8 yaml build; do
	n=$(seeds $t | wc -l)
	if seeds $t | xargs "$B/fuzz_$t" -timeout=10 >"$B/replay-$t.log" 2>&1; then
		pass=$((pass + 1))
		echo "fuzz replay $t: $n inputs"
	else
		fail=$((fail + 1))
		echo "FAIL fuzz replay $t ($n inputs):"
		grep -E 'ERROR|SUMMARY|runtime error|Running' "$B/replay-$t.log" | head -10
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
