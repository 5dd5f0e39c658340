#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile clients for the servers' resource tests (tests/host/opsd-load.sh,
the package service's tests): many connections held open, each doing one
cheap thing, until the process is killed.

  conn-flood.py MODE --port P [--host H] [-n N] [--src A.B.C.D --srcs K]
                [--cafile CA] [--size BYTES] [--every S]

MODE is
  idle     TCP connect, then nothing (never starts TLS).
  slowtls  TLS handshake, then one header line every --every seconds.
  slowhttp plain HTTP, one header byte every --every seconds.
  body     TLS, then a PUT with Content-Length --size, whose body is sent
           all but its last byte, then held (no token in the request).

Connections come from --srcs source addresses counted up from --src
(127.0.0.0/8 is all local), round robin. Prints "ready OPEN/N" on stdout
once every connection has been tried (in body mode: once every body was
sent or refused), then holds them.
"""
import argparse
import ipaddress
import signal
import socket
import ssl
import sys
import threading
import time


def connect(a, i):
    src = str(ipaddress.ip_address(a.src) + (i % a.srcs))
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(10)
    s.bind((src, 0))
    s.connect((a.host, a.port))
    return s


def tls(a, s):
    ctx = ssl.create_default_context(cafile=a.cafile)
    ctx.check_hostname = False
    return ctx.wrap_socket(s, server_hostname=a.host)


def slow(s, a, first):
    s.sendall(first)
    k = 0
    while True:
        time.sleep(a.every)
        k += 1
        s.sendall(b"X-Slow-%d: x\r\n" % k if a.mode == "slowtls" else b"X")


def body(s, a):
    s.sendall(b"PUT /api/v1/releases/9.9.9/payload HTTP/1.1\r\n"
              b"Host: x\r\nContent-Length: %d\r\n\r\n" % a.size)
    chunk = b"\0" * 65536
    left = a.size - 1
    while left > 0:
        n = min(left, len(chunk))
        s.sendall(chunk[:n])
        left -= n


def start(a, i, opened):
    s = connect(a, i)
    if a.mode in ("slowtls", "body"):
        s = tls(a, s)
    opened.append(s)
    if a.mode == "body":
        body(s, a)
    return s


def one(a, i, opened, done):
    try:
        s = start(a, i, opened)
    except (OSError, ssl.SSLError):
        s = None
    done.release()
    try:
        if s and a.mode == "slowtls":
            slow(s, a, b"GET / HTTP/1.1\r\n")
        elif s and a.mode == "slowhttp":
            slow(s, a, b"G")
    except (OSError, ssl.SSLError):
        return
    while True:
        time.sleep(3600)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["idle", "slowtls", "slowhttp", "body"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("-n", type=int, default=1)
    p.add_argument("--src", default="127.0.0.2")
    p.add_argument("--srcs", type=int, default=1)
    p.add_argument("--cafile")
    p.add_argument("--size", type=int, default=16 << 20)
    p.add_argument("--every", type=float, default=1.0)
    a = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    opened, done = [], threading.Semaphore(0)
    for i in range(a.n):
        threading.Thread(target=one, args=(a, i, opened, done),
                         daemon=True).start()
    for _ in range(a.n):
        done.acquire()
    print("ready %d/%d" % (len(opened), a.n), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
