# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests: source it, then call these. Each test runs as root
# in a fresh guest state (see docs/DEVELOPING.md).
set -u
IP=/usr/sbin/ip
# fail, check, assert_eq, log, on_fail
. "$RUP_SRC/tests/lib-assert.sh"

# nap SECONDS: sleep without starting a process. A fork and exec costs
# ~40 ms in a one-vCPU guest and ~200 ms on the debug kernel, and polls pause
# thousands of times: read times out on a pipe that nobody writes to.
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || :; }

# wait_until SECONDS CMD...: run CMD every 50 ms until it succeeds. SECONDS
# is a timeout, not a bound a test asserts: it scales with the harness's
# timeout factor (the debug kernel runs several times slower).
wait_until() {
	local end=$((${EPOCHREALTIME/./} + $1 * ${RUP_VM_TIMEOUT_FACTOR:-1} * 1000000))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		nap 0.05
	done
}

# bound_ms MS: an upper timing bound a test asserts (docs/AGENT.md's failover in
# dead + 2 intervals, a triggered beacon within 1 s). As written on every
# kernel but the debug one, whose KASAN and kmemleak make the guest 5-8
# times slower: there the harness's timeout factor stretches it, since that
# run checks memory and locking, not speed.
bound_ms() { echo $(($1 * ${RUP_VM_TIMEOUT_FACTOR:-1})); }

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

# --- rup module helpers (kernel tests 10-18) ---
RNL=$RUP_BUILD/tests/tools/rup-nl-test
KEY1=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
KEY2=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f

# rnl NS ARGS...: rup-nl-test inside namespace NS. nsenter, not ip netns
# exec: it only switches the network namespace and starts much faster.
rnl() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" "$RNL" "$@"
}

# now_ms: monotonic-enough wall clock in milliseconds.
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# monitor_start NS FILE: events of NS, one line each, prefixed with the ms
# they were read at; waits until the monitor listens. Killed at test end.
monitor_start() {
	local ns=$1 out=$2
	(rnl "$ns" monitor | while IFS= read -r l; do
		echo "$(now_ms) $l"
	done) >"$out" 2>&1 &
	MONITORS="${MONITORS:-} $!"
	wait_until 5 grep -q monitoring "$out" || fail "$ns: monitor did not start"
}
# On exit: stop monitors, remove namespaces and the module, so the next
# test starts clean even when this one failed half-way.
rup_cleanup() {
	local p
	for p in ${MONITORS:-}; do
		pkill -P "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	$IP -all netns delete 2>/dev/null
	[ -d /sys/module/rup ] && rmmod rup 2>/dev/null
	return 0
}
trap rup_cleanup EXIT

# rup_nodes BRIDGE SUBNET NS...: namespaces on one bridge, SUBNET.1, .2, ...
rup_nodes() {
	local br=$1 net=$2 i=1 ns
	shift 2
	# Module autoload does not reach the guest's modprobe: load them here.
	modprobe -a bridge veth 2>/dev/null
	$IP link show "$br" >/dev/null 2>&1 || bridge_add "$br"
	for ns in "$@"; do
		ns_add "$ns"
		ns_attach "$ns" "$br" "$net.$i/24"
		i=$((i + 1))
	done
}

# region_add NS ID GROUP KEY [ATTR=VALUE...]: a region on eth0, port 7777.
region_add() {
	local ns=$1 id=$2 group=$3 key=$4
	shift 4
	rnl "$ns" region-new id="$id" group="$group" port=7777 ifname=eth0 \
		key="$key" "$@" || fail "$ns: region $id: region-new"
}

# peer_line NS REGION NODE: the peer-get line of NODE (hex id) in REGION;
# false when there is none. Matched in bash: under emulation each process
# costs ~40 ms (~200 ms on the debug kernel), and tests poll this.
peer_line() {
	local out x found=1
	out=$(rnl "$1" peer-get id="$2")
	while IFS= read -r x; do
		[[ $x == *" node=$3 "* ]] && { echo "$x"; found=0; }
	done <<<"$out"
	return $found
}

# node_id NS: this namespace's node id (hex).
node_id() {
	rnl "$1" self-get | sed -n 's/.* node=\([0-9a-f]*\).*/\1/p'
}

# stat NS REGION NAME: one counter of a region (parsed in bash, as above).
stat() {
	local out re="(^|[[:space:]])$3=([^[:space:]]*)"
	out=$(rnl "$1" stats-get id="$2")
	[[ $out =~ $re ]] && echo "${BASH_REMATCH[2]}"
	return 0
}

# peer_count NS REGION (counted in bash, as above)
peer_count() {
	local out x n=0
	out=$(rnl "$1" peer-get id="$2")
	while IFS= read -r x; do
		[[ $x == peer-get* ]] && n=$((n + 1))
	done <<<"$out"
	echo $n
}

# peers_all REGION COUNT NS...: every NS has COUNT peers in REGION (a
# condition for wait_until).
peers_all() {
	local r=$1 c=$2 ns
	shift 2
	for ns in "$@"; do
		[ "$(peer_count "$ns" "$r")" = "$c" ] || return 1
	done
}

# slab_objs NAME: active objects of a slab cache (nothing printed: no cache).
slab_objs() {
	awk -v n="$1" '$1 == n { print $2 }' /proc/slabinfo
}

# rupctl_monitor_start NS FILE: `rupctl monitor` in NS, lines prefixed with
# the ms they were read at. rupctl prints nothing until the first event, so
# give it a moment to subscribe.
rupctl_monitor_start() {
	local ns=$1 out=$2
	(in_ns "$ns" rupctl monitor | while IFS= read -r l; do
		echo "$(now_ms) $l"
	done) >"$out" 2>&1 &
	MONITORS="${MONITORS:-} $!"
	nap 1
}

# --- crafted beacons (tests 15, 16) ---
CRAFT=$RUP_BUILD/tests/tools/beacon-craft
RUPCTL=$RUP_BUILD/rupctl

# craft_setup REGION PEER_NS SUBNET [PARAM=VALUE...]: the module (with
# PARAMs) and namespaces "node" (SUBNET.1) and PEER_NS (SUBNET.2) on bridge
# br0, from which beacon-craft sends. At exit REGION is deleted first (these
# tests are about beacons, not namespace teardown), then everything else.
craft_setup() {
	local peer=$2 net=$3
	CRAFT_REGION=$1
	shift 3
	[ -x "$CRAFT" ] || fail "$CRAFT not built (make tests)"
	[ -x "$RUPCTL" ] || fail "$RUPCTL not built (make userspace)"
	trap craft_cleanup EXIT
	rup_load "$@"
	rup_nodes br0 "$net" node "$peer"
}
craft_cleanup() {
	nsenter --net=/run/netns/node "$RUPCTL" region del "$CRAFT_REGION" 2>/dev/null
	rup_cleanup
	$IP link del br0 2>/dev/null
	return 0
}
