#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# rup-opsd happy path over HTTPS: register -> publish a signed release ->
# rollout in two waves -> the RVS's long-poll gets its task -> download with
# Range -> reports -> the next wave opens -> status shows everything complete.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
OPSD_T=4 OPSD_M=2 opsd_setup
opsd_start

# T=4, M=2: two regions. Scores 50, 80, 30, 90 give regions 0, 1, 0, 1 (docs/ASSIGNMENT.md).
n1=$(nid 1) n2=$(nid 2) n3=$(nid 3) n4=$(nid 4)
want=(0 1 0 1)
i=0
for s in 50 80 30 90; do
	id=$(nid $((i + 1)))
	register "$id" "$s"
	check "register $id -> 201" code_is 201
	check "register $id -> region ${want[$i]}" [ "$(jbody .region_id)" = "${want[$i]}" ]
	jbody .key >"$T/key.$id"
	i=$((i + 1))
done
check "region 1 group is the pool's second address" [ "$(jbody .group)" = 239.192.7.1 ]
check "register hands out intervals and port" \
	[ "$(jbody '[.port,.interval_ms,.dead_ms,.window_ms]|@csv')" = 7946,1000,3500,60000 ]
check "region key is 64 hex digits" grep -Eq '^[0-9a-f]{64}$' "$T/key.$n1"
check "members of a region share its key" cmp -s "$T/key.$n1" "$T/key.$n3"
check "regions have distinct keys" ! cmp -s "$T/key.$n1" "$T/key.$n2"
register "$n3" 99 1.0.0
check "re-registration -> 200, same region" [ "$CODE/$(jbody .region_id)/$(jbody .new)" = 200/0/false ]
check "node token stored hashed, never in clear" \
	[ "$(sq "SELECT COUNT(*) FROM nodes WHERE hex(token_hash) = upper('$(cat "$T/tok.$n3")')")" = 0 ]

make_release 2.0.0 150000
check "publish release 2.0.0 (manifest + payload)" publish 2.0.0
admin GET /api/v1/releases
check "release listed with payload" [ "$(jbody '.releases[0] | "\(.version) \(.payload) \(.size)"')" = "2.0.0 true 150000" ]

# n1 claims RVS of region 0 and waits; the rollout must wake it.
BODY=$T/poll node "$n1" GET "/api/v1/tasks?region=0&term=1&wait=15" &
poll=$!
sleep 0.5
admin POST /api/v1/rollouts '{"version":"2.0.0","regions":"all","wave_size":1,"failure_threshold":0}'
check "rollout created -> 201, 2 waves" [ "$CODE/$(jbody .waves)" = 201/2 ]
rid=$(jbody .rollout_id)
wait $poll
CODE=$(cat "$T/poll.code")
cp "$T/poll" "$T/body"
check "held long-poll answered with the task" code_is 200
task=$(jbody .task_id)
check "task names region 0, version, sha256, size" \
	[ "$(jbody '"\(.region_id) \(.version) \(.size)"')" = "0 2.0.0 150000" ]
check "task lists the region's registered nodes" [ "$(jbody '.nodes|join(",")')" = "$n1,$n3" ]
check "task carries the manifest's exact bytes" \
	cmp -s <(jbody .manifest | base64 -d) "$T/rel/2.0.0/manifest"
check "task sha256 matches the payload" \
	[ "$(jbody .sha256)" = "$(sha256sum "$T/rel/2.0.0/payload" | cut -d' ' -f1)" ]
url=$(jbody .url)
check "task url points at this server" [ "$url" = "$URL/api/v1/releases/2.0.0/payload" ]

# Region 1 is in wave 2: nothing for its RVS yet.
node "$n2" GET "/api/v1/tasks?region=1&term=1&wait=0"
check "wave 2 region gets no task yet -> 204" code_is 204

# Download: whole and ranged.
node "$n1" GET /api/v1/releases/2.0.0/payload
check "payload download -> 200" code_is 200
check "payload bytes identical" cmp -s "$T/body" "$T/rel/2.0.0/payload"
node "$n1" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=100000-'
check "resumed download -> 206" code_is 206
check "206 carries the tail" cmp -s "$T/body" <(tail -c 50000 "$T/rel/2.0.0/payload")
node "$n1" GET /api/v1/releases/2.0.0/signature
check "signature download" cmp -s "$T/body" "$T/rel/2.0.0/sig"

