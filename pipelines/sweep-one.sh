#!/usr/bin/env bash
# sweep-one.sh OUT K LR HIDDEN EPOCHS DATA EVAL: one run of the sweep, under OUT/runs/; prints
# its TSV row: k lr hidden epochs test_pll test_pll_se recon_err fe_gap seconds. Runs where
# sweep.sh sends it (this machine, or a host over ssh with the repository at the same path).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1 k=$2 lr=$3 h=$4 epochs=$5 data=$6 eval=$7
dir=$out/runs/k$k-lr$lr-h$h-e$epochs
mkdir -p "$dir"
rm -f "$dir/log.tsv.tmp"
start=$(date +%s.%N)
bin/rbm-init --like "$data" -H "$h" --seed 1 |
	bin/rbm-train -d "$data" --eval "$eval" -k "$k" --lr "$lr" -e "$epochs" -b 100 \
		--eval-every "$epochs" --log "$dir/log.tsv.tmp" --threads 1 --quiet -o "$dir/model.rbm"
mv "$dir/log.tsv.tmp" "$dir/log.tsv"
end=$(date +%s.%N)
# the last log row: test_pll (5), recon_err (6), fe_gap (9), test_pll_se (11)
tail -n 1 "$dir/log.tsv" | awk -F'\t' -v k="$k" -v lr="$lr" -v h="$h" -v e="$epochs" \
	-v s="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" \
	'BEGIN { OFS = "\t" } { print k, lr, h, e, $5, $11, $6, $9, s }'
