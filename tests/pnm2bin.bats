#!/usr/bin/env bats
# pnm2bin: Netpbm images in, one row each; streams, several files, PBM/PGM/PPM/PAM, round
# trips through bin2pgm, refusals.
load helpers

@test "pnm2bin: help, version and bad options" {
	common_cli pnm2bin
}

@test "pnm2bin: a PGM stream to data and back through bin2pgm gives the same pixels" {
	bars
	gray
	for i in $(seq 0 31); do bin2pgm --pad 0 --offset "$i" --limit 1 gray.rbd; done > stream.pgm
	pnm2bin stream.pgm -o back.rbd
	rbm-info back.rbd | grep -qx "rows	32"
	rbm-info back.rbd | grep -qx "shape	4x4"
	rbm-info back.rbd | grep -qx "type	u8 intensity"
	# the same bytes as the data, less the labels: the pixels of every image
	cmp <(head -c $((40 + 32 * 16)) gray.rbd | tail -c $((32 * 16))) <(head -c $((40 + 32 * 16)) back.rbd | tail -c $((32 * 16)))
	bin2pgm --pad 0 --cols 8 back.rbd | cmp - <(bin2pgm --pad 0 --cols 8 gray.rbd)
	# several files, and stdin, one after another
	bin2pgm --pad 0 --limit 1 gray.rbd > one.pgm
	pnm2bin one.pgm stream.pgm one.pgm | rbm-info | grep -qx "rows	34"
	pnm2bin < stream.pgm | cmp - back.rbd
}

@test "pnm2bin: PBM is binary (white 1), colour its luminance, other maxvals float, --invert" {
	bars
	gray
	bin2pgm --pad 0 --limit 2 --cols 1 bars.rbd | pamcut -height 4 > a.pgm
	pamthreshold -simple a.pgm > a.pbm 2>/dev/null
	[ "$(pnm2bin a.pbm | bin2csv)" = "$(head -n 1 <(bin2csv bars.rbd))" ]
	[ "$(pnm2bin --invert a.pbm | bin2csv | tr 01 10)" = "$(head -n 1 <(bin2csv bars.rbd))" ]
	pgmtoppm white a.pgm | pnm2bin | cmp - <(pnm2bin a.pgm)
	pamdepth 1000 a.pgm | pnm2bin | rbm-info | grep -qx "type	float32"
	pamtopam < a.pgm | pnm2bin | cmp - <(pnm2bin a.pgm)
}

@test "pnm2bin: bad images get one line naming the file, no output" {
	bars
	bin2pgm --pad 0 --limit 1 bars.rbd > a.pgm
	bin2pgm --pad 1 --limit 1 bars.rbd > b.pgm
	cat a.pgm b.pgm > mixed.pgm
	fails_cleanly 1 "mixed.pgm: image 2 is 6x6, the first 4x4" pnm2bin mixed.pgm -o out.rbd
	head -c 12 a.pgm > cut.pgm
	fails_cleanly 1 "cut.pgm:" pnm2bin cut.pgm -o out.rbd
	echo hello > text.pgm
	fails_cleanly 1 "text.pgm: bad magic number" pnm2bin text.pgm -o out.rbd
	fails_cleanly 1 "missing.pgm: No such file" pnm2bin missing.pgm -o out.rbd
	no_file out.rbd
}
