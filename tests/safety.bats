#!/usr/bin/env bats
# safety: what no tool may do whatever it is given: replace a device, FIFO or symlink with
# a file, reset a file's mode, write a number it would refuse to read, leave a temporary
# behind after a signal or an error, or learn only after hours that its output cannot be
# written. Special files are made inside the test's own directory, never under /dev.
load helpers

SLOW_FSYNC="$BATS_TEST_DIRNAME/../build/slow_fsync.so"

# A tool that writes with -o, run on a small model: rbm-init.
init_to() { rbm-init -V 16 -H 4 --seed 2 -o "$1"; }

@test "safety: -o onto a character device writes into it and leaves it a device" {
	mknod nulldev c 1 3 || skip "cannot mknod here (not root?)"
	init_to nulldev
	[ -c nulldev ]
	rbm-init -V 16 -H 4 --seed 2 | bin2pgm --limit 1 -o nulldev 2>/dev/null || true
	mknod fulldev c 1 7
	fails_cleanly 1 "fulldev: write error: No space left on device" init_to fulldev
	[ -c fulldev ]
	no_file fulldev.tmp
}

@test "safety: -o onto a FIFO writes through it and leaves it a FIFO" {
	mkfifo pipe
	cat pipe > got.rbm &
	init_to pipe
	wait
	[ -p pipe ]
	init_to want.rbm
	cmp got.rbm want.rbm
}

@test "safety: -o onto a symlink replaces its target and keeps the link" {
	mkdir real sub
	printf 'old' > real/t.rbm
	ln -s ../real/t.rbm sub/link.rbm
	ln -s sub/link.rbm chain.rbm
	init_to chain.rbm
	[ -L chain.rbm ]
	[ -L sub/link.rbm ]
	[ -f real/t.rbm ]
	init_to want.rbm
	cmp real/t.rbm want.rbm
	ln -s real/new.rbm dangling.rbm
	init_to dangling.rbm
	[ -L dangling.rbm ]
	cmp real/new.rbm want.rbm
	ln -s loop1 loop2 && ln -s loop2 loop1
	fails_cleanly 1 "loop1: Too many levels of symbolic links" init_to loop1
}

@test "safety: -o keeps an existing file's mode and owner; a new file gets the umask's" {
	printf 'old' > private.rbm
	chmod 600 private.rbm
	init_to private.rbm
	[ "$(stat -c %a private.rbm)" = 600 ]
	umask 027
	init_to fresh.rbm
	[ "$(stat -c %a fresh.rbm)" = 640 ]
	if [ "$(id -u)" = 0 ]; then
		printf 'old' > theirs.rbm
		chown 65534:65534 theirs.rbm
		chmod 664 theirs.rbm
		init_to theirs.rbm
		[ "$(stat -c '%u:%g %a' theirs.rbm)" = "65534:65534 664" ]
	fi
	init_to - > out.rbm
	rbm-info out.rbm > /dev/null
}

@test "safety: -o naming a directory, or a path in a missing one, fails before any work" {
	mkdir d
	fails_cleanly 1 "d: Is a directory" init_to d
	bars
	fails_cleanly 1 "nowhere/x.rbm: cannot create a file there: No such file or directory" \
		rbm-train -d bars.rbd -e 100000 -b 8 --log log.tsv -o nowhere/x.rbm < bars-init.rbm
	no_file log.tsv
	printf 'x' > afile
	fails_cleanly 1 "afile: Not a directory" \
		rbm-train -d bars.rbd -e 100000 -b 8 --log log.tsv --checkpoint-dir afile < bars-init.rbm
	no_file log.tsv
	# a missing parent is made (mkdir -p); a file in the way of one is not
	fails_cleanly 1 "afile/b: cannot create the directory: Not a directory" \
		rbm-train -d bars.rbd -e 100000 -b 8 --checkpoint-dir afile/b/c < bars-init.rbm
	fails_cleanly 1 "nowhere/g.rbd: cannot create a file there" \
		rbm-gibbs -n 100000000 -c 1000000 -m bars-init.rbm -o nowhere/g.rbd
	fails_cleanly 1 "nowhere/b.rbd" mnist2bin bars.idx -o nowhere/b.rbd
}

