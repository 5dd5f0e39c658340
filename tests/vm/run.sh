#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot Debian's kernel in QEMU and run guest tests in it.
#   tests/vm/run.sh [--results FILE] [--tag NAME] [--no-build] [--live] [TEST.sh ...]
# Default: every executable tests/guest/*.sh. Env: KVER (kernel release),
# KDIR (tree to build the module against), VM_KERNEL_CACHE (a kernel laid out
# as tests/vm/kernel.sh does; default: Debian's image for KVER), VM_APPEND
# (more kernel arguments), O (userspace build folder used in the guest,
# default build), VM_MEM (MiB), VM_TIMEOUT_FACTOR (multiplies every timeout,
# for slow kernels such as the debug one). --tag names results guest@NAME/TEST.
# Writes "PASS name"/"FAIL name" lines to FILE (default build/results/guest.txt)
# and exits non-zero when any test failed or did not run. --live shows the
# tests' output as it happens (the demo uses it).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src"
results=$src/build/results/guest.txt
build=1
live=0
suite=guest
tests=()
while [ $# -gt 0 ]; do
	case $1 in
	--results) results=$(realpath -m "$2"); shift 2 ;;
	--no-build) build=0; shift ;;
	--live) live=1; shift ;;
	--tag) suite=guest@$2; shift 2 ;;
	-h|--help) sed -n '3,9p' "$0"; exit 0 ;;
	*) tests+=("$(realpath --relative-to="$src" "$1")"); shift ;;
	esac
done
if [ ${#tests[@]} -eq 0 ]; then
	for t in tests/guest/*.sh; do
		[ -x "$t" ] && tests+=("$t")
	done
fi
kver=${KVER:-$(tests/vm/kver.sh)}
obuild=$src/${O:-build}
log() { echo "vm: $*" >&2; }
# build/vm holds the last run's logs; a second run at the same time (another
# developer's) gets a folder of its own.
vmdir=$src/build/vm
mkdir -p "$vmdir" "$(dirname "$results")"
exec 9>"$vmdir.lock"
if ! flock -n 9; then
	vmdir=$src/build/vm-$$
	mkdir -p "$vmdir"
	log "build/vm is busy; this run's logs go to $vmdir"
fi

if [ $build = 1 ]; then
	make -s module KVER="$kver" ${KDIR:+KDIR="$KDIR"} >&2
fi
kcache=${VM_KERNEL_CACHE:-$(tests/vm/kernel.sh "$kver")}
initrd=$(tests/vm/initramfs.sh "$kcache" "$kver")
vmlinuz=$kcache/root/boot/vmlinuz-$kver

rm -rf "$vmdir/logs" "$vmdir/results.txt"
printf '%s\n' "${tests[@]}" >"$vmdir/tests.list"
cat >"$vmdir/guest.env" <<ENV
RUP_BUILD=$obuild
RUP_KO=$src/rup.ko
RUP_VM_DIR=$vmdir
RUP_KVER=$kver
RUP_VM_LIVE=$live
RUP_VM_TIMEOUT_FACTOR=${VM_TIMEOUT_FACTOR:-1}
ENV

# Overall bound: every test's own timeout, plus boot and cleanup.
total=60
for t in "${tests[@]}"; do
	tmo=$(sed -n 's/^# timeout: *\([0-9]\+\).*/\1/p' "$t" | head -n 1)
	total=$((total + ${tmo:-120} + 10))
done
total=$((total * ${VM_TIMEOUT_FACTOR:-1}))
log "kernel $kver, ${#tests[@]} test(s), overall timeout ${total}s"
start=$(date +%s)
set +e
timeout -k 10 "$total" qemu-system-x86_64 -m "${VM_MEM:-2048}" -smp 2 \
	-nographic -no-reboot -nodefaults -serial stdio \
	-kernel "$vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic quiet rupsrc=$src rupkver=$kver rupvm=$vmdir ${VM_APPEND:-} \
rupmods=$(realpath --relative-to="$src" "$kcache/root/lib/modules/$kver")" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$src,mount_tag=src,security_model=none" \
	${VM_EXTRA:-} </dev/null 2>&1 |
	if [ $live = 1 ]; then
		tee "$vmdir/serial.log" | sed -un '/RUP-VM: booted/,$p' | grep -av '^RUP-VM: \(booted\|start\|done\|runner\)'
	else
		cat >"$vmdir/serial.log"
	fi
qrc=${PIPESTATUS[0]}
set -e
log "guest ran $(($(date +%s) - start))s (qemu exit $qrc)"
[ $live = 1 ] || grep -a 'RUP-VM:' "$vmdir/serial.log" | sed 's/^.*RUP-VM: /  /' >&2 || true

: >"$results"
failed=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	line=$(grep -a -E "^(PASS|FAIL) $name( |$)" "$vmdir/results.txt" 2>/dev/null | head -n 1 || true)
	if [ -z "$line" ]; then
		line="FAIL $name (did not run: guest died or timed out, see build/vm/serial.log)"
	fi
	case $line in FAIL*) failed=$((failed + 1)) ;; esac
	echo "$line" | sed -E "s#^(PASS|FAIL) #\1 $suite/#" >>"$results"
done
# Results the runner adds beyond the tests (kmemleak on a debug kernel).
grep -a -E '^(PASS|FAIL) kmemleak' "$vmdir/results.txt" 2>/dev/null |
	sed -E "s#^(PASS|FAIL) #\1 $suite/#" >>"$results" || true
grep -q "^FAIL $suite/kmemleak" "$results" && failed=$((failed + 1))
if ! grep -aq 'RUP-VM: done' "$vmdir/serial.log"; then
	log "guest did not finish; last lines of the serial log:"
	tail -n 40 "$vmdir/serial.log" >&2
	echo "FAIL $suite/vm-completed (guest did not finish)" >>"$results"
	failed=$((failed + 1))
fi
if grep -aE 'Kernel panic|BUG:|Oops|general protection' "$vmdir/serial.log" >&2; then
	echo "FAIL $suite/kernel-log (panic or BUG on the console)" >>"$results"
	failed=$((failed + 1))
fi
[ $live = 1 ] || cat "$results" >&2
[ $failed -eq 0 ]
