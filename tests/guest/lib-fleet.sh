# SPDX-License-Identifier: GPL-2.0
# Fleet topology for guest tests and the demo: one ops-server namespace,
# R regions (a bridge each) of node namespaces, every node running
# `rupctl agent` with its own config, state and store under $FLEET, and an
# install hook that records the installed version in a file.
#
#   . "$RUP_SRC/tests/guest/lib.sh"; . "$RUP_SRC/tests/guest/lib-fleet.sh"
#   fleet_init                      # PKI, release keys, module, mgmt bridge
#   fleet_opsd_start T M            # rup-opsd in namespace "ops"
#   fleet_nodes S1 S2 ...           # one node per fixed score, placed by
#                                   # `rup-opsd plan`, agents started in order
#   fleet_release 2.0.0; fleet_publish 2.0.0; fleet_rollout 2.0.0
#
# Node i (1-based) lives in namespace fn$i, files in $FLEET/n$i: rupctl.conf,
# agent.log, state/ (status.json, state.json), store/, installed (the hook's
# record), hook.log; create $FLEET/n$i/hook.fail to make its hook fail.
# Addresses: ops 10.99.0.1 on bridge brm (management); node i has eth0 on
# its region's bridge br-r<R> (10.<R+10>.0.i) and eth1 on brm (10.99.1.i).
# Knobs (env, before fleet_opsd_start): FLEET_INTERVAL (ms, 200),
# FLEET_DEAD (ms, 2000: generous, emulated guests stall), FLEET_BUDGET (server downloads, 8),
# FLEET_FALLBACK (s, 30), FLEET_DEADLINE (s, 60; the region's budget, and
# the install hook's 20 s, stretched by the timeout factor on the debug
# kernel, where a region took over 60 s to converge), FLEET_VERSION (1.0.0),
# FLEET_START_VERSION[I] (node I's version instead of FLEET_VERSION: a
# region already upgraded, nodes outside a release's range),
# FLEET_PERIOD (election period, s, 86400), FLEET_LOG (agent log level).
. "$RUP_SRC/tests/lib-pki.sh"
FLEET=$RUP_TMP/fleet
OPS_IP=10.99.0.1
OPS_URL=https://$OPS_IP:8443
FLEET_ENROLL=fleet-enroll-0123456789abcdef
FLEET_ADMIN=fleet-admin-0123456789abcdef
OPS_PID=
declare -a FLEET_START_VERSION
declare -a AGENT_PID
declare -a NODE_REGION
FLEET_N=0

# reap PID...: wait up to 5 s for each to exit after a TERM, then KILL it.
reap() {
	local p n
	for p in "$@"; do
		for n in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			nap 0.1
		done
		if kill -0 "$p" 2>/dev/null; then
			echo "# pid $p ignored TERM for 5 s: killing it" >&2
			kill -9 "$p" 2>/dev/null
		fi
		wait "$p" 2>/dev/null
	done
}

fleet_cleanup() {
	local i p pids=
	for p in ${MONITORS:-}; do
		kill "$p" 2>/dev/null
		pids="$pids $p"
	done
	for i in "${!AGENT_PID[@]}"; do
		[ -n "${AGENT_PID[$i]}" ] || continue
		kill "${AGENT_PID[$i]}" 2>/dev/null
		pids="$pids ${AGENT_PID[$i]}"
	done
	if [ -n "$OPS_PID" ]; then
		kill "$OPS_PID" 2>/dev/null
		pids="$pids $OPS_PID"
	fi
	# shellcheck disable=SC2086
	reap $pids
	return 0
}
trap fleet_cleanup EXIT

