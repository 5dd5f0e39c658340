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
# Region 0's links are slower (4 Mbit/s out of every node), so its
# distribution takes seconds: long enough to pull the plug on its RVS in the
# middle of it. DEMO_SHAPE=1 shapes every region so.
for i in $(seq 1 "$FLEET_N"); do
	[ "${NODE_REGION[$i]}" = 0 ] || [ "${DEMO_SHAPE:-0}" = 1 ] || continue
	sc_shape "fn$i" 4mbit
done
echo "fleet up in $(( ($(now_ms) - t_fleet) / 1000 )) s; elected: $(for r in $SC_REGIONS; do
	printf 'region %s -> n%s  ' "$r" "$(rvs_of "$r")"; done)"

# Halfway through region 0 (its RVS stored and offers the package, a member
# is part-way into it) the RVS's plug is pulled: link down, agent SIGKILL.
# A watcher in the background downs the link the moment that happens (bash file
# tests only: the table below takes seconds to gather on a loaded emulated
# guest, and the distribution may be over by then).
victim=$(rvs_of 0 | head -n 1)
members=$(sc_region_nodes 0 | grep -vx "$victim" | tr '\n' ' ')
(
	while :; do
		if [ -e "$FLEET/n$victim/store/$VER.pkg" ]; then
			for m in $members; do
				[ -e "$FLEET/n$m/store/$VER.part" ] && break 2
			done
		fi
		sleep 0.05
	done
	$IP -n "fn$victim" link set eth0 down
	now_ms >"$RUP_TMP/killed"
) &
KILLER=$!

say "publishing $VER (signed manifest + payload) and starting the rollout to every region"
fleet_release "$VER" "$SIZE"
fleet_publish "$VER"
T0=$(now_ms)
ROLLOUT=$(fleet_rollout "$VER")
echo "rollout $ROLLOUT started ($(table_secs) s after the request)"

killed=0
revived=0
ok=0
next_tick=0
while :; do
	# The table once a second; the checks below every 0.2 s.
	now=$(now_ms)
	if [ "$now" -ge $next_tick ]; then
		table_tick
		now=$(now_ms)
		next_tick=$((now + 1000))
	fi
	if [ $killed = 0 ] && [ -s "$RUP_TMP/killed" ]; then
		killed=$(<"$RUP_TMP/killed")
		# Its link is down since then; the agent dies now.
		fleet_agent_stop "$victim" KILL
		say "t=$(((killed - T0) / 1000)).$(((killed - T0) % 1000 / 100)) s: RVS n$victim of region 0 KILLED mid-distribution (link down, agent SIGKILL)"
	fi
	if [ $killed != 0 ] && [ $revived = 0 ]; then
		new=$(rvs_of 0)
		if [ -n "$new" ]; then
			# When it became RVS, from its own log ("<6>EPOCH.MS info: ...").
			line=$(grep 'candidate -> rvs' "$FLEET/n$new/agent.log" | tail -n 1)
			line=${line#<*>}
			line=${line%% *}
			table_note "elected $new" "t=$(table_secs) s: region 0 elected n$new as RVS (term $(nstat "$new" .term))," \
				"$((${line/./} - killed)) ms after n$victim died"
			# Once the other members are served, the dead node comes back
			# (the new RVS installs itself last, when the region converged).
			if table_region_done_but 0 "$victim" "$new"; then
				sc_revive_node "$victim"
				revived=$now
				say "t=$(table_secs) s: n$victim comes back (state kept on disk); it will upgrade from n$new"
			fi
		fi
	fi
	if [ "$now" -ge $((next_tick - 200)) ] && sc_all_at "$VER" $(seq 1 "$FLEET_N") &&
		sc_tasks_are complete 2>/dev/null; then
		ok=1
		table_tick
		break
	fi
	[ $((now - T0)) -lt $((LIMIT * 1000)) ] || break
	sleep 0.2
done

kill "$KILLER" 2>/dev/null
wait "$KILLER" 2>/dev/null
[ $killed != 0 ] || echo "(region 0 was served before its RVS could be stopped mid-distribution)"
table_summary "$ok"
[ $ok = 1 ] || { fleet_dump; exit 1; }
