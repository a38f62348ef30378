#!/usr/bin/env bash
# bench-categorical.sh: what a categorical (Potts) model costs against its one-hot Bernoulli
# twin, the same units holding the same one-hot rows as 0/1 pixels, and both against the
# dense floor of the same products (build/bench-floor, BENCH_FLOOR). Pfam's fn3 seed (Debian's
# hmmer-examples, make deps): 84 positions of 21 states (1,764 units), its 98 sequences
# repeated to BENCH_CAT_ROWS (default 2,000) rows; 100 hidden units; an epoch of PCD-1 in
# batches of 100 and 500 Gibbs steps of 100 chains, on 1 and 2 threads. Each time the best
# of BENCH_REPS (3). Run by make bench; nothing here is asserted by a test.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${BENCH_REPS:-3}
ROWS=${BENCH_CAT_ROWS:-2000}
FLOOR=${BENCH_FLOOR:-build/bench-floor}
aln=/usr/share/doc/hmmer/examples/tutorial/fn3.sto
if [ ! -s "$aln" ]; then
	echo "bench-categorical.sh: $aln is missing: run make deps" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin/aln2bin --max-gap-col 0.5 "$aln" -o "$tmp/one.rbd" 2> /dev/null
reps=$(((ROWS + 97) / 98))
bin/rbm-rows $(for ((i = 0; i < reps; i++)); do echo "$tmp/one.rbd"; done) --first "$ROWS" \
	-o "$tmp/cat.rbd"
# the twin: each state as 21 columns of 0/1, one of them 1
bin/bin2csv "$tmp/cat.rbd" | awk -F, -v OFS=, '{
	s = ""; for (i = 1; i <= NF; i++) for (k = 0; k < 21; k++) s = s (s == "" ? "" : ",") ($i == k)
	print s }' | bin/csv2bin -o "$tmp/bin.rbd"
bin/rbm-init --like "$tmp/cat.rbd" -H 100 --seed 1 -o "$tmp/cat.rbm"
bin/rbm-init --like "$tmp/bin.rbd" -H 100 --seed 1 -o "$tmp/bin.rbm"
V=$(bin/rbm-info "$tmp/bin.rbm" | awk -F'\t' '$1 == "visible" { print $2 }')
. pipelines/bench-lib.sh
epoch() { train_time --pcd -b 100 -e 1 "$@"; } # a PCD-1 epoch in batches of 100
printf '%-40s %9s %9s %7s\n' "job ($V visible units, 100 hidden)" "tool s" "floor s" "ratio"
row() { printf '%-40s %9.3f %9.3f %7s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
for threads in 1 2; do
	f=$(floor cd 100 "$V" 100 1 $(((ROWS + 99) / 100)) "$threads")
	row "PCD-1 epoch, categorical, T=$threads" "$(epoch -m "$tmp/cat.rbm" -d "$tmp/cat.rbd" \
		--threads "$threads")" "$f"
	row "PCD-1 epoch, one-hot twin, T=$threads" "$(epoch -m "$tmp/bin.rbm" -d "$tmp/bin.rbd" \
		--threads "$threads")" "$f"
	f=$(floor gibbs 100 "$V" 100 500 1 "$threads")
	row "gibbs 500 steps, categorical, T=$threads" "$(wall_time bin/rbm-gibbs -m "$tmp/cat.rbm" \
		-n 500 -c 100 --threads "$threads" --quiet)" "$f"
	row "gibbs 500 steps, one-hot twin, T=$threads" "$(wall_time bin/rbm-gibbs -m "$tmp/bin.rbm" \
		-n 500 -c 100 --threads "$threads" --quiet)" "$f"
done
