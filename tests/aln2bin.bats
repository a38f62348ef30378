#!/usr/bin/env bats
# aln2bin and bin2aln: alignments in and out as categorical columns, and categorical models
# (rbm-init --categorical or --like) through the tools.
load helpers

# aln: a small Stockholm alignment aln.sto of 6 sequences, 8 columns, in two blocks, with
# annotations, an insert column of '.', an X and lower case letters.
aln() {
	cat > aln.sto <<'STO'
# STOCKHOLM 1.0
#=GF ID   toy
#=GS s1   DE first

s1      ACDE.FG
s2      ACDF.FG
s3      ACEEaFG
s4      WCDE.F-
s5      ACDX.FG
s6      -CDE.FG
#=GC SS_cons CCCC.CC

s1      H
s2      H
s3      K
s4      H
s5      H
s6      H
//
STO
}

@test "aln2bin, bin2aln: help, version and bad options" {
	common_cli aln2bin
	common_cli bin2aln
}

@test "aln2bin: Stockholm, A2M and FASTA to categorical columns; bin2aln writes them back" {
	aln
	aln2bin aln.sto > a.rbd 2> summary.txt
	[[ "$(cat summary.txt)" == *"stockholm, 6 of 6 sequences, 8 of 8 columns, 21 states, 1 residues outside the alphabet read as gaps"* ]]
	run rbm-info a.rbd
	[[ "$output" == *"categorical	21x8"* ]]
	[[ "$output" == *"cols	0"* ]]
	bin2aln a.rbd > a.fa
	[ "$(sed -n 2p a.fa)" = "ACDE-FGH" ] # '.' is a gap, lower case upper
	[ "$(sed -n 6p a.fa)" = "ACEEAFGK" ]
	[ "$(sed -n 10p a.fa)" = "ACD--FGH" ] # X read as a gap
	[ "$(grep -c '^>seq' a.fa)" -eq 6 ]
	# FASTA in: the same rows; A2M (lower case, '.') drops the inserts
	aln2bin a.fa | cmp - a.rbd
	printf '>a\nAC.dE\n>b\nA-aaC\n' | aln2bin 2> /dev/null | bin2aln > ins.fa
	[ "$(sed -n 2p ins.fa)" = "ACE" ] && [ "$(sed -n 4p ins.fa)" = "A-C" ]
	# the gap filters: columns first, then rows; DNA's alphabet
	aln2bin --max-gap-col 0.2 aln.sto 2> /dev/null | bin2aln | sed -n 2p | grep -qx 'ACDEFGH'
	[ "$(aln2bin --max-gap-col 0.2 --max-gap-row 0 aln.sto 2> /dev/null | bin2aln | grep -c '^>')" -eq 3 ]
	printf '>x\nACGT-\n>y\nAGG-T\n' | aln2bin --alphabet dna 2> /dev/null | bin2aln | sed -n 4p | grep -qx 'AGG-T'
	printf '>x\nAB\n>y\nBA\n' | aln2bin --alphabet AB 2> /dev/null | bin2aln --alphabet AB | sed -n 4p | grep -qx 'BA'
}

@test "aln2bin --weights-out: 1 / the sequences at the identity threshold or more" {
	aln
	aln2bin --weights-out w.rbd --identity 0.8 aln.sto > a.rbd 2> summary.txt
	# at 0.8, 7 of the 8 columns: s1 meets s2, s5 and s6 there, s2 and s5 each other and s1, s6
	# s1 alone; s3 and s4 none but themselves
	[ "$(bin2csv w.rbd | tr '\n' ' ')" = "0.25 0.333333343 1 1 0.333333343 0.5 " ]
	[[ "$(cat summary.txt)" == *"3.4 effective sequences at identity 0.8"* ]]
	aln2bin --weights-out w1.rbd --identity 1 aln.sto > /dev/null 2>&1
	[ "$(bin2csv w1.rbd | sort -u)" = 1 ]
}

