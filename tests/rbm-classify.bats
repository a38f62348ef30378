#!/usr/bin/env bats
# rbm-classify: p(y | x) from a model with a label group.
load helpers

# labelled: l.rbm, an RBM with a label group trained on bars (label 0) and stripes (1).
labelled() {
	bars
	rbm-init --like bars.rbd --labels auto -H 8 --seed 5 |
		rbm-train -d bars.rbd -e 200 -b 8 --lr 0.1 --optimizer momentum --quiet > l.rbm
}

@test "rbm-classify: help, version and bad options" {
	common_cli rbm-classify
}

@test "rbm-classify: bars against stripes, probabilities that sum to 1, the same bytes each time" {
	labelled
	rbm-classify -d bars.rbd --error < l.rbm > e.tsv
	# 30 distinct images, and the two blank ones and the two full ones are both a bar and a
	# stripe pattern: at most those 4 can be wrong.
	awk -F'\t' '$1 == "error" && $2 <= 4 / 32 { ok = 1 } END { exit !ok }' e.tsv
	[ "$(grep -c '^confusion' e.tsv)" = 2 ]
	rbm-classify -d bars.rbd < l.rbm > p.tsv
	[ "$(wc -l < p.tsv)" = 32 ]
	awk -F'\t' '{ s = $2 + $3; if (s < 0.99999 || s > 1.00001) exit 1; if (($2 > $3) != ($1 == 0)) exit 1 }' p.tsv
	rbm-classify -d bars.rbd -o p1.rbd < l.rbm
	rbm-classify -d bars.rbd -o p2.rbd < l.rbm
	cmp p1.rbd p2.rbd
	run rbm-info p1.rbd
	[[ "$output" == *"cols	2"* ]]
	[[ "$output" == *"labels	yes"* ]]
	# Rows without labels classify too.
	mnist2bin bars.idx -o nolabels.rbd
	rbm-classify -d nolabels.rbd < l.rbm | cmp - p.tsv
}

@test "rbm-classify: no label group, no labels for --error, labels out of range: one line, nothing written" {
	labelled
	fails_cleanly 1 "has no label group to classify with" rbm-classify -d bars.rbd -o out.rbd < bars-init.rbm
	mnist2bin bars.idx -o nolabels.rbd
	fails_cleanly 1 "nolabels.rbd: no labels, so no error rate (--error)" rbm-classify -d nolabels.rbd --error < l.rbm
	printf '\x00\x00\x08\x01\x00\x00\x00\x20' > big.lab
	for i in $(seq 32); do printf '\x07'; done >> big.lab
	mnist2bin --labels big.lab bars.idx -o big.rbd
	fails_cleanly 1 "row 0: label 7 is outside the model's label group (0..1)" rbm-classify -d big.rbd -o out.rbd < l.rbm
	printf '1,2,3\n' | csv2bin --max 3 -o three.rbd
	fails_cleanly 1 "rows of 3 values do not fit a model with 16 pixel units" rbm-classify -d three.rbd < l.rbm
	fails_cleanly 2 "give the data to classify with -d DATA" rbm-classify < l.rbm
	[ ! -e out.rbd ]
}

@test "rbm-classify: --histogram counts the predicted classes against the labels' frequencies" {
	labelled
	rbm-classify -d bars.rbd --histogram < l.rbm > h.tsv
	grep -q "^rows	32$" h.tsv
	[ "$(grep -c '^class' h.tsv)" = 2 ]
	# counts add up to the rows; the reference is bars.rbd's own half and half
	awk -F'\t' '$1 == "class" { n += $3; if ($5 != "0.5000") exit 1 } END { exit n != 32 }' h.tsv
	# tv is half the sum of the fractions' differences, and no class is under 2% here
	awk -F'\t' '$1 == "class" { d += ($4 > $5 ? $4 - $5 : $5 - $4) } $1 == "tv" { tv = $2 }
		END { exit (tv - d / 2 > 0.0001 || d / 2 - tv > 0.0001) }' h.tsv
	grep -q "^under_2pct	0$" h.tsv
	# rows without labels take the reference's frequencies
	mnist2bin bars.idx -o nolabels.rbd
	rbm-classify -d nolabels.rbd --histogram --reference bars.rbd < l.rbm | cmp - h.tsv
	fails_cleanly 1 "nolabels.rbd: no labels to measure the histogram against (--reference DATA)" \
		rbm-classify -d nolabels.rbd --histogram < l.rbm
	fails_cleanly 2 "--error and --histogram are two reports: give one" rbm-classify -d bars.rbd --error --histogram < l.rbm
	fails_cleanly 2 "--reference is for --histogram" rbm-classify -d bars.rbd --reference bars.rbd < l.rbm
}

