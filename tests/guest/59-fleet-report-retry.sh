#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Issue 17: the RVS's final report is lost once and sent again. One region
# of four rolls out 1.1.0; once the RVS offers it, everything the RVS sends
# to the ops server (its eth1, the management link) is dropped (netem loss
# 100 %), so its `complete` report times out. The link comes back and the
# retried report must still list every member: each member is `upgraded` in
# the task's record, and every node, the RVS included, in the status.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=1000000
SC_T=4
SC_M=4
sc_fleet 50 80 30 90
v=$(rvs_of 0)
members=$(sc_region_nodes 0 | grep -vx "$v" | tr '\n' ' ')
log "region 0: RVS node $v, members $members"
# 3 members x 1 MB through 4 Mbit/s: about 6 s to cut the RVS's management
# link after it offers and before its members are done.
sc_shape "fn$v" 4mbit
fleet_release 1.1.0 $size
fleet_publish 1.1.0
id=$(fleet_rollout 1.1.0)
offering() { [ -n "$(nstat "$v" .offer)" ]; }
fwait 120 offering || ffail "node $v never offered 1.1.0"
modprobe sch_netem 2>/dev/null
tc -n "fn$v" qdisc add dev eth1 root netem loss 100% || fail "netem on fn$v eth1"
alog=$FLEET/n$v/agent.log
grep -q 'report complete' "$alog" &&
	ffail "the RVS reported complete before its link was cut (distribution too fast)"
log "node $v's management link cut while distributing"
# The final report went out and failed (the agent's timeout is 10 s).
final_failed() {
	awk '/: report complete/ { c = 1 } c && /report to / { f = 1 } END { exit !f }' "$alog"
}
fwait 90 final_failed || ffail "no failed final report from node $v: $(tail -n 5 "$alog")"
tc -n "fn$v" qdisc del dev eth1 root
log "link back: $(grep -E ': report complete|report to ' "$alog" | tail -n 2 | tr '\n' ' ')"
sc_wait_tasks 60 complete 0
# The task's own record of its nodes is what the RVS reported (members also
# register again after installing, which sets their state in the status:
# that alone would hide a report that lost its list).
task_node() {
	sqlite3 "$FLEET/opsd.db" "SELECT state FROM task_nodes WHERE node = '$(node_hex "$1")'
		AND task = (SELECT MAX(id) FROM tasks WHERE region = 0)"
}
for i in $members; do
	assert_eq "$(task_node "$i")" upgraded "member $i in the task's record"
done
# shellcheck disable=SC2086
fwait 30 eval '[ -z "$(sc_not_upgraded 1.1.0 $members $v)" ]' ||
	ffail "not at 1.1.0 and upgraded at the ops server: $(sc_not_upgraded 1.1.0 $members $v)"
sc_wait_rollout 30 "$id" done
