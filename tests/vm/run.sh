#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot Debian's kernel in QEMU and run guest tests in it.
#   tests/vm/run.sh [--results FILE] [--tag NAME] [--jobs N] [--no-build] [--live] [TEST.sh ...]
# Default: every executable tests/guest/*.sh. --jobs N splits the tests over
# N guests booted side by side, each with its share of the host's cores as
# vCPUs (at least one): a guest with 2 vCPUs waits on timers much of the
# time, while two guests with 2 vCPUs each on 2 cores stall on spinlocks whose
# holder's vCPU thread is not running (measured on 2 cores: one guest of 2
# vCPUs 585 s, two of 2 vCPUs 737 s, two of 1 vCPU 385 s). Env: KVER (kernel release),
# KDIR (tree to build the module against), VM_KERNEL_CACHE (a kernel laid out
# as tests/vm/kernel.sh does; default: Debian's image for KVER), VM_APPEND
# (more kernel arguments), O (userspace build folder used in the guest,
# default build), VM_MEM (MiB), VM_JOBS (as --jobs), VM_SMP (vCPUs per
# guest), VM_TIMEOUT_FACTOR
# (multiplies every timeout, for slow kernels such as the debug one).
# Writes "PASS name"/"FAIL name" lines to FILE (default build/results/guest.txt)
# and exits non-zero when any test failed or did not run. --live shows the
# tests' output as it happens (the demo uses it); --tag names results
# guest@NAME/TEST. Logs: build/vm/shard-N/{serial.log,logs/TEST.log,logs/dmesg.log}.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src"
results=$src/build/results/guest.txt
build=1
live=0
suite=guest
jobs=${VM_JOBS:-1}
tests=()
while [ $# -gt 0 ]; do
	case $1 in
	--results) results=$(realpath -m "$2"); shift 2 ;;
	--no-build) build=0; shift ;;
	--live) live=1; shift ;;
	--tag) suite=guest@$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	-h|--help) sed -n '3,20p' "$0"; exit 0 ;;
	*) tests+=("$(realpath --relative-to="$src" "$1")"); shift ;;
	esac
