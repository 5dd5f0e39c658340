# SPDX-License-Identifier: GPL-2.0
# Region assignment (userspace/opsd/assign.c) against docs/ASSIGNMENT.md and a naive reference.
$(O)/obj/tests/unit/test_assign.o: CFLAGS += -Iuserspace/opsd
$(O)/tests/unit/test_assign: $(call objs,tests/unit/test_assign.c userspace/opsd/assign.c) $(RUP_LIB)
	$(call link_prog,cmocka)
UNIT_TESTS += $(O)/tests/unit/test_assign
