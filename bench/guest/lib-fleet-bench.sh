# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Fleet rollout against direct download (issue 7, item 1), sourced by
# bench/guest/fleet.sh after setting R (regions), M (nodes each) and STEPS
# (region counts, ascending, the last one R).
# One fleet of R x M node agents (tests/guest/lib-fleet.sh, brought up at
# once with lib-scenario.sh's sc_nodes: bringing up a fleet is the slow part
# under emulation, so it is done once); the ops server's link is shaped to
# 100 Mbit/s with tc tbf. For each step S, the first S regions (S x M nodes)
# get a new release of P MiB, both ways, one after the other:
#  1. Baseline: every one of those nodes downloads the payload straight from
#     the ops server, all at once (curl from each node namespace, HTTPS,
#     resuming with a Range request when the server drops the connection, as
#     a node would; SHA-256 checked), with the server's download budget
#     raised so nobody waits on a 429. Completion: the last node's hash
#     checked.
#  2. rup: a rollout of the release to those regions. Completion: the last
#     node's install hook ran (the agent verified hash, size and signature
#     first).
# Ops-server egress is the tx byte counter of its interface across each run.
# Figures: $BENCH_OUT/fleet-<S>x<M>.txt, written as each step ends.
. "$RUP_SRC/bench/guest/lib-bench.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"
P=${P:-2}
N=$((R * M))
# The ops server's default beacon interval and dead interval (1 s, 3.5 s):
# shorter ones make 64 agents' beacons a load of their own on 2 emulated
# CPUs. A package of 2 MiB keeps the direct baseline (TLS in the emulated
# guest) inside make bench's 30 minutes.
FLEET_INTERVAL=1000 FLEET_DEAD=3500
FLEET_BUDGET=$((N + 8)) FLEET_FALLBACK=3600 FLEET_DEADLINE=600
size=$((P * 1048576))

ops_tx() { $IP -n ops -s -j link show eth0 | jq '.[0].stats64.tx.bytes'; }

# direct_fetch I VERSION SUM: node I fetches the payload from the ops server
# (resuming after a dropped connection), checks it, and writes the time it
# was done to $FLEET/n$I/direct.done and its retries to direct.retries.
direct_fetch() {
	local i=$1 f=$FLEET/n$1/direct.pkg n=0 h
	: >"$f"
	while [ "$(wc -c <"$f")" -lt "$size" ]; do
		n=$((n + 1))
		[ $n -le 30 ] || { echo "node $i: direct download: $n attempts" >&2; return 1; }
		[ $n = 1 ] || sleep 1
		in_ns "fn$i" curl -sf --max-time 600 -C - -o "$f" --cacert "$FLEET/pki/ca.pem" \
			-H "Authorization: Bearer $FLEET_ADMIN" "$OPS_URL/api/v1/releases/$2/payload"
	done
	h=$(sha256sum "$f" | cut -d' ' -f1)
	rm -f "$f"
	[ "$h" = "$3" ] || { echo "node $i: direct download hash $h" >&2; return 1; }
	echo $((n - 1)) >"$FLEET/n$i/direct.retries"
	now_ms >"$FLEET/n$i/direct.done"
}

