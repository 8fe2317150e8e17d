#!/usr/bin/env python3
"""trickle.py HOST PORT N SECONDS - a slow client, N times over: each
connection sends a request line, then one header byte a second, never
finishing its headers, for at most SECONDS. Prints how many connections
the server cut off and the longest time one of them lasted, as
"cut=K longest=S". Bounded in count and time; only for this machine's
preview server in tests/serve.sh."""
import socket
import sys
import time

host, port, n, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
socks, t0 = [], time.monotonic()
for _ in range(n):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port)
    s.setblocking(False)
    socks.append([s, None])
while time.monotonic() - t0 < limit and any(end is None for _, end in socks):
    time.sleep(1)
    for pair in socks:
        s, end = pair
        if end is not None:
            continue
        try:
            s.sendall(b"x")
            if s.recv(1) == b"":
                pair[1] = time.monotonic() - t0
        except BlockingIOError:
            pass
        except OSError:
            pair[1] = time.monotonic() - t0
cut = [end for _, end in socks if end is not None]
for s, _ in socks:
    s.close()
print(f"cut={len(cut)} longest={max(cut) if cut else 0:.1f}")
