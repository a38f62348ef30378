#!/usr/bin/env bats
# rbm-train: training, logs, checkpoints, exact resume, refusals.
load helpers

@test "rbm-train: help, version and bad options" {
	common_cli rbm-train
}

@test "rbm-train: training on bars and stripes raises the pseudo-likelihood" {
	bars
	before=$(rbm-pll -d bars.rbd --exact < bars-init.rbm | awk -F'\t' '$1 == "pll" { print $2 }')
	rbm-train -d bars.rbd -k 1 -e 300 -b 8 --lr 0.1 --optimizer momentum --quiet < bars-init.rbm > t.rbm
	after=$(rbm-pll -d bars.rbd --exact < t.rbm | awk -F'\t' '$1 == "pll" { print $2 }')
	echo "exact PLL before $before, after $after"
	awk -v a="$before" -v b="$after" 'BEGIN { exit !(b > a + 2) }'
}

@test "rbm-train: a fixed seed gives byte-identical models (on these small shapes also across 1 and 2 threads)" {
	bars
	rbm-train -d bars.rbd -e 5 -b 8 -k 2 --threads 1 < bars-init.rbm > a.rbm
	rbm-train -d bars.rbd -e 5 -b 8 -k 2 --threads 2 < bars-init.rbm > b.rbm
	cmp a.rbm b.rbm
	rbm-train -d bars.rbd -e 5 -b 8 --pcd --chains 12 --center --threads 1 < bars-init.rbm > ac.rbm
	rbm-train -d bars.rbd -e 5 -b 8 --pcd --chains 12 --center --threads 2 < bars-init.rbm > bc.rbm
	cmp ac.rbm bc.rbm
	rbm-train -d bars.rbd -e 5 -b 8 -k 2 --seed 77 < bars-init.rbm > c.rbm
	run ! cmp -s a.rbm c.rbm
}

@test "rbm-train: stop and resume equals one run, byte for byte (CD, PCD, Adam, centering)" {
	bars
	for opts in "-k 2 --optimizer sgd" "-k 1 --pcd --optimizer adam" \
		"-k 1 --pcd --center --optimizer momentum --momentum-warmup 2 --lr-decay 0.1 --weight-decay 0.001" \
		"-k 1 --pcd --optimizer momentum --lr 0.01 --lr-end 6" "-k 2 --pcd --chains 20 --center" \
		"-k 3 --optimizer adamw --weight-decay 0.01"; do
		rbm-train -d bars.rbd -e 6 -b 8 $opts < bars-init.rbm > whole.rbm
		rbm-train -d bars.rbd -e 3 -b 8 $opts < bars-init.rbm > half.rbm
		# resumed with no options: the model's recorded settings carry on
		rbm-train -d bars.rbd -e 6 < half.rbm > resumed.rbm
		cmp whole.rbm resumed.rbm
	done
}

@test "rbm-train: --lr-end anneals the rate and is recorded in the model" {
	bars
	rbm-train -d bars.rbd -e 2 -b 8 --lr 0.1 < bars-init.rbm > plain.rbm
	rbm-train -d bars.rbd -e 2 -b 8 --lr 0.1 --lr-end 2 < bars-init.rbm > annealed.rbm
	run ! cmp -s plain.rbm annealed.rbm
	rbm-info annealed.rbm | grep -qx "lr_end	2"
	rbm-info plain.rbm | grep -qx "lr_end	0"
}

@test "rbm-train: --chains sets how many persistent chains there are, kept on resume" {
	bars
	rbm-train -d bars.rbd -e 1 -b 8 --pcd < bars-init.rbm > one.rbm
	rbm-info one.rbm | grep -qx "persistent_chains	8"
	rbm-train -d bars.rbd -e 1 -b 8 --pcd --chains 30 < bars-init.rbm > more.rbm
	rbm-info more.rbm | grep -qx "persistent_chains	30"
	rbm-train -d bars.rbd -e 2 < more.rbm > resumed.rbm
	rbm-info resumed.rbm | grep -qx "persistent_chains	30"
	rbm-train -d bars.rbd -e 2 --chains 5 < more.rbm > fewer.rbm
	rbm-info fewer.rbm | grep -qx "persistent_chains	5"
	fails_cleanly 2 "--chains: 0 is out of range" rbm-train -d bars.rbd --chains 0
	fails_cleanly 2 "--chains is for persistent chains: add --pcd" \
		rbm-train -d bars.rbd -e 1 --chains 5 -o out.rbm < bars-init.rbm
	no_file out.rbm
}

