# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Fleet rollout against direct download (issue 7, item 1), sourced by
# bench/guest/fleet-RxM.sh after setting R (regions) and M (nodes each).
# A fleet of R x M node agents (tests/guest/lib-fleet.sh); the ops server's
# link is shaped to 100 Mbit/s with tc tbf; a release of P MiB.
#  1. Baseline: every node downloads the payload straight from the ops
#     server, all at once (curl from each node namespace, HTTPS, verified by
#     SHA-256 as a node would), with the server's download budget raised so
#     nobody waits on a 429. Completion: the last node's hash checked.
#  2. rup: a rollout of the same release to every region. Completion: the
#     last node's install hook ran (the agent verified hash, size and
#     signature first).
# Ops-server egress is the tx byte counter of its interface across each run.
. "$RUP_SRC/bench/guest/lib-bench.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"
. "$RUP_SRC/tests/guest/lib-scenario.sh"
P=${P:-4}
N=$((R * M))
FLEET_INTERVAL=200 FLEET_DEAD=700
FLEET_BUDGET=$((N + 8)) FLEET_FALLBACK=3600 FLEET_DEADLINE=600
bench_open "fleet-${R}x${M}"

# bench_fleet_nodes SCORE...: lib-fleet's fleet_nodes, faster for many
# regions: every node is registered through the API in the planned order
# first (one request each), then all agents start at once; registering
# again keeps a node's region, so each lands where the plan put it.
bench_fleet_nodes() {
	local i=0 s plan r got
	plan=$(for s in "$@"; do i=$((i + 1)); echo "$(node_hex $i) $s"; done |
		"$RUP_BUILD/rup-opsd" plan --nodes "$FLEET_T" --max-per-region "$FLEET_M" \
			--pool 239.192.9.0/24) || fail "fleet: rup-opsd plan"
	i=0
	for s in "$@"; do
		i=$((i + 1))
		r=$(echo "$plan" | awk -v id="$(node_hex $i)" '$1 == id { print $2 }')
		NODE_REGION[i]=$r
		$IP link show "br-r$r" >/dev/null 2>&1 || bridge_add "br-r$r"
		ns_add "fn$i"
		ns_attach "fn$i" "br-r$r" "10.$((r + 10)).0.$i/16" eth0
		ns_attach "fn$i" brm "10.99.1.$i/16" eth1
		fleet_node_conf "$i" "$s"
		got=$(ops_curl -H "Authorization: Bearer $FLEET_ENROLL" -H 'Content-Type: application/json' \
			--data-binary "{\"node_id\":\"$(node_hex $i)\",\"score\":$s,\"version\":\"1.0.0\"}" \
			"$OPS_URL/api/v1/register" | jq -r .region_id)
		assert_eq "$got" "$r" "node $i: region at registration"
	done
	FLEET_N=$i
	log "$FLEET_N nodes registered in plan order; starting their agents"
	for i in $(seq "$FLEET_N"); do fleet_agent_start "$i"; done
	for i in $(seq "$FLEET_N"); do
		fwait 300 registered "$i" || ffail "node $i did not register"
		[ "$(nstat "$i" .region)" = "${NODE_REGION[$i]}" ] ||
			ffail "node $i: region $(nstat "$i" .region), planned ${NODE_REGION[$i]}"
	done
}

ops_tx() { $IP -n ops -s -j link show eth0 | jq '.[0].stats64.tx.bytes'; }
ms_now() { echo $(($(date +%s%N) / 1000000)); }

t0=$(ms_now)
fleet_init
fleet_opsd_start "$N" "$M"
scores=()
for i in $(seq "$N"); do scores+=($(((i * 37) % 97 + 1))); done
bench_fleet_nodes "${scores[@]}"
SC_REGIONS=$(printf '%s\n' "${NODE_REGION[@]}" | sort -un | tr '\n' ' ')
assert_eq "$(echo "$SC_REGIONS" | wc -w)" "$R" "regions"
sc_wait_rvs 120 || ffail "not one RVS per region: $(sc_rvs_line)"
log "fleet of $N nodes up in $(($(ms_now) - t0)) ms"
modprobe sch_tbf 2>/dev/null
tc -n ops qdisc add dev eth0 root tbf rate 100mbit burst 64kb latency 400ms ||
	fail "tc tbf on the ops server's link"
size=$((P * 1048576))
fleet_release 2.0.0 $size
fleet_publish 2.0.0
sum=$(sha256sum "$FLEET/rel/2.0.0/payload" | cut -d' ' -f1)

# 1. Direct download, every node at once.
tx0=$(ops_tx)
start=$(ms_now)
pids=()
for i in $(seq "$N"); do
	(
		h=$(in_ns "fn$i" curl -sf --max-time 600 --cacert "$FLEET/pki/ca.pem" \
			-H "Authorization: Bearer $FLEET_ADMIN" "$OPS_URL/api/v1/releases/2.0.0/payload" |
			sha256sum | cut -d' ' -f1)
		[ "$h" = "$sum" ] || { echo "node $i: direct download hash $h" >&2; exit 1; }
		echo $(($(date +%s%N) / 1000000)) >"$FLEET/n$i/direct.done"
	) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "direct download failed"; done
d_ms=$(($(cat "$FLEET"/n*/direct.done | sort -n | tail -n 1) - start))
d_bytes=$(($(ops_tx) - tx0))
log "direct: $N downloads of $size bytes in $d_ms ms, ops egress $d_bytes bytes"

# 2. rup rollout.
tx0=$(ops_tx)
start=$(ms_now)
fleet_rollout 2.0.0 >/dev/null
all=$(seq 1 "$N")
# shellcheck disable=SC2086 # node numbers
fwait 900 sc_all_at 2.0.0 $all || ffail "not every node at 2.0.0: $(sc_versions)"
last=0
for i in $all; do
	t=$(tail -n 1 "$FLEET/n$i/hook.log" | awk '{ printf "%d", $1 * 1000 }')
	[ "$t" -gt "$last" ] && last=$t
done
r_ms=$((last - start))
fwait 60 sc_tasks_are complete || log "tasks not all complete: $(sc_task_line)"
r_bytes=$(($(ops_tx) - tx0))
sc_metrics
log "rup: every node at 2.0.0 after $r_ms ms, ops egress $r_bytes bytes," \
	"server downloads $(sc_m rup_downloads_total)"

# Agent RSS after the rollout: RVS and members.
rss=()
for i in $all; do
	rss+=("$(awk '/^VmRSS:/ { print $2 }' "/proc/${AGENT_PID[$i]}/status")")
done
bench_put "R=$R M=$M nodes=$N package_bytes=$size link=100mbit" \
	"direct_ms=$d_ms direct_egress=$d_bytes rup_ms=$r_ms rup_egress=$r_bytes" \
	"rup_server_downloads=$(sc_m rup_downloads_total)" \
	"agent_rss_kb_median=$(median "${rss[@]}") agent_rss_kb_max=$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)" \
	"opsd_rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$OPS_PID/status")"
echo "fleet ${R}x${M} measured"
