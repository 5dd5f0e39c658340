#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# Issue 3, point 6: netlink misuse. Mutations without CAP_NET_ADMIN are
# refused (reads are allowed); missing or malformed attributes, a wrong key
# length, bad values and unknown flags are refused with an extack message,
# which rupctl prints. Nothing refused changes any state.
. "$RUP_SRC/tests/guest/lib.sh"

rup_load
ns_add n1
in_ns n1 $IP link add dummy0 type dummy 2>/dev/null || {
	modprobe dummy
	in_ns n1 $IP link add dummy0 type dummy
}
in_ns n1 $IP link set dummy0 up
base="id=1 group=239.192.0.1 port=7777 ifname=dummy0"
rnl n1 region-new $base key=$KEY1 || fail "a valid region-new failed"

# refused NAME ERRNO-TEXT EXTACK-TEXT CMD...: CMD fails, printing both.
refused() {
	local name=$1 errtext=$2 ext=$3 out
	shift 3
	if out=$("$@" 2>&1); then
		fail "$name: accepted"
	fi
	echo "$name: $out"
	case $out in *"$errtext"*) ;; *) fail "$name: no \"$errtext\" in: $out" ;; esac
	case $out in *"$ext"*) ;; *) fail "$name: no extack \"$ext\" in: $out" ;; esac
}
nobody() {
	in_ns n1 setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		--bounding-set=-all "$@"
}

# Without CAP_NET_ADMIN: every mutation refused, reads fine.
refused "unprivileged region-new" "Operation not permitted" "" \
	nobody "$RNL" region-new id=2 group=239.192.0.2 port=7777 key=$KEY1
refused "unprivileged region-del" "Operation not permitted" "" nobody "$RNL" region-del id=1
refused "unprivileged region-set" "Operation not permitted" "" nobody "$RNL" region-set id=1 interval=50
refused "unprivileged self-set" "Operation not permitted" "" nobody "$RNL" self-set score=1
nobody "$RNL" region-get | grep -q 'region=1 ' || fail "unprivileged region-get refused"
nobody "$RNL" peer-get >/dev/null || fail "unprivileged peer-get refused"
if command -v rupctl >/dev/null; then
	refused "unprivileged rupctl region del" "not permitted" "" nobody rupctl region del 1
fi

# Missing and malformed attributes, wrong key length, bad values.
refused "missing group" "Invalid argument" "missing multicast group" \
	rnl n1 region-new id=2 port=7777 key=$KEY1
refused "missing key" "Invalid argument" "missing region key" \
	rnl n1 region-new id=2 group=239.192.0.2 port=7777
refused "missing id" "Invalid argument" "missing region id" rnl n1 region-del
refused "short key" "Invalid argument" "key must be 32 bytes" \
	rnl n1 region-new id=2 group=239.192.0.2 port=7777 key=0011
refused "long key" "Invalid argument" "key must be 32 bytes" \
	rnl n1 region-new id=2 group=239.192.0.2 port=7777 key=${KEY1}00
refused "short next key" "Invalid argument" "key must be 32 bytes" \
	rnl n1 region-set id=1 next-key=00
refused "u32 of 2 bytes" "Invalid argument" "extack" \
	rnl n1 region-del raw=2:0100
refused "attribute of another op" "Invalid argument" "extack" \
	rnl n1 region-del id=1 score=5
refused "unknown attribute" "Invalid argument" "extack" \
	rnl n1 region-get raw=200:00000000
refused "unicast group" "Invalid argument" "group must be an IPv4 multicast address" \
	rnl n1 region-new id=2 group=10.1.2.3 port=7777 key=$KEY1
refused "port 0" "Invalid argument" "port must not be 0" \
	rnl n1 region-new id=2 group=239.192.0.2 port=0 key=$KEY1
refused "interval 5 ms" "Invalid argument" "interval must be at least 10 ms" \
	rnl n1 region-new $base key=$KEY1 id=2 group=239.192.0.2 interval=5
refused "dead <= interval" "Invalid argument" "dead interval must be longer" \
	rnl n1 region-set id=1 dead=500
refused "duplicate id" "File exists" "region id already exists" \
	rnl n1 region-new $base key=$KEY1
refused "same group and port" "Address already in use" "group and port already used" \
	rnl n1 region-new $base key=$KEY1 id=3
refused "no such interface" "No such device" "no such interface" \
	rnl n1 region-new id=2 group=239.192.0.2 port=7777 key=$KEY1 ifindex=999
refused "no such region" "No such file" "no such region" rnl n1 region-del id=9
refused "no such region (dump)" "No such file" "no such region" rnl n1 peer-get id=9
refused "unknown role flags" "Invalid argument" "unknown role flags" \
	rnl n1 self-set id=1 role=0x100
refused "role without region" "Invalid argument" "region id missing" \
	rnl n1 self-set role=1
refused "node id of 4 bytes" "Invalid argument" "node id must be 16 bytes" \
	rnl n1 self-set node=00112233
refused "version with a space" "Invalid argument" "version must be visible ASCII" \
	rnl n1 self-set "version=1.0 beta"
refused "offer without sha256" "Invalid argument" "offer needs" \
	rnl n1 self-set id=1 raw=0x8013:0800020031000000
refused "offer path" "Invalid argument" "offer path must start with" \
	rnl n1 self-set id=1 offer=2.0.0,$KEY1,100,8080,pkg.tar

# rupctl prints the kernel's extack.
if command -v rupctl >/dev/null; then
	refused "rupctl duplicate region" "" "region id already exists" \
		in_ns n1 rupctl region add 1 group 239.192.0.9 port 7000 key $KEY1
	refused "rupctl unknown region" "" "no such region" in_ns n1 rupctl region del 42
else
	fail "rupctl not built in $RUP_BUILD"
fi

# Nothing changed: one region, as created, default self state.
out=$(rnl n1 region-get)
echo "$out"
[ "$(echo "$out" | grep -c '^region-get')" = 1 ] || fail "region list changed"
case "$out " in *" interval=1000 "*" window=60000 "*) ;; *) fail "region 1 changed: $out" ;; esac
self=$(rnl n1 self-get id=1)
echo "$self"
case "$self " in *" version=0.0.0 score=0 "*" role=0x1 term=0 "*) ;; *) fail "self changed: $self" ;; esac
echo "every misuse refused with a message; state untouched"
