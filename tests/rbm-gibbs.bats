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
	[[ "$output" == *"rows	6"* ]]
	[[ "$output" == *"binary"* ]]
	[[ "$output" == *"shape	4x4"* ]]
	rbm-gibbs -n 20 -c 6 --seed 5 < bars-init.rbm | cmp - s.rbd
	rbm-gibbs -n 20 -c 6 --seed 5 --mean -m bars-init.rbm > p.rbd
	run rbm-info p.rbd
	[[ "$output" == *"float32"* ]]
}

@test "rbm-gibbs: --every gives snapshots from step 0 whose last equals the plain run" {
	bars
	rbm-gibbs -n 12 -c 4 --every 3 < bars-init.rbm > film.rbd
	run rbm-info film.rbd
	[[ "$output" == *"rows	20"* ]]
	# step 0 is the start: from data, the data's rows; from noise, the noise rounded at 0.5
	rbm-gibbs -n 4 -c 4 --every 2 --init bars.rbd < bars-init.rbm | bin2csv | head -n 4 > start.csv
	[ "$(bin2csv bars.rbd | head -n 4)" = "$(cat start.csv)" ]
	rbm-gibbs -n 4 -c 4 --every 2 --mean < bars-init.rbm | bin2csv | head -n 4 > noise.csv
	rbm-gibbs -n 4 -c 4 --every 2 < bars-init.rbm | bin2csv | head -n 4 > round.csv
	[ "$(tr , '\n' < noise.csv | awk '{ print ($1 >= 0.5) }' | paste -sd,)" = "$(tr , '\n' < round.csv | paste -sd,)" ]
	run ! grep -q 'e\|[2-9]' round.csv
	rbm-gibbs -n 12 -c 4 < bars-init.rbm > last.rbd
	# the last 4 rows (16 values each) of the film are the plain run's rows
	[ "$(tail -c 68 film.rbd | head -c 64 | od -An -tx1)" = "$(tail -c 68 last.rbd | head -c 64 | od -An -tx1)" ]
	# --burn-in runs steps first and emits nothing of them: the film's last two snapshots
	rbm-gibbs -n 6 -c 4 --burn-in 6 --every 3 < bars-init.rbm > burnt.rbd
	run rbm-info burnt.rbd
	[[ "$output" == *"rows	12"* ]]
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
	[[ "$output" == *"rows	7"* ]]
	[[ "$output" == *"binary"* ]]
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

# A model of the bars that has learned them (16 hidden units, Adam; 0.4 s), and a mask holding
# each image's top row.
trained_bars() {
	bars
	rbm-init --like bars.rbd -H 16 --seed 3 |
		rbm-train -d bars.rbd -e 500 -b 4 --optimizer adam --lr 0.01 -k 5 --seed 2 --quiet > t.rbm
	{ echo 1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0; } | csv2bin --shape 4x4 > top.rbd
}

@test "rbm-gibbs: --clamp holds the marked pixels of --init's rows and completes the rest" {
	trained_bars
	rbm-gibbs --init bars.rbd --clamp top.rbd -n 200 -m t.rbm > done.rbd
	# one row per row of DATA, with its label; the top rows as they were
	run rbm-info done.rbd
	[[ "$output" == *"rows	32"* ]]
	[[ "$output" == *"labels	yes"* ]]
	[[ "$output" == *"binary"* ]]
	[ "$(bin2csv --labels done.rbd | cut -d, -f1-5)" = "$(bin2csv --labels bars.rbd | cut -d, -f1-5)" ]
	# a vertical bars image is its top row repeated (but for 0000 and 1111, which horizontal
	# stripes share): the model completes their pixels (chains from noise get half right)
	right() {
		paste -d, <(bin2csv "$1") <(bin2csv bars.rbd) | sed -n 18,31p |
			awk -F, '{ for (i = 5; i <= 16; i++) { n++; r += $i == $(i + 16) } } END { printf "%.0f", 100 * r / n }'
	}
	echo "vertical images' pixels completed: $(right done.rbd)%; from noise, unclamped: $(rbm-gibbs -c 32 -n 200 -m t.rbm | right /dev/stdin)%"
	[ "$(right done.rbd)" -ge 75 ]
	# a mask per row, --mean, tempering and threads: held pixels stay, the same bytes on 1 and 2 threads
	for i in $(seq 32); do echo 1,0,1,0,0,0,0,0,0,0,0,0,0,0,0,1; done | csv2bin --shape 4x4 > rows.rbd
	rbm-gibbs --init bars.rbd --clamp rows.rbd -n 50 --mean --tempering 3 --threads 1 -m t.rbm --quiet > m1.rbd
	rbm-gibbs --init bars.rbd --clamp rows.rbd -n 50 --mean --tempering 3 --threads 2 -m t.rbm --quiet | cmp - m1.rbd
	[ "$(bin2csv m1.rbd | cut -d, -f1,3,16)" = "$(bin2csv bars.rbd | cut -d, -f1,3,16)" ]
	# -c reuses DATA's rows in turn; a film starts at the held rows and noise rounded
	rbm-gibbs --init bars.rbd --clamp top.rbd -c 40 -n 10 --every 5 -m t.rbm > film.rbd
	run rbm-info film.rbd
	[[ "$output" == *"rows	120"* ]]
	[ "$(bin2csv film.rbd | sed -n 33,40p | cut -d, -f1-4)" = "$(bin2csv bars.rbd | head -n 8 | cut -d, -f1-4)" ]
}

@test "rbm-gibbs: a bad mask is refused with one line and nothing written" {
	trained_bars
	fails_cleanly 2 "--clamp needs --init DATA" rbm-gibbs --clamp top.rbd -m t.rbm -o out.rbd
	echo 1,0,1 | csv2bin > narrow.rbd
	fails_cleanly 1 "narrow.rbd: mask rows of 3 values do not fit a model with 16 pixels" \
		rbm-gibbs --init bars.rbd --clamp narrow.rbd -m t.rbm -o out.rbd
	rbm-rows --first 2 bars.rbd > two.rbd
	fails_cleanly 1 "two.rbd: 2 mask rows: give 1, or one per row of bars.rbd (32)" \
		rbm-gibbs --init bars.rbd --clamp two.rbd -m t.rbm -o out.rbd
	echo 1,0.5,0,0,0,0,0,0,0,0,0,0,0,0,0,0 | csv2bin > half.rbd
	fails_cleanly 1 "half.rbd: row 1: column 2 holds 0.5: a mask holds 0 or 1" \
		rbm-gibbs --init bars.rbd --clamp half.rbd -m t.rbm -o out.rbd
	fails_cleanly 1 "nothing.rbd: No such file" rbm-gibbs --init bars.rbd --clamp nothing.rbd -m t.rbm -o out.rbd
	fails_cleanly 2 "--clamp" rbm-gibbs --init bars.rbd --clamp - -o out.rbd
	no_file out.rbd
}

@test "rbm-gibbs: --label and --labels give samples of the classes asked for" {
	bars
	rbm-init --like bars.rbd --labels auto -H 16 --seed 3 |
		rbm-train -d bars.rbd -e 500 -b 4 --optimizer adam --lr 0.01 -k 5 --seed 2 --quiet > l.rbm
	# class 1's samples are mostly vertical bars (rows alike), class 0's horizontal stripes
	# (columns alike); 0000 and 1111 images count as both
	kinds() {
		bin2csv "$1" | awk -F, '{ v = 1; h = 1; for (i = 5; i <= 16; i++) if ($i != $(i - 4)) v = 0
			for (r = 0; r < 4; r++) for (c = 2; c <= 4; c++) if ($(4 * r + c) != $(4 * r + 1)) h = 0
			nv += v; nh += h } END { print nv, nh }'
	}
	for k in 0 1; do
		rbm-gibbs --label $k -c 40 -n 200 -m l.rbm > class$k.rbd
		[ "$(bin2csv --labels class$k.rbd | cut -d, -f1 | sort -u)" = $k ]
	done
	read v0 h0 < <(kinds class0.rbd)
	read v1 h1 < <(kinds class1.rbd)
	echo "of 40 samples, vertical and horizontal: class 0 $v0 $h0, class 1 $v1 $h1"
	[ "$h0" -gt $((2 * v0)) ]
	[ "$v1" -gt $((2 * h1)) ]
	# one label per chain, in turn: text lines, or a data file's labels; with --mean and tempering
	printf '0\n1\n1\n' > labels.txt
	rbm-gibbs --labels labels.txt -c 6 -n 20 --mean --tempering 2 --quiet -m l.rbm > some.rbd
	[ "$(bin2csv --labels some.rbd | cut -d, -f1 | paste -sd,)" = 0,1,1,0,1,1 ]
	rbm-gibbs --labels bars.rbd -c 32 -n 5 -m l.rbm | bin2csv --labels | cut -d, -f1 > got.txt
	[ "$(cat got.txt)" = "$(bin2csv --labels bars.rbd | cut -d, -f1)" ]
	# refusals, one line each, nothing written
	fails_cleanly 1 "--label 2 is outside the model's 2 labels" rbm-gibbs --label 2 -m l.rbm -o out.rbd
	fails_cleanly 1 "bars-init.rbm: the model has no label group to hold (rbm-init --labels)" \
		rbm-gibbs --label 0 -m bars-init.rbm -o out.rbd
	fails_cleanly 2 "--label and --labels both hold the label group" \
		rbm-gibbs --label 0 --labels labels.txt -m l.rbm -o out.rbd
	printf '0\nx\n' > bad.txt
	fails_cleanly 1 "bad.txt: line 2: not a label" rbm-gibbs --labels bad.txt -m l.rbm -o out.rbd
	printf '0\n7\n' > big.txt
	fails_cleanly 1 "big.txt: label 7 of row 2 is outside the model's 2 labels" rbm-gibbs --labels big.txt -m l.rbm -o out.rbd
	rbm-rows --first 3 bars.rbd | bin2csv | csv2bin > nolab.rbd
	fails_cleanly 1 "nolab.rbd: the data file has no labels" rbm-gibbs --labels nolab.rbd -m l.rbm -o out.rbd
	no_file out.rbd
}