# fleet_dump: the logs a failing test wants to show.
fleet_dump() {
	local i
	for i in $(seq 1 "$FLEET_N"); do
		echo "--- n$i agent.log (tail)"
		tail -n 25 "$FLEET/n$i/agent.log" 2>/dev/null
		timeout 5 $IP netns exec "fn$i" "$RUP_BUILD/rupctl" stats 2>&1 | grep -v ' 0$' | tr -s ' ' | tr '\n' ' '
		echo
	done
	echo "--- ops.log (tail)"
	tail -n 25 "$FLEET/ops.log" 2>/dev/null
}
# Every failure (assert_eq too) shows the fleet's logs.
on_fail fleet_dump
ffail() { fail "$@"; }

# Keys and certificates are fixtures: made once per guest boot (seven
# openssl runs cost seconds under emulation) and copied into each fleet.
FLEET_FIXTURES=/tmp/rup-fleet-fixtures
fleet_fixtures() {
	local d=$FLEET_FIXTURES.$$
	[ -d "$FLEET_FIXTURES" ] && return 0
	mkdir -p "$d/keys" "$d/opsd-keys"
	pki_make "$d/pki" "$OPS_IP" || fail "fleet: CA and server certificate"
	# The trusted release key, and one nobody trusts (for bad-signature tests).
	# The ops server accepts both (it holds no trust decision of the nodes'),
	# so a release signed with the untrusted key reaches the agents.
	release_key_make "$d/release.key" "$d/keys/release.pub" &&
		cp "$d/keys/release.pub" "$d/opsd-keys/" &&
		release_key_make "$d/untrusted.key" "$d/opsd-keys/untrusted.pub" ||
		fail "fleet: release keys"
	mv "$d" "$FLEET_FIXTURES"
}

fleet_init() {
	mkdir -p "$FLEET/rel"
	modprobe -a bridge veth 2>/dev/null
	lsmod | grep -q '^rup ' || rup_load
	fleet_fixtures
	cp -a "$FLEET_FIXTURES/." "$FLEET/" || fail "fleet: copy fixtures"
	bridge_add brm
	ns_add ops
	ns_attach ops brm "$OPS_IP/16"
}

