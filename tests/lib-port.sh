# SPDX-License-Identifier: GPL-2.0
# free_port: a random TCP port nothing listens on (from the ephemeral
# range's neighbour), for host tests that start a server (sourced, not run).
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 12000))
		ss -Htln "sport = :$p" | grep -q . || break
	done
	echo "$p"
}
