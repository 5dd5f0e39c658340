# SPDX-License-Identifier: GPL-2.0
# Helpers for the rup-opsd host tests and bench/host/opsd.sh (sourced, not
# run: not executable). A real rup-opsd on 127.0.0.1 with TLS from a test CA
# made here, a release key pair made with the openssl CLI, a random free
# port; everything lives in $T and everything started is stopped by the EXIT
# trap. Knobs (env, before opsd_conf): OPSD_T (nodes, 4), OPSD_M (per region,
# 2), OPSD_POOL, OPSD_LONGPOLL (s, 20), OPSD_BUDGET (downloads, 8);
# OPSD_VERBOSE=0 (before opsd_start) drops -v; OPSD_NOFILE=N starts it with
# RLIMIT_NOFILE N.
: "${RUP_SRC:?}" "${RUP_BUILD:?}"
OPSD=$RUP_BUILD/rup-opsd
T=$(mktemp -d)
OPSD_PID=
ENROLL=enroll-token-0123456789abcdef
ADMIN=admin-token-0123456789abcdef
. "$RUP_SRC/tests/lib-assert.sh"
. "$RUP_SRC/tests/lib-pki.sh"
. "$RUP_SRC/tests/lib-port.sh"

# opsd_stop [SIGNAL]: stop rup-opsd (SIGTERM); its exit status returned.
# shellcheck disable=SC2120 # the signal is optional
opsd_stop() {
	local rc=0
	[ -n "$OPSD_PID" ] || return 0
	kill "-${1:-TERM}" "$OPSD_PID" 2>/dev/null
	wait "$OPSD_PID" 2>/dev/null || rc=$?
	OPSD_PID=
	return $rc
}

opsd_cleanup() {
	opsd_stop
	[ -n "${KEEP_T:-}" ] || rm -rf "$T"
}
trap opsd_cleanup EXIT

opsd_log_tail() {
	echo "--- rup-opsd log"
	tail -n 30 "$T/opsd.log"
}
on_fail opsd_log_tail

# finish: the last check of every test.
finish() {
	check "no sanitizer report in the server log" ! grep -q -e Sanitizer -e 'runtime error' "$T/opsd.log"
	echo "all checks passed"
}

# opsd_pki: test CA, server certificate for 127.0.0.1, the trusted release
# key pair ($T/release.key) and an untrusted key ($T/other.key).
opsd_pki() {
	mkdir -p "$T/keys" "$T/pkg"
	pki_make "$T/pki" 127.0.0.1 || fail "test CA and server certificate"
	release_key_make "$T/release.key" "$T/keys/release.pub" &&
		release_key_make "$T/other.key" || fail "release keys"
}

# opsd_conf [EXTRA]: $T/opsd.conf on a free port ($PORT, $URL); EXTRA lines
# go into [server].
opsd_conf() {
	local o=$T/pki
	PORT=$(free_port)
	URL=https://127.0.0.1:$PORT
	cat >"$T/opsd.conf" <<EOC
[fleet]
nodes = ${OPSD_T:-4}
max_per_region = ${OPSD_M:-2}
pool = ${OPSD_POOL:-239.192.7.0/24}
port = 7946
[server]
listen = 127.0.0.1
port = $PORT
cert = $o/server.pem
key = $o/server.key
longpoll_timeout = ${OPSD_LONGPOLL:-20}
max_body = 4096
download_budget = ${OPSD_BUDGET:-8}
$*
[auth]
enrollment_token = $ENROLL
admin_token = $ADMIN
[store]
database = $T/rup.db
packages = $T/pkg
release_keys = $T/keys
EOC
}

# opsd_setup [EXTRA]: opsd_pki, then opsd_conf EXTRA.
# shellcheck disable=SC2120 # extra config lines are optional
opsd_setup() {
	opsd_pki
	opsd_conf "$@"
}