@test "rbm-train: --binarize draws the rows afresh each epoch, is recorded, resumes exactly" {
	bars
	gray
	rbm-info gray.rbd | grep -qx "type	u8 intensity"
	rbm-train -d gray.rbd -e 4 -b 8 --lr 0.1 --pcd --center < bars-init.rbm > plain.rbm
	rbm-train -d gray.rbd -e 4 -b 8 --lr 0.1 --pcd --center --binarize < bars-init.rbm > drawn.rbm
	run ! cmp -s plain.rbm drawn.rbm
	rbm-info drawn.rbm | grep -qx "binarize	yes"
	rbm-info plain.rbm | grep -qx "binarize	no"
	# another seed draws other rows
	rbm-train -d gray.rbd -e 4 -b 8 --lr 0.1 --pcd --center --binarize --seed 9 < bars-init.rbm > other.rbm
	run ! cmp -s drawn.rbm other.rbm
	# stopped at epoch 2 and resumed with no options: the same draws, the same model
	rbm-train -d gray.rbd -e 2 -b 8 --lr 0.1 --pcd --center --binarize < bars-init.rbm > half.rbm
	rbm-train -d gray.rbd -e 4 < half.rbm > resumed.rbm
	cmp drawn.rbm resumed.rbm
	rbm-train -d gray.rbd -e 4 -b 8 --lr 0.1 --pcd --center --binarize --threads 2 < bars-init.rbm > two.rbm
	cmp drawn.rbm two.rbm
	# binary data is its own draw: the weights match training without --binarize
	rbm-train -d bars.rbd -e 2 -b 8 --binarize < bars-init.rbm > b1.rbm
	rbm-train -d bars.rbd -e 2 -b 8 < bars-init.rbm > b0.rbm
	[ "$(rbm-gibbs -m b1.rbm -n 3 -c 4 --seed 1 | od -An -tx1)" = "$(rbm-gibbs -m b0.rbm -n 3 -c 4 --seed 1 | od -An -tx1)" ]
	# the train metrics are measured on binary rows: a log has them
	rbm-train -d gray.rbd -e 1 -b 8 --binarize --log log.tsv < bars-init.rbm > /dev/null
	[ "$(wc -l < log.tsv)" -eq 2 ]
}

@test "rbm-train: log, checkpoints and evaluation" {
	bars
	rbm-train -d bars.rbd --eval bars.rbd -e 4 --eval-every 2 -b 8 --checkpoint-dir ck \
		--log log.tsv < bars-init.rbm > t.rbm
	[ -f ck/epoch-2.rbm ]
	[ -f ck/epoch-4.rbm ]
	[ ! -f ck/epoch-3.rbm ]
	cmp ck/epoch-4.rbm t.rbm
	# a checkpoint directory's parents are made as well
	rbm-train -d bars.rbd -e 2 -b 8 --checkpoint-dir deep/er/ck --quiet < bars-init.rbm > /dev/null
	[ -f deep/er/ck/epoch-2.rbm ]
	[ "$(wc -l < log.tsv)" -eq 5 ]
	head -n 1 log.tsv | grep -q "^epoch	updates	seconds	train_pll	test_pll	recon_err	fe_train	fe_test	fe_gap	train_pll_se	test_pll_se	train_err	valid_err	valid_nll	best_epoch$"
	# --help names the same columns, in the same order (one list of them, in lib/train.c)
	[ "$(rbm-train --help | sed -n '/^Log columns:/,/^pll:/p' | sed '$d;s/^Log columns://' | tr -s ' \n' '\t' | sed 's/^\t//;s/\t$//')" = "$(head -n 1 log.tsv)" ]
	# the standard errors: positive where the PLL is measured, NA where not
	awk -F'\t' 'NR == 2 && $10 > 0 && $11 == "NA" { ok = 1 } END { exit !ok }' log.tsv
	awk -F'\t' 'NR == 3 && $10 > 0 && $11 > 0 { ok = 1 } END { exit !ok }' log.tsv
	awk -F'\t' 'NR == 2 && $5 == "NA" { ok = 1 } END { exit !ok }' log.tsv
	awk -F'\t' 'NR == 3 && $5 != "NA" && $2 == 8 { ok = 1 } END { exit !ok }' log.tsv
	# an epoch count already reached passes the model through unchanged, and says so
	run --separate-stderr rbm-train -d bars.rbd -e 4 -m t.rbm -o same.rbm
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"t.rbm: already at epoch 4, -e 4 asks for no more: nothing to train"* ]]
	cmp t.rbm same.rbm
	rbm-train -d bars.rbd -e 3 --lr 0.5 --pcd < t.rbm > same.rbm
	cmp t.rbm same.rbm
}

