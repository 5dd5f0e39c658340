#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 7: the install hook of one member of region 0 (not its
# RVS) fails (exit 3). 1.1.0 is rolled out in waves of one region, failure
# threshold 0, region 0 first. The failure is reported: the node's beacons
# carry the hook-failed flag and region 0's RVS reports it `failed` to the
# ops server, and region 0's task ends `failed`; with failures past the
# threshold the rollout is `halted` and the waiting regions 1 and 2 are
# `cancelled`, untouched.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

FLEET_DEADLINE=15
sc_fleet
rvs=$(rvs_of 0)
good=$(sc_region_nodes 0 | grep -vx "$rvs" | tr '\n' ' ')
bad=${good%% *}
good=${good#* }
log "region 0: RVS $rvs, hook fails on node $bad, members $good upgrade"
touch "$FLEET/n$bad/hook.fail"
fleet_release 1.1.0 200000
fleet_publish 1.1.0
out=$(ops_admin POST /api/v1/rollouts \
	'{"version":"1.1.0","regions":[0,1,2],"wave_size":1,"failure_threshold":0}')
id=$(echo "$out" | jq -e .rollout_id) || fail "rollout: $out"
assert_eq "$(echo "$out" | jq -c '[.waves, .state]')" '[3,"running"]' "rollout start"
# The other members of region 0 upgrade; the bad node's hook ran and failed.
sc_wait_at 120 1.1.0 $good || ffail "region 0's good members: $(sc_versions)"
fwait 30 eval '[ "$(nstat $bad .hook_failed)" = true ]' ||
	ffail "node $bad does not show its hook failure: $(tail -n 3 "$FLEET/n$bad/agent.log")"
grep -q ' 1.1.0 ' "$FLEET/n$bad/hook.log" || ffail "node $bad's hook never ran"
assert_eq "$(nstat $bad .version)" 1.0.0 "node $bad's version after the failed hook"
[ -z "$(installed $bad)" ] || ffail "node $bad recorded an install"
# Its RVS sees the flag in the node's beacons and reports it.
fwait 20 eval '[ "$(sc_member_state 0 $bad)" = failed ]' ||
	ffail "node $bad is '$(sc_member_state 0 $bad)' in the ops server's status, want failed"
# Region 0 ends failed; the rollout halts; later waves never start.
fwait 40 eval '[ "$(task_state 0)" = failed ]' ||
	ffail "region 0's task is '$(task_state 0)' (reason '$(task_reason 0)'), want failed"
sc_wait_rollout 10 "$id" halted
assert_eq "$(task_state 1) $(task_state 2)" "cancelled cancelled" "regions 1 and 2's tasks"
sleep 2
for i in $(sc_region_nodes 1) $(sc_region_nodes 2); do
	sc_assert_hook_never "$i"
	assert_eq "$(nstat "$i" .version)" 1.0.0 "node $i (halted wave)"
done
sc_metrics
assert_eq "$(sc_m rup_downloads_total)" 1 "payload downloads (region 0 only)"
assert_eq "$(sc_m 'rup_rollouts{state="halted"}')" 1 "halted rollouts in /metrics"
