#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Add up build/results/*.txt and print the one closing line
# "N passed, N failed"; exit non-zero on any failure or when nothing ran.
src=$(cd "$(dirname "$0")/.." && pwd)
cat "$src"/build/results/*.txt 2>/dev/null | grep -E '^(PASS|FAIL) ' >"$src/build/results.all" || true
passed=$(grep -c '^PASS ' "$src/build/results.all")
failed=$(grep -c '^FAIL ' "$src/build/results.all")
# The last lines of a failed test's log, so that a CI page that shows only
# the end of the output still says why (host and guest tests; the first
# three failures).
why() {
	local name=${1%% *} log
	log=$(ls "$src/build/logs/${name%/*}/${name#*/}.log" \
		"$src"/build/vm/shard-*/logs/"${name#*/}".log 2>/dev/null | head -n 1)
	[ -n "$log" ] || return 0
	echo "-- $name: the end of ${log#"$src"/}"
	grep -av '^+' "$log" | tail -n 6 | cut -c1-200 | sed 's/^/   | /'
}
if [ "$failed" -gt 0 ]; then
	grep '^FAIL ' "$src/build/results.all" | sed 's/^FAIL //' | head -n 3 |
		while read -r line; do why "$line"; done
	echo "Failed:"
	grep '^FAIL ' "$src/build/results.all" | sed 's/^FAIL /  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