@test "rbm-train: mismatched, damaged or missing inputs fail and write nothing" {
	bars
	rbm-init -V 25 -H 3 > m25.rbm
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit a model with 25 visible units" \
		rbm-train -d bars.rbd -m m25.rbm -o out.rbm
	no_file out.rbm
	fails_cleanly 2 "give the training data with -d FILE" rbm-train < bars-init.rbm
	fails_cleanly 1 "<stdin>: empty file" rbm-train -d bars.rbd -o out.rbm < /dev/null
	no_file out.rbm
	head -c 200 bars-init.rbm > short.rbm
	fails_cleanly 1 "short.rbm: truncated" rbm-train -d bars.rbd -m short.rbm -o out.rbm
	no_file out.rbm
	fails_cleanly 1 "<stdin>: truncated" rbm-train -d bars.rbd -o out.rbm < short.rbm
	cat short.rbm | fails_cleanly 1 "<stdin>: unexpected end of file" rbm-train -d bars.rbd -o out.rbm
	no_file out.rbm
	fails_cleanly 1 "bars-init.rbm: a model file, not a data file" rbm-train -d bars-init.rbm < bars-init.rbm
	fails_cleanly 1 "<stdin>: a data file, not a model file" rbm-train -d bars.rbd < bars.rbd
	fails_cleanly 2 "--optimizer: 'rmsprop'" rbm-train -d bars.rbd --optimizer rmsprop
	fails_cleanly 2 "--cd-steps: 0 is out of range" rbm-train -d bars.rbd -k 0
	fails_cleanly 2 "--lr: 'fast' is not a number" rbm-train -d bars.rbd --lr fast
	fails_cleanly 2 "--lr: 'nan' is not a number" rbm-train -d bars.rbd --lr nan
	fails_cleanly 2 "--epochs 7 goes past the learning rate's end at epoch 6 (--lr-end)" \
		rbm-train -d bars.rbd -e 7 --lr-end 6 -o out.rbm < bars-init.rbm
	no_file out.rbm
	# a corrupt byte in the middle of the weights is caught by the checksum
	cp bars-init.rbm bad.rbm
	printf '\x7f' | dd of=bad.rbm bs=1 seek=150 conv=notrunc 2>/dev/null
	fails_cleanly 1 "bad.rbm: checksum mismatch" rbm-train -d bars.rbd -m bad.rbm -o out.rbm
	no_file out.rbm
}