done
if [ ${#tests[@]} -eq 0 ]; then
	for t in tests/guest/*.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
fi
[ $live = 0 ] || jobs=1
[ "$jobs" -le ${#tests[@]} ] || jobs=${#tests[@]}
[ "$jobs" -ge 1 ] || jobs=1
smp=${VM_SMP:-$(($(nproc) / jobs))}
[ "$smp" -ge 1 ] || smp=1
kver=${KVER:-$(tests/vm/kver.sh)}
obuild=$src/${O:-build}
factor=${VM_TIMEOUT_FACTOR:-1}
log() { echo "vm: $*" >&2; }
# build/vm holds the last run's logs; a second run at the same time (another
# developer's) gets a folder of its own.
vmroot=$src/build/vm
mkdir -p "$vmroot" "$(dirname "$results")"
exec 9>"$vmroot.lock"
if ! flock -n 9; then
	vmroot=$src/build/vm-$$
	log "build/vm is busy; this run's logs go to $vmroot"
fi
rm -rf "$vmroot"/shard-*
mkdir -p "$vmroot"

if [ $build = 1 ]; then
	make -s module KVER="$kver" ${KDIR:+KDIR="$KDIR"} >&2
fi
kcache=${VM_KERNEL_CACHE:-$(tests/vm/kernel.sh "$kver")}
initrd=$(tests/vm/initramfs.sh "$kcache" "$kver")
vmlinuz=$kcache/root/boot/vmlinuz-$kver
mods=$(realpath --relative-to="$src" "$kcache/root/lib/modules/$kver")

timeout_of() {
	local tmo
	tmo=$(sed -n 's/^# timeout: *\([0-9]\+\).*/\1/p' "$1" | head -n 1)
	echo "${tmo:-120}"
}

# Longest first onto the least loaded shard.
declare -a load
for ((i = 0; i < jobs; i++)); do
	load[i]=0
	mkdir -p "$vmroot/shard-$i"
	: >"$vmroot/shard-$i/tests.list"
done
while read -r tmo t; do
	best=0
	for ((i = 1; i < jobs; i++)); do
		[ "${load[i]}" -lt "${load[best]}" ] && best=$i
	done
	load[best]=$((load[best] + tmo + 10))
	echo "$t" >>"$vmroot/shard-$best/tests.list"
done < <(for t in "${tests[@]}"; do echo "$(timeout_of "$t") $t"; done | sort -k1,1nr -k2)
# Keep each shard in name order (tests are numbered by layer).
for ((i = 0; i < jobs; i++)); do
	sort -o "$vmroot/shard-$i/tests.list" "$vmroot/shard-$i/tests.list"
done

boot() { # SHARD_DIR: boot one guest on the tests in SHARD_DIR/tests.list
	local vmdir=$1 total
	cat >"$vmdir/guest.env" <<ENV
RUP_BUILD=$obuild
RUP_KO=$src/rup.ko
RUP_VM_DIR=$vmdir
RUP_KVER=$kver
RUP_VM_LIVE=$live
RUP_VM_TIMEOUT_FACTOR=$factor
ENV
	# Overall bound: every test's own timeout, plus boot and cleanup.
	total=60
	while read -r t; do
		total=$((total + $(timeout_of "$t") + 10))
	done <"$vmdir/tests.list"
	total=$((total * factor))
	timeout -k 10 "$total" qemu-system-x86_64 -m "${VM_MEM:-2048}" -smp "$smp" -pidfile "$vmdir/qemu.pid" \
		-nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic quiet rupsrc=$src rupkver=$kver rupvm=$vmdir ${VM_APPEND:-} rupmods=$mods" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$src,mount_tag=src,security_model=none" \
		${VM_EXTRA:-} </dev/null 9>&- 2>&1 |
		if [ $live = 1 ]; then
			tee "$vmdir/serial.log" | sed -un '/RUP-VM: booted/,$p' |
				grep -av '^RUP-VM: \(booted\|start\|done\|runner\)'
		else
			cat >"$vmdir/serial.log"
		fi
	echo "${PIPESTATUS[0]}" >"$vmdir/qemu.rc"
}

# Our guests die with us (timeout puts QEMU in a process group of its own,
# out of reach of a signal to ours).
stop_guests() {
	local f
	for f in "$vmroot"/shard-*/qemu.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	return 0
}
trap 'stop_guests; exit 143' TERM INT HUP
trap stop_guests EXIT
log "kernel $kver, ${#tests[@]} test(s) in $jobs guest(s) of $smp vCPU(s)"
start=$(date +%s)
pids=()
for ((i = 0; i < jobs; i++)); do
	boot "$vmroot/shard-$i" &
	pids+=($!)
done
wait "${pids[@]}" || true
log "guests ran $(($(date +%s) - start))s"

: >"$results"
failed=0
for ((i = 0; i < jobs; i++)); do
	vmdir=$vmroot/shard-$i
	rel=${vmdir#"$src"/}
	[ $live = 1 ] || grep -a 'RUP-VM:' "$vmdir/serial.log" | sed "s/^.*RUP-VM: /  [$i] /" >&2 || true
	while read -r t; do
		name=$(basename "$t" .sh)
		line=$(grep -a -E "^(PASS|FAIL) $name( |$)" "$vmdir/results.txt" 2>/dev/null | head -n 1 || true)
		[ -n "$line" ] || line="FAIL $name (did not run: guest died or timed out, see $rel/serial.log)"
		case $line in FAIL*) failed=$((failed + 1)) ;; esac
		echo "$line" | sed -E "s#^(PASS|FAIL) #\1 $suite/#" >>"$results"
	done <"$vmdir/tests.list"
	# Results the runner adds beyond the tests (kmemleak on a debug kernel).
	if grep -a -E '^(PASS|FAIL) kmemleak' "$vmdir/results.txt" 2>/dev/null |
		sed -E "s#^(PASS|FAIL) kmemleak#\1 $suite/kmemleak-$i#" >>"$results"; then
		grep -q "^FAIL $suite/kmemleak-$i" "$results" && failed=$((failed + 1))
	fi
	if ! grep -aq 'RUP-VM: done' "$vmdir/serial.log"; then
		log "guest $i did not finish (qemu exit $(cat "$vmdir/qemu.rc")); last lines of its serial log:"
		tail -n 40 "$vmdir/serial.log" >&2
		echo "FAIL $suite/vm-completed-$i (guest did not finish)" >>"$results"
		failed=$((failed + 1))
	fi
	if grep -aE 'Kernel panic|BUG:|Oops|general protection' "$vmdir/serial.log" >&2; then
		echo "FAIL $suite/kernel-log-$i (panic or BUG on the console)" >>"$results"
		failed=$((failed + 1))
	fi
done
[ $live = 1 ] || cat "$results" >&2
[ $failed -eq 0 ]
