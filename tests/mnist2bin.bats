#!/usr/bin/env bats
# mnist2bin: IDX images (raw or gzip, file or stdin) to data files.
load helpers

@test "mnist2bin: help, version and bad options" {
	common_cli mnist2bin
}

@test "mnist2bin: raw and gzip, file and stdin give the same bytes" {
	bars_idx b.idx
	mnist2bin b.idx > a.rbd
	gzip -c b.idx > b.idx.gz
	mnist2bin b.idx.gz > b.rbd
	mnist2bin < b.idx.gz > c.rbd
	cmp a.rbd b.rbd
	cmp a.rbd c.rbd
	run rbm-info a.rbd
	[[ "$output" == *"rows	32"* ]] && [[ "$output" == *"shape	4x4"* ]] && [[ "$output" == *"u8 intensity"* ]]
}

@test "mnist2bin: labels, --limit, --binarize threshold and sample" {
	bars_idx b.idx
	bars_labels b.lab
	mnist2bin --labels b.lab --limit 5 --binarize threshold b.idx -o t.rbd
	run rbm-info t.rbd
	[[ "$output" == *"rows	5"* ]] && [[ "$output" == *"binary"* ]] && [[ "$output" == *"labels	yes"* ]]
	mnist2bin --binarize sample --seed 4 b.idx > s1.rbd
	mnist2bin --binarize sample --seed 4 b.idx > s2.rbd
	cmp s1.rbd s2.rbd
}

@test "mnist2bin: bad input fails with one line and writes nothing" {
	bars_idx b.idx
	bars_labels b.lab
	fails_cleanly 1 "<stdin>: empty file" mnist2bin < /dev/null
	head -c 100 b.idx > short.idx
	fails_cleanly 1 "short.idx: unexpected end of file" mnist2bin short.idx
	fails_cleanly 1 "an IDX label file, expected images" mnist2bin b.lab
	printf 'hello world, not idx' > junk
	fails_cleanly 1 "not an IDX file" mnist2bin junk
	printf "\\x00\\x00\\x08\\x03\\x7f\\xff\\xff\\xff\\x00\\x00\\x00\\x1c\\x00\\x00\\x00\\x1c" > huge.idx
	fails_cleanly 1 "huge.idx: unexpected end of file" mnist2bin huge.idx
	printf "\\x00\\x00\\x08\\x03\\x00\\x00\\x00\\x01\\x00\\x10\\x00\\x00\\x00\\x10\\x00\\x00" > wide.idx
	fails_cleanly 1 "out of range" mnist2bin wide.idx
	head -c 20 b.lab > short.lab
	fails_cleanly 1 "short.lab" mnist2bin --labels short.lab b.idx -o out.rbd
	no_file out.rbd
	fails_cleanly 1 "no-such-file: No such file or directory" mnist2bin no-such-file -o out.rbd
	no_file out.rbd
	cat b.idx b.idx > long.idx
	fails_cleanly 1 "unexpected bytes" mnist2bin long.idx
}

@test "mnist2bin: out-of-range and non-numeric options exit 2" {
	fails_cleanly 2 "--threshold: 1.5 is out of range" mnist2bin --threshold 1.5
	fails_cleanly 2 "--limit: 'x' is not an integer" mnist2bin --limit x
	fails_cleanly 2 "--binarize: 'maybe'" mnist2bin --binarize maybe
	fails_cleanly 2 "--labels' needs a value" mnist2bin --labels
}
