#!/usr/bin/env bash
# run.sh - make bench: brochure against Hugo on synthetic bilingual content.
#
#   bash tests/bench/run.sh [N ...]      default: 1000 10000 (50000 too with
#                                        BENCH_LARGE=1)
#   RUNS=3                               measured builds per tool and size
#   BENCH_TMP=/tmp/brochure-bench        scratch (generated content)
#   BENCH_OUT=/dev/shm/brochure-bench    where the outputs go: tmpfs, where
#                                        the disk's state cannot favour or
#                                        slow one tool (the rm-then-write
#                                        trap of ../shared/bench/README.md)
#   BENCH_DISK=1                         the same measured with the outputs
#                                        on BENCH_TMP's disk too, in rows
#                                        of their own (never mixed)
#
# For each size: ../shared/bench/gen-content.py N makes the content once,
# tests/bench/adapt.py turns it into a brochure project, both tools'
# sources are read into the page cache, and both tools build it RUNS
# times, taking turns, each time into a fresh output directory (deleting
# a big tree and rebuilding at once is slow on these disks: see
# ../shared/bench/README.md). Hugo runs with ../shared/bench/hugo-site's
# lean configuration (HTML only) when `hugo` is installed. Between them,
# tests/bench/floor.c measures the floor on the same content and output:
# reading every source, cmark on every body, writing brochure's output
# tree afresh, each alone on as many threads as brochure uses. Prints, per
# size and tool: median and min-max seconds, pages per second, peak RSS
# (/usr/bin/time), and time and memory as a fraction of Hugo's measured in
# the same run (the floor's row: the sum of its three parts); then the
# floor's parts, and how long an edit on the real brochure takes to reach
# an open page under brochure serve. The same content with site.yaml's
# print: on (the print edition streamed beside the pages) is built in the
# same turns, in the row "+print", and its cost over the build without
# it is noted. A benchmark, not a test: make check does not run it.
set -eu
cd "$(dirname "$0")/../.."
SHARED=${SHARED:-../shared}
RUNS=${RUNS:-3}
FLOOR=${FLOOR:-.build/bench-floor}
BENCH_TMP=${BENCH_TMP:-/tmp/brochure-bench}
BENCH_OUT=${BENCH_OUT:-/dev/shm/brochure-bench}
if [ "$(stat -f -c %T "$(dirname "$BENCH_OUT")" 2>/dev/null)" != tmpfs ]; then
	echo "bench: $(dirname "$BENCH_OUT") is not tmpfs; outputs go to the disk" >&2
	BENCH_OUT=$BENCH_TMP/out
	PLACES=(disk)
else
	PLACES=(tmpfs)
	[ "${BENCH_DISK:-0}" = 1 ] && PLACES+=(disk)
fi
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then
	SIZES=(1000 10000)
	[ "${BENCH_LARGE:-0}" = 1 ] && SIZES+=(50000)
fi
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (sh src/deps.sh bench)" >&2; exit 2; }
[ -x "$FLOOR" ] || { echo "bench: $FLOOR missing (make .build/bench-floor)" >&2; exit 2; }
mkdir -p "$BENCH_TMP/trash" "$BENCH_OUT/trash"
stamp=$(date +%s)$$
run=0

# measure LOG CMD...: one timed build; appends "secs rssKB" to LOG. The
# previous run's files are flushed first (sync, not timed), so that no run
# shares the cores with the kernel writing back the one before it.
measure() {
	local log=$1
	shift
	sync
	/usr/bin/time -a -o "$log" -f '%e %M' "$@" >/dev/null 2>>"$log.err" || {
		echo "bench: $* failed" >&2; cat "$log.err" >&2; exit 1; }
}

# stats FILE: "median min max rssMB" of the lines "secs rssKB"
stats() {
	sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
	    END { med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
	          printf "%.2f %.2f %.2f %.0f\n", med, t[1], t[NR], m / 1024 }'
}

# floor_stats FILE KEY: "median min max" of KEY=value over the floor's lines
floor_stats() {
	stats <(sed -n "s/.* $2=\([^ ]*\).*/\1 0/p" "$1") | cut -d' ' -f1-3
}

