#!/usr/bin/env bats
# make sweep (pipelines/sweep.sh): a grid through GNU parallel, resumed by its settings,
# ranked with standard errors, plotted; and over two ssh "hosts" (a throw-away sshd).
load helpers

REPO="$BATS_TEST_DIRNAME/.."

# sweep K LR H: the bars sweep under $T/sweep with that grid, 2 epochs.
sweep() {
	SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/bars.rbd" SWEEP_EVAL="$T/bars.rbd" SWEEP_K="$1" \
		SWEEP_LR="$2" SWEEP_H="$3" SWEEP_EPOCHS=2 "$REPO/pipelines/sweep.sh"
}

@test "sweep: ranked by a held-out split of the training data, each point against the best row by row; the test set for the chosen point only" {
	bars
	sweep "1 2" 0.05 "4 8" > out.txt
	[ "$(wc -l < sweep/results.tsv)" -eq 5 ]
	head -n 1 sweep/results.tsv | grep -qx "k	lr	hidden	epochs	valid_pll	valid_pll_se	vs_best	vs_best_se	recon_err	fe_gap	seconds"
	# ranked: valid_pll never rises down the table; every standard error is a positive number;
	# the first is the best (vs_best 0), the others at or below it
	awk -F'\t' 'NR > 2 && $5 > prev { exit 1 } NR > 1 { prev = $5; if (!($6 > 0)) exit 1 }' sweep/results.tsv
	awk -F'\t' 'NR == 2 && ($7 != 0 || $8 != 0) { exit 1 } NR > 2 && !($7 <= 0 && $8 >= 0) { exit 1 }' sweep/results.tsv
	# held out: the last sixth of the 32 rows, never trained on, the same for every point
	[ "$(rbm-info sweep/split/*-valid.rbd | awk -F'\t' '$1 == "rows" { print $2 }')" = 5 ]
	[ "$(rbm-info sweep/split/*-train.rbd | awk -F'\t' '$1 == "rows" { print $2 }')" = 27 ]
	[ "$(wc -l < sweep/runs/k1-lr0.05-h4-e2/valid_pll.txt)" -eq 5 ]
	# the test set scores the chosen point, and only it
	[ "$(wc -l < sweep/chosen.tsv)" -eq 2 ]
	[ "$(sed -n 2p sweep/chosen.tsv | cut -f1-4)" = "$(sed -n 2p sweep/results.tsv | cut -f1-4)" ]
	awk -F'\t' 'NR == 2 { exit !($5 < 0 && $6 > 0) }' sweep/chosen.tsv
	[ "$(pngtopnm sweep/sweep.png | pamfile)" = "stdin:	PPM raw, 1500 by 450  maxval 255" ]
}

@test "sweep: a changed grid runs only its new points and shows exactly that grid" {
	bars
	sweep "1 2" 0.05 "4 8" > out1.txt
	[ "$(grep -c . sweep/joblog)" -eq 4 ]
	run sweep "1 2" 0.05 "4 8"
	[[ "$output" == *"4 points, 0 to run"* ]]
	[ "$(grep -c . sweep/joblog)" -eq 4 ]
	run sweep "1" "0.05 0.1" "8"
	[[ "$output" == *"2 points, 1 to run"* ]]
	[ "$(grep -c . sweep/joblog)" -eq 5 ]
	[ "$(cut -f1-3 sweep/results.tsv | tail -n +2 | sort | tr '\t\n' ' ;')" = "1 0.05 8;1 0.1 8;" ]
	# points are kept by their data's content: the same rows under another name are a
	# reuse; a file written over with other rows is another run, not a reuse
	cp bars.rbd other.rbd
	other() {
		SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/other.rbd" SWEEP_EVAL="$T/bars.rbd" SWEEP_K=1 \
			SWEEP_LR=0.1 SWEEP_H=8 SWEEP_EPOCHS=2 "$REPO/pipelines/sweep.sh" 2>&1
	}
	other > out3.txt
	grep -q "1 points, 0 to run" out3.txt
	gray
	mnist2bin gray.idx -o other.rbd
	other > out4.txt
	grep -q "1 points, 1 to run" out4.txt
}

