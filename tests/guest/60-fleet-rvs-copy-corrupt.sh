#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# Issue 17: the RVS's stored copy is corrupted mid-distribution, and the
# store is pruned. One region of four rolls out 1.1.0 (1 MB through the
# RVS's region link shaped to 4 Mbit/s: about 6 s for three members); once
# the RVS offers it, one byte near the end of its stored copy is changed in
# place. The RVS must notice (its copy no longer verifies), withdraw it and
# download it again, and the region must still complete within its deadline
# with every node holding the signed bytes. Every store was seeded with two
# older signed releases (0.8.0, 0.9.0): after 1.1.0 is installed each holds
# at most [store] keep (default 2) releases, 1.1.0 among them, 0.8.0 gone.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"

size=1000000
SC_T=4
SC_M=4
sc_fleet 50 80 30 90
v=$(rvs_of 0)
region=$(sc_region_nodes 0 | tr '\n' ' ')
members=$(sc_region_nodes 0 | grep -vx "$v" | tr '\n' ' ')
log "region 0: RVS node $v, members $members"
for old in 0.8.0 0.9.0; do
	fleet_release $old 1000 "$FLEET/release.key" ">=0.0.0"
	for i in $region; do
		cp "$FLEET/rel/$old/payload" "$FLEET/n$i/store/$old.pkg"
		cp "$FLEET/rel/$old/manifest" "$FLEET/n$i/store/$old.manifest"
		cp "$FLEET/rel/$old/sig" "$FLEET/n$i/store/$old.sig"
	done
done
sc_shape "fn$v" 4mbit
fleet_release 1.1.0 $size
fleet_publish 1.1.0
want=$(jq -r .sha256 "$FLEET/rel/1.1.0/manifest")
id=$(fleet_rollout 1.1.0)
fwait 120 test -e "$FLEET/n$v/store/1.1.0.pkg" || ffail "node $v never stored 1.1.0"
# One byte, 1000 from the end, becomes another value.
b=$(tail -c 1000 "$FLEET/rel/1.1.0/payload" | head -c 1 | od -An -tu1 | tr -d ' ')
# shellcheck disable=SC2059
printf "\\$(printf %03o $(((b + 1) % 256)))" |
	dd of="$FLEET/n$v/store/1.1.0.pkg" bs=1 seek=$((size - 1000)) conv=notrunc status=none
log "node $v's stored copy changed while distributing: $(sc_task_line)"
alog=$FLEET/n$v/agent.log
fwait 30 grep -q 'offered 1.1.0 no longer verifies' "$alog" ||
	ffail "node $v did not notice its corrupt copy: $(tail -n 5 "$alog")"
# complete (not partial): within the region's deadline.
sc_wait_tasks 90 complete 0
# shellcheck disable=SC2086
# shellcheck disable=SC2016
fwait 30 eval '[ -z "$(sc_not_upgraded 1.1.0 $region)" ]' ||
	ffail "not at 1.1.0 and upgraded: $(sc_not_upgraded 1.1.0 $region)"
sc_wait_rollout 30 "$id" "done"
for i in $region; do
	st=$FLEET/n$i/store
	assert_eq "$(installed "$i")" 1.1.0 "node $i's installed version"
	assert_eq "$(sha256sum <"$st/1.1.0.pkg" | cut -d' ' -f1)" "$want" "node $i's stored 1.1.0"
	n=$(find "$st" -name '*.pkg' | wc -l)
	log "node $i: store holds $(cd "$st" && echo *.pkg); tick $(jq -c .tick_us "$FLEET/n$i/state/status.json")"
	[ "$n" -le 2 ] || ffail "node $i keeps $n releases (keep 2): $(ls "$st")"
	[ ! -e "$st/0.8.0.pkg" ] || ffail "node $i kept 0.8.0: $(ls "$st")"
done
