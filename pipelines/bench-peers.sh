#!/usr/bin/env bash
# bench-peers.sh: rbm-train against scikit-learn's BernoulliRBM (Debian's python3-sklearn),
# side by side in one run: one epoch of PCD-1 (scikit-learn's only algorithm) at the same
# hidden size and batch, on the same MNIST rows, at 1 and 2 threads. Prints the times and
# scikit-learn / rbmtools. Needs make data; installs python3-sklearn when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-12000}
IMG=data/raw/train-images-idx3-ubyte
[ -f "$IMG" ] || { echo "bench-peers.sh: run make data first" >&2; exit 1; }
/usr/bin/python3 -c 'import sklearn' 2>/dev/null ||
	{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-sklearn; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin/mnist2bin --limit "$ROWS" "$IMG" -o "$tmp/d.rbd"

echo "one epoch of PCD-1 on $ROWS MNIST rows; sklearn $(/usr/bin/python3 -c 'import sklearn; print(sklearn.__version__)')"
printf '%-22s %12s %12s %8s\n' "job" "rbmtools s" "sklearn s" "ratio"
for threads in 1 2; do
	for h in 500 1000; do
		b=100
		bin/rbm-init --like "$tmp/d.rbd" -H "$h" -o "$tmp/m.rbm"
		rm -f "$tmp/log.tsv"
		bin/rbm-train -m "$tmp/m.rbm" -d "$tmp/d.rbd" --pcd -k 1 -b "$b" --lr 0.01 -e 1 \
			--monitor-rows 1 --threads "$threads" --log "$tmp/log.tsv" --quiet -o "$tmp/t.rbm"
		ours=$(awk -F'\t' 'NR == 2 { print $3 }' "$tmp/log.tsv")
		theirs=$(OMP_NUM_THREADS=$threads /usr/bin/python3 pipelines/peers.py "$IMG" "$ROWS" "$h" "$b" "$threads")
		printf '%-22s %12.3f %12.3f %8.2f\n' "H=$h B=$b T=$threads" "$ours" "$theirs" \
			"$(awk -v a="$theirs" -v b="$ours" 'BEGIN { print a / b }')"
	done
done
