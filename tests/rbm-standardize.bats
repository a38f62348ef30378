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
	[[ "$output" == *"type	float32 real"* ]] && [[ "$output" == *"labels	yes"* ]] && [[ "$output" == *"shape	4x4"* ]]
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
