# SPDX-License-Identifier: GPL-2.0
$(O)/tests/unit/test_api: $(call objs,tests/unit/test_api.c) $(RUP_LIB)
	$(call link_prog,cmocka openssl jansson)
UNIT_TESTS += $(O)/tests/unit/test_api
