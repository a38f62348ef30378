#!/usr/bin/env bats
# csv2bin and bin2csv: CSV text in and out; round trips, the value rules, label columns,
# refusals naming the line and field.
load helpers

@test "csv2bin, bin2csv: help, version and bad options" {
	common_cli csv2bin
	common_cli bin2csv
}

@test "bin2csv then csv2bin gives the same bytes; CSV to data to CSV gives the same text" {
	bars
	gray
	floats
	bin2csv --labels bars.rbd > bars.csv
	csv2bin --label-column 1 --shape 4x4 bars.csv | cmp - bars.rbd
	bin2csv gray.rbd | csv2bin --max 255 --shape 4x4 | cmp - gray.rbd
	bin2csv --labels floats.rbd | csv2bin --label-column 1 | cmp - floats.rbd
	printf '3,0.5,0.25\n7,1,0.125\n' > t.csv
	csv2bin --label-column 1 t.csv | bin2csv --labels | cmp - t.csv
}

@test "csv2bin: value rules, a label in any column, header, delimiter, CRLF, blank lines" {
	printf '1,0\n0,1\n' | csv2bin | rbm-info | grep -qx "type	binary"
	printf '0,255\n3,4\n' | csv2bin --max 255 | rbm-info | grep -qx "type	u8 intensity"
	printf '0,16\n8,4\n' | csv2bin --max 16 | bin2csv > s.csv
	[ "$(cat s.csv)" = "$(printf '0,1\n0.5,0.25')" ]
	printf 'a;b;label\r\n\r\n 0.5 ; "1" ;9\r\n0;0;250\r\n\n' | csv2bin --header --delimiter ';' --label-column 3 > d.rbd
	[ "$(bin2csv --labels d.rbd)" = "$(printf '9,0.5,1\n250,0,0')" ]
	printf '1,0,1,1\n' | csv2bin --shape 2x2 | rbm-info | grep -qx "shape	2x2"
}

@test "csv2bin: bad text gets one line naming the line and field, no output" {
	printf '1,0,1\n0,1\n' > ragged.csv
	fails_cleanly 1 "ragged.csv: line 2: fewer fields than the first line's 3" csv2bin ragged.csv -o out.rbd
	printf '1,0\n0,1,1\n' > wide.csv
	fails_cleanly 1 "wide.csv: line 2: more fields than the first line's 2" csv2bin wide.csv -o out.rbd
	printf 'x,y\n1,0\n' > head.csv
	fails_cleanly 1 'head.csv: line 1, field 1: "x" is not a number (a header line? give --header)' csv2bin head.csv -o out.rbd
	printf '0.5,0.5\n0.5,1.5\n' > range.csv
	fails_cleanly 1 "range.csv: line 2, field 2: 1.5 is not a number in [0, 1] (give --max" csv2bin range.csv -o out.rbd
	printf '0.5,nan\n' > nan.csv
	fails_cleanly 1 "nan.csv: line 1, field 2: nan is not a number" csv2bin nan.csv -o out.rbd
	printf '0.5,,1\n' > empty.csv
	fails_cleanly 1 'empty.csv: line 1, field 2: "" is not a number' csv2bin empty.csv -o out.rbd
	printf '3.5,1\n' > lab.csv
	fails_cleanly 1 "lab.csv: line 1, field 1: label 3.5 is not an integer in 0..255" csv2bin --label-column 1 lab.csv -o out.rbd
	printf "0.5,1\n" > two.csv
	fails_cleanly 1 "two.csv: line 1: no field 3 for the label" csv2bin --label-column 3 two.csv -o out.rbd
	: > nothing.csv
	fails_cleanly 1 "nothing.csv: empty file" csv2bin nothing.csv -o out.rbd
	fails_cleanly 1 "rows of 2 values do not fit --shape 2x2" csv2bin --shape 2x2 two.csv -o out.rbd
	fails_cleanly 2 "--delimiter takes one character" csv2bin --delimiter ab lab.csv
	fails_cleanly 2 "--delimiter takes one character" csv2bin --delimiter . lab.csv
	no_file out.rbd
}

@test "bin2csv: --labels needs labels; a refusal writes nothing" {
	bars
	gray
	fails_cleanly 1 "gray.rbd: the data has no labels to write" bin2csv --labels gray.rbd -o g.csv
	no_file g.csv
}

