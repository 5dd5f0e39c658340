# SPDX-License-Identifier: GPL-2.0
# Keys and certificates for tests and benchmarks that run rup-opsd (sourced,
# not run): host tests, guest fleets, bench/host/opsd.sh.

# pki_make DIR IP: a test CA (DIR/ca.pem, ca.key) and a server certificate
# for IP signed by it (DIR/server.pem, server.key): P-256, two days.
pki_make() {
	local p=$1 ip=$2
	mkdir -p "$p" &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
			-subj /CN=rup-test-ca -keyout "$p/ca.key" -out "$p/ca.pem" 2>/dev/null &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$ip" \
			-keyout "$p/server.key" -out "$p/server.csr" 2>/dev/null &&
		printf 'subjectAltName=IP:%s\n' "$ip" >"$p/ext" &&
		openssl x509 -req -in "$p/server.csr" -CA "$p/ca.pem" -CAkey "$p/ca.key" \
			-CAcreateserial -days 2 -extfile "$p/ext" -out "$p/server.pem" 2>/dev/null
}

# release_key_make KEY [PUB]: an Ed25519 release key, and its public half.
release_key_make() {
	openssl genpkey -algorithm ed25519 -out "$1" 2>/dev/null &&
		{ [ $# -lt 2 ] || openssl pkey -in "$1" -pubout -out "$2"; }
}
