#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Folder-level include graph of the C tree, and its cycles.

Reads every #include "..." of the C files below the given folders, resolves
it the way the build does (the including file's folder, then -Iinclude/uapi
-Iinclude -Iuserspace/lib), and prints one line per pair of folders that
include each other's files ("A -> B  (n includes)"), then each cycle between
folders and each cycle between files of different folders. Exit 1 when a
cycle crosses folders. Usage: include-graph.py [FOLDER...]
"""
import os
import re
import sys

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SEARCH = ["include/uapi", "include", "userspace/lib"]


def sources(roots):
    for root in roots:
        for d, _, names in os.walk(root):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    yield os.path.normpath(os.path.join(d, n))


def resolve(src, name):
    for base in [os.path.dirname(src)] + SEARCH:
        p = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(p):
            return p
    return None


def cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(roots):
    files, folders, count = {}, {}, {}
    for src in sources(roots or ["userspace", "kmod", "include"]):
        with open(src, errors="replace") as f:
            text = f.read()
        for name in INC.findall(text):
            dst = resolve(src, name)
            if not dst or dst == src:
                continue
            files.setdefault(src, set()).add(dst)
            a, b = os.path.dirname(src), os.path.dirname(dst)
            if a != b:
                folders.setdefault(a, set()).add(b)
                count[(a, b)] = count.get((a, b), 0) + 1
    for (a, b), c in sorted(count.items()):
        print(f"{a} -> {b}  ({c} includes)")
    bad = 0
    for comp in cycles(folders):
        print("folder cycle: " + " <-> ".join(comp))
        bad = 1
    for comp in cycles(files):
        dirs = {os.path.dirname(p) for p in comp}
        kind = "cross-folder file cycle" if len(dirs) > 1 else "file cycle"
        print(f"{kind}: " + " <-> ".join(comp))
        bad |= len(dirs) > 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
