#!/usr/bin/env bash
# samples.sh RUN CKPT: 5000-step Gibbs chains from checkpoint CKPT (its epoch number) of
# runs/RUN into runs/RUN/samples-epoch-CKPT.png (10x10 grid of p(v|h) of the last step).
set -euo pipefail
cd "$(dirname "$0")/.."
run=${1:-}
ckpt=${2:-}
if [ -z "$run" ] || [ -z "$ckpt" ]; then
	echo "usage: make samples RUN=name CKPT=epoch   (for example RUN=quick CKPT=9)" >&2
	exit 2
fi
model=runs/$run/ckpt/epoch-$ckpt.rbm
if [ ! -f "$model" ]; then
	echo "samples.sh: $model: no such checkpoint; there are:" \
		$(ls "runs/$run/ckpt" 2>/dev/null | sed -n 's/^epoch-\([0-9]*\)\.rbm$/\1/p' | sort -n) >&2
	exit 1
fi
out=runs/$run/samples-epoch-$ckpt.png
bin/rbm-gibbs -m "$model" -n "${STEPS:-5000}" -c 100 --mean --seed 1 |
	bin/bin2pgm --cols 10 --scale 2 | pnmtopng > "$out.tmp"
mv "$out.tmp" "$out"
echo "samples.sh: $out"