@test "rbm-gibbs --labels: text is read a whole line at a time; a NUL, trailing garbage, an over-long line and a label out of range are refused, naming the line" {
	bars
	rbm-init --like bars.rbd --labels auto -H 4 -o l.rbm
	# spaces around a label, \r\n, and no newline at the end are fine; a line of 64 bytes
	# is one label
	printf ' 1\t\r\n%063d1\n0' 0 > ok.txt
	rbm-gibbs --labels ok.txt -c 3 -n 2 -m l.rbm | bin2csv --labels | cut -d, -f1 | paste -sd, > got.txt
	[ "$(cat got.txt)" = 1,1,0 ]
	printf '1\n3\0garbage\n' > nul.txt
	fails_cleanly 1 "nul.txt: line 2: a NUL byte" rbm-gibbs --labels nul.txt -m l.rbm -o out.rbd
	printf '1\n1 x\n' > trail.txt
	fails_cleanly 1 "trail.txt: line 2: not a label (a whole number 0..255)" rbm-gibbs --labels trail.txt -m l.rbm -o out.rbd
	printf '%064d5\n' 0 > long.txt # 65 bytes: once read as the labels 0 and 5
	fails_cleanly 1 "long.txt: line 1: longer than 64 bytes" rbm-gibbs --labels long.txt -m l.rbm -o out.rbd
	printf '%0200d1\n' 0 > longer.txt # once four labels
	fails_cleanly 1 "longer.txt: line 1: longer than 64 bytes" rbm-gibbs --labels longer.txt -m l.rbm -o out.rbd
	printf '0\n256\n' > range.txt
	fails_cleanly 1 "range.txt: line 2: 256 is out of range (a label is 0..255)" rbm-gibbs --labels range.txt -m l.rbm -o out.rbd
	printf '0\n-1\n' > neg.txt
	fails_cleanly 1 "neg.txt: line 2: not a label" rbm-gibbs --labels neg.txt -m l.rbm -o out.rbd
	printf '0\n\n1\n' > blank.txt
	fails_cleanly 1 "blank.txt: line 2: empty" rbm-gibbs --labels blank.txt -m l.rbm -o out.rbd
	: > none.txt
	fails_cleanly 1 "none.txt: no labels" rbm-gibbs --labels none.txt -m l.rbm -o out.rbd
	no_file out.rbd
}

