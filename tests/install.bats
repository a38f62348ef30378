#!/usr/bin/env bats
# make install, uninstall, help: the tools and their man pages where PREFIX and DESTDIR say,
# every option of --help in the man page, every target in make help.
load helpers

# make install builds into the tree's build/: its tests one at a time (run-tests runs files
# and tests side by side)
setup_file() { export BATS_NO_PARALLELIZE_WITHIN_FILE=true; }

ROOT="$BATS_TEST_DIRNAME/.."
tools() { sed -n '/^TOOLS = /,/[^\\]$/p' "$ROOT/Makefile" | sed 's/^TOOLS = //; s/\\$//' | tr -s ' \t' '\n' | sed '/^$/d'; }

@test "make install puts every tool and its man page under DESTDIR/PREFIX; man -l renders each" {
	make -s -C "$ROOT" install DESTDIR="$T/x" PREFIX=/usr > /dev/null
	[ "$(tools | wc -l)" -ge 16 ]
	for t in $(tools); do
		[ -x "$T/x/usr/bin/$t" ]
		"$T/x/usr/bin/$t" --version | grep -q "(rbmtools)"
		LC_ALL=C MANWIDTH=200 man -l "$T/x/usr/share/man/man1/$t.1" 2> err | col -b > page
		[ ! -s err ] || { cat err; false; }
		grep -q "^NAME" page
		for section in SYNOPSIS DESCRIPTION "EXIT STATUS" "SEE ALSO"; do
			grep -q "^$section" page || { echo "$t: no $section"; false; }
		done
		grep -A1 "^SYNOPSIS" page | tail -n 1 | grep -q "^ *$t "
		grep -A3 "^SEE ALSO" page | grep -q "rbmtools(5)"
		# an option's words stand apart from its description (two spaces in --help, as the
		# table's columns are printed): none of them is a lower-case word
		"$T/x/usr/bin/$t" --help | grep -E '^ {2,6}-' | sed -E 's/^ +//; s/  .*//' | tr ', ' '\n\n' |
			grep -vE '^(-.*|[A-Z][A-Za-z0-9:|]*|HxW|LO:HI|noise\|DATA|)$' && { echo "$t: an option runs into its text"; false; }
		# every option the tool's --help names appears in its man page
		for o in $("$T/x/usr/bin/$t" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
			grep -qF -- "$o" page || { echo "$t: $o is not in the man page"; false; }
		done
	done
	LC_ALL=C man -l "$T/x/usr/share/man/man5/rbmtools.5" | col -b > page5
	grep -q "RBMTDATA" page5
	# the full description it points to is installed where it says
	grep -q "/usr/share/doc/rbmtools/formats.md" page5
	[ -s "$T/x/usr/share/doc/rbmtools/formats.md" ]
}

@test "make uninstall removes exactly what make install put there" {
	mkdir -p "$T/x/usr/bin"
	echo keep > "$T/x/usr/bin/other"
	make -s -C "$ROOT" install DESTDIR="$T/x" PREFIX=/usr > /dev/null
	make -s -C "$ROOT" uninstall DESTDIR="$T/x" PREFIX=/usr > /dev/null
	[ "$(find "$T/x" -type f)" = "$T/x/usr/bin/other" ]
}

@test "make help names every target of the Makefile" {
	run make -s -C "$ROOT" help
	[ "$status" -eq 0 ]
	for target in $(sed -n '/^\.PHONY:/,/[^\\]$/p' "$ROOT/Makefile" | sed 's/^\.PHONY://' | tr ' \t\\' '\n\n\n' | sed '/^$/d'); do
		case $target in all) target="[all]" ;; unit-san) continue ;; esac # unit-san: a step of sanitize
		[[ "$output" == *"make $target "* ]] || { echo "make help lacks $target"; false; }
	done
}

