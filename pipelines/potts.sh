#!/usr/bin/env bash
# potts.sh: a Potts RBM of a Pfam seed alignment, under runs/NAME/ (default runs/potts):
# Pfam's fn3 seed (98 sequences, Debian's hmmer-examples) through aln2bin (columns over half
# gaps dropped), shuffled by a seed and split into TRAIN training and the rest held-out
# sequences. The independent-sites model (rbm-init --hidden 1 --w-std 0: every hidden weight
# 0) at its best pseudo-count, and the RBM at its best penalty (weight decay, or Tubiana et
# al.'s --l1-squared), each chosen on the last VALID training sequences held out from a first
# fit, then refitted on every training sequence. Reports (result.tsv, samples.tsv):
#   - the held-out log-likelihood per sequence of both, exact (rbm-ais --exact: HIDDEN <= 20
#     hidden units are enumerated);
#   - how well samples reproduce the held-out sequences' single-site frequencies and
#     connected pair correlations (Pearson r), for Gibbs chains from noise (plain and
#     tempered), for exact samples of the RBM (pipelines/potts.py enumerates its hidden
#     states) and for the independent-sites model; the Gibbs samples against 20,000 exact
#     ones too, beside as many other exact samples as there are chains (the comparison's
#     noise floor): chains trapped in a mode would fall short of that floor;
#   - logo.png: the weights of the first hidden units as state x column tables.
# Resumable: what is written is kept; settings in runs/NAME/settings (FRESH=1 starts anew).
#   HIDDEN (default 16), EPOCHS (500), TRAIN (74), VALID (14), CHAINS (1000), STEPS (2000),
#   SEED (1), FIT_CHAINS (20) and REPLICAS (5): training's persistent chains, tempered (plain
#   chains, 10 of them, left the gap state of the last columns up to 0.32 off the training
#   frequencies: trapped in one mode of the gaps), THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
aln=/usr/share/doc/hmmer/examples/tutorial/fn3.sto
[ -s "$aln" ] || { echo "potts.sh: $aln is missing: run make deps (hmmer-examples)" >&2; exit 1; }
run=runs/${RUN:-potts}
THREADS=${THREADS:-}
HIDDEN=${HIDDEN:-16} EPOCHS=${EPOCHS:-500} TRAIN=${TRAIN:-74} VALID=${VALID:-14}
CHAINS=${CHAINS:-1000} STEPS=${STEPS:-2000} SEED=${SEED:-1}
FIT_CHAINS=${FIT_CHAINS:-20} REPLICAS=${REPLICAS:-5}
settings "$run" "HIDDEN=$HIDDEN" "EPOCHS=$EPOCHS" "TRAIN=$TRAIN" "VALID=$VALID" \
	"CHAINS=$CHAINS" "STEPS=$STEPS" "SEED=$SEED" "FIT_CHAINS=$FIT_CHAINS" "REPLICAS=$REPLICAS"
th=${THREADS:+--threads $THREADS}
ll() { "$BIN/rbm-ais" -m "$1" -d "$2" --exact $th | awk -F'\t' '$1 == "avg_ll" { print $2 }'; }
# fit MODEL_OUT DATA PENALTY: the RBM's recipe (plain SGD, tempered persistent chains) with
# the penalty option PENALTY (weight-decay=X or l1-squared=X)
fit() {
	"$BIN/rbm-init" --like "$2" -H "$HIDDEN" --seed "$SEED" |
		"$BIN/rbm-train" -d "$2" --pcd --chains "$FIT_CHAINS" --tempering "$REPLICAS" -b 10 \
			--optimizer sgd --lr 0.01 -e "$EPOCHS" "--$3" --quiet $th -o "$1"
}

if [ ! -s "$run/test.rbd" ]; then
	"$BIN/aln2bin" --max-gap-col 0.5 "$aln" | "$BIN/rbm-rows" --shuffle --seed "$SEED" -o "$run/all.rbd"
	"$BIN/rbm-rows" --first "$TRAIN" "$run/all.rbd" -o "$run/train.rbd"
	"$BIN/rbm-rows" --first $((TRAIN - VALID)) "$run/train.rbd" -o "$run/fit.rbd"
	"$BIN/rbm-rows" --skip $((TRAIN - VALID)) "$run/train.rbd" -o "$run/valid.rbd"
	"$BIN/rbm-rows" --skip "$TRAIN" "$run/all.rbd" -o "$run/test.rbd"
