#!/usr/bin/env bash
# sweep.sh: GNU parallel over a grid of CD steps k, learning rate and hidden units; one
# training run per point, one TSV row of results per run in runs/sweep/results.tsv, and
# parallel's job log in runs/sweep/joblog. Resumable: finished runs are not run again.
# SSHLOGINFILE=hosts spreads the runs over the machines listed there (parallel's
# --sshloginfile); each needs this repository at the same path, built, with make data.
# The grid: SWEEP_K, SWEEP_LR, SWEEP_H, SWEEP_EPOCHS (defaults below); SWEEP_DATA,
# SWEEP_EVAL and SWEEP_OUT choose the data and where results go.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${SWEEP_OUT:-runs/sweep}
export SWEEP_OUT=$out
mkdir -p "$out"
K=${SWEEP_K:-"1 2"}
LR=${SWEEP_LR:-"0.01 0.05"}
H=${SWEEP_H:-"100 250"}
EPOCHS=${SWEEP_EPOCHS:-3}
DATA=${SWEEP_DATA:-data/train.rbd}
EVAL=${SWEEP_EVAL:-data/test.rbd}

where=(-j "$(nproc)")
if [ -n "${SSHLOGINFILE:-}" ]; then
	where=(--sshloginfile "$SSHLOGINFILE" --workdir "$PWD")
fi
# One thread per run: runs, not threads, fill the cores.
parallel --will-cite "${where[@]}" --joblog "$out/joblog" --resume --results "$out/jobs" --halt now,fail=1 \
	pipelines/sweep-one.sh {1} {2} {3} "$EPOCHS" "$DATA" "$EVAL" ::: $K ::: $LR ::: $H > /dev/null

{
	printf 'k\tlr\thidden\tepochs\ttest_pll\trecon_err\tfe_gap\tseconds\n'
	find "$out/jobs" -name stdout -exec cat {} + | sort -t "$(printf '\t')" -k1,1n -k2,2g -k3,3n
} > "$out/results.tsv.tmp"
mv "$out/results.tsv.tmp" "$out/results.tsv"
column -t "$out/results.tsv"
