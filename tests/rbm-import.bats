#!/usr/bin/env bats
# rbm-import: a model from an .npz of W, vbias, hbias (rbm-export's layout, scikit-learn's
# BernoulliRBM's); round trips to the same bytes; hostile archives refused.
load helpers

@test "rbm-import: help, version and bad options" {
	common_cli rbm-import
}

@test "rbm-import: export then import then export gives the same bytes; the model samples and scores as before" {
	bars
	floats
	rbm-export -m floats.rbm > a.npz
	rbm-import --like bars.rbd a.npz > b.rbm
	rbm-export -m b.rbm | cmp - a.npz
	# the same conditionals, samples and scores as the trained model
	rbm-hidden -d bars.rbd -m floats.rbm | cmp - <(rbm-hidden -d bars.rbd -m b.rbm)
	rbm-gibbs -n 50 -m floats.rbm | cmp - <(rbm-gibbs -n 50 -m b.rbm)
	[ "$(rbm-ais --exact -d bars.rbd -m b.rbm)" = "$(rbm-ais --exact -d bars.rbd -m floats.rbm)" ]
	run rbm-info b.rbm
	[[ "$output" == *"shape	4x4"* ]]
	[[ "$output" == *"epoch	0"* ]]
	# --shape gives the shape; the default is one row; stdin works
	rbm-import --shape 2x8 < a.npz | rbm-info - | grep -q "shape	2x8"
	rbm-import a.npz | rbm-info - | grep -q "shape	1x16"
	# Gaussian units (logvar) and a label group
	rbm-init --like bars.rbd --visible gaussian --labels auto -H 5 --seed 4 -o g.rbm
	rbm-export -m g.rbm > g.npz
	rbm-import --like bars.rbd --labels 2 g.npz | rbm-export | cmp - g.npz
	rbm-import --like bars.rbd --labels 2 g.npz | rbm-info - > g.txt
	grep -q "visible_type	gaussian" g.txt && grep -q "label_group	2" g.txt
}

@test "rbm-import: numpy's savez_compressed and float64 arrays read; a BernoulliRBM of scikit-learn imports and matches its transform" {
	bars
	bin2npy --flat bars.rbd > v.npy
	if ! py -c 'import sklearn' 2>/dev/null; then
		skip "python3-sklearn is absent (make deps installs it)"
	fi
	py - <<'PY'
import numpy as np
from sklearn.neural_network import BernoulliRBM
v = np.load("v.npy").astype(np.float64)
rbm = BernoulliRBM(n_components=6, learning_rate=0.05, n_iter=50, random_state=0).fit(v)
np.savez_compressed("sk.npz", W=rbm.components_, vbias=rbm.intercept_visible_,
                    hbias=rbm.intercept_hidden_)
np.save("sk-h.npy", rbm.transform(v))
PY
	rbm-import --like bars.rbd sk.npz -o sk.rbm
	rbm-hidden -d bars.rbd -m sk.rbm | bin2npy > ours.npy
	py - <<'PY'
import numpy as np
err = np.abs(np.load("ours.npy") - np.load("sk-h.npy")).max()
print("largest difference from scikit-learn's transform:", err)
assert err < 1e-6, err
PY
	# what docs/data.md says of it is the bound tested here
	grep -q "transform\`'s features within 1e-6, the test's bound" "$BATS_TEST_DIRNAME/../docs/data.md"
	# and every tool takes it: its log-likelihood, exactly
	rbm-ais --exact -d bars.rbd -m sk.rbm | grep -q "^avg_ll	-"
}