@test "rbm-train: off a terminal one plain line per epoch on stderr; --quiet none; an error on its own line" {
	bars
	run --separate-stderr rbm-train -d bars.rbd --eval bars.rbd --eval-every 2 -e 3 -b 8 -m bars-init.rbm -o t.rbm
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 3 ]
	[[ "$(printf '%s\n' "$stderr" | sed -n 1p)" == "rbm-train: epoch 1/3  elapsed "*"  eta "*"  took "*"s  train_pll "*" (se "*")  recon "* ]]
	[[ "$(printf '%s\n' "$stderr" | sed -n 2p)" == *"  test_pll "*" (se "* ]]
	[[ "$stderr" != *$'\r'* ]]
	run --separate-stderr rbm-train --quiet -d bars.rbd -e 3 -b 8 -m bars-init.rbm -o q.rbm
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	cmp t.rbm q.rbm
	run --separate-stderr rbm-train -d bars.rbd -e 200 -b 10 --lr 10 --weight-decay 0.5 -m bars-init.rbm -o d.rbm
	[ "$status" -eq 1 ]
	[[ "$(printf '%s\n' "$stderr" | tail -n 1)" == "rbm-train: diverged in epoch "* ]]
	[[ "$(printf '%s\n' "$stderr" | head -n 1)" == "rbm-train: epoch 1/200  "* ]]
}

@test "rbm-train: --pcd --tempering keeps tempered chains in a version-3 model; stop and resume equals one run" {
	bars
	rbm-train -d bars.rbd --pcd --tempering 3 --beta-min 0.2 --chains 5 -e 4 -b 8 --lr 0.1 --quiet \
		< bars-init.rbm > full.rbm
	[ "$(head -c 12 full.rbm | tail -c 4 | od -An -tu4 | tr -d ' ')" = 3 ]
	run rbm-info full.rbm
	[[ "$output" == *"replicas	3"* ]]
	[[ "$output" == *"beta_min	0.2"* ]]
	[[ "$output" == *"persistent_chains	15"* ]]
	rbm-train -d bars.rbd --pcd --tempering 3 --beta-min 0.2 --chains 5 -e 2 -b 8 --lr 0.1 --quiet \
		< bars-init.rbm > half.rbm
	rbm-train -d bars.rbd -e 4 --quiet < half.rbm | cmp - full.rbm
	# tempering off again: the chains are the model's rows as plain chains, and the file version 2 or 1
	rbm-train -d bars.rbd -e 5 --tempering 0 --quiet < full.rbm > off.rbm
	[ "$(head -c 12 off.rbm | tail -c 4 | od -An -tu4 | tr -d ' ')" = 1 ]
	fails_cleanly 2 "--tempering is for persistent chains: add --pcd" rbm-train -d bars.rbd --tempering 3 -m bars-init.rbm -o out.rbm
	# --tempering 1 is one replica, a plain chain, as rbm-gibbs's default: the same as none
	rbm-train -d bars.rbd --pcd --tempering 1 -e 2 --quiet -m bars-init.rbm -o one.rbm
	rbm-train -d bars.rbd --pcd -e 2 --quiet -m bars-init.rbm | cmp - one.rbm
	fails_cleanly 2 "--beta-min is for --tempering" rbm-train -d bars.rbd --pcd --beta-min 0.3 -m bars-init.rbm -o out.rbm
	fails_cleanly 2 "--beta-min must be above 0" rbm-train -d bars.rbd --pcd --tempering 2 --beta-min 0 -m bars-init.rbm -o out.rbm
	no_file out.rbm
}

@test "rbm-train --temper-every: the replicas every M-th update, recorded; resume equals one run; 1 is every update" {
	bars
	rbm-train -d bars.rbd --pcd --tempering 3 --temper-every 3 --chains 5 -e 4 -b 8 --lr 0.1 \
		--quiet < bars-init.rbm > full.rbm
	run rbm-info full.rbm
	[[ "$output" == *"temper_every	3"* ]]
	rbm-train -d bars.rbd --pcd --tempering 3 --temper-every 3 --chains 5 -e 2 -b 8 --lr 0.1 \
		--quiet < bars-init.rbm > half.rbm
	rbm-train -d bars.rbd -e 4 --quiet < half.rbm | cmp - full.rbm
	rbm-train -d bars.rbd --pcd --tempering 3 --chains 5 -e 4 -b 8 --lr 0.1 --quiet \
		< bars-init.rbm > every.rbm
	! cmp -s every.rbm full.rbm
	rbm-train -d bars.rbd --pcd --tempering 3 --temper-every 1 --chains 5 -e 4 -b 8 --lr 0.1 \
		--quiet < bars-init.rbm | cmp - every.rbm
	fails_cleanly 2 "--temper-every is for --tempering" rbm-train -d bars.rbd --pcd --temper-every 2 -m bars-init.rbm -o out.rbm
	no_file out.rbm
}

