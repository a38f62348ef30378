#!/usr/bin/env bats
# Pipelines: the tools composed as the README composes them.
load helpers

@test "pipeline: rbm-init | rbm-train | rbm-gibbs | bin2pgm gives a valid PGM" {
	bars
	rbm-init --like bars.rbd -H 8 --seed 2 | rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 |
		rbm-gibbs -n 100 -c 16 --mean | bin2pgm --cols 4 --scale 2 > grid.pgm
	run pamfile grid.pgm
	[ "$status" -eq 0 ]
	[[ "$output" == *"PGM raw, 37 by 37"* ]]
}

@test "pipeline: a failing stage leaves the next stages with a clear error, not garbage" {
	bars
	run bash -c 'set -o pipefail; rbm-train -d nope.rbd < bars-init.rbm | rbm-gibbs -n 2 | bin2pgm > g.pgm'
	[ "$status" -ne 0 ]
	[[ "$output" == *"rbm-train: nope.rbd: No such file or directory"* ]]
	[[ "$output" == *"rbm-gibbs: <stdin>: empty file"* ]]
}

@test "pipeline: trained on bars and stripes, the sampler's patterns are mostly bars or stripes" {
	bars
	rbm-train -d bars.rbd -k 5 -e 400 -b 8 --lr 0.05 --optimizer momentum --quiet < bars-init.rbm > t.rbm
	rbm-gibbs -n 200 -c 200 < t.rbm > s.rbd
	# Every valid pattern has all four rows equal or all four columns equal.
	good=$(tail -c +41 s.rbd | head -c 3200 | od -An -v -tu1 -w16 | awk '
		{ rows = ($1==$2 && $2==$3 && $3==$4 && $5==$6 && $6==$7 && $7==$8 && $9==$10 && $10==$11 && $11==$12 && $13==$14 && $14==$15 && $15==$16)
		  cols = ($1==$5 && $5==$9 && $9==$13 && $2==$6 && $6==$10 && $10==$14 && $3==$7 && $7==$11 && $11==$15 && $4==$8 && $8==$12 && $12==$16)
		  if (rows || cols) n++ } END { print n + 0 }')
	echo "valid patterns: $good of 200"
	# Untrained, about 200 * 30/65536 are valid; a learned model makes most of them valid.
	[ "$good" -gt 100 ]
}

@test "pipeline: make sweep runs a grid through GNU parallel, one row per run, resumably" {
	bars
	repo="$BATS_TEST_DIRNAME/.."
	SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/bars.rbd" SWEEP_EVAL="$T/bars.rbd" SWEEP_K="1 2" \
		SWEEP_LR="0.05" SWEEP_H="4 8" SWEEP_EPOCHS=2 "$repo/pipelines/sweep.sh" > out.txt
	[ "$(wc -l < sweep/results.tsv)" -eq 5 ]
	head -n 1 sweep/results.tsv | grep -q "^k	lr	hidden	epochs	test_pll"
	[ "$(grep -c . sweep/joblog)" -eq 5 ]
	# a second run finds every job done and runs none
	SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/bars.rbd" SWEEP_EVAL="$T/bars.rbd" SWEEP_K="1 2" \
		SWEEP_LR="0.05" SWEEP_H="4 8" SWEEP_EPOCHS=2 "$repo/pipelines/sweep.sh" > out2.txt
	[ "$(grep -c . sweep/joblog)" -eq 5 ]
	[ "$(wc -l < sweep/results.tsv)" -eq 5 ]
}

@test "pipeline: data rows above their one-step reconstructions p(v|h), in one grid" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	rbm-gibbs --init bars.rbd -n 1 -c 8 --mean < t.rbm > recon.rbd
	rbm-info recon.rbd | grep -qx "rows	8"
	bin2pgm --cols 8 --limit 8 --scale 2 bars.rbd recon.rbd | pnmtopng > recon.png
	[ -s recon.png ]
}