@test "rbm-gibbs --init DATA: one chain per row of DATA unless -c says otherwise, and DATA's labels kept, as scikit-learn's gibbs(X)" {
	bars
	rbm-gibbs --init bars.rbd -n 5 --quiet < bars-init.rbm > s.rbd
	[ "$(rbm-info s.rbd | awk -F'\t' '$1 == "rows" { print $2 }')" = 32 ]
	[ "$(bin2csv --labels s.rbd | cut -d, -f1)" = "$(bin2csv --labels bars.rbd | cut -d, -f1)" ]
	# -c still chooses, the rows and their labels reused in turn
	rbm-gibbs --init bars.rbd -n 5 -c 40 --quiet < bars-init.rbm > c.rbd
	[ "$(rbm-info c.rbd | awk -F'\t' '$1 == "rows" { print $2 }')" = 40 ]
	[ "$(bin2csv --labels c.rbd | sed -n 33p | cut -d, -f1)" = "$(bin2csv --labels bars.rbd | sed -n 1p | cut -d, -f1)" ]
}

@test "rbm-gibbs --clamp: held intensities are rounded at 0.5 in binary output, at a film's step 0 and after it alike" {
	bars
	# the bars in intensities 1/255 and 1: held whole, they come out as the bars themselves
	{ head -c 16 bars.idx; tail -c +17 bars.idx | tr '\000' '\001'; } > faint.idx
	mnist2bin faint.idx -o faint.rbd
	printf '1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1\n' | csv2bin > all.rbd
	rbm-gibbs --init faint.rbd --clamp all.rbd -n 4 --every 2 -m bars-init.rbm > film.rbd
	bin2csv bars.rbd > want.csv
	for s in 0 1 2; do
		rbm-rows --skip $((32 * s)) --first 32 film.rbd | bin2csv | cmp - want.csv
	done
	# --mean keeps them as they are
	rbm-gibbs --init faint.rbd --clamp all.rbd -n 1 --mean -m bars-init.rbm | bin2csv | head -1 | grep -q '^0.00392'
}

