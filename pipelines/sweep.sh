#!/usr/bin/env bash
# sweep.sh: GNU parallel over a grid of CD steps k, learning rate, hidden units and (SWEEP_X)
# sets of other options; one training run per point (pipelines/sweep-one.sh), under
# runs/sweep/ (SWEEP_OUT). Points are trained on SWEEP_DATA less its last SWEEP_VALID rows
# (default a sixth) and ranked by their score on those held-out rows, never by the test set:
# by default the pseudo-log-likelihood (rbm-pll --intensities: the rows as they are, as the
# training log's PLL and the original project score them); with SWEEP_SCORE=ais the
# log-likelihood, -F(v) - log Z with log Z by AIS (SWEEP_AIS_RUNS runs, SWEEP_AIS_SCALE
# times the default temperatures), of the same rows of SWEEP_VALID_DATA (0/1 rows: for
# MNIST data/train-bin.rbd beside data/train.rbd), the AIS base fitted to its training rows.
#   results.tsv  one row per point of the grid asked for, best first: k lr hidden epochs
#                valid_pll valid_pll_se (valid_ll, valid_ll_se with ais) vs_best vs_best_se
#                recon_err fe_gap seconds (and options, with SWEEP_X), where vs_best is the
#                point's held-out score less the best's, row by row (the same rows and
#                pixels: paired), with the standard error of those differences (with ais,
#                the two log Z's standard errors added in quadrature: the rows share them)
#   chosen.tsv   the best point's test score on SWEEP_EVAL, with its standard error: the one
#                number of the test set the sweep reports
#   sweep.png    held-out score (with error bars) against each swept setting
#   done.tsv     every run ever finished here, by its settings and its data's checksums
#                (of the files' contents): a point already there is not run again, so a
#                changed grid runs only its new points
#   joblog       GNU parallel's job log (which host ran what, exit status, time)
# The grid: SWEEP_K, SWEEP_LR, SWEEP_H, SWEEP_EPOCHS, and SWEEP_X: sets of rbm-train options
# separated by ';' (e.g. "--chains 100; --chains 200 --ladders 20"), each a point of its own.
# SWEEP_TRAIN: rbm-train options of every run, after the grid's own (a recipe to vary:
# "--pcd --center --binarize ..."); SWEEP_INIT: rbm-init's (after -H and --seed 1).
# SWEEP_DATA and SWEEP_EVAL the data.
# SSHLOGINFILE=hosts spreads the runs over the machines listed there (GNU parallel's
# --sshloginfile: one [N/]host a line); each needs this repository at the same path, built,
# with the data at the same paths. SWEEP_SSH: the ssh command to reach them (default ssh).
set -euo pipefail
cd "$(dirname "$0")/.."
case ${SWEEP_SCORE:-pll} in
pll | ais) ;;
*) echo "sweep.sh: SWEEP_SCORE=$SWEEP_SCORE: pll or ais" >&2; exit 2 ;;
esac
out=${SWEEP_OUT:-runs/sweep}
mkdir -p "$out"
out=$(cd "$out" && pwd) # the same path on every host
K=${SWEEP_K:-"1 2"}
LR=${SWEEP_LR:-"0.01 0.05"}
H=${SWEEP_H:-"100 250"}
EPOCHS=${SWEEP_EPOCHS:-3}
DATA=$(realpath "${SWEEP_DATA:-data/train.rbd}")
EVAL=$(realpath "${SWEEP_EVAL:-data/test.rbd}")
SCORE=${SWEEP_SCORE:-pll}
TRAIN=${SWEEP_TRAIN:-} INIT=${SWEEP_INIT:-}
AIS="${SWEEP_AIS_RUNS:-100} ${SWEEP_AIS_SCALE:-1}"
case $SCORE in
pll) VDATA=$DATA ;;
ais) VDATA=$(realpath "${SWEEP_VALID_DATA:-$DATA}") ;;
esac
rows=$(bin/rbm-info "$DATA" | awk -F'\t' '$1 == "rows" { print $2 }')
VALID=${SWEEP_VALID:-$(( rows / 6 > 0 ? rows / 6 : 1 ))}
if [ "$VALID" -ge "$rows" ]; then
	echo "sweep.sh: SWEEP_VALID=$VALID leaves no rows of $DATA ($rows) to train on" >&2
	exit 1
fi
if [ "$VDATA" != "$DATA" ] && [ "$(bin/rbm-info "$VDATA" | awk -F'\t' '$1 == "rows" { print $2 }')" != "$rows" ]; then
	echo "sweep.sh: SWEEP_VALID_DATA=$VDATA is not $rows rows, as SWEEP_DATA is: it must be the same rows" >&2
	exit 1
