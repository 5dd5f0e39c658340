#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# rupctl against the real module: region add/show/set/del, self set/show,
# peers, stats, monitor (text and JSON lines), -j output parsed with jq, and
# the error paths: kernel extack text printed with exit 2 (bad key length,
# missing attribute, duplicate region), unprivileged mutation refused,
# monitor exiting 3 when the module is unloaded.
. "$RUP_SRC/tests/guest/lib.sh"

R=$RUP_BUILD/rupctl
K1=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
K2=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
ID1=11111111111111111111111111111111
ID2=22222222222222222222222222222222
SHA=$(printf 'a%.0s' $(seq 64))
T=$RUP_TMP
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT

# r NS ARGS...: rupctl in namespace NS, output to $T/out, exit code returned.
r() {
	local ns=$1
	shift
	in_ns "$ns" "$R" "$@" >"$T/out" 2>&1
}
r_ok() {
	r "$@" || fail "rupctl $*: exit $?: $(cat "$T/out")"
}
# expect_rc RC PATTERN NS ARGS...: exit code RC and output matching PATTERN.
expect_rc() {
	local want=$1 pat=$2 rc
	shift 2
	r "$@"
	rc=$?
	[ "$rc" = "$want" ] || fail "rupctl ${*:2}: exit $rc, want $want: $(cat "$T/out")"
	grep -Eq -- "$pat" "$T/out" || fail "rupctl ${*:2}: output lacks /$pat/: $(cat "$T/out")"
	log "rupctl ${*:2} -> $rc: $(head -n 1 "$T/out")"
}
# listeners NS N: N generic netlink sockets in NS have joined a group, i.e.
# N monitors are listening (/proc/net/netlink: Eth 16, Groups non-zero).
# shellcheck disable=SC2016  # awk's own $2, $4
listeners() {
	[ "$(in_ns "$1" awk '$2 == 16 && $4 != "00000000"' /proc/net/netlink | wc -l)" -ge "$2" ]
}
jqt() {
	jq -e "$@" "$T/out" >/dev/null || fail "jq $*: $(cat "$T/out")"
}

modprobe -a bridge veth 2>/dev/null
bridge_add br0
for i in 1 2; do
	ns_add n$i
	ns_attach n$i br0 10.0.0.$i/24
done

# --version sees the loaded module.
# shellcheck disable=SC2119
rup_load
want=$(cat /sys/module/rup/version)
"$R" --version | grep -qx "rup module $want" || fail "--version: $("$R" --version)"

# A monitor in n1 from before the regions exist, text and JSON.
in_ns n1 "$R" monitor >"$T/mon.txt" 2>&1 &
pids+=($!)
in_ns n1 "$R" -j monitor region 5 >"$T/mon.json" 2>&1 &
pids+=($!)
wait_until 20 listeners n1 2 || fail "monitors not listening: $(cat "$T/mon.txt" "$T/mon.json")"

# Region add, then show as text and JSON.
for i in 1 2; do
	id=ID$i
	r_ok n$i self set node-id "${!id}" version 1.0.$i score $((10 * i))
	r_ok n$i region add 5 group 239.192.0.5 port 7400 dev eth0 key $K1 \
		interval 200 dead-interval 1s clock-window 30s
done
r_ok n1 region show
grep -q '^region 5 group 239.192.0.5 port 7400 dev eth0 interval 200ms dead-interval 1000ms clock-window 30000ms ' "$T/out" ||
	fail "region show: $(cat "$T/out")"
r_ok n1 -j region show
jqt 'length == 1 and .[0].id == 5 and .[0].group == "239.192.0.5" and .[0].port == 7400
	and .[0].dev == "eth0" and .[0].interval_ms == 200 and .[0].dead_ms == 1000
	and .[0].clock_window_ms == 30000 and .[0].next_key == false'
r_ok n1 -p region show 5
jqt '.[0].id == 5'
[ "$(wc -l <"$T/out")" -gt 3 ] || fail "-p output is not indented"

# Key rotation fields through region set.
r_ok n1 region set 5 next-key $K2
r_ok n1 -j region show 5
jqt '.[0].next_key == true'
r_ok n1 region set 5 next-key-clear
r_ok n1 -j region show 5
jqt '.[0].next_key == false'

