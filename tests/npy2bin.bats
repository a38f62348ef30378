#!/usr/bin/env bats
# npy2bin and bin2npy: numpy arrays in and out; round trips to the same bytes, the arrays
# as numpy reads them, every dtype rule, refusals naming the row and column.
load helpers

@test "npy2bin, bin2npy: help, version and bad options" {
	common_cli npy2bin
	common_cli bin2npy
}

@test "bin2npy then npy2bin gives the same bytes: binary, intensities, floats, labels" {
	bars
	gray
	floats
	for f in bars floats; do
		bin2npy --labels "$f-labels.npy" "$f.rbd" > "$f.npy"
		npy2bin --labels "$f-labels.npy" "$f.npy" -o "$f-back.rbd"
		cmp "$f.rbd" "$f-back.rbd"
	done
	bin2npy gray.rbd | npy2bin | cmp - gray.rbd
}

@test "bin2npy: numpy reads the values, dtypes and shapes" {
	bars
	gray
	floats
	bin2npy bars.rbd -o bars.npy --labels lab.npy
	bin2npy --flat gray.rbd -o gray.npy
	bin2npy floats.rbd -o floats.npy
	rbm-hidden -d bars.rbd -m floats.rbm | bin2csv > floats.csv
	py - <<'PY'
import numpy as np
b = np.load("bars.npy"); g = np.load("gray.npy"); f = np.load("floats.npy"); l = np.load("lab.npy")
assert b.dtype == np.bool_ and b.shape == (32, 4, 4), (b.dtype, b.shape)
assert g.dtype == np.uint8 and g.shape == (32, 16) and set(np.unique(g)) == {32, 192}
assert f.dtype == np.float32 and f.shape == (32, 8)
assert l.dtype == np.uint8 and list(l) == [0] * 16 + [1] * 16
assert b[16:].all(axis=1).any() and (b == (g.reshape(32, 4, 4) == 192)).all()
assert np.array_equal(f, np.loadtxt("floats.csv", delimiter=",", dtype=np.float32))
PY
}

@test "npy2bin: each dtype by its rule, C and Fortran order, either byte order, 3-D shapes" {
	py - <<'PY'
import numpy as np
x = np.array([[0, 1, 1], [1, 0, 0]])
np.save("bool.npy", x.astype(bool)); np.save("i64.npy", x); np.save("u8.npy", (x * 200).astype(np.uint8))
np.save("f64.npy", x / 4.0); np.save("big.npy", (x / 4.0).astype(">f8"))
np.save("fortran.npy", np.asfortranarray(np.arange(6.0).reshape(2, 3) / 8))
np.save("img.npy", np.zeros((4, 2, 3), np.float32)); np.save("sixteen.npy", x * 16)
PY
	npy2bin bool.npy | rbm-info | grep -qx "type	binary"
	npy2bin i64.npy | rbm-info | grep -qx "type	binary"
	npy2bin u8.npy | rbm-info | grep -qx "type	u8 intensity"
	npy2bin f64.npy | rbm-info | grep -qx "type	float32"
	npy2bin img.npy | rbm-info | grep -qx "shape	2x3"
	npy2bin --shape 3x1 f64.npy | rbm-info | grep -qx "shape	3x1"
	npy2bin --max 16 sixteen.npy | rbm-info | grep -qx "type	float32"
	cmp <(npy2bin f64.npy | bin2csv) <(npy2bin big.npy | bin2csv)
	[ "$(npy2bin fortran.npy | bin2csv)" = "$(printf '0,0.125,0.25\n0.375,0.5,0.625')" ]
	[ "$(npy2bin u8.npy | bin2csv)" = "$(printf '0,200,200\n200,0,0')" ]
	run npy2bin --max 1 u8.npy
	[ "$status" -eq 1 ]
}

