#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write bench/RESULTS.md and bench/*.png from one run's figures
# (build/bench-results/, made by bench/run.sh). A benchmark without figures
# is reported as not measured, with its result line, never filled in.
#   bench/report.sh [RESULTS-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
in=${1:-$src/build/bench-results}
md=$src/bench/RESULTS.md

# v NAME KEY: KEY's value in $in/NAME.txt ("" when absent).
v() {
	[ -r "$in/$1.txt" ] || return 0
	tr ' ' '\n' <"$in/$1.txt" | sed -n "s/^$2=//p" | tail -n 1 | tr -d '"'
}
# calc EXPR: awk arithmetic, "-" when an operand is missing.
calc() { awk "BEGIN { printf $1 }" 2>/dev/null || echo -; }
have() { [ -s "$in/$1.txt" ] && grep -q "^PASS guest/$1\$" "$in/guest.txt" 2>/dev/null; }
why() { # why NAME: the harness's line for a benchmark that produced nothing
	local l
	l=$(grep -E "^(PASS|FAIL) guest/$1( |$)" "$in/guest.txt" 2>/dev/null | head -n 1)
	if [ -n "$l" ]; then
		echo "**Not measured in this run**: $l. Log: \`build/bench-results/logs/$1.log\`."
	else
		echo "**Not measured in this run**: not part of it (BENCH_GUEST)."
	fi
}
mb() { calc "\"%.1f\", $1 / 1048576"; }

# Load at the end of the run (bench/run.sh records it), else now.
if [ -r "$in/machine" ]; then
	read -r load guests <"$in/machine"
else
	load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)
	guests=$(pgrep -c '^qemu-system-x86' || true)
fi
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
memg=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
gk=$(v beacon guest_kernel)
[ -n "$gk" ] || gk=$(v memory guest_kernel)
[ -n "$gk" ] || gk=$(v failover guest_kernel)
gmem=$(v fleet-8x8 guest_mem_kb)
[ -n "$gmem" ] || gmem=$(v beacon guest_mem_kb)