printf '%-7s %-6s %-9s %8s %14s %8s %9s %8s %8s\n' size output tool median min-max pages/s "peak MB" "t/hugo" "mem/hugo"
notes=()
for place in "${PLACES[@]}"; do
if [ "$place" = tmpfs ]; then
	O=$BENCH_OUT
else
	O=$BENCH_TMP
fi
for N in "${SIZES[@]}"; do
	gen="$BENCH_TMP/gen-$N"
	proj="$BENCH_TMP/brochure-$N"
	if [ ! -d "$gen/content" ]; then
		python3 "$SHARED/bench/gen-content.py" "$N" "$gen" 2>/dev/null
	fi
	if [ ! -d "$proj/content" ]; then
		python3 tests/bench/adapt.py "$gen" "$proj" 2>/dev/null
	fi
	# the same content with the print edition on: the pages shared,
	# site.yaml with a print: list
	pproj="$BENCH_TMP/brochure-$N-print"
	if [ ! -f "$pproj/content/site.yaml" ]; then
		mkdir -p "$pproj/content"
		for f in "$proj/content"/*; do
			[ "$(basename "$f")" = site.yaml ] ||
			    ln -sfn "$f" "$pproj/content/$(basename "$f")"
		done
		ln -sfn "$(readlink -f "$proj/layouts")" "$pproj/layouts"
		{ cat "$proj/content/site.yaml"
		  printf 'print:\n  - contents\n  - clusters\n  - profiles\n'
		  printf '  - webinars\n'; } >"$pproj/content/site.yaml"
	fi
	blog="$BENCH_TMP/brochure-$N.$place.$stamp.time"
	plog="$BENCH_TMP/print-$N.$place.$stamp.time"
	hlog="$BENCH_TMP/hugo-$N.$place.$stamp.time"
	flog="$BENCH_TMP/floor-$N.$place.$stamp.log"
	hugo=0
	if command -v hugo >/dev/null 2>&1; then
		hugo=1
		cp -r "$SHARED/bench/hugo-site/." "$gen/"
	fi
	# both tools' sources into the page cache first, untimed: otherwise
	# the first build reads from disk what the others read from memory
	# (and a machine may page out file pages that went unread a while)
	find "$proj" "$gen/content" -type f -exec cat {} + >/dev/null
	# the tools take turns, so that both meet the disk (and the machine)
	# in the same state: a trend over the runs touches both alike
	for r in $(seq "$RUNS"); do
		out="$O/out-b-$N-$stamp-$r"
		measure "$blog" ./brochure build --quiet -C "$proj" -o "$out"
		pages=$(find "$out" -name '*.html' | wc -l)
		# the floor of this content and this output, in the same turn
		sync
		"$FLOOR" "$proj/content" "$out" \
		    "$O/trash/floor-$N-$stamp-$r" >>"$flog" ||
		    { echo "bench: $FLOOR failed" >&2; exit 1; }
		mv "$out" "$O/trash/"
		[ "$place" = tmpfs ] && rm -rf "$O/trash"/*
		out="$O/out-p-$N-$stamp-$r"
		measure "$plog" ./brochure build --quiet -C "$pproj" -o "$out"
		mv "$out" "$O/trash/"
		[ "$place" = tmpfs ] && rm -rf "$O/trash"/*
		[ $hugo = 1 ] || continue
		out="$O/out-h-$N-$stamp-$r"
		measure "$hlog" hugo --quiet --source "$gen" \
		    --config "$gen/hugo.toml,$gen/lean.toml" --destination "$out"
		hpages=$(find "$out" -name '*.html' | wc -l)
		mv "$out" "$O/trash/"
		[ "$place" = tmpfs ] && rm -rf "$O/trash"/*
	done
	read -r bmed bmin bmax bmem < <(stats "$blog")
	read -r pmed pmin pmax pmem < <(stats "$plog")
	hmed=""
	if [ $hugo = 1 ]; then
		read -r hmed hmin hmax hmem < <(stats "$hlog")
	fi
	awk -v n="$N" -v med="$bmed" -v lo="$bmin" -v hi="$bmax" -v mem="$bmem" \
	    -v pages="$pages" -v hmed="$hmed" -v hmem="${hmem:-}" -v o="$place" 'BEGIN {
		printf "%-7s %-6s %-9s %8.2f %6.2f-%-7.2f %8.0f %9.0f %8s %8s\n", n, o, "brochure",
		    med, lo, hi, pages / med, mem,
		    hmed != "" ? sprintf("%.3f", med / hmed) : "-",
		    hmed != "" ? sprintf("%.3f", mem / hmem) : "-" }'
	awk -v n="$N" -v med="$pmed" -v lo="$pmin" -v hi="$pmax" -v mem="$pmem" \
	    -v pages="$pages" -v hmed="$hmed" -v hmem="${hmem:-}" -v o="$place" 'BEGIN {
		printf "%-7s %-6s %-9s %8.2f %6.2f-%-7.2f %8.0f %9.0f %8s %8s\n", n, o, "+print",
		    med, lo, hi, pages / med, mem,
		    hmed != "" ? sprintf("%.3f", med / hmed) : "-",
		    hmed != "" ? sprintf("%.3f", mem / hmem) : "-" }'
	notes+=("$(awk -v n="$N $place" -v t="$pmed" -v bt="$bmed" -v m="$pmem" -v bm="$bmem" 'BEGIN {
		printf "print %s: %+.0f%% time, %+.0f%% peak memory over the build without it", \
		    n, 100 * (t / bt - 1), 100 * (m / bm - 1) }')")
	if [ -n "$hmed" ]; then
		awk -v n="$N" -v med="$hmed" -v lo="$hmin" -v hi="$hmax" -v mem="$hmem" \
		    -v pages="$hpages" -v o="$place" 'BEGIN {
			printf "%-7s %-6s %-9s %8.2f %6.2f-%-7.2f %8.0f %9.0f %8s %8s\n", n, o,
			    "hugo", med, lo, hi, pages / med, mem, "1", "1" }'
	fi
	read -r fsum fmin fmax < <(floor_stats "$flog" sum)
	awk -v n="$N" -v med="$fsum" -v lo="$fmin" -v hi="$fmax" -v pages="$pages" \
	    -v hmed="$hmed" -v o="$place" 'BEGIN {
		printf "%-7s %-6s %-9s %8.2f %6.2f-%-7.2f %8.0f %9s %8s %8s\n", n, o, "floor",
		    med, lo, hi, pages / med, "-",
		    hmed != "" ? sprintf("%.3f", med / hmed) : "-", "-" }'
	notes+=("$(awk -v n="$N $place" -v r="$(floor_stats "$flog" read | cut -d' ' -f1)" \
	    -v c="$(floor_stats "$flog" cmark | cut -d' ' -f1)" \
	    -v w="$(floor_stats "$flog" write | cut -d' ' -f1)" \
	    -v b="$bmed" -v f="$fsum" -v h="$hmed" \
	    -v line="$(tail -1 "$flog")" 'BEGIN {
		m = split(line, kv, /[ =]/)
		for (i = 1; i < m; i += 2) v[kv[i]] = kv[i + 1]
		printf "floor %s: read %.2f s (%d files, %.1f MB) + cmark %.2f s (%d bodies)", \
		    n, r, v["files"], v["mb"], c, v["docs"]
		printf " + write %.2f s (%d files, %d new directories, %.1f MB), %d threads;", \
		    w, v["out"], v["dirs"], v["outmb"], v["threads"]
		printf " brochure %.2f s = %.2fx the floor", b, b / f
		if (h != "")
			printf "; hugo/8 = %.2f s", h / 8
		printf "\n" }')")
done
done
printf '%s\n' "${notes[@]}"
# an edit on the real brochure under brochure serve, to the open page;
# and on the largest synthetic site
python3 tests/bench/serve_latency.py ./brochure
python3 tests/bench/serve_latency.py ./brochure 5 "$BENCH_TMP/brochure-${SIZES[-1]}" |
    sed "s/^serve:/serve at ${SIZES[-1]} profiles:/"
# the outputs go last, after every measurement
rm -rf "$BENCH_TMP/trash" "$BENCH_OUT"
