#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest (chroot onto the host's root): every test named in
# $RUP_VM_DIR/tests.list (the folder is passed on the kernel command line), each in a fresh state, with its own timeout. Writes
# "PASS name" / "FAIL name (why)" lines to $RUP_VM_DIR/results.txt.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=/dev/null
. "${rupvm:-$src/build/vm}/guest.env"
export RUP_SRC=$src RUP_BUILD RUP_KO RUP_VM_TIMEOUT_FACTOR
export PATH="$RUP_BUILD:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export HOME=/root
results=$RUP_VM_DIR/results.txt
logs=$RUP_VM_DIR/logs
mkdir -p "$logs"
: >"$results"
bad='WARNING:|BUG:|Oops|general protection|KASAN|refcount_t|lockdep|UBSAN|kmemleak|Call Trace'

# Kill everything but PID 1, ourselves and kernel threads.
kill_strays() {
	local p pp k v
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		# $BASHPID: this may run in a $(...) subshell of the runner.
		[ "$p" = 1 ] || [ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		# No fork per process (awk): under emulation that took seconds.
		pp=
		while read -r k v; do
			[ "$k" = PPid: ] && { pp=$v; break; }
		done <"/proc/$p/status" 2>/dev/null || continue
		[ -z "$pp" ] || [ "$pp" = 0 ] || [ "$pp" = 2 ] || [ "$p" = 2 ] && continue
		kill -9 "$p" 2>/dev/null
	done
}

# Back to the state every test starts from: no rup module, no namespaces.
reset_state() {
	local why=""
	kill_strays
	sleep 0.2
	ip -all netns delete 2>/dev/null
	# One ip for all links (a fleet leaves ~30): a process each took seconds.
	ip -o link show 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2) } $2 != "lo" { print "link del " $2 }' |
		ip -force -batch - >/dev/null 2>&1
	if [ -d /sys/module/rup ]; then
		timeout 30 rmmod rup 2>/dev/null || why="rmmod rup failed after the test"
	fi
	echo "$why"
}

dmesg -n 1 2>/dev/null
# On a kmemleak kernel: forget what boot left, so the final scan shows only
# what the tests leaked.
kml=/sys/kernel/debug/kmemleak
if [ -e $kml ]; then
	echo scan >$kml
	echo clear >$kml
fi
while read -r t; do
	[ -n "$t" ] || continue
	name=$(basename "$t" .sh)
	tmo=$(sed -n 's/^# timeout: *\([0-9]\+\).*/\1/p' "$src/$t" | head -n 1)
	tmo=$((${tmo:-120} * ${RUP_VM_TIMEOUT_FACTOR:-1}))
	before=$(dmesg | wc -l)
	export RUP_TMP=/tmp/rup-test/$name TEST_NAME=$name
	rm -rf "$RUP_TMP"
	mkdir -p "$RUP_TMP"
	echo "RUP-VM: start $name (timeout ${tmo}s)"
	start=$(date +%s.%N)
	# The newest PID before and after: the tasks (processes and threads) a
	# test started, which is most of what it costs on a slow kernel.
	read -r _ _ _ _ pid0 </proc/loadavg
	if [ "${RUP_VM_LIVE:-0}" = 1 ]; then
		(cd "$RUP_TMP" && exec setsid timeout -k 5 "$tmo" bash "$src/$t") > >(tee "$logs/$name.log") 2>&1 </dev/null &
	else
		(cd "$RUP_TMP" && exec setsid timeout -k 5 "$tmo" bash "$src/$t") >"$logs/$name.log" 2>&1 </dev/null &
	fi
	tpid=$!
	# A test stuck in the kernel survives timeout's KILL: give up on it
	# after a grace period, show the blocked tasks, and end the run (the
	# module is wedged, so the tests after it could not run either).
	limit=$(($(date +%s) + tmo + 20))
	while kill -0 $tpid 2>/dev/null && [ "$(date +%s)" -lt $limit ]; do
		sleep 0.2
	done
	if kill -0 $tpid 2>/dev/null; then
		echo w >/proc/sysrq-trigger
		echo "FAIL $name (hung: still running ${tmo}s + 20s after start; blocked tasks in dmesg.log)" >>"$results"
		echo "RUP-VM: FAIL $name (hung in the kernel; stopping the run)"
		tail -n 30 "$logs/$name.log" | sed "s/^/  $name| /"
		dmesg | tail -n +"$((before + 1))" | tail -n 60 | sed "s/^/  $name| /"
		dmesg >"$logs/dmesg.log"
		echo "RUP-VM: done"
		exit 1
	fi
	wait $tpid
	rc=$?
	dur=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	read -r _ _ _ _ pid1 </proc/loadavg
	tasks=$((pid1 - pid0))
	[ $tasks -ge 0 ] || tasks=$((tasks + $(cat /proc/sys/kernel/pid_max) - 300))
	why=""
	[ $rc -eq 124 ] && why="timed out after ${tmo}s"
	[ $rc -ne 0 ] && [ -z "$why" ] && why="exit $rc"
	cleanup=$(reset_state)
	[ -n "$cleanup" ] && why="${why:+$why; }$cleanup"
	if dmesg | tail -n +"$((before + 1))" | grep -E "$bad" >"$logs/$name.kernel-warnings"; then
		why="${why:+$why; }kernel warning in log"
	else
		rm -f "$logs/$name.kernel-warnings"
	fi
	if [ -z "$why" ]; then
		echo "PASS $name" >>"$results"
		echo "RUP-VM: PASS $name (${dur}s, $tasks tasks)"
	else
		echo "FAIL $name ($why)" >>"$results"
		echo "RUP-VM: FAIL $name ($why)"
		tail -n 30 "$logs/$name.log" | sed "s/^/  $name| /"
	fi
done <"$RUP_VM_DIR/tests.list"
if [ -e $kml ]; then
	# kmemleak ignores objects younger than 5 s; scan twice past that. A
	# refused scan (kmemleak turned itself off, or kmemleak=off) fails: a
	# check that did not run must not pass.
	sleep 6
	if ! { echo scan >$kml && echo scan >$kml; } 2>"$logs/kmemleak.err"; then
		echo "FAIL kmemleak (scan refused: $(tr -d '\n' <"$logs/kmemleak.err"); kmemleak is off)" >>"$results"
	else
		cat $kml >"$logs/kmemleak.log"
		# A leak points into rup when a frame of its backtrace is "[rup]"
		# (module loaded) or an address that names no symbol: with
		# KALLSYMS_ALL only code of an unloaded module is left unnamed, and
		# every test unloads rup when it ends.
		awk '/^unreferenced object/ { if (hit) printf "%s", rec; rec = ""; hit = 0 }
			{ rec = rec $0 "\n" }
			/\[rup\]$|\] 0x[0-9a-f]+$/ { hit = 1 }
			END { if (hit) printf "%s", rec }' "$logs/kmemleak.log" >"$logs/kmemleak-rup.log"
		if [ -s "$logs/kmemleak-rup.log" ]; then
			echo "FAIL kmemleak (leaks pointing into rup or an unloaded module, see kmemleak-rup.log)" >>"$results"
			head -n 60 "$logs/kmemleak-rup.log"
		else
			echo "PASS kmemleak" >>"$results"
		fi
		echo "RUP-VM: kmemleak: $(grep -c '^unreferenced object' "$logs/kmemleak.log") unreferenced objects in all"
	fi
fi
dmesg >"$logs/dmesg.log"
echo "RUP-VM: done"
