#!/usr/bin/env bash
# bench.sh: rbm-train and rbm-gibbs against the dense floor: the same cblas_sgemm calls at
# the same shapes done bare by build/bench-floor (BENCH_FLOOR), measured in the same run. Prints
# tool time / floor time and the tool's peak memory. Nothing here is asserted by a test.
# Each time is the best of BENCH_REPS (default 3) runs, tool and floor alike.
# BENCH_ROWS (default 12000) rows of MNIST per training epoch; BENCH_STEPS (default 500)
# Gibbs steps; BENCH_KERNEL (default auto) the tools' --kernel; BENCH_TRAINED_EPOCHS (default
# 30) epochs of the trained model below; BENCH_CD5000 (default 1; 0 skips it) the CD-5000
# update; BENCH_CATEGORICAL (default 1; 0 skips it) a Potts model against its one-hot
# Bernoulli twin (pipelines/bench-categorical.sh, which runs alone too). BENCH_SECTIONS
# (default all) runs some of the parts alone: untrained, quick, trained, neighbour, cd5000,
# categorical (e.g. make bench BENCH_SECTIONS="trained cd5000").
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-12000}
STEPS=${BENCH_STEPS:-500}
REPS=${BENCH_REPS:-3}
KERNEL=${BENCH_KERNEL:-auto}
FLOOR=${BENCH_FLOOR:-build/bench-floor}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# MNIST's own sparsity decides which kernels run: random bytes would judge the binary
# paths on the wrong states, so there is no stand-in.
if [ ! -f data/raw/train-images-idx3-ubyte ]; then
	echo "bench.sh: no MNIST in data/raw: run make data first" >&2
	exit 1
fi
bin/mnist2bin --limit "$ROWS" data/raw/train-images-idx3-ubyte -o "$tmp/d.rbd"
src="MNIST (first $ROWS rows)"

# Whether part $1 runs (BENCH_SECTIONS).
want() { [[ " ${BENCH_SECTIONS:-all} " == *" all "* || " ${BENCH_SECTIONS:-all} " == *" $1 "* ]]; }
peak() { awk '/Maximum resident/ { printf "%.0f", $NF / 1024 }' "$1"; }
. pipelines/bench-lib.sh

echo "rbmtools benchmark on $(nproc) cores, $src, --kernel $KERNEL, best of $REPS; $(date -u +%Y-%m-%d)"
printf '%-34s %9s %9s %7s %9s\n' "job" "tool s" "floor s" "ratio" "peak MiB"
for threads in 1 2; do
	want untrained || break
	for k in 1 2; do
		for h in 500 1000; do
			for b in 100 200; do
				bin/rbm-init --like "$tmp/d.rbd" -H "$h" -o "$tmp/m.rbm"
				t=$(for r in $(seq "$REPS"); do
					rm -f "$tmp/log.tsv"
					/usr/bin/time -v bin/rbm-train -m "$tmp/m.rbm" -d "$tmp/d.rbd" -k "$k" -b "$b" --optimizer sgd \
						-e 1 --monitor-rows 1 --threads "$threads" --kernel "$KERNEL" \
						--log "$tmp/log.tsv" --quiet -o "$tmp/t.rbm" 2> "$tmp/time.txt"
					awk -F'\t' 'NR == 2 { print $3 }' "$tmp/log.tsv"
				done | best)
				f=$(floor cd "$b" 784 "$h" "$k" $(((ROWS + b - 1) / b)) "$threads")
				printf '%-34s %9.3f %9.3f %7s %9s\n' "train CD-$k H=$h B=$b T=$threads" "$t" "$f" \
					"$(ratio "$t" "$f")" "$(peak "$tmp/time.txt")"
			done
		done
	done
	bin/rbm-init -V 784 -H 1000 -o "$tmp/g.rbm"
	t=$(for r in $(seq "$REPS"); do
		start=$(date +%s.%N)
		/usr/bin/time -v bin/rbm-gibbs -m "$tmp/g.rbm" -n "$STEPS" -c 100 --threads "$threads" \
			--kernel "$KERNEL" -o "$tmp/s.rbd" 2> "$tmp/time.txt"
		end=$(date +%s.%N)
		awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
	done | best)
	f=$(floor gibbs 100 784 1000 "$STEPS" 1 "$threads")
	printf '%-34s %9.3f %9.3f %7s %9s\n' "gibbs 100 chains H=1000 n=$STEPS T=$threads" "$t" "$f" \
		"$(ratio "$t" "$f")" "$(peak "$tmp/time.txt")"
