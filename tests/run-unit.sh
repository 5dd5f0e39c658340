#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every cmocka unit test program in $O/tests/unit (default build/san),
# one PASS/FAIL line per test case into build/results/unit.txt.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
obuild=$src/${O:-build/san}
out=$src/build/results/unit.txt
mkdir -p "$(dirname "$out")" "$src/build/logs/unit"
: >"$out"
shopt -s nullglob
for prog in "$obuild"/tests/unit/test_*; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	log=$src/build/logs/unit/$name.log
	CMOCKA_MESSAGE_OUTPUT=TAP timeout 300 "$prog" >"$log" 2>&1
	rc=$?
	cases=0
	while read -r line; do
		case $line in
		"not ok "*) echo "FAIL unit/$name/$(echo "$line" | sed 's/^not ok [0-9]* - //')" >>"$out" ;;
		"ok "*) echo "PASS unit/$name/$(echo "$line" | sed 's/^ok [0-9]* - //')" >>"$out" ;;
		*) continue ;;
		esac
		cases=$((cases + 1))
	done <"$log"
	if [ $rc -ne 0 ] && ! grep -q "^FAIL unit/$name/" "$out"; then
		echo "FAIL unit/$name (exit $rc, see build/logs/unit/$name.log)" >>"$out"
	elif [ $cases -eq 0 ]; then
		echo "FAIL unit/$name (ran no test case)" >>"$out"
	fi
	grep -q "^FAIL unit/$name" "$out" && sed 's/^/  | /' "$log" | tail -n 40
done
cat "$out"
! grep -q '^FAIL' "$out"
