#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Fleet rollout against direct download: one fleet of 4 regions x 8 nodes,
# compared on its first 1, 2 and 4 regions (8, 16 and 32 nodes; see
# bench/guest/lib-fleet-bench.sh). bench/guest/fleet-8x8.sh: 64 nodes.
R=4 M=8 STEPS="1 2 4"
. "$RUP_SRC/bench/guest/lib-fleet-bench.sh"