@test "safety: a read-only or full file system fails early or cleanly, and leaves nothing" {
	mkdir ro full
	mount -t tmpfs -o size=1m,ro tmpfs ro 2>/dev/null || skip "cannot mount a tmpfs here (not root?)"
	mount -t tmpfs -o size=64k tmpfs full || { umount ro; skip "cannot mount a tmpfs here"; }
	bars
	fails_cleanly 1 "ro/x.rbm: cannot create a file there: Read-only file system" \
		rbm-train -d bars.rbd -e 100000 -b 8 -o ro/x.rbm < bars-init.rbm
	rbm-init -V 784 -H 100 -o m.rbm
	rbm-gibbs -n 1 -c 400 --mean -m m.rbm -o g.rbd
	# 64 KiB cannot hold a 581x581 grid: libnetpbm exits on the short write
	run --separate-stderr bin2pgm -o full/g.pgm g.rbd
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"full/g.pgm"* ]]
	[ -z "$(ls -A full)" ] || { ls -la full; false; }
	fails_cleanly 1 "full/m.rbm: write error: No space left on device" rbm-init -V 784 -H 100 -o full/m.rbm
	[ -z "$(ls -A full)" ]
	umount ro full
}

# Start a tool that will sit in fsync with its temporary in place, send it a signal, and
# require death by that signal and no temporary. Usage: killed_cleanly SIGNAL STATUS
killed_cleanly() {
	[ -f "$SLOW_FSYNC" ] || { echo "build/slow_fsync.so is missing: run make check" >&2; return 1; }
	# perl restores the default actions, which a shell takes away from background jobs (INT,
	# QUIT) and nohup from all it starts (HUP: the tools rightly keep an ignored signal ignored)
	LD_PRELOAD="$SLOW_FSYNC" RBMT_FSYNC_DELAY=20 perl -e '$SIG{INT} = $SIG{QUIT} = $SIG{HUP} = "DEFAULT"; exec @ARGV' \
		rbm-init -V 784 -H 500 -o big.rbm &
	local pid=$! i
	for i in $(seq 100); do compgen -G "big.rbm.tmp.*" > /dev/null && break; sleep 0.1; done
	sleep 0.5
	kill -s "$1" "$pid"
	local status=0
	wait "$pid" || status=$?
	echo "signal $1: exit $status" >&2
	[ "$status" -eq "$2" ]
	no_file big.rbm
}

@test "safety: SIGTERM, SIGINT and SIGHUP during a write leave no temporary; the status tells the signal" {
	killed_cleanly TERM 143
	killed_cleanly INT 130
	killed_cleanly HUP 129
}