@test "aln2bin: bad alignments are refused with one line naming the line, and nothing written" {
	aln
	fails_cleanly 1 "line 2: a residue that is no letter, gap or '*': '7'" aln2bin <(printf '>a\nAC7\n')
	fails_cleanly 1 "sequence 2 (b) has 2 columns, the first 3" aln2bin <(printf '>a\nACD\n>b\nAC\n')
	fails_cleanly 1 "no sequences" aln2bin /dev/null
	fails_cleanly 1 "line 1: residues before the first '>' line" aln2bin <(printf 'ACD\n')
	fails_cleanly 1 "a NUL byte" aln2bin <(printf '>a\nA\0C\n')
	fails_cleanly 1 "gzip-compressed" aln2bin <(gzip -c aln.sto)
	fails_cleanly 1 "the alignment ends without '//'" aln2bin <(head -n 13 aln.sto)
	fails_cleanly 1 "text after the alignment's '//'" aln2bin <(cat aln.sto aln.sto)
	fails_cleanly 1 "this block's sequences are not the first block's" aln2bin <(sed 's/^s6      H/s9      H/' aln.sto)
	fails_cleanly 1 "has no columns" aln2bin <(printf '>a\n\n>b\n')
	fails_cleanly 1 "has no match columns" aln2bin <(printf '>a\nac\n>b\nac\n')
	fails_cleanly 1 "every one of the 2 columns has more gaps" aln2bin --max-gap-col 0 <(printf '>a\nA-\n>b\n-C\n')
	fails_cleanly 1 "which has no gap to read it as" aln2bin --alphabet AB <(printf '>a\nAC\n')
	fails_cleanly 2 "--alphabet" aln2bin --alphabet AA aln.sto
	fails_cleanly 2 "--alphabet" aln2bin --alphabet ab aln.sto
	fails_cleanly 1 "a Stockholm file, read as FASTA" aln2bin --format fasta aln.sto
	run aln2bin --weights-out w.rbd <(printf '>a\nA7\n') -o a.rbd
	[ "$status" -eq 1 ]
	no_file a.rbd
	no_file w.rbd
	# bin2aln: value columns, no categorical ones, or states that name no alphabet
	bars
	fails_cleanly 1 "no categorical columns" bin2aln bars.rbd
	aln2bin --alphabet ABC <(printf '>a\nAB\n') -o abc.rbd 2> /dev/null
	fails_cleanly 1 "3 states name no alphabet: give --alphabet" bin2aln abc.rbd
	fails_cleanly 1 "column 1 has 3 states, the alphabet 21" bin2aln --alphabet protein abc.rbd
}

@test "categorical models: rbm-init --categorical and --like, training, samples, PLL, AIS, export" {
	aln
	aln2bin aln.sto -o a.rbd 2> /dev/null
	rbm-init --like a.rbd -H 6 --seed 2 > m0.rbm
	run rbm-info m0.rbm
	[[ "$output" == *"visible	168"* ]] && [[ "$output" == *"categorical	21x8"* ]]
	[[ "$output" == *"shape	0x0"* ]]
	rbm-train -d a.rbd -m m0.rbm -e 30 -b 3 --pcd --lr 0.05 2> /dev/null > m1.rbm
	rbm-gibbs -m m1.rbm -n 200 -c 4 --seed 3 | bin2aln > s.fa
	[ "$(grep -c '^>' s.fa)" -eq 4 ] && [ "$(sed -n 2p s.fa | wc -c)" -eq 9 ]
	# exact log Z beside AIS; the exact pseudo-likelihood conditions each segment on the rest
	exact=$(rbm-ais -m m1.rbm -d a.rbd --exact | awk -F'\t' '$1 == "avg_ll" { print $2 }')
	ais=$(rbm-ais -m m1.rbm -d a.rbd --runs 100 --seed 4 2> /dev/null | awk -F'\t' '$1 == "avg_ll" { print $2 }')
	awk -v e="$exact" -v a="$ais" 'BEGIN { exit !(e - a < 0.5 && a - e < 0.5) }'
	pll=$(rbm-pll -m m1.rbm -d a.rbd --exact | awk -F'\t' '$1 == "pll" { print $2 }')
	awk -v p="$pll" -v e="$exact" 'BEGIN { exit !(p < 0 && p > 8 * -log(21)) }'
	# the npz carries the segments, and the model comes back the same
	rbm-export -m m1.rbm > m.npz
	[ "$(py -c "import numpy as np; print(list(np.load('m.npz')['segments']))")" = "[21, 21, 21, 21, 21, 21, 21, 21]" ]
	rbm-import m.npz | rbm-pll -d a.rbd --exact | cmp - <(rbm-pll -m m1.rbm -d a.rbd --exact)
	# each hidden unit's weights as a 21 x 8 table
	run rbm-info <(rbm-filters -m m1.rbm)
	[[ "$output" == *"shape	21x8"* ]] && [[ "$output" == *"rows	6"* ]]
	# rbm-init --categorical: runs KxL, then a label group
	rbm-init -V 4 --categorical 3x2 --categorical 5 --labels 2 -H 3 > c.rbm
	run rbm-info c.rbm
	[[ "$output" == *"visible	17"* ]] && [[ "$output" == *"categorical	3x2,5"* ]] && [[ "$output" == *"label_group	2"* ]]
	rbm-gibbs -m c.rbm -n 5 -c 3 -o c.rbd
	bin2csv c.rbd > c.csv
	[ "$(head -n 1 c.csv | tr ',' '\n' | wc -l)" -eq 7 ] # 4 pixels, then 3 states
	# rbm-rows keeps the categorical columns, and joins only files of the same layout
	rbm-rows --last 2 a.rbd | bin2aln | sed -n 2p | grep -qx 'ACD--FGH'
	fails_cleanly 1 "do not join" rbm-rows a.rbd c.rbd
}