@test "sweep: a recipe (SWEEP_TRAIN) and sets of options (SWEEP_X) scored by AIS's log-likelihood, against the best with log Z's errors" {
	bars
	recipe() {
		SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/bars.rbd" SWEEP_EVAL="$T/bars.rbd" SWEEP_K=1 \
			SWEEP_LR=0.05 SWEEP_H="4 8" SWEEP_EPOCHS=3 SWEEP_SCORE=ais SWEEP_AIS_RUNS=20 \
			SWEEP_AIS_SCALE=0.05 SWEEP_TRAIN="--pcd --momentum 0.5" \
			SWEEP_X="; --tempering 3 --chains 4  --ladders 2" "$REPO/pipelines/sweep.sh"
	}
	recipe > out.txt
	[ "$(wc -l < sweep/results.tsv)" -eq 5 ]
	head -n 1 sweep/results.tsv | grep -qx "k	lr	hidden	epochs	valid_ll	valid_ll_se	vs_best	vs_best_se	recon_err	fe_gap	seconds	options"
	# both sets of options for each hidden size, the tempered ones trained so
	[ "$(cut -f3,12 sweep/results.tsv | tail -n +2 | sort | tr '\t\n' ' ;')" = \
		"4 ;4 --tempering 3 --chains 4 --ladders 2;8 ;8 --tempering 3 --chains 4 --ladders 2;" ]
	d=$(ls -d sweep/runs/k1-lr0.05-h8-e3-x*)
	run rbm-info "$d/model.rbm"
	[[ "$output" == *"ladders	2"* ]] && [[ "$output" == *"persistent_chains	8"* ]]
	[ "$(wc -l < "$d/valid_ll.txt")" -eq 5 ]
	# each row's value is -F(v) - log Z: their mean is the AIS average of those rows
	rbm-ais -m "$d/model.rbm" -d sweep/split/*-valid.rbd --base sweep/split/*-vtrain.rbd --runs 20 \
		--betas-scale 0.05 --quiet > ais.txt
	awk -v a="$(awk -F'\t' '$1 == "avg_ll" { print $2 }' ais.txt)" '{ s += $1 } END { d = s / NR - a; exit !(d < 1e-5 && d > -1e-5) }' "$d/valid_ll.txt"
	# the best first, at 0; the others below it, their errors at least their log Z's
	awk -F'\t' 'NR == 2 && ($7 != 0 || $8 != 0) { exit 1 } NR > 2 && !($7 <= 0 && $8 > 0) { exit 1 }' sweep/results.tsv
	awk -F'\t' 'NR == 2 { exit !($5 < 0 && $6 > 0) }' sweep/chosen.tsv
	head -n 1 sweep/chosen.tsv | grep -qx "k	lr	hidden	epochs	test_ll	test_ll_se"
	# the test rows' spread and the chosen model's log Z error, added
	best=sweep/runs/$(sed -n 2p sweep/results.tsv | awk -F'\t' '{ print "k" $1 "-lr" $2 "-h" $3 "-e" $4 }')
	[ -z "$(sed -n 2p sweep/results.tsv | cut -f12)" ] || best=$(ls -d "$best"-x*)
	rbm-ais -m "$best/model.rbm" -d bars.rbd --base sweep/split/*-vtrain.rbd --runs 20 --betas-scale 0.05 \
		--seed 1 --quiet --per-row t.txt > t-ais.txt
	awk -v lz="$(awk -F'\t' '$1 == "log_z" { z = $2 } $1 == "log_z_lo" { lo = $2 } END { print (z - lo) / 3 }' t-ais.txt)" \
		-v got="$(sed -n 2p sweep/chosen.tsv | cut -f6)" '{ s += $1; ss += $1 * $1; n++ }
		END { m = s / n; want = sqrt((ss / n - m * m) / (n - 1) + lz * lz); d = got - want
		      exit !(lz > 0 && d < 1e-5 && d > -1e-5) }' t.txt
	# the same settings again run nothing; another recipe is another sweep
	run recipe
	[[ "$output" == *"4 points, 0 to run"* ]]
	run env SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/bars.rbd" SWEEP_EVAL="$T/bars.rbd" SWEEP_K=1 \
		SWEEP_LR=0.05 SWEEP_H=4 SWEEP_EPOCHS=3 SWEEP_SCORE=ais SWEEP_AIS_RUNS=20 SWEEP_AIS_SCALE=0.05 \
		SWEEP_TRAIN="--pcd --momentum 0.6" "$REPO/pipelines/sweep.sh"
	[[ "$output" == *"1 points, 1 to run"* ]]
	run env SWEEP_OUT="$T/sweep" SWEEP_DATA="$T/bars.rbd" SWEEP_SCORE=likelihood "$REPO/pipelines/sweep.sh"
	[ "$status" -eq 2 ] && [[ "$output" == *"SWEEP_SCORE=likelihood: pll or ais"* ]]
}

# A throw-away sshd on a free port of 127.0.0.1, reached as two hosts, alpha and beta.
start_sshd() {
	[ -x /usr/sbin/sshd ] || skip "sshd cannot start: openssh-server is not installed (make deps)"
	[ -d /run/sshd ] || skip "sshd cannot start: /run/sshd, its privilege separation directory, is missing (make deps makes it)"
	ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey"
	ssh-keygen -q -t ed25519 -N '' -f "$T/userkey"
	cp "$T/userkey.pub" "$T/authorized_keys"
	port=$(py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	printf '%s\n' "Port $port" "ListenAddress 127.0.0.1" "HostKey $T/hostkey" \
		"AuthorizedKeysFile $T/authorized_keys" "PidFile $T/sshd.pid" "StrictModes no" \
		"UsePAM no" "PasswordAuthentication no" "KbdInteractiveAuthentication no" > "$T/sshd_config"
	/usr/sbin/sshd -f "$T/sshd_config" -E "$T/sshd.log" || skip "sshd cannot start: $(cat "$T/sshd.log")"
	printf '%s\n' "Host alpha beta" "HostName 127.0.0.1" "Port $port" "User $(id -un)" \
		"IdentityFile $T/userkey" "IdentitiesOnly yes" "StrictHostKeyChecking no" \
		"UserKnownHostsFile $T/known_hosts" "BatchMode yes" "LogLevel ERROR" > "$T/ssh_config"
}

teardown() {
	[ -f "$T/sshd.pid" ] && kill "$(cat "$T/sshd.pid")" || true
}

@test "sweep: over two hosts by ssh (SSHLOGINFILE), the jobs run there and the results come back" {
	start_sshd
	bars
	printf '1/alpha\n1/beta\n' > hosts
	SSHLOGINFILE="$T/hosts" SWEEP_SSH="ssh -F $T/ssh_config" sweep "1 2" 0.05 "4 8" > out.txt
	[ "$(wc -l < sweep/results.tsv)" -eq 5 ]
	# every job ran on one of the two hosts, both were used, every one exited 0
	[ "$(cut -f2 sweep/joblog | sort -u | tr '\n' ' ')" = "alpha beta " ]
	awk -F'\t' '$7 != 0 { exit 1 }' sweep/joblog
	[ "$(grep -c 'Accepted publickey' sshd.log)" -ge 4 ]
	# the same rows as a run on this machine, less the seconds
	mv sweep remote
	sweep "1 2" 0.05 "4 8" > out2.txt
	cmp <(cut -f1-10 remote/results.tsv) <(cut -f1-10 sweep/results.tsv)
	cmp remote/chosen.tsv sweep/chosen.tsv
}
