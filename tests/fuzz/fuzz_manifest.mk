# SPDX-License-Identifier: GPL-2.0
# libFuzzer harness of the release parsers (manifest, signature text,
# versions, ranges); run for 20 s by tests/host/fuzz-manifest.sh.
FUZZ_MANIFEST := $(O)/fuzz/fuzz_manifest
FUZZ_MANIFEST_SRCS := tests/fuzz/fuzz_manifest.c userspace/common/release.c \
	userspace/common/release_sig.c userspace/common/semver.c

$(FUZZ_MANIFEST): $(FUZZ_MANIFEST_SRCS) userspace/common/release.h userspace/common/semver.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -Iuserspace/common \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(FUZZ_MANIFEST_SRCS) $(call libs,jansson openssl)
TEST_TOOLS += $(FUZZ_MANIFEST)