@test "csv2bin: a NUL byte is refused, naming its line and field; a line over 64 MiB is refused before it takes the memory" {
	fails_cleanly 1 "<stdin>: line 1, field 1: a NUL byte: not text" sh -c "printf '1\\0garbage,1\\n\\0,0\\n' | csv2bin"
	fails_cleanly 1 "<stdin>: line 2, field 3: a NUL byte: not text" sh -c "printf '1,0,1\\n0,1,\\0\\n' | csv2bin"
	# a line with no end, in a process that may not have 1 GiB
	fails_cleanly 1 "<stdin>: line 1: longer than 64 MiB" sh -c 'ulimit -v 1000000; yes 0, | tr -d "\n" | head -c 70000000 | csv2bin'
	printf '1,0\n0,1\n' | csv2bin | bin2csv > back.csv
	[ "$(cat back.csv)" = "$(printf '1,0\n0,1')" ]
}

@test "csv2bin and bin2csv: a tab between fields, given as '\\t' or tab, round trip" {
	bars
	bin2csv --labels --delimiter '\t' bars.rbd > t.tsv
	[ "$(head -n 1 t.tsv)" = "$(printf '0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0')" ]
	csv2bin --delimiter tab --label-column 1 --shape 4x4 t.tsv -o back.rbd
	cmp back.rbd bars.rbd
	bin2csv --delimiter ';' bars.rbd | csv2bin --delimiter ';' --shape 4x4 | bin2csv > semi.csv
	[ "$(cat semi.csv)" = "$(bin2csv bars.rbd)" ]
	fails_cleanly 2 "--delimiter takes one character that is not part of a number, or '\\t'" bin2csv --delimiter ab bars.rbd
}

@test "csv2bin --missing: empty fields and NaN read as 0, with a mask of the values present" {
	printf '1,,0,1\nnan,1, ,0\n' | csv2bin --missing m.rbd --shape 2x2 > d.rbd
	[ "$(bin2csv d.rbd)" = "$(printf '1,0,0,1\n0,1,0,0')" ]
	[ "$(bin2csv m.rbd)" = "$(printf '1,0,1,1\n0,1,0,1')" ]
	run rbm-info m.rbd
	[[ "$output" == *"shape	2x2"* ]]
	[[ "$output" == *"type	binary"* ]]
	# nothing missing: a mask of ones; intensities keep their type
	printf '0,255\n' | csv2bin --max 255 --missing ones.rbd | bin2csv > v.csv
	[ "$(cat v.csv)" = 0,255 ]
	[ "$(bin2csv ones.rbd)" = 1,1 ]
	# without --missing they are refused, with the option named; a missing label always is
	fails_cleanly 1 '<stdin>: line 1, field 2: "" is not a number (a missing value? give --missing MASK)' \
		sh -c "printf '1,,0\n' | csv2bin"
	fails_cleanly 1 "<stdin>: line 1, field 1: nan is not a number" sh -c "printf 'nan,1\n' | csv2bin"
	fails_cleanly 1 '<stdin>: line 1, field 1: "" is not a number' \
		sh -c "printf ',1\n' | csv2bin --label-column 1 --missing m2.rbd -o out.rbd"
	fails_cleanly 1 '<stdin>: line 2, field 1: "x" is not a number' \
		sh -c "printf '1,0\nx,1\n' | csv2bin --missing m2.rbd -o out.rbd"
	no_file m2.rbd
	no_file out.rbd
}

@test "csv2bin --missing then rbm-gibbs --clamp fills the missing pixels in" {
	bars
	# the bars with their lower three rows missing
	bin2csv --labels bars.rbd | cut -d, -f1-5 | sed 's/$/,,,,,,,,,,,,/' > holes.csv
	csv2bin --label-column 1 --shape 4x4 --missing mask.rbd holes.csv -o holes.rbd
	rbm-gibbs --init holes.rbd --clamp mask.rbd -n 20 < bars-init.rbm > filled.rbd
	run rbm-info filled.rbd
	[[ "$output" == *"rows	32"* ]]
	[[ "$output" == *"labels	yes"* ]]
	[ "$(bin2csv --labels filled.rbd | cut -d, -f1-5)" = "$(cut -d, -f1-5 holes.csv)" ]
}

@test "csv2bin and npy2bin: --missing - beside data on stdout is refused: two files on one stream" {
	printf '0,1,,1\n' > h.csv
	fails_cleanly 2 "the output and --missing both write stdout" csv2bin --missing - h.csv
	fails_cleanly 2 "the output and --missing both write stdout" csv2bin --missing - -o - h.csv
	py -c "import numpy; numpy.save('h.npy', numpy.array([[0, 1, float('nan'), 1]], dtype='float32'))"
	fails_cleanly 2 "the output and --missing both write stdout" npy2bin --missing - h.npy
	# one of them a file: both written, the mask on stdout
	csv2bin --missing - -o d.rbd h.csv > m.rbd
	[ "$(rbm-info m.rbd | sed -n 's/^type\t//p')" = binary ]
	[ -s d.rbd ]
}
