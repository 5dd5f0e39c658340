#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# rup-opsd /metrics (Prometheus text) and the status page at /, then the
# limits: connection cap, long-poll cap, and SIGTERM answering held polls.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
OPSD_T=4 OPSD_M=2 opsd_setup "max_connections = 4
max_longpolls = 1
timeout = 3"
opsd_start
n1=$(nid 1) n2=$(nid 2)
register "$n1" 50
register "$n2" 80
make_release 2.0.0 12345
publish 2.0.0
admin POST /api/v1/rollouts '{"version":"2.0.0","regions":[0]}'
node "$n1" GET "/api/v1/tasks?region=0&term=1"
node "$n1" GET /api/v1/releases/2.0.0/payload
node "$n1" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=0-99'
api GET /api/v1/status

api GET /metrics
m=$T/metrics
cp "$T/body" "$m"
metric() { awk -v k="$1" '$1 == k { print $2 }' "$m"; }
check "metrics -> 200" code_is 200
check "every sample has HELP and TYPE" [ "$(grep -c '^# TYPE' "$m")" -ge 12 ]
check "registrations counted" [ "$(metric rup_registrations_total)" = 2 ]
check "nodes and regions" [ "$(metric rup_nodes)/$(metric rup_regions)" = 2/2 ]
check "tasks by state" [ "$(metric 'rup_tasks{state="open"}')/$(metric 'rup_tasks{state="waiting"}')" = 1/0 ]
check "downloads counted" [ "$(metric rup_downloads_total)" = 2 ]
check "bytes served = whole payload + 100" [ "$(metric rup_bytes_served_total)" = 12445 ]
check "requests by code (401 from status)" [ "$(metric 'rup_http_requests_total{code="401"}')" = 1 ]
check "RVS regions" [ "$(metric rup_regions_with_rvs)" = 1 ]
check "rollouts by state" [ "$(metric 'rup_rollouts{state="running"}')" = 1 ]

api GET /
p=$T/page.html
cp "$T/body" "$p"
check "page -> 200" code_is 200
check "page auto-refreshes" grep -q 'http-equiv="refresh"' "$p"
check "page shows region groups" grep -q '239.192.7.1' "$p"
check "page shows the RVS and its term" grep -q "$n1 (1)" "$p"
check "page shows the fleet's versions" grep -q 'Versions: 1.0.0: 2</p>' "$p"
check "page shows each region's versions and size" grep -q '<td>1</td><td>1.0.0: 1</td>' "$p"
check "page shows the region's last task" grep -q 'open 2.0.0</td>' "$p"
check "page shows rollout progress" grep -q 'open: 1' "$p"

# Replies are not held back by Nagle + delayed ACK (that cost ~40 ms each):
# 20 requests on one keep-alive connection take well under 20 x 40 ms.
urls=()
for _ in $(seq 20); do urls+=("$URL/metrics"); done
t=$(curl -s -o /dev/null -w '%{time_total}\n' --cacert "$T/pki/ca.pem" "${urls[@]}" |
	awk '{ s += $1 } END { printf "%d", s * 1000 }')
check "20 keep-alive requests in ${t} ms (< 600)" [ "$t" -lt 600 ]

# Connection cap 4: four idle plain TCP connections fill it; a fifth is
# served at once, the oldest idle one closed to make room (conn.h).
exec 5<>"/dev/tcp/127.0.0.1/$PORT" 6<>"/dev/tcp/127.0.0.1/$PORT" \
	7<>"/dev/tcp/127.0.0.1/$PORT" 8<>"/dev/tcp/127.0.0.1/$PORT"
sleep 0.3
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1.5 --cacert "$T/pki/ca.pem" "$URL/metrics")
check "at the connection cap a new connection is still served" [ "$code" = 200 ]
api GET /metrics -m 10
check "idle connections closed to make room, counted" \
	[ "$(awk '$1 == "rup_connections_evicted_total" { print $2 }' "$T/body")" -ge 1 ]
exec 5>&- 6>&- 7>&- 8>&-

# A hold longer than the idle timeout (3 s) still ends in a clean 204.
start=$(date +%s)
node "$n2" GET "/api/v1/tasks?region=1&term=1&wait=5"
check "long-poll held past the idle timeout -> 204" [ "$CODE" = 204 ]
check "  after 5 s" [ $(($(date +%s) - start)) -ge 5 ]

# One held poll per node: a node's newer poll answers its older one 204.
BODY=$T/first node "$n2" GET "/api/v1/tasks?region=1&term=1&wait=15" &
first=$!
sleep 0.5
BODY=$T/held node "$n2" GET "/api/v1/tasks?region=1&term=1&wait=15" &
held=$!
wait $first
check "a node's second long-poll answers its first 204" [ "$(cat "$T/first.code")" = 204 ]
# Long-poll cap 1 and SIGTERM: the held poll is answered 503, exit 0.
admin POST /api/v1/rollouts/1/cancel
check "rollout cancelled (region 0's poll is held again)" code_is 200
node "$n1" GET "/api/v1/tasks?region=0&term=1&wait=5"
check "another node's held long-poll past the cap -> 503" err_has "too many held long-polls"
opsd_stop
rc=$?
wait $held
check "SIGTERM answers the held long-poll 503" [ "$(cat "$T/held.code")" = 503 ]
check "  and exits 0" [ "$rc" = 0 ]
check "database closed cleanly (WAL checkpointed)" [ ! -s "$T/rup.db-wal" ]
finish
