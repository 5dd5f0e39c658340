#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 60
# rupctl release keygen/sign/verify end to end: OpenSSL's CLI agrees with
# the signature, hash and size; every kind of tampering is refused with its
# own exit code and reason; rollback checks.
set -u
. "${RUP_SRC:?}/tests/lib-assert.sh"
rupctl=${RUP_BUILD:?}/rupctl
[ -x "$rupctl" ] || fail "$rupctl not built"
dir=$(mktemp -d /tmp/rup-release-sign.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

# expect CODE REASON -- ARGS: run rupctl, check exit code and stderr reason.
expect() {
	local code=$1 reason=$2 out rc
	shift 3
	out=$("$rupctl" "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$code" ] && { [ -z "$reason" ] || grep -q -- "$reason" <<<"$out"; }; then
		ok "$* -> $code $reason"
	else
		fail "$* -> exit $rc, wanted $code $reason: $out"
	fi
}

# 1. Keys: private 0600, public 0644, never overwritten.
expect 0 "" -- release keygen --out keys
expect 0 "" -- release keygen --out other
[ "$(stat -c %a keys/release.key)" = 600 ] && [ "$(stat -c %a keys/release.pub)" = 644 ] &&
	ok "key modes" || fail "key modes $(stat -c %a keys/*)"
before=$(sha256sum keys/release.key)
expect 9 "" -- release keygen --out keys
[ "$before" = "$(sha256sum keys/release.key)" ] && ok "existing key kept" || fail "key overwritten"
grep -q "BEGIN PRIVATE KEY" keys/release.key && grep -q "BEGIN PUBLIC KEY" keys/release.pub &&
	ok "PEM files" || fail "not PEM"

# 2. Sign; the manifest carries the payload's real hash and size.
head -c 300000 /dev/urandom >pkg.bin
# Byte 1000 is 'A', so the tampered copy below ('X' there) surely differs
# (a random byte was 'X' one run in 256).
printf 'A' | dd of=pkg.bin bs=1 seek=1000 conv=notrunc status=none
expect 0 "" -- release sign --key keys/release.key --payload pkg.bin --version 2.0.5 \
	--range '>=2.0.0,<2.1.0' --summary "fixes" --install-arg --reboot --out m.json
grep -q "\"sha256\": \"$(sha256sum pkg.bin | cut -d' ' -f1)\"" m.json && ok "sha256 in manifest" ||
	fail "sha256 differs"
grep -q "\"size\": 300000," m.json && ok "size in manifest" || fail "size"
grep -q '"install_args": \[' m.json && ok "install_args" || fail "install_args"
[ "$(wc -c <m.json.sig)" -eq 89 ] && ok "sig is 88 base64 chars + newline" || fail "sig length"

# 3. OpenSSL verifies the signature over the file's exact bytes.
base64 -d m.json.sig >m.sig.raw
openssl pkeyutl -verify -pubin -inkey keys/release.pub -rawin -in m.json -sigfile m.sig.raw \
	>/dev/null 2>&1 && ok "openssl verifies" || fail "openssl does not verify"

# 4. Verify: folder, one key, payload, JSON.
expect 0 "payload matches" -- release verify --keys keys --payload pkg.bin m.json
expect 0 "" -- release verify --pubkey keys/release.pub m.json
out=$("$rupctl" -j release verify --keys keys --payload pkg.bin m.json)
grep -q '"version":"2.0.5"' <<<"$out" && grep -q '"payload_verified":true' <<<"$out" &&
	ok "JSON output" || fail "JSON output: $out"

# 5. Payload tampering: hash, longer, shorter, missing.
cp pkg.bin t.bin && printf 'X' | dd of=t.bin bs=1 seek=1000 conv=notrunc status=none
expect 7 hash_mismatch -- release verify --keys keys --payload t.bin m.json
cp pkg.bin long.bin && printf 'X' >>long.bin
expect 7 size_exceeded -- release verify --keys keys --payload long.bin m.json
head -c 299999 pkg.bin >short.bin
expect 7 size_short -- release verify --keys keys --payload short.bin m.json
expect 9 "" -- release verify --keys keys --payload nosuch.bin m.json

# 6. Signature problems: changed manifest byte, other key, no key, garbage.
sed 's/"fixes"/"fixes "/' m.json >m2.json && cp m.json.sig m2.json.sig
expect 6 bad_signature -- release verify --keys keys m2.json
expect 6 bad_signature -- release verify --keys other m.json
mkdir empty
expect 6 no_trusted_keys -- release verify --keys empty m.json
expect 6 no_trusted_keys -- release verify --keys nosuchdir m.json
echo "bm90IGEgc2lnbmF0dXJl" >m.json.bad
expect 6 bad_signature -- release verify --keys keys --sig m.json.bad m.json
cp other/release.pub keys/zz-other.pub
expect 0 "keys/release.pub" -- release verify --keys keys m.json

# 7. Signed by a trusted key but not a valid manifest: refused after the signature.
sed 's/"format": 1,/"format": 1, "extra": 1,/' m.json >m3.json
openssl pkeyutl -sign -inkey keys/release.key -rawin -in m3.json | base64 -w0 >m3.json.sig
expect 5 'unknown field "extra"' -- release verify --keys keys m3.json

# 8. Rollback protection against the highest installed version.
expect 0 "" -- release verify --keys keys --highest 2.0.4 m.json
expect 8 already_installed -- release verify --keys keys --highest 2.0.5 m.json
expect 8 downgrade -- release verify --keys keys --highest 2.1.0-rc.1 m.json

# 9. Bad signing input: nothing is written.
expect 5 'version "2.0"' -- release sign --key keys/release.key --payload pkg.bin --version 2.0 \
	--range '*' --out bad.json
expect 5 'range' -- release sign --key keys/release.key --payload pkg.bin --version 2.0.0 \
	--range '~2' --out bad.json
expect 5 'name' -- release sign --key keys/release.key --payload pkg.bin --version 2.0.0 \
	--range '*' --name ../x --out bad.json
expect 6 "not a PEM private key" -- release sign --key keys/release.pub --payload pkg.bin \
	--version 2.0.0 --range '*' --out bad.json
expect 1 "needs" -- release sign --key keys/release.key --payload pkg.bin --out bad.json
[ ! -e bad.json ] && [ ! -e bad.json.sig ] && ok "nothing written" || fail "bad.json written"

echo "all checks passed"
