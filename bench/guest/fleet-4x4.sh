#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 492
# Fleet rollout against direct download, 4 regions x 4 nodes
# (see bench/guest/lib-fleet-bench.sh).
R=4 M=4
. "$RUP_SRC/bench/guest/lib-fleet-bench.sh"
