#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 900
# Failover (issue 7, item 2): one region of 6 node agents; TRIALS times the
# RVS dies outright (its region link goes down and its agent is SIGKILLed,
# as sc_kill_node does) and the time to the new RVS's first beacon is taken:
# from the death (see run_interval) to the sequence (the sender's wall clock
# at send) of the first beacon with the RVS role from another node, as a
# surviving member's kernel reports it (knl log, a genl listener of the
# events group). The dead come back as members after every third kill. At
# beacon intervals 100 ms and 1000 ms (dead interval 3.5 intervals, the ops
# server's default).
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

# first_rvs FILE SKIP VICTIM-ID T0: from a knl log past its first SKIP lines,
# "NS ID": the sequence (the sender's clock at send, ns) and id of the first
# beacon after T0 with the RVS role bit (4) from another node than VICTIM-ID.
# Bash only: a process per poll would take CPU from the agents measured.
first_rvs() {
	local ev n id r role x term y seq k=0
	while read -r ev n id r role x term y seq _; do
		k=$((k + 1))
		[ $k -gt "$2" ] || continue
		[ "$ev" = changed ] || [ "$ev" = new ] || continue
		[ "$id" != "$3" ] && [ $(((role / 4) % 2)) = 1 ] && [ "${seq:-0}" -gt "$4" ] || continue
		echo "$seq $id"
		return 0
	done <"$1"
	return 1
}

# last_beacon FILE SKIP VICTIM-ID: the sequence the watcher's kernel last had
# from the victim, from the "gone" event its expiry raised.
last_beacon() {
	local ev n id r role x term y seq k=0
	while read -r ev n id r role x term y seq _; do
		k=$((k + 1))
		[ $k -gt "$2" ] || continue
		[ "$ev" = gone ] && [ "$id" = "$3" ] && { echo "$seq"; return 0; }
	done <"$1"
	return 1
}

# lines FILE: its number of lines (bash only).
lines() {
	local k=0
	while read -r _; do k=$((k + 1)); done <"$1"
	echo $k
}

# operstate PORT STATE: the link is in STATE (up, down, lowerlayerdown).
operstate() {
	local st
	read -r st <"/sys/class/net/$1/operstate" && [ "$st" = "$2" ]
}

ns_now() { echo "${EPOCHREALTIME/./}000"; }

# link_set I up|down: node I's region link, at the bridge's end, through the
# `ip -batch` reading fd 7 (no process start in between); returns once the
# kernel shows it.
link_set() {
	local p
	p=$(sc_port_of "$1")
	echo "link set $p $2" >&7
	fwait 10 operstate "$p" "$2" || fail "$p did not go $2"
}

