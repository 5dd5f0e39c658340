#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# The guest harness can fail: a test exiting non-zero, a kernel WARN during a
# test that exits 0, and a hanging test are each reported FAIL (and the run
# exits non-zero), while a passing test in the same run is reported PASS.
set -euo pipefail
cd "$RUP_SRC"
. tests/lib-assert.sh
kver=$(tests/vm/kver.sh)
make -s -C "/lib/modules/$kver/build" M="$RUP_SRC/tests/vm/selftest/module" modules >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
tests/vm/run.sh --results "$tmp/results.txt" tests/vm/selftest/guest/*.sh
rc=$?
set -e
cat "$tmp/results.txt"
[ $rc -ne 0 ] || fail "run.sh exited 0 although tests failed"
grep -qx 'PASS guest/pass' "$tmp/results.txt" || fail "passing test not reported PASS"
grep -q '^FAIL guest/fail-exit (exit 3)' "$tmp/results.txt" || fail "non-zero exit not reported"
grep -q '^FAIL guest/kernel-warn (.*kernel warning' "$tmp/results.txt" || fail "kernel warning not reported"
grep -q '^FAIL guest/timeout (timed out' "$tmp/results.txt" || fail "timeout not reported"
echo "harness self-test: all four outcomes reported correctly"
