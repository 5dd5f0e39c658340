#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# Issue 3, point 7: 1,000 peers in one region. beacon-craft sends one valid
# beacon from each of 1,000 random node ids; `rupctl peers` (text and JSON)
# lists exactly those 1,000, and every beacon was counted as accepted.
. "$RUP_SRC/tests/guest/lib.sh"

N=1000
GROUP=239.192.0.16
PORT=7777
REGION=7
craft_setup $REGION crowd 10.0.16
# The region is made from a memory cgroup of its own: its peers, allocated
# in softirq, are charged there (docs/ARCHITECTURE-kernel.md, "Memory";
# THREATS.md "local unprivileged user": a container that may make regions
# pays for their tables).
CG=/sys/fs/cgroup
mountpoint -q $CG || mount -t cgroup2 none $CG || fail "mount cgroup2"
echo +memory >$CG/cgroup.subtree_control || fail "enable the memory controller"
mkdir -p $CG/rup16
sh -c 'echo $$ >"$0" && exec "$@"' $CG/rup16/cgroup.procs $IP netns exec node \
	"$RUPCTL" region add $REGION group $GROUP port $PORT key "$KEY1" dev eth0 \
	dead-interval 600s || fail "region add"
slab() { awk '$1 == "slab_unreclaimable" { print $2 }' $CG/rup16/memory.stat; }
slab0=$(slab)
# nsenter: no sysfs remount per call, cheap under emulation.
rupctl() { nsenter --net=/run/netns/node "$RUPCTL" "$@"; }
rx() { rupctl stats $REGION | awk '$1 == "rx" { print $2 }'; }
rx_is() { [ "$(rx)" = "$1" ]; }

# Paced at 1 ms so the bridge's backlog never overflows under emulation.
start=$(date +%s)
nsenter --net=/run/netns/crowd "$CRAFT" --group $GROUP --port $PORT --ifname eth0 --region $REGION \
	--key "$KEY1" --version 3.1.4 --score 42 --random-ids $N --interval-ms 1 \
	--list-ids >"$RUP_TMP/sent" || fail "beacon-craft"
log "sent $N beacons in $(($(date +%s) - start)) s"
assert_eq "$(sort -u "$RUP_TMP/sent" | wc -l)" $N "distinct node ids sent"
wait_until 20 rx_is $N || fail "rx is $(rx), want $N"
obj=$(cat /sys/kernel/slab/rup_peer/object_size)
# memory.stat is flushed lazily (every 2 s on 6.12): wait for the charge.
charged_all() { charged=$(($(slab) - slab0)) && [ "$charged" -ge $((N * obj)) ]; }
wait_until 10 charged_all
log "memory cgroup of the region's creator: slab +$charged bytes for $N peers of $obj bytes"
[ "$charged" -ge $((N * obj)) ] || fail "peers not charged to the creator's cgroup: +$charged bytes < $N x $obj"

rupctl peers $REGION >"$RUP_TMP/peers" || fail "rupctl peers"
tail -n +2 "$RUP_TMP/peers" | awk '{ print $2 }' | sort >"$RUP_TMP/listed"
sort "$RUP_TMP/sent" >"$RUP_TMP/sent.sorted"
assert_eq "$(wc -l <"$RUP_TMP/listed")" $N "rows in rupctl peers"
cmp -s "$RUP_TMP/listed" "$RUP_TMP/sent.sorted" ||
	fail "rupctl peers lists other node ids than were sent: $(diff "$RUP_TMP/listed" "$RUP_TMP/sent.sorted" | head -n 5)"
bad=$(tail -n +2 "$RUP_TMP/peers" | awk '$1 != '$REGION' || $4 != "3.1.4" || $5 != 42' | head -n 3)
[ -z "$bad" ] || fail "rows with wrong region, version or score: $bad"

# The JSON dump agrees.
rupctl -j peers $REGION >"$RUP_TMP/peers.json" || fail "rupctl -j peers"
jq -r '.[].node' "$RUP_TMP/peers.json" | sort >"$RUP_TMP/listed.json"
cmp -s "$RUP_TMP/listed.json" "$RUP_TMP/sent.sorted" || fail "rupctl -j peers differs from the ids sent"

# Nothing was dropped on the way.
drops=$(rupctl stats $REGION | awk '$1 ~ /^drop_/ && $1 != "drop_own" && $2 != 0')
[ -z "$drops" ] || fail "unexpected drops: $drops"
echo "1000 peers: rupctl peers lists all $N crafted node ids"
