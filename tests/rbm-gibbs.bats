#!/usr/bin/env bats
# rbm-gibbs: samples, means, snapshots, starts from data.
load helpers

@test "rbm-gibbs: help, version and bad options" {
	common_cli rbm-gibbs
}

@test "rbm-gibbs: binary samples by default, --mean floats, a seed repeats" {
	bars
	rbm-gibbs -n 20 -c 6 --seed 5 < bars-init.rbm > s.rbd
	run rbm-info s.rbd
	[[ "$output" == *"rows	6"* ]] && [[ "$output" == *"binary"* ]] && [[ "$output" == *"shape	4x4"* ]]
	rbm-gibbs -n 20 -c 6 --seed 5 < bars-init.rbm | cmp - s.rbd
	rbm-gibbs -n 20 -c 6 --seed 5 --mean -m bars-init.rbm > p.rbd
	run rbm-info p.rbd
	[[ "$output" == *"float32"* ]]
}

@test "rbm-gibbs: --every gives snapshots whose last equals the plain run" {
	bars
	rbm-gibbs -n 12 -c 4 --every 3 < bars-init.rbm > film.rbd
	run rbm-info film.rbd
	[[ "$output" == *"rows	16"* ]]
	rbm-gibbs -n 12 -c 4 < bars-init.rbm > last.rbd
	# the last 4 rows (16 values each) of the film are the plain run's rows
	[ "$(tail -c 68 film.rbd | head -c 64 | od -An -tx1)" = "$(tail -c 68 last.rbd | head -c 64 | od -An -tx1)" ]
	# --burn-in runs steps first and emits nothing of them: the film's last two snapshots
	rbm-gibbs -n 6 -c 4 --burn-in 6 --every 3 < bars-init.rbm > burnt.rbd
	run rbm-info burnt.rbd
	[[ "$output" == *"rows	8"* ]]
	[ "$(tail -c 132 film.rbd | head -c 128 | od -An -tx1)" = "$(tail -c 132 burnt.rbd | head -c 128 | od -An -tx1)" ]
}

@test "rbm-gibbs: --init DATA starts from data rows; mismatches are refused" {
	bars
	rbm-gibbs -n 1 -c 3 --init bars.rbd < bars-init.rbm > s.rbd
	rbm-init -V 9 -H 2 > m9.rbm
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit a model with 9 visible units" \
		rbm-gibbs --init bars.rbd -m m9.rbm -o out.rbd
	no_file out.rbd
	fails_cleanly 2 "--every 5 does not divide --steps 12" rbm-gibbs -n 12 --every 5
	fails_cleanly 2 "--chains: 0 is out of range" rbm-gibbs -c 0
	fails_cleanly 2 "--kernel: 'x' is not auto, dense, binary or delta" rbm-gibbs --kernel x
	fails_cleanly 1 "<stdin>: empty file" rbm-gibbs < /dev/null
	fails_cleanly 1 "a data file, not a model file" rbm-gibbs < bars.rbd
}

@test "rbm-gibbs: a closed pipe downstream ends it quietly" {
	bars
	run bash -c 'set -o pipefail; rbm-gibbs -n 50 -c 2000 < bars-init.rbm 2>err.txt | head -c 10 > /dev/null; echo "status ${PIPESTATUS[0]}"'
	[[ "$output" == *"status 141"* ]] || [[ "$output" == *"status 0"* ]]
	[ ! -s err.txt ]
}

@test "rbm-gibbs: --flip-rates reports the units flipping per step; delta steps sample as dense ones" {
	bars
	rbm-train -d bars.rbd -e 50 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	run --separate-stderr rbm-gibbs -n 200 -c 50 --flip-rates --kernel delta -o d.rbd < t.rbm
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "visible units: 0."[0-9]+" flip per step; "[0-9]+" of "[0-9]+" products by the flipped units" ]]
	[[ "$stderr" =~ "hidden units: 0."[0-9]+" flip per step" ]]
	run --separate-stderr rbm-gibbs -n 20 -c 5 --flip-rates --kernel dense -o x.rbd < t.rbm
	[[ "$stderr" == *"visible units: flips not measured (--kernel dense or binary, or real values)"* ]]
	# the same chains by dense products: the same distribution; on this small model, for
	# this seed, the same bits
	rbm-gibbs -n 200 -c 50 --kernel dense -o e.rbd < t.rbm
	cmp d.rbd e.rbd
}

@test "rbm-gibbs: --tempering samples the replicas at 1, the same bytes on 1 and 2 threads, in pieces or whole; it reports the ladder" {
	bars
	rbm-train -d bars.rbd -e 30 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	run --separate-stderr rbm-gibbs -n 300 -c 7 --tempering 4 --beta-min 0.3 --base bars.rbd \
		--threads 1 --progress -o s1.rbd -m t.rbm
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "tempering: inverse temperatures 0.3 "[0-9.]+" "[0-9.]+" 1" ]]
	[[ "$stderr" =~ "tempering: swap rates 0."[0-9]+" 0."[0-9]+" 0."[0-9]+"; round trips "[0-9]+ ]]
	run rbm-info s1.rbd
	[[ "$output" == *"rows	7"* ]] && [[ "$output" == *"binary"* ]]
	rbm-gibbs -n 300 -c 7 --tempering 4 --beta-min 0.3 --base bars.rbd --threads 2 --quiet \
		-m t.rbm | cmp - s1.rbd
	# --every cuts the run into pieces: the last snapshot is the whole run's sample
	rbm-gibbs -n 300 -c 7 --every 100 --tempering 4 --beta-min 0.3 --base bars.rbd --quiet \
		-m t.rbm > film.rbd
	[ "$(tail -c 116 film.rbd | head -c 112 | od -An -tx1)" = "$(tail -c 116 s1.rbd | head -c 112 | od -An -tx1)" ]
	# an adapting ladder, means, Gaussian units and a label group take it too
	rbm-gibbs -n 60 -c 3 --tempering 3 --adapt 20 --mean --quiet -m t.rbm > m.rbd
	run rbm-info m.rbd
	[[ "$output" == *"float32"* ]]
	rbm-init --like bars.rbd --labels auto -H 4 -o l.rbm
	rbm-gibbs -n 20 -c 3 --tempering 3 --quiet -m l.rbm > l.rbd
	run rbm-info l.rbd
	[[ "$output" == *"labels	yes"* ]]
}

@test "rbm-gibbs: tempering's options are refused where they mean nothing, with one line" {
	bars
	fails_cleanly 2 "--beta-min, --adapt and --base set up --tempering R" rbm-gibbs --beta-min 0.2 -m bars-init.rbm
	fails_cleanly 2 "--beta-min: 1 is out of range" rbm-gibbs --tempering 3 --beta-min 1 -m bars-init.rbm
	fails_cleanly 2 "--tempering: 0 is out of range" rbm-gibbs --tempering 0 -m bars-init.rbm
	fails_cleanly 2 "--adapt 100 leaves none of the 100 steps on a fixed ladder" rbm-gibbs -n 100 --tempering 3 --adapt 100 -m bars-init.rbm
	rbm-init -V 9 -H 2 > m9.rbm
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit a model with 9 visible units" \
		rbm-gibbs --tempering 2 --base bars.rbd -m m9.rbm -o out.rbd
	no_file out.rbd
}