done
# Past the floor: a trained model's sampled states are sparse, and the binary kernel
# adds rows where the floor multiplies. The quick run's model, when make quick has run.
if want quick && [ -f runs/quick/model.rbm ]; then
	head=$((ROWS / 6))
	bin/mnist2bin --limit "$head" data/raw/train-images-idx3-ubyte -o "$tmp/h.rbd"
	for threads in 1 2; do
		t=$(for r in $(seq "$REPS"); do
			start=$(date +%s.%N)
			bin/rbm-gibbs -m runs/quick/model.rbm -n "$STEPS" -c 100 --threads "$threads" \
				--kernel "$KERNEL" -o "$tmp/s.rbd"
			end=$(date +%s.%N)
			awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
		done | best)
		f=$(floor gibbs 100 784 1000 "$STEPS" 1 "$threads")
		printf '%-34s %9.3f %9.3f %7s\n' "gibbs, quick model, T=$threads" "$t" "$f" "$(ratio "$t" "$f")"
		t=$(for r in $(seq "$REPS"); do
			rm -f "$tmp/log.tsv"
			bin/rbm-train -m runs/quick/model.rbm -d "$tmp/h.rbd" -k 25 -b 200 -e 11 \
				--monitor-rows 1 --threads "$threads" --kernel "$KERNEL" --log "$tmp/log.tsv" \
				--quiet -o "$tmp/t.rbm"
			awk -F'\t' 'NR == 2 { print $3 }' "$tmp/log.tsv"
		done | best)
		f=$(floor cd 200 784 1000 25 $(((head + 199) / 200)) "$threads")
		printf '%-34s %9.3f %9.3f %7s\n' "train CD-25, quick model, T=$threads" "$t" "$f" "$(ratio "$t" "$f")"
	done
fi

# The trained regime: a model of make ll's kind, the first BENCH_TRAINED_EPOCHS epochs of
# its recipe (500 hidden, PCD-1 with centering, inputs drawn to 0/1 afresh, momentum,
# lr 0.005 / (1 + 0.01 epoch)), trained once into runs/bench/ (about 75 s). Its chains
# flip few units per step: delta steps pay for those alone.
TE=${BENCH_TRAINED_EPOCHS:-30}
trained=runs/bench/trained-$TE.rbm
if want trained && [ ! -s "$trained" ]; then
	mkdir -p runs/bench
	echo "bench.sh: training $trained ($TE epochs of make ll's recipe)"
	bin/rbm-init --like data/train.rbd -H 500 --w-std 0.01 --hb-mean 0 --seed 1 |
		bin/rbm-train -d data/train.rbd --binarize -k 1 --pcd --center -e "$TE" \
			--optimizer momentum --lr 0.005 --momentum 0.9 --momentum-warmup 5 \
			--lr-decay 0.01 --lr-end 600 -b 100 --monitor-rows 100 --quiet -o "$trained"
fi
head=$((ROWS / 6))
row() { printf '%-34s %9.3f %9.3f %7s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
if want trained; then
bin/mnist2bin --limit "$head" --binarize sample data/raw/train-images-idx3-ubyte -o "$tmp/hb.rbd"
bin/mnist2bin --limit "$ROWS" --binarize sample data/raw/train-images-idx3-ubyte -o "$tmp/db.rbd"
bin/rbm-gibbs -m "$trained" -n "$STEPS" -c 100 --flip-rates -o "$tmp/s.rbd" 2> "$tmp/flips.txt"
echo "trained model ($TE epochs), per Gibbs step of 100 chains from noise:" \
	"$(sed -n 's/^rbm-gibbs: \(visible\|hidden\) units: \([0-9.]*\) flip per step.*/\1 \2/p' "$tmp/flips.txt" |
	   paste -sd' ' | sed 's/visible \([0-9.]*\) hidden \([0-9.]*\)/visible units flipping \1, hidden \2/')"
