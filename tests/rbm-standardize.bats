#!/usr/bin/env bats
# rbm-standardize: columns to zero mean and unit spread as real values, and back.
load helpers

@test "rbm-standardize: help, version and bad options" {
	common_cli rbm-standardize
}

@test "rbm-standardize: each column gets mean 0 and sd 1 (or the floor); labels and shape kept" {
	bars
	gray
	rbm-standardize < bars.rbd > z.rbd
	run rbm-info z.rbd
	[[ "$output" == *"type	float32 real"* ]]
	[[ "$output" == *"labels	yes"* ]]
	[[ "$output" == *"shape	4x4"* ]]
	bin2csv --labels z.rbd > z.csv
	py - z.csv <<-'EOF'
	import sys, numpy as np
	a = np.loadtxt(sys.argv[1], delimiter=",")
	z = a[:, 1:]
	assert np.allclose(z.mean(0), 0, atol=1e-6), z.mean(0)
	assert np.allclose(z.std(0), 1, atol=1e-5), z.std(0)
	assert list(a[:, 0]) == [0] * 16 + [1] * 16
	EOF
	# --inverse undoes it, whatever the floor.
	rbm-standardize --from gray.rbd --min-sd 0.5 < gray.rbd | rbm-standardize --inverse --from gray.rbd --min-sd 0.5 > back.rbd
	bin2csv back.rbd > back.csv
	bin2csv gray.rbd > gray.csv
	py - back.csv gray.csv <<-'EOF'
	import sys, numpy as np
	a, b = (np.loadtxt(f, delimiter=",") for f in sys.argv[1:])
	assert np.abs(255 * a - b).max() < 1e-4, np.abs(255 * a - b).max()  # bytes k = 255 x
	EOF
}

@test "rbm-standardize: mismatched --from and bad values fail, nothing written" {
	bars
	rbm-init -V 5 -H 2 > m.rbm
	printf '1,2,3\n4,5,6\n' | csv2bin --max 10 -o three.rbd
	fails_cleanly 1 "rows of 3 values do not match the input's 16" rbm-standardize --from three.rbd -o out.rbd < bars.rbd
	[ ! -e out.rbd ]
	fails_cleanly 1 "a model file, not a data file" rbm-standardize -o out.rbd < m.rbm
	[ ! -e out.rbd ]
	fails_cleanly 2 "--min-sd" rbm-standardize --min-sd 0 < bars.rbd
}

@test "rbm-standardize: the input as a file operand, as from stdin" {
	bars
	rbm-standardize bars.rbd > a.rbd
	rbm-standardize < bars.rbd > b.rbd
	cmp a.rbd b.rbd
	fails_cleanly 2 "unexpected argument 'more.rbd'" rbm-standardize bars.rbd more.rbd
}

@test "rbm-standardize: --range min-max as svm-scale, statistics saved and restored, the inverse back" {
	bars
	gray
	# z-scores: --save then --restore gives the same bytes as --from
	rbm-standardize --from gray.rbd --save z.st bars.rbd -o a.rbd
	rbm-standardize --restore z.st bars.rbd -o b.rbd
	cmp a.rbd b.rbd
	[ "$(rbm-info z.st | awk -F'\t' '$1 == "rows" { print $2 }')" = 2 ]
	# --range 0:1 on gray (0.125 and 0.75): the extremes go to 0 and 1, stored as [0, 1] values
	rbm-standardize --range 0:1 --save m.st gray.rbd -o u.rbd
	[ "$(rbm-info u.rbd | awk -F'\t' '$1 == "type" { print $2 }')" = float32 ]
	[ "$(bin2csv u.rbd | tr ',' '\n' | sort -u | tr '\n' ' ')" = "0 1 " ]
	# -1:1 gives real values; the inverse of the restored statistics gives the data back
	rbm-standardize --range -1:1 --save p.st gray.rbd -o pm.rbd
	# (to float32's precision: the statistics applied are the float32 ones --save stores)
	bin2csv pm.rbd | tr ',' '\n' | awk '{ d = $1 < 0 ? $1 + 1 : $1 - 1; if (d > 1e-6 || d < -1e-6) exit 1 }'
	[ "$(bin2csv pm.rbd | tr ',' '\n' | sort -u | wc -l)" -eq 2 ]
	rbm-standardize --restore p.st --inverse pm.rbd | bin2csv > back.csv
	bin2csv gray.rbd | tr ',' '\n' > k.txt
	tr ',' '\n' < back.csv | paste - k.txt | awk '{ d = $1 - $2 / 255; if (d > 1e-6 || d < -1e-6) exit 1 }'
	[ "$(wc -l < k.txt)" -eq 512 ]
	fails_cleanly 2 "--restore brings the statistics: --range computes them" rbm-standardize --restore p.st --range 0:1 gray.rbd
	fails_cleanly 2 "--range: 1:0 needs LO below HI" rbm-standardize --range 1:0 gray.rbd
	fails_cleanly 1 "bars.rbd: not statistics of 16 columns" rbm-standardize --restore bars.rbd gray.rbd -o x.rbd
	no_file x.rbd
}

