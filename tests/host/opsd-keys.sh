#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# rup-opsd region key rotation (docs/PROTOCOL.md, docs/API.md): stage a next key, nodes of that
# region (only) see it beside the current one, promote it; two-step order
# enforced; admin replies carry no key material; keys survive a restart.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
OPSD_T=4 OPSD_M=2 opsd_setup
opsd_start
n1=$(nid 1) n2=$(nid 2) n3=$(nid 3)
register "$n1" 50
k0=$(jbody .key)
check "register: no next key yet" [ "$(jbody .next_key)" = null ]
register "$n2" 80
register "$n3" 30
check "n1 and n3 in region 0, n2 in region 1" [ "$(sq "SELECT group_concat(region) FROM (SELECT region FROM nodes ORDER BY id)")" = 0,1,0 ]

node "$n1" GET /api/v1/keys
check "GET keys: current key, no next" [ "$CODE/$(jbody .key)/$(jbody .next_key)" = "200/$k0/null" ]
admin POST /api/v1/regions/0/key '{"action":"stage"}'
check "stage a next key -> 200" code_is 200
check "  reply holds no key material" ! grep -Eq '[0-9a-f]{64}' "$T/body"
admin POST /api/v1/regions/0/key '{"action":"stage"}'
check "stage twice -> 409" err_has "already staged"
node "$n1" GET /api/v1/keys
next=$(jbody .next_key)
check "region 0 node sees the current key" [ "$(jbody .key)" = "$k0" ]
check "  and the next one beside it" grep -Eq '^[0-9a-f]{64}$' <<<"$next"
check "  which differs" [ "$next" != "$k0" ]
node "$n2" GET /api/v1/keys
check "region 1 is untouched" [ "$(jbody .next_key)" = null ]
register "$n3" 30
check "registration hands out the next key too" [ "$(jbody .key)/$(jbody .next_key)" = "$k0/$next" ]

opsd_stop
opsd_start
node "$n1" GET /api/v1/keys
check "staged key survives a restart" [ "$(jbody .next_key)" = "$next" ]
admin POST /api/v1/regions/0/key '{"action":"promote"}'
check "promote -> 200" code_is 200
node "$n1" GET /api/v1/keys
check "next key is now current" [ "$(jbody .key)/$(jbody .next_key)" = "$next/null" ]
admin POST /api/v1/regions/0/key '{"action":"promote"}'
check "promote with nothing staged -> 409" err_has "no next key staged"
admin POST /api/v1/regions/0/key '{"action":"shred"}'
check "unknown action -> 400" err_has "'shred' is not stage or promote"
admin POST /api/v1/regions/7/key '{"action":"stage"}'
check "unknown region -> 404" code_is 404
nodej "$n1" POST /api/v1/regions/0/key '{"action":"stage"}'
check "a node cannot rotate keys" [ "${CODE:0:1}" = 4 ]
check "  no next key staged" [ "$(sq "SELECT next_key IS NULL FROM regions WHERE id = 0")" = 1 ]
admin GET /api/v1/keys
check "keys need a node identity" code_is 400
check "rotation audited" [ "$(sq "SELECT group_concat(action) FROM (SELECT action FROM audit ORDER BY id)")" = key_stage,key_promote ]
check "no key in the log" ! grep -q -e "$k0" -e "$next" "$T/opsd.log"
finish
