#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every executable tests/host/*.sh (or the ones named) with RUP_SRC and
# RUP_BUILD (default build/san) set; exit 0 passes. Results into
# build/results/host.txt, output into build/logs/host/NAME.log.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
export RUP_SRC=$src
export RUP_BUILD=$src/${O:-build/san}
out=$src/build/results/host.txt
mkdir -p "$(dirname "$out")" "$src/build/logs/host"
: >"$out"
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
	for t in "$src"/tests/host/*.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
fi
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	tmo=$(sed -n 's/^# timeout: *\([0-9]\+\).*/\1/p' "$t" | head -n 1)
	tmo=${tmo:-300}
	log=$src/build/logs/host/$name.log
	start=$(date +%s)
	(cd "$src" && exec setsid timeout -k 5 "$tmo" bash "$t") >"$log" 2>&1 </dev/null
	rc=$?
	dur=$(($(date +%s) - start))
	if [ $rc -eq 0 ]; then
		echo "PASS host/$name" >>"$out"
		echo "host: PASS $name (${dur}s)"
	else
		why="exit $rc"
		[ $rc -eq 124 ] && why="timed out after ${tmo}s"
		echo "FAIL host/$name ($why)" >>"$out"
		echo "host: FAIL $name ($why)"
		tail -n 40 "$log" | sed "s/^/  $name| /"
	fi
done
! grep -q '^FAIL' "$out"
