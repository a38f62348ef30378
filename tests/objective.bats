#!/usr/bin/env bats
# rbm-train's objectives for a label group (discriminative, hybrid), its validation split and
# early stopping.
load helpers

# lab.rbm: an untrained model of bars and stripes with a label group.
labelled_init() {
	bars
	rbm-init --like bars.rbd --labels auto -H 8 --seed 5 -o lab.rbm
}

# first24.rbd: the first 24 rows of bars.rbd, labels and all.
first24() {
	{ head -c 4 bars.idx; printf '\x00\x00\x00\x18'; head -c 16 bars.idx | tail -c 8
	  tail -c +17 bars.idx | head -c 384; } > f.idx
	{ printf '\x00\x00\x08\x01\x00\x00\x00\x18'; tail -c +9 bars.lab | head -c 24; } > f.lab
	mnist2bin --binarize threshold --labels f.lab f.idx -o first24.rbd
}

@test "objective: discriminative training learns p(y | x), is recorded, and resumes exactly" {
	labelled_init
	rbm-train -d bars.rbd --objective discriminative -e 60 -b 8 --lr 0.05 --optimizer adam \
		--quiet < lab.rbm > d.rbm
	# the blank and the full images are both a bar and a stripe pattern: at most 4 wrong
	rbm-classify -d bars.rbd --error < d.rbm |
		awk -F'\t' '$1 == "error" && $2 <= 4 / 32 { ok = 1 } END { exit !ok }'
	run rbm-info d.rbm
	[[ "$output" == *"objective	discriminative"* ]]
	[[ "$output" == *"alpha	0"* ]]
	rbm-train -d bars.rbd --objective discriminative -e 60 -b 8 --lr 0.05 --optimizer adam \
		--quiet < lab.rbm | cmp - d.rbm
	rbm-train -d bars.rbd --objective discriminative -e 25 -b 8 --lr 0.05 --optimizer adam \
		--quiet < lab.rbm | rbm-train -d bars.rbd -e 60 --quiet | cmp - d.rbm
}

@test "objective: hybrid records alpha (0.01 unless given), and a resumed hybrid stays one" {
	labelled_init
	rbm-train -d bars.rbd --objective hybrid -e 5 -b 8 --lr 0.05 --quiet < lab.rbm > h.rbm
	run rbm-info h.rbm
	[[ "$output" == *"objective	hybrid"* ]]
	[[ "$output" == *"alpha	0.01"* ]]
	rbm-train -d bars.rbd --objective hybrid --alpha 0.5 --pcd -e 5 -b 8 --lr 0.05 --quiet \
		< lab.rbm > h2.rbm
	rbm-train -d bars.rbd -e 8 --quiet < h2.rbm > h3.rbm
	run rbm-info h3.rbm
	[[ "$output" == *"objective	hybrid"* ]]
	[[ "$output" == *"alpha	0.5"* ]]
	[[ "$output" == *"pcd	yes"* ]]
	# a different alpha is a different gradient
	run ! cmp -s h.rbm <(rbm-train -d bars.rbd --objective hybrid --alpha 0.5 -e 5 -b 8 --lr 0.05 \
		--quiet < lab.rbm)
	# and back to generative: alpha returns to 0
	rbm-train -d bars.rbd --objective generative -e 6 --quiet < h.rbm > g.rbm
	run rbm-info g.rbm
	[[ "$output" == *"objective	generative"* ]]
	[[ "$output" == *"alpha	0"* ]]
}