@test "make install's librbmtools.so, headers and rbmtools.pc: a C program built by pkg-config reads, trains, samples and measures a model to the tools' bits" {
	bars
	make -s -C "$ROOT" install PREFIX="$T/usr" > /dev/null
	export PKG_CONFIG_PATH="$T/usr/lib/pkgconfig"
	[ "$(pkg-config --modversion rbmtools)" = "$(sed -n 's/^VERSION = //p' "$ROOT/Makefile")" ]
	[ -L "$T/usr/lib/librbmtools.so" ]
	[ -L "$T/usr/lib/librbmtools.so.0" ]
	cat > prog.c <<'C'
#include <math.h>
#include <rbmtools.h>
#include <stdio.h>
#include <stdlib.h>

#define TRY(call) do { if ((call) != 0) { fprintf(stderr, "prog: %s\n", err); return 1; } } while (0)

int main(int argc, char **argv)
{
	char err[256];
	rbmt_model *m;
	rbmt_data *d;

	if (argc != 5)
		return 2;
	TRY(rbmt_model_read(argv[1], &m, err, sizeof err));
	TRY(rbmt_data_read(argv[2], &d, err, sizeof err));
	/* one epoch as rbm-train -e 1 does it, written as a file */
	TRY(rbmt_train_epoch(m, d, err, sizeof err));
	TRY(rbmt_model_write(argv[3], m, err, sizeof err));
	/* 20 Gibbs steps from the first 6 rows, as rbm-gibbs --init: p(v|h) of the last step */
	const size_t C = 6, nv = rbmt_model_visible(m);
	float *v = malloc(C * nv * sizeof(float)), *pv = malloc(C * nv * sizeof(float));
	TRY(rbmt_rows(m, d, 0, C, v, err, sizeof err));
	TRY(rbmt_gibbs(m, v, C, 20, 3, pv, NULL, err, sizeof err));
	FILE *f = fopen(argv[4], "w");
	for (size_t r = 0; r < C; r++)
		for (size_t i = 0; i < nv; i++)
			fprintf(f, "%.9g%c", pv[r * nv + i], i + 1 < nv ? ',' : '\n');
	fclose(f);
	/* log Z by AIS, as rbm-ais --runs 10 --betas-scale 0.1 --seed 2 --base DATA, and exactly */
	double z, lo, hi;
	TRY(rbmt_log_z(m, d, 10, 0.1, 2, &z, &lo, &hi, err, sizeof err));
	printf("%s %.6f %.6f\n", rbmt_version(), z, rbmt_log_z_exact(m));
	/* failures are reported, not fatal: a run made to diverge, and a missing file */
	TRY(rbmt_model_set(m, "lr", 10, err, sizeof err));
	TRY(rbmt_model_set(m, "weight-decay", 0.5, err, sizeof err));
	TRY(rbmt_model_set(m, "batch", 10, err, sizeof err));
	int e = 0;
	while (e < 200 && rbmt_train_epoch(m, d, err, sizeof err) == 0)
		e++;
	const float *w = rbmt_model_weights(m);
	for (size_t i = 0; i < nv * rbmt_model_hidden(m); i++)
		if (!isfinite(w[i]))
			return 1;
	printf("%s; the model stays at epoch %llu\n", e < 200 ? err : "no divergence",
	       (unsigned long long)rbmt_model_epoch(m));
	rbmt_model_free(m);
	if (rbmt_model_read("nosuch.rbm", &m, err, sizeof err) == 0)
		return 1;
	printf("%s\n", err);
	free(v);
	free(pv);
	rbmt_data_free(d);
	return 0;
}
C
	cc -std=c11 -Wall -Werror prog.c $(pkg-config --cflags --libs rbmtools) -lm -o prog
	LD_LIBRARY_PATH="$T/usr/lib" ./prog bars-init.rbm bars.rbd one.rbm pv.csv > out.txt
	cat out.txt
	rbm-train -d bars.rbd -e 1 --quiet < bars-init.rbm | cmp - one.rbm
	[ "$(rbm-gibbs --init bars.rbd -c 6 -n 20 --seed 3 --mean -m one.rbm | bin2csv)" = "$(cat pv.csv)" ]
	ais=$(rbm-ais --runs 10 --betas-scale 0.1 --seed 2 --base bars.rbd -m one.rbm | awk '$1 == "log_z" { print $2 }')
	exact=$(rbm-ais --exact -m one.rbm | awk '$1 == "log_z" { print $2 }')
	[ "$(head -n 1 out.txt)" = "$(sed -n 's/^VERSION = //p' "$ROOT/Makefile") $ais $exact" ]
	[ "$(tail -n 1 out.txt)" = "nosuch.rbm: No such file or directory" ]
	sed -n 2p out.txt | grep -qE "^diverged in epoch [0-9]+ at update [0-9]+ \(.*\); the model stays at epoch [0-9]+$"
	# only the API is exported
	[ -z "$(nm -D --defined-only "$T/usr/lib/librbmtools.so" | awk '$3 !~ /^(rbmt_|RBMTOOLS_)/')" ]
}

