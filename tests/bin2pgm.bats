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
	fails_cleanly 1 "g.pgm: the grid would be 96064 x 384 pixels (0.1 GB in memory), over the limit of 65535 a side" bin2pgm --cols 300 --scale 64 --pad 64 -o g.pgm many.rbd
	no_file g.pgm
}

@test "bin2pgm: several files side by side, --offset, --limit per file, --shape, --invert" {
	bars
	# the first 4 rows of bars.rbd above rows 16..19 of it, as two grid rows
	bin2pgm --cols 4 --pad 0 --limit 4 bars.rbd --offset 0 > a.pgm
	bin2pgm --cols 4 --pad 0 --offset 16 --limit 4 bars.rbd > b.pgm
	bin2pgm --cols 4 --pad 0 --limit 4 bars.rbd bars.rbd > two.pgm
	run pamfile two.pgm
	[[ "$output" == *"16 by 8"* ]]
	pnmcat -tb a.pgm a.pgm | cmp - two.pgm
	run ! cmp -s a.pgm b.pgm
	# inverted: every pixel of the tiles 255 - v; with no padding, the whole image
	bin2pgm --pad 0 --invert --limit 4 --cols 4 bars.rbd | pnminvert | cmp - a.pgm
	# 4x4 tiles drawn as 2x8
	bin2pgm --pad 0 --shape 2x8 --limit 1 bars.rbd | pamfile | grep -q "8 by 2"
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit --shape 3x3" bin2pgm --shape 3x3 bars.rbd
	fails_cleanly 2 "--shape: '3' is not HxW" bin2pgm --shape 3 bars.rbd
	rbm-init -V 9 -H 2 | rbm-gibbs -n 1 -c 2 > nine.rbd
	fails_cleanly 1 "nine.rbd: rows of 9 values do not match the first file's 16" \
		bin2pgm -o g.pgm bars.rbd nine.rbd
	no_file g.pgm
	fails_cleanly 1 "bars.rbd: no rows to draw after --offset 40" bin2pgm --offset 40 bars.rbd
}

@test "bin2pgm: a grid too large to hold is refused with its size, before a byte of it is asked for" {
	awk 'BEGIN { for (r = 0; r < 300; r++) { l = "0"; for (i = 1; i < 784; i++) l = l ",0"; print l } }' |
		csv2bin --shape 28x28 -o t.rbd
	fails_cleanly 1 "x.pgm: the grid would be 32275 x 30482 pixels (3.9 GB in memory), over the limit" \
		sh -c 'ulimit -v 1000000; bin2pgm --scale 64 t.rbd -o x.pgm'
	no_file x.pgm
	bin2pgm --scale 8 t.rbd -o y.pgm
	[ -s y.pgm ]
}
