# SPDX-License-Identifier: GPL-2.0
# Planner benchmark: input generator, a planner-only driver, and `make bench-plan`.
$(O)/obj/bench/plan/plan-driver.o: CFLAGS += -Iuserspace/opsd
$(O)/bench/plan-driver: $(call objs,bench/plan/plan-driver.c userspace/opsd/plan.c userspace/opsd/assign.c) $(RUP_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^
$(O)/bench/plan-gen: $(call objs,bench/plan/gen.c)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^
$(O)/obj/bench/plan/assign-bench.o: CFLAGS += -Iuserspace/opsd
$(O)/bench/assign-bench: $(call objs,bench/plan/assign-bench.c userspace/opsd/assign.c)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^
TEST_TOOLS += $(O)/bench/plan-driver $(O)/bench/plan-gen $(O)/bench/assign-bench

.PHONY: bench-plan
bench-plan: $(O)/bench/plan-driver $(O)/bench/plan-gen $(O)/bench/assign-bench
	O=$(O) bench/plan/run.sh
bench: bench-plan
