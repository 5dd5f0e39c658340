#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 6 scenario 4: after 1.1.0 is published, its payload at the ops
# server is altered in place (same size, other bytes), so it no longer
# matches the signed manifest. Every region's RVS downloads it, rejects it
# and reports `package_abnormal` with the reason (hash mismatch); nothing is
# offered, fetched or installed anywhere, and every node stays at 1.0.0.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=200000
sc_fleet
sc_count_region_tcp
fleet_release 1.1.0 $size
fleet_publish 1.1.0
pkg=$(find "$FLEET/opsd-pkg" -type f -name '1.1.0*' | head -n 1)
[ -n "$pkg" ] && [ "$(command stat -c %s "$pkg")" = $size ] || fail "no stored payload: $(ls -l "$FLEET/opsd-pkg")"
# Flip 16 bytes in the middle, without changing the size.
head -c 16 /dev/zero | tr '\0' 'X' | dd of="$pkg" bs=1 seek=$((size / 2)) conv=notrunc status=none
[ "$(sha256sum <"$pkg" | cut -d' ' -f1)" != "$(jq -r .sha256 "$FLEET/rel/1.1.0/manifest")" ] ||
	fail "tampering did not change the hash"
fleet_rollout 1.1.0 >/dev/null
abnormal_all() {
	local st r
	st=$(ops_status) || return 1
	for r in $SC_REGIONS; do
		echo "$st" | jq -e --argjson r "$r" '.regions[] | select(.region_id == $r) |
			.tasks | max_by(.task_id) | select(.state == "package_abnormal")' >/dev/null ||
			return 1
	done
}
fwait 60 abnormal_all || ffail "not package_abnormal everywhere: $(sc_task_line)"
for r in $SC_REGIONS; do
	reason=$(task_reason "$r")
	log "region $r: package_abnormal: $reason"
	case $reason in
	*hash*|*sha256*|*SHA-256*) ;;
	*) ffail "region $r: reason '$reason' does not name the hash mismatch" ;;
	esac
done
# Give members time to act on any (wrong) offer, then check nothing moved.
sleep 3
for i in $(seq 1 "$FLEET_N"); do
	sc_assert_hook_never "$i"
	assert_eq "$(nstat "$i" .version)" 1.0.0 "node $i's version"
	[ -z "$(installed "$i")" ] || ffail "node $i installed $(installed "$i")"
	[ ! -e "$FLEET/n$i/store/1.1.0.pkg" ] || ffail "node $i kept the bad package"
	[ -z "$(nstat "$i" .offer)" ] || ffail "node $i offers a package"
done
assert_eq "$(sc_region_bytes)" 0 "package bytes sent inside regions"
st=$(ops_status)
assert_eq "$(echo "$st" | jq '[.regions[].members[] | select(.version != "1.0.0")] | length')" 0 \
	"members not at 1.0.0 in the ops server's status"
