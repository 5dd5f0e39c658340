#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# rup-opsd under many held long-polls: 100 RVSs (one per region) wait at
# once; one rollout wakes every one of them with its own region's task.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
N=100
# All from 127.0.0.1 at once: lift the per-address cap on new connections.
OPSD_T=$N OPSD_M=1 opsd_setup "max_per_peer = 200
[store]
sync = normal"
opsd_start
for i in $(seq $N); do register "$(nid "$i")" "$i"; done
check "$N regions" [ "$(sq "SELECT COUNT(DISTINCT region) FROM nodes")" = $N ]
make_release 2.0.0 1000
publish 2.0.0

# One curl, N transfers in parallel, each as its own node.
cfg=$T/polls.cfg
: >"$cfg"
sq "SELECT id, region FROM nodes ORDER BY id" | tr '|' ' ' >"$T/regions"
while read -r id r; do
	[ -s "$cfg" ] && echo next >>"$cfg"
	cat >>"$cfg" <<EOC
url = "$URL/api/v1/tasks?region=$r&term=1&wait=30"
header = "X-Rup-Node: $id"
header = "Authorization: Bearer $(cat "$T/tok.$id")"
output = "$T/poll.$r"
cacert = "$T/pki/ca.pem"
silent
EOC
done <"$T/regions"
curl -s --no-progress-meter --parallel --parallel-max $N -K "$cfg" 2>"$T/polls.err" &
polls=$!
for _ in $(seq 100); do
	api GET /metrics
	held=$(awk '$1 == "rup_longpolls" { print $2 }' "$T/body")
	[ "$held" = $N ] && break
	sleep 0.1
done
check "all $N long-polls held at once" [ "$held" = $N ]
start=$(date +%s)
admin POST /api/v1/rollouts '{"version":"2.0.0"}'
check "rollout to $N regions" [ "$CODE/$(jbody '.regions|length')" = "201/$N" ]
wait $polls
check "every poll answered promptly" [ $(($(date +%s) - start)) -lt 10 ]
got=0
for r in $(seq 0 $((N - 1))); do
	[ "$(jq -r .region_id "$T/poll.$r" 2>/dev/null)" = "$r" ] && got=$((got + 1))
done
check "each RVS got its own region's task ($got of $N)" [ "$got" = $N ]
api GET /metrics
check "no poll left held" [ "$(awk '$1 == "rup_longpolls" { print $2 }' "$T/body")" = 0 ]
finish
