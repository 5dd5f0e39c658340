#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# rupctl score against real links: a veth's speed comes from ethtool (10000
# Mbit/s, full link points) and its carrier from rtnetlink; when the peer
# end goes down the node is abnormal with score 0 (exit 4), even with a
# fixed score. Weights and the fixed score come from the agent's config;
# a bad key is reported with file and line.
. "$RUP_SRC/tests/guest/lib.sh"

R=$RUP_BUILD/rupctl
T=$RUP_TMP
modprobe -a veth 2>/dev/null
ns_add n1
$IP -n n1 link add name va type veth peer name vb || fail "veth"
$IP -n n1 link set va up
$IP -n n1 link set vb up

# sc ARGS...: rupctl -j score in n1; JSON in $T/out, exit code in $rc.
sc() {
	in_ns n1 "$R" -j score "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
jv() { jq -r "$1" "$T/out"; }

wait_until 5 sh -c "$IP -n n1 link show va | grep -q LOWER_UP" || fail "va has no carrier"
sc --dev va --store "$T"
assert_eq "$rc" 0 "exit, link up"
# One jq per run: every process start is slow under emulation.
read -r up mbps pts ab free score cpus <<<"$(jv '[.measured.link_up, .measured.link_mbps,
	.parts.link.points, .abnormal, .measured.store_free_bytes, .score, .measured.cpus] | @tsv')"
assert_eq "$up" true "link_up"
assert_eq "$mbps" 10000 "veth speed by ethtool"
assert_eq "$pts" 1000 "link points"
assert_eq "$ab" false "abnormal"
[ "$free" -gt 0 ] || fail "store free bytes: $free"
[ "$score" -gt 0 ] || fail "score $score"
assert_eq "$cpus" "$(nproc)" "cpus"
log "up: score $score"

# The peer end goes down: no carrier on va.
$IP -n n1 link set vb down
wait_until 5 sh -c "! $IP -n n1 link show va | grep -q LOWER_UP" || fail "va keeps carrier"
sc --dev va --fixed 777
assert_eq "$rc" 4 "exit, link down"
assert_eq "$(jv '[.abnormal, .score, .reason] | @tsv')" "true	0	link down" \
	"abnormal, score 0 (even fixed) and why when down"
in_ns n1 "$R" score --dev va >"$T/txt" 2>&1
grep -q "abnormal: link down" "$T/txt" || fail "text output: $(cat "$T/txt")"
$IP -n n1 link set vb up
wait_until 5 sh -c "$IP -n n1 link show va | grep -q LOWER_UP" || fail "carrier back"
sc --dev va --fixed 777
assert_eq "$rc" 0 "exit, up again"
assert_eq "$(jv '[.score, .fixed] | @tsv')" "777	true" "fixed score"

# The agent's config: [node] score/interface, [score] weights. On a fresh
# veth pair: va's counters now hold the packets dropped while vb was down,
# which 6.12 counts (and bad packets lower a link's points).
$IP -n n1 link add name vc type veth peer name vd || fail "veth vc"
$IP -n n1 link set vc up
$IP -n n1 link set vd up
wait_until 5 sh -c "$IP -n n1 link show vc | grep -q LOWER_UP" || fail "vc has no carrier"
cat >"$T/conf" <<CONF
[node]
interface = vc
[score]
cpu = 0
memory = 0
disk = 0
load = 0
rtt = 0
link = 1000
CONF
sc --config "$T/conf"
assert_eq "$rc" 0 "exit with config"
assert_eq "$(jv '[.parts.cpu.weight, .score] | @tsv')" "0	1000000" \
	"cpu weight 0 and score = link weight x link points"
printf '[node]\nscore = 42\n' >"$T/conf2"
sc --config "$T/conf2"
assert_eq "$(jv .score)" 42 "[node] score is a fixed score"
printf '[score]\ncpu = 5\ngpu = 3\n' >"$T/conf3"
sc --config "$T/conf3"
assert_eq "$rc" 1 "exit, bad config"
grep -q "conf3:3: unknown key \[score\] gpu" "$T/err" || fail "config error: $(cat "$T/err")"

# No such interface, bad values.
sc --dev nosuch0
assert_eq "$rc" 1 "exit, no interface"
grep -q "interface nosuch0: not found" "$T/err" || fail "message: $(cat "$T/err")"
sc --loss 101
assert_eq "$rc" 1 "exit, bad loss"
log "ok"
