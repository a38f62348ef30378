#!/usr/bin/env bash
# classify.sh: an RBM with a label group trained to classify MNIST, under runs/NAME (default
# runs/classify). It trains on the first 50,000 training images, validates on the last
# 10,000 (rbm-train --valid-rows: never trained on; early stopping keeps the epoch with the
# lowest validation error) and tests once on the 10,000 test images. The starting biases
# come from the 50,000 alone. The rows are drawn to 0/1 afresh every epoch (--binarize,
# each pixel on with its intensity as probability): noise on the inputs that regularizes
# as well as the hybrid's generative term (1.62% validation error without it, 1.40% with
# it, discriminative, 1500 hidden units, 20 epochs); the test images are classified as
# intensities. Resumable: a file already written is kept; training stopped partway goes on
# from its newest checkpoint (ckpt/, the newest only) with the early stopping it had
# (best.rbm); the settings are kept in runs/NAME/settings, and a rerun with others stops with
# one line naming the difference (FRESH=1 starts anew). Writes
# train50k.rbd, init.rbm, model.rbm, train.tsv (the log), test.tsv (rbm-classify --error:
# error, rows, wrong, the confusion matrix) and result.tsv (one row: objective, hidden
# units, epochs run, the best epoch, its validation error, the test error, training
# seconds).
#   OBJECTIVE (hybrid, discriminative or generative; default hybrid), HIDDEN (default 1500),
#   ALPHA (hybrid's generative weight, default 0.01), EPOCHS (at most, default 40), PATIENCE
#   (default 10), LR (default 0.003, Adam, falling linearly to 0 at EPOCHS), BATCH (default
#   100), CLASSIFY_TRAIN (more rbm-train options), THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=bin
run=runs/${RUN:-classify}
THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)
OBJECTIVE=${OBJECTIVE:-hybrid} HIDDEN=${HIDDEN:-1500} ALPHA=${ALPHA:-0.01}
EPOCHS=${EPOCHS:-40} PATIENCE=${PATIENCE:-10} LR=${LR:-0.003} BATCH=${BATCH:-100}
. pipelines/lib.sh
settings "$run" "OBJECTIVE=$OBJECTIVE" "HIDDEN=$HIDDEN" "ALPHA=$ALPHA" "EPOCHS=$EPOCHS" \
	"PATIENCE=$PATIENCE" "LR=$LR" "BATCH=$BATCH" "CLASSIFY_TRAIN=${CLASSIFY_TRAIN:-}"

[ "$("$BIN/rbm-info" data/train.rbd | awk -F'\t' '$1 == "rows" { print $2 }')" = 60000 ] || {
	echo "classify.sh: data/train.rbd is not MNIST's 60,000 training images: run make data" >&2
	exit 1
}
[ -s "$run/train50k.rbd" ] ||
	"$BIN/mnist2bin" --limit 50000 --labels data/raw/train-labels-idx1-ubyte \
		data/raw/train-images-idx3-ubyte -o "$run/train50k.rbd"
[ -s "$run/init.rbm" ] ||
	"$BIN/rbm-init" --like "$run/train50k.rbd" --labels auto -H "$HIDDEN" --w-std 0.01 \
		--hb-mean 0 --seed 1 -o "$run/init.rbm"

case $OBJECTIVE in
hybrid) objective=(--objective hybrid --alpha "$ALPHA") ;;
*) objective=(--objective "$OBJECTIVE") ;;
esac
# Stopped partway, training goes on from its last checkpoint (only the newest is kept), with
# the early stopping it had: the best model so far is kept in best.rbm.
if [ ! -s "$run/model.rbm" ]; then
	echo "classify.sh: training $run/model.rbm ($OBJECTIVE, $HIDDEN hidden units, at most $EPOCHS epochs)"
	from=$(resume_from "$run/ckpt" "$run/train.tsv" "$run/init.rbm")
	[ "$from" = "$run/init.rbm" ] && rm -f "$run/best.rbm" "$run/seconds"
	start=$(date +%s.%N)
	"$BIN/rbm-train" -d data/train.rbd --valid-rows 10000 --patience "$PATIENCE" \
		"${objective[@]}" --binarize -e "$EPOCHS" --lr-end "$EPOCHS" -b "$BATCH" --optimizer adam \
		--lr "$LR" ${THREADS:+--threads "$THREADS"} --log "$run/train.tsv" ${CLASSIFY_TRAIN:-} \
		--checkpoint-dir "$run/ckpt" --checkpoint-keep 1 --best "$run/best.rbm" \
		-m "$from" -o "$run/model.rbm"
	awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >> "$run/seconds"
fi

"$BIN/rbm-classify" -m "$run/model.rbm" -d data/test.rbd --error ${THREADS:+--threads "$THREADS"} \
	> "$run/test.tsv.tmp"
mv "$run/test.tsv.tmp" "$run/test.tsv"
last=$(tail -n 1 "$run/train.tsv")
best=$(cut -f 15 <<< "$last")
valid=$(awk -F'\t' -v e="$best" '$1 == e { print $13 }' "$run/train.tsv")
{
	printf 'objective\thidden\tepochs\tbest_epoch\tvalid_err\ttest_err\ttrain_seconds\n'
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$OBJECTIVE" "$HIDDEN" "$(cut -f 1 <<< "$last")" \
		"$best" "$valid" "$(awk -F'\t' '$1 == "error" { print $2 }' "$run/test.tsv")" \
		"$(awk '{ s += $1 } END { if (NR) printf "%.1f", s; else print "NA" }' "$run/seconds" 2>/dev/null || echo NA)"
} > "$run/result.tsv"
column -t "$run/result.tsv"
grep '^confusion' "$run/test.tsv" | cut -f 2- | column -t
echo "classify.sh: $run/result.tsv, $run/test.tsv"