@test "objective: the validation split is never trained on, and is logged each epoch" {
	labelled_init
	first24
	rbm-train -d bars.rbd --valid-rows 8 --objective discriminative -e 6 -b 8 --lr 0.05 \
		--log v.tsv --quiet < lab.rbm > v.rbm
	rbm-train -d first24.rbd --objective discriminative -e 6 -b 8 --lr 0.05 --quiet \
		< lab.rbm | cmp - v.rbm
	[ "$(wc -l < v.tsv)" = 7 ]
	# train_err valid_err valid_nll best_epoch: numbers every epoch
	awk -F'\t' 'NR > 1 && ($12 == "NA" || $13 == "NA" || $14 == "NA" || $15 == "NA") { exit 1 }' v.tsv
	# without a split the validation columns are NA, the train error is still measured
	rbm-train -d bars.rbd --objective discriminative -e 1 -b 8 --log n.tsv --quiet < lab.rbm > /dev/null
	awk -F'\t' 'NR == 2 && $12 != "NA" && $13 == "NA" && $15 == "NA" { ok = 1 } END { exit !ok }' n.tsv
}

@test "objective: early stopping ends with the best epoch's model, the same as its checkpoint" {
	labelled_init
	mkdir ck
	rbm-train -d bars.rbd --valid-rows 8 --patience 4 --objective hybrid -e 40 -b 8 --lr 0.2 \
		--optimizer adam --checkpoint-dir ck --log e.tsv --quiet < lab.rbm > best.rbm
	best=$(tail -n 1 e.tsv | cut -f 15)
	cmp best.rbm "ck/epoch-$best.rbm"
	# a model that cannot improve (lr 0) stops after the patience, at the first epoch
	run --separate-stderr rbm-train -d bars.rbd --valid-rows 8 --patience 2 --objective \
		discriminative -e 10 -b 8 --lr 0 --log s.tsv -o s.rbm < lab.rbm
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"early stop after epoch 3: no lower validation error in 2 epochs; the model of epoch 1"* ]]
	[ "$(wc -l < s.tsv)" = 4 ]
	run rbm-info s.rbm
	[[ "$output" == *"epoch	1"* ]]
}

@test "objective: refusals, each one line, nothing written" {
	labelled_init
	fails_cleanly 1 "bars-init.rbm: no label group, so no p(y | x) for --objective discriminative" \
		rbm-train -d bars.rbd --objective discriminative -m bars-init.rbm -o out.rbm
	fails_cleanly 2 "--alpha weighs the generative term of --objective hybrid" \
		rbm-train -d bars.rbd --alpha 0.1 -m lab.rbm -o out.rbm
	fails_cleanly 2 "--alpha 0 leaves no generative term" \
		rbm-train -d bars.rbd --objective hybrid --alpha 0 -m lab.rbm -o out.rbm
	fails_cleanly 2 "--pcd changes the generative gradient" \
		rbm-train -d bars.rbd --objective discriminative --pcd -m lab.rbm -o out.rbm
	fails_cleanly 2 "--center changes the generative gradient" \
		rbm-train -d bars.rbd --objective discriminative --center -m lab.rbm -o out.rbm
	fails_cleanly 2 "--cd-steps is for the generative gradient" \
		rbm-train -d bars.rbd --objective discriminative -k 3 -m lab.rbm -o out.rbm
	fails_cleanly 2 "--objective: 'other' is not" rbm-train -d bars.rbd --objective other -m lab.rbm -o out.rbm
	fails_cleanly 2 "--valid-rows measures classification: bars-init.rbm has no label group" \
		rbm-train -d bars.rbd --valid-rows 4 -m bars-init.rbm -o out.rbm
	fails_cleanly 2 "--valid-rows 32 leaves no rows of bars.rbd to train on (it has 32)" \
		rbm-train -d bars.rbd --valid-rows 32 -m lab.rbm -o out.rbm
	fails_cleanly 2 "--patience needs a validation split" \
		rbm-train -d bars.rbd --patience 3 -m lab.rbm -o out.rbm
	mnist2bin bars.idx -o nolabels.rbd
	fails_cleanly 1 "nolabels.rbd:" \
		rbm-train -d nolabels.rbd --objective discriminative -m lab.rbm -o out.rbm
	[ ! -e out.rbm ]
}
