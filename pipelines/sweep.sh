#!/usr/bin/env bash
# sweep.sh: GNU parallel over a grid of CD steps k, learning rate and hidden units; one
# training run per point (pipelines/sweep-one.sh), under runs/sweep/ (SWEEP_OUT). Points are
# trained on SWEEP_DATA less its last SWEEP_VALID rows (default a sixth) and ranked by their
# pseudo-log-likelihood of those held-out rows, never by the test set (rbm-pll --intensities:
# the rows as they are, as the training log's PLL and the original project score them):
#   results.tsv  one row per point of the grid asked for, best first: k lr hidden epochs
#                valid_pll valid_pll_se vs_best vs_best_se recon_err fe_gap seconds, where
#                vs_best is the point's held-out PLL less the best's, row by row (the same
#                rows and pixels: paired), with the standard error of those differences
#   chosen.tsv   the best point's test PLL on SWEEP_EVAL, with its standard error: the one
#                number of the test set the sweep reports
#   sweep.png    held-out PLL (with error bars) against each swept setting
#   done.tsv     every run ever finished here, by its settings and its data's checksums
#                (of the files' contents): a point already there is not run again, so a
#                changed grid runs only its new points
#   joblog       GNU parallel's job log (which host ran what, exit status, time)
# The grid: SWEEP_K, SWEEP_LR, SWEEP_H, SWEEP_EPOCHS; SWEEP_DATA and SWEEP_EVAL the data.
# SSHLOGINFILE=hosts spreads the runs over the machines listed there (GNU parallel's
# --sshloginfile: one [N/]host a line); each needs this repository at the same path, built,
# with the data at the same paths. SWEEP_SSH: the ssh command to reach them (default ssh).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${SWEEP_OUT:-runs/sweep}
mkdir -p "$out"
out=$(cd "$out" && pwd) # the same path on every host
K=${SWEEP_K:-"1 2"}
LR=${SWEEP_LR:-"0.01 0.05"}
H=${SWEEP_H:-"100 250"}
EPOCHS=${SWEEP_EPOCHS:-3}
DATA=$(realpath "${SWEEP_DATA:-data/train.rbd}")
EVAL=$(realpath "${SWEEP_EVAL:-data/test.rbd}")
rows=$(bin/rbm-info "$DATA" | awk -F'\t' '$1 == "rows" { print $2 }')
VALID=${SWEEP_VALID:-$(( rows / 6 > 0 ? rows / 6 : 1 ))}
if [ "$VALID" -ge "$rows" ]; then
	echo "sweep.sh: SWEEP_VALID=$VALID leaves no rows of $DATA ($rows) to train on" >&2
	exit 1
fi
# Results are kept by their settings and their data's content (its checksum, not its path):
# another data set, or the same file written over with other data, is another run.
dkey=$(md5sum < "$DATA" | cut -c1-16)$(md5sum < "$EVAL" | cut -c1-16)-v$VALID
touch "$out/done.tsv"

# The grid's points as "k lr hidden", and those not done yet.
grid=$(for k in $K; do for lr in $LR; do for h in $H; do echo "$k $lr $h"; done; done; done)
todo=$(echo "$grid" | while read -r k lr h; do
	awk -F'\t' -v d="$dkey" -v k="$k" -v lr="$lr" -v h="$h" -v e="$EPOCHS" \
		'$1 == d && $2 == k && $3 == lr && $4 == h && $5 == e { f = 1 } END { exit !f }' \
		"$out/done.tsv" || echo "$k $lr $h"
done)
echo "sweep.sh: $(echo "$grid" | wc -l) points, $(echo "$todo" | grep -c . || true) to run" >&2

where=(-j "$(nproc)")
if [ -n "${SSHLOGINFILE:-}" ]; then # each run's model and held-out values come back here
	point="$out/runs/k{1}-lr{2}-h{3}-e$EPOCHS"
	where=(--sshloginfile "$SSHLOGINFILE" --workdir "$PWD" --ssh "${SWEEP_SSH:-ssh}"
		--return "$point/model.rbm" --return "$point/valid_pll.txt")
	# OpenBLAS's choice of kernels, where this machine's environment makes it, made there too:
	# other kernels round otherwise, and the hosts' numbers would differ in their last digits
	for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
		[ -n "${!v:-}" ] && where+=(--env "$v")
	done
