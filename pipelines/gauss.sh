#!/usr/bin/env bash
# gauss.sh: a Gaussian-visible RBM on real values, under runs/NAME/ (default runs/gauss):
# MNIST's intensities standardized by the training set's column means and standard
# deviations (each at least MIN_SD, so rarely-inked border pixels do not turn into huge
# values), a Gaussian-Bernoulli RBM with sigma fixed at 1 trained on them, and its test
# log-density by AIS beside the diagonal-Gaussian baseline of the same standardized data
# (each pixel N(mean, sd^2) of the training set: N(0, 1) here, the AIS base model itself).
# Both are densities of the standardized values, in nats per image, and comparable with each
# other only (a density of the raw intensities is lower by sum_i log sd_i for both).
# Resumable: a file already written is kept, training stopped partway goes on from its last
# checkpoint (ckpt/); the settings are kept in runs/NAME/settings, and a rerun with others
# stops with one line naming the difference (FRESH=1 starts anew). Writes train.z.rbd,
# test.z.rbd, model.rbm, train.tsv, ais-RUNS-BETAS_SCALE.tsv, result.tsv (the two numbers),
# samples.png.
#   HIDDEN (default 500), EPOCHS (default 40), MIN_SD (default 0.1), RUNS (AIS runs,
#   default 100), BETAS_SCALE (AIS temperatures, default 1: 14,501), GAUSS_TRAIN (more
#   rbm-train options), THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
run=runs/${RUN:-gauss}
THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)
HIDDEN=${HIDDEN:-500} EPOCHS=${EPOCHS:-40} MIN_SD=${MIN_SD:-0.1}
RUNS=${RUNS:-100} BETAS_SCALE=${BETAS_SCALE:-1}
settings "$run" "HIDDEN=$HIDDEN" "EPOCHS=$EPOCHS" "MIN_SD=$MIN_SD" "GAUSS_TRAIN=${GAUSS_TRAIN:-}"

for set in train test; do
	[ -s "$run/$set.z.rbd" ] ||
		"$BIN/rbm-standardize" --from data/train.rbd --min-sd "$MIN_SD" -o "$run/$set.z.rbd" \
			< "data/$set.rbd"
done

# Gaussian units take unbounded inputs: small weights and a small rate (Hinton's guide,
# section 13.2, suggests one or two orders of magnitude below the binary case), CD-1 with
# momentum, no weight decay.
if [ ! -s "$run/model.rbm" ]; then
	echo "gauss.sh: training $run/model.rbm ($HIDDEN hidden units, $EPOCHS epochs)"
	[ -s "$run/init.rbm" ] || "$BIN/rbm-init" --like "$run/train.z.rbd" --visible gaussian \
		-H "$HIDDEN" --w-std 0.01 --hb-mean 0 --seed 1 -o "$run/init.rbm"
	start=$(resume_from "$run/ckpt" "$run/train.tsv" "$run/init.rbm")
	"$BIN/rbm-train" -m "$start" -d "$run/train.z.rbd" -k 1 -e "$EPOCHS" -b 100 --optimizer momentum \
		--lr 0.001 --momentum 0.9 --momentum-warmup 5 ${THREADS:+--threads "$THREADS"} \
		--checkpoint-dir "$run/ckpt" --log "$run/train.tsv" ${GAUSS_TRAIN:-} -o "$run/model.rbm"
fi

# AIS's estimate kept by its own settings: other RUNS or BETAS_SCALE give another file.
ais=$run/ais-$RUNS-$BETAS_SCALE.tsv
if [ ! -s "$ais" ]; then
	echo "gauss.sh: log Z by AIS ($RUNS runs)"
	"$BIN/rbm-ais" -m "$run/model.rbm" -d "$run/test.z.rbd" --base "$run/train.z.rbd" \
		--runs "$RUNS" --betas-scale "$BETAS_SCALE" ${THREADS:+--threads "$THREADS"} > "$ais.tmp"
	mv "$ais.tmp" "$ais"
fi
val() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$ais"; }
{
	printf 'model\ttest_log_density\tlow\thigh\n'
	printf 'gaussian_rbm_%s\t%s\t%s\t%s\n' "$HIDDEN" "$(val avg_ll)" "$(val avg_ll_lo)" "$(val avg_ll_hi)"
	printf 'diagonal_gaussian\t%s\t%s\t%s\n' "$(val base_avg_ll)" "$(val base_avg_ll)" "$(val base_avg_ll)"
} > "$run/result.tsv"

# Samples: 100 chains from noise, 1000 steps, the means of the last step, taken back to
# intensities (the inverse standardization) and drawn with values clipped to 0..1.
if [ ! -s "$run/samples.png" ]; then
	"$BIN/rbm-gibbs" -m "$run/model.rbm" -n 1000 -c 100 --mean --seed 1 ${THREADS:+--threads "$THREADS"} |
		"$BIN/rbm-standardize" --inverse --from data/train.rbd --min-sd "$MIN_SD" |
		"$BIN/bin2pgm" --cols 10 --scale 2 | to_png "$run/samples.png"
fi
column -t "$run/result.tsv"
echo "gauss.sh: $run/result.tsv, $run/samples.png"