fi

# the choices on the validation rows, each written as it is made
if [ ! -s "$run/choice.tsv" ]; then
	: > "$run/choice.tmp"
	for a in 0.1 0.3 1 3; do
		"$BIN/rbm-init" --like "$run/fit.rbd" -H 1 --w-std 0 --pseudocount "$a" -o "$run/c.rbm"
		printf 'pseudocount\t%s\t%s\n' "$a" "$(ll "$run/c.rbm" "$run/valid.rbd")" >> "$run/choice.tmp"
	done
	for pen in weight-decay=0.03 weight-decay=0.1 weight-decay=0.3 l1-squared=0.0001 \
		l1-squared=0.0003 l1-squared=0.001; do
		fit "$run/c.rbm" "$run/fit.rbd" "$pen"
		printf 'penalty\t%s\t%s\n' "$pen" "$(ll "$run/c.rbm" "$run/valid.rbd")" >> "$run/choice.tmp"
	done
	rm -f "$run/c.rbm"
	mv "$run/choice.tmp" "$run/choice.tsv"
fi
best() { awk -F'\t' -v k="$1" '$1 == k && (b == "" || $3 > v) { b = $2; v = $3 } END { print b }' "$run/choice.tsv"; }
pc=$(best pseudocount) pen=$(best penalty)
echo "potts.sh: pseudo-count $pc, $pen (chosen on $VALID validation sequences)" >&2
[ -s "$run/independent.rbm" ] ||
	"$BIN/rbm-init" --like "$run/train.rbd" -H 1 --w-std 0 --pseudocount "$pc" -o "$run/independent.rbm"
[ -s "$run/model.rbm" ] || fit "$run/model.rbm" "$run/train.rbd" "$pen"

if [ ! -s "$run/result.tsv" ]; then
	{
		printf 'model\ttrain_ll\theld_out_ll\n'
		printf 'rbm_%s_hidden\t%s\t%s\n' "$HIDDEN" "$(ll "$run/model.rbm" "$run/train.rbd")" \
			"$(ll "$run/model.rbm" "$run/test.rbd")"
		printf 'independent_sites\t%s\t%s\n' "$(ll "$run/independent.rbm" "$run/train.rbd")" \
			"$(ll "$run/independent.rbm" "$run/test.rbd")"
	} > "$run/result.tmp"
	mv "$run/result.tmp" "$run/result.tsv"
fi

if [ ! -s "$run/samples.tsv" ]; then
	g() { "$BIN/rbm-gibbs" -m "$1" -n "$STEPS" -c "$CHAINS" --seed "$SEED" $th "${@:2}" | "$BIN/bin2csv"; }
	g "$run/model.rbm" > "$run/plain.csv"
	g "$run/model.rbm" --tempering 8 --base "$run/train.rbd" > "$run/tempered.csv"
	g "$run/independent.rbm" > "$run/independent.csv"
	"$BIN/rbm-export" -m "$run/model.rbm" -o "$run/model.npz"
	pipelines/potts.py exact "$run/model.npz" 20000 "$SEED" "$run/exact.csv"
	# as many exact samples as chains: the noise floor of a comparison with CHAINS samples
	pipelines/potts.py exact "$run/model.npz" "$CHAINS" $((SEED + 1)) "$run/exact-small.csv"
	"$BIN/bin2csv" "$run/test.rbd" > "$run/test.csv"
	{
		echo "# against the held-out sequences"
		pipelines/potts.py compare "$run/test.csv" 21 rbm_plain="$run/plain.csv" \
			rbm_tempered="$run/tempered.csv" rbm_exact="$run/exact.csv" \
			independent="$run/independent.csv"
		echo "# against the RBM's exact samples"
		pipelines/potts.py compare "$run/exact.csv" 21 rbm_plain="$run/plain.csv" \
			rbm_tempered="$run/tempered.csv" rbm_exact_as_many="$run/exact-small.csv"
	} > "$run/samples.tmp"
	mv "$run/samples.tmp" "$run/samples.tsv"
fi
[ -s "$run/logo.png" ] || "$BIN/rbm-filters" -m "$run/model.rbm" --symmetric |
	"$BIN/rbm-rows" --first 4 | "$BIN/bin2pgm" --cols 1 --scale 6 --pad 2 | to_png "$run/logo.png"
column -t "$run/result.tsv"
column -t "$run/samples.tsv"