fi
# One thread per run: runs, not threads, fill the cores. Each finished run's row is kept
# at once, so a failure or an interruption loses only the runs in flight.
if [ -n "$todo" ]; then
	echo "$todo" | parallel --will-cite "${where[@]}" --colsep ' ' --joblog +"$out/joblog" \
		--halt now,fail=1 pipelines/sweep-one.sh "$out" {1} {2} {3} "$EPOCHS" "$DATA" "$VALID" "$dkey" |
		while IFS= read -r row; do printf '%s\t%s\n' "$dkey" "$row" >> "$out/done.tsv"; done
fi

# Exactly the grid asked for, best held-out PLL first, each against the best row by row.
{
	printf 'k\tlr\thidden\tepochs\tvalid_pll\tvalid_pll_se\tvs_best\tvs_best_se\trecon_err\tfe_gap\tseconds\n'
	echo "$grid" | while read -r k lr h; do
		awk -F'\t' -v d="$dkey" -v k="$k" -v lr="$lr" -v h="$h" -v e="$EPOCHS" 'BEGIN { OFS = "\t" }
			$1 == d && $2 == k && $3 == lr && $4 == h && $5 == e { r = $0 } END { sub(/^[^\t]*\t/, "", r); print r }' \
			"$out/done.tsv"
	done | sort -t "$(printf '\t')" -k5,5gr > "$out/ranked.tmp"
	best=$(head -n 1 "$out/ranked.tmp" | awk -F'\t' -v o="$out" '{ print o "/runs/k" $1 "-lr" $2 "-h" $3 "-e" $4 }')
	while IFS=$'\t' read -r k lr h e pll se recon gap secs; do
		vs=$(paste "$out/runs/k$k-lr$lr-h$h-e$e/valid_pll.txt" "$best/valid_pll.txt" | awk '
			{ d = $1 - $2; s += d; ss += d * d; n++ }
			END { m = s / n; printf "%.6f\t%.6f", m, (n > 1 ? sqrt((ss / n - m * m) / (n - 1)) : 0) }')
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$lr" "$h" "$e" "$pll" "$se" "$vs" \
			"$recon" "$gap" "$secs"
	done < "$out/ranked.tmp"
	rm -f "$out/ranked.tmp"
} > "$out/results.tsv.tmp"
mv "$out/results.tsv.tmp" "$out/results.tsv"

# The test set, once: the chosen point's model on SWEEP_EVAL.
bin/rbm-pll -m "$best/model.rbm" -d "$EVAL" --intensities --per-sample --seed 1 | awk -v p="$(sed -n 2p "$out/results.tsv" | cut -f1-4)" '
	{ s += $1; ss += $1 * $1; n++ }
	END { m = s / n; printf "k\tlr\thidden\tepochs\ttest_pll\ttest_pll_se\n%s\t%.6f\t%.6f\n", p, m, sqrt((ss / n - m * m) / (n - 1)) }' \
	> "$out/chosen.tsv.tmp"
mv "$out/chosen.tsv.tmp" "$out/chosen.tsv"

# Score against each setting; the points of one setting's value spread by the others.
# (gnuplot warns of a one-value axis, as a grid with one k has: not worth a line)
gnuplot > "$out/sweep.png.tmp" 2> >(grep -v "^Warning: empty . range" >&2) <<-GNUPLOT
	set terminal pngcairo size 1500,450 font ",10"
	set datafile separator "\t"
	set key off
	set grid
	set ylabel "held-out PLL (nats per image), ± 1 standard error"
	set multiplot layout 1,3 title "sweep: $EPOCHS epochs, $(echo "$grid" | wc -l) points"
	set offsets graph 0.1, graph 0.1, 0, 0
	set xlabel "k (CD steps)"
	plot "$out/results.tsv" using 1:5:6 skip 1 with yerrorbars pt 7
	set xlabel "learning rate"
	set logscale x
	plot "" using 2:5:6 skip 1 with yerrorbars pt 7
	unset logscale x
	set xlabel "hidden units"
	plot "" using 3:5:6 skip 1 with yerrorbars pt 7
	unset multiplot
GNUPLOT
mv "$out/sweep.png.tmp" "$out/sweep.png"
column -t "$out/results.tsv"
echo "sweep.sh: the chosen point on the test set ($EVAL):"
column -t "$out/chosen.tsv"
