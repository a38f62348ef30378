#!/usr/bin/env bash
# samples.sh RUN CKPT: 5000-step Gibbs chains from checkpoint CKPT (its epoch number) of
# runs/RUN into runs/RUN/samples-epoch-CKPT.png (10x10 grid of p(v|h) of the last step).
# STEPS (default 5000) steps; THREADS (default: the tool chooses); RUNS the folder of the
# runs (default runs), as make plots reads it.
set -euo pipefail
cd "$(dirname "$0")/.."
. pipelines/lib.sh
run=${1:-}
ckpt=${2:-}
if [ -z "$run" ] || [ -z "$ckpt" ]; then
	echo "usage: make samples RUN=name CKPT=epoch   (for example RUN=quick CKPT=9)" >&2
	exit 2
fi
runs=${RUNS:-runs}
model=$runs/$run/ckpt/epoch-$ckpt.rbm
if [ ! -f "$model" ]; then
	echo "samples.sh: $model: no such checkpoint; there are:" \
		$(checkpoints "$runs/$run/ckpt") >&2
	exit 1
fi
out=$runs/$run/samples-epoch-$ckpt.png
sample_grid "$model" "$out" "${THREADS:-}"
echo "samples.sh: $out"
