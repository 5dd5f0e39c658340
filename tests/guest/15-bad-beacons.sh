#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Issue 3, point 5: bad beacons. One node in region 1; an attacker namespace
# on the same bridge sends crafted beacons. Each kind moves its own counter
# (and only that one) and leaves the version table as it should be: broken
# beacons add nobody and change nobody; an unknown TLV is accepted; a flood
# of new node ids stops at max_peers. The MAC is checked before the TLVs
# are decoded (docs/PROTOCOL.md, "Receive pipeline"): broken TLVs under a
# bad MAC count as bad MAC, not malformed (THREATS.md, "outsider on a
# region's network": the TLV parser never reads unauthenticated bytes).
. "$RUP_SRC/tests/guest/lib.sh"

MAX_PEERS=16
GROUP=239.192.0.15
PORT=7777
REGION=1
craft_setup $REGION evil 10.0.15 max_peers=$MAX_PEERS
# A long dead interval: nothing may expire while the test runs.
in_ns node "$RUPCTL" region add $REGION group $GROUP port $PORT key "$KEY1" dev eth0 \
	interval 1000 dead-interval 600s || fail "region add"

# nsenter rather than "ip netns exec": no sysfs remount, so each call is
# cheap under emulation (rupctl and beacon-craft need no sysfs).
rupctl() { nsenter --net=/run/netns/node "$RUPCTL" "$@"; }
# craft ARGS...: a beacon for region 1 signed with its key (a later --key
# wins), from "evil".
craft() {
	nsenter --net=/run/netns/evil "$CRAFT" --group $GROUP --port $PORT \
		--ifname eth0 --region $REGION --key "$KEY1" "$@" || fail "beacon-craft $*"
}
# Parsing below uses bash builtins only: under emulation every exec (awk,
# od, date) costs up to a second, and a test step makes dozens of them.
# A fresh random node id each call (8 x 15 random bits).
new_id() {
	printf '%04x%04x%04x%04x%04x%04x%04x%04x' $RANDOM $RANDOM $RANDOM \
		$RANDOM $RANDOM $RANDOM $RANDOM $RANDOM
}
# poll SECONDS CMD...: run CMD until it succeeds, every 50 ms.
poll() {
	local end=$((${EPOCHREALTIME/./} + $1 * 1000000))
	shift
	until "$@"; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		read -r -t 0.05 <> <(:) || true
	done
}

