#!/usr/bin/env bash
# impute.sh NAME: the imputation experiment of a categorical data set with missing entries,
# under runs/NAME/ (NAME votes or soybean: data/weka/vote.arff or soybean.arff, which make
# deps extracts from Debian's weka package). For each of SEEDS seeds: a tenth (FRACTION) of
# the observed entries hidden on purpose; an RBM trained with rbm-train --missing on the
# entries left; its imputation of the hidden ones, the state most often most probable over
# the snapshots of Gibbs chains clamped to the entries left (rbm-gibbs --clamp --mean
# --every); and three baselines on the same entries (pipelines/impute.py): the column mode,
# k-nearest neighbours and chained logistic regression. soybean's class is the rows' label,
# known to every method. Writes seed-S.tsv (the four accuracies) and result.tsv (each one's
# mean and standard deviation over the seeds). Then, for each seed, a fifth of the rows held
# out and a model trained on the rest: heldout-S.tsv has the held-out rows' log-likelihood of
# their observed entries against the independent model's, and for soybean the error of its
# classes through the label group against a logistic regression's; heldout.tsv their means
# and standard deviations. Resumable: a seed's result already written is
# kept; the settings are kept in runs/NAME/settings, and a rerun with others stops naming the
# difference (FRESH=1 starts anew).
#   HIDDEN (default 20 for votes, 100 for soybean), EPOCHS (300, 600), SEEDS (5), FRACTION (0.1), STEPS (film: 2000 steps,
#   every 20), CHAINS (persistent chains, default 100; one per batch row, 10, leaves
#   soybean's p(v) below the independent model's on held-out rows), THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
name=${1:?usage: impute.sh votes|soybean}
case $name in
votes) arff=data/weka/vote.arff label= hidden=20 epochs=300 ;;
soybean) arff=data/weka/soybean.arff label=class hidden=100 epochs=600 ;;
*) echo "impute.sh: $name: votes or soybean" >&2; exit 2 ;;
esac
BIN=bin
run=runs/${RUN:-$name}
THREADS=${THREADS:-}
HIDDEN=${HIDDEN:-$hidden} EPOCHS=${EPOCHS:-$epochs} SEEDS=${SEEDS:-5} FRACTION=${FRACTION:-0.1}
STEPS=${STEPS:-2000} CHAINS=${CHAINS:-100}
settings "$run" "HIDDEN=$HIDDEN" "EPOCHS=$EPOCHS" "SEEDS=$SEEDS" "FRACTION=$FRACTION" "STEPS=$STEPS" \
	"CHAINS=$CHAINS"
th=${THREADS:+--threads $THREADS}

if [ ! -s "$run/data.rbd" ]; then
	[ -s "$arff" ] || { echo "impute.sh: $arff is missing: run make deps" >&2; exit 1; }
	"$BIN/arff2bin" ${label:+--label "$label"} --missing "$run/mask.rbd" --dict-out "$run/dict" \
		-o "$run/data.rbd" "$arff"
fi
"$BIN/bin2csv" "$run/data.rbd" > "$run/data.csv"
"$BIN/bin2csv" "$run/mask.rbd" > "$run/mask.csv"
labels=
if [ -n "$label" ]; then
	"$BIN/bin2csv" --labels "$run/data.rbd" | cut -d, -f1 > "$run/labels.csv"
	labels=$run/labels.csv
fi
snapshots=$((STEPS / 20 + 1))
for ((s = 1; s <= SEEDS; s++)); do
	[ -s "$run/seed-$s.tsv" ] && continue
	d=$run/seed-$s
	mkdir -p "$d"
	pipelines/impute.py hide "$run/mask.csv" "$s" "$FRACTION" "$d/train-mask.csv" "$d/hidden.csv"
	"$BIN/csv2bin" "$d/train-mask.csv" -o "$d/train-mask.rbd"
	"$BIN/rbm-init" --like "$run/data.rbd" -H "$HIDDEN" --seed "$s" ${label:+--labels auto} \
		-o "$d/init.rbm"
	# plain SGD: persistent chains with momentum lose likelihood on so few rows (docs/results.md)
	"$BIN/rbm-train" -m "$d/init.rbm" -d "$run/data.rbd" --missing "$d/train-mask.rbd" --pcd \
		-e "$EPOCHS" -b 10 --chains "$CHAINS" --optimizer sgd --lr 0.01 --quiet $th -o "$d/model.rbm"
	"$BIN/rbm-gibbs" -m "$d/model.rbm" --init "$run/data.rbd" --clamp "$d/train-mask.rbd" \
		--burn-in 100 -n "$STEPS" --every 20 --mean --seed "$s" $th | "$BIN/bin2csv" > "$d/film.csv"
	echo "impute.sh: $name, seed $s: accuracy of rbm, mode, knn, chained" >&2
	pipelines/impute.py score "$run/data.csv" "$d/hidden.csv" "$d/train-mask.csv" "$d/film.csv" \
		"$snapshots" "$s" $labels > "$d/acc.tsv"
	cat "$d/acc.tsv" >&2
	rm -f "$d/film.csv"
	mv "$d/acc.tsv" "$run/seed-$s.tsv"