# ops CURL-ARGS...: curl from inside the ops namespace, CA verified.
# nsenter, not `ip netns exec`: no mount namespace and /sys remount per call,
# which cost a good part of a second under emulation (fleet tests poll).
ops_curl() {
	nsenter --net=/run/netns/ops curl -s --max-time 20 --cacert "$FLEET/pki/ca.pem" "$@"
}
# ops_admin METHOD PATH [JSON]: admin API; body on stdout.
ops_admin() {
	if [ $# -ge 3 ]; then
		ops_curl -X "$1" -H "Authorization: Bearer $FLEET_ADMIN" \
			-H 'Content-Type: application/json' --data-binary "$3" "$OPS_URL$2"
	else
		ops_curl -X "$1" -H "Authorization: Bearer $FLEET_ADMIN" "$OPS_URL$2"
	fi
}
ops_status() { ops_admin GET /api/v1/status; }
# ops_metric NAME: a value from /metrics (first sample of NAME).
ops_metric() {
	ops_curl "$OPS_URL/metrics" | awk -v n="$1" '$1 == n { print $2; exit }'
}

# fleet_opsd_start T M: rup-opsd for T planned nodes, M per region.
fleet_opsd_start() {
	local t=$1 m=$2
	FLEET_T=$t
	FLEET_M=$m
	[ -f "$FLEET/opsd.conf" ] || cat >"$FLEET/opsd.conf" <<EOC
[fleet]
nodes = $t
max_per_region = $m
pool = 239.192.9.0/24
port = 7946
interval_ms = ${FLEET_INTERVAL:-200}
dead_ms = ${FLEET_DEAD:-2000}
[server]
listen = $OPS_IP
port = 8443
cert = $FLEET/pki/server.pem
key = $FLEET/pki/server.key
public_url = $OPS_URL
longpoll_timeout = 20
download_budget = ${FLEET_BUDGET:-8}
[auth]
enrollment_token = $FLEET_ENROLL
admin_token = $FLEET_ADMIN
[store]
database = $FLEET/opsd.db
packages = $FLEET/opsd-pkg
release_keys = $FLEET/opsd-keys
EOC
	mkdir -p "$FLEET/opsd-pkg"
	$IP netns exec ops "$RUP_BUILD/rup-opsd" -c "$FLEET/opsd.conf" -v >>"$FLEET/ops.log" 2>&1 &
	OPS_PID=$!
	fwait 30 ops_curl -o /dev/null "$OPS_URL/metrics" ||
		{ cat "$FLEET/ops.log"; fail "rup-opsd did not start"; }
}

fleet_opsd_stop() {
	[ -n "$OPS_PID" ] || return 0
	kill "$OPS_PID"
	reap "$OPS_PID"
	OPS_PID=
}

# node_hex I: node I's id.
node_hex() { printf '%032x' "$1"; }

# fleet_node_conf I SCORE: write node I's config and install hook.
fleet_node_conf() {
	local i=$1 score=$2 d=$FLEET/n$1
	mkdir -p "$d/state" "$d/store"
	cat >"$d/hook" <<EOH
#!/bin/sh
# Test install hook: records the version; fails while hook.fail exists.
echo "\$(date +%s.%N) \$1 \$2 \$RUP_VERSION \$RUP_NODE_ID" >>"$d/hook.log"
# Sockets it inherited from the agent (must be none: genl, HTTP, curl).
ls -l /proc/\$\$/fd | grep -c 'socket:' >"$d/hook.sockets"
[ -e "$d/hook.fail" ] && exit 3
[ "\$1" = "\$RUP_PACKAGE" ] && [ -s "\$1" ] || exit 4
echo "\$2" >"$d/installed"
EOH
	chmod +x "$d/hook"
	cat >"$d/rupctl.conf" <<EOC
[server]
url = $OPS_URL
ca = $FLEET/pki/ca.pem
token = $FLEET_ENROLL
timeout = 10
[node]
id = $(node_hex "$i")
interface = eth0
score = $score
version = ${FLEET_START_VERSION[$i]:-${FLEET_VERSION:-1.0.0}}
log_level = ${FLEET_LOG:-info}
[paths]
state = $d/state
store = $d/store
keys = $FLEET/keys
[install]
hook = $d/hook
timeout = $((20 * ${RUP_VM_TIMEOUT_FACTOR:-1}))
[election]
period = ${FLEET_PERIOD:-86400}
[upgrade]
fallback_wait = ${FLEET_FALLBACK:-30}
fallback_jitter = 2
deadline = $((${FLEET_DEADLINE:-60} * ${RUP_VM_TIMEOUT_FACTOR:-1}))
report_ms = 300
retry_max = 5
[http]
port = 8731
EOC
}

# fleet_agent_start I: start (or restart) node I's agent.
fleet_agent_start() {
	local i=$1
	# ip netns exec and nice exec the program: $! is the agent itself. Nice
	# as contrib/systemd/rup-agent.service sets it.
	$IP netns exec "fn$i" nice -n -10 "$RUP_BUILD/rupctl" agent --config "$FLEET/n$i/rupctl.conf" \
		>>"$FLEET/n$i/agent.log" 2>&1 &
	AGENT_PID[$i]=$!
}

# fleet_agent_stop I [SIGNAL]: stop node I's agent (TERM by default) and reap it.
fleet_agent_stop() {
	local i=$1 sig=${2:-TERM}
	[ -n "${AGENT_PID[$i]:-}" ] || return 0
	kill -"$sig" "${AGENT_PID[$i]}" 2>/dev/null
	reap "${AGENT_PID[$i]}"
	AGENT_PID[$i]=
}

# nstat I .KEY: a top-level scalar of node I's status file. Parsed in bash:
# process start-up is slow under emulation and tests poll this a lot. The
# agent writes one key per line (see status.c).
nstat() {
	local c re="\"${2#.}\": \"?([^\",]*)\"?,?"
	[ -r "$FLEET/n$1/state/status.json" ] || return 0
	IFS= read -r -d '' c <"$FLEET/n$1/state/status.json"
	[[ $c =~ $re ]] && echo "${BASH_REMATCH[1]}"
	return 0
}

# registered I: node I's agent has registered in this run.
registered() { [ "$(nstat "$1" .registered)" = true ]; }

# fwait SECONDS CMD...: wait_until with a try every 100 ms (a fleet
# check runs several processes).
fwait() {
	local end=$((${EPOCHREALTIME/./} + $1 * ${RUP_VM_TIMEOUT_FACTOR:-1} * 1000000))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		nap 0.1
	done
}

# fleet_nodes SCORE...: one node per score, placed into the region the ops
# server will give it (dry run with `rup-opsd plan` in arrival order). With
# several regions the agents start one at a time, so the arrival order is
# the planned one; with one region they start together (as a region's
# nodes boot), so the election sees them all.
fleet_nodes() {
	local i=$FLEET_N first=$((FLEET_N + 1)) s plan r regions
	plan=$(i=$FLEET_N; for s in "$@"; do i=$((i + 1)); echo "$(node_hex $i) $s"; done |
		"$RUP_BUILD/rup-opsd" plan --nodes "$FLEET_T" --max-per-region "$FLEET_M" \
			--pool 239.192.9.0/24) || fail "fleet: rup-opsd plan"
	regions=$(echo "$plan" | awk '{ print $2 }' | sort -u | wc -l)
	for s in "$@"; do
		i=$((i + 1))
		r=$(echo "$plan" | awk -v id="$(node_hex $i)" '$1 == id { print $2 }')
		[ -n "$r" ] || fail "fleet: no planned region for node $i"
		NODE_REGION[$i]=$r
		$IP link show "br-r$r" >/dev/null 2>&1 || bridge_add "br-r$r"
		ns_add "fn$i"
		ns_attach "fn$i" "br-r$r" "10.$((r + 10)).0.$i/16" eth0
		ns_attach "fn$i" brm "10.99.1.$i/16" eth1
		fleet_node_conf "$i" "$s"
	done
	FLEET_N=$i
	for i in $(seq "$first" "$FLEET_N"); do
		fleet_agent_start "$i"
		[ "$regions" = 1 ] && continue
		fwait 60 registered "$i" || ffail "node $i did not register"
	done
	fleet_wait_registered "$first" 60
}

# fleet_wait_registered FIRST SECONDS: nodes FIRST..FLEET_N registered, each
# in its planned region.
fleet_wait_registered() {
	local i
	for i in $(seq "$1" "$FLEET_N"); do
		fwait "$2" registered "$i" || ffail "node $i did not register"
		[ "$(nstat "$i" .region)" = "${NODE_REGION[$i]}" ] ||
			ffail "node $i: region $(nstat "$i" .region), planned ${NODE_REGION[$i]}"
	done
}

# one_rvs [REGION]: exactly one agent of REGION (default 0) says it is RVS.
one_rvs() { [ "$(rvs_of "${1:-0}" | wc -l)" = 1 ]; }

# fleet_one_region SCORE...: PKI, ops server and one region of nodes with
# these scores, then wait until exactly one of them is RVS.
fleet_one_region() {
	fleet_init
	fleet_opsd_start $# $#
	fleet_nodes "$@"
	fwait 30 one_rvs || ffail "no single RVS: $(rvs_of 0 | tr '\n' ' ')"
}

# rvs_of REGION: the node numbers whose agent says it is RVS there.
rvs_of() {
	local i
	for i in $(seq 1 "$FLEET_N"); do
		[ "${NODE_REGION[$i]}" = "$1" ] || continue
		[ -n "${AGENT_PID[$i]:-}" ] || continue
		[ "$(nstat "$i" .role)" = rvs ] && echo "$i"
	done
}

# fleet_release VERSION [SIZE] [KEY] [RANGE]: payload, manifest and signature
# under $FLEET/rel/VERSION (signed with the trusted key unless KEY).
fleet_release() {
	local v=$1 size=${2:-200000} key=${3:-$FLEET/release.key} range=${4:-}
	local d=$FLEET/rel/$1
	[ -n "$range" ] || range=">=1.0.0,<$v"
	mkdir -p "$d"
	head -c "$size" /dev/urandom >"$d/payload"
	printf '{"format":1,"name":"fw","version":"%s","range":"%s","summary":"test release %s","sha256":"%s","size":%s,"created":"2026-11-25T12:00:00Z"}\n' \
		"$v" "$range" "$v" "$(sha256sum "$d/payload" | cut -d' ' -f1)" "$size" >"$d/manifest"
	openssl pkeyutl -sign -rawin -inkey "$key" -in "$d/manifest" -out "$d/sig.bin" ||
		fail "fleet: sign $v"
	base64 -w0 "$d/sig.bin" >"$d/sig"
}

# fleet_publish VERSION [PAYLOAD-FILE]: manifest + signature, then the payload
# (a different file than the signed one to simulate tampering).
fleet_publish() {
	local v=$1 d=$FLEET/rel/$1 pay=${2:-$FLEET/rel/$1/payload} out
	out=$(ops_admin POST /api/v1/releases \
		"{\"manifest\":\"$(base64 -w0 "$d/manifest")\",\"signature\":\"$(cat "$d/sig")\"}")
	echo "$out" | jq -e '.version' >/dev/null || fail "fleet: publish $v: $out"
	# After an authenticated GET on the same connection: bodies over
	# max_body need one (docs/API.md, "Limits").
	out=$(ops_curl -H "Authorization: Bearer $FLEET_ADMIN" -o /dev/null "$OPS_URL/api/v1/releases" \
		--next -s --max-time 60 --cacert "$FLEET/pki/ca.pem" -X PUT -H "Authorization: Bearer $FLEET_ADMIN" \
		--data-binary @"$pay" -w '%{http_code}' -o "$FLEET/put.out" "$OPS_URL/api/v1/releases/$v/payload")
	[ "$out" = 200 ] || fail "fleet: payload $v: HTTP $out $(cat "$FLEET/put.out")"
}

# fleet_rollout VERSION: start a rollout of every region; prints its id.
fleet_rollout() {
	local out
	out=$(ops_admin POST /api/v1/rollouts "{\"version\":\"$1\",\"regions\":\"all\"}")
	echo "$out" | jq -e '.rollout_id' || fail "fleet: rollout $1: $out"
}

# fleet_cancel ROLLOUT: cancel a rollout (its open tasks stop blocking the region).
fleet_cancel() {
	ops_admin POST "/api/v1/rollouts/$1/cancel" | jq -e . >/dev/null ||
		fail "fleet: cancel rollout $1"
}

# opsd_payload VERSION: the ops server's stored payload file (to tamper with).
opsd_payload() { echo "$FLEET/opsd-pkg/$1.pkg"; }

# task_state REGION: state of the region's newest task ("" when none).
task_state() {
	ops_status | jq -r --argjson r "$1" \
		'.regions[] | select(.region_id == $r) | .tasks | max_by(.task_id) | .state // empty'
}
task_reason() {
	ops_status | jq -r --argjson r "$1" \
		'.regions[] | select(.region_id == $r) | .tasks | max_by(.task_id) | .reason // empty'
}
# fleet_monitor I FILE: `rupctl -j monitor` in node I's namespace (JSON lines).
fleet_monitor() {
	$IP netns exec "fn$1" "$RUP_BUILD/rupctl" -j monitor >"$2" 2>&1 &
	MONITORS="${MONITORS:-} $!"
	nap 0.5
}

# installed I: what node I's hook recorded ("" before any install).
installed() { cat "$FLEET/n$1/installed" 2>/dev/null; }