# Self state: namespace-wide and per region.
r_ok n2 self set region 5 role member,rvs term 3 offer 1.1.0 sha256 "$SHA" size 1000 port 8080 path /pkg/1.1.0
r_ok n2 -j self show
jqt ".node == \"$ID2\" and .version == \"1.0.2\" and .score == 20 and (.regions | length) == 1
	and .regions[0].region == 5 and .regions[0].role == [\"member\",\"rvs\"] and .regions[0].term == 3
	and .regions[0].offer.version == \"1.1.0\" and .regions[0].offer.sha256 == \"$SHA\"
	and .regions[0].offer.size == 1000 and .regions[0].offer.port == 8080
	and .regions[0].offer.path == \"/pkg/1.1.0\""
r_ok n2 self show 5
grep -q "^node $ID2 version 1.0.2 score 20$" "$T/out" || fail "self show: $(cat "$T/out")"
grep -q '^region 5 role member,rvs term 3 offer 1.1.0 ' "$T/out" || fail "self show: $(cat "$T/out")"

# Peers: each sees the other with its state.
seen_peer() { r n1 -j peers 5 && jq -e "length == 1 and .[0].node == \"$ID2\"" "$T/out"; }
wait_until 3 seen_peer || fail "n1 never listed n2: $(cat "$T/out")"
r_ok n1 -j peers 5
jqt ".[0].region == 5 and .[0].addr == \"10.0.0.2\" and .[0].version == \"1.0.2\"
	and .[0].score == 20 and .[0].role == [\"member\",\"rvs\"] and .[0].term == 3
	and .[0].offer.version == \"1.1.0\" and .[0].offer.path == \"/pkg/1.1.0\""
r_ok n1 peers
grep -Eq "^5 +$ID2 +10\.0\.0\.2 +1\.0\.2 +20 +member,rvs +3 .* 1\.1\.0$" "$T/out" ||
	fail "peers table: $(cat "$T/out")"
r_ok n2 -j peers
jqt ".[0].node == \"$ID1\" and .[0].version == \"1.0.1\" and .[0].offer == null"

# A version change reaches the monitor as peer-changed.
r_ok n2 self set version 2.0.0
changed() { grep -q "^peer-changed region 5 node $ID2 .*version 2.0.0" "$T/mon.txt"; }
wait_until 3 changed || fail "no peer-changed: $(cat "$T/mon.txt")"
grep -q "^peer-new region 5 node $ID2 addr 10.0.0.2 " "$T/mon.txt" || fail "no peer-new: $(cat "$T/mon.txt")"
jq -e -s "map(select(.event == \"peer-changed\" and .node == \"$ID2\" and .version == \"2.0.0\"
	and (.changed | index(\"version\")))) | length >= 1" "$T/mon.json" >/dev/null ||
	fail "JSON monitor lacks the change: $(cat "$T/mon.json")"

# Stats: counters by name, all present.
r_ok n1 stats 5
grep -Eq '^  rx +[1-9]' "$T/out" || fail "stats: $(cat "$T/out")"
r_ok n1 -j stats
jqt '.[0].region == 5 and .[0].rx > 0 and .[0].tx > 0 and (.[0] | has("drop_bad_mac")
	and has("drop_replay") and has("drop_stale") and has("drop_table_full") and has("expired"))'

# 1,000 peers (crafted beacons from n2): the dump spans many reads and
# `peers` lists every one, sorted, in text and JSON.
r_ok n1 region add 8 group 239.192.0.8 port 7408 dev eth0 key $K2 interval 1s dead-interval 60s
# ... and a monitor sees all 1,000 peer-new events of the burst, none lost.
in_ns n1 "$R" -j monitor region 8 count 1000 >"$T/mon8.json" 2>&1 &
m8=$!
wait_until 20 listeners n1 3 || fail "region 8 monitor not listening"
in_ns n2 "$RUP_BUILD/tests/tools/beacon-craft" --group 239.192.0.8 --port 7408 \
	--ifname eth0 --region 8 --key $K2 --random-ids 1000 --list-ids >"$T/ids" ||
	fail "beacon-craft failed"
all_in() { r n1 -j region show 8 && jq -e '.[0].peers == 1000' "$T/out"; }
wait_until 10 all_in || fail "region 8 holds $(jq '.[0].peers' "$T/out") peers, not 1000"
for _ in $(seq 200); do kill -0 $m8 2>/dev/null || break; sleep 0.1; done
kill -0 $m8 2>/dev/null && fail "monitor saw $(wc -l <"$T/mon8.json") of 1000 events"
wait $m8 || fail "monitor count 1000: exit $?: $(grep -v '^{' "$T/mon8.json")"
jq -r 'select(.event == "peer-new" and .region == 8) | .node' "$T/mon8.json" | sort >"$T/new8"
sort "$T/ids" | cmp -s - "$T/new8" || fail "peer-new events differ from the crafted ids"
r_ok n1 -j peers 8
jq -r '.[].node' "$T/out" >"$T/listed"
sort "$T/ids" | cmp -s - "$T/listed" || fail "peers 8 does not list the 1000 crafted ids in order"
r_ok n1 peers 8
[ "$(grep -c '^8 ' "$T/out")" = 1000 ] || fail "text peers 8: $(wc -l <"$T/out") lines"
r_ok n1 region del 8

# Errors: the kernel's extack text, exit 2.
expect_rc 2 '^rupctl: region add 6: .*key must be 32 bytes' n1 region add 6 group 239.192.0.6 port 7401 key 0011
expect_rc 2 '^rupctl: region add 6: .*(missing group)' n1 region add 6 port 7401 key $K1
expect_rc 2 '^rupctl: region add 5: .+' n1 region add 5 group 239.192.0.9 port 7409 key $K1
expect_rc 2 '^rupctl: region add 7: .+' n1 region add 7 group 10.1.2.3 port 7401 key $K1
expect_rc 2 '^rupctl: region del 9: .+' n1 region del 9
expect_rc 2 '^rupctl: peers 9: .+' n1 peers 9
expect_rc 2 '^rupctl: stats 9: .+' n1 stats 9
expect_rc 2 '^rupctl: region show 9: .+' n1 region show 9
expect_rc 2 '^rupctl: self set: .+' n1 self set role rvs
expect_rc 2 '^rupctl: self set: .+' n1 self set region 5 offer 1.2.0 size 5
r_ok n1 -j region show
jqt 'length == 1'

# Without CAP_NET_ADMIN: reads work, mutations are refused.
nobody() {
	in_ns n1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$R" "$@" >"$T/out" 2>&1
}
nobody region show || fail "unprivileged region show: $(cat "$T/out")"
nobody region del 5 && fail "unprivileged region del succeeded"
[ $? = 2 ] || fail "unprivileged region del: exit $?"
grep -q '^rupctl: region del 5: Operation not permitted' "$T/out" || fail "unprivileged: $(cat "$T/out")"
nobody self set score 1 && fail "unprivileged self set succeeded"

# Region delete in n2: n1 expires it after the dead interval, peer-gone.
r_ok n2 region del 5
gone() { grep -q "^peer-gone region 5 node $ID2 " "$T/mon.txt"; }
wait_until 4 gone || fail "no peer-gone: $(cat "$T/mon.txt")"
grep -q "^rvs-lost region 5 node $ID2 " "$T/mon.txt" || fail "no rvs-lost: $(cat "$T/mon.txt")"
r_ok n1 -j peers 5
jqt 'length == 0'
r_ok n2 -j region show
jqt 'length == 0'

# The monitor leaves with exit 3 when the module goes away.
in_ns n1 "$R" monitor >"$T/mon0.txt" 2>&1 &
mpid=$!
wait_until 20 listeners n1 3 || fail "third monitor not listening: $(cat "$T/mon0.txt")"
r_ok n1 region del 5
rup_unload
for _ in $(seq 100); do kill -0 $mpid 2>/dev/null || break; sleep 0.05; done
kill -0 $mpid 2>/dev/null && fail "monitor still running after rmmod"
wait $mpid
rc=$?
[ $rc = 3 ] || fail "monitor exit $rc after rmmod: $(cat "$T/mon0.txt")"
grep -q 'rup module unloaded' "$T/mon0.txt" || fail "monitor: $(cat "$T/mon0.txt")"
expect_rc 3 '^rupctl: rup module not loaded$' n1 region show
echo "rupctl: all commands checked against the module"
