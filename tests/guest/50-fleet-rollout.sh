#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 1: a 3 x 4 fleet at 1.0.0 rolls out 1.1.0. Every node
# ends at 1.1.0 (hook record and agent), every region's task is `complete`,
# the rollout is `done`, the ops server served exactly one payload download
# per region (rup_downloads_total = 3, bytes = 3 x size), and the other
# nine nodes got their bytes from their RVS inside the region.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=300000
sc_fleet
sc_count_region_tcp
fleet_release 1.1.0 $size
fleet_publish 1.1.0
assert_eq "$(sc_downloads)" 0 "downloads before the rollout"
terms=$(sc_terms)
sc_rollout_all 1.1.0 90 20
log "every node at 1.1.0 after $SC_ROLLOUT_MS ms"
all=$(seq 1 "$FLEET_N")

sc_metrics
log "server: downloads $(sc_m rup_downloads_total), bytes $(sc_m rup_bytes_served_total);" \
	"inside regions: $(sc_region_bytes) bytes"
sc_assert_downloads "$terms"
assert_eq "$(sc_m rup_bytes_served_total)" $(($(sc_m rup_downloads_total) * size)) \
	"bytes served by the ops server (whole payloads)"
assert_eq "$(sc_m 'rup_tasks{state="complete"}')" 3 "complete tasks in /metrics"
# Each region's three members fetched from their RVS: at least 3 x size
# bytes left the package service port inside every region.
for r in $SC_REGIONS; do
	b=$(sc_region_bytes "$r")
	[ "$b" -ge $((3 * size)) ] || ffail "region $r: only $b bytes served inside the region"
done
# The status shows every node at 1.1.0 and `upgraded`: members as their RVS
# reported them, each RVS by registering again after it installed itself
# (it does that after its final report).
fwait 20 eval '[ -z "$(sc_not_upgraded 1.1.0 $all)" ]' ||
	ffail "nodes not at 1.1.0 and upgraded in the ops server's status: $(sc_not_upgraded 1.1.0 $all)"
assert_eq "$(ops_status | jq '[.regions[].members[]] | length')" 12 "nodes in the ops server's status"
# Every hook ran exactly once, and inherited none of the agent's sockets
# (THREATS.md "a busy or hung node": a hook's daemon holding the agent's genl
# socket would keep a dead RVS's role alive).
for i in $all; do
	assert_eq "$(wc -l <"$FLEET/n$i/hook.log")" 1 "node $i: hook runs"
	assert_eq "$(cat "$FLEET/n$i/hook.sockets")" 0 "node $i: sockets the install hook inherited"
done
