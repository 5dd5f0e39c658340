#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-kernels: build rup.ko for each kernel and run the whole guest
# suite on it:
#   stock  Debian 12's 6.1 (as make check)
#   rt     Debian 12's 6.1 PREEMPT_RT
#   6.12   Debian's 6.12 LTS from bookworm-backports
#   debug  6.1 from linux-source-6.1 with KASAN, UBSAN, lockdep, DEBUG_OBJECTS,
#          kmemleak, booted with panic_on_warn; kmemleak scanned at the end
# KERNELS="stock rt" limits the list; test paths as arguments limit the
# suite (as tests/vm/run.sh takes them). Results: build/results-kernels/*.txt,
# each kernel's guest logs in build/vm-NAME/ (the tail of every failed test's
# log is printed), then one line "N passed, N failed".
set -uo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src"
out=$src/build/results-kernels
rm -rf "$out"
mkdir -p "$out"
stock=$(tests/vm/kver.sh)
log() { echo "check-kernels: $*" >&2; }

run_kernel() {
	local name=$1 kver=$2 kdir=$3 kcache=$4 append=${5:-}
	log "== $name: $kver"
	make -s module-clean
	# W=1: the extra warnings must stay clean on every kernel generation.
	if ! make -s module KVER="$kver" KDIR="$kdir" W=1 >"$out/$name.build.log" 2>&1; then
		cat "$out/$name.build.log" >&2
		echo "FAIL guest@$name/build (module did not build for $kver)" >"$out/$name.txt"
		return
	fi
	if grep -E '(kmod|include)/[^:]+:[0-9]+:[0-9]*:? ?(warning|error)' "$out/$name.build.log" >&2; then
		echo "FAIL guest@$name/w1 (W=1 warnings building for $kver: $out/$name.build.log)" >"$out/$name-w1.txt"
	else
		echo "PASS guest@$name/w1" >"$out/$name-w1.txt"
	fi
	KVER=$kver KDIR=$kdir VM_KERNEL_CACHE=$kcache VM_APPEND=$append VM_TIMEOUT_FACTOR=${factor:-1} \
		tests/vm/run.sh --no-build --jobs "${VM_JOBS:-2}" --tag "$name" --results "$out/$name.txt" \
		"${suite[@]}" >&2
	keep_logs "$name"
	log "$name: $(grep -c '^PASS' "$out/$name.txt") passed, $(grep -c '^FAIL' "$out/$name.txt") failed"
}

# keep_logs NAME: the guest logs of NAME's run to build/vm-NAME (the next
# kernel's run reuses build/vm), and the tail of each failed test's log.
keep_logs() {
	local keep=$src/build/vm-$1 t f
	rm -rf "$keep"
	cp -r "$src/build/vm" "$keep" 2>/dev/null || return 0
	[ -f "$out/$1.txt" ] || return 0
	for t in $(sed -n 's#^FAIL guest@[^/]*/\([^ ]*\).*#\1#p' "$out/$1.txt"); do
		for f in "$keep"/shard-*/logs/"$t".log; do
			[ -f "$f" ] || continue
			log "$1: $t failed; the end of ${f#"$src"/}:"
			tail -n 40 "$f" | sed "s/^/  $1 $t| /" >&2
		done
	done
}