@test "rbm-gibbs: chains set by the rows of --init DATA (with --clamp, with --tempering) are held to -c's limit before anything is allocated" {
	yes 1 | head -n 1000001 | csv2bin > big.rbd
	yes 1 | head -n 1001 | csv2bin > mid.rbd
	rbm-init -V 1 -H 1 > one.rbm
	fails_cleanly 1 "big.rbd: 1000001 rows make as many chains, of 1 replicas each: over the limit" \
		rbm-gibbs -n 1 --init big.rbd -o s.rbd < one.rbm
	no_file s.rbd
	fails_cleanly 1 "1000001 rows make as many chains" rbm-gibbs -n 1 --init big.rbd --clamp big.rbd < one.rbm
	fails_cleanly 1 "mid.rbd: 1001 rows make as many chains, of 1000 replicas each" \
		rbm-gibbs -n 1 --init mid.rbd --tempering 1000 < one.rbm
	# as -c is: the same count given there is misuse
	fails_cleanly 2 "1001 chains of 1000 replicas is over a million rows" \
		rbm-gibbs -n 1 -c 1001 --tempering 1000 < one.rbm
	# within the limit, the rows make the chains
	[ "$(rbm-gibbs -n 1 --init mid.rbd < one.rbm | rbm-info | sed -n 's/^rows\t//p')" = 1001 ]
}
