#!/usr/bin/env bash
# plots.sh RUN: pictures of runs/RUN as PNG files under runs/RUN/plots/:
#   curves.png       the learning curves of log.tsv against epoch: pseudo-log-likelihood
#                    (train, test), reconstruction error, free energy of train and test and
#                    their gap (gnuplot)
#   filters.png      the first 100 hidden units' weights, each tile scaled to its own range
#   checkpoints.png  one row per checkpoint: 10 chains of STEPS Gibbs steps (default 1000)
#                    from noise, p(v|h) of the last step, the same seed for every row
#   film.png         10 chains from noise over FRAMES x EVERY steps (default 40 x 25): one
#                    grid row per frame, the noise they start from first, time going down
# The model is runs/RUN/model.rbm, or the newest checkpoint while training runs. RUNS: the
# directory of runs (default runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
name=${1:-}
if [ -z "$name" ]; then
	echo "usage: make plots RUN=name   (a directory under runs/, for example RUN=quick)" >&2
	exit 2
fi
run=${RUNS:-runs}/$name
[ -d "$run" ] || { echo "plots.sh: $run: no such run" >&2; exit 1; }
STEPS=${STEPS:-1000} FRAMES=${FRAMES:-40} EVERY=${EVERY:-25} THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)
model=$run/model.rbm
last=$(newest_checkpoint "$run/ckpt")
[ -f "$model" ] || model=$run/ckpt/epoch-$last.rbm
[ -f "$model" ] || { echo "plots.sh: $run: no model.rbm and no checkpoint" >&2; exit 1; }
out=$run/plots
mkdir -p "$out"

# png NAME: stdin (a PNM image) to $out/NAME.png, written whole or not at all.
png() {
	to_png "$out/$1.png"
	echo "plots.sh: $out/$1.png"
}

if [ -s "$run/log.tsv" ] && [ "$(wc -l < "$run/log.tsv")" -gt 1 ]; then
	gnuplot > "$out/curves.png.tmp" <<-GNUPLOT
		set terminal pngcairo size 1500,450 font ",10"
		set datafile separator "\t"
		set key autotitle columnhead bottom right
		set xlabel "epoch"
		set grid
		set multiplot layout 1,3 title "$name: learning curves (log.tsv)"
		set title "pseudo-log-likelihood (nats per image)"
		plot "$run/log.tsv" using "epoch":"train_pll" with linespoints title "train", \
		     "" using "epoch":"test_pll" with linespoints title "test"
		set title "reconstruction error (mean squared, one step)"
		plot "" using "epoch":"recon_err" with linespoints notitle
		set title "mean free energy; gap = test - train"
		set y2tics
		set ytics nomirror
		plot "" using "epoch":"fe_train" with lines title "train", \
		     "" using "epoch":"fe_test" with lines title "test", \
		     "" using "epoch":"fe_gap" axes x1y2 with linespoints title "gap (right axis)"
		unset multiplot
	GNUPLOT
	mv "$out/curves.png.tmp" "$out/curves.png"
	echo "plots.sh: $out/curves.png"
else
	echo "plots.sh: $run/log.tsv has no rows yet: no curves"
fi

"$BIN/rbm-filters" -m "$model" | "$BIN/bin2pgm" --limit 100 --cols 10 --scale 2 | png filters

# One sample file per checkpoint, drawn by bin2pgm as one grid row each.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
for e in $(checkpoints "$run/ckpt"); do
	"$BIN/rbm-gibbs" -m "$run/ckpt/epoch-$e.rbm" -n "$STEPS" -c 10 --mean --seed 1 \
		${THREADS:+--threads "$THREADS"} --quiet -o "$tmp/$e.rbd"
	files+=("$tmp/$e.rbd")
done
if [ ${#files[@]} -gt 0 ]; then
	"$BIN/bin2pgm" --cols 10 --scale 2 "${files[@]}" | png checkpoints
	echo "plots.sh: checkpoints.png rows, top to bottom: epochs" $(checkpoints "$run/ckpt")
fi

"$BIN/rbm-gibbs" -m "$model" -n $((FRAMES * EVERY)) --every "$EVERY" -c 10 --mean --seed 1 \
	${THREADS:+--threads "$THREADS"} --quiet | "$BIN/bin2pgm" --cols 10 --scale 2 | png film