# The debug kernel must catch what it is there for: a broken module's
# use-after-free (KASAN) and lock inversion (lockdep) each fail their test,
# and its leak fails the kmemleak scan after the last test.
debug_selftest() {
	local kver=$1 tree=$2 kcache=$3 r=$out/debug-selftest.run
	local m=$src/tests/vm/selftest/bugs
	log "== debug self-test: a deliberately broken module"
	make -s -C "$tree" M="$m" modules >"$out/debug-selftest.build.log" 2>&1
	KVER=$kver KDIR=$tree VM_KERNEL_CACHE=$kcache VM_TIMEOUT_FACTOR=4 \
		tests/vm/run.sh --no-build --jobs 1 --tag debug-selftest --results "$r" \
		tests/vm/selftest/debug-guest/uaf.sh tests/vm/selftest/debug-guest/abba.sh \
		tests/vm/selftest/debug-guest/leak.sh >&2
	keep_logs debug-selftest
	local dm=$src/build/vm-debug-selftest/shard-0/logs/dmesg.log st=PASS why=""
	local kl=$src/build/vm-debug-selftest/shard-0/logs/kmemleak-rup.log
	grep -q '^FAIL guest@debug-selftest/uaf (.*kernel warning' "$r" || { st=FAIL; why="uaf not reported"; }
	grep -q '^FAIL guest@debug-selftest/abba (.*kernel warning' "$r" || { st=FAIL; why="$why abba not reported"; }
	grep -q 'BUG: KASAN: .*use-after-free' "$dm" || { st=FAIL; why="$why no KASAN report"; }
	grep -q 'possible circular locking dependency detected' "$dm" || { st=FAIL; why="$why no lockdep report"; }
	grep -q '^FAIL guest@debug-selftest/kmemleak-0 (leaks pointing into rup' "$r" || { st=FAIL; why="$why leak not reported"; }
	grep -q '^    .*\] 0x[0-9a-f]*$' "$kl" || { st=FAIL; why="$why no kmemleak report"; }
	grep -E -A3 'BUG: KASAN|possible circular locking' "$dm" | head -n 12 | sed 's/^/  debug-selftest| /' >&2
	head -n 12 "$kl" 2>/dev/null | sed 's/^/  debug-selftest| /' >&2
	echo "$st guest@debug/selftest-catches-kasan-lockdep-kmemleak${why:+ ($why)}" >"$out/debug-selftest.txt"
	make -s -C "$tree" M="$m" clean >/dev/null 2>&1
}

kernels=${KERNELS:-stock rt 6.12 debug}
suite=("$@")
# The debug kernel takes minutes to build the first time: build it in
# the background at the lowest priority while the other kernels' suites run
# (their guests leave CPU idle between steps), and wait for it when its turn
# comes.
debug_pid=
case " $kernels " in
*" debug "*)
	nice -n 19 tests/vm/debug-kernel.sh >"$out/debug-kernel.out" 2>"$out/debug-kernel.log" &
	debug_pid=$!
	;;
esac

for k in $kernels; do
	case $k in
	stock)
		run_kernel stock "$stock" "/lib/modules/$stock/build" "$(tests/vm/kernel.sh "$stock")"
		;;
	rt)
		kver=${stock%-amd64}-rt-amd64
		kdir=$(tests/vm/headers.sh "$kver") ||
			{ echo "FAIL guest@rt/headers (no linux-headers-$kver)" >"$out/rt.txt"; continue; }
		run_kernel rt "$kver" "$kdir" "$(tests/vm/kernel.sh "$kver")"
		;;
	6.12)
		kver=$(tests/vm/kver-6.12.sh) && kdir=$(tests/vm/headers.sh "$kver") ||
			{ echo "FAIL guest@6.12/headers (no 6.12 headers from bookworm-backports)" >"$out/6.12.txt"; continue; }
		run_kernel 6.12 "$kver" "$kdir" "$(tests/vm/kernel.sh "$kver")"
		;;
	debug)
		log "waiting for the debug kernel build (log: $out/debug-kernel.log)"
		wait "$debug_pid"
		if read -r kcache kver tree <"$out/debug-kernel.out" && [ -n "${tree:-}" ]; then
			# tsc=reliable: the slow kernel's late ticks made the clocksource
			# watchdog drop the TSC for jiffies (4 ms clock, no vDSO) ~100 s in.
			factor=4 run_kernel debug "$kver" "$tree" "$kcache" "panic_on_warn=1 tsc=reliable"
			grep -q '^[A-Z]* guest@debug/kmemleak-' "$out/debug.txt" ||
				echo "FAIL guest@debug/kmemleak (no guest ran the kmemleak scan)" >>"$out/debug.txt"
			debug_selftest "$kver" "$tree" "$kcache"
		else
			tail -n 30 "$out/debug-kernel.log" >&2
			echo "FAIL guest@debug/build (debug kernel did not build)" >"$out/debug.txt"
		fi
		;;
	*) log "unknown kernel '$k'"; exit 2 ;;
	esac
done
# Leave rup.ko built for the stock kernel, as make does.
make -s module-clean
make -s module KVER="$stock" >/dev/null 2>&1

cat "$out"/*.txt | grep -E '^(PASS|FAIL) ' >"$out/all"
passed=$(grep -c '^PASS ' "$out/all")
failed=$(grep -c '^FAIL ' "$out/all")
for f in "$out"/*.txt; do
	n=$(basename "$f" .txt)
	echo "kernel $n: $(grep -c '^PASS' "$f") passed, $(grep -c '^FAIL' "$f") failed"
done
grep '^FAIL ' "$out/all" | sed 's/^/  /'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
