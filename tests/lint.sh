#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make lint: static checks, one PASS/FAIL line each into build/results/lint.txt
#   checkpatch  checkpatch.pl --strict (from linux-source-6.1) on kmod/, include/
#   sparse      the module built with C=2 CHECK=sparse: no warning in our files
#   w1-6.1      the module built with W=1 for Debian 12's 6.1 and
#   w1-6.12     for the 6.12 LTS of bookworm-backports: no warning in our files
#   clang-format userspace, tests' C and tools match .clang-format
#   structure    no include cycle across folders, no userspace function over
#                80 lines, SQLite only in userspace/opsd/store_sqlite*
# Env: KVER/KDIR as for make.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
out=$src/build/results/lint.txt
logs=$src/build/logs/lint
mkdir -p "$(dirname "$out")" "$logs"
: >"$out"
kver=${KVER:-$(tests/vm/kver.sh)}
kdir=${KDIR:-/lib/modules/$kver/build}
lint=$src/.cache/lint
if [ ! -f "$lint/scripts/checkpatch.pl" ]; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -f $tarball ] || apt-get install -y -qq --no-install-recommends linux-source-6.1
	mkdir -p "$lint"
	tar -xJf $tarball -C "$lint" --wildcards --strip-components=1 \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
fi

result() { # NAME LOGFILE: PASS when the log is empty
	if [ -s "$2" ]; then
		echo "FAIL lint/$1 (see ${2#"$src"/})" >>"$out"
		echo "lint: FAIL $1"
		head -n 40 "$2" | sed "s/^/  $1| /"
	else
		echo "PASS lint/$1" >>"$out"
		echo "lint: PASS $1"
	fi
}

kfiles=$(git ls-files 'kmod/*.c' 'kmod/*.h' 'include/*.h')
# shellcheck disable=SC2086
perl "$lint/scripts/checkpatch.pl" --strict --no-tree --terse --show-types -f $kfiles \
	2>&1 | grep -E '^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK)' >"$logs/checkpatch.log"
result checkpatch "$logs/checkpatch.log"

ours='^(\./)?(/[^:]*/)?(kmod|include)/[^:]+:[0-9]+:[0-9]*:? ?(warning|error)'
make -s module-clean
make -s -C "$kdir" M="$src" C=2 CHECK="sparse -Wno-unknown-attribute" modules 2>&1 |
	sed "s|$src/||" | grep -E "$ours" >"$logs/sparse.log"
result sparse "$logs/sparse.log"

# W=1 on both kernel generations: the compat code for each is compiled.
w1() { # NAME KDIR
	make -s module-clean
	make -s -C "$2" M="$src" W=1 modules 2>&1 | sed "s|$src/||" | grep -E "$ours" >"$logs/$1.log"
	result "$1" "$logs/$1.log"
}
w1 w1-6.1 "$kdir"
if kver612=$(tests/vm/kver-6.12.sh 2>"$logs/w1-6.12-headers.log") &&
	kdir612=$(tests/vm/headers.sh "$kver612" 2>>"$logs/w1-6.12-headers.log"); then
	w1 w1-6.12 "$kdir612"
else
	cp "$logs/w1-6.12-headers.log" "$logs/w1-6.12.log"
	echo "no 6.12 headers (see above)" >>"$logs/w1-6.12.log"
	result w1-6.12 "$logs/w1-6.12.log"
fi
make -s module-clean
make -s module >/dev/null 2>&1

cfiles=$(git ls-files 'userspace/*.c' 'userspace/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' | grep -v '^tests/vm/selftest/')
: >"$logs/clang-format.log"
for f in $cfiles; do
	clang-format --style=file --dry-run "$f" >/dev/null 2>"$logs/cf.tmp" || true
	[ -s "$logs/cf.tmp" ] && echo "$f: not formatted ($(grep -c 'warning:' "$logs/cf.tmp") places)" >>"$logs/clang-format.log"
done
rm -f "$logs/cf.tmp"
result clang-format "$logs/clang-format.log"

# The userspace structure (docs/ARCHITECTURE.md): programs depend on
# userspace/lib, never the other way, and no include cycle crosses folders;
# functions fit a screen; SQL lives only in the ops server's store files.
tests/tools/include-graph.py | grep cycle >"$logs/structure.log" || true
# shellcheck disable=SC2046
tests/tools/long-functions.sh $(git ls-files 'userspace/*.c') | sed 's/^/over 80 lines: /' >>"$logs/structure.log"
git ls-files 'userspace/*.c' 'userspace/*.h' | grep -v '^userspace/opsd/store_sqlite' |
	xargs grep -l 'sqlite3' | sed 's/$/: SQLite outside the store/' >>"$logs/structure.log" || true
result structure "$logs/structure.log"
! grep -q '^FAIL' "$out"
