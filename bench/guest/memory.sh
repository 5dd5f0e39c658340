#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Kernel memory (issue 7, item 5): bytes per peer and per region. Peers:
# the rup_peer slab cache (object and slab sizes from /sys/kernel/slab,
# active objects from /proc/slabinfo) and the Slab / MemAvailable deltas of
# /proc/meminfo when 1,000 crafted peers (bflood, one beacon per id) join one
# region. Regions: the same deltas for 64 more regions (socket, timers, HMAC
# transforms, keys). Agent RSS comes from the fleet benchmark.
. "$RUP_SRC/bench/guest/lib-bench.sh"
PEERS=1000
REGIONS=64
if [ ! -x "$BT/bflood" ] || [ ! -x "$BT/knl" ]; then
	fail "bench tools not built (make tests)"
fi
bench_open memory
rup_load
rup_nodes br0 10.0.78 rx tx
rx() { nsenter --net=/run/netns/rx "$@"; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 2; }
rx "$RUP_BUILD/rupctl" region add 1 group 239.192.0.78 port 7777 key "$KEY1" dev eth0 \
	dead-interval 600s || fail "region add"

settle
slab0=$(meminfo Slab) avail0=$(meminfo MemAvailable) objs0=$(slab_objs rup_peer)
rx "$BT/knl" rxwatch 1 $PEERS 5000 >"$RUP_TMP/w.out" &
w=$!
wait_line "$RUP_TMP/w.out" watching || fail "knl rxwatch did not start"
nsenter --net=/run/netns/tx "$BT/bflood" --group 239.192.0.78 --port 7777 --region 1 \
	--key "$KEY1" --ifname eth0 --ids $PEERS --count $PEERS --rate 2000 >/dev/null || fail "bflood"
wait $w
got=$(rx "$RUP_BUILD/rupctl" peers 1 | tail -n +2 | wc -l)
assert_eq "$got" $PEERS "peers in the table"
settle
slab1=$(meminfo Slab) avail1=$(meminfo MemAvailable) objs1=$(slab_objs rup_peer)
s=/sys/kernel/slab/rup_peer
osz=$(cat $s/object_size 2>/dev/null || echo 0)
ssz=$(cat $s/slab_size 2>/dev/null || echo 0)
merged=no
[ -L $s ] && merged="yes ($(basename "$(readlink $s)"))"
bench_put "peers=$PEERS peer_object_size=$osz peer_slab_size=$ssz peer_cache_merged=\"$merged\"" \
	"peer_objs_delta=$(( ${objs1:-0} - ${objs0:-0} ))" \
	"peer_slab_delta_b=$(( (slab1 - slab0) * 1024 / PEERS ))" \
	"peer_avail_delta_b=$(( (avail0 - avail1) * 1024 / PEERS ))"

settle
slab0=$(meminfo Slab) avail0=$(meminfo MemAvailable)
for i in $(seq 2 $((REGIONS + 1))); do
	rx "$RUP_BUILD/rupctl" region add "$i" group "239.192.1.$i" port $((7800 + i)) \
		key "$KEY1" dev eth0 interval 60s dead-interval 600s >/dev/null || fail "region add $i"
done
settle
slab1=$(meminfo Slab) avail1=$(meminfo MemAvailable)
n=$(rx "$RUP_BUILD/rupctl" -j region show | jq 'if type == "array" then length else 1 end')
assert_eq "$n" $((REGIONS + 1)) "regions"
bench_put "regions=$REGIONS region_slab_delta_b=$(( (slab1 - slab0) * 1024 / REGIONS ))" \
	"region_avail_delta_b=$(( (avail0 - avail1) * 1024 / REGIONS ))"
echo "kernel memory measured"
