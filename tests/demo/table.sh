# SPDX-License-Identifier: GPL-2.0
# The demo's live table and summary (sourced by fleet-demo.sh, after
# lib-fleet.sh and lib-scenario.sh). Plain text, one compact block per tick:
# the output goes through a serial console, so no cursor movement.
# Uses VER, SIZE, T0 and ROLLOUT from the demo.

declare -A TABLE_NOTED

# table_secs: seconds since the rollout started, one decimal.
table_secs() {
	local ms=$(($(now_ms) - T0))
	printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# table_mb BYTES: megabytes, one decimal.
table_mb() { printf '%d.%d MB' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); }

# table_node_read I: node I's status file into TN_* (bash only: a process
# per node and tick is slow under emulation). The agent writes one key a
# line, nested objects included.
table_node_read() {
	local c="" re
	TN_VER="" TN_ROLE="" TN_UP="" TN_TASK="" TN_HOOK=""
	[ -r "$FLEET/n$1/state/status.json" ] &&
		IFS= read -r -d '' c <"$FLEET/n$1/state/status.json"
	re='"version": "([^"]*)"'
	[[ $c =~ $re ]] && TN_VER=${BASH_REMATCH[1]}
	re='"role": "([^"]*)"'
	[[ $c =~ $re ]] && TN_ROLE=${BASH_REMATCH[1]}
	re='"upgrade": \{[^}]*"phase": "([^"]*)"'
	[[ $c =~ $re ]] && TN_UP=${BASH_REMATCH[1]}
	re='"task": \{[^}]*"phase": "([^"]*)"'
	[[ $c =~ $re ]] && TN_TASK=${BASH_REMATCH[1]}
	re='"hook_failed": true'
	[[ $c =~ $re ]] && TN_HOOK=1
	return 0
}

# table_part I: percent of the package in node I's store (partial download).
table_part() {
	local f=$FLEET/n$1/store/$VER.part s
	[ -e "$f" ] || { echo 0; return; }
	s=$(command stat -c %s "$f" 2>/dev/null || echo 0)
	echo $((s * 100 / SIZE))
}

# table_cell I: TC_CELL = "n7* 1.0.0 serving", what node I is doing (into a
# variable, not printed: a subshell per cell costs too much under emulation).
table_cell() {
	local i=$1 mark=" " what
	table_node_read "$i"
	[ "$TN_ROLE" = rvs ] && mark="*"
	if [ -z "${AGENT_PID[$i]:-}" ]; then
		mark="x"
		what=DOWN
	elif [ "$TN_HOOK" = 1 ]; then
		what="hook FAILED"
	elif [ "$TN_VER" = "$VER" ]; then
		what=upgraded
	elif [ "$TN_TASK" = downloading ]; then
		what="download $(table_part "$i")%"
	elif [ "$TN_TASK" = distributing ]; then
		what=serving
	elif [ "$TN_TASK" = installing_self ] || [ "$TN_UP" = installing ]; then
		what=installing
	elif [ "$TN_UP" = payload ]; then
		what="fetch $(table_part "$i")%"
	elif [ -n "$TN_UP" ]; then
		what="fetch ($TN_UP)"
	else
		what=waiting
	fi
	printf -v TC_CELL '%-4s %-6s %-13s' "n$i$mark" "${TN_VER:-?}" "$what"
}

