#!/usr/bin/env bats
# rbm-hidden: features p(h|v) per row, exact against a computation outside the toolkit,
# sampled states, labels carried, a stacked second layer, refusals.
load helpers

@test "rbm-hidden: help, version and bad options" {
	common_cli rbm-hidden
}

@test "rbm-hidden: p(h|v) of every row equals sigmoid(hb + W v), computed apart from the tools" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 < bars-init.rbm > t.rbm
	rbm-hidden -d bars.rbd -m t.rbm -o f.rbd
	rbm-info f.rbd | grep -qx "rows	32"
	rbm-info f.rbd | grep -qx "cols	8"
	rbm-info f.rbd | grep -qx "type	float32"
	rbm-info f.rbd | grep -qx "labels	yes"
	# the model: W (8 x 16) at byte 136, then vb (16), hb (8); the data: bytes at 40
	od -An -v -tf4 -j136 -N$((4 * (128 + 16 + 8))) t.rbm | tr -s ' ' '\n' | sed '/^$/d' > params
	od -An -v -tu1 -j40 -N$((32 * 16)) bars.rbd | tr -s ' ' '\n' | sed '/^$/d' > v
	od -An -v -tf4 -j40 -N$((32 * 8 * 4)) f.rbd | tr -s ' ' '\n' | sed '/^$/d' > got
	awk 'FILENAME == "params" { p[n++] = $1; next }
	     FILENAME == "v" { v[m++] = $1; next }
	     { r = int(k / 8); j = k % 8; a = p[144 + j]
	       for (i = 0; i < 16; i++) a += p[j * 16 + i] * v[r * 16 + i]
	       want = 1 / (1 + exp(-a)); d = want - $1; if (d < 0) d = -d
	       if (d > 1e-6) { print "row " r " unit " j ": " $1 " vs " want; bad = 1 }
	       k++ }
	     END { if (k != 256) { print k " values"; bad = 1 }; exit bad }' params v got
	# labels carried over, row for row
	cmp <(tail -c 36 bars.rbd | head -c 32) <(tail -c 36 f.rbd | head -c 32)
}

@test "rbm-hidden: --sample draws binary states, fixed by the seed" {
	bars
	rbm-hidden -d bars.rbd --sample -o a.rbd < bars-init.rbm
	rbm-hidden -d bars.rbd --sample -o b.rbd < bars-init.rbm
	rbm-hidden -d bars.rbd --sample --seed 9 -o c.rbd < bars-init.rbm
	rbm-info a.rbd | grep -qx "type	binary"
	cmp a.rbd b.rbd
	run ! cmp -s a.rbd c.rbd
}

@test "rbm-hidden: features train the next layer, a stack of RBMs as a pipeline" {
	bars
	rbm-train -d bars.rbd -e 5 -b 8 --quiet < bars-init.rbm > l1.rbm
	rbm-hidden -d bars.rbd < l1.rbm > h1.rbd
	rbm-init --like h1.rbd -H 4 | rbm-train -d h1.rbd -e 5 -b 8 --quiet > l2.rbm
	rbm-hidden -d h1.rbd < l2.rbm | rbm-info - | grep -qx "cols	4"
}

@test "rbm-hidden: refusals exit with one line and leave nothing" {
	bars
	rbm-init -V 9 -H 3 -o nine.rbm
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit a model with 9 visible units" \
		rbm-hidden -d bars.rbd -m nine.rbm -o out.rbd
	no_file out.rbd
	fails_cleanly 2 "give the data to map with -d FILE" rbm-hidden -m nine.rbm
	fails_cleanly 1 "<stdin>: empty file" rbm-hidden -d bars.rbd -o out.rbd < /dev/null
	no_file out.rbd
	fails_cleanly 2 "unexpected argument 'extra'" rbm-hidden -d bars.rbd extra
}
