#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The test half of `make check` (after deps and build): static checks, unit
# tests, host tests, the guest suite, then one summary line.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$src/build/results"
mkdir -p "$src/build/results"
echo "== lint"
"$src/tests/lint.sh"
echo "== unit tests"
"$src/tests/run-unit.sh"
echo "== host tests"
"$src/tests/run-host.sh"
echo "== guest tests"
"$src/tests/vm/run.sh" --no-build --jobs "${VM_JOBS:-2}"
echo "=="
exec "$src/tests/summary.sh"
