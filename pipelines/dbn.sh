#!/usr/bin/env bash
# dbn.sh: a deep belief network of two RBMs trained greedily, layer by layer, under
# runs/NAME/ (default runs/dbn): layer 1 on the MNIST training images, layer 2 on layer 1's
# features p(h1|v) of the same images. Samples: Gibbs chains in the top RBM give h1; one
# pass down through layer 1 gives p(v|h1), the pixels (Hinton, Osindero & Teh 2006). The
# chains start at uniform noise (INIT=noise, the default) or at the features of the first
# 100 training images (INIT=data).
# Resumable: a file already written is kept, a layer stopped partway goes on from its last
# checkpoint; the settings are kept in runs/NAME/settings, and a rerun with others stops with
# one line naming the difference (FRESH=1 starts anew). Writes layer1.rbm, layer2.rbm, features.rbd,
# samples.png, and samples-layer1.png (layer 1's own chains, for comparison).
#   H1, H2 (default 500, 500) hidden units; EPOCHS (default 15) per layer; STEPS (default
#   1000) Gibbs steps in the top RBM; DBN_TRAIN: more rbm-train options; THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
run=runs/${RUN:-dbn}
THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)
H1=${H1:-500} H2=${H2:-500} EPOCHS=${EPOCHS:-15} STEPS=${STEPS:-1000} INIT=${INIT:-noise}
# Each layer: CD on its data drawn to 0/1 afresh each epoch, momentum 0.5 then 0.9,
# weight decay 0.0002 (without it the samples were blurrier); layer 1 by PCD-1, the top
# layer by CD-10 with centering (docs/results.md, Deep belief net): its samples cover the
# digits at total variation 0.10 from MNIST's frequencies, against 0.57 by CD-1. A top
# layer trained by PCD, plain or tempered, put nearly all its mass on one digit.
TRAIN=(--binarize -k 1 -e "$EPOCHS" --optimizer momentum --lr 0.01 --momentum 0.9
	--momentum-warmup 5 --weight-decay 0.0002 -b 100)
LAYER1=(--pcd) LAYER2=(-k 10 --center)
settings "$run" "H1=$H1" "H2=$H2" "EPOCHS=$EPOCHS" "DBN_TRAIN=${DBN_TRAIN:-}" "train=${TRAIN[*]}" \
	"layer1=${LAYER1[*]}" "layer2=${LAYER2[*]}"

# layer DATA HIDDEN OUT [OPTION...]: a fresh RBM the shape of DATA, trained on it into OUT,
# a checkpoint every epoch (OUT's -ckpt/): a layer stopped partway goes on from its last.
layer() {
	local data=$1 hidden=$2 out=$3 start
	shift 3
	[ -s "$out" ] && return
	echo "dbn.sh: training $out ($hidden hidden units on $data)"
	[ -s "${out%.rbm}-init.rbm" ] || "$BIN/rbm-init" --like "$data" -H "$hidden" --w-std 0.01 \
		--hb-mean 0 --seed 1 -o "${out%.rbm}-init.rbm"
	start=$(resume_from "${out%.rbm}-ckpt" "${out%.rbm}.tsv" "${out%.rbm}-init.rbm")
	"$BIN/rbm-train" -m "$start" -d "$data" "${TRAIN[@]}" "$@" ${DBN_TRAIN:-} \
		${THREADS:+--threads "$THREADS"} --checkpoint-dir "${out%.rbm}-ckpt" \
		--log "${out%.rbm}.tsv" -o "$out"
}

# grid IN OUT.png: a 10x10 PNG grid of data rows, written whole or not at all.
grid() {
	"$BIN/bin2pgm" --cols 10 --scale 2 "$1" | to_png "$2"
}

layer data/train.rbd "$H1" "$run/layer1.rbm" "${LAYER1[@]}"
[ -s "$run/features.rbd" ] ||
	"$BIN/rbm-hidden" -m "$run/layer1.rbm" -d data/train.rbd ${THREADS:+--threads "$THREADS"} -o "$run/features.rbd"
layer "$run/features.rbd" "$H2" "$run/layer2.rbm" "${LAYER2[@]}"

# The top RBM's chains sample h1 (binary states); layer 1 takes them down to p(v|h1).
init=$([ "$INIT" = noise ] && echo noise || echo "$run/features.rbd")
"$BIN/rbm-gibbs" -m "$run/layer2.rbm" -n "$STEPS" -c 100 --init "$init" --seed 1 ${THREADS:+--threads "$THREADS"} |
	"$BIN/rbm-hidden" --down -m "$run/layer1.rbm" -d - ${THREADS:+--threads "$THREADS"} -o "$run/samples.rbd"
grid "$run/samples.rbd" "$run/samples.png"
init=$([ "$INIT" = noise ] && echo noise || echo data/train.rbd)
"$BIN/rbm-gibbs" -m "$run/layer1.rbm" -n "$STEPS" -c 100 --init "$init" --mean --seed 1 \
	${THREADS:+--threads "$THREADS"} -o "$run/samples-layer1.rbd"
grid "$run/samples-layer1.rbd" "$run/samples-layer1.png"
echo "dbn.sh: $run/samples.png (two layers), $run/samples-layer1.png (layer 1 alone)"
