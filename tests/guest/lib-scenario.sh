# SPDX-License-Identifier: GPL-2.0
# Whole-fleet scenarios (tests/guest/5x-*.sh) and the demo, on top of
# lib-fleet.sh: a fleet of R regions x M nodes, waits on the fleet's end
# state, the ops server's view (status, metrics), and faults (netem on a
# region's bridge, a rogue beacon sender, killing an RVS).
#
#   . "$RUP_SRC/tests/guest/lib.sh"
#   . "$RUP_SRC/tests/guest/lib-fleet.sh"
#   . "$RUP_SRC/tests/guest/lib-scenario.sh"
#   sc_fleet                    # 3 regions x 4 nodes, every region with an RVS
#   fleet_release 1.1.0; fleet_publish 1.1.0; fleet_rollout 1.1.0
#   sc_wait_tasks 60 complete   # every region's newest task final
#
# Beacons every 250 ms, dead interval 1.5 s unless FLEET_INTERVAL /
# FLEET_DEAD say otherwise: short, so a scenario runs in well under 90 s,
# yet a whole emulated guest stalled by a busy host for up to 1.2 s
# (docs/PROTOCOL.md, "Timing under load") loses no RVS: at 1 s, one such
# stall while guest 52's members installed made every region re-elect.
: "${FLEET_INTERVAL:=250}" "${FLEET_DEAD:=1500}"
# The worked example of docs/ASSIGNMENT.md: 12 nodes, 4 per region, 3 regions; every
# region gets one strong node (90, 95, 85 go to regions 2, 1, 0).
SC_SCORES="50 80 30 90 20 60 85 10 40 95 70 25"
SC_T=12
SC_M=4

