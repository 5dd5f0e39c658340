#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Issue 5 (e): one ops server namespace, one region of 4 node agents. The
# ops server is stopped for a while: the agents keep running and beaconing
# (version tables stay full, the RVS stays), the RVS logs its failed polls
# and retries with backoff. The server is started again on the same
# database: without any agent restart the RVS picks up a rollout and every
# node upgrades.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"

fleet_one_region 30 90 50 70
rvs=$(rvs_of 0)
pids="${AGENT_PID[*]}"

fleet_opsd_stop
log "ops server stopped"
sleep 5
for i in 1 2 3 4; do
	kill -0 "${AGENT_PID[$i]}" || ffail "node $i's agent died without the ops server"
	n=$(in_ns fn$i "$RUP_BUILD/rupctl" -j peers | jq length)
	assert_eq "$n" 3 "node $i's version table without the ops server"
done
assert_eq "$(rvs_of 0)" "$rvs" "RVS while the ops server is down"
grep -q 'task poll' "$FLEET/n$rvs/agent.log" || ffail "the RVS did not notice the outage"
polls=$(grep -c 'task poll.*retrying' "$FLEET/n$rvs/agent.log")
log "RVS logged $polls failed polls in 5 s (backoff)"
# Backoff: far fewer retries than one per tick (5 s / 25 ms = 200).
[ "$polls" -le 20 ] || ffail "RVS retried $polls times in 5 s: no backoff"

fleet_opsd_start 4 4
log "ops server started again"
fleet_release 2.0.0 100000
fleet_publish 2.0.0
fleet_rollout 2.0.0 >/dev/null
all_installed() {
	local i
	for i in 1 2 3 4; do
		[ "$(installed $i)" = 2.0.0 ] || return 1
	done
}
fwait 120 all_installed || ffail "not every node installed 2.0.0 after the outage"
task_is() { [ "$(task_state 0)" = "$1" ]; }
fwait 20 task_is complete || ffail "region 0 task is '$(task_state 0)', want complete"
assert_eq "${AGENT_PID[*]}" "$pids" "agent pids (no restarts)"
for i in 1 2 3 4; do
	kill -0 "${AGENT_PID[$i]}" || ffail "node $i's agent is gone"
done
log "rollout after the outage complete; agents never restarted"
