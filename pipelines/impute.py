#!/usr/bin/python3
"""impute.py: the imputation experiment's bookkeeping and baselines (pipelines/impute.sh).

  impute.py hide MASK.csv SEED FRACTION OUT_MASK.csv OUT_HIDDEN.csv
      hide FRACTION of the observed entries of MASK (0/1 CSV, a column per variable), chosen
      by SEED: OUT_MASK is MASK with them 0, OUT_HIDDEN lists them (row,column).
  impute.py score DATA.csv HIDDEN.csv TRAIN_MASK.csv FILM.csv SNAPSHOTS SEED [LABELS.csv]
      the RBM's imputation of each hidden entry (the state most often taken over the film's
      snapshots after the first) and three baselines on the same entries, each from the
      entries left observed: the column mode (what an RBM with no hidden units imputes),
      k-nearest neighbours (Hamming distance over the entries both rows have, k = 5, the
      neighbours' most common state), and chained logistic regression (each column from the
      one-hot of all others, missing ones filled by the last round, 5 rounds). Prints
      'rbm mode knn chained' accuracies, tab-separated.
The data's states are bin2csv's numbers: categorical columns only (votes, soybean).
"""
import sys

import numpy as np


def read(path):
    return np.loadtxt(path, delimiter=",", ndmin=2)


def hide(mask_path, seed, fraction, out_mask, out_hidden):
    mask = read(mask_path).astype(int)
    rng = np.random.default_rng(seed)
    obs = np.argwhere(mask == 1)
    pick = obs[rng.permutation(len(obs))[: int(round(fraction * len(obs)))]]
    pick = pick[np.lexsort((pick[:, 1], pick[:, 0]))]
    train = mask.copy()
    train[pick[:, 0], pick[:, 1]] = 0
    np.savetxt(out_mask, train, fmt="%d", delimiter=",")
    np.savetxt(out_hidden, pick, fmt="%d", delimiter=",")


def one_hot(x, known, k):
    """Rows of states x (n, d), unknown entries all zero, as one-hot blocks."""
    out = np.zeros((x.shape[0], int(k.sum())))
    at = np.concatenate([[0], np.cumsum(k)[:-1]])
    for j in range(x.shape[1]):
        rows = np.nonzero(known[:, j])[0]
        out[rows, at[j] + x[rows, j].astype(int)] = 1
    return out


def column_mode(x, known, j, k):
    counts = np.bincount(x[known[:, j], j].astype(int), minlength=k[j])
    return int(np.argmax(counts))


def knn(x, known, hidden, k, n_neighbours=5):
    out = []
    for r, j in hidden:
        cand = np.nonzero(known[:, j])[0]
        cand = cand[cand != r]
        both = known[cand] & known[r]
        diff = ((x[cand] != x[r]) & both).sum(1)
        shared = both.sum(1)
        dist = diff / np.maximum(shared, 1) + (shared == 0)
        near = cand[np.argsort(dist, kind="stable")[:n_neighbours]]
        out.append(int(np.argmax(np.bincount(x[near, j].astype(int), minlength=k[j]))))
    return np.array(out)


def chained(x, known, hidden, k, rounds=5, seed=0):
    from sklearn.linear_model import LogisticRegression

    fill = x.copy()
    d = x.shape[1]
    for j in range(d):
        fill[~known[:, j], j] = column_mode(x, known, j, k)
    all_known = np.ones_like(known)
    for _ in range(rounds):
        for j in range(d):
            others = [c for c in range(d) if c != j]
            feats = one_hot(fill[:, others], all_known[:, others], k[others])
            rows = known[:, j]
            ys = x[rows, j].astype(int)
            if len(np.unique(ys)) < 2:
                fill[~rows, j] = ys[0] if len(ys) else 0
                continue
            lr = LogisticRegression(max_iter=500, C=1.0, random_state=seed)
            lr.fit(feats[rows], ys)
            if (~rows).any():
                fill[~rows, j] = lr.predict(feats[~rows])
    return np.array([int(fill[r, j]) for r, j in hidden])


def score(data_path, hidden_path, mask_path, film_path, snapshots, seed, labels_path=None):
    x = read(data_path).astype(int)
    hidden = read(hidden_path).astype(int)
    known = read(mask_path).astype(bool)
    film = read(film_path).astype(int)
    n, d = x.shape
    k = np.maximum(x.max(0) + 1, 2)
    if labels_path:  # the label is known: a column for the baselines too
        lab = read(labels_path).astype(int).reshape(-1, 1)
        x = np.hstack([x, lab])
        known = np.hstack([known, np.ones((n, 1), bool)])
        k = np.append(k, lab.max() + 1)
    truth = x[hidden[:, 0], hidden[:, 1]]
    snaps = film.reshape(snapshots, n, -1)[1:]  # the first is the chains' start
    rbm = []
    for r, j in hidden:
        rbm.append(int(np.argmax(np.bincount(snaps[:, r, j], minlength=k[j]))))
    mode = [column_mode(x, known, j, k) for _, j in hidden]
    res = [
        np.mean(np.array(rbm) == truth),
        np.mean(np.array(mode) == truth),
        np.mean(knn(x, known, hidden, k) == truth),
        np.mean(chained(x, known, hidden, k, seed=seed) == truth),
    ]
    print("\t".join("%.4f" % v for v in res))


if __name__ == "__main__":
    if sys.argv[1] == "hide":
        hide(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]),
              int(sys.argv[7]), sys.argv[8] if len(sys.argv) > 8 else None)
    else:
        sys.exit("impute.py: hide or score")
