#!/usr/bin/env bats
# make install, uninstall, help: the tools and their man pages where PREFIX and DESTDIR say,
# every option of --help in the man page, every target in make help.
load helpers

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
		# an option's words stand apart from its description (two spaces in --help, which
		# help2man needs): none of them is a lower-case word
		"$T/x/usr/bin/$t" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' | tr ', ' '\n\n' |
			grep -vE '^(-.*|[A-Z][A-Za-z0-9:|]*|HxW|LO:HI|noise|)$' && { echo "$t: an option runs into its text"; false; }
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
	[ -L "$T/usr/lib/librbmtools.so" ] && [ -L "$T/usr/lib/librbmtools.so.0" ]
	cat > prog.c <<'C'
#include <math.h>
#include <rbmtools.h>
#include <stdio.h>
#include <stdlib.h>

#define TRY(call) do { if ((call) != 0) { fprintf(stderr, "prog: %s\n", err); return 1; } } while (0)

int main(int argc, char **argv)
{
	char err[256];
	rbm_model m;
	rbm_data d;

	if (argc != 5)
		return 2;
	TRY(rbmt_model_read(argv[1], &m, err, sizeof err));
	TRY(rbmt_data_read(argv[2], &d, err, sizeof err));
	/* one epoch as rbm-train -e 1 does it, written as a file */
	TRY(rbmt_train_epoch(&m, &d, err, sizeof err));
	TRY(rbmt_model_write(argv[3], &m, err, sizeof err));
	/* 20 Gibbs steps from the first 6 rows, as rbm-gibbs --init: p(v|h) of the last step */
	const size_t C = 6, nv = m.n_vis;
	float *v = malloc(C * nv * sizeof(float)), *pv = malloc(C * nv * sizeof(float));
	TRY(rbmt_rows(&m, &d, 0, C, v, err, sizeof err));
	TRY(rbmt_gibbs(&m, v, C, 20, 3, pv, NULL, err, sizeof err));
	FILE *f = fopen(argv[4], "w");
	for (size_t r = 0; r < C; r++)
		for (size_t i = 0; i < nv; i++)
			fprintf(f, "%.9g%c", pv[r * nv + i], i + 1 < nv ? ',' : '\n');
	fclose(f);
	/* log Z by AIS, as rbm-ais --runs 10 --betas-scale 0.1 --seed 2 --base DATA, and exactly */
	double z, lo, hi;
	TRY(rbmt_log_z(&m, &d, 10, 0.1, 2, &z, &lo, &hi, err, sizeof err));
	printf("%s %.6f %.6f\n", rbmt_version(), z, rbmt_log_z_exact(&m));
	/* failures are reported, not fatal: a run made to diverge, and a missing file */
	m.hyper.lr = 10;
	m.hyper.weight_decay = 0.5f;
	m.hyper.batch = 10;
	int e = 0;
	while (e < 200 && rbmt_train_epoch(&m, &d, err, sizeof err) == 0)
		e++;
	for (size_t i = 0; i < m.n_params; i++)
		if (!isfinite(m.params[i]))
			return 1;
	printf("%s; the model stays at epoch %llu\n", e < 200 ? err : "no divergence",
	       (unsigned long long)m.epoch);
	rbmt_model_free(&m);
	if (rbmt_model_read("nosuch.rbm", &m, err, sizeof err) == 0)
		return 1;
	printf("%s\n", err);
	free(v);
	free(pv);
	rbmt_data_free(&d);
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
	[ -z "$(nm -D --defined-only "$T/usr/lib/librbmtools.so" | awk '$3 !~ /^(rbmt_|hyper_defaults|RBMTOOLS_)/')" ]
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
	# every option a tool's --help gives is offered
	for t in $(tools); do
		for o in $("$ROOT/bin/$t" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' | grep -oE -- '--[a-z][a-z0-9-]*'); do
			complete_words "$t" -- | grep -qx -- "$o" || { echo "$t: $o not offered"; false; }
		done
	done
}
