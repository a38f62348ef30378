#!/usr/bin/env bats
# svm2bin and bin2svm: LIBSVM's sparse text in and out.
load helpers

@test "svm2bin, bin2svm: help, version and bad options" {
	common_cli svm2bin
	common_cli bin2svm
}

@test "svm2bin, bin2svm: binary, intensity and float rows round trip, zeros left out, indices from 1" {
	bars
	bin2svm bars.rbd > b.svm
	[ "$(sed -n 2p b.svm)" = "0 1:1 2:1 3:1 4:1" ]
	[ "$(sed -n 1p b.svm)" = "0" ] # a row of zeros: its label alone
	svm2bin --features 16 --shape 4x4 b.svm -o back.rbd
	cmp back.rbd bars.rbd
	gray
	mnist2bin --labels bars.lab gray.idx -o g.rbd
	bin2svm g.rbd | svm2bin --max 255 --features 16 --shape 4x4 | cmp - g.rbd
	floats
	bin2svm floats.rbd | svm2bin --features 8 | bin2csv --labels > f.csv
	[ "$(cat f.csv)" = "$(bin2csv --labels floats.rbd)" ]
	# the length is the largest index unless --features says more
	[ "$(printf '2 3:1\n' | svm2bin | rbm-info - | awk -F'\t' '$1 == "cols" { print $2 }')" = 3 ]
	[ "$(printf '2 3:1\n' | svm2bin --features 9 | rbm-info - | awk -F'\t' '$1 == "cols" { print $2 }')" = 9 ]
	# LIBSVM's two classes, -1 and +1, as 0 and 1 and back
	[ "$(printf -- '-1 3:0.5 7:1\n+1 1:1\n' | svm2bin --pm1 | bin2svm --pm1)" = "$(printf -- '-1 3:0.5 7:1\n+1 1:1')" ]
	# svmlight's comments and query ids are passed over
	[ "$(printf '# a comment line\n1 qid:3 2:1 4:0.5 # the first\n0 qid:3 1:1\n' | svm2bin | bin2svm)" = "$(printf '1 2:1 4:0.5\n0 1:1')" ]
}

@test "svm2bin, bin2svm: refusals name the line, write nothing" {
	bars
	printf '1 3:1 2:1\n' > down.svm
	fails_cleanly 1 "down.svm: line 1: index 2 does not rise from the one before" svm2bin down.svm -o out.rbd
	printf '1 1:1\n1 0:1\n' > zero.svm
	fails_cleanly 1 "zero.svm: line 2: index 0 is 0: LIBSVM's indices start at 1" svm2bin zero.svm -o out.rbd
	printf '1 9:1\n' > far.svm
	fails_cleanly 1 "far.svm: line 1: index 9 is past the rows' length" svm2bin --features 4 far.svm -o out.rbd
	printf -- '-1 1:1\n' > pm.svm
	fails_cleanly 1 "pm.svm: line 1: label -1 is not an integer in 0..255 (labels -1 and +1: give --pm1)" svm2bin pm.svm -o out.rbd
	printf '1 2:x\n' > nan.svm
	fails_cleanly 1 "nan.svm: line 1, index 2: the value is not a number" svm2bin nan.svm -o out.rbd
	printf '1 2:3\n' > big.svm
	fails_cleanly 1 "big.svm: line 1, index 2: 3 is not a number in [0, 1]" svm2bin big.svm -o out.rbd
	printf '1 1:1\n\0 2:1\n' > nul.svm
	fails_cleanly 1 "nul.svm: line 2: a NUL byte: not text" svm2bin nul.svm -o out.rbd
	printf '1:1 2:1\n' > nolabel.svm
	fails_cleanly 1 "nolabel.svm: line 1: no label first" svm2bin nolabel.svm -o out.rbd
	no_file out.rbd
	gray
	mnist2bin gray.idx -o nolab.rbd
	[ "$(bin2svm nolab.rbd | cut -d' ' -f1 | sort -u)" = 0 ]
}

@test "svm2bin: rows whose dense table would pass a data file's size are refused before it is allocated, naming the line that set the width" {
	# 16,384 lines of 30 bytes ask for 16,384 rows of 2^20 float32 values: 64 GiB
	yes '0 1048576:0.5' | head -n 16384 > wide.svm
	fails_cleanly 1 "wide.svm: line 4097: 4097 rows of 1048576 values (the width set by line 1) are more than the 16 GiB a data file holds" \
		sh -c 'ulimit -v 4000000; exec svm2bin wide.svm -o out.rbd'
	{ echo '0 1:1'; yes '0 1048576:0.5' | head -n 5000; } > later.svm
	fails_cleanly 1 "later.svm: line 4097: 4097 rows of 1048576 values (the width set by line 2)" \
		svm2bin later.svm -o out.rbd
	fails_cleanly 1 "(the width set by --features)" svm2bin --features 1048576 wide.svm -o out.rbd
	no_file out.rbd
}
