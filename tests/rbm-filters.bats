#!/usr/bin/env bats
# rbm-filters: one tile per hidden unit, each row scaled on its own, drawn by bin2pgm.
load helpers

@test "rbm-filters: help, version and bad options" {
	common_cli rbm-filters
}

@test "rbm-filters: a row per hidden unit in the image shape, each from black to white" {
	bars
	rbm-filters -o f.rbd < bars-init.rbm
	rbm-info f.rbd | grep -qx "rows	8"
	rbm-info f.rbd | grep -qx "shape	4x4"
	rbm-info f.rbd | grep -qx "type	float32"
	od -An -v -tf4 -j40 -N$((8 * 16 * 4)) f.rbd | tr -s ' ' '\n' | sed '/^$/d' |
		awk '{ r = int((NR - 1) / 16); if (!(r in lo) || $1 < lo[r]) lo[r] = $1
		       if (!(r in hi) || $1 > hi[r]) hi[r] = $1 }
		     END { for (r = 0; r < 8; r++) if (lo[r] != 0 || hi[r] != 1) { print r, lo[r], hi[r]; bad = 1 }
		           exit bad }'
	rbm-filters --symmetric < bars-init.rbm > s.rbd
	run ! cmp -s f.rbd s.rbd
	rbm-filters < bars-init.rbm | bin2pgm --scale 3 > grid.pgm
	[ "$(head -c 2 grid.pgm)" = P5 ]
}

@test "rbm-filters: refusals exit with one line and leave nothing" {
	bars
	fails_cleanly 1 "<stdin>: a data file, not a model file" rbm-filters -o out.rbd < bars.rbd
	no_file out.rbd
	fails_cleanly 2 "unexpected argument 'x'" rbm-filters x
}
