# rbmtools: builds every tool into bin/, the library into build/librbm.a, runs the tests,
# and holds one target per experiment (each a script in pipelines/).

# Adding a tool is one word here and one file tools/NAME.c.
TOOLS = mnist2bin rbm-init rbm-train rbm-gibbs rbm-pll bin2pgm rbm-ais rbm-info rbm-hidden rbm-filters \
	npy2bin bin2npy csv2bin bin2csv pnm2bin rbm-export
VERSION = 0.1.0

CC = gcc
# -O2: the numerics live in BLAS and a few simple loops. -march=native: AVX-512 for those
# loops on the machine that builds (CI builds and runs on one machine). -fopenmp: the
# elementwise kernels use the same threads as BLAS (--threads).
OPT = -O2 -march=native
CFLAGS = $(OPT) -std=c11 -D_GNU_SOURCE -Wall -Wextra -fopenmp -Ilib \
	-DRBMTOOLS_VERSION='"$(VERSION)"' $(CFLAGS_EXTRA)
# OpenBLAS built on OpenMP, so that BLAS and the elementwise loops share one pool of
# threads; the pthread build's threads and OpenMP's spin against each other (3.5x slower
# Gibbs sampling measured on 2 cores).
BLASDIR = /usr/lib/x86_64-linux-gnu/openblas-openmp
LDLIBS = -L$(BLASDIR) -Wl,-rpath,$(BLASDIR) -lopenblas -lnetpbm -lz -lm
BUILD = build

LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:lib/%.c=$(BUILD)/lib/%.o)
UNITSRC = $(wildcard tests/unit/test_*.c)
UNITBIN = $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(TOOLS:%=bin/%)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/librbm.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $^

bin/%: tools/%.c $(BUILD)/librbm.a $(wildcard lib/*.h)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/librbm.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(BUILD)/librbm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/librbm.a $(LDLIBS)

# The C unit tests alone.
unit: $(UNITBIN)
	@tests/run-tests unit $(UNITBIN)

# Every test: unit tests, then the bats files; the last line is "N passed, N failed".
check: all $(UNITBIN) $(BUILD)/slow_fsync.so $(FUZZBIN)
	@tests/run-tests all $(UNITBIN)

# The unit tests again under AddressSanitizer and UBSan, in a build tree of their own.
sanitize:
	$(MAKE) BUILD=build-san OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer' \
		LDLIBS='$(LDLIBS) -fsanitize=address,undefined' unit-san

unit-san: $(UNITBIN)
	@UBSAN_OPTIONS=halt_on_error=1 ASAN_OPTIONS=detect_leaks=0 tests/run-tests unit $(UNITBIN)

debug:
	$(MAKE) BUILD=build-debug OPT='-O0 -g'

# Debian packages the project needs, installed only when one is missing.
# (make data also needs npm where the canonical mirrors cannot be reached.)
PKGS = gcc make clang libclang-rt-14-dev libopenblas-dev libopenblas-openmp-dev zlib1g-dev libnetpbm-dev netpbm bats \
	parallel curl time gnuplot-nox python3-numpy
deps:
	@missing=$$(for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# ---- data and experiments (see README.md) ------------------------------------
data: all
	pipelines/data.sh

quick cd5000 ll: all data
	pipelines/train.sh $@

samples: all
	pipelines/samples.sh "$(RUN)" "$(CKPT)"

dbn: all data
	pipelines/dbn.sh

plots: all
	pipelines/plots.sh "$(RUN)"

sweep: all data
	pipelines/sweep.sh

bench: all $(BUILD)/bench-floor
	pipelines/bench.sh

bench-peers: all
	pipelines/bench-peers.sh

clean:
	rm -rf bin build build-san build-debug build-mutant build-fuzz

.PHONY: all unit check sanitize unit-san debug deps data quick cd5000 ll samples dbn plots sweep bench \
	bench-peers mutant clean fuzz fuzz-replay fuzz-cov
.SECONDARY:

# Proof that the gradient tests can fail: the same tests against a library whose data
# term is deliberately wrong (-DRBM_MUTANT) must report failures.
mutant:
	@$(MAKE) -s BUILD=build-mutant OPT='-O2 -DRBM_MUTANT' build-mutant/tests/test_grad >/dev/null
	@if build-mutant/tests/test_grad >/dev/null; then \
		echo "not ok - the gradient tests pass on a mutant with a wrong gradient"; exit 1; \
	else echo "ok - the gradient tests fail on a mutant with a wrong gradient"; fi

# ---- fuzzing (clang's libFuzzer, under ASan and UBSan) -------------------------------
# One harness per reader (tests/fuzz/fuzz_NAME.c), built with the library sources it needs.
# make fuzz: each harness for FUZZ_SECONDS from its seed corpus in tests/fuzz/corpus/NAME;
# make fuzz-replay: each harness once over its corpus (the regression test of old finds).
FUZZERS = model data idx idx_gz npy csv
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE -Ilib -Wall -Wno-unknown-pragmas \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_LIB = lib/format.c lib/data.c lib/model.c lib/util.c lib/rng.c lib/optim.c lib/idx.c lib/npy.c \
	lib/csv.c
FUZZBIN = $(FUZZERS:%=build-fuzz/fuzz_%)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB) -lz -lm

fuzz: $(FUZZBIN)
	tests/fuzz/run fuzz $(FUZZ_SECONDS) $(FUZZERS)

fuzz-replay: $(FUZZBIN)
	@tests/fuzz/run replay 0 $(FUZZERS)

# Line coverage of each reader by the seeds and by what make fuzz added (llvm-cov).
fuzz-cov: $(FUZZERS:%=build-fuzz/cov_%)
	@tests/fuzz/run cov 0 $(FUZZERS)

build-fuzz/cov_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB) $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -std=c11 -D_GNU_SOURCE -Ilib -Wno-unknown-pragmas -fsanitize=fuzzer \
		-fprofile-instr-generate -fcoverage-mapping -o $@ $< $(FUZZ_LIB) -lz -lm

# For the signal tests: an fsync that takes its time, so a test can interrupt a write.
$(BUILD)/slow_fsync.so: tests/preload/slow_fsync.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -shared -fPIC -o $@ $< -ldl

$(BUILD)/bench-floor: tests/bench/floor.c $(BUILD)/librbm.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/librbm.a $(LDLIBS)