{
cat <<EOF2
<!-- SPDX-License-Identifier: GPL-2.0 -->
# rup benchmarks: results

Written by \`make bench\` (\`bench/run.sh\`, then \`bench/report.sh\`); every
figure below is from the run of **$(cat "$in/date" 2>/dev/null || echo "?")**, which took
$(cat "$in/seconds" 2>/dev/null || echo "?") s. Both sides of every comparison ran in that run, on
that machine, one after the other. Raw figures: \`build/bench-results/*.txt\`.

Machine: $(nproc) CPUs ($cpu), $memg GiB RAM, host kernel $(uname -r),
load average at the end $load, $guests QEMU guests running at the end (the
machine is shared with other builds and guest runs; absolute figures move with
that load, ratios much less).
Guest: QEMU **TCG (software emulation, no KVM)**, 2 vCPUs,
$(calc "\"%.0f\", ${gmem:-0} / 1024") MiB, Debian kernel $gk. Everything in the guest runs several times slower
than it would on hardware; the comparisons are what these figures are for.

EOF2

# ---------------------------------------------------------------- fleet
echo "## 1. Fleet rollout against direct download"
echo
fl=$(ls "$in"/fleet-*x*.txt 2>/dev/null | sed 's|.*/||; s|\.txt$||' | sort -t- -k2 -n || true)
lastf=
[ -z "$fl" ] || lastf=fleet-${fl##*fleet-}
fleet_n=
[ -z "$lastf" ] || fleet_n=$(v "$lastf" fleet_nodes)
steps=$(for f in $fl; do v "$f" R; done | tr '\n' ' ' | sed 's/ *$//; s/ /, /g')
stepn=$(for f in $fl; do v "$f" nodes; done | tr '\n' ' ' | sed 's/ *$//; s/ /, /g')
echo "One fleet of ${fleet_n:-64} nodes ($(v "$lastf" fleet_regions) regions x $(v "$lastf" M), one namespace and one \`rupctl agent\` per node,"
echo "\`bench/guest/$([ "$(v "$lastf" fleet_regions)" = 8 ] && echo fleet-8x8.sh || echo fleet.sh)\`), brought up once; the comparison runs on its first ${steps:-2, 4, 8}"
echo "regions in turn (${stepn:-16, 32, 64} nodes), a new release each time, while the other agents"
echo "idle on the same 2 vCPUs (the same for both sides). The ops server's link is shaped"
echo "to 100 Mbit/s (tc tbf). Package of $(mb "$(v "$lastf" package_bytes)") MiB."
echo "Direct: every node fetches the payload from the ops server at once over HTTPS"
echo "(curl; a connection the server drops, its 15 s write timeout, is resumed with a"
echo "Range request, as a node would) and checks its SHA-256. rup: one rollout of those"
echo "regions; done when the last node's install hook ran (after hash, size and"
echo "signature checks). Egress: tx bytes of the ops server's interface during each"
echo "run (TLS, TCP and API traffic included)."
echo
echo "| nodes | R x M | direct s | rup s | time ratio direct/rup | direct egress MiB | rup egress MiB | egress ratio | nodes/regions | server downloads (rup) | elections during rollout | direct: resumed downloads, Mbit/s achieved |"
echo "| ---: | :---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
: >"$in/fleet.dat"
for f in $fl; do
	n=$(v $f nodes) d=$(v $f direct_ms) r=$(v $f rup_ms) de=$(v $f direct_egress) re=$(v $f rup_egress)
	[ -n "$r" ] || continue
	echo "| $n | $(v $f R) x $(v $f M) | $(calc "\"%.1f\", $d / 1000") | $(calc "\"%.1f\", $r / 1000") | **$(calc "\"%.2f\", $d / $r")** |" \
		"$(mb "$de") | $(mb "$re") | **$(calc "\"%.1f\", $de / $re")** | $(calc "\"%.0f\", $n / $(v $f R)") |" \
		"$(v $f rup_server_downloads) | $(v $f rup_elections) | $(v $f direct_resumed), $(v $f direct_mbit) |"
	echo "$n $(calc "\"%.2f\", $d / 1000") $(calc "\"%.2f\", $r / 1000")" >>"$in/fleet.dat"
done
if [ ! -s "$in/fleet.dat" ]; then
	echo "| | | $(why fleet) | | | | | | | | | |"
fi
echo
if [ -s "$in/fleet.dat" ]; then
	! [ -r "$in/fleet.txt" ] || have fleet ||
		echo "Partial: $(why fleet | sed 's/^\*\*Not measured in this run\*\*: //') Rows above are the steps that finished."
	echo "Fleet bring-up (not part of either figure): $fleet_n agents registered after" \
		"$(calc "\"%.0f\", $(v $lastf agents_registered_ms) / 1000") s, one RVS in every region after" \
		"$(calc "\"%.0f\", $(v $lastf fleet_up_ms) / 1000") s."
	echo
fi
if [ -z "$(v fleet-8x8 rup_ms)" ]; then
	echo "64 nodes (8 x 8): \`bench/guest/fleet-8x8.sh\`, not part of the default \`make bench\`: bringing"
	echo "up 64 agents and 64 simultaneous TLS downloads in the emulated guest take about 20"
	echo "minutes on this machine, which the 30-minute bound of the whole run cannot hold"
	echo "(\`BENCH_HOST=0 BENCH_GUEST=fleet-8x8 bench/run.sh\` runs it)."
	echo
fi
echo "Targets (issue 7): server egress one package per region (egress ratio ="
echo "nodes/regions); completion at least 3x faster than direct download at 32 nodes."
f32=$(for f in $fl; do [ "$(v $f nodes)" = 32 ] && echo $f; done | head -n 1)
if [ -n "$f32" ] && [ -n "$(v $f32 rup_ms)" ]; then
	tr32=$(calc "\"%.2f\", $(v $f32 direct_ms) / $(v $f32 rup_ms)")
	pk=$(calc "\"%.2f\", $(v $f32 rup_egress) / $(v $f32 package_bytes) / $(v $f32 R)")
	echo "At 32 nodes: completion **x$tr32** ($(awk -v a="$tr32" 'BEGIN { print (a >= 3) ? "target met" : "target missed" }'));"
	echo "rup's server egress **$pk packages per region** ($(v $f32 rup_server_downloads) payload downloads for $(v $f32 R) regions,"
	echo "$(v $f32 rup_elections) elections during the rollout: an RVS elected while its region's task is open"
	echo "downloads again; the rest is TLS, TCP and the API traffic of the rollout)."
	echo
	echo "Read with care: the direct side reached only $(for f in $fl; do v $f direct_mbit; done | sort -g | head -n 1)-$(for f in $fl; do v $f direct_mbit; done | sort -g | tail -n 1) Mbit/s of the"
	echo "100 Mbit/s link. In the emulated guest, TLS on 2 vCPUs shared by the ops server,"
	echo "every client and every agent bounds it, not the link (at 100 Mbit/s the 32-node"
	echo "direct download would take $(calc "\"%.1f\", $(v $f32 direct_egress) * 8 / 1e8") s of link time). Both sides are CPU-bound here, so the"
	echo "time ratio moves with the host's load: the more the guest is starved, the more"
	echo "the direct side's simultaneous TLS downloads stall (resumed downloads above; the"
	echo "ops server drops a connection it could not write to for 15 s)."
fi
if [ -s "$in/fleet.dat" ] && command -v gnuplot >/dev/null; then
	gnuplot <<EOG
set terminal pngcairo size 800,500 noenhanced
set output "$src/bench/fleet-completion.png"
set title "Rollout completion vs. nodes (ops link 100 Mbit/s, $(mb "$(v "$lastf" package_bytes)") MiB package, QEMU TCG)"
set xlabel "nodes"
set ylabel "completion time (s)"
set key top left
set grid
set xrange [0:*]
set yrange [0:*]
plot "$in/fleet.dat" using 1:2 with linespoints lw 2 pt 7 title "direct download from the ops server", \
     "$in/fleet.dat" using 1:3 with linespoints lw 2 pt 5 title "rup (one download per region)"
EOG
	echo
	echo "![completion time vs nodes](fleet-completion.png)"
fi
echo

# ---------------------------------------------------------------- failover
echo "## 2. Failover"
echo
echo "One region of 6 agents (\`bench/guest/failover.sh\`). The RVS dies outright: its"
echo "region link goes down (at the bridge port, by an \`ip -batch\` already running that"
echo "reads the command from a fifo, so no process start lies in between), then its"
echo "agent is SIGKILLed. Up to 3 RVSs die in a row, then the dead rejoin together. Measured"
echo "from the death to the sequence (sender's wall clock at send) of the first beacon"
echo "with the RVS role from another node, as a surviving member's kernel reports it"
echo "(genl events). The death is taken as the later of the kill command and the"
echo "victim's last beacon (from the member's \"gone\" event): the node was alive at"
echo "both, so a figure can only be longer than the truth (by less than one interval)."
echo "Dead interval 3.5 intervals (the ops server's default ratio). A trial is taken again when the"
echo "region re-elected on its own (a beacon stalled past the dead interval in the"
echo "emulated guest) between picking the victim and the kill."
echo
if [ -n "$(v failover iv100_n)$(v failover iv1000_n)" ]; then
	have failover || echo "Partial: $(why failover | sed 's/^\*\*Not measured in this run\*\*: //') Rows below are the intervals that finished."
	echo
	echo "| interval ms | dead interval ms | trials | median ms | p95 ms | max ms | median intervals | p95 intervals | target p95 <= dead + 2 intervals |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :--- |"
	for iv in 100 1000; do
		if [ -z "$(v failover iv${iv}_n)" ]; then
			echo "| $iv | | not measured (the run ended before this interval finished) | | | | | | |"
			continue
		fi
		dead=$(v failover iv${iv}_dead_ms) p95=$(v failover iv${iv}_p95_ms)
		tgt=$((dead + 2 * iv))
		ok=$(awk -v a="$p95" -v b="$tgt" 'BEGIN { print (a <= b) ? "met" : "missed" }')
		echo "| $iv | $dead | $(v failover iv${iv}_n) | $(v failover iv${iv}_median_ms) | $p95 | $(v failover iv${iv}_max_ms) |" \
			"$(v failover iv${iv}_median_iv) | $(v failover iv${iv}_p95_iv) | $ok ($tgt ms) |"
	done
	echo
	echo "All trials (ms): 100 ms: $(v failover iv100_all | tr ',' ' '); 1000 ms: $(v failover iv1000_all | tr ',' ' ')."
	echo
	echo "Counted from the kill command alone (median): $(v failover iv100_fromcmd_median_ms) ms at 100 ms,"
	echo "$(v failover iv1000_fromcmd_median_ms) ms at 1000 ms. Trials taken again because the region had"
	echo "re-elected on its own first: $(v failover iv100_retries) at 100 ms, $(v failover iv1000_retries) at 1000 ms."
else
	why failover
fi
echo

# ---------------------------------------------------------------- beacon
echo "## 3. Beacon path: rup.ko against a userspace receiver"
echo
if have beacon; then
	s0=$(v beacon sender_alone_best) k=$(v beacon k_best) u=$(v beacon u_best) up=$(v beacon up_best)
	n=$(v beacon tput_offered)
	echo "Same guest, same sender (\`bflood --pregen\`: $n beacons from 1,000 node ids, signed"
	echo "before the clock starts, sendmmsg, pinned to CPU 0), $(v beacon tput_trials) trials each, interleaved."
	echo "Kernel: rx counter (beacons authenticated and applied to the table) over the"
	echo "window from its first to its last change. Userspace: \`bench/tools/urecv\`"
	echo "(recvmmsg, the same codec, OpenSSL HMAC-SHA256 with the key set once, a hash"
	echo "table with the kernel's replay/window/size rules). The kernel receives in softirq"
	echo "on the sender's CPU, so urecv is shown both on its own CPU and pinned to CPU 0."
	echo "Receive cost = 1/rate - 1/(sender alone), the CPU time one beacon adds on CPU 0,"
	echo "from the best trial of each (the least disturbed on this shared machine)."
	echo
	echo "| receiver | accepted of $n (median) | best beacons/s | median beacons/s | receive cost us/beacon (CPU 0) | ratio to kernel |"
	echo "| :--- | ---: | ---: | ---: | ---: | ---: |"
	kc=$(calc "\"%.1f\", 1e6 / $k - 1e6 / $s0")
	upc=$(calc "\"%.1f\", 1e6 / $up - 1e6 / $s0")
	echo "| sender alone (nobody listening) | - | $s0 | $(v beacon sender_alone_rate) | 0 | |"
	echo "| rup.ko (softirq, CPU 0) | $(v beacon k_accepted) | $k | $(v beacon k_rate) | $kc | 1 |"
	costx=$(awk -v a="$upc" -v b="$kc" 'BEGIN { if (b > 0) printf "cost x%.1f, ", a / b; else printf "cost: kernel below the noise, " }')
	echo "| urecv pinned to CPU 0 | $(v beacon up_accepted) | $up | $(v beacon up_rate) | $upc | ${costx}rate x$(calc "\"%.2f\", $up / $k") |"
	echo "| urecv on its own CPU | $(v beacon u_accepted) | $u | $(v beacon u_rate) | (other CPU) | rate x$(calc "\"%.2f\", $u / $k") |"
	echo
	echo "Per-trial rates: sender alone $(v beacon sender_alone_rates | tr ',' ' '); kernel $(v beacon k_rates | tr ',' ' ');"
	echo "urecv pinned $(v beacon up_rates | tr ',' ' ');"
	echo "urecv free $(v beacon u_rates | tr ',' ' '); sender rate with the kernel receiving: $(v beacon sender_rate)/s."
	echo "The kernel accepted everything the sender could send: its rate is bounded by the"
	echo "sender sharing its CPU, so it is a lower bound of what the kernel path can take."
	echo
	echo "Latency, beacon sent (its sequence = sender's wall clock) to the change being"
	echo "visible to an application, $(v beacon lat_n) beacons at $(v beacon lat_rate)/s from 100 ids, each a score"
	echo "change. Kernel: the PEER_CHANGED genl event received by a libmnl listener"
	echo "(\`bench/tools/knl events\`); userspace: the beacon applied to urecv's table."
	echo
	echo "| receiver | events | p50 us | p99 us |"
	echo "| :--- | ---: | ---: | ---: |"
	echo "| rup.ko -> genl event | $(v beacon k_events) (overruns $(v beacon k_overruns)) | $(v beacon k_lat_p50_us) | $(v beacon k_lat_p99_us) |"
	echo "| urecv | $(v beacon u_lat_n) | $(v beacon u_lat_p50_us) | $(v beacon u_lat_p99_us) |"
	echo "| ratio kernel/urecv | | $(calc "\"%.2f\", $(v beacon k_lat_p50_us) / $(v beacon u_lat_p50_us)") | $(calc "\"%.2f\", $(v beacon k_lat_p99_us) / $(v beacon u_lat_p99_us)") |"
else
	why beacon
fi
echo

# ---------------------------------------------------------------- ops
echo "## 4. Ops server"
echo
echo "On the host, loopback, HTTPS with a test CA (\`bench/host/opsd.sh\`,"
echo "\`bench/tools/regload\`: libcurl multi, keep-alive). Each concurrency level"
echo "registers new nodes against a fresh \`rup-opsd\` (SQLite, one transaction each)."
echo
if [ -s "$in/opsd.txt" ]; then
	echo "| concurrent clients | registrations | seconds | registrations/s | latency p50 ms | p99 ms |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
	for c in 1 8 64; do
		echo "| $c | $(v opsd reg_c${c}_count) | $(v opsd reg_c${c}_s) | $(v opsd reg_c${c}_rate) | $(v opsd reg_c${c}_p50_ms) | $(v opsd reg_c${c}_p99_ms) |"
	done
	echo
	echo "Long-poll capacity: $(v opsd lp_tried) RVS long-polls of distinct regions (M = 1) against"
	echo "\`server.max_longpolls\` = $(v opsd lp_cap): **$(v opsd lp_held) held** ($(v opsd lp_conns) connections open);"
	echo "the rest are answered 503 at once. Server RSS $(v opsd lp_rss0_kb) KiB idle, $(v opsd lp_rss_kb) KiB"
	echo "holding them: **$(v opsd lp_per_conn_kb) KiB per held TLS long-poll**."
else
	echo "**Not measured in this run** (see \`build/bench-results/opsd.log\`)."
fi
echo
echo "### Planner (\`rup-opsd plan\`, from bench/plan)"
echo
if [ -s "$in/plan.md" ]; then
	grep -v '^# planner' "$in/plan.md" | sed 's/^# \(.*\)$/Run: \1/'
	echo
fi
if [ -s "$in/plan-growth.txt" ]; then
	echo "Growth (\`bench/host/plan-growth.sh\`, M = 50, least of several runs each; CPU ="
	echo "user + sys at 1 ms resolution, process start included). N log N predicts"
	echo "x12.5 from 10^4 to 10^5 and x12.0 from 10^5 to 10^6; a constant last column is N log N:"
	echo
	echo "| nodes | CPU ms | x previous | wall ms | peak RSS MiB | CPU ns per node | ns per node / log2 N |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	prev=
	for n in 10000 100000 1000000; do
		c=$(v plan-growth plan_${n}_cpu_us)
		echo "| $n | $(calc "\"%.0f\", $c / 1000") | ${prev:+x$(calc "\"%.1f\", $c / $prev")} |" \
			"$(calc "\"%.0f\", $(v plan-growth plan_${n}_us) / 1000") | $(calc "\"%.0f\", $(v plan-growth plan_${n}_rss_kb) / 1024") |" \
			"$(calc "\"%.0f\", $c * 1000 / $n") | $(calc "\"%.1f\", $c * 1000 / $n / (log($n) / log(2))") |"
		prev=$c
	done
else
	echo "**Growth not measured in this run** (see \`build/bench-results/plan-growth.log\`)."
fi
echo

# ---------------------------------------------------------------- memory
echo "## 5. Memory"
echo
if have memory; then
	echo "Kernel, in the guest: $(v memory peers) crafted peers joined one region; then"
	echo "$(v memory regions) more regions were added. Deltas of /proc/meminfo after dropping caches."
	echo
	echo "| what | bytes |"
	echo "| :--- | ---: |"
	echo "| \`rup_peer\` slab object size (unmerged cache) | $(v memory peer_object_size) (slab stride $(v memory peer_slab_size)) |"
	echo "| rup_peer objects added for $(v memory peers) peers | $(v memory peer_objs_delta) |"
	echo "| per peer, Slab delta | $(v memory peer_slab_delta_b) |"
	echo "| per peer, MemAvailable delta | $(v memory peer_avail_delta_b) |"
	echo "| per region, Slab delta | $(v memory region_slab_delta_b) |"
	echo "| per region, MemAvailable delta | $(v memory region_avail_delta_b) |"
	echo
	echo "The rup_peer object and the Slab delta are the kernel's own figures; MemAvailable"
	echo "also moves with page cache and reclaim in the guest (it can even rise), so it"
	echo "is shown only as a cross-check."
else
	why memory
fi
echo
if [ -n "$lastf" ] && [ -n "$(v "$lastf" agent_rss_kb_median)" ]; then
	echo "Agent RSS (\`rupctl agent\`, the $(v "$lastf" nodes) nodes after the $(v "$lastf" R) x $(v "$lastf" M) rollout): median $(v "$lastf" agent_rss_kb_median) KiB,"
	echo "max $(v "$lastf" agent_rss_kb_max) KiB (the RVS holds the package in its store on disk, not in memory);"
	echo "ops server RSS after that rollout: $(v "$lastf" opsd_rss_kb) KiB."
	echo
fi
for iv in 100 1000; do
	[ -n "$(v failover iv${iv}_agent_rss_kb)" ] || continue
	echo "Agent RSS (\`rupctl agent\`, the 6 agents of the failover region after $(v failover iv${iv}_n) failovers at"
	echo "$iv ms): $(v failover iv${iv}_agent_rss_kb | sed 's/,/, /g') KiB."
	echo
done
if [ -z "$lastf" ] && [ -z "$(v failover iv100_agent_rss_kb)$(v failover iv1000_agent_rss_kb)" ]; then
	echo "Agent RSS: not measured in this run (neither the fleet nor the failover benchmark finished)."
fi
echo
echo "## Reproduce"
echo
echo "\`make bench\` (about $(( ($(cat "$in/seconds" 2>/dev/null || echo 0) + 59) / 60 )) minutes here). One part: \`BENCH_HOST=0 BENCH_GUEST=beacon bench/run.sh\`;"
echo "a guest benchmark alone: \`make userspace tests && tests/vm/run.sh --no-build bench/guest/beacon.sh\`."
} >"$md"
echo "bench: wrote $md" >&2