bin/mnist2bin --limit 100 --binarize sample data/raw/t10k-images-idx3-ubyte -o "$tmp/te.rbd"
ais() { bin/rbm-ais "$@" 2> /dev/null; } # so few runs leave log Z's interval open above: said once
for threads in 1 2; do
	t=$(wall_time bin/rbm-gibbs -m "$trained" -n "$STEPS" -c 100 --threads "$threads" \
		--kernel "$KERNEL" -o "$tmp/s.rbd")
	row "gibbs, trained, n=$STEPS T=$threads" "$t" "$(floor gibbs 100 784 500 "$STEPS" 1 "$threads")"
	# tempered: 10 chains of 10 replicas are the same 100 rows, the floor the same products
	t=$(wall_time bin/rbm-gibbs -m "$trained" -n "$STEPS" -c 10 --tempering 10 --base "$tmp/db.rbd" \
		--threads "$threads" --kernel "$KERNEL" --quiet -o "$tmp/s.rbd")
	row "gibbs tempered 10x10, trained T=$threads" "$t" "$(floor gibbs 100 784 500 "$STEPS" 1 "$threads")"
	t=$(train_time -m "$trained" -d "$tmp/hb.rbd" -k 25 --no-pcd -b 200 -e $((TE + 1)) \
		--threads "$threads" --kernel "$KERNEL")
	row "train CD-25, trained, T=$threads" "$t" \
		"$(floor cd 200 784 500 25 $(((head + 199) / 200)) "$threads")"
	# PCD-1 has one product more than the floor's CD-1 (p(h|v) of the chains)
	t=$(train_time -m "$trained" -d "$tmp/db.rbd" -e $((TE + 1)) --threads "$threads" \
		--kernel "$KERNEL")
	row "train PCD-1, trained, T=$threads" "$t" \
		"$(floor cd 100 784 500 1 $(((ROWS + 99) / 100)) "$threads")"
	# a ladder for each of 100 chains (make ll before shared ladders), against the plain epoch above
	tp=$(train_time -m "$trained" -d "$tmp/db.rbd" -e $((TE + 1)) --tempering 5 --chains 100 \
		--threads "$threads" --kernel "$KERNEL")
	row "train PCD-1 tempered 100x5, T=$threads" "$tp" \
		"$(floor cd 100 784 500 1 $(((ROWS + 99) / 100)) "$threads")"
	printf '%-34s %9.3f %9.3f %7s\n' "  tempered / plain PCD-1 epoch" "$tp" "$t" "$(ratio "$tp" "$t")"
	# make ll's chains since shared ladders: 100 at 1 and 20 ladders of 4, 180 rows
	tl=$(train_time -m "$trained" -d "$tmp/db.rbd" -e $((TE + 1)) --tempering 5 --chains 100 \
		--ladders 20 --threads "$threads" --kernel "$KERNEL")
	row "train PCD-1 100 + 20 ladders, T=$threads" "$tl" \
		"$(floor cd 100 784 500 1 $(((ROWS + 99) / 100)) "$threads")"
	printf '%-34s %9.3f %9.3f %7s\n' "  ladders / plain PCD-1 epoch" "$tl" "$t" "$(ratio "$tl" "$t")"
	# AIS: 1,451 temperatures of 100 runs, two products each
	t=$(wall_time ais -m "$trained" --base "$tmp/db.rbd" --runs 100 --betas-scale 0.1 \
		--threads "$threads" --kernel "$KERNEL" --quiet)
	row "ais 1451 temperatures, T=$threads" "$t" "$(floor gibbs 100 784 500 1451 1 "$threads")"
	# RAISE: a reverse run down the same temperatures from each of 100 test rows, beside AIS's
	# 100 runs: twice AIS's products
	t=$(wall_time ais -m "$trained" -d "$tmp/te.rbd" --base "$tmp/db.rbd" --runs 100 \
		--betas-scale 0.1 --raise --rows 100 --threads "$threads" --kernel "$KERNEL" --quiet)
	row "ais + raise 100 rows, T=$threads" "$t" "$(floor gibbs 200 784 500 1451 1 "$threads")"
done
fi

# A busy neighbour: a CD-1 epoch with the default threads and with 2, beside one process
# that keeps a core busy, then beside two, against 1 thread. The default leaves the busy
# core alone.
if want neighbour; then
bin/rbm-init --like "$tmp/d.rbd" -H 500 -o "$tmp/m.rbm"
cd1() { train_time -m "$tmp/m.rbm" -d "$tmp/d.rbd" -b 100 "$@"; }
idle_default=$(cd1)
one=$(cd1 --threads 1)
sh -c 'while :; do :; done' &
spinner=$!
sleep 0.5
busy_default=$(cd1)
busy_two=$(cd1 --threads 2)
sh -c 'while :; do :; done' &
spinner2=$!
sleep 0.5
busy2_default=$(cd1)
busy2_two=$(cd1 --threads 2)
kill "$spinner" "$spinner2"
wait "$spinner" "$spinner2" 2> /dev/null || true
printf 'busy neighbour, CD-1 H=500 B=100 epoch: default %.3f s idle, %.3f s beside a busy process (--threads 2: %.3f s); 1 thread %.3f s\n' \
	"$idle_default" "$busy_default" "$busy_two" "$one"