done
# The held-out rows: for each seed a fifth of the rows, shuffled by the seed, never trained on;
# the model trained on the rest as above; their observed entries' log-likelihood, log Z exact
# up to 25 hidden units, else by AIS (pipelines/impute.py heldout).
n=$("$BIN/rbm-info" "$run/data.rbd" | awk -F'\t' '$1 == "rows" { print $2 }')
nte=$((n / 5)) ntr=$((n - n / 5))
for ((s = 1; s <= SEEDS; s++)); do
	[ -s "$run/heldout-$s.tsv" ] && continue
	d=$run/seed-$s
	mkdir -p "$d"
	for f in data mask; do
		"$BIN/rbm-rows" --shuffle --seed "$s" --first "$ntr" "$run/$f.rbd" -o "$d/tr-$f.rbd"
		"$BIN/rbm-rows" --shuffle --seed "$s" --last "$nte" "$run/$f.rbd" -o "$d/te-$f.rbd"
		"$BIN/bin2csv" "$d/tr-$f.rbd" > "$d/tr-$f.csv"
		"$BIN/bin2csv" "$d/te-$f.rbd" > "$d/te-$f.csv"
	done
	lab=
	if [ -n "$label" ]; then
		"$BIN/bin2csv" --labels "$d/tr-data.rbd" | cut -d, -f1 > "$d/tr-labels.csv"
		"$BIN/bin2csv" --labels "$d/te-data.rbd" | cut -d, -f1 > "$d/te-labels.csv"
		lab="$d/tr-labels.csv $d/te-labels.csv"
	fi
	"$BIN/rbm-init" --like "$run/data.rbd" -H "$HIDDEN" --seed "$s" ${label:+--labels auto} \
		-o "$d/ho-init.rbm"
	"$BIN/rbm-train" -m "$d/ho-init.rbm" -d "$d/tr-data.rbd" --missing "$d/tr-mask.rbd" --pcd \
		-e "$EPOCHS" -b 10 --chains "$CHAINS" --optimizer sgd --lr 0.01 --quiet $th -o "$d/ho.rbm"
	if [ "$HIDDEN" -le 25 ]; then exact=--exact; else exact=; fi
	logz=$("$BIN/rbm-ais" -m "$d/ho.rbm" $exact --seed "$s" --quiet $th |
		awk -F'\t' '$1 == "log_z" { print $2 }')
	"$BIN/rbm-export" -m "$d/ho.rbm" -o "$d/ho.npz"
	echo "impute.sh: $name, seed $s: held-out rows: rbm_ll indep_ll rows excluded${label:+ rbm_err logistic_err}" >&2
	pipelines/impute.py heldout "$d/ho.npz" "$logz" "$d/tr-data.csv" "$d/tr-mask.csv" \
		"$d/te-data.csv" "$d/te-mask.csv" $lab > "$d/ho.tsv"
	cat "$d/ho.tsv" >&2
	mv "$d/ho.tsv" "$run/heldout-$s.tsv"
done
cat "$run"/heldout-*.tsv | awk -F'\t' '
	{ for (i = 1; i <= NF; i++) { s[i] += $i; ss[i] += $i * $i }; nf = NF }
	END {
		split("rbm_ll indep_ll rows excluded rbm_err logistic_err", name, " ")
		printf "measure\tmean\tsd\n"
		for (i = 1; i <= nf; i++) {
			m = s[i] / NR; v = NR > 1 ? (ss[i] - NR * m * m) / (NR - 1) : 0
			printf "%s\t%.4f\t%.4f\n", name[i], m, sqrt(v > 0 ? v : 0)
		}
	}' > "$run/heldout.tsv"
cat "$run"/seed-*.tsv | awk -F'\t' -v n="$SEEDS" '
	{ for (i = 1; i <= 4; i++) { s[i] += $i; ss[i] += $i * $i } }
	END {
		split("rbm column_mode knn chained_logistic", name, " ")
		printf "method\tmean_accuracy\tsd\n"
		for (i = 1; i <= 4; i++) {
			m = s[i] / NR; v = NR > 1 ? (ss[i] - NR * m * m) / (NR - 1) : 0
			printf "%s\t%.4f\t%.4f\n", name[i], m, sqrt(v > 0 ? v : 0)
		}
	}' > "$run/result.tsv"
cat "$run/result.tsv" "$run/heldout.tsv"
