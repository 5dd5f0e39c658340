#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# A role and offer set with `bind` belong to the netlink socket that set
# them: when it closes (an agent killed with SIGKILL; here rupctl exiting)
# the kernel turns the node abnormal (hook-failed kept) and withdraws the
# offer, and its next beacon says so, so the region re-elects instead of
# following a node that can no longer serve. Without bind the role stays.
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
echo "bound role and offer dropped with their socket; unbound ones kept"