@test "rbm-classify: --histogram --weights weighs the rows and prints their effective number" {
	labelled
	# log weights 0 for the first 16 rows (stripes) and -50 for the bars: stripes alone
	for i in $(seq 16); do echo 0; done > w.csv
	for i in $(seq 16); do echo -50; done >> w.csv
	csv2bin --real -o w.rbd < w.csv
	rbm-classify -d bars.rbd --histogram --weights w.rbd < l.rbm > h.tsv
	grep -q "^ess	16.0$" h.tsv
	rbm-classify -d bars.rbd --histogram < l.rbm > plain.tsv
	# nearly all the weight on the stripes: class 0's fraction near 1
	awk -F'\t' '$1 == "class" && $2 == 0 && $4 > 0.85 { ok = 1 } END { exit !ok }' h.tsv
	head -c 3 w.csv > short.csv
	csv2bin --real -o short.rbd < short.csv
	fails_cleanly 1 "short.rbd: not a column of 32 log weights (rbm-ais --weights)" \
		rbm-classify -d bars.rbd --histogram --weights short.rbd < l.rbm
	fails_cleanly 2 "--weights is for --histogram" rbm-classify -d bars.rbd --weights w.rbd < l.rbm
}

@test "rbm-classify --segment: a categorical segment given the rest of the row; refusals name the segment" {
	# colour and code name the same thing; noise is a coin of its own, taken by the label
	awk 'BEGIN { srand(3); split("red green blue", c, " "); split("R G B", k, " ")
		for (i = 0; i < 90; i++) { j = 1 + i % 3; printf "%s,%s,%s,%d\n", c[j], k[j],
			rand() < 0.5 ? "p" : "q", rand() < 0.5 } }' > rows.csv
	csv2bin --categorical 1-3 --label-column 4 rows.csv > rows.rbd
	rbm-init --like rows.rbd -H 6 --seed 2 |
		rbm-train -d rows.rbd -e 300 -b 10 --lr 0.1 --quiet > plain.rbm
	rbm-classify -m plain.rbm -d rows.rbd --segment 2 --error > e.tsv
	awk -F'\t' '$1 == "error" { ok = $2 <= 0.05 } END { exit !ok }' e.tsv
	[ "$(grep -c '^confusion' e.tsv)" = 3 ]
	# --output's labels are each row's own state of the segment, probabilities sum to 1
	rbm-classify -m plain.rbm -d rows.rbd --segment 1 -o p.rbd
	bin2csv --labels p.rbd | awk -F, '{ s = $2 + $3 + $4; if (s < 0.99999 || s > 1.00001) exit 1 }'
	paste -d, <(bin2csv --labels p.rbd | cut -d, -f1) <(bin2csv rows.rbd | cut -d, -f1) |
		awk -F, '$1 != $2 { exit 1 }'
	# a model with a label group: the segment given pixels, segments and label; rows need labels
	rbm-init --like rows.rbd --labels auto -H 6 --seed 2 |
		rbm-train -d rows.rbd -e 300 -b 10 --lr 0.1 --quiet > lab.rbm
	rbm-classify -m lab.rbm -d rows.rbd --segment 1 --error |
		awk -F'\t' '$1 == "error" { ok = $2 <= 0.05 } END { exit !ok }'
	rbm-classify -m lab.rbm -d rows.rbd --segment 3 --histogram | grep -q '^tv'
	csv2bin --categorical 1-3 <(cut -d, -f1-3 rows.csv) > nolab.rbd
	fails_cleanly 1 "nolab.rbd: no labels, and the model has a label group of 2" \
		rbm-classify -m lab.rbm -d nolab.rbd --segment 1 -o out.rbd
	fails_cleanly 1 "plain.rbm: --segment 4, but the model has 3 categorical segments" \
		rbm-classify -m plain.rbm -d rows.rbd --segment 4 -o out.rbd
	fails_cleanly 1 "plain.rbm: the model has no label group to classify with (rbm-init --labels K); name a categorical segment with --segment S" \
		rbm-classify -m plain.rbm -d rows.rbd -o out.rbd
	fails_cleanly 2 "--segment" rbm-classify -m plain.rbm -d rows.rbd --segment 0
	[ ! -e out.rbd ]
}
