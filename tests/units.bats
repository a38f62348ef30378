#!/usr/bin/env bats
# Unit types across the tools: Gaussian visible units on real values, a label group.
load helpers

# gauss: z.rbd, the gray bars standardized (real values, labelled), and g.rbm, a Gaussian
# RBM trained on them briefly.
gauss() {
	bars
	gray
	rbm-standardize < gray.rbd > z.rbd
	rbm-init --like z.rbd --visible gaussian -H 6 --w-std 0.01 --seed 2 |
		rbm-train -d z.rbd -e 20 -b 8 --lr 0.01 --optimizer momentum --quiet -o g.rbm
}

@test "units: rbm-init makes Gaussian and labelled models, rbm-info names the types" {
	bars
	gray
	rbm-standardize < gray.rbd > z.rbd
	rbm-init --like z.rbd --visible gaussian -H 4 > g.rbm
	run rbm-info g.rbm
	[[ "$output" == *"visible_type	gaussian"* ]]
	[[ "$output" == *"sigma	fixed"* ]]
	[[ "$output" == *"sigma_min	1"* ]]
	rbm-init --like gray.rbd --visible gaussian --sigma data --learn-sigma -H 4 > s.rbm
	run rbm-info s.rbm
	[[ "$output" == *"sigma	learned"* ]]
	rbm-init --like bars.rbd --labels auto -H 4 > l.rbm
	run rbm-info l.rbm
	[[ "$output" == *"visible	18"* ]]
	[[ "$output" == *"label_group	2"* ]]
	[[ "$output" == *"shape	4x4"* ]]
	# Bernoulli models without labels are still version 1, byte for byte as before.
	rbm-init -V 16 -H 3 --seed 4 | head -c 12 | od -An -tu4 | grep -q '^ *[0-9]* *[0-9]* *1$'
}

@test "units: refusals name the problem, exit 1 or 2, write nothing" {
	bars
	gray
	rbm-standardize < gray.rbd > z.rbd
	fails_cleanly 2 "--visible: 'poisson' is neither" rbm-init --visible poisson -V 4
	fails_cleanly 2 "--sigma and --learn-sigma are for --visible gaussian" rbm-init -V 4 --sigma 2
	fails_cleanly 2 "--labels: 1 is out of range" rbm-init -V 4 --labels 1
	fails_cleanly 2 "--labels auto takes the labels of --like DATA" rbm-init -V 4 --labels auto
	rbm-init -V 16 -H 3 > b.rbm
	fails_cleanly 1 "real values need Gaussian visible units" rbm-train -d z.rbd -e 1 -o out.rbm < b.rbm
	fails_cleanly 1 "z.rbd: real values need Gaussian visible units" rbm-init --like z.rbd -o out.rbm
	rbm-init --like z.rbd --visible gaussian -H 3 > g.rbm
	fails_cleanly 2 "--center is for binary visible units" rbm-train -d z.rbd -e 1 --center -o out.rbm < g.rbm
	fails_cleanly 2 "--binarize is for binary visible units" rbm-train -d z.rbd -e 1 --binarize -o out.rbm < g.rbm
	fails_cleanly 1 "pseudo-likelihood is for binary visible units" rbm-pll -d z.rbd < g.rbm
	rbm-init -V 16 -H 3 --labels 2 > l.rbm
	mnist2bin bars.idx -o nolabels.rbd
	fails_cleanly 1 "no labels, and the model has a label group of 2" rbm-train -d nolabels.rbd -e 1 -o out.rbm < l.rbm
	rbm-init -V 16 -H 3 --labels 3 > l3.rbm
	printf '\x00\x00\x08\x01\x00\x00\x00\x20' > big.lab
	for i in $(seq 32); do printf '\x05'; done >> big.lab
	mnist2bin --labels big.lab bars.idx -o big.rbd
	fails_cleanly 1 "row 0: label 5 is outside the model's label group (0..2)" rbm-pll -d big.rbd < l3.rbm
	fails_cleanly 1 "big.rbd: row 0: label 5 is outside" rbm-init --like big.rbd --labels 3 -o out.rbm
	[ ! -e out.rbm ]
}