# sc_fleet [SCORES...]: ops server and one node per score (default the
# worked example), then wait until every region has exactly one RVS that
# holds the region at the ops server (so a rollout is taken at once).
sc_fleet() {
	local t0
	[ $# -gt 0 ] || set -- $SC_SCORES
	t0=$(now_ms)
	fleet_init
	fleet_opsd_start "$SC_T" "$SC_M"
	log "fleet: PKI, module and ops server up after $(($(now_ms) - t0)) ms"
	sc_nodes "$@"
	log "fleet: $FLEET_N agents registered after $(($(now_ms) - t0)) ms"
	SC_REGIONS=$(printf '%s\n' "${NODE_REGION[@]}" | sort -un | tr '\n' ' ')
	sc_wait_rvs 120 || ffail "not one RVS per region: $(sc_rvs_line)"
	log "fleet of $FLEET_N nodes up in $(($(now_ms) - t0)) ms: RVS $(sc_rvs_line)"
}

# sc_nodes SCORE...: like lib-fleet's fleet_nodes, but quicker under
# emulation, where every process start is slow: the namespaces and links
# are made by one `ip -batch` (plus one per node inside its namespace), the
# nodes are registered with the ops server in the planned arrival order by
# one curl (the assignment depends on the order), then all agents start at
# once; an agent registering again keeps its region.
sc_nodes() {
	local i=0 s r plan args=() h
	plan=$(for s in "$@"; do i=$((i + 1)); echo "$(node_hex $i) $s"; done |
		"$RUP_BUILD/rup-opsd" plan --nodes "$FLEET_T" --max-per-region "$FLEET_M" \
			--pool 239.192.9.0/24) || fail "fleet: rup-opsd plan"
	i=0
	for s in "$@"; do
		i=$((i + 1))
		r=$(echo "$plan" | awk -v id="$(node_hex $i)" '$1 == id { print $2 }')
		[ -n "$r" ] || fail "fleet: no planned region for node $i"
		NODE_REGION[$i]=$r
	done
	FLEET_N=$i
	# The same names and addresses as lib.sh's ns_attach.
	for r in $(printf '%s\n' "${NODE_REGION[@]}" | sort -un); do
		echo "link add br-r$r type bridge mcast_snooping 0"
		echo "link set br-r$r up"
	done >"$RUP_TMP/topo.batch"
	for i in $(seq 1 "$FLEET_N"); do
		h=$(sc_port_of "$i")
		echo "netns add fn$i"
		echo "link add $h type veth peer name eth0 netns fn$i"
		echo "link set $h master br-r${NODE_REGION[$i]} up"
		h=v-fn$i-brm
		echo "link add $h type veth peer name eth1 netns fn$i"
		echo "link set $h master brm up"
	done >>"$RUP_TMP/topo.batch"
	$IP -batch "$RUP_TMP/topo.batch" || fail "fleet: topology ($RUP_TMP/topo.batch)"
	for i in $(seq 1 "$FLEET_N"); do
		r=${NODE_REGION[$i]}
		printf '%s\n' "link set lo up" "addr add 10.$((r + 10)).0.$i/16 dev eth0" \
			"link set eth0 up" "route add 224.0.0.0/4 dev eth0" \
			"addr add 10.99.1.$i/16 dev eth1" "link set eth1 up" |
			$IP -n "fn$i" -batch - || fail "fleet: fn$i's links"
	done
	i=0
	for s in "$@"; do
		i=$((i + 1))
		fleet_node_conf "$i" "$s"
		[ $i = 1 ] || args+=(--next)
		args+=(-s --max-time 20 --cacert "$FLEET/pki/ca.pem" -o /dev/null -w '%{http_code}\n'
			-H "Authorization: Bearer $FLEET_ENROLL" -H 'Content-Type: application/json'
			--data-binary "{\"node_id\":\"$(node_hex $i)\",\"score\":$s,\"version\":\"${FLEET_START_VERSION[$i]:-${FLEET_VERSION:-1.0.0}}\"}"
			"$OPS_URL/api/v1/register")
	done
	s=$(in_ns ops curl "${args[@]}" | tr '\n' ' ')
	[ "$s" = "$(printf '201 %.0s' $(seq 1 "$FLEET_N"))" ] ||
		fail "fleet: registration in planned order: $s"
	for i in $(seq 1 "$FLEET_N"); do
		fleet_agent_start "$i"
	done
	fleet_wait_registered 1 120
}

# sc_region_nodes R: node numbers of region R.
sc_region_nodes() {
	local i
	for ((i = 1; i <= FLEET_N; i++)); do
		[ "${NODE_REGION[$i]}" = "$1" ] && echo "$i"
	done
}

# sc_rvs_line: "r0=N r1=N ..." as the agents see it (for messages).
sc_rvs_line() {
	local r
	for r in $SC_REGIONS; do
		printf 'r%s=%s ' "$r" "$(rvs_of "$r" | tr '\n' ',')"
	done
}

# sc_one_rvs_each: every region has exactly one RVS by its agents, and the
# ops server names that node as the region's RVS.
sc_one_rvs_each() {
	local r n want= got
	# The agents' files first (no process), then one query and one jq: each
	# process start costs a third of a second in an emulated guest.
	for r in $SC_REGIONS; do
		n=$(rvs_of "$r")
		[ -n "$n" ] && [ "${n//[0-9]/}" = "" ] || return 1
		want="$want$r=$(node_hex "$n") "
	done
	got=$(ops_status | jq -j '.regions[] | "\(.region_id)=\(.rvs) "') || return 1
	for r in $want; do
		[[ " $got" == *" $r "* ]] || return 1
	done
}
sc_wait_rvs() { fwait "$1" sc_one_rvs_each; }

# sc_node_at I VERSION: node I's hook installed VERSION and its agent runs it.
sc_node_at() {
	[ "$(installed "$1")" = "$2" ] && [ "$(nstat "$1" .version)" = "$2" ]
}

# sc_all_at VERSION NODE...: every named node is at VERSION.
sc_all_at() {
	local v=$1 i
	shift
	for i in "$@"; do
		sc_node_at "$i" "$v" || return 1
	done
}

# sc_versions: "n1=1.1.0 n2=1.0.0 ..." (for messages).
sc_versions() {
	local i
	for i in $(seq 1 "$FLEET_N"); do
		printf 'n%s=%s/%s ' "$i" "$(nstat "$i" .version)" "$(installed "$i")"
	done
}

# sc_task STATUS-JSON REGION: the region's newest task state.
sc_task() {
	echo "$1" | jq -r --argjson r "$2" \
		'.regions[] | select(.region_id == $r) | .tasks | max_by(.task_id) | .state // empty'
}

# sc_task_states: "0=complete 1=distributing ..." (each region's newest
# task) from one status query and one jq.
sc_task_states() {
	ops_status | jq -j '.regions[] |
		"\(.region_id)=\(.tasks | max_by(.task_id) | .state // "") "'
}

# sc_tasks_are STATE [REGION...]: the newest task of every named region (all
# by default) is in STATE.
sc_tasks_are() {
	local want=$1 got r
	shift
	[ $# -gt 0 ] || set -- $SC_REGIONS
	got=$(sc_task_states) || return 1
	for r in "$@"; do
		[[ " $got" == *" $r=$want "* ]] || return 1
	done
}

# sc_wait_tasks SECONDS STATE [REGION...]: the test fails unless
# sc_tasks_are STATE [REGION...] within SECONDS.
sc_wait_tasks() {
	local s=$1
	shift
	fwait "$s" sc_tasks_are "$@" || ffail "tasks: $(sc_task_line), want $1"
}

# sc_task_line: "r0=complete r1=..." from the ops server.
sc_task_line() {
	local got
	got=$(sc_task_states)
	[ -n "$got" ] || return 0
	got=r${got% }
	printf '%s ' "${got// / r}"
}

# sc_member_state R NODE: the per-node state the region's RVS last reported.
sc_member_state() {
	ops_status | jq -r --argjson r "$1" --arg id "$(node_hex "$2")" \
		'.regions[] | select(.region_id == $r) | .members[] | select(.node_id == $id) | .state // empty'
}

# sc_not_upgraded VERSION NODE...: "NN:state:version" for each named node
# the ops server's status does not show at VERSION and `upgraded`; nothing
# when all are.
sc_not_upgraded() {
	local v=$1 st ids=" " i
	shift
	for i in "$@"; do
		ids+="$(node_hex "$i") "
	done
	st=$(ops_status) || { echo "(no status)"; return; }
	echo "$st" | jq -r --arg v "$v" --arg ids "$ids" '[.regions[].members[] |
		select(.node_id as $n | ($ids | contains(" " + $n + " ")) and
			(.state != "upgraded" or .version != $v)) |
		"\(.node_id[-2:]):\(.state):\(.version)"] | join(" ")' || echo "(bad status)"
}

# sc_rollout_state ID: a rollout's state at the ops server.
sc_rollout_state() {
	ops_status | jq -r --argjson id "$1" '.rollouts[] | select(.rollout_id == $id) | .state'
}

# sc_rollout_is ID STATE: rollout ID is in STATE.
sc_rollout_is() { [ "$(sc_rollout_state "$1")" = "$2" ]; }

# sc_wait_rollout SECONDS ID STATE: the test fails unless rollout ID is in
# STATE within SECONDS.
sc_wait_rollout() {
	fwait "$1" sc_rollout_is "$2" "$3" ||
		ffail "rollout $2 is $(sc_rollout_state "$2"), want $3"
}

# sc_rollout_all VERSION SECONDS TASK_SECONDS: roll VERSION out to every
# region; the test fails unless every node runs it within SECONDS, every
# task is complete within TASK_SECONDS more and the rollout is done within
# 10 s more. Sets SC_ROLLOUT (its id) and SC_ROLLOUT_MS (until every node
# ran VERSION).
sc_rollout_all() {
	local t0 i nodes=()
	for ((i = 1; i <= FLEET_N; i++)); do nodes+=("$i"); done
	t0=$(now_ms)
	SC_ROLLOUT=$(fleet_rollout "$1")
	sc_wait_at "$2" "$1" "${nodes[@]}" || ffail "not every node at $1: $(sc_versions)"
	# shellcheck disable=SC2034 # read by the tests
	SC_ROLLOUT_MS=$(($(now_ms) - t0))
	sc_wait_tasks "$3" complete
	sc_wait_rollout 10 "$SC_ROLLOUT" "done"
}

# sc_port_of I: the bridge-side end of node I's region link.
sc_port_of() {
	local p=v-fn$1-br-r${NODE_REGION[$1]}
	echo "${p:0:15}"
}

# sc_netem_region R SPEC...: netem on every port of region R's bridge, both
# directions' egress into the bridge's members (packets leaving the bridge
# towards each node), e.g. sc_netem_region 1 loss 30%.
sc_netem_region() {
	local r=$1 i
	shift
	modprobe sch_netem 2>/dev/null
	for i in $(sc_region_nodes "$r"); do
		tc qdisc add dev "$(sc_port_of "$i")" root netem "$@" ||
			fail "netem on $(sc_port_of "$i")"
	done
}

# sc_count_region_tcp: count TCP bytes each node sends from the package
# service port (8731) on its region link: an ingress u32 filter on the
# bridge-side port of every node. sc_region_bytes reads the sum.
sc_count_region_tcp() {
	local i p
	modprobe -a sch_ingress cls_u32 act_gact 2>/dev/null
	for i in $(seq 1 "$FLEET_N"); do
		p=$(sc_port_of "$i")
		tc qdisc add dev "$p" ingress || fail "ingress qdisc on $p"
		tc filter add dev "$p" parent ffff: protocol ip prio 1 u32 \
			match ip protocol 6 0xff match ip sport 8731 0xffff action ok ||
			fail "u32 filter on $p"
	done
}

# sc_region_bytes [REGION]: bytes sent by package services inside one region
# (or all), as counted by sc_count_region_tcp. One tc process for all ports.
sc_region_bytes() {
	local i sum=0 b
	for i in $(seq 1 "$FLEET_N"); do
		[ $# -eq 0 ] || [ "${NODE_REGION[$i]}" = "$1" ] || continue
		echo "filter show dev $(sc_port_of "$i") parent ffff:"
	done >"$RUP_TMP/tc.batch"
	for b in $(tc -s -b "$RUP_TMP/tc.batch" 2>/dev/null |
		sed -n 's/^[[:space:]]*Sent \([0-9]*\) bytes.*/\1/p'); do
		sum=$((sum + b))
	done
	echo "$sum"
}

# sc_metrics: the ops server's /metrics (once) into $SC_MET; sc_m NAME reads
# the first sample of NAME from it (0 when absent).
sc_metrics() { SC_MET=$(ops_curl "$OPS_URL/metrics"); }
sc_m() {
	local v
	v=$(echo "$SC_MET" | awk -v n="$1" '$1 == n { print $2; exit }')
	echo "${v:-0}"
}

# sc_downloads: payload downloads the ops server has started (rup_downloads_total).
sc_downloads() {
	sc_metrics
	sc_m rup_downloads_total
}

# sc_assert_hook_never I: node I's install hook never ran.
sc_assert_hook_never() {
	[ ! -s "$FLEET/n$1/hook.log" ] ||
		ffail "node $1's install hook ran: $(cat "$FLEET/n$1/hook.log")"
}

# sc_kill_node I: node I dies outright: its region link goes down (the
# kernel stops beaconing for it) and its agent is SIGKILLed.
sc_kill_node() {
	$IP -n "fn$1" link set eth0 down
	fleet_agent_stop "$1" KILL
}

# sc_revive_node I: link up again and a fresh agent (state kept on disk).
sc_revive_node() {
	$IP -n "fn$1" link set eth0 up
	$IP -n "fn$1" route add 224.0.0.0/4 dev eth0 2>/dev/null
	fleet_agent_start "$1"
}

# sc_wait_at SECONDS VERSION NODE...: wait until every named node is at
# VERSION, logging the fleet's versions and tasks every 10 s.
sc_wait_at() {
	local t=$1 v=$2 end
	shift 2
	end=$(($(now_ms) + t * 1000))
	while [ "$(now_ms)" -lt "$end" ]; do
		fwait 10 sc_all_at "$v" "$@" && return 0
		log "waiting for $v: $(sc_versions)| $(sc_task_line)"
	done
	return 1
}

# sc_shape NS RATE: shape what namespace NS sends on eth0 to RATE (tbf),
# e.g. an RVS's region link or the ops server's uplink.
sc_shape() {
	modprobe sch_tbf 2>/dev/null
	tc -n "$1" qdisc add dev eth0 root tbf rate "$2" burst 32kb latency 400ms ||
		fail "tbf $2 on $1"
}

# sc_terms: the regions' terms at the ops server, "0:3 1:2 2:5".
sc_terms() {
	ops_status | jq -r '[.regions[] | "\(.region_id):\(.term)"] | join(" ")'
}

# sc_term_rises BEFORE AFTER: how many elections (term steps) happened
# between two sc_terms readings, summed over regions.
sc_term_rises() {
	local a b n=0 r t
	declare -A was
	for a in $1; do was[${a%%:*}]=${a#*:}; done
	for b in $2; do
		r=${b%%:*} t=${b#*:}
		n=$((n + t - ${was[$r]:-0}))
	done
	echo "$n"
}

# sc_assert_downloads TERMS-BEFORE [WANT]: one payload download per region
# (WANT in all, default 3), plus
# at most one for each election since (an RVS elected while its region's
# task was open downloads again; under heavy emulation load kernel timers
# run late and regions can re-elect).
sc_assert_downloads() {
	local d e w=${2:-3}
	sc_metrics
	d=$(sc_m rup_downloads_total)
	e=$(sc_term_rises "$1" "$(sc_terms)")
	log "ops server: $d payload downloads, $e elections during the rollout"
	if [ "$e" = 0 ]; then
		assert_eq "$d" "$w" "payload downloads from the ops server (one per region)"
	else
		[ "$d" -ge "$w" ] && [ "$d" -le $((w + e)) ] ||
			ffail "$d payload downloads, want $w..$((w + e)) (one per region and election)"
	fi
}
