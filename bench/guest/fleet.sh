#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1500
# Fleet rollout against direct download: one fleet of 8 regions x 8 nodes,
# compared on its first 2, 4 and 8 regions (16, 32 and 64 nodes; see
# bench/guest/lib-fleet-bench.sh). BENCH_FLEET="R M STEPS..." for another
# shape, e.g. BENCH_FLEET="4 4 2 4".
read -r R M STEPS <<<"${BENCH_FLEET:-8 8 2 4 8}"
. "$RUP_SRC/bench/guest/lib-fleet-bench.sh"
