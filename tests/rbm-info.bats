#!/usr/bin/env bats
# rbm-info: describing files.
load helpers

@test "rbm-info: help, version and bad options" {
	common_cli rbm-info
}

@test "rbm-info: models and data, from a file or a pipe" {
	bars
	run rbm-info bars-init.rbm
	[[ "$output" == *"kind	model"* ]]
	cat bars.rbd | rbm-info > info.txt
	grep -q "kind	data" info.txt
	grep -q "labels	yes" info.txt
	: > empty
	fails_cleanly 1 "empty: empty file" rbm-info empty
	printf 'RBMTDAT' > short
	fails_cleanly 1 "short: not an rbmtools file" rbm-info short
	# a gzipped file is named for what it is, not a bad magic number
	gzip -c bars.rbd > bars.rbd.gz
	fails_cleanly 1 "bars.rbd.gz: gzip-compressed: decompress it first (zcat FILE | ...)" rbm-info bars.rbd.gz
	fails_cleanly 1 "gzip-compressed" rbm-train -d bars.rbd.gz -m bars-init.rbm -o out.rbm
	zcat bars.rbd.gz | rbm-info - | grep -q "kind	data"
}

@test "rbm-info: several files, each after its name; a bad one among them is refused with nothing printed" {
	bars
	rbm-info bars.rbd bars-init.rbm > both.txt
	[ "$(grep -c '^file	' both.txt)" -eq 2 ]
	[ "$(sed -n 1p both.txt)" = "file	bars.rbd" ]
	grep -qx "file	bars-init.rbm" both.txt
	# each description as it is alone
	[ "$(sed -n '2,/^$/p' both.txt | sed '/^$/d')" = "$(rbm-info bars.rbd)" ]
	[ "$(sed -n '/^file	bars-init.rbm$/,$p' both.txt | tail -n +2)" = "$(rbm-info bars-init.rbm)" ]
	head -c 100 bars-init.rbm > cut.rbm
	fails_cleanly 1 "cut.rbm:" rbm-info bars.rbd cut.rbm
}
