#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# Elections under CPU load (issue 17; THREATS.md, "a busy or hung node": no
# healthy node is voted out by load alone). One region of 8 at 250 ms
# beacons (dead interval 1.5 s); every node runs CPU hogs at nice 0, twice
# as many busy processes as the guest has vCPUs (at least one per node),
# for LOAD_SECONDS (300). Counted over that time, from the agents' logs:
# RVS-lost events (members whose RVS's beacons stopped: late beacons),
# RVS step-downs (the RVS's own agent leaving the role), and takeovers (a
# node becoming RVS). Expected: none of each. Not in `make check` (its
# length): `make check-load` (docs/DEVELOPING.md).
FLEET_INTERVAL=250 FLEET_DEAD=1500
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

secs=${LOAD_SECONDS:-300}
SC_T=8
SC_M=8
sc_fleet 50 80 30 90 20 60 85 10
v0=$(rvs_of 0)
log "region 0: RVS node $v0"

# counts: "LOST STEPDOWNS TAKEOVERS" summed over every agent's log so far.
counts() {
	local i lost=0 down=0 up=0 n
	for i in $(seq "$FLEET_N"); do
		n=$FLEET/n$i/agent.log
		lost=$((lost + $(grep -c 'RVS lost' "$n")))
		down=$((down + $(grep -cE 'election: rvs -> (listen|member|candidate|abnormal)' "$n")))
		up=$((up + $(grep -cE 'election: (listen|member|candidate|abnormal) -> rvs' "$n")))
	done
	echo "$lost $down $up"
}

hogs=$((2 * $(nproc)))
[ "$hogs" -ge "$FLEET_N" ] || hogs=$FLEET_N
HOG_PIDS=()
for h in $(seq "$hogs"); do
	i=$(((h - 1) % FLEET_N + 1))
	$IP netns exec "fn$i" nice -n 0 sh -c 'while :; do :; done' &
	HOG_PIDS+=($!)
done
stop_hogs() { kill "${HOG_PIDS[@]}" 2>/dev/null; wait "${HOG_PIDS[@]}" 2>/dev/null; }
trap 'stop_hogs; fleet_cleanup' EXIT
read -r l0 d0 u0 < <(counts)
log "$hogs CPU hogs at nice 0 on $(nproc) vCPUs for $secs s"
sleep "$secs"
read -r l1 d1 u1 < <(counts)
stop_hogs
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
log "under load: $((l1 - l0)) RVS-lost events (late beacons), $((d1 - d0)) RVS step-downs, $((u1 - u0)) takeovers"
for i in $(seq "$FLEET_N"); do
	grep -E 'RVS lost|election: ' "$FLEET/n$i/agent.log" | tail -n 2 | sed "s/^/# n$i: /"
done
assert_eq "$((l1 - l0))/$((d1 - d0))/$((u1 - u0))" 0/0/0 "RVS lost / step-downs / takeovers under load"
assert_eq "$(rvs_of 0)" "$v0" "the RVS after $secs s of load"
