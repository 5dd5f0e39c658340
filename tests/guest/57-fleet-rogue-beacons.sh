#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 8: a rogue namespace on region 1's bridge sends beacons
# for region 1 on its group and port, claiming RVS with a huge term and the
# highest score, but signed with a key it does not have (beacon-craft with a
# wrong key), 10 a second for 3 s. Every node of region 1 drops them as bad
# MAC (the counter moves by at least the number sent), the rogue never
# appears in any version table, and the election is undisturbed: same RVS,
# same term, everyone follows it. A rollout afterwards still completes there.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

sc_fleet
r=1
nodes=$(sc_region_nodes $r)
rvs=$(rvs_of $r)
[ -n "$rvs" ] || ffail "region 1 has no RVS"
term=$(nstat "$rvs" .term)
group=$(ops_status | jq -r --argjson r $r '.regions[] | select(.region_id == $r) | .group')
port=$(ops_status | jq -r .port)
rogue=ffffffffffffffffffffffffffffffff
ns_add rogue
ns_attach rogue br-r1 10.11.0.200/16 eth0
declare -A bad0
for i in $nodes; do bad0[$i]=$(stat fn$i $r drop_bad_mac); done
count=30
in_ns rogue "$RUP_BUILD/tests/tools/beacon-craft" --group "$group" --port "$port" \
	--ifname eth0 --region $r --node-id $rogue --term 18446744073709551000 \
	--score 4294967295 --flags rvs --version 9.9.9 \
	--key 5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed \
	--count $count --interval-ms 100 || fail "beacon-craft"
sleep 1
for i in $nodes; do
	bad=$(stat fn$i $r drop_bad_mac)
	log "node $i: drop_bad_mac ${bad0[$i]} -> $bad"
	[ "$bad" -ge $((bad0[$i] + count)) ] ||
		ffail "node $i: drop_bad_mac moved from ${bad0[$i]} to $bad, want +$count"
	peer_line fn$i $r $rogue >/dev/null && ffail "node $i's table holds the rogue"
	[ "$(nstat "$i" .rvs)" = "$(node_hex "$rvs")" ] ||
		ffail "node $i follows '$(nstat "$i" .rvs)', not node $rvs"
done
assert_eq "$(rvs_of $r)" "$rvs" "region 1's RVS after the rogue"
assert_eq "$(nstat "$rvs" .term)" "$term" "region 1's term after the rogue"
assert_eq "$(ops_status | jq -r --argjson r $r '.regions[] | select(.region_id == $r) | "\(.rvs) \(.term)"')" \
	"$(node_hex "$rvs") $term" "region 1 at the ops server"
# The undisturbed region still upgrades.
fleet_release 1.1.0 200000
fleet_publish 1.1.0
out=$(ops_admin POST /api/v1/rollouts '{"version":"1.1.0","regions":[1]}')
echo "$out" | jq -e .rollout_id >/dev/null || fail "rollout: $out"
sc_wait_at 60 1.1.0 $nodes || ffail "region 1 not at 1.1.0: $(sc_versions)"
fwait 20 sc_tasks_are complete $r || ffail "region 1: task $(task_state $r)"
