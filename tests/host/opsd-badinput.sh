#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# rup-opsd bad input: every case is a 4xx with a clear JSON error, and
# nothing is stored (rows counted with sqlite3, package folder listed).
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
OPSD_BUDGET=1 opsd_setup "max_chunk = 8388608"
opsd_start
n1=$(nid 1) n2=$(nid 2)

counts() { sq "SELECT (SELECT COUNT(*) FROM nodes)||' '||(SELECT COUNT(*) FROM releases)||' '||
	(SELECT COUNT(*) FROM rollouts)||' '||(SELECT COUNT(*) FROM tasks)||' '||
	(SELECT COUNT(*) FROM reports)||' '||(SELECT COUNT(*) FROM audit)"; }
reg() { api POST /api/v1/register -H "Authorization: Bearer $ENROLL" --data-binary "$1"; }

# --- TLS (THREATS.md "outsider on the internet side": TLS 1.2+ with sane
# ciphers)
tls() { openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$T/pki/ca.pem" "$@" </dev/null >"$T/tls.out" 2>&1; }
check "TLS 1.3 handshake" tls -tls1_3
check "TLS 1.2 with an AEAD suite" tls -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
check "TLS 1.2 with CBC and SHA-1 (ECDHE-ECDSA-AES128-SHA) refused" ! tls -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA
check "TLS 1.2 with CBC and SHA-256 (ECDHE-ECDSA-AES128-SHA256) refused" ! tls -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA256
check "TLS 1.1 refused" ! tls -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'

# --- registration
reg '{"node_id":'
check "truncated JSON -> 400 malformed" [ "$CODE" = 400 ]
check "  says malformed JSON" err_has "malformed JSON at line 1"
reg "{\"node_id\":\"$n1\",\"score\":1,\"version\":\"1.0.0\",\"addresses\":[\"$(head -c 5000 /dev/zero | tr '\0' a)\"]}"
check "oversized body -> 413" code_is 413
# Refused by the HTTP layer before any handler: its own page, not JSON.
check "  says the entity is too large" grep -q "413 Request Entity Too Large" "$T/body"
reg '[1,2]'
check "JSON array body -> 400" err_has "must be a JSON object"
reg '{"node_id":"xyz","score":1,"version":"1.0.0"}'
check "bad node id -> 400" err_has "node_id: must be 32 hex digits"
reg "{\"node_id\":\"$n1\",\"score\":-5,\"version\":\"1.0.0\"}"
check "negative score -> 400" err_has "score: -5 is outside"
reg "{\"node_id\":\"$n1\",\"score\":5,\"version\":\"01.0.0\"}"
check "bad version -> 400" err_has "leading zero"
reg "{\"node_id\":\"$n1\",\"score\":5,\"version\":\"1.0.0\",\"addresses\":[\"300.1.1.1\"]}"
check "bad address -> 400" err_has "addresses[0]: not an IPv4 or IPv6 address"
reg "{\"node_id\":\"$n1\",\"score\":5,\"version\":\"1.0.0\",\"evil\":1}"
check "unknown field -> 400" err_has "evil: unknown field"
reg "{\"node_id\":\"$n1\",\"node_id\":\"$n2\",\"score\":5,\"version\":\"1.0.0\"}"
check "duplicate key -> 400" [ "$CODE" = 400 ]
api POST /api/v1/register --data-binary "{\"node_id\":\"$n1\",\"score\":5,\"version\":\"1.0.0\"}"
check "missing enrollment token -> 401" code_is 401
api POST /api/v1/register -H "Authorization: Bearer wrong-token-xxxxxxxxxxxx" \
	--data-binary "{\"node_id\":\"$n1\",\"score\":5,\"version\":\"1.0.0\"}"
check "wrong enrollment token -> 403" code_is 403
api POST /api/v1/register -H "Authorization: Bearer $ADMIN" \
	--data-binary "{\"node_id\":\"$n1\",\"score\":5,\"version\":\"1.0.0\"}"
check "admin token is not an enrollment token -> 403" code_is 403
check "nothing stored by rejected registrations" [ "$(counts)" = "0 0 0 0 0 0" ]
check "assignment untouched (S = 0)" \
	[ "$(sq "SELECT s FROM assign_meta")" = 0 ]

register "$n1" 10
check "good registration -> 201" code_is 201
register "$n2" 20

# --- node tokens
api GET "/api/v1/tasks?region=0&term=1" -H "X-Rup-Node: $n1"
check "missing node token -> 401" code_is 401
api GET "/api/v1/tasks?region=0&term=1" -H "X-Rup-Node: $n1" -H "Authorization: Bearer $(cat "$T/tok.$n2")"
check "another node's token -> 403" code_is 403
api GET "/api/v1/tasks?region=0&term=1" -H "X-Rup-Node: $(nid 99)" -H "Authorization: Bearer $(cat "$T/tok.$n1")"
check "unknown node -> 404" err_has "unknown node"
node "$n1" GET "/api/v1/tasks?region=1&term=1"
check "wrong region -> 403" err_has "belongs to region 0, not region 1"
node "$n1" GET "/api/v1/tasks?region=0&term=-1"
check "bad term -> 400" code_is 400
nodej "$n1" POST /api/v1/reports '{"task_id":1,"term":1,"state":"complete"}'
check "report for a missing task -> 404" err_has "no such task"
nodej "$n1" POST /api/v1/reports '{"task_id":1,"term":1,"state":"exploded"}'
check "report with unknown state -> 400" err_has "'exploded' is not one of"
check "no term claimed by rejected requests" [ "$(sq "SELECT MAX(term) FROM regions")" = 0 ]

# --- admin token
api GET /api/v1/status
check "status without admin token -> 401" code_is 401
api GET /api/v1/status -H "Authorization: Bearer $ENROLL"
check "status with enrollment token -> 403" code_is 403
node "$n1" GET /api/v1/status
check "status with a node token -> 403" code_is 403

# --- releases
before=$(counts)
make_release 2.0.0 24000000
make_release 3.0.0 1000 "$T/other.key"
admin POST /api/v1/releases "{\"manifest\":\"$(base64 -w0 "$T/rel/2.0.0/manifest")\",\"signature\":\"\"}"
check "unsigned release -> 400" code_is 400
admin POST /api/v1/releases "$(publish_json 3.0.0)"
check "release signed by an untrusted key -> 400" err_has "signature"
sed 's/test release/evil release/' "$T/rel/2.0.0/manifest" >"$T/evil"
admin POST /api/v1/releases "{\"manifest\":\"$(base64 -w0 "$T/evil")\",\"signature\":\"$(cat "$T/rel/2.0.0/sig")\"}"
check "manifest changed after signing -> 400" err_has "does not verify"
admin POST /api/v1/releases '{"manifest":"!!!notbase64","signature":"x"}'
check "manifest not base64 -> 400" err_has "manifest: must be"
check "nothing stored by rejected releases" [ "$(counts)" = "$before" ]
admin POST /api/v1/releases "$(publish_json 2.0.0)"
check "signed release -> 201" code_is 201
admin POST /api/v1/releases "$(publish_json 2.0.0)"
check "duplicate release -> 409" err_has "already published"
head -c 100 /dev/urandom >"$T/short"
admin_put /api/v1/releases/2.0.0/payload --data-binary @"$T/short"
check "payload of the wrong size -> 400" err_has "the signed manifest says 24000000"
head -c 24000000 /dev/urandom >"$T/wrong"
admin_put /api/v1/releases/2.0.0/payload --data-binary @"$T/wrong"
check "one request over max_chunk (8 MiB) -> 413" code_is 413
upload 2.0.0 "$T/wrong" 8000000
check "chunked payload with the wrong hash -> 400" err_has "payload rejected"
check "no payload file stored" [ -z "$(ls "$T/pkg")" ]
admin_put /api/v1/releases/9.9.9/payload --data-binary @"$T/short"
check "payload for an unknown release -> 404" code_is 404
admin POST /api/v1/rollouts '{"version":"2.0.0"}'
check "rollout before the payload -> 409" err_has "payload not uploaded yet"
upload 2.0.0 "$T/rel/2.0.0/payload" 8000000 0 1
check "first chunk -> 202" [ "$CODE/$(jbody .received)" = 202/8000000 ]
upload 2.0.0 "$T/rel/2.0.0/payload" 8000000 16000000 1
check "a skipped chunk -> 409" err_has "upload continues at byte 8000000, not 16000000"
admin_put /api/v1/releases/2.0.0/payload \
	-H "Content-Range: bytes 8000000-8000009/24000000" --data-binary 'short'
check "a chunk shorter than announced -> 400" err_has "bytes 8000000-8000009 announced, 5 in the body"
admin_put /api/v1/releases/2.0.0/payload \
	-H "Content-Range: bytes 1-0/24000000" --data-binary 'x'
check "a malformed Content-Range -> 400" err_has "Content-Range must be bytes FIRST-LAST/SIZE"
check "not yet published during the upload" [ "$(sq "SELECT payload FROM releases")" = 0 ]
upload 2.0.0 "$T/rel/2.0.0/payload" 8000000 8000000
check "remaining chunks complete the payload -> 200" code_is 200
check "stored payload is the signed one" cmp -s "$T/pkg/2.0.0.pkg" "$T/rel/2.0.0/payload"
check "no partial file left" [ "$(ls "$T/pkg")" = 2.0.0.pkg ]
upload 2.0.0 "$T/rel/2.0.0/payload" 8000000 0 1
check "payload again -> 409" err_has "payload already uploaded"
check "  the stored one untouched" cmp -s "$T/pkg/2.0.0.pkg" "$T/rel/2.0.0/payload"
admin POST /api/v1/rollouts '{"version":"2.0.0","regions":[0,7]}'
check "rollout to a missing region -> 400" err_has "region 7 does not exist"
admin POST /api/v1/rollouts '{"version":"2.0.0","regions":[0,0]}'
check "region listed twice -> 400" err_has "listed twice"
admin POST /api/v1/rollouts '{"version":"2.0.0","wave_size":0}'
check "wave_size 0 -> 400" err_has "wave_size: 0 is outside"
admin POST /api/v1/rollouts '{"version":"9.0.0"}'
check "rollout of an unknown release -> 409" err_has "not published"
check "no rollout or task stored" [ "$(sq "SELECT COUNT(*) FROM rollouts")/$(sq "SELECT COUNT(*) FROM tasks")" = 0/0 ]

# --- downloads: Range and the concurrency budget (1 here)
node "$n1" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=24000000-'
check "Range beyond the end -> 416" err_has "range beyond the end of the 24000000-byte payload"
node "$n1" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=23999990-23999999'
check "last ten bytes -> 206" [ "$CODE/$(stat -c %s "$T/body")" = 206/10 ]
node "$n1" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=garbage' -D "$T/hdr"
check "garbage Range -> 416, not the whole file" [ "$CODE/$(($(stat -c %s "$T/body") < 4096))" = 416/1 ]
check "  with the size in Content-Range" grep -qi '^Content-Range: bytes \*/24000000' "$T/hdr"
check "  and an error naming the Range" err_has "Range must be one byte range"
node "$n1" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=-10'
check "suffix range bytes=-10 -> 206, 10 bytes" [ "$CODE/$(stat -c %s "$T/body")" = 206/10 ]
check "  the payload's last 10 bytes" cmp -s "$T/body" <(tail -c 10 "$T/rel/2.0.0/payload")
node "$n1" GET /api/v1/releases/4.0.0/payload
check "download of an unknown release -> 404" code_is 404
api GET /api/v1/releases/2.0.0/payload
check "download without a token -> 401" code_is 401
curl -s -o /dev/null --limit-rate 50k --cacert "$T/pki/ca.pem" -H "X-Rup-Node: $n1" \
	-H "Authorization: Bearer $(cat "$T/tok.$n1")" "$URL/api/v1/releases/2.0.0/payload" &
slow=$!
sleep 1
node "$n2" GET /api/v1/releases/2.0.0/payload -o /dev/null
check "download past the budget -> 429" code_is 429
kill "$slow"
wait "$slow" 2>/dev/null
for _ in $(seq 50); do
	node "$n2" GET /api/v1/releases/2.0.0/payload -H 'Range: bytes=0-0'
	[ "$CODE" = 206 ] && break
	sleep 0.2
done
check "an aborted download frees its budget slot" code_is 206

# --- routing
admin GET /api/v1/nothing
check "unknown endpoint -> 404" err_has "no such endpoint"
admin DELETE /api/v1/status
check "wrong method -> 405" code_is 405
admin DELETE /api/v1/nodes/zz
check "delete with a bad node id -> 400" code_is 400
admin DELETE "/api/v1/nodes/$(nid 77)"
check "delete an unknown node -> 404" code_is 404
# --- broken HTTP and TLS: refused or closed, never a crash
big=$(head -c 20000 /dev/zero | tr '\0' a)
api GET /metrics -H "X-Big: $big"
check "headers over 16 KiB refused" [ "${CODE:0:1}" = 4 ]
printf 'GARBAGE / NONSENSE\r\n\r\n' | timeout 5 openssl s_client -quiet -connect "127.0.0.1:$PORT" \
	>"$T/raw" 2>/dev/null
check "garbage request line over TLS -> 400" grep -q '^HTTP/1.[01] 400' "$T/raw"
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | timeout 5 bash -c "cat >/dev/tcp/127.0.0.1/$PORT" 2>/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$PORT/")
check "plain HTTP is never answered" [ "$code" = 000 ]
api PATCH /api/v1/status -H "Authorization: Bearer $ADMIN"
check "unsupported method -> 501" [ "$CODE" = 501 ]
check "the server still answers" curl -sf -o /dev/null --cacert "$T/pki/ca.pem" "$URL/metrics"
finish
