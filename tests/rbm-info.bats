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
}
