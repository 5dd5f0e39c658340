#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 3: 1.1.0 applies to ">=1.0.0,<1.1.0". Node 1 (region 0)
# and node 2 (region 1) run 0.9.0, below the range: they are left alone (no
# fetch, no hook, still 0.9.0) and the ops server's status shows them
# `not_applicable`, while every other node upgrades and every region's
# task ends `complete`.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

FLEET_START_VERSION[1]=0.9.0
FLEET_START_VERSION[2]=0.9.0
sc_fleet
fleet_release 1.1.0 200000 "" ">=1.0.0,<1.1.0"
fleet_publish 1.1.0
id=$(fleet_rollout 1.1.0)
rest=$(seq 3 "$FLEET_N")
sc_wait_at 90 1.1.0 $rest || ffail "not every in-range node at 1.1.0: $(sc_versions)"
sc_wait_tasks 20 complete
sc_wait_rollout 10 "$id" done
for i in 1 2; do
	assert_eq "$(nstat $i .version)" 0.9.0 "node $i's version"
	sc_assert_hook_never $i
	# An out-of-range RVS still downloads the release for its members, so
	# only a member must have fetched nothing. Started together, the
	# regions elect nodes 7, 10 and 4; on a kernel slow enough that node 2
	# claims region 1 before node 10 is up, node 2 stays RVS (docs/AGENT.md, election: a
	# starting node follows a live RVS).
	if [ "$(rvs_of "${NODE_REGION[$i]}")" = "$i" ]; then
		log "node $i is region ${NODE_REGION[$i]}'s RVS: it downloaded 1.1.0 for its members ($(ls "$FLEET/n$i/store" | tr '\n' ' ')) and did not install it"
	else
		[ -z "$(ls "$FLEET/n$i/store")" ] || ffail "node $i fetched: $(ls "$FLEET/n$i/store")"
	fi
	assert_eq "$(sc_member_state "${NODE_REGION[$i]}" $i)" not_applicable \
		"node $i's state in the ops server's status"
done
# In-range nodes: at 1.1.0 and `upgraded` in the status (an RVS, which
# installs itself after its final report, once it has registered again).
fwait 20 eval '[ -z "$(sc_not_upgraded 1.1.0 $rest)" ]' ||
	ffail "in-range nodes not at 1.1.0 and upgraded in the ops server's status: $(sc_not_upgraded 1.1.0 $rest)"
