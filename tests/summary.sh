#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Add up build/results/*.txt and print the one closing line
# "N passed, N failed"; exit non-zero on any failure or when nothing ran.
src=$(cd "$(dirname "$0")/.." && pwd)
cat "$src"/build/results/*.txt 2>/dev/null | grep -E '^(PASS|FAIL) ' >"$src/build/results.all" || true
passed=$(grep -c '^PASS ' "$src/build/results.all")
failed=$(grep -c '^FAIL ' "$src/build/results.all")
if [ "$failed" -gt 0 ]; then
	echo "Failed:"
	grep '^FAIL ' "$src/build/results.all" | sed 's/^FAIL /  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
