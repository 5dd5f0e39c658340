# SPDX-License-Identifier: GPL-2.0
# Unit tests of the beacon wire codec (include/rup/beacon.h).
$(O)/tests/unit/test_beacon: $(call objs,tests/unit/test_beacon.c)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_beacon
