#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run a libFuzzer harness for a bounded time and fail on any finding.
# usage: run-fuzz.sh FUZZER SECONDS CORPUS_DIR
# The corpus starts from tests/fuzz/seeds/<fuzzer name>/ and the dictionary
# is tests/fuzz/<fuzzer name>.dict, each when it exists;
# findings (crash-*, leak-*, timeout-*, oom-*) are written next to the
# corpus, in CORPUS_DIR.findings.
set -u
[ $# -eq 3 ] || { echo "usage: run-fuzz.sh FUZZER SECONDS CORPUS_DIR" >&2; exit 2; }
fuzzer=$1 secs=$2 corpus=$3
here=$(cd "$(dirname "$0")" && pwd)
seeds=$here/seeds/$(basename "$fuzzer")
dict=$here/$(basename "$fuzzer").dict
findings=$corpus.findings

[ -x "$fuzzer" ] || { echo "run-fuzz: $fuzzer: not built" >&2; exit 2; }
case $secs in '' | *[!0-9]*) echo "run-fuzz: bad SECONDS '$secs'" >&2; exit 2 ;; esac
mkdir -p "$corpus" "$findings"
[ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/

# -max_len (FUZZ_MAX_LEN, default 1024) covers oversized datagrams;
# -timeout/-rss_limit_mb turn hangs and
# runaway memory into findings too.
opts=()
[ -f "$dict" ] && opts+=(-dict="$dict")
"$fuzzer" -max_total_time="$secs" -max_len="${FUZZ_MAX_LEN:-1024}" -timeout=10 -rss_limit_mb=1024 \
	-print_final_stats=1 -artifact_prefix="$findings/" "${opts[@]}" "$corpus"
rc=$?
found=$(find "$findings" -type f | wc -l)
if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
	echo "run-fuzz: FINDING (exit $rc, $found file(s) in $findings)" >&2
	exit 1
fi
echo "run-fuzz: no finding in ${secs}s"