report "$n1" "$task" 1 downloading '"nodes":[]'
check "report downloading -> 200" code_is 200
report "$n1" "$task" 1 distributing "$(nodes_of "$n1/1.0.0/pending" "$n3/1.0.0/pending")"
check "report distributing -> 200, not final" [ "$CODE/$(jbody .final)" = 200/false ]
node "$n1" GET "/api/v1/tasks?region=0&term=1"
check "open task still handed to the RVS while distributing" [ "$CODE/$(jbody .task_id)" = "200/$task" ]
report "$n1" "$task" 1 complete "$(nodes_of "$n1/2.0.0/upgraded" "$n3/2.0.0/upgraded")"
check "report complete -> final" [ "$CODE/$(jbody .final)" = 200/true ]
report "$n1" "$task" 1 up_to_date '"nodes":[]'
check "report on a final task -> 409" code_is 409

# Wave 2 opened: region 1's RVS gets its task at once.
node "$n2" GET "/api/v1/tasks?region=1&term=1"
check "wave 2 task handed to region 1's RVS" [ "$CODE/$(jbody .region_id)" = 200/1 ]
task2=$(jbody .task_id)
# The RVS reports complete before it installs the release itself.
report "$n2" "$task2" 1 complete "$(nodes_of "$n2/1.0.0/pending" "$n4/2.0.0/upgraded")"
check "region 1 complete" code_is 200
check "the RVS is pending in its own final report" [ "$(sq "SELECT state FROM nodes WHERE id = '$n2'")" = pending ]
register "$n2" 80 1.0.0
check "re-registration at an older version leaves the state" [ "$(sq "SELECT state FROM nodes WHERE id = '$n2'")" = pending ]
register "$n2" 80 2.0.0
check "re-registration at the task's version -> upgraded" [ "$(sq "SELECT state FROM nodes WHERE id = '$n2'")" = upgraded ]
# A final report that reached the server without its node list (what an
# agent's retried report sent until the retry kept the list) leaves a node
# with no state: registering at the task's version still makes
# it upgraded (docs/API.md).
sq "UPDATE nodes SET state = NULL WHERE id = '$n4'"
register "$n4" 90 2.0.0
check "re-registration at the task's version, no state before -> upgraded" \
	[ "$(sq "SELECT state FROM nodes WHERE id = '$n4'")" = upgraded ]

admin GET /api/v1/status
check "status -> 200" code_is 200
check "rollout done" [ "$(jbody ".rollouts[] | select(.rollout_id == $rid) | .state")" = 'done' ]
check "both tasks complete" [ "$(jbody '.rollouts[0].task_states.complete')" = 2 ]
check "every member shows 2.0.0" [ "$(jbody '[.regions[].members[].version]|unique|join(",")')" = 2.0.0 ]
check "region RVS and term shown" [ "$(jbody '.regions[0] | "\(.rvs) \(.term) \(.group)"')" = "$n1 1 239.192.7.0" ]
check "assignment shown" [ "$(jbody '.assignment | "\(.regions) \(.arrivals) \(.online)"')" = "2 4 4" ]

admin GET "/api/v1/status?region=1"
check "status of one region" [ "$(jbody '[.regions[].region_id]|@csv')" = 1 ]
admin GET "/api/v1/status?region=9"
check "status of a missing region -> 404" code_is 404
admin GET "/api/v1/status?region=x"
check "status of a bad region id -> 400" code_is 400

BODY=$T/held node "$n4" GET "/api/v1/tasks?region=1&term=2&wait=15" &
held=$!
sleep 0.5
admin DELETE "/api/v1/nodes/$n4"
check "remove node -> 200" code_is 200
wait $held
check "  its held long-poll is answered 404 at once" [ "$(cat "$T/held.code")" = 404 ]
admin GET /api/v1/status
check "removed node gone from status" [ "$(jbody '[.regions[].members[].node_id]|length')" = 3 ]
check "region size follows removal" [ "$(jbody '.regions[1].size')" = 1 ]
node "$n4" GET "/api/v1/tasks?region=1&term=2"
check "removed node's token no longer works -> 404" code_is 404
check "audit log records admin actions" \
	[ "$(sq "SELECT group_concat(action) FROM (SELECT action FROM audit ORDER BY id)")" = release_publish,release_payload,rollout_start,node_delete ]
admin GET "/api/v1/audit?limit=2"
check "audit API: newest first, limited" [ "$(jbody '[.audit[].action]|join(",")')" = node_delete,rollout_start ]
check "no token in the log" ! grep -q -e "$ADMIN" -e "$ENROLL" -e "$(cat "$T/tok.$n1")" "$T/opsd.log"

opsd_stop
check "SIGTERM -> clean exit 0" [ $? = 0 ]
check "clean shutdown logged" grep -q stopped "$T/opsd.log"
finish
