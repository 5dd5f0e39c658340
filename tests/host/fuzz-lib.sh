# SPDX-License-Identifier: GPL-2.0
# Helpers for the fuzz host tests (sourced, not run: not executable). A
# libFuzzer harness runs for a bounded time through tests/fuzz/run-fuzz.sh
# and any finding fails the test; its inputs are kept in
# build/logs/host/NAME.findings/ and printed.
set -u
: "${RUP_SRC:?}" "${RUP_BUILD:?}"
. "$RUP_SRC/tests/lib-assert.sh"
FUZZ_WORK=$(mktemp -d)
trap 'rm -rf "$FUZZ_WORK"' EXIT
# The caller may add seeds here before fuzz_run.
FUZZ_CORPUS=$FUZZ_WORK/corpus
mkdir -p "$FUZZ_CORPUS"

# fuzz_run NAME SECONDS MAX_LEN OD_TYPE: $RUP_BUILD/fuzz/NAME (built here if
# missing) for SECONDS (FUZZ_SECONDS overrides) on inputs up to MAX_LEN
# bytes; a finding is printed with od's type OD_TYPE (x1: hex, c: text).
fuzz_run() {
	local name=$1 secs=${FUZZ_SECONDS:-$2} fuzzer=$RUP_BUILD/fuzz/$1 runs f
	local keep=$RUP_SRC/build/logs/host/$1.findings
	if [ ! -x "$fuzzer" ]; then
		make -C "$RUP_SRC" -s O="$RUP_BUILD" "$fuzzer" || fail "cannot build $fuzzer"
	fi
	if FUZZ_MAX_LEN=$3 "$RUP_SRC/tests/fuzz/run-fuzz.sh" "$fuzzer" "$secs" "$FUZZ_CORPUS" \
		2>"$FUZZ_WORK/log"; then
		tail -n 8 "$FUZZ_WORK/log"
		# The run must have exercised the seeds, not silently done nothing.
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FUZZ_WORK/log")
		[ "${runs:-0}" -ge 1000 ] || fail "$name ran only ${runs:-0} inputs"
		echo "PASS: $runs inputs in ${secs}s, no finding"
		return 0
	fi
	tail -n 60 "$FUZZ_WORK/log"
	rm -rf "$keep"
	mkdir -p "$keep"
	cp "$FUZZ_CORPUS.findings"/* "$keep"/ 2>/dev/null
	for f in "$keep"/*; do
		[ -f "$f" ] && { echo "finding $(basename "$f"):"; od -An -t"$4" "$f" | head -n 64; }
	done
	fail "$name: fuzz finding (inputs kept in $keep; reproduce: $fuzzer FILE)"
}
