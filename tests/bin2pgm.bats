#!/usr/bin/env bats
# bin2pgm: data files as PGM grids.
load helpers

@test "bin2pgm: help, version and bad options" {
	common_cli bin2pgm
}

@test "bin2pgm: grid sizes follow --cols, --pad, --scale; netpbm reads the result" {
	bars
	bin2pgm bars.rbd > g.pgm
	run pamfile g.pgm
	# 32 tiles: 6 columns, 6 rows of 4x4 tiles with 1 pixel of padding: 31 x 31
	[[ "$output" == *"PGM raw, 31 by 31"* ]]
	bin2pgm --cols 8 --pad 0 --scale 3 < bars.rbd > h.pgm
	run pamfile h.pgm
	[[ "$output" == *"96 by 48"* ]]
	bin2pgm --limit 1 --pad 0 bars.rbd | pnmtopng > one.png
	[ -s one.png ]
}

@test "bin2pgm: refusals write nothing" {
	bars
	fails_cleanly 1 "<stdin>: empty file" bin2pgm < /dev/null
	fails_cleanly 1 "a model file, not a data file" bin2pgm -o g.pgm bars-init.rbm
	no_file g.pgm
	fails_cleanly 2 "--scale: 0 is out of range" bin2pgm --scale 0 bars.rbd
	fails_cleanly 2 "--cols: 'many' is not an integer" bin2pgm --cols many bars.rbd
	rbm-gibbs -n 1 -c 300 < bars-init.rbm > many.rbd
	fails_cleanly 1 "larger than 65535" bin2pgm --cols 300 --scale 64 --pad 64 -o g.pgm many.rbd
	no_file g.pgm
}
