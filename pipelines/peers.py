#!/usr/bin/python3
"""peers.py: time scikit-learn's BernoulliRBM (PCD-1) for one epoch on MNIST rows.

usage: peers.py IDX_IMAGES ROWS HIDDEN BATCH THREADS -> seconds of one epoch on stdout
"""
import sys
import time

import numpy as np


def load(path, rows):
    with open(path, "rb") as f:
        head = np.frombuffer(f.read(16), dtype=">u4")
        assert head[0] == 0x803, "not an IDX image file"
        n = min(rows, int(head[1]))
        data = np.frombuffer(f.read(n * 784), dtype=np.uint8)
    return data.reshape(n, 784).astype(np.float64) / 255.0


def main():
    path, rows, hidden, batch, threads = sys.argv[1], *map(int, sys.argv[2:])
    from threadpoolctl import threadpool_limits
    from sklearn.neural_network import BernoulliRBM

    x = load(path, rows)
    rbm = BernoulliRBM(n_components=hidden, batch_size=batch, n_iter=1, learning_rate=0.01,
                       random_state=1)
    with threadpool_limits(limits=threads):
        start = time.perf_counter()
        rbm.fit(x)
        print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