@test "make install's bash completion completes each tool's options, option values and file names" {
	make -s -C "$ROOT" install DESTDIR="$T/x" PREFIX=/usr > /dev/null
	comp=$T/x/usr/share/bash-completion/completions
	for t in $(tools); do [ -L "$comp/$t" ]; done
	touch model-a.rbm model-b.rbm data.rbd
	# complete WORDS...: what bash completion offers for the last word, one a line
	complete_words() {
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rbmtools; printf "%s\n" "${COMPREPLY[@]}"' \
			_ "$comp/$1" "$@"
	}
	[ "$(complete_words rbm-gibbs --cl)" = --clamp ]
	[ "$(complete_words rbm-train --optim)" = --optimizer ]
	[ "$(complete_words rbm-train --optimizer ad | paste -sd,)" = adam,adamw ]
	[ "$(complete_words rbm-gibbs -m model- | sort | paste -sd,)" = model-a.rbm,model-b.rbm ]
	[ "$(complete_words rbm-ais -d da)" = data.rbd ]
	# values by each tool's own table: --binarize is a flag of rbm-train's and takes a mode in
	# mnist2bin; rbm-hidden has no --kernel; numbers get nothing, directories only directories
	complete_words rbm-train --binarize "" | grep -qx none && { echo "rbm-train --binarize offers modes"; false; }
	[ "$(complete_words mnist2bin --binarize "" | sort | paste -sd,)" = none,sample,threshold ]
	complete_words rbm-hidden --kernel "" | grep -qx dense && { echo "rbm-hidden offers kernels"; false; }
	[ -z "$(complete_words rbm-train --lr "")" ]
	mkdir ckpts
	complete_words rbm-train --checkpoint-dir "" > dirs
	grep -qx ckpts dirs && ! grep -q rbm dirs
	[ "$(complete_words rbm-gibbs --init no)" = noise ]
	# --opt=VALUE, split at '=' as COMP_WORDBREAKS does, and whole
	[ "$(complete_words rbm-train --optimizer = ad | paste -sd,)" = adam,adamw ]
	[ "$(complete_words rbm-train --optimizer=ad | paste -sd,)" = --optimizer=adam,--optimizer=adamw ]
	[ "$(complete_words rbm-ais --data=da)" = --data=data.rbd ]
	# every option a tool's --help gives is offered
	for t in $(tools); do
		for o in $("$ROOT/bin/$t" --help | grep -E '^ {2,6}-' | sed -E 's/^ +//; s/  .*//' | grep -oE -- '--[a-z][a-z0-9-]*'); do
			complete_words "$t" -- | grep -qx -- "$o" || { echo "$t: $o not offered"; false; }
		done
	done
}

# install_lib: make install into $T/usr, and pkg-config pointed at it
install_lib() {
	make -s -C "$ROOT" install PREFIX="$T/usr" > /dev/null
	export PKG_CONFIG_PATH="$T/usr/lib/pkgconfig" LD_LIBRARY_PATH="$T/usr/lib"
}

# c_program NAME: NAME.c built against the installed library and run, its output in out.txt
# (and shown, for a failing test's log)
c_program() {
	cc -std=c11 -Wall -Werror "$1.c" $(pkg-config --cflags --libs rbmtools) -o "$1"
	"./$1" > out.txt
	cat out.txt
}

@test "the installed C library: one header whose every name is rbmt_/RBMT_; each declared function links and is exported, nothing else; a user's own data_alloc, model_free, DT_BIN do not clash" {
	install_lib
	[ "$(ls "$T/usr/include/rbmtools")" = rbmtools.h ]
	h=$T/usr/include/rbmtools/rbmtools.h
	# the names the header defines: functions, typedefs, macros
	grep -oE '\b(rbmt|RBMT)?[A-Za-z_][A-Za-z0-9_]*\(' "$h" | grep -E '^[a-z_]+_[a-z_]+\($' | tr -d '(' | sort -u > declared
	grep -E '^(int|void|double|float|uint32_t|uint64_t|const [a-z0-9_]+ \*|[a-z0-9_]+ \*)' "$h" |
		grep -oE '[A-Za-z_][A-Za-z0-9_]*\(' | tr -d '(' | sort -u > functions
	[ "$(wc -l < functions)" -ge 25 ]
	grep -vE '^rbmt_' functions && { echo "a function without rbmt_"; false; }
	grep -oE '^#define [A-Za-z_0-9]+' "$h" | awk '{ print $2 }' | grep -vE '^RBMT_' && { echo "a macro without RBMT_"; false; }
	grep -oE 'typedef struct [a-z_]+ [a-z_]+' "$h" | awk '{ print $3, $4 }' | tr ' ' '\n' | grep -vE '^rbmt_' && { echo "a type without rbmt_"; false; }
	# every declared function linked through pkg-config
	{
		echo '#include <rbmtools.h>'
		echo '#include <stdio.h>'
		echo 'typedef int rbm_model; int model_free(void) { return 0; } void data_alloc(void) {}'
		echo '#define DT_BIN 9'
		echo 'int main(void) { void (*const f[])(void) = {'
		sed 's/.*/(void (*)(void))&,/' functions
		echo '}; printf("%zu %d\n", sizeof f / sizeof *f, model_free() + DT_BIN); return 0; }'
	} > all.c
	cc -std=c11 -Wall -Werror all.c $(pkg-config --cflags --libs rbmtools) -o all
	[ "$(./all)" = "$(wc -l < functions) 9" ]
	# what the library exports is exactly what the header declares
	nm -D --defined-only "$T/usr/lib/librbmtools.so" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort -u > exported
	diff functions exported
}