# run_interval MS: TRIALS failovers at beacon interval MS, in a region of 6
# nodes. Up to 3 RVSs die in a row (each trial kills the RVS of the moment),
# then the dead come back together as members: a revival costs an agent
# start, a registration and a dead interval of listening under emulation.
# The watcher is node 6, the lowest score, which never becomes RVS while
# 3 better nodes live; its knl log runs for the whole interval.
# The death is taken as the later of the kill (the link-down command
# written) and the victim's last beacon the watcher had (its sequence, from
# the "gone" event): the node was alive at both, so the figure can only be
# longer than the truth, by less than one interval.
run_interval() {
	local iv=$1 dead=$(($1 * 7 / 2)) t victim new ms last ref lp ip end vid skip f tstart
	local out=() fromcmd=() tries=0 fifo=$RUP_TMP/down.fifo ev=$RUP_TMP/ev.$1 dead_nodes=()
	FLEET_INTERVAL=$iv FLEET_DEAD=$dead
	fleet_init
	fleet_opsd_start 6 6
	fleet_nodes 90 75 60 45 30 15
	fwait 60 rvs_now || ffail "no single RVS"
	rm -f "$fifo"
	mkfifo "$fifo"
	# Read-write open: neither side blocks; ip reads each command as it is
	# written and ends when fd 7 closes (nobody else holds it).
	exec 7<>"$fifo"
	$IP -batch "$fifo" 7>&- &
	ip=$!
	$IP netns exec fn6 "$BT/knl" log >"$ev" 2>&1 7>&- &
	lp=$!
	wait_line "$ev" monitoring || fail "knl log did not start"
	t=0
	while [ "$t" -lt "$TRIALS" ]; do
		t=$((t + 1))
		tstart=${EPOCHREALTIME/./}
		fwait 30 rvs_now || ffail "trial $t: no single RVS"
		victim=$(rvs_now)
		[ "$victim" != 6 ] || ffail "trial $t: the watcher is the RVS"
		sleep 0.$((RANDOM % 10))
		# Under emulation a beacon can stall past a short dead interval and the
		# region re-elects on its own: kill only the node that is RVS now.
		if [ "$(rvs_now)" != "$victim" ]; then
			tries=$((tries + 1))
			[ "$tries" -le "$TRIALS" ] || ffail "the RVS kept changing on its own"
			log "interval $iv ms, trial $t: node $victim no longer the RVS; again"
			t=$((t - 1))
			continue
		fi
		skip=$(lines "$ev")
		# Link down first, then the agent (as sc_kill_node): a killed agent
		# whose link is still up gets a last beacon out (the kernel drops its
		# binding), which would announce the death instead of it being detected.
		t0=$(ns_now)
		link_set "$victim" down
		fleet_agent_stop "$victim" KILL
		dead_nodes+=("$victim")
		vid=$(node_hex "$victim")
		end=$((${EPOCHREALTIME/./} + 30000000))
		until new=$(first_rvs "$ev" "$skip" "$vid" "$t0"); do
			[ "${EPOCHREALTIME/./}" -lt "$end" ] || break
			sleep 0.1
		done
		[ -n "$new" ] || { cat "$ev" >&2; ffail "trial $t: no new RVS within 30 s"; }
		fwait 1 last_beacon "$ev" "$skip" "$vid"
		last=$(last_beacon "$ev" "$skip" "$vid") || last=0
		ref=$t0
		[ "$last" -gt "$ref" ] && ref=$last
		ms=$(awk -v ns="$((${new%% *} - ref))" 'BEGIN { printf "%.1f", ns / 1e6 }')
		f=$(awk -v ns="$((${new%% *} - t0))" 'BEGIN { printf "%.1f", ns / 1e6 }')
		log "interval $iv ms, trial $t: node $victim killed, new RVS ${new##* } beacons after $ms ms" \
			"($f ms after the kill command; trial started $(((t0 / 1000 - tstart) / 1000)) ms before it)"
		out+=("$ms")
		fromcmd+=("$f")
		if [ ${#dead_nodes[@]} -ge 3 ] || [ "$t" -ge "$TRIALS" ]; then
			for victim in "${dead_nodes[@]}"; do
				link_set "$victim" up
				sc_revive_node "$victim" 7>&-
			done
			# Back as members that follow the RVS before the next kill.
			for victim in "${dead_nodes[@]}"; do
				fwait 60 eval '[ -n "$(nstat "$victim" .rvs)" ] && [ "$(nstat "$victim" .role)" != rvs ]' ||
					ffail "trial $t: node $victim did not rejoin"
			done
			dead_nodes=()
		fi
		# One dead interval for the region to settle.
		sleep "$(awk -v d="$dead" 'BEGIN { print d / 1000 }')"
	done
	exec 7>&-
	kill "$ip" "$lp" 2>/dev/null
	wait "$ip" 2>/dev/null
	wait "$lp" 2>/dev/null
	RETRIES=$tries
	AGENT_RSS=()
	for i in 1 2 3 4 5 6; do
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
	FROMCMD="${fromcmd[*]}"
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
		"iv${iv}_fromcmd_median_ms=$(median $FROMCMD) iv${iv}_retries=$RETRIES" \
		"iv${iv}_agent_rss_kb=$(IFS=,; echo "${AGENT_RSS[*]}")"
done
echo "failover measured"