printf 'two busy neighbours, the same epoch: default %.3f s (--threads 2: %.3f s)\n' \
	"$busy2_default" "$busy2_two"
# A neighbour that starts partway through a run: the default looks again before its epochs
# (every 2 s of training) and leaves the busy core alone from then on; --threads 2 cannot.
partway() {
	rm -f "$tmp/log.tsv"
	bin/rbm-train -m "$tmp/m.rbm" -d "$tmp/d.rbd" -b 100 -e 12 --monitor-rows 1 --log "$tmp/log.tsv" \
		--quiet -o "$tmp/t.rbm" "$@" &
	local train=$!
	sleep "$(awk -v t="$idle_default" 'BEGIN { print 4 * t }')"
	sh -c 'while :; do :; done' &
	local spin=$!
	wait "$train"
	kill "$spin"
	wait "$spin" 2> /dev/null || true
	awk -F'\t' 'NR > 7 { s += $3; n++ } END { printf "%.3f", s / n }' "$tmp/log.tsv" # epochs 7-12
}
printf 'a busy neighbour from the 5th epoch on, mean of epochs 7-12: default %.3f s (--threads 2: %.3f s); 1 thread %.3f s\n' \
	"$(partway)" "$(partway --threads 2)" "$one"
fi

# One CD-5000 update of make cd5000's shape (1000 hidden, batch 200), against its floor; 150
# epochs are 45,000 such. From the quick model (10 epochs of CD-2, a model a few epochs in),
# and from one of cd5000's recipe trained further (BENCH_CD5000_EPOCHS, default 5, epochs of
# CD-10 with Adam at 0.01, trained once into runs/bench/, about 2 minutes): its chains flip as
# a model's that has learned, not as a young one's.
cd5000_update() { # MODEL NAME
	local e
	e=$(bin/rbm-info "$1" | awk -F'\t' '$1 == "epoch" { print $2 }')
	for threads in 2; do
		rm -f "$tmp/log.tsv"
		bin/rbm-train -m "$1" -d "$tmp/b200.rbd" -k 5000 -b 200 -e $((e + 1)) \
			--monitor-rows 1 --threads "$threads" --kernel "$KERNEL" --log "$tmp/log.tsv" \
			--quiet -o "$tmp/t.rbm"
		t=$(awk -F'\t' 'NR == 2 { print $3 }' "$tmp/log.tsv")
		f=$("$FLOOR" cd 200 784 1000 5000 1 "$threads" | cut -f1)
		row "CD-5000 update, $2, T=$threads" "$t" "$f"
		awk -v t="$t" 'BEGIN { printf "make cd5000 (150 epochs of 300 such updates) at that rate: %.1f days\n", t * 45000 / 86400 }'
	done
}
if want cd5000 && [ "${BENCH_CD5000:-1}" != 0 ]; then
	bin/mnist2bin --limit 200 data/raw/train-images-idx3-ubyte -o "$tmp/b200.rbd"
	[ -f runs/quick/model.rbm ] && cd5000_update runs/quick/model.rbm "quick model"
	CE=${BENCH_CD5000_EPOCHS:-5}
	c5=runs/bench/cd5000-shape-$CE.rbm
	if [ ! -s "$c5" ]; then
		mkdir -p runs/bench
		echo "bench.sh: training $c5 ($CE epochs of CD-10, Adam at 0.01, 1000 hidden)"
		bin/rbm-init --like data/train.rbd -H 1000 --seed 1 |
			bin/rbm-train -d data/train.rbd -k 10 -e "$CE" --optimizer adam --lr 0.01 -b 200 \
				--monitor-rows 100 --quiet -o "$c5"
	fi
	cd5000_update "$c5" "$CE epochs of CD-10"
fi
printf 'sgemm rate at 200x784x1000: %s GFLOP/s on 1 thread, %s on 2\n' \
	"$("$FLOOR" cd 200 784 1000 1 20 1 | cut -f2)" "$("$FLOOR" cd 200 784 1000 1 20 2 | cut -f2)"
if want categorical && [ "${BENCH_CATEGORICAL:-1}" != 0 ] &&
	[ -s /usr/share/doc/hmmer/examples/tutorial/fn3.sto ]; then
	BENCH_FLOOR=$FLOOR pipelines/bench-categorical.sh
fi