@test "the C library: a refused read keeps what the caller had; writes through a planted temporary link, onto a FIFO, a link and a 0600 file follow the formats' rules; errors name the path" {
	bars
	install_lib
	cat > io.c <<'C'
#include <rbmtools.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char err[512], tmp[64];
	rbmt_model *m, *keep;
	rbmt_data *d, *kd;

	(void)argc;
	if (rbmt_model_read(argv[1], &m, err, sizeof err) || rbmt_data_read(argv[2], &d, err, sizeof err))
		return 1;
	keep = m;
	kd = d;
	/* refused files: *m and *d stay the caller's, untouched */
	for (int i = 3; i <= 4; i++) {
		if (rbmt_model_read(argv[i], &m, err, sizeof err) == 0 || m != keep)
			return 10 + i;
		printf("model: %s\n", err);
		if (rbmt_data_read(argv[i], &d, err, sizeof err) == 0 || d != kd)
			return 20 + i;
	}
	if (rbmt_data_rows(d) != 32 || rbmt_model_hidden(m) != 8)
		return 30;
	/* a link planted where a PATH.tmpPID temporary would go */
	snprintf(tmp, sizeof tmp, "out.rbm.tmp%ld", (long)getpid());
	if (symlink("victim", tmp) != 0 || rbmt_model_write("out.rbm", m, err, sizeof err) != 0)
		return 40;
	/* a link, a FIFO, a 0600 file, and a directory that is not there */
	if (rbmt_model_write("link.rbm", m, err, sizeof err) || rbmt_data_write("fifo", d, err, sizeof err) ||
	    rbmt_model_write("private.rbm", m, err, sizeof err))
		return 41;
	if (rbmt_model_write("nodir/out.rbm", m, err, sizeof err) == 0)
		return 42;
	printf("write: %s\n", err);
	rbmt_model_free(m);
	rbmt_data_free(d);
	return 0;
}
C
	cc -std=c11 -D_DEFAULT_SOURCE -Wall -Werror io.c $(pkg-config --cflags --libs rbmtools) -o io
	echo victim > victim
	head -c 100 bars-init.rbm > short.rbm
	cp bars-init.rbm corrupt.rbm && printf 'x' | dd of=corrupt.rbm bs=1 seek=200 conv=notrunc 2> /dev/null
	echo old > target.rbm && ln -s target.rbm link.rbm
	echo old > private.rbm && chmod 600 private.rbm
	mkfifo fifo
	timeout 60 cat fifo > from-fifo &
	./io bars-init.rbm bars.rbd short.rbm corrupt.rbm > out.txt
	wait
	cat out.txt
	grep -q "^model: short.rbm: " out.txt && grep -q "^model: corrupt.rbm: checksum mismatch" out.txt
	grep -qx "write: nodir/out.rbm: cannot create a file there: No such file or directory" out.txt
	[ "$(cat victim)" = victim ]
	[ -f out.rbm ]
	[ ! -L out.rbm ]
	cmp out.rbm bars-init.rbm
	[ -L link.rbm ]
	cmp target.rbm bars-init.rbm
	[ -p fifo ]
	cmp from-fifo bars.rbd
	[ "$(stat -c %a private.rbm)" = 600 ]
	cmp private.rbm bars-init.rbm
	[ -z "$(ls | grep '\.tmp\.')" ]
}