@test "rbm-train --ladders: chains share hot replicas, recorded with their rows; resume equals one run; as many as the chains is one each" {
	bars
	O="-d bars.rbd --pcd --tempering 3 --chains 6 -b 8 --lr 0.1 --quiet"
	rbm-train $O --ladders 2 -e 4 < bars-init.rbm > full.rbm
	run rbm-info full.rbm
	[[ "$output" == *"ladders	2"* ]]
	[[ "$output" == *"chains	10"* ]] # 6 at 1 and 2 ladders of 2
	rbm-train $O --ladders 2 -e 2 < bars-init.rbm > half.rbm
	rbm-train -d bars.rbd -e 4 --quiet < half.rbm | cmp - full.rbm
	rbm-train $O -e 4 < bars-init.rbm > each.rbm
	! cmp -s each.rbm full.rbm
	rbm-train $O --ladders 6 -e 4 < bars-init.rbm | cmp - each.rbm
	# a tempered model resumed with ladders keeps its 6 chains
	rbm-train -d bars.rbd --ladders 3 -e 4 --quiet < half.rbm > more.rbm
	run rbm-info more.rbm
	[[ "$output" == *"chains	12"* ]]
	fails_cleanly 2 "--ladders 7: more ladders than the 6 chains" rbm-train $O --ladders 7 -e 4 -m bars-init.rbm -o out.rbm
	fails_cleanly 2 "--ladders is for --tempering" rbm-train -d bars.rbd --pcd --ladders 2 -m bars-init.rbm -o out.rbm
	no_file out.rbm
}

@test "rbm-train: early stopping resumed from a checkpoint with --best goes on as one run; --checkpoint-keep keeps the newest" {
	bars
	rbm-rows --shuffle --seed 2 bars.rbd -o sb.rbd
	rbm-init --like sb.rbd --labels auto -H 8 --seed 5 -o l.rbm
	O="-d sb.rbd --valid-rows 8 --patience 6 --objective hybrid -b 8 --lr 0.05 --quiet"
	rbm-train $O -e 60 -m l.rbm --checkpoint-dir a --best a-best.rbm --log a.tsv -o a.rbm
	# stopped after epoch 6 (its checkpoints, its best so far), then resumed
	rbm-train $O -e 6 -m l.rbm --checkpoint-dir b --best b-best.rbm --log b.tsv -o part.rbm
	rbm-train $O -e 60 -m b/epoch-6.rbm --checkpoint-dir b --best b-best.rbm --log b.tsv -o b.rbm
	cmp a.rbm b.rbm
	cmp <(cut -f1,2,4- a.tsv) <(cut -f1,2,4- b.tsv)
	cmp a-best.rbm b-best.rbm
	# without the record of its best, the resumed run is another run
	rbm-train $O -e 60 -m b/epoch-6.rbm -o c.rbm
	run ! cmp -s a.rbm c.rbm
	# only the newest checkpoints this run writes
	rbm-train -d bars.rbd -e 5 -b 8 --checkpoint-dir k --checkpoint-keep 2 --quiet < bars-init.rbm > /dev/null
	[ "$(ls k | tr '\n' ' ')" = "epoch-4.rbm epoch-5.rbm " ]
	fails_cleanly 2 "--best keeps the best model of a validation split" rbm-train -d bars.rbd --best x.rbm < l.rbm
	fails_cleanly 2 "--checkpoint-keep is for --checkpoint-dir" rbm-train -d bars.rbd --checkpoint-keep 2 < l.rbm
}

