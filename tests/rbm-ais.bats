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
	[[ "$output" == *"rows	50"* ]]
	[[ "$output" == *"binary"* ]]
	[[ "$output" == *"shape	4x4"* ]]
	run rbm-info w.rbd
	[[ "$output" == *"rows	50"* ]]
	[[ "$output" == *"cols	1"* ]]
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

@test "rbm-ais --raise: a lower bound beside AIS, on a seeded subset of rows; the same bytes on 1 and 2 threads" {
	bars
	rbm-train -d bars.rbd -e 100 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	rbm-ais --exact --raise --raise-runs 4 --betas-scale 0.2 -d bars.rbd --quiet < t.rbm > r.txt
	cat r.txt
	[ "$(val raise_rows r.txt)" = 32 ]
	[ "$(val raise_runs r.txt)" = 4 ]
	# exact less RAISE, row by row: at or above 0 within 3 standard errors, and small
	awk -v g="$(val raise_gap r.txt)" -v se="$(val raise_gap_se r.txt)" \
		'BEGIN { exit !(g >= -3 * se && g < 0.1) }'
	awk -v a="$(val raise_avg_ll r.txt)" -v lo="$(val raise_avg_ll_lo r.txt)" \
		-v hi="$(val raise_avg_ll_hi r.txt)" 'BEGIN { exit !(lo < a && a < hi) }'
	# beside AIS: its own avg_ll and the gap on the same rows
	rbm-ais --raise --rows 10 --runs 20 --betas-scale 0.05 --base bars.rbd -d bars.rbd --quiet \
		--threads 1 < t.rbm > a1.txt
	rbm-ais --raise --rows 10 --runs 20 --betas-scale 0.05 --base bars.rbd -d bars.rbd --quiet \
		--threads 2 < t.rbm > a2.txt
	cmp a1.txt a2.txt
	[ "$(val raise_rows a1.txt)" = 10 ]
	[ "$(val rows a1.txt)" = 32 ]
	# AIS's average on RAISE's rows beside RAISE's: their difference is the gap
	awk -v a="$(val raise_ais_avg_ll a1.txt)" -v r="$(val raise_avg_ll a1.txt)" -v g="$(val raise_gap a1.txt)" \
		'BEGIN { d = a - r - g; exit !(d < 1e-5 && d > -1e-5) }'
	# another seed, another subset of rows
	rbm-ais --raise --rows 10 --runs 20 --betas-scale 0.05 --base bars.rbd -d bars.rbd --quiet \
		--seed 2 < t.rbm > b.txt
	[ "$(val raise_avg_ll a1.txt)" != "$(val raise_avg_ll b.txt)" ]
	fails_cleanly 2 "--raise needs -d DATA" rbm-ais --raise < t.rbm
	fails_cleanly 2 "--rows: 0 is out of range" rbm-ais --raise --rows 0 -d bars.rbd < t.rbm
}

@test "rbm-ais --by-label: each label's average, weighted by its rows, gives back the overall average" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	rbm-ais --exact --by-label -d bars.rbd < t.rbm > l.txt
	cat l.txt
	awk -F'\t' '$1 ~ /^avg_ll_label_/ { k = substr($1, 14); s[k] = $2 }
		$1 ~ /^rows_label_/ { k = substr($1, 12); n[k] = $2 }
		$1 == "avg_ll" { all = $2 } $1 == "rows" { rows = $2 }
		END { for (k in s) { t += s[k] * n[k]; c += n[k]; labels++ }
		      d = t / c - all; exit !(c == rows && labels > 1 && d < 1e-4 && d > -1e-4) }' l.txt
	mnist2bin --binarize threshold bars.idx -o nolab.rbd
	fails_cleanly 1 "--by-label: nolab.rbd has no labels" rbm-ais --exact --by-label -d nolab.rbd < t.rbm
}

@test "rbm-ais: intensities given to a Bernoulli model are refused; an open interval says what to raise" {
	bars
	gray
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	fails_cleanly 1 "gray.rbd: row 0 holds 0.12549: a Bernoulli model gives probabilities of 0/1 rows only; binarize it" \
		rbm-ais --exact -d gray.rbd < t.rbm
	# two runs at two temperatures: the weights too spread for an interval
	rbm-train -d bars.rbd -e 200 -b 8 --lr 0.3 --quiet < bars-init.rbm > sharp.rbm
	run --separate-stderr rbm-ais --runs 2 --betas-scale 0.0001 --seed 4 --quiet < sharp.rbm
	[ "$status" -eq 0 ]
	[[ "$(val log_z_lo <(echo "$output"))" == "-inf" ]]
	[[ "$stderr" == *"raise --runs or --betas-scale"* ]]
}

@test "rbm-ais: --samples and --weights that name one file, however spelt, are refused" {
	bars
	ais() { rbm-ais -m bars-init.rbm --runs 2 --betas-scale 1e-3 "$@"; }
	fails_cleanly 2 "--samples and --weights name the same file" ais --samples s.rbd --weights ./s.rbd
	mkdir d
	fails_cleanly 2 "name the same file" ais --samples d/../s.rbd --weights s.rbd
	no_file s.rbd
	echo keep > t.rbd
	ln -s t.rbd u.rbd
	fails_cleanly 2 "name the same file" ais --samples t.rbd --weights u.rbd
	[ "$(cat t.rbd)" = keep ]
	ais --samples d/s.rbd --weights s.rbd > out
	[ -s d/s.rbd ]
	[ -s s.rbd ]
}

