# SPDX-License-Identifier: GPL-2.0
# Assertions shared by the host and guest tests (sourced, not run). A test
# stops at its first failed assertion (docs/DEVELOPING.md, "Tests"): a
# "FAIL: what" line, the context its on_fail hooks print, exit 1. Only
# shell builtins: in an emulated guest every process costs ~40 ms.

ASSERT_ON_FAIL=()

# on_fail FUNC: FUNC prints context (logs of what the test started) when an
# assertion fails, on stderr, before the test exits.
on_fail() { ASSERT_ON_FAIL+=("$1"); }

fail() {
	local hooks=("${ASSERT_ON_FAIL[@]}") h
	ASSERT_ON_FAIL=() # a hook that fails must not loop
	echo "FAIL: $*" >&2
	for h in "${hooks[@]}"; do
		"$h" >&2 </dev/null
	done
	# Repeated after long context, so the reason is the last line.
	[ ${#hooks[@]} -eq 0 ] || echo "FAIL: $*" >&2
	exit 1
}

ok() { echo "ok   $*"; }

log() { echo "# $*"; }

# check DESCRIPTION [!] COMMAND...: COMMAND succeeds (with !: fails), or the
# test fails with DESCRIPTION.
check() {
	local d=$1 neg=0 r=1
	shift
	if [ "$1" = "!" ]; then
		neg=1
		shift
	fi
	if "$@"; then r=0; fi
	[ "$r" = "$neg" ] || fail "$d"
	ok "$d"
}

# assert_eq GOT WANT [WHAT]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', want '$2'"
}
