#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 9: 30 % packet loss on every port of region 2's bridge
# (tc netem on the bridge side of each node's link, so every frame inside
# the region, beacons and package transfers alike, has a 30 % chance of
# being lost). A rollout of 1.1.0 to every region still completes: every
# node at 1.1.0, every task `complete`, and region 2's members fetch from
# their RVS through the loss (server downloads: one per region and RVS).
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=30000
sc_fleet
term0=$(ops_status | jq '.regions[] | select(.region_id == 2) | .term')
sc_netem_region 2 loss 30%
tc -s qdisc show dev "$(sc_port_of 3)" | grep -q 'netem.*loss 30%' || fail "netem not in place"
fleet_release 1.1.0 $size
fleet_publish 1.1.0
sc_rollout_all 1.1.0 120 30
log "every node at 1.1.0 after $SC_ROLLOUT_MS ms with 30 % loss in region 2"
dropped=0
for i in $(sc_region_nodes 2); do
	d=$(tc -s qdisc show dev "$(sc_port_of "$i")" | sed -n 's/.*dropped \([0-9]*\).*/\1/p' | head -n 1)
	dropped=$((dropped + ${d:-0}))
done
log "netem dropped $dropped packets in region 2"
[ "$dropped" -gt 0 ] || ffail "netem dropped nothing"
sc_metrics
# Region 2's members fetched inside the region, not from the server: at
# most one download per region and per re-election the loss caused there.
term1=$(ops_status | jq '.regions[] | select(.region_id == 2) | .term')
dl=$(sc_m rup_downloads_total)
log "server downloads $dl; region 2's term $term0 -> $term1"
[ "$dl" -le $((3 + term1 - term0)) ] ||
	ffail "$dl server downloads, want at most $((3 + term1 - term0)) (one per region and new RVS)"
