#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# rupctl without the module (the host kernel has no rup family): versions,
# help at every level, argument errors (exit 1, with context), and
# "rup module not loaded" (exit 3) for every command that needs the kernel.
set -u
. "${RUP_SRC:?}/tests/lib-assert.sh"
RUPCTL=${RUP_BUILD:-build}/rupctl
[ -x "$RUPCTL" ] || fail "no $RUPCTL"
[ ! -d /sys/module/rup ] || fail "rup module is loaded on this host; the test needs it absent"
want_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "${RUP_SRC:-.}/dkms.conf")
out=""

# expect RC PATTERN ARGS...: run rupctl, check exit code and that the
# combined output matches the extended regex PATTERN.
expect() {
	local want=$1 pat=$2 rc
	shift 2
	out=$("$RUPCTL" "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ] || ! grep -Eq -- "$pat" <<<"$out"; then
		fail "rupctl $*: exit $rc (want $want), output:
    ${out//$'\n'/$'\n'    }
    (wanted /$pat/)"
	fi
}

# Versions: the tool's from dkms.conf, the module's absent.
expect 0 "^rupctl $want_ver\$" --version
expect 0 '^rup module not loaded$' --version
expect 0 "^rupctl $want_ver\$" version
expect 0 '"module":null' -j --version
expect 0 "\"rupctl\":\"$want_ver\"" -j version

# Help at every level goes to stdout with exit 0.
expect 0 '^Usage: rupctl' -h
expect 0 '^Usage: rupctl' --help
expect 0 '^Usage: rupctl' help
expect 0 'Exit codes: 0 ok, 1 usage, 2 kernel/netlink error, 3' -h
for args in "region -h" "region help" "region add -h" "region set help" \
	"region del --help" "region show -h" "peers -h" "self help" \
	"self set -h" "self show help" "stats -h" "monitor -h" "version -h" \
	"region add 3 group 239.1.1.1 -h" "self set score 3 --help" "peers 3 -h" \
	"monitor region 1 --help"; do
	# shellcheck disable=SC2086
	expect 0 '^Usage: rupctl' $args
done

# Usage errors: exit 1 with the offending value named.
expect 1 '^Usage: rupctl'
expect 1 'unknown command "bogus"' bogus
expect 1 'invalid option|unrecognized option' -x region show
expect 1 'region: unknown command "frob"' region frob
expect 1 'region add: missing region id' region add
expect 1 'region add x: region id: bad value "x"' region add x
expect 1 'region add 1: port: bad value "70000"' region add 1 port 70000
expect 1 'region add 1: port: bad value "-1"' region add 1 port -1
expect 1 'region add 1: group: bad value "239.1"' region add 1 group 239.1
expect 1 'region add 1: key: bad value "abc"' region add 1 key abc
expect 1 'region add 1: key: bad value "zz"' region add 1 key zz
expect 1 'region add 1: interval: bad value "1h"' region add 1 interval 1h
expect 1 'region add 1: "port" needs a value' region add 1 port
expect 1 'region add 1: unknown option "colour"' region add 1 colour red
expect 1 'region add 1: dev: bad value "nosuchif0"' region add 1 dev nosuchif0
expect 1 'region add 1: key-file: /nonexistent: No such file' region add 1 key-file /nonexistent
expect 1 'unknown option "next-key-clear"' region add 1 next-key-clear
expect 1 'region del: too many arguments' region del 1 2
expect 1 'self set: nothing to set' self set
expect 1 'self set: node-id: bad value "0123"' self set node-id 0123
expect 1 'self set: role: bad value "king"' self set role king
expect 1 'self set: role: bad value "rvs,"' self set role rvs,
expect 1 'self set: score: bad value "4294967296"' self set score 4294967296
expect 1 'self set: sha256: bad value "00"' self set region 1 offer 1.0.0 sha256 00
expect 1 'self set: version: .* longer than 63' self set version "$(printf '%070d' 0)"
expect 1 'peers: region: bad value "x"' peers x
expect 1 'stats: too many arguments' stats 1 2
expect 1 'monitor: count: bad value "0"' monitor count 0

# Key files: hex digits with a trailing newline are accepted locally (and
# then the kernel is asked, which is missing here).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%064x\n' 7 >"$tmp/key"
printf 'not hex\n' >"$tmp/bad"
expect 1 "key-file: $tmp/bad: expected hex digits" region add 1 key-file "$tmp/bad"

# Everything that needs the kernel says so and exits 3.
expect 3 '^rupctl: rup module not loaded$' region show
expect 3 '^rupctl: rup module not loaded$' region
expect 3 '^rupctl: rup module not loaded$' region show 1
expect 3 '^rupctl: rup module not loaded$' region add 1 group 239.192.0.1 port 7400 key-file "$tmp/key" interval 3s
expect 3 '^rupctl: rup module not loaded$' region set 1 next-key-clear
expect 3 '^rupctl: rup module not loaded$' region del 1
expect 3 '^rupctl: rup module not loaded$' peers
expect 3 '^rupctl: rup module not loaded$' -j peers 1
expect 3 '^rupctl: rup module not loaded$' self show
expect 3 '^rupctl: rup module not loaded$' self set version 1.2.3 score 7 region 1 role member,rvs term 4
expect 3 '^rupctl: rup module not loaded$' stats
expect 3 '^rupctl: rup module not loaded$' monitor

# Bash completion: commands, verbs, keywords and role names.
complete_words() {
	(
		complete() { :; }
		# shellcheck disable=SC1091
		. "${RUP_SRC:-.}/contrib/bash-completion/rupctl"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_rupctl
		echo "${COMPREPLY[*]}"
	)
}
check_completion() {
	local want=$1 got
	shift
	got=$(complete_words "$@")
	if [ "$got" != "$want" ]; then
		fail "completion of '$*': got '$got', want '$want'"
	fi
}
check_completion "region" rupctl reg
check_completion "add" rupctl region a
check_completion "del" rupctl -j region de
check_completion "dev dead-interval" rupctl region add 3 de
check_completion "rvs" rupctl self set region 1 role rv
check_completion "next-key-clear" rupctl region set 3 next-key-c
check_completion "--json" rupctl --j

# The agent refuses an install hook without a time limit (issue 17: a hook
# that hangs must not hold the node) before it does anything else.
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
printf '%s\n' '[server]' 'url = https://127.0.0.1:1' 'token = t' '[node]' \
	'id = 00112233445566778899aabbccddeeff' '[paths]' "state = $conf.d" \
	'[install]' 'hook = /bin/true' 'timeout = 0' >"$conf"
expect 1 '\[install\] timeout must be 1 s or more' agent --config "$conf"
[ ! -e "$conf.d" ] || fail "the refused agent made its state directory"

echo "rupctl host CLI: all checks passed"
