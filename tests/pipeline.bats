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

@test "pipeline: data rows above their one-step reconstructions p(v|h), in one grid" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	rbm-gibbs --init bars.rbd -n 1 -c 8 --mean < t.rbm > recon.rbd
	rbm-info recon.rbd | grep -qx "rows	8"
	bin2pgm --cols 8 --limit 8 --scale 2 bars.rbd recon.rbd | pnmtopng > recon.png
	[ -s recon.png ]
}

@test "pipeline: own data as 2-D IDX, CSV and .npy each go import -> train -> features" {
	bars
	# the bars as a rank-2 IDX file (32 rows of 16 bytes), as CSV with labels, as .npy
	{ printf "\\x00\\x00\\x08\\x02$(be32 32)$(be32 16)"; tail -c +17 bars.idx; } > flat.idx
	mnist2bin --binarize threshold flat.idx -o from-idx.rbd
	bin2csv --labels bars.rbd > bars.csv
	csv2bin --label-column 1 bars.csv -o from-csv.rbd
	bin2npy --flat bars.rbd > bars.npy
	npy2bin bars.npy -o from-npy.rbd
	for f in idx csv npy; do
		rbm-init --like "from-$f.rbd" -H 8 --seed 3 |
			rbm-train -d "from-$f.rbd" -e 10 -b 8 --lr 0.1 -o "$f.rbm"
		rbm-hidden -m "$f.rbm" -d "from-$f.rbd" -o "$f-features.rbd"
		rbm-info "$f-features.rbd" | grep -qx "rows	32"
		rbm-info "$f-features.rbd" | grep -qx "cols	8"
	done
	# the same rows, whatever the way in: the same model and features
	cmp idx.rbm csv.rbm
	cmp idx.rbm npy.rbm
	rbm-info csv-features.rbd | grep -qx "labels	yes"
}

@test "pipeline: a two-layer stack's samples: top chains, then down through layer 1" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 < bars-init.rbm > l1.rbm
	rbm-hidden -m l1.rbm -d bars.rbd -o h1.rbd
	rbm-init --like h1.rbd -H 6 --seed 4 | rbm-train -d h1.rbd --binarize -e 20 -b 8 --lr 0.1 > l2.rbm
	rbm-gibbs -m l2.rbm -n 50 -c 12 | rbm-hidden --down -m l1.rbm -d - -o v.rbd
	rbm-info v.rbd | grep -qx "shape	4x4"
	rbm-info v.rbd | grep -qx "rows	12"
	bin2pgm v.rbd | pgmhist > /dev/null
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit a model with 8 hidden units" \
		rbm-hidden --down -m l1.rbm -d bars.rbd -o w.rbd
	no_file w.rbd
}

@test "pipeline: make plots draws curves, filters, checkpoint samples and a film as PNG" {
	bars
	mkdir -p runs/b
	rbm-train -d bars.rbd --eval bars.rbd -e 3 -b 8 --lr 0.1 --checkpoint-dir runs/b/ckpt \
		--log runs/b/log.tsv -m bars-init.rbm -o runs/b/model.rbm
	RUNS="$T/runs" STEPS=20 FRAMES=3 EVERY=2 "$BATS_TEST_DIRNAME/../pipelines/plots.sh" b
	for p in curves filters checkpoints film; do
		pngtopnm "runs/b/plots/$p.png" | pamfile | grep -q "PPM raw\|PGM raw"
	done
	# 3 checkpoints of 10 samples: 3 rows of 10 tiles of 4x4 drawn at scale 2, 1 pixel apart
	[ "$(pngtopnm runs/b/plots/checkpoints.png | pamfile)" = "stdin:	PGM raw, 91 by 28  maxval 255" ]
	# the film: step 0 and 3 frames
	[ "$(pngtopnm runs/b/plots/film.png | pamfile)" = "stdin:	PGM raw, 91 by 37  maxval 255" ]
	ls runs/b/plots | grep -v '\.png$' && false
	# make samples reads the same RUNS (and THREADS)
	RUNS="$T/runs" STEPS=20 THREADS=1 "$BATS_TEST_DIRNAME/../pipelines/samples.sh" b 2
	pngtopnm runs/b/samples-epoch-2.png | pamfile | grep -q "PGM raw"
	run "$BATS_TEST_DIRNAME/../pipelines/plots.sh" nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"no such run"* ]]
}

@test "pipeline: make bench without MNIST stops with one line, no stand-in data" {
	mkdir -p repo/pipelines
	cp "$BATS_TEST_DIRNAME/../pipelines/bench.sh" repo/pipelines/
	fails_cleanly 1 "bench.sh: no MNIST in data/raw: run make data first" repo/pipelines/bench.sh
}

