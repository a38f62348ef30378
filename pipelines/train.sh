#!/usr/bin/env bash
# train.sh NAME: one experiment of the original project (or a later one), under runs/NAME/.
# Resumable: a second run continues from the newest checkpoint instead of starting over; its
# settings are kept in runs/NAME/settings, and a rerun with other settings stops with one
# line naming the difference (FRESH=1 starts the run anew).
#   quick   CD-2, 10 epochs, SGD lr 0.001, vb_mean -0.5, hb_mean -0.2, batch 200, evaluation
#           every epoch, 5000-step samples into a 10x10 grid (the original's first run)
#   cd5000  CD-5000, 150 epochs, Adam lr 0.01, batch 200, evaluation every 5 epochs
#   ll      500 hidden units on binarized MNIST with the best recipe found (see README),
#           then the test log-likelihood from both sides: AIS (an estimate that leans high)
#           on every test row and RAISE (a bound from below) on RAISE_ROWS (default 1000)
#           of them, chosen by the seed, into ais.txt and result.tsv
#   ll-best the best likelihood found in 30 minutes (docs/results.md, Recipes searched by the
#           sweep): ll's recipe at four times the rate with 200 chains sharing its 20 ladders;
#           measured as ll is
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
name=${1:?usage: train.sh quick|cd5000|ll|ll-best}
run=runs/${RUN:-$name}
THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)

case $name in
quick)
	DATA=data/train.rbd EVAL=data/test.rbd
	INIT=(-H 1000 --vb-mean -0.5 --hb-mean -0.2 --seed 1)
	TRAIN=(-k 2 -e 10 --optimizer sgd --lr 0.001 -b 200 --eval-every 1)
	;;
cd5000)
	DATA=data/train.rbd EVAL=data/test.rbd
	INIT=(-H 1000 --seed 1)
	TRAIN=(-k 5000 -e 150 --optimizer adam --lr 0.01 -b 200 --eval-every 5)
	;;
ll | ll-best)
	# Trained on the MNIST intensities drawn afresh to 0/1 each epoch (--binarize); tested
	# on the fixed binarized test set, log Z from the fixed binarized training set's means.
	DATA=data/train.rbd EVAL=data/test-bin.rbd BASE=data/train-bin.rbd
	INIT=(-H 500 --w-std 0.01 --hb-mean 0 --seed 1)
	# The best recipe found (README, Results): PCD-1 with centering, momentum 0.5 then
	# 0.9, lr 0.005 / (1 + 0.01 epoch) falling linearly to 0 at epoch 600; the persistent
	# chains tempered (100 chains at 1 sharing 20 ladders of 4 hot replicas), so that the
	# model's samples cover the digits as MNIST does (docs/results.md, Samples that show
	# the model).
	TRAIN=(${LL_TRAIN:---binarize -k 1 --pcd --center -e 600 --optimizer momentum --lr 0.005 \
		--momentum 0.9 --momentum-warmup 5 --lr-decay 0.01 --lr-end 600 -b 100 --eval-every 50 \
		--tempering 5 --chains 100 --ladders 20})
	# ll-best: the rate 0.02 and 200 chains, the sweep's best at a tenth of the epochs
	[ "$name" = ll ] || [ -n "${LL_TRAIN:-}" ] ||
		TRAIN=(--binarize -k 1 --pcd --center -e 600 --optimizer momentum --lr 0.02 --momentum 0.9 \
			--momentum-warmup 5 --lr-decay 0.01 --lr-end 600 -b 100 --eval-every 50 \
			--tempering 5 --chains 200 --ladders 20)
	;;
*)
	echo "train.sh: unknown experiment '$name' (quick, cd5000, ll, ll-best)" >&2
	exit 2
	;;
esac

# The run's settings: a rerun with others stops rather than mix them (FRESH=1 starts anew).
settings "$run" "experiment=$name" "data=$DATA" "eval=$EVAL" "init=${INIT[*]}" "train=${TRAIN[*]}"
mkdir -p "$run/ckpt"
[ -s "$run/init.rbm" ] || "$BIN/rbm-init" --like "$DATA" "${INIT[@]}" -o "$run/init.rbm"
start=$(resume_from "$run/ckpt" "$run/log.tsv" "$run/init.rbm")

"$BIN/rbm-train" -m "$start" -d "$DATA" --eval "$EVAL" "${TRAIN[@]}" \
	--checkpoint-dir "$run/ckpt" --log "$run/log.tsv" ${THREADS:+--threads "$THREADS"} -o "$run/model.rbm"

case $name in
quick | cd5000)
	# p(v|h) of the 5000th step of 100 chains from uniform noise: the mean image of
	# each chain, the usual way an RBM's samples are shown.
	STEPS=5000 sample_grid "$run/model.rbm" "$run/samples.png" "$THREADS"
	echo "train.sh: $run/samples.png"
	;;
ll | ll-best)
	"$BIN/rbm-ais" -m "$run/model.rbm" -d "$EVAL" --base "$BASE" --runs 500 ${THREADS:+--threads "$THREADS"} \
		--raise --rows "${RAISE_ROWS:-1000}" --by-label > "$run/ais.txt.tmp"
	mv "$run/ais.txt.tmp" "$run/ais.txt"
	cat "$run/ais.txt"
	# Both sides in one table: AIS on every row, RAISE on its rows, and AIS less RAISE on
	# those rows, each with its interval (3 standard errors).
	awk -F'\t' '{ v[$1] = $2 }
		END {
			print "method\tavg_ll\tlo\thi\trows\ttemperatures"
			print "ais\t" v["avg_ll"] "\t" v["avg_ll_lo"] "\t" v["avg_ll_hi"] "\t" v["rows"] "\t" v["temperatures"]
			print "raise\t" v["raise_avg_ll"] "\t" v["raise_avg_ll_lo"] "\t" v["raise_avg_ll_hi"] "\t" \
				v["raise_rows"] "\t" v["temperatures"]
			printf "ais-raise\t%.6f\t%.6f\t%.6f\t%s\t%s\n", v["raise_gap"],
				v["raise_gap"] - 3 * v["raise_gap_se"], v["raise_gap"] + 3 * v["raise_gap_se"],
				v["raise_rows"], v["temperatures"]
		}' "$run/ais.txt" > "$run/result.tsv.tmp"
	mv "$run/result.tsv.tmp" "$run/result.tsv"
	column -t "$run/result.tsv"
	;;
esac
column -t "$run/log.tsv" | tail -n 12
