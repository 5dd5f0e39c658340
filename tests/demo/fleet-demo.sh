#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# The demo, run inside the guest by `make demo` (tests/demo.sh streams its
# output over the serial console). A 3 x 4 fleet: one ops server, three
# regions of four `rupctl agent` nodes. Release 1.1.0 is published and
# rolled out; halfway through region 0's distribution its RVS dies, a new
# one is elected and finishes, and the dead node comes back and upgrades.
# Once a second a block shows each region, its RVS, every node's version
# and progress, and the bytes the ops server served against the bytes
# served inside the regions. Exits 0 only if every node ends at 1.1.0.
# docs/DEMO.md explains what the viewer sees.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"
. "$RUP_SRC/tests/demo/table.sh"

SIZE=${DEMO_SIZE:-2000000}
# Beacons every 400 ms (dead interval 1.6 s): twelve agents and the table
# share two emulated CPUs.
FLEET_INTERVAL=${DEMO_INTERVAL:-400}
FLEET_DEAD=$((FLEET_INTERVAL * 4))
VER=1.1.0
LIMIT=${DEMO_LIMIT:-240}

say() { printf '\n== %s\n' "$*"; }

say "rup demo: 3 regions x 4 nodes, release $VER ($SIZE bytes), rup $(cat "$RUP_SRC/dkms.conf" 2>/dev/null |
	sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*/\1/p')"
say "building the fleet: ops server, 3 region bridges, 12 node namespaces (scores 10..95)"
t_fleet=$(now_ms)
sc_fleet
sc_count_region_tcp
# Links as on real networks: the ops server's uplink is shaped, so the
# downloads take seconds and can be watched.
sc_shape ops 40mbit
# Shaping the region links too (DEMO_SHAPE=1) makes the distribution
# slower to watch; on a loaded emulated guest members then time out and
# retry, so it is off by default.
if [ "${DEMO_SHAPE:-0}" = 1 ]; then
	for i in $(seq 1 "$FLEET_N"); do
		sc_shape "fn$i" 24mbit
	done
fi
echo "fleet up in $(( ($(now_ms) - t_fleet) / 1000 )) s; elected: $(for r in $SC_REGIONS; do
	printf 'region %s -> n%s  ' "$r" "$(rvs_of "$r")"; done)"

say "publishing $VER (signed manifest + payload) and starting the rollout to every region"
fleet_release "$VER" "$SIZE"
fleet_publish "$VER"
T0=$(now_ms)
ROLLOUT=$(fleet_rollout "$VER")
echo "rollout $ROLLOUT started"

victim=
killed=0
revived=0
ok=0
while :; do
	table_tick
	now=$(now_ms)
	# Halfway through region 0: its RVS offers the package and a member is
	# fetching it. Pull the plug on the RVS.
	[ $killed != 0 ] || victim=$(rvs_of 0 | head -n 1)
	if [ $killed = 0 ] && [ -n "$victim" ] && [ -n "$(nstat "$victim" .offer)" ] &&
		table_region_fetching 0; then
		sc_kill_node "$victim"
		killed=$now
		say "t=$(table_secs) s: RVS n$victim of region 0 KILLED mid-distribution (link down, agent SIGKILL)"
	fi
	if [ $killed != 0 ] && [ $revived = 0 ]; then
		new=$(rvs_of 0)
		if [ -n "$new" ]; then
			table_note "t=$(table_secs) s: region 0 elected n$new as RVS (term $(nstat "$new" .term))" \
				"$((now - killed)) ms after n$victim died"
			# Once the other members are served, the dead node comes back
			# (the new RVS installs itself last, when the region converged).
			if table_region_done_but 0 "$victim" "$new"; then
				sc_revive_node "$victim"
				revived=$now
				say "t=$(table_secs) s: n$victim comes back (state kept on disk); it will upgrade from n$new"
			fi
		fi
	fi
	if sc_all_at "$VER" $(seq 1 "$FLEET_N") && sc_tasks_are complete 2>/dev/null; then
		ok=1
		table_tick
		break
	fi
	[ $((now - T0)) -lt $((LIMIT * 1000)) ] || break
	sleep 0.7
done

table_summary "$ok"
[ $ok = 1 ] || { fleet_dump; exit 1; }
