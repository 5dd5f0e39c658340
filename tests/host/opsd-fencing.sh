#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# rup-opsd term fencing (docs/API.md): a task goes only to the region's RVS at
# the highest term; lower-term long-polls and reports get 409 and change
# nothing; a held long-poll of a deposed RVS is answered 409 at once; a new
# RVS takes over the still-open task after a failover.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
OPSD_T=4 OPSD_M=2 opsd_setup
opsd_start
n1=$(nid 1) n2=$(nid 2) n3=$(nid 3) n4=$(nid 4)
register "$n1" 50
register "$n2" 80
register "$n3" 30
register "$n4" 90
check "n1 and n3 share region 0" [ "$(sq "SELECT group_concat(id) FROM nodes WHERE region = 0 ORDER BY id")" = "$n1,$n3" ]
make_release 2.0.0 5000
publish 2.0.0

node "$n1" GET "/api/v1/tasks?region=0&term=1&wait=0"
check "n1 claims term 1 -> 204 (no task yet)" code_is 204
node "$n3" GET "/api/v1/tasks?region=0&term=1&wait=0"
check "n3 at the same term -> 409" err_has "term 1 is held by node $n1"
node "$n3" GET "/api/v1/tasks?region=0&term=0&wait=0"
check "n3 at a lower term -> 409" err_has "term 0 is lower than the region's term 1"

# n1 waits; n3 wins an election at term 2: n1's held poll is answered 409 at once.
BODY=$T/held node "$n1" GET "/api/v1/tasks?region=0&term=1&wait=15" &
held=$!
sleep 0.5
start=$(date +%s)
node "$n3" GET "/api/v1/tasks?region=0&term=2&wait=0"
check "n3 claims term 2" code_is 204
wait $held
check "deposed RVS's held long-poll -> 409" [ "$(cat "$T/held.code")" = 409 ]
check "  at once" [ $(($(date +%s) - start)) -lt 5 ]
check "region 0 RVS is n3 at term 2" [ "$(sq "SELECT rvs||' '||term FROM regions WHERE id = 0")" = "$n3 2" ]

admin POST /api/v1/rollouts '{"version":"2.0.0","regions":[0]}'
check "rollout to region 0 -> 201" code_is 201
task=$(sq "SELECT id FROM tasks WHERE region = 0")
node "$n1" GET "/api/v1/tasks?region=0&term=1"
check "deposed RVS cannot fetch the task -> 409" code_is 409
node "$n3" GET "/api/v1/tasks?region=0&term=2"
check "RVS at the highest term gets it" [ "$CODE/$(jbody .task_id)" = "200/$task" ]
report "$n3" "$task" 2 distributing
check "RVS reports distributing" code_is 200
report "$n3" "$task" 2 distributing "$(nodes_of "$n1/v1-odd/pending")"
check "a node's non-SemVer version is accepted in a report" code_is 200
check "  kept in the task record" [ "$(sq "SELECT version FROM task_nodes WHERE node = '$n1'")" = v1-odd ]
check "  not taken as the node's version" [ "$(sq "SELECT version FROM nodes WHERE id = '$n1'")" = 1.0.0 ]
report "$n3" "$task" 2 distributing "$(nodes_of "$n1/1 0/pending")"
check "an unprintable version -> 400" err_has "nodes[0]: version has unprintable characters"
reports=$(sq "SELECT COUNT(*) FROM reports")
report "$n1" "$task" 1 failed '"reason":"stale"'
check "lower-term report -> 409" err_has "fenced"
check "  task state unchanged" [ "$(sq "SELECT state FROM tasks WHERE id = $task")" = distributing ]
check "  no report stored" [ "$(sq "SELECT COUNT(*) FROM reports")" = "$reports" ]
nodej "$n1" POST /api/v1/reports "{\"task_id\":$task,\"term\":1,\"state\":\"distributing\",\"nodes\":[{\"node_id\":\"$n1\",\"state\":\"pending\"},{\"node_id\":\"xyz\",\"state\":\"pending\"}]}"
check "lower-term report with a malformed entry -> 409 (checked in request order)" err_has "fenced"
nodej "$n3" POST /api/v1/reports "{\"task_id\":$task,\"term\":2,\"state\":\"distributing\",\"nodes\":[{\"node_id\":\"$n1\",\"state\":\"pending\"},{\"node_id\":\"xyz\",\"state\":\"pending\"}]}"
check "a malformed second entry -> 400 naming it" err_has "nodes[1]"
check "  no report stored" [ "$(sq "SELECT COUNT(*) FROM reports")" = "$reports" ]
report "$n2" "$task" 9 complete
check "report from another region's node -> 403" code_is 403
check "  and it claimed no term there" [ "$(sq "SELECT term FROM regions WHERE id = 0")" = 2 ]