# step S VERSION: the comparison on the first S regions.
step() {
	local s=$1 v=$2 regions nodes=() i r n sum tx0 start pids p d_ms d_bytes
	local terms0 last t r_ms r_bytes elections dl0 rss retries json
	regions=$(echo "$SC_REGIONS" | tr ' ' '\n' | sed '/^$/d' | head -n "$s" | tr '\n' ' ')
	for r in $regions; do
		nodes+=($(sc_region_nodes "$r"))
	done
	n=${#nodes[@]}
	log "step: regions $regions($n nodes), release $v"
	fleet_release "$v" $size
	fleet_publish "$v"
	sum=$(sha256sum "$FLEET/rel/$v/payload" | cut -d' ' -f1)

	# 1. Direct download, every node at once.
	tx0=$(ops_tx)
	start=$(now_ms)
	pids=()
	for i in "${nodes[@]}"; do
		direct_fetch "$i" "$v" "$sum" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fail "direct download failed"; done
	d_ms=$(($(for i in "${nodes[@]}"; do cat "$FLEET/n$i/direct.done"; done | sort -n | tail -n 1) - start))
	d_bytes=$(($(ops_tx) - tx0))
	retries=$(for i in "${nodes[@]}"; do cat "$FLEET/n$i/direct.retries"; done | awk '{ s += $1 } END { print s + 0 }')
	log "direct: $n downloads of $size bytes in $d_ms ms, ops egress $d_bytes bytes, $retries resumed"

	# 2. rup rollout.
	sc_wait_rvs 60 || log "not one RVS per region before the rollout: $(sc_rvs_line)"
	terms0=$(sc_terms)
	sc_metrics
	dl0=$(sc_m rup_downloads_total)
	json=[$(echo "$regions" | sed 's/ *$//; s/ /,/g')]
	tx0=$(ops_tx)
	start=$(now_ms)
	ops_admin POST /api/v1/rollouts "{\"version\":\"$v\",\"regions\":$json}" |
		jq -e .rollout_id >/dev/null || fail "rollout $v to $json"
	fwait 900 sc_all_at "$v" "${nodes[@]}" || ffail "not every node at $v: $(sc_versions)"
	last=0
	for i in "${nodes[@]}"; do
		t=$(awk -v v="$v" '$3 == v { t = $1 } END { printf "%.0f", t * 1000 }' "$FLEET/n$i/hook.log")
		[ "$t" -gt "$last" ] && last=$t
	done
	r_ms=$((last - start))
	# shellcheck disable=SC2086 # region numbers
	fwait 60 sc_tasks_are complete $regions || log "tasks not all complete: $(sc_task_line)"
	r_bytes=$(($(ops_tx) - tx0))
	elections=$(sc_term_rises "$terms0" "$(sc_terms)")
	sc_metrics
	log "rup: $n nodes at $v after $r_ms ms, ops egress $r_bytes bytes," \
		"server downloads $(($(sc_m rup_downloads_total) - dl0)), elections $elections"

	# The agents' and the ops server's logs, for a step that needs explaining.
	mkdir -p "$BENCH_OUT/logs/fleet-${s}x${M}"
	for i in "${nodes[@]}"; do
		cp "$FLEET/n$i/agent.log" "$BENCH_OUT/logs/fleet-${s}x${M}/n$i.log"
	done
	cp "$FLEET/ops.log" "$BENCH_OUT/logs/fleet-${s}x${M}/ops.log"

	# Agent RSS after the rollout: RVS and members.
	rss=()
	for i in "${nodes[@]}"; do
		rss+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/${AGENT_PID[$i]}/status")")
	done
	bench_open "fleet-${s}x${M}"
	bench_put "R=$s M=$M nodes=$n package_bytes=$size link=100mbit fleet_nodes=$N fleet_regions=$R" \
		"direct_ms=$d_ms direct_egress=$d_bytes direct_resumed=$retries" \
		"direct_mbit=$(awk -v b="$d_bytes" -v ms="$d_ms" 'BEGIN { printf "%.1f", b * 8 / ms / 1000 }')" \
		"rup_ms=$r_ms rup_egress=$r_bytes" \
		"rup_server_downloads=$(($(sc_m rup_downloads_total) - dl0)) rup_elections=$elections" \
		"agents_registered_ms=$up_ms fleet_up_ms=$fleet_ms" \
		"agent_rss_kb_median=$(median "${rss[@]}") agent_rss_kb_max=$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)" \
		"opsd_rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$OPS_PID/status")"
}

t0=$(now_ms)
fleet_init
fleet_opsd_start "$N" "$M"
scores=()
for i in $(seq "$N"); do scores+=($(((i * 37) % 97 + 1))); done
# lib-scenario's sc_nodes: the topology in one ip -batch, every node
# registered in the planned order by one curl, then all agents at once.
sc_nodes "${scores[@]}"
up_ms=$(($(now_ms) - t0))
log "$N agents registered after $up_ms ms"
SC_REGIONS=$(printf '%s\n' "${NODE_REGION[@]}" | sort -un | tr '\n' ' ')
assert_eq "$(echo "$SC_REGIONS" | wc -w)" "$R" "regions"
sc_wait_rvs 180 || ffail "not one RVS per region: $(sc_rvs_line)"
fleet_ms=$(($(now_ms) - t0))
log "fleet of $N nodes up in $fleet_ms ms: RVS $(sc_rvs_line)"
modprobe sch_tbf 2>/dev/null
tc -n ops qdisc add dev eth0 root tbf rate 100mbit burst 64kb latency 400ms ||
	fail "tc tbf on the ops server's link"
k=2
for s in $STEPS; do
	step "$s" "$k.0.0"
	k=$((k + 1))
done
echo "fleet ${R}x${M} measured (steps: $STEPS regions)"
