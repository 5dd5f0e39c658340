#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 420
# Issue 5 (d): one ops server namespace, one region of 4 node agents at
# 1.0.0. Four bad releases are rolled out one after the other; the RVS
# refuses each and reports it with its reason, and nothing is installed:
#   - a payload tampered with on the server (one byte flipped): hash_mismatch
#   - a payload longer than the signed size (file and catalogue changed
#     behind the server's back): size_exceeded, the download stops there
#   - a release signed with a key the nodes do not trust: bad_signature
#   - a release lower than the installed version: failed, downgrade
# Then a good release reaches a member whose partial download is a planted
# symbolic link (THREATS.md "local unprivileged user"): removed, not followed.
. "$RUP_SRC/tests/guest/lib.sh"
. "$RUP_SRC/tests/guest/lib-fleet.sh"

fleet_one_region 30 90 50 70
rvs=$(rvs_of 0)

# state_reason: "STATE REASON" of region 0's newest task.
state_reason() {
	ops_status | jq -r '.regions[0].tasks | max_by(.task_id) | "\(.state) \(.reason)"'
}
# expect_refusal STATE REASON-PREFIX: wait for that report.
reported() {
	local sr
	sr=$(state_reason)
	case "$sr" in
	"$1 $2"*) return 0 ;;
	esac
	return 1
}
nothing_installed() {
	local i
	for i in 1 2 3 4; do
		[ -e "$FLEET/n$i/hook.log" ] && ffail "node $i ran its install hook: $(cat "$FLEET/n$i/hook.log")"
		assert_eq "$(nstat $i .version)" 1.0.0 "node $i version"
		assert_eq "$(jq -r .version "$FLEET/n$i/state/state.json")" 1.0.0 "node $i state.json"
	done
	# The RVS kept nothing of it (a retry may be downloading a .part again).
	! ls "$FLEET/n$rvs/store/"*.pkg 2>/dev/null || ffail "RVS stored a bad package"
	in_ns fn$rvs rupctl status -j --state "$FLEET/n$rvs/state" | jq -e '.offer == null' >/dev/null ||
		ffail "RVS offers something"
}
refused() { # refused VERSION STATE REASON
	local rid=$1
	fwait 60 reported "$2" "$3" || ffail "$4: want '$2 $3...', region 0 reports '$(state_reason)'"
	log "$4: reported $(state_reason)"
	nothing_installed
	fleet_cancel "$rid"
}

# 1. Tampered payload: same size, one byte different.
fleet_release 2.0.0 100000
fleet_publish 2.0.0
# Byte 5000 becomes 255 minus itself: never the same value (a fixed 0xff
# was already there one run in 256).
b=$(od -An -tu1 -j5000 -N1 "$(opsd_payload 2.0.0)")
printf "\\$(printf %03o $((255 - b)))" | dd of="$(opsd_payload 2.0.0)" bs=1 seek=5000 conv=notrunc 2>/dev/null
cmp -s "$(opsd_payload 2.0.0)" "$FLEET/rel/2.0.0/payload" && fail "payload not tampered"
rid=$(fleet_rollout 2.0.0)
refused "$rid" package_abnormal hash_mismatch "tampered payload"

# 2. More bytes than signed: the server's file and catalogue say 150000, the
#    signed manifest 100000.
fleet_release 2.1.0 100000
fleet_publish 2.1.0
head -c 50000 /dev/urandom >>"$(opsd_payload 2.1.0)"
sqlite3 "$FLEET/opsd.db" "UPDATE releases SET size = 150000 WHERE version = '2.1.0'" ||
	fail "sqlite update"
rid=$(fleet_rollout 2.1.0)
refused "$rid" package_abnormal size_exceeded "payload over the signed size"

# 3. Signed with a key the nodes do not trust (the server trusts it).
fleet_release 2.2.0 100000 "$FLEET/untrusted.key"
fleet_publish 2.2.0
rid=$(fleet_rollout 2.2.0)
refused "$rid" package_abnormal bad_signature "untrusted signature"

# 4. A downgrade: lower than what every node runs.
fleet_release 0.9.0 100000 "$FLEET/release.key" '*'
fleet_publish 0.9.0
rid=$(fleet_rollout 0.9.0)
fwait 60 reported failed downgrade || ffail "downgrade: region 0 reports '$(state_reason)'"
log "downgrade: reported $(state_reason)"
nothing_installed
grep -q 'package 2.0.0 refused: hash_mismatch' "$FLEET/n$rvs/agent.log" ||
	ffail "the RVS did not log the refusal"

# 5. A good release, but a member's partial download is a symbolic link
#    planted in its store (pointing at a file the agent must not write): the
#    agent removes the link, fetches into a file of its own (0600) and
#    installs; the link's target is untouched.
m=$(for i in 1 2 3 4; do [ "$i" = "$rvs" ] || echo $i; done | head -n 1)
echo intact >"$RUP_TMP/victim"
ln -s "$RUP_TMP/victim" "$FLEET/n$m/store/2.3.0.part"
fleet_release 2.3.0 100000
fleet_publish 2.3.0
rid=$(fleet_rollout 2.3.0)
fwait 90 eval '[ "$(installed '"$m"')" = 2.3.0 ]' ||
	ffail "node $m did not install 2.3.0: $(tail -n 3 "$FLEET/n$m/agent.log")"
assert_eq "$(cat "$RUP_TMP/victim")" intact "the planted link's target"
grep -q '2.3.0.part is a symbolic link: removed' "$FLEET/n$m/agent.log" ||
	ffail "node $m did not say it removed the link"
assert_eq "$(command stat -c %a "$FLEET/n$m/store/2.3.0.pkg")" 600 "mode of node $m's stored package"