# n3 dies mid-distribution; n1 is elected at term 3 and finishes the open task.
node "$n1" GET "/api/v1/tasks?region=0&term=3"
check "new RVS after failover gets the still-open task" [ "$CODE/$(jbody .task_id)/$(jbody .state)" = "200/$task/distributing" ]
report "$n1" "$task" 3 complete "$(nodes_of "$n1/2.0.0/upgraded" "$n3/1.0.0/unreachable")"
check "new RVS reports complete" code_is 200
report "$n3" "$task" 2 failed '"reason":"late"'
check "old RVS's late report -> 409" code_is 409
admin GET /api/v1/status
check "status: RVS n1 at term 3, task complete" \
	[ "$(jbody '.regions[0] | "\(.rvs) \(.term) \(.tasks[0].state) \(.tasks[0].term)"')" = "$n1 3 complete 3" ]
check "status: per-node versions from the report" \
	[ "$(jbody '[.regions[0].members[] | "\(.version)/\(.state)"] | join(",")')" = "2.0.0/upgraded,1.0.0/unreachable" ]

# Region 1: n2 distributes, every member upgrades, n2 loses the role before
# its final report; n4, elected at term 2, finds nobody needing 2.0.0 and
# reports up_to_date. The region did need it and converged: complete.
admin POST /api/v1/rollouts '{"version":"2.0.0","regions":[1]}'
check "rollout to region 1 -> 201" code_is 201
task1=$(sq "SELECT id FROM tasks WHERE region = 1")
node "$n2" GET "/api/v1/tasks?region=1&term=1"
report "$n2" "$task1" 1 distributing "$(nodes_of "$n2/1.0.0/pending" "$n4/1.0.0/pending")"
check "region 1: n2 distributing" code_is 200
# n2 installs 2.0.0 itself and registers; a retried report made before
# that (n2 pending at 1.0.0) arrives afterwards and must not undo it.
register "$n2" 80 2.0.0
check "region 1: n2 registered at 2.0.0 -> upgraded" [ "$(sq "SELECT state||' '||version FROM nodes WHERE id = '$n2'")" = "upgraded 2.0.0" ]
report "$n2" "$task1" 1 distributing "$(nodes_of "$n2/1.0.0/pending" "$n4/1.0.0/pending")"
check "region 1: a report made before that -> 200" code_is 200
check "  n2 stays upgraded at 2.0.0" [ "$(sq "SELECT state||' '||version FROM nodes WHERE id = '$n2'")" = "upgraded 2.0.0" ]
node "$n4" GET "/api/v1/tasks?region=1&term=2"
check "region 1: n4 at term 2 gets the distributing task" [ "$CODE/$(jbody .state)" = 200/distributing ]
report "$n4" "$task1" 2 up_to_date "$(nodes_of "$n2/2.0.0/upgraded" "$n4/2.0.0/upgraded")"
check "up_to_date on a distributing task -> 200" code_is 200
check "  recorded complete" [ "$(sq "SELECT state FROM tasks WHERE id = $task1")" = complete ]
check "  the report itself kept as sent" \
	[ "$(sq "SELECT state FROM reports WHERE task = $task1 ORDER BY id DESC LIMIT 1")" = up_to_date ]
finish
