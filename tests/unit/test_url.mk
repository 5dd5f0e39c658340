# SPDX-License-Identifier: GPL-2.0
$(O)/tests/unit/test_url: $(call objs,tests/unit/test_url.c) $(RUP_LIB)
	$(call link_prog,cmocka libcurl)
UNIT_TESTS += $(O)/tests/unit/test_url
