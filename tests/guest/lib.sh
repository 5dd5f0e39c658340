# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests: source it, then call these. Each test runs as root
# in a fresh guest state (see docs/DEVELOPING.md).
set -u
IP=/usr/sbin/ip

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

log() {
	echo "# $*"
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', want '$2'"
}

# wait_until SECONDS CMD...: run CMD every 50 ms until it succeeds.
wait_until() {
	local end=$(($(date +%s%N) + $1 * 1000000000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# rup_load [PARAM=VALUE...]: insmod the module under test.
rup_load() {
	insmod "$RUP_KO" "$@" || fail "insmod $RUP_KO $*"
}

rup_unload() {
	rmmod rup || fail "rmmod rup"
}

# ns_add NAME: a network namespace with loopback up.
ns_add() {
	$IP netns add "$1" || fail "netns add $1"
	$IP -n "$1" link set lo up
}

# in_ns NAME CMD...: run CMD inside namespace NAME.
in_ns() {
	local ns=$1
	shift
	$IP netns exec "$ns" "$@"
}

# bridge_add NAME: a bridge in the initial namespace, up, without IGMP
# snooping so multicast floods like on a plain segment.
bridge_add() {
	$IP link add "$1" type bridge mcast_snooping 0 || fail "bridge add $1"
	$IP link set "$1" up
}

# ns_attach NS BRIDGE ADDR/PREFIX [IFNAME]: a veth from NS to BRIDGE; inside
# NS the interface is IFNAME (default eth0) with ADDR and a multicast route.
ns_attach() {
	local ns=$1 br=$2 addr=$3 ifn=${4:-eth0}
	local host=v-$ns-$br
	host=${host:0:15}
	$IP link add "$host" type veth peer name "$ifn" netns "$ns" || fail "veth $host"
	$IP link set "$host" master "$br" up
	$IP -n "$ns" addr add "$addr" dev "$ifn"
	$IP -n "$ns" link set "$ifn" up
	$IP -n "$ns" route add 224.0.0.0/4 dev "$ifn" 2>/dev/null || true
}
