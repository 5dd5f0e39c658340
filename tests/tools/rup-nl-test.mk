# SPDX-License-Identifier: GPL-2.0
# rup-nl-test: raw genl client for the module's guest tests.
$(O)/tests/tools/rup-nl-test: $(call objs,tests/tools/rup-nl-test.c) $(RUP_LIB)
	$(call link_prog,libmnl libcrypto jansson)
TEST_TOOLS += $(O)/tests/tools/rup-nl-test
