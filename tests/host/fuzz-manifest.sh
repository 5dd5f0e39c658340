#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# Fuzz the release parsers (manifest JSON, signature text, versions,
# ranges) for a bounded 20 s (FUZZ_SECONDS overrides), starting from real
# manifests, and fail on any finding.
set -u
src=${RUP_SRC:?} build=${RUP_BUILD:?}
secs=${FUZZ_SECONDS:-20}
fuzzer=$build/fuzz/fuzz_manifest
if [ ! -x "$fuzzer" ]; then
	make -C "$src" -s O="$build" "$fuzzer" || { echo "FAIL: cannot build $fuzzer"; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cat >"$work/corpus/m1" <<'JSON'
{"format":1,"name":"fw","version":"2.0.5-rc.1+b7","range":">=2.0.0,<2.1.0","summary":"x\ny",
"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","size":5,
"created":"2026-11-25T14:16:53.25+01:00","install_args":["--a","b c"]}
JSON
printf '1.0.0-alpha.1 1.0.0-alpha.beta' >"$work/corpus/v1"
printf '>= 1.0.0 , <2.0.0-0,=1.5.0' >"$work/corpus/r1"
printf 'rlMCW3Bgu4sXm4NwADSn+uDpxHZsJGoE/v7q2c4veFNxdyIPjkV1ZwsjMiM+kaqMhp7GDWnkNdVEZ+2xSJlvDA==\n' \
	>"$work/corpus/s1"
if "$fuzzer" -max_total_time="$secs" -max_len=2048 -timeout=10 -rss_limit_mb=1024 \
	-print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" 2>"$work/log"; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	if [ "${runs:-0}" -lt 1000 ]; then
		echo "FAIL: fuzzer ran only ${runs:-0} inputs"
		exit 1
	fi
	echo "PASS: $runs inputs in ${secs}s, no finding"
	exit 0
fi
tail -n 60 "$work/log"
for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
	[ -f "$f" ] && { echo "finding $(basename "$f"):"; od -An -c "$f" | head -20; }
done
echo "FAIL: fuzz finding"
exit 1
