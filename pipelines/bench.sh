#!/usr/bin/env bash
# bench.sh: rbm-train and rbm-gibbs against the dense floor: the same cblas_sgemm calls at
# the same shapes done bare by build/bench-floor (BENCH_FLOOR), measured in the same run. Prints
# tool time / floor time and the tool's peak memory. Nothing here is asserted by a test.
# Each time is the best of BENCH_REPS (default 3) runs, tool and floor alike.
# BENCH_ROWS (default 12000) rows of MNIST per training epoch; BENCH_STEPS (default 500)
# Gibbs steps; BENCH_KERNEL (default auto) the tools' --kernel.
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

peak() { awk '/Maximum resident/ { printf "%.0f", $NF / 1024 }' "$1"; }
best() { sort -g | head -n 1; }
floor() { for r in $(seq "$REPS"); do "$FLOOR" "$@" | cut -f1; done | best; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "rbmtools benchmark on $(nproc) cores, $src, --kernel $KERNEL, best of $REPS; $(date -u +%Y-%m-%d)"
printf '%-34s %9s %9s %7s %9s\n' "job" "tool s" "floor s" "ratio" "peak MiB"
for threads in 1 2; do
	for k in 1 2; do
		for h in 500 1000; do
			for b in 100 200; do
				bin/rbm-init --like "$tmp/d.rbd" -H "$h" -o "$tmp/m.rbm"
				t=$(for r in $(seq "$REPS"); do
					rm -f "$tmp/log.tsv"
					/usr/bin/time -v bin/rbm-train -m "$tmp/m.rbm" -d "$tmp/d.rbd" -k "$k" -b "$b" \
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
if [ -f runs/quick/model.rbm ]; then
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
printf 'sgemm rate at 200x784x1000: %s GFLOP/s on 1 thread, %s on 2\n' \
	"$("$FLOOR" cd 200 784 1000 1 20 1 | cut -f2)" "$("$FLOOR" cd 200 784 1000 1 20 2 | cut -f2)"
