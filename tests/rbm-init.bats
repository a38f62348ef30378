#!/usr/bin/env bats
# rbm-init: fresh models.
load helpers

@test "rbm-init: help, version and bad options" {
	common_cli rbm-init
}

@test "rbm-init: shapes from options and from data; a seed gives the same bytes" {
	rbm-init -V 784 -H 10 > a.rbm
	run rbm-info a.rbm
	[[ "$output" == *"visible	784"* ]]
	[[ "$output" == *"shape	28x28"* ]]
	[[ "$output" == *"hidden	10"* ]]
	rbm-init -V 12 -H 3 --shape 3x4 --seed 9 > b.rbm
	rbm-init -V 12 -H 3 --shape 3x4 --seed 9 > c.rbm
	cmp b.rbm c.rbm
	rbm-init -V 12 -H 3 --shape 3x4 --seed 10 > d.rbm
	run ! cmp -s b.rbm d.rbm
	bars
	run rbm-info bars-init.rbm
	[[ "$output" == *"visible	16"* ]]
	[[ "$output" == *"shape	4x4"* ]]
	[[ "$output" == *"vb from data"* ]]
}

@test "rbm-init: bad values exit 2, bad data exits 1, nothing written" {
	fails_cleanly 2 "give --visible N, --categorical K or --like DATA" rbm-init -H 3
	fails_cleanly 2 "--hidden: 0 is out of range" rbm-init -V 4 -H 0
	fails_cleanly 2 "--w-std: 'abc' is not a number" rbm-init -V 4 --w-std abc
	fails_cleanly 2 "--shape 3x3 does not hold 10" rbm-init -V 10 --shape 3x3
	fails_cleanly 2 "--shape: '7' is not HxW" rbm-init -V 10 --shape 7
	fails_cleanly 2 "--seed: '-1' is not a non-negative integer" rbm-init -V 4 --seed -1
	fails_cleanly 2 "over the limit" rbm-init -V 1000000 -H 1000000 -o big.rbm
	no_file big.rbm
	: > empty.rbd
	fails_cleanly 1 "empty.rbd: empty file" rbm-init --like empty.rbd -o m.rbm
	no_file m.rbm
	rbm-init -V 4 -H 2 > m4.rbm
	fails_cleanly 1 "m4.rbm: a model file, not a data file" rbm-init --like m4.rbm -o m.rbm
	no_file m.rbm
}

@test "rbm-init --like: the data are measured in units of the sigma given (--sigma S, --sigma data), not of 1" {
	printf '2e15,1\n-1,0.5\n' | csv2bin --real > big.rbd
	rbm-init --like big.rbd --visible gaussian --sigma 100 -H 2 -o a.rbm
	rbm-info a.rbm | grep -qx "sigma_max	100"
	fails_cleanly 1 "big.rbd: row 0, column 1: 2e+15 is 2e+15 standard deviations of its Gaussian unit (sigma 1)" \
		rbm-init --like big.rbd --visible gaussian -H 2 -o b.rbm
	# sigma from the data: within what the format holds, or refused naming the column
	printf '2e8,1\n-1,0.5\n' | csv2bin --real > mid.rbd
	rbm-init --like mid.rbd --visible gaussian --sigma data -H 2 | rbm-info - | grep -qx "sigma_max	1e+08"
	fails_cleanly 1 "big.rbd: column 1: a variance of 1e+30 is more than a Gaussian unit's sigma holds" \
		rbm-init --like big.rbd --visible gaussian --sigma data -H 2 -o b.rbm
	no_file b.rbm
}
