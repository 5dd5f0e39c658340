#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot the guest and run the demo scenario with live output.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
exec "$src/tests/vm/run.sh" --live --no-build --results "$src/build/results-demo.txt" \
	"$src/tests/demo/fleet-demo.sh"
