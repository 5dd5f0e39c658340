# SPDX-License-Identifier: GPL-2.0
# Helpers for benchmark scripts run in the QEMU guest by
#   tests/vm/run.sh --no-build --results FILE bench/guest/NAME.sh
# Each script writes "key=value" lines to $BENCH_OUT/NAME.txt (default
# build/bench-results, on the repo mount, so the host's bench/run.sh reads
# them) and exits 0 when every figure was measured.
. "$RUP_SRC/tests/guest/lib.sh"
BENCH_OUT=${BENCH_OUT:-$RUP_SRC/build/bench-results}
BT=$RUP_BUILD/bench
mkdir -p "$BENCH_OUT"

# bench_open NAME: start NAME's result file (truncates it).
bench_open() {
	BENCH_FILE=$BENCH_OUT/$1.txt
	: >"$BENCH_FILE"
	bench_put "date=$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "guest_kernel=$(uname -r)" \
		"guest_nproc=$(nproc)" "guest_mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
}

# bench_put KEY=VALUE...: one line of figures (also shown in the test log).
bench_put() {
	echo "$*" | tee -a "$BENCH_FILE"
}

# field LINE NAME: the value after word NAME in a "name value name value" line.
field() {
	echo "$1" | tr ' ' '\n' | awk -v n="$2" 'p { print; exit } $0 == n { p = 1 }'
}

# median V...: the median of numbers.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wait_line FILE TEXT [SECONDS]: until TEXT appears in FILE.
wait_line() {
	wait_until "${3:-20}" grep -q "$2" "$1"
}
