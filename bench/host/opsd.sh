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
export RUP_SRC=$src RUP_BUILD=$src/${O:-build}
# The tests' rup-opsd helpers: test CA, config, start and stop.
. "$src/tests/host/opsd-lib.sh"
regload=$RUP_BUILD/bench/regload
if [ ! -x "$OPSD" ] || [ ! -x "$regload" ]; then
	echo "opsd.sh: build $OPSD and $regload first" >&2
	exit 1
fi
count=${REG_COUNT:-2000}
cap=${LP_CAP:-512}
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
opsd_pki
OPSD_LONGPOLL=600 OPSD_VERBOSE=0

start() { # start NODES MAX_PER_REGION POOL: a fresh database each time
	rm -f "$T"/rup.db*
	OPSD_T=$1 OPSD_M=$2 OPSD_POOL=$3 opsd_conf "max_longpolls = $cap
max_connections = $((cap * 4))
max_per_peer = $((cap * 4))"
	opsd_start
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$OPSD_PID/status"; }
metric() {
	curl -s --cacert "$T/pki/ca.pem" "$URL/metrics" | awk -v n="$1" '$1 == n { print $2; exit }'
}

for c in 1 8 64; do
	start "$count" 50 239.192.0.0/16
	line=$("$regload" register "$URL" "$T/pki/ca.pem" \
		"$ENROLL" "$count" "$c" "$T/nodes")
	echo "# $line" >&2
	# shellcheck disable=SC2086 # split regload's "name value" words
	set -- $line
	echo "reg_c${c}_count=$2 reg_c${c}_failed=$4 reg_c${c}_s=$8 reg_c${c}_rate=${10} reg_c${c}_p50_ms=${12} reg_c${c}_p99_ms=${14}"
	opsd_stop || true
done

# Long-polls: one node per region (M = 1), so every poll is a distinct RVS.
n=$((cap + 64))
start "$n" 1 239.192.0.0/16
"$regload" register "$URL" "$T/pki/ca.pem" "$ENROLL" \
	"$n" 64 "$T/nodes" >/dev/null
sleep 1
base=$(rss_kb)
"$regload" longpoll "$URL" "$T/pki/ca.pem" "$T/nodes" "$n" 40 >"$T/lp.out" &
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