fi
# Results are kept by their settings and their data's content (its checksum, not its path):
# another data set, or the same file written over with other data, is another run. A recipe
# (SWEEP_TRAIN, SWEEP_INIT) or a score other than the default's is part of the key.
dkey=$(md5sum < "$DATA" | cut -c1-16)$(md5sum < "$EVAL" | cut -c1-16)-v$VALID
if [ -n "$TRAIN$INIT" ] || [ "$SCORE" != pll ]; then
	vsum=$([ "$SCORE" = ais ] && md5sum < "$VDATA" | cut -c1-16 || true)
	dkey=$dkey-o$(printf '%s\n' "$TRAIN" "$INIT" "$SCORE" "$vsum" "$([ "$SCORE" = ais ] && echo "$AIS")" |
		md5sum | cut -c1-12)
fi
touch "$out/done.tsv"
# SWEEP_X's sets, each with its tag (the first 8 hex digits of its md5; none for no options)
xs=()
IFS=';' read -r -a xs <<< "${SWEEP_X:-}"
[ ${#xs[@]} -gt 0 ] || xs=("")
# '-' for none, in the tab-separated lines below (where an empty field would vanish)
xtag() { if [ -z "$1" ]; then echo -; else echo "x$(echo "$1" | md5sum | cut -c1-8)"; fi; }
suffix() { [ "$1" = - ] || printf -- '-%s' "$1"; } # of a point's key and directory

# The grid's points as "k<TAB>lr<TAB>hidden<TAB>tag<TAB>options", and those not done yet; a
# point's key is the sweep's with its tag.
grid=$(for k in $K; do for lr in $LR; do for h in $H; do for x in "${xs[@]}"; do
	x=$(echo $x) # spaces squeezed: the same options, the same point
	printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$lr" "$h" "$(xtag "$x")" "${x:--}"
done; done; done; done)
done_point() {
	awk -F'\t' -v d="$dkey$(suffix "$4")" -v k="$1" -v lr="$2" -v h="$3" -v e="$EPOCHS" \
		'$1 == d && $2 == k && $3 == lr && $4 == h && $5 == e { f = 1 } END { exit !f }' "$out/done.tsv"
}
todo=$(echo "$grid" | while IFS=$'\t' read -r k lr h tag x; do
	done_point "$k" "$lr" "$h" "$tag" || printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$lr" "$h" "$tag" "$x"
done)
echo "sweep.sh: $(echo "$grid" | wc -l) points, $(echo "$todo" | grep -c . || true) to run" >&2

name=$([ "$SCORE" = pll ] && echo pll || echo ll) # of the score's columns and files
vfile=valid_$name.txt
where=(-j "$(nproc)")
if [ -n "${SSHLOGINFILE:-}" ]; then # each run's model and held-out values come back here
	tagged='{=4 $_ = $_ eq "-" ? "" : "-$_" =}' # the tag as the directory has it
	point="$out/runs/k{1}-lr{2}-h{3}-e$EPOCHS$tagged"
	where=(--sshloginfile "$SSHLOGINFILE" --workdir "$PWD" --ssh "${SWEEP_SSH:-ssh}"
		--return "$point/model.rbm" --return "$point/$vfile")
	[ "$SCORE" = pll ] || where+=(--return "$point/log_z_se.txt")
	# OpenBLAS's choice of kernels, where this machine's environment makes it, made there too:
	# other kernels round otherwise, and the hosts' numbers would differ in their last digits
	for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
		[ -n "${!v:-}" ] && where+=(--env "$v")
	done
fi
# One thread per run: runs, not threads, fill the cores. Each finished run's row is kept
# at once, so a failure or an interruption loses only the runs in flight.
if [ -n "$todo" ]; then
	echo "$todo" | parallel -q --will-cite "${where[@]}" --colsep '\t' --joblog +"$out/joblog" \
		--halt now,fail=1 pipelines/sweep-one.sh "$out" {1} {2} {3} "$EPOCHS" "$DATA" "$VALID" \
		"$dkey" {4} {5} "$TRAIN" "$INIT" "$SCORE" "$VDATA" "$AIS" |
		while IFS=$'\t' read -r tag row; do printf '%s\t%s\n' "$dkey$(suffix "$tag")" "$row" >> "$out/done.tsv"; done
fi

# Exactly the grid asked for, best held-out score first, each against the best row by row.
withx=$([ -n "$(echo ${SWEEP_X:-})" ] && echo 1 || true)
lzse() { cat "$1/log_z_se.txt" 2> /dev/null || echo 0; }
{
	printf 'k\tlr\thidden\tepochs\tvalid_%s\tvalid_%s_se\tvs_best\tvs_best_se\trecon_err\tfe_gap\tseconds%s\n' \
		"$name" "$name" "${withx:+	options}"
	echo "$grid" | while IFS=$'\t' read -r k lr h tag x; do
		awk -F'\t' -v d="$dkey$(suffix "$tag")" -v k="$k" -v lr="$lr" -v h="$h" -v e="$EPOCHS" -v t="$tag" -v x="$x" 'BEGIN { OFS = "\t" }
			$1 == d && $2 == k && $3 == lr && $4 == h && $5 == e { r = $0 } END { sub(/^[^\t]*\t/, "", r); print r, t, x }' \
			"$out/done.tsv"
	done | sort -t "$(printf '\t')" -k5,5gr > "$out/ranked.tmp"
	best=$(head -n 1 "$out/ranked.tmp" | awk -F'\t' -v o="$out" '{ print o "/runs/k" $1 "-lr" $2 "-h" $3 "-e" $4 ($10 == "-" ? "" : "-" $10) }')
	while IFS=$'\t' read -r k lr h e score se recon gap secs tag x; do
		dir=$out/runs/k$k-lr$lr-h$h-e$e$(suffix "$tag")
		vs=$(paste "$dir/$vfile" "$best/$vfile" | awk -v a="$(lzse "$dir")" -v b="$(lzse "$best")" -v same="$([ "$dir" = "$best" ] && echo 1)" '
			{ d = $1 - $2; s += d; ss += d * d; n++ }
			END { m = s / n; v = n > 1 ? (ss / n - m * m) / (n - 1) : 0
			      if (!same) v += a * a + b * b
			      printf "%.6f\t%.6f", m, sqrt(v > 0 ? v : 0) }')
		[ "$x" != - ] || x=
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%s\n' "$k" "$lr" "$h" "$e" "$score" "$se" "$vs" \
			"$recon" "$gap" "$secs" "${withx:+	$x}"
	done < "$out/ranked.tmp"
	rm -f "$out/ranked.tmp"
} > "$out/results.tsv.tmp"
mv "$out/results.tsv.tmp" "$out/results.tsv"

# The test set, once: the chosen point's model on SWEEP_EVAL, its rows' values in test.tmp
# (and with ais, log Z's standard error, which every row shares, in lz).
lz=0
if [ "$SCORE" = pll ]; then
	bin/rbm-pll -m "$best/model.rbm" -d "$EVAL" --intensities --per-sample --seed 1 > "$out/test.tmp"
else
	read -r runs scale <<< "$AIS"
	base=$out/split/$dkey-vtrain.rbd # made where the points ran, which may be other hosts
	[ -s "$base" ] || bin/rbm-rows --first $((rows - VALID)) "$VDATA" -o "$base"
	lz=$(bin/rbm-ais -m "$best/model.rbm" -d "$EVAL" --base "$base" --runs "$runs" \
		--betas-scale "$scale" --seed 1 --quiet --per-row "$out/test.tmp" |
		awk -F'\t' '$1 == "log_z" { z = $2 } $1 == "log_z_lo" { lo = $2 } END { print (z - lo) / 3 }')
fi
awk -v p="$(sed -n 2p "$out/results.tsv" | cut -f1-4)" -v name="$name" -v lz="$lz" '
	{ s += $1; ss += $1 * $1; n++ }
	END { m = s / n; printf "k\tlr\thidden\tepochs\ttest_%s\ttest_%s_se\n%s\t%.6f\t%.6f\n", name, name, p, m,
	      sqrt((ss / n - m * m) / (n - 1) + lz * lz) }' "$out/test.tmp" > "$out/chosen.tsv.tmp"
rm -f "$out/test.tmp"
mv "$out/chosen.tsv.tmp" "$out/chosen.tsv"

# Score against each setting; the points of one setting's value spread by the others.
# (gnuplot warns of a one-value axis, as a grid with one k has: not worth a line)
gnuplot > "$out/sweep.png.tmp" 2> >(grep -v "^Warning: empty . range" >&2) <<-GNUPLOT
	set terminal pngcairo size 1500,450 font ",10"
	set datafile separator "\t"
	set key off
	set grid
	set ylabel "held-out $([ "$SCORE" = pll ] && echo PLL || echo "log-likelihood") (nats per image), ± 1 standard error"
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
