#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 480
# Issue 5: one ops server namespace, one region of 4 node agents.
# (b) A rollout of a signed release reaches all 4 nodes: the ops server
#     served the package exactly once (its /metrics), the members fetched it
#     from the RVS, the region reported complete, every node's install hook
#     recorded the new version, the RVS installed last, and the server's
#     status shows every node at the new version. The RVS's package service
#     answers 403 to a host on the region link outside the region and is
#     not reachable on the RVS's other addresses.
# (c) The same release rolled out again: the region is already current, the
#     RVS reports up_to_date and nothing is downloaded.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"

fleet_one_region 30 90 50 70
rvs=$(rvs_of 0)
log "RVS is node $rvs"

size=300000
fleet_release 2.0.0 $size
fleet_publish 2.0.0
d0=$(ops_metric rup_downloads_total)
b0=$(ops_metric rup_bytes_served_total)
fleet_rollout 2.0.0 >/dev/null

all_installed() {
	local i
	for i in 1 2 3 4; do
		[ "$(installed $i)" = 2.0.0 ] && [ "$(nstat $i .version)" = 2.0.0 ] || return 1
	done
}
fwait 120 all_installed || ffail "not every node installed 2.0.0: $(for i in 1 2 3 4; do echo -n "n$i=$(installed $i) "; done)"
task_is() { [ "$(task_state 0)" = "$1" ]; }
fwait 20 task_is complete || ffail "region 0 task is '$(task_state 0)', want complete"
log "all 4 nodes at 2.0.0, region 0 complete"

d1=$(ops_metric rup_downloads_total)
b1=$(ops_metric rup_bytes_served_total)
assert_eq "$((d1 - d0))" 1 "package downloads from the ops server"
assert_eq "$((b1 - b0))" $size "bytes the ops server served"
# The RVS that reported complete; members fetched from an RVS of the region
# (the role may move if the emulated guest stalls past the dead interval).
rvs=$(grep -l 'report complete' "$FLEET"/n*/agent.log | sed 's|.*/n\([0-9]*\)/agent.log|\1|')
[ -n "$rvs" ] || ffail "no agent reported complete"
for i in 1 2 3 4; do
	assert_eq "$(wc -l <"$FLEET/n$i/hook.log")" 1 "node $i hook runs"
	[ $i = "$rvs" ] && continue
	grep -Eq "upgrade 1.0.0 -> 2.0.0 from http://10\.10\.0\.[0-9]+:8731/pkg/2.0.0" \
		"$FLEET/n$i/agent.log" || ffail "node $i did not fetch from an RVS"
done
# The RVS installs last: its hook ran after every member's.
last=$(for i in 1 2 3 4; do echo "$(cut -d' ' -f1 "$FLEET/n$i/hook.log") $i"; done |
	sort -n | tail -n 1 | cut -d' ' -f2)
assert_eq "$last" "$rvs" "last node to install (the RVS)"
# The persisted state has the new version as installed and highest.
for i in 1 2 3 4; do
	assert_eq "$(jq -r '.version + " " + .highest' "$FLEET/n$i/state/state.json")" \
		"2.0.0 2.0.0" "node $i state.json"
done
# The server's view: every node of region 0 at 2.0.0 (members from the
# RVS's reports, the RVS itself from its registration after its install).
server_versions() {
	[ "$(ops_status | jq -r '[.regions[0].members[] | .version] | unique | join(",")')" = 2.0.0 ]
}
fwait 20 server_versions || ffail "versions in the ops server's status: $(ops_status | jq -c '[.regions[0].members[] | .version]')"
# rupctl status (human and JSON) reads the agent's status file.
fwait 30 one_rvs || ffail "no single RVS after the rollout"
rvs=$(rvs_of 0)
in_ns fn$rvs rupctl status --state "$FLEET/n$rvs/state" | grep -q '^role *rvs' ||
	ffail "rupctl status does not show the RVS role"
assert_eq "$(in_ns fn$rvs rupctl status -j --state "$FLEET/n$rvs/state" | jq -r .offer.version)" \
	2.0.0 "offer in rupctl status -j"

# The RVS's package service listens on its region address only and serves
# only the region's nodes (THREATS.md "outsider on a region's network").
ns_add out
ns_attach out br-r0 10.10.0.200/16
pkg_code() {
	nsenter --net="/run/netns/$1" curl -s -o /dev/null -w '%{http_code}' \
		--max-time 5 "http://$2:8731/pkg/2.0.0"
}
assert_eq "$(pkg_code out "10.10.0.$rvs")" 403 "package service to a host outside the region"
assert_eq "$(pkg_code ops "10.99.1.$rvs")" 000 "package service on the RVS's other interface"
assert_eq "$(pkg_code "fn$rvs" 127.0.0.1)" 000 "package service on the RVS's loopback"

# (c) Again: already current.
fleet_rollout 2.0.0 >/dev/null
fwait 30 task_is up_to_date || ffail "second rollout: task is '$(task_state 0)', want up_to_date"
assert_eq "$(ops_metric rup_downloads_total)" "$d1" "downloads after the up_to_date rollout"
for i in 1 2 3 4; do
	assert_eq "$(wc -l <"$FLEET/n$i/hook.log")" 1 "node $i hook runs after the second rollout"
done
log "second rollout: up_to_date, nothing downloaded"
