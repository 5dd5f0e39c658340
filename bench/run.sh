#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: every benchmark of issue 7 in one run on this machine, then
# bench/RESULTS.md and the plots rewritten from this run's figures
# (bench/report.sh). Host: the ops server (bench/host/opsd.sh) and the
# planner (bench/plan/run.sh). QEMU guest, one boot per group: the beacon
# path and kernel memory, failover, the fleet rollouts (bench/guest/*.sh).
#   bench/run.sh                  everything (O=build/x for another tree)
#   BENCH_GUEST="beacon memory,failover" bench/run.sh   some guest benchmarks
#                                 only (comma: a separate guest boot)
#   BENCH_HOST=0 bench/run.sh     skip the host benchmarks
# Figures land in build/bench-results/ (key=value lines, one file each).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
export O=${O:-build}
out=$src/build/bench-results
log() { echo "bench: $*" >&2; }
start=$(date +%s)

tests/deps.sh >&2
make -s module >&2
make -s O="$O" userspace tests >&2
rm -rf "$out"
mkdir -p "$out"
date -u '+%Y-%m-%d %H:%M UTC' >"$out/date"

if [ "${BENCH_HOST:-1}" = 1 ]; then
	log "ops server (host, loopback)"
	bench/host/opsd.sh >"$out/opsd.txt" 2>"$out/opsd.log" || log "ops server benchmark failed (see $out/opsd.log)"
	log "planner (host)"
	bench/plan/run.sh >"$out/plan.md" 2>"$out/plan.log" || log "planner benchmark failed (see $out/plan.log)"
	bench/host/plan-growth.sh >"$out/plan-growth.txt" 2>"$out/plan-growth.log" ||
		log "planner growth failed (see $out/plan-growth.log)"
fi

# One guest boot per group, so a group that hangs or fails costs only its
# own figures; groups are separated by commas.
groups=${BENCH_GUEST:-beacon memory,failover,fleet}
: >"$out/guest.txt"
mkdir -p "$out/logs"
IFS=, read -ra glist <<<"$groups"
for g in "${glist[@]}"; do
	scripts=()
	for t in $g; do scripts+=("bench/guest/$t.sh"); done
	[ ${#scripts[@]} -gt 0 ] || continue
	log "guest: $g"
	# 64 node agents, their package stores and the ops server fit in 4 GiB.
	VM_JOBS=1 VM_MEM=${VM_MEM:-4096} tests/vm/run.sh --no-build --results "$out/guest.part" \
		"${scripts[@]}" >"$out/vm.log" 2>&1 || log "guest: some of '$g' failed"
	cat "$out/guest.part" >>"$out/guest.txt" 2>/dev/null || true
	grep -E '^(PASS|FAIL)' "$out/guest.part" >&2 || true
	vmdir=$(sed -n 's/.*this run.s logs go to \(.*\)$/\1/p' "$out/vm.log" | head -n 1)
	cp "${vmdir:-build/vm}"/shard-*/logs/*.log "$out/logs/" 2>/dev/null || true
	cat "$out/vm.log" >>"$out/vm-all.log"
done
rm -f "$out/guest.part" "$out/vm.log"
echo "$(($(date +%s) - start))" >"$out/seconds"
echo "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /) $(pgrep -c '^qemu-system-x86' || true)" >"$out/machine"
bench/report.sh "$out"
log "done in $(($(date +%s) - start)) s: bench/RESULTS.md"