@test "units: a Gaussian RBM trains, samples real values, and AIS matches exact log Z" {
	gauss
	run rbm-info g.rbm
	[[ "$output" == *"epoch	20"* ]]
	rbm-gibbs -n 50 -c 7 --seed 3 < g.rbm > s1.rbd
	rbm-gibbs -n 50 -c 7 --seed 3 < g.rbm > s2.rbd
	cmp s1.rbd s2.rbd
	run rbm-info s1.rbd
	[[ "$output" == *"type	float32 real"* ]]
	[[ "$output" == *"rows	7"* ]]
	bin2csv s1.rbd | grep -q -- '-' # real values, some negative
	rbm-gibbs -n 50 -c 7 --mean --seed 3 < g.rbm | rbm-standardize --inverse --from gray.rbd |
		bin2pgm --range 0:1 > s.pgm
	[ -s s.pgm ]
	exact=$(rbm-ais --exact < g.rbm | awk '$1 == "log_z" { print $2 }')
	rbm-ais --runs 100 --betas-scale 0.2 --quiet -d z.rbd --base z.rbd < g.rbm > ais.tsv
	awk -F'\t' -v z="$exact" '$1 == "log_z_lo" { lo = $2 } $1 == "log_z_hi" { hi = $2 }
		$1 == "ll_kind" { kind = $2 }
		END { if (!(lo <= z && z <= hi) || kind != "density") { print lo, z, hi, kind; exit 1 } }' ais.tsv
	# Features and the way down work for Gaussian units too; the way down gives real means.
	rbm-hidden -m g.rbm -d z.rbd > f.rbd
	rbm-hidden --down -m g.rbm -d f.rbd > back.rbd
	run rbm-info back.rbd
	[[ "$output" == *"type	float32 real"* ]]
	[[ "$output" == *"cols	16"* ]]
	# The training log has no pseudo-likelihood for Gaussian units: NA, not a number.
	rbm-init --like z.rbd --visible gaussian -H 3 | rbm-train -d z.rbd --eval z.rbd -e 2 --log log.tsv --quiet > /dev/null
	[ "$(awk -F'\t' 'NR == 2 { print $4, $5, $7 != "NA" }' log.tsv)" = "NA NA 1" ]
}

@test "units: a label group trains with PCD and centering, samples labels, resumes exactly" {
	bars
	rbm-init --like bars.rbd --labels auto -H 8 --seed 5 > l.rbm
	rbm-train -d bars.rbd -e 4 -b 8 --pcd --center --lr 0.05 --quiet < l.rbm > l4.rbm
	rbm-train -d bars.rbd -e 2 -b 8 --pcd --center --lr 0.05 --quiet < l.rbm |
		rbm-train -d bars.rbd -e 4 --quiet > l22.rbm
	cmp l4.rbm l22.rbm
	rbm-gibbs -n 20 -c 6 < l4.rbm > s.rbd
	run rbm-info s.rbd
	[[ "$output" == *"labels	yes"* ]]
	[[ "$output" == *"cols	16"* ]]
	[ -z "$(bin2csv --labels s.rbd | cut -d, -f1 | grep -vx '[01]')" ]
	rbm-pll --exact -d bars.rbd < l4.rbm | grep -Eq '^pll	-[0-9.]+$'
	exact=$(rbm-ais --exact < l4.rbm | awk '$1 == "log_z" { print $2 }')
	rbm-ais --runs 100 --betas-scale 0.2 --quiet --base bars.rbd < l4.rbm |
		awk -F'\t' -v z="$exact" '$1 == "log_z_lo" { lo = $2 } $1 == "log_z_hi" { hi = $2 }
			END { if (!(lo <= z && z <= hi)) { print lo, z, hi; exit 1 } }'
	rbm-filters < l4.rbm > f.rbd
	run rbm-info f.rbd
	[[ "$output" == *"cols	16"* ]]
	rbm-export < l4.rbm > l.npz
}

@test "units: version-1 model files written before unit types read as Bernoulli and write back byte for byte" {
	bars
	for f in adam-pcd-center momentum; do
		m="$BATS_TEST_DIRNAME/fuzz/corpus/model/$f.rbm"
		[ "$(head -c 12 "$m" | od -An -tu4 | awk '{ print $3 }')" = 1 ]
		rbm-info "$m" | grep -q 'visible_type	bernoulli'
		rbm-train -d bars.rbd -e 1 --quiet < "$m" > out.rbm 2> /dev/null
		cmp "$m" out.rbm
	done
}

@test "units: real values too far for a Gaussian unit's arithmetic are refused by every tool, naming the row" {
	printf '1,2,3,4\n3e38,-3e38,3e38,-3e38\n' | csv2bin --real -o big.rbd
	printf '1,2,3,4\n0,1,0,-1\n' | csv2bin --real -o ok.rbd
	rbm-init --like ok.rbd --visible gaussian --sigma 0.01 -H 4 -o g.rbm
	why="big.rbd: row 1, column 1: 3e+38 is 3e+40 standard deviations of its Gaussian unit (sigma 0.01) from 0"
	fails_cleanly 1 "$why" rbm-ais -m g.rbm -d big.rbd --exact
	fails_cleanly 1 "$why" rbm-hidden -m g.rbm -d big.rbd -o h.rbd
	fails_cleanly 1 "$why" rbm-train -m g.rbm -d big.rbd -e 1 -o t.rbm
	fails_cleanly 1 "$why" rbm-train -m g.rbm -d ok.rbd --eval big.rbd -e 1 -o t.rbm
	fails_cleanly 1 "$why" rbm-gibbs -m g.rbm --init big.rbd -n 2 -c 2
	fails_cleanly 1 "big.rbd: row 1, column 1: 3e+38 is 3e+38 standard deviations" rbm-init --like big.rbd --visible gaussian -H 4
	no_file h.rbd
	no_file t.rbm
	# within reach, every number printed is finite
	rbm-ais -m g.rbm -d ok.rbd --exact > ais.txt
	run ! grep -qi nan ais.txt
}