# opsd_start [CONF [ARGS...]]: rup-opsd with CONF ($T/opsd.conf) and ARGS,
# its log appended to $T/opsd.log; returns once it answers.
# shellcheck disable=SC2120 # both are optional
opsd_start() {
	local conf=${1:-$T/opsd.conf} v=(-v) pre=()
	[ $# -eq 0 ] || shift
	[ "${OPSD_VERBOSE:-1}" = 1 ] || v=()
	[ -z "${OPSD_NOFILE:-}" ] || pre=(prlimit "--nofile=$OPSD_NOFILE:$OPSD_NOFILE")
	"${pre[@]}" "$OPSD" -c "$conf" "${v[@]}" "$@" >>"$T/opsd.log" 2>&1 &
	OPSD_PID=$!
	for _ in $(seq 100); do
		curl -s -o /dev/null --cacert "$T/pki/ca.pem" "$URL/metrics" && return 0
		kill -0 "$OPSD_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "rup-opsd did not start"
}

# api METHOD PATH [curl args...]: body in ${BODY:-$T/body}, status code in $CODE
# (and in BODY.code, for calls run in the background).
api() {
	local m=$1 p=$2 b=${BODY:-$T/body}
	shift 2
	CODE=$(curl -s -o "$b" -w '%{http_code}' --cacert "$T/pki/ca.pem" -X "$m" \
		"$@" "$URL$p")
	echo "$CODE" >"$b.code"
}
# admin_put PATH [curl args...]: an admin PUT as api does, on a connection
# whose admin token the server checked first (GET /api/v1/releases): only
# such a connection may send a body over max_body (docs/API.md, "Limits").
admin_put() {
	local p=$1 b=${BODY:-$T/body}
	shift
	CODE=$(curl -s -o /dev/null --cacert "$T/pki/ca.pem" -H "Authorization: Bearer $ADMIN" \
		"$URL/api/v1/releases" --next -s -o "$b" -w '%{http_code}' --cacert "$T/pki/ca.pem" \
		-X PUT -H "Authorization: Bearer $ADMIN" "$@" "$URL$p")
	echo "$CODE" >"$b.code"
}
admin() { # admin METHOD PATH [JSON]
	if [ $# -ge 3 ]; then
		api "$1" "$2" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
			--data-binary "$3"
	else
		api "$1" "$2" -H "Authorization: Bearer $ADMIN"
	fi
}
# register ID SCORE [VERSION]: node token into $T/tok.ID
register() {
	api POST /api/v1/register -H "Authorization: Bearer $ENROLL" \
		--data-binary "{\"node_id\":\"$1\",\"score\":$2,\"version\":\"${3:-1.0.0}\",\"addresses\":[\"127.0.0.1\"]}"
	if [ "$CODE" = 201 ] || [ "$CODE" = 200 ]; then
		jq -r .node_token "$T/body" >"$T/tok.$1"
	fi
}
node() { # node ID METHOD PATH [curl args...]
	local id=$1 m=$2 p=$3
	shift 3
	api "$m" "$p" -H "Authorization: Bearer $(cat "$T/tok.$id")" -H "X-Rup-Node: $id" "$@"
}
nodej() { # nodej ID METHOD PATH JSON
	node "$1" "$2" "$3" -H 'Content-Type: application/json' --data-binary "$4"
}
# report ID TASK TERM STATE [MEMBERS]: node ID's report on TASK at TERM;
# MEMBERS are more JSON members: '"reason":"x"', "$(nodes_of ...)".
report() {
	nodej "$1" POST /api/v1/reports "{\"task_id\":$2,\"term\":$3,\"state\":\"$4\"${5:+,$5}}"
}
# nodes_of ID/VERSION/STATE...: a report's "nodes" member.
nodes_of() {
	local e n v s out=
	for e in "$@"; do
		IFS=/ read -r n v s <<<"$e"
		out+="${out:+,}{\"node_id\":\"$n\",\"version\":\"$v\",\"state\":\"$s\"}"
	done
	printf '"nodes":[%s]' "$out"
}
nid() { printf '%032x' "$1"; }
jbody() { jq -r "$1" "$T/body"; }
code_is() { [ "$CODE" = "$1" ] || { echo "    got HTTP $CODE: $(head -c 300 "$T/body")"; return 1; }; }
# The body is a JSON error whose message contains $1.
err_has() { jq -e --arg s "$1" '.error | contains($s)' "$T/body" >/dev/null ||
	{ echo "    error was: $(head -c 300 "$T/body")"; return 1; }; }
sq() { sqlite3 "$T/rup.db" "$1"; }

# make_release VERSION [SIZE] [KEY]: payload, manifest and signature under $T/rel/VERSION.
make_release() {
	local v=$1 size=${2:-100000} key=${3:-$T/release.key} d=$T/rel/$1
	mkdir -p "$d"
	head -c "$size" /dev/urandom >"$d/payload"
	printf '{"format":1,"name":"fw","version":"%s","range":">=1.0.0,<%s","summary":"test release %s","sha256":"%s","size":%s,"created":"2026-11-25T12:00:00Z"}\n' \
		"$v" "$v" "$v" "$(sha256sum "$d/payload" | cut -d' ' -f1)" "$size" >"$d/manifest"
	openssl pkeyutl -sign -rawin -inkey "$key" -in "$d/manifest" -out "$d/sig.bin"
	base64 -w0 "$d/sig.bin" >"$d/sig"
}
publish_json() { # publish_json VERSION
	printf '{"manifest":"%s","signature":"%s"}' "$(base64 -w0 "$T/rel/$1/manifest")" \
		"$(cat "$T/rel/$1/sig")"
}
# upload VERSION FILE CHUNK [FIRST] [COUNT]: PUT FILE from byte FIRST (0) in
# CHUNK-byte requests with Content-Range, at most COUNT of them (all); stops
# at the first answer that is not 202.
upload() {
	local v=$1 f=$2 chunk=$3 a=${4:-0} count=${5:-1000000} size b
	size=$(stat -c %s "$f")
	while [ "$a" -lt "$size" ] && [ "$count" -gt 0 ]; do
		count=$((count - 1))
		b=$((a + chunk - 1))
		[ "$b" -ge "$size" ] && b=$((size - 1))
		tail -c +$((a + 1)) "$f" | head -c $((b - a + 1)) >"$T/chunk"
		admin_put "/api/v1/releases/$v/payload" -H "Content-Range: bytes $a-$b/$size" --data-binary @"$T/chunk"
		[ "$CODE" = 202 ] || return 0
		a=$((b + 1))
	done
}
publish() { # publish VERSION: manifest then payload
	admin POST /api/v1/releases "$(publish_json "$1")"
	[ "$CODE" = 201 ] || return 1
	admin_put "/api/v1/releases/$1/payload" --data-binary @"$T/rel/$1/payload"
	[ "$CODE" = 200 ]
}
