#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Time `rup-opsd plan` on generated fleets: wall time and peak RSS from
# /usr/bin/time -v (Debian package `time`), one Markdown table row per run.
#   bench/plan/run.sh              (after `make tests`; O=build/x for another tree)
#   SIZES="10000 100000" bench/plan/run.sh
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/${O:-build}
gen=$build/bench/plan-gen
if [ -x "$build/rup-opsd" ]; then
	planner=("$build/rup-opsd" plan)
else
	planner=("$build/bench/plan-driver")
fi
[ -x "$gen" ] && [ -x "${planner[0]}" ] || { echo "run 'make tests' first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# planner: ${planner[*]}"
echo "| nodes | T | M | regions | wall s | user s | sys s | peak RSS MB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
run() { # NODES T M [POOL]
	"$gen" "$1" 1 >"$tmp/in"
	/usr/bin/time -v "${planner[@]}" --nodes "$2" --max-per-region "$3" \
		--pool "${4:-239.192.0.0/16}" <"$tmp/in" >"$tmp/out" 2>"$tmp/time" ||
		{ cat "$tmp/time" >&2; exit 1; }
	local wall user sys rss regions
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
	user=$(sed -n 's/.*User time (seconds): //p' "$tmp/time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$tmp/time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
	regions=$(awk '{ print $2 }' "$tmp/out" | sort -u | wc -l)
	[ "$(wc -l <"$tmp/out")" -eq "$1" ] || { echo "short output" >&2; exit 1; }
	echo "| $1 | $2 | $3 | $regions | $wall | $user | $sys | $((rss / 1024)) |"
}
for n in ${SIZES:-10000 100000 1000000}; do
	run "$n" "$n" 50
done
# Cost per node against the number of regions (O(log N)), and growth past T.
if [ -z "${SIZES:-}" ]; then
	run 1000000 1000000 5 239.0.0.0/8	# 200,000 regions: more than a /16
	run 1000000 1000000 5000
	run 1000000 500000 50
fi
echo
if [ -z "${SIZES:-}" ] && [ -x "$build/bench/assign-bench" ]; then
	echo "# assign_add() alone, 1,000,000 nodes, T = 1,000,000"
	"$build/bench/assign-bench"
fi
