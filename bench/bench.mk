# SPDX-License-Identifier: GPL-2.0
# Benchmark tools (bench/tools) and `make bench`: every benchmark, then
# bench/RESULTS.md and the plots rewritten from this run (bench/run.sh).
BENCH_COMMON := bench/tools/bench-common.c
$(O)/bench/bflood: $(call objs,bench/tools/bflood.c $(BENCH_COMMON)) $(RUP_LIB)
	$(call link_prog,libcrypto)
$(O)/bench/urecv: $(call objs,bench/tools/urecv.c $(BENCH_COMMON)) $(RUP_LIB)
	$(call link_prog,libcrypto)
$(O)/bench/knl: $(call objs,bench/tools/knl.c $(BENCH_COMMON)) $(RUP_LIB)
	$(call link_prog,libmnl libcrypto)
$(O)/bench/regload: $(call objs,bench/tools/regload.c $(BENCH_COMMON)) $(RUP_LIB)
	$(call link_prog,libcurl libcrypto)
BENCH_TOOLS := $(O)/bench/bflood $(O)/bench/urecv $(O)/bench/knl $(O)/bench/regload
TEST_TOOLS += $(BENCH_TOOLS)

# The guest runs the default build (build/), so bench/run.sh builds it too.
bench: $(BENCH_TOOLS)
	O=$(O) bench/run.sh
