#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# `rupctl ops` against a real rup-opsd: a release made by `rupctl release
# keygen/sign` is published with its payload, a rollout started, status
# read (text and JSON), a node removed; refusals exit 10 with the
# server's message, an unreachable server exits 11.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
RUPCTL=$RUP_BUILD/rupctl
opsd_setup "max_chunk = 4096"
"$RUPCTL" release keygen --out "$T/sign" >/dev/null
cp "$T/sign/release.pub" "$T/keys/ops.pub"
opsd_start
printf '%s\n' "$ADMIN" >"$T/admin.token"
ops() { "$RUPCTL" "$@"; }
export RUP_OPS_SERVER=$URL RUP_OPS_CACERT=$T/pki/ca.pem RUP_ADMIN_TOKEN_FILE=$T/admin.token
n1=$(nid 1)
register "$n1" 10

head -c 5000 /dev/urandom >"$T/fw.bin"
"$RUPCTL" release sign --key "$T/sign/release.key" --payload "$T/fw.bin" --version 2.0.0 \
	--range '>=1.0.0,<2.0.0' --summary 'ops test' --out "$T/fw.json" >/dev/null
check "release signed by rupctl" [ -s "$T/fw.json.sig" ]
out=$(ops ops publish "$T/fw.json" --payload "$T/fw.bin" --chunk 4096)
check "rupctl ops publish in 4 KiB chunks -> exit 0" [ $? = 0 ]
check "  two upload requests" [ "$(grep -c 'payload' "$T/opsd.log")" -ge 1 ]
check "  one of them answered 202" [ "$(awk '$1 == "rup_http_requests_total{code=\"202\"}" { print $2 }' \
	<(curl -s --cacert "$T/pki/ca.pem" "$URL/metrics"))" = 1 ]
check "  says published with payload" [ "$out" = "release 2.0.0 published with its payload" ]
check "  server has the payload" [ "$(sq "SELECT payload FROM releases WHERE version = '2.0.0'")" = 1 ]
ops ops publish "$T/fw.json" 2>"$T/err"
check "publishing again exits 10" [ $? = 10 ]
check "  with the server's message" grep -q 'HTTP 409: release: release 2.0.0: already published' "$T/err"
"$RUPCTL" release sign --key "$T/sign/release.key" --payload "$T/fw.bin" --version 3.0.0 \
	--range '>=1.0.0,<3.0.0' --out "$T/fw3.json" >/dev/null
ops ops publish "$T/fw3.json" --payload "$T/fw.bin" 2>"$T/err"
check "a request over the server's max_chunk exits 10" [ $? = 10 ]
check "  after HTTP 413" grep -q 'HTTP 413' "$T/err"
out=$(ops -j ops rollout 2.0.0 --regions all --wave-size 1 --failure-threshold 0)
check "rupctl ops rollout -> JSON reply" [ "$(echo "$out" | jq -r .state)" = running ]
ops ops rollout 2.0.0 --regions 0,x 2>"$T/err"
check "bad --regions exits 1" [ $? = 1 ]
out=$(ops ops status)
check "status text shows the rollout" grep -q '^rollout 1 2.0.0: running' <<<"$out"
check "status text shows the member" grep -q "^  $n1 1.0.0" <<<"$out"
check "status JSON" [ "$(ops -j ops status | jq -r '.regions[0].members[0].node_id')" = "$n1" ]
check "releases JSON" [ "$(ops -j ops releases | jq -r '.releases[0].version')" = 2.0.0 ]
check "releases table" grep -q '^2\.0\.0 .*>=1\.0\.0,<2\.0\.0 .* yes .*ops test$' <<<"$(ops ops releases)"
# A trailing slash on the server URL joins like none (no "//api").
check "--server URL/ works" [ "$(ops -j ops --server "$URL/" releases | jq -r '.releases[0].version')" = 2.0.0 ]
ops ops status --bogus 2>"$T/err"
check "unknown argument exits 1" [ $? = 1 ] && grep -q 'unexpected argument "--bogus"' "$T/err"
check "rupctl ops cancel" [ "$(ops ops cancel 1)" = "rollout 1 cancelled: 1 task(s)" ]
ops ops cancel 1 2>"$T/err"
check "  again exits 10" [ $? = 10 ]
check "rupctl ops key stage" [ "$(ops ops key 0 stage)" = "region 0: next key staged" ]
check "rupctl ops key promote" [ "$(ops ops key 0 promote)" = "region 0: next key promoted" ]
ops ops key 0 promote 2>"$T/err"
check "  promote again exits 10" [ $? = 10 ]
ops ops key 0 shred 2>"$T/err"
check "  bad action exits 1" [ $? = 1 ]
check "rupctl -j ops key -> JSON reply" [ "$(ops -j ops key 0 stage | jq -r .next_key_staged)" = true ]
n2=$(nid 2)
register "$n2" 10
check "rupctl -j ops remove -> JSON reply" [ "$(ops -j ops remove "$n2" | jq -r .removed)" = true ]
check "rupctl ops remove" [ "$(ops ops remove "$n1")" = "node $n1 removed" ]
check "  node gone" [ "$(sq "SELECT COUNT(*) FROM nodes")" = 0 ]
RUP_ADMIN_TOKEN_FILE='' RUP_ADMIN_TOKEN=wrong-token-0123456789 ops ops status 2>"$T/err"
check "wrong token exits 10" [ $? = 10 ]
check "  HTTP 403 shown" grep -q 'HTTP 403: wrong admin token' "$T/err"
ops ops --server "https://127.0.0.1:$(free_port)" status 2>"$T/err"
check "unreachable server exits 11" [ $? = 11 ]
RUP_OPS_CACERT='' ops ops status 2>"$T/err"
check "unknown CA refused (exit 11)" [ $? = 11 ]
check "token never printed" ! grep -rq "$ADMIN" "$T/err" "$T/opsd.log"
finish
