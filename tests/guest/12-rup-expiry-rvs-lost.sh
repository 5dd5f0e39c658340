#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# Issue 3, point 3: when a node deletes its region, the others expire it
# after the dead interval and emit peer-gone; when it held RVS at the highest
# term, they also emit rvs-lost. A member leaving emits no rvs-lost, nor does
# an old RVS at a lower term than a live one.
. "$RUP_SRC/tests/guest/lib.sh"

rup_load
rup_nodes br0 10.0.0 n1 n2 n3 n4
interval=200
dead=1500
for i in 1 2 3 4; do
	region_add n$i 7 239.192.0.7 $KEY1 interval=$interval dead=$dead
	id[$i]=$(node_id n$i)
done
# n1: RVS at term 5; n4: a stale RVS claim at term 3.
rnl n1 self-set id=7 role=$((1 << 2)) term=5 || fail "n1: self-set rvs"
rnl n4 self-set id=7 role=$((1 << 2)) term=3 || fail "n4: self-set rvs"
full() {
	local i
	for i in 2 3; do
		[ "$(peer_count n$i 7)" = 3 ] || return 1
		peer_line n$i 7 "${id[1]}" | grep -q ' role=0x4 term=5 ' || return 1
	done
}
wait_until 10 full || fail "tables not complete"
monitor_start n2 "$RUP_TMP/mon2"
monitor_start n3 "$RUP_TMP/mon3"

# The stale RVS (term 3) leaves: gone, but no RVS lost (n1 holds term 5).
rnl n4 region-del id=7 || fail "n4: region-del"
wait_until 5 grep -q "peer-gone region=7 node=${id[4]} " "$RUP_TMP/mon2" ||
	fail "n2: no peer-gone for n4"

# The RVS leaves.
t0=$(now_ms)
rnl n1 region-del id=7 || fail "n1: region-del"
for i in 2 3; do
	mon=$RUP_TMP/mon$i
	wait_until 6 grep -q "peer-gone region=7 node=${id[1]} " "$mon" ||
		{ cat "$mon"; fail "n$i: no peer-gone for n1"; }
	wait_until 2 grep -q "rvs-lost region=7 node=${id[1]} term=5" "$mon" ||
		{ cat "$mon"; fail "n$i: no rvs-lost for n1"; }
	gone=$(grep -m1 "peer-gone region=7 node=${id[1]} " "$mon")
	took=$((${gone%% *} - t0))
	# The kernel says how long n1 had been silent when it expired it.
	silent=$(echo "$gone" | sed -n 's/.* last_seen_ms=\([0-9]*\).*/\1/p')
	log "n$i: n1 expired after ${silent} ms of silence (dead ${dead} ms), event ${took} ms after it left"
	[ "$silent" -ge $dead ] || fail "n$i: expired too early (${silent} ms)"
	[ "$silent" -le "$(bound_ms $((dead + 300)))" ] || fail "n$i: expired too late (${silent} ms)"
	[ $took -le "$(bound_ms $((dead + 3000)))" ] || fail "n$i: peer-gone came ${took} ms after it left"
	# rvs-lost follows its peer-gone, and only for n1.
	grep -n "" "$mon" | grep -A1 "peer-gone region=7 node=${id[1]} " | grep -q rvs-lost ||
		fail "n$i: rvs-lost does not follow peer-gone"
	[ "$(grep -c rvs-lost "$mon")" = 1 ] || { cat "$mon"; fail "n$i: rvs-lost count"; }
	peer_line n$i 7 "${id[1]}" && fail "n$i still lists n1"
	[ "$(peer_count n$i 7)" = 1 ] || fail "n$i: table should hold only the other member"
	[ "$(stat n$i 7 expired)" = 2 ] || fail "n$i: expired counter $(stat n$i 7 expired)"
done

# A member leaves: gone, no rvs-lost.
rnl n3 region-del id=7 || fail "n3: region-del"
wait_until 6 grep -q "peer-gone region=7 node=${id[3]} " "$RUP_TMP/mon2" ||
	fail "n2: no peer-gone for n3"
sleep 0.5
[ "$(grep -c rvs-lost "$RUP_TMP/mon2")" = 1 ] || fail "n2: rvs-lost for a member"
[ "$(peer_count n2 7)" = 0 ] || fail "n2: table not empty"
cat "$RUP_TMP/mon2"
echo "expiry, peer-gone and rvs-lost as expected"