COUNTERS="rx drop_short drop_too_big drop_bad_magic drop_malformed drop_wrong_region
drop_bad_mac drop_replay drop_stale drop_table_full expired"
declare -A before
# field TEXT NAME: the value after NAME on its line of TEXT.
field() {
	local k v rest
	while read -r k v rest; do
		[ "$k" = "$2" ] && { echo "$v"; return; }
	done <<<"$1"
}
# snapshot [STATS]: remember every counter (from STATS, else asked now).
snapshot() {
	local s=${1:-$(rupctl stats $REGION)} c
	for c in $COUNTERS; do
		before[$c]=$(field "$s" "$c")
		[ -n "${before[$c]}" ] || fail "rupctl stats shows no $c counter"
	done
}
# counter_is NAME VALUE: asks once; the answer stays in $last_stats.
counter_is() {
	last_stats=$(rupctl stats $REGION)
	[ "$(field "$last_stats" "$1")" = "$2" ]
}
# expect NAME N [NAME N...]: each NAME rose by its N since the snapshot,
# every other counter (tx and drop_own move on their own) stayed put.
# Leaves a new snapshot.
expect() {
	local -A delta=()
	local c want now
	while [ $# -gt 0 ]; do
		delta[$1]=$2
		shift 2
	done
	for c in "${!delta[@]}"; do
		want=$((before[$c] + delta[$c]))
		poll 10 counter_is "$c" "$want" ||
			fail "$what: $c is $(field "$last_stats" "$c"), want $want"
	done
	# The stats that showed the last counter arrive: the others are checked
	# in the same reply (anything miscounted came with the same datagram).
	now=$last_stats
	for c in $COUNTERS; do
		want=$((before[$c] + ${delta[$c]:-0}))
		assert_eq "$(field "$now" "$c")" "$want" "$what: $c"
	done
	snapshot "$now"
	log "${SECONDS}s $what: ${!delta[*]} moved as expected, nothing else"
}
# The table as `rupctl peers` prints it (a header line, then one row a peer).
peers() { rupctl peers $REGION || fail "rupctl peers"; }
# peer_field ID COLUMN [TABLE]: a column of the peer's row (4 = version).
peer_field() {
	local -a f
	while read -r -a f; do
		[ "${f[1]:-}" = "$1" ] && { echo "${f[$2 - 1]}"; return; }
	done <<<"${3:-$(peers)}"
}
has_peer() { [ -n "$(peer_field "$1" 2)" ]; }
# rows TABLE: number of peer rows.
rows() {
	local n=-1 l
	while read -r l; do
		[ -n "$l" ] && n=$((n + 1))
	done <<<"$1"
	echo $n
}
no_new_peer() {
	local t
	t=$(peers)
	[ -z "$(peer_field "$1" 2 "$t")" ] || fail "$what: node $1 entered the table"
	assert_eq "$(rows "$t")" "$known" "$what: peers in the table"
}

# Baseline: a valid beacon from peer A is accepted.
A=$(new_id)
snapshot
what="valid beacon"
craft --node-id "$A" --version 1.0.0 --score 10
expect rx 1
has_peer "$A" || fail "valid beacon: $A not in the table"
assert_eq "$(peer_field "$A" 4)" 1.0.0 "peer A version"
known=1

# Every broken kind from a fresh node id: its own counter, no new peer.
# kind: counter | beacon-craft arguments
while IFS='|' read -r counter args; do
	counter=${counter// /}
	[ -n "$counter" ] || continue
	X=$(new_id)
	what="${args# }"
	# shellcheck disable=SC2086
	craft --node-id "$X" $args
	expect "$counter" 1
	no_new_peer "$X"
done <<EOF
drop_short     | --truncate 40
drop_short     | --truncate 83
drop_malformed | --truncate 120 --offer-version 2.0.0
drop_too_big   | --oversize
drop_bad_magic | --bad-magic
drop_bad_magic | --bad-version
drop_malformed | --no-version
drop_malformed | --tlv-overrun
drop_bad_mac   | --no-version --bad-mac
drop_bad_mac   | --tlv-overrun --key $KEY2
drop_wrong_region | --wrong-region
drop_bad_mac   | --bad-mac
drop_bad_mac   | --key $KEY2
drop_stale     | --stale 120
drop_stale     | --seq-offset-sec 120
EOF

# A known peer's broken beacons do not change its row either.
what="peer A, wrong key, version 6.6.6"
craft --node-id "$A" --key "$KEY2" --version 6.6.6
expect drop_bad_mac 1
assert_eq "$(peer_field "$A" 4)" 1.0.0 "$what: peer A version"

# Replay: the same datagram twice; the first counts as rx, the second not.
what="replayed beacon of peer A"
seq=${EPOCHREALTIME/./}000	# wall clock in ns
craft --node-id "$A" --version 2.0.0 --seq "$seq" --replay
expect rx 1 drop_replay 1
assert_eq "$(peer_field "$A" 4)" 2.0.0 "$what: peer A version"
# An older sequence with a new version: a replay, the row keeps 2.0.0.
what="older sequence of peer A"
craft --node-id "$A" --version 3.0.0 --seq $((seq - 1000000))
expect drop_replay 1
assert_eq "$(peer_field "$A" 4)" 2.0.0 "$what: peer A version"

# Key rotation: with KEY2 as the next key, a beacon signed with it is
# accepted; once the next key is cleared, it is a bad MAC again.
rupctl region set $REGION next-key "$KEY2" || fail "region set next-key"
R=$(new_id)
what="beacon signed with the next key"
craft --node-id "$R" --key "$KEY2" --version 1.9.0
expect rx 1
assert_eq "$(peer_field "$R" 4)" 1.9.0 "$what: version"
known=2
rupctl region set $REGION next-key-clear || fail "region set next-key-clear"
what="next key cleared, beacon signed with it"
craft --node-id "$R" --key "$KEY2" --version 1.9.1
expect drop_bad_mac 1
assert_eq "$(peer_field "$R" 4)" 1.9.0 "$what: version"

# An unknown TLV is skipped: accepted, peer added with the right fields.
U=$(new_id)
what="unknown TLV"
craft --node-id "$U" --unknown-tlv --version 1.4.2 --score 77
expect rx 1
has_peer "$U" || fail "$what: $U not in the table"
assert_eq "$(peer_field "$U" 4)" 1.4.2 "$what: version"
assert_eq "$(peer_field "$U" 5)" 77 "$what: score"
known=3

# Flood of new node ids past max_peers: the table fills to MAX_PEERS, the
# rest are dropped and counted; the known peers stay.
flood=$((MAX_PEERS - known + 5))
what="flood of $flood new node ids"
craft --random-ids $flood --interval-ms 5
expect rx $((MAX_PEERS - known)) drop_table_full 5
t=$(peers)
assert_eq "$(rows "$t")" $MAX_PEERS "$what: peers in the table"
if [ -z "$(peer_field "$A" 2 "$t")" ] || [ -z "$(peer_field "$U" 2 "$t")" ]; then
	fail "$what: a known peer was pushed out"
fi
# Known peers still update while the table is full.
what="known peer A with a full table"
craft --node-id "$A" --version 2.1.0
expect rx 1
assert_eq "$(peer_field "$A" 4)" 2.1.0 "$what: peer A version"
echo "bad beacons: every kind counted under its own reason, table as expected"
