#!/usr/bin/env bats
# rbm-rows: rows chosen, shuffled and joined, their bytes and labels kept.
load helpers

@test "rbm-rows: help, version and bad options" {
	common_cli rbm-rows
}

@test "rbm-rows: --first, --last and --skip take the rows head, tail and tail -n +N take of the lines" {
	bars
	bin2csv --labels bars.rbd > all.csv
	[ "$(rbm-rows --first 5 bars.rbd | bin2csv --labels)" = "$(head -n 5 all.csv)" ]
	[ "$(rbm-rows --last 7 bars.rbd | bin2csv --labels)" = "$(tail -n 7 all.csv)" ]
	[ "$(rbm-rows --skip 30 bars.rbd | bin2csv --labels)" = "$(tail -n +31 all.csv)" ]
	[ "$(rbm-rows --skip 3 --first 2 < bars.rbd | bin2csv --labels)" = "$(sed -n 4,5p all.csv)" ]
	# a split and its parts joined again give back the file, byte for byte
	rbm-rows --first 20 bars.rbd -o a.rbd
	rbm-rows --skip 20 bars.rbd -o b.rbd
	rbm-rows a.rbd b.rbd -o ab.rbd
	cmp ab.rbd bars.rbd
	# float32 rows keep their bits and the first file's shape
	floats
	rbm-rows floats.rbd floats.rbd | bin2csv > ff.csv
	[ "$(cat ff.csv)" = "$( (bin2csv floats.rbd; bin2csv floats.rbd) )" ]
}

@test "rbm-rows: --shuffle is a permutation chosen by the seed; --label keeps the rows of the labels given" {
	bars
	rbm-rows --shuffle --seed 3 bars.rbd -o s1.rbd
	rbm-rows --shuffle --seed 3 bars.rbd -o s2.rbd
	rbm-rows --shuffle --seed 4 bars.rbd -o s3.rbd
	cmp s1.rbd s2.rbd
	run ! cmp -s s1.rbd s3.rbd
	run ! cmp -s s1.rbd bars.rbd
	[ "$(bin2csv --labels s1.rbd | sort)" = "$(bin2csv --labels bars.rbd | sort)" ]
	rbm-rows --label 1 bars.rbd | bin2csv --labels > one.csv
	[ "$(cut -d, -f1 one.csv | sort -u)" = 1 ]
	[ "$(wc -l < one.csv)" = "$(bin2csv --labels bars.rbd | grep -c '^1,')" ]
}

@test "rbm-rows: refusals write nothing" {
	bars
	floats
	mnist2bin --binarize threshold bars.idx -o nolab.rbd
	fails_cleanly 1 "floats.rbd: rows of 8 float32 values, labelled, do not join the first file's (16 binary values, labelled)" \
		rbm-rows bars.rbd floats.rbd -o out.rbd
	fails_cleanly 1 "nolab.rbd: rows of 16 binary values, no labels, do not join the first file's (16 binary values, labelled)" \
		rbm-rows bars.rbd nolab.rbd -o out.rbd
	fails_cleanly 1 "nolab.rbd: --label: the data has no labels" rbm-rows --label 1 nolab.rbd -o out.rbd
	fails_cleanly 1 "bars.rbd: no rows are left to write" rbm-rows --skip 32 bars.rbd -o out.rbd
	# head -n 0 is valid: so is --first 0, whose empty result no data file can hold
	fails_cleanly 1 "bars.rbd: no rows are left to write (a data file holds at least one)" rbm-rows --first 0 bars.rbd -o out.rbd
	fails_cleanly 1 "no rows are left to write" rbm-rows --last 0 bars.rbd -o out.rbd
	fails_cleanly 2 "--first and --last: give one" rbm-rows --first 2 --last 2 bars.rbd
	fails_cleanly 2 "--label: 256 is out of range" rbm-rows --label 256 bars.rbd
	no_file out.rbd
}
