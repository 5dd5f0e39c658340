#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1800
# Fleet rollout against direct download: one fleet of 8 regions x 8 nodes,
# compared on its first 2, 4 and 8 regions (16, 32 and 64 nodes; see
# bench/guest/lib-fleet-bench.sh). About 17 minutes under TCG on a loaded
# 2-core host, so not part of a default make bench (BENCH_GUEST=fleet-8x8).
R=8 M=8 STEPS="2 4 8"
. "$RUP_SRC/bench/guest/lib-fleet-bench.sh"
