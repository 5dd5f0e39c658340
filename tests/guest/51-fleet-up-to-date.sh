#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 2: region 2 (nodes 3, 4, 9, 12) already runs 1.1.0 when
# 1.1.0 is rolled out to every region. Its RVS reports `up_to_date`, the ops
# server serves it no download (two payload downloads in all, for regions
# 0 and 1, which end `complete`), and no hook runs in region 2.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=200000
for i in 3 4 9 12; do FLEET_START_VERSION[$i]=1.1.0; done
sc_fleet
sc_count_region_tcp
assert_eq "$(sc_region_nodes 2 | tr '\n' ' ')" "3 4 9 12 " "region 2's nodes"
fleet_release 1.1.0 $size
fleet_publish 1.1.0
terms=$(sc_terms)
id=$(fleet_rollout 1.1.0)
fwait 30 sc_tasks_are up_to_date 2 || ffail "region 2: task $(task_state 2), want up_to_date"
others="$(sc_region_nodes 0) $(sc_region_nodes 1)"
sc_wait_at 90 1.1.0 $others || ffail "regions 0, 1 not at 1.1.0: $(sc_versions)"
sc_wait_tasks 20 complete 0 1
sc_wait_rollout 10 "$id" done
sc_metrics
sc_assert_downloads "$terms" 2
assert_eq "$(sc_m rup_bytes_served_total)" $(($(sc_m rup_downloads_total) * size)) \
	"bytes served by the ops server (whole payloads)"
assert_eq "$(sc_m 'rup_tasks{state="up_to_date"}')" 1 "up_to_date tasks in /metrics"
for i in 3 4 9 12; do
	sc_assert_hook_never $i
	assert_eq "$(nstat $i .version)" 1.1.0 "node $i's version"
	[ ! -e "$FLEET/n$i/store/1.1.0.pkg" ] || ffail "node $i stored the package"
done
assert_eq "$(sc_region_bytes 2)" 0 "package bytes sent inside region 2"
