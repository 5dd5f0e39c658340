# SPDX-License-Identifier: GPL-2.0
$(O)/tests/unit/test_fleet: $(call objs,tests/unit/test_fleet.c) $(RUP_LIB)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_fleet
