#!/usr/bin/env python3
"""How long a one-file edit on the real brochure takes to reach an open
page under `brochure serve`: from the write of a content file to the
`reload` event on the page's event stream, and to the end of the full
build that follows (on a large site the server shows an edited page
before it builds the rest). Runs on a copy of the repository's content/
and layouts/ (or PROJECT's), several edits of one profile's body, each
after the previous one has settled; prints the medians.

usage: serve_latency.py BROCHURE [EDITS [PROJECT]]"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import queue
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
binary, edits = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
project = sys.argv[3] if len(sys.argv) > 3 else ROOT
work = tempfile.mkdtemp()
for d in ("content", "layouts"):
    shutil.copytree(os.path.join(project, d), os.path.join(work, d), symlinks=True)
srv = subprocess.Popen([binary, "serve", "-C", work, "--port", "0"],
                       stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
try:
    port = None
    deadline = time.time() + 120
    while port is None and time.time() < deadline:
        line = srv.stderr.readline()
        if "serving http://" in line:
            port = int(line.rsplit(":", 1)[1].strip().strip("/"))
    if port is None:
        sys.exit("serve_latency: the server did not start")
    lines = queue.Queue()

    def drain():
        for line in srv.stderr:
            lines.put(line)
    threading.Thread(target=drain, daemon=True).start()
    sock = socket.create_connection(("127.0.0.1", port))
    # the server answers only its own host name (a DNS-rebinding guard)
    sock.sendall(f"GET /__brochure/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                 "Accept: text/event-stream\r\n\r\n".encode())
    sock.settimeout(60)
    sock.recv(4096)                         # headers and the greeting
    cities = os.path.join(work, "content", "cities")
    page = os.path.join(cities, "bari.en.md")
    if not os.path.exists(page):
        page = os.path.join(cities, sorted(f for f in os.listdir(cities)
                                           if f.endswith(".en.md"))[0])
    text = open(page, encoding="utf-8").read()
    times, full = [], []
    for i in range(edits):
        time.sleep(0.3)
        while not lines.empty():
            lines.get()
        t0 = time.monotonic()
        with open(page, "w", encoding="utf-8") as f:
            f.write(text + f"\nEdit number {i}.\n")
        buf = b""
        while b"event: reload" not in buf:
            buf += sock.recv(4096)
        times.append((time.monotonic() - t0) * 1000)
        # settled: the full build's summary line
        while "brochure: built" not in lines.get(timeout=120):
            pass
        full.append((time.monotonic() - t0) * 1000)
        # the full build's own reload, when the page was shown first
        sock.settimeout(0.2)
        try:
            while sock.recv(4096):
                pass
        except socket.timeout:
            pass
        sock.settimeout(60)
    print(f"serve: edit to reload event, {edits} edits: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f}, max {max(times):.0f}; to the end of the full build: "
          f"median {statistics.median(full):.0f} ms")
finally:
    srv.terminate()
    srv.wait(10)
    shutil.rmtree(work, ignore_errors=True)
