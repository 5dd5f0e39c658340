#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# `rup-opsd plan`: the worked example of docs/ASSIGNMENT.md gives exactly its
# layout; re-registration keeps the region and does not move S; bad input
# lines and options fail with the line number and a reason.
set -eu
: "${RUP_SRC:?}" "${RUP_BUILD:?}"
. "$RUP_SRC/tests/lib-assert.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$RUP_BUILD/rup-opsd" ] || fail "$RUP_BUILD/rup-opsd not built"
plan() { "$RUP_BUILD/rup-opsd" plan "$@"; }

# 1. The worked example, T = 12, M = 4, output checked byte for byte.
cat >"$tmp/example.in" <<'EOF'
n01 50
n02 80
n03 30
n04 90
n05 20
n06 60
n07 85
n08 10
n09 40
n10 95
n11 70
n12 25
n13 99
EOF
cat >"$tmp/example.want" <<'EOF'
n01 0 239.192.0.0
n02 1 239.192.0.1
n03 2 239.192.0.2
n04 2 239.192.0.2
n05 1 239.192.0.1
n06 0 239.192.0.0
n07 0 239.192.0.0
n08 1 239.192.0.1
n09 2 239.192.0.2
n10 1 239.192.0.1
n11 0 239.192.0.0
n12 2 239.192.0.2
n13 3 239.192.0.3
EOF
if plan --nodes 12 --max-per-region 4 <"$tmp/example.in" >"$tmp/example.out" &&
	cmp -s "$tmp/example.out" "$tmp/example.want"; then
	ok "worked example (docs/ASSIGNMENT.md)"
else
	diff "$tmp/example.want" "$tmp/example.out" || true
	fail "worked example (docs/ASSIGNMENT.md)"
fi

# 2. Re-registration: n05 again with a new score keeps region 1, and every
#    other node lands where it would without the repeat (S unchanged).
sed '7a n05 1000' "$tmp/example.in" >"$tmp/rereg.in"
plan -n 12 -m 4 <"$tmp/rereg.in" >"$tmp/rereg.out"
if [ "$(sed -n 8p "$tmp/rereg.out")" = "n05 1 239.192.0.1" ] &&
	sed 8d "$tmp/rereg.out" | cmp -s - "$tmp/example.want"; then
	ok "re-registration keeps its region, S unchanged"
else
	cat "$tmp/rereg.out"
	fail "re-registration"
fi

# 3. Comments, blank lines, tabs and CRLF are accepted; another pool.
printf '# fleet\n\nn01\t50\r\n  n02 80  \nn03 30\n' |
	plan -n 3 -m 1 --pool 239.7.0.0/24 >"$tmp/fmt.out"
if printf 'n01 0 239.7.0.0\nn02 1 239.7.0.1\nn03 2 239.7.0.2\n' | cmp -s - "$tmp/fmt.out"; then
	ok "comments, blanks, CRLF, --pool"
else
	cat "$tmp/fmt.out"
	fail "comments, blanks, CRLF, --pool"
fi

# 4. Bad lines: exit 1, the message names the line and the problem.
expect_fail() { # NAME WANT_RC WANT_MESSAGE_RE INPUT ARGS...
	local name=$1 rc_want=$2 re=$3 input=$4 rc=0
	shift 4
	printf '%b' "$input" | plan "$@" >/dev/null 2>"$tmp/err" || rc=$?
	if [ "$rc" -eq "$rc_want" ] && grep -Eq -- "$re" "$tmp/err"; then
		ok "$name: $(head -n 1 "$tmp/err")"
	else
		fail "$name (exit $rc, want $rc_want; stderr: $(head -n 1 "$tmp/err"))"
	fi
}
long=$(printf 'x%.0s' $(seq 300))
expect_fail "no score" 1 '^rup-opsd plan: line 2: node .n02. has no score' 'n01 5\nn02\n' -n 4 -m 2
expect_fail "score not a number" 1 "line 1: score 'abc' is not an integer" 'n01 abc\n' -n 4 -m 2
expect_fail "score too big" 1 "line 1: score '4294967296'" 'n01 4294967296\n' -n 4 -m 2
expect_fail "negative score" 1 "line 1: score '-1'" 'n01 -1\n' -n 4 -m 2
expect_fail "extra field" 1 "line 1: unexpected 'x' after the score" 'n01 5 x\n' -n 4 -m 2
expect_fail "bad id char" 1 "line 1: node id 'n/1' has a character" 'n/1 5\n' -n 4 -m 2
expect_fail "id too long" 1 "line 1: node id .* longer than 64" "$(printf 'a%.0s' $(seq 65)) 5\n" -n 4 -m 2
expect_fail "line too long" 1 "line 2: longer than 255 bytes" "n01 5\n$long 5\n" -n 4 -m 2
expect_fail "NUL byte" 1 "line 1: contains a NUL byte" 'n01\0 5\n' -n 4 -m 2
expect_fail "pool exhausted" 1 "line 3: every region is full and pool 239.1.1.0/31" \
	'a 1\nb 2\nc 3\n' -n 2 -m 1 --pool 239.1.1.0/31
# 5. Bad options: exit 2.
expect_fail "missing --nodes" 2 "--nodes and --max-per-region are required" 'n01 5\n' -m 2
expect_fail "zero M" 2 "--max-per-region '0': must be an integer 1" 'n01 5\n' -n 4 -m 0
expect_fail "unicast pool" 2 "pool '10.0.0.0/8': must lie inside 224.0.0.0/4" '' -n 4 -m 2 --pool 10.0.0.0/8
expect_fail "pool too small" 2 "pool 239.1.1.0/31 has 2 addresses, 3 regions" '' -n 3 -m 1 --pool 239.1.1.0/31

# 6. 20,000 generated nodes (5 % re-registrations), T = 10,000, M = 50:
#    one line out per line in, no region above M, growth past T.
gen=$RUP_BUILD/bench/plan-gen
if [ -x "$gen" ]; then
	"$gen" 20000 7 5 >"$tmp/big.in"
	plan -n 10000 -m 50 <"$tmp/big.in" >"$tmp/big.out"
	lines=$(wc -l <"$tmp/big.out")
	maxsize=$(sort -u "$tmp/big.out" | awk '{print $2}' | sort | uniq -c | sort -n | tail -n 1 | awk '{print $1}')
	nodes=$(sort -u "$tmp/big.out" | wc -l)
	regions=$(awk '{print $2}' "$tmp/big.out" | sort -u | wc -l)
	want_regions=$(( (nodes + 49) / 50 ))
	if [ "$lines" -eq 20000 ] && [ "$maxsize" -le 50 ] && [ "$regions" -eq "$want_regions" ]; then
		ok "20000 lines, $nodes distinct nodes, $regions regions, largest $maxsize"
	else
		fail "big: lines $lines nodes $nodes regions $regions (want $want_regions) largest $maxsize"
	fi
else
	fail "plan-gen not built ($gen): run make tests"
fi

echo "all checks passed"