@test "rbm-ais --raise: memory does not grow with --raise-runs (the reverse chains run a piece at a time)" {
	bars
	peak() { /usr/bin/time -f %M rbm-ais -m bars-init.rbm -d bars.rbd --raise --raise-runs "$1" \
		--betas-scale 1e-4 --runs 4 --quiet 2>&1 > /dev/null | tail -n 1; }
	small=$(peak 1000) big=$(peak 10000)
	echo "peak resident KB: $small at 1000 runs a row, $big at 10000" >&2
	# all 320,000 chains at once would hold 20 MB of states more
	[ "$big" -lt $((small + 8000)) ]
}

@test "rbm-ais, rbm-pll: an estimate that overflows the arithmetic is an error naming the cause, not nan" {
	bars
	# a Gaussian model of 2 x 2 with one weight at 1e30; a Bernoulli 16 x 4 with every weight
	# at 3e38: finite, but their energies are not
	py - <<'PY'
import numpy as np
W = np.zeros((2, 2)); W[0, 0] = 1e30
np.savez("g.npz", W=W, vbias=np.zeros(2), hbias=np.zeros(2), logvar=np.zeros(2))
np.savez("b.npz", W=np.full((4, 16), 3e38), vbias=np.zeros(16), hbias=np.zeros(4))
PY
	rbm-import g.npz -o g.rbm
	rbm-import --like bars.rbd b.npz -o b.rbm
	fails_cleanly 1 "log_z is nan: the model's energies overflow the arithmetic (its largest parameter is 1e+30" \
		rbm-ais -m g.rbm --runs 4 --betas-scale 0.01
	fails_cleanly 1 "log_z is nan" rbm-ais -m b.rbm --runs 4 --betas-scale 0.01 --samples s.rbd --weights w.rbd
	[ ! -e s.rbd ]
	[ ! -e w.rbd ]
	fails_cleanly 1 "avg_ll is infinite: the model's energies overflow the arithmetic (its largest parameter is 3e+38" \
		rbm-ais -m b.rbm --exact -d bars.rbd
	fails_cleanly 1 "is infinite" rbm-ais -m b.rbm --exact --by-label -d bars.rbd
	fails_cleanly 1 "is infinite" rbm-ais -m b.rbm --exact --raise --raise-runs 2 --betas-scale 0.01 -d bars.rbd
	fails_cleanly 1 "pll is nan: the model's energies overflow" rbm-pll -m b.rbm -d bars.rbd
	fails_cleanly 1 "pll is nan" rbm-pll -m b.rbm -d bars.rbd --exact
	# the exact log Z of the Gaussian model is finite (1e60 / 2): printed as it is
	rbm-ais -m g.rbm --exact | grep -qx "log_z	5000000.*"
}

@test "rbm-ais --per-row: each row's -F(v) - log Z, one a line, averaging to avg_ll; written with the estimates or not at all" {
	bars
	rbm-train -d bars.rbd -e 20 -b 8 --lr 0.1 --quiet < bars-init.rbm > t.rbm
	rbm-ais --exact -d bars.rbd --per-row rows.txt < t.rbm > e.txt
	[ "$(wc -l < rows.txt)" -eq "$(val rows e.txt)" ]
	awk -v a="$(val avg_ll e.txt)" '{ s += $1; if (!($1 < 0)) exit 1 } END { d = s / NR - a; exit !(d < 1e-5 && d > -1e-5) }' rows.txt
	# the same model by AIS: every row moves by the same log Z difference
	rbm-ais --base bars.rbd -d bars.rbd --betas-scale 0.2 --per-row ais-rows.txt < t.rbm > a.txt
	paste rows.txt ais-rows.txt | awk -v dz="$(val log_z a.txt) $(val log_z e.txt)" '
		BEGIN { split(dz, z, " "); want = z[2] - z[1] }
		{ d = $2 - $1 - want; if (d > 1e-4 || d < -1e-4) exit 1 }'
	fails_cleanly 2 "--per-row needs -d DATA" rbm-ais --exact --per-row r.txt -m t.rbm
	fails_cleanly 2 "--per-row is a file: stdout carries the estimates" rbm-ais --exact -d bars.rbd --per-row - -m t.rbm
	fails_cleanly 2 "--per-row and --samples or --weights name the same file" rbm-ais -d bars.rbd --samples s.rbd --weights w.rbd --per-row ./s.rbd -m t.rbm
	# a refused estimate leaves no file behind
	mnist2bin --binarize threshold bars.idx -o nolab.rbd
	fails_cleanly 1 "--by-label: nolab.rbd has no labels" rbm-ais --exact --by-label -d nolab.rbd --per-row gone.txt -m t.rbm
	no_file gone.txt
}
