#!/bin/sh
# deps.sh - install what brochure needs, or say exactly how.
#
#   sh src/deps.sh build   libraries and tools to compile brochure
#   sh src/deps.sh pdf     plus what make pdf uses (WeasyPrint, Noto CJK, poppler)
#   sh src/deps.sh check   plus what the test suite uses (the pdf tools too)
#   sh src/deps.sh bench   plus what make bench uses (GNU time, python3, Hugo)
#
# As root with apt-get, missing Debian packages are installed. Otherwise
# the exact command is printed and the script fails, so `make` stops with
# the instruction rather than a compiler error.
set -u
what=${1:-build}
missing=""

need_pc() {	# pkg-config module, Debian package
	if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists "$1"; then
		missing="$missing $2"
	fi
}
need_cmd() {	# command, Debian package
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_pc libcmark libcmark-dev
need_pc libutf8proc libutf8proc-dev
need_pc yaml-0.1 libyaml-dev
need_pc jansson libjansson-dev
need_pc libmicrohttpd libmicrohttpd-dev
need_font() {	# fontconfig family, Debian package
	command -v fc-list >/dev/null 2>&1 && fc-list "$1" family | grep -q . ||
	    missing="$missing $2"
}
if [ "$what" = pdf ] || [ "$what" = check ]; then
	need_cmd weasyprint weasyprint
	need_cmd pdftotext poppler-utils
	need_font "Noto Sans CJK SC" fonts-noto-cjk
	need_font "Liberation Sans" fonts-liberation
fi
if [ "$what" = bench ]; then
	need_cmd python3 python3
	[ -x /usr/bin/time ] || missing="$missing time"
	need_cmd hugo hugo
fi
need_lib() {	# shared library (soname), Debian package
	{ command -v ldconfig >/dev/null 2>&1 && ldconfig -p | grep -q "$1"; } ||
	    [ -e "/usr/lib/$(uname -m)-linux-gnu/$1" ] || missing="$missing $2"
}
if [ "$what" = check ]; then
	# photos (front matter photos:): libvips, loaded when a page has one
	need_lib libvips.so.42 libvips42
	need_cmd python3 python3
	python3 -c "import yaml" 2>/dev/null || missing="$missing python3-yaml"
	need_cmd clang clang
	need_cmd iconv libc-bin
	need_cmd curl curl
	# the browser part: tests/browser/ (Chromium driven by playwright-core,
	# axe-core, the Nu HTML Checker on a Java runtime)
	need_cmd chromium chromium
	need_cmd node nodejs
	need_cmd npm npm
	need_cmd java default-jre-headless
fi
# pkg-config itself missing: every module looked missing; say each once
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
missing=" ${missing% }"	# " pkg pkg": the messages below append it as it is
[ -z "${missing# }" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		if ! apt-get install -y -qq $missing >/dev/null 2>&1; then
			apt-get update -qq >/dev/null 2>&1
			apt-get install -y -qq $missing >/dev/null || {
				echo "deps: apt-get install$missing failed" >&2
				exit 1
			}
		fi
		exit 0
	fi
	echo "deps: missing packages; run:" >&2
	echo "    sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: missing:$missing" >&2
echo "deps: on macOS: brew install pkg-config cmark utf8proc libyaml jansson libmicrohttpd" >&2
echo "deps: on Fedora: sudo dnf install pkgconf cmark-devel utf8proc-devel libyaml-devel jansson-devel libmicrohttpd-devel" >&2
exit 1
