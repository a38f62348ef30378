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