@test "rbm-import: hostile archives get one line and no output" {
	bars
	rbm-export -m bars-init.rbm > a.npz
	fails_cleanly 1 "cut.npz: not a zip archive" sh -c 'head -c 300 a.npz > cut.npz; rbm-import cut.npz -o out.rbm'
	# a flipped byte in W's values: the CRC-32 finds it
	size=$(stat -c %s a.npz)
	cp a.npz flip.npz
	printf '\x55' | dd of=flip.npz bs=1 seek=200 conv=notrunc 2>/dev/null
	fails_cleanly 1 "flip.npz: W.npy: CRC-32 mismatch" rbm-import flip.npz -o out.rbm
	fails_cleanly 1 "bars.rbd: not a zip archive" rbm-import bars.rbd -o out.rbm
	fails_cleanly 1 "<stdin>: not a zip archive" sh -c 'rbm-import < /dev/null'
	py - <<'PY'
import numpy as np
W = np.zeros((3, 16), np.float32)
np.savez("nohb.npz", W=W, vbias=np.zeros(16, np.float32))
np.savez("short.npz", W=W, vbias=np.zeros(15, np.float32), hbias=np.zeros(3, np.float32))
np.savez("nan.npz", W=W, vbias=np.full(16, np.nan, np.float32), hbias=np.zeros(3, np.float32))
np.savez("flat.npz", W=np.zeros(48, np.float32), vbias=np.zeros(16), hbias=np.zeros(3))
np.savez("bigvar.npz", W=W, vbias=np.zeros(16), hbias=np.zeros(3), logvar=np.full(16, 99.0))
np.savez("str.npz", W=np.array(["a", "b"]), vbias=np.zeros(16), hbias=np.zeros(3))
PY
	fails_cleanly 1 "nohb.npz: no array hbias (give W, vbias and hbias" rbm-import nohb.npz -o out.rbm
	fails_cleanly 1 "short.npz: vbias is 15 long in dimension 1 where W gives 16" rbm-import short.npz -o out.rbm
	fails_cleanly 1 "nan.npz: vbias[0] is nan: not a finite number" rbm-import nan.npz -o out.rbm
	fails_cleanly 1 "flat.npz: W has 1 dimensions, not 2" rbm-import flat.npz -o out.rbm
	fails_cleanly 1 "bigvar.npz: logvar[0] is 99: outside the range a model holds" rbm-import bigvar.npz -o out.rbm
	fails_cleanly 1 "str.npz: W.npy:" rbm-import str.npz -o out.rbm
	fails_cleanly 1 "bars.rbd: rows of 16 values do not fit a model with 14 pixel units" \
		rbm-import --labels 2 --like bars.rbd a.npz -o out.rbm
	fails_cleanly 1 "a.npz: rows of 16 values do not fit --shape 3x3" rbm-import --shape 3x3 a.npz -o out.rbm
	fails_cleanly 1 "--labels 16: a label group of 2 to 256 units, fewer than W's 16 visible" \
		rbm-import --labels 16 a.npz -o out.rbm
	fails_cleanly 2 "--like and --shape both give the shape" rbm-import --like bars.rbd --shape 4x4 a.npz
	fails_cleanly 2 "the archive and --like both read stdin" rbm-import --like - < a.npz
	no_file out.rbm
}

@test "rbm-import: no member is inflated past one total limit; a stream that is not a zip stops at once; repeated or unprintable names are refused" {
	bars
	rbm-export -m bars-init.rbm > a.npz
	py - <<'PY'
import struct, zipfile, zlib, warnings
# 60 directory entries that share one member of 40 MB of zeros (40 kB deflated): 2.4 GB
body = zlib.compressobj(9, zlib.DEFLATED, -15)
body = body.compress(bytes(40_000_000)) + body.flush()
crc = zlib.crc32(bytes(40_000_000))
local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), 40_000_000, 5, 0) + b"W.npy"
cd = b""
for i in range(60):
    name = b"m%02d.npy" % i
    cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body),
                      40_000_000, len(name), 0, 0, 0, 0, 0, 0) + name
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 60, 60, len(cd), len(local) + len(body), 0)
open("many.npz", "wb").write(local + body + cd + end)
# two members named W.npy (zipfile warns, numpy would read the last)
src = zipfile.ZipFile("a.npz")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with zipfile.ZipFile("dup.npz", "w") as z:
        for n in src.namelist():
            z.writestr(n, src.read(n))
        z.writestr("W.npy", src.read("W.npy"))
    with zipfile.ZipFile("c1.npz", "w") as z:
        for n in src.namelist():
            z.writestr(n, src.read(n))
        z.writestr("x\u009b[31m.npy", b"")
PY
	# read whole, it would take 2.4 GB: under a 1.5 GB limit, the directory alone refuses it
	fails_cleanly 1 "many.npz: its members would inflate to over 2176843776 bytes" \
		sh -c 'ulimit -v 1500000; exec rbm-import many.npz -o out.rbm'
	fails_cleanly 1 "dup.npz: W.npy: two members of that name" rbm-import dup.npz -o out.rbm
	fails_cleanly 1 "c1.npz: directory entry 4 has a control byte in its name" rbm-import c1.npz -o out.rbm
	fails_cleanly 1 "<stdin>: not a zip archive (it does not begin as one)" \
		sh -c 'timeout 10 rbm-import -o out.rbm < /dev/zero'
	no_file out.rbm
	rbm-import a.npz -o out.rbm # the archive they were made from is read
}
