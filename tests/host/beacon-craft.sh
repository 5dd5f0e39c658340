#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# beacon-craft builds what docs/PROTOCOL.md documents: the example beacon
# byte for byte, an HMAC that OpenSSL's CLI agrees with, and each breakage
# changing exactly what it says.
# "cond && ok || fail" is safe here: ok only echoes and cannot fail.
# shellcheck disable=SC2015
set -u
. "${RUP_SRC:?}/tests/lib-assert.sh"
craft=${RUP_BUILD:?}/tests/tools/beacon-craft
doc=$RUP_SRC/docs/PROTOCOL.md
[ -x "$craft" ] || fail "$craft not built"

key=$(printf '11%.0s' $(seq 32))
base=(--key "$key" --node-id 00112233445566778899aabbccddeeff
	--seq 1700000000000000000 --region 7 --term 3 --score 1000)

# 1. The documented example, taken from the xxd block in PROTOCOL.md.
want=$(sed -n '/^00000000: 52 55 50 42/,/^```/p' "$doc" | grep '^0000' |
	cut -c11-57 | tr -d ' \n')
got=$("$craft" --dump "${base[@]}")
[ -n "$want" ] && [ "$got" = "$want" ] && ok "PROTOCOL.md example matches" ||
	fail "PROTOCOL.md example: doc $want, craft $got"

# 2. MAC = HMAC-SHA256(key, everything before the MAC), per OpenSSL.
len=$((${#got} / 2))
# shellcheck disable=SC2059 # the hex, turned into \xNN escapes, is the format
unhex() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }
mac=$(unhex "${got:0:$(((len - 32) * 2))}" |
	openssl mac -digest SHA256 -macopt "hexkey:$key" HMAC | tr 'A-F' 'a-f')
[ "$mac" = "${got: -64}" ] && ok "HMAC agrees with openssl" || fail "HMAC: openssl $mac, craft ${got: -64}"

# 3. Breakages.
dump() { "$craft" --dump "${base[@]}" "$@"; }
byte() { echo "${1:$(($2 * 2)):2}"; }
b=$(dump --truncate 40); [ ${#b} -eq 80 ] && ok "--truncate 40" || fail "--truncate: ${#b} hex digits"
b=$(dump --oversize); [ ${#b} -eq $((513 * 2)) ] && ok "--oversize is 513 bytes" || fail "--oversize: $((${#b} / 2)) bytes"
b=$(dump --bad-magic); [ "${b:0:8}" != 52555042 ] && [ "${b:8}" != "${got:8}" ] && ok "--bad-magic" || fail "--bad-magic: $b"
b=$(dump --bad-version); [ "$(byte "$b" 4)" = 02 ] && ok "--bad-version" || fail "--bad-version: $b"
b=$(dump --wrong-region); [ "${b:16:8}" = 00000008 ] && ok "--wrong-region" || fail "--wrong-region: $b"
b=$(dump --bad-mac); [ "${b:0:$((${#b} - 64))}" = "${got:0:$((${#got} - 64))}" ] && [ "${b: -64}" != "${got: -64}" ] &&
	ok "--bad-mac changes only the MAC" || fail "--bad-mac: $b"
b=$(dump --unknown-tlv); [ $((${#b} / 2)) -eq $((len + 10)) ] && [ "${b:12:4}" = "$(printf '%04x' $((len + 10)))" ] &&
	ok "--unknown-tlv adds 10 bytes and fixes the length" || fail "--unknown-tlv: $b"
b=$(dump --no-version); [ $((${#b} / 2)) -eq 84 ] && ok "--no-version" || fail "--no-version: $((${#b} / 2)) bytes"
b=$(dump --tlv-overrun); [ $((${#b} / 2)) -eq $((len + 4)) ] && [ "${b:$(((len - 32 + 2) * 2)):4}" = ffff ] &&
	ok "--tlv-overrun" || fail "--tlv-overrun: $b"
n=$(dump --replay | wc -l); [ "$n" -eq 2 ] && ok "--replay sends twice" || fail "--replay: $n datagrams"
b=$(dump --count 3 | sort -u | wc -l); [ "$b" -eq 3 ] && ok "--count 3: 3 distinct" || fail "--count 3: $b distinct"
b=$(dump --random-ids 5 | cut -c25-56 | sort -u | wc -l); [ "$b" -eq 5 ] && ok "--random-ids 5" || fail "--random-ids: $b ids"

# 4. The sequence is the wall clock; --stale moves it back.
now=$(date +%s)
s1=$(( 0x$("$craft" --dump --key "$key" | cut -c73-88) / 1000000000 ))
s2=$(( 0x$("$craft" --dump --key "$key" --stale 300 | cut -c73-88) / 1000000000 ))
[ $((s1 - now)) -ge -2 ] && [ $((s1 - now)) -le 2 ] && ok "sequence is the wall clock" || fail "seq $s1 vs now $now"
[ $((s1 - s2)) -ge 298 ] && [ $((s1 - s2)) -le 302 ] && ok "--stale 300" || fail "--stale: $s1 vs $s2"

# 5. Errors carry context and exit 2.
msg=$("$craft" --key abc 2>&1); rc=$?
[ $rc -eq 2 ] && [[ $msg == *"key must be 32 bytes"* ]] && ok "bad key refused" || fail "bad key: rc $rc: $msg"
msg=$("$craft" --region 3 2>&1); rc=$?
[ $rc -eq 2 ] && [[ $msg == *"key is needed"* ]] && ok "missing key refused" || fail "missing key: rc $rc: $msg"
msg=$("$craft" --dump --version 'a b' 2>&1); rc=$?
[ $rc -eq 2 ] && [[ $msg == *"visible ASCII"* ]] && ok "unprintable version refused" || fail "bad version: rc $rc: $msg"
echo "all checks passed"
