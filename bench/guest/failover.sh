#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Failover (issue 7, item 2): one region of 4 node agents; TRIALS times the
# RVS dies outright (its region link goes down and its agent is SIGKILLed,
# as sc_kill_node does) and the time to the new RVS's first beacon is taken:
# from the kill to the sequence (the sender's wall clock at send) of the
# first beacon with the RVS role from another node, as a surviving member's
# kernel reports it (knl log, a genl listener of the events group). The dead
# node comes back as a member before the next trial. At beacon intervals
# 100 ms and 1000 ms (dead interval 3.5 intervals, the ops server's default).
. "$RUP_SRC/bench/guest/lib-bench.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"
TRIALS=${BENCH_FAILOVER_TRIALS:-20}
[ -x "$BT/knl" ] || fail "$BT/knl not built (make tests)"
bench_open failover

# rvs_now: the single node whose agent says RVS and whose link is up.
rvs_now() {
	local r
	r=$(rvs_of 0)
	[ -n "$r" ] && [ "$(echo "$r" | wc -l)" = 1 ] && echo "$r"
}

# run_interval MS: TRIALS failovers at beacon interval MS; prints the ms.
run_interval() {
	local iv=$1 dead=$(($1 * 7 / 2)) t victim watcher new ms out=()
	FLEET_INTERVAL=$iv FLEET_DEAD=$dead
	fleet_init
	fleet_opsd_start 4 4
	fleet_nodes 90 70 50 30
	fwait 60 rvs_now || ffail "no single RVS"
	for t in $(seq "$TRIALS"); do
		victim=$(rvs_now) || { fwait 30 rvs_now || ffail "trial $t: no single RVS"; victim=$(rvs_now); }
		# The lowest-scored survivor (scores fall with the node number): it
		# never wins the election, and a node does not see its own beacons.
		watcher=
		for i in 4 3 2 1; do
			[ "$i" != "$victim" ] && { watcher=$i; break; }
		done
		$IP netns exec "fn$watcher" "$BT/knl" log >"$RUP_TMP/ev.$t" 2>&1 &
		local lp=$!
		wait_line "$RUP_TMP/ev.$t" monitoring || fail "knl log did not start"
		sleep 0.$((RANDOM % 10))
		t0=$(($(date +%s%N)))
		sc_kill_node "$victim"
		new=
		local end=$((t0 + 30000000000)) vid
		vid=$(node_hex "$victim")
		while [ "$(date +%s%N)" -lt $end ]; do
			# First beacon with the RVS bit (4) from another node after the kill.
			new=$(awk -v v="$vid" -v t0="$t0" '($1 == "changed" || $1 == "new") &&
				$3 != v && int($5 / 4) % 2 == 1 && $9 > t0 { print $9 - t0, $3; exit }' "$RUP_TMP/ev.$t")
			[ -n "$new" ] && break
			sleep 0.05
		done
		kill "$lp" 2>/dev/null
		wait "$lp" 2>/dev/null
		[ -n "$new" ] || { cat "$RUP_TMP/ev.$t" >&2; ffail "trial $t: no new RVS within 30 s"; }
		ms=$(awk -v ns="${new%% *}" 'BEGIN { printf "%.1f", ns / 1e6 }')
		log "interval $iv ms, trial $t: node $victim killed, new RVS ${new##* } beacons after $ms ms"
		out+=("$ms")
		sc_revive_node "$victim"
		# Back as a member that follows the new RVS before the next kill.
		fwait 60 eval '[ -n "$(nstat "$victim" .rvs)" ] && [ "$(nstat "$victim" .role)" != rvs ]' ||
			ffail "trial $t: node $victim did not rejoin"
		sleep "$(awk -v d="$dead" 'BEGIN { print d / 1000 }')"
	done
	AGENT_RSS=()
	for i in 1 2 3 4; do
		AGENT_RSS+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/${AGENT_PID[$i]}/status")")
	done
	fleet_cleanup
	$IP -all netns delete 2>/dev/null
	for b in brm br-r0; do $IP link del "$b" 2>/dev/null; done
	rm -rf "$FLEET"
	OPS_PID=
	AGENT_PID=()
	FLEET_N=0
	RES="${out[*]}"
}

for iv in 100 1000; do
	run_interval $iv
	dead=$((iv * 7 / 2))
	# Nearest rank: p50 = v[ceil(n/2)], p95 = v[ceil(0.95 n)].
	stats=$(printf '%s\n' $RES | sort -g | awk -v iv="$iv" '{ v[NR] = $1 }
		function rank(p,  i) { i = int(p * NR); if (i < p * NR) i++; return v[i < 1 ? 1 : i] }
		END { printf "n=%d median_ms=%.1f p95_ms=%.1f median_iv=%.2f p95_iv=%.2f max_ms=%.1f",
			NR, rank(0.5), rank(0.95), rank(0.5) / iv, rank(0.95) / iv, v[NR] }')
	bench_put "iv${iv}_dead_ms=$dead iv${iv}_$(echo "$stats" | sed "s/ / iv${iv}_/g")" \
		"iv${iv}_all=\"$(echo "$RES" | tr ' ' ',')\"" \
		"iv${iv}_agent_rss_kb=$(IFS=,; echo "${AGENT_RSS[*]}")"
done
echo "failover measured"
