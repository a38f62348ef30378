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
  impute.py heldout MODEL.npz LOG_Z TRAIN.csv TRAIN_MASK.csv TEST.csv TEST_MASK.csv
                    [TRAIN_LABELS.csv TEST_LABELS.csv]
      the held-out rows' log-likelihood of their observed entries (the label too, where
      there is one), log p(v_obs) = log sum over the completions of the missing entries of
      exp(-F(v)) - log Z, exact for the rows of at most MAX_COMPLETIONS completions (the
      rest counted, not scored), beside the independent model's (each column's frequencies
      among the training rows' observed entries, at the pseudo-count of PSEUDOCOUNTS best
      on these rows: the baseline's most favourable). With labels also the classification
      error of the same rows: the RBM's p(y | x_obs) (the completions summed), and a
      logistic regression on the one-hot of the observed entries (missing: all zero; C by
      5-fold cross-validation on the training rows). Prints 'rbm_ll indep_ll rows excluded'
      and with labels 'rbm_err logistic_err', tab-separated.
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


MAX_COMPLETIONS = 20000
PSEUDOCOUNTS = (0.01, 0.1, 0.3, 1.0, 3.0)


def log_sum_exp(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def completions(x, known, k):
    """Every one-hot row that agrees with x's known entries (the product of the missing
    columns' states), or None when they are more than MAX_COMPLETIONS."""
    missing = np.nonzero(~known)[0]
    if np.prod([float(k[j]) for j in missing]) > MAX_COMPLETIONS:
        return None
    grids = np.meshgrid(*[np.arange(k[j]) for j in missing], indexing="ij")
    rows = np.repeat(x[None, :], grids[0].size if missing.size else 1, axis=0)
    for g, j in zip(grids, missing):
        rows[:, j] = g.ravel()
    return one_hot(rows, np.ones_like(rows, bool), k)


def neg_free_energy(v, w, vb, hb):
    return v @ vb + np.logaddexp(0.0, v @ w.T + hb).sum(1)


def heldout(model, log_z, tr, trm, te, tem, trl=None, tel=None):
    f = np.load(model)
    w, vb, hb = f["W"].astype(float), f["vbias"].astype(float), f["hbias"].astype(float)
    x, known = read(tr).astype(int), read(trm).astype(bool)
    xt, knownt = read(te).astype(int), read(tem).astype(bool)
    k = np.asarray(f["segments"], int)  # the categorical segments, the label group not among them
    labelled = trl is not None
    if labelled:  # the label group last, always known
        k = np.append(k, w.shape[1] - k.sum())
        y, yt = read(trl).astype(int).ravel(), read(tel).astype(int).ravel()
        x, xt = np.hstack([x, y[:, None]]), np.hstack([xt, yt[:, None]])
        known = np.hstack([known, np.ones((len(y), 1), bool)])
        knownt = np.hstack([knownt, np.ones((len(yt), 1), bool)])
    assert w.shape[1] == k.sum() and x.shape[1] == len(k), "the model does not fit the data"
    rbm_ll, rbm_right, scored = [], [], []
    for r in range(len(xt)):
        v = completions(xt[r], knownt[r], k)
        if v is None:
            continue
        scored.append(r)
        rbm_ll.append(log_sum_exp(neg_free_energy(v, w, vb, hb)) - log_z)
        if labelled:  # log p(x_obs, y) for every y: the label's units set in turn
            lab0 = k[:-1].sum()
            score_y = []
            for c in range(k[-1]):
                vc = v.copy()
                vc[:, lab0:] = 0
                vc[:, lab0 + c] = 1
                score_y.append(log_sum_exp(neg_free_energy(vc, w, vb, hb)))
            rbm_right.append(int(np.argmax(score_y)) == yt[r])
    scored = np.array(scored, int)
    best = -np.inf
    for a in PSEUDOCOUNTS:  # the independent model at its best pseudo-count
        ll = np.zeros(len(scored))
        for j in range(len(k)):
            p = np.bincount(x[known[:, j], j], minlength=k[j]) + a
            p = np.log(p / p.sum())
            obs = knownt[scored, j]
            ll[obs] += p[xt[scored[obs], j]]
        best = max(best, ll.mean())
    out = [np.mean(rbm_ll), best, len(scored), len(xt) - len(scored)]
    if labelled:
        from sklearn.linear_model import LogisticRegressionCV

        feats = one_hot(x[:, :-1], known[:, :-1], k[:-1])
        lr = LogisticRegressionCV(Cs=[0.01, 0.1, 1.0, 10.0], cv=5, max_iter=2000)
        lr.fit(feats, y)
        pred = lr.predict(one_hot(xt[scored, :-1], knownt[scored, :-1], k[:-1]))
        out += [1 - np.mean(rbm_right), np.mean(pred != yt[scored])]
    print("\t".join("%.4f" % v if isinstance(v, float) else str(v) for v in out))


if __name__ == "__main__":
    if sys.argv[1] == "hide":
        hide(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]),
              int(sys.argv[7]), sys.argv[8] if len(sys.argv) > 8 else None)
    elif sys.argv[1] == "heldout":
        heldout(sys.argv[2], float(sys.argv[3]), *sys.argv[4:])
    else:
        sys.exit("impute.py: hide, score or heldout")
