#!/usr/bin/env bash
# mixing.sh: how well the samples of a run's model cover the digits, plain Gibbs chains
# against tempered ones (rbm-gibbs --tempering) at the same cost, both from noise. Each
# sample is labelled by a classifier trained once into runs/mixing-classifier/ (an RBM with
# a label group, discriminative, on MNIST's training set), and its class histogram measured
# against MNIST's class frequencies (rbm-classify --histogram): the total-variation distance
# and the classes under 2%.
#   RUN (default ll): runs/RUN/model.rbm, an RBM of the pixels; or, where runs/RUN has a
#   layer2.rbm (make dbn), the top layer, its samples taken down through layer1.rbm; MODEL
#   names another RBM of the pixels (its results still under runs/RUN/mixing/).
#   CHAINS (default 1000) plain chains of STEPS (default 5000) steps; TCHAINS (default 100)
#   tempered chains of REPLICAS (default 20) replicas, whose steps make the same number of
#   row-steps: a burn-in of ADAPT (default 500) steps that adapts the ladder, then
#   CHAINS / TCHAINS snapshots, so that both give CHAINS samples. BETA_MIN (default 0.1).
#   THREADS.
# Writes runs/RUN/mixing/result.tsv (a row per method: samples, row-steps, seconds, tv,
# classes under 2%, then each class's fraction), plain.png and tempered.png (the first 100
# samples of each), and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
RUN=${RUN:-ll}
run=runs/$RUN
THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)
CHAINS=${CHAINS:-1000} STEPS=${STEPS:-5000} TCHAINS=${TCHAINS:-100} REPLICAS=${REPLICAS:-20}
ADAPT=${ADAPT:-500} BETA_MIN=${BETA_MIN:-0.1}
out=$run/mixing
cls=runs/mixing-classifier

if [ -n "${MODEL:-}" ]; then
	model=$MODEL base=data/train-bin.rbd down=
elif [ -s "$run/layer2.rbm" ]; then # a deep belief net: sample the top layer
	model=$run/layer2.rbm base=$run/features.rbd down=$run/layer1.rbm
elif [ -s "$run/model.rbm" ]; then
	model=$run/model.rbm base=data/train-bin.rbd down=
else
	echo "mixing.sh: $run has no model.rbm (make $RUN) nor layer2.rbm (make dbn)" >&2
	exit 1
fi
snaps=$((CHAINS / TCHAINS))
tsteps=$(((STEPS * CHAINS / (TCHAINS * REPLICAS) - ADAPT) / snaps * snaps))
if [ "$snaps" -lt 1 ] || [ "$tsteps" -lt "$snaps" ]; then
	echo "mixing.sh: $TCHAINS tempered chains of $REPLICAS replicas leave no steps after the" \
		"$ADAPT of the burn-in at the cost of $CHAINS chains of $STEPS steps" >&2
	exit 2
fi
mkdir -p "$out"
digit_classifier "$cls" "$THREADS"
echo "mixing.sh: the classifier's test $(tr '\t' ' ' < "$cls/test-error.txt")"

# sample NAME rbm-gibbs-options...: samples into $out/NAME.rbd (pixels), the seconds taken
sample() {
	local name=$1
	shift
	local t0 t1
	t0=$(date +%s.%N)
	if [ -n "$down" ]; then
		"$BIN/rbm-gibbs" -m "$model" --seed 1 ${THREADS:+--threads "$THREADS"} --quiet "$@" |
			"$BIN/rbm-hidden" --down -m "$down" -d - ${THREADS:+--threads "$THREADS"} -o "$out/$name.rbd"
	else
		"$BIN/rbm-gibbs" -m "$model" --mean --seed 1 ${THREADS:+--threads "$THREADS"} --quiet "$@" \
			-o "$out/$name.rbd"
	fi
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

# row NAME SECONDS ROWSTEPS: the result row of NAME's samples
row() {
	"$BIN/rbm-classify" -m "$cls/model.rbm" -d "$out/$1.rbd" --histogram \
		--reference data/train.rbd ${THREADS:+--threads "$THREADS"} |
		awk -F'\t' -v name="$1" -v s="$2" -v rs="$3" '
			$1 == "rows" { n = $2 } $1 == "class" { f = f "\t" $4 }
			$1 == "tv" { tv = $2 } $1 == "under_2pct" { u = $2 }
			END { printf "%s\t%d\t%d\t%s\t%s\t%s%s\n", name, n, rs, s, tv, u, f }'
	"$BIN/bin2pgm" --cols 10 --limit 100 --scale 2 "$out/$1.rbd" | to_png "$out/$1.png"
}

echo "mixing.sh: $CHAINS plain chains of $STEPS steps on $model"
plain_s=$(sample plain -n "$STEPS" -c "$CHAINS")
echo "mixing.sh: $TCHAINS tempered chains of $REPLICAS replicas, $ADAPT + $tsteps steps"
tempered_s=$(sample tempered -n "$tsteps" --every $((tsteps / snaps)) -c "$TCHAINS" \
	--tempering "$REPLICAS" --beta-min "$BETA_MIN" --adapt "$ADAPT" --burn-in "$ADAPT" \
	--base "$base")
# the film's step 0 (the start, before any step) is no sample: its TCHAINS rows dropped
"$BIN/rbm-rows" --skip "$TCHAINS" "$out/tempered.rbd" -o "$out/tempered.rbd"
{
	printf 'method\tsamples\trow_steps\tseconds\ttv\tunder_2pct'
	printf '\t%s' 0 1 2 3 4 5 6 7 8 9
	printf '\n'
	row plain "$plain_s" $((CHAINS * STEPS))
	row tempered "$tempered_s" $((TCHAINS * REPLICAS * (ADAPT + tsteps)))
} > "$out/result.tsv.tmp"
mv "$out/result.tsv.tmp" "$out/result.tsv"
column -t "$out/result.tsv"
echo "mixing.sh: $out/plain.png, $out/tempered.png"
