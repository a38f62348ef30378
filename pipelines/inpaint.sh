#!/usr/bin/env bash
# inpaint.sh: complete the lower half of test digits from the upper half with a run's model
# (rbm-gibbs --clamp), against filling it with the training set's mean pixel.
#   RUN (default ll): runs/RUN/model.rbm, an RBM of MNIST's pixels.
#   ROWS (default 100, a multiple of 10) test digits, the first of MNIST's test set; the upper HELD (default 14)
#   of their 28 pixel rows (the images' height) held at their intensities, the rest sampled:
#   a burn-in of BURN (default 500) steps, then p(v|h) averaged over SNAPS (default 20)
#   snapshots EVERY (default 25) steps apart, the completion's estimate of each hidden
#   pixel's mean. THREADS.
# Two numbers for each way of filling in the hidden pixels: their mean squared error against
# the true intensities, and the error of a classifier (runs/mixing-classifier, trained once)
# on the filled-in digits; the original digits' classifier error beside them.
# Writes runs/RUN/inpaint/: result.tsv (method, pixel_mse, classifier_error), grid.png (for
# each 10 digits a row of originals, a row with the lower part hidden (gray), and a row of
# completions), and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
BIN=bin
RUN=${RUN:-ll}
run=runs/$RUN
ROWS=${ROWS:-100} HELD=${HELD:-14} BURN=${BURN:-500} SNAPS=${SNAPS:-20} EVERY=${EVERY:-25}
THREADS=${THREADS:-} # empty: each tool chooses, as by default (leaving busy cores alone)
out=$run/inpaint
cls=runs/mixing-classifier
model=$run/model.rbm

if [ ! -s "$model" ]; then
	echo "inpaint.sh: $run has no model.rbm (make $RUN)" >&2
	exit 1
fi
if [ $((ROWS % 10)) -ne 0 ] || [ "$ROWS" -lt 10 ]; then
	echo "inpaint.sh: ROWS=$ROWS: give a multiple of 10 (the grid's rows of 10)" >&2
	exit 2
fi
read -r H W < <("$BIN/rbm-info" data/test.rbd | awk -F'\t' '$1 == "shape" { split($2, s, "x"); print s[1], s[2] }')
if [ "$HELD" -lt 1 ] || [ "$HELD" -ge "$H" ]; then
	echo "inpaint.sh: HELD=$HELD: hold 1 to $((H - 1)) of the $H pixel rows" >&2
	exit 2
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
digit_classifier "$cls" "$THREADS"
cut=$((HELD * W)) n=$((H * W)) # the pixels held: 1..cut of each row's n
# bin2csv writes intensities as whole numbers 0..255, binary states as 0 and 1
max=1
"$BIN/rbm-info" data/test.rbd | grep -q '^type	u8' && max=255

# The digits, the mask (1: held), and the training set's mean pixel (rbm-standardize's
# shifts are the columns' means).
"$BIN/rbm-rows" --first "$ROWS" data/test.rbd -o "$tmp/digits.rbd"
awk -v cut="$cut" -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), (i <= cut); print "" }' |
	"$BIN/csv2bin" --shape "${H}x$W" -o "$tmp/mask.rbd"
"$BIN/rbm-standardize" --save "$tmp/stats.rbd" data/train.rbd > /dev/null
"$BIN/bin2csv" "$tmp/stats.rbd" | sed -n 1p > "$tmp/mean.csv"

# The completions: SNAPS snapshots of p(v|h) after the burn-in (the film's step 0, the
# sampled states the burn-in left, is skipped), averaged per digit. Labels ride along.
"$BIN/rbm-gibbs" -m "$model" --init "$tmp/digits.rbd" --clamp "$tmp/mask.rbd" \
	--burn-in "$BURN" -n $((SNAPS * EVERY)) --every "$EVERY" --mean --seed 1 \
	${THREADS:+--threads "$THREADS"} --quiet -o "$tmp/film.rbd"
"$BIN/bin2csv" --labels "$tmp/film.rbd" |
	awk -F, -v n="$ROWS" 'NR > n { d = (NR - 1) % n; lab[d] = $1; for (i = 2; i <= NF; i++) s[d, i] += $i; k[d]++ }
		END { for (d = 0; d < n; d++) { printf "%d", lab[d]; for (i = 2; i <= NF; i++) printf ",%.6g", s[d, i] / k[d]; print "" } }' |
	"$BIN/csv2bin" --label-column 1 --shape "${H}x$W" -o "$tmp/completed.rbd"

# The baseline (the hidden pixels at the mean pixel) and the digits as shown, lower part gray.
"$BIN/bin2csv" --labels "$tmp/digits.rbd" > "$tmp/digits.csv"
fill() { # fill VALUE-OF-PIXEL-i-EXPRESSION: the digits' CSV with the hidden pixels replaced
	awk -F, -v cut="$cut" -v OFS=, "NR == FNR { for (i = 1; i <= NF; i++) m[i] = \$i; next }
		{ for (i = cut + 2; i <= NF; i++) \$i = $1; print }" "$tmp/mean.csv" "$tmp/digits.csv"
}
# (in the digits' CSV's units: csv2bin --max stores values that are not whole as float32
# value / max)
fill "sprintf(\"%.6g\", $max * m[i - 1])" | "$BIN/csv2bin" --label-column 1 --max $max --shape "${H}x$W" -o "$tmp/mean.rbd"
fill "$max / 2" | "$BIN/csv2bin" --label-column 1 --max $max --shape "${H}x$W" -o "$tmp/hidden.rbd"

# pixel_mse FILE: the mean squared error of FILE's hidden pixels against the digits'.
pixel_mse() {
	paste -d, <("$BIN/bin2csv" "$1") <(cut -d, -f2- "$tmp/digits.csv") |
		awk -F, -v cut="$cut" -v n="$n" -v max="$max" '{ for (i = cut + 1; i <= n; i++) { e = $i - $(i + n) / max; s += e * e; k++ } }
			END { printf "%.5f", s / k }'
}
cls_error() {
	"$BIN/rbm-classify" -m "$cls/model.rbm" -d "$1" --error ${THREADS:+--threads "$THREADS"} |
		awk -F'\t' '$1 == "error" { print $2 }'
}
{
	printf 'method\tpixel_mse\tclassifier_error\n'
	printf 'original\t0\t%s\n' "$(cls_error "$tmp/digits.rbd")"
	printf 'mean_pixel\t%s\t%s\n' "$(pixel_mse "$tmp/mean.rbd")" "$(cls_error "$tmp/mean.rbd")"
	printf 'rbm_completion\t%s\t%s\n' "$(pixel_mse "$tmp/completed.rbd")" "$(cls_error "$tmp/completed.rbd")"
} > "$out/result.tsv.tmp"
mv "$out/result.tsv.tmp" "$out/result.tsv"

# The grid: for each 10 digits, originals, hidden, completed.
parts=()
for ((g = 0; g < ROWS; g += 10)); do
	for f in digits hidden completed; do
		"$BIN/rbm-rows" --skip "$g" --first 10 "$tmp/$f.rbd" -o "$tmp/$f-$g.rbd"
		parts+=("$tmp/$f-$g.rbd")
	done
done
"$BIN/bin2pgm" --cols 10 --scale 2 "${parts[@]}" | to_png "$out/grid.png"
echo "inpaint.sh: $ROWS test digits, the upper $HELD of $H pixel rows held, by $model"
column -t -s $'\t' "$out/result.tsv"
echo "inpaint.sh: the grid in $out/grid.png (rows: original, hidden, completed)"