@test "safety: a diverging run stops with one line, writes no NaN and keeps the last good files" {
	bars
	rbm-train -d bars.rbd -e 1 -b 8 < bars-init.rbm > good.rbm
	cp good.rbm out.rbm
	fails_cleanly 1 "diverged in epoch" rbm-train --quiet -d bars.rbd -e 200 -b 10 --lr 10 \
		--weight-decay 0.5 --log log.tsv --checkpoint-dir ck -o out.rbm < bars-init.rbm
	[[ "$stderr" == *"at update"*"try a smaller --lr than 10"* ]]
	cmp good.rbm out.rbm
	run ! grep -qi 'nan\|inf' log.tsv
	for f in ck/*.rbm; do rbm-info "$f" > /dev/null; done
	fails_cleanly 1 "diverged in epoch" rbm-train --quiet -d bars.rbd -e 200 -b 10 --lr 10 \
		--optimizer momentum --weight-decay 1 --pcd --center < bars-init.rbm
}

# A trained model with Adam, PCD and centering, for the settings tests.
trained() {
	bars
	rbm-train -d bars.rbd -e 1 -b 8 --optimizer adam --pcd --center < bars-init.rbm > t.rbm
}

@test "safety: settings read from a model file are held to the command line's ranges" {
	trained
	# offset, bytes, what the message names
	while read -r off bytes want; do
		cp t.rbm x.rbm
		patch x.rbm "$off" "$bytes"
		fails_cleanly 1 "x.rbm: $want" timeout 20 rbm-train -d bars.rbd -e 3 -m x.rbm
		fails_cleanly 1 "x.rbm: $want" rbm-info x.rbm
	done <<-'EOF'
	76 \x00\x00\x00\x00 training setting batch = 0 is out of range (1..65536)
	72 \xff\xff\xff\xff training setting cd_steps = 4294967295 is out of range
	76 \xff\xff\xff\xff training setting batch = 4294967295
	88 \x00\x00\xc0\x7f training setting lr = nan
	88 \x00\x00\x80\x7f training setting lr = inf
	116 \x00\x00\xc0\x3f training setting beta2 = 1.5
	120 \x00\x00\x00\x00 training setting eps = 0
	124 \x00\x00\x80\xbf training setting center_rate = -1
	92 \x00\x00\xc0\x7f training setting lr_decay = nan
	80 \x09\x00\x00\x00 training setting optimizer = 9
	56 \xff\xff\xff\xff\xff\xff\xff\xff training counters
	132 \x00\x00\xc0\x3f training setting alpha = 1.5 without the discriminative objective's flag
	132 \x02\x00\x7a\x44 training setting alpha = 1000.00012 is out of range (0..1000)
	84 \x08\x00\x00\x00 the discriminative objective needs a label group
	EOF
	# Adam's second moment: the second optimizer array, after W, vb and hb (P = 16*8+16+8)
	cp t.rbm x.rbm
	patch x.rbm $((136 + 4 * 152 * 2)) '\x00\x00\x80\xbf'
	fails_cleanly 1 "x.rbm: Adam's second moment 0 is negative" rbm-train -d bars.rbd -e 3 -m x.rbm
}

@test "safety: an --lr-end recorded in the model is a data error naming the file, not misuse" {
	bars
	rbm-train -d bars.rbd -e 2 -b 8 --lr-end 3 < bars-init.rbm > e.rbm
	fails_cleanly 1 "e.rbm: its learning rate ends at epoch 3, before --epochs 5" \
		rbm-train -d bars.rbd -e 5 -m e.rbm
	fails_cleanly 2 "--epochs 5 goes past the learning rate's end at epoch 4 (--lr-end)" \
		rbm-train -d bars.rbd -e 5 --lr-end 4 -m e.rbm
	rbm-train -d bars.rbd -e 5 --lr-end 6 -m e.rbm > later.rbm
}

@test "safety: two runs that share a log write its header once" {
	bars
	for trial in 1 2 3 4 5; do
		rm -f shared.tsv
		for i in 1 2 3 4; do
			rbm-train -d bars.rbd -e 1 -b 8 --seed $i --log shared.tsv < bars-init.rbm > /dev/null &
		done
		wait
		[ "$(grep -c '^epoch' shared.tsv)" -eq 1 ]
		[ "$(wc -l < shared.tsv)" -eq 5 ]
	done
}

@test "safety: rbm-info shows control bytes in metadata escaped, never raw" {
	rbm-init -V 16 -H 4 -o m.rbm
	set_meta m.rbm 'title\033]0;owned\007 and\033[2J\tmore\nsecond line \xc3\xa9 \xc2\x9b\xff\n'
	run rbm-info m.rbm
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\033'* ]]
	[[ "$output" != *$'\007'* ]]
	[[ "$output" != *$'\xc2\x9b'* ]]
	[[ "$output" == *'meta	title\x1b]0;owned\x07 and\x1b[2J\x09more'* ]]
	[[ "$output" == *'meta	second line é \xc2\x9b\xff'* ]]
}

@test "safety: one wording for write errors, naming the file or <stdout>" {
	mknod full c 1 7 || skip "cannot mknod here (not root?)"
	run --separate-stderr bash -c 'rbm-init -V 16 -H 4 > full'
	[ "$status" -eq 1 ]
	[ "$stderr" = "rbm-init: <stdout>: write error: No space left on device" ]
	run --separate-stderr bash -c 'rbm-init --help > full'
	[ "$status" -eq 1 ]
	[ "$stderr" = "rbm-init: <stdout>: write error: No space left on device" ]
	run --separate-stderr rbm-init -V 16 -H 4 -o full
	[ "$status" -eq 1 ]
	[ "$stderr" = "rbm-init: full: write error: No space left on device" ]
}

@test "safety: a combination of settings the command line refuses is refused in a model file, as a data error naming it" {
	bars
	# a discriminative label model with the PCD flag, then with centering
	rbm-init --like bars.rbd --labels auto -H 8 --seed 5 |
		rbm-train -d bars.rbd -e 1 -b 8 --objective discriminative --quiet > d.rbm
	for flags in '\x09' '\x0a'; do
		cp d.rbm x.rbm
		patch x.rbm 84 "$flags\x00\x00\x00"
		fails_cleanly 1 "x.rbm: --$([ "$flags" = '\x09' ] && echo pcd || echo center) changes the generative gradient, which the discriminative objective does not have" \
			rbm-train -d bars.rbd -e 2 -m x.rbm
		fails_cleanly 1 "x.rbm: --" rbm-info x.rbm
	done
	# a Gaussian model with centering, then with --binarize
	gray
	rbm-standardize < gray.rbd > z.rbd
	rbm-init --like z.rbd --visible gaussian -H 4 | rbm-train -d z.rbd -e 1 -b 8 --quiet > g.rbm
	for flags in '\x02' '\x04'; do
		cp g.rbm x.rbm
		patch x.rbm 84 "$flags\x00\x00\x00"
		fails_cleanly 1 "x.rbm: --$([ "$flags" = '\x02' ] && echo center || echo binarize) is for binary visible units; these are Gaussian" \
			rbm-train -d z.rbd -e 2 -m x.rbm
	done
	# the command line says the same, as misuse
	fails_cleanly 2 "--center is for binary visible units; these are Gaussian" rbm-train -d z.rbd -e 2 --center -m g.rbm
	fails_cleanly 2 "--pcd changes the generative gradient" rbm-train -d bars.rbd -e 2 --pcd -m d.rbm
}

# on_tty COMMAND...: COMMAND with its standard output (and input) a terminal, a pseudo-
# terminal of its own; its exit status returned, what it printed on stdout.
on_tty() {
	py -c 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))' "$@"
}

@test "safety: binary output onto a terminal is refused before any work, as gzip does; text goes there" {
	bars
	run on_tty rbm-init -V 4 -H 2
	[ "$status" -eq 1 ]
	[[ "$output" == *"rbm-init: <stdout> is a terminal and the output is binary: give -o FILE or redirect it"* ]]
	# before the work: a run of 100,000 epochs is refused at once
	run timeout 20 /usr/bin/python3 -c 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))' \
		rbm-train -d bars.rbd -e 100000 -m bars-init.rbm
	[ "$status" -eq 1 ]
	[[ "$output" == *"rbm-train: <stdout> is a terminal"* ]]
	run on_tty bin2csv bars.rbd
	[ "$status" -eq 0 ]
	[[ "$output" == *"0,0,0,0"* ]]
	run on_tty rbm-info bars.rbd
	[ "$status" -eq 0 ]
	[[ "$output" == *"rows"* ]]
}

# together CMD...: CMD (a tool writing a file a.* beside stdout, and maybe a second, b.*) run
# with stdout full and with stdout closed: each fails with one line and leaves no file; then it
# runs as given and writes them.
together() {
	rm -f a.* b.*
	fails_cleanly 1 "<stdout>: write error: No space left on device" sh -c '"$@" > /dev/full' sh "$@"
	no_file a.
	no_file b.
	fails_cleanly 1 "<stdout>: write error: Bad file descriptor" sh -c '"$@" >&-' sh "$@"
	no_file a.
	no_file b.
	"$@" > out.txt
	[ -s out.txt ]
	[ -s a.* ]
}

@test "safety: a run's outputs appear together: a failing stdout, closed or full, or a full second file leaves none of them" {
	bars
	printf '0,1,,1\n1,0,1,\n' > h.csv
	py -c 'import numpy as np; np.save("h.npy", np.array([[0, 1, np.nan, 1], [1, 0, 1, 0]], np.float32))'
	together rbm-ais -m bars-init.rbm --runs 4 --betas-scale 1e-3 --samples a.rbd --weights b.rbd
	together rbm-standardize --save a.rbd bars.rbd
	together csv2bin --missing a.rbd h.csv
	together npy2bin --missing a.rbd h.npy
	together bin2npy --labels a.npy bars.rbd
	# the second file cannot be written: the first is not left behind either
	mknod fulldev c 1 7 || skip "cannot mknod here (not root?)"
	fails_cleanly 1 "fulldev: write error" sh -c \
		'rbm-ais -m bars-init.rbm --runs 4 --betas-scale 1e-3 --samples s.rbd --weights fulldev > est.txt'
	[ ! -s est.txt ] # nor are the estimates printed: every output is made before the first is
	fails_cleanly 1 "fulldev: write error" csv2bin --missing mask.rbd h.csv -o fulldev
	fails_cleanly 1 "fulldev: write error" rbm-standardize --save st.rbd bars.rbd -o fulldev
	fails_cleanly 1 "fulldev: write error" npy2bin --missing mask.rbd h.npy -o fulldev
	fails_cleanly 1 "fulldev: write error" bin2npy --labels l.npy bars.rbd -o fulldev
	for f in s.rbd mask.rbd st.rbd l.npy; do no_file $f || return 1; done
	[ -c fulldev ]
}
