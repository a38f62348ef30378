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

@test "csv2bin --categorical: names in, states sorted, bin2csv --dict gives the text back; --dict maps a test set the same way" {
	printf 'color,size,weight,class\nred,small,0.5,1\nblue,large,0.75,0\ngreen,small,0.25,1\n"red",large,1,0\n' > cars.csv
	csv2bin --header --categorical auto --dict-out cars.dict --label-column 4 cars.csv > tr.rbd
	run rbm-info tr.rbd
	[[ "$output" == *"categorical	3,2"* ]]
	[[ "$output" == *"cols	1"* ]]
	# the states in sorted order: blue green red, large small
	[ "$(bin2csv tr.rbd)" = "$(printf '0.5,2,1\n0.75,0,0\n0.25,1,1\n1,2,0')" ]
	[ "$(sed -n 2p cars.dict)" = "$(printf '1\tblue\tgreen\tred')" ]
	# back to the text, every field where it was (the quotes gone)
	[ "$(bin2csv --dict cars.dict tr.rbd)" = "$(tail -n +2 cars.csv | tr -d '"')" ]
	# the fields named give the same bytes as those found
	csv2bin --header --categorical 1-2 --label-column 4 cars.csv | cmp - tr.rbd
	csv2bin --header --categorical 1,2 --label-column 4 cars.csv | cmp - tr.rbd
	# a test set of one colour maps it to the training set's state, the label field from the dict
	printf 'red,large,0.5,0\nred,small,0,1\n' | csv2bin --dict cars.dict > te.rbd
	[ "$(bin2csv --labels te.rbd)" = "$(printf '0,0.5,2,0\n1,0,2,1')" ]
	# missing entries: a mask column per value and per categorical column; a model trains on it
	printf 'red,small,0.5\nblue,,0.75\n,large,\nred,large,1\n' |
		csv2bin --categorical auto --missing mask.rbd > holes.rbd
	[ "$(bin2csv mask.rbd)" = "$(printf '1,1,1\n1,1,0\n0,0,1\n1,1,1')" ]
	rbm-init --like holes.rbd -H 2 --seed 1 | rbm-train -d holes.rbd --missing mask.rbd -e 2 -b 2 --quiet > m.rbm
	[ -s m.rbm ]
	# and back: the missing entries empty again, the text as it came
	printf 'red,small,0.5\nblue,,0.75\n,large,\nred,large,1\n' > holes.csv
	csv2bin --categorical 1-2 --missing mask2.rbd --dict-out holes.dict holes.csv > h2.rbd
	[ "$(bin2csv --dict holes.dict --missing mask2.rbd h2.rbd)" = "$(cat holes.csv)" ]
	[ "$(bin2csv --missing mask2.rbd h2.rbd)" = "$(printf '0.5,1,1\n0.75,0,\n,,0\n1,1,0')" ]
	fails_cleanly 1 "mask.rbd: not a mask of te.rbd: 2 rows of 3 0/1 columns" bin2csv --missing mask.rbd te.rbd
}

@test "csv2bin --categorical: bad categories are refused with one line, and nothing written" {
	printf 'red,1\nblue,0\n' > ok.csv
	fails_cleanly 1 'line 1, field 1: "pink" is none of the field'"'"'s 2 names in the dictionary' \
		sh -c "csv2bin --categorical 1 --dict-out d.dict ok.csv > /dev/null && printf 'pink,1\n' | csv2bin --dict d.dict -o out.rbd"
	fails_cleanly 1 "field 1: one category: a categorical column needs 2 to 256" \
		sh -c "printf 'red,1\nred,0\n' | csv2bin --categorical 1 --dict-out x.dict -o out.rbd"
	fails_cleanly 1 "line 2, field 1: an empty category (a missing value? give --missing MASK)" \
		sh -c "printf 'red,1\n,0\n' | csv2bin --categorical 1 -o out.rbd"
	fails_cleanly 1 "line 257, field 1: \"c256\": more than 256 categories" \
		sh -c "seq 0 300 | sed 's/^/c/;s/$/,1/' | csv2bin --categorical 1 -o out.rbd"
	fails_cleanly 1 'line 2, field 2: "x" is not a number (a category? give --categorical)' \
		sh -c "printf '1,0\n0,x\n' | csv2bin -o out.rbd"
	fails_cleanly 1 "line 1: 3 fields, 1 of them categorical; the dictionary's rows have 2, 1 of them categorical" \
		sh -c "printf 'red,1,1\n' | csv2bin --dict d.dict -o out.rbd"
	fails_cleanly 2 "--categorical: '2-1': fields run from 1 to" csv2bin --categorical 2-1 ok.csv
	fails_cleanly 2 "--categorical: 'x' is not 'auto' or fields like 2,5-7" csv2bin --categorical x ok.csv
	fails_cleanly 2 "--dict says which fields are categorical" csv2bin --dict d.dict --categorical 1 ok.csv
	printf 'fields\t2\n1\tred\n' > bad.dict
	fails_cleanly 1 "bad.dict: line 2: not a field number" csv2bin --dict bad.dict ok.csv
	no_file out.rbd
	no_file x.dict
}
