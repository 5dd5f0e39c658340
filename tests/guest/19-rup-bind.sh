#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# A role and offer set with `bind` belong to the netlink socket that set
# them: when it closes (an agent killed with SIGKILL; here rupctl exiting)
# the kernel turns the node abnormal (hook-failed kept) and withdraws the
# offer, and its next beacon says so, so the region re-elects instead of
# following a node that can no longer serve. Without bind the role stays.
# A region is bound to its interface too: when the interface is deleted the
# region stops, says so (region-gone) and is deleted; a new interface of the
# same name does not bring it back (docs/PROTOCOL.md, "When the interface
# goes"). Link down and up keep it.
. "$RUP_SRC/tests/guest/lib.sh"

command -v rupctl >/dev/null || fail "rupctl not built in $RUP_BUILD"
rup_load
rup_nodes br0 10.0.0 n1 n2
for i in 1 2; do
	in_ns n$i rupctl region add 7 group 239.192.0.7 port 7777 key $KEY1 \
		dev eth0 interval 200 || fail "n$i: rupctl region add"
done
id1=$(node_id n1)
# n1's entry in n2's table: "ROLES offered|none", e.g. "rvs 1.1.0".
seen() {
	in_ns n2 rupctl -j peers 7 | jq -r --arg id "$id1" \
		'.[] | select(.node == $id) | "\(.role | join(",")) \(.offer.version // "none")"'
}
sha=$(printf 'ab%.0s' $(seq 32))
offer="offer 1.1.0 sha256 $sha size 1000 port 8731 path /pkg/1.1.0"

# Unbound: the role and offer outlive the command.
in_ns n1 rupctl self set region 7 role rvs term 3 $offer || fail "self set (unbound)"
wait_until 5 eval '[ "$(seen)" = "rvs 1.1.0" ]' || fail "n2 sees n1 as '$(seen)', want 'rvs 1.1.0'"
sleep 1
assert_eq "$(seen)" "rvs 1.1.0" "n1 in n2's table a second after an unbound set"

# Bound: rupctl exits, its socket closes, the kernel steps the node down.
in_ns n1 rupctl self set region 7 role rvs,hook-failed term 4 $offer bind ||
	fail "self set (bound)"
t0=$(now_ms)
wait_until 5 eval '[ "$(seen)" = "abnormal,hook-failed none" ]' ||
	fail "n2 sees n1 as '$(seen)' after its bound socket closed, want 'abnormal,hook-failed none'"
log "n2 saw n1 step down $(($(now_ms) - t0)) ms after the bound set returned"
in_ns n1 rupctl -j self show 7 | jq -e '[.. | objects | select(has("term") and has("role"))][0] |
	.term == 4 and .offer == null and (.role | index("abnormal")) != null' >/dev/null ||
	fail "n1's own state: $(in_ns n1 rupctl -j self show 7)"

# bind is per region, like role: refused without one, with the kernel's reason.
out=$(in_ns n1 rupctl self set bind 2>&1) && fail "bind without region accepted"
echo "$out" | grep -q "region id missing" || fail "no extack reason: $out"

# Link down and up: the region stays on its interface and n2 hears n1 again.
rx_of_n1() { rnl n2 peer-get id=7 | sed -n "s/.* node=$id1 .* rx=\([0-9]*\).*/\1/p"; }
region_ifindex() { in_ns n1 rupctl -j region show | jq -r '.[] | select(.id == 7) | .ifindex'; }
ifindex_of_eth0() { local l; l=$($IP -n n1 -o link show dev eth0) && echo "${l%%:*}"; }
old_if=$(ifindex_of_eth0)
assert_eq "$(region_ifindex)" "$old_if" "region 7's interface before the link goes down"
tx_err_above() { [ "$(stat n1 7 tx_err)" -gt "$1" ]; }
tx_err=$(stat n1 7 tx_err)
$IP -n n1 link set eth0 down
wait_until 5 tx_err_above "$tx_err" || fail "no tx_err while n1's link is down"
$IP -n n1 link set eth0 up
heard_since() { [ "$(rx_of_n1)" -gt "$1" ]; }
wait_until 5 heard_since "$(rx_of_n1)" || fail "n2 does not hear n1 after its link is up again"
assert_eq "$(region_ifindex)" "$old_if" "region 7's interface after down and up"

# The interface goes: region-gone with the old index, no region left.
monitor_start n1 "$RUP_TMP/mon.gone"
$IP -n n1 link del eth0 || fail "delete n1's eth0"
wait_until 5 grep -q "region-gone region=7 node=$id1" "$RUP_TMP/mon.gone" ||
	fail "no region-gone event: $(cat "$RUP_TMP/mon.gone")"
wait_until 5 eval '[ -z "$(region_ifindex)" ]' ||
	fail "region 7 still listed on stale ifindex $(region_ifindex)"
# Back under the same name (a new index): nothing is re-bound behind our back.
ns_attach n1 br0 10.0.0.1/24
new_if=$(ifindex_of_eth0)
[ "$new_if" != "$old_if" ] || fail "eth0 came back with the same index $old_if"
wait_until 5 eval '[ -z "$(rx_of_n1)" ]' || fail "n2 still hears n1 after its interface went"
nap 0.5	# 2.5 intervals
[ -z "$(region_ifindex)" ] || fail "region 7 came back by itself on ifindex $(region_ifindex)"
[ -z "$(rx_of_n1)" ] || fail "n2 hears n1 again on the new eth0 without a new region"
# Whoever made the region makes it again: it beacons on the new interface.
in_ns n1 rupctl region add 7 group 239.192.0.7 port 7777 key $KEY1 dev eth0 \
	interval 200 || fail "n1: region add on the new eth0"
assert_eq "$(region_ifindex)" "$new_if" "region 7's interface when made again"
wait_until 5 eval '[ -n "$(rx_of_n1)" ]' || fail "n2 does not hear n1 on the new eth0"
if dmesg | grep -E 'WARNING:|BUG:|Oops|refcount_t'; then
	fail "kernel log warnings"
fi
log "interface $old_if deleted: region-gone, region deleted; made again on $new_if"
echo "bound role and offer dropped with their socket; unbound ones kept; a region goes with its interface"