@test "the C library: rbmt_model_new gives rbm-init's bytes; rbmt_data_new builds data rbm-train takes; settings by rbm-train's names, checked" {
	install_lib
	cat > new.c <<'C'
#include <rbmtools.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	char err[256];
	rbmt_model *m;
	rbmt_data *d;
	float v[4 * 6];
	const uint8_t lab[4] = { 0, 1, 0, 1 };
	double x;

	if (rbmt_model_new(&m, 2, 3, 5, 0.05, 7, err, sizeof err) || rbmt_model_write("new.rbm", m, err, sizeof err))
		return 1;
	for (int i = 0; i < 24; i++)
		v[i] = (float)((i * 7) % 3 == 0);
	if (rbmt_data_new(&d, 4, 2, 3, v, lab, err, sizeof err) || rbmt_data_write("new.rbd", d, err, sizeof err))
		return 2;
	v[5] = 1.5f;
	rbmt_data *bad = NULL;
	if (rbmt_data_new(&bad, 4, 2, 3, v, NULL, err, sizeof err) == 0 || bad)
		return 3;
	printf("%s\n", err);
	if (rbmt_model_setting(m, "lr", &x, err, sizeof err))
		return 4;
	printf("lr %g\n", x);
	if (rbmt_model_set(m, "batch", 0.5, err, sizeof err) == 0)
		return 5;
	printf("%s\n", err);
	if (rbmt_model_set(m, "nosuch", 1, err, sizeof err) == 0)
		return 6;
	printf("%s\n", err);
	rbmt_model *z = NULL;
	if (rbmt_model_new(&z, 0, 3, 5, 0.05, 7, err, sizeof err) == 0 || z)
		return 7;
	double lz, lo, hi;
	if (rbmt_log_z(m, NULL, 1, 1.0, 1, &lz, &lo, &hi, err, sizeof err) == 0)
		return 8;
	printf("%s\n", err);
	rbmt_model_free(m);
	rbmt_data_free(d);
	return 0;
}
C
	c_program new
	rbm-init --shape 2x3 -V 6 -H 5 --w-std 0.05 --seed 7 | cmp - new.rbm
	[ "$(rbm-info new.rbd | grep -c binary)" -ge 1 ]
	rbm-train -m new.rbm -d new.rbd -e 1 --quiet > /dev/null
	grep -qx "row 1, value 6: .*" out.txt
	grep -qx "lr 0.05" out.txt
	grep -q "^batch 0.5 is out of range" out.txt
	grep -qx "no training setting is called 'nosuch'" out.txt
	# the runs the library takes are those rbm-ais takes: one limits table
	grep -q "^1 runs at 1 times the temperatures: give 2 to 1000000 runs" out.txt
	fails_cleanly 2 "--runs" rbm-ais --runs 1 -m new.rbm --exact
}

@test "the C library refuses what the tools refuse: a log Z that overflows, rows past the end, zero steps (each with its reason)" {
	install_lib
	bars
	py - <<'PY'
import numpy as np
np.savez("b.npz", W=np.full((4, 16), 3e38), vbias=np.zeros(16), hbias=np.zeros(4))
PY
	rbm-import --like bars.rbd b.npz -o b.rbm
	cat > lib.c <<'C'
#include <rbmtools.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	char err[256];
	rbmt_model *m, *b;
	rbmt_data *d;
	double z = 7, lo = 7, hi = 7;
	float v[16] = { 0 };

	if (rbmt_model_read("bars-init.rbm", &m, err, sizeof err) ||
	    rbmt_model_read("b.rbm", &b, err, sizeof err) ||
	    rbmt_data_read("bars.rbd", &d, err, sizeof err))
		return 1;
	if (rbmt_log_z(b, NULL, 4, 0.01, 1, &z, &lo, &hi, err, sizeof err) == 0 || z != 7)
		return 2;
	printf("%s\n", err);
	if (rbmt_rows(m, d, UINT64_MAX, 1, v, err, sizeof err) == 0)
		return 3;
	printf("%s\n", err);
	if (rbmt_rows(m, d, 31, 2, v, err, sizeof err) == 0)
		return 4;
	printf("%s\n", err);
	if (rbmt_gibbs(m, v, 1, 0, 1, NULL, NULL, err, sizeof err) == 0)
		return 5;
	printf("%s\n", err);
	rbmt_model_free(m);
	rbmt_model_free(b);
	rbmt_data_free(d);
	return 0;
}
C
	c_program lib
	grep -qx "log Z is nan: the model's energies overflow the arithmetic (its largest parameter is 3e+38 in magnitude)" out.txt
	grep -qx "1 rows from row 18446744073709551615 (counting from 0): the data has 32 rows" out.txt
	grep -qx "2 rows from row 31 (counting from 0): the data has 32 rows" out.txt
	grep -qx "1 chains of 0 steps: give 1 to 1000000 chains, 1 to 100000000 steps" out.txt
}
