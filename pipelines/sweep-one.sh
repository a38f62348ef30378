#!/usr/bin/env bash
# sweep-one.sh K LR HIDDEN EPOCHS DATA EVAL: one run of the sweep; prints its TSV row.
set -euo pipefail
cd "$(dirname "$0")/.."
k=$1 lr=$2 h=$3 epochs=$4 data=$5 eval=$6
dir=${SWEEP_OUT:-runs/sweep}/k$k-lr$lr-h$h
mkdir -p "$dir"
rm -f "$dir/log.tsv.tmp"
start=$(date +%s.%N)
bin/rbm-init --like "$data" -H "$h" --seed 1 |
	bin/rbm-train -d "$data" --eval "$eval" -k "$k" --lr "$lr" -e "$epochs" -b 100 \
		--eval-every "$epochs" --log "$dir/log.tsv.tmp" --threads 1 --quiet -o "$dir/model.rbm"
mv "$dir/log.tsv.tmp" "$dir/log.tsv"
end=$(date +%s.%N)
# the last log row: test_pll (5), recon_err (6), fe_gap (9)
tail -n 1 "$dir/log.tsv" | awk -F'\t' -v k="$k" -v lr="$lr" -v h="$h" -v e="$epochs" \
	-v s="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" 'BEGIN { OFS = "\t" } { print k, lr, h, e, $5, $6, $9, s }'
