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
	[[ "$output" == *"rows	32"* ]]
	[[ "$output" == *"shape	4x4"* ]]
	[[ "$output" == *"u8 intensity"* ]]
}

@test "mnist2bin: labels, --limit, --binarize threshold and sample" {
	bars_idx b.idx
	bars_labels b.lab
	mnist2bin --labels b.lab --limit 5 --binarize threshold b.idx -o t.rbd
	run rbm-info t.rbd
	[[ "$output" == *"rows	5"* ]]
	[[ "$output" == *"binary"* ]]
	[[ "$output" == *"labels	yes"* ]]
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
	fails_cleanly 1 "huge.idx: 2147483647 items of 28x28 bytes is over the limit of 17179869184 bytes" mnist2bin huge.idx
	printf "\\x00\\x00\\x08\\x03\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x1c\\x00\\x00\\x00\\x1c" > big.idx
	fails_cleanly 1 "big.idx: unexpected end of file after 0 of 16777216 items" mnist2bin big.idx
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

@test "mnist2bin: gzip streams must be whole: trailer, checksum, nothing after them" {
	bars_idx b.idx
	mnist2bin --binarize threshold b.idx -o raw.rbd
	gzip -c b.idx > b.gz
	mnist2bin --binarize threshold b.gz -o gz.rbd
	cmp raw.rbd gz.rbd
	# several members are one gzip stream (gzip -t accepts them)
	{ head -c 300 b.idx | gzip -c; tail -c +301 b.idx | gzip -c; } > two.gz
	gzip -t two.gz
	mnist2bin --binarize threshold two.gz -o two.rbd
	cmp raw.rbd two.rbd
	for cut in 1 4 8; do
		head -c -$cut b.gz > cut.gz
		run ! gzip -t cut.gz 2>/dev/null
		fails_cleanly 1 "cut.gz: unexpected end of file: the gzip stream is cut short" mnist2bin cut.gz -o out.rbd
		no_file out.rbd
	done
	{ cat b.gz; printf 'garbage'; } > trail.gz
	fails_cleanly 1 "trail.gz: unexpected bytes after the end of the gzip stream" mnist2bin trail.gz
	{ cat b.gz; printf '\0\0\0\0'; } > zeros.gz
	fails_cleanly 1 "zeros.gz: unexpected bytes after the end of the gzip stream" mnist2bin zeros.gz
	cp b.gz crc.gz
	len=$(stat -c %s crc.gz)
	printf '\x55' | dd of=crc.gz bs=1 seek=$((len - 6)) conv=notrunc status=none
	fails_cleanly 1 "crc.gz: corrupt gzip stream: incorrect data check" mnist2bin crc.gz
	{ cat b.idx; printf 'x'; } | gzip -c > long.gz
	fails_cleanly 1 "long.gz: unexpected bytes after 32 items" mnist2bin long.gz
	[[ "$stderr" != *"<fd:"* ]]
	fails_cleanly 1 "<stdin>: unexpected end of file: the gzip stream is cut short" mnist2bin < cut.gz
}

@test "mnist2bin: label and image counts are compared whole, even with --limit" {
	bars_idx b.idx
	{ printf "\\x00\\x00\\x08\\x01$(be32 31)"; head -c 31 /dev/zero; } > short.lab
	fails_cleanly 1 "short.lab: 31 labels for 32 images" mnist2bin --labels short.lab --limit 5 b.idx -o out.rbd
	no_file out.rbd
}

@test "mnist2bin: memory grows with the bytes that arrive, not a fixed count of items" {
	# one 1024x1024 image: reading it must not reserve room for thousands of them
	{ printf "\\x00\\x00\\x08\\x03$(be32 1)$(be32 1024)$(be32 1024)"; head -c 1048576 /dev/zero; } > one.idx
	(ulimit -v 1500000; mnist2bin one.idx -o one.rbd)
	rbm-info one.rbd | grep -qx "shape	1024x1024"
}

@test "mnist2bin: IDX of any rank: (N, D) rows, (N, H, W, C) with the channels in the width" {
	printf "\\x00\\x00\\x08\\x02$(be32 3)$(be32 5)" > r2.idx
	head -c 15 /dev/zero | tr '\000' '\200' >> r2.idx
	mnist2bin r2.idx | rbm-info | grep -qx "shape	1x5"
	mnist2bin r2.idx | rbm-info | grep -qx "rows	3"
	printf "\\x00\\x00\\x08\\x04$(be32 2)$(be32 2)$(be32 3)$(be32 2)" > r4.idx
	head -c 24 /dev/zero >> r4.idx
	mnist2bin r4.idx | rbm-info | grep -qx "shape	2x6"
	gzip -c r2.idx > r2.idx.gz
	mnist2bin r2.idx.gz | cmp - <(mnist2bin r2.idx)
}

@test "mnist2bin: IDX of other value types, or a size of 0, are refused in one line" {
	printf "\\x00\\x00\\x0d\\x02$(be32 3)$(be32 5)" > f.idx
	head -c 60 /dev/zero >> f.idx
	fails_cleanly 1 "f.idx: an IDX file of 32-bit floats; only unsigned bytes (type 0x08) are read" mnist2bin f.idx -o out.rbd
	printf "\\x00\\x00\\x08\\x03$(be32 3)$(be32 5)$(be32 0)" > z.idx
	fails_cleanly 1 "z.idx: item size 5x0 is out of range" mnist2bin z.idx -o out.rbd
	printf "\\x00\\x00\\x08\\x02$(be32 1)$(be32 5)" > l.idx
	head -c 5 /dev/zero >> l.idx
	fails_cleanly 1 "l.idx: an IDX image file (2 dimensions), expected labels" mnist2bin --labels l.idx l.idx -o out.rbd
	no_file out.rbd
}
