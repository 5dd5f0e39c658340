#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# Issue 3, point 4: two regions with different groups and keys on one bridge
# (same UDP port) do not hear each other: a1 is in region 1, b1 in region 2,
# x in both. Each table holds only its own region's nodes, and no beacon of
# the other region is even seen (no wrong-region or bad-MAC drops).
. "$RUP_SRC/tests/guest/lib.sh"

rup_load
rup_nodes br0 10.0.0 a1 b1 x
for n in a1 x; do
	region_add $n 1 239.192.0.1 $KEY1 interval=200
done
for n in b1 x; do
	region_add $n 2 239.192.0.2 $KEY2 interval=200
done
declare -A id_of
for n in a1 b1 x; do
	id_of[$n]=$(node_id $n)
done
sleep 3

check_table() { # NS REGION NODE: NODE is the only peer of NS in REGION
	local ns=$1 r=$2 want=$3 peers
	peers=$(rnl $ns peer-get id=$r)
	echo "$ns region $r: $peers"
	[ "$(echo "$peers" | grep -c '^peer-get')" = 1 ] || fail "$ns region $r: want one peer"
	echo "$peers" | grep -q " node=${id_of[$want]} " || fail "$ns region $r lacks $want"
}
check_table a1 1 x
check_table b1 2 x
check_table x 1 a1
check_table x 2 b1
for nr in a1:1 b1:2 x:1 x:2; do
	n=${nr%:*}
	r=${nr#*:}
	s=$(rnl $n stats-get id=$r)
	echo "$n: $s"
	for c in drop_wrong_region drop_bad_mac drop_malformed drop_bad_magic; do
		case "$s " in *" $c=0 "*) ;; *) fail "$n region $r: $c moved" ;; esac
	done
	case "$s" in *" rx=0 "*) fail "$n region $r: no beacons received" ;; esac
done
echo "no cross-talk between the two regions"
