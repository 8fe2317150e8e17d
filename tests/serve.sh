#!/usr/bin/env bash
# serve.sh - brochure serve: pages and assets, live reload, the error page,
# confinement to site/, concurrent requests, a clean shutdown.
#
# The server runs on a free port (--port 0) against a copy of the golden
# fixture; every wait is bounded and the trap kills whatever is left.
set -u
unset GLIBC_TUNABLES	# servers get it, or not, as each case says
BIN=${BIN:-./brochure}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TMP=${TMP:-$(mktemp -d)}
T="$TMP/serve"
E=tests/golden/basic/expected
rm -rf "$T"
mkdir -p "$T"
pass=0
fail=0
PID=""
EVPID=""
URL=""
ok() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL serve: $CASE"; fi; }
cleanup() {
	[ -n "$EVPID" ] && kill "$EVPID" 2>/dev/null
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
}
trap cleanup EXIT

if ! command -v curl >/dev/null 2>&1; then
	echo "FAIL serve: curl is missing (sh src/deps.sh check)"
	echo "0 passed, 1 failed"
	exit 1
fi

# ms: milliseconds since the epoch.
ms() { date +%s%3N; }
# before END CMD...: true as soon as CMD succeeds, false once the clock
# passes END (milliseconds). CMD runs anew each time: pass functions, not
# "$(...)", which the shell would expand once.
before() {
	local end=$1
	shift
	while :; do
		"$@" && return 0
		[ "$(ms)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
# within MS CMD...: the same, MS milliseconds from now.
within() {
	local end=$(($(ms) + $1))
	shift
	before "$end" "$@"
}
# start [ENV=V...]: starts the server on a free port; sets PID and URL.
start() {
	env "$@" "$BIN" serve -C "$T/p" --port 0 2>"$T/err" &
	PID=$!
	URL=""
	within 15000 grep -q '^brochure: serving ' "$T/err" || return 1
	URL=$(sed -n 's/^brochure: serving //p' "$T/err")
}
# stop: SIGTERM, then the exit status within 10 s (124 if it hangs).
stop() {
	local i
	kill -TERM "$PID" 2>/dev/null
	for i in $(seq 200); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$PID" 2>/dev/null; then
		kill -KILL "$PID"
		wait "$PID" 2>/dev/null
		PID=""
		return 124
	fi
	wait "$PID"
	local rc=$?
	PID=""
	return $rc
}
# get PATH [CURL ARGS]: the body to $T/body; prints "STATUS TYPE".
get() {
	local p=$1
	shift
	curl -s --path-as-is --max-time 5 -o "$T/body" -D "$T/head" \
	    -w '%{http_code} %{content_type}' "$@" "${URL%/}$p"
}
status() { get "$@" | cut -d' ' -f1; }
# page_has PATH TEXT: the page answers 200 and contains TEXT.
page_has() { [ "$(status "$1")" = 200 ] && grep -qF -- "$2" "$T/body"; }
# status_is CODE PATH: the path answers CODE.
status_is() { [ "$(status "$2")" = "$1" ]; }
events() { grep -c '^event: reload$' "$T/ev" 2>/dev/null || true; }
# events_over N: more than N reload events arrived on the open stream.
events_over() { [ "$(events)" -gt "$1" ]; }
# error_has TEXT: the error page holds TEXT.
error_has() { get /en/ >/dev/null; grep -qF -- "$1" "$T/body"; }
clean_report() { ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$T/err"; }

mkdir -p "$T/p"
cp -r tests/golden/basic/content tests/golden/basic/layouts "$T/p/"
A="$T/p/layouts/static/assets"
printf 'console.log(1);\n' >"$A/app.js"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$A/logo.svg"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$A/pic.png"
printf '\377\330\377\340' >"$A/pic.jpg"
printf 'RIFF\0\0\0\0WEBP' >"$A/pic.webp"
printf 'wOF2\0\1' >"$A/font.woff2"
printf '%%PDF-1.4\n' >"$A/doc.pdf"
printf '{"a": 1}\n' >"$A/data.json"
printf 'notes\n' >"$A/notes.txt"
printf 'whatever\n' >"$A/thing.xyz"
mkdir -p "$T/p/site2"
echo "TOPSECRET sibling" >"$T/p/site2/secret.txt"

CASE="serve --port 0 prints the URL it listens on"
start
ok test -n "$URL"
CASE="... on loopback"
ok grep -q '^http://127\.0\.0\.1:[0-9][0-9]*/$' <<<"$URL"
# The allocator's settings (src/main.c): on Linux with glibc, brochure
# starts itself again with them, unless the user set GLIBC_TUNABLES; the
# ASan build keeps its own allocator. environ shows what the image got.
TUNED=0
[[ "$BIN" != */asan/* ]] && [ -r "/proc/$PID/environ" ] &&
    ldd "$BIN" 2>/dev/null | grep -q 'libc\.so\.6' && TUNED=1
tunables() { tr '\0' '\n' <"/proc/$PID/environ" | grep '^GLIBC_TUNABLES='; }
if [ $TUNED = 1 ]; then
	CASE="... with glibc's heap on huge pages (GLIBC_TUNABLES, set once)"
	ok test "$(tunables | grep -c '^GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1')" = 1
fi

CASE="the cover is served as HTML"
ok test "$(get /)" = "200 text/html; charset=utf-8"
CASE="... with the reload script before </body>"
ok grep -q '<script>/\* brochure serve \*/.*EventSource.*/__brochure/events.*</script>' "$T/body"
CASE="... and otherwise the bytes build writes"
ok cmp -s <(grep -v '^<script>/\* brochure serve' "$T/body") "$E/index.html"
CASE="... with Cache-Control: no-store"
ok grep -qi '^Cache-Control: no-store' "$T/head"
CASE="files on disk never carry the reload script"
ok test -z "$(grep -rl 'brochure serve' "$T/p/site")"
CASE="a directory serves its index.html"
get /en/cities/alpha/ >/dev/null
ok cmp -s <(grep -v '^<script>/\* brochure serve' "$T/body") "$E/en/cities/alpha/index.html"
CASE="a directory without its slash is redirected to it"
ok test "$(status /en/cities)" = 302
ok grep -qi '^Location: /en/cities/' "$T/head"
CASE="HEAD answers the headers without a body"
ok test "$(get / -I)" = "200 text/html; charset=utf-8"
CASE="POST, PUT and DELETE get 405"
ok test "$(status / -X POST -d x=1)" = 405
ok test "$(status / -X PUT)" = 405
ok test "$(status /en/ -X DELETE)" = 405
CASE="a missing page gets 404 with site/404.html"
ok test "$(get /en/nowhere/)" = "404 text/html; charset=utf-8"
ok grep -q 'Page not found' "$T/body"

for m in "assets/site.css text/css; charset=utf-8" \
    "assets/app.js text/javascript; charset=utf-8" \
    "assets/logo.svg image/svg+xml" "assets/pic.png image/png" \
    "assets/pic.jpg image/jpeg" "assets/pic.webp image/webp" \
    "assets/font.woff2 font/woff2" "assets/doc.pdf application/pdf" \
    "sitemap.xml application/xml; charset=utf-8" \
    "assets/data.json application/json" \
    "assets/notes.txt text/plain; charset=utf-8" \
    "assets/thing.xyz text/plain"; do
	CASE="MIME type: /${m%% *} is ${m#* }"
	ok test "$(get "/${m%% *}")" = "200 ${m#* }"
done
CASE="search: the page with a query in its address, its index as JSON"
ok test "$(get '/zh/search/?q=%E9%98%BF%E5%B0%94%E6%B3%95')" = "200 text/html; charset=utf-8"
ok grep -q 'data-index="../../zh/search/index.json"' "$T/body"
ok test "$(get /zh/search/index.json)" = "200 application/json"
ok grep -q '"zh/cities/alpha/index.html","阿尔法"' "$T/body"
ok test "$(get /en/search/text-0.json)" = "200 application/json"
CASE="assets are served byte for byte"
get /assets/pic.png >/dev/null
ok cmp -s "$T/body" "$A/pic.png"
CASE="the event stream is text/event-stream"
curl -s --max-time 1 -D "$T/head" -o /dev/null "${URL}__brochure/events"
ok grep -qi '^Content-Type: text/event-stream' "$T/head"

# Paths outside site/: each answered 400 or 404, never with the file.
ln -s /etc/passwd "$T/p/site/passwd-link"
ln -s ../site2 "$T/p/site/site2-link"
ln -s ../site2/secret.txt "$T/p/site/secret-link.txt"
refused() {
	local s
	s=$(status "$@")
	[ "$s" = 400 ] || [ "$s" = 404 ] || { echo "  got $s for $*"; return 1; }
	! grep -qE 'root:|TOPSECRET' "$T/body"
}
for p in /../etc/passwd /../../../../etc/passwd /%2e%2e/%2e%2e/etc/passwd \
    /%2E%2E/%2E%2E/%2E%2E/etc/passwd /en/%2f..%2f..%2fetc/passwd \
    /..%2f..%2fetc/passwd /%00 /index.html%00.png /en/%00/../../etc/passwd \
    //etc/passwd /./index.html /%zz /../site2/secret.txt \
    /%2e%2e/site2/secret.txt /passwd-link /site2-link/secret.txt \
    /secret-link.txt "$T/p/site2/secret.txt"; do
	CASE="refused: $p"
	ok refused "$p"
done
CASE="refused: an absolute-URL request target"
ok refused / --request-target "http://127.0.0.1/../site2/secret.txt"
CASE="refused: an absolute path as the request target"
ok refused / --request-target "$T/p/site2/secret.txt"
CASE="refused: a request target too long"
ok test "$(status "/$(printf 'a%.0s' $(seq 3000))")" = 414
rm "$T/p/site/passwd-link" "$T/p/site/site2-link" "$T/p/site/secret-link.txt"

# 20 clients at once, each asking 10 times over one connection.
CASE="200 requests from 20 concurrent clients all get 200 with the right bytes"
get /en/cities/alpha/ >/dev/null
cp "$T/body" "$T/alpha.html"
mkdir -p "$T/c"
export CDIR="$T/c" CURL="${URL}en/cities/alpha/"
seq 200 | xargs -P 20 -n 10 bash -c 'a=(); for i; do a+=(-o "$CDIR/$i" "$CURL"); done
    exec curl -s --max-time 30 -w "%{http_code}\n" "${a[@]}"' _ >"$T/codes" 2>/dev/null
ok test "$(grep -c '^200$' "$T/codes")" -eq 200
ok test "$(ls "$T/c" | wc -l)" -eq 200
ok test "$(md5sum "$T"/c/* | cut -d' ' -f1 | sort -u)" = "$(md5sum <"$T/alpha.html" | cut -d' ' -f1)"

# Live reload: an open event stream and an edit.
timeout 30 curl -sN "${URL}__brochure/events" >"$T/ev" 2>/dev/null &
EVPID=$!
CASE="the event stream opens"
ok within 5000 grep -q '^retry:' "$T/ev"
CASE="an edit rebuilds the page within 2 s"
t0=$(ms)
sed -i 's/Alpha has trams/Alpha has NEW trams/' "$T/p/content/cities/alpha.en.md"
ok before $((t0 + 2000)) page_has /en/cities/alpha/ 'Alpha has NEW trams'
CASE="... and sends a reload event within 2 s"
ok before $((t0 + 2000)) events_over 0
CASE="a stream opened for an older build gets reload at once"
curl -sN --max-time 1 "${URL}__brochure/events?since=0" >"$T/ev0" 2>/dev/null
ok grep -q '^event: reload$' "$T/ev0"
CASE="a new directory is watched too"
mkdir "$T/p/layouts/static/fresh"
sleep 0.5
echo "fresh file" >"$T/p/layouts/static/fresh/new.txt"
ok within 2000 page_has /fresh/new.txt 'fresh file'

# Issue 20: a page elsewhere that points its own name at this address
# (DNS rebinding) is refused, and the hidden build marker is not served.
CASE="a request for another host gets 421, and a log line naming it"
ok test "$(status /en/ -H 'Host: evil.example:80')" = 421 -a \
    "$(grep -c 'refused a request for another host: evil.example:80' "$T/err")" -ge 1
CASE="... and so does the right name on another port"
ok test "$(status /en/ -H "Host: localhost:1")" = 421
CASE="... while localhost and 127.0.0.1 with the port are served"
port=${URL##*:}
port=${port%/}
ok test "$(status /en/ -H "Host: localhost:$port")" = 200 -a \
    "$(status /en/ -H "Host: 127.0.0.1:$port")" = 200
CASE="dotfiles are not served (the build marker .brochure)"
ok test -f "$T/p/site/.brochure" -a "$(status /.brochure)" = 404 -a \
    "$(status /en/.hidden)" = 404

# Issue 20, finding 2: open tabs and slow clients do not lock others out.
port=${URL##*:}
port=${port%/}
CASE="100 open event streams, and a new client still gets its page at once"
spids=""
for _ in $(seq 100); do
	curl -s -N --max-time 20 "${URL%/}/__brochure/events" >/dev/null 2>&1 &
	spids="$spids $!"
done
sleep 1
t0=$(ms)
ok test "$(status /en/)" = 200 -a $(( $(ms) - t0 )) -lt 2000
kill $spids 2>/dev/null
wait $spids 2>/dev/null
CASE="100 clients trickling their headers: a page still loads at once"
python3 tests/trickle.py 127.0.0.1 "$port" 100 14 >"$T/trickle" 2>&1 &
tpid=$!
sleep 2
t0=$(ms)
ok test "$(status /en/)" = 200 -a $(( $(ms) - t0 )) -lt 2000
CASE="... and each is cut off once its headers have taken 10 s"
wait $tpid
ok grep -qE '^cut=100 longest=1[0-3]\.' "$T/trickle"

# A build error: the error page until it is fixed.
cp "$T/p/content/cities/alpha.en.md" "$T/alpha.bak"
n=$(events)
t0=$(ms)
sed -i 's/^clusters: \[mobility,/clusters: [mobilty,/' "$T/p/content/cities/alpha.en.md"
CASE="a build error shows the error page (500) within 2 s"
ok before $((t0 + 2000)) status_is 500 /en/cities/alpha/
CASE="... naming the file and the line"
ok grep -q '<td class="file">content/cities/alpha.en.md</td><td>10</td>' "$T/body"
ok grep -q 'unknown cluster &#39;mobilty&#39;' "$T/body"
CASE="... carrying the reload script"
ok grep -q 'EventSource' "$T/body"
CASE="... and reloads open pages"
ok before $((t0 + 2000)) events_over "$n"
CASE="while in error, every page gets the error page"
ok test "$(get /zh/)" = "500 text/html; charset=utf-8"
ok grep -q 'The build failed' "$T/body"
ok test "$(status /en/nowhere/)" = 500
CASE="while in error, assets are still served"
ok test "$(status /assets/site.css)" = 200
CASE="while in error, the last good site stays on disk"
ok grep -q 'Alpha has NEW trams' "$T/p/site/en/cities/alpha/index.html"
CASE="diagnostics are HTML-escaped on the error page"
sed -i 's/^clusters: \[mobilty,/clusters: ["<i>x<\/i>",/' "$T/p/content/cities/alpha.en.md"
ok within 2000 error_has 'unknown cluster &#39;&lt;i&gt;x&lt;/i&gt;&#39;'
ok test -z "$(grep -F '<i>x</i>' "$T/body")"
CASE="the server survives bad content"
printf '\0\377 not even text' >"$T/p/content/cities/zzz.en.md"
sleep 0.5
ok kill -0 "$PID"
rm "$T/p/content/cities/zzz.en.md"
CASE="a fix brings the site back within 2 s"
cp "$T/alpha.bak" "$T/p/content/cities/alpha.en.md"
ok within 2000 page_has /en/cities/alpha/ 'Alpha has NEW trams'
ok test "$(status /en/nowhere/)" = 404

kill "$EVPID" 2>/dev/null
wait "$EVPID" 2>/dev/null
EVPID=""
CASE="SIGTERM stops the server with status 0"
stop
ok test $? -eq 0
CASE="... with no sanitizer report"
ok clean_report
CASE="... leaving nothing behind but site/"
rm -rf "$T/p/site2"
ok test "$(ls -A "$T/p" | tr '\n' ' ')" = "content layouts site "
ok test -z "$(find "$T/p/site" -name '*.tmp*' -o -name '.#*')"

CASE="the polling watcher (BROCHURE_POLL=1) rebuilds within 2 s"
start BROCHURE_POLL=1 GLIBC_TUNABLES=
sed -i 's/Alpha has NEW trams/Alpha has POLLED trams/' "$T/p/content/cities/alpha.en.md"
ok within 2000 page_has /en/cities/alpha/ 'Alpha has POLLED trams'
if [ $TUNED = 1 ]; then
	CASE="... leaving the user's GLIBC_TUNABLES, even empty, as it is"
	ok test "$(tunables)" = "GLIBC_TUNABLES="
fi
CASE="... and SIGINT stops it with status 0 and no report, a stream open"
timeout 30 curl -sN "${URL}__brochure/events" >"$T/ev" 2>/dev/null &
EVPID=$!
within 5000 grep -q '^retry:' "$T/ev"
kill -INT "$PID"
ok within 10000 bash -c "! kill -0 $PID 2>/dev/null"
wait "$PID"
ok test $? -eq 0
PID=""
ok clean_report
CASE="... ending the stream"
ok within 5000 bash -c "! kill -0 $EVPID 2>/dev/null"
EVPID=""

# A site whose build is slow (here: any, BROCHURE_TEST_QUICK_MS=0) shows
# an edited page first, then builds the rest.
shown() { grep -c ' shown in [0-9]* ms; building the rest$' "$T/err" || true; }
built() { grep -c '^brochure: built ' "$T/err" || true; }
built_over() { [ "$(built)" -gt "$1" ]; }
start BROCHURE_TEST_QUICK_MS=0
# two open pages: the one edited and another
timeout 30 curl -sN "${URL}__brochure/events?path=/en/cities/alpha/" >"$T/ev-a" 2>/dev/null &
EVA=$!
timeout 30 curl -sN "${URL}__brochure/events?path=/en/cities/eta/" >"$T/ev-b" 2>/dev/null &
EVB=$!
within 5000 grep -q '^retry:' "$T/ev-a"
within 5000 grep -q '^retry:' "$T/ev-b"
CASE="a slow site's edited page is shown before the rest is built"
sed -i 's/Alpha has POLLED trams/Alpha has FIRST trams/' "$T/p/content/cities/alpha.en.md"
ok within 2000 page_has /en/cities/alpha/ 'Alpha has FIRST trams'
ok within 2000 grep -q '^brochure: content/cities/alpha.en.md shown in' "$T/err"
CASE="... and the build after it leaves the site as a fresh build makes it"
within 5000 built_over 1
CASE="... the edited page reloads once, an open page it did not change not at all"
sleep 0.5
ok test "$(grep -c '^event: reload$' "$T/ev-a")" = 1
ok test "$(grep -c '^event: reload$' "$T/ev-b")" = 0
CASE="... but a change to a script or stylesheet reloads every open page"
n=$(built)
echo "/* restyled */" >>"$T/p/layouts/static/assets/app.js"
ok within 5000 built_over "$n"
ok within 2000 grep -q '^event: reload$' "$T/ev-b"
kill "$EVA" "$EVB" 2>/dev/null
wait "$EVA" "$EVB" 2>/dev/null
"$BIN" build --quiet -C "$T/p" -o "$T/fresh" 2>/dev/null
ok diff -r -x .brochure "$T/fresh" "$T/p/site"
CASE="... while a change to the front matter is built whole"
n=$(shown)
b=$(built)
sed -i 's/^population: 1666530$/population: 1666531/' "$T/p/content/cities/alpha.en.md"
ok within 5000 built_over "$b"
ok within 2000 page_has /en/cities/alpha/ '1,666,531'
ok test "$(shown)" = "$n"
CASE="... and a body with a broken link is not shown first: the error page says why"
printf '\nSee [nothing](@/cities/nope.md).\n' >>"$T/p/content/cities/alpha.en.md"
ok within 2000 error_has 'nope'
ok test "$(shown)" = "$n"
CASE="... and its fix is"
sed -i 's/^See \[nothing\](@\/cities\/nope.md).$/See nothing./' "$T/p/content/cities/alpha.en.md"
ok within 2000 page_has /en/cities/alpha/ 'See nothing.'
stop
ok test $? -eq 0
ok clean_report

CASE="binding beyond loopback warns"
"$BIN" serve -C "$T/p" --bind 0.0.0.0 --port 0 2>"$T/err" &
PID=$!
within 15000 grep -q '^brochure: serving ' "$T/err"
ok grep -q 'warning: 0.0.0.0 is not a loopback address' "$T/err"
stop
CASE="an invalid --port is a usage error"
"$BIN" serve -C "$T/p" --port 70000 2>/dev/null
ok test $? -eq 2
CASE="a missing project directory is an environment error"
"$BIN" serve -C "$T/nowhere" --port 0 2>/dev/null
ok test $? -eq 2

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
