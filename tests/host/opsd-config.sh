#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# rup-opsd configuration and pool limits: bad settings exit 2 naming the
# setting; command-line overrides beat the file; the example config parses;
# an exhausted multicast pool refuses a new node (503) and stores nothing.
set -u
. "$RUP_SRC/tests/host/opsd-lib.sh"
opsd_setup
base=$T/opsd.conf

run() { "$OPSD" "$@" 2>"$T/err"; }
run -c "$base" --nodes 0
check "--nodes 0 -> exit 2" [ $? = 2 ]
check "  names the setting" grep -q "fleet.nodes: '0' is not a number in \[1, 100000000\]" "$T/err"
printf '[fleet]\nnodez = 5\n' >"$T/bad.conf"
run -c "$T/bad.conf"
check "unknown key -> exit 2" [ $? = 2 ]
check "  names file and key" grep -q "bad.conf: unknown setting fleet.nodez" "$T/err"
printf '[fleet\n' >"$T/bad.conf"
run -c "$T/bad.conf"
check "syntax error -> line number" grep -q "bad.conf: line 1: syntax error" "$T/err"
run -c "$base" --admin-token "$ADMIN"
check "a token on the command line refused (ps shows it)" \
	grep -q -- "--admin-token: a secret on the command line is visible to every user (ps); use --admin-token-file" "$T/err"
echo short >"$T/short.token"
run -c "$base" --admin-token-file "$T/short.token"
check "short token refused" grep -q "tokens must be at least 16 characters" "$T/err"
echo "$ENROLL" >"$T/enroll.token"
run -c "$base" --admin-token-file "$T/enroll.token"
check "admin token equal to the enrollment token refused" grep -q "must differ" "$T/err"
run -c "$base" --admin-token-file "$T/none"
check "missing token file named" grep -q "$T/none: No such file or directory" "$T/err"
run -c "$base" --interval-ms 1000 --dead-ms 900
check "dead interval must exceed interval" grep -q "fleet.dead_ms (900) must exceed fleet.interval_ms (1000)" "$T/err"
run -c "$base" --listen 0.0.0.0
check "wildcard listen needs public_url" grep -q "server.public_url is required when listening on the wildcard address 0.0.0.0" "$T/err"
run -c "$base" --public-url http://x
check "public_url must be https" grep -q "must be an https:// URL" "$T/err"
run -c "$base" --sync sometimes
check "store.sync must be full or normal" grep -q "store.sync: 'sometimes' is not full or normal" "$T/err"
run -c "$base" --cert "$T/none.pem"
check "unreadable certificate -> exit 1" [ $? = 1 ]
check "  names the file and why" grep -q "TLS: $T/none.pem: No such file or directory" "$T/err"
check "  before any database is made" [ ! -e "$T/rup.db" ]
run -c "$base" --key "$T/pki/ca.key"
check "key not matching the certificate refused" grep -q "TLS: $T/pki/ca.key: " "$T/err"
run -c "$base" --pool 10.0.0.0/8
check "non-multicast pool refused" [ $? = 1 ]
check "  nothing written" [ ! -e "$T/rup.db" ]
sed -e "s|/etc/rup/enrollment.token|$T/e.tok|; s|/etc/rup/admin.token|$T/a.tok|" \
	"$RUP_SRC/contrib/rup-opsd.conf" >"$T/example.conf"
echo "$ENROLL" >"$T/e.tok"
echo "$ADMIN" >"$T/a.tok"
run -c "$T/example.conf" --nodes 1 --cert /nonexistent --database "$T/x.db"
check "example config parses (fails only at the certificate)" grep -q "TLS: /nonexistent" "$T/err"
check "--help lists every setting" [ "$("$OPSD" --help | grep -c '^  --')" -ge 27 ]

# Pool of 4 groups, T = 2, M = 1: two regions, growth to four, then full.
sed -i 's|^pool = .*|pool = 239.192.9.0/30|; s|^nodes = .*|nodes = 2|; s|^max_per_region = .*|max_per_region = 1|' "$base"
# The command line beats the file.
sed -i 's|^port = 7946|port = 1111|' "$base"
opsd_start "$base" --port 7946
for i in 1 2 3 4; do register "$(nid $i)" $i; done
check "four nodes fill the four groups" [ "$(jbody .group)/$(jbody .port)" = 239.192.9.3/7946 ]
register "$(nid 5)" 5
check "fifth node: pool exhausted -> 503" err_has "multicast pool is exhausted"
check "  nothing stored" [ "$(sq "SELECT COUNT(*) FROM nodes")/$(sq "SELECT s FROM assign_meta")/$(sq "SELECT COUNT(*) FROM regions")" = 4/4/4 ]
admin DELETE "/api/v1/nodes/$(nid 2)"
register "$(nid 5)" 5
check "a removal frees a place for it" [ "$CODE/$(jbody .region_id)" = 201/1 ]
finish