@test "rbm-train: the defaults are a recipe that learns (momentum at 0.05, batches of 100), not the original's SGD at 0.001" {
	bars
	rbm-train -d bars.rbd -e 300 --quiet < bars-init.rbm > d.rbm
	info=$(rbm-info d.rbm)
	[[ "$info" == *"optimizer	momentum"* ]]
	[[ "$info" == *"batch	100"* ]]
	[[ "$info" == *"lr	0.05"* ]]
	ll() { rbm-ais --exact -d bars.rbd -m "$1" | awk -F'\t' '$1 == "avg_ll" { print $2 }'; }
	# the exact log-likelihood of the bars: 3 nats up (the original's settings: 0.003)
	awk -v a="$(ll bars-init.rbm)" -v b="$(ll d.rbm)" 'BEGIN { exit !(b - a > 2) }'
	# the original's, given explicitly, as make quick gives them
	rbm-train -d bars.rbd -e 300 --optimizer sgd --lr 0.001 -b 200 --quiet < bars-init.rbm > o.rbm
	awk -v a="$(ll bars-init.rbm)" -v b="$(ll o.rbm)" 'BEGIN { exit !(b - a < 0.1) }'
}

@test "rbm-train --missing: trains on the observed entries; the mask is checked first, and a run resumes exactly" {
	bars
	# a tenth of the bars' pixels hidden, as csv2bin --missing marks them
	bin2csv bars.rbd | awk -F, -v OFS=, '{ for (i = 1; i <= NF; i++) if ((NR * 7 + i * 3) % 10 == 0) $i = ""; print }' |
		csv2bin --missing mask.rbd --shape 4x4 > holes.rbd
	[ "$(bin2csv mask.rbd | tr ',' '\n' | grep -c '^0$')" -gt 40 ]
	rbm-train -m bars-init.rbm -d holes.rbd --missing mask.rbd -e 4 -b 8 --pcd --seed 3 2> /dev/null > a.rbm
	rbm-train -m bars-init.rbm -d holes.rbd --missing mask.rbd -e 2 -b 8 --pcd --seed 3 2> /dev/null |
		rbm-train -d holes.rbd --missing mask.rbd -e 4 2> /dev/null | cmp - a.rbm
	# the missing entries were drawn, not read as the 0 stored: the model differs from one
	# trained on the holes as data
	rbm-train -m bars-init.rbm -d holes.rbd -e 4 -b 8 --pcd --seed 3 2> /dev/null > zeros.rbm
	run ! cmp -s a.rbm zeros.rbm
	rbm-rows --first 3 mask.rbd > short.rbd
	fails_cleanly 1 "short.rbd: 3 mask rows for 32 rows of holes.rbd" \
		rbm-train -m bars-init.rbm -d holes.rbd --missing short.rbd -o out.rbm
	echo 1,0,1 | csv2bin > narrow.rbd
	fails_cleanly 1 "narrow.rbd: mask rows of 3 values do not fit the model" \
		rbm-train -m bars-init.rbm -d holes.rbd --missing narrow.rbd -o out.rbm
	bin2csv mask.rbd | sed '5s/^1/0.5/' | csv2bin > half.rbd
	fails_cleanly 1 "half.rbd: row 5: column 1 holds 0.5" \
		rbm-train -m bars-init.rbm -d holes.rbd --missing half.rbd -o out.rbm
	no_file out.rbm
}

