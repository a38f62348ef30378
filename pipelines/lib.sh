# lib.sh: what the pipelines share; sourced, not run.

# checkpoints DIR: the epochs of DIR/epoch-N.rbm, in numeric order, one per line.
checkpoints() {
	ls "$1" 2>/dev/null | sed -n 's/^epoch-\([0-9]*\)\.rbm$/\1/p' | sort -n
}

# newest_checkpoint DIR: the highest epoch saved in DIR, or nothing.
newest_checkpoint() {
	checkpoints "$1" | tail -n 1
}

# to_png OUT.png: a PNM image on stdin to OUT.png, written whole or not at all.
to_png() {
	if pnmtopng > "$1.tmp"; then
		mv "$1.tmp" "$1"
	else
		rm -f "$1.tmp"
		return 1
	fi
}

# sample_grid MODEL OUT.png [THREADS]: p(v|h) of the last of STEPS (default 5000) Gibbs
# steps of 100 chains from uniform noise, as a 10x10 PNG grid; written whole or not at all.
# Without THREADS rbm-gibbs chooses.
sample_grid() {
	local model=$1 out=$2 threads=${3:-}
	bin/rbm-gibbs -m "$model" -n "${STEPS:-5000}" -c 100 --mean --seed 1 ${threads:+--threads "$threads"} |
		bin/bin2pgm --cols 10 --scale 2 | to_png "$out"
}

# resume_from CKPT_DIR LOG FRESH: the model a training run starts from, on stdout: the newest
# checkpoint in CKPT_DIR (the log's rows after it dropped: they are trained again), else
# FRESH (and no log). A run stopped partway thus goes on from its last checkpoint.
resume_from() {
	local ck=$1 log=$2 fresh=$3 last
	last=$(newest_checkpoint "$ck")
	if [ -n "$last" ]; then
		echo "$(basename "$0"): resuming from $ck/epoch-$last.rbm" >&2
		if [ -f "$log" ]; then
			awk -v e="$last" 'NR == 1 || $1 <= e' "$log" > "$log.tmp"
			mv "$log.tmp" "$log"
		fi
		echo "$ck/epoch-$last.rbm"
	else
		rm -f "$log"
		echo "$fresh"
	fi
}

# settings DIR NAME=VALUE...: the experiment's settings, kept in DIR/settings. The first run
# writes them; a later one with the same settings goes on from where the last stopped; with
# other settings it stops, naming the first difference, unless FRESH=1, which empties DIR
# and starts anew. Never a run of mixed settings.
settings() {
	local dir=$1 now old
	shift
	now=$(printf '%s\n' "$@")
	mkdir -p "$dir"
	if [ -f "$dir/settings" ] && [ "$(cat "$dir/settings")" != "$now" ]; then
		if [ "${FRESH:-0}" != 1 ]; then
			old=$(cat "$dir/settings")
			paste -d '\n' <(echo "$old") <(echo "$now") | awk -v dir="$dir" -v prog="$(basename "$0")" '
				NR % 2 == 1 { a = $0; next }
				a != $0 { printf "%s: %s was made with %s, not %s: give another RUN=, or FRESH=1 to start it anew\n",
					prog, dir, a == "" ? "fewer settings" : a, $0 == "" ? "fewer settings" : $0; exit }' >&2
			exit 1
		fi
		echo "$(basename "$0"): FRESH=1: $dir starts anew" >&2
		find "$dir" -mindepth 1 -delete
	fi
	echo "$now" > "$dir/settings"
}

# digit_classifier DIR [THREADS]: the classifier that labels samples and completions (an RBM
# with a label group, discriminative, 5 epochs on MNIST's training set: 2.8% test error),
# trained once into DIR/model.rbm, its test error in DIR/test-error.txt.
digit_classifier() {
	local cls=$1 threads=${2:-}
	mkdir -p "$cls"
	if [ ! -s "$cls/model.rbm" ]; then
		echo "$(basename "$0"): training the classifier $cls/model.rbm"
		bin/rbm-init --like data/train.rbd --labels auto -H 300 --w-std 0.01 --seed 1 |
			bin/rbm-train -d data/train.rbd --objective discriminative --binarize -e 5 \
				--lr-end 5 -b 100 --optimizer adam --lr 0.003 ${threads:+--threads "$threads"} \
				--quiet -o "$cls/model.rbm"
		bin/rbm-classify -m "$cls/model.rbm" -d data/test.rbd --error ${threads:+--threads "$threads"} |
			head -n 1 > "$cls/test-error.txt"
	fi
}
