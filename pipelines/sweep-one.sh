#!/usr/bin/env bash
# sweep-one.sh OUT K LR HIDDEN EPOCHS DATA VALID_ROWS KEY [TAG OPTIONS TRAIN INIT SCORE
# VALID_DATA "AIS_RUNS AIS_SCALE"]: one run of the sweep, under OUT/runs/: trained on DATA
# less its last VALID_ROWS rows, measured on those rows (the validation split, never trained
# on). SCORE pll (the default) keeps the rows' pseudo-log-likelihoods in valid_pll.txt (the
# same pixel of each row for every point: paired); ais keeps each row's -F(v) - log Z in
# valid_ll.txt, of the same rows of VALID_DATA, log Z by AIS from a base fitted to
# VALID_DATA's training rows, and log Z's standard error in log_z_se.txt. TAG ('-' for none)
# names the point's set of OPTIONS ('-' for none) and TRAIN the recipe, both given to
# rbm-train after the grid's settings; INIT to rbm-init. Prints TAG and its TSV row: k lr
# hidden epochs score score_se recon_err fe_gap seconds. The split is made once per host into
# OUT/split/KEY-*.rbd. Runs where sweep.sh sends it (this machine, or a host over ssh with
# the repository at the same path).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1 k=$2 lr=$3 h=$4 epochs=$5 data=$6 valid=$7 key=$8
tag=${9:--} options=${10:--} train_opts=${11:-} init_opts=${12:-} score=${13:-pll}
vdata=${14:-$data} ais=${15:-100 1}
[ "$options" != - ] || options=
rows=$(bin/rbm-info "$data" | awk -F'\t' '$1 == "rows" { print $2 }')
mkdir -p "$out/split"
train=$out/split/$key-train.rbd held=$out/split/$key-valid.rbd
# written whole or not at all: two jobs that make them at once write the same bytes
[ -s "$train" ] || bin/rbm-rows --first $((rows - valid)) "$data" -o "$train"
[ -s "$held" ] || bin/rbm-rows --last "$valid" "$vdata" -o "$held"
dir=$out/runs/k$k-lr$lr-h$h-e$epochs$([ "$tag" = - ] || echo "-$tag")
mkdir -p "$dir"
rm -f "$dir/log.tsv.tmp"
start=$(date +%s.%N)
# shellcheck disable=SC2086 # the options are words
bin/rbm-init --like "$train" -H "$h" --seed 1 $init_opts |
	bin/rbm-train -d "$train" --eval "$held" -k "$k" --lr "$lr" -e "$epochs" -b 100 \
		--eval-every "$epochs" $train_opts $options --log "$dir/log.tsv.tmp" --threads 1 \
		--quiet -o "$dir/model.rbm"
mv "$dir/log.tsv.tmp" "$dir/log.tsv"
end=$(date +%s.%N)
if [ "$score" = pll ]; then
	values=$dir/valid_pll.txt
	bin/rbm-pll -m "$dir/model.rbm" -d "$held" --intensities --per-sample --seed 1 --threads 1 > "$values"
else
	values=$dir/valid_ll.txt
	base=$out/split/$key-vtrain.rbd
	[ -s "$base" ] || bin/rbm-rows --first $((rows - valid)) "$vdata" -o "$base"
	read -r runs scale <<< "$ais"
	bin/rbm-ais -m "$dir/model.rbm" -d "$held" --base "$base" --runs "$runs" --betas-scale "$scale" \
		--seed 1 --threads 1 --quiet --per-row "$values" |
		awk -F'\t' '$1 == "log_z" { z = $2 } $1 == "log_z_lo" { lo = $2 }
			END { printf "%.6f\n", (z - lo) / 3 }' > "$dir/log_z_se.txt"
fi
# the held-out score and its standard error from the rows' values; recon_err (6) and fe_gap
# (9) from the last log row
value=$(awk '{ s += $1; ss += $1 * $1; n++ } END { m = s / n; printf "%.6f\t%.6f", m, sqrt((ss / n - m * m) / (n - 1)) }' \
	"$values")
tail -n 1 "$dir/log.tsv" | awk -F'\t' -v k="$k" -v lr="$lr" -v h="$h" -v e="$epochs" -v pll="$value" \
	-v s="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" -v t="$tag" \
	'BEGIN { OFS = "\t" } { print t, k, lr, h, e, pll, $6, $9, s }'
