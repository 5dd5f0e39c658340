#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# Issue 3, point 1: three namespaces in one region; every version table holds
# the other two, with their version and score, within two beacon intervals
# (timed by the peer-new events of each node's monitor). Own beacons come
# back by multicast loop and are dropped and counted. debugfs shows the
# reader's namespace.
. "$RUP_SRC/tests/guest/lib.sh"

rup_load
rup_nodes br0 10.0.0 n1 n2 n3
interval=1000
for i in 1 2 3; do
	rnl n$i self-set version=1.$i.0 score=$((100 + i)) || fail "n$i: self-set"
	id[$i]=$(node_id n$i)
	monitor_start n$i "$RUP_TMP/mon$i"
done
for i in 1 2 3; do
	region_add n$i 7 239.192.0.7 $KEY1 interval=$interval
	created[$i]=$(now_ms)
done

wait_until 10 peers_all 7 2 n1 n2 n3 || fail "tables not complete after 10 s"

for i in 1 2 3; do
	for j in 1 2 3; do
		[ $i = $j ] && continue
		line=$(peer_line n$i 7 "${id[$j]}") || fail "n$i lacks n$j"
		echo "n$i: $line"
		for want in "version=1.$j.0" "score=$((100 + j))" "addr=10.0.0.$j"; do
			case "$line " in
			*" $want "*) ;;
			*) fail "n$i: entry for n$j lacks $want: $line" ;;
			esac
		done
		# Heard within 2 intervals of both being in the region.
		ev=$(grep -m1 "peer-new region=7 node=${id[$j]} " "$RUP_TMP/mon$i") ||
			fail "n$i: no peer-new event for n$j"
		both=$((created[i] > created[j] ? created[i] : created[j]))
		took=$((${ev%% *} - both))
		log "n$i heard n$j ${took} ms after both joined"
		[ $took -le "$(bound_ms $((2 * interval)))" ] || fail "n$i heard n$j after ${took} ms"
	done
	peer_line n$i 7 "${id[$i]}" && fail "n$i lists itself"
	own=$(stat n$i 7 drop_own)
	[ "${own:-0}" -gt 0 ] || fail "n$i: drop_own is ${own:-unset}"
done

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
# nsenter, not ip netns exec: the latter remounts /sys without debugfs.
nsenter --net=/run/netns/n1 cat /sys/kernel/debug/rup/regions /sys/kernel/debug/rup/peers
[ "$(nsenter --net=/run/netns/n1 cat /sys/kernel/debug/rup/peers | grep -c '^7	')" = 2 ] ||
	fail "debugfs: n1's peers"
[ "$(grep -c '^7	' /sys/kernel/debug/rup/peers)" = 0 ] ||
	fail "debugfs: n1's peers shown in the initial namespace"
echo "three nodes see each other"
