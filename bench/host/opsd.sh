#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ops server benchmark on loopback (host): registrations/s over HTTPS with
# 1, 8 and 64 concurrent clients (bench/tools/regload, libcurl multi, test
# CA), each level against a fresh rup-opsd; then long-poll capacity: CAP + 64
# RVS long-polls of distinct regions, how many are held, and the server's
# RSS per held poll. Prints key=value lines for bench/run.sh.
#   O=build/x bench/host/opsd.sh     (REG_COUNT, LP_CAP to change sizes)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/${O:-build}
opsd=$build/rup-opsd
regload=$build/bench/regload
if [ ! -x "$opsd" ] || [ ! -x "$regload" ]; then
	echo "opsd.sh: build $opsd and $regload first" >&2
	exit 1
fi
count=${REG_COUNT:-2000}
cap=${LP_CAP:-512}
T=$(mktemp -d)
pid=
stop() {
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
	pid=
}
trap 'stop; rm -rf "$T"' EXIT
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

o=$T/pki
mkdir -p "$o" "$T/keys"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=rup-bench-ca -keyout "$o/ca.key" -out "$o/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
	-keyout "$o/server.key" -out "$o/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$o/ext"
openssl x509 -req -in "$o/server.csr" -CA "$o/ca.pem" -CAkey "$o/ca.key" \
	-CAcreateserial -days 2 -extfile "$o/ext" -out "$o/server.pem" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$T/release.key" 2>/dev/null
openssl pkey -in "$T/release.key" -pubout -out "$T/keys/release.pub"

port=
start() { # start NODES MAX_PER_REGION POOL
	local db=$T/db.$RANDOM
	mkdir -p "$db/pkg"
	while :; do
		port=$((20000 + RANDOM % 12000))
		ss -Htln "sport = :$port" | grep -q . || break
	done
	cat >"$T/opsd.conf" <<EOC
[fleet]
nodes = $1
max_per_region = $2
pool = $3
port = 7946
[server]
listen = 127.0.0.1
port = $port
cert = $o/server.pem
key = $o/server.key
longpoll_timeout = 600
max_longpolls = $cap
max_connections = $((cap * 4))
[auth]
enrollment_token = bench-enroll-0123456789abcdef
admin_token = bench-admin-0123456789abcdef
[store]
database = $db/rup.db
packages = $db/pkg
release_keys = $T/keys
EOC
	"$opsd" -c "$T/opsd.conf" >>"$T/opsd.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		curl -s -o /dev/null --cacert "$o/ca.pem" "https://127.0.0.1:$port/metrics" && return 0
		sleep 0.1
	done
	cat "$T/opsd.log" >&2
	echo "opsd.sh: rup-opsd did not start" >&2
	exit 1
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
metric() {
	curl -s --cacert "$o/ca.pem" "https://127.0.0.1:$port/metrics" | awk -v n="$1" '$1 == n { print $2; exit }'
}

for c in 1 8 64; do
	start "$count" 50 239.192.0.0/16
	line=$("$regload" register "https://127.0.0.1:$port" "$o/ca.pem" \
		bench-enroll-0123456789abcdef "$count" "$c" "$T/nodes")
	echo "# $line" >&2
	# shellcheck disable=SC2086 # split regload's "name value" words
	set -- $line
	echo "reg_c${c}_count=$2 reg_c${c}_failed=$4 reg_c${c}_s=$8 reg_c${c}_rate=${10} reg_c${c}_p50_ms=${12} reg_c${c}_p99_ms=${14}"
	stop
done

# Long-polls: one node per region (M = 1), so every poll is a distinct RVS.
n=$((cap + 64))
start "$n" 1 239.192.0.0/16
"$regload" register "https://127.0.0.1:$port" "$o/ca.pem" bench-enroll-0123456789abcdef \
	"$n" 64 "$T/nodes" >/dev/null
sleep 1
base=$(rss_kb)
"$regload" longpoll "https://127.0.0.1:$port" "$o/ca.pem" "$T/nodes" "$n" 40 >"$T/lp.out" &
lp=$!
held=0
for _ in $(seq 300); do
	held=$(metric rup_longpolls)
	[ "${held:-0}" -ge "$cap" ] && break
	sleep 0.1
done
sleep 2
held=$(metric rup_longpolls)
conns=$(metric rup_connections)
rss=$(rss_kb)
kill "$lp" 2>/dev/null || true
wait "$lp" 2>/dev/null || true
echo "# long-poll: cap $cap, tried $n, held $held, connections $conns, RSS $base -> $rss kB" >&2
echo "lp_cap=$cap lp_tried=$n lp_held=$held lp_conns=$conns lp_rss0_kb=$base lp_rss_kb=$rss" \
	"lp_per_conn_kb=$(awk -v a="$base" -v b="$rss" -v h="$held" 'BEGIN { printf "%.1f", h ? (b - a) / h : 0 }')"
