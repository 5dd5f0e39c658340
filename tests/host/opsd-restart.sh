#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# rup-opsd kill -9 during a rollout, then restart: status and tasks are as
# before, the open task is handed out again, the rollout continues, and
# registrations after the restart continue the assignment exactly as
# `rup-opsd plan` (no restart) places the same arrivals.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
# The weaker durability mode: a kill -9 must still lose nothing.
OPSD_T=6 OPSD_M=2 opsd_setup "[store]
sync = normal"
opsd_start
scores=(50 80 30 90 20 60 85 10 40 95)
ids=()
for i in "${!scores[@]}"; do ids+=("$(nid $((i + 1)))"); done

# Six arrivals before the crash.
for i in 0 1 2 3 4 5; do register "${ids[$i]}" "${scores[$i]}"; done
make_release 2.0.0 20000
publish 2.0.0
admin POST /api/v1/rollouts '{"version":"2.0.0","regions":"all","wave_size":2,"failure_threshold":1}'
check "rollout over 3 regions in 2 waves" [ "$CODE/$(jbody .waves)" = 201/2 ]
r0=$(sq "SELECT id FROM nodes WHERE region = 0 ORDER BY id LIMIT 1")
node "$r0" GET "/api/v1/tasks?region=0&term=4"
task=$(jbody .task_id)
nodej "$r0" POST /api/v1/reports "{\"task_id\":$task,\"term\":4,\"state\":\"distributing\",\"nodes\":[{\"node_id\":\"$r0\",\"version\":\"1.0.0\",\"state\":\"pending\"}]}"
check "region 0 distributing before the crash" code_is 200
admin GET /api/v1/status
jq -S 'del(.server_time_ns)' "$T/body" >"$T/status.before"

opsd_stop KILL
check "server is gone" ! curl -s -o /dev/null --cacert "$T/pki/ca.pem" "$URL/metrics"
opsd_start
admin GET /api/v1/status
jq -S 'del(.server_time_ns)' "$T/body" >"$T/status.after"
check "status identical after kill -9 and restart" diff -u "$T/status.before" "$T/status.after"
node "$r0" GET "/api/v1/tasks?region=0&term=4"
check "the open task is handed out again" [ "$CODE/$(jbody .task_id)/$(jbody .state)" = "200/$task/distributing" ]
node "$r0" GET "/api/v1/tasks?region=0&term=3&wait=0"
check "fencing term survived the restart" code_is 409
nodej "$r0" POST /api/v1/reports "{\"task_id\":$task,\"term\":4,\"state\":\"complete\"}"
check "the rollout continues: report complete" code_is 200

# Four more arrivals after the restart (growth past T included), one re-registration.
for i in 6 7 8 9; do register "${ids[$i]}" "${scores[$i]}"; done
register "${ids[2]}" 99
for i in "${!scores[@]}"; do echo "${ids[$i]} ${scores[$i]}"; done |
	"$OPSD" plan --nodes 6 --max-per-region 2 --pool 239.192.7.0/24 >"$T/plan"
check "plan ran" [ -s "$T/plan" ]
admin GET /api/v1/status
jq -r '.regions[] | .region_id as $r | .group as $g | .members[] | "\(.node_id) \($r) \($g)"' "$T/body" |
	sort >"$T/live"
sort "$T/plan" >"$T/plan.sorted"
check "live assignment across a restart == plan without one" diff -u "$T/plan.sorted" "$T/live"
check "growth past T made regions 3 and 4" [ "$(jbody .assignment.regions)" = 5 ]
check "assignment rows: one slot and one size per region" \
	[ "$(sq "SELECT (SELECT COUNT(*) FROM assign_slots)||(SELECT COUNT(*) FROM assign_sizes)||(SELECT n FROM assign_meta)")" = 555 ]

# A damaged saved assignment is refused at start, never silently re-planned.
opsd_stop
sq "DELETE FROM assign_slots WHERE slot = 2"
"$OPSD" -c "$T/opsd.conf" 2>"$T/err"
check "damaged assignment: exit 1" [ $? = 1 ]
check "  with the reason" grep -q 'saved assignment: slot rows do not match N = 5' "$T/err"
finish
