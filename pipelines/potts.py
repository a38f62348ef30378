#!/usr/bin/python3
"""potts.py: exact samples of a small Potts RBM and the statistics make potts compares.

  potts.py exact MODEL.npz N SEED OUT.csv
      N exact samples of a model of categorical segments alone (rbm-export's npz) with up
      to 20 hidden units: h drawn from p(h) by enumerating every hidden state (each
      segment's sum over its states in closed form), then v from p(v | h); one row of states
      a line, as bin2csv writes them.
  potts.py compare REFERENCE.csv K NAME=SAMPLES.csv ...
      for each sample set, Pearson's r between its single-site frequencies and the
      reference's, and between its connected pair correlations
      C_ij(a, b) = f_ij(a, b) - f_i(a) f_j(b) (i < j) and the reference's; with the
      largest gap in a frequency. One line per set: name, r_freq, r_pair, max_freq_gap.
"""
import sys

import numpy as np


def exact(npz_path, n, seed, out):
    z = np.load(npz_path)
    W, vb, hb = z["W"].astype(np.float64), z["vbias"].astype(np.float64), z["hbias"].astype(np.float64)
    seg = z["segments"].astype(int)
    H = W.shape[0]
    if H > 20 or W.shape[1] != seg.sum():
        sys.exit("potts.py: exact sampling takes categorical segments alone and at most 20 hidden units")
    at = np.concatenate([[0], np.cumsum(seg)[:-1]])
    # log p*(h) for every h, in chunks: hb.h + sum over segments of logsumexp(vb + W'h)
    logp = np.empty(2 ** H)
    chunk = 4096
    for s in range(0, 2 ** H, chunk):
        idx = np.arange(s, min(s + chunk, 2 ** H))
        h = ((idx[:, None] >> np.arange(H)) & 1).astype(np.float64)
        x = vb + h @ W
        tot = h @ hb
        for a, k in zip(at, seg):
            blk = x[:, a:a + k]
            m = blk.max(1)
            tot += m + np.log(np.exp(blk - m[:, None]).sum(1))
        logp[idx] = tot
    p = np.exp(logp - logp.max())
    p /= p.sum()
    rng = np.random.default_rng(seed)
    hs = rng.choice(2 ** H, size=n, p=p)
    h = ((hs[:, None] >> np.arange(H)) & 1).astype(np.float64)
    x = vb + h @ W
    states = np.empty((n, len(seg)), dtype=int)
    for j, (a, k) in enumerate(zip(at, seg)):
        blk = x[:, a:a + k]
        q = np.exp(blk - blk.max(1)[:, None])
        q /= q.sum(1)[:, None]
        u = rng.random(n)[:, None]
        states[:, j] = np.minimum((np.cumsum(q, 1) < u).sum(1), k - 1)
    np.savetxt(out, states, fmt="%d", delimiter=",")


def stats(x, K):
    """Single-site frequencies (L, K) and connected correlations of pairs i < j."""
    n, L = x.shape
    oh = np.zeros((n, L * K))
    oh[np.arange(n)[:, None], np.arange(L) * K + x] = 1
    f = oh.mean(0)
    c = oh.T @ oh / n - np.outer(f, f)
    iu = np.triu_indices(L, 1)
    blocks = c.reshape(L, K, L, K).transpose(0, 2, 1, 3)[iu]
    return f, blocks.ravel()


def compare(ref_path, K, sets):
    ref = np.loadtxt(ref_path, delimiter=",", ndmin=2).astype(int)
    f0, c0 = stats(ref, K)
    print("samples\tr_freq\tr_pair\tmax_freq_gap")
    for name, path in sets:
        x = np.loadtxt(path, delimiter=",", ndmin=2).astype(int)
        f, c = stats(x, K)
        print("%s\t%.4f\t%.4f\t%.4f" % (name, np.corrcoef(f, f0)[0, 1],
                                        np.corrcoef(c, c0)[0, 1], np.abs(f - f0).max()))


if __name__ == "__main__":
    if sys.argv[1] == "exact":
        exact(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == "compare":
        compare(sys.argv[2], int(sys.argv[3]), [a.split("=", 1) for a in sys.argv[4:]])
    else:
        sys.exit("potts.py: exact or compare")