@test "npy2bin: bad arrays get one line naming the file (and row and column), no output" {
	py - <<'PY'
import numpy as np
np.save("range.npy", np.array([[0.5, 0.25], [0.5, 1.5]])); np.save("nan.npy", np.array([[0.5, np.nan]]))
np.save("text.npy", np.array([["a", "b"]])); np.save("one.npy", np.zeros(5))
np.save("empty.npy", np.zeros((0, 3))); np.save("ok.npy", np.zeros((3, 2)))
np.save("labs.npy", np.array([1, 2])); np.save("flab.npy", np.array([1.5, 2, 3]))
np.save("c64.npy", np.zeros((2, 2), np.complex64))
PY
	fails_cleanly 1 "range.npy: row 2, column 2: 1.5 is not a number in [0, 1]" npy2bin range.npy -o out.rbd
	fails_cleanly 1 "nan.npy: row 1, column 2: nan" npy2bin nan.npy -o out.rbd
	fails_cleanly 1 "text.npy: values of type '<U1'" npy2bin text.npy -o out.rbd
	fails_cleanly 1 "c64.npy: values of type '<c8'" npy2bin c64.npy -o out.rbd
	fails_cleanly 1 "one.npy: an array of 1 dimensions" npy2bin one.npy -o out.rbd
	fails_cleanly 1 "empty.npy: an empty array" npy2bin empty.npy -o out.rbd
	fails_cleanly 1 "labs.npy: 1-dimensional labels of 2 values for 3 rows" npy2bin --labels labs.npy ok.npy -o out.rbd
	fails_cleanly 1 "flab.npy: label 1: 1.5 is not an integer" npy2bin --labels flab.npy ok.npy -o out.rbd
	head -c 140 ok.npy > cut.npy
	fails_cleanly 1 "cut.npy: unexpected end of file after 1 of 6 values" npy2bin cut.npy -o out.rbd
	head -c 60 ok.npy > head.npy
	fails_cleanly 1 "head.npy: unexpected end of file in the header" npy2bin head.npy -o out.rbd
	{ cat ok.npy; printf x; } > long.npy
	fails_cleanly 1 "long.npy: unexpected bytes after the 6 values" npy2bin long.npy -o out.rbd
	printf 'PK\003\004junk' > zip.npy
	fails_cleanly 1 "zip.npy: not a .npy file" npy2bin zip.npy -o out.rbd
	# a header that claims 2^40 values, from a pipe: refused before anything is allocated
	py -c 'import sys; h = b"{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: False, \x27shape\x27: (1048576, 1048576), }\n"
sys.stdout.buffer.write(b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h + bytes(64))' > huge.npy
	fails_cleanly 1 "<stdin>: an array of more than" sh -c 'cat huge.npy | npy2bin -o out.rbd'
	py -c 'import sys; h = b"{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: False, \x27shape\x27: (16777216, 4), }\n"
sys.stdout.buffer.write(b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h + bytes(64))' > big.npy
	fails_cleanly 1 "<stdin>: unexpected end of file after 16 of 67108864 values" sh -c 'cat big.npy | npy2bin -o out.rbd' 
	fails_cleanly 2 "--max" npy2bin --max 0 ok.npy
	no_file out.rbd
}

@test "bin2npy: --labels needs labels and a file; refusals write nothing" {
	bars
	gray
	fails_cleanly 1 "gray.rbd: the data has no labels to write" bin2npy gray.rbd --labels l.npy -o g.npy
	fails_cleanly 2 "--labels needs a file name" bin2npy gray.rbd --labels -
	no_file l.npy
	no_file g.npy
}

@test "npy2bin: a shape whose product wraps 64 bits is refused, in C and in Fortran order" {
	for shape in "(1, 4294967296, 4294967296)" "(1, 4295032832, 4294901761)" "(1073741824, 17179869184)"; do
		for order in False True; do
			py -c 'import sys; h = ("{\x27descr\x27: \x27<f4\x27, \x27fortran_order\x27: " + sys.argv[1] + ", \x27shape\x27: " + sys.argv[2] + ", }\n").encode()
sys.stdout.buffer.write(b"\x93NUMPY\x01\x00" + len(h).to_bytes(2, "little") + h + bytes(64))' "$order" "$shape" > wrap.npy
			fails_cleanly 1 "wrap.npy: an array of more than 17179869184 values is over the limit" \
				npy2bin wrap.npy -o out.rbd
		done
	done
	no_file out.rbd
}

@test "npy2bin, csv2bin, bin2pgm: a --shape that does not fit the rows is the same data error in each" {
	bars
	bin2npy bars.rbd -o b.npy
	bin2csv bars.rbd > b.csv
	fails_cleanly 1 "b.npy: rows of 16 values do not fit --shape 3x3" npy2bin --shape 3x3 b.npy -o out.rbd
	fails_cleanly 1 "b.csv: rows of 16 values do not fit --shape 3x3" csv2bin --shape 3x3 b.csv -o out.rbd
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit --shape 3x3" bin2pgm --shape 3x3 bars.rbd -o out.pgm
	no_file out.rbd
	no_file out.pgm
}

@test "npy2bin --missing: NaN reads as 0, with a mask of the values present; refused without" {
	py - <<'PY'
import numpy as np
np.save("holes.npy", np.array([[[0.5, np.nan], [1, 0]], [[np.nan, np.nan], [0, 1]]], dtype=np.float64))
np.save("lab.npy", np.array([3, 4], dtype=np.uint8))
PY
	npy2bin --missing mask.rbd --labels lab.npy holes.npy -o d.rbd
	[ "$(bin2csv --labels d.rbd)" = "$(printf '3,0.5,0,1,0\n4,0,0,0,1')" ]
	[ "$(bin2csv mask.rbd)" = "$(printf '1,0,1,1\n0,0,1,1')" ]
	run rbm-info mask.rbd
	[[ "$output" == *"shape	2x2"* ]]
	fails_cleanly 1 "holes.npy: row 1, column 2: nan is not a number in [0, 1] (a missing value? give --missing MASK)" \
		npy2bin holes.npy -o out.rbd
	# a refusal after the values (labels that do not fit) writes neither file
	py -c 'import numpy as np; np.save("lab3.npy", np.array([1, 2, 3], dtype=np.uint8))'
	fails_cleanly 1 "lab3.npy: 1-dimensional labels of 3 values for 2 rows" \
		npy2bin --missing m2.rbd --labels lab3.npy holes.npy -o out.rbd
	no_file m2.rbd
	no_file out.rbd
}
