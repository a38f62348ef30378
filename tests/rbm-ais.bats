#!/usr/bin/env bats
# rbm-ais: log Z and log-likelihoods.
load helpers

val() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$2"; }

@test "rbm-ais: help, version and bad options" {
	common_cli rbm-ais
}

@test "rbm-ais: AIS brackets the exact log Z of a trained model; log-likelihood follows" {
	bars
	rbm-train -d bars.rbd -e 100 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	rbm-ais --exact -d bars.rbd < t.rbm > exact.txt
	rbm-ais --base bars.rbd -d bars.rbd --betas-scale 0.5 --seed 3 < t.rbm > ais.txt
	cat exact.txt ais.txt
	awk -v z="$(val log_z exact.txt)" -v lo="$(val log_z_lo ais.txt)" -v hi="$(val log_z_hi ais.txt)" \
		'BEGIN { exit !(z >= lo && z <= hi) }'
	# avg_ll = -mean F - log Z: the two files differ by exactly their log Z difference
	awk -v a="$(val avg_ll exact.txt)" -v b="$(val avg_ll ais.txt)" -v za="$(val log_z exact.txt)" \
		-v zb="$(val log_z ais.txt)" 'BEGIN { d = (a - b) - (zb - za); exit !(d < 1e-4 && d > -1e-4) }'
	# a probability: the average log-likelihood of binary data is below 0 and above 16 log(1/2)*2
	awk -v a="$(val avg_ll exact.txt)" 'BEGIN { exit !(a < 0 && a > -23) }'
}

@test "rbm-ais: refusals" {
	bars
	rbm-init -V 30 -H 30 > big.rbm
	fails_cleanly 1 "more than 25" rbm-ais --exact < big.rbm
	fails_cleanly 1 "rows of 16 values do not fit a model with 30 visible units" rbm-ais -d bars.rbd < big.rbm
	fails_cleanly 1 "rows of 16 values do not fit a model with 30 visible units" rbm-ais --base bars.rbd < big.rbm
	fails_cleanly 2 "--runs: 1 is out of range" rbm-ais --runs 1
	fails_cleanly 1 "<stdin>: empty file" rbm-ais < /dev/null
}

@test "rbm-ais: --samples and --weights write the runs' final states and log weights; refusals write nothing" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	run --separate-stderr rbm-ais -m t.rbm --runs 50 --betas-scale 0.05 --samples s.rbd --weights w.rbd --quiet
	[ "$status" -eq 0 ]
	[[ "$output" =~ "samples_ess	"[0-9.]+ ]]
	run rbm-info s.rbd
	[[ "$output" == *"rows	50"* ]] && [[ "$output" == *"binary"* ]] && [[ "$output" == *"shape	4x4"* ]]
	run rbm-info w.rbd
	[[ "$output" == *"rows	50"* ]] && [[ "$output" == *"cols	1"* ]]
	# the largest log weight is 0
	[ "$(bin2csv w.rbd | sort -g | tail -n 1)" = 0 ]
	rbm-ais -m t.rbm --runs 50 --betas-scale 0.05 --samples s2.rbd --weights w2.rbd --quiet > /dev/null
	cmp s.rbd s2.rbd && cmp w.rbd w2.rbd
	fails_cleanly 2 "--samples and --weights go together" rbm-ais -m t.rbm --samples x.rbd
	fails_cleanly 2 "--samples are AIS's runs; --exact runs none" rbm-ais -m t.rbm --exact --samples x.rbd --weights y.rbd
	fails_cleanly 2 "stdout carries the estimates" rbm-ais -m t.rbm --samples - --weights y.rbd
	no_file x.rbd
	no_file y.rbd
}
