#!/usr/bin/env bats
# rbm-export: a model as .npz; numpy reads it and recomputes rbm-hidden's features.
load helpers

@test "rbm-export: help, version and bad options" {
	common_cli rbm-export
}

@test "rbm-export: numpy's p(h|v) and p(v|h) from the .npz match rbm-hidden to 1e-6" {
	bars
	floats
	rbm-export -m floats.rbm -o m.npz
	rbm-export < floats.rbm | cmp - m.npz
	bin2npy --flat bars.rbd > v.npy
	bin2npy floats.rbd > h.npy
	rbm-hidden --down -d floats.rbd -m floats.rbm | bin2npy --flat > down.npy
	py - <<'PY'
import numpy as np
z = np.load("m.npz")
assert sorted(z.files) == ["W", "hbias", "vbias"], z.files
W, vb, hb = z["W"], z["vbias"], z["hbias"]
assert W.dtype == np.float32 and W.shape == (8, 16) and vb.shape == (16,) and hb.shape == (8,)
v = np.load("v.npy").astype(np.float64)
h = 1 / (1 + np.exp(-(hb + v @ W.T.astype(np.float64))))
err = np.abs(h - np.load("h.npy")).max()
assert err < 1e-6, err
f = np.load("h.npy").astype(np.float64)
d = 1 / (1 + np.exp(-(vb + f @ W.astype(np.float64))))
err = np.abs(d - np.load("down.npy")).max()
assert err < 1e-6, err
PY
}

@test "rbm-export: a bad model is refused, nothing written" {
	bars
	head -c 100 bars-init.rbm > cut.rbm
	fails_cleanly 1 "cut.rbm: unexpected end of file" rbm-export -m cut.rbm -o out.npz
	fails_cleanly 1 "bars.rbd: a data file, not a model file" rbm-export -m bars.rbd -o out.npz
	fails_cleanly 2 "unexpected argument" rbm-export extra
	no_file out.npz
}