# exp_repo DIR: a copy of the experiments' scripts beside the tools, with the bars as its
# data/ (train, test, and their 0/1 draws), for running make dbn and make gauss small. Its
# rbm-train stops once, as a kill after the second epoch's checkpoint leaves a run (the
# checkpoints and log rows so far, no model), when DIR/stop-once exists.
exp_repo() {
	mkdir -p "$1/data" "$1/bin"
	local dir
	dir=$(realpath "$1")
	cp -r "$BATS_TEST_DIRNAME/../pipelines" "$dir/"
	for t in "$BATS_TEST_DIRNAME"/../bin/*; do ln -s "$(realpath "$t")" "$dir/bin/"; done
	rm "$dir/bin/rbm-train"
	cat > "$dir/bin/rbm-train" <<-WRAP
	#!/usr/bin/env bash
	real=$(realpath "$BATS_TEST_DIRNAME/../bin/rbm-train")
	if [ -e "$dir/stop-once" ]; then
		rm "$dir/stop-once"
		args=() prev=
		for a in "\$@"; do
			case \$prev in -e) a=2 ;; -o) a="$dir/discarded.rbm" ;; esac
			args+=("\$a") prev=\$a
		done
		"\$real" "\${args[@]}" || exit
		exit 130
	fi
	exec "\$real" "\$@"
	WRAP
	chmod +x "$dir/bin/rbm-train"
	for f in train test train-bin test-bin; do cp bars.rbd "$dir/data/$f.rbd"; done
}

@test "pipeline: make dbn, make gauss and make quick stopped partway resume to the bytes of an uninterrupted run; other settings are refused" {
	bars
	exp_repo a
	exp_repo b
	small() { H1=8 H2=6 EPOCHS=5 STEPS=20 HIDDEN=6 RUNS=10 BETAS_SCALE=0.01 "$@"; }
	for e in dbn gauss; do
		small a/pipelines/$e.sh > /dev/null 2>&1
		touch b/stop-once
		run small b/pipelines/$e.sh
		[ "$status" -ne 0 ]
		run small b/pipelines/$e.sh
		[ "$status" -eq 0 ]
		[[ "$output" == *"resuming from runs/$e/"*"epoch-2.rbm"* ]]
	done
	small a/pipelines/train.sh quick > /dev/null 2>&1
	touch b/stop-once
	run small b/pipelines/train.sh quick
	[ "$status" -ne 0 ]
	run small b/pipelines/train.sh quick
	[ "$status" -eq 0 ]
	[[ "$output" == *"resuming from runs/quick/ckpt/epoch-2.rbm"* ]]
	for f in dbn/layer1.rbm dbn/layer2.rbm dbn/samples.rbd gauss/model.rbm gauss/result.tsv quick/model.rbm; do
		cmp "a/runs/$f" "b/runs/$f"
	done
	for f in dbn/layer1.tsv quick/log.tsv; do # the logs, but for their seconds
		cmp <(cut -f1,2,4- "a/runs/$f") <(cut -f1,2,4- "b/runs/$f")
	done
	# the log of the resumed run: its epochs once each
	[ "$(cut -f1 b/runs/dbn/layer1.tsv | tail -n +2 | tr '\n' ' ')" = "1 2 3 4 5 " ]
	# the same settings again: nothing trained again; others: refused, naming the difference
	run small a/pipelines/dbn.sh
	[ "$status" -eq 0 ]
	[[ "$output" != *training* ]]
	run env H1=8 H2=6 EPOCHS=6 STEPS=20 a/pipelines/dbn.sh
	[ "$status" -eq 1 ]
	[[ "$output" == *"dbn.sh: runs/dbn was made with EPOCHS=5, not EPOCHS=6: give another RUN=, or FRESH=1 to start it anew"* ]]
	run env HIDDEN=7 EPOCHS=5 a/pipelines/gauss.sh
	[ "$status" -eq 1 ]
	[[ "$output" == *"was made with HIDDEN=6, not HIDDEN=7"* ]]
	# FRESH=1 starts anew with the new settings
	FRESH=1 H1=8 H2=6 EPOCHS=6 STEPS=20 a/pipelines/dbn.sh > /dev/null 2>&1
	[ "$(rbm-info a/runs/dbn/layer2.rbm | awk -F'\t' '$1 == "epoch" { print $2 }')" = 6 ]
}

@test "pipeline: make inpaint completes the hidden rows of test images and scores them against the mean pixel" {
	bars
	exp_repo x
	mkdir -p x/runs/b
	rbm-init --like bars.rbd -H 16 --seed 3 |
		rbm-train -d bars.rbd -e 300 -b 4 --optimizer adam --lr 0.01 -k 5 --quiet -o x/runs/b/model.rbm
	RUN=b ROWS=30 HELD=2 BURN=20 SNAPS=4 EVERY=5 THREADS=1 x/pipelines/inpaint.sh > out.txt
	cat out.txt
	# the table: the originals, the mean pixel, the completion; numbers in [0, 1]
	[ "$(cut -f1 x/runs/b/inpaint/result.tsv | paste -sd,)" = method,original,mean_pixel,rbm_completion ]
	awk -F'\t' 'NR > 1 { for (i = 2; i <= 3; i++) if ($i !~ /^[0-9.]+$/ || $i > 1) exit 1 }' x/runs/b/inpaint/result.tsv
	# the mean pixel of the bars is 1/2 everywhere: its error is 1/4
	[ "$(awk -F'\t' '$1 == "mean_pixel" { print $2 }' x/runs/b/inpaint/result.tsv)" = 0.25000 ]
	# 3 blocks of 3 rows of 10 tiles of 4x4, at scale 2, 1 pixel apart
	[ "$(pngtopnm x/runs/b/inpaint/grid.png | pamfile)" = "stdin:	PGM raw, 91 by 82  maxval 255" ]
	fails_cleanly 2 "inpaint.sh: ROWS=25: give a multiple of 10" env RUN=b ROWS=25 x/pipelines/inpaint.sh
	# the classifier was trained once, and is reused
	[ -s x/runs/mixing-classifier/model.rbm ]
	fails_cleanly 2 "inpaint.sh: HELD=4: hold 1 to 3 of the 4 pixel rows" env RUN=b HELD=4 x/pipelines/inpaint.sh
	fails_cleanly 1 "inpaint.sh: runs/none has no model.rbm (make none)" env RUN=none x/pipelines/inpaint.sh
}

@test "pipeline: make mixing's rows hold the samples the table says, CHAINS of each kind: the tempered film's start is no sample" {
	bars
	exp_repo x
	mkdir -p x/runs/b
	rbm-train -d bars.rbd -e 20 -b 4 --lr 0.05 --quiet < bars-init.rbm > x/runs/b/model.rbm
	RUN=b CHAINS=20 STEPS=10 TCHAINS=10 REPLICAS=2 ADAPT=2 THREADS=1 x/pipelines/mixing.sh > out.txt
	cat out.txt
	[ "$(awk -F'\t' 'NR > 1 { print $1, $2 }' x/runs/b/mixing/result.tsv | paste -sd,)" = "plain 20,tempered 20" ]
	[ "$(rbm-info x/runs/b/mixing/tempered.rbd | awk -F'\t' '$1 == "rows" { print $2 }')" = 20 ]
}

@test "pipeline: make potts and make votes run small, record their settings and resume without redoing" {
	[ -s /usr/share/doc/hmmer/examples/tutorial/fn3.sto ] || skip "hmmer-examples (make deps) is not installed"
	bars
	exp_repo r
	small() { HIDDEN=4 EPOCHS=${EPOCHS:-3} TRAIN=60 VALID=10 CHAINS=20 STEPS=40 SEEDS=2 "$@"; }
	small r/pipelines/potts.sh > potts.out 2>&1
	[ "$(wc -l < r/runs/potts/result.tsv)" -eq 3 ]
	grep -q '^rbm_exact_as_many' r/runs/potts/samples.tsv
	[ "$(pngtopnm r/runs/potts/logo.png | pamfile)" = "stdin:	PGM raw, 508 by 514  maxval 255" ]
	cp r/runs/potts/result.tsv before.tsv
	run small r/pipelines/potts.sh
	[ "$status" -eq 0 ] && cmp before.tsv r/runs/potts/result.tsv
	EPOCHS=4 run small r/pipelines/potts.sh
	[ "$status" -ne 0 ] && [[ "$output" == *"EPOCHS"* ]]
	# votes: 40 records of 5 yes/no attributes, two of them copies of the first, some missing
	mkdir -p r/data/weka
	{
		printf '@relation toy\n'
		for a in 1 2 3 4 5; do printf "@attribute a%d {'n','y'}\n" "$a"; done
		printf '@data\n'
		for ((i = 0; i < 40; i++)); do
			x=$((i % 2 ? 1 : 0)) y=$((i % 3 ? 1 : 0)) v=(n y)
			m=${v[$x]}; [ $((i % 7)) -eq 0 ] && m='?'
			printf "%s,%s,%s,%s,%s\n" "${v[$x]}" "$m" "${v[$x]}" "${v[$y]}" "${v[$(((x + y) % 2))]}"
		done
	} > r/data/weka/vote.arff
	small r/pipelines/impute.sh votes > votes.out 2>&1
	[ "$(wc -l < r/runs/votes/result.tsv)" -eq 5 ]
	[ "$(cut -f1 r/runs/votes/result.tsv | tr '\n' ' ')" = "method rbm column_mode knn chained_logistic " ]
	awk -F'\t' 'NR > 1 && !($2 >= 0 && $2 <= 1) { exit 1 }' r/runs/votes/result.tsv
	# the held-out rows' log-likelihood of their observed entries, the RBM's and the
	# independent model's, each a probability's log, on the 8 rows of each seed
	[ "$(cut -f1 r/runs/votes/heldout.tsv | tr '\n' ' ')" = "measure rbm_ll indep_ll rows excluded " ]
	awk -F'\t' '($1 ~ /_ll$/ && !($2 < 0 && $2 > -10)) || ($1 == "rows" && $2 != 8) { exit 1 }' \
		r/runs/votes/heldout.tsv
	rm r/data/weka/vote.arff
	run small r/pipelines/impute.sh votes # done: nothing is read again
	[ "$status" -eq 0 ]
	fails_cleanly 1 "data/weka/soybean.arff is missing: run make deps" small r/pipelines/impute.sh soybean
}
