#!/usr/bin/env bash
# sweep-one.sh OUT K LR HIDDEN EPOCHS DATA VALID_ROWS KEY: one run of the sweep, under
# OUT/runs/: trained on DATA less its last VALID_ROWS rows, measured on those rows (the
# validation split, never trained on), whose pseudo-log-likelihoods row by row it keeps in
# valid_pll.txt (the same pixel of each row for every point: paired). Prints its TSV row:
# k lr hidden epochs valid_pll valid_pll_se recon_err fe_gap seconds. The split is made once
# per host into OUT/split/KEY-*.rbd. Runs where sweep.sh sends it (this machine, or a host
# over ssh with the repository at the same path).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1 k=$2 lr=$3 h=$4 epochs=$5 data=$6 valid=$7 key=$8
rows=$(bin/rbm-info "$data" | awk -F'\t' '$1 == "rows" { print $2 }')
mkdir -p "$out/split"
train=$out/split/$key-train.rbd held=$out/split/$key-valid.rbd
# written whole or not at all: two jobs that make them at once write the same bytes
[ -s "$train" ] || bin/rbm-rows --first $((rows - valid)) "$data" -o "$train"
[ -s "$held" ] || bin/rbm-rows --last "$valid" "$data" -o "$held"
dir=$out/runs/k$k-lr$lr-h$h-e$epochs
mkdir -p "$dir"
rm -f "$dir/log.tsv.tmp"
start=$(date +%s.%N)
bin/rbm-init --like "$train" -H "$h" --seed 1 |
	bin/rbm-train -d "$train" --eval "$held" -k "$k" --lr "$lr" -e "$epochs" -b 100 \
		--eval-every "$epochs" --log "$dir/log.tsv.tmp" --threads 1 --quiet -o "$dir/model.rbm"
mv "$dir/log.tsv.tmp" "$dir/log.tsv"
end=$(date +%s.%N)
bin/rbm-pll -m "$dir/model.rbm" -d "$held" --intensities --per-sample --seed 1 --threads 1 > "$dir/valid_pll.txt"
# the held-out PLL and its standard error from the rows' values; recon_err (6) and fe_gap
# (9) from the last log row
pll=$(awk '{ s += $1; ss += $1 * $1; n++ } END { m = s / n; printf "%.6f\t%.6f", m, sqrt((ss / n - m * m) / (n - 1)) }' \
	"$dir/valid_pll.txt")
tail -n 1 "$dir/log.tsv" | awk -F'\t' -v k="$k" -v lr="$lr" -v h="$h" -v e="$epochs" -v pll="$pll" \
	-v s="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" \
	'BEGIN { OFS = "\t" } { print k, lr, h, e, pll, $6, $9, s }'
