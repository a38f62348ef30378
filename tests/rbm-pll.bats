#!/usr/bin/env bats
# rbm-pll: pseudo-log-likelihood, mean and per sample, stochastic and exact.
load helpers

@test "rbm-pll: help, version and bad options" {
	common_cli rbm-pll
}

@test "rbm-pll: mean, per sample, exact; the mean is the mean of the rows" {
	bars
	run rbm-pll -d bars.rbd < bars-init.rbm
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | cut -f1 | tr '\n' ' ')" = "pll pll_se rows method " ]
	[[ "$(echo "$output" | awk -F'\t' '$1 == "pll" { print $2 }')" =~ ^-[0-9]+\.[0-9]+$ ]]
	rbm-pll -d bars.rbd --exact --per-sample < bars-init.rbm > rows.txt
	[ "$(wc -l < rows.txt)" -eq 32 ]
	mean=$(rbm-pll -d bars.rbd --exact < bars-init.rbm | awk -F'\t' '$1 == "pll" { print $2 }')
	# its standard error is the rows' spread over the root of their number
	se=$(rbm-pll -d bars.rbd --exact < bars-init.rbm | awk -F'\t' '$1 == "pll_se" { print $2 }')
	awk -v s="$se" '{ x[NR] = $1; m += $1 } END { m /= NR; for (i = 1; i <= NR; i++) v += (x[i] - m)^2
		d = sqrt(v / (NR - 1) / NR) - s; exit !(d < 1e-5 && d > -1e-5) }' rows.txt
	awk -v m="$mean" '{ s += $1 } END { d = s / NR - m; exit !(d < 1e-4 && d > -1e-4) }' rows.txt
	# an untrained 16-pixel model is near 16 log(1/2) = -11.09 nats
	awk -v m="$mean" 'BEGIN { exit !(m < -5 && m > -20) }'
	[ "$(rbm-pll -d bars.rbd --seed 3 < bars-init.rbm)" = "$(rbm-pll -d bars.rbd --seed 3 < bars-init.rbm)" ]
	[ "$(rbm-pll -d bars.rbd --limit 2 --per-sample < bars-init.rbm | wc -l)" -eq 2 ]
}

@test "rbm-pll: refusals" {
	bars
	fails_cleanly 2 "give the data with -d FILE" rbm-pll < bars-init.rbm
	rbm-init -V 9 -H 2 > m9.rbm
	fails_cleanly 1 "rows of 16 values do not fit a model with 9 visible units" rbm-pll -d bars.rbd -m m9.rbm
	fails_cleanly 1 "nope.rbd: No such file or directory" rbm-pll -d nope.rbd < bars-init.rbm
	head -c 60 bars.rbd > short.rbd
	fails_cleanly 1 "short.rbd: truncated" rbm-pll -d short.rbd < bars-init.rbm
}

@test "rbm-pll, rbm-hidden, rbm-classify: --quiet and --progress are taken as the other tools take them" {
	bars
	rbm-init --like bars.rbd --labels auto -H 4 -o l.rbm
	for flag in --quiet --progress; do
		rbm-pll $flag -d bars.rbd < bars-init.rbm > p.txt
		[ -s p.txt ]
		rbm-hidden $flag -d bars.rbd < bars-init.rbm > h.rbd
		[ -s h.rbd ]
		rbm-classify $flag -d bars.rbd < l.rbm > c.txt
		[ -s c.txt ]
	done
}

@test "tools: a model and data both on stdin are refused naming the conflict, not as an empty file" {
	bars
	fails_cleanly 2 "the model and -d both read stdin: give the model with -m FILE, or -d a file" rbm-pll -d - < bars-init.rbm
	fails_cleanly 2 "the model and -d both read stdin" rbm-train -d - -e 1 < bars-init.rbm
	fails_cleanly 2 "the model and --eval both read stdin" rbm-train -d bars.rbd --eval - -e 1 < bars-init.rbm
	fails_cleanly 2 "the model and -d both read stdin" rbm-hidden -d - < bars-init.rbm
	fails_cleanly 2 "the model and -d both read stdin" rbm-ais -d - < bars-init.rbm
	fails_cleanly 2 "the model and --base both read stdin" rbm-ais --base - < bars-init.rbm
	fails_cleanly 2 "the model and --init both read stdin" rbm-gibbs --init - < bars-init.rbm
	# one of them from a file: fine
	rbm-pll -m bars-init.rbm -d - < bars.rbd > p.txt
	[ -s p.txt ]
}

@test "rbm-pll: rows that are not 0/1 are refused as rbm-ais refuses them, unless --intensities says to score them as they are" {
	bars
	gray
	fails_cleanly 1 "gray.rbd: row 0 holds 0.12549: a Bernoulli model gives probabilities of 0/1 rows only; binarize it (mnist2bin --binarize, as data/test-bin.rbd), or give --intensities" \
		rbm-pll -d gray.rbd < bars-init.rbm
	rbm-pll -d gray.rbd --intensities < bars-init.rbm > p.txt
	grep -qx "data	intensities" p.txt
	grep -q "^pll	-" p.txt
	# binary rows need no flag and say nothing of intensities
	rbm-pll -d bars.rbd < bars-init.rbm > b.txt
	run ! grep -q intensities b.txt
}