@test "rbm-standardize: the run that saves applies the statistics it stores, so --save and --restore give the same bytes, as does no --save" {
	# statistics whose float32 copies differ from the doubles computed: the third column's
	# last z-score once differed in its eighth digit
	printf '0.1,0.2,0.3\n0.7,0.11,0.13\n0.37,0.9,0.05\n0.21,0.33,0.77\n' | csv2bin > r.rbd
	for range in "" "--range -1:1"; do
		rbm-standardize $range --save st.rbd r.rbd > a.rbd
		rbm-standardize --restore st.rbd r.rbd > b.rbd
		rbm-standardize $range r.rbd > c.rbd
		cmp a.rbd b.rbd
		cmp a.rbd c.rbd
	done
	# the inverse by --from applies the same values as by --restore
	rbm-standardize --save st.rbd r.rbd > a.rbd
	rbm-standardize --inverse --restore st.rbd a.rbd > back1.rbd
	rbm-standardize --inverse --from r.rbd a.rbd | cmp - back1.rbd
}

@test "rbm-standardize: svm-scale's habits: a constant column maps to LO with a warning; --clip keeps restored test data usable by Bernoulli models; --inverse needs statistics; stdin read once" {
	# training rows: column 1 constant, column 2 from 0.2 to 0.4; test rows beyond that range
	printf '0.5,0.2,0\n0.5,0.4,1\n' | csv2bin --real -o train.rbd
	printf '0.9,0.1,0.5\n0.5,0.6,1\n' | csv2bin --real -o test.rbd
	run --separate-stderr rbm-standardize --range 0:1 --save st.rbd train.rbd -o tr.rbd
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"1 of 3 columns are constant in train.rbd: they map to 0"* ]]
	[ "$(bin2csv tr.rbd)" = "$(printf '0,0,0\n0,1,1')" ]
	# the constant column stays at LO on test data too (it was divided by --min-sd: 40)
	rbm-standardize --restore st.rbd test.rbd | bin2csv > te.csv
	[ "$(cut -d, -f1 te.csv | sort -u)" = 0 ]
	# the test set's values beyond the training range: real values, which Bernoulli tools refuse ...
	[ "$(rbm-standardize --restore st.rbd test.rbd | rbm-info - | awk -F'\t' '$1 == "type" { print $2 }')" = "float32 real" ]
	# ... clipped to [0, 1]: probabilities, which a Bernoulli model takes
	rbm-standardize --restore st.rbd --clip 0:1 test.rbd -o clip.rbd
	[ "$(rbm-info clip.rbd | awk -F'\t' '$1 == "type" { print $2 }')" = float32 ]
	[ "$(bin2csv clip.rbd)" = "$(printf '0,0,0.5\n0,1,1')" ]
	rbm-init --like clip.rbd -H 2 | rbm-pll -d clip.rbd --intensities > /dev/null
	fails_cleanly 2 "--inverse undoes statistics: give them with --restore FILE (or --from DATA)" \
		rbm-standardize --inverse tr.rbd -o x.rbd
	fails_cleanly 2 "the input and --from both read stdin" sh -c 'rbm-standardize --from - < train.rbd'
	fails_cleanly 2 "the input and --restore both read stdin" sh -c 'rbm-standardize --restore - < train.rbd'
	# one of them from stdin is fine
	rbm-standardize --from - test.rbd < train.rbd > /dev/null
	fails_cleanly 2 "--clip: 1:0 needs LO below HI" rbm-standardize --clip 1:0 train.rbd
	no_file x.rbd
}
