#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# rup-opsd rollout waves: a wave's failures past the threshold halt the
# rollout (later waves cancelled, their RVSs get no task); at or under the
# threshold the next wave opens; package_abnormal keeps a task open.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
OPSD_T=8 OPSD_M=2 opsd_setup
opsd_start
for i in 1 2 3 4 5 6 7 8; do register "$(nid $i)" $((i * 10)); done
rvs() { sq "SELECT id FROM nodes WHERE region = $1 ORDER BY id LIMIT 1"; }
poll() { node "$(rvs "$1")" GET "/api/v1/tasks?region=$1&term=$2&wait=0"; }
# rvs_report REGION TERM STATE [REASON]: region's RVS reports on the task in the body.
rvs_report() {
	report "$(rvs "$1")" "$(jbody .task_id)" "$2" "$3" "\"reason\":\"${4:-}\""
}
for v in 2.0.0 3.0.0; do make_release $v 4000; publish $v; done

admin POST /api/v1/rollouts '{"version":"2.0.0","regions":[0,1,2,3],"wave_size":2,"failure_threshold":0}'
check "rollout 1: 4 regions, 2 waves" [ "$CODE/$(jbody .waves)" = 201/2 ]
poll 2 1
check "wave 2 region waits" code_is 204
poll 0 1
rvs_report 0 1 package_abnormal "hash_mismatch"
check "package_abnormal accepted" code_is 200
poll 0 1
check "  task stays open for a retry" [ "$CODE/$(jbody .state)" = 200/package_abnormal ]
rvs_report 0 1 failed "hash_mismatch"
check "region 0 failed" code_is 200
poll 1 1
rvs_report 1 1 complete
admin GET /api/v1/status
check "1 failure > threshold 0: rollout halted" [ "$(jbody '.rollouts[0].state')" = halted ]
check "  later wave cancelled" [ "$(jbody '.rollouts[0].task_states.cancelled')" = 2 ]
poll 2 1
check "  cancelled region's RVS gets no task" code_is 204
check "  halt is in the audit log" [ "$(sq "SELECT COUNT(*) FROM audit WHERE action = 'rollout_halt'")" = 1 ]
check "  failure reason kept" [ "$(sq "SELECT reason FROM tasks WHERE region = 0 AND rollout = 1")" = hash_mismatch ]

admin POST /api/v1/rollouts '{"version":"3.0.0","regions":[0,1,2,3],"wave_size":2,"failure_threshold":1}'
rid=$(jbody .rollout_id)
poll 0 1
rvs_report 0 1 failed "install hook failed"
poll 1 1
rvs_report 1 1 up_to_date
poll 2 1
check "1 failure <= threshold 1: wave 2 opens" [ "$CODE/$(jbody .version)" = 200/3.0.0 ]
rvs_report 2 1 complete
poll 3 1
rvs_report 3 1 partial
admin GET /api/v1/status
check "rollout 2 done" [ "$(jbody ".rollouts[] | select(.rollout_id == $rid) | .state")" = 'done' ]
check "  task states counted" \
	[ "$(jbody ".rollouts[] | select(.rollout_id == $rid) | .task_states | [.failed, .up_to_date, .complete, .partial] | @csv")" = 1,1,1,1 ]

# After a partial end a node that comes back is still reported (docs/API.md, tasks).
t3=$(sq "SELECT id FROM tasks WHERE rollout = $rid AND region = 3")
late=$(sq "SELECT id FROM nodes WHERE region = 3 ORDER BY id DESC LIMIT 1")
nodej "$(rvs 3)" POST /api/v1/reports "{\"task_id\":$t3,\"term\":1,\"state\":\"complete\",\"nodes\":[{\"node_id\":\"$late\",\"version\":\"3.0.0\",\"state\":\"upgraded\"}]}"
check "late report on a partial task -> 200" code_is 200
check "  task now complete, node on 3.0.0" \
	[ "$(sq "SELECT state FROM tasks WHERE id = $t3")/$(sq "SELECT version FROM nodes WHERE id = '$late'")" = complete/3.0.0 ]
check "  rollout still done" [ "$(sq "SELECT state FROM rollouts WHERE id = $rid")" = 'done' ]
nodej "$(rvs 3)" POST /api/v1/reports "{\"task_id\":$t3,\"term\":1,\"state\":\"complete\"}"
check "  complete is closed for good -> 409" err_has "is complete, no complete report accepted"

# A stuck rollout holds its regions' later tasks (FIFO) until it is cancelled.
admin POST /api/v1/rollouts '{"version":"3.0.0","regions":[0,1]}'
stuck=$(jbody .rollout_id)
admin POST /api/v1/rollouts '{"version":"3.0.0","regions":[0]}'
next=$(jbody .rollout_id)
poll 0 1
check "region 0 gets the older rollout's task first" [ "$(jbody .rollout_id)" = "$stuck" ]
old_task=$(jbody .task_id)
admin POST "/api/v1/rollouts/$stuck/cancel"
check "cancel a running rollout -> 200" [ "$CODE/$(jbody .cancelled_tasks)" = 200/2 ]
poll 0 1
check "  the next rollout's task is handed out" [ "$CODE/$(jbody .rollout_id)" = "200/$next" ]
nodej "$(rvs 0)" POST /api/v1/reports "{\"task_id\":$old_task,\"term\":1,\"state\":\"complete\"}"
check "  report on a cancelled task -> 409" err_has "is cancelled"
admin POST "/api/v1/rollouts/$stuck/cancel"
check "cancel again -> 409" err_has "is cancelled, not running"
admin POST /api/v1/rollouts/99/cancel
check "cancel unknown -> 404" code_is 404
check "cancel audited" [ "$(sq "SELECT COUNT(*) FROM audit WHERE action = 'rollout_cancel'")" = 1 ]
finish
