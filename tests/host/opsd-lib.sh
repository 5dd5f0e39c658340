# SPDX-License-Identifier: GPL-2.0
# Helpers for the rup-opsd host tests (sourced, not run: not executable).
# A real rup-opsd on 127.0.0.1 with TLS from a test CA made here, a release
# key pair made with the openssl CLI, a random free port; everything lives
# in $T and everything started is stopped by the EXIT trap.
: "${RUP_SRC:?}" "${RUP_BUILD:?}"
OPSD=$RUP_BUILD/rup-opsd
T=$(mktemp -d)
OPSD_PID=
ENROLL=enroll-token-0123456789abcdef
ADMIN=admin-token-0123456789abcdef
fails=0

opsd_cleanup() {
	if [ -n "$OPSD_PID" ]; then
		kill "$OPSD_PID" 2>/dev/null
		wait "$OPSD_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap opsd_cleanup EXIT

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # check DESCRIPTION [!] COMMAND...
	local d=$1 neg=0
	shift
	if [ "$1" = "!" ]; then
		neg=1
		shift
	fi
	local r=1
	if "$@"; then r=0; fi
	if [ "$r" = "$neg" ]; then ok "$d"; else bad "$d"; fi
}
finish() {
	check "no sanitizer report in the server log" ! grep -q -e Sanitizer -e 'runtime error' "$T/opsd.log"
	if [ "$fails" -ne 0 ]; then
		echo "--- rup-opsd log"
		tail -n 30 "$T/opsd.log"
		echo "$fails check(s) failed"
		exit 1
	fi
	echo "all checks passed"
}

# A random port nothing listens on (from the ephemeral range's neighbour).
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 12000))
		ss -Htln "sport = :$p" | grep -q . || break
	done
	echo "$p"
}

# Test CA, server certificate for 127.0.0.1, release key pair, config.
# shellcheck disable=SC2120 # extra config lines are optional
opsd_setup() { # opsd_setup [extra ini lines for [server]]
	local o=$T/pki
	mkdir -p "$o" "$T/keys" "$T/pkg"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=rup-test-ca -keyout "$o/ca.key" -out "$o/ca.pem" 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
		-keyout "$o/server.key" -out "$o/server.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1\n' >"$o/ext"
	openssl x509 -req -in "$o/server.csr" -CA "$o/ca.pem" -CAkey "$o/ca.key" \
		-CAcreateserial -days 2 -extfile "$o/ext" -out "$o/server.pem" 2>/dev/null
	openssl genpkey -algorithm ed25519 -out "$T/release.key" 2>/dev/null
	openssl pkey -in "$T/release.key" -pubout -out "$T/keys/release.pub"
	openssl genpkey -algorithm ed25519 -out "$T/other.key" 2>/dev/null
	PORT=$(free_port)
	URL=https://127.0.0.1:$PORT
	cat >"$T/opsd.conf" <<EOC
[fleet]
nodes = ${OPSD_T:-4}
max_per_region = ${OPSD_M:-2}
pool = 239.192.7.0/24
port = 7946
[server]
listen = 127.0.0.1
port = $PORT
cert = $o/server.pem
key = $o/server.key
longpoll_timeout = 20
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

opsd_start() {
	"$OPSD" -c "$T/opsd.conf" -v >>"$T/opsd.log" 2>&1 &
	OPSD_PID=$!
	for _ in $(seq 100); do
		curl -s -o /dev/null --cacert "$T/pki/ca.pem" "$URL/metrics" && return 0
		kill -0 "$OPSD_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "rup-opsd did not start:"
	cat "$T/opsd.log"
	exit 1
}

opsd_kill9() {
	kill -9 "$OPSD_PID"
	wait "$OPSD_PID" 2>/dev/null
	OPSD_PID=
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
		api PUT "/api/v1/releases/$v/payload" -H "Authorization: Bearer $ADMIN" \
			-H "Content-Range: bytes $a-$b/$size" --data-binary @"$T/chunk"
		[ "$CODE" = 202 ] || return 0
		a=$((b + 1))
	done
}
publish() { # publish VERSION: manifest then payload
	admin POST /api/v1/releases "$(publish_json "$1")"
	[ "$CODE" = 201 ] || return 1
	api PUT "/api/v1/releases/$1/payload" -H "Authorization: Bearer $ADMIN" \
		--data-binary @"$T/rel/$1/payload"
	[ "$CODE" = 200 ]
}
