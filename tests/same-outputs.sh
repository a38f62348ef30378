#!/usr/bin/env bash
# same-outputs.sh: the md5 of every tool's output for fixed seeds on real MNIST, on 1 and 2
# threads, so that a refactor can prove it changed no byte.
#   tests/same-outputs.sh record FILE    write the sums (one 'name<TAB>md5' line each)
#   tests/same-outputs.sh compare FILE   run again and list every output whose sum differs;
#                                        exit 1 when one does
# Needs bin/ built and make data (data/raw's IDX files), and make deps for the categorical
# models (fn3.sto, soybean.arff; left out without them); about three minutes on two cores.
# THREAD_COUNTS (default "1 2") sets the thread counts tried.
set -euo pipefail
mode=${1:?usage: same-outputs.sh record|compare FILE}
sums=$(realpath -m "${2:?usage: same-outputs.sh record|compare FILE}")
cd "$(dirname "$0")/.."
case $mode in record | compare) ;; *) echo "same-outputs.sh: unknown mode '$mode'" >&2; exit 2 ;; esac
B=$PWD/bin RAW=$PWD/data/raw
[ -s "$RAW/train-images-idx3-ubyte" ] || { echo "same-outputs.sh: needs make data" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/sums
cd "$tmp"

# 2000 training rows (intensities, and a fixed binarization), 500 test rows, labelled.
"$B/mnist2bin" --limit 2000 --labels "$RAW/train-labels-idx1-ubyte" \
	"$RAW/train-images-idx3-ubyte" -o tr.rbd
"$B/mnist2bin" --limit 2000 --binarize sample --seed 7 --labels "$RAW/train-labels-idx1-ubyte" \
	"$RAW/train-images-idx3-ubyte" -o trb.rbd
"$B/mnist2bin" --limit 500 --binarize sample --seed 8 --labels "$RAW/t10k-labels-idx1-ubyte" \
	"$RAW/t10k-images-idx3-ubyte" -o teb.rbd
"$B/rbm-standardize" < tr.rbd > trz.rbd

cat=
fn3=/usr/share/doc/hmmer/examples/tutorial/fn3.sto soy=$B/../data/weka/soybean.arff
if [ -s "$fn3" ] && [ -s "$soy" ]; then
	cat=1
	"$B/aln2bin" --max-gap-col 0.5 --weights-out fn3.w "$fn3" -o fn3.rbd 2> /dev/null
	"$B/arff2bin" --label class --missing soym.rbd -o soy.rbd "$soy"
else
	echo "same-outputs.sh: no fn3.sto or soybean.arff (make deps): categorical models left out" >&2
fi
sum() { printf '%s\t%s\n' "$1" "$(md5sum < "$2" | cut -d' ' -f1)" >> "$out"; }
# train NAME INIT-OPTIONS -- TRAIN-OPTIONS: a model from rbm-init and rbm-train
train() {
	local name=$1; shift
	local init=()
	while [ "$1" != -- ]; do init+=("$1"); shift; done
	shift
	"$B/rbm-init" "${init[@]}" -o "$name.init"
	# --optimizer sgd: the default before 0.2, so the sums of older trees still compare
	"$B/rbm-train" -m "$name.init" --quiet --threads "$T" --optimizer sgd "$@" -o "$name.rbm"
	sum "$name" "$name.rbm"
}

for T in ${THREAD_COUNTS:-1 2}; do
	echo "same-outputs.sh: $T thread(s)" >&2
	train "cd1-t$T" --like tr.rbd -H 100 --seed 1 -- -d tr.rbd -k 1 -e 2 -b 100 --lr 0.05
	train "cd25-t$T" --like trb.rbd -H 100 --seed 2 -- -d trb.rbd -k 25 -e 1 -b 100 --lr 0.05
	train "pcd-center-t$T" --like tr.rbd -H 200 --w-std 0.01 --hb-mean 0 --seed 3 -- -d tr.rbd \
		--binarize -k 1 --pcd --center -e 3 --optimizer momentum --lr 0.01 -b 100
	train "adam-t$T" --like tr.rbd -H 100 --seed 4 -- -d tr.rbd -k 3 -e 2 --optimizer adam \
		--lr 0.01 -b 200
	train "binarize-t$T" --like tr.rbd -H 100 --seed 5 -- -d tr.rbd --binarize -k 2 -e 2 -b 50 \
		--lr 0.05
	train "gauss-t$T" --like trz.rbd --visible gaussian -H 100 --w-std 0.01 --seed 6 -- \
		-d trz.rbd -k 1 -e 2 -b 100 --lr 0.001
	train "gauss-sigma-t$T" --like trz.rbd --visible gaussian --learn-sigma -H 50 \
		--w-std 0.01 --seed 6 -- -d trz.rbd -k 2 -e 1 -b 100 --lr 0.0001
	train "tpcd-t$T" --like tr.rbd -H 100 --seed 12 -- -d tr.rbd --binarize -k 1 --pcd \
		--tempering 4 --center -e 2 --optimizer momentum --lr 0.01 -b 100
	for obj in generative discriminative hybrid; do
		k=(-k 1)
		[ $obj = discriminative ] && k=()
		train "label-$obj-t$T" --like trb.rbd --labels auto -H 100 --seed 7 -- -d trb.rbd \
			--objective "$obj" "${k[@]}" -e 2 -b 100 --lr 0.05
	done
	m=pcd-center-t$T.rbm
	for k in auto dense binary delta; do
		"$B/rbm-gibbs" -m "$m" -n 300 -c 60 --seed 9 --quiet --kernel $k --threads "$T" > g.rbd
		sum "gibbs-$k-t$T" g.rbd
	done
	"$B/rbm-gibbs" -m "$m" -n 200 -c 50 --mean --every 100 --quiet --threads "$T" > g.rbd
	sum "gibbs-mean-every-t$T" g.rbd
	"$B/rbm-gibbs" -m "gauss-t$T.rbm" -n 50 -c 20 --mean --quiet --threads "$T" > g.rbd
	sum "gibbs-gauss-t$T" g.rbd
	"$B/rbm-gibbs" -m "label-hybrid-t$T.rbm" -n 50 -c 20 --init trb.rbd --quiet --threads "$T" > g.rbd
	sum "gibbs-label-t$T" g.rbd
	"$B/rbm-gibbs" -m "$m" -n 300 -c 10 --tempering 4 --adapt 100 --base trb.rbd --every 100 \
		--burn-in 50 --quiet --threads "$T" > g.rbd
	sum "gibbs-temper-t$T" g.rbd
	"$B/rbm-rows" --first 1 < teb.rbd > mask.rbd
	"$B/rbm-gibbs" -m "$m" -n 100 -c 5 --init teb.rbd --clamp mask.rbd --mean --every 50 --quiet \
		--threads "$T" > g.rbd
	sum "gibbs-clamp-t$T" g.rbd
	"$B/rbm-ais" -m "$m" -d teb.rbd --base trb.rbd --runs 40 --betas-scale 0.05 --quiet \
		--threads "$T" > a.txt
	sum "ais-t$T" a.txt
	"$B/rbm-ais" -m "$m" -d teb.rbd --base trb.rbd --runs 40 --betas-scale 0.05 --quiet \
		--kernel delta --threads "$T" > a.txt
	sum "ais-delta-t$T" a.txt
	"$B/rbm-ais" -m "label-generative-t$T.rbm" -d teb.rbd --base trb.rbd --runs 20 \
		--betas-scale 0.02 --quiet --threads "$T" > a.txt
	sum "ais-label-t$T" a.txt
	"$B/rbm-ais" -m "gauss-t$T.rbm" -d trz.rbd --base trz.rbd --runs 20 --betas-scale 0.02 \
		--quiet --threads "$T" > a.txt
	sum "ais-gauss-t$T" a.txt
	"$B/rbm-init" --like trb.rbd -H 14 --seed 11 -o tiny.init
	"$B/rbm-train" -m tiny.init -d trb.rbd -k 1 -e 1 --lr 0.05 --optimizer sgd -b 200 --quiet --threads "$T" -o tiny.rbm
	"$B/rbm-ais" -m tiny.rbm -d teb.rbd --exact --threads "$T" > a.txt
	sum "ais-exact-t$T" a.txt
	"$B/rbm-ais" -m "$m" -d teb.rbd --base trb.rbd --runs 20 --betas-scale 0.02 --raise \
		--raise-runs 3 --rows 40 --by-label --quiet --threads "$T" > a.txt
	sum "ais-raise-t$T" a.txt
	"$B/rbm-pll" -m "$m" -d teb.rbd --threads "$T" > p.txt
	"$B/rbm-pll" -m "$m" -d teb.rbd --exact --per-sample --threads "$T" >> p.txt
	"$B/rbm-pll" -m "label-hybrid-t$T.rbm" -d teb.rbd --exact --threads "$T" >> p.txt
	sum "pll-t$T" p.txt
	"$B/rbm-hidden" -m "$m" -d teb.rbd --threads "$T" > h.rbd
	sum "hidden-t$T" h.rbd
	"$B/rbm-hidden" -m "$m" -d h.rbd --down --threads "$T" > h2.rbd
	sum "hidden-down-t$T" h2.rbd
	"$B/rbm-classify" -m "label-hybrid-t$T.rbm" -d teb.rbd --error --threads "$T" > c.txt
	"$B/rbm-classify" -m "label-discriminative-t$T.rbm" -d teb.rbd --threads "$T" >> c.txt
	sum "classify-t$T" c.txt
	"$B/rbm-filters" -m "$m" > f.rbd
	sum "filters-t$T" f.rbd
	"$B/rbm-export" -m "$m" -o e.npz
	sum "export-t$T" e.npz
	[ -n "$cat" ] || continue
	# Categorical segments (issue 38): Pfam's fn3 as 21-state positions, soybean with
	# missing entries and its class as the label group.
	train "potts-pcd-t$T" --like fn3.rbd -H 30 --seed 13 -- -d fn3.rbd --pcd -k 1 -e 3 -b 20 \
		--lr 0.02 --weights fn3.w --l1-squared 0.01
	train "potts-tpcd-t$T" --like fn3.rbd -H 30 --seed 14 -- -d fn3.rbd --pcd --tempering 3 \
		--center -e 2 -b 20 --lr 0.02
	train "potts-cd-t$T" --like fn3.rbd -H 20 --seed 15 -- -d fn3.rbd -k 2 -e 2 -b 10 --lr 0.05
	train "soy-missing-t$T" --like soy.rbd --labels auto -H 30 --seed 16 -- -d soy.rbd \
		--missing soym.rbd --pcd -e 3 -b 10 --lr 0.01
	train "soy-hybrid-t$T" --like soy.rbd --labels auto -H 30 --seed 17 -- -d soy.rbd \
		--objective hybrid -k 1 -e 3 -b 10 --lr 0.01
	p=potts-pcd-t$T.rbm
	"$B/rbm-gibbs" -m "$p" -n 200 -c 30 --seed 9 --every 100 --quiet --threads "$T" > g.rbd
	sum "cat-gibbs-t$T" g.rbd
	"$B/rbm-gibbs" -m "$p" -n 100 -c 10 --tempering 3 --every 50 --quiet --threads "$T" > g.rbd
	sum "cat-gibbs-temper-t$T" g.rbd
	"$B/rbm-gibbs" -m "soy-missing-t$T.rbm" -n 60 -c 1 --init soy.rbd --clamp soym.rbd --mean \
		--every 30 --quiet --threads "$T" > g.rbd
	sum "cat-gibbs-clamp-t$T" g.rbd
	"$B/rbm-ais" -m "$p" -d fn3.rbd --base fn3.rbd --runs 20 --betas-scale 0.02 --raise \
		--raise-runs 2 --rows 20 --quiet --threads "$T" > a.txt
	sum "cat-ais-t$T" a.txt
	"$B/rbm-pll" -m "$p" -d fn3.rbd --threads "$T" > p.txt
	"$B/rbm-pll" -m "soy-hybrid-t$T.rbm" -d soy.rbd --exact --threads "$T" >> p.txt
	sum "cat-pll-t$T" p.txt
	"$B/rbm-hidden" -m "$p" -d fn3.rbd --threads "$T" > h.rbd
	"$B/rbm-hidden" -m "$p" -d h.rbd --down --threads "$T" >> h.rbd
	sum "cat-hidden-t$T" h.rbd
	"$B/rbm-classify" -m "soy-hybrid-t$T.rbm" -d soy.rbd --error --threads "$T" > c.txt
	sum "cat-classify-t$T" c.txt
	"$B/rbm-filters" -m "$p" > f.rbd
	sum "cat-filters-t$T" f.rbd
done

if [ "$mode" = record ]; then
	cp "$out" "$sums"
	echo "same-outputs.sh: $(wc -l < "$out") sums recorded in $sums"
	exit 0
fi
if diff <(sort "$sums") <(sort "$out") > "$tmp/diff"; then
	echo "same-outputs.sh: all $(wc -l < "$out") outputs byte-identical"
else
	grep '^>' "$tmp/diff" | cut -f1 | sed 's/^> /differs: /'
	exit 1
fi
