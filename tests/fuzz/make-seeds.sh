#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerate tests/fuzz/seeds/fuzz_beacon with beacon-craft (fixed ids and sequences, so
# the files only change when the wire format does).
# usage: make-seeds.sh BEACON_CRAFT
set -eu
craft=$1
dir=$(cd "$(dirname "$0")" && pwd)/seeds/fuzz_beacon
mkdir -p "$dir"
id=00112233445566778899aabbccddeeff
common=(--node-id "$id" --seq 1700000000000000000 --region 7 --term 3 --score 1000)
sha=$(printf 'ab%.0s' $(seq 32))
long=$(printf 'v%.0s' $(seq 63))
path=/$(printf 'p%.0s' $(seq 126))
"$craft" "${common[@]}" --out "$dir/plain"
"$craft" "${common[@]}" --flags rvs --offer-version 2.0.0 --offer-sha256 "$sha" \
	--offer-size 1048576 --offer-port 8080 --offer-path /pkg/rup-2.0.0.tar --out "$dir/offer"
"$craft" "${common[@]}" --unknown-tlv --out "$dir/unknown-tlv"
"$craft" "${common[@]}" --version "$long" --offer-version "$long" \
	--offer-path "$path" --flags candidate,abnormal --out "$dir/longest"
"$craft" "${common[@]}" --no-version --out "$dir/no-version"
"$craft" "${common[@]}" --oversize --out "$dir/oversize"
"$craft" "${common[@]}" --truncate 60 --out "$dir/truncated"
