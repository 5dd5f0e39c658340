# SPDX-License-Identifier: GPL-2.0
# rupctl's value parsers, name tables and genl reply parser (no sockets).
RUPCTL_CLI_UT := tests/unit/test_rupctl_cli.c userspace/rupctl/util.c
$(O)/tests/unit/test_rupctl_cli: $(call objs,$(RUPCTL_CLI_UT)) $(RUP_LIB)
	$(call link_prog,libmnl jansson cmocka)
UNIT_TESTS += $(O)/tests/unit/test_rupctl_cli
