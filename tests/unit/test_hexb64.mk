# SPDX-License-Identifier: GPL-2.0
$(O)/tests/unit/test_hexb64: $(call objs,tests/unit/test_hexb64.c) $(RUP_LIB)
	$(call link_prog,cmocka openssl)
UNIT_TESTS += $(O)/tests/unit/test_hexb64
