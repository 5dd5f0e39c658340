# SPDX-License-Identifier: GPL-2.0
TEST_SCORE_SRCS := tests/unit/test_score.c userspace/agent/score.c \
	userspace/agent/score_measure.c userspace/agent/score_linkwatch.c
$(O)/tests/unit/test_score: $(call objs,$(TEST_SCORE_SRCS)) $(RUP_LIB)
	$(call link_prog,cmocka libnl-3.0 libnl-route-3.0)
UNIT_TESTS += $(O)/tests/unit/test_score
