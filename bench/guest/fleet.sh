#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1068
# Fleet rollout against direct download, 8 regions x 8 nodes
# (see bench/guest/lib-fleet-bench.sh).
R=8 M=8
. "$RUP_SRC/bench/guest/lib-fleet-bench.sh"
