#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# rup-opsd under cheap resource attacks from clients without a token
# (THREATS.md, "outsider on the internet side": pre-auth limits on memory,
# connections, time). Each attack is bounded in count and time; the
# limits are docs/API.md, "Limits".
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
FLOOD=$RUP_SRC/tests/tools/conn-flood.py
FLOOD_PIDS=()

# flood OUT MODE ARGS...: conn-flood.py in the background; waits for "ready".
flood() {
	local out=$1
	shift
	"$FLOOD" "$@" --port "$PORT" --cafile "$T/pki/ca.pem" >"$out" 2>&1 &
	FLOOD_PIDS+=($!)
	for _ in $(seq 600); do
		grep -q '^ready' "$out" && return 0
		sleep 0.1
	done
	fail "conn-flood $1 never got ready: $(cat "$out")"
}
flood_stop() {
	[ ${#FLOOD_PIDS[@]} -gt 0 ] || return 0
	kill "${FLOOD_PIDS[@]}" 2>/dev/null
	wait "${FLOOD_PIDS[@]}" 2>/dev/null
	FLOOD_PIDS=()
}
trap 'flood_stop; opsd_cleanup' EXIT
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$OPSD_PID/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$OPSD_PID/stat"; }

opsd_setup "max_per_peer = 4
max_connections = 16
reserved_connections = 4"
opsd_start
register "$(nid 1)" 10
make_release 2.0.0 1000
publish 2.0.0
check "release published" [ "$CODE" = 200 ]

# Parts run: LOAD_PARTS (default "1 2 3 4"; one at a time shows each on old code).
part() { [[ " ${LOAD_PARTS:-1 2 3 4} " == *" $1 "* ]]; }

# 1. Bodies before a token: six clients each send all but the last byte of
# a 16 MiB body (the old limit was max_chunk, 16 MiB, per connection).
bodies() {
	local hwm0 hwm1
	hwm0=$(status_kb VmHWM)
	flood "$T/f.body" body -n 6 --srcs 2 --size $((16 << 20))
	sleep 1
	hwm1=$(status_kb VmHWM)
	echo "    peak RSS $hwm0 kB -> $hwm1 kB with six 16 MiB bodies"
	check "six unauthenticated 16 MiB bodies grow the peak RSS by < 16 MiB" \
		[ $((hwm1 - hwm0)) -lt 16384 ]
	flood_stop
}
part 1 && bodies

# 2. The connection cap (16) full of idle TCP and slow TLS clients: an RVS
# long-poll held before, and an admin request made during, are served.
cap_full() {
	local poll s t ms
	BODY=$T/poll node "$(nid 1)" GET "/api/v1/tasks?region=$(sq "SELECT region FROM nodes")&term=1&wait=30" &
	poll=$!
	for _ in $(seq 50); do
		api GET /metrics
		grep -q '^rup_longpolls 1$' "$T/body" && break
		sleep 0.1
	done
	check "the RVS long-poll is held" grep -q '^rup_longpolls 1$' "$T/body"
	flood "$T/f.idle" idle -n 24 --srcs 6
	flood "$T/f.slow" slowtls -n 8 --src 127.0.1.2 --srcs 2 --every 2
	sleep 1
	t=$(curl -s -o "$T/body" -w '%{http_code} %{time_total}' --max-time 5 --cacert "$T/pki/ca.pem" \
		-H "Authorization: Bearer $ADMIN" "$URL/api/v1/status")
	echo "    admin request under the flood: $t"
	check "an admin request is served within 2 s" awk '{ exit !($1 == 200 && $2 < 2) }' <<<"$t"
	s=$(date +%s%N)
	admin POST /api/v1/rollouts '{"version":"2.0.0"}'
	check "rollout started" [ "$CODE" = 201 ]
	wait "$poll"
	ms=$((($(date +%s%N) - s) / 1000000))
	echo "    held long-poll answered ${ms} ms after the rollout"
	echo "    long-poll reply: HTTP $(cat "$T/poll.code") $(head -c 100 "$T/poll")"
	check "the held long-poll gets its task within 2 s" [ "$(cat "$T/poll.code")/$((ms < 2000))" = 200/1 ]
	api GET /metrics
	check "untrusted connections were closed to make room" \
		awk '$1 == "rup_connections_evicted_total" { exit !($2 > 0) }' "$T/body"
	sleep 9
	api GET /metrics
	check "slow TLS clients are cut at the 10 s auth deadline" \
		awk '$1 == "rup_connections_deadline_total" { exit !($2 > 0) }' "$T/body"
	flood_stop
	opsd_stop
}
part 2 && cap_full

# 3. RLIMIT_NOFILE 32 and 40 sockets: no accept() spin, a bounded log.
fd_limit() {
	local l0 l1 c0 c1
	opsd_stop
	opsd_conf
	OPSD_NOFILE=32 opsd_start
	flood "$T/f.fd" idle -n 40 --srcs 10
	l0=$(wc -l <"$T/opsd.log") c0=$(cpu_ticks)
	sleep 5
	l1=$(wc -l <"$T/opsd.log") c1=$(cpu_ticks)
	echo "    5 s with 40 sockets: $((c1 - c0)) CPU ticks, $((l1 - l0)) log lines"
	check "under 20 % CPU" [ $((c1 - c0)) -lt $((5 * $(getconf CLK_TCK) / 5)) ]
	check "at most 10 log lines in 5 s" [ $((l1 - l0)) -le 10 ]
	check "the connection cap is lowered to fit RLIMIT_NOFILE, and said" \
		grep -q 'max_connections 1024 lowered to .*RLIMIT_NOFILE is 32' "$T/opsd.log"
	api GET /api/v1/status -H "Authorization: Bearer $ADMIN" --max-time 10
	check "an admin request is still served" [ "$CODE" = 200 ]
	flood_stop
}
part 3 && fd_limit

# 4. One node's token against the shared slots (THREATS.md, "enrolled
# node"): its own region's share only; another region's RVS still gets a
# long-poll and a download.
metric() { api GET /metrics && awk -v k="$1" '$1 == k { print $2 }' "$T/body"; }
slots() {
	local n1 n2 i pids=()
	opsd_stop
	opsd_conf "max_longpolls = 3
download_budget = 4
downloads_per_region = 2
download_rvs_reserve = 1
download_timeout = 10"
	rm -f "$T"/rup.db*
	opsd_start
	n1=$(nid 11) n2=$(nid 12)
	register "$n1" 50
	register "$n2" 80
	check "two nodes in two regions" [ "$(sq "SELECT COUNT(DISTINCT region) FROM nodes")" = 2 ]
	r1=$(sq "SELECT region FROM nodes WHERE id = '$n1'") r2=$(sq "SELECT region FROM nodes WHERE id = '$n2'")
	for i in 1 2 3; do
		BODY=$T/lp.$i node "$n1" GET "/api/v1/tasks?region=$r1&term=1&wait=30" &
		pids+=($!)
		sleep 0.3
	done
	node "$n2" GET "/api/v1/tasks?region=$r2&term=1&wait=1"
	check "three polls of one node leave another region's RVS a slot (held, 204)" code_is 204
	check "  one node holds one poll" [ "$(metric rup_longpolls)" = 1 ]
	# Larger than what loopback's socket buffers take at once, so a slow
	# reader holds its slot.
	make_release 3.0.0 40000000
	admin POST /api/v1/releases "$(publish_json 3.0.0)"
	upload 3.0.0 "$T/rel/3.0.0/payload" 8000000
	check "40 MB release published" code_is 200
	for i in 1 2 3 4; do
		curl -s -o /dev/null -w '%{http_code}' --limit-rate 20k --cacert "$T/pki/ca.pem" \
			-H "X-Rup-Node: $n1" -H "Authorization: Bearer $(cat "$T/tok.$n1")" \
			"$URL/api/v1/releases/3.0.0/payload" >"$T/dl.$i" &
		pids+=($!)
		sleep 0.3
	done
	check "  one node's region holds 2 downloads" [ "$(metric rup_downloads_active)" = 2 ]
	BODY=$T/dl.n2 node "$n2" GET /api/v1/releases/3.0.0/payload
	check "another region's RVS still downloads" code_is 200
	check "  the whole payload" cmp -s "$T/dl.n2" "$T/rel/3.0.0/payload"
	check "  the node's extra downloads got 429" [ "$(cat "$T/dl.3")/$(cat "$T/dl.4")" = 429/429 ]
	for _ in $(seq 150); do
		[ "$(metric rup_download_timeouts_total)" = 2 ] && break
		sleep 0.1
	done
	check "slow downloads are cut at download_timeout (10 s)" [ "$(metric rup_download_timeouts_total)" = 2 ]
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
}
part 4 && slots
finish