# table_metric NAME: a sample from $SC_MET, parsed in bash.
table_metric() {
	local l v=0
	while IFS= read -r l; do
		[[ $l == "$1 "* ]] && { v=${l#* }; break; }
	done <<<"$SC_MET"
	echo "${v%%.*}"
}

# table_tick: one block: the header line, then a line per region. Few
# processes: one status and one metrics request, one jq, one tc.
table_tick() {
	local r rvs term task line i rstate lines
	lines=$(ops_status 2>/dev/null | jq -r --argjson id "$ROLLOUT" '
		([.rollouts[]? | select(.rollout_id == $id) | .state] | .[0] // "-"),
		(.regions[]? | "\(.region_id) \(.rvs // "-") \(.term) \(.tasks | max_by(.task_id) | .state // "-")")')
	SC_MET=$(ops_curl "$OPS_URL/metrics" 2>/dev/null)
	TB_SERVER=$(table_metric rup_bytes_served_total)
	TB_REGION=$(sc_region_bytes)
	{
		read -r rstate
		printf -- '-- t=%5ss  rollout %s %-8s  ops server: %s downloads, %s  |  inside regions: %s\n' \
			"$(table_secs)" "$ROLLOUT" "$rstate" "$(table_metric rup_downloads_total)" \
			"$(table_mb "$TB_SERVER")" "$(table_mb "$TB_REGION")"
		while read -r r rvs term task; do
			i=""
			[[ $rvs =~ ^[0-9a-f]{32}$ ]] && i=n$((16#${rvs: -8}))
			printf -v line ' region %s  RVS %-4s term %-3s task %-13s|' "$r" "$i" "$term" "$task"
			for i in $(sc_region_nodes "$r"); do
				table_cell "$i"
				line+=" $TC_CELL|"
			done
			echo "$line"
		done
	} <<<"$lines"
}

# table_region_fetching R: a member of region R is part-way into the payload.
table_region_fetching() {
	local i
	for i in $(sc_region_nodes "$1"); do
		table_node_read "$i"
		[ "$TN_ROLE" = rvs ] && continue
		[ "$TN_UP" = payload ] && [ "$(table_part "$i")" -gt 0 ] && return 0
	done
	return 1
}

# table_region_done_but R I J: every node of region R but I and J is at VER.
table_region_done_but() {
	local i
	for i in $(sc_region_nodes "$1"); do
		[ "$i" = "$2" ] || [ "$i" = "$3" ] || sc_node_at "$i" "$VER" || return 1
	done
}

# table_note KEY TEXT...: print TEXT once per KEY.
table_note() {
	[ -z "${TABLE_NOTED[$1]:-}" ] || return 0
	TABLE_NOTED[$1]=1
	shift
	printf '\n== %s\n' "$*"
}

# table_summary OK: how long it took and what it cost the ops server.
table_summary() {
	local ms=$(($(now_ms) - T0)) i n=0 direct=$((FLEET_N * SIZE))
	for i in $(seq 1 "$FLEET_N"); do
		sc_node_at "$i" "$VER" && n=$((n + 1))
	done
	sc_metrics
	TB_SERVER=$(sc_m rup_bytes_served_total)
	TB_REGION=$(sc_region_bytes)
	printf '\n== summary\n'
	printf '  nodes upgraded:        %d of %d to %s\n' "$n" "$FLEET_N" "$VER"
	printf '  rollout time:          %d.%d s (rollout start to the last region complete)\n' \
		$((ms / 1000)) $((ms % 1000 / 100))
	printf '  ops server egress:     %s in %s downloads (one per region, one more per RVS re-elected mid-download)\n' \
		"$(table_mb "$TB_SERVER")" "$(sc_m rup_downloads_total)"
	printf '  direct download cost:  %s (%d nodes x %s from the server)\n' \
		"$(table_mb "$direct")" "$FLEET_N" "$(table_mb "$SIZE")"
	printf '  served inside regions: %s (RVS to members, measured on the region links)\n' \
		"$(table_mb "$TB_REGION")"
	[ "$direct" -gt 0 ] && printf '  server load saved:     %d %%\n' $(((direct - TB_SERVER) * 100 / direct))
	printf '  task states:           %s\n' "$(sc_task_line)"
	if [ "$1" = 1 ]; then
		printf '== DEMO PASSED: every node runs %s\n' "$VER"
	else
		printf '== DEMO FAILED: %d of %d nodes at %s: %s\n' "$n" "$FLEET_N" "$VER" "$(sc_versions)"
	fi
}
