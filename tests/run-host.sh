#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every executable tests/host/*.sh (or the ones named) with RUP_SRC and
# RUP_BUILD (default build/san) set; exit 0 passes. HOST_JOBS (default 2) run
# side by side; each test uses its own ports and temporary folders. Results
# into build/results/host.txt, output into build/logs/host/NAME.log.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
export RUP_SRC=$src
export RUP_BUILD=$src/${O:-build/san}
out=$src/build/results/host.txt
logs=$src/build/logs/host
mkdir -p "$(dirname "$out")" "$logs"
rm -f "$logs"/*.result
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
	for t in "$src"/tests/host/*.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
fi

run_one() {
	local t=$1 name tmo log start rc dur why
	name=$(basename "$t" .sh)
	tmo=$(sed -n 's/^# timeout: *\([0-9]\+\).*/\1/p' "$t" | head -n 1)
	tmo=${tmo:-300}
	log=$logs/$name.log
	start=$(date +%s)
	(cd "$src" && exec setsid timeout -k 5 "$tmo" bash "$t") >"$log" 2>&1 </dev/null
	rc=$?
	dur=$(($(date +%s) - start))
	if [ $rc -eq 0 ]; then
		echo "PASS host/$name" >"$logs/$name.result"
		echo "host: PASS $name (${dur}s)"
	else
		why="exit $rc"
		[ $rc -eq 124 ] && why="timed out after ${tmo}s"
		echo "FAIL host/$name ($why)" >"$logs/$name.result"
		echo "host: FAIL $name ($why)"
		tail -n 40 "$log" | sed "s/^/  $name| /"
	fi
}

running=0
for t in "${tests[@]}"; do
	if [ $running -ge "${HOST_JOBS:-2}" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_one "$t" &
	running=$((running + 1))
done
wait
: >"$out"
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	cat "$logs/$name.result" 2>/dev/null >>"$out" || echo "FAIL host/$name (no result)" >>"$out"
done
! grep -q '^FAIL' "$out"
