#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# The RVS's package service under hostile clients on loopback, run alone
# (tests/tools/pkgsrv-run: the agent itself needs the kernel module) on
# interface lo (127.0.0.1); the region's peer table is 127.0.0.2.
# THREATS.md "outsider on a region's network": the package service serves
# only the region's nodes; no socket, descriptor or CPU of a node is
# exhausted by cheap traffic.
set -u
. "$RUP_SRC/tests/lib-assert.sh"
. "$RUP_SRC/tests/lib-port.sh"
RUN=$RUP_BUILD/tests/tools/pkgsrv-run
CLIENTS=$RUP_SRC/tests/tools/pkgsrv-clients.py
T=$(mktemp -d)
SRV=
HOLD=
MEMBER=127.0.0.2
TMO=3

cleanup() {
	[ -z "$HOLD" ] || kill "$HOLD" 2>/dev/null
	[ -z "$SRV" ] || kill "$SRV" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
srv_log() {
	echo "--- package service log (last 20 of $(wc -l <"$T/srv.log") lines)"
	tail -n 20 "$T/srv.log"
	echo "--- its descriptors"
	ls -l "/proc/$SRV/fd" 2>/dev/null | tail -n +2 | awk '{ print $NF }' | sort | uniq -c | sort -rn | head
}
on_fail srv_log

# srv_start NOFILE [ARGS]: the service with at most NOFILE descriptors.
srv_start() {
	local nofile=$1
	shift
	[ -z "$SRV" ] || kill "$SRV" 2>/dev/null
	[ -z "$SRV" ] || wait "$SRV" 2>/dev/null
	PORT=$(free_port)
	prlimit --nofile="$nofile:$nofile" -- "$RUN" -i lo -p "$PORT" -s "$T/store" \
		-m "$MEMBER" -t "$TMO" "$@" 2>"$T/srv.log" &
	SRV=$!
	for _ in $(seq 50); do
		ss -Htln "sport = :$PORT" | grep -q . && return 0
		sleep 0.1
	done
	fail "package service did not start"
}

# fetch SRC [ADDR]: HTTP status of a member's GET of the package (000: none).
fetch() {
	curl -s -o "$T/got" -w '%{http_code}' --max-time 5 --interface "$1" \
		"http://${2:-127.0.0.1}:$PORT/pkg/2.0.0"
}

# served_within S: a member's fetch answers 200 within S seconds (retried).
served_within() {
	local end=$((SECONDS + $1)) code
	while :; do
		code=$(fetch $MEMBER)
		[ "$code" = 200 ] && return 0
		[ $SECONDS -lt $end ] || break
		sleep 0.2
	done
	log "last answer: $code"
	return 1
}

# cpu_ticks: user + system clock ticks the service used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SRV/stat"; }

# hold N [SRC]: N idle sockets from N addresses (none in the region), or
# all from SRC.
hold() {
	: >"$T/hold.out"
	python3 "$CLIENTS" idle 127.0.0.1 "$PORT" "$@" >"$T/hold.out" &
	HOLD=$!
	for _ in $(seq 50); do
		grep -q opened "$T/hold.out" && return 0
		sleep 0.1
	done
	fail "idle clients did not start"
}

unhold() {
	kill "$HOLD" 2>/dev/null
	wait "$HOLD" 2>/dev/null
	HOLD=
}

# quiet_under_load: CPU and log over a 4 s window of held sockets.
quiet_under_load() {
	local t0 t1 hz pct lines
	hz=$(getconf CLK_TCK)
	t0=$(cpu_ticks)
	sleep 4
	t1=$(cpu_ticks)
	pct=$(((t1 - t0) * 100 / (4 * hz)))
	lines=$(wc -l <"$T/srv.log")
	log "service CPU ${pct}% over 4 s, log $lines lines, $(wc -c <"$T/srv.log") bytes"
	check "service under 20% CPU with $1" [ "$pct" -lt 20 ]
	check "service log bounded with $1 (<= 20 lines)" [ "$lines" -le 20 ]
}

mkdir -p "$T/store"
head -c 1000000 /dev/urandom >"$T/store/2.0.0.pkg"

srv_start 256
check "a member's fetch is served" [ "$(fetch $MEMBER)" = 200 ]
check "  with the whole package" cmp -s "$T/got" "$T/store/2.0.0.pkg"
check "a caller outside the region gets 403" [ "$(fetch 127.0.0.9)" = 403 ]
curl -s -o /dev/null -D "$T/hdr" --interface 127.0.0.9 "http://127.0.0.1:$PORT/pkg/2.0.0"
check "  and the connection is closed" grep -qi '^Connection: close' "$T/hdr"
check "not served on another address (127.0.0.5)" [ "$(fetch $MEMBER 127.0.0.5)" = 000 ]

# Slowloris: one header byte a second is closed by the request deadline.
check "a slow client is closed by the ${TMO} s deadline" \
	python3 "$CLIENTS" slow 127.0.0.1 "$PORT" 127.0.0.3 $((TMO + 4))

# 300 idle sockets from 300 addresses against a 256-descriptor limit.
hold 300
check "a member's fetch is served with 300 idle sockets" [ "$(fetch $MEMBER)" = 200 ]
quiet_under_load "300 idle sockets"
check "  those past the cap for outsiders were closed at accept" \
	grep -q 'at the cap of connections from outside the region' "$T/srv.log"
unhold

# Per address: 6 idle sockets from one address, 4 (max_per_ip) are kept.
hold 6 127.0.0.4
sleep 0.5 # accepted
n=$(ss -Htn state established "( sport = :$PORT and dst 127.0.0.4 )" | wc -l)
check "4 of 6 connections from one address kept (got $n)" [ "$n" = 4 ]
unhold

# One connection (-c 1), held idle by another member: counted at accept, so
# a member's request gets 503 with Retry-After, and the connection closes.
srv_start 256 -c 1 -m 127.0.0.4
hold 1 127.0.0.4
sleep 0.5 # the idle socket accepted first
curl -s -o /dev/null -D "$T/hdr" --interface $MEMBER "http://127.0.0.1:$PORT/pkg/2.0.0"
check "past max_connections a member gets 503" grep -q '^HTTP/1.1 503' "$T/hdr"
check "  with Retry-After" grep -qi '^Retry-After: 2' "$T/hdr"
check "  and the connection closed" grep -qi '^Connection: close' "$T/hdr"
unhold

# Descriptors used up (a limit of 16): accept errors pause the listener.
srv_start 16
hold 300
quiet_under_load "no descriptor left"
check "accept errors were logged" grep -q 'accept: Too many open files' "$T/srv.log"
unhold
check "a member's fetch is served within 10 s of the sockets' close" served_within 10
check "no sanitizer report in the service log" ! grep -q -e Sanitizer -e 'runtime error' "$T/srv.log"
echo "all checks passed"
