#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Growth of `rup-opsd plan` with N (10^4, 10^5, 10^6 nodes, M = 50): the
# least CPU time (user + sys, from bash's `time` at 1 ms resolution;
# /usr/bin/time's 10 ms cannot see 10^4 nodes) and least wall time of REPS
# runs (the least disturbed by other load on a shared machine), and peak
# RSS. Uses bench/plan's input generator. key=value lines.
#   O=build/x bench/host/plan-growth.sh
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/${O:-build}
gen=$build/bench/plan-gen
opsd=$build/rup-opsd
if [ ! -x "$gen" ] || [ ! -x "$opsd" ]; then
	echo "plan-growth.sh: build $gen and $opsd first" >&2
	exit 1
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for n in 10000 100000 1000000; do
	"$gen" "$n" 1 >"$T/in"
	best='' cpu=''
	reps=${REPS:-7}
	[ "$n" -ge 1000000 ] && reps=3
	for _ in $(seq "$reps"); do
		t0=${EPOCHREALTIME/./}
		{ TIMEFORMAT='%3U %3S'; time /usr/bin/time -f '%M' -o "$T/rss" "$opsd" plan \
			--nodes "$n" --max-per-region 50 <"$T/in" >"$T/out"; } 2>"$T/cpu"
		t=$((${EPOCHREALTIME/./} - t0))
		c=$(awk '{ printf "%d", ($1 + $2) * 1000000 }' "$T/cpu")
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
		if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
	done
	[ "$(wc -l <"$T/out")" -eq "$n" ] || { echo "plan-growth.sh: short output at $n" >&2; exit 1; }
	echo "plan_${n}_us=$best plan_${n}_cpu_us=$cpu plan_${n}_rss_kb=$(cat "$T/rss") plan_${n}_reps=$reps"
done
