#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# Fuzz the beacon codec (the parser rup.ko runs) for a bounded 30 s
# (FUZZ_SECONDS overrides) and fail on any finding. A finding is kept in
# build/logs/host/fuzz-beacon.findings/ and printed as hex.
set -u
src=${RUP_SRC:?} build=${RUP_BUILD:?}
secs=${FUZZ_SECONDS:-30}
fuzzer=$build/fuzz/fuzz_beacon
if [ ! -x "$fuzzer" ]; then
	make -C "$src" -s O="$build" "$fuzzer" || { echo "FAIL: cannot build $fuzzer"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keep=$src/build/logs/host/fuzz-beacon.findings

if "$src/tests/fuzz/run-fuzz.sh" "$fuzzer" "$secs" "$work/corpus" 2>"$work/log"; then
	tail -n 8 "$work/log"
	# The run must have exercised the seeds, not silently done nothing.
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	if [ "${runs:-0}" -lt 1000 ]; then
		echo "FAIL: fuzzer ran only ${runs:-0} inputs"
		exit 1
	fi
	echo "PASS: $runs inputs in ${secs}s, no finding"
	exit 0
fi
tail -n 60 "$work/log"
rm -rf "$keep"
mkdir -p "$keep"
cp "$work/corpus.findings"/* "$keep"/ 2>/dev/null
for f in "$keep"/*; do
	[ -f "$f" ] && { echo "finding $(basename "$f"):"; od -An -tx1 "$f"; }
done
echo "FAIL: fuzz finding (inputs kept in $keep; reproduce: $fuzzer FILE)"
exit 1
