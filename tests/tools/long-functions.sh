#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# List C functions longer than MAX lines (default 80), longest first:
# "LINES FILE:LINE NAME". Kernel and clang-format style put a function's
# opening and closing braces in column 0, which is what this counts between.
# Usage: long-functions.sh [-n MAX] FILE...
set -eu
max=80
if [ "${1:-}" = -n ]; then
	max=$2
	shift 2
fi
awk -v max="$max" '
FNR == 1 { name = ""; start = 0 }
/^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ { cand = $0; candline = FNR }
/^\{/ { start = FNR; name = cand; sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); name = w[n]; sline = candline }
/^\}/ && start {
	len = FNR - sline + 1
	if (len > max)
		printf "%d %s:%d %s\n", len, FILENAME, sline, name
	start = 0
}' "$@" | sort -rn
