#!/usr/bin/env bats
# arff2bin: ARFF records in (nominal attributes as categorical columns, numeric ones as real
# values, '?' as a missing entry), and back out through bin2csv --dict.
load helpers

# toy: an ARFF file toy.arff of 5 records: two nominal attributes, a numeric one, a class.
toy() {
	cat > toy.arff <<'ARFF'
% a comment
@RELATION toy
@attribute 'colour' { 'red', 'green', 'dark blue'}
@attribute size numeric
@ATTRIBUTE shape{round,square}
@attribute class {a,b,c}

@data
'red',1.5,round,a
green,?,square,b
'dark blue',-2,?,c
?,0,round,a
red,3e2,'square',b
ARFF
}

@test "arff2bin: help, version and bad options" {
	common_cli arff2bin
}

@test "arff2bin: nominal attributes as categorical columns, numeric as real values, '?' in the mask; bin2csv --dict writes them back" {
	toy
	arff2bin --missing mask.rbd --dict-out toy.dict toy.arff > toy.rbd 2> summary.txt
	[[ "$(cat summary.txt)" == *"5 rows, 1 numeric and 3 nominal attributes, 3 missing values"* ]]
	run rbm-info toy.rbd
	[[ "$output" == *"cols	1"* ]] && [[ "$output" == *"type	float32 real"* ]]
	[[ "$output" == *"categorical	3,2,3"* ]] && [[ "$output" == *"labels	no"* ]]
	[ "$(bin2csv toy.rbd | sed -n 3p)" = "-2,2,0,2" ] # the value, then the states
	[ "$(bin2csv mask.rbd | tr '\n' ' ')" = "1,1,1,1 0,1,1,1 1,1,0,1 1,0,1,1 1,1,1,1 " ]
	bin2csv --dict toy.dict toy.rbd > back.csv
	[ "$(sed -n 1p back.csv)" = "red,1.5,round,a" ]
	[ "$(sed -n 3p back.csv)" = "dark blue,-2,round,c" ] # a missing value comes back as state 0
	[ "$(sed -n 5p back.csv)" = "red,300,square,b" ]
	# the class as labels, the dictionary naming them in their field
	arff2bin --label class --missing m2.rbd --dict-out l.dict toy.arff > l.rbd 2> /dev/null
	run rbm-info l.rbd
	[[ "$output" == *"labels	yes"* ]] && [[ "$output" == *"categorical	3,2"* ]]
	bin2csv --dict l.dict l.rbd | cmp - back.csv
	[ "$(bin2csv --labels l.rbd | cut -d, -f1 | tr '\n' ' ')" = "0 1 2 0 1 " ]
	# a model shaped by it: 1 Gaussian unit, segments of 3 and 2, a label group of 3
	rbm-init --like l.rbd --visible gaussian --labels auto -H 2 > m.rbm
	run rbm-info m.rbm
	[[ "$output" == *"visible	9"* ]] && [[ "$output" == *"label_group	3"* ]]
}

@test "arff2bin: bad ARFF is refused with one line naming the line and field, and nothing written" {
	toy
	fails_cleanly 1 "3 missing values ('?'): give --missing MASK" arff2bin toy.arff
	fails_cleanly 1 "line 9, field 1: a value outside its attribute's list: blue" \
		arff2bin --missing m.rbd <(sed 's/^.red.,1.5/blue,1.5/' toy.arff)
	fails_cleanly 1 "line 9, field 2: not a finite number: x" arff2bin --missing m.rbd <(sed 's/1.5/x/' toy.arff)
	fails_cleanly 1 "line 9, field 4: a record shorter than the attributes" arff2bin --missing m.rbd <(sed 's/round,a$/round/' toy.arff)
	fails_cleanly 1 "a record longer than the attributes" arff2bin --missing m.rbd <(sed 's/round,a$/round,a,b/' toy.arff)
	fails_cleanly 1 "a sparse record" arff2bin <(printf '@attribute a {x,y}\n@data\n{0 x}\n')
	fails_cleanly 1 "an attribute type arff2bin does not read" arff2bin <(printf '@attribute a string\n@data\nx\n')
	fails_cleanly 1 "a nominal value given twice: x" arff2bin <(printf '@attribute a {x,x}\n@data\nx\n')
	fails_cleanly 1 "fewer than 2 values" arff2bin <(printf '@attribute a {x}\n@data\nx\n')
	fails_cleanly 1 "no @data section" arff2bin <(printf '@attribute a {x,y}\n')
	fails_cleanly 1 "no records after @data" arff2bin <(printf '@attribute a {x,y}\n@data\n')
	fails_cleanly 1 "a record before @data" arff2bin <(printf '@attribute a {x,y}\nx\n')
	fails_cleanly 1 "an unclosed quote" arff2bin <(printf "@attribute a {x,y}\n@data\n'x\n")
	fails_cleanly 1 "a NUL byte" arff2bin <(printf '@attribute a {x,y}\n@data\nx\0\n')
	fails_cleanly 1 "no attribute named kind" arff2bin --label kind toy.arff
	fails_cleanly 1 "the label attribute is not nominal" arff2bin --label size toy.arff
	fails_cleanly 1 "two attributes named as the label: c" arff2bin --label c \
		<(printf '@attribute c {x,y}\n@attribute d {u,v}\n@attribute c {a,b}\n@data\nx,u,a\n')
	fails_cleanly 1 "line 10, field 4: a missing label" arff2bin --label class --missing m.rbd <(sed 's/square,b$/square,?/' toy.arff)
	run arff2bin --missing m.rbd --dict-out d.dict <(sed 's/1.5/x/' toy.arff) -o out.rbd
	[ "$status" -eq 1 ]
	no_file out.rbd
	no_file m.rbd
	no_file d.dict
	# bin2csv --dict: a dictionary of other data, or damaged
	arff2bin --missing m.rbd --dict-out toy.dict toy.arff > toy.rbd 2> /dev/null
	bars
	fails_cleanly 1 "do not fit bars.rbd" bin2csv --dict toy.dict bars.rbd
	fails_cleanly 1 "line 1: not 'fields N'" bin2csv --dict <(echo hello) toy.rbd
	fails_cleanly 1 "line 2: not a field number" bin2csv --dict <(printf 'fields\t4\n9\tx\ty\n') toy.rbd
}
