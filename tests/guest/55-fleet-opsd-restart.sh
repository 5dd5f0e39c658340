#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 6: rup-opsd is stopped in the middle of a rollout of
# 1.1.0 (its link slowed to 4 Mbit/s, so the RVSs' downloads of the 3 MB
# payload take seconds; it stops as soon as one RVS is downloading) and
# started again 3 s later on the same database, its link at full speed. The
# rollout completes: every node at 1.1.0, every task `complete`, the
# rollout `done`; nothing was lost (12 nodes, the release, the rollout's
# audit record, the regions and their members as before).
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=3000000
sc_fleet
# 3 downloads x 3 MB through 4 Mbit/s: the first seconds of the rollout
# are the RVSs' downloads.
sc_shape ops 4mbit
fleet_release 1.1.0 $size
fleet_publish 1.1.0
before=$(ops_status | jq -c '[.regions[] | {region_id, group, size}]')
id=$(fleet_rollout 1.1.0)
# An RVS is downloading (its status file, read in bash: cheap to poll).
downloading() {
	local i c re='"task": \{[^}]*"phase": "downloading"'
	for i in $(seq 1 "$FLEET_N"); do
		c=$(<"$FLEET/n$i/state/status.json") 2>/dev/null || continue
		[[ $c =~ $re ]] && return 0
	done
	return 1
}
fwait 60 downloading || ffail "no RVS downloading: $(sc_task_line)"
# One snapshot, then the stop at once: a loaded emulated guest takes seconds
# per status query, long enough for a download to finish in between.
st=$(ops_status)
fleet_opsd_stop
mid=$(for r in $SC_REGIONS; do printf 'r%s=%s ' "$r" "$(sc_task "$st" "$r")"; done)
open=$(echo "$st" | jq '[.regions[].tasks[] | select(.state |
	IN("up_to_date", "complete", "partial", "failed") | not)] | length')
log "rup-opsd stopped mid-rollout: $mid$(sc_versions)"
[ "$open" -gt 0 ] || ffail "every task was final before the restart: $mid"
sleep 3
fleet_opsd_start "$SC_T" "$SC_M"
# The slow link was there to stop the server mid-download; the downloads
# after the restart need not crawl (under emulation they took 20 s).
tc -n ops qdisc del dev eth0 root || fail "unshaping the ops server's link"
log "rup-opsd started again"
all=$(seq 1 "$FLEET_N")
sc_wait_at 120 1.1.0 $all || ffail "not every node at 1.1.0: $(sc_versions)"
sc_wait_tasks 30 complete
sc_wait_rollout 10 "$id" done
st=$(ops_status)
assert_eq "$(echo "$st" | jq .nodes)" 12 "nodes after the restart"
assert_eq "$(echo "$st" | jq '[.regions[].members[] | select(.version == "1.1.0")] | length')" 12 \
	"members at 1.1.0 in the ops server's status"
assert_eq "$(echo "$st" | jq '.rollouts | length')" 1 "rollouts"
assert_eq "$(echo "$st" | jq '[.regions[].tasks[]] | length')" 3 "tasks (one per region, none duplicated)"
assert_eq "$(echo "$st" | jq -c '[.regions[] | {region_id, group, size}]')" "$before" \
	"regions, groups and sizes after the restart"
assert_eq "$(echo "$st" | jq '[.regions[] | select(.rvs != null and .term > 0)] | length')" 3 \
	"regions with an RVS after the restart"
assert_eq "$(ops_admin GET /api/v1/releases | jq -r '.releases[] | "\(.version) \(.payload)"')" \
	"1.1.0 true" "releases after the restart"
ops_admin GET /api/v1/audit | jq -e '.audit[] | select(.action | test("rollout"))' >/dev/null ||
	ffail "the rollout's audit record is gone: $(ops_admin GET /api/v1/audit)"