@test "categorical data and models: mismatches are refused with one line" {
	aln
	bars
	aln2bin aln.sto -o a.rbd 2> /dev/null
	rbm-init --like a.rbd -H 3 > m.rbm
	fails_cleanly 1 "rows of 16 values do not fit a model with 0 pixel units" rbm-pll -m m.rbm -d bars.rbd
	fails_cleanly 1 "rows of 0 categorical columns do not fit a model with 2 categorical segments" rbm-train -m <(rbm-init -V 16 --categorical 3x2 -H 2) -d bars.rbd -e 1
	fails_cleanly 1 "categorical column 8 has 5 states, the model's segment 21" rbm-pll -m m.rbm -d <(rbm-init --categorical 21x7 --categorical 5 -H 2 | rbm-gibbs -n 1 -c 2)
	fails_cleanly 1 "rows of 16 values do not fit a model with 0 pixel units" rbm-train -m m.rbm -d bars.rbd -e 1
	for t in bin2pgm bin2npy bin2svm rbm-standardize; do
		fails_cleanly 1 "8 categorical columns: this tool reads value columns only" $t a.rbd
	done
	fails_cleanly 2 "--categorical: '3y' is not an integer" rbm-init --categorical 3y -H 2
	fails_cleanly 2 "--categorical" rbm-init --categorical 1x3 -H 2
	fails_cleanly 2 "--categorical contradicts" rbm-init --like a.rbd --categorical 3 -H 2
}

@test "rbm-gibbs --clamp on categorical segments: a mask a column per variable or per unit, never a split segment" {
	aln
	aln2bin aln.sto -o a.rbd 2> /dev/null
	rbm-init --like a.rbd -H 4 > m.rbm
	# hold the first four columns of each row, sample the last four
	printf '1,1,1,1,0,0,0,0\n' | csv2bin > mask.rbd
	rbm-gibbs -m m.rbm --init a.rbd --clamp mask.rbd -n 20 -c 6 --seed 5 | bin2aln > s.fa
	[ "$(sed -n '2~2p' s.fa | cut -c1-4 | tr '\n' ' ')" = "ACDE ACDF ACEE WCDE ACD- -CDE " ]
	# the same mask a column per unit (21 per segment) holds the same
	py -c "print(','.join(['1'] * 84 + ['0'] * 84))" | csv2bin > units.rbd
	rbm-gibbs -m m.rbm --init a.rbd --clamp units.rbd -n 20 -c 6 --seed 5 | bin2aln | cmp - s.fa
	py -c "print(','.join(['1'] * 85 + ['0'] * 83))" | csv2bin > split.rbd
	fails_cleanly 1 "split.rbd: row 1: columns 85..105 split categorical segment 5" \
		rbm-gibbs -m m.rbm --init a.rbd --clamp split.rbd -n 2 -c 6
	printf '1,1\n' | csv2bin > narrow.rbd
	fails_cleanly 1 "give a column per pixel and per segment (8), or per unit (168)" \
		rbm-gibbs -m m.rbm --init a.rbd --clamp narrow.rbd -n 2
}
