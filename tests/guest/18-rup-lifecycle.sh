#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 480
# Issue 3, point 8: lifecycle. 20 load/unload cycles with regions beaconing
# and a monitor listening; deleting namespaces with regions active; rmmod
# with a monitor listening. The peer slab cache is empty before each unload
# and no warning reaches the kernel log (the runner checks it, and so do we).
. "$RUP_SRC/tests/guest/lib.sh"

rup_nodes br0 10.0.0 n1 n2
slab=/sys/kernel/slab/rup_peer
before=$(dmesg | wc -l)

# peer_objects: live rup_peer objects, after flushing per-CPU caches.
peer_objects() {
	echo 1 >$slab/shrink 2>/dev/null
	cut -d' ' -f1 $slab/objects
}

cycle() {
	local c=$1 mon=$RUP_TMP/mon.$1 pid
	rup_load
	[ -d $slab ] && [ ! -L $slab ] || fail "cycle $c: no unmerged rup_peer cache"
	rnl n1 monitor >"$mon" 2>&1 &
	pid=$!
	wait_until 10 grep -q monitoring "$mon" || fail "cycle $c: monitor did not start"
	region_add n1 1 239.192.0.1 $KEY1 interval=10 dead=200
	region_add n1 2 239.192.0.2 $KEY2 interval=10 dead=200
	region_add n2 1 239.192.0.1 $KEY1 interval=10 dead=200
	wait_until 10 grep -q peer-new "$mon" || fail "cycle $c: no events"
	[ "$(peer_objects)" -ge 1 ] || fail "cycle $c: no peers in the slab cache"
	# Odd cycles: delete regions first; even ones: unload with them live.
	if [ $((c % 2)) = 1 ]; then
		rnl n1 region-del id=1 || fail "cycle $c: n1: region-del"
	fi
	rmmod rup || fail "cycle $c: rmmod with regions and a monitor"
	[ ! -d /sys/module/rup ] || fail "cycle $c: module still there"
	# The monitor outlived the family; it just hears nothing more.
	kill -0 $pid 2>/dev/null || fail "cycle $c: monitor died"
	kill $pid
	wait $pid 2>/dev/null
	log "cycle $c: unloaded under a monitor that saw $(grep -c peer- "$mon") events"
}
for c in $(seq 1 20); do
	cycle $c
done

# Namespace deletion with regions active: when nothing else holds n2 (no
# process in it), its exit deletes its region; n1 (monitored) expires n2.
rup_load
peers_are() { [ "$(peer_count n1 1)" = "$1" ]; }
objects_are() { [ "$(peer_objects)" = "$1" ]; }
rnl n1 monitor >"$RUP_TMP/mon.ns" 2>&1 &
MONITORS=$!
wait_until 10 grep -q monitoring "$RUP_TMP/mon.ns" || fail "monitor did not start"
for n in n1 n2; do
	region_add $n 1 239.192.0.1 $KEY1 interval=10
done
n2id=$(node_id n2)
wait_until 10 peers_are 1 || fail "n1 does not hear n2"
[ "$(peer_objects)" -ge 2 ] || fail "expected 2 live peers"
$IP netns del n2
wait_until 10 grep -q "peer-gone region=1 node=$n2id" "$RUP_TMP/mon.ns" ||
	fail "n1: no peer-gone for n2 after its namespace went"
peers_are 0 || fail "n1 still lists n2"
# n1 goes with its region and the monitor still in it: stop the monitor
# (it holds the namespace), then the namespace's exit frees the rest.
kill $MONITORS
wait $MONITORS 2>/dev/null
$IP netns del n1
wait_until 10 objects_are 0 || fail "peers left after both namespaces went: $(peer_objects)"
rmmod rup || fail "rmmod after namespace deletion"

if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|refcount_t|Objects remaining|still has objects'; then
	fail "kernel log warnings"
fi
echo "20 cycles, namespace deletion and rmmod with a monitor: clean"
