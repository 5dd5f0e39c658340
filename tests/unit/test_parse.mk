# SPDX-License-Identifier: GPL-2.0
$(O)/tests/unit/test_parse: $(call objs,tests/unit/test_parse.c) $(RUP_LIB)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_parse