@test "rbm-train --weights: equal weights change no byte, others do; rbm-pll and rbm-ais weigh their means; bad weights refused" {
	bars
	wts() { awk -v n=32 -v f="$1" 'BEGIN { for (r = 1; r <= n; r++) print (f == "eq" ? 0.37 : f == "one" ? (r == 1 ? 1 : 1e-20) : 1 + r % 3) }' | csv2bin --real; }
	wts eq > eq.rbd
	wts uneq > uneq.rbd
	wts one > one.rbd
	rbm-init --like bars.rbd --labels auto -H 8 --seed 3 > lab.rbm
	for how in "-k 2" "--pcd --chains 12 --center" "--objective hybrid" "--objective discriminative"; do
		rbm-train -d bars.rbd -e 3 -b 8 $how --seed 5 < lab.rbm > a.rbm 2> /dev/null
		rbm-train -d bars.rbd -e 3 -b 8 $how --seed 5 --weights eq.rbd < lab.rbm > b.rbm 2> /dev/null
		cmp a.rbm b.rbm
		rbm-train -d bars.rbd -e 3 -b 8 $how --seed 5 --weights uneq.rbd < lab.rbm > c.rbm 2> /dev/null
		run ! cmp -s a.rbm c.rbm
	done
	# a weight of 1 on the first row and next to none elsewhere: the means are that row's value
	rbm-pll -d bars.rbd --exact --per-sample < a.rbm | head -1 > first
	rbm-pll -d bars.rbd --exact --weights one.rbd < a.rbm > pll
	awk -F'\t' -v want="$(cat first)" '$1 == "pll" { d = $2 - want; exit !(d < 1e-4 && d > -1e-4) }' pll
	grep -q '^rows_ess	1.0$' pll
	rbm-pll -d bars.rbd --exact --weights eq.rbd < a.rbm | grep -v rows_ess > eqpll
	rbm-pll -d bars.rbd --exact < a.rbm | cmp - eqpll
	rbm-ais --exact -d bars.rbd --row-weights one.rbd < a.rbm > ais
	rbm-ais --exact -d bars.rbd < a.rbm > all
	# log p(v_1) = -F(v_1) - log Z, within the free energy's single precision
	rbm-rows --first 1 bars.rbd > first.rbd
	rbm-ais --exact -d first.rbd < a.rbm > ais1
	[ "$(awk -F'\t' '$1 == "avg_ll" { printf "%.3f", $2 }' ais)" = "$(awk -F'\t' '$1 == "avg_ll" { printf "%.3f", $2 }' ais1)" ]
	[ "$(awk -F'\t' '$1 == "avg_ll" { printf "%.3f", $2 }' ais)" != "$(awk -F'\t' '$1 == "avg_ll" { printf "%.3f", $2 }' all)" ]
	# rbm-init --like --weights: the frequencies weighted; weights of 1 change no byte, and
	# next to none but on row 1 give row 1's pixels at a pseudo-count of one: p 2/3 or 1/3
	awk 'BEGIN { for (r = 1; r <= 32; r++) print 1 }' | csv2bin --real > ones.rbd
	rbm-init --like bars.rbd --labels auto -H 8 --seed 3 --weights ones.rbd | cmp - lab.rbm
	rbm-init --like bars.rbd -H 8 --seed 3 --weights one.rbd | rbm-export > one.npz
	first=$(rbm-rows --first 1 bars.rbd | bin2csv)
	py -c "import numpy as np, sys; v = np.load('one.npz')['vbias']; x = np.array([float(t) for t in sys.argv[1].split(',')])
assert np.allclose(v, np.where(x > 0, 1, -1) * np.log(2), atol=1e-6), v" "$first"
	fails_cleanly 2 "--weights weighs the rows of --like DATA" rbm-init -V 4 -H 2 --weights ones.rbd
	# refusals: one line, nothing written
	rbm-rows --first 5 eq.rbd > short.rbd
	fails_cleanly 1 "short.rbd: not a column of 32 row weights" \
		rbm-train -d bars.rbd --weights short.rbd -m bars-init.rbm -o out.rbm
	awk 'BEGIN { for (r = 1; r <= 32; r++) print (r == 7 ? 0 : 1) }' | csv2bin --real > zero.rbd
	fails_cleanly 1 "zero.rbd: row 7: weight 0 is not a positive finite number" \
		rbm-train -d bars.rbd --weights zero.rbd -m bars-init.rbm -o out.rbm
	fails_cleanly 1 "zero.rbd: row 7" rbm-pll -d bars.rbd --weights zero.rbd -m a.rbm
	fails_cleanly 1 "bars.rbd: not a column of 32 row weights" \
		rbm-ais --exact -d bars.rbd --row-weights bars.rbd -m a.rbm
	fails_cleanly 2 "--row-weights needs -d DATA" rbm-ais --exact --row-weights eq.rbd -m a.rbm
	no_file out.rbm
	bars_idx g.idx
	mnist2bin g.idx | rbm-standardize > z.rbd
	rbm-init --like z.rbd -V gaussian -H 3 > g.rbm
	fails_cleanly 1 "g.rbm: --weights takes binary visible units" \
		rbm-train -d z.rbd --weights eq.rbd -m g.rbm -o out.rbm
	no_file out.rbm
}
