# SPDX-License-Identifier: GPL-2.0
# fd-keeper: hold copies of a process's descriptors (guest test 30).
$(O)/tests/tools/fd-keeper: $(call objs,tests/tools/fd-keeper.c)
	$(call link_prog,)
TEST_TOOLS += $(O)/tests/tools/fd-keeper
