#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile clients of the package service for tests/host/pkgsrv-load.sh.

  pkgsrv-clients.py idle HOST PORT N [SRC]
                                       N idle sockets, each from its own
                                       127.0.x.y source (or all from SRC);
                                       held until killed
  pkgsrv-clients.py slow HOST PORT SRC SECONDS
                                       a request head at one byte a second
                                       from SRC; prints when the server
                                       closed it, exit 1 if still open
"""
import socket
import sys
import time


def idle(host, port, n, src):
    held = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((src or "127.0.%d.%d" % (1 + i // 250, 1 + i % 250), 0))
        s.setblocking(False)
        try:
            s.connect((host, port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        held.append(s)
    print("opened %d" % len(held), flush=True)
    while True:
        time.sleep(60)


def slow(host, port, src, limit):
    head = b"GET /pkg/2.0.0 HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: y\r\n" * 20
    s = socket.create_connection((host, port), timeout=limit + 5,
                                 source_address=(src, 0))
    s.settimeout(1)
    start = time.monotonic()
    for b in head:
        try:
            s.send(bytes([b]))
            if s.recv(4096) == b"":
                break
        except socket.timeout:
            pass
        except OSError:
            break
        if time.monotonic() - start > limit:
            print("still open after %.1f s" % (time.monotonic() - start))
            return 1
    print("closed after %.1f s" % (time.monotonic() - start))
    return 0


def main():
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "idle":
        idle(host, port, int(sys.argv[4]),
             sys.argv[5] if len(sys.argv) > 5 else None)
    return slow(host, port, sys.argv[4], float(sys.argv[5]))


sys.exit(main())
