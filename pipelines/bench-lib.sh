# bench-lib.sh: what bench.sh and bench-categorical.sh share, sourced by both. Needs REPS (runs
# of each time, the best kept), FLOOR (build/bench-floor) and tmp (a scratch directory).
best() { sort -g | head -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# the floor's time for the same products, best of REPS
floor() { for r in $(seq "$REPS"); do "$FLOOR" "$@" | cut -f1; done | best; }
# rbm-train's first epoch's time from its log, best of REPS
train_time() {
	for r in $(seq "$REPS"); do
		rm -f "$tmp/log.tsv"
		bin/rbm-train --monitor-rows 1 --log "$tmp/log.tsv" --quiet -o "$tmp/t.rbm" "$@"
		awk -F'\t' 'NR == 2 { print $3 }' "$tmp/log.tsv"
	done | best
}
# a command's wall time, best of REPS
wall_time() {
	for r in $(seq "$REPS"); do
		start=$(date +%s.%N)
		"$@" > /dev/null
		end=$(date +%s.%N)
		awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
	done | best
}
