#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# Issue 5 (f): one ops server namespace, one region of 4 node agents. The
# rup module is unloaded under the running agents: each says "rup module not
# loaded; waiting" (log and rupctl status) and keeps running. When the
# module is loaded again every agent configures its region again, the
# version tables fill up and the region elects one RVS again.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"

fleet_one_region 30 90 50 70

rmmod rup || ffail "rmmod rup under running agents"
log "module unloaded"
module_is() {
	local i
	for i in 1 2 3 4; do
		[ "$(nstat $i .module)" = "$1" ] || return 1
	done
}
fwait 10 module_is "not loaded" || ffail "agents' status does not say the module is gone"
for i in 1 2 3 4; do
	grep -q 'rup module not loaded; waiting' "$FLEET/n$i/agent.log" ||
		ffail "node $i did not log the missing module"
	in_ns fn$i rupctl status --state "$FLEET/n$i/state" | grep -q '^module *not loaded' ||
		ffail "node $i: rupctl status does not show the missing module"
done
sleep 2
for i in 1 2 3 4; do
	kill -0 "${AGENT_PID[$i]}" || ffail "node $i's agent exited without the module"
done

rup_load
log "module loaded again"
fwait 20 module_is ok || ffail "agents did not reconfigure after the module came back"
tables_full() {
	local i
	for i in 1 2 3 4; do
		[ "$(in_ns fn$i "$RUP_BUILD/rupctl" -j peers | jq length)" = 3 ] || return 1
	done
}
fwait 20 tables_full || ffail "version tables not full after the reload"
fwait 30 one_rvs || ffail "no single RVS after the reload: $(rvs_of 0 | tr '\n' ' ')"
for i in 1 2 3 4; do
	grep -q 'rup module is back' "$FLEET/n$i/agent.log" || ffail "node $i did not log the return"
done
log "all agents recovered; RVS node $(rvs_of 0)"

# Node 1's interface is deleted under its agent (docs/PROTOCOL.md, "When the
# interface goes"): the kernel deletes the region and says so; the agent
# makes it again on the new eth0 once the name is back.
r1=${NODE_REGION[1]}
$IP -n fn1 link del eth0 || ffail "delete node 1's eth0"
fwait 10 grep -q "interface eth0 is gone" "$FLEET/n1/agent.log" ||
	ffail "node 1's agent did not hear its interface go"
ns_attach fn1 "br-r$r1" "10.$((r1 + 10)).0.1/16" eth0
l=$($IP -n fn1 -o link show dev eth0) || ffail "node 1 has no eth0 again"
new_if=${l%%:*}
region_if() { in_ns fn1 "$RUP_BUILD/rupctl" -j region show | jq -r '.[0].ifindex'; }
fwait 10 eval '[ "$(region_if)" = "$new_if" ]' ||
	ffail "node 1's region is on ifindex '$(region_if)', not the new eth0's $new_if"
fwait 20 tables_full || ffail "version tables not full after node 1's eth0 came back"
fwait 30 one_rvs || ffail "no single RVS after node 1's eth0 came back: $(rvs_of 0 | tr '\n' ' ')"
log "node 1's region made again on ifindex $new_if; RVS node $(rvs_of 0)"
