#!/usr/bin/env bats
# The same bytes on 1, 2 and 3 threads: every training recipe, AIS, RAISE, rbm-hidden, on
# data wide enough that the products are shared among the threads (mat_gemm's blocks).
load helpers

# wide: 300 rows of 400 intensities (k/255, with structure: stripes of a random phase),
# labels 0-3, as wide.rbd; a fixed 0/1 draw of them as wide-bin.rbd; z-scores as wide-z.rbd.
wide() {
	awk 'BEGIN { srand(11); for (r = 0; r < 300; r++) { p = int(rand() * 4); line = p;
		for (i = 0; i < 400; i++) line = line "," int(255 * ((i + p) % 4 == 0 ? 0.6 + 0.4 * rand() : 0.3 * rand()));
		print line } }' > wide.csv
	csv2bin --label-column 1 --max 255 --shape 20x20 wide.csv -o wide.rbd
	awk -F, 'BEGIN { srand(12) } { line = $1; for (i = 2; i <= NF; i++) line = line "," (rand() * 255 < $i ? 1 : 0); print line }' \
		wide.csv | csv2bin --label-column 1 --shape 20x20 -o wide-bin.rbd
	rbm-standardize < wide.rbd > wide-z.rbd
}

# same NAME COMMAND...: COMMAND with --threads 1, 2 and 3 gives the same stdout, byte for byte.
same() {
	local name=$1
	shift
	for t in 1 2 3; do
		"$@" --threads "$t" > "$name.$t"
	done
	cmp "$name.1" "$name.2"
	cmp "$name.1" "$name.3"
	[ -s "$name.1" ]
}

@test "threads: every training recipe gives the same model on 1, 2 and 3 threads" {
	wide
	rbm-init --like wide.rbd -H 300 --seed 1 -o b.rbm
	rbm-init --like wide-z.rbd -H 300 --visible gaussian --seed 1 -o g.rbm
	rbm-init --like wide-z.rbd -H 300 --visible gaussian --learn-sigma --seed 1 -o gs.rbm
	rbm-init --like wide.rbd -H 300 --labels auto --seed 1 -o l.rbm
	T="-e 2 -b 100 --quiet"
	same cd1 rbm-train -d wide.rbd $T -m b.rbm
	same cd3 rbm-train -d wide.rbd $T -k 3 -m b.rbm
	same pcd-center rbm-train -d wide.rbd $T --pcd --center --optimizer momentum -m b.rbm
	same pcd-tempered rbm-train -d wide.rbd $T --pcd --tempering 3 --chains 30 -m b.rbm
	same adam rbm-train -d wide.rbd $T --optimizer adam -m b.rbm
	same binarize rbm-train -d wide.rbd $T --binarize -m b.rbm
	same gauss rbm-train -d wide-z.rbd $T --lr 0.001 -m g.rbm
	same gauss-sigma rbm-train -d wide-z.rbd $T --lr 0.001 -m gs.rbm
	for o in generative discriminative hybrid; do
		same "label-$o" rbm-train -d wide.rbd $T --objective "$o" -m l.rbm
	done
}

@test "threads: AIS, RAISE, rbm-hidden, rbm-gibbs and rbm-classify give the same bytes on 1, 2 and 3 threads" {
	wide
	rbm-init --like wide.rbd -H 300 --seed 1 | rbm-train -d wide.rbd -e 2 -b 100 --quiet --threads 2 > t.rbm
	rbm-init --like wide.rbd -H 300 --labels auto --seed 1 |
		rbm-train -d wide.rbd -e 2 -b 100 --objective hybrid --quiet --threads 2 > l.rbm
	same ais rbm-ais -m t.rbm -d wide-bin.rbd --base wide-bin.rbd --runs 20 --betas-scale 0.02 --quiet \
		--raise --rows 40
	same hidden rbm-hidden -m t.rbm -d wide.rbd
	same hidden-sample rbm-hidden -m t.rbm -d wide.rbd --sample --seed 3
	same down rbm-hidden --down -m t.rbm -d hidden.1
	same gibbs rbm-gibbs -m t.rbm -n 50 -c 20 --quiet
	same classify rbm-classify -m l.rbm -d wide.rbd
	same pll rbm-pll -m t.rbm -d wide-bin.rbd
}
