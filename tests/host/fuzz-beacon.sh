#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# Fuzz the beacon codec (the parser rup.ko runs) for a bounded 30 s
# (FUZZ_SECONDS overrides) and fail on any finding.
. "${RUP_SRC:?}/tests/host/fuzz-lib.sh"
fuzz_run fuzz_beacon 30 1024 x1
